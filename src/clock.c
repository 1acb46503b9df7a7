/* CLOCK_MONOTONIC in milliseconds: never steps back, whatever sets the wall clock. */
#include <time.h>

#include "clock.h"

int64_t clock_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
