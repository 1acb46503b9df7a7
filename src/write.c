/* `pxebond write --root DIR`: reads `up`'s state (or, without one, probes passively),
 * builds the model, picks the target's network stack, has its emitter render the files
 * and fsout write them all or none; with --set-aside, other profiles for the same NICs
 * are moved aside in the same step. The only part of `write` that does I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "fsout.h"
#include "log.h"
#include "model.h"
#include "plan.h"
#include "probe.h"
#include "profiles.h"
#include "state.h"
#include "write.h"

/* The model from up's state, or, when the default state dir has none, from a passive
 * probe. -ENOLINK / -ENETUNREACH: the state says there is nothing to write. */
static int load_model(const struct write_config *a, struct model *m)
{
	static struct probe_result res;
	static struct plan pl;
	static struct state st;
	char warn[2048], err[2048];
	int r = state_read(a->state_dir, &st, warn, sizeof(warn));

	if (r < 0 && r != -ENOENT) {
		log_err("%s", warn);
		return -EINVAL;
	}
	if (r == 0) {
		log_warn_lines(warn);
		if (st.result == STATE_SKIPPED && (a->state_given || a->pol.initrd)) {
			log_info("%s/state: 'pxebond up' found no LACP partner and left the "
				 "network to the installer: nothing to write",
				 a->state_dir);
			return -ENOLINK;
		}
		if (st.result == STATE_FAILED && (a->state_given || a->pol.initrd)) {
			log_info("%s/state: 'pxebond up' brought no path up: nothing to write",
				 a->state_dir);
			return -ENETUNREACH;
		}
		if (st.result == STATE_OK) {
			if (a->ifaces_given)
				log_info(
				    "--ifaces is for the probe with no state; %s/state decides "
				    "the members",
				    a->state_dir);
			r = model_from_state(&st, &a->pol, m, err, sizeof(err));
			goto out;
		}
		/* up left the installer's network alone: decide as if it had not run. */
		log_info("%s/state: 'pxebond up' %s", a->state_dir,
			 st.result == STATE_SKIPPED
			     ? "found no LACP partner and left the network to the installer"
			     : "brought no path up");
	}
	if (a->pol.initrd) {
		log_err("%s/state: no bond from 'pxebond up' to hand on (--initrd)", a->state_dir);
		return -ENETUNREACH;
	}
	if (a->state_given) {
		log_info("%s/state: no state: 'pxebond up' has not run there; nothing to write",
			 a->state_dir);
		return -ENETUNREACH;
	}
	log_info("%s/state: no state%s; listening for LACP partners instead (passive: nothing "
		 "is sent)",
		 a->state_dir, r == -ENOENT ? " (has 'pxebond up' run?)" : " to write from");
	r = probe_run(&a->probe, &res);
	if (r < 0) {
		log_err_errno(r, "the probe failed; run 'pxebond up' first");
		return -EINVAL;
	}
	plan_decide(&res, &pl);
	r = model_from_probe(&res, &pl, &a->pol, m, err, sizeof(err));
out:
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
static void target_warnings(int rootfd, const char *root, const char *format, const struct model *m,
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
	if (!strcmp(format, "ifupdown") && m->mode != BOND_MODE_SINGLE &&
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
			/* (fsout_list leaves out hidden files: the kept originals too) */
			if (ours || ll < sl || strcmp(l + ll - sl, dirs[i].suffix) != 0)
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

/* ---- --set-aside: other profiles for the same bond or NICs ---- */

#define MAX_PROFILES 64
#define NM_DIR	     "etc/NetworkManager/system-connections"
#define IFCFG_DIR    "etc/sysconfig/network-scripts"

struct aside {
	unsigned n;
	char from[MAX_PROFILES][EMIT_PATH_MAX + 32], to[MAX_PROFILES][EMIT_PATH_MAX + 48];
};

/* The target's profiles: keyfiles and ifcfg files (hidden ones are read by nobody). */
static unsigned list_profiles(int rootfd, char (*out)[EMIT_PATH_MAX + 32], unsigned max)
{
	static const char *const dirs[] = { NM_DIR, IFCFG_DIR };
	char list[8192];
	unsigned n = 0;

	for (size_t d = 0; d < 2; d++) {
		if (fsout_list(rootfd, dirs[d], list, sizeof(list)) < 0)
			continue;
		for (char *save = NULL, *l = strtok_r(list, "\n", &save); l && n < max;
		     l = strtok_r(NULL, "\n", &save)) {
			size_t dl = strlen(dirs[d]), ll = strlen(l);

			if ((d == 0 || !strncmp(l, "ifcfg-", 6)) && dl + ll + 2 <= sizeof(out[0])) {
				memcpy(out[n], dirs[d], dl);
				out[n][dl] = '/';
				memcpy(out[n++] + dl + 1, l, ll + 1);
			}
		}
	}
	return n;
}

static bool read_profile(int rootfd, const char *path, struct profile *p)
{
	char *text = NULL;

	memset(p, 0, sizeof(*p));
	if (fsout_read(rootfd, path, 1 << 16, &text) < 0)
		return false;
	profile_parse(text, p);
	free(text);
	return true;
}

/* A copy of this system's own file: the installer has it at the same path (Anaconda
 * copies the installer's profiles into the target). */
static bool is_copy(int sysfd, const char *path)
{
	return fsout_exists(sysfd, path);
}

static bool planned(const struct emit_out *out, const char *path)
{
	for (unsigned i = 0; i < out->n; i++)
		if (!strcmp(out->file[i].path, path))
			return true;
	return false;
}

/* Decides, before anything is written: which of our files may replace what is there
 * (*ret_force), and which other profiles go aside. -EEXIST: a file at one of our paths
 * is somebody else's (nothing is written then). */
static int plan_aside(int rootfd, const char *root, const char *copies_of, const struct model *m,
		      const struct emit_out *out, struct aside *as, bool *ret_force)
{
	static char paths[MAX_PROFILES][EMIT_PATH_MAX + 32];
	static char uuids[MAX_PROFILES * 2][PROFILE_ID_MAX];
	struct profile p;
	unsigned n, nu = 0, np;
	int sysfd;

	as->n = 0;
	*ret_force = false;
	sysfd = open(copies_of, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sysfd < 0)
		return log_err_errno(-errno, "--set-aside=%s", copies_of);
	/* The bond's own UUIDs: ours, and those of profiles for an interface of its name. */
	for (unsigned i = 0; i < out->n; i++) {
		profile_parse(out->file[i].text ? out->file[i].text : "", &p);
		if (p.uuid[0] && nu < MAX_PROFILES * 2)
			memcpy(uuids[nu++], p.uuid, PROFILE_ID_MAX);
	}
	np = nu;
	n = list_profiles(rootfd, paths, MAX_PROFILES);
	for (unsigned i = 0; i < n; i++)
		if (m->mode != BOND_MODE_SINGLE && read_profile(rootfd, paths[i], &p) &&
		    !strcmp(p.ifname, m->name) && p.uuid[0] && nu < MAX_PROFILES * 2)
			memcpy(uuids[nu++], p.uuid, PROFILE_ID_MAX);
	/* Ours to replace: pxebond's, or the copy of the installer's. */
	for (unsigned i = 0; i < out->n; i++) {
		const char *path = out->file[i].path;
		bool ours;

		if (!fsout_exists(rootfd, path))
			continue;
		ours = read_profile(rootfd, path, &p) && p.ours;
		if (!ours && !is_copy(sysfd, path)) {
			close(sysfd);
			log_err(
			    "%s/%s exists and is neither pxebond's nor a copy of this system's: "
			    "nothing written; the installed system keeps the configuration it "
			    "has",
			    root, path);
			return -EEXIST;
		}
		*ret_force = true;
	}
	/* Others for the same bond or NICs: the copies and pxebond's go aside. */
	for (unsigned i = 0; i < n; i++) {
		if (planned(out, paths[i]) || !read_profile(rootfd, paths[i], &p))
			continue;
		if (!profile_conflicts(&p, m, uuids, nu)) {
			log_debug("%s/%s: not for %s, left", root, paths[i], m->name);
			continue;
		}
		/* pxebond's: its comment, or the UUID of a profile it writes (NetworkManager
		 * rewrites the initramfs' profiles without the comment when Anaconda persists
		 * them) */
		for (unsigned k = 0; k < np && !p.ours; k++)
			p.ours = p.uuid[0] && !strcmp(p.uuid, uuids[k]);
		if (p.ours || is_copy(sysfd, paths[i])) {
			memcpy(as->from[as->n++], paths[i], sizeof(as->from[0]));
			continue;
		}
		log_warn("%s/%s also configures %s and is not a copy of this system's: left as "
			 "it is (remove it if it should not)",
			 root, paths[i], m->name);
	}
	close(sysfd);
	return 0;
}

static void undo_aside(int rootfd, const char *root, const struct aside *as, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (fsout_unaside(rootfd, as->to[i], as->from[i]) == 0)
			log_info("put back %s/%s", root, as->from[i]);
}

static int do_aside(int rootfd, const char *root, struct aside *as, const char *what)
{
	for (unsigned i = 0; i < as->n; i++) {
		int r = fsout_aside(rootfd, as->from[i], as->to[i], sizeof(as->to[0]));

		if (r < 0) {
			log_err_errno(r, "cannot set aside %s/%s", root, as->from[i]);
			undo_aside(rootfd, root, as, i);
			return r;
		}
		log_info("set aside %s/%s as %s: it configured %s too", root, as->from[i],
			 strrchr(as->to[i], '/') ? strrchr(as->to[i], '/') + 1 : as->to[i], what);
	}
	return 0;
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
static int put_kickstart(const struct write_config *a, struct emit_out *out)
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

/* --plan: what a run would do, one "WORD VALUE" line each, for scripts. */
static int print_plan(int rootfd, const char *format, const struct model *m,
		      const struct emit_out *out, const struct aside *as, const char *needs)
{
	printf("format %s\nmode %s\n", format, bond_mode_to_string(m->mode));
	if (needs)
		printf("needs %s\n", needs);
	for (unsigned i = 0; i < out->n; i++)
		printf("file %s %s\n", out->file[i].path,
		       rootfd >= 0 && fsout_exists(rootfd, out->file[i].path) ? "replace" : "new");
	for (unsigned i = 0; as && i < as->n; i++)
		printf("aside %s\n", as->from[i]);
	return fflush(stdout) == 0 ? 0 : -EIO;
}

int write_run(const struct write_config *cfg)
{
	static struct model m;
	static struct emit_out out;
	static struct aside as;
	struct write_config a = *cfg;
	const struct emit_format *fmt;
	const char *format, *why, *needs = NULL;
	char err[1024], *old = NULL, what[64];
	bool force = a.force;
	int rootfd = -1, r;

	memset(&out, 0, sizeof(out));
	as.n = 0;
	if (a.root) {
		r = fsout_open_root(a.root, &rootfd, err, sizeof(err));
		if (r < 0) {
			log_err("--root %s", err);
			return r;
		}
		if (a.set_aside && !strcmp(a.root, "/")) {
			close(rootfd);
			log_err(
			    "--set-aside compares --root with this system's own files: not with "
			    "--root /");
			return -EINVAL;
		}
	}
	r = load_model(&a, &m);
	if (r < 0)
		goto out;
	format = a.format;
	if (!strcmp(format, "auto")) {
		format = detect(rootfd, a.root);
		if (!format) {
			r = -ENOENT;
			goto out;
		}
	}
	fmt = emit_format_find(format);
	/* A package the target cannot have: write what works without it. */
	if (a.without && fmt->bond_needs && !strcmp(a.without, fmt->bond_needs) &&
	    m.mode != BOND_MODE_SINGLE) {
		a.pol.no_bond = true;
		r = load_model(&a, &m);
		if (r < 0)
			goto out;
	}
	if (m.mode != BOND_MODE_SINGLE)
		needs = fmt->bond_needs;
	log_info("%s: %s over %u member%s, %s", m.name, bond_mode_to_string(m.mode), m.n_members,
		 m.n_members == 1 ? "" : "s", m.dhcp ? "DHCP" : "static address");
	r = fmt->emit(&m, &out);
	if (r == 0 && !strcmp(format, "ifupdown")) {
		r = fsout_read(rootfd, "etc/network/interfaces", 1 << 20, &old);
		if (r == -ELOOP || r == -EINVAL) {
			log_err("%s/etc/network/interfaces: %s: refusing to read through it",
				a.root, r == -ELOOP ? "a symlink" : "not a regular file");
			goto out;
		}
		if (r < 0 && r != -ENOENT) {
			log_err_errno(r, "%s/etc/network/interfaces: cannot read", a.root);
			goto out;
		}
		r = emit_ifupdown_interfaces(&m, old, &out, &why);
		if (r == 0 && why && old && !force) {
			log_err(
			    "%s/etc/network/interfaces: %s; --force rewrites it (keeping the old "
			    "one as .interfaces.pxebond-orig)",
			    a.root, why);
			r = -EEXIST;
			goto out;
		}
		if (r == 0 && why)
			log_info("%s/etc/network/interfaces: %s, so it is %s", a.root, why,
				 old ? "rewritten" : "written");
	}
	if (r < 0) {
		log_err("%s", r == -EINVAL ? out.err : strerror(-r));
		goto out;
	}
	log_warn_lines(out.warn);
	if (!strcmp(format, "kickstart")) {
		r = a.plan ? print_plan(-1, format, &m, &out, NULL, NULL) : put_kickstart(&a, &out);
		goto out;
	}
	if (a.set_aside) {
		bool f = false;

		r = plan_aside(rootfd, a.root, a.copies_of, &m, &out, &as, &f);
		if (r < 0)
			goto out;
		force = force || f;
	}
	if (a.plan) {
		r = print_plan(rootfd, format, &m, &out, &as, needs);
		goto out;
	}
	if (a.set_aside && !a.dry_run) {
		snprintf(what, sizeof(what), "%s", m.name);
		r = do_aside(rootfd, a.root, &as, what);
		if (r < 0)
			goto out;
	}
	/* --initrd writes into a staging directory, not a system; what was set aside is
	 * hidden now, and no longer "configured twice" */
	if (!a.pol.initrd)
		target_warnings(rootfd, a.root, format, &m, &out);
	r = put_files(rootfd, a.root, &out, force, a.dry_run);
	if (r < 0 && a.set_aside && !a.dry_run)
		undo_aside(rootfd, a.root, &as, as.n);
out:
	free(old);
	emit_out_free(&out);
	if (rootfd >= 0)
		close(rootfd);
	return r;
}
