#!/bin/sh
# Guest scenario: the client of test-probe.sh. Runs /bin/pxebond probe four times and
# prints, per run TAG, "@@PXB json TAG <the JSON on one line>", "@@PXB result rc TAG N"
# and "@@PXB result admin_up TAG [IFACE...]" (links administratively up afterwards);
# pxebond's stderr goes to the console unframed, for the log. The host asserts on all of
# it. eth6 is wired with link=off: "@@PXB result eth6_carrier N" shows what the kernel
# says of it.
# shellcheck source=/dev/null
. /lib/pxb.sh

pxebond=/bin/pxebond

# up_links: NICs with IFF_UP set.
up_links() {
	for _n in $(pxb_nics); do
		read -r _f <"/sys/class/net/$_n/flags"
		[ $((_f & 1)) = 0 ] || printf ' %s' "$_n"
	done
}

# probe TAG ARGS...: one framed run.
probe() {
	_tag=$1
	shift
	pxb_say run "$_tag start uptime=$(pxb_uptime) up=[$(up_links) ] args=$*"
	"$pxebond" probe "$@" >"/tmp/$_tag.json" 2>"/tmp/$_tag.err"
	_rc=$?
	sed "s/^/$_tag stderr: /" "/tmp/$_tag.err"
	pxb_result rc "$_tag $_rc"
	pxb_say json "$_tag $(tr -d '\n' <"/tmp/$_tag.json")"
	pxb_result admin_up "$_tag$(up_links)"
}

# The carrier file reads only while the link is up (EINVAL otherwise).
ip link set eth6 up
read -r c6 </sys/class/net/eth6/carrier
ip link set eth6 down
pxb_result eth6_carrier "$c6"
pxb_result before "up=[$(up_links) ]"

# The passive run goes first: once bond B has heard one active LACPDU from us it sends
# every second (802.1AX: periodic when either end is active) for its own long timeout,
# 90 s, and pxebond's withdrawing LACPDU still says "active, short timeout".
probe run2 --json --passive eth2 eth3
probe run1 --json
# Not asserted, for the log: the same passive probe again, right after run1.
probe run2b --json --passive eth2 eth3
# A link that was up before must stay up: eth5 goes in up this time.
ip link set eth5 up
probe run3 --json eth5
exit 0
