#!/bin/bash
# The demo (make demo): two QEMU guests, an install server behind a Linux 802.3ad bond
# (standing in for a switch with an LACP port-channel) and an installer that runs
# `pxebond probe`, then `pxebond up` from its kernel command line, fetches its
# kickstart over the bond, and has `pxebond write` write the bond for the installed system. About 15 s under TCG; no root, no network.
#
#   installer                              install server
#   eth0 52:54:00:b0:02:00 ----cable---- eth0 \ bond0 802.3ad, active, fast LACP
#   eth1 52:54:00:b0:02:01 ----cable---- eth1 /   in br0 10.0.0.1/24: DHCP, HTTP
#
# Env: PXEBOND (default build/pxebond, built if missing), PXB_QEMU_PORT (base UDP port).
# Guest consoles: build/qemu/logs/demo-{server,installer}.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/demo
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 5000 * 2))}
pxebond=${PXEBOND:-$root/build/pxebond}
t0=$SECONDS
# shellcheck source=tests/qemu/host.sh
. "$here/host.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -t 1 ] || say() { printf '\n== %s\n' "$*"; }

[ -x "$pxebond" ] || make -C "$root" --no-print-directory build/pxebond
rm -rf "$work"
mkdir -p "$work/www"
cp "$pxebond" "$work/pxebond"
cp "$here/www/ks.cfg" "$work/www/ks.cfg"
: >"$work/www/payload.bin"
say "Building the two guests' initramfs (Debian's kernel, busybox, pxebond)"
"$here/mkinitrd.sh" "$work/server.cpio.gz" --init "$here/scenarios/server.sh" \
	--add "$work/www:/www"
"$here/mkinitrd.sh" "$work/client.cpio.gz" --init "$here/scenarios/client-up.sh" \
	--add "$work/pxebond:/bin/pxebond"

spid=''
# shellcheck disable=SC2317 # called from the trap
stop() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap stop EXIT

say "Booting the install server: Linux bond0 (802.3ad, active, fast) over eth0+eth1," \
	"bridged with 10.0.0.1/24, udhcpd and httpd"
"$here/run-guest.sh" -i "$work/server.cpio.gz" -n demo-server -g 1 -t 300 \
	-a "pxb.lacp=fast" "udp:$((port + 1)):$port" "udp:$((port + 3)):$((port + 2))" \
	>"$work/server.out" &
spid=$!
if ! qemu_wait_ready "$work/server.out" "$spid"; then
	echo "demo: the server did not come up; see build/qemu/logs/demo-server.log" >&2
	exit 1
fi
sed -n 's/^@@PXB result bond /   server: /p' "$work/server.out"

cmdline="pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg BOOTIF=01-52-54-00-b0-02-00"
say "Booting the installer, two NICs cabled to those ports; on its kernel command line:"
echo "   $cmdline"
rc=0
"$here/run-guest.sh" -i "$work/client.cpio.gz" -n demo-installer -g 2 -t 120 \
	-a "$cmdline pxb.do=probe,up1,show,write" "udp:$port:$((port + 1))" \
	"udp:$((port + 2)):$((port + 3))" 2>"$work/client.err" | while IFS= read -r line; do
	case $line in
	'@@PXB step probe '*)
		say "pxebond probe: one active LACPDU per NIC, and who answers" ;;
	'@@PXB step up1 '*)
		say "pxebond up: probe, decide, bond with the probe's LACP identity, wait for the" \
			"kernel's 802.3ad state, DHCP, check the install server" ;;
	'@@PXB section bond')
		say "The kernel's view (/proc/net/bonding/bond0): both ports in one aggregator," \
			"the partner is the server's bond" ;;
	'@@PXB section state')
		say "pxebond status: what it leaves for the installer (/run/pxebond/state)" ;;
	'@@PXB section ks')
		say "The kickstart, fetched over the bond" ;;
	'@@PXB step write '*)
		say "pxebond write: the same bond for the installed system (here systemd-networkd;" \
			"members by permanent MAC, the bond's MAC kept)" ;;
	'@@PXB show '*) printf '   %s\n' "${line#@@PXB show }" ;;
	'@@PXB log up1 '*) printf '   %s\n' "${line#@@PXB log up1 }" ;;
	'@@PXB result rc up1 '*) printf '   (exit status %s)\n' "${line#@@PXB result rc up1 }" ;;
	esac
done || rc=$?
say "Done in $((SECONDS - t0)) s; stopping the server"
stop
spid=''
if [ "$rc" != 0 ]; then
	cat "$work/client.err" >&2
	echo "demo: the installer failed (status $rc); see build/qemu/logs/demo-installer.log" >&2
	exit 1
fi
