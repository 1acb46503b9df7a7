#!/bin/sh
# The module map's rules, checked: no include cycle between modules (a module is
# src/NAME.c with src/NAME.h), and the presentation module (report.h: the probe's
# table and JSON) included only by the commands that print it. One "ok"/"not ok" line
# each; ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
pass=0 fail=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in src/*.c src/*.h; do
	m=$(basename "$f")
	m=${m%.*}
	sed -n 's/^#include "\([a-z_]*\)\.h".*/\1/p' "$f" | while read -r d; do
		[ "$d" = "$m" ] || echo "$m $d"
	done
done | sort -u >"$edges"
if out=$(tsort "$edges" 2>&1 >/dev/null) && [ -z "$out" ]; then
	echo "ok - no include cycle between modules ($(wc -l <"$edges") edges)"
	pass=$((pass + 1))
else
	echo "not ok - an include cycle between modules:"
	printf '%s\n' "$out" | sed 's/^/#   /'
	fail=$((fail + 1))
fi
bad=$(grep -l '^#include "report.h"' src/*.c src/*.h | grep -vxE 'src/(main|up|report)\.c|src/report\.h')
if [ -z "$bad" ]; then
	echo "ok - report.h (presentation) only in main.c and up.c"
	pass=$((pass + 1))
else
	echo "not ok - report.h included by $(echo "$bad" | tr '\n' ' ')"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
