#!/bin/bash
# The demo on the host: pxebond probes a switch (Open vSwitch, lldpd) in network
# namespaces: two NICs in an LACP LAG (active, fast), one on a plain port.
#
#   client ns                switch ns "sw-test": Open vSwitch + lldpd
#   eth0, eth1 ---- veth ---- s0, s1   LAG: LACP active, fast, system 02:00:00:00:0a:00
#   eth2       ---- veth ---- s2       plain access port
#
# Usage: tests/netns/demo.sh [PXEBOND]   (root; nothing to configure)
set -u
here=$(cd "$(dirname "$0")" && pwd)
pxebond=${1:-$here/../../build/pxebond}
pxebond=$(cd "$(dirname "$pxebond")" && pwd)/$(basename "$pxebond")
# shellcheck source=tests/netns/lib.sh
. "$here/lib.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "A switch: Open vSwitch in a network namespace, with lldpd as its LLDP agent"
lab_start
lab_wire 3
lab_lag lag1 active fast 02:00:00:00:0a:00 s0 s1
lab_port s2
lab_lldpd s0 s1 s2
lab_settle 5
echo "s0+s1: LACP LAG (active, fast); s2: plain port; the server's NICs eth0..eth2 are down"

say "pxebond probe 'eth*'   (waiting up to 3 s for LLDP too)"
lab_client "$pxebond" probe --lldp-wait 3 'eth*'

say "The same as JSON: the decision"
lab_client "$pxebond" probe --json --no-lldp-tx 'eth*' 2>/dev/null | jq .decision

say "What the switch saw (ovs-appctl lacp/show lag1)"
OVS_RUNDIR=$LAB_DIR ip netns exec "$LAB_S" ovs-appctl -t "$LAB_DIR/ovs-vswitchd.$(cat "$LAB_DIR/vswitchd.pid").ctl" \
	lacp/show lag1 | grep -E '^----|status|^  sys_id|partner sys_id|partner key' | uniq

say "Done; the lab is torn down"
