/* The kernel's bonding driver over rtnetlink: create, enslave, release, delete, and
 * the 802.3ad state read back. Only this file and link.c touch links. */
#ifndef PXEBOND_BOND_H
#define PXEBOND_BOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bond_opts.h"
#include "link.h"

/* Creates bond NAME, down and empty, with every option in opts and the given MAC
 * (NULL: the kernel's choice). -EOPNOTSUPP when the kernel has no bonding driver. */
int bond_create(struct link_ctx *ctx, const char *name, const struct bond_opts *opts,
		const uint8_t mac[6], int *ret_ifindex);
int bond_delete(struct link_ctx *ctx, int bond_ifindex);

/* A bond of that name exists and nobody uses it: down, no member, no IPv4 address (what
 * bonding.ko creates on load unless max_bonds=0). */
bool bond_idle(struct link_ctx *ctx, const char *name);

/* Sets the member down (the kernel wants it so) and enslaves it. */
int bond_enslave(struct link_ctx *ctx, int bond_ifindex, int member_ifindex);
int bond_release(struct link_ctx *ctx, int member_ifindex);

/* IFLA_BOND_AD_INFO: the bond's active aggregator. */
struct bond_ad_info {
	bool valid;
	uint16_t aggregator;
	uint16_t num_ports;
	uint16_t actor_key;
	uint16_t partner_key;
	uint8_t partner_mac[6];
};

/* IFLA_BOND_SLAVE_*: one member. */
struct bond_member_info {
	bool valid;
	uint8_t state;	    /* 0 active, 1 backup */
	uint8_t mii_status; /* 0 up */
	uint16_t aggregator;
	uint8_t actor_state;   /* LACP state bits of our port */
	uint8_t partner_state; /* ... and of the partner's */
	uint8_t perm_mac[6];
};

int bond_ad_info(struct link_ctx *ctx, int bond_ifindex, struct bond_ad_info *ret);
int bond_member_info(struct link_ctx *ctx, int member_ifindex, struct bond_member_info *ret);

/* Loads the bonding driver when the kernel has none: modprobe where there is one. On
 * failure, why says why in one line (modprobe's own message). */
int bond_load_driver(char *why, size_t whylen);

#endif
