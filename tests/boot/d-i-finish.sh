#!/bin/bash
# The Debian installer's end: initramfs/d-i-finish.sh (the overlay's
# /usr/lib/finish-install.d/56pxebond) run as finish-install runs it, under busybox sh
# and dash, in a chroot laid out as the installer's: the real pxebond binary and glue at
# the overlay's paths, the state `up` left in /run/pxebond, a /target as base-installer
# leaves it (ifupdown, netcfg's loopback-only interfaces; or NetworkManager), and
# logging stubs of d-i's apt-install and logger. Checks what it decides, what it writes
# into /target (ifquery reads it back), what it logs, and that it never fails the install.
#
# Usage: tests/boot/d-i-finish.sh BINARY   (root: chroot, mknod; ends "N passed, N failed")
# PXB_KEEP=1 keeps the work directory.
# shellcheck disable=SC2016 # the chroot's sh -c programs expand their own variables
set -uo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/build/pxebond}
# shellcheck source=tests/tap.sh
. "$repo/tests/tap.sh"

die() {
	echo "boot-finish: $*"
	echo "0 passed, 1 failed"
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (chroot, mknod)"
[ -x "$bin" ] || die "no $bin (make)"
busybox=/bin/busybox
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is not static (apt-get install busybox-static)"
dash=$(command -v dash) || die "no dash"
command -v ifquery >/dev/null || die "no ifquery (apt-get install ifupdown)"

work=$(mktemp -d "${TMPDIR:-/tmp}/pxb-finish.XXXXXX")
trap '[ -n "${PXB_KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"' EXIT

# ---- the installer's root: busybox's applets (d-i's own logger and sh), dash, the glue
base=$work/base
mkdir -p "$base"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,tmp,run,dev,proc,log,case}
cp "$busybox" "$base/bin/busybox"
for a in $("$busybox" --list); do
	case $a in busybox | logger) continue ;; esac
	[ -e "$base/bin/$a" ] || ln -s busybox "$base/bin/$a"
done
cp "$dash" "$base/bin/dash"
while read -r l; do
	mkdir -p "$base$(dirname "$l")" && cp -L "$l" "$base$l"
done < <(ldd "$dash" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
mknod -m 666 "$base/dev/null" c 1 3 || die "mknod failed"
install -D -m 0644 "$repo/initramfs/lib.sh" "$base/usr/lib/pxebond/lib.sh"
install -D -m 0755 "$repo/initramfs/d-i-finish.sh" "$base/usr/lib/finish-install.d/56pxebond"
install -D -m 0755 "$bin" "$base/usr/lib/pxebond/pxebond"
# d-i's apt-install PACKAGE...: records its call; exits /case/apt-rc; on success leaves
# what the ifenslave package would (its if-pre-up.d script).
cat >"$base/bin/apt-install" <<'EOF'
#!/bin/sh
echo "apt-install $*" >>/log/calls
read -r rc </case/apt-rc
[ "$rc" = 0 ] && mkdir -p /target/etc/network/if-pre-up.d /target/sbin &&
	: >/target/etc/network/if-pre-up.d/ifenslave && : >/target/sbin/ifenslave
exit "$rc"
EOF
# busybox's logger -t TAG: stdin's lines to syslog; here to /log/syslog as "TAG: LINE".
cat >"$base/bin/logger" <<'EOF'
#!/bin/sh
echo "logger $*" >>/log/calls
[ "$1" = -t ] && tag=$2
while IFS= read -r l; do echo "$tag: $l" >>/log/syslog; done
EOF
chmod 0755 "$base/bin/apt-install" "$base/bin/logger"
# What the installer's kernel command line looks like (pxebond write reads it).
echo 'auto=true priority=critical url=http://10.0.0.1/preseed.cfg BOOTIF=01-52-54-00-b0-01-00' \
	>"$base/proc/cmdline"

mac0=52:54:00:b0:01:00 mac1=52:54:00:b0:01:01
state_bond() {
	cat <<-EOF
		PXEBOND_STATE_VERSION='1'
		PXEBOND_RESULT='ok'
		PXEBOND_MODE='802.3ad'
		PXEBOND_IFACE='bond0'
		PXEBOND_BOND='bond0'
		PXEBOND_MEMBERS='eth0 eth1'
		PXEBOND_MEMBER_MACS='$mac0 $mac1'
		PXEBOND_ACTIVE='eth0'
		PXEBOND_BOND_MAC='$mac0'
		PXEBOND_BOND_OPTS='mode=802.3ad,miimon=100,lacp_rate=fast,xmit_hash_policy=layer3+4'
		PXEBOND_ACTOR_SYSTEM='$mac0'
		PXEBOND_PARTNER_SYSTEM='02:00:00:00:0a:0a'
		PXEBOND_PARTNER_KEY='2'
		PXEBOND_IP='10.0.0.102'
		PXEBOND_PREFIX='24'
		PXEBOND_ROUTER='10.0.0.1'
		PXEBOND_DNS='10.0.0.1'
	EOF
}

# ---- one case: setup NAME SHELL TARGET (ifupdown, nm, none) STATE (bond, skipped, none,
# broken) APT_RC; then finish runs the script; checks read $r.
setup() {
	sh=$2 r=$work/$1-$2
	cp -a "$base" "$r"
	case $2 in
	busybox) ln -sf busybox "$r/bin/sh" ;;
	dash) ln -sf dash "$r/bin/sh" ;;
	esac
	case $3 in
	ifupdown)
		mkdir -p "$r/target/etc/network/interfaces.d" "$r/target/sbin"
		: >"$r/target/sbin/ifup"
		# netcfg's, with netcfg/enable=false: the loopback only.
		printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' \
			>"$r/target/etc/network/interfaces"
		;;
	nm)
		mkdir -p "$r/target/usr/sbin" "$r/target/etc/NetworkManager/system-connections"
		: >"$r/target/usr/sbin/NetworkManager"
		chmod 0755 "$r/target/usr/sbin/NetworkManager"
		;;
	esac
	mkdir -p "$r/run/pxebond"
	case $4 in
	bond) state_bond >"$r/run/pxebond/state" ;;
	skipped) printf "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='skipped'\nPXEBOND_MODE='none'\nPXEBOND_IFACE=''\n" >"$r/run/pxebond/state" ;;
	# the last rung: one NIC, which ifupdown brings up without ifenslave
	single) state_bond | sed -e "s/^PXEBOND_MODE=.*/PXEBOND_MODE='single'/" -e "s/^PXEBOND_IFACE=.*/PXEBOND_IFACE='eth1'/" \
		-e "s/^PXEBOND_BOND=.*/PXEBOND_BOND=''/" -e "s/^PXEBOND_MEMBERS=.*/PXEBOND_MEMBERS='eth1'/" \
		-e "s/^PXEBOND_MEMBER_MACS=.*/PXEBOND_MEMBER_MACS='$mac1'/" -e "s/^PXEBOND_ACTIVE=.*/PXEBOND_ACTIVE='eth1'/" \
		-e "/^PXEBOND_BOND_MAC=/d" -e "/^PXEBOND_BOND_OPTS=/d" -e "/^PXEBOND_PARTNER/d" >"$r/run/pxebond/state" ;;
	# up's word for it, but a member MAC write refuses: write must fail, cleanly.
	broken) state_bond | sed "s/^PXEBOND_MEMBER_MACS=.*/PXEBOND_MEMBER_MACS='ff:ff:ff:ff:ff:ff x'/" >"$r/run/pxebond/state" ;;
	esac
	echo "$5" >"$r/case/apt-rc"
	: >"$r/log/calls"
	: >"$r/log/syslog"
}
finish() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ TERM=dumb \
		unshare --net --uts chroot "$r" /bin/sh -c '/usr/lib/finish-install.d/56pxebond; echo "rc=$?" >/log/rc' \
		>"$r/log/out" 2>"$r/log/err"
}
says() { grep -qF -- "$1" "$r/log/syslog"; }
called() { grep -qxF -- "$1" "$r/log/calls"; }
ifquery_list() {
	unshare -m --propagation private sh -c 'mount --bind "$1/target/etc/network" /etc/network &&
		ifquery --list' sh "$r" 2>&1 | sort | tr '\n' ' '
}
same() { [ "$1" = "$2" ]; }
target_files() { (cd "$r/target" && find . -type f | sort | tr '\n' ' '); }

for sh in busybox dash; do
	setup ifupdown "$sh" ifupdown bond 0
	finish
	ok "$sh: ifupdown: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: ifupdown: ifenslave installed into /target, once" \
		same "$(grep "^apt-install" "$r/log/calls")" "apt-install ifenslave"
	ok "$sh: ifupdown: the bond's stanza in interfaces.d" \
		grep -qx 'iface bond0 inet dhcp' "$r/target/etc/network/interfaces.d/bond0"
	ok "$sh: ifupdown: members pinned by their MACs (.link files)" \
		grep -qx "PermanentMACAddress=$mac1" "$r/target/etc/systemd/network/10-pxebond-eth1.link"
	ok "$sh: ifupdown: netcfg's interfaces kept as it was" \
		grep -qx 'iface lo inet loopback' "$r/target/etc/network/interfaces"
	ok "$sh: ifupdown: ifquery --list reads lo and bond0" same "$(ifquery_list)" "bond0 lo "
	ok "$sh: ifupdown: no 'has no ifenslave' warning (it was installed first)" \
		bash -c '! grep -q "no ifenslave" "$1"' sh "$r/log/syslog"
	ok "$sh: ifupdown: the state kept in /target/var/log/installer, as the binary reads it" \
		grep -qx "PXEBOND_MEMBER_MACS='$mac0 $mac1'" "$r/target/var/log/installer/pxebond.state"
	ok "$sh: ifupdown: logged under the tag pxebond" called "logger -t pxebond"
	ok "$sh: ifupdown: each line once under the tag, not twice" \
		bash -c '! grep -q "^pxebond: pxebond:" "$1"' sh "$r/log/syslog"
	ok "$sh: ifupdown: says what it wrote" says "pxebond: wrote the installed system's network configuration (802.3ad in the installer)"
	ok "$sh: ifupdown: nothing on the console but the kernel log's" test ! -s "$r/log/err"

	# A late_command that wrote its own configuration for a member: replaced, kept aside.
	setup late-command "$sh" ifupdown bond 0
	printf 'allow-hotplug eth0\niface eth0 inet dhcp\n' >>"$r/target/etc/network/interfaces"
	cp "$r/target/etc/network/interfaces" "$work/late-interfaces"
	finish
	ok "$sh: late_command's eth0: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: late_command's eth0: ifquery --list reads lo and bond0, not eth0" \
		same "$(ifquery_list)" "bond0 lo "
	ok "$sh: late_command's eth0: its interfaces kept as .interfaces.pxebond-orig" \
		cmp "$work/late-interfaces" "$r/target/etc/network/.interfaces.pxebond-orig"

	setup nm "$sh" nm bond 0
	finish
	ok "$sh: nm: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: nm: nothing installed (NetworkManager bonds by itself)" bash -c '! grep -q apt-install "$1"' sh "$r/log/calls"
	ok "$sh: nm: the bond's profile" test -f "$r/target/etc/NetworkManager/system-connections/bond0.nmconnection"
	ok "$sh: nm: no ifupdown files" test ! -e "$r/target/etc/network/interfaces.d/bond0"
	ok "$sh: nm: says what it wrote" says "pxebond: wrote the installed system's network configuration (802.3ad in the installer)"

	setup apt-fails "$sh" ifupdown bond 100
	finish
	ok "$sh: apt-install fails: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: apt-install fails: says so, and what happens next" \
		says "pxebond: cannot install ifenslave into /target: writing what works without it"
	ok "$sh: apt-install fails: the binary says what it writes instead" \
		says "pxebond: warning: the installed system cannot make a bond: writing its active NIC alone, eth0; on a strict LACP LAG it reaches nothing until the bond is written"
	ok "$sh: apt-install fails: a working configuration all the same: eth0 by DHCP" \
		grep -qx 'iface eth0 inet dhcp' "$r/target/etc/network/interfaces.d/eth0"
	ok "$sh: apt-install fails: ifquery --list reads lo and eth0, no bond" same "$(ifquery_list)" "eth0 lo "

	# The last rung won: one NIC needs nothing installed.
	setup single "$sh" ifupdown single 0
	finish
	ok "$sh: single: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: single: nothing installed (no bond, no ifenslave)" bash -c '! grep -q apt-install "$1"' sh "$r/log/calls"
	ok "$sh: single: eth1 by DHCP" grep -qx 'iface eth1 inet dhcp' "$r/target/etc/network/interfaces.d/eth1"
	ok "$sh: single: no 'has no ifenslave' warning" bash -c '! grep -q "no ifenslave" "$1"' sh "$r/log/syslog"

	setup write-fails "$sh" ifupdown broken 0
	finish
	ok "$sh: write fails: the script exits 0" grep -qx rc=0 "$r/log/rc"
	ok "$sh: write fails: says so" \
		says "pxebond: pxebond write failed: the installed system has the installer's network configuration"
	ok "$sh: write fails: pxebond's own error logged too" says "pxebond: error: no member with a valid permanent MAC"
	ok "$sh: write fails: nothing of the bond in /target" \
		bash -c '! find "$1/target/etc" -name "*bond0*" -o -name "10-pxebond-*" | grep -q .' sh "$r"

	for st in skipped none; do
		setup "state-$st" "$sh" ifupdown "$st" 0
		finish
		ok "$sh: state $st: the script exits 0" grep -qx rc=0 "$r/log/rc"
		ok "$sh: state $st: nothing installed, nothing written" \
			bash -c '! grep -q apt-install "$1" && [ "$2" = "./etc/network/interfaces ./sbin/ifup " ]' \
			sh "$r/log/calls" "$(target_files)"
	done
done
tap_done
