/* The DHCPv4 client of `up` (RFC 2131 4.4, INIT to BOUND, and with --renew RENEWING and
 * REBINDING): an AF_PACKET socket bound to the interface, since it has no address yet;
 * the codec (dhcp.c) builds and checks every byte, the kernel filter only spares us
 * wakeups. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "dhcp_client.h"
#include "log.h"
#include "pkt.h"

#ifndef ETH_P_IP
#define ETH_P_IP 0x0800
#endif

#define REQUEST_TRIES 4 /* then back to DISCOVER (RFC 2131 3.1 step 5) */

/* IPv4, UDP, not a fragment, to port 68. On a SOCK_DGRAM socket the filter reads from
 * the IPv4 header. */
static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9), /* protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 5),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6), /* flags and fragment offset */
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 3, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), /* X: the header's length */
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),	/* UDP destination port */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, 0),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
};

static uint32_t rng;

/* A process runs one exchange at a time: the lease's, or later the renewal's. */
static uint8_t rx_buf[DHCP_PKT_MAX];
static struct dhcp_reply rx_rep;

/* xorshift32: xids and jitter need to differ between clients, not to be secret. */
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void seed(const uint8_t mac[6])
{
	struct timespec t;

	/* GRND_NONBLOCK: an early initramfs may not have entropy yet, and must not wait. */
	if (getrandom(&rng, sizeof(rng), GRND_NONBLOCK) != sizeof(rng) || !rng) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		rng = (uint32_t)t.tv_nsec ^ (uint32_t)t.tv_sec << 20 ^ (uint32_t)getpid();
		for (int i = 0; i < 6; i++)
			rng = rng * 31 + mac[i];
		rng |= 1;
	}
}

static int open_socket(int ifindex, int *ret_fd)
{
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	/* Auxdata says when a local sender left the UDP checksum to offload (a veth). */
	return pkt_bind(SOCK_DGRAM, ETH_P_IP, ifindex, &prog, true, ret_fd);
}

static int send_msg(int fd, int ifindex, const struct dhcp_msg *m)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = ifindex,
				  .sll_halen = 6,
				  .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	uint8_t buf[DHCP_CLIENT_LEN];
	size_t n = dhcp_encode(buf, m);
	ssize_t w = sendto(fd, buf, n, 0, (struct sockaddr *)&to, sizeof(to));

	if (w < 0)
		return -errno;
	return (size_t)w == n ? 0 : -EIO;
}

/* One packet: 0 with *ret_len 0 for one to skip (ours going out, another host's, or
 * longer than we take), -EAGAIN when there is none. */
static int recv_one(int fd, uint8_t *buf, size_t cap, size_t *ret_len, bool *ret_csum_unset)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = { .msg_name = &from,
			     .msg_namelen = sizeof(from),
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = &ctl,
			     .msg_controllen = sizeof(ctl) };
	ssize_t n = recvmsg(fd, &mh, MSG_TRUNC);

	*ret_len = 0;
	*ret_csum_unset = false;
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata a;

			memcpy(&a, CMSG_DATA(c), sizeof(a));
			*ret_csum_unset = a.tp_status & TP_STATUS_CSUMNOTREADY;
		}
	if (from.sll_pkttype == PACKET_OUTGOING || from.sll_pkttype == PACKET_OTHERHOST ||
	    (size_t)n > cap)
		return 0;
	*ret_len = (size_t)n;
	return 0;
}

static const char *type_name(enum dhcp_type t)
{
	return t == DHCP_DISCOVER  ? "DISCOVER"
	       : t == DHCP_REQUEST ? "REQUEST"
	       : t == DHCP_OFFER   ? "OFFER"
	       : t == DHCP_ACK	   ? "ACK"
	       : t == DHCP_NAK	   ? "NAK"
				   : "?";
}

struct client {
	const char *ifname;
	struct dhcp_msg m;
	unsigned attempt; /* sends of the current message */
	int64_t t0, next;
	int64_t requested; /* when the current REQUEST was first sent */
	unsigned discovers, offers, requests, naks;
};

static void restart(struct client *c, int64_t now, int delay_ms)
{
	c->m.type = DHCP_DISCOVER;
	c->m.xid = rnd();
	c->attempt = 0;
	c->next = now + delay_ms;
}

static void warn_lines(const char *ifname, char *warn)
{
	for (char *save = NULL, *l = strtok_r(warn, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		log_warn("%s: %s", ifname, l);
}

/* What one valid reply changes; true when it is our lease. */
static bool on_reply(struct client *c, const struct dhcp_reply *rep, int64_t now,
		     struct dhcp_lease *ret)
{
	char ip[16], srv[16], warn[1024] = "";

	dhcp_ip_str(rep->yiaddr, ip);
	dhcp_ip_str(rep->server_id, srv);
	if (c->m.type == DHCP_DISCOVER) {
		if (rep->type != DHCP_OFFER) {
			log_debug("%s: DHCP%s from %s while selecting, ignored", c->ifname,
				  type_name(rep->type), srv);
			return false;
		}
		c->offers++;
		log_info("%s: DHCP offer of %s from %s, requesting it", c->ifname, ip, srv);
		c->m.type = DHCP_REQUEST;
		c->m.requested_ip = rep->yiaddr;
		c->m.server_id = rep->server_id;
		c->attempt = 0;
		c->next = now;
		return false;
	}
	/* Requesting: only the chosen server's answer counts (a NAK may omit its id). */
	if (rep->type == DHCP_OFFER || (rep->server_id && rep->server_id != c->m.server_id)) {
		log_debug("%s: DHCP%s from %s while requesting from another, ignored", c->ifname,
			  type_name(rep->type), srv);
		return false;
	}
	dhcp_ip_str(c->m.server_id, srv);
	if (rep->type == DHCP_NAK) {
		c->naks++;
		log_info("%s: DHCP NAK from %s, starting over", c->ifname, srv);
		/* Backing off across NAKs: a server that refuses at once is not flooded. */
		restart(c, now, dhcp_backoff_ms(c->naks - 1, rnd()));
		return false;
	}
	if (dhcp_lease_from_reply(rep, ret, warn, sizeof(warn)) < 0) {
		log_warn("%s: DHCP ACK from %s gives no usable address (%s), starting over",
			 c->ifname, srv, ip);
		restart(c, now, dhcp_backoff_ms(c->naks++, rnd()));
		return false;
	}
	warn_lines(c->ifname, warn);
	if (ret->has_lease)
		log_info("%s: lease %s/%u from %s for %u s", c->ifname, ip, ret->prefix, srv,
			 ret->lease_s);
	else
		log_info("%s: lease %s/%u from %s", c->ifname, ip, ret->prefix, srv);
	return true;
}

int dhcp_client_lease(struct link_ctx *link, int ifindex, const char *ifname, int timeout_ms,
		      struct dhcp_lease *ret, int64_t *ret_start_ms, char *why, size_t whylen)
{
	struct client c = { .ifname = ifname };
	struct link_info li;
	int64_t deadline;
	int fd = -1, r;

	r = link_get(link, ifindex, &li);
	if (r < 0)
		return r;
	r = open_socket(ifindex, &fd);
	if (r < 0)
		return r;
	memcpy(c.m.mac, li.mac, 6);
	seed(li.mac);
	c.t0 = clock_ms();
	deadline = c.t0 + timeout_ms;
	restart(&c, c.t0, 0);
	for (;;) {
		int64_t now = clock_ms(), wait;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (now >= deadline)
			break;
		if (now >= c.next) {
			if (c.m.type == DHCP_REQUEST && c.attempt == REQUEST_TRIES) {
				char srv[16];

				dhcp_ip_str(c.m.server_id, srv);
				log_info("%s: no answer from %s to %u DHCP requests, discovering "
					 "again",
					 ifname, srv, REQUEST_TRIES);
				restart(&c, now, 0);
			}
			c.m.secs =
			    (uint16_t)((now - c.t0) / 1000 > 0xffff ? 0xffff : (now - c.t0) / 1000);
			r = send_msg(fd, ifindex, &c.m);
			if (r < 0)
				log_debug_errno(r, "%s: cannot send DHCP%s", ifname,
						type_name(c.m.type));
			else
				log_debug("%s: DHCP%s, xid %08x", ifname, type_name(c.m.type),
					  c.m.xid);
			c.m.type == DHCP_DISCOVER ? c.discovers++ : c.requests++;
			if (c.m.type == DHCP_REQUEST && c.attempt == 0)
				c.requested = now;
			c.next = now + dhcp_backoff_ms(c.attempt++, rnd());
		}
		wait = (c.next < deadline ? c.next : deadline) - now;
		if (poll(&p, 1, (int)(wait > 0 ? wait : 0)) < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		for (;;) {
			size_t n;
			bool unset;
			enum dhcp_err e;

			r = recv_one(fd, rx_buf, sizeof(rx_buf), &n, &unset);
			if (r == -EAGAIN)
				break;
			if (r < 0) { /* ENETDOWN while a link flaps: asking again may still work */
				log_debug_errno(r, "%s: DHCP receive", ifname);
				break;
			}
			if (!n)
				continue;
			e = dhcp_decode(rx_buf, n, c.m.xid, c.m.mac, unset, &rx_rep);
			if (e != DHCP_OK) {
				log_debug("%s: dropped a packet: %s", ifname, dhcp_strerror(e));
				continue;
			}
			if (on_reply(&c, &rx_rep, clock_ms(), ret)) {
				*ret_start_ms = c.requested;
				r = 0;
				goto out;
			}
		}
	}
	r = -ETIMEDOUT;
	if (c.naks || c.offers)
		snprintf(why, whylen, "no DHCP lease on %s within %d s (%u offers, %u NAKs)",
			 ifname, timeout_ms / 1000, c.offers, c.naks);
	else
		snprintf(why, whylen, "no DHCP lease on %s within %d s (%u DISCOVERs unanswered)",
			 ifname, timeout_ms / 1000, c.discovers);
out:
	close(fd);
	return r;
}

/* ---- RENEWING and REBINDING, in `up --renew`'s background process ---- */

struct renewal {
	struct link_ctx *link;
	int ifindex;
	const char *ifname;
	struct dhcp_lease l; /* what we keep: the first lease's address, prefix, broadcast */
	struct dhcp_times t;
	int64_t start;	 /* when the lease's times began (ms, CLOCK_MONOTONIC) */
	int64_t sent;	 /* seconds from start of the last REQUEST; -1: none this cycle */
	int64_t sent_ms; /* and when exactly, for the lease an ACK to it begins */
};

static void no_carrier_cb(void *data, int ifindex, bool carrier)
{
	(void)data, (void)ifindex, (void)carrier;
}

/* 1 when the interface and our address on it are still there; 0 (said why) if not. */
static int still_ours(struct renewal *w)
{
	struct link_info li;
	char ip[16];

	/* Drained only so that the kernel's queue of link events stays empty; whether
	 * ours went is asked below. */
	link_events_read(w->link, no_carrier_cb, NULL);
	/* A netlink hiccup (< 0) is no reason to give up a lease. */
	if (link_addr4_has(w->link, w->ifindex, w->l.addr, w->l.prefix) != 0)
		return 1;
	dhcp_ip_str(w->l.addr, ip);
	if (link_get(w->link, w->ifindex, &li) < 0)
		log_info("%s is gone: the lease renewer stops", w->ifname);
	else
		log_info("%s: %s is no longer on it: the lease renewer stops", w->ifname, ip);
	return 0;
}

/* An answer to our REQUEST: 1 when the renewer has nothing more to do. */
static int on_renew_reply(struct renewal *w, const struct dhcp_reply *rep, int64_t now)
{
	struct dhcp_lease nl;
	char ip[16], srv[16], other[16], warn[1024] = "";
	uint32_t life, left;
	int r;

	dhcp_ip_str(w->l.addr, ip);
	dhcp_ip_str(rep->server_id, srv);
	/* Until T2 the lease is its server's to extend or refuse (RENEWING); after it,
	 * any server's word counts (REBINDING). */
	if (rep->type == DHCP_OFFER || (w->sent < w->t.t2_s && rep->server_id != w->l.server_id)) {
		log_debug("%s: DHCP reply from %s while renewing with another, ignored", w->ifname,
			  srv);
		return 0;
	}
	if (rep->type == DHCP_NAK) {
		log_warn("%s: DHCP NAK from %s: the lease of %s is not renewed; the kernel removes "
			 "the address when it ends, in %" PRId64 " s",
			 w->ifname, srv, ip, w->t.lease_s - (now - w->start) / 1000);
		return 1;
	}
	if (dhcp_lease_from_reply(rep, &nl, warn, sizeof(warn)) < 0) {
		log_debug("%s: DHCP ACK from %s gives no usable address, ignored", w->ifname, srv);
		return 0;
	}
	if (nl.addr != w->l.addr) {
		/* Renumbering an installer mid-install would cut every connection it has. */
		dhcp_ip_str(nl.addr, other);
		log_warn("%s: DHCP server %s hands out %s instead of %s: keeping %s until its "
			 "lease ends, in %" PRId64 " s; the lease renewer stops",
			 w->ifname, srv, other, ip, ip, w->t.lease_s - (now - w->start) / 1000);
		return 1;
	}
	/* Someone else may have taken the address off since we asked: not put back. */
	if (!still_ours(w))
		return 1;
	/* The new lease runs from our REQUEST; the kernel counts from now. */
	life = dhcp_lifetime(&nl);
	left = (uint32_t)((now - w->sent_ms) / 1000);
	left = !life ? 0 : life > left + 1 ? life - left : 1;
	r = link_addr4_add(w->link, w->ifindex, w->l.addr, w->l.prefix, w->l.broadcast, left);
	if (r < 0) {
		log_warn_errno(r, "%s: cannot give %s its renewed lifetime, asking again later",
			       w->ifname, ip);
		return 0;
	}
	w->l.server_id = nl.server_id;
	w->start = w->sent_ms;
	w->sent = -1;
	if (!dhcp_renew_times(&nl, &w->t)) {
		log_info("%s: lease of %s renewed by %s for ever: nothing more to renew", w->ifname,
			 ip, srv);
		return 1;
	}
	log_info("%s: lease of %s renewed by %s for %u s", w->ifname, ip, srv, w->t.lease_s);
	return 0;
}

int dhcp_client_renew(struct link_ctx *link, int ifindex, const char *ifname,
		      const struct dhcp_lease *l, int64_t start_ms)
{
	struct renewal w = { .link = link,
			     .ifindex = ifindex,
			     .ifname = ifname,
			     .l = *l,
			     .start = start_ms,
			     .sent = -1 };
	struct dhcp_msg m = { .type = DHCP_REQUEST, .ciaddr = l->addr };
	struct link_info li;
	int64_t cycle = 0;
	char ip[16];
	int fd = -1, r;

	if (!dhcp_renew_times(l, &w.t))
		return 0;
	r = link_get(link, ifindex, &li);
	if (r >= 0)
		r = open_socket(ifindex, &fd);
	if (r < 0)
		return r;
	memcpy(m.mac, li.mac, 6);
	seed(li.mac); /* not the parent's sequence: this process is a fork of it */
	dhcp_ip_str(l->addr, ip);
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = link_events_fd(link), .events = POLLIN } };
		int64_t now = clock_ms(), end = w.start + 1000 * (int64_t)w.t.lease_s;
		int64_t due = w.start + 1000 * (int64_t)dhcp_renew_next(&w.t, w.sent), wait;

		if (now >= end) {
			log_warn(
			    "%s: no DHCP server renewed the lease of %s: it has ended, and the "
			    "kernel removes the address",
			    ifname, ip);
			break;
		}
		if (now >= due && due < end) {
			if (!still_ours(&w))
				break;
			if (w.sent < 0)
				cycle = now;
			/* A new xid each time: an ACK then says exactly when its lease began. */
			m.xid = rnd();
			m.secs = (uint16_t)((now - cycle) / 1000 > 0xffff ? 0xffff
									  : (now - cycle) / 1000);
			r = send_msg(fd, ifindex, &m);
			if (r < 0)
				log_debug_errno(r, "%s: cannot send the renewing DHCPREQUEST",
						ifname);
			else
				log_debug("%s: renewing DHCPREQUEST, xid %08x", ifname, m.xid);
			w.sent = (now - w.start) / 1000;
			w.sent_ms = now;
			continue;
		}
		/* The last REQUEST's answer is awaited up to the lease's end. poll takes an
		 * int: an hour at most, then the sums again. */
		wait = (due < end ? due : end) - now;
		if (poll(p, 2, (int)(wait > 3600000 ? 3600000 : wait)) < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		/* The link went down or away (the packet socket says ENETDOWN) or changed. */
		if ((p[0].revents & POLLERR || p[1].revents) && !still_ours(&w))
			break;
		for (;;) {
			size_t n;
			bool unset;

			/* -EAGAIN: no more; ENETDOWN: the link flapped, see above */
			if (recv_one(fd, rx_buf, sizeof(rx_buf), &n, &unset) < 0)
				break;
			if (!n || w.sent < 0 ||
			    dhcp_decode(rx_buf, n, m.xid, m.mac, unset, &rx_rep) != DHCP_OK)
				continue;
			if (on_renew_reply(&w, &rx_rep, clock_ms()))
				goto done;
		}
	}
done: /* and by each break: nothing left to do */
	r = 0;
out:
	close(fd);
	return r;
}

/* What resolv.conf was before our first write, so that a failed `up` can put it back:
 * nothing, a file's text, or a symlink's target (systemd-resolved's stub). */
static struct {
	enum { RESOLV_UNSAVED, RESOLV_NONE, RESOLV_FILE, RESOLV_LINK } kind;
	size_t len;
	char text[4096];
} saved;

static void save_resolv(const char *path)
{
	struct stat st;
	ssize_t n;
	int fd;

	if (saved.kind != RESOLV_UNSAVED)
		return;
	saved.kind = RESOLV_NONE;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, saved.text, sizeof(saved.text) - 1);
		if (n > 0)
			saved.kind = RESOLV_LINK, saved.len = (size_t)n;
		saved.text[n > 0 ? n : 0] = '\0';
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	n = fd < 0 ? -1 : read(fd, saved.text, sizeof(saved.text));
	if (fd >= 0)
		close(fd);
	if (n >= 0 && (size_t)n < sizeof(saved.text)) /* a bigger one is not ours to cut */
		saved.kind = RESOLV_FILE, saved.len = (size_t)n;
	else
		saved.kind = RESOLV_UNSAVED; /* unknown: never restored */
}

/* text (or, with link, a symlink to it) under a temporary name beside path, then
 * renamed over it: a reader sees the old file or the new one. */
static int replace_file(const char *path, const char *text, size_t n, bool link)
{
	char tmp[256];
	ssize_t w;
	int fd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.pxebond", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);
	if (link) {
		if (symlink(text, tmp) < 0)
			return -errno;
		goto rename;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	w = write(fd, text, n);
	if (w < 0)
		r = -errno;
	else if ((size_t)w != n)
		r = -EIO;
	else if (fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
rename:
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

static int write_resolv(const char *path, const struct dhcp_lease *l, const char *ifname)
{
	char text[1024];
	size_t n = dhcp_resolv_conf(l, ifname, text, sizeof(text));

	if (!n)
		return 0;
	save_resolv(path);
	return replace_file(path, text, n, false);
}

int dhcp_client_resolv_restore(const char *path)
{
	int r = 0;

	if (saved.kind == RESOLV_NONE)
		r = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	else if (saved.kind == RESOLV_FILE || saved.kind == RESOLV_LINK)
		r = replace_file(path, saved.text, saved.len, saved.kind == RESOLV_LINK);
	saved.kind = RESOLV_UNSAVED;
	return r;
}

/* DIR/NAME into out; false if it does not fit. */
static bool in_dir(const char *dir, const char *name, char *out, size_t cap)
{
	return (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap;
}

int dhcp_client_resolv_keep(const char *dir)
{
	char p[4096];

	if (saved.kind == RESOLV_UNSAVED) /* none written, or an original too big to keep */
		return 0;
	if (!in_dir(dir, saved.kind == RESOLV_NONE ? "resolv.conf.none" : "resolv.conf.orig", p,
		    sizeof(p)))
		return -ENAMETOOLONG;
	if (saved.kind == RESOLV_NONE)
		return replace_file(p, "", 0, false);
	return replace_file(p, saved.text, saved.len, saved.kind == RESOLV_LINK);
}

int dhcp_client_resolv_back(const char *dir, const char *path)
{
	char orig[4096], none[4096], text[4097], head[40] = "";
	struct stat st;
	ssize_t n;
	int fd, r = 0;

	if (!in_dir(dir, "resolv.conf.orig", orig, sizeof(orig)) ||
	    !in_dir(dir, "resolv.conf.none", none, sizeof(none)))
		return -ENAMETOOLONG;
	/* Only while it is still ours: a stack that wrote its own since keeps it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	n = fd < 0 ? -1 : read(fd, head, sizeof(head) - 1);
	if (fd >= 0)
		close(fd);
	if (n > 0 && !strncmp(head, "# pxebond up: from the DHCP lease", 33)) {
		if (access(none, F_OK) == 0) {
			r = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
		} else if (lstat(orig, &st) == 0) {
			bool link = S_ISLNK(st.st_mode);

			n = link ? readlink(orig, text, sizeof(text) - 1) : -1;
			if (!link && (fd = open(orig, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
				n = read(fd, text, sizeof(text) - 1);
				close(fd);
			}
			r = n < 0 ? -EIO : replace_file(path, text, (size_t)n, link);
		}
	}
	unlink(orig);
	unlink(none);
	return r;
}

int dhcp_client_apply(struct link_ctx *link, int ifindex, const char *ifname,
		      const struct dhcp_lease *l, const char *resolv_path, unsigned *ret_old_mtu)
{
	struct link_info li;
	char gw[16];
	int r;

	*ret_old_mtu = 0;
	if (l->mtu && link_get(link, ifindex, &li) == 0 && li.mtu != l->mtu) {
		r = link_set_mtu(link, ifindex, l->mtu);
		if (r < 0)
			log_warn_errno(r, "%s: cannot set the lease's MTU %u, keeping %u", ifname,
				       l->mtu, li.mtu);
		else
			*ret_old_mtu = li.mtu;
	}
	/* The lease's lifetime, as dracut's dhclient-script gives it: the address goes when
	 * the lease ends, unless whoever takes over renews it. Other addresses stay: they
	 * are not ours to take (`down` removes only this one). */
	r = link_addr4_add(link, ifindex, l->addr, l->prefix, l->broadcast, dhcp_lifetime(l));
	if (r < 0)
		return r;
	if (l->gateway) {
		/* A router outside the prefix (a /32 lease) is still reached on this link. */
		bool onlink = (l->gateway & l->netmask) != (l->addr & l->netmask);

		dhcp_ip_str(l->gateway, gw);
		r = link_route4_default(link, ifindex, l->gateway, onlink);
		if (r == -EEXIST)
			log_warn("%s: there is a default route already; kept, not via %s", ifname,
				 gw);
		else if (r < 0)
			log_warn_errno(r,
				       "%s: cannot add the default route via %s, going on "
				       "without it",
				       ifname, gw);
	}
	if (resolv_path) {
		r = write_resolv(resolv_path, l, ifname);
		if (r < 0)
			log_warn_errno(r, "%s: cannot write %s, leaving it as it was", ifname,
				       resolv_path);
	}
	return 0;
}
