#!/bin/bash
# The initramfs-tools glue's hand-offs, in seconds: conf.d/zz-pxebond, initramfs-tools.sh
# and the ipconfig in /usr/lib/pxebond/bin run at their real paths in a chroot under
# busybox sh and under dash, as initramfs-tools' /init runs them (conf.d sourced, the
# ORDER lists run), against Debian's own scripts/functions and scripts/nfs (initramfs-
# tools-core 0.142) and live-boot's components (live-boot), unpacked from their .debs;
# klibc's ipconfig, nfsmount, udevadm, modprobe, insmod, ip, dhclient and pxebond's `up`
# are logging stubs, pxebond's `write`, `status` and `cmdline` the real binary. Ubuntu's initramfs-tools and
# casper are not in Debian's archive: tests/boot/stubs/ubuntu-casper.sh plays what
# docs/boot.md says they do (configure_networking's netplan file, casper-bottom's
# 58server_network), and Debian's `netplan generate` reads what reaches the installer.
#
#   base/          busybox-static and dash, the stubs, the glue where the overlay puts it,
#                  Debian's scripts; an image's ORDER lists as mkinitramfs writes them
#   N-CASE-SH/     one copy per case and shell: /case (command line, state, up's exit
#                  code), /log (calls, the console, what the flow saw), /sys, /run, /root
# Each run is `unshare --net --uts chroot DIR /bin/sh /usr/lib/pxebond-test/init.sh`.
#
# Usage: tests/boot/itools-hook.sh PXEBOND_BINARY   (root; ends with "N passed, N failed")
# PXB_KEEP=1 keeps the work directory. The .debs are cached in build/boot/debs.
# shellcheck disable=SC2016 # single-quoted: for eval, or the guest's, on purpose
set -uo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
glue=$repo/initramfs
bin=${1:-$repo/build/pxebond}
# shellcheck source=tests/tap.sh
. "$repo/tests/tap.sh"

die() {
	echo "itools-hook: $*"
	echo "0 passed, 1 failed"
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (chroot, mknod)"
[ -x "$bin" ] || die "no $bin (make)"
busybox=/bin/busybox
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is not static (apt-get install busybox-static)"
dash=$(command -v dash) || die "no dash"
command -v netplan >/dev/null || die "no netplan (apt-get install netplan.io)"

# ---- Debian's scripts, from their packages
debs=$repo/build/boot/debs
mkdir -p "$debs"
for p in initramfs-tools-core live-boot; do
	if ! compgen -G "$debs/${p}_*.deb" >/dev/null; then
		(cd "$debs" && apt-get download -q "$p" >/dev/null 2>&1) || die "apt-get download $p failed"
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-itools.XXXXXX")
cleanup() {
	if [ -n "${PXB_KEEP:-}" ]; then echo "# kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
for p in initramfs-tools-core live-boot; do
	f=$(compgen -G "$debs/${p}_*.deb" | sort | tail -n1)
	dpkg-deb -x "$f" "$work/deb-$p" || die "cannot unpack $f"
	echo "# $(basename "$f")"
done
itc=$work/deb-initramfs-tools-core/usr/share/initramfs-tools
lb=$work/deb-live-boot/lib/live/boot
{ [ -f "$itc/scripts/functions" ] && [ -f "$lb/9990-networking.sh" ]; } || die "unexpected package contents"

# ---- the chroot every case starts from
base=$work/base
put() { # put SRC DST: SRC at DST, an executable with the libraries ldd names
	local l
	mkdir -p "$base$(dirname "$2")"
	cp -L "$1" "$base$2"
	while read -r l; do
		[ -e "$base$l" ] || { mkdir -p "$base$(dirname "$l")" && cp -L "$l" "$base$l"; }
	done < <(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
}
# initramfs-tools 0.142 images are usr-merged: bin, sbin, lib -> usr/...
mkdir -p "$base"/usr/{bin,sbin,lib,lib64} "$base"/{etc,tmp,run,dev,proc,sys/class/net,conf/conf.d,case,log,root}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$base/$d"; done
mknod -m 666 "$base/dev/null" c 1 3 || die "mknod failed"
mknod -m 666 "$base/dev/kmsg" c 1 3
put "$busybox" /usr/bin/busybox
put "$dash" /usr/bin/dash
for a in $("$busybox" --list); do
	case $a in
	busybox | sh | modprobe | insmod | ip | ipconfig | udevadm | nfsmount | sleep) continue ;;
	esac
	[ -e "$base/usr/bin/$a" ] || ln -s busybox "$base/usr/bin/$a"
done
stub() { # stub NAME... : a command that logs its call to /log/calls and succeeds
	local n
	for n in "$@"; do
		printf '#!/bin/sh\necho "%s $*" >>/log/calls\nexit 0\n' "${n##*/}" >"$base$n"
		chmod 0755 "$base$n"
	done
}
stub /usr/sbin/ip /usr/bin/udevadm /usr/bin/nfsmount /usr/sbin/insmod /usr/sbin/dhclient
# klibc's ipconfig: it must not run once the bond is handed on; when it does (no bond),
# it "configures" the device it was given, as the real one would after a DHCP exchange.
cat >"$base/usr/bin/ipconfig" <<'EOF'
#!/bin/sh
echo "ipconfig $*" >>/log/calls
for a in "$@"; do dev=$a; done
dev=${dev##*:}
printf "DEVICE='%s'\nPROTO='dhcp'\nIPV4ADDR='10.0.0.150'\n" "$dev" >"/run/net-$dev.conf"
echo "IP-Config: $dev complete (klibc stub)"
EOF
# sleep: live-boot waits for carrier a second at a time; nothing to wait for here
printf '#!/bin/sh\necho "sleep $*" >>/log/sleeps\n' >"$base/usr/bin/sleep"
chmod 0755 "$base/usr/bin/ipconfig" "$base/usr/bin/sleep"
install -D -m 0755 "$here/stubs/modprobe.sh" "$base/usr/sbin/modprobe"
# pxebond: `up` as the dracut tier's stub (state, exit code, the bond in /sys); `write`,
# the real binary; `down` logged.
install -D -m 0755 "$bin" "$base/usr/lib/pxebond-test/pxebond.real"
mkdir -p "$base/usr/lib/pxebond"
cat >"$base/usr/lib/pxebond/pxebond" <<'EOF'
#!/bin/sh
case $1 in
status | cmdline) exec /usr/lib/pxebond-test/pxebond.real "$@" ;;
esac
echo "pxebond $*" >>/log/calls
case $1 in
write) exec /usr/lib/pxebond-test/pxebond.real "$@" ;;
up)
	mkdir -p /run/pxebond
	[ -r /case/state ] && cp /case/state /run/pxebond/state
	[ -d /case/sys-up ] && cp -R /case/sys-up/. /sys/
	read -r rc </case/up-rc
	exit "$rc"
	;;
esac
exit 0
EOF
chmod 0755 "$base/usr/lib/pxebond/pxebond"
# The glue, where the overlay and the hook put it.
install -m 0644 "$glue/lib.sh" "$base/usr/lib/pxebond/lib.sh"
install -m 0755 "$glue/initramfs-tools.sh" "$base/usr/lib/pxebond/initramfs-tools.sh"
install -D -m 0755 "$glue/ipconfig.sh" "$base/usr/lib/pxebond/bin/ipconfig"
install -m 0644 "$glue/initramfs-tools.conf" "$base/conf/conf.d/zz-pxebond"
install -D -m 0755 "$repo/hooks/initramfs-tools/init-premount" "$base/usr/lib/pxebond-test/hook-premount"
# Debian's scripts, and live-boot's
install -D -m 0644 "$itc/scripts/functions" "$base/scripts/functions"
install -m 0644 "$itc/scripts/nfs" "$base/scripts/nfs"
mkdir -p "$base/lib/live/boot"
cp "$lb"/*.sh "$base/lib/live/boot/"
printf 'MODULES=most\nBUSYBOX=auto\nDEVICE=\nNFSROOT=auto\n' >"$base/conf/initramfs.conf"
# what says which boot script an image has (live-boot's, casper's: played by the flows)
echo '# live-boot' >"$base/scripts/live"
echo '# casper' >"$base/scripts/casper"
install -m 0644 "$here/stubs/ubuntu-casper.sh" "$base/usr/lib/pxebond-test/ubuntu-casper.sh"
# dropbear-initramfs' init-premount, as far as the network goes (its own script runs
# configure_networking first for an NFS root, else in the background).
mkdir -p "$base/scripts/init-premount" "$base/scripts/init-bottom"
cat >"$base/scripts/init-premount/dropbear" <<'EOF'
#!/bin/sh
. /scripts/functions
echo "dropbear-premount" >>/log/calls
configure_networking
echo "dropbear: DEVICE=$DEVICE" >>/log/calls
EOF
printf '#!/bin/sh\necho "udev-bottom" >>/log/calls\n' >"$base/scripts/init-bottom/udev"
chmod 0755 "$base/scripts/init-premount/dropbear" "$base/scripts/init-bottom/udev"
order() { # order DIR SCRIPT...: DIR/ORDER as mkinitramfs' cache_run_scripts writes it
	local d=$1 s
	shift
	for s in "$@"; do
		printf '%s "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' "$d/$s"
	done >"$base$d/ORDER"
}
order /scripts/init-premount dropbear
order /scripts/init-bottom udev
cp "$base/scripts/init-premount/ORDER" "$work/premount-order-stock"

# /init, as far as it goes for the network: the exported variables the command line
# set, conf.d, functions, init-premount; then the flow the case names (/case/flow):
# nfs (the nfs script's root mount), live (live-boot's device choice and network setup),
# casper, casper-noip (Ubuntu), ubuntu (an installed Ubuntu's configure_networking);
# then init-bottom. What the flow saw goes to /log/vars.
cat >"$base/usr/lib/pxebond-test/init.sh" <<'EOF'
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
export BOOT= IP= DEVICE= BOOTIF= ROOT= quiet=n readonly=y rootmnt=/root
. /conf/initramfs.conf
for conf in conf/conf.d/*; do
	[ -f "${conf}" ] && . "${conf}"
done
. /scripts/functions
# the command line, as /init parses it after conf.d
. /case/env
read -r flow </case/flow
case $flow in casper* | ubuntu) . /usr/lib/pxebond-test/ubuntu-casper.sh ;; esac
starttime=$(_uptime)
export starttime
run_scripts /scripts/init-premount
echo "premount: DEVICE=$DEVICE IP=$IP BOOTIF=$BOOTIF ROOTSERVER=${ROOTSERVER-} PATH=$PATH" >>/log/vars
case $flow in
nfs)
	. /scripts/nfs
	nfs_mount_root_impl
	echo "nfs: DEVICE=$DEVICE NFSROOT=$NFSROOT" >>/log/vars
	;;
live)
	LIVE_BOOT_CMDLINE=$(cat /proc/cmdline)
	for f in /lib/live/boot/0001-init-vars.sh /lib/live/boot/9990-select-eth-device.sh \
		/lib/live/boot/9990-networking.sh; do
		. "$f"
	done
	FETCH=$(sed -n 's/.*fetch=\([^ ]*\).*/\1/p' /proc/cmdline)
	Select_eth_device
	. /conf/param.conf
	do_netsetup >/log/netsetup.out 2>&1
	echo "live: DEVICE=$DEVICE IPV4ADDR=$IPV4ADDR ROOTSERVER=$ROOTSERVER" >>/log/vars
	;;
casper | casper-noip) casper_mountroot ;;
ubuntu)
	configure_networking
	echo "ubuntu: DEVICE=$DEVICE" >>/log/vars
	;;
esac
run_scripts /scripts/init-bottom
echo "end: rc=0" >>/log/vars
EOF

# ---- one case
mac0=52:54:00:b0:02:00 mac1=52:54:00:b0:02:01
netdev() { # netdev IFACE MAC [TYPE]: /sys/class/net/IFACE, up with carrier
	mkdir -p "$r/sys/class/net/$1"
	echo "$2" >"$r/sys/class/net/$1/address"
	echo "${3:-1}" >"$r/sys/class/net/$1/type"
	echo 0x1003 >"$r/sys/class/net/$1/flags"
	echo 1 >"$r/sys/class/net/$1/carrier"
}
n=0
stage() { # stage NAME SH FLOW: a fresh chroot as $r, up exiting 0 with the 802.3ad state
	n=$((n + 1))
	name=$1 sh=$2
	r=$work/$n-$1-$2
	cp -al "$base" "$r"
	ln -s "$sh" "$r/usr/bin/sh"
	netdev lo 00:00:00:00:00:00 772
	netdev eth0 "$mac0"
	netdev eth1 "$mac1"
	# The image's own bonding.ko, loaded (busybox sh runs its own modprobe applet, which
	# finds no modules here, rather than the stub)
	mkdir -p "$r/sys/module/bonding"
	echo "$3" >"$r/case/flow"
	: >"$r/log/calls"
	: >"$r/log/vars"
	echo '12.34 10.00' >"$r/proc/uptime"
	state_bond
	up 0
	cmdline '' ''
}
# cmdline 'KERNEL COMMAND LINE' 'EXPORTS': /proc/cmdline and what /init exported from it
cmdline() {
	printf '%s\n' "$1" >"$r/proc/cmdline"
	printf '%s\n' "$2" >"$r/case/env"
}
sh_kv() { # as src/state.c writes the state: single-quoted, '\'' for a quote
	local v=${2//[[:cntrl:]]/ }
	printf "%s='%s'\n" "$1" "${v//\'/\'\\\'\'}"
}
keys=(STATE_VERSION RESULT MODE IFACE BOND MEMBERS MEMBER_MACS ACTIVE BOND_MAC BOND_OPTS
	ACTOR_SYSTEM PARTNER_SYSTEM PARTNER_KEY IP PREFIX NETMASK BROADCAST ROUTER DNS DOMAIN
	SEARCH HOSTNAME MTU SERVER_ID NEXT_SERVER TFTP_SERVER BOOTFILE ROOT_PATH LEASE_SECONDS
	RENEW_SECONDS REBIND_SECONDS RUNGS RESTORE RESTORE_MTU)
declare -A S
state_bond() {
	S=([STATE_VERSION]=1 [RESULT]=ok [MODE]=802.3ad [IFACE]=bond0 [BOND]=bond0 [MEMBERS]='eth0 eth1'
		[MEMBER_MACS]="$mac0 $mac1" [ACTIVE]=eth0 [BOND_MAC]=$mac0
		[BOND_OPTS]='mode=802.3ad,miimon=100,lacp_rate=fast,xmit_hash_policy=layer3+4'
		[ACTOR_SYSTEM]=$mac0 [PARTNER_SYSTEM]=02:00:00:00:0a:0a [PARTNER_KEY]=2
		[IP]=10.0.0.102 [PREFIX]=24 [NETMASK]=255.255.255.0 [BROADCAST]=10.0.0.255
		[ROUTER]='10.0.0.1 10.0.0.254' [DNS]='10.0.0.53 10.0.0.54 10.0.0.55'
		[DOMAIN]=lab.example [SEARCH]='lab.example other.example' [HOSTNAME]=node7
		[MTU]='' [SERVER_ID]=10.0.0.1 [NEXT_SERVER]=10.0.0.2 [TFTP_SERVER]=10.0.0.2
		[BOOTFILE]=pxelinux.0 [ROOT_PATH]=/srv/roots/node7 [LEASE_SECONDS]=3600
		[RENEW_SECONDS]=1800 [REBIND_SECONDS]=3150 [RUNGS]=802.3ad:ok
		[RESTORE]='eth0:down eth1:down' [RESTORE_MTU]='')
}
up() { # up RC: up exits RC having written the state S (and with RC 0, its bond in /sys)
	local k
	echo "$1" >"$r/case/up-rc"
	for k in "${keys[@]}"; do sh_kv "PXEBOND_$k" "${S[$k]-}"; done >"$r/case/state"
	rm -rf "$r/case/sys-up"
	if [ "$1" = 0 ]; then
		mkdir -p "$r/case/sys-up/class/net/bond0/bonding"
		echo "${S[BOND_MAC]}" >"$r/case/sys-up/class/net/bond0/address"
		echo 1 >"$r/case/sys-up/class/net/bond0/type"
		echo 0x1403 >"$r/case/sys-up/class/net/bond0/flags"
		echo 1 >"$r/case/sys-up/class/net/bond0/carrier"
	fi
}
boot() { # the init simulation, its console in /log/console
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ TERM=dumb \
		unshare --net --uts chroot "$r" /bin/sh /usr/lib/pxebond-test/init.sh \
		>"$r/log/console" 2>&1
}

# ---- checks
check() { # check WHAT CMD...
	local what=$1
	shift
	ok "$sh: $name: $what" "$@"
}
same() { # same WHAT FILE: FILE holds exactly stdin (a diff on failure)
	local what=$1 file=$2
	cat >"$work/expected"
	if [ -e "$file" ] && cmp -s "$work/expected" "$file"; then
		check "$what" true
	else
		check "$what" false
		[ -e "$file" ] && diff -u "$work/expected" "$file" | sed 's/^/#   /' || echo "#   no ${file#"$work"/}"
	fi
}
calls() { grep -E "^($1)( |\$)" "$r/log/calls"; }
called() { grep -qE -- "$1" "$r/log/calls"; }
said() { grep -qF -- "$1" "$r/log/console"; }
var() { grep -qxF -- "$1" "$r/log/vars"; }
none() { [ ! -e "$r$1" ]; }
# the ORDER lists: pxebond's line first where it belongs, the image's lines after it
orders_ok() {
	{
		printf '%s\n' '/usr/lib/pxebond/initramfs-tools.sh premount "$@"' '[ -e /conf/param.conf ] && . /conf/param.conf'
		cat "$work/premount-order-stock"
	} | same "init-premount's ORDER: pxebond's line first, the image's after it" "$r/scripts/init-premount/ORDER"
	check "init-bottom's ORDER: pxebond's line first" \
		[ "$(head -n1 "$r/scripts/init-bottom/ORDER")" = '/usr/lib/pxebond/initramfs-tools.sh bottom "$@"' ]
}
# the files a hand-off of S leaves: ipconfig's net-bond0.conf, param.conf's lines
netconf_ok() {
	same "/run/net-bond0.conf: what ipconfig would write for the lease" "$r/run/net-bond0.conf" <<-'EOF'
		DEVICE='bond0'
		PROTO='dhcp'
		IPV4ADDR='10.0.0.102'
		IPV4BROADCAST='10.0.0.255'
		IPV4NETMASK='255.255.255.0'
		IPV4GATEWAY='10.0.0.1'
		IPV4DNS0='10.0.0.53'
		IPV4DNS1='10.0.0.54'
		HOSTNAME='node7'
		DNSDOMAIN='lab.example'
		NISDOMAIN=''
		ROOTSERVER='10.0.0.2'
		ROOTPATH='/srv/roots/node7'
		filename='pxelinux.0'
		UPTIME='12'
		DHCPLEASETIME='3600'
		DOMAINSEARCH='lab.example other.example'
	EOF
	check "no ipconfig file for a member" eval '[ ! -e "$r/run/net-eth0.conf" ] && [ ! -e "$r/run/net-eth1.conf" ]'
}
param_ok() { # param_ok [IP]: param.conf as the hand-off appends it
	{
		echo "# pxebond: bond0 carries the network from here on (/run/net-bond0.conf, /run/pxebond/state)"
		echo "DEVICE='bond0'"
		[ -z "${1:-}" ] || echo "IP='$1'"
		echo "BOOTIF=''"
		echo "[ -e /run/net-bond0.conf ] && . /run/net-bond0.conf"
		# shellcheck disable=SC2016
		echo 'case :$PATH: in *:/usr/lib/pxebond/bin:*) ;; *) PATH=/usr/lib/pxebond/bin:$PATH ;; esac'
	} | same "/conf/param.conf: DEVICE, BOOTIF, PATH (and ip=) for the rest of the boot" "$r/conf/param.conf"
}
no_klibc_ipconfig() { check "klibc's ipconfig never ran" eval '! calls ipconfig >/dev/null'; }
untouched() { # nothing of the hand-off: the image's own setup runs as without pxebond
	check "no /run/net-bond0.conf" none /run/net-bond0.conf
	check "no /conf/param.conf" none /conf/param.conf
}
handed="bond0 handed to initramfs-tools: /run/net-bond0.conf, DEVICE=bond0; its ipconfig answers for bond0"

# ---- cases
case_nfs() { # Debian, root=/dev/nfs nfsroot=auto (the root path from the lease), dropbear
	stage nfs "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp BOOTIF=01-52-54-00-b0-02-00" \
		"BOOT=nfs IP=dhcp BOOTIF=01-52-54-00-b0-02-00 ROOT=/dev/nfs"
	boot
	orders_ok
	check "the console: probing, then the hand-off" said "pxebond: initramfs-tools, NFS root: probing the NICs for LACP before the network starts"
	check "the console: $handed" said "pxebond: $handed"
	check "up ran with /proc/cmdline" called '^pxebond up --if-lacp --cmdline /proc/cmdline$'
	netconf_ok
	param_ok
	check "dropbear's configure_networking ran after pxebond and kept bond0" called '^dropbear: DEVICE=bond0$'
	no_klibc_ipconfig
	check "nfsroot=auto: the nfs script mounts the lease's root over bond0" \
		called '^nfsmount -o nolock -o ro -o retrans=10 10\.0\.0\.2:/srv/roots/node7 /root$'
	check "the rest of the boot sees DEVICE=bond0, ip=dhcp, no BOOTIF" \
		var "premount: DEVICE=bond0 IP=dhcp BOOTIF= ROOTSERVER=10.0.0.2 PATH=/usr/lib/pxebond/bin:/sbin:/usr/sbin:/bin:/usr/bin"
	check "init-bottom: nothing for Debian (no netplan)" none /run/netplan
	check "the boot went on to the end" var "end: rc=0"
}

case_ip_member() { # ip= naming a member: it names the bond afterwards
	stage ip-member "$1" nfs
	cmdline "root=/dev/nfs nfsroot=10.0.0.9:/srv/r,tcp ip=::::node7:eth1:dhcp:10.0.0.53" \
		"BOOT=nfs IP=::::node7:eth1:dhcp:10.0.0.53 ROOT=/dev/nfs NFSROOT=10.0.0.9:/srv/r,tcp"
	boot
	param_ok "::::node7:bond0:dhcp:10.0.0.53"
	check "the console says ip= now names bond0" said "pxebond: ip= named eth1, a member of bond0: it names bond0 now"
	no_klibc_ipconfig
	check "nfsroot=SERVER:PATH,OPTIONS as given, over bond0" \
		called '^nfsmount -o nolock -o ro -o tcp 10\.0\.0\.9:/srv/r /root$'
}

case_live() { # Debian live-boot, fetch=: live-boot's own device choice and ipconfig runs
	stage live "$1" live
	cmdline "boot=live fetch=http://10.0.0.1/live/filesystem.squashfs BOOTIF=01-52-54-00-b0-02-00" \
		"BOOT=live BOOTIF=01-52-54-00-b0-02-00"
	boot
	orders_ok
	check "the console: live-boot" said "pxebond: initramfs-tools with live-boot: probing the NICs for LACP before the network starts"
	check "up reads the command line (fetch= is one of its checks: test_options.c)" \
		called '^pxebond up --if-lacp --cmdline /proc/cmdline$'
	netconf_ok
	no_klibc_ipconfig
	check "live-boot chose bond0" said "Writing DEVICE='bond0' in /conf/param.conf."
	check "its ipconfig calls got the lease" var "live: DEVICE=bond0 IPV4ADDR=10.0.0.102 ROOTSERVER=10.0.0.2"
	check "ipconfig's report, as live-boot keeps it" \
		grep -qF ' gateway: 10.0.0.1         dns0     : 10.0.0.53        dns1   : 10.0.0.54' "$r/netboot-bond0.config"
	check "live-boot's resolv.conf from it" grep -qx 'nameserver 10.0.0.53' "$r/etc/resolv.conf"
	check "nothing changed on the bond (no ip command)" eval '! calls ip >/dev/null || ! calls ip | grep -qv "^ip link set bond0 up$"'
}

case_off() { # pxebond=off: the ORDER lines are there, and do nothing
	stage off "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp pxebond=off BOOTIF=01-52-54-00-b0-02-00" \
		"BOOT=nfs IP=dhcp ROOT=/dev/nfs BOOTIF=01-52-54-00-b0-02-00"
	boot
	orders_ok
	check "the console says so" said "pxebond: pxebond=off: initramfs-tools' network setup runs as without pxebond"
	check "pxebond not run" eval '! calls pxebond >/dev/null'
	untouched
	check "the image's own ipconfig ran" called '^ipconfig -t 2 -c dhcp -d eth0$'
}

case_no_lacp() { # up exits 4 (no partner) or 1 (nothing worked): as without pxebond
	local rc
	for rc in 4 1; do
		stage "up-$rc" "$1" nfs
		cmdline "root=/dev/nfs ip=dhcp BOOTIF=01-52-54-00-b0-02-00" \
			"BOOT=nfs IP=dhcp ROOT=/dev/nfs BOOTIF=01-52-54-00-b0-02-00"
		state_bond
		S[RESULT]=skipped
		up "$rc"
		boot
		if [ "$rc" = 4 ]; then
			check "the console says no partner" said "pxebond: no NIC has an LACP partner: initramfs-tools' network setup runs as without pxebond"
		else
			check "the console says nothing came up" said "pxebond: no path came up; the NICs are as they were and initramfs-tools' network setup runs as without pxebond"
		fi
		untouched
		check "the image's own ipconfig ran" called '^ipconfig -t 2 -c dhcp -d eth0$'
		check "init-bottom did nothing" none /run/netplan
	done
}

case_aside() { # the boots pxebond leaves alone, and why
	local c why
	while IFS='|' read -r c why; do
		stage "aside-${c%%[=: ]*}" "$1" none
		cmdline "$c" "$(case $c in ip=*) echo "IP=${c#ip=}" ;; esac)"
		boot
		check "the console: $why" said "pxebond: $why"
		check "pxebond not run" eval '! calls pxebond >/dev/null'
		untouched
	done <<-'EOF'
		ip=10.0.0.5::10.0.0.1:255.255.255.0::eth0:off|ip= gives a static address: leaving the network to initramfs-tools
		ip=off|ip=off: the command line wants no network
		ip=:::::eth0:none|ip= turns autoconfiguration off: leaving the network to initramfs-tools
		vlan=eth0.5:eth0|the command line sets up vlan= itself: leaving the network to initramfs-tools
		quiet|this boot needs no network (no ip=, NFS root, network live medium, dropbear or clevis): doing nothing
	EOF
}

case_bad_state() { # a hostile address (the binary leaves it out): the bond goes, nothing handed on
	stage bad-state "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	S[IP]="10.0.0.102'; touch /tmp/pwned; '"
	up 0
	boot
	check "the console says why" said "pxebond: /run/pxebond/state has no address, netmask or broadcast for bond0"
	check "pxebond down ran" called '^pxebond down$'
	untouched
	check "nothing ran from the state" none /tmp/pwned
}

case_hostile_lease() { # the lease's strings reach the file only when they are names or paths
	stage hostile "$1" nfs
	cmdline "root=/dev/nfs nfsroot=10.0.0.9:/r ip=dhcp" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	S[HOSTNAME]='$(touch /tmp/pwned)' S[DOMAIN]="a'b" S[ROOT_PATH]='/srv/`id`'
	S[SEARCH]='ok.example bad;name' S[BOOTFILE]='x y' S[DNS]='10.0.0.53 not-an-ip'
	up 0
	boot
	same "/run/net-bond0.conf: only what is a name, a path, an address" "$r/run/net-bond0.conf" <<-'EOF'
		DEVICE='bond0'
		PROTO='dhcp'
		IPV4ADDR='10.0.0.102'
		IPV4BROADCAST='10.0.0.255'
		IPV4NETMASK='255.255.255.0'
		IPV4GATEWAY='10.0.0.1'
		IPV4DNS0='10.0.0.53'
		IPV4DNS1='0.0.0.0'
		HOSTNAME=''
		DNSDOMAIN=''
		NISDOMAIN=''
		ROOTSERVER='10.0.0.2'
		ROOTPATH=''
		filename=''
		UPTIME='12'
		DHCPLEASETIME='3600'
		DOMAINSEARCH='ok.example'
	EOF
	check "the console says the root path was left out" said "pxebond: the lease's root path has characters a boot script should not see: left out"
	check "nothing ran" none /tmp/pwned
}

case_modules() { # an image without bonding.ko, with mkmodules.sh's cpio
	stage modules "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	: >"$r/case/no-bonding"
	rmdir "$r/sys/module/bonding"
	local k
	k=$(uname -r) # the chroot's kernel is the host's
	mkdir -p "$r/usr/lib/pxebond/modules/$k"
	printf 'tls.ko\nbonding.ko\n' >"$r/usr/lib/pxebond/modules/$k/modules.load"
	boot
	if [ "$sh" = busybox ]; then
		# busybox sh runs its own insmod applet, whatever PATH has: it finds no files
		grep '^pxebond: cannot load /usr/lib/pxebond/modules' "$r/log/console" >"$r/log/insmod"
		same "insmod: its modules tried in their order" "$r/log/insmod" <<-EOF
			pxebond: cannot load /usr/lib/pxebond/modules/$k/tls.ko
			pxebond: cannot load /usr/lib/pxebond/modules/$k/bonding.ko
		EOF
		return
	fi
	calls insmod >"$r/log/insmod"
	same "insmod: its modules in their order, bonding with max_bonds=0" "$r/log/insmod" <<-EOF
		insmod /usr/lib/pxebond/modules/$k/tls.ko
		insmod /usr/lib/pxebond/modules/$k/bonding.ko max_bonds=0
	EOF
}

case_no_bonding() { # no bonding.ko at all: say so and what to add, change nothing
	stage no-bonding "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	: >"$r/case/no-bonding"
	rmdir "$r/sys/module/bonding"
	boot
	check "the console says what to add" said "pxebond: no bonding.ko in this image (initramfs-tools leaves it out): append the kernel's from initramfs/mkmodules.sh, or add bonding to /etc/initramfs-tools/modules; initramfs-tools' network setup runs as without pxebond"
	check "up not run" eval '! calls "pxebond up" >/dev/null'
	untouched
}

case_hook_twice() { # the hook's own init-premount line runs too: one run, not two
	stage hook-twice "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	install -m 0755 "$r/usr/lib/pxebond-test/hook-premount" "$r/scripts/init-premount/pxebond"
	# (a file of base is a hard link: replaced, never written into)
	rm -f "$r/scripts/init-premount/ORDER"
	printf '%s "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' /scripts/init-premount/pxebond \
		/scripts/init-premount/dropbear >"$r/scripts/init-premount/ORDER"
	printf 'PXB_IT_ENABLE=cmdline\n' >"$r/usr/lib/pxebond/initramfs-tools.env"
	boot
	check "PXEBOND=cmdline, no pxebond= on the command line: nothing" \
		said "pxebond: built in to run when asked (PXEBOND=cmdline) and no pxebond= on the command line: doing nothing"
	check "the hook's line moved behind pxebond's (gone)" eval '! grep -q "^/scripts/init-premount/pxebond" "$r/scripts/init-premount/ORDER"'
	untouched
	stage hook-twice-asked "$1" nfs
	cmdline "root=/dev/nfs ip=dhcp pxebond=auto" "BOOT=nfs IP=dhcp ROOT=/dev/nfs"
	printf 'PXB_IT_ENABLE=cmdline\n' >"$r/usr/lib/pxebond/initramfs-tools.env"
	boot
	check "pxebond=auto: it runs, once" eval '[ "$(calls "pxebond up" | wc -l)" = 1 ]'
	netconf_ok
}

# Ubuntu (described behaviour: tests/boot/stubs/ubuntu-casper.sh)
cfg=/root/etc/cloud/cloud.cfg.d/bond0.cfg
netplan_bond_ok() { # netplan_bond_ok FILE: netplan, as cloud-init would hand it on, makes the bond
	local t=$work/np-$n-$sh g
	rm -rf "$t" && mkdir -p "$t/etc/netplan"
	install -m 0600 "$1" "$t/etc/netplan/50-cloud-init.yaml"
	check "netplan generate accepts it" netplan generate --root-dir "$t"
	g=$t/run/systemd/network
	check "networkd gets bond0 as a bond, 802.3ad, with its MAC" \
		eval "grep -qx Kind=bond '$g/10-netplan-bond0.netdev' && grep -qx Mode=802.3ad '$g/10-netplan-bond0.netdev' && grep -qx MACAddress=$mac0 '$g/10-netplan-bond0.netdev'"
	check "both members by permanent MAC, in bond0" \
		eval "cat '$g'/10-netplan-*member*.network | grep -c -e '^PermanentMACAddress=$mac0\$' -e '^PermanentMACAddress=$mac1\$' -e '^Bond=bond0\$' | grep -qx 4"
	check "bond0 does DHCP" grep -qx 'DHCP=ipv4' "$g/10-netplan-bond0.network"
}
case_casper() { # casper with ip=dhcp url=...iso: configure_networking, then casper-bottom
	stage casper "$1" casper
	mkdir -p "$r/scripts/casper-bottom" "$r/root/etc/cloud/cloud.cfg.d"
	install -m 0755 "$here/stubs/ubuntu-58server_network.sh" "$r/scripts/casper-bottom/58server_network"
	printf '/scripts/casper-bottom/58server_network "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' \
		>"$r/scripts/casper-bottom/ORDER"
	cmdline "ip=dhcp url=http://10.0.0.1/ubuntu-22.04-live-server-amd64.iso autoinstall BOOTIF=01-52-54-00-b0-02-00" \
		"BOOT=casper IP=dhcp BOOTIF=01-52-54-00-b0-02-00"
	boot
	check "casper-bottom's ORDER: pxebond's line first" \
		[ "$(head -n1 "$r/scripts/casper-bottom/ORDER")" = '/usr/lib/pxebond/initramfs-tools.sh casper-bottom "$@"' ]
	check "Ubuntu's configure_networking ran no DHCP client" eval '! calls dhclient >/dev/null'
	no_klibc_ipconfig
	check "its own netplan file for bond0 was an ethernet (what pxebond replaces)" \
		grep -qx '  ethernets:' "$r/log/ubuntu-netplan-bond0.yaml"
	check "casper carried bond0's netplan file into the installer's cloud-init" test -s "$r$cfg"
	check "as a bond with its members, not as an ethernet named bond0" \
		eval "grep -qx '  bonds:' '$r$cfg' && ! grep -q '^    bond0:\$' <(sed -n '/^  ethernets:/,/^  bonds:/p' '$r$cfg')"
	check "the ipconfig files are gone (cloud-init's cmdline source sees none)" none /run/net-bond0.conf
	netplan_bond_ok "$r$cfg"
	cp "$r/log/ubuntu-netplan-bond0.yaml" "$work/ubuntu-ethernet.yaml"
}
case_casper_noip() { # casper without ip=: casper brings no network up; the file still goes
	stage casper-noip "$1" casper-noip
	mkdir -p "$r/scripts/casper-bottom" "$r/root/etc/cloud/cloud.cfg.d"
	install -m 0755 "$here/stubs/ubuntu-58server_network.sh" "$r/scripts/casper-bottom/58server_network"
	printf '/scripts/casper-bottom/58server_network "$@"\n[ -e /conf/param.conf ] && . /conf/param.conf\n' \
		>"$r/scripts/casper-bottom/ORDER"
	cmdline "url=http://10.0.0.1/ubuntu.iso autoinstall" "BOOT=casper"
	boot
	check "url= is why the boot needs the network" said "pxebond: initramfs-tools with casper: probing the NICs for LACP before the network starts"
	check "the installer's cloud-init gets the bond" grep -qx '  bonds:' "$r$cfg"
}
case_ubuntu() { # an installed Ubuntu's initramfs (the hook): init-bottom rewrites /run/netplan
	stage ubuntu "$1" ubuntu
	cmdline "ip=dhcp root=/dev/nfs BOOTIF=01-52-54-00-b0-02-00" "BOOT=nfs IP=dhcp ROOT=/dev/nfs BOOTIF=01-52-54-00-b0-02-00"
	boot
	check "the console says so" said "pxebond: /run/netplan/bond0.yaml describes bond0 as the bond it is (members by permanent MAC)"
	check "its mode is 0600" [ "$(stat -c %a "$r/run/netplan/bond0.yaml")" = 600 ]
	netplan_bond_ok "$r/run/netplan/bond0.yaml"
}

for sh in busybox dash; do
	case_nfs "$sh"
	case_ip_member "$sh"
	case_live "$sh"
	case_off "$sh"
	case_no_lacp "$sh"
	case_aside "$sh"
	case_bad_state "$sh"
	case_hostile_lease "$sh"
	case_modules "$sh"
	case_no_bonding "$sh"
	case_hook_twice "$sh"
	case_casper "$sh"
	case_casper_noip "$sh"
	case_ubuntu "$sh"
done
# Why the rewrite: Ubuntu's own file, read by netplan, makes no bond (bond0 becomes a
# "NIC" matched by name, which the installed system will not have).
t=$work/np-ethernet
mkdir -p "$t/etc/netplan"
install -m 0600 "$work/ubuntu-ethernet.yaml" "$t/etc/netplan/50-cloud-init.yaml"
netplan generate --root-dir "$t" 2>/dev/null
sh=- name=control
check "without pxebond's file, netplan makes no bond of Ubuntu's own (no .netdev)" \
	eval "! compgen -G '$t/run/systemd/network/*.netdev' >/dev/null"
tap_done
