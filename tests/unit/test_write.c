/* fsout (no clobbering, --force keeps the old file, no escape from the root by '..' or
 * symlinks, all or nothing) and `pxebond write` end to end in a temporary directory. */
#define _GNU_SOURCE 1 /* nftw flags */
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsout.h"
#include "log.h"
#include "options.h"
#include "probe.h"
#include "unit.h"
#include "write.h"

/* The unit tests link no libnl: write's fresh-probe path gets a probe that finds nothing. */
int probe_run(const struct probe_config *cfg, struct probe_result *ret)
{
	(void)cfg, (void)ret;
	return -ENODEV;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *tmpdir(char *buf, size_t cap)
{
	snprintf(buf, cap, "/tmp/pxebond-unit-XXXXXX");
	return mkdtemp(buf);
}

/* DIR/REL's text into buf; false if it cannot be read. */
static bool read_rel(const char *dir, const char *rel, char *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return true;
}

static bool file_is(const char *dir, const char *rel, const char *text)
{
	char buf[4096];

	return read_rel(dir, rel, buf, sizeof(buf)) && !strcmp(buf, text);
}

static bool file_contains(const char *dir, const char *rel, const char *text)
{
	char buf[4096];

	return read_rel(dir, rel, buf, sizeof(buf)) && strstr(buf, text);
}

static bool exists(const char *dir, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0;
}

static unsigned mode_of(const char *dir, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) == 0 ? st.st_mode & 07777 : 0;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void fsout_basics(void)
{
	char dir[64], err[512], sub[600];
	struct fsout_file f[2] = {
		{ .path = "etc/a/one", .mode = 0600, .data = "one\n", .len = 4 },
		{ .path = "etc/b/c/two", .mode = 0644, .data = "two\n", .len = 4 },
	};
	int root;

	if (!tmpdir(dir, sizeof(dir))) {
		CHECK(!"mkdtemp");
		return;
	}
	CHECK(fsout_open_root(dir, &root, err, sizeof(err)) == 0);
	umask(077);
	CHECK(fsout_write(root, f, 2, false, err, sizeof(err)) == 0);
	umask(022);
	CHECK(file_is(dir, "etc/a/one", "one\n") && file_is(dir, "etc/b/c/two", "two\n"));
	CHECK(mode_of(dir, "etc/a/one") == 0600 && mode_of(dir, "etc/b/c/two") == 0644);
	CHECK(!exists(dir, "etc/a/.one.pxebond-tmp") && !f[0].replaced);

	/* Never clobbered without force; and then nothing at all is written. */
	f[0].path = "etc/a/new";
	f[1].data = "TWO\n";
	CHECK(fsout_write(root, f, 2, false, err, sizeof(err)) == -EEXIST);
	CHECK(strstr(err, "etc/b/c/two: exists; --force") != NULL);
	CHECK(!exists(dir, "etc/a/new") && file_is(dir, "etc/b/c/two", "two\n"));
	CHECK(fsout_check(root, f, 2, false, err, sizeof(err)) == -EEXIST);

	/* --force: replaced, the old one kept hidden beside it, and the oldest one stays. */
	CHECK(fsout_write(root, f, 2, true, err, sizeof(err)) == 0);
	CHECK(file_is(dir, "etc/b/c/two", "TWO\n") &&
	      file_is(dir, "etc/b/c/.two.pxebond-orig", "two\n"));
	CHECK(f[1].replaced && f[1].kept_old && !f[0].replaced);
	f[1].data = "2\n";
	f[1].len = 2;
	CHECK(fsout_write(root, f, 2, true, err, sizeof(err)) == 0);
	CHECK(file_is(dir, "etc/b/c/two", "2\n") &&
	      file_is(dir, "etc/b/c/.two.pxebond-orig", "two\n"));
	CHECK(f[1].replaced && !f[1].kept_old);

	/* The same path twice, or a path that is not inside. */
	f[0].path = f[1].path;
	CHECK(fsout_write(root, f, 2, true, err, sizeof(err)) == -EINVAL);
	for (const char *const *p = (const char *const[]){ "../x", "/etc/x", "a//b", "a/./b",
							   "a/../b", "a/", "", NULL };
	     *p; p++) {
		f[0].path = *p;
		CHECK(fsout_write(root, f, 1, true, err, sizeof(err)) == -EINVAL);
	}
	CHECK(!fsout_path_valid("..") && fsout_path_valid("etc/x.y") && fsout_path_valid(".x"));
	close(root);
	snprintf(sub, sizeof(sub), "%s", dir);
	rm_rf(sub);
}

static void fsout_symlinks(void)
{
	char dir[64], outside[64], err[512], path[600], target[600];
	struct fsout_file f = { .path = "etc/netplan/x.yaml", .mode = 0600, .data = "x", .len = 1 };
	int root;

	if (!tmpdir(dir, sizeof(dir)) || !tmpdir(outside, sizeof(outside))) {
		CHECK(!"mkdtemp");
		return;
	}
	CHECK(fsout_open_root(dir, &root, err, sizeof(err)) == 0);
	/* a planted symlink in the target: etc -> a directory outside it */
	snprintf(path, sizeof(path), "%s/etc", dir);
	CHECK(symlink(outside, path) == 0);
	CHECK(fsout_write(root, &f, 1, true, err, sizeof(err)) == -ELOOP);
	CHECK(strstr(err, "etc: a symlink: refusing") != NULL);
	snprintf(path, sizeof(path), "%s/netplan", outside);
	CHECK(access(path, F_OK) != 0);
	CHECK(!fsout_exists(root, "etc/netplan/x.yaml"));

	/* the file itself a symlink: not replaced, even with --force */
	snprintf(path, sizeof(path), "%s/etc", dir);
	unlink(path);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/netplan", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/netplan/x.yaml", dir);
	snprintf(target, sizeof(target), "%s/victim", outside);
	CHECK(symlink(target, path) == 0);
	CHECK(fsout_write(root, &f, 1, true, err, sizeof(err)) == -ELOOP);
	CHECK(access(target, F_OK) != 0);

	/* detection follows links the way the installed system would, inside the root:
	 * sbin -> usr/sbin, and an absolute usr/bin/x -> /usr/sbin/netplan */
	snprintf(path, sizeof(path), "%s/usr", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usr/sbin", dir);
	mkdir(path, 0755);
	put(dir, "usr/sbin/netplan", "");
	snprintf(path, sizeof(path), "%s/sbin", dir);
	CHECK(symlink("usr/sbin", path) == 0);
	snprintf(path, sizeof(path), "%s/usr/x", dir);
	CHECK(symlink("/usr/sbin/netplan", path) == 0);
	snprintf(path, sizeof(path), "%s/usr/up", dir);
	CHECK(symlink("../../../../../../../etc/passwd", path) == 0);
	CHECK(fsout_exists(root, "sbin/netplan") && fsout_exists(root, "usr/x"));
	CHECK(!fsout_exists(root, "usr/up") && !fsout_exists(root, "etc/passwd"));
	CHECK(!fsout_exists(root, "../../../../etc/passwd"));

	close(root);
	rm_rf(dir);
	rm_rf(outside);
}

static void fsout_root(void)
{
	char list[256];
	char dir[64], err[512], link[600];
	char *text;
	int root;

	CHECK(fsout_open_root("/", &root, err, sizeof(err)) == 0);
	close(root);
	CHECK(fsout_open_root("//", &root, err, sizeof(err)) == -EPERM);
	CHECK(strstr(err, "say --root /") != NULL);
	CHECK(fsout_open_root("/tmp/..", &root, err, sizeof(err)) == -EPERM);
	CHECK(fsout_open_root("", &root, err, sizeof(err)) == -EINVAL);
	CHECK(fsout_open_root("/nonexistent/pxebond", &root, err, sizeof(err)) == -ENOENT);
	if (!tmpdir(dir, sizeof(dir))) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(link, sizeof(link), "%s/slash", dir);
	CHECK(symlink("/", link) == 0);
	CHECK(fsout_open_root(link, &root, err, sizeof(err)) == -EPERM);
	CHECK(fsout_open_root(dir, &root, err, sizeof(err)) == 0);
	CHECK(fsout_read(root, "etc/network/interfaces", 1024, &text) == -ENOENT);
	mkdir(strcat(strcpy(link, dir), "/etc"), 0755);
	put(dir, "etc/interfaces", "hello\n");
	CHECK(fsout_read(root, "etc/interfaces", 1024, &text) == 0);
	if (text)
		CHECK_STR(text, "hello\n");
	free(text);
	CHECK(fsout_read(root, "etc/interfaces", 3, &text) == -EFBIG);
	/* listing: visible names only; no directory, no list */
	put(dir, "etc/.hidden", "x\n");
	CHECK(fsout_list(root, "etc", list, sizeof(list)) == 0);
	CHECK_STR(list, "interfaces\n");
	CHECK(fsout_list(root, "etc/network", list, sizeof(list)) == -ENOENT);
	close(root);
	rm_rf(dir);
}

/* DIR/REL and its parents. */
static void mkdir_p(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
}

static void rm_rf_rel(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	rm_rf(path);
}

static const char state[] =
    "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\nPXEBOND_BOND='bond0'\n"
    "PXEBOND_MEMBERS='eth0 eth1'\nPXEBOND_MEMBER_MACS='52:54:00:12:34:01 52:54:00:12:34:02'\n"
    "PXEBOND_BOND_MAC='52:54:00:12:34:01'\nPXEBOND_BOND_OPTS='mode=802.3ad,miimon=100'\n"
    "PXEBOND_PARTNER_SYSTEM='02:00:00:00:00:aa'\nPXEBOND_IP='192.0.2.10'\n"
    "PXEBOND_PREFIX='24'\nPXEBOND_HOSTNAME='$(reboot)'\n";

/* As main.c runs it: parse, run, exit code. */
static int write_cmd(int argc, char **argv)
{
	static struct write_config cfg;
	struct options o;
	int r = options_parse_write(argc, argv, &o, &cfg);

	if (r || o.help)
		return r;
	return options_exit_code(write_run(&cfg));
}

static int run(const char *const *args)
{
	char *argv[32];
	int argc = 0, r, out = dup(1), devnull = open("/dev/null", O_WRONLY);
	int saved = log_max_level;

	while (args[argc] && argc < 31) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	/* quiet: the messages go to stderr, dry runs to stdout */
	fflush(stdout);
	dup2(devnull, 1);
	log_max_level = 0;
	r = write_cmd(argc, argv);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	close(devnull);
	log_max_level = saved;
	return r;
}

static void write_usage(void)
{
#define USAGE(...) CHECK(run((const char *const[]){ "write", __VA_ARGS__, NULL }) == EXIT_USAGE)
	USAGE("--cmdline", "/dev/null");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--format", "yaml");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--final-mode", "balance-rr");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--bond", "b$(x)");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--bond", "0123456789abcdef");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--bond-opts", "lacp_rate=sometimes");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--bond-opts", "primary=a$b");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--output", "/tmp/x");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--frobnicate");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "extra");
	USAGE("--root", "", "--cmdline", "/dev/null");
	USAGE("--root", "/tmp", "--cmdline", "/nonexistent/cmdline");
	USAGE("--root");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--ifaces", "");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--ifaces", "eth0,../x");
	USAGE("--root", "/tmp", "--cmdline", "/dev/null", "--ifaces");
#undef USAGE
	CHECK(run((const char *const[]){ "write", "--help", NULL }) == EXIT_OK);
}

static void write_end_to_end(void)
{
	char root[64], st[64], path[600];
	const char *nd = "etc/systemd/network/10-pxebond-bond0.netdev";

	if (!tmpdir(root, sizeof(root)) || !tmpdir(st, sizeof(st))) {
		CHECK(!"mkdtemp");
		return;
	}
	put(st, "state", state);
	put(st, "cmdline", "quiet pxebond.format=ifcfg pxebond.final=active-backup\n");
#define W(...)                                                                                     \
	run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline",            \
				   "/dev/null", __VA_ARGS__, NULL })
	/* auto with nothing installed: one line, nothing written */
	CHECK(W("--format", "auto") == EXIT_FAILED);
	CHECK(W("--format", "networkd", "--dry-run") == EXIT_OK);
	CHECK(!exists(root, "etc"));
	CHECK(W("--format", "networkd") == EXIT_OK);
	CHECK(exists(root, nd) &&
	      exists(root, "etc/systemd/network/10-pxebond-bond0-member2.network"));
	snprintf(path, sizeof(path), "%s/%s", root, nd);
	/* again: refused, then --force keeps the old one */
	CHECK(W("--format", "networkd") == EXIT_FAILED);
	CHECK(W("--format", "networkd", "--dry-run") == EXIT_FAILED);
	CHECK(W("--format", "networkd", "--force", "--bond-opts", "miimon=200") == EXIT_OK);
	CHECK(exists(root, "etc/systemd/network/.10-pxebond-bond0.netdev.pxebond-orig"));
	/* --static keeps the lease; the hostname goes nowhere */
	CHECK(W("--format", "netplan", "--static") == EXIT_OK);
	CHECK(mode_of(root, "etc/netplan/90-pxebond-bond0.yaml") == 0600);
	/* auto: netplan is there now, and chosen over networkd */
	CHECK(W("--format", "auto") == EXIT_FAILED); /* exists */
	CHECK(W("--format", "auto", "--force", "--bond", "uplink") == EXIT_OK);
	CHECK(exists(root, "etc/netplan/90-pxebond-uplink.yaml"));
	/* the kernel command line: pxebond.format= and .final=, overridden by options;
	 * .final=active-backup is the policy for ports without LACP, and these have it */
	CHECK(run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline",
					 strcat(strcpy(path, st), "/cmdline"), NULL }) == EXIT_OK);
	CHECK(exists(root, "etc/sysconfig/network-scripts/ifcfg-bond0-member1"));
	CHECK(file_is(
	    root, "etc/sysconfig/network-scripts/ifcfg-bond0",
	    "# Written by pxebond write: the network path that worked in the installer.\n"
	    "# bond0, 802.3ad, members by permanent MAC (installer name):\n"
	    "#   52:54:00:12:34:01 (eth0)\n#   52:54:00:12:34:02 (eth1)\n"
	    "DEVICE=bond0\nNAME=bond0\nTYPE=Bond\nBONDING_MASTER=yes\n"
	    "BONDING_OPTS=\"mode=802.3ad miimon=100 xmit_hash_policy=layer3+4 lacp_rate=fast\"\n"
	    "MACADDR=52:54:00:12:34:01\n"
	    "BOOTPROTO=dhcp\nONBOOT=yes\n"));
	/* ifupdown: etc/network/interfaces written when absent, refused when it needs a
	 * change, rewritten with --force */
	CHECK(W("--format", "ifupdown") == EXIT_OK);
	CHECK(exists(root, "etc/network/interfaces") &&
	      exists(root, "etc/network/interfaces.d/bond0"));
	CHECK(exists(root, "etc/systemd/network/10-pxebond-eth1.link"));
	put(root, "etc/network/interfaces", "auto eth0\niface eth0 inet dhcp\n");
	CHECK(W("--format", "ifupdown", "--force") == EXIT_OK);
	CHECK(exists(root, "etc/network/.interfaces.pxebond-orig"));
	CHECK(file_is(root, "etc/network/interfaces",
		      "# pxebond write: auto eth0\n# pxebond write: iface eth0 inet dhcp\n\n"
		      "# Added by pxebond write: the bond's own file is there.\n"
		      "source /etc/network/interfaces.d/*\n"));
	put(root, "etc/network/interfaces", "iface eth1 inet manual\n");
	snprintf(path, sizeof(path), "%s/etc/network/interfaces.d/bond0", root);
	unlink(path);
	CHECK(W("--format", "ifupdown") == EXIT_FAILED);
	CHECK(!exists(root, "etc/network/interfaces.d/bond0"));
	/* kickstart: to a file, no --root needed */
	snprintf(path, sizeof(path), "%s/net.ks", st);
	CHECK(run((const char *const[]){ "write", "--format", "kickstart", "--state", st,
					 "--cmdline", "/dev/null", "--output", path, NULL }) ==
	      EXIT_OK);
	CHECK(exists(st, "net.ks"));
	/* a missing state named with --state: nothing to write, and no probe */
	CHECK(run((const char *const[]){ "write", "--root", root, "--state", "/nonexistent",
					 "--cmdline", "/dev/null", "--format", "nm", NULL }) ==
	      EXIT_NO_LINK);
	CHECK(!exists(root, "etc/NetworkManager"));
	/* the root may not be the running system by accident */
	CHECK(run((const char *const[]){ "write", "--root", "//", "--state", st, "--cmdline",
					 "/dev/null", "--format", "nm", NULL }) == EXIT_FAILED);
#undef W
	rm_rf(root);
	rm_rf(st);
}

/* --initrd: the profiles for the initramfs' own stack carry the bond as it runs (up's
 * mode and LACP identity, whatever the final-mode policy); a state in which up left the
 * network alone is not a bond to hand on, and for the installed system it means "decide
 * by a probe", as with no state. */
static void write_initrd(void)
{
	static const char ab[] = "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='"
				 "active-backup'\nPXEBOND_BOND='bond0'\n"
				 "PXEBOND_MEMBERS='eth0 eth1'\n"
				 "PXEBOND_MEMBER_MACS='52:54:00:12:34:01 52:54:00:12:34:02'\n"
				 "PXEBOND_BOND_OPTS='mode=active-backup,miimon=100,primary=eth0'\n";
	static const char ad[] =
	    "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\nPXEBOND_BOND='"
	    "bond0'\n"
	    "PXEBOND_MEMBERS='eth0 eth1'\n"
	    "PXEBOND_MEMBER_MACS='52:54:00:12:34:01 52:54:00:12:34:02'\n"
	    "PXEBOND_BOND_MAC='52:54:00:12:34:02'\nPXEBOND_PARTNER_SYSTEM='02:00:00:00:00:aa'\n"
	    "PXEBOND_BOND_OPTS='mode=802.3ad,miimon=100,lacp_rate=fast,"
	    "ad_actor_system=52:54:00:12:34:01,ad_actor_sys_prio=65535,ad_user_port_key=0'\n";
	char root[64], st[64], cmd[128];
	const char *nd = "etc/systemd/network/10-pxebond-bond0.netdev";
	const char *nmf = "etc/NetworkManager/system-connections/bond0.nmconnection";

	if (!tmpdir(root, sizeof(root)) || !tmpdir(st, sizeof(st))) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(cmd, sizeof(cmd), "%s/cmdline", st);
	put(st, "cmdline", "pxebond.final=balance-alb\n");
#define W(...)                                                                                     \
	run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline", cmd,       \
				   "--format", "networkd", __VA_ARGS__, NULL })
	put(st, "state", ab);
	CHECK(W("--initrd") == EXIT_OK);
	CHECK(file_is(root, nd,
		      "# Written by pxebond write: the network path that worked in the installer.\n"
		      "# bond0, active-backup, members by permanent MAC (installer name):\n"
		      "#   52:54:00:12:34:01 (eth0)\n#   52:54:00:12:34:02 (eth1)\n"
		      "[NetDev]\nName=bond0\nKind=bond\nMACAddress=52:54:00:12:34:01\n\n"
		      "[Bond]\nMode=active-backup\nMIIMonitorSec=100ms\n"));
	/* without --initrd the policy decides: balance-alb from the command line */
	CHECK(W("--force") == EXIT_OK);
	CHECK(file_contains(root, nd, "Mode=balance-alb\n"));
	put(st, "state", ad);
	CHECK(W("--initrd", "--force") == EXIT_OK);
	CHECK(file_is(root, nd,
		      "# Written by pxebond write: the network path that worked in the installer.\n"
		      "# bond0, 802.3ad, members by permanent MAC (installer name):\n"
		      "#   52:54:00:12:34:01 (eth0)\n#   52:54:00:12:34:02 (eth1)\n"
		      "[NetDev]\nName=bond0\nKind=bond\nMACAddress=52:54:00:12:34:02\n\n"
		      "[Bond]\nMode=802.3ad\nMIIMonitorSec=100ms\nTransmitHashPolicy=layer3+4\n"
		      "LACPTransmitRate=fast\nAdActorSystem=52:54:00:12:34:01\n"));
	/* NetworkManager adopts a running bond only through a profile that describes it as
	 * it would itself: no MAC to set, no option at the kernel's default */
	CHECK(W("--initrd", "--force", "--format", "nm") == EXIT_OK);
	CHECK(file_contains(root, nmf,
			    "[bond]\nmode=802.3ad\nmiimon=100\n"
			    "xmit_hash_policy=layer3+4\nlacp_rate=fast\n"
			    "ad_actor_system=52:54:00:12:34:01\n\n[ipv4]\nmethod=auto\n"));
	CHECK(!file_contains(root, nmf, "cloned-mac-address"));
	CHECK(W("--force", "--format", "nm") == EXIT_OK);
	CHECK(file_contains(root, nmf, "cloned-mac-address=52:54:00:12:34:02\n"));
	CHECK(!file_contains(root, nmf, "ad_actor_system"));
	/* up found no LACP partner and changed nothing: no bond to hand on, and with
	 * --state named, nothing to write (exit 4); failed: nothing (exit 1) */
	put(st, "state",
	    "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='skipped'\nPXEBOND_MODE='none'\n");
	CHECK(W("--initrd", "--force") == EXIT_NO_LACP);
	CHECK(W("--force") == EXIT_NO_LACP);
	put(st, "state",
	    "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='failed'\nPXEBOND_MODE='none'\n");
	CHECK(W("--force") == EXIT_NO_LINK);
	/* another format's state is an error, not a guess */
	put(st, "state", "PXEBOND_STATE_VERSION='2'\nPXEBOND_RESULT='ok'\n");
	CHECK(W("--force") == EXIT_FAILED);
	put(st, "state", "PXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\n");
	CHECK(W("--force") == EXIT_FAILED);
#undef W
	rm_rf(root);
	rm_rf(st);
}

/* What a run would do, said for scripts; nothing written. */
static void write_plan(void)
{
	char root[64], st[64], out[128], text[2048];
	int fd, saved;

	if (!tmpdir(root, sizeof(root)) || !tmpdir(st, sizeof(st))) {
		CHECK(!"mkdtemp");
		return;
	}
	put(st, "state", state);
	mkdir_p(root, "sbin");
	put(root, "sbin/ifup", "");
	mkdir_p(root, "etc/network");
	put(root, "etc/network/interfaces", "source /etc/network/interfaces.d/*\n");
	snprintf(out, sizeof(out), "%s/plan", st);
	fflush(stdout);
	saved = dup(1);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 1);
	close(fd);
	CHECK(write_cmd(8, (char *[]){ "write", "--root", root, "--state", st, "--cmdline",
				       "/dev/null", "--plan", NULL }) == EXIT_OK);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	CHECK(read_rel(st, "plan", text, sizeof(text)));
	CHECK_STR(text, "format ifupdown\nmode 802.3ad\nneeds ifenslave\n"
			"file etc/network/interfaces.d/bond0 new\n"
			"file etc/systemd/network/10-pxebond-eth0.link new\n"
			"file etc/systemd/network/10-pxebond-eth1.link new\n");
	CHECK(!exists(root, "etc/network/interfaces.d"));
	/* --without ifenslave: what ifupdown can do without it, the active NIC alone */
	CHECK(run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline",
					 "/dev/null", "--without", "ifenslave", NULL }) == EXIT_OK);
	CHECK(file_contains(root, "etc/network/interfaces.d/eth0", "iface eth0 inet dhcp\n"));
	CHECK(!exists(root, "etc/network/interfaces.d/bond0"));
	CHECK(run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline",
					 "/dev/null", "--without", "libc", NULL }) == EXIT_USAGE);
	rm_rf(root);
	rm_rf(st);
}

#define NM "etc/NetworkManager/system-connections"

/* --set-aside: the profiles an installer copied into the target (here from "sys") for
 * the bond, its ports and its NICs go aside in the same step as the write; somebody
 * else's stay, with a warning; a file of somebody else's where ours goes stops it all;
 * a write that fails puts every one back. */
static void write_set_aside(void)
{
	static const char port_eth1[] =
	    "[connection]\nid=p2\nuuid=22222222-2222-4222-8222-222222222222\ntype=ethernet\n"
	    "master=bond0\nslave-type=bond\n\n[ethernet]\nmac-address=52:54:00:12:34:02\n";
	static const char eth0[] =
	    "[connection]\nid=eth0\nuuid=33333333-3333-4333-8333-333333333333\ntype=ethernet\n"
	    "interface-name=eth0\n";
	static const char eth2[] =
	    "[connection]\nid=eth2\nuuid=44444444-4444-4444-8444-444444444444\ntype=ethernet\n"
	    "interface-name=eth2\n";
	static const char own_port[] =
	    "[connection]\nid=port9\nuuid=55555555-5555-4555-8555-555555555555\ntype=ethernet\n"
	    "master=bond0\n";
	char root[64], st[64], sys[64];

	if (!tmpdir(root, sizeof(root)) || !tmpdir(st, sizeof(st)) || !tmpdir(sys, sizeof(sys))) {
		CHECK(!"mkdtemp");
		return;
	}
	put(st, "state", state);
	mkdir_p(root, NM);
	mkdir_p(sys, NM);
	mkdir_p(root, "usr/sbin");
	put(root, "usr/sbin/NetworkManager", "");
	put(root, NM "/bond0.nmconnection", "[connection]\nid=bond0\ninterface-name=bond0\n");
	put(sys, NM "/bond0.nmconnection", "[connection]\nid=bond0\ninterface-name=bond0\n");
	put(root, NM "/p2.nmconnection", port_eth1);
	put(sys, NM "/p2.nmconnection", port_eth1);
	put(root, NM "/eth0.nmconnection", eth0);
	put(sys, NM "/eth0.nmconnection", eth0);
	put(root, NM "/eth2.nmconnection", eth2);
	put(sys, NM "/eth2.nmconnection", eth2);
	put(root, NM "/port9.nmconnection", own_port); /* the target's own: not in sys */
#define W(...)                                                                                     \
	run((const char *const[]){ "write", "--root", root, "--state", st, "--cmdline",            \
				   "/dev/null", __VA_ARGS__, NULL })
	{
		char aside[128];

		snprintf(aside, sizeof(aside), "--set-aside=%s", sys);
		/* a directory where a member's file goes: the write fails, all put back */
		mkdir_p(root, NM "/bond0-member2.nmconnection/x");
		CHECK(W(aside) == EXIT_FAILED);
		CHECK(exists(root, NM "/p2.nmconnection") &&
		      exists(root, NM "/eth0.nmconnection") &&
		      file_is(root, NM "/bond0.nmconnection",
			      "[connection]\nid=bond0\ninterface-name=bond0\n"));
		CHECK(!exists(root, NM "/.p2.nmconnection.pxebond-orig"));
		rm_rf_rel(root, NM "/bond0-member2.nmconnection");
		CHECK(W(aside) == EXIT_OK);
	}
	/* ours replaced the copy of the installer's bond0 (kept), the copies for a port
	 * and a NIC set aside, eth2's and the target's own port left */
	CHECK(file_contains(root, NM "/bond0.nmconnection", "# Written by pxebond write"));
	CHECK(exists(root, NM "/.bond0.nmconnection.pxebond-orig"));
	CHECK(exists(root, NM "/.p2.nmconnection.pxebond-orig") &&
	      !exists(root, NM "/p2.nmconnection"));
	CHECK(exists(root, NM "/.eth0.nmconnection.pxebond-orig") &&
	      !exists(root, NM "/eth0.nmconnection"));
	CHECK(exists(root, NM "/eth2.nmconnection") && exists(root, NM "/port9.nmconnection"));
	CHECK(exists(root, NM "/bond0-member1.nmconnection"));
	/* again: pxebond's own files are replaced, nothing else moves */
	{
		char aside[128];

		snprintf(aside, sizeof(aside), "--set-aside=%s", sys);
		CHECK(W(aside) == EXIT_OK);
		CHECK(exists(root, NM "/port9.nmconnection"));
		/* a file of somebody else's where ours goes: nothing written, nothing moved */
		put(root, NM "/bond0-member1.nmconnection", own_port);
		CHECK(W(aside) == EXIT_FAILED);
		CHECK(file_is(root, NM "/bond0-member1.nmconnection", own_port));
		CHECK(exists(root, NM "/port9.nmconnection"));
	}
#undef W
	rm_rf(root);
	rm_rf(st);
	rm_rf(sys);
}

const struct unit_test write_tests[] = {
	{ "fsout: atomic, modes, no clobbering, --force keeps the oldest original", fsout_basics },
	{ "fsout: no escape by symlinks; detection resolves links inside the root",
	  fsout_symlinks },
	{ "fsout: --root / only literally; reading under the root", fsout_root },
	{ "write: usage errors exit 2", write_usage },
	{ "write: state to files, no clobbering, --force, auto, cmdline, ifupdown, kickstart",
	  write_end_to_end },
	{ "write: --initrd hands on up's mode and identity; a skipped state is no bond",
	  write_initrd },
	{ "write: --plan says what a run would do; --without ifenslave", write_plan },
	{ "write: --set-aside, all or nothing", write_set_aside },
	{ 0 },
};
