# pxebond: plain GNU make. `make` builds build/pxebond, static against musl, stripped.
# Targets: all overlay rescue check bench fuzz demo di-install fai-loop install clean, and deb rpm dist
# iso (docs/packages.md). V=1 shows commands;
# STATIC=glibc links Debian's static libnl instead of building it for musl;
# SANITIZE=address,undefined instrumens the unit tests.

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-7s %s\n' $(1) $(2);)

STATIC ?= musl
SANITIZE ?=
PREFIX ?= /usr/local
B := build
# The version has one home, debian/changelog's first entry (a native package: no Debian
# revision); `pxebond --version`, the .deb, the RPM and the dist tarball all take it from
# there. Parsed with sed, not dpkg-parsechangelog, so that a Fedora builder needs no dpkg.
version_sed := 1s/^[^ ]* (\([^)]*\)).*/\1/p
VERSION := $(shell sed -n '$(version_sed)' debian/changelog)
ifeq ($(VERSION),)
$(error no version in debian/changelog)
endif

WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Werror
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
# Modules without libnl: the pure ones and the few that only touch files. Unit tests
# and fuzzers link only these.
PURE_SRC := src/lacp.c src/lldp.c src/plan.c src/report.c src/options.c src/log.c \
	src/mac.c src/clock.c src/names.c src/escape.c src/file.c src/ladder.c src/profiles.c \
	src/bond_opts.c src/state.c src/check.c src/dhcp.c src/ifname.c \
	src/model.c src/emit_out.c src/emit_nm.c src/emit_ifcfg.c src/emit_networkd.c \
	src/emit_netplan.c src/emit_ifupdown.c src/emit_kickstart.c src/fsout.c
HDRS := $(wildcard src/*.h)

ifeq ($(STATIC),musl)
BIN_CC := musl-gcc
LIBNL := $(B)/libnl
NL_CFLAGS := -I$(LIBNL)/include/libnl3 -I$(LIBNL)/kinclude
NL_LIBS := $(LIBNL)/lib/libnl-route-3.a $(LIBNL)/lib/libnl-3.a
NL_DEP := $(LIBNL)/lib/libnl-route-3.a
else ifeq ($(STATIC),glibc)
BIN_CC := gcc
NL_CFLAGS := $(shell pkg-config --cflags libnl-route-3.0)
NL_LIBS := $(shell pkg-config --static --libs libnl-route-3.0)
NL_DEP :=
else
$(error STATIC must be musl or glibc)
endif

BIN_CFLAGS := $(WARN) -Oz -fno-pie -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -DPXEBOND_VERSION='"$(VERSION)"' $(NL_CFLAGS)
BIN_LDFLAGS := -static -no-pie -Wl,--gc-sections -Wl,-z,noseparate-code -s
OBJ := $(B)/obj-$(STATIC)

all: $(B)/pxebond

# Debian packages: installed on first use, cheap to re-check.
deps:
	$(Q)scripts/deps.sh all

deps-build:
	$(Q)scripts/deps.sh build

# SKIP_DEPS=1: install nothing (package builds: their build dependencies are there);
# LIBNL_TREE=DIR: libnl from an unpacked upstream release, not Debian's source package.
SKIP_DEPS ?=
LIBNL_TREE ?=
$(LIBNL)/lib/libnl-route-3.a: scripts/build-libnl.sh
	$(if $(SKIP_DEPS),,$(Q)scripts/deps.sh build)
	$(call say,LIBNL,$(LIBNL))
	$(Q)LIBNL_TREE='$(LIBNL_TREE)' scripts/build-libnl.sh $(LIBNL)

$(OBJ)/%.o: src/%.c $(HDRS) Makefile | $(NL_DEP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(BIN_CC) $(BIN_CFLAGS) -c $< -o $@

$(OBJ)/libpxebond.a: $(patsubst src/%.c,$(OBJ)/%.o,$(LIB_SRC))
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Only main.c prints the version: rebuilt when the changelog's version changes.
$(B)/.version: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@
$(OBJ)/main.o: $(B)/.version

$(B)/pxebond: $(OBJ)/main.o $(OBJ)/libpxebond.a $(NL_DEP)
	$(call say,LD,$@)
	$(Q)$(BIN_CC) $(BIN_LDFLAGS) -o $@ $(OBJ)/main.o $(OBJ)/libpxebond.a $(NL_LIBS) -lm

# Unit tests: the host compiler, optionally sanitized.
TEST_CC ?= cc
TEST_CFLAGS := $(WARN) -g -O1 -Isrc -Itests $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
# write.c also runs a probe: the unit tests link it with a stub probe_run (test_write.c).
UNIT_SRC := $(wildcard tests/unit/*.c) tests/hexfile.c $(PURE_SRC) src/write.c

# Rebuilt when the flags change (SANITIZE=... then without).
$(B)/.test-flags: FORCE
	@mkdir -p $(@D)
	@echo '$(TEST_CFLAGS)' | cmp -s - $@ || echo '$(TEST_CFLAGS)' >$@

$(B)/unit-tests: $(UNIT_SRC) $(HDRS) $(wildcard tests/unit/*.h) tests/hexfile.h $(B)/.test-flags
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(TEST_CC) $(TEST_CFLAGS) -o $@ $(UNIT_SRC) -lm

# Fuzzers: libFuzzer with ASan and UBSan, one per parser of outside bytes.
FUZZ_CC ?= clang
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Isrc -Itests -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TIME ?= 60

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(PURE_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(PURE_SRC) -lm

$(B)/hex2bin: tests/hex2bin.c tests/hexfile.c tests/hexfile.h
	@mkdir -p $(@D)
	$(Q)$(TEST_CC) $(WARN) -Itests -o $@ tests/hex2bin.c tests/hexfile.c

$(B)/inject: tests/inject.c tests/hexfile.c tests/hexfile.h
	@mkdir -p $(@D)
	$(Q)$(TEST_CC) $(WARN) -Itests -o $@ tests/inject.c tests/hexfile.c

fuzz-build: $(addprefix $(B)/fuzz/fuzz_,$(FUZZ_TARGETS)) $(B)/hex2bin

# `make fuzz` runs each target FUZZ_TIME seconds and merges what adds coverage into
# tests/fuzz/corpus/ (commit it); `make check` only reads the corpus.
fuzz: fuzz-build
	$(Q)GROW=1 tests/fuzz/run.sh $(B) $(FUZZ_TIME) $(FUZZ_TARGETS)

# The overlay for installer initrds (docs/boot.md): gzip'd newc, root-owned, reproducible.
overlay: $(B)/pxebond-overlay.cpio.gz

$(B)/pxebond-overlay.cpio.gz: $(B)/pxebond initramfs/mkoverlay.sh $(wildcard initramfs/*.sh initramfs/*.conf)
	$(call say,CPIO,$@)
	$(Q)initramfs/mkoverlay.sh $(B)/pxebond $@

# The rescue image (docs/rescue.md): build/rescue/{vmlinuz,initrd.img,boot.ipxe} from
# Debian's kernel, busybox, pxebond and dropbear. mkrescue.sh rebuilds only when an
# input changed, the kernel package included.
rescue: $(B)/pxebond
	$(call say,RESCUE,$(B)/rescue)
	$(Q)rescue/mkrescue.sh $(B)/pxebond $(B)/rescue

check: deps
	$(Q)$(MAKE) --no-print-directory $(B)/pxebond $(B)/pxebond-overlay.cpio.gz $(B)/unit-tests $(B)/inject fuzz-build
	$(Q)tests/run-all.sh

# Rewrites tests/golden/ from the emitters; review the diff before committing it.
golden: $(B)/unit-tests
	$(Q)rm -rf tests/golden/nm tests/golden/ifcfg tests/golden/networkd tests/golden/netplan \
		tests/golden/ifupdown tests/golden/kickstart
	$(Q)PXEBOND_GOLDEN_UPDATE=1 $(B)/unit-tests 'tests/golden' >/dev/null
	$(Q)git status --short tests/golden

bench: deps
	$(Q)$(MAKE) --no-print-directory $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	$(Q)tests/bench/run.sh $(B)/pxebond
	$(Q)tests/qemu/bench-up.sh
	$(Q)tests/qemu/pxe/bench.sh
	$(Q)tests/qemu/bench-write.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	$(Q)tests/qemu/demo.sh
	$(Q)tests/qemu/pxe/demo.sh

# As far towards an unattended Debian install as the machine's Debian archive allows:
# the netboot installer with the overlay through the PXE lab's strict LAG, from a local
# mirror built with apt (tests/qemu/README.md, "make di-install"). Root; tens of minutes
# under TCG, so not part of check. Fails, saying where it stopped, until it gets through.
di-install: deps
	$(Q)$(MAKE) --no-print-directory $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	$(Q)tests/qemu/pxe/di-install.sh

# FAI (docs/fai.md) from PXE boot through the PXE lab's strict LAG to the installed
# system's second boot on the same LAG, with the overlay and the PXEBOND class, then the
# baselines (no pxebond: strict LAG, plain ports). Root; about 70 minutes under TCG, so
# not part of check (its slice is the qemu-fai tier). REPORT in build/qemu/fai/loop/.
fai-loop: deps
	$(Q)$(MAKE) --no-print-directory $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	$(Q)tests/qemu/fai/loop.sh

# The dracut module goes where dracut looks, whatever PREFIX is; it finds the binary
# through @SBINDIR@.
DRACUT_MOD := $(DESTDIR)/usr/lib/dracut/modules.d/90pxebond
# initramfs-tools' hook and boot script likewise (they add nothing to an image until
# /etc/initramfs-tools/conf.d/pxebond says PXEBOND=y: docs/boot.md); the glue they
# copy into the image from PREFIX/share/pxebond/initramfs-tools (@DATADIR@).
ITOOLS := $(DESTDIR)/usr/share/initramfs-tools
ITOOLS_GLUE := $(PREFIX)/share/pxebond/initramfs-tools

install: $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	install -D -m 0755 $(B)/pxebond $(DESTDIR)$(PREFIX)/sbin/pxebond
	install -D -m 0644 docs/pxebond.8 $(DESTDIR)$(PREFIX)/share/man/man8/pxebond.8
	install -D -m 0644 $(B)/pxebond-overlay.cpio.gz $(DESTDIR)$(PREFIX)/share/pxebond/pxebond-overlay.cpio.gz
	install -D -m 0644 kickstart/pxebond.ks $(DESTDIR)$(PREFIX)/share/pxebond/pxebond.ks
	install -d $(DRACUT_MOD)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' hooks/dracut/90pxebond/module-setup.sh >$(DRACUT_MOD)/module-setup.sh
	chmod 0755 $(DRACUT_MOD)/module-setup.sh
	install -m 0644 initramfs/lib.sh initramfs/dracut.sh initramfs/dracut-pre-udev.conf $(DRACUT_MOD)/
	install -m 0755 initramfs/dracut-hook.sh initramfs/dracut-online.sh $(DRACUT_MOD)/
	install -d $(ITOOLS)/hooks $(ITOOLS)/scripts/init-premount $(DESTDIR)$(ITOOLS_GLUE)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g; s|@DATADIR@|$(ITOOLS_GLUE)|g' hooks/initramfs-tools/hook >$(ITOOLS)/hooks/pxebond
	chmod 0755 $(ITOOLS)/hooks/pxebond
	install -m 0755 hooks/initramfs-tools/init-premount $(ITOOLS)/scripts/init-premount/pxebond
	install -m 0644 initramfs/lib.sh initramfs/initramfs-tools.conf $(DESTDIR)$(ITOOLS_GLUE)/
	install -m 0755 initramfs/initramfs-tools.sh initramfs/ipconfig.sh $(DESTDIR)$(ITOOLS_GLUE)/
	install -m 0755 initramfs/mkmodules.sh $(DESTDIR)$(PREFIX)/share/pxebond/mkmodules.sh
	install -d $(DESTDIR)$(PREFIX)/sbin
	sed 's|@OVERLAY@|$(PREFIX)/share/pxebond/pxebond-overlay.cpio.gz|' iso/remaster.sh >$(DESTDIR)$(PREFIX)/sbin/pxebond-iso
	chmod 0755 $(DESTDIR)$(PREFIX)/sbin/pxebond-iso
	install -D -m 0644 docs/pxebond-iso.8 $(DESTDIR)$(PREFIX)/share/man/man8/pxebond-iso.8
	install -D -m 0644 fai/config/package_config/PXEBOND $(DESTDIR)$(PREFIX)/share/pxebond/fai/config/package_config/PXEBOND
	install -D -m 0755 fai/config/scripts/PXEBOND/10-pxebond $(DESTDIR)$(PREFIX)/share/pxebond/fai/config/scripts/PXEBOND/10-pxebond
	install -D -m 0644 fai/nfsroot-hooks/90-pxebond $(DESTDIR)$(PREFIX)/share/pxebond/fai/nfsroot-hooks/90-pxebond

# Packages (docs/packages.md): the .deb (dpkg-buildpackage in a copy of the tree, through
# this Makefile), a binary RPM of this build, the source tarball with its spec; and an
# installer ISO with the overlay in every initrd it boots (make iso IN=a.iso OUT=b.iso).
DEBDIR ?= $(B)/deb
# (the binary first: its build fetches libnl3's Debian source into build/src, which the
# package build takes from there)
deb: $(B)/pxebond
	$(Q)scripts/deps.sh pkg
	$(Q)scripts/package.sh deb $(DEBDIR)

rpm: $(B)/pxebond $(B)/pxebond-overlay.cpio.gz
	$(Q)scripts/deps.sh pkg
	$(Q)scripts/package.sh rpm $(B)/rpm

dist:
	$(Q)scripts/package.sh dist $(B)

iso: $(B)/pxebond-overlay.cpio.gz
	$(if $(and $(IN),$(OUT)),,$(error usage: make iso IN=installer.iso OUT=new.iso))
	$(Q)iso/remaster.sh --overlay $(B)/pxebond-overlay.cpio.gz '$(IN)' '$(OUT)'

clean:
	rm -rf $(B)/obj-* $(B)/pxebond $(B)/pxebond-overlay.cpio.gz $(B)/rescue $(B)/unit-tests $(B)/fuzz $(B)/hex2bin $(B)/inject $(B)/test-logs \
		$(B)/.version $(B)/deb $(B)/rpm $(B)/pkg

.PHONY: FORCE all overlay rescue deps deps-build check bench fuzz fuzz-build demo di-install fai-loop install clean golden \
	deb rpm dist iso
.DELETE_ON_ERROR:
