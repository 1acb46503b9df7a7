/* The probe's table and JSON. All escaping of strings for output lives here: what a
 * switch sends us is printed only through report_escape_text or report_json_string. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "report.h"

void report_mac(char out[REPORT_MAC_LEN], const uint8_t *mac)
{
	snprintf(out, REPORT_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
}

void report_escape_text(char *out, size_t cap, const uint8_t *b, size_t len)
{
	size_t o = 0;

	if (cap < 4) {
		if (cap)
			out[0] = '\0';
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char tmp[5];
		size_t n;

		if (b[i] == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "%c", b[i]);
		else
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", b[i]);
		if (o + n + 4 > cap) { /* keep room for "..." and NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
}

/* Length of the valid UTF-8 sequence at b (1..4), or 0; rejects overlongs, surrogates
 * and code points above U+10FFFF (RFC 3629). */
static size_t utf8_len(const uint8_t *b, size_t left)
{
	uint32_t cp;
	size_t n;

	if (b[0] < 0x80)
		return 1;
	if (b[0] >= 0xc2 && b[0] <= 0xdf)
		n = 2, cp = b[0] & 0x1f;
	else if (b[0] >= 0xe0 && b[0] <= 0xef)
		n = 3, cp = b[0] & 0x0f;
	else if (b[0] >= 0xf0 && b[0] <= 0xf4)
		n = 4, cp = b[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls: CSI and friends */
		return 0;
	return n;
}

void report_json_string(FILE *f, const uint8_t *b, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(b + i, len - i);

		if (n == 1 && (b[i] == '"' || b[i] == '\\')) {
			fprintf(f, "\\%c", b[i]);
		} else if (n == 1 && (b[i] < 0x20 || b[i] == 0x7f)) {
			fprintf(f, "\\u%04x", b[i]);
		} else if (n == 0) {
			fprintf(f, "\\\\x%02x", b[i]);
			n = 1;
		} else {
			fwrite(b + i, 1, n, f);
		}
		i += n;
	}
	fputc('"', f);
}

static void json_cstr(FILE *f, const char *s)
{
	report_json_string(f, (const uint8_t *)s, strlen(s));
}

/* Chassis and port IDs by subtype: MAC and network addresses in their usual form,
 * everything else as (escaped) text. Returns the text form for the table and JSON. */
static void format_addr(char *out, size_t cap, uint8_t family, const uint8_t *b, size_t len)
{
	if (family == 1 && len == 4)
		inet_ntop(AF_INET, b, out, (socklen_t)cap);
	else if (family == 2 && len == 16)
		inet_ntop(AF_INET6, b, out, (socklen_t)cap);
	else if (family == 6 && len == 6 && cap >= REPORT_MAC_LEN)
		report_mac(out, b);
	else
		report_escape_text(out, cap, b, len);
}

/* Writes an LLDP ID in display form; raw bytes when it is not an address. */
static void lldp_id(char *out, size_t cap, uint8_t subtype, const struct lldp_bytes *id,
		    uint8_t mac_subtype, uint8_t net_subtype, bool *is_text)
{
	*is_text = false;
	if (subtype == mac_subtype && id->len == 6 && cap >= REPORT_MAC_LEN)
		report_mac(out, id->b);
	else if (subtype == net_subtype && id->len >= 1)
		format_addr(out, cap, id->b[0], id->b + 1, id->len - 1u);
	else
		*is_text = true;
}

static void json_lldp_id(FILE *f, uint8_t subtype, const struct lldp_bytes *id, uint8_t mac_st,
			 uint8_t net_st)
{
	char buf[1100];
	bool text;

	lldp_id(buf, sizeof(buf), subtype, id, mac_st, net_st, &text);
	if (text)
		report_json_string(f, id->b, id->len);
	else
		json_cstr(f, buf);
}

static void json_lldp(FILE *f, const struct probe_nic *nic)
{
	const struct lldp_neighbor *l = &nic->lldp;
	char buf[1100];

	if (!nic->lldp_valid) {
		fputs("null", f);
		return;
	}
	fputs("{\"chassis_id\":", f);
	json_lldp_id(f, l->chassis_subtype, &l->chassis_id, LLDP_CHASSIS_MAC, LLDP_CHASSIS_NETADDR);
	fprintf(f, ",\"chassis_id_subtype\":%u,\"port_id\":", l->chassis_subtype);
	json_lldp_id(f, l->port_subtype, &l->port_id, LLDP_PORT_MAC, LLDP_PORT_NETADDR);
	fprintf(f, ",\"port_id_subtype\":%u,\"system_name\":", l->port_subtype);
	report_json_string(f, l->system_name.b, l->system_name.len);
	fputs(",\"port_description\":", f);
	report_json_string(f, l->port_description.b, l->port_description.len);
	fputs(",\"management_address\":", f);
	if (l->has_mgmt) {
		format_addr(buf, sizeof(buf), l->mgmt_subtype, l->mgmt_addr.b, l->mgmt_addr.len);
		json_cstr(f, buf);
	} else {
		fputs("null", f);
	}
	fputs(",\"port_vlan\":", f);
	l->port_vlan ? fprintf(f, "%u", l->port_vlan) : fputs("null", f);
	fputs(",\"max_frame_size\":", f);
	l->max_frame_size ? fprintf(f, "%u", l->max_frame_size) : fputs("null", f);
	fputs(",\"aggregation\":", f);
	if (l->has_aggregation)
		fprintf(f, "{\"capable\":%s,\"enabled\":%s,\"port_id\":%" PRIu32 "}",
			l->agg_capable ? "true" : "false", l->agg_enabled ? "true" : "false",
			l->agg_port_id);
	else
		fputs("null", f);
	fprintf(f, ",\"ttl\":%u,\"elapsed_ms\":%" PRId64 "}", l->ttl, nic->lldp_ms);
}

static void json_names(FILE *f, const struct probe_result *res, const unsigned *idx, unsigned n)
{
	fputc('[', f);
	for (unsigned i = 0; i < n; i++) {
		fputs(i ? "," : "", f);
		json_cstr(f, res->nic[idx[i]].name);
	}
	fputc(']', f);
}

void report_json_object(FILE *f, const struct probe_result *res, const struct plan *pl)
{
	char mac[REPORT_MAC_LEN], st[9];

	fputs("{\"interfaces\":[", f);
	for (unsigned i = 0; i < res->n; i++) {
		const struct probe_nic *nic = &res->nic[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_cstr(f, nic->name);
		report_mac(mac, nic->mac);
		fprintf(f, ",\"mac\":\"%s\"", mac);
		report_mac(mac, nic->perm_mac);
		fprintf(f, ",\"permanent_mac\":\"%s\",\"driver\":", mac);
		json_cstr(f, nic->driver);
		fprintf(f, ",\"carrier\":%s,\"speed_mbps\":", nic->carrier ? "true" : "false");
		nic->speed_mbps ? fprintf(f, "%" PRIu32, nic->speed_mbps) : fputs("null", f);
		fprintf(f, ",\"lacp\":{\"detected\":%s", nic->lacp_detected ? "true" : "false");
		if (nic->lacp_detected) {
			report_mac(mac, nic->partner.system);
			lacp_state_str(nic->partner.state, st);
			fprintf(
			    f,
			    ",\"partner_system\":\"%s\",\"partner_priority\":%u,"
			    "\"partner_key\":%u,\"partner_port\":%u,\"partner_port_priority\":%u,"
			    "\"partner_state\":%u,\"partner_flags\":\"%s\",\"elapsed_ms\":%" PRId64,
			    mac, nic->partner.system_priority, nic->partner.key, nic->partner.port,
			    nic->partner.port_priority, nic->partner.state, st, nic->lacp_ms);
		} else {
			fputs(",\"partner_system\":null,\"partner_priority\":null,\"partner_key\":"
			      "null,"
			      "\"partner_port\":null,\"partner_state\":null,\"elapsed_ms\":null",
			      f);
		}
		fprintf(f, ",\"sent\":%u,\"received\":%u},\"lldp\":", nic->lacp_tx, nic->lacp_rx);
		json_lldp(f, nic);
		fprintf(f, ",\"dropped_frames\":%u}", nic->dropped);
	}
	fputs("],\"groups\":[", f);
	for (unsigned k = 0; k < pl->n_groups; k++) {
		const struct plan_group *g = &pl->group[k];

		report_mac(mac, g->partner.system);
		fprintf(f,
			"%s{\"partner_system\":\"%s\",\"partner_priority\":%u,\"partner_key\":%u,"
			"\"role\":\"%s\",\"members\":",
			k ? "," : "", mac, g->partner.system_priority, g->partner.key,
			k ? "standby" : "primary");
		json_names(f, res, g->member, g->n);
		fputc('}', f);
	}
	fprintf(f, "],\"decision\":{\"mode\":\"%s\",\"members\":", plan_mode_name(pl->mode));
	json_names(f, res, pl->member, pl->n_members);
	fputs(",\"primary\":", f);
	json_names(f, res, pl->member, pl->n_primary);
	fputs(",\"reason\":", f);
	json_cstr(f, pl->reason);
	report_mac(mac, res->actor.system);
	fprintf(f,
		"},\"actor\":{\"system\":\"%s\",\"system_priority\":%u,\"key\":%u},"
		"\"withdrawn\":%s,\"elapsed_ms\":%" PRId64 "}",
		mac, res->actor.system_priority, res->actor.key, res->withdrew ? "true" : "false",
		res->elapsed_ms);
}

void report_json(FILE *f, const struct probe_result *res, const struct plan *pl)
{
	report_json_object(f, res, pl);
	fputc('\n', f);
}

/* The table: cells are built first, then printed padded to each column's width. */
enum { COL_NIC, COL_MAC, COL_LINK, COL_LACP, COL_STATE, COL_TIME, COL_LLDP, NCOLS };
#define CELL 96

static void table_row(FILE *f, char cells[][NCOLS][CELL], unsigned rows)
{
	size_t w[NCOLS] = { 0 };

	for (unsigned r = 0; r < rows; r++)
		for (int c = 0; c < NCOLS; c++)
			if (strlen(cells[r][c]) > w[c])
				w[c] = strlen(cells[r][c]);
	for (unsigned r = 0; r < rows; r++) {
		for (int c = 0; c < NCOLS - 1; c++)
			fprintf(f, "%-*s  ", (int)w[c], cells[r][c]);
		fprintf(f, "%s\n", cells[r][NCOLS - 1]);
	}
}

static void table_lldp(char *out, size_t cap, const struct probe_nic *nic)
{
	const struct lldp_neighbor *l = &nic->lldp;
	char sw[40], port[40];
	bool text;

	if (!nic->lldp_valid) {
		snprintf(out, cap, "-");
		return;
	}
	if (l->system_name.len)
		report_escape_text(sw, sizeof(sw), l->system_name.b, l->system_name.len);
	else if (lldp_id(sw, sizeof(sw), l->chassis_subtype, &l->chassis_id, LLDP_CHASSIS_MAC,
			 LLDP_CHASSIS_NETADDR, &text),
		 text)
		report_escape_text(sw, sizeof(sw), l->chassis_id.b, l->chassis_id.len);
	lldp_id(port, sizeof(port), l->port_subtype, &l->port_id, LLDP_PORT_MAC, LLDP_PORT_NETADDR,
		&text);
	/* A port known only by its MAC says more by its description (lldpd's default). */
	if (l->port_subtype == LLDP_PORT_MAC && l->port_description.len)
		report_escape_text(port, sizeof(port), l->port_description.b,
				   l->port_description.len);
	else if (text)
		report_escape_text(port, sizeof(port), l->port_id.b, l->port_id.len);
	snprintf(out, cap, "%s %s%s", sw, port,
		 l->has_aggregation ? (l->agg_enabled ? " (in LAG)" : " (LAG-capable)") : "");
}

void report_table(FILE *f, const struct probe_result *res, const struct plan *pl)
{
	static char cells[PROBE_MAX_NICS + 1][NCOLS][CELL];
	static const char *const head[NCOLS] = {
		"NIC", "MAC", "LINK", "LACP PARTNER", "STATE", "TIME", "LLDP SWITCH PORT"
	};
	char mac[REPORT_MAC_LEN];

	for (int c = 0; c < NCOLS; c++)
		snprintf(cells[0][c], CELL, "%s", head[c]);
	for (unsigned i = 0; i < res->n; i++) {
		const struct probe_nic *nic = &res->nic[i];
		char(*row)[CELL] = cells[i + 1];

		snprintf(row[COL_NIC], CELL, "%s", nic->name);
		report_mac(row[COL_MAC], nic->perm_mac);
		if (!nic->carrier)
			snprintf(row[COL_LINK], CELL, "no carrier");
		else if (nic->speed_mbps)
			snprintf(row[COL_LINK], CELL, "up %" PRIu32 "M", nic->speed_mbps);
		else
			snprintf(row[COL_LINK], CELL, "up");
		if (nic->lacp_detected) {
			report_mac(mac, nic->partner.system);
			snprintf(row[COL_LACP], CELL, "%u/%s key %u port %u",
				 nic->partner.system_priority, mac, nic->partner.key,
				 nic->partner.port);
			lacp_state_str(nic->partner.state, row[COL_STATE]);
			snprintf(row[COL_TIME], CELL, "%" PRId64 "ms", nic->lacp_ms);
		} else {
			snprintf(row[COL_LACP], CELL, nic->carrier ? "none" : "-");
			snprintf(row[COL_STATE], CELL, "-");
			snprintf(row[COL_TIME], CELL, "-");
		}
		table_lldp(row[COL_LLDP], CELL, nic);
	}
	table_row(f, cells, res->n + 1);

	if (pl->n_groups)
		fputc('\n', f);
	for (unsigned k = 0; k < pl->n_groups; k++) {
		const struct plan_group *g = &pl->group[k];

		report_mac(mac, g->partner.system);
		fprintf(f, "group %u  partner %u/%s key %u  %s:", k + 1, g->partner.system_priority,
			mac, g->partner.key, k ? "standby" : "primary");
		for (unsigned m = 0; m < g->n; m++)
			fprintf(f, " %s", res->nic[g->member[m]].name);
		fputc('\n', f);
	}
	fprintf(f, "\ndecision: %s", plan_mode_name(pl->mode));
	for (unsigned m = 0; m < pl->n_members; m++)
		fprintf(f, "%s%s", m ? "," : " ", res->nic[pl->member[m]].name);
	fprintf(f, "\nreason:   %s\n", pl->reason);
}
