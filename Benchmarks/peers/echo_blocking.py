"""What the blocking echo peers, fork_server.py and thread_server.py, share: the listening socket
and the line echo of one client on a blocking socket, as in the course's day4 servers.

A client's lines (bytes up to "\\n") come back unchanged as soon as each is whole, however they
arrive in pieces. A line longer than 65536 bytes gets "error: line longer than 65536 bytes", then
the server ends its side of that connection and discards what the client still sends.
"""
import os
import signal
import socket
import sys

LINE_LIMIT = 65536
TOO_LONG = b"error: line longer than 65536 bytes\n"


def stop(signum, frame):
    sys.exit(0)


def listen():
    """The listening socket of `--port N` (0 picks a free port) on 127.0.0.1, announced with
    "listening on 127.0.0.1:PORT" on stdout. From here on SIGINT and SIGTERM exit with status 0."""
    if len(sys.argv) != 3 or sys.argv[1] != "--port":
        sys.exit(f"usage: {os.path.basename(sys.argv[0])} --port N (0 picks a free port)")
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[2])))
    listener.listen(socket.SOMAXCONN)  # the course's listen(5) would drop 100 clients connecting at once
    print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    return listener


def serve(conn):
    """Echoes the lines of one client until it ends its side or resets, then closes its socket."""
    with conn:
        partial = b""
        try:
            while data := conn.recv(65536):
                data = partial + data
                end = data.rfind(b"\n") + 1  # after the last whole line
                lines, partial = data[:end], data[end:]
                if len(data) > LINE_LIMIT and (len(partial) > LINE_LIMIT or
                                               max(map(len, lines.split(b"\n"))) > LINE_LIMIT):
                    return refuse(conn)
                if lines:
                    conn.sendall(lines)
        except ConnectionError:  # reset by the client
            pass


def refuse(conn):
    """Too long a line: the error line, a FIN, then what the client still sends is discarded."""
    conn.sendall(TOO_LONG)
    conn.shutdown(socket.SHUT_WR)
    while conn.recv(65536):
        pass
