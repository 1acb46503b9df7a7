#!/bin/sh
# Guest scenario: the "switch + install server" of test-up.sh and demo.sh. eth0 and eth1
# face the client as a switch's ports would (pxb.lacp); everything goes into bridge br0,
# 10.0.0.1/24, which serves DHCP (busybox udhcpd) and HTTP (busybox httpd, /www: ks.cfg
# and payload.bin come from the host).
#   pxb.lacp=fast  bond0 over eth0 eth1: 802.3ad, active, lacp_rate fast (the default)
#            slow  bond0 over eth0 eth1: 802.3ad, passive (lacp_active off), lacp_rate slow
#            none  eth0 and eth1 are plain ports: a switch without LACP
#            two   bondA over eth0 (system 02:00:00:00:0a:00) and bondB over eth1
#                  (02:00:00:00:0b:00): two separate LACP partners, both bridged
#   pxb.bondbr=0   the bond stays out of br0: DHCP over the client's bond gets no answer
#                  (a LAG on the wrong VLAN), while plain ports still serve
#   pxb.dhcp=0     no udhcpd at all
#   pxb.secs=N     stay up N seconds (default 300) unless the host ends it first
#   pxb.hold=IFACE IFACE (a bond member) stays down until the first frame from the
#                  client on another port, and 1 s longer: hearing nothing of the
#                  client's probe, its bond speaks first about 1 s after that (its first
#                  periodic LACPDU), well after its siblings answered
# eth2 and later NICs are plain ports in br0. Prints "@@PXB result bond NAME system=MAC
# ..." per bond, "@@PXB result ready rc=0" once serving, then a "@@PXB seen" line
# whenever a bond member's LACP view changes (for the log: the client's side is what
# the test asserts).
# shellcheck source=/dev/null
. /lib/pxb.sh

lacp=$(pxb_arg pxb.lacp) || lacp=fast
bondbr=$(pxb_arg pxb.bondbr) || bondbr=1
dhcp=$(pxb_arg pxb.dhcp) || dhcp=1
secs=$(pxb_arg pxb.secs) || secs=300
hold=$(pxb_arg pxb.hold) || hold=

# The bridge: no STP and no forward delay, so a port forwards the moment it joins
# (a switch port configured for servers: "portfast").
brctl addbr br0 || exit 1
echo 0 >/sys/class/net/br0/bridge/stp_state
echo 0 >/sys/class/net/br0/bridge/forward_delay
bridged=
case $lacp in
fast) pxb_mkbond bond0 fast on - 65535 0 eth0 eth1 || exit 1; ports=bond0 ;;
slow) pxb_mkbond bond0 slow off - 65535 0 eth0 eth1 || exit 1; ports=bond0 ;;
two)
	pxb_mkbond bondA fast on 02:00:00:00:0a:00 65535 0 eth0 || exit 1
	pxb_mkbond bondB fast on 02:00:00:00:0b:00 65535 0 eth1 || exit 1
	ports="bondA bondB" ;;
none) ports="eth0 eth1" ;;
*) pxb_result ready "rc=1 (pxb.lacp=$lacp: not fast, slow, two or none)"; exit 1 ;;
esac
[ "$lacp" = none ] || [ "$bondbr" != 0 ] || ports=
for n in $(pxb_nics); do
	case $n in eth0 | eth1) ;; *) ports="$ports $n" ;; esac
done
for p in $ports; do
	brctl addif br0 "$p" || exit 1
	ip link set "$p" up
	bridged="$bridged $p"
done
ip addr add 10.0.0.1/24 dev br0
ip link set br0 up
pxb_result bridge "br0 ports=[$bridged ]"

mkdir -p /www /etc
if [ "$dhcp" != 0 ]; then
	cat >/etc/udhcpd.conf <<-EOF
		start 10.0.0.100
		end 10.0.0.150
		interface br0
		lease_file /tmp/udhcpd.leases
		siaddr 10.0.0.1
		boot_file pxelinux.0
		option subnet 255.255.255.0
		option router 10.0.0.1
		option dns 10.0.0.1
		option domain lab.pxebond
		option lease 600
		option tftp 10.0.0.1
		option bootfile pxelinux.0
	EOF
	: >/tmp/udhcpd.leases
	# -a 100: udhcpd ARP-pings an address before offering it, 2 s by default; a lab
	# with one client has no one to collide with.
	udhcpd -f -a 100 /etc/udhcpd.conf &
fi
httpd -f -p 80 -h /www &
# shellcheck disable=SC2317 # run through pxb_wait
listening() { netstat -ltn | grep -q ':80 '; }
pxb_wait 50 listening || { pxb_result ready "rc=1 (httpd not listening)"; exit 1; }
if [ -n "$hold" ]; then
	ip link set "$hold" down
	watch=
	for n in $(pxb_nics); do [ -n "$watch" ] || [ "$n" = "$hold" ] || watch=$n; done
	(
		f=/sys/class/net/$watch/statistics/rx_packets
		read -r n0 <"$f"
		while read -r n <"$f" && [ "$n" = "$n0" ]; do usleep 20000; done
		pxb_say held "$(pxb_uptime) first frame on $watch"
		usleep 1000000
		ip link set "$hold" up
		pxb_say held "$(pxb_uptime) $hold up"
	) &
fi
pxb_result ready "rc=0 uptime=$(pxb_uptime) dhcp=$dhcp lacp=$lacp bondbr=$bondbr"

members=
read -r bonds </sys/class/net/bonding_masters || bonds=
for b in $bonds; do
	members="$members $(cat "/sys/class/net/$b/bonding/slaves")"
done
end=$(($(cut -d. -f1 /proc/uptime) + secs))
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	for m in $members; do
		d=/sys/class/net/$m/bonding_slave
		read -r a <"$d/ad_actor_oper_port_state"
		read -r p <"$d/ad_partner_oper_port_state"
		read -r g <"$d/ad_aggregator_id"
		read -r c <"/sys/class/net/$m/carrier" 2>/dev/null || c=-
		eval "last=\${seen_$m:-}"
		# shellcheck disable=SC2154 # set by the eval
		[ "$last" = "$a/$p/$g/$c" ] && continue
		eval "seen_$m=\$a/\$p/\$g/\$c"
		pxb_say seen "$(pxb_uptime) $m actor_state=$a partner_state=$p agg=$g carrier=$c"
	done
	sleep 0.2
done
exit 0
