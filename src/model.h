/* The one intermediate model every emitter reads: the bond that worked (members by
 * permanent MAC, mode, options, its MAC) and the IP config, built from `up`'s typed
 * state or a fresh probe under the --final-mode policy. Pure. */
#ifndef PXEBOND_MODEL_H
#define PXEBOND_MODEL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bond_opts.h"
#include "plan.h"
#include "probe.h"
#include "state.h"

#define MODEL_MAX_MEMBERS PROBE_MAX_NICS
#define MODEL_MAX_DNS	  3 /* what resolv.conf and glibc use */
#define MODEL_MAX_SEARCH  6
#define MODEL_DOMAIN_MAX  254 /* 253 characters and the NUL */

struct model_member {
	char name[IF_NAMESIZE]; /* the installer kernel's name; empty if unknown or unsafe */
	uint8_t mac[6];		/* permanent */
};

struct model {
	/* The bond's name; for a single NIC, its installer name (or "nic0" when that is
	 * unknown): what files are named after. Always config-safe (names_ifname_safe). */
	char name[IF_NAMESIZE];
	enum bond_mode mode;   /* one of BOND_MODES_WRITTEN */
	struct bond_opts opts; /* as written: mode set, options the mode takes */
	int primary;	       /* index into member[] of opts.primary; -1: none */
	bool primary_asked;    /* the user asked for it (--bond-opts), not `up` */
	uint8_t mac[6];	       /* the bond's MAC, written explicitly */
	unsigned n_members;
	struct model_member member[MODEL_MAX_MEMBERS];
	bool lacp_seen; /* an LACP partner answered on these ports */
	/* For the initramfs' own stack, which takes over the bond as it runs: described as
	 * NetworkManager describes a running bond (no MAC to set, no option at the
	 * kernel's default), so that it adopts it rather than rebuilding it. */
	bool initrd;

	bool dhcp;    /* else static: */
	unsigned mtu; /* the lease's; 0: none (DHCP brings its own) */
	char address[16];
	unsigned prefix;
	char gateway[16]; /* empty: none */
	unsigned n_dns;
	char dns[MODEL_MAX_DNS][16];
	unsigned n_search;
	char search[MODEL_MAX_SEARCH][MODEL_DOMAIN_MAX];
};

/* What --final-mode, --static, --bond and --bond-opts ask for. */
struct write_policy {
	enum bond_mode final;	/* BOND_MODES_FINAL: auto, or the mode for ports without LACP */
	bool is_static;		/* keep the leased address as static config */
	char bond[IF_NAMESIZE]; /* empty: the state's, or bond0 */
	struct bond_opts opts;	/* overrides; set[] marks what was given */
	bool initrd;		/* for the initramfs' own stack, which takes over up's bond:
				 * up's mode and LACP identity exactly, no final-mode policy */
	bool no_bond;		/* the target cannot make a bond (write --without): the
				 * active NIC alone */
};

/* From `up`'s state (state_read has checked every value against its type). Returns 0
 * with warnings in err ('\n'-separated, possibly none), or -EINVAL with one line in err
 * when there is nothing sound to write. */
int model_from_state(const struct state *st, const struct write_policy *pol, struct model *ret,
		     char *err, size_t errlen);

/* The same from a fresh probe and its decision (no lease: DHCP only). */
int model_from_probe(const struct probe_result *res, const struct plan *pl,
		     const struct write_policy *pol, struct model *ret, char *err, size_t errlen);

#endif
