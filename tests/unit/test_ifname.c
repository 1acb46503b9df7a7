/* Interface names and patterns, checked against fnmatch(3). */
#include <fnmatch.h>

#include "ifname.h"
#include "unit.h"

static void valid(void)
{
	CHECK(ifname_valid("eth0") && ifname_valid("enp3s0f0np0") && ifname_valid("bond0.100"));
	CHECK(!ifname_valid("") && !ifname_valid(".") && !ifname_valid(".."));
	CHECK(!ifname_valid("a/b") && !ifname_valid("a:b") && !ifname_valid("a b"));
	CHECK(!ifname_valid("sixteen-chars-xx") && ifname_valid("fifteen-chars-x"));
	CHECK(!ifname_valid("e\x1bth") && !ifname_valid("\xc3\xa9th"));
}

static void match(void)
{
	static const char *const pats[] = { "eth*",  "*",    "e?h0", "enp*s0f[0-1]",
					    "[!e]*", "eth[", "*0",   "e*h*0",
					    "[]x]",  "[a-",  "**",   "en[p]3*" };
	static const char *const names[] = { "eth0",	 "eth10", "enp3s0f0", "enp3s0f1",
					     "enp3s0f2", "lo",	  "eth[",     "]",
					     "x",	 "e",	  "ethh0" };

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			bool want = fnmatch(pats[i], names[k], 0) == 0;

			if (ifname_match(pats[i], names[k]) != want) {
				fprintf(stderr, "    '%s' vs '%s': want %d\n", pats[i], names[k],
					want);
				unit_ok = false;
			}
		}
}

const struct unit_test ifname_tests[] = {
	{ "ifname: valid names", valid },
	{ "ifname: patterns agree with fnmatch(3)", match },
	{ 0 },
};
