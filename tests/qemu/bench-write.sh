#!/bin/bash
# The installed system's first boot, for `make bench`: tests/qemu/test-write.sh with each
# format's installed system booted RUNS times (default 3). Prints, per format, the range
# over the boots of when the kernel opened bond0 and enslaved its first member, when both
# members were in sync with the switch and when bond0 had its DHCP address, in ms after
# the network stack started, and the host's load. Asserts nothing: test-write's own
# checks go to build/qemu/write-bench.log (a failed one is said on stderr).
# Usage: tests/qemu/bench-write.sh   RUNS=N, PXB_WRITE_FORMATS="networkd nm" as test-write.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
log=$root/build/qemu/write-bench.log
mkdir -p "$root/build/qemu"
PXB_WRITE_RUNS=${RUNS:-3} "$here/test-write.sh" >"$log" 2>&1 ||
	echo "bench-write: test-write.sh failed a check: see $log" >&2
cat "$root/build/qemu/write/bench-summary.txt"
