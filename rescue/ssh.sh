#!/bin/sh
# SSH in the rescue image: root's authorized keys from pxebond.authorized_key= (one
# URL-escaped key each) and pxebond.ssh_key=URL (an authorized_keys file, fetched over
# the path pxebond brought up), host keys made now, then dropbear on ADDRESS:22 with
# password logins off. With no usable key it does not start, and says why.
# Usage: ssh.sh ADDRESS
export PATH=/usr/bin:/bin
set -f # nothing here globs; values from the command line must not
# shellcheck source=rescue/lib.sh
. /usr/lib/rescue/lib.sh

addr=${1:?usage: ssh.sh ADDRESS}
keys=/root/.ssh/authorized_keys
hostkeys=/etc/dropbear
umask 077
mkdir -p /root/.ssh "$hostkeys"
: >"$keys"
n=0
cr=$(printf '\r')

# rescue_add_key LINE WHERE: appends LINE to authorized_keys if it is one plain key, and
# says so with its type and comment (printable ASCII, checked).
rescue_add_key() {
	if ! rescue_key_check "$1"; then
		rescue_say "ssh: $2: not taken: $rescue_why"
		return 1
	fi
	printf '%s\n' "$1" >>"$keys"
	n=$((n + 1))
	where=$2
	# shellcheck disable=SC2086 # the key's fields: type, base64, comment words
	set -- $1
	ktype=$1
	shift 2
	rescue_say "ssh: key from $where: $ktype${*:+ $*}"
}

i=0
rescue_args pxebond.authorized_key >"$RESCUE_RUN/authorized_key.args"
while IFS= read -r v; do
	i=$((i + 1))
	if k=$(printf '%s\n' "$v" | rescue_unescape); then
		rescue_add_key "$k" "pxebond.authorized_key= #$i" || true
	else
		rescue_say "ssh: pxebond.authorized_key= #$i: not taken: a malformed %-escape, or" \
			"a byte that is not printable ASCII (a newline?) once decoded"
	fi
done <"$RESCUE_RUN/authorized_key.args"

j=0
rescue_args pxebond.ssh_key >"$RESCUE_RUN/ssh_key.args"
while IFS= read -r url; do
	j=$((j + 1))
	if ! rescue_url_check "$url"; then
		rescue_say "ssh: pxebond.ssh_key= #$j: not an http:// or https:// URL, ignored"
		continue
	fi
	# timeout, not wget -T: Debian 12's static busybox wget dies of SIGSEGV with -T.
	f=$RESCUE_RUN/ssh_key.$j
	t=1
	while ! err=$(timeout 20 wget -q -O "$f" "$url" 2>&1); do
		if [ "$t" -ge 3 ]; then
			# (wget's message quotes the server's reason phrase: printable ASCII only)
			rescue_say "ssh: $url: cannot fetch it (3 tries):" \
				"$(printf '%s' "$err" | tr -c ' -~' ' ')"
			rm -f "$f"
			break
		fi
		t=$((t + 1))
		sleep 2
	done
	[ -f "$f" ] || continue
	before=$n l=0
	while IFS= read -r line || [ -n "$line" ]; do
		l=$((l + 1))
		[ "$l" -le 1000 ] || break
		line=${line%"$cr"}
		case $line in '' | '#'*) continue ;; esac
		rescue_add_key "$line" "$url line $l" || true
	done <"$f"
	rescue_say "ssh: $((n - before)) key(s) from $url"
done <"$RESCUE_RUN/ssh_key.args"

if [ "$n" = 0 ]; then
	rescue_say "ssh: not started: no key (pxebond.authorized_key=KEY or" \
		"pxebond.ssh_key=URL on the kernel command line); password logins are never taken"
	exit 0
fi

# Fresh host keys every boot: nothing of the image is secret, so a key built into it
# would be everyone's. Clients see a new key each time (ssh-keygen -R ADDRESS).
for t in ed25519 ecdsa; do
	if ! dropbearkey -t "$t" -f "$hostkeys/dropbear_${t}_host_key" >/dev/null 2>&1; then
		rescue_say "ssh: cannot make the $t host key"
		continue
	fi
	fp=$(dropbearkey -y -f "$hostkeys/dropbear_${t}_host_key" | sed -n 's/^Fingerprint: //p')
	rescue_say "ssh: host key $t $fp"
done

# -s: no password logins at all (root's shadow entry has no password either); -E: the
# log to a file, not syslog (there is none).
if dropbear -s -E -p "$addr:22" -P "$RESCUE_RUN/dropbear.pid" \
	-r "$hostkeys/dropbear_ed25519_host_key" -r "$hostkeys/dropbear_ecdsa_host_key" \
	</dev/null >/dev/null 2>>"$RESCUE_RUN/dropbear.log"; then
	rescue_say "ssh: listening on $addr port 22, $n authorized key(s), keys only: ssh root@$addr"
else
	rescue_say "ssh: dropbear did not start (see $RESCUE_RUN/dropbear.log)"
fi
