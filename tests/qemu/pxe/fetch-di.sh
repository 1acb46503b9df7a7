#!/bin/bash
# Fetch Debian's netboot installer (package debian-installer-12-netboot-amd64: the text
# frontend's kernel and initrd) for the PXE lab; a no-op when OUTDIR has this version.
#
# Usage: fetch-di.sh OUTDIR    writes OUTDIR/linux, OUTDIR/initrd.gz, OUTDIR/version
# Env: PXB_QEMU_CACHE (default build/qemu) keeps the .deb in its debs/.
set -euo pipefail

out=${1:?usage: fetch-di.sh OUTDIR}
root=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${PXB_QEMU_CACHE:-$root/build/qemu}
pkg=debian-installer-12-netboot-amd64
sub=usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64

mkdir -p "$cache/debs" "$out"
deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
if [ -z "$deb" ]; then
	# _apt cannot write to a root-owned build dir: only a warning, silenced
	(cd "$cache/debs" && apt-get -q download "$pkg") 2>&1 | { grep -v unsandboxed || true; } >&2
	deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
	[ -n "$deb" ] || { echo "fetch-di: apt-get download $pkg failed" >&2; exit 1; }
fi
version=$(basename "$deb")
if [ -f "$out/version" ] && [ "$(cat "$out/version")" = "$version" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$sub/linux" "./$sub/initrd.gz"
mv "$tmp/$sub/linux" "$tmp/$sub/initrd.gz" "$out/"
echo "$version" >"$out/version"
echo "fetch-di: $version in $out" >&2
