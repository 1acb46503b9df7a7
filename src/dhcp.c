/* DHCP through busybox udhcpc (the initramfs has it) with the script we ship. udhcpc is
 * started the moment the path is usable and asked to discover every second. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dhcp.h"
#include "log.h"

static const char *find_udhcpc(char *buf, size_t cap)
{
	static const char *const dirs[] = { "/sbin", "/usr/sbin", "/bin", "/usr/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, cap, "%s/udhcpc", dirs[i]);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, cap, "%s/busybox", dirs[i]);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int dhcp_run(const char *ifname, const char *script, const char *lease_path, int timeout_ms,
	     struct dhcp_lease *ret)
{
	char bin[64], tries[16];
	const char *path = find_udhcpc(bin, sizeof(bin));
	int64_t deadline = mono_ms() + timeout_ms;
	bool busybox;
	pid_t pid;
	int status;

	if (!path)
		return log_err_errno(-ENOENT, "dhcp: no udhcpc or busybox found");
	if (access(script, X_OK) != 0)
		return log_err_errno(-errno, "dhcp: %s", script);
	busybox = strstr(path, "busybox") != NULL;
	unlink(lease_path);
	/* One DISCOVER a second for the whole budget; -n: give up rather than background. */
	snprintf(tries, sizeof(tries), "%d", timeout_ms / 1000 > 0 ? timeout_ms / 1000 : 1);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		const char *argv[] = { busybox ? "busybox" : "udhcpc",
				       "udhcpc",
				       "-f",
				       "-q",
				       "-n",
				       "-i",
				       ifname,
				       "-s",
				       script,
				       "-t",
				       tries,
				       "-T",
				       "1",
				       "-A",
				       "1",
				       NULL };
		int devnull = open("/dev/null", O_RDWR);

		setenv("PXEBOND_LEASE", lease_path, 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1); /* udhcpc's chatter; its errors stay on stderr */
		}
		execv(path, (char *const *)(busybox ? argv : argv + 1));
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (mono_ms() >= deadline) {
			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			return -ETIMEDOUT;
		}
		poll(NULL, 0, 20); /* bounded: udhcpc's exit is what we wait for */
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOEXEC : -ETIMEDOUT;
	return dhcp_read_lease(lease_path, ret);
}

int dhcp_read_lease(const char *path, struct dhcp_lease *ret)
{
	struct dhcp_lease l;
	struct {
		const char *key;
		char *dst;
		size_t cap;
	} const fields[] = {
#define F(k) { #k, l.k, sizeof(l.k) }
		F(ip),	   F(mask),	 F(router),   F(dns),	F(domain), F(hostname),
		F(siaddr), F(boot_file), F(serverid), F(lease), F(tftp),   F(bootfile),
#undef F
	};
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	memset(&l, 0, sizeof(l));
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strcmp(line, fields[i].key) == 0)
				snprintf(fields[i].dst, fields[i].cap, "%s", eq + 1);
	}
	fclose(f);
	if (!l.ip[0])
		return -ENODATA;
	*ret = l;
	return 0;
}
