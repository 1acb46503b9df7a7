/* `up`: from the probe's decision to a working path to the install server. Rungs are
 * tried in order, each torn down before the next, so a machine is never left worse off
 * than plain PXE: 802.3ad, active-backup, then each single NIC (BOOTIF first).
 *
 * The bond speaks with the probe's LACP identity (ad_actor_system, ad_actor_sys_prio,
 * ad_user_port_key) and comes up within the LACP short timeout of the probe's last
 * LACPDU, so the switch never sees its partner vanish. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bond.h"
#include "check.h"
#include "dhcp.h"
#include "dhcp_client.h"
#include "link.h"
#include "log.h"
#include "plan.h"
#include "report.h"
#include "state.h"
#include "up.h"

#define POLL_MS	   50
#define RENEW_COMM "pxebond-renew" /* the renewer's name in ps, which `down` checks */

struct rung {
	enum up_mode mode;
	unsigned n;
	unsigned member[PROBE_MAX_NICS]; /* indices into probe_result.nic, active first */
};

struct up {
	const struct up_config *cfg;
	struct link_ctx *link;
	struct probe_result *res;
	struct plan *pl;
	struct state *st;
	struct timespec t0;
	int bootif;	     /* index of the NIC PXE booted from, or -1 */
	bool no_bonding;     /* the kernel cannot make bonds: skip those rungs */
	int64_t lease_start; /* the lease's times count from here (CLOCK_MONOTONIC ms) */
};

static int64_t since(const struct up *u)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - u->t0.tv_sec) * 1000 + (t.tv_nsec - u->t0.tv_nsec) / 1000000;
}

static const char *nic_name(const struct up *u, unsigned i)
{
	return u->res->nic[i].name;
}

static void members_text(const struct up *u, const struct rung *g, char *out, size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned k = 0; k < g->n && o < cap; k++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", k ? "," : "",
				      nic_name(u, g->member[k]));
}

static void add_member(struct rung *g, unsigned idx)
{
	for (unsigned k = 0; k < g->n; k++)
		if (g->member[k] == idx)
			return;
	g->member[g->n++] = idx;
}

/* The ladder, from the requested (or decided) mode down to single NICs. */
static unsigned build_rungs(const struct up *u, struct rung *out, unsigned max)
{
	const struct probe_result *res = u->res;
	const struct plan *pl = u->pl;
	struct rung carrier = { 0 };
	enum up_mode start = u->cfg->mode;
	unsigned n = 0;

	if (u->bootif >= 0 && res->nic[u->bootif].carrier)
		add_member(&carrier, (unsigned)u->bootif);
	for (unsigned k = 0; k < pl->n_members; k++)
		add_member(&carrier, pl->member[k]);
	for (unsigned i = 0; i < res->n; i++)
		if (res->nic[i].carrier)
			add_member(&carrier, i);
	if (start == UP_AUTO)
		start = pl->mode == PLAN_8023AD		 ? UP_8023AD
			: pl->mode == PLAN_ACTIVE_BACKUP ? UP_ACTIVE_BACKUP
							 : UP_SINGLE;

	if (start == UP_8023AD && carrier.n && n < max) {
		struct rung *g = &out[n++];

		*g = (struct rung){ .mode = UP_8023AD };
		/* The plan's members, primary group first; BOOTIF's MAC is chosen later. */
		if (pl->mode == PLAN_8023AD)
			for (unsigned k = 0; k < pl->n_members; k++)
				add_member(g, pl->member[k]);
		else
			*g = (struct rung){ .mode = UP_8023AD, .n = carrier.n },
			memcpy(g->member, carrier.member, sizeof(g->member));
	}
	if ((start == UP_8023AD || start == UP_ACTIVE_BACKUP) && carrier.n >= 2 && n < max) {
		out[n] = carrier;
		out[n++].mode = UP_ACTIVE_BACKUP;
	}
	for (unsigned k = 0; k < carrier.n && n < max; k++)
		out[n++] =
		    (struct rung){ .mode = UP_SINGLE, .n = 1, .member = { carrier.member[k] } };
	return n;
}

/* Options for this rung: the user's over ours, with what the mode does not take left out
 * (the kernel refuses lacp_rate outside 802.3ad, for one). */
static void rung_opts(const struct up *u, const struct rung *g, struct bond_opts *o)
{
	static const enum bond_opt ad_only[] = {
		BOND_OPT_LACP_RATE,	   BOND_OPT_AD_SELECT,	     BOND_OPT_AD_ACTOR_SYS_PRIO,
		BOND_OPT_AD_USER_PORT_KEY, BOND_OPT_AD_ACTOR_SYSTEM, BOND_OPT_LACP_ACTIVE
	};

	*o = u->cfg->opts;
	if (g->mode == UP_8023AD) {
		bond_opts_set(o, BOND_OPT_MODE, BOND_MODE_8023AD);
		if (!o->set[BOND_OPT_AD_ACTOR_SYSTEM]) {
			memcpy(o->actor_system, u->res->actor.system, 6);
			o->set[BOND_OPT_AD_ACTOR_SYSTEM] = true;
		}
		if (!o->set[BOND_OPT_AD_ACTOR_SYS_PRIO])
			bond_opts_set(o, BOND_OPT_AD_ACTOR_SYS_PRIO, u->res->actor.system_priority);
		if (!o->set[BOND_OPT_AD_USER_PORT_KEY])
			bond_opts_set(o, BOND_OPT_AD_USER_PORT_KEY, 0);
		o->set[BOND_OPT_PRIMARY] = false;
		return;
	}
	bond_opts_set(o, BOND_OPT_MODE, BOND_MODE_ACTIVE_BACKUP);
	for (size_t i = 0; i < sizeof(ad_only) / sizeof(ad_only[0]); i++)
		o->set[ad_only[i]] = false;
	o->set[BOND_OPT_XMIT_HASH_POLICY] = false;
	o->set[BOND_OPT_MIN_LINKS] = false;
	if (!o->set[BOND_OPT_PRIMARY]) {
		snprintf(o->primary, sizeof(o->primary), "%s", nic_name(u, g->member[0]));
		o->set[BOND_OPT_PRIMARY] = true;
	}
}

static bool in_primary(const struct up *u, unsigned idx)
{
	for (unsigned k = 0; k < u->pl->n_primary; k++)
		if (u->pl->member[k] == idx)
			return true;
	return u->pl->mode != PLAN_8023AD; /* forced 802.3ad: every member counts */
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

/* Waits until the kernel reports the members facing one probed partner in the active
 * aggregator, collecting and distributing with it: the primary group's, or another
 * group's when the kernel's aggregator selection picked that one first (both reach the
 * network; the kernel keeps a working aggregator). Returns how many joined. */
static unsigned wait_8023ad(struct up *u, const struct rung *g, int bond_idx, int64_t deadline,
			    char *active, bool joined_nic[PROBE_MAX_NICS], bool *ret_all)
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
		active[0] = '\0';
		memset(joined_nic, 0, PROBE_MAX_NICS * sizeof(bool));
		/* In a planned 802.3ad bond the aggregator must face a partner the probe saw. */
		if (bond_ad_info(u->link, bond_idx, &ad) == 0 && ad.valid &&
		    (u->pl->mode != PLAN_8023AD || (face = facing_group(u, &ad)))) {
			for (unsigned k = 0; k < g->n; k++) {
				struct bond_member_info mi;
				unsigned idx = g->member[k];

				if (face ? !in_group(face, idx) : !in_primary(u, idx))
					continue;
				need++;
				if (bond_member_info(u->link, u->res->nic[idx].ifindex, &mi) < 0 ||
				    !mi.valid)
					continue;
				if ((mi.partner_state & LACP_STATE_SYNC) &&
				    u->st->t.partner_sync < 0)
					u->st->t.partner_sync = since(u);
				if (mi.aggregator == ad.aggregator &&
				    (mi.actor_state & want) == want &&
				    (mi.partner_state & want) == want) {
					joined++;
					joined_nic[idx] = true;
					if (!active[0])
						snprintf(active, IF_NAMESIZE, "%s",
							 nic_name(u, idx));
				}
			}
			if (joined && joined == need) {
				if (face && face != &u->pl->group[0])
					log_info(
					    "%s: the kernel made %s's aggregator (partner key %u) "
					    "the "
					    "active one, not the primary group's; it reaches the "
					    "network too",
					    u->cfg->bond, active, face->partner.key);
				u->st->t.collecting_distributing = since(u);
				memcpy(u->st->partner_system, ad.partner_mac, 6);
				u->st->partner_key = ad.partner_key;
				u->st->has_partner = true;
				*ret_all = true;
				return joined;
			}
		}
		if (since(u) >= deadline) {
			*ret_all = false;
			if (joined) {
				memcpy(u->st->partner_system, ad.partner_mac, 6);
				u->st->partner_key = ad.partner_key;
				u->st->has_partner = true;
				u->st->t.collecting_distributing = since(u);
			}
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

/* DHCP and the checks over a path that is up. *ret_old_mtu: what the lease's MTU
 * replaced (0: nothing), for a failed rung to put back. */
static bool reach_server(struct up *u, const char *ifname, int ifindex, struct state_rung *rr,
			 unsigned *ret_old_mtu)
{
	const struct up_config *cfg = u->cfg;
	char why[160];
	int r;

	*ret_old_mtu = 0;
	if (cfg->dhcp) {
		log_info("%s: asking for a DHCP lease", ifname);
		r = dhcp_client_lease(u->link, ifindex, ifname, cfg->timeout_ms, &u->st->lease,
				      &u->lease_start, rr->why, sizeof(rr->why));
		if (r < 0) {
			if (r != -ETIMEDOUT)
				snprintf(rr->why, sizeof(rr->why), "no DHCP lease on %s: %s",
					 ifname, strerror(-r));
			return false;
		}
		r = dhcp_client_apply(u->link, ifindex, ifname, &u->st->lease,
				      cfg->resolv ? UP_RESOLV_CONF : NULL, ret_old_mtu);
		if (r < 0) {
			snprintf(rr->why, sizeof(rr->why), "cannot put the lease on %s: %s", ifname,
				 strerror(-r));
			return false;
		}
		u->st->has_lease = true;
		u->st->t.lease = since(u);
	}
	for (int i = 0; i < cfg->n_checks; i++) {
		r = check_url(cfg->checks[i], cfg->timeout_ms, why, sizeof(why));
		if (r < 0) {
			snprintf(rr->why, sizeof(rr->why), "%.80s: %.110s", cfg->checks[i], why);
			return false;
		}
		log_info("%s: %s answers", ifname, cfg->checks[i]);
	}
	return true;
}

static void restore_nics(struct up *u, const struct rung *g)
{
	for (unsigned k = 0; k < g->n; k++) {
		const struct probe_nic *nic = &u->res->nic[g->member[k]];

		link_flush_addrs(u->link, nic->ifindex);
		if (!nic->was_up)
			link_set_up(u->link, nic->ifindex, false);
	}
}

/* Primary members that did not join the aggregator in time leave the bond and the rung,
 * and are put back as they were. */
static void release_stragglers(struct up *u, struct rung *g, const bool joined_nic[])
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

static bool try_bond(struct up *u, struct rung *g, struct state_rung *rr)
{
	const struct up_config *cfg = u->cfg;
	struct bond_opts o;
	const uint8_t *mac = u->res->nic[g->member[0]].perm_mac;
	int bond_idx = -1, r;
	unsigned enslaved = 0, old_mtu;
	int64_t deadline;
	bool all = true;

	if (u->no_bonding) {
		snprintf(rr->why, sizeof(rr->why), "the kernel has no bonding driver");
		return false;
	}
	rung_opts(u, g, &o);
	/* The bond's MAC: BOOTIF's where it is a member, so DHCP reservations hold. */
	for (unsigned k = 0; k < g->n; k++)
		if ((int)g->member[k] == u->bootif)
			mac = u->res->nic[u->bootif].perm_mac;
	r = bond_create(u->link, cfg->bond, &o, mac, &bond_idx);
	if (r == -EEXIST && bond_idle(u->link, cfg->bond)) {
		/* bonding.ko makes bond0 when it loads without max_bonds=0: down, empty,
		 * unaddressed, nobody's. */
		log_info("%s was there unused (made when bonding.ko loaded), replacing it",
			 cfg->bond);
		r = bond_delete(u->link, (int)if_nametoindex(cfg->bond));
		if (r >= 0)
			r = bond_create(u->link, cfg->bond, &o, mac, &bond_idx);
	}
	if (r == -EOPNOTSUPP || r == -ENOENT) {
		int lr = bond_load_driver();

		if (lr == 0)
			r = bond_create(u->link, cfg->bond, &o, mac, &bond_idx);
		else
			log_warn(
			    "the kernel has no bonding driver and %s",
			    lr == -ENOEXEC
				? "there is no modprobe to load it: add bonding.ko to the initramfs"
				: "modprobe bonding failed");
	}
	if (r < 0) {
		snprintf(rr->why, sizeof(rr->why), "cannot create %s: %s%s", cfg->bond,
			 strerror(-r),
			 r == -EEXIST ? " (in use: pxebond.bond= names another)" : "");
		if (r == -EOPNOTSUPP || r == -ENOENT)
			u->no_bonding = true;
		return false;
	}
	bond_opts_format(&o, ',', u->st->bond_opts, sizeof(u->st->bond_opts));
	memcpy(u->st->mac, mac, 6);
	for (unsigned k = 0; k < g->n; k++) {
		const struct probe_nic *nic = &u->res->nic[g->member[k]];

		r = bond_enslave(u->link, bond_idx, nic->ifindex);
		if (r < 0)
			log_warn_errno(r, "%s: cannot enslave %s, going on without it", cfg->bond,
				       nic->name);
		else
			enslaved++;
	}
	u->st->t.enslaved = since(u);
	r = enslaved ? link_set_up(u->link, bond_idx, true) : -ENODEV;
	if (r < 0) {
		snprintf(rr->why, sizeof(rr->why), "cannot bring %s up: %s", cfg->bond,
			 strerror(-r));
		goto fail;
	}
	u->st->t.bond_up = since(u);
	deadline = since(u) + cfg->timeout_ms;

	if (g->mode == UP_8023AD) {
		bool joined_nic[PROBE_MAX_NICS];
		unsigned joined =
		    wait_8023ad(u, g, bond_idx, deadline, u->st->active, joined_nic, &all);

		if (!joined) {
			snprintf(rr->why, sizeof(rr->why),
				 "no member of %s aggregated with the LACP partner within %d s",
				 cfg->bond, cfg->timeout_ms / 1000);
			goto fail;
		}
		if (!all)
			release_stragglers(u, g, joined_nic);
		log_info("%s: aggregated, %s active", cfg->bond, u->st->active);
	} else {
		if (!wait_carrier(u, bond_idx, cfg->bond, deadline)) {
			snprintf(rr->why, sizeof(rr->why), "%s has no active member", cfg->bond);
			goto fail;
		}
		snprintf(u->st->active, sizeof(u->st->active), "%s", nic_name(u, g->member[0]));
	}
	/* bond_delete puts back the members' MTUs: the bonding driver keeps them. */
	if (!reach_server(u, cfg->bond, bond_idx, rr, &old_mtu))
		goto fail;
	return true;
fail:
	bond_delete(u->link, bond_idx); /* releases the members, restoring their MACs */
	restore_nics(u, g);
	u->st->has_partner = false;
	u->st->has_lease = false;
	u->st->active[0] = '\0';
	return false;
}

static bool try_single(struct up *u, const struct rung *g, struct state_rung *rr)
{
	const struct probe_nic *nic = &u->res->nic[g->member[0]];
	int r = link_set_up(u->link, nic->ifindex, true);
	unsigned old_mtu = 0;

	if (r < 0) {
		snprintf(rr->why, sizeof(rr->why), "cannot bring %s up: %s", nic->name,
			 strerror(-r));
		return false;
	}
	if (!wait_carrier(u, nic->ifindex, nic->name, since(u) + u->cfg->timeout_ms)) {
		snprintf(rr->why, sizeof(rr->why), "%s has no carrier", nic->name);
		restore_nics(u, g);
		return false;
	}
	if (reach_server(u, nic->name, nic->ifindex, rr, &old_mtu)) {
		snprintf(u->st->active, sizeof(u->st->active), "%s", nic->name);
		u->st->restore_mtu = old_mtu;
		return true;
	}
	if (old_mtu)
		link_set_mtu(u->link, nic->ifindex, old_mtu);
	restore_nics(u, g);
	u->st->has_lease = false;
	return false;
}

/* NICs the probe brought up that the path does not use (no carrier, no partner, or
 * every rung failed) go back down: nothing is left up that was not up before. */
static void restore_unused(struct up *u, const struct rung *win)
{
	for (unsigned i = 0; i < u->res->n; i++) {
		bool used = false;

		for (unsigned k = 0; win && k < win->n; k++)
			used = used || win->member[k] == i;
		if (!used && !u->res->nic[i].was_up)
			link_set_up(u->link, u->res->nic[i].ifindex, false);
	}
}

static void record_win(struct up *u, const struct rung *g)
{
	struct state *st = u->st;

	st->ok = true;
	snprintf(st->mode, sizeof(st->mode), "%s", up_mode_name(g->mode));
	st->n_members = g->n;
	for (unsigned k = 0; k < g->n; k++) {
		snprintf(st->members[k], IF_NAMESIZE, "%s", nic_name(u, g->member[k]));
		memcpy(st->member_mac[k], u->res->nic[g->member[k]].perm_mac, 6);
	}
	if (g->mode == UP_SINGLE) {
		snprintf(st->iface, sizeof(st->iface), "%s", nic_name(u, g->member[0]));
		st->bond[0] = '\0';
		st->bond_opts[0] = '\0';
	} else {
		snprintf(st->iface, sizeof(st->iface), "%s", u->cfg->bond);
		snprintf(st->bond, sizeof(st->bond), "%s", u->cfg->bond);
	}
}

static void fill_timeline(struct up *u)
{
	struct state_timeline *t = &u->st->t;

	*t = (struct state_timeline){ -1, -1, -1, -1, -1, -1, -1, -1 };
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

/* ---- --renew: the lease kept by a process of its own ---- */

/* 0-2 to /dev/null and every other descriptor closed (log.c opens /dev/kmsg anew for
 * each message): a caller's pipe held open would keep whoever reads it waiting for us
 * (the Debian installer's debconf reads what its startup scripts print). */
static void renewer_fds(int null)
{
	struct rlimit rl;
	int max =
	    getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;

	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

static _Noreturn void renewer(const struct state *st, int ifindex, int64_t start_ms, int null)
{
	struct link_ctx *link = NULL;
	int r;

	/* SIGTERM's default action ends it; `down` follows with SIGKILL should a caller
	 * have left SIGTERM ignored or blocked (both are inherited). */
	prctl(PR_SET_NAME, RENEW_COMM);
	if (chdir("/") < 0) /* holding no directory, it keeps no file system busy */
		_exit(1);
	renewer_fds(null);
	log_open_kmsg(); /* its only voice now */
	r = link_open(&link);
	if (r >= 0)
		r = dhcp_client_renew(link, ifindex, st->iface, &st->lease, start_ms);
	if (r < 0)
		log_warn_errno(r, "%s: the lease renewer cannot run", st->iface);
	link_close(link);
	_exit(0);
}

/* Forks twice: the renewer is in a session of its own (no terminal, no hangup from the
 * caller's), not its leader (so it can never get a terminal), and init's child, which
 * no boot script waits for. Its pid comes back through a pipe. */
static int spawn_renewer(const struct state *st, int ifindex, int64_t start_ms, pid_t *ret_pid)
{
	int p[2], null = open("/dev/null", O_RDWR | O_CLOEXEC), r = 0;
	pid_t c, pid = -1;
	ssize_t n;

	if (null < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC) < 0) {
		r = -errno;
		close(null);
		return r;
	}
	fflush(NULL);
	c = fork();
	if (c == 0) {
		close(p[0]);
		pid = setsid() < 0 ? -1 : fork();
		if (pid) {
			n = write(p[1], &pid, sizeof(pid));
			_exit(n != sizeof(pid));
		}
		renewer(st, ifindex, start_ms, null);
	}
	r = c < 0 ? -errno : 0;
	close(p[1]);
	close(null);
	do
		n = r ? 0 : read(p[0], &pid, sizeof(pid));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (c > 0)
		waitpid(c, NULL, 0);
	if (r < 0)
		return r;
	if (n != sizeof(pid) || pid <= 0)
		return -EAGAIN;
	*ret_pid = pid;
	return 0;
}

static void start_renewer(struct up *u)
{
	struct state *st = u->st;
	struct dhcp_times t;
	char ip[16];
	int ifindex = (int)if_nametoindex(st->iface), r;
	pid_t pid = 0;

	if (!st->has_lease) {
		log_info("--renew: no DHCP lease (--no-dhcp), nothing to renew");
		return;
	}
	dhcp_ip_str(st->lease.addr, ip);
	if (!dhcp_renew_times(&st->lease, &t)) {
		log_info("%s: the lease of %s never ends: no renewer needed", st->iface, ip);
		return;
	}
	r = ifindex ? spawn_renewer(st, ifindex, u->lease_start, &pid) : -ENODEV;
	if (r < 0) {
		log_warn_errno(r, "%s: cannot start the lease renewer; %s goes when its lease ends",
			       st->iface, ip);
		return;
	}
	/* The pid in the state, or no renewer: `down` must be able to stop it. */
	st->renew_pid = pid;
	r = state_write(u->cfg->state_dir, st, u->res, u->pl);
	if (r < 0) {
		kill(pid, SIGTERM);
		st->renew_pid = 0;
		log_warn_errno(r,
			       "cannot put the lease renewer in the state, so it is stopped; "
			       "%s goes when its lease ends",
			       ip);
		return;
	}
	log_info("%s: lease renewer started (pid %d): the %u s lease of %s is renewed from T1 "
		 "(%u s) on, by any server from T2 (%u s)",
		 st->iface, (int)pid, t.lease_s, ip, t.t1_s, t.t2_s);
}

int up_run(const struct up_config *cfg)
{
	static struct probe_result res;
	static struct plan pl;
	static struct state st;
	static struct rung rungs[STATE_MAX_RUNGS];
	struct up u = { .cfg = cfg, .res = &res, .pl = &pl, .st = &st, .bootif = -1 };
	struct probe_config pc = cfg->probe;
	const struct rung *win = NULL;
	char ip[16];
	unsigned n;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &u.t0);
	memset(&st, 0, sizeof(st));
	snprintf(st.mode, sizeof(st.mode), "none");
	if (cfg->mode == UP_OFF) {
		log_info("pxebond=off: leaving the network to the installer");
		return 0;
	}
	if (mkdir(cfg->state_dir, 0755) < 0 && errno != EEXIST)
		return log_err_errno(-errno, "%s", cfg->state_dir);

	/* The bond follows at once with the same identity: no withdrawal, links stay up. */
	pc.withdraw = false;
	pc.keep_up = true;
	r = probe_run(&pc, &res);
	if (r < 0)
		return r;
	plan_decide(&res, &pl);
	if (cfg->table) {
		report_table(stdout, &res, &pl);
		fflush(stdout);
	}
	fill_timeline(&u);
	memcpy(st.actor_system, res.actor.system, 6);
	for (unsigned i = 0; i < res.n; i++) {
		snprintf(st.restore_name[i], IF_NAMESIZE, "%s", res.nic[i].name);
		st.restore_up[i] = res.nic[i].was_up;
		if (cfg->has_bootif && !memcmp(res.nic[i].perm_mac, cfg->bootif, 6))
			u.bootif = (int)i;
	}
	st.n_restore = res.n;
	log_info("probe: %s %s", plan_mode_name(pl.mode), pl.reason);
	if (cfg->if_lacp && cfg->mode == UP_AUTO && pl.mode != PLAN_8023AD) {
		/* A boot hook's call: without LACP the installer's own network setup works as
		 * it always did, so it gets the NICs back untouched. */
		log_info("no NIC has an LACP partner: leaving the network to the installer");
		r = link_open(&u.link);
		if (r < 0)
			return log_err_errno(r, "cannot open rtnetlink");
		restore_unused(&u, NULL);
		link_close(u.link);
		st.skipped = true;
		r = state_write(cfg->state_dir, &st, &res, &pl);
		if (r < 0)
			log_err_errno(r, "cannot write the state to %s", cfg->state_dir);
		return -ENOLINK;
	}
	if (cfg->has_bootif && u.bootif < 0)
		log_warn("BOOTIF is none of the probed NICs, ignored");

	r = link_open(&u.link);
	if (r < 0)
		return log_err_errno(r, "cannot open rtnetlink");
	n = build_rungs(&u, rungs, STATE_MAX_RUNGS);
	for (unsigned k = 0; k < n; k++) {
		struct state_rung *rr = &st.rung[st.n_rungs++];
		int64_t t = since(&u);
		bool ok;

		/* The timeline after the probe is the last rung's own, not a mix of rungs. */
		st.t.enslaved = st.t.bond_up = st.t.partner_sync = -1;
		st.t.collecting_distributing = st.t.lease = -1;
		snprintf(rr->mode, sizeof(rr->mode), "%s", up_mode_name(rungs[k].mode));
		members_text(&u, &rungs[k], rr->members, sizeof(rr->members));
		snprintf(rr->iface, sizeof(rr->iface), "%s",
			 rungs[k].mode == UP_SINGLE ? nic_name(&u, rungs[k].member[0]) : cfg->bond);
		log_info("trying %s over %s", rr->mode, rr->members);
		ok = rungs[k].mode == UP_SINGLE ? try_single(&u, &rungs[k], rr)
						: try_bond(&u, &rungs[k], rr);
		rr->ok = ok;
		rr->ms = since(&u) - t;
		if (ok) {
			win = &rungs[k];
			record_win(&u, win);
			break;
		}
		log_warn("%s over %s failed: %s%s", rr->mode, rr->members, rr->why,
			 k + 1 < n ? ", trying the next way" : "");
	}
	restore_unused(&u, win);
	link_close(u.link);
	if (!n)
		log_err("no NIC has carrier: nothing to bring up");
	r = state_write(cfg->state_dir, &st, &res, &pl);
	if (r < 0)
		log_err_errno(r, "cannot write the state to %s", cfg->state_dir);
	if (!st.ok) {
		if (cfg->resolv && dhcp_client_resolv_restore(UP_RESOLV_CONF) < 0)
			log_warn("cannot put %s back as it was", UP_RESOLV_CONF);
		log_err("no way to the install server worked; the NICs are as they were");
		return -ENETUNREACH;
	}
	dhcp_ip_str(st.lease.addr, ip);
	log_info("up: %s on %s%s%s in %.1f s", st.mode, st.iface, st.has_lease ? ", address " : "",
		 st.has_lease ? ip : "", (double)since(&u) / 1000);
	/* Without the state, `down` could not find a renewer to stop: none then. */
	if (cfg->renew && r >= 0)
		start_renewer(&u);
	return 0;
}

/* Whether pid is a lease renewer that has not exited: its name, since the pid may be
 * another process's by now, and not a zombie, which init has yet to reap. */
static bool renewer_alive(long pid)
{
	char path[32], text[128] = "", *comm, *end;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	comm = strchr(text, '(');
	end = strrchr(text, ')');
	return comm && end > comm && end - comm - 1 == (int)strlen(RENEW_COMM) &&
	       !strncmp(comm + 1, RENEW_COMM, strlen(RENEW_COMM)) && end[1] == ' ' &&
	       end[2] != 'Z' && end[2] != 'X';
}

/* Before the teardown, so that no late REQUEST or address update of its own follows. */
static void stop_renewer(const char *text)
{
	char *end;
	long pid = strtol(text, &end, 10);

	if (*end || pid <= 1 || pid > 0x7fffffff) {
		log_warn("PXEBOND_RENEW_PID='%.20s' is not a pid, ignored", text);
		return;
	}
	if (!renewer_alive(pid)) {
		log_info("the lease renewer (pid %ld) had ended already", pid);
		return;
	}
	if (kill((pid_t)pid, SIGTERM) < 0) {
		log_warn_errno(-errno, "cannot stop the lease renewer (pid %ld)", pid);
		return;
	}
	for (int i = 0; i < 200 && renewer_alive(pid); i++) { /* 1 s, then 1 s more */
		if (i == 100)
			kill((pid_t)pid, SIGKILL);
		poll(NULL, 0, 10);
	}
	if (renewer_alive(pid))
		log_warn("the lease renewer (pid %ld) is still there, going on", pid);
	else
		log_info("lease renewer (pid %ld) stopped", pid);
}

int up_down(const char *state_dir)
{
	char path[192], text[8192], bond[IF_NAMESIZE + 8], iface[IF_NAMESIZE + 8], restore[1200];
	char mtu[12] = "", pid[24] = "";
	struct link_ctx *link;
	FILE *f;
	size_t n;
	int r;

	snprintf(path, sizeof(path), "%s/state", state_dir);
	f = fopen(path, "re");
	if (!f)
		return log_err_errno(-errno, "%s", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (!state_get(text, "PXEBOND_BOND", bond, sizeof(bond)) ||
	    !state_get(text, "PXEBOND_IFACE", iface, sizeof(iface)) ||
	    !state_get(text, "PXEBOND_RESTORE", restore, sizeof(restore)))
		return log_err_errno(-EBADMSG, "%s: not a pxebond state file", path);
	if (state_get(text, "PXEBOND_RENEW_PID", pid, sizeof(pid)) && pid[0])
		stop_renewer(pid);
	r = link_open(&link);
	if (r < 0)
		return log_err_errno(r, "cannot open rtnetlink");
	if (bond[0] && if_nametoindex(bond)) {
		r = bond_delete(link, (int)if_nametoindex(bond));
		if (r < 0)
			log_warn_errno(r, "cannot delete %s", bond);
		else
			log_info("%s deleted", bond);
	} else if (iface[0] && if_nametoindex(iface)) {
		link_flush_addrs(link, (int)if_nametoindex(iface));
		/* A bond gives its members their MTUs back; a single NIC gets it here. */
		if (state_get(text, "PXEBOND_RESTORE_MTU", mtu, sizeof(mtu)) && mtu[0])
			link_set_mtu(link, (int)if_nametoindex(iface),
				     (unsigned)strtoul(mtu, NULL, 10));
	}
	for (char *save = NULL, *t = strtok_r(restore, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		char *colon = strrchr(t, ':');
		unsigned idx;

		if (!colon)
			continue;
		*colon = '\0';
		idx = if_nametoindex(t);
		if (idx && strcmp(colon + 1, "down") == 0)
			link_set_up(link, (int)idx, false);
	}
	link_close(link);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.json", state_dir);
	unlink(path);
	return 0;
}
