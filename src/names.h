/* Validators of the names and addresses that reach config files, scripts and state:
 * each says yes only to text that is safe unquoted in every format pxebond writes. Pure. */
#ifndef PXEBOND_NAMES_H
#define PXEBOND_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* An interface name safe in every format (ini, shell, YAML, ifupdown, a file name):
 * ifname_valid, only [A-Za-z0-9_.-], not starting with '-' or '.'. */
bool names_ifname_safe(const char *s);

/* A DNS name: labels of [A-Za-z0-9-] (1-63, no '-' at either end) joined by '.', 253
 * characters at most, a trailing dot allowed. */
bool names_domain_valid(const char *s);

/* "a.b.c.d", each part 0-255 without leading zeros, nothing else; into *ret (host
 * order) when ret is not NULL. */
bool names_ipv4_parse(const char *s, uint32_t *ret);

/* Printable ASCII (0x20-0x7e), and no more than max bytes: a path or file name from the
 * lease, which goes only into quoted values. */
bool names_printable(const char *s, unsigned max);

#endif
