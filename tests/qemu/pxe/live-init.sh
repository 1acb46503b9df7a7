#!/bin/sh
# /sbin/init of the PXE lab's live root (busybox sh): says on the console, in framed
# "@@PXB ..." lines, that the root was reached and how the network looks from it, then
# powers off. Lines (lab.sh and test-pxe.sh read them):
#   @@PXB live uptime=SECS                 first thing after switch_root
#   @@PXB sha256 root HASH                 /payload/root.bin, inside the root image
#   @@PXB sha256 net HASH|-                payload-net.bin fetched from the root= server
#   @@PXB wget ERROR                       why not, if it failed
#   @@PXB bonding LINE                     /proc/net/bonding/bond0, line by line
#   @@PXB addr IFACE ADDR/LEN              every IPv4 address but loopback
#   @@PXB route ROUTE                      the IPv4 routes
#   @@PXB pxebond result=R mode=M iface=I  /run/pxebond/state, if pxebond's hook ran
#   @@PXB pxebond-bin VERSION              /run/pxebond/pxebond runs
#   @@PXB nm-profile FILE                  each /run/NetworkManager/system-connections/*
#   @@PXB nm-active IFACE FILE             the profile NetworkManager had active on IFACE
#   @@PXB done rc=0 uptime=SECS
export PATH=/bin:/sbin

# systemd and dracut's switch_root move /dev, /proc, /sys and /run into the new root;
# mount what is missing (a hand-rolled initramfs may not have).
[ -e /proc/self ] || mount -t proc proc /proc
[ -e /sys/class ] || mount -t sysfs sysfs /sys
[ -e /dev/console ] || mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

say() {
	printf '@@PXB %s\n' "$*"
}
uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

say live "uptime=$(uptime_s)"
mount -t tmpfs tmpfs /tmp
sum=$(sha256sum </payload/root.bin)
say sha256 root "${sum%% *}"

# The server is root=live:http://SERVER/...'s (or pxb.server=SERVER's, for roots that
# come another way: live-boot's fetch=, NFS); the path still works after switch_root
# only if the bond (or NIC) and its address survived it.
read -r cmdline </proc/cmdline
server=
for a in $cmdline; do
	case $a in
	root=live:http://*)
		server=${a#root=live:http://}
		server=${server%%/*}
		;;
	pxb.server=*) server=${a#pxb.server=} ;;
	esac
done
sum=-
# timeout, not wget -T: Debian 12's static busybox (1.35) wget dies of SIGSEGV with -T.
if [ -z "$server" ]; then
	say wget "no root=live:http://SERVER/ or pxb.server=SERVER on the command line"
elif err=$(timeout 20 wget -O /tmp/payload-net.bin "http://$server/payload-net.bin" 2>&1); then
	sum=$(sha256sum </tmp/payload-net.bin)
	sum=${sum%% *}
else
	say wget "$(echo "$err" | tr '\n' ' ')"
fi
say sha256 net "$sum"

if [ -r /proc/net/bonding/bond0 ]; then
	while IFS= read -r line; do
		[ -n "$line" ] && say bonding "$line"
	done </proc/net/bonding/bond0
fi
ip -o -4 addr show | while read -r _ ifname _ addr _; do
	[ "$ifname" = lo ] || say addr "$ifname" "$addr"
done
ip route show | while read -r line; do
	say route "$line"
done
# What pxebond's boot hook left in /run (switch_root moved it here) for the installer's
# later stages: its state, its binary, and NetworkManager's profiles.
if [ -r /run/pxebond/state ]; then
	# shellcheck disable=SC1091 # single-quoted values, written at boot
	(. /run/pxebond/state && say pxebond "result=$PXEBOND_RESULT mode=$PXEBOND_MODE iface=$PXEBOND_IFACE")
fi
# dracut's shell init mounts /run noexec: there the binary runs only copied off it.
if [ -e /run/pxebond/pxebond ]; then
	v=$(/run/pxebond/pxebond version 2>/dev/null) ||
		v=$(cp /run/pxebond/pxebond /tmp/pxebond && /tmp/pxebond version) && v="$v (copied off /run)"
	say pxebond-bin "$v"
fi
for f in /run/NetworkManager/system-connections/*; do
	[ -e "$f" ] && say nm-profile "${f##*/}"
done
# Which profile NetworkManager had active on each device (its state files name the uuid).
for d in /sys/class/net/*; do
	[ -r "$d/ifindex" ] || continue
	read -r i <"$d/ifindex"
	u=$(sed -n 's/^connection-uuid=//p' "/run/NetworkManager/devices/$i" 2>/dev/null)
	[ -n "$u" ] || continue
	f=$(grep -l "^uuid=$u\$" /run/NetworkManager/system-connections/* 2>/dev/null)
	say nm-active "${d##*/} ${f##*/}"
done
say "done" "rc=0 uptime=$(uptime_s)"
sync
poweroff -f
