# shellcheck shell=bash
# Debian's kernel package, for the QEMU lab (fetch-kernel.sh) and the rescue image
# (rescue/mkrescue.sh): the package linux-image-amd64 depends on, its .deb (apt-get
# download, cached), its unpacked tree, and module closures in load order. Sourced.
#
# dk_fetch        sets DK_PKG (linux-image-KVER-amd64) and DK_DEB (the cached .deb)
# dk_unpack       after dk_fetch: sets DK_SRC (the unpacked package), DK_KVER, DK_KMOD
#                 (DK_SRC/lib/modules/DK_KVER); unpacks once per package
# dk_closure [-o] MODULE...
#                 appends each MODULE's dependencies, then MODULE, to DK_ORDER (paths
#                 relative to DK_KMOD, each once); built-in modules add nothing. A module
#                 the kernel lacks is an error, or with -o is skipped and added to
#                 DK_MISSING.
# Env: PXB_QEMU_CACHE (default build/qemu) holds debs/ and kernel-x/; PXB_QEMU_KPKG
# forces the package.

dk_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DK_CACHE=${PXB_QEMU_CACHE:-$dk_root/build/qemu}
dk_fallback_pkg=linux-image-6.1.0-56-amd64 # Debian 12, only if apt-cache knows nothing
DK_PKG='' DK_DEB='' DK_SRC='' DK_KVER='' DK_KMOD=''
DK_ORDER=() DK_MISSING=()
declare -gA dk_path=() dk_seen=()

dk_fetch() {
	local debs=$DK_CACHE/debs
	DK_PKG=${PXB_QEMU_KPKG:-$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | sed -n 1p)}
	if [ -z "$DK_PKG" ]; then
		echo "debian-kernel: apt-cache cannot resolve linux-image-amd64 (apt-get update?)," \
			"using $dk_fallback_pkg" >&2
		DK_PKG=$dk_fallback_pkg
	fi
	# apt-get download writes into the current directory; _apt cannot write to a
	# root-owned build dir, which only costs a warning ("unsandboxed"): silence that one.
	mkdir -p "$debs"
	DK_DEB=$(find "$debs" -maxdepth 1 -name "${DK_PKG}_*.deb" | sort | tail -n1)
	if [ -z "$DK_DEB" ]; then
		(cd "$debs" && apt-get -q download "$DK_PKG") 2>&1 | { grep -v unsandboxed || true; } >&2
		DK_DEB=$(find "$debs" -maxdepth 1 -name "${DK_PKG}_*.deb" | sort | tail -n1)
		if [ -z "$DK_DEB" ]; then
			echo "debian-kernel: apt-get download $DK_PKG failed" >&2
			return 1
		fi
	fi
}

dk_unpack() {
	DK_SRC=$DK_CACHE/kernel-x/$DK_PKG
	if [ ! -d "$DK_SRC/lib/modules" ]; then
		rm -rf "$DK_SRC"
		mkdir -p "$DK_SRC"
		dpkg-deb -x "$DK_DEB" "$DK_SRC" || return 1
	fi
	DK_KVER=$(basename "$(find "$DK_SRC/lib/modules" -mindepth 1 -maxdepth 1 -type d | sed -n 1p)")
	DK_KMOD=$DK_SRC/lib/modules/$DK_KVER
	# name -> path relative to DK_KMOD; module names use '_' where files may use '-'.
	local rel name
	dk_path=()
	while read -r rel; do
		name=${rel##*/}
		name=${name%.ko}
		dk_path[${name//-/_}]=$rel
	done <"$DK_KMOD/modules.order"
}

dk_closure() {
	local optional=0 m
	if [ "${1:-}" = -o ]; then
		optional=1
		shift
	fi
	for m in "$@"; do
		dk_visit "$m" "$optional" || return 1
	done
}

dk_visit() { # depth-first, dependencies before the module itself
	local m=${1//-/_} d deps
	[ -n "${dk_seen[$m]:-}" ] && return 0
	dk_seen[$m]=1
	if [ -z "${dk_path[$m]:-}" ]; then
		if grep -q "/$m.ko\$\|/${m//_/-}.ko\$" "$DK_KMOD/modules.builtin"; then
			return 0 # built in (e.g. af_packet: CONFIG_PACKET=y), nothing to load
		fi
		if [ "$2" = 1 ]; then
			DK_MISSING+=("$m")
			return 0
		fi
		echo "debian-kernel: module $m not found in $DK_KVER" >&2
		return 1
	fi
	deps=$(modinfo -F depends "$DK_KMOD/${dk_path[$m]}")
	for d in ${deps//,/ }; do
		dk_visit "$d" 0 || return 1 # a dependency must exist, even of an optional module
	done
	DK_ORDER+=("${dk_path[$m]}")
}
