#!/bin/sh
# /lib/debian-installer-startup.d/S32pxebond: pxebond in the Debian installer. Its startup
# scripts run after udev has loaded the drivers and after the initrd's and the command
# line's preseeding (S30initrd-preseed, S32env-preseed), before preseed/early_command and
# long before netcfg, which knows no bonds and takes every interface down before it
# configures one. Where a NIC has an LACP partner, pxebond brings up the bond with a
# lease (and keeps renewing it) and tells netcfg to leave the network alone
# (netcfg/enable=false); the rest of the
# installer (the preseed from url=, the mirror) then runs over the bond, and
# finish-install.d/56pxebond writes the installed system's bond at the end. Anywhere
# else the installer runs as it would without pxebond. See docs/boot.md.

# debconf's confmodule runs this script again under the frontend: nothing before it.
# shellcheck disable=SC1091 # the installer's own
. /usr/share/debconf/confmodule
# shellcheck source=initramfs/lib.sh
. /usr/lib/pxebond/lib.sh

pxb_di() {
	if [ "$(pxb_arg pxebond)" = off ]; then
		pxb_say info "pxebond=off: the installer's network setup runs as without pxebond"
		return 0
	fi
	# A preseed that configures the network itself keeps it.
	if db_get netcfg/enable && [ "$RET" = false ]; then
		pxb_say info "netcfg/enable=false is preseeded: leaving the network as it is"
		return 0
	fi
	if db_get netcfg/disable_autoconfig && [ "$RET" = true ]; then
		pxb_say info "a static network configuration is preseeded: leaving it to netcfg"
		return 0
	fi
	pxb_say info "Debian installer: probing the NICs for LACP before netcfg"
	pxb_load_nics
	# --renew: with netcfg disabled nothing else would renew the lease, and an install
	# can outlast it (a process of its own keeps it; nothing runs past the reboot).
	pxb_up /proc/cmdline --renew
	case $? in
	0) ;;
	4)
		pxb_say info "no NIC has an LACP partner: the installer's network setup runs as without pxebond"
		return 0
		;;
	*)
		pxb_say warn "no path came up; the NICs are as they were and the installer's network setup runs as without pxebond"
		return 0
		;;
	esac
	pxb_state || return 0
	# netcfg would take the bond and its members down and could not bring a bond up
	# again; with netcfg/enable=false it only writes the host name and hosts file.
	db_set netcfg/enable false
	db_fset netcfg/enable seen true
	# The host name from the lease, checked by the binary as a DNS name (pxb_state).
	if [ -n "$PXEBOND_HOSTNAME" ] && db_get netcfg/get_hostname && [ -z "$RET" ]; then
		db_set netcfg/get_hostname "${PXEBOND_HOSTNAME%%.*}"
	fi
	pxb_say info "$PXEBOND_IFACE is up with $PXEBOND_IP; netcfg is told to leave the network alone"
}

pxb_di
exit 0
