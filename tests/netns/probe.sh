#!/bin/bash
# `pxebond probe` against real peers on the host: Open vSwitch (userspace datapath) as
# the LACP switch, lldpd as the LLDP neighbour, in network namespaces. Asserts verdicts,
# partners, groups and decisions from --json. Root; ends with "N passed, N failed".
#
#   client ns                    switch ns: Open vSwitch br0 (+ lldpd on s0 s1 s6)
#   eth0, eth1 ---- veth ---- s0, s1   lagA: active, fast, system 02:00:00:00:0a:00
#   eth2, eth3 ---- veth ---- s2, s3   lagB: passive, slow, system 02:00:00:00:0b:00
#   eth4       ---- veth ---- s4       lagC: active, fast, system 02:00:00:00:0c:00
#   eth5       ---- veth ---- s5       lagD: passive, slow, system 02:00:00:00:0d:00
#   eth6       ---- veth ---- s6       plain port, no LACP (lldpd)
#   eth7       ---- veth ---- s7       plain port, no LACP
#   eth8       ---- veth ---- s8       switch end down: no carrier
#   eth9, eth10 --- veth ---- s9, s10  lagE: passive, slow, 02:00:00:00:0e:00; only ever
#                                      probed with --passive (a passive switch port that
#                                      once heard an active partner may go on talking)
#
# Usage: tests/netns/probe.sh [PXEBOND]
# shellcheck disable=SC2016 # jq programs in single quotes
set -u
here=$(cd "$(dirname "$0")" && pwd)
pxebond=${1:-$here/../../build/pxebond}
pxebond=$(cd "$(dirname "$pxebond")" && pwd)/$(basename "$pxebond")
# shellcheck source=tests/netns/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/tap.sh
. "$here/../tap.sh"

out=
# probe NAME ARGS...: runs a probe in the client ns; JSON in $out/NAME.json, rc in NAME.rc.
probe() {
	local name=$1
	shift
	lab_client "$pxebond" probe "$@" >"$out/$name.json" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}
nic='def nic($n): .interfaces[] | select(.name == $n);'
j() { jq -e "$nic $2" "$out/$1.json"; }

[ -x "$pxebond" ] || { echo "probe.sh: no $pxebond"; echo "0 passed, 1 failed"; exit 1; }
lab_start
out=$LAB_DIR
lab_wire 11
ip -n "$LAB_S" link set s8 down
lab_lag lagA active fast 02:00:00:00:0a:00 s0 s1
lab_lag lagB passive slow 02:00:00:00:0b:00 s2 s3
lab_lag lagC active fast 02:00:00:00:0c:00 s4
lab_lag lagD passive slow 02:00:00:00:0d:00 s5
lab_lag lagE passive slow 02:00:00:00:0e:00 s9 s10
lab_port s6
lab_port s7
lab_lldpd s0 s1 s6
lab_settle 5

# 1. Everything at once, with LLDP awaited.
probe all --json --lldp-wait 4 --carrier-timeout 2 eth0 eth1 eth2 eth3 eth4 eth5 eth6 eth7 eth8
ok "all: exit status 0" grep -qx 0 "$out/all.rc"
ok "all: JSON has 9 interfaces" j all '[.interfaces[]] | length == 9'
for n in eth0 eth1; do
	ok "all: $n detected, partner lagA (active fast)" j all \
		"nic(\"$n\").lacp | .detected and .partner_system == \"02:00:00:00:0a:00\" and (.partner_flags | startswith(\"AT\"))"
done
for n in eth2 eth3; do
	ok "all: $n detected, partner lagB (passive slow answered our LACPDU)" j all \
		"nic(\"$n\").lacp | .detected and .partner_system == \"02:00:00:00:0b:00\" and (.partner_flags | startswith(\"--\"))"
done
ok "all: eth4 detected, a one-port LAG (lagC)" j all 'nic("eth4").lacp.partner_system == "02:00:00:00:0c:00"'
ok "all: eth5 detected, one-port passive slow (lagD)" j all 'nic("eth5").lacp.partner_system == "02:00:00:00:0d:00"'
ok "all: eth0 and eth1 share partner key" j all '[nic("eth0"), nic("eth1")] | .[0].lacp.partner_key == .[1].lacp.partner_key'
for n in eth6 eth7; do
	ok "all: $n has carrier and no LACP" j all "nic(\"$n\") | .carrier and (.lacp.detected | not)"
done
ok "all: eth8 has no carrier" j all 'nic("eth8").carrier == false'
ok "all: four groups, primary lagA or lagB (2 members)" j all \
	'(.groups | length == 4) and (.groups[0].members | length == 2) and .groups[0].role == "primary"'
ok "all: decision 802.3ad over the six LACP NICs, plain and dead ones left out" j all \
	'.decision.mode == "802.3ad" and (.decision.members | sort == ["eth0","eth1","eth2","eth3","eth4","eth5"])'
ok "all: reason names separate partners" j all '.decision.reason | test("separate partners")'
ok "all: LLDP from lldpd on eth0: system sw-test, port description uplink-s0" j all \
	'nic("eth0").lldp | .system_name == "sw-test" and .port_description == "uplink-s0"'
ok "all: LLDP aggregation TLV read (802.3 form): capable" j all 'nic("eth0").lldp.aggregation.capable'
ok "all: no LLDP where lldpd does not run" j all 'nic("eth7").lldp == null'
ok "all: ends by withdrawing, and says so" grep -q "withdrawing LACPDU" "$out/all.err"
ok "all: links set down again (they were down)" bash -c "! ip -n $LAB_C -o link show up | grep -q 'eth[0-9]'"

# 2. One LAG alone.
probe lagA --json eth0 eth1
ok "lagA: one group of two, 802.3ad" j lagA \
	'(.groups | length == 1) and .decision.mode == "802.3ad" and (.decision.members | length == 2)'

# 3. --passive: the active fast LAG still talks; the passive slow one stays silent.
probe passive --json --passive --lacp-wait 2.5 eth0 eth9 eth10
ok "passive: active fast partner still found" j passive 'nic("eth0").lacp.detected'
ok "passive: passive slow partners not found (nobody talks first)" j passive \
	'[nic("eth9"), nic("eth10")] | all(.lacp.detected | not)'
ok "passive: nothing sent" j passive '[.interfaces[].lacp.sent] | add == 0'

# 4. Plain ports only: active-backup; one alone: single.
probe plain --json eth6 eth7
ok "plain: active-backup" j plain '.decision.mode == "active-backup" and (.groups | length == 0)'
ok "plain: no withdrawal where no partner answered" bash -c "! grep -q withdrawing $out/plain.err"
probe single --json eth7
ok "single: one NIC with carrier, single" j single '.decision.mode == "single"'
probe dead --json --carrier-timeout 1 eth8
ok "dead: exit status 1 when no NIC has carrier" grep -qx 1 "$out/dead.rc"
ok "dead: decision none" j dead '.decision.mode == "none"'

# 5. Names that match nothing and bad values.
probe missing --json eth7 eth99
ok "missing: a named NIC that does not exist is reported and skipped" \
	bash -c "grep -q 'eth99: no such interface' $out/missing.err && grep -qx 0 $out/missing.rc"
probe usage --lacp-wait forever
ok "usage: exit status 2 and one line" bash -c "grep -qx 2 $out/usage.rc && [ \$(wc -l <$out/usage.err) = 1 ]"

# 6. An admin-up NIC stays up.
ip -n "$LAB_C" link set eth6 up
probe keep --json eth6
ok "keep: a link that was up stays up" bash -c "ip -n $LAB_C -o link show eth6 | grep -q ',UP'"

# 7. `write` with no state from `up` (an empty /run): its own probe only listens. lagA
#    talks at the fast rate and gets 802.3ad; lagE is passive, hears nothing from us and
#    stays silent, so its ports get the --final-mode policy.
nostate() { # nostate NAME ARGS...: pxebond write --dry-run in the client ns
	local name=$1
	shift
	mkdir -p "$out/$name.root"
	lab_client unshare -m sh -c 'mount -t tmpfs pxb /run && exec "$@"' sh \
		"$pxebond" write --root "$out/$name.root" --format networkd --dry-run "$@" \
		>"$out/$name.out" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}
macs() { # the client NICs' MACs, as PermanentMACAddress= lines would give them
	local n
	for n in "$@"; do
		printf 'PermanentMACAddress=%s\n' "$(ip netns exec "$LAB_C" cat "/sys/class/net/$n/address")"
	done
}
# never_heard LAG: no port of LAG has a partner (once heard, a port keeps the partner's
# system, "expired" or "current", and the LAG says "negotiated")
never_heard() {
	local t
	t=$(lab_appctl lacp/show "$1") || return 1
	! grep -q 'negotiated' <<<"$t" &&
		awk '/partner sys_id:/ { n++; if ($3 != "00:00:00:00:00:00") bad = 1 }
			END { exit bad || !n }' <<<"$t"
}
nostate ns-lacp --ifaces eth0,eth1
ok "write, no state: exit status 0" grep -qx 0 "$out/ns-lacp.rc"
ok "write, no state: says it listens instead (nothing sent)" \
	grep -q 'no state .*listening for LACP partners instead (passive: nothing is sent)' "$out/ns-lacp.err"
ok "write, no state: lagA heard within the wait: Mode=802.3ad" grep -qx 'Mode=802.3ad' "$out/ns-lacp.out"
ok "write, no state: both lagA ports are members, by MAC" \
	bash -c "[ \"\$(grep '^PermanentMACAddress=' $out/ns-lacp.out | sort)\" = \"$(macs eth0 eth1 | sort)\" ]"
ok "write, no state: DHCP" grep -qx 'DHCP=yes' "$out/ns-lacp.out"
nostate ns-passive --final-mode balance-alb --ifaces 'eth9,eth1[0]'
ok "write, no state, passive switch ports: exit status 0" grep -qx 0 "$out/ns-passive.rc"
ok "write, no state, passive switch ports: not 802.3ad, the --final-mode policy" \
	grep -qx 'Mode=balance-alb' "$out/ns-passive.out"
ok "write, no state: lagE never heard an LACPDU from us (it stays silent)" \
	never_heard lagE
nostate ns-bad --ifaces 'eth0,../x'
ok "write: a bad --ifaces is a usage error (exit status 2)" grep -qx 2 "$out/ns-bad.rc"

# 8. `up` on LACP ports where the kernel has no bonding driver (this host's): one line
# says so, with modprobe's reason; one NIC carries the path, and a warning says a strict
# LAG would carry nothing on it. No DHCP: only the ladder is under test here.
lab_client "$pxebond" up --ifaces eth4 --no-dhcp --timeout 3 --state "$out/up-lacp" \
	>"$out/up-lacp.out" 2>"$out/up-lacp.err"
echo $? >"$out/up-lacp.rc"
ok "up on a LACP port, no bonding driver: exit status 0 (one NIC)" grep -qx 0 "$out/up-lacp.rc"
ok "... the missing driver said once, with modprobe's reason" \
	test "$(grep -c 'no bonding driver (modprobe bonding: .*): the bond rungs are skipped' "$out/up-lacp.err")" = 1
ok "... and that a strict LAG carries nothing on one NIC without LACP" \
	grep -q "these ports speak LACP but the 802.3ad bond did not come up: single on eth4 works only where the switch falls back from LACP; a strict LAG carries nothing on it" "$out/up-lacp.err"
ok "... the state says single, and the skipped rung why" bash -c \
	"[ \"\$('$pxebond' status --state '$out/up-lacp' --get RUNGS)\" = '802.3ad:failed single:ok' ] &&
	jq -e '.rungs[0].why == \"no bonding driver\"' '$out/up-lacp/state.json'"
lab_client "$pxebond" down --state "$out/up-lacp" >/dev/null 2>&1
ok "... down: eth4 down again" bash -c "! ip -n $LAB_C -o link show eth4 | grep -q ',UP'"

# 9. Once lagA's partner answered, eth8 (no carrier: its switch port is down) holds
# nothing up: up's probe calls it late (the bond would take it; the kernel admits it if
# its link comes up facing the same partner), not the 5 s carrier timeout's verdict.
lab_client "$pxebond" up --ifaces eth0,eth1,eth8 --no-dhcp --timeout 3 --state "$out/up-late" \
	>"$out/up-late.out" 2>"$out/up-late.err"
ok "up with a dark NIC beside lagA: exit status 0" test "$?" = 0
ok "... the probe calls eth8 late, eth0 and eth1 not" jq -e '.probe.interfaces | map(select(.late)) |
	map(.name) == ["eth8"]' "$out/up-late/state.json"
ok "... the decision says eth8 joins if it faces the same partner" jq -e \
	'.probe.decision.reason | test("eth8 has no carrier yet: enslaved late")' "$out/up-late/state.json"
lab_client "$pxebond" down --state "$out/up-late" >/dev/null 2>&1

tap_done
