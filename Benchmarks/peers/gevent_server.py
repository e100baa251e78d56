"""The gevent peer of the coroutine echo rows: the course's day6 gevent_server.py speaking the line
echo (echo_blocking.py): monkey.patch_all() makes the blocking socket calls park the greenlet, and
gevent.spawn serves each client in a greenlet of its own, all on one thread.

    python3.11 gevent_server.py --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. SIGINT or SIGTERM exits 0.
"""
from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402  (after patch_all, as the course writes it)

from echo_blocking import listen, serve  # noqa: E402


def main():
    listener = listen()
    while True:
        conn, _ = listener.accept()
        gevent.spawn(serve, conn)


if __name__ == "__main__":
    main()
