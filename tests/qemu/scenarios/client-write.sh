#!/bin/sh
# Guest scenario: the installer side of test-write.sh. Runs `pxebond up` bare (it reads
# pxebond=, pxebond.timeout=, BOOTIF= from this kernel command line, as client-up.sh
# does), then, per format in pxb.formats (comma-separated, default networkd,ifupdown),
# `pxebond write --root /target-FORMAT --format FORMAT` into an empty root (ifupdown's
# gets Debian's stock etc/network/interfaces first, as the ifupdown package leaves it),
# and dumps what was written as a base64 tar on the console for the host to extract:
#   @@PXB log up LINE            pxebond up's stderr, line by line
#   @@PXB result rc up RC
#   @@PXB log write-FORMAT LINE  pxebond write's output, line by line
#   @@PXB result rc write-FORMAT RC
#   @@PXB tar FORMAT BASE64      the root's etc/ as a tar (busybox), one line per line
#   @@PXB result tar FORMAT RC LINES
# shellcheck source=/dev/null
. /lib/pxb.sh

pxebond=/bin/pxebond
formats=$(pxb_arg pxb.formats) || formats=networkd,ifupdown

pxb_logged up "$pxebond" up || exit 1
[ ! -e /proc/net/bonding/bond0 ] || sed 's/^/@@PXB bonding up /' /proc/net/bonding/bond0

rc=0
for f in $(echo "$formats" | tr , ' '); do
	t=/target-$f
	mkdir -p "$t/etc"
	if [ "$f" = ifupdown ]; then
		mkdir -p "$t/etc/network/interfaces.d"
		cat >"$t/etc/network/interfaces" <<-'EOF'
			# This file describes the network interfaces available on your system
			# and how to activate them. For more information, see interfaces(5).

			source /etc/network/interfaces.d/*

			# The loopback network interface
			auto lo
			iface lo inet loopback
		EOF
	fi
	pxb_logged "write-$f" "$pxebond" write --root "$t" --format "$f" || rc=1
	(cd "$t" && tar -cf "/tmp/$f.tar" etc)
	_trc=$?
	base64 "/tmp/$f.tar" >"/tmp/$f.b64" || _trc=1
	sed "s/^/@@PXB tar $f /" "/tmp/$f.b64"
	pxb_result tar "$f $_trc $(wc -l <"/tmp/$f.b64")"
done
exit "$rc"
