/* DHCP through busybox udhcpc and our event script; the lease as it was recorded. */
#ifndef PXEBOND_DHCP_H
#define PXEBOND_DHCP_H

#include <stdint.h>

/* Values as the server sent them (strings from the wire: escape where printed). */
struct dhcp_lease {
	char ip[16], mask[4], router[64], dns[128], domain[128], hostname[128];
	char siaddr[16], boot_file[128], serverid[16], lease[12], tftp[128], bootfile[128];
};

/* Runs udhcpc on ifname until it has a lease or timeout_ms passes (then it is killed).
 * The script configures the interface; the lease is read back from lease_path. */
int dhcp_run(const char *ifname, const char *script, const char *lease_path, int timeout_ms,
	     struct dhcp_lease *ret);

/* Reads a KEY=VALUE lease file as the script writes it. Pure but for the read. */
int dhcp_read_lease(const char *path, struct dhcp_lease *ret);

#endif
