#!/bin/bash
# The qemu-itools tier: pxebond in initramfs-tools images, PXE-booted in the PXE lab
# (tests/qemu/pxe/lab.sh) through Open vSwitch as a strict LACP LAG: Debian's own
# initramfs-tools, live-boot and dropbear-initramfs, built into images by Debian's
# mkinitramfs in a chroot (tests/qemu/pxe/mkitools.sh), and nfs-ganesha serving NFS roots
# from the server's namespace.
#
#   guest: iPXE, then Debian's kernel     Open vSwitch         server ns ($LAB_C)
#   + an initramfs-tools image     ==tap0/tap1==  strict LAG  --- dnsmasq, httpd.py
#   (+ the overlay, + bonding.ko)                 or plain        nfs-ganesha + rpcbind
#                                                                 ssh (into dropbear)
#
# Boots (PXB_ITOOLS_ONLY="live-strict hook-nfs" runs a subset):
#   live-baseline  the stock live-boot image, boot=live fetch=http://.../filesystem.squashfs,
#                  strict LAG: iPXE gets through, the kernel's DHCP does not, no live root
#   live-strict    the same image + build/pxebond-overlay.cpio.gz + the bonding.ko cpio
#                  (initramfs/mkmodules.sh: initramfs-tools images have no bonding.ko):
#                  pxebond runs first in init-premount, brings up the 802.3ad bond and
#                  hands it on; live-boot's own network setup uses it (its ipconfig calls
#                  answered from the lease, no second DHCP); the live system is reached
#                  over the bond, both members in one aggregator facing the switch
#   live-plain     the same on plain ports: no LACP, pxebond changes nothing, live-boot's
#                  own DHCP brings the live system
#   hook-nfs       an installed system's initramfs made by update-initramfs's mkinitramfs
#                  with pxebond's hook (make install, PXEBOND=y) and dropbear-initramfs,
#                  root=/dev/nfs, strict LAG: the bond comes up before dropbear, which is
#                  reached over it with the key only; then the NFS server starts and the
#                  root is mounted over the bond (initramfs-tools' nfs script reuses it)
#   dracut-nfs     Debian's stock dracut image with its nfs module + the overlay,
#                  root=nfs:..., strict LAG: the NFS root over pxebond's bond
# Work files in build/qemu/pxe/itools-test/ (consoles, server logs, captures).
# Env: PXB_ITOOLS_ONLY, and lab.sh's (PXB_QEMU_VERBOSE, PXB_KEEP...).
# shellcheck disable=SC2016 # iPXE's ${netX/...} and the guest's $-expressions
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
only=${PXB_ITOOLS_ONLY:-}
t_start=$SECONDS

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/pxe/lab.sh"

for t in ssh ssh-keygen ganesha.nfsd rpcbind; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ] ||
		lab_die "$t missing (scripts/deps.sh)"
done
overlay=$root/build/pxebond-overlay.cpio.gz
[ -f "$overlay" ] || lab_die "no $overlay (make overlay)"

wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

t_build=$SECONDS
it=$root/build/qemu/pxe/itools
"$here/pxe/mkitools.sh" "$it" || lab_die "mkitools.sh failed"
# The kernel's bonding.ko for the overlay (a stock initramfs-tools image has none).
modules=$it/pxebond-modules.cpio.gz
# shellcheck source=tests/qemu/debian-kernel.sh
. "$here/debian-kernel.sh"
{ dk_fetch >/dev/null && dk_unpack; } || lab_die "no kernel package"
"$root/initramfs/mkmodules.sh" "$DK_KMOD" "$modules" 2>/dev/null || lab_die "mkmodules.sh failed"
t_build=$((SECONDS - t_build))

pxe_lab_start "$root/build/qemu/pxe/itools-test"
read -r sha_root _ < <(grep ' root$' "$it/sha256")
read -r sha_net _ < <(grep ' net$' "$PXE_LIVE/sha256")
mkdir -p "$PXE_WWW/itools"
ln -s "$it/filesystem.squashfs" "$PXE_WWW/itools/filesystem.squashfs"
fetch="fetch=http://$PXE_SERVER/itools/filesystem.squashfs"
live="boot=live $fetch pxb.server=$PXE_SERVER"
bootif='BOOTIF=01-${netX/mac:hexhyp}'
nfspath=/srv/pxb-nfs

# ---- readers (the boot's files, see lab.sh)
bond_summary() { # "MODE|MEMBERS|ACTIVE_AGG|AGG_OF_EACH|PARTNER" of the live root's bond0
	pxe_pxb "$1" bonding | pxe_bond_summary
}
bond_ok() { # bond_ok NAME: 802.3ad, two members, both in the active aggregator, facing the switch
	local s mode m active aggs partner a n=0
	s=$(bond_summary "$1")
	IFS='|' read -r mode m active aggs partner <<<"$s"
	[ "$mode" = 'IEEE 802.3ad Dynamic link aggregation' ] && [ "$partner" = "$PXE_SYSID" ] || return 1
	for a in $aggs; do
		[ "$a" = "$active" ] || return 1
		n=$((n + 1))
	done
	[ -n "$active" ] && [ "$n" = 2 ] && [ "$(wc -w <<<"$m")" = 2 ]
}
switch_in_sync() { pxe_switch_in_sync "$1" 'live root reached'; } # when the live root reported
live_reached() { [ -n "$(pxe_pxb "$1" live)" ]; }
sha_is() { [ "$(pxe_pxb "$1" "sha256 $2")" = "$3" ]; }
state_is() { [ "$(pxe_pxb "$1" pxebond)" = "$2" ]; }
no_bond() { [ -z "$(pxe_pxb "$1" bonding)" ]; }
console() { pxe_console "$1" "$2"; }
count() { # count N CMD...: CMD prints N
	local n
	n=$("${@:2}")
	[ "$n" -eq "$1" ]
}
kernel_discovers_sent() { # DHCPDISCOVERs without iPXE's vendor class left the guest
	local f n=0
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		n=$((n + $(tshark -r "$f" -Y 'dhcp.option.dhcp == 1 && !(dhcp.option.vendor_class_id contains "PXEClient")' \
			2>/dev/null | wc -l)))
	done
	[ "$n" -gt 0 ]
}
# pxebond's first line came before any other init-premount script's and before the
# image's network setup.
premount_first() {
	local s
	s=$(sed 's/\r$//; s/^\[ *[0-9.]*\] //' "$PXE_WORK/$1.console")
	awk '/^Begin: Running \/scripts\/init-premount/ { p = 1 }
		p && /pxebond: initramfs-tools/ { ok = 1; exit }
		p && /IP-Config|ipconfig|dropbear|Mounting root/ { exit }
		END { exit !ok }' <<<"$s"
}
timing() { # timing NAME: the boot's figures, for the log and docs/benchmarks.md
	echo "# $1: kernel at $(pxe_time "$1" kernel_s) s, lease at $(pxe_lease_s "$1") s," \
		"root reached at $(pxe_time "$1" live_s) s (uptime $(pxe_time "$1" live_uptime) s)" \
		"from QEMU's start"
}

# ---- live-boot
if wanted live-baseline; then
	pxe_boot live-baseline --switch strict --initrd "$it/live.img" --append "$live $bootif" \
		--timeout 150 --until 'Unable to find a live file system on the network'
	ok "live-baseline: iPXE got a lease through the strict LAG" count 1 pxe_dhcp live-baseline ipxe DHCPACK
	ok "live-baseline: live-boot's DHCP requests left the guest" kernel_discovers_sent live-baseline
	ok "live-baseline: none reached the server" count 0 pxe_dhcp live-baseline kernel DHCPDISCOVER
	ok "live-baseline: live-boot found no live system on the network" \
		console live-baseline 'Unable to find a live file system on the network'
	ok "live-baseline: no live root" not live_reached live-baseline
	ok "live-baseline: nothing of pxebond ran" not console live-baseline 'pxebond:'
fi

if wanted live-strict; then
	pxe_boot live-strict --switch strict --initrd "$it/live.img" --initrd "$overlay" \
		--initrd "$modules" --append "$live $bootif" --timeout 180
	ok "live-strict: pxebond ran first in init-premount, before any network setup" \
		premount_first live-strict
	ok "live-strict: bonding.ko came from the modules cpio" \
		console live-strict 'pxebond: bonding.ko loaded from /usr/lib/pxebond/modules/'
	ok "live-strict: pxebond's bond0 got a lease over the LAG" \
		console live-strict 'pxebond: up: 802\.3ad on bond0, address [0-9.]+ in '
	ok "live-strict: bond0 handed to initramfs-tools" \
		console live-strict 'pxebond: bond0 handed to initramfs-tools: /run/net-bond0.conf, DEVICE=bond0'
	ok "live-strict: live-boot chose bond0 (DEVICE from param.conf)" \
		console live-strict "Writing DEVICE='bond0' in /conf/param.conf"
	ok "live-strict: live-boot's ipconfig on bond0 was answered from the lease" \
		console live-strict "IP-Config: bond0 is pxebond's 802.3ad bond: its lease, nothing changed"
	ok "live-strict: klibc's ipconfig configured nothing" \
		not console live-strict 'IP-Config: (ens|eth)[0-9]+ (complete|hardware)'
	ok "live-strict: one DHCP lease for the kernel: pxebond's" count 1 pxe_dhcp live-strict kernel DHCPACK
	ok "live-strict: live-boot fetched filesystem.squashfs" \
		pxe_fetched live-strict /itools/filesystem.squashfs
	ok "live-strict: the live system was reached" live_reached live-strict
	ok "live-strict: its payload is intact (sha256)" sha_is live-strict root "$sha_root"
	ok "live-strict: a payload fetched after switch_root is intact" sha_is live-strict net "$sha_net"
	ok "live-strict: bond0 is 802.3ad, both members in its aggregator, facing the switch" \
		bond_ok live-strict
	ok "live-strict: switch: both LAG members attached and in sync" switch_in_sync live-strict
	ok "live-strict: pxebond's state (ok, 802.3ad, bond0) is in /run after switch_root" \
		state_is live-strict 'result=ok mode=802.3ad iface=bond0'
	timing live-strict
fi

if wanted live-plain; then
	pxe_boot live-plain --switch plain --initrd "$it/live.img" --initrd "$overlay" \
		--initrd "$modules" --append "$live $bootif" --timeout 180
	ok "live-plain: pxebond found no LACP partner and changed nothing" \
		console live-plain "pxebond: no NIC has an LACP partner: initramfs-tools' network setup runs as without pxebond"
	ok "live-plain: live-boot's own ipconfig got the lease" \
		console live-plain 'IP-Config: (ens|eth)[0-9]+ complete \(dhcp from'
	ok "live-plain: the live system was reached" live_reached live-plain
	ok "live-plain: its payload is intact (sha256)" sha_is live-plain root "$sha_root"
	ok "live-plain: a payload fetched after switch_root is intact" sha_is live-plain net "$sha_net"
	ok "live-plain: no bond" no_bond live-plain
	ok "live-plain: the state says skipped" state_is live-plain 'result=skipped mode=none iface='
	timing live-plain
fi

# ---- the installed system's initramfs: the hook, dropbear-initramfs, an NFS root
trap 'pxe_stop_guest; lab_stop' EXIT
wait_console() { # wait_console NAME ERE SECS: bounded; false if the guest ended first
	local i
	for ((i = 0; i < $3 * 4; i++)); do
		grep -qE -- "$2" "$PXE_WORK/$1.console" 2>/dev/null && return 0
		kill -0 "$PXE_GUEST_PID" 2>/dev/null || return 1
		sleep 0.25
	done
	return 1
}
ip=''
gssh() { # gssh [-v] KEY CMD...: ssh from the server's namespace, KEY only, no password
	local v=()
	[ "$1" != -v ] || { v=(-v) && shift; }
	ip netns exec "$LAB_C" timeout 30 ssh "${v[@]}" -F /dev/null -i "$1" \
		-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \
		-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout=10 "root@$ip" "${@:2}"
}
only_publickey() { # another key is refused, and the server offers publickey only
	local out m
	out=$(gssh -v "$PXE_WORK/other" true </dev/null 2>&1) && return 1
	m=$(tr -d '\r' <<<"$out" | sed -n 's/.*Authentications that can continue: //p' | sort -u)
	[ "$m" = publickey ]
}
report=''
reported() { grep -qE -- "$1" <<<"$report"; }
order_first() { # pxebond's line first in init-premount/ORDER, the hook's own line gone
	local first
	first=$(sed -n '/^== order$/{n;p;q}' <<<"$report")
	[ "$first" = '/usr/lib/pxebond/initramfs-tools.sh premount "$@"' ] &&
		! reported '^/scripts/init-premount/pxebond '
}
ssh_bond_ok() { # /proc/net/bonding/bond0 as the initramfs sees it
	local mode ports
	mode=$(sed -n 's/^Bonding Mode: //p' <<<"$report")
	ports=$(sed -n 's/^\tNumber of ports: //p' <<<"$report" | head -n1)
	[ "$mode" = 'IEEE 802.3ad Dynamic link aggregation' ] && [ "$ports" = 2 ] &&
		[ "$(grep -c '^Slave Interface: ' <<<"$report")" = 2 ]
}

if wanted hook-nfs; then
	# The NFS server starts only once dropbear has been reached: until then initramfs-tools'
	# nfs script retries its mount once a second (ROOTDELAY, 180 s by default).
	rm -f "$PXE_WORK/other" "$PXE_WORK/other.pub"
	ssh-keygen -q -t ed25519 -N '' -C not-allowed -f "$PXE_WORK/other"
	pxe_boot hook-nfs --switch strict --initrd "$it/hook.img" \
		--append "root=/dev/nfs nfsroot=$PXE_SERVER:$nfspath ro pxb.server=$PXE_SERVER $bootif" \
		--timeout 240 >"$PXE_WORK/boot-hook-nfs.log" 2>&1 &
	PXE_GUEST_PID=$!
	if wait_console hook-nfs 'pxebond: up: 802\.3ad on bond0, address [0-9.]+ in ' 150; then
		ip=$(sed -n 's/.*pxebond: up: 802\.3ad on bond0, address \([0-9.]*\) in .*/\1/p' \
			"$PXE_WORK/hook-nfs.console" | head -n1)
	fi
	ok "hook-nfs: pxebond, built in by the hook, brought bond0 up with a lease" test -n "$ip"
	ok "hook-nfs: it ran first in init-premount, before dropbear's network setup" premount_first hook-nfs
	for _ in $(seq 60); do
		ip netns exec "$LAB_C" timeout 2 bash -c "exec 3<>/dev/tcp/$ip/22" 2>/dev/null && break
		sleep 0.5
	done
	report=$(gssh "$it/key" 'cat /proc/net/bonding/bond0; echo; cat /run/net-bond0.conf;
		echo; ip -o -4 addr show; echo "== order"; cat /scripts/init-premount/ORDER;
		echo dropbear-ok' </dev/null 2>/dev/null)
	printf '%s\n' "$report" >"$PXE_WORK/hook-nfs.ssh"
	ok "hook-nfs: ssh into the initramfs' dropbear over the bond, with the key" reported '^dropbear-ok$'
	ok "hook-nfs: another key is refused; only publickey is offered" only_publickey
	ok "hook-nfs: (seen from inside) bond0 is 802.3ad with both members in one aggregator" ssh_bond_ok
	ok "hook-nfs: (seen from inside) the address is bond0's" reported "^[0-9]+: bond0 +inet $ip/"
	ok "hook-nfs: (seen from inside) /run/net-bond0.conf, ipconfig's format, for the nfs script" \
		reported "^IPV4ADDR='$ip'\$"
	ok "hook-nfs: (seen from inside) pxebond heads init-premount's ORDER, once" order_first
	pxe_nfs_start "$it/nfsroot" "$nfspath"
	wait "$PXE_GUEST_PID"
	PXE_GUEST_PID=''
	ok "hook-nfs: configure_networking (dropbear's, the nfs script's) ran no ipconfig" \
		not console hook-nfs 'IP-Config:'
	ok "hook-nfs: it ran no DHCP of its own: one lease for the kernel, pxebond's" \
		count 1 pxe_dhcp hook-nfs kernel DHCPACK
	ok "hook-nfs: the NFS root was reached" live_reached hook-nfs
	ok "hook-nfs: its payload is intact (sha256)" sha_is hook-nfs root "$sha_root"
	ok "hook-nfs: a payload fetched after switch_root is intact" sha_is hook-nfs net "$sha_net"
	ok "hook-nfs: bond0 is 802.3ad, both members in its aggregator, facing the switch" bond_ok hook-nfs
	ok "hook-nfs: switch: both LAG members attached and in sync" switch_in_sync hook-nfs
	timing hook-nfs
fi

if wanted dracut-nfs; then
	[ -e "$LAB_DIR/nfs.pid" ] || pxe_nfs_start "$it/nfsroot" "$nfspath"
	# Debian's dracut nfs module needs the NFS client modules in the image: an image set
	# of its own, so the lab's other images keep their cache.
	img=$(PXB_PXE_CACHE=$root/build/qemu/pxe/itools-dracut \
		PXB_PXE_KMODS="virtio_net virtio_pci bonding nfs nfsv3 nfsv4" \
		"$here/pxe/mkdracut.sh" -a nfs legacy) || lab_die "mkdracut.sh -a nfs legacy failed"
	pxe_boot dracut-nfs --switch strict --initrd "$img" --initrd "$overlay" \
		--append "ip=dhcp root=nfs:$PXE_SERVER:$nfspath ro pxb.server=$PXE_SERVER $bootif" \
		--timeout 180
	ok "dracut-nfs: pxebond's bond0 got a lease over the LAG" \
		console dracut-nfs 'pxebond: up: 802\.3ad on bond0, address [0-9.]+ in '
	ok "dracut-nfs: bond0 handed to network-legacy" \
		console dracut-nfs 'pxebond: bond0 handed to dracut.s network-legacy'
	ok "dracut-nfs: dracut's dhclient never ran" not console dracut-nfs 'Starting dhcp for interface'
	ok "dracut-nfs: the NFS root was reached" live_reached dracut-nfs
	ok "dracut-nfs: its payload is intact (sha256)" sha_is dracut-nfs root "$sha_root"
	ok "dracut-nfs: a payload fetched after switch_root is intact" sha_is dracut-nfs net "$sha_net"
	ok "dracut-nfs: bond0 is 802.3ad, both members in its aggregator, facing the switch" bond_ok dracut-nfs
	ok "dracut-nfs: switch: both LAG members attached and in sync" switch_in_sync dracut-nfs
	timing dracut-nfs
fi

echo "test-itools: $((SECONDS - t_start)) s (images ${t_build} s), work files in $PXE_WORK" >&2
tap_done
