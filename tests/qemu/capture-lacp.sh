#!/bin/bash
# Regenerate tests/fixtures/lacp-linux-bond{,-leave}.hex from a real Linux 802.3ad bond:
# one guest, two virtio NICs on slirp (no partner), QEMU filter-dump on both.
#
# Usage: capture-lacp.sh [FIXTUREDIR]   (default tests/fixtures; needs tshark)
# The first LACPDU of eth0 becomes lacp-linux-bond.hex; the one eth1 sends when it is
# released from the bond (aggregation bit cleared) becomes lacp-linux-bond-leave.hex.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixtures=${1:-$root/tests/fixtures}
work=$root/build/qemu/capture-lacp
kdir=$root/build/qemu/kernel
command -v tshark >/dev/null || { echo "capture-lacp: needs tshark" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work" "$fixtures"
"$here/fetch-kernel.sh" "$kdir"
"$here/mkinitrd.sh" "$work/bond.cpio.gz" --init "$here/scenarios/bond-lacpdu.sh"
"$here/run-guest.sh" -i "$work/bond.cpio.gz" -n capture-lacp -a "pxb.secs=5 pxb.leave=eth1" \
	"user,dump=$work/eth0.pcap" "user,dump=$work/eth1.pcap" | tee "$work/results"

ts() { tshark -n -r "$@" 2>/dev/null; } # tshark warns about running as root
uname=$(sed -n 's/^@@PXB result uname //p' "$work/results")
bond=$(sed -n 's/^@@PXB result bond //p' "$work/results")

# frame PCAP N ARGS...: tshark on frame N alone.
frame() { local pcap=$1 n=$2; shift 2; ts "$pcap" -Y "frame.number == $n" "$@"; }

# hexdump PCAP N: the frame as 16 space-separated byte pairs a line.
hexdump() { frame "$1" "$2" -x | sed -n 's/^[0-9a-f]\{4\}  \(.\{47\}\).*/\1/p' | sed 's/ *$//'; }

words() { awk '{ for (i = 1; i <= NF; i++) print $i }'; }

# side PCAP N actor|partner: one line of that side's information.
side() {
	local s=$3 prio sys key pprio port
	read -r prio sys key pprio port < <(frame "$1" "$2" -T fields -E separator=' ' \
		-e "lacp.$s.sys_priority" -e "lacp.$s.sysid" -e "lacp.$s.key" \
		-e "lacp.$s.port_priority" -e "lacp.$s.port")
	# "Actor State: 0xc7, LACP Activity, LACP Timeout" -> "0xc7 (Activity, Short-Timeout)"
	printf 'system %s/%s key %s port %s/%s state %s' "$prio" "$sys" "$key" "$pprio" "$port" \
		"$(frame "$1" "$2" -V | sed -n "s/^ *${s^} State: //p" |
			sed 's/LACP Timeout/Short-Timeout/; s/LACP //g; s/^\(0x..\)$/\1, none/; s/^\(0x..\), \(.*\)/\1 (\2)/')"
}

# fixture PCAP FILTER OUT TITLE: the first frame matching FILTER, as commented hex.
fixture() {
	local pcap=$1 filter=$2 out=$3 title=$4 n
	n=$(ts "$pcap" -Y "$filter" -T fields -e frame.number | awk 'NR == 1')
	[ -n "$n" ] || { echo "capture-lacp: no frame matches $filter in $pcap" >&2; exit 1; }
	{
		echo "# $title"
		echo "# Captured $(date -u +%F) by tests/qemu/capture-lacp.sh: QEMU filter-dump on a"
		echo "# virtio-net NIC (speed=1000,duplex=full) on slirp, so no LACP partner."
		echo "# Kernel: Linux $uname ($(cat "$kdir/kpkg"))"
		echo "# Bond: $bond; members enslaved down, bond0 up last."
		echo "# $(frame "$pcap" "$n" -T fields -e frame.len) octets, no FCS. Dissection" \
			"(tshark $(tshark -v 2>/dev/null | awk 'NR == 1 { print $3 }')):"
		echo "#   Actor:   $(side "$pcap" "$n" actor)"
		echo "#   Partner: $(side "$pcap" "$n" partner)"
		echo "#   Collector max delay $(frame "$pcap" "$n" -T fields \
			-e lacp.collector.max_delay); terminator; zero padding"
		hexdump "$pcap" "$n"
	} >"$out"
	# The fixture must hold exactly the captured frame, whatever a reader does with '#'.
	if [ "$(sed 's/#.*//' "$out" | words)" != "$(hexdump "$pcap" "$n" | words)" ]; then
		echo "capture-lacp: $out does not round-trip" >&2
		exit 1
	fi
	echo "capture-lacp: wrote $out (frame $n of $pcap)" >&2
}

fixture "$work/eth0.pcap" lacp "$fixtures/lacp-linux-bond.hex" \
	"First LACPDU sent by a Linux 802.3ad bond member (eth0, port 1) after bond0 came up."
fixture "$work/eth1.pcap" 'lacp && lacp.actor.state.aggregation == 0' \
	"$fixtures/lacp-linux-bond-leave.hex" \
	"LACPDU a Linux 802.3ad bond sends from eth1 (port 2) as it is released (echo -eth1 > slaves)."
