/* Writing files under a target root, and only there: paths walked with openat and
 * O_NOFOLLOW (no '..', nothing absolute, no symlink anywhere on the way), every target
 * checked before any is written, each written to a temporary file in its own directory,
 * fsynced and renamed; nothing replaced without force, and then its old version kept. */
#ifndef PXEBOND_FSOUT_H
#define PXEBOND_FSOUT_H

#include <stdbool.h>
#include <stddef.h>

struct fsout_file {
	const char *path; /* relative to the root: "etc/netplan/90-pxebond-bond0.yaml" */
	unsigned mode;
	const char *data;
	size_t len;
	bool replaced; /* out: it existed and was replaced (its old version kept) */
	bool kept_old; /* out: the old version is now at fsout_orig_name's path */
};

/* Opens DIR, the root everything is written under. A DIR that is the running system's
 * "/" is refused unless it is literally "/". Returns 0 or -errno (err says why). */
int fsout_open_root(const char *dir, int *ret_fd, char *err, size_t errlen);

/* Writes all files or, as far as the file system allows, none: first checks every path
 * (safe, parent directories real, the file absent or, with force, a regular file),
 * then writes and fsyncs every temporary file, then renames them into place. With
 * force, an existing file's old version is kept first (never over an older one kept
 * before). Returns 0 or -errno with one line in err naming the path. */
int fsout_write(int rootfd, struct fsout_file *files, unsigned n, bool force, char *err,
		size_t errlen);

/* Only the checks of fsout_write (for --dry-run). */
int fsout_check(int rootfd, const struct fsout_file *files, unsigned n, bool force, char *err,
		size_t errlen);

/* Where the old version of path is kept: the same directory, ".NAME.pxebond-orig".
 * Hidden, because the readers glob their directories (interfaces.d/ *, ifcfg-*,
 * NetworkManager takes any name) and would read a visible copy as configuration. */
void fsout_orig_name(const char *path, char *out, size_t cap);

/* Reads path under the root (no symlinks on the way) into a NUL-terminated malloc'd
 * buffer of at most max bytes. -ENOENT when absent, -EFBIG when larger. */
int fsout_read(int rootfd, const char *path, size_t max, char **ret_text);

/* Whether path exists under the root, following symlinks as the installed system would
 * (absolute targets resolved inside the root, never above it): for detection only. */
bool fsout_exists(int rootfd, const char *path);

/* The visible names in directory dir under the root (no symlinks on the way), each
 * followed by '\n', into out (cut at cap). -ENOENT when there is no such directory. */
int fsout_list(int rootfd, const char *dir, char *out, size_t cap);

/* Renames path (a regular file) to the first free hidden .NAME.pxebond-orig[.N] beside
 * it, which no network stack reads; the new path into ret_to. */
int fsout_aside(int rootfd, const char *path, char *ret_to, size_t cap);
/* Puts back what fsout_aside moved from path to to. */
int fsout_unaside(int rootfd, const char *to, const char *path);

/* "etc/x/y": relative, no empty, "." or ".." component. */
bool fsout_path_valid(const char *path);

#endif
