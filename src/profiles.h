/* Other tools' network profiles in a target (NetworkManager keyfiles, network-scripts'
 * ifcfg files): which device each configures, and whether that is the bond pxebond
 * writes or one of its NICs. Pure; `write --set-aside` acts on the answer. */
#ifndef PXEBOND_PROFILES_H
#define PXEBOND_PROFILES_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define PROFILE_MASTERS 4
#define PROFILE_ID_MAX	64

struct profile {
	char ifname[PROFILE_ID_MAX]; /* interface-name=, DEVICE= */
	unsigned n_master;
	char master[PROFILE_MASTERS][PROFILE_ID_MAX]; /* master=, controller=, MASTER=,
						       * MASTER_UUID=: a name or a UUID */
	bool has_mac;
	uint8_t mac[6]; /* mac-address=, HWADDR= */
	char uuid[PROFILE_ID_MAX];
	bool ours; /* "# Written by pxebond write" */
};

/* The keys that say which device a profile is for, from a keyfile's or an ifcfg file's
 * text (values unquoted; anything unreadable left empty). */
void profile_parse(const char *text, struct profile *ret);

/* Whether p configures m's bond (by name, or as a port of it by name or by one of
 * bond_uuids, n of them) or one of its members (by installer name or MAC). */
bool profile_conflicts(const struct profile *p, const struct model *m,
		       const char (*bond_uuids)[PROFILE_ID_MAX], unsigned n);

#endif
