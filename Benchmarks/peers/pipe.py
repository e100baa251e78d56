"""The CPython peer of the pipe benchmarks: messages from a forked child to the parent through
multiprocessing.Pipe(), as the course's day2/pipe.py uses it.

    python3 pipe.py small N   N conn.send(n) of small ints: prints messages per second
    python3 pipe.py large N   N conn.send_bytes() of 64 KiB: prints megabytes (10^6 bytes) per second
"""
import multiprocessing
import sys
import time


def send_small(end, count):
    for n in range(count):
        end.send(n)


def send_large(end, count):
    block = b"\x07" * 65536
    for _ in range(count):
        end.send_bytes(block)


def main():
    mode, count = sys.argv[1], int(sys.argv[2])
    multiprocessing.set_start_method("fork")
    parent, child = multiprocessing.Pipe()
    start = time.perf_counter()
    sender = multiprocessing.Process(target=send_small if mode == "small" else send_large, args=(child, count))
    sender.start()
    child.close()
    if mode == "small":
        for n in range(count):
            assert parent.recv() == n, "a message arrived out of order"
    else:
        for _ in range(count):
            assert len(parent.recv_bytes()) == 65536, "a message arrived cut"
    elapsed = time.perf_counter() - start
    sender.join()
    print(count / elapsed if mode == "small" else count * 65536 / elapsed / 1e6)


if __name__ == "__main__":
    main()
