#!/bin/bash
# dracut module for pxebond: `dracut --add pxebond` builds in the binary, its boot glue
# (the same files as the overlay's) as pre-udev hook 40, and the bonding driver.
# Installed by `make install` into /usr/lib/dracut/modules.d/90pxebond with the glue
# beside this file; @SBINDIR@ is where `make install` put the binary.
# shellcheck disable=SC2154 # moddir, initdir, systemdsystemunitdir: dracut's

# called by dracut
check() {
	pxebond_bin >/dev/null || return 1
	# only when asked for (--add pxebond, add_dracutmodules+=" pxebond ")
	return 255
}

# called by dracut
depends() {
	# the NIC drivers and a network module to hand the bond to
	echo network
	return 0
}

# called by dracut
installkernel() {
	# bonding.ko whatever the host has loaded; its dependencies come along
	hostonly='' instmods bonding af_packet
}

# called by dracut
install() {
	local bin
	bin=$(pxebond_bin) || return 1
	inst_simple "$bin" /usr/lib/pxebond/pxebond
	inst_simple "$moddir/lib.sh" /usr/lib/pxebond/lib.sh
	inst_simple "$moddir/dracut.sh" /usr/lib/pxebond/dracut.sh
	inst_script "$moddir/dracut-online.sh" /usr/lib/pxebond/dracut-online.sh
	inst_multiple modprobe cp mv rm mkdir sed cat sleep
	inst_hook pre-udev 40 "$moddir/dracut-hook.sh"
	if dracut_module_included systemd; then
		inst_simple "$moddir/dracut-pre-udev.conf" \
			"$systemdsystemunitdir/dracut-pre-udev.service.d/50-pxebond.conf"
	fi
	dracut_need_initqueue
}

# The static binary: beside this file if someone put it there, else where make install
# put it, else on PATH.
pxebond_bin() {
	local b
	for b in "$moddir/pxebond" "@SBINDIR@/pxebond" "$(command -v pxebond)"; do
		[ -x "$b" ] && echo "$b" && return 0
	done
	derror "pxebond: no pxebond binary (looked in $moddir, @SBINDIR@ and PATH)"
	return 1
}
