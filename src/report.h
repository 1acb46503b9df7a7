/* The probe's table and JSON (escaping: escape.h). */
#ifndef PXEBOND_REPORT_H
#define PXEBOND_REPORT_H

#include <stdio.h>

#include "plan.h"
#include "probe.h"

void report_table(FILE *f, const struct probe_result *res, const struct plan *pl);
void report_json(FILE *f, const struct probe_result *res, const struct plan *pl);
/* The same object without the final newline, to embed. */
void report_json_object(FILE *f, const struct probe_result *res, const struct plan *pl);

#endif
