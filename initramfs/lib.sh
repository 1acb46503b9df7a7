# shellcheck shell=sh
# pxebond's boot glue shared by every installer it hooks into (dracut, the Debian
# installer): console messages, NIC drivers, running `pxebond up`, keeping the binary and
# state for the installer's later stages. Sourced; every name starts with pxb_ or PXB_,
# nothing exits.

PXB_LIB=/usr/lib/pxebond
PXB_BIN=$PXB_LIB/pxebond
PXB_RUN=/run/pxebond

# pxb_say LEVEL TEXT...: one line on the console and in the kernel log, as dracut's
# info/warn do. LEVEL is info, warn or err.
pxb_say() {
	case $1 in
	err) pxb_p=3 ;;
	warn) pxb_p=4 ;;
	*) pxb_p=6 ;;
	esac
	shift
	echo "<$pxb_p>pxebond: $*" >/dev/kmsg 2>/dev/null
	echo "pxebond: $*" >&2
}

# pxb_arg NAME: prints the value of the last NAME=VALUE word of the kernel command line
# (or of $PXB_CMDLINE, a file), as pxebond itself reads it (the kernel's double quotes
# undone, nothing expanded); false when there is none.
pxb_arg() {
	"$PXB_BIN" cmdline ${PXB_CMDLINE:+--cmdline "$PXB_CMDLINE"} "$1" 2>/dev/null
}

# pxb_modalias DIR: loads the driver for the device at DIR, as udev would.
pxb_modalias() {
	[ -r "$1/modalias" ] || return 0
	read -r pxb_alias <"$1/modalias" || return 0
	modprobe -q -b "$pxb_alias" 2>/dev/null
}

# pxb_mac IFACE: sets pxb_a to its current MAC address (empty if none); no fork.
# shellcheck disable=SC2034 # pxb_a is the callers'
pxb_mac() {
	pxb_a=''
	[ -r "/sys/class/net/$1/address" ] && read -r pxb_a <"/sys/class/net/$1/address"
	return 0
}

# pxb_nic_count: how many Ethernet-type network interfaces (ARPHRD_ETHER) exist.
pxb_nic_count() {
	pxb_n=0
	for pxb_d in /sys/class/net/*; do
		[ -r "$pxb_d/type" ] || continue
		read -r pxb_t <"$pxb_d/type"
		[ "$pxb_t" = 1 ] && [ ! -d "$pxb_d/bonding" ] && pxb_n=$((pxb_n + 1))
	done
	echo "$pxb_n"
}

# pxb_load_nics: loads bonding and the drivers of the machine's network controllers now,
# before udev would, so that pxebond runs before the installer's own network setup. The
# drivers would be loaded a moment later anyway; nothing else is.
pxb_load_nics() {
	# bonding (and tls, which it needs) loads meanwhile: modprobe is slow in a VM.
	# max_bonds=0: without it, bonding.ko makes an empty bond0 of its own.
	{ modprobe -q bonding max_bonds=0; modprobe -q af_packet; } 2>/dev/null &
	pxb_bonding=$!
	pxb_want=0
	for pxb_d in /sys/bus/pci/devices/*; do
		[ -r "$pxb_d/class" ] || continue
		read -r pxb_c <"$pxb_d/class"
		case $pxb_c in
		0x02*) pxb_want=$((pxb_want + 1)) && pxb_modalias "$pxb_d" ;;
		esac
	done
	# A virtio NIC is a PCI function for virtio_pci and a virtio device for virtio_net.
	for pxb_d in /sys/bus/virtio/devices/*; do
		[ -r "$pxb_d/modalias" ] || continue
		case $(cat "$pxb_d/modalias") in
		virtio:d00000001v*) pxb_modalias "$pxb_d" ;;
		esac
	done
	for pxb_d in /sys/bus/vmbus/devices/* /sys/bus/xen/devices/vif-*; do
		[ -e "$pxb_d" ] && pxb_want=$((pxb_want + 1)) && pxb_modalias "$pxb_d"
	done
	# Whether bonding is there now (loaded or built in), not the job's status: that is
	# af_packet's modprobe.
	wait "$pxb_bonding"
	[ -d /sys/module/bonding ] ||
		pxb_say warn "cannot load bonding.ko: only single-NIC paths will work"
	# Drivers register their netdevs while they load; a few do it from a workqueue.
	# Wait a bounded moment for as many as there are controllers.
	pxb_i=0
	while [ "$(pxb_nic_count)" -lt "$pxb_want" ] && [ "$pxb_i" -lt 30 ]; do
		sleep 0.1
		pxb_i=$((pxb_i + 1))
	done
	pxb_say info "NIC drivers loaded: $(pxb_nic_count) Ethernet interfaces for $pxb_want network controllers"
}

# pxb_own_modules: loads bonding.ko and what it needs from $PXB_LIB/modules/KVER/ (a
# cpio from initramfs/mkmodules.sh, appended after the overlay) when the image has no
# bonding of its own: initramfs-tools leaves it out of its images. Quiet when there is
# nothing to do; the modules' load order is their modules.load.
pxb_own_modules() {
	[ -d /sys/module/bonding ] && return 0
	pxb_mdir=$PXB_LIB/modules/$(uname -r)
	[ -r "$pxb_mdir/modules.load" ] || return 0
	modprobe -q -n bonding 2>/dev/null && return 0
	while read -r pxb_m; do
		[ -d "/sys/module/${pxb_m%.ko}" ] && continue
		case $pxb_m in
		bonding.ko) insmod "$pxb_mdir/$pxb_m" max_bonds=0 ;;
		*) insmod "$pxb_mdir/$pxb_m" ;;
		esac || pxb_say warn "cannot load $pxb_mdir/$pxb_m"
	done <"$pxb_mdir/modules.load"
	[ -d /sys/module/bonding ] &&
		pxb_say info "bonding.ko loaded from $pxb_mdir (the image has none of its own)"
}

# pxb_up CMDLINE_FILE [OPTION...]: runs `pxebond up`, which takes over only where a NIC
# has an LACP partner. Returns its exit status: 0 a path is up, 4 no LACP (nothing
# changed), others: it failed and put the NICs back as they were.
pxb_up() {
	mkdir -p "$PXB_RUN"
	pxb_rc=0
	pxb_file=$1
	shift
	# stdout too goes to the console: in the Debian installer, stdout is debconf's.
	"$PXB_BIN" up --if-lacp --cmdline "$pxb_file" "$@" >&2 || pxb_rc=$?
	# For `pxebond write` in a %post, a late_command or the installed system: /run
	# survives switch_root, the initramfs does not.
	cp "$PXB_BIN" "$PXB_RUN/pxebond" 2>/dev/null
	return "$pxb_rc"
}

# pxb_state: what `up` did, as PXEBOND_* variables: the one way shell reads the state.
# The binary reads it (its format version, every value checked against its type: a
# hostile one is left out) and prints it as single-quoted assignments; nothing here
# parses or sources the file itself. True when a path is up.
pxb_state() {
	pxb_st=$("$PXB_BIN" status --state "$PXB_RUN" 2>/dev/null) || return 1
	eval "$pxb_st"
	[ "$PXEBOND_RESULT" = ok ] && [ -n "$PXEBOND_IFACE" ]
}

# pxb_kv NAME VALUE: NAME='VALUE' for a file other scripts source, a quote in VALUE as
# '\'' (no fork: each one counts under TCG). pxb_state's values have no control bytes.
pxb_kv() {
	pxb_kv_v=$2 pxb_kv_q=''
	while :; do
		case $pxb_kv_v in
		*\'*)
			pxb_kv_q="$pxb_kv_q${pxb_kv_v%%\'*}'\\''"
			pxb_kv_v=${pxb_kv_v#*\'}
			;;
		*) break ;;
		esac
	done
	printf "%s='%s'\n" "$1" "$pxb_kv_q$pxb_kv_v"
}
