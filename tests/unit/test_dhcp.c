/* DHCP codec: what we send against what was captured, real servers' replies, every
 * option through a round trip, and hostile replies; the lease as stored; the backoff. */
#include <arpa/inet.h>
#include <stdlib.h>

#include "dhcp.h"
#include "state.h"
#include "unit.h"

#define XID 0x11223344u
static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t other_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* ---- a server's reply, built here so each test can say what is in it ---- */

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Recomputes the IPv4 and UDP checksums of a 20-byte-header packet. */
static void fix(uint8_t *pkt)
{
	size_t ulen = (size_t)(pkt[24] << 8 | pkt[25]);
	uint32_t ps = 17 + (uint32_t)ulen;
	uint16_t c;

	for (int i = 12; i < 20; i += 2)
		ps += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	put16(pkt + 10, 0);
	put16(pkt + 10, csum(pkt, 20, 0));
	put16(pkt + 26, 0);
	c = csum(pkt + 20, ulen, ps);
	put16(pkt + 26, c ? c : 0xffff);
}

/* A BOOTREPLY from 10.1.2.1 offering 10.1.2.3 to us, with these option bytes (END is
 * added) and optionally file and sname contents. Returns the packet's length. */
static size_t reply(uint8_t *pkt, const void *opts, size_t optlen, const void *file, size_t filelen,
		    const void *sname, size_t snamelen)
{
	uint8_t *b = pkt + 28;
	size_t len = 28 + 240 + optlen + 1;

	memset(pkt, 0, DHCP_PKT_MAX);
	pkt[0] = 0x45, pkt[8] = 64, pkt[9] = 17;
	put16(pkt + 2, (unsigned)len);
	memcpy(pkt + 12, "\x0a\x01\x02\x01\xff\xff\xff\xff", 8);
	put16(pkt + 20, 67), put16(pkt + 22, 68), put16(pkt + 24, (unsigned)(len - 20));
	b[0] = 2, b[1] = 1, b[2] = 6;
	b[4] = XID >> 24, b[5] = XID >> 16 & 0xff, b[6] = XID >> 8 & 0xff, b[7] = XID & 0xff;
	memcpy(b + 16, "\x0a\x01\x02\x03\x0a\x01\x02\x01", 8); /* yiaddr, siaddr */
	memcpy(b + 28, mac, 6);
	if (sname)
		memcpy(b + 44, sname, snamelen);
	if (file)
		memcpy(b + 108, file, filelen);
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + 240, opts, optlen);
	b[240 + optlen] = 255;
	fix(pkt);
	return len;
}

#define OFFER_HDR "\x35\x01\x02\x36\x04\x0a\x01\x02\x01"
#define ACK_HDR	  "\x35\x01\x05\x36\x04\x0a\x01\x02\x01"
#define S(lit)	  lit, sizeof(lit) - 1

static bool ignored(const struct dhcp_reply *d, uint8_t code)
{
	for (unsigned i = 0; i < d->n_ignored; i++)
		if (d->ignored[i] == code)
			return true;
	return false;
}

static bool bytes_are(const struct dhcp_bytes *b, const char *s)
{
	return b->len == strlen(s) && !memcmp(b->b, s, b->len);
}

/* ---- what we send ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Byte for byte what tests/fixtures/dhcp-capture.sh caught going to dnsmasq. */
static void encode_as_captured(void)
{
	uint8_t f[600], out[DHCP_CLIENT_LEN];
	long n = unit_fixture("dhcp-pxebond-discover.hex", f, sizeof(f));
	struct dhcp_msg m = { .type = DHCP_DISCOVER };

	CHECK(n == 14 + DHCP_CLIENT_LEN);
	if (n != 14 + DHCP_CLIENT_LEN)
		return;
	memcpy(m.mac, f + 6, 6);
	m.xid = be32(f + 14 + 28 + 4);
	m.secs = (uint16_t)(f[14 + 28 + 8] << 8 | f[14 + 28 + 9]);
	CHECK(dhcp_encode(out, &m) == DHCP_CLIENT_LEN);
	CHECK(memcmp(out, f + 14, DHCP_CLIENT_LEN) == 0);

	n = unit_fixture("dhcp-pxebond-request.hex", f, sizeof(f));
	CHECK(n == 14 + DHCP_CLIENT_LEN);
	if (n != 14 + DHCP_CLIENT_LEN)
		return;
	m.type = DHCP_REQUEST;
	m.xid = be32(f + 14 + 28 + 4);
	m.secs = (uint16_t)(f[14 + 28 + 8] << 8 | f[14 + 28 + 9]);
	m.requested_ip = 0x0a09006b; /* placeholder, read below from option 50 */
	for (size_t i = 14 + 28 + 240; i + 6 <= (size_t)n; i++)
		if (f[i] == 50 && f[i + 1] == 4) {
			m.requested_ip = be32(f + i + 2);
			break;
		}
	m.server_id = 0x0a090001;
	dhcp_encode(out, &m);
	CHECK(memcmp(out, f + 14, DHCP_CLIENT_LEN) == 0);
}

static void encode_fields(void)
{
	uint8_t p[DHCP_CLIENT_LEN];
	struct dhcp_msg m = { .type = DHCP_REQUEST,
			      .xid = XID,
			      .secs = 7,
			      .requested_ip = 0x0a010203,
			      .server_id = 0x0a010201 };
	const uint8_t *o = p + 28 + 240;
	static const uint8_t want_prl[] = {
		1, 3, 6, 12, 15, 17, 26, 28, 51, 54, 58, 59, 66, 67, 119
	};
	bool prl = false, id = false, req = false, srv = false;
	uint32_t ps = 17 + 308;

	memcpy(m.mac, mac, 6);
	dhcp_encode(p, &m);
	/* IPv4 0.0.0.0 -> 255.255.255.255, UDP 68 -> 67, both checksums right */
	CHECK(p[0] == 0x45 && p[9] == 17 && be32(p + 12) == 0 && be32(p + 16) == 0xffffffff);
	CHECK(csum(p, 20, 0) == 0);
	CHECK(p[20] == 0 && p[21] == 68 && p[22] == 0 && p[23] == 67 && p[24] == 1 && p[25] == 52);
	ps += 0xffff + 0xffff;
	CHECK(csum(p + 20, 308, ps) == 0);
	/* BOOTREQUEST, Ethernet, our xid, secs, BROADCAST, chaddr, cookie */
	CHECK(p[28] == 1 && p[29] == 1 && p[30] == 6 && be32(p + 32) == XID);
	CHECK(p[36] == 0 && p[37] == 7 && p[38] == 0x80 && p[39] == 0);
	CHECK(!memcmp(p + 28 + 28, mac, 6) && be32(p + 28 + 236) == 0x63825363);
	CHECK(o[0] == 53 && o[1] == 1 && o[2] == DHCP_REQUEST);
	for (size_t i = 0; o + i < p + sizeof(p) && o[i] != 255;) {
		const uint8_t *v = o + i + 2;

		if (o[i] == 0) {
			i++;
			continue;
		}
		id = id || (o[i] == 61 && o[i + 1] == 7 && v[0] == 1 && !memcmp(v + 1, mac, 6));
		req = req || (o[i] == 50 && be32(v) == 0x0a010203);
		srv = srv || (o[i] == 54 && be32(v) == 0x0a010201);
		prl = prl || (o[i] == 55 && o[i + 1] == sizeof(want_prl) &&
			      !memcmp(v, want_prl, sizeof(want_prl)));
		i += 2 + o[i + 1];
	}
	CHECK(id && req && srv && prl);
	/* A DISCOVER names no address or server. */
	m.type = DHCP_DISCOVER;
	dhcp_encode(p, &m);
	CHECK(o[2] == DHCP_DISCOVER && o[3] == 61 && o[12] == 57 && o[16] == 55);
}

/* The REQUEST that extends a lease (RFC 2131 4.3.2, 4.4.5): from the address it holds, in
 * ciaddr, broadcast, no requested address or server identifier, no BROADCAST flag. */
static void encode_renewing(void)
{
	uint8_t p[DHCP_CLIENT_LEN];
	struct dhcp_msg m = { .type = DHCP_REQUEST, .xid = XID, .secs = 3, .ciaddr = 0x0a010203 };
	const uint8_t *o = p + 28 + 240;
	bool id = false, prl = false, maxmsg = false, other = false;
	uint32_t ps = 17 + 308 + 0x0a01 + 0x0203 + 0xffff + 0xffff;

	memcpy(m.mac, mac, 6);
	CHECK(dhcp_encode(p, &m) == DHCP_CLIENT_LEN);
	/* IPv4 10.1.2.3 -> 255.255.255.255, both checksums right with that source */
	CHECK(p[0] == 0x45 && be32(p + 12) == 0x0a010203 && be32(p + 16) == 0xffffffff);
	CHECK(csum(p, 20, 0) == 0 && csum(p + 20, 308, ps) == 0);
	CHECK(p[20] == 0 && p[21] == 68 && p[22] == 0 && p[23] == 67);
	/* BOOTREQUEST, our xid, no flags, ciaddr; yiaddr, siaddr, giaddr zero */
	CHECK(p[28] == 1 && be32(p + 32) == XID && p[36] == 0 && p[37] == 3);
	CHECK(p[38] == 0 && p[39] == 0);
	CHECK(be32(p + 28 + 12) == 0x0a010203 && be32(p + 28 + 16) == 0 && be32(p + 28 + 20) == 0 &&
	      be32(p + 28 + 24) == 0);
	CHECK(!memcmp(p + 28 + 28, mac, 6) && be32(p + 28 + 236) == 0x63825363);
	CHECK(o[0] == 53 && o[1] == 1 && o[2] == DHCP_REQUEST);
	for (size_t i = 3; o + i < p + sizeof(p) && o[i] != 255;) {
		if (o[i] == 0) {
			i++;
			continue;
		}
		id = id || (o[i] == 61 && o[i + 1] == 7 && o[i + 2] == 1);
		maxmsg = maxmsg || o[i] == 57;
		prl = prl || o[i] == 55;
		other = other || (o[i] != 61 && o[i] != 57 && o[i] != 55);
		i += 2 + o[i + 1];
	}
	CHECK(id && maxmsg && prl && !other); /* no 50, no 54 */
}

/* Renewing, there and back: the REQUEST turned into a server's ACK as a server does (a
 * reply to the same xid and chaddr, yiaddr = ciaddr, ports swapped) decodes as the
 * answer to it, and its times are what the client then renews by. */
static void renew_roundtrip(void)
{
	static struct dhcp_reply d;
	static struct dhcp_lease l;
	uint8_t p[DHCP_PKT_MAX];
	struct dhcp_msg m = { .type = DHCP_REQUEST, .xid = XID + 7, .ciaddr = 0x0a010203 };
	static const uint8_t ack[] = { 53,  1,	 5, 54, 4, 10, 1, 2, 1,	  1,  4, 255,
				       255, 255, 0, 51, 4, 0,  0, 0, 120, 58, 4, 0,
				       0,   0,	 4, 59, 4, 0,  0, 0, 7,	  255 };
	struct dhcp_times t;
	char warn[256] = "";

	memcpy(m.mac, mac, 6);
	memset(p, 0, sizeof(p));
	dhcp_encode(p, &m);
	memcpy(p + 12, "\x0a\x01\x02\x01\x0a\x01\x02\x03", 8); /* server to client */
	put16(p + 20, 67), put16(p + 22, 68);
	p[28] = 2;			     /* BOOTREPLY */
	memcpy(p + 28 + 16, p + 28 + 12, 4); /* yiaddr = ciaddr */
	memcpy(p + 28 + 240, ack, sizeof(ack));
	memset(p + 28 + 240 + sizeof(ack), 0, DHCP_CLIENT_LEN - 28 - 240 - sizeof(ack));
	fix(p);
	CHECK(dhcp_decode(p, DHCP_CLIENT_LEN, XID + 7, mac, false, &d) == DHCP_OK);
	CHECK(dhcp_decode(p, DHCP_CLIENT_LEN, XID, mac, false, &d) == DHCP_ERR_NOT_OURS);
	CHECK(dhcp_decode(p, DHCP_CLIENT_LEN, XID + 7, mac, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_ACK && d.yiaddr == 0x0a010203 && d.server_id == 0x0a010201);
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == 0 && l.addr == 0x0a010203);
	CHECK(dhcp_lifetime(&l) == 120 && dhcp_renew_times(&l, &t));
	CHECK(t.t1_s == 4 && t.t2_s == 7 && t.lease_s == 120);
}

/* ---- real servers ---- */

static long load(const char *name, uint8_t *f, size_t cap, uint32_t *xid, uint8_t chaddr[6])
{
	long n = unit_fixture(name, f, cap);

	if (n < 14 + 28 + 240)
		return -1;
	*xid = be32(f + 14 + 28 + 4);
	memcpy(chaddr, f + 14 + 28 + 28, 6);
	return n - 14;
}

static void dnsmasq(void)
{
	static struct dhcp_reply d;
	static struct dhcp_lease l;
	uint8_t f[DHCP_PKT_MAX + 14], ch[6];
	uint32_t xid;
	char warn[256] = "";
	long n = load("dhcp-dnsmasq-offer.hex", f, sizeof(f), &xid, ch);

	CHECK(n > 0 && !memcmp(ch, mac, 6));
	CHECK(dhcp_decode(f + 14, (size_t)n, xid, ch, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_OFFER && d.server_id == 0x0a090001 && d.siaddr == 0x0a090001);
	CHECK(d.yiaddr >> 8 == 0x0a0900 && (d.yiaddr & 0xff) >= 100 && (d.yiaddr & 0xff) <= 150);
	CHECK(dhcp_decode(f + 14, (size_t)n, xid + 1, ch, false, &d) == DHCP_ERR_NOT_OURS);
	CHECK(dhcp_decode(f + 14, (size_t)n, xid, other_mac, false, &d) == DHCP_ERR_NOT_OURS);

	n = load("dhcp-dnsmasq-ack.hex", f, sizeof(f), &xid, ch);
	CHECK(dhcp_decode(f + 14, (size_t)n, xid, ch, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_ACK && d.n_ignored == 0);
	CHECK(d.has_subnet && d.subnet == 0xffffff00 && d.has_broadcast &&
	      d.broadcast == 0x0a0900ff);
	CHECK(d.has_lease && d.lease_s == 600 && d.has_t1 && d.t1_s == 300 && d.has_t2 &&
	      d.t2_s == 525);
	CHECK(d.has_mtu && d.mtu == 1400);
	CHECK(d.n_router == 1 && d.router[0] == 0x0a090001 && d.n_dns == 1);
	CHECK(bytes_are(&d.hostname, "node1") && bytes_are(&d.domain, "lab.example"));
	CHECK(bytes_are(&d.root_path, "nfs:10.9.0.1:/srv/root"));
	CHECK(bytes_are(&d.tftp, "10.9.0.1") && bytes_are(&d.bootfile, "pxelinux.0"));
	CHECK(d.has_search && !strcmp(d.search, "lab.example other.example"));
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == 0 && !warn[0]);
	CHECK(l.prefix == 24 && l.gateway == 0x0a090001 && l.mtu == 1400);
	CHECK(!strcmp(l.hostname, "node1") && !strcmp(l.root_path, "nfs:10.9.0.1:/srv/root"));
}

static void udhcpd(void)
{
	static struct dhcp_reply d;
	static struct dhcp_lease l;
	uint8_t f[DHCP_PKT_MAX + 14], ch[6];
	uint32_t xid;
	char warn[256] = "";
	long n = load("dhcp-udhcpd-offer.hex", f, sizeof(f), &xid, ch);

	CHECK(dhcp_decode(f + 14, (size_t)n, xid, ch, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_OFFER && d.server_id == 0x0a090001);
	n = load("dhcp-udhcpd-ack.hex", f, sizeof(f), &xid, ch);
	CHECK(dhcp_decode(f + 14, (size_t)n, xid, ch, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_ACK && d.n_ignored == 0);
	CHECK(d.n_dns == 2 && d.dns[1] == 0x0a090002 && d.lease_s == 600 && d.mtu == 1400);
	CHECK(bytes_are(&d.sname, "boot.lab.example") && bytes_are(&d.file, "pxelinux.0"));
	CHECK(bytes_are(&d.hostname, "node1") && !strcmp(d.search, "lab.example other.example"));
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == 0 && !warn[0]);
	CHECK(!strcmp(l.boot_file, "pxelinux.0") && !strcmp(l.sname, "boot.lab.example"));
	CHECK(l.broadcast == 0x0a0900ff); /* udhcpd sent none: from the prefix */
}

/* ---- every option, built here ---- */

static void roundtrip(void)
{
	static struct dhcp_reply d;
	uint8_t p[DHCP_PKT_MAX];
	/* 119: "lab.example" then "a.lab.example" by a pointer to offset 0 */
	static const char opts[] = ACK_HDR "\x01\x04\xff\xff\xfc\x00"
					   "\x03\x08\x0a\x01\x02\x01\x0a\x01\x02\xfe"
					   "\x06\x04\x0a\x01\x02\x05"
					   "\x0c\x05node7"
					   "\x0f\x0blab.example"
					   "\x11\x0a/srv/root7"
					   "\x1a\x02\x05\xdc"
					   "\x1c\x04\x0a\x01\x03\xff"
					   "\x33\x04\x00\x00\x0e\x10"
					   "\x3a\x04\x00\x00\x07\x08"
					   "\x3b\x04\x00\x00\x0c\x4e"
					   "\x42\x04tftp"
					   "\x43\x08"
					   "boot.efi"
					   "\x77\x11\x03lab\x07"
					   "example\x00\x01\x61\xc0\x00";
	size_t n = reply(p, opts, sizeof(opts) - 1, S("file0"), S("sname0"));

	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(d.type == DHCP_ACK && d.yiaddr == 0x0a010203 && d.siaddr == 0x0a010201);
	CHECK(d.server_id == 0x0a010201 && d.subnet == 0xfffffc00);
	CHECK(d.n_router == 2 && d.router[1] == 0x0a0102fe && d.n_dns == 1 &&
	      d.dns[0] == 0x0a010205);
	CHECK(bytes_are(&d.hostname, "node7") && bytes_are(&d.domain, "lab.example"));
	CHECK(bytes_are(&d.root_path, "/srv/root7") && d.mtu == 1500);
	CHECK(d.broadcast == 0x0a0103ff && d.lease_s == 3600 && d.t1_s == 1800 && d.t2_s == 3150);
	CHECK(bytes_are(&d.tftp, "tftp") && bytes_are(&d.bootfile, "boot.efi"));
	CHECK(!strcmp(d.search, "lab.example a.lab.example"));
	CHECK(bytes_are(&d.file, "file0") && bytes_are(&d.sname, "sname0"));
	CHECK(d.n_ignored == 0);
	/* A zero UDP checksum means none was sent; one the kernel says is unfilled is not
	 * checked. */
	p[26] = p[27] = 0;
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	p[26] = 0x12;
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_ERR_UDP_CSUM);
	CHECK(dhcp_decode(p, n, XID, mac, true, &d) == DHCP_OK);
	/* Link-layer padding after the IPv4 total length is not read. */
	fix(p);
	memset(p + n, 0xee, 20);
	CHECK(dhcp_decode(p, n + 20, XID, mac, false, &d) == DHCP_OK);
}

/* RFC 3396: an option split into instances is one value; RFC 2131 overload: options go
 * on in file, then sname. */
static void overload_and_concatenation(void)
{
	static struct dhcp_reply d;
	uint8_t p[DHCP_PKT_MAX];
	static const char opts[] = OFFER_HDR "\x34\x01\x03"
					     "\x11\x04/srv"
					     "\x0c\x02no";
	static const char file[] = "\x11\x05/root\x0c\x02\x64\x65\xff";
	/* 52 again in sname: ignored (it cannot send us round again) */
	static const char sname[] = "\x34\x01\x01\x0c\x01\x37\xff";
	size_t n =
	    reply(p, opts, sizeof(opts) - 1, file, sizeof(file) - 1, sname, sizeof(sname) - 1);

	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(bytes_are(&d.root_path, "/srv/root") && bytes_are(&d.hostname, "node7"));
	CHECK(d.file.len == 0 && d.sname.len == 0); /* they held options, not names */
	/* 52 = 1 only: sname is a name again */
	p[28 + 240 + 11] = 1;
	fix(p);
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(bytes_are(&d.hostname, "node") && d.sname.len == 7 && d.sname.b[0] == 0x34);
	/* 52 inside file pointing at file again: read once, no loop */
	{
		static const char o2[] = OFFER_HDR "\x34\x01\x01";
		static const char f2[] = "\x34\x01\x01\x0c\x01x\xff";

		n = reply(p, o2, sizeof(o2) - 1, f2, sizeof(f2) - 1, NULL, 0);
		CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
		CHECK(bytes_are(&d.hostname, "x"));
	}
	/* An option that runs past the end of an overloaded field: refused */
	{
		static const char o3[] = OFFER_HDR "\x34\x01\x02";
		uint8_t s3[64];

		memset(s3, 0, sizeof(s3));
		s3[62] = 12, s3[63] = 10;
		n = reply(p, o3, sizeof(o3) - 1, NULL, 0, s3, sizeof(s3));
		CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_ERR_OPTIONS);
	}
}

/* An ACK whose option 119 is opt, split into instances of at most 255 bytes. */
static enum dhcp_err search(const char *opt, size_t len, struct dhcp_reply *d)
{
	uint8_t p[DHCP_PKT_MAX], o[600];
	size_t n = 9;

	memcpy(o, ACK_HDR, 9);
	for (size_t at = 0; at < len || at == 0; at += 255) {
		size_t k = len - at > 255 ? 255 : len - at;

		o[n++] = 119, o[n++] = (uint8_t)k;
		memcpy(o + n, opt + at, k);
		n += k;
	}
	n = reply(p, o, n, NULL, 0, NULL, 0);
	return dhcp_decode(p, n, XID, mac, false, d);
}

static void search_hostile(void)
{
	static struct dhcp_reply d;
	char big[300];
	size_t o = 0;

#define SEARCH_BAD(lit)                                                                            \
	do {                                                                                       \
		CHECK(search(lit, sizeof(lit) - 1, &d) == DHCP_OK);                                \
		CHECK(!d.has_search && !d.search[0] && ignored(&d, 119));                          \
	} while (0)
	SEARCH_BAD("\xc0\x00");		/* a pointer to itself */
	SEARCH_BAD("\x01\x61\xc0\x00"); /* back to its own start: a.a.a... */
	SEARCH_BAD("\x01\x61\x00\x01\x62\xc0\x06\x01\x63\xc0\x03"); /* forward, then back */
	SEARCH_BAD("\x01\x61\x00\x01\x62\xc0\x09");		    /* beyond the end */
	SEARCH_BAD("\x03lab");					    /* no terminating 0 */
	SEARCH_BAD("\x05lab");					    /* label past the end */
	SEARCH_BAD("\x41\x61\x00");				    /* 0x40: not a length */
	SEARCH_BAD("\x03l b\x00");				    /* a space in a label */
	SEARCH_BAD("\x03l\nb\x00");				    /* a newline */
	SEARCH_BAD("\x04-lab\x00");				    /* not a DNS name */
	SEARCH_BAD("\x00");					    /* the root alone */
	/* A chain of pointers each going further back is fine... */
	CHECK(search(S("\x01\x61\x00\x01\x62\xc0\x00\x01\x63\xc0\x03"), &d) == DHCP_OK);
	CHECK(!strcmp(d.search, "a b.a c.b.a"));
	/* ... as is one split over two instances (RFC 3396), up to 253 characters... */
	for (int i = 0; i < 4; i++) {
		big[o++] = i < 3 ? 63 : 61;
		memset(big + o, 'a' + i, big[o - 1]);
		o += (size_t)big[o - 1];
	}
	big[o++] = 0;
	CHECK(o == 254 + 1);
	CHECK(search(big, o, &d) == DHCP_OK && d.has_search && strlen(d.search) == 253);
	/* ... but not one character more, nor a 64-byte label */
	big[o - 2 - 61] = 62;
	memmove(big + o - 1, big + o - 2, 2);
	CHECK(search(big, o + 1, &d) == DHCP_OK && !d.has_search && ignored(&d, 119));
	big[0] = 64;
	CHECK(search(big, o, &d) == DHCP_OK && !d.has_search);
}

/* Options of the wrong length are left out; the reply stands. */
static void malformed_options(void)
{
	static struct dhcp_reply d;
	uint8_t p[DHCP_PKT_MAX];
	static const char opts[] = ACK_HDR "\x01\x03\xff\xff\xff"
					   "\x03\x00"
					   "\x06\x05\x0a\x01\x02\x05\x01"
					   "\x33\x03\x00\x00\x10"
					   "\x1a\x01\x05"
					   "\x0c\x01\x00";
	size_t n = reply(p, opts, sizeof(opts) - 1, NULL, 0, NULL, 0);

	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(!d.has_subnet && d.n_router == 0 && d.n_dns == 0 && !d.has_lease && !d.has_mtu);
	CHECK(ignored(&d, 1) && ignored(&d, 3) && ignored(&d, 6) && ignored(&d, 51) &&
	      ignored(&d, 26) && ignored(&d, 12));
}

static void refused(void)
{
	static struct dhcp_reply d;
	uint8_t p[DHCP_PKT_MAX], g[DHCP_PKT_MAX];
	size_t n = reply(p, S(OFFER_HDR "\x01\x04\xff\xff\xff\x00"), NULL, 0, NULL, 0);

	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
#define MUTATE(off, val, refix, err)                                                               \
	do {                                                                                       \
		memcpy(g, p, sizeof(g));                                                           \
		g[off] = (val);                                                                    \
		if (refix)                                                                         \
			fix(g);                                                                    \
		CHECK(dhcp_decode(g, n, XID, mac, false, &d) == (err));                            \
	} while (0)
	MUTATE(0, 0x65, true, DHCP_ERR_IP);	   /* IPv6's version */
	MUTATE(0, 0x44, true, DHCP_ERR_IP);	   /* IHL 4 */
	MUTATE(2, 0x05, true, DHCP_ERR_SHORT);	   /* total length past the end */
	MUTATE(10, 0x00, false, DHCP_ERR_IP_CSUM); /* IPv4 checksum */
	MUTATE(6, 0x20, true, DHCP_ERR_FRAGMENT);  /* more fragments */
	MUTATE(7, 0x01, true, DHCP_ERR_FRAGMENT);  /* an offset */
	MUTATE(9, 6, true, DHCP_ERR_PROTO);	   /* TCP */
	MUTATE(21, 68, true, DHCP_ERR_PROTO);	   /* from port 68 */
	MUTATE(23, 67, true, DHCP_ERR_PROTO);	   /* to port 67 */
	MUTATE(24, 0x05, true, DHCP_ERR_SHORT);	   /* UDP length past IPv4's */
	MUTATE(27, p[27] ^ 1, false, DHCP_ERR_UDP_CSUM);
	MUTATE(40, 0x01, false, DHCP_ERR_UDP_CSUM); /* a byte of the payload */
	MUTATE(28, 1, true, DHCP_ERR_BOOTP);	    /* a BOOTREQUEST */
	MUTATE(29, 6, true, DHCP_ERR_BOOTP);	    /* IEEE 802 */
	MUTATE(30, 8, true, DHCP_ERR_BOOTP);
	MUTATE(28 + 236, 0x64, true, DHCP_ERR_BOOTP); /* magic cookie */
	MUTATE(28 + 7, 0x45, true, DHCP_ERR_NOT_OURS);
	MUTATE(28 + 33, 0x02, true, DHCP_ERR_NOT_OURS);
	MUTATE(28 + 242, DHCP_REQUEST, true, DHCP_ERR_TYPE);
	MUTATE(28 + 242, 0, true, DHCP_ERR_TYPE);
	MUTATE(28 + 241, 2, true, DHCP_ERR_TYPE);	/* 53 of length 2 */
	MUTATE(28 + 244, 60, true, DHCP_ERR_OPTIONS);	/* 54 runs past the end */
	MUTATE(28 + 243, 60, true, DHCP_ERR_SERVER_ID); /* no 54: it is option 60 now */
	memcpy(g, p, sizeof(g));
	g[24] = 0, g[25] = 7; /* UDP length under its own header */
	fix(g);
	CHECK(dhcp_decode(g, n, XID, mac, false, &d) == DHCP_ERR_SHORT);
	/* Every truncation is refused and never read past (exact-size copies for ASan). */
	for (size_t k = 0; k < n; k++) {
		uint8_t *copy = malloc(k ? k : 1);

		memcpy(copy, p, k);
		CHECK(dhcp_decode(copy, k, XID, mac, false, &d) != DHCP_OK);
		free(copy);
	}
	/* Too big to be ours, and a NAK needs no server identifier. */
	CHECK(dhcp_decode(p, DHCP_PKT_MAX + 1, XID, mac, false, &d) == DHCP_ERR_IP);
	n = reply(p, S("\x35\x01\x06"), NULL, 0, NULL, 0);
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK && d.type == DHCP_NAK);
	CHECK(d.server_id == 0);
	/* An option that runs past END's place with no END at all. */
	n = reply(p, S(OFFER_HDR "\x0c\x20node"), NULL, 0, NULL, 0);
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_ERR_OPTIONS);
	CHECK(dhcp_strerror(DHCP_ERR_UDP_CSUM)[0] &&
	      !strcmp(dhcp_strerror(_DHCP_ERR_MAX), "unknown"));
}

/* The hand-made hostile fixtures, as the netns tier puts them on the wire. */
static void hostile_fixtures(void)
{
	static const struct {
		const char *name;
		enum dhcp_err want;
	} cases[] = {
		{ "dhcp-hostile-offer-udp-csum.hex", DHCP_ERR_UDP_CSUM },
		{ "dhcp-hostile-offer-ip-csum.hex", DHCP_ERR_IP_CSUM },
		{ "dhcp-hostile-offer-truncated.hex", DHCP_ERR_SHORT },
		{ "dhcp-hostile-offer-fragment.hex", DHCP_ERR_FRAGMENT },
		{ "dhcp-hostile-offer-overrun.hex", DHCP_ERR_OPTIONS },
		{ "dhcp-hostile-offer-no-server-id.hex", DHCP_ERR_SERVER_ID },
		{ "dhcp-hostile-offer-overload.hex", DHCP_OK },
		{ "dhcp-hostile-nak.hex", DHCP_OK },
		{ "dhcp-hostile-ack-strings.hex", DHCP_OK },
	};
	static struct dhcp_reply d;
	static struct dhcp_lease l;
	uint8_t f[DHCP_PKT_MAX + 14];
	char warn[2048] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = unit_fixture(cases[i].name, f, sizeof(f));
		enum dhcp_err e = n > 14 ? dhcp_decode(f + 14, (size_t)n - 14, XID, mac, false, &d)
					 : _DHCP_ERR_MAX;

		if (e != cases[i].want)
			fprintf(stderr, "    %s: %s\n", cases[i].name, dhcp_strerror(e));
		CHECK(e == cases[i].want);
		if (strstr(cases[i].name, "overload"))
			CHECK(bytes_are(&d.hostname, "offer") && d.file.len == 0);
		if (strstr(cases[i].name, "nak"))
			CHECK(d.type == DHCP_NAK && d.server_id == 0x0a090009);
	}
	CHECK(d.type == DHCP_ACK && ignored(&d, 119));
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == 0);
	CHECK(l.addr == 0x0a0900c8 && l.prefix == 24 && l.n_dns == 1 && !l.mtu);
	CHECK(!l.hostname[0] && !l.domain[0] && !l.search[0] && !l.tftp[0] && !l.bootfile[0]);
	CHECK(!l.boot_file[0] && !l.sname[0]);
	CHECK(!strcmp(l.root_path, "nfs:10.9.0.9:/srv/'$(touch /tmp/pxb-pwned)'"));
}

/* ---- the lease as stored ---- */

static void lease_strings(void)
{
	static struct dhcp_reply d;
	static struct dhcp_lease l;
	uint8_t p[DHCP_PKT_MAX];
	char warn[2048] = "";
	static const char opts[] =
	    ACK_HDR "\x01\x04\xff\x00\xff\x00"		       /* not a prefix */
		    "\x03\x08\x00\x00\x00\x00\x0a\x01\x02\x01" /* 0.0.0.0 first */
		    "\x06\x08\xe0\x00\x00\x01\x0a\x01\x02\x05" /* multicast first */
		    "\x0c\x0dx'$(reboot)'\n"
		    "\x0f\x09\x1b[2J.evil"
		    "\x11\x18nfs:h:/'$(touch /tmp/x)'"
		    "\x42\x02\xff\xfe"
		    "\x43\x14pxelinux.0\nPXEBOND=1"
		    "\x1a\x02\x00\x44"
		    "\x1c\x04\x0b\x00\x00\xff";
	size_t n = reply(p, opts, sizeof(opts) - 1, S("a\tb"), NULL, 0);

	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(bytes_are(&d.hostname, "x'$(reboot)'\n")); /* bytes as sent, until stored */
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == 0);
	CHECK(l.addr == 0x0a010203 && l.prefix == 8 && l.netmask == 0xff000000);
	CHECK(l.broadcast == 0x0affffff); /* 11.0.0.255 is not in 10/8 */
	CHECK(l.n_router == 1 && l.gateway == 0x0a010201 && l.n_dns == 1 && l.dns[0] == 0x0a010205);
	CHECK(!l.hostname[0] && !l.domain[0] && !l.tftp[0] && !l.bootfile[0] && !l.boot_file[0]);
	CHECK(!l.mtu);
	/* printable is kept: the state file quotes it, and nothing runs it */
	CHECK(!strcmp(l.root_path, "nfs:h:/'$(touch /tmp/x)'"));
	CHECK(strstr(warn, "hostname (option 12) 'x'$(reboot)'\\x0a' is not a DNS name") != NULL);
	CHECK(strstr(warn, "'\\x1b[2J.evil' is not a DNS name") != NULL);
	CHECK(strstr(warn, "boot file (option 67) 'pxelinux.0\\x0aPXEBOND=1' is not printable") !=
	      NULL);
	CHECK(strstr(warn, "MTU 68 is below 576") && strstr(warn, "is not a prefix, using /8"));
	CHECK(strstr(warn, "BOOTP file 'a\\x09b'") != NULL);
	CHECK(strchr(warn, '\x1b') == NULL);
	/* no address, no lease */
	p[28 + 16] = 0;
	fix(p);
	CHECK(dhcp_decode(p, n, XID, mac, false, &d) == DHCP_OK);
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == -EADDRNOTAVAIL);
	p[28 + 16] = 127;
	fix(p);
	dhcp_decode(p, n, XID, mac, false, &d);
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == -EADDRNOTAVAIL);
	/* an OFFER is not a lease */
	n = reply(p, S(OFFER_HDR), NULL, 0, NULL, 0);
	dhcp_decode(p, n, XID, mac, false, &d);
	CHECK(dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) == -EADDRNOTAVAIL);
}

static void resolv(void)
{
	struct dhcp_lease l = { .server_id = 0x0a010201,
				.n_dns = 2,
				.dns = { 0x0a010205, 0x08080808 } };
	char out[512];

	snprintf(l.domain, sizeof(l.domain), "lab.example");
	CHECK(dhcp_resolv_conf(&l, "bond0", out, sizeof(out)) > 0);
	CHECK_STR(out, "# pxebond up: from the DHCP lease on bond0 (server 10.1.2.1)\n"
		       "search lab.example\nnameserver 10.1.2.5\nnameserver 8.8.8.8\n");
	snprintf(l.search, sizeof(l.search), "a.example b.example");
	dhcp_resolv_conf(&l, "bond0", out, sizeof(out));
	CHECK(strstr(out, "\nsearch a.example b.example\n") != NULL);
	CHECK(dhcp_resolv_conf(&l, "bond0", out, 80) == 0); /* never cut */
	l.n_dns = 0;
	CHECK(dhcp_resolv_conf(&l, "bond0", out, sizeof(out)) == 0);
}

static void backoff(void)
{
	static const int lo[] = { 875, 1750, 3500, 3500, 3500 },
			 hi[] = { 1125, 2250, 4500, 4500, 4500 };

	for (unsigned a = 0; a < 5; a++) {
		CHECK(dhcp_backoff_ms(a, 0) == lo[a]);
		CHECK(dhcp_backoff_ms(a, 0xffffffffu) >= lo[a] &&
		      dhcp_backoff_ms(a, 0xffffffffu) <= hi[a]);
		CHECK(dhcp_backoff_ms(a, (uint32_t)(hi[a] - lo[a])) == hi[a]);
	}
	CHECK(dhcp_backoff_ms(1000, 12345) <= 4500);
}

static struct dhcp_times times(bool has_lease, uint32_t lease, bool has_t1, uint32_t t1,
			       bool has_t2, uint32_t t2, bool *ret)
{
	struct dhcp_lease l = { .has_lease = has_lease,
				.lease_s = lease,
				.has_t1 = has_t1,
				.t1_s = t1,
				.has_t2 = has_t2,
				.t2_s = t2 };
	struct dhcp_times t = { 0 };

	*ret = dhcp_renew_times(&l, &t);
	return t;
}

#define TIMES_ARE(t, a, b, c) ((t).t1_s == (a) && (t).t2_s == (b) && (t).lease_s == (c))

/* T1 and T2: the server's where they make sense, else RFC 2131 4.4.5's defaults. */
static void renew_times(void)
{
	struct dhcp_times t;
	bool ok;

	t = times(true, 600, false, 0, false, 0, &ok); /* defaults: 1/2, 7/8 */
	CHECK(ok && TIMES_ARE(t, 300, 525, 600));
	t = times(true, 120, true, 4, true, 7, &ok); /* the server's */
	CHECK(ok && TIMES_ARE(t, 4, 7, 120));
	t = times(true, 3600, true, 0, true, 0, &ok); /* 0: "now", refused */
	CHECK(ok && TIMES_ARE(t, 1800, 3150, 3600));
	t = times(true, 600, true, 500, true, 400, &ok); /* T1 past T2 */
	CHECK(ok && TIMES_ARE(t, 300, 400, 600));
	t = times(true, 600, true, 700, true, 900, &ok); /* T1 > T2 > lease */
	CHECK(ok && TIMES_ARE(t, 300, 525, 600));
	t = times(true, 600, true, 550, true, 900, &ok); /* T2 past the lease, T1 past 7/8 */
	CHECK(ok && TIMES_ARE(t, 300, 525, 600));
	t = times(true, 600, true, 200, true, 200, &ok); /* T1 == T2 */
	CHECK(ok && TIMES_ARE(t, 100, 200, 600));
	t = times(true, 600, false, 0, true, 100, &ok); /* an early T2: T1 half of it */
	CHECK(ok && TIMES_ARE(t, 50, 100, 600));
	t = times(true, 600, true, 600, true, 600, &ok); /* both at the end */
	CHECK(ok && TIMES_ARE(t, 300, 525, 600));
	t = times(true, 0xfffffffeu, false, 0, false, 0, &ok); /* no overflow */
	CHECK(ok && TIMES_ARE(t, 0x7fffffffu, 3758096382u, 0xfffffffeu));
	t = times(true, 1, false, 0, false, 0, &ok); /* absurd, but ordered */
	CHECK(ok && t.t1_s <= t.t2_s && t.t2_s < t.lease_s);
	/* The address is set for ever: nothing to renew. */
	times(true, 0xffffffffu, true, 4, true, 7, &ok);
	CHECK(!ok);
	times(false, 600, true, 4, true, 7, &ok);
	CHECK(!ok);
	times(true, 0, false, 0, false, 0, &ok);
	CHECK(!ok);
	CHECK(dhcp_lifetime(&(struct dhcp_lease){ .has_lease = true, .lease_s = 600 }) == 600);
	CHECK(dhcp_lifetime(&(struct dhcp_lease){ .has_lease = true, .lease_s = 0xffffffffu }) ==
	      0);
	CHECK(dhcp_lifetime(&(struct dhcp_lease){ .lease_s = 600 }) == 0);
}

/* When each renewing REQUEST goes out: T1, then half the time left to T2 and to the end,
 * never closer than an eighth of the lease or 60 s, T2 itself, the end. */
static void renew_schedule(void)
{
	/* a 2-minute lease: the floor is 15 s */
	static const uint32_t short_lease[] = { 60, 82, 97, 105, 120 };
	/* an hour: 60 s apart at the least */
	static const uint32_t hour[] = { 1800, 2475, 2812, 2981, 3065, 3125,
					 3150, 3375, 3487, 3547, 3600 };
	struct dhcp_times t = { .t1_s = 60, .t2_s = 105, .lease_s = 120 };
	int64_t sent = -1;
	bool ok;

	for (size_t i = 0; i < sizeof(short_lease) / sizeof(short_lease[0]); i++) {
		CHECK(dhcp_renew_next(&t, sent) == short_lease[i]);
		sent = dhcp_renew_next(&t, sent);
	}
	t = times(true, 3600, false, 0, false, 0, &ok);
	sent = -1;
	for (size_t i = 0; i < sizeof(hour) / sizeof(hour[0]); i++) {
		CHECK(dhcp_renew_next(&t, sent) == hour[i]);
		sent = dhcp_renew_next(&t, sent);
	}
	/* late: a REQUEST sent past T1 (the renewer started late) or past T2 */
	t = (struct dhcp_times){ .t1_s = 4, .t2_s = 7, .lease_s = 120 };
	CHECK(dhcp_renew_next(&t, 5) == 7);	/* not past T2 */
	CHECK(dhcp_renew_next(&t, 7) == 63);	/* rebinding: half of the 113 s left */
	CHECK(dhcp_renew_next(&t, 110) == 120); /* the floor reaches the end: over */
	CHECK(dhcp_renew_next(&t, 500) == 120);
	/* Whatever the lease, each REQUEST comes later than the one before, at least 1 s,
	 * and the end comes within a bounded number of them. */
	for (uint32_t lease = 1; lease < 5000000; lease = lease * 3 + 1) {
		unsigned n = 0;

		t = times(true, lease, false, 0, false, 0, &ok);
		for (sent = -1; n < 200; n++) {
			int64_t next = dhcp_renew_next(&t, sent);

			CHECK(next > sent && next <= lease);
			if (next >= lease)
				break;
			sent = next;
		}
		CHECK(n < 200);
	}
}

const struct unit_test dhcp_tests[] = {
	{ "dhcp: DISCOVER and REQUEST as captured", encode_as_captured },
	{ "dhcp: what we send", encode_fields },
	{ "dhcp: the renewing REQUEST (ciaddr, no 50 or 54)", encode_renewing },
	{ "dhcp: renewing, REQUEST to ACK and back", renew_roundtrip },
	{ "dhcp: dnsmasq's OFFER and ACK", dnsmasq },
	{ "dhcp: busybox udhcpd's OFFER and ACK", udhcpd },
	{ "dhcp: every option, round trip", roundtrip },
	{ "dhcp: overload and concatenation, no loops", overload_and_concatenation },
	{ "dhcp: domain search: compression, loops, overlong names", search_hostile },
	{ "dhcp: malformed options left out", malformed_options },
	{ "dhcp: refused replies", refused },
	{ "dhcp: hostile fixtures", hostile_fixtures },
	{ "dhcp: the lease keeps only checked strings", lease_strings },
	{ "dhcp: resolv.conf", resolv },
	{ "dhcp: backoff schedule", backoff },
	{ "dhcp: T1, T2 and the lease, nonsense clamped", renew_times },
	{ "dhcp: the renewal schedule", renew_schedule },
	{ 0 },
};
