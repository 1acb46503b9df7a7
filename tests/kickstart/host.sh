# shellcheck shell=bash
# kickstart/pxebond.ks's bodies against Anaconda's world, for tests/qemu/test-kickstart.sh
# (sourced, after tests/tap.sh): the network profiles an installer holds and copies into
# the target, a Fedora-like target root, the real parsers' view of what the %post left
# there, and the host-side cases, each body run by dash, bash and busybox sh as Anaconda
# runs it (tests/kickstart/ks-run.sh) in a mount namespace that gives it an installer's
# /run/pxebond, /etc, /tmp, /mnt/sysimage and /mnt/sysroot, and a file for /dev/console.
# Needs: $root, $pxebond, $bodies (extract.sh's output), $work; root, unshare, nmcli,
# NetworkManager, dbus-daemon, busybox.
# shellcheck disable=SC2154 # root, pxebond, work, bodies: the sourcing script's

ks_nm_dir=etc/NetworkManager/system-connections
ks_ifcfg_dir=etc/sysconfig/network-scripts

# ks_state DIR KIND [MAC0 MAC1]: DIR/state as `pxebond up` leaves it: KIND 802.3ad or
# single (tests/write/states/, its MACs 52:54:00:12:34:0N replaced by MAC0, MAC1),
# skipped (up --if-lacp found no partner) or failed (no rung worked).
ks_state() {
	local d=$1 kind=$2 m0=${3:-52:54:00:12:34:01} m1=${4:-52:54:00:12:34:02}
	mkdir -p "$d"
	case $kind in
	802.3ad | single)
		sed -e "s/52:54:00:12:34:01/$m0/g" -e "s/52:54:00:12:34:02/$m1/g" \
			"$root/tests/write/states/$kind/state" >"$d/state"
		;;
	skipped | failed)
		printf "# pxebond up: what it did. Sourceable; see pxebond(8), FILES.\nPXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='%s'\nPXEBOND_MODE='none'\nPXEBOND_IFACE=''\nPXEBOND_BOND=''\nPXEBOND_MEMBERS=''\nPXEBOND_MEMBER_MACS=''\n" \
			"$kind" >"$d/state"
		;;
	esac
}

# ks_installer DIR MAC0 MAC1 MAC2: DIR/etc as an installer's, after its network setup,
# with profiles for the bond (members MAC0 and MAC1, installer names eth0 and eth1) and
# for eth2 (MAC2), each of a kind Anaconda can leave there and copies into the target:
#   bond0.nmconnection     the initramfs' bond profile (pxebond write --initrd) as
#                          NetworkManager rewrites it when Anaconda persists it (its id
#                          is the interface's name: DumpMissingConfigFilesTask)
#   bond0_slave_N          the ports Anaconda adds for `network --bondslaves=...
#                          --bindto=mac` (create_port_connection), MACs in capitals
#   eth0.nmconnection      Anaconda's profile for a device by name (id and interface
#                          name eth0, DHCP): a member's
#   BOOTIF Connection      nm-initrd-generator's BOOTIF profile, bound to eth0's MAC
#   eth2.nmconnection      Anaconda's profile for eth2, not a member: must stay
#   ifcfg-bond0, ifcfg-eth1  the bond and a port as an ifcfg-rh installer (RHEL 8)
#                          persists them, the port naming the bond by UUID
#   ifcfg-eth2             eth2's: must stay
# NetworkManager's own rendering throughout (nmcli --offline); every file 0600 as
# NetworkManager writes them.
ks_installer() {
	local d=$1 m0=$2 m1=$3 m2=$4 nm=$1/$ks_nm_dir ifc=$1/$ks_ifcfg_dir s
	mkdir -p "$nm" "$ifc"
	s=$(mktemp -d)
	ks_state "$s/st" 802.3ad "$m0" "$m1"
	if ! "$pxebond" write --root "$s" --format nm --initrd --state "$s/st" --cmdline /dev/null \
		>/dev/null 2>&1 ||
		! nmcli --offline connection modify connection.autoconnect yes ipv6.addr-gen-mode eui64 \
			<"$s/$ks_nm_dir/bond0.nmconnection" >"$nm/bond0.nmconnection"; then
		echo "ks_installer: no initramfs bond profile" >&2
		rm -rf "$s"
		return 1
	fi
	rm -rf "$s"
	nmcli --offline connection add type ethernet con-name bond0_slave_1 connection.master bond0 \
		connection.slave-type bond ethernet.mac-address "${m0^^}" \
		connection.uuid 3c2b1a2e-0b0a-4f7e-9a51-0d6c1e3b9a01 >"$nm/bond0_slave_1.nmconnection" &&
		nmcli --offline connection add type ethernet con-name bond0_slave_2 connection.master bond0 \
			connection.slave-type bond ethernet.mac-address "${m1^^}" \
			connection.uuid 3c2b1a2e-0b0a-4f7e-9a51-0d6c1e3b9a02 >"$nm/bond0_slave_2.nmconnection" &&
		nmcli --offline connection add type ethernet con-name eth0 ifname eth0 \
			ipv6.addr-gen-mode eui64 connection.uuid 5d1e2f30-1111-4a2b-8c3d-4e5f60718293 \
			>"$nm/eth0.nmconnection" &&
		nmcli --offline connection add type ethernet con-name 'BOOTIF Connection' \
			ethernet.mac-address "$m0" ipv4.dhcp-timeout 90 \
			connection.uuid 6e2f3041-2222-4b3c-9d4e-5f60718293a4 >"$nm/BOOTIF Connection.nmconnection" &&
		nmcli --offline connection add type ethernet con-name eth2 ifname eth2 connection.autoconnect no \
			ipv6.addr-gen-mode eui64 connection.uuid 7f304152-3333-4c4d-ae5f-60718293a4b5 \
			>"$nm/eth2.nmconnection" || return 1
	cat >"$ifc/ifcfg-bond0" <<-EOF
		BONDING_OPTS="mode=802.3ad miimon=100 lacp_rate=fast"
		TYPE=Bond
		BONDING_MASTER=yes
		PROXY_METHOD=none
		BROWSER_ONLY=no
		BOOTPROTO=dhcp
		DEFROUTE=yes
		IPV4_FAILURE_FATAL=no
		NAME=bond0
		UUID=80415263-4444-4d5e-bf60-718293a4b5c6
		DEVICE=bond0
		ONBOOT=yes
	EOF
	cat >"$ifc/ifcfg-eth1" <<-EOF
		TYPE=Ethernet
		NAME=eth1
		UUID=91526374-5555-4e6f-8071-8293a4b5c6d7
		DEVICE=eth1
		HWADDR=${m1^^}
		ONBOOT=yes
		MASTER_UUID=80415263-4444-4d5e-bf60-718293a4b5c6
		SLAVE=yes
	EOF
	cat >"$ifc/ifcfg-eth2" <<-EOF
		TYPE=Ethernet
		BOOTPROTO=dhcp
		NAME=eth2
		UUID=a2637485-6666-4f70-9182-93a4b5c6d7e8
		DEVICE=eth2
		HWADDR=$m2
		ONBOOT=no
	EOF
	chmod 0600 "$nm"/* "$ifc"/*
}

# ks_target DIR STACK: an installed root as Anaconda leaves it before %post: STACK nm
# (Fedora: NetworkManager and its unit), ifcfg (network-scripts only, no
# NetworkManager), then Anaconda's copy of the installer's profiles from INSTALLER
# (NetworkInstallationTask: ifcfg-* and every system-connections file, none replaced).
ks_target() {
	local d=$1 stack=$2 inst=$3 f rel
	mkdir -p "$d/etc" "$d/usr/sbin" "$d/usr/lib/systemd/system" "$d/var/log" "$d/$ks_ifcfg_dir"
	if [ "$stack" = nm ]; then
		mkdir -p "$d/$ks_nm_dir"
		printf '#!/bin/sh\n' >"$d/usr/sbin/NetworkManager"
		chmod 0755 "$d/usr/sbin/NetworkManager"
		printf '[Unit]\nDescription=Network Manager\n' >"$d/usr/lib/systemd/system/NetworkManager.service"
		printf '[main]\n' >"$d/etc/NetworkManager/NetworkManager.conf"
	fi
	while IFS= read -r f; do
		rel=${f#"$inst"/}
		case $rel in "$ks_nm_dir"/* | "$ks_ifcfg_dir"/ifcfg-*) ;; *) continue ;; esac
		[ -e "$d/$rel" ] && continue
		mkdir -p "$d/${rel%/*}"
		cp -p "$f" "$d/$rel"
	done < <(find "$inst/etc" -type f)
}

# ks_tree DIR: every file under DIR (but var/log) as "MODE NAME SHA", sorted, one a line.
ks_tree() {
	(cd "$1" && find . -path ./var/log -prune -o -type f -printf '%m %p\n' | LC_ALL=C sort |
		while read -r m p; do echo "$m $p $(sha1sum <"$p" | cut -c1-12)"; done)
}

# ks_nm_profiles OUT: per profile NetworkManager loaded, one line
# "TYPE|IFNAME|MASTER|MAC|CLONED|ID" (MACs in lower case), sorted.
ks_nm_profiles() {
	awk -F: '
		/^== / { if (u != "" && u != "list") print t "|" i "|" m "|" mac "|" cl "|" id; u = $0; sub(/^== /, "", u); t = i = m = mac = cl = id = ""; next }
		{ k = $1; v = substr($0, length(k) + 2) }
		k == "connection.id" { id = v }
		k == "connection.type" { t = v }
		k == "connection.interface-name" { i = v }
		k == "connection.master" { m = v }
		k == "802-3-ethernet.mac-address" { mac = tolower(v) }
		k == "802-3-ethernet.cloned-mac-address" { cl = tolower(v) }
		END { if (u != "" && u != "list") print t "|" i "|" m "|" mac "|" cl "|" id }' "$1" | LC_ALL=C sort
}

# ks_nm_check WHAT DIR BOND_MAC MAC0 MAC1: the real parsers on a target's keyfiles after
# the %post: nmcli --offline keeps every key of pxebond's; NetworkManager loads every
# visible file and none of the set-aside ones, and among them exactly one configuration
# for bond0 and its NICs: the bond (its options as written, the bond's MAC) and one port
# per member by MAC, and nothing else bound to bond0, eth0, eth1 or their MACs.
ks_nm_check() {
	local what=$1 dir=$2 bmac=$3 m0=$4 m1=$5 f norm missing='' out=$work/nm.$RANDOM files loaded bad
	for f in "$dir"/bond0*.nmconnection; do
		grep -q '^# Written by pxebond write' "$f" || continue
		norm=$(nmcli --offline connection modify connection.autoconnect yes <"$f" 2>&1) || {
			missing+=" ${f##*/}: $norm"
			continue
		}
		# every key=value of ours (comments and section lines aside) is in NM's rendering
		# (which writes MACs in capitals)
		missing+=$(comm -23 <(grep -E '^[a-z0-9-]+=' "$f" | tr 'A-F' 'a-f' | LC_ALL=C sort) \
			<(grep -E '^[a-z0-9-]+=' <<<"$norm" | tr 'A-F' 'a-f' | LC_ALL=C sort) | tr '\n' ' ')
	done
	ok "$what: nmcli --offline keeps every key of pxebond's keyfiles${missing:+ (lost:$missing)}" \
		test -z "${missing// /}"
	nm_load "$dir" "$out" UUID,FILENAME UUID \
		connection.id,connection.type,connection.interface-name,connection.master,802-3-ethernet.mac-address,802-3-ethernet.cloned-mac-address,bond.options,ipv4.method
	files=$(find "$dir" -maxdepth 1 -type f ! -name '.*' -printf '%f\n' | LC_ALL=C sort | tr '\n' '/')
	loaded=$(sed -n '/^== list$/,/^== /{/^== /d;s/^[^:]*://;s|.*/||;p}' "$out" | LC_ALL=C sort | tr '\n' '/')
	ok "$what: NetworkManager loads every visible profile (got $loaded)" test "$loaded" = "$files"
	ok "$what: and none of the set-aside ones" not grep -q 'pxebond-orig' <<<"$loaded"
	local p
	p=$(ks_nm_profiles "$out")
	while IFS= read -r f; do echo "#   nm: $f"; done <<<"$p"
	ok "$what: exactly one bond: bond0, with the bond's MAC ($bmac)" \
		test "$(grep -c '^bond|' <<<"$p")" = 1 -a "$(grep '^bond|' <<<"$p" | cut -d'|' -f2,5)" = "bond0|$bmac"
	ok "$what: exactly two ports of bond0, one per member MAC" \
		test "$(grep '^[^|]*|[^|]*|[^|]\+|' <<<"$p" | cut -d'|' -f3,4 | LC_ALL=C sort | tr '\n' ' ')" = \
		"bond0|$m0 bond0|$m1 "
	bad=$(grep -v '^bond|bond0|' <<<"$p" | grep -v '^802-3-ethernet||bond0|' |
		awk -F'|' -v a="$m0" -v b="$m1" '$2 == "bond0" || $2 == "eth0" || $2 == "eth1" || $4 == a || $4 == b || $3 != ""' || true)
	ok "$what: no other profile for bond0, eth0, eth1 or their MACs${bad:+ ($bad)}" test -z "$bad"
	local opts want
	opts=$(grep -A8 '^connection.type:bond$' "$out" | sed -n 's/^bond.options://p' | tr ',' '\n' | LC_ALL=C sort | tr '\n' ',')
	want=$(sed -n '/^\[bond\]/,/^\[/{/=/p}' "$dir/bond0.nmconnection" | LC_ALL=C sort | tr '\n' ',')
	ok "$what: bond0's options as pxebond wrote them ($want)" test -n "$opts" -a "$opts" = "$want"
}


# ks_names DIR [GLOB]: the names of DIR's files (matching GLOB), sorted, on one line.
ks_names() {
	find "$1" -mindepth 1 -maxdepth 1 -name "${2:-*}" -printf '%f\n' | LC_ALL=C sort | tr '\n' ' '
}

# ---- the host-side cases
ks_shells() {
	local b=$work/bin
	mkdir -p "$b"
	ln -sfn "$(command -v busybox)" "$b/sh"
	echo "dash:/bin/dash bash:/bin/bash busybox:$b/sh"
}

# ks_case NAME STATE STACK [noexec] [SETUP]: a fresh installer and target for one run;
# STATE as for ks_state, or "none" (no /run/pxebond), or "nobin" (a state, no binary);
# STACK nm or ifcfg. Sets $w.
ks_case() {
	local name=$1 state=$2 stack=$3
	w=$work/host/$name
	rm -rf "$w"
	mkdir -p "$w/run/pxebond" "$w/tmp" "$w/sysimage" "$w/installer"
	: >"$w/console"
	case $state in
	none) rm -rf "$w/run/pxebond" ;;
	nobin) ks_state "$w/run/pxebond" 802.3ad ;;
	*)
		ks_state "$w/run/pxebond" "$state"
		cp "$pxebond" "$w/run/pxebond/pxebond"
		;;
	esac
	# the same installer profiles every time: made once
	[ -d "$work/host/installer" ] ||
		ks_installer "$work/host/installer" 52:54:00:12:34:01 52:54:00:12:34:02 52:54:00:12:34:03 ||
		return 1
	cp -a "$work/host/installer/." "$w/installer/"
	ks_target "$w/sysimage" "$stack" "$w/installer"
	[ "${4:-}" != noexec ] || : >"$w/noexec"
	ks_tree "$w/sysimage" >"$w/before"
}

# ks_anaconda SHELL SECTION...: runs each body (pre, post-nochroot) with SHELL in $w's
# installer world; "SECTION RC" lines in $w/rc.
ks_anaconda() {
	local sh=$1
	shift
	# shellcheck disable=SC2016 # the inner bash expands its own
	unshare -m --propagation private bash -c '
		set -e
		w=$1 sh=$2 bodies=$3 run=$4
		shift 4
		# The work dir, the bodies and the runner may live under /tmp, which the
		# installer world replaces: reach them through /mnt/.pxb from here on.
		mount -t tmpfs tmpfs /mnt
		mkdir -p /mnt/sysimage /mnt/sysroot /mnt/.pxb/w /mnt/.pxb/bodies /mnt/.pxb/run
		mount --bind "$w" /mnt/.pxb/w
		mount --bind "$bodies" /mnt/.pxb/bodies
		mount --bind "$(dirname "$run")" /mnt/.pxb/run
		w=/mnt/.pxb/w bodies=/mnt/.pxb/bodies run=/mnt/.pxb/run/$(basename "$run")
		# an interpreter there too (the busybox "sh" link), by the same name
		case $sh in /tmp/*)
			: >/mnt/.pxb/sh
			mount --bind "$(readlink -f "$sh")" /mnt/.pxb/sh
			sh=/mnt/.pxb/sh
			;;
		esac
		opts=mode=0755
		[ ! -e "$w/noexec" ] || opts=$opts,noexec
		mount -t tmpfs -o "$opts" tmpfs /run
		cp -a "$w/run/." /run/
		mount --bind "$w/tmp" /tmp
		mkdir -p "$w/ovl/u" "$w/ovl/w"
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$w/ovl/u,workdir=$w/ovl/w" /etc
		rm -rf /etc/NetworkManager/system-connections /etc/sysconfig/network-scripts
		mkdir -p /etc/NetworkManager /etc/sysconfig
		cp -a "$w/installer/etc/." /etc/
		mount --bind "$w/sysimage" /mnt/sysimage
		mount --rbind /mnt/sysimage /mnt/sysroot
		mount --bind "$w/console" /dev/console
		set +e
		for s in "$@"; do
			echo "$s $("$run" "$sh" "$bodies/$s.sh" | cut -d" " -f1)"
		done >"$w/rc"' sh "$w" "$sh" "$bodies" "$root/tests/kickstart/ks-run.sh" "$@"
}

# ks_rc SECTION: that section's exit status in the last ks_anaconda run
ks_rc() { sed -n "s/^$1 //p" "$w/rc"; }
# ks_logged TEXT: the line (fixed string) is in /tmp/pxebond-ks.log, in Anaconda's log
# of a script and on the console
ks_logged() {
	grep -qF -- "$1" "$w/tmp/pxebond-ks.log" && grep -qF -- "$1" "$w"/tmp/ks-script-*.log &&
		grep -qF -- "$1" "$w/console"
}
ks_unchanged() { ks_tree "$w/sysimage" | cmp -s - "$w/before"; }
ks_netks_empty() {
	test -f "$w/tmp/pxebond-network.ks" && not grep -qv '^#' "$w/tmp/pxebond-network.ks"
}

# ks_stub: /run/pxebond/pxebond records its arguments in /tmp/pxebond.calls ($w/tmp)
# and runs the real one.
ks_stub() {
	cp "$pxebond" "$w/run/pxebond/pxebond.real"
	cat >"$w/run/pxebond/pxebond" <<-'EOF'
		#!/bin/sh
		echo "$*" >>/tmp/pxebond.calls
		exec /run/pxebond/pxebond.real "$@"
	EOF
	chmod 0755 "$w/run/pxebond/pxebond"
}

ks_host_cases() {
	local pair shn sh nm=$ks_nm_dir ifc=$ks_ifcfg_dir
	for pair in $(ks_shells); do
		shn=${pair%%:*} sh=${pair#*:}
		echo "# host: $shn"

		ks_case none none nm
		ks_anaconda "$sh" pre post-nochroot
		ok "$shn: no /run/pxebond: %pre and %post exit 0" test "$(ks_rc pre)/$(ks_rc post-nochroot)" = 0/0
		ok "$shn: no /run/pxebond: /tmp/pxebond-network.ks has comments only" ks_netks_empty
		ok "$shn: no /run/pxebond: each says so" ks_logged \
			"pxebond %post: no /run/pxebond/state: pxebond did not run in this installer's initramfs: nothing to write"
		ok "$shn: no /run/pxebond: the target is as Anaconda left it" ks_unchanged

		for st in skipped failed; do
			ks_case "$st" "$st" nm
			ks_stub
			ks_anaconda "$sh" pre post-nochroot
			ok "$shn: $st: %pre and %post exit 0" test "$(ks_rc pre)/$(ks_rc post-nochroot)" = 0/0
			ok "$shn: $st: /tmp/pxebond-network.ks has comments only" ks_netks_empty
			ok "$shn: $st: pxebond only read the state (--state, no up, no probe)" \
				not grep -qvE '^(version|status --state /run/pxebond|write .*--state /run/pxebond( .*)?)$' "$w/tmp/pxebond.calls"
			ok "$shn: $st: the target is as Anaconda left it" ks_unchanged
			[ "$st" != skipped ] || ok "$shn: skipped: the %post says why" ks_logged \
				"pxebond %post: /run/pxebond/state: 'pxebond up' found no LACP partner and left the network to the installer: nothing to write"
		done
		ok "$shn: failed: the %post says why" ks_logged \
			"pxebond %post: /run/pxebond/state: 'pxebond up' brought no path up: nothing to write"

		ks_case nobin nobin nm
		ks_anaconda "$sh" pre post-nochroot
		ok "$shn: a state but no binary: exit 0, says so, target unchanged" \
			test "$(ks_rc pre)/$(ks_rc post-nochroot)" = 0/0 -a -n "$(grep 'no pxebond binary that runs here' "$w/tmp/pxebond-ks.log")"
		ok "$shn: a state but no binary: target unchanged" ks_unchanged

		ks_case ok 802.3ad nm
		ks_anaconda "$sh" pre post-nochroot
		ok "$shn: 802.3ad: %pre and %post exit 0" test "$(ks_rc pre)/$(ks_rc post-nochroot)" = 0/0
		ok "$shn: 802.3ad: the network line is the golden one" cmp -s "$w/tmp/pxebond-network.ks" \
			"$root/tests/golden/kickstart/802.3ad-dhcp/pxebond-network.ks"
		ok "$shn: 802.3ad: the %post wrote nm (auto: the target has NetworkManager)" \
			grep -q "has NetworkManager (usr/sbin/NetworkManager).*: writing nm$" "$w/tmp/pxebond-ks.log"
		ks_post_ok "$shn: 802.3ad"
		[ "$shn" = dash ] && ks_nm_check "$shn: 802.3ad" "$w/sysimage/$nm" 52:54:00:12:34:01 \
			52:54:00:12:34:01 52:54:00:12:34:02
		[ "$shn" = dash ] && cp -a "$w" "$work/host/ok-dash"

		ks_case noexec 802.3ad nm noexec
		ks_anaconda "$sh" post-nochroot
		ok "$shn: /run noexec: the %post runs a copy from /tmp" \
			grep -q 'does not run here (/run mounted noexec?): running a copy in /tmp' "$w/tmp/pxebond-ks.log"
		ok "$shn: /run noexec: the same files as with /run exec" \
			cmp -s <(ks_tree "$w/sysimage") <(ks_tree "$work/host/ok-dash/sysimage")

		ks_case single single nm
		# Anaconda's clone of the initramfs' eth1 profile (DumpMissingConfigFilesTask:
		# id and interface name eth1, a new UUID), in the installer and copied
		nmcli --offline connection add type ethernet con-name eth1 ifname eth1 \
			connection.uuid b3748596-7777-4081-a293-a4b5c6d7e8f9 >"$w/installer/$nm/eth1.nmconnection"
		chmod 0600 "$w/installer/$nm/eth1.nmconnection"
		cp -p "$w/installer/$nm/eth1.nmconnection" "$w/sysimage/$nm/"
		ks_tree "$w/sysimage" >"$w/before"
		ks_anaconda "$sh" post-nochroot
		ok "$shn: single: exit 0" test "$(ks_rc post-nochroot)" = 0
		ok "$shn: single: Anaconda's eth1 profile replaced, kept hidden" \
			test -f "$w/sysimage/$nm/.eth1.nmconnection.pxebond-orig" -a \
			"$(grep -c 'Written by pxebond' "$w/sysimage/$nm/eth1.nmconnection")" = 1
		ok "$shn: single: the port bound to eth1's MAC set aside, the bond's left" \
			test -f "$w/sysimage/$nm/.bond0_slave_2.nmconnection.pxebond-orig" -a \
			-f "$w/sysimage/$nm/bond0_slave_1.nmconnection" -a -f "$w/sysimage/$nm/bond0.nmconnection"
		ok "$shn: single: ifcfg-eth1 (eth1 by name and MAC) set aside, ifcfg-bond0 left" \
			test -f "$w/sysimage/$ifc/.ifcfg-eth1.pxebond-orig" -a -f "$w/sysimage/$ifc/ifcfg-bond0"

		ks_case own 802.3ad nm
		rm -f "$w/installer/$nm/bond0.nmconnection"
		ks_own_bond >"$w/sysimage/$nm/bond0.nmconnection"
		chmod 0600 "$w/sysimage/$nm/bond0.nmconnection"
		ks_tree "$w/sysimage" >"$w/before"
		ks_anaconda "$sh" post-nochroot
		ok "$shn: the target's own bond0 profile: exit 0, nothing written or moved" \
			test "$(ks_rc post-nochroot)" = 0
		ok "$shn: the target's own bond0 profile: the target is as it was" ks_unchanged
		ok "$shn: the target's own bond0 profile: says why" ks_logged \
			"bond0.nmconnection exists and is neither pxebond's nor a copy of this system's: nothing written"

		ks_case warn 802.3ad nm
		printf '[connection]\nid=port9\nuuid=c4859607-8888-4192-b3a4-b5c6d7e8f901\ntype=ethernet\nmaster=bond0\nslave-type=bond\n' \
			>"$w/sysimage/$nm/port9.nmconnection"
		ks_anaconda "$sh" post-nochroot
		ok "$shn: a target-only port of bond0: left, with a warning" \
			test -f "$w/sysimage/$nm/port9.nmconnection" -a -n \
			"$(grep 'warning: .*port9.nmconnection also configures bond0 and is not a copy of this system' "$w/tmp/pxebond-ks.log")"
		ok "$shn: a target-only port of bond0: the rest as without it" test -f "$w/sysimage/$nm/.eth0.nmconnection.pxebond-orig"

		ks_case ifcfg 802.3ad ifcfg
		ks_anaconda "$sh" post-nochroot
		ok "$shn: ifcfg target: exit 0, wrote ifcfg (auto: network-scripts, no NetworkManager)" \
			test "$(ks_rc post-nochroot)" = 0 -a -n "$(grep 'writing ifcfg' "$w/tmp/pxebond-ks.log")"
		ok "$shn: ifcfg target: Anaconda's ifcfg-bond0 replaced (kept hidden), ifcfg-eth1 set aside, ifcfg-eth2 left" \
			test -f "$w/sysimage/$ifc/.ifcfg-bond0.pxebond-orig" -a -f "$w/sysimage/$ifc/.ifcfg-eth1.pxebond-orig" \
			-a "$(ks_names "$w/sysimage/$ifc" '[!.]*')" = "ifcfg-bond0 ifcfg-bond0-member1 ifcfg-bond0-member2 ifcfg-eth2 "
		ok "$shn: ifcfg target: sh reads every ifcfg file" ks_sh_reads "$w/sysimage/$ifc"

		ks_case rollback 802.3ad nm
		cp "$pxebond" "$w/run/pxebond/pxebond.real"
		cat >"$w/run/pxebond/pxebond" <<-'EOF'
			#!/bin/sh
			# the real pxebond but for a write that is not a dry run: that one fails
			case " $* " in *" write "*) case " $* " in *" --dry-run "*) ;; *) echo "pxebond: error: boom" >&2; exit 3 ;; esac ;; esac
			exec /run/pxebond/pxebond.real "$@"
		EOF
		chmod 0755 "$w/run/pxebond/pxebond"
		ks_anaconda "$sh" post-nochroot
		ok "$shn: write fails: exit 0, the set-aside copies are back, the target as it was" \
			test "$(ks_rc post-nochroot)" = 0
		ok "$shn: write fails: the target is as Anaconda left it" ks_unchanged
		ok "$shn: write fails: says so" ks_logged "pxebond write failed: nothing written"
	done
}

# ks_post_ok WHAT: what the %post leaves in $w's target for the 802.3ad state with the
# ks_installer copies: pxebond's three keyfiles; its bond0 replaced Anaconda's (kept as
# .bond0.nmconnection.pxebond-orig); the copies for the bond's ports and NICs set aside;
# eth2's left; the log in var/log/anaconda.
ks_post_ok() {
	local what=$1 d=$w/sysimage
	ok "$what: the visible keyfiles: pxebond's three and eth2's, each 0600" test \
		"$(cd "$d/$ks_nm_dir" && stat -c '%a:%n' -- * | tr '\n' ' ')" = \
		"600:bond0-member1.nmconnection 600:bond0-member2.nmconnection 600:bond0.nmconnection 600:eth2.nmconnection "
	ok "$what: Anaconda's bond0 kept as .bond0.nmconnection.pxebond-orig, the others set aside" test \
		"$(ks_names "$d/$ks_nm_dir" '.*')" = \
		".BOOTIF Connection.nmconnection.pxebond-orig .bond0.nmconnection.pxebond-orig .bond0_slave_1.nmconnection.pxebond-orig .bond0_slave_2.nmconnection.pxebond-orig .eth0.nmconnection.pxebond-orig "
	ok "$what: the set-aside files are Anaconda's copies, unchanged" \
		cmp -s "$d/$ks_nm_dir/.bond0_slave_1.nmconnection.pxebond-orig" "$w/installer/$ks_nm_dir/bond0_slave_1.nmconnection"
	ok "$what: eth2's keyfile untouched" cmp -s "$d/$ks_nm_dir/eth2.nmconnection" "$w/installer/$ks_nm_dir/eth2.nmconnection"
	ok "$what: ifcfg-bond0 and ifcfg-eth1 set aside, ifcfg-eth2 untouched" test \
		"$(ks_names "$d/$ks_ifcfg_dir")" = ".ifcfg-bond0.pxebond-orig .ifcfg-eth1.pxebond-orig ifcfg-eth2 "
	ok "$what: the log is in the installed system's /var/log/anaconda, 0600" \
		test "$(stat -c %a "$d/var/log/anaconda/pxebond-ks.log" 2>/dev/null)" = 600
	ok "$what: the %post says what it did" ks_logged "the installed system gets bond0 (eth0 eth1) as pxebond brought it up"
}

# ks_own_bond: a bond0 profile of the image's or the kickstart's own (not pxebond's UUID,
# no pxebond comment, not in the installer)
ks_own_bond() {
	printf '[connection]\nid=bond0\nuuid=d5960718-9999-42a3-84b5-c6d7e8f90112\ntype=bond\ninterface-name=bond0\n\n[bond]\nmode=active-backup\n\n[ipv4]\nmethod=auto\n'
}

# ks_sh_reads DIR: every ifcfg-* in DIR passes sh -n and sources in a clean sh
ks_sh_reads() {
	local f
	for f in "$1"/ifcfg-*; do
		# shellcheck disable=SC2016 # the inner sh expands it
		sh -n "$f" && env -i sh -c '. "$1"' sh "$f" || return 1
	done
}
