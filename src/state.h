/* What `up` did, for `down`, `status`, `write` and the shell stages after us:
 * DIR/state (sourceable KEY='VALUE' lines) and DIR/state.json, each written atomically. */
#ifndef PXEBOND_STATE_H
#define PXEBOND_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dhcp.h"
#include "plan.h"
#include "probe.h"

#define STATE_MAX_RUNGS 12

struct state_rung {
	char mode[16];
	char iface[IF_NAMESIZE];
	char members[160];
	bool ok;
	char why[200];
	int64_t ms;
};

struct state_timeline { /* ms since `up` started; -1: did not happen */
	int64_t carrier, first_lacpdu, probe_done, enslaved, bond_up, partner_sync,
	    collecting_distributing, lease;
};

struct state {
	bool ok;
	bool skipped;		 /* --if-lacp and no LACP partner: nothing was changed */
	char mode[16];		 /* of the rung that won, or "none" */
	char iface[IF_NAMESIZE]; /* what carries the path: the bond or one NIC */
	char bond[IF_NAMESIZE];	 /* empty for a single NIC */
	unsigned n_members;
	char members[PROBE_MAX_NICS][IF_NAMESIZE];
	uint8_t member_mac[PROBE_MAX_NICS][6]; /* permanent MACs */
	char active[IF_NAMESIZE]; /* the member carrying traffic (active aggregator/slave) */
	uint8_t mac[6];		  /* the bond's MAC, set explicitly */
	char bond_opts[512];
	uint8_t actor_system[6];
	bool has_partner;
	uint8_t partner_system[6];
	uint16_t partner_key;
	unsigned n_rungs;
	struct state_rung rung[STATE_MAX_RUNGS];
	bool has_lease;
	struct dhcp_lease lease;
	unsigned restore_mtu; /* a single NIC's MTU before the lease's, for `down`; 0: same */
	int renew_pid;	      /* up --renew's lease renewer, for `down` to stop; 0: none */
	struct state_timeline t;
	unsigned n_restore; /* admin state of every probed NIC before we began */
	char restore_name[PROBE_MAX_NICS][IF_NAMESIZE];
	bool restore_up[PROBE_MAX_NICS];
};

/* PXEBOND_RESULT: "ok", "failed", or "skipped" (--if-lacp found no LACP partner). */
const char *state_result(const struct state *s);

/* The sourceable form; every value single-quoted, so nothing in it runs. */
void state_format_sh(FILE *f, const struct state *s);
void state_format_json(FILE *f, const struct state *s, const struct probe_result *res,
		       const struct plan *pl);

/* Writes DIR/state and DIR/state.json by temp file and rename. */
int state_write(const char *dir, const struct state *s, const struct probe_result *res,
		const struct plan *pl);

/* The value of KEY in sourceable text as state_format_sh writes it; false if absent. */
bool state_get(const char *text, const char *key, char *out, size_t cap);

#endif
