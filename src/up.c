/* `up`: from the probe's decision to a working path to the install server. The ladder
 * (ladder.c) says which rungs to try; each is brought up here and, if it does not
 * aggregate, get a lease or reach the --check URLs, torn down before the next, so a
 * machine is never left worse off than plain PXE.
 *
 * The bond speaks with the probe's LACP identity (ad_actor_system, ad_actor_sys_prio,
 * ad_user_port_key) and comes up within the LACP short timeout of the probe's last
 * LACPDU, so the switch never sees its partner vanish. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bond.h"
#include "check.h"
#include "clock.h"
#include "dhcp.h"
#include "dhcp_client.h"
#include "ladder.h"
#include "link.h"
#include "log.h"
#include "plan.h"
#include "renew.h"
#include "report.h"
#include "state.h"
#include "up.h"

#define POLL_MS 50

/* What one rung did. Only the winner's goes into the state, whole; a failed rung's
 * why and timings go into its line of the ladder. */
struct attempt {
	char active[IF_NAMESIZE];
	bool has_partner;
	uint8_t partner_system[6];
	uint16_t partner_key;
	bool has_lease;
	struct dhcp_lease lease;
	int64_t lease_start;   /* the lease's times count from here (clock_ms) */
	bool addr_added;       /* the lease's address is on the interface */
	unsigned restore_mtu;  /* what the lease's MTU replaced; 0: nothing */
	struct bond_opts opts; /* as applied */
	uint8_t mac[6];
	struct state_timeline t; /* enslaved, bond_up, partner_sync, collecting, lease */
	char why[200];
};

struct up {
	const struct up_config *cfg;
	struct link_ctx *link;
	struct probe_result *res;
	struct plan *pl;
	struct probe_pending *pending; /* NICs the join window stopped waiting for */
	int64_t t0;
	int bootif;	 /* index of the NIC PXE booted from, or -1 */
	bool no_bonding; /* the kernel cannot make bonds: bond rungs are skipped */
	bool said_no_bonding;
};

static int64_t since(const struct up *u)
{
	return clock_ms() - u->t0;
}

static const char *nic_name(const struct up *u, unsigned i)
{
	return u->res->nic[i].name;
}

static bool in_primary(const struct up *u, unsigned idx)
{
	for (unsigned k = 0; k < u->pl->n_primary; k++)
		if (u->pl->member[k] == idx)
			return true;
	return u->pl->mode != BOND_MODE_8023AD; /* forced 802.3ad: every member counts */
}

static void countdown(const struct up *u, int64_t deadline, int64_t *next, const char *what)
{
	int64_t now = since(u);

	if (now < *next)
		return;
	log_progress("%s (%" PRId64 " s left)", what, (deadline - now + 999) / 1000);
	*next = now + 1000;
}

/* The probed group whose partner (system and key) the kernel's active aggregator faces;
 * NULL if none does. */
static const struct plan_group *facing_group(const struct up *u, const struct bond_ad_info *ad)
{
	for (unsigned i = 0; i < u->pl->n_groups; i++) {
		const struct lacp_info *p = &u->pl->group[i].partner;

		if (!memcmp(p->system, ad->partner_mac, 6) && p->key == ad->partner_key)
			return &u->pl->group[i];
	}
	return NULL;
}

static bool in_group(const struct plan_group *grp, unsigned idx)
{
	for (unsigned k = 0; k < grp->n; k++)
		if (grp->member[k] == idx)
			return true;
	return false;
}

static void take_partner(struct attempt *a, const struct bond_ad_info *ad, int64_t now)
{
	memcpy(a->partner_system, ad->partner_mac, 6);
	a->partner_key = ad->partner_key;
	a->has_partner = true;
	a->t.collecting_distributing = now;
}

/* Waits until the kernel reports the members facing one probed partner in the active
 * aggregator, collecting and distributing with it: the primary group's, or another
 * group's when the kernel's aggregator selection picked that one first (both reach the
 * network; the kernel keeps a working aggregator). Returns how many joined. */
static unsigned wait_8023ad(struct up *u, const struct ladder_rung *g, int bond_idx,
			    int64_t deadline, struct attempt *a, bool joined_nic[PROBE_MAX_NICS],
			    bool *ret_all)
{
	uint8_t want = LACP_STATE_SYNC | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING;
	int64_t next_say = since(u) + 1000;
	char what[64];
	unsigned joined = 0;

	snprintf(what, sizeof(what), "%s: waiting for LACP aggregation", u->cfg->bond);
	for (;;) {
		struct bond_ad_info ad;
		const struct plan_group *face = NULL;
		unsigned need = 0;

		joined = 0;
		a->active[0] = '\0';
		memset(joined_nic, 0, PROBE_MAX_NICS * sizeof(bool));
		/* In a planned 802.3ad bond the aggregator must face a partner the probe saw. */
		if (bond_ad_info(u->link, bond_idx, &ad) == 0 && ad.valid &&
		    (u->pl->mode != BOND_MODE_8023AD || (face = facing_group(u, &ad)))) {
			for (unsigned k = 0; k < g->n; k++) {
				struct bond_member_info mi;
				unsigned idx = g->member[k];

				if (face ? !in_group(face, idx) : !in_primary(u, idx))
					continue;
				need++;
				if (bond_member_info(u->link, u->res->nic[idx].ifindex, &mi) < 0 ||
				    !mi.valid)
					continue;
				if ((mi.partner_state & LACP_STATE_SYNC) && a->t.partner_sync < 0)
					a->t.partner_sync = since(u);
				if (mi.aggregator == ad.aggregator &&
				    (mi.actor_state & want) == want &&
				    (mi.partner_state & want) == want) {
					joined++;
					joined_nic[idx] = true;
					if (!a->active[0])
						snprintf(a->active, IF_NAMESIZE, "%s",
							 nic_name(u, idx));
				}
			}
			if (joined && joined == need) {
				if (face && face != &u->pl->group[0])
					log_info("%s: the kernel made %s's aggregator (partner key "
						 "%u) the active one, not the primary group's; it "
						 "reaches the network too",
						 u->cfg->bond, a->active, face->partner.key);
				take_partner(a, &ad, since(u));
				*ret_all = true;
				return joined;
			}
		}
		if (since(u) >= deadline) {
			*ret_all = false;
			if (joined)
				take_partner(a, &ad, since(u));
			return joined;
		}
		countdown(u, deadline, &next_say, what);
		poll(NULL, 0, POLL_MS);
	}
}

static bool wait_carrier(struct up *u, int ifindex, const char *name, int64_t deadline)
{
	int64_t next_say = since(u) + 1000;
	char what[64];

	snprintf(what, sizeof(what), "%s: waiting for carrier", name);
	for (;;) {
		bool c = false;

		if (link_carrier(u->link, ifindex, &c) == 0 && c)
			return true;
		if (since(u) >= deadline)
			return false;
		countdown(u, deadline, &next_say, what);
		poll(NULL, 0, POLL_MS);
	}
}

/* DHCP and the checks over a path that is up. */
static bool reach_server(struct up *u, const char *ifname, int ifindex, struct attempt *a)
{
	const struct up_config *cfg = u->cfg;
	char why[160];
	int r;

	if (cfg->dhcp) {
		log_info("%s: asking for a DHCP lease", ifname);
		r = dhcp_client_lease(u->link, ifindex, ifname, cfg->timeout_ms, &a->lease,
				      &a->lease_start, a->why, sizeof(a->why));
		if (r < 0) {
			if (r != -ETIMEDOUT)
				snprintf(a->why, sizeof(a->why), "no DHCP lease on %s: %s", ifname,
					 strerror(-r));
			return false;
		}
		r = dhcp_client_apply(u->link, ifindex, ifname, &a->lease,
				      cfg->resolv ? UP_RESOLV_CONF : NULL, &a->restore_mtu);
		if (r < 0) {
			snprintf(a->why, sizeof(a->why), "cannot put the lease on %s: %s", ifname,
				 strerror(-r));
			return false;
		}
		a->has_lease = a->addr_added = true;
		a->t.lease = since(u);
	}
	for (int i = 0; i < cfg->n_checks; i++) {
		r = check_url(cfg->checks[i], cfg->timeout_ms, why, sizeof(why));
		if (r < 0) {
			snprintf(a->why, sizeof(a->why), "%.80s: %.110s", cfg->checks[i], why);
			return false;
		}
		log_info("%s: %s answers", ifname, cfg->checks[i]);
	}
	return true;
}

/* A failed rung's NICs back as they were: down if they were, and nothing of ours on them. */
static void restore_nics(struct up *u, const struct ladder_rung *g)
{
	for (unsigned k = 0; k < g->n; k++) {
		const struct probe_nic *nic = &u->res->nic[g->member[k]];

		if (!nic->was_up)
			link_set_up(u->link, nic->ifindex, false);
	}
}

/* Primary members that did not join the aggregator in time leave the bond and the rung,
 * and are put back as they were. */
static void release_stragglers(struct up *u, struct ladder_rung *g, const bool joined_nic[])
{
	unsigned keep = 0;

	for (unsigned k = 0; k < g->n; k++) {
		unsigned idx = g->member[k];
		const struct probe_nic *nic = &u->res->nic[idx];

		if (joined_nic[idx] || !in_primary(u, idx)) {
			g->member[keep++] = idx;
			continue;
		}
		log_warn("%s: %s did not join the aggregator in time, released", u->cfg->bond,
			 nic->name);
		bond_release(u->link, nic->ifindex);
		if (!nic->was_up)
			link_set_up(u->link, nic->ifindex, false);
	}
	g->n = keep;
}

/* Bonding there, or loaded now; said once, with modprobe's reason, when it cannot be. */
static bool have_bonding(struct up *u)
{
	char why[200];

	if (u->no_bonding)
		return false;
	if (bond_load_driver(why, sizeof(why)) == 0)
		return true;
	u->no_bonding = true;
	log_warn("no bonding driver (%s): the bond rungs are skipped", why);
	return false;
}

static int make_bond(struct up *u, const struct bond_opts *o, const uint8_t *mac, int *ret_idx)
{
	const char *name = u->cfg->bond;
	int r = bond_create(u->link, name, o, mac, ret_idx);

	if (r == -EEXIST && bond_idle(u->link, name)) {
		/* bonding.ko makes bond0 when it loads without max_bonds=0: down, empty,
		 * unaddressed, nobody's. */
		log_info("%s was there unused (made when bonding.ko loaded), replacing it", name);
		r = bond_delete(u->link, (int)if_nametoindex(name));
		if (r >= 0)
			r = bond_create(u->link, name, o, mac, ret_idx);
	}
	return r;
}

/* The NICs the probe's join window stopped waiting for, once the bond has formed: those
 * whose partner answered meanwhile join the rung as late members (any partner: a port
 * that speaks LACP carries nothing outside the bond), and the decision is made again
 * with what is known now, for the state and the report. */
static void add_answered(struct up *u, struct ladder_rung *g)
{
	if (!probe_settle(u->pending, u->res))
		return;
	for (unsigned i = 0; i < u->res->n; i++) {
		bool in = false;

		for (unsigned k = 0; k < g->n; k++)
			in = in || g->member[k] == i;
		if (!in && u->res->nic[i].late && u->res->nic[i].lacp_detected)
			g->member[g->n++] = i;
	}
	plan_decide(u->res, u->pl);
}

/* Enslaves the rung's members that are (late) or are not (!late) late; how many. */
static unsigned enslave(struct up *u, const struct ladder_rung *g, int bond_idx, bool late)
{
	unsigned n = 0;

	for (unsigned k = 0; k < g->n; k++) {
		const struct probe_nic *nic = &u->res->nic[g->member[k]];
		int r;

		if (nic->late != late)
			continue;
		r = bond_enslave(u->link, bond_idx, nic->ifindex);
		if (r < 0)
			log_warn_errno(r, "%s: cannot enslave %s, going on without it",
				       u->cfg->bond, nic->name);
		else
			n++;
	}
	return n;
}

/* The bond's MAC: BOOTIF's where it is a member, so DHCP reservations hold; else the
 * first member's. */
static const uint8_t *rung_mac(const struct up *u, const struct ladder_rung *g)
{
	for (unsigned k = 0; k < g->n; k++)
		if ((int)g->member[k] == u->bootif)
			return u->res->nic[u->bootif].perm_mac;
	return u->res->nic[g->member[0]].perm_mac;
}

/* The rung's members changed after the bond was made (late ones that answered, appended):
 * its MAC follows the same rule, before DHCP, as if they had been there from the start,
 * which changes it only for BOOTIF's NIC (the actor system is an option of its own: LACP
 * is undisturbed). */
static void follow_mac(struct up *u, const struct ladder_rung *g, int bond_idx, struct attempt *a)
{
	const uint8_t *mac = rung_mac(u, g);
	int r;

	if (!memcmp(a->mac, mac, 6))
		return;
	r = link_set_mac(u->link, bond_idx, mac);
	if (r < 0) {
		log_warn_errno(r,
			       "%s: cannot take %s's MAC (BOOTIF, a late member): the lease is "
			       "for another MAC",
			       u->cfg->bond, nic_name(u, (unsigned)u->bootif));
		return;
	}
	memcpy(a->mac, mac, 6);
	log_info("%s: %s (BOOTIF) joined late: the bond takes its MAC", u->cfg->bond,
		 nic_name(u, (unsigned)u->bootif));
}

static bool try_bond(struct up *u, struct ladder_rung *g, struct attempt *a)
{
	const struct up_config *cfg = u->cfg;
	const uint8_t *mac = rung_mac(u, g);
	int bond_idx = -1, r;
	unsigned enslaved = 0;
	int64_t deadline;
	bool all = true;

	if (!have_bonding(u)) {
		snprintf(a->why, sizeof(a->why), "no bonding driver");
		return false;
	}
	ladder_rung_opts(g, &cfg->opts, u->res, &a->opts);
	memcpy(a->mac, mac, 6);
	r = make_bond(u, &a->opts, mac, &bond_idx);
	if (r < 0) {
		snprintf(a->why, sizeof(a->why), "cannot create %s: %s%s", cfg->bond, strerror(-r),
			 r == -EEXIST ? " (in use: pxebond.bond= names another)" : "");
		return false;
	}
	enslaved = enslave(u, g, bond_idx, false);
	a->t.enslaved = since(u);
	r = enslaved ? link_set_up(u->link, bond_idx, true) : -ENODEV;
	if (r < 0) {
		snprintf(a->why, sizeof(a->why), "cannot bring %s up: %s", cfg->bond, strerror(-r));
		goto fail;
	}
	a->t.bond_up = since(u);
	deadline = since(u) + cfg->timeout_ms;

	if (g->mode == BOND_MODE_8023AD) {
		bool joined_nic[PROBE_MAX_NICS];
		unsigned joined = wait_8023ad(u, g, bond_idx, deadline, a, joined_nic, &all);

		if (!joined) {
			snprintf(a->why, sizeof(a->why),
				 "no member of %s aggregated with the LACP partner within %d s",
				 cfg->bond, cfg->timeout_ms / 1000);
			goto fail;
		}
		if (!all)
			release_stragglers(u, g, joined_nic);
		log_info("%s: aggregated, %s active", cfg->bond, a->active);
		/* Only now: a port that came up within the aggregate's wait would restart it
		 * (802.1AX wait_while), and the late ones are not waited for. */
		add_answered(u, g);
		enslave(u, g, bond_idx, true);
		follow_mac(u, g, bond_idx, a);
	} else {
		if (!wait_carrier(u, bond_idx, cfg->bond, deadline)) {
			snprintf(a->why, sizeof(a->why), "%s has no active member", cfg->bond);
			goto fail;
		}
		snprintf(a->active, sizeof(a->active), "%s", nic_name(u, g->member[0]));
	}
	if (reach_server(u, cfg->bond, bond_idx, a))
		return true;
fail:
	/* Releases the members, restoring their MACs and MTUs; the bond's address goes too. */
	bond_delete(u->link, bond_idx);
	restore_nics(u, g);
	return false;
}

static bool try_single(struct up *u, const struct ladder_rung *g, struct attempt *a)
{
	const struct probe_nic *nic = &u->res->nic[g->member[0]];
	int r = link_set_up(u->link, nic->ifindex, true);

	if (r < 0) {
		snprintf(a->why, sizeof(a->why), "cannot bring %s up: %s", nic->name, strerror(-r));
		return false;
	}
	if (!wait_carrier(u, nic->ifindex, nic->name, since(u) + u->cfg->timeout_ms)) {
		snprintf(a->why, sizeof(a->why), "%s has no carrier", nic->name);
		restore_nics(u, g);
		return false;
	}
	if (reach_server(u, nic->name, nic->ifindex, a)) {
		snprintf(a->active, sizeof(a->active), "%s", nic->name);
		return true;
	}
	/* Only what this rung put there goes: the lease's address and MTU. */
	if (a->addr_added)
		link_addr4_del(u->link, nic->ifindex, a->lease.addr, a->lease.prefix);
	if (a->restore_mtu)
		link_set_mtu(u->link, nic->ifindex, a->restore_mtu);
	restore_nics(u, g);
	return false;
}

/* NICs the probe brought up that the path does not use (no carrier, no partner, or
 * every rung failed) go back down: nothing is left up that was not up before. */
static void restore_unused(struct up *u, const struct ladder_rung *win)
{
	for (unsigned i = 0; i < u->res->n; i++) {
		bool used = false;

		for (unsigned k = 0; win && k < win->n; k++)
			used = used || win->member[k] == i;
		if (!used && !u->res->nic[i].was_up)
			link_set_up(u->link, u->res->nic[i].ifindex, false);
	}
}

static void record_win(struct up *u, struct state *st, const struct ladder_rung *g,
		       const struct attempt *a)
{
	st->result = STATE_OK;
	st->mode = g->mode;
	st->n_members = g->n;
	for (unsigned k = 0; k < g->n; k++) {
		snprintf(st->members[k], IF_NAMESIZE, "%s", nic_name(u, g->member[k]));
		memcpy(st->member_mac[k], u->res->nic[g->member[k]].perm_mac, 6);
		if (u->res->nic[g->member[k]].late)
			snprintf(st->late[st->n_late++], IF_NAMESIZE, "%s",
				 nic_name(u, g->member[k]));
	}
	snprintf(st->active, sizeof(st->active), "%s", a->active);
	if (g->mode == BOND_MODE_SINGLE) {
		snprintf(st->iface, sizeof(st->iface), "%s", nic_name(u, g->member[0]));
		st->restore_mtu = a->restore_mtu;
	} else {
		snprintf(st->iface, sizeof(st->iface), "%s", u->cfg->bond);
		snprintf(st->bond, sizeof(st->bond), "%s", u->cfg->bond);
		st->opts = a->opts;
		memcpy(st->mac, a->mac, 6);
		st->has_mac = true;
	}
	st->has_partner = a->has_partner;
	memcpy(st->partner_system, a->partner_system, 6);
	st->partner_key = a->partner_key;
	if (a->has_lease)
		state_set_lease(st, &a->lease);
}

static void fill_timeline(struct up *u, struct state *st)
{
	struct state_timeline *t = &st->t;

	for (unsigned i = 0; i < u->res->n; i++) {
		const struct probe_nic *nic = &u->res->nic[i];

		if (nic->carrier_ms >= 0 && (t->carrier < 0 || nic->carrier_ms < t->carrier))
			t->carrier = nic->carrier_ms;
		if (nic->lacp_detected &&
		    (t->first_lacpdu < 0 || nic->carrier_ms + nic->lacp_ms < t->first_lacpdu))
			t->first_lacpdu = nic->carrier_ms + nic->lacp_ms;
	}
	t->probe_done = since(u);
}

/* The probe's report, as `probe --json` prints it, in state.json. */
static void probe_json(FILE *f, const void *data)
{
	const struct up *u = data;

	report_json_object(f, u->res, u->pl);
}

static int save(const struct up *u, const struct state *st)
{
	const struct state_probe probe = { probe_json, u };
	int r = state_write(u->cfg->state_dir, st, &probe);

	if (r < 0)
		log_err_errno(r, "cannot write the state to %s", u->cfg->state_dir);
	return r;
}

static void start_renewer(struct up *u, struct state *st, int64_t lease_start)
{
	struct dhcp_times t;
	char ip[16];
	pid_t pid = 0;
	int r;

	if (!st->has_lease) {
		log_info("--renew: no DHCP lease (--no-dhcp), nothing to renew");
		return;
	}
	dhcp_ip_str(st->lease.addr, ip);
	if (!dhcp_renew_times(&st->lease, &t)) {
		log_info("%s: the lease of %s never ends: no renewer needed", st->iface, ip);
		return;
	}
	r = renew_spawn(st->iface, &st->lease, lease_start, &pid);
	if (r < 0) {
		log_warn_errno(r, "%s: cannot start the lease renewer; %s goes when its lease ends",
			       st->iface, ip);
		return;
	}
	/* The pid in the state, or no renewer: `down` must be able to stop it. */
	st->renew_pid = pid;
	if (save(u, st) < 0) {
		kill(pid, SIGTERM);
		st->renew_pid = 0;
		log_warn("the lease renewer is stopped, since the state cannot name it; %s goes "
			 "when its lease ends",
			 ip);
		return;
	}
	log_info("%s: lease renewer started (pid %d): the %u s lease of %s is renewed from T1 "
		 "(%u s) on, by any server from T2 (%u s)",
		 st->iface, (int)pid, t.lease_s, ip, t.t1_s, t.t2_s);
}

/* A second `up` over a path that is up would orphan it: `down` could not undo it. */
static int refuse_if_up(const struct up_config *cfg)
{
	static struct state old;
	char warn[1024];
	int r = state_read(cfg->state_dir, &old, warn, sizeof(warn));

	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		log_warn("%s; replacing it", warn);
		return 0;
	}
	if (old.result != STATE_OK)
		return 0;
	log_err("%s/state says %s is up already (%s over %u NIC%s): run 'pxebond down' first",
		cfg->state_dir, old.iface, bond_mode_to_string(old.mode), old.n_members,
		old.n_members == 1 ? "" : "s");
	return -EALREADY;
}

int up_run(const struct up_config *cfg)
{
	static struct probe_result res;
	static struct plan pl;
	static struct state st;
	static struct ladder_rung rungs[LADDER_MAX];
	static struct probe_pending pending;
	struct up u = { .cfg = cfg,
			.res = &res,
			.pl = &pl,
			.pending = &pending,
			.t0 = clock_ms(),
			.bootif = -1 };
	struct probe_config pc = cfg->probe;
	const struct ladder_rung *win = NULL;
	int64_t lease_start = 0;
	char ip[16];
	unsigned n;
	int r;

	state_init(&st);
	if (cfg->mode == BOND_MODE_OFF) {
		log_info("pxebond=off: leaving the network to the installer");
		return -ENOLINK;
	}
	r = refuse_if_up(cfg);
	if (r < 0)
		return r;
	if (mkdir(cfg->state_dir, 0755) < 0 && errno != EEXIST)
		return log_err_errno(-errno, "%s", cfg->state_dir);

	/* The bond follows at once with the same identity: no withdrawal, links stay up. */
	pc.withdraw = false;
	pc.keep_up = true;
	pc.pending = &pending;
	r = probe_run(&pc, &res);
	if (r < 0)
		return r;
	plan_decide(&res, &pl);
	if (cfg->table) {
		report_table(stdout, &res, &pl);
		fflush(stdout);
	}
	fill_timeline(&u, &st);
	memcpy(st.actor_system, res.actor.system, 6);
	for (unsigned i = 0; i < res.n; i++) {
		snprintf(st.restore_name[i], IF_NAMESIZE, "%s", res.nic[i].name);
		st.restore_up[i] = res.nic[i].was_up;
		if (cfg->has_bootif && !memcmp(res.nic[i].perm_mac, cfg->bootif, 6))
			u.bootif = (int)i;
	}
	st.n_restore = res.n;
	log_info("probe: %s: %s", bond_mode_to_string(pl.mode), pl.reason);
	if (cfg->if_lacp && cfg->mode == BOND_MODE_AUTO && pl.mode != BOND_MODE_8023AD) {
		/* A boot hook's call: without LACP the installer's own network setup works as
		 * it always did, so it gets the NICs back untouched. */
		log_info("no NIC has an LACP partner: leaving the network to the installer");
		r = link_open(&u.link);
		if (r < 0)
			return log_err_errno(r, "cannot open rtnetlink");
		restore_unused(&u, NULL);
		link_close(u.link);
		st.result = STATE_SKIPPED;
		save(&u, &st);
		return -ENOLINK;
	}
	if (cfg->has_bootif && u.bootif < 0)
		log_warn("BOOTIF is none of the probed NICs, ignored");

	r = link_open(&u.link);
	if (r < 0)
		return log_err_errno(r, "cannot open rtnetlink");
	n = ladder_build(cfg->mode, u.bootif, &res, &pl, rungs, LADDER_MAX);
	for (unsigned k = 0; k < n; k++) {
		struct state_rung *rr = &st.rung[st.n_rungs++];
		struct attempt a = { .t = st.t };
		int64_t t = since(&u);
		bool ok, bond = rungs[k].mode != BOND_MODE_SINGLE;

		a.t.enslaved = a.t.bond_up = a.t.partner_sync = -1;
		a.t.collecting_distributing = a.t.lease = -1;
		rr->mode = rungs[k].mode;
		ladder_members_text(&rungs[k], &res, rr->members, sizeof(rr->members));
		snprintf(rr->iface, sizeof(rr->iface), "%s",
			 bond ? cfg->bond : nic_name(&u, rungs[k].member[0]));
		if (bond && u.no_bonding) {
			snprintf(rr->why, sizeof(rr->why), "no bonding driver");
			continue; /* said once already */
		}
		log_info("trying %s over %s", bond_mode_to_string(rr->mode), rr->members);
		ok = bond ? try_bond(&u, &rungs[k], &a) : try_single(&u, &rungs[k], &a);
		rr->ok = ok;
		rr->ms = since(&u) - t;
		snprintf(rr->why, sizeof(rr->why), "%s", ok ? "" : a.why);
		/* The timeline after the probe is the last rung's own, not a mix of rungs. */
		st.t = a.t;
		if (ok) {
			win = &rungs[k];
			record_win(&u, &st, win, &a);
			lease_start = a.lease_start;
			break;
		}
		if (bond && u.no_bonding)
			continue;
		log_warn("%s over %s failed: %s%s", bond_mode_to_string(rr->mode), rr->members,
			 rr->why, k + 1 < n ? ", trying the next way" : "");
	}
	probe_pending_close(&pending);
	restore_unused(&u, win);
	link_close(u.link);
	if (!n)
		log_err("%s: nothing to bring up",
			res.n ? "no NIC has carrier" : "no NIC to probe (none matched)");
	r = save(&u, &st);
	if (st.result != STATE_OK) {
		if (cfg->resolv && dhcp_client_resolv_restore(UP_RESOLV_CONF) < 0)
			log_warn("cannot put %s back as it was", UP_RESOLV_CONF);
		if (n)
			log_err("no way to the install server worked; the NICs are as they were");
		return -ENETUNREACH;
	}
	if (pl.mode == BOND_MODE_8023AD && st.mode != BOND_MODE_8023AD)
		log_warn("these ports speak LACP but the 802.3ad bond did not come up: %s on %s "
			 "works only where the switch falls back from LACP; a strict LAG carries "
			 "nothing on it",
			 bond_mode_to_string(st.mode), st.iface);
	dhcp_ip_str(st.lease.addr, ip);
	log_info("up: %s on %s%s%s in %" PRId64 ".%" PRId64 " s", bond_mode_to_string(st.mode),
		 st.iface, st.has_lease ? ", address " : "", st.has_lease ? ip : "",
		 since(&u) / 1000, since(&u) % 1000 / 100);
	if (cfg->resolv && dhcp_client_resolv_keep(cfg->state_dir) < 0)
		log_warn("cannot keep the old %s for 'pxebond down'", UP_RESOLV_CONF);
	/* Without the state, `down` could not find a renewer to stop: none then. */
	if (cfg->renew && r >= 0)
		start_renewer(&u, &st, lease_start);
	return 0;
}
