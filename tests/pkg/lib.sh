# Shared by the deb and rpm tiers (sourced from the top of the tree): the TAP helpers,
# the version (debian/changelog's first line, its one home), the work directory, and
# the tree's own build, which the packages must match (make check has built it
# already). Sets root, work, version, t0.
# shellcheck shell=bash disable=SC2034 # root, work, version, t0: for the tier that sources this
# shellcheck source=tests/tap.sh
. tests/tap.sh
root=$(pwd)
work=$root/build/pkg
t0=$SECONDS
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
make --no-print-directory build/pxebond build/pxebond-overlay.cpio.gz >/dev/null ||
	{ echo "not ok - make build/pxebond build/pxebond-overlay.cpio.gz"; tap_done; exit 1; }
mkdir -p "$work"

# pkg_has_every_installed_file WHAT DIR: `make install` (what the integrations extend)
# into the scratch DESTDIR DIR; each file must be in the package, as the tier's `has`
# says (man pages compressed by the packaging).
pkg_has_every_installed_file() {
	local what=$1 d=$2 f missing=0
	rm -rf "$d"
	make --no-print-directory install DESTDIR="$d" PREFIX=/usr >/dev/null || return 1
	while IFS= read -r f; do
		case $f in /usr/share/man/*) f=$f.gz ;; esac
		has "$f" || { echo "# not in the $what: $f"; missing=1; }
	done < <(cd "$d" && find . \( -type f -o -type l \) -printf '/%P\n')
	[ "$missing" = 0 ]
}
