/* `down`: undoes exactly what `up` did, as its state records it, and nothing else: the
 * renewer it started, the bond it made (or the address and MTU it put on one NIC), the
 * NICs it brought up. Addresses others added stay. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bond.h"
#include "dhcp_client.h"
#include "down.h"
#include "link.h"
#include "log.h"
#include "renew.h"
#include "state.h"
#include "up.h"

/* ifindex of name if it is a bond: a tampered state naming a NIC deletes nothing. */
static int bond_index(struct link_ctx *link, const char *name)
{
	struct link_info li;
	int idx = (int)if_nametoindex(name);

	if (!idx || link_get(link, idx, &li) < 0 || strcmp(li.kind, "bond"))
		return 0;
	return idx;
}

int down_run(const char *state_dir)
{
	static struct state st;
	char warn[1024], path[4096];
	struct link_ctx *link;
	int r = state_read(state_dir, &st, warn, sizeof(warn)), idx;

	if (r == -ENOENT) {
		log_info("%s/state: no state, nothing to undo", state_dir);
		return 0;
	}
	if (r < 0) {
		log_err("%s; cannot tell what to undo", warn);
		return r;
	}
	log_warn_lines(warn);
	if (st.result == STATE_OK) {
		if (st.renew_pid > 0)
			renew_stop(st.renew_pid);
		r = link_open(&link);
		if (r < 0)
			return log_err_errno(r, "cannot open rtnetlink");
		if (st.bond[0] && (idx = bond_index(link, st.bond))) {
			r = bond_delete(link, idx); /* the kernel gives the members back */
			if (r < 0)
				log_warn_errno(r, "cannot delete %s", st.bond);
			else
				log_info("%s deleted", st.bond);
		} else if (st.bond[0]) {
			log_info("%s is gone already", st.bond);
		} else if (st.iface[0] && (idx = (int)if_nametoindex(st.iface))) {
			/* One NIC: the lease's address, and the MTU it replaced. */
			if (st.has_lease &&
			    link_addr4_del(link, idx, st.lease.addr, st.lease.prefix) == 0)
				log_info("%s: the lease's address removed", st.iface);
			if (st.restore_mtu)
				link_set_mtu(link, idx, st.restore_mtu);
		}
		if (dhcp_client_resolv_back(state_dir, UP_RESOLV_CONF) < 0)
			log_warn("cannot put %s back as it was", UP_RESOLV_CONF);
		for (unsigned i = 0; i < st.n_restore; i++) {
			idx = (int)if_nametoindex(st.restore_name[i]);
			if (idx && !st.restore_up[i])
				link_set_up(link, idx, false);
		}
		link_close(link);
	} else {
		log_info("the state says up %s: nothing was left up",
			 st.result == STATE_SKIPPED ? "changed nothing" : "failed");
	}
	if (state_path(state_dir, "state", path, sizeof(path)))
		unlink(path);
	if (state_path(state_dir, "state.json", path, sizeof(path)))
		unlink(path);
	return 0;
}
