#!/bin/bash
# `pxebond write` end to end: what it writes brings the bond up again on the installed
# system's first boot, under Debian's own network stack, against the same LACP switch.
#
#   1. One "switch + install server" guest (scenarios/server.sh, pxb.lacp=fast: bond0
#      802.3ad active/fast in br0, udhcpd, httpd) stays up for the whole test.
#   2. The installer (scenarios/client-write.sh, -g 2, eth0 and eth1): `pxebond up`, then
#      `pxebond write --root /target-FORMAT --format FORMAT` per format; the written
#      etc/ trees come back over the console as base64 tars (build/qemu/write/FORMAT/).
#      netplan's tree goes through this host's `netplan generate --root-dir` (on a real
#      boot its systemd generator does that), which must accept it without a warning.
#   3. Per format, the installed system's first boot (scenarios/installed.sh): the same
#      MACs on the same switch ports, but enumerated in the other order; Debian's
#      systemd-udevd (an "initramfs" pass with the stock .link files only, then one with
#      the written ones), then:
#        networkd  systemd-networkd over the written etc/systemd/network
#        netplan   systemd-networkd over what netplan generated (run/systemd/network):
#                  netplan's own rendering of our YAML has to bring the bond up
#        ifupdown  `ifup -a` with ifenslave and busybox udhcpc under dash
#        nm        NetworkManager (keyfile plugin only, no-auto-default=*, its internal
#                  DHCP client) on a dbus-daemon system bus, over the written keyfiles
#                  (kept 0600 and root's all the way: NM ignores any other)
#      all copied from this host with their libraries.
#      The host checks /proc/net/bonding/bond0 (802.3ad, both members by permanent MAC
#      in one aggregator whose partner is the server's bond), the DHCP address on bond0
#      and the kickstart fetched over it.
#
#   client (-g 2)                               server (-g 1)
#   installer:  n0 52:54:00:b0:02:00 --udp-- eth0 \ bond0 802.3ad -- br0 10.0.0.1/24
#               n1 52:54:00:b0:02:01 --udp-- eth1 /  (fast)          udhcpd, httpd
#   installed:  n0 52:54:00:b0:02:01 --udp-- eth1   (same ports, each MAC on its own,
#               n1 52:54:00:b0:02:00 --udp-- eth0    the kernel's eth0 is now :01)
#
# Needs Debian's systemd (systemd-networkd), udev, ifupdown, ifenslave, iproute2, dash,
# netplan.io, network-manager and dbus on this host (scripts/deps.sh; each format only
# its own). Env: PXB_QEMU_PORT (base UDP port; default random), PXEBOND (default
# build/pxebond), PXB_WRITE_FORMATS (default "networkd ifupdown netplan nm"),
# PXB_WRITE_RUNS (default 1: boots each installed system that many times; the checks
# read the first boot, every boot's timings go to bench.txt, for tests/qemu/bench-write.sh).
# Work files are in build/qemu/write/. Ends with "N passed, N failed".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/write
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 5000 * 2))}
pxebond=${PXEBOND:-$root/build/pxebond}
formats=${PXB_WRITE_FORMATS:-networkd ifupdown netplan nm}
runs=${PXB_WRITE_RUNS:-1}
nmlib=/usr/lib/x86_64-linux-gnu/NetworkManager

[ -x "$pxebond" ] || { echo "test-write: no $pxebond (make build/pxebond)" >&2; exit 1; }
want() { [[ " $formats " == *" $1 "* ]]; }
need=(/bin/udevadm /lib/udev/rules.d/80-net-setup-link.rules)
if want networkd || want netplan; then need+=(/lib/systemd/systemd-networkd); fi
if want ifupdown; then
	need+=(/sbin/ifup /bin/ip /bin/dash /usr/bin/printenv /etc/network/if-pre-up.d/ifenslave)
fi
if want netplan; then need+=(/usr/sbin/netplan); fi
if want nm; then need+=(/usr/sbin/NetworkManager /usr/bin/dbus-daemon "$nmlib"); fi
for f in "${need[@]}"; do
	[ -e "$f" ] && continue
	echo "test-write: no $f here (scripts/deps.sh: systemd, udev, ifupdown, ifenslave," \
		"netplan.io, network-manager, dbus)" >&2
	exit 1
done
rm -rf "$work"
mkdir -p "$work/www"
t_start=$SECONDS
cp "$pxebond" "$work/pxebond"
cp "$here/www/ks.cfg" "$work/www/ks.cfg"
"$here/mkinitrd.sh" "$work/server.cpio.gz" --init "$here/scenarios/server.sh" \
	--add "$work/www:/www"
"$here/mkinitrd.sh" "$work/installer.cpio.gz" --init "$here/scenarios/client-write.sh" \
	--add "$work/pxebond:/bin/pxebond"

mac() { printf '52:54:00:b0:%02x:%02x' "$1" "$2"; }
# The wires: server port i <-> client NIC with MAC i, whatever its place in the client.
c0=$port s0=$((port + 1)) c1=$((port + 2)) s1=$((port + 3))

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/host.sh
. "$here/host.sh"

spid=''
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

"$here/run-guest.sh" -i "$work/server.cpio.gz" -n write-server -g 1 -t 600 \
	-a "pxb.lacp=fast pxb.secs=550" "udp:$s0:$c0" "udp:$s1:$c1" >"$work/server.out" &
spid=$!
if ! qemu_wait_ready "$work/server.out" "$spid"; then
	echo "test-write: the server never got ready:" >&2
	cat "$work/server.out" >&2
	ok "the server guest got ready" false
	tap_done
	exit 1
fi
S=$(sed -n 's/^@@PXB result bond bond0 system=\([^ ]*\) .*/\1/p' "$work/server.out")

# ---- the installer: pxebond up, pxebond write per format, the trees back to the host.
echo "# installer"
t0=$SECONDS
rc=0
"$here/run-guest.sh" -i "$work/installer.cpio.gz" -n write-installer -g 2 -t 150 \
	-a "pxebond.timeout=10 pxb.formats=$(tr ' ' , <<<"$formats")" \
	"udp:$c0:$s0" "udp:$c1:$s1" >"$work/installer.out" || rc=$?
echo "test-write: installer: done in $((SECONDS - t0)) s" >&2
iline() { grep -qxF -- "$1" "$work/installer.out"; }
ok "installer: guest exit status 0 (got $rc)" [ "$rc" = 0 ]
ok "installer: pxebond up exit status 0" iline '@@PXB result rc up 0'
ok "installer: the bond it made is 802.3ad" \
	iline '@@PXB bonding up Bonding Mode: IEEE 802.3ad Dynamic link aggregation'
for f in $formats; do
	ok "installer: pxebond write --format $f exit status 0" iline "@@PXB result rc write-$f 0"
	rm -rf "${work:?}/$f"
	mkdir -p "$work/$f/root"
	ok "installer: the $f tree came back over the console" bash -c \
		"set -o pipefail; sed -n 's/^@@PXB tar $f //p' '$work/installer.out' | base64 -d |
		tar -x -C '$work/$f/root'"
	sed -n "s/^@@PXB log write-$f /# $f: /p" "$work/installer.out"
done
want networkd && ok "installer: networkd: one .netdev and three .network files" \
	test "$(find "$work/networkd/root/etc/systemd/network" -name '*.netdev' -o -name '*.network' \
		2>/dev/null | wc -l)" = 4
want ifupdown && ok "installer: ifupdown: interfaces, interfaces.d/bond0 and a .link per member" \
	test -f "$work/ifupdown/root/etc/network/interfaces.d/bond0" -a \
	"$(find "$work/ifupdown/root/etc/systemd/network" -name '*.link' 2>/dev/null | wc -l)" = 2
# keyfiles DIR: each file under DIR as MODE:OWNER:NAME, sorted, on one line
keyfiles() {
	find "$1" -type f -printf '%m:%U:%f\n' 2>/dev/null | LC_ALL=C sort | tr '\n' ' '
}
# The keyfiles the installer wrote, extracted as root: busybox tar keeps mode and owner
# (0600, root), GNU tar as root restores both, and mkinitrd's cpio and installed.sh's
# cp -a keep them, so NM in the guest sees them as written.
want nm && ok "installer: nm: the bond's and both members' keyfiles, 0600 and root's" \
	test "$(keyfiles "$work/nm/root/etc/NetworkManager/system-connections")" = \
	"600:0:bond0-member1.nmconnection 600:0:bond0-member2.nmconnection 600:0:bond0.nmconnection "
if want netplan; then
	ok "installer: netplan: one YAML, 0600 (netplan warns about any other mode)" \
		test "$(keyfiles "$work/netplan/root/etc/netplan")" = "600:0:90-pxebond-bond0.yaml "
	# What netplan's systemd generator does at boot: the YAML into run/systemd/network.
	rc=0
	netplan generate --root-dir "$work/netplan/root" >"$work/netplan/generate.out" 2>&1 || rc=$?
	sed 's/^/# netplan generate: /' "$work/netplan/generate.out"
	ok "netplan generate --root-dir: exit status 0 (got $rc)" [ "$rc" = 0 ]
	ok "netplan generate: no warning or error" \
		not grep -qiE 'warn|error|invalid|unknown' "$work/netplan/generate.out"
	ok "netplan generate: one .netdev and three .network files in run/systemd/network" \
		test "$(find "$work/netplan/root/run/systemd/network" -name '*.netdev' -o -name '*.network' \
			2>/dev/null | wc -l)" = 4
fi

# networkd_read FORMAT DIR PREFIX: systemd-networkd read DIR/PREFIX-* (ours, or
# netplan's rendering of ours) without a complaint, each member's .network matched the
# NIC with that member's installer MAC, and bond0 got its .network.
# Reads the boot's console, $out.
networkd_read() {
	local fmt=$1 dir=$2 prefix=$3 i
	ok "$fmt: networkd read $dir/$prefix-* without a complaint (no FILE:LINE message)" \
		not grep -qE "^@@PXB log networkd .*/$prefix-[^ ]*:[0-9]+:" "$out"
	for i in 1 2; do
		ok "$fmt: member$i's .network matched the NIC with installer eth$((i - 1))'s MAC" \
			grep -qxF "@@PXB log networkd $(nic "$(mac 2 $((i - 1)))"): Configuring with \
$dir/$prefix-bond0-member$i.network." "$out"
	done
	ok "$fmt: bond0 configured with $prefix-bond0.network" grep -qxF \
		"@@PXB log networkd bond0: Configuring with $dir/$prefix-bond0.network." "$out"
}

# ---- the installed system's initramfs: Debian's daemons from this host.
# sysroot DIR FILE...: each FILE (by its canonical path: this host merges /usr) and the
# libraries ldd finds for it (an executable or a .so), under DIR in a merged-/usr layout.
sysroot() {
	local d=$1 f p l
	shift
	mkdir -p "$d/usr/lib/x86_64-linux-gnu" "$d/usr/lib64" "$d/usr/sbin" "$d/usr/bin" "$d/lib" "$d/etc"
	ln -sfn usr/sbin "$d/sbin"
	ln -sfn usr/lib64 "$d/lib64"
	for l in systemd udev x86_64-linux-gnu; do
		mkdir -p "$d/usr/lib/$l"
		ln -sfn "../usr/lib/$l" "$d/lib/$l"
	done
	for f in "$@"; do
		p=$(readlink -f "$f")
		mkdir -p "$d$(dirname "$p")"
		cp -L "$f" "$d$p"
		if { [ ! -x "$p" ] && [[ $p != *.so ]]; } || [ -d "$p" ]; then continue; fi
		while read -r l; do
			p=/usr${l#/usr}
			[ -e "$d$p" ] || { mkdir -p "$d$(dirname "$p")" && cp -L "$l" "$d$p"; }
		done < <(ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			$1 ~ /^\// { print $1 }')
	done
}
# The DHCP client ifupdown runs when dhclient is absent is /sbin/udhcpc (busybox, as
# Debian's udhcpc package ships it); this is the event script that package installs.
cat >"$work/udhcpc.default.script" <<-'EOF'
	#!/bin/sh
	# busybox udhcpc event script (as Debian's udhcpc package's /etc/udhcpc/default.script)
	case $1 in
	deconfig)
		ip -4 addr flush dev "$interface"
		ip link set "$interface" up
		;;
	bound | renew)
		ip -4 addr flush dev "$interface"
		ip addr add "$ip/${mask:-24}" ${broadcast:+broadcast "$broadcast"} dev "$interface"
		if [ -n "$router" ]; then
			while ip route del default dev "$interface" 2>/dev/null; do :; done
			for r in $router; do ip route add default via "$r" dev "$interface" && break; done
		fi
		;;
	esac
	exit 0
EOF
# installed_initrd FORMAT: the initramfs of that format's installed system
installed_initrd() {
	local f=$1 d=$work/$1/sysroot e adds=() run=
	# netplan's: what netplan generate made of the YAML (installed.sh copies it to /run)
	[ ! -d "$work/$f/root/run" ] || run=$work/$f/root/run
	rm -rf "$d"
	sysroot "$d" /bin/udevadm /lib/udev/rules.d/75-net-description.rules \
		/lib/udev/rules.d/80-net-setup-link.rules /lib/systemd/network/99-default.link
	ln -sfn /usr/bin/udevadm "$d/usr/lib/systemd/systemd-udevd"
	printf 'root:x:0:0:root:/root:/bin/sh\nsystemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\n' \
		>"$d/etc/passwd"
	printf 'root:x:0:\nsystemd-network:x:998:\n' >"$d/etc/group"
	echo 5c0b0e5d1a4e4f7bb0a1f2e3d4c5b6a7 >"$d/etc/machine-id"
	case $f in
	networkd | netplan) sysroot "$d" /lib/systemd/systemd-networkd ;;
	ifupdown)
		# ifupdown, ifenslave, iproute2, dash (Debian's /bin/sh: the scenario links it)
		# and coreutils' printenv (ifenslave's hooks use it)
		# shellcheck disable=SC2046 # one word per file
		sysroot "$d" /sbin/ifup /bin/ip /bin/dash /usr/bin/printenv $(dpkg -L ifupdown ifenslave |
			grep -E '^/etc/network/if-[a-z-]+\.d/.|^/lib/systemd/network/.*\.link$')
		ln -sfn ifup "$d/usr/sbin/ifdown"
		ln -sfn ifup "$d/usr/sbin/ifquery"
		ln -sfn /bin/busybox "$d/usr/sbin/udhcpc"
		mkdir -p "$d/etc/udhcpc"
		install -m 0755 "$work/udhcpc.default.script" "$d/etc/udhcpc/default.script"
		;;
	nm)
		# NetworkManager, its device plugins, its udev rules, and dbus-daemon:
		# NM will not start without a system bus.
		sysroot "$d" /usr/sbin/NetworkManager /usr/bin/dbus-daemon "$nmlib"/*/*.so \
			/lib/udev/rules.d/84-nm-drivers.rules /lib/udev/rules.d/85-nm-unmanaged.rules
		# Debian's conf has plugins=ifupdown,keyfile: the installed system's ifupdown
		# configures nothing here, so keyfile only; no-auto-default=* so that NM makes
		# no "Wired connection" of its own for a NIC the keyfiles do not match.
		mkdir -p "$d/etc/NetworkManager/system-connections"
		printf '[main]\nplugins=keyfile\nno-auto-default=*\n' >"$d/etc/NetworkManager/NetworkManager.conf"
		# The smallest system bus: one socket, root only, everything allowed (Debian's
		# system.conf wants the messagebus user and the policy files of every service).
		cat >"$d/etc/pxb-dbus.conf" <<-'EOF'
			<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
			 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
			<busconfig>
			  <type>system</type>
			  <listen>unix:path=/run/dbus/system_bus_socket</listen>
			  <auth>EXTERNAL</auth>
			  <policy context="default">
			    <allow user="*"/>
			    <allow own="*"/>
			    <allow send_destination="*" eavesdrop="true"/>
			    <allow eavesdrop="true"/>
			  </policy>
			</busconfig>
		EOF
		;;
	esac
	for e in "$d"/etc/*; do adds+=(--add "$e:/etc/${e##*/}"); done
	"$here/mkinitrd.sh" "$work/$f/installed.cpio.gz" --init "$here/scenarios/installed.sh" \
		--add "$d/usr:/usr" --add "$d/sbin:/sbin" --add "$d/lib64:/lib64" \
		--add "$d/lib/systemd:/lib/systemd" --add "$d/lib/udev:/lib/udev" \
		--add "$d/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" \
		--add "$work/$f/root/etc:/target/etc" "${adds[@]}" ${run:+--add "$run:/target/run"}
}

# ---- the installed system's first boot, per format.
# timeline OUT: from a boot's console, in ms after its network stack started: when the
# kernel opened bond0 (8021q adds VLAN 0 to a device as it opens) and enslaved its first
# member, when both members were in sync and bond0 had its address ("-": never).
timeline() {
	awk '/^@@PXB result ready / {
			for (i = 4; i <= NF; i++) if (split($i, kv, "=") == 2) v[kv[1]] = kv[2]
		}
		/^@@PXB kmsg [0-9.]+ 8021q: adding VLAN 0 to HW filter on device bond0$/ && up == "" { up = $3 }
		/^@@PXB kmsg [0-9.]+ bond0: \(slave [^)]*\): Enslaving / && en == "" { en = $3 }
		function ms(t) { return t == "" || v["start_ms"] == "" ? "-" : int(t * 1000 - v["start_ms"]) }
		END {
			printf "up=%s enslaved=%s in_sync=%s address=%s\n", ms(up), ms(en),
				v["in_sync_ms"] == "" ? "-" : v["in_sync_ms"], v["address_ms"] == "" ? "-" : v["address_ms"]
		}' "$1"
}
# enslaved_first: in the kernel's log of the boot ($out), a member joined bond0 before
# bond0 first went up, so Linux did not arm its 8 s aggregator-selection timer.
enslaved_first() {
	awk '/^@@PXB kmsg [0-9.]+ 8021q: adding VLAN 0 to HW filter on device bond0$/ { exit }
		/^@@PXB kmsg [0-9.]+ bond0: \(slave [^)]*\): Enslaving / { first = 1; exit }
		END { exit !first }' "$out"
}
m0=$(mac 2 0) m1=$(mac 2 1)
bmac=$(sed -n 's/^@@PXB bonding up System MAC address: //p' "$work/installer.out")
for f in $formats; do
	echo "# installed system: $f"
	out=$work/$f/installed.out
	if [ ! -d "$work/$f/root/etc" ]; then
		ok "$f: booted (nothing was written)" false
		continue
	fi
	installed_initrd "$f"
	for r in $(seq "$runs"); do
		o=$out
		[ "$r" = 1 ] || o=$work/$f/installed.$r.out
		t0=$SECONDS
		rc_r=0
		# The other order: the kernel names the NIC with MAC :01 eth0; each stays on its
		# port.
		"$here/run-guest.sh" -i "$work/$f/installed.cpio.gz" -n "write-$f" -g 2 -t 150 \
			-a "pxb.format=$f" "udp:$c1:$s1,mac=$m1" "udp:$c0:$s0,mac=$m0" >"$o" || rc_r=$?
		echo "test-write: $f: done in $((SECONDS - t0)) s" >&2
		[ "$r" != 1 ] || rc=$rc_r
		echo "$f $(timeline "$o") load=$(cut -d ' ' -f 1 /proc/loadavg)" >>"$work/bench.txt"
	done
	bline() { grep -qxF -- "@@PXB bonding $1" "$out"; }
	# renamed: the initramfs's udev pass left two NICs, none named ethN
	renamed() {
		local l
		l=$(sed -n 's/^@@PXB result names initramfs//p' "$out")
		[[ $l =~ ^( [a-z0-9]+=[0-9a-f:]{17}){2}$ && $l != *eth* ]]
	}
	# nic MAC: the NIC's name after the root's udev pass
	nic() { sed -n 's/^@@PXB result names root //p' "$out" | tr ' ' '\n' | sed -n "s/=$1\$//p"; }
	# slave FIELD: that field of each "Slave Interface" block, one line per member
	slave() {
		awk -v k="$1" '/^@@PXB bonding Slave Interface: / { s = 1 }
			s && index($0, "@@PXB bonding " k ": ") == 1 { print substr($0, length("@@PXB bonding " k ": ") + 1) }' "$out"
	}
	sysmac() { sed -n 's/^@@PXB bonding System MAC address: //p' "$out"; }
	# nmlog: NetworkManager's log lines without level and timestamp, nor a "(UUID)" at the end
	nmlog() {
		sed -n 's/^@@PXB log nm <[a-z]*> *\[[0-9.]*\] //p' "$out" | sed 's/ ([0-9a-f-]\{36\})$//'
	}
	# nmsaid LINE...: NetworkManager logged each LINE (as nmlog prints it). The log is
	# read whole first: with pipefail, `nmlog | grep -q` fails whenever grep's early exit
	# kills sed with SIGPIPE, which made this check fail one run in three.
	nmsaid() {
		local l log
		log=$(nmlog)
		for l in "$@"; do
			grep -qxF -- "$l" <<<"$log" || return 1
		done
	}
	# active FIELD: that field of the bond's "Active Aggregator Info"
	active() {
		awk -v k="$1" '/^@@PXB bonding Active Aggregator Info:/ { a = 1 }
			/^@@PXB bonding Slave Interface: / { a = 0 }
			a && index($0, "@@PXB bonding \t" k ": ") == 1 { print substr($0, length("@@PXB bonding \t" k ": ") + 1) }' "$out"
	}
	sed -n 's/^@@PXB result names /# names: /p; s/^@@PXB result ready /# ready: /p' "$out"
	ok "$f: guest exit status 0 (got $rc)" [ "$rc" = 0 ]
	ok "$f: the kernel named the NICs the other way round (eth0=$m1)" \
		grep -qxF "@@PXB result names kernel eth0=$m1 eth1=$m0" "$out"
	ok "$f: udev in the initramfs renamed both (no ethN left)" renamed
	case $f in
	# NetworkManager opens bond0 before it attaches a port, whatever its profiles say
	# (docs/benchmarks.md): said, not checked.
	nm) sed -n '/^nm /{s//# nm: ms after dbus-daemon started: /p;q;}' "$work/bench.txt" ;;
	*)
		ok "$f: a member joined bond0 before bond0 went up (no 8 s selection timer)" \
			enslaved_first
		;;
	esac
	case $f in
	networkd) networkd_read networkd /etc/systemd/network 10-pxebond ;;
	ifupdown)
		ok "ifupdown: the .link files named the members as in the installer" \
			grep -qxF "@@PXB result names root eth1=$m1 eth0=$m0" "$out"
		ok "ifupdown: ifup -a exit status 0" grep -qxF '@@PXB result rc ifup 0' "$out"
		ok "ifupdown: ifup and ifenslave said nothing wrong" \
			not grep -qiE '^@@PXB log ifup .*(not found|fail|error|unknown|unrecognized|usage)' "$out"
		;;
	netplan) networkd_read netplan /run/systemd/network 10-netplan ;;
	nm)
		ok "nm: the keyfiles in the guest are 0600 and root's" grep -qxF \
			'@@PXB result keyfiles 600:0:bond0-member1.nmconnection 600:0:bond0-member2.nmconnection 600:0:bond0.nmconnection' "$out"
		ok "nm: NetworkManager said nothing about the keyfiles (no warning, nothing ignored)" \
			not grep -qE '^@@PXB log nm .*<(warn|error)>.*(keyfile|system-connections|nmconnection)' "$out"
		# (NM logs loading a keyfile at debug level only: its profiles show as activations.)
		ok "nm: bond0 activated with the bond0 profile" \
			nmsaid "device (bond0): Activation: starting connection 'bond0'" \
			"device (bond0): Activation: successful, device activated."
		for i in 1 2; do
			n=$(nic "$(mac 2 $((i - 1)))")
			ok "nm: member$i's profile activated on the NIC with installer eth$((i - 1))'s MAC ($n)" \
				nmsaid "device ($n): Activation: starting connection 'bond0-member$i'" \
				"device ($n): Activation: successful, device activated."
		done
		ok "nm: NetworkManager made no profile of its own (no-auto-default=*)" \
			test "$(nmlog | sed -n "s/^policy: auto-activating connection '\(.*\)'$/\1/p" |
				LC_ALL=C sort | tr '\n' ' ')" = "bond0 bond0-member1 bond0-member2 "
		;;
	esac
	ok "$f: bond0 up with a lease, every member collecting and distributing" \
		grep -q '^@@PXB result ready 1 ' "$out"
	ok "$f: mode 802.3ad" bline 'Bonding Mode: IEEE 802.3ad Dynamic link aggregation'
	ok "$f: both NICs are members, by permanent MAC" \
		test "$(slave 'Permanent HW addr' | sort | tr '\n' ' ')" = "$m0 $m1 "
	ok "$f: both members in the active aggregator" \
		test -n "$(active 'Aggregator ID')" -a "$(slave 'Aggregator ID' | sort -u)" = "$(active 'Aggregator ID')"
	ok "$f: its partner is the switch's bond ($S)" test -n "$S" -a "$(active 'Partner Mac Address')" = "$S"
	ok "$f: the bond's MAC is the installer's ($bmac)" test -n "$bmac" -a "$(sysmac)" = "$bmac"
	ok "$f: lacp_rate fast, as in the installer" bline 'LACP rate: fast'
	ok "$f: bond0 has a DHCP address from the server" \
		grep -qE '^@@PXB result addrs bond0=10\.0\.0\.1[0-5][0-9]/24$' "$out"
	ok "$f: the kickstart fetched over it is the server's" \
		cmp -s <(sed -n 's/^@@PXB ks //p' "$out") "$here/www/ks.cfg"
done

if [ "$tap_fail" != 0 ]; then
	for o in "$work/installer.out" "$work"/*/installed.out; do
		echo "--- $o" >&2
		grep -v '^@@PXB tar ' "$o" >&2 || true
	done
fi
# Each format's boots, ms after its network stack started: ranges over the boots.
awk -v runs="$runs" '
	function range(k, f) { return lo[f, k] == hi[f, k] ? lo[f, k] : lo[f, k] "-" hi[f, k] }
	{
		if (!($1 in n)) order[++nf] = $1
		n[$1]++
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[2] == "-") { miss[$1, kv[1]] = 1; continue }
			if (!(($1, kv[1]) in lo) || kv[2] + 0 < lo[$1, kv[1]] + 0) lo[$1, kv[1]] = kv[2]
			if (!(($1, kv[1]) in hi) || kv[2] + 0 > hi[$1, kv[1]] + 0) hi[$1, kv[1]] = kv[2]
		}
	}
	END {
		printf "first boot, ms after the network stack started (%s boot(s) each):\n", runs
		printf "%-9s %11s %11s %11s %11s %9s\n", "format", "bond0 up", "1st member", "in sync", "address", "load"
		for (j = 1; j <= nf; j++) {
			f = order[j]
			printf "%-9s %11s %11s %11s %11s %9s\n", f, range("up", f), range("enslaved", f),
				range("in_sync", f) (miss[f, "in_sync"] ? "+never" : ""),
				range("address", f) (miss[f, "address"] ? "+never" : ""), range("load", f)
		}
	}' "$work/bench.txt" >"$work/bench-summary.txt"
sed 's/^/# /' "$work/bench-summary.txt"
echo "test-write: $((SECONDS - t_start)) s" >&2
tap_done
