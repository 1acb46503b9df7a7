/* The probe's table and JSON. What a switch sends us is printed only through escape.c:
 * escape_text or escape_json. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "escape.h"
#include "mac.h"
#include "report.h"

static void json_cstr(FILE *f, const char *s)
{
	escape_json(f, (const uint8_t *)s, strlen(s));
}

/* Chassis and port IDs by subtype: MAC and network addresses in their usual form,
 * everything else as (escaped) text. Returns the text form for the table and JSON. */
static void format_addr(char *out, size_t cap, uint8_t family, const uint8_t *b, size_t len)
{
	if (family == 1 && len == 4)
		inet_ntop(AF_INET, b, out, (socklen_t)cap);
	else if (family == 2 && len == 16)
		inet_ntop(AF_INET6, b, out, (socklen_t)cap);
	else if (family == 6 && len == 6 && cap >= MAC_STR_LEN)
		mac_to_str(out, b);
	else
		escape_text(out, cap, b, len);
}

/* Writes an LLDP ID in display form; raw bytes when it is not an address. */
static void lldp_id(char *out, size_t cap, uint8_t subtype, const struct lldp_bytes *id,
		    uint8_t mac_subtype, uint8_t net_subtype, bool *is_text)
{
	*is_text = false;
	if (subtype == mac_subtype && id->len == 6 && cap >= MAC_STR_LEN)
		mac_to_str(out, id->b);
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
		escape_json(f, id->b, id->len);
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
	escape_json(f, l->system_name.b, l->system_name.len);
	fputs(",\"port_description\":", f);
	escape_json(f, l->port_description.b, l->port_description.len);
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
	char mac[MAC_STR_LEN], st[9];

	fputs("{\"interfaces\":[", f);
	for (unsigned i = 0; i < res->n; i++) {
		const struct probe_nic *nic = &res->nic[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_cstr(f, nic->name);
		mac_to_str(mac, nic->mac);
		fprintf(f, ",\"mac\":\"%s\"", mac);
		mac_to_str(mac, nic->perm_mac);
		fprintf(f, ",\"permanent_mac\":\"%s\",\"driver\":", mac);
		json_cstr(f, nic->driver);
		fprintf(f, ",\"carrier\":%s,\"late\":%s,\"speed_mbps\":",
			nic->carrier ? "true" : "false", nic->late ? "true" : "false");
		nic->speed_mbps ? fprintf(f, "%" PRIu32, nic->speed_mbps) : fputs("null", f);
		fprintf(f, ",\"lacp\":{\"detected\":%s", nic->lacp_detected ? "true" : "false");
		if (nic->lacp_detected) {
			mac_to_str(mac, nic->partner.system);
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
			      "null,\"partner_port\":null,\"partner_port_priority\":null,"
			      "\"partner_state\":null,\"partner_flags\":null,\"elapsed_ms\":null",
			      f);
		}
		/* cut off: the probe's --timeout came first, so "not detected" means unknown */
		fprintf(f, ",\"sent\":%u,\"received\":%u,\"cut_off\":%s},\"lldp\":", nic->lacp_tx,
			nic->lacp_rx, nic->cut_off ? "true" : "false");
		json_lldp(f, nic);
		fprintf(f, ",\"dropped_frames\":%u}", nic->dropped);
	}
	fputs("],\"groups\":[", f);
	for (unsigned k = 0; k < pl->n_groups; k++) {
		const struct plan_group *g = &pl->group[k];

		mac_to_str(mac, g->partner.system);
		fprintf(f,
			"%s{\"partner_system\":\"%s\",\"partner_priority\":%u,\"partner_key\":%u,"
			"\"role\":\"%s\",\"members\":",
			k ? "," : "", mac, g->partner.system_priority, g->partner.key,
			k ? "standby" : "primary");
		json_names(f, res, g->member, g->n);
		fputc('}', f);
	}
	fprintf(f, "],\"decision\":{\"mode\":\"%s\",\"members\":", bond_mode_to_string(pl->mode));
	json_names(f, res, pl->member, pl->n_members);
	fputs(",\"primary\":", f);
	json_names(f, res, pl->member, pl->n_primary);
	fputs(",\"reason\":", f);
	json_cstr(f, pl->reason);
	mac_to_str(mac, res->actor.system);
	fprintf(f,
		"},\"actor\":{\"system\":\"%s\",\"system_priority\":%u,\"key\":%u},"
		"\"withdrawn\":%s,\"timed_out\":%s,\"elapsed_ms\":%" PRId64 "}",
		mac, res->actor.system_priority, res->actor.key, res->withdrew ? "true" : "false",
		res->timed_out ? "true" : "false", res->elapsed_ms);
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
		escape_text(sw, sizeof(sw), l->system_name.b, l->system_name.len);
	else if (lldp_id(sw, sizeof(sw), l->chassis_subtype, &l->chassis_id, LLDP_CHASSIS_MAC,
			 LLDP_CHASSIS_NETADDR, &text),
		 text)
		escape_text(sw, sizeof(sw), l->chassis_id.b, l->chassis_id.len);
	lldp_id(port, sizeof(port), l->port_subtype, &l->port_id, LLDP_PORT_MAC, LLDP_PORT_NETADDR,
		&text);
	/* A port known only by its MAC says more by its description (lldpd's default). */
	if (l->port_subtype == LLDP_PORT_MAC && l->port_description.len)
		escape_text(port, sizeof(port), l->port_description.b, l->port_description.len);
	else if (text)
		escape_text(port, sizeof(port), l->port_id.b, l->port_id.len);
	snprintf(out, cap, "%s %s%s", sw, port,
		 l->has_aggregation ? (l->agg_enabled ? " (in LAG)" : " (LAG-capable)") : "");
}

void report_table(FILE *f, const struct probe_result *res, const struct plan *pl)
{
	static char cells[PROBE_MAX_NICS + 1][NCOLS][CELL];
	static const char *const head[NCOLS] = {
		"NIC", "MAC", "LINK", "LACP PARTNER", "STATE", "TIME", "LLDP SWITCH PORT"
	};
	char mac[MAC_STR_LEN];

	for (int c = 0; c < NCOLS; c++)
		snprintf(cells[0][c], CELL, "%s", head[c]);
	for (unsigned i = 0; i < res->n; i++) {
		const struct probe_nic *nic = &res->nic[i];
		char(*row)[CELL] = cells[i + 1];

		snprintf(row[COL_NIC], CELL, "%s", nic->name);
		mac_to_str(row[COL_MAC], nic->perm_mac);
		if (!nic->carrier)
			snprintf(row[COL_LINK], CELL, "no carrier");
		else if (nic->speed_mbps)
			snprintf(row[COL_LINK], CELL, "up %" PRIu32 "M", nic->speed_mbps);
		else
			snprintf(row[COL_LINK], CELL, "up");
		if (nic->lacp_detected) {
			mac_to_str(mac, nic->partner.system);
			snprintf(row[COL_LACP], CELL, "%u/%s key %u port %u",
				 nic->partner.system_priority, mac, nic->partner.key,
				 nic->partner.port);
			lacp_state_str(nic->partner.state, row[COL_STATE]);
			snprintf(row[COL_TIME], CELL, "%" PRId64 "ms", nic->lacp_ms);
		} else {
			snprintf(row[COL_LACP], CELL,
				 nic->late	? "late (joins if same LAG)"
				 : nic->cut_off ? "unknown (--timeout)"
				 : nic->carrier ? "none"
						: "-");
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

		mac_to_str(mac, g->partner.system);
		fprintf(f, "group %u  partner %u/%s key %u  %s:", k + 1, g->partner.system_priority,
			mac, g->partner.key, k ? "standby" : "primary");
		for (unsigned m = 0; m < g->n; m++)
			fprintf(f, " %s", res->nic[g->member[m]].name);
		fputc('\n', f);
	}
	if (res->timed_out)
		fputs("\nthe probe's --timeout ended it before every verdict: 'unknown' is not "
		      "'none'\n",
		      f);
	fprintf(f, "\ndecision: %s", bond_mode_to_string(pl->mode));
	for (unsigned m = 0; m < pl->n_members; m++)
		fprintf(f, "%s%s", m ? "," : " ", res->nic[pl->member[m]].name);
	fprintf(f, "\nreason:   %s\n", pl->reason);
}
