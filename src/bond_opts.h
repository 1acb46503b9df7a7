/* Bonding options by their iproute2/sysfs names: the table that maps each to its
 * rtnetlink attribute and values, and the "k=v,k=v" parser every input shares. Pure. */
#ifndef PXEBOND_BOND_OPTS_H
#define PXEBOND_BOND_OPTS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bond_opt {
	BOND_OPT_MODE,
	BOND_OPT_MIIMON,
	BOND_OPT_UPDELAY,
	BOND_OPT_DOWNDELAY,
	BOND_OPT_PEER_NOTIF_DELAY,
	BOND_OPT_USE_CARRIER,
	BOND_OPT_ARP_INTERVAL,
	BOND_OPT_ARP_VALIDATE,
	BOND_OPT_ARP_ALL_TARGETS,
	BOND_OPT_PRIMARY,
	BOND_OPT_PRIMARY_RESELECT,
	BOND_OPT_FAIL_OVER_MAC,
	BOND_OPT_XMIT_HASH_POLICY,
	BOND_OPT_RESEND_IGMP,
	BOND_OPT_NUM_PEER_NOTIF,
	BOND_OPT_ALL_SLAVES_ACTIVE,
	BOND_OPT_MIN_LINKS,
	BOND_OPT_LP_INTERVAL,
	BOND_OPT_PACKETS_PER_SLAVE,
	BOND_OPT_LACP_RATE,
	BOND_OPT_LACP_ACTIVE,
	BOND_OPT_AD_SELECT,
	BOND_OPT_AD_ACTOR_SYS_PRIO,
	BOND_OPT_AD_USER_PORT_KEY,
	BOND_OPT_AD_ACTOR_SYSTEM,
	BOND_OPT_TLB_DYNAMIC_LB,
	BOND_OPT_MISSED_MAX,
	_BOND_OPT_MAX,
};

enum bond_mode {
	BOND_MODE_BALANCE_RR,
	BOND_MODE_ACTIVE_BACKUP,
	BOND_MODE_BALANCE_XOR,
	BOND_MODE_BROADCAST,
	BOND_MODE_8023AD,
	BOND_MODE_BALANCE_TLB,
	BOND_MODE_BALANCE_ALB,
};

enum bond_opt_type { BOND_T_U8, BOND_T_U16, BOND_T_U32, BOND_T_MAC, BOND_T_IFNAME };

struct bond_opt_def {
	const char *name; /* sysfs and iproute2 name */
	uint16_t attr;	  /* IFLA_BOND_* */
	enum bond_opt_type type;
	uint32_t min, max;
	const char *const *values; /* names by value, NULL-ended; NULL: numbers only */
};

extern const struct bond_opt_def bond_opt_defs[_BOND_OPT_MAX];

struct bond_opts {
	bool set[_BOND_OPT_MAX];
	uint32_t val[_BOND_OPT_MAX];
	uint8_t actor_system[6];   /* ad_actor_system */
	char primary[IF_NAMESIZE]; /* primary: resolved to an ifindex when applied */
};

/* Parses "k=v,k=v" (commas or white space between options; values by name or number)
 * into *opts, on top of what it holds. On error returns -EINVAL and writes one line
 * into err ("unknown bond option 'x'", "lacp_rate: 'sometimes' is not slow or fast"). */
int bond_opts_parse(struct bond_opts *opts, const char *text, char *err, size_t errlen);

int bond_opts_set(struct bond_opts *opts, enum bond_opt o, uint32_t val);

/* The value of a set option in its canonical text ("802.3ad", "100", "fast"). */
void bond_opts_value_str(const struct bond_opts *opts, enum bond_opt o, char *out, size_t cap);

/* All set options as "k=v" joined by sep, mode first. */
void bond_opts_format(const struct bond_opts *opts, char sep, char *out, size_t cap);

int bond_opt_lookup(const char *name);
const char *bond_mode_name(uint32_t mode);

/* "aa:bb:cc:dd:ee:ff" (either case) into mac; false (mac untouched) unless exactly that
 * and unicast. */
bool bond_opts_parse_mac(const char *s, uint8_t mac[6]);

#endif
