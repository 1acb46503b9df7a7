/* systemd-networkd: BOND.netdev ([Bond] in networkd's own key names, the bond's MAC),
 * one .network per member matched by PermanentMACAddress= (never MACAddress=: the bond
 * lends a member's MAC to the others), and BOND.network with the IP config. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

#define DIR "etc/systemd/network"

enum unit { PLAIN, MS, SECONDS, BOOL };

/* systemd.netdev(5) of systemd 252, [Bond]; NULL: networkd has no key for it. */
static const struct {
	const char *key;
	enum unit unit;
} keys[_BOND_OPT_MAX] = {
	[BOND_OPT_MODE] = { "Mode", PLAIN },
	[BOND_OPT_XMIT_HASH_POLICY] = { "TransmitHashPolicy", PLAIN },
	[BOND_OPT_LACP_RATE] = { "LACPTransmitRate", PLAIN },
	[BOND_OPT_MIIMON] = { "MIIMonitorSec", MS },
	[BOND_OPT_UPDELAY] = { "UpDelaySec", MS },
	[BOND_OPT_DOWNDELAY] = { "DownDelaySec", MS },
	[BOND_OPT_LP_INTERVAL] = { "LearnPacketIntervalSec", SECONDS },
	[BOND_OPT_AD_SELECT] = { "AdSelect", PLAIN },
	[BOND_OPT_AD_ACTOR_SYS_PRIO] = { "AdActorSystemPriority", PLAIN },
	[BOND_OPT_AD_USER_PORT_KEY] = { "AdUserPortKey", PLAIN },
	[BOND_OPT_AD_ACTOR_SYSTEM] = { "AdActorSystem", PLAIN },
	[BOND_OPT_FAIL_OVER_MAC] = { "FailOverMACPolicy", PLAIN },
	[BOND_OPT_ARP_VALIDATE] = { "ARPValidate", PLAIN },
	[BOND_OPT_ARP_INTERVAL] = { "ARPIntervalSec", MS },
	[BOND_OPT_ARP_ALL_TARGETS] = { "ARPAllTargets", PLAIN },
	[BOND_OPT_PRIMARY_RESELECT] = { "PrimaryReselectPolicy", PLAIN },
	[BOND_OPT_RESEND_IGMP] = { "ResendIGMP", PLAIN },
	[BOND_OPT_PACKETS_PER_SLAVE] = { "PacketsPerSlave", PLAIN },
	[BOND_OPT_NUM_PEER_NOTIF] = { "GratuitousARP", PLAIN },
	[BOND_OPT_ALL_SLAVES_ACTIVE] = { "AllSlavesActive", BOOL },
	[BOND_OPT_TLB_DYNAMIC_LB] = { "DynamicTransmitLoadBalancing", BOOL },
	[BOND_OPT_MIN_LINKS] = { "MinLinks", PLAIN },
};

static void ip_config(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	if (m->mtu)
		emit_printf(out, f, "\n[Link]\nMTUBytes=%u\n", m->mtu);
	emit_printf(out, f, "\n[Network]\n");
	if (m->dhcp) {
		emit_printf(out, f, "DHCP=yes\n");
		return;
	}
	emit_printf(out, f, "Address=%s/%u\n", m->address, m->prefix);
	if (m->gateway[0])
		emit_printf(out, f, "Gateway=%s\n", m->gateway);
	EMIT_JOIN(out, f, "DNS=", m->dns, m->n_dns, "\nDNS=", "\n");
	EMIT_JOIN(out, f, "Domains=", m->search, m->n_search, " ", "\n");
}

static void bond_section(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	emit_printf(out, f, "\n[Bond]\n");
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		char v[32];

		if (!m->opts.set[i] || i == BOND_OPT_PRIMARY) /* PrimarySlave= on the member */
			continue;
		if (!keys[i].key) {
			emit_warn(out, "networkd: %s has no [Bond] key in systemd 252, left out",
				  bond_opt_defs[i].name);
			continue;
		}
		bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
		switch (keys[i].unit) {
		case MS:
			emit_printf(out, f, "%s=%sms\n", keys[i].key, v);
			break;
		case SECONDS:
			emit_printf(out, f, "%s=%ss\n", keys[i].key, v);
			break;
		case BOOL:
			emit_printf(out, f, "%s=%s\n", keys[i].key, m->opts.val[i] ? "yes" : "no");
			break;
		case PLAIN:
			emit_printf(out, f, "%s=%s\n", keys[i].key, v);
			break;
		}
	}
}

bool emit_networkd_binds_carrier(const struct model *m)
{
	return m->mode == BOND_MODE_8023AD && !m->initrd;
}

/* BindCarrier= takes fnmatch patterns, and these four match every name but "lo": the
 * members start down, so the first link to get carrier is a member networkd has just
 * enslaved (and opened), and another NIC that comes up first only brings back today's
 * wait. lo has carrier from the start and would bring the bond up at once. */
void emit_networkd_bind_carrier(struct emit_out *out, struct emit_file *f)
{
	emit_printf(out, f,
		    "# Up once a link other than lo has carrier (these patterns match every name\n"
		    "# but lo): after networkd has enslaved a member, not before, which spares\n"
		    "# Linux's 8 s 802.3ad aggregator-selection timer (armed when a first member\n"
		    "# joins a bond that is already up).\n"
		    "BindCarrier=[!l]* l[!o]* lo?* l\n");
}

int emit_networkd(const struct model *m, struct emit_out *out)
{
	char mac[MAC_STR_LEN];
	struct emit_file *f;

	if (m->mode == BOND_MODE_SINGLE) {
		f = emit_file_add(out, 0644, DIR "/10-pxebond-%s.network", m->name);
		emit_header(out, f, m);
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "[Match]\nPermanentMACAddress=%s\n", mac);
		ip_config(out, f, m);
		return emit_out_status(out);
	}

	f = emit_file_add(out, 0644, DIR "/10-pxebond-%s.netdev", m->name);
	emit_header(out, f, m);
	mac_to_str(mac, m->mac);
	/* Set, or MACAddressPolicy=persistent gives the bond a generated MAC and DHCP
	 * reservations and switch tables break (systemd#15208). */
	emit_printf(out, f, "[NetDev]\nName=%s\nKind=bond\nMACAddress=%s\n", m->name, mac);
	bond_section(out, f, m);

	for (unsigned k = 0; k < m->n_members; k++) {
		f = emit_file_add(out, 0644, DIR "/10-pxebond-%s-member%u.network", m->name, k + 1);
		mac_to_str(mac, m->member[k].mac);
		emit_printf(out, f,
			    "# Written by pxebond write: member %u of %s (%s in the installer).\n",
			    k + 1, m->name, emit_member_name(&m->member[k]));
		emit_printf(out, f, "[Match]\nPermanentMACAddress=%s\n\n[Network]\nBond=%s\n", mac,
			    m->name);
		if ((int)k == m->primary)
			emit_printf(out, f, "PrimarySlave=true\n");
	}

	f = emit_file_add(out, 0644, DIR "/10-pxebond-%s.network", m->name);
	emit_printf(out, f, "# Written by pxebond write: the address of %s.\n", m->name);
	emit_printf(out, f, "[Match]\nName=%s\n", m->name);
	ip_config(out, f, m);
	if (emit_networkd_binds_carrier(m))
		emit_networkd_bind_carrier(out, f);
	return emit_out_status(out);
}
