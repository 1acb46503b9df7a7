#!/bin/bash
# Fetch Debian's kernel for the QEMU lab: vmlinuz plus the few modules the guests
# need (bonding, virtio NICs, bridge, 8021q), with their dependencies, in load order.
#
# Usage: fetch-kernel.sh OUTDIR
# Writes into OUTDIR: vmlinuz; vmlinux (its ELF payload, boots faster); kver; kpkg
# (package and version); lib/modules/KVER/{kernel/...,modules.order,modules.builtin*}
# (enough for `depmod -b`); modules.load (paths relative to OUTDIR, dependencies first,
# one per line: what the guest's init insmods).
# Env: PXB_QEMU_CACHE (default build/qemu) holds the .deb and its extraction;
#      PXB_QEMU_KPKG forces the kernel package (default: what linux-image-amd64 depends on);
#      PXB_QEMU_MODULES overrides the module list.
set -euo pipefail

out=${1:?usage: fetch-kernel.sh OUTDIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PXB_QEMU_CACHE:-$root/build/qemu}
modules=${PXB_QEMU_MODULES:-bonding virtio_net virtio_pci bridge 8021q}
fallback_pkg=linux-image-6.1.0-56-amd64   # Debian 12, only if apt-cache knows nothing

pkg=${PXB_QEMU_KPKG:-$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | sed -n 1p)}
if [ -z "$pkg" ]; then
	echo "fetch-kernel: apt-cache cannot resolve linux-image-amd64 (apt-get update?)," \
		"using $fallback_pkg" >&2
	pkg=$fallback_pkg
fi

# apt-get download writes into the current directory; _apt cannot write to a root-owned
# build dir, which only costs a warning ("unsandboxed"), so silence that one.
debs=$cache/debs
mkdir -p "$debs"
deb=$(find "$debs" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
if [ -z "$deb" ]; then
	(cd "$debs" && apt-get -q download "$pkg") 2>&1 | { grep -v unsandboxed || true; } >&2
	deb=$(find "$debs" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
	[ -n "$deb" ] || { echo "fetch-kernel: apt-get download $pkg failed" >&2; exit 1; }
fi

# make-style: nothing to do when OUTDIR was built from this .deb with this module list.
stamp="$(basename "$deb") $modules"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
	exit 0
fi

src=$cache/kernel-x/$pkg
if [ ! -d "$src/lib/modules" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	dpkg-deb -x "$deb" "$src"
fi
kver=$(basename "$(find "$src/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n1)")
kmod=$src/lib/modules/$kver

# name -> path relative to the modules dir; module names use '_' where files may use '-'.
declare -A path
while read -r rel; do
	name=$(basename "$rel" .ko)
	path[${name//-/_}]=$rel
done <"$kmod/modules.order"

declare -A done_
order=()
visit() { # depth-first, dependencies before the module itself
	local m=${1//-/_} d deps
	[ -n "${done_[$m]:-}" ] && return
	done_[$m]=1
	if [ -z "${path[$m]:-}" ]; then
		if grep -q "/$m.ko\$\|/${m//_/-}.ko\$" "$kmod/modules.builtin"; then
			return # built in (e.g. af_packet: CONFIG_PACKET=y), nothing to load
		fi
		echo "fetch-kernel: module $m not found in $kver" >&2
		exit 1
	fi
	deps=$(modinfo -F depends "$kmod/${path[$m]}")
	for d in ${deps//,/ }; do visit "$d"; done
	order+=("${path[$m]}")
}
for m in $modules af_packet; do visit "$m"; done

rm -rf "$out"
mkdir -p "$out/lib/modules/$kver"
cp "$src/boot/vmlinuz-$kver" "$out/vmlinuz"
# The bzImage's xz payload is an ELF with a PVH entry note: QEMU boots that directly,
# skipping SeaBIOS's real-mode loader and the xz decompression that TCG makes slow
# (measured: /init after 2.2 s instead of 4.8 s). Same trick as scripts/extract-vmlinux.
off=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$out/vmlinuz" | awk -F: 'NR == 1 { print $1 }')
if [ -n "$off" ]; then
	# xz stops at the end of its stream, so tail may die of SIGPIPE: judge xz alone.
	(set +o pipefail; tail -c +$((off + 1)) "$out/vmlinuz" | xz -dc --single-stream >"$out/vmlinux")
fi
cp "$kmod"/modules.{order,builtin,builtin.modinfo} "$out/lib/modules/$kver/"
: >"$out/modules.load"
for rel in "${order[@]}"; do
	mkdir -p "$out/lib/modules/$kver/$(dirname "$rel")"
	cp "$kmod/$rel" "$out/lib/modules/$kver/$rel"
	echo "lib/modules/$kver/$rel" >>"$out/modules.load"
done
echo "$kver" >"$out/kver"
# shellcheck disable=SC2016 # dpkg-deb expands these
dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >"$out/kpkg"
echo "$stamp" >"$out/.stamp"
echo "fetch-kernel: $kver, ${#order[@]} modules in $out" >&2
