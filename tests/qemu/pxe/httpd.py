#!/usr/bin/python3
"""The PXE lab's HTTP server: python3's http.server for one directory, logging one line
per request when it ends: "EPOCH CLIENT METHOD PATH STATUS BYTES SECONDS" (EPOCH and
SECONDS with milliseconds), so the lab can tell what was fetched, when and how fast.

Usage: httpd.py ADDRESS PORT DIRECTORY LOGFILE
"""
import functools
import http.server
import sys
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    log = None

    def handle_one_request(self):
        self.t0 = time.time()
        self.sent = 0
        self.code = "-"
        super().handle_one_request()
        if getattr(self, "command", None):
            t1 = time.time()
            self.log.write("%.3f %s %s %s %s %d %.3f\n" % (
                t1, self.client_address[0], self.command, self.path, self.code,
                self.sent, t1 - self.t0))
            self.log.flush()

    def send_response(self, code, message=None):
        self.code = str(code)
        super().send_response(code, message)

    def copyfile(self, source, outputfile):
        while True:
            buf = source.read(256 * 1024)
            if not buf:
                break
            outputfile.write(buf)
            self.sent += len(buf)

    def log_message(self, format, *args):  # one line per request, above, instead
        pass


def main():
    addr, port, directory, logfile = sys.argv[1:5]
    Handler.log = open(logfile, "a", buffering=1)
    handler = functools.partial(Handler, directory=directory)
    server = http.server.ThreadingHTTPServer((addr, int(port)), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
