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
# The overlay: the same stock image, pxebond's cpio appended, the user's usual ip=dhcp,
# nothing written for the machine.
overlay=$root/build/pxebond-overlay.cpio.gz
[ -f "$overlay" ] || lab_die "no $overlay (make overlay)"
variant overlay strict "$legacy" "ip=dhcp rd.neednet=1 $live" "$overlay"
variant plain-stock plain "$legacy" "ip=dhcp rd.neednet=1 $live"

# pxebond's own part of the overlay boots, from the guest's console (kernel timestamps):
# NIC drivers loaded (its hook loads them) to the lease, and to the hand-off to dracut.
if [ -z "$only" ] || [[ " $only " == *" overlay "* ]]; then
	printf '\npxebond in the overlay boots (guest uptime, median of %s):\n' "$runs" | tee -a "$out"
	for i in $(seq "$runs"); do
		d=$(pxe_uptime_at "overlay-$i" 'pxebond: NIC drivers loaded')
		l=$(pxe_uptime_at "overlay-$i" 'pxebond: bond0: lease ')
		h=$(pxe_uptime_at "overlay-$i" 'pxebond: bond0 handed to')
		[ -n "$d" ] && [ -n "$l" ] && [ -n "$h" ] &&
			awk -v d="$d" -v l="$l" -v h="$h" 'BEGIN { printf "%.2f %.2f\n", l - d, h - d }'
	done >"$PXE_WORK/overlay.pxebond"
	printf '  NIC drivers loaded to lease: %s s; to the hand-off to dracut: %s s\n' \
		"$(col "$PXE_WORK/overlay.pxebond" 1)" "$(col "$PXE_WORK/overlay.pxebond" 2)" | tee -a "$out"
fi
echo "(also in $out; consoles and captures in $PXE_WORK)"
