#!/bin/bash
# Fetch Debian's kernel for the QEMU lab: vmlinuz plus the few modules the guests
# need (bonding, virtio NICs, bridge, 8021q), with their dependencies, in load order.
# The package, its download and unpacking are debian-kernel.sh's (shared with the rescue).
#
# Usage: fetch-kernel.sh OUTDIR
# Writes into OUTDIR: vmlinuz; vmlinux (its ELF payload, boots faster); kver; kpkg
# (package and version); lib/modules/KVER/{kernel/...,modules.order,modules.builtin*}
# (enough for `depmod -b`); modules.load (paths relative to OUTDIR, dependencies first,
# one per line: what the guest's init insmods).
# Env: PXB_QEMU_CACHE (default build/qemu) holds the .deb and its extraction;
#      PXB_QEMU_KPKG forces the kernel package (default: what linux-image-amd64 depends on);
#      PXB_QEMU_MODULES overrides the module list.
set -euo pipefail

out=${1:?usage: fetch-kernel.sh OUTDIR}
modules=${PXB_QEMU_MODULES:-bonding virtio_net virtio_pci bridge 8021q}
# shellcheck source=tests/qemu/debian-kernel.sh
. "$(dirname "$0")/debian-kernel.sh"

dk_fetch || exit 1
deb=$DK_DEB
# make-style: nothing to do when OUTDIR was built from this .deb with this module list.
stamp="$(basename "$deb") $modules"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
	exit 0
fi

dk_unpack || exit 1
kver=$DK_KVER
kmod=$DK_KMOD
src=$DK_SRC
# shellcheck disable=SC2086 # one word per module
dk_closure $modules af_packet || exit 1
order=("${DK_ORDER[@]}")

rm -rf "$out"
mkdir -p "$out/lib/modules/$kver"
cp "$src/boot/vmlinuz-$kver" "$out/vmlinuz"
# The bzImage's xz payload is an ELF with a PVH entry note: QEMU boots that directly,
# skipping SeaBIOS's real-mode loader and the xz decompression that TCG makes slow
# (measured: /init after 2.2 s instead of 4.8 s). Same trick as scripts/extract-vmlinux.
off=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$out/vmlinuz" | awk -F: 'NR == 1 { print $1 }')
if [ -n "$off" ]; then
	# xz stops at the end of its stream, so tail may die of SIGPIPE: judge xz alone.
	(set +o pipefail; tail -c +$((off + 1)) "$out/vmlinuz" | xz -dc --single-stream >"$out/vmlinux")
fi
cp "$kmod"/modules.{order,builtin,builtin.modinfo} "$out/lib/modules/$kver/"
: >"$out/modules.load"
for rel in "${order[@]}"; do
	mkdir -p "$out/lib/modules/$kver/$(dirname "$rel")"
	cp "$kmod/$rel" "$out/lib/modules/$kver/$rel"
	echo "lib/modules/$kver/$rel" >>"$out/modules.load"
done
echo "$kver" >"$out/kver"
# shellcheck disable=SC2016 # dpkg-deb expands these
dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >"$out/kpkg"
echo "$stamp" >"$out/.stamp"
echo "fetch-kernel: $kver, ${#order[@]} modules in $out" >&2
