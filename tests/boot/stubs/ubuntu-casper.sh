# shellcheck shell=sh
# tests/boot (itools-hook): Ubuntu's initramfs-tools (0.140ubuntu13, jammy) and casper, as
# far as the network hand-off goes: the behaviour docs/boot.md describes, written for the
# test from a reading of their sources (neither package is in Debian's archive; nothing
# of them is copied here). Sourced by the tier's /init after Debian's scripts/functions,
# whose configure_networking this one replaces. dhclient is a logging stub.
# shellcheck disable=SC1090,SC2013 # the ipconfig files; the command line's words

# configure_networking: the device from BOOTIF (its MAC over /sys/class/net, the first
# match) or from ip='s sixth field, else DEVICE. Nothing to do when /run/net-DEVICE.conf
# exists (or, without a DEVICE, any /run/net-*.conf); else dhclient, which "leases"
# 10.0.0.150 to the device. Then it sources the device's file and renders every
# /run/net-*.conf as /run/netplan/DEVICE.yaml, an `ethernets:` entry named after the
# device with DHCP (a copy goes to /log/ubuntu-netplan-DEVICE.yaml).
configure_networking() {
	if [ -n "$BOOTIF" ]; then
		ub_mac=$(echo "${BOOTIF#*-}" | tr - :)
		for ub_d in /sys/class/net/*; do
			[ "$(cat "$ub_d/address" 2>/dev/null)" = "$ub_mac" ] && DEVICE=${ub_d##*/} && break
		done
	fi
	case $IP in
	*:*:*:*:*:*)
		ub_dev=$(echo "$IP" | cut -d: -f6)
		[ -z "$ub_dev" ] || DEVICE=$ub_dev
		;;
	esac
	if { [ -n "$DEVICE" ] && [ -e "/run/net-$DEVICE.conf" ]; } ||
		{ [ -z "$DEVICE" ] && ls /run/net-*.conf >/dev/null 2>&1; }; then
		:
	else
		dhclient -v -1 ${DEVICE:+"$DEVICE"}
		printf "DEVICE='%s'\nPROTO='dhcp'\nIPV4ADDR='10.0.0.150'\n" "${DEVICE:-eth0}" >"/run/net-${DEVICE:-eth0}.conf"
	fi
	for ub_c in "/run/net-$DEVICE.conf" /run/net-*.conf; do
		if [ -e "$ub_c" ]; then
			. "$ub_c"
			break
		fi
	done
	mkdir -p /run/netplan
	for ub_c in /run/net-*.conf; do
		[ -e "$ub_c" ] || continue
		(
			. "$ub_c"
			printf 'network:\n  version: 2\n  ethernets:\n    %s:\n      dhcp4: true\n      dhcp-identifier: mac\n      critical: true\n' \
				"$DEVICE" >"/run/netplan/$DEVICE.yaml"
			cp "/run/netplan/$DEVICE.yaml" "/log/ubuntu-netplan-$DEVICE.yaml"
		)
	done
}

# casper_mountroot: casper's mountroot as far as the network goes: with ip= on the
# command line (any value but empty) it runs configure_networking; url=...iso is fetched
# (logged); then casper-premount and casper-bottom, whose 58server_network moves the
# netplan files into the live installer's cloud-init configuration.
casper_mountroot() {
	ub_ip='' ub_url=''
	for ub_x in $(cat /proc/cmdline); do
		case $ub_x in
		ip=*) ub_ip=${ub_x#ip=} ;;
		url=*.iso) ub_url=${ub_x#url=} ;;
		esac
	done
	if [ -n "$ub_ip" ]; then
		configure_networking
		export DEVICE
	fi
	[ -d /scripts/casper-premount ] && run_scripts /scripts/casper-premount
	[ -z "$ub_url" ] || echo "casper: wget $ub_url" >>/log/calls
	run_scripts /scripts/casper-bottom
	echo "casper: DEVICE=$DEVICE" >>/log/vars
}
