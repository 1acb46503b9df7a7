# shellcheck shell=bash
# What the lab's local Debian mirrors share (pxe/di-mirror.sh for the Debian installer,
# fai/mirror.sh for FAI): apt with a private state that resolves against an empty
# system, the pool made of hard links to apt's downloads, and dists/SUITE as Debian
# signed it. Sourced; every function exits the script with one line on stderr
# ("$mirror_name: ...") when it cannot go on.
#
# mirror_apt OUTDIR SUITE 'SOURCES OPTIONS' COMPONENTS [EXTRA_APT_CONF]: sets out (OUTDIR,
#   absolute), apt ($out/apt), base (where this machine's own sources get SUITE's main;
#   deb.debian.org if they say nothing), lists, pfx (apt's list-file prefix for SUITE),
#   writes apt's configuration and sources.list there and exports APT_CONFIG.
# mirror_update STAMP_FILE: apt-get update; on failure a mirror built before is kept
#   (exit 0) or the script fails; sets inrel (the archive's InRelease as fetched).
# mirror_pool URIS NEWDIR MISSING [KIND]: for each "'URI' FILE SIZE SHA256:HASH" line
#   (apt-get --print-uris download), a hard link NEWDIR/POOLPATH to the downloaded file
#   when its size and hash match, else "[KIND ]NAME VERSION POOLPATH" appended to
#   MISSING; prints "[KIND ]SIZE" for each file linked.
# mirror_release DISTDIR: InRelease as fetched, and Release + Release.gpg split from it
#   (its clear text, less the final newline, is what the text-mode signature signs).
# mirror_verify DISTDIR KEYRING [FIND_ARGS...]: a good signature on Release and on
#   InRelease, and every file under DISTDIR/main (find's FIND_ARGS) matching Release's
#   SHA256 list, as apt, debootstrap and the installer check them.

mirror_name=${mirror_name:-mirror}
mirror_die() {
	echo "$mirror_name: $*" >&2
	exit 1
}

mirror_apt() {
	local suite=$2 sources=$3 components=$4 extra=${5:-}
	mkdir -p "$1"
	out=$(cd "$1" && pwd)
	apt=$out/apt
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
		// The indexes as the archive's Release lists them: uncompressed, not kept
		// gzip'd (a docker-gzip-indexes setting) or recompressed.
		Acquire::GzipIndexes "false";
		Acquire::IndexTargets::deb::Packages::KeepCompressed "false";
		Acquire::Languages "none";
		$extra
	EOF
	echo "deb [$sources] $base $suite $components" >"$apt/etc/sources.list"
	export APT_CONFIG=$apt/apt.conf
	lists=$apt/state/lists
	pfx=$(sed 's|^[a-z]*://||; s|/|_|g' <<<"$base")_dists_${suite}
}

mirror_update() {
	if ! apt-get -qq update 2>"$apt/update.err"; then
		cat "$apt/update.err" >&2
		if [ -f "$1" ]; then
			echo "$mirror_name: apt-get update failed; keeping the mirror built before" >&2
			exit 0
		fi
		mirror_die "apt-get update failed"
	fi
	inrel=$lists/${pfx}_InRelease
	[ -f "$inrel" ] || mirror_die "no InRelease from $base"
}

mirror_pool() {
	local uri file size sum path f name ver kind=${4:+$4 }
	while read -r uri file size sum; do
		uri=${uri//\'/}
		path=${uri#"$base"/}
		path=$(printf '%b' "${path//%/\\x}") # URL-decoded: the Filename field
		f=$apt/files/$file
		if [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] &&
			[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "${sum#SHA256:}" ]; then
			mkdir -p "$2/${path%/*}"
			ln "$f" "$2/$path"
			echo "$kind$size"
		else
			name=${file%%_*}
			ver=${file#*_}
			ver=${ver%_*}
			echo "$kind$name ${ver//%3a/:} $path" >>"$3"
		fi
	done <"$1"
}

mirror_release() {
	mkdir -p "$1"
	cp "$inrel" "$1/InRelease"
	awk '
		/^-----BEGIN PGP SIGNED MESSAGE-----$/ { hdr = 1; next }
		hdr && /^$/ { hdr = 0; body = 1; next }
		hdr { next }
		body && /^-----BEGIN PGP SIGNATURE-----$/ { exit }
		body { sub(/^- /, ""); printf "%s%s", (n++ ? "\n" : ""), $0 }
	' "$inrel" >"$1/Release"
	sed -n '/^-----BEGIN PGP SIGNATURE-----$/,/^-----END PGP SIGNATURE-----$/p' "$inrel" >"$1/Release.gpg"
}

mirror_verify() {
	local d=$1 keyring=$2 sig st f want have
	shift 2
	for sig in "$d/Release.gpg $d/Release" "$d/InRelease"; do
		# shellcheck disable=SC2086 # two words, or one
		st=$(gpgv --status-fd 1 --keyring "$keyring" $sig 2>/dev/null || true)
		[[ $st == *'[GNUPG:] VALIDSIG '* ]] || mirror_die "no valid signature on ${sig##* } with $keyring"
	done
	while read -r f; do
		want=$(awk -v f="$f" '/^SHA256:$/ { s = 1; next } /^[^ ]/ { s = 0 }
			s && $3 == f { print $1 " " $2 }' "$d/Release")
		have="$(sha256sum <"$d/$f" | cut -d' ' -f1) $(stat -c %s "$d/$f")"
		[ "$want" = "$have" ] || mirror_die "$f does not match Release"
	done < <(cd "$d" && find main -type f "$@" | sort)
}
