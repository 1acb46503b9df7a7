/* NetworkManager keyfiles (nm-settings-keyfile(5)), 0600 under
 * etc/NetworkManager/system-connections/: the bond profile with its MAC as
 * [ethernet] cloned-mac-address=, and one ethernet profile per member bound to its
 * permanent MAC by [ethernet] mac-address=, with master=/slave-type= (read by every
 * version; controller=/port-type= only by 1.46 and later). Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

#define DIR "etc/NetworkManager/system-connections"

/* NetworkManager 1.42 (Debian 12) knows every option but these. */
static bool nm_knows(enum bond_opt o)
{
	return o != BOND_OPT_LACP_ACTIVE && o != BOND_OPT_MISSED_MAX;
}

static void ipv4(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	emit_printf(out, f, "\n[ipv4]\n");
	if (m->dhcp) {
		emit_printf(out, f, "method=auto\n");
		return;
	}
	emit_printf(out, f, "method=manual\naddress1=%s/%u\n", m->address, m->prefix);
	if (m->gateway[0])
		emit_printf(out, f, "gateway=%s\n", m->gateway);
	EMIT_JOIN(out, f, "dns=", m->dns, m->n_dns, ";", ";\n");
	EMIT_JOIN(out, f, "dns-search=", m->search, m->n_search, ";", ";\n");
}

/* In [ethernet]: a bond profile's MTU is the bond's, which the kernel gives its ports. */
static void mtu(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	if (m->mtu)
		emit_printf(out, f, "mtu=%u\n", m->mtu);
}

static void connection(struct emit_out *out, struct emit_file *f, const char *id,
		       const uint8_t mac[6], const char *type)
{
	char seed[64], uuid[EMIT_UUID_LEN], m[MAC_STR_LEN];

	mac_to_str(m, mac);
	snprintf(seed, sizeof(seed), "pxebond:nm:%s:%s", id, m);
	emit_uuid(uuid, seed);
	emit_printf(out, f, "[connection]\nid=%s\nuuid=%s\ntype=%s\n", id, uuid, type);
}

int emit_nm(const struct model *m, struct emit_out *out)
{
	char mac[MAC_STR_LEN], id[IF_NAMESIZE + 24];
	struct emit_file *f;

	if (m->mode == BOND_MODE_SINGLE) {
		f = emit_file_add(out, 0600, DIR "/%s.nmconnection", m->name);
		emit_header(out, f, m);
		connection(out, f, m->name, m->member[0].mac, "ethernet");
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "\n[ethernet]\nmac-address=%s\n", mac);
		mtu(out, f, m);
		ipv4(out, f, m);
		return emit_out_status(out);
	}

	f = emit_file_add(out, 0600, DIR "/%s.nmconnection", m->name);
	emit_header(out, f, m);
	connection(out, f, m->name, m->mac, "bond");
	mac_to_str(mac, m->mac);
	emit_printf(out, f, "interface-name=%s\n", m->name);
	/* A running bond's MAC is no setting NetworkManager infers: with one, the profile
	 * would not match the bond, and NetworkManager would leave it as "external". */
	if (!m->initrd || m->mtu)
		emit_printf(out, f, "\n[ethernet]\n");
	if (!m->initrd)
		emit_printf(out, f, "cloned-mac-address=%s\n", mac);
	mtu(out, f, m);
	emit_printf(out, f, "\n[bond]\n");
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		char v[32];

		if (!m->opts.set[i])
			continue;
		if (emit_primary_left_out(out, m, (enum bond_opt)i, "nm"))
			continue;
		if (!nm_knows((enum bond_opt)i)) {
			emit_warn(out, "nm: NetworkManager 1.42 has no bond option %s, left out",
				  bond_opt_defs[i].name);
			continue;
		}
		bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
		emit_printf(out, f, "%s=%s\n", emit_sysfs_name((enum bond_opt)i), v);
	}
	ipv4(out, f, m);

	for (unsigned k = 0; k < m->n_members; k++) {
		snprintf(id, sizeof(id), "%s-member%u", m->name, k + 1);
		f = emit_file_add(out, 0600, DIR "/%s.nmconnection", id);
		emit_printf(out, f,
			    "# Written by pxebond write: member %u of %s (%s in the installer).\n",
			    k + 1, m->name, emit_member_name(&m->member[k]));
		connection(out, f, id, m->member[k].mac, "ethernet");
		mac_to_str(mac, m->member[k].mac);
		emit_printf(out, f, "master=%s\nslave-type=bond\n\n[ethernet]\nmac-address=%s\n",
			    m->name, mac);
	}
	return emit_out_status(out);
}
