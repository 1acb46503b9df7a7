/* Command-line parsing: values, bounds, and one-line errors. */
#include "options.h"
#include "unit.h"

static int parse(struct options *o, const char *a1, const char *a2, const char *a3)
{
	char *argv[5] = { (char *)"probe", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + !!a1 + !!a2 + !!a3;

	return options_parse_probe(argc, argv, o);
}

static void seconds(void)
{
	int ms = -1;

	CHECK(options_parse_seconds("1.5", 10, &ms) && ms == 1500);
	CHECK(options_parse_seconds("2s", 10, &ms) && ms == 2000);
	CHECK(options_parse_seconds("0", 10, &ms) && ms == 0);
	CHECK(!options_parse_seconds("", 10, &ms));
	CHECK(!options_parse_seconds("-1", 10, &ms));
	CHECK(!options_parse_seconds("11", 10, &ms));
	CHECK(!options_parse_seconds("nan", 10, &ms));
	CHECK(!options_parse_seconds("1e999", 10, &ms));
	CHECK(!options_parse_seconds("3x", 10, &ms));
}

static void probe_defaults(void)
{
	struct options o;

	CHECK(parse(&o, NULL, NULL, NULL) == 0);
	CHECK(!o.json && !o.probe.passive && o.probe.lldp_tx && o.probe.withdraw);
	CHECK(o.probe.lacp_wait_ms == 1500 && o.probe.carrier_timeout_ms == 5000);
	CHECK(o.probe.lldp_wait_ms == 0 && o.probe.n_patterns == 0);
	CHECK(parse(&o, "--passive", "eth*", NULL) == 0);
	CHECK(o.probe.passive && o.probe.lacp_wait_ms == 3000 && o.probe.n_patterns == 1);
	CHECK(parse(&o, "--json", "--lldp-wait", "5") == 0);
	CHECK(o.json && o.probe.lldp_wait_ms == 5000);
}

static void probe_errors(void)
{
	struct options o;

	CHECK(parse(&o, "--lldp-wait", "forever", NULL) == EXIT_USAGE);
	CHECK(parse(&o, "--timeout", "0", NULL) == EXIT_USAGE);
	CHECK(parse(&o, "--frobnicate", NULL, NULL) == EXIT_USAGE);
	CHECK(parse(&o, "--lacp-wait", NULL, NULL) == EXIT_USAGE);
	CHECK(parse(&o, "../../etc", NULL, NULL) == EXIT_USAGE);
	CHECK(parse(&o, "", NULL, NULL) == EXIT_USAGE);
}

const struct unit_test options_tests[] = {
	{ "options: seconds", seconds },
	{ "options: probe defaults and values", probe_defaults },
	{ "options: probe usage errors", probe_errors },
	{ 0 },
};
