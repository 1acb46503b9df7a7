#!/bin/sh
# Guest scenario: the installer of test-kickstart.sh, as Anaconda's stage 2 holds it
# after the initramfs: kickstart/pxebond.ks's %pre and %post --nochroot bodies run by
# each interpreter in pxb.shells (busybox sh, dash, bash: Fedora's /bin/sh) through
# /ks/ks-run.sh (Anaconda's run_script), in three states of /run/pxebond:
#   none     pxebond never ran (no /run/pxebond)
#   skipped  `pxebond up --if-lacp --ifaces eth2` (eth2 is slirp: no LACP partner)
#            left PXEBOND_RESULT='skipped' and, as the boot hook does, the binary
#   ok       `pxebond up --if-lacp --cmdline /proc/cmdline`, the boot hook's call: the
#            802.3ad bond over eth0 and eth1 on the server's LAG; then /run/pxebond is
#            made noexec (dracut's shell init mounts /run so), so the bodies must run a
#            copy of the binary from /tmp
# Before each run: the installer's /etc holds the profiles of /ks/installer (Anaconda's
# network setup), the target /mnt/sysimage is a fresh copy of /ks/target (a Fedora-like
# root, with Anaconda's copies of those profiles), /mnt/sysroot is bound to it (Anaconda's
# system root, ANA_INSTALL_PATH), and /tmp has nothing of an earlier run.
# The binary lives in /usr/lib/pxebond, not on PATH, as in the overlay.
# Prints:
#   @@PXB log up LINE / @@PXB result rc up RC            (and up-skipped)
#   @@PXB state KEY=VALUE                                 /run/pxebond/state after up
#   @@PXB result noexec RC                                RC of /run/pxebond/pxebond version
#   @@PXB result rc CASE-SHELL-SECTION RC                 each body's exit status
#   @@PXB tar CASE-SHELL BASE64                           sysimage/ (the target) and tmp/
#                                                         (/tmp's pxebond and ks-script files)
# shellcheck source=/dev/null
. /lib/pxb.sh

bin=/usr/lib/pxebond/pxebond
shells=$(pxb_arg pxb.shells) || shells=sh,dash,bash

interp() {
	case $1 in
	sh) echo /bin/sh ;;
	*) echo "/usr/bin/$1" ;;
	esac
}

# run CASE: every shell's %pre then %post in a fresh installer /tmp and target.
run() {
	for _s in $(echo "$shells" | tr , ' '); do
		umount /mnt/sysroot 2>/dev/null
		rm -rf /mnt/sysimage /tmp/ks-script-* /tmp/pxebond-* /out
		mkdir -p /mnt/sysimage /mnt/sysroot
		cp -a /ks/target/. /mnt/sysimage/
		mount --bind /mnt/sysimage /mnt/sysroot
		for _sec in pre post-nochroot; do
			read -r _rc _log <<-EOF
				$(/ks/ks-run.sh "$(interp "$_s")" "/ks/$_sec.sh" /bin:/usr/bin)
			EOF
			pxb_result rc "$1-$_s-$_sec ${_rc:-none}"
		done
		mkdir -p /out/tmp
		cp -a /mnt/sysimage /out/sysimage
		for _f in /tmp/ks-script-*.log /tmp/pxebond-ks.log /tmp/pxebond-network.ks; do
			[ -e "$_f" ] && cp -a "$_f" /out/tmp/
		done
		(cd /out && tar -cf /tmp/out.tar sysimage tmp)
		base64 /tmp/out.tar | sed "s/^/@@PXB tar $1-$_s /"
		rm -f /tmp/out.tar
	done
}

# The installer's own profiles, from its network setup.
mkdir -p /etc
cp -a /ks/installer/etc/. /etc/

rm -rf /run/pxebond
run none

pxb_logged up-skipped "$bin" up --if-lacp --ifaces eth2
mkdir -p /run/pxebond
cp "$bin" /run/pxebond/pxebond
sed 's/^PXEBOND_/@@PXB state /' /run/pxebond/state
run skipped

rm -f /run/pxebond/state /run/pxebond/state.json
pxb_logged up "$bin" up --if-lacp --cmdline /proc/cmdline || exit 1
[ ! -e /proc/net/bonding/bond0 ] || sed 's/^/@@PXB bonding up /' /proc/net/bonding/bond0
sed 's/^PXEBOND_/@@PXB state /' /run/pxebond/state
# /run/pxebond noexec, as under dracut's shell init
cp -a /run/pxebond /tmp/pxebond-run
mount -t tmpfs -o noexec,mode=0755 tmpfs /run/pxebond
cp -a /tmp/pxebond-run/. /run/pxebond/
rm -rf /tmp/pxebond-run
/run/pxebond/pxebond version >/dev/null 2>&1
pxb_result noexec "$?"
run ok
exit 0
