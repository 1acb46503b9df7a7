#!/bin/bash
# Build a lab guest's initramfs: static busybox and its applet links, the kernel modules
# from fetch-kernel.sh, the lab's /init (guest/init.sh) and helpers (/lib/pxb.sh), the
# scenario it runs (/scenario) and any extra files. No root needed: owners are forced to
# 0:0 by cpio and /dev comes from devtmpfs at boot.
#
# Usage: mkinitrd.sh OUT.cpio.gz --init SCENARIO [--add SRC:DST]... [--kernel DIR]
#   --init SCENARIO  POSIX sh script that /init runs after setup (installed as /scenario)
#   --add SRC:DST    copy host file or directory SRC to DST (absolute) in the guest
#   --kernel DIR     fetch-kernel.sh output (default build/qemu/kernel, fetched if needed)
# Env: PXB_QEMU_BUSYBOX (default: busybox on PATH, must be static).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
usage() { sed -n '7,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }

out=${1:-}
case $out in "" | -*) usage ;; esac
shift
scenario='' kdir=$root/build/qemu/kernel adds=()
while [ $# -gt 0 ]; do
	case $1 in
	--init) scenario=${2:?}; shift 2 ;;
	--add) adds+=("${2:?}"); shift 2 ;;
	--kernel) kdir=${2:?}; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$scenario" ] || usage

busybox=${PXB_QEMU_BUSYBOX:-$(command -v busybox || true)}
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then # ldd fails on static
	echo "mkinitrd: need a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
[ -f "$kdir/.stamp" ] || "$here/fetch-kernel.sh" "$kdir"

stage=$(mktemp -d "${TMPDIR:-/tmp}/pxb-initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,run,lib,etc,root}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done
cp -a "$kdir/lib/modules" "$stage/lib/"
cp "$kdir/modules.load" "$stage/lib/modules.load"
install -m 0755 "$here/guest/init.sh" "$stage/init"
install -m 0644 "$here/guest/pxb.sh" "$stage/lib/pxb.sh"
install -m 0755 "$scenario" "$stage/scenario"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
for a in "${adds[@]}"; do
	src=${a%%:*} dst=${a#*:}
	case $dst in /*) ;; *) echo "mkinitrd: --add $a: DST must be absolute" >&2; exit 2 ;; esac
	mkdir -p "$stage$(dirname "$dst")"
	cp -a "$src" "$stage$dst"
done

# Same inputs, same bytes: fixed mtimes, sorted names, cpio's --reproducible inodes.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -6 >"$out.tmp"
mv "$out.tmp" "$out"
