# shellcheck shell=bash
# The PXE lab: a real PXE boot on this host. QEMU's own iPXE ROM boots the guest over two
# virtio NICs wired, through taps, to Open vSwitch (userspace datapath) as the switch, with
# an install server (dnsmasq for DHCP, a python3 HTTP server) behind it; the switch ports
# are a strict LACP LAG, a LAG with fallback, or plain ports, chosen per boot. Sourced by
# tests/qemu/test-pxe.sh and tests/qemu/pxe/bench.sh; built on tests/netns/lib.sh (its
# namespaces and Open vSwitch start and teardown).
#
#   QEMU guest, in the switch ns           switch ns ($LAB_S): ovs-vswitchd, bridge br0
#   iPXE ROM, then the kernel + initrds    strict:   bond "lag" = tap0+tap1, lacp=active,
#   NIC0 52:54:00:b1:00:00 ---- tap0 ---+            fast, bond_mode=balance-tcp, no fallback
#   NIC1 52:54:00:b1:00:01 ---- tap1 ---+  fallback: the same + lacp-fallback-ab=true
#                                       |  plain:    tap0 and tap1 as ordinary ports
#                                       sv
#                                       | veth
#   server ns ($LAB_C): srv0 10.0.0.1/24, dnsmasq (DHCP 10.0.0.100-150; iPXE gets
#   http://10.0.0.1/boot.ipxe), httpd.py serving $PXE_WORK/www on port 80, ra.py (an
#   IPv6 router advertisement saying "no router, no prefix", so iPXE does not wait 13 s)
#
# pxe_lab_start WORKDIR; pxe_boot NAME --switch strict|fallback|plain|keep --initrd F
# [--initrd F2 ...] --append 'ARGS' [--kernel F] [--disk FILE] [--boot disk]
# [--nic-order swapped] [--timeout SECS] [--until ERE] [--uefi] [--cdrom ISO]
# [--switch-at ERE]; then the readers below.
# pxe_nfs_start DIR PATH: an NFS server too. Teardown on exit (lib.sh's trap; PXB_KEEP=1
# keeps the lab). --disk gives the guest a virtio disk, vda (raw, or qcow2 by its name;
# cache=unsafe: an installer's fsyncs cost nothing), e.g. the Debian installer's target
# (di-install.sh); the guest still boots from the network (iPXE) first, unless --boot
# disk: then the firmware boots the disk (what an installer left there; the guest gets a
# display card, which an installed system's GRUB needs) and no --initrd is needed.
# --nic-order swapped puts the two NICs in each other's PCI slots (NIC1, with its MAC
# and tap1, first on the bus), so the kernel enumerates them the other way round.
# --switch keep leaves the switch as it is, configuration and LACP state (set it up
# once with pxe_switch): a boot that must not touch it.
# --uefi boots the guest under OVMF (Debian's ovmf, 4 MiB build, a fresh copy of its
# variables per boot) instead of SeaBIOS; the NICs' ROM is the same efi-virtio.rom, whose
# EFI driver iPXE then runs. --cdrom ISO boots the guest from ISO as a CD-ROM with no PXE
# at all: the NICs get no option ROM (-boot d), no --initrd or --append is needed, and the
# ISO's own boot loader gives the kernel its command line (virtual media through a BMC).
# Per boot, in WORKDIR: NAME.console (the serial console), NAME.pxb (its "@@PXB" lines),
# NAME.events ("SECS LINE": seconds since QEMU started, for the @@PXB lines and the first
# console line), NAME.times (sourceable: qemu_start, kernel_s, live_s, live_uptime,
# done_s, end), NAME.dnsmasq and NAME.http (that boot's part of the server's logs),
# NAME.switch (ovs-appctl lacp/show and bond/show when the live root reports, and at
# the end), NAME.tap0.pcap and NAME.tap1.pcap (DHCP and LACP frames on the switch ports).
# Env: PXB_QEMU_ACCEL (tcg), PXB_PXE_MEM (MiB, 768), PXB_QEMU_VERBOSE=1 (console to
# stderr), PXB_PXE_RA=0 (no router advertisement: iPXE's own 13 s wait comes back),
# PXB_PXE_PCAP (tcpdump filter for the tap captures; "all" for every frame), PXB_KEEP=1,
# and mkdracut.sh's and mklive.sh's.

pxe_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pxe_root=$(cd "$pxe_here/../../.." && pwd)
# shellcheck source=tests/netns/lib.sh
. "$pxe_root/tests/netns/lib.sh"

PXE_SERVER=10.0.0.1
PXE_MAC0=52:54:00:b1:00:00
PXE_MAC1=52:54:00:b1:00:01
# The switch's LACP identity: the partner the guest's bond must see.
PXE_SYSID=02:00:00:00:0a:0a
PXE_WORK=
PXE_WWW=
PXE_LIVE=
# Debian's python3 (the servers need only its standard library), not a PATH shim.
pxe_python=/usr/bin/python3
[ -x "$pxe_python" ] || pxe_python=python3

# pxe_lab_start WORKDIR: the switch, the server and the live root; WORKDIR is emptied.
pxe_lab_start() {
	local t
	for t in qemu-system-x86_64 dnsmasq tcpdump ethtool python3 mke2fs mksquashfs dracut; do
		command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ] ||
			lab_die "$t missing (scripts/deps.sh)"
	done
	[ -f /usr/lib/ipxe/qemu/efi-virtio.rom ] || lab_die "no iPXE ROM (apt-get install ipxe-qemu)"
	# Debian's kernel (pxe_boot's default) and the live root: no-ops when current.
	"$pxe_root/tests/qemu/fetch-kernel.sh" "$pxe_root/build/qemu/kernel" ||
		lab_die "fetch-kernel.sh failed"
	PXE_LIVE=$pxe_root/build/qemu/pxe/live
	"$pxe_here/mklive.sh" "$PXE_LIVE" || lab_die "mklive.sh failed"
	rm -rf "${1:?pxe_lab_start WORKDIR}"
	mkdir -p "$1"
	PXE_WORK=$(cd "$1" && pwd) # absolute: dnsmasq and the servers run elsewhere
	PXE_WWW=$PXE_WORK/www
	mkdir -p "$PXE_WWW"
	ln -s "$PXE_LIVE/root.squashfs" "$PXE_LIVE/payload-net.bin" "$PXE_WWW/"

	lab_start
	# The server's wire into the switch. The userspace datapath hands frames on as they
	# are, so a veth must not leave checksums to an offload that never happens.
	ip link add srv0 netns "$LAB_C" type veth peer name sv netns "$LAB_S"
	ip netns exec "$LAB_C" ethtool -K srv0 tx off >/dev/null
	ip netns exec "$LAB_S" ethtool -K sv tx off >/dev/null
	ip -n "$LAB_C" addr add "$PXE_SERVER/24" dev srv0
	# ra.py needs srv0's link-local address at once: no duplicate address detection.
	ip netns exec "$LAB_C" sysctl -qw net.ipv6.conf.srv0.accept_dad=0
	ip -n "$LAB_C" link set srv0 up
	ip -n "$LAB_S" link set sv up
	lab_vsctl add-port br0 sv
	# Persistent taps: QEMU attaches to them by name, the switch sees them as ports.
	for t in tap0 tap1; do
		ip -n "$LAB_S" tuntap add "$t" mode tap
		ip -n "$LAB_S" link set "$t" up
	done

	# DHCP: iPXE (user class "iPXE") is sent to the boot script; the kernel's clients get
	# a plain lease. No DNS (--port=0); --no-ping: no 3 s ICMP probe before each offer.
	ip netns exec "$LAB_C" dnsmasq --conf-file=/dev/null --keep-in-foreground --user=root \
		--port=0 --bind-interfaces --interface=srv0 --no-ping --dhcp-authoritative \
		--dhcp-range=10.0.0.100,10.0.0.150,255.255.255.0,1h \
		--dhcp-leasefile="$LAB_DIR/dnsmasq.leases" \
		--dhcp-userclass=set:ipxe,iPXE --dhcp-boot=tag:ipxe,"http://$PXE_SERVER/boot.ipxe" \
		--log-dhcp --log-facility="$PXE_WORK/dnsmasq.log" 2>>"$PXE_WORK/dnsmasq.err" &
	echo $! >"$LAB_DIR/dnsmasq.pid"
	: >"$PXE_WORK/http.log"
	ip netns exec "$LAB_C" "$pxe_python" "$pxe_here/httpd.py" "$PXE_SERVER" 80 "$PXE_WWW" \
		"$PXE_WORK/http.log" 2>>"$PXE_WORK/http.err" &
	echo $! >"$LAB_DIR/httpd.pid"
	if [ "${PXB_PXE_RA:-1}" = 1 ]; then
		ip netns exec "$LAB_C" "$pxe_python" "$pxe_here/ra.py" srv0 2>>"$PXE_WORK/ra.err" &
		echo $! >"$LAB_DIR/ra.pid"
	fi
	for _ in $(seq 50); do
		[ -n "$(ip netns exec "$LAB_C" ss -Hltn "sport = :80")" ] &&
			[ -n "$(ip netns exec "$LAB_C" ss -Hlun "sport = :67")" ] && return 0
		sleep 0.1
	done
	lab_die "dnsmasq or httpd.py did not start (see $PXE_WORK/*.err)"
}

# pxe_nfs_start DIR PATH: serves DIR read-only to the lab as $PXE_SERVER:PATH over NFS
# (v3 and v4, TCP and UDP) until the lab stops: nfs-ganesha, a userspace server (the
# host kernel has no nfsd), and rpcbind for v3's mountd, both in the server's namespace
# and in a mount namespace of their own with a private /run (rpcbind's socket and
# ganesha's state never meet the host's). v3 mounts by PATH too (Mount_Path_Pseudo);
# no grace period (a fresh server has no clients to wait for). Log: $PXE_WORK/ganesha.log.
pxe_nfs_start() {
	local dir conf=$PXE_WORK/ganesha.conf
	dir=$(cd "${1:?pxe_nfs_start DIR PATH}" && pwd)
	cat >"$conf" <<-EOF
		NFS_CORE_PARAM {
			Bind_addr = $PXE_SERVER;
			Protocols = 3, 4;
			Mount_Path_Pseudo = true;
			Enable_NLM = false;
			Enable_RQUOTA = false;
		}
		NFSV4 {
			Graceless = true;
			RecoveryRoot = /run/ganesha/recovery;
		}
		EXPORT {
			Export_Id = 1;
			Path = "$dir";
			Pseudo = "${2:?pxe_nfs_start DIR PATH}";
			Access_Type = RO;
			Squash = No_Root_Squash;
			Protocols = 3, 4;
			Transports = TCP, UDP;
			SecType = sys;
			FSAL { Name = VFS; }
		}
		LOG { Default_Log_Level = EVENT; }
	EOF
	# shellcheck disable=SC2016 # the namespace's shell expands them
	ip netns exec "$LAB_C" unshare -m --propagation private sh -c '
		mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -p /run/rpcbind /run/ganesha || exit 1
		rpcbind -f -w & echo $! >"$1/rpcbind.pid"
		sleep 0.2
		ganesha.nfsd -F -L "$2/ganesha.log" -f "$3" -p /run/ganesha/ganesha.pid &
		echo $! >"$1/ganesha.pid"
		wait' sh "$LAB_DIR" "$PXE_WORK" "$conf" 2>>"$PXE_WORK/ganesha.err" &
	echo $! >"$LAB_DIR/nfs.pid"
	for _ in $(seq 100); do
		[ -n "$(ip netns exec "$LAB_C" ss -Hltn "sport = :2049")" ] &&
			[ -n "$(ip netns exec "$LAB_C" ss -Hltn "sport = :111")" ] && return 0
		sleep 0.1
	done
	lab_die "nfs-ganesha did not start (see $PXE_WORK/ganesha.log, ganesha.err)"
}

# pxe_switch strict|fallback|plain|none: rewires tap0 and tap1 (any LACP state is
# forgotten); none: in no bridge, as switch ports without a link.
pxe_switch() {
	lab_vsctl -- --if-exists del-port br0 lag -- --if-exists del-port br0 tap0 \
		-- --if-exists del-port br0 tap1
	case $1 in
	strict | fallback)
		lab_vsctl add-bond br0 lag tap0 tap1 lacp=active bond_mode=balance-tcp \
			other_config:lacp-time=fast other_config:lacp-system-id="$PXE_SYSID" \
			other_config:lacp-fallback-ab="$([ "$1" = fallback ] && echo true || echo false)"
		;;
	plain) lab_vsctl add-port br0 tap0 -- add-port br0 tap1 ;;
	none) ;;
	*) lab_die "pxe_switch: $1: strict, fallback, plain or none" ;;
	esac
}

# pxe_switch_state NAME TITLE: appends the switch's view of the LAG to NAME.switch.
pxe_switch_state() {
	{
		echo "== $2"
		lab_appctl lacp/show lag 2>&1
		lab_appctl bond/show lag 2>&1
	} >>"$PXE_WORK/$1.switch"
}

# pxe_in_sync: the LAG's lacp/show (as text on stdin) has both members attached and
# the guest in sync on both.
pxe_in_sync() {
	local s
	s=$(cat)
	[ "$(grep -c '^member: tap[01]: current attached$' <<<"$s")" = 2 ] &&
		[ "$(grep -c 'partner state: activity timeout aggregation synchronized collecting distributing' <<<"$s")" = 2 ]
}
# pxe_switch_in_sync NAME TITLE: pxe_in_sync in NAME.switch's section TITLE (the "==
# TITLE" header pxe_switch_state wrote, e.g. "end of boot").
pxe_switch_in_sync() {
	sed -n "/^== $2/,/^== /p" "$PXE_WORK/$1.switch" | pxe_in_sync
}
# pxe_bond_summary: /proc/net/bonding/bond0 (as text on stdin) as
# "MODE|MEMBERS|ACTIVE_AGG|AGG_OF_EACH|PARTNER", e.g.
# "IEEE 802.3ad Dynamic link aggregation|eth0 eth1|1|1 1|02:00:00:00:0a:0a".
pxe_bond_summary() {
	awk -F': ' '
		/^Bonding Mode:/ { mode = $2 }
		/^Active Aggregator Info:/ { inact = 1; next }
		inact && /Aggregator ID:/ { active = $2 }
		inact && /Partner Mac Address:/ { partner = $2; inact = 0 }
		/^Slave Interface:/ { slave = $2; members = members (members ? " " : "") slave }
		/^Aggregator ID:/ && slave != "" { aggs = aggs (aggs ? " " : "") $2 }
		END { printf "%s|%s|%s|%s|%s\n", mode, members, active, aggs, partner }'
}
# A guest the test talks to while it runs: pxe_boot ... & PXE_GUEST_PID=$!; then
# pxe_stop_guest ends its QEMU (and is a no-op when none runs; for an EXIT trap too).
PXE_GUEST_PID=''
pxe_stop_guest() {
	[ -n "$PXE_GUEST_PID" ] || return 0
	[ -f "$LAB_DIR/qemu.pid" ] && kill "$(cat "$LAB_DIR/qemu.pid")" 2>/dev/null
	wait "$PXE_GUEST_PID" 2>/dev/null
	PXE_GUEST_PID=''
	return 0
}

pxe_elapsed() { # seconds since $pxe_t0 (EPOCHREALTIME without the dot), two decimals
	local us=$((${EPOCHREALTIME/./} - pxe_t0))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}

# pxe_boot NAME --switch strict|fallback|plain|keep --initrd F [--initrd F2 ...]
#          --append 'ARGS' [--kernel F] [--disk FILE] [--boot disk] [--nic-order swapped]
#          [--timeout SECS] [--until ERE] [--until-http PATH] [--uefi] [--cdrom ISO]
#          [--switch-at ERE]
# Sets the switch up (with --switch-at, only at the first console line matching ERE:
# until then tap0 and tap1 are in no bridge, as switch ports without a link; the UEFI
# scenarios start them with iPXE, see tests/qemu/README.md), writes the iPXE script (the kernel with console=ttyS0 and ARGS,
# then each initrd in order; ARGS may use iPXE settings, e.g. BOOTIF=01-${netX/mac:hexhyp};
# under --uefi also initrd=initrd0 initrd=initrd1..., with which the kernel's EFI stub
# loads them from iPXE, see docs/boot.md),
# boots the guest and stops at the live root's "@@PXB done", at the first console line
# matching ERE, once the server has served PATH (status 200), or after SECS (default 180)
# of wall clock. True unless it timed out.
pxe_boot() {
	local name=$1 sw=strict kernel=$pxe_root/build/qemu/kernel/vmlinuz append='' tmo=180
	local until='' initrds=() f i=0 line end=timeout t_kernel='' t_live='' uptime='' t_done=''
	local qpid tpids=() doff hoff until_http='' follow src=console t code disk=()
	local uefi=0 cdrom='' fw=() boot=(-boot n) nic0='' nic1='' efi_initrds='' switch_at=''
	local bootdisk=0 swapped=0 vga=()
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--uefi) uefi=1 && shift && continue ;;
		--cdrom) cdrom=$(realpath "$2") ;;
		--switch-at) switch_at=$2 ;;
		--switch) sw=$2 ;;
		--kernel) kernel=$2 ;;
		--initrd) initrds+=("$2") ;;
		--append) append=$2 ;;
		--timeout) tmo=$2 ;;
		--until) until=$2 ;;
		--until-http) until_http=$2 ;;
		--disk)
			f=raw
			[[ $2 != *.qcow2 ]] || f=qcow2
			disk=(-drive "file=$(realpath "$2"),format=$f,if=virtio,cache=unsafe")
			;;
		--boot)
			[ "$2" = disk ] || lab_die "pxe_boot: --boot disk"
			bootdisk=1
			;;
		--nic-order)
			[ "$2" = swapped ] || lab_die "pxe_boot: --nic-order swapped"
			swapped=1
			;;
		*) lab_die "pxe_boot: unknown option $1" ;;
		esac
		shift 2
	done
	[ ${#initrds[@]} -gt 0 ] || [ -n "$cdrom" ] || [ "$bootdisk" = 1 ] ||
		lab_die "pxe_boot $name: no --initrd"
	# One line: iPXE would take a newline in ARGS as the end of its kernel command.
	append=$(tr -s ' \n\t' ' ' <<<"$append")
	append=${append% }
	rm -rf "${PXE_WWW:?}/$name" "$PXE_WORK/$name".*
	mkdir -p "$PXE_WWW/$name"
	ln -s "$(realpath "$kernel")" "$PXE_WWW/$name/vmlinuz"
	if [ "$uefi" = 1 ]; then
		for ((i = 0; i < ${#initrds[@]}; i++)); do efi_initrds+=" initrd=initrd$i"; done
		i=0
	fi
	{
		echo '#!ipxe'
		echo "kernel http://$PXE_SERVER/$name/vmlinuz console=ttyS0 panic=-1$efi_initrds $append"
		for f in "${initrds[@]}"; do
			ln -s "$(realpath "$f")" "$PXE_WWW/$name/initrd$i"
			echo "initrd http://$PXE_SERVER/$name/initrd$i"
			i=$((i + 1))
		done
		echo boot
	} >"$PXE_WWW/boot.ipxe"
	cp "$PXE_WWW/boot.ipxe" "$PXE_WORK/$name.ipxe"
	if [ "$uefi" = 1 ]; then
		# OVMF_CODE is read-only; each boot starts from Debian's empty variable store.
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$PXE_WORK/$name.vars"
		fw=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
			-drive "if=pflash,format=raw,unit=1,file=$PXE_WORK/$name.vars")
		nic0=,romfile=/usr/lib/ipxe/qemu/efi-virtio.rom nic1=$nic0
		# OVMF boots what bootindex names; -boot is SeaBIOS's
		boot=()
		[ -n "$cdrom" ] || nic0+=,bootindex=1
	fi
	if [ -n "$cdrom" ]; then
		# no option ROM on the NICs: no PXE, whatever the firmware
		nic0=,romfile= nic1=,romfile=
		boot=(-boot d)
		[ "$uefi" = 0 ] || boot=()
		disk+=(-drive "file=$cdrom,format=raw,if=none,id=cd,media=cdrom,readonly=on"
			-device "ide-cd,drive=cd,bootindex=0")
	fi
	if [ "$bootdisk" = 1 ]; then
		# A display card, never shown: an installed system's GRUB hangs without one. In
		# the last slot, so that the NICs and the disk keep the slots (and predictable
		# names) they had when the system was installed.
		boot=(-boot c) vga=(-device "VGA,addr=0x1f")
	fi
	if [ "$swapped" = 1 ]; then
		# each in the other's slot (QEMU gives them 2 and 3, in order)
		nic0+=,addr=0x3 nic1+=,addr=0x2
	fi
	if [ -n "$switch_at" ]; then
		pxe_switch none
	elif [ "$sw" != keep ]; then
		pxe_switch "$sw"
	fi

	local filter=${PXB_PXE_PCAP:-udp port 67 or udp port 68 or ether proto 0x8809}
	[ "$filter" != all ] || filter=
	for f in tap0 tap1; do
		ip netns exec "$LAB_S" tcpdump -i "$f" -U -w "$PXE_WORK/$name.$f.pcap" "$filter" \
			2>/dev/null &
		tpids+=($!)
		echo $! >"$LAB_DIR/tcpdump-$f.pid" # lib.sh's teardown, if we never get to ours
	done
	doff=$(stat -c %s "$PXE_WORK/dnsmasq.log" 2>/dev/null || echo 0)
	hoff=$(stat -c %s "$PXE_WORK/http.log")
	local console=$PXE_WORK/$name.console
	: >"$console"
	rm -f "$LAB_DIR/qemu.pid"
	pxe_t0=${EPOCHREALTIME/./}
	# vnet_hdr=off: with it, the guest leaves TCP checksums to the host, and the
	# userspace switch never fills them in (DHCP works, HTTP does not).
	timeout -k 5 "$tmo" ip netns exec "$LAB_S" qemu-system-x86_64 \
		-accel "${PXB_QEMU_ACCEL:-tcg}" -m "${PXB_PXE_MEM:-768}" -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot "${boot[@]}" "${fw[@]}" \
		-serial "file:$console" -pidfile "$LAB_DIR/qemu.pid" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vnet_hdr=off \
		-device "virtio-net-pci,netdev=n0,mac=$PXE_MAC0,speed=1000,duplex=full$nic0" \
		-netdev tap,id=n1,ifname=tap1,script=no,downscript=no,vnet_hdr=off \
		-device "virtio-net-pci,netdev=n1,mac=$PXE_MAC1,speed=1000,duplex=full$nic1" \
		"${disk[@]}" "${vga[@]}" </dev/null >"$PXE_WORK/$name.qemu" 2>&1 &
	qpid=$!
	# With --until-http, tail follows the server's log too; its "==> FILE <==" headers
	# say which file the lines after them come from.
	follow=("$console")
	[ -z "$until_http" ] || follow=(-v "$console" "$PXE_WORK/http.log")
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [ -n "$until_http" ]; then
			case $line in
			"==> $console <==") src=console && continue ;;
			"==> $PXE_WORK/http.log <==") src=http && continue ;;
			esac
			if [ "$src" = http ]; then
				# EPOCH CLIENT METHOD PATH STATUS BYTES SECONDS; tail replays the
				# whole log, so only what this boot fetched counts
				read -r t _ _ f code _ <<<"$line"
				if [ "$f" = "$until_http" ] && [ "$code" = 200 ] &&
					[ "${t%.*}" -ge "${pxe_t0:0:-6}" ]; then
					echo "$(pxe_elapsed) (until-http) $line" >>"$PXE_WORK/$name.events"
					end=until
					break
				fi
				continue
			fi
		fi
		[ "${PXB_QEMU_VERBOSE:-0}" = 1 ] && printf '%s: %s\n' "$name" "$line" >&2
		if [ -z "$t_kernel" ]; then
			t_kernel=$(pxe_elapsed)
			echo "$t_kernel (first console line) $line" >>"$PXE_WORK/$name.events"
		fi
		case $line in
		*'@@PXB '*)
			line=@@PXB${line#*@@PXB}
			echo "$line" >>"$PXE_WORK/$name.pxb"
			echo "$(pxe_elapsed) $line" >>"$PXE_WORK/$name.events"
			case $line in
			'@@PXB live '*)
				t_live=$(pxe_elapsed)
				uptime=${line#*uptime=}
				[ "$sw" = plain ] || pxe_switch_state "$name" "live root reached ($t_live s)"
				;;
			'@@PXB done '*) t_done=$(pxe_elapsed); end="done"; break ;;
			esac
			;;
		esac
		if [ -n "$switch_at" ] && [[ $line =~ $switch_at ]]; then
			pxe_switch "$sw"
			echo "$(pxe_elapsed) (switch ports up) $line" >>"$PXE_WORK/$name.events"
			switch_at=''
		fi
		if [ -n "$until" ] && [[ $line =~ $until ]]; then
			echo "$(pxe_elapsed) (until) $line" >>"$PXE_WORK/$name.events"
			end=until
			break
		fi
	done < <(tail -s 0.1 -n +1 -f --pid="$qpid" "${follow[@]}")
	[ "$sw" = plain ] || pxe_switch_state "$name" "end of boot: $end ($(pxe_elapsed) s)"
	# After "done" the guest powers itself off; otherwise, or if it lingers, stop it.
	for _ in $(seq 50); do
		kill -0 "$qpid" 2>/dev/null || break
		[ "$end" = "done" ] || break
		sleep 0.1
	done
	[ -f "$LAB_DIR/qemu.pid" ] && kill "$(cat "$LAB_DIR/qemu.pid")" 2>/dev/null
	wait "$qpid" 2>/dev/null
	kill "${tpids[@]}" 2>/dev/null
	wait "${tpids[@]}" 2>/dev/null
	rm -f "$LAB_DIR"/tcpdump-tap?.pid
	tail -c +$((doff + 1)) "$PXE_WORK/dnsmasq.log" >"$PXE_WORK/$name.dnsmasq" 2>/dev/null
	tail -c +$((hoff + 1)) "$PXE_WORK/http.log" >"$PXE_WORK/$name.http"
	touch "$PXE_WORK/$name.pxb"
	cat >"$PXE_WORK/$name.times" <<-EOF
		qemu_start=${pxe_t0:0:-6}.${pxe_t0: -6}
		kernel_s=$t_kernel
		live_s=$t_live
		live_uptime=$uptime
		done_s=$t_done
		end=$end
	EOF
	echo "pxe: $name: $sw, end=$end after $(pxe_elapsed) s (kernel ${t_kernel:--} s," \
		"live root ${t_live:--} s, uptime ${uptime:--}), console $console" >&2
	[ "$end" != timeout ]
}

# pxe_pxb NAME TAG: the rest of each "@@PXB TAG ..." line of that boot.
pxe_pxb() {
	sed -n "s/^@@PXB $2 //p" "$PXE_WORK/$1.pxb"
}

# pxe_dhcp NAME ipxe|kernel MESSAGE: how many MESSAGEs (DHCPDISCOVER, DHCPACK...) the
# server logged in that boot for iPXE's DHCP (user class "iPXE"), or for any other
# client: the kernel's (dhclient, NetworkManager, udhcpc...). dnsmasq's --log-dhcp
# prefixes each line with the transaction id, and names the user class once per packet.
pxe_dhcp() {
	awk -v who="$2" -v msg="$3" '
		{ for (i = 1; i < NF; i++) if ($i ~ /^dnsmasq-dhcp/) break; x = $(i + 1) }
		/ user class: iPXE$/ { ipxe[x] = 1 }
		index($0, " " msg "(") { seen[++n] = x }
		END {
			c = 0
			for (k = 1; k <= n; k++) if ((seen[k] in ipxe) == (who == "ipxe")) c++
			print c
		}' "$PXE_WORK/$1.dnsmasq"
}

# pxe_fetched NAME PATH: true if that boot fetched PATH whole (status 200).
pxe_fetched() {
	awk -v p="$2" '$4 == p && $5 == 200 { f = 1 } END { exit !f }' "$PXE_WORK/$1.http"
}

# pxe_console NAME ERE: true if a console line of that boot matches.
pxe_console() {
	grep -qE -- "$2" "$PXE_WORK/$1.console"
}

# pxe_time NAME KEY: one value of NAME.times (qemu_start, kernel_s, live_s, ...).
pxe_time() {
	sed -n "s/^$2=//p" "$PXE_WORK/$1.times"
}

# pxe_lease_s NAME: seconds from QEMU start to the first DHCPACK the guest received
# after its kernel started (so not iPXE's), from the tap captures; empty if none.
pxe_lease_s() {
	local f
	for f in "$PXE_WORK/$1".tap[01].pcap; do
		tshark -r "$f" -Y 'dhcp.option.dhcp == 5' -T fields -e frame.time_epoch 2>/dev/null
	done | awk -v t0="$(pxe_time "$1" qemu_start)" -v k="$(pxe_time "$1" kernel_s)" '
		$1 - t0 > k && (m == "" || $1 - t0 < m) { m = $1 - t0 }
		END { if (m != "") printf "%.2f\n", m }'
}

# pxe_uptime_at NAME ERE: the guest's uptime (kernel timestamp) on the first console line
# matching ERE, e.g. 'bond0: \(slave' for the first member enslaved; empty if none.
pxe_uptime_at() {
	sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\] \(.*\)/\1 \2/p' "$PXE_WORK/$1.console" |
		awk -v re="$2" '$0 ~ re { printf "%.2f\n", $1; exit }'
}
