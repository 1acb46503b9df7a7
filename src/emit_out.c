/* The emitters' output list (files of text, warnings), the format table and the pieces of
 * text every format shares: MAC, stable UUID, option names, the header comment. Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "log.h"

const struct emit_format emit_formats[] = {
	{ "nm", emit_nm, NULL },
	{ "ifcfg", emit_ifcfg, NULL },
	{ "networkd", emit_networkd, NULL },
	{ "netplan", emit_netplan, NULL },
	{ "ifupdown", emit_ifupdown, "ifenslave" }, /* its if-pre-up.d script makes bonds */
	{ "kickstart", emit_kickstart, NULL },
	{ NULL, NULL, NULL },
};

const struct emit_format *emit_format_find(const char *name)
{
	for (const struct emit_format *f = emit_formats; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

struct emit_file *emit_file_add(struct emit_out *out, unsigned mode, const char *fmt, ...)
{
	struct emit_file *f;
	va_list ap;
	int n;

	if (out->n == EMIT_MAX_FILES) {
		out->oom = true;
		return NULL;
	}
	f = &out->file[out->n];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	n = vsnprintf(f->path, sizeof(f->path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(f->path)) {
		out->oom = true;
		return NULL;
	}
	f->mode = mode;
	out->n++;
	return f;
}

void emit_printf(struct emit_out *out, struct emit_file *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!f || out->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out->oom = true;
		return;
	}
	if (f->len + (size_t)n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 512;
		char *t;

		while (cap < f->len + (size_t)n + 1)
			cap *= 2;
		t = realloc(f->text, cap);
		if (!t) {
			out->oom = true;
			return;
		}
		f->text = t;
		f->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(f->text + f->len, f->cap - f->len, fmt, ap);
	va_end(ap);
	f->len += (size_t)n;
}

void emit_join(struct emit_out *out, struct emit_file *f, const char *pre, const char *items,
	       size_t stride, unsigned n, const char *sep, const char *post)
{
	if (n == 0)
		return;
	emit_printf(out, f, "%s", pre);
	for (unsigned i = 0; i < n; i++)
		emit_printf(out, f, "%s%s", i ? sep : "", items + i * stride);
	emit_printf(out, f, "%s", post);
}

void emit_warn(struct emit_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vappend(out->warn, sizeof(out->warn), fmt, ap);
	va_end(ap);
}

int emit_fail(struct emit_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->err, sizeof(out->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int emit_out_status(const struct emit_out *out)
{
	return out->oom ? -ENOMEM : 0;
}

void emit_out_free(struct emit_out *out)
{
	for (unsigned i = 0; i < out->n; i++)
		free(out->file[i].text);
	out->n = 0;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ull;
	}
	/* a final avalanche, so that close seeds differ in every hex digit */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

void emit_uuid(char out[EMIT_UUID_LEN], const char *seed)
{
	uint64_t hi = fnv1a(0xcbf29ce484222325ull, seed), lo = fnv1a(0x84222325cbf29ce4ull, seed);
	uint8_t b[16];

	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(hi >> (56 - 8 * i));
		b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x80); /* version 8: custom */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10 */
	snprintf(out, EMIT_UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
}

const char *emit_sysfs_name(enum bond_opt o)
{
	if (o == BOND_OPT_MISSED_MAX)
		return "arp_missed_max";
	return bond_opt_defs[o].name;
}

bool emit_primary_left_out(struct emit_out *out, const struct model *m, enum bond_opt o,
			   const char *format)
{
	if (o != BOND_OPT_PRIMARY)
		return false;
	if (m->primary_asked)
		emit_warn(out,
			  "%s: primary=%s left out: the members are matched by MAC and the "
			  "installed system may name them otherwise",
			  format, m->opts.primary);
	return true;
}

const char *emit_member_name(const struct model_member *mm)
{
	return mm->name[0] ? mm->name : "name unknown";
}

void emit_header(struct emit_out *out, struct emit_file *f, const struct model *m)
{
	char mac[MAC_STR_LEN];

	emit_printf(out, f,
		    "# Written by pxebond write: the network path that worked in the installer.\n");
	if (m->mode == BOND_MODE_SINGLE) {
		mac_to_str(mac, m->member[0].mac);
		emit_printf(out, f, "# One NIC, no bond: %s (%s in the installer).\n", mac,
			    emit_member_name(&m->member[0]));
		return;
	}
	emit_printf(out, f, "# %s, %s, members by permanent MAC (installer name):\n", m->name,
		    bond_mode_to_string(m->mode));
	for (unsigned k = 0; k < m->n_members; k++) {
		mac_to_str(mac, m->member[k].mac);
		emit_printf(out, f, "#   %s (%s)\n", mac, emit_member_name(&m->member[k]));
	}
}
