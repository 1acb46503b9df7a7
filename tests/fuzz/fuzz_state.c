/* libFuzzer target: reading a state file back (`down` trusts nothing in it). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), out[64];

	memcpy(text, data, size);
	text[size] = '\0';
	if (state_get(text, "PXEBOND_BOND", out, sizeof(out)) && strlen(out) >= sizeof(out))
		abort();
	state_get(text, "PXEBOND_RESTORE", out, 1);
	free(text);
	return 0;
}
