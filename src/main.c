/* pxebond: find the LACP partners of a machine's NICs and bond them for the install.
 * This file is the command table: each command's help, its parser (options.c), its run,
 * and the exit code (options.h) its result maps to. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "down.h"
#include "escape.h"
#include "log.h"
#include "options.h"
#include "plan.h"
#include "probe.h"
#include "report.h"
#include "state.h"
#include "up.h"
#include "write.h"

#ifndef PXEBOND_VERSION
#define PXEBOND_VERSION "0.1"
#endif

#define SECONDS_NOTE "SEC: seconds to the millisecond (5, 1.5, 2s).\n"

static const char probe_help[] =
    "Usage: pxebond probe [OPTIONS] [IFACE|GLOB ...]\n"
    "\n"
    "Bring each NIC up, find its LACP partner (LACPDUs wake passive or slow ports) and\n"
    "LLDP neighbour, group the NICs by partner, say which bond they allow. Default: every\n"
    "physical Ethernet NIC not enslaved; a name picks any Ethernet link, a glob free ones.\n"
    "\n"
    "  -j, --json             JSON on stdout instead of the table\n"
    "      --passive          only listen: send no LACPDU or LLDPDU\n"
    "      --no-lldp-tx       send no LLDPDU\n"
    "      --lldp-wait SEC    also wait for LLDP after carrier (0-300, default 0)\n"
    "      --lacp-wait SEC    after carrier, wait before 'no LACP' (0-120, default 1.5;\n"
    "                         3 with --passive)\n"
    "      --carrier-timeout SEC  wait for carrier (0-300, default 5)\n"
    "      --timeout SEC      bound on the whole probe (0.001-600, default 10); a NIC it\n"
    "                         cuts off shows 'unknown', not 'none'\n"
    "      --keep-up          leave up the links that were down\n"
    "      --no-withdraw      end without a withdrawing LACPDU\n"
    "  -v, --verbose          say more\n"
    "  -h, --help             this text\n"
    "\n" SECONDS_NOTE "LACPDUs end a port's LACP fallback: such a port may pause after the probe.\n"
    "Exit: 0 a NIC has carrier, 1 none has, 2 usage, 3 failure.\n";

static const char up_help[] =
    "Usage: pxebond up [OPTIONS]\n"
    "\n"
    "Probe, then bring up the path to the install server: 802.3ad where the ports speak\n"
    "LACP, else active-backup, else one NIC; each rung is undone and the next tried if it\n"
    "does not aggregate, get a lease or reach the --check URLs. With no options, from\n"
    "/proc/cmdline: pxebond=MODE, pxebond.ifaces= .bond= .opts= .timeout=\n"
    ".carrier_timeout= .lacp_wait= .check=, BOOTIF=, inst.ks=, inst.repo= (an unknown\n"
    "pxebond key is warned about, with the nearest known one).\n"
    "\n"
    "      --mode MODE        auto (default), 802.3ad, active-backup, single or off\n"
    "      --bond NAME        the bond (default bond0; [A-Za-z0-9_.-])\n"
    "      --bond-opts K=V,...  bonding options by sysfs name, over miimon=100,\n"
    "                         lacp_rate=fast, xmit_hash_policy=layer3+4\n"
    "      --ifaces LIST      NICs (names or globs, comma-separated)\n"
    "      --dhcp, --no-dhcp  an address by DHCP (default), or not\n"
    "      --no-resolv        leave /etc/resolv.conf alone\n"
    "      --check URL        the server must answer there (repeatable)\n"
    "      --state DIR        where the state goes (default /run/pxebond)\n"
    "      --timeout SEC      each rung's bound on aggregation and DHCP (0.001-600, 30)\n"
    "      --bootif MAC       the NIC PXE booted from (as BOOTIF=)\n"
    "      --cmdline FILE     kernel-style settings from FILE\n"
    "      --carrier-timeout SEC, --lacp-wait SEC   as for probe\n"
    "      --if-lacp          in auto mode, change nothing without an LACP partner\n"
    "      --renew            keep renewing the lease (pxebond-renew; down stops it)\n"
    "      --table            print the probe's table on stdout\n"
    "  -v, --verbose          say more\n"
    "  -h, --help             this text\n"
    "\n" SECONDS_NOTE
    "DHCP is pxebond's own; without --renew the installer's stack must renew the lease.\n"
    "A second up while the state says a path is up is refused: down first.\n"
    "Exit: 0 a path works, 1 none did (NICs as they were), 2 usage, 3 failure (or up\n"
    "already), 4 nothing changed (--if-lacp and no LACP partner, or pxebond=off).\n";

static const char write_help[] =
    "Usage: pxebond write --root DIR [OPTIONS]\n"
    "\n"
    "Write the path up brought up (members by permanent MAC, mode, options, MAC, address)\n"
    "into the installed system at DIR, in its own network stack's format. Nothing is\n"
    "replaced without --force; all files or none. From /proc/cmdline: pxebond.final=,\n"
    "pxebond.format=, pxebond.ifaces=.\n"
    "\n"
    "      --root DIR         the installed system (the running one only as /)\n"
    "      --format FORMAT    auto (by what DIR has), nm, ifcfg, networkd, netplan,\n"
    "                         ifupdown or kickstart\n"
    "      --final-mode MODE  for ports without an LACP partner (those with one get\n"
    "                         802.3ad): auto, 802.3ad, active-backup, balance-alb, single\n"
    "      --state DIR        up's state (default /run/pxebond; when that has none, a\n"
    "                         passive probe decides; a named DIR without one: nothing)\n"
    "      --ifaces LIST      that probe's NICs\n"
    "      --static           the leased address, MTU and search list as static config\n"
    "      --bond NAME        the bond's name (default up's, or bond0)\n"
    "      --bond-opts K=V,...  bonding options by sysfs name, over up's\n"
    "      --dry-run          print each file; write nothing\n"
    "      --plan             what would be done, as 'WORD VALUE' lines (format, mode,\n"
    "                         needs, file, aside); write nothing\n"
    "      --force            replace files, keeping each as .NAME.pxebond-orig\n"
    "      --set-aside[=SYS]  move aside (as .NAME.pxebond-orig) other keyfiles and ifcfg\n"
    "                         files for the bond or its NICs that are pxebond's or copies\n"
    "                         of SYS's own (default /, an installer copied into DIR)\n"
    "      --without PKG      the target cannot have PKG (ifenslave): write what works\n"
    "                         without it\n"
    "      --output FILE      kickstart: the network line to FILE (no --root needed)\n"
    "      --cmdline FILE     pxebond.final=, .format=, .ifaces= from FILE\n"
    "      --initrd           for the initramfs' own stack, taking over up's bond\n"
    "  -v, --verbose          say more\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit: 0 written, 1 nothing to write (no path up), 2 usage, 3 nothing written (one\n"
    "line says why), 4 up found no LACP partner and left the network alone.\n";

static const char down_help[] =
    "Usage: pxebond down [--state DIR]\n"
    "\n"
    "Undo what up did, as its state says: stop the renewer, delete the bond (or take the\n"
    "lease's address and MTU off the NIC), put the NICs back up or down, remove the\n"
    "state. Addresses others added stay; no state, nothing to undo.\n"
    "Exit: 0 undone, 2 usage, 3 the state cannot be read.\n";

static const char status_help[] =
    "Usage: pxebond status [--state DIR] [--json | --get KEY]\n"
    "\n"
    "What up did: its state checked, as PXEBOND_KEY='VALUE' lines (shell reads it so:\n"
    "eval \"$(pxebond status)\"), state.json (-j), or one value (--get IP).\n"
    "Exit: 0 printed, 1 no state, 2 usage or no such KEY, 3 the state cannot be read.\n";

static const char cmdline_help[] =
    "Usage: pxebond cmdline [--cmdline FILE] [--all] KEY\n"
    "\n"
    "The value of the last KEY=VALUE (--all: each, a line each) of the kernel command line\n"
    "(or FILE), as pxebond reads it: quotes undone, nothing expanded.\n"
    "Exit: 0 printed, 1 no such KEY, 2 usage, 3 FILE cannot be read.\n";

static void set_verbose(int v)
{
	if (v)
		log_max_level = LOG_LEVEL_DEBUG;
}

static int probe_main(int argc, char **argv)
{
	static struct probe_result res;
	static struct plan pl;
	struct options o;
	int r = options_parse_probe(argc, argv, &o);

	if (r)
		return r;
	if (o.help)
		return fputs(probe_help, stdout), EXIT_OK;
	set_verbose(o.verbose);
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
	return pl.mode == BOND_MODE_NONE ? EXIT_NO_LINK : EXIT_OK;
}

static int up_main(int argc, char **argv)
{
	static struct up_config cfg;
	struct options o;
	int r = options_parse_up(argc, argv, &o, &cfg);

	if (r)
		return r;
	if (o.help)
		return fputs(up_help, stdout), EXIT_OK;
	set_verbose(o.verbose);
	return options_exit_code(up_run(&cfg));
}

static int write_main(int argc, char **argv)
{
	static struct write_config cfg;
	struct options o;
	int r = options_parse_write(argc, argv, &o, &cfg);

	if (r)
		return r;
	if (o.help)
		return fputs(write_help, stdout), EXIT_OK;
	set_verbose(o.verbose);
	return options_exit_code(write_run(&cfg));
}

static int down_main(int argc, char **argv)
{
	struct options o;
	int r = options_parse_down(argc, argv, &o);

	if (r)
		return r;
	if (o.help)
		return fputs(down_help, stdout), EXIT_OK;
	set_verbose(o.verbose);
	return down_run(o.state_dir) < 0 ? EXIT_FAILED : EXIT_OK;
}

static int status_main(int argc, char **argv)
{
	static struct state st;
	struct options o;
	char warn[1024], path[4096], v[2048];
	int r = options_parse_status(argc, argv, &o);
	size_t len = 0;

	if (r)
		return r;
	if (o.help)
		return fputs(status_help, stdout), EXIT_OK;
	set_verbose(o.verbose);
	r = state_read(o.state_dir, &st, warn, sizeof(warn));
	if (r == -ENOENT) {
		log_err("%s/state: no state: has 'pxebond up' run?", o.state_dir);
		return EXIT_NO_LINK;
	}
	if (r < 0) {
		log_err("%s", warn);
		return EXIT_FAILED;
	}
	log_warn_lines(warn);
	if (o.get) {
		if (state_get(&st, o.get, v, sizeof(v)) < 0) {
			char a[ESCAPE_SHOWN];

			fprintf(stderr,
				"pxebond status: no key '%s' in the state (see 'pxebond "
				"status')\n",
				escape_shown(o.get, a));
			return EXIT_USAGE;
		}
		printf("%s\n", v);
		return EXIT_OK;
	}
	if (o.json) {
		/* As up wrote it: it has the probe's report, which the sourceable form lacks. */
		if (!state_path(o.state_dir, "state.json", path, sizeof(path)))
			return EXIT_FAILED;
		FILE *f = fopen(path, "re");

		if (!f)
			return log_err_errno(-errno, "%s", path), EXIT_FAILED;
		while ((len = fread(v, 1, sizeof(v), f)) > 0)
			fwrite(v, 1, len, stdout);
		fclose(f);
		return EXIT_OK;
	}
	state_format_sh(stdout, &st);
	return EXIT_OK;
}

static void print_value(const char *value, void *data)
{
	(void)data;
	printf("%s\n", value);
}

static int cmdline_main(int argc, char **argv)
{
	static char text[65536];
	struct options o;
	int r = options_parse_cmdline(argc, argv, &o);

	if (r)
		return r;
	if (o.help)
		return fputs(cmdline_help, stdout), EXIT_OK;
	r = options_read_cmdline(o.cmdline, text, sizeof(text));
	if (r < 0) {
		char a[ESCAPE_SHOWN];

		log_err("%s: %s", escape_shown(o.cmdline, a),
			r == -EINVAL ? "not a regular file" : strerror(-r));
		return EXIT_FAILED;
	}
	return options_cmdline_value(text, o.key, o.all, print_value, NULL) ? EXIT_OK
									    : EXIT_NO_LINK;
}

static int version_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("pxebond %s\n", PXEBOND_VERSION);
	return EXIT_OK;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
	const char *what;
} commands[] = {
	{ "probe", probe_main, probe_help,
	  "find LACP partners and LLDP neighbours, decide the bond" },
	{ "up", up_main, up_help, "bring up the bond (or fallback) to the install server" },
	{ "down", down_main, down_help, "remove what 'up' made and restore the NICs" },
	{ "write", write_main, write_help, "write the bond for the installed system (--root DIR)" },
	{ "status", status_main, status_help, "print what 'up' did" },
	{ "cmdline", cmdline_main, cmdline_help, "print a value of the kernel command line" },
	{ "version", version_main, NULL, "print the version" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fputs("Usage: pxebond COMMAND [OPTIONS]\n\nCommands:\n", f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
	fputs("\n'pxebond help COMMAND' or 'pxebond COMMAND --help' for a command's options;\n"
	      "man pxebond for the rest.\n",
	      f);
}

/* Whatever a command printed must have reached stdout: a full disk or a closed pipe
 * is a failure, said once, here, for every command. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_err("cannot write to standard output: %s", strerror(errno ? errno : EIO));
		return rc == EXIT_OK ? EXIT_FAILED : rc;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct command *c;
	char a[ESCAPE_SHOWN];

	if (access("/etc/initrd-release", F_OK) == 0 || getenv("PXEBOND_KMSG"))
		log_open_kmsg();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		if (argc > 2 && !strcmp(argv[1], "help")) {
			c = find(argv[2]);
			if (!c || !c->help) {
				fprintf(stderr,
					"pxebond help: no command '%s' with options (see "
					"'pxebond --help')\n",
					escape_shown(argv[2], a));
				return EXIT_USAGE;
			}
			fputs(c->help, stdout);
			return finish(EXIT_OK);
		}
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (!strcmp(argv[1], "--version"))
		return finish(version_main(argc, argv));
	c = find(argv[1]);
	if (c)
		return finish(c->run(argc - 1, argv + 1));
	fprintf(stderr, "pxebond: unknown command '%s' (see 'pxebond --help')\n",
		escape_shown(argv[1], a));
	return EXIT_USAGE;
}
