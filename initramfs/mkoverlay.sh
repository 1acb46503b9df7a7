#!/bin/bash
# Builds the pxebond overlay: one gzip'd newc cpio to append, unchanged, to any
# installer's initrd (a second `initrd` in iPXE, initrd=a,b in pxelinux, `initrd a b` in
# GRUB). Owned by root, reproducible (same inputs, same bytes), no root needed.
#
# Usage: initramfs/mkoverlay.sh PXEBOND_BINARY OUT.cpio.gz
#
# The kernel unpacks an appended archive over the first one and replaces whatever has a
# different type at each path it names: a directory entry for lib where the initrd has
# lib -> usr/lib would turn the symlink into an empty directory. So the archive names
# no directory but pxebond's own (and a systemd drop-in directory); every other file
# goes through the directories (and symlinks) the initrd already has, and a file whose
# directory is missing is dropped by the kernel, which is how one archive fits every
# installer: each file lands only where its installer is.
#
#   usr/lib/pxebond/                      the binary and the shell glue
#   usr/sbin/pxebond                      a symlink to it, for a rescue shell
#   lib/dracut/hooks/pre-udev/40-...      dracut 059 to dracut-ng 109 (also through the
#                                         lib -> usr/lib and 102-109 hooks symlinks)
#   var/lib/dracut/hooks/pre-udev/40-...  dracut-ng 102 and later
#   etc/systemd/system/dracut-pre-udev.service.d/  after NetworkManager 1.54's generator
#   lib/debian-installer-startup.d/S32pxebond   the Debian installer: before netcfg
#   usr/lib/finish-install.d/56pxebond    the Debian installer: the installed system's bond
#   usr/lib/pxebond/bin/ipconfig          initramfs-tools: answers for the bond once
#                                         handed on (live-boot runs ipconfig anyway)
#   conf/conf.d/zz-pxebond                initramfs-tools: sourced by /init, puts
#                                         pxebond first in init-premount's ORDER (and
#                                         in init-bottom's, casper-bottom's)
set -euo pipefail

bin=${1:?usage: mkoverlay.sh PXEBOND_BINARY OUT.cpio.gz}
out=${2:?usage: mkoverlay.sh PXEBOND_BINARY OUT.cpio.gz}
here=$(cd "$(dirname "$0")" && pwd)

if ! file -b "$bin" | grep -q 'statically linked'; then
	echo "mkoverlay: $bin is not a static binary: it would not run in another initramfs" >&2
	exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/pxb-overlay.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# put MODE SRC DST: a file of the archive.
put() {
	mkdir -p "$stage/$(dirname "$3")"
	install -m "$1" "$2" "$stage/$3"
}
put 0755 "$bin" usr/lib/pxebond/pxebond
put 0644 "$here/lib.sh" usr/lib/pxebond/lib.sh
put 0644 "$here/dracut.sh" usr/lib/pxebond/dracut.sh
put 0755 "$here/dracut-online.sh" usr/lib/pxebond/dracut-online.sh
put 0755 "$here/initramfs-tools.sh" usr/lib/pxebond/initramfs-tools.sh
put 0755 "$here/ipconfig.sh" usr/lib/pxebond/bin/ipconfig
put 0755 "$here/dracut-hook.sh" lib/dracut/hooks/pre-udev/40-pxebond.sh
put 0755 "$here/dracut-hook.sh" var/lib/dracut/hooks/pre-udev/40-pxebond.sh
put 0644 "$here/dracut-pre-udev.conf" etc/systemd/system/dracut-pre-udev.service.d/50-pxebond.conf
put 0755 "$here/d-i.sh" lib/debian-installer-startup.d/S32pxebond
put 0755 "$here/d-i-finish.sh" usr/lib/finish-install.d/56pxebond
put 0644 "$here/initramfs-tools.conf" conf/conf.d/zz-pxebond
mkdir -p "$stage/usr/sbin"
ln -s ../lib/pxebond/pxebond "$stage/usr/sbin/pxebond"

# The entries, in order: pxebond's own directories, then files and the symlink. Nothing
# else: no lib, usr, var, etc, conf... directory entries.
list=(
	usr/lib/pxebond
	usr/lib/pxebond/bin
	etc/systemd/system/dracut-pre-udev.service.d
)
while IFS= read -r f; do
	list+=("$f")
done < <(cd "$stage" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort)

find "$stage" -exec touch -h -d @0 {} +
chmod 0755 "$stage/usr/lib/pxebond" "$stage/usr/lib/pxebond/bin" \
	"$stage/etc/systemd/system/dracut-pre-udev.service.d"
mkdir -p "$(dirname "$out")"
(cd "$stage" && printf '%s\n' "${list[@]}" |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
