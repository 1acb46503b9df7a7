#!/bin/sh
# busybox udhcpc's script in the rescue image: udhcpc only renews, with the server, the
# lease pxebond got; the address (made permanent by boot.sh), route and resolv.conf stay
# as pxebond set them. A server that hands out another address is reported, not obeyed:
# SSH listens on the first one.
# shellcheck source=rescue/lib.sh
. /usr/lib/rescue/lib.sh
# shellcheck disable=SC1091 # written by pxebond, every value single-quoted
[ -r /run/pxebond/state ] && . /run/pxebond/state

# udhcpc's environment: interface, ip, mask, lease (and more, unused).
# shellcheck disable=SC2154 # all four are udhcpc's
case $1 in
bound | renew)
	echo "$(date) $1: $interface $ip/$mask, lease ${lease:-?} s"
	if [ "$ip" != "${PXEBOND_IP:-}" ]; then
		rescue_say "dhcp: the server now gives $interface $ip, keeping ${PXEBOND_IP:-?}" \
			"(SSH listens there)"
	fi
	;;
leasefail | nak) echo "$(date) $1 on $interface: keeping ${PXEBOND_IP:-?}" ;;
esac
exit 0
