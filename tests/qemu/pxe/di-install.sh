#!/bin/bash
# `make di-install`: as far towards a complete unattended Debian install as the machine's
# Debian archive allows, through the PXE lab's strict LAG, with pxebond's overlay and a
# preseed that says nothing about bonds; then says where it stopped and why. Root, TCG,
# tens of minutes: not a CI tier (tests/qemu/README.md, "make di-install").
#
#   1 mirror   di-mirror.sh: build/qemu/di-mirror/debian, Debian-signed, from apt alone
#   2 base     the mirror as debootstrap will see it (Debian's debootstrap, the version of
#              d-i's debootstrap-udeb, --download-only, in the server's namespace, with
#              the installer's keyring): InRelease valid, every base package there
#   3 install  Debian's netboot installer + build/pxebond-overlay.cpio.gz, PXE-booted on
#              the strict LAG with a 5 GB virtio disk: auto=true priority=critical
#              url=.../preseed.cfg (di-install-preseed.cfg), the text frontend, the
#              installer's syslog sent to the server (log_host=); ends at its power-off,
#              at the first question it asks (an unattended install that asks has
#              stopped), or after PXB_DI_TIMEOUT
#   4 disk     the target read on the host with debugfs (nothing mounted): pxebond's
#              /etc/network/interfaces.d/bond0 and .link files, ifenslave installed,
#              /var/log/installer/pxebond.state and pxebond's lines in the saved syslog
#   5 boot     the installed kernel and initramfs, PXE-loaded by iPXE, root on the disk,
#              on the same strict LAG: the installed Debian's own ifupdown + ifenslave
#              bring the bond up; checked from the server side (dnsmasq's DHCPACK for it,
#              Open vSwitch's lacp/show with both members in sync), nothing in the guest
# From the install on, a phase runs only if the one before got through. Work files
# (consoles, the server's logs, the installer's syslog as received, the disk) are in
# build/qemu/pxe/di-install/; REPORT there says how far it got, why it stopped, and
# each phase's wall time.
# Exit: 0 the whole way, 1 it stopped on the way (REPORT says where), 2 harness failure.
# Env: PXB_DI_TIMEOUT (install boot, s; 7200), PXB_DI_DISK (5G), PXB_PXE_MEM (1024 here),
# lab.sh's (PXB_KEEP, PXB_QEMU_VERBOSE...).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/lab.sh"

di=$root/build/qemu/di
mirror=$root/build/qemu/di-mirror
overlay=$root/build/pxebond-overlay.cpio.gz
export PXB_PXE_MEM=${PXB_PXE_MEM:-1024}
suite=bookworm
t_start=$SECONDS
report=() # lines for REPORT; written once the work dir exists
say() {
	echo "di-install: $*" >&2
	report+=("$*")
}
# phase NAME SECS TEXT: one REPORT line per phase
phase() { say "$(printf 'phase %-8s %5d s  %s' "$1" "$2" "${*:3}")"; }
flush_report() { [ -z "${PXE_WORK:-}" ] || printf '%s\n' "${report[@]}" >"$PXE_WORK/REPORT"; }
die2() {
	say "harness failure: $*"
	flush_report
	exit 2
}

# The checks (run through tap.sh's ok).
# shellcheck disable=SC2317 # called through ok
# shellcheck disable=SC2317 # called through ok
fetched_release() {
	pxe_fetched "$1" /debian/dists/bookworm/Release && pxe_fetched "$1" /debian/dists/bookworm/Release.gpg
}
# shellcheck disable=SC2317 # called through ok
has_links() {
	local m
	for m in $members; do
		[ -n "$(tfile "/etc/systemd/network/10-pxebond-$m.link")" ] || return 1
	done
	[ -n "$members" ]
}
# shellcheck disable=SC2317 # called through ok
has_kernel() {
	[ -s "$PXE_WORK/target.vmlinuz" ] && [ -s "$PXE_WORK/target.initrd.img" ] && [[ $kargs == *root=UUID=* ]]
}
# shellcheck disable=SC2317 # called through ok
grub_in_mbr() { [[ $(dd if="$tdisk" bs=512 count=1 2>/dev/null | tr -d '\0') == *GRUB* ]]; }

[ -f "$overlay" ] || die2 "no $overlay (make overlay)"
"$here/fetch-di.sh" "$di" || die2 "fetch-di.sh failed"

# 1. The mirror, for the netboot kernel's modules, checked with the installer's keyring.
t=$SECONDS
cpio_list=$(zcat "$di/initrd.gz" | cpio -t --quiet 2>/dev/null) || die2 "cannot list $di/initrd.gz"
kabi=$(sed -n 's|^lib/modules/\([^/]*\)$|\1|p' <<<"$cpio_list")
[ -n "$kabi" ] || die2 "no lib/modules/VERSION in $di/initrd.gz"
mkdir -p "$mirror"
# net-retriever's keyring, archive.gpg, is a link its postinst makes to this one.
zcat "$di/initrd.gz" | cpio -i --quiet --to-stdout usr/share/keyrings/debian-archive-keyring.gpg \
	>"$mirror/d-i-archive.gpg" 2>/dev/null
[ -s "$mirror/d-i-archive.gpg" ] || die2 "no debian-archive-keyring.gpg in $di/initrd.gz"
"$here/di-mirror.sh" "$mirror" "$kabi" "$mirror/d-i-archive.gpg" || die2 "di-mirror.sh failed"
# shellcheck source=/dev/null # written by di-mirror.sh
. "$mirror/SIZES"
# shellcheck disable=SC2154 # from SIZES
phase mirror $((SECONDS - t)) "$release; $(du -sh --apparent-size "$mirror/debian/" | cut -f1) served:" \
	"$udeb_files of $udebs_listed udebs ($((udeb_bytes / 1048576)) MiB), $deb_files of" \
	"$debs_listed debs ($((deb_bytes / 1048576)) MiB); the archive lacked $missing_udebs udebs," \
	"$missing_debs debs (build/qemu/di-mirror/MISSING)"
missing_of_initrd() { # the udebs the archive lacked that the netboot initrd has not
	local have
	have=$(zcat "$di/initrd.gz" | cpio -i --quiet --to-stdout var/lib/dpkg/status |
		sed -n 's/^Package: //p')
	awk -v have="$have" 'BEGIN { n = split(have, h, "\n"); for (i = 1; i <= n; i++) in_initrd[h[i]] = 1 }
		$1 == "udeb" && !($2 in in_initrd) { print $2 }' "$mirror/MISSING"
}
mapfile -t lacking < <(missing_of_initrd)

# The lab, the mirror in its web root, the installer's syslog received on the server.
t=$SECONDS
pxe_lab_start "$root/build/qemu/pxe/di-install"
ln -s "$mirror/debian" "$PXE_WWW/debian"
cp "$here/di-install-preseed.cfg" "$PXE_WWW/preseed.cfg"
: >"$PXE_WORK/syslog"
ip netns exec "$LAB_C" "$pxe_python" "$here/di-syslog.py" "$PXE_SERVER" 514 "$PXE_WORK/syslog" \
	2>>"$PXE_WORK/syslog.err" &
echo $! >"$LAB_DIR/di-syslog.pid" # lib.sh's teardown stops it
tdisk=$PXE_WORK/disk.img
truncate -s "${PXB_DI_DISK:-5G}" "$tdisk"
phase lab $((SECONDS - t)) "switch, server, ${PXB_DI_DISK:-5G} sparse disk"

# 2. What d-i's debootstrap will find (it runs only if the installer gets that far).
t=$SECONDS
dbs=$mirror/debootstrap
if [ ! -x "$dbs/usr/sbin/debootstrap" ]; then
	deb=$(find "$mirror/apt/files" -maxdepth 1 -name 'debootstrap_*_all.deb' | sort | tail -n1)
	if [ -z "$deb" ]; then
		(cd "$mirror/apt/files" && APT_CONFIG=$mirror/apt/apt.conf apt-get -q download debootstrap) >&2
		deb=$(find "$mirror/apt/files" -maxdepth 1 -name 'debootstrap_*_all.deb' | sort | tail -n1)
	fi
	[ -n "$deb" ] || die2 "cannot download debootstrap"
	rm -rf "$dbs" && mkdir -p "$dbs" && dpkg-deb -x "$deb" "$dbs"
	dpkg-deb -f "$deb" Version >"$dbs/version"
fi
ip netns exec "$LAB_C" env DEBOOTSTRAP_DIR="$dbs/usr/share/debootstrap" "$dbs/usr/sbin/debootstrap" \
	--download-only --arch=amd64 --keyring="$mirror/d-i-archive.gpg" "$suite" "$PXE_WORK/base" \
	"http://$PXE_SERVER/debian" >"$PXE_WORK/debootstrap.log" 2>&1
dbs_rc=$?
n_base=$(grep -c '^I: Validating ' "$PXE_WORK/debootstrap.log")
ok "base: debootstrap finds a valid Release signature with the installer's keyring" \
	grep -q '^I: Valid Release signature' "$PXE_WORK/debootstrap.log"
ok "base: ... and retrieves and validates every base package ($n_base)" [ "$dbs_rc" = 0 ]
phase base $((SECONDS - t)) "debootstrap $(cat "$dbs/version" 2>/dev/null)" \
	"--download-only: $(grep -m1 '^I: Valid Release signature' "$PXE_WORK/debootstrap.log" || echo 'no valid signature');" \
	"$n_base packages validated, exit $dbs_rc"
rm -rf "$PXE_WORK/base"

# 3. The install.
t=$SECONDS
# The end: the kernel's last line at power-off, or the text frontend's prompt (screen,
# which d-i runs on a serial console, ends its line): an unattended install that asks
# anything has stopped.
asked="^Prompt: '\\?' for help|\\[Press enter to continue\\]"
off='reboot: (Power down|Restarting system)'
pxe_boot di-install --switch strict --kernel "$di/linux" --initrd "$di/initrd.gz" \
	--initrd "$overlay" --disk "$tdisk" --timeout "${PXB_DI_TIMEOUT:-7200}" --until "$asked|$off" \
	--append "auto=true priority=critical url=http://$PXE_SERVER/preseed.cfg
		DEBIAN_FRONTEND=text log_host=$PXE_SERVER"
t_install=$((SECONDS - t))
con=$PXE_WORK/di-install.console
http=$PXE_WORK/di-install.http

# Evidence, whatever the end: the bond, the mirror's authentication, what came over it.
ok "install: pxebond brought bond0 up before netcfg and told netcfg to keep off" \
	pxe_console di-install 'pxebond: bond0 is up with [0-9.]+; netcfg is told to leave the network alone'
ok "install: the installer fetched the preseed (url=) over the bond" pxe_fetched di-install /preseed.cfg
ok "install: ... the mirror's Release and Release.gpg" fetched_release di-install
ok "install: net-retriever's gpgv: a good signature by Debian on Release" \
	grep -qE 'net-retriever: .*(Good signature from "Debian|VALIDSIG)' "$PXE_WORK/syslog"
ok "install: ... and the udebs' Packages, checked against it" \
	pxe_fetched di-install /debian/dists/bookworm/main/debian-installer/binary-amd64/Packages
n_udeb=$(awk '$4 ~ /\.udeb$/ && $5 == 200' "$http" | wc -l)
n_404=$(awk '$5 == 404 && $4 ~ /\/pool\//' "$http" | wc -l)
first_404=$(awk '$5 == 404 && $4 ~ /\/pool\// { print $4; exit }' "$http")
ok "install: the switch kept both LAG members in sync with the installer's bond" \
	pxe_switch_in_sync di-install "end of boot"

# When each step came, in seconds from QEMU's start (the server's log, the console).
t0=$(pxe_time di-install qemu_start)
at() { # at ERE [N]: the Nth request (1st) for a path matching ERE
	awk -v t0="$t0" -v p="$1" -v n="${2:-1}" '$4 ~ p && ++i == n { printf "%.0f", $1 - t0; exit }' "$http"
}
timeline="kernel $(pxe_time di-install kernel_s | cut -d. -f1) s, the preseed for pxebond's check"
timeline+=" $(at '^/preseed.cfg$') s and for d-i $(at '^/preseed.cfg$' 2) s"
timeline+=", Release $(at '/dists/bookworm/Release$') s, udebs' Packages $(at 'debian-installer/binary-amd64/Packages$') s"
timeline+=", first udeb asked $(at '^/debian/pool/.*[.]udeb$') s"
timeline+=", end ($(pxe_time di-install end)) $(awk '/ \(until\) / { printf "%.0f", $1; exit }' \
	"$PXE_WORK/di-install.events") s"
pxbup=$(grep -m1 -oE 'pxebond: up: .*' "$con" | tr -d '\r')

if pxe_console di-install "$off"; then
	phase install "$t_install" "completed: the installer powered off (console: $(grep -m1 -oE "$off" "$con"))"
	say "  ${pxbup:-no pxebond up line}; from QEMU's start: $timeline"
else
	# The question it stopped at: the text frontend's last title (the line above a
	# line of dashes), its text and choices, without screen's escapes.
	q=$(sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g; s/\r$//' "$con" | awk '
		/^-+$/ && prev != "" { q = prev; s = 1; prev = ""; next }
		s && /^Prompt: / { s = 0 }
		s && NF { q = q " / " $0 }
		{ prev = $0 } END { print q }' | tr -s ' ' | cut -c1-500)
	why=${q:-"no question on the console: timeout after ${PXB_DI_TIMEOUT:-7200} s"}
	phase install "$t_install" "STOPPED at the question: $why"
	say "  ${pxbup:-no pxebond up line}; from QEMU's start: $timeline"
	say "  $n_udeb udebs fetched over the bond; $n_404 pool files got 404, the first: ${first_404:--}"
	[ -z "$first_404" ] || say "  ${first_404##*/} is in the signed Packages but not in the mirror:" \
		"the machine's Debian archive does not have it (build/qemu/di-mirror/apt/download.log)"
	say "  the archive lacks ${#lacking[@]} udebs the netboot initrd does not carry, among them:" \
		"$(printf '%s\n' "${lacking[@]}" | grep -xE 'finish-install|grub-installer|debootstrap-udeb|partman-(partitioning|ext3|target|basicfilesystems)|parted-udeb|e2fsprogs-udeb|disk-detect|user-setup-udeb|clock-setup|tzsetup-udeb|apt-setup-udeb|apt-mirror-setup' | tr '\n' ' ')"
	grep -E 'anna|net-retriever|main-menu' "$PXE_WORK/syslog" | tail -n 8 |
		sed 's/^[0-9.]* [0-9.]* /  syslog: /' >"$PXE_WORK/syslog.tail"
	while IFS= read -r l; do say "$l"; done <"$PXE_WORK/syslog.tail"
	say "stopped at phase install; total $((SECONDS - t_start)) s"
	flush_report
	tap_done
	exit 1
fi

# 4. The target disk, read with debugfs at the root partition's offset.
t=$SECONDS
# Linux partitions (type 83) of the DOS label: the first is the root (atomic recipe).
start=$(partx -g -o START,TYPE "$tdisk" 2>/dev/null | awk '$2 == "0x83" { print $1; exit }')
fs="$tdisk?offset=$((${start:-0} * 512))"
dbg() { debugfs -R "$1" "$fs" 2>/dev/null; }
tfile() { dbg "cat $1"; } # tfile PATH: a file of the target
tfile /etc/os-release >"$PXE_WORK/target.os-release"
ok "disk: a Debian root on the disk's first Linux partition" grep -q 'bookworm' "$PXE_WORK/target.os-release"
tfile /var/log/installer/pxebond.state >"$PXE_WORK/target.pxebond.state"
ok "disk: /var/log/installer/pxebond.state says ok" \
	grep -qx "PXEBOND_RESULT='ok'" "$PXE_WORK/target.pxebond.state"
# The installer's names for the members (ens2 ens3: d-i's udev names them first).
members=$(sed -n "s/^PXEBOND_MEMBERS='\(.*\)'$/\1/p" "$PXE_WORK/target.pxebond.state")
tfile /etc/network/interfaces.d/bond0 >"$PXE_WORK/target.bond0"
ok "disk: pxebond wrote /etc/network/interfaces.d/bond0, 802.3ad" \
	grep -qE '^[[:space:]]*bond-mode 802.3ad' "$PXE_WORK/target.bond0"
ok "disk: ... members ${members:-?}" grep -qE "bond-slaves ${members:-?}\$" "$PXE_WORK/target.bond0"
tfile /etc/network/interfaces >"$PXE_WORK/target.interfaces"
ok "disk: /etc/network/interfaces reads interfaces.d" \
	grep -qE '^source(-directory)? /etc/network/interfaces.d' "$PXE_WORK/target.interfaces"
ok "disk: .link files pin the members' names" has_links
tfile /var/lib/dpkg/status >"$PXE_WORK/target.status"
ok "disk: ifenslave is installed" \
	awk -v RS= '/^Package: ifenslave\n/ && /\nStatus: install ok installed\n/ { f = 1 } END { exit !f }' \
	"$PXE_WORK/target.status"
tfile /var/log/installer/syslog >"$PXE_WORK/target.installer-syslog"
ok "disk: the saved installer syslog has pxebond's finish lines" \
	grep -q "pxebond: wrote the installed system's" "$PXE_WORK/target.installer-syslog"
grep 'pxebond' "$PXE_WORK/target.installer-syslog" | tail -n 12 >"$PXE_WORK/target.pxebond-syslog"

# The installed kernel and initramfs, and grub's command line for them.
tfile /boot/grub/grub.cfg >"$PXE_WORK/target.grub.cfg"
kline=$(awk '$1 == "linux" { print; exit }' "$PXE_WORK/target.grub.cfg")
kver=$(sed -n 's|^[[:space:]]*linux[[:space:]]*/boot/vmlinuz-\([^ ]*\).*|\1|p' <<<"$kline")
# shellcheck disable=SC2001 # three edits
kargs=$(sed 's|^[[:space:]]*linux[[:space:]]*[^ ]*||; s/\<quiet\>//g; s/\<console=[^ ]*//g' <<<"$kline")
dbg "dump /boot/vmlinuz-$kver $PXE_WORK/target.vmlinuz" >/dev/null
dbg "dump /boot/initrd.img-$kver $PXE_WORK/target.initrd.img" >/dev/null
ok "disk: grub.cfg boots /boot/vmlinuz-$kver with root=UUID=" has_kernel
ok "disk: GRUB is in the disk's boot sector" grub_in_mbr
phase disk $((SECONDS - t)) "$(du -h "$tdisk" | cut -f1) used of ${PXB_DI_DISK:-5G}; kernel $kver"
if [ ! -s "$PXE_WORK/target.vmlinuz" ]; then
	say "stopped at phase disk: no installed kernel to boot; total $((SECONDS - t_start)) s"
	flush_report
	tap_done
	exit 1
fi

# 5. The installed system, on the same strict LAG. iPXE loads its kernel and initramfs
# (grub's own command line, minus quiet); systemd reaching multi-user or getty's banner
# ends the boot, after networking.service (ifup -a: bond0 and its DHCP) has run. What
# the bond did is judged from the server's side only: the console no longer shows the
# kernel's bonding messages once systemd-sysctl has set kernel.printk (procps).
t=$SECONDS
pxe_boot di-installed --switch strict --kernel "$PXE_WORK/target.vmlinuz" \
	--initrd "$PXE_WORK/target.initrd.img" --disk "$tdisk" --timeout 900 \
	--append "$kargs" --until 'Reached target .*Multi-User System|Debian GNU/Linux 12 .* ttyS0'
t_boot=$((SECONDS - t))
ok "installed: reached multi-user" pxe_console di-installed 'Reached target .*Multi-User System|Debian GNU/Linux 12 .* ttyS0'
ok "installed: the server leased it an address (DHCPACK, not iPXE's)" \
	at_least 1 pxe_dhcp di-installed kernel DHCPACK
ok "installed: the switch has both LAG members in sync with its bond" \
	pxe_switch_in_sync di-installed "end of boot"
lease=$(grep -m1 -oE 'DHCPACK\(srv0\) [0-9.]+ [0-9a-f:]+( [^ ]+)?' "$PXE_WORK/di-installed.dnsmasq" || true)
phase boot "$t_boot" "installed system: ${lease:-no DHCPACK}"
say "total $((SECONDS - t_start)) s"
flush_report
tap_done || exit 1
exit 0
