/* Pure DHCPv4 for `up` (RFC 2131, 2132, 3396, 3397): the client's DISCOVER and REQUEST
 * as whole IPv4 packets, and the server's OFFER/ACK/NAK read through the cursor, layer by
 * layer (IPv4, UDP, BOOTP, options), each checked before the next is looked at. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp.h"
#include "log.h"
#include "names.h"
#include "rd.h"
#include "escape.h"

#define BOOTP_REQUEST	1
#define BOOTP_REPLY	2
#define BOOTP_BROADCAST 0x8000
#define DHCP_MAGIC	0x63825363 /* RFC 2131 3: 99.130.83.99 */
#define BOOTP_MIN_LEN	300	   /* RFC 1542 2.1: relays may drop shorter messages */
#define DHCP_MAX_MSG	1500	   /* option 57: what we take, headers included */
#define IP_PROTO_UDP	17
#define IP_FRAG_MASK	0x3fff /* MF and the fragment offset */
#define SEARCH_MAX_HOPS 32

enum {
	OPT_PAD = 0,
	OPT_SUBNET = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_ROOT_PATH = 17,
	OPT_MTU = 26,
	OPT_BROADCAST = 28,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PRL = 55,
	OPT_MAX_MSG = 57,
	OPT_T1 = 58,
	OPT_T2 = 59,
	OPT_CLIENT_ID = 61,
	OPT_TFTP = 66,
	OPT_BOOTFILE = 67,
	OPT_SEARCH = 119,
	OPT_END = 255,
};

struct ip4_wire { /* RFC 791 3.1 */
	uint8_t ver_ihl;
	uint8_t tos;
	uint16_t total_len;
	uint16_t id;
	uint16_t frag; /* flags and fragment offset */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t src, dst;
} __attribute__((packed));
_Static_assert(sizeof(struct ip4_wire) == 20, "RFC 791 header without options");

struct udp_wire { /* RFC 768 */
	uint16_t sport, dport, len, csum;
} __attribute__((packed));
_Static_assert(sizeof(struct udp_wire) == 8, "RFC 768 header");

struct bootp_wire {    /* RFC 2131 2, figure 1 */
	uint8_t op;    /* 1 BOOTREQUEST, 2 BOOTREPLY */
	uint8_t htype; /* 1: Ethernet */
	uint8_t hlen;  /* 6 */
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags; /* BROADCAST: the server answers to 255.255.255.255 */
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];
	uint8_t sname[64]; /* option overload 2 */
	uint8_t file[128]; /* option overload 1 */
	uint32_t cookie;
} __attribute__((packed));
_Static_assert(sizeof(struct bootp_wire) == 240, "BOOTP fixed part and magic cookie");

static const char *const dhcp_errors[_DHCP_ERR_MAX] = {
	[DHCP_OK] = "ok",
	[DHCP_ERR_SHORT] = "truncated",
	[DHCP_ERR_IP] = "not an IPv4 packet we take",
	[DHCP_ERR_IP_CSUM] = "bad IPv4 header checksum",
	[DHCP_ERR_FRAGMENT] = "a fragment",
	[DHCP_ERR_PROTO] = "not UDP from port 67 to 68",
	[DHCP_ERR_UDP_CSUM] = "bad UDP checksum",
	[DHCP_ERR_BOOTP] = "not a BOOTP reply for Ethernet",
	[DHCP_ERR_NOT_OURS] = "another transaction or client",
	[DHCP_ERR_OPTIONS] = "malformed options",
	[DHCP_ERR_TYPE] = "not an OFFER, ACK or NAK",
	[DHCP_ERR_SERVER_ID] = "no server identifier",
};

const char *dhcp_strerror(enum dhcp_err e)
{
	return (unsigned)e < _DHCP_ERR_MAX ? dhcp_errors[e] : "unknown";
}

/* The ones' complement sum of RFC 1071, not yet folded. */
static uint32_t sum16(struct rd r, uint32_t sum)
{
	uint16_t w;
	uint8_t b;

	while (r.left >= 2 && rd_be16(&r, &w))
		sum += w;
	if (rd_u8(&r, &b)) /* an odd last byte, padded with zero */
		sum += (uint32_t)b << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The RFC 768 pseudo-header: addresses, protocol and UDP length. */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint16_t ulen)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + IP_PROTO_UDP + ulen;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static size_t put_opt(uint8_t *o, size_t n, uint8_t code, const void *data, uint8_t len)
{
	o[n] = code;
	o[n + 1] = len;
	memcpy(o + n + 2, data, len);
	return n + 2 + len;
}

size_t dhcp_encode(uint8_t buf[DHCP_CLIENT_LEN], const struct dhcp_msg *m)
{
	/* What the client asks for; 51 and 54 too, as udhcpc did, for servers that wait. */
	static const uint8_t prl[] = { OPT_SUBNET, OPT_ROUTER,	  OPT_DNS,   OPT_HOSTNAME,
				       OPT_DOMAIN, OPT_ROOT_PATH, OPT_MTU,   OPT_BROADCAST,
				       OPT_LEASE,  OPT_SERVER_ID, OPT_T1,    OPT_T2,
				       OPT_TFTP,   OPT_BOOTFILE,  OPT_SEARCH };
	const uint16_t ulen = DHCP_CLIENT_LEN - sizeof(struct ip4_wire);
	struct bootp_wire w = { .op = BOOTP_REQUEST,
				.htype = 1,
				.hlen = 6,
				.xid = htonl(m->xid),
				.secs = htons(m->secs),
				.flags = htons(m->ciaddr ? 0 : BOOTP_BROADCAST),
				.ciaddr = htonl(m->ciaddr),
				.cookie = htonl(DHCP_MAGIC) };
	struct ip4_wire ip = { .ver_ihl = 0x45,
			       .total_len = htons(DHCP_CLIENT_LEN),
			       .ttl = 64,
			       .proto = IP_PROTO_UDP,
			       .src = htonl(m->ciaddr),
			       .dst = htonl(0xffffffff) };
	struct udp_wire udp = { .sport = htons(DHCP_CLIENT_PORT),
				.dport = htons(DHCP_SERVER_PORT),
				.len = htons(ulen) };
	uint8_t *u = buf + sizeof(ip), *o = u + sizeof(udp) + sizeof(w);
	uint8_t type = (uint8_t)m->type, id[7] = { 1 }, v[4];
	uint16_t c;
	size_t n;

	_Static_assert(20 + 8 + BOOTP_MIN_LEN == DHCP_CLIENT_LEN, "the padded client message");
	memset(buf, 0, DHCP_CLIENT_LEN);
	memcpy(w.chaddr, m->mac, 6);
	memcpy(u + sizeof(udp), &w, sizeof(w));
	n = put_opt(o, 0, OPT_TYPE, &type, 1);
	/* 01 + MAC: busybox udhcpc's default, which `up` used before, so servers keep our
	 * reservation and our lease. */
	memcpy(id + 1, m->mac, 6);
	n = put_opt(o, n, OPT_CLIENT_ID, id, sizeof(id));
	/* Renewing or rebinding: ciaddr says which lease; 50 and 54 are selecting's only
	 * (RFC 2131 4.3.2), and a server that sees them would treat the REQUEST as that. */
	if (m->type == DHCP_REQUEST && !m->ciaddr) {
		put_be32(v, m->requested_ip);
		n = put_opt(o, n, OPT_REQUESTED_IP, v, 4);
		put_be32(v, m->server_id);
		n = put_opt(o, n, OPT_SERVER_ID, v, 4);
	}
	put_be16(v, DHCP_MAX_MSG);
	n = put_opt(o, n, OPT_MAX_MSG, v, 2);
	n = put_opt(o, n, OPT_PRL, prl, sizeof(prl));
	o[n] = OPT_END; /* the rest is pad (0) up to BOOTP_MIN_LEN */

	memcpy(u, &udp, sizeof(udp));
	c = (uint16_t)~fold(sum16(rd_init(u, ulen), pseudo_sum(m->ciaddr, 0xffffffff, ulen)));
	put_be16(u + 6, c ? c : 0xffff); /* 0 would mean "no checksum" */
	memcpy(buf, &ip, sizeof(ip));
	put_be16(buf + 10, (uint16_t)~fold(sum16(rd_init(buf, sizeof(ip)), 0)));
	return DHCP_CLIENT_LEN;
}

/* ---- decoding ---- */

/* Every option's data, concatenated across its instances and the overloaded fields in
 * RFC 3396 order (options, then file, then sname), so long options read as one. */
struct opt_store {
	uint8_t seen[32];
	uint16_t off[256], len[256], fill[256];
	uint8_t data[DHCP_PKT_MAX]; /* enough: each byte of it is a byte of the packet */
};

static bool seen(const struct opt_store *s, uint8_t code)
{
	return s->seen[code / 8] & (1u << (code % 8));
}

/* One option field. count: tally lengths; else copy the data into place. */
static bool walk(struct rd a, struct opt_store *s, bool count)
{
	for (;;) {
		uint8_t code, len;
		struct rd body;

		if (!rd_u8(&a, &code))
			return true; /* a field may end without OPT_END */
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return true;
		if (!rd_u8(&a, &len) || !rd_sub(&a, len, &body))
			return false;
		if (count) {
			s->seen[code / 8] |= (uint8_t)(1u << (code % 8));
			s->len[code] = (uint16_t)(s->len[code] + len);
		} else {
			rd_bytes(&body, s->data + s->off[code] + s->fill[code], len);
			s->fill[code] = (uint16_t)(s->fill[code] + len);
		}
	}
}

/* Option 52 in the options field only (in file or sname it is ignored, so overloading
 * cannot loop): 1 file, 2 sname, 3 both. */
static uint8_t find_overload(struct rd a)
{
	for (;;) {
		uint8_t code, len, v;
		struct rd body;

		if (!rd_u8(&a, &code) || code == OPT_END)
			return 0;
		if (code == OPT_PAD)
			continue;
		if (!rd_u8(&a, &len) || !rd_sub(&a, len, &body))
			return 0;
		if (code == OPT_OVERLOAD)
			return len == 1 && rd_u8(&body, &v) ? v & 3 : 0;
	}
}

static bool get(const struct opt_store *s, uint8_t code, struct rd *out)
{
	if (!seen(s, code))
		return false;
	*out = rd_init(s->data + s->off[code], s->len[code]);
	return true;
}

static void ignore(struct dhcp_reply *d, uint8_t code)
{
	if (d->n_ignored < sizeof(d->ignored))
		d->ignored[d->n_ignored++] = code;
}

static bool get_u32(const struct opt_store *s, struct dhcp_reply *d, uint8_t code, uint32_t *v)
{
	struct rd b;

	if (!get(s, code, &b))
		return false;
	if (b.left == 4 && rd_be32(&b, v))
		return true;
	ignore(d, code);
	return false;
}

static void get_addrs(const struct opt_store *s, struct dhcp_reply *d, uint8_t code, uint32_t *out,
		      unsigned *n)
{
	struct rd b;

	if (!get(s, code, &b))
		return;
	if (b.left == 0 || b.left % 4) {
		ignore(d, code);
		return;
	}
	while (*n < DHCP_MAX_ADDRS && rd_be32(&b, &out[*n]))
		(*n)++;
}

/* Bytes as sent, less trailing NULs (RFC 2132 3.1 says none; some servers add one). */
static void get_bytes(const struct opt_store *s, struct dhcp_reply *d, uint8_t code,
		      struct dhcp_bytes *out)
{
	struct rd b;
	size_t n;

	if (!get(s, code, &b))
		return;
	n = b.left;
	if (n > sizeof(out->b)) {
		ignore(d, code);
		return;
	}
	rd_bytes(&b, out->b, n);
	while (n && out->b[n - 1] == '\0')
		n--;
	out->len = (uint16_t)n;
	if (!n)
		ignore(d, code);
}

static void field_bytes(const uint8_t *f, size_t cap, struct dhcp_bytes *out)
{
	size_t n = strnlen((const char *)f, cap);

	memcpy(out->b, f, n);
	out->len = (uint16_t)n;
}

static bool label_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/* One RFC 1035 4.1.4 name at pos (advanced past it) of the whole option data. Each
 * pointer must go below the lowest place read so far, so no chain can loop; names stop
 * at 253 characters and SEARCH_MAX_HOPS pointers. */
static bool search_name(struct rd all, size_t *pos, char *name, size_t cap)
{
	struct rd c = all;
	size_t n = 0, low = *pos;
	unsigned hops = 0;
	bool jumped = false;

	if (!rd_skip(&c, *pos))
		return false;
	for (;;) {
		size_t at = all.left - c.left;
		uint8_t len, lo, label[63];

		if (!rd_u8(&c, &len))
			return false;
		if (len == 0)
			break;
		if ((len & 0xc0) == 0xc0) {
			size_t to;

			if (!rd_u8(&c, &lo))
				return false;
			to = (size_t)(len & 0x3f) << 8 | lo;
			if (!jumped)
				*pos = at + 2;
			jumped = true;
			if (to >= low || ++hops > SEARCH_MAX_HOPS)
				return false;
			low = to;
			c = all;
			rd_skip(&c, to);
			continue;
		}
		if (len & 0xc0 || !rd_bytes(&c, label, len))
			return false; /* 0x40 and 0x80 are not label lengths */
		if ((n ? n + 1 : 0) + len > 253 || n + len + 2 > cap)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!label_char(label[i]))
				return false;
		if (n)
			name[n++] = '.';
		memcpy(name + n, label, len);
		n += len;
	}
	if (!jumped)
		*pos = all.left - c.left;
	name[n] = '\0';
	return n > 0 && names_domain_valid(name);
}

/* RFC 3397: the concatenated option is a list of names; any fault drops it whole. */
static void get_search(const struct opt_store *s, struct dhcp_reply *d)
{
	struct rd all;
	size_t pos = 0, o = 0;

	if (!get(s, OPT_SEARCH, &all))
		return;
	while (pos < all.left) {
		char name[256];

		if (!search_name(all, &pos, name, sizeof(name)) ||
		    o + strlen(name) + 2 > sizeof(d->search)) {
			d->search[0] = '\0';
			ignore(d, OPT_SEARCH);
			return;
		}
		o += (size_t)snprintf(d->search + o, sizeof(d->search) - o, "%s%s", o ? " " : "",
				      name);
	}
	d->has_search = o > 0;
}

static enum dhcp_err decode_options(struct rd opts, const struct bootp_wire *w,
				    struct dhcp_reply *d)
{
	static struct opt_store s; /* 3.5 KB: not for the stack of a fuzzer's thread */
	struct rd area[3];
	unsigned n = 0;
	uint8_t overload, type;
	size_t off = 0;
	uint16_t mtu16;
	struct rd b;

	memset(&s, 0, sizeof(s));
	area[n++] = opts;
	overload = find_overload(opts);
	if (overload & 1)
		area[n++] = rd_init(w->file, sizeof(w->file));
	if (overload & 2)
		area[n++] = rd_init(w->sname, sizeof(w->sname));
	for (unsigned i = 0; i < n; i++)
		if (!walk(area[i], &s, true))
			return DHCP_ERR_OPTIONS;
	for (unsigned c = 0; c < 256; c++)
		s.off[c] = (uint16_t)off, off += s.len[c];
	if (off > sizeof(s.data))
		return DHCP_ERR_OPTIONS; /* cannot happen for a packet of at most DHCP_PKT_MAX */
	for (unsigned i = 0; i < n; i++)
		walk(area[i], &s, false);

	if (!get(&s, OPT_TYPE, &b) || b.left != 1 || !rd_u8(&b, &type) ||
	    (type != DHCP_OFFER && type != DHCP_ACK && type != DHCP_NAK))
		return DHCP_ERR_TYPE;
	d->type = (enum dhcp_type)type;
	if (!get_u32(&s, d, OPT_SERVER_ID, &d->server_id) && type != DHCP_NAK)
		return DHCP_ERR_SERVER_ID;
	d->has_subnet = get_u32(&s, d, OPT_SUBNET, &d->subnet);
	d->has_broadcast = get_u32(&s, d, OPT_BROADCAST, &d->broadcast);
	d->has_lease = get_u32(&s, d, OPT_LEASE, &d->lease_s);
	d->has_t1 = get_u32(&s, d, OPT_T1, &d->t1_s);
	d->has_t2 = get_u32(&s, d, OPT_T2, &d->t2_s);
	if (get(&s, OPT_MTU, &b)) {
		d->has_mtu = b.left == 2 && rd_be16(&b, &mtu16);
		if (d->has_mtu)
			d->mtu = mtu16;
		else
			ignore(d, OPT_MTU);
	}
	get_addrs(&s, d, OPT_ROUTER, d->router, &d->n_router);
	get_addrs(&s, d, OPT_DNS, d->dns, &d->n_dns);
	get_bytes(&s, d, OPT_HOSTNAME, &d->hostname);
	get_bytes(&s, d, OPT_DOMAIN, &d->domain);
	get_bytes(&s, d, OPT_ROOT_PATH, &d->root_path);
	get_bytes(&s, d, OPT_TFTP, &d->tftp);
	get_bytes(&s, d, OPT_BOOTFILE, &d->bootfile);
	get_search(&s, d);
	if (!(overload & 1))
		field_bytes(w->file, sizeof(w->file), &d->file);
	if (!(overload & 2))
		field_bytes(w->sname, sizeof(w->sname), &d->sname);
	return DHCP_OK;
}

enum dhcp_err dhcp_decode(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6],
			  bool udp_csum_unset, struct dhcp_reply *out)
{
	struct rd r = rd_init(pkt, len), hdr, payload, seg;
	struct ip4_wire ip;
	struct udp_wire udp;
	struct bootp_wire w;
	size_t hl, tl, ulen;
	enum dhcp_err e;

	memset(out, 0, sizeof(*out));
	if (len > DHCP_PKT_MAX)
		return DHCP_ERR_IP;
	if (!rd_bytes(&r, &ip, sizeof(ip)))
		return DHCP_ERR_SHORT;
	hl = (size_t)(ip.ver_ihl & 0x0f) * 4;
	tl = ntohs(ip.total_len);
	if (ip.ver_ihl >> 4 != 4 || hl < sizeof(ip))
		return DHCP_ERR_IP;
	/* The total length rules: what follows it is the link layer's padding. */
	if (tl < hl + sizeof(udp) || tl > len)
		return DHCP_ERR_SHORT;
	r = rd_init(pkt, tl);
	rd_sub(&r, hl, &hdr);
	payload = r;
	if (fold(sum16(hdr, 0)) != 0xffff)
		return DHCP_ERR_IP_CSUM;
	if (ntohs(ip.frag) & IP_FRAG_MASK)
		return DHCP_ERR_FRAGMENT;
	if (ip.proto != IP_PROTO_UDP)
		return DHCP_ERR_PROTO;

	if (!rd_bytes(&r, &udp, sizeof(udp)))
		return DHCP_ERR_SHORT;
	ulen = ntohs(udp.len);
	if (ulen < sizeof(udp) || !rd_sub(&payload, ulen, &seg))
		return DHCP_ERR_SHORT;
	if (ntohs(udp.sport) != DHCP_SERVER_PORT || ntohs(udp.dport) != DHCP_CLIENT_PORT)
		return DHCP_ERR_PROTO;
	if (udp.csum && !udp_csum_unset &&
	    fold(sum16(seg, pseudo_sum(ntohl(ip.src), ntohl(ip.dst), (uint16_t)ulen))) != 0xffff)
		return DHCP_ERR_UDP_CSUM;
	rd_skip(&seg, sizeof(udp));
	if (!rd_bytes(&seg, &w, sizeof(w)))
		return DHCP_ERR_SHORT;
	if (w.op != BOOTP_REPLY || w.htype != 1 || w.hlen != 6 || ntohl(w.cookie) != DHCP_MAGIC)
		return DHCP_ERR_BOOTP;
	if (ntohl(w.xid) != xid || memcmp(w.chaddr, mac, 6) != 0)
		return DHCP_ERR_NOT_OURS;
	out->yiaddr = ntohl(w.yiaddr);
	out->siaddr = ntohl(w.siaddr);
	e = decode_options(seg, &w, out);
	if (e != DHCP_OK)
		memset(out, 0, sizeof(*out));
	return e;
}

/* ---- the lease as stored ---- */

void dhcp_ip_str(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
}

void dhcp_ip_list(const uint32_t *ips, unsigned n, char *out, size_t cap)
{
	size_t o = 0;

	if (cap)
		out[0] = '\0';
	for (unsigned i = 0; i < n && o + 17 < cap; i++) {
		char s[16];

		dhcp_ip_str(ips[i], s);
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", s);
	}
}

/* A host address: not 0/8, loopback, multicast, class E or the broadcast address. */
static bool usable(uint32_t a)
{
	return a >> 24 != 0 && a >> 24 != 127 && a < 0xe0000000;
}

static void warn_value(char *warn, size_t wl, const char *what, const struct dhcp_bytes *b,
		       const char *why)
{
	char shown[80];

	escape_text(shown, sizeof(shown), b->b, b->len);
	log_append(warn, wl, "the lease's %s '%s' %s, left out", what, shown, why);
}

/* Printable ASCII only (no space unless space_ok): no control byte, no newline, nothing a
 * terminal interprets. False, with a warning saying why, when it is left out. */
static bool store_ascii(const struct dhcp_bytes *b, char *out, size_t cap, bool space_ok,
			const char *what, const char *why, char *warn, size_t wl)
{
	unsigned char lo = space_ok ? ' ' : ' ' + 1;

	out[0] = '\0';
	for (size_t i = 0; i < b->len; i++)
		if (b->b[i] < lo || b->b[i] >= 0x7f) {
			warn_value(warn, wl, what, b, why);
			return false;
		}
	if (b->len >= cap) {
		warn_value(warn, wl, what, b, "is too long");
		return false;
	}
	memcpy(out, b->b, b->len);
	out[b->len] = '\0';
	return true;
}

/* A DNS name, checked as write will check it. */
static void store_name(const struct dhcp_bytes *b, char *out, size_t cap, const char *what,
		       char *warn, size_t wl)
{
	out[0] = '\0';
	if (b->len && store_ascii(b, out, cap, false, what, "is not a DNS name", warn, wl) &&
	    !names_domain_valid(out)) {
		out[0] = '\0';
		warn_value(warn, wl, what, b, "is not a DNS name");
	}
}

static void store_text(const struct dhcp_bytes *b, char *out, size_t cap, const char *what,
		       char *warn, size_t wl)
{
	store_ascii(b, out, cap, true, what, "is not printable text", warn, wl);
}

static unsigned classful_prefix(uint32_t a)
{
	return a < 0x80000000 ? 8 : a < 0xc0000000 ? 16 : 24;
}

int dhcp_lease_from_reply(const struct dhcp_reply *a, struct dhcp_lease *ret, char *warn, size_t wl)
{
	struct dhcp_lease l;
	unsigned p;
	char s[16];

	if (a->type != DHCP_ACK || !usable(a->yiaddr))
		return -EADDRNOTAVAIL;
	memset(&l, 0, sizeof(l));
	l.addr = a->yiaddr;
	p = (unsigned)__builtin_popcount(a->subnet);
	if (a->has_subnet && p && a->subnet == ~0u << (32 - p)) {
		l.prefix = (uint8_t)p;
	} else {
		l.prefix = (uint8_t)classful_prefix(l.addr);
		if (a->has_subnet) {
			dhcp_ip_str(a->subnet, s);
			log_append(warn, wl,
				   "the lease's subnet mask %s is not a prefix, using /%u", s,
				   l.prefix);
		}
	}
	l.netmask = ~0u << (32 - l.prefix);
	if (a->has_broadcast && (a->broadcast & l.netmask) == (l.addr & l.netmask))
		l.broadcast = a->broadcast;
	else if (l.prefix <= 30) /* /31 and /32 have none (RFC 3021) */
		l.broadcast = l.addr | ~l.netmask;
	for (unsigned i = 0; i < a->n_router; i++)
		if (usable(a->router[i]))
			l.router[l.n_router++] = a->router[i];
	l.gateway = l.n_router ? l.router[0] : 0;
	for (unsigned i = 0; i < a->n_dns; i++)
		if (usable(a->dns[i]))
			l.dns[l.n_dns++] = a->dns[i];
	/* 576: every IPv4 host must take that much (RFC 791); less only cripples the path. */
	if (a->has_mtu && a->mtu >= 576)
		l.mtu = a->mtu;
	else if (a->has_mtu)
		log_append(warn, wl, "the lease's MTU %u is below 576, not applied", a->mtu);
	l.server_id = a->server_id;
	l.siaddr = a->siaddr;
	l.has_lease = a->has_lease, l.lease_s = a->lease_s;
	l.has_t1 = a->has_t1, l.t1_s = a->t1_s;
	l.has_t2 = a->has_t2, l.t2_s = a->t2_s;
	store_name(&a->hostname, l.hostname, sizeof(l.hostname), "hostname (option 12)", warn, wl);
	store_name(&a->domain, l.domain, sizeof(l.domain), "domain (option 15)", warn, wl);
	if (a->has_search)
		snprintf(l.search, sizeof(l.search), "%s", a->search);
	store_text(&a->root_path, l.root_path, sizeof(l.root_path), "root path (option 17)", warn,
		   wl);
	store_text(&a->tftp, l.tftp, sizeof(l.tftp), "TFTP server (option 66)", warn, wl);
	store_text(&a->bootfile, l.bootfile, sizeof(l.bootfile), "boot file (option 67)", warn, wl);
	store_text(&a->file, l.boot_file, sizeof(l.boot_file), "BOOTP file", warn, wl);
	store_text(&a->sname, l.sname, sizeof(l.sname), "BOOTP server name", warn, wl);
	for (unsigned i = 0; i < a->n_ignored; i++)
		log_append(warn, wl, "the lease's option %u is malformed, ignored", a->ignored[i]);
	*ret = l;
	return 0;
}

size_t dhcp_resolv_conf(const struct dhcp_lease *l, const char *ifname, char *out, size_t cap)
{
	const char *search = l->search[0] ? l->search : l->domain;
	char ip[16];
	size_t o;

	if (!l->n_dns || cap < 64)
		return 0;
	dhcp_ip_str(l->server_id, ip);
	o = (size_t)snprintf(out, cap, "# pxebond up: from the DHCP lease on %s (server %s)\n",
			     ifname, ip);
	if (search[0] && o < cap)
		o += (size_t)snprintf(out + o, cap - o, "search %s\n", search);
	for (unsigned i = 0; i < l->n_dns && o < cap; i++) {
		dhcp_ip_str(l->dns[i], ip);
		o += (size_t)snprintf(out + o, cap - o, "nameserver %s\n", ip);
	}
	return o < cap ? o : 0; /* never a cut file */
}

/* ---- renewal ---- */

uint32_t dhcp_lifetime(const struct dhcp_lease *l)
{
	return !l->has_lease || l->lease_s == 0xffffffffu ? 0 : l->lease_s;
}

bool dhcp_renew_times(const struct dhcp_lease *l, struct dhcp_times *ret)
{
	uint32_t lease = dhcp_lifetime(l), t1, t2;

	if (!lease)
		return false;
	/* RFC 2131 4.4.5: T1 before T2 before the end. A server value that breaks that
	 * (0, or past what follows it) is replaced by the RFC's default, not trusted. */
	t2 =
	    l->has_t2 && l->t2_s && l->t2_s < lease ? l->t2_s : (uint32_t)((uint64_t)lease * 7 / 8);
	if (l->has_t1 && l->t1_s && l->t1_s < t2)
		t1 = l->t1_s;
	else
		t1 = lease / 2 < t2 ? lease / 2 : t2 / 2;
	*ret = (struct dhcp_times){ .t1_s = t1, .t2_s = t2, .lease_s = lease };
	return true;
}

uint32_t dhcp_renew_next(const struct dhcp_times *t, int64_t sent_s)
{
	/* RFC 2131 4.4.5 waits half the time left, and at least 60 s so that a server
	 * that is away is not flooded; for a lease shorter than 8 minutes that would
	 * leave one or two tries before the address goes, mid-install. An eighth of the
	 * lease keeps the schedule in proportion: five tries for a 2-minute lease. */
	uint32_t floor = t->lease_s / 8 > 60 ? 60 : t->lease_s / 8 ? t->lease_s / 8 : 1;
	int64_t end, wait, next;

	if (sent_s < 0)
		return t->t1_s;
	end = sent_s < t->t2_s ? t->t2_s : t->lease_s;
	wait = (end - sent_s) / 2;
	next = sent_s + (wait > floor ? wait : floor);
	if (sent_s < t->t2_s && next > t->t2_s)
		next = t->t2_s; /* REBINDING starts with a REQUEST any server may answer */
	return next < t->lease_s ? (uint32_t)next : t->lease_s;
}

int dhcp_backoff_ms(unsigned attempt, uint32_t rnd)
{
	int base = attempt >= 2 ? 4000 : 1000 << attempt, j = base / 8;

	return base - j + (int)(rnd % (uint32_t)(2 * j + 1));
}
