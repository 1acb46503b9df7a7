#!/bin/bash
# The overlay appended to other initrds, unpacked by the real kernel: for each layout an
# installer's initrd can have, a small base archive with that layout (symlinked or real
# /lib, each dracut version's hook directory, the Debian installer's and initramfs-tools'
# directories), then 4 KiB of zero padding as iPXE adds, then build/pxebond-overlay.cpio.gz.
# The base's /init reports what the kernel made of it; the host asserts that every
# symlink and file of the base is intact, that pxebond's files landed where that
# installer looks and nowhere else (no stray directories), and that the binary runs.
#
#   dracut-059     lib, bin, sbin, lib64 -> usr/...; hooks in /usr/lib/dracut/hooks
#   dracut-ng-105  the same, plus /lib/dracut/hooks -> /var/lib/dracut/hooks (102-109)
#   dracut-ng-110  hooks only in /var/lib/dracut/hooks
#   unmerged       real /lib, /bin, /sbin (older dracut images, the Debian installer)
#   itools         initramfs-tools: /conf/conf.d, scripts/ with their ORDER files; its
#                  /init sources conf.d as initramfs-tools' does, so the overlay's
#                  zz-pxebond puts pxebond's lines in the ORDER lists
#
# Usage: tests/qemu/test-overlay.sh [OVERLAY]   (default build/pxebond-overlay.cpio.gz)
# shellcheck disable=SC2016 # $-expressions in single quotes are the guest's
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
overlay=${1:-$root/build/pxebond-overlay.cpio.gz}
work=$root/build/qemu/overlay
kdir=$root/build/qemu/kernel

[ -f "$overlay" ] || { echo "test-overlay: no $overlay (make overlay)" >&2; exit 1; }
busybox=$(command -v busybox)
[ -f "$kdir/.stamp" ] || "$here/fetch-kernel.sh" "$kdir"
rm -rf "$work"
mkdir -p "$work"

# The guest's /init: what exists, by type, for the paths the host asks about.
cat >"$work/init" <<'EOF'
#!/bin/sh
export PATH=/bin:/usr/bin:/sbin:/usr/sbin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
say() { echo "@@PXB $*"; }
for p in $(cat /paths); do
	if [ -L "$p" ]; then say "path $p link $(readlink "$p")"
	elif [ -d "$p" ]; then say "path $p dir"
	elif [ -f "$p" ]; then say "path $p file $(sha256sum "$p" | cut -c1-16)"
	else say "path $p none"
	fi
done
say "run $(/usr/sbin/pxebond version 2>&1 | tr ' ' _)"
say "done rc=0"
poweroff -f
EOF

paths='/lib /bin /sbin /lib64 /usr/lib /usr/sbin /var/lib
/lib/dracut/hooks /usr/lib/dracut/hooks /var/lib/dracut/hooks /var/lib/dracut
/usr/lib/dracut/hooks/pre-udev/40-pxebond.sh /var/lib/dracut/hooks/pre-udev/40-pxebond.sh
/usr/lib/dracut/hooks/pre-udev/60-net-genrules.sh /var/lib/dracut/hooks/pre-udev/60-net-genrules.sh
/lib/dracut/hooks/pre-udev/40-pxebond.sh /lib/dracut/hooks/pre-udev/60-net-genrules.sh
/usr/lib/pxebond /usr/lib/pxebond/pxebond /usr/lib/pxebond/dracut.sh /usr/sbin/pxebond
/etc/systemd/system /etc/systemd/system/dracut-pre-udev.service.d/50-pxebond.conf
/conf /conf/conf.d/zz-pxebond /conf/conf.d/resume /etc /preseed.cfg /sbin/init
/usr/lib/pxebond/initramfs-tools.sh /usr/lib/pxebond/bin/ipconfig /usr/lib/pxebond/bin
/scripts/init-top/ORDER /scripts/init-premount/ORDER /scripts/init-bottom/ORDER
/lib/debian-installer-startup.d/S32pxebond /usr/lib/finish-install.d/56pxebond
/lib/debian-installer-startup.d/S30initrd-preseed'

# base LAYOUT: the base archive of that layout, gzip'd newc, padded as iPXE pads.
base() {
	local l=$1 s=$work/$1
	mkdir -p "$s"/{dev,proc,sys,etc,usr/bin,usr/sbin,usr/lib}
	case $l in
	unmerged | itools)
		mkdir -p "$s"/{bin,sbin,lib}
		cp "$busybox" "$s/bin/busybox"
		for a in sh mount cat readlink sha256sum cut tr poweroff; do ln -s busybox "$s/bin/$a"; done
		ln -s ../bin/busybox "$s/sbin/init"
		echo 'd-i preseed of the user' >"$s/preseed.cfg"
		;;
	*)
		ln -s usr/bin "$s/bin"
		ln -s usr/sbin "$s/sbin"
		ln -s usr/lib "$s/lib"
		ln -s usr/lib64 "$s/lib64"
		mkdir -p "$s/usr/lib64"
		cp "$busybox" "$s/usr/bin/busybox"
		for a in sh mount cat readlink sha256sum cut tr poweroff; do ln -s busybox "$s/usr/bin/$a"; done
		ln -s ../bin/busybox "$s/usr/sbin/init"
		mkdir -p "$s/etc/systemd/system"
		;;
	esac
	case $l in
	dracut-059)
		mkdir -p "$s/usr/lib/dracut/hooks/pre-udev"
		echo '# net-genrules' >"$s/usr/lib/dracut/hooks/pre-udev/60-net-genrules.sh"
		;;
	dracut-ng-105)
		mkdir -p "$s/var/lib/dracut/hooks/pre-udev" "$s/usr/lib/dracut"
		echo '# net-genrules' >"$s/var/lib/dracut/hooks/pre-udev/60-net-genrules.sh"
		ln -s ../../../var/lib/dracut/hooks "$s/usr/lib/dracut/hooks"
		;;
	dracut-ng-110)
		mkdir -p "$s/var/lib/dracut/hooks/pre-udev" "$s/usr/lib/dracut"
		echo '# net-genrules' >"$s/var/lib/dracut/hooks/pre-udev/60-net-genrules.sh"
		;;
	unmerged)
		# dracut's layout, and the Debian installer's startup and finish directories
		mkdir -p "$s/lib/dracut/hooks/pre-udev" "$s/lib/debian-installer-startup.d" \
			"$s/usr/lib/finish-install.d"
		echo '# net-genrules' >"$s/lib/dracut/hooks/pre-udev/60-net-genrules.sh"
		echo '# initrd preseed' >"$s/lib/debian-installer-startup.d/S30initrd-preseed"
		;;
	itools)
		mkdir -p "$s/conf/conf.d" "$s/scripts/init-top" "$s/scripts/init-bottom"
		echo 'RESUME=none' >"$s/conf/conf.d/resume"
		# ORDER lists as mkinitramfs writes them; no init-premount (live-boot images
		# have none)
		printf '/scripts/init-top/udev "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' \
			>"$s/scripts/init-top/ORDER"
		printf '/scripts/init-bottom/udev "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' \
			>"$s/scripts/init-bottom/ORDER"
		;;
	esac
	if [ "$l" = itools ]; then
		# initramfs-tools' /init sources every conf.d file first (in /, in its shell)
		sed '/^mount -t proc/a for conf in conf/conf.d/*; do [ -f "$conf" ] \&\& . "$conf"; done' \
			"$work/init" >"$s/init"
		chmod 0755 "$s/init"
		for a in mv mkdir; do ln -s busybox "$s/bin/$a"; done
	else
		install -m 0755 "$work/init" "$s/init"
	fi
	# shellcheck disable=SC2086 # one path per word
	printf '%s\n' $paths >"$s/paths"
	(cd "$s" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -n >"$work/$l.base.gz"
	# iPXE pads every initrd to 4 KiB with zeros; the kernel skips zeros between archives.
	truncate -s %4096 "$work/$l.base.gz"
	cat "$work/$l.base.gz" "$overlay" >"$work/$l.initrd"
}

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"

# order_of STOCK STAGE: the hash of an ORDER with pxebond's STAGE line first, then STOCK
order_of() {
	{
		printf '/usr/lib/pxebond/initramfs-tools.sh %s "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' "$2"
		[ -z "$1" ] || cat "$1"
	} | sha256sum | cut -c1-16
}
out=''
has() { grep -qxF -- "@@PXB path $1" <<<"$out"; }
ovsha=$(zcat "$overlay" | (cd "$work" && mkdir -p x && cd x && cpio -id --quiet && sha256sum usr/lib/pxebond/pxebond | cut -c1-16))

for l in dracut-059 dracut-ng-105 dracut-ng-110 unmerged itools; do
	base "$l"
	out=$("$here/run-guest.sh" -i "$work/$l.initrd" -n "overlay-$l" -t 60 2>"$work/$l.err") || true
	printf '%s\n' "$out" >"$work/$l.out"
	ok "$l: the guest booted base + padding + overlay and reported" grep -q '^@@PXB done rc=0' "$work/$l.out"
	ok "$l: the overlay's binary runs from /usr/sbin/pxebond" grep -q '^@@PXB run pxebond_' "$work/$l.out"
	ok "$l: /usr/lib/pxebond/pxebond is the overlay's" has "/usr/lib/pxebond/pxebond file $ovsha"
	case $l in
	unmerged | itools)
		for d in /lib /bin /sbin; do ok "$l: $d is still a real directory" has "$d dir"; done
		ok "$l: the user's /preseed.cfg is untouched" has "/preseed.cfg file $(sha256sum "$work/$l/preseed.cfg" | cut -c1-16)"
		ok "$l: no /var/lib/dracut made up" has "/var/lib/dracut none"
		;;
	*)
		for d in lib:usr/lib bin:usr/bin sbin:usr/sbin lib64:usr/lib64; do
			ok "$l: /${d%%:*} is still the symlink to ${d#*:}" has "/${d%%:*} link ${d#*:}"
		done
		ok "$l: no installer startup script where there is no installer" has "/lib/debian-installer-startup.d/S32pxebond none"
		ok "$l: no initramfs-tools /conf made up" has "/conf none"
		ok "$l: the drop-in after NetworkManager's generator landed" has "/etc/systemd/system/dracut-pre-udev.service.d/50-pxebond.conf file $(zcat "$overlay" | (cd "$work/x" && sha256sum etc/systemd/system/dracut-pre-udev.service.d/50-pxebond.conf | cut -c1-16))"
		;;
	esac
	case $l in
	dracut-059)
		ok "$l: the hook is in /usr/lib/dracut/hooks/pre-udev" has "/usr/lib/dracut/hooks/pre-udev/40-pxebond.sh file $(sha256sum "$root/initramfs/dracut-hook.sh" | cut -c1-16)"
		ok "$l: dracut's own hook is untouched" has "/usr/lib/dracut/hooks/pre-udev/60-net-genrules.sh file $(sha256sum "$work/$l/usr/lib/dracut/hooks/pre-udev/60-net-genrules.sh" | cut -c1-16)"
		ok "$l: no /var/lib/dracut made up" has "/var/lib/dracut none"
		;;
	dracut-ng-105)
		ok "$l: /usr/lib/dracut/hooks is still the symlink to /var/lib" has "/usr/lib/dracut/hooks link ../../../var/lib/dracut/hooks"
		ok "$l: the hook is in /var/lib/dracut/hooks/pre-udev" has "/var/lib/dracut/hooks/pre-udev/40-pxebond.sh file $(sha256sum "$root/initramfs/dracut-hook.sh" | cut -c1-16)"
		ok "$l: dracut's own hook is untouched" has "/var/lib/dracut/hooks/pre-udev/60-net-genrules.sh file $(sha256sum "$work/$l/var/lib/dracut/hooks/pre-udev/60-net-genrules.sh" | cut -c1-16)"
		;;
	dracut-ng-110)
		ok "$l: the hook is in /var/lib/dracut/hooks/pre-udev" has "/var/lib/dracut/hooks/pre-udev/40-pxebond.sh file $(sha256sum "$root/initramfs/dracut-hook.sh" | cut -c1-16)"
		ok "$l: no /usr/lib/dracut/hooks made up (it would hold a second copy)" has "/usr/lib/dracut/hooks none"
		;;
	unmerged)
		ok "$l: the hook is in /lib/dracut/hooks/pre-udev" has "/lib/dracut/hooks/pre-udev/40-pxebond.sh file $(sha256sum "$root/initramfs/dracut-hook.sh" | cut -c1-16)"
		ok "$l: dracut's own hook is untouched" has "/lib/dracut/hooks/pre-udev/60-net-genrules.sh file $(sha256sum "$work/$l/lib/dracut/hooks/pre-udev/60-net-genrules.sh" | cut -c1-16)"
		ok "$l: no /etc/systemd made up for the drop-in" has "/etc/systemd/system none"
		ok "$l: the installer's startup script is in place" has "/lib/debian-installer-startup.d/S32pxebond file $(sha256sum "$root/initramfs/d-i.sh" | cut -c1-16)"
		ok "$l: the installer's own startup script is untouched" has "/lib/debian-installer-startup.d/S30initrd-preseed file $(sha256sum "$work/$l/lib/debian-installer-startup.d/S30initrd-preseed" | cut -c1-16)"
		ok "$l: the finish-install script is in place" has "/usr/lib/finish-install.d/56pxebond file $(sha256sum "$root/initramfs/d-i-finish.sh" | cut -c1-16)"
		;;
	itools)
		ok "$l: initramfs-tools' conf.d has pxebond's ORDER hook" has "/conf/conf.d/zz-pxebond file $(sha256sum "$root/initramfs/initramfs-tools.conf" | cut -c1-16)"
		ok "$l: its own conf.d file is untouched" has "/conf/conf.d/resume file $(sha256sum "$work/$l/conf/conf.d/resume" | cut -c1-16)"
		ok "$l: the glue it runs is in place" has "/usr/lib/pxebond/initramfs-tools.sh file $(sha256sum "$root/initramfs/initramfs-tools.sh" | cut -c1-16)"
		ok "$l: so is the ipconfig that answers for the bond" has "/usr/lib/pxebond/bin/ipconfig file $(sha256sum "$root/initramfs/ipconfig.sh" | cut -c1-16)"
		ok "$l: sourced by /init, it made init-premount's ORDER, pxebond's line in it" \
			has "/scripts/init-premount/ORDER file $(order_of '' premount)"
		ok "$l: and put pxebond's line first in init-bottom's, the image's after it" \
			has "/scripts/init-bottom/ORDER file $(order_of "$work/$l/scripts/init-bottom/ORDER" bottom)"
		ok "$l: init-top's ORDER is untouched" has "/scripts/init-top/ORDER file $(sha256sum "$work/$l/scripts/init-top/ORDER" | cut -c1-16)"
		;;
	esac
done

tap_done
