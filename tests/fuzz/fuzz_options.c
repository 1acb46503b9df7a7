/* libFuzzer target: every command's argument parser on arbitrary words (NUL-separated;
 * the first byte picks the command). No --cmdline is read: a word naming a file would
 * make the fuzzer read the machine's files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[] = { "probe", "up", "write", "down", "status", "cmdline" };
	static struct up_config uc;
	static struct write_config wc;
	char *buf = malloc(size + 1), *argv[34];
	unsigned which = size ? data[0] % 6 : 0;
	int argc = 1;
	struct options o;
	int saved = dup(2), devnull = open("/dev/null", 1);

	argv[0] = (char *)cmds[which];
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf + !!size; p < buf + size && argc < 33; p += strlen(p) + 1)
		if (strncmp(p, "--cmdline", 9)) /* see above */
			argv[argc++] = p;
	argv[argc] = NULL;
	dup2(devnull, 2); /* the parser's one-line errors */
	switch (which) {
	case 0:
		options_parse_probe(argc, argv, &o);
		break;
	case 1:
		options_parse_up(argc, argv, &o, &uc);
		break;
	case 2:
		options_parse_write(argc, argv, &o, &wc);
		break;
	case 3:
		options_parse_down(argc, argv, &o);
		break;
	case 4:
		options_parse_status(argc, argv, &o);
		break;
	default:
		options_parse_cmdline(argc, argv, &o);
	}
	dup2(saved, 2);
	close(saved);
	close(devnull);
	free(buf);
	return 0;
}
