/* What `probe` found on each NIC, and the knobs that steer it. */
#ifndef PXEBOND_PROBE_H
#define PXEBOND_PROBE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "lacp.h"
#include "lldp.h"

#define PROBE_MAX_NICS 64

struct probe_nic {
	char name[IF_NAMESIZE];
	int ifindex;
	uint8_t mac[ETH_ADDR_LEN];
	uint8_t perm_mac[ETH_ADDR_LEN]; /* = mac when the driver reports none */
	char driver[32];
	bool was_up; /* admin state found at start, restored at the end */
	bool carrier;
	uint32_t speed_mbps; /* 0: unknown */
	bool full_duplex;
	int64_t carrier_ms; /* since the probe started; -1: never */

	bool lacp_detected;
	struct lacp_info partner;      /* the switch port: actor block of its LACPDU */
	struct lacp_info partner_view; /* what the switch knew of us (its partner block) */
	int64_t lacp_ms;	       /* first LACPDU, since carrier */
	unsigned lacp_tx;	       /* LACPDUs we sent */
	unsigned lacp_rx;

	bool lldp_valid;
	struct lldp_neighbor lldp;
	int64_t lldp_ms;

	unsigned dropped; /* malformed, looped or foreign frames */
	bool cut_off;	  /* the probe's --timeout came before its carrier or LACP verdict */
	bool late;	  /* join_window: joins the bond after it formed (no carrier yet when a
		    * partner answered, or its own partner answered after the window) */
};

struct probe_result {
	unsigned n;
	struct probe_nic nic[PROBE_MAX_NICS];
	struct lacp_info actor; /* our identity: what `up` gives the bond */
	int64_t elapsed_ms;
	bool withdrew;	/* a withdrawing LACPDU was sent at the end */
	bool timed_out; /* --timeout ended it before every NIC's verdict */
};

struct probe_config {
	bool passive; /* listen only: send nothing */
	bool lldp_tx;
	bool keep_up;
	bool withdraw;	  /* end with a withdrawing LACPDU (probe on its own) */
	int lldp_wait_ms; /* 0: do not wait for LLDP */
	/* up's: once a partner has answered, a NIC without carrier holds nothing up (it is
	 * "late": up enslaves it, the kernel admits it if it faces the same partner), and
	 * one with carrier but silent only for twice the slowest answer after its own
	 * carrier (PROBE_JOIN_MIN_MS at least; lacp_wait at most). */
	bool join_window;
	/* With join_window: where the NICs the window stopped waiting for (carrier, no
	 * answer yet, --lacp-wait not over) keep their sockets, for probe_settle. */
	struct probe_pending *pending;
	int lacp_wait_ms; /* after carrier, before "no LACP"; < 0: the default */
	int carrier_timeout_ms;
	int timeout_ms;
	char *const *patterns; /* names or globs; NULL: physical NICs */
	int n_patterns;
};

/* Storage behind probe_config.patterns: a comma-separated list, split. */
struct probe_ifaces {
	char buf[256];
	char *pattern[16];
};

#define PROBE_JOIN_MIN_MS 300

/* How long after carrier a NIC with no LACPDU has no LACP partner, unless told: listening
 * alone must outlast an active fast partner's 1 s period. */
static inline int probe_default_lacp_wait_ms(bool passive)
{
	return passive ? 3000 : 1500;
}

/* NICs the join window stopped waiting for: their packet sockets stay open, so what
 * their partners send while `up` forms the bond is queued by the kernel, not lost. */
struct probe_pending {
	unsigned n;
	unsigned nic[PROBE_MAX_NICS]; /* indices into probe_result.nic */
	int fd[PROBE_MAX_NICS];
	int64_t t0; /* the probe's clock origin (clock_ms) */
	int lacp_wait_ms;
};

int probe_run(const struct probe_config *cfg, struct probe_result *ret);

/* Reads what the pending NICs heard, waiting until each one's --lacp-wait after its
 * carrier is over (the bond's aggregate wait has usually outlasted it), then closes
 * their sockets. A NIC whose partner answered is marked lacp_detected and late. Returns
 * how many answered. */
unsigned probe_settle(struct probe_pending *pp, struct probe_result *res);

/* Closes the pending sockets unread (the rung they were for did not come up). */
void probe_pending_close(struct probe_pending *pp);

#endif
