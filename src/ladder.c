/* The ladder `up` climbs down: the requested (or decided) mode first, then active-backup
 * over every NIC with carrier, then each of those alone, BOOTIF's first. Each rung falls
 * back to the next, so a machine is never left worse off than plain PXE. Pure. */
#include <stdio.h>
#include <string.h>

#include "ladder.h"

static void add_member(struct ladder_rung *g, unsigned idx)
{
	for (unsigned k = 0; k < g->n; k++)
		if (g->member[k] == idx)
			return;
	g->member[g->n++] = idx;
}

unsigned ladder_build(enum bond_mode want, int bootif, const struct probe_result *res,
		      const struct plan *pl, struct ladder_rung *out, unsigned max)
{
	struct ladder_rung carrier = { 0 };
	enum bond_mode start = want;
	unsigned n = 0;

	/* Every NIC with carrier: BOOTIF's first, then the plan's order, then the rest. */
	if (bootif >= 0 && (unsigned)bootif < res->n && res->nic[bootif].carrier)
		add_member(&carrier, (unsigned)bootif);
	for (unsigned k = 0; k < pl->n_members; k++)
		if (res->nic[pl->member[k]].carrier)
			add_member(&carrier, pl->member[k]);
	for (unsigned i = 0; i < res->n; i++)
		if (res->nic[i].carrier)
			add_member(&carrier, i);
	if (start == BOND_MODE_AUTO)
		start = pl->mode == BOND_MODE_8023AD	      ? BOND_MODE_8023AD
			: pl->mode == BOND_MODE_ACTIVE_BACKUP ? BOND_MODE_ACTIVE_BACKUP
							      : BOND_MODE_SINGLE;
	if (!carrier.n)
		return 0;
	if (start == BOND_MODE_8023AD && n < max) {
		struct ladder_rung *g = &out[n++];

		*g = (struct ladder_rung){ .mode = BOND_MODE_8023AD };
		/* The plan's members, primary group first; BOOTIF's MAC is chosen later. */
		if (pl->mode == BOND_MODE_8023AD) {
			for (unsigned k = 0; k < pl->n_members; k++)
				add_member(g, pl->member[k]);
			/* not waited for: the kernel admits each when its link comes up
			 * facing the same partner */
			for (unsigned i = 0; i < res->n; i++)
				if (res->nic[i].late)
					add_member(g, i);
		} else
			*g = carrier, g->mode = BOND_MODE_8023AD;
	}
	if ((start == BOND_MODE_8023AD || start == BOND_MODE_ACTIVE_BACKUP) && carrier.n >= 2 &&
	    n < max) {
		out[n] = carrier;
		out[n++].mode = BOND_MODE_ACTIVE_BACKUP;
	}
	for (unsigned k = 0; k < carrier.n && n < max; k++)
		out[n++] = (struct ladder_rung){ .mode = BOND_MODE_SINGLE,
						 .n = 1,
						 .member = { carrier.member[k] } };
	return n;
}

void ladder_rung_opts(const struct ladder_rung *g, const struct bond_opts *user,
		      const struct probe_result *res, struct bond_opts *ret)
{
	struct bond_opts o;

	bond_opts_defaults(&o, g->mode);
	bond_opts_overlay(&o, user);
	bond_opts_for_mode(&o, g->mode);
	if (g->mode == BOND_MODE_8023AD) {
		/* The probe's identity: the switch sees one partner from probe to bond. */
		if (!o.set[BOND_OPT_AD_ACTOR_SYSTEM]) {
			memcpy(o.actor_system, res->actor.system, 6);
			o.set[BOND_OPT_AD_ACTOR_SYSTEM] = true;
		}
		if (!o.set[BOND_OPT_AD_ACTOR_SYS_PRIO])
			bond_opts_set(&o, BOND_OPT_AD_ACTOR_SYS_PRIO, res->actor.system_priority);
		if (!o.set[BOND_OPT_AD_USER_PORT_KEY])
			bond_opts_set(&o, BOND_OPT_AD_USER_PORT_KEY, 0);
	} else if (g->mode == BOND_MODE_ACTIVE_BACKUP && !o.set[BOND_OPT_PRIMARY] && g->n) {
		snprintf(o.primary, sizeof(o.primary), "%s", res->nic[g->member[0]].name);
		o.set[BOND_OPT_PRIMARY] = true;
	}
	*ret = o;
}

void ladder_members_text(const struct ladder_rung *g, const struct probe_result *res, char *out,
			 size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned k = 0; k < g->n && o < cap; k++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", k ? "," : "",
				      res->nic[g->member[k]].name);
}
