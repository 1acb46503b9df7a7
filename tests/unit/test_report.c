/* report.c: the probe's table and JSON, with what a switch sends escaped. */
#include <stdlib.h>

#include "report.h"
#include "unit.h"

/* A result with a hostile neighbour, printed both ways. */
static void fill(struct probe_result *res, struct plan *pl)
{
	struct probe_nic *n = &res->nic[0];
	static const char evil[] = "\x1b[2J\"},{\"x\":1\n\xff";

	memset(res, 0, sizeof(*res));
	res->n = 2;
	snprintf(n->name, sizeof(n->name), "eth0");
	n->carrier = true;
	n->speed_mbps = 1000;
	n->lacp_detected = true;
	n->partner = (struct lacp_info){ .system_priority = 127,
					 .system = { 0, 0x11, 0x22, 0x33, 0x44, 0x55 },
					 .key = 13,
					 .port = 3,
					 .state = 0x3f };
	n->lacp_ms = 2;
	n->lldp_valid = true;
	n->lldp.chassis_subtype = LLDP_CHASSIS_MAC;
	n->lldp.chassis_id.len = 6;
	memcpy(n->lldp.chassis_id.b, n->partner.system, 6);
	n->lldp.port_subtype = 7;
	n->lldp.port_id.len = sizeof(evil) - 1;
	memcpy(n->lldp.port_id.b, evil, sizeof(evil) - 1);
	n->lldp.system_name.len = sizeof(evil) - 1;
	memcpy(n->lldp.system_name.b, evil, sizeof(evil) - 1);
	snprintf(res->nic[1].name, sizeof(res->nic[1].name), "eth1");
	plan_decide(res, pl);
}

static void json_document(void)
{
	static struct probe_result res;
	static struct plan pl;
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	fill(&res, &pl);
	report_json(f, &res, &pl);
	fclose(f);
	CHECK(strstr(out, "\"partner_system\":\"00:11:22:33:44:55\",\"partner_priority\":127,"
			  "\"partner_key\":13,\"partner_port\":3") != NULL);
	CHECK(strstr(out, "\"system_name\":\"\\u001b[2J\\\"},{\\\"x\\\":1\\u000a\\\\xff\"") !=
	      NULL);
	CHECK(strstr(out, "\"chassis_id\":\"00:11:22:33:44:55\"") != NULL);
	CHECK(strstr(out, "\"decision\":{\"mode\":\"802.3ad\",\"members\":[\"eth0\"]") != NULL);
	CHECK(strchr(out, '\x1b') == NULL && strchr(out, '\xff') == NULL);
	CHECK(out[n - 1] == '\n' && strchr(out, '\n') == out + n - 1);
	free(out);
}

static void table(void)
{
	static struct probe_result res;
	static struct plan pl;
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	fill(&res, &pl);
	report_table(f, &res, &pl);
	fclose(f);
	CHECK(strstr(out, "NIC   MAC") == out);
	CHECK(strstr(out, "127/00:11:22:33:44:55 key 13 port 3") != NULL);
	CHECK(strstr(out, "ATGSCD--") != NULL);
	CHECK(strstr(out, "\\x1b[2J\"},{\"x\":1\\x0a\\xff") != NULL);
	CHECK(strchr(out, '\x1b') == NULL);
	CHECK(strstr(out, "eth1  00:00:00:00:00:00  no carrier") != NULL);
	CHECK(strstr(out, "decision: 802.3ad eth0") != NULL);
	free(out);
}

const struct unit_test report_tests[] = {
	{ "report: JSON document with a hostile neighbour", json_document },
	{ "report: table with a hostile neighbour", table },
	{ 0 },
};
