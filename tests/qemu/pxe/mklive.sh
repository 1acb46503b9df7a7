#!/bin/bash
# Build the PXE lab's live root and payloads, without root privileges: a squashfs holding
# LiveOS/rootfs.img, an ext4 image (mke2fs -d) with static busybox, live-init.sh as
# /sbin/init and a payload file; plus a second payload that the live root fetches over
# the network. Cached: does nothing when OUTDIR was built from the same inputs.
#
# Usage: mklive.sh [OUTDIR]   (default build/qemu/pxe/live)
# Writes OUTDIR/root.squashfs (what root=live:http://SERVER/root.squashfs fetches),
# OUTDIR/payload-net.bin (served next to it) and OUTDIR/sha256 ("HASH root" and
# "HASH net": what the live root should report).
# Env: PXB_QEMU_BUSYBOX (default: busybox on PATH, must be static).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$root/build/qemu/pxe/live}

busybox=${PXB_QEMU_BUSYBOX:-$(command -v busybox || true)}
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then # ldd fails on static
	echo "mklive: need a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
PATH=$PATH:/usr/sbin:/sbin
for t in mke2fs mksquashfs; do
	command -v "$t" >/dev/null || { echo "mklive: $t missing (scripts/deps.sh)" >&2; exit 1; }
done

stamp=$(cat "$0" "$here/live-init.sh" "$busybox" | sha256sum | cut -c1-16)
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-live.XXXXXX")
trap 'rm -rf "$work"' EXIT
r=$work/root
mkdir -p "$r"/{bin,sbin,dev,proc,sys,run,tmp,etc,payload,usr/bin,usr/sbin} "$work/sq/LiveOS"
cp "$busybox" "$r/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$r/bin/$applet"
done
install -m 0755 "$here/live-init.sh" "$r/sbin/init"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$r/etc/passwd"
# systemd's switch_root refuses a root without os-release ("does not seem to be an OS
# tree"); dracut's shell init does not care.
mkdir -p "$r/usr/lib"
printf 'NAME="pxebond PXE lab live root"\nID=pxb-live\n' >"$r/usr/lib/os-release"
ln -s ../usr/lib/os-release "$r/etc/os-release"
# Payloads: 1 MiB of random bytes each, so a matching sha256 proves the whole file came
# through.
dd if=/dev/urandom of="$r/payload/root.bin" bs=64k count=16 status=none
dd if=/dev/urandom of="$work/payload-net.bin" bs=64k count=16 status=none

# 24 MiB, mostly free: the overlay on top takes the live root's writes, this stays
# read-only. -d copies the tree without mounting it; the squashfs packs the empty space.
mke2fs -q -t ext4 -L pxb-live -d "$r" -E root_owner=0:0 "$work/sq/LiveOS/rootfs.img" 24M >/dev/null
mksquashfs "$work/sq" "$work/root.squashfs" -quiet -noappend -all-root -no-progress >/dev/null

mkdir -p "$out"
{
	echo "$(sha256sum <"$r/payload/root.bin" | cut -d' ' -f1) root"
	echo "$(sha256sum <"$work/payload-net.bin" | cut -d' ' -f1) net"
} >"$out/sha256"
mv "$work/root.squashfs" "$work/payload-net.bin" "$out/"
echo "$stamp" >"$out/.stamp"
echo "mklive: $(du -h "$out/root.squashfs" | cut -f1) root.squashfs in $out" >&2
