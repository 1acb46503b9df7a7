/* The model from `up`'s state (policy, whitelists) and every emitter against the golden
 * files in tests/golden/FORMAT/MODE-IP/ (byte-exact; `make golden` rewrites them). */
#define _GNU_SOURCE 1 /* memmem */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "model.h"
#include "unit.h"

/* As `up` writes them: an 802.3ad bond that aggregated, and one that fell back. */
#define LEASE                                                                                      \
	"PXEBOND_IP='192.0.2.10'\nPXEBOND_PREFIX='24'\nPXEBOND_ROUTER='192.0.2.1'\n"               \
	"PXEBOND_DNS='192.0.2.53 192.0.2.54'\nPXEBOND_DOMAIN='example.com'\n"                      \
	"PXEBOND_SEARCH='example.com lab.example.com'\nPXEBOND_MTU='9000'\n"                       \
	"PXEBOND_HOSTNAME='node7'\nPXEBOND_NEXT_SERVER='192.0.2.2'\n"

static const char state_8023ad[] =
    "# pxebond up: what it did. Sourceable; see pxebond(8), FILES.\n"
    "PXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\nPXEBOND_IFACE='bond0'\nPXEBOND_BOND='bond0'\n"
    "PXEBOND_MEMBERS='eth0 eth1'\nPXEBOND_MEMBER_MACS='52:54:00:12:34:01 52:54:00:12:34:02'\n"
    "PXEBOND_ACTIVE='eth0'\nPXEBOND_BOND_MAC='52:54:00:12:34:01'\n"
    "PXEBOND_BOND_OPTS='mode=802.3ad,miimon=100,xmit_hash_policy=layer3+4,lacp_rate=fast,"
    "ad_actor_sys_prio=65535,ad_user_port_key=0,ad_actor_system=52:54:00:12:34:01'\n"
    "PXEBOND_ACTOR_SYSTEM='52:54:00:12:34:01'\nPXEBOND_PARTNER_SYSTEM='02:00:00:00:00:aa'\n"
    "PXEBOND_PARTNER_KEY='13'\n" LEASE "PXEBOND_RUNGS='802.3ad:ok'\n";

static const char state_ab[] =
    "PXEBOND_RESULT='ok'\nPXEBOND_MODE='active-backup'\nPXEBOND_IFACE='bond0'\n"
    "PXEBOND_BOND='bond0'\nPXEBOND_MEMBERS='eth0 eth1'\n"
    "PXEBOND_MEMBER_MACS='52:54:00:12:34:01 52:54:00:12:34:02'\nPXEBOND_ACTIVE='eth0'\n"
    "PXEBOND_BOND_MAC='52:54:00:12:34:01'\n"
    "PXEBOND_BOND_OPTS='mode=active-backup,miimon=100,primary=eth0'\n"
    "PXEBOND_PARTNER_SYSTEM=''\n" LEASE "PXEBOND_RUNGS='802.3ad:failed active-backup:ok'\n";

static const char state_single[] =
    "PXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\nPXEBOND_IFACE='eth1'\nPXEBOND_BOND=''\n"
    "PXEBOND_MEMBERS='eth1'\nPXEBOND_MEMBER_MACS='52:54:00:12:34:02'\nPXEBOND_ACTIVE=''\n"
    "PXEBOND_BOND_MAC=''\nPXEBOND_BOND_OPTS=''\n" LEASE
    "PXEBOND_RUNGS='802.3ad:failed active-backup:failed single:ok'\n";

/* Everything a hostile DHCP server or a tampered state file could put there. */
static const char state_hostile[] =
    "PXEBOND_RESULT='ok'\nPXEBOND_MODE='active-backup'\nPXEBOND_BOND='b$(reboot)'\n"
    "PXEBOND_MEMBERS='eth0;reboot `id` eth2'\n"
    "PXEBOND_MEMBER_MACS='52:54:00:12:34:01 01:00:5e:00:00:01 52:54:00:12:34:03 "
    "52:54:00:12:34:01'\n"
    "PXEBOND_ACTIVE='eth0'\nPXEBOND_BOND_MAC='zz:54:00:12:34:01'\n"
    "PXEBOND_BOND_OPTS='miimon=100,frobnicate=$(reboot)'\n"
    "PXEBOND_IP='192.0.2.10'\nPXEBOND_PREFIX='24'\n"
    "PXEBOND_ROUTER='192.0.2.1;reboot 192.0.2.9'\n"
    "PXEBOND_DNS='192.0.2.53\"$(reboot) 1.1.1.1 8.8.8.8 9.9.9.9'\n"
    "PXEBOND_SEARCH='example.com evil$(reboot).com ok.example.org -bad.com x\\'\\''y'\n"
    "PXEBOND_HOSTNAME='$(reboot)`reboot`;reboot'\n";

struct golden_case {
	const char *name;
	const char *state;
	enum bond_mode final;
	bool is_static;
};

static const struct golden_case cases[] = {
	{ "802.3ad-dhcp", state_8023ad, BOND_MODE_AUTO, false },
	{ "802.3ad-static", state_8023ad, BOND_MODE_AUTO, true },
	{ "active-backup-dhcp", state_ab, BOND_MODE_AUTO, false },
	{ "active-backup-static", state_ab, BOND_MODE_AUTO, true },
	{ "balance-alb-dhcp", state_ab, BOND_MODE_BALANCE_ALB, false },
	{ "balance-alb-static", state_ab, BOND_MODE_BALANCE_ALB, true },
	{ "single-dhcp", state_single, BOND_MODE_AUTO, false },
	{ "single-static", state_single, BOND_MODE_AUTO, true },
};

/* A state's text as state_read takes it (its version first), then the model: the
 * reader's warnings, then the model's, in err. */
static int model_text(const char *text, const struct write_policy *pol, struct model *m, char *err,
		      size_t errlen)
{
	static struct state st;
	static char buf[8192];
	char warn[2048], merr[2048];
	int r;

	snprintf(buf, sizeof(buf), "PXEBOND_STATE_VERSION='1'\n%s", text);
	r = state_parse(buf, &st, warn, sizeof(warn));
	if (r < 0) {
		snprintf(err, errlen, "%s", warn);
		return r;
	}
	r = model_from_state(&st, pol, m, merr, sizeof(merr));
	snprintf(err, errlen, "%s%s%s", warn, warn[0] && merr[0] ? "\n" : "", merr);
	return r;
}

static bool model_of(const char *state, enum bond_mode final, bool is_static, struct model *m,
		     char *err, size_t errlen)
{
	struct write_policy pol = { .final = final, .is_static = is_static };

	return model_text(state, &pol, m, err, errlen) == 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
}

static void put(const char *path, const char *text, size_t len)
{
	FILE *f;

	mkdirs(path);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "    cannot write %s\n", path);
		unit_ok = false;
		return;
	}
	fwrite(text, 1, len, f);
	fclose(f);
}

static void expect_file(const char *path, const char *text, size_t len)
{
	size_t glen = 0;
	char *g = slurp(path, &glen);

	if (!g) {
		fprintf(stderr, "    %s: missing (make golden)\n", path);
		unit_ok = false;
		return;
	}
	if (glen != len || memcmp(g, text, len) != 0) {
		size_t i = 0;

		while (i < len && i < glen && g[i] == text[i])
			i++;
		fprintf(stderr, "    %s: differs at byte %zu (make golden to accept)\n", path, i);
		unit_ok = false;
	}
	free(g);
}

/* Each format x case: the files, and a MANIFEST of their modes and the warnings. */
static void golden(void)
{
	bool update = getenv("PXEBOND_GOLDEN_UPDATE") != NULL;

	for (const struct emit_format *fmt = emit_formats; fmt->name; fmt++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			static struct emit_out out;
			struct model m;
			char err[1024], dir[256], path[512], manifest[4096];
			size_t o = 0;
			int r;

			CHECK(model_of(cases[c].state, cases[c].final, cases[c].is_static, &m, err,
				       sizeof(err)));
			memset(&out, 0, sizeof(out));
			r = fmt->emit(&m, &out);
			CHECK(r == 0);
			snprintf(dir, sizeof(dir), "tests/golden/%s/%s", fmt->name, cases[c].name);
			manifest[0] = '\0';
			for (unsigned i = 0; i < out.n; i++) {
				o += (size_t)snprintf(manifest + o, sizeof(manifest) - o,
						      "%04o %s\n", out.file[i].mode,
						      out.file[i].path);
				snprintf(path, sizeof(path), "%s/%s", dir, out.file[i].path);
				if (update)
					put(path, out.file[i].text, out.file[i].len);
				else
					expect_file(path, out.file[i].text, out.file[i].len);
			}
			for (char *save = NULL, *l = strtok_r(out.warn, "\n", &save); l;
			     l = strtok_r(NULL, "\n", &save))
				o += (size_t)snprintf(manifest + o, sizeof(manifest) - o,
						      "warning: %s\n", l);
			snprintf(path, sizeof(path), "%s/MANIFEST", dir);
			if (update)
				put(path, manifest, o);
			else
				expect_file(path, manifest, o);
			emit_out_free(&out);
		}
}

static void policy(void)
{
	struct write_policy pol = { .final = BOND_MODE_AUTO };
	struct model m;
	char err[2048];

	/* LACP answered: 802.3ad, up's options but not its probe identity */
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_8023AD && m.lacp_seen && m.n_members == 2 && m.dhcp);
	CHECK_STR(err, "");
	CHECK(m.opts.set[BOND_OPT_LACP_RATE] && !m.opts.set[BOND_OPT_AD_ACTOR_SYSTEM]);
	CHECK(!m.opts.set[BOND_OPT_AD_ACTOR_SYS_PRIO] && !m.opts.set[BOND_OPT_AD_USER_PORT_KEY]);
	CHECK(m.mac[5] == 1 && !strcmp(m.name, "bond0"));

	/* No LACP: active-backup by default, primary kept as a member index */
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_ACTIVE_BACKUP && !m.lacp_seen && m.primary == 0 &&
	      !m.primary_asked);
	CHECK(strstr(err, "the 802.3ad bond did not come up in the installer") != NULL);
	CHECK(!m.opts.set[BOND_OPT_LACP_RATE] && !m.opts.set[BOND_OPT_XMIT_HASH_POLICY]);

	/* 802.3ad asked for where no partner was seen: written, with a warning */
	pol.final = BOND_MODE_8023AD;
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_8023AD && strstr(err, "no LACP partner was seen"));
	CHECK(m.opts.set[BOND_OPT_LACP_RATE] && !m.opts.set[BOND_OPT_PRIMARY] && m.primary < 0);

	/* The policy is for ports without LACP: where a partner answered, 802.3ad */
	pol.final = BOND_MODE_BALANCE_ALB;
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_8023AD && strstr(err, "an LACP partner answered"));
	pol.final = BOND_MODE_SINGLE;
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_8023AD && m.n_members == 2);
	/* ... unless mode= in the bond options forces it: written, with a warning */
	pol.final = BOND_MODE_AUTO;
	CHECK(bond_opts_parse(&pol.opts, "mode=balance-alb", err, sizeof(err)) == 0);
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_BALANCE_ALB && strstr(err, "speak LACP"));
	memset(&pol.opts, 0, sizeof(pol.opts));

	/* single: the member that carried traffic */
	pol.final = BOND_MODE_SINGLE;
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_SINGLE && m.n_members == 1 && !strcmp(m.name, "eth0"));
	pol.final = BOND_MODE_AUTO;
	CHECK(model_text(state_single, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_SINGLE && !strcmp(m.name, "eth1") && m.member[0].mac[5] == 2);

	/* --bond, --bond-opts over up's; what the mode does not take is said */
	snprintf(pol.bond, sizeof(pol.bond), "uplink");
	CHECK(bond_opts_parse(&pol.opts, "miimon=250,lacp_rate=slow,primary=eth1", err,
			      sizeof(err)) == 0);
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0);
	CHECK(!strcmp(m.name, "uplink") && m.opts.val[BOND_OPT_MIIMON] == 250);
	CHECK(!m.opts.set[BOND_OPT_LACP_RATE] && strstr(err, "lacp_rate does not apply"));
	CHECK(m.primary == 1 && m.primary_asked);

	/* mode= in the options: the final mode, unless it contradicts --final-mode */
	memset(&pol.opts, 0, sizeof(pol.opts));
	CHECK(bond_opts_parse(&pol.opts, "mode=balance-alb", err, sizeof(err)) == 0);
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.mode == BOND_MODE_BALANCE_ALB);
	pol.final = BOND_MODE_8023AD;
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "contradicts") != NULL);
	CHECK(bond_opts_parse(&pol.opts, "mode=balance-rr", err, sizeof(err)) == 0);
	pol.final = BOND_MODE_AUTO;
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == -EINVAL);
}

static void state_errors(void)
{
	struct write_policy pol = { .final = BOND_MODE_AUTO };
	struct model m;
	char err[512];

	CHECK(model_text("", &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "no PXEBOND_RESULT: not a state of pxebond up");
	CHECK(model_text("PXEBOND_RESULT='failed'\nPXEBOND_MODE='none'\n", &pol, &m, err,
			 sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "brought no path up") != NULL);
	/* only a result: the missing mode is named, not a stale value */
	CHECK(model_text("PXEBOND_RESULT='ok'\n", &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "the state has no PXEBOND_MODE");
	CHECK(model_text("PXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\n"
			 "PXEBOND_MEMBER_MACS='ff:ff:ff:ff:ff:ff'\n",
			 &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "no member with a valid permanent MAC to write") != NULL);

	/* --static needs a sound address and prefix; a netmask is taken as a prefix */
	pol.is_static = true;
	CHECK(model_text("PXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			 "PXEBOND_MEMBERS='eth0'\nPXEBOND_MEMBER_MACS='52:54:00:00:00:01'\n",
			 &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "--static") != NULL);
	CHECK(model_text("PXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			 "PXEBOND_MEMBERS='eth0'\nPXEBOND_MEMBER_MACS='52:54:00:00:00:01'\n"
			 "PXEBOND_IP='10.1.2.3'\nPXEBOND_PREFIX='22'\nPXEBOND_MTU='9000'\n",
			 &pol, &m, err, sizeof(err)) == 0);
	CHECK(m.prefix == 22 && !m.dhcp && !strcmp(m.address, "10.1.2.3") && m.mtu == 9000);
	/* an address without a sound prefix is no lease */
	CHECK(model_text("PXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			 "PXEBOND_MEMBERS='eth0'\nPXEBOND_MEMBER_MACS='52:54:00:00:00:01'\n"
			 "PXEBOND_IP='10.1.2.3'\nPXEBOND_PREFIX='255.0.255.0'\n",
			 &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "PXEBOND_PREFIX='255.0.255.0'") && strstr(err, "no lease to keep"));
	CHECK(model_text("PXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			 "PXEBOND_MEMBERS='eth0'\nPXEBOND_MEMBER_MACS='52:54:00:00:00:01'\n"
			 "PXEBOND_IP='10.1.2.3;reboot'\nPXEBOND_PREFIX='24'\n",
			 &pol, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "PXEBOND_IP='10.1.2.3;reboot': not an IPv4 address") &&
	      strstr(err, "no lease to keep"));
}

/* What the wire or a tampered file put in the state reaches no output. */
static void hostile_state(void)
{
	struct write_policy pol = { .final = BOND_MODE_AUTO, .is_static = true };
	static const char *const bad[] = { "reboot", "$(",   "`",	"\"$",	    "\\",
					   "'",	     "evil", "bad.com", "01:00:5e", "node7" };
	struct model m;
	char err[2048];

	CHECK(model_text(state_hostile, &pol, &m, err, sizeof(err)) == 0);
	CHECK(!strcmp(m.name, "bond0"));
	CHECK(m.n_members == 2); /* the multicast and the repeated MAC are left out */
	CHECK(m.member[0].name[0] == '\0' && !strcmp(m.member[1].name, "eth2"));
	CHECK(m.mac[5] == 1);			/* the first member's, as the state's is no MAC */
	CHECK(!strcmp(m.gateway, "192.0.2.9")); /* the first router that is an address */
	CHECK(m.n_dns == 3 && !strcmp(m.dns[0], "1.1.1.1") && !strcmp(m.dns[2], "9.9.9.9"));
	CHECK(m.n_search == 2 && !strcmp(m.search[1], "ok.example.org"));
	CHECK(strstr(err, "PXEBOND_BOND='b$(reboot)'") && strstr(err, "frobnicate") &&
	      strstr(err, "left out"));
	for (const char *p = err; *p; p++)
		CHECK((*p >= 0x20 && *p < 0x7f) || *p == '\n');

	for (const struct emit_format *fmt = emit_formats; fmt->name; fmt++) {
		static struct emit_out out;
		int r;

		memset(&out, 0, sizeof(out));
		r = fmt->emit(&m, &out);
		/* ifupdown and kickstart need every member's name: they refuse */
		CHECK(r == 0 || (r == -EINVAL && (!strcmp(fmt->name, "ifupdown") ||
						  !strcmp(fmt->name, "kickstart"))));
		for (unsigned i = 0; i < out.n; i++) {
			const struct emit_file *f = &out.file[i];

			for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
				if (memmem(f->text, f->len, bad[k], strlen(bad[k]))) {
					fprintf(stderr, "    %s: %s has '%s'\n", fmt->name, f->path,
						bad[k]);
					unit_ok = false;
				}
			for (size_t k = 0; k < f->len; k++)
				CHECK((f->text[k] >= 0x20 && f->text[k] < 0x7f) ||
				      f->text[k] == '\n' || f->text[k] == '\t');
		}
		emit_out_free(&out);
	}
}

static void emitter_details(void)
{
	struct write_policy pol = { .final = BOND_MODE_AUTO };
	static struct emit_out out;
	struct model m;
	char err[1024], u1[EMIT_UUID_LEN], u2[EMIT_UUID_LEN];

	/* stable, distinct, well-formed UUIDs */
	emit_uuid(u1, "pxebond:nm:bond0:52:54:00:12:34:01");
	emit_uuid(u2, "pxebond:nm:bond0:52:54:00:12:34:02");
	CHECK(strlen(u1) == 36 && u1[14] == '8' && strchr("89ab", u1[19]) && strcmp(u1, u2));
	emit_uuid(u2, "pxebond:nm:bond0:52:54:00:12:34:01");
	CHECK_STR(u1, u2);

	/* networkd matches members by PermanentMACAddress= only */
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	memset(&out, 0, sizeof(out));
	CHECK(emit_networkd(&m, &out) == 0 && out.n == 4);
	for (unsigned i = 0; i < out.n; i++)
		if (strstr(out.file[i].path, "member")) {
			CHECK(strstr(out.file[i].text, "PermanentMACAddress=") != NULL);
			CHECK(strstr(out.file[i].text, "\nMACAddress=") == NULL);
		}
	emit_out_free(&out);

	/* NetworkManager and netplan files are private */
	memset(&out, 0, sizeof(out));
	CHECK(emit_nm(&m, &out) == 0 && out.n == 3);
	for (unsigned i = 0; i < out.n; i++)
		CHECK(out.file[i].mode == 0600);
	emit_out_free(&out);
	memset(&out, 0, sizeof(out));
	CHECK(emit_netplan(&m, &out) == 0 && out.n == 2 && out.file[0].mode == 0600);
	emit_out_free(&out);

	/* networkd brings an installed system's 802.3ad bond up only once a member is
	 * enslaved: bound to the carrier of every link but lo (fnmatch patterns); netplan's
	 * networkd gets that as a drop-in on the file netplan generates for the bond. Not
	 * in an initramfs (up's bond is up already), nor for another mode. */
	memset(&out, 0, sizeof(out));
	CHECK(emit_networkd(&m, &out) == 0 && out.n == 4);
	CHECK_STR(out.file[3].path, "etc/systemd/network/10-pxebond-bond0.network");
	CHECK(strstr(out.file[3].text, "\nBindCarrier=[!l]* l[!o]* lo?* l\n") != NULL);
	emit_out_free(&out);
	memset(&out, 0, sizeof(out));
	CHECK(emit_netplan(&m, &out) == 0 && out.n == 2);
	CHECK_STR(out.file[1].path, "etc/systemd/network/10-netplan-bond0.network.d/pxebond.conf");
	CHECK(out.file[1].mode == 0644);
	CHECK(strstr(out.file[1].text, "\n[Network]\n") != NULL);
	CHECK(strstr(out.file[1].text, "\nBindCarrier=[!l]* l[!o]* lo?* l\n") != NULL);
	emit_out_free(&out);
	pol.initrd = true;
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	memset(&out, 0, sizeof(out));
	CHECK(emit_networkd(&m, &out) == 0 && out.n == 4);
	CHECK(strstr(out.file[3].text, "BindCarrier") == NULL);
	emit_out_free(&out);
	memset(&out, 0, sizeof(out));
	CHECK(emit_netplan(&m, &out) == 0 && out.n == 1);
	emit_out_free(&out);
	pol.initrd = false;
	CHECK(model_text(state_ab, &pol, &m, err, sizeof(err)) == 0 &&
	      m.mode == BOND_MODE_ACTIVE_BACKUP);
	memset(&out, 0, sizeof(out));
	CHECK(emit_networkd(&m, &out) == 0 && out.n == 4);
	CHECK(strstr(out.file[3].text, "BindCarrier") == NULL);
	emit_out_free(&out);
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);

	/* a bond name YAML would read as a boolean is quoted */
	snprintf(pol.bond, sizeof(pol.bond), "yes");
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	memset(&out, 0, sizeof(out));
	CHECK(emit_netplan(&m, &out) == 0);
	CHECK(strstr(out.file[0].text, "\n    \"yes\":\n") != NULL);
	emit_out_free(&out);

	/* options a format has no name for are said, not written */
	pol.bond[0] = '\0';
	CHECK(bond_opts_parse(&pol.opts, "min_links=1,lacp_active=on", err, sizeof(err)) == 0);
	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	memset(&out, 0, sizeof(out));
	CHECK(emit_ifupdown(&m, &out) == 0);
	CHECK(strstr(out.warn, "ifenslave does not set min_links") != NULL);
	CHECK(strstr(out.file[0].text, "min") == NULL);
	emit_out_free(&out);
	memset(&out, 0, sizeof(out));
	CHECK(emit_nm(&m, &out) == 0);
	CHECK(strstr(out.warn, "no bond option lacp_active") &&
	      strstr(out.file[0].text, "min_links=1"));
	emit_out_free(&out);
}

static const char *interfaces_after(const struct model *m, const char *old, const char **why)
{
	static struct emit_out out;
	static char text[2048];

	memset(&out, 0, sizeof(out));
	CHECK(emit_ifupdown_interfaces(m, old, &out, why) == 0);
	snprintf(text, sizeof(text), "%s", out.n ? out.file[0].text : "(unchanged)");
	CHECK(out.n == 0 || !strcmp(out.file[0].path, "etc/network/interfaces"));
	emit_out_free(&out);
	return text;
}

static void ifupdown_interfaces(void)
{
	struct write_policy pol = { .final = BOND_MODE_AUTO };
	const char *why, *t;
	struct model m;
	char err[1024];

	CHECK(model_text(state_8023ad, &pol, &m, err, sizeof(err)) == 0);
	/* Debian's default: sourced already, nothing of ours configured */
	t = interfaces_after(
	    &m, "source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n", &why);
	CHECK_STR(t, "(unchanged)");
	CHECK(why == NULL);
	t = interfaces_after(&m, "source-directory interfaces.d\n", &why);
	CHECK_STR(t, "(unchanged)");
	/* the installer's own stanza for a member is commented out; others stay */
	t = interfaces_after(&m,
			     "source /etc/network/interfaces.d/*\nauto lo eth0\niface lo inet "
			     "loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n\thostname x\n"
			     "iface eth3 inet manual\n",
			     &why);
	CHECK_STR(t, "source /etc/network/interfaces.d/*\n"
		     "# pxebond write: auto lo eth0\nauto lo\n"
		     "iface lo inet loopback\n\n"
		     "# pxebond write: allow-hotplug eth0\n"
		     "# pxebond write: iface eth0 inet dhcp\n"
		     "# pxebond write: \thostname x\n"
		     "iface eth3 inet manual\n");
	CHECK(why && strstr(why, "configures"));
	/* not sourced: the line is added */
	t = interfaces_after(&m, "auto lo\niface lo inet loopback", &why);
	CHECK_STR(t, "auto lo\niface lo inet loopback\n\n# Added by pxebond write: the bond's own "
		     "file is there.\nsource /etc/network/interfaces.d/*\n");
	CHECK(why && strstr(why, "does not source"));
	t = interfaces_after(&m, "source /etc/network/interfaces.d/*.cfg\n", &why);
	CHECK(strstr(t, "\nsource /etc/network/interfaces.d/*\n") != NULL);
	/* absent: written whole */
	t = interfaces_after(&m, NULL, &why);
	CHECK(strstr(t, "source /etc/network/interfaces.d/*\n") &&
	      strstr(t, "iface lo inet loopback"));
}

const struct unit_test emit_tests[] = {
	{ "model: final mode policy, options over up's, what each mode takes", policy },
	{ "model: refuses failed or unusable state; --static needs a sound lease", state_errors },
	{ "model: nothing hostile from the state reaches any format", hostile_state },
	{ "emit: UUIDs, PermanentMACAddress=, BindCarrier=, 0600, YAML quoting, unknown options",
	  emitter_details },
	{ "emit: ifupdown's interfaces sources interfaces.d/ and drops our stanzas",
	  ifupdown_interfaces },
	{ "emit: every format x mode x DHCP/static against tests/golden (make golden)", golden },
	{ 0 },
};
