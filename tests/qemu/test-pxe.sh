#!/bin/bash
# The PXE lab tier: real PXE boots (QEMU's iPXE ROM, dnsmasq, HTTP) through Open vSwitch
# as an LACP switch, into Debian's stock dracut initramfs and a live root fetched over
# the network (tests/qemu/pxe/, see tests/qemu/README.md). One boot per scenario.
#
#   guest: iPXE, then Debian's kernel    Open vSwitch: strict LAG (lacp=active, fast, no
#   + dracut 059 (network-legacy,        fallback), LAG with fallback, or plain ports
#   livenet, dmsquash-live)  ==tap0/1==  br0 --- server ns: dnsmasq, httpd.py
#
# Scenarios, one boot each (PXB_PXE_ONLY="baseline handwritten" runs a subset, and may
# name the optional ones):
#   baseline     stock image, ip=dhcp, strict LAG: iPXE boots (it answers LACP), the
#                kernel's DHCP never reaches the server (nothing answers LACP any more)
#   handwritten  (optional; make bench boots it) stock image, hand-written bond=
#                (802.3ad) + ip=bond0:dhcp, strict LAG: the live root, over an 802.3ad
#                bond aggregated with the switch
#   overlay-strict   the stock image + build/pxebond-overlay.cpio.gz, the user's usual
#                    ip=dhcp and BOOTIF=, strict LAG: pxebond's hook takes the LAG over
#                    and hands bond0 to network-legacy (its dhclient never runs)
#   overlay-fallback the same on the LAG with fallback (pxebond's LACPDU ends it)
#   overlay-plain    the same on plain ports: no LACP, so pxebond changes nothing and
#                    dracut's own DHCP brings the root
#   module-strict    the image built with pxebond's dracut module (make install into a
#                    DESTDIR, then dracut --add pxebond), nothing on the command line
#   nm-strict        the network-manager image + the overlay, strict LAG: the generator's
#                    profiles set aside, NetworkManager takes bond0 over through ours
#   di-strict        Debian's netboot installer (its own kernel and initrd.gz) + the
#                    overlay, the usual auto=true priority=critical url=..., strict LAG:
#                    pxebond brings bond0 up before netcfg, which leaves it alone; the
#                    preseed and the mirror's Release come over the bond
#   optional (only when named): plain-stock (stock image, ip=dhcp, plain ports: the
#   lab's control), nm-handwritten (the network-manager image, hand-written bond= with
#   net.ifnames=0, strict LAG), nm-plain (the same image, ip=dhcp, plain ports),
#   fallback-stock (stock image, ip=dhcp, the LAG with lacp-fallback-ab)
#   virtual media and UEFI (optional here; the qemu-iso and qemu-uefi tiers name them):
#   iso-di       an installer ISO made from the netboot installer (pxe/mkdi-iso.sh),
#                remastered with pxebond-iso (iso/remaster.sh), booted as a CD-ROM with no
#                PXE at all, strict LAG: as di-strict, from the ISO's own command line
#   iso-di-stock the same ISO as made, without the overlay: the installer's DHCP never
#                reaches the server, no preseed, "Network autoconfiguration failed"
#   uefi-overlay-strict  overlay-strict under OVMF with iPXE's EFI driver (the ROM's
#                switch ports come up as iPXE starts: see pxe_boot --switch-at)
#   uefi-iso-di  iso-di under OVMF (GRUB's EFI image from the ISO)
# Adding one is a line at the end: `reaches_root NAME SWITCH MEMBERS IMAGE 'ARGS'
# [INITRD...]` (MEMBERS: bond0 members expected in one aggregator with the switch; 0
# for no bond) or `gets_no_lease NAME SWITCH IMAGE 'ARGS' [INITRD...]`. IMAGE is a file
# or mkdracut.sh's arguments ("legacy", "nm", "-m DIR legacy"), built (or found in its
# cache) only if the scenario runs.
# Work files (consoles, server logs, captures) are in build/qemu/pxe/test/.
# Env: PXB_PXE_ONLY, and lab.sh's (PXB_QEMU_ACCEL, PXB_PXE_MEM, PXB_KEEP...).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
only=${PXB_PXE_ONLY:-}
t_start=$SECONDS

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/pxe/lab.sh"

pxe_lab_start "$root/build/qemu/pxe/test"
read -r sha_root _ < <(grep ' root$' "$PXE_LIVE/sha256")
read -r sha_net _ < <(grep ' net$' "$PXE_LIVE/sha256")

# What every scenario boots into: the live root over HTTP, with a RAM overlay on top:
# overlayfs for dracut's shell init, device-mapper for systemd-based images (dracut 059
# cannot mount a temporary overlayfs root under systemd, see pxe/mkdracut.sh).
live="root=live:http://$PXE_SERVER/root.squashfs rd.live.overlay.overlayfs=1"
live_dm="root=live:http://$PXE_SERVER/root.squashfs"
# The bond an admin writes by hand for dracut (network-legacy and network-manager).
handbond="bond=bond0:eth0,eth1:mode=802.3ad,miimon=100,lacp_rate=fast ip=bond0:dhcp"
# For scenarios that want the PXE NIC named, as pxelinux's IPAPPEND 2 does; iPXE expands it.
# shellcheck disable=SC2034,SC2016 # for scenarios added below; iPXE's syntax, not ours
bootif='BOOTIF=01-${netX/mac:hexhyp}'

optional="handwritten plain-stock nm-handwritten nm-plain fallback-stock iso-di iso-di-stock
	uefi-overlay-strict uefi-iso-di"
wanted() {
	if [ -n "$only" ]; then
		[[ " $only " == *" $1 "* ]]
	else
		[[ " ${optional//$'\n\t'/ } " != *" $1 "* ]]
	fi
}

# image SPEC: SPEC if it is a file, else the image `mkdracut.sh SPEC` builds or finds.
image() {
	if [ -f "$1" ]; then
		echo "$1"
	else
		# shellcheck disable=SC2086 # SPEC is mkdracut.sh's arguments, one per word
		"$here/pxe/mkdracut.sh" $1
	fi
}

# boot NAME SWITCH IMAGE 'ARGS' TIMEOUT [UNTIL] [INITRD...]: one boot, extra initrds after
# the image; pxe_boot options in the array boot_opts (e.g. --uefi) go along.
boot_opts=()
boot() {
	local name=$1 sw=$2 spec=$3 args=$4 tmo=$5 until=$6 f img initrds=()
	shift 6
	img=$(image "$spec") || lab_die "$name: no image ($spec)"
	initrds=(--initrd "$img")
	for f in "$@"; do initrds+=(--initrd "$f"); done
	pxe_boot "$name" --switch "$sw" "${initrds[@]}" --append "$args" --timeout "$tmo" \
		${until:+--until "$until"} "${boot_opts[@]}"
}

# The bond0 the live root reported, as "MODE|MEMBERS|ACTIVE_AGG|AGG_OF_EACH|PARTNER":
# e.g. "IEEE 802.3ad Dynamic link aggregation|eth0 eth1|1|1 1|02:00:00:00:0a:0a".
bond_summary() {
	pxe_pxb "$1" bonding | pxe_bond_summary
}

# bond_ok NAME MEMBERS: bond0 is 802.3ad, has MEMBERS members, every one in the active
# aggregator, whose partner is the switch's LACP system.
bond_is_8023ad() { [[ $(bond_summary "$1") == 'IEEE 802.3ad Dynamic link aggregation|'* ]]; }
bond_members_in_one_aggregator() {
	local s m active aggs a n=0
	s=$(bond_summary "$1")
	IFS='|' read -r _ m active aggs _ <<<"$s"
	for a in $aggs; do
		[ "$a" = "$active" ] || return 1
		n=$((n + 1))
	done
	[ -n "$active" ] && [ "$n" = "$2" ] && [ "$(wc -w <<<"$m")" = "$2" ]
}
bond_partner_is_switch() { [[ $(bond_summary "$1") == *"|$PXE_SYSID" ]]; }
# The switch's side, from lacp/show when the live root reported: every LAG member
# attached, in sync with the guest.
switch_all_in_sync() {
	local s
	s=$(sed -n '/^== live root reached/,/^== /p' "$PXE_WORK/$1.switch")
	[ "$(grep -c '^member: tap[01]: current attached$' <<<"$s")" = "$2" ] &&
		[ "$(grep -c 'partner state: activity timeout aggregation synchronized collecting distributing' <<<"$s")" = "$2" ]
}
live_reached() { [ -n "$(pxe_pxb "$1" live)" ]; }
no_live_root() { ! live_reached "$1"; }
fetched_boot_files() { pxe_fetched "$1" "/$1/vmlinuz" && pxe_fetched "$1" "/$1/initrd0"; }
sha_is() { [ "$(pxe_pxb "$1" "sha256 $2")" = "$3" ]; }
has_addr() { [ -n "$(pxe_pxb "$1" addr)" ]; }
none() { # none CMD...: CMD prints 0
	local n
	n=$("$@")
	[ "$n" -eq 0 ]
}

# The kernel's DHCP requests as the guest sent them: DHCPDISCOVERs on the switch ports
# without iPXE's "PXEClient" vendor class.
kernel_discovers_sent() {
	local f n=0
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		n=$((n + $(tshark -r "$f" -Y 'dhcp.option.dhcp == 1 && !(dhcp.option.vendor_class_id contains "PXEClient")' \
			2>/dev/null | wc -l)))
	done
	[ "$n" -gt 0 ]
}
# ipxe_answered_lacp NAME: LACPDUs from the guest's first NIC without the Activity bit:
# iPXE's answers (the kernel's bond and pxebond's probe are active).
ipxe_answered_lacp() {
	local n
	n=$(tshark -r "$PXE_WORK/$1.tap0.pcap" \
		-Y "lacp && eth.src == $PXE_MAC0 && lacp.actor.state.activity == 0" 2>/dev/null | wc -l)
	[ "$n" -gt 0 ]
}
switch_members_down() {
	local s
	s=$(sed -n '/^== end of boot/,$p' "$PXE_WORK/$1.switch")
	[ "$(grep -c '^member tap[01]: disabled$' <<<"$s")" = 2 ]
}

# reaches_root NAME SWITCH MEMBERS IMAGE 'ARGS' [INITRD...]: boots and asserts that the
# live root was reached, with both payloads intact, and over an 802.3ad bond of MEMBERS
# NICs aggregated with the switch (MEMBERS 0: some address, no bond asserted).
reaches_root() {
	local name=$1 sw=$2 members=$3 img=$4 args=$5
	shift 5
	wanted "$name" || return 0
	boot "$name" "$sw" "$img" "$args" 240 '' "$@"
	ok "$name: live root reached" live_reached "$name"
	ok "$name: the root image's payload is intact (sha256)" sha_is "$name" root "$sha_root"
	ok "$name: a payload fetched from the server after switch_root is intact (sha256)" \
		sha_is "$name" net "$sha_net"
	if [ "$members" = 0 ]; then
		ok "$name: an IPv4 address" has_addr "$name"
		return
	fi
	ok "$name: bond0 is 802.3ad" bond_is_8023ad "$name"
	ok "$name: bond0's $members members are all in its active aggregator" \
		bond_members_in_one_aggregator "$name" "$members"
	ok "$name: the aggregator's partner is the switch ($PXE_SYSID)" bond_partner_is_switch "$name"
	ok "$name: switch: $members LAG members attached and in sync with the guest" \
		switch_all_in_sync "$name" "$members"
}

# gets_no_lease NAME SWITCH IMAGE 'ARGS' [INITRD...]: boots until dracut's dhclient gives
# up and asserts that iPXE got through (lease, kernel and initrds fetched) while the
# kernel's DHCP did not: its requests left the guest but none reached the server.
# The wait: network-legacy runs `dhclient -1`, which gives up after its default 60 s
# (Debian's dhclient has no --timeout, so rd.net.timeout.dhcp cannot shorten it); that
# is about a dozen retransmissions, each dropped by the switch. Longer would only show
# dracut's 180 s rd.retry ending in the emergency shell, nothing new.
gets_no_lease() {
	local name=$1 sw=$2 img=$3 args=$4
	shift 4
	wanted "$name" || return 0
	boot "$name" "$sw" "$img" "$args" 200 'dhcp for interface [^ ]+ failed' "$@"
	ok "$name: iPXE got a lease through the switch" at_least 1 pxe_dhcp "$name" ipxe DHCPACK
	ok "$name: iPXE fetched the kernel and the initramfs" fetched_boot_files "$name"
	ok "$name: the kernel's dhclient ran and gave up" \
		pxe_console "$name" 'dhcp for interface [^ ]+ failed'
	ok "$name: the kernel's DHCPDISCOVERs left the guest" kernel_discovers_sent "$name"
	ok "$name: none reached the server" none pxe_dhcp "$name" kernel DHCPDISCOVER
	ok "$name: no lease for the kernel" none pxe_dhcp "$name" kernel DHCPACK
	ok "$name: no live root" no_live_root "$name"
	[ "$sw" = plain ] ||
		ok "$name: switch: both LAG members disabled (no LACP partner)" switch_members_down "$name"
}

# pxebond's boot hook, from the console and from what the live root found in /run.
state_is() { [ "$(pxe_pxb "$1" pxebond)" = "$2" ]; }
has_binary() { [[ $(pxe_pxb "$1" pxebond-bin) == 'pxebond '* ]]; }
no_bond() { [ -z "$(pxe_pxb "$1" bonding)" ]; }
exactly() { # exactly N CMD...: CMD prints N
	local n
	n=$("${@:2}")
	[ "$n" -eq "$1" ]
}
# (whole text first: grep -q ends early, and under pipefail the writer's SIGPIPE fails)
nm_bond_is_ours() {
	local s
	s=$(pxe_pxb "$1" nm-active)
	grep -qx 'bond0 bond0.nmconnection' <<<"$s"
}
nm_has_profile() {
	local s
	s=$(pxe_pxb "$1" nm-profile)
	grep -qxF -- "$2" <<<"$s"
}

# takes_over NAME STACK: pxebond probed, brought up the 802.3ad bond with a lease and
# handed it to STACK (network-legacy, NetworkManager); the state and the binary are in
# /run for the installer's later stages.
takes_over() {
	local name=$1 stack=$2
	wanted "$name" || return 0
	ok "$name: pxebond ran before the network module" pxe_console "$name" 'pxebond: dracut with '
	ok "$name: pxebond's bond0 got a lease over the LAG" \
		pxe_console "$name" 'pxebond: up: 802\.3ad on bond0, address [0-9.]+ in '
	ok "$name: pxebond handed bond0 to $stack" pxe_console "$name" "pxebond: bond0 handed to .*$stack"
	ok "$name: its state (ok, 802.3ad, bond0) is in /run after switch_root" \
		state_is "$name" 'result=ok mode=802.3ad iface=bond0'
	ok "$name: and so is its binary" has_binary "$name"
}

# leaves_alone NAME: pxebond found no LACP partner and changed nothing; dracut's own
# network setup brought the root.
leaves_alone() {
	local name=$1
	wanted "$name" || return 0
	ok "$name: pxebond said it leaves the network to dracut" \
		pxe_console "$name" 'pxebond: no NIC has an LACP partner: dracut.s network setup runs as without pxebond'
	ok "$name: dracut's own DHCP ran" pxe_console "$name" 'Starting dhcp for interface'
	ok "$name: no bond" no_bond "$name"
	ok "$name: the state says skipped" state_is "$name" 'result=skipped mode=none iface='
}

gets_no_lease baseline strict legacy "ip=dhcp rd.neednet=1 $live"
reaches_root handwritten strict 2 legacy "$handbond rd.neednet=1 $live"
reaches_root plain-stock plain 0 legacy "ip=dhcp rd.neednet=1 $live"
# network-manager renames the NICs (ens2, ens3) before it would enslave eth0 and eth1:
# without net.ifnames=0 the hand-written bond never gets a member (tests/qemu/README.md).
reaches_root nm-handwritten strict 2 nm "$handbond rd.neednet=1 net.ifnames=0 $live_dm"
reaches_root nm-plain plain 0 nm "ip=dhcp rd.neednet=1 $live_dm"
reaches_root fallback-stock fallback 0 legacy "ip=dhcp rd.neednet=1 $live"

# pxebond: the overlay appended to the stock images, and the dracut module built in.
overlay=$root/build/pxebond-overlay.cpio.gz
[ -f "$overlay" ] || lab_die "no $overlay (make overlay)"
reaches_root overlay-strict strict 2 legacy "ip=dhcp rd.neednet=1 $bootif $live" "$overlay"
takes_over overlay-strict network-legacy
if wanted overlay-strict; then
	ok "overlay-strict: dracut's dhclient never ran" \
		not pxe_console overlay-strict 'Starting dhcp for interface'
	ok "overlay-strict: one DHCP lease for the kernel: pxebond's, nothing else asked" \
		exactly 1 pxe_dhcp overlay-strict kernel DHCPACK
fi
reaches_root overlay-fallback fallback 2 legacy "ip=dhcp rd.neednet=1 $bootif $live" "$overlay"
takes_over overlay-fallback network-legacy
reaches_root overlay-plain plain 0 legacy "ip=dhcp rd.neednet=1 $bootif $live" "$overlay"
leaves_alone overlay-plain

# The module: installed as `make install` installs it, into a DESTDIR, with the binary
# beside it (module-setup.sh finds it there first; the host has none in /usr/sbin).
if wanted module-strict; then
	destdir=$root/build/qemu/pxe/destdir
	rm -rf "$destdir"
	make --no-print-directory -C "$root" install DESTDIR="$destdir" PREFIX=/usr >/dev/null ||
		lab_die "make install failed"
	moddir=$destdir/usr/lib/dracut/modules.d/90pxebond
	cp "$destdir/usr/sbin/pxebond" "$moddir/pxebond"
fi
reaches_root module-strict strict 2 "-m ${moddir:-} legacy" "rd.neednet=1 $live"
takes_over module-strict network-legacy

reaches_root nm-strict strict 2 nm "ip=dhcp rd.neednet=1 $bootif $live_dm" "$overlay"
takes_over nm-strict NetworkManager
if wanted di-strict; then
	# The installer and a "mirror" with just the Release file choose-mirror checks: the
	# boot ends once the installer has fetched it over the bond.
	"$here/pxe/fetch-di.sh" "$root/build/qemu/di" || lab_die "fetch-di.sh failed"
	cp "$here/pxe/di-preseed.cfg" "$PXE_WWW/preseed.cfg"
	mkdir -p "$PXE_WWW/debian/dists/bookworm"
	printf '%s\n' 'Origin: Debian' 'Label: Debian' 'Suite: oldstable' 'Codename: bookworm' \
		'Architectures: amd64' 'Components: main' >"$PXE_WWW/debian/dists/bookworm/Release"
	PXB_PXE_MEM=1024 pxe_boot di-strict --switch strict --kernel "$root/build/qemu/di/linux" \
		--initrd "$root/build/qemu/di/initrd.gz" --initrd "$overlay" \
		--append "auto=true priority=critical url=http://$PXE_SERVER/preseed.cfg" \
		--timeout 420 --until-http /debian/dists/bookworm/Release
	ok "di-strict: pxebond brought bond0 up before netcfg and told netcfg to keep off" \
		pxe_console di-strict 'pxebond: bond0 is up with [0-9.]+; netcfg is told to leave the network alone'
	ok "di-strict: the installer fetched the preseed from url=" pxe_fetched di-strict /preseed.cfg
	ok "di-strict: the installer fetched the mirror's dists/bookworm/Release" \
		pxe_fetched di-strict /debian/dists/bookworm/Release
	ok "di-strict: after netcfg, bond0 is still 802.3ad" bond_is_8023ad di-strict
	ok "di-strict: ... with both members in its active aggregator" \
		bond_members_in_one_aggregator di-strict 2
	ok "di-strict: ... facing the switch ($PXE_SYSID)" bond_partner_is_switch di-strict
	ok "di-strict: ... and its address" pxe_console di-strict '@@PXB ipaddr [0-9]+: bond0 +inet 10\.0\.0\.'
	ok "di-strict: one DHCP lease for the kernel: pxebond's (netcfg asked for none)" \
		exactly 1 pxe_dhcp di-strict kernel DHCPACK
	ok "di-strict: pxebond's renewer keeps the lease (netcfg, disabled, would not)" \
		pxe_console di-strict '@@PXB renewer pxebond-renew'
fi

if wanted nm-strict; then
	ok "nm-strict: NetworkManager took bond0 over through pxebond's profile" \
		nm_bond_is_ours nm-strict
	ok "nm-strict: the generator's catch-all profile is gone from /run" \
		not nm_has_profile nm-strict default_connection.nmconnection
	ok "nm-strict: NetworkManager ran its own DHCP on bond0 (iPXE's, pxebond's and its lease)" \
		exactly 2 pxe_dhcp nm-strict kernel DHCPACK
fi

# UEFI: overlay-strict again under OVMF. iPXE's EFI driver answers LACP as the BIOS one
# does, but OVMF starts it 4-6 s after the NICs' links come up, when Open vSwitch has
# given up sending fast (docs/switches.md, "Firmware and LACP"): the switch's ports come
# up as iPXE starts, as a real port's link comes up when the firmware's driver starts.
if wanted uefi-overlay-strict; then
	boot_opts=(--uefi --switch-at 'iPXE [0-9]')
	reaches_root uefi-overlay-strict strict 2 legacy "ip=dhcp rd.neednet=1 $bootif $live" "$overlay"
	takes_over uefi-overlay-strict network-legacy
	ok "uefi-overlay-strict: iPXE's EFI build booted it" pxe_console uefi-overlay-strict 'Features: .* EFI'
	ok "uefi-overlay-strict: iPXE's EFI driver answered the switch's LACPDUs (tap captures)" \
		ipxe_answered_lacp uefi-overlay-strict
	ok "uefi-overlay-strict: dracut's dhclient never ran" \
		not pxe_console uefi-overlay-strict 'Starting dhcp for interface'
	boot_opts=()
fi

# Virtual media: the netboot installer on an ISO, remastered by pxebond-iso, booted as a
# CD-ROM with no PXE (the NICs have no option ROM). The boot ends when the installer has
# fetched the mirror's Release over the bond, or, for the stock ISO, when it gives up.
media_ready=
media() {
	[ -z "$media_ready" ] || return 0
	"$here/pxe/fetch-di.sh" "$root/build/qemu/di" || lab_die "fetch-di.sh failed"
	"$here/pxe/mkdi-iso.sh" "$root/build/qemu/di" "$root/build/qemu/di-iso/di.iso" ||
		lab_die "mkdi-iso.sh failed"
	"$root/iso/remaster.sh" --overlay "$overlay" --report "$PXE_WORK/iso-report.txt" \
		"$root/build/qemu/di-iso/di.iso" "$root/build/qemu/di-iso/di-pxebond.iso" \
		>/dev/null 2>"$PXE_WORK/iso-remaster.err" || lab_die "pxebond-iso failed: $(cat "$PXE_WORK/iso-remaster.err")"
	cp "$here/pxe/di-preseed.cfg" "$PXE_WWW/preseed.cfg"
	mkdir -p "$PXE_WWW/debian/dists/bookworm"
	printf '%s\n' 'Origin: Debian' 'Label: Debian' 'Suite: oldstable' 'Codename: bookworm' \
		'Architectures: amd64' 'Components: main' >"$PXE_WWW/debian/dists/bookworm/Release"
	media_ready=1
}
none_from_ipxe() { none pxe_dhcp "$1" ipxe DHCPDISCOVER; }
# iso_installs NAME [--uefi]: the remastered ISO's boot and what the installer did over
# the bond, up to the mirror's Release (BIOS), or up to the preseed's early_command, the
# bond's report (UEFI: the firmware is what differs; the rest is iso-di's).
iso_installs() {
	local name=$1 until=(--until-http /debian/dists/bookworm/Release)
	shift
	wanted "$name" || return 0
	media
	[ "${1:-}" != --uefi ] || until=(--until '@@PXB renewer')
	PXB_PXE_MEM=1024 pxe_boot "$name" --switch strict --cdrom "$root/build/qemu/di-iso/di-pxebond.iso" \
		"$@" --timeout 420 "${until[@]}"
	ok "$name: no PXE: no DHCP from iPXE at all" none_from_ipxe "$name"
	ok "$name: pxebond brought bond0 up before netcfg and told netcfg to keep off" \
		pxe_console "$name" 'pxebond: bond0 is up with [0-9.]+; netcfg is told to leave the network alone'
	ok "$name: the installer fetched the preseed from url= (the ISO's command line)" \
		pxe_fetched "$name" /preseed.cfg
	[ "${1:-}" = --uefi ] ||
		ok "$name: the installer fetched the mirror's dists/bookworm/Release" \
			pxe_fetched "$name" /debian/dists/bookworm/Release
	ok "$name: bond0 is 802.3ad" bond_is_8023ad "$name"
	ok "$name: ... with both members in its active aggregator" \
		bond_members_in_one_aggregator "$name" 2
	ok "$name: ... facing the switch ($PXE_SYSID)" bond_partner_is_switch "$name"
	ok "$name: one DHCP lease, pxebond's (netcfg asked for none)" \
		exactly 1 pxe_dhcp "$name" kernel DHCPACK
}
iso_installs iso-di
if wanted iso-di; then
	ok "iso-di: pxebond-iso's report names the initrd it changed" \
		grep -q '^  /install.amd/initrd.gz: [0-9]* -> [0-9]* bytes' "$PXE_WORK/iso-report.txt"
fi
if wanted iso-di-stock; then
	media
	PXB_PXE_MEM=1024 pxe_boot iso-di-stock --switch strict --cdrom "$root/build/qemu/di-iso/di.iso" \
		--timeout 300 --until 'Network autoconfiguration failed'
	ok "iso-di-stock: the installer gave up on DHCP (Network autoconfiguration failed)" \
		pxe_console iso-di-stock 'Network autoconfiguration failed'
	ok "iso-di-stock: its DHCPDISCOVERs left the guest" kernel_discovers_sent iso-di-stock
	ok "iso-di-stock: none reached the server" none pxe_dhcp iso-di-stock kernel DHCPDISCOVER
	ok "iso-di-stock: no preseed fetched" not pxe_fetched iso-di-stock /preseed.cfg
	ok "iso-di-stock: switch: both LAG members disabled (no LACP partner)" \
		switch_members_down iso-di-stock
fi
iso_installs uefi-iso-di --uefi
if wanted uefi-iso-di; then
	ok "uefi-iso-di: the firmware was OVMF's, booting the CD" \
		pxe_console uefi-iso-di 'BdsDxe: starting Boot[0-9A-F]+ "UEFI QEMU DVD-ROM'
fi

echo "test-pxe: $((SECONDS - t_start)) s, work files in $PXE_WORK" >&2
tap_done
