#!/bin/sh
# Runs one kickstart script body the way Anaconda's run_script does
# (pyanaconda/core/kickstart/scripts.py, core/util.py startProgram): the body written to
# /tmp/ks-script-XXXXXXXX (mode 0700) and run as `INTERPRETER /tmp/ks-script-XXXXXXXX`
# with "/" as its working directory, stdout and stderr together into
# /tmp/ks-script-XXXXXXXX.log, and Anaconda's environment: its own (here a clean one:
# HOME, TERM, LANG), LC_ALL=C, ANA_INSTALL_PATH (its system root, /mnt/sysroot) and a
# PATH that Anaconda extended with :/sbin:/usr/sbin. POSIX sh: the QEMU lab's busybox
# runs it as well as the host. For tests/qemu/test-kickstart.sh and its scenario.
#
# Usage: ks-run.sh INTERPRETER BODY [BASE_PATH]
#   BASE_PATH  the PATH Anaconda started with (default /usr/local/sbin:/usr/local/bin:
#              /usr/sbin:/usr/bin, systemd's)
# Prints "RC LOGFILE" on one line; exits 0 (the script's status is in RC).
interp=${1:?usage: ks-run.sh INTERPRETER BODY [BASE_PATH]}
body=${2:?usage: ks-run.sh INTERPRETER BODY [BASE_PATH]}
base=${3:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin}
script=$(mktemp /tmp/ks-script-XXXXXXXX) || exit 1
cat "$body" >"$script" && chmod 0700 "$script" || exit 1
log=$script.log
(umask 077 && : >"$log") || exit 1
rc=0
(cd / && exec env -i HOME=/root TERM=linux LANG=en_US.UTF-8 LC_ALL=C \
	ANA_INSTALL_PATH=/mnt/sysroot PATH="$base:/sbin:/usr/sbin" \
	"$interp" "$script") </dev/null >"$log" 2>&1 || rc=$?
echo "$rc $log"
