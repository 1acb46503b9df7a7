/* Text from outside made safe to print: messages, the table, JSON. Pure. */
#include <string.h>

#include "escape.h"

void escape_text(char *out, size_t cap, const uint8_t *b, size_t len)
{
	size_t o = 0;

	if (cap < 4) {
		if (cap)
			out[0] = '\0';
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char tmp[5];
		size_t n;

		if (b[i] == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "%c", b[i]);
		else
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", b[i]);
		if (o + n + 4 > cap) { /* keep room for "..." and NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
}

/* Length of the valid UTF-8 sequence at b (1..4), or 0; rejects overlongs, surrogates
 * and code points above U+10FFFF (RFC 3629). */
static size_t utf8_len(const uint8_t *b, size_t left)
{
	uint32_t cp;
	size_t n;

	if (b[0] < 0x80)
		return 1;
	if (b[0] >= 0xc2 && b[0] <= 0xdf)
		n = 2, cp = b[0] & 0x1f;
	else if (b[0] >= 0xe0 && b[0] <= 0xef)
		n = 3, cp = b[0] & 0x0f;
	else if (b[0] >= 0xf0 && b[0] <= 0xf4)
		n = 4, cp = b[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls: CSI and friends */
		return 0;
	return n;
}

void escape_json(FILE *f, const uint8_t *b, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(b + i, len - i);

		if (n == 1 && (b[i] == '"' || b[i] == '\\')) {
			fprintf(f, "\\%c", b[i]);
		} else if (n == 1 && (b[i] < 0x20 || b[i] == 0x7f)) {
			fprintf(f, "\\u%04x", b[i]);
		} else if (n == 0) {
			fprintf(f, "\\\\x%02x", b[i]);
			n = 1;
		} else {
			fwrite(b + i, 1, n, f);
		}
		i += n;
	}
	fputc('"', f);
}

const char *escape_shown(const char *s, char out[ESCAPE_SHOWN])
{
	escape_text(out, ESCAPE_SHOWN, (const uint8_t *)s, strlen(s));
	return out;
}
