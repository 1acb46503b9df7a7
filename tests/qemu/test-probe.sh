#!/bin/bash
# `pxebond probe` against real Linux 802.3ad partners: a "switch" guest with three bonds
# (three LACP systems) and a plain port, a client guest with seven NICs; both boot once,
# the client probes four times and the host asserts on three runs' JSON with jq.
#
#   client (-g 2)                           switch (-g 1)
#   eth0 52:54:00:b0:02:00 ---udp P+0/P+1--- eth0 \ bondA  active, fast, system = its
#   eth1 52:54:00:b0:02:01 ---udp P+2/P+3--- eth1 /        MAC (52:54:00:b0:01:00)
#   eth2 52:54:00:b0:02:02 ---udp P+4/P+5--- eth2 \ bondB  passive (lacp_active off), slow,
#   eth3 52:54:00:b0:02:03 ---udp P+6/P+7--- eth3 /        02:00:00:00:0b:00, priority 100
#   eth4 52:54:00:b0:02:04 ---udp P+8/P+9--- eth4   bondC  active, fast, 02:00:00:00:0c:00,
#                                                          user port key 5 (a third switch)
#   eth5 52:54:00:b0:02:05 --udp P+10/P+11-- eth5   plain port, no LACP
#   eth6 52:54:00:b0:02:06   link=off (no carrier; its UDP peer does not exist)
#
# Runs, in this order: run2 `probe --json --passive eth2 eth3` (a passive partner that
# never heard from us stays silent); run1 `probe --json` (every NIC); run2b = run2 again,
# only logged (bond B now talks: see probe-client.sh); run3 `probe --json eth5` with eth5
# already up (single, and eth5 must stay up). The switch boots first; the client starts
# once the switch's bonds are attached and quiet; the switch is killed when the client is
# done.
# Env: PXB_QEMU_PORT (base UDP port; default random), PXEBOND (default build/pxebond).
# Work files (JSON per run, outputs, client captures, bench.txt) are left in
# build/qemu/probe/.
# shellcheck disable=SC2016 # $A, $p ... in single quotes are jq variables
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/host.sh
. "$here/host.sh"
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/probe
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 10000 * 2))}
pxebond=${PXEBOND:-$root/build/pxebond}

command -v jq >/dev/null || { echo "test-probe: needs jq" >&2; exit 1; }
[ -x "$pxebond" ] || { echo "test-probe: no $pxebond (make build/pxebond)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
# A copy: the build may replace the binary while the initramfs is being made.
cp "$pxebond" "$work/pxebond"
"$here/mkinitrd.sh" "$work/switch.cpio.gz" --init "$here/scenarios/probe-switch.sh"
"$here/mkinitrd.sh" "$work/client.cpio.gz" --init "$here/scenarios/probe-client.sh" \
	--add "$work/pxebond:/bin/pxebond"

snics=() cnics=()
for i in 0 1 2 3 4 5; do
	c=$((port + 2 * i)) s=$((port + 2 * i + 1))
	snics+=("udp:$s:$c")
	cnics+=("udp:$c:$s,dump=$work/eth$i.pcap")
done
cnics+=("udp:$((port + 12)):$((port + 13)),link=off")

t0=${EPOCHREALTIME/./}
secs() { # seconds since t0, one decimal
	local us=$((${EPOCHREALTIME/./} - t0))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}
"$here/run-guest.sh" -i "$work/switch.cpio.gz" -n probe-switch -g 1 -a pxb.secs=100 \
	"${snics[@]}" >"$work/switch.out" &
spid=$!
trap 'kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true' EXIT
ready=0
qemu_wait_ready "$work/switch.out" "$spid" || ready=$?
t_ready=$(secs)
crc=0
if [ "$ready" = 0 ]; then
	# -t: under TCG the client needs ~15 s; a hung pxebond must not hold CI for long.
	"$here/run-guest.sh" -i "$work/client.cpio.gz" -n probe-client -g 2 -t 75 \
		"${cnics[@]}" >"$work/client.out" || crc=$?
else
	echo "test-probe: the switch never got ready:" >&2
	cat "$work/switch.out" >&2
	: >"$work/client.out"
	crc=125
fi
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
trap - EXIT
echo "test-probe: switch ready after $t_ready s, client done after $(secs) s" >&2

for r in run1 run2 run2b run3; do
	sed -n "s/^@@PXB json $r //p" "$work/client.out" >"$work/$r.json"
done
# What the switch said about itself: system and priority per bond.
bond_sys() { sed -n "s/^@@PXB result bond $1 system=\([^ ]*\) .*/\1/p" "$work/switch.out"; }
sysA=$(bond_sys bondA) sysB=$(bond_sys bondB) sysC=$(bond_sys bondC)

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# j RUN FILTER: jq -e on that run's JSON, with the switch's systems as $A $B $C.
j() {
	jq -e --arg A "$sysA" --arg B "$sysB" --arg C "$sysC" "$2" "$work/$1.json"
}
line() { grep -qxF -- "$1" "$work/client.out"; }
# Filters on one interface: nic("eth0").lacp.detected
nic='def nic($n): .interfaces[] | select(.name == $n);'

ok "client guest exit status 0 (got $crc)" [ "$crc" = 0 ]
ok "switch: bond A's system is its MAC 52:54:00:b0:01:00" [ "$sysA" = 52:54:00:b0:01:00 ]
ok "client: eth6 has no carrier (link=off)" line '@@PXB result eth6_carrier 0'
ok "client: every link down before the probes" line '@@PXB result before up=[ ]'

# run1: everything.
ok "run1: exit status 0" line '@@PXB result rc run1 0'
ok "run1: JSON parses, 7 interfaces" j run1 '.interfaces | length == 7'
for n in eth0 eth1; do
	ok "run1: $n detected, partner bond A ($sysA)" \
		j run1 "$nic nic(\"$n\").lacp | .detected and .partner_system == \$A"
done
ok "run1: eth0 and eth1 have the same partner key and priority" j run1 \
	"$nic [nic(\"eth0\"), nic(\"eth1\")] | map(.lacp) | length == 2 and all(.detected) and
	(.[0].partner_key | numbers) == .[1].partner_key and
	(.[0].partner_priority | numbers) == .[1].partner_priority"
ok "run1: bond A's priority is the default 65535" \
	j run1 "$nic nic(\"eth0\").lacp.partner_priority == 65535"
for n in eth2 eth3; do
	ok "run1: $n detected (passive, slow), partner bond B ($sysB) priority 100" \
		j run1 "$nic nic(\"$n\").lacp | .detected and .partner_system == \$B and
		.partner_priority == 100"
done
ok "run1: eth4 detected, partner bond C ($sysC)" \
	j run1 "$nic nic(\"eth4\").lacp | .detected and .partner_system == \$C"
# Linux: key = user key << 6 | speed code << 1 | full duplex; 1000 Mb/s is code 4.
ok "run1: bond C's key carries its user port key 5 ((5<<6)|9 = 329)" \
	j run1 "$nic nic(\"eth4\").lacp.partner_key == 329"
ok "run1: eth5 has carrier, no LACP" \
	j run1 "$nic nic(\"eth5\") | .carrier and (.lacp.detected | not)"
ok "run1: eth6 has no carrier, no LACP" \
	j run1 "$nic nic(\"eth6\") | (.carrier | not) and (.lacp.detected | not)"
ok "run1: eth0's partner is active with a short timeout (flags A and T)" \
	j run1 "$nic nic(\"eth0\").lacp.partner_flags | test(\"A\") and test(\"T\")"
ok "run1: eth2's partner is passive with a long timeout (no A, no T)" \
	j run1 "$nic nic(\"eth2\").lacp.partner_flags | (test(\"A\") or test(\"T\")) | not"
ok "run1: eth2's partner_state agrees (Activity and Timeout bits clear)" \
	j run1 "$nic nic(\"eth2\").lacp.partner_state % 4 == 0"
ok "run1: every detected NIC has a numeric lacp.elapsed_ms" \
	j run1 '[.interfaces[].lacp | select(.detected) | .elapsed_ms | numbers] | length == 5'
ok "run1: three groups" j run1 '.groups | length == 3'
ok "run1: groups are bond A, B, C with the right members" j run1 \
	'[.groups[] | {s: .partner_system, m: (.members | sort)}] | sort_by(.s) ==
	([{s: $A, m: ["eth0", "eth1"]}, {s: $B, m: ["eth2", "eth3"]}, {s: $C, m: ["eth4"]}]
	| sort_by(.s))'
ok "run1: one primary group, of two members" \
	j run1 '[.groups[] | select(.role == "primary")] | length == 1 and (.[0].members | length) == 2'
ok "run1: decision 802.3ad" j run1 '.decision.mode == "802.3ad"'
ok "run1: decision.primary is the primary group, and in decision.members" j run1 \
	'(.groups[] | select(.role == "primary") | .members | sort) as $p |
	(.decision.primary | sort) == $p and (.decision.members | contains($p))'
ok "run1: eth5 and eth6 are not in decision.members" \
	j run1 '.decision.members | arrays | any(.[]; . == "eth5" or . == "eth6") | not'
ok "run1: withdrawn (we sent LACPDUs)" j run1 '.withdrawn == true'
ok "run1: links down again afterwards" line '@@PXB result admin_up run1'

# run2: passive on bond B's ports: a passive partner never speaks first.
ok "run2: exit status 0" line '@@PXB result rc run2 0'
ok "run2: JSON parses, eth2 and eth3 only" \
	j run2 '[.interfaces[].name] == ["eth2", "eth3"]'
ok "run2: nothing sent (passive)" j run2 '[.interfaces[].lacp.sent] == [0, 0]'
ok "run2: no LACP detected on eth2, eth3" j run2 '[.interfaces[].lacp.detected] == [false, false]'
ok "run2: decision active-backup" j run2 '.decision.mode == "active-backup"'
ok "run2: links down again afterwards" line '@@PXB result admin_up run2'

# run3: eth5 alone, already up.
ok "run3: exit status 0" line '@@PXB result rc run3 0'
ok "run3: JSON parses, eth5 only" j run3 '[.interfaces[].name] == ["eth5"]'
ok "run3: decision single, eth5" j run3 '.decision | .mode == "single" and .members == ["eth5"]'
ok "run3: eth5 still up afterwards (it was up before)" line '@@PXB result admin_up run3 eth5'

# Benchmark material, not asserted: LACP answer time per NIC (from its carrier) and the
# whole run, in ms. An active partner's figure is its periodic LACPDU or its answer to
# ours, whichever came first; a passive one's is its answer.
for r in run2 run1 run2b run3; do
	[ -s "$work/$r.json" ] || continue
	jq -r --arg r "$r" '"bench: \($r) total=\(.elapsed_ms // "-")ms " + ([.interfaces[] |
		"\(.name)=" + (.lacp.elapsed_ms | if . then "\(.)ms" else "-" end)] | join(" "))' \
		"$work/$r.json" 2>/dev/null || echo "bench: $r: JSON does not parse"
done | tee "$work/bench.txt"
jq -r '"note: run2b, passive on eth2 eth3 right after run1: detected " +
	([.interfaces[].lacp.detected | tostring] | join(",")) +
	" (run2, before run1: not; bond B goes on sending once it heard an active partner)"' \
	"$work/run2b.json" 2>/dev/null || true
if [ "$tap_fail" != 0 ]; then
	grep -h '^@@PXB result' "$work/switch.out" "$work/client.out" >&2 || true
	for r in run2 run1 run3; do
		echo "$r:" >&2
		jq . "$work/$r.json" >&2 2>/dev/null || cat "$work/$r.json" >&2
	done
fi
tap_done
