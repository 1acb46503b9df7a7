#!/bin/bash
# make bench: pxebond's size, and `probe` wall time against Open vSwitch in network
# namespaces for 2 and 4 NICs per partner kind (active fast, passive slow, no LACP), with
# and without --passive. Prints figures; asserts nothing (docs/benchmarks.md keeps them).
#
#   client eth0-eth3   ---- s0-s3   LAG active, fast
#   client eth4-eth7   ---- s4-s7   LAG passive, slow
#   client eth8-eth11  ---- s8-s11  plain ports
#   client eth12-eth15 ---- s12-s15 LAG active, fast, only ever probed with --passive
#
# Runs are 1.5 s apart: Open vSwitch paces its LACPDUs, so a port probed again at once
# answers after up to 350 ms instead of 1 ms; and our withdrawal (long timeout) slows an
# active switch port to its 30 s rate, so --passive runs get ports never withdrawn from.
# Usage: tests/bench/run.sh [PXEBOND]   (root). RUNS=3 repeats each (median shown).
set -u
here=$(cd "$(dirname "$0")" && pwd)
pxebond=${1:-$here/../../build/pxebond}
pxebond=$(cd "$(dirname "$pxebond")" && pwd)/$(basename "$pxebond")
runs=${RUNS:-3}
# shellcheck source=tests/netns/lib.sh
. "$here/../netns/lib.sh"

size=$(stat -c %s "$pxebond")
printf 'binary: %s bytes (%d KiB), %s\n' "$size" $(((size + 1023) / 1024)) \
	"$(file -b "$pxebond" | grep -o 'statically linked' || echo 'NOT statically linked')"

lab_start
lab_wire 16
lab_lag fast active fast 02:00:00:00:0a:00 s0 s1 s2 s3
lab_lag slow passive slow 02:00:00:00:0b:00 s4 s5 s6 s7
for i in 8 9 10 11; do lab_port "s$i"; done
lab_lag listen active fast 02:00:00:00:0c:00 s12 s13 s14 s15
lab_settle 5

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# bench LABEL ARGS...: median wall ms of the whole run, and median of the slowest NIC's
# time from carrier to its first LACPDU (the verdict for a partner).
bench() {
	local label=$1 n i t0 t1 walls=() verdicts=() v
	shift
	n=$(printf '%s\n' "$@" | grep -c '^eth')
	for i in $(seq "$runs"); do
		t0=$(date +%s%N)
		lab_client "$pxebond" probe --json --no-lldp-tx "$@" >"$LAB_DIR/b.json" 2>/dev/null
		t1=$(date +%s%N)
		walls+=($(((t1 - t0) / 1000000)))
		v=$(jq '[.interfaces[] | select(.lacp.detected) | .lacp.elapsed_ms] | max // "-"' "$LAB_DIR/b.json")
		verdicts+=("$v")
		sleep 1.5
	done
	printf '%-34s wall %5s ms   slowest LACP answer %4s ms   detected %s/%s\n' "$label" \
		"$(printf '%s\n' "${walls[@]}" | median)" \
		"$(printf '%s\n' "${verdicts[@]}" | grep -v - | median)" \
		"$(jq '[.interfaces[] | select(.lacp.detected)] | length' "$LAB_DIR/b.json")" "$n"
}

echo "probe, median of $runs runs (Open vSwitch 3.1, userspace datapath, veth):"
bench "active fast, 2 NICs" eth0 eth1
bench "active fast, 4 NICs" eth0 eth1 eth2 eth3
bench "passive slow, 2 NICs" eth4 eth5
bench "passive slow, 4 NICs" eth4 eth5 eth6 eth7
bench "no LACP, 2 NICs" eth8 eth9
bench "no LACP, 4 NICs" eth8 eth9 eth10 eth11
bench "--passive: active fast, 2 NICs" --passive eth12 eth13
bench "--passive: active fast, 4 NICs" --passive eth12 eth13 eth14 eth15
bench "--passive: passive slow, 2 NICs" --passive eth4 eth5
bench "--passive: no LACP, 2 NICs" --passive eth8 eth9
bench "--passive: no LACP, 4 NICs" --passive eth8 eth9 eth10 eth11
