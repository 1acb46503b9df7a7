/* Does the install server answer through the new path? TCP connect, then for http an
 * HTTP/1.0 GET whose status line we read (2xx and 3xx count). https: the connect only. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "check.h"

int check_split_url(const char *url, char *host, size_t hostlen, char *port, size_t portlen,
		    char *path, size_t pathlen, int *ret_https)
{
	const char *p, *h, *slash, *colon;
	size_t hl;

	if (!strncmp(url, "http://", 7)) {
		*ret_https = 0;
		p = url + 7;
	} else if (!strncmp(url, "https://", 8)) {
		*ret_https = 1;
		p = url + 8;
	} else {
		return -EINVAL;
	}
	h = p;
	slash = strchr(h, '/');
	if (!slash)
		slash = h + strlen(h);
	if (*h == '[') { /* [v6]:port */
		const char *close = memchr(h, ']', (size_t)(slash - h));

		if (!close)
			return -EINVAL;
		hl = (size_t)(close - h - 1);
		if (hl == 0 || hl >= hostlen)
			return -EINVAL;
		memcpy(host, h + 1, hl);
		host[hl] = '\0';
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(slash - h));
		hl = (size_t)((colon ? colon : slash) - h);
		if (hl == 0 || hl >= hostlen)
			return -EINVAL;
		memcpy(host, h, hl);
		host[hl] = '\0';
	}
	for (const char *c = host; *c; c++)
		if (*c <= ' ' || *c == '@' || *c >= 0x7f)
			return -EINVAL;
	if (colon) {
		size_t pl = (size_t)(slash - colon - 1);
		char *end;
		long v;

		if (pl == 0 || pl >= portlen || pl > 5)
			return -EINVAL;
		memcpy(port, colon + 1, pl);
		port[pl] = '\0';
		v = strtol(port, &end, 10);
		if (*end || v < 1 || v > 65535)
			return -EINVAL;
	} else {
		snprintf(port, portlen, "%s", *ret_https ? "443" : "80");
	}
	if (strlen(*slash ? slash : "/") >= pathlen)
		return -EINVAL;
	snprintf(path, pathlen, "%s", *slash ? slash : "/");
	for (const char *c = path; *c; c++)
		if (*c <= ' ' || *c >= 0x7f)
			return -EINVAL;
	return 0;
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int64_t left = deadline - clock_ms();
	int r;

	if (left <= 0)
		return -ETIMEDOUT;
	r = poll(&p, 1, (int)left);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int connect_to(const char *host, const char *port, int64_t deadline, char *why,
		      size_t whylen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *a;
	int fd = -1, r, e = 0;
	socklen_t el = sizeof(e);

	r = getaddrinfo(host, port, &hints, &ai);
	if (r != 0) {
		snprintf(why, whylen, "cannot resolve %s: %s", host, gai_strerror(r));
		return -EHOSTUNREACH;
	}
	r = -ECONNREFUSED;
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == 0 &&
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0)) {
			r = 0;
			break;
		}
		r = e ? -e : errno == EINPROGRESS ? -ETIMEDOUT : -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (r < 0) {
		snprintf(why, whylen, "cannot connect to %s port %s: %s", host, port, strerror(-r));
		return r;
	}
	return fd;
}

int check_url(const char *url, int timeout_ms, char *why, size_t whylen)
{
	char host[128], port[8], path[256], req[512], buf[256];
	int64_t deadline = clock_ms() + timeout_ms;
	int https, fd, r, code = 0;
	size_t got = 0;

	if (check_split_url(url, host, sizeof(host), port, sizeof(port), path, sizeof(path),
			    &https) < 0) {
		snprintf(why, whylen, "not an http or https URL");
		return -EINVAL;
	}
	fd = connect_to(host, port, deadline, why, whylen);
	if (fd < 0 || https) {
		if (fd >= 0)
			close(fd);
		return fd < 0 ? fd : 0;
	}
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: pxebond\r\nConnection: close\r\n\r\n",
		 path, host);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		r = -EIO;
		snprintf(why, whylen, "%s: sending the request failed", host);
		goto out;
	}
	while (got < 12) {
		ssize_t n;

		r = wait_fd(fd, POLLIN, deadline);
		if (r < 0) {
			snprintf(why, whylen, "%s: no HTTP answer", host);
			goto out;
		}
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (got >= 12 && strncmp(buf, "HTTP/1.", 7) == 0 && buf[8] == ' ')
		for (int i = 9; i < 12 && buf[i] >= '0' && buf[i] <= '9'; i++)
			code = code * 10 + (buf[i] - '0');
	if (code < 100 || code > 999) {
		r = -EPROTO;
		snprintf(why, whylen, "%s: not an HTTP answer", host);
		goto out;
	}
	if (code < 200 || code >= 400) {
		r = -ENOENT;
		snprintf(why, whylen, "%s answered HTTP %d for %.80s", host, code, path);
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}
