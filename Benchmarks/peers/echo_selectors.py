"""The CPython peer of the echo benchmarks: the line echo server on selectors.DefaultSelector
(epoll on Linux), one thread, every socket non-blocking, as the course's day5 epoll_server.py.

    python3.11 echo_selectors.py --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first, then sends back each line (bytes up to "\\n") a client
sends, unchanged, however it arrives in pieces. A line longer than 65536 bytes gets "error: line
longer than 65536 bytes", then the server ends its side of that connection. SIGINT or SIGTERM
closes every socket and exits 0.

A client is watched for EVENT_READ while all its echo is sent, and for EVENT_WRITE alone while
some is not, so a client that sends without reading is not read from until it reads.
"""
import selectors
import signal
import socket
import sys

LINE_LIMIT = 65536
TOO_LONG = b"error: line longer than 65536 bytes\n"


class Connection:
    """One client: its partial line, and the echo the kernel has not taken yet."""

    def __init__(self, sock):
        self.sock = sock
        self.partial = b""
        self.outgoing = b""
        self.events = selectors.EVENT_READ  # what the selector watches
        self.refused = False  # sent too long a line: its input is discarded from then on


class Stop(Exception):
    """Raised by the SIGINT and SIGTERM handler to leave the loop."""


def stop(signum, frame):
    raise Stop


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--port":
        sys.exit("usage: echo_selectors.py --port N (0 picks a free port)")
    selector = selectors.DefaultSelector()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:  # from here on a signal ends the server through the finally clause
        listener = socket.socket()
        selector.register(listener, selectors.EVENT_READ)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(sys.argv[2])))
        listener.listen(socket.SOMAXCONN)
        listener.setblocking(False)
        print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
        while True:
            for key, events in selector.select():
                if key.fileobj is listener:
                    accept(selector, listener)
                elif events & selectors.EVENT_READ:
                    receive(selector, key.data)
                else:
                    send(selector, key.data)
    except Stop:
        pass
    finally:
        for key in list(selector.get_map().values()):
            key.fileobj.close()
        selector.close()


def accept(selector, listener):
    while True:
        try:
            sock, _ = listener.accept()
        except BlockingIOError:
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, Connection(sock))


def close(selector, conn):
    selector.unregister(conn.sock)
    conn.sock.close()


def receive(selector, conn):
    try:
        data = conn.sock.recv(65536)
    except BlockingIOError:
        return
    except OSError:  # reset by the client
        return close(selector, conn)
    if not data:  # the client ended its side; a partial line never will
        return close(selector, conn)
    if conn.refused:
        return
    data = conn.partial + data
    end = data.rfind(b"\n") + 1  # after the last whole line
    lines, conn.partial = data[:end], data[end:]
    if len(data) > LINE_LIMIT and (len(conn.partial) > LINE_LIMIT or
                                   max(map(len, lines.split(b"\n"))) > LINE_LIMIT):
        conn.refused, conn.partial, lines = True, b"", TOO_LONG
    conn.outgoing = lines
    send(selector, conn)


def send(selector, conn):
    """Writes what the kernel takes of the echo, then watches the client for what comes next."""
    try:
        while conn.outgoing:
            sent = conn.sock.send(conn.outgoing)
            conn.outgoing = conn.outgoing[sent:]
        if conn.refused:
            conn.sock.shutdown(socket.SHUT_WR)  # a FIN after the error line; discard until it ends
    except BlockingIOError:
        pass
    except OSError:  # reset by the client
        return close(selector, conn)
    wanted = selectors.EVENT_WRITE if conn.outgoing else selectors.EVENT_READ
    if conn.events != wanted:  # the selector is told only of a change
        selector.modify(conn.sock, wanted, conn)
        conn.events = wanted


if __name__ == "__main__":
    main()
