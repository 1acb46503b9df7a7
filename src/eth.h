/* Ethernet constants shared by the frame codecs and the packet I/O. */
#ifndef PXEBOND_ETH_H
#define PXEBOND_ETH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rd.h"

#define ETH_ADDR_LEN  6
#define ETH_HDR_LEN   14
#define ETH_TYPE_SLOW 0x8809 /* 802.3 Annex 57A slow protocols */
#define ETH_TYPE_LLDP 0x88cc

/* 802.1AX 6.2.11.2: the Slow_Protocols_Multicast address. */
static const uint8_t eth_slow_protocols_mac[ETH_ADDR_LEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 };
/* 802.1AB 7.1: nearest bridge, and the two others some bridges use. */
static const uint8_t eth_lldp_mac[ETH_ADDR_LEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
static const uint8_t eth_lldp_mac_ntpmr[ETH_ADDR_LEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };
static const uint8_t eth_lldp_mac_ncb[ETH_ADDR_LEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

struct eth_hdr {
	uint8_t dst[ETH_ADDR_LEN];
	uint8_t src[ETH_ADDR_LEN];
	uint16_t type; /* host order */
};

static inline bool eth_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

static inline bool eth_is_zero(const uint8_t *mac)
{
	static const uint8_t zero[ETH_ADDR_LEN];

	return memcmp(mac, zero, ETH_ADDR_LEN) == 0;
}

/* Reads the 14-octet header; the caller checks addresses and type. */
static inline bool eth_read_hdr(struct rd *r, struct eth_hdr *h)
{
	return rd_bytes(r, h->dst, ETH_ADDR_LEN) && rd_bytes(r, h->src, ETH_ADDR_LEN) &&
	       rd_be16(r, &h->type);
}

static inline void eth_put_hdr(uint8_t *buf, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(buf, dst, ETH_ADDR_LEN);
	memcpy(buf + 6, src, ETH_ADDR_LEN);
	buf[12] = (uint8_t)(type >> 8);
	buf[13] = (uint8_t)type;
}

#endif
