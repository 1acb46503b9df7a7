#!/bin/bash
# The PXE part of `make demo` (root): a real PXE boot through a strict LACP LAG. QEMU's
# iPXE ROM boots a server with two NICs through Open vSwitch (an LACP bond, no fallback)
# into Debian's stock dracut initramfs with build/pxebond-overlay.cpio.gz appended and
# the usual `ip=dhcp`, nothing per machine. pxebond takes the LAG over in the initramfs
# and hands bond0 to dracut, which fetches its live root over it. Without the overlay
# this machine gets no DHCP lease once the kernel runs (qemu-pxe's baseline shows it).
# About 2 minutes under TCG (the first run also builds the image, ~25 s).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
overlay=$root/build/pxebond-overlay.cpio.gz

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -t 1 ] || say() { printf '\n== %s\n' "$*"; }

[ -f "$overlay" ] || make -C "$root" --no-print-directory build/pxebond-overlay.cpio.gz
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/lab.sh"

say "Building Debian's stock dracut initramfs (network-legacy, livenet; cached)"
img=$("$here/mkdracut.sh" legacy) || lab_die "mkdracut.sh failed"
stat -c '   %9s  %n' "$img" "$overlay"
pxe_lab_start "$root/build/qemu/pxe/demo"
say "The switch: Open vSwitch, the two ports in an LACP bond (active, fast, no fallback)"
pxe_switch strict
lab_vsctl get port lag other_config | sed 's/^/   /'

live="root=live:http://$PXE_SERVER/root.squashfs rd.live.overlay.overlayfs=1"
# shellcheck disable=SC2016 # iPXE expands it
args="ip=dhcp rd.neednet=1 BOOTIF=01-\${netX/mac:hexhyp} $live"
say "PXE boot: iPXE fetches the kernel, the stock initramfs and the overlay; kernel line:"
echo "   $args"
pxe_boot demo --switch strict --initrd "$img" --initrd "$overlay" --append "$args" \
	--timeout 300 || true

say "What pxebond said on the console (one line per decision):"
grep -a '^\[ *[0-9.]*\] pxebond: ' "$PXE_WORK/demo.console" | sed 's/^/   /'
say "The live root, reached over the bond (its own report after switch_root):"
pxe_pxb demo live | sed 's/^/   live root reached, guest uptime /'
pxe_pxb demo addr | sed 's/^/   address: /'
pxe_pxb demo bonding | grep -E '^(Bonding Mode|Slave Interface|Aggregator ID|	Partner Mac Address)' |
	sed 's/^/   /'
pxe_pxb demo pxebond | sed 's/^/   \/run\/pxebond\/state: /'
say "The switch's view when the live root reported:"
sed -n '/^== live root reached/,/^== /p' "$PXE_WORK/demo.switch" |
	grep -E '^(== |member|	partner state|	actor state)' | sed 's/^/   /'
say "Seconds from QEMU start: kernel $(pxe_time demo kernel_s), live root $(pxe_time demo live_s)"
echo "(consoles and captures in $PXE_WORK)"
[ -n "$(pxe_pxb demo live)" ]
