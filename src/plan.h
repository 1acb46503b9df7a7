/* Grouping of NICs by LACP partner and the bond decision: pure, no I/O. */
#ifndef PXEBOND_PLAN_H
#define PXEBOND_PLAN_H

#include "bond_opts.h"
#include "probe.h"

/* NICs whose switch ports share one LACP (system priority, system, key): one link
 * aggregation. Never grouped by LLDP chassis: an MLAG pair is two chassis, one system. */
struct plan_group {
	struct lacp_info partner;
	unsigned n;
	unsigned member[PROBE_MAX_NICS]; /* indices into probe_result.nic */
	uint64_t total_speed_mbps;
};

struct plan {
	unsigned n_groups; /* primary first */
	struct plan_group group[PROBE_MAX_NICS];
	enum bond_mode mode; /* 802.3ad, active-backup, single, or none (no carrier) */
	unsigned n_members;  /* bond members, primary first */
	unsigned member[PROBE_MAX_NICS];
	unsigned n_primary; /* the first n_primary members are the active ones */
	char reason[1024];
};

void plan_decide(const struct probe_result *res, struct plan *ret);

#endif
