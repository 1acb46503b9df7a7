/* MAC addresses as text. Pure. */
#include <stdio.h>
#include <string.h>

#include "mac.h"

void mac_to_str(char out[MAC_STR_LEN], const uint8_t mac[6])
{
	static const char hex[] = "0123456789abcdef";

	/* by hand: snprintf with six %02x costs a call into printf per MAC */
	for (int i = 0; i < 6; i++) {
		out[3 * i] = hex[mac[i] >> 4];
		out[3 * i + 1] = hex[mac[i] & 15];
		out[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

bool mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return true;
}

bool mac_is_zero(const uint8_t mac[6])
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

bool mac_parse_unicast(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	/* 802.1AX: a system id is an individual address; the kernel refuses multicast. */
	if (!mac_parse(s, m) || (m[0] & 1) || mac_is_zero(m))
		return false;
	memcpy(mac, m, 6);
	return true;
}
