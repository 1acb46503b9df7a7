/* Pure decode and encode of LACPDUs (IEEE 802.1AX-2014 clause 6.4.2). */
#ifndef PXEBOND_LACP_H
#define PXEBOND_LACP_H

#include <stddef.h>
#include <stdint.h>

#include "eth.h"

/* Actor_State / Partner_State bits, 802.1AX 6.4.2.3 items k) and t). */
enum {
	LACP_STATE_ACTIVITY = 1 << 0,	 /* 1: active LACP */
	LACP_STATE_TIMEOUT = 1 << 1,	 /* 1: short timeout (fast rate) */
	LACP_STATE_AGGREGATION = 1 << 2, /* 1: aggregatable, 0: individual */
	LACP_STATE_SYNC = 1 << 3,	 /* in sync with its aggregator */
	LACP_STATE_COLLECTING = 1 << 4,
	LACP_STATE_DISTRIBUTING = 1 << 5,
	LACP_STATE_DEFAULTED = 1 << 6, /* using administrative partner defaults */
	LACP_STATE_EXPIRED = 1 << 7,
};

#define LACP_FRAME_LEN 124 /* 14 header + 110 octets from subtype to the end, no FCS */

/* One side's identity and state as carried in the Actor or Partner TLV. */
struct lacp_info {
	uint16_t system_priority;
	uint8_t system[ETH_ADDR_LEN];
	uint16_t key;
	uint16_t port_priority;
	uint16_t port;
	uint8_t state;
};

struct lacpdu {
	uint8_t src[ETH_ADDR_LEN]; /* the sending port's MAC */
	uint8_t version;
	struct lacp_info actor;	  /* the sender */
	struct lacp_info partner; /* what the sender knows of us */
	uint16_t collector_max_delay;
};

/* Why a frame was refused; also the index of the drop counters. */
enum lacp_err {
	LACP_OK = 0,
	LACP_ERR_SHORT,	  /* ran out of bytes */
	LACP_ERR_DST,	  /* not the slow protocols group address */
	LACP_ERR_SRC,	  /* multicast or zero source */
	LACP_ERR_TYPE,	  /* not EtherType 0x8809 */
	LACP_ERR_SUBTYPE, /* a Marker or other slow protocol: not ours */
	LACP_ERR_VERSION, /* version 0 */
	LACP_ERR_TLV,	  /* TLV out of order or of the wrong length */
	_LACP_ERR_MAX,
};

const char *lacp_strerror(enum lacp_err e);

/* Decodes a whole Ethernet frame (from the destination MAC, no FCS). */
enum lacp_err lacp_decode(const uint8_t *frame, size_t len, struct lacpdu *out);

/* Writes a LACP_FRAME_LEN-octet version 1 LACPDU from src and returns its length. */
size_t lacp_encode(uint8_t buf[LACP_FRAME_LEN], const uint8_t src[ETH_ADDR_LEN],
		   const struct lacp_info *actor, const struct lacp_info *partner);

/* The flags of a state octet as letters, "ATGSCDFE" with '-' for clear bits (9 bytes). */
void lacp_state_str(uint8_t state, char out[9]);

/* The operational key Linux's bonding driver gives a port (bond_3ad.c: user key in
 * bits 6-15, link speed class in bits 1-5, full duplex in bit 0), so a probe speaks
 * with the key the bond will use. speed_mbps 0 means unknown. */
uint16_t lacp_linux_port_key(uint16_t user_key, uint32_t speed_mbps, bool full_duplex);

#endif
