/* Interface names: what a valid one is, and shell-style patterns over them. Pure. */
#include <net/if.h>
#include <string.h>

#include "ifname.h"

bool ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (const char *p = s; *p; p++)
		if (*p <= ' ' || *p == '/' || *p == ':' || *p >= 0x7f)
			return false;
	return true;
}

bool ifname_is_glob(const char *pat)
{
	return strpbrk(pat, "*?[") != NULL;
}

/* One bracket expression at *pp against c; advances *pp past it. -1: malformed. */
static int match_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	bool neg = *p == '!' || *p == '^', hit = false;

	if (neg)
		p++;
	for (bool first = true; *p && (first || *p != ']'); first = false) {
		char lo = *p++, hi = lo;

		if (*p == '-' && p[1] && p[1] != ']') {
			hi = p[1];
			p += 2;
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != neg;
}

bool ifname_match(const char *pat, const char *name)
{
	const char *star_p = NULL, *star_n = NULL;

	while (*name) {
		if (*pat == '*') {
			star_p = ++pat;
			star_n = name;
			continue;
		}
		if (*pat == '[') {
			const char *p = pat;
			int m = match_class(&p, *name);

			if (m == 1) {
				pat = p;
				name++;
				continue;
			}
			if (m < 0 && *name == '[') { /* a lone '[' matches itself */
				pat++;
				name++;
				continue;
			}
		} else if (*pat && (*pat == '?' || *pat == *name)) {
			pat++;
			name++;
			continue;
		}
		if (!star_p)
			return false;
		pat = star_p; /* backtrack: let the last '*' take one more character */
		name = ++star_n;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}
