/* Pure DHCPv4 for `up` (RFC 2131, 2132, 3396, 3397): DISCOVER and REQUEST encoded as
 * whole IPv4 packets, OFFER/ACK/NAK decoded and validated, the lease as it is stored, and
 * the arithmetic of renewing it. */
#ifndef PXEBOND_DHCP_H
#define PXEBOND_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_PKT_MAX	 2048 /* the largest IPv4 packet decoded; larger ones are refused */
#define DHCP_CLIENT_LEN	 328  /* what we send: IPv4 20 + UDP 8 + BOOTP padded to 300 */
#define DHCP_MAX_ADDRS	 8    /* routers, DNS servers kept */
#define DHCP_STR_MAX	 255

enum dhcp_type { /* option 53, RFC 2132 9.6 */
		 DHCP_DISCOVER = 1,
		 DHCP_OFFER = 2,
		 DHCP_REQUEST = 3,
		 DHCP_DECLINE = 4,
		 DHCP_ACK = 5,
		 DHCP_NAK = 6,
		 DHCP_RELEASE = 7,
		 DHCP_INFORM = 8,
};

/* Why a packet was refused. */
enum dhcp_err {
	DHCP_OK = 0,
	DHCP_ERR_SHORT,	    /* ran out of bytes, or a length field points past the end */
	DHCP_ERR_IP,	    /* not IPv4, bad header length, or too big */
	DHCP_ERR_IP_CSUM,   /* IPv4 header checksum */
	DHCP_ERR_FRAGMENT,  /* a fragment: never reassembled */
	DHCP_ERR_PROTO,	    /* not UDP, or not from port 67 to port 68 */
	DHCP_ERR_UDP_CSUM,  /* UDP checksum (when the sender set one) */
	DHCP_ERR_BOOTP,	    /* not a BOOTREPLY for Ethernet, or no magic cookie */
	DHCP_ERR_NOT_OURS,  /* another transaction or another client's hardware address */
	DHCP_ERR_OPTIONS,   /* an option runs past its field */
	DHCP_ERR_TYPE,	    /* no message type, or not OFFER, ACK or NAK */
	DHCP_ERR_SERVER_ID, /* an OFFER or ACK without a server identifier */
	_DHCP_ERR_MAX,
};

const char *dhcp_strerror(enum dhcp_err e);

/* Bytes from the server, as sent (not NUL-terminated, possibly not text). */
struct dhcp_bytes {
	uint16_t len;
	uint8_t b[DHCP_STR_MAX];
};

/* A validated reply; addresses in host byte order. Optional values come with has_. */
struct dhcp_reply {
	enum dhcp_type type;
	uint32_t yiaddr, siaddr, server_id;
	bool has_subnet, has_broadcast, has_lease, has_t1, has_t2, has_mtu;
	uint32_t subnet, broadcast, lease_s, t1_s, t2_s;
	uint16_t mtu;
	unsigned n_router, n_dns;
	uint32_t router[DHCP_MAX_ADDRS], dns[DHCP_MAX_ADDRS];
	struct dhcp_bytes hostname, domain, root_path, tftp, bootfile; /* 12, 15, 17, 66, 67 */
	struct dhcp_bytes file, sname; /* the BOOTP fields, when not overloaded with options */
	bool has_search;
	char search[256]; /* 119, decoded: names of [A-Za-z0-9-], space-separated */
	unsigned n_ignored;
	uint8_t ignored[16]; /* options present but malformed (wrong length, bad 119) */
};

/* What the client puts in its message. */
struct dhcp_msg {
	enum dhcp_type type; /* DHCP_DISCOVER or DHCP_REQUEST */
	uint32_t xid;
	uint16_t secs;
	uint8_t mac[6];
	uint32_t requested_ip, server_id; /* REQUEST (selecting): the offer's; host order */
	uint32_t ciaddr; /* REQUEST renewing or rebinding: the address we hold; else 0 */
};

/* DISCOVER or REQUEST from 0.0.0.0:68 to 255.255.255.255:67 with the BROADCAST flag,
 * client identifier 01+MAC (as busybox udhcpc sends, so leases stay the same) and our
 * parameter request list. With ciaddr, the REQUEST of RFC 2131 4.3.2 that extends a
 * lease: from ciaddr, which it also carries, still broadcast, with no requested address
 * (50) or server identifier (54) and without the BROADCAST flag (the client can take a
 * unicast answer now). Returns DHCP_CLIENT_LEN. */
size_t dhcp_encode(uint8_t buf[DHCP_CLIENT_LEN], const struct dhcp_msg *m);

/* Decodes an IPv4 packet (as an AF_PACKET SOCK_DGRAM socket gives it) into a reply to
 * transaction xid for the hardware address mac. udp_csum_unset: the kernel reports the
 * UDP checksum as not yet filled in (a local sender's offload), so it is not checked. */
enum dhcp_err dhcp_decode(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6],
			  bool udp_csum_unset, struct dhcp_reply *out);

/* The lease as stored: numbers for configuring the interface, and the server's strings
 * only where they are what they claim to be (DNS names; printable ASCII for paths and
 * file names). A string that is not is left out, with a line in warn saying so. */
struct dhcp_lease {
	uint32_t addr, netmask, broadcast, gateway; /* host order; 0: none */
	uint8_t prefix;
	uint16_t mtu; /* 0: none, or not sane */
	uint32_t server_id, siaddr;
	bool has_lease, has_t1, has_t2;
	uint32_t lease_s, t1_s, t2_s;
	unsigned n_router, n_dns;
	uint32_t router[DHCP_MAX_ADDRS], dns[DHCP_MAX_ADDRS];
	char hostname[254], domain[254], search[256];
	char root_path[256], tftp[256], bootfile[256]; /* options 17, 66, 67 */
	char boot_file[129], sname[65];		       /* the BOOTP file and sname fields */
};

/* From an ACK; -EADDRNOTAVAIL if it offers no usable address. */
int dhcp_lease_from_reply(const struct dhcp_reply *ack, struct dhcp_lease *ret, char *warn,
			  size_t warnlen);

/* "a.b.c.d" (16 bytes), and a list of addresses space-separated. */
void dhcp_ip_str(uint32_t ip, char out[16]);
void dhcp_ip_list(const uint32_t *ips, unsigned n, char *out, size_t cap);

/* /etc/resolv.conf from the lease; 0 (nothing to write) when it names no DNS server. */
size_t dhcp_resolv_conf(const struct dhcp_lease *l, const char *ifname, char *out, size_t cap);

/* The lifetime the lease's address gets, in seconds; 0 means forever: no lease time
 * (option 51) was sent, or 0, or 0xffffffff (infinite). */
uint32_t dhcp_lifetime(const struct dhcp_lease *l);

/* When a lease is renewed (RFC 2131 4.4.5), in seconds from when it began (the REQUEST
 * that got it was sent). */
struct dhcp_times {
	uint32_t t1_s;	  /* RENEWING: ask the lease's server */
	uint32_t t2_s;	  /* REBINDING: any server may answer */
	uint32_t lease_s; /* the end: the kernel removes the address */
};

/* T1 and T2 from options 58 and 59 where they make sense (0 < T1 < T2 < lease), else
 * half and seven eighths of the lease (T1 half of T2 where half the lease is not before
 * a T2 the server chose). false, with nothing to renew, when dhcp_lifetime is forever. */
bool dhcp_renew_times(const struct dhcp_lease *l, struct dhcp_times *ret);

/* When the next renewing REQUEST goes out, in seconds from the lease's start: T1 when
 * none has been sent (sent_s < 0); after one at sent_s, half the time left to T2 (then
 * to the lease's end), but never sooner than an eighth of the lease or 60 s, whichever
 * is less (1 s at least), and at T2 itself when that comes first. lease_s or more: the
 * lease is over. */
uint32_t dhcp_renew_next(const struct dhcp_times *t, int64_t sent_s);

/* Milliseconds before retransmission number attempt (0: the first resend): about 1 s,
 * doubling to a cap of 4 s, +-1/8 jitter from rnd. */
int dhcp_backoff_ms(unsigned attempt, uint32_t rnd);

#endif
