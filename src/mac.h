/* MAC addresses as text: the one "aa:bb:cc:dd:ee:ff" form every output and config uses,
 * and its parser. Pure. */
#ifndef PXEBOND_MAC_H
#define PXEBOND_MAC_H

#include <stdbool.h>
#include <stdint.h>

#define MAC_STR_LEN 18

void mac_to_str(char out[MAC_STR_LEN], const uint8_t mac[6]);

/* Exactly "aa:bb:cc:dd:ee:ff" (either case) into mac; false (mac untouched) otherwise. */
bool mac_parse(const char *s, uint8_t mac[6]);

/* The same, and only an address a NIC or a system id can have: unicast, not all zero. */
bool mac_parse_unicast(const char *s, uint8_t mac[6]);

bool mac_is_zero(const uint8_t mac[6]);

#endif
