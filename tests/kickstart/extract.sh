#!/bin/sh
# Pulls each %pre/%post section's body out of a kickstart file, byte for byte as
# pykickstart hands it to Anaconda (which writes it to /tmp/ks-script-XXXX and runs it
# with the section's interpreter), so that shellcheck and the tests see exactly what
# runs. For kickstart/pxebond.ks (tests/qemu/test-kickstart.sh).
#
# Usage: tests/kickstart/extract.sh KSFILE OUTDIR
#   OUTDIR/NAME.sh    the body of each section: NAME from its header, "%pre" -> pre,
#                     "%post --nochroot" -> post-nochroot
#   OUTDIR/sections   one line per section: NAME FIRST_BODY_LINE HEADER
# Fails (naming the line) on a section without %end, or a body line that pykickstart
# would take for its own: one starting with % (%end, %include, a section header), which
# would end the script there or pull a file in.
set -eu
ks=${1:?usage: extract.sh KSFILE OUTDIR}
out=${2:?usage: extract.sh KSFILE OUTDIR}
mkdir -p "$out"
rm -f "$out"/*.sh "$out/sections"
awk -v out="$out" -v ks="$ks" '
	function fail(msg) { printf "%s:%d: %s\n", ks, NR, msg > "/dev/stderr"; bad = 1; exit 1 }
	!in_sec && /^%(pre|post)([ \t]|$)/ {
		name = $1; sub(/^%/, "", name)
		for (i = 2; i <= NF; i++) { o = $i; gsub(/[^A-Za-z0-9]+/, "", o); if (o != "") name = name "-" o }
		file = out "/" name ".sh"
		printf "%s %d %s\n", name, NR + 1, $0 > (out "/sections")
		printf "" > file
		in_sec = 1
		next
	}
	in_sec && /^%end[ \t]*$/ { close(file); in_sec = 0; n++; next }
	in_sec && /^[ \t]*%/ { fail("a body line starting with %: pykickstart would read it as its own") }
	in_sec { print > file; next }
	END {
		if (bad) exit 1
		if (in_sec) { printf "%s: section at EOF without %%end\n", ks > "/dev/stderr"; exit 1 }
		if (!n) { printf "%s: no %%pre or %%post section\n", ks > "/dev/stderr"; exit 1 }
	}' "$ks"
