#!/bin/sh
# Guest scenario: the "switch" of test-probe.sh. Three Linux 802.3ad bonds stand for three
# LACP partners with different identities and manners, eth5 is a plain port; then it
# reports what its ports see of their partner until pxb.secs (default 60) pass or the
# host ends it. Prints "@@PXB result ready" once every bond is attached and quiet.
#   bondA  eth0 eth1  active,  lacp_rate fast, system = its own MAC (the default)
#   bondB  eth2 eth3  passive, lacp_rate slow, system 02:00:00:00:0b:00, priority 100
#   bondC  eth4       active,  lacp_rate fast, system 02:00:00:00:0c:00, user port key 5
# shellcheck source=/dev/null
. /lib/pxb.sh

secs=$(pxb_arg pxb.secs) || secs=60

pxb_mkbond bondA fast on - 65535 0 eth0 eth1 || exit 1
pxb_mkbond bondB slow off 02:00:00:00:0b:00 100 0 eth2 eth3 || exit 1
pxb_mkbond bondC fast on 02:00:00:00:0c:00 65535 5 eth4 || exit 1
ip link set eth5 up
members="eth0 eth1 eth2 eth3 eth4"

# shellcheck disable=SC2317 # run through pxb_wait
# attached: every bond has a member in sync, i.e. past aggregator selection and the
# aggregate wait. Even a passive bond sends one LACPDU then (its mux machine attaches and
# sets need-to-transmit); it must be out before the client's NICs exist, or the client
# would find it queued and a passive probe would hear a partner that is really silent.
attached() {
	for _bond in bondA bondB bondC; do
		_sync=0
		read -r _ms <"/sys/class/net/$_bond/bonding/slaves"
		for _m in $_ms; do
			read -r _s <"/sys/class/net/$_m/bonding_slave/ad_actor_oper_port_state"
			[ $((_s & 0x08)) = 0 ] || _sync=1
		done
		[ "$_sync" = 1 ] || return 1
	done
}
pxb_wait 100 attached || { pxb_result ready "rc=1 (bonds not attached after 10 s)"; exit 1; }
sleep 0.3 # the tx machine sends at most every 3rd tick (100 ms): let that LACPDU go
pxb_result ready "rc=0 uptime=$(pxb_uptime)"

# Until the host ends it: one line whenever a member's view changes, for the log (the
# test asserts on the client's side, this says what the switch made of the probes).
end=$(($(cut -d. -f1 /proc/uptime) + secs))
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	for m in $members; do
		d=/sys/class/net/$m/bonding_slave
		read -r a <"$d/ad_actor_oper_port_state"
		read -r p <"$d/ad_partner_oper_port_state"
		read -r g <"$d/ad_aggregator_id"
		eval "last=\${seen_$m:-}"
		# shellcheck disable=SC2154 # set by the eval
		[ "$last" = "$a/$p/$g" ] && continue
		eval "seen_$m=\$a/\$p/\$g"
		pxb_say seen "$(pxb_uptime) $m actor_state=$a partner_state=$p agg=$g"
	done
	sleep 0.2
done
exit 0
