#!/bin/sh
# The rescue image's boot, run once by busybox init before the console shells start:
# the drivers of the machine's devices, pxebond's probe table, `pxebond up` (the whole
# ladder: 802.3ad, active-backup, one NIC), its state, then SSH (ssh.sh).
export PATH=/usr/bin:/bin
# shellcheck source=rescue/lib.sh
. /usr/lib/rescue/lib.sh

# rescue_coldplug: loads a driver for every device the kernel has found so far, as udev's
# coldplug would: one modprobe for all their modaliases (most match nothing we carry).
rescue_coldplug() {
	# shellcheck disable=SC2046 # one word per alias; aliases hold no blanks
	modprobe -q -a $(cat /sys/bus/*/devices/*/modalias 2>/dev/null | sort -u) 2>/dev/null
	return 0
}

# rescue_nics_expected / rescue_nics: network controllers found, Ethernet links made.
rescue_nics_expected() {
	n=0
	for d in /sys/bus/pci/devices/*; do
		[ -r "$d/class" ] || continue
		read -r c <"$d/class"
		case $c in 0x02*) n=$((n + 1)) ;; esac
	done
	echo "$n"
}
rescue_nics() {
	n=0
	for d in /sys/class/net/*; do
		[ -e "$d/device" ] || continue # a device's link, not bond0 or lo
		read -r t <"$d/type" || continue
		[ "$t" = 1 ] && n=$((n + 1))
	done
	echo "$n"
}

# What this prints goes to every console (rescue_out); stray errors to /dev/console.
: >"$RESCUE_LOG"
rescue_say "pxebond rescue image, kernel $(uname -r), $(pxebond version)"
modprobe -q bonding max_bonds=0 || rescue_say "cannot load bonding: only single-NIC paths will work"
# Twice: a virtio NIC is a PCI function (virtio_pci) before it is a virtio device.
rescue_coldplug
rescue_coldplug
# Drivers register their links as they probe; a few from a workqueue: a bounded wait.
want=$(rescue_nics_expected)
i=0
while [ "$(rescue_nics)" -lt "$want" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
rescue_say "drivers loaded: $(rescue_nics) Ethernet links for $want network controllers"

# rescue_net: the probe table, `pxebond up`, its state; true when the path has an address.
rescue_net() {
	# up --table: the probe's table, then the ladder, from one probe.
	rescue_say "pxebond up --table:"
	{
		rc=0
		pxebond up --table 2>&1 || rc=$?
		echo "$rc" >"$RESCUE_RUN/up.rc"
	} | rescue_out
	read -r rc <"$RESCUE_RUN/up.rc"
	rescue_say "pxebond status:"
	pxebond status 2>&1 | rescue_out
	# The state as the binary reads it (checked, single-quoted): never sourced raw.
	st=$(pxebond status 2>/dev/null) && eval "$st"
	if [ "$rc" != 0 ] || [ -z "${PXEBOND_IP:-}" ]; then
		rescue_say "network: no path came up (pxebond up: exit $rc);" \
			"'pxebond probe' and 'pxebond up -v' on the console"
		return 1
	fi
	# pxebond gives the address the lease's lifetime and leaves renewing to whoever
	# comes next. Here nothing comes next: make the address permanent, so that SSH
	# outlives the lease, and let busybox udhcpc renew it with the server.
	ip addr replace "$PXEBOND_IP/$PXEBOND_PREFIX" \
		${PXEBOND_BROADCAST:+broadcast "$PXEBOND_BROADCAST"} dev "$PXEBOND_IFACE" ||
		rescue_say "cannot make $PXEBOND_IP on $PXEBOND_IFACE permanent: it goes when the lease ends"
	udhcpc -f -i "$PXEBOND_IFACE" -r "$PXEBOND_IP" -s /usr/lib/rescue/udhcpc.sh \
		-t 3 -T 3 -A 60 </dev/null >>"$RESCUE_RUN/dhcp.log" 2>&1 &
	hostname "${PXEBOND_HOSTNAME:-rescue}"
	rescue_say "network: $PXEBOND_MODE on $PXEBOND_IFACE, address $PXEBOND_IP/$PXEBOND_PREFIX"
}

hostname rescue
if [ "$(rescue_args pxebond | tail -n 1)" = off ]; then
	rescue_say "network: pxebond=off: not brought up ('pxebond up --mode auto' on the console does it)"
	rescue_say "ssh: not started: no address"
elif rescue_net; then
	/usr/lib/rescue/ssh.sh "$PXEBOND_IP"
else
	rescue_say "ssh: not started: no address"
fi

# Disks behind a controller appear while the network comes up: their drivers now.
rescue_coldplug
rescue_say "ready: root shell on the console; /run/rescue/boot.log has these lines"
