#!/bin/sh
# tests/boot (itools-hook): casper's casper-bottom/58server_network as far as the network
# goes (docs/boot.md): each /run/netplan/NAME.yaml becomes the live installer's cloud-init
# configuration /root/etc/cloud/cloud.cfg.d/NAME.cfg (without "renderer" lines), and the
# ipconfig files go, so that cloud-init's own cmdline source finds none.
[ "${1-}" = prereqs ] && exit 0
echo "58server_network" >>/log/calls
for f in /run/netplan/*.yaml; do
	[ -f "$f" ] || continue
	n=${f##*/}
	mv "$f" "/root/etc/cloud/cloud.cfg.d/${n%.yaml}.cfg"
	sed -i '/renderer/d' "/root/etc/cloud/cloud.cfg.d/${n%.yaml}.cfg"
done
rm -f /run/net-*.conf /run/net6-*.conf
