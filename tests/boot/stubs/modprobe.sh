#!/bin/sh
# tests/boot: modprobe, logged. bonding "loads" (/sys/module/bonding) unless
# /case/no-bonding exists; a driver alias listed in /case/late-nics ("ALIAS IFACE MAC")
# registers its netdev as it loads.
echo "modprobe $*" >>/log/calls
for a in "$@"; do
	case $a in
	bonding)
		[ -e /case/no-bonding ] && exit 1
		mkdir -p /sys/module/bonding
		;;
	esac
	[ -r /case/late-nics ] || continue
	while read -r alias ifname mac; do
		[ "$alias" = "$a" ] || continue
		mkdir -p "/sys/class/net/$ifname"
		echo "$mac" >"/sys/class/net/$ifname/address"
		echo 1 >"/sys/class/net/$ifname/type"
	done </case/late-nics
done
exit 0
