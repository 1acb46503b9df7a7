/* netplan: one YAML file, 0600 (netplan warns about anything wider), under etc/netplan/:
 * ethernets matched by permanent MAC (netplan writes networkd's PermanentMACAddress=),
 * the bond with its MAC, parameters in netplan's names. No renderer: the system's own
 * (networkd or NetworkManager) applies. For an 802.3ad bond also a networkd drop-in on
 * the bond's generated .network, with what netplan cannot say (BindCarrier=). Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

enum unit { PLAIN, BOOL };

/* netplan 0.106 bond parameters; NULL: netplan has no key for it. */
static const struct {
	const char *key;
	enum unit unit;
} keys[_BOND_OPT_MAX] = {
	[BOND_OPT_MODE] = { "mode", PLAIN },
	[BOND_OPT_LACP_RATE] = { "lacp-rate", PLAIN },
	[BOND_OPT_MIIMON] = { "mii-monitor-interval", PLAIN }, /* ms */
	[BOND_OPT_MIN_LINKS] = { "min-links", PLAIN },
	[BOND_OPT_XMIT_HASH_POLICY] = { "transmit-hash-policy", PLAIN },
	[BOND_OPT_AD_SELECT] = { "ad-select", PLAIN },
	[BOND_OPT_ALL_SLAVES_ACTIVE] = { "all-slaves-active", BOOL },
	[BOND_OPT_ARP_INTERVAL] = { "arp-interval", PLAIN },
	[BOND_OPT_ARP_VALIDATE] = { "arp-validate", PLAIN },
	[BOND_OPT_ARP_ALL_TARGETS] = { "arp-all-targets", PLAIN },
	[BOND_OPT_UPDELAY] = { "up-delay", PLAIN },
	[BOND_OPT_DOWNDELAY] = { "down-delay", PLAIN },
	[BOND_OPT_FAIL_OVER_MAC] = { "fail-over-mac-policy", PLAIN },
	[BOND_OPT_NUM_PEER_NOTIF] = { "gratuitous-arp", PLAIN },
	[BOND_OPT_PACKETS_PER_SLAVE] = { "packets-per-slave", PLAIN },
	[BOND_OPT_PRIMARY_RESELECT] = { "primary-reselect-policy", PLAIN },
	[BOND_OPT_RESEND_IGMP] = { "resend-igmp", PLAIN },
	[BOND_OPT_LP_INTERVAL] = { "learn-packet-interval", PLAIN },
};

/* YAML 1.1 reads some plain words as booleans or null, and a leading digit as a number:
 * such names are written quoted (names_ifname_safe leaves nothing that needs escaping). */
static const char *scalar(const char *name, char *buf, size_t cap)
{
	static const char *const special[] = { "y",    "n",	"yes",	"no", "on", "off",
					       "true", "false", "null", "~",  NULL };
	bool quote = !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));

	for (int i = 0; special[i] && !quote; i++)
		quote = !strcasecmp(name, special[i]);
	snprintf(buf, cap, quote ? "\"%s\"" : "%s", name);
	return buf;
}

static void ip_config(struct emit_out *out, struct emit_file *f, const struct model *m,
		      const char *ind)
{
	char pre[64];

	if (m->mtu)
		emit_printf(out, f, "%smtu: %u\n", ind, m->mtu);
	if (m->dhcp) {
		emit_printf(out, f, "%sdhcp4: true\n", ind);
		return;
	}
	emit_printf(out, f, "%saddresses: [%s/%u]\n", ind, m->address, m->prefix);
	if (m->gateway[0])
		emit_printf(out, f, "%sroutes:\n%s  - to: default\n%s    via: %s\n", ind, ind, ind,
			    m->gateway);
	if (m->n_dns || m->n_search)
		emit_printf(out, f, "%snameservers:\n", ind);
	snprintf(pre, sizeof(pre), "%s  addresses: [", ind);
	EMIT_JOIN(out, f, pre, m->dns, m->n_dns, ", ", "]\n");
	snprintf(pre, sizeof(pre), "%s  search: [", ind);
	EMIT_JOIN(out, f, pre, m->search, m->n_search, ", ", "]\n");
}

int emit_netplan(const struct model *m, struct emit_out *out)
{
	char mac[MAC_STR_LEN], id[IF_NAMESIZE + 24], q[IF_NAMESIZE + 24];
	struct emit_file *f;

	f = emit_file_add(out, 0600, "etc/netplan/90-pxebond-%s.yaml", m->name);
	emit_header(out, f, m);
	emit_printf(out, f, "network:\n  version: 2\n  ethernets:\n");
	if (m->mode == BOND_MODE_SINGLE) {
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "    %s:\n      match:\n        macaddress: \"%s\"\n",
			    scalar(m->name, q, sizeof(q)), mac);
		ip_config(out, f, m, "      ");
		return emit_out_status(out);
	}
	for (unsigned k = 0; k < m->n_members; k++) {
		snprintf(id, sizeof(id), "%s-member%u", m->name, k + 1);
		mac_to_str(mac, m->member[k].mac);
		emit_printf(out, f, "    %s:\n      match:\n        macaddress: \"%s\"\n",
			    scalar(id, q, sizeof(q)), mac);
	}
	emit_printf(out, f, "  bonds:\n    %s:\n      interfaces: [",
		    scalar(m->name, q, sizeof(q)));
	for (unsigned k = 0; k < m->n_members; k++) {
		snprintf(id, sizeof(id), "%s-member%u", m->name, k + 1);
		emit_printf(out, f, "%s%s", k ? ", " : "", scalar(id, q, sizeof(q)));
	}
	mac_to_str(mac, m->mac);
	emit_printf(out, f, "]\n      macaddress: \"%s\"\n", mac);
	/* In an initramfs (casper), as Ubuntu's own file: networkd must not drop the
	 * address of the path the root may be mounted over. */
	if (m->initrd)
		emit_printf(out, f, "      critical: true\n");
	ip_config(out, f, m, "      ");
	emit_printf(out, f, "      parameters:\n");
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		char v[32];

		if (!m->opts.set[i])
			continue;
		if (i == BOND_OPT_PRIMARY) {
			snprintf(id, sizeof(id), "%s-member%u", m->name, (unsigned)m->primary + 1);
			emit_printf(out, f, "        primary: %s\n", scalar(id, q, sizeof(q)));
			continue;
		}
		if (!keys[i].key) {
			emit_warn(out,
				  "netplan: %s has no bond parameter in netplan 0.106, left out",
				  bond_opt_defs[i].name);
			continue;
		}
		bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
		if (keys[i].unit == BOOL)
			snprintf(v, sizeof(v), "%s", m->opts.val[i] ? "true" : "false");
		emit_printf(out, f, "        %s: %s\n", keys[i].key, v);
	}
	/* netplan has no BindCarrier=; networkd reads drop-ins for the file netplan
	 * generates from any of its directories (NetworkManager ignores them). */
	if (emit_networkd_binds_carrier(m)) {
		f = emit_file_add(
		    out, 0644, "etc/systemd/network/10-netplan-%s.network.d/pxebond.conf", m->name);
		emit_printf(out, f,
			    "# Written by pxebond write: for systemd-networkd, on netplan's file\n"
			    "# for %s (/etc/netplan/90-pxebond-%s.yaml).\n[Network]\n",
			    m->name, m->name);
		emit_networkd_bind_carrier(out, f);
	}
	return emit_out_status(out);
}
