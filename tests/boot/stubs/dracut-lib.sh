# shellcheck shell=sh
# tests/boot: dracut-lib.sh as the hooks see it, installed as /lib/dracut-lib.sh in the
# chroot. The command line is /case/cmdline; every call is logged to /log/calls.
hookdir=/lib/dracut/hooks
export hookdir

getcmdline() {
	echo "getcmdline" >>/log/calls
	cat /case/cmdline
}

# getarg NAME[=]...: as dracut-getarg: the last NAME=VALUE wins, a bare NAME counts (with
# an empty value); of several names, the first one present.
getarg() {
	echo "getarg $*" >>/log/calls
	for pxt_name in "$@"; do
		pxt_k=${pxt_name%=} pxt_found=''
		# shellcheck disable=SC2013 # words, not lines
		for pxt_w in $(cat /case/cmdline); do
			case $pxt_w in
			"$pxt_k") pxt_v='' pxt_found=1 ;;
			"$pxt_k"=*) pxt_v=${pxt_w#*=} pxt_found=1 ;;
			esac
		done
		if [ -n "$pxt_found" ]; then
			printf '%s\n' "$pxt_v"
			return 0
		fi
	done
	return 1
}

# getargbool DEFAULT NAME: as dracut's, false for 0, no and off.
getargbool() {
	echo "getargbool $*" >>/log/calls
	pxt_b=$(getarg "$2") || pxt_b=$1
	case $pxt_b in
	0 | no | off) return 1 ;;
	esac
	return 0
}

warn() {
	echo "warn $*" >>/log/calls
	echo "Warning: $*" >&2
}

info() {
	echo "info $*" >>/log/calls
	echo "$*"
}

# source_hook DIR ARGS...: sources each DIR/*.sh with ARGS, as dracut's source_all.
source_hook() {
	echo "source_hook $*" >>/log/calls
	pxt_dir=$1
	shift
	for pxt_f in "$hookdir/$pxt_dir"/*.sh; do
		# shellcheck disable=SC1090,SC2240 # the hooks; dash ignores the arguments
		[ -e "$pxt_f" ] && . "$pxt_f" "$@"
	done
	return 0
}
