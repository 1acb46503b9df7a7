/* profiles.c: which device another tool's profile configures, and whether that is the
 * bond pxebond writes or one of its NICs. */
#include "profiles.h"
#include "unit.h"

static void parse(void)
{
	struct profile p;

	profile_parse("# Written by pxebond write: the network path\n[connection]\nid=b\n"
		      "uuid=11111111-1111-4111-8111-111111111111\ninterface-name=bond0\n"
		      "\n[ethernet]\nmac-address=52:54:00:AB:CD:01\nmaster=x\ncontroller=y\n",
		      &p);
	CHECK(p.ours && !strcmp(p.ifname, "bond0") && p.has_mac && p.mac[3] == 0xab);
	CHECK(!strcmp(p.uuid, "11111111-1111-4111-8111-111111111111"));
	CHECK(p.n_master == 2 && !strcmp(p.master[0], "x") && !strcmp(p.master[1], "y"));
	/* ifcfg: quoted values, MASTER and MASTER_UUID */
	profile_parse("DEVICE=\"eth1\"\nHWADDR='52:54:00:12:34:02'\nMASTER=bond0\n"
		      "MASTER_UUID=u1\nUUID=u2\n",
		      &p);
	CHECK(!p.ours && !strcmp(p.ifname, "eth1") && p.has_mac && p.mac[5] == 2);
	CHECK(p.n_master == 2 && !strcmp(p.uuid, "u2"));
	/* what it cannot read stays empty; a value too long is cut, not overrun */
	profile_parse("interface-name\nmac-address=zz\nuuid=", &p);
	CHECK(!p.ifname[0] && !p.has_mac && !p.uuid[0]);
	{
		char text[300];

		memset(text, 'a', sizeof(text));
		memcpy(text, "DEVICE=", 7);
		text[sizeof(text) - 1] = '\0';
		profile_parse(text, &p);
		CHECK(strlen(p.ifname) == PROFILE_ID_MAX - 1);
	}
}

static void conflicts(void)
{
	static const char uuids[1][PROFILE_ID_MAX] = { "bond-uuid" };
	struct model m = { .name = "bond0", .mode = BOND_MODE_8023AD, .n_members = 2 };
	struct profile p;

	snprintf(m.member[0].name, IF_NAMESIZE, "eth0");
	memcpy(m.member[1].mac, "\x52\x54\x00\x12\x34\x02", 6); /* unnamed: by MAC only */
	profile_parse("interface-name=bond0\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 1));
	profile_parse("master=bond0\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 1));
	profile_parse("master=bond-uuid\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 1));
	profile_parse("DEVICE=eth0\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 1));
	profile_parse("HWADDR=52:54:00:12:34:02\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 1));
	profile_parse("interface-name=eth2\nmac-address=52:54:00:12:34:03\nmaster=bond1\n", &p);
	CHECK(!profile_conflicts(&p, &m, uuids, 1));
	/* a single NIC has no ports: master=its name is not "a port of it" */
	m.mode = BOND_MODE_SINGLE;
	snprintf(m.name, sizeof(m.name), "eth0");
	profile_parse("master=eth0\n", &p);
	CHECK(!profile_conflicts(&p, &m, uuids, 0));
	profile_parse("interface-name=eth0\n", &p);
	CHECK(profile_conflicts(&p, &m, uuids, 0));
}

const struct unit_test profiles_tests[] = {
	{ "profiles: keyfile and ifcfg keys", parse },
	{ "profiles: which are for the bond or its NICs", conflicts },
	{ 0 },
};
