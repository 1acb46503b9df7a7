#!/usr/bin/python3
"""The PXE lab's syslog receiver, for the Debian installer's remote log (its boot
parameter log_host=: busybox syslogd -R sends every message over UDP as it logs it, so
the installer's syslog is on the server even when the install stops before /target).
One line per datagram: "EPOCH CLIENT MESSAGE" (EPOCH with milliseconds).

Usage: di-syslog.py ADDRESS PORT LOGFILE
"""
import socket
import sys
import time


def main():
    addr, port, logfile = sys.argv[1:4]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((addr, int(port)))
    with open(logfile, "a", buffering=1) as log:
        while True:
            data, peer = sock.recvfrom(65535)
            text = data.decode("utf-8", "replace").rstrip("\n\0")
            for line in text.splitlines() or [""]:
                log.write("%.3f %s %s\n" % (time.time(), peer[0], line))


if __name__ == "__main__":
    main()
