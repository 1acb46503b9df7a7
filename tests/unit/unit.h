/* A tiny test harness: each test is a function; CHECK records a failure and goes on. */
#ifndef PXEBOND_UNIT_H
#define PXEBOND_UNIT_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern bool unit_ok;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			unit_ok = false;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (strcmp(a_, b_) != 0) {                                                         \
			fprintf(stderr, "    %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_,   \
				b_);                                                               \
			unit_ok = false;                                                           \
		}                                                                                  \
	} while (0)

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Each test file exports its table, ended by {0}. */
extern const struct unit_test lacp_tests[], lldp_tests[], plan_tests[], report_tests[],
    options_tests[], bond_opts_tests[], ifname_tests[], emit_tests[], write_tests[], dhcp_tests[],
    state_tests[], ladder_tests[], names_tests[], check_tests[], escape_tests[], profiles_tests[];

/* Loads tests/fixtures/NAME; the length, or -1 with a failed check. */
long unit_fixture(const char *name, unsigned char *buf, size_t cap);

#endif
