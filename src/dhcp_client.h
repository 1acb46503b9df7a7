/* The DHCPv4 client of `up`: a lease on one interface within a budget, then the address,
 * default route, MTU and /etc/resolv.conf from it. No renewal: pxebond exits after `up`
 * and the installer's own network stack takes the interface over. */
#ifndef PXEBOND_DHCP_CLIENT_H
#define PXEBOND_DHCP_CLIENT_H

#include <stddef.h>

#include "dhcp.h"
#include "link.h"

/* DISCOVER, OFFER, REQUEST, ACK on ifindex (a NAK starts over), retransmitting with
 * backoff until timeout_ms has passed; -ETIMEDOUT then, with why saying what was heard. */
int dhcp_client_lease(struct link_ctx *link, int ifindex, const char *ifname, int timeout_ms,
		      struct dhcp_lease *ret, char *why, size_t whylen);

/* Puts the lease on ifindex: MTU (if the lease has one), the address (replacing any other
 * IPv4 address), the default route via the first router, then resolv_path (NULL: none)
 * by temporary file and rename. *ret_old_mtu: the MTU to restore (0: unchanged). Only a
 * failure to set the address fails; the rest is warned about. */
int dhcp_client_apply(struct link_ctx *link, int ifindex, const char *ifname,
		      const struct dhcp_lease *l, const char *resolv_path, unsigned *ret_old_mtu);

/* Puts back resolv_path as it was before dhcp_client_apply first wrote it (or removes
 * it, if there was none): for an `up` that ends with no working rung. */
int dhcp_client_resolv_restore(const char *path);

#endif
