/* The model `write` emits from: `up`'s typed state (or a fresh probe), then the
 * --final-mode policy and the user's overrides. Pure. state.c has checked each value
 * against its type; here they are checked for what a config file can take. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "log.h"
#include "mac.h"
#include "model.h"
#include "names.h"

/* What either source (state, probe) provides before the policy is applied. */
struct source {
	unsigned n;
	struct model_member member[MODEL_MAX_MEMBERS];
	bool lacp_seen;
	enum bond_mode up_mode; /* the mode up ran; NONE: from a probe */
	char bond[IF_NAMESIZE]; /* empty: none recorded */
	bool has_mac;
	uint8_t mac[6];
	struct bond_opts opts;	/* what `up` applied */
	int active;		/* member carrying traffic; -1: unknown */
	const struct state *st; /* the lease, if any */
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *mode_name(enum bond_mode m)
{
	return bond_mode_to_string(m);
}

/* The final mode: negotiated 802.3ad where LACP was seen, else the policy. */
static int final_mode(const struct source *src, const struct write_policy *pol, enum bond_mode *ret,
		      char *err, size_t errlen)
{
	enum bond_mode want = pol->final;

	if (pol->initrd) {
		/* What runs now, handed on: any other mode means tearing it down. */
		if (src->up_mode == BOND_MODE_NONE)
			return fail(err, errlen, "--initrd needs the state of 'pxebond up'");
		*ret = src->up_mode;
		return 0;
	}
	if (pol->no_bond) {
		if (src->n > 1 || src->lacp_seen)
			log_append(
			    err, errlen,
			    "the installed system cannot make a bond: writing its active NIC "
			    "alone, %s; %s",
			    src->active >= 0 && src->member[src->active].name[0]
				? src->member[src->active].name
				: "by MAC",
			    src->lacp_seen ? "on a strict LACP LAG it reaches nothing until "
					     "the bond is written"
					   : "without its failover");
		*ret = BOND_MODE_SINGLE;
		return 0;
	}
	if (pol->opts.set[BOND_OPT_MODE]) {
		enum bond_mode m = (enum bond_mode)pol->opts.val[BOND_OPT_MODE];

		if (!(BOND_MODES_WRITTEN & BOND_MODE_BIT(m)))
			return fail(err, errlen,
				    "mode=%s: pxebond writes 802.3ad, active-backup, balance-alb "
				    "or single",
				    mode_name(m));
		if (want != BOND_MODE_AUTO && want != m)
			return fail(err, errlen, "mode=%s in the bond options contradicts %s",
				    mode_name(m), mode_name(want));
		want = m;
	}
	/* The policy is for ports without LACP: where a partner answered, a strict LAG
	 * carries nothing but 802.3ad. Only mode= in the bond options overrides that. */
	if (src->lacp_seen && !pol->opts.set[BOND_OPT_MODE] && want != BOND_MODE_AUTO &&
	    want != BOND_MODE_8023AD) {
		log_append(
		    err, errlen,
		    "an LACP partner answered on these ports: writing 802.3ad; the final mode "
		    "%s is for ports without LACP (--bond-opts mode=%s forces it)",
		    mode_name(want), mode_name(want));
		want = BOND_MODE_AUTO;
	}
	if (want == BOND_MODE_AUTO) {
		*ret = src->lacp_seen ? BOND_MODE_8023AD
		       : src->n == 1  ? BOND_MODE_SINGLE
				      : BOND_MODE_ACTIVE_BACKUP;
		return 0;
	}
	*ret = want;
	if (*ret == BOND_MODE_8023AD && !src->lacp_seen)
		log_append(
		    err, errlen,
		    "802.3ad: no LACP partner was seen on these ports; written as asked, but "
		    "the bond carries nothing until the switch ports speak LACP");
	else if (*ret != BOND_MODE_8023AD && src->lacp_seen)
		log_append(err, errlen,
			   "%s: these ports speak LACP; a switch that suspends ports without LACP "
			   "will carry nothing on them",
			   mode_name(*ret));
	if (*ret != BOND_MODE_SINGLE && src->n == 1)
		log_append(err, errlen, "%s: a bond of one member (%s)", mode_name(*ret),
			   src->member[0].name[0] ? src->member[0].name : "its MAC");
	return 0;
}

/* The lease as static config: address, prefix, gateway, DNS, the search list (option
 * 119, else the domain, option 15: as the initramfs' own stacks do) and the MTU. */
static int static_ip(const struct source *src, struct model *m, char *err, size_t errlen)
{
	const struct state *st = src->st;
	const struct dhcp_lease *l = st ? &st->lease : NULL;
	char w[256];
	const char *p;

	if (!st || !st->has_lease)
		return fail(err, errlen, "--static: there is no lease to keep (%s)",
			    st ? "up ran with --no-dhcp, or its lease was not recorded"
			       : "a fresh probe has none; run 'pxebond up' first");
	dhcp_ip_str(l->addr, m->address);
	m->prefix = l->prefix;
	if (l->n_router)
		dhcp_ip_str(l->router[0], m->gateway);
	for (unsigned i = 0; i < l->n_dns && m->n_dns < MODEL_MAX_DNS; i++)
		dhcp_ip_str(l->dns[i], m->dns[m->n_dns++]);
	for (p = l->search[0] ? l->search : l->domain; *p && m->n_search < MODEL_MAX_SEARCH;) {
		size_t n = strcspn(p, " ");

		snprintf(w, sizeof(w), "%.*s", (int)n, p);
		if (names_domain_valid(w)) /* 253 characters at most: it fits */
			memcpy(m->search[m->n_search++], w, strlen(w) + 1);
		p += n;
		p += strspn(p, " ");
	}
	m->mtu = l->mtu;
	m->dhcp = false;
	return 0;
}

static int finish(const struct source *src, const struct write_policy *pol, struct model *ret,
		  char *err, size_t errlen)
{
	static const struct bond_opts none;
	struct model m = {
		.primary = -1, .dhcp = true, .lacp_seen = src->lacp_seen, .initrd = pol->initrd
	};
	enum bond_mode mode = BOND_MODE_ACTIVE_BACKUP;
	int r;

	if (src->n == 0)
		return fail(err, errlen, "no member with a valid permanent MAC to write");
	r = final_mode(src, pol, &mode, err, errlen);
	if (r < 0)
		return r;
	m.mode = mode;

	if (mode == BOND_MODE_SINGLE) {
		int k = src->active >= 0 ? src->active : 0;

		m.n_members = 1;
		m.member[0] = src->member[k];
		snprintf(m.name, sizeof(m.name), "%s",
			 m.member[0].name[0] ? m.member[0].name : "nic0");
		memcpy(m.mac, m.member[0].mac, 6);
		if (memcmp(&pol->opts, &none, sizeof(none)) != 0)
			log_append(err, errlen,
				   "single: no bond, so the bond options are not written");
		if (pol->bond[0])
			log_append(err, errlen, "single: no bond, so --bond %s is not used",
				   pol->bond);
	} else {
		m.n_members = src->n;
		memcpy(m.member, src->member, sizeof(m.member[0]) * src->n);
		if (pol->bond[0]) {
			if (!names_ifname_safe(pol->bond))
				return fail(err, errlen, "--bond: not a name pxebond writes");
			snprintf(m.name, sizeof(m.name), "%s", pol->bond);
		} else {
			snprintf(m.name, sizeof(m.name), "%s", src->bond[0] ? src->bond : "bond0");
		}
		memcpy(m.mac, src->has_mac ? src->mac : m.member[0].mac, 6);

		/* Ours, then what `up` applied, then the user's; each kept only where the mode
		 * takes it. `up`'s LACP identity (ad_actor_*) served the probe-to-bond
		 * hand-over; the installed system negotiates afresh under its own. */
		bond_opts_defaults(&m.opts, mode);
		bond_opts_overlay(&m.opts, &src->opts);
		if (!pol->initrd) {
			m.opts.set[BOND_OPT_AD_ACTOR_SYSTEM] = false;
			m.opts.set[BOND_OPT_AD_ACTOR_SYS_PRIO] = false;
			m.opts.set[BOND_OPT_AD_USER_PORT_KEY] = false;
		} else {
			if (m.opts.val[BOND_OPT_AD_ACTOR_SYS_PRIO] == 65535)
				m.opts.set[BOND_OPT_AD_ACTOR_SYS_PRIO] = false;
			if (m.opts.val[BOND_OPT_AD_USER_PORT_KEY] == 0)
				m.opts.set[BOND_OPT_AD_USER_PORT_KEY] = false;
		}
		for (int i = 0; i < _BOND_OPT_MAX; i++)
			if (pol->opts.set[i] && i != BOND_OPT_MODE &&
			    !bond_opt_applies((enum bond_opt)i, mode))
				log_append(err, errlen, "%s does not apply to %s, left out",
					   bond_opt_defs[i].name, mode_name(mode));
		bond_opts_overlay(&m.opts, &pol->opts);
		bond_opts_for_mode(&m.opts, mode);
		if (m.opts.set[BOND_OPT_PRIMARY]) {
			for (unsigned k = 0; k < m.n_members; k++)
				if (!strcmp(m.member[k].name, m.opts.primary))
					m.primary = (int)k;
			m.primary_asked = pol->opts.set[BOND_OPT_PRIMARY];
			if (m.primary < 0) {
				if (m.primary_asked)
					log_append(err, errlen,
						   "primary=%s is not a member, left out",
						   m.opts.primary);
				m.opts.set[BOND_OPT_PRIMARY] = false;
				m.primary_asked = false;
			}
		}
	}
	if (pol->is_static) {
		r = static_ip(src, &m, err, errlen);
		if (r < 0)
			return r;
	}
	*ret = m;
	return 0;
}

int model_from_state(const struct state *st, const struct write_policy *pol, struct model *ret,
		     char *err, size_t errlen)
{
	static struct source src;

	if (errlen)
		err[0] = '\0';
	memset(&src, 0, sizeof(src));
	src.active = -1;
	src.st = st;
	if (st->result != STATE_OK)
		return fail(err, errlen, "the state says 'pxebond up' %s: nothing to write",
			    st->result == STATE_SKIPPED
				? "found no LACP partner and left the network alone"
				: "brought no path up");
	if (!(BOND_MODE_BIT(st->mode) & BOND_MODES_STATE) || st->mode == BOND_MODE_NONE)
		return fail(err, errlen, "the state's mode '%s' is not one pxebond up sets",
			    bond_mode_to_string(st->mode));
	src.up_mode = st->mode;
	src.lacp_seen = st->mode == BOND_MODE_8023AD && st->has_partner;
	for (unsigned k = 0; k < st->n_members && src.n < MODEL_MAX_MEMBERS; k++) {
		struct model_member *mm = &src.member[src.n++];

		memcpy(mm->mac, st->member_mac[k], 6);
		snprintf(mm->name, sizeof(mm->name), "%s", st->members[k]);
	}
	if (st->mode != BOND_MODE_8023AD) {
		for (unsigned i = 0; i < st->n_rungs; i++)
			if (st->rung[i].mode == BOND_MODE_8023AD && !st->rung[i].ok) {
				log_append(err, errlen,
					   "the 802.3ad bond did not come up in the installer; "
					   "writing what did (%s): if these ports are in a strict "
					   "LACP LAG, the installed system will not reach the "
					   "network until they are",
					   mode_name(st->mode));
				break;
			}
	}
	for (unsigned i = 0; i < st->n_late; i++)
		log_append(err, errlen,
			   "%s joined the bond late in the installer: written as a member; the "
			   "kernel admits it to the aggregator if its port is in the same LAG",
			   st->late[i]);
	snprintf(src.bond, sizeof(src.bond), "%s", st->bond);
	src.has_mac = st->has_mac;
	memcpy(src.mac, st->mac, 6);
	src.opts = st->opts;
	for (unsigned k = 0; k < src.n; k++)
		if (st->active[0] && !strcmp(src.member[k].name, st->active))
			src.active = (int)k;
	return finish(&src, pol, ret, err, errlen);
}

int model_from_probe(const struct probe_result *res, const struct plan *pl,
		     const struct write_policy *pol, struct model *ret, char *err, size_t errlen)
{
	static struct source src;

	if (errlen)
		err[0] = '\0';
	memset(&src, 0, sizeof(src));
	src.active = 0;
	src.up_mode = BOND_MODE_NONE;
	if (pl->mode == BOND_MODE_NONE)
		return fail(err, errlen, "no NIC has carrier: nothing to write");
	for (unsigned k = 0; k < pl->n_members && src.n < MODEL_MAX_MEMBERS; k++) {
		const struct probe_nic *nic = &res->nic[pl->member[k]];
		struct model_member *mm = &src.member[src.n];

		if ((nic->perm_mac[0] & 1) || mac_is_zero(nic->perm_mac))
			continue;
		memcpy(mm->mac, nic->perm_mac, 6);
		if (names_ifname_safe(nic->name))
			snprintf(mm->name, sizeof(mm->name), "%s", nic->name);
		src.n++;
	}
	src.lacp_seen = pl->mode == BOND_MODE_8023AD;
	if (src.n) {
		memcpy(src.mac, src.member[0].mac, 6);
		src.has_mac = true;
	}
	return finish(&src, pol, ret, err, errlen);
}
