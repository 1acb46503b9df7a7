#!/usr/bin/python3
"""The PXE lab's "no IPv6 here": answers every IPv6 router solicitation on one interface
with a router advertisement that carries no prefix, no DHCPv6 flags and a router lifetime
of 0 (not a default router), so nothing gets an IPv6 address or route from it.

Why: iPXE configures IPv4 (DHCP) and IPv6 (router discovery) together and boots only when
both are done; on a link without routers its solicitations go unanswered for 13 s.

Usage: ra.py IFACE
"""
import socket
import struct
import sys

ICMP6_RS, ICMP6_RA = 133, 134


def main():
    ifname = sys.argv[1]
    ifindex = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    # Receivers drop neighbour discovery with a hop limit below 255 (RFC 4861 6.1.2).
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    group = socket.inet_pton(socket.AF_INET6, "ff02::2") + struct.pack("@I", ifindex)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, group)
    # Type, code, checksum (the kernel fills it in), current hop limit, flags (no M, no
    # O), router lifetime 0, reachable time and retransmit timer unspecified; no options.
    ra = struct.pack("!BBHBBHII", ICMP6_RA, 0, 0, 64, 0, 0, 0, 0)
    while True:
        data, _ = s.recvfrom(1500)
        if data and data[0] == ICMP6_RS:
            try:
                s.sendto(ra, ("ff02::1", 0, 0, ifindex))
            except OSError as e:  # no link-local address yet: the next RS gets one
                print("ra.py: %s" % e, file=sys.stderr)


if __name__ == "__main__":
    main()
