/* Grouping of NICs by LACP partner and the bond decision: pure, no I/O.
 *
 * A strict LAG forwards only to a partner that speaks LACP, so every NIC whose port
 * speaks LACP goes into the 802.3ad bond, even alone. Ports facing different partners
 * cannot share an aggregator: the kernel makes one per partner and uses one at a time,
 * so the plan names the primary group (most members, then most speed) and the rest
 * are standby. Without any partner, NICs with carrier go active-backup or single. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mac.h"
#include "plan.h"

static bool same_partner(const struct lacp_info *a, const struct lacp_info *b)
{
	return a->system_priority == b->system_priority &&
	       memcmp(a->system, b->system, ETH_ADDR_LEN) == 0 && a->key == b->key;
}

/* Primary first: most members, then most speed, then the order NICs were found. */
static bool group_before(const struct plan_group *a, const struct plan_group *b)
{
	if (a->n != b->n)
		return a->n > b->n;
	if (a->total_speed_mbps != b->total_speed_mbps)
		return a->total_speed_mbps > b->total_speed_mbps;
	return a->member[0] < b->member[0];
}

struct text {
	char *buf;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static void text_names(struct text *t, const struct probe_result *res, const unsigned *idx,
		       unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		text_add(t, "%s%s", i ? "," : "", res->nic[idx[i]].name);
}

static void text_partner(struct text *t, const struct lacp_info *p)
{
	char mac[MAC_STR_LEN];

	mac_to_str(mac, p->system);
	text_add(t, "%s key %u", mac, p->key);
}

static void group_nics(const struct probe_result *res, struct plan *pl)
{
	for (unsigned i = 0; i < res->n; i++) {
		const struct probe_nic *nic = &res->nic[i];
		struct plan_group *g = NULL;

		if (!nic->carrier || !nic->lacp_detected)
			continue;
		for (unsigned k = 0; k < pl->n_groups && !g; k++)
			if (same_partner(&pl->group[k].partner, &nic->partner))
				g = &pl->group[k];
		if (!g) {
			g = &pl->group[pl->n_groups++];
			g->partner = nic->partner;
		}
		g->member[g->n++] = i;
		g->total_speed_mbps += nic->speed_mbps;
	}
	/* Insertion sort: a handful of groups. */
	for (unsigned i = 1; i < pl->n_groups; i++) {
		struct plan_group g = pl->group[i];
		unsigned k = i;

		for (; k > 0 && group_before(&g, &pl->group[k - 1]); k--)
			pl->group[k] = pl->group[k - 1];
		pl->group[k] = g;
	}
}

static void decide_lacp(const struct probe_result *res, struct plan *pl, struct text *t)
{
	const struct plan_group *primary = &pl->group[0];

	pl->mode = BOND_MODE_8023AD;
	for (unsigned k = 0; k < pl->n_groups; k++)
		for (unsigned m = 0; m < pl->group[k].n; m++)
			pl->member[pl->n_members++] = pl->group[k].member[m];
	pl->n_primary = primary->n;

	text_names(t, res, primary->member, primary->n);
	text_add(t, " reach%s LACP partner ", primary->n == 1 ? "es" : "");
	text_partner(t, &primary->partner);
	if (pl->n_groups == 1) {
		text_add(t, ": 802.3ad bond");
	} else {
		text_add(t, "; ");
		for (unsigned k = 1; k < pl->n_groups; k++) {
			text_names(t, res, pl->group[k].member, pl->group[k].n);
			text_add(t, " reach%s ", pl->group[k].n == 1 ? "es" : "");
			text_partner(t, &pl->group[k].partner);
			text_add(t, "; ");
		}
		text_add(t, "separate partners: one 802.3ad bond, aggregator ");
		text_names(t, res, primary->member, primary->n);
		text_add(t, " primary (%s), the others standby",
			 pl->group[1].n < primary->n ? "most members"
			 : pl->group[1].total_speed_mbps < primary->total_speed_mbps
			     ? "most speed"
			     : "found first");
	}
	for (unsigned i = 0; i < res->n; i++)
		if (res->nic[i].carrier && !res->nic[i].lacp_detected)
			text_add(t, "; %s has no LACP partner, left out", res->nic[i].name);
		else if (res->nic[i].late && res->nic[i].lacp_detected)
			text_add(t, "; %s answered only after the bond formed: enslaved late",
				 res->nic[i].name);
		else if (res->nic[i].late)
			text_add(t,
				 "; %s has no carrier yet: enslaved late, it joins if it faces the "
				 "same partner",
				 res->nic[i].name);
}

void plan_decide(const struct probe_result *res, struct plan *ret)
{
	struct plan pl;
	struct text t;
	unsigned up[PROBE_MAX_NICS], n_up = 0;

	memset(&pl, 0, sizeof(pl));
	t = (struct text){ .buf = pl.reason, .cap = sizeof(pl.reason) };
	group_nics(res, &pl);
	for (unsigned i = 0; i < res->n; i++)
		if (res->nic[i].carrier)
			up[n_up++] = i;

	if (pl.n_groups > 0) {
		decide_lacp(res, &pl, &t);
	} else if (n_up >= 2) {
		pl.mode = BOND_MODE_ACTIVE_BACKUP;
		/* Fastest first: the kernel makes the first member active. */
		for (unsigned i = 0; i < n_up; i++) {
			unsigned k = pl.n_members++;

			for (; k > 0 &&
			       res->nic[up[i]].speed_mbps > res->nic[pl.member[k - 1]].speed_mbps;
			     k--)
				pl.member[k] = pl.member[k - 1];
			pl.member[k] = up[i];
		}
		pl.n_primary = 1;
		text_add(&t, "no LACP partner on ");
		text_names(&t, res, pl.member, pl.n_members);
		text_add(&t, " (%u NICs with carrier): active-backup, %s active", n_up,
			 res->nic[pl.member[0]].name);
	} else if (n_up == 1) {
		pl.mode = BOND_MODE_SINGLE;
		pl.member[0] = up[0];
		pl.n_members = pl.n_primary = 1;
		text_add(&t, "only %s has carrier, and no LACP partner: single NIC",
			 res->nic[up[0]].name);
	} else {
		pl.mode = BOND_MODE_NONE;
		text_add(&t, res->n ? "no NIC has carrier" : "no NIC to probe");
	}
	*ret = pl;
}
