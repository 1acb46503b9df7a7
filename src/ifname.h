/* Interface names: what a valid one is, and shell-style patterns over them. Pure. */
#ifndef PXEBOND_IFNAME_H
#define PXEBOND_IFNAME_H

#include <stdbool.h>

/* As the kernel's dev_valid_name: 1..15 bytes, not "." or "..", no '/', ':' or white
 * space; we also refuse control and non-ASCII bytes. */
bool ifname_valid(const char *s);

bool ifname_is_glob(const char *pat);

/* fnmatch(3) without flags, for names: '*', '?', '[a-z]', '[!x]'. (libc's pulls in
 * the wide-character tables: 12 KB of a 200 KB binary.) */
bool ifname_match(const char *pat, const char *name);

#endif
