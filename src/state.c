/* What `up` did: DIR/state (sourceable, as dracut's /tmp/net.*.info) and DIR/state.json.
 * Keys are documented in docs/pxebond.8; values are single-quoted, quotes escaped. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "state.h"

static void sh_kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s='", key);
	for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else if (*p < ' ' || *p == 0x7f)
			fputc(' ', f); /* one line per key; no control byte (dhcp.c lets none in) */
		else
			fputc(*p, f);
	}
	fputs("'\n", f);
}

/* The lease's numbers as text; all empty without a lease. */
struct lease_text {
	char ip[16], prefix[4], netmask[16], broadcast[16], siaddr[16], server_id[16];
	char router[DHCP_MAX_ADDRS * 16], dns[DHCP_MAX_ADDRS * 16];
	char mtu[8], lease[12], renew[12], rebind[12];
};

static void lease_text(const struct state *s, struct lease_text *t)
{
	const struct dhcp_lease *l = &s->lease;

	memset(t, 0, sizeof(*t));
	if (!s->has_lease)
		return;
	dhcp_ip_str(l->addr, t->ip);
	snprintf(t->prefix, sizeof(t->prefix), "%u", l->prefix);
	dhcp_ip_str(l->netmask, t->netmask);
	if (l->broadcast)
		dhcp_ip_str(l->broadcast, t->broadcast);
	if (l->siaddr)
		dhcp_ip_str(l->siaddr, t->siaddr);
	dhcp_ip_str(l->server_id, t->server_id);
	dhcp_ip_list(l->router, l->n_router, t->router, sizeof(t->router));
	dhcp_ip_list(l->dns, l->n_dns, t->dns, sizeof(t->dns));
	if (l->mtu)
		snprintf(t->mtu, sizeof(t->mtu), "%u", l->mtu);
	if (l->has_lease)
		snprintf(t->lease, sizeof(t->lease), "%" PRIu32, l->lease_s);
	if (l->has_t1)
		snprintf(t->renew, sizeof(t->renew), "%" PRIu32, l->t1_s);
	if (l->has_t2)
		snprintf(t->rebind, sizeof(t->rebind), "%" PRIu32, l->t2_s);
}

/* A string of the lease, or nothing when there is none (a failed rung's stays out). */
static const char *ls(const struct state *s, const char *v)
{
	return s->has_lease ? v : "";
}

static void sh_ms(FILE *f, const char *key, int64_t ms)
{
	char v[24] = "";

	if (ms >= 0)
		snprintf(v, sizeof(v), "%" PRId64, ms);
	sh_kv(f, key, v);
}

static void join_names(const struct state *s, char *out, size_t cap, bool macs)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < s->n_members && o < cap; i++) {
		char m[REPORT_MAC_LEN];

		report_mac(m, s->member_mac[i]);
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "",
				      macs ? m : s->members[i]);
	}
}

const char *state_result(const struct state *s)
{
	return s->ok ? "ok" : s->skipped ? "skipped" : "failed";
}

void state_format_sh(FILE *f, const struct state *s)
{
	const struct dhcp_lease *l = &s->lease;
	char buf[1200], mac[REPORT_MAC_LEN];
	struct lease_text t;
	size_t o = 0;

	fputs("# pxebond up: what it did. Sourceable; see pxebond(8), FILES.\n", f);
	sh_kv(f, "PXEBOND_RESULT", state_result(s));
	sh_kv(f, "PXEBOND_MODE", s->mode);
	sh_kv(f, "PXEBOND_IFACE", s->iface);
	sh_kv(f, "PXEBOND_BOND", s->bond);
	join_names(s, buf, sizeof(buf), false);
	sh_kv(f, "PXEBOND_MEMBERS", buf);
	join_names(s, buf, sizeof(buf), true);
	sh_kv(f, "PXEBOND_MEMBER_MACS", buf);
	sh_kv(f, "PXEBOND_ACTIVE", s->active);
	report_mac(mac, s->mac);
	sh_kv(f, "PXEBOND_BOND_MAC", s->bond[0] ? mac : "");
	sh_kv(f, "PXEBOND_BOND_OPTS", s->bond_opts);
	report_mac(mac, s->actor_system);
	sh_kv(f, "PXEBOND_ACTOR_SYSTEM", mac);
	report_mac(mac, s->partner_system);
	sh_kv(f, "PXEBOND_PARTNER_SYSTEM", s->has_partner ? mac : "");
	snprintf(buf, sizeof(buf), "%u", s->partner_key);
	sh_kv(f, "PXEBOND_PARTNER_KEY", s->has_partner ? buf : "");
	lease_text(s, &t);
	sh_kv(f, "PXEBOND_IP", t.ip);
	sh_kv(f, "PXEBOND_PREFIX", t.prefix);
	sh_kv(f, "PXEBOND_NETMASK", t.netmask);
	sh_kv(f, "PXEBOND_BROADCAST", t.broadcast);
	sh_kv(f, "PXEBOND_ROUTER", t.router);
	sh_kv(f, "PXEBOND_DNS", t.dns);
	sh_kv(f, "PXEBOND_DOMAIN", ls(s, l->domain));
	sh_kv(f, "PXEBOND_SEARCH", ls(s, l->search));
	sh_kv(f, "PXEBOND_HOSTNAME", ls(s, l->hostname));
	sh_kv(f, "PXEBOND_MTU", t.mtu);
	sh_kv(f, "PXEBOND_SERVER_ID", t.server_id);
	sh_kv(f, "PXEBOND_NEXT_SERVER", t.siaddr);
	sh_kv(f, "PXEBOND_TFTP_SERVER", ls(s, l->tftp));
	sh_kv(f, "PXEBOND_BOOTFILE", ls(s, l->bootfile[0] ? l->bootfile : l->boot_file));
	sh_kv(f, "PXEBOND_ROOT_PATH", ls(s, l->root_path));
	sh_kv(f, "PXEBOND_LEASE_SECONDS", t.lease);
	sh_kv(f, "PXEBOND_RENEW_SECONDS", t.renew);
	sh_kv(f, "PXEBOND_REBIND_SECONDS", t.rebind);
	snprintf(buf, sizeof(buf), "%d", s->renew_pid);
	sh_kv(f, "PXEBOND_RENEW_PID", s->renew_pid > 0 ? buf : "");
	buf[0] = '\0';
	for (unsigned i = 0; i < s->n_rungs && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s:%s", i ? " " : "",
				      s->rung[i].mode, s->rung[i].ok ? "ok" : "failed");
	sh_kv(f, "PXEBOND_RUNGS", buf);
	o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < s->n_restore && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s:%s", i ? " " : "",
				      s->restore_name[i], s->restore_up[i] ? "up" : "down");
	sh_kv(f, "PXEBOND_RESTORE", buf);
	snprintf(buf, sizeof(buf), "%u", s->restore_mtu);
	sh_kv(f, "PXEBOND_RESTORE_MTU", s->restore_mtu ? buf : "");
	sh_ms(f, "PXEBOND_T_CARRIER_MS", s->t.carrier);
	sh_ms(f, "PXEBOND_T_FIRST_LACPDU_MS", s->t.first_lacpdu);
	sh_ms(f, "PXEBOND_T_PROBE_MS", s->t.probe_done);
	sh_ms(f, "PXEBOND_T_ENSLAVED_MS", s->t.enslaved);
	sh_ms(f, "PXEBOND_T_BOND_UP_MS", s->t.bond_up);
	sh_ms(f, "PXEBOND_T_PARTNER_SYNC_MS", s->t.partner_sync);
	sh_ms(f, "PXEBOND_T_COLLECTING_MS", s->t.collecting_distributing);
	sh_ms(f, "PXEBOND_T_LEASE_MS", s->t.lease);
}

static void js(FILE *f, const char *s)
{
	report_json_string(f, (const uint8_t *)s, strlen(s));
}

static void json_ms(FILE *f, const char *key, int64_t ms, bool last)
{
	if (ms >= 0)
		fprintf(f, "\"%s\":%" PRId64 "%s", key, ms, last ? "" : ",");
	else
		fprintf(f, "\"%s\":null%s", key, last ? "" : ",");
}

void state_format_json(FILE *f, const struct state *s, const struct probe_result *res,
		       const struct plan *pl)
{
	char mac[REPORT_MAC_LEN];
	const struct dhcp_lease *l = &s->lease;
	struct lease_text t;

	fprintf(f, "{\"result\":\"%s\",\"mode\":", state_result(s));
	js(f, s->mode);
	fputs(",\"iface\":", f);
	js(f, s->iface);
	fputs(",\"bond\":", f);
	s->bond[0] ? js(f, s->bond) : (void)fputs("null", f);
	fputs(",\"members\":[", f);
	for (unsigned i = 0; i < s->n_members; i++) {
		report_mac(mac, s->member_mac[i]);
		fprintf(f, "%s{\"name\":", i ? "," : "");
		js(f, s->members[i]);
		fprintf(f, ",\"permanent_mac\":\"%s\"}", mac);
	}
	fputs("],\"active\":", f);
	s->active[0] ? js(f, s->active) : (void)fputs("null", f);
	/* As in the sh form: a single NIC has no bond MAC (s->mac may hold a failed rung's). */
	report_mac(mac, s->mac);
	if (s->bond[0])
		fprintf(f, ",\"bond_mac\":\"%s\",\"bond_opts\":", mac);
	else
		fputs(",\"bond_mac\":null,\"bond_opts\":", f);
	js(f, s->bond_opts);
	report_mac(mac, s->actor_system);
	fprintf(f, ",\"actor_system\":\"%s\",\"partner\":", mac);
	if (s->has_partner) {
		report_mac(mac, s->partner_system);
		fprintf(f, "{\"system\":\"%s\",\"key\":%u}", mac, s->partner_key);
	} else {
		fputs("null", f);
	}
	fputs(",\"rungs\":[", f);
	for (unsigned i = 0; i < s->n_rungs; i++) {
		const struct state_rung *r = &s->rung[i];

		fprintf(f, "%s{\"mode\":", i ? "," : "");
		js(f, r->mode);
		fputs(",\"iface\":", f);
		js(f, r->iface);
		fputs(",\"members\":", f);
		js(f, r->members);
		fprintf(f, ",\"result\":\"%s\",\"why\":", r->ok ? "ok" : "failed");
		r->why[0] ? js(f, r->why) : (void)fputs("null", f);
		fprintf(f, ",\"elapsed_ms\":%" PRId64 "}", r->ms);
	}
	fputs("],\"lease\":", f);
	if (s->has_lease) {
#define LF(v, name)                                                                                \
	do {                                                                                       \
		fputs(",\"" name "\":", f);                                                        \
		js(f, v);                                                                          \
	} while (0)
		lease_text(s, &t);
		fputs("{\"ip\":", f);
		js(f, t.ip);
		LF(t.prefix, "prefix");
		LF(t.netmask, "netmask");
		LF(t.broadcast, "broadcast");
		LF(t.router, "router");
		LF(t.dns, "dns");
		LF(l->domain, "domain");
		LF(l->search, "search");
		LF(l->hostname, "hostname");
		LF(t.mtu, "mtu");
		LF(t.siaddr, "next_server");
		LF(l->sname, "server_name");
		LF(l->boot_file, "boot_file");
		LF(l->bootfile, "bootfile_option");
		LF(l->tftp, "tftp_server");
		LF(l->root_path, "root_path");
		LF(t.server_id, "server_id");
		LF(t.lease, "lease_seconds");
		LF(t.renew, "renew_seconds");
		LF(t.rebind, "rebind_seconds");
#undef LF
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	if (s->renew_pid > 0)
		fprintf(f, ",\"renew_pid\":%d", s->renew_pid);
	else
		fputs(",\"renew_pid\":null", f);
	fputs(",\"timeline_ms\":{", f);
	json_ms(f, "carrier", s->t.carrier, false);
	json_ms(f, "first_lacpdu", s->t.first_lacpdu, false);
	json_ms(f, "probe_done", s->t.probe_done, false);
	json_ms(f, "enslaved", s->t.enslaved, false);
	json_ms(f, "bond_up", s->t.bond_up, false);
	json_ms(f, "partner_sync", s->t.partner_sync, false);
	json_ms(f, "collecting_distributing", s->t.collecting_distributing, false);
	json_ms(f, "lease", s->t.lease, true);
	fputs("},\"probe\":", f);
	if (res && pl)
		report_json_object(f, res, pl);
	else
		fputs("null", f);
	fputs("}\n", f);
}

/* Writes one file under dir by temp file, fsync and rename: never half-written. */
static int write_atomic(const char *dir, const char *name, const struct state *s,
			const struct probe_result *res, const struct plan *pl, bool json)
{
	char path[256], tmp[264];
	FILE *f;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		goto fail;
	}
	if (json)
		state_format_json(f, s, res, pl);
	else
		state_format_sh(f, s);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r == 0)
		return 0;
fail:
	unlink(tmp);
	return r;
}

int state_write(const char *dir, const struct state *s, const struct probe_result *res,
		const struct plan *pl)
{
	int r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	r = write_atomic(dir, "state.json", s, res, pl, true);
	if (r == 0)
		r = write_atomic(dir, "state", s, res, pl, false);
	return r;
}

bool state_get(const char *text, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);

	for (const char *line = text; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p;
		size_t o = 0;

		if (strncmp(line, key, kl) != 0 || line[kl] != '=' || line[kl + 1] != '\'')
			continue;
		/* 'a'\''b' : quoted runs joined by escaped quotes, to the end of the line. */
		for (p = line + kl + 1; *p && *p != '\n';) {
			if (*p == '\'') {
				const char *q = strchr(p + 1, '\'');

				if (!q)
					return false;
				for (p++; p < q; p++)
					if (o + 1 < cap)
						out[o++] = *p;
				p = q + 1;
			} else if (p[0] == '\\' && p[1] == '\'') {
				if (o + 1 < cap)
					out[o++] = '\'';
				p += 2;
			} else {
				return false;
			}
		}
		if (cap)
			out[o < cap ? o : cap - 1] = '\0';
		return true;
	}
	return false;
}
