/* libFuzzer target: lldp_decode on any bytes, then the neighbour through both output
 * forms, so the escaping sees whatever a switch could send. */
#include <stdio.h>
#include <string.h>

#include "lldp.h"
#include "plan.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct probe_result res;
	static struct plan pl;
	static FILE *null;
	struct probe_nic *n = &res.nic[0];

	if (!null)
		null = fopen("/dev/null", "w");
	memset(n, 0, sizeof(*n));
	if (lldp_decode(data, size, &n->lldp) != LLDP_OK)
		return 0;
	res.n = 1;
	snprintf(n->name, sizeof(n->name), "eth0");
	n->carrier = n->lldp_valid = true;
	plan_decide(&res, &pl);
	report_json(null, &res, &pl);
	report_table(null, &res, &pl);
	return 0;
}
