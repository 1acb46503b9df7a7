/* The DHCPv4 client of `up`: a lease on one interface within a budget, then the address,
 * default route, MTU and /etc/resolv.conf from it; with `up --renew`, that lease kept
 * alive afterwards (for an installer whose own stack will not renew it). */
#ifndef PXEBOND_DHCP_CLIENT_H
#define PXEBOND_DHCP_CLIENT_H

#include <stddef.h>

#include "dhcp.h"
#include "link.h"

/* DISCOVER, OFFER, REQUEST, ACK on ifindex (a NAK starts over), retransmitting with
 * backoff until timeout_ms has passed; -ETIMEDOUT then, with why saying what was heard.
 * *ret_start_ms: when the REQUEST that got the lease was first sent (CLOCK_MONOTONIC),
 * which the lease's times count from (RFC 2131 4.4.1). */
int dhcp_client_lease(struct link_ctx *link, int ifindex, const char *ifname, int timeout_ms,
		      struct dhcp_lease *ret, int64_t *ret_start_ms, char *why, size_t whylen);

/* Keeps the lease l, begun at start_ms, on ifindex (RFC 2131 4.4.5, RENEWING and
 * REBINDING): from T1 a REQUEST with ciaddr, broadcast from the same socket as the first
 * exchange, again and again (dhcp_renew_next) until T2 and then until the lease ends;
 * each ACK for the same address gives the address the new lifetime. Returns when the
 * lease cannot be kept any longer (a NAK, another address, its end, or the address
 * gone) or the interface is gone: 0, or -errno if it could not start. A signal is what
 * ends it otherwise. */
int dhcp_client_renew(struct link_ctx *link, int ifindex, const char *ifname,
		      const struct dhcp_lease *l, int64_t start_ms);

/* Puts the lease on ifindex: MTU (if the lease has one), the address (other addresses
 * stay), the default route via the first router, then resolv_path (NULL: none) by
 * temporary file and rename. *ret_old_mtu: the MTU to restore (0: unchanged). Only a
 * failure to set the address fails; the rest is warned about. */
int dhcp_client_apply(struct link_ctx *link, int ifindex, const char *ifname,
		      const struct dhcp_lease *l, const char *resolv_path, unsigned *ret_old_mtu);

/* Puts back resolv_path as it was before dhcp_client_apply first wrote it (or removes
 * it, if there was none): for an `up` that ends with no working rung. */
int dhcp_client_resolv_restore(const char *path);

/* For `down`: what resolv.conf was before, kept in DIR (resolv.conf.orig: a copy or a
 * symlink like it; resolv.conf.none: there was none). */
int dhcp_client_resolv_keep(const char *dir);

/* `down`: resolv_path back as DIR keeps it, if it is still ours (its first line is ours:
 * a stack that wrote its own since keeps it); the kept copy removed either way. */
int dhcp_client_resolv_back(const char *dir, const char *path);

#endif
