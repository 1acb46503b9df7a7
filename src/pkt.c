/* AF_PACKET sockets, one per NIC, filtered in the kernel: LACP and LLDP frames here,
 * and the binding for dhcp_client.c's. The filter only spares us wakeups; the decoders
 * re-check every byte. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "eth.h"
#include "pkt.h"

#ifndef ETH_P_ALL
#define ETH_P_ALL 0x0003
#endif

/* Accept EtherType 0x8809 with subtype 1 (LACP), or 0x88cc (LLDP). */
static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_TYPE_SLOW, 0, 2),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x01, 2, 3),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_TYPE_LLDP, 1, 2),
	BPF_STMT(BPF_RET | BPF_K, 0), /* unreachable pad keeps the jumps readable */
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static int join(int fd, int ifindex, const uint8_t *mac)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex,
				  .mr_type = PACKET_MR_MULTICAST,
				  .mr_alen = ETH_ADDR_LEN };

	memcpy(mr.mr_address, mac, ETH_ADDR_LEN);
	return setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0 ? -errno : 0;
}

int pkt_bind(int type, uint16_t protocol, int ifindex, const struct sock_fprog *prog, bool auxdata,
	     int *ret_fd)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(protocol),
				   .sll_ifindex = ifindex };
	int one = 1, fd, r;

	/* Protocol 0 receives nothing until bind, so no unfiltered packet slips in. */
	fd = socket(AF_PACKET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof(*prog)) < 0 ||
	    (auxdata && setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int pkt_open(int ifindex, int *ret_fd)
{
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	int one = 1, fd, r;

	r = pkt_bind(SOCK_RAW, ETH_P_ALL, ifindex, &prog, false, &fd);
	if (r < 0)
		return r;
#ifdef PACKET_IGNORE_OUTGOING
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#endif
	(void)one;
	r = join(fd, ifindex, eth_slow_protocols_mac);
	if (r >= 0)
		r = join(fd, ifindex, eth_lldp_mac);
	if (r < 0)
		goto fail;
	*ret_fd = fd;
	return 0;
fail:
	close(fd);
	return r;
}

int pkt_recv(int fd, int ifindex, uint8_t *buf, size_t cap, size_t *ret_len)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from, &fl);

		if (n < 0)
			return errno == EINTR ? -EAGAIN : -errno;
		if (from.sll_pkttype == PACKET_OUTGOING || from.sll_ifindex != ifindex)
			continue;
		*ret_len = (size_t)n;
		return 0;
	}
}

int64_t pkt_age_ms(int fd)
{
	struct timeval tv;
	struct timespec now;
	int64_t age;

	if (ioctl(fd, SIOCGSTAMP, &tv) < 0 || clock_gettime(CLOCK_REALTIME, &now) < 0)
		return -1;
	age =
	    ((int64_t)now.tv_sec - tv.tv_sec) * 1000 + (now.tv_nsec / 1000000 - tv.tv_usec / 1000);
	return age >= 0 ? age : -1;
}

int pkt_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_ifindex = ifindex,
				  .sll_halen = ETH_ADDR_LEN };
	ssize_t n;

	memcpy(to.sll_addr, frame, ETH_ADDR_LEN);
	n = sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
