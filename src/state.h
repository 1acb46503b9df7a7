/* THE state contract: what `up` did, for `down`, `status`, `write` and every shell stage
 * after it. One table of keys (state.c) drives the sourceable DIR/state (KEY='VALUE'
 * lines), DIR/state.json, and the one reader, which returns this typed struct with every
 * value checked against its type. The format carries its version. */
#ifndef PXEBOND_STATE_H
#define PXEBOND_STATE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bond_opts.h"
#include "dhcp.h"
#include "probe.h"

#define STATE_VERSION	1 /* PXEBOND_STATE_VERSION: the format this pxebond writes and reads */
#define STATE_MAX_RUNGS 12
#define STATE_FILE_MAX	(64 * 1024)

enum state_result { STATE_FAILED, STATE_OK, STATE_SKIPPED, _STATE_RESULT_MAX };

struct state_rung {
	enum bond_mode mode; /* 802.3ad, active-backup or single */
	bool ok;
	char iface[IF_NAMESIZE];
	char members[160]; /* comma-separated; the JSON form only */
	char why[200];	   /* the JSON form only */
	int64_t ms;	   /* the JSON form only */
};

struct state_timeline { /* ms since `up` started; -1: did not happen */
	int64_t carrier, first_lacpdu, probe_done, enslaved, bond_up, partner_sync,
	    collecting_distributing, lease;
};

struct state {
	unsigned version;
	enum state_result result; /* skipped: --if-lacp found no partner, nothing changed */
	enum bond_mode mode; /* of the rung that won (802.3ad, active-backup, single), or none */
	char iface[IF_NAMESIZE]; /* what carries the path: the bond or one NIC */
	char bond[IF_NAMESIZE];	 /* empty for a single NIC */
	unsigned n_members;
	char members[PROBE_MAX_NICS][IF_NAMESIZE]; /* empty where not a safe name */
	uint8_t member_mac[PROBE_MAX_NICS][6];	   /* permanent MACs */
	char active[IF_NAMESIZE]; /* the member carrying traffic (active aggregator/slave) */
	unsigned n_late;	  /* members enslaved before they had carrier */
	char late[PROBE_MAX_NICS][IF_NAMESIZE];
	bool has_mac;
	uint8_t mac[6];	       /* the bond's MAC, set explicitly */
	struct bond_opts opts; /* as applied to the bond */
	uint8_t actor_system[6];
	bool has_partner;
	uint8_t partner_system[6];
	uint16_t partner_key;
	bool has_lease;
	struct dhcp_lease lease; /* bootfile: option 67, else the BOOTP file field */
	int renew_pid;		 /* up --renew's lease renewer, for `down` to stop; 0: none */
	unsigned n_rungs;
	struct state_rung rung[STATE_MAX_RUNGS];
	unsigned n_restore; /* admin state of every probed NIC before we began */
	char restore_name[PROBE_MAX_NICS][IF_NAMESIZE];
	bool restore_up[PROBE_MAX_NICS];
	unsigned restore_mtu; /* a single NIC's MTU before the lease's, for `down`; 0: same */
	struct state_timeline t;
};

/* An empty state of this version: result failed, mode none, timeline all -1. */
void state_init(struct state *s);

/* Keeps the lease as the state records it (the two boot file fields made one). */
void state_set_lease(struct state *s, const struct dhcp_lease *l);

/* "ok", "failed", "skipped". */
const char *state_result_to_string(enum state_result r);

/* The sourceable text, on f: every value single-quoted, so nothing in it runs. */
void state_format_sh(FILE *f, const struct state *s);

/* What state.json embeds as "probe": the probe's own report, written by its owner. */
struct state_probe {
	void (*write)(FILE *f, const void *data);
	const void *data;
};

/* The JSON text, on f; probe may be NULL ("probe":null). */
void state_format_json(FILE *f, const struct state *s, const struct state_probe *probe);

/* Writes DIR/state.json, then DIR/state, each atomically. */
int state_write(const char *dir, const struct state *s, const struct state_probe *probe);

/* Parses sourceable text. Values that are not of their key's type are left out, each
 * with a line in warn ('\n'-separated); 0 then. -EINVAL, with only one line in warn,
 * when the text is no state of this format: no or another version, a line that is not
 * KEY='VALUE', no or an unknown result, a mode up never records. */
int state_parse(const char *text, struct state *ret, char *warn, size_t warnlen);

/* Reads DIR/state (a regular file of at most STATE_FILE_MAX bytes) and parses it.
 * -ENOENT when there is none; other errors with one line in warn naming the file. */
int state_read(const char *dir, struct state *ret, char *warn, size_t warnlen);

/* DIR/NAME into out; false (with out empty) if it does not fit. */
bool state_path(const char *dir, const char *name, char *out, size_t cap);

/* The value of key (PXEBOND_IP, or IP, or ip) as the sourceable form prints it, into
 * out; -ENOENT for a key the state does not have. */
int state_get(const struct state *s, const char *key, char *out, size_t cap);

#endif
