#!/bin/sh
# PID 1 of every lab guest: mount the basics, load the modules in order, run /scenario,
# report its exit status as a framed line and power off. Busybox sh, POSIX only.
# Kernel command line: MODULE.PARAM=VALUE goes to insmod; pxb.shell=pre|post|fail opens a
# shell on the console before the scenario, after it, or after it only when it failed;
# other pxb.* are for the scenario.

# The cpio has no /dev/console (making one needs mknod as root), so the kernel starts
# us without stdio: attach it ourselves once devtmpfs is up.
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
# shellcheck source=/dev/null
. /lib/pxb.sh

pxb_say init "uptime=$(pxb_uptime)"
# Module parameters come from the command line as NAME.PARAM=VALUE, as modprobe does.
# bonding makes a bond0 on load unless max_bonds=0; scenarios create their own bonds.
read -r cmdline </proc/cmdline
while read -r m; do
	name=${m##*/}
	name=${name%.ko}
	params=
	[ "$name" = bonding ] && params=max_bonds=0
	for a in $cmdline; do
		case $a in "$name".*=*) params="$params ${a#"$name".}" ;; esac
	done
	# shellcheck disable=SC2086 # one word per parameter
	insmod "/$m" $params || pxb_say warn "insmod $m failed"
done </lib/modules.load
ip link set lo up
pxb_say modules "uptime=$(pxb_uptime) nics=$(pxb_nics | tr '\n' ' ')"

shell=$(pxb_arg pxb.shell)
pxb_shell() {
	echo "pxb: shell ($1); exit or Ctrl-D to go on, Ctrl-A x quits QEMU"
	setsid cttyhack sh -l
}
[ "$shell" = pre ] && pxb_shell "before scenario"
sh /scenario
rc=$?
if [ "$shell" = post ] || { [ "$shell" = fail ] && [ "$rc" -ne 0 ]; }; then
	pxb_shell "scenario exited $rc"
fi
pxb_say "done" "rc=$rc uptime=$(pxb_uptime)"
sync
poweroff -f
