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
