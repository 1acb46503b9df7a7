/* Command-line options of each subcommand, parsed into one struct. Wrong values get
 * one line naming the option and what it takes. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifname.h"
#include "log.h"
#include "options.h"
#include "up.h"

bool options_parse_seconds(const char *s, double max_s, int *ret_ms)
{
	/* Digits, an optional fraction to the millisecond, an optional 's'. Done by hand:
	 * strtod would bring 10 KB of float scanning into a 200 KB binary. */
	uint64_t ms = 0;
	const char *p = s;
	int frac = -1;

	if (!s || !*s || *s == '.')
		return false;
	for (; *p; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*p == 's' && p[1] == '\0' && p != s)
			break;
		if (*p < '0' || *p > '9')
			return false;
		if (frac >= 3)
			continue; /* below a millisecond: ignored */
		ms = ms * 10 + (uint64_t)(*p - '0');
		if (frac >= 0)
			frac++;
		if (ms > 1000000000)
			return false;
	}
	for (int f = frac < 0 ? 0 : frac; f < 3; f++)
		ms *= 10;
	if (frac == 0 || ms > (uint64_t)(max_s * 1000))
		return false;
	*ret_ms = (int)ms;
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
	if (o.probe.lacp_wait_ms < 0)
		o.probe.lacp_wait_ms = probe_default_lacp_wait_ms(o.probe.passive);
	for (int i = optind; i < argc; i++)
		if (!argv[i][0] || strlen(argv[i]) >= IF_NAMESIZE + 8 || strchr(argv[i], '/'))
			return usage_error("probe", "'%s' is not an interface name or glob",
					   argv[i]);
	o.probe.patterns = argv + optind;
	o.probe.n_patterns = argc - optind;
	*ret = o;
	return 0;
}

/* ---- `up`: defaults, the kernel command line, and its own arguments. ---- */

static const char *const up_modes[] = { "auto", "802.3ad", "active-backup", "single", "off" };

const char *up_mode_name(enum up_mode m)
{
	return (unsigned)m <= UP_OFF ? up_modes[m] : "?";
}

bool up_mode_parse(const char *s, enum up_mode *ret)
{
	for (unsigned i = 0; i <= UP_OFF; i++)
		if (strcmp(s, up_modes[i]) == 0) {
			*ret = (enum up_mode)i;
			return true;
		}
	if (strcmp(s, "lacp") == 0 || strcmp(s, "4") == 0) {
		*ret = UP_8023AD;
		return true;
	}
	return false;
}

void up_config_init(struct up_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = UP_AUTO;
	snprintf(cfg->bond, sizeof(cfg->bond), "bond0");
	bond_opts_set(&cfg->opts, BOND_OPT_MIIMON, 100);
	bond_opts_set(&cfg->opts, BOND_OPT_LACP_RATE, 1);
	bond_opts_set(&cfg->opts, BOND_OPT_XMIT_HASH_POLICY, 1); /* layer3+4 */
	cfg->dhcp = true;
	cfg->resolv = true;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "/run/pxebond");
	cfg->timeout_ms = 30000;
	cfg->probe = (struct probe_config){ .lldp_tx = true,
					    .keep_up = true,
					    .lacp_wait_ms = probe_default_lacp_wait_ms(false),
					    .carrier_timeout_ms = 5000,
					    .timeout_ms = 10000 };
}

bool options_set_ifaces(struct probe_config *pc, struct probe_ifaces *store, const char *list)
{
	const size_t max = sizeof(store->pattern) / sizeof(store->pattern[0]);
	struct probe_ifaces tmp; /* so that a bad list leaves STORE as it was */
	size_t n = strlen(list), k = 0;

	if (n == 0 || n >= sizeof(tmp.buf))
		return false;
	memcpy(tmp.buf, list, n + 1);
	for (char *save = NULL, *t = strtok_r(tmp.buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (k == max || strlen(t) >= IF_NAMESIZE + 8 || strchr(t, '/') || strchr(t, ' '))
			return false;
		tmp.pattern[k++] = t;
	}
	if (k == 0)
		return false;
	memcpy(store->buf, tmp.buf, sizeof(tmp.buf));
	for (size_t i = 0; i < k; i++)
		store->pattern[i] = store->buf + (tmp.pattern[i] - tmp.buf);
	pc->patterns = store->pattern;
	pc->n_patterns = (int)k;
	return true;
}

bool up_config_set_ifaces(struct up_config *cfg, const char *list)
{
	return options_set_ifaces(&cfg->probe, &cfg->ifaces, list);
}

bool up_parse_bootif(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char sep = 0;
	size_t n = strlen(s);

	/* pxelinux and iPXE give the ARP hardware type first: 01 for Ethernet. */
	if (n == 20 && strncmp(s, "01-", 3) == 0)
		s += 3, n -= 3;
	if (n != 17)
		return false;
	sep = s[2];
	if (sep != '-' && sep != ':')
		return false;
	for (int i = 0; i < 6; i++) {
		char hex[3] = { s[i * 3], s[i * 3 + 1], 0 }, *end;

		if (i < 5 && s[i * 3 + 2] != sep)
			return false;
		b[i] = (unsigned)strtoul(hex, &end, 16);
		if (*end || !isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]))
			return false;
		mac[i] = (uint8_t)b[i];
	}
	return !(mac[0] & 1); /* a NIC's address is unicast: "01-aa-bb-cc-dd-ee" is not one */
}

static void add_check(struct up_config *cfg, const char *url, char *warn, size_t warnlen)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		log_append(warn, warnlen, "%.60s: only http and https URLs are checked, skipped",
			   url);
		return;
	}
	if (strlen(url) >= UP_URL_MAX || cfg->n_checks == UP_MAX_CHECKS) {
		log_append(warn, warnlen, "%.60s: too long or too many checks, skipped", url);
		return;
	}
	for (int i = 0; i < cfg->n_checks; i++)
		if (strcmp(cfg->checks[i], url) == 0)
			return;
	snprintf(cfg->checks[cfg->n_checks++], UP_URL_MAX, "%s", url);
}

const char *options_cmdline_word(const char *p, char *out, size_t cap)
{
	size_t o = 0;
	bool quoted = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (o + 1 < cap)
			out[o++] = *p;
	}
	out[o] = '\0';
	return p;
}

bool options_read_cmdline(const char *path, char *text, size_t cap)
{
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(text, 1, cap - 1, f) : 0;

	text[n] = '\0';
	if (!f)
		return false;
	fclose(f);
	return true;
}

void up_config_from_cmdline(struct up_config *cfg, const char *cmdline, char *warn, size_t warnlen)
{
	char word[512], err[160];
	const char *p = cmdline;

	if (warnlen)
		warn[0] = '\0';
	while ((p = options_cmdline_word(p, word, sizeof(word)))) {
		char *v = strchr(word, '=');
		int ms;

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(word, "pxebond")) {
			if (!up_mode_parse(v, &cfg->mode))
				log_append(
				    warn, warnlen,
				    "pxebond=%.40s: not auto, 802.3ad, active-backup, single or "
				    "off; using auto",
				    v);
		} else if (!strcmp(word, "pxebond.ifaces")) {
			if (!up_config_set_ifaces(cfg, v)) {
				log_append(
				    warn, warnlen,
				    "pxebond.ifaces=%.40s: not a list of interface names; using "
				    "all NICs",
				    v);
				cfg->probe.patterns = NULL;
				cfg->probe.n_patterns = 0;
			}
		} else if (!strcmp(word, "pxebond.bond")) {
			if (!*v || strlen(v) >= IF_NAMESIZE || strpbrk(v, "/: ") ||
			    !strcmp(v, ".") || !strcmp(v, ".."))
				log_append(warn, warnlen,
					   "pxebond.bond=%.40s: not an interface name; using %s", v,
					   cfg->bond);
			else
				snprintf(cfg->bond, sizeof(cfg->bond), "%s", v);
		} else if (!strcmp(word, "pxebond.opts")) {
			if (bond_opts_parse(&cfg->opts, v, err, sizeof(err)) < 0)
				log_append(warn, warnlen, "pxebond.opts: %s; using the defaults",
					   err);
		} else if (!strcmp(word, "pxebond.timeout")) {
			if (options_parse_seconds(v, 600, &ms) && ms > 0)
				cfg->timeout_ms = ms;
			else
				log_append(
				    warn, warnlen,
				    "pxebond.timeout=%.40s: not seconds from 0.001 to 600; using "
				    "%d",
				    v, cfg->timeout_ms / 1000);
		} else if (!strcmp(word, "pxebond.carrier_timeout")) {
			if (!options_parse_seconds(v, 300, &cfg->probe.carrier_timeout_ms))
				log_append(
				    warn, warnlen,
				    "pxebond.carrier_timeout=%.40s: not seconds from 0 to 300; "
				    "using %d",
				    v, cfg->probe.carrier_timeout_ms / 1000);
		} else if (!strcmp(word, "pxebond.lacp_wait")) {
			if (!options_parse_seconds(v, 120, &cfg->probe.lacp_wait_ms))
				log_append(
				    warn, warnlen,
				    "pxebond.lacp_wait=%.40s: not seconds from 0 to 120; using the "
				    "default",
				    v);
		} else if (!strcmp(word, "pxebond.check") || !strcmp(word, "inst.ks") ||
			   !strcmp(word, "ks") || !strcmp(word, "inst.repo")) {
			if (!strcmp(word, "pxebond.check") || !strncmp(v, "http", 4))
				add_check(cfg, v, warn, warnlen);
		} else if (!strcmp(word, "root") || !strcmp(word, "url") ||
			   !strcmp(word, "preseed/url")) {
			/* dracut's live image, the Debian installer's preseed: files on the
			 * install server, there to be fetched over the path up brings up */
			if (!strncmp(v, "live:http", 9))
				v += 5;
			if (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8))
				add_check(cfg, v, warn, warnlen);
		} else if (!strcmp(word, "BOOTIF")) {
			cfg->has_bootif = up_parse_bootif(v, cfg->bootif);
			if (!cfg->has_bootif)
				log_append(warn, warnlen,
					   "BOOTIF=%.40s: not a MAC address, ignored", v);
		}
	}
}

enum {
	OPT_MODE = 0x200,
	OPT_BOND,
	OPT_BOND_OPTS,
	OPT_IFACES,
	OPT_DHCP,
	OPT_NO_DHCP,
	OPT_CHECK,
	OPT_STATE,
	OPT_UP_TIMEOUT,
	OPT_NO_RESOLV,
	OPT_CMDLINE,
	OPT_BOOTIF,
	OPT_UP_CARRIER,
	OPT_UP_LACP_WAIT,
	OPT_IF_LACP,
	OPT_RENEW,
	OPT_TABLE,
};

int options_parse_up(int argc, char **argv, struct options *ret, struct up_config *cfg)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "bond", required_argument, NULL, OPT_BOND },
		{ "bond-opts", required_argument, NULL, OPT_BOND_OPTS },
		{ "ifaces", required_argument, NULL, OPT_IFACES },
		{ "dhcp", no_argument, NULL, OPT_DHCP },
		{ "no-dhcp", no_argument, NULL, OPT_NO_DHCP },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "timeout", required_argument, NULL, OPT_UP_TIMEOUT },
		{ "no-resolv", no_argument, NULL, OPT_NO_RESOLV },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "bootif", required_argument, NULL, OPT_BOOTIF },
		{ "carrier-timeout", required_argument, NULL, OPT_UP_CARRIER },
		{ "lacp-wait", required_argument, NULL, OPT_UP_LACP_WAIT },
		{ "if-lacp", no_argument, NULL, OPT_IF_LACP },
		{ "renew", no_argument, NULL, OPT_RENEW },
		{ "table", no_argument, NULL, OPT_TABLE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options o = { 0 };
	const char *cmdline_path = "/proc/cmdline";
	char err[160], warn[1024];
	int c, ms;

	up_config_init(cfg);
	/* The kernel's settings first, so that options given here override them. */
	/* Only -v, --if-lacp and --renew (how to act, not what to make) leave the kernel's
	 * settings in force; any other option replaces them. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-v") && strcmp(argv[i], "--verbose") &&
		    strcmp(argv[i], "--if-lacp") && strcmp(argv[i], "--renew") &&
		    strcmp(argv[i], "--table"))
			cmdline_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			cmdline_path = NULL;
		else if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline_path = argv[i + 1];
		else if (!strncmp(argv[i], "--cmdline=", 10))
			cmdline_path = argv[i] + 10;
	}
	if (cmdline_path) {
		char text[4096];

		if (!options_read_cmdline(cmdline_path, text, sizeof(text)) &&
		    strcmp(cmdline_path, "/proc/cmdline"))
			return usage_error("up", "--cmdline: cannot read '%.60s'", cmdline_path);
		up_config_from_cmdline(cfg, text, warn, sizeof(warn));
		log_warn_lines(warn);
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			o.verbose++;
			break;
		case 'h':
			o.help = true;
			break;
		case OPT_MODE:
			if (!up_mode_parse(optarg, &cfg->mode))
				return usage_error("up",
						   "--mode takes auto, 802.3ad, active-backup, "
						   "single or off, not '%.40s'",
						   optarg);
			break;
		case OPT_BOND:
			if (!ifname_valid(optarg))
				return usage_error(
				    "up", "--bond takes an interface name, not '%.40s'", optarg);
			snprintf(cfg->bond, sizeof(cfg->bond), "%s", optarg);
			break;
		case OPT_BOND_OPTS:
			if (bond_opts_parse(&cfg->opts, optarg, err, sizeof(err)) < 0)
				return usage_error("up", "--bond-opts: %s", err);
			break;
		case OPT_IFACES:
			if (!up_config_set_ifaces(cfg, optarg))
				return usage_error("up", "--ifaces takes NAME,NAME,... not '%.40s'",
						   optarg);
			break;
		case OPT_DHCP:
			cfg->dhcp = true;
			break;
		case OPT_NO_DHCP:
			cfg->dhcp = false;
			break;
		case OPT_CHECK:
			warn[0] = '\0';
			add_check(cfg, optarg, warn, sizeof(warn));
			if (warn[0])
				return usage_error("up", "--check: %s", warn);
			break;
		case OPT_STATE:
			if (!*optarg || strlen(optarg) >= sizeof(cfg->state_dir))
				return usage_error("up", "--state takes a directory, not '%.40s'",
						   optarg);
			snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s", optarg);
			break;
		case OPT_UP_TIMEOUT:
			if (!options_parse_seconds(optarg, 600, &ms) || !ms)
				return usage_error(
				    "up", "--timeout takes seconds from 0.001 to 600, not '%.40s'",
				    optarg);
			cfg->timeout_ms = ms;
			break;
		case OPT_NO_RESOLV:
			cfg->resolv = false;
			break;
		case OPT_CMDLINE: /* read above */
			break;
		case OPT_IF_LACP:
			cfg->if_lacp = true;
			break;
		case OPT_RENEW:
			cfg->renew = true;
			break;
		case OPT_TABLE:
			cfg->table = true;
			break;
		case OPT_BOOTIF:
			if (!up_parse_bootif(optarg, cfg->bootif))
				return usage_error(
				    "up", "--bootif takes a MAC address, not '%.40s'", optarg);
			cfg->has_bootif = true;
			break;
		case OPT_UP_CARRIER:
			if (!options_parse_seconds(optarg, 300, &cfg->probe.carrier_timeout_ms))
				return usage_error(
				    "up",
				    "--carrier-timeout takes seconds from 0 to 300, not '%.40s'",
				    optarg);
			break;
		case OPT_UP_LACP_WAIT:
			if (!options_parse_seconds(optarg, 120, &cfg->probe.lacp_wait_ms))
				return usage_error(
				    "up", "--lacp-wait takes seconds from 0 to 120, not '%.40s'",
				    optarg);
			break;
		case ':':
			return usage_error("up", "%s needs a value", argv[optind - 1]);
		default:
			return usage_error("up", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("up", "unexpected argument '%.40s' (NICs go in --ifaces)",
				   argv[optind]);
	*ret = o;
	return 0;
}
