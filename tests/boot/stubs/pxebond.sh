#!/bin/sh
# tests/boot: /usr/lib/pxebond/pxebond in the chroot. Every call is logged to /log/calls.
#   up      keeps the --cmdline file it got (/log/up-cmdline), copies /case/state to
#           /run/pxebond/state and /case/sys-up/ over /sys (the bond it made), exits
#           with /case/up-rc
#   write   --root DIR --format nm|networkd: the files the real one writes there (names
#           and modes of src/emit_nm.c, emit_networkd.c); fails as the real one would if
#           DIR is missing, or when /case/write-fails exists
#   down    logged only
#   status, cmdline   the real binary's (/usr/lib/pxebond-test/pxebond): how shell reads
#           the state and the command line is the binary's, hostile values included;
#           reads, so not logged
case $1 in
status | cmdline) exec /usr/lib/pxebond-test/pxebond "$@" ;;
esac
echo "pxebond $*" >>/log/calls
cmd=$1
shift
case $cmd in
up)
	while [ $# -gt 0 ]; do
		[ "$1" = --cmdline ] && cp "$2" /log/up-cmdline
		shift
	done
	mkdir -p /run/pxebond
	[ -r /case/state ] && cp /case/state /run/pxebond/state
	[ -d /case/sys-up ] && cp -R /case/sys-up/. /sys/
	read -r rc </case/up-rc
	exit "$rc"
	;;
write)
	root='' format=''
	while [ $# -gt 0 ]; do
		case $1 in
		--root) root=$2 && shift ;;
		--format) format=$2 && shift ;;
		esac
		shift
	done
	if [ ! -d "$root" ]; then
		echo "pxebond: $root: No such file or directory" >&2
		exit 3
	fi
	if [ -e /case/write-fails ]; then
		echo "pxebond: $root/etc: cannot write (the case says so)" >&2
		exit 3
	fi
	# exit 0 having written nothing: the hook must not take that for a hand-off
	[ -e /case/write-empty ] && exit 0
	case $format in
	nm)
		d=$root/etc/NetworkManager/system-connections mode=600
		files="bond0.nmconnection bond0-member1.nmconnection bond0-member2.nmconnection"
		;;
	networkd)
		d=$root/etc/systemd/network mode=644
		files="10-pxebond-bond0.netdev 10-pxebond-bond0.network
			10-pxebond-bond0-member1.network 10-pxebond-bond0-member2.network"
		;;
	*) exit 2 ;;
	esac
	mkdir -p "$d"
	for f in $files; do
		echo "# pxebond write --format $format: $f" >"$d/$f"
		chmod "$mode" "$d/$f"
		echo "wrote $d/$f"
	done
	;;
down) ;;
*) exit 2 ;;
esac
exit 0
