#!/bin/bash
# `pxebond up`'s own DHCP client against real servers behind Open vSwitch: dnsmasq (the
# lease, as busybox udhcpc got it before, on the interface with its route, MTU and
# resolv.conf, and in the state), no server at all (a bounded, clear failure, the NICs
# as found), and a hostile server replaying malformed and escape-laden answers (no
# crash, nothing raw in the state or resolv.conf). The host kernel has no bonding
# driver: the bond rung fails and the single-NIC rungs must get the lease.
#
#   client ns                    switch ns: ovs br0 (userspace)    server ns
#   eth0 02:00:00:00:00:01 ---- s0 (plain port)
#   eth1 02:00:00:00:00:02 ---- s1 (plain port)   d0 ---- veth ---- srv0 10.9.0.1/24
#                                                                   dnsmasq, then none,
#                                                                   then dhcp-replay
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
# to $work/up.log, /etc/resolv.conf (if any) to $work/resolv.conf.
up() {
	rm -f "$work/resolv.conf"
	lab_client unshare -m sh -c 'mount -t tmpfs tmpfs /etc || exit 3; w=$1; shift
		[ ! -e "$w/resolv.before" ] || cp "$w/resolv.before" /etc/resolv.conf
		"$@"; rc=$?; [ ! -e /etc/resolv.conf ] || cp /etc/resolv.conf "$w/resolv.conf"
		exit $rc' sh "$work" "$pxebond" up --state "$work/state" "$@" >"$work/up.log" 2>&1
}
# st KEY: KEY's value as a shell stage sees it, sourcing the state.
st() {
	sh -c '. "$1/state/state" && eval "printf %s \"\${$2-}\""' sh "$work" "$1"
}
j() { jq -e "$1" "$work/state/state.json" >/dev/null; }
log() { grep -qE -- "$1" "$work/up.log"; }
logf() { grep -qF -- "$1" "$work/up.log"; }
addr4() { lab_client ip -j -4 addr show dev "$1" | jq -r '[.[].addr_info[].local] | join(" ")'; }
link_down() { lab_client ip -j link show dev "$1" | jq -e '.[0].flags | index("UP") | not'; }

# ---- dnsmasq, configured as for the fixtures (tests/fixtures/dhcp-capture.sh)
# Not through lab_srv: a function in the background would leave $! a subshell's.
ip netns exec "$LAB_D" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=srv0 \
	--bind-interfaces --dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,600 \
	--dhcp-host=02:00:00:00:00:01,node1 --dhcp-option=option:router,10.9.0.1 \
	--dhcp-option=option:dns-server,10.9.0.1 --dhcp-option=option:domain-name,lab.example \
	--dhcp-option=option:domain-search,lab.example,other.example \
	--dhcp-option=option:root-path,nfs:10.9.0.1:/srv/root --dhcp-option=option:mtu,1400 \
	--dhcp-option=66,10.9.0.1 --dhcp-boot=pxelinux.0,,10.9.0.1 \
	--dhcp-leasefile="$LAB_DIR/dnsmasq.leases" >"$LAB_DIR/dnsmasq.log" 2>&1 &
echo $! >"$LAB_DIR/dnsmasq.pid"
for _ in $(seq 50); do
	lab_srv ss -lun | grep -q ':67 ' && break
	sleep 0.1
done

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
ok "the bond rung failed for want of a bonding driver" \
	j '.rungs[0] | .mode == "active-backup" and .result == "failed" and (.why | test("bond0"))'
ok "the kernel's missing bonding driver was said" log 'the kernel has no bonding driver'
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

# ---- no server: every rung fails within its bound, the NICs as they were.
echo "# no DHCP server"
kill "$(cat "$LAB_DIR/dnsmasq.pid")"
wait "$(cat "$LAB_DIR/dnsmasq.pid")" 2>/dev/null
cp "$work/up.log" "$work/up-dnsmasq.log"
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
ok "sourcing the state runs nothing; PXEBOND_RESULT is ok" test "$(st PXEBOND_RESULT)" = ok
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

tap_done
