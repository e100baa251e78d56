"""The pyftpdlib peer of the FTP rows: pyftpdlib's FTPServer (one process, its asynchronous IO loop,
sendfile(2) for downloads as it does by default on Linux) serving a folder to anonymous users.

    python3 ftp_pyftpdlib.py --root DIR --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" once it accepts connections; on SIGINT or SIGTERM closes every
connection and exits 0.
"""
import argparse
import logging
import signal
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    authorizer = DummyAuthorizer()
    authorizer.add_anonymous(arguments.root, perm="elradfmw")
    handler = FTPHandler
    handler.authorizer = authorizer
    server = FTPServer(("127.0.0.1", arguments.port), handler)
    server.max_cons = 1024

    def stop(signum, frame):
        server.close_all()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on 127.0.0.1:{server.address[1]}", flush=True)
    server.serve_forever(handle_exit=False)


if __name__ == "__main__":
    main()
