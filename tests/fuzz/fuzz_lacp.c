/* libFuzzer target: lacp_decode on any bytes; what decodes must re-encode the same. */
#include <stdlib.h>
#include <string.h>

#include "lacp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lacpdu d, e;
	uint8_t f[LACP_FRAME_LEN];
	char st[9];

	if (lacp_decode(data, size, &d) != LACP_OK)
		return 0;
	lacp_state_str(d.actor.state, st);
	lacp_encode(f, d.src, &d.actor, &d.partner);
	if (lacp_decode(f, sizeof(f), &e) != LACP_OK ||
	    memcmp(&d.actor, &e.actor, sizeof(d.actor)) != 0 ||
	    memcmp(&d.partner, &e.partner, sizeof(d.partner)) != 0)
		abort();
	return 0;
}
