/* libFuzzer target: a kernel command line into `up`'s and `write`'s settings, and the
 * values `pxebond cmdline` prints for shell glue. */
#include <stdlib.h>
#include <string.h>

#include "options.h"

static void count(const char *value, void *data)
{
	(void)value;
	++*(unsigned *)data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct up_config cfg;
	static struct write_config wc;
	char *text = malloc(size + 1), warn[2048];
	unsigned n = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	up_config_init(&cfg);
	up_config_from_cmdline(&cfg, text, warn, sizeof(warn));
	if (strlen(cfg.bond) >= sizeof(cfg.bond) || cfg.n_checks > UP_MAX_CHECKS ||
	    cfg.probe.n_patterns > 16 || cfg.timeout_ms <= 0)
		abort();
	write_config_init(&wc);
	write_config_from_cmdline(&wc, text, warn, sizeof(warn));
	options_cmdline_value(text, "pxebond", true, count, &n);
	options_cmdline_value(text, "pxebond.authorized_key", false, count, &n);
	free(text);
	return 0;
}
