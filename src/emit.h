/* Emitters: the model -> the files one network stack reads (relative path, mode, text).
 * Pure: no I/O, no logging; fsout.c writes what they return. One file per format. */
#ifndef PXEBOND_EMIT_H
#define PXEBOND_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "mac.h"
#include "model.h"

#define EMIT_MAX_FILES (2 * MODEL_MAX_MEMBERS + 4)
#define EMIT_PATH_MAX  160

struct emit_file {
	char path[EMIT_PATH_MAX]; /* relative to the target root */
	unsigned mode;		  /* 0644, or 0600 where the stack wants it private */
	char *text;
	size_t len, cap;
};

struct emit_out {
	unsigned n;
	struct emit_file file[EMIT_MAX_FILES];
	char warn[2048]; /* '\n'-separated: what the format cannot say, names it relies on */
	char err[256];	 /* why the format cannot express this model (then -EINVAL) */
	bool oom;
};

/* Each returns 0, -EINVAL (out->err says why) or -ENOMEM; out starts zeroed and is
 * released with emit_out_free either way. */
int emit_nm(const struct model *m, struct emit_out *out);
int emit_ifcfg(const struct model *m, struct emit_out *out);
int emit_networkd(const struct model *m, struct emit_out *out);
int emit_netplan(const struct model *m, struct emit_out *out);
int emit_ifupdown(const struct model *m, struct emit_out *out);
int emit_kickstart(const struct model *m, struct emit_out *out);

/* ifupdown reads etc/network/interfaces, which must source interfaces.d/ and must not
 * configure the bond or its members itself. Given its text (NULL: no such file), adds
 * the new etc/network/interfaces to out when it needs a change; *ret_why says what. */
int emit_ifupdown_interfaces(const struct model *m, const char *old, struct emit_out *out,
			     const char **ret_why);

struct emit_format {
	const char *name; /* as --format takes it */
	int (*emit)(const struct model *m, struct emit_out *out);
	const char *bond_needs; /* the package the installed system needs for a bond */
};

extern const struct emit_format emit_formats[]; /* ended by { NULL } */
const struct emit_format *emit_format_find(const char *name);

/* Building the output. A failed allocation marks out->oom and is reported once, by
 * emit_out_status. */
struct emit_file *emit_file_add(struct emit_out *out, unsigned mode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void emit_printf(struct emit_out *out, struct emit_file *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* PRE, the N strings of the array ITEMS (each STRIDE bytes) joined by SEP, then POST;
 * nothing at all when N is 0. EMIT_JOIN takes the array itself. */
void emit_join(struct emit_out *out, struct emit_file *f, const char *pre, const char *items,
	       size_t stride, unsigned n, const char *sep, const char *post);
#define EMIT_JOIN(out, f, pre, array, n, sep, post)                                                \
	emit_join(out, f, pre, (array)[0], sizeof((array)[0]), n, sep, post)
void emit_warn(struct emit_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int emit_fail(struct emit_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int emit_out_status(const struct emit_out *out);
void emit_out_free(struct emit_out *out);

/* Shared pieces of text. */
#define EMIT_UUID_LEN 37
/* A stable UUID (RFC 9562 version 8) from seed: goldens stay byte-exact and a rewrite
 * keeps the profile's identity. */
void emit_uuid(char out[EMIT_UUID_LEN], const char *seed);
/* The option's sysfs name (what BONDING_OPTS, NetworkManager, ifenslave and kickstart
 * use); the table's name where it is not one. */
const char *emit_sysfs_name(enum bond_opt o);
/* "# Written by pxebond write ..." and one line per member (MAC, installer name). */
void emit_header(struct emit_out *out, struct emit_file *f, const struct model *m);
/* Formats that name the primary by interface name cannot say it when members are
 * matched by MAC: true for BOND_OPT_PRIMARY (left out, with a warning when the user
 * asked for it), false for any other option. */
bool emit_primary_left_out(struct emit_out *out, const struct model *m, enum bond_opt o,
			   const char *format);
/* A member's installer name for a comment: "eth0" or "name unknown". */
const char *emit_member_name(const struct model_member *mm);
/* systemd-networkd opens a bond before it enslaves the members, and Linux then holds an
 * 802.3ad bond out of collecting/distributing for its 8 s aggregator-selection timer.
 * Bound to the carrier of every link but lo, the bond comes up once networkd has
 * enslaved a member instead. True where that applies: an installed system's 802.3ad
 * bond (in an initramfs the bond is up already). emit_networkd_bind_carrier writes the
 * lines into a [Network] section: the bond's .network, or a drop-in on netplan's. */
bool emit_networkd_binds_carrier(const struct model *m);
void emit_networkd_bind_carrier(struct emit_out *out, struct emit_file *f);

#endif
