#!/bin/bash
# FAI's nfsroot and its squashfs image for the PXE lab, built with FAI's own tools from
# Debian's archive and cached: `fai-make-nfsroot` (FAI 6.0.3, dracut initrd with
# network-legacy and livenet, sysvinit, FAI as rcS) with the lab's small package list
# (tests/qemu/fai/NFSROOT), then `fai-cd -M -S` (the image dracut's livenet boots with
# root=live:http://...). Shared by the qemu-fai tier (tests/qemu/test-fai.sh) and
# `make fai-loop` (tests/qemu/fai/loop.sh), so a machine builds it once.
#
# Usage: nfsroot.sh [OUTDIR]   (root; default build/qemu/fai)
# Writes OUTDIR/nfsroot/ (the tree), OUTDIR/squash.img, OUTDIR/vmlinuz and
# OUTDIR/initrd.img (the nfsroot's kernel and FAI's initrd: what a PXE config boots),
# OUTDIR/etc/ (the fai-make-nfsroot configuration it used), OUTDIR/nfsroot.log,
# OUTDIR/fai-cd.log, OUTDIR/BUILD (sourceable: kver, nfsroot_s, image_s, sizes).
# Rebuilt only when an input changes: this script, NFSROOT, the mirror URL, and the
# versions of fai-server, fai-client and debootstrap on this machine (1 s to check;
# about 2.5 minutes to build on 2 cores).
#
# How it differs from `fai-setup` on an install server, and why:
#   - -g (generic): no host entries, resolv.conf, apt lists or fai.conf of this machine
#     in the image (so FAI's fai.conf default LOGUSER=fai does not make every client
#     try to save its logs over ssh to an account the lab does not have); -z: the base
#     system's tarball (what FAI extracts onto the target) as zstd, faster than xz;
#   - its apt sources are the lab's mirror (PXB_FAI_MIRROR, default
#     http://10.0.0.1/debian): an NFSROOT hook writes them once the build (from this
#     machine's Debian archive) is done, as a site's /etc/fai/apt/sources.list names
#     its own mirror. FAI copies them into the installed system.
# fai-make-nfsroot also writes /var/log/fai/fai-make-nfsroot.log and
# /var/log/fai/variables on this machine (it always does).
# Env: PXB_FAI_MIRROR, PXB_FAI_FORCE=1 (rebuild).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$root/build/qemu/fai}
mirror_url=${PXB_FAI_MIRROR:-http://10.0.0.1/debian}
suite=bookworm

[ "$(id -u)" = 0 ] || { echo "nfsroot: needs root (fai-make-nfsroot)" >&2; exit 1; }
for t in fai-make-nfsroot fai-cd debootstrap mksquashfs mkfs.vfat mcopy; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ] ||
		{ echo "nfsroot: $t missing (scripts/deps.sh)" >&2; exit 1; }
done
PATH=$PATH:/usr/sbin:/sbin
mkdir -p "$out"
out=$(cd "$out" && pwd)

# shellcheck disable=SC2016 # dpkg-query's format
stamp="$(cat "$0" "$here/NFSROOT" | sha256sum | cut -d' ' -f1) $mirror_url
$(dpkg-query -W -f='${Package} ${Version}\n' fai-server fai-client debootstrap 2>/dev/null)"
if [ "${PXB_FAI_FORCE:-0}" != 1 ] && [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] &&
	[ -s "$out/squash.img" ] && [ -s "$out/initrd.img" ]; then
	echo "nfsroot: $out is up to date ($(sed -n 's/^kver=//p' "$out/BUILD"))" >&2
	exit 0
fi

# Where this machine gets bookworm main (deb.debian.org if its sources say nothing).
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
base=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' 2>/dev/null |
	awk -v s="$suite" '$2 == s && $3 == "main" && $4 == "Packages" { print $1; exit }')
base=${base:-http://deb.debian.org/debian/}
base=${base%/}

nfs=$out/nfsroot
etc=$out/etc
# Nothing of an interrupted build may stay mounted (fai-make-nfsroot mounts proc, sys,
# devpts and two tmpfs in the tree; fai-cd bind-mounts over it).
unmount_tree() {
	local m
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(awk -v p="$nfs/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r)
}
trap unmount_tree EXIT
unmount_tree
rm -rf "$nfs" "$etc" "$out/squash.img" "$out/stamp"
mkdir -p "$etc/apt" "$etc/nfsroot-hooks" "$etc/config/class" /var/log/fai

cp "$here/NFSROOT" "$etc/NFSROOT"
echo "deb $base $suite main" >"$etc/apt/sources.list"
cat >"$etc/fai.conf" <<-'EOF'
	# fai.conf for the PXE lab's nfsroot (tests/qemu/fai/nfsroot.sh): nothing to set.
EOF
cat >"$etc/nfsroot.conf" <<-EOF
	# nfsroot.conf(5) for the PXE lab (tests/qemu/fai/nfsroot.sh)
	FAI_DEBOOTSTRAP="$suite $base"
	FAI_DEBOOTSTRAP_OPTS=
	NFSROOT=$nfs
	TFTPROOT=$out/tftp
	NFSROOT_HOOKS=$etc/nfsroot-hooks
	# fai-cd insists on a config space with a class/ directory, even with -d
	FAI_CONFIGDIR=$etc/config
EOF
# Sourced by fai-make-nfsroot at the end of the build, with NFSROOT set.
cat >"$etc/nfsroot-hooks/50-lab-mirror" <<-EOF
	# The lab's mirror (tests/qemu/fai/mirror.sh) for the install clients; FAI copies
	# this file into the installed system.
	echo "deb $mirror_url $suite main" >"\$NFSROOT/etc/apt/sources.list"
EOF
# fai-cd checks that a grub.cfg exists even when it makes only the squashfs image.
echo '# not used: fai-cd -S makes no ISO' >"$etc/grub.cfg"

echo "nfsroot: fai-make-nfsroot into $nfs (log: $out/nfsroot.log)" >&2
t0=$SECONDS
if ! fai-make-nfsroot -g -z -v -C "$etc" >"$out/nfsroot.log" 2>&1; then
	tail -n 20 "$out/nfsroot.log" >&2
	echo "nfsroot: fai-make-nfsroot failed (log: $out/nfsroot.log)" >&2
	exit 1
fi
t_nfs=$((SECONDS - t0))
unmount_tree

t0=$SECONDS
rm -f "$out/squash.img.new"
if ! fai-cd -C "$etc" -M -S -d "${mirror_url%/*}/config.tar.gz" "$out/squash.img.new" >"$out/fai-cd.log" 2>&1; then
	tail -n 20 "$out/fai-cd.log" >&2
	echo "nfsroot: fai-cd -S failed (log: $out/fai-cd.log)" >&2
	exit 1
fi
mv "$out/squash.img.new" "$out/squash.img"
t_img=$((SECONDS - t0))

kver=$(find "$nfs/boot" -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n1)
if [ -z "$kver" ] || [ ! -s "$nfs/boot/initrd.img-$kver" ]; then
	echo "nfsroot: no kernel or initrd in $nfs/boot" >&2
	exit 1
fi
ln -sfn "nfsroot/boot/vmlinuz-$kver" "$out/vmlinuz"
ln -sfn "nfsroot/boot/initrd.img-$kver" "$out/initrd.img"
cat >"$out/BUILD" <<-EOF
	kver=$kver
	fai=$(dpkg-query -W -f='${Version}' --admindir="$nfs/var/lib/dpkg" fai-client)
	dracut=$(dpkg-query -W -f='${Version}' --admindir="$nfs/var/lib/dpkg" dracut)
	nfsroot_s=$t_nfs
	image_s=$t_img
	nfsroot_mb=$(du -sm "$nfs" | cut -f1)
	image_mb=$(($(stat -c %s "$out/squash.img") / 1048576))
	initrd_mb=$(($(stat -L -c %s "$out/initrd.img") / 1048576))
EOF
echo "$stamp" >"$out/stamp"
# shellcheck source=/dev/null # just written
. "$out/BUILD"
# shellcheck disable=SC2154 # from BUILD
echo "nfsroot: FAI $fai, dracut $dracut, kernel $kver: nfsroot ${nfsroot_mb} MB in ${t_nfs} s," \
	"image ${image_mb} MB in ${t_img} s, initrd ${initrd_mb} MB" >&2
