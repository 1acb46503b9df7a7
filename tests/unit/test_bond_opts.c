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

/* The one mode table: names both ways, each input's own set, and what each takes. */
static void modes(void)
{
	CHECK_STR(bond_mode_to_string(BOND_MODE_8023AD), "802.3ad");
	CHECK_STR(bond_mode_to_string(BOND_MODE_SINGLE), "single");
	CHECK_STR(bond_mode_to_string(_BOND_MODE_MAX), "?");
	CHECK(bond_mode_from_string("802.3ad", BOND_MODES_UP) == BOND_MODE_8023AD);
	CHECK(bond_mode_from_string("lacp", BOND_MODES_UP) == BOND_MODE_8023AD);
	CHECK(bond_mode_from_string("off", BOND_MODES_UP) == BOND_MODE_OFF);
	CHECK(bond_mode_from_string("off", BOND_MODES_FINAL) == _BOND_MODE_INVALID);
	CHECK(bond_mode_from_string("balance-alb", BOND_MODES_UP) == _BOND_MODE_INVALID);
	CHECK(bond_mode_from_string("balance-alb", BOND_MODES_FINAL) == BOND_MODE_BALANCE_ALB);
	CHECK(bond_mode_from_string("none", BOND_MODES_STATE) == BOND_MODE_NONE);
	CHECK(bond_mode_from_string("broadcast", BOND_MODES_STATE) == _BOND_MODE_INVALID);
	CHECK(bond_mode_from_string("", BOND_MODES_KERNEL) == _BOND_MODE_INVALID);
	/* the kernel's values are the enum's */
	CHECK(BOND_MODE_8023AD == 4 && BOND_MODE_BALANCE_ALB == 6);
}

static void applies(void)
{
	static const struct {
		enum bond_opt o;
		unsigned modes;
	} want[] = {
		{ BOND_OPT_MIIMON, BOND_MODES_KERNEL },
		{ BOND_OPT_LACP_RATE, BOND_MODE_BIT(BOND_MODE_8023AD) },
		{ BOND_OPT_MIN_LINKS, BOND_MODE_BIT(BOND_MODE_8023AD) },
		{ BOND_OPT_XMIT_HASH_POLICY, BOND_MODE_BIT(BOND_MODE_BALANCE_XOR) |
						 BOND_MODE_BIT(BOND_MODE_8023AD) |
						 BOND_MODE_BIT(BOND_MODE_BALANCE_TLB) },
		{ BOND_OPT_PRIMARY, BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) |
					BOND_MODE_BIT(BOND_MODE_BALANCE_TLB) |
					BOND_MODE_BIT(BOND_MODE_BALANCE_ALB) },
		{ BOND_OPT_ARP_INTERVAL,
		  BOND_MODE_BIT(BOND_MODE_BALANCE_RR) | BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) |
		      BOND_MODE_BIT(BOND_MODE_BALANCE_XOR) | BOND_MODE_BIT(BOND_MODE_BROADCAST) },
		{ BOND_OPT_FAIL_OVER_MAC, BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) },
		{ BOND_OPT_LP_INTERVAL,
		  BOND_MODE_BIT(BOND_MODE_BALANCE_TLB) | BOND_MODE_BIT(BOND_MODE_BALANCE_ALB) },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (int m = 0; m < _BOND_MODE_MAX; m++)
			CHECK(bond_opt_applies(want[i].o, (enum bond_mode)m) ==
			      !!(want[i].modes & BOND_MODE_BIT(m)));
	/* nothing applies to a NIC alone, or to a request */
	for (int o = 0; o < _BOND_OPT_MAX; o++)
		CHECK(!bond_opt_applies((enum bond_opt)o, BOND_MODE_SINGLE) &&
		      !bond_opt_applies((enum bond_opt)o, BOND_MODE_AUTO));
}

static void defaults(void)
{
	struct bond_opts o, user = { 0 };
	char text[256], err[128];

	bond_opts_defaults(&o, BOND_MODE_8023AD);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=802.3ad,miimon=100,xmit_hash_policy=layer3+4,lacp_rate=fast");
	bond_opts_defaults(&o, BOND_MODE_ACTIVE_BACKUP);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=active-backup,miimon=100");
	/* the user's over them, then what the mode does not take left out */
	CHECK(bond_opts_parse(&user, "lacp_rate=slow,primary=eth1,updelay=200", err, sizeof(err)) ==
	      0);
	bond_opts_defaults(&o, BOND_MODE_BALANCE_ALB);
	bond_opts_overlay(&o, &user);
	bond_opts_for_mode(&o, BOND_MODE_BALANCE_ALB);
	bond_opts_format(&o, ',', text, sizeof(text));
	CHECK_STR(text, "mode=balance-alb,miimon=100,updelay=200,primary=eth1");
}

const struct unit_test bond_opts_tests[] = {
	{ "bond_opts: names, numbers, aliases, format", parse_ok },
	{ "bond_opts: errors name the option and what it takes", parse_errors },
	{ "bond_opts: the one mode table", modes },
	{ "bond_opts: which option applies to which mode", applies },
	{ "bond_opts: the defaults, the user's over them", defaults },
	{ 0 },
};
