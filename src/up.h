/* `up`: from the probe's decision to a working path to the install server, by the
 * ladder's rungs (ladder.c) with rollback; the state records what it did (state.c). */
#ifndef PXEBOND_UP_H
#define PXEBOND_UP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "bond_opts.h"
#include "probe.h"

#define UP_MAX_CHECKS  4
#define UP_URL_MAX     256
#define UP_RESOLV_CONF "/etc/resolv.conf"

struct up_config {
	enum bond_mode mode; /* BOND_MODES_UP: auto, 802.3ad, active-backup, single, off */
	char bond[IF_NAMESIZE];
	struct bond_opts opts; /* the user's; the ladder puts them over pxebond's defaults */
	bool dhcp;
	bool resolv;  /* write UP_RESOLV_CONF from the lease */
	bool if_lacp; /* in auto mode, change nothing unless some NIC has an LACP partner */
	bool renew;   /* keep the lease in a background process, for `down` to stop */
	bool table;   /* print the probe's table (as `probe` does) on stdout */
	int n_checks;
	char checks[UP_MAX_CHECKS][UP_URL_MAX];
	char state_dir[256];
	int timeout_ms; /* per rung: aggregation, then DHCP */
	bool has_bootif;
	uint8_t bootif[6];
	struct probe_config probe;
	struct probe_ifaces ifaces; /* storage behind probe.patterns */
};

/* 0: a path is up. -ENOLINK: nothing changed (--if-lacp found no partner, or mode off).
 * -ENETUNREACH: no rung worked, the NICs are as they were. -EALREADY: the state says a
 * path is up already (`down` first). Other -errno: failure. */
int up_run(const struct up_config *cfg);

#endif
