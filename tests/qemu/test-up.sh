#!/bin/bash
# `pxebond up` end to end: a "switch + install server" guest (scenarios/server.sh: Linux
# bonds or plain ports in a bridge, udhcpd, httpd) and an installer guest
# (scenarios/client-up.sh) running `pxebond up` from its kernel command line, then
# fetching the kickstart and a payload over what pxebond made. One server and one
# client boot per scenario, one scenario after the other; the host asserts on each
# run's state.json (jq) and the client's console.
#
#   client (-g 2)                        server (-g 1)
#   eth0 52:54:00:b0:02:00 ----udp---- eth0 \  bond0 (fast|slow), bondA+bondB (two)
#   eth1 52:54:00:b0:02:01 ----udp---- eth1 /  or plain ports (none)      \
#   eth2 52:54:00:b0:02:02 ----udp---- eth2    plain port (some scenarios) +- br0 10.0.0.1/24
#                                                                            udhcpd, httpd
#
# Scenarios: fast (active, fast LACP; also the benchmarks and a link cut in the middle
# of a download), bench (the hand-made bond against a fresh server), slow (passive,
# slow LACP), plain (no LACP), two (two separate LACP partners, the first one's answer
# held back past the join window, so eth0 is enslaved late; then the active
# aggregator's link is cut mid-download and the bond moves to the other), nolink
# (client eth1 without link: enslaved late), layout (two LAG NICs, one without link, one
# on a plain port), late (a LAG NIC whose link comes 2 s after up starts), nodhcp-bond
# (DHCP answers only on a plain port, not over the bond), nodhcp (no DHCP server).
# Env: PXB_QEMU_PORT (base UDP port; default random), PXEBOND (default build/pxebond),
# PXB_UP_ONLY="fast slow ..." (a subset of the scenarios), PXB_UP_CLIENT_ARGS (client
# kernel arguments that win over the scenario's: "pxb.v=1" for pxebond's debug
# messages, "pxb.do=up1" for a quicker look).
# Work files (outputs per guest, state.json per run, bench.txt) are in build/qemu/up/.
# shellcheck disable=SC2016 # $S, $A ... in single quotes are jq variables
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/up
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 5000 * 2))}
pxebond=${PXEBOND:-$root/build/pxebond}
only=${PXB_UP_ONLY:-fast bench slow plain two nolink layout late nodhcp-bond nodhcp}

command -v jq >/dev/null || { echo "test-up: needs jq" >&2; exit 1; }
[ -x "$pxebond" ] || { echo "test-up: no $pxebond (make build/pxebond)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/www"
t_start=$SECONDS
# A copy: the build may replace the binary while the initramfs is being made.
cp "$pxebond" "$work/pxebond"
cp "$here/www/ks.cfg" "$work/www/ks.cfg"
# The payload: 4.6 MB that never repeats, so a lost or doubled segment cannot hide.
seq 1 600000 >"$work/www/payload.bin"
payload_sha=$(sha256sum "$work/www/payload.bin" | cut -d' ' -f1)
"$here/mkinitrd.sh" "$work/server.cpio.gz" --init "$here/scenarios/server.sh" \
	--add "$work/www:/www"
"$here/mkinitrd.sh" "$work/client.cpio.gz" --init "$here/scenarios/client-up.sh" \
	--add "$work/pxebond:/bin/pxebond"

mac() { printf '52:54:00:b0:%02x:%02x' "$1" "$2"; }
bootif() { echo "01-$(mac "$1" "$2" | tr : -)"; }

# pair NAME 'SERVER ARGS' 'CLIENT ARGS' CLIENT_TIMEOUT NICOPT...: boots the server,
# waits until it serves, boots the client (one NIC pair per NICOPT, the client's NIC
# getting NICOPT, e.g. ",link=off"), relays the client's "@@PXB cut IFACE" to both
# guests' monitors as set_link off, and leaves $work/NAME.{server,client}.out.
pair() {
	local name=$1 sargs=$2 cargs=$3 ctime=$4 i=0 c s spid cpid crc=0 cuts=0 t0=$SECONDS
	shift 4
	local snics=() cnics=()
	cargs=$(tr -s ' \n\t' ' ' <<<"${PXB_UP_CLIENT_ARGS:-} $cargs")
	for o in "$@"; do
		c=$((port + 2 * i)) s=$((port + 2 * i + 1))
		snics+=("udp:$s:$c")
		cnics+=("udp:$c:$s$o")
		i=$((i + 1))
	done
	port=$((port + 2 * i))
	"$here/run-guest.sh" -i "$work/server.cpio.gz" -n "up-$name-server" -g 1 -t 300 \
		-m "$work/$name.smon" -a "$sargs" "${snics[@]}" >"$work/$name.server.out" &
	spid=$!
	if ! qemu_wait_ready "$work/$name.server.out" "$spid"; then
		echo "test-up: $name: the server never got ready:" >&2
		cat "$work/$name.server.out" >&2
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
		: >"$work/$name.client.out"
		return
	fi
	"$here/run-guest.sh" -i "$work/client.cpio.gz" -n "up-$name-client" -g 2 -t "$ctime" \
		-m "$work/$name.cmon" -a "$cargs" "${cnics[@]}" >"$work/$name.client.out" &
	cpid=$!
	# The host's hand on the cable: the link carrying the download goes, at both ends;
	# a link plugged in a moment later (as autonegotiation would) comes, at the client.
	local plugs=0
	while kill -0 "$cpid" 2>/dev/null; do
		while read -r nic ms; do
			(sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))" &&
				echo "set_link n${nic#eth} on" >"$work/$name.cmon.in") &
			echo "test-up: $name: plug $nic in $ms ms (set_link on)" >&2
			plugs=$((plugs + 1))
		done < <(sed -n 's/^@@PXB plug \(eth[0-9]*\) \([0-9]*\)$/\1 \2/p' "$work/$name.client.out" |
			tail -n +$((plugs + 1)))
		while read -r nic; do
			n=n${nic#eth}
			echo "set_link $n off" >"$work/$name.cmon.in"
			echo "set_link $n off" >"$work/$name.smon.in"
			echo "test-up: $name: cut $nic (set_link $n off on both guests)" >&2
			cuts=$((cuts + 1))
		done < <(sed -n 's/^@@PXB cut \(eth[0-9]*\)$/\1/p' "$work/$name.client.out" |
			tail -n +$((cuts + 1)))
		sleep 0.1
	done
	wait "$cpid" || crc=$?
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	echo "$crc" >"$work/$name.rc"
	while read -r tag; do
		sed -n "s/^@@PXB json $tag //p" "$work/$name.client.out" >"$work/$name.$tag.json"
	done < <(sed -n 's/^@@PXB json \([^ ]*\) .*/\1/p' "$work/$name.client.out")
	sed -n "s/^@@PXB bench /$name./p" "$work/$name.client.out" >>"$work/bench.txt"
	echo "test-up: $name: done in $((SECONDS - t0)) s" >&2
}

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/host.sh
. "$here/host.sh"
# Per scenario: sc (its name), S (the server's bond system, if any).
sc='' S=''
j() { # j TAG FILTER: jq -e on that run's state.json
	jq -e --arg S "$S" --arg A "${A:-}" --arg B "${B:-}" --arg sha "$payload_sha" \
		"$2" "$work/$sc.$1.json"
}
cline() { grep -qxF -- "$1" "$work/$sc.client.out"; }
cgrep() { grep -qE -- "$1" "$work/$sc.client.out"; }
bond_sys() { sed -n "s/^@@PXB result bond $1 system=\([^ ]*\) .*/\1/p" "$work/$sc.server.out"; }
begin() {
	sc=$1
	S=$(bond_sys bond0)
	echo "# $sc"
	ok "$sc: client guest exit status 0 (got $(cat "$work/$sc.rc"))" [ "$(cat "$work/$sc.rc")" = 0 ]
}
# Filters shared by the scenarios.
lease_ok='.lease.ip | test("^10\\.0\\.0\\.(1[0-4][0-9]|150)$")'
lease_full='.lease | .prefix == "24" and .router == "10.0.0.1" and .next_server == "10.0.0.1"
	and .boot_file == "pxelinux.0" and .server_id == "10.0.0.1"'
timeline='.timeline_ms | [.carrier, .first_lacpdu, .probe_done, .enslaved, .bond_up,
	.partner_sync, .collecting_distributing, .lease] | all(numbers) and
	(.[2] <= .[3] and .[3] <= .[4] and .[4] <= .[6] and .[6] <= .[7])'
members() { echo "[.members[].name] == $1"; }
ks_ok() {
	ok "$sc: the kickstart fetched over it is the server's" \
		cmp -s <(sed -n 's/^@@PXB ks //p' "$work/$sc.client.out") "$here/www/ks.cfg"
}
as_found() { # after TAG: every NIC down, no bond, no address
	ok "$sc: after $1: NICs down, no bond, no address" \
		cline "@@PXB result after $1 up=[ ] bonds=[ ] addrs=[ ]"
}
want() { [[ " $only " == *" $1 "* ]]; }

# ---- fast: the server's bond is active with fast LACP; three client NICs (eth2 on a
# plain port). Also the benchmarks, a second run and a cut in the middle of a download.
if want fast; then
	pair fast "pxb.lacp=fast" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		BOOTIF=$(bootif 2 1) pxb.joined=eth1 pxb.do=up1,joined,ks,payload,down,handmade,plain,up2,cut" \
		150 "" "" ""
	begin fast
	ok "fast: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "fast: result ok, mode 802.3ad" j up1 '.result == "ok" and .mode == "802.3ad"'
	ok "fast: both LACP NICs are members, eth2 (no LACP) is not" j up1 "$(members '["eth0","eth1"]')"
	ok "fast: partner system is the server bond's ($S)" j up1 '.partner.system == $S'
	ok "fast: the probe saw an active, fast partner on eth0 and eth1" j up1 \
		'[.probe.interfaces[] | select(.name == "eth0" or .name == "eth1") | .lacp |
		.detected and .partner_system == $S and (.partner_flags | test("A") and test("T"))]
		== [true, true]'
	ok "fast: bond MAC is BOOTIF's (eth1, $(mac 2 1))" j up1 ".bond_mac == \"$(mac 2 1)\""
	ok "fast: bond options carry the probe's identity (ad_actor_system)" \
		j up1 '.bond_opts | test("ad_actor_system=") and test("lacp_rate=fast")'
	ok "fast: one rung, ok" j up1 '[.rungs[].result] == ["ok"]'
	ok "fast: lease in 10.0.0.100-150" j up1 "$lease_ok"
	ok "fast: lease: prefix, router, next-server, boot file, server id" j up1 "$lease_full"
	ok "fast: the check URL answered" cline '@@PXB log up1 pxebond: bond0: http://10.0.0.1/ks.cfg answers'
	ok "fast: timeline has every key, in order" j up1 "$timeline"
	ok "fast: the kernel agrees: 802.3ad" cline '@@PXB bonding up1 Bonding Mode: IEEE 802.3ad Dynamic link aggregation'
	# A member whose partner answered after the join window is enslaved late and needs
	# its own LACP exchange to join: the aggregators are read once eth1 is in the active
	# one (the guest's joined step, at most 15 s).
	ok "fast: eth1 is in the active aggregator" cgrep '^@@PXB result joined eth1 yes '
	ok "fast: both members in one aggregator" test "$(sed -n 's/^@@PXB bonding joined Aggregator ID: //p' \
		"$work/fast.client.out" | sort -u | wc -l)" = 1
	jq -r 'select(.late != null and .late != "") | "note: fast: \(.late) answered after the join window: enslaved late"' \
		"$work/fast.up1.json" 2>/dev/null || true
	ok "fast: the lease's MTU, DNS server and domain recorded (udhcpd sent no MTU)" \
		j up1 '.lease | .mtu == "" and .dns == "10.0.0.1" and .domain == "lab.pxebond"'
	ok "fast: /etc/resolv.conf from the lease" cmp -s <(sed -n 's/^@@PXB resolv up1 //p' \
		"$work/fast.client.out") <(printf '%s\n' \
		'# pxebond up: from the DHCP lease on bond0 (server 10.0.0.1)' \
		'search lab.pxebond' 'nameserver 10.0.0.1')
	ok "fast: bond0 has the lease's address" \
		cgrep "^@@PXB result after up1 up=\[ eth0 eth1 \] bonds=\[ bond0 \] addrs=\[ bond0=10\.0\.0\.1[0-5][0-9]/24 \]$"
	ks_ok
	ok "fast: payload sha256 matches" cgrep "^@@PXB result sha256 payload $payload_sha wget_rc=0 "
	as_found down
	ok "fast: a second pxebond up works too (802.3ad, lease)" j up2 \
		".result == \"ok\" and .mode == \"802.3ad\" and ($lease_ok)"
	ok "fast: the host cut the link carrying the download" cgrep '^@@PXB result cut eth[01] carrier_off '
	cut_nic=$(sed -n 's/^@@PXB cut \(eth[01]\)$/\1/p' "$work/fast.client.out")
	other=eth0
	[ "$cut_nic" != eth0 ] || other=eth1
	mii() { # the member's MII status in /proc/net/bonding/bond0 after the cut
		awk -v n="$1" '/^@@PXB bonding cut Slave Interface: / { s = $NF }
			/^@@PXB bonding cut MII Status: / && s == n { print $NF }' "$work/fast.client.out"
	}
	ok "fast: the kernel took the cut member ($cut_nic) out, $other carries on" \
		test "$(mii "$cut_nic")/$(mii "$other")" = down/up
	ok "fast: payload sha256 still matches after the cut (the bond failed over)" \
		cgrep "^@@PXB result sha256 cut $payload_sha wget_rc=0 "
	ok "fast: benchmark: the hand-made bond got a lease" \
		grep -q '^fast.handmade_enslaved_to_lease_ms=[0-9]' "$work/bench.txt"
	ok "fast: benchmark: pxebond's own DHCP on a plain port got a lease" \
		grep -q '^fast.plain_pxebond_probe_to_lease_ms=[0-9]' "$work/bench.txt"
fi

# ---- bench: the hand-made bond again, against a fresh server bond that never had a
# partner (Linux then runs its ports as individuals, as a switch with LACP fallback
# would); in fast it ran right after `pxebond down`, against a bond that still knew its
# partner (strict: nothing passes before LACP agrees). Benchmark material only.
if want bench; then
	pair bench "pxb.lacp=fast" "pxb.do=handmade" 60 "" ""
	begin bench
	ok "bench: the hand-made bond got a lease" \
		grep -q '^bench.handmade_enslaved_to_lease_ms=[0-9]' "$work/bench.txt"
fi

# ---- slow: a passive partner with the slow rate answers our active LACPDU. The client's
# bonding.ko is loaded as a plain modprobe would (max_bonds=1: it makes its own empty
# bond0 then), and up must replace that bond0, not fail on it.
if want slow; then
	pair slow "pxb.lacp=slow" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		pxb.do=up1,ks bonding.max_bonds=1" 60 "" ""
	begin slow
	ok "slow: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "slow: result ok, mode 802.3ad, eth0 and eth1" \
		j up1 ".result == \"ok\" and .mode == \"802.3ad\" and $(members '["eth0","eth1"]')"
	ok "slow: partner system is the server bond's ($S)" j up1 '.partner.system == $S'
	ok "slow: the probe saw a passive, slow partner (no A, no T)" j up1 \
		'[.probe.interfaces[].lacp | .detected and (.partner_flags | test("A") or test("T") | not)]
		== [true, true]'
	ok "slow: lease in 10.0.0.100-150" j up1 "$lease_ok"
	ok "slow: the check URL answered" cline '@@PXB log up1 pxebond: bond0: http://10.0.0.1/ks.cfg answers'
	ok "slow: the empty bond0 bonding.ko made was replaced" \
		cline '@@PXB log up1 pxebond: bond0 was there unused (made when bonding.ko loaded), replacing it'
	ok "slow: timeline has every key, in order" j up1 "$timeline"
	ks_ok
fi

# ---- plain: no LACP anywhere: active-backup.
if want plain; then
	pair plain "pxb.lacp=none" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		pxb.do=up1,ks" 60 "" ""
	begin plain
	ok "plain: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "plain: mode active-backup over eth0 and eth1" \
		j up1 ".result == \"ok\" and .mode == \"active-backup\" and $(members '["eth0","eth1"]')"
	ok "plain: no LACP partner recorded" j up1 '.partner == null'
	ok "plain: an active member recorded" j up1 '.active | IN("eth0", "eth1")'
	ok "plain: the first rung was active-backup and it worked" \
		j up1 '.rungs[0] | .mode == "active-backup" and .result == "ok"'
	ok "plain: lease in 10.0.0.100-150" j up1 "$lease_ok"
	ok "plain: the kernel agrees: active-backup" \
		cline '@@PXB bonding up1 Bonding Mode: fault-tolerance (active-backup)'
	ks_ok
fi

# ---- two: eth0 and eth1 reach different LACP systems: one 802.3ad bond, one aggregator.
if want two; then
	pair two "pxb.lacp=two pxb.hold=eth0" "pxebond.timeout=10 pxebond.lacp_wait=3
		BOOTIF=$(bootif 2 0) pxebond.check=http://10.0.0.1/ks.cfg pxb.do=up1,ks,cut" 120 "" ""
	begin two
	A=$(bond_sys bondA) B=$(bond_sys bondB)
	ok "two: the server's bonds have distinct systems ($A, $B)" test -n "$A" -a "$A" != "$B"
	ok "two: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "two: the probe found two groups" j up1 '.probe.groups | length == 2'
	ok "two: mode 802.3ad with both NICs (eth1 first: eth0 joined late)" \
		j up1 ".result == \"ok\" and .mode == \"802.3ad\" and $(members '["eth1","eth0"]')"
	# eth0's switch port (pxb.hold) spoke only ~1 s after the client's probe began, after
	# the join window: the bond formed over eth1 without it, and eth0, heard meanwhile,
	# was enslaved late into an aggregator of its own.
	ok "two: eth0's partner answered after the bond formed: late, and the reason says so" \
		j up1 '.late == "eth0" and (.probe.decision.reason | test("eth0 answered only after the bond formed: enslaved late"))'
	ok "two: eth0 is BOOTIF and joined late: the bond took its MAC ($(mac 2 0)) before DHCP" \
		j up1 ".bond_mac == \"$(mac 2 0)\""
	ok "two: ... and said so" cline '@@PXB log up1 pxebond: bond0: eth0 (BOOTIF) joined late: the bond takes its MAC'
	ok "two: the probe ended before eth0's partner answered (it did not wait for it)" \
		j up1 '.timeline_ms.probe_done < .timeline_ms.carrier + (.probe.interfaces[] | select(.name == "eth0") | .lacp.elapsed_ms)'
	ok "two: partner is one of the two systems, and active is the NIC facing it" j up1 \
		'(.partner.system == $A and .active == "eth0") or (.partner.system == $B and .active == "eth1")'
	ok "two: the two members sit in different aggregators" test "$(sed -n \
		's/^@@PXB bonding up1 Aggregator ID: //p' "$work/two.client.out" | sort -u | wc -l)" = 2
	ok "two: lease in 10.0.0.100-150" j up1 "$lease_ok"
	ks_ok
	jq -r '"note: two: active aggregator faces \(.partner.system), active member \(.active)"' \
		"$work/two.up1.json" 2>/dev/null || true
	# The cut: the link of the active aggregator's only member goes, mid-download; the
	# kernel (ad_select stable) must move to the other partner's aggregator.
	act=$(jq -r .active "$work/two.up1.json" 2>/dev/null) || act=
	cut_nic=$(sed -n 's/^@@PXB cut \(eth[01]\)$/\1/p' "$work/two.client.out")
	ok "two: the host cut the active member's link ($act) in the middle of a download" \
		test -n "$act" -a "$cut_nic" = "$act"
	agg_partner() { # the active aggregator's partner in /proc/net/bonding/bond0 after the cut
		awk '/^@@PXB bonding cut Active Aggregator Info:/ { a = 1 }
			a && /Partner Mac Address: / { print $NF; exit }' "$work/two.client.out"
	}
	want_sys=$B
	[ "$act" != eth1 ] || want_sys=$A
	ok "two: the bond moved to the other partner's aggregator ($want_sys)" \
		test -n "$want_sys" -a "$(agg_partner)" = "$want_sys"
	ok "two: payload sha256 still matches after the cut (the bond failed over)" \
		cgrep "^@@PXB result sha256 cut $payload_sha wget_rc=0 "
fi

# ---- nolink: the client's eth1 has no carrier (unplugged). The partner answered on eth0,
# so eth1 holds nothing up: it is enslaved late (the kernel admits it if its link comes
# up facing the same partner), and the state says so.
if want nolink; then
	pair nolink "pxb.lacp=fast" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		pxb.do=up1,ks" 60 "" ",link=off"
	begin nolink
	ok "nolink: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "nolink: the probe saw eth1 without carrier, late" \
		j up1 '.probe.interfaces[] | select(.name == "eth1") | .carrier == false and .late'
	ok "nolink: 802.3ad over eth0, eth1 enslaved late" \
		j up1 ".result == \"ok\" and .mode == \"802.3ad\" and $(members '["eth0","eth1"]') and
		.late == \"eth1\""
	ok "nolink: the decision says so" j up1 '.probe.decision.reason | test("eth1 has no carrier yet: enslaved late")'
	ok "nolink: partner system is the server bond's ($S)" j up1 '.partner.system == $S'
	ok "nolink: eth0 active, the lease in 10.0.0.100-150" j up1 ".active == \"eth0\" and ($lease_ok)"
	ks_ok
fi

# ---- layout: a typical server: eth0 and eth1 in the LAG, eth2 not cabled, eth3 on a
# plain port. The bond waits for neither: eth2 is enslaved late, eth3 (carrier, no
# LACPDU) is left out once it has been silent twice as long as the partner took.
if want layout; then
	pair layout "pxb.lacp=fast" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		pxb.do=up1,ks" 60 "" "" ",link=off" ""
	begin layout
	ok "layout: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "layout: 802.3ad over eth0, eth1 and eth2 (late); eth3 not a member" \
		j up1 ".mode == \"802.3ad\" and $(members '["eth0","eth1","eth2"]') and .late == \"eth2\""
	ok "layout: eth3 had carrier and no partner" \
		j up1 '.probe.interfaces[] | select(.name == "eth3") | .carrier and (.lacp.detected | not) and (.late | not)'
	ok "layout: both LAG members aggregated with the switch ($S)" j up1 '.partner.system == $S'
	ok "layout: the lease in 10.0.0.100-150" j up1 "$lease_ok"
	ks_ok
fi

# ---- late: eth1 of the LAG gets its carrier 2 s after `up` starts (QEMU set_link, as
# copper autonegotiation would): the bond comes up on eth0 without waiting, and eth1
# joins the same aggregator when its link comes (the kernel's LACP, eth1 enslaved late).
if want late; then
	pair late "pxb.lacp=fast" "pxebond.timeout=10 pxebond.check=http://10.0.0.1/ks.cfg
		pxb.plug=eth1:2000 pxb.joined=eth1 pxb.do=plug,up1,joined,ks" 60 "" ",link=off" ""
	begin late
	ok "late: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "late: 802.3ad over eth0, eth1 enslaved late, eth2 (plain) not a member" \
		j up1 ".mode == \"802.3ad\" and $(members '["eth0","eth1"]') and .late == \"eth1\""
	ok "late: eth1 joined the active aggregator once plugged in" cgrep '^@@PXB result joined eth1 yes '
	ok "late: the lease in 10.0.0.100-150" j up1 "$lease_ok"
	ks_ok
fi

# ---- nodhcp-bond: the server's bond is outside its bridge (no DHCP over it); eth2 is a
# plain port that serves. BOOTIF is eth2.
if want nodhcp-bond; then
	pair nodhcp-bond "pxb.lacp=fast pxb.bondbr=0" "pxebond.timeout=4
		pxebond.check=http://10.0.0.1/ks.cfg BOOTIF=$(bootif 2 2) pxb.do=up1,ks" 90 "" "" ""
	begin nodhcp-bond
	ok "nodhcp-bond: pxebond up exit status 0" cline '@@PXB result rc up1 0'
	ok "nodhcp-bond: the first rung was 802.3ad over eth0,eth1 and failed" \
		j up1 '.rungs[0] | .mode == "802.3ad" and .members == "eth0,eth1" and .result == "failed"'
	ok "nodhcp-bond: its why says no DHCP lease" j up1 '.rungs[0].why | test("no DHCP lease")'
	ok "nodhcp-bond: pxebond said it falls back" cgrep '^@@PXB log up1 .*802\.3ad .*failed: .*trying the next way'
	ok "nodhcp-bond: result ok over a later rung, eth2 (BOOTIF) active" \
		j up1 '.result == "ok" and (.rungs | length) >= 2 and .rungs[-1].result == "ok" and .active == "eth2"'
	ok "nodhcp-bond: lease in 10.0.0.100-150" j up1 "$lease_ok"
	ok "nodhcp-bond: the timeline is the winning rung's (no LACP events, enslaved before lease)" \
		j up1 '.timeline_ms | .collecting_distributing == null and .partner_sync == null and
		.probe_done <= .enslaved and .enslaved <= .bond_up and .bond_up <= .lease'
	ok "nodhcp-bond: the address carries BOOTIF's MAC ($(mac 2 2))" \
		j up1 "if .bond then .bond_mac == \"$(mac 2 2)\" else .iface == \"eth2\" end"
	ks_ok
fi

# ---- nodhcp: no DHCP server: every rung fails, exit 1, NICs as found.
if want nodhcp; then
	pair nodhcp "pxb.lacp=fast pxb.dhcp=0" "pxebond.timeout=4
		pxebond.check=http://10.0.0.1/ks.cfg pxb.do=up1" 90 "" ""
	begin nodhcp
	ok "nodhcp: pxebond up exit status 1" cline '@@PXB result rc up1 1'
	ok "nodhcp: result failed, mode none, no lease" \
		j up1 '.result == "failed" and .mode == "none" and .lease == null'
	ok "nodhcp: every rung tried (802.3ad, active-backup, eth0, eth1) and failed" j up1 \
		'[.rungs[] | "\(.mode):\(.members):\(.result)"] == ["802.3ad:eth0,eth1:failed",
		"active-backup:eth0,eth1:failed", "single:eth0:failed", "single:eth1:failed"]'
	ok "nodhcp: every rung's why says no DHCP lease" j up1 '[.rungs[].why | test("no DHCP lease")] | all'
	ok "nodhcp: a clear last word" cgrep '^@@PXB log up1 pxebond: error: no way to the install server worked'
	ok "nodhcp: each rung's DISCOVERs were sent and went unanswered" \
		j up1 '[.rungs[].why | test("DISCOVERs unanswered")] | all'
	ok "nodhcp: no resolv.conf written" bash -c "! grep -q '^@@PXB resolv up1 ' '$work/nodhcp.client.out'"
	as_found up1
fi

{
	echo "# pxebond QEMU lab, $(date -u +%Y-%m-%dT%H:%MZ), TCG, 2 cores: ms unless named"
	echo "# SCENARIO.upN_EVENT_ms: pxebond's timeline (ms since 'pxebond up' started)"
	echo "# *.handmade_*: bond up first, members enslaved, busybox udhcpc -T 1 (from enslaving);"
	echo "#   fast: the server's bond still knew its partner (strict, as an LACP switch port);"
	echo "#   bench: a fresh server bond (individual ports pass traffic: LACP fallback)"
	echo "# fast.plain_*: busybox udhcpc on one NIC against a plain server port; then"
	echo "#   plain_pxebond_probe_to_lease_ms: pxebond up --mode single there, probe done to lease"
	cat "$work/bench.txt" 2>/dev/null
} >"$work/bench.txt.new" && mv "$work/bench.txt.new" "$work/bench.txt"
sed 's/^/bench: /' "$work/bench.txt"
if [ "$tap_fail" != 0 ]; then
	for f in "$work"/*.client.out; do
		echo "--- $f" >&2
		grep -v '^@@PXB json ' "$f" >&2 || true
	done
fi
echo "test-up: $((SECONDS - t_start)) s" >&2
tap_done
