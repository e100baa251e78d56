"""The CPython peer of the thread echo rows: the course's day4 thread_server.py speaking the line
echo (echo_blocking.py): one daemon thread per client, started after accept.

    python3.11 thread_server.py --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. SIGINT or SIGTERM exits 0 without waiting for the
clients' threads (daemon threads).
"""
import threading

from echo_blocking import listen, serve


def main():
    listener = listen()
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
