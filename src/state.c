/* THE state contract: one table of keys, each with its type and its field in struct
 * state, drives the sourceable form (as dracut's /tmp/net.*.info), the JSON form and the
 * one reader. Adding a key is one line in keys[] (and a field); docs/pxebond.8, FILES,
 * documents them. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "escape.h"
#include "file.h"
#include "ifname.h"
#include "log.h"
#include "mac.h"
#include "names.h"
#include "state.h"

enum type {
	T_VERSION,     /* unsigned */
	T_RESULT,      /* enum state_result */
	T_MODE,	       /* enum bond_mode, of BOND_MODES_STATE */
	T_IFNAME,      /* char[IF_NAMESIZE], a safe name or empty */
	T_MEMBERS,     /* the members' names; with T_MEMBER_MACS, one list of pairs */
	T_MEMBER_MACS, /* their permanent MACs */
	T_NAMES,       /* char[][IF_NAMESIZE]; aux: the unsigned count */
	T_MAC,	       /* uint8_t[6], zero: none; aux: its bool "there", if any */
	T_OPTS,	       /* struct bond_opts */
	T_NUM,	       /* size 1, 2 or 4 bytes unsigned; aux: its bool "there", if any */
	T_PID,	       /* int, 0: none */
	T_IP,	       /* uint32_t host order, 0: none */
	T_IPS,	       /* uint32_t[DHCP_MAX_ADDRS]; aux: the unsigned count */
	T_DOMAIN,      /* char[size]: a DNS name */
	T_DOMAINS,     /* char[size]: DNS names, space-separated */
	T_TEXT,	       /* char[size]: printable ASCII */
	T_RUNGS,       /* struct state_rung[], n_rungs */
	T_RESTORE,     /* restore_name[] and restore_up[], n_restore */
	T_MS,	       /* int64_t, -1: none */
};

/* The JSON object a key goes in; the partner and the lease are null when absent. */
enum group { G_TOP, G_PARTNER, G_LEASE, G_TIME };

#define F_ZERO 1 /* T_NUM: 0 is "none" (empty, null) */

struct key {
	const char *sh;	  /* PXEBOND_... */
	const char *json; /* NULL: in the sourceable form only */
	uint8_t type, group, flags;
	uint16_t size; /* T_NUM: its bytes; text types: the field's size */
	uint16_t off;  /* offsetof(struct state, field) */
	int16_t aux;   /* per type, see above; -1: none */
};

#define F(f)   offsetof(struct state, f)
#define SZ(f)  sizeof(((struct state *)0)->f)
#define L(f)   F(lease.f)
#define LSZ(f) SZ(lease.f)
#define NOAUX  -1
#define K(sh, json, type, group, flags, size, off, aux)                                            \
	{                                                                                          \
		"PXEBOND_" sh, json, type, group, flags, (uint16_t)(size), (uint16_t)(off),        \
		    (int16_t)(aux)                                                                 \
	}

static const struct key keys[] = {
	K("STATE_VERSION", "state_version", T_VERSION, G_TOP, 0, 0, F(version), NOAUX),
	K("RESULT", "result", T_RESULT, G_TOP, 0, 0, F(result), NOAUX),
	K("MODE", "mode", T_MODE, G_TOP, 0, 0, F(mode), NOAUX),
	K("IFACE", "iface", T_IFNAME, G_TOP, 0, 0, F(iface), NOAUX),
	K("BOND", "bond", T_IFNAME, G_TOP, 0, 0, F(bond), NOAUX),
	K("MEMBERS", "members", T_MEMBERS, G_TOP, 0, 0, F(members), NOAUX),
	K("MEMBER_MACS", NULL, T_MEMBER_MACS, G_TOP, 0, 0, F(member_mac), NOAUX),
	K("ACTIVE", "active", T_IFNAME, G_TOP, 0, 0, F(active), NOAUX),
	K("LATE", "late", T_NAMES, G_TOP, 0, 0, F(late), F(n_late)),
	K("BOND_MAC", "bond_mac", T_MAC, G_TOP, 0, 0, F(mac), F(has_mac)),
	K("BOND_OPTS", "bond_opts", T_OPTS, G_TOP, 0, 0, F(opts), NOAUX),
	K("ACTOR_SYSTEM", "actor_system", T_MAC, G_TOP, 0, 0, F(actor_system), NOAUX),
	K("PARTNER_SYSTEM", "system", T_MAC, G_PARTNER, 0, 0, F(partner_system), F(has_partner)),
	K("PARTNER_KEY", "key", T_NUM, G_PARTNER, 0, 2, F(partner_key), NOAUX),
	K("IP", "ip", T_IP, G_LEASE, 0, 0, L(addr), F(has_lease)),
	K("PREFIX", "prefix", T_NUM, G_LEASE, 0, 1, L(prefix), NOAUX),
	K("NETMASK", "netmask", T_IP, G_LEASE, 0, 0, L(netmask), NOAUX),
	K("BROADCAST", "broadcast", T_IP, G_LEASE, 0, 0, L(broadcast), NOAUX),
	K("ROUTER", "router", T_IPS, G_LEASE, 0, 0, L(router), L(n_router)),
	K("DNS", "dns", T_IPS, G_LEASE, 0, 0, L(dns), L(n_dns)),
	K("DOMAIN", "domain", T_DOMAIN, G_LEASE, 0, LSZ(domain), L(domain), NOAUX),
	K("SEARCH", "search", T_DOMAINS, G_LEASE, 0, LSZ(search), L(search), NOAUX),
	K("HOSTNAME", "hostname", T_DOMAIN, G_LEASE, 0, LSZ(hostname), L(hostname), NOAUX),
	K("MTU", "mtu", T_NUM, G_LEASE, F_ZERO, 2, L(mtu), NOAUX),
	K("SERVER_ID", "server_id", T_IP, G_LEASE, 0, 0, L(server_id), NOAUX),
	K("NEXT_SERVER", "next_server", T_IP, G_LEASE, 0, 0, L(siaddr), NOAUX),
	K("TFTP_SERVER", "tftp_server", T_TEXT, G_LEASE, 0, LSZ(tftp), L(tftp), NOAUX),
	K("BOOTFILE", "boot_file", T_TEXT, G_LEASE, 0, LSZ(bootfile), L(bootfile), NOAUX),
	K("ROOT_PATH", "root_path", T_TEXT, G_LEASE, 0, LSZ(root_path), L(root_path), NOAUX),
	K("LEASE_SECONDS", "lease_seconds", T_NUM, G_LEASE, 0, 4, L(lease_s), L(has_lease)),
	K("RENEW_SECONDS", "renew_seconds", T_NUM, G_LEASE, 0, 4, L(t1_s), L(has_t1)),
	K("REBIND_SECONDS", "rebind_seconds", T_NUM, G_LEASE, 0, 4, L(t2_s), L(has_t2)),
	K("RENEW_PID", "renew_pid", T_PID, G_TOP, 0, 0, F(renew_pid), NOAUX),
	K("RUNGS", "rungs", T_RUNGS, G_TOP, 0, 0, F(rung), NOAUX),
	K("RESTORE", "restore", T_RESTORE, G_TOP, 0, 0, F(restore_name), NOAUX),
	K("RESTORE_MTU", "restore_mtu", T_NUM, G_TOP, F_ZERO, 4, F(restore_mtu), NOAUX),
	K("T_CARRIER_MS", "carrier", T_MS, G_TIME, 0, 0, F(t.carrier), NOAUX),
	K("T_FIRST_LACPDU_MS", "first_lacpdu", T_MS, G_TIME, 0, 0, F(t.first_lacpdu), NOAUX),
	K("T_PROBE_MS", "probe_done", T_MS, G_TIME, 0, 0, F(t.probe_done), NOAUX),
	K("T_ENSLAVED_MS", "enslaved", T_MS, G_TIME, 0, 0, F(t.enslaved), NOAUX),
	K("T_BOND_UP_MS", "bond_up", T_MS, G_TIME, 0, 0, F(t.bond_up), NOAUX),
	K("T_PARTNER_SYNC_MS", "partner_sync", T_MS, G_TIME, 0, 0, F(t.partner_sync), NOAUX),
	K("T_COLLECTING_MS", "collecting_distributing", T_MS, G_TIME, 0, 0,
	  F(t.collecting_distributing), NOAUX),
	K("T_LEASE_MS", "lease", T_MS, G_TIME, 0, 0, F(t.lease), NOAUX),
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const results[_STATE_RESULT_MAX] = { "failed", "ok", "skipped" };
static const char *const group_json[] = { NULL, "partner", "lease", "timeline_ms" };

const char *state_result_to_string(enum state_result r)
{
	return (unsigned)r < _STATE_RESULT_MAX ? results[r] : "?";
}

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = STATE_VERSION;
	s->result = STATE_FAILED;
	s->mode = BOND_MODE_NONE;
	s->t = (struct state_timeline){ -1, -1, -1, -1, -1, -1, -1, -1 };
}

void state_set_lease(struct state *s, const struct dhcp_lease *l)
{
	s->lease = *l;
	s->has_lease = true;
	if (!s->lease.bootfile[0])
		memcpy(s->lease.bootfile, l->boot_file, sizeof(l->boot_file));
}

static void *field(const struct state *s, const struct key *k)
{
	return (char *)s + k->off;
}

/* The bool that says the value is there (T_MAC, T_NUM, T_IP); true without one. */
static bool aux_bool(const struct state *s, const struct key *k)
{
	return k->aux < 0 || *(const bool *)((const char *)s + k->aux);
}

static uint32_t num_get(const struct state *s, const struct key *k)
{
	const void *p = field(s, k);

	return k->size == 1   ? *(const uint8_t *)p
	       : k->size == 2 ? *(const uint16_t *)p
			      : *(const uint32_t *)p;
}

static bool group_there(const struct state *s, enum group g)
{
	return g == G_PARTNER ? s->has_partner : g == G_LEASE ? s->has_lease : true;
}

/* ---- values as text, per type ---- */

/* A value's text, built in a fixed buffer: cut at its end, never past it. */
struct text {
	char *p;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->cap ? t->len + (size_t)n : t->cap - 1;
}

/* Key k's value as the sourceable form has it, unquoted: "" where it is absent. */
static void value_text(struct text *o, const struct state *s, const struct key *k)
{
	const void *p = field(s, k);
	char t[MAC_STR_LEN + 16];

	if (!group_there(s, k->group) ||
	    (k->type != T_IPS && k->type != T_NAMES && !aux_bool(s, k)))
		return;
	switch ((enum type)k->type) {
	case T_VERSION:
		add(o, "%u", s->version);
		break;
	case T_RESULT:
		add(o, "%s", state_result_to_string(s->result));
		break;
	case T_MODE:
		add(o, "%s", bond_mode_to_string(s->mode));
		break;
	case T_IFNAME:
	case T_DOMAIN:
	case T_DOMAINS:
	case T_TEXT:
		add(o, "%s", (const char *)p);
		break;
	case T_MEMBERS:
		for (unsigned i = 0; i < s->n_members; i++)
			add(o, "%s%s", i ? " " : "", s->members[i]);
		break;
	case T_MEMBER_MACS:
		for (unsigned i = 0; i < s->n_members; i++) {
			mac_to_str(t, s->member_mac[i]);
			add(o, "%s%s", i ? " " : "", t);
		}
		break;
	case T_NAMES:
		for (unsigned i = 0; i < *(const unsigned *)((const char *)s + k->aux); i++)
			add(o, "%s%s", i ? " " : "", (const char *)p + i * IF_NAMESIZE);
		break;
	case T_MAC:
		if (!mac_is_zero(p)) { /* zero: none (no probed NIC gave an actor) */
			mac_to_str(t, p);
			add(o, "%s", t);
		}
		break;
	case T_OPTS: {
		char opts[512];

		bond_opts_format(p, ',', opts, sizeof(opts));
		add(o, "%s", opts);
		break;
	}
	case T_NUM:
		if (!(k->flags & F_ZERO) || num_get(s, k))
			add(o, "%" PRIu32, num_get(s, k));
		break;
	case T_PID:
		if (s->renew_pid > 0)
			add(o, "%d", s->renew_pid);
		break;
	case T_IP:
		if (*(const uint32_t *)p) {
			dhcp_ip_str(*(const uint32_t *)p, t);
			add(o, "%s", t);
		}
		break;
	case T_IPS: {
		unsigned n = *(const unsigned *)((const char *)s + k->aux);

		for (unsigned i = 0; i < n && i < DHCP_MAX_ADDRS; i++) {
			dhcp_ip_str(((const uint32_t *)p)[i], t);
			add(o, "%s%s", i ? " " : "", t);
		}
		break;
	}
	case T_RUNGS:
		for (unsigned i = 0; i < s->n_rungs; i++)
			add(o, "%s%s:%s", i ? " " : "", bond_mode_to_string(s->rung[i].mode),
			    s->rung[i].ok ? "ok" : "failed");
		break;
	case T_RESTORE:
		for (unsigned i = 0; i < s->n_restore; i++)
			add(o, "%s%s:%s", i ? " " : "", s->restore_name[i],
			    s->restore_up[i] ? "up" : "down");
		break;
	case T_MS:
		if (*(const int64_t *)p >= 0)
			add(o, "%" PRId64, *(const int64_t *)p);
		break;
	}
}

#define VALUE_MAX 2048 /* the longest value: 64 MACs, or 64 NICs to restore */

/* One value into a string. */
static void value_str(const struct state *s, const struct key *k, char *out, size_t cap)
{
	struct text o = { .p = out, .cap = cap };

	if (cap)
		out[0] = '\0';
	value_text(&o, s, k);
}

void state_format_sh(FILE *f, const struct state *s)
{
	fputs("# pxebond up: what it did. Sourceable; see pxebond(8), FILES.\n", f);
	for (size_t i = 0; i < N_KEYS; i++) {
		char v[VALUE_MAX];

		value_str(s, &keys[i], v, sizeof(v));
		fprintf(f, "%s='", keys[i].sh);
		/* One line per key, quotes escaped: nothing in it runs when sourced. */
		for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", f);
			else
				fputc(*p < ' ' || *p == 0x7f ? ' ' : *p, f);
		}
		fputs("'\n", f);
	}
}

static void json_str(FILE *f, const char *s)
{
	escape_json(f, (const uint8_t *)s, strlen(s));
}

static void json_rungs(FILE *f, const struct state *s)
{
	fputc('[', f);
	for (unsigned i = 0; i < s->n_rungs; i++) {
		const struct state_rung *r = &s->rung[i];

		fprintf(f, "%s{\"mode\":\"%s\",\"iface\":", i ? "," : "",
			bond_mode_to_string(r->mode));
		json_str(f, r->iface);
		fputs(",\"members\":", f);
		json_str(f, r->members);
		fprintf(f, ",\"result\":\"%s\",\"why\":", r->ok ? "ok" : "failed");
		r->why[0] ? json_str(f, r->why) : (void)fputs("null", f);
		fprintf(f, ",\"elapsed_ms\":%" PRId64 "}", r->ms);
	}
	fputc(']', f);
}

static void json_members(FILE *f, const struct state *s)
{
	char mac[MAC_STR_LEN];

	fputc('[', f);
	for (unsigned i = 0; i < s->n_members; i++) {
		mac_to_str(mac, s->member_mac[i]);
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_str(f, s->members[i]);
		fprintf(f, ",\"permanent_mac\":\"%s\"}", mac);
	}
	fputc(']', f);
}

/* Key k's JSON value: the lease's as strings ("" when absent, as the sourceable form),
 * the rest typed, null when absent. */
static void json_value(FILE *f, const struct state *s, const struct key *k)
{
	char v[VALUE_MAX];

	if (k->type == T_MEMBERS)
		return json_members(f, s);
	if (k->type == T_RUNGS)
		return json_rungs(f, s);
	value_str(s, k, v, sizeof(v));
	if (k->group == G_LEASE)
		json_str(f, v);
	else if (!v[0] && k->type != T_OPTS)
		fputs("null", f);
	else if (k->type == T_VERSION || k->type == T_NUM || k->type == T_PID || k->type == T_MS)
		fputs(v, f);
	else
		json_str(f, v);
}

void state_format_json(FILE *f, const struct state *s, const struct state_probe *probe)
{
	int open_group = G_TOP;
	bool first = true;

	fputc('{', f);
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key *k = &keys[i];

		if (!k->json)
			continue;
		if (k->group != open_group) {
			if (open_group != G_TOP && group_there(s, open_group))
				fputc('}', f);
			open_group = k->group;
			if (open_group != G_TOP) {
				fprintf(f, ",\"%s\":", group_json[open_group]);
				if (!group_there(s, open_group)) {
					fputs("null", f);
					continue;
				}
				fputc('{', f);
				first = true;
			}
		} else if (!group_there(s, k->group)) {
			continue;
		}
		fprintf(f, "%s\"%s\":", first ? "" : ",", k->json);
		first = false;
		json_value(f, s, k);
	}
	if (open_group != G_TOP && group_there(s, open_group))
		fputc('}', f);
	fputs(",\"probe\":", f);
	if (probe)
		probe->write(f, probe->data);
	else
		fputs("null", f);
	fputs("}\n", f);
}

bool state_path(const char *dir, const char *name, char *out, size_t cap)
{
	if ((size_t)snprintf(out, cap, "%s/%s", dir, name) < cap)
		return true;
	if (cap)
		out[0] = '\0';
	return false;
}

struct both {
	const struct state *s;
	const struct state_probe *probe;
};

static void fill_json(FILE *f, const void *data)
{
	const struct both *b = data;

	state_format_json(f, b->s, b->probe);
}

static void fill_sh(FILE *f, const void *data)
{
	state_format_sh(f, ((const struct both *)data)->s);
}

int state_write(const char *dir, const struct state *s, const struct state_probe *probe)
{
	struct both b = { s, probe };
	char path[4096];
	int r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (!state_path(dir, "state.json", path, sizeof(path)))
		return -ENAMETOOLONG;
	r = file_write_atomic(path, 0644, fill_json, &b);
	if (r < 0)
		return r;
	state_path(dir, "state", path, sizeof(path));
	return file_write_atomic(path, 0644, fill_sh, &b);
}

/* ---- the reader ---- */

/* PXEBOND_IP, or IP or ip: the key's name with or without its prefix. */
static const struct key *key_find(const char *name)
{
	const char *tail = !strncmp(name, "PXEBOND_", 8) ? name + 8 : name;

	for (size_t i = 0; i < N_KEYS; i++)
		if (!strcasecmp(keys[i].sh + 8, tail))
			return &keys[i];
	return NULL;
}

/* One line KEY='v'\''w' into key and its value (quotes undone); false if it is not
 * that form. */
static bool split_line(const char *line, size_t len, char *key, size_t keycap, char *val,
		       size_t valcap)
{
	const char *eq = memchr(line, '=', len), *p, *end = line + len;
	size_t o = 0;

	if (!eq || eq == line || (size_t)(eq - line) >= keycap || eq + 1 >= end || eq[1] != '\'')
		return false;
	for (p = line; p < eq; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	memcpy(key, line, (size_t)(eq - line));
	key[eq - line] = '\0';
	for (p = eq + 1; p < end;) {
		if (*p == '\'') {
			const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));

			if (!q)
				return false;
			for (p++; p < q; p++)
				if (o + 1 < valcap)
					val[o++] = *p;
			p = q + 1;
		} else if (end - p >= 2 && p[0] == '\\' && p[1] == '\'') {
			if (o + 1 < valcap)
				val[o++] = '\'';
			p += 2;
		} else {
			return false;
		}
	}
	val[o] = '\0';
	return true;
}

/* A name names_ifname_safe has checked (so it fits) into an IF_NAMESIZE field. */
static void copy_name(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

/* The next space-separated word of *p (cut at cap); false at the end. */
static bool next_word(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n;

	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	n = strcspn(s, " ");
	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
	*p = s + n;
	return true;
}

static bool parse_num(const char *v, uint32_t max, uint32_t *ret)
{
	uint64_t n = 0;

	if (!*v || strlen(v) > 10)
		return false;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9' || (p == v && *p == '0' && p[1]))
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (n > max)
		return false;
	*ret = (uint32_t)n;
	return true;
}

struct reader {
	struct state *s;
	char *warn;
	size_t warnlen;
	const char *names, *macs; /* the members' two lists, paired at the end */
};

static void bad(struct reader *rd, const struct key *k, const char *v, const char *what)
{
	char shown[ESCAPE_SHOWN];

	log_append(rd->warn, rd->warnlen, "%s='%s': %s, left out", k->sh, escape_shown(v, shown),
		   what);
}

/* One value into its field; false (with a warning) if it is not of the key's type. The
 * caller has cleared the field. -EINVAL: the state cannot be read at all. */
static int parse_value(struct reader *rd, const struct key *k, const char *v)
{
	struct state *s = rd->s;
	void *p = field(s, k);
	uint32_t n, max;
	char w[300];

	if (!*v && k->type != T_VERSION && k->type != T_RESULT && k->type != T_MODE)
		return 0; /* absent */
	switch ((enum type)k->type) {
	case T_VERSION:
		if (!parse_num(v, UINT32_MAX, &n) || n == 0)
			return -EINVAL;
		s->version = n;
		return 0;
	case T_RESULT:
		for (int i = 0; i < _STATE_RESULT_MAX; i++)
			if (!strcmp(v, results[i])) {
				s->result = (enum state_result)i;
				return 0;
			}
		return -EINVAL;
	case T_MODE: {
		enum bond_mode m = bond_mode_from_string(v, BOND_MODES_STATE);

		if (m == _BOND_MODE_INVALID)
			return -EINVAL;
		s->mode = m;
		return 0;
	}
	case T_IFNAME:
		if (!names_ifname_safe(v))
			return bad(rd, k, v, "not an interface name pxebond uses"), 0;
		copy_name(p, v);
		return 0;
	case T_MEMBERS:
		rd->names = v;
		return 1; /* the caller keeps v */
	case T_MEMBER_MACS:
		rd->macs = v;
		return 1;
	case T_NAMES: {
		unsigned *cnt = (unsigned *)((char *)s + k->aux);

		for (const char *q = v; next_word(&q, w, sizeof(w));) {
			if (!names_ifname_safe(w))
				bad(rd, k, w, "not an interface name pxebond uses");
			else if (*cnt < PROBE_MAX_NICS)
				copy_name((char *)p + (*cnt)++ * IF_NAMESIZE, w);
		}
		return 0;
	}
	case T_MAC:
		if (!mac_parse_unicast(v, p))
			return bad(rd, k, v, "not a unicast MAC address"), 0;
		if (k->aux >= 0)
			*(bool *)((char *)s + k->aux) = true;
		return 0;
	case T_OPTS:
		if (bond_opts_parse(p, v, w, sizeof(w)) < 0) {
			memset(p, 0, sizeof(struct bond_opts));
			return bad(rd, k, v, "not bond options pxebond sets"), 0;
		}
		return 0;
	case T_NUM:
		max = k->size == 1 ? 32 : k->size == 2 ? 65535 : UINT32_MAX; /* 1: the prefix */
		if (!parse_num(v, max, &n) || ((k->flags & F_ZERO) && !n))
			return bad(rd, k, v, "not a number pxebond records"), 0;
		if (k->size == 1)
			*(uint8_t *)p = (uint8_t)n;
		else if (k->size == 2)
			*(uint16_t *)p = (uint16_t)n;
		else
			*(uint32_t *)p = n;
		if (k->aux >= 0)
			*(bool *)((char *)s + k->aux) = true;
		return 0;
	case T_PID:
		if (!parse_num(v, 0x7fffffff, &n) || n < 2)
			return bad(rd, k, v, "not a process id"), 0;
		s->renew_pid = (int)n;
		return 0;
	case T_IP:
		if (!names_ipv4_parse(v, p) || !*(uint32_t *)p)
			return bad(rd, k, v, "not an IPv4 address"), 0;
		if (k->aux >= 0)
			*(bool *)((char *)s + k->aux) = true;
		return 0;
	case T_IPS: {
		unsigned *cnt = (unsigned *)((char *)s + k->aux);

		for (const char *q = v; next_word(&q, w, sizeof(w));) {
			if (!names_ipv4_parse(w, &n) || !n)
				bad(rd, k, w, "not an IPv4 address");
			else if (*cnt < DHCP_MAX_ADDRS)
				((uint32_t *)p)[(*cnt)++] = n;
		}
		return 0;
	}
	case T_DOMAIN:
		if (!names_domain_valid(v) || strlen(v) >= k->size)
			return bad(rd, k, v, "not a DNS name"), 0;
		snprintf(p, k->size, "%s", v);
		return 0;
	case T_DOMAINS: {
		size_t o = 0;

		for (const char *q = v; next_word(&q, w, sizeof(w));) {
			if (!names_domain_valid(w))
				bad(rd, k, w, "not a DNS name");
			else if (o + strlen(w) + 2 <= k->size)
				o += (size_t)snprintf((char *)p + o, k->size - o, "%s%s",
						      o ? " " : "", w);
		}
		return 0;
	}
	case T_TEXT:
		if (!names_printable(v, k->size - 1u))
			return bad(rd, k, v, "not printable text"), 0;
		snprintf(p, k->size, "%s", v);
		return 0;
	case T_RUNGS:
		for (const char *q = v; next_word(&q, w, sizeof(w));) {
			char *colon = strrchr(w, ':');
			enum bond_mode m = _BOND_MODE_INVALID;

			if (colon) {
				*colon = '\0';
				m = bond_mode_from_string(
				    w, BOND_MODE_BIT(BOND_MODE_8023AD) |
					   BOND_MODE_BIT(BOND_MODE_ACTIVE_BACKUP) |
					   BOND_MODE_BIT(BOND_MODE_SINGLE));
			}
			if (m == _BOND_MODE_INVALID ||
			    (strcmp(colon + 1, "ok") && strcmp(colon + 1, "failed"))) {
				if (colon)
					*colon = ':';
				bad(rd, k, w, "not MODE:ok or MODE:failed");
			} else if (s->n_rungs < STATE_MAX_RUNGS) {
				s->rung[s->n_rungs++] =
				    (struct state_rung){ .mode = m,
							 .ok = !strcmp(colon + 1, "ok") };
			}
		}
		return 0;
	case T_RESTORE:
		for (const char *q = v; next_word(&q, w, sizeof(w));) {
			char *colon = strrchr(w, ':');

			if (colon)
				*colon = '\0';
			if (!colon || !names_ifname_safe(w) ||
			    (strcmp(colon + 1, "up") && strcmp(colon + 1, "down"))) {
				if (colon)
					*colon = ':';
				bad(rd, k, w, "not NIC:up or NIC:down");
			} else if (s->n_restore < PROBE_MAX_NICS) {
				copy_name(s->restore_name[s->n_restore], w);
				s->restore_up[s->n_restore++] = !strcmp(colon + 1, "up");
			}
		}
		return 0;
	case T_MS:
		if (!parse_num(v, UINT32_MAX, &n))
			return bad(rd, k, v, "not milliseconds"), 0;
		*(int64_t *)p = n;
		return 0;
	}
	return 0;
}

/* The members: MACs are what matter; a name goes with the MAC at the same place. */
static void pair_members(struct reader *rd)
{
	static const struct key *kn, *km;
	struct state *s = rd->s;
	const char *pn = rd->names ? rd->names : "", *pm = rd->macs ? rd->macs : "";
	char name[64], mac[64];

	kn = key_find("PXEBOND_MEMBERS");
	km = key_find("PXEBOND_MEMBER_MACS");
	while (next_word(&pm, mac, sizeof(mac))) {
		uint8_t m[6];
		bool dup = false;

		if (!next_word(&pn, name, sizeof(name)))
			name[0] = '\0';
		if (!mac_parse_unicast(mac, m)) {
			bad(rd, km, mac, "not a unicast MAC address: that member");
			continue;
		}
		for (unsigned i = 0; i < s->n_members; i++)
			dup = dup || !memcmp(s->member_mac[i], m, 6);
		if (dup || s->n_members == PROBE_MAX_NICS) {
			bad(rd, km, mac, dup ? "listed twice: the second" : "one member too many");
			continue;
		}
		memcpy(s->member_mac[s->n_members], m, 6);
		s->members[s->n_members][0] = '\0';
		if (names_ifname_safe(name))
			copy_name(s->members[s->n_members], name);
		else if (name[0])
			bad(rd, kn, name,
			    "not an interface name pxebond uses: matched by MAC only");
		s->n_members++;
	}
}

static int fail(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct reader *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->warn, rd->warnlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int state_parse(const char *text, struct state *ret, char *warn, size_t warnlen)
{
	static char raw[N_KEYS][VALUE_MAX]; /* each key's value, quotes undone */
	static bool seen[N_KEYS];
	static struct state s;
	struct reader rd = { .s = &s, .warn = warn, .warnlen = warnlen };
	char key[64], shown[ESCAPE_SHOWN];
	unsigned lineno = 0;
	const char *line = text;

	if (warnlen)
		warn[0] = '\0';
	memset(seen, 0, sizeof(seen));
	while (*line) {
		size_t len = strcspn(line, "\n");
		const struct key *k;
		char *v;

		lineno++;
		if (len && line[0] != '#') {
			static char val[VALUE_MAX];

			if (!split_line(line, len, key, sizeof(key), val, sizeof(val))) {
				char l[ESCAPE_SHOWN];

				escape_text(l, sizeof(l), (const uint8_t *)line, len);
				return fail(&rd, "line %u is not KEY='VALUE': %s", lineno, l);
			}
			k = key_find(key);
			if (k && !strcmp(k->sh, key)) { /* unknown keys: a later version's */
				v = raw[k - keys];
				memcpy(v, val, sizeof(raw[0]));
				seen[k - keys] = true;
			}
		}
		line += len + (line[len] == '\n');
	}
	state_init(&s);
	if (!seen[0])
		return fail(&rd,
			    "no PXEBOND_STATE_VERSION: not a state of this pxebond (format %d)",
			    STATE_VERSION);
	if (parse_value(&rd, &keys[0], raw[0]) < 0)
		return fail(&rd, "PXEBOND_STATE_VERSION='%s' is not a format version",
			    escape_shown(raw[0], shown));
	if (s.version > STATE_VERSION)
		return fail(
		    &rd,
		    "state format %u is newer than this pxebond reads (%d): use the pxebond "
		    "that wrote it",
		    s.version, STATE_VERSION);
	if (!seen[1])
		return fail(&rd, "no PXEBOND_RESULT: not a state of pxebond up");
	for (size_t i = 1; i < N_KEYS; i++) {
		int r;

		if (!seen[i])
			continue;
		r = parse_value(&rd, &keys[i], raw[i]);
		if (r < 0)
			return fail(&rd, "%s='%s': not one pxebond up records", keys[i].sh,
				    escape_shown(raw[i], shown));
	}
	if (s.result == STATE_OK && !seen[2])
		return fail(&rd, "the state has no PXEBOND_MODE");
	pair_members(&rd);
	/* A lease is its address and prefix; without them nothing else of it counts. */
	if (s.has_lease && !s.lease.prefix) {
		log_append(warn, warnlen, "PXEBOND_IP without a PXEBOND_PREFIX: no lease, then");
		s.has_lease = false;
	}
	if (!s.has_lease)
		memset(&s.lease, 0, sizeof(s.lease));
	s.has_partner = s.has_partner && s.mode == BOND_MODE_8023AD;
	*ret = s;
	return 0;
}

int state_read(const char *dir, struct state *ret, char *warn, size_t warnlen)
{
	char path[4096], *text = NULL;
	size_t len;
	int r;

	if (warnlen)
		warn[0] = '\0';
	if (!state_path(dir, "state", path, sizeof(path))) {
		snprintf(warn, warnlen, "--state: the path is too long");
		return -ENAMETOOLONG;
	}
	r = file_read(path, STATE_FILE_MAX, false, &text, &len);
	if (r == -ENOENT)
		return r;
	if (r < 0) {
		snprintf(warn, warnlen, "%s: %s", path,
			 r == -EFBIG	? "larger than a state can be (64 KiB)"
			 : r == -EINVAL ? "not a regular file"
					: strerror(-r));
		return r;
	}
	if (strlen(text) != len) {
		free(text);
		snprintf(warn, warnlen, "%s: has a NUL byte: not a state", path);
		return -EINVAL;
	}
	r = state_parse(text, ret, warn, warnlen);
	free(text);
	if (r < 0) {
		char e[512];

		snprintf(e, sizeof(e), "%s", warn);
		snprintf(warn, warnlen, "%s: %s", path, e);
	}
	return r;
}

int state_get(const struct state *s, const char *name, char *out, size_t cap)
{
	const struct key *k = key_find(name);

	if (!k)
		return -ENOENT;
	value_str(s, k, out, cap);
	return 0;
}
