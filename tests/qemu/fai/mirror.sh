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

mkdir -p "$out"
out=$(cd "$out" && pwd)
apt=$out/apt
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
mapfile -t pkgs < <(sed 's/#.*//' "$list" | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
[ "${#pkgs[@]}" -gt 0 ] || { echo "mirror: $list names no package" >&2; exit 1; }

# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
base=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' 2>/dev/null |
	awk -v s="$suite" '$2 == s && $3 == "main" && $4 == "Packages" { print $1; exit }')
base=${base:-http://deb.debian.org/debian/}
base=${base%/}

mkdir -p "$apt"/etc/{apt.conf.d,preferences.d,sources.list.d} "$apt"/state/lists/partial \
	"$apt"/cache/archives/partial "$apt"/files
: >"$apt/state/status"
cat >"$apt/apt.conf" <<-EOF
	Dir::Etc "$apt/etc";
	Dir::Etc::sourcelist "$apt/etc/sources.list";
	Dir::Etc::sourceparts "$apt/etc/sources.list.d";
	Dir::Etc::parts "$apt/etc/apt.conf.d";
	Dir::Etc::preferencesparts "$apt/etc/preferences.d";
	Dir::State "$apt/state";
	Dir::State::status "$apt/state/status";
	Dir::Cache "$apt/cache";
	APT::Architecture "amd64";
	APT::Architectures { "amd64"; };
	APT::Install-Recommends "true";
	APT::Sandbox::User "root";
	// The index uncompressed, as Release lists it: not kept gzip'd (a
	// docker-gzip-indexes setting) or recompressed.
	Acquire::GzipIndexes "false";
	Acquire::IndexTargets::deb::Packages::KeepCompressed "false";
	Acquire::Languages "none";
EOF
echo "deb [arch=amd64 signed-by=$keyring] $base $suite main" >"$apt/etc/sources.list"
export APT_CONFIG=$apt/apt.conf

lists=$apt/state/lists
pfx=$(sed 's|^[a-z]*://||; s|/|_|g' <<<"$base")_dists_${suite}
if ! apt-get -qq update 2>"$apt/update.err"; then
	cat "$apt/update.err" >&2
	if [ -f "$out/stamp" ]; then
		echo "mirror: apt-get update failed; keeping the mirror built before" >&2
		exit 0
	fi
	echo "mirror: apt-get update failed" >&2
	exit 1
fi
inrel=$lists/${pfx}_InRelease
[ -f "$inrel" ] || { echo "mirror: no InRelease for $suite from $base" >&2; exit 1; }

stamp="$(cat "$inrel" "$self" | sha256sum | cut -d' ' -f1) $(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -d' ' -f1)"
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
n=0 bytes=0
while read -r uri file size sum; do
	uri=${uri//\'/}
	path=${uri#"$base"/}
	path=$(printf '%b' "${path//%/\\x}") # URL-decoded: the Filename field
	f=$apt/files/$file
	if [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] &&
		[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "${sum#SHA256:}" ]; then
		mkdir -p "$new/${path%/*}"
		ln "$f" "$new/$path"
		n=$((n + 1)) bytes=$((bytes + size))
	else
		name=${file%%_*}
		ver=${file#*_}
		ver=${ver%_*}
		echo "$name ${ver//%3a/:} $path" >>"$out/MISSING.new"
	fi
done <"$apt/uris"

d=$new/dists/$suite
cp "$inrel" "$d/InRelease"
awk '
	/^-----BEGIN PGP SIGNED MESSAGE-----$/ { hdr = 1; next }
	hdr && /^$/ { hdr = 0; body = 1; next }
	hdr { next }
	body && /^-----BEGIN PGP SIGNATURE-----$/ { exit }
	body { sub(/^- /, ""); printf "%s%s", (n++ ? "\n" : ""), $0 }
' "$inrel" >"$d/Release"
sed -n '/^-----BEGIN PGP SIGNATURE-----$/,/^-----END PGP SIGNATURE-----$/p' "$inrel" >"$d/Release.gpg"
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
for sig in "$d/Release.gpg $d/Release" "$d/InRelease"; do
	# shellcheck disable=SC2086 # two words, or one
	st=$(gpgv --status-fd 1 --keyring "$keyring" $sig 2>/dev/null || true)
	[[ $st == *'[GNUPG:] VALIDSIG '* ]] || { echo "mirror: no valid signature on ${sig##* }" >&2; exit 1; }
done
while read -r f; do
	want=$(awk -v f="$f" '/^SHA256:$/ { s = 1; next } /^[^ ]/ { s = 0 }
		s && $3 == f { print $1 " " $2 }' "$d/Release")
	have="$(sha256sum <"$d/$f" | cut -d' ' -f1) $(stat -c %s "$d/$f")"
	[ "$want" = "$have" ] || { echo "mirror: $f does not match Release" >&2; exit 1; }
done < <(cd "$d" && find main -type f ! -path '*/by-hash/*' | sort)

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
