/* pxebond: find the LACP partners of a machine's NICs and bond them for the install.
 * This file dispatches subcommands and owns the exit codes. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "plan.h"
#include "probe.h"
#include "report.h"
#include "up.h"
#include "write.h"

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
	fflush(stdout); /* the table before the warning, on a terminal */
	if (res.withdrew)
		log_warn("sent a withdrawing LACPDU: a switch port with LACP fallback may pause "
			 "until its fallback timer runs out");
	if (fflush(stdout) != 0)
		return EXIT_FAILED;
	return pl.mode == PLAN_NONE ? EXIT_NO_LINK : EXIT_OK;
}

static const char up_help[] =
    "Usage: pxebond up [OPTIONS]\n"
    "\n"
    "Probe, then bring up the path to the install server: an 802.3ad bond where the\n"
    "ports speak LACP, else active-backup, else one NIC; each rung is torn down and the\n"
    "next tried if it does not aggregate, get a DHCP lease or reach the --check URLs.\n"
    "With no options, settings come from /proc/cmdline: pxebond=MODE, pxebond.ifaces=,\n"
    "pxebond.bond=, pxebond.opts=, pxebond.timeout=, pxebond.carrier_timeout=,\n"
    "pxebond.lacp_wait=, pxebond.check=, BOOTIF=, inst.ks=, inst.repo=.\n"
    "\n"
    "      --mode MODE          auto (default), 802.3ad, active-backup, single or off\n"
    "      --bond NAME          the bond's name (default bond0)\n"
    "      --bond-opts K=V,...  bonding options by their sysfs names, over the defaults\n"
    "                           miimon=100,lacp_rate=fast,xmit_hash_policy=layer3+4\n"
    "      --ifaces LIST        NICs (names or globs, comma-separated) instead of all\n"
    "      --dhcp, --no-dhcp    get an address by DHCP (default), or not\n"
    "      --no-resolv          do not write /etc/resolv.conf from the lease\n"
    "      --check URL          the install server must answer here (repeatable)\n"
    "      --state DIR          where the state goes (default /run/pxebond)\n"
    "      --timeout SEC        each rung's bound on aggregation and on DHCP (default 30)\n"
    "      --bootif MAC         the NIC PXE booted from (as BOOTIF=)\n"
    "      --cmdline FILE       read kernel-style settings from FILE first\n"
    "      --carrier-timeout SEC, --lacp-wait SEC   as for probe\n"
    "      --if-lacp            in auto mode, change nothing unless some NIC has an\n"
    "                           LACP partner (exit 4); how the boot hooks run up\n"
    "      --renew              keep the lease: a background process (pxebond-renew,\n"
    "                           its pid in the state, stopped by down) renews it\n"
    "      --table              print the probe's table on stdout, as probe does\n"
    "  -v, --verbose            say more\n"
    "\n"
    "DHCP is pxebond's own: the address (living as long as the lease), default route,\n"
    "MTU and resolv.conf are set from the lease and pxebond exits. Without --renew\n"
    "nothing renews the lease: the installer's network stack must.\n"
    "\n"
    "Exit status: 0 a path works, 1 none did (the NICs are as they were), 2 usage error,\n"
    "3 failure, 4 --if-lacp and no LACP partner (nothing changed).\n";

static int up_main(int argc, char **argv)
{
	static struct up_config cfg;
	struct options o;
	int r = options_parse_up(argc, argv, &o, &cfg);

	if (r)
		return r;
	if (o.help) {
		fputs(up_help, stdout);
		return EXIT_OK;
	}
	if (o.verbose)
		log_max_level = LOG_LEVEL_DEBUG;
	r = up_run(&cfg);
	if (r == -ENETUNREACH)
		return EXIT_NO_LINK;
	if (r == -ENOLINK)
		return EXIT_NO_LACP;
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

static const char *state_dir_arg(int argc, char **argv, const char *cmd, bool *ret_json)
{
	const char *dir = "/run/pxebond";

	*ret_json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--state") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			*ret_json = true;
		else {
			fprintf(stderr,
				"pxebond %s: unknown argument '%s' (usage: pxebond %s [--state "
				"DIR]%s)\n",
				cmd, argv[i], cmd, strcmp(cmd, "status") ? "" : " [--json]");
			return NULL;
		}
	}
	return dir;
}

static int down_main(int argc, char **argv)
{
	bool json;
	const char *dir = state_dir_arg(argc, argv, "down", &json);

	if (!dir || json)
		return EXIT_USAGE;
	return up_down(dir) < 0 ? EXIT_FAILED : EXIT_OK;
}

static int status_main(int argc, char **argv)
{
	bool json;
	const char *dir = state_dir_arg(argc, argv, "status", &json);
	char path[256], buf[4096];
	size_t n;
	FILE *f;

	if (!dir)
		return EXIT_USAGE;
	snprintf(path, sizeof(path), "%s/%s", dir, json ? "state.json" : "state");
	f = fopen(path, "re");
	if (!f) {
		log_err("%s: no state: has 'pxebond up' run?", path);
		return EXIT_NO_LINK;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return EXIT_OK;
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
	{ "up", up_main, "bring up the bond (or fallback) to the install server" },
	{ "down", down_main, "remove what 'up' made and restore the NICs" },
	{ "write", write_main, "write the bond for the installed system (--root DIR)" },
	{ "status", status_main, "print what 'up' did" },
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
