"""The CPython peer of the queue benchmark (not queue.py: that would hide the standard module): values from a forked child to the parent through
multiprocessing.Queue(), as the course's day2/queue_0.py uses it.

    python3 mpqueue.py small N   N q.put(n) of small ints: prints values per second
"""
import multiprocessing
import sys
import time


def produce(queue, count):
    for n in range(count):
        queue.put(n)


def main():
    count = int(sys.argv[2])
    multiprocessing.set_start_method("fork")
    queue = multiprocessing.Queue()
    start = time.perf_counter()
    producer = multiprocessing.Process(target=produce, args=(queue, count))
    producer.start()
    for n in range(count):
        assert queue.get() == n, "a value arrived out of order"
    elapsed = time.perf_counter() - start
    producer.join()
    print(count / elapsed)


if __name__ == "__main__":
    main()
