/* `pxebond write --root DIR`: reads `up`'s state (or, without one, probes passively),
 * builds the model, picks the target's network stack, has its emitter render the files
 * and fsout write them all or none. The only part of `write` that does I/O. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "fsout.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "plan.h"
#include "probe.h"
#include "write.h"

#define STATE_MAX (64 * 1024)

const char write_help[] =
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
    "      --state DIR          up's state (default /run/pxebond; when it has none, a\n"
    "                           passive probe decides, DHCP only)\n"
    "      --ifaces LIST        that probe's NICs: names or globs, comma-separated\n"
    "                           (default: every physical Ethernet NIC)\n"
    "      --static             keep the leased address as static config (default DHCP)\n"
    "      --bond NAME          the bond's name (default up's, or bond0)\n"
    "      --bond-opts K=V,...  bonding options by their sysfs names, over up's\n"
    "      --dry-run            print each file with its path; write nothing\n"
    "      --force              replace existing files, keeping each old one as\n"
    "                           .NAME.pxebond-orig beside it\n"
    "      --output FILE        kickstart: the network line to FILE instead of stdout\n"
    "                           (--root is not needed for kickstart)\n"
    "      --cmdline FILE       read pxebond.final=, .format= and .ifaces= from FILE\n"
    "      --initrd             for the initramfs' own network stack, which takes over\n"
    "                           up's bond: its mode and LACP identity as they run\n"
    "  -v, --verbose            say more\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 written (or printed), 2 usage error, 3 nothing written (one line\n"
    "says why).\n";

struct write_args {
	const char *root;
	const char *format;
	const char *state_dir;
	bool state_given;
	struct probe_config probe; /* with no state */
	struct probe_ifaces ifaces;
	bool ifaces_given;
	bool dry_run, force, help;
	const char *output;
	int verbose;
	struct write_policy pol;
};

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pxebond write: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'pxebond write --help')\n", stderr);
	return WRITE_EXIT_USAGE;
}

static bool format_valid(const char *s)
{
	return !strcmp(s, "auto") || emit_format_find(s);
}

/* pxebond.final=, pxebond.format= and pxebond.ifaces= from a kernel command line; bad
 * values are warned about and ignored. */
static void from_cmdline(const char *path, struct write_args *a, bool required, int *ret)
{
	static char fmt[16];
	char text[4096], word[256];
	const char *p = text;

	*ret = 0;
	if (!options_read_cmdline(path, text, sizeof(text))) {
		if (required)
			*ret = usage_error("--cmdline: cannot read '%.60s'", path);
		return;
	}
	while ((p = options_cmdline_word(p, word, sizeof(word)))) {
		if (!strncmp(word, "pxebond.final=", 14)) {
			if (!model_final_parse(word + 14, &a->pol.final))
				log_warn("pxebond.final=%.40s: not auto, 802.3ad, active-backup, "
					 "balance-alb or single; using auto",
					 word + 14);
		} else if (!strncmp(word, "pxebond.format=", 15)) {
			if (format_valid(word + 15)) {
				snprintf(fmt, sizeof(fmt), "%.15s", word + 15);
				a->format = fmt;
			} else {
				log_warn("pxebond.format=%.40s: not a format pxebond writes; using "
					 "auto",
					 word + 15);
			}
		} else if (!strncmp(word, "pxebond.ifaces=", 15)) {
			if (!options_set_ifaces(&a->probe, &a->ifaces, word + 15))
				log_warn("pxebond.ifaces=%.40s: not interface names or globs, "
					 "comma-separated; using every physical NIC",
					 word + 15);
		}
	}
}

enum {
	OPT_ROOT = 0x300,
	OPT_FORMAT,
	OPT_FINAL,
	OPT_STATE,
	OPT_STATIC,
	OPT_BOND,
	OPT_BOND_OPTS,
	OPT_DRY_RUN,
	OPT_FORCE,
	OPT_OUTPUT,
	OPT_CMDLINE,
	OPT_IFACES,
	OPT_INITRD,
};

static int parse_args(int argc, char **argv, struct write_args *a)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "final-mode", required_argument, NULL, OPT_FINAL },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "static", no_argument, NULL, OPT_STATIC },
		{ "bond", required_argument, NULL, OPT_BOND },
		{ "bond-opts", required_argument, NULL, OPT_BOND_OPTS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "ifaces", required_argument, NULL, OPT_IFACES },
		{ "initrd", no_argument, NULL, OPT_INITRD },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cmdline = "/proc/cmdline";
	bool cmdline_given = false;
	char err[160];
	int c, r;

	*a = (struct write_args){ .format = "auto",
				  .state_dir = "/run/pxebond",
				  /* listen only: the installer reached its server some other
				   * way, maybe over a port's LACP fallback that an LACPDU ends */
				  .probe = { .passive = true,
					     .lacp_wait_ms = -1, /* the passive default, 3 s */
					     .carrier_timeout_ms = 5000,
					     .timeout_ms = 10000 } };
	a->pol.final = MODEL_FINAL_AUTO;
	/* The kernel's settings first, so that options given here override them. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			a->help = true;
			return 0;
		}
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[i + 1], cmdline_given = true;
		else if (!strncmp(argv[i], "--cmdline=", 10))
			cmdline = argv[i] + 10, cmdline_given = true;
	}
	from_cmdline(cmdline, a, cmdline_given, &r);
	if (r)
		return r;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			a->verbose++;
			break;
		case 'h':
			a->help = true;
			break;
		case OPT_ROOT:
			a->root = optarg;
			break;
		case OPT_FORMAT:
			if (!format_valid(optarg))
				return usage_error(
				    "--format takes auto, nm, ifcfg, networkd, netplan, "
				    "ifupdown or kickstart, not '%.40s'",
				    optarg);
			a->format = optarg;
			break;
		case OPT_FINAL:
			if (!model_final_parse(optarg, &a->pol.final))
				return usage_error(
				    "--final-mode takes auto, 802.3ad, active-backup, "
				    "balance-alb or single, not '%.40s'",
				    optarg);
			break;
		case OPT_STATE:
			a->state_dir = optarg;
			a->state_given = true;
			break;
		case OPT_STATIC:
			a->pol.is_static = true;
			break;
		case OPT_BOND:
			if (!model_name_safe(optarg))
				return usage_error("--bond: '%.40s' is not an interface name of "
						   "[A-Za-z0-9_.-], 1 to 15 long",
						   optarg);
			snprintf(a->pol.bond, sizeof(a->pol.bond), "%s", optarg);
			break;
		case OPT_BOND_OPTS:
			if (bond_opts_parse(&a->pol.opts, optarg, err, sizeof(err)) < 0)
				return usage_error("--bond-opts: %s", err);
			if (a->pol.opts.set[BOND_OPT_PRIMARY] &&
			    !model_name_safe(a->pol.opts.primary))
				return usage_error(
				    "--bond-opts: primary: not a name pxebond writes");
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case OPT_FORCE:
			a->force = true;
			break;
		case OPT_OUTPUT:
			a->output = optarg;
			break;
		case OPT_CMDLINE:
			break; /* read above */
		case OPT_IFACES:
			if (!options_set_ifaces(&a->probe, &a->ifaces, optarg))
				return usage_error("--ifaces takes interface names or globs, "
						   "comma-separated (at most 16), not '%.40s'",
						   optarg);
			a->ifaces_given = true;
			break;
		case OPT_INITRD:
			a->pol.initrd = true;
			break;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (a->help)
		return 0;
	if (optind < argc)
		return usage_error("unexpected argument '%.40s'", argv[optind]);
	if (a->output && strcmp(a->format, "kickstart") != 0)
		return usage_error("--output is for --format kickstart; the others write under "
				   "--root");
	if (!a->root && strcmp(a->format, "kickstart") != 0)
		return usage_error("--root DIR is required: the installed system's root");
	if (a->root && !a->root[0])
		return usage_error("--root: empty");
	return 0;
}

/* Whether the state file says PXEBOND_RESULT='skipped'; leaves f at its start. */
static bool state_skipped(FILE *f)
{
	char line[128];
	bool skipped = false;

	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "PXEBOND_RESULT=", 15)) {
			skipped = !strcmp(line + 15, "'skipped'\n");
			break;
		}
	rewind(f);
	return skipped;
}

/* Reads DIR/state; a missing default state means a fresh passive probe. */
static int load_model(const struct write_args *a, struct model *m)
{
	static struct probe_result res;
	static struct plan pl;
	char path[512], err[2048];
	char *text;
	size_t n;
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/state", a->state_dir);
	f = fopen(path, "re");
	if (f && state_skipped(f)) {
		/* up left the installer's network alone: decide as if it had not run. */
		fclose(f);
		f = NULL;
		errno = ENOENT;
		if (!a->pol.initrd)
			log_info("%s: 'pxebond up' found no LACP partner and left the network to "
				 "the installer",
				 path);
	}
	if (!f && errno == ENOENT && a->pol.initrd) {
		log_err("%s: no bond from 'pxebond up' to hand on (--initrd)", path);
		return -ENOENT;
	}
	if (!f && errno == ENOENT && !a->state_given) {
		log_info("%s: no state (has 'pxebond up' run?); listening for LACP partners "
			 "instead (passive: nothing is sent)",
			 path);
		r = probe_run(&a->probe, &res);
		if (r < 0) {
			log_err_errno(r, "the probe failed; run 'pxebond up' first");
			return -EINVAL;
		}
		plan_decide(&res, &pl);
		r = model_from_probe(&res, &pl, &a->pol, m, err, sizeof(err));
	} else if (!f) {
		r = -errno;
		log_err_errno(r, "%s: cannot read%s", path,
			      r == -ENOENT ? " (has 'pxebond up' run?)" : "");
		return r;
	} else {
		if (a->ifaces_given)
			log_info("--ifaces is for the probe with no state; %s decides the members",
				 path);
		text = malloc(STATE_MAX + 1);
		if (!text) {
			fclose(f);
			return log_err_errno(-ENOMEM, "%s", path);
		}
		n = fread(text, 1, STATE_MAX, f);
		fclose(f);
		text[n] = '\0';
		r = model_from_state(text, &a->pol, m, err, sizeof(err));
		free(text);
	}
	if (r < 0) {
		log_err("%s", err);
		return r;
	}
	log_warn_lines(err);
	return 0;
}

struct stack {
	const char *format, *what;
	const char *paths[3]; /* any of these */
	const char *enabled;  /* and this, when set */
};

/* In the order they are preferred: netplan generates networkd's or NetworkManager's
 * files, so it goes first where it is installed. */
static const struct stack stacks[] = {
	{ "netplan", "netplan", { "usr/sbin/netplan", "etc/netplan" }, NULL },
	{ "nm",
	  "NetworkManager",
	  { "usr/sbin/NetworkManager", "usr/lib/systemd/system/NetworkManager.service",
	    "lib/systemd/system/NetworkManager.service" },
	  NULL },
	{ "networkd",
	  "systemd-networkd",
	  { "lib/systemd/systemd-networkd", "usr/lib/systemd/systemd-networkd" },
	  "etc/systemd/system/multi-user.target.wants/systemd-networkd.service" },
	{ "ifupdown", "ifupdown", { "sbin/ifup", "usr/sbin/ifup" }, "etc/network/interfaces" },
	{ "ifcfg", "network-scripts", { "etc/sysconfig/network-scripts" }, NULL },
};

/* Which of the stacks DIR has: the first path found, or NULL. */
static const char *stack_found(int rootfd, const struct stack *s, bool *ret_enabled)
{
	for (int i = 0; i < 3 && s->paths[i]; i++)
		if (fsout_exists(rootfd, s->paths[i])) {
			*ret_enabled = !s->enabled || fsout_exists(rootfd, s->enabled);
			return s->paths[i];
		}
	*ret_enabled = false;
	return NULL;
}

static const char *detect(int rootfd, const char *root)
{
	char found[512] = "";
	const char *choice = NULL;
	size_t o = 0;

	for (size_t i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++) {
		bool enabled;
		const char *p = stack_found(rootfd, &stacks[i], &enabled);

		if (!p)
			continue;
		o += (size_t)snprintf(found + o, o < sizeof(found) ? sizeof(found) - o : 0,
				      "%s%s (%s%s)", o ? ", " : "", stacks[i].what, p,
				      enabled ? "" : ", not enabled");
		if (enabled && !choice)
			choice = stacks[i].format;
	}
	if (!choice) {
		log_err("%s has no network stack pxebond writes for%s%s; choose one with --format",
			root, found[0] ? ": found only " : "", found);
		return NULL;
	}
	log_info("%s has %s: writing %s", root, found, choice);
	return choice;
}

/* Warnings about the target that the emitter, being pure, cannot see. */
static void target_warnings(int rootfd, const char *root, const char *format,
			    const struct emit_out *out)
{
	static const struct {
		const char *format, *dir, *suffix;
	} dirs[] = {
		{ "netplan", "etc/netplan", ".yaml" },
		{ "nm", "etc/NetworkManager/system-connections", "" },
		{ "networkd", "etc/systemd/network", ".network" },
		{ "ifcfg", "etc/sysconfig/network-scripts", "" },
	};
	char list[4096], others[512];

	for (size_t i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++) {
		bool enabled;

		if (strcmp(stacks[i].format, format) != 0)
			continue;
		if (!stack_found(rootfd, &stacks[i], &enabled))
			log_warn(
			    "%s does not have %s installed: the files are written, but nothing "
			    "reads them until it is",
			    root, stacks[i].what);
		else if (!enabled)
			log_warn(
			    "%s: %s is installed but not enabled (%s): nothing reads these files "
			    "until it is",
			    root, stacks[i].what, stacks[i].enabled);
	}
	if (!strcmp(format, "ifupdown") &&
	    !fsout_exists(rootfd, "etc/network/if-pre-up.d/ifenslave") &&
	    !fsout_exists(rootfd, "sbin/ifenslave") && !fsout_exists(rootfd, "usr/sbin/ifenslave"))
		log_warn("%s has no ifenslave: install it, or ifupdown cannot build the bond",
			 root);

	/* Other files in the same directory may configure the same NICs. */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t o = 0;

		if (strcmp(dirs[i].format, format) != 0 ||
		    fsout_list(rootfd, dirs[i].dir, list, sizeof(list)) < 0)
			continue;
		others[0] = '\0';
		for (char *save = NULL, *l = strtok_r(list, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			size_t ll = strlen(l), sl = strlen(dirs[i].suffix);
			bool ours = false;

			for (unsigned k = 0; k < out->n; k++) {
				const char *b = strrchr(out->file[k].path, '/');

				ours = ours || (b && !strcmp(b + 1, l));
			}
			if (ours || ll < sl || strcmp(l + ll - sl, dirs[i].suffix) != 0 ||
			    strstr(l, ".pxebond-orig"))
				continue;
			if (!strcmp(format, "ifcfg") &&
			    (strncmp(l, "ifcfg-", 6) || !strcmp(l, "ifcfg-lo")))
				continue;
			o += (size_t)snprintf(others + o,
					      o < sizeof(others) ? sizeof(others) - o : 0, "%s%s",
					      o ? ", " : "", l);
		}
		if (others[0])
			log_warn("%s/%s also has %s: if those configure these NICs, they are "
				 "configured twice",
				 root, dirs[i].dir, others);
	}
}

static void print_file(const char *root, const struct emit_file *f)
{
	size_t rl = strlen(root);

	printf("# %s%s%s (mode %04o)\n", root, rl && root[rl - 1] == '/' ? "" : "/", f->path,
	       f->mode);
	fwrite(f->text, 1, f->len, stdout);
	if (f->len && f->text[f->len - 1] != '\n')
		putchar('\n');
	putchar('\n');
}

static int put_files(int rootfd, const char *root, struct emit_out *out, bool force, bool dry_run)
{
	struct fsout_file files[EMIT_MAX_FILES];
	char err[1024], orig[1024];
	const char *sep = root[strlen(root) - 1] == '/' ? "" : "/";
	int r;

	for (unsigned i = 0; i < out->n; i++)
		files[i] = (struct fsout_file){ .path = out->file[i].path,
						.mode = out->file[i].mode,
						.data = out->file[i].text ? out->file[i].text : "",
						.len = out->file[i].len };
	if (dry_run) {
		for (unsigned i = 0; i < out->n; i++)
			print_file(root, &out->file[i]);
		if (fflush(stdout) != 0)
			return -EIO;
		r = fsout_check(rootfd, files, out->n, force, err, sizeof(err));
		if (r < 0)
			return log_err_errno(r, "%s%s%s: a real run would fail here", root, sep,
					     err);
		log_info("dry run: nothing written");
		return 0;
	}
	r = fsout_write(rootfd, files, out->n, force, err, sizeof(err));
	if (r < 0) {
		log_err("%s%s%s", root, sep, err);
		return r;
	}
	for (unsigned i = 0; i < out->n; i++) {
		fsout_orig_name(files[i].path, orig, sizeof(orig));
		if (files[i].kept_old)
			log_info("wrote %s%s%s (the old one is %s%s%s)", root, sep, files[i].path,
				 root, sep, orig);
		else if (files[i].replaced)
			log_info("wrote %s%s%s (an older original stays in %s%s%s)", root, sep,
				 files[i].path, root, sep, orig);
		else
			log_info("wrote %s%s%s", root, sep, files[i].path);
	}
	return 0;
}

/* kickstart: the network line to stdout, or atomically to --output. */
static int put_kickstart(const struct write_args *a, struct emit_out *out)
{
	const struct emit_file *f = &out->file[0];
	char dir[512], err[1024];
	const char *slash, *base;
	struct fsout_file file;
	int rootfd, r;

	if (!a->output || a->dry_run) {
		if (a->output)
			printf("# %s\n", a->output);
		fwrite(f->text, 1, f->len, stdout);
		return fflush(stdout) == 0 ? 0 : log_err_errno(-EIO, "stdout");
	}
	slash = strrchr(a->output, '/');
	base = slash ? slash + 1 : a->output;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == a->output)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - a->output), a->output);
	if (!base[0] || !fsout_path_valid(base))
		return log_err_errno(-EINVAL, "--output %s: not a file name", a->output);
	r = fsout_open_root(dir, &rootfd, err, sizeof(err));
	if (r < 0) {
		log_err("--output: %s", err);
		return r;
	}
	file = (struct fsout_file){ .path = base, .mode = 0644, .data = f->text, .len = f->len };
	r = fsout_write(rootfd, &file, 1, a->force, err, sizeof(err));
	close(rootfd);
	if (r < 0) {
		log_err("%s/%s", dir, err);
		return r;
	}
	log_info("wrote %s", a->output);
	return 0;
}

int write_main(int argc, char **argv)
{
	static struct write_args a;
	static struct model m;
	static struct emit_out out;
	const struct emit_format *fmt;
	const char *format, *why;
	char err[1024], *old = NULL;
	int rootfd = -1, r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r;
	if (a.help) {
		fputs(write_help, stdout);
		return WRITE_EXIT_OK;
	}
	if (a.verbose)
		log_max_level = LOG_LEVEL_DEBUG;
	memset(&out, 0, sizeof(out));

	if (a.root) {
		r = fsout_open_root(a.root, &rootfd, err, sizeof(err));
		if (r < 0) {
			log_err("--root %s", err);
			return WRITE_EXIT_FAILED;
		}
	}
	if (load_model(&a, &m) < 0)
		goto fail;
	format = a.format;
	if (!strcmp(format, "auto")) {
		format = detect(rootfd, a.root);
		if (!format)
			goto fail;
	}
	fmt = emit_format_find(format);
	log_info("%s: %s over %u member%s, %s", m.name, model_mode_name(m.mode), m.n_members,
		 m.n_members == 1 ? "" : "s", m.dhcp ? "DHCP" : "static address");
	r = fmt->emit(&m, &out);
	if (r == 0 && !strcmp(format, "ifupdown")) {
		r = fsout_read(rootfd, "etc/network/interfaces", 1 << 20, &old);
		if (r < 0 && r != -ENOENT) {
			log_err_errno(r, "%s/etc/network/interfaces: cannot read", a.root);
			goto fail;
		}
		r = emit_ifupdown_interfaces(&m, old, &out, &why);
		if (r == 0 && why && old && !a.force) {
			log_err(
			    "%s/etc/network/interfaces: %s; --force rewrites it (keeping the old "
			    "one as .interfaces.pxebond-orig)",
			    a.root, why);
			goto fail;
		}
		if (r == 0 && why)
			log_info("%s/etc/network/interfaces: %s, so it is %s", a.root, why,
				 old ? "rewritten" : "written");
	}
	if (r < 0) {
		log_err("%s", r == -EINVAL ? out.err : strerror(-r));
		goto fail;
	}
	log_warn_lines(out.warn);
	if (!strcmp(format, "kickstart")) {
		if (put_kickstart(&a, &out) < 0)
			goto fail;
	} else {
		/* --initrd writes into a staging directory, not a system */
		if (!a.pol.initrd)
			target_warnings(rootfd, a.root, format, &out);
		if (put_files(rootfd, a.root, &out, a.force, a.dry_run) < 0)
			goto fail;
	}
	free(old);
	emit_out_free(&out);
	if (rootfd >= 0)
		close(rootfd);
	return WRITE_EXIT_OK;
fail:
	free(old);
	emit_out_free(&out);
	if (rootfd >= 0)
		close(rootfd);
	return WRITE_EXIT_FAILED;
}
