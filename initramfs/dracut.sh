# shellcheck shell=sh
# pxebond in a dracut initramfs (059 and dracut-ng), sourced by the pre-udev hook. It
# runs after the command line was parsed and before udev and the network module's own
# rules: it loads the NIC drivers, runs `pxebond up`, and when a path is up hands it to
# the network module that is there (network-legacy, network-manager, systemd-networkd)
# so that dracut's online hooks and netroot handlers run over it and nothing takes the
# NICs back. When pxebond is off, finds no LACP or fails, dracut goes on exactly as it
# would have without it. See docs/boot.md.
# shellcheck disable=SC2154 # hookdir, netroot: dracut's
# shellcheck source=initramfs/lib.sh
. /usr/lib/pxebond/lib.sh

# Which network module this image has; empty if none pxebond knows.
pxb_dracut_flavour() {
	if [ -x /usr/sbin/NetworkManager ] && { [ -e /lib/nm-lib.sh ] ||
		[ -e /usr/lib/systemd/system/NetworkManager-initrd.service ]; }; then
		echo network-manager
	elif [ -x /sbin/ifup ] && [ -e /lib/net-lib.sh ] && command -v dhclient >/dev/null; then
		echo network-legacy
	elif [ -x /usr/lib/systemd/systemd-networkd ] || [ -x /lib/systemd/systemd-networkd ]; then
		echo systemd-networkd
	fi
}

# Whether this boot brings up a network at all (net-genrules' own test).
pxb_dracut_neednet() {
	[ -n "$netroot" ] || [ -e /tmp/net.ifaces ] || getargbool 0 rd.neednet
}

# network-legacy: dracut's ifup would set up each NIC (or the bond= it was told about)
# from udev events, and after DHCP its dhclient-script leaves files behind and runs
# setup_net, the online hooks and netroot. Leave the same files for pxebond's interface,
# mark every probed NIC as set up so that ifup leaves it alone, run setup_net now, and
# queue the online hooks and netroot as dhclient-script's job would.
pxb_dracut_legacy() {
	pxb_if=$PXEBOND_IFACE
	for pxb_w in $PXEBOND_RESTORE; do
		pxb_n=${pxb_w%:*}
		: >"/tmp/net.$pxb_n.did-setup"
		pxb_mac "$pxb_n"
		[ -n "$pxb_a" ] && : >"/tmp/net.$pxb_a.did-setup"
	done
	# setup_net's early return must not fire for the interface it is about to set up.
	pxb_mac "$pxb_if"
	rm -f "/tmp/net.$pxb_if.did-setup" "/tmp/net.$pxb_a.did-setup"
	# The search list: option 119's names, else option 15's, as `pxebond write --static`
	# takes them. Every name was checked by the binary (pxb_state); split, never globbed.
	case $- in
	*f*) pxb_glob=-f ;;
	*) pxb_glob=+f ;;
	esac
	set -f
	pxb_search=''
	for pxb_s in ${PXEBOND_SEARCH:-$PXEBOND_DOMAIN}; do
		pxb_search="$pxb_search $pxb_s"
	done
	set "$pxb_glob"
	# As dhclient-script: no file without a name server or search list, or setup_net
	# would copy an empty one over /etc/resolv.conf.
	if [ -n "$pxb_search$PXEBOND_DNS" ]; then
		{
			[ -n "$pxb_search" ] && echo "search$pxb_search"
			for pxb_s in $PXEBOND_DNS; do echo "nameserver $pxb_s"; done
		} >"/tmp/net.$pxb_if.resolv.conf"
	fi
	[ -n "$PXEBOND_ROUTER" ] &&
		echo "ip route replace default via '${PXEBOND_ROUTER%% *}' dev '$pxb_if'" >"/tmp/net.$pxb_if.gw"
	[ -n "$PXEBOND_HOSTNAME" ] &&
		echo "echo '$PXEBOND_HOSTNAME' > /proc/sys/kernel/hostname" >"/tmp/net.$pxb_if.hostname"
	# What netroot reads for root=dhcp, named as dhclient-script names it: pxb_state's
	# values, quoted for sh again.
	{
		pxb_kv new_ip_address "$PXEBOND_IP"
		pxb_kv new_subnet_mask "$PXEBOND_NETMASK"
		pxb_kv new_routers "$PXEBOND_ROUTER"
		pxb_kv new_domain_name_servers "$PXEBOND_DNS"
		pxb_kv new_domain_name "$PXEBOND_DOMAIN"
		pxb_kv new_host_name "$PXEBOND_HOSTNAME"
		pxb_kv new_next_server "$PXEBOND_NEXT_SERVER"
		pxb_kv filename "$PXEBOND_BOOTFILE"
		pxb_kv new_root_path "$PXEBOND_ROOT_PATH"
		pxb_kv new_dhcp_lease_time "$PXEBOND_LEASE_SECONDS"
	} >"/tmp/dhclient.$pxb_if.dhcpopts"
	: >"/tmp/net.$pxb_if.up"
	# The interface pxebond made is the boot device now (netroot and the online hooks
	# read it from here); it goes first in the interface list.
	pxb_old=''
	[ -e /tmp/net.ifaces ] && read -r pxb_old </tmp/net.ifaces
	echo "$pxb_if $pxb_old" >/tmp/net.ifaces
	echo "$pxb_if" >/tmp/net.bootdev
	command -v setup_net >/dev/null || . /lib/net-lib.sh
	setup_net "$pxb_if"
	/sbin/initqueue --onetime --unique --name "pxebond-online-$pxb_if" \
		/usr/lib/pxebond/dracut-online.sh "$pxb_if"
	pxb_say info "$pxb_if handed to dracut's network-legacy: online hooks and netroot queued"
}

# network-manager: NetworkManager would activate the profiles nm-initrd-generator wrote
# from ip=/BOOTIF= on the NICs themselves (DHCP on a bond member takes it out of the
# bond). Move them aside and give NetworkManager profiles for what pxebond built, which
# it takes over; nm-run.sh then runs the online hooks and netroot for it, and the profiles
# stay in /run for the installer's second stage.
pxb_dracut_nm() {
	pxb_nmdir=/run/NetworkManager/system-connections
	mkdir -p "$pxb_nmdir" "$PXB_RUN/nm-generated"
	for pxb_f in "$pxb_nmdir"/*; do
		[ -e "$pxb_f" ] || continue
		mv -f "$pxb_f" "$PXB_RUN/nm-generated/"
		pxb_say info "set aside nm-initrd-generator's profile ${pxb_f##*/} (in $PXB_RUN/nm-generated)"
	done
	rm -rf "$PXB_RUN/nm"
	mkdir -p "$PXB_RUN/nm"
	if ! "$PXB_BIN" write --root "$PXB_RUN/nm" --format nm --initrd >/dev/null; then
		mv -f "$PXB_RUN/nm-generated/"* "$pxb_nmdir/" 2>/dev/null
		pxb_say err "cannot write NetworkManager profiles: NetworkManager's own are back"
		return 1
	fi
	if ! mv -f "$PXB_RUN/nm/etc/NetworkManager/system-connections/"* "$pxb_nmdir/" 2>/dev/null ||
		[ ! -e "$pxb_nmdir/$PXEBOND_IFACE.nmconnection" ]; then
		mv -f "$PXB_RUN/nm-generated/"* "$pxb_nmdir/" 2>/dev/null
		pxb_say err "no NetworkManager profile for $PXEBOND_IFACE: NetworkManager's own are back"
		return 1
	fi
	mkdir -p /run/NetworkManager/initrd
	: >/run/NetworkManager/initrd/neednet
	mkdir -p "$hookdir/initqueue/finished"
	echo '[ -f /tmp/nm.done ]' >"$hookdir/initqueue/finished/nm.sh"
	pxb_say info "$PXEBOND_IFACE handed to NetworkManager: profiles in $pxb_nmdir"
}

# systemd-networkd: .netdev/.network files for what pxebond built, before the
# generator's catch-all DHCP=yes on every physical link, so that networkd adopts the bond
# and its members instead of running DHCP on them.
pxb_dracut_networkd() {
	rm -rf "$PXB_RUN/networkd"
	mkdir -p "$PXB_RUN/networkd"
	if ! "$PXB_BIN" write --root "$PXB_RUN/networkd" --format networkd --initrd >/dev/null; then
		pxb_say err "cannot write systemd-networkd files: networkd's own setup runs"
		return 1
	fi
	mkdir -p /run/systemd/network
	mv -f "$PXB_RUN/networkd/etc/systemd/network/"* /run/systemd/network/
	pxb_say info "$PXEBOND_IFACE handed to systemd-networkd: files in /run/systemd/network"
}

pxb_dracut() {
	pxb_mode=$(getarg pxebond=)
	if [ "$pxb_mode" = off ]; then
		pxb_say info "pxebond=off: dracut's network setup runs as without pxebond"
		return 0
	fi
	if getarg bond= team= bridge= vlan= >/dev/null; then
		pxb_say info "the command line sets up bond=, team=, bridge= or vlan= itself: leaving the network to dracut"
		return 0
	fi
	pxb_flavour=$(pxb_dracut_flavour)
	if [ -z "$pxb_flavour" ]; then
		pxb_say warn "dracut without network-legacy, network-manager or systemd-networkd: doing nothing"
		return 0
	fi
	if ! pxb_dracut_neednet; then
		pxb_say info "this boot needs no network (no ip=, rd.neednet or network root): doing nothing"
		return 0
	fi
	pxb_say info "dracut with $pxb_flavour: probing the NICs for LACP before the network starts"
	pxb_load_nics
	mkdir -p "$PXB_RUN"
	# dracut's command line: /etc/cmdline.d (kickstart and other hooks add there) too.
	getcmdline >"$PXB_RUN/cmdline"
	pxb_up "$PXB_RUN/cmdline"
	case $? in
	0) ;;
	4)
		pxb_say info "no NIC has an LACP partner: dracut's network setup runs as without pxebond"
		return 0
		;;
	*)
		pxb_say warn "no path came up; the NICs are as they were and dracut's network setup runs as without pxebond"
		return 0
		;;
	esac
	if ! pxb_state; then
		# A path is up with nothing to hand on: left up, it would fight dracut's own setup.
		"$PXB_BIN" down
		pxb_say warn "up left no usable $PXB_RUN/state: its path taken down again; dracut's network setup runs as without pxebond"
		return 0
	fi
	case $pxb_flavour in
	network-legacy) pxb_dracut_legacy ;;
	network-manager) pxb_dracut_nm ;;
	systemd-networkd) pxb_dracut_networkd ;;
	esac || {
		# Half a hand-off would leave the network module fighting the bond.
		"$PXB_BIN" down
		pxb_say warn "$PXEBOND_IFACE taken down again; dracut's network setup runs as without pxebond"
	}
}

pxb_dracut
