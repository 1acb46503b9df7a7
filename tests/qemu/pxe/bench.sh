#!/bin/bash
# PXE lab timings for `make bench`: real PXE boots (QEMU TCG, iPXE ROM, Open vSwitch,
# dnsmasq, HTTP) into Debian's stock dracut image, from QEMU's start to the live root.
# Prints figures; asserts nothing (docs/benchmarks.md keeps them).
#
# One `variant NAME SWITCH IMAGE 'ARGS' [INITRD...]` line per variant; the pxebond
# overlay is one more line, an initrd appended to the stock image and no per-machine
# settings (see the end of this file).
# Columns, all seconds from QEMU's start (host clock) but "uptime": kernel = its first
# console line (SeaBIOS, iPXE's DHCP and downloads, decompression before it); enslaved =
# guest uptime when the first NIC joined bond0; lease = the kernel's DHCPACK on the wire;
# root = the live root's first line; uptime = the guest's uptime then.
# Usage: tests/qemu/pxe/bench.sh   (root). RUNS=3 boots each variant 3 times (median
# shown; default 1), PXB_PXE_BENCH="handwritten" runs a subset.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
runs=${RUNS:-1}
only=${PXB_PXE_BENCH:-}
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/lab.sh"

legacy=$("$here/mkdracut.sh" legacy) || lab_die "mkdracut.sh legacy failed"
pxe_lab_start "$root/build/qemu/pxe/bench"
live="root=live:http://$PXE_SERVER/root.squashfs rd.live.overlay.overlayfs=1"
handbond="bond=bond0:eth0,eth1:mode=802.3ad,miimon=100,lacp_rate=fast ip=bond0:dhcp"
out=$PXE_WORK/bench.txt

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }
# col FILE N: the median of column N over the runs, "-" where a run had none.
col() { awk -v n="$2" '$n != "-" { print $n }' "$1" | median; }

printf 'PXE boot to the live root (QEMU %s, %s run(s) each, median; seconds from QEMU start):\n' \
	"${PXB_QEMU_ACCEL:-tcg}" "$runs" | tee "$out"
printf '%-16s %-8s %7s %9s %7s %7s %7s\n' variant switch kernel enslaved lease root uptime |
	tee -a "$out"

# variant NAME SWITCH IMAGE 'ARGS' [INITRD...]: RUNS boots, one line of medians.
variant() {
	local name=$1 sw=$2 img=$3 args=$4 i f runsf initrds=() k e l r u
	shift 4
	[ -z "$only" ] || [[ " $only " == *" $name "* ]] || return 0
	initrds=(--initrd "$img")
	for f in "$@"; do initrds+=(--initrd "$f"); done
	runsf=$PXE_WORK/$name.runs
	: >"$runsf"
	for i in $(seq "$runs"); do
		pxe_boot "$name-$i" --switch "$sw" "${initrds[@]}" --append "$args" --timeout 300
		k=$(pxe_time "$name-$i" kernel_s) e=$(pxe_uptime_at "$name-$i" 'bond0: \(slave')
		l=$(pxe_lease_s "$name-$i") r=$(pxe_time "$name-$i" live_s)
		u=$(pxe_time "$name-$i" live_uptime)
		echo "${k:--} ${e:--} ${l:--} ${r:--} ${u:--}" >>"$runsf"
	done
	printf '%-16s %-8s %7s %9s %7s %7s %7s\n' "$name" "$sw" "$(col "$runsf" 1)" \
		"$(col "$runsf" 2)" "$(col "$runsf" 3)" "$(col "$runsf" 4)" "$(col "$runsf" 5)" |
		tee -a "$out"
}

variant handwritten strict "$legacy" "$handbond rd.neednet=1 $live"
variant plain-stock plain "$legacy" "ip=dhcp rd.neednet=1 $live"
# The overlay: the same stock image, pxebond's cpio appended, no bond= or ip= written
# for the machine, e.g.:
# variant overlay strict "$legacy" "rd.neednet=1 $live" "$root/build/pxebond-overlay.cpio.gz"
echo "(also in $out; consoles and captures in $PXE_WORK)"
