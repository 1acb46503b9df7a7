/* Bonding options by their iproute2/sysfs names (Documentation/networking/bonding.rst),
 * with the rtnetlink attribute each travels in (iproute2's ip/iplink_bond.c is the map).
 * Pure: the command line, /proc/cmdline and state files all parse through here. */
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bond_opts.h"
#include "ifname.h"

static const char *const modes[] = { "balance-rr", "active-backup", "balance-xor", "broadcast",
				     "802.3ad",	   "balance-tlb",   "balance-alb", NULL };
static const char *const arp_validate[] = { "none",   "active",	       "backup",	"all",
					    "filter", "filter_active", "filter_backup", NULL };
static const char *const arp_all_targets[] = { "any", "all", NULL };
static const char *const primary_reselect[] = { "always", "better", "failure", NULL };
static const char *const fail_over_mac[] = { "none", "active", "follow", NULL };
static const char *const xmit_hash[] = { "layer2",   "layer3+4",    "layer2+3", "encap2+3",
					 "encap3+4", "vlan+srcmac", NULL };
static const char *const lacp_rate[] = { "slow", "fast", NULL };
static const char *const off_on[] = { "off", "on", NULL };
static const char *const ad_select[] = { "stable", "bandwidth", "count", NULL };

#define U32MAX 0x7fffffffu /* the kernel takes these as int */

const struct bond_opt_def bond_opt_defs[_BOND_OPT_MAX] = {
	[BOND_OPT_MODE] = { "mode", IFLA_BOND_MODE, BOND_T_U8, 0, 6, modes },
	[BOND_OPT_MIIMON] = { "miimon", IFLA_BOND_MIIMON, BOND_T_U32, 0, U32MAX, NULL },
	[BOND_OPT_UPDELAY] = { "updelay", IFLA_BOND_UPDELAY, BOND_T_U32, 0, U32MAX, NULL },
	[BOND_OPT_DOWNDELAY] = { "downdelay", IFLA_BOND_DOWNDELAY, BOND_T_U32, 0, U32MAX, NULL },
	[BOND_OPT_PEER_NOTIF_DELAY] = { "peer_notif_delay", IFLA_BOND_PEER_NOTIF_DELAY, BOND_T_U32,
					0, U32MAX, NULL },
	[BOND_OPT_USE_CARRIER] = { "use_carrier", IFLA_BOND_USE_CARRIER, BOND_T_U8, 0, 1, NULL },
	[BOND_OPT_ARP_INTERVAL] = { "arp_interval", IFLA_BOND_ARP_INTERVAL, BOND_T_U32, 0, U32MAX,
				    NULL },
	[BOND_OPT_ARP_VALIDATE] = { "arp_validate", IFLA_BOND_ARP_VALIDATE, BOND_T_U32, 0, 6,
				    arp_validate },
	[BOND_OPT_ARP_ALL_TARGETS] = { "arp_all_targets", IFLA_BOND_ARP_ALL_TARGETS, BOND_T_U32, 0,
				       1, arp_all_targets },
	[BOND_OPT_PRIMARY] = { "primary", IFLA_BOND_PRIMARY, BOND_T_IFNAME, 0, 0, NULL },
	[BOND_OPT_PRIMARY_RESELECT] = { "primary_reselect", IFLA_BOND_PRIMARY_RESELECT, BOND_T_U8,
					0, 2, primary_reselect },
	[BOND_OPT_FAIL_OVER_MAC] = { "fail_over_mac", IFLA_BOND_FAIL_OVER_MAC, BOND_T_U8, 0, 2,
				     fail_over_mac },
	[BOND_OPT_XMIT_HASH_POLICY] = { "xmit_hash_policy", IFLA_BOND_XMIT_HASH_POLICY, BOND_T_U8,
					0, 5, xmit_hash },
	[BOND_OPT_RESEND_IGMP] = { "resend_igmp", IFLA_BOND_RESEND_IGMP, BOND_T_U32, 0, 255, NULL },
	[BOND_OPT_NUM_PEER_NOTIF] = { "num_grat_arp", IFLA_BOND_NUM_PEER_NOTIF, BOND_T_U8, 0, 255,
				      NULL },
	[BOND_OPT_ALL_SLAVES_ACTIVE] = { "all_slaves_active", IFLA_BOND_ALL_SLAVES_ACTIVE,
					 BOND_T_U8, 0, 1, NULL },
	[BOND_OPT_MIN_LINKS] = { "min_links", IFLA_BOND_MIN_LINKS, BOND_T_U32, 0, U32MAX, NULL },
	[BOND_OPT_LP_INTERVAL] = { "lp_interval", IFLA_BOND_LP_INTERVAL, BOND_T_U32, 1, U32MAX,
				   NULL },
	[BOND_OPT_PACKETS_PER_SLAVE] = { "packets_per_slave", IFLA_BOND_PACKETS_PER_SLAVE,
					 BOND_T_U32, 0, 65535, NULL },
	[BOND_OPT_LACP_RATE] = { "lacp_rate", IFLA_BOND_AD_LACP_RATE, BOND_T_U8, 0, 1, lacp_rate },
	[BOND_OPT_LACP_ACTIVE] = { "lacp_active", IFLA_BOND_AD_LACP_ACTIVE, BOND_T_U8, 0, 1,
				   off_on },
	[BOND_OPT_AD_SELECT] = { "ad_select", IFLA_BOND_AD_SELECT, BOND_T_U8, 0, 2, ad_select },
	[BOND_OPT_AD_ACTOR_SYS_PRIO] = { "ad_actor_sys_prio", IFLA_BOND_AD_ACTOR_SYS_PRIO,
					 BOND_T_U16, 1, 65535, NULL },
	[BOND_OPT_AD_USER_PORT_KEY] = { "ad_user_port_key", IFLA_BOND_AD_USER_PORT_KEY, BOND_T_U16,
					0, 1023, NULL },
	[BOND_OPT_AD_ACTOR_SYSTEM] = { "ad_actor_system", IFLA_BOND_AD_ACTOR_SYSTEM, BOND_T_MAC, 0,
				       0, NULL },
	[BOND_OPT_TLB_DYNAMIC_LB] = { "tlb_dynamic_lb", IFLA_BOND_TLB_DYNAMIC_LB, BOND_T_U8, 0, 1,
				      NULL },
	[BOND_OPT_MISSED_MAX] = { "missed_max", IFLA_BOND_MISSED_MAX, BOND_T_U8, 1, 255, NULL },
};

int bond_opt_lookup(const char *name)
{
	for (int i = 0; i < _BOND_OPT_MAX; i++)
		if (strcmp(bond_opt_defs[i].name, name) == 0)
			return i;
	/* Aliases other tools write. */
	if (strcmp(name, "num_unsol_na") == 0)
		return BOND_OPT_NUM_PEER_NOTIF;
	if (strcmp(name, "ad_lacp_rate") == 0)
		return BOND_OPT_LACP_RATE;
	return -1;
}

const char *bond_mode_name(uint32_t mode)
{
	return mode <= BOND_MODE_BALANCE_ALB ? modes[mode] : "unknown";
}

int bond_opts_set(struct bond_opts *opts, enum bond_opt o, uint32_t val)
{
	const struct bond_opt_def *d;

	if ((unsigned)o >= _BOND_OPT_MAX)
		return -EINVAL;
	d = &bond_opt_defs[o];
	if (d->type == BOND_T_MAC || d->type == BOND_T_IFNAME || val < d->min || val > d->max)
		return -EINVAL;
	opts->set[o] = true;
	opts->val[o] = val;
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

bool bond_opts_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	/* 802.1AX: a system id is an individual address; the kernel refuses multicast. */
	if (m[0] & 1)
		return false;
	memcpy(mac, m, 6);
	return true;
}

static void names_of(const char *const *v, char *out, size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; v[i] && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s",
				      i == 0	 ? ""
				      : v[i + 1] ? ", "
						 : " or ",
				      v[i]);
}

static int parse_one(struct bond_opts *opts, const char *key, const char *val, char *err,
		     size_t errlen)
{
	int o = bond_opt_lookup(key);
	const struct bond_opt_def *d;
	char *end, names[160];
	unsigned long v;

	if (o < 0) {
		snprintf(err, errlen, "unknown bond option '%.40s'", key);
		return -EINVAL;
	}
	d = &bond_opt_defs[o];
	if (d->type == BOND_T_MAC) {
		if (!bond_opts_parse_mac(val, opts->actor_system)) {
			snprintf(err, errlen, "%s: '%.40s' is not a unicast MAC address", d->name,
				 val);
			return -EINVAL;
		}
		opts->set[o] = true;
		return 0;
	}
	if (d->type == BOND_T_IFNAME) {
		if (!ifname_valid(val)) {
			snprintf(err, errlen, "%s: '%.40s' is not an interface name", d->name, val);
			return -EINVAL;
		}
		memcpy(opts->primary, val, strlen(val) + 1); /* ifname_valid bounded it */
		opts->set[o] = true;
		return 0;
	}
	for (int i = 0; d->values && d->values[i]; i++)
		if (strcmp(d->values[i], val) == 0)
			return bond_opts_set(opts, (enum bond_opt)o, (uint32_t)i);
	if (val[0] >= '0' && val[0] <= '9') {
		errno = 0;
		v = strtoul(val, &end, 10);
		if (!*end && !errno && v <= UINT32_MAX &&
		    bond_opts_set(opts, (enum bond_opt)o, (uint32_t)v) == 0)
			return 0;
	}
	if (d->values) {
		names_of(d->values, names, sizeof(names));
		snprintf(err, errlen, "%s: '%.40s' is not one of %s", d->name, val, names);
	} else {
		snprintf(err, errlen, "%s: '%.40s' is not a number from %u to %u", d->name, val,
			 d->min, d->max);
	}
	return -EINVAL;
}

int bond_opts_parse(struct bond_opts *opts, const char *text, char *err, size_t errlen)
{
	struct bond_opts tmp = *opts;
	const char *p = text;

	/* Parse into a copy: a bad option leaves *opts as it was. */
	while (*p) {
		char key[32], val[64];
		size_t kl, vl;
		const char *eq, *stop;
		int r;

		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		stop = p + strcspn(p, ", \t\n");
		eq = memchr(p, '=', (size_t)(stop - p));
		if (!eq) {
			snprintf(err, errlen, "'%.*s' is not KEY=VALUE",
				 (int)(stop - p > 40 ? 40 : stop - p), p);
			return -EINVAL;
		}
		kl = (size_t)(eq - p);
		vl = (size_t)(stop - eq - 1);
		if (kl == 0 || kl >= sizeof(key) || vl >= sizeof(val)) {
			snprintf(err, errlen, "'%.*s' is not KEY=VALUE",
				 (int)(stop - p > 40 ? 40 : stop - p), p);
			return -EINVAL;
		}
		memcpy(key, p, kl);
		key[kl] = '\0';
		memcpy(val, eq + 1, vl);
		val[vl] = '\0';
		r = parse_one(&tmp, key, val, err, errlen);
		if (r < 0)
			return r;
		p = stop;
	}
	*opts = tmp;
	return 0;
}

void bond_opts_value_str(const struct bond_opts *opts, enum bond_opt o, char *out, size_t cap)
{
	const struct bond_opt_def *d = &bond_opt_defs[o];
	const uint8_t *m = opts->actor_system;

	if (d->type == BOND_T_MAC)
		snprintf(out, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
			 m[5]);
	else if (d->type == BOND_T_IFNAME)
		snprintf(out, cap, "%s", opts->primary);
	else if (d->values)
		snprintf(out, cap, "%s", d->values[opts->val[o]]);
	else
		snprintf(out, cap, "%u", opts->val[o]);
}

void bond_opts_format(const struct bond_opts *opts, char sep, char *out, size_t cap)
{
	size_t o = 0;

	if (cap)
		out[0] = '\0';
	for (int i = 0; i < _BOND_OPT_MAX && o < cap; i++) {
		char v[32];

		if (!opts->set[i])
			continue;
		bond_opts_value_str(opts, (enum bond_opt)i, v, sizeof(v));
		o += (size_t)snprintf(out + o, cap - o, "%s%s=%s", o ? (char[]){ sep, 0 } : "",
				      bond_opt_defs[i].name, v);
	}
}
