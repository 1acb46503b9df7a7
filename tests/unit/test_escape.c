/* escape.c: text from outside made safe for a terminal, a log and JSON. */
#include <stdlib.h>

#include "escape.h"
#include "unit.h"

static char *json_of(const uint8_t *b, size_t len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	escape_json(f, b, len);
	fclose(f);
	return out;
}

#define JSON_IS(bytes, want)                                                                       \
	do {                                                                                       \
		char *s_ = json_of((const uint8_t *)(bytes), sizeof(bytes) - 1);                   \
		CHECK_STR(s_, want);                                                               \
		free(s_);                                                                          \
	} while (0)

static void json_strings(void)
{
	JSON_IS("sw-a", "\"sw-a\"");
	JSON_IS("a\"b\\c", "\"a\\\"b\\\\c\"");
	JSON_IS("\n\x1b[31m\x7f", "\"\\u000a\\u001b[31m\\u007f\"");
	JSON_IS("caf\xc3\xa9", "\"caf\xc3\xa9\""); /* valid UTF-8 passes */
	JSON_IS("\xff\xc3", "\"\\\\xff\\\\xc3\""); /* invalid bytes as text */
	JSON_IS("\xc2\x9b"
		"2J",
		"\"\\\\xc2\\\\x9b2J\"");		      /* C1 CSI is not passed */
	JSON_IS("\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\""); /* a surrogate */
	JSON_IS("\xe0\x80\xaf", "\"\\\\xe0\\\\x80\\\\xaf\""); /* overlong '/' */
	JSON_IS("a\0b", "\"a\\u0000b\"");
}

static void text_escape(void)
{
	char out[32];

	escape_text(out, sizeof(out), (const uint8_t *)"sw\x1b]0;x\x07\\", 9);
	CHECK_STR(out, "sw\\x1b]0;x\\x07\\\\");
	escape_text(out, 12, (const uint8_t *)"abcdefghijklmnop", 16);
	CHECK_STR(out, "abcdefgh...");
	escape_text(out, 8, (const uint8_t *)"\xff\xff\xff", 3);
	CHECK_STR(out, "\\xff...");
}

static void shown(void)
{
	char out[ESCAPE_SHOWN];

	CHECK_STR(escape_shown("eth0\nreboot", out), "eth0\\x0areboot");
}

const struct unit_test escape_tests[] = {
	{ "escape: JSON strings", json_strings },
	{ "escape: text escaped and bounded", text_escape },
	{ "escape: one value for a message", shown },
	{ 0 },
};
