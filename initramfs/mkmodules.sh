#!/bin/bash
# Builds the bonding driver for one kernel as a cpio to append after the overlay, for
# initrds that have none: initramfs-tools leaves bonding out of MODULES=most, so the
# stock initrd of a Debian live image or of Ubuntu's live server installer (casper)
# cannot make a bond, and kernel modules must match the kernel that boots. The archive
# holds bonding.ko and what it depends on under /usr/lib/pxebond/modules/KVER/, with
# their load order; pxebond's boot glue loads them with insmod when modprobe knows no
# bonding (an initrd with its own is left alone). Owned by root, reproducible.
#
# Usage: initramfs/mkmodules.sh SOURCE OUT.cpio.gz
#   SOURCE  a kernel's module tree (.../lib/modules/KVER), a linux-image .deb, or the
#           root of an unpacked system (a live image's filesystem.squashfs, unsquashed)
#           that has exactly one lib/modules/KVER
set -euo pipefail

src=${1:?usage: mkmodules.sh SOURCE OUT.cpio.gz}
out=${2:?usage: mkmodules.sh SOURCE OUT.cpio.gz}
PATH=$PATH:/usr/sbin:/sbin

die() {
	echo "mkmodules: $*" >&2
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-modules.XXXXXX")
trap 'rm -rf "$work"' EXIT

case $src in
*.deb)
	dpkg-deb -x "$src" "$work/deb" || die "$src: not a .deb dpkg-deb can unpack"
	src=$work/deb
	;;
esac
[ -d "$src" ] || die "$src: no such directory or .deb"
if [ -e "$src/modules.order" ]; then
	kmod=$(cd "$src" && pwd)
else
	set -- "$src"/lib/modules/*/modules.order "$src"/usr/lib/modules/*/modules.order
	kmod=''
	for f in "$@"; do
		[ -e "$f" ] || continue
		[ -z "$kmod" ] || [ "$(realpath "$(dirname "$f")")" = "$(realpath "$kmod")" ] ||
			die "$src has more than one kernel's modules: name one (.../lib/modules/KVER)"
		kmod=$(dirname "$f")
	done
	[ -n "$kmod" ] || die "$src: no lib/modules/KVER/modules.order"
fi
kver=$(basename "$kmod")

# path MODULE: the module's file under kmod (any compression), from modules.order
# (plain or compressed names) or a search.
path() {
	local n=${1//-/_} f b
	while read -r f; do
		b=${f##*/}
		b=${b%%.ko*}
		[ "${b//-/_}" = "$n" ] && [ -e "$kmod/$f" ] && { echo "$kmod/$f"; return; }
		for c in .xz .zst .gz; do
			[ "${b//-/_}" = "$n" ] && [ -e "$kmod/$f$c" ] && { echo "$kmod/$f$c"; return; }
		done
	done <"$kmod/modules.order"
	find "$kmod" -name "$1.ko*" -print -quit
}

# Dependencies first, as modinfo names them; built-in ones add nothing.
order=()
declare -A seen
visit() {
	local m=${1//-/_} f d
	[ -z "${seen[$m]:-}" ] || return 0
	seen[$m]=1
	f=$(path "$m")
	if [ -z "$f" ]; then
		grep -qE "/(${m}|${m//_/-})\.ko\$" "$kmod/modules.builtin" 2>/dev/null && return 0
		die "$kver has no module $m"
	fi
	for d in $(modinfo -F depends "$f" | tr , ' '); do visit "$d"; done
	order+=("$f")
}
visit bonding

stage=$work/stage
dst=usr/lib/pxebond/modules/$kver
mkdir -p "$stage/$dst"
: >"$stage/$dst/modules.load"
for f in "${order[@]}"; do
	b=${f##*/}
	# busybox's insmod, which initramfs-tools images have, takes plain .ko files only
	case $b in
	*.ko.xz) xz -dc "$f" >"$stage/$dst/${b%.xz}" ;;
	*.ko.zst) zstd -qdc "$f" >"$stage/$dst/${b%.zst}" ;;
	*.ko.gz) gzip -dc "$f" >"$stage/$dst/${b%.gz}" ;;
	*) cp "$f" "$stage/$dst/$b" ;;
	esac
	echo "${b%%.ko*}.ko" >>"$stage/$dst/modules.load"
done
chmod 0644 "$stage/$dst"/*
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
# pxebond's own directories and files only (see mkoverlay.sh: nothing of the initrd's).
(cd "$stage" && { printf '%s\n' usr/lib/pxebond usr/lib/pxebond/modules "$dst"; find "$dst" -type f | LC_ALL=C sort; } |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkmodules: $out: $(tr '\n' ' ' <"$stage/$dst/modules.load")for $kver" >&2
