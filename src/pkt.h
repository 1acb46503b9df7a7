/* AF_PACKET sockets for LACP and LLDP: one per NIC, filtered in the kernel. */
#ifndef PXEBOND_PKT_H
#define PXEBOND_PKT_H

#include <stddef.h>
#include <stdint.h>

/* Opens a socket bound to ifindex that receives only slow-protocol LACP frames and
 * LLDP frames, with the NIC joined to their group addresses. */
int pkt_open(int ifindex, int *ret_fd);

/* One frame received on the bound NIC, or -EAGAIN. Our own outgoing frames and
 * frames reported for another NIC are skipped. *ret_len is the frame's true length,
 * which may exceed cap (then the frame was truncated). */
int pkt_recv(int fd, int ifindex, uint8_t *buf, size_t cap, size_t *ret_len);

int pkt_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
