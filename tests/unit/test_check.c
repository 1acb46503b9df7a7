/* check.c: the URLs `up` checks the install server by. */
#include "check.h"
#include "unit.h"

static void urls(void)
{
	char h[64], p[8], path[64];
	int https;

	CHECK(check_split_url("http://10.0.0.1/ks.cfg", h, sizeof(h), p, sizeof(p), path,
			      sizeof(path), &https) == 0);
	CHECK(!strcmp(h, "10.0.0.1") && !strcmp(p, "80") && !strcmp(path, "/ks.cfg") && !https);
	CHECK(check_split_url("https://repo.example:8443", h, sizeof(h), p, sizeof(p), path,
			      sizeof(path), &https) == 0);
	CHECK(!strcmp(h, "repo.example") && !strcmp(p, "8443") && !strcmp(path, "/") && https);
	CHECK(check_split_url("http://[fd00::1]:8080/a", h, sizeof(h), p, sizeof(p), path,
			      sizeof(path), &https) == 0);
	CHECK(!strcmp(h, "fd00::1") && !strcmp(p, "8080"));
	CHECK(check_split_url("http://:80/", h, sizeof(h), p, sizeof(p), path, sizeof(path),
			      &https) < 0);
	CHECK(check_split_url("http://h:99999/", h, sizeof(h), p, sizeof(p), path, sizeof(path),
			      &https) < 0);
	CHECK(check_split_url("http://h/a b", h, sizeof(h), p, sizeof(p), path, sizeof(path),
			      &https) < 0);
	CHECK(check_split_url("http://u@h/", h, sizeof(h), p, sizeof(p), path, sizeof(path),
			      &https) < 0);
	CHECK(check_split_url("nfs://h/", h, sizeof(h), p, sizeof(p), path, sizeof(path), &https) <
	      0);
}

const struct unit_test check_tests[] = {
	{ "check: URLs split, bad ones refused", urls },
	{ 0 },
};
