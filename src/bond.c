/* The kernel's bonding driver over rtnetlink. libnl 3.7 can create and enslave but has
 * no bond options, so the create message is built by hand with every option as an
 * IFLA_BOND_* attribute (iproute2's ip/iplink_bond.c is the map), and 802.3ad state is
 * read back from IFLA_BOND_AD_INFO and IFLA_BOND_SLAVE_* with our own policies.
 *
 * Order matters (systemd-networkd, and our measurement): options go in while the bond
 * is down and empty (mode cannot change later); members are set down and enslaved; the
 * bond comes up last, which re-arms Linux's 8 s aggregator-selection timer to one tick. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bond.h"

static int put_options(struct nl_msg *m, const struct bond_opts *o)
{
	for (int i = 0; i < _BOND_OPT_MAX; i++) {
		const struct bond_opt_def *d = &bond_opt_defs[i];
		uint32_t idx;
		int r = 0;

		if (!o->set[i])
			continue;
		switch (d->type) {
		case BOND_T_U8:
			r = nla_put_u8(m, d->attr, (uint8_t)o->val[i]);
			break;
		case BOND_T_U16:
			r = nla_put_u16(m, d->attr, (uint16_t)o->val[i]);
			break;
		case BOND_T_U32:
			r = nla_put_u32(m, d->attr, o->val[i]);
			break;
		case BOND_T_MAC:
			r = nla_put(m, d->attr, 6, o->actor_system);
			break;
		case BOND_T_IFNAME:
			idx = if_nametoindex(o->primary);
			if (!idx)
				return -ENODEV;
			r = nla_put_u32(m, d->attr, idx);
			break;
		}
		if (r < 0)
			return -ENOMEM;
	}
	return 0;
}

int bond_create(struct link_ctx *ctx, const char *name, const struct bond_opts *opts,
		const uint8_t mac[6], int *ret_ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data;
	unsigned idx;
	int r = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(m, IFLA_IFNAME, name) < 0 ||
	    (mac && nla_put(m, IFLA_ADDRESS, 6, mac) < 0))
		goto out;
	info = nla_nest_start(m, IFLA_LINKINFO);
	if (!info || nla_put_string(m, IFLA_INFO_KIND, "bond") < 0)
		goto out;
	data = nla_nest_start(m, IFLA_INFO_DATA);
	if (!data)
		goto out;
	r = put_options(m, opts);
	if (r < 0)
		goto out;
	nla_nest_end(m, data);
	nla_nest_end(m, info);
	r = link_nlerr(nl_send_sync(link_nl(ctx), m)); /* frees m */
	m = NULL;
	if (r < 0)
		goto out;
	idx = if_nametoindex(name);
	if (!idx) {
		r = -ENODEV;
		goto out;
	}
	*ret_ifindex = (int)idx;
out:
	nlmsg_free(m);
	return r;
}

/* sysfs is enough here: bonding.ko's own files, read once. */
static bool sysfs_read(const char *name, const char *file, char *buf, size_t cap)
{
	char path[96];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return true;
}

bool bond_idle(struct link_ctx *ctx, const char *name)
{
	char slaves[256];
	struct link_info li;
	int idx = (int)if_nametoindex(name);

	return idx && sysfs_read(name, "bonding/slaves", slaves, sizeof(slaves)) &&
	       !slaves[strspn(slaves, " \n")] && link_get(ctx, idx, &li) == 0 && !li.admin_up &&
	       link_addrs4(ctx, idx) == 0;
}

int bond_delete(struct link_ctx *ctx, int bond_ifindex)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int r;

	if (!l)
		return -ENOMEM;
	rtnl_link_set_ifindex(l, bond_ifindex);
	r = link_nlerr(rtnl_link_delete(link_nl(ctx), l));
	rtnl_link_put(l);
	return r;
}

int bond_enslave(struct link_ctx *ctx, int bond_ifindex, int member_ifindex)
{
	int r = link_set_up(ctx, member_ifindex, false);

	if (r < 0)
		return r;
	return link_nlerr(rtnl_link_enslave_ifindex(link_nl(ctx), bond_ifindex, member_ifindex));
}

int bond_release(struct link_ctx *ctx, int member_ifindex)
{
	return link_nlerr(rtnl_link_release_ifindex(link_nl(ctx), member_ifindex));
}

/* Policies for what we read: a wrong length from the kernel is refused, not misread. */
static struct nla_policy ad_info_policy[IFLA_BOND_AD_INFO_MAX + 1] = {
	[IFLA_BOND_AD_INFO_AGGREGATOR] = { .type = NLA_U16 },
	[IFLA_BOND_AD_INFO_NUM_PORTS] = { .type = NLA_U16 },
	[IFLA_BOND_AD_INFO_ACTOR_KEY] = { .type = NLA_U16 },
	[IFLA_BOND_AD_INFO_PARTNER_KEY] = { .type = NLA_U16 },
	[IFLA_BOND_AD_INFO_PARTNER_MAC] = { .minlen = 6 },
};

static struct nla_policy member_policy[IFLA_BOND_SLAVE_MAX + 1] = {
	[IFLA_BOND_SLAVE_STATE] = { .type = NLA_U8 },
	[IFLA_BOND_SLAVE_MII_STATUS] = { .type = NLA_U8 },
	[IFLA_BOND_SLAVE_PERM_HWADDR] = { .minlen = 6 },
	[IFLA_BOND_SLAVE_AD_AGGREGATOR_ID] = { .type = NLA_U16 },
	[IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE] = { .type = NLA_U8 },
	[IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE] = { .type = NLA_U16 },
};

struct readback {
	bool member;
	struct bond_ad_info *ad;
	struct bond_member_info *mi;
	int r;
};

static int parse_ad(struct nlattr *data, struct bond_ad_info *ad)
{
	struct nlattr *tb[IFLA_BOND_MAX + 1], *ai[IFLA_BOND_AD_INFO_MAX + 1];

	if (nla_parse_nested(tb, IFLA_BOND_MAX, data, NULL) < 0)
		return -EBADMSG;
	if (!tb[IFLA_BOND_AD_INFO])
		return 0; /* not 802.3ad, or no aggregator yet */
	if (nla_parse_nested(ai, IFLA_BOND_AD_INFO_MAX, tb[IFLA_BOND_AD_INFO], ad_info_policy) < 0)
		return -EBADMSG;
	ad->valid = true;
	if (ai[IFLA_BOND_AD_INFO_AGGREGATOR])
		ad->aggregator = nla_get_u16(ai[IFLA_BOND_AD_INFO_AGGREGATOR]);
	if (ai[IFLA_BOND_AD_INFO_NUM_PORTS])
		ad->num_ports = nla_get_u16(ai[IFLA_BOND_AD_INFO_NUM_PORTS]);
	if (ai[IFLA_BOND_AD_INFO_ACTOR_KEY])
		ad->actor_key = nla_get_u16(ai[IFLA_BOND_AD_INFO_ACTOR_KEY]);
	if (ai[IFLA_BOND_AD_INFO_PARTNER_KEY])
		ad->partner_key = nla_get_u16(ai[IFLA_BOND_AD_INFO_PARTNER_KEY]);
	if (ai[IFLA_BOND_AD_INFO_PARTNER_MAC])
		memcpy(ad->partner_mac, nla_data(ai[IFLA_BOND_AD_INFO_PARTNER_MAC]), 6);
	return 0;
}

static int parse_member(struct nlattr *data, struct bond_member_info *mi)
{
	struct nlattr *tb[IFLA_BOND_SLAVE_MAX + 1];

	if (nla_parse_nested(tb, IFLA_BOND_SLAVE_MAX, data, member_policy) < 0)
		return -EBADMSG;
	mi->valid = true;
	if (tb[IFLA_BOND_SLAVE_STATE])
		mi->state = nla_get_u8(tb[IFLA_BOND_SLAVE_STATE]);
	if (tb[IFLA_BOND_SLAVE_MII_STATUS])
		mi->mii_status = nla_get_u8(tb[IFLA_BOND_SLAVE_MII_STATUS]);
	if (tb[IFLA_BOND_SLAVE_PERM_HWADDR])
		memcpy(mi->perm_mac, nla_data(tb[IFLA_BOND_SLAVE_PERM_HWADDR]), 6);
	if (tb[IFLA_BOND_SLAVE_AD_AGGREGATOR_ID])
		mi->aggregator = nla_get_u16(tb[IFLA_BOND_SLAVE_AD_AGGREGATOR_ID]);
	if (tb[IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE])
		mi->actor_state = nla_get_u8(tb[IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE]);
	if (tb[IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE])
		mi->partner_state =
		    (uint8_t)nla_get_u16(tb[IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE]);
	return 0;
}

static int on_link(struct nl_msg *msg, void *arg)
{
	struct readback *rb = arg;
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (h->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0) {
		rb->r = -EBADMSG;
		return NL_STOP;
	}
	if (!tb[IFLA_LINKINFO] || nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0)
		return NL_OK;
	if (!rb->member && li[IFLA_INFO_DATA])
		rb->r = parse_ad(li[IFLA_INFO_DATA], rb->ad);
	else if (rb->member && li[IFLA_INFO_SLAVE_DATA])
		rb->r = parse_member(li[IFLA_INFO_SLAVE_DATA], rb->mi);
	return NL_OK;
}

static int read_link(struct link_ctx *ctx, int ifindex, struct readback *rb)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETLINK, 0);
	struct nl_cb *sk_cb = nl_socket_get_cb(link_nl(ctx)); /* a reference: put below */
	struct nl_cb *cb = nl_cb_clone(sk_cb);
	int r = -ENOMEM;

	nl_cb_put(sk_cb);

	if (!m || !cb || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_link, rb);
	/* nl_send_auto returns the bytes sent, which link_nlerr would take for an error. */
	r = nl_send_auto(link_nl(ctx), m);
	r = r < 0 ? link_nlerr(r) : 0;
	if (r >= 0)
		r = link_nlerr(nl_recvmsgs(link_nl(ctx), cb));
	/* nl_send_auto asked for an ACK too, and it follows the answer: left queued, it
	 * would be the next request's "answer" and every later read one reply behind
	 * (libnl's own rtnl_link_get_kernel waits for it the same way). */
	if (r >= 0)
		r = link_nlerr(nl_wait_for_ack(link_nl(ctx)));
	if (r >= 0)
		r = rb->r;
out:
	nlmsg_free(m);
	nl_cb_put(cb);
	return r;
}

int bond_ad_info(struct link_ctx *ctx, int bond_ifindex, struct bond_ad_info *ret)
{
	struct bond_ad_info ad = { 0 };
	struct readback rb = { .ad = &ad };
	int r = read_link(ctx, bond_ifindex, &rb);

	if (r >= 0)
		*ret = ad;
	return r;
}

int bond_member_info(struct link_ctx *ctx, int member_ifindex, struct bond_member_info *ret)
{
	struct bond_member_info mi = { 0 };
	struct readback rb = { .member = true, .mi = &mi };
	int r = read_link(ctx, member_ifindex, &rb);

	if (r >= 0)
		*ret = mi;
	return r;
}

int bond_load_driver(char *why, size_t whylen)
{
	static const char *const paths[] = { "/sbin/modprobe", "/usr/sbin/modprobe",
					     "/bin/modprobe", "/usr/bin/modprobe" };
	char msg[200] = "";
	struct stat st;
	ssize_t n = 0;
	int status, p[2];
	pid_t pid;

	snprintf(why, whylen, "no modprobe to load it: add bonding.ko to the initramfs");
	if (stat("/sys/class/net/bonding_masters", &st) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (access(paths[i], X_OK) != 0)
			continue;
		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			return -errno;
		}
		if (pid == 0) {
			/* modprobe's own words are the reason a user can act on. */
			dup2(p[1], 2);
			/* max_bonds=0: without it the module makes a bond0 of its own. */
			execl(paths[i], "modprobe", "bonding", "max_bonds=0", (char *)NULL);
			_exit(127);
		}
		close(p[1]);
		while (n >= 0 && (size_t)n < sizeof(msg) - 1) {
			ssize_t k = read(p[0], msg + n, sizeof(msg) - 1 - (size_t)n);

			if (k <= 0 && !(k < 0 && errno == EINTR))
				break;
			n += k > 0 ? k : 0;
		}
		close(p[0]);
		if (waitpid(pid, &status, 0) < 0)
			return -errno;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 0;
		msg[n > 0 ? n : 0] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		for (char *c = msg; *c; c++) /* its message quotes paths: printable only */
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		snprintf(why, whylen, "modprobe bonding: %s", msg[0] ? msg : "failed");
		return -ENOENT;
	}
	return -ENOEXEC;
}
