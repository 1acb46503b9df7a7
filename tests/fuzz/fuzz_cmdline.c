/* libFuzzer target: a kernel command line into `up`'s settings. */
#include <stdlib.h>
#include <string.h>

#include "up.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct up_config cfg;
	char *text = malloc(size + 1), warn[2048];

	memcpy(text, data, size);
	text[size] = '\0';
	up_config_init(&cfg);
	up_config_from_cmdline(&cfg, text, warn, sizeof(warn));
	if (strlen(cfg.bond) >= sizeof(cfg.bond) || cfg.n_checks > UP_MAX_CHECKS ||
	    cfg.probe.n_patterns > 16 || cfg.timeout_ms <= 0)
		abort();
	free(text);
	return 0;
}
