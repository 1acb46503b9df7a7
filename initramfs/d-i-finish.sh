#!/bin/sh
# /usr/lib/finish-install.d/56pxebond: the installed system's bond, written at the end of
# a Debian install that pxebond brought up (startup script S32pxebond). finish-install
# runs its scripts in order: after preseed/late_command (07) and netcfg's own copy of its
# configuration (55, which does nothing when netcfg was disabled), before the logs are
# saved and the target reboots. Nothing later overwrites what this writes. The binary
# decides (the target's network stack, what it needs, what works without it); this only
# installs what it names, with the installer's apt-install, and logs. Whatever fails,
# the target keeps a working network configuration, and the install goes on.
# shellcheck source=initramfs/lib.sh
. /usr/lib/pxebond/lib.sh

pxb_finish() {
	pxb_state || return 0
	# What the target needs for the bond (ifenslave, for ifupdown): from the binary's
	# plan, one "needs PKG" line each.
	pxb_without=''
	for pxb_pkg in $("$PXB_BIN" write --root /target --state "$PXB_RUN" --force --plan 2>/dev/null |
		sed -n 's/^needs //p'); do
		if ! apt-install "$pxb_pkg"; then
			pxb_say err "cannot install $pxb_pkg into /target: writing what works without it"
			pxb_without="$pxb_without --without $pxb_pkg"
		fi
	done
	# --force: the installer's own interfaces file (loopback only: netcfg was disabled)
	# is kept beside ours as .interfaces.pxebond-orig.
	# shellcheck disable=SC2086 # one word each
	if "$PXB_BIN" write --root /target --state "$PXB_RUN" --force $pxb_without >&2; then
		pxb_say info "wrote the installed system's network configuration ($PXEBOND_MODE in the installer)"
	else
		pxb_say err "pxebond write failed: the installed system has the installer's network configuration"
	fi
	mkdir -p /target/var/log/installer
	"$PXB_BIN" status --state "$PXB_RUN" >/target/var/log/installer/pxebond.state 2>/dev/null
}

# syslog's tag says pxebond already.
pxb_finish 2>&1 | sed 's/^pxebond: //' | logger -t pxebond
exit 0
