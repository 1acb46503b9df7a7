/* The one place argv and the kernel command line are parsed, for every command: their
 * options, their defaults and the exit codes. */
#ifndef PXEBOND_OPTIONS_H
#define PXEBOND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"
#include "up.h"
#include "write.h"

/* The exit codes of every command (docs/pxebond.8, EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_NO_LINK = 1, /* probe: no NIC has carrier; up: no path worked; status: no state;
			     write: nothing to write; cmdline: no such key */
	EXIT_USAGE = 2,
	EXIT_FAILED = 3,
	EXIT_NO_LACP = 4, /* nothing changed: --if-lacp found no LACP partner, or pxebond=off */
};

#define OPTIONS_STATE_DIR "/run/pxebond"
#define OPTIONS_CMDLINE	  "/proc/cmdline"

/* What a command was asked, besides its own config. */
struct options {
	bool help;
	bool json;
	int verbose;
	char state_dir[256]; /* down, status */
	const char *get;     /* status --get KEY */
	const char *key;     /* cmdline KEY */
	bool all;	     /* cmdline --all */
	const char *cmdline; /* cmdline --cmdline FILE */
	struct probe_config probe;
};

/* Each returns 0, or EXIT_USAGE after one line saying what is wrong. */
int options_parse_probe(int argc, char **argv, struct options *ret);
/* `up`: its options over the kernel command line's (pxebond=, pxebond.*, BOOTIF=,
 * inst.ks=, inst.repo=, root=live:, url=), which are read unless an option says what
 * to make. */
int options_parse_up(int argc, char **argv, struct options *ret, struct up_config *cfg);
/* `write`: its options over pxebond.final=, .format= and .ifaces=. */
int options_parse_write(int argc, char **argv, struct options *ret, struct write_config *cfg);
int options_parse_down(int argc, char **argv, struct options *ret);
int options_parse_status(int argc, char **argv, struct options *ret);
int options_parse_cmdline(int argc, char **argv, struct options *ret);

/* Defaults. The probe's: `probe` elicits, `up` keeps the links up for its bond, `write`
 * without a state only listens (an LACPDU would end a port's LACP fallback the installer
 * may be using). */
enum options_probe_use { OPTIONS_PROBE, OPTIONS_PROBE_UP, OPTIONS_PROBE_WRITE };
void options_probe_defaults(struct probe_config *pc, enum options_probe_use use);
void up_config_init(struct up_config *cfg);
void write_config_init(struct write_config *cfg);

/* Settings from a kernel command line's text. A bad value, or a pxebond key pxebond does
 * not know (with the nearest one it does), is warned about in warn ('\n'-separated) and
 * the default kept. */
void up_config_from_cmdline(struct up_config *cfg, const char *cmdline, char *warn, size_t warnlen);
void write_config_from_cmdline(struct write_config *cfg, const char *cmdline, char *warn,
			       size_t warnlen);

/* One word of a kernel command line, as the kernel and dracut split it (double quotes
 * group and go), into out (cut at cap); where the next word starts, or NULL at the end. */
const char *options_cmdline_word(const char *p, char *out, size_t cap);

/* The value of the last KEY=VALUE word (or, with all, each one in order, handed to cb)
 * of cmdline; false if there is none. A bare KEY counts as the value "". */
bool options_cmdline_value(const char *cmdline, const char *key, bool all,
			   void (*cb)(const char *value, void *data), void *data);

/* A command line file (/proc/cmdline) into text, NUL-terminated: 0, or -errno (-EISDIR,
 * -EINVAL for what is no regular file). text is empty then. */
int options_read_cmdline(const char *path, char *text, size_t cap);

/* A command's result (0 or -errno from up_run, write_run) as its exit code. */
int options_exit_code(int r);

/* "1.5" or "1.5s" seconds -> 1500 ms; false unless 0 <= value <= max_s. */
bool options_parse_seconds(const char *s, double max_s, int *ret_ms);

/* LIST, comma-separated interface names or globs (at most 16), as the NICs the probe PC
 * may use, split into STORE; false (PC unchanged) if LIST is not such a list. */
bool options_set_ifaces(struct probe_config *pc, struct probe_ifaces *store, const char *list);

/* "01-52-54-00-12-34-56" or "52:54:00:12:34:56". */
bool options_parse_bootif(const char *s, uint8_t mac[6]);

#endif
