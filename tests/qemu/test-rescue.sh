#!/bin/bash
# The qemu-rescue tier: the rescue image (make rescue, docs/rescue.md) PXE-booted in the
# PXE lab (tests/qemu/pxe/lab.sh): QEMU's iPXE ROM fetches build/rescue/vmlinuz and
# initrd.img; the image brings up the path with `pxebond up` and starts dropbear. The
# test sshes in from the server's namespace while the guest runs, then stops it.
#
#   guest: iPXE, then the rescue image     Open vSwitch          server ns ($LAB_C)
#   eth0, eth1 -> bond0 (pxebond up)  ==tap0/tap1==  strict LAG  --- dnsmasq, httpd.py
#   dropbear on bond0's address :22                  br0             (ssh/authorized_keys)
#                                                                    ssh, ssh-keyscan
#
# Boots (PXB_RESCUE_ONLY="keys" runs one):
#   keys     strict LAG; an authorized_keys file by pxebond.ssh_key=URL (key A, plus a
#            line with options, key O), pxebond.authorized_key= with key B (its comment
#            URL-escaped shell syntax) and a second one smuggling key E after an escaped
#            newline (behind key D). A and B log in, O, D, E and a key never given (W) do
#            not, and only publickey is offered; bond0 is 802.3ad with both NICs in one
#            aggregator facing the switch, which has both in sync; the address outlives
#            the lease and udhcpc holds it; the console shell respawns; the host key
#            fingerprints on the console are those the client saw.
#   nokey    plain ports, no key: active-backup, the console says why SSH did not start,
#            and nothing listens on port 22 of the address that answers ping.
# Also: the image is reproducible (rebuilt, the same bytes).
# Work files (consoles, server logs, keys, known_hosts) in build/qemu/rescue/test/.
# Env: PXB_RESCUE_ONLY, and lab.sh's (PXB_QEMU_VERBOSE, PXB_KEEP...).
# shellcheck disable=SC2016 # $-expressions in single quotes are the guest's or iPXE's
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rescue=$root/build/rescue
only=${PXB_RESCUE_ONLY:-keys nokey}
t_start=$SECONDS

# shellcheck source=tests/tap.sh
. "$root/tests/tap.sh"
# shellcheck source=tests/qemu/pxe/lab.sh
. "$here/pxe/lab.sh"

make --no-print-directory -C "$root" rescue >&2 || lab_die "make rescue failed"
for t in ssh ssh-keyscan ssh-keygen; do
	command -v "$t" >/dev/null || lab_die "$t missing (apt-get install openssh-client)"
done
pxe_lab_start "$root/build/qemu/rescue/test"

wanted() { [[ " $only " == *" $1 "* ]]; }

# The guest runs while the test talks to it: pxe_boot in the background (it returns
# when QEMU ends), pxe_stop_guest ends QEMU. Both also on any exit, before lab.sh's teardown.
start_guest() { # start_guest NAME SWITCH 'ARGS'
	pxe_boot "$1" --switch "$2" --kernel "$rescue/vmlinuz" --initrd "$rescue/initrd.img" \
		--append "$3" --timeout 300 >"$PXE_WORK/boot-$1.log" 2>&1 &
	PXE_GUEST_PID=$!
}
trap 'pxe_stop_guest; lab_stop' EXIT

# wait_console NAME ERE SECS: until a console line matches (bounded; false if the guest
# ended or SECS passed first).
wait_console() {
	local i
	for ((i = 0; i < $3 * 4; i++)); do
		grep -qE -- "$2" "$PXE_WORK/$1.console" 2>/dev/null && return 0
		kill -0 "$PXE_GUEST_PID" 2>/dev/null || return 1
		sleep 0.25
	done
	return 1
}
console() { grep -qE -- "$2" "$PXE_WORK/$1.console"; }
console_fixed() { grep -qF -- "$2" "$PXE_WORK/$1.console"; }
# the value of KEY='...' in the state `pxebond status` printed on the console
status_value() {
	sed -n "s/^$2='\\(.*\\)'\\r*\$/\\1/p" "$PXE_WORK/$1.console" | tail -n1
}
status_is() { # status_is NAME KEY=VALUE...
	local kv
	for kv in "${@:2}"; do
		[ "$(status_value "$1" "${kv%%=*}")" = "${kv#*=}" ] || return 1
	done
}

# urlescape TEXT: every byte but [A-Za-z0-9._~+/=-] as %XX, as the image's command line
# keys want it.
urlescape() {
	local s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~+/=-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c" && out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

keys=$PXE_WORK/keys
kh=$PXE_WORK/known_hosts
ip=''
# gssh [-v] KEY CMD...: ssh from the server's namespace as root, with KEY and nothing
# else (no agent, no config, no password), recording the host key in $kh.
gssh() {
	local v=()
	[ "$1" != -v ] || { v=(-v) && shift; }
	ip netns exec "$LAB_C" timeout 60 ssh "${v[@]}" -F /dev/null -i "$keys/$1" \
		-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \
		-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
		-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="$kh" \
		-o ConnectTimeout=20 "root@$ip" "${@:2}"
}
logs_in() { # logs_in KEY: a command runs with KEY
	local out
	out=$(gssh "$1" echo rescue-ok </dev/null) && [ "$out" = rescue-ok ]
}
refused() { # refused KEY: the server refuses KEY (and, to be sure it was asked, says so)
	local out
	out=$(gssh -v "$1" true </dev/null 2>&1) && return 1
	grep -q 'Permission denied (publickey)' <<<"$out"
}
only_publickey() { # the methods the server offers after a refusal: publickey alone
	local out m
	out=$(gssh -v W true </dev/null 2>&1)
	# (ssh's log lines on stderr end in \r\n)
	m=$(tr -d '\r' <<<"$out" | sed -n 's/.*Authentications that can continue: //p' | sort -u)
	[ "$m" = publickey ]
}

# bond0 from /proc/net/bonding as "MODE|PORTS|ACTIVE_AGG|AGG_OF_EACH|PARTNER".
bond_summary() {
	awk -F': ' '
		/^Bonding Mode:/ { mode = $2 }
		/^Active Aggregator Info:/ { inact = 1; next }
		inact && /Aggregator ID:/ { active = $2 }
		inact && /Number of ports:/ { ports = $2 }
		inact && /Partner Mac Address:/ { partner = $2; inact = 0 }
		/^Slave Interface:/ { slave = 1 }
		/^Aggregator ID:/ && slave { aggs = aggs (aggs ? " " : "") $2 }
		END { printf "%s|%s|%s|%s|%s\n", mode, ports, active, aggs, partner }' <<<"$1"
}
bond_ok() { # bond_ok TEXT: 802.3ad, 2 ports in the active aggregator, the switch as partner
	local mode ports active aggs partner
	IFS='|' read -r mode ports active aggs partner <<<"$(bond_summary "$1")"
	[ "$mode" = 'IEEE 802.3ad Dynamic link aggregation' ] && [ "$ports" = 2 ] &&
		[ -n "$active" ] && [ "$aggs" = "$active $active" ] && [ "$partner" = "$PXE_SYSID" ]
}
switch_in_sync() { lab_appctl lacp/show lag 2>&1 | pxe_in_sync; } # the switch, now
section() { # section NAME TEXT: the lines of TEXT after "== NAME" up to the next "=="
	awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' <<<"$2"
}

# The fingerprints: the console's "ssh: host key TYPE SHA256:..." against what the
# client recorded when it logged in (ed25519, OpenSSH's first choice) and what
# ssh-keyscan gets for ecdsa.
console_fp() { sed -n "s/^rescue: ssh: host key $2 \\(SHA256:[^ ]*\\).*/\\1/p" "$PXE_WORK/$1.console" | tr -d '\r'; }
client_fp() { # client_fp TYPE(ED25519|ECDSA) FILE
	ssh-keygen -lf "$2" 2>/dev/null | awk -v t="($1)" '$NF == t { print $2 }' | sort -u
}
fp_matches() { # fp_matches NAME TYPE FILE
	local c k
	c=$(console_fp "$1" "$2")
	k=$(client_fp "${2^^}" "$3")
	[ -n "$c" ] && [ "$c" = "$k" ]
}

# What the guest reports over SSH, in "== NAME" sections: its bond, bond0's address,
# udhcpc's lease, the injected comment's side effect, and the console shell's respawn.
guest_report='
echo "== bonding"; cat /proc/net/bonding/bond0
echo "== addr"; ip -4 addr show dev bond0
echo "== dhcp"; i=0
while ! grep -q "bound: bond0 " /run/rescue/dhcp.log 2>/dev/null && [ $i -lt 40 ]; do
	sleep 0.5; i=$((i + 1)); done
cat /run/rescue/dhcp.log
echo "== pwned"; ls /tmp/pwned 2>&1
echo "== shadow"; cut -d: -f1,2 /etc/shadow
tty_shell() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/fd/0" 2>/dev/null)" = /dev/ttyS0 ] &&
			[ "$(cat "$p/comm" 2>/dev/null)" = sh ] && echo "${p#/proc/}"
	done
}
echo "== respawn"; old=$(tty_shell); echo "old=$old"
[ -n "$old" ] && kill -KILL $old
i=0 new=
while [ $i -lt 40 ]; do
	new=$(tty_shell)
	[ -n "$new" ] && [ "$new" != "$old" ] && break
	sleep 0.25; i=$((i + 1))
done
echo "new=$new"
echo "== end"
'
respawned() { # respawned SECTION: a shell on ttyS0 before and a different one after
	local old new
	old=$(sed -n 's/^old=//p' <<<"$1")
	new=$(sed -n 's/^new=//p' <<<"$1")
	[ -n "$old" ] && [ -n "$new" ] && [ "$old" != "$new" ]
}
has() { grep -qE -- "$1" <<<"$2"; }
port22_refused() { # the guest answers a connection to $ip:22 with a reset
	local out
	out=$(ip netns exec "$LAB_C" timeout 10 bash -c "exec 3<>/dev/tcp/$ip/22" 2>&1) && return 1
	grep -q 'Connection refused' <<<"$out"
}

if wanted keys; then
	# (not $PXE_WWW/keys: pxe_boot empties $PXE_WWW/NAME, and this boot is "keys")
	mkdir -p "$keys" "$PXE_WWW/ssh"
	for k in A B D E O W; do
		ssh-keygen -q -t ed25519 -N '' -C "rescue-test-$k" -f "$keys/$k" || lab_die "ssh-keygen"
	done
	# The URL's file: a comment, A, O behind an option (refused), a CRLF line ending.
	{
		echo '# the qemu-rescue tier'
		printf '%s\r\n' "$(cat "$keys/A.pub")"
		echo "command=\"/bin/true\" $(cat "$keys/O.pub")"
	} >"$PXE_WWW/ssh/authorized_keys"
	b_comment='rescue-b $(touch /tmp/pwned); `touch /tmp/pwned` "x"'
	read -r b_type b_key _ <"$keys/B.pub"
	b_arg=$(urlescape "$b_type $b_key $b_comment")
	d_arg=$(urlescape "$(cat "$keys/D.pub")"$'\n'"$(cat "$keys/E.pub")")
	# console=tty0 after lab.sh's console=ttyS0: /dev/console is the (invisible) VT, so
	# what the test reads on ttyS0 came through the image's copy to every console.
	args='console=tty0 BOOTIF=01-${netX/mac:hexhyp}'
	args+=" pxebond.ssh_key=http://$PXE_SERVER/ssh/authorized_keys"
	args+=" pxebond.authorized_key=$b_arg pxebond.authorized_key=$d_arg"

	t0=$SECONDS
	start_guest keys strict "$args"
	wait_console keys 'rescue: ssh: listening on [0-9.]+ port 22' 240
	echo "test-rescue: keys: SSH listening $((SECONDS - t0)) s after QEMU started" >&2
	ip=$(sed -n 's/^rescue: ssh: listening on \([0-9.]*\) port 22.*/\1/p' "$PXE_WORK/keys.console")
	ok "keys: the console shows pxebond's probe table" console keys '^NIC +MAC +LINK +LACP PARTNER'
	ok "keys: the probe decided 802.3ad over eth0,eth1" console keys '^decision: +802\.3ad eth0,eth1'
	ok "keys: the console shows pxebond status: ok, 802.3ad on bond0" \
		status_is keys PXEBOND_RESULT=ok PXEBOND_MODE=802.3ad PXEBOND_IFACE=bond0
	ok "keys: dropbear listens on the bond's address" status_is keys "PXEBOND_IP=${ip:-none}"
	ok "keys: the key from pxebond.ssh_key= (a CRLF line) logs in" logs_in A
	ok "keys: the key from pxebond.authorized_key= logs in" logs_in B
	ok "keys: the console names it, its comment as given" \
		console_fixed keys "rescue: ssh: key from pxebond.authorized_key= #1: ssh-ed25519 $b_comment"
	ok "keys: a key never given is refused" refused W
	ok "keys: only publickey is offered (no password login)" only_publickey
	ok "keys: a URL line with options is refused" refused O
	ok "keys: and the console says why" console keys "authorized_keys line 3: not taken: no key type first"
	ok "keys: an authorized_key= with an escaped newline is dropped whole: its first key" refused D
	ok "keys: and the key smuggled after the newline" refused E
	ok "keys: and the console says why" console keys 'pxebond.authorized_key= #2: not taken'

	report=$(gssh A sh -s <<<"$guest_report" 2>/dev/null)
	bonding=$(section bonding "$report")
	ok "keys: over SSH, bond0 is 802.3ad, both NICs in its one aggregator facing $PXE_SYSID" \
		bond_ok "$bonding"
	ok "keys: the switch has both LAG members attached and in sync with the guest" switch_in_sync
	ok "keys: bond0's address outlives the lease (made permanent)" \
		has "inet $ip/[0-9]+ .*bond0" "$(section addr "$report")"
	ok "keys: ... valid_lft forever" has 'valid_lft forever' "$(section addr "$report")"
	ok "keys: udhcpc renews the lease of that address" has "bound: bond0 $ip/" "$(section dhcp "$report")"
	ok "keys: nothing of the escaped comment ran" has 'No such file' "$(section pwned "$report")"
	ok "keys: root has no password in /etc/shadow" has '^root:\*$' "$(section shadow "$report")"
	ok "keys: the console's root shell respawns when killed" respawned "$(section respawn "$report")"
	ok "keys: the ed25519 host key's fingerprint on the console is the one the client saw" \
		fp_matches keys ed25519 "$kh"
	ip netns exec "$LAB_C" timeout 60 ssh-keyscan -t ecdsa "$ip" >"$PXE_WORK/keyscan" 2>/dev/null
	ok "keys: so is the ecdsa one's (ssh-keyscan)" fp_matches keys ecdsa "$PXE_WORK/keyscan"
	pxe_stop_guest
fi

if wanted nokey; then
	t0=$SECONDS
	start_guest nokey plain 'BOOTIF=01-${netX/mac:hexhyp}'
	wait_console nokey 'rescue: ready' 240
	echo "test-rescue: nokey: ready $((SECONDS - t0)) s after QEMU started" >&2
	ip=$(status_value nokey PXEBOND_IP)
	ok "nokey: plain ports: pxebond status says active-backup on bond0" \
		status_is nokey PXEBOND_RESULT=ok PXEBOND_MODE=active-backup PXEBOND_IFACE=bond0
	ok "nokey: the console says SSH did not start, and why" \
		console nokey 'rescue: ssh: not started: no key \(pxebond.authorized_key=KEY or'
	ok "nokey: the address answers ping" ip netns exec "$LAB_C" busybox ping -c 1 -W 10 "$ip"
	ok "nokey: nothing listens on its port 22 (connection refused)" port22_refused
	ok "nokey: no host key was made" not console nokey 'rescue: ssh: host key'
	pxe_stop_guest
fi

# Reproducible: the same inputs, built again, give the same bytes. The stamp is the hash
# of every input: if one changed meanwhile (build/pxebond rebuilt by another make), the
# rebuild is compared with a second one instead.
rebuild() { PXB_RESCUE_FORCE=1 "$root/rescue/mkrescue.sh" "$root/build/pxebond" "$1" 2>/dev/null; }
same_image() { cmp -s "$1/.stamp" "$2/.stamp" && cmp -s "$1/initrd.img" "$2/initrd.img"; }
rebuild "$PXE_WORK/rebuild"
ref=$rescue
if ! cmp -s "$ref/.stamp" "$PXE_WORK/rebuild/.stamp"; then
	ref=$PXE_WORK/rebuild2
	rebuild "$ref"
fi
ok "the image rebuilt from the same inputs is the same bytes" same_image "$ref" "$PXE_WORK/rebuild"

echo "test-rescue: $((SECONDS - t_start)) s, work files in $PXE_WORK" >&2
tap_done
