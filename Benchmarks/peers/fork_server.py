"""The CPython peer of the fork echo rows: the course's day4 fork_server.py speaking the line
echo (echo_blocking.py): one child process per client, forked after accept.

    python3.11 fork_server.py --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. The child closes the listening socket, serves its
client and leaves with os._exit; the parent closes the client's socket and accepts the next.
SIGCHLD is ignored, so the kernel reaps the children: no zombies. SIGINT or SIGTERM exits 0 (a
child's too); a child whose client is still connected goes on serving it.
"""
import os
import signal

from echo_blocking import listen, serve


def main():
    listener = listen()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            try:
                serve(conn)
            finally:  # whatever happened, the child never returns into the accept loop
                os._exit(0)
        conn.close()


if __name__ == "__main__":
    main()
