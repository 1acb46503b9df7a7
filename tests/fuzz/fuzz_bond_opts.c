/* libFuzzer target: bond option strings (from the command line and /proc/cmdline);
 * what parses must format and parse back to the same options. */
#include <stdlib.h>
#include <string.h>

#include "bond_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bond_opts a = { 0 }, b = { 0 };
	char *text = malloc(size + 1), err[160], out[1024];

	memcpy(text, data, size);
	text[size] = '\0';
	if (bond_opts_parse(&a, text, err, sizeof(err)) == 0) {
		bond_opts_format(&a, ',', out, sizeof(out));
		if (bond_opts_parse(&b, out, err, sizeof(err)) != 0 ||
		    memcmp(a.set, b.set, sizeof(a.set)) != 0)
			abort();
		for (int i = 0; i < _BOND_OPT_MAX; i++)
			if (a.set[i] && a.val[i] != b.val[i])
				abort();
	}
	free(text);
	return 0;
}
