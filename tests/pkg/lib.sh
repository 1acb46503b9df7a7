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
not() { ! "$@"; }
