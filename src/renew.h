/* up --renew's lease renewer: a process of its own (pxebond-renew in ps) that keeps the
 * lease, and `down` stopping it. */
#ifndef PXEBOND_RENEW_H
#define PXEBOND_RENEW_H

#include <stdint.h>
#include <sys/types.h>

#include "dhcp.h"

/* Starts the renewer of lease l (begun at start_ms, CLOCK_MONOTONIC) on ifname. */
int renew_spawn(const char *ifname, const struct dhcp_lease *l, int64_t start_ms, pid_t *ret_pid);

/* Stops renewer pid, if that pid is still a renewer (and not another process by now). */
void renew_stop(int pid);

#endif
