/* Pure decode and encode of LACPDUs (IEEE 802.1AX-2014 clause 6.4.2). */
#include <arpa/inet.h>
#include <string.h>

#include "lacp.h"

#define LACP_SUBTYPE 0x01 /* 802.3 Annex 57A: 1 LACP, 2 Marker */
#define LACP_VERSION 0x01

enum {
	TLV_TERMINATOR = 0,
	TLV_ACTOR = 1,
	TLV_PARTNER = 2,
	TLV_COLLECTOR = 3,
};

/* Actor/Partner Information TLV body after type and length (6.4.2.3 c-m). */
struct lacp_wire_info {
	uint16_t system_priority; /* c) */
	uint8_t system[6];	  /* d) */
	uint16_t key;		  /* e) */
	uint16_t port_priority;	  /* f) */
	uint16_t port;		  /* g) */
	uint8_t state;		  /* h) */
	uint8_t reserved[3];	  /* i) transmitted as 0, ignored on receipt */
} __attribute__((packed));
_Static_assert(sizeof(struct lacp_wire_info) == 18, "802.1AX Actor/Partner TLV body");

/* Collector Information TLV body (6.4.2.3 u-w). */
struct lacp_wire_collector {
	uint16_t max_delay;   /* v) tens of microseconds */
	uint8_t reserved[12]; /* w) */
} __attribute__((packed));
_Static_assert(sizeof(struct lacp_wire_collector) == 14, "802.1AX Collector TLV body");

static const char *const lacp_errors[_LACP_ERR_MAX] = {
	[LACP_OK] = "ok",
	[LACP_ERR_SHORT] = "truncated",
	[LACP_ERR_DST] = "wrong destination",
	[LACP_ERR_SRC] = "bad source address",
	[LACP_ERR_TYPE] = "not slow protocols",
	[LACP_ERR_SUBTYPE] = "not LACP",
	[LACP_ERR_VERSION] = "bad version",
	[LACP_ERR_TLV] = "malformed TLV",
};

const char *lacp_strerror(enum lacp_err e)
{
	return (unsigned)e < _LACP_ERR_MAX ? lacp_errors[e] : "unknown";
}

/* Reads one TLV header and, if it is of the wanted type and length, its body. */
static bool read_tlv(struct rd *r, uint8_t want_type, uint8_t want_len, struct rd *body)
{
	uint8_t type, len;

	if (!rd_u8(r, &type) || !rd_u8(r, &len))
		return false;
	if (type != want_type || len != want_len)
		return false;
	return rd_sub(r, (size_t)len - 2, body);
}

static bool read_info(struct rd *r, uint8_t type, struct lacp_info *out)
{
	struct lacp_wire_info w;
	struct rd body;

	if (!read_tlv(r, type, 2 + sizeof(w), &body) || !rd_bytes(&body, &w, sizeof(w)))
		return false;
	out->system_priority = ntohs(w.system_priority);
	memcpy(out->system, w.system, sizeof(out->system));
	out->key = ntohs(w.key);
	out->port_priority = ntohs(w.port_priority);
	out->port = ntohs(w.port);
	out->state = w.state;
	return true;
}

enum lacp_err lacp_decode(const uint8_t *frame, size_t len, struct lacpdu *out)
{
	struct rd r = rd_init(frame, len);
	struct eth_hdr h;
	uint8_t subtype, version;
	struct lacpdu d = { 0 };

	if (!eth_read_hdr(&r, &h))
		return LACP_ERR_SHORT;
	if (memcmp(h.dst, eth_slow_protocols_mac, ETH_ADDR_LEN) != 0)
		return LACP_ERR_DST;
	if (eth_is_multicast(h.src) || eth_is_zero(h.src))
		return LACP_ERR_SRC;
	if (h.type != ETH_TYPE_SLOW)
		return LACP_ERR_TYPE;
	if (!rd_u8(&r, &subtype) || !rd_u8(&r, &version))
		return LACP_ERR_SHORT;
	if (subtype != LACP_SUBTYPE)
		return LACP_ERR_SUBTYPE;
	if (version == 0)
		return LACP_ERR_VERSION;
	memcpy(d.src, h.src, ETH_ADDR_LEN);
	d.version = version;

	if (!read_info(&r, TLV_ACTOR, &d.actor) || !read_info(&r, TLV_PARTNER, &d.partner))
		return r.p ? LACP_ERR_TLV : LACP_ERR_SHORT;

	/* Version 1 is fixed: Collector, then Terminator. Later versions (802.1AX-2014
	 * 6.4.2.4) insert TLVs of their own before the Terminator: skip them by length. */
	for (;;) {
		uint8_t type, tlen;
		struct rd body;

		if (!rd_u8(&r, &type) || !rd_u8(&r, &tlen))
			return LACP_ERR_SHORT;
		if (type == TLV_TERMINATOR) {
			if (tlen != 0)
				return LACP_ERR_TLV;
			break;
		}
		if (type == TLV_COLLECTOR) {
			struct lacp_wire_collector c;

			if (tlen != 2 + sizeof(c))
				return LACP_ERR_TLV;
			if (!rd_bytes(&r, &c, sizeof(c)))
				return LACP_ERR_SHORT;
			d.collector_max_delay = ntohs(c.max_delay);
			continue;
		}
		if (version == LACP_VERSION || tlen < 2)
			return LACP_ERR_TLV;
		if (!rd_sub(&r, (size_t)tlen - 2, &body))
			return LACP_ERR_SHORT;
	}
	*out = d;
	return LACP_OK;
}

static uint8_t *put_info(uint8_t *p, uint8_t type, const struct lacp_info *in)
{
	struct lacp_wire_info w = { 0 };

	w.system_priority = htons(in->system_priority);
	memcpy(w.system, in->system, sizeof(w.system));
	w.key = htons(in->key);
	w.port_priority = htons(in->port_priority);
	w.port = htons(in->port);
	w.state = in->state;
	*p++ = type;
	*p++ = 2 + sizeof(w);
	memcpy(p, &w, sizeof(w));
	return p + sizeof(w);
}

size_t lacp_encode(uint8_t buf[LACP_FRAME_LEN], const uint8_t src[ETH_ADDR_LEN],
		   const struct lacp_info *actor, const struct lacp_info *partner)
{
	uint8_t *p = buf;

	memset(buf, 0, LACP_FRAME_LEN);
	eth_put_hdr(p, eth_slow_protocols_mac, src, ETH_TYPE_SLOW);
	p += ETH_HDR_LEN;
	*p++ = LACP_SUBTYPE;
	*p++ = LACP_VERSION;
	p = put_info(p, TLV_ACTOR, actor);
	p = put_info(p, TLV_PARTNER, partner);
	*p++ = TLV_COLLECTOR;
	*p++ = 2 + sizeof(struct lacp_wire_collector);
	/* Collector max delay 0 and the Terminator are already zero, as is the padding. */
	return LACP_FRAME_LEN;
}

void lacp_state_str(uint8_t state, char out[9])
{
	static const char letters[] = "ATGSCDFE";

	for (int i = 0; i < 8; i++)
		out[i] = state & (1 << i) ? letters[i] : '-';
	out[8] = '\0';
}

uint16_t lacp_linux_port_key(uint16_t user_key, uint32_t speed_mbps, bool full_duplex)
{
	/* enum ad_link_speed_type in bond_3ad.c, in its order from 1. */
	static const uint32_t speeds[] = { 1,	  10,	  100,	  1000,	  2500,	 5000,
					   10000, 14000,  20000,  25000,  40000, 50000,
					   56000, 100000, 200000, 400000, 800000 };
	uint16_t cls = 0;

	for (unsigned i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i] == speed_mbps)
			cls = (uint16_t)(i + 1);
	return (uint16_t)((user_key & 0x3ff) << 6 | cls << 1 | (full_duplex ? 1 : 0));
}
