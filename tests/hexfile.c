/* Reads the fixtures' hex format (see hexfile.h). */
#include <ctype.h>
#include <stdio.h>

#include "hexfile.h"

long hexfile_load(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int c, hi = -1;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF) {
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (isspace(c))
			continue;
		if (!isxdigit(c) || (hi < 0 && n == cap))
			goto fail;
		c = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0) {
			hi = c;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | c);
			hi = -1;
		}
	}
	if (hi >= 0)
		goto fail;
	fclose(f);
	return (long)n;
fail:
	fclose(f);
	return -1;
}
