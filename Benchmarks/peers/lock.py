"""The CPython peer of the lock benchmark: threading.Lock acquired and released by one thread,
as day3/thread_lock.py does around each update.

    python3 lock.py N   N acquire() + release() pairs: prints pairs per second
"""
import sys
import threading
import time


def main():
    count = int(sys.argv[1])
    lock = threading.Lock()
    acquire, release = lock.acquire, lock.release
    start = time.perf_counter()
    for _ in range(count):
        acquire()
        release()
    print(count / (time.perf_counter() - start))


if __name__ == "__main__":
    main()
