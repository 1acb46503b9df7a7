/* AF_PACKET sockets: one per NIC, filtered in the kernel; LACP and LLDP frames here,
 * DHCP's IPv4 packets for dhcp_client.c. */
#ifndef PXEBOND_PKT_H
#define PXEBOND_PKT_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A non-blocking AF_PACKET socket of type (SOCK_RAW, SOCK_DGRAM) bound to ifindex and
 * protocol (host order), prog attached before it binds, so that nothing unfiltered
 * arrives; auxdata: PACKET_AUXDATA on (the checksum status of each packet). */
int pkt_bind(int type, uint16_t protocol, int ifindex, const struct sock_fprog *prog, bool auxdata,
	     int *ret_fd);

/* Opens a socket bound to ifindex that receives only slow-protocol LACP frames and
 * LLDP frames, with the NIC joined to their group addresses. */
int pkt_open(int ifindex, int *ret_fd);

/* One frame received on the bound NIC, or -EAGAIN. Our own outgoing frames and
 * frames reported for another NIC are skipped. *ret_len is the frame's true length,
 * which may exceed cap (then the frame was truncated). */
int pkt_recv(int fd, int ifindex, uint8_t *buf, size_t cap, size_t *ret_len);

/* How long ago (ms) the frame pkt_recv returned last arrived, by the kernel's receive
 * timestamp: for frames that waited in the socket's queue. -1 if the kernel cannot say. */
int64_t pkt_age_ms(int fd);

int pkt_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
