#!/bin/sh
# Guest scenario: the installer side of test-up.sh and demo.sh. Runs the steps listed in
# pxb.do (comma-separated, in order) against the server guest (scenarios/server.sh);
# pxebond itself takes its settings from this kernel command line (pxebond=,
# pxebond.timeout=, pxebond.check=, BOOTIF=), as it would in an installer initramfs.
#   up[N]     `pxebond up`: "@@PXB log upN LINE" per line of its stderr, "@@PXB result rc
#             upN RC", "@@PXB resolv upN LINE" per line of /etc/resolv.conf, "@@PXB json
#             upN STATE.JSON", then the summary below
#   down      `pxebond down`, then the summary
#   ks        fetch http://10.0.0.1/ks.cfg: "@@PXB ks LINE" per line, "@@PXB result ks RC"
#   payload   fetch payload.bin: "@@PXB result sha256 payload HASH wget_rc=RC"
#   cut       fetch payload.bin over bond0, stalling once 1 MB is in (the pipe fills,
#             TCP's window closes) to print "@@PXB cut IFACE", IFACE being the member
#             that carries the download; the host then cuts that link at both ends
#             (QEMU set_link off); carries on once the carrier is gone and prints
#             "@@PXB result sha256 cut HASH ..."
#   handmade  benchmark: the hand-made bond (mode 802.3ad, otherwise the defaults; bond
#             up first, then the members, then busybox udhcpc -T 1), "@@PXB bench K=V"
#   plain     benchmark: busybox udhcpc on pxb.plain (default eth2) alone, then
#             `pxebond up --mode single` there, "@@PXB bench K=V"
#   probe     `pxebond probe`: its table as "@@PXB show LINE" (for the demo)
#   show      the bond, the state and the kickstart as "@@PXB show LINE" (for the demo)
#   write     `pxebond write --format networkd` into /mnt/sysimage, and the files, as
#             "@@PXB show LINE" (for the demo)
#   plug      "@@PXB plug IFACE MS" for pxb.plug=IFACE:MS: the host turns IFACE's link on
#             (QEMU set_link) MS ms later, as copper autonegotiation would; goes straight
#             on to the next step
#   joined    waits (15 s at most) for pxb.joined=IFACE to be in bond0's active
#             aggregator: "@@PXB result joined IFACE yes|no MS" (ms since the step began)
# Summary: "@@PXB result after TAG up=[IFACES] bonds=[BONDS] addrs=[IFACE=ADDR ...]"
# (busybox only: sysfs and `ip addr`), and /proc/net/bonding/bond0 as "@@PXB bonding
# TAG LINE" while bond0 exists.
# shellcheck source=/dev/null
. /lib/pxb.sh

pxebond=/bin/pxebond
# The benchmarks' busybox udhcpc only has to get a lease: its script does nothing.
script=/bin/true
server=http://10.0.0.1
exec 3>&1 # the console, for framed lines from inside pipelines

up_links() {
	for _n in $(pxb_nics); do
		read -r _f <"/sys/class/net/$_n/flags"
		[ $((_f & 1)) = 0 ] || printf ' %s' "$_n"
	done
}

summary() {
	read -r _bonds </sys/class/net/bonding_masters || _bonds=
	_addrs=$(ip -4 addr show | awk '
		/^[0-9]+:/ { d = $2; sub(":$", "", d); sub("@.*", "", d) }
		/ inet / && d != "lo" { printf " %s=%s", d, $2 }')
	pxb_result after "$1 up=[$(up_links) ] bonds=[${_bonds:+ $_bonds} ] addrs=[$_addrs ]"
	[ ! -e /proc/net/bonding/bond0 ] || sed "s/^/@@PXB bonding $1 /" /proc/net/bonding/bond0
}

# run_up TAG [ARGS...]: bare `pxebond up` reads /proc/cmdline, as in an initramfs hook.
run_up() {
	_tag=$1
	shift
	pxb_say run "$_tag start uptime=$(pxb_uptime) up=[$(up_links) ]"
	rm -f /run/pxebond/state.json /etc/resolv.conf
	# pxb.v=1: debug messages (pxebond reads the command line itself only when run bare)
	[ "$(pxb_arg pxb.v)" != 1 ] || set -- --cmdline /proc/cmdline -v "$@"
	pxb_logged "$_tag" "$pxebond" up "$@"
	[ ! -f /etc/resolv.conf ] || sed "s/^/@@PXB resolv $_tag /" /etc/resolv.conf
	if [ -f /run/pxebond/state.json ]; then
		pxb_say json "$_tag $(tr -d '\n' </run/pxebond/state.json)"
		# Benchmark material: the timeline, ms since `pxebond up` started.
		sed -n 's/.*"timeline_ms":{\([^}]*\)}.*/\1/p' /run/pxebond/state.json | tr , '\n' |
			sed -n "s/^\"\([a-z_]*\)\":\(.*\)/@@PXB bench ${_tag}_\1_ms=\2/p"
	fi
	summary "$_tag"
}

fetch_ks() {
	wget -q -O /tmp/ks.cfg "$server/ks.cfg"
	_rc=$?
	[ ! -f /tmp/ks.cfg ] || sed 's/^/@@PXB ks /' /tmp/ks.cfg
	pxb_result ks "$_rc"
}

fetch_payload() {
	_t0=$(pxb_ms)
	{
		wget -q -O - "$server/payload.bin"
		echo $? >/tmp/wget.rc
	} | sha256sum >/tmp/sha
	read -r _sha _ </tmp/sha
	pxb_result sha256 "payload $_sha wget_rc=$(cat /tmp/wget.rc) ms=$(($(pxb_ms) - _t0))"
}

rx() { cat "/sys/class/net/$1/statistics/rx_bytes"; }

# shellcheck disable=SC2317 # run through pxb_wait
has_carrier() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }
# shellcheck disable=SC2317
no_carrier() { ! has_carrier "$1"; }

fetch_cut() {
	if [ ! -d /sys/class/net/bond0 ]; then
		pxb_result cut "none: no bond0"
		return
	fi
	read -r _members </sys/class/net/bond0/bonding/slaves
	for _m in $_members; do eval "_rx_$_m=$(rx "$_m")"; done
	_t0=$(pxb_ms)
	{
		wget -q -O - "$server/payload.bin"
		echo $? >/tmp/wget.rc
	} | {
		# At least 256 reads' worth; dd passes on exactly what it read.
		dd bs=4096 count=256 2>/dev/null
		_best='' _bestd=-1
		for _m in $_members; do
			eval "_d=\$(($(rx "$_m") - _rx_$_m))"
			# shellcheck disable=SC2154 # set by the eval
			[ "$_d" -le "$_bestd" ] || { _best=$_m; _bestd=$_d; }
		done
		pxb_say cut "$_best" >&3
		_tc=$(pxb_ms)
		if pxb_wait 100 no_carrier "$_best"; then
			pxb_result cut "$_best carrier_off after_ms=$(($(pxb_ms) - _tc)) rx_before=$_bestd" >&3
		else
			pxb_result cut "$_best still has carrier after 10 s" >&3
		fi
		cat
	} | sha256sum >/tmp/sha
	read -r _sha _ </tmp/sha
	pxb_result sha256 "cut $_sha wget_rc=$(cat /tmp/wget.rc) ms=$(($(pxb_ms) - _t0))"
	summary cut
}

# The way an initramfs does it by hand (dracut network-legacy's ifup, ifenslave):
# `ip link add bond0 type bond mode 802.3ad` (every other option the kernel's default:
# lacp_rate slow, miimon 100), bond up first, then the members, then udhcpc -T 1. Linux
# arms its 8 s aggregator-selection timer when the first member joins an up bond.
# udhcpc gets -t 30 so that it keeps asking every second (its default, 3 tries then a
# 20 s pause, would measure udhcpc rather than the bond).
handmade() {
	_members=$(pxb_arg pxb.members) || _members="eth0 eth1"
	_members=$(echo "$_members" | tr , ' ')
	_b=/sys/class/net/bond0/bonding
	echo +bond0 >/sys/class/net/bonding_masters || return 1
	echo 802.3ad >"$_b/mode" || return 1
	ip link set bond0 up
	_t0=$(pxb_ms)
	for _m in $_members; do
		ip link set "$_m" down
		echo "+$_m" >"$_b/slaves" || pxb_say warn "handmade: cannot enslave $_m"
	done
	_te=$(pxb_ms)
	pxb_say handmade "bond0 slaves=[$(cat "$_b/slaves")] mode=$(cat "$_b/mode")"
	udhcpc -f -q -n -T 1 -t 30 -i bond0 -s "$script" >/dev/null 2>&1 &
	_pid=$!
	_cd=- _lease=-
	_seen=
	while [ $(($(pxb_ms) - _te)) -lt 40000 ]; do
		# For the log: each change of the members' LACP states, ms from enslaving.
		_now=$(for _m in $_members; do
			printf '%s:%s/%s/%s ' "$_m" "$(cat "/sys/class/net/$_m/bonding_slave/ad_actor_oper_port_state")" \
				"$(cat "/sys/class/net/$_m/bonding_slave/ad_partner_oper_port_state")" \
				"$(cat "/sys/class/net/$_m/bonding_slave/ad_aggregator_id")"
		done)
		[ "$_now" = "$_seen" ] || pxb_say handmade "t=$(($(pxb_ms) - _te)) $_now(actor/partner/agg) active_agg=$(cat "$_b/ad_aggregator")"
		_seen=$_now
		# shellcheck disable=SC2086 # one word per member
		[ "$_cd" != - ] || ! pxb_all_in_sync $_members || _cd=$(($(pxb_ms) - _te))
		if [ "$_lease" = - ] && ! kill -0 "$_pid" 2>/dev/null; then
			if wait "$_pid"; then _lease=$(($(pxb_ms) - _te)); else _lease=failed; fi
		fi
		[ "$_cd" = - ] || [ "$_lease" = - ] || break
		usleep 100000
	done
	kill "$_pid" 2>/dev/null
	pxb_say bench "handmade_enslave_ms=$((_te - _t0))"
	pxb_say bench "handmade_enslaved_to_collecting_ms=$_cd"
	pxb_say bench "handmade_enslaved_to_lease_ms=$_lease"
	pxb_say bench "handmade_lacp_rate=$(cut -d' ' -f1 "$_b/lacp_rate")"
	summary handmade
	echo -bond0 >/sys/class/net/bonding_masters
	for _m in $_members; do
		ip -4 addr flush dev "$_m"
		ip link set "$_m" down
	done
}

# One NIC, no bond: what plain PXE-style DHCP costs on a plain switch port, by busybox
# udhcpc and then by pxebond's own client (its timeline: carrier to lease, less the
# probe's wait for a verdict on LACP).
plain() {
	_n=$(pxb_arg pxb.plain) || _n=eth2
	_t0=$(pxb_ms)
	ip link set "$_n" up
	pxb_wait 50 has_carrier "$_n"
	_tc=$(pxb_ms)
	if udhcpc -f -q -n -T 1 -t 10 -i "$_n" -s "$script" >/dev/null 2>&1; then
		_lease=$(($(pxb_ms) - _tc))
	else
		_lease=failed
	fi
	pxb_say bench "plain_link_up_to_carrier_ms=$((_tc - _t0))"
	pxb_say bench "plain_udhcpc_to_lease_ms=$_lease"
	ip link set "$_n" down
	"$pxebond" up --mode single --ifaces "$_n" --no-resolv --state /tmp/plain 2>/dev/null
	_pd=$(sed -n 's/.*"probe_done":\([0-9]*\).*/\1/p' /tmp/plain/state.json)
	_pl=$(sed -n 's/.*"lease":\([0-9]*\)}.*/\1/p' /tmp/plain/state.json)
	if [ -n "$_pl" ] && [ -n "$_pd" ]; then _lease=$((_pl - _pd)); else _lease=failed; fi
	pxb_say bench "plain_pxebond_probe_to_lease_ms=$_lease"
	summary plain
	"$pxebond" down --state /tmp/plain
}

show() {
	"$@" 2>&1 | sed 's/^/@@PXB show /'
}

# joined IFACE: IFACE in bond0's active aggregator (the kernel's 802.3ad view).
joined() {
	_t0=$(pxb_ms) _ok=no
	for _i in $(seq 150); do
		_act=$(sed -n '/^Active Aggregator Info:/,/^$/s/^[[:space:]]*Aggregator ID: //p' \
			/proc/net/bonding/bond0 2>/dev/null)
		_mine=$(sed -n "/^Slave Interface: $1\$/,/^\$/s/^Aggregator ID: //p" \
			/proc/net/bonding/bond0 2>/dev/null)
		if [ -n "$_act" ] && [ "$_act" = "$_mine" ]; then
			_ok=yes
			break
		fi
		sleep 0.1
	done
	pxb_result joined "$1 $_ok $(($(pxb_ms) - _t0))"
	summary joined
}

rc=0
for step in $(pxb_arg pxb.do | tr , ' '); do
	pxb_say step "$step uptime=$(pxb_uptime)"
	case $step in
	up*) run_up "$step" ;;
	down)
		show "$pxebond" down
		summary down ;;
	ks) fetch_ks ;;
	payload) fetch_payload ;;
	cut) fetch_cut ;;
	handmade) handmade || rc=1 ;;
	plain) plain ;;
	probe) show "$pxebond" probe ;;
	plug)
		_p=$(pxb_arg pxb.plug)
		pxb_say plug "${_p%%:*} ${_p#*:}" ;;
	joined) joined "$(pxb_arg pxb.joined)" ;;
	write)
		# What the installed system gets: networkd files under a stand-in target root.
		mkdir -p /mnt/sysimage
		show "$pxebond" write --root /mnt/sysimage --format networkd
		for _f in $(find /mnt/sysimage -type f | sort); do
			pxb_say show "--- ${_f#/mnt/sysimage}"
			show grep -v '^#' "$_f"
		done ;;
	show)
		pxb_say section bond
		show grep -E '^(Bonding Mode|LACP rate|System MAC|Active Agg|Slave Interface|MII Status)|Aggregator ID|Number of ports|Partner Mac' \
			/proc/net/bonding/bond0
		pxb_say section state
		show sh -c "$pxebond status | grep -E '^PXEBOND_(RESULT|MODE|IFACE|MEMBERS|ACTIVE|BOND_MAC|PARTNER_SYSTEM|IP|PREFIX|ROUTER|NEXT_SERVER|BOOTFILE|RUNGS|T_[A-Z_]*)='"
		pxb_say section ks
		show wget -q -O - "$server/ks.cfg" ;;
	*) pxb_say warn "unknown step $step"; rc=1 ;;
	esac
done
exit "$rc"
