/* pxebond: find the LACP partners of a machine's NICs and bond them for the install.
 * This file dispatches subcommands and owns the exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "plan.h"
#include "probe.h"
#include "report.h"

#ifndef PXEBOND_VERSION
#define PXEBOND_VERSION "0.1"
#endif

static const char probe_help[] =
    "Usage: pxebond probe [OPTIONS] [IFACE|GLOB ...]\n"
    "\n"
    "Bring each NIC up, find its LACP partner (sending one LACPDU to wake passive or\n"
    "slow ports) and its LLDP neighbour, group the NICs by partner and say which bond\n"
    "they allow. With no IFACE, every physical Ethernet NIC that is not enslaved.\n"
    "\n"
    "  -j, --json               one JSON object on stdout instead of the table\n"
    "      --passive            only listen: send no LACPDU or LLDPDU\n"
    "      --no-lldp-tx         send no LLDPDU\n"
    "      --lldp-wait SEC      also wait up to SEC after carrier for LLDP (default 0)\n"
    "      --lacp-wait SEC      after carrier, wait this long before 'no LACP'\n"
    "                           (default 1.5, or 3 with --passive)\n"
    "      --carrier-timeout SEC  wait for carrier at most this long (default 5)\n"
    "      --timeout SEC        bound on the whole probe (default 10)\n"
    "      --keep-up            leave links up that were down before\n"
    "      --no-withdraw        do not end with a withdrawing LACPDU (for a bond\n"
    "                           brought up at once with the same identity)\n"
    "  -v, --verbose            say more on stderr\n"
    "  -h, --help               this text\n"
    "\n"
    "Sending LACPDUs ends a switch port's LACP fallback; when the probe stops, such a\n"
    "port may carry nothing for the LACP timeout plus the vendor's fallback timer.\n"
    "\n"
    "Exit status: 0 at least one NIC has carrier, 1 none has, 2 usage error, 3 failure.\n";

static int probe_main(int argc, char **argv)
{
	static struct probe_result res;
	static struct plan pl;
	struct options o;
	int r;

	r = options_parse_probe(argc, argv, &o);
	if (r)
		return r;
	if (o.help) {
		fputs(probe_help, stdout);
		return EXIT_OK;
	}
	if (o.verbose)
		log_max_level = LOG_LEVEL_DEBUG;
	r = probe_run(&o.probe, &res);
	if (r < 0)
		return EXIT_FAILED;
	plan_decide(&res, &pl);
	if (o.json)
		report_json(stdout, &res, &pl);
	else
		report_table(stdout, &res, &pl);
	if (res.withdrew)
		log_warn("sent a withdrawing LACPDU: a switch port with LACP fallback may pause "
			 "until its fallback timer runs out");
	if (fflush(stdout) != 0)
		return EXIT_FAILED;
	return pl.mode == PLAN_NONE ? EXIT_NO_LINK : EXIT_OK;
}

static int version_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("pxebond %s\n", PXEBOND_VERSION);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "probe", probe_main, "find LACP partners and LLDP neighbours, decide the bond" },
	{ "version", version_main, "print the version" },
};

static void usage(FILE *f)
{
	fputs("Usage: pxebond COMMAND [OPTIONS]\n\nCommands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
	fputs("\n'pxebond COMMAND --help' for a command's options; man pxebond for the rest.\n", f);
}

int main(int argc, char **argv)
{
	if (access("/etc/initrd-release", F_OK) == 0 || getenv("PXEBOND_KMSG"))
		log_open_kmsg();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return version_main(argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "pxebond: unknown command '%s' (see 'pxebond --help')\n", argv[1]);
	return EXIT_USAGE;
}
