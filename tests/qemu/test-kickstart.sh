#!/bin/bash
# kickstart/pxebond.ks, its %pre and %post --nochroot bodies run as Anaconda runs them,
# against an installer's /run/pxebond and a target root with Anaconda's copies of the
# installer's network profiles, what they write read by the real parsers. Anaconda is
# not in Debian: tests/kickstart/ks-run.sh does what its run_script does.
#
#   1. lint: tests/kickstart/extract.sh pulls each body out byte for byte (as pykickstart
#      does); shellcheck -s sh and sh -n under dash, bash and busybox sh on each; the
#      sections' headers (%pre; %post --nochroot, no --erroronfail, default interpreter).
#   2. host: each body by dash, bash and busybox sh in a mount namespace that is an
#      installer (tests/kickstart/host.sh): no state, skipped, failed, no binary, the
#      802.3ad and single states of tests/write/states, /run noexec, a target whose own
#      bond profile must stay, a target-only port, an ifcfg target, a failing write.
#   3. QEMU: one "switch + install server" guest (scenarios/server.sh, pxb.lacp=fast)
#      and one installer (scenarios/client-kickstart.sh, -g 3: eth0 and eth1 on the
#      server's LAG, eth2 slirp) that runs the bodies with busybox sh, dash and bash with
#      no /run/pxebond, after `pxebond up --if-lacp` found no partner on eth2 (skipped),
#      and after it brought up the 802.3ad bond (/run/pxebond then noexec); the targets
#      come back as base64 tars, and this host checks them: nothing changed without a
#      bond; with it, one configuration for the bond and its NICs, which nmcli --offline
#      and NetworkManager (in namespaces) load as written; the network line against the
#      golden one and pykickstart's options; the console and the logs.
#
#   installer (-g 3)                              server (-g 1)
#   eth0 52:54:00:b0:03:00 --udp-- eth0 \ bond0 802.3ad -- br0 10.0.0.1/24
#   eth1 52:54:00:b0:03:01 --udp-- eth1 /  (fast)          udhcpd, httpd
#   eth2 52:54:00:b0:03:02 -- slirp (no LACP)
#
# Needs root (namespaces), shellcheck, dash, bash, busybox-static, network-manager
# (nmcli, NetworkManager), dbus. Env: PXEBOND (default build/pxebond), PXB_QEMU_PORT,
# PXB_KS_QEMU=0 (lint and host only). Work files in build/qemu/kickstart/.
# Ends with "N passed, N failed".
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/qemu/kickstart
pxebond=${PXEBOND:-$root/build/pxebond}
port=${PXB_QEMU_PORT:-$((20000 + RANDOM % 5000 * 2))}
ks=$root/kickstart/pxebond.ks
bodies=$work/bodies
t_start=$SECONDS

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/host.sh
. "$here/host.sh"
# shellcheck source=tests/nm-load.sh
. "$root/tests/nm-load.sh"
# shellcheck source=tests/kickstart/host.sh
. "$root/tests/kickstart/host.sh"

[ -x "$pxebond" ] || { echo "test-kickstart: no $pxebond (make build/pxebond)" >&2; exit 1; }
for c in shellcheck dash bash busybox nmcli NetworkManager dbus-daemon unshare; do
	command -v "$c" >/dev/null && continue
	echo "test-kickstart: no $c here (scripts/deps.sh)" >&2
	exit 1
done
rm -rf "$work"
mkdir -p "$work"

# ks_syntax SHELL FILE: SHELL (busybox: its sh) parses FILE
ks_syntax() {
	if [ "$1" = busybox ]; then busybox sh -n "$2"; else "$1" -n "$2"; fi
}

# ---- 1. lint: the bodies as Anaconda gets them
echo "# lint"
ok "extract.sh pulls the sections out of $ks" "$root/tests/kickstart/extract.sh" "$ks" "$bodies"
ok "two sections: %pre, and %post --nochroot (no --erroronfail, --log or --interpreter)" \
	test "$(cut -d' ' -f1,3- "$bodies/sections" 2>/dev/null | tr '\n' '/')" = "pre %pre/post-nochroot %post --nochroot/"
for b in pre post-nochroot; do
	ok "shellcheck -s sh: the $b body (line 1 = $ks line $(sed -n "s/^$b \([0-9]*\) .*/\1/p" "$bodies/sections"))" \
		shellcheck -s sh "$bodies/$b.sh"
	for s in dash bash busybox; do
		ok "$s sh -n: the $b body" ks_syntax "$s" "$bodies/$b.sh"
	done
	ok "the $b body ends with exit 0 (it never fails the install)" test "$(tail -n 1 "$bodies/$b.sh")" = "exit 0"
done
# The .ks itself has no shebang, so the lint tier's shellcheck of kickstart/* skips it:
# its bodies are checked here.
ok "$ks starts with a comment, not a shebang (the lint tier skips it)" \
	test "$(head -c 2 "$ks")" = "# "

# ---- 2. host: dash, bash and busybox sh in an installer's namespace
echo "# host"
ks_host_cases

if [ "${PXB_KS_QEMU:-1}" = 0 ]; then
	echo "test-kickstart: $((SECONDS - t_start)) s (no QEMU: PXB_KS_QEMU=0)" >&2
	tap_done
	exit
fi

# ---- 3. QEMU: the bodies in an installer guest with a real bond
echo "# qemu"
mac() { printf '52:54:00:b0:%02x:%02x' "$1" "$2"; }
m0=$(mac 3 0) m1=$(mac 3 1) m2=$(mac 3 2)
g=$work/guest
mkdir -p "$g/ks" "$g/www" "$g/usr/bin" "$g/lib/x86_64-linux-gnu" "$g/lib64"
cp "$bodies/pre.sh" "$bodies/post-nochroot.sh" "$root/tests/kickstart/ks-run.sh" "$g/ks/"
ks_installer "$g/ks/installer" "$m0" "$m1" "$m2"
ks_target "$g/ks/target" nm "$g/ks/installer"
ks_tree "$g/ks/target" >"$work/target.tree"
# dash and bash (Fedora's /bin/sh) from this host, with their libraries
for b in /bin/dash /bin/bash; do
	cp -L "$b" "$g/usr/bin/"
	while read -r l; do
		case $l in
		*/ld-linux*) cp -L "$l" "$g/lib64/" ;;
		*) cp -L "$l" "$g/lib/x86_64-linux-gnu/" ;;
		esac
	done < <(ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
done
cp "$here/www/ks.cfg" "$g/www/ks.cfg"
"$here/mkinitrd.sh" "$work/server.cpio.gz" --init "$here/scenarios/server.sh" --add "$g/www:/www"
"$here/mkinitrd.sh" "$work/installer.cpio.gz" --init "$here/scenarios/client-kickstart.sh" \
	--add "$pxebond:/usr/lib/pxebond/pxebond" --add "$g/ks:/ks" \
	--add "$g/usr/bin/dash:/usr/bin/dash" --add "$g/usr/bin/bash:/usr/bin/bash" \
	--add "$g/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" --add "$g/lib64:/lib64"

c0=$port s0=$((port + 1)) c1=$((port + 2)) s1=$((port + 3))
spid=''
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT
"$here/run-guest.sh" -i "$work/server.cpio.gz" -n ks-server -g 1 -t 300 \
	-a "pxb.lacp=fast pxb.secs=250" "udp:$s0:$c0" "udp:$s1:$c1" >"$work/server.out" &
spid=$!
if ! qemu_wait_ready "$work/server.out" "$spid"; then
	cat "$work/server.out" >&2
	ok "the server guest got ready" false
	tap_done
	exit 1
fi
t0=$SECONDS
rc=0
"$here/run-guest.sh" -i "$work/installer.cpio.gz" -n ks-installer -g 3 -t 240 \
	-a "pxebond.timeout=10" "udp:$c0:$s0" "udp:$c1:$s1" user >"$work/installer.out" || rc=$?
echo "test-kickstart: installer: done in $((SECONDS - t0)) s" >&2
out=$work/installer.out
console=${PXB_QEMU_LOGDIR:-$root/build/qemu/logs}/ks-installer.log
line() { grep -qxF -- "$1" "$out"; }
state() { sed -n "s/^@@PXB state $1='\(.*\)'\$/\1/p" "$out" | tail -n 1; }
ok "installer: guest exit status 0 (got $rc)" [ "$rc" = 0 ]
ok "installer: up --if-lacp on eth2 (slirp): exit 4, no LACP partner" line '@@PXB result rc up-skipped 4'
ok "installer: its state says skipped" grep -qxF "@@PXB state RESULT='skipped'" "$out"
ok "installer: up --if-lacp: exit 0" line '@@PXB result rc up 0'
ok "installer: 802.3ad on bond0 over eth0 eth1 ($(state MODE) $(state BOND) $(state MEMBERS))" \
	test "$(state MODE)/$(state BOND)/$(state MEMBERS)/$(state MEMBER_MACS)" = "802.3ad/bond0/eth0 eth1/$m0 $m1"
ok "installer: /run/pxebond/pxebond does not run once /run/pxebond is noexec" \
	not line '@@PXB result noexec 0'
bmac=$(state BOND_MAC)

for c in none skipped ok; do
	for s in sh dash bash; do
		d=$work/out/$c-$s
		rm -rf "$d"
		mkdir -p "$d"
		ok "$c/$s: %pre and %post exit 0" \
			test "$(sed -n "s/^@@PXB result rc $c-$s-pre //p" "$out")/$(sed -n "s/^@@PXB result rc $c-$s-post-nochroot //p" "$out")" = 0/0
		ok "$c/$s: the target came back" bash -c \
			"set -o pipefail; sed -n 's/^@@PXB tar $c-$s //p' '$out' | base64 -d | tar -x -C '$d'"
		# the layout ks_post_ok and ks_logged read
		ln -sfn "$g/ks/installer" "$d/installer"
		ln -sfn "$console" "$d/console"
	done
done
for c in none skipped; do
	for s in sh dash bash; do
		w=$work/out/$c-$s
		ok "$c/$s: the target is as Anaconda left it" cmp -s <(ks_tree "$w/sysimage") "$work/target.tree"
		ok "$c/$s: /tmp/pxebond-network.ks has comments only" ks_netks_empty
	done
done
w=$work/out/none-bash
ok "none: says pxebond did not run" ks_logged \
	"pxebond %pre: no /run/pxebond/state: pxebond did not run in this installer's initramfs: nothing to do"
w=$work/out/skipped-bash
ok "skipped: says why" ks_logged \
	"pxebond %post: /run/pxebond/state: 'pxebond up' found no LACP partner and left the network to the installer: nothing to write"

for s in sh dash; do
	ok "ok/$s: the same target as bash's (Fedora's /bin/sh)" \
		cmp -s <(ks_tree "$work/out/ok-$s/sysimage") <(ks_tree "$work/out/ok-bash/sysimage")
done
w=$work/out/ok-bash
ok "ok: the %post ran a copy of the binary from /tmp (/run/pxebond noexec)" \
	grep -q 'does not run here (/run mounted noexec?): running a copy in /tmp' "$w/tmp/pxebond-ks.log"
ok "ok: the %post chose nm (the target has NetworkManager)" \
	grep -q 'has NetworkManager (usr/sbin/NetworkManager).*: writing nm$' "$w/tmp/pxebond-ks.log"
ks_post_ok "ok"
ks_nm_check "ok" "$w/sysimage/$ks_nm_dir" "$bmac" "$m0" "$m1"
ok "ok: bond0's keyfile has the bond's MAC ($bmac) and the members' MACs" \
	test -n "$bmac" -a "$(grep -h -e '^cloned-mac-address=' -e '^mac-address=' "$w/sysimage/$ks_nm_dir"/bond0*.nmconnection |
		LC_ALL=C sort | tr '\n' ' ')" = "cloned-mac-address=$bmac mac-address=$m0 mac-address=$m1 "

# The network line: the golden one for these options and names (no MAC is on it), and
# only options pykickstart's network command has (pykickstart is not in Debian).
nl=$(grep -v '^#' "$w/tmp/pxebond-network.ks" || true)
golden=$(grep -v '^#' "$root/tests/golden/kickstart/802.3ad-dhcp/pxebond-network.ks")
ok "ok: the %pre's network line is the golden 802.3ad-dhcp one ($nl)" test -n "$nl" -a "$nl" = "$golden"
# pykickstart 3.74's network options (pykickstart/commands/network.py)
known=" --activate --bindto --bondopts --bondslaves --bootproto --bridgeopts --bridgeslaves --device --dhcpclass --essid --ethtool --gateway --hostname --interfacename --ip --ipv4-dns-search --ipv4-ignore-auto-dns --ipv6 --ipv6-dns-search --ipv6-ignore-auto-dns --ipv6gateway --mtu --nameserver --netmask --no-activate --nodefroute --nodns --noipv4 --noipv6 --notksdevice --onboot --teamconfig --teamslaves --vlanid --wepkey --wpakey "
unknown=
for o in ${nl#network }; do
	[[ $known == *" ${o%%=*} "* ]] || unknown+=" $o"
done
ok "ok: the network line: one command, only pykickstart's options${unknown:+ (not:$unknown)}" \
	test "$(wc -l <<<"$nl")" = 1 -a "${nl%% *}" = network -a -z "$unknown"
ok "ok: its comments name both members by MAC" \
	test "$(grep -c -e "#   $m0 (eth0)" -e "#   $m1 (eth1)" "$w/tmp/pxebond-network.ks")" = 2
tr -d '\r' <"$console" >"$work/console.txt"
ok "the console shows the %pre's and the %post's lines" bash -c \
	"grep -q '^pxebond %pre: bond0: 802.3ad over 2 members, DHCP' '$work/console.txt' &&
	grep -q '^pxebond %post: the installed system gets bond0 (eth0 eth1) as pxebond brought it up' '$work/console.txt'"
ok "Anaconda's log of the %post (ks-script-*.log) has its lines" \
	grep -q 'pxebond %post: set aside' "$w"/tmp/ks-script-*.log

if [ "$tap_fail" != 0 ]; then
	echo "--- $out" >&2
	grep -v '^@@PXB tar ' "$out" >&2 || true
	for f in "$work"/out/ok-bash/tmp/pxebond-ks.log "$work"/host/*/tmp/pxebond-ks.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }
	done
fi
echo "test-kickstart: $((SECONDS - t_start)) s" >&2
tap_done
