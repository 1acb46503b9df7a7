/* dhcp-replay IFACE [-o OFFER.hex]... [-n NAK.hex]... [-a ACK.hex]...: a hostile DHCP
 * "server" for tests/netns/dhcp.sh. It answers each DISCOVER with every -o frame, the
 * first REQUEST with the -n frames (every REQUEST with the -a frames when there is no
 * -n, or after the first), each frame patched with the asking client's xid and hardware
 * address. The UDP checksum is adjusted for the patch (RFC 1624), so a frame sent with a
 * wrong checksum stays exactly as wrong. Frames: tests/fixtures' hex, an IPv4 header of
 * 20 octets. Runs until killed; says what it did on stderr. */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hexfile.h"

#define MAX_FRAMES 16
#define BOOTP	   (14 + 20 + 8) /* in a frame with a 20-octet IPv4 header */
#define UDP_CSUM   (14 + 20 + 6)

struct frame {
	const char *name;
	uint8_t b[2048];
	size_t n;
};

static struct frame offers[MAX_FRAMES], naks[MAX_FRAMES], acks[MAX_FRAMES];
static unsigned n_offers, n_naks, n_acks;

static int load(struct frame *set, unsigned *n, const char *path)
{
	long len;

	if (*n == MAX_FRAMES)
		return -1;
	len = hexfile_load(path, set[*n].b, sizeof(set[*n].b));
	if (len < BOOTP + 34) {
		fprintf(stderr, "dhcp-replay: %s: not a DHCP frame\n", path);
		return -1;
	}
	set[*n].name = path;
	set[*n].n = (size_t)len;
	(*n)++;
	return 0;
}

/* Writes v over f[off..off+len) (off and len even), keeping a set UDP checksum as
 * right, or as wrong, as it was: HC' = ~(~HC + ~m + m'). */
static void patch(uint8_t *f, size_t off, const uint8_t *v, size_t len)
{
	uint32_t sum = (uint16_t) ~(f[UDP_CSUM] << 8 | f[UDP_CSUM + 1]);
	int has = f[UDP_CSUM] | f[UDP_CSUM + 1];

	for (size_t i = 0; i < len; i += 2) {
		sum += (uint16_t) ~(f[off + i] << 8 | f[off + i + 1]);
		sum += (uint32_t)(v[i] << 8 | v[i + 1]);
	}
	memcpy(f + off, v, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = (uint16_t)~sum;
	if (has) { /* a set checksum that comes to 0 is sent as 0xffff (RFC 768) */
		sum = sum ? sum : 0xffff;
		f[UDP_CSUM] = (uint8_t)(sum >> 8);
		f[UDP_CSUM + 1] = (uint8_t)sum;
	}
}

static void send_set(int fd, int ifindex, struct frame *set, unsigned n, const uint8_t *xid,
		     const uint8_t *chaddr)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	for (unsigned i = 0; i < n; i++) {
		struct frame *fr = &set[i];

		patch(fr->b, BOOTP + 4, xid, 4);
		patch(fr->b, BOOTP + 28, chaddr, 6);
		memcpy(to.sll_addr, fr->b, 6);
		if (sendto(fd, fr->b, fr->n, 0, (struct sockaddr *)&to, sizeof(to)) !=
		    (ssize_t)fr->n)
			perror("dhcp-replay: sendto");
		fprintf(stderr, "dhcp-replay: sent %s\n", fr->name);
	}
}

/* The message type (option 53) of a client's message, 0 if none. */
static int msg_type(const uint8_t *b, size_t n)
{
	for (size_t i = BOOTP + 240; i + 2 < n;) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		if (b[i] == 255)
			break;
		if (b[i] == 53 && b[i + 1] == 1)
			return b[i + 2];
		i += 2 + (size_t)b[i + 1];
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(0x0800) };
	static uint8_t buf[4096];
	unsigned requests = 0;
	int fd, c;

	if (argc < 2) {
		fprintf(stderr, "usage: dhcp-replay IFACE [-o F]... [-n F]... [-a F]...\n");
		return 2;
	}
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	optind = 2;
	while ((c = getopt(argc, argv, "o:n:a:")) != -1)
		if ((c == 'o' && load(offers, &n_offers, optarg) < 0) ||
		    (c == 'n' && load(naks, &n_naks, optarg) < 0) ||
		    (c == 'a' && load(acks, &n_acks, optarg) < 0) || c == '?')
			return 2;
	fd = socket(AF_PACKET, SOCK_RAW, htons(0x0800));
	if (!sll.sll_ifindex || fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror(argv[1]);
		return 1;
	}
	fprintf(stderr, "dhcp-replay: on %s\n", argv[1]);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int type;

		if (n < BOOTP + 240 || buf[14] != 0x45 || buf[23] != 17 || buf[36] != 0 ||
		    buf[37] != 67 || buf[BOOTP] != 1)
			continue;
		type = msg_type(buf, (size_t)n);
		fprintf(stderr, "dhcp-replay: type %d, xid %02x%02x%02x%02x\n", type,
			buf[BOOTP + 4], buf[BOOTP + 5], buf[BOOTP + 6], buf[BOOTP + 7]);
		if (type == 1)
			send_set(fd, sll.sll_ifindex, offers, n_offers, buf + BOOTP + 4,
				 buf + BOOTP + 28);
		else if (type == 3 && requests++ == 0 && n_naks)
			send_set(fd, sll.sll_ifindex, naks, n_naks, buf + BOOTP + 4,
				 buf + BOOTP + 28);
		else if (type == 3)
			send_set(fd, sll.sll_ifindex, acks, n_acks, buf + BOOTP + 4,
				 buf + BOOTP + 28);
	}
}
