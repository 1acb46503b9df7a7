#!/bin/sh
# Guest scenario: the first boot of the installed system in test-write.sh. The initramfs
# holds Debian's own daemons (copied from the host with their libraries, merged-/usr
# layout) and, under /target/etc, what `pxebond write --format pxb.format` wrote in the
# installer. The boot goes as Debian's does:
#   0. the kernel's names (ethN, in PCI order) are reported
#   1. "initramfs": systemd-udevd with only the stock rules (75-net-description,
#      80-net-setup-link) and 99-default.link gives the NICs predictable names (ens2,
#      ens3 here), then exits
#   2. "switch root": /target/etc is copied over /etc, and /target/run (what netplan's
#      generator makes of etc/netplan at boot; test-write.sh runs it on the host) over /run
#   3. "real root": systemd-udevd again, `udevadm trigger --action=add` for net devices
#      (systemd-udev-trigger.service), so the written .link files apply, then
#      pxb.format=networkd: systemd-networkd, as root (it drops to systemd-network itself)
#      pxb.format=netplan:  the same, over netplan's files in /run/systemd/network
#      pxb.format=ifupdown: /bin/sh becomes dash, as on Debian, then
#                           `ifup -a --read-environment` (networking.service)
#      pxb.format=nm:       dbus-daemon on the system bus socket (/etc/pxb-dbus.conf,
#                           allows all), then NetworkManager (it reads the keyfiles in
#                           /etc/NetworkManager/system-connections; udevd keeps running
#                           from step 3, NM manages only devices udev has initialized)
#   4. waits up to pxb.secs (default 60) for bond0 to hold an IPv4 address with every
#      member collecting and distributing at both ends, then fetches the kickstart
#      over it.
# Prints:
#   @@PXB result names STAGE NAME=MAC ...  the Ethernet NICs: STAGE kernel, initramfs,
#                                          root (after each udev pass), final (members
#                                          then show the bond's MAC)
#   @@PXB log TAG LINE                     ifup's, systemd-networkd's (networkd and
#                                          netplan), NetworkManager's (nm) output
#   @@PXB result keyfiles MODE:UID:NAME ...  (nm) the keyfiles as NM finds them
#   @@PXB result rc ifup RC                (ifupdown)
#   @@PXB result ready OK SECS in_sync_ms=MS address_ms=MS start_ms=MS
#                                          OK 1 when bond0 got there, SECS since step 3;
#                                          when the members were first in sync, and when
#                                          bond0 first had its address (ms since step 3);
#                                          the uptime at step 3 (ms), for the kernel's log
#   @@PXB kmsg SECS LINE                   the kernel's lines about bond0, its uptime
#                                          stamp first: bond0 opened (8021q adds VLAN 0
#                                          to a device as it opens), members enslaved
#   @@PXB result addrs IFACE=ADDR ...      every IPv4 address but lo's
#   @@PXB bonding LINE                     /proc/net/bonding/bond0
#   @@PXB ks LINE / @@PXB result ks RC     http://10.0.0.1/ks.cfg, fetched with wget
# shellcheck source=/dev/null
. /lib/pxb.sh

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
format=$(pxb_arg pxb.format) || format=networkd
secs=$(pxb_arg pxb.secs) || secs=60
# pxb.log=debug: systemd-networkd's and NetworkManager's log level (default info)
log=$(pxb_arg pxb.log) || log=info
udevd=/lib/systemd/systemd-udevd

# Ethernet NICs (virtio devices) as NAME=MAC, in ifindex order.
names() {
	for _n in $(pxb_nics); do
		printf ' %s=%s' "$_n" "$(cat "/sys/class/net/$_n/address")"
	done
}

# udev_pass STAGE: udevd processes an "add" for every net device, as at boot.
udev_pass() {
	"$udevd" --daemon || pxb_say warn "$1: systemd-udevd did not start"
	udevadm trigger --type=devices --action=add --subsystem-match=net
	udevadm settle --timeout=20 || pxb_say warn "$1: udevadm settle timed out"
	pxb_result names "$1$(names)"
}

has_addr() {
	ip -4 addr show dev bond0 2>/dev/null | grep -q ' inet 10\.0\.0\.'
}

pxb_result names "kernel$(names)"
udev_pass initramfs
udevadm control --exit
cp -a /target/etc/. /etc/
[ ! -d /target/run ] || cp -a /target/run/. /run/
udev_pass root

t0=$(pxb_ms)
case $format in
networkd | netplan)
	mkdir -p /run/systemd
	SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=$log /lib/systemd/systemd-networkd \
		>/tmp/networkd.log 2>&1 &
	;;
ifupdown)
	mkdir -p /run/network
	# Debian's /bin/sh is dash: ifupdown runs its methods and hooks with /bin/sh, and
	# busybox sh would run its own ip and ifup applets instead of iproute2's and ifupdown's.
	if [ -x /usr/bin/dash ]; then
		rm -f /bin/sh
		ln -s /usr/bin/dash /bin/sh
	fi
	/sbin/ifup -a --read-environment >/tmp/ifup.log 2>&1
	rc=$?
	sed 's/^/@@PXB log ifup /' /tmp/ifup.log
	pxb_result rc "ifup $rc"
	;;
nm)
	# NM refuses a keyfile that is not root's or that group or others may read.
	pxb_result "keyfiles$(cd /etc/NetworkManager/system-connections && stat -c ' %a:%u:%n' -- * | tr -d '\n')"
	# Debian's /var/run is /run: NM and libdbus find the bus at /var/run/dbus/.
	mkdir -p /run/dbus /run/NetworkManager /var/lib/NetworkManager
	[ -e /var/run ] || ln -s /run /var/run
	dbus-daemon --config-file=/etc/pxb-dbus.conf --nofork --nopidfile >/tmp/dbus.log 2>&1 &
	pxb_wait 50 test -S /run/dbus/system_bus_socket || pxb_say warn "dbus-daemon: no socket"
	# --debug: in the foreground, the log on stderr (there is no journal to take it)
	NetworkManager --debug --log-level="$log" >/tmp/nm.log 2>&1 &
	;;
*) pxb_result ready "0 0 (pxb.format=$format: not networkd, netplan, ifupdown or nm)"; exit 1 ;;
esac

# Until bond0 has an address and its members are in sync; when each happened first.
ok=0 t_addr=- t_sync=- n=$((secs * 10))
while [ "$n" -gt 0 ]; do
	[ "$t_addr" != - ] || ! has_addr || t_addr=$(($(pxb_ms) - t0))
	[ "$t_sync" != - ] || ! pxb_all_in_sync || t_sync=$(($(pxb_ms) - t0))
	if [ "$t_addr" != - ] && [ "$t_sync" != - ] && has_addr && pxb_all_in_sync; then
		ok=1
		break
	fi
	n=$((n - 1))
	usleep 100000
done
t=$(($(pxb_ms) - t0))
pxb_result ready "$ok $((t / 1000)).$(((t % 1000) / 100)) in_sync_ms=$t_sync address_ms=$t_addr start_ms=$t0"
[ ! -f /tmp/networkd.log ] || sed 's/^/@@PXB log networkd /' /tmp/networkd.log
[ ! -f /tmp/dbus.log ] || sed 's/^/@@PXB log dbus /' /tmp/dbus.log
# NM calls bond0 activated a moment after its lease (after its own checks): its log
# up to there, or up to 10 s after the bond was ready.
[ ! -f /tmp/nm.log ] || pxb_wait 100 grep -q 'manager: startup complete' /tmp/nm.log ||
	pxb_say warn "NetworkManager: no startup complete"
[ ! -f /tmp/nm.log ] || sed 's/^/@@PXB log nm /' /tmp/nm.log
pxb_result names "final$(names)"
pxb_result "addrs$(ip -4 -o addr show | awk '$2 != "lo" { printf " %s=%s", $2, $4 }')"
# The kernel's own account of the bond's first steps, in its order: bond0 opened, each
# member enslaved, bond0's carrier.
dmesg | sed -n 's/^\[ *\([0-9.]*\)\] \(.*bond0.*\)$/@@PXB kmsg \1 \2/p'
[ ! -e /proc/net/bonding/bond0 ] || sed 's/^/@@PXB bonding /' /proc/net/bonding/bond0
wget -q -O /tmp/ks.cfg http://10.0.0.1/ks.cfg
rc=$?
[ ! -f /tmp/ks.cfg ] || sed 's/^/@@PXB ks /' /tmp/ks.cfg
pxb_result ks "$rc"
[ "$ok" = 1 ] && [ "$rc" = 0 ]
