/* Reads the fixtures' hex format: byte pairs, whitespace between, '#' to end of line
 * a comment. Shared by the unit tests and the fuzz seed converter. */
#ifndef PXEBOND_TESTS_HEXFILE_H
#define PXEBOND_TESTS_HEXFILE_H

#include <stddef.h>
#include <stdint.h>

/* Returns the number of bytes, or -1 (unreadable, odd digit, bad character, too long). */
long hexfile_load(const char *path, uint8_t *buf, size_t cap);

#endif
