# shellcheck shell=bash
# One line per check for the shell test tiers: `ok DESCRIPTION CMD...` prints "ok - ..." or
# "not ok - ..."; `tap_done` prints "N passed, N failed" and returns non-zero on failure.
# For ok's commands: `not CMD...` (CMD fails), `at_least N CMD...` (CMD prints a number,
# at least N).
tap_pass=0
tap_fail=0

ok() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok - $what"
		tap_pass=$((tap_pass + 1))
	else
		echo "not ok - $what"
		tap_fail=$((tap_fail + 1))
	fi
}

# shellcheck disable=SC2317 # called through ok
not() { ! "$@"; }
# shellcheck disable=SC2317
at_least() {
	local n
	n=$("${@:2}")
	[ "$n" -ge "$1" ]
}

tap_done() {
	echo "$tap_pass passed, $tap_fail failed"
	[ "$tap_fail" = 0 ]
}
