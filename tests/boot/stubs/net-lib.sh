# shellcheck shell=sh
# tests/boot: /lib/net-lib.sh in the chroot, its setup_net logged to /log/calls with what
# setup_net would find: every /tmp/*.did-setup (its early return) and the files in /tmp.
setup_net() {
	echo "setup_net $*" >>/log/calls
	for pxt_f in /tmp/*.did-setup; do
		[ -e "$pxt_f" ] && echo "${pxt_f#/tmp/}"
	done >>/log/did-setup-at-setup_net
	ls /tmp >>/log/tmp-at-setup_net
}
