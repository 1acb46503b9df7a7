/* Command-line options of each subcommand, parsed into one struct. */
#ifndef PXEBOND_OPTIONS_H
#define PXEBOND_OPTIONS_H

#include <stdbool.h>

#include "probe.h"
#include "up.h"

enum { EXIT_OK = 0, EXIT_NO_LINK = 1, EXIT_USAGE = 2, EXIT_FAILED = 3, EXIT_NO_LACP = 4 };

struct options {
	bool json;
	bool help;
	int verbose;
	struct probe_config probe;
};

/* Returns 0, or EXIT_USAGE after printing one line saying what is wrong. */
int options_parse_probe(int argc, char **argv, struct options *ret);

/* `up`: its options, or with none the kernel command line (pxebond=, pxebond.*,
 * BOOTIF=, inst.ks=, inst.repo=). Fills *cfg; returns 0 or EXIT_USAGE. */
int options_parse_up(int argc, char **argv, struct options *ret, struct up_config *cfg);

/* LIST, comma-separated interface names or globs (at most 16), as the NICs the probe PC
 * may use, split into STORE; false (PC unchanged) if LIST is not such a list. */
bool options_set_ifaces(struct probe_config *pc, struct probe_ifaces *store, const char *list);

/* One word of a kernel command line, dracut-style (double quotes group and go), into
 * out (cut at cap); where the next word starts, or NULL at the end. */
const char *options_cmdline_word(const char *p, char *out, size_t cap);

/* A command line file (/proc/cmdline) into text, NUL-terminated; false if unreadable
 * (text is then empty). */
bool options_read_cmdline(const char *path, char *text, size_t cap);

/* "1.5" seconds -> 1500 ms; false unless 0 <= value <= max_s. */
bool options_parse_seconds(const char *s, double max_s, int *ret_ms);

#endif
