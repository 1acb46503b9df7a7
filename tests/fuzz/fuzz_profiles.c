/* libFuzzer target: other tools' profiles in a target (`write --set-aside` reads every
 * keyfile and ifcfg file there): no crash, nothing read past its field. */
#include <stdlib.h>
#include <string.h>

#include "profiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char uuids[1][PROFILE_ID_MAX] = { "0d6a3b7e-9a1c-8b2f-9d4e-1a2b3c4d5e6f" };
	static struct model m = { .name = "bond0", .mode = BOND_MODE_8023AD, .n_members = 1 };
	char *text = malloc(size + 1);
	struct profile p;

	memcpy(text, data, size);
	text[size] = '\0';
	profile_parse(text, &p);
	if (strlen(p.ifname) >= PROFILE_ID_MAX || p.n_master > PROFILE_MASTERS)
		abort();
	profile_conflicts(&p, &m, uuids, 1);
	free(text);
	return 0;
}
