"""The pyftpdlib peer of the FTP rows: pyftpdlib's FTPServer (one process, its asynchronous IO loop,
sendfile(2) for downloads as it does by default on Linux) serving a folder to anonymous users.

    python3 ftp_pyftpdlib.py --root DIR --port N   listens on 127.0.0.1:N (0 picks a free port)
        [--max-clients N] [--idle-seconds S] [--max-upload-bytes N]

The options are those of the FTP rules' command line (FTPServerOptions), so the rules can be run
against it (FTPServerTests.pyftpdlibAgainstTheRules): --max-clients sets max_cons to N + 1 (pyftpdlib
counts its listening socket too), --idle-seconds the handler's timeout; pyftpdlib has no upload limit,
so --max-upload-bytes is taken and has no effect.

Prints "listening on 127.0.0.1:PORT" once it accepts connections; on SIGINT or SIGTERM closes every
connection and exits 0.
"""
import argparse
import logging
import signal
import sys
import warnings

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-clients", type=int, default=1023)
    parser.add_argument("--idle-seconds", type=float, default=300)
    parser.add_argument("--max-upload-bytes", type=int)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", "write permissions assigned to anonymous user")
    authorizer = DummyAuthorizer()
    authorizer.add_anonymous(arguments.root, perm="elradfmw")
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.timeout = arguments.idle_seconds
    server = FTPServer(("127.0.0.1", arguments.port), handler)
    server.max_cons = arguments.max_clients + 1

    def stop(signum, frame):
        server.close_all()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on 127.0.0.1:{server.address[1]}", flush=True)
    server.serve_forever(handle_exit=False)


if __name__ == "__main__":
    main()
