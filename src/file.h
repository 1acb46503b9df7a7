/* Small files read whole and written atomically: the state, resolv.conf. */
#ifndef PXEBOND_FILE_H
#define PXEBOND_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Reads path into a NUL-terminated malloc'd buffer (*ret_len bytes before the NUL). Only
 * a regular file (and, with chardev, a character device such as /dev/null): a FIFO,
 * other device or directory is -EINVAL or -EISDIR (never blocking on a FIFO's open), a
 * file over max bytes -EFBIG. -ENOENT when there is none. */
int file_read(const char *path, size_t max, bool chardev, char **ret_text, size_t *ret_len);

/* Writes path by a temporary file beside it (path + ".tmp") that fill writes, then fsync
 * and rename: a reader sees the old file or the new one, never half of it. Refuses to
 * write through a symlink at path's temporary name. */
int file_write_atomic(const char *path, mode_t mode, void (*fill)(FILE *f, const void *data),
		      const void *data);

#endif
