/* The probe's table and JSON. All escaping of strings for output lives here. */
#ifndef PXEBOND_REPORT_H
#define PXEBOND_REPORT_H

#include <stdio.h>

#include "plan.h"
#include "probe.h"

#define REPORT_MAC_LEN 18

void report_mac(char out[REPORT_MAC_LEN], const uint8_t *mac);

/* Bytes from the wire made safe for a terminal: printable ASCII as is, backslash and
 * everything else as \\ and \xHH. At most max output characters (then "..."). */
void report_escape_text(char *out, size_t cap, const uint8_t *b, size_t len);

/* Bytes as the body of a JSON string: valid UTF-8 passes (but not C0/C1 controls),
 * invalid bytes become the text \xHH. */
void report_json_string(FILE *f, const uint8_t *b, size_t len);

void report_table(FILE *f, const struct probe_result *res, const struct plan *pl);
void report_json(FILE *f, const struct probe_result *res, const struct plan *pl);
/* The same object without the final newline, to embed. */
void report_json_object(FILE *f, const struct probe_result *res, const struct plan *pl);

#endif
