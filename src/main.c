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

#define SECONDS_NOTE "SEC is seconds, to the millisecond: 5, 1.5 or 2s.\n"

static const char probe_help[] =
    "Usage: pxebond probe [OPTIONS] [IFACE|GLOB ...]\n"
    "\n"
    "Bring each NIC up, find its LACP partner (sending LACPDUs to wake passive or slow\n"
    "ports) and its LLDP neighbour, group the NICs by partner and say which bond they\n"
    "allow. With no IFACE, every physical Ethernet NIC that is not enslaved; an exact\n"
    "name picks any Ethernet link, a glob only unenslaved ones.\n"
    "\n"
    "  -j, --json               one JSON object on stdout instead of the table\n"
    "      --passive            only listen: send no LACPDU or LLDPDU\n"
    "      --no-lldp-tx         send no LLDPDU\n"
    "      --lldp-wait SEC      also wait up to SEC after carrier for LLDP (0-300,\n"
    "                           default 0)\n"
    "      --lacp-wait SEC      after carrier, wait this long before 'no LACP'\n"
    "                           (0-120, default 1.5, or 3 with --passive)\n"
    "      --carrier-timeout SEC  wait for carrier at most this long (0-300, default 5)\n"
    "      --timeout SEC        bound on the whole probe (0.001-600, default 10); a NIC\n"
    "                           it cuts off shows 'unknown', not 'none'\n"
    "      --keep-up            leave links up that were down before\n"
    "      --no-withdraw        do not end with a withdrawing LACPDU (for a bond\n"
    "                           brought up at once with the same identity)\n"
    "  -v, --verbose            say more on stderr\n"
    "  -h, --help               this text\n"
    "\n" SECONDS_NOTE
    "Sending LACPDUs ends a switch port's LACP fallback; when the probe stops, such a\n"
    "port may carry nothing for the LACP timeout plus the vendor's fallback timer.\n"
    "\n"
    "Exit status: 0 at least one NIC has carrier, 1 none has, 2 usage error, 3 failure.\n";

static const char up_help[] =
    "Usage: pxebond up [OPTIONS]\n"
    "\n"
    "Probe, then bring up the path to the install server: an 802.3ad bond where the\n"
    "ports speak LACP, else active-backup, else one NIC; each rung is torn down and the\n"
    "next tried if it does not aggregate, get a DHCP lease or reach the --check URLs.\n"
    "With no options, settings come from /proc/cmdline: pxebond=MODE, pxebond.ifaces=,\n"
    "pxebond.bond=, pxebond.opts=, pxebond.timeout=, pxebond.carrier_timeout=,\n"
    "pxebond.lacp_wait=, pxebond.check=, BOOTIF=, inst.ks=, inst.repo=; a pxebond key\n"
    "it does not know is warned about, with the nearest one it does.\n"
    "\n"
    "      --mode MODE          auto (default), 802.3ad, active-backup, single or off\n"
    "      --bond NAME          the bond's name (default bond0; [A-Za-z0-9_.-])\n"
    "      --bond-opts K=V,...  bonding options by their sysfs names, over the defaults\n"
    "                           miimon=100,lacp_rate=fast,xmit_hash_policy=layer3+4\n"
    "      --ifaces LIST        NICs (names or globs, comma-separated) instead of all\n"
    "      --dhcp, --no-dhcp    get an address by DHCP (default), or not\n"
    "      --no-resolv          do not write /etc/resolv.conf from the lease\n"
    "      --check URL          the install server must answer here (repeatable)\n"
    "      --state DIR          where the state goes (default /run/pxebond)\n"
    "      --timeout SEC        each rung's bound on aggregation and on DHCP\n"
    "                           (0.001-600, default 30)\n"
    "      --bootif MAC         the NIC PXE booted from (as BOOTIF=)\n"
    "      --cmdline FILE       read kernel-style settings from FILE first\n"
    "      --carrier-timeout SEC, --lacp-wait SEC   as for probe\n"
    "      --if-lacp            in auto mode, change nothing unless some NIC has an\n"
    "                           LACP partner (exit 4); how the boot hooks run up\n"
    "      --renew              keep the lease: a background process (pxebond-renew,\n"
    "                           its pid in the state, stopped by down) renews it\n"
    "      --table              print the probe's table on stdout, as probe does\n"
    "  -v, --verbose            say more\n"
    "  -h, --help               this text\n"
    "\n" SECONDS_NOTE
    "DHCP is pxebond's own: the address (living as long as the lease), default route,\n"
    "MTU and resolv.conf are set from the lease and pxebond exits. Without --renew\n"
    "nothing renews the lease: the installer's network stack must. A second up while\n"
    "the state says a path is up is refused: 'pxebond down' first.\n"
    "\n"
    "Exit status: 0 a path works, 1 none did (the NICs are as they were), 2 usage error,\n"
    "3 failure (or a path is up already), 4 nothing changed (--if-lacp and no LACP\n"
    "partner, or pxebond=off).\n";

static const char write_help[] =
    "Usage: pxebond write --root DIR [OPTIONS]\n"
    "\n"
    "Write the path that 'pxebond up' brought up (the bond's members by permanent MAC,\n"
    "its mode, options and MAC, and the address) into the installed system under DIR,\n"
    "in its own network stack's format, so that it comes up the same way after its\n"
    "first boot. Nothing is replaced without --force; all files are written or none.\n"
    "Also set from /proc/cmdline: pxebond.final=MODE, pxebond.format=FORMAT,\n"
    "pxebond.ifaces=LIST.\n"
    "\n"
    "      --root DIR           the installed system's root (the running one only as /)\n"
    "      --format FORMAT      auto (default: by what DIR has installed), nm, ifcfg,\n"
    "                           networkd, netplan, ifupdown or kickstart\n"
    "      --final-mode MODE    for ports where no LACP partner answered (those get\n"
    "                           802.3ad): auto (default: active-backup, or single for\n"
    "                           one NIC), 802.3ad, active-backup, balance-alb or single\n"
    "      --state DIR          up's state (default /run/pxebond; when the default has\n"
    "                           none, a passive probe decides, DHCP only; a --state\n"
    "                           DIR without one writes nothing)\n"
    "      --ifaces LIST        that probe's NICs: names or globs, comma-separated\n"
    "                           (default: every physical Ethernet NIC)\n"
    "      --static             keep the leased address as static config, with its\n"
    "                           MTU and search list (default DHCP)\n"
    "      --bond NAME          the bond's name (default up's, or bond0)\n"
    "      --bond-opts K=V,...  bonding options by their sysfs names, over up's\n"
    "      --dry-run            print each file with its path; write nothing\n"
    "      --plan               what would be done, one 'WORD VALUE' line each (format,\n"
    "                           mode, needs, file, aside); write nothing\n"
    "      --force              replace existing files, keeping each old one as\n"
    "                           .NAME.pxebond-orig beside it\n"
    "      --set-aside[=SYS]    other NetworkManager and ifcfg profiles for the bond or\n"
    "                           its NICs that pxebond wrote or that are copies of SYS's\n"
    "                           own (default /: an installer's, copied into DIR) are\n"
    "                           moved aside as .NAME.pxebond-orig, such copies replaced\n"
    "      --without PKG        the target cannot have PKG (ifenslave): write what\n"
    "                           works without it (ifupdown: the active NIC alone)\n"
    "      --output FILE        kickstart: the network line to FILE instead of stdout\n"
    "                           (--root is not needed for kickstart)\n"
    "      --cmdline FILE       read pxebond.final=, .format= and .ifaces= from FILE\n"
    "      --initrd             for the initramfs' own network stack, which takes over\n"
    "                           up's bond: its mode and LACP identity as they run\n"
    "  -v, --verbose            say more\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 written (or printed), 1 nothing to write (up brought no path up),\n"
    "2 usage error, 3 nothing written (one line says why), 4 up found no LACP partner\n"
    "and left the network to the installer.\n";

static const char down_help[] =
    "Usage: pxebond down [--state DIR]\n"
    "\n"
    "Undo what 'pxebond up' did, as its state records it: stop the lease renewer,\n"
    "delete the bond (or take the lease's address and MTU off the one NIC), put every\n"
    "probed NIC back up or down as it was, remove the state. Addresses others added\n"
    "stay. With no state there is nothing to undo.\n"
    "\n"
    "      --state DIR          up's state (default /run/pxebond)\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 undone (or nothing to undo), 2 usage error, 3 the state cannot be\n"
    "read.\n";

static const char status_help[] =
    "Usage: pxebond status [--state DIR] [--json | --get KEY]\n"
    "\n"
    "Print what 'pxebond up' did: its state, every value checked, as sourceable\n"
    "PXEBOND_KEY='VALUE' lines (the one way shell should read it: eval \"$(pxebond\n"
    "status)\"), or state.json, or one value.\n"
    "\n"
    "      --state DIR          up's state (default /run/pxebond)\n"
    "  -j, --json               state.json as up wrote it\n"
    "      --get KEY            one value: PXEBOND_IP, IP or ip\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 printed, 1 no state, 2 usage error (or no such KEY), 3 the state\n"
    "cannot be read (not a regular file, too big, another format version).\n";

static const char cmdline_help[] =
    "Usage: pxebond cmdline [--cmdline FILE] [--all] KEY\n"
    "\n"
    "Print the value of the last KEY=VALUE on the kernel command line, as pxebond reads\n"
    "it (double quotes group words and go; nothing is expanded): for boot scripts.\n"
    "\n"
    "      --cmdline FILE       read FILE instead of /proc/cmdline\n"
    "      --all                every value of KEY, one a line, in order\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 printed, 1 no such KEY, 2 usage error.\n";

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
	char warn[1024], path[4096], *text = NULL, v[2048];
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
	text = state_format_sh(&st, &len);
	if (!text)
		return log_err_errno(-ENOMEM, "status"), EXIT_FAILED;
	fwrite(text, 1, len, stdout);
	free(text);
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
