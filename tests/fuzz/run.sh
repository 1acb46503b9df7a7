#!/bin/sh
# Runs each fuzzer for SECONDS, seeded with its corpus (tests/fuzz/corpus/TARGET) and
# the fixtures. The checked-in corpus is only read: new inputs go to BUILD/fuzz/new-TARGET
# and crashes to BUILD/fuzz/crashers/, so a test run leaves the checkout as it was.
# With GROW=1 (make fuzz) the new inputs that add coverage are merged into the corpus,
# a deliberate step whose result is committed.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...   (SECONDS 0: replay only)
set -eu
b=$1 secs=$2
shift 2
fails=0 passes=0
mkdir -p "$b/fuzz/crashers"
for t in "$@"; do
	seeds=$b/fuzz/seed-$t new=$b/fuzz/new-$t corpus=tests/fuzz/corpus/$t
	rm -rf "$seeds" "$new" && mkdir -p "$seeds" "$new"
	[ -d "$corpus" ] || corpus=$seeds # a new target's first run
	for f in tests/fixtures/"$t"-*.hex; do
		[ -e "$f" ] && "$b/hex2bin" "$f" "$seeds/$(basename "$f" .hex)"
	done
	if [ "$secs" = 0 ]; then
		set -- -runs=0
	else
		set -- -max_total_time="$secs" -print_final_stats=0
	fi
	# The first directory is where libFuzzer adds (and reduces) inputs: ours, in build/.
	if "$b/fuzz/fuzz_$t" "$@" -artifact_prefix="$b/fuzz/crashers/$t-" \
		"$new" "$corpus" "$seeds" >"$b/fuzz/$t.log" 2>&1; then
		echo "ok - fuzz $t ($(find "$corpus" -type f | wc -l) corpus inputs, $(find "$new" -type f | wc -l) new)"
		passes=$((passes + 1))
	else
		echo "not ok - fuzz $t: see $b/fuzz/$t.log (crash inputs in $b/fuzz/crashers/)"
		tail -n 20 "$b/fuzz/$t.log"
		fails=$((fails + 1))
	fi
	if [ "${GROW:-0}" = 1 ] && [ "$secs" != 0 ]; then
		mkdir -p "tests/fuzz/corpus/$t"
		"$b/fuzz/fuzz_$t" -merge=1 "tests/fuzz/corpus/$t" "$new" >>"$b/fuzz/$t.log" 2>&1 ||
			echo "fuzz $t: merging into tests/fuzz/corpus/$t failed" >&2
	fi
done
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
