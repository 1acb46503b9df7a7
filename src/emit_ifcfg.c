/* RHEL/Fedora network-scripts: ifcfg-BOND (TYPE=Bond, BONDING_OPTS, MACADDR= the bond's
 * MAC) and one ifcfg per member with HWADDR=, MASTER=, SLAVE=yes and no DEVICE=, so that
 * both NetworkManager's ifcfg-rh and initscripts find the member by its MAC. Every value
 * is a whitelisted name, number or address; the files are sourced by shell. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

#define DIR "etc/sysconfig/network-scripts"

static void ip_config(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	if (m->mtu)
		emit_printf(out, f, "MTU=%u\n", m->mtu);
	if (m->dhcp) {
		emit_printf(out, f, "BOOTPROTO=dhcp\n");
		return;
	}
	emit_printf(out, f, "BOOTPROTO=none\nIPADDR=%s\nPREFIX=%u\n", m->address, m->prefix);
	if (m->gateway[0])
		emit_printf(out, f, "GATEWAY=%s\n", m->gateway);
	for (unsigned i = 0; i < m->n_dns; i++)
		emit_printf(out, f, "DNS%u=%s\n", i + 1, m->dns[i]);
	EMIT_JOIN(out, f, "DOMAIN=\"", m->search, m->n_search, " ", "\"\n");
}

int emit_ifcfg(const struct model *m, struct emit_out *out)
{
	char mac[MAC_STR_LEN];
	struct emit_file *f;
	bool first = true;

	if (m->mode == BOND_MODE_SINGLE) {
		f = emit_file_add(out, 0644, DIR "/ifcfg-%s", m->name);
		emit_header(out, f, m);
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "NAME=%s\nTYPE=Ethernet\nHWADDR=%s\n", m->name, mac);
		ip_config(out, f, m);
		emit_printf(out, f, "ONBOOT=yes\n");
		return emit_out_status(out);
	}

	f = emit_file_add(out, 0644, DIR "/ifcfg-%s", m->name);
	emit_header(out, f, m);
	emit_printf(out, f, "DEVICE=%s\nNAME=%s\nTYPE=Bond\nBONDING_MASTER=yes\nBONDING_OPTS=\"",
		    m->name, m->name);
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		char v[32];

		if (!m->opts.set[i])
			continue;
		if (emit_primary_left_out(out, m, (enum bond_opt)i, "ifcfg"))
			continue;
		bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
		emit_printf(out, f, "%s%s=%s", first ? "" : " ", emit_sysfs_name((enum bond_opt)i),
			    v);
		first = false;
	}
	mac_to_str(mac, m->mac);
	emit_printf(out, f, "\"\nMACADDR=%s\n", mac);
	ip_config(out, f, m);
	emit_printf(out, f, "ONBOOT=yes\n");

	for (unsigned k = 0; k < m->n_members; k++) {
		f = emit_file_add(out, 0644, DIR "/ifcfg-%s-member%u", m->name, k + 1);
		mac_to_str(mac, m->member[k].mac);
		emit_printf(
		    out, f,
		    "# Written by pxebond write: member %u of %s (%s in the installer).\n"
		    "# HWADDR is the permanent MAC to NetworkManager; old initscripts match "
		    "the current one,\n# which is the same until the bond is up.\n",
		    k + 1, m->name, emit_member_name(&m->member[k]));
		emit_printf(out, f,
			    "NAME=%s-member%u\nTYPE=Ethernet\nHWADDR=%s\nMASTER=%s\nSLAVE=yes\n"
			    "BOOTPROTO=none\nONBOOT=yes\n",
			    m->name, k + 1, mac, m->name);
	}
	return emit_out_status(out);
}
