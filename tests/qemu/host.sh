# shellcheck shell=bash
# Host-side helpers for the lab's scripts (demo.sh, test-*.sh), sourced.

# qemu_wait_ready OUT PID: waits up to 30 s for the guest PID, whose run-guest.sh output
# goes to OUT, to say "@@PXB result ready" (or to end); true if it said rc=0.
qemu_wait_ready() {
	local out=$1 pid=$2
	for _ in $(seq 300); do
		grep -q '^@@PXB result ready ' "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^@@PXB result ready rc=0' "$out"
}
