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

/* THE mode enum: the kernel's bonding modes by their values (IFLA_BOND_MODE), then what
 * pxebond says besides: one NIC and no bond, nothing at all, and the two requests that
 * are not modes (decide from the probe; do nothing). One name table, bond_mode_names. */
enum bond_mode {
	BOND_MODE_BALANCE_RR,
	BOND_MODE_ACTIVE_BACKUP,
	BOND_MODE_BALANCE_XOR,
	BOND_MODE_BROADCAST,
	BOND_MODE_8023AD,
	BOND_MODE_BALANCE_TLB,
	BOND_MODE_BALANCE_ALB,
	BOND_MODE_SINGLE, /* one NIC carries the path, no bond */
	BOND_MODE_NONE,	  /* nothing: no NIC has carrier (plan), no path up (state) */
	BOND_MODE_AUTO,	  /* a request: decide from the probe */
	BOND_MODE_OFF,	  /* a request: leave the network alone */
	_BOND_MODE_MAX,
	_BOND_MODE_INVALID = -1,
};

#define BOND_MODE_BIT(m)  (1u << (m))
#define BOND_MODES_KERNEL (BOND_MODE_BIT(BOND_MODE_SINGLE) - 1u)
/* What each input takes. */
#define BOND_MODES_UP                                                                              \
	(BOND_MODE_BIT(BOND_MODE_AUTO) | BOND_MODE_BIT(BOND_MODE_8023AD) |                         \
	 BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) | BOND_MODE_BIT(BOND_MODE_SINGLE) |                \
	 BOND_MODE_BIT(BOND_MODE_OFF))
#define BOND_MODES_WRITTEN                                                                         \
	(BOND_MODE_BIT(BOND_MODE_8023AD) | BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) |                \
	 BOND_MODE_BIT(BOND_MODE_BALANCE_ALB) | BOND_MODE_BIT(BOND_MODE_SINGLE))
#define BOND_MODES_FINAL (BOND_MODES_WRITTEN | BOND_MODE_BIT(BOND_MODE_AUTO))
#define BOND_MODES_STATE                                                                           \
	(BOND_MODE_BIT(BOND_MODE_8023AD) | BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) |                \
	 BOND_MODE_BIT(BOND_MODE_SINGLE) | BOND_MODE_BIT(BOND_MODE_NONE))

/* "802.3ad", "single", "auto"...; "?" out of range. */
const char *bond_mode_to_string(enum bond_mode m);
/* The mode named s ("lacp" is 802.3ad too) if it is one of allowed (BOND_MODE_BIT
 * flags), else _BOND_MODE_INVALID. */
enum bond_mode bond_mode_from_string(const char *s, unsigned allowed);

enum bond_opt_type { BOND_T_U8, BOND_T_U16, BOND_T_U32, BOND_T_MAC, BOND_T_IFNAME };

struct bond_opt_def {
	const char *name; /* sysfs and iproute2 name */
	uint16_t attr;	  /* IFLA_BOND_* */
	enum bond_opt_type type;
	uint32_t min, max;
	const char *const *values; /* names by value (up to max); NULL: numbers only */
	unsigned modes;		   /* the kernel modes it applies to (BOND_MODE_BIT) */
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

/* Whether option o means anything in mode m (the kernel refuses some elsewhere, and
 * ignores the rest): the table's one answer, for `up`'s rungs and `write`'s files. */
bool bond_opt_applies(enum bond_opt o, enum bond_mode m);

/* pxebond's own options for a bond of mode m: mode, miimon 100; for 802.3ad also
 * lacp_rate fast and xmit_hash_policy layer3+4. The one place defaults live. */
void bond_opts_defaults(struct bond_opts *opts, enum bond_mode m);

/* Sets in `to` every option set in `from` (values, MAC and primary with them). */
void bond_opts_overlay(struct bond_opts *to, const struct bond_opts *from);

/* Clears what mode m does not take; mode itself is set to m. */
void bond_opts_for_mode(struct bond_opts *opts, enum bond_mode m);

#endif
