#!/bin/sh
# dracut initqueue job queued by pxebond's hook (network-legacy): what dracut's
# dhclient-script queues once an interface has its address, minus setup_net, which the
# hook already ran: the online hooks (Anaconda's kickstart fetch, livenet updates...)
# and netroot (root=live:, nfs:, anaconda-net: ...) over pxebond's interface.
# shellcheck disable=SC1091 # dracut's own libraries, in the initramfs
type source_hook >/dev/null 2>&1 || . /lib/dracut-lib.sh
command -v setup_net >/dev/null || . /lib/net-lib.sh
[ -n "$1" ] || exit 1
source_hook initqueue/online "$1"
/sbin/netroot "$1"
exit 0
