/* Command-line options of each subcommand, parsed into one struct. Wrong values get
 * one line naming the option and what it takes. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "options.h"

bool options_parse_seconds(const char *s, double max_s, int *ret_ms)
{
	char *end;
	double v;

	if (!s || !*s)
		return false;
	v = strtod(s, &end);
	if (*end == 's' && end[1] == '\0')
		end++;
	if (*end != '\0' || !isfinite(v) || v < 0 || v > max_s)
		return false;
	*ret_ms = (int)lround(v * 1000);
	return true;
}

enum {
	OPT_PASSIVE = 0x100,
	OPT_NO_LLDP_TX,
	OPT_LLDP_WAIT,
	OPT_LACP_WAIT,
	OPT_TIMEOUT,
	OPT_CARRIER_TIMEOUT,
	OPT_KEEP_UP,
	OPT_NO_WITHDRAW,
};

__attribute__((format(printf, 2, 3))) static int usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pxebond %s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'pxebond %s --help')\n", prog);
	return EXIT_USAGE;
}

int options_parse_probe(int argc, char **argv, struct options *ret)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "passive", no_argument, NULL, OPT_PASSIVE },
		{ "no-lldp-tx", no_argument, NULL, OPT_NO_LLDP_TX },
		{ "lldp-wait", required_argument, NULL, OPT_LLDP_WAIT },
		{ "lacp-wait", required_argument, NULL, OPT_LACP_WAIT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "carrier-timeout", required_argument, NULL, OPT_CARRIER_TIMEOUT },
		{ "keep-up", no_argument, NULL, OPT_KEEP_UP },
		{ "no-withdraw", no_argument, NULL, OPT_NO_WITHDRAW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options o = {
		.probe = { .lldp_tx = true,
			   .withdraw = true,
			   .lacp_wait_ms = -1,
			   .carrier_timeout_ms = 5000,
			   .timeout_ms = 10000 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			o.help = true;
			break;
		case OPT_PASSIVE:
			o.probe.passive = true;
			break;
		case OPT_NO_LLDP_TX:
			o.probe.lldp_tx = false;
			break;
		case OPT_KEEP_UP:
			o.probe.keep_up = true;
			break;
		case OPT_NO_WITHDRAW:
			o.probe.withdraw = false;
			break;
		case OPT_LLDP_WAIT:
			if (!options_parse_seconds(optarg, 300, &o.probe.lldp_wait_ms))
				return usage_error(
				    "probe", "--lldp-wait takes seconds from 0 to 300, not '%s'",
				    optarg);
			break;
		case OPT_LACP_WAIT:
			if (!options_parse_seconds(optarg, 120, &o.probe.lacp_wait_ms))
				return usage_error(
				    "probe", "--lacp-wait takes seconds from 0 to 120, not '%s'",
				    optarg);
			break;
		case OPT_TIMEOUT:
			if (!options_parse_seconds(optarg, 600, &o.probe.timeout_ms) ||
			    !o.probe.timeout_ms)
				return usage_error(
				    "probe", "--timeout takes seconds from 0.001 to 600, not '%s'",
				    optarg);
			break;
		case OPT_CARRIER_TIMEOUT:
			if (!options_parse_seconds(optarg, 300, &o.probe.carrier_timeout_ms))
				return usage_error(
				    "probe",
				    "--carrier-timeout takes seconds from 0 to 300, not '%s'",
				    optarg);
			break;
		case ':':
			return usage_error("probe", "%s needs a value", argv[optind - 1]);
		default:
			return usage_error("probe", "unknown option '%s'", argv[optind - 1]);
		}
	}
	/* Listening alone must outlast an active fast partner's 1 s period. */
	if (o.probe.lacp_wait_ms < 0)
		o.probe.lacp_wait_ms = o.probe.passive ? 3000 : 1500;
	for (int i = optind; i < argc; i++)
		if (!argv[i][0] || strlen(argv[i]) >= IF_NAMESIZE + 8 || strchr(argv[i], '/'))
			return usage_error("probe", "'%s' is not an interface name or glob",
					   argv[i]);
	o.probe.patterns = argv + optind;
	o.probe.n_patterns = argc - optind;
	*ret = o;
	return 0;
}
