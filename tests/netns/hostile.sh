#!/bin/bash
# Hostile frames on the wire during a real probe: malformed, looping and lying LACPDUs,
# malformed LLDPDUs and an LLDPDU whose strings carry terminal escapes and quotes.
# pxebond must count and drop the bad ones, ignore its own looped LACPDU, attribute
# nothing to the wrong NIC, and print the hostile strings escaped.
#
#   ns pxb-h-c-$$ (client)                    ns pxb-h-p-$$ (peer: build/inject)
#   eth0 02:00:00:00:00:01 ---- veth ---- h0   malformed LACP/LLDP, hostile strings
#   eth1 02:00:00:00:00:02 ---- veth ---- h1   our own LACPDU looped back, a lying one
#
# Usage: tests/netns/hostile.sh [PXEBOND]   (root; ends with "N passed, N failed")
# shellcheck disable=SC2016 # jq programs in single quotes
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pxebond=${1:-$root/build/pxebond}
inject=$root/build/inject
fx=$root/tests/fixtures
c=pxb-h-c-$$ p=pxb-h-p-$$
work=$(mktemp -d)
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"

cleanup() {
	ip netns del "$c" 2>/dev/null
	ip netns del "$p" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

for tool in "$pxebond" "$inject"; do
	[ -x "$tool" ] || { echo "hostile: $tool missing (make)"; echo "0 passed, 1 failed"; exit 1; }
done
if ! ip netns add "$c" || ! ip netns add "$p"; then
	echo "0 passed, 1 failed"
	exit 1
fi
ip -n "$c" link set lo up
for i in 0 1; do
	ip link add "eth$i" netns "$c" type veth peer name "h$i" netns "$p"
	ip -n "$c" link set "eth$i" address "02:00:00:00:00:0$((i + 1))"
	ip -n "$p" link set "h$i" up
done

# The probe waits for LLDP up to 3 s, so the injections (0.5 s in) land inside it.
ip netns exec "$c" "$pxebond" probe --json --lldp-wait 3 eth0 eth1 >"$work/out.json" 2>"$work/err" &
ppid=$!
sleep 0.5
ip netns exec "$p" "$inject" h0 "$fx/lacp-hostile-truncated.hex" "$fx/lacp-hostile-tlv-length.hex" \
	"$fx/lldp-hostile-truncated-ttl.hex" "$fx/lldp-hostile-order.hex" "$fx/lldp-hostile-strings.hex"
ip netns exec "$p" "$inject" h1 "$fx/lacp-hostile-loop.hex" "$fx/lacp-hostile-multicast-src.hex"
wait $ppid
rc=$?

nic='def nic($n): .interfaces[] | select(.name == $n);'
j() { jq -e "$nic $1" "$work/out.json"; }
ok "probe exits 0 with hostile frames about (got $rc)" [ "$rc" = 0 ]
ok "JSON parses" jq -e . "$work/out.json"
ok "eth0: four malformed frames counted and dropped" j 'nic("eth0").dropped_frames >= 4'
ok "eth0: the well-formed hostile LLDPDU is read" j 'nic("eth0").lldp.port_id == "Eth1/1;$(reboot)"'
ok "eth0: system name escaped in JSON, decoded back exactly" \
	j 'nic("eth0").lldp.system_name == "\u001b[2J\u001b]0;pwned\u0007sw\"},{\"x\":1\\\n\\xff\\xfe"'
ok "eth0: no LACP partner from malformed LACPDUs" j 'nic("eth0").lacp.detected == false'
ok "eth1: own looped LACPDU and a multicast-source one ignored" \
	j 'nic("eth1") | .lacp.detected == false and .dropped_frames >= 2'
ok "eth1: no LLDP attributed from eth0's frames" j 'nic("eth1").lldp == null'
ok "decision: active-backup, no partner believed" j '.decision.mode == "active-backup"'
ok "JSON output holds no raw control bytes" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x1f\\x7f]' '$work/out.json'"

# The table: the same frame, printed for a terminal.
ip netns exec "$c" "$pxebond" probe --lldp-wait 2 eth0 >"$work/table" 2>&1 &
ppid=$!
sleep 0.5
ip netns exec "$p" "$inject" h0 "$fx/lldp-hostile-strings.hex"
wait $ppid
ok "table: no escape or control bytes reach the terminal" \
	bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f\\x80-\\xff]' '$work/table'"
ok "table: the name shown escaped" grep -qF '\x1b[2J\x1b]0;pwned\x07sw"},{"x":1\\...' "$work/table"

tap_done
