/* Pure decode and encode of LLDPDUs (IEEE 802.1AB-2016 clauses 8 and 9, Annexes D, E). */
#ifndef PXEBOND_LLDP_H
#define PXEBOND_LLDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eth.h"

/* Peer strings stay bytes and length; they are escaped only where printed. */
struct lldp_bytes {
	uint16_t len;
	uint8_t b[255];
};

/* Chassis ID subtypes (8.5.2.2) and Port ID subtypes (8.5.3.2) worth naming. */
enum {
	LLDP_CHASSIS_MAC = 4,
	LLDP_CHASSIS_NETADDR = 5,
	LLDP_PORT_MAC = 3,
	LLDP_PORT_NETADDR = 4,
};

struct lldp_neighbor {
	uint8_t src[ETH_ADDR_LEN];
	uint8_t chassis_subtype;
	struct lldp_bytes chassis_id;
	uint8_t port_subtype;
	struct lldp_bytes port_id;
	uint16_t ttl;
	struct lldp_bytes port_description;
	struct lldp_bytes system_name;
	bool has_mgmt;
	uint8_t mgmt_subtype;	     /* IANA address family: 1 IPv4, 2 IPv6, 6 802 */
	struct lldp_bytes mgmt_addr; /* at most 31 octets (8.5.9.4) */
	uint16_t port_vlan;	     /* 802.1 subtype 1; 0 when absent */
	uint16_t max_frame_size;     /* 802.3 subtype 4; 0 when absent */
	bool has_aggregation;	     /* 802.1 subtype 7 or 802.3 subtype 3 */
	bool agg_capable;
	bool agg_enabled;
	uint32_t agg_port_id;
	unsigned unknown_tlvs; /* skipped, for the curious */
};

enum lldp_err {
	LLDP_OK = 0,
	LLDP_ERR_SHORT, /* ran out of bytes inside a TLV */
	LLDP_ERR_DST,
	LLDP_ERR_SRC,
	LLDP_ERR_TYPE,
	LLDP_ERR_MANDATORY, /* chassis, port, TTL missing, out of order or repeated */
	LLDP_ERR_LENGTH,    /* a TLV of a length its clause forbids */
	_LLDP_ERR_MAX,
};

const char *lldp_strerror(enum lldp_err e);

/* Decodes a whole Ethernet frame (from the destination MAC, no FCS). */
enum lldp_err lldp_decode(const uint8_t *frame, size_t len, struct lldp_neighbor *out);

/* Writes our one LLDPDU: chassis = system MAC, port = interface name, a TTL, and
 * "pxebond" as system name. Returns its length, or 0 if cap is too small. */
size_t lldp_encode(uint8_t *buf, size_t cap, const uint8_t src[ETH_ADDR_LEN],
		   const uint8_t chassis_mac[ETH_ADDR_LEN], const char *ifname, uint16_t ttl);

#endif
