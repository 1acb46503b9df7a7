#!/bin/bash
# A local Debian mirror for the PXE lab's Debian installer (di-install.sh), built with apt
# alone from the machine's Debian archive and signed by Debian: dists/bookworm's InRelease
# as the archive serves it, and Release + Release.gpg split from it (its clear text, less
# the final newline, is the Release that its text-mode signature signs), the Packages
# indexes whose sizes and hashes Release lists, the per-component Release files
# choose-mirror reads, and under pool/ (as the Packages' Filename fields say):
#   - every amd64 udeb of main/debian-installer but the kernel modules of other kernels
#     (what anna may retrieve for the netboot kernel KABI);
#   - the debs the install needs: Priority required and important (debootstrap's base),
#     the kernel, grub-pc, ifenslave and what d-i adds, resolved with their Recommends
#     (d-i's apt-install installs them) against an empty dpkg status.
# A pool file the archive does not have (404) is left out and listed in OUTDIR/MISSING:
# the index still names it, and the installer fails when it asks for it.
#
# Usage: di-mirror.sh OUTDIR KABI [KEYRING]
#   OUTDIR/debian/{dists,pool}: the mirror; OUTDIR/MISSING: "udeb|deb NAME VERSION FILENAME";
#   OUTDIR/SIZES (sourceable: udeb_files, udeb_bytes, deb_files, deb_bytes, missing_udebs,
#   missing_debs, ...); OUTDIR/apt/: apt's private state and the downloaded files, kept.
#   KEYRING (default Debian's archive keyring) verifies the signature as d-i will (pass
#   the netboot initrd's /usr/share/keyrings/archive.gpg).
# Rebuilt only when the archive's InRelease, KABI, KEYRING or this script changes (an unchanged
# mirror costs one `apt-get update`, 2-3 s). Needs root only for apt's lock-free use of
# its own dirs; nothing outside OUTDIR is written.
set -euo pipefail

out=${1:?usage: di-mirror.sh OUTDIR KABI [KEYRING]}
kabi=${2:?usage: di-mirror.sh OUTDIR KABI [KEYRING]}
keyring=${3:-/usr/share/keyrings/debian-archive-keyring.gpg}
suite=bookworm
# What d-i installs beyond debootstrap's base (base-installer, grub-installer, pkgsel,
# localechooser, console-setup, hw-detect, pxebond's finish script), and a few it may.
extras=(linux-image-amd64 initramfs-tools busybox zstd grub-pc os-prober ifenslave tasksel
	tasksel-data console-setup keyboard-configuration locales eatmydata pciutils usbutils
	discover laptop-detect eject sudo usr-is-merged ca-certificates)

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
lib=$(cd "$(dirname "$0")" && pwd)/mirror-lib.sh
mirror_name=di-mirror
# shellcheck source=tests/qemu/pxe/mirror-lib.sh
. "$lib"

# The mirror host: where this machine's own sources get bookworm main. choose-mirror
# reads dists/SUITE/main/binary-ARCH/Release (its Architecture line): apt fetches it too.
# shellcheck disable=SC2016 # apt's $(FIELD) syntax
mirror_apt "$out" "$suite" "arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg" \
	"main main/debian-installer" '
	Acquire::IndexTargets::deb::PxbComponentRelease {
		MetaKey "$(COMPONENT)/binary-$(ARCHITECTURE)/Release";
		ShortDescription "Release";
		Description "$(RELEASE)/$(COMPONENT) $(ARCHITECTURE) Release";
	};'
mirror_update "$out/stamp"

stamp="$(sha256sum "$inrel" "$self" "$lib" "$keyring" | cut -d' ' -f1 | tr '\n' ' ')$kabi"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -d "$out/debian" ]; then
	echo "di-mirror: $out/debian is up to date ($(grep -m1 '^Version:' "$inrel"))" >&2
	exit 0
fi
t0=$SECONDS

# The package sets, as NAME=VERSION.
udebs_pkgs=$lists/${pfx}_main_debian-installer_binary-amd64_Packages
debs_pkgs=$lists/${pfx}_main_binary-amd64_Packages
mapfile -t udebs < <(awk -v RS= -F'\n' -v kabi="$kabi" '{
		n = v = k = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^Package: /) n = substr($i, 10)
			else if ($i ~ /^Version: /) v = substr($i, 10)
			else if ($i ~ /^Kernel-Version: /) k = substr($i, 17)
		}
		if (k == "" || k == kabi) print n "=" v
	}' "$udebs_pkgs")
mapfile -t base_pkgs < <(awk -v RS= -F'\n' '{
		n = p = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^Package: /) n = substr($i, 10)
			else if ($i ~ /^Priority: /) p = substr($i, 11)
		}
		if (p == "required" || p == "important") print n
	}' "$debs_pkgs")
mapfile -t debs < <(apt-get -s install "${base_pkgs[@]}" "${extras[@]}" 2>/dev/null |
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p')
if [ "${#udebs[@]}" = 0 ] || [ "${#debs[@]}" = 0 ]; then
	echo "di-mirror: no udebs or no debs resolved" >&2
	exit 1
fi

# 'URI' FILE SIZE SHA256:HASH for each, then the downloads apt does not have yet (it
# skips a file already there; a 404 leaves none).
apt-get --print-uris -qq download "${udebs[@]}" >"$apt/uris.udeb"
apt-get --print-uris -qq download "${debs[@]}" >"$apt/uris.deb"
(cd "$apt/files" && apt-get -q download "${udebs[@]}" "${debs[@]}") >"$apt/download.log" 2>&1 || true

# The pool, hard links to the downloads, and the list of what the archive lacked.
new=$out/debian.new
rm -rf "$new"
mkdir -p "$new/dists/$suite"
: >"$out/MISSING.new"
: >"$out/sizes.tmp"
for kind in udeb deb; do
	mirror_pool "$apt/uris.$kind" "$new" "$out/MISSING.new" "$kind" >>"$out/sizes.tmp"
done

# dists/: InRelease as served, Release and Release.gpg from it, the indexes.
d=$new/dists/$suite
mirror_release "$d"
for c in main main/debian-installer; do
	mkdir -p "$d/$c/binary-amd64"
	cp "$lists/${pfx}_${c//\//_}_binary-amd64_Packages" "$d/$c/binary-amd64/Packages"
	cp "$lists/${pfx}_${c//\//_}_binary-amd64_Release" "$d/$c/binary-amd64/Release"
done

# As d-i will see it: a good signature on Release (net-retriever: gpgv, VALIDSIG), on
# InRelease (debootstrap, apt), and every index served matching Release's SHA256 list.
mirror_verify "$d" "$keyring"

rm -rf "$out/debian"
mv "$new" "$out/debian"
mv "$out/MISSING.new" "$out/MISSING"
awk -v nu="${#udebs[@]}" -v nd="${#debs[@]}" -v m="$out/MISSING" '
	{ n[$1]++; b[$1] += $2 }
	END {
		while ((getline l < m) > 0) { split(l, w, " "); miss[w[1]]++ }
		printf "udeb_files=%d\nudeb_bytes=%d\ndeb_files=%d\ndeb_bytes=%d\n", n["udeb"], b["udeb"], n["deb"], b["deb"]
		printf "udebs_listed=%d\ndebs_listed=%d\n", nu, nd
		printf "missing_udebs=%d\nmissing_debs=%d\n", miss["udeb"], miss["deb"]
	}' "$out/sizes.tmp" >"$out/SIZES"
rm -f "$out/sizes.tmp"
{
	echo "release='$(sed -n 's/^Description: //p' "$out/debian/dists/$suite/Release")'"
	echo "build_s=$((SECONDS - t0))"
} >>"$out/SIZES"
echo "$stamp" >"$out/stamp"
awk -F= '{ gsub(/\047/, "", $2); v[$1] = $2 } END {
	printf "di-mirror: %s/debian: %s; %d udebs (%d MiB), %d debs (%d MiB); the archive lacked %d udebs and %d debs (MISSING); %d s\n",
		out, v["release"], v["udeb_files"], v["udeb_bytes"] / 1048576, v["deb_files"],
		v["deb_bytes"] / 1048576, v["missing_udebs"], v["missing_debs"], v["build_s"]
}' out="$out" "$out/SIZES" >&2
