# shellcheck shell=sh
# Helpers for lab scenarios, sourced as /lib/pxb.sh: framed result lines on the console
# (what run-guest.sh collects), kernel command line lookup, bounded waits.

# pxb_say TAG WORDS...: one framed line; run-guest.sh prints every "@@PXB " line it sees.
pxb_say() {
	printf '@@PXB %s\n' "$*"
}

# pxb_result KEY VALUE...: a result the host-side test asserts on.
pxb_result() {
	pxb_say result "$@"
}

# pxb_logged TAG CMD...: CMD's stdout and stderr as "@@PXB log TAG LINE", then
# "@@PXB result rc TAG RC"; returns CMD's status.
pxb_logged() {
	_pxb_tag=$1
	shift
	{
		"$@" 2>&1
		echo $? >"/tmp/$_pxb_tag.rc"
	} | while IFS= read -r _pxb_l; do pxb_say log "$_pxb_tag $_pxb_l"; done
	read -r _pxb_rc <"/tmp/$_pxb_tag.rc"
	rm -f "/tmp/$_pxb_tag.rc"
	pxb_result rc "$_pxb_tag $_pxb_rc"
	return "$_pxb_rc"
}

pxb_uptime() {
	cut -d' ' -f1 /proc/uptime
}

# pxb_arg NAME: value of NAME=value on the kernel command line ("1" for a bare NAME),
# empty and status 1 when absent (dracut's getarg, minus its quoting rules).
pxb_arg() {
	read -r _pxb_cmdline </proc/cmdline
	for _pxb_a in $_pxb_cmdline; do
		case $_pxb_a in
		"$1") echo 1; return 0 ;;
		"$1"=*) echo "${_pxb_a#*=}"; return 0 ;;
		esac
	done
	return 1
}

# pxb_nics: names of the Ethernet NICs (virtio devices), in ifindex order.
pxb_nics() {
	for _pxb_d in /sys/class/net/*; do
		[ -e "$_pxb_d/device" ] && echo "$(cat "$_pxb_d/ifindex") ${_pxb_d##*/}"
	done | sort -n | cut -d' ' -f2
}

# pxb_wait TENTHS CMD...: run CMD every 0.1 s until it succeeds or TENTHS tries pass.
# (sh has no locals: helpers' variables are _pxb_* so CMD cannot clobber them.)
pxb_wait() {
	_pxb_tries=$1
	shift
	while ! "$@"; do
		_pxb_tries=$((_pxb_tries - 1))
		[ "$_pxb_tries" -gt 0 ] || return 1
		usleep 100000
	done
}

# pxb_ms: uptime in milliseconds (10 ms steps; "1${frac}" - 100 dodges octal "08").
pxb_ms() {
	read -r _pxb_u _ </proc/uptime
	echo $((${_pxb_u%.*} * 1000 + (1${_pxb_u#*.} - 100) * 10))
}

# pxb_all_in_sync [MEMBERS]: each member (default: bond0's) in Synchronization,
# Collecting and Distributing at both ends; false while bond0 has none.
pxb_all_in_sync() {
	if [ $# = 0 ]; then
		{ read -r _pxb_m </sys/class/net/bond0/bonding/slaves; } 2>/dev/null || return 1
		[ -n "$_pxb_m" ] || return 1
		# shellcheck disable=SC2086 # one word per member
		set -- $_pxb_m
	fi
	for _pxb_m in "$@"; do
		_pxb_d=/sys/class/net/$_pxb_m/bonding_slave
		read -r _pxb_a <"$_pxb_d/ad_actor_oper_port_state" || return 1
		read -r _pxb_p <"$_pxb_d/ad_partner_oper_port_state" || return 1
		# "N/A" until the port has an aggregator (and N/A is N divided by A to $(( )))
		case $_pxb_a$_pxb_p in '' | *[!0-9]*) return 1 ;; esac
		[ $((_pxb_a & 0x38)) = 56 ] && [ $((_pxb_p & 0x38)) = 56 ] || return 1
	done
}

# pxb_mkbond NAME RATE LACP_ACTIVE SYSTEM|- PRIO USER_KEY MEMBER...: the order pxebond and
# systemd-networkd use: options while down and empty, members down when enslaved, up last.
# busybox ip cannot set bond options, hence sysfs; false when a write fails.
# Prints "@@PXB result bond NAME system=MAC priority=N user_key=N lacp_rate=R
# lacp_active=A members=M,...".
pxb_mkbond() {
	_pxb_b=/sys/class/net/$1/bonding
	echo "+$1" >/sys/class/net/bonding_masters || return 1
	echo 802.3ad >"$_pxb_b/mode" || return 1
	echo "$2" >"$_pxb_b/lacp_rate" || return 1
	# lacp_active (Linux 5.15+) off: never transmits periodically, only answers.
	echo "$3" >"$_pxb_b/lacp_active" || return 1
	echo 100 >"$_pxb_b/miimon" || return 1
	if [ "$4" != - ]; then echo "$4" >"$_pxb_b/ad_actor_system" || return 1; fi
	echo "$5" >"$_pxb_b/ad_actor_sys_prio" || return 1
	echo "$6" >"$_pxb_b/ad_user_port_key" || return 1
	_pxb_name=$1
	shift 6
	for _pxb_m in "$@"; do
		ip link set "$_pxb_m" down
		echo "+$_pxb_m" >"$_pxb_b/slaves" || return 1
	done
	ip link set "$_pxb_name" up || return 1
	read -r _pxb_sys <"$_pxb_b/ad_actor_system"
	# 00:00:00:00:00:00 means "the bond's own MAC", which is its first member's.
	[ "$_pxb_sys" != 00:00:00:00:00:00 ] || read -r _pxb_sys <"/sys/class/net/$_pxb_name/address"
	read -r _pxb_rate _ <"$_pxb_b/lacp_rate"
	read -r _pxb_act _ <"$_pxb_b/lacp_active"
	pxb_result bond "$_pxb_name system=$_pxb_sys priority=$(cat "$_pxb_b/ad_actor_sys_prio")" \
		"user_key=$(cat "$_pxb_b/ad_user_port_key") lacp_rate=$_pxb_rate lacp_active=$_pxb_act" \
		"members=$(tr ' ' , <"$_pxb_b/slaves")"
}
