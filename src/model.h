/* The one intermediate model every emitter reads: the bond that worked (members by
 * permanent MAC, mode, options, its MAC) and the IP config, built from `up`'s state
 * file or a fresh probe under the --final-mode policy. Pure. */
#ifndef PXEBOND_MODEL_H
#define PXEBOND_MODEL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bond_opts.h"
#include "plan.h"
#include "probe.h"

#define MODEL_MAX_MEMBERS PROBE_MAX_NICS
#define MODEL_MAX_DNS	  3 /* what resolv.conf and glibc use */
#define MODEL_MAX_SEARCH  6
#define MODEL_DOMAIN_MAX  254 /* 253 characters and the NUL */

enum model_mode { MODEL_8023AD, MODEL_ACTIVE_BACKUP, MODEL_BALANCE_ALB, MODEL_SINGLE };

struct model_member {
	char name[IF_NAMESIZE]; /* the installer kernel's name; empty if unknown or unsafe */
	uint8_t mac[6];		/* permanent */
};

struct model {
	/* The bond's name; for a single NIC, its installer name (or "nic0" when that is
	 * unknown): what files are named after. Always config-safe (model_name_safe). */
	char name[IF_NAMESIZE];
	enum model_mode mode;
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

	bool dhcp; /* else static: */
	char address[16];
	unsigned prefix;
	char gateway[16]; /* empty: none */
	unsigned n_dns;
	char dns[MODEL_MAX_DNS][16];
	unsigned n_search;
	char search[MODEL_MAX_SEARCH][MODEL_DOMAIN_MAX];
};

/* What --final-mode, --static, --bond and --bond-opts ask for. */
enum model_final { MODEL_FINAL_AUTO = -1 }; /* or an enum model_mode */

struct write_policy {
	int final;		/* MODEL_FINAL_AUTO or an enum model_mode */
	bool is_static;		/* keep the leased address as static config */
	char bond[IF_NAMESIZE]; /* empty: the state's, or bond0 */
	struct bond_opts opts;	/* overrides; set[] marks what was given */
	bool initrd;		/* for the initramfs' own stack, which takes over up's bond:
				 * up's mode and LACP identity exactly, no final-mode policy */
};

/* From the text of `up`'s state file (state_format_sh). Every value is checked against
 * a whitelist (dotted quads, prefix 0-32, unicast MACs, config-safe names, domain
 * names); what fails is dropped and said in a warning, never written. Returns 0 with
 * warnings in err ('\n'-separated, possibly none), or -EINVAL with one line in err when
 * there is nothing sound to write. */
int model_from_state(const char *state_text, const struct write_policy *pol, struct model *ret,
		     char *err, size_t errlen);

/* The same from a fresh probe and its decision (no lease: DHCP only). */
int model_from_probe(const struct probe_result *res, const struct plan *pl,
		     const struct write_policy *pol, struct model *ret, char *err, size_t errlen);

/* A name safe to write unquoted into every format (ini, shell, YAML, ifupdown, a file
 * name): ifname_valid, and only [A-Za-z0-9_.-], not starting with '-' or '.'. */
bool model_name_safe(const char *s);

/* "a.b.c.d" with each part 0-255, no leading zeros, nothing else. */
bool model_ipv4_valid(const char *s);

/* A DNS name: labels of [A-Za-z0-9-] (1-63, no '-' at either end) joined by '.'. */
bool model_domain_valid(const char *s);

/* "aa:bb:cc:dd:ee:ff" (either case) into mac; false unless unicast and not zero. */
bool model_parse_mac(const char *s, uint8_t mac[6]);

const char *model_mode_name(enum model_mode m);
/* "802.3ad", "active-backup", "balance-alb", "single" or "auto" (MODEL_FINAL_AUTO). */
bool model_final_parse(const char *s, int *ret);

#endif
