#!/bin/bash
# Debian's own parsers read what `pxebond write` writes, for every format that has one
# here, every mode (802.3ad, active-backup, balance-alb, single) and DHCP and static:
#   netplan   netplan generate --root-dir accepts the YAML without a warning, and the
#             networkd files it generates agree with ours on members (by permanent MAC),
#             mode, options, the bond's MAC and the address; for 802.3ad, with our
#             drop-in on its bond file, on BindCarrier= too, and systemd-networkd loads
#             them all with no complaint
#   networkd  systemd-networkd, run in its own mount/net/pid namespaces over our
#             etc/systemd/network, loads the .netdev and .network files with no complaint
#   ifupdown  ifquery, in a mount namespace where our etc/network is /etc/network, reads
#             the bond through etc/network/interfaces (and one rewritten by --force) with
#             every option we wrote; udevadm's net_setup_link parses our .link files
#   nm        nmcli --offline normalizes each keyfile without dropping anything we wrote;
#             NetworkManager, run in its own namespaces with our directory as its keyfile
#             path, loads every profile (0600) with our bond options, MACs and master;
#             nm-initrd-generator renders the same options from dracut's bond= the same
#   ifcfg     sourced by sh -n, then by sh: the values read back as written
# Kickstart has no parser in Debian (pykickstart is not packaged); the unit tests and the
# goldens cover it.
#
# Usage: tests/write/real-parsers.sh [PXEBOND]   (root, for the namespaces; needs the
# Debian packages netplan.io, ifupdown, network-manager, dbus, systemd; ends with
# "N passed, N failed")
# shellcheck disable=SC2016 # the sh -c scripts expand their own $1, $2
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pxebond=${1:-$root/build/pxebond}
states=$here/states
work=$(mktemp -d)
# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/nm-load.sh
. "$root/tests/nm-load.sh"

cleanup() {
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "not ok - $1"
	tap_fail=$((tap_fail + 1))
}

if ! "$pxebond" write --help >/dev/null 2>&1; then
	echo "not ok - $pxebond has no write command (make)"
	echo "0 passed, 1 failed"
	exit 1
fi
have() {
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]
}

# write FORMAT MODE IP [EXTRA...]: a fresh root with that format written; prints its path
write() {
	local fmt=$1 mode=$2 ip=$3 state d
	shift 3
	case $mode in
	802.3ad) state=802.3ad ;;
	single) state=single ;;
	*) state=active-backup ;;
	esac
	d=$work/$fmt-$mode-$ip
	rm -rf "$d"
	mkdir -p "$d"
	if [ "$ip" = static ]; then set -- --static "$@"; fi
	if ! "$pxebond" write --root "$d" --state "$states/$state" --cmdline /dev/null \
		--format "$fmt" --final-mode "$mode" "$@" >"$d.log" 2>&1; then
		echo "    pxebond write --format $fmt --final-mode $mode: $(tail -n 1 "$d.log")" >&2
		return 1
	fi
	echo "$d"
}

# Lines of the sections and keys given (SECTION/KEY regexes), "Section.Key=value",
# sorted; DHCP=yes and DHCP=ipv4 both read as DHCP=on (ours asks for both families,
# netplan's dhcp4 for one), and [Route] Gateway= as Gateway=.
keys() {
	local file=$1 re=$2
	awk -v re="$re" '
		/^\[/ { sec = substr($0, 2, length($0) - 2); next }
		/^[ \t]*(#|;|$)/ { next }
		{
			k = $0; sub(/=.*/, "", k); v = $0; sub(/^[^=]*=/, "", v)
			if (k == "DHCP") v = "on"
			line = sec "." k "=" v
			if (sec == "Route" && k == "Gateway") line = "Network.Gateway=" v
			if (line ~ re) print line
		}' "$file" | sort
}

# The member files of a networkd tree, one line each: MAC, bond, primary.
members() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || continue
		grep -q '^Bond=' "$f" || continue
		keys "$f" '^(Match\.PermanentMACAddress|Network\.Bond|Network\.PrimarySlave)=' | tr '\n' ' '
		echo
	done | sort
}

same() {
	local what=$1 a=$2 b=$3
	if [ "$a" = "$b" ] && [ -n "$a" ]; then
		echo "ok - $what"
		tap_pass=$((tap_pass + 1))
	else
		echo "not ok - $what"
		diff <(echo "$a") <(echo "$b") | sed 's/^/    /'
		tap_fail=$((tap_fail + 1))
	fi
}

modes="802.3ad active-backup balance-alb single"
ips="dhcp static"

# ---- netplan
check_netplan() {
	local mode=$1 ip=$2 d n bond gen ours
	d=$(write netplan "$mode" "$ip") || { fail "netplan $mode $ip: pxebond write"; return; }
	n=$(write networkd "$mode" "$ip") || { fail "networkd $mode $ip: pxebond write"; return; }
	if ! netplan generate --root-dir "$d" >"$d.gen" 2>&1 || grep -qiE 'warning|error' "$d.gen"; then
		fail "netplan $mode $ip: netplan generate --root-dir: $(head -c 300 "$d.gen")"
		return
	fi
	echo "ok - netplan $mode $ip: netplan generate accepts it, no warning"
	tap_pass=$((tap_pass + 1))
	gen=$d/run/systemd/network ours=$n/etc/systemd/network
	if [ "$mode" = single ]; then
		same "netplan $mode $ip: its networkd file matches ours (MAC, address, DHCP)" \
			"$(keys "$gen"/10-netplan-eth1.network '^(Match\.PermanentMACAddress|Network\.(Address|DNS|Domains|Gateway|DHCP))=')" \
			"$(keys "$ours"/10-pxebond-eth1.network '^(Match\.PermanentMACAddress|Network\.(Address|DNS|Domains|Gateway|DHCP))=')"
		return
	fi
	bond=bond0
	same "netplan $mode $ip: the bond (mode, options, MAC) is ours" \
		"$(keys "$gen/10-netplan-$bond.netdev" '^(Bond\.|NetDev\.(Name|Kind|MACAddress)=)')" \
		"$(keys "$ours/10-pxebond-$bond.netdev" '^(Bond\.|NetDev\.(Name|Kind|MACAddress)=)')"
	same "netplan $mode $ip: the members (permanent MAC, bond, primary) are ours" \
		"$(members "$gen"/10-netplan-*.network)" "$(members "$ours"/10-pxebond-*.network)"
	same "netplan $mode $ip: the bond's address config is ours" \
		"$(keys "$gen/10-netplan-$bond.network" '^Network\.(Address|DNS|Domains|Gateway|DHCP)=')" \
		"$(keys "$ours/10-pxebond-$bond.network" '^Network\.(Address|DNS|Domains|Gateway|DHCP)=')"
	[ "$mode" = 802.3ad ] || return
	# What netplan cannot say comes as a networkd drop-in on the file it generates.
	same "netplan $mode $ip: with our drop-in, its bond file binds the carrier as ours" \
		"$(cat "$gen/10-netplan-$bond.network" "$d/etc/systemd/network/10-netplan-$bond.network.d/"*.conf |
			keys /dev/stdin '^Network\.BindCarrier=')" \
		"$(keys "$ours/10-pxebond-$bond.network" '^Network\.BindCarrier=')"
	networkd_load "$d" "$d.networkd"
	if grep -qE '^/(etc|run)/systemd/network/' "$d.networkd"; then
		fail "netplan $mode $ip: systemd-networkd complains: $(grep -m 3 -E '^/(etc|run)/systemd/network/' "$d.networkd")"
	else
		echo "ok - netplan $mode $ip: systemd-networkd loads netplan's files and our drop-in, no complaint"
		tap_pass=$((tap_pass + 1))
	fi
}

# networkd_load ROOT LOG: systemd-networkd, in mount/net/pid namespaces of its own, over
# ROOT's etc/systemd/network and run/systemd/network (netplan's), for 3 s at debug level.
networkd_load() {
	mkdir -p "$1/etc/systemd/network" "$1/run/systemd/network"
	unshare -mnpf --mount-proc --propagation private sh -c '
		mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/netif /run/systemd/network &&
		mount --bind "$1/etc/systemd/network" /etc/systemd/network &&
		mount --bind "$1/run/systemd/network" /run/systemd/network &&
		ip link set lo up &&
		SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_COLOR=0 \
			timeout 3 "$2" 2>&1' sh "$1" "$networkd" >"$2" 2>&1
}

# ---- systemd-networkd, in namespaces of its own
check_networkd() {
	local mode=$1 ip=$2 d log
	d=$(write networkd "$mode" "$ip") || { fail "networkd $mode $ip: pxebond write"; return; }
	log=$d.networkd
	networkd_load "$d" "$log"
	if grep -q '^/etc/systemd/network/' "$log"; then
		fail "networkd $mode $ip: systemd-networkd complains: $(grep -m 3 '^/etc/systemd/network/' "$log")"
	elif [ "$mode" != single ] && ! grep -q '^bond0: loaded "bond"' "$log"; then
		fail "networkd $mode $ip: systemd-networkd did not load bond0.netdev"
	elif [ "$mode" != single ] && ! grep -q '^bond0: Using MAC address: 52:54:00:12:34:01' "$log"; then
		fail "networkd $mode $ip: systemd-networkd does not give bond0 our MAC"
	else
		echo "ok - networkd $mode $ip: systemd-networkd loads every file, no complaint"
		tap_pass=$((tap_pass + 1))
	fi
}

# ---- ifupdown, through etc/network/interfaces as the installed system reads it
# expect_ifquery DIR: ifquery's view of bond0 (or eth1) holds every option we wrote
ifquery_in() {
	local d=$1
	shift
	unshare -m --propagation private sh -c '
		d=$1; shift
		mount -t tmpfs tmpfs /run && mkdir -p /run/network &&
		mount --bind "$d/etc/network" /etc/network && ifquery "$@"' sh "$d" "$@"
}

check_ifupdown() {
	local mode=$1 ip=$2 d iface want got missing link log
	d=$(write ifupdown "$mode" "$ip") || { fail "ifupdown $mode $ip: pxebond write"; return; }
	iface=bond0
	[ "$mode" = single ] && iface=eth1
	if ! ifquery_in "$d" --list | grep -qx "$iface"; then
		fail "ifupdown $mode $ip: ifquery --list has no $iface"
		return
	fi
	got=$(ifquery_in "$d" "$iface" 2>&1)
	# every "\tkey value" we wrote, as ifquery prints it ("key: value")
	want=$(sed -n 's/^\t\([a-z-]*\) \(.*\)/\1: \2/p' "$d/etc/network/interfaces.d/$iface" |
		sed -e 's/^hwaddress: ether /hwaddress: /' -e 's|^address: \(.*\)/\(.*\)|address: \1|')
	missing=$(comm -23 <(echo "$want" | sort) <(echo "$got" | sort))
	if [ -z "$missing" ]; then
		echo "ok - ifupdown $mode $ip: ifquery reads $iface with every option written"
		tap_pass=$((tap_pass + 1))
	else
		fail "ifupdown $mode $ip: ifquery $iface lacks: $(echo "$missing" | tr '\n' ';')"
	fi
	# the .link files, as udev parses them
	log=$d.udev
	unshare -mnpf --mount-proc --propagation private sh -c '
		mount --bind "$1/etc/systemd/network" /etc/systemd/network &&
		SYSTEMD_LOG_LEVEL=debug udevadm test-builtin net_setup_link /sys/class/net/lo 2>&1' \
		sh "$d" >"$log" 2>&1
	missing=
	for link in "$d"/etc/systemd/network/*.link; do
		grep -q "Parsed configuration file \"/etc/systemd/network/${link##*/}\"" "$log" ||
			missing="$missing ${link##*/}"
	done
	if [ -z "$missing" ] && ! grep -q '^/etc/systemd/network/' "$log"; then
		echo "ok - ifupdown $mode $ip: udev parses the .link files, no complaint"
		tap_pass=$((tap_pass + 1))
	else
		fail "ifupdown $mode $ip: udev: not parsed:$missing $(grep -m 2 '^/etc/systemd/network/' "$log")"
	fi
}

# An installer's interfaces that configures a member itself: refused, then --force
# comments it out, keeps the old one, and ifupdown sees the bond instead.
check_ifupdown_force() {
	local d=$work/ifupdown-force
	rm -rf "$d" && mkdir -p "$d/etc/network"
	printf 'source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n' \
		>"$d/etc/network/interfaces"
	ok "ifupdown: an interfaces that configures eth0 itself is refused without --force" \
		bash -c '! "$1" write --root "$2" --state "$3" --cmdline /dev/null --format ifupdown' \
		sh "$pxebond" "$d" "$states/802.3ad"
	ok "ifupdown: --force rewrites it and keeps .interfaces.pxebond-orig" \
		"$pxebond" write --root "$d" --state "$states/802.3ad" --cmdline /dev/null \
		--format ifupdown --force
	ok "ifupdown: the old interfaces is kept" test -f "$d/etc/network/.interfaces.pxebond-orig"
	same "ifupdown: ifquery --list after --force: the bond, not eth0" \
		"$(ifquery_in "$d" --list 2>&1 | sort | tr '\n' ' ')" "bond0 lo "
}

# ---- NetworkManager
# "section.key=value" lines of a keyfile, sorted; with gateway= folded into address1= as
# NetworkManager normalizes it.
nm_keys() {
	awk '
		/^\[/ { sec = substr($0, 2, length($0) - 2); next }
		/^[ \t]*(#|$)/ { next }
		{ k = $0; sub(/=.*/, "", k); v = $0; sub(/^[^=]*=/, "", v); val[sec "." k] = v; ord[++n] = sec "." k }
		END {
			if ("ipv4.gateway" in val) { val["ipv4.address1"] = val["ipv4.address1"] "," val["ipv4.gateway"]; delete val["ipv4.gateway"] }
			for (i = 1; i <= n; i++) if (ord[i] in val) print ord[i] "=" val[ord[i]]
		}' "$1" | sort -u
}

check_nm() {
	local mode=$1 ip=$2 d f norm missing nmlog list opts want
	d=$(write nm "$mode" "$ip") || { fail "nm $mode $ip: pxebond write"; return; }
	missing=
	for f in "$d"/etc/NetworkManager/system-connections/*.nmconnection; do
		norm=$(nmcli --offline connection modify connection.autoconnect yes <"$f" 2>&1) || {
			missing="$missing ${f##*/}: $norm"
			continue
		}
		missing="$missing$(comm -23 <(nm_keys "$f") <(echo "$norm" | nm_keys /dev/stdin) | tr '\n' ' ')"
	done
	if [ -z "${missing// /}" ]; then
		echo "ok - nm $mode $ip: nmcli --offline keeps every key of every profile"
		tap_pass=$((tap_pass + 1))
	else
		fail "nm $mode $ip: nmcli --offline drops or refuses:$missing"
	fi

	# The daemon itself, in namespaces of its own, with our directory as its keyfile path.
	nmlog=$d.nm
	nm_load "$d/etc/NetworkManager/system-connections" "$nmlog" NAME,TYPE,FILENAME NAME \
		bond.options,802-3-ethernet.cloned-mac-address,802-3-ethernet.mac-address,connection.master,connection.slave-type,ipv4.method,ipv4.addresses,ipv4.gateway
	list=$(sed -n '/^== list/,/^== /p' "$nmlog" | grep -c ":$d/etc/NetworkManager/system-connections/")
	nprof=$(find "$d/etc/NetworkManager/system-connections" -name '*.nmconnection' | wc -l)
	if [ "$list" != "$nprof" ]; then
		fail "nm $mode $ip: NetworkManager loaded $list of $nprof profiles"
		return
	fi
	missing=
	if [ "$mode" != single ]; then
		opts=$(sed -n '/^== bond0$/,/^== /s/^bond.options://p' "$nmlog" | tr ',' '\n' | sort | tr '\n' ',')
		want=$(sed -n '/^\[bond\]/,/^\[/{/=/p}' "$d/etc/NetworkManager/system-connections/bond0.nmconnection" | sort | tr '\n' ',')
		[ "$opts" = "$want" ] || missing="$missing bond.options '$opts' != '$want';"
		grep -q '^802-3-ethernet.cloned-mac-address:52:54:00:12:34:01$' "$nmlog" ||
			missing="$missing the bond's MAC;"
		[ "$(grep -c '^connection.master:bond0$' "$nmlog")" = 2 ] || missing="$missing master=bond0;"
		grep -q '^802-3-ethernet.mac-address:52:54:00:12:34:02$' "$nmlog" ||
			missing="$missing member MAC;"
	else
		grep -q '^802-3-ethernet.mac-address:52:54:00:12:34:02$' "$nmlog" || missing="$missing MAC;"
	fi
	if [ "$ip" = static ]; then
		grep -q '^ipv4.addresses:192.0.2.10/24$' "$nmlog" && grep -q '^ipv4.gateway:192.0.2.1$' "$nmlog" ||
			missing="$missing the static address;"
	else
		grep -q '^ipv4.method:auto$' "$nmlog" || missing="$missing DHCP;"
	fi
	if [ -z "$missing" ]; then
		echo "ok - nm $mode $ip: NetworkManager loads all $nprof profiles as written"
		tap_pass=$((tap_pass + 1))
	else
		fail "nm $mode $ip: NetworkManager:$missing"
	fi

	# NetworkManager's own rendering of dracut's bond= with the same options.
	if [ "$mode" != single ] && [ -x "$initrd_gen" ]; then
		want=$(sed -n '/^\[bond\]/,/^\[/{/=/p}' "$d/etc/NetworkManager/system-connections/bond0.nmconnection" | tr '\n' ',')
		same "nm $mode $ip: nm-initrd-generator writes the same [bond] from bond=" \
			"$("$initrd_gen" -s -- "bond=bond0:eth0,eth1:${want%,}" 2>/dev/null |
				sed -n "/^\*\*\* Connection 'bond0'/,/^\*\*\*/p" | sed -n '/^\[bond\]/,/^\[/{/=/p}' | sort)" \
			"$(nmcli --offline connection modify connection.autoconnect yes \
				<"$d/etc/NetworkManager/system-connections/bond0.nmconnection" |
				sed -n '/^\[bond\]/,/^\[/{/=/p}' | sort)"
	fi
}

# ---- ifcfg: shell syntax, and the values as a shell reads them
check_ifcfg() {
	local mode=$1 ip=$2 d f line key val got bad=
	d=$(write ifcfg "$mode" "$ip") || { fail "ifcfg $mode $ip: pxebond write"; return; }
	for f in "$d"/etc/sysconfig/network-scripts/ifcfg-*; do
		sh -n "$f" || bad="$bad ${f##*/}"
		# sourced in a clean shell, each KEY=value line reads back as written
		# shellcheck disable=SC2094 # the inner sh only reads $f
		while IFS= read -r line; do
			case $line in '#'* | '') continue ;; esac
			key=${line%%=*} val=${line#*=}
			val=${val#\"} val=${val%\"}
			got=$(env -i sh -c '. "$1"; eval "printf %s \"\${$2}\""' sh "$f" "$key")
			[ "$got" = "$val" ] || bad="$bad ${f##*/}:$key"
		done <"$f"
	done
	if [ "$mode" != single ]; then
		grep -q '^BONDING_OPTS=".*mode=' "$d/etc/sysconfig/network-scripts/ifcfg-bond0" ||
			bad="$bad BONDING_OPTS"
	fi
	if [ -z "$bad" ]; then
		echo "ok - ifcfg $mode $ip: sh reads every file and its values"
		tap_pass=$((tap_pass + 1))
	else
		fail "ifcfg $mode $ip:$bad"
	fi
}

networkd=/lib/systemd/systemd-networkd
initrd_gen=/usr/lib/NetworkManager/nm-initrd-generator
for mode in $modes; do
	for ip in $ips; do
		if have netplan; then check_netplan "$mode" "$ip"; else fail "netplan: not installed (netplan.io)"; fi
		if have "$networkd"; then check_networkd "$mode" "$ip"; else fail "networkd: no $networkd"; fi
		if have ifquery; then check_ifupdown "$mode" "$ip"; else fail "ifupdown: not installed"; fi
		if have nmcli && have NetworkManager && have dbus-daemon; then
			check_nm "$mode" "$ip"
		else
			fail "nm: network-manager or dbus not installed"
		fi
		check_ifcfg "$mode" "$ip"
	done
done
if have ifquery; then check_ifupdown_force; fi
tap_done
