# shellcheck shell=sh
# The rescue image's shared shell: console messages, kernel command line values, and the
# checks on what the command line and a key URL hand us. Sourced; every name starts
# with rescue_ or RESCUE_, nothing exits.

RESCUE_RUN=/run/rescue
RESCUE_LOG=$RESCUE_RUN/boot.log

# rescue_out: copies its input to every console the kernel was given (init lists them
# in /run/rescue/consoles; console=tty0 console=ttyS0 puts /dev/console on the serial
# one only) and to the boot log, for SSH users.
rescue_out() {
	# shellcheck disable=SC2046 # one device path per line, no blanks
	tee -a "$RESCUE_LOG" $(cat "$RESCUE_RUN/consoles" 2>/dev/null || echo /dev/console) \
		>/dev/null 2>&1
	return 0
}

# rescue_say TEXT...: one line, "rescue: TEXT", through rescue_out.
rescue_say() {
	printf 'rescue: %s\n' "$*" | rescue_out
}

# rescue_args NAME: every value of NAME=VALUE on the kernel command line (or in the file
# $RESCUE_CMDLINE), one per line, in order, as pxebond reads the command line (the
# kernel's double quotes group and go; nothing is globbed or evaluated).
rescue_args() {
	pxebond cmdline --all ${RESCUE_CMDLINE:+--cmdline "$RESCUE_CMDLINE"} "$1" 2>/dev/null
	return 0
}

# rescue_unescape: reads one URL-escaped line on stdin and prints it with each %XX
# decoded. Fails, printing nothing, on a malformed escape or if the text, before or
# after decoding, has any byte outside printable ASCII: a decoded newline would be a
# second line in authorized_keys. '+' stays '+' (base64 has it). The text goes to awk on
# stdin, never through -v, which would interpret backslashes.
rescue_unescape() {
	LC_ALL=C awk '
	BEGIN { hex = "0123456789abcdef" }
	NR > 1 { bad = 1; exit }
	{
		s = $0
		out = ""
		if (s !~ /^[ -~]*$/) { bad = 1; exit }
		while ((i = index(s, "%")) > 0) {
			out = out substr(s, 1, i - 1)
			h = tolower(substr(s, i + 1, 2))
			if (h !~ /^[0-9a-f][0-9a-f]$/) { bad = 1; exit }
			c = (index(hex, substr(h, 1, 1)) - 1) * 16 + index(hex, substr(h, 2, 1)) - 1
			if (c < 32 || c > 126) { bad = 1; exit }
			out = out sprintf("%c", c)
			s = substr(s, i + 3)
		}
		out = out s
	}
	END {
		if (bad || NR != 1) exit 1
		print out
	}'
}

# rescue_key_check LINE: true if LINE is one public key as authorized_keys takes it,
# "TYPE BASE64 [COMMENT]", with a key type dropbear knows and printable ASCII only.
# Options before the type (from=, command=...) are refused: a key given here gets a
# plain root login and nothing else. Sets rescue_why when false.
# shellcheck disable=SC2034 # rescue_why is the caller's
rescue_key_check() {
	rescue_why=''
	case $1 in
	*[!\ -~]*) rescue_why='a byte that is not printable ASCII' && return 1 ;;
	esac
	(
		set -f
		# shellcheck disable=SC2086 # fields of the key line; globbing is off
		set -- $1
		case ${1:-} in
		ssh-ed25519 | ecdsa-sha2-nistp256 | ecdsa-sha2-nistp384 | ecdsa-sha2-nistp521 | \
			ssh-rsa | sk-ssh-ed25519@openssh.com | sk-ecdsa-sha2-nistp256@openssh.com) ;;
		*) exit 2 ;;
		esac
		case ${2:-} in
		'' | *[!A-Za-z0-9+/=]*) exit 3 ;;
		esac
		[ "${#2}" -ge 40 ] || exit 3
	)
	case $? in
	0) return 0 ;;
	2) rescue_why='no key type first (ssh-ed25519, ecdsa-sha2-*, ssh-rsa, sk-*; options are not taken)' ;;
	*) rescue_why='no base64 key after the type' ;;
	esac
	return 1
}

# rescue_url_check URL: true for an http:// or https:// URL of printable ASCII without
# blanks or quotes (it goes to wget as one argument, never through a shell).
rescue_url_check() {
	case $1 in
	http://?* | https://?*) ;;
	*) return 1 ;;
	esac
	case $1 in
	*[!!-~]* | *\"* | *\'* | *\\*) return 1 ;;
	esac
	return 0
}
