/* Messages to stderr and, in an initramfs, to /dev/kmsg (as dracut's warn/info do). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int log_max_level = LOG_LEVEL_INFO;
static bool to_kmsg;

void log_open_kmsg(void)
{
	to_kmsg = true;
}

/* One open per message: the kernel rate-limits writes per open file (10 in 5 s by
 * default), and a bond coming up says more than that; dracut's own messages open
 * /dev/kmsg each time too. */
static void kmsg(int level, const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return;
	dprintf(fd, "<%d>pxebond: %s\n", level, msg);
	close(fd);
}

void log_progress(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (LOG_LEVEL_INFO > log_max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "pxebond: %s\n", msg);
}

int log_full(int level, int r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n;

	if (level > log_max_level)
		return r;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	if (r < 0 && n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(-r));
	fprintf(stderr, "pxebond: %s%s\n",
		level == LOG_LEVEL_ERR	  ? "error: "
		: level == LOG_LEVEL_WARN ? "warning: "
					  : "",
		msg);
	if (to_kmsg)
		kmsg(level, msg);
	return r;
}

void log_vappend(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t n = strnlen(buf, cap);

	if (n + 2 >= cap)
		return;
	if (n)
		buf[n++] = '\n';
	vsnprintf(buf + n, cap - n, fmt, ap);
}

void log_append(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vappend(buf, cap, fmt, ap);
	va_end(ap);
}

void log_warn_lines(char *buf)
{
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		log_warn("%s", l);
}
