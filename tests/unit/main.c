/* Runs every unit test and ends with "N passed, N failed". Run from the top level. */
#include <stdio.h>
#include <stdlib.h>

#include "hexfile.h"
#include "unit.h"

bool unit_ok;

long unit_fixture(const char *name, unsigned char *buf, size_t cap)
{
	char path[256];
	long n;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	n = hexfile_load(path, buf, cap);
	if (n < 0) {
		fprintf(stderr, "    cannot load fixture %s\n", path);
		unit_ok = false;
	}
	return n;
}

int main(int argc, char **argv)
{
	const struct unit_test *const suites[] = {
		lacp_tests,	 lldp_tests,   plan_tests,  report_tests, options_tests,
		bond_opts_tests, ifname_tests, names_tests, state_tests,  ladder_tests,
		emit_tests,	 write_tests,  dhcp_tests,  check_tests,  escape_tests,
	};
	unsigned passed = 0, failed = 0;

	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
		for (const struct unit_test *t = suites[s]; t->name; t++) {
			if (argc > 1 && !strstr(t->name, argv[1]))
				continue;
			unit_ok = true;
			t->fn();
			printf("%s - %s\n", unit_ok ? "ok" : "not ok", t->name);
			unit_ok ? passed++ : failed++;
		}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
