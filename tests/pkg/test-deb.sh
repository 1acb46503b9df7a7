#!/bin/bash
# The deb tier: `make deb` builds pxebond_VERSION_ARCH.deb as a user would
# (dpkg-buildpackage -us -uc -b through the Makefile, the unit tests included), lintian
# judges it, its files are the ones the other tiers test, a second build elsewhere gives
# the same bytes, and dpkg installs it into an empty root and removes it again.
# Never installs anything on the host. Work files in build/pkg/deb-a, deb-b, root.
# Env: PXB_DEB_REPRO=0 skips the second build.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
# shellcheck source=tests/pkg/lib.sh
. tests/pkg/lib.sh
arch=$(dpkg --print-architecture)
deb=$work/deb-a/pxebond_${version}_$arch.deb
rm -rf "$work/deb-a" "$work/deb-b" "$work/root"
not_grep() { ! grep -q -- "$1" <<<"$2"; }

ok "make deb: dpkg-buildpackage -us -uc -b builds pxebond_${version}_$arch.deb" \
	make --no-print-directory deb DEBDIR="$work/deb-a"
t_build=$((SECONDS - t0))
[ -f "$deb" ] || { echo "not ok - no $deb: the rest cannot run"; tap_done; exit 1; }
log=$(cat "$work/deb-a/build.log")
ok "the package build ran the unit tests, and they passed" \
	grep -qE '^[0-9]+ passed, 0 failed$' <<<"$log"

# lintian: errors fail (warnings and the reasoned overrides in debian/ are shown).
lint=$(lintian --fail-on error --display-info "$work/deb-a/pxebond_${version}_${arch}.changes" 2>&1)
lint_rc=$?
printf '# lintian: %s\n' "${lint//$'\n'/$'\n'# lintian: }"
ok "lintian: no errors" test "$lint_rc" = 0

info=$(dpkg-deb -f "$deb")
list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
has() { grep -qxF -- "$1" <<<"$list"; }
ok "control: version $version, the changelog's" grep -qx "Version: $version" <<<"$info"
ok "control: Built-Using names libnl3 and musl (the static binary carries both)" \
	grep -qE '^Built-Using: libnl3 \(= [^)]+\), musl \(= [^)]+\)$' <<<"$info"
ok "control: no Depends beyond dpkg's own (a static binary)" \
	not_grep '^Depends: .*lib' "$info"
for f in /usr/sbin/pxebond /usr/sbin/pxebond-iso /usr/share/man/man8/pxebond.8.gz \
	/usr/share/man/man8/pxebond-iso.8.gz /usr/share/pxebond/pxebond-overlay.cpio.gz \
	/usr/share/pxebond/pxebond.ks /usr/lib/dracut/modules.d/90pxebond/module-setup.sh \
	/usr/lib/dracut/modules.d/90pxebond/dracut-hook.sh /usr/share/doc/pxebond/copyright \
	/usr/share/doc/pxebond/README.md.gz /usr/share/doc/pxebond/boot.md.gz \
	/usr/share/pxebond/fai/config/scripts/PXEBOND/10-pxebond /usr/share/pxebond/fai/config/package_config/PXEBOND \
	/usr/share/pxebond/fai/nfsroot-hooks/90-pxebond; do
	ok "installs $f" has "$f"
done

ok "every file make install installs is in the package" pkg_has_every_installed_file .deb "$work/destdir"

x=$work/deb-a/x
dpkg-deb -x "$deb" "$x"
ok "the packaged binary is build/pxebond, byte for byte (what the tests ran)" \
	cmp "$x/usr/sbin/pxebond" build/pxebond
ok "the packaged overlay is build/pxebond-overlay.cpio.gz, byte for byte" \
	cmp "$x/usr/share/pxebond/pxebond-overlay.cpio.gz" build/pxebond-overlay.cpio.gz
ok "pxebond --version prints $version" test "$("$x/usr/sbin/pxebond" --version)" = "pxebond $version"
ok "the dracut module finds the binary at /usr/sbin" \
	grep -q '"/usr/sbin/pxebond"' "$x/usr/lib/dracut/modules.d/90pxebond/module-setup.sh"
ok "pxebond-iso's default overlay is the installed one" \
	grep -qx 'overlay=/usr/share/pxebond/pxebond-overlay.cpio.gz' "$x/usr/sbin/pxebond-iso"

# Reproducible: the same source built again under another path, with the same
# SOURCE_DATE_EPOCH (dpkg takes it from debian/changelog), gives the same .deb. The
# unit tests already ran in the first build.
if [ "${PXB_DEB_REPRO:-1}" = 1 ]; then
	t1=$SECONDS
	ok "a second build, elsewhere (build/pkg/deb-b/again)" \
		env DEB_BUILD_OPTIONS=nocheck make --no-print-directory deb DEBDIR="$work/deb-b/again"
	t_repro=$((SECONDS - t1))
	ok "reproducible: the two .debs are byte-identical" \
		cmp "$deb" "$work/deb-b/again/pxebond_${version}_$arch.deb"
fi

# dpkg into an empty root (nothing on the host): install, list, verify, purge. dpkg runs
# maintainer scripts chrooted into the root (never --force-script-chrootless, which would
# run them on the host): a static busybox is its /bin/sh, should the package ever get
# any (an initramfs-tools hook brings dh_installinitramfs's trigger).
r=$work/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/bin"
: >"$r/var/lib/dpkg/status"
: >"$r/var/lib/dpkg/available"
cp /bin/busybox "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
ok "dpkg --root installs it into an empty root" \
	dpkg --root="$r" --force-depends -i "$deb"
ok "dpkg --root: status installed" test "$(dpkg-query --admindir="$r/var/lib/dpkg" -W -f='${db:Status-Abbrev}' pxebond 2>/dev/null)" = "ii "
ok "the installed binary runs from there" test "$("$r/usr/sbin/pxebond" --version)" = "pxebond $version"
ok "the installed overlay is there" test -s "$r/usr/share/pxebond/pxebond-overlay.cpio.gz"
ok "dpkg --verify: every file as packaged" dpkg --root="$r" --verify pxebond
ok "dpkg --purge removes it" dpkg --root="$r" -P pxebond
left=$(cd "$r" && find . -path ./var -prune -o -print | grep -i pxebond)
ok "nothing of pxebond is left in the root" test -z "$left"

echo "# times: first build ${t_build} s, second ${t_repro:-skipped} s, tier $((SECONDS - t0)) s;" \
	"deb $(stat -c %s "$deb") bytes"
tap_done
