#!/bin/bash
# Builds pxebond's packages (docs/packages.md); run by `make deb`, `make rpm`, `make dist`.
#
#   scripts/package.sh deb OUTDIR    dpkg-buildpackage -us -uc -b in a copy of the source
#                                    tree under OUTDIR (the package's own `make clean` must
#                                    not touch this tree's build/), libnl's Debian source
#                                    from this tree's build/src; OUTDIR gets the .deb,
#                                    .buildinfo, .changes and build.log
#   scripts/package.sh rpm OUTDIR    rpmbuild -bb of rpm/pxebond.spec.in over what
#                                    `make install` puts down from this tree's build/ (the
#                                    same static binary and overlay): OUTDIR/RPMS/ARCH/*.rpm
#   scripts/package.sh dist OUTDIR   OUTDIR/pxebond-VERSION.tar.gz, reproducible, with the
#                                    generated pxebond.spec at its top (rpmbuild -ta)
#
# The version and date are debian/changelog's; SOURCE_DATE_EPOCH defaults to that date.
set -euo pipefail

what=${1:?usage: package.sh deb|rpm|dist OUTDIR}
outdir=${2:?usage: package.sh deb|rpm|dist OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
date=$(sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)
if [ -z "$version" ] || [ -z "$date" ]; then
	echo "package: no version or date in debian/changelog" >&2
	exit 1
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date -d "$date" +%s)}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# The source files: git's tracked and untracked-but-not-ignored files as they are in the
# working tree (a change not yet committed is built too), else everything but build/.
sources() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -co --exclude-standard | while IFS= read -r f; do
			if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
		done
	else
		find . -path ./build -prune -o \( -type f -o -type l \) -printf '%P\n'
	fi | LC_ALL=C sort
}

# spec FILE: rpm/pxebond.spec.in with the version and the changelog's date.
spec() {
	sed -e "s|@VERSION@|$version|g" -e "s|@DATE@|$(date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')|g" \
		rpm/pxebond.spec.in >"$1"
}

case $what in
deb)
	# A path of its own per OUTDIR: two builds in two places must give the same bytes.
	src=$outdir/src/pxebond-$version
	rm -rf "$outdir/src"
	mkdir -p "$src"
	sources | tar -cf - -T - | tar -xf - -C "$src"
	rm -f "$outdir"/pxebond_*
	echo "package: dpkg-buildpackage in $src (log: $outdir/build.log)"
	if ! (cd "$src" && LIBNL_SRC_CACHE=${LIBNL_SRC_CACHE:-$root/build/src} \
		dpkg-buildpackage -us -uc -b -Jauto) >"$outdir/build.log" 2>&1; then
		tail -n 30 "$outdir/build.log" >&2
		echo "package: dpkg-buildpackage failed, see $outdir/build.log" >&2
		exit 1
	fi
	mv "$outdir/src"/pxebond_* "$outdir/"
	ls "$outdir"/pxebond_*.deb
	;;
rpm)
	command -v rpmbuild >/dev/null || { echo "package: rpmbuild missing (apt-get install rpm)" >&2; exit 1; }
	rm -rf "$outdir/root" "$outdir/BUILD" "$outdir/BUILDROOT" "$outdir/RPMS"
	mkdir -p "$outdir/SPECS"
	make --no-print-directory install DESTDIR="$outdir/root" PREFIX=/usr >/dev/null
	spec "$outdir/SPECS/pxebond.spec"
	# Debian's rpm has no dist tag, and an empty rpm database: --nodeps.
	if ! rpmbuild -bb --nodeps --quiet \
		--define "_topdir $outdir" --define "pxebond_prebuilt $outdir/root" \
		--define "pxebond_src $root" --define "_binary_payload w9.gzdio" \
		--define "packager pxebond maintainers <pxebond@example.org>" \
		"$outdir/SPECS/pxebond.spec" >"$outdir/build.log" 2>&1; then
		cat "$outdir/build.log" >&2
		exit 1
	fi
	find "$outdir/RPMS" -name '*.rpm'
	;;
dist)
	name=pxebond-$version
	stage=$(mktemp -d)
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage/$name"
	sources | tar -cf - -T - | tar -xf - -C "$stage/$name"
	spec "$stage/$name/pxebond.spec"
	tar -C "$stage" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 \
		--numeric-owner --format=gnu -cf - "$name" | gzip -n -9 >"$outdir/$name.tar.gz"
	echo "$outdir/$name.tar.gz"
	;;
*)
	echo "usage: package.sh deb|rpm|dist OUTDIR" >&2
	exit 2
	;;
esac
