/* Pure decode and encode of LLDPDUs (IEEE 802.1AB-2016 clauses 8 and 9, Annexes D, E). */
#include <string.h>

#include "lldp.h"

enum {
	TLV_END = 0,
	TLV_CHASSIS_ID = 1,
	TLV_PORT_ID = 2,
	TLV_TTL = 3,
	TLV_PORT_DESCRIPTION = 4,
	TLV_SYSTEM_NAME = 5,
	TLV_MGMT_ADDRESS = 8,
	TLV_ORG = 127,
};

static const uint8_t oui_8021[3] = { 0x00, 0x80, 0xc2 }; /* Annex D */
static const uint8_t oui_8023[3] = { 0x00, 0x12, 0x0f }; /* Annex E (IEEE 802.3 clause 79) */

static const char *const lldp_errors[_LLDP_ERR_MAX] = {
	[LLDP_OK] = "ok",
	[LLDP_ERR_SHORT] = "truncated",
	[LLDP_ERR_DST] = "wrong destination",
	[LLDP_ERR_SRC] = "bad source address",
	[LLDP_ERR_TYPE] = "not LLDP",
	[LLDP_ERR_MANDATORY] = "mandatory TLV missing or out of order",
	[LLDP_ERR_LENGTH] = "bad TLV length",
};

const char *lldp_strerror(enum lldp_err e)
{
	return (unsigned)e < _LLDP_ERR_MAX ? lldp_errors[e] : "unknown";
}

/* The rest of a TLV body, 0..max octets, as bytes. */
static bool take_bytes(struct rd *body, size_t max, struct lldp_bytes *out)
{
	if (body->left > max || body->left > sizeof(out->b))
		return false;
	out->len = (uint16_t)body->left;
	return rd_bytes(body, out->b, body->left);
}

/* Chassis ID and Port ID: a subtype octet and 1 to 255 octets of id (8.5.2, 8.5.3). */
static bool take_id(struct rd *body, uint8_t *subtype, struct lldp_bytes *id)
{
	if (body->left < 2 || body->left > 256)
		return false;
	return rd_u8(body, subtype) && take_bytes(body, 255, id);
}

/* Management Address TLV (8.5.9): we keep the address, not the interface numbering. */
static bool take_mgmt(struct rd *body, struct lldp_neighbor *n)
{
	uint8_t slen, subtype;

	if (!rd_u8(body, &slen) || slen < 2 || slen > 32 || !rd_u8(body, &subtype))
		return false;
	n->mgmt_subtype = subtype;
	n->mgmt_addr.len = (uint16_t)(slen - 1);
	return rd_bytes(body, n->mgmt_addr.b, n->mgmt_addr.len);
}

/* 802.1 Link Aggregation (Annex D.2.7) and the older 802.3 one (79.3.3): same body. */
static bool take_aggregation(struct rd *body, struct lldp_neighbor *n)
{
	uint8_t status;
	uint32_t port;

	if (body->left != 5 || !rd_u8(body, &status) || !rd_be32(body, &port))
		return false;
	n->has_aggregation = true;
	n->agg_capable = status & 1;
	n->agg_enabled = status & 2;
	n->agg_port_id = port;
	return true;
}

static bool take_org(struct rd *body, struct lldp_neighbor *n)
{
	uint8_t oui[3], subtype;

	if (!rd_bytes(body, oui, 3) || !rd_u8(body, &subtype))
		return false;
	if (memcmp(oui, oui_8021, 3) == 0) {
		if (subtype == 1) /* Port VLAN ID, D.2.1 */
			return body->left == 2 && rd_be16(body, &n->port_vlan);
		if (subtype == 7)
			return take_aggregation(body, n);
	} else if (memcmp(oui, oui_8023, 3) == 0) {
		if (subtype == 3)
			return take_aggregation(body, n);
		if (subtype == 4) /* Maximum Frame Size, 79.3.4 */
			return body->left == 2 && rd_be16(body, &n->max_frame_size);
	}
	return false;
}

enum lldp_err lldp_decode(const uint8_t *frame, size_t len, struct lldp_neighbor *out)
{
	struct rd r = rd_init(frame, len);
	struct eth_hdr h;
	struct lldp_neighbor n;
	unsigned index = 0;

	memset(&n, 0, sizeof(n));
	if (!eth_read_hdr(&r, &h))
		return LLDP_ERR_SHORT;
	if (memcmp(h.dst, eth_lldp_mac, ETH_ADDR_LEN) != 0 &&
	    memcmp(h.dst, eth_lldp_mac_ntpmr, ETH_ADDR_LEN) != 0 &&
	    memcmp(h.dst, eth_lldp_mac_ncb, ETH_ADDR_LEN) != 0)
		return LLDP_ERR_DST;
	if (eth_is_multicast(h.src) || eth_is_zero(h.src))
		return LLDP_ERR_SRC;
	if (h.type != ETH_TYPE_LLDP)
		return LLDP_ERR_TYPE;
	memcpy(n.src, h.src, ETH_ADDR_LEN);

	/* Ends at the End TLV or, leniently, where the frame ends. Zero padding after a
	 * short LLDPDU reads as End. */
	while (r.left >= 2) {
		uint16_t hdr;
		uint8_t type;
		struct rd body;

		if (!rd_be16(&r, &hdr))
			return LLDP_ERR_SHORT;
		type = (uint8_t)(hdr >> 9);
		if (!rd_sub(&r, hdr & 0x1ff, &body))
			return LLDP_ERR_SHORT;

		/* 9.2.7.7.1: the first three are Chassis ID, Port ID, TTL, in that order. */
		if (index < 3 && type != index + 1)
			return LLDP_ERR_MANDATORY;
		index++;

		switch (type) {
		case TLV_END:
			if (body.left != 0)
				return LLDP_ERR_LENGTH;
			goto done;
		case TLV_CHASSIS_ID:
			if (index != 1)
				return LLDP_ERR_MANDATORY;
			if (!take_id(&body, &n.chassis_subtype, &n.chassis_id))
				return LLDP_ERR_LENGTH;
			break;
		case TLV_PORT_ID:
			if (index != 2)
				return LLDP_ERR_MANDATORY;
			if (!take_id(&body, &n.port_subtype, &n.port_id))
				return LLDP_ERR_LENGTH;
			break;
		case TLV_TTL:
			if (index != 3)
				return LLDP_ERR_MANDATORY;
			if (body.left != 2 || !rd_be16(&body, &n.ttl))
				return LLDP_ERR_LENGTH;
			break;
		/* Optional TLVs that break their clause's rules are discarded alone (9.2.7.7.2). */
		case TLV_PORT_DESCRIPTION:
			if (!take_bytes(&body, 255, &n.port_description))
				n.unknown_tlvs++;
			break;
		case TLV_SYSTEM_NAME:
			if (!take_bytes(&body, 255, &n.system_name))
				n.unknown_tlvs++;
			break;
		case TLV_MGMT_ADDRESS:
			if (n.has_mgmt)
				break;
			if (take_mgmt(&body, &n))
				n.has_mgmt = true;
			else
				n.unknown_tlvs++, n.mgmt_addr.len = 0;
			break;
		case TLV_ORG:
			if (!take_org(&body, &n))
				n.unknown_tlvs++;
			break;
		default:
			n.unknown_tlvs++;
			break;
		}
	}
done:
	if (index < 3)
		return LLDP_ERR_MANDATORY;
	*out = n;
	return LLDP_OK;
}

static uint8_t *put_tlv(uint8_t *p, uint8_t type, uint16_t len)
{
	*p++ = (uint8_t)(type << 1 | len >> 8);
	*p++ = (uint8_t)len;
	return p;
}

size_t lldp_encode(uint8_t *buf, size_t cap, const uint8_t src[ETH_ADDR_LEN],
		   const uint8_t chassis_mac[ETH_ADDR_LEN], const char *ifname, uint16_t ttl)
{
	static const char sysname[] = "pxebond";
	size_t ifl = strnlen(ifname, 255);
	size_t need =
	    ETH_HDR_LEN + (2 + 7) + (2 + 1 + ifl) + (2 + 2) + (2 + sizeof(sysname) - 1) + 2;
	uint8_t *p = buf;

	if (ifl == 0 || cap < need || cap < 60)
		return 0;
	memset(buf, 0, need < 60 ? 60 : need);
	eth_put_hdr(p, eth_lldp_mac, src, ETH_TYPE_LLDP);
	p += ETH_HDR_LEN;
	p = put_tlv(p, TLV_CHASSIS_ID, 7);
	*p++ = LLDP_CHASSIS_MAC;
	memcpy(p, chassis_mac, ETH_ADDR_LEN);
	p += ETH_ADDR_LEN;
	p = put_tlv(p, TLV_PORT_ID, (uint16_t)(1 + ifl));
	*p++ = 5; /* interface name */
	memcpy(p, ifname, ifl);
	p += ifl;
	p = put_tlv(p, TLV_TTL, 2);
	*p++ = (uint8_t)(ttl >> 8);
	*p++ = (uint8_t)ttl;
	p = put_tlv(p, TLV_SYSTEM_NAME, sizeof(sysname) - 1);
	memcpy(p, sysname, sizeof(sysname) - 1);
	p += sizeof(sysname) - 1;
	put_tlv(p, TLV_END, 0);
	return need < 60 ? 60 : need; /* the minimum Ethernet frame, without FCS */
}
