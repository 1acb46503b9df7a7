#!/bin/bash
# The iso tier: pxebond-iso (iso/remaster.sh) on small ISOs made here, no QEMU (the
# qemu-iso and qemu-uefi tiers boot a remastered installer ISO):
#
#   mixed.iso   xorriso -as mkisofs, Rock Ridge + Joliet, El Torito BIOS and UEFI, GPT;
#               isolinux.cfg (a relative initrd=, INITRD a,b), grub.cfg (initrd with a
#               (device) prefix and two files, initrdefi, a ${variable}, a missing file),
#               a loader entry; initrds gzip'd, xz'd and plain cpio (one of an odd size);
#               an initrd no configuration names; md5sum.txt
#   grub.iso    grub-mkrescue (BIOS, UEFI, the Apple HFS+ hybrid xorriso cannot replay)
#   bad.iso     an initrd that is a gzip'd ext2 image, not a cpio archive
#   esp.iso     a UEFI boot image (FAT) that holds an initrd of its own
#
# Work files in build/pkg/iso/.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
# shellcheck source=tests/tap.sh
. tests/tap.sh
w=$root/build/pkg/iso
tool=$root/iso/remaster.sh
overlay=$root/build/pxebond-overlay.cpio.gz
t0=$SECONDS
rm -rf "$w"
# The tree's own build, which the packages must match (make check has built it already).
make --no-print-directory build/pxebond build/pxebond-overlay.cpio.gz >/dev/null ||
	{ echo "not ok - make build/pxebond build/pxebond-overlay.cpio.gz"; tap_done; exit 1; }
mkdir -p "$w"
[ -f "$overlay" ] || { echo "not ok - no $overlay (make overlay)"; tap_done; exit 1; }

# cpio_of OUT FILE...: a newc archive of small files (what an initrd is).
mkcpio() {
	local out=$1 d
	shift
	d=$(mktemp -d "$w/c.XXXXXX")
	for f in "$@"; do mkdir -p "$d/$(dirname "$f")" && echo "$f" >"$d/$f"; done
	(cd "$d" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out"
	rm -rf "$d"
}

# --- mixed.iso
t=$w/mixed
mkdir -p "$t/isolinux" "$t/live" "$t/boot/grub" "$t/images/pxeboot" "$t/loader/entries" "$t/EFI"
mkcpio "$t/isolinux/i.cpio" init etc/a
gzip -n -9 <"$t/isolinux/i.cpio" >"$t/isolinux/initrd.gz" && rm "$t/isolinux/i.cpio"
mkcpio "$t/live/i.cpio" init lib/b
xz -9 --check=crc32 <"$t/live/i.cpio" >"$t/live/initrd.img" && rm "$t/live/i.cpio"
mkcpio "$t/live/extra.img" etc/extra
printf 'x' >>"$t/live/extra.img" # an odd size: the overlay must be padded to 4 bytes
mkcpio "$t/images/pxeboot/initrd.img" init usr/lib/c
gzip -n -9 -f "$t/images/pxeboot/initrd.img" && mv "$t/images/pxeboot/initrd.img.gz" "$t/images/pxeboot/initrd.img"
mkcpio "$t/images/unnamed-initrd.img" init
head -c 2048 /dev/zero >"$t/isolinux/isolinux.bin"
printf 'vmlinuz\n' >"$t/isolinux/vmlinuz"
cat >"$t/isolinux/isolinux.cfg" <<'EOF'
DEFAULT a
LABEL a
  KERNEL vmlinuz
  APPEND initrd=initrd.gz quiet
LABEL b
  KERNEL /live/vmlinuz
  INITRD /live/initrd.img,/live/extra.img
EOF
cat >"$t/boot/grub/grub.cfg" <<'EOF'
menuentry 'a' {
	linux ($root)/live/vmlinuz
	initrd ($root)/live/initrd.img /live/extra.img
}
menuentry 'b' {
	linuxefi /images/pxeboot/vmlinuz
	initrdefi /images/pxeboot/initrd.img
}
menuentry 'c' {
	initrd ${prefix}/initrd-by-variable.img
	initrd /missing.img
}
EOF
printf 'title x\nlinux /live/vmlinuz\ninitrd /live/initrd.img\n' >"$t/loader/entries/x.conf"
mformat -C -f 1440 -i "$t/EFI/efi.img" :: 2>/dev/null
# debian-cd leaves isolinux.bin out: -boot-info-table writes into it.
(cd "$t" && find . -type f ! -name md5sum.txt ! -name isolinux.bin -printf '%P\n' | LC_ALL=C sort |
	while IFS= read -r f; do md5sum "$f" | sed 's|  |  ./|'; done) >"$w/md5sum.txt"
mv "$w/md5sum.txt" "$t/md5sum.txt"
xorriso -as mkisofs -o "$w/mixed.iso" -R -J -joliet-long -V PXB_MIXED \
	-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	-eltorito-alt-boot -e EFI/efi.img -no-emul-boot -isohybrid-gpt-basdat "$t" >"$w/mkisofs.log" 2>&1 ||
	{ cat "$w/mkisofs.log"; echo "not ok - cannot make mixed.iso"; tap_done; exit 1; }

rep=$("$tool" --overlay "$overlay" --report "$w/mixed.report" "$w/mixed.iso" "$w/mixed-pxb.iso" 2>"$w/mixed.err")
rc=$?
printf '# %s\n' "${rep//$'\n'/$'\n'# }"
ok "mixed.iso: written (exit 0)" test "$rc" = 0
ok "mixed.iso: --report wrote the same report" test "$rep" = "$(cat "$w/mixed.report")"
for p in /isolinux/initrd.gz /live/initrd.img /live/extra.img /images/pxeboot/initrd.img; do
	ok "mixed.iso: the report names $p as changed" grep -q "^  $p: [0-9]* -> [0-9]* bytes" <<<"$rep"
done
ok "mixed.iso: ... the relative initrd= resolved from isolinux.cfg's directory" \
	grep -q '^  /isolinux/initrd.gz: .*named in /isolinux/isolinux.cfg' <<<"$rep"
ok "mixed.iso: ... /live/initrd.img named by isolinux, GRUB and the loader entry" \
	grep -q '^  /live/initrd.img: .*named in /boot/grub/grub.cfg, /isolinux/isolinux.cfg, /loader/entries/x.conf' <<<"$rep"
ok "mixed.iso: the ones it cannot find are reported, not guessed" \
	grep -q '^  /missing.img (in /boot/grub/grub.cfg)' <<<"$rep"
# shellcheck disable=SC2016 # the variable as written in grub.cfg
ok "mixed.iso: ... a GRUB variable too" grep -qF '  ${prefix}/initrd-by-variable.img (in /boot/grub/grub.cfg)' <<<"$rep"

x=$w/mixed-x
mkdir -p "$x"
xorriso -osirrox on -indev "$w/mixed-pxb.iso" -extract / "$x" >/dev/null 2>&1
chmod -R u+w "$x"
# appended FILE: the new file is the original, zeros to a multiple of 4, the overlay.
appended() {
	local o=$t$1 n=$x$1 os pad
	os=$(stat -c %s "$o")
	pad=$(((4 - os % 4) % 4))
	cmp -s <(cat "$o" <(head -c "$pad" /dev/zero) "$overlay") "$n"
}
for p in /isolinux/initrd.gz /live/initrd.img /live/extra.img /images/pxeboot/initrd.img; do
	ok "mixed-pxb.iso: $p = the original + padding to 4 bytes + the overlay" appended "$p"
done
xin=$w/mixed-in
mkdir -p "$xin"
xorriso -osirrox on -indev "$w/mixed.iso" -extract / "$xin" >/dev/null 2>&1
chmod -R u+w "$xin"
same_elsewhere() {
	local f bad=0
	while IFS= read -r f; do
		case $f in isolinux/initrd.gz | live/initrd.img | live/extra.img | images/pxeboot/initrd.img | md5sum.txt) continue ;; esac
		# block addresses: the El Torito catalog, and isolinux.bin's boot-info-table
		case $f in isolinux/boot.cat | isolinux/isolinux.bin) continue ;; esac
		cmp -s "$xin/$f" "$x/$f" || { echo "# differs: $f"; bad=1; }
	done < <(cd "$xin" && find . -type f -printf '%P\n')
	[ "$bad" = 0 ] && [ "$(cd "$xin" && find . | LC_ALL=C sort)" = "$(cd "$x" && find . | LC_ALL=C sort)" ]
}
ok "mixed-pxb.iso: every other file the same, none added or lost" same_elsewhere
ok "mixed-pxb.iso: the initrd no configuration names is untouched" \
	cmp "$t/images/unnamed-initrd.img" "$x/images/unnamed-initrd.img"
md5ok() { (cd "$x" && md5sum --quiet -c md5sum.txt); }
ok "mixed-pxb.iso: md5sum.txt matches every file (the changed ones' lines updated)" md5ok
ok "mixed-pxb.iso: the report says 4 lines of md5sum.txt were updated" \
	grep -q '^  /md5sum.txt: 4 line(s) updated' <<<"$rep"
eltorito() { xorriso -indev "$1" -report_el_torito plain 2>/dev/null | awk '/^El Torito (boot img|img path)/ { $NF = $NF; print $5, $6, $7, $8 }'; }
ok "mixed-pxb.iso: the El Torito BIOS and UEFI entries as in the original" \
	test "$(eltorito "$w/mixed.iso")" = "$(eltorito "$w/mixed-pxb.iso")"
sysarea() { xorriso -indev "$1" -report_system_area plain 2>/dev/null | grep -E '^(System area summary|GPT type GUID|GPT partition path|MBR partition  )'; }
ok "mixed-pxb.iso: the system area (MBR, GPT) as in the original" \
	test "$(sysarea "$w/mixed.iso")" = "$(sysarea "$w/mixed-pxb.iso")"
volid() { xorriso -indev "$1" -pvd_info 2>/dev/null | sed -n 's/^Volume Id *: //p'; }
ok "mixed-pxb.iso: the volume id kept" test "$(volid "$w/mixed-pxb.iso")" = PXB_MIXED
ok "mixed-pxb.iso: Joliet names kept" grep -q '^  Joliet names kept' <<<"$rep"
joliet_long() { xorriso -indev "$1" -joliet on -lsl /images 2>/dev/null | grep -q unnamed-initrd.img; }
ok "mixed-pxb.iso: ... readable as Joliet" joliet_long "$w/mixed-pxb.iso"

rep2=$("$tool" --overlay "$overlay" "$w/mixed-pxb.iso" "$w/mixed-pxb2.iso" 2>/dev/null)
ok "again on its own output: every initrd already ends with this overlay, left as it is" \
	test "$(grep -c 'already ends with this overlay' <<<"$rep2")" = 4
same_size() { test "$(stat -c %s "$1")" = "$(stat -c %s "$2")"; }
ok "... the ISO the same size" same_size "$w/mixed-pxb.iso" "$w/mixed-pxb2.iso"
not_written() {
	local a=("$@")
	"$tool" --overlay "$overlay" "${a[@]}" >/dev/null 2>&1
	[ ! -e "${a[-1]}" ]
}
ok "--dry-run writes nothing" not_written --dry-run "$w/mixed.iso" "$w/dry.iso"
usage_rc() { "$tool" "$@" >/dev/null 2>&1; test $? = 2; }
ok "no OUT: usage, exit 2" usage_rc "$w/mixed.iso"
same_path() { ! "$tool" --overlay "$overlay" "$w/mixed.iso" "$w/../iso/mixed.iso" >/dev/null 2>&1 && cmp -s "$w/mixed.iso" "$w/mixed.iso"; }
ok "OUT = IN: refused" same_path

# --- grub.iso: what grub-mkrescue makes, the Apple HFS+ hybrid included
g=$w/grub
mkdir -p "$g/boot/grub" "$g/install"
mkcpio "$g/install/i.cpio" init
gzip -n <"$g/install/i.cpio" >"$g/install/initrd.gz" && rm "$g/install/i.cpio"
printf 'k\n' >"$g/install/linux"
printf 'menuentry x {\n\tlinux /install/linux\n\tinitrd /install/initrd.gz\n}\n' >"$g/boot/grub/grub.cfg"
if grub-mkrescue -o "$w/grub.iso" "$g" -- -volid PXB_GRUB >"$w/grub-mkrescue.log" 2>&1; then
	rep=$(make --no-print-directory iso IN="$w/grub.iso" OUT="$w/grub-pxb.iso" 2>"$w/grub.err")
	rc=$?
	printf '# %s\n' "${rep//$'\n'/$'\n'# }"
	ok "grub.iso (make iso IN= OUT=): written" test "$rc" = 0
	ok "grub.iso: the HFS+ hybrid dropped, and the report says so" \
		grep -q '^  dropped: the Apple HFS+ hybrid' <<<"$rep"
	ok "grub-pxb.iso: El Torito BIOS and UEFI entries as in the original" \
		test "$(eltorito "$w/grub.iso")" = "$(eltorito "$w/grub-pxb.iso")"
	uuid() { xorriso -indev "$1" -report_el_torito cmd 2>/dev/null | grep -- '-volume_date uuid'; }
	ok "grub-pxb.iso: the volume date GRUB searches for (--fs-uuid) kept" \
		test "$(uuid "$w/grub.iso")" = "$(uuid "$w/grub-pxb.iso")"
	gpt_efi() { xorriso -indev "$1" -report_system_area plain 2>/dev/null | grep -c 'GPT partition path :.*/efi.img'; }
	ok "grub-pxb.iso: the GPT EFI partition kept (USB sticks booting UEFI)" test "$(gpt_efi "$w/grub-pxb.iso")" = 1
else
	ok "grub-mkrescue made grub.iso" false
fi

# --- bad.iso: an initrd that is not a cpio archive (an old ramdisk image)
b=$w/bad
mkdir -p "$b/boot/grub"
mke2fs -q -t ext2 -F "$w/ramdisk.img" 512 >/dev/null 2>&1
gzip -n <"$w/ramdisk.img" >"$b/boot/initrd.gz"
printf 'menuentry x {\n\tinitrd /boot/initrd.gz\n}\n' >"$b/boot/grub/grub.cfg"
xorriso -as mkisofs -o "$w/bad.iso" -R -V PXB_BAD "$b" >/dev/null 2>&1
out=$("$tool" --overlay "$overlay" "$w/bad.iso" "$w/bad-pxb.iso" 2>&1)
rc=$?
ok "bad.iso: refused (exit 1), nothing written" test "$rc" = 1 -a ! -e "$w/bad-pxb.iso"
ok "bad.iso: ... saying which initrd and why" grep -q '/boot/initrd.gz (not cpio: gzip-compressed' <<<"$out"

# --- esp.iso: the UEFI image carries its own initrd
e=$w/esp
mkdir -p "$e/boot/grub" "$e/EFI"
cp "$g/install/initrd.gz" "$e/boot/initrd.gz"
printf 'menuentry x {\n\tinitrd /boot/initrd.gz\n}\n' >"$e/boot/grub/grub.cfg"
mformat -C -f 1440 -i "$e/EFI/efi.img" :: 2>/dev/null
mmd -i "$e/EFI/efi.img" ::/EFI 2>/dev/null
mcopy -i "$e/EFI/efi.img" "$g/install/initrd.gz" ::/EFI/initrd.img 2>/dev/null
xorriso -as mkisofs -o "$w/esp.iso" -R -V PXB_ESP -e EFI/efi.img -no-emul-boot "$e" >/dev/null 2>&1
out=$("$tool" --overlay "$overlay" "$w/esp.iso" "$w/esp-pxb.iso" 2>&1)
rc=$?
ok "esp.iso: refused (exit 1), nothing written" test "$rc" = 1 -a ! -e "$w/esp-pxb.iso"
ok "esp.iso: ... naming the initrd inside the UEFI image" grep -q 'UEFI boot image holds initrd(s) of its own.*/EFI/initrd.img' <<<"$out"
out=$("$tool" --overlay "$overlay" --allow-partial "$w/esp.iso" "$w/esp-pxb.iso" 2>&1)
ok "esp.iso --allow-partial: written, the report says what was left" \
	grep -q 'UEFI boot image holds initrd(s) of its own, not changed' <<<"$out"

echo "# tier $((SECONDS - t0)) s"
tap_done
