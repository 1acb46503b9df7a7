#!/bin/bash
# Builds static libnl-3 + libnl-route-3 for musl from Debian's libnl3 source package.
# Usage: scripts/build-libnl.sh OUTDIR   -> OUTDIR/{include/libnl3,lib,kinclude}
# OUTDIR/kinclude holds the kernel uapi headers musl-gcc lacks (symlinks into
# /usr/include); the project's musl build passes it with -I as well.
# Env: LIBNL_SRC_CACHE (default build/src) keeps the downloaded source; V=1 is verbose;
# LIBNL_TREE=DIR builds an unpacked upstream release instead (rpm/pxebond.spec.in, where
# there is no Debian source package).
set -eu
# A parent make's command-line variables (say CFLAGS=-O0) would reach libnl's make.
unset MAKEFLAGS MFLAGS MAKELEVEL

[ $# = 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${LIBNL_SRC_CACHE:-$repo/build/src}
lib=$out/lib/libnl-route-3.a
work=$out/.build
log=$work/build.log

# The newest downloaded .dsc, if any (globs sort by version well enough here).
find_dsc() {
	dsc=
	for f in "$cache"/libnl3_*.dsc; do
		if [ -e "$f" ]; then dsc=$f; fi
	done
}
find_dsc
tree=${LIBNL_TREE:-}
if [ -n "$tree" ]; then dsc=$tree/configure; fi

# Up to date: newer than both the source package and this script.
if [ -e "$lib" ] && [ "$lib" -nt "$0" ] && { [ -z "$dsc" ] || [ "$lib" -nt "$dsc" ]; }; then
	echo "libnl: $lib is up to date"
	exit 0
fi

run() {
	if [ "${V:-0}" = 1 ]; then
		"$@"
	elif ! "$@" >>"$log" 2>&1; then
		echo "libnl: failed: $*; last lines of $log:" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

# musl-gcc searches only musl's headers; libnl and pxebond need linux/*.h too.
# Debian keeps asm/ under the multiarch directory; Fedora has /usr/include/asm.
asm=/usr/include/asm
if command -v dpkg-architecture >/dev/null; then
	asm=/usr/include/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/asm
fi
mkdir -p "$out/kinclude"
for d in /usr/include/linux /usr/include/asm-generic "$asm"; do
	[ -d "$d" ] || { echo "libnl: $d missing (linux-libc-dev)" >&2; exit 1; }
	ln -sfn "$d" "$out/kinclude/"
done

start=$SECONDS
rm -rf "$work"
mkdir -p "$work"
if [ -n "$tree" ]; then
	echo "libnl: building $tree with musl-gcc (log: $log)"
	run cp -a "$tree" "$work/src"
elif [ -z "$dsc" ]; then
	echo "libnl: downloading Debian source libnl3 into $cache"
	mkdir -p "$cache"
	# Sandbox::User=root: the cache is root's, so skip apt's _apt download user.
	(cd "$cache" && run apt-get -q -o APT::Sandbox::User=root source --download-only libnl3)
	find_dsc
fi
if [ -z "$tree" ]; then
	echo "libnl: building $(basename "$dsc" .dsc) with musl-gcc (log: $log)"
	# Debian's patches only touch shared-library exports and install paths, and one
	# patches Makefile.am, which would make `make` want automake: build upstream as is.
	run dpkg-source --skip-patches -x "$dsc" "$work/src"
fi
cd "$work/src"
run env CC=musl-gcc CPPFLAGS="-I$out/kinclude" \
	LDFLAGS=-no-pie CFLAGS="-Os -fno-pie -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables" \
	./configure --prefix="$out" --sysconfdir=/etc --disable-shared --enable-static \
	--disable-cli --disable-debug --disable-dependency-tracking
run make -j2 lib/libnl-3.la lib/libnl-route-3.la
# Header install targets copy files only; `make install` would build every library.
mapfile -t hdr_targets < <(sed -n 's/^\(install-libnlinclude_[a-z_]*HEADERS\):.*/\1/p' Makefile)
run make "${hdr_targets[@]}"
install -d "$out/lib"
install -m 0644 lib/.libs/libnl-3.a lib/.libs/libnl-route-3.a "$out/lib/"
cd "$out"
rm -rf "$work"
echo "libnl: installed into $out in $((SECONDS - start)) s"
