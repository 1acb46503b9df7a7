#!/bin/bash
# `make fai-loop`: the sysadmin's whole chore, once, with a real fleet installer and
# nobody touching the switch: FAI 6.0.3 PXE-boots through the lab's strict LACP LAG with
# pxebond's overlay, installs Debian 12 onto a virtual disk from a local Debian-signed
# mirror and reboots; the installed system boots from its own disk on the same LAG on
# an 802.3ad bond, then again with its two NICs swapped on the PCI bus. Then the
# baselines: FAI without the overlay on the strict LAG (where it stops), and FAI without
# pxebond on plain ports (the reference time). Root, TCG, about 70 minutes: not in make
# check (its slice is the qemu-fai tier, tests/qemu/test-fai.sh). docs/fai.md has the
# figures and how to read the report.
#
#   1 nfsroot   tests/qemu/fai/nfsroot.sh: FAI's nfsroot, kernel, initrd and squashfs image
#               (fai-make-nfsroot, fai-cd -S; shared with the qemu-fai tier, cached)
#   2 mirror    tests/qemu/fai/mirror.sh: the install's debs (the nfsroot's base and what
#               FAI's install_packages lists for the install's classes, with their
#               dependencies and Recommends), under Debian's own signed InRelease
#   3 lab       the switch set up once (PXB_FAI_SWITCH: strict, fallback or plain) and
#               its configuration dumped; the config space: fai-doc's examples/simple,
#               pxebond's class (fai/config), and this run's ssh key as
#               files/root-ssh-key/FAIBASE (examples/simple's own way to install one);
#               the kernel command line adds ADDCLASSES=PXEBOND. Nothing else is edited.
#   4 install   FAI's kernel and initrd + build/pxebond-overlay.cpio.gz, loaded by iPXE,
#               FAI_ACTION=install FAI_FLAGS=verbose,reboot, onto an 8 GB virtio disk;
#               ends when the kernel restarts the machine (FAI's reboot)
#   5 disk      the target read on the host with debugfs (nothing mounted): FAI's own
#               logs (every script OK, no error found), pxebond's bond0 stanza and .link
#               files, 30-interface's stanza kept as .bond0.pxebond-orig, ifenslave,
#               GRUB in the boot sector
#   6 boot      the installed system from its disk (the firmware boots GRUB; no iPXE),
#               the switch untouched since phase 3; from the server: its lease for the
#               bond's MAC, both LAG members in sync (lacp/show, and when in the tap
#               captures); from the system itself over ssh: bond0 802.3ad, both NICs in
#               the aggregator facing the switch, and its kernel log: when the members
#               were enslaved, bond0 came up and the lease came, after the kernel started
#   7 swapped   the same boot with the NICs in each other's PCI slots: the kernel's
#               names swap, pxebond's .link files give each MAC its name back, the bond
#               comes up on both
#   8 switch    its configuration (Open vSwitch's Bridge, Port and Interface rows, with
#               their UUIDs) is what phase 3 dumped: nothing was changed or re-created
#   8b module   pxebond's dracut module built into FAI's initrd by the nfsroot hook
#               (fai/nfsroot-hooks/90-pxebond) instead of the overlay: FAI's sysinfo
#   9 baseline-strict  FAI's image without the overlay, strict LAG: how far it gets
#  10 baseline-plain   FAI without pxebond (no overlay, no PXEBOND) on plain ports: the
#               install, then the installed system's first boot (reference times)
# REPORT (build/qemu/fai/loop/REPORT): each phase's wall time, what happened and why it
# stopped if it did; the install and first boot against the plain reference.
# Exit: 0 the whole way, 1 a check failed or a phase stopped (REPORT says where), 2
# harness failure.
# Env: PXB_FAI_SWITCH (strict), PXB_FAI_LOOP (the phases from 4 on to run, default
# "install disk boot swapped switch module baseline-strict baseline-plain"), PXB_FAI_TIMEOUT
# (an install's limit, s; 5400), PXB_PXE_MEM (2048 here), lab.sh's (PXB_KEEP...).
set -uo pipefail
# The whole script is one compound command, parsed before it runs: editing this file
# while a loop runs (most of an hour) cannot change what it does.
{
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$root/tests/qemu/pxe/lab.sh"
# shellcheck source=tests/qemu/fai/lib.sh
. "$here/lib.sh"

export PXB_PXE_MEM=${PXB_PXE_MEM:-2048}
sw=${PXB_FAI_SWITCH:-strict}
phases=${PXB_FAI_LOOP:-install disk boot swapped switch module baseline-strict baseline-plain}
tmo=${PXB_FAI_TIMEOUT:-5400}
overlay=$root/build/pxebond-overlay.cpio.gz
work=$root/build/qemu/fai/loop
# The install's classes, as FAI defines them for it (checked against its console in
# phase 4): the mirror holds what install_packages lists for these.
classes="DEFAULT LINUX AMD64 DHCPC FAIBASE DEBIAN DEMO GRUB_PC PXEBOND LAST"
t_start=$SECONDS

report=()
say() {
	echo "fai-loop: $*" >&2
	report+=("$*")
}
phase() { say "$(printf 'phase %-16s %5s s  %s' "$1" "$2" "${*:3}")"; }
flush_report() { [ -d "$work" ] && printf '%s\n' "${report[@]}" >"$work/REPORT"; }
die2() {
	say "harness failure: $*"
	flush_report
	exit 2
}
want() { [[ " $phases " == *" $1 "* ]]; }
case $sw in strict | fallback | plain) ;; *) die2 "PXB_FAI_SWITCH: strict, fallback or plain" ;; esac
[ -f "$overlay" ] || die2 "no $overlay (make overlay)"

# 1. FAI's nfsroot and image
t=$SECONDS
"$here/nfsroot.sh" "$FAI_CACHE" || die2 "nfsroot.sh failed"
# shellcheck source=/dev/null # written by nfsroot.sh
. "$FAI_CACHE/BUILD"
# shellcheck disable=SC2154 # from BUILD
phase nfsroot $((SECONDS - t)) "FAI $fai, dracut $dracut, kernel $kver: nfsroot ${nfsroot_mb} MB" \
	"(built in ${nfsroot_s} s), squashfs ${image_mb} MB (${image_s} s), initrd ${initrd_mb} MB"

# 2. The mirror
t=$SECONDS
fai_doc
mkdir -p "$work"
cs=$work/configspace
rm -rf "$cs" && mkdir -p "$cs"
cp -a "$FAI_EXAMPLES/." "$cs/"
cp -a "$root/fai/config/." "$cs/"
# install_packages -l: FAI's own reading of package_config for these classes.
cp "$FAI_CACHE/nfsroot/var/tmp/base-pkgs.lis" "$work/packages"
classes=$classes kernelname=linux-image-amd64 FAI_ROOT=/nonexistent \
	install_packages -l -p "$cs/package_config" 2>/dev/null |
	sed "s/\\\${kernelname}/linux-image-amd64/g" >>"$work/packages"
grep -qw ifenslave "$work/packages" || die2 "install_packages -l did not list ifenslave (PXEBOND)"
"$here/mirror.sh" "$FAI_CACHE/mirror" "$work/packages" || die2 "mirror.sh failed"
# shellcheck source=/dev/null # written by mirror.sh
. "$FAI_CACHE/mirror/SIZES"
# shellcheck disable=SC2154 # from SIZES
phase mirror $((SECONDS - t)) "$release: $debs debs ($((deb_bytes / 1048576)) MiB), $missing missing"

# 3. The lab: the switch once, the server, the config space.
t=$SECONDS
pxe_lab_start "$work/lab"
mkdir -p "$PXE_WWW/fai"
ln -s "$FAI_CACHE/squash.img" "$PXE_WWW/fai/squash.img"
ln -s "$FAI_CACHE/mirror/debian" "$PXE_WWW/debian"
# Kept with the disk, so that a later run of the boot phases alone logs in too.
keys=$work/keys
mkdir -p "$keys"
[ -s "$keys/id" ] || ssh-keygen -q -t ed25519 -N '' -C fai-loop -f "$keys/id" || die2 "ssh-keygen failed"
mkdir -p "$cs/files/root-ssh-key"
cp "$keys/id.pub" "$cs/files/root-ssh-key/FAIBASE"
fai_config "$PXE_WWW/fai/config.tar.gz" "$cs"
pxe_switch "$sw"
# The switch's configuration: the rows an admin's change would touch, UUIDs included (a
# port deleted and added again gets a new one).
switch_config() {
	ovsdb-client dump "unix:$LAB_DB" Open_vSwitch Bridge _uuid name ports datapath_type other_config
	ovsdb-client dump "unix:$LAB_DB" Open_vSwitch Port _uuid name interfaces bond_mode lacp other_config tag trunks
	ovsdb-client dump "unix:$LAB_DB" Open_vSwitch Interface _uuid name type options other_config
}
switch_config >"$PXE_WORK/switch.before" || die2 "cannot dump the switch's configuration"
phase lab $((SECONDS - t)) "switch $sw, server, config space: examples/simple + fai/config + an ssh key"

# --- the guest, and what is read from it and about it ---
kh=$PXE_WORK/known_hosts
gip=''
gssh() { # gssh CMD...: as root on the installed system, this run's key only
	ip netns exec "$LAB_C" timeout 60 ssh -F /dev/null -i "$keys/id" -o IdentitiesOnly=yes \
		-o IdentityAgent=none -o BatchMode=yes -o PasswordAuthentication=no \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile="$kh" -o ConnectTimeout=5 \
		-o LogLevel=ERROR "root@$gip" "$@"
}
trap 'pxe_stop_guest; lab_stop' EXIT
# lease_ip OFFSET: the address of the last DHCPACK in dnsmasq's log after OFFSET bytes.
lease_ip() {
	tail -c +$(($1 + 1)) "$PXE_WORK/dnsmasq.log" 2>/dev/null |
		sed -n 's/.*DHCPACK([a-z0-9]*) \([0-9.]*\) .*/\1/p' | tail -n1
}
# ssh_up NAME DOFF SECS: waits (bounded) until the booting system has a lease and answers
# ssh; sets gip and t_ssh (seconds from QEMU's start).
t_ssh=''
ssh_up() {
	local i t0
	t_ssh=''
	for ((i = 0; i < $3; i += 2)); do
		kill -0 "$PXE_GUEST_PID" 2>/dev/null || return 1
		gip=$(lease_ip "$2")
		if [ -n "$gip" ] && [ "$(gssh echo up </dev/null 2>/dev/null)" = up ]; then
			t0=$(sed -n 's/^qemu_start=//p' "$PXE_WORK/t0-$1" 2>/dev/null)
			t_ssh=$(awk -v a="${EPOCHREALTIME}" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')
			return 0
		fi
		sleep 2
	done
	return 1
}
# The installed system's own report: its bond, names and kernel log, and when (its
# uptime as it answers, and the host's clock then, to place the wire's events).
# shellcheck disable=SC2016 # run by the guest's sh
guest_report='
echo "== bonding"; cat /proc/net/bonding/bond0
echo "== links"; ip -br link
echo "== addrs"; ip -br -4 addr
echo "== kernel"; journalctl -k -b -o short-monotonic --no-pager | grep -E "bond0|renamed from|link becomes ready|virtio_net"
echo "== dhcp"; journalctl -b -o short-monotonic --no-pager | grep -E "dhclient.*(DHCPACK|bound to)|ifup|networking"
echo "== multi-user"; systemd-analyze 2>/dev/null | head -n 2
echo "== uptime"; cat /proc/uptime
'
# installed_boot NAME [--nic-order swapped]: boots the disk, waits for ssh, gets the
# report, the switch's view, ends the guest. Sets the globals below.
installed_boot() {
	local name=$1 doff
	shift
	doff=$(stat -c %s "$PXE_WORK/dnsmasq.log" 2>/dev/null || echo 0)
	rm -f "$PXE_WORK/$name.report"
	pxe_boot "$name" --switch keep --boot disk --disk "$tdisk" --timeout 900 "$@" \
		>"$PXE_WORK/boot-$name.log" 2>&1 &
	PXE_GUEST_PID=$!
	# pxe_boot writes NAME.times at the end; QEMU's start is wanted now.
	echo "qemu_start=${EPOCHREALTIME}" >"$PXE_WORK/t0-$name"
	if ssh_up "$name" "$doff" 600; then
		local before=${EPOCHREALTIME} after
		gssh sh -s <<<"$guest_report" >"$PXE_WORK/$name.report" 2>&1
		after=${EPOCHREALTIME}
		# the guest read its uptime during the ssh session: place it at the midpoint
		echo "== host-epoch $(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", (a + b) / 2 }')" \
			>>"$PXE_WORK/$name.report"
		pxe_switch_state "$name" "installed system answered ssh"
	fi
	pxe_stop_guest
}
# shellcheck disable=SC2317 # the checks are called through ok
{
# section NAME TITLE: one "== TITLE" section of NAME.report
section() { sed -n "/^== $2\$/,/^== /{/^== /d;p}" "$PXE_WORK/$1.report"; }
bond_in_report() { fai_bond_ok <(section "$1" bonding); }
# klog_at NAME SECTION ERE: the monotonic time ("[  12.345678] ...") of the first line of
# the report's SECTION matching ERE
klog_at() {
	section "$1" "$2" | awk -v re="$3" '$0 ~ re { sub(/^\[ */, ""); sub(/\].*/, ""); printf "%.1f\n", $0; exit }'
}
# wire_sync NAME: seconds from QEMU's start until the guest's LACPDUs on BOTH ports say
# in sync, collecting, distributing (the tap captures), and wire_ack NAME, the first
# DHCPACK to it.
wire_sync() {
	local f t0
	t0=$(sed -n 's/^qemu_start=//p' "$PXE_WORK/t0-$1")
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		tshark -r "$f" -Y "lacp.actor.sysid == $PXE_MAC0 && lacp.actor.state.synchronization == 1 &&
			lacp.actor.state.collecting == 1 && lacp.actor.state.distributing == 1" \
			-T fields -e frame.time_epoch 2>/dev/null | head -n1
	done | awk -v t0="$t0" 'NF { n++; if ($1 - t0 > m) m = $1 - t0 } END { if (n == 2) printf "%.1f\n", m }'
}
# wire_in_sync_at_end NAME: on both ports, the last LACPDU the guest sent and the last
# the switch sent say in sync, collecting, distributing (QEMU ends at the reboot, so the
# switch's own view is gone by the time the boot is over).
wire_in_sync_at_end() {
	local f who s
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		for who in "$PXE_MAC0" "$PXE_SYSID"; do
			s=$(tshark -r "$f" -Y "lacp.actor.sysid == $who" -T fields \
				-e lacp.actor.state.synchronization -e lacp.actor.state.collecting \
				-e lacp.actor.state.distributing 2>/dev/null | tail -n1 | tr -d '\t ')
			[ "$s" = 111 ] || [ "$s" = TrueTrueTrue ] || return 1
		done
	done
}
wire_ack() {
	local f t0
	t0=$(sed -n 's/^qemu_start=//p' "$PXE_WORK/t0-$1")
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		tshark -r "$f" -Y 'dhcp.option.dhcp == 5' -T fields -e frame.time_epoch 2>/dev/null
	done | sort -n | awk -v t0="$t0" 'NF { printf "%.1f\n", $1 - t0; exit }'
}
# kernel_epoch NAME: when the installed kernel started, on the host's clock: the report's
# host time minus the guest's uptime then (TCG keeps the guest's clock with the host's).
kernel_epoch() {
	local up host
	up=$(section "$1" uptime | awk '{ print $1; exit }')
	host=$(sed -n 's/^== host-epoch //p' "$PXE_WORK/$1.report")
	[ -n "$up" ] && [ -n "$host" ] && awk -v h="$host" -v u="$up" 'BEGIN { printf "%.1f\n", h - u }'
}
# since_kernel NAME SECS_FROM_QEMU_START: the same moment in seconds after the kernel
# started.
since_kernel() {
	local t0 k
	t0=$(sed -n 's/^qemu_start=//p' "$PXE_WORK/t0-$1")
	k=$(kernel_epoch "$1")
	[ -n "$2" ] && [ -n "$k" ] && awk -v t0="$t0" -v s="$2" -v k="$k" 'BEGIN { printf "%.1f\n", t0 + s - k }'
}
lease_for_mac() { grep -qE "DHCPACK\(srv0\) [0-9.]+ $2" "$PXE_WORK/$1.dnsmasq"; }
# name_of_mac NAME MAC: the bond0 member whose permanent MAC is MAC (the bonding
# driver's own record; enslaved NICs all carry the bond's MAC)
name_of_mac() {
	section "$1" bonding | awk -v m="$2" '/^Slave Interface:/ { n = $3 } /^Permanent HW addr:/ && $4 == m { print n }'
}
# kernel_first_is NAME MAC: the NIC the kernel enumerated first (its "eth0"), followed
# through its renames in the kernel log ("NEW: renamed from OLD"), is the member with MAC
kernel_first_is() {
	local n
	n=$(name_of_mac "$1" "$2")
	[ -n "$n" ] && [ "$(section "$1" kernel | awk '
		/: renamed from / { new = $(NF - 3); sub(/:$/, "", new); old = $NF
			if (old == "eth0" && cur == "") cur = new
			else if (cur != "" && old == cur) cur = new }
		END { print cur }')" = "$n" ]
}
members_by_mac() { [ -n "$(name_of_mac "$1" "$PXE_MAC0")" ] && [ -n "$(name_of_mac "$1" "$PXE_MAC1")" ]; }
}

# --- 4. the install ---
tdisk=$work/disk.img
off_line='reboot: (Restarting system|Power down)'
stopped_line='FATAL ERROR|Now you have a shell|Press <RETURN> to reboot'
install_boot() { # install_boot NAME SWITCH 'EXTRA ARGS' [INITRD...]
	local name=$1 s=$2 args=$3 ir=(--initrd "$FAI_CACHE/initrd.img") f
	shift 3
	for f in "$@"; do ir+=(--initrd "$f"); done
	rm -f "$tdisk"
	truncate -s 8G "$tdisk"
	pxe_boot "$name" --switch "$s" --kernel "$FAI_CACHE/vmlinuz" "${ir[@]}" --disk "$tdisk" \
		--timeout "$tmo" --until "$off_line|$stopped_line" \
		--append "$(fai_cmdline install verbose,reboot "$args")"
}
# FAI's own lines: its end, and the time it says the install took.
fai_took() { tr -d '\r' <"$PXE_WORK/$1.console" | sed -n 's/^The install took \([0-9]*\) seconds\./\1/p' | tail -n1; }
at_http() { # at_http NAME ERE: seconds from QEMU's start to the first 200 for a path matching ERE
	local t0
	t0=$(pxe_time "$1" qemu_start)
	awk -v t0="$t0" -v p="$2" '$4 ~ p && $5 == 200 { printf "%.0f", $1 - t0; exit }' "$PXE_WORK/$1.http"
}
last_http() {
	local t0
	t0=$(pxe_time "$1" qemu_start)
	awk -v t0="$t0" -v p="$2" '$4 ~ p && $5 == 200 { l = $1 - t0 } END { if (l != "") printf "%.0f", l }' "$PXE_WORK/$1.http"
}
install_timeline() { # the install's steps in seconds from QEMU's start
	local n=$1
	echo "kernel $(pxe_time "$n" kernel_s | cut -d. -f1) s, image $(at_http "$n" '^/fai/squash.img$') s," \
		"config space $(at_http "$n" '^/fai/config.tar.gz$') s, mirror's InRelease $(at_http "$n" 'InRelease$') s," \
		"first deb $(at_http "$n" '[.]deb$') s, last deb $(last_http "$n" '[.]deb$') s," \
		"reboot $(awk '/ \(until\) / { printf "%.0f", $1; exit }' "$PXE_WORK/$n.events") s;" \
		"FAI: \"The install took $(fai_took "$n") seconds\""
}

t_install='' t_install_plain='' t_boot='' t_boot_plain=''
if want install; then
	t=$SECONDS
	install_boot fai-install keep ADDCLASSES=PXEBOND "$overlay"
	t_install=$(awk '/ \(until\) / { printf "%.0f", $1; exit }' "$PXE_WORK/fai-install.events")
	n=fai-install
	ok "install: iPXE got its lease through the $sw LAG and FAI's kernel, initrd, overlay" \
		pxe_fetched "$n" "/$n/initrd1"
	ok "install: pxebond's bond0 got a lease (802.3ad) and went to network-legacy" \
		pxe_console "$n" "pxebond: bond0 handed to dracut's network-legacy"
	ok "install: FAI fetched its image and config space, and the mirror's InRelease" \
		pxe_fetched "$n" /debian/dists/bookworm/InRelease
	ndebs=$(awk '$4 ~ /[.]deb$/ && $5 == 200' "$PXE_WORK/$n.http" | wc -l)
	ok "install: FAI's apt fetched the packages from the mirror over the bond ($ndebs debs)" \
		test "$ndebs" -ge 50
	ok "install: FAI's classes are the ones the mirror was made for" \
		pxe_console "$n" "^List of all classes: +DEFAULT LINUX AMD64 DHCPC FAIBASE DEBIAN DEMO GRUB_PC PXEBOND [^ ]+ LAST"
	ok "install: the class's script ran (fai-do-scripts: OK)" pxe_console "$n" 'PXEBOND/10-pxebond +OK\.'
	ok "install: FAI rebooted at the end" pxe_console "$n" "$off_line"
	ok "install: both ports stayed in sync until FAI's reboot (the last LACPDUs each way)" \
		wire_in_sync_at_end "$n"
	if pxe_console "$n" "$off_line"; then
		phase install "$((SECONDS - t))" "completed (QEMU start to FAI's reboot: ${t_install} s)"
	else
		why=$(tr -d '\r' <"$PXE_WORK/$n.console" | grep -E "$stopped_line|Error in task|FAILED" | tail -n 3 | tr '\n' ' ')
		phase install "$((SECONDS - t))" "STOPPED: ${why:-timeout after $tmo s}"
	fi
	say "  $(grep -m1 -oE 'pxebond: up: .*' "$PXE_WORK/$n.console" | tr -d '\r')"
	say "  from QEMU's start: $(install_timeline "$n")"
fi

# 5. The disk, read with debugfs at the root partition's offset.
start=$(partx -g -o START,TYPE "$tdisk" 2>/dev/null | awk '$2 == "0x83" { print $1; exit }')
fs="$tdisk?offset=$((${start:-0} * 512))"
tfile() { debugfs -R "cat $1" "$fs" 2>/dev/null; }
if want disk; then
	t=$SECONDS
	logs=$(debugfs -R 'ls -p /var/log/fai' "$fs" 2>/dev/null | awk -F/ '$6 != "." && $6 != ".." && $6 != "" { print $6 }' | grep -v '^localhost$' | head -n1)
	ld=/var/log/fai/$logs/last-install
	for f in status.log error.log scripts.log fai.log pxebond.state.json; do
		tfile "$ld/$f" >"$PXE_WORK/target.$f"
	done
	tfile /etc/network/interfaces.d/bond0 >"$PXE_WORK/target.bond0"
	tfile /etc/network/interfaces.d/.bond0.pxebond-orig >"$PXE_WORK/target.bond0-orig"
	tfile /var/lib/dpkg/status >"$PXE_WORK/target.status"
	ok "disk: FAI's logs are on it ($ld)" test -s "$PXE_WORK/target.status.log"
	ok "disk: every script FAI ran says OK (status.log)" not grep -q FAILED "$PXE_WORK/target.status.log"
	ok "disk: PXEBOND/10-pxebond among them" grep -q 'PXEBOND/10-pxebond *OK' "$PXE_WORK/target.status.log"
	ok "disk: pxebond's state is with FAI's logs" grep -q '"result"' "$PXE_WORK/target.pxebond.state.json"
	ok "disk: interfaces.d/bond0 is pxebond's, 802.3ad over eth0 and eth1" \
		grep -qE '^\s*bond-slaves eth0 eth1$' "$PXE_WORK/target.bond0"
	ok "disk: ... with mode 802.3ad and the PXE NIC's MAC" fai_stanza_ok "$PXE_WORK/target.bond0"
	ok "disk: 30-interface's member-less stanza is kept as .bond0.pxebond-orig" \
		grep -qx 'iface bond0 inet dhcp' "$PXE_WORK/target.bond0-orig"
	ok "disk: .link files for both MACs" \
		test -n "$(tfile /etc/systemd/network/10-pxebond-eth0.link)" -a -n "$(tfile /etc/systemd/network/10-pxebond-eth1.link)"
	ok "disk: ifenslave is installed (package_config/PXEBOND)" \
		awk -v RS= '/^Package: ifenslave\n/ && /\nStatus: install ok installed\n/ { f = 1 } END { exit !f }' \
		"$PXE_WORK/target.status"
	ok "disk: GRUB is in the boot sector" grep -q GRUB <<<"$(dd if="$tdisk" bs=512 count=1 2>/dev/null | tr -d '\0')"
	errs=$(grep -vc '^$' "$PXE_WORK/target.error.log" 2>/dev/null || echo 0)
	phase disk $((SECONDS - t)) "$(du -h "$tdisk" | cut -f1) used; FAI's error.log: $errs lines (ERRORS in FAI's sense: see target.error.log)"
fi

# 6. and 7. The installed system from its disk; then with the NICs swapped.
check_installed() { # check_installed NAME TITLE
	local n=$1
	ok "$2: the installed system answered ssh (the key from the config space)" test -s "$PXE_WORK/$n.report"
	ok "$2: the server leased it an address for the bond's MAC ($PXE_MAC0)" lease_for_mac "$n" "$PXE_MAC0"
	ok "$2: bond0 is 802.3ad, both NICs in the aggregator facing the switch" bond_in_report "$n"
	ok "$2: both MACs are members, whatever their names" members_by_mac "$n"
	ok "$2: the switch has both LAG members in sync with it" pxe_switch_in_sync "$n" "installed system answered"
}
boot_line() { # boot_line NAME: the report's timing line
	local n=$1 ens up lease ws wa
	ens=$(klog_at "$n" kernel 'bond0: \(slave [^)]*\): Enslaving')
	up=$(klog_at "$n" kernel 'bond0: link becomes ready')
	lease=$(klog_at "$n" dhcp 'bound to')
	ws=$(wire_sync "$n")
	wa=$(wire_ack "$n")
	echo "after the kernel started (its log): first member enslaved ${ens:-?} s, bond0 up ${up:-?} s," \
		"lease ${lease:-?} s; on the wire (captures, placed by its uptime): both members in sync" \
		"$(since_kernel "$n" "$ws") s, DHCPACK $(since_kernel "$n" "$wa") s; ssh from QEMU's start ${t_ssh:-?} s" \
		"(kernel started at $(since_kernel "$n" 0 | awk '{ printf "%.1f", -$1 }') s)"
}
if want boot; then
	t=$SECONDS
	installed_boot fai-boot
	t_boot=$t_ssh
	check_installed fai-boot boot
	ok "boot: the kernel enumerated the NICs in slot order (its eth0 is $PXE_MAC0)" \
		kernel_first_is fai-boot "$PXE_MAC0"
	ok "boot: the members are eth0 ($PXE_MAC0) and eth1, as in FAI" \
		test "$(name_of_mac fai-boot "$PXE_MAC0")" = eth0 -a "$(name_of_mac fai-boot "$PXE_MAC1")" = eth1
	phase boot $((SECONDS - t)) "$(section fai-boot addrs | awk '$1 == "bond0" { print "bond0 " $3 }')"
	say "  $(boot_line fai-boot)"
fi
if want swapped; then
	t=$SECONDS
	installed_boot fai-swapped --nic-order swapped
	check_installed fai-swapped swapped
	ok "swapped: the kernel enumerated the NICs the other way (its eth0 is $PXE_MAC1)" \
		kernel_first_is fai-swapped "$PXE_MAC1"
	ok "swapped: each MAC has its name back (.link): $PXE_MAC0 eth0, $PXE_MAC1 eth1" \
		test "$(name_of_mac fai-swapped "$PXE_MAC0")" = eth0 -a "$(name_of_mac fai-swapped "$PXE_MAC1")" = eth1
	phase swapped $((SECONDS - t)) "members: $PXE_MAC0 $(name_of_mac fai-swapped "$PXE_MAC0"), $PXE_MAC1 $(name_of_mac fai-swapped "$PXE_MAC1")"
	say "  $(boot_line fai-swapped)"
fi

# 8. The switch
if want switch; then
	switch_config >"$PXE_WORK/switch.after"
	ok "switch: its configuration after the last boot is the one before the first (ovsdb dump)" \
		cmp -s "$PXE_WORK/switch.before" "$PXE_WORK/switch.after"
	phase switch 0 "$(cmp -s "$PXE_WORK/switch.before" "$PXE_WORK/switch.after" && echo identical ||
		echo "CHANGED: diff switch.before switch.after")"
fi

# 8b. pxebond's dracut module in FAI's initrd instead of the overlay: the nfsroot hook
# (fai/nfsroot-hooks/90-pxebond) sourced as fai-make-nfsroot sources it, on an overlayfs
# view of the cached nfsroot (left as it was), with pxebond `make install`ed into a
# DESTDIR as a FAI server would have it; then FAI's sysinfo with that initrd alone.
# shellcheck disable=SC2317 # called through ok
has_module() { # the initrd has the module's hook (inst_hook names it by its file) and binary
	local l
	l=$(lsinitrd "$1" 2>/dev/null)
	grep -q 'hooks/pre-udev/40-dracut-hook.sh$' <<<"$l" && grep -q 'usr/lib/pxebond/pxebond$' <<<"$l"
}
# shellcheck disable=SC2317 # called through ok
module_initrd() {
	local m=$work/module r
	r=$m/root
	umount -R "$r" 2>/dev/null
	rm -rf "$m" && mkdir -p "$m/upper" "$m/work" "$r" "$m/tftp" "$m/server"
	make -C "$root" --no-print-directory install DESTDIR="$m/server" PREFIX=/usr/local >"$m/install.log" 2>&1 ||
		return 1
	mount -t overlay overlay -o "lowerdir=$FAI_CACHE/nfsroot,upperdir=$m/upper,workdir=$m/work" "$r" || return 1
	mount -t proc proc "$r/proc" && mount -t sysfs sysfs "$r/sys" && mount -t devpts devpts "$r/dev/pts"
	(
		set -e
		NFSROOT=$r TFTPROOT=$m/tftp
		PXEBOND_DRACUT_MODULE=$m/server/usr/lib/dracut/modules.d/90pxebond
		PXEBOND_BIN=$m/server/usr/local/sbin/pxebond
		# shellcheck source=fai/nfsroot-hooks/90-pxebond
		. "$root/fai/nfsroot-hooks/90-pxebond"
	) >"$m/hook.log" 2>&1
	local rc=$?
	umount -R "$r"
	[ "$rc" = 0 ] && [ -s "$m/tftp/initrd.img-$kver" ]
}
if want module; then
	t=$SECONDS
	ok "module: the nfsroot hook rebuilt FAI's initrd with pxebond's dracut module" module_initrd
	ok "module: ... which has pxebond's hook and binary" \
		has_module "$work/module/tftp/initrd.img-$kver"
	ok "module: ... and the cached nfsroot is untouched" \
		test ! -e "$FAI_CACHE/nfsroot/etc/dracut.conf.d/90-pxebond.conf"
	if [ -s "$work/module/tftp/initrd.img-$kver" ]; then
		pxe_boot fai-module --switch "$sw" --kernel "$FAI_CACHE/vmlinuz" \
			--initrd "$work/module/tftp/initrd.img-$kver" --timeout 480 \
			--until 'Rebooting [^ ]+ now|Press <RETURN> to reboot' \
			--append "$(fai_cmdline sysinfo verbose,halt)"
	fi
	n=fai-module
	ok "module: pxebond's 802.3ad bond0 from the module, handed to network-legacy" \
		pxe_console "$n" "pxebond: bond0 handed to dracut's network-legacy"
	ok "module: FAI's sysinfo ran with its config space over the bond" pxe_console "$n" '^Calling task_sysinfo'
	ok "module: the switch has both members in sync at FAI's end" pxe_switch_in_sync "$n" "end of boot"
	phase module $((SECONDS - t)) "$(grep -m1 -oE 'pxebond: up: .*' "$PXE_WORK/$n.console" 2>/dev/null | tr -d '\r')"
fi

# 9. FAI without the overlay on the strict LAG
if want baseline-strict; then
	t=$SECONDS
	pxe_boot fai-nopxb-strict --switch strict --kernel "$FAI_CACHE/vmlinuz" \
		--initrd "$FAI_CACHE/initrd.img" --timeout 420 \
		--until 'dracut-initqueue.*timeout|Entering emergency mode|dracut:/# |Could not boot' \
		--append "$(fai_cmdline install verbose,reboot ADDCLASSES=PXEBOND)"
	n=fai-nopxb-strict
	ok "baseline-strict: iPXE got its lease and FAI's kernel and initrd" pxe_fetched "$n" "/$n/initrd0"
	ok "baseline-strict: dracut's dhclient gave up" pxe_console "$n" 'dhcp for interface [^ ]+ failed|DHCP.*fail|dhclient.*fail'
	ok "baseline-strict: no lease for the kernel" test "$(pxe_dhcp "$n" kernel DHCPACK)" = 0
	ok "baseline-strict: FAI's image never fetched" not pxe_fetched "$n" /fai/squash.img
	fails=$(grep -cE 'dracut Warning: dhcp for interface [^ ]+ failed' "$PXE_WORK/$n.console")
	phase baseline-strict $((SECONDS - t)) "stops in FAI's initrd: dracut's dhclient on" \
		"$(grep -m1 -oE 'Starting dhcp for interface [^ ]+' "$PXE_WORK/$n.console" | sed 's/.* //')" \
		"gave up $((fails / 2)) times (first at $(pxe_uptime_at "$n" 'dhcp for interface .* failed') s" \
		"uptime), $(pxe_dhcp "$n" kernel DHCPACK) kernel leases, then \"Could not boot\" at" \
		"$(pxe_uptime_at "$n" 'Could not boot') s (the emergency shell): FAI's image is never fetched"
fi

# 10. FAI without pxebond on plain ports: the install, then its first boot.
if want baseline-plain; then
	t=$SECONDS
	install_boot fai-plain plain ''
	n=fai-plain
	t_install_plain=$(awk '/ \(until\) / { printf "%.0f", $1; exit }' "$PXE_WORK/$n.events")
	ok "baseline-plain: FAI installed and rebooted" pxe_console "$n" "$off_line"
	ok "baseline-plain: no pxebond in that boot" not pxe_console "$n" 'pxebond:'
	phase baseline-plain $((SECONDS - t)) "install: QEMU start to FAI's reboot ${t_install_plain:-?} s"
	say "  from QEMU's start: $(install_timeline "$n")"
	t=$SECONDS
	installed_boot fai-plain-boot
	t_boot_plain=$t_ssh
	ok "baseline-plain: the installed system answered ssh" test -s "$PXE_WORK/fai-plain-boot.report"
	ok "baseline-plain: ... with a lease for $PXE_MAC0" lease_for_mac fai-plain-boot "$PXE_MAC0"
	phase baseline-plain-boot $((SECONDS - t)) "$(section fai-plain-boot addrs | tr '\n' ';')"
	say "  lease after the kernel started: $(klog_at fai-plain-boot dhcp 'bound to') s (its log); ssh from QEMU's start ${t_ssh:-?} s"
fi

if [ -n "$t_install" ] && [ -n "$t_install_plain" ]; then
	awk -v a="$t_install" -v b="$t_install_plain" -v ba="${t_boot:-0}" -v bb="${t_boot_plain:-0}" 'BEGIN {
		lim = (b * 0.1 > 30) ? b * 0.1 : 30
		printf "compare: install, %s LAG with pxebond %d s, plain ports without it %d s: %+d s (%+.1f %%), aim <= +%d s\n", "'"$sw"'", a, b, a - b, (a - b) * 100 / b, lim
		if (ba > 0 && bb > 0)
			printf "compare: install + first boot to ssh: %d s vs %d s: %+d s\n", a + ba, b + bb, (a + ba) - (b + bb)
	}' >"$work/compare"
	# read here, not at a pipe's end: say's REPORT lines must reach this shell
	while IFS= read -r l; do say "$l"; done <"$work/compare"
fi
say "total $((SECONDS - t_start)) s"
flush_report
tap_done || exit 1
exit 0
}
