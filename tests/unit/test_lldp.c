/* LLDPDU decode and encode: real peers' frames, every TLV we read, hostile frames. */
#include "lldp.h"
#include "unit.h"

/* A frame with every TLV pxebond reads, as a Dell OS10 or Arista port might send:
 *   Chassis ID: MAC 00:11:22:33:44:55       Port ID: ifname "Ethernet1/1"
 *   TTL 120   Port Description "uplink"     System Name "sw-a"
 *   Management Address IPv4 192.0.2.1 (ifindex numbering, no OID)
 *   802.1 Port VLAN ID 100   802.1 Link Aggregation capable+enabled, port 1000
 *   802.3 Maximum Frame Size 9216   an unknown org TLV, End */
static const uint8_t
    full[] = {
	    0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x00, 0x11, 0x22, 0x33, 0x44, 0x66,
	    0x88, 0xcc, 0x02, 0x07, 0x04, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* chassis */
	    0x04, 0x0c, 0x05, 'E',  't',  'h',	'e',  'r',  'n',  'e',	't',  '1',
	    '/',  '1',					   /* port */
	    0x06, 0x02, 0x00, 0x78,			   /* TTL */
	    0x08, 0x06, 'u',  'p',  'l',  'i',	'n',  'k', /* port desc */
	    0x0a, 0x04, 's',  'w',  '-',  'a',		   /* sys name */
	    0x10, 0x0c, 0x05, 0x01, 192,  0,	2,    1,    0x02, 0x00, 0x00, 0x00,
	    0x01, 0x00,							      /* mgmt */
	    0xfe, 0x06, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x64,		      /* PVID */
	    0xfe, 0x09, 0x00, 0x80, 0xc2, 0x07, 0x03, 0x00, 0x00, 0x03, 0xe8, /* 802.1 agg */
	    0xfe, 0x06, 0x00, 0x12, 0x0f, 0x04, 0x24, 0x00,		      /* MFS */
	    0xfe, 0x05, 0x00, 0x00, 0x5e, 0x01, 0x00,			      /* unknown org */
	    0x00, 0x00,							      /* End */
    };

static void full_frame(void)
{
	struct lldp_neighbor n;

	CHECK(lldp_decode(full, sizeof(full), &n) == LLDP_OK);
	CHECK(n.chassis_subtype == LLDP_CHASSIS_MAC && n.chassis_id.len == 6);
	CHECK(n.port_subtype == 5 && n.port_id.len == 11 &&
	      !memcmp(n.port_id.b, "Ethernet1/1", 11));
	CHECK(n.ttl == 120);
	CHECK(n.port_description.len == 6 && !memcmp(n.port_description.b, "uplink", 6));
	CHECK(n.system_name.len == 4 && !memcmp(n.system_name.b, "sw-a", 4));
	CHECK(n.has_mgmt && n.mgmt_subtype == 1 && n.mgmt_addr.len == 4 && n.mgmt_addr.b[0] == 192);
	CHECK(n.port_vlan == 100);
	CHECK(n.max_frame_size == 9216);
	CHECK(n.has_aggregation && n.agg_capable && n.agg_enabled && n.agg_port_id == 1000);
	CHECK(n.unknown_tlvs == 1);
}

static void truncated(void)
{
	struct lldp_neighbor n;

	for (size_t len = 0; len < sizeof(full); len++) {
		uint8_t copy[sizeof(full)];
		enum lldp_err e;

		memcpy(copy, full, len);
		e = lldp_decode(copy, len, &n);
		/* Cut inside the mandatory TLVs: refused. Cut later: refused mid-TLV, or the
		 * frame ends cleanly at a TLV boundary and is read leniently. */
		if (len < 14 + 9 + 14 + 4)
			CHECK(e != LLDP_OK);
	}
}

static void mutate(size_t off, uint8_t val, enum lldp_err want)
{
	uint8_t g[sizeof(full)];
	struct lldp_neighbor n;

	memcpy(g, full, sizeof(full));
	g[off] = val;
	CHECK(lldp_decode(g, sizeof(g), &n) == want);
}

static void refused(void)
{
	mutate(5, 0x02, LLDP_ERR_DST);
	mutate(6, 0xff, LLDP_ERR_SRC);
	mutate(13, 0xcd, LLDP_ERR_TYPE);
	mutate(14, 0x04, LLDP_ERR_MANDATORY); /* Port ID first */
	mutate(23, 0x02, LLDP_ERR_MANDATORY); /* Chassis ID twice */
	mutate(37, 0x0a, LLDP_ERR_MANDATORY); /* System Name where TTL belongs */
	mutate(15, 0x01, LLDP_ERR_LENGTH);    /* Chassis ID with no id */
	mutate(38, 0x03, LLDP_ERR_LENGTH);    /* TTL of 3 octets */
	mutate(15, 0xff, LLDP_ERR_SHORT);     /* a length past the frame */
}

/* Optional TLVs that break their rules are dropped alone; the neighbour stays. */
static void bad_optional(void)
{
	uint8_t g[sizeof(full)];
	struct lldp_neighbor n;

	memcpy(g, full, sizeof(full));
	g[78] = 0x0a; /* the 802.1 aggregation TLV one octet longer: swallows the next header */
	CHECK(lldp_decode(g, sizeof(g), &n) != LLDP_OK || !n.has_aggregation);
	memcpy(g, full, sizeof(full));
	g[57] = 40; /* management address string longer than the TLV */
	CHECK(lldp_decode(g, sizeof(g), &n) == LLDP_OK);
	CHECK(!n.has_mgmt && n.port_vlan == 100);
}

/* A System Name of 256 octets is over the 255 of 8.5.6: dropped, not truncated. */
static void long_name(void)
{
	uint8_t g[600];
	struct lldp_neighbor n;
	size_t o = 14 + 9 + 14 + 4;

	memcpy(g, full, o);
	g[o++] = 0x0b, g[o++] = 0x00; /* type 5, length 256 */
	memset(g + o, 'x', 256);
	o += 256;
	g[o++] = 0, g[o++] = 0;
	CHECK(lldp_decode(g, o, &n) == LLDP_OK);
	CHECK(n.system_name.len == 0 && n.unknown_tlvs == 1);
}

static void roundtrip(void)
{
	uint8_t f[128], mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	struct lldp_neighbor n;
	size_t len = lldp_encode(f, sizeof(f), mac, mac, "eth0", 120);

	CHECK(len == 60);
	CHECK(lldp_decode(f, len, &n) == LLDP_OK);
	CHECK(n.chassis_subtype == LLDP_CHASSIS_MAC && !memcmp(n.chassis_id.b, mac, 6));
	CHECK(n.port_id.len == 4 && !memcmp(n.port_id.b, "eth0", 4));
	CHECK(n.ttl == 120 && n.system_name.len == 7);
	CHECK(lldp_encode(f, 40, mac, mac, "eth0", 120) == 0);
}

static void lldpd(void)
{
	uint8_t buf[1600];
	struct lldp_neighbor n;
	long len = unit_fixture("lldp-lldpd.hex", buf, sizeof(buf));

	if (len < 0)
		return;
	CHECK(lldp_decode(buf, (size_t)len, &n) == LLDP_OK);
	CHECK(n.chassis_subtype == LLDP_CHASSIS_MAC && n.chassis_id.len == 6);
	CHECK(n.ttl == 4 && n.system_name.len == 7 && !memcmp(n.system_name.b, "sw-test", 7));
	CHECK(n.port_subtype == LLDP_PORT_MAC && n.port_id.len == 6);
	CHECK(n.has_mgmt && n.mgmt_subtype == 2 && n.mgmt_addr.len == 16); /* IPv6 */
	/* lldpd sends only the 802.3 form of link aggregation: capable, not enabled. */
	CHECK(n.has_aggregation && n.agg_capable && !n.agg_enabled && n.agg_port_id == 0);
	CHECK(n.max_frame_size == 0); /* not sent: null in the JSON */
}

const struct unit_test lldp_tests[] = {
	{ "lldp: every TLV we read", full_frame },
	{ "lldp: truncations", truncated },
	{ "lldp: malformed mandatory TLVs refused", refused },
	{ "lldp: malformed optional TLVs dropped alone", bad_optional },
	{ "lldp: over-long system name dropped", long_name },
	{ "lldp: encode then decode", roundtrip },
	{ "lldp: lldpd", lldpd },
	{ 0 },
};
