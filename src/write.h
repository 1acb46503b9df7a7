/* `pxebond write`: the bond that worked, in the installed system's own network format. */
#ifndef PXEBOND_WRITE_H
#define PXEBOND_WRITE_H

#include <stdbool.h>

#include "model.h"
#include "probe.h"

struct write_config {
	const char *root;
	const char *format; /* "auto" or an emitter's name */
	char state_dir[256];
	bool state_given;	   /* --state: its state or nothing, never a probe */
	struct probe_config probe; /* with no state: listen only */
	struct probe_ifaces ifaces;
	bool ifaces_given;
	bool dry_run, force;
	bool plan;	       /* --plan: what would be done, machine-readable, nothing written */
	bool set_aside;	       /* --set-aside: other profiles for these NICs moved aside */
	const char *copies_of; /* --set-aside=DIR: the system whose copies those are ("/") */
	const char *without;   /* --without PKG: the target lacks PKG (and it cannot be had) */
	const char *output;    /* kickstart: the file for the network line */
	struct write_policy pol;
};

/* 0: written (or printed). -ENOLINK: the state says up found no LACP partner and left
 * the network alone. -ENETUNREACH: nothing to write (up brought no path up, or --state
 * has none). Other -errno: nothing written, one line logged. */
int write_run(const struct write_config *cfg);

#endif
