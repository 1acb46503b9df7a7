/* Text from outside (the wire, a file, the command line) made safe to print: the one
 * place that escapes it, for messages, the table and JSON. Pure. */
#ifndef PXEBOND_ESCAPE_H
#define PXEBOND_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* For a terminal or log: printable ASCII as is, backslash and everything else as \\ and
 * \xHH; cut with "..." to fit cap. */
void escape_text(char *out, size_t cap, const uint8_t *b, size_t len);

/* A C string the same way into a 64-byte buffer, for one value in a message. */
#define ESCAPE_SHOWN 64
const char *escape_shown(const char *s, char out[ESCAPE_SHOWN]);

/* As the body of a JSON string, quotes included: valid UTF-8 passes (but not C0/C1
 * controls), invalid bytes become the text \xHH. */
void escape_json(FILE *f, const uint8_t *b, size_t len);

#endif
