/* LACPDU decode and encode: real peers' frames, round trips, and hostile frames. */
#include "lacp.h"
#include "unit.h"

static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

static struct lacp_info info(const uint8_t *sys, uint16_t key, uint16_t port, uint8_t state)
{
	struct lacp_info i = { .system_priority = 0xffff,
			       .key = key,
			       .port_priority = 0xff,
			       .port = port,
			       .state = state };

	memcpy(i.system, sys, 6);
	return i;
}

static void roundtrip(void)
{
	uint8_t f[LACP_FRAME_LEN];
	struct lacp_info a =
	    info(mac_a, 9, 1, LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT | LACP_STATE_AGGREGATION);
	struct lacp_info p = info(mac_b, 0x1234, 0x8001, 0xff);
	struct lacpdu d;

	CHECK(lacp_encode(f, mac_a, &a, &p) == LACP_FRAME_LEN);
	CHECK(lacp_decode(f, sizeof(f), &d) == LACP_OK);
	CHECK(memcmp(d.src, mac_a, 6) == 0);
	CHECK(d.version == 1);
	CHECK(memcmp(&d.actor, &a, sizeof(a)) == 0);
	CHECK(memcmp(&d.partner, &p, sizeof(p)) == 0);
	/* 802.1AX 6.4.2.3: TLV types and lengths at fixed offsets. */
	CHECK(f[12] == 0x88 && f[13] == 0x09 && f[14] == 1 && f[15] == 1);
	CHECK(f[16] == 1 && f[17] == 20 && f[36] == 2 && f[37] == 20);
	CHECK(f[56] == 3 && f[57] == 16 && f[72] == 0 && f[73] == 0);
}

/* Every truncation of a valid frame is refused, never read past. */
static void truncated(void)
{
	uint8_t f[LACP_FRAME_LEN];
	struct lacp_info a = info(mac_a, 9, 1, 0x0f), p = info(mac_b, 1, 2, 0x3d);
	struct lacpdu d;

	lacp_encode(f, mac_a, &a, &p);
	for (size_t n = 0; n < 74; n++) {
		uint8_t copy[74];

		memcpy(copy, f, n); /* an exact-size copy so ASan sees any overread */
		CHECK(lacp_decode(copy, n, &d) != LACP_OK);
	}
	/* Padding after the Terminator is not needed to decode. */
	CHECK(lacp_decode(f, 74, &d) == LACP_OK);
}

static void refused(void)
{
	uint8_t f[LACP_FRAME_LEN], g[LACP_FRAME_LEN];
	struct lacp_info a = info(mac_a, 9, 1, 0x0f), p = info(mac_b, 1, 2, 0x3d);
	struct lacpdu d;

	lacp_encode(f, mac_a, &a, &p);
#define MUTATE(off, val, err)                                                                      \
	do {                                                                                       \
		memcpy(g, f, sizeof(f));                                                           \
		g[off] = (val);                                                                    \
		CHECK(lacp_decode(g, sizeof(g), &d) == (err));                                     \
	} while (0)
	MUTATE(5, 0x0e, LACP_ERR_DST); /* LLDP's address */
	MUTATE(6, 0x01, LACP_ERR_SRC); /* multicast source */
	MUTATE(13, 0xcc, LACP_ERR_TYPE);
	MUTATE(14, 0x02, LACP_ERR_SUBTYPE); /* a Marker PDU */
	MUTATE(15, 0x00, LACP_ERR_VERSION);
	MUTATE(16, 0x02, LACP_ERR_TLV); /* partner TLV where the actor's belongs */
	MUTATE(17, 21, LACP_ERR_TLV);	/* actor TLV of the wrong length */
	MUTATE(37, 0xff, LACP_ERR_TLV);
	MUTATE(57, 15, LACP_ERR_TLV); /* collector of the wrong length */
	MUTATE(73, 4, LACP_ERR_TLV);  /* terminator with a length */
	MUTATE(72, 9, LACP_ERR_TLV);  /* an unknown TLV in a version 1 PDU */
	memset(g, 0, sizeof(g));
	CHECK(lacp_decode(g, sizeof(g), &d) == LACP_ERR_DST);
#undef MUTATE
}

/* A later version may add TLVs before the Terminator: skipped by their length. */
static void version2(void)
{
	uint8_t f[LACP_FRAME_LEN + 8];
	struct lacp_info a = info(mac_a, 9, 1, 0x0f), p = info(mac_b, 1, 2, 0x3d);
	struct lacpdu d;

	memset(f, 0, sizeof(f));
	lacp_encode(f, mac_a, &a, &p);
	f[15] = 2;
	/* replace the Terminator at 72 with a 6-octet TLV of type 0x10, then Terminator */
	memmove(f + 78, f + 72, LACP_FRAME_LEN - 72 - 6);
	f[72] = 0x10, f[73] = 6, f[74] = f[75] = f[76] = f[77] = 0xaa;
	f[78] = 0, f[79] = 0;
	CHECK(lacp_decode(f, sizeof(f), &d) == LACP_OK);
	CHECK(d.version == 2 && d.actor.port == 1);
	f[73] = 1; /* a length below the header's own */
	CHECK(lacp_decode(f, sizeof(f), &d) == LACP_ERR_TLV);
	f[73] = 200; /* past the end */
	CHECK(lacp_decode(f, sizeof(f), &d) == LACP_ERR_SHORT);
}

static void state_letters(void)
{
	char s[9];

	lacp_state_str(0x3d, s);
	CHECK_STR(s, "A-GSCD--");
	lacp_state_str(0xc2, s);
	CHECK_STR(s, "-T----FE");
}

/* bond_3ad.c: user key << 6 | speed class << 1 | full duplex. */
static void linux_key(void)
{
	CHECK(lacp_linux_port_key(0, 1000, true) == 9);
	CHECK(lacp_linux_port_key(0, 10000, true) == 15);
	CHECK(lacp_linux_port_key(0, 25000, true) == 21);
	CHECK(lacp_linux_port_key(0, 0, false) == 0);
	CHECK(lacp_linux_port_key(3, 1000, true) == (3 << 6 | 9));
}

/* Frames captured from real peers (see each fixture's header for the dissection). */
static void fixture(const char *name, uint8_t want_state_set, uint8_t want_state_clear,
		    struct lacpdu *ret)
{
	uint8_t buf[256];
	long n = unit_fixture(name, buf, sizeof(buf));

	if (n < 0)
		return;
	CHECK(lacp_decode(buf, (size_t)n, ret) == LACP_OK);
	CHECK((ret->actor.state & want_state_set) == want_state_set);
	CHECK((ret->actor.state & want_state_clear) == 0);
	CHECK(memcmp(ret->src, buf + 6, 6) == 0);
}

static void ovs_active_fast(void)
{
	struct lacpdu d;

	fixture("lacp-ovs-active-fast.hex", LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT, 0, &d);
	CHECK(d.actor.system_priority == 65534 && d.actor.key == 1 && d.actor.port == 1);
	CHECK(!memcmp(d.actor.system, "\x02\x00\x00\x00\x0a\x00", 6));
	CHECK(eth_is_zero(d.partner.system));
}

static void ovs_passive_slow(void)
{
	struct lacpdu d;

	fixture("lacp-ovs-passive-slow-reply.hex", 0, LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT, &d);
	CHECK(!memcmp(d.actor.system, "\x02\x00\x00\x00\x0b\x00", 6) && d.actor.key == 3);
	/* It echoes what it heard of us: our key for 10 Gb/s, our port 3. */
	CHECK(d.partner.key == 15 && d.partner.port == 3 && d.partner.state == 0x07);
}

static void linux_bond(void)
{
	struct lacpdu d;

	fixture("lacp-linux-bond.hex",
		LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT | LACP_STATE_AGGREGATION, 0, &d);
	CHECK(d.actor.system_priority == 0xffff);
	CHECK(d.actor.key == 9); /* 1000 Mb/s full duplex, no user key */
}

const struct unit_test lacp_tests[] = {
	{ "lacp: encode then decode", roundtrip },
	{ "lacp: every truncation refused", truncated },
	{ "lacp: malformed fields refused", refused },
	{ "lacp: version 2 TLVs skipped", version2 },
	{ "lacp: state letters", state_letters },
	{ "lacp: Linux port key", linux_key },
	{ "lacp: Open vSwitch active fast", ovs_active_fast },
	{ "lacp: Open vSwitch passive slow reply", ovs_passive_slow },
	{ "lacp: Linux bonding", linux_bond },
	{ 0 },
};
