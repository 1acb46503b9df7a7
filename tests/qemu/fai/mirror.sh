#!/bin/bash
# A local Debian mirror for a FAI install in the PXE lab (make fai-loop), built with apt
# alone from this machine's Debian archive and signed by Debian, as
# tests/qemu/pxe/di-mirror.sh builds the Debian installer's: dists/bookworm/InRelease as
# the archive serves it (with Release and Release.gpg split from it), the main/amd64
# Packages index and the English translations whose sizes and hashes Release lists (as
# served, .xz, which apt asks for, also under by-hash/; and uncompressed), and under pool/ (as its Filename
# fields say) the packages named in PKGLIST resolved with their dependencies and
# Recommends against an empty dpkg status: a superset of what FAI's updatebase and
# install_packages fetch into the target. A pool file the archive lacks (404) is left
# out and listed in OUTDIR/MISSING.
#
# Usage: mirror.sh OUTDIR PKGLIST
#   PKGLIST: package names, one or more per line (FAI's base-pkgs.lis and what
#   `install_packages -l` lists for the install's classes).
#   Writes OUTDIR/debian/{dists,pool}, OUTDIR/MISSING ("NAME VERSION FILENAME"),
#   OUTDIR/SIZES (sourceable: debs, deb_bytes, missing, release, build_s), and keeps
#   apt's private state and downloads in OUTDIR/apt/.
# Rebuilt only when the archive's InRelease, PKGLIST or this script changes (an unchanged
# mirror costs one `apt-get update`, 2-6 s). Root (apt's downloads); nothing outside
# OUTDIR is written.
set -euo pipefail

out=${1:?usage: mirror.sh OUTDIR PKGLIST}
list=${2:?usage: mirror.sh OUTDIR PKGLIST}
suite=bookworm
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
lib=$(cd "$(dirname "$0")/../pxe" && pwd)/mirror-lib.sh
# shellcheck source=tests/qemu/pxe/mirror-lib.sh
. "$lib"
mapfile -t pkgs < <(sed 's/#.*//' "$list" | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
[ "${#pkgs[@]}" -gt 0 ] || { echo "mirror: $list names no package" >&2; exit 1; }

mirror_apt "$out" "$suite" "arch=amd64 signed-by=$keyring" main
mirror_update "$out/stamp"

stamp="$(cat "$inrel" "$self" "$lib" | sha256sum | cut -d' ' -f1) $(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -d' ' -f1)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -d "$out/debian" ]; then
	echo "mirror: $out/debian is up to date ($(grep -m1 '^Version:' "$inrel"))" >&2
	exit 0
fi
t0=$SECONDS

# The whole install, resolved against an empty system: NAME=VERSION. A name the archive
# does not know fails the resolution, and says which.
if ! sim=$(apt-get -s install "${pkgs[@]}" 2>&1); then
	echo "$sim" | tail -n 20 >&2
	echo "mirror: apt cannot resolve $list" >&2
	exit 1
fi
mapfile -t debs < <(sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p' <<<"$sim")
[ "${#debs[@]}" -gt 0 ] || { echo "mirror: nothing resolved" >&2; exit 1; }
apt-get --print-uris -qq download "${debs[@]}" >"$apt/uris"
(cd "$apt/files" && apt-get -q download "${debs[@]}") >"$apt/download.log" 2>&1 || true

new=$out/debian.new
rm -rf "$new"
mkdir -p "$new/dists/$suite/main/binary-amd64"
: >"$out/MISSING.new"
sizes=$(mirror_pool "$apt/uris" "$new" "$out/MISSING.new")
n=$(grep -c . <<<"$sizes" || true)
bytes=$(awk '{ b += $1 } END { printf "%d", b }' <<<"$sizes")

d=$new/dists/$suite
mirror_release "$d"
# What apt asks for, first by hash: Packages.xz and, for its default languages,
# i18n/Translation-en.xz (Release lists both, and apt drops the whole update, Packages
# too, when a listed index is missing). The archive's own files, checked against
# Release as they are fetched; Packages also uncompressed, as di-mirror.sh serves it.
ix=$d/main/binary-amd64
mkdir -p "$d/main/i18n"
cp "$lists/${pfx}_main_binary-amd64_Packages" "$ix/Packages"
for f in main/binary-amd64/Packages.xz main/i18n/Translation-en.xz; do
	sum=$(awk -v f="$f" '/^SHA256:$/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1 }' "$d/Release")
	if [ -z "$sum" ] || ! /usr/lib/apt/apt-helper download-file "$base/dists/$suite/$f" "$d/$f" \
		"SHA256:$sum" >>"$apt/download.log" 2>&1; then
		echo "mirror: cannot fetch $f" >&2
		exit 1
	fi
done
xz -dc "$d/main/i18n/Translation-en.xz" >"$d/main/i18n/Translation-en"
for f in main/binary-amd64/Packages main/binary-amd64/Packages.xz main/i18n/Translation-en \
	main/i18n/Translation-en.xz; do
	mkdir -p "$d/${f%/*}/by-hash/SHA256"
	ln -f "$d/$f" "$d/${f%/*}/by-hash/SHA256/$(sha256sum <"$d/$f" | cut -d' ' -f1)"
done

# As apt in the target will see it: a good signature, the indexes Release's own.
mirror_verify "$d" "$keyring" ! -path '*/by-hash/*'

rm -rf "$out/debian"
mv "$new" "$out/debian"
mv "$out/MISSING.new" "$out/MISSING"
cat >"$out/SIZES" <<-EOF
	debs=$n
	deb_bytes=$bytes
	missing=$(wc -l <"$out/MISSING")
	resolved=${#debs[@]}
	release='$(sed -n 's/^Description: //p' "$out/debian/dists/$suite/Release")'
	build_s=$((SECONDS - t0))
EOF
echo "$stamp" >"$out/stamp"
echo "mirror: $out/debian: $n debs ($((bytes / 1048576)) MiB) of ${#debs[@]} resolved," \
	"$(wc -l <"$out/MISSING") missing; $((SECONDS - t0)) s" >&2
