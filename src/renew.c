/* up --renew: the lease kept by a process of its own. Forked twice: in a session of its
 * own (no terminal, no hangup from the caller's), not its leader (so it never gets a
 * terminal), init's child (which no boot script waits for). `down` stops it by pid, after
 * checking by name that the pid is still a renewer. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dhcp_client.h"
#include "link.h"
#include "log.h"
#include "renew.h"

#define RENEW_COMM "pxebond-renew" /* the renewer's name in ps, which `down` checks */

/* 0-2 to /dev/null and every other descriptor closed (log.c opens /dev/kmsg anew for
 * each message): a caller's pipe held open would keep whoever reads it waiting for us
 * (the Debian installer's debconf reads what its startup scripts print). */
static void renewer_fds(int null)
{
	struct rlimit rl;
	int max =
	    getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;

	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

static _Noreturn void renewer(const char *ifname, const struct dhcp_lease *l, int64_t start_ms,
			      int null)
{
	struct link_ctx *link = NULL;
	int ifindex = (int)if_nametoindex(ifname), r;

	/* SIGTERM's default action ends it; `down` follows with SIGKILL should a caller
	 * have left SIGTERM ignored or blocked (both are inherited). */
	prctl(PR_SET_NAME, RENEW_COMM);
	if (chdir("/") < 0) /* holding no directory, it keeps no file system busy */
		_exit(1);
	renewer_fds(null);
	log_open_kmsg(); /* its only voice now */
	r = ifindex ? link_open(&link) : -ENODEV;
	if (r >= 0)
		r = dhcp_client_renew(link, ifindex, ifname, l, start_ms);
	if (r < 0)
		log_warn_errno(r, "%s: the lease renewer cannot run", ifname);
	link_close(link);
	_exit(0);
}

int renew_spawn(const char *ifname, const struct dhcp_lease *l, int64_t start_ms, pid_t *ret_pid)
{
	int p[2], null = open("/dev/null", O_RDWR | O_CLOEXEC), r = 0;
	pid_t c, pid = -1;
	ssize_t n;

	if (null < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC) < 0) {
		r = -errno;
		close(null);
		return r;
	}
	fflush(NULL);
	c = fork();
	if (c == 0) {
		close(p[0]);
		pid = setsid() < 0 ? -1 : fork();
		if (pid) {
			n = write(p[1], &pid, sizeof(pid));
			_exit(n != sizeof(pid));
		}
		renewer(ifname, l, start_ms, null);
	}
	r = c < 0 ? -errno : 0;
	close(p[1]);
	close(null);
	do
		n = r ? 0 : read(p[0], &pid, sizeof(pid));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (c > 0)
		waitpid(c, NULL, 0);
	if (r < 0)
		return r;
	if (n != sizeof(pid) || pid <= 0)
		return -EAGAIN;
	*ret_pid = pid;
	return 0;
}

/* Whether pid is a lease renewer that has not exited: its name, since the pid may be
 * another process's by now, and not a zombie, which init has yet to reap. */
static bool renewer_alive(int pid)
{
	char path[32], text[128] = "", *comm, *end;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	comm = strchr(text, '(');
	end = strrchr(text, ')');
	return comm && end > comm && end - comm - 1 == (int)strlen(RENEW_COMM) &&
	       !strncmp(comm + 1, RENEW_COMM, strlen(RENEW_COMM)) && end[1] == ' ' &&
	       end[2] != 'Z' && end[2] != 'X';
}

void renew_stop(int pid)
{
	if (!renewer_alive(pid)) {
		log_info("the lease renewer (pid %d) had ended already", pid);
		return;
	}
	if (kill((pid_t)pid, SIGTERM) < 0) {
		log_warn_errno(-errno, "cannot stop the lease renewer (pid %d)", pid);
		return;
	}
	for (int i = 0; i < 200 && renewer_alive(pid); i++) { /* 1 s, then 1 s more */
		if (i == 100)
			kill((pid_t)pid, SIGKILL);
		poll(NULL, 0, 10);
	}
	if (renewer_alive(pid))
		log_warn("the lease renewer (pid %d) is still there, going on", pid);
	else
		log_info("lease renewer (pid %d) stopped", pid);
}
