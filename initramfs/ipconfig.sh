#!/bin/sh
# /usr/lib/pxebond/bin/ipconfig: first in PATH once pxebond has handed its bond to
# initramfs-tools (initramfs-tools.sh, pxb_it_handoff): reports the bond's lease without
# touching it; any other interface goes to klibc's ipconfig, arguments unchanged.
exec /usr/lib/pxebond/initramfs-tools.sh ipconfig "$@"
