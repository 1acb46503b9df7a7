# shellcheck shell=bash
# The host lab: Open vSwitch (userspace datapath, no kernel module) as a real LACP switch
# and lldpd as a real LLDP neighbour, in a "switch" network namespace; the NICs under
# test are veth ends in a "client" namespace. Sourced by tests/netns/*.sh.
#
#   client ns ($LAB_C)                   switch ns ($LAB_S): ovs-vswitchd, bridge br0
#   ethN  ---------------- veth -------- sN   (in a LACP bond, a plain port, or left down)
#                                        d0   (plain port) ---- veth ---- srv0 in $LAB_D
#
# lab_start; lab_wire N; lab_lag NAME active|passive fast|slow SYSID PORT...;
# lab_port PORT; lab_lldpd PORT...; lab_client CMD...; lab_server [ADDR/LEN];
# lab_srv CMD...; teardown on exit (PXB_KEEP=1 keeps the namespaces and processes for
# debugging and prints how to remove them; processes whose pid is in $LAB_DIR/*.pid go).

LAB_ID=${LAB_ID:-$$}
LAB_C=pxb-c-$LAB_ID
LAB_S=pxb-s-$LAB_ID
LAB_D=pxb-d-$LAB_ID
LAB_DIR=
LAB_DB=

lab_die() {
	echo "lab: $*" >&2
	exit 1
}

lab_vsctl() {
	ovs-vsctl --db="unix:$LAB_DB" --timeout=10 "$@"
}

lab_stop() {
	if [ "${PXB_KEEP:-0}" = 1 ]; then
		echo "lab: kept: ip netns del $LAB_C; ip netns del $LAB_S; ip netns del $LAB_D;" \
			"kill \$(cat $LAB_DIR/*.pid)" >&2
		return
	fi
	local f
	for f in "$LAB_DIR"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	ip netns del "$LAB_C" 2>/dev/null
	ip netns del "$LAB_S" 2>/dev/null
	ip netns del "$LAB_D" 2>/dev/null
	# ovs-vswitchd exits on SIGTERM at once; give it a bounded moment before rm.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "$LAB_DIR/" >/dev/null || break
		sleep 0.1
	done
	pkill -9 -f "$LAB_DIR/" 2>/dev/null
	rm -rf "$LAB_DIR"
}

# Starts ovsdb-server and ovs-vswitchd with their own run directory, inside the switch ns.
lab_start() {
	local s
	[ "$(id -u)" = 0 ] || lab_die "needs root (network namespaces)"
	for s in ovsdb-server ovs-vswitchd ovs-vsctl ovsdb-tool lldpd jq; do
		command -v "$s" >/dev/null || [ -x "/usr/sbin/$s" ] || lab_die "$s missing (scripts/deps.sh)"
	done
	PATH=$PATH:/usr/sbin
	LAB_DIR=$(mktemp -d /tmp/pxb-lab.XXXXXX)
	chmod 755 "$LAB_DIR" # lldpd runs lldpcli unprivileged, and it needs the socket
	LAB_DB=$LAB_DIR/db.sock
	trap lab_stop EXIT
	if ! ip netns add "$LAB_S" || ! ip netns add "$LAB_C"; then
		lab_die "cannot make namespaces"
	fi
	ip -n "$LAB_S" link set lo up
	ip -n "$LAB_C" link set lo up
	ovsdb-tool create "$LAB_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema ||
		lab_die "ovsdb-tool create failed"
	OVS_RUNDIR=$LAB_DIR OVS_DBDIR=$LAB_DIR OVS_LOGDIR=$LAB_DIR \
		ip netns exec "$LAB_S" ovsdb-server "$LAB_DIR/conf.db" --remote="punix:$LAB_DB" \
		--pidfile="$LAB_DIR/ovsdb.pid" --log-file="$LAB_DIR/ovsdb.log" --detach --no-chdir \
		-vconsole:off 2>>"$LAB_DIR/start.log" ||
		lab_die "ovsdb-server did not start"
	lab_vsctl --no-wait init
	OVS_RUNDIR=$LAB_DIR OVS_DBDIR=$LAB_DIR OVS_LOGDIR=$LAB_DIR \
		ip netns exec "$LAB_S" ovs-vswitchd "unix:$LAB_DB" --pidfile="$LAB_DIR/vswitchd.pid" \
		--log-file="$LAB_DIR/vswitchd.log" --detach --no-chdir -vconsole:off 2>>"$LAB_DIR/start.log" ||
		lab_die "ovs-vswitchd did not start (see $LAB_DIR/vswitchd.log)"
	lab_vsctl add-br br0 -- set bridge br0 datapath_type=netdev
}

# lab_wire N: client eth0..eth(N-1), each wired to switch s0..s(N-1) (up, not attached).
lab_wire() {
	local i
	for i in $(seq 0 $(($1 - 1))); do
		ip link add "eth$i" netns "$LAB_C" type veth peer name "s$i" netns "$LAB_S"
		ip -n "$LAB_S" link set "s$i" up
	done
}

# lab_lag NAME active|passive fast|slow SYSID PORT...: an LACP bond on the switch.
# Open vSwitch needs two ports for add-bond; a one-port LAG is a port with lacp set.
lab_lag() {
	local name=$1 mode=$2 time=$3 sysid=$4
	shift 4
	if [ $# -ge 2 ]; then
		lab_vsctl add-bond br0 "$name" "$@" lacp="$mode" \
			other_config:lacp-time="$time" other_config:lacp-system-id="$sysid"
	else
		lab_vsctl add-port br0 "$1" -- set port "$1" lacp="$mode" \
			other_config:lacp-time="$time" other_config:lacp-system-id="$sysid"
	fi
}

lab_port() {
	lab_vsctl add-port br0 "$1"
}

# lab_lldpd PORT...: lldpd as "sw-test" on those switch ports, sending every second
# (its default is 30 s); port descriptions "uplink-PORT".
lab_lldpd() {
	local p conf=$LAB_DIR/lldpd.conf
	mkdir -p /run/lldpd # lldpd's privilege-separation chroot
	{
		echo "configure system hostname sw-test"
		echo "configure lldp tx-interval 1"
		for p in "$@"; do echo "configure ports $p lldp portdescription uplink-$p"; done
	} >"$conf"
	ip netns exec "$LAB_S" lldpd -d -u "$LAB_DIR/lldpd.sock" -I "$(echo "$@" | tr ' ' ,)" \
		-O "$conf" -L "$(command -v lldpcli)" >"$LAB_DIR/lldpd.log" 2>&1 &
	echo $! >"$LAB_DIR/lldpd.pid"
}

lab_client() {
	ip netns exec "$LAB_C" "$@"
}

# lab_server [ADDR/LEN]: a server namespace $LAB_D, its srv0 wired to the switch's plain
# port d0. Its checksums are computed, not left to the veth's offload: the userspace
# switch would pass them on unfilled.
lab_server() {
	ip netns add "$LAB_D" || lab_die "cannot make $LAB_D"
	ip -n "$LAB_D" link set lo up
	ip link add srv0 netns "$LAB_D" type veth peer name d0 netns "$LAB_S"
	ip netns exec "$LAB_D" ethtool -K srv0 tx off >/dev/null
	[ -z "${1:-}" ] || ip -n "$LAB_D" addr add "$1" dev srv0
	ip -n "$LAB_D" link set srv0 up
	ip -n "$LAB_S" link set d0 up
	lab_port d0
}

lab_srv() {
	ip netns exec "$LAB_D" "$@"
}

# lab_appctl CMD...: ovs-appctl to the lab's ovs-vswitchd (lacp/show NAME, ...).
lab_appctl() {
	ovs-appctl --target="$LAB_DIR/ovs-vswitchd.$(cat "$LAB_DIR/vswitchd.pid").ctl" "$@"
}

# lab_settle SECS: wait until the switch's LACP ports exist in ovs (bounded).
lab_settle() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		lab_vsctl show >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
