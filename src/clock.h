/* The one clock every wait and timeline uses: CLOCK_MONOTONIC in milliseconds. */
#ifndef PXEBOND_CLOCK_H
#define PXEBOND_CLOCK_H

#include <stdint.h>

int64_t clock_ms(void);

#endif
