"""The gevent peer of the HTTP row: gevent's pywsgi WSGIServer (a greenlet per connection on one
thread, the course's 协程 server) with a WSGI application that serves the files of a folder, read
on each request.

    python3.11 http_pywsgi.py --root DIR --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. SIGINT or SIGTERM exits 0.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (after patch_all, as the course writes it)
import mimetypes  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402


def application(root):
    def serve(environ, start_response):
        path = os.path.normpath(environ["PATH_INFO"]).lstrip("/")
        file = os.path.join(root, path)
        if ".." in path.split("/") or not os.path.isfile(file):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        with open(file, "rb") as f:
            body = f.read()
        kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]
    return serve


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    server = WSGIServer(("127.0.0.1", options.port), application(options.root), log=None)
    server.init_socket()
    # A Python handler's SystemExit would land in whichever greenlet runs: stop the server from the hub.
    gevent.signal_handler(signal.SIGTERM, server.stop)
    gevent.signal_handler(signal.SIGINT, server.stop)
    print(f"listening on 127.0.0.1:{server.socket.getsockname()[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
