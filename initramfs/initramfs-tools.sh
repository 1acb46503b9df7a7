#!/bin/sh
# pxebond in an initramfs-tools image: Debian's (live-boot, an NFS root, an installed
# system's own initramfs with dropbear or clevis) and Ubuntu's (casper, subiquity). Run
# from the lines /conf/conf.d/zz-pxebond puts first in the image's ORDER lists:
#   premount       init-premount, before any network setup: where a NIC has an LACP
#                  partner, bring up the bond with a lease and hand it on (ipconfig's
#                  /run/net-BOND.conf, DEVICE=BOND for the rest of the boot), so that
#                  configure_networking, live-boot and casper use it instead of running
#                  DHCP on its members
#   casper-bottom  Ubuntu: the netplan file configure_networking wrote for the bond
#   bottom         (init-bottom) describes it as a bond with its members, not as an
#                  ethernet; casper carries it into the installer
#   ipconfig       /usr/lib/pxebond/bin/ipconfig, first in PATH once the bond is handed
#                  on: for the bond, the lease pxebond got (live-boot runs ipconfig on
#                  its device whatever it finds in /run); anything else, klibc's ipconfig
# Anywhere else (pxebond=off, no LACP partner, a failure) the image's own network setup
# runs as it would without pxebond. See docs/boot.md.

# shellcheck source=initramfs/lib.sh
. /usr/lib/pxebond/lib.sh

PXB_IT_BIN=$PXB_LIB/bin

# pxb_it_path TEXT: true if TEXT may stand as a root path or boot file name in a file
# the image's scripts source and use (nfsmount "$ROOTSERVER:$ROOTPATH"): the wire's
# bytes, so a plain set of characters only.
pxb_it_path() {
	case $1 in
	*[!A-Za-z0-9._/:,=@+-]*) return 1 ;;
	esac
	[ "${#1}" -le 255 ]
}

# pxb_it_field N TEXT: the Nth colon-separated field of TEXT (ip= syntax).
pxb_it_field() {
	pxb_it_t=$2 pxb_it_i=1
	while [ "$pxb_it_i" -lt "$1" ]; do
		case $pxb_it_t in
		*:*) pxb_it_t=${pxb_it_t#*:} ;;
		*) pxb_it_t='' ;;
		esac
		pxb_it_i=$((pxb_it_i + 1))
	done
	printf '%s\n' "${pxb_it_t%%:*}"
}

# pxb_it_member NAME: true if NAME is a NIC that `up` enslaved (PXEBOND_MEMBERS).
pxb_it_member() {
	for pxb_it_m in $PXEBOND_MEMBERS; do
		[ "$pxb_it_m" = "$1" ] && return 0
	done
	return 1
}

# pxb_it_why_not: prints why this boot is not pxebond's to take over, if it is not.
# initramfs-tools' /init exports BOOT, IP (ip=), DEVICE and BOOTIF.
pxb_it_why_not() {
	if [ -n "$IP" ]; then
		case $IP in
		off | none)
			echo "ip=$IP: the command line wants no network"
			return
			;;
		*:*)
			if [ -n "$(pxb_it_field 1 "$IP")" ]; then
				echo "ip= gives a static address: leaving the network to initramfs-tools"
				return
			fi
			case $(pxb_it_field 7 "$IP") in
			off | none | static)
				echo "ip= turns autoconfiguration off: leaving the network to initramfs-tools"
				return
				;;
			esac
			;;
		esac
	fi
	for pxb_it_k in bond vlan bridge; do
		if pxb_arg "$pxb_it_k" >/dev/null; then
			echo "the command line sets up $pxb_it_k= itself: leaving the network to initramfs-tools"
			return
		fi
	done
	# The boots that bring a network up: an NFS root, ip=, live-boot's and casper's
	# network media, and dropbear or clevis (tang), which run configure_networking.
	[ "$BOOT" = nfs ] || [ -n "$IP" ] && return
	for pxb_it_k in fetch httpfs ftpfs netboot nfsroot url; do
		pxb_arg "$pxb_it_k" >/dev/null && return
	done
	[ -x /sbin/dropbear ] || [ -x /usr/bin/clevis-decrypt-tang ] && return
	echo "this boot needs no network (no ip=, NFS root, network live medium, dropbear or clevis): doing nothing"
}

# pxb_it_flavour: what runs the boot, for the console.
pxb_it_flavour() {
	if [ "$BOOT" = live ] && [ -e /scripts/live ]; then
		echo "initramfs-tools with live-boot"
	elif [ "$BOOT" = casper ] && [ -e /scripts/casper ]; then
		echo "initramfs-tools with casper"
	elif [ "$BOOT" = nfs ]; then
		echo "initramfs-tools, NFS root"
	else
		echo initramfs-tools
	fi
}

# pxb_it_kv NAME VALUE: NAME='VALUE' for a file boot scripts source. Every VALUE here is
# an address, a number, a name the binary checked or a plain path: none holds a quote.
pxb_it_kv() {
	case $2 in
	*\'*) return 1 ;;
	esac
	pxb_kv "$1" "$2"
}

# pxb_it_netconf FILE: what up leased, as klibc's ipconfig writes /run/net-DEVICE.conf
# (configure_networking, live-boot and casper source it). The values are pxb_state's:
# the binary checked each against its type (addresses, host and domain names) and left
# out what failed. The root path and boot file are any printable text there; here, where
# boot scripts use them unquoted, only a plain set of characters passes.
pxb_it_netconf() {
	pxb_it_out=$1
	if [ -z "$PXEBOND_IP" ] || [ -z "$PXEBOND_NETMASK" ] || [ -z "$PXEBOND_BROADCAST" ]; then
		pxb_say err "$PXB_RUN/state has no address, netmask or broadcast for $PXEBOND_IFACE"
		return 1
	fi
	set -f
	# shellcheck disable=SC2086 # the lists' words
	set -- $PXEBOND_DNS
	pxb_it_dns0=${1:-0.0.0.0} pxb_it_dns1=${2:-0.0.0.0}
	# shellcheck disable=SC2086
	set -- $PXEBOND_ROUTER
	pxb_it_gw=${1:-0.0.0.0}
	# shellcheck disable=SC2086
	set -- ${PXEBOND_SEARCH:-$PXEBOND_DOMAIN}
	pxb_it_search=$*
	set +f
	pxb_it_rpath='' pxb_it_file=''
	if pxb_it_path "$PXEBOND_ROOT_PATH"; then
		pxb_it_rpath=$PXEBOND_ROOT_PATH
	else
		pxb_say warn "the lease's root path has characters a boot script should not see: left out"
	fi
	pxb_it_path "$PXEBOND_BOOTFILE" && pxb_it_file=$PXEBOND_BOOTFILE
	read -r pxb_it_up _ </proc/uptime
	{
		pxb_it_kv DEVICE "$PXEBOND_IFACE" &&
			pxb_it_kv PROTO dhcp &&
			pxb_it_kv IPV4ADDR "$PXEBOND_IP" &&
			pxb_it_kv IPV4BROADCAST "$PXEBOND_BROADCAST" &&
			pxb_it_kv IPV4NETMASK "$PXEBOND_NETMASK" &&
			pxb_it_kv IPV4GATEWAY "$pxb_it_gw" &&
			pxb_it_kv IPV4DNS0 "$pxb_it_dns0" &&
			pxb_it_kv IPV4DNS1 "$pxb_it_dns1" &&
			pxb_it_kv HOSTNAME "$PXEBOND_HOSTNAME" &&
			pxb_it_kv DNSDOMAIN "$PXEBOND_DOMAIN" &&
			pxb_it_kv NISDOMAIN '' &&
			pxb_it_kv ROOTSERVER "${PXEBOND_NEXT_SERVER:-0.0.0.0}" &&
			pxb_it_kv ROOTPATH "$pxb_it_rpath" &&
			pxb_it_kv filename "$pxb_it_file" &&
			pxb_it_kv UPTIME "${pxb_it_up%.*}" &&
			pxb_it_kv DHCPLEASETIME "$PXEBOND_LEASE_SECONDS" &&
			pxb_it_kv DOMAINSEARCH "$pxb_it_search"
	} >"$pxb_it_out.pxebond" && mv -f "$pxb_it_out.pxebond" "$pxb_it_out"
}

# pxb_it_handoff: hands up's interface to the rest of the boot. initramfs-tools'
# configure_networking returns at once for DEVICE when /run/net-DEVICE.conf exists
# (Ubuntu's: treats it as done), and /init sources /conf/param.conf after each boot
# script; so: the file, its variables, and DEVICE, ip= and BOOTIF pointing at the bond
# (BOOTIF's MAC is the bond's and its members' too). live-boot runs ipconfig on DEVICE
# regardless (`ipconfig -c none` would reset the bond's netmask): PATH finds pxebond's
# ipconfig first, which reports the lease for the bond and hands anything else on.
pxb_it_handoff() {
	pxb_if=$PXEBOND_IFACE
	pxb_it_netconf "/run/net-$pxb_if.conf" || return 1
	pxb_it_ip=''
	case $IP in
	*:*)
		pxb_it_dev=$(pxb_it_field 6 "$IP")
		if [ -n "$pxb_it_dev" ] && pxb_it_member "$pxb_it_dev"; then
			# fields 1-5, the bond in field 6, then whatever followed the device
			pxb_it_head='' pxb_it_rest=$IP pxb_it_i=0
			while [ "$pxb_it_i" -lt 5 ]; do
				pxb_it_head=$pxb_it_head${pxb_it_rest%%:*}:
				pxb_it_rest=${pxb_it_rest#*:}
				pxb_it_i=$((pxb_it_i + 1))
			done
			case $pxb_it_rest in
			*:*) pxb_it_ip=$pxb_it_head$pxb_if:${pxb_it_rest#*:} ;;
			*) pxb_it_ip=$pxb_it_head$pxb_if ;;
			esac
		fi
		;;
	esac
	case $pxb_it_ip in
	*[!A-Za-z0-9.:_-]*)
		pxb_say err "ip= names $pxb_it_dev, a member of $pxb_if, but cannot be rewritten (it has characters other than those of names and addresses)"
		return 1
		;;
	esac
	# All of it or nothing: /init sources the file after every boot script.
	{
		echo "# pxebond: $pxb_if carries the network from here on (/run/net-$pxb_if.conf, $PXB_RUN/state)"
		pxb_it_kv DEVICE "$pxb_if"
		[ -z "$pxb_it_ip" ] || pxb_it_kv IP "$pxb_it_ip"
		pxb_it_kv BOOTIF ''
		# What configure_networking sources after its own ipconfig, and returns before
		# when the file is there: ROOTSERVER and ROOTPATH for nfsroot=auto.
		echo "[ -e /run/net-$pxb_if.conf ] && . /run/net-$pxb_if.conf"
		# shellcheck disable=SC2016 # expanded where /init sources it
		echo 'case :$PATH: in *:/usr/lib/pxebond/bin:*) ;; *) PATH=/usr/lib/pxebond/bin:$PATH ;; esac'
	} >"$PXB_RUN/param.conf" && cat "$PXB_RUN/param.conf" >>/conf/param.conf || return 1
	[ -z "$pxb_it_ip" ] || pxb_say info "ip= named $pxb_it_dev, a member of $pxb_if: it names $pxb_if now"
	pxb_say info "$pxb_if handed to initramfs-tools: /run/net-$pxb_if.conf, DEVICE=$pxb_if; its ipconfig answers for $pxb_if"
}

pxb_it_premount() {
	pxb_it_mode=$(pxb_arg pxebond)
	if [ "$pxb_it_mode" = off ]; then
		pxb_say info "pxebond=off: initramfs-tools' network setup runs as without pxebond"
		return 0
	fi
	# The hook's PXEBOND=cmdline: built in, run only when asked for.
	PXB_IT_ENABLE=auto
	# shellcheck disable=SC1091 # written by the hook
	[ -r "$PXB_LIB/initramfs-tools.env" ] && . "$PXB_LIB/initramfs-tools.env"
	if [ "$PXB_IT_ENABLE" = cmdline ] && [ -z "$pxb_it_mode" ]; then
		pxb_say info "built in to run when asked (PXEBOND=cmdline) and no pxebond= on the command line: doing nothing"
		return 0
	fi
	# Once a boot (the hook's init-premount script and this line are one run).
	[ -e "$PXB_RUN/state" ] && return 0
	pxb_it_why=$(pxb_it_why_not)
	if [ -n "$pxb_it_why" ]; then
		pxb_say info "$pxb_it_why"
		return 0
	fi
	pxb_say info "$(pxb_it_flavour): probing the NICs for LACP before the network starts"
	# initramfs-tools builds no bonding.ko into its images (MODULES=most leaves it out):
	# the hook adds it, an overlay needs mkmodules.sh's cpio for the kernel.
	pxb_own_modules
	pxb_load_nics
	# Without bonding only single NICs are left, which a strict LAG does not admit: each
	# would cost up's DHCP timeout for nothing the image's own setup cannot do.
	if [ ! -d /sys/module/bonding ]; then
		pxb_say warn "no bonding.ko in this image (initramfs-tools leaves it out): append the kernel's from initramfs/mkmodules.sh, or add bonding to /etc/initramfs-tools/modules; initramfs-tools' network setup runs as without pxebond"
		return 0
	fi
	# (live-boot's fetch= and httpfs=, casper's url=: the binary checks them over the
	# path, as the other installers' files)
	pxb_up /proc/cmdline
	case $? in
	0) ;;
	4)
		pxb_say info "no NIC has an LACP partner: initramfs-tools' network setup runs as without pxebond"
		return 0
		;;
	*)
		pxb_say warn "no path came up; the NICs are as they were and initramfs-tools' network setup runs as without pxebond"
		return 0
		;;
	esac
	if ! pxb_state; then
		"$PXB_BIN" down
		pxb_say warn "up left no usable $PXB_RUN/state: its path taken down again; initramfs-tools' network setup runs as without pxebond"
		return 0
	fi
	if ! pxb_it_handoff; then
		rm -f "/run/net-$PXEBOND_IFACE.conf"
		"$PXB_BIN" down
		pxb_say warn "$PXEBOND_IFACE taken down again; initramfs-tools' network setup runs as without pxebond"
	fi
}

# pxb_it_bottom STAGE: Ubuntu's configure_networking renders every /run/net-*.conf as
# /run/netplan/DEVICE.yaml, an `ethernets:` entry: for the bond that is a NIC named
# bond0 carrying a member's MAC, which the installed system would not have. Where it
# wrote one, or in casper-bottom (casper moves /run/netplan/*.yaml into the live
# installer's cloud-init configuration next, and subiquity takes the network from
# there), put `pxebond write`'s netplan file in its place: the bond, its options and
# MAC, its members by permanent MAC.
pxb_it_bottom() {
	pxb_state 2>/dev/null || return 0
	pxb_if=$PXEBOND_IFACE
	pxb_it_np=/run/netplan/$pxb_if.yaml
	[ -e "$pxb_it_np" ] || [ "$1" = casper-bottom ] || return 0
	rm -rf "$PXB_RUN/netplan"
	mkdir -p "$PXB_RUN/netplan"
	if ! "$PXB_BIN" write --root "$PXB_RUN/netplan" --format netplan --initrd >/dev/null; then
		pxb_say err "cannot write the netplan file for $pxb_if: $pxb_it_np left as it was"
		return 0
	fi
	for pxb_it_f in "$PXB_RUN/netplan/etc/netplan/"*.yaml; do
		[ -e "$pxb_it_f" ] || continue
		mkdir -p /run/netplan
		(umask 077 && cat "$pxb_it_f" >"$pxb_it_np.pxebond") && mv -f "$pxb_it_np.pxebond" "$pxb_it_np" &&
			pxb_say info "$pxb_it_np describes $pxb_if as the bond it is (members by permanent MAC)"
		return 0
	done
	pxb_say err "pxebond write left no netplan file for $pxb_if: $pxb_it_np left as it was"
}

# pxb_it_ipconfig_kind ARG...: how an ipconfig command line relates to up's bond:
# "bond" (it names the bond, or any device, e.g. ip=dhcp or all), "member" (a NIC the
# bond took), "other" (anything else: klibc's ipconfig does it).
pxb_it_ipconfig_kind() {
	pxb_it_kind=''
	while [ $# -gt 0 ]; do
		pxb_it_d=''
		case $1 in
		-c | -i | -p | -t)
			shift
			;;
		-d)
			[ $# -ge 2 ] && pxb_it_d=$2 && shift
			;;
		-n) ;;
		-*)
			echo other
			return
			;;
		*) pxb_it_d=$1 ;;
		esac
		shift
		[ -n "$pxb_it_d" ] || continue
		pxb_it_d=${pxb_it_d#ip=}
		pxb_it_d=${pxb_it_d#nfsaddrs=}
		case $pxb_it_d in
		*:*) pxb_it_d=$(pxb_it_field 6 "$pxb_it_d") ;;
		on | any | dhcp | bootp | rarp | both | none | off | static) pxb_it_d='' ;;
		esac
		if [ -z "$pxb_it_d" ] || [ "$pxb_it_d" = all ] || [ "$pxb_it_d" = "$PXEBOND_IFACE" ]; then
			pxb_it_kind=${pxb_it_kind:-bond}
		elif pxb_it_member "$pxb_it_d"; then
			pxb_it_kind=member pxb_it_name=$pxb_it_d
		else
			echo other
			return
		fi
	done
	echo "${pxb_it_kind:-bond}"
}

# pxb_it_ipconfig ARG...: ipconfig, for the boot scripts that run it after pxebond has
# handed the bond on. For the bond: its lease, as ipconfig prints it, and
# /run/net-BOND.conf as it left it, with nothing on the interface changed. A member:
# left alone. Anything else, or no bond: klibc's ipconfig, with the same arguments.
pxb_it_ipconfig() {
	pxb_it_kind=other
	pxb_state 2>/dev/null && pxb_it_kind=$(pxb_it_ipconfig_kind "$@")
	case $pxb_it_kind in
	other)
		pxb_it_path_rest=$PATH
		while [ -n "$pxb_it_path_rest" ]; do
			pxb_it_p=${pxb_it_path_rest%%:*}
			case $pxb_it_path_rest in
			*:*) pxb_it_path_rest=${pxb_it_path_rest#*:} ;;
			*) pxb_it_path_rest='' ;;
			esac
			[ "$pxb_it_p" != "$PXB_IT_BIN" ] && [ -x "$pxb_it_p/ipconfig" ] &&
				exec "$pxb_it_p/ipconfig" "$@"
		done
		echo "ipconfig: klibc's ipconfig is not in PATH ($PATH)" >&2
		return 1
		;;
	member)
		echo "IP-Config: $pxb_it_name is a member of $PXEBOND_IFACE (pxebond): left as it is"
		return 0
		;;
	esac
	pxb_it_conf=/run/net-$PXEBOND_IFACE.conf
	[ -e "$pxb_it_conf" ] || pxb_it_netconf "$pxb_it_conf" || return 1
	DEVICE='' PROTO='' IPV4ADDR='' IPV4BROADCAST='' IPV4NETMASK='' IPV4GATEWAY='' IPV4DNS0=''
	IPV4DNS1='' HOSTNAME='' DNSDOMAIN='' ROOTSERVER='' ROOTPATH='' filename=''
	# shellcheck disable=SC1090 # written by pxb_it_netconf
	. "$pxb_it_conf"
	echo "IP-Config: $DEVICE is pxebond's $PXEBOND_MODE bond: its lease, nothing changed"
	echo "IP-Config: $DEVICE complete ($PROTO from ${PXEBOND_SERVER_ID:-$ROOTSERVER}):"
	printf ' address: %-16s broadcast: %-16s netmask: %-16s\n' "$IPV4ADDR" "$IPV4BROADCAST" "$IPV4NETMASK"
	printf ' gateway: %-16s dns0     : %-16s dns1   : %-16s\n' "$IPV4GATEWAY" "$IPV4DNS0" "$IPV4DNS1"
	[ -z "$HOSTNAME" ] || printf ' host   : %s\n' "$HOSTNAME"
	[ -z "$DNSDOMAIN" ] || printf ' domain : %s\n' "$DNSDOMAIN"
	printf ' rootserver: %s rootpath: %s\n' "$ROOTSERVER" "$ROOTPATH"
	printf ' filename  : %s\n' "$filename"
}

case ${1-} in
premount) pxb_it_premount ;;
casper-bottom | bottom) pxb_it_bottom "$1" ;;
ipconfig)
	shift
	pxb_it_ipconfig "$@"
	exit
	;;
prereqs) ;;
*)
	echo "usage: ${0##*/} premount|casper-bottom|bottom|ipconfig [ARG...]" >&2
	exit 2
	;;
esac
# A boot script's failure must not stop the boot: each stage says what went wrong.
exit 0
