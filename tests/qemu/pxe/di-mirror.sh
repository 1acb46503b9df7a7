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

mkdir -p "$out"
out=$(cd "$out" && pwd)
apt=$out/apt
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# The mirror host: where this machine's own sources get bookworm main (deb.debian.org
# if they say nothing).
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
base=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' 2>/dev/null |
	awk -v s="$suite" '$2 == s && $3 == "main" && $4 == "Packages" { print $1; exit }')
base=${base:-http://deb.debian.org/debian/}
base=${base%/}

mkdir -p "$apt"/etc/{apt.conf.d,preferences.d,sources.list.d} "$apt"/state/lists/partial \
	"$apt"/cache/archives/partial "$apt"/files
: >"$apt/state/status" # an empty system: apt resolves the whole install
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
	// The indexes as the archive's Release lists them: uncompressed, not kept gzip'd
	// (this machine's docker-gzip-indexes) or recompressed.
	Acquire::GzipIndexes "false";
	Acquire::IndexTargets::deb::Packages::KeepCompressed "false";
	Acquire::Languages "none";
	// choose-mirror reads dists/SUITE/main/binary-ARCH/Release (its Architecture line).
	Acquire::IndexTargets::deb::PxbComponentRelease {
		MetaKey "\$(COMPONENT)/binary-\$(ARCHITECTURE)/Release";
		ShortDescription "Release";
		Description "\$(RELEASE)/\$(COMPONENT) \$(ARCHITECTURE) Release";
	};
EOF
echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $base $suite main main/debian-installer" \
	>"$apt/etc/sources.list"
export APT_CONFIG=$apt/apt.conf

lists=$apt/state/lists
pfx=$(sed 's|^[a-z]*://||; s|/|_|g' <<<"$base")_dists_${suite}
if ! apt-get -qq update 2>"$apt/update.err"; then
	cat "$apt/update.err" >&2
	if [ -f "$out/stamp" ]; then
		echo "di-mirror: apt-get update failed; keeping the mirror built before" >&2
		exit 0
	fi
	echo "di-mirror: apt-get update failed" >&2
	exit 1
fi
inrel=$lists/${pfx}_InRelease
[ -f "$inrel" ] || { echo "di-mirror: no InRelease for $suite from $base" >&2; exit 1; }

stamp="$(sha256sum "$inrel" "$self" "$keyring" | cut -d' ' -f1 | tr '\n' ' ')$kabi"
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
	while read -r uri file size sum; do
		uri=${uri//\'/}
		path=${uri#"$base"/}
		path=$(printf '%b' "${path//%/\\x}") # URL-decoded: the Filename field
		f=$apt/files/$file
		if [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] &&
			[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "${sum#SHA256:}" ]; then
			mkdir -p "$new/${path%/*}"
			ln "$f" "$new/$path"
			echo "$kind $size" >>"$out/sizes.tmp"
		else
			name=${file%%_*}
			ver=${file#*_}
			ver=${ver%_*}
			echo "$kind $name ${ver//%3a/:} $path" >>"$out/MISSING.new"
		fi
	done <"$apt/uris.$kind"
done

# dists/: InRelease as served, Release and Release.gpg from it, the indexes.
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
for c in main main/debian-installer; do
	mkdir -p "$d/$c/binary-amd64"
	cp "$lists/${pfx}_${c//\//_}_binary-amd64_Packages" "$d/$c/binary-amd64/Packages"
	cp "$lists/${pfx}_${c//\//_}_binary-amd64_Release" "$d/$c/binary-amd64/Release"
done

# As d-i will see it: a good signature on Release (net-retriever: gpgv, VALIDSIG), on
# InRelease (debootstrap, apt), and every index served matching Release's SHA256 list.
for sig in "$d/Release.gpg $d/Release" "$d/InRelease"; do
	# shellcheck disable=SC2086 # two words, or one
	st=$(gpgv --status-fd 1 --keyring "$keyring" $sig 2>/dev/null || true)
	if [[ $st != *'[GNUPG:] VALIDSIG '* ]]; then
		echo "di-mirror: no valid signature on ${sig##* } with $keyring" >&2
		exit 1
	fi
done
while read -r f; do
	want=$(awk -v f="$f" '/^SHA256:$/ { s = 1; next } /^[^ ]/ { s = 0 }
		s && $3 == f { print $1 " " $2 }' "$d/Release")
	have="$(sha256sum <"$d/$f" | cut -d' ' -f1) $(stat -c %s "$d/$f")"
	[ "$want" = "$have" ] || { echo "di-mirror: $f does not match Release" >&2; exit 1; }
done < <(cd "$d" && find main -type f | sort)

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
