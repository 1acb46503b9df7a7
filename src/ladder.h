/* The ladder: which rungs `up` tries, in order, and each rung's bond options. Pure: from
 * the request, the probe and its plan; tested as a table (tests/unit/test_ladder.c). */
#ifndef PXEBOND_LADDER_H
#define PXEBOND_LADDER_H

#include <stdbool.h>

#include "bond_opts.h"
#include "plan.h"
#include "probe.h"

#define LADDER_MAX 12

struct ladder_rung {
	enum bond_mode mode; /* 802.3ad, active-backup or single */
	unsigned n;
	unsigned member[PROBE_MAX_NICS]; /* indices into probe_result.nic, the first active */
};

/* From want (auto: the plan's mode; 802.3ad, active-backup or single: that rung first)
 * down to each single NIC with carrier, BOOTIF's first (bootif: its index, or -1). An
 * 802.3ad rung has the plan's members and the late NICs (no carrier yet when a partner
 * answered) where the plan is 802.3ad, else every NIC with carrier; active-backup needs
 * two. Returns how many rungs (0: no NIC has carrier). */
unsigned ladder_build(enum bond_mode want, int bootif, const struct probe_result *res,
		      const struct plan *pl, struct ladder_rung *out, unsigned max);

/* A bond rung's options: pxebond's defaults for its mode, the user's over them, what the
 * mode does not take left out; 802.3ad speaks with the probe's LACP identity (system,
 * priority, port key 0) unless the user set it; active-backup makes the rung's first
 * member primary unless the user named one. */
void ladder_rung_opts(const struct ladder_rung *g, const struct bond_opts *user,
		      const struct probe_result *res, struct bond_opts *ret);

/* "eth0,eth1": the rung's members by name. */
void ladder_members_text(const struct ladder_rung *g, const struct probe_result *res, char *out,
			 size_t cap);

#endif
