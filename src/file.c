/* Small files read whole and written atomically. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

int file_read(const char *path, size_t max, bool chardev, char **ret_text, size_t *ret_len)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), r = 0;
	struct stat st;
	char *text = NULL;
	size_t n = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !(chardev && S_ISCHR(st.st_mode))) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		r = -EFBIG;
		goto out;
	}
	text = malloc(max + 1);
	if (!text) {
		r = -ENOMEM;
		goto out;
	}
	/* To the end, not st_size: a file may grow between the two (then -EFBIG). */
	for (;;) {
		ssize_t k = read(fd, text + n, max + 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > max) {
			r = -EFBIG;
			goto out;
		}
	}
	text[n] = '\0';
	*ret_text = text;
	*ret_len = n;
	text = NULL;
out:
	free(text);
	close(fd);
	return r;
}

int file_write_atomic(const char *path, mode_t mode, void (*fill)(FILE *f, const void *data),
		      const void *data)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp); /* a leftover of a run that died: ours to replace */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	fill(f, data);
	if (fflush(f) != 0 || ferror(f) || fsync(fd) < 0)
		r = -(errno ? errno : EIO);
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}
