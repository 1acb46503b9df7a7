/* `up`: from the probe's decision to a working path to the install server, by a
 * ladder of rungs (802.3ad, active-backup, each single NIC) with rollback. */
#ifndef PXEBOND_UP_H
#define PXEBOND_UP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "bond_opts.h"
#include "probe.h"

enum up_mode { UP_AUTO, UP_8023AD, UP_ACTIVE_BACKUP, UP_SINGLE, UP_OFF };

#define UP_MAX_CHECKS  4
#define UP_URL_MAX     256
#define UP_RESOLV_CONF "/etc/resolv.conf"

struct up_config {
	enum up_mode mode;
	char bond[IF_NAMESIZE];
	struct bond_opts opts; /* the user's, over our defaults */
	bool dhcp;
	bool resolv;  /* write UP_RESOLV_CONF from the lease */
	bool if_lacp; /* in auto mode, change nothing unless some NIC has an LACP partner */
	bool renew;   /* keep the lease in a background process, for `down` to stop */
	bool table;   /* print the probe's table (as `probe` does) on stdout */
	int n_checks;
	char checks[UP_MAX_CHECKS][UP_URL_MAX];
	char state_dir[128];
	int timeout_ms; /* per rung: aggregation, then DHCP */
	bool has_bootif;
	uint8_t bootif[6];
	struct probe_config probe;
	struct probe_ifaces ifaces; /* storage behind probe.patterns */
};

const char *up_mode_name(enum up_mode m);
bool up_mode_parse(const char *s, enum up_mode *ret);

/* Defaults for `up`: 802.3ad with miimon 100, lacp_rate fast, xmit_hash_policy
 * layer3+4; bond0; DHCP; /run/pxebond; 30 s a rung. */
void up_config_init(struct up_config *cfg);

/* Reads pxebond=, pxebond.ifaces=, .bond=, .opts=, .timeout=, .check=, BOOTIF=,
 * inst.ks=, inst.repo= from a kernel command line. A bad value is warned about in
 * warn (one line per problem, '\n'-separated) and the default kept. */
void up_config_from_cmdline(struct up_config *cfg, const char *cmdline, char *warn, size_t warnlen);

/* "a,b,c" into cfg->patterns (NIC names or globs); false if malformed. */
bool up_config_set_ifaces(struct up_config *cfg, const char *list);

/* "01-52-54-00-12-34-56" or "52:54:00:12:34:56". */
bool up_parse_bootif(const char *s, uint8_t mac[6]);

int up_run(const struct up_config *cfg);

/* Stops the lease renewer (if any), deletes the bond or clears the NIC, and puts the
 * probed NICs back up or down as they were. */
int up_down(const char *state_dir);

#endif
