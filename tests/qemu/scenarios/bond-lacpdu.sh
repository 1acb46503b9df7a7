#!/bin/sh
# Guest scenario: an 802.3ad bond over every NIC, made the way pxebond makes it (mode
# options while down and empty, members down when enslaved, bond up last), then left to
# send LACPDUs for pxb.secs seconds (default 5). pxb.partner=1: instead wait up to
# pxb.secs for every member to be in sync, collecting and distributing on both ends, and
# fail if they do not get there. pxb.leave=IFACE: then release that member, which makes
# Linux send one last LACPDU from it (bond_3ad_unbind_slave).
# shellcheck source=/dev/null
. /lib/pxb.sh

secs=$(pxb_arg pxb.secs) || secs=5
leave=$(pxb_arg pxb.leave) || leave=
b=/sys/class/net/bond0/bonding

echo +bond0 >/sys/class/net/bonding_masters || exit 1
echo 802.3ad >$b/mode && echo fast >$b/lacp_rate && echo 100 >$b/miimon || exit 1
for n in $(pxb_nics); do
	ip link set "$n" down
	echo "+$n" >$b/slaves || exit 1
done
ip link set bond0 up
read -r members <$b/slaves
read -r mode _ <$b/mode # sysfs says "802.3ad 4"
read -r rate _ <$b/lacp_rate
pxb_result bond "mode=$mode lacp_rate=$rate miimon=$(cat $b/miimon)"
pxb_result uname "$(uname -r)"

# state IFACE actor|partner: that side's oper port state, decimal.
state() {
	cat "/sys/class/net/$1/bonding_slave/ad_$2_oper_port_state"
}
# shellcheck disable=SC2317 # run through pxb_wait
# in_sync: Synchronization|Collecting|Distributing (0x38) on both ends of every member.
in_sync() {
	for _n in $members; do
		[ $(($(state "$_n" actor) & 0x38)) = 56 ] || return 1
		[ $(($(state "$_n" partner) & 0x38)) = 56 ] || return 1
	done
}
rc=0
if [ "$(pxb_arg pxb.partner)" = 1 ]; then
	t0=$(pxb_uptime)
	pxb_wait $((secs * 10)) in_sync || rc=1
	pxb_result in_sync "rc=$rc after=$(echo "$(pxb_uptime) $t0" | awk '{ print $1 - $2 }')s"
	# Stay up one short timeout: our last state change goes out on a later 100 ms tick,
	# and the partner guest is still waiting to see it.
	sleep 3
else
	sleep "$secs"
fi

for n in $members; do
	pxb_result member "$n agg=$(cat "/sys/class/net/$n/bonding_slave/ad_aggregator_id")" \
		"actor_state=$(state "$n" actor) partner_state=$(state "$n" partner)" \
		"mac=$(cat "/sys/class/net/$n/address")"
done
pxb_result bond_ad "agg=$(cat $b/ad_aggregator) ports=$(cat $b/ad_num_ports)" \
	"actor_key=$(cat $b/ad_actor_key) partner_key=$(cat $b/ad_partner_key)" \
	"partner_mac=$(cat $b/ad_partner_mac)"
if [ -n "$leave" ]; then
	echo "-$leave" >$b/slaves || exit 1
	sleep 1 # the release LACPDU goes out at once; give the capture time to see it
	pxb_result left "$leave"
fi
exit "$rc"
