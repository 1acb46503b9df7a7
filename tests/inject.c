/* inject IFACE FILE.hex...: sends each fixture frame once on IFACE, as written (its
 * source MAC included). For tests that put hostile or replayed frames on the wire. */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hexfile.h"

int main(int argc, char **argv)
{
	static uint8_t buf[9000];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int fd, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: inject IFACE FILE.hex...\n");
		return 2;
	}
	to.sll_ifindex = (int)if_nametoindex(argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (!to.sll_ifindex || fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		long n = hexfile_load(argv[i], buf, sizeof(buf));

		if (n < 14) {
			fprintf(stderr, "inject: %s: not a frame\n", argv[i]);
			rc = 1;
			continue;
		}
		memcpy(to.sll_addr, buf, 6);
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) != n) {
			perror("sendto");
			rc = 1;
		}
	}
	close(fd);
	return rc;
}
