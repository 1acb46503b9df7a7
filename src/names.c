/* Validators of what reaches configs: whitelists, never blacklists. Pure. */
#include <string.h>

#include "ifname.h"
#include "names.h"

bool names_ifname_safe(const char *s)
{
	if (!ifname_valid(s) || s[0] == '-' || s[0] == '.')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

bool names_domain_valid(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			/* a trailing dot (fully qualified) is fine, an empty label elsewhere not */
			if (label == 0 && !(c == '\0' && i > 0 && s[i - 1] == '.'))
				return false;
			if (label && s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
		if (label == 0 && c == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

bool names_ipv4_parse(const char *s, uint32_t *ret)
{
	uint32_t ip = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part && *s++ != '.')
			return false;
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[-(int)digits] == '0'))
			return false;
		ip = ip << 8 | v;
	}
	if (*s)
		return false;
	if (ret)
		*ret = ip;
	return true;
}

bool names_printable(const char *s, unsigned max)
{
	unsigned n = 0;

	for (; *s; s++, n++)
		if (*s < 0x20 || *s > 0x7e || n >= max)
			return false;
	return true;
}
