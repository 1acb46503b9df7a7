# shellcheck shell=bash
# nm_load DIR OUT LIST KEY FIELDS: the real NetworkManager (keyfile plugin, DIR its only
# profile directory), with its own D-Bus, in namespaces of its own (nothing of the host's
# network or /run is touched). OUT gets "== list" and `nmcli -t -f LIST connection show`,
# then per profile "== K" (K its KEY: UUID or NAME) and its FIELDS, one "field:value" a
# line. Sourced by the write and kickstart tiers.
nm_load() {
	local dir=$1 out=$2
	cat >"$out.conf" <<-EOF
		[main]
		plugins=keyfile
		no-auto-default=*
		[keyfile]
		path=$dir
	EOF
	# shellcheck disable=SC2016 # the inner sh expands its own
	unshare -mnpf --mount-proc --propagation private sh -c '
		conf=$1 list=$2 key=$3 fields=$4
		mount -t tmpfs tmpfs /run && mkdir -p /run/dbus /run/NetworkManager || exit 1
		dbus-daemon --system --nofork --nopidfile & dbus=$!
		for i in $(seq 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done
		NetworkManager --no-daemon --config="$conf" --config-dir=/nonexistent \
			--state-file=/run/nm.state --pid-file=/run/nm.pid >/run/nm.log 2>&1 & nm=$!
		for i in $(seq 100); do nmcli -t general status >/dev/null 2>&1 && break; sleep 0.1; done
		echo "== list"
		nmcli -t -f "$list" connection show
		for k in $(nmcli -t -f "$key" connection show); do
			echo "== $k"
			nmcli -t -f "$fields" connection show "$k"
		done
		kill $nm; wait $nm; kill $dbus; wait $dbus' sh "$out.conf" "$3" "$4" "$5" >"$out" 2>&1
}
