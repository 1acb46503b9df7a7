/* options.c: every command's arguments and the kernel command line: values, bounds,
 * defaults, one-line errors, warnings for keys pxebond does not know. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void cmdline(void)
{
	struct up_config c;
	char warn[512];
	char v[64];

	up_config_init(&c);
	up_config_from_cmdline(&c,
			       "BOOT_IMAGE=/vmlinuz quiet pxebond=802.3ad pxebond.ifaces=eth0,eth1 "
			       "pxebond.bond=bond7 \"pxebond.opts=lacp_rate=slow miimon=200\" "
			       "pxebond.timeout=12 BOOTIF=01-52-54-00-12-34-56 "
			       "pxebond.carrier_timeout=20 pxebond.lacp_wait=2.5 "
			       "inst.ks=http://10.0.0.1/ks.cfg inst.repo=nfs:10.0.0.1:/repo "
			       "pxebond.check=http://10.0.0.1/\n",
			       warn, sizeof(warn));
	CHECK_STR(warn, "");
	CHECK(c.mode == BOND_MODE_8023AD && !strcmp(c.bond, "bond7"));
	CHECK(c.probe.n_patterns == 2 && !strcmp(c.probe.patterns[1], "eth1"));
	CHECK(c.opts.val[BOND_OPT_LACP_RATE] == 0 && c.opts.val[BOND_OPT_MIIMON] == 200);
	CHECK(
	    !c.opts
		 .set[BOND_OPT_XMIT_HASH_POLICY]); /* the user's only: defaults are the ladder's */
	CHECK(c.timeout_ms == 12000);
	CHECK(c.probe.carrier_timeout_ms == 20000 && c.probe.lacp_wait_ms == 2500);
	CHECK(c.has_bootif && c.bootif[0] == 0x52 && c.bootif[5] == 0x56);
	CHECK(c.n_checks == 2 && !strcmp(c.checks[0], "http://10.0.0.1/ks.cfg"));
	(void)v;
	/* files the installer will fetch: dracut's live root, d-i's preseed; not a root
	 * device, not d-i's bare host name */
	up_config_init(&c);
	up_config_from_cmdline(&c,
			       "root=live:http://10.0.0.1/root.squashfs url=http://10.0.0.1/p.cfg "
			       "root=/dev/sda1 url=installserver preseed/url=https://h/x.cfg "
			       "fetch=http://10.0.0.1/live/filesystem.squashfs\n",
			       warn, sizeof(warn));
	CHECK_STR(warn, "");
	CHECK(c.n_checks == 4 && !strcmp(c.checks[0], "http://10.0.0.1/root.squashfs") &&
	      !strcmp(c.checks[1], "http://10.0.0.1/p.cfg") &&
	      !strcmp(c.checks[2], "https://h/x.cfg") &&
	      !strcmp(c.checks[3], "http://10.0.0.1/live/filesystem.squashfs"));
}

/* Bad values: a warning each, and the safe default. */
static void cmdline_bad(void)
{
	struct up_config c;
	char warn[1024];

	up_config_init(&c);
	up_config_from_cmdline(
	    &c,
	    "pxebond=sometimes pxebond.bond=../../x pxebond.opts=lacp_rate=warp "
	    "pxebond.timeout=-3 BOOTIF=zz pxebond.check=ftp://x/ pxebond.ifaces=, "
	    "pxebond.carrier_timeout=forever pxebond.lacp_wait=999",
	    warn, sizeof(warn));
	CHECK(c.mode == BOND_MODE_AUTO && !strcmp(c.bond, "bond0"));
	CHECK(!c.opts.set[BOND_OPT_LACP_RATE] && c.timeout_ms == 30000);
	CHECK(!c.has_bootif && c.n_checks == 0 && c.probe.n_patterns == 0);
	CHECK(strstr(warn, "pxebond=sometimes: not auto") != NULL);
	CHECK(strstr(warn, "pxebond.bond=../../x: not an interface name of [A-Za-z0-9_.-], 1 "
			   "to 15 long; ignored") != NULL);
	CHECK(strstr(warn, "pxebond.opts=lacp_rate=warp: lacp_rate: 'warp' is not one of slow or "
			   "fast; ignored") != NULL);
	CHECK(strstr(warn, "pxebond.timeout=-3") != NULL);
	CHECK(strstr(warn, "BOOTIF=zz: not a MAC address") != NULL);
	CHECK(strstr(warn, "ftp://x/: only http and https") != NULL);
	CHECK(strstr(warn, "pxebond.ifaces=,") != NULL);
	CHECK(strstr(warn, "pxebond.carrier_timeout=forever: not seconds") != NULL);
	CHECK(c.probe.carrier_timeout_ms == 5000 && c.probe.lacp_wait_ms == 1500);
	CHECK(strstr(warn, "pxebond.lacp_wait=999: not seconds") != NULL);
	up_config_init(&c);
	up_config_from_cmdline(&c, "pxebond=off", warn, sizeof(warn));
	CHECK(c.mode == BOND_MODE_OFF);
}

static void bootif(void)
{
	uint8_t m[6];

	CHECK(options_parse_bootif("01-aa-bb-cc-dd-ee-ff", m) && m[0] == 0xaa && m[5] == 0xff);
	CHECK(options_parse_bootif("AA:BB:CC:DD:EE:0F", m) && m[5] == 0x0f);
	CHECK(!options_parse_bootif("01-aa-bb-cc-dd-ee", m));
	CHECK(!options_parse_bootif("aa-bb:cc-dd-ee-ff", m));
	CHECK(!options_parse_bootif("0x-aa-bb-cc-dd-ee-ff", m));
	CHECK(!options_parse_bootif("gg:bb:cc:dd:ee:ff", m));
}

static void ifaces(void)
{
	struct probe_config pc = { 0 };
	struct probe_ifaces st;

	CHECK(options_set_ifaces(&pc, &st, "eth0,en*"));
	CHECK(pc.n_patterns == 2 && !strcmp(pc.patterns[0], "eth0") &&
	      !strcmp(pc.patterns[1], "en*"));
	/* a bad list changes nothing, not even the storage behind the good one */
	CHECK(!options_set_ifaces(&pc, &st, "eth1,../x"));
	CHECK(!options_set_ifaces(&pc, &st, ","));
	CHECK(!options_set_ifaces(&pc, &st, ""));
	CHECK(!options_set_ifaces(&pc, &st, "a b"));
	CHECK(!options_set_ifaces(&pc, &st, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"));
	CHECK(!options_set_ifaces(&pc, &st, "0123456789abcdefghijklmnopqrstuvwxyz"));
	CHECK(pc.n_patterns == 2 && !strcmp(pc.patterns[0], "eth0") &&
	      !strcmp(pc.patterns[1], "en*"));
	CHECK(options_set_ifaces(&pc, &st, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p"));
	CHECK(pc.n_patterns == 16 && !strcmp(pc.patterns[15], "p"));
}

/* `up`'s DHCP switches: resolv.conf by default, --no-resolv; udhcpc's option is gone. */
static void dhcp_args(void)
{
	static struct up_config cfg;
	struct options o;
	char *plain[] = { (char *)"up", (char *)"--state", (char *)"/tmp/x", NULL };
	char *noresolv[] = { (char *)"up", (char *)"--no-resolv", NULL };
	char *nodhcp[] = { (char *)"up", (char *)"--no-dhcp", NULL };
	char *script[] = { (char *)"up", (char *)"--udhcpc-script", (char *)"/x", NULL };

	CHECK(options_parse_up(3, plain, &o, &cfg) == 0 && cfg.dhcp && cfg.resolv);
	CHECK(cfg.timeout_ms == 30000);
	CHECK(options_parse_up(2, noresolv, &o, &cfg) == 0 && cfg.dhcp && !cfg.resolv);
	CHECK(options_parse_up(2, nodhcp, &o, &cfg) == 0 && !cfg.dhcp && cfg.resolv);
	CHECK(options_parse_up(3, script, &o, &cfg) == EXIT_USAGE);
}

/* --if-lacp is how boot hooks call up: it keeps the kernel's settings (as -v does) and
 * goes with --cmdline. */
static void if_lacp_args(void)
{
	static struct up_config cfg;
	struct options o;
	char path[] = "/tmp/pxebond-unit-cmdline-XXXXXX";
	int fd = mkstemp(path);
	char *boot[] = { (char *)"up", (char *)"--if-lacp", (char *)"--cmdline", path, NULL };
	char *table[] = { (char *)"up", (char *)"--table", (char *)"--cmdline", path, NULL };
	char *plain[] = { (char *)"up", (char *)"--state", (char *)"/tmp/x", NULL };

	if (fd < 0 || write(fd, "quiet pxebond=active-backup\n", 28) != 28) {
		CHECK(!"mkstemp");
		return;
	}
	close(fd);
	CHECK(options_parse_up(4, boot, &o, &cfg) == 0 && cfg.if_lacp &&
	      cfg.mode == BOND_MODE_ACTIVE_BACKUP);
	CHECK(options_parse_up(3, plain, &o, &cfg) == 0 && !cfg.if_lacp && !cfg.table);
	/* --table (the rescue image's: the table without a second probe) likewise */
	CHECK(options_parse_up(4, table, &o, &cfg) == 0 && cfg.table && !cfg.if_lacp &&
	      cfg.mode == BOND_MODE_ACTIVE_BACKUP);
	unlink(path);
}

/* --renew is off unless asked for, and like --if-lacp keeps the kernel's settings. */
static void renew_args(void)
{
	static struct up_config cfg;
	struct options o;
	char path[] = "/tmp/pxebond-unit-cmdline-XXXXXX";
	int fd = mkstemp(path);
	char *boot[] = {
		(char *)"up", (char *)"--if-lacp", (char *)"--renew", (char *)"--cmdline", path,
		NULL
	};
	char *plain[] = { (char *)"up", (char *)"--state", (char *)"/tmp/x", NULL };

	if (fd < 0 || write(fd, "quiet pxebond=active-backup\n", 28) != 28) {
		CHECK(!"mkstemp");
		return;
	}
	close(fd);
	CHECK(options_parse_up(5, boot, &o, &cfg) == 0 && cfg.renew && cfg.if_lacp &&
	      cfg.mode == BOND_MODE_ACTIVE_BACKUP);
	CHECK(options_parse_up(3, plain, &o, &cfg) == 0 && !cfg.renew);
	unlink(path);
}

/* A typo on the kernel command line is the likeliest error at boot: named, with the
 * nearest key pxebond knows, never silently dropped. */
static void cmdline_keys(void)
{
	struct up_config c;
	struct write_config w;
	char warn[1024];

	up_config_init(&c);
	up_config_from_cmdline(&c,
			       "pxebond.timout=5 pxebond.iface=eth0 pxebond.lacp-wait=2 "
			       "pxebond.Bond=x pxebond.check pxebond=802.3ad pxebondx=1 "
			       "pxebond.ssh_key=http://h/k pxebond.authorized_key=k",
			       warn, sizeof(warn));
	CHECK(strstr(warn, "pxebond.timout: pxebond knows no such key (did you mean "
			   "pxebond.timeout=?), ignored") != NULL);
	CHECK(strstr(warn, "pxebond.iface: pxebond knows no such key (did you mean "
			   "pxebond.ifaces=?)") != NULL);
	CHECK(strstr(warn, "pxebond.lacp-wait: pxebond knows no such key (did you mean "
			   "pxebond.lacp_wait=?)") != NULL);
	CHECK(strstr(warn, "pxebond.Bond: pxebond knows no such key (did you mean "
			   "pxebond.bond=?)") != NULL);
	/* a bare key is a key too; other words are someone else's; known keys say nothing */
	CHECK(strstr(warn, "pxebond.check: pxebond knows no such key") == NULL);
	CHECK(strstr(warn, "pxebondx") == NULL && strstr(warn, "ssh_key") == NULL);
	CHECK(c.timeout_ms == 30000 && c.mode == BOND_MODE_8023AD);
	/* write reads the same command line the same way */
	write_config_init(&w);
	write_config_from_cmdline(&w, "pxebond.fromat=nm pxebond.final=single", warn, sizeof(warn));
	CHECK(strstr(warn, "pxebond.fromat: pxebond knows no such key (did you mean "
			   "pxebond.format=?)") != NULL);
	CHECK(w.pol.final == BOND_MODE_SINGLE && !strcmp(w.format, "auto"));
	/* a newline or escape in a word is shown escaped */
	up_config_init(&c);
	up_config_from_cmdline(&c, "pxebond.x\x1b[2J=1 pxebond=\x1b", warn, sizeof(warn));
	for (const char *p = warn; *p; p++)
		CHECK((*p >= 0x20 && *p < 0x7f) || *p == '\n');
}

static void collect(const char *value, void *data)
{
	char *out = data;

	strcat(out, "[");
	strcat(out, value);
	strcat(out, "]");
}

/* What `pxebond cmdline` prints: the kernel's quotes undone, nothing else touched. */
static void cmdline_values(void)
{
	static const char line[] = "BOOT_IMAGE=/vmlinuz pxebond=\"off\" k=\"a b\" k=* k "
				   "pxebond.authorized_key=ssh-ed25519%20AAAA x=\"y\"z\n";
	char out[256];

	out[0] = '\0';
	CHECK(options_cmdline_value(line, "pxebond", false, collect, out));
	CHECK_STR(out, "[off]");
	out[0] = '\0';
	CHECK(options_cmdline_value(line, "k", true, collect, out));
	CHECK_STR(out, "[a b][*][]");
	out[0] = '\0';
	CHECK(options_cmdline_value(line, "k", false, collect, out));
	CHECK_STR(out, "[]");
	out[0] = '\0';
	CHECK(options_cmdline_value(line, "x", false, collect, out));
	CHECK_STR(out, "[yz]");
	CHECK(!options_cmdline_value(line, "pxebond.bond", false, collect, out));
	CHECK(!options_cmdline_value(line, "BOOT", false, collect, out));
}

static int parse_argv(int (*fn)(int, char **, struct options *), struct options *o, ...)
{
	char *argv[8];
	int argc = 0;
	va_list ap;

	va_start(ap, o);
	while (argc < 7 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return fn(argc, argv, o);
}

/* down, status and cmdline: --help is help, every argument checked. */
static void state_commands(void)
{
	struct options o;

	CHECK(parse_argv(options_parse_down, &o, "down", "--help", NULL) == 0 && o.help);
	CHECK(parse_argv(options_parse_down, &o, "down", NULL) == 0 &&
	      !strcmp(o.state_dir, "/run/pxebond"));
	CHECK(parse_argv(options_parse_down, &o, "down", "--state", "/tmp/s", NULL) == 0 &&
	      !strcmp(o.state_dir, "/tmp/s"));
	CHECK(parse_argv(options_parse_down, &o, "down", "--json", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_down, &o, "down", "extra", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_status, &o, "status", "-h", NULL) == 0 && o.help);
	CHECK(parse_argv(options_parse_status, &o, "status", "--state", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_status, &o, "status", "--state", "", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_status, &o, "status", "--get", "IP", NULL) == 0 &&
	      !strcmp(o.get, "IP"));
	CHECK(parse_argv(options_parse_status, &o, "status", "--get", "IP", "-j", NULL) ==
	      EXIT_USAGE);
	CHECK(parse_argv(options_parse_cmdline, &o, "cmdline", "pxebond", NULL) == 0 &&
	      !strcmp(o.key, "pxebond") && !o.all);
	CHECK(parse_argv(options_parse_cmdline, &o, "cmdline", "--all", "k", NULL) == 0 && o.all);
	CHECK(parse_argv(options_parse_cmdline, &o, "cmdline", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_cmdline, &o, "cmdline", "a=b", NULL) == EXIT_USAGE);
	CHECK(parse_argv(options_parse_cmdline, &o, "cmdline", "a", "b", NULL) == EXIT_USAGE);
}

/* up --bond and pxebond.bond= take the same names write does: config-safe ones. */
static void bond_names(void)
{
	static struct up_config c;
	struct options o;
	char *bad[] = { (char *)"up", (char *)"--bond", (char *)"bond0;x", NULL };
	char *good[] = { (char *)"up", (char *)"--bond", (char *)"uplink.7", NULL };
	char warn[512];

	CHECK(options_parse_up(3, bad, &o, &c) == EXIT_USAGE);
	CHECK(options_parse_up(3, good, &o, &c) == 0 && !strcmp(c.bond, "uplink.7"));
	up_config_init(&c);
	up_config_from_cmdline(&c, "pxebond.bond=bond0;x", warn, sizeof(warn));
	CHECK(!strcmp(c.bond, "bond0") && strstr(warn, "pxebond.bond=bond0;x: not an interface"));
}

/* A --cmdline that is a directory (or a FIFO) is said, not read as empty. */
static void cmdline_files(void)
{
	static struct up_config c;
	struct options o;
	char *dir[] = { (char *)"up", (char *)"--cmdline", (char *)"/tmp", NULL };
	char *null[] = { (char *)"up", (char *)"--cmdline", (char *)"/dev/null", NULL };
	char text[64];

	CHECK(options_parse_up(3, dir, &o, &c) == EXIT_USAGE);
	CHECK(options_parse_up(3, null, &o, &c) == 0);
	CHECK(options_read_cmdline("/tmp", text, sizeof(text)) == -EISDIR);
	CHECK(options_exit_code(0) == EXIT_OK && options_exit_code(-ENETUNREACH) == EXIT_NO_LINK &&
	      options_exit_code(-ENOLINK) == EXIT_NO_LACP &&
	      options_exit_code(-EIO) == EXIT_FAILED);
}

const struct unit_test options_tests[] = {
	{ "options: seconds", seconds },
	{ "options: probe defaults and values", probe_defaults },
	{ "options: probe usage errors", probe_errors },
	{ "probe: interface lists", ifaces },
	{ "up: kernel command line", cmdline },
	{ "up: bad command line values warned, defaults kept", cmdline_bad },
	{ "up: BOOTIF forms", bootif },
	{ "up: --no-resolv, --no-dhcp; no --udhcpc-script", dhcp_args },
	{ "up: --if-lacp with the kernel's settings", if_lacp_args },
	{ "up: --renew, off by default", renew_args },
	{ "options: unknown kernel command line keys, with the nearest", cmdline_keys },
	{ "options: the values pxebond cmdline prints", cmdline_values },
	{ "options: down, status, cmdline arguments", state_commands },
	{ "options: bond names, the same everywhere", bond_names },
	{ "options: --cmdline files, exit codes", cmdline_files },
	{ 0 },
};
