#!/bin/bash
# pxebond-iso: an installer ISO in, the same ISO out with pxebond's overlay appended to
# every initrd its boot loaders load, for a BMC's virtual media (docs/packages.md).
#
# Usage: pxebond-iso [--overlay FILE] [--initrd ISO_PATH]... [--report FILE] [--dry-run]
#                    [--allow-partial] IN.iso OUT.iso
#
# The initrds are found in the ISO's own boot configurations (isolinux/syslinux `initrd=`
# and INITRD, GRUB's initrd/initrd16/initrdefi, systemd-boot's loader entries); --initrd
# names more. Each must be a cpio archive (compressed or not; dracut's early cpio is
# fine): the overlay, padded to 4 bytes as GRUB and iPXE pad, goes after it, and the
# kernel unpacks both. Nothing else on the ISO changes but the checksum lists that name
# those files (md5sum.txt, sha256sum.txt...). xorriso replays the original's boot
# equipment (El Torito BIOS and UEFI images, MBR/GPT/APM, volume id and date, which GRUB
# searches for); the tool compares both ISOs' boot records afterwards and fails if they
# differ. Exit: 0 written, 1 failed (nothing left at OUT), 2 usage.
set -euo pipefail

prog=pxebond-iso
# `make install` writes the installed overlay's path here; from the source tree, the
# overlay `make overlay` builds.
overlay=@OVERLAY@
if [ "${overlay#@}" != "$overlay" ]; then
	overlay=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/pxebond-overlay.cpio.gz
fi
extra=() report='' dry=0 partial=0

usage() {
	cat <<-EOF
		Usage: $prog [OPTIONS] IN.iso OUT.iso
		Appends pxebond's overlay to every initrd the ISO boots (BIOS and UEFI), keeps its
		boot records, and says what changed.

		  --overlay FILE     the overlay (default $overlay)
		  --initrd PATH      also this file of the ISO (repeatable)
		  --report FILE      write the report there too (it always goes to stdout)
		  --dry-run          find and check the initrds, write nothing
		  --allow-partial    write OUT even if the UEFI boot image holds initrds of its own
		                     (its boots then run without pxebond)
		  -h, --help         this text
	EOF
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--overlay) overlay=${2:?--overlay FILE} && shift ;;
	--initrd) extra+=("${2:?--initrd PATH}") && shift ;;
	--report) report=${2:?--report FILE} && shift ;;
	--dry-run) dry=1 ;;
	--allow-partial) partial=1 ;;
	-h | --help) usage && exit 0 ;;
	--) shift && break ;;
	-*) echo "$prog: unknown option $1" >&2 && usage >&2 && exit 2 ;;
	*) break ;;
	esac
	shift
done
if [ $# != 2 ]; then
	usage >&2
	exit 2
fi
in=$1 out=$2

command -v xorriso >/dev/null || die "xorriso is missing (apt-get install xorriso; dnf install xorriso)"
if [ ! -f "$in" ] || [ ! -r "$in" ]; then die "$in: no such ISO"; fi
[ -f "$overlay" ] || die "$overlay: no overlay (make overlay, or --overlay FILE)"
if [ -e "$out" ] && [ "$in" -ef "$out" ]; then
	die "$out: is the input; write the new ISO elsewhere"
fi
[ "$(od -An -tx1 -N2 "$overlay" | tr -d ' ')" = 1f8b ] ||
	die "$overlay: not a gzip'd cpio overlay"

work=$(mktemp -d "${TMPDIR:-/tmp}/pxebond-iso.XXXXXX")
written=0
cleanup() {
	rm -rf "$work"
	if [ "$written" = partial ]; then rm -f "$out"; fi
}
trap cleanup EXIT

xo() { # xorriso, quiet unless it fails
	local log=$work/xorriso.log
	if ! xorriso "$@" >"$log" 2>&1; then
		sed 's/^/  xorriso: /' "$log" >&2
		return 1
	fi
}

# Every file of the ISO, one path a line. xorriso quotes each as '...' ('\'' inside).
xorriso -indev "$in" -find / -type f 2>"$work/find.err" |
	sed -e "s/^'//" -e "s/'\$//" -e "s/'\"'\"'/'/g" >"$work/files" ||
	{ cat "$work/find.err" >&2; die "$in: xorriso cannot read it as an ISO 9660 image"; }
[ -s "$work/files" ] || die "$in: no files (not an ISO 9660 image?)"
on_iso() { grep -qxF -- "$1" "$work/files"; }

# The boot configurations: isolinux/syslinux, GRUB, systemd-boot. Extracted under cfg/.
grep -E '\.(cfg|conf)$' "$work/files" |
	grep -Ei '(isolinux|syslinux|grub|efi|boot|loader)[^/]*/|^/[^/]*\.cfg$' >"$work/cfgs" || true
mkdir -p "$work/cfg"
if [ -s "$work/cfgs" ]; then
	mapfile -t cfgs <"$work/cfgs"
	xo -osirrox on -indev "$in" -extract_l / "$work/cfg" "${cfgs[@]}" -- ||
		die "$in: cannot extract its boot configurations"
else
	cfgs=()
fi

# refs_in CFG: the initrd paths CFG names, one a line, as written.
refs_in() {
	awk '
		{ sub(/\r$/, "") }
		# isolinux/syslinux and EFI-stub command lines: initrd=a,b
		{
			for (i = 1; i <= NF; i++)
				if (tolower($i) ~ /^initrd=/) {
					n = split(substr($i, 8), p, ",")
					for (j = 1; j <= n; j++) if (p[j] != "") print p[j]
				}
		}
		# isolinux INITRD a,b; GRUB initrd/initrd16/initrdefi a b; systemd-boot initrd a
		tolower($1) ~ /^(initrd|initrd16|initrdefi)$/ {
			for (i = 2; i <= NF; i++) {
				if ($i ~ /^-/) continue          # GRUB options (--nounzip...)
				n = split($i, p, ",")
				for (j = 1; j <= n; j++) if (p[j] != "") print p[j]
			}
		}' "$1"
}

# resolve CFG_ISO_PATH REF: the file of the ISO REF means, or nothing. GRUB's (device)
# prefix goes; a relative path is tried from the configuration's directory (isolinux
# and syslinux look there), then from the root.
resolve() {
	local dir r=$2
	r=${r#\(*\)}
	case $r in
	*'$'*) return 0 ;; # a GRUB variable: cannot know
	/*) if on_iso "$r"; then echo "$r"; fi ;;
	*)
		dir=$(dirname "$1")
		if on_iso "$dir/$r"; then echo "$dir/$r"; elif on_iso "/$r"; then echo "/$r"; fi
		;;
	esac
	return 0
}

: >"$work/initrds" # ISO_PATH<TAB>CFG
: >"$work/unresolved"
for c in "${cfgs[@]}"; do
	[ -f "$work/cfg$c" ] || continue
	while IFS= read -r ref; do
		p=$(resolve "$c" "$ref")
		if [ -n "$p" ]; then
			printf '%s\t%s\n' "$p" "$c" >>"$work/initrds"
		else
			printf '%s\t%s\n' "$ref" "$c" >>"$work/unresolved"
		fi
	done < <(refs_in "$work/cfg$c")
done
for p in "${extra[@]}"; do
	p=/${p#/}
	on_iso "$p" || die "--initrd $p: no such file on $in"
	printf '%s\t%s\n' "$p" "--initrd" >>"$work/initrds"
done
mapfile -t initrds < <(cut -f1 "$work/initrds" | LC_ALL=C sort -u)
[ ${#initrds[@]} -gt 0 ] ||
	die "$in: no initrd found in its boot configurations (${#cfgs[@]} read); name one with --initrd"

# What the initrd is, from its first bytes (decompressed when the tool is here):
# "cpio", "FORMAT cpio", "FORMAT (not checked: no TOOL)" or "not cpio: WHAT".
kind() {
	local f=$1 m z='' tool='' head
	m=$(od -An -tx1 -N6 "$f" | tr -d ' \n')
	case $m in
	303730373031 | 303730373032 | 303730373037) echo cpio && return ;;
	1f8b*) z=gzip tool="gzip -dc" ;;
	fd377a585a00) z=xz tool="xz -dc" ;;
	28b52ffd*) z=zstd tool="zstd -dcq" ;;
	425a68*) z=bzip2 tool="bzip2 -dc" ;;
	5d0000*) z=lzma tool="xz --format=lzma -dc" ;;
	02214c18*) z=lz4 tool="lz4 -dc" ;;
	*) echo "not cpio: $(file -b "$f" 2>/dev/null || echo "magic $m")" && return ;;
	esac
	if ! command -v "${tool%% *}" >/dev/null; then
		echo "$z (not checked: no ${tool%% *})"
		return
	fi
	# only the first bytes: the decompressor dies of SIGPIPE, which is fine here
	# shellcheck disable=SC2086 # TOOL is a command and its options
	head=$(set +o pipefail; $tool <"$f" 2>/dev/null | head -c 6)
	case $head in
	0707*) echo "$z cpio" ;;
	*) echo "not cpio: $z-compressed $(printf '%s' "$head" | od -An -c | tr -s ' ')" ;;
	esac
}

size() { stat -c %s "$1"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
ov_size=$(size "$overlay")
mkdir -p "$work/new"
changed=() lines=() refused=()
n=0
for p in "${initrds[@]}"; do
	n=$((n + 1))
	f=$work/new/$n
	xo -osirrox on -indev "$in" -extract "$p" "$f" || die "$in: cannot extract $p"
	chmod u+w "$f"
	by=$(awk -F'\t' -v p="$p" '$1 == p { printf "%s%s", s, $2; s = ", " }' "$work/initrds")
	k=$(kind "$f")
	old=$(size "$f")
	case $k in
	not\ cpio*)
		refused+=("$p ($k; named in $by)")
		continue
		;;
	esac
	if [ "$old" -ge "$ov_size" ] && cmp -s <(tail -c "$ov_size" "$f") "$overlay"; then
		lines+=("  $p: already ends with this overlay, left as it is ($k; named in $by)")
		continue
	fi
	pad=$(((4 - old % 4) % 4))
	head -c "$pad" /dev/zero >>"$f"
	cat "$overlay" >>"$f"
	changed+=("$p" "$f")
	lines+=("  $p: $old -> $(size "$f") bytes ($k + ${pad} bytes of padding + the overlay; named in $by)")
done
if [ ${#refused[@]} -gt 0 ]; then
	printf '%s: not a cpio archive, the kernel could not unpack an overlay after it:\n' "$prog" >&2
	printf '  %s\n' "${refused[@]}" >&2
	die "nothing written; leave it out of the boot configurations or ask for support of its format"
fi

# Checksum lists at the root (Debian's md5sum.txt and sha256sum.txt, "HASH  ./PATH"):
# the lines of the changed files get their new sums.
sums=()
for l in /md5sum.txt /sha256sum.txt /SHA256SUMS /sha512sum.txt; do
	on_iso "$l" || continue
	case $l in
	/md5*) algo=md5sum ;; /sha256* | /SHA256*) algo=sha256sum ;; *) algo=sha512sum ;;
	esac
	lf=$work/sums$(basename "$l")
	xo -osirrox on -indev "$in" -extract "$l" "$lf" || die "$in: cannot extract $l"
	chmod u+w "$lf"
	hits=0
	for ((i = 0; i < ${#changed[@]}; i += 2)); do
		p=${changed[i]} f=${changed[i + 1]}
		awk -v p="$p" '{ q = $2; sub(/^\./, "", q) } q == p { f = 1 } END { exit !f }' "$lf" || continue
		h=$($algo "$f" | cut -d' ' -f1)
		awk -v p="$p" -v h="$h" '{ q = $2; sub(/^\./, "", q) } q == p { $1 = h; sub(/ /, "  ") } { print }' \
			"$lf" >"$lf.new" && mv "$lf.new" "$lf"
		hits=$((hits + 1))
	done
	if [ "$hits" -gt 0 ]; then
		changed+=("$l" "$lf")
		sums+=("  $l: $hits line(s) updated")
	fi
done

# The UEFI boot image (a FAT file system) may carry a kernel and initrd of its own,
# which this tool does not change: say so, and stop unless told to go on.
esp_note=''
mkdir -p "$work/boot"
if xo -osirrox on -indev "$in" -extract_boot_images "$work/boot/"; then
	for img in "$work"/boot/*uefi*; do
		[ -f "$img" ] || continue
		if ! command -v mdir >/dev/null; then
			esp_note="  UEFI boot image: not looked into (no mdir: apt-get install mtools)"
			continue
		fi
		inside=$(mdir -/ -b -i "$img" :: 2>/dev/null | grep -Ei '/(initrd|initramfs)[^/]*$' || true)
		if [ -n "$inside" ]; then
			esp_note="  UEFI boot image holds initrd(s) of its own, not changed: $(tr '\n' ' ' <<<"$inside")"
			if [ "$partial" != 1 ]; then
				echo "$prog: $esp_note" >&2
				die "its UEFI boots would run without pxebond; nothing written (--allow-partial writes it anyway)"
			fi
		else
			esp_note="  UEFI boot image: no initrd of its own (it loads them from the ISO)"
		fi
	done
fi

# The boot records as xorriso reports them, block addresses and sizes left out, so that
# the original's and the new one's can be compared.
boot_records() {
	xorriso -indev "$1" -report_el_torito plain -report_system_area plain 2>/dev/null |
		awk '
			/^El Torito boot img :/ { print "El Torito image " $6 ": " $7 ", bootable " $8 ", emulation " $9; next }
			/^El Torito img path :/ { print "El Torito image " $6 " path: " $7; next }
			/^El Torito img opts :/ { n = $6; $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print "El Torito image " n " options: " $0; next }
			/^System area summary:/ { print; next }
			/^MBR partition *: / { print "MBR partition " $4 " type " $6; next }
			/^GPT type GUID *:/ { t[$5] = $6; next }
			/^GPT partname local :/ { nm[$5] = $6 " " $7 " " $8; next }
			/^GPT partition path :/ { pp[$5] = $6; next }
			/^APM partition type :/ { print "APM partition " $5 " type " $6; next }
			END {
				for (i = 1; i in t; i++)
					print "GPT partition " i ": type " t[i] (i in pp ? ", " pp[i] : "") ", " nm[i]
			}
		'
}
# Without Apple's HFS+ hybrid: what a PC (BIOS or UEFI) boots from.
pc_records() {
	grep -v -e '^APM ' -e 'type 005346480000aa11aa1100306543ecac' "$1" |
		sed -e 's/ APM$//' -e 's/ APM / /' -e 's/^GPT partition [0-9]*:/GPT partition:/'
}
boot_records "$in" >"$work/boot.in"
[ -s "$work/boot.in" ] || echo "(none)" >"$work/boot.in"
volid=$(xorriso -indev "$in" -pvd_info 2>/dev/null | sed -n 's/^Volume Id *: //p')

# Fedora's implanted media checksum (checkisomd5, rd.live.check) lives in the primary
# volume descriptor's application-use field; the new ISO cannot carry the old one.
md5_note=''
if dd if="$in" bs=2048 skip=16 count=1 status=none | grep -aq 'ISO MD5SUM = '; then
	md5_note="  the original's implanted media checksum (checkisomd5, rd.live.check) is not carried over: run implantisomd5 on $out (package isomd5sum) if you boot with rd.live.check"
fi

# Joliet names (Windows readers) only if the original had them: a supplementary volume
# descriptor with a UCS-2 escape sequence.
joliet=()
for s in $(seq 17 24); do
	vd=$(dd if="$in" bs=2048 skip="$s" count=1 status=none | od -An -c -N 91 | tr -d ' \n')
	case $vd in
	002CD001*%/@* | 002CD001*%/C* | 002CD001*%/E*) joliet=(-joliet on -compliance joliet_long_names) ;;
	377CD001*) break ;;
	esac
done

boot_differ() {
	echo "$prog: the new ISO's boot records differ from the original's:" >&2
	diff "$1" "$2" | sed 's/^/  /' >&2
	die "$out removed"
}

if [ "$dry" = 1 ]; then
	status="dry run: nothing written"
else
	maps=()
	for ((i = 0; i < ${#changed[@]}; i += 2)); do
		maps+=(-map "${changed[i + 1]}" "${changed[i]}")
	done
	rm -f "$out"
	written=partial
	hfs=()
	if ! xorriso -indev "$in" -outdev "$out" -boot_image any replay "${joliet[@]}" "${maps[@]}" \
		-end >"$work/xorriso.log" 2>&1; then
		# xorriso 1.5.4 cannot replay the Apple HFS+ hybrid that grub-mkrescue and
		# debian-cd's -isohybrid-apm-hfsplus make ("GPT partitions 1 and 2 overlap"),
		# not even unchanged: go without it, PCs do not use it.
		if ! grep -q APM "$work/boot.in"; then
			sed 's/^/  xorriso: /' "$work/xorriso.log" >&2
			die "xorriso could not write $out"
		fi
		echo "$prog: xorriso cannot replay the Apple HFS+/APM hybrid; writing without it" >&2
		rm -f "$out"
		hfs=(-hfsplus off)
		xo -indev "$in" -outdev "$out" -boot_image any replay "${hfs[@]}" "${joliet[@]}" \
			"${maps[@]}" -end || die "xorriso could not write $out"
	fi
	boot_records "$out" >"$work/boot.out"
	[ -s "$work/boot.out" ] || echo "(none)" >"$work/boot.out"
	if [ ${#hfs[@]} = 0 ]; then
		cmp -s "$work/boot.in" "$work/boot.out" || boot_differ "$work/boot.in" "$work/boot.out"
	else
		pc_records "$work/boot.in" >"$work/pc.in"
		pc_records "$work/boot.out" >"$work/pc.out"
		cmp -s "$work/pc.in" "$work/pc.out" || boot_differ "$work/pc.in" "$work/pc.out"
	fi
	newvol=$(xorriso -indev "$out" -pvd_info 2>/dev/null | sed -n 's/^Volume Id *: //p')
	[ "$newvol" = "$volid" ] || die "the new ISO's volume id is '$newvol', not '$volid'; $out removed"
	written=1
	status="written: $out ($(size "$out") bytes, was $(size "$in"))"
fi

{
	echo "$prog: $in -> $out"
	echo "overlay: $overlay ($ov_size bytes, sha256 $(sha "$overlay"))"
	echo "initrds (${#initrds[@]}):"
	printf '%s\n' "${lines[@]}"
	if [ -s "$work/unresolved" ]; then
		echo "named in a boot configuration but not found on the ISO (left alone):"
		awk -F'\t' '{ print "  " $1 " (in " $2 ")" }' "$work/unresolved" | LC_ALL=C sort -u
	fi
	if [ ${#sums[@]} -gt 0 ]; then
		echo "checksum lists:"
		printf '%s\n' "${sums[@]}"
	fi
	if [ "$dry" = 1 ]; then
		echo "boot records (xorriso would replay them), volume id '$volid':"
	else
		echo "boot records kept (the new ISO's compared with these), volume id '$volid':"
	fi
	sed 's/^/  /' "$work/boot.in"
	if [ "$dry" = 0 ] && [ ${#hfs[@]} -gt 0 ]; then
		echo "  dropped: the Apple HFS+ hybrid and its APM partitions (Macs booting the ISO from"
		echo "  a USB stick use them; xorriso cannot replay them). Everything a PC boots is kept."
	fi
	[ -z "$esp_note" ] || echo "$esp_note"
	[ -z "$md5_note" ] || echo "note:$md5_note"
	[ ${#joliet[@]} = 0 ] || echo "  Joliet names kept"
	echo "$status"
} | if [ -n "$report" ]; then tee "$report"; else cat; fi
