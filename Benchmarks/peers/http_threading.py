"""The CPython peer of the HTTP row: the standard library's ThreadingHTTPServer with
SimpleHTTPRequestHandler serving a folder (a thread per connection), speaking HTTP/1.1 with
keep-alive as wrk and the reference do (the handler's default is HTTP/1.0, a connection per request).

    python3.11 http_threading.py --root DIR --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. SIGINT or SIGTERM exits 0.
"""
import argparse
import functools
import signal
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # wrk ends its connections mid-request when its time is up: not the server's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    server = Server(("127.0.0.1", options.port), functools.partial(Handler, directory=options.root))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
