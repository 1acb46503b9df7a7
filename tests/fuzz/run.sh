#!/bin/sh
# Runs each fuzzer for SECONDS, seeded with its corpus and the fixtures; new inputs
# go to tests/fuzz/corpus/TARGET (kept forever), crashes to tests/fuzz/crashers/.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...   (SECONDS 0: replay only)
set -eu
b=$1 secs=$2
shift 2
fails=0 passes=0
for t in "$@"; do
	seeds=$b/fuzz/seed-$t
	rm -rf "$seeds" && mkdir -p "$seeds" "tests/fuzz/corpus/$t" tests/fuzz/crashers
	for f in tests/fixtures/"$t"-*.hex; do
		[ -e "$f" ] && "$b/hex2bin" "$f" "$seeds/$(basename "$f" .hex)"
	done
	if [ "$secs" = 0 ]; then
		set -- -runs=0
	else
		set -- -max_total_time="$secs" -print_final_stats=0
	fi
	if "$b/fuzz/fuzz_$t" "$@" -artifact_prefix=tests/fuzz/crashers/"$t"- \
		"tests/fuzz/corpus/$t" "$seeds" >"$b/fuzz/$t.log" 2>&1; then
		echo "ok - fuzz $t ($(find "tests/fuzz/corpus/$t" -type f | wc -l) corpus inputs)"
		passes=$((passes + 1))
	else
		echo "not ok - fuzz $t: see $b/fuzz/$t.log"
		tail -n 20 "$b/fuzz/$t.log"
		fails=$((fails + 1))
	fi
done
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
