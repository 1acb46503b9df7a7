/* ladder.c: which rungs `up` tries, in which order, over which NICs, with which options;
 * decisions as a table. */
#include "ladder.h"
#include "unit.h"

/* Four NICs: eth0 and eth1 face partner A, eth2 faces partner B, eth3 has no partner.
 * carrier and lacp are bit masks over them. */
static void probe_of(struct probe_result *res, unsigned carrier, unsigned lacp)
{
	memset(res, 0, sizeof(*res));
	res->n = 4;
	for (unsigned i = 0; i < 4; i++) {
		struct probe_nic *nic = &res->nic[i];

		snprintf(nic->name, sizeof(nic->name), "eth%u", i);
		nic->carrier = carrier >> i & 1;
		nic->speed_mbps = 1000;
		nic->lacp_detected = nic->carrier && (lacp >> i & 1);
		nic->partner.system[5] = i < 2 ? 0xa : 0xb;
		nic->partner.key = i < 2 ? 1 : 2;
		nic->perm_mac[5] = (uint8_t)(i + 1);
	}
	res->actor.system[5] = 0x42;
	res->actor.system_priority = 65535;
}

struct ladder_case {
	const char *what;
	unsigned carrier, lacp;
	enum bond_mode want;
	int bootif;
	const char *rungs; /* "mode:members ..." */
};

static const struct ladder_case cases[] = {
	{ "LACP on two: 802.3ad over them, then active-backup over all with carrier, then "
	  "singles",
	  0x7, 0x3, BOND_MODE_AUTO, -1,
	  "802.3ad:eth0,eth1 active-backup:eth0,eth1,eth2 single:eth0 single:eth1 single:eth2" },
	{ "two partners: the bigger group first, the other standby in the same bond", 0x7, 0x7,
	  BOND_MODE_AUTO, -1,
	  "802.3ad:eth0,eth1,eth2 active-backup:eth0,eth1,eth2 single:eth0 single:eth1 "
	  "single:eth2" },
	{ "BOOTIF first wherever NICs with carrier are listed", 0x7, 0x3, BOND_MODE_AUTO, 2,
	  "802.3ad:eth0,eth1 active-backup:eth2,eth0,eth1 single:eth2 single:eth0 single:eth1" },
	{ "no LACP, two with carrier: active-backup, then singles", 0x5, 0x0, BOND_MODE_AUTO, -1,
	  "active-backup:eth0,eth2 single:eth0 single:eth2" },
	{ "no LACP, one with carrier: that NIC alone", 0x8, 0x0, BOND_MODE_AUTO, -1,
	  "single:eth3" },
	{ "nothing has carrier: no rung", 0x0, 0x0, BOND_MODE_AUTO, -1, "" },
	{ "802.3ad asked for without LACP: over every NIC with carrier", 0x3, 0x0, BOND_MODE_8023AD,
	  -1, "802.3ad:eth0,eth1 active-backup:eth0,eth1 single:eth0 single:eth1" },
	{ "active-backup asked for over LACP ports: no 802.3ad rung", 0x3, 0x3,
	  BOND_MODE_ACTIVE_BACKUP, -1, "active-backup:eth0,eth1 single:eth0 single:eth1" },
	{ "single asked for: singles only", 0x3, 0x3, BOND_MODE_SINGLE, 1,
	  "single:eth1 single:eth0" },
	{ "active-backup needs two: with one, the single", 0x1, 0x0, BOND_MODE_ACTIVE_BACKUP, -1,
	  "single:eth0" },
	{ "a BOOTIF without carrier is not put first", 0x3, 0x3, BOND_MODE_AUTO, 3,
	  "802.3ad:eth0,eth1 active-backup:eth0,eth1 single:eth0 single:eth1" },
	/* late: no carrier yet when the partner answered (carrier 0x3, eth3 late below) */
	{ "a late NIC joins the 802.3ad rung only, after the plan's members", 0x3, 0x3,
	  BOND_MODE_AUTO, -1,
	  "802.3ad:eth0,eth1,eth3 active-backup:eth0,eth1 single:eth0 single:eth1" },
};

static void text_of(const struct ladder_rung *r, unsigned n, const struct probe_result *res,
		    char *out, size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < n && o < cap; i++) {
		char m[128];

		ladder_members_text(&r[i], res, m, sizeof(m));
		o += (size_t)snprintf(out + o, cap - o, "%s%s:%s", i ? " " : "",
				      bond_mode_to_string(r[i].mode), m);
	}
}

static void rungs(void)
{
	static struct probe_result res;
	static struct plan pl;
	struct ladder_rung r[LADDER_MAX];
	char got[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ladder_case *c = &cases[i];
		unsigned n;

		probe_of(&res, c->carrier, c->lacp);
		res.nic[3].late = !strncmp(c->what, "a late NIC", 10);
		plan_decide(&res, &pl);
		n = ladder_build(c->want, c->bootif, &res, &pl, r, LADDER_MAX);
		text_of(r, n, &res, got, sizeof(got));
		if (strcmp(got, c->rungs)) {
			fprintf(stderr, "    %s:\n      want %s\n      got  %s\n", c->what,
				c->rungs, got);
			unit_ok = false;
		}
	}
	/* never more rungs than room */
	probe_of(&res, 0xf, 0x0);
	plan_decide(&res, &pl);
	CHECK(ladder_build(BOND_MODE_8023AD, -1, &res, &pl, r, 2) == 2);
}

/* Each rung's options: ours, the user's over them, nothing the mode does not take. */
static void options(void)
{
	static struct probe_result res;
	struct ladder_rung ad = { .mode = BOND_MODE_8023AD, .n = 2, .member = { 0, 1 } };
	struct ladder_rung ab = { .mode = BOND_MODE_ACTIVE_BACKUP, .n = 2, .member = { 1, 0 } };
	struct bond_opts user = { 0 }, o;
	char err[128], text[512];

	probe_of(&res, 0x3, 0x3);
	ladder_rung_opts(&ad, &user, &res, &o);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=802.3ad,miimon=100,xmit_hash_policy=layer3+4,lacp_rate=fast,"
			"ad_actor_sys_prio=65535,ad_user_port_key=0,"
			"ad_actor_system=00:00:00:00:00:42");
	ladder_rung_opts(&ab, &user, &res, &o);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=active-backup,miimon=100,primary=eth1");
	/* the user's: kept where the mode takes them, over ours */
	CHECK(bond_opts_parse(&user,
			      "miimon=250,lacp_rate=slow,primary=eth0,arp_interval=100,"
			      "ad_actor_sys_prio=100",
			      err, sizeof(err)) == 0);
	ladder_rung_opts(&ad, &user, &res, &o);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=802.3ad,miimon=250,xmit_hash_policy=layer3+4,lacp_rate=slow,"
			"ad_actor_sys_prio=100,ad_user_port_key=0,"
			"ad_actor_system=00:00:00:00:00:42");
	ladder_rung_opts(&ab, &user, &res, &o);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=active-backup,miimon=250,arp_interval=100,primary=eth0");
}

const struct unit_test ladder_tests[] = {
	{ "ladder: the rungs, as a table", rungs },
	{ "ladder: each rung's options", options },
	{ 0 },
};
