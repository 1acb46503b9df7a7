# shellcheck shell=bash
# FAI in the PXE lab, shared by the qemu-fai tier (tests/qemu/test-fai.sh) and make
# fai-loop (tests/qemu/fai/loop.sh): FAI's own example config space, the config space
# tarball the clients fetch over HTTP, FAI's kernel command line. Sourced after
# tests/qemu/pxe/lab.sh.
#
# fai_doc: fai-doc's examples/simple, unpacked from the .deb of the FAI version this
#   machine has (build/qemu/fai/fai-doc/, kept), path in $FAI_EXAMPLES.
# fai_config OUT.tar.gz DIR...: a config space as FAI's get-config-dir-http takes it
#   (the tree at the top of a gzip'd tar), DIRs copied over each other in order.
# fai_cmdline ACTION [FLAGS] [WORDS...]: the kernel command line FAI's documentation
#   gives for an HTTP squashfs root and an HTTP config space ("FAI without NFS"), on
#   the lab's server, plus BOOTIF (as pxelinux's IPAPPEND 2 and iPXE give it) and WORDS.

fai_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fai_root=$(cd "$fai_here/../../.." && pwd)
FAI_CACHE=$fai_root/build/qemu/fai
FAI_EXAMPLES=

fai_doc() {
	local ver dir=$FAI_CACHE/fai-doc deb
	# shellcheck disable=SC2016 # dpkg-query's format
	ver=$(dpkg-query -W -f='${Version}' fai-client 2>/dev/null) || lab_die "fai-client missing (scripts/deps.sh)"
	FAI_EXAMPLES=$dir/usr/share/doc/fai-doc/examples/simple
	[ "$(cat "$dir/.version" 2>/dev/null)" = "$ver" ] && [ -d "$FAI_EXAMPLES/class" ] && return 0
	rm -rf "$dir" "$FAI_CACHE/debs"/fai-doc_*.deb
	mkdir -p "$dir" "$FAI_CACHE/debs"
	(cd "$FAI_CACHE/debs" && apt-get -q download "fai-doc=$ver") >&2 || lab_die "cannot download fai-doc $ver"
	deb=$(find "$FAI_CACHE/debs" -maxdepth 1 -name 'fai-doc_*.deb' | head -n1)
	dpkg-deb -x "$deb" "$dir" || lab_die "cannot unpack $deb"
	[ -d "$FAI_EXAMPLES/class" ] || lab_die "no examples/simple in $deb"
	echo "$ver" >"$dir/.version"
}

fai_config() {
	local out=$1 d tmp
	shift
	tmp=$(mktemp -d)
	for d in "$@"; do
		cp -a "$d/." "$tmp/"
	done
	tar -C "$tmp" --owner=0 --group=0 -czf "$out" .
	rm -rf "$tmp"
}

fai_cmdline() {
	local action=$1 flags=${2:-verbose,halt}
	shift 2
	# shellcheck disable=SC2016 # iPXE expands ${netX/...}
	echo "ip=dhcp rd.neednet=1 rd.live.image root=live:http://$PXE_SERVER/fai/squash.img" \
		"FAI_ACTION=$action FAI_FLAGS=$flags FAI_CONFIG_SRC=http://$PXE_SERVER/fai/config.tar.gz" \
		'BOOTIF=01-${netX/mac:hexhyp}' "$@"
}

# fai_stanza_ok FILE: FILE is the class's ifupdown stanza: bond0 by DHCP, 802.3ad over
# eth0 and eth1, the PXE NIC's MAC.
fai_stanza_ok() {
	local f
	f=$(cat "$1")
	grep -qx 'iface bond0 inet dhcp' <<<"$f" && grep -qxE '\s*bond-mode 802\.3ad' <<<"$f" &&
		grep -qxE '\s*bond-slaves eth0 eth1' <<<"$f" && grep -qxE "\s*hwaddress ether $PXE_MAC0" <<<"$f"
}

# fai_bond_ok FILE: bond0 in FILE is 802.3ad, with two members, both in the active
# aggregator, whose partner is the lab's switch.
fai_bond_ok() {
	local mode members active aggs partner a
	IFS='|' read -r mode members active aggs partner <<<"$(pxe_bond_summary <"$1")"
	[ "$mode" = 'IEEE 802.3ad Dynamic link aggregation' ] || return 1
	[ "$(wc -w <<<"$members")" = 2 ] && [ "$(wc -w <<<"$aggs")" = 2 ] || return 1
	for a in $aggs; do [ "$a" = "$active" ] || return 1; done
	[ "$partner" = "$PXE_SYSID" ]
}
