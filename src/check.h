/* Does the install server answer through the new path? TCP connect, then for http an
 * HTTP/1.0 GET whose status line is read. */
#ifndef PXEBOND_CHECK_H
#define PXEBOND_CHECK_H

#include <stddef.h>

/* 0 when the server answered well; otherwise -errno and one line in why. */
int check_url(const char *url, int timeout_ms, char *why, size_t whylen);

/* Splits http[s]://host[:port]/path; pure. */
int check_split_url(const char *url, char *host, size_t hostlen, char *port, size_t portlen,
		    char *path, size_t pathlen, int *ret_https);

#endif
