/* Bounds-checked read cursor: every byte read from the wire goes through here.
 * A failed read leaves the cursor exhausted, so a caller may check once at the end. */
#ifndef PXEBOND_RD_H
#define PXEBOND_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t left;
};

static inline struct rd rd_init(const void *p, size_t len)
{
	return (struct rd){ .p = p, .left = len };
}

static inline bool rd_fail(struct rd *r)
{
	r->p = NULL;
	r->left = 0;
	return false;
}

static inline bool rd_bytes(struct rd *r, void *out, size_t n)
{
	if (!r->p || r->left < n)
		return rd_fail(r);
	if (n)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

static inline bool rd_skip(struct rd *r, size_t n)
{
	if (!r->p || r->left < n)
		return rd_fail(r);
	r->p += n;
	r->left -= n;
	return true;
}

static inline bool rd_u8(struct rd *r, uint8_t *out)
{
	return rd_bytes(r, out, 1);
}

static inline bool rd_be16(struct rd *r, uint16_t *out)
{
	uint8_t b[2];

	if (!rd_bytes(r, b, 2))
		return false;
	*out = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

static inline bool rd_be32(struct rd *r, uint32_t *out)
{
	uint8_t b[4];

	if (!rd_bytes(r, b, 4))
		return false;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

/* Split off the next n bytes as their own cursor: a TLV body is read through its own
 * cursor, so no check ever adds offsets across layers. */
static inline bool rd_sub(struct rd *r, size_t n, struct rd *out)
{
	if (!r->p || r->left < n) {
		rd_fail(r);
		*out = (struct rd){ 0 };
		return false;
	}
	*out = rd_init(r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

#endif
