#!/bin/sh
# /usr/lib/finish-install.d/56pxebond: the installed system's bond, written at the end of
# a Debian install that pxebond brought up (startup script S32pxebond). finish-install
# runs its scripts in order: after preseed/late_command (07) and netcfg's own copy of its
# configuration (55, which does nothing when netcfg was disabled), before the logs are
# saved and the target reboots. Nothing later overwrites what this writes. With
# ifupdown, Debian's default, the bond needs ifenslave in the target: installed here
# from the installer's mirror. A failure is logged and never fails the install.
# shellcheck source=initramfs/lib.sh
. /usr/lib/pxebond/lib.sh

pxb_finish() {
	pxb_state || return 0
	if [ -x /target/usr/sbin/NetworkManager ]; then
		pxb_fmt="nm"
	else
		pxb_fmt=ifupdown
		if ! apt-install ifenslave; then
			pxb_say err "cannot install ifenslave into /target: the installed system's bond will not come up"
			return 0
		fi
	fi
	# --force: the installer's own interfaces file (loopback only: netcfg was disabled)
	# is kept beside ours as .interfaces.pxebond-orig.
	if "$PXB_BIN" write --root /target --format "$pxb_fmt" --force >&2; then
		pxb_say info "wrote the installed system's $PXEBOND_MODE bond ($pxb_fmt)"
	else
		pxb_say err "pxebond write failed: the installed system has the installer's network configuration"
	fi
	mkdir -p /target/var/log/installer
	cp "$PXB_RUN/state" /target/var/log/installer/pxebond.state 2>/dev/null
}

# syslog's tag says pxebond already.
pxb_finish 2>&1 | sed 's/^pxebond: //' | logger -t pxebond
exit 0
