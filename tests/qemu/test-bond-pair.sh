#!/bin/bash
# Lab smoke test: two guests, each an 802.3ad bond over two virtio NICs, wired NIC to
# NIC over QEMU socket netdevs; both bonds must aggregate both links with each other.
#
#   guest A (-g 1)                         guest B (-g 2)
#   bond0 [eth0 52:54:00:b0:01:00] --tcp:P---- [eth0 52:54:00:b0:02:00] bond0
#         [eth1 52:54:00:b0:01:01] --tcp:P+1-- [eth1 52:54:00:b0:02:01]
#
# Env: PXB_QEMU_PORT (base TCP port on 127.0.0.1; default random 20000-39998).
# Captures of A's NICs are left in build/qemu/bond-pair/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/bond-pair
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 10000 * 2))}

mkdir -p "$work"
"$here/mkinitrd.sh" "$work/bond.cpio.gz" --init "$here/scenarios/bond-lacpdu.sh"
t0=$SECONDS
args=(-i "$work/bond.cpio.gz" -a "pxb.partner=1 pxb.secs=30")
"$here/run-guest.sh" "${args[@]}" -n pair-a -g 1 "listen:$port,dump=$work/a-eth0.pcap" \
	"listen:$((port + 1)),dump=$work/a-eth1.pcap" >"$work/a.out" &
apid=$!
trap 'kill $apid 2>/dev/null || true' EXIT
"$here/run-guest.sh" "${args[@]}" -n pair-b -g 2 "connect:$port" \
	"connect:$((port + 1))" >"$work/b.out" && brc=0 || brc=$?
wait "$apid" && arc=0 || arc=$?
trap - EXIT
echo "bond-pair: both guests done in $((SECONDS - t0)) s" >&2

pass=0 fail=0
check() { # check GUEST WHAT PATTERN
	if grep -q -- "$3" "$work/$1.out"; then
		echo "ok: $1: $2"
		pass=$((pass + 1))
	else
		echo "FAIL: $1: $2"
		fail=$((fail + 1))
	fi
}
for g in a b; do
	check "$g" "members in sync, collecting, distributing" '^@@PXB result in_sync rc=0 '
	check "$g" "one aggregator with both ports" '^@@PXB result bond_ad .* ports=2 '
done
check a "partner is B's bond (eth0's MAC)" 'partner_mac=52:54:00:b0:02:00'
check b "partner is A's bond (eth0's MAC)" 'partner_mac=52:54:00:b0:01:00'
check a "guest exit status 0 (got $arc)" "^@@PXB done rc=0"
check b "guest exit status 0 (got $brc)" "^@@PXB done rc=0"
[ "$fail" = 0 ] || grep -H '^@@PXB result' "$work/a.out" "$work/b.out" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
