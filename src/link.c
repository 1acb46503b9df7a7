/* NIC discovery and link control over rtnetlink (libnl-route), plus ethtool facts and
 * the IPv4 address and default route of a lease. libnl's -NLE_* codes are turned into
 * -errno here and go no further. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "link.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* linux/if.h; libc's net/if.h lacks it */
#endif

struct link_ctx {
	struct nl_sock *sk;
	struct nl_sock *ev;
	void (*cb)(void *data, int ifindex, bool carrier);
	void *cb_data;
};

int link_nlerr(int e)
{
	if (e >= 0)
		return 0; /* counts (bytes sent, messages read) are success */
	switch (-e) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	default:
		return -EIO;
	}
}

int link_open(struct link_ctx **ret)
{
	struct link_ctx *ctx = calloc(1, sizeof(*ctx));
	int r = -ENOMEM;

	if (!ctx)
		return -ENOMEM;
	ctx->sk = nl_socket_alloc();
	ctx->ev = nl_socket_alloc();
	if (!ctx->sk || !ctx->ev)
		goto fail;
	r = link_nlerr(nl_connect(ctx->sk, NETLINK_ROUTE));
	if (r < 0)
		goto fail;
	/* Events: asynchronous notifications carry no sequence number of ours. */
	nl_socket_disable_seq_check(ctx->ev);
	r = link_nlerr(nl_connect(ctx->ev, NETLINK_ROUTE));
	if (r >= 0)
		r = link_nlerr(nl_socket_add_membership(ctx->ev, RTNLGRP_LINK));
	if (r >= 0)
		r = link_nlerr(nl_socket_set_nonblocking(ctx->ev));
	if (r < 0)
		goto fail;
	*ret = ctx;
	return 0;
fail:
	link_close(ctx);
	return r;
}

struct nl_sock *link_nl(struct link_ctx *ctx)
{
	return ctx->sk;
}

void link_close(struct link_ctx *ctx)
{
	if (!ctx)
		return;
	nl_socket_free(ctx->sk);
	nl_socket_free(ctx->ev);
	free(ctx);
}

static bool sysfs_has(const char *name, const char *what)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, what);
	return access(path, F_OK) == 0;
}

static void fill_info(struct rtnl_link *l, struct link_info *li)
{
	struct nl_addr *a = rtnl_link_get_addr(l);
	const char *kind = rtnl_link_get_type(l);
	unsigned flags = rtnl_link_get_flags(l);

	memset(li, 0, sizeof(*li));
	li->ifindex = rtnl_link_get_ifindex(l);
	snprintf(li->name, sizeof(li->name), "%s", rtnl_link_get_name(l));
	if (a && nl_addr_get_len(a) == sizeof(li->mac))
		memcpy(li->mac, nl_addr_get_binary_addr(a), sizeof(li->mac));
	li->arptype = rtnl_link_get_arptype(l);
	li->mtu = rtnl_link_get_mtu(l);
	li->admin_up = flags & IFF_UP;
	li->carrier = flags & IFF_LOWER_UP;
	li->enslaved = rtnl_link_get_master(l) > 0;
	snprintf(li->kind, sizeof(li->kind), "%s", kind ? kind : "");
	li->physical = sysfs_has(li->name, "device");
	li->wireless = sysfs_has(li->name, "wireless") || sysfs_has(li->name, "phy80211");
}

int link_list(struct link_ctx *ctx, struct link_info *out, unsigned max, unsigned *ret_n)
{
	struct nl_cache *cache;
	unsigned n = 0;
	int r;

	r = link_nlerr(rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &cache));
	if (r < 0)
		return r;
	for (struct nl_object *o = nl_cache_get_first(cache); o && n < max;
	     o = nl_cache_get_next(o))
		fill_info((struct rtnl_link *)o, &out[n++]);
	nl_cache_free(cache);
	/* The cache is a hash: put the links back in index order. */
	for (unsigned i = 1; i < n; i++) {
		struct link_info t = out[i];
		unsigned k = i;

		for (; k > 0 && out[k - 1].ifindex > t.ifindex; k--)
			out[k] = out[k - 1];
		out[k] = t;
	}
	*ret_n = n;
	return 0;
}

int link_get(struct link_ctx *ctx, int ifindex, struct link_info *ret)
{
	struct rtnl_link *l;
	int r = link_nlerr(rtnl_link_get_kernel(ctx->sk, ifindex, NULL, &l));

	if (r < 0)
		return r;
	fill_info(l, ret);
	rtnl_link_put(l);
	return 0;
}

int link_set_up(struct link_ctx *ctx, int ifindex, bool up)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int r = -ENOMEM;

	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		if (up)
			rtnl_link_set_flags(change, IFF_UP);
		else
			rtnl_link_unset_flags(change, IFF_UP);
		r = link_nlerr(rtnl_link_change(ctx->sk, orig, change, 0));
	}
	rtnl_link_put(orig);
	rtnl_link_put(change);
	return r;
}

int link_set_mtu(struct link_ctx *ctx, int ifindex, unsigned mtu)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int r = -ENOMEM;

	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_mtu(change, mtu);
		r = link_nlerr(rtnl_link_change(ctx->sk, orig, change, 0));
	}
	rtnl_link_put(orig);
	rtnl_link_put(change);
	return r;
}

int link_set_mac(struct link_ctx *ctx, int ifindex, const uint8_t mac[6])
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, 0);

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFLA_ADDRESS, 6, mac) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	return link_nlerr(nl_send_sync(ctx->sk, m)); /* frees m */
}

/* RTM_NEWADDR and RTM_NEWROUTE built with libnl's generic message API, as bond.c does:
 * libnl's route objects (and their nexthops) would come into the binary for one route. */
int link_addr4_del(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET,
				 .ifa_prefixlen = prefix,
				 .ifa_index = (unsigned)ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_DELADDR, 0);
	uint32_t a = htonl(addr);

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFA_LOCAL, 4, &a) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	return link_nlerr(nl_send_sync(ctx->sk, m)); /* frees m */
}

int link_addr4_add(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix,
		   uint32_t broadcast, uint32_t lifetime_s)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET,
				 .ifa_prefixlen = prefix,
				 .ifa_scope = RT_SCOPE_UNIVERSE,
				 .ifa_index = (unsigned)ifindex };
	struct ifa_cacheinfo ci = { .ifa_prefered = lifetime_s, .ifa_valid = lifetime_s };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
	uint32_t a = htonl(addr), b = htonl(broadcast);

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFA_LOCAL, 4, &a) < 0 || nla_put(m, IFA_ADDRESS, 4, &a) < 0 ||
	    (broadcast && nla_put(m, IFA_BROADCAST, 4, &b) < 0) ||
	    (lifetime_s && nla_put(m, IFA_CACHEINFO, sizeof(ci), &ci) < 0)) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	return link_nlerr(nl_send_sync(ctx->sk, m)); /* frees m */
}

int link_route4_default(struct link_ctx *ctx, int ifindex, uint32_t gateway, bool onlink)
{
	struct rtmsg rt = { .rtm_family = AF_INET,
			    .rtm_table = RT_TABLE_MAIN,
			    .rtm_protocol = RTPROT_DHCP,
			    .rtm_scope = RT_SCOPE_UNIVERSE,
			    .rtm_type = RTN_UNICAST,
			    .rtm_flags = onlink ? RTNH_F_ONLINK : 0 };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	uint32_t gw = htonl(gateway);

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &rt, sizeof(rt), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, RTA_GATEWAY, 4, &gw) < 0 || nla_put_u32(m, RTA_OIF, (uint32_t)ifindex) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	return link_nlerr(nl_send_sync(ctx->sk, m));
}

int link_addrs4(struct link_ctx *ctx, int ifindex)
{
	struct nl_cache *cache;
	int r = link_nlerr(rtnl_addr_alloc_cache(ctx->sk, &cache)), n = 0;

	if (r < 0)
		return r;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;

		/* IPv6 link-local addresses are the kernel's, and harmless */
		n += rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_family(a) == AF_INET;
	}
	nl_cache_free(cache);
	return n;
}

int link_addr4_has(struct link_ctx *ctx, int ifindex, uint32_t addr, uint8_t prefix)
{
	struct nl_cache *cache;
	uint32_t want = htonl(addr);
	int r = link_nlerr(rtnl_addr_alloc_cache(ctx->sk, &cache)), found = 0;

	if (r < 0)
		return r;
	for (struct nl_object *o = nl_cache_get_first(cache); o && !found;
	     o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(a);

		found = rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_family(a) == AF_INET &&
			rtnl_addr_get_prefixlen(a) == prefix && local &&
			nl_addr_get_len(local) == 4 &&
			!memcmp(nl_addr_get_binary_addr(local), &want, 4);
	}
	nl_cache_free(cache);
	return found;
}

int link_carrier(struct link_ctx *ctx, int ifindex, bool *ret)
{
	struct rtnl_link *l;
	int r = link_nlerr(rtnl_link_get_kernel(ctx->sk, ifindex, NULL, &l));

	if (r < 0)
		return r;
	*ret = rtnl_link_get_flags(l) & IFF_LOWER_UP;
	rtnl_link_put(l);
	return 0;
}

int link_events_fd(struct link_ctx *ctx)
{
	return nl_socket_get_fd(ctx->ev);
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct link_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct ifinfomsg *ifi;

	if (h->nlmsg_type != RTM_NEWLINK || !nlmsg_valid_hdr(h, sizeof(*ifi)))
		return NL_OK;
	ifi = nlmsg_data(h);
	ctx->cb(ctx->cb_data, ifi->ifi_index, ifi->ifi_flags & IFF_LOWER_UP);
	return NL_OK;
}

int link_events_read(struct link_ctx *ctx, void (*cb)(void *data, int ifindex, bool carrier),
		     void *data)
{
	int r;

	ctx->cb = cb;
	ctx->cb_data = data;
	nl_socket_modify_cb(ctx->ev, NL_CB_VALID, NL_CB_CUSTOM, on_event, ctx);
	do
		r = nl_recvmsgs_default(ctx->ev);
	while (r >= 0);
	r = link_nlerr(r);
	return r == -EAGAIN ? 0 : r;
}

/* ETHTOOL_GLINKSETTINGS wants to be asked twice: first for the size of its masks. */
static bool ethtool_speed(int fd, struct ifreq *ifr, uint32_t *speed, bool *full)
{
	struct {
		struct ethtool_link_settings s;
		uint32_t masks[3 * 127];
	} req;

	memset(&req, 0, sizeof(req));
	req.s.cmd = ETHTOOL_GLINKSETTINGS;
	ifr->ifr_data = (void *)&req;
	if (ioctl(fd, SIOCETHTOOL, ifr) < 0 || req.s.link_mode_masks_nwords >= 0)
		return false;
	req.s.link_mode_masks_nwords = (int8_t)-req.s.link_mode_masks_nwords;
	req.s.cmd = ETHTOOL_GLINKSETTINGS;
	if (ioctl(fd, SIOCETHTOOL, ifr) < 0)
		return false;
	*speed = req.s.speed == (uint32_t)SPEED_UNKNOWN ? 0 : req.s.speed;
	*full = req.s.duplex == DUPLEX_FULL;
	return true;
}

void link_ethtool(const char *name, uint32_t *speed_mbps, bool *full_duplex, uint8_t perm[6],
		  char *driver, size_t driver_len)
{
	struct ifreq ifr;
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	struct {
		struct ethtool_perm_addr a;
		uint8_t data[32];
	} pa = { .a = { .cmd = ETHTOOL_GPERMADDR, .size = 32 } };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	*speed_mbps = 0;
	*full_duplex = false;
	memset(perm, 0, 6);
	snprintf(driver, driver_len, "%s", "");
	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);

	if (!ethtool_speed(fd, &ifr, speed_mbps, full_duplex)) {
		struct ethtool_cmd ec = { .cmd = ETHTOOL_GSET };

		ifr.ifr_data = (void *)&ec;
		if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
			uint32_t s = ethtool_cmd_speed(&ec);

			*speed_mbps = s == (uint32_t)SPEED_UNKNOWN ? 0 : s;
			*full_duplex = ec.duplex == DUPLEX_FULL;
		}
	}
	ifr.ifr_data = (void *)&di;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
		snprintf(driver, driver_len, "%.*s", (int)sizeof(di.driver), di.driver);
	ifr.ifr_data = (void *)&pa;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && pa.a.size == 6)
		memcpy(perm, pa.data, 6);
	close(fd);
}
