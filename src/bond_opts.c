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
#include "mac.h"

/* THE mode names: the kernel's (by value) and pxebond's own after them. */
static const char *const modes[_BOND_MODE_MAX] = {
	[BOND_MODE_BALANCE_RR] = "balance-rr",
	[BOND_MODE_ACTIVE_BACKUP] = "active-backup",
	[BOND_MODE_BALANCE_XOR] = "balance-xor",
	[BOND_MODE_BROADCAST] = "broadcast",
	[BOND_MODE_8023AD] = "802.3ad",
	[BOND_MODE_BALANCE_TLB] = "balance-tlb",
	[BOND_MODE_BALANCE_ALB] = "balance-alb",
	[BOND_MODE_SINGLE] = "single",
	[BOND_MODE_NONE] = "none",
	[BOND_MODE_AUTO] = "auto",
	[BOND_MODE_OFF] = "off",
};
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
#define M(m)   BOND_MODE_BIT(BOND_MODE_##m)
#define ALL    BOND_MODES_KERNEL
/* The ARP monitor: the kernel refuses it in 802.3ad, balance-tlb and balance-alb. */
#define ARP (M(BALANCE_RR) | M(ACTIVE_BACKUP) | M(BALANCE_XOR) | M(BROADCAST))

const struct bond_opt_def bond_opt_defs[_BOND_OPT_MAX] = {
	[BOND_OPT_MODE] = { "mode", IFLA_BOND_MODE, BOND_T_U8, 0, 6, modes, ALL },
	[BOND_OPT_MIIMON] = { "miimon", IFLA_BOND_MIIMON, BOND_T_U32, 0, U32MAX, NULL, ALL },
	[BOND_OPT_UPDELAY] = { "updelay", IFLA_BOND_UPDELAY, BOND_T_U32, 0, U32MAX, NULL, ALL },
	[BOND_OPT_DOWNDELAY] = { "downdelay", IFLA_BOND_DOWNDELAY, BOND_T_U32, 0, U32MAX, NULL,
				 ALL },
	[BOND_OPT_PEER_NOTIF_DELAY] = { "peer_notif_delay", IFLA_BOND_PEER_NOTIF_DELAY, BOND_T_U32,
					0, U32MAX, NULL, ALL },
	[BOND_OPT_USE_CARRIER] = { "use_carrier", IFLA_BOND_USE_CARRIER, BOND_T_U8, 0, 1, NULL,
				   ALL },
	[BOND_OPT_ARP_INTERVAL] = { "arp_interval", IFLA_BOND_ARP_INTERVAL, BOND_T_U32, 0, U32MAX,
				    NULL, ARP },
	[BOND_OPT_ARP_VALIDATE] = { "arp_validate", IFLA_BOND_ARP_VALIDATE, BOND_T_U32, 0, 6,
				    arp_validate, ARP },
	[BOND_OPT_ARP_ALL_TARGETS] = { "arp_all_targets", IFLA_BOND_ARP_ALL_TARGETS, BOND_T_U32, 0,
				       1, arp_all_targets, ARP },
	[BOND_OPT_PRIMARY] = { "primary", IFLA_BOND_PRIMARY, BOND_T_IFNAME, 0, 0, NULL,
			       M(ACTIVE_BACKUP) | M(BALANCE_TLB) | M(BALANCE_ALB) },
	[BOND_OPT_PRIMARY_RESELECT] = { "primary_reselect", IFLA_BOND_PRIMARY_RESELECT, BOND_T_U8,
					0, 2, primary_reselect,
					M(ACTIVE_BACKUP) | M(BALANCE_TLB) | M(BALANCE_ALB) },
	[BOND_OPT_FAIL_OVER_MAC] = { "fail_over_mac", IFLA_BOND_FAIL_OVER_MAC, BOND_T_U8, 0, 2,
				     fail_over_mac, M(ACTIVE_BACKUP) },
	[BOND_OPT_XMIT_HASH_POLICY] = { "xmit_hash_policy", IFLA_BOND_XMIT_HASH_POLICY, BOND_T_U8,
					0, 5, xmit_hash,
					M(BALANCE_XOR) | M(8023AD) | M(BALANCE_TLB) },
	[BOND_OPT_RESEND_IGMP] = { "resend_igmp", IFLA_BOND_RESEND_IGMP, BOND_T_U32, 0, 255, NULL,
				   ALL },
	[BOND_OPT_NUM_PEER_NOTIF] = { "num_grat_arp", IFLA_BOND_NUM_PEER_NOTIF, BOND_T_U8, 0, 255,
				      NULL, ALL },
	[BOND_OPT_ALL_SLAVES_ACTIVE] = { "all_slaves_active", IFLA_BOND_ALL_SLAVES_ACTIVE,
					 BOND_T_U8, 0, 1, NULL, ALL },
	[BOND_OPT_MIN_LINKS] = { "min_links", IFLA_BOND_MIN_LINKS, BOND_T_U32, 0, U32MAX, NULL,
				 M(8023AD) },
	[BOND_OPT_LP_INTERVAL] = { "lp_interval", IFLA_BOND_LP_INTERVAL, BOND_T_U32, 1, U32MAX,
				   NULL, M(BALANCE_TLB) | M(BALANCE_ALB) },
	[BOND_OPT_PACKETS_PER_SLAVE] = { "packets_per_slave", IFLA_BOND_PACKETS_PER_SLAVE,
					 BOND_T_U32, 0, 65535, NULL, M(BALANCE_RR) },
	[BOND_OPT_LACP_RATE] = { "lacp_rate", IFLA_BOND_AD_LACP_RATE, BOND_T_U8, 0, 1, lacp_rate,
				 M(8023AD) },
	[BOND_OPT_LACP_ACTIVE] = { "lacp_active", IFLA_BOND_AD_LACP_ACTIVE, BOND_T_U8, 0, 1, off_on,
				   M(8023AD) },
	[BOND_OPT_AD_SELECT] = { "ad_select", IFLA_BOND_AD_SELECT, BOND_T_U8, 0, 2, ad_select,
				 M(8023AD) },
	[BOND_OPT_AD_ACTOR_SYS_PRIO] = { "ad_actor_sys_prio", IFLA_BOND_AD_ACTOR_SYS_PRIO,
					 BOND_T_U16, 1, 65535, NULL, M(8023AD) },
	[BOND_OPT_AD_USER_PORT_KEY] = { "ad_user_port_key", IFLA_BOND_AD_USER_PORT_KEY, BOND_T_U16,
					0, 1023, NULL, M(8023AD) },
	[BOND_OPT_AD_ACTOR_SYSTEM] = { "ad_actor_system", IFLA_BOND_AD_ACTOR_SYSTEM, BOND_T_MAC, 0,
				       0, NULL, M(8023AD) },
	[BOND_OPT_TLB_DYNAMIC_LB] = { "tlb_dynamic_lb", IFLA_BOND_TLB_DYNAMIC_LB, BOND_T_U8, 0, 1,
				      NULL, M(BALANCE_TLB) | M(BALANCE_ALB) },
	[BOND_OPT_MISSED_MAX] = { "missed_max", IFLA_BOND_MISSED_MAX, BOND_T_U8, 1, 255, NULL,
				  ARP },
};

/* "a, b or c": the first n names of v (fewer if a NULL comes first). */
static void names_of(const char *const *v, unsigned n, char *out, size_t cap)
{
	size_t o = 0;
	unsigned k = 0;

	while (k < n && v[k])
		k++;
	out[0] = '\0';
	for (unsigned i = 0; i < k && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s",
				      i == 0	  ? ""
				      : i + 1 < k ? ", "
						  : " or ",
				      v[i]);
}

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

const char *bond_mode_to_string(enum bond_mode m)
{
	return (unsigned)m < _BOND_MODE_MAX ? modes[m] : "?";
}

enum bond_mode bond_mode_from_string(const char *s, unsigned allowed)
{
	if (!strcmp(s, "lacp"))
		s = modes[BOND_MODE_8023AD];
	for (int m = 0; m < _BOND_MODE_MAX; m++)
		if ((allowed & BOND_MODE_BIT(m)) && !strcmp(s, modes[m]))
			return (enum bond_mode)m;
	return _BOND_MODE_INVALID;
}

bool bond_opt_applies(enum bond_opt o, enum bond_mode m)
{
	return (unsigned)o < _BOND_OPT_MAX && (unsigned)m < _BOND_MODE_MAX &&
	       (bond_opt_defs[o].modes & BOND_MODE_BIT(m));
}

void bond_opts_defaults(struct bond_opts *opts, enum bond_mode m)
{
	memset(opts, 0, sizeof(*opts));
	bond_opts_set(opts, BOND_OPT_MODE, (uint32_t)m);
	bond_opts_set(opts, BOND_OPT_MIIMON, 100);
	if (m == BOND_MODE_8023AD) {
		bond_opts_set(opts, BOND_OPT_LACP_RATE, 1);	   /* fast */
		bond_opts_set(opts, BOND_OPT_XMIT_HASH_POLICY, 1); /* layer3+4 */
	}
}

void bond_opts_overlay(struct bond_opts *to, const struct bond_opts *from)
{
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		if (!from->set[i])
			continue;
		to->set[i] = true;
		to->val[i] = from->val[i];
		if (i == BOND_OPT_AD_ACTOR_SYSTEM)
			memcpy(to->actor_system, from->actor_system, 6);
		if (i == BOND_OPT_PRIMARY)
			memcpy(to->primary, from->primary, sizeof(to->primary));
	}
}

void bond_opts_for_mode(struct bond_opts *opts, enum bond_mode m)
{
	for (int i = 0; i < _BOND_OPT_MAX; i++)
		if (!bond_opt_applies((enum bond_opt)i, m))
			opts->set[i] = false;
	bond_opts_set(opts, BOND_OPT_MODE, (uint32_t)m);
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
		if (!mac_parse_unicast(val, opts->actor_system)) {
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
	for (uint32_t i = 0; d->values && i <= d->max && d->values[i]; i++)
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
		names_of(d->values, d->max + 1, names, sizeof(names));
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
