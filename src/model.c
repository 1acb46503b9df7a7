/* The model `write` emits from: `up`'s state file (or a fresh probe) checked value by
 * value, then the --final-mode policy and the user's overrides. Pure. Strings in the
 * state came partly from the wire (the DHCP lease): each is whitelisted or dropped. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifname.h"
#include "log.h"
#include "model.h"
#include "report.h"
#include "state.h"

/* What either source (state file, probe) provides before the policy is applied. */
struct source {
	unsigned n;
	struct model_member member[MODEL_MAX_MEMBERS];
	bool lacp_seen;
	int up_mode;		/* the enum model_mode up ran; -1: from a probe */
	char bond[IF_NAMESIZE]; /* empty: none recorded */
	bool has_mac;
	uint8_t mac[6];
	struct bond_opts opts; /* what `up` applied */
	int active;	       /* member carrying traffic; -1: unknown */
	bool has_lease;
	char ip[64], prefix[64], router[256], dns[256], domain[512];
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

/* Copies a string already checked to fit (the compiler cannot know it does). */
static void scopy(char *d, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	memcpy(d, s, n);
	d[n] = '\0';
}

/* A value from the state, made printable for a message. */
static const char *shown(const char *s, char out[64])
{
	report_escape_text(out, 64, (const uint8_t *)s, strlen(s));
	return out;
}

bool model_name_safe(const char *s)
{
	if (!ifname_valid(s) || s[0] == '-' || s[0] == '.')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

bool model_ipv4_valid(const char *s)
{
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part && *s++ != '.')
			return false;
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[-(int)digits] == '0'))
			return false;
	}
	return *s == '\0';
}

bool model_domain_valid(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			/* a trailing dot (fully qualified) is fine, an empty label elsewhere not */
			if (label == 0 && !(c == '\0' && i > 0 && s[i - 1] == '.'))
				return false;
			if (label && s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
		if (label == 0 && c == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

bool model_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (!bond_opts_parse_mac(s, m) || !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return false;
	memcpy(mac, m, 6);
	return true;
}

static const char *const mode_names[] = {
	[MODEL_8023AD] = "802.3ad",
	[MODEL_ACTIVE_BACKUP] = "active-backup",
	[MODEL_BALANCE_ALB] = "balance-alb",
	[MODEL_SINGLE] = "single",
};

const char *model_mode_name(enum model_mode m)
{
	return (unsigned)m <= MODEL_SINGLE ? mode_names[m] : "unknown";
}

bool model_final_parse(const char *s, int *ret)
{
	if (!strcmp(s, "auto")) {
		*ret = MODEL_FINAL_AUTO;
		return true;
	}
	for (int m = 0; m <= MODEL_SINGLE; m++)
		if (!strcmp(s, mode_names[m])) {
			*ret = m;
			return true;
		}
	return false;
}

/* The next space-separated word of *p into out (cut at cap); false at the end. State
 * values are plain lists: no quoting (options_cmdline_word's double quotes would group
 * a hostile value's words). */
static bool next_word(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	n = strcspn(s, " \t");
	snprintf(out, cap, "%.*s", (int)n, s);
	*p = s + n;
	return true;
}

static bool mode_takes(enum model_mode m, enum bond_opt o)
{
	switch (o) {
	case BOND_OPT_MODE:
	case BOND_OPT_MIIMON:
	case BOND_OPT_UPDELAY:
	case BOND_OPT_DOWNDELAY:
	case BOND_OPT_PEER_NOTIF_DELAY:
	case BOND_OPT_USE_CARRIER:
	case BOND_OPT_RESEND_IGMP:
	case BOND_OPT_NUM_PEER_NOTIF:
	case BOND_OPT_ALL_SLAVES_ACTIVE:
		return true;
	case BOND_OPT_LACP_RATE:
	case BOND_OPT_LACP_ACTIVE:
	case BOND_OPT_AD_SELECT:
	case BOND_OPT_AD_ACTOR_SYS_PRIO:
	case BOND_OPT_AD_USER_PORT_KEY:
	case BOND_OPT_AD_ACTOR_SYSTEM:
	case BOND_OPT_MIN_LINKS:
	case BOND_OPT_XMIT_HASH_POLICY: /* balance-xor, 802.3ad and tlb: of ours, 802.3ad */
		return m == MODEL_8023AD;
	case BOND_OPT_PRIMARY:
	case BOND_OPT_PRIMARY_RESELECT:
		return m == MODEL_ACTIVE_BACKUP || m == MODEL_BALANCE_ALB;
	case BOND_OPT_LP_INTERVAL:
		return m == MODEL_BALANCE_ALB;
	case BOND_OPT_FAIL_OVER_MAC:
	case BOND_OPT_ARP_INTERVAL:
	case BOND_OPT_ARP_VALIDATE:
	case BOND_OPT_ARP_ALL_TARGETS:
	case BOND_OPT_MISSED_MAX:
		return m == MODEL_ACTIVE_BACKUP;
	case BOND_OPT_PACKETS_PER_SLAVE: /* balance-rr */
	case BOND_OPT_TLB_DYNAMIC_LB:	 /* balance-tlb */
	case _BOND_OPT_MAX:
		break;
	}
	return false;
}

static const uint32_t mode_value[] = {
	[MODEL_8023AD] = BOND_MODE_8023AD,
	[MODEL_ACTIVE_BACKUP] = BOND_MODE_ACTIVE_BACKUP,
	[MODEL_BALANCE_ALB] = BOND_MODE_BALANCE_ALB,
	[MODEL_SINGLE] = BOND_MODE_ACTIVE_BACKUP, /* unused */
};

/* Copies the options of `from` that are set into `to`. */
static void overlay(struct bond_opts *to, const struct bond_opts *from)
{
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		if (!from->set[i])
			continue;
		to->set[i] = true;
		to->val[i] = from->val[i];
		if (i == BOND_OPT_AD_ACTOR_SYSTEM)
			memcpy(to->actor_system, from->actor_system, 6);
		if (i == BOND_OPT_PRIMARY)
			memcpy(to->primary, from->primary, sizeof(to->primary));
	}
}

/* The final mode: negotiated 802.3ad where LACP was seen, else the policy. */
static int final_mode(const struct source *src, const struct write_policy *pol,
		      enum model_mode *ret, char *err, size_t errlen)
{
	int want = pol->final;

	if (pol->initrd) {
		/* What runs now, handed on: any other mode means tearing it down. */
		if (src->up_mode < 0)
			return fail(err, errlen, "--initrd needs the state of 'pxebond up'");
		*ret = (enum model_mode)src->up_mode;
		return 0;
	}
	if (pol->opts.set[BOND_OPT_MODE]) {
		uint32_t v = pol->opts.val[BOND_OPT_MODE];
		int m = v == BOND_MODE_8023AD	       ? MODEL_8023AD
			: v == BOND_MODE_ACTIVE_BACKUP ? MODEL_ACTIVE_BACKUP
			: v == BOND_MODE_BALANCE_ALB   ? MODEL_BALANCE_ALB
						       : -1;

		if (m < 0)
			return fail(err, errlen,
				    "mode=%s: pxebond writes 802.3ad, active-backup, balance-alb "
				    "or single",
				    bond_mode_name(v));
		if (want != MODEL_FINAL_AUTO && want != m)
			return fail(err, errlen, "mode=%s in the bond options contradicts %s",
				    bond_mode_name(v), model_mode_name((enum model_mode)want));
		want = m;
	}
	/* The policy is for ports without LACP: where a partner answered, a strict LAG
	 * carries nothing but 802.3ad. Only mode= in the bond options overrides that. */
	if (src->lacp_seen && !pol->opts.set[BOND_OPT_MODE] && want != MODEL_FINAL_AUTO &&
	    want != MODEL_8023AD) {
		log_append(
		    err, errlen,
		    "an LACP partner answered on these ports: writing 802.3ad; the final mode "
		    "%s is for ports without LACP (--bond-opts mode=%s forces it)",
		    model_mode_name((enum model_mode)want), model_mode_name((enum model_mode)want));
		want = MODEL_FINAL_AUTO;
	}
	if (want == MODEL_FINAL_AUTO) {
		*ret = src->lacp_seen ? MODEL_8023AD
		       : src->n == 1  ? MODEL_SINGLE
				      : MODEL_ACTIVE_BACKUP;
		return 0;
	}
	*ret = (enum model_mode)want;
	if (*ret == MODEL_8023AD && !src->lacp_seen)
		log_append(
		    err, errlen,
		    "802.3ad: no LACP partner was seen on these ports; written as asked, but "
		    "the bond carries nothing until the switch ports speak LACP");
	else if (*ret != MODEL_8023AD && src->lacp_seen)
		log_append(err, errlen,
			   "%s: these ports speak LACP; a switch that suspends ports without LACP "
			   "will carry nothing on them",
			   model_mode_name(*ret));
	if (*ret != MODEL_SINGLE && src->n == 1)
		log_append(err, errlen, "%s: a bond of one member (%s)", model_mode_name(*ret),
			   src->member[0].name[0] ? src->member[0].name : "its MAC");
	return 0;
}

static unsigned prefix_of(const char *s, bool *ok)
{
	unsigned v = 0;

	*ok = false;
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 2 && (s[1] == '\0' || s[0] != '0')) {
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9')
				return 0;
			v = v * 10 + (unsigned)(*p - '0');
		}
		*ok = v <= 32;
		return v;
	}
	if (model_ipv4_valid(s)) { /* a netmask: contiguous ones */
		uint32_t m = 0;
		const char *p = s;

		for (int i = 0; i < 4; i++) {
			m = m << 8 | (uint32_t)strtoul(p, (char **)&p, 10);
			p++;
		}
		v = (unsigned)__builtin_popcount(m);
		*ok = m == (v ? ~0u << (32 - v) : 0);
		return v;
	}
	return 0;
}

static int static_ip(const struct source *src, struct model *m, char *err, size_t errlen)
{
	char w[256], s1[64];
	const char *p;
	bool ok;

	if (!src->has_lease)
		return fail(err, errlen,
			    "--static: there is no lease to keep (a fresh probe has none; run "
			    "'pxebond up' first)");
	if (!model_ipv4_valid(src->ip))
		return fail(err, errlen,
			    "--static: the lease's address '%s' is not an IPv4 address",
			    shown(src->ip, s1));
	m->prefix = prefix_of(src->prefix, &ok);
	if (!ok)
		return fail(err, errlen, "--static: the lease's prefix '%s' is not 0 to 32",
			    shown(src->prefix, s1));
	scopy(m->address, sizeof(m->address), src->ip);
	for (p = src->router; next_word(&p, w, sizeof(w));) {
		if (model_ipv4_valid(w)) {
			scopy(m->gateway, sizeof(m->gateway), w);
			break;
		}
		log_append(err, errlen, "the lease's router '%s' is not an IPv4 address, left out",
			   shown(w, s1));
	}
	for (p = src->dns; next_word(&p, w, sizeof(w));) {
		if (!model_ipv4_valid(w))
			log_append(err, errlen,
				   "the lease's DNS server '%s' is not an IPv4 address, left out",
				   shown(w, s1));
		else if (m->n_dns < MODEL_MAX_DNS)
			scopy(m->dns[m->n_dns++], sizeof(m->dns[0]), w);
	}
	for (p = src->domain; next_word(&p, w, sizeof(w));) {
		if (!model_domain_valid(w))
			log_append(err, errlen,
				   "the lease's domain '%s' is not a DNS name, left out",
				   shown(w, s1));
		else if (m->n_search < MODEL_MAX_SEARCH)
			scopy(m->search[m->n_search++], sizeof(m->search[0]), w);
	}
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
	enum model_mode mode = MODEL_ACTIVE_BACKUP;
	int r;

	if (src->n == 0)
		return fail(err, errlen, "no member with a valid permanent MAC to write");
	r = final_mode(src, pol, &mode, err, errlen);
	if (r < 0)
		return r;
	m.mode = mode;

	if (mode == MODEL_SINGLE) {
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
			if (!model_name_safe(pol->bond))
				return fail(err, errlen, "--bond: not a name pxebond writes");
			snprintf(m.name, sizeof(m.name), "%s", pol->bond);
		} else {
			snprintf(m.name, sizeof(m.name), "%s", src->bond[0] ? src->bond : "bond0");
		}
		if (src->has_mac)
			memcpy(m.mac, src->mac, 6);
		else
			memcpy(m.mac, m.member[0].mac, 6);

		/* Ours, then what `up` applied, then the user's; each kept only where the mode
		 * takes it. `up`'s LACP identity (ad_actor_*) served the probe-to-bond
		 * hand-over; the installed system negotiates afresh under its own. */
		bond_opts_set(&m.opts, BOND_OPT_MIIMON, 100);
		if (mode == MODEL_8023AD) {
			bond_opts_set(&m.opts, BOND_OPT_LACP_RATE, 1);
			bond_opts_set(&m.opts, BOND_OPT_XMIT_HASH_POLICY, 1); /* layer3+4 */
		}
		overlay(&m.opts, &src->opts);
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
		for (int i = 0; i < _BOND_OPT_MAX; i++) {
			if (pol->opts.set[i] && i != BOND_OPT_MODE &&
			    !mode_takes(mode, (enum bond_opt)i))
				log_append(err, errlen, "%s does not apply to %s, left out",
					   bond_opt_defs[i].name, model_mode_name(mode));
		}
		overlay(&m.opts, &pol->opts);
		for (int i = 0; i < _BOND_OPT_MAX; i++)
			if (!mode_takes(mode, (enum bond_opt)i))
				m.opts.set[i] = false;
		bond_opts_set(&m.opts, BOND_OPT_MODE, mode_value[mode]);
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

/* Members from the parallel lists PXEBOND_MEMBERS and PXEBOND_MEMBER_MACS. */
static void members_from_state(const char *text, struct source *src, char *err, size_t errlen)
{
	static char names[2048], macs[2048];
	const char *pn = names, *pm = macs;
	char name[64], mac[64], s1[64];

	names[0] = macs[0] = '\0';
	state_get(text, "PXEBOND_MEMBERS", names, sizeof(names));
	state_get(text, "PXEBOND_MEMBER_MACS", macs, sizeof(macs));
	while (next_word(&pm, mac, sizeof(mac))) {
		struct model_member mm = { 0 };
		bool dup = false;

		if (!next_word(&pn, name, sizeof(name)))
			name[0] = '\0';
		if (!model_parse_mac(mac, mm.mac)) {
			log_append(err, errlen,
				   "member MAC '%s' is not a unicast MAC address, left out",
				   shown(mac, s1));
			continue;
		}
		for (unsigned k = 0; k < src->n; k++)
			dup = dup || !memcmp(src->member[k].mac, mm.mac, 6);
		if (dup || src->n == MODEL_MAX_MEMBERS) {
			log_append(err, errlen, "member %s: %s, left out", mac,
				   dup ? "listed twice" : "too many members");
			continue;
		}
		if (model_name_safe(name))
			scopy(mm.name, sizeof(mm.name), name);
		else if (name[0])
			log_append(
			    err, errlen,
			    "member %s: name '%s' is not one pxebond writes, matched by MAC only",
			    mac, shown(name, s1));
		src->member[src->n++] = mm;
	}
}

int model_from_state(const char *text, const struct write_policy *pol, struct model *ret, char *err,
		     size_t errlen)
{
	static struct source src;
	char v[600], s1[64], perr[160], rungs[256];

	if (errlen)
		err[0] = '\0';
	memset(&src, 0, sizeof(src));
	src.active = -1;
	if (!state_get(text, "PXEBOND_RESULT", v, sizeof(v)))
		return fail(err, errlen, "not a pxebond state file (no PXEBOND_RESULT)");
	if (strcmp(v, "ok") != 0)
		return fail(err, errlen, "the state says 'pxebond up' failed: nothing to write");
	if (!state_get(text, "PXEBOND_MODE", v, sizeof(v)) ||
	    (strcmp(v, "802.3ad") && strcmp(v, "active-backup") && strcmp(v, "single")))
		return fail(err, errlen, "the state's mode '%s' is not one pxebond up sets",
			    shown(v, s1));
	src.lacp_seen = !strcmp(v, "802.3ad");
	src.up_mode = !strcmp(v, "802.3ad")	    ? MODEL_8023AD
		      : !strcmp(v, "active-backup") ? MODEL_ACTIVE_BACKUP
						    : MODEL_SINGLE;
	members_from_state(text, &src, err, errlen);
	if (!src.lacp_seen && state_get(text, "PXEBOND_RUNGS", rungs, sizeof(rungs)) &&
	    strstr(rungs, "802.3ad:failed"))
		log_append(
		    err, errlen,
		    "the 802.3ad bond did not come up in the installer; writing what did (%s): "
		    "if these ports are in a strict LACP LAG, the installed system will not "
		    "reach the network until they are",
		    v);

	if (state_get(text, "PXEBOND_PARTNER_SYSTEM", v, sizeof(v)) && v[0]) {
		uint8_t mac[6];

		if (!model_parse_mac(v, mac))
			src.lacp_seen = false;
	} else {
		src.lacp_seen = false;
	}
	if (state_get(text, "PXEBOND_BOND", v, sizeof(v)) && v[0]) {
		if (model_name_safe(v))
			scopy(src.bond, sizeof(src.bond), v);
		else
			log_append(err, errlen,
				   "bond name '%s' is not one pxebond writes, using bond0",
				   shown(v, s1));
	}
	if (state_get(text, "PXEBOND_BOND_MAC", v, sizeof(v)) && v[0]) {
		src.has_mac = model_parse_mac(v, src.mac);
		if (!src.has_mac)
			log_append(
			    err, errlen,
			    "bond MAC '%s' is not a unicast MAC address, using the first member's",
			    shown(v, s1));
	}
	if (state_get(text, "PXEBOND_BOND_OPTS", v, sizeof(v)) &&
	    bond_opts_parse(&src.opts, v, perr, sizeof(perr)) < 0) {
		memset(&src.opts, 0, sizeof(src.opts));
		for (char *q = perr; *q; q++) /* it quotes the state's bytes */
			if (*q < 0x20 || *q >= 0x7f)
				*q = '?';
		log_append(err, errlen, "the state's bond options: %s; using the defaults", perr);
	}
	if (state_get(text, "PXEBOND_ACTIVE", v, sizeof(v)))
		for (unsigned k = 0; k < src.n; k++)
			if (v[0] && !strcmp(src.member[k].name, v))
				src.active = (int)k;
	/* The lease: only what a static config needs; the hostname is never read. */
	src.has_lease = state_get(text, "PXEBOND_IP", src.ip, sizeof(src.ip)) && src.ip[0];
	state_get(text, "PXEBOND_PREFIX", src.prefix, sizeof(src.prefix));
	state_get(text, "PXEBOND_ROUTER", src.router, sizeof(src.router));
	state_get(text, "PXEBOND_DNS", src.dns, sizeof(src.dns));
	state_get(text, "PXEBOND_DOMAIN", src.domain, sizeof(src.domain));
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
	src.up_mode = -1;
	if (pl->mode == PLAN_NONE)
		return fail(err, errlen, "no NIC has carrier: nothing to write");
	for (unsigned k = 0; k < pl->n_members && src.n < MODEL_MAX_MEMBERS; k++) {
		const struct probe_nic *nic = &res->nic[pl->member[k]];
		struct model_member *mm = &src.member[src.n];
		char t[REPORT_MAC_LEN];

		report_mac(t, nic->perm_mac);
		if (!model_parse_mac(t, mm->mac))
			continue;
		if (model_name_safe(nic->name))
			snprintf(mm->name, sizeof(mm->name), "%s", nic->name);
		src.n++;
	}
	src.lacp_seen = pl->mode == PLAN_8023AD;
	if (src.n) {
		memcpy(src.mac, src.member[0].mac, 6);
		src.has_mac = true;
	}
	return finish(&src, pol, ret, err, errlen);
}
