/* libFuzzer target: the state reader (`down`, `status`, `write` and every shell stage
 * trust nothing in the file). Whatever the input: no crash; what it accepts, written
 * again, is read back as the same text (the sourceable form is a fixed point), and holds
 * no control byte. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

static char *sh_text(const struct state *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f) {
		state_format_sh(f, s);
		fclose(f);
	}
	return text;
}

static char *json_text(const struct state *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f) {
		state_format_json(f, s, NULL);
		fclose(f);
	}
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state s, back;
	char *text = malloc(size + 1), *t1, *t2, warn[1024], v[2048];
	size_t n1, n2;

	memcpy(text, data, size);
	text[size] = '\0';
	if (state_parse(text, &s, warn, sizeof(warn)) == 0) {
		t1 = sh_text(&s, &n1);
		if (!t1 || state_parse(t1, &back, warn, sizeof(warn)) != 0)
			abort();
		t2 = sh_text(&back, &n2);
		if (!t2 || n1 != n2 || memcmp(t1, t2, n1))
			abort();
		for (size_t i = 0; i < n1; i++)
			if ((t1[i] < 0x20 && t1[i] != '\n') || t1[i] == 0x7f)
				abort();
		state_get(&s, "PXEBOND_RESTORE", v, 1);
		free(t1);
		free(t2);
		t1 = json_text(&s, &n1);
		free(t1);
	}
	free(text);
	return 0;
}
