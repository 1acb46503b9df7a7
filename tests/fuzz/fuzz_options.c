/* libFuzzer target: the probe's argument parser on arbitrary words (NUL-separated). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[34] = { (char *)"probe" };
	int argc = 1;
	struct options o;
	int saved = dup(2), devnull = open("/dev/null", 1);

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; p < buf + size && argc < 33; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	dup2(devnull, 2); /* the parser's one-line errors */
	options_parse_probe(argc, argv, &o);
	dup2(saved, 2);
	close(saved);
	close(devnull);
	free(buf);
	return 0;
}
