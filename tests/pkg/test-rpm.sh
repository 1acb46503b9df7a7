#!/bin/bash
# The rpm tier: `make rpm` builds the binary RPM of this tree's static build with
# Debian's rpmbuild; rpmlint judges it and the spec; rpm -qlp lists what it should; rpm
# installs it into an empty root (--nodeps: Debian has no RPM database of its own) and
# removes it again. Then the Fedora builder's way, as far as Debian allows: `make dist`,
# and rpmbuild -tb --nodeps from that tarball and libnl's upstream release, which must
# give the same binary. Never touches the host's files. Work files in build/pkg/rpm*.
# Env: PXB_RPM_SOURCE=0 skips the build from the tarball.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
# shellcheck source=tests/pkg/lib.sh
. tests/pkg/lib.sh
arch=$(uname -m)
rpmf=$root/build/rpm/RPMS/$arch/pxebond-$version-1.$arch.rpm
rm -rf "$work/rpm-root" "$work/rpm-src"

ok "make rpm builds pxebond-$version-1.$arch.rpm" make --no-print-directory rpm
[ -f "$rpmf" ] || { echo "not ok - no $rpmf: the rest cannot run"; tap_done; exit 1; }
q() { rpm -qp "$@" "$rpmf" 2>/dev/null; }
ok "its version is the changelog's ($version)" test "$(q --qf '%{VERSION}')" = "$version"

lint=$(rpmlint -r rpm/pxebond.rpmlintrc "$rpmf" build/rpm/SPECS/pxebond.spec 2>&1)
printf '# rpmlint: %s\n' "${lint//$'\n'/$'\n'# rpmlint: }"
ok "rpmlint (the package and its spec): 0 errors" grep -qE ' 0 errors, [0-9]+ warnings' <<<"$lint"

list=$(q -l)
has() { grep -qxF -- "$1" <<<"$list"; }
for f in /usr/sbin/pxebond /usr/sbin/pxebond-iso /usr/share/man/man8/pxebond.8.gz \
	/usr/share/man/man8/pxebond-iso.8.gz /usr/share/pxebond/pxebond-overlay.cpio.gz \
	/usr/share/pxebond/pxebond.ks /usr/lib/dracut/modules.d/90pxebond/module-setup.sh \
	/usr/lib/dracut/modules.d/90pxebond/dracut-hook.sh "/usr/share/doc/pxebond-$version/README.md" \
	"/usr/share/doc/pxebond-$version/boot.md" \
	/usr/share/pxebond/fai/config/scripts/PXEBOND/10-pxebond /usr/share/pxebond/fai/config/package_config/PXEBOND \
	/usr/share/pxebond/fai/nfsroot-hooks/90-pxebond; do
	ok "rpm -qlp lists $f" has "$f"
done
dirs=$(q --qf '[%{FILENAMES} %{FILEMODES:perms}\n]' | awk '$2 ~ /^d/ { print $1 }' | LC_ALL=C sort | tr '\n' ' ')
own_dirs_only() { # every directory it owns is pxebond's: named for it, or below one that is
	local d
	for d in $dirs; do [[ $d == *pxebond* ]] || return 1; done
	[[ " $dirs " == *" /usr/share/pxebond "* ]] && [[ " $dirs " == *" /usr/lib/dracut/modules.d/90pxebond "* ]]
}
ok "it owns its own directories and no one else's ($dirs)" own_dirs_only
ok "every file make install installs is in the RPM" pkg_has_every_installed_file RPM "$work/rpm-destdir"

# rpm into an empty root: install, verify, remove. Debian's rpm keeps its database in
# ~/.rpmdb (under the root).
r=$work/rpm-root
mkdir -p "$r"
rq() { rpm --root "$r" "$@" 2>/dev/null; }
ok "rpm --initdb in an empty root" rq --initdb
ok "rpm -i --root DIR --nodeps installs it" rq -i --nodeps "$rpmf"
ok "rpm -q sees pxebond-$version-1" test "$(rq -q pxebond)" = "pxebond-$version-1.$arch"
ok "the installed binary is build/pxebond, byte for byte" cmp "$r/usr/sbin/pxebond" build/pxebond
ok "... and prints $version" test "$("$r/usr/sbin/pxebond" --version)" = "pxebond $version"
ok "the installed overlay is build/pxebond-overlay.cpio.gz" \
	cmp "$r/usr/share/pxebond/pxebond-overlay.cpio.gz" build/pxebond-overlay.cpio.gz
ok "the dracut module finds the binary at /usr/sbin" \
	grep -q '"/usr/sbin/pxebond"' "$r/usr/lib/dracut/modules.d/90pxebond/module-setup.sh"
ok "rpm -V: every file as packaged" rq -V --nodeps pxebond
ok "rpm -e removes it" rq -e --nodeps pxebond
left=$(cd "$r" && find . -path ./root -prune -o -print | grep -i pxebond)
ok "nothing of pxebond is left in the root" test -z "$left"

# The Fedora builder's way: the dist tarball (its spec at the top) and libnl's upstream
# release (Debian's libnl3 orig tarball is that file) side by side, as rpmbuild -t wants
# its sources; rpmbuild -tb from the tarball.
if [ "${PXB_RPM_SOURCE:-1}" = 1 ]; then
	t1=$SECONDS
	s=$work/rpm-src
	mkdir -p "$s/SOURCES"
	ok "make dist: build/pxebond-$version.tar.gz" make --no-print-directory dist
	tarball=$root/build/pxebond-$version.tar.gz
	spec=$(tar -xzOf "$tarball" "pxebond-$version/pxebond.spec" 2>/dev/null)
	ok "the tarball carries pxebond.spec, Version $version" \
		grep -qE "^Version: +$version\$" <<<"$spec"
	orig=$(find build/src -name 'libnl3_*.orig.tar.gz' | LC_ALL=C sort | tail -n 1)
	if [ -n "$orig" ]; then
		cp "$orig" "$s/SOURCES/libnl-3.7.0.tar.gz"
		cp "$tarball" "$s/SOURCES/"
		ok "rpmbuild -tb --nodeps from the tarball (the spec's source build)" \
			rpmbuild -tb --nodeps --quiet --define "_topdir $s" \
			--define "_binary_payload w9.gzdio" "$s/SOURCES/pxebond-$version.tar.gz"
		srpm=$s/RPMS/$arch/pxebond-$version-1.$arch.rpm
		mkdir -p "$s/x"
		(cd "$s/x" && rpm2cpio "$srpm" | cpio -idm --quiet) 2>/dev/null
		ok "its binary, built from source in another place, is build/pxebond byte for byte" \
			cmp "$s/x/usr/sbin/pxebond" build/pxebond
		ok "its overlay too" \
			cmp "$s/x/usr/share/pxebond/pxebond-overlay.cpio.gz" build/pxebond-overlay.cpio.gz
	else
		ok "libnl3's source in build/src (make builds it)" false
	fi
	t_src=$((SECONDS - t1))
fi

echo "# times: source build ${t_src:-skipped} s, tier $((SECONDS - t0)) s; rpm $(stat -c %s "$rpmf") bytes"
tap_done
