#!/bin/bash
# The dracut hook's decisions and hand-offs, in seconds: initramfs/lib.sh, dracut.sh and
# dracut-hook.sh run at their real paths in a chroot under busybox sh and under dash, with
# dracut, its network modules and pxebond itself as logging stubs (tests/boot/stubs/);
# every file each hand-off leaves is compared byte for byte, failures included.
#
#   base/     busybox-static and its applets, dash and its libraries (ldd), in the merged
#             /usr layout of Debian's dracut 059 images; the glue from initramfs/
#   N-CASE-SH/  one copy of base per case and shell, the only thing that case touches:
#     /case   its command line, state, up's exit code, what write does
#     /log    every stub's calls (calls), the console (hook.err), the kernel log (kmsg,
#             read from a FIFO at /dev/kmsg)
#     /sys    plain files: NICs, PCI and virtio functions, the bond up makes
# Each run is `unshare --net --uts chroot DIR /bin/sh -c ...`: nothing mounted, and no
# command that slips through can reach the host's network or hostname.
# A second set of cases runs dracut 059's own dracut-lib.sh, net-lib.sh and initqueue
# (dracut-core, dracut-network) instead of the stubs, and the queued job as dracut would.
#
# The binary's own reads (status, cmdline) are the real binary's: pxb_state and pxb_arg
# get what it makes of a hostile state or command line.
#
# Usage: tests/boot/dracut-hook.sh [PXEBOND]   (root: chroot, mknod; ends with "N passed,
# N failed"; PXEBOND defaults to build/pxebond)
# PXB_KEEP=1 keeps the work directory; PXB_INITRAMFS=DIR tests the glue in DIR instead of
# initramfs/ (a copy broken on purpose, say).
# shellcheck disable=SC2016 # the chroot's sh -c programs expand their own variables
set -uo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
stubs=$here/stubs
glue=${PXB_INITRAMFS:-$repo/initramfs}
pxebond=$(cd "$(dirname "${1:-$repo/build/pxebond}")" && pwd)/$(basename "${1:-build/pxebond}")
dracut=/usr/lib/dracut/modules.d
# shellcheck source=tests/tap.sh
. "$repo/tests/tap.sh"

die() {
	echo "boot-hooks: $*"
	echo "0 passed, 1 failed"
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (chroot, mknod)"
[ -x "$pxebond" ] || die "no $pxebond (make)"
ldd "$pxebond" >/dev/null 2>&1 && die "$pxebond is not static (make, STATIC=musl)"
busybox=/bin/busybox
# Debian's busybox-static: the dynamic busybox would need its libraries too.
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is not static (apt-get install busybox-static)"
[ -x "$busybox" ] || die "no $busybox (apt-get install busybox-static)"
dash=$(command -v dash) || die "no dash"
for f in "$dracut/99base/dracut-lib.sh" "$dracut/40network/net-lib.sh" /usr/lib/dracut/dracut-util; do
	[ -e "$f" ] || die "no $f (apt-get install dracut-core dracut-network)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-boot.XXXXXX")
cleanup() {
	[ -z "${kmsg_pid:-}" ] || kill "$kmsg_pid" 2>/dev/null
	if [ -n "${PXB_KEEP:-}" ]; then
		echo "# kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# ---- the chroot every case starts from
base=$work/base
# put SRC DST: SRC (followed) at DST in base, and for an executable the libraries ldd
# names, at their own paths (through base's lib -> usr/lib).
put() {
	local l
	mkdir -p "$base$(dirname "$2")"
	cp -L "$1" "$base$2"
	while read -r l; do
		[ -e "$base$l" ] || { mkdir -p "$base$(dirname "$l")" && cp -L "$l" "$base$l"; }
	done < <(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
}
mkdir -p "$base"/usr/{bin,sbin,lib,lib64} "$base"/{etc,tmp,run,dev,proc,sys,var,case,log}
for d in bin sbin lib lib64; do
	ln -s "usr/$d" "$base/$d"
done
mkdir -p "$base/lib/dracut/hooks/pre-udev" "$base/lib/dracut/hooks/initqueue/online" \
	"$base/lib/dracut/hooks/initqueue/finished" "$base/lib/dracut/hooks/initqueue/settled" \
	"$base/conf/conf.d"
mknod -m 666 "$base/dev/null" c 1 3 || die "mknod $base/dev/null failed"
put "$busybox" /usr/bin/busybox
put "$dash" /usr/bin/dash
# The applets, but none of the names a stub takes or the hook looks for.
for a in $("$busybox" --list); do
	case $a in
	busybox | sh | modprobe | ip | arping | ifup | ifdown | udhcpc) continue ;;
	esac
	[ -e "$base/usr/bin/$a" ] || ln -s busybox "$base/usr/bin/$a"
done
# The glue, where the overlay puts it (initramfs/mkoverlay.sh).
install -D -m 0644 "$glue/lib.sh" "$base/usr/lib/pxebond/lib.sh"
install -D -m 0644 "$glue/dracut.sh" "$base/usr/lib/pxebond/dracut.sh"
install -D -m 0755 "$glue/dracut-online.sh" "$base/usr/lib/pxebond/dracut-online.sh"
install -D -m 0755 "$glue/dracut-hook.sh" "$base/lib/dracut/hooks/pre-udev/40-pxebond.sh"
install -D -m 0644 "$glue/initramfs-tools.conf" "$base/conf/conf.d/zz-pxebond"
install -D -m 0755 "$stubs/pxebond.sh" "$base/usr/lib/pxebond/pxebond"
install -D -m 0755 "$pxebond" "$base/usr/lib/pxebond-test/pxebond"
install -D -m 0755 "$stubs/modprobe.sh" "$base/usr/sbin/modprobe"
for c in initqueue netroot ip arping; do
	install -D -m 0755 "$stubs/record.sh" "$base/usr/sbin/$c"
done
# dracut 059's own libraries, for the cases that use them (dracut_own).
for f in 99base/dracut-lib.sh 99base/dracut-dev-lib.sh 40network/net-lib.sh 99base/initqueue.sh; do
	install -D -m 0644 "$dracut/$f" "$base/usr/lib/pxebond-test/dracut/${f#*/}"
done
put /usr/lib/dracut/dracut-util /usr/lib/dracut/dracut-util
# An online hook, as Anaconda's kickstart fetch would be.
printf '# tests/boot: logs that the online hooks ran, with their interface\necho "online-hook $1" >>/log/calls\n' \
	>"$base/lib/dracut/hooks/initqueue/online/50-record.sh"
mkdir -p "$base/proc/sys/kernel" "$base/usr/lib/pxebond-test"
cat >"$base/usr/lib/pxebond-test/sourced-back.sh" <<'EOF'
# tests/boot: sources $1 (dhclient's dhcpopts) and prints each variable netroot reads.
. "$1"
for v in new_ip_address new_subnet_mask new_routers new_domain_name_servers new_domain_name \
	new_host_name new_root_path new_next_server filename new_dhcp_lease_time; do
	eval "printf '%s=[%s]\\n' \$v \"\${$v-(unset)}\""
done
EOF

# ---- one case
# The machine: three NICs (eth2's driver registers it only as it loads), three Ethernet
# controllers beside a bridge on PCI, a virtio-net and a virtio-blk function.
mac0=52:54:00:b0:01:00 mac1=52:54:00:b0:01:01 mac2=52:54:00:b0:01:02
pci_e1000=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00
pci_virtio=pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00
pci_rtl=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00
pci_bridge=pci:v00008086d00007000sv00001AF4sd00001100bc06sc01i00
virtio_net=virtio:d00000001v00001AF4
virtio_blk=virtio:d00000002v00001AF4

netdev() { # netdev IFACE MAC [TYPE]
	mkdir -p "$r/sys/class/net/$1"
	echo "$2" >"$r/sys/class/net/$1/address"
	echo "${3:-1}" >"$r/sys/class/net/$1/type"
}
device() { # device DIR MODALIAS [CLASS]
	mkdir -p "$r$1"
	echo "$2" >"$r$1/modalias"
	[ -z "${3:-}" ] || echo "$3" >"$r$1/class"
}

n=0
# stage NAME SHELL: a fresh chroot for one case as $r, /bin/sh being SHELL (busybox or
# dash), with the machine above, network-legacy, no command line and up exiting 0.
stage() {
	n=$((n + 1))
	name=$1 sh=$2
	r=$work/$n-$1-$2
	# Hard links: no case writes into a file of base, only new files and renames (stage,
	# flavour and dracut_own remove a file before replacing it).
	cp -al "$base" "$r"
	ln -s "$sh" "$r/usr/bin/sh"
	install -m 0644 "$stubs/dracut-lib.sh" "$r/lib/dracut-lib.sh"
	install -m 0644 "$stubs/net-lib.sh" "$r/lib/net-lib.sh"
	netdev lo 00:00:00:00:00:00 772
	netdev eth0 "$mac0"
	netdev eth1 "$mac1"
	device /sys/bus/pci/devices/0000:00:01.0 "$pci_bridge" 0x060100
	device /sys/bus/pci/devices/0000:00:03.0 "$pci_e1000" 0x020000
	device /sys/bus/pci/devices/0000:00:04.0 "$pci_virtio" 0x020000
	device /sys/bus/pci/devices/0000:00:05.0 "$pci_rtl" 0x020000
	device /sys/bus/virtio/devices/virtio0 "$virtio_net"
	device /sys/bus/virtio/devices/virtio1 "$virtio_blk"
	echo "$pci_rtl eth2 $mac2" >"$r/case/late-nics"
	: >"$r/log/calls"
	flavour legacy
	cmdline ''
	echo 0 >"$r/case/up-rc"
}

exe() { # exe PATH...: executables (that only log, if ever run) in the case's chroot
	local p
	for p in "$@"; do
		mkdir -p "$r$(dirname "$p")"
		install -m 0755 "$stubs/record.sh" "$r$p"
	done
}
# flavour legacy|nm|networkd|none: what dracut's network modules put in the image.
flavour() {
	rm -f "$r/usr/sbin/ifup" "$r/usr/sbin/dhclient" "$r/usr/sbin/NetworkManager" \
		"$r/lib/nm-lib.sh" "$r/usr/lib/systemd/systemd-networkd"
	case $1 in
	legacy) exe /usr/sbin/ifup /usr/sbin/dhclient ;;
	nm)
		exe /usr/sbin/NetworkManager
		echo '# nm-lib.sh' >"$r/lib/nm-lib.sh"
		;;
	networkd) exe /usr/lib/systemd/systemd-networkd ;;
	esac
}
cmdline() { printf '%s' "$1" >"$r/case/cmdline"; }

# sh_kv KEY VALUE: one line of the state, as src/state.c's sh_kv writes it: single-quoted,
# a quote as '\'', each control byte (a newline from the wire) as a space.
sh_kv() {
	local v=${2//[[:cntrl:]]/ }
	printf "%s='%s'\n" "$1" "${v//\'/\'\\\'\'}"
}
state_keys=(STATE_VERSION RESULT MODE IFACE BOND MEMBERS MEMBER_MACS ACTIVE BOND_MAC BOND_OPTS ACTOR_SYSTEM
	PARTNER_SYSTEM PARTNER_KEY IP PREFIX NETMASK BROADCAST ROUTER DNS DOMAIN SEARCH HOSTNAME
	MTU SERVER_ID NEXT_SERVER TFTP_SERVER BOOTFILE ROOT_PATH LEASE_SECONDS RENEW_SECONDS
	REBIND_SECONDS RUNGS RESTORE RESTORE_MTU T_CARRIER_MS T_FIRST_LACPDU_MS T_PROBE_MS
	T_ENSLAVED_MS T_BOND_UP_MS T_PARTNER_SYNC_MS T_COLLECTING_MS T_LEASE_MS)
declare -A S
# state_bond: S is an 802.3ad bond0 over eth0 and eth1 with eth0's MAC, a plain lease;
# eth2 was probed too (no partner).
state_bond() {
	S=([STATE_VERSION]=1 [RESULT]=ok [MODE]=802.3ad [IFACE]=bond0 [BOND]=bond0 [MEMBERS]='eth0 eth1'
		[MEMBER_MACS]="$mac0 $mac1" [ACTIVE]=eth0 [BOND_MAC]=$mac0
		[BOND_OPTS]='mode=802.3ad,miimon=100,lacp_rate=fast,xmit_hash_policy=layer3+4'
		[ACTOR_SYSTEM]=$mac0 [PARTNER_SYSTEM]=02:00:00:00:0a:0a [PARTNER_KEY]=2
		[IP]=10.0.0.102 [PREFIX]=24 [NETMASK]=255.255.255.0 [BROADCAST]=10.0.0.255
		[ROUTER]=10.0.0.1 [DNS]=10.0.0.1 [DOMAIN]=lab.example [SEARCH]='' [HOSTNAME]=node7
		[MTU]='' [SERVER_ID]=10.0.0.1 [NEXT_SERVER]=10.0.0.1 [TFTP_SERVER]=10.0.0.1
		[BOOTFILE]=pxelinux.0 [ROOT_PATH]='' [LEASE_SECONDS]=3600 [RENEW_SECONDS]=1800
		[REBIND_SECONDS]=3150 [RUNGS]=802.3ad:ok [RESTORE]='eth0:down eth1:down eth2:down'
		[RESTORE_MTU]='' [T_CARRIER_MS]=412 [T_FIRST_LACPDU_MS]=415 [T_PROBE_MS]=1203
		[T_ENSLAVED_MS]=1210 [T_BOND_UP_MS]=1215 [T_PARTNER_SYNC_MS]=1890
		[T_COLLECTING_MS]=1902 [T_LEASE_MS]=2750)
}
# state_none RESULT: what up leaves when it changed nothing (skipped) or nothing worked.
state_none() {
	local k
	for k in "${state_keys[@]}"; do S[$k]=''; done
	S[STATE_VERSION]=1 S[RESULT]=$1 S[MODE]=none S[RESTORE]='eth0:down eth1:down eth2:down'
	[ "$1" = failed ] && S[RUNGS]='802.3ad:failed active-backup:failed single:failed'
	return 0
}
# up RC: up exits RC, having written the state S (and, with RC 0, made its bond in /sys).
up() {
	local k
	echo "$1" >"$r/case/up-rc"
	for k in "${state_keys[@]}"; do sh_kv "PXEBOND_$k" "${S[$k]-}"; done >"$r/case/state"
	if [ "$1" = 0 ] && [ -n "${S[BOND]}" ]; then
		mkdir -p "$r/case/sys-up/class/net/bond0/bonding"
		echo "${S[BOND_MAC]}" >"$r/case/sys-up/class/net/bond0/address"
		echo 1 >"$r/case/sys-up/class/net/bond0/type"
	fi
}

# in_chroot TAG PROGRAM: runs PROGRAM in the case's chroot under its shell, its stdout
# and stderr (the console) to /log/TAG.out and /log/TAG.err.
in_chroot() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ TERM=dumb \
		unshare --net --uts chroot "$r" /bin/sh -c "$2" >"$r/log/$1.out" 2>"$r/log/$1.err"
}
# kmsg_start, kmsg_stop: /dev/kmsg for one run of the hook. The real one takes each
# write as one record; a plain file would keep only the last (`echo >/dev/kmsg`
# truncates it). So a FIFO, read into /log/kmsg by a reader that holds it open for
# writing too (no EOF between writers) until a last line of ours has come through.
kmsg_pid=''
kmsg_start() {
	rm -f "$r/dev/kmsg"
	mkfifo "$r/dev/kmsg"
	cat 0<>"$r/dev/kmsg" >"$r/log/kmsg" &
	kmsg_pid=$!
}
kmsg_stop() {
	local i=0
	echo "@@kmsg-end" >"$r/dev/kmsg"
	while [ "$i" -lt 200 ] && ! grep -qx @@kmsg-end "$r/log/kmsg"; do
		sleep 0.01
		i=$((i + 1))
	done
	kill "$kmsg_pid" 2>/dev/null
	wait "$kmsg_pid" 2>/dev/null
	kmsg_pid=''
	rm -f "$r/dev/kmsg"
	sed -i /^@@kmsg-end$/d "$r/log/kmsg"
}
# hook: dracut's pre-udev stage as dracut-pre-udev.sh runs it: dracut-lib.sh, the
# command line stage's variables (/case/env), then every pre-udev hook, sourced. The
# hook's status and the shell's options before and after go to /log/flags.
hook() {
	local applets=''
	# busybox-static's sh runs its own applets before anything in PATH
	# (FEATURE_SH_STANDALONE): only a function comes first.
	[ "$sh" = busybox ] &&
		applets='modprobe() { /usr/sbin/modprobe "$@"; }; ip() { /usr/sbin/ip "$@"; }; arping() { /usr/sbin/arping "$@"; }'
	kmsg_start
	in_chroot hook "export DRACUT_SYSTEMD=1
		. /lib/dracut-lib.sh
		[ -r /case/env ] && . /case/env
		$applets
		echo \"[\$-]\" >/log/flags
		source_hook pre-udev
		echo \"rc=\$? [\$-]\" >>/log/flags"
	kmsg_stop
}

# ---- checks
# same WHAT FILE: FILE holds exactly stdin (a diff follows a failure).
# Builtins only, unless it fails: the tier makes a few thousand checks.
same() {
	local what=$1 file=$2 want='' got=''
	IFS= read -r -d '' want || true
	[ -e "$file" ] && { IFS= read -r -d '' got <"$file" || true; }
	ok "$sh: $name: $what" holds "$file" "$want" "$got"
	if [ ! -e "$file" ]; then
		echo "#   no ${file#"$work"/}"
	elif [ "$want" != "$got" ]; then
		printf '%s' "$want" >"$work/expected"
		diff -u "$work/expected" "$file" 2>&1 | sed 's/^/#   /'
	fi
}
holds() { [[ -e $1 && $2 == "$3" ]]; }
# same_out WHAT CMD...: CMD prints exactly stdin.
same_out() {
	local what=$1
	shift
	"$@" >"$work/got" 2>&1
	same "$what" "$work/got"
}
check() { # check WHAT CMD...
	local what=$1
	shift
	ok "$sh: $name: $what" "$@"
}
calls() { grep -E "^($1)( |\$)" "$r/log/calls"; }
logged() { grep -qE -- "$1" "$r/log/calls"; }
tree() { [ -e "$r$1" ] && (cd "$r$1" && find . -mindepth 1 -printf '%P\n' | sort); }
none() { [ ! -e "$r$1" ]; }
between() { [ "$1" -le "$2" ] && [ "$2" -le "$3" ]; }
# console LINE...: the console said exactly these lines, each "pxebond: LINE", and
# /dev/kmsg the same with its priority: 4 for "warn: LINE", 3 for "err: LINE", else 6.
# "stub: LINE" is a stub's own stderr: on the console as it is, not in the kernel log.
console() {
	local l
	for l in "$@"; do
		case $l in
		stub:*) echo "${l#stub: }" ;;
		warn:* | err:*) echo "pxebond: ${l#*: }" ;;
		*) echo "pxebond: $l" ;;
		esac
	done >"$work/console"
	same "the console" "$r/log/hook.err" <"$work/console"
	for l in "$@"; do
		case $l in
		stub:*) ;;
		warn:*) echo "<4>pxebond: ${l#warn: }" ;;
		err:*) echo "<3>pxebond: ${l#err: }" ;;
		*) echo "<6>pxebond: $l" ;;
		esac
	done >"$work/kmsg"
	same "the kernel log" "$r/log/kmsg" <"$work/kmsg"
}
# returned: the hook returned 0 into dracut's shell and left its options as they were.
returned() {
	local before='' after=''
	{ read -r before && read -r after; } <"$r/log/flags"
	check "the hook returns 0 into dracut's shell, options as they were ($after)" \
		[ "$after" = "rc=0 $before" ]
}
# nothing_done: the hook stepped aside before loading a driver or running pxebond.
nothing_done() {
	check "no driver loaded, pxebond not run" eval '! calls "modprobe|pxebond" >/dev/null'
	check "no /run/pxebond" none /run/pxebond
	same_out "nothing in /tmp" tree /tmp </dev/null
}

probing() { echo "dracut with $1: probing the NICs for LACP before the network starts"; }
loaded="NIC drivers loaded: 3 Ethernet interfaces for 3 network controllers"
no_lacp="no NIC has an LACP partner: dracut's network setup runs as without pxebond"
no_path="warn: no path came up; the NICs are as they were and dracut's network setup runs as without pxebond"
up_call="pxebond up --if-lacp --cmdline /run/pxebond/cmdline"
nm_dir=/run/NetworkManager/system-connections
finished=/lib/dracut/hooks/initqueue/finished

# ---- cases: where the hook steps aside
case_off() {
	stage off "$1"
	cmdline "ip=dhcp rd.neednet=1 BOOTIF=01-52-54-00-b0-01-00 pxebond=off"
	hook
	console "pxebond=off: dracut's network setup runs as without pxebond"
	returned
	nothing_done
}

case_cmdline_sets_up() {
	local c
	for c in "bond=bond0:eth0,eth1:mode=802.3ad ip=bond0:dhcp" bond "team=team0:eth0,eth1" \
		"bridge=br0:eth0" "vlan=vlan5:eth0 ip=vlan5:dhcp"; do
		stage "cmdline-${c%% *}" "$1"
		cmdline "rd.neednet=1 $c"
		hook
		console "the command line sets up bond=, team=, bridge= or vlan= itself: leaving the network to dracut"
		returned
		nothing_done
	done
}

case_no_module() {
	local v
	for v in nothing ifup-no-dhclient dhclient-no-ifup nm-no-lib; do
		stage "no-module-$v" "$1"
		cmdline "ip=dhcp rd.neednet=1"
		flavour none
		case $v in
		ifup-no-dhclient) exe /usr/sbin/ifup ;;
		dhclient-no-ifup) exe /usr/sbin/dhclient ;;
		nm-no-lib) exe /usr/sbin/NetworkManager ;;
		esac
		[ "$v" = nothing ] && rm "$r/lib/net-lib.sh"
		hook
		console "warn: dracut without network-legacy, network-manager or systemd-networkd: doing nothing"
		returned
		nothing_done
	done
}

case_no_network() {
	local c
	for c in "BOOTIF=01-52-54-00-b0-01-00" "ip=dhcp rd.neednet=0"; do
		stage "no-network-${c%%[=: ]*}" "$1"
		cmdline "$c"
		hook
		console "this boot needs no network (no ip=, rd.neednet or network root): doing nothing"
		returned
		nothing_done
	done
}

# Which module the image has, as the hook tells: NetworkManager by its initrd unit
# (dracut-ng) as well as by nm-lib.sh, and before network-legacy when both are there.
case_flavours() {
	local v
	for v in nm-unit nm-and-legacy; do
		stage "flavour-$v" "$1"
		cmdline "ip=dhcp rd.neednet=1"
		flavour nm
		if [ "$v" = nm-unit ]; then
			rm "$r/lib/nm-lib.sh"
			mkdir -p "$r/usr/lib/systemd/system"
			echo '[Unit]' >"$r/usr/lib/systemd/system/NetworkManager-initrd.service"
		else
			exe /usr/sbin/ifup /usr/sbin/dhclient
		fi
		state_none skipped
		up 4
		hook
		console "$(probing network-manager)" "$loaded" "$no_lacp"
		returned
	done
}

# ---- cases: up changed nothing
# up_nothing FLAVOUR RC: up exits RC (4: no LACP partner, 1: nothing worked).
case_up_nothing() {
	local fl=$2 rc=$3 g
	stage "up$rc-$fl" "$1"
	flavour "$fl"
	cmdline "ip=dhcp rd.neednet=1 BOOTIF=01-52-54-00-b0-01-00"
	if [ "$fl" = nm ]; then
		mkdir -p "$r$nm_dir" "$r/run/NetworkManager/conf.d"
		for g in default_connection eth0; do
			printf '[connection]\nid=%s\n' "$g" >"$r$nm_dir/$g.nmconnection"
			chmod 600 "$r$nm_dir/$g.nmconnection"
		done
		echo '[device-15-carrier-timeout]' >"$r/run/NetworkManager/conf.d/15-carrier-timeout.conf"
	fi
	mkdir -p "$r/run/NetworkManager"
	rm -rf "$work/nm-before"
	cp -a "$r/run/NetworkManager" "$work/nm-before"
	if [ "$rc" = 4 ]; then state_none skipped; else state_none failed; fi
	up "$rc"
	hook
	if [ "$rc" = 4 ]; then
		console "$(probing "$(fl_name "$fl")")" "$loaded" "$no_lacp"
	else
		console "$(probing "$(fl_name "$fl")")" "$loaded" "$no_path"
	fi
	returned
	same_out "pxebond up only, with dracut's command line" calls pxebond <<<"$up_call"
	check "up's --cmdline file is getcmdline's" cmp "$r/case/cmdline" "$r/log/up-cmdline"
	check "no setup_net, no initqueue job" eval '! calls "setup_net|initqueue" >/dev/null'
	same_out "nothing in /tmp (no did-setup, no lease files)" tree /tmp </dev/null
	check "/run/NetworkManager as it was" diff -r "$work/nm-before" "$r/run/NetworkManager"
	same_out "/run/pxebond: the command line, the state, the binary" tree /run/pxebond <<-EOF
		cmdline
		pxebond
		state
	EOF
	rm -rf "$work/nm-before"
}
fl_name() {
	case $1 in
	legacy) echo network-legacy ;;
	nm) echo network-manager ;;
	networkd) echo systemd-networkd ;;
	esac
}

case_no_bonding() {
	stage no-bonding "$1"
	cmdline "ip=dhcp rd.neednet=1"
	: >"$r/case/no-bonding"
	state_none skipped
	up 4
	hook
	console "$(probing network-legacy)" "warn: cannot load bonding.ko: only single-NIC paths will work" \
		"$loaded" "$no_lacp"
	returned
	same_out "pxebond up runs all the same" calls pxebond <<<"$up_call"
}

# A controller whose netdev never comes: a bounded wait, then up runs anyway.
case_nic_missing() {
	local t0 t
	stage nic-missing "$1"
	cmdline "ip=dhcp rd.neednet=1"
	rm "$r/case/late-nics"
	state_none skipped
	up 4
	t0=$(date +%s%N)
	hook
	t=$((($(date +%s%N) - t0) / 1000000))
	console "$(probing network-legacy)" "NIC drivers loaded: 2 Ethernet interfaces for 3 network controllers" \
		"$no_lacp"
	check "waits about 3 s for the missing NIC, no longer (${t} ms)" between 2500 "$t" 8000
	same_out "pxebond up runs all the same" calls pxebond <<<"$up_call"
}

# up says a path is up but its state cannot be handed on (none: /run full; no
# interface): take the path down again rather than leave it to fight dracut's setup.
case_state_unusable() {
	local v
	for v in missing no-iface; do
		stage "state-$v" "$1"
		cmdline "ip=dhcp rd.neednet=1"
		state_bond
		[ "$v" = no-iface ] && S[IFACE]=''
		up 0
		[ "$v" = missing ] && rm "$r/case/state"
		hook
		console "$(probing network-legacy)" "$loaded" \
			"warn: up left no usable /run/pxebond/state: its path taken down again; dracut's network setup runs as without pxebond"
		returned
		same_out "pxebond up, then down" calls pxebond <<-EOF
			$up_call
			pxebond down
		EOF
		same_out "nothing in /tmp" tree /tmp </dev/null
	done
}

# ---- cases: network-legacy
l63=$(printf 'a%.0s' {1..63}) l64=$(printf 'b%.0s' {1..64})
l255=$l63.$l63.$l63.$l63
# A lease whose strings came off the wire: quotes, command substitutions, a newline and
# a tab (spaces in the state, as state.c writes them), globs, names DNS would refuse.
hostile_lease() {
	S[ROUTER]='10.0.0.1 10.0.0.254' S[DNS]='10.0.0.1 10.0.0.2'
	S[DOMAIN]=$'lab.example\'$(touch /tmp/pwned-domain)\'\n`touch /tmp/pwned-bq`'
	S[SEARCH]="lab.example * ok.example"$'\n'"a..b -dash.example bad-.example \$(touch /tmp/pwned-search) x'y;touch /tmp/pwned-semi"$'\t'"sub.ok.example fq.example. $l64.example $l63.example $l255 ?"
	S[HOSTNAME]=$'node7\'; touch /tmp/pwned-host; echo \'\nx'
	S[ROOT_PATH]="nfs:10.0.0.1:/srv/o'brien \$(touch /tmp/pwned-root)"
	S[BOOTFILE]='grub/$(touch /tmp/pwned-boot)x64.efi'
}
# sourced_back FILE: what sh reads back from FILE, one VAR=[VALUE] per line.
sourced_back() {
	in_chroot back "set -- $1; . /usr/lib/pxebond-test/sourced-back.sh"
	cat "$r/log/back.out" "$r/log/back.err"
}
no_pwned() { [ -z "$(find "$r" -name 'pwned*')" ]; }

case_legacy_hostile() {
	stage legacy-hostile "$1"
	cmdline "ip=dhcp BOOTIF=01-52-54-00-b0-01-00 root=live:http://10.0.0.1/root.squashfs"
	echo 'netroot=livenet:http://10.0.0.1/root.squashfs' >"$r/case/env"
	state_bond
	hostile_lease
	up 0
	hook
	console "$(probing network-legacy)" "$loaded" \
		"bond0 handed to dracut's network-legacy: online hooks and netroot queued"
	returned
	check "nothing from the lease ran (no /tmp/pwned-*)" no_pwned
	same "resolv.conf: only the valid names, then the servers" "$r/tmp/net.bond0.resolv.conf" <<-EOF
		search lab.example ok.example sub.ok.example fq.example. $l63.example
		nameserver 10.0.0.1
		nameserver 10.0.0.2
	EOF
	same "the default route, via the first router" "$r/tmp/net.bond0.gw" <<-'EOF'
		ip route replace default via '10.0.0.1' dev 'bond0'
	EOF
	check "no hostname file for a hostname DNS would refuse" none /tmp/net.bond0.hostname
	same "dhcpopts, each value quoted for sh (pxb_kv); the domain and hostname empty" \
		"$r/tmp/dhclient.bond0.dhcpopts" <<-'EOF'
			new_ip_address='10.0.0.102'
			new_subnet_mask='255.255.255.0'
			new_routers='10.0.0.1 10.0.0.254'
			new_domain_name_servers='10.0.0.1 10.0.0.2'
			new_domain_name=''
			new_host_name=''
			new_next_server='10.0.0.1'
			filename='grub/$(touch /tmp/pwned-boot)x64.efi'
			new_root_path='nfs:10.0.0.1:/srv/o'\''brien $(touch /tmp/pwned-root)'
			new_dhcp_lease_time='3600'
		EOF
	same_out "dhcpopts sources back to the lease's values" sourced_back /tmp/dhclient.bond0.dhcpopts <<-'EOF'
		new_ip_address=[10.0.0.102]
		new_subnet_mask=[255.255.255.0]
		new_routers=[10.0.0.1 10.0.0.254]
		new_domain_name_servers=[10.0.0.1 10.0.0.2]
		new_domain_name=[]
		new_host_name=[]
		new_root_path=[nfs:10.0.0.1:/srv/o'brien $(touch /tmp/pwned-root)]
		new_next_server=[10.0.0.1]
		filename=[grub/$(touch /tmp/pwned-boot)x64.efi]
		new_dhcp_lease_time=[3600]
	EOF
	check "... and runs nothing" no_pwned
	same "net.bond0.up" "$r/tmp/net.bond0.up" </dev/null
	same "net.ifaces: bond0 first" "$r/tmp/net.ifaces" <<<"bond0 "
	same "net.bootdev" "$r/tmp/net.bootdev" <<<bond0
	same "setup_net finds every probed NIC set up, by name and MAC, but not bond0 (eth0's MAC)" \
		"$r/log/did-setup-at-setup_net" <<-EOF
			net.$mac1.did-setup
			net.$mac2.did-setup
			net.eth0.did-setup
			net.eth1.did-setup
			net.eth2.did-setup
		EOF
	sort >"$work/tmp-list" <<-EOF
		dhclient.bond0.dhcpopts
		net.bond0.gw
		net.bond0.resolv.conf
		net.bond0.up
		net.bootdev
		net.ifaces
		net.$mac1.did-setup
		net.$mac2.did-setup
		net.eth0.did-setup
		net.eth1.did-setup
		net.eth2.did-setup
	EOF
	same "setup_net finds every file it reads" "$r/log/tmp-at-setup_net" <"$work/tmp-list"
	same_out "/tmp: those files and nothing else" tree /tmp <"$work/tmp-list"
	same_out "setup_net bond0 once, then the online job queued" calls "setup_net|initqueue" <<-'EOF'
		setup_net bond0
		initqueue --onetime --unique --name pxebond-online-bond0 /usr/lib/pxebond/dracut-online.sh bond0
	EOF
	same_out "pxebond up, nothing else" calls pxebond <<<"$up_call"
	check "up's --cmdline file is getcmdline's" cmp "$r/case/cmdline" "$r/log/up-cmdline"
	check "the binary kept in /run/pxebond" cmp "$r/usr/lib/pxebond/pxebond" "$r/run/pxebond/pxebond"
	sort >"$work/modprobe" <<-EOF
		modprobe -q -b $pci_virtio
		modprobe -q -b $pci_e1000
		modprobe -q -b $pci_rtl
		modprobe -q -b $virtio_net
	EOF
	same_out "drivers: the three Ethernet controllers' and virtio-net's, not the others'" \
		eval 'calls modprobe | grep -e " -b " | sort' <"$work/modprobe"
	check "... and bonding" logged '^modprobe .*\<bonding\>'
	check "... and af_packet" logged '^modprobe .*\<af_packet\>'
	check "nothing for NetworkManager or networkd" eval 'none /run/NetworkManager && none /run/systemd'
}

# A plain lease on the last rung, one NIC (eth1), and an interface list from ip=.
case_legacy_single() {
	stage legacy-single "$1"
	cmdline "ip=eth0:dhcp BOOTIF=01-52-54-00-b0-01-01"
	echo eth0 >"$r/tmp/net.ifaces"
	state_bond
	S[MODE]=single S[IFACE]=eth1 S[BOND]='' S[MEMBERS]=eth1 S[MEMBER_MACS]=$mac1 S[ACTIVE]=eth1
	S[BOND_MAC]='' S[BOND_OPTS]='' S[RUNGS]='802.3ad:failed active-backup:failed single:ok'
	up 0
	hook
	console "$(probing network-legacy)" "$loaded" \
		"eth1 handed to dracut's network-legacy: online hooks and netroot queued"
	returned
	same "resolv.conf: the domain as the search list" "$r/tmp/net.eth1.resolv.conf" <<-'EOF'
		search lab.example
		nameserver 10.0.0.1
	EOF
	same "the default route" "$r/tmp/net.eth1.gw" <<<"ip route replace default via '10.0.0.1' dev 'eth1'"
	same "the hostname" "$r/tmp/net.eth1.hostname" <<<"echo 'node7' > /proc/sys/kernel/hostname"
	same "dhcpopts with the domain and hostname" "$r/tmp/dhclient.eth1.dhcpopts" <<-'EOF'
		new_ip_address='10.0.0.102'
		new_subnet_mask='255.255.255.0'
		new_routers='10.0.0.1'
		new_domain_name_servers='10.0.0.1'
		new_domain_name='lab.example'
		new_host_name='node7'
		new_next_server='10.0.0.1'
		filename='pxelinux.0'
		new_root_path=''
		new_dhcp_lease_time='3600'
	EOF
	same "net.ifaces: eth1, then what ip= listed" "$r/tmp/net.ifaces" <<<"eth1 eth0"
	same "net.bootdev" "$r/tmp/net.bootdev" <<<eth1
	same "setup_net finds the other NICs set up, not eth1 by name or MAC" \
		"$r/log/did-setup-at-setup_net" <<-EOF
			net.$mac0.did-setup
			net.$mac2.did-setup
			net.eth0.did-setup
			net.eth2.did-setup
		EOF
	same_out "setup_net eth1 once, then the online job queued" calls "setup_net|initqueue" <<-'EOF'
		setup_net eth1
		initqueue --onetime --unique --name pxebond-online-eth1 /usr/lib/pxebond/dracut-online.sh eth1
	EOF
}

# ---- cases: NetworkManager and systemd-networkd
# generator: what nm-initrd-generator left for ip=dhcp and ip=eth0:dhcp, 0600 root's.
generator() {
	local g
	mkdir -p "$r$nm_dir" "$r/run/NetworkManager/conf.d"
	for g in default_connection eth0; do
		printf '[connection]\nid=%s\ntype=ethernet\n' "$g" >"$r$nm_dir/$g.nmconnection"
		chmod 600 "$r$nm_dir/$g.nmconnection"
	done
	echo '[device-15-carrier-timeout]' >"$r/run/NetworkManager/conf.d/15-carrier-timeout.conf"
	rm -rf "$work/nm-before"
	cp -a "$r/run/NetworkManager" "$work/nm-before"
}
modes() { (cd "$r$1" && stat -c '%a %U %n' -- *); }
nm_write="pxebond write --root /run/pxebond/nm --format nm --initrd"

case_nm() {
	local g
	stage nm "$1"
	flavour nm
	cmdline "ip=dhcp rd.neednet=1 BOOTIF=01-52-54-00-b0-01-00 root=live:http://10.0.0.1/root.squashfs"
	generator
	state_bond
	up 0
	hook
	console "$(probing network-manager)" "$loaded" \
		"set aside nm-initrd-generator's profile default_connection.nmconnection (in /run/pxebond/nm-generated)" \
		"set aside nm-initrd-generator's profile eth0.nmconnection (in /run/pxebond/nm-generated)" \
		"bond0 handed to NetworkManager: profiles in $nm_dir"
	returned
	same_out "/run/NetworkManager: pxebond's profiles, neednet, the generator's conf.d" \
		tree /run/NetworkManager <<-'EOF'
			conf.d
			conf.d/15-carrier-timeout.conf
			initrd
			initrd/neednet
			system-connections
			system-connections/bond0-member1.nmconnection
			system-connections/bond0-member2.nmconnection
			system-connections/bond0.nmconnection
		EOF
	same_out "pxebond's profiles are write's, 0600 and root's (NetworkManager ignores others)" \
		modes "$nm_dir" <<-'EOF'
			600 root bond0-member1.nmconnection
			600 root bond0-member2.nmconnection
			600 root bond0.nmconnection
		EOF
	same "bond0.nmconnection as write wrote it" "$r$nm_dir/bond0.nmconnection" \
		<<<"# pxebond write --format nm: bond0.nmconnection"
	for g in default_connection eth0; do
		check "the generator's $g profile in /run/pxebond/nm-generated, unchanged" \
			cmp "$work/nm-before/system-connections/$g.nmconnection" "$r/run/pxebond/nm-generated/$g.nmconnection"
	done
	same_out "... still 0600 and root's" modes /run/pxebond/nm-generated <<-'EOF'
		600 root default_connection.nmconnection
		600 root eth0.nmconnection
	EOF
	same_out "write's staging root left empty" tree /run/pxebond/nm <<-'EOF'
		etc
		etc/NetworkManager
		etc/NetworkManager/system-connections
	EOF
	same "neednet" "$r/run/NetworkManager/initrd/neednet" </dev/null
	same "the initqueue waits for nm-run.sh" "$r$finished/nm.sh" <<<'[ -f /tmp/nm.done ]'
	same_out "pxebond up, then write --initrd into its staging root" calls pxebond <<-EOF
		$up_call
		$nm_write
	EOF
	same_out "nothing in /tmp" tree /tmp </dev/null
	check "no setup_net, no initqueue job" eval '! calls "setup_net|initqueue" >/dev/null'
}

case_nm_write_fails() {
	stage nm-write-fails "$1"
	flavour nm
	cmdline "ip=dhcp rd.neednet=1 BOOTIF=01-52-54-00-b0-01-00"
	generator
	: >"$r/case/write-fails"
	state_bond
	up 0
	hook
	console "$(probing network-manager)" "$loaded" \
		"set aside nm-initrd-generator's profile default_connection.nmconnection (in /run/pxebond/nm-generated)" \
		"set aside nm-initrd-generator's profile eth0.nmconnection (in /run/pxebond/nm-generated)" \
		"stub: pxebond: /run/pxebond/nm/etc: cannot write (the case says so)" \
		"err: cannot write NetworkManager profiles: NetworkManager's own are back" \
		"warn: bond0 taken down again; dracut's network setup runs as without pxebond"
	returned
	check "/run/NetworkManager exactly as the generator left it" diff -r "$work/nm-before" "$r/run/NetworkManager"
	same_out "... its profiles still 0600 and root's" modes "$nm_dir" <<-'EOF'
		600 root default_connection.nmconnection
		600 root eth0.nmconnection
	EOF
	check "no neednet, no finished hook from pxebond" eval "none /run/NetworkManager/initrd && none $finished/nm.sh"
	same_out "pxebond up, write, then down" calls pxebond <<-EOF
		$up_call
		$nm_write
		pxebond down
	EOF
	same_out "nothing in /tmp" tree /tmp </dev/null
}

# write fails with no generator profile to put back (rd.neednet alone).
case_nm_write_fails_empty() {
	stage nm-write-fails-empty "$1"
	flavour nm
	cmdline "rd.neednet=1"
	: >"$r/case/write-fails"
	state_bond
	up 0
	hook
	console "$(probing network-manager)" "$loaded" \
		"stub: pxebond: /run/pxebond/nm/etc: cannot write (the case says so)" \
		"err: cannot write NetworkManager profiles: NetworkManager's own are back" \
		"warn: bond0 taken down again; dracut's network setup runs as without pxebond"
	same_out "no profile in $nm_dir" tree "$nm_dir" </dev/null
	same_out "pxebond up, write, then down" calls pxebond <<-EOF
		$up_call
		$nm_write
		pxebond down
	EOF
}

# write exits 0 but writes no profile: not a hand-off either.
case_nm_write_empty() {
	stage nm-write-empty "$1"
	flavour nm
	cmdline "ip=dhcp rd.neednet=1 BOOTIF=01-52-54-00-b0-01-00"
	generator
	: >"$r/case/write-empty"
	state_bond
	up 0
	hook
	console "$(probing network-manager)" "$loaded" \
		"set aside nm-initrd-generator's profile default_connection.nmconnection (in /run/pxebond/nm-generated)" \
		"set aside nm-initrd-generator's profile eth0.nmconnection (in /run/pxebond/nm-generated)" \
		"err: no NetworkManager profile for bond0: NetworkManager's own are back" \
		"warn: bond0 taken down again; dracut's network setup runs as without pxebond"
	check "/run/NetworkManager exactly as the generator left it" diff -r "$work/nm-before" "$r/run/NetworkManager"
	same_out "pxebond up, write, then down" calls pxebond <<-EOF
		$up_call
		$nm_write
		pxebond down
	EOF
}

# A lease with no name server and no search list: no resolv.conf file for setup_net to
# copy over /etc/resolv.conf (dhclient-script writes none either).
case_legacy_no_dns() {
	stage legacy-no-dns "$1"
	cmdline "ip=dhcp rd.neednet=1"
	state_bond
	S[DNS]='' S[DOMAIN]='' S[SEARCH]=''
	up 0
	hook
	returned
	check "no /tmp/net.bond0.resolv.conf" none /tmp/net.bond0.resolv.conf
	check "the route file all the same" test -e "$r/tmp/net.bond0.gw"
}

networkd_write="pxebond write --root /run/pxebond/networkd --format networkd --initrd"
# networkd_generator: systemd-network-generator's file for ip=dhcp.
networkd_generator() {
	mkdir -p "$r/run/systemd/network"
	printf '[Match]\nKind=!*\nType=ether\n\n[Network]\nDHCP=yes\n' >"$r/run/systemd/network/91-default.network"
	cp "$r/run/systemd/network/91-default.network" "$work/91-default.network"
}

case_networkd() {
	stage networkd "$1"
	flavour networkd
	cmdline "ip=dhcp rd.neednet=1"
	networkd_generator
	state_bond
	up 0
	hook
	console "$(probing systemd-networkd)" "$loaded" \
		"bond0 handed to systemd-networkd: files in /run/systemd/network"
	returned
	same_out "/run/systemd/network: pxebond's files before the generator's" modes /run/systemd/network <<-'EOF'
		644 root 10-pxebond-bond0-member1.network
		644 root 10-pxebond-bond0-member2.network
		644 root 10-pxebond-bond0.netdev
		644 root 10-pxebond-bond0.network
		644 root 91-default.network
	EOF
	same "bond0.netdev as write wrote it" "$r/run/systemd/network/10-pxebond-bond0.netdev" \
		<<<"# pxebond write --format networkd: 10-pxebond-bond0.netdev"
	check "the generator's file unchanged" cmp "$work/91-default.network" "$r/run/systemd/network/91-default.network"
	same_out "pxebond up, then write --initrd into its staging root" calls pxebond <<-EOF
		$up_call
		$networkd_write
	EOF
	same_out "nothing in /tmp" tree /tmp </dev/null
	check "nothing for NetworkManager" none /run/NetworkManager
}

case_networkd_write_fails() {
	stage networkd-write-fails "$1"
	flavour networkd
	cmdline "ip=dhcp rd.neednet=1"
	networkd_generator
	: >"$r/case/write-fails"
	state_bond
	up 0
	hook
	console "$(probing systemd-networkd)" "$loaded" \
		"stub: pxebond: /run/pxebond/networkd/etc: cannot write (the case says so)" \
		"err: cannot write systemd-networkd files: networkd's own setup runs" \
		"warn: bond0 taken down again; dracut's network setup runs as without pxebond"
	returned
	same_out "/run/systemd/network: the generator's file only" tree /run/systemd/network <<<91-default.network
	same_out "pxebond up, write, then down" calls pxebond <<-EOF
		$up_call
		$networkd_write
		pxebond down
	EOF
}

# ---- cases: with dracut 059's own dracut-lib.sh, net-lib.sh and initqueue
# dracut_own: the case's chroot gets them instead of the stubs; the command line is then
# /proc/cmdline (a plain file) and /etc/cmdline.d, read by dracut-getarg.
dracut_own() {
	local f
	for f in dracut-lib.sh dracut-dev-lib.sh net-lib.sh; do
		install -m 0644 "$base/usr/lib/pxebond-test/dracut/$f" "$r/lib/$f"
	done
	rm "$r/usr/sbin/initqueue"
	install -m 0755 "$base/usr/lib/pxebond-test/dracut/initqueue.sh" "$r/usr/sbin/initqueue"
	ln -s ../lib/dracut/dracut-util "$r/usr/bin/dracut-getarg"
	ln -s ../lib/dracut/dracut-util "$r/usr/bin/dracut-getargs"
	cp "$r/case/cmdline" "$r/proc/cmdline"
}

# own_decides SH N CMDLINE [LINE]: with CMDLINE, the hook steps aside saying LINE, or
# without LINE runs up (which finds no LACP partner here).
own_decides() {
	stage "dracut059-cmdline$2" "$1"
	cmdline "$3"
	dracut_own
	state_none skipped
	up 4
	hook
	if [ -n "${4:-}" ]; then
		console "$4"
		returned
		nothing_done
	else
		console "$(probing network-legacy)" "$loaded" "$no_lacp"
		returned
		same_out "pxebond up with dracut's command line" calls pxebond <<<"$up_call"
	fi
}
case_own_decisions() {
	local aside="the command line sets up bond=, team=, bridge= or vlan= itself: leaving the network to dracut"
	local nonet="this boot needs no network (no ip=, rd.neednet or network root): doing nothing"
	own_decides "$1" 1 "ip=dhcp rd.neednet=1 pxebond=off" "pxebond=off: dracut's network setup runs as without pxebond"
	own_decides "$1" 2 "ip=dhcp rd.neednet=1 pxebond=off pxebond=auto"
	own_decides "$1" 3 "ip=dhcp rd.neednet=1 bond" "$aside"
	own_decides "$1" 4 "ip=bond0:dhcp rd.neednet=1 bond=bond0:eth0,eth1:mode=802.3ad" "$aside"
	own_decides "$1" 5 "ip=team0:dhcp rd.neednet=1 team=team0:eth0,eth1" "$aside"
	own_decides "$1" 6 "ip=br0:dhcp rd.neednet=1 bridge=br0:eth0" "$aside"
	own_decides "$1" 7 "ip=vlan5:dhcp rd.neednet=1 vlan=vlan5:eth0" "$aside"
	own_decides "$1" 8 "ip=dhcp rd.neednet rd.bond=x bonding.max_bonds=0"
	own_decides "$1" 9 "ip=dhcp rd.neednet=0" "$nonet"
	own_decides "$1" 10 "ip=dhcp" "$nonet"
	# A kickstart hook's rd.neednet in /etc/cmdline.d counts, and reaches up.
	stage dracut059-cmdline.d "$1"
	cmdline "ip=dhcp inst.ks=http://10.0.0.1/ks.cfg"
	dracut_own
	mkdir -p "$r/etc/cmdline.d"
	echo rd.neednet=1 >"$r/etc/cmdline.d/40-ks.conf"
	state_none skipped
	up 4
	hook
	console "$(probing network-legacy)" "$loaded" "$no_lacp"
	check "up's --cmdline has /etc/cmdline.d's rd.neednet=1" grep -qw -- rd.neednet=1 "$r/log/up-cmdline"
	check "... and /proc/cmdline's inst.ks=" grep -qw -- inst.ks=http://10.0.0.1/ks.cfg "$r/log/up-cmdline"
}

# own_legacy SH plain|hostile: network-legacy with dracut's own setup_net, initqueue and
# the job run as dracut-initqueue runs it.
case_own_legacy() {
	local job=/lib/dracut/hooks/initqueue/pxebond-online-bond0.sh
	stage "dracut059-legacy-$2" "$1"
	cmdline "ip=dhcp BOOTIF=01-52-54-00-b0-01-00 root=live:http://10.0.0.1/root.squashfs"
	dracut_own
	echo 'netroot=livenet:http://10.0.0.1/root.squashfs' >"$r/case/env"
	state_bond
	if [ "$2" = hostile ]; then
		hostile_lease
		S[ROUTER]=10.0.0.1
	fi
	up 0
	hook
	console "$(probing network-legacy)" "$loaded" \
		"bond0 handed to dracut's network-legacy: online hooks and netroot queued"
	returned
	if [ "$2" = hostile ]; then
		check "nothing from the lease ran (no /tmp/pwned-*)" no_pwned
		same "/etc/resolv.conf: only the valid names" "$r/etc/resolv.conf" <<-EOF
			search lab.example ok.example sub.ok.example fq.example. $l63.example
			nameserver 10.0.0.1
			nameserver 10.0.0.2
		EOF
		check "no hostname set" none /proc/sys/kernel/hostname
	else
		same "/etc/resolv.conf" "$r/etc/resolv.conf" <<-'EOF'
			search lab.example
			nameserver 10.0.0.1
		EOF
		same "the hostname set" "$r/proc/sys/kernel/hostname" <<<node7
	fi
	same_out "setup_net: the default route from net.bond0.gw (twice, as it does), ARP to the router" \
		eval 'calls "ip|arping" | grep -v "^ip route get"' <<-'EOF'
			ip route replace default via 10.0.0.1 dev bond0
			ip route replace default via 10.0.0.1 dev bond0
			arping -q -f -w 60 -I bond0 10.0.0.1
		EOF
	check "setup_net marked bond0 set up, by name and MAC" \
		eval "[ -e $r/tmp/net.bond0.did-setup ] && [ -e $r/tmp/net.$mac0.did-setup ]"
	same "initqueue's job" "$r$job" <<-'EOF'
		[ -e "$job" ] && rm -f -- "$job"
		/usr/lib/pxebond/dracut-online.sh bond0
	EOF
	check "... and the queue woken" test -e "$r/lib/dracut/hooks/initqueue/work"
	in_chroot queue 'export DRACUT_SYSTEMD=1
		. /lib/dracut-lib.sh
		for job in "$hookdir"/initqueue/*.sh; do
			[ -e "$job" ] || break
			job=$job . "$job"
		done'
	same_out "the job runs the online hooks, then netroot, for bond0" calls "online-hook|netroot" <<-'EOF'
		online-hook bond0
		netroot bond0
	EOF
	same "... quietly" "$r/log/queue.err" </dev/null
	check "... once (the job is gone)" none "$job"
}

# ---- lib.sh's pxb_state and pxb_arg: the binary's reading, hostile input included
# Each hostile state line: what pxb_state sets is what `pxebond status --get` says (the
# C reader's verdict), and for these, nothing: the value is left out. The same lines are
# in tests/unit/test_state.c's hostile().
case_state_reader() {
	local k v line
	stage state-reader "$1"
	mkdir -p "$r/run/pxebond"
	while IFS='|' read -r k v; do
		{
			sh_kv PXEBOND_STATE_VERSION 1
			sh_kv PXEBOND_RESULT ok
			sh_kv PXEBOND_MODE single
			sh_kv PXEBOND_IFACE eth1
			sh_kv PXEBOND_IP 10.0.0.5
			sh_kv PXEBOND_PREFIX 24
			sh_kv "PXEBOND_$k" "$v"
		} >"$r/run/pxebond/state"
		in_chroot reader ". /usr/lib/pxebond/lib.sh
			pxb_state; echo \"rc=\$? [\${PXEBOND_$k-unset}]\"
			echo \"binary [\$(/usr/lib/pxebond-test/pxebond status --get $k 2>/dev/null)]\""
		line="$k: $(tr '\n' ' ' <"$r/log/reader.out")"
		# IFACE left out: no path to hand on, so pxb_state is false
		if [ "$k" = IFACE ]; then
			check "$line" test "$line" = "IFACE: rc=1 [] binary [] "
		else
			check "$line" test "$line" = "$k: rc=0 [] binary [] "
		fi
	done <<-'EOF'
		IFACE|bond0;reboot
		BOND|b$(reboot)
		ACTIVE|eth0 eth1
		BOND_MAC|01:00:5e:00:00:01
		BOND_OPTS|miimon=100,frobnicate=1
		HOSTNAME|$(reboot)
		DOMAIN|a b
		MTU|70000
		RENEW_PID|12 ; kill
		LEASE_SECONDS|-1
		T_LEASE_MS|1e3
	EOF
	# an address that is none: no lease at all, so pxb_state's caller sees no IP
	sh_kv PXEBOND_IP '10.0.0.5;reboot' >>"$r/run/pxebond/state"
	in_chroot reader '. /usr/lib/pxebond/lib.sh; pxb_state; echo "rc=$? [$PXEBOND_IP] [$PXEBOND_PREFIX]"'
	same "an address that is none: no lease" "$r/log/reader.out" <<<"rc=0 [] []"
	# a state of another format, or none: pxb_state fails, sets nothing
	printf "PXEBOND_STATE_VERSION='2'\nPXEBOND_RESULT='ok'\nPXEBOND_IFACE='bond0'\n" >"$r/run/pxebond/state"
	in_chroot reader '. /usr/lib/pxebond/lib.sh; pxb_state; echo "rc=$? [${PXEBOND_IFACE-unset}]"'
	same "another format version: false, nothing set" "$r/log/reader.out" <<<"rc=1 [unset]"
	printf "PXEBOND_RESULT='ok'\nPXEBOND_IFACE='bond0'\n" >"$r/run/pxebond/state"
	in_chroot reader '. /usr/lib/pxebond/lib.sh; pxb_state; echo "rc=$? [${PXEBOND_IFACE-unset}]"'
	same "no version: false, nothing set" "$r/log/reader.out" <<<"rc=1 [unset]"
	rm -f "$r/run/pxebond/state"
	in_chroot reader '. /usr/lib/pxebond/lib.sh; pxb_state; echo "rc=$?"'
	same "no state: false" "$r/log/reader.out" <<<"rc=1"
	# pxb_arg: the kernel's quotes undone, globs not expanded, the last one counts
	touch "$r/tmp/pwned-glob"
	printf '%s\n' 'x pxebond="off" pxebond.ifaces=/tmp/* pxebond.bond="a b" pxebond=auto pxebond.check' \
		>"$r/case/cmdline"
	in_chroot arg 'PXB_CMDLINE=/case/cmdline; . /usr/lib/pxebond/lib.sh
		for k in pxebond pxebond.ifaces pxebond.bond pxebond.check pxebond.nope; do
			v=$(pxb_arg "$k"); echo "$k rc=$? [$v]"
		done'
	same "pxb_arg: as the binary reads the command line" "$r/log/arg.out" <<-'EOF'
		pxebond rc=0 [auto]
		pxebond.ifaces rc=0 [/tmp/*]
		pxebond.bond rc=0 [a b]
		pxebond.check rc=0 []
		pxebond.nope rc=1 []
	EOF
}

# ---- dracut-online.sh and initramfs-tools.conf on their own
case_online() {
	stage online "$1"
	in_chroot online '/usr/lib/pxebond/dracut-online.sh bond0; echo "rc=$?"'
	same_out "dracut-online.sh IF: the online hooks, then netroot IF" \
		calls "source_hook|online-hook|netroot|setup_net" <<-'EOF'
			source_hook initqueue/online bond0
			online-hook bond0
			netroot bond0
		EOF
	same "... exit 0, quietly" "$r/log/online.out" <<<"rc=0"
	same "... nothing on the console" "$r/log/online.err" </dev/null
	: >"$r/log/calls"
	in_chroot online '/usr/lib/pxebond/dracut-online.sh; echo "rc=$?"'
	same "dracut-online.sh without an interface: exit 1" "$r/log/online.out" <<<"rc=1"
	same_out "... nothing run" calls "source_hook|online-hook|netroot" </dev/null
}

case_initramfs_tools() {
	stage initramfs-tools "$1"
	files() { (cd "$r" && find . -path ./log -prune -o -print | sort); }
	files >"$work/files-before"
	in_chroot itools 'set >/log/vars-before
		. /conf/conf.d/zz-pxebond
		echo "rc=$?" >/log/itools-rc
		set >/log/vars-after'
	# (without pxebond's initramfs-tools glue beside it it does nothing; the itools-hook
	# tier tests what it does in an initramfs-tools image)
	same "/conf/conf.d/zz-pxebond sourced where its glue is not: nothing on the console" \
		"$r/log/itools.err" </dev/null
	same "... status 0" "$r/log/itools-rc" <<<"rc=0"
	check "... no variable changed" eval "diff <(grep -v -e '^LINENO=' -e '^_=' $r/log/vars-before) \
		<(grep -v -e '^LINENO=' -e '^_=' $r/log/vars-after)"
	same_out "... no file made or removed" files <"$work/files-before"
}

# ---- run
(cd "$base" && find . -type f -exec md5sum {} +) >"$work/base.md5"
t0=$(date +%s)
for sh in busybox dash; do
	case_off "$sh"
	case_cmdline_sets_up "$sh"
	case_no_module "$sh"
	case_no_network "$sh"
	case_flavours "$sh"
	case_up_nothing "$sh" legacy 4
	case_up_nothing "$sh" legacy 1
	case_up_nothing "$sh" nm 4
	case_up_nothing "$sh" nm 1
	case_no_bonding "$sh"
	case_nic_missing "$sh"
	case_state_unusable "$sh"
	case_legacy_hostile "$sh"
	case_legacy_single "$sh"
	case_nm "$sh"
	case_nm_write_fails "$sh"
	case_nm_write_fails_empty "$sh"
	case_nm_write_empty "$sh"
	case_legacy_no_dns "$sh"
	case_networkd "$sh"
	case_networkd_write_fails "$sh"
	case_own_decisions "$sh"
	case_own_legacy "$sh" plain
	case_own_legacy "$sh" hostile
	case_state_reader "$sh"
	case_online "$sh"
	case_initramfs_tools "$sh"
done
echo "# $n cases in $(($(date +%s) - t0)) s"
sh=all name=base
check "no case wrote into base (the cases' chroots are hard links of it)" \
	eval '(cd "$base" && md5sum --quiet -c "$work/base.md5")'
tap_done
