#!/bin/bash
# The qemu-fai tier: FAI (Fully Automatic Installation, 6.0.3) with pxebond's overlay
# through the PXE lab's strict LACP LAG, the CI slice of `make fai-loop` (docs/fai.md).
#
#   iPXE: FAI's kernel, FAI's dracut initrd   Open vSwitch: strict LAG (lacp=active,
#   (fai-make-nfsroot) + the overlay  ==tap0/1==  fast, no fallback) --- server ns:
#   -> pxebond's 802.3ad bond0 -> livenet          dnsmasq, httpd.py: squash.img,
#   fetches FAI's squashfs -> FAI as rcS           config.tar.gz
#   fetches its config space, runs sysinfo
#
# 1. lint: pxebond's FAI class script (fai/config/scripts/PXEBOND/10-pxebond) is POSIX
#    sh: shellcheck -s sh, and parsed by dash and busybox sh.
# 2. image: FAI's nfsroot and squashfs image (tests/qemu/fai/nfsroot.sh: fai-make-nfsroot
#    with a small package list, fai-cd -S; cached, so make fai-loop reuses them).
# 3. boot: FAI's kernel and initrd + build/pxebond-overlay.cpio.gz, iPXE on the strict
#    LAG, FAI's documented command line for an HTTP root and config space, with
#    FAI_ACTION=sysinfo (halt at the end) and ADDCLASSES=PXEBOND. The config space is
#    fai-doc's examples/simple + pxebond's class (fai/config) + one test hook
#    (tests/qemu/fai/check/hooks/sysinfo.LAST) that runs examples/simple's
#    DEBIAN/30-interface and then the class's script against a scratch target, as an
#    install's configure task would, and reports on the console.
#    Asserts, from the server: iPXE's lease and files, the squashfs image and the config
#    space fetched by the bond's address, a lease for the bond's MAC, both LAG members
#    in sync with the guest when FAI ends; from the console: pxebond's bond and hand-off
#    to network-legacy, FAI's classes with PXEBOND, its sysinfo, the bond in 802.3ad
#    with both NICs in one aggregator facing the switch; the class's script replacing
#    30-interface's member-less bond0 stanza with the 802.3ad one (members by MAC).
# Optional: PXB_FAI_ONLY="strict plain" also boots on plain ports (pxebond leaves the
# network alone, and so does the class: it writes from up's state only).
# Work files in build/qemu/fai/test/ (console, server logs, captures: lab.sh's).
# Env: PXB_FAI_ONLY (strict), lab.sh's (PXB_KEEP, PXB_QEMU_VERBOSE...); PXB_PXE_MEM (2048 here).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
t_start=$SECONDS
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/pxe/lab.sh"
# shellcheck source=tests/qemu/fai/lib.sh
. "$here/fai/lib.sh"
export PXB_PXE_MEM=${PXB_PXE_MEM:-2048} # the 270 MB image is fetched into RAM

class=$root/fai/config
script=$class/scripts/PXEBOND/10-pxebond
overlay=$root/build/pxebond-overlay.cpio.gz

# Checks (run through tap.sh's ok).
# shellcheck disable=SC2317 # all called through ok
{
fetched_boot() {
	pxe_fetched "$1" "/$1/vmlinuz" && pxe_fetched "$1" "/$1/initrd0" && pxe_fetched "$1" "/$1/initrd1"
}
# kernel_ack_for NAME MAC: the server ACKed a DHCP request from MAC that was not iPXE's.
kernel_ack_for() {
	[ "$(pxe_dhcp "$1" kernel DHCPACK)" -ge 1 ] && grep -q "DHCPACK(srv0) [0-9.]* $2" "$PXE_WORK/$1.dnsmasq"
}
# bond_ip NAME: the address pxebond's bond0 leased (from its console line).
bond_ip() { sed -n 's/.*pxebond: up: 802\.3ad on bond0, address \([0-9.]*\) in .*/\1/p' "$PXE_WORK/$1.console" | head -n1; }
# fetched_by_bond NAME PATH: PATH was served whole (200) to the bond's address.
fetched_by_bond() {
	local ip
	ip=$(bond_ip "$1")
	[ -n "$ip" ] && awk -v p="$2" -v ip="$ip" '$2 == ip && $4 == p && $5 == 200 { f = 1 } END { exit !f }' \
		"$PXE_WORK/$1.http"
}
# sysinfo_members NAME: FAI's sysinfo listed eth0 and eth1 with "master bond0".
sysinfo_members() {
	local c
	c=$(tr -d '\r' <"$PXE_WORK/$1.console")
	grep -qE '^[0-9]+: eth0: .* master bond0 ' <<<"$c" && grep -qE '^[0-9]+: eth1: .* master bond0 ' <<<"$c"
}
# file_of NAME PATH: what the hook printed of the scratch target's PATH.
file_of() { pxe_pxb "$1" file | sed -n "s|^$2: ||p"; }
bond_file_ok() { fai_stanza_ok <(file_of "$1" /etc/network/interfaces.d/bond0); }
state_kept() {
	grep -q "^PXEBOND_RESULT='ok'$" <<<"$(pxe_pxb "$1" out)" && [[ $(pxe_pxb "$1" statejson) == '{'* ]]
}
links_ok() {
	local a b
	a=$(file_of "$1" /etc/systemd/network/10-pxebond-eth0.link)
	b=$(file_of "$1" /etc/systemd/network/10-pxebond-eth1.link)
	grep -qx "PermanentMACAddress=$PXE_MAC0" <<<"$a" && grep -qx 'Name=eth0' <<<"$a" &&
		grep -qx "PermanentMACAddress=$PXE_MAC1" <<<"$b" && grep -qx 'Name=eth1' <<<"$b"
}
}

# 1. lint
ok "lint: the class's script is shellcheck-clean as POSIX sh" shellcheck -s sh "$script"
ok "lint: dash parses it" dash -n "$script"
ok "lint: busybox sh parses it" busybox sh -n "$script"
ok "lint: FAI runs it as a shell script (file says POSIX shell script)" \
	grep -q 'POSIX shell script' <<<"$(file -b "$script")"
ok "lint: it and the test hook are executable" test -x "$script" -a -x "$here/fai/check/hooks/sysinfo.LAST"
ok "lint: the nfsroot hook (sourced by fai-make-nfsroot's bash) and the test hook are shellcheck-clean" \
	shellcheck -x "$root/fai/nfsroot-hooks/90-pxebond" "$here/fai/check/hooks/sysinfo.LAST"

# 2. FAI's nfsroot and image
t=$SECONDS
"$here/fai/nfsroot.sh" "$FAI_CACHE"
ok "image: FAI's nfsroot, kernel, initrd and squashfs image (fai-make-nfsroot, fai-cd -S)" \
	test -s "$FAI_CACHE/squash.img" -a -s "$FAI_CACHE/initrd.img" -a -s "$FAI_CACHE/vmlinuz"
t_image=$((SECONDS - t))
[ -s "$FAI_CACHE/squash.img" ] || { tap_done; exit 1; }
[ -f "$overlay" ] || lab_die "no $overlay (make overlay)"
fai_doc

# 3. The boot
pxe_lab_start "$root/build/qemu/fai/test"
mkdir -p "$PXE_WWW/fai"
ln -s "$FAI_CACHE/squash.img" "$PXE_WWW/fai/squash.img"
fai_config "$PXE_WWW/fai/config.tar.gz" "$FAI_EXAMPLES" "$class" "$here/fai/check"
only=${PXB_FAI_ONLY:-strict}
wanted() { [[ " $only " == *" $1 "* ]]; }
t_boot=-
if wanted strict; then
	t=$SECONDS
	pxe_boot fai-strict --switch strict --kernel "$FAI_CACHE/vmlinuz" --initrd "$FAI_CACHE/initrd.img" \
		--initrd "$overlay" --timeout 480 --until 'Rebooting [^ ]+ now|Press <RETURN> to reboot' \
		--append "$(fai_cmdline sysinfo verbose,halt ADDCLASSES=PXEBOND)"
	t_boot=$((SECONDS - t))
	n=fai-strict

	# iPXE, then pxebond in FAI's initrd
	ok "boot: iPXE got a lease through the strict LAG" at_least 1 pxe_dhcp "$n" ipxe DHCPACK
	ok "boot: iPXE fetched FAI's kernel, FAI's initrd and the overlay" fetched_boot "$n"
	ok "boot: pxebond ran in FAI's initrd before its network module" \
		pxe_console "$n" 'pxebond: dracut with network-legacy: probing'
	ok "boot: pxebond's bond0 got a lease over the LAG (802.3ad)" \
		pxe_console "$n" 'pxebond: up: 802\.3ad on bond0, address [0-9.]+ in '
	ok "boot: ... and handed bond0 to network-legacy" \
		pxe_console "$n" "pxebond: bond0 handed to dracut's network-legacy"
	ok "boot: no dhclient of dracut's own" not pxe_console "$n" 'Starting dhcp for interface'
	ok "server: a lease for the bond's MAC ($PXE_MAC0, the PXE NIC's)" kernel_ack_for "$n" "$PXE_MAC0"
	ok "server: livenet fetched FAI's squashfs image whole, from the bond's address" \
		fetched_by_bond "$n" /fai/squash.img
	# FAI after switch_root
	ok "fai: FAI started as init's rcS with sysinfo" pxe_console "$n" '^FAI_ACTION: sysinfo'
	ok "server: FAI fetched its config space over the bond (get-config-dir-http)" \
		fetched_by_bond "$n" /fai/config.tar.gz
	ok "fai: its classes include PXEBOND, after DEBIAN (ADDCLASSES)" \
		pxe_console "$n" '^List of all classes: .* DEBIAN .*PXEBOND'
	ok "fai: sysinfo ran and shows eth0 and eth1 as bond0's members" sysinfo_members "$n"
	ok "fai: FAI ended (halt)" pxe_console "$n" 'Rebooting [^ ]+ now'
	ok "fai: bond0 is 802.3ad, both NICs in the aggregator facing the switch ($PXE_SYSID)" \
		fai_bond_ok <(pxe_pxb "$n" bonding)
	ok "switch: both LAG members attached and in sync with the guest at FAI's end" \
		pxe_switch_in_sync "$n" "end of boot"
	# pxebond's class, run as an install's configure task would run it
	ok "class: examples/simple's 30-interface ran" \
		grep -qx 'DEBIAN/30-interface rc=0' <<<"$(pxe_pxb "$n" script)"
	ok "class: PXEBOND/10-pxebond ran and succeeded" \
		grep -qx 'PXEBOND/10-pxebond rc=0' <<<"$(pxe_pxb "$n" script)"
	ok "class: it says it wrote the installed system's network" grep -q 'PXEBOND: wrote the installed system' <<<"$(pxe_pxb "$n" out)"
	ok "class: 30-interface's member-less bond0 stanza is kept as .bond0.pxebond-orig" \
		grep -qx 'iface bond0 inet dhcp' <<<"$(file_of "$n" /etc/network/interfaces.d/.bond0.pxebond-orig)"
	ok "class: interfaces.d/bond0 is pxebond's: 802.3ad over eth0 and eth1, the PXE NIC's MAC" bond_file_ok "$n"
	ok "class: .link files pin eth0 and eth1 to their permanent MACs" links_ok "$n"
	ok "class: it logs pxebond's state, and keeps it as JSON with FAI's logs" \
		state_kept "$n"
fi

# Optional (PXB_FAI_ONLY="strict plain"): the same on plain ports, as a fleet-wide boot
# configuration meets a machine without a LAG: pxebond leaves the network to dracut,
# and the class leaves FAI's own configuration (examples/simple: the NIC's predictable
# name, dhcp) as it is.
if wanted plain; then
	pxe_boot fai-plain --switch plain --kernel "$FAI_CACHE/vmlinuz" --initrd "$FAI_CACHE/initrd.img" \
		--initrd "$overlay" --timeout 480 --until 'Rebooting [^ ]+ now|Press <RETURN> to reboot' \
		--append "$(fai_cmdline sysinfo verbose,halt ADDCLASSES=PXEBOND)"
	n=fai-plain
	ok "plain: pxebond found no LACP partner and left the network to dracut" \
		pxe_console "$n" 'pxebond: no NIC has an LACP partner'
	ok "plain: FAI's sysinfo ran with its config space" pxe_console "$n" '^Calling task_sysinfo'
	ok "plain: PXEBOND/10-pxebond ran and succeeded" \
		grep -qx 'PXEBOND/10-pxebond rc=0' <<<"$(pxe_pxb "$n" script)"
	ok "plain: ... and wrote nothing: no bond, no .link file" \
		not grep -qE '^(/etc/network/interfaces.d/bond0|/etc/systemd/network/)' <<<"$(pxe_pxb "$n" file)"
	ok "plain: examples/simple's own stanza (the NIC's predictable name, dhcp) stays" \
		grep -qxE 'iface ens[0-9]+ inet dhcp' <<<"$(pxe_pxb "$n" file | sed -n 's|^/etc/network/interfaces.d/ens[0-9]*: ||p')"
fi

n=fai-strict
t0=$(pxe_time "$n" qemu_start 2>/dev/null)
at_http() { awk -v t0="$t0" -v p="$1" '$4 == p && $5 == 200 { printf "%.0f", $1 - t0; exit }' "$PXE_WORK/$n.http"; }
echo "# qemu-fai: image $t_image s (cached unless an input changed), boot $t_boot s; from QEMU's start:" \
	"kernel $(pxe_time "$n" kernel_s | cut -d. -f1) s, squash.img $(at_http /fai/squash.img) s," \
	"config space $(at_http /fai/config.tar.gz) s; tier $((SECONDS - t_start)) s"
tap_done
