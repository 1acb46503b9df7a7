#!/bin/bash
# Build the rescue image (docs/rescue.md): Debian's kernel and a gzip'd newc initramfs
# with the NIC, disk and bonding drivers (depmod'ed for busybox modprobe), Debian's
# static busybox, pxebond, dropbear with its shared libraries, and rescue/'s scripts.
# Reproducible (the same inputs give the same bytes), no root needed.
#
# Usage: mkrescue.sh PXEBOND OUTDIR
# Writes OUTDIR/vmlinuz, OUTDIR/initrd.img and OUTDIR/boot.ipxe (an example); does
# nothing when they were built from the same inputs.
# Env: PXB_RESCUE_NICS, PXB_RESCUE_DISKS (module lists, below), PXB_RESCUE_BUSYBOX (a
# static busybox, default the one on PATH), PXB_RESCUE_FORCE=1 (build even if current),
# and debian-kernel.sh's PXB_QEMU_CACHE and PXB_QEMU_KPKG.
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
pxebond=${1:?usage: mkrescue.sh PXEBOND OUTDIR}
out=${2:?usage: mkrescue.sh PXEBOND OUTDIR}

# Server NICs Debian's kernel drives without firmware files: virtual (virtio, e1000 and
# e1000e as QEMU and others emulate them, VMware's vmxnet3), Intel (e1000e, igb, igc,
# ixgbe, i40e, ice: ice runs in its safe mode without the DDP package), Broadcom (tg3,
# bnxt_en), NVIDIA Mellanox (mlx4_en, mlx5_core). Left out: those that need
# non-free firmware to pass traffic (bnx2, bnx2x, qede, many r8169 chips) and
# rarer ones; PXB_RESCUE_NICS takes any list.
nics=${PXB_RESCUE_NICS:-virtio_net virtio_pci e1000 e1000e vmxnet3 igb igc ixgbe i40e ice
	bnxt_en tg3 mlx4_en mlx5_core}
# A rescue needs the disks too: SATA/AHCI, NVMe, virtio, the common SAS/RAID HBAs
# (megaraid_sas, mpt3sas, smartpqi), ext4, xfs, vfat (the EFI partition), so that the
# installed system can be mounted and chrooted into. Not MD or device-mapper: busybox
# has neither mdadm nor lvm to assemble them.
disks=${PXB_RESCUE_DISKS:-ahci nvme sd_mod virtio_blk virtio_scsi megaraid_sas mpt3sas
	smartpqi ext4 xfs vfat nls_cp437 nls_ascii nls_utf8}

die() {
	echo "mkrescue: $*" >&2
	exit 1
}

busybox=${PXB_RESCUE_BUSYBOX:-$(command -v busybox || true)}
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then # ldd fails on static
	die "need a static busybox (apt-get install busybox-static)"
fi
PATH=$PATH:/usr/sbin:/sbin
dropbear=$(command -v dropbear || true)
dropbearkey=$(command -v dropbearkey || true)
if [ -z "$dropbear" ] || [ -z "$dropbearkey" ]; then
	die "need dropbear (apt-get install dropbear-bin)"
fi
for t in cpio depmod modinfo dpkg-deb gzip; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install cpio kmod dpkg gzip)"
done
[ -x "$pxebond" ] || die "$pxebond: no such program (make)"

# shared libraries of the dynamic programs, as the host's loader resolves them
libs() {
	# "\tlibz.so.1 => /lib/.../libz.so.1 (0x...)", "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
	ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF == 2 { print $1 }' |
		LC_ALL=C sort -u
}
mapfile -t shlibs < <(libs "$dropbear" "$dropbearkey")
[ "${#shlibs[@]}" -gt 0 ] || die "ldd found no libraries for dropbear"

# shellcheck source=tests/qemu/debian-kernel.sh
. "$root/tests/qemu/debian-kernel.sh"
dk_fetch || die "no kernel package"

# make-style: every input's bytes, the kernel package and the lists.
stamp=$(
	{
		cat "$0" "$root/tests/qemu/debian-kernel.sh" "$pxebond" "$busybox" "$dropbear" \
			"$dropbearkey" "${shlibs[@]}"
		find "$here" -type f ! -name mkrescue.sh -print0 | LC_ALL=C sort -z | xargs -0 cat
		echo "$(basename "$DK_DEB") | $nics | $disks"
	} | sha256sum | cut -c1-16
)
if [ "${PXB_RESCUE_FORCE:-0}" != 1 ] && [ -f "$out/.stamp" ] &&
	[ "$(cat "$out/.stamp")" = "$stamp" ]; then
	exit 0
fi

dk_unpack || die "cannot unpack $DK_DEB"
# shellcheck disable=SC2086 # one word per module
dk_closure bonding || die "no bonding driver in $DK_KVER"
# shellcheck disable=SC2086 # one word per module
dk_closure -o $nics $disks || die "a module's dependency is missing in $DK_KVER"

work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-rescue.XXXXXX")
trap 'rm -rf "$work"' EXIT
s=$work/root
# usr-merged, as Debian 12: any path a program or the kernel (/sbin/modprobe) expects
# resolves.
mkdir -p "$s"/{dev,proc,sys,run,tmp,etc,root,var/log} "$s"/usr/{bin,lib/rescue,lib64}
ln -s usr/bin "$s/bin"
ln -s usr/bin "$s/sbin"
ln -s usr/lib "$s/lib"
ln -s usr/lib64 "$s/lib64"
ln -s bin "$s/usr/sbin"
ln -s ../run "$s/var/run"
chmod 1777 "$s/tmp"
chmod 0700 "$s/root"

install -m 0755 "$busybox" "$s/usr/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$s/usr/bin/$applet"
done
install -m 0755 "$pxebond" "$s/usr/bin/pxebond"
install -m 0755 "$dropbear" "$s/usr/bin/dropbear"
install -m 0755 "$dropbearkey" "$s/usr/bin/dropbearkey"
for l in "${shlibs[@]}"; do
	# /lib is usr/lib on both sides; the file itself, not the host's symlink to it
	case $l in /usr/*) d=$l ;; *) d=/usr$l ;; esac
	mkdir -p "$s$(dirname "$d")"
	install -m 0755 "$(readlink -f "$l")" "$s$d"
done

m=$s/usr/lib/modules/$DK_KVER
mkdir -p "$m"
cp "$DK_KMOD"/modules.{order,builtin,builtin.modinfo} "$m/"
for rel in "${DK_ORDER[@]}"; do
	mkdir -p "$m/$(dirname "$rel")"
	install -m 0644 "$DK_KMOD/$rel" "$m/$rel"
done
depmod -b "$s" "$DK_KVER" || die "depmod failed"

install -m 0755 "$here/init" "$s/init"
install -m 0644 "$here/lib.sh" "$s/usr/lib/rescue/lib.sh"
install -m 0755 "$here/boot.sh" "$here/ssh.sh" "$here/udhcpc.sh" "$s/usr/lib/rescue/"
for f in passwd group shells nsswitch.conf profile os-release; do
	install -m 0644 "$here/etc/$f" "$s/etc/$f"
done
install -m 0600 "$here/etc/shadow" "$s/etc/shadow"

# Same inputs, same bytes: fixed mtimes, sorted names, cpio's --reproducible inodes.
# gzip -6: -9 takes 14 s more here for 1 % less.
find "$s" -exec touch -h -d @0 {} +
mkdir -p "$out"
(cd "$s" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -6 >"$work/initrd.img"
install -m 0644 "$DK_SRC/boot/vmlinuz-$DK_KVER" "$work/vmlinuz"
# shellcheck disable=SC2016 # iPXE's ${...}, not ours
printf '%s\n' '#!ipxe' \
	'# pxebond rescue image (docs/rescue.md): put vmlinuz, initrd.img and your public' \
	'# key(s) as authorized_keys on a web server; chain this script from your PXE menu.' \
	'dhcp' \
	'set base http://install.example.com/rescue' \
	'kernel ${base}/vmlinuz quiet console=tty0 console=ttyS0,115200n8 BOOTIF=01-${netX/mac:hexhyp} pxebond.ssh_key=${base}/authorized_keys' \
	'initrd ${base}/initrd.img' \
	'boot' >"$work/boot.ipxe"
mv "$work/vmlinuz" "$work/initrd.img" "$work/boot.ipxe" "$out/"
echo "$stamp" >"$out/.stamp"
echo "mkrescue: $DK_KVER, ${#DK_ORDER[@]} modules${DK_MISSING[*]:+ (not in this kernel: ${DK_MISSING[*]})}," \
	"initrd.img $(du -k "$out/initrd.img" | cut -f1) KiB in $out" >&2
