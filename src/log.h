/* Messages to stderr and, in an initramfs, to /dev/kmsg with a "pxebond:" prefix. */
#ifndef PXEBOND_LOG_H
#define PXEBOND_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_LEVEL_ERR = 3, LOG_LEVEL_WARN = 4, LOG_LEVEL_INFO = 6, LOG_LEVEL_DEBUG = 7 };

extern int log_max_level; /* messages above it are dropped; default info */

void log_open_kmsg(void); /* also copy messages to /dev/kmsg */

/* Returns r, so that `return log_err_errno(r, "...")` is one line. */
__attribute__((format(printf, 3, 4))) int log_full(int level, int r, const char *fmt, ...);

/* Progress while waiting ("... (5 s left)"), at info level: on stderr only, since the
 * kernel log keeps one line per decision. */
__attribute__((format(printf, 1, 2))) void log_progress(const char *fmt, ...);

#define log_err(...)		log_full(LOG_LEVEL_ERR, 0, __VA_ARGS__)
#define log_warn(...)		log_full(LOG_LEVEL_WARN, 0, __VA_ARGS__)
#define log_info(...)		log_full(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_debug(...)		log_full(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_err_errno(r, ...)	log_full(LOG_LEVEL_ERR, (r), __VA_ARGS__)
#define log_warn_errno(r, ...)	log_full(LOG_LEVEL_WARN, (r), __VA_ARGS__)
#define log_debug_errno(r, ...) log_full(LOG_LEVEL_DEBUG, (r), __VA_ARGS__)

/* Pure code gathers warnings as lines of a buffer, for its caller to log: */
/* Appends one line (lines are '\n'-separated; cut at cap, never overflowing). */
__attribute__((format(printf, 3, 4))) void log_append(char *buf, size_t cap, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) void log_vappend(char *buf, size_t cap, const char *fmt,
						       va_list ap);
/* Logs each line of buf as a warning (buf is cut up). */
void log_warn_lines(char *buf);

#endif
