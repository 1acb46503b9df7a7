/* `probe`: brings every candidate NIC up, elicits and reads LACPDUs and LLDPDUs, and
 * says per NIC what is at the other end. One poll loop serves all NICs, so the time
 * taken does not grow with their number.
 *
 * Our LACPDUs carry exactly the actor identity `up` gives the bond (system priority,
 * system, key, port numbers), so the switch sees one continuous partner from probe to
 * bond. They also end a switch's LACP fallback: see docs/pxebond.8. */
#include <errno.h>
#include <inttypes.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "ifname.h"
#include "link.h"
#include "log.h"
#include "pkt.h"
#include "probe.h"

/* Retries after the first LACPDU: quick at first, because a switch may not yet handle
 * frames on a port whose link just came up (Open vSwitch drops the first one), then
 * steady. Never more than 3 in any second per port (802.1AX 6.4.16). */
static const int lacp_retry_ms[] = { 50, 150, 350 };
#define LACP_MAX_PER_SECOND 3
#define LACP_PERIODIC_MS    1000 /* fast periodic time, once a partner answered */
#define LLDP_TTL	    120
#define LINK_RECHECK_MS	    500 /* in case a link event was lost (ENOBUFS) */
#define FRAME_MAX	    2048

struct nic_io {
	int fd;
	bool done_carrier; /* carrier seen, or carrier-timeout passed */
	bool lldp_sent;
	int64_t next_lacp_tx;		      /* -1: nothing scheduled */
	int64_t sent_at[LACP_MAX_PER_SECOND]; /* the last sends, oldest first */
};

struct probe_run {
	const struct probe_config *cfg;
	struct probe_result *res;
	struct nic_io io[PROBE_MAX_NICS];
	struct link_ctx *link;
	int64_t t0;
	int64_t slowest; /* the slowest partner's answer after carrier; -1: none yet */
};

static int64_t now_ms(const struct probe_run *p)
{
	return clock_ms() - p->t0;
}

/* With no patterns: physical Ethernet NICs only. A glob picks among Ethernet links
 * that are not virtual masters or already enslaved, but may pick veths (labs); an
 * exact name picks whatever Ethernet link it names. */
static bool selected(const struct probe_config *cfg, const struct link_info *li, bool *ret_named)
{
	bool plain = li->arptype == ARPHRD_ETHER && !li->enslaved && !li->wireless &&
		     (li->kind[0] == '\0' || strcmp(li->kind, "veth") == 0);

	*ret_named = false;
	if (li->arptype != ARPHRD_ETHER)
		return false;
	if (cfg->n_patterns == 0)
		return plain && li->physical && li->kind[0] == '\0';
	for (int i = 0; i < cfg->n_patterns; i++) {
		const char *pat = cfg->patterns[i];

		if (!ifname_is_glob(pat) && strcmp(pat, li->name) == 0)
			return *ret_named = true;
		if (ifname_is_glob(pat) && plain && ifname_match(pat, li->name))
			return true;
	}
	return false;
}

static int pick_nics(struct probe_run *p)
{
	static struct link_info links[256];
	struct probe_result *res = p->res;
	unsigned n = 0;
	uint8_t system[ETH_ADDR_LEN] = { 0 };
	int r;

	r = link_list(p->link, links, 256, &n);
	if (r < 0)
		return log_err_errno(r, "cannot list network interfaces");

	for (int i = 0; i < p->cfg->n_patterns; i++) {
		const char *pat = p->cfg->patterns[i];
		const struct link_info *hit = NULL;
		char shown[ESCAPE_SHOWN];

		for (unsigned k = 0; k < n && !hit; k++)
			if (ifname_is_glob(pat) ? ifname_match(pat, links[k].name)
						: strcmp(pat, links[k].name) == 0)
				hit = &links[k];
		if (!hit)
			log_warn("%s: no such interface, skipped", escape_shown(pat, shown));
		else if (!ifname_is_glob(pat) && hit->arptype != ARPHRD_ETHER)
			log_warn("%s: not an Ethernet link (ARP type %u), skipped",
				 escape_shown(pat, shown), hit->arptype);
	}

	for (unsigned k = 0; k < n; k++) {
		const struct link_info *li = &links[k];
		struct probe_nic *nic;
		bool named;

		if (!selected(p->cfg, li, &named))
			continue;
		if (res->n == PROBE_MAX_NICS) {
			log_warn("more than %d NICs, %s and later ones skipped", PROBE_MAX_NICS,
				 li->name);
			break;
		}
		if (named && li->enslaved)
			log_warn("%s is enslaved already: its master may consume LACPDUs",
				 li->name);
		nic = &res->nic[res->n++];
		memset(nic, 0, sizeof(*nic));
		snprintf(nic->name, sizeof(nic->name), "%s", li->name);
		nic->ifindex = li->ifindex;
		memcpy(nic->mac, li->mac, ETH_ADDR_LEN);
		nic->was_up = li->admin_up;
		nic->carrier = li->admin_up && li->carrier;
		nic->carrier_ms = nic->lacp_ms = nic->lldp_ms = -1;
		link_ethtool(li->name, &nic->speed_mbps, &nic->full_duplex, nic->perm_mac,
			     nic->driver, sizeof(nic->driver));
		if (eth_is_zero(nic->perm_mac))
			memcpy(nic->perm_mac, nic->mac, ETH_ADDR_LEN);
	}

	/* The host's first permanent MAC names our LACP system, whichever NICs are probed,
	 * so every probe and the bond `up` makes speak as one system. */
	for (unsigned k = 0; k < n && eth_is_zero(system); k++) {
		uint32_t speed;
		bool full;
		char drv[8];

		if (!links[k].physical || links[k].arptype != ARPHRD_ETHER || links[k].wireless)
			continue;
		link_ethtool(links[k].name, &speed, &full, system, drv, sizeof(drv));
		if (eth_is_zero(system))
			memcpy(system, links[k].mac, ETH_ADDR_LEN);
	}
	if (eth_is_zero(system) && res->n)
		memcpy(system, res->nic[0].perm_mac, ETH_ADDR_LEN);
	res->actor.system_priority = 0xffff;
	res->actor.port_priority = 0xff;
	memcpy(res->actor.system, system, ETH_ADDR_LEN);
	return 0;
}

static struct lacp_info actor_for(const struct probe_run *p, unsigned i, uint8_t state)
{
	const struct probe_nic *nic = &p->res->nic[i];
	struct lacp_info a = p->res->actor;

	a.key = lacp_linux_port_key(0, nic->speed_mbps, nic->full_duplex);
	a.port = (uint16_t)(i + 1); /* Linux numbers a bond's ports from 1 in enslave order */
	a.state = state;
	return a;
}

static void send_lacp(struct probe_run *p, unsigned i, uint8_t state)
{
	struct probe_nic *nic = &p->res->nic[i];
	uint8_t frame[LACP_FRAME_LEN];
	struct lacp_info actor = actor_for(p, i, state);
	struct lacp_info partner = nic->lacp_detected ? nic->partner : (struct lacp_info){ 0 };
	int r;

	lacp_encode(frame, nic->perm_mac, &actor, &partner);
	r = pkt_send(p->io[i].fd, nic->ifindex, frame, sizeof(frame));
	if (r < 0)
		log_debug_errno(r, "%s: sending LACPDU", nic->name);
	else
		nic->lacp_tx++;
}

static void send_lldp(struct probe_run *p, unsigned i)
{
	struct probe_nic *nic = &p->res->nic[i];
	uint8_t frame[128];
	size_t len = lldp_encode(frame, sizeof(frame), nic->perm_mac, p->res->actor.system,
				 nic->name, LLDP_TTL);

	if (len && pkt_send(p->io[i].fd, nic->ifindex, frame, len) == 0)
		p->io[i].lldp_sent = true;
}

static void on_frame(struct probe_run *p, unsigned i, const uint8_t *buf, size_t len, int64_t now)
{
	struct probe_nic *nic = &p->res->nic[i];
	struct lacpdu d;
	struct lldp_neighbor l;
	enum lacp_err le;
	enum lldp_err de;

	if (len >= ETH_HDR_LEN && buf[12] == (ETH_TYPE_SLOW >> 8) &&
	    buf[13] == (ETH_TYPE_SLOW & 0xff)) {
		le = lacp_decode(buf, len, &d);
		if (le != LACP_OK) {
			nic->dropped++;
			log_debug("%s: LACPDU dropped: %s", nic->name, lacp_strerror(le));
			return;
		}
		if (memcmp(d.actor.system, p->res->actor.system, ETH_ADDR_LEN) == 0) {
			nic->dropped++; /* our own LACPDU came back: a loop, not a partner */
			log_debug("%s: LACPDU from our own system ignored (loop)", nic->name);
			return;
		}
		nic->lacp_rx++;
		if (!nic->lacp_detected) {
			nic->lacp_detected = true;
			nic->lacp_ms = nic->carrier_ms >= 0 ? now - nic->carrier_ms : 0;
			if (nic->lacp_ms > p->slowest)
				p->slowest = nic->lacp_ms;
			/* Tell the partner at once that we heard it, then keep it fed. */
			p->io[i].next_lacp_tx = now;
		}
		nic->partner = d.actor;
		nic->partner_view = d.partner;
		return;
	}
	de = lldp_decode(buf, len, &l);
	if (de != LLDP_OK) {
		nic->dropped++;
		log_debug("%s: LLDPDU dropped: %s", nic->name, lldp_strerror(de));
		return;
	}
	if (l.chassis_subtype == LLDP_CHASSIS_MAC && l.chassis_id.len == ETH_ADDR_LEN &&
	    memcmp(l.chassis_id.b, p->res->actor.system, ETH_ADDR_LEN) == 0) {
		nic->dropped++; /* our own LLDPDU came back */
		return;
	}
	if (!nic->lldp_valid)
		nic->lldp_ms = nic->carrier_ms >= 0 ? now - nic->carrier_ms : 0;
	nic->lldp = l;
	nic->lldp_valid = true;
}

static void on_carrier(void *data, int ifindex, bool carrier)
{
	struct probe_run *p = data;
	int64_t now = now_ms(p);

	for (unsigned i = 0; i < p->res->n; i++) {
		struct probe_nic *nic = &p->res->nic[i];

		if (nic->ifindex != ifindex || !carrier || nic->carrier_ms >= 0)
			continue;
		nic->carrier = true;
		nic->carrier_ms = now;
		/* Speed and duplex are known only once the link has negotiated. */
		link_ethtool(nic->name, &nic->speed_mbps, &nic->full_duplex, nic->perm_mac,
			     nic->driver, sizeof(nic->driver));
		if (eth_is_zero(nic->perm_mac))
			memcpy(nic->perm_mac, nic->mac, ETH_ADDR_LEN);
		p->io[i].done_carrier = true;
		p->io[i].next_lacp_tx = p->cfg->passive ? -1 : now;
		log_debug("%s: carrier after %lld ms", nic->name, (long long)now);
	}
}

/* When this NIC needs nothing more; -1 if it is finished. */
static int64_t nic_deadline(const struct probe_run *p, unsigned i, int64_t now)
{
	const struct probe_nic *nic = &p->res->nic[i];
	const struct probe_config *cfg = p->cfg;
	int64_t t = -1;

	int64_t wait = cfg->lacp_wait_ms;

	if (cfg->join_window && p->slowest >= 0) {
		/* A partner answered: the bond need not wait for the rest (docs/design.md,
		 * "NICs that cannot join"). */
		if (!nic->carrier)
			return -1;
		wait = 2 * p->slowest > PROBE_JOIN_MIN_MS ? 2 * p->slowest : PROBE_JOIN_MIN_MS;
		wait = wait < cfg->lacp_wait_ms ? wait : cfg->lacp_wait_ms;
	}
	if (!nic->carrier)
		return now < cfg->carrier_timeout_ms ? cfg->carrier_timeout_ms : -1;
	if (!nic->lacp_detected && now < nic->carrier_ms + wait)
		t = nic->carrier_ms + wait;
	if (cfg->lldp_wait_ms > 0 && !nic->lldp_valid &&
	    now < nic->carrier_ms + cfg->lldp_wait_ms) {
		int64_t l = nic->carrier_ms + cfg->lldp_wait_ms;

		t = t < 0 || l < t ? l : t;
	}
	return t;
}

static void do_sends(struct probe_run *p, int64_t now)
{
	for (unsigned i = 0; i < p->res->n; i++) {
		struct nic_io *io = &p->io[i];
		struct probe_nic *nic = &p->res->nic[i];

		if (!nic->carrier || p->cfg->passive)
			continue;
		if (p->cfg->lldp_tx && !io->lldp_sent)
			send_lldp(p, i);
		if (io->next_lacp_tx < 0 || now < io->next_lacp_tx)
			continue;
		if (!nic->lacp_detected && now >= nic->carrier_ms + p->cfg->lacp_wait_ms) {
			io->next_lacp_tx = -1; /* verdict: no LACP; stop asking */
			continue;
		}
		/* Active, short timeout, aggregatable, not yet in sync: "I want to aggregate,
		 * tell me who you are, every second." */
		send_lacp(p, i, LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT | LACP_STATE_AGGREGATION);
		memmove(io->sent_at, io->sent_at + 1, sizeof(io->sent_at) - sizeof(io->sent_at[0]));
		io->sent_at[LACP_MAX_PER_SECOND - 1] = now;
		if (nic->lacp_detected) {
			io->next_lacp_tx = now + LACP_PERIODIC_MS;
		} else {
			unsigned k = nic->lacp_tx - 1 < 3 ? nic->lacp_tx - 1 : 2;
			int64_t allowed = io->sent_at[0] + 1000;

			io->next_lacp_tx = now + lacp_retry_ms[k];
			if (io->sent_at[0] >= 0 && io->next_lacp_tx < allowed)
				io->next_lacp_tx = allowed;
		}
	}
}

static int loop(struct probe_run *p)
{
	struct probe_result *res = p->res;
	struct pollfd pfd[PROBE_MAX_NICS + 1];
	static uint8_t buf[FRAME_MAX];
	int64_t next_recheck = LINK_RECHECK_MS;

	for (;;) {
		int64_t now = now_ms(p), wake = p->cfg->timeout_ms;
		bool busy = false;
		int r;

		do_sends(p, now);
		for (unsigned i = 0; i < res->n; i++) {
			int64_t t = nic_deadline(p, i, now);

			if (t >= 0) {
				busy = true;
				wake = t < wake ? t : wake;
			}
			if (p->io[i].next_lacp_tx >= 0 && p->io[i].next_lacp_tx < wake)
				wake = p->io[i].next_lacp_tx;
		}
		if (!busy)
			return 0;
		if (now >= p->cfg->timeout_ms) {
			/* What was still being waited for is unknown, not absent: say so. */
			for (unsigned i = 0; i < res->n; i++)
				res->nic[i].cut_off = nic_deadline(p, i, now) >= 0;
			res->timed_out = true;
			log_warn("probe timed out after %d ms (--timeout), reporting what was seen",
				 p->cfg->timeout_ms);
			return 0;
		}
		wake = wake < next_recheck ? wake : next_recheck;

		for (unsigned i = 0; i < res->n; i++)
			pfd[i] = (struct pollfd){ .fd = p->io[i].fd, .events = POLLIN };
		pfd[res->n] = (struct pollfd){ .fd = link_events_fd(p->link), .events = POLLIN };
		r = poll(pfd, res->n + 1, wake > now ? (int)(wake - now) : 0);
		if (r < 0 && errno != EINTR)
			return log_err_errno(-errno, "poll");
		now = now_ms(p);

		for (unsigned i = 0; r > 0 && i < res->n; i++) {
			size_t len;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while (pkt_recv(p->io[i].fd, res->nic[i].ifindex, buf, sizeof(buf), &len) ==
			       0) {
				if (len > sizeof(buf)) {
					res->nic[i].dropped++;
					continue;
				}
				on_frame(p, i, buf, len, now);
			}
		}
		if (r > 0 && (pfd[res->n].revents & POLLIN)) {
			r = link_events_read(p->link, on_carrier, p);
			if (r == -ENOBUFS)
				next_recheck = now;
		}
		if (now >= next_recheck) {
			for (unsigned i = 0; i < res->n; i++) {
				bool c;

				if (!res->nic[i].carrier &&
				    link_carrier(p->link, res->nic[i].ifindex, &c) == 0)
					on_carrier(p, res->nic[i].ifindex, c);
			}
			next_recheck = now + LINK_RECHECK_MS;
		}
	}
}

/* The NICs the join window cut short keep their sockets (see probe_pending). */
static void keep_pending(struct probe_run *p, struct probe_pending *pp)
{
	int64_t now = now_ms(p);

	*pp = (struct probe_pending){ .t0 = p->t0, .lacp_wait_ms = p->cfg->lacp_wait_ms };
	if (!p->cfg->join_window || p->slowest < 0 || p->res->timed_out)
		return;
	for (unsigned i = 0; i < p->res->n; i++) {
		const struct probe_nic *nic = &p->res->nic[i];

		if (!nic->carrier || nic->lacp_detected || p->io[i].fd < 0 ||
		    now >= nic->carrier_ms + p->cfg->lacp_wait_ms)
			continue;
		pp->nic[pp->n] = i;
		pp->fd[pp->n++] = p->io[i].fd;
		p->io[i].fd = -1;
	}
}

unsigned probe_settle(struct probe_pending *pp, struct probe_result *res)
{
	static uint8_t buf[FRAME_MAX];
	struct probe_run p = { .res = res, .t0 = pp->t0, .slowest = -1 };
	unsigned answered = 0;

	for (unsigned k = 0; k < pp->n; k++) {
		unsigned i = pp->nic[k];
		struct probe_nic *nic = &res->nic[i];
		int64_t until = nic->carrier_ms + pp->lacp_wait_ms;
		size_t len;

		p.io[i].fd = pp->fd[k];
		for (;;) {
			int64_t now = now_ms(&p);
			struct pollfd pfd = { .fd = pp->fd[k], .events = POLLIN };

			while (!nic->lacp_detected &&
			       pkt_recv(pp->fd[k], nic->ifindex, buf, sizeof(buf), &len) == 0) {
				/* When it came, not when it is read: it may have waited. */
				int64_t age = pkt_age_ms(pp->fd[k]);

				if (len <= sizeof(buf))
					on_frame(&p, i, buf, len,
						 age >= 0 && age <= now ? now - age : now);
			}
			if (nic->lacp_detected || now >= until)
				break;
			if (poll(&pfd, 1, (int)(until - now)) < 0 && errno != EINTR)
				break;
		}
		if (nic->lacp_detected) {
			nic->late = true;
			answered++;
			log_info("%s: LACP partner heard %" PRId64
				 " ms after carrier: enslaved late",
				 nic->name, nic->lacp_ms);
		}
	}
	probe_pending_close(pp);
	return answered;
}

void probe_pending_close(struct probe_pending *pp)
{
	for (unsigned k = 0; k < pp->n; k++)
		close(pp->fd[k]);
	pp->n = 0;
}

/* Waits, bounded, until the kernel has sent what we queued: a link set down at once
 * could drop our last LACPDU. */
static void drain_tx(const struct probe_run *p)
{
	for (int tries = 0; tries < 50; tries++) {
		bool pending = false;

		for (unsigned i = 0; i < p->res->n; i++) {
			int q = 0;

			if (ioctl(p->io[i].fd, TIOCOUTQ, &q) == 0 && q > 0)
				pending = true;
		}
		if (!pending)
			return;
		poll(NULL, 0, 2);
	}
}

static void finish(struct probe_run *p)
{
	struct probe_result *res = p->res;

	if (p->cfg->withdraw && !p->cfg->passive) {
		/* Not aggregatable, not in sync, as the kernel says when a port leaves; and
		 * passive with the long timeout, so a passive partner stops its fast
		 * periodic LACPDUs instead of talking to nobody. Only where a partner
		 * answered: elsewhere there was no LACP, and no fallback to end. */
		for (unsigned i = 0; i < res->n; i++)
			if (res->nic[i].carrier && res->nic[i].lacp_tx &&
			    res->nic[i].lacp_detected) {
				send_lacp(p, i, 0);
				res->withdrew = true;
			}
		drain_tx(p);
	}
	for (unsigned i = 0; i < res->n; i++) {
		struct probe_nic *nic = &res->nic[i];
		int r;

		if (p->io[i].fd >= 0)
			close(p->io[i].fd);
		if (nic->was_up || p->cfg->keep_up)
			continue;
		r = link_set_up(p->link, nic->ifindex, false);
		if (r < 0)
			log_warn_errno(r, "%s: cannot set the link down again", nic->name);
	}
}

int probe_run(const struct probe_config *cfg_in, struct probe_result *ret)
{
	struct probe_config cfg_eff = *cfg_in;
	const struct probe_config *cfg = &cfg_eff;
	struct probe_run p = { .cfg = cfg, .res = ret, .slowest = -1 };
	int r;

	if (cfg_eff.lacp_wait_ms < 0)
		cfg_eff.lacp_wait_ms = probe_default_lacp_wait_ms(cfg_eff.passive);

	memset(ret, 0, sizeof(*ret));
	p.t0 = clock_ms();
	for (unsigned i = 0; i < PROBE_MAX_NICS; i++)
		p.io[i] =
		    (struct nic_io){ .fd = -1, .next_lacp_tx = -1, .sent_at = { -1, -1, -1 } };

	r = link_open(&p.link);
	if (r < 0)
		return log_err_errno(r, "cannot open rtnetlink");
	r = pick_nics(&p);
	if (r < 0)
		goto out;

	/* Sockets first, so the first frame after the link comes up is not missed. */
	for (unsigned i = 0; i < ret->n; i++) {
		r = pkt_open(ret->nic[i].ifindex, &p.io[i].fd);
		if (r < 0) {
			log_err_errno(r, "%s: cannot open a packet socket", ret->nic[i].name);
			goto out_close;
		}
	}
	for (unsigned i = 0; i < ret->n; i++) {
		struct probe_nic *nic = &ret->nic[i];

		if (nic->carrier) {
			nic->carrier = false;
			on_carrier(&p, nic->ifindex, true);
		} else if (!nic->was_up) {
			r = link_set_up(p.link, nic->ifindex, true);
			if (r < 0)
				log_warn_errno(r, "%s: cannot bring the link up, skipped",
					       nic->name);
		}
	}
	r = loop(&p);
	for (unsigned i = 0; i < ret->n; i++)
		ret->nic[i].late = cfg->join_window && p.slowest >= 0 && !ret->nic[i].carrier;
	if (cfg->pending)
		keep_pending(&p, cfg->pending);
	for (unsigned i = 0; i < ret->n; i++)
		if (ret->nic[i].carrier) {
			ret->actor.key = actor_for(&p, i, 0).key;
			break;
		}
out_close:
	finish(&p);
	ret->elapsed_ms = now_ms(&p);
out:
	link_close(p.link);
	return r;
}
