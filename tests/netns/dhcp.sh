#!/bin/bash
# `pxebond up`'s own DHCP client against real servers behind Open vSwitch: dnsmasq (the
# lease, as busybox udhcpc got it before, on the interface with its route, MTU and
# resolv.conf, and in the state), dnsmasq with a short lease for `up --renew` (renewing
# REQUESTs answered, the address's lifetime kept, the renewer's pid in the state and
# stopped by `down`, gone with its interface), no server at all (a bounded, clear
# failure, the NICs as found), and a hostile server replaying malformed and escape-laden
# answers (no crash, nothing raw in the state or resolv.conf). The host kernel has no
# bonding driver: the bond rung fails and the single-NIC rungs must get the lease.
#
#   client ns                    switch ns: ovs br0 (userspace)    server ns
#   eth0 02:00:00:00:00:01 ---- s0 (plain port)
#   eth1 02:00:00:00:00:02 ---- s1 (plain port)   d0 ---- veth ---- srv0 10.9.0.1/24
#   eth2 02:00:00:00:00:03 ---- s2 (plain port,                     dnsmasq, dnsmasq
#                                   renewal only)                   with a 2-minute
#                                                                   lease, none, then
#                                                                   dhcp-replay
#
# pxebond runs with an empty tmpfs over /etc, in a mount namespace of its own: the
# resolv.conf it writes is the lab's, never this host's.
# Usage: tests/netns/dhcp.sh [PXEBOND]   (root; ends with "N passed, N failed")
# shellcheck disable=SC2016 # jq programs and sh -c scripts in single quotes
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pxebond=${1:-$root/build/pxebond}
fx=$root/tests/fixtures
work=$(mktemp -d /tmp/pxb-dhcp.XXXXXX)
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/netns/lib.sh
. "$here/lib.sh"

fail_early() {
	echo "dhcp: $*"
	echo "0 passed, 1 failed"
	exit 1
}
[ -x "$pxebond" ] || fail_early "$pxebond missing (make)"
for t in dnsmasq busybox ethtool unshare jq; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || fail_early "$t missing (scripts/deps.sh)"
done
# The hostile server: tests/fixtures' frames, patched for whoever asks.
${CC:-cc} -std=gnu11 -O1 -Wall -Wextra -Werror -I"$root/tests" -o "$work/dhcp-replay" \
	"$here/dhcp-replay.c" "$root/tests/hexfile.c" || fail_early "cannot build dhcp-replay"

lab_start
trap 'lab_stop; [ "${PXB_KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
lab_wire 2
lab_client ip link set eth0 address 02:00:00:00:00:01
lab_client ip link set eth1 address 02:00:00:00:00:02
lab_port s0
lab_port s1
lab_server 10.9.0.1/24

# up ARGS...: `pxebond up --state $work/state ARGS` in the client namespace with its own
# /etc (holding $work/resolv.before as resolv.conf, if there is one); stdout and stderr
# through a pipe (as the Debian installer's debconf reads its startup scripts) to
# $work/up.log, /etc/resolv.conf (if any) to $work/resolv.conf. $up_eof: 0 if the pipe
# ended with up, 124 if something (a renewer) still held it open 60 s later.
up() {
	local ps
	rm -f "$work/resolv.conf"
	lab_client unshare -m sh -c 'mount -t tmpfs tmpfs /etc || exit 3; w=$1; shift
		[ ! -e "$w/resolv.before" ] || cp "$w/resolv.before" /etc/resolv.conf
		"$@"; rc=$?; [ ! -e /etc/resolv.conf ] || cp /etc/resolv.conf "$w/resolv.conf"
		exit $rc' sh "$work" "$pxebond" up --state "$work/state" "$@" 2>&1 |
		timeout 60 cat >"$work/up.log"
	ps=("${PIPESTATUS[@]}")
	up_eof=${ps[1]}
	return "${ps[0]}"
}
# st KEY: KEY's value as a shell stage sees it: through the binary (status --get).
st() {
	"$pxebond" status --state "$work/state" --get "$1" 2>/dev/null
}
j() { jq -e "$1" "$work/state/state.json" >/dev/null; }
log() { grep -qE -- "$1" "$work/up.log"; }
logf() { grep -qF -- "$1" "$work/up.log"; }
addr4() { lab_client ip -j -4 addr show dev "$1" | jq -r '[.[].addr_info[].local] | join(" ")'; }
link_down() { lab_client ip -j link show dev "$1" | jq -e '.[0].flags | index("UP") | not'; }
# renewing PID: PID is a lease renewer that has not exited (a zombie has: this sandbox's
# init may never reap it).
renewing() {
	local pid comm state rest
	[ -n "$1" ] && read -r pid comm state rest <"/proc/$1/stat" 2>/dev/null &&
		[ "$comm" = "(pxebond-renew)" ] && [ "$state" != Z ]
}
stopped() { ! renewing "$1"; }
# valid_above IFACE ADDR SEC: ADDR on IFACE has a valid lifetime above SEC.
valid_above() {
	lab_client ip -j -4 addr show dev "$1" | jq -e --arg a "$2" --argjson s "$3" \
		'[.[].addr_info[] | select(.local == $a and .valid_life_time > $s)] | length == 1'
}
# within SECS CMD...: CMD succeeds within SECS seconds (tried every 0.2 s).
within() {
	local i n=$(($1 * 5))
	shift
	for i in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# renewals LOG ADDR: how many transactions in dnsmasq's --log-dhcp LOG renewed ADDR: a
# DHCPREQUEST naming it with no DISCOVER before it (dnsmasq then takes the address from
# ciaddr: a renewing REQUEST has no option 50), ACKed with the same address and unicast
# (to ciaddr, RFC 2131 4.1: no "broadcast response").
renewals() {
	awk -v a="$2" '$3 ~ /^DHCPDISCOVER/ { sel[$2] = 1 }
		$3 ~ /^DHCPREQUEST/ && $4 == a && !sel[$2] { req[$2] = 1 }
		$3 ~ /^DHCPACK/ && $4 == a { ack[$2] = 1 }
		/ broadcast response$/ { bc[$2] = 1 }
		END { for (x in req) if (ack[x] && !bc[x]) n++; print n + 0 }' "$1"
}

# dnsmasq_start NAME ARGS...: dnsmasq on srv0 with ARGS, its log and leases in
# $LAB_DIR/NAME.*; back when it listens. dnsmasq_stop NAME.
dnsmasq_start() {
	local name=$1
	shift
	ip netns exec "$LAB_D" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=srv0 \
		--bind-interfaces "$@" --dhcp-leasefile="$LAB_DIR/$name.leases" \
		>"$LAB_DIR/$name.log" 2>&1 &
	echo $! >"$LAB_DIR/$name.pid"
	for _ in $(seq 50); do
		lab_srv ss -lun | grep -q ':67 ' && break
		sleep 0.1
	done
}
dnsmasq_stop() {
	kill "$(cat "$LAB_DIR/$1.pid")"
	wait "$(cat "$LAB_DIR/$1.pid")" 2>/dev/null
	rm -f "$LAB_DIR/$1.pid"
}

# ---- dnsmasq, configured as for the fixtures (tests/fixtures/dhcp-capture.sh)
dnsmasq_start dnsmasq --dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,600 \
	--dhcp-host=02:00:00:00:00:01,node1 --dhcp-option=option:router,10.9.0.1 \
	--dhcp-option=option:dns-server,10.9.0.1 --dhcp-option=option:domain-name,lab.example \
	--dhcp-option=option:domain-search,lab.example,other.example \
	--dhcp-option=option:root-path,nfs:10.9.0.1:/srv/root --dhcp-option=option:mtu,1400 \
	--dhcp-option=66,10.9.0.1 --dhcp-boot=pxelinux.0,,10.9.0.1

echo "# dnsmasq"
# busybox udhcpc, as `up` ran it before (client id 01+MAC): its lease, to compare.
lab_client ip link set eth0 up
lab_client busybox udhcpc -f -q -n -i eth0 -s /bin/true -t 10 -T 1 >"$work/udhcpc.log" 2>&1
old=$(sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' "$work/udhcpc.log")
lab_client ip link set eth0 down
ok "busybox udhcpc got a lease from dnsmasq ($old)" test -n "$old"

up --ifaces eth0,eth1 --timeout 10
rc=$?
ip=$(st PXEBOND_IP)
ok "pxebond up exit status 0 (got $rc)" test "$rc" = 0
ok "without --renew, no renewer: PXEBOND_RENEW_PID empty, renew_pid null" \
	bash -c "[ -z '$(st PXEBOND_RENEW_PID)' ] && jq -e '.renew_pid == null' '$work/state/state.json'"

ok "the bond rung failed for want of a bonding driver" \
	j '.rungs[0] | .mode == "active-backup" and .result == "failed" and .why == "no bonding driver"'
ok "the missing bonding driver said once, with modprobe's reason" \
	test "$(grep -c 'no bonding driver (modprobe bonding: .*): the bond rungs are skipped' "$work/up.log")" = 1
ok "... and no other line for that rung" not logf "active-backup over eth0,eth1 failed"
ok "the single-NIC rung over eth0 got the lease" \
	j '.result == "ok" and .mode == "single" and .rungs[-1].iface == "eth0" and .rungs[-1].result == "ok"'
ok "the lease is the one udhcpc had ($ip, the same client identifier)" test -n "$ip" -a "$ip" = "$old"
ok "dnsmasq's lease names client id 01+MAC" \
	grep -q " $ip node1 01:02:00:00:00:00:01\$" "$LAB_DIR/dnsmasq.leases"
ok "one log line says whose lease it is" log "eth0: lease $ip/24 from 10.9.0.1 for 600 s"
ok "eth0 has $ip/24, broadcast 10.9.0.255" bash -c "ip netns exec $LAB_C ip -j -4 addr show dev eth0 |
	jq -e '[.[].addr_info[] | select(.local == \"$ip\" and .prefixlen == 24 and
	.broadcast == \"10.9.0.255\")] | length == 1'"
ok "the address lives as long as the lease (600 s), as dhclient-script sets it" \
	bash -c "ip netns exec $LAB_C ip -j -4 addr show dev eth0 | jq -e '[.[].addr_info[] |
	select(.local == \"$ip\" and .valid_life_time <= 600 and .valid_life_time > 500 and
	.preferred_life_time <= 600)] | length == 1'"
ok "the default route goes via 10.9.0.1 on eth0, protocol dhcp" \
	bash -c "ip netns exec $LAB_C ip -j route show default |
	jq -e '.[0] | .gateway == \"10.9.0.1\" and .dev == \"eth0\" and .protocol == \"dhcp\"'"
ok "eth0 has the lease's MTU (1400)" \
	bash -c "ip netns exec $LAB_C ip -j link show dev eth0 | jq -e '.[0].mtu == 1400'"
ok "the server answers over the new path (ping 10.9.0.1)" lab_client busybox ping -c 1 -W 2 10.9.0.1
ok "resolv.conf: the search list and the DNS server" cmp -s "$work/resolv.conf" <(printf '%s\n' \
	'# pxebond up: from the DHCP lease on eth0 (server 10.9.0.1)' \
	'search lab.example other.example' 'nameserver 10.9.0.1')
for kv in PXEBOND_PREFIX=24 PXEBOND_NETMASK=255.255.255.0 PXEBOND_BROADCAST=10.9.0.255 \
	PXEBOND_ROUTER=10.9.0.1 PXEBOND_DNS=10.9.0.1 PXEBOND_DOMAIN=lab.example \
	"PXEBOND_SEARCH=lab.example other.example" PXEBOND_HOSTNAME=node1 PXEBOND_MTU=1400 \
	PXEBOND_SERVER_ID=10.9.0.1 PXEBOND_NEXT_SERVER=10.9.0.1 PXEBOND_TFTP_SERVER=10.9.0.1 \
	PXEBOND_BOOTFILE=pxelinux.0 PXEBOND_ROOT_PATH=nfs:10.9.0.1:/srv/root \
	PXEBOND_LEASE_SECONDS=600 PXEBOND_RENEW_SECONDS=300 PXEBOND_REBIND_SECONDS=525; do
	ok "state: ${kv%%=*} is '${kv#*=}'" test "$(st "${kv%%=*}")" = "${kv#*=}"
done
ok "state.json: the lease" j ".lease | .ip == \"$ip\" and .root_path == \"nfs:10.9.0.1:/srv/root\"
	and .search == \"lab.example other.example\" and .mtu == \"1400\""
ok "eth1, unused, is down again" link_down eth1
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1
ok "pxebond down: eth0 has no address, is down, MTU 1500 again" bash -c "[ -z \"\$(ip netns exec \
	$LAB_C ip -j -4 addr show dev eth0 | jq -r '.[].addr_info[]?.local')\" ] &&
	ip netns exec $LAB_C ip -j link show dev eth0 | jq -e '.[0] | .mtu == 1500 and
	(.flags | index(\"UP\") | not)'"

# A lease, but the install server does not answer: the rung fails, and so does `up`;
# what the lease changed goes back (address, MTU, resolv.conf).
printf 'nameserver 192.0.2.53\n' >"$work/resolv.before"
up --mode single --ifaces eth0 --timeout 5 --check http://10.9.0.1:9/
rc=$?
rm -f "$work/resolv.before"
ok "a lease but no answer at the check URL: exit status 1 (got $rc)" test "$rc" = 1
ok "... the rung's why names the check URL" j '.rungs[0].why | test("^http://10.9.0.1:9/: ")'
ok "... resolv.conf is what it was" cmp -s "$work/resolv.conf" <(echo 'nameserver 192.0.2.53')
ok "... eth0 has no address, is down, MTU 1500" bash -c "[ -z '$(addr4 eth0)' ] &&
	ip netns exec $LAB_C ip -j link show dev eth0 | jq -e '.[0] | .mtu == 1500 and
	(.flags | index(\"UP\") | not)'"

# ---- up --renew against dnsmasq with the shortest lease it gives (2 minutes) and T1 and
# T2 of 4 and 7 s (options 58 and 59 as given are sent as they are): renewals start 4 s
# after the lease and come every 4 s. No ping check: nothing here is about a new address.
echo "# renewal"
dnsmasq_stop dnsmasq
cp "$work/up.log" "$work/up-dnsmasq.log"
dnsmasq_start dnsmasq-renew --dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m \
	--dhcp-host=02:00:00:00:00:01,node1 --dhcp-option=option:router,10.9.0.1 \
	--dhcp-option=option:T1,4 --dhcp-option=option:T2,7 --no-ping --log-dhcp
dlog=$LAB_DIR/dnsmasq-renew.log
up --renew --mode single --ifaces eth0 --timeout 10
rc=$?
ip=$(st PXEBOND_IP)
pid=$(st PXEBOND_RENEW_PID)
ok "up --renew: exit status 0 (got $rc), $ip on eth0" test "$rc" = 0 -a -n "$ip"
ok "... its output pipe ended with it: the renewer holds nothing of its caller's" \
	test "$up_eof" = 0
ok "... the lease: 120 s, T1 4 s, T2 7 s" test "$(st PXEBOND_LEASE_SECONDS) $(st \
	PXEBOND_RENEW_SECONDS) $(st PXEBOND_REBIND_SECONDS)" = "120 4 7"
ok "state: PXEBOND_RENEW_PID ($pid) is a running pxebond-renew" renewing "$pid"
ok "state.json: renew_pid is the same" j ".renew_pid == ${pid:-0}"
ok "one log line says the renewer started, and when it renews" \
	logf "eth0: lease renewer started (pid $pid): the 120 s lease of $ip is renewed from T1 (4 s) on, by any server from T2 (7 s)"
# Nothing but a renewal raises an address's lifetime: lowered here, it must come back.
lab_client ip addr change "$ip/24" dev eth0 valid_lft 30 preferred_lft 30
ok "the address's lifetime, cut to 30 s, is back near the lease's 120 s (renewed)" \
	within 15 valid_above eth0 "$ip" 100
ok "dnsmasq: a renewing DHCPREQUEST for $ip (as ciaddr), ACKed with the same address" \
	test "$(renewals "$dlog" "$ip")" -ge 1
ok "the kernel log says the lease was renewed" \
	bash -c "dmesg | grep -qF 'pxebond: eth0: lease of $ip renewed by 10.9.0.1 for 120 s'"
ok "the renewer is still running" renewing "$pid"
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1
ok "pxebond down stopped the renewer (pid $pid)" stopped "$pid"
ok "... and said so" grep -qF "lease renewer (pid $pid) stopped" "$work/down.log"
ok "... eth0 has no address and is down" bash -c "[ -z '$(addr4 eth0)' ]"

# The renewer's interface goes away (here a veth deleted; a bond deleted is the same to
# it): it ends too.
ip link add eth2 netns "$LAB_C" type veth peer name s2 netns "$LAB_S"
ip -n "$LAB_S" link set s2 up
lab_port s2
lab_client ip link set eth2 address 02:00:00:00:00:03
up --renew --mode single --ifaces eth2 --timeout 10
rc=$?
pid=$(st PXEBOND_RENEW_PID)
ok "up --renew on eth2: exit status 0 (got $rc), a renewer ($pid)" renewing "$pid"
lab_client ip link del eth2
ok "eth2 deleted: its renewer ends" within 10 stopped "$pid"
ok "... saying so in the kernel log" bash -c "dmesg | grep -qF 'pxebond: eth2 is gone: the lease renewer stops'"
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1
ok "pxebond down after it: says the renewer had ended already" \
	grep -qF "the lease renewer (pid $pid) had ended already" "$work/down.log"

# A NAK ends the renewer, and the address stays until its lease ends. dnsmasq, restarted
# authoritative with eth0's MAC given another address, NAKs the next renewal.
up --renew --mode single --ifaces eth0 --timeout 10
rc=$?
ip=$(st PXEBOND_IP)
pid=$(st PXEBOND_RENEW_PID)
ok "up --renew on eth0 again: exit status 0 (got $rc), a renewer ($pid)" renewing "$pid"
dnsmasq_stop dnsmasq-renew
dnsmasq_start dnsmasq-nak --dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m \
	--dhcp-host=02:00:00:00:00:01,10.9.0.99 --dhcp-authoritative --dhcp-option=option:T1,4 \
	--dhcp-option=option:T2,7 --no-ping --log-dhcp
ok "dnsmasq NAKs the renewal (eth0's MAC is 10.9.0.99's now): the renewer ends" \
	within 10 stopped "$pid"
ok "... dnsmasq's log has the NAK" grep -q "DHCPNAK(srv0) $ip 02:00:00:00:00:01" \
	"$LAB_DIR/dnsmasq-nak.log"
ok "... the kernel log says so, and that the address goes when the lease ends" \
	bash -c "dmesg | grep -qF 'pxebond: eth0: DHCP NAK from 10.9.0.1: the lease of $ip is not renewed; the kernel removes the address when it ends, in '"
ok "... $ip is still on eth0 until then" valid_above eth0 "$ip" 60
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1

# ---- no server: every rung fails within its bound, the NICs as they were.
echo "# no DHCP server"
dnsmasq_stop dnsmasq-nak
cp "$work/up.log" "$work/up-renew.log"
up --ifaces eth0,eth1 --timeout 3
rc=$?
ok "pxebond up exit status 1 (got $rc)" test "$rc" = 1
ok "result failed, no lease" j '.result == "failed" and .lease == null'
ok "rungs: active-backup, then eth0 and eth1 alone, each failed" \
	j '[.rungs[] | "\(.mode):\(.iface):\(.result)"] ==
	["active-backup:bond0:failed", "single:eth0:failed", "single:eth1:failed"]'
ok "each single rung: no lease within 3 s, DISCOVERs unanswered" \
	j '[.rungs[1:][].why | test("^no DHCP lease on eth[01] within 3 s \\([0-9]+ DISCOVERs unanswered\\)$")] | all'
ok "a clear last word" log 'error: no way to the install server worked; the NICs are as they were'
ok "eth0 and eth1 down, no address" bash -c "[ -z '$(addr4 eth0)$(addr4 eth1)' ]"
ok "eth0 down" link_down eth0
ok "eth1 down" link_down eth1
ok "no resolv.conf written" test ! -e "$work/resolv.conf"
ok "state: PXEBOND_RESULT failed, PXEBOND_IP empty" \
	test "$(st PXEBOND_RESULT)/$(st PXEBOND_IP)" = failed/

# ---- a hostile server: malformed OFFERs, then one that overloads file and sname, a
# NAK for the first REQUEST, and an ACK whose strings carry newlines, escapes and $(...).
echo "# hostile server"
h=dhcp-hostile
ip netns exec "$LAB_D" "$work/dhcp-replay" srv0 -o "$fx/$h-offer-udp-csum.hex" -o "$fx/$h-offer-ip-csum.hex" \
	-o "$fx/$h-offer-truncated.hex" -o "$fx/$h-offer-fragment.hex" \
	-o "$fx/$h-offer-overrun.hex" -o "$fx/$h-offer-no-server-id.hex" \
	-o "$fx/$h-offer-overload.hex" -n "$fx/$h-nak.hex" -a "$fx/$h-ack-strings.hex" \
	>"$LAB_DIR/replay.log" 2>&1 &
echo $! >"$LAB_DIR/replay.pid"
sleep 0.3
cp "$work/up.log" "$work/up-none.log"
rm -f /tmp/pxb-pwned
up --mode single --ifaces eth0 --timeout 15 -v
rc=$?
ok "pxebond up exit status 0 (got $rc)" test "$rc" = 0
ok "the lease: 10.9.0.200/24 from 10.9.0.9" log 'eth0: lease 10\.9\.0\.200/24 from 10\.9\.0\.9 for 600 s'
# (The fragment never reaches pxebond: its socket filter takes none.)
for why in "bad UDP checksum" "bad IPv4 header checksum" "truncated" "malformed options" \
	"no server identifier"; do
	ok "dropped: $why" logf "eth0: dropped a packet: $why"
done
ok "the overloaded offer was taken" log 'eth0: DHCP offer of 10\.9\.0\.200 from 10\.9\.0\.9'
ok "a NAK starts over" log 'eth0: DHCP NAK from 10\.9\.0\.9, starting over'
for what in "hostname (option 12)" "domain (option 15)" "TFTP server (option 66)" \
	"boot file (option 67)" "BOOTP file" "BOOTP server name"; do
	ok "warned: the $what left out" logf "warning: eth0: the lease's $what '"
done
ok "warned: option 119 malformed, MTU 68 not applied" \
	bash -c "grep -q 'option 119 is malformed' '$work/up.log' && grep -q 'MTU 68 is below 576' '$work/up.log'"
ok "the log holds no raw escape or control byte" \
	bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f-\\xff]' '$work/up.log'"
ok "state and state.json hold no control byte" \
	bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f-\\xff]' '$work/state/state' '$work/state/state.json'"
ok "state.json parses" jq -e . "$work/state/state.json"
ok "reading the state runs nothing; PXEBOND_RESULT is ok" test "$(st PXEBOND_RESULT)" = ok
ok "... and the printable root path comes back exactly, as data" \
	test "$(st PXEBOND_ROOT_PATH)" = "nfs:10.9.0.9:/srv/'\$(touch /tmp/pxb-pwned)'"
ok "... no /tmp/pxb-pwned" test ! -e /tmp/pxb-pwned
for k in HOSTNAME DOMAIN SEARCH TFTP_SERVER BOOTFILE MTU; do
	ok "state: PXEBOND_$k empty" test -z "$(st "PXEBOND_$k")"
done
ok "resolv.conf: only the DNS server, no injected line" cmp -s "$work/resolv.conf" \
	<(printf '%s\n' '# pxebond up: from the DHCP lease on eth0 (server 10.9.0.9)' 'nameserver 10.9.0.9')
ok "eth0's MTU untouched (1500)" \
	bash -c "ip netns exec $LAB_C ip -j link show dev eth0 | jq -e '.[0].mtu == 1500'"
mkdir -p "$work/target"
"$pxebond" write --root "$work/target" --state "$work/state" --format networkd --static \
	--dry-run >"$work/write.out" 2>&1
ok "write --static from this state: the address, nothing hostile" bash -c "grep -q 'Address=10.9.0.200/24' \
	'$work/write.out' && ! grep -qE '6\\.6\\.6\\.6|pwned|\\\$\\(' '$work/write.out'"
lab_client "$pxebond" down --state "$work/state" >/dev/null 2>&1
kill "$(cat "$LAB_DIR/replay.pid")" 2>/dev/null

# ---- up and down as a new user tries them: only what up did is undone, a second up
# over a path that is up is refused, down twice is no error, MTU and search list go
# into a static config.
echo "# up and down"
dnsmasq_start dnsmasq-again --dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,600 \
	--dhcp-host=02:00:00:00:00:01,node1 --dhcp-option=option:router,10.9.0.1 \
	--dhcp-option=option:mtu,1400 --dhcp-option=option:domain-name,lab.example \
	--dhcp-option=option:domain-search,lab.example,other.example \
	--dhcp-option=option:dns-server,10.9.0.1 --no-ping
up --mode single --ifaces eth0 --no-dhcp --timeout 5
rc=$?
ok "up --no-dhcp: exit status 0 (got $rc), eth0 up without an address" test "$rc" = 0 -a -z "$(addr4 eth0)"
lab_client ip addr add 192.0.2.77/24 dev eth0
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1
ok "down after up --no-dhcp: the address added by hand stays" test "$(addr4 eth0)" = 192.0.2.77
lab_client ip addr flush dev eth0
lab_client ip link set eth0 down
up --mode single --ifaces eth0 --timeout 10
rc=$?
ip=$(st PXEBOND_IP)
lab_client ip addr add 192.0.2.78/24 dev eth0
ok "up: exit status 0 (got $rc), the lease $ip, then an address added by hand" \
	test "$rc" = 0 -a "$(addr4 eth0)" = "$ip 192.0.2.78"
cp "$work/state/state" "$work/state.first"
up --mode single --ifaces eth1 --timeout 10
rc=$?
ok "a second up while the state says ok: refused, exit status 3 (got $rc)" test "$rc" = 3
ok "... saying why and what to do" logf "says eth0 is up already (single over 1 NIC): run 'pxebond down' first"
ok "... the first up's state untouched" cmp -s "$work/state.first" "$work/state/state"
ok "... eth1 left as it was (down)" link_down eth1
mkdir -p "$work/target-static"
"$pxebond" write --root "$work/target-static" --state "$work/state" --format networkd --static \
	--cmdline /dev/null >"$work/write-static.log" 2>&1
f=$work/target-static/etc/systemd/network/10-pxebond-eth0.network
ok "write --static keeps the lease's MTU (1400)" grep -qx 'MTUBytes=1400' "$f"
ok "... and the search list (option 119), not only the domain" grep -qx 'Domains=lab.example other.example' "$f"
lab_client "$pxebond" down --state "$work/state" >"$work/down.log" 2>&1
ok "down: the lease's address gone, the one added by hand kept" test "$(addr4 eth0)" = 192.0.2.78
ok "... eth0's MTU back to 1500, eth0 down" \
	bash -c "ip netns exec $LAB_C ip -j link show dev eth0 | jq -e '.[0] | .mtu == 1500 and (.flags | index(\"UP\") | not)'"
lab_client "$pxebond" down --state "$work/state" >"$work/down2.log" 2>&1
rc=$?
ok "down twice: exit status 0 (got $rc), says there was nothing to undo" \
	test "$rc" = 0 -a -n "$(grep -F 'no state, nothing to undo' "$work/down2.log")"
# resolv.conf: up writes the lease's, down puts back what was there (in one mount
# namespace with its own /etc, as the installer's one /etc).
lab_client unshare -m sh -c 'mount -t tmpfs tmpfs /etc || exit 3; w=$1
	printf "nameserver 192.0.2.53\n" >/etc/resolv.conf
	"$2" up --mode single --ifaces eth0 --timeout 10 --state "$w/state-resolv" >"$w/up-resolv.log" 2>&1
	cp /etc/resolv.conf "$w/resolv.up"
	"$2" down --state "$w/state-resolv" >/dev/null 2>&1
	cp /etc/resolv.conf "$w/resolv.down"' sh "$work" "$pxebond"
ok "up wrote the lease's resolv.conf" grep -q '^# pxebond up: from the DHCP lease on eth0' "$work/resolv.up"
ok "down put back the one that was there" cmp -s "$work/resolv.down" <(echo 'nameserver 192.0.2.53')
dnsmasq_stop dnsmasq-again

tap_done
