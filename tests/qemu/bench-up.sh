#!/bin/bash
# make bench: time to lease of `pxebond up` in the QEMU lab's NIC layouts (issue 17),
# from test-up.sh's timelines. Prints a table; asserts nothing (docs/benchmarks.md keeps
# the figures). Milliseconds from the start of `pxebond up`.
#
#   every NIC in the LAG     slow: two NICs facing a passive, slow LACP bond
#   one plain NIC alongside  fast: two LAG NICs and one on a plain port
#   one dark NIC             nolink: two LAG NICs, one without link
#   four NICs                layout: two LAG NICs, one dark, one on a plain port
#   a late carrier           late: two LAG NICs, the second's link 2 s after up starts
#
# Usage: tests/qemu/bench-up.sh   (root). PXEBOND=FILE measures another binary (an
# older build, for the "before" column); PXB_BENCH_UP="nolink layout" runs a subset.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
only=${PXB_BENCH_UP:-slow fast nolink layout late}
bench=$root/build/qemu/up/bench.txt

PXB_UP_ONLY=$only "$here/test-up.sh" >"$root/build/qemu/bench-up.log" 2>&1
echo "bench-up: test-up.sh: $(tail -n 1 "$root/build/qemu/bench-up.log") (log: build/qemu/bench-up.log)"

val() { sed -n "s/^$1\.up1_$2_ms=//p" "$bench" | head -n 1; }
printf '%-26s %-8s %10s %9s %15s %7s\n' layout scenario "probe done" enslaved \
	"collecting/dist" lease
for sc in $only; do
	case $sc in
	slow) what="every NIC in the LAG" ;;
	fast) what="one plain NIC alongside" ;;
	nolink) what="one dark NIC" ;;
	layout) what="LAG x2, dark, plain" ;;
	late) what="link 2 s late" ;;
	*) what=$sc ;;
	esac
	printf '%-26s %-8s %10s %9s %15s %7s\n' "$what" "$sc" "$(val "$sc" probe_done)" \
		"$(val "$sc" enslaved)" "$(val "$sc" collecting_distributing)" "$(val "$sc" lease)"
done
