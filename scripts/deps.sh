#!/bin/bash
# Installs pxebond's build and test dependencies from Debian packages, idempotently.
# Usage: scripts/deps.sh [build|pkg|all]   (default all; cheap when everything is present)
set -eu

BUILD_PKGS=(build-essential make musl-tools libnl-3-dev libnl-route-3-dev dpkg-dev
	bison flex pkg-config)
TEST_PKGS=(clang libclang-rt-14-dev openvswitch-switch lldpd tcpdump tshark iproute2
	ethtool shellcheck dash busybox-static cpio qemu-system-x86 jq file procps kmod
	netplan.io ifupdown ifenslave network-manager systemd udev dbus
	ipxe-qemu dnsmasq-base python3 squashfs-tools e2fsprogs
	dracut-core dracut-network dracut-live isc-dhcp-client iputils-arping curl
	dropbear-bin openssh-client mmdebstrap nfs-ganesha nfs-ganesha-vfs
	xorriso mtools grub-common grub-pc-bin grub-efi-amd64-bin ovmf
	fai-server fai-client dosfstools)
# make deb, make rpm and their tiers (debhelper builds the .deb, lintian and rpmlint
# judge the packages, Debian's rpm builds and installs the RPM into a scratch root).
PKG_PKGS=(debhelper lintian rpm rpmlint)
# The iso tier and the ISO and UEFI scenarios: xorriso remasters, grub-mkrescue
# (grub-common with GRUB's BIOS and EFI images; the *-bin packages are files only,
# nothing is installed on the host's disk) makes the lab's installer ISO, mtools looks
# into its EFI image; OVMF is the UEFI firmware.
# The FAI tiers (tests/qemu/test-fai.sh, make fai-loop) build FAI's nfsroot and image with
# fai-server's fai-make-nfsroot (debootstrap) and fai-cd, which wants mkfs.vfat and mcopy.
# make rescue copies dropbear-bin's dropbear and dropbearkey into its image; its tier
# logs in with OpenSSH's client. The qemu-itools tier builds its initramfs-tools images
# in a chroot made by mmdebstrap, and serves NFS roots with nfs-ganesha (userspace; it
# brings rpcbind and nfs-common, which dracut's nfs module needs on the build host).
# The tier runs its own rpcbind and ganesha.nfsd in the lab's server namespace with a
# private /run, whatever the host itself runs.
# The PXE lab (tests/qemu/pxe/) builds stock initramfs images with dracut-core,
# dracut-network and dracut-live, never the `dracut` package: that one would replace
# initramfs-tools' kernel hooks on this machine.
SRC_LIST=/etc/apt/sources.list.d/pxebond-src.sources

case "${1:-all}" in
build) want=("${BUILD_PKGS[@]}") ;;
pkg) want=("${BUILD_PKGS[@]}" "${PKG_PKGS[@]}") ;;
all) want=("${BUILD_PKGS[@]}" "${PKG_PKGS[@]}" "${TEST_PKGS[@]}") ;;
*) echo "usage: $0 [build|pkg|all]" >&2; exit 2 ;;
esac

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run instead of failing; DPkg::Lock::Timeout covers
# install but not `apt-get update`'s lists lock, hence the loop below.
APT="apt-get -q -o DPkg::Lock::Timeout=600"

apt_update() {
	local i err
	for i in $(seq 60); do
		if err=$($APT update -qq 2>&1 >/dev/null); then
			return 0
		fi
		case "$err" in
		*"Could not get lock"*) echo "deps: apt lists locked, waiting (try $i)"; sleep 10 ;;
		*) echo "$err" >&2; return 1 ;;
		esac
	done
	echo "deps: apt lists still locked, giving up" >&2
	return 1
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "deps: $1, which needs root; rerun as root" >&2
		exit 1
	fi
}

# deb-src entries (for `apt-get source libnl3`), mirroring the machine's deb entries.
if [ ! -e "$SRC_LIST" ] && ! grep -rqs '^[^#]*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_root "adding deb-src entries"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$SRC_LIST"
	elif [ -f /etc/apt/sources.list ]; then
		SRC_LIST=${SRC_LIST%.sources}.list
		sed -n 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list >"$SRC_LIST"
	else
		echo "deps: no debian.sources or sources.list to derive deb-src from" >&2
		exit 1
	fi
	echo "deps: added $SRC_LIST, running apt-get update"
	# Drop the file if update fails so the next run tries again.
	apt_update || { rm -f "$SRC_LIST"; exit 1; }
fi

# Whatever dpkg does not report as installed ("ii") is missing.
mapfile -t missing < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${want[@]}" 2>/dev/null |
	awk -v want="${want[*]}" '$1 == "ii" { ok[$2] = 1 }
		END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!ok[w[i]]) print w[i] }')

if [ "${#missing[@]}" = 0 ]; then
	echo "deps: all ${#want[@]} packages present"
	exit 0
fi
need_root "installing ${missing[*]}"
echo "deps: apt-get update"
apt_update
echo "deps: installing ${missing[*]}"
$APT install -y --no-install-recommends "${missing[@]}"
