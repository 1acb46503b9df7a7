/* Kickstart: one `network` line for a %pre that %includes it. Anaconda names the bond's
 * members as the installer sees them (--bondslaves takes names); --bindto=mac then binds
 * the installed profiles to the MACs. No --activate: the installer is already on this
 * path, and re-activating it would drop the install's own connection. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

static void netmask(unsigned prefix, char out[16])
{
	uint32_t m = prefix ? ~0u << (32 - prefix) : 0;

	snprintf(out, 16, "%u.%u.%u.%u", m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255);
}

static void ip_config(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	char mask[16];

	if (m->mtu)
		emit_printf(out, f, " --mtu=%u", m->mtu);
	if (m->dhcp) {
		emit_printf(out, f, " --bootproto=dhcp");
		return;
	}
	netmask(m->prefix, mask);
	emit_printf(out, f, " --bootproto=static --ip=%s --netmask=%s", m->address, mask);
	if (m->gateway[0])
		emit_printf(out, f, " --gateway=%s", m->gateway);
	EMIT_JOIN(out, f, " --nameserver=", m->dns, m->n_dns, ",", "");
	if (m->n_search)
		emit_warn(out, "kickstart: the DNS search domains are left out (only newer "
			       "anaconda has --ipv4-dns-search)");
}

int emit_kickstart(const struct model *m, struct emit_out *out)
{
	struct emit_file *f = emit_file_add(out, 0644, "pxebond-network.ks");
	char mac[MAC_STR_LEN], v[32], sep = ',';
	bool first = true;

	emit_header(out, f, m);
	if (m->mode == BOND_MODE_SINGLE) {
		/* --device takes a MAC: no name needed */
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "network --device=%s", mac);
		ip_config(out, f, m);
		emit_printf(out, f, " --onboot=yes --bindto=mac\n");
		return emit_out_status(out);
	}
	for (unsigned k = 0; k < m->n_members; k++)
		if (!m->member[k].name[0]) {
			mac_to_str(mac, m->member[k].mac);
			return emit_fail(out,
					 "kickstart: member %s has no name pxebond can write, and "
					 "--bondslaves takes names",
					 mac);
		}
	emit_printf(out, f,
		    "# --bondslaves names the members as the installer does; --bindto=mac binds "
		    "the\n# installed profiles to their MACs.\n");
	/* Options are comma-separated, or ';'-separated when a value holds a comma. */
	for (int i = 0; i < _BOND_OPT_MAX; i++)
		if (m->opts.set[i]) {
			bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
			if (strchr(v, ','))
				sep = ';';
		}
	emit_printf(out, f, "network --device=%s --bondslaves=", m->name);
	for (unsigned k = 0; k < m->n_members; k++)
		emit_printf(out, f, "%s%s", k ? "," : "", m->member[k].name);
	emit_printf(out, f, " --bondopts=");
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		if (!m->opts.set[i])
			continue;
		bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
		emit_printf(out, f, "%s%s=%s", first ? "" : (char[]){ sep, 0 },
			    emit_sysfs_name((enum bond_opt)i), v);
		first = false;
	}
	ip_config(out, f, m);
	emit_printf(out, f, " --onboot=yes --bindto=mac\n");
	mac_to_str(mac, m->mac);
	emit_warn(out,
		  "kickstart: names the members as the installer did (%s%s); the network command "
		  "cannot set the bond's MAC, so it takes a member's, not necessarily %s",
		  m->member[0].name, m->n_members > 1 ? ", ..." : "", mac);
	return emit_out_status(out);
}
