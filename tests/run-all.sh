#!/bin/sh
# Every test tier, in order of speed; ends with the sum "N passed, N failed".
# Tiers: unit, fuzz (corpus replay and a short run), lint (clang-format, shellcheck), netns (Open vSwitch and
# lldpd in namespaces; root), the packages (deb, rpm), pxebond-iso (iso), QEMU (see
# docs/testing.md). FUZZ_SECONDS sets the short run (default 10 per target).
set -u
b=${BUILD:-build}
total_pass=0 total_fail=0 times='' t_all=$(date +%s)
log=$b/test-logs
mkdir -p "$log"
rm -f "$log"/*.log

tier() {
	name=$1
	shift
	printf '== %s\n' "$name"
	t=$(date +%s)
	"$@" 2>&1 | tee "$log/$name.log"
	t=$(($(date +%s) - t))
	times="$times$name $t s, "
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $name: no summary line"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

lint() {
	pass=0 fail=0
	for f in $(git ls-files '*.c' '*.h'); do
		if clang-format --dry-run -Werror "$f" 2>/dev/null; then pass=$((pass + 1)); else echo "not ok - clang-format $f"; fail=$((fail + 1)); fi
	done
	for f in $(git ls-files '*.sh' 'hooks/*' 'initramfs/*' 'kickstart/*' 'rescue/*' 'debian/*' 'fai/*' .ci/run 2>/dev/null | sort -u); do
		[ -f "$f" ] || continue
		head -n 1 "$f" | grep -qE '^(#!.*sh|# shellcheck shell=)' || case $f in *.sh) ;; *) continue ;; esac
		if shellcheck -x "$f"; then pass=$((pass + 1)); else echo "not ok - shellcheck $f"; fail=$((fail + 1)); fi
	done
	# the module map's rules: no include cycle, presentation where it belongs
	line=$(tests/lint/includes.sh | tee /dev/stderr | tail -n 1)
	pass=$((pass + ${line%% passed*}))
	f=${line#*passed, }
	fail=$((fail + ${f%% failed*}))
	echo "$pass passed, $fail failed"
}

fuzz_targets=
for f in tests/fuzz/fuzz_*.c; do
	t=${f#tests/fuzz/fuzz_}
	fuzz_targets="$fuzz_targets ${t%.c}"
done
tier unit "$b/unit-tests"
# shellcheck disable=SC2086 # one word per target
tier fuzz tests/fuzz/run.sh "$b" "${FUZZ_SECONDS:-10}" $fuzz_targets
tier lint lint
tier boot-hooks tests/boot/dracut-hook.sh "$b/pxebond"
tier boot-finish tests/boot/d-i-finish.sh "$b/pxebond"
tier boot-itools tests/boot/itools-hook.sh "$b/pxebond"
tier netns-hostile tests/netns/hostile.sh "$b/pxebond"
tier netns tests/netns/probe.sh "$b/pxebond"
tier netns-dhcp tests/netns/dhcp.sh "$b/pxebond"
tier write-parsers tests/write/real-parsers.sh "$b/pxebond"
tier qemu-overlay tests/qemu/test-overlay.sh "$b/pxebond-overlay.cpio.gz"
tier qemu-probe tests/qemu/test-probe.sh
tier qemu-up tests/qemu/test-up.sh
tier qemu-write tests/qemu/test-write.sh
tier qemu-kickstart tests/qemu/test-kickstart.sh
tier qemu-pxe tests/qemu/test-pxe.sh
tier qemu-rescue tests/qemu/test-rescue.sh
tier qemu-itools tests/qemu/test-itools.sh
tier deb tests/pkg/test-deb.sh
tier rpm tests/pkg/test-rpm.sh
tier iso tests/iso/test-iso.sh
tier qemu-iso env PXB_PXE_ONLY="iso-di iso-di-stock" tests/qemu/test-pxe.sh
tier qemu-uefi env PXB_PXE_ONLY="uefi-overlay-strict uefi-iso-di" tests/qemu/test-pxe.sh
tier qemu-fai tests/qemu/test-fai.sh

echo "== all tiers"
echo "# tier times: ${times%, }; in all $(($(date +%s) - t_all)) s"
if [ "$total_fail" != 0 ]; then
	# Again at the end, where a log cut to its tail still shows them: each tier's failures.
	for f in "$log"/*.log; do
		sed -n "s|^not ok - |not ok - $(basename "$f" .log): |p" "$f"
	done
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
