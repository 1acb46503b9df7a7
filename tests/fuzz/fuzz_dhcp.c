/* libFuzzer target: dhcp_decode on any Ethernet frame, as it came and again with its
 * checksums made right (so mutations reach the options), then the lease as stored and
 * written: no byte the server chose may come out of the state, the warnings or
 * resolv.conf as a control character; and whatever lease, T1 and T2 it names, renewal
 * times come in order and the schedule of renewing REQUESTs ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "state.h"

static char *sh_text(const struct state *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f) {
		state_format_sh(f, s);
		fclose(f);
	}
	return text;
}

static char *json_text(const struct state *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f) {
		state_format_json(f, s, NULL);
		fclose(f);
	}
	return text;
}

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void fix(uint8_t *p, size_t n)
{
	size_t hl = (size_t)(p[0] & 0x0f) * 4, ulen;
	uint32_t ps = 17;
	uint16_t c;

	if (hl < 20 || hl + 8 > n)
		return;
	p[10] = p[11] = 0;
	c = csum(p, hl, 0);
	p[10] = (uint8_t)(c >> 8), p[11] = (uint8_t)c;
	ulen = (size_t)(p[hl + 4] << 8 | p[hl + 5]);
	if (ulen < 8 || hl + ulen > n)
		return;
	for (int i = 12; i < 20; i += 2)
		ps += (uint32_t)(p[i] << 8 | p[i + 1]);
	p[hl + 6] = p[hl + 7] = 0;
	c = csum(p + hl, ulen, ps + (uint32_t)ulen);
	c = c ? c : 0xffff;
	p[hl + 6] = (uint8_t)(c >> 8), p[hl + 7] = (uint8_t)c;
}

/* Text we write: newlines (and tabs in nothing) only, never another control byte. */
static void clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < ' ' && c != '\n') || c == 0x7f)
			abort();
	}
}

/* T1 <= T2 < the lease's end, each REQUEST later than the last, and few of them. */
static void renewals(const struct dhcp_lease *l)
{
	struct dhcp_times t;
	int64_t sent = -1;

	if (!dhcp_renew_times(l, &t))
		return;
	if (t.t1_s > t.t2_s || t.t2_s >= t.lease_s)
		abort();
	for (unsigned n = 0;; n++) {
		int64_t next = dhcp_renew_next(&t, sent);

		if (next <= sent || next > t.lease_s || n > 100)
			abort();
		if (next == t.lease_s)
			return;
		sent = next;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[DHCP_PKT_MAX];
	static struct dhcp_reply d;
	static struct state s, back;
	static struct dhcp_lease l;
	uint8_t chaddr[6] = { 0 };
	uint32_t xid = 0;
	char warn[2048] = "", resolv[1024], *text = NULL, *again;
	size_t n, tn = 0, an;

	if (size < 14 || size - 14 > DHCP_PKT_MAX)
		return 0;
	n = size - 14;
	memcpy(pkt, data + 14, n);
	/* Ours is whatever transaction and address the frame names (at a 20-byte header). */
	if (n >= 20 + 8 + 34) {
		const uint8_t *b = pkt + 28;

		xid = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
		memcpy(chaddr, b + 28, 6);
	}
	dhcp_decode(pkt, n, xid, chaddr, false, &d);
	fix(pkt, n);
	if (dhcp_decode(pkt, n, xid, chaddr, false, &d) != DHCP_OK)
		return 0;
	for (const char *p = d.search; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.- ",
			    *p))
			abort();
	state_init(&s);
	if (dhcp_lease_from_reply(&d, &l, warn, sizeof(warn)) < 0)
		return 0;
	state_set_lease(&s, &l);
	clean(warn, strlen(warn));
	renewals(&s.lease);
	n = dhcp_resolv_conf(&s.lease, "eth0", resolv, sizeof(resolv));
	clean(resolv, n);
	/* What the lease keeps, the state reader takes back whole: the same text again. */
	text = sh_text(&s, &tn);
	if (!text)
		return 0;
	clean(text, tn);
	if (state_parse(text, &back, warn, sizeof(warn)) != 0 || warn[0])
		abort();
	again = sh_text(&back, &an);
	if (!again || an != tn || memcmp(again, text, tn))
		abort();
	free(again);
	free(text);
	text = json_text(&s, &tn);
	if (text)
		clean(text, tn);
	free(text);
	return 0;
}
