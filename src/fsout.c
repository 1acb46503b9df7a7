/* Atomic, no-clobber writes under a target root (see fsout.h). Every path is walked
 * component by component from the root's fd with O_NOFOLLOW, so neither '..' nor a
 * symlink planted in the target (etc/netplan -> /etc/netplan) leads outside it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsout.h"

#define FSOUT_PATH_MAX 1024
#define MAX_CREATED    64

struct created {
	unsigned n;
	char path[MAX_CREATED][FSOUT_PATH_MAX];
};

bool fsout_path_valid(const char *path)
{
	size_t n = strlen(path);
	const char *p = path;

	if (n == 0 || n >= FSOUT_PATH_MAX || path[0] == '/')
		return false;
	while (*p) {
		size_t l = strcspn(p, "/");

		if (l == 0 || (l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += l;
		if (*p == '/' && !*++p)
			return false; /* trailing '/' */
	}
	return true;
}

void fsout_orig_name(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	size_t dl = base ? (size_t)(base - path) + 1 : 0;

	snprintf(out, cap, "%.*s.%s.pxebond-orig", (int)dl, path, base ? base + 1 : path);
}

/* Opens the directory holding path's last component, walking from rootfd through real
 * directories only. With c, creates missing ones (0755) and records them; without, a
 * missing one gives -ENOENT and *ret_fd is the deepest that exists. */
static int open_parent(int rootfd, const char *path, struct created *c, int *ret_fd,
		       const char **ret_base, char *err, size_t errlen)
{
	char buf[FSOUT_PATH_MAX];
	char *comp, *slash;
	int dfd;

	snprintf(buf, sizeof(buf), "%s", path);
	*ret_base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0)
		return -errno;
	for (comp = buf; (slash = strchr(comp, '/')); comp = slash + 1) {
		int fd;

		*slash = '\0';
		fd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && c) {
			if (c->n == MAX_CREATED) {
				close(dfd);
				snprintf(err, errlen, "%s: too many directories to create", path);
				return -E2BIG;
			}
			if (mkdirat(dfd, comp, 0755) < 0 && errno != EEXIST) {
				int r = -errno;

				close(dfd);
				snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(-r));
				return r;
			}
			snprintf(c->path[c->n++], FSOUT_PATH_MAX, "%s", buf);
			fd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0) {
			int r = -errno;

			if (r == -ENOENT) {
				*ret_fd = dfd;
				return r;
			}
			if (r == -ELOOP || r == -ENOTDIR) {
				struct stat st;

				if (fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(st.st_mode))
					r = -ELOOP;
				else
					r = -ENOTDIR;
			}
			close(dfd);
			snprintf(err, errlen, "%s: %s: refusing to write through it", buf,
				 r == -ELOOP	 ? "a symlink"
				 : r == -ENOTDIR ? "not a directory"
						 : strerror(-r));
			return r;
		}
		close(dfd);
		dfd = fd;
		*slash = '/';
	}
	*ret_fd = dfd;
	return 0;
}

static int check_one(int rootfd, const struct fsout_file *f, bool force, char *err, size_t errlen)
{
	const char *base;
	struct stat st;
	int dfd, r;

	if (!fsout_path_valid(f->path)) {
		snprintf(err, errlen, "'%.200s': not a path inside the root", f->path);
		return -EINVAL;
	}
	r = open_parent(rootfd, f->path, NULL, &dfd, &base, err, errlen);
	if (r < 0 && r != -ENOENT)
		return r;
	if (faccessat(dfd, ".", W_OK, 0) < 0) {
		r = -errno;
		close(dfd);
		snprintf(err, errlen, "%s: cannot write there: %s", f->path, strerror(-r));
		return r;
	}
	if (r == -ENOENT) { /* its directory will be created: nothing there yet */
		close(dfd);
		return 0;
	}
	r = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	close(dfd);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(-r));
		return r;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s: is a symlink: refusing to replace it", f->path);
		return -ELOOP;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a regular file", f->path);
		return -EEXIST;
	}
	if (!force) {
		char orig[FSOUT_PATH_MAX];

		fsout_orig_name(f->path, orig, sizeof(orig));
		snprintf(err, errlen, "%s: exists; --force replaces it (keeping the old one as %s)",
			 f->path, orig);
		return -EEXIST;
	}
	return 0;
}

int fsout_check(int rootfd, const struct fsout_file *files, unsigned n, bool force, char *err,
		size_t errlen)
{
	for (unsigned i = 0; i < n; i++) {
		int r;

		for (unsigned j = 0; j < i; j++)
			if (!strcmp(files[i].path, files[j].path)) {
				snprintf(err, errlen, "%s: written twice", files[i].path);
				return -EINVAL;
			}
		r = check_one(rootfd, &files[i], force, err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

static void tmp_name(const char *base, char *out, size_t cap)
{
	/* hidden, so no reader's glob picks it up if a crash leaves it behind */
	snprintf(out, cap, ".%s.pxebond-tmp", base);
}

static int write_tmp(int dfd, const char *base, const struct fsout_file *f)
{
	char tmp[NAME_MAX + 32];
	size_t off = 0;
	int fd, r = 0;

	tmp_name(base, tmp, sizeof(tmp));
	if (unlinkat(dfd, tmp, 0) < 0 && errno != ENOENT)
		return -errno;
	fd =
	    openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 07777);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, f->mode & 07777) < 0) /* whatever the umask */
		r = -errno;
	while (r == 0 && off < f->len) {
		ssize_t w = write(fd, f->data + off, f->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			r = w < 0 ? -errno : -EIO;
		else
			off += (size_t)w;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	return r;
}

int fsout_write(int rootfd, struct fsout_file *files, unsigned n, bool force, char *err,
		size_t errlen)
{
	static struct created made;
	int *dfd = calloc(n ? n : 1, sizeof(int));
	const char **base = calloc(n ? n : 1, sizeof(char *));
	unsigned done = 0, renamed = 0;
	int r;

	made.n = 0;
	if (!dfd || !base) {
		free(dfd);
		free(base);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++)
		dfd[i] = -1;
	r = fsout_check(rootfd, files, n, force, err, errlen);
	if (r < 0)
		goto out;

	/* Every temporary file written and synced before anything is replaced. */
	for (; done < n; done++) {
		struct fsout_file *f = &files[done];

		r = open_parent(rootfd, f->path, &made, &dfd[done], &base[done], err, errlen);
		if (r < 0) {
			if (r == -ENOENT)
				snprintf(err, errlen, "%s: directory vanished", f->path);
			goto undo;
		}
		r = write_tmp(dfd[done], base[done], f);
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot write: %s", f->path, strerror(-r));
			close(dfd[done]);
			dfd[done] = -1;
			goto undo;
		}
	}

	for (; renamed < n; renamed++) {
		struct fsout_file *f = &files[renamed];
		int d = dfd[renamed];
		char tmp[NAME_MAX + 32], orig[NAME_MAX + 32];
		struct stat st;

		tmp_name(base[renamed], tmp, sizeof(tmp));
		f->replaced = f->kept_old = false;
		if (fstatat(d, base[renamed], &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (!force || !S_ISREG(st.st_mode)) { /* appeared since the check */
				snprintf(err, errlen, "%s: appeared while writing; not replaced",
					 f->path);
				r = -EEXIST;
				goto partial;
			}
			snprintf(orig, sizeof(orig), ".%s.pxebond-orig", base[renamed]);
			if (linkat(d, base[renamed], d, orig, 0) == 0)
				f->kept_old = true;
			else if (errno != EEXIST) { /* EEXIST: an older original stays */
				r = -errno;
				snprintf(err, errlen, "%s: cannot keep the old version: %s",
					 f->path, strerror(-r));
				goto partial;
			}
			f->replaced = true;
		}
		if (renameat(d, tmp, d, base[renamed]) < 0) {
			r = -errno;
			snprintf(err, errlen, "%s: cannot rename into place: %s", f->path,
				 strerror(-r));
			goto partial;
		}
		if (fsync(d) < 0) { /* the rename itself must survive a crash */
			r = -errno;
			snprintf(err, errlen, "%s: fsync of its directory: %s", f->path,
				 strerror(-r));
			renamed++;
			goto partial;
		}
	}
	r = 0;
	goto out;

partial:
	/* Cannot be undone: say how far it got. */
	{
		size_t l = strlen(err);

		snprintf(err + l, errlen > l ? errlen - l : 0, " (%u of %u files were written)",
			 renamed, n);
	}
	for (unsigned i = renamed; i < n; i++) {
		char tmp[NAME_MAX + 32];

		tmp_name(base[i], tmp, sizeof(tmp));
		unlinkat(dfd[i], tmp, 0);
	}
	goto out;
undo:
	for (unsigned i = 0; i < done; i++) {
		char tmp[NAME_MAX + 32];

		tmp_name(base[i], tmp, sizeof(tmp));
		unlinkat(dfd[i], tmp, 0);
	}
	for (unsigned i = made.n; i-- > 0;)
		unlinkat(rootfd, made.path[i], AT_REMOVEDIR);
out:
	for (unsigned i = 0; i < n; i++)
		if (dfd[i] >= 0)
			close(dfd[i]);
	free(dfd);
	free(base);
	return r;
}

int fsout_open_root(const char *dir, int *ret_fd, char *err, size_t errlen)
{
	struct stat st, rootst;
	int fd;

	if (!dir[0]) {
		snprintf(err, errlen, "--root: empty");
		return -EINVAL;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int r = -errno;

		snprintf(err, errlen, "%s: %s", dir, strerror(-r));
		return r;
	}
	/* The running system only when asked for in so many words: not "//", "/mnt/..",
	 * or a symlink to "/" from a wrong variable in a %post. */
	if (strcmp(dir, "/") != 0 && fstat(fd, &st) == 0 && stat("/", &rootst) == 0 &&
	    st.st_dev == rootst.st_dev && st.st_ino == rootst.st_ino) {
		close(fd);
		snprintf(err, errlen,
			 "%s is the running system's root; say --root / if that is meant", dir);
		return -EPERM;
	}
	*ret_fd = fd;
	return 0;
}

/* Opens path under the root with O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags, through real
 * directories only: the fd, or -errno. */
static int open_under(int rootfd, const char *path, int flags)
{
	char err[8];
	const char *base;
	int dfd, fd, r;

	if (!fsout_path_valid(path))
		return -EINVAL;
	r = open_parent(rootfd, path, NULL, &dfd, &base, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOENT)
			close(dfd);
		return r;
	}
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags);
	r = fd < 0 ? -errno : fd;
	close(dfd);
	return r;
}

int fsout_read(int rootfd, const char *path, size_t max, char **ret_text)
{
	char *buf;
	struct stat st;
	size_t got = 0;
	int fd = open_under(rootfd, path, O_NONBLOCK);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*ret_text = buf;
	return 0;
}

bool fsout_exists(int rootfd, const char *path)
{
	char cur[FSOUT_PATH_MAX] = "", rest[FSOUT_PATH_MAX], tmp[FSOUT_PATH_MAX];
	int hops = 0;

	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
		return false;
	while (rest[0]) {
		size_t l = strcspn(rest, "/"), cl = strlen(cur);
		char comp[NAME_MAX + 1], cand[FSOUT_PATH_MAX];
		struct stat st;

		if (l > NAME_MAX)
			return false;
		memcpy(comp, rest, l);
		comp[l] = '\0';
		memmove(rest, rest + l + (rest[l] == '/'), strlen(rest + l + (rest[l] == '/')) + 1);
		if (l == 0 || !strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) { /* never above the root */
			char *s = strrchr(cur, '/');

			if (s)
				*s = '\0';
			else
				cur[0] = '\0';
			continue;
		}
		if (snprintf(cand, sizeof(cand), "%s%s%s", cur, cl ? "/" : "", comp) >=
		    (int)sizeof(cand))
			return false;
		if (fstatat(rootfd, cand, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return false;
		if (S_ISLNK(st.st_mode)) {
			char target[FSOUT_PATH_MAX];
			ssize_t n = readlinkat(rootfd, cand, target, sizeof(target) - 1);

			if (n <= 0 || ++hops > 40)
				return false;
			target[n] = '\0';
			if (snprintf(tmp, sizeof(tmp), "%s%s%s", target, rest[0] ? "/" : "",
				     rest) >= (int)sizeof(tmp))
				return false;
			memcpy(rest, tmp, sizeof(rest));
			if (target[0] == '/')
				cur[0] = '\0'; /* absolute: from the root, not the host's "/" */
			continue;
		}
		memcpy(cur, cand, sizeof(cur));
	}
	return true;
}

int fsout_list(int rootfd, const char *dir, char *out, size_t cap)
{
	struct dirent *de;
	size_t o = 0;
	DIR *d;
	int fd, r;

	if (cap)
		out[0] = '\0';
	fd = open_under(rootfd, dir, O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || o + l + 2 > cap)
			continue;
		memcpy(out + o, de->d_name, l);
		o += l;
		out[o++] = '\n';
		out[o] = '\0';
	}
	closedir(d);
	return 0;
}

int fsout_aside(int rootfd, const char *path, char *ret_to, size_t cap)
{
	char orig[FSOUT_PATH_MAX], err[8];
	const char *base, *tbase;
	struct stat st;
	int dfd, r;

	if (!fsout_path_valid(path))
		return -EINVAL;
	r = open_parent(rootfd, path, NULL, &dfd, &base, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOENT)
			close(dfd);
		return r;
	}
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		close(dfd);
		return -EINVAL;
	}
	fsout_orig_name(path, orig, sizeof(orig));
	tbase = strrchr(orig, '/') ? strrchr(orig, '/') + 1 : orig;
	r = -EEXIST;
	/* The first free name: an older original is never lost. */
	for (int i = 0; i < 10 && r == -EEXIST; i++) {
		char name[NAME_MAX + 8];

		snprintf(name, sizeof(name), i ? "%s.%d" : "%s", tbase, i);
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		r = renameat(dfd, base, dfd, name) < 0 ? -errno : 0;
		if (!r)
			snprintf(ret_to, cap, "%.*s%s", (int)(tbase - orig), orig, name);
	}
	close(dfd);
	return r;
}

int fsout_unaside(int rootfd, const char *to, const char *path)
{
	char err[8];
	const char *base, *tbase = strrchr(to, '/') ? strrchr(to, '/') + 1 : to;
	int dfd, r;

	if (!fsout_path_valid(path) || !fsout_path_valid(to))
		return -EINVAL;
	r = open_parent(rootfd, path, NULL, &dfd, &base, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOENT)
			close(dfd);
		return r;
	}
	r = renameat(dfd, tbase, dfd, base) < 0 ? -errno : 0;
	close(dfd);
	return r;
}
