/* The one place argv and the kernel command line are parsed, for every command. Wrong
 * values get one line naming the option and what it takes; on the kernel command line,
 * where nobody is there to read a usage error, a warning and the default. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "file.h"
#include "ifname.h"
#include "log.h"
#include "mac.h"
#include "names.h"
#include "options.h"

/* Every key pxebond or its boot glue reads from the kernel command line. */
static const char *const cmdline_keys[] = {
	"pxebond",
	"pxebond.ifaces",
	"pxebond.bond",
	"pxebond.opts",
	"pxebond.timeout",
	"pxebond.carrier_timeout",
	"pxebond.lacp_wait",
	"pxebond.check",
	"pxebond.final",
	"pxebond.format",
	"pxebond.ssh_key",
	"pxebond.authorized_key",
	NULL,
};

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

int options_exit_code(int r)
{
	return r == 0		   ? EXIT_OK
	       : r == -ENETUNREACH ? EXIT_NO_LINK
	       : r == -ENOLINK	   ? EXIT_NO_LACP
				   : EXIT_FAILED;
}

/* An argument as a message shows it: escaped, cut at 40 characters. */
static const char *arg(const char *s, char out[ESCAPE_SHOWN])
{
	char tmp[ESCAPE_SHOWN];

	escape_shown(s, tmp);
	snprintf(out, ESCAPE_SHOWN, "%.40s%s", tmp, strlen(tmp) > 40 ? "..." : "");
	return out;
}

__attribute__((format(printf, 2, 3))) static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pxebond %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'pxebond %s --help')\n", cmd);
	return EXIT_USAGE;
}

/* argv's options, taken as getopt_long would, without libc's (2 KB of getopt, its
 * permutation and multibyte handling): --name, --name=VALUE, --name VALUE (arg 1),
 * --name[=VALUE] (arg 2), clusters of one-letter flags (-vh), and "--" before operands.
 * Operands are gathered in order. */
struct opt {
	const char *name;
	char letter;
	unsigned char arg; /* 0 none, 1 required, 2 optional */
	int val;
};

#define MAX_OPERANDS 64

struct argv_it {
	int argc;
	char **argv;
	int i;
	const char *cluster; /* the rest of a -vh cluster */
	const char *value;   /* the current option's value */
	const char *bad;     /* the argument an error names */
	bool dashdash;	     /* after "--": operands only */
	int nops;
	char **ops;
};

static char *operands[MAX_OPERANDS];

static void it_start(struct argv_it *it, int argc, char **argv)
{
	*it = (struct argv_it){ .argc = argc, .argv = argv, .i = 1, .ops = operands };
}

/* The next option's val: 0 at the end, '?' an unknown option (or too many operands),
 * ':' a value missing; it->bad names the argument. */
static int next_opt(struct argv_it *it, const struct opt *opts)
{
	const char *a, *eq;
	size_t n;

	it->value = NULL;
	if (it->cluster && *it->cluster) {
		char c = *it->cluster++;

		for (const struct opt *o = opts; o->name; o++)
			if (o->letter == c)
				return o->val;
		return '?';
	}
	for (;;) {
		if (it->i >= it->argc)
			return 0;
		a = it->argv[it->i++];
		it->bad = a;
		if (!it->dashdash && !strcmp(a, "--")) {
			it->dashdash = true;
			continue;
		}
		if (!it->dashdash && a[0] == '-' && a[1])
			break;
		if (it->nops == MAX_OPERANDS)
			return '?';
		it->ops[it->nops++] = (char *)a;
	}
	if (a[1] != '-') {
		it->cluster = a + 1;
		return next_opt(it, opts);
	}
	eq = strchr(a + 2, '=');
	n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
	for (const struct opt *o = opts; o->name; o++) {
		if (strncmp(o->name, a + 2, n) || o->name[n])
			continue;
		if (eq && !o->arg)
			return '?';
		if (eq)
			it->value = eq + 1;
		else if (o->arg == 1 && it->i >= it->argc)
			return ':';
		else if (o->arg == 1)
			it->value = it->argv[it->i++];
		return o->val;
	}
	return '?';
}

/* next_opt's errors, said once for every command. */
static int bad_opt(const char *cmd, int c, const struct argv_it *it)
{
	char a[ESCAPE_SHOWN];

	if (c == ':')
		return usage_error(cmd, "%s needs a value", arg(it->bad, a));
	return usage_error(cmd, "unknown option '%s'", arg(it->bad, a));
}

/* ---- defaults ---- */

void options_probe_defaults(struct probe_config *pc, enum options_probe_use use)
{
	*pc = (struct probe_config){ .lldp_tx = true,
				     .withdraw = use == OPTIONS_PROBE,
				     .keep_up = use == OPTIONS_PROBE_UP,
				     .join_window = use == OPTIONS_PROBE_UP,
				     .passive = use == OPTIONS_PROBE_WRITE,
				     .carrier_timeout_ms = 5000,
				     .timeout_ms = 10000 };
	pc->lacp_wait_ms = probe_default_lacp_wait_ms(pc->passive);
}

void up_config_init(struct up_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = BOND_MODE_AUTO;
	snprintf(cfg->bond, sizeof(cfg->bond), "bond0");
	cfg->dhcp = true;
	cfg->resolv = true;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), OPTIONS_STATE_DIR);
	cfg->timeout_ms = 30000;
	options_probe_defaults(&cfg->probe, OPTIONS_PROBE_UP);
}

void write_config_init(struct write_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = "auto";
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), OPTIONS_STATE_DIR);
	options_probe_defaults(&cfg->probe, OPTIONS_PROBE_WRITE);
	cfg->pol.final = BOND_MODE_AUTO;
}

/* ---- values shared by argv and the kernel command line ---- */

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
		for (const char *c = t; *c; c++)
			if (*c < 0x21 || *c > 0x7e)
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

bool options_parse_bootif(const char *s, uint8_t mac[6])
{
	char t[18];
	size_t n = strlen(s);

	/* pxelinux and iPXE give the ARP hardware type first: 01 for Ethernet. */
	if (n == 20 && strncmp(s, "01-", 3) == 0)
		s += 3, n -= 3;
	if (n != 17 || (s[2] != '-' && s[2] != ':'))
		return false;
	for (size_t i = 0; i < 17; i++) {
		t[i] = s[i];
		if (i % 3 == 2) {
			if (s[i] != s[2])
				return false;
			t[i] = ':';
		}
	}
	t[17] = '\0';
	/* A NIC's address is unicast: "01-aa-bb-cc-dd-ee" is not one. */
	return mac_parse(t, mac) && !(mac[0] & 1);
}

static bool add_check(struct up_config *cfg, const char *url, char *why, size_t whylen)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(why, whylen, "only http and https URLs are checked");
		return false;
	}
	if (strlen(url) >= UP_URL_MAX || cfg->n_checks == UP_MAX_CHECKS) {
		snprintf(why, whylen, "too long, or more than %d checks", UP_MAX_CHECKS);
		return false;
	}
	for (int i = 0; i < cfg->n_checks; i++)
		if (strcmp(cfg->checks[i], url) == 0)
			return true;
	snprintf(cfg->checks[cfg->n_checks++], UP_URL_MAX, "%s", url);
	return true;
}

/* ---- the kernel command line ---- */

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

bool options_cmdline_value(const char *cmdline, const char *key, bool all,
			   void (*cb)(const char *value, void *data), void *data)
{
	static char word[4096], last[4096];
	size_t kl = strlen(key);
	bool found = false;

	for (const char *p = cmdline; (p = options_cmdline_word(p, word, sizeof(word)));) {
		if (strncmp(word, key, kl) || (word[kl] != '=' && word[kl] != '\0'))
			continue;
		found = true;
		snprintf(last, sizeof(last), "%s", word[kl] ? word + kl + 1 : "");
		if (all)
			cb(last, data);
	}
	if (found && !all)
		cb(last, data);
	return found;
}

int options_read_cmdline(const char *path, char *text, size_t cap)
{
	char *t = NULL;
	size_t n;
	int r = file_read(path, 1 << 16, true, &t, &n);

	text[0] = '\0';
	if (r < 0)
		return r;
	snprintf(text, cap, "%s", t);
	free(t);
	return 0;
}

/* Edit distance, for "did you mean": keys are short. */
static unsigned distance(const char *a, const char *b)
{
	unsigned row[48], n = (unsigned)strlen(b);

	if (n >= 48 || strlen(a) >= 48)
		return 99;
	for (unsigned j = 0; j <= n; j++)
		row[j] = j;
	for (const char *p = a; *p; p++) {
		unsigned diag = row[0];

		row[0]++;
		for (unsigned j = 1; j <= n; j++) {
			unsigned up = row[j], best = diag + (*p != b[j - 1]);

			best = up + 1 < best ? up + 1 : best;
			best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
			diag = up;
			row[j] = best;
		}
	}
	return row[n];
}

/* A pxebond key nobody reads: a typo, most likely, and the likeliest error at boot. */
static void check_key(const char *key, char *warn, size_t warnlen)
{
	const char *best = cmdline_keys[0];
	char a[ESCAPE_SHOWN];
	unsigned d = 99;

	if (strncmp(key, "pxebond", 7) ||
	    (key[7] && key[7] != '.' && key[7] != '_' && key[7] != '-'))
		return;
	for (int i = 0; cmdline_keys[i]; i++) {
		unsigned k = distance(key, cmdline_keys[i]);

		if (!k)
			return;
		if (k < d)
			d = k, best = cmdline_keys[i];
	}
	log_append(warn, warnlen, "%s: pxebond knows no such key (did you mean %s=?), ignored",
		   arg(key, a), best);
}

/* Calls each (key, value) of the command line's KEY=VALUE words; unknown pxebond keys
 * are warned about. */
static void each_setting(const char *cmdline, char *warn, size_t warnlen,
			 void (*fn)(void *cfg, const char *key, char *val, char *warn,
				    size_t warnlen),
			 void *cfg)
{
	static char word[1024];

	if (warnlen)
		warn[0] = '\0';
	for (const char *p = cmdline; (p = options_cmdline_word(p, word, sizeof(word)));) {
		char *v = strchr(word, '=');

		if (v)
			*v++ = '\0';
		check_key(word, warn, warnlen);
		if (v)
			fn(cfg, word, v, warn, warnlen);
	}
}

/* ---- settings: one value, from argv (--bond X) or the kernel command line
 * (pxebond.bond=X), applied by one function and refused with one wording ---- */

enum setting {
	S_MODE,
	S_BOND,
	S_OPTS,
	S_IFACES,
	S_TIMEOUT,
	S_CARRIER,
	S_LACP_WAIT,
	S_LLDP_WAIT,
	S_CHECK,
	S_BOOTIF,
	S_FINAL,
	S_FORMAT,
	_S_MAX,
};

static const struct {
	const char *key; /* on the kernel command line; NULL: argv only */
	const char *opt; /* in argv */
	const char *takes;
} settings[_S_MAX] = {
	[S_MODE] = { "pxebond", "--mode", "auto, 802.3ad, active-backup, single or off" },
	[S_BOND] = { "pxebond.bond", "--bond",
		     "an interface name of [A-Za-z0-9_.-], 1 to 15 long" },
	[S_OPTS] = { "pxebond.opts", "--bond-opts", "bond options" },
	[S_IFACES] = { "pxebond.ifaces", "--ifaces",
		       "interface names or globs, comma-separated (at most 16)" },
	[S_TIMEOUT] = { "pxebond.timeout", "--timeout", "seconds from 0.001 to 600" },
	[S_CARRIER] = { "pxebond.carrier_timeout", "--carrier-timeout", "seconds from 0 to 300" },
	[S_LACP_WAIT] = { "pxebond.lacp_wait", "--lacp-wait", "seconds from 0 to 120" },
	[S_LLDP_WAIT] = { NULL, "--lldp-wait", "seconds from 0 to 300" },
	[S_CHECK] = { "pxebond.check", "--check", "an http:// or https:// URL" },
	[S_BOOTIF] = { "BOOTIF", "--bootif", "a MAC address" },
	[S_FINAL] = { "pxebond.final", "--final-mode",
		      "auto, 802.3ad, active-backup, balance-alb or single" },
	[S_FORMAT] = { "pxebond.format", "--format",
		       "auto, nm, ifcfg, networkd, netplan, ifupdown or kickstart" },
};

static bool seconds_into(const char *v, double max_s, bool positive, int *ms)
{
	int x;

	if (!options_parse_seconds(v, max_s, &x) || (positive && !x))
		return false;
	*ms = x;
	return true;
}

/* The probe's seconds. */
static bool apply_probe(struct probe_config *pc, enum setting s, const char *v)
{
	switch (s) {
	case S_CARRIER:
		return seconds_into(v, 300, false, &pc->carrier_timeout_ms);
	case S_LACP_WAIT:
		return seconds_into(v, 120, false, &pc->lacp_wait_ms);
	case S_LLDP_WAIT:
		return seconds_into(v, 300, false, &pc->lldp_wait_ms);
	case S_TIMEOUT:
		return seconds_into(v, 600, true, &pc->timeout_ms);
	default:
		return false;
	}
}

/* Setting s of `up` to v; false (cfg unchanged, *why set when the reason is not the
 * table's) if v is not what it takes. */
static bool apply_up(struct up_config *cfg, enum setting s, const char *v, char *why, size_t whylen)
{
	enum bond_mode m;

	switch (s) {
	case S_MODE:
		m = bond_mode_from_string(v, BOND_MODES_UP);
		if (m != _BOND_MODE_INVALID)
			cfg->mode = m;
		return m != _BOND_MODE_INVALID;
	case S_BOND:
		if (!names_ifname_safe(v))
			return false;
		snprintf(cfg->bond, sizeof(cfg->bond), "%s", v);
		return true;
	case S_OPTS:
		return bond_opts_parse(&cfg->opts, v, why, whylen) == 0;
	case S_IFACES:
		return options_set_ifaces(&cfg->probe, &cfg->ifaces, v);
	case S_TIMEOUT:
		return seconds_into(v, 600, true, &cfg->timeout_ms);
	case S_CHECK:
		return add_check(cfg, v, why, whylen);
	case S_BOOTIF:
		cfg->has_bootif = options_parse_bootif(v, cfg->bootif);
		return cfg->has_bootif;
	default:
		return apply_probe(&cfg->probe, s, v);
	}
}

static bool format_valid(const char *s)
{
	return !strcmp(s, "auto") || emit_format_find(s);
}

static bool apply_write(struct write_config *cfg, enum setting s, const char *v)
{
	enum bond_mode m;

	switch (s) {
	case S_FINAL:
		m = bond_mode_from_string(v, BOND_MODES_FINAL);
		if (m != _BOND_MODE_INVALID)
			cfg->pol.final = m;
		return m != _BOND_MODE_INVALID;
	case S_FORMAT:
		if (!format_valid(v))
			return false;
		cfg->format = emit_format_find(v) ? emit_format_find(v)->name : "auto";
		return true;
	case S_IFACES:
		return options_set_ifaces(&cfg->probe, &cfg->ifaces, v);
	default:
		return false;
	}
}

/* On the kernel command line: one warning, the default kept. */
static void cmdline_bad(enum setting s, const char *v, const char *why, char *warn, size_t warnlen)
{
	char a[ESCAPE_SHOWN];

	if (why && why[0])
		log_append(warn, warnlen, "%s=%s: %s; ignored", settings[s].key, arg(v, a), why);
	else
		log_append(warn, warnlen, "%s=%s: not %s; ignored", settings[s].key, arg(v, a),
			   settings[s].takes);
}

/* In argv: one usage error. */
static int argv_bad(const char *cmd, enum setting s, const char *v, const char *why)
{
	char a[ESCAPE_SHOWN];

	if (why && why[0])
		return usage_error(cmd, "%s: %s", settings[s].opt, why);
	return usage_error(cmd, "%s takes %s, not '%s'", settings[s].opt, settings[s].takes,
			   arg(v, a));
}

static int setting_of_key(const char *k)
{
	for (int s = 0; s < _S_MAX; s++)
		if (settings[s].key && !strcmp(settings[s].key, k))
			return s;
	return -1;
}

static void up_setting(void *c, const char *k, char *v, char *warn, size_t warnlen)
{
	struct up_config *cfg = c;
	int s = setting_of_key(k);
	char why[160] = "";

	/* dracut's live image, the Debian installer's preseed, Anaconda's kickstart and
	 * repository, live-boot's medium: files on the install server, fetched over the
	 * path up brings up */
	if (!strcmp(k, "root") && !strncmp(v, "live:http", 9))
		v += 5;
	if ((!strcmp(k, "root") || !strcmp(k, "url") || !strcmp(k, "preseed/url") ||
	     !strcmp(k, "inst.ks") || !strcmp(k, "ks") || !strcmp(k, "inst.repo") ||
	     !strcmp(k, "fetch") || !strcmp(k, "httpfs")) &&
	    (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)))
		s = S_CHECK;
	if (s < 0 || s == S_FINAL || s == S_FORMAT)
		return;
	if (!apply_up(cfg, (enum setting)s, v, why, sizeof(why))) {
		cmdline_bad((enum setting)s, v, why, warn, warnlen);
		if (s == S_IFACES)
			cfg->probe.patterns = NULL, cfg->probe.n_patterns = 0;
	}
}

void up_config_from_cmdline(struct up_config *cfg, const char *cmdline, char *warn, size_t warnlen)
{
	each_setting(cmdline, warn, warnlen, up_setting, cfg);
}

static void write_setting(void *c, const char *k, char *v, char *warn, size_t warnlen)
{
	int s = setting_of_key(k);

	if ((s == S_FINAL || s == S_FORMAT || s == S_IFACES) && !apply_write(c, (enum setting)s, v))
		cmdline_bad((enum setting)s, v, NULL, warn, warnlen);
}

void write_config_from_cmdline(struct write_config *cfg, const char *cmdline, char *warn,
			       size_t warnlen)
{
	each_setting(cmdline, warn, warnlen, write_setting, cfg);
}

/* --cmdline FILE (or /proc/cmdline) into text; a FILE that cannot be read is a usage
 * error, /proc/cmdline that cannot (a container) is no command line. */
static int read_cmdline_arg(const char *cmd, const char *path, bool given, char *text, size_t cap)
{
	char a[ESCAPE_SHOWN];
	int r = options_read_cmdline(path, text, cap);

	if (r < 0 && given)
		return usage_error(cmd, "--cmdline: cannot read '%s': %s", arg(path, a),
				   r == -EINVAL ? "not a regular file" : strerror(-r));
	return 0;
}

/* Where --cmdline points, if anywhere, before the options are read (its settings go
 * first). */
static const char *find_cmdline_arg(int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--cmdline=", 10))
			path = argv[i] + 10;
	}
	return path;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int state_dir_arg(const char *cmd, const char *v, char *out, size_t cap)
{
	char a[ESCAPE_SHOWN];

	if (!*v || strlen(v) >= cap)
		return usage_error(cmd,
				   "--state takes a directory (%zu characters at most), not "
				   "'%s'",
				   cap - 1, arg(v, a));
	snprintf(out, cap, "%s", v);
	return 0;
}

/* ---- probe, up, write ---- */

/* Option values: a setting's is OPT_SETTING + its enum; the rest their own. */
enum {
	OPT_SETTING = 0x100,
	OPT_PASSIVE = OPT_SETTING + _S_MAX,
	OPT_NO_LLDP_TX,
	OPT_KEEP_UP,
	OPT_NO_WITHDRAW,
	OPT_DHCP,
	OPT_NO_DHCP,
	OPT_STATE,
	OPT_NO_RESOLV,
	OPT_CMDLINE,
	OPT_IF_LACP,
	OPT_RENEW,
	OPT_TABLE,
	OPT_ROOT,
	OPT_STATIC,
	OPT_DRY_RUN,
	OPT_FORCE,
	OPT_OUTPUT,
	OPT_INITRD,
	OPT_PLAN,
	OPT_SET_ASIDE,
	OPT_WITHOUT,
	OPT_GET,
	OPT_ALL,
};
#define SET(name, s)                                                                               \
	{                                                                                          \
		name, 0, 1, OPT_SETTING + (s)                                                      \
	}
/* the setting of option value c, or -1 */
#define SETTING_OF(c) ((c) >= OPT_SETTING && (c) < OPT_SETTING + _S_MAX ? (c)-OPT_SETTING : -1)

int options_parse_probe(int argc, char **argv, struct options *ret)
{
	static const struct opt opts[] = {
		{ "json", 'j', 0, 'j' },
		{ "passive", 0, 0, OPT_PASSIVE },
		{ "no-lldp-tx", 0, 0, OPT_NO_LLDP_TX },
		SET("lldp-wait", S_LLDP_WAIT),
		SET("lacp-wait", S_LACP_WAIT),
		SET("timeout", S_TIMEOUT),
		SET("carrier-timeout", S_CARRIER),
		{ "keep-up", 0, 0, OPT_KEEP_UP },
		{ "no-withdraw", 0, 0, OPT_NO_WITHDRAW },
		{ "verbose", 'v', 0, 'v' },
		{ "help", 'h', 0, 'h' },
		{ 0 },
	};
	struct argv_it it;
	struct options o = { 0 };
	bool lacp_wait_given = false;
	char a[ESCAPE_SHOWN];
	int c, s;

	options_probe_defaults(&o.probe, OPTIONS_PROBE);
	it_start(&it, argc, argv);
	while ((c = next_opt(&it, opts))) {
		if ((s = SETTING_OF(c)) >= 0) {
			if (!apply_probe(&o.probe, (enum setting)s, it.value))
				return argv_bad("probe", (enum setting)s, it.value, NULL);
			lacp_wait_given = lacp_wait_given || s == S_LACP_WAIT;
			continue;
		}
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
		default:
			return bad_opt("probe", c, &it);
		}
	}
	if (!lacp_wait_given)
		o.probe.lacp_wait_ms = probe_default_lacp_wait_ms(o.probe.passive);
	for (int i = 0; i < it.nops; i++)
		if (!it.ops[i][0] || strlen(it.ops[i]) >= IF_NAMESIZE + 8 || strchr(it.ops[i], '/'))
			return usage_error("probe", "'%s' is not an interface name or glob",
					   arg(it.ops[i], a));
	o.probe.patterns = it.ops;
	o.probe.n_patterns = it.nops;
	*ret = o;
	return 0;
}

int options_parse_up(int argc, char **argv, struct options *ret, struct up_config *cfg)
{
	static const struct opt opts[] = {
		SET("mode", S_MODE),
		SET("bond", S_BOND),
		SET("bond-opts", S_OPTS),
		SET("ifaces", S_IFACES),
		{ "dhcp", 0, 0, OPT_DHCP },
		{ "no-dhcp", 0, 0, OPT_NO_DHCP },
		SET("check", S_CHECK),
		{ "state", 0, 1, OPT_STATE },
		SET("timeout", S_TIMEOUT),
		{ "no-resolv", 0, 0, OPT_NO_RESOLV },
		{ "cmdline", 0, 1, OPT_CMDLINE },
		SET("bootif", S_BOOTIF),
		SET("carrier-timeout", S_CARRIER),
		SET("lacp-wait", S_LACP_WAIT),
		{ "if-lacp", 0, 0, OPT_IF_LACP },
		{ "renew", 0, 0, OPT_RENEW },
		{ "table", 0, 0, OPT_TABLE },
		{ "verbose", 'v', 0, 'v' },
		{ "help", 'h', 0, 'h' },
		{ 0 },
	};
	struct argv_it it;
	struct options o = { 0 };
	const char *cmdline = find_cmdline_arg(argc, argv);
	bool given = cmdline != NULL, read_kernel = true;
	char why[160], warn[2048], a[ESCAPE_SHOWN];
	static char text[65536];
	int c, rc, s;

	up_config_init(cfg);
	if (wants_help(argc, argv)) {
		ret->help = true;
		return 0;
	}
	/* Only -v, --if-lacp, --renew, --table and --cmdline (how to act, not what to make)
	 * leave the kernel's settings in force; any other option replaces them. */
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i];

		if (!strcmp(p, "--cmdline")) {
			i++;
			continue;
		}
		if (strcmp(p, "-v") && strcmp(p, "--verbose") && strcmp(p, "--if-lacp") &&
		    strcmp(p, "--renew") && strcmp(p, "--table") && strncmp(p, "--cmdline=", 10))
			read_kernel = given;
	}
	if (read_kernel) {
		rc = read_cmdline_arg("up", given ? cmdline : OPTIONS_CMDLINE, given, text,
				      sizeof(text));
		if (rc)
			return rc;
		up_config_from_cmdline(cfg, text, warn, sizeof(warn));
		log_warn_lines(warn);
	}
	it_start(&it, argc, argv);
	while ((c = next_opt(&it, opts))) {
		if ((s = SETTING_OF(c)) >= 0) {
			why[0] = '\0';
			if (!apply_up(cfg, (enum setting)s, it.value, why, sizeof(why)))
				return argv_bad("up", (enum setting)s, it.value, why);
			continue;
		}
		switch (c) {
		case 'v':
			o.verbose++;
			break;
		case 'h':
			o.help = true;
			break;
		case OPT_DHCP:
			cfg->dhcp = true;
			break;
		case OPT_NO_DHCP:
			cfg->dhcp = false;
			break;
		case OPT_STATE:
			rc = state_dir_arg("up", it.value, cfg->state_dir, sizeof(cfg->state_dir));
			if (rc)
				return rc;
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
		default:
			return bad_opt("up", c, &it);
		}
	}
	if (o.help) {
		*ret = o;
		return 0;
	}
	if (it.nops)
		return usage_error("up", "unexpected argument '%s' (NICs go in --ifaces)",
				   arg(it.ops[0], a));
	*ret = o;
	return 0;
}

int options_parse_write(int argc, char **argv, struct options *ret, struct write_config *cfg)
{
	static const struct opt opts[] = {
		{ "root", 0, 1, OPT_ROOT },
		SET("format", S_FORMAT),
		SET("final-mode", S_FINAL),
		{ "state", 0, 1, OPT_STATE },
		{ "static", 0, 0, OPT_STATIC },
		SET("bond", S_BOND),
		SET("bond-opts", S_OPTS),
		{ "dry-run", 0, 0, OPT_DRY_RUN },
		{ "plan", 0, 0, OPT_PLAN },
		{ "force", 0, 0, OPT_FORCE },
		{ "set-aside", 0, 2, OPT_SET_ASIDE },
		{ "without", 0, 1, OPT_WITHOUT },
		{ "output", 0, 1, OPT_OUTPUT },
		{ "cmdline", 0, 1, OPT_CMDLINE },
		SET("ifaces", S_IFACES),
		{ "initrd", 0, 0, OPT_INITRD },
		{ "verbose", 'v', 0, 'v' },
		{ "help", 'h', 0, 'h' },
		{ 0 },
	};
	struct argv_it it;
	struct options o = { 0 };
	const char *cmdline = find_cmdline_arg(argc, argv);
	char why[160], warn[2048], a[ESCAPE_SHOWN];
	static char text[65536];
	int c, rc;

	write_config_init(cfg);
	if (wants_help(argc, argv)) {
		ret->help = true;
		return 0;
	}
	/* The kernel's settings first, so that options given here override them. */
	rc = read_cmdline_arg("write", cmdline ? cmdline : OPTIONS_CMDLINE, cmdline != NULL, text,
			      sizeof(text));
	if (rc)
		return rc;
	write_config_from_cmdline(cfg, text, warn, sizeof(warn));
	log_warn_lines(warn);

	it_start(&it, argc, argv);
	while ((c = next_opt(&it, opts))) {
		why[0] = '\0';
		switch (SETTING_OF(c)) {
		case S_BOND:
			if (!names_ifname_safe(it.value))
				return argv_bad("write", S_BOND, it.value, NULL);
			snprintf(cfg->pol.bond, sizeof(cfg->pol.bond), "%s", it.value);
			continue;
		case S_OPTS:
			if (bond_opts_parse(&cfg->pol.opts, it.value, why, sizeof(why)) < 0 ||
			    (cfg->pol.opts.set[BOND_OPT_PRIMARY] &&
			     !names_ifname_safe(cfg->pol.opts.primary) &&
			     snprintf(why, sizeof(why), "primary: not a name pxebond writes")))
				return argv_bad("write", S_OPTS, it.value, why);
			continue;
		case S_FORMAT:
		case S_FINAL:
		case S_IFACES:
			if (!apply_write(cfg, (enum setting)SETTING_OF(c), it.value))
				return argv_bad("write", (enum setting)SETTING_OF(c), it.value,
						NULL);
			if (SETTING_OF(c) == S_FORMAT)
				cfg->format = it.value;
			cfg->ifaces_given = cfg->ifaces_given || SETTING_OF(c) == S_IFACES;
			continue;
		}
		switch (c) {
		case 'v':
			o.verbose++;
			break;
		case 'h':
			o.help = true;
			break;
		case OPT_ROOT:
			if (!*it.value)
				return usage_error("write", "--root: empty");
			cfg->root = it.value;
			break;
		case OPT_STATE:
			rc = state_dir_arg("write", it.value, cfg->state_dir,
					   sizeof(cfg->state_dir));
			if (rc)
				return rc;
			cfg->state_given = true;
			break;
		case OPT_STATIC:
			cfg->pol.is_static = true;
			break;
		case OPT_DRY_RUN:
			cfg->dry_run = true;
			break;
		case OPT_PLAN:
			cfg->plan = true;
			break;
		case OPT_FORCE:
			cfg->force = true;
			break;
		case OPT_SET_ASIDE:
			cfg->set_aside = true;
			cfg->copies_of = it.value && *it.value ? it.value : "/";
			break;
		case OPT_WITHOUT:
			if (strcmp(it.value, "ifenslave"))
				return usage_error("write",
						   "--without takes ifenslave (the one package a "
						   "format needs), not '%s'",
						   arg(it.value, a));
			cfg->without = it.value;
			break;
		case OPT_OUTPUT:
			cfg->output = it.value;
			break;
		case OPT_CMDLINE:
			break; /* read above */
		case OPT_INITRD:
			cfg->pol.initrd = true;
			break;
		default:
			return bad_opt("write", c, &it);
		}
	}
	if (o.help) {
		*ret = o;
		return 0;
	}
	if (it.nops)
		return usage_error("write", "unexpected argument '%s'", arg(it.ops[0], a));
	if (cfg->output && strcmp(cfg->format, "kickstart") != 0)
		return usage_error("write", "--output is for --format kickstart; the others write "
					    "under --root");
	if (!cfg->root && strcmp(cfg->format, "kickstart") != 0)
		return usage_error("write", "--root DIR is required: the installed system's root");
	if (cfg->plan && cfg->dry_run)
		return usage_error("write", "--plan and --dry-run: one or the other");
	*ret = o;
	return 0;
}

/* ---- down, status ---- */

static int parse_state_cmd(const char *cmd, int argc, char **argv, struct options *ret, bool status)
{
	static const struct opt opts[] = {
		{ "state", 0, 1, OPT_STATE }, { "json", 'j', 0, 'j' }, { "get", 0, 1, OPT_GET },
		{ "verbose", 'v', 0, 'v' },   { "help", 'h', 0, 'h' }, { 0 },
	};
	struct argv_it it;
	struct options o = { 0 };
	char a[ESCAPE_SHOWN];
	int c, rc;

	snprintf(o.state_dir, sizeof(o.state_dir), OPTIONS_STATE_DIR);
	it_start(&it, argc, argv);
	while ((c = next_opt(&it, opts))) {
		switch (c) {
		case 'h':
			o.help = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case OPT_STATE:
			rc = state_dir_arg(cmd, it.value, o.state_dir, sizeof(o.state_dir));
			if (rc)
				return rc;
			break;
		case 'j':
			if (!status)
				return bad_opt(cmd, '?', &it);
			o.json = true;
			break;
		case OPT_GET:
			if (!status)
				return bad_opt(cmd, '?', &it);
			o.get = it.value;
			break;
		default:
			return bad_opt(cmd, c, &it);
		}
	}
	if (it.nops)
		return usage_error(cmd, "unexpected argument '%s'", arg(it.ops[0], a));
	if (o.json && o.get)
		return usage_error(cmd, "--json and --get: one or the other");
	*ret = o;
	return 0;
}

int options_parse_down(int argc, char **argv, struct options *ret)
{
	return parse_state_cmd("down", argc, argv, ret, false);
}

int options_parse_status(int argc, char **argv, struct options *ret)
{
	return parse_state_cmd("status", argc, argv, ret, true);
}

/* ---- cmdline: a value of the kernel command line, for shell glue ---- */

int options_parse_cmdline(int argc, char **argv, struct options *ret)
{
	static const struct opt opts[] = {
		{ "cmdline", 0, 1, OPT_CMDLINE },
		{ "all", 0, 0, OPT_ALL },
		{ "help", 'h', 0, 'h' },
		{ 0 },
	};
	struct argv_it it;
	struct options o = { .cmdline = OPTIONS_CMDLINE };
	char a[ESCAPE_SHOWN];
	int c;

	it_start(&it, argc, argv);
	while ((c = next_opt(&it, opts))) {
		switch (c) {
		case 'h':
			o.help = true;
			break;
		case OPT_CMDLINE:
			o.cmdline = it.value;
			break;
		case OPT_ALL:
			o.all = true;
			break;
		default:
			return bad_opt("cmdline", c, &it);
		}
	}
	if (!o.help && it.nops != 1)
		return usage_error("cmdline", "takes one KEY");
	if (!o.help && (!it.ops[0][0] || strchr(it.ops[0], '=') || strpbrk(it.ops[0], " \t\n\"")))
		return usage_error("cmdline", "'%s' is not a key", arg(it.ops[0], a));
	o.key = o.help ? NULL : it.ops[0];
	*ret = o;
	return 0;
}
