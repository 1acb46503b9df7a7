#!/bin/sh
# dracut pre-udev hook 40 (before ifname-genrules 50 and net-genrules 60): pxebond. The
# overlay ships this file in each dracut version's hook directory; the work is in
# /usr/lib/pxebond/dracut.sh. Sourced by dracut: return, never exit.
# shellcheck source=initramfs/dracut.sh
[ -r /usr/lib/pxebond/dracut.sh ] && . /usr/lib/pxebond/dracut.sh
