#!/bin/bash
# An installer ISO for the virtual-media scenarios: Debian's netboot installer (its text
# frontend's kernel and initrd.gz, from fetch-di.sh) on a CD that boots under BIOS and
# UEFI (grub-mkrescue: GRUB's El Torito images for both, hybrid MBR/GPT, and the Apple
# HFS+ hybrid it adds by default), with the lab admin's usual unattended command line.
# Debian's archive carries no installer ISO; this is what an admin would make from the
# netboot files. Cached: rebuilt only when the installer or this script changes.
#
# Usage: mkdi-iso.sh DI_DIR OUT.iso    (DI_DIR: fetch-di.sh's, with linux and initrd.gz)
set -euo pipefail

di=${1:?usage: mkdi-iso.sh DI_DIR OUT.iso}
out=${2:?usage: mkdi-iso.sh DI_DIR OUT.iso}
for t in grub-mkrescue xorriso mformat; do
	command -v "$t" >/dev/null || { echo "mkdi-iso: $t missing (scripts/deps.sh)" >&2; exit 1; }
done
for p in i386-pc x86_64-efi; do
	[ -d "/usr/lib/grub/$p" ] || { echo "mkdi-iso: no GRUB for $p (grub-pc-bin, grub-efi-amd64-bin)" >&2; exit 1; }
done
key=$(cat "$di/version" "$0" | sha256sum | cut -c1-16)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/install.amd" "$tree/boot/grub"
cp "$di/linux" "$di/initrd.gz" "$tree/install.amd/"
# The serial console for the kernel and the installer's text frontend (the lab reads
# ttyS0); GRUB boots the one entry at once.
cat >"$tree/boot/grub/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200
terminal_output serial console
set timeout=0
menuentry 'Install (unattended, preseed from the install server)' {
	linux /install.amd/linux console=ttyS0 panic=-1 auto=true priority=critical url=http://10.0.0.1/preseed.cfg netcfg/choose_interface=auto DEBIAN_FRONTEND=text
	initrd /install.amd/initrd.gz
}
EOF
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out.tmp" "$tree" -- -volid PXB_DI_NETBOOT >"$tree.log" 2>&1 ||
	{ cat "$tree.log" >&2; rm -f "$tree.log"; exit 1; }
rm -f "$tree.log"
mv "$out.tmp" "$out"
echo "$key" >"$out.key"
echo "mkdi-iso: $out ($(stat -c %s "$out") bytes)" >&2
