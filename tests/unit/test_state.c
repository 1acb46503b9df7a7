/* state.c, the state contract: every key written and read back equal, hostile values left
 * out with a warning naming the key, the format version, the reader's limits on files. */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"
#include "unit.h"

/* The sourceable text of s, in memory. */
static char *sh_text(const struct state *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	state_format_sh(f, s);
	fclose(f);
	return text;
}

static void json_probe(FILE *f, const void *data)
{
	fputs(data, f);
}

static char *json_text(const struct state *s, const char *probe, size_t *len)
{
	const struct state_probe p = { json_probe, probe };
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	state_format_json(f, s, probe ? &p : NULL);
	fclose(f);
	return text;
}

/* A state with every key set to something other than its default. */
static void full_state(struct state *s)
{
	state_init(s);
	s->result = STATE_OK;
	s->mode = BOND_MODE_8023AD;
	snprintf(s->iface, sizeof(s->iface), "bond0");
	snprintf(s->bond, sizeof(s->bond), "bond0");
	s->n_members = 2;
	snprintf(s->members[0], IF_NAMESIZE, "eth0");
	snprintf(s->members[1], IF_NAMESIZE, "eth1");
	memcpy(s->member_mac[0], "\x52\x54\x00\x12\x34\x01", 6);
	memcpy(s->member_mac[1], "\x52\x54\x00\x12\x34\x02", 6);
	snprintf(s->active, sizeof(s->active), "eth1");
	s->n_late = 1;
	snprintf(s->late[0], IF_NAMESIZE, "eth1");
	s->has_mac = true;
	memcpy(s->mac, "\x52\x54\x00\x12\x34\x02", 6);
	bond_opts_defaults(&s->opts, BOND_MODE_8023AD);
	memcpy(s->actor_system, "\x52\x54\x00\x12\x34\x01", 6);
	s->has_partner = true;
	memcpy(s->partner_system, "\x02\x00\x00\x00\x0a\x0a", 6);
	s->partner_key = 13;
	s->has_lease = true;
	s->lease = (struct dhcp_lease){ .addr = 0x0a010203,
					.prefix = 24,
					.netmask = 0xffffff00,
					.broadcast = 0x0a0102ff,
					.n_router = 1,
					.router = { 0x0a010201 },
					.n_dns = 2,
					.dns = { 0x0a010205, 0x0a010206 },
					.mtu = 9000,
					.server_id = 0x0a010201,
					.siaddr = 0x0a010202,
					.has_lease = true,
					.lease_s = 600,
					.has_t1 = true,
					.t1_s = 300,
					.has_t2 = true,
					.t2_s = 525 };
	snprintf(s->lease.domain, sizeof(s->lease.domain), "example.com");
	snprintf(s->lease.search, sizeof(s->lease.search), "a.example b.example");
	snprintf(s->lease.hostname, sizeof(s->lease.hostname), "node7");
	snprintf(s->lease.tftp, sizeof(s->lease.tftp), "10.1.2.2");
	snprintf(s->lease.bootfile, sizeof(s->lease.bootfile), "pxelinux.0");
	snprintf(s->lease.root_path, sizeof(s->lease.root_path), "nfs:h:/'$(x)' \"y\"");
	s->renew_pid = 4242;
	s->n_rungs = 2;
	s->rung[0] = (struct state_rung){ .mode = BOND_MODE_8023AD, .ok = false };
	s->rung[1] = (struct state_rung){ .mode = BOND_MODE_8023AD, .ok = true };
	s->n_restore = 3;
	snprintf(s->restore_name[0], IF_NAMESIZE, "eth0");
	snprintf(s->restore_name[1], IF_NAMESIZE, "eth1");
	snprintf(s->restore_name[2], IF_NAMESIZE, "eth2");
	s->restore_up[1] = true;
	s->restore_mtu = 1500;
	s->t = (struct state_timeline){ 5, 7, 1500, 1510, 1512, 2000, 2400, 2900 };
}

static const char *const all_keys[] = {
	"STATE_VERSION",
	"RESULT",
	"MODE",
	"IFACE",
	"BOND",
	"MEMBERS",
	"MEMBER_MACS",
	"ACTIVE",
	"LATE",
	"BOND_MAC",
	"BOND_OPTS",
	"ACTOR_SYSTEM",
	"PARTNER_SYSTEM",
	"PARTNER_KEY",
	"IP",
	"PREFIX",
	"NETMASK",
	"BROADCAST",
	"ROUTER",
	"DNS",
	"DOMAIN",
	"SEARCH",
	"HOSTNAME",
	"MTU",
	"SERVER_ID",
	"NEXT_SERVER",
	"TFTP_SERVER",
	"BOOTFILE",
	"ROOT_PATH",
	"LEASE_SECONDS",
	"RENEW_SECONDS",
	"REBIND_SECONDS",
	"RENEW_PID",
	"RUNGS",
	"RESTORE",
	"RESTORE_MTU",
	"T_CARRIER_MS",
	"T_FIRST_LACPDU_MS",
	"T_PROBE_MS",
	"T_ENSLAVED_MS",
	"T_BOND_UP_MS",
	"T_PARTNER_SYNC_MS",
	"T_COLLECTING_MS",
	"T_LEASE_MS",
	NULL,
};

/* Every key, written and read back: the same values, the same text. */
static void roundtrip(void)
{
	static struct state s, back;
	char warn[1024], v1[2048], v2[2048];
	size_t n1, n2;
	char *t1, *t2;

	full_state(&s);
	t1 = sh_text(&s, &n1);
	CHECK(t1 != NULL);
	if (!t1)
		return;
	CHECK(state_parse(t1, &back, warn, sizeof(warn)) == 0);
	CHECK_STR(warn, "");
	t2 = sh_text(&back, &n2);
	CHECK(t2 && n1 == n2 && !strcmp(t1, t2));
	for (int i = 0; all_keys[i]; i++) {
		char line[64];

		snprintf(line, sizeof(line), "\nPXEBOND_%s='", all_keys[i]);
		CHECK(strstr(t1, line) != NULL);
		CHECK(state_get(&s, all_keys[i], v1, sizeof(v1)) == 0 && v1[0]);
		CHECK(state_get(&back, all_keys[i], v2, sizeof(v2)) == 0);
		if (strcmp(v1, v2))
			fprintf(stderr, "    %s: '%s' != '%s'\n", all_keys[i], v1, v2);
		CHECK_STR(v1, v2);
	}
	/* the typed fields themselves */
	CHECK(back.version == STATE_VERSION && back.result == STATE_OK &&
	      back.mode == BOND_MODE_8023AD);
	CHECK(back.n_members == 2 && !strcmp(back.members[1], "eth1") &&
	      back.member_mac[1][5] == 2);
	CHECK(back.has_partner && back.partner_key == 13 && back.partner_system[5] == 0x0a);
	CHECK(back.has_lease && back.lease.addr == 0x0a010203 && back.lease.mtu == 9000 &&
	      back.lease.n_dns == 2 && back.lease.dns[1] == 0x0a010206);
	CHECK(!strcmp(back.lease.root_path, "nfs:h:/'$(x)' \"y\""));
	CHECK(back.lease.has_t2 && back.lease.t2_s == 525 && back.renew_pid == 4242);
	CHECK(back.n_rungs == 2 && !back.rung[0].ok && back.rung[1].ok);
	CHECK(back.n_restore == 3 && back.restore_up[1] && !back.restore_up[2]);
	CHECK(back.n_late == 1 && !strcmp(back.late[0], "eth1"));
	CHECK(back.t.lease == 2900 && back.t.carrier == 5);
	CHECK(back.opts.set[BOND_OPT_LACP_RATE] && back.opts.val[BOND_OPT_LACP_RATE] == 1);
	/* quotes stay data when sourced */
	CHECK(strstr(t1, "PXEBOND_ROOT_PATH='nfs:h:/'\\''$(x)'\\'' \"y\"'\n") != NULL);
	free(t1);
	free(t2);
	/* names: with or without the prefix, in any case; JSON names are not keys */
	CHECK(state_get(&s, "PXEBOND_IP", v1, sizeof(v1)) == 0 && !strcmp(v1, "10.1.2.3"));
	CHECK(state_get(&s, "ip", v1, sizeof(v1)) == 0 && !strcmp(v1, "10.1.2.3"));
	CHECK(state_get(&s, "NOPE", v1, sizeof(v1)) == -ENOENT);
	CHECK(state_get(&s, "PXEBOND_", v1, sizeof(v1)) == -ENOENT);
}

/* Absent values: empty in the sourceable form, null in JSON; no lease, no lease keys. */
static void absent(void)
{
	static struct state s;
	char *sh, *js;
	size_t n;

	state_init(&s);
	sh = sh_text(&s, &n);
	js = json_text(&s, NULL, &n);
	CHECK(sh && js);
	if (!sh || !js)
		return;
	CHECK(strstr(sh, "PXEBOND_STATE_VERSION='1'\n") && strstr(sh, "PXEBOND_RESULT='failed'\n"));
	CHECK(strstr(sh, "PXEBOND_MODE='none'\n") && strstr(sh, "PXEBOND_IP=''\n"));
	CHECK(strstr(sh, "PXEBOND_RENEW_PID=''\n") && strstr(sh, "PXEBOND_T_LEASE_MS=''\n"));
	CHECK(strstr(js, "{\"state_version\":1,\"result\":\"failed\",\"mode\":\"none\","));
	CHECK(strstr(js, "\"bond\":null") && strstr(js, "\"partner\":null") &&
	      strstr(js, "\"lease\":null") && strstr(js, "\"renew_pid\":null") &&
	      strstr(js, "\"lease\":null}") && strstr(js, "\"probe\":null}\n"));
	free(sh);
	free(js);
	/* and present: JSON nests the partner and the lease, the lease's values as text */
	full_state(&s);
	js = json_text(&s, "{\"x\":1}", &n);
	CHECK(js && strstr(js, "\"partner\":{\"system\":\"02:00:00:00:0a:0a\",\"key\":13}"));
	CHECK(js && strstr(js, "\"lease\":{\"ip\":\"10.1.2.3\",\"prefix\":\"24\","));
	CHECK(js && strstr(js, "\"members\":[{\"name\":\"eth0\",\"permanent_mac\":"
			       "\"52:54:00:12:34:01\"},"));
	CHECK(js && strstr(js, "\"renew_pid\":4242,") && strstr(js, "\"probe\":{\"x\":1}}\n"));
	free(js);
}

/* What a hostile server or a tampered file puts there: left out, the key named, the same
 * as the shell helper sees (tests/boot/state.sh runs `pxebond status` on these lines). */
static void hostile(void)
{
	static const struct {
		const char *line, *key;
	} cases[] = {
		{ "PXEBOND_IFACE='bond0;reboot'", "IFACE" },
		{ "PXEBOND_BOND='b$(reboot)'", "BOND" },
		{ "PXEBOND_ACTIVE='eth0 eth1'", "ACTIVE" },
		{ "PXEBOND_LATE='eth$(x)'", "LATE" },
		{ "PXEBOND_BOND_MAC='01:00:5e:00:00:01'", "BOND_MAC" },
		{ "PXEBOND_BOND_OPTS='miimon=100,frobnicate=1'", "BOND_OPTS" },
		{ "PXEBOND_ACTOR_SYSTEM='zz:00:00:00:00:01'", "ACTOR_SYSTEM" },
		{ "PXEBOND_IP='10.1.2.3;reboot'", "IP" },
		{ "PXEBOND_NETMASK='255.255.255.256'", "NETMASK" },
		{ "PXEBOND_HOSTNAME='$(reboot)'", "HOSTNAME" },
		{ "PXEBOND_DOMAIN='a b'", "DOMAIN" },
		{ "PXEBOND_MTU='0'", "MTU" },
		{ "PXEBOND_MTU='70000'", "MTU" },
		{ "PXEBOND_ROOT_PATH='\x1b[2Jx'", "ROOT_PATH" },
		{ "PXEBOND_RENEW_PID='1'", "RENEW_PID" },
		{ "PXEBOND_RENEW_PID='12 ; kill'", "RENEW_PID" },
		{ "PXEBOND_LEASE_SECONDS='-1'", "LEASE_SECONDS" },
		{ "PXEBOND_T_LEASE_MS='1e3'", "T_LEASE_MS" },
	};
	static struct state s;
	char text[512], warn[1024], v[256], want[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			 "PXEBOND_IP='10.0.0.5'\nPXEBOND_PREFIX='24'\n%s\n",
			 cases[i].line);
		CHECK(state_parse(text, &s, warn, sizeof(warn)) == 0);
		snprintf(want, sizeof(want), "PXEBOND_%s=", cases[i].key);
		if (!strstr(warn, want))
			fprintf(stderr, "    %s: no warning (%s)\n", cases[i].line, warn);
		CHECK(strstr(warn, want) != NULL);
		for (const char *p = warn; *p; p++)
			CHECK((*p >= 0x20 && *p < 0x7f) || *p == '\n');
		CHECK(state_get(&s, cases[i].key, v, sizeof(v)) == 0);
		/* left out: empty, or (an IP left out) no lease at all */
		CHECK(!v[0] || !strcmp(cases[i].key, "ACTOR_SYSTEM"));
	}
	/* lists keep what is sound */
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='single'\n"
			  "PXEBOND_IP='10.0.0.5'\nPXEBOND_PREFIX='24'\n"
			  "PXEBOND_DNS='1.1.1.1 x$(y) 8.8.8.8'\n"
			  "PXEBOND_SEARCH='a.example -b.example c.example'\n"
			  "PXEBOND_RUNGS='802.3ad:failed broadcast:ok single:ok'\n"
			  "PXEBOND_RESTORE='eth0:down eth;1:up eth2:sideways eth3:up'\n",
			  &s, warn, sizeof(warn)) == 0);
	CHECK(state_get(&s, "DNS", v, sizeof(v)) == 0 && !strcmp(v, "1.1.1.1 8.8.8.8"));
	CHECK(state_get(&s, "SEARCH", v, sizeof(v)) == 0 && !strcmp(v, "a.example c.example"));
	CHECK(state_get(&s, "RUNGS", v, sizeof(v)) == 0 && !strcmp(v, "802.3ad:failed single:ok"));
	CHECK(state_get(&s, "RESTORE", v, sizeof(v)) == 0 && !strcmp(v, "eth0:down eth3:up"));
	CHECK(strstr(warn, "x$(y)") && strstr(warn, "broadcast:ok") && strstr(warn, "eth;1"));
	/* members: by MAC, a bad name only unnamed, a repeated MAC said */
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\n"
			  "PXEBOND_MODE='802.3ad'\nPXEBOND_MEMBERS='eth0 e$(x) eth2 eth3'\n"
			  "PXEBOND_MEMBER_MACS='52:54:00:00:00:01 52:54:00:00:00:02 "
			  "01:00:5e:00:00:01 52:54:00:00:00:01'\n",
			  &s, warn, sizeof(warn)) == 0);
	CHECK(s.n_members == 2 && !strcmp(s.members[0], "eth0") && !s.members[1][0]);
	CHECK(strstr(warn, "listed twice") && strstr(warn, "e$(x)") && strstr(warn, "01:00:5e"));
}

static void versions(void)
{
	static struct state s;
	char warn[512];

	CHECK(state_parse("PXEBOND_RESULT='ok'\nPXEBOND_MODE='802.3ad'\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	CHECK(strstr(warn, "no PXEBOND_STATE_VERSION") && !strchr(warn, '\n'));
	CHECK(state_parse("PXEBOND_STATE_VERSION='2'\nPXEBOND_RESULT='ok'\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	CHECK(strstr(warn, "format 2 is newer than this pxebond reads (1)") != NULL);
	CHECK(state_parse("PXEBOND_STATE_VERSION='one'\nPXEBOND_RESULT='ok'\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='maybe'\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	CHECK(strstr(warn, "PXEBOND_RESULT='maybe'") != NULL);
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nPXEBOND_MODE='rr'\n", &s,
			  warn, sizeof(warn)) == -EINVAL);
	/* lines that are not KEY='VALUE': not a state */
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='ok'\nreboot\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	CHECK(strstr(warn, "line 3 is not KEY='VALUE': reboot") != NULL);
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_IP='x\n", &s, warn, sizeof(warn)) ==
	      -EINVAL);
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_IP=$(reboot)\n", &s, warn,
			  sizeof(warn)) == -EINVAL);
	/* a later version's key in this format: ignored */
	CHECK(state_parse("PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='skipped'\n"
			  "PXEBOND_MODE='none'\nPXEBOND_SOMETHING_NEW='x'\n# a comment\n\n",
			  &s, warn, sizeof(warn)) == 0);
	CHECK(s.result == STATE_SKIPPED && !warn[0]);
}

static void put_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, len) == (ssize_t)len);
	if (fd >= 0)
		close(fd);
}

/* The reader takes a regular file of at most 64 KiB and nothing else, never blocking. */
static void files(void)
{
	static struct state s;
	char dir[64], path[128], warn[512], longdir[4200];
	static char big[STATE_FILE_MAX + 10];

	snprintf(dir, sizeof(dir), "/tmp/pxebond-state-XXXXXX");
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/state", dir);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == -ENOENT);
	CHECK(mkfifo(path, 0644) == 0);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == -EINVAL);
	CHECK(strstr(warn, "not a regular file") != NULL);
	unlink(path);
	CHECK(symlink("/dev/zero", path) == 0);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == -EINVAL);
	unlink(path);
	CHECK(mkdir(path, 0755) == 0);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) < 0);
	rmdir(path);
	memset(big, '#', sizeof(big));
	put_file(path, big, sizeof(big));
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == -EFBIG);
	CHECK(strstr(warn, "64 KiB") != NULL);
	put_file(path, "PXEBOND_STATE_VERSION='1'\n\0PXEBOND_RESULT='ok'\n", 47);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == -EINVAL);
	put_file(path, "PXEBOND_STATE_VERSION='1'\nPXEBOND_RESULT='skipped'\n", 51);
	CHECK(state_read(dir, &s, warn, sizeof(warn)) == 0 && s.result == STATE_SKIPPED);
	/* a directory whose path does not fit is said, not cut to DIR/stat */
	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	CHECK(state_read(longdir, &s, warn, sizeof(warn)) == -ENAMETOOLONG);
	/* written atomically, and read back */
	{
		static struct state w;

		full_state(&w);
		CHECK(state_write(dir, &w, NULL) == 0);
		CHECK(state_read(dir, &s, warn, sizeof(warn)) == 0 && s.renew_pid == 4242);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	unlink(path);
	rmdir(dir);
}

const struct unit_test state_tests[] = {
	{ "state: every key round-trips", roundtrip },
	{ "state: absent values, and the JSON form", absent },
	{ "state: hostile values left out, the key named", hostile },
	{ "state: the format version, lines that are not KEY='VALUE'", versions },
	{ "state: only a regular file of at most 64 KiB", files },
	{ 0 },
};
