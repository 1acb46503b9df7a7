/* NIC discovery and link control over rtnetlink (libnl-route), plus ethtool facts and
 * a lease's IPv4 address and default route. */
#ifndef PXEBOND_LINK_H
#define PXEBOND_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct link_ctx;

struct link_info {
	int ifindex;
	char name[IF_NAMESIZE];
	uint8_t mac[6];
	unsigned arptype;
	unsigned mtu;
	bool admin_up;
	bool carrier;
	bool enslaved; /* has a master (bond, bridge, team) */
	char kind[16]; /* IFLA_INFO_KIND: "" for a plain NIC, "veth", "bond"... */
	bool physical; /* backed by a device (sysfs device link) */
	bool wireless;
};

int link_open(struct link_ctx **ret);

/* For bond.c: the request socket, and libnl's -NLE_* codes as -errno (the one boundary). */
struct nl_sock *link_nl(struct link_ctx *ctx);
int link_nlerr(int nle);
void link_close(struct link_ctx *ctx);

/* Every link, in ifindex order. */
int link_list(struct link_ctx *ctx, struct link_info *out, unsigned max, unsigned *ret_n);
int link_get(struct link_ctx *ctx, int ifindex, struct link_info *ret);
int link_set_up(struct link_ctx *ctx, int ifindex, bool up);
int link_set_mtu(struct link_ctx *ctx, int ifindex, unsigned mtu);
/* The link's MAC (a bond passes it on to its members). */
int link_set_mac(struct link_ctx *ctx, int ifindex, const uint8_t mac[6]);

/* An IPv4 address with its prefix and broadcast (0: none), replacing the same address;
 * host byte order. lifetime_s: valid and preferred lifetime (0: forever), as DHCP
 * clients set the lease's, so that stacks taking the interface over see a dynamic
 * address (NetworkManager then matches a DHCP profile to it). */
int link_addr4_add(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix,
		   uint32_t broadcast, uint32_t lifetime_s);

/* The default route via gateway out of ifindex, protocol dhcp. onlink: the gateway is
 * outside the address's prefix but on the link (RTNH_F_ONLINK). -EEXIST if the main
 * table has a default route already. */
int link_route4_default(struct link_ctx *ctx, int ifindex, uint32_t gateway, bool onlink);

/* Removes that one IPv4 address (and so the routes through it); -EADDRNOTAVAIL if the
 * link does not have it. Nothing else goes: an address someone else added stays. */
int link_addr4_del(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix);

/* How many IPv4 addresses the link has, or -errno. */
int link_addrs4(struct link_ctx *ctx, int ifindex);

/* Whether the link has the IPv4 address addr/prefix (host order): 1, 0, or -errno. */
int link_addr4_has(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix);

/* A socket that reads link events; link_events_read calls back with each link's
 * index and carrier state. */
int link_events_fd(struct link_ctx *ctx);
int link_events_read(struct link_ctx *ctx, void (*cb)(void *data, int ifindex, bool carrier),
		     void *data);
int link_carrier(struct link_ctx *ctx, int ifindex, bool *ret);

/* ethtool: speed (0 unknown), duplex, permanent MAC (zero if none), driver name. */
void link_ethtool(const char *name, uint32_t *speed_mbps, bool *full_duplex, uint8_t perm[6],
		  char *driver, size_t driver_len);

#endif
