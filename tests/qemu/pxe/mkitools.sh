#!/bin/bash
# Builds the PXE lab's initramfs-tools images from Debian's own packages: a bookworm
# chroot (mmdebstrap, minbase plus initramfs-tools, zstd, busybox, live-boot and
# dropbear-initramfs), Debian's kernel modules the lab needs (from fetch-kernel.sh's
# package), and in it, with Debian's mkinitramfs:
#   live.img   a stock live-boot initramfs (what a Debian live image's initrd.img is)
#   hook.img   an installed system's initramfs with dropbear-initramfs and pxebond's
#              hook enabled (PXEBOND=y), as `make install` and update-initramfs make it
# plus the live system itself: filesystem.squashfs (busybox, tests/qemu/pxe/live-init.sh
# as /sbin/init, a payload), and the same tree unpacked as nfsroot/ for NFS roots.
# Each part is cached by its inputs (the chroot by this script and the package list; the
# images by the chroot, the kernel and, for hook.img, pxebond's binary and glue); an
# unchanged input costs nothing.
#
# Usage: mkitools.sh [OUTDIR]   (default build/qemu/pxe/itools; root: chroot)
# Writes OUTDIR/{live.img,hook.img,filesystem.squashfs,nfsroot/,sha256,key,key.pub}:
# sha256 holds "HASH root" (nfsroot's /payload/root.bin); key is the ed25519 key
# hook.img's dropbear lets in (root, key only).
# Env: PXB_ITOOLS_MIRROR (default: where this machine's apt gets bookworm main).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$root/build/qemu/pxe/itools}
mkdir -p "$out"
out=$(cd "$out" && pwd)

busybox=$(command -v busybox)
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkitools: need a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
for t in mmdebstrap mksquashfs ssh-keygen; do
	command -v "$t" >/dev/null || { echo "mkitools: $t missing (scripts/deps.sh)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "mkitools: needs root (chroot)" >&2; exit 1; }

say() { echo "mkitools: $*" >&2; }
hash() { sha256sum | cut -c1-16; }

# ---- the chroot: Debian's initramfs-tools, live-boot and dropbear-initramfs, as an
# admin's apt would install them (Recommends too: busybox, zstd)
pkgs=initramfs-tools,zstd,busybox,live-boot,dropbear-initramfs
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
mirror=${PXB_ITOOLS_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' 2>/dev/null |
	awk '$2 == "bookworm" && $3 == "main" && $4 == "Packages" { print $1; exit }')}
mirror=${mirror:-http://deb.debian.org/debian/}
ch=$out/chroot
chkey=$(printf '%s\n' "$pkgs" "$mirror" "$(sed -n '/^# ---- the chroot/,/^# ---- end of chroot/p' "$0")" | hash)
if [ ! -f "$ch/.pxb-stamp" ] || [ "$(cat "$ch/.pxb-stamp")" != "$chkey" ]; then
	rm -rf "$ch" "$out"/*.img "$out"/*.key
	say "mmdebstrap bookworm ($pkgs) from $mirror"
	mmdebstrap --variant=minbase --include="$pkgs" bookworm "$ch" "$mirror" \
		>"$out/mmdebstrap.log" 2>&1 || { tail -n 20 "$out/mmdebstrap.log" >&2; exit 1; }
	# What the hook image's dropbear lets in, and what the live image leaves out: the
	# packages' own boot scripts and hooks, moved aside per image (hide, below).
	mkdir -p "$ch/.pxb-hidden"
	echo "$chkey" >"$ch/.pxb-stamp"
fi
# ---- end of chroot

# ---- Debian's kernel: the modules the images need, with their dependencies
"$root/tests/qemu/fetch-kernel.sh" "$root/build/qemu/kernel"
# shellcheck source=tests/qemu/debian-kernel.sh
. "$root/tests/qemu/debian-kernel.sh"
dk_fetch >/dev/null
dk_unpack
kver=$DK_KVER
kmods='virtio_net virtio_pci bonding squashfs overlay loop nfs nfsv3'
kkey=$(printf '%s\n' "$(basename "$DK_DEB")" "$kmods" | hash)
if [ ! -f "$ch/lib/modules/.pxb-stamp" ] || [ "$(cat "$ch/lib/modules/.pxb-stamp")" != "$kkey" ]; then
	# shellcheck disable=SC2086 # one word per module
	dk_closure $kmods
	rm -rf "$ch/lib/modules" "$ch/boot/config-"*
	mkdir -p "$ch/lib/modules/$kver"
	for m in "${DK_ORDER[@]}"; do
		mkdir -p "$ch/lib/modules/$kver/$(dirname "$m")"
		cp "$DK_KMOD/$m" "$ch/lib/modules/$kver/$m"
	done
	cp "$DK_KMOD"/modules.{order,builtin,builtin.modinfo} "$ch/lib/modules/$kver/"
	depmod -b "$ch" "$kver"
	# mkinitramfs reads the kernel's config (which compressions it can unpack).
	cp "$DK_SRC/boot/config-$kver" "$ch/boot/"
	echo "$kkey" >"$ch/lib/modules/.pxb-stamp"
fi

# hide PATH... / unhide: the boot scripts and hooks of the packages an image has not
# (a stock live image has no dropbear, an installed system no live-boot).
hidden=()
hide() {
	local p
	for p in "$@"; do
		[ -e "$ch$p" ] || continue
		mkdir -p "$ch/.pxb-hidden$(dirname "$p")"
		mv "$ch$p" "$ch/.pxb-hidden$p"
		hidden+=("$p")
	done
}
unhide() {
	local p
	for p in "${hidden[@]}"; do mv "$ch/.pxb-hidden$p" "$ch$p"; done
	hidden=()
}
trap unhide EXIT
itd=/usr/share/initramfs-tools
dropbear_files=("$itd/hooks/dropbear" "$itd/scripts/init-premount/dropbear"
	"$itd/scripts/init-bottom/dropbear" "$itd/conf-hooks.d/dropbear")
live_files=("$itd/hooks/live" "$itd/scripts/live" "$itd/hooks/kms")
pxebond_files=("$itd/hooks/pxebond" "$itd/scripts/init-premount/pxebond"
	/etc/initramfs-tools/conf.d/pxebond)

# mkimg NAME KEY: NAME.img from the chroot as it is now, unless built from KEY already.
mkimg() {
	if [ -f "$out/$1.img" ] && [ "$(cat "$out/$1.key" 2>/dev/null)" = "$2" ]; then
		return 0
	fi
	say "mkinitramfs $1.img for $kver"
	if ! chroot "$ch" mkinitramfs -o "/tmp/$1.img" "$kver" >"$out/$1.log" 2>&1; then
		tail -n 20 "$out/$1.log" >&2
		exit 1
	fi
	mv "$ch/tmp/$1.img" "$out/$1.img"
	chmod 0644 "$out/$1.img"
	echo "$2" >"$out/$1.key"
}

# ---- live.img: initramfs-tools + live-boot, nothing of pxebond or dropbear
hide "${dropbear_files[@]}" "${pxebond_files[@]}"
mkimg live "$chkey $kkey"
unhide

# ---- hook.img: the installed system's: pxebond installed as `make install` does, the
# hook enabled, dropbear-initramfs with the test key
if [ ! -f "$out/key" ]; then
	rm -f "$out/key" "$out/key.pub"
	ssh-keygen -q -t ed25519 -N '' -C pxebond-itools-test -f "$out/key"
fi
make --no-print-directory -C "$root" install DESTDIR="$ch" PREFIX=/usr/local >"$out/install.log" 2>&1 ||
	{ tail -n 20 "$out/install.log" >&2; exit 1; }
echo PXEBOND=y >"$ch/etc/initramfs-tools/conf.d/pxebond"
install -m 0600 "$out/key.pub" "$ch/etc/dropbear/initramfs/authorized_keys"
hkey=$({
	echo "$chkey $kkey"
	cat "$out/key.pub" "$ch/etc/initramfs-tools/conf.d/pxebond"
	find "$ch/usr/local/sbin/pxebond" "$ch/usr/local/share/pxebond/initramfs-tools" \
		"$ch$itd/hooks/pxebond" "$ch$itd/scripts/init-premount/pxebond" -type f -print0 |
		LC_ALL=C sort -z | xargs -0 sha256sum
} | hash)
hide "${live_files[@]}"
mkimg hook "$hkey"
unhide

# ---- the live system: busybox, live-init.sh as /sbin/init, a payload; squashed for
# live-boot's fetch=, unpacked for NFS roots
rkey=$(cat "$0" "$here/live-init.sh" "$busybox" | hash)
if [ ! -f "$out/filesystem.squashfs" ] || [ "$(cat "$out/root.key" 2>/dev/null)" != "$rkey" ]; then
	r=$out/nfsroot
	rm -rf "$r" "$out/filesystem.squashfs"
	mkdir -p "$r"/{bin,sbin,dev,proc,sys,run,tmp,etc,root,payload,usr/lib}
	cp "$busybox" "$r/bin/busybox"
	for a in $("$busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
	done
	install -m 0755 "$here/live-init.sh" "$r/sbin/init"
	printf 'root:x:0:0:root:/:/bin/sh\n' >"$r/etc/passwd"
	printf 'NAME="pxebond PXE lab live root"\nID=pxb-live\n' >"$r/usr/lib/os-release"
	ln -s ../usr/lib/os-release "$r/etc/os-release"
	dd if=/dev/urandom of="$r/payload/root.bin" bs=64k count=16 status=none
	echo "$(sha256sum <"$r/payload/root.bin" | cut -d' ' -f1) root" >"$out/sha256"
	mksquashfs "$r" "$out/filesystem.squashfs" -quiet -noappend -all-root -no-progress >/dev/null
	echo "$rkey" >"$out/root.key"
	say "$(du -h "$out/filesystem.squashfs" | cut -f1) filesystem.squashfs"
fi
