#!/bin/bash
# Boot one lab guest under QEMU with N virtio NICs, print the "@@PXB ..." lines its
# console emits, and exit with the scenario's status (124 timeout, 125 no status).
#
# Usage: run-guest.sh -i INITRD [-n NAME] [-g N] [-t SECS] [-a ARGS] [-k KDIR] [-m MON] NIC...
#   NIC  user | listen:PORT | connect:PORT | udp:LPORT:RPORT, then optional
#        ,dump=FILE.pcap (all frames both ways) ,mac=MAC (default 52:54:00:b0:GG:NN)
#        ,link=off (no carrier from the first instruction on: an unplugged cable)
#   -g N guest number 0-255, goes into the default MACs so two guests differ
#   -a   extra kernel command line (e.g. pxb.shell=fail loglevel=7)
#   -m   a QEMU monitor the host drives while the guest runs: write commands to the
#        FIFO MON.in at any time (echo 'set_link n0 off' >MON.in); answers go to MON.log
# Env: PXB_QEMU_ACCEL (tcg), PXB_QEMU_MEM (256), PXB_QEMU_TIMEOUT (120),
#      PXB_QEMU_KERNEL (KDIR/vmlinux, else vmlinuz), PXB_QEMU_APPEND (kernel args),
#      PXB_QEMU_LOGDIR (build/qemu/logs), PXB_QEMU_VERBOSE=1 (console to stderr),
#      PXB_QEMU_SHELL=pre|post|fail (interactive: console on this terminal, no timeout).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '5,16s/^# \{0,1\}//p' "$0" >&2; exit 2; }

initrd='' name=guest guest=0 append='' kdir=$root/build/qemu/kernel mon=''
timeout=${PXB_QEMU_TIMEOUT:-120}
while getopts i:n:g:t:a:k:m: opt; do
	case $opt in
	i) initrd=$OPTARG ;;
	n) name=$OPTARG ;;
	g) guest=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) append+=" $OPTARG" ;;
	k) kdir=$OPTARG ;;
	m) mon=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$initrd" ] || usage
# vmlinux (PVH entry) boots 2.5 s faster under TCG than the bzImage; see fetch-kernel.sh.
kernel=${PXB_QEMU_KERNEL:-$kdir/vmlinux}
[ -f "$kernel" ] || kernel=$kdir/vmlinuz

args=(-accel "${PXB_QEMU_ACCEL:-tcg}" -m "${PXB_QEMU_MEM:-256}" -smp 1
	-nodefaults -no-user-config -display none -serial mon:stdio -no-reboot
	-kernel "$kernel" -initrd "$initrd")
n=0 downs=()
for spec in "$@"; do
	net=${spec%%,*} mac=$(printf '52:54:00:b0:%02x:%02x' "$guest" "$n") dump=
	IFS=, read -r -a opts <<<"${spec#"$net"}"
	for o in "${opts[@]}"; do
		case $o in
		'') ;;
		dump=*) dump=${o#dump=} ;;
		mac=*) mac=${o#mac=} ;;
		link=off) downs+=("n$n") ;;
		*) echo "run-guest: $spec: unknown option $o" >&2; exit 2 ;;
		esac
	done
	case $net in
	user) nd=user ;;
	listen:*) nd=socket,listen=127.0.0.1:${net#listen:} ;;
	connect:*)
		# QEMU gives up at once if nobody listens yet; the listening guest may be starting.
		port=${net#connect:}
		for _ in $(seq 50); do
			[ -n "$(ss -Hltn "sport = :$port")" ] && break
			sleep 0.1
		done
		nd=socket,connect=127.0.0.1:$port ;;
	udp:*:*) p=${net#udp:}; nd=socket,udp=127.0.0.1:${p#*:},localaddr=127.0.0.1:${p%%:*} ;;
	*) echo "run-guest: bad NIC $spec" >&2; usage ;;
	esac
	# 802.3ad (and alb/tlb) keep a member down unless it reports speed and duplex.
	args+=(-netdev "$nd,id=n$n" -device "virtio-net-pci,netdev=n$n,mac=$mac,speed=1000,duplex=full")
	[ -z "$dump" ] || args+=(-object "filter-dump,id=f$n,netdev=n$n,file=$dump")
	n=$((n + 1))
done

logdir=${PXB_QEMU_LOGDIR:-$root/build/qemu/logs}
mkdir -p "$logdir"
# QEMU has no option for a link that starts down, only the monitor's set_link: start
# paused, with a second monitor whose input FIFO already holds set_link and cont (fd 3
# keeps it open read-write, so nothing blocks, then or when the host writes to it
# later); the guest never sees carrier.
if [ ${#downs[@]} -gt 0 ] || [ -n "$mon" ]; then
	[ -n "$mon" ] || mon=$logdir/$name.mon
	rm -f "$mon.in" "$mon.out"
	mkfifo "$mon.in" "$mon.out"
	exec 3<>"$mon.in"
	if [ ${#downs[@]} -gt 0 ]; then
		printf 'set_link %s off\n' "${downs[@]}" >&3
		printf 'cont\n' >&3
		args+=(-S)
	fi
	args+=(-monitor "pipe:$mon")
fi

cmdline="console=ttyS0 panic=-1 quiet${PXB_QEMU_APPEND:+ $PXB_QEMU_APPEND}$append"
if [ -n "${PXB_QEMU_SHELL:-}" ]; then
	exec qemu-system-x86_64 "${args[@]}" -append "$cmdline pxb.shell=$PXB_QEMU_SHELL"
fi

log=$logdir/$name.log
: >"$log"
qpid='' tpid='' mpid=''
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	for p in $qpid $tpid $mpid; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -z "$mon" ] || rm -f "$mon.in" "$mon.out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=${EPOCHREALTIME/./}
timeout -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" -append "$cmdline" \
	</dev/null >"$log" 2>&1 &
qpid=$!
# The monitor's answers: drained, or QEMU would stall once the pipe is full.
if [ -n "$mon" ]; then
	cat "$mon.out" >"$mon.log" &
	mpid=$!
fi

rc=125 t_init='' t_done=''
elapsed() { # seconds since t0, two decimals
	local us=$((${EPOCHREALTIME/./} - t0))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}
while IFS= read -r line; do
	line=${line%$'\r'}
	[ "${PXB_QEMU_VERBOSE:-0}" = 1 ] && printf '%s: %s\n' "$name" "$line" >&2
	case $line in
	*'@@PXB '*) line=@@PXB${line#*@@PXB} ;;
	*) continue ;;
	esac
	printf '%s\n' "$line"
	case $line in
	'@@PXB init '*) t_init=$(elapsed) ;;
	'@@PXB done rc='*) t_done=$(elapsed); rc=${line#@@PXB done rc=}; rc=${rc%% *} ;;
	esac
done < <(tail -s 0.1 -n +1 -f --pid="$qpid" "$log")
tpid=$! # tail ends by itself once QEMU is gone; this is for an early exit
wait "$qpid" && qrc=0 || qrc=$?
qpid=''
[ "$qrc" = 124 ] && [ -z "$t_done" ] && rc=124
echo "run-guest: $name: init after ${t_init:--} s, done after ${t_done:--} s," \
	"rc=$rc (qemu $qrc), log $log" >&2
if [ "$rc" != 0 ]; then
	tail -n 20 "$log" | sed "s/^/$name| /" >&2
fi
exit "$rc"
