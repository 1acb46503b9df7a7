#!/bin/bash
# Build a stock Debian dracut initramfs for the PXE lab (Debian's kernel, Debian's dracut
# 059 and its modules unchanged), cached by its inputs; prints the image's path.
#
# Usage: mkdracut.sh [-m MODDIR]... [-a MODULE]... [-d DRACUT-ARG]... FLAVOUR
#   FLAVOUR    legacy:  network-legacy + livenet + dmsquash-live, dracut's own shell
#                       init (no systemd): dhclient, ifup
#              legacy-systemd: the same in Debian's default, systemd-based image
#              nm:      network-manager + livenet + dmsquash-live; systemd and dbus
#                       (network-manager needs dbus, dbus needs systemd)
#   -m MODDIR  a dracut module directory (NNname/ with module-setup.sh) to add to a
#              private copy of /usr/lib/dracut; its name without the digits goes to --add
#   -a MODULE  one more dracut module to --add (stock, or from -m)
#   -d ARG     one more argument for dracut (e.g. -d --omit=plymouth)
# Prints build/qemu/pxe/images/NAME-HASH.img; NAME is FLAVOUR plus "+MODULE" for each
# added module, HASH covers everything that goes into the image: this script, the
# arguments, the kernel and its module list, every installed Debian package's version
# (dracut copies the host's binaries), and the files of each -m directory. An image whose
# inputs have not changed is not rebuilt.
# The host's /etc/dracut.conf and /etc/dracut.conf.d are ignored (--conf /dev/null and an
# empty --confdir), so local settings cannot change the lab's images.
# Env: PXB_PXE_CACHE (build/qemu/pxe), PXB_PXE_KMODS (kernel modules for the images,
#      with their dependencies), PXB_QEMU_CACHE (fetch-kernel.sh's cache).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
usage() { sed -n '5,16s/^# \{0,1\}//p' "$0" >&2; exit 2; }

cache=${PXB_PXE_CACHE:-$root/build/qemu/pxe}
# What the images need: the lab's NICs, bonding (its tls dependency comes along),
# and the live root's filesystems (squashfs on loop, ext4 inside, overlayfs on top).
# ext4 asks for crc32c through the crypto API (softdep), which modinfo's depends omits.
# af_packet (dhclient, NetworkManager's DHCP) is built into Debian's kernel. dm_snapshot:
# the device-mapper overlay, for systemd-based images (see below).
kmods=${PXB_PXE_KMODS:-virtio_net virtio_pci bonding ext4 crc32c_generic squashfs loop overlay dm_mod dm_snapshot}

moddirs=() adds=() dargs=()
while getopts m:a:d: opt; do
	case $opt in
	m) moddirs+=("$(cd "$OPTARG" && pwd)") ;;
	a) adds+=("$OPTARG") ;;
	d) dargs+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 1 ] || usage
flavour=$1
# Why legacy leaves systemd out: dracut 059's systemd path mounts the overlayfs live root
# (rd.live.overlay.overlayfs=1) before anything makes its upper directory ("overlayfs:
# failed to resolve '/run/overlayfs': -2", dracutdevs/dracut#1820); its shell init
# mounts it from a hook that does. Systemd-based images need the device-mapper overlay
# (no rd.live.overlay.overlayfs). The shell init also boots ~20 s sooner under TCG.
omit=()
case $flavour in
legacy) net=network-legacy omit=(--omit "systemd systemd-initrd dracut-systemd") ;;
legacy-systemd) net=network-legacy ;;
nm) net=network-manager ;;
*) usage ;;
esac
for d in "${moddirs[@]}"; do
	[ -f "$d/module-setup.sh" ] || { echo "mkdracut: $d: no module-setup.sh" >&2; exit 2; }
	m=$(basename "$d")
	case $m in [0-9][0-9]?*) adds+=("${m#[0-9][0-9]}") ;; *)
		echo "mkdracut: $d: a dracut module directory is named NNname" >&2; exit 2 ;;
	esac
done

# Debian's kernel: fetch-kernel.sh keeps the unpacked package (every module) in its cache.
kdir=$root/build/qemu/kernel
"$root/tests/qemu/fetch-kernel.sh" "$kdir"
kver=$(cat "$kdir/kver")
read -r kpkg kpkgver <"$kdir/kpkg"
kx=${PXB_QEMU_CACHE:-$root/build/qemu}/kernel-x/$kpkg
if [ ! -d "$kx/lib/modules/$kver" ]; then
	deb=$(find "${PXB_QEMU_CACHE:-$root/build/qemu}/debs" -maxdepth 1 -name "${kpkg}_*.deb" | sort | tail -n1)
	[ -n "$deb" ] || { echo "mkdracut: no $kpkg .deb (rm $kdir/.stamp and rerun)" >&2; exit 1; }
	mkdir -p "$kx"
	dpkg-deb -x "$deb" "$kx"
fi

# The module tree dracut installs from (--kmoddir): the modules above, their
# dependencies, and depmod's indexes over just those. Rebuilt when the list changes.
ktree=$cache/kmod
kstamp="$kpkg $kpkgver $kmods"
if [ ! -f "$ktree/.stamp" ] || [ "$(cat "$ktree/.stamp")" != "$kstamp" ]; then
	src=$kx/lib/modules/$kver
	declare -A path seen
	while read -r rel; do
		n=$(basename "$rel" .ko)
		path[${n//-/_}]=$rel
	done <"$src/modules.order"
	rm -rf "$ktree"
	dst=$ktree/lib/modules/$kver
	mkdir -p "$dst"
	copy() { # dependencies first, as modinfo names them
		local m=${1//-/_} d
		[ -z "${seen[$m]:-}" ] || return 0
		seen[$m]=1
		if [ -z "${path[$m]:-}" ]; then
			grep -q "/${m}.ko\$\|/${m//_/-}.ko\$" "$src/modules.builtin" && return 0
			echo "mkdracut: kernel module $m not in $kver" >&2
			exit 1
		fi
		for d in $(modinfo -F depends "$src/${path[$m]}" | tr , ' '); do copy "$d"; done
		mkdir -p "$dst/$(dirname "${path[$m]}")"
		cp "$src/${path[$m]}" "$dst/${path[$m]}"
	}
	for m in $kmods; do copy "$m"; done
	cp "$src"/modules.{order,builtin,builtin.modinfo} "$dst/"
	depmod -b "$ktree" "$kver"
	echo "$kstamp" >"$ktree/.stamp"
fi

mods="$net livenet dmsquash-live${adds[*]:+ ${adds[*]}}"
name=$flavour
for m in "${adds[@]}"; do name+=+$m; done
key=$({
	sha256sum <"$0"
	echo "$kstamp|$mods|${omit[*]}|${dargs[*]}"
	dpkg-query -W -f='${Package} ${Version}\n'
	for d in "${moddirs[@]}"; do
		(cd "$d" && find . \( -type f -o -type l \) -printf '%m %p\n' | LC_ALL=C sort &&
			find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
	done
} | sha256sum | cut -c1-12)
out=$cache/images/$name-$key.img
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-dracut.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/conf.d"
base=/usr/lib/dracut
if [ ${#moddirs[@]} -gt 0 ]; then
	# dracut finds its modules under $dracutbasedir/modules.d: a private copy of the
	# stock tree (2.5 MB) with the extra modules beside the stock ones.
	base=$work/dracut
	cp -a /usr/lib/dracut "$base"
	for d in "${moddirs[@]}"; do cp -a "$d" "$base/modules.d/"; done
fi
mkdir -p "$cache/images"
log=$cache/images/$name-$key.log
echo "mkdracut: building $name ($mods) for $kver, log $log" >&2
# --no-hostonly: a generic image, as a distribution's netboot initrd is; the default
# module set (systemd-based on Debian with systemd installed) plus the flavour's.
if ! dracutbasedir=$base dracut --no-hostonly --kmoddir "$ktree/lib/modules/$kver" \
	--conf /dev/null --confdir "$work/conf.d" --tmpdir "$work" \
	--add "$mods" "${omit[@]}" "${dargs[@]}" --force "$work/out.img" "$kver" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "mkdracut: dracut failed, log $log" >&2
	exit 1
fi
# Drop the older builds of the same image name; keep this one.
find "$cache/images" -maxdepth 1 -name "$name-*" ! -name "$name-$key.*" -delete
mv "$work/out.img" "$out"
chmod 0644 "$out"
echo "$out"
