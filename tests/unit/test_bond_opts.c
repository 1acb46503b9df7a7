/* Bond option parsing: names, numbers, bounds, and one-line errors. */
#include "bond_opts.h"
#include "unit.h"

static void parse_ok(void)
{
	struct bond_opts o = { 0 };
	char err[160] = "", out[256];

	CHECK(bond_opts_parse(&o, "mode=802.3ad,miimon=100,lacp_rate=fast", err, sizeof(err)) == 0);
	CHECK(o.set[BOND_OPT_MODE] && o.val[BOND_OPT_MODE] == BOND_MODE_8023AD);
	CHECK(o.val[BOND_OPT_MIIMON] == 100 && o.val[BOND_OPT_LACP_RATE] == 1);
	/* BONDING_OPTS style, numbers for names, on top of what was there */
	CHECK(bond_opts_parse(&o, " xmit_hash_policy=layer3+4  ad_select=1\tlacp_rate=0", err,
			      sizeof(err)) == 0);
	CHECK(o.val[BOND_OPT_XMIT_HASH_POLICY] == 1 && o.val[BOND_OPT_AD_SELECT] == 1);
	CHECK(o.val[BOND_OPT_LACP_RATE] == 0 && o.val[BOND_OPT_MIIMON] == 100);
	CHECK(bond_opts_parse(&o,
			      "ad_actor_system=02:00:00:00:00:0a,ad_actor_sys_prio=65535,"
			      "primary=eth1,num_unsol_na=2",
			      err, sizeof(err)) == 0);
	CHECK(o.actor_system[5] == 0x0a && !strcmp(o.primary, "eth1"));
	bond_opts_format(&o, ',', out, sizeof(out));
	CHECK_STR(out, "mode=802.3ad,miimon=100,primary=eth1,xmit_hash_policy=layer3+4,"
		       "num_grat_arp=2,lacp_rate=slow,ad_select=bandwidth,ad_actor_sys_prio=65535,"
		       "ad_actor_system=02:00:00:00:00:0a");
	CHECK(bond_opts_parse(&o, "", err, sizeof(err)) == 0);
}

static void parse_errors(void)
{
	struct bond_opts o = { 0 };
	char err[160];

#define BAD(text, msg)                                                                             \
	do {                                                                                       \
		err[0] = '\0';                                                                     \
		CHECK(bond_opts_parse(&o, text, err, sizeof(err)) == -EINVAL);                     \
		CHECK_STR(err, msg);                                                               \
	} while (0)
	BAD("mode=802.3ad,frobnicate=1", "unknown bond option 'frobnicate'");
	BAD("lacp_rate=sometimes", "lacp_rate: 'sometimes' is not one of slow or fast");
	BAD("miimon=-1", "miimon: '-1' is not a number from 0 to 2147483647");
	BAD("miimon=99999999999", "miimon: '99999999999' is not a number from 0 to 2147483647");
	BAD("ad_user_port_key=1024", "ad_user_port_key: '1024' is not a number from 0 to 1023");
	BAD("mode=7", "mode: '7' is not one of balance-rr, active-backup, balance-xor, broadcast, "
		      "802.3ad, balance-tlb or balance-alb");
	BAD("ad_actor_system=01:00:00:00:00:01", "ad_actor_system: '01:00:00:00:00:01' is not a "
						 "unicast MAC address");
	BAD("primary=../x", "primary: '../x' is not an interface name");
	BAD("miimon", "'miimon' is not KEY=VALUE");
	BAD("=5", "'=5' is not KEY=VALUE");
#undef BAD
	/* Nothing of a bad string is applied. */
	CHECK(!o.set[BOND_OPT_MODE]);
}

const struct unit_test bond_opts_tests[] = {
	{ "bond_opts: names, numbers, aliases, format", parse_ok },
	{ "bond_opts: errors name the option and what it takes", parse_errors },
	{ 0 },
};
