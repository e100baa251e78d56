"""The CPython peer of the pool benchmarks: tiny tasks per second through multiprocessing.Pool
(fork start method, one worker per CPU), as the course's day2/pool.py uses it.

    python3 pool.py apply N   N apply_async calls, then get() on each
    python3 pool.py map N     one map() over N inputs (Python's default chunksize)

Prints the rate on one line."""
import multiprocessing
import sys
import time


def increment(n):
    return n + 1


def main():
    mode, tasks = sys.argv[1], int(sys.argv[2])
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool() as pool:
        start = time.perf_counter()
        if mode == "apply":
            handles = [pool.apply_async(increment, (n,)) for n in range(tasks)]
            outputs = [handle.get() for handle in handles]
        else:
            outputs = pool.map(increment, range(tasks))
        elapsed = time.perf_counter() - start
    assert outputs == list(range(1, tasks + 1)), "wrong results"
    print(tasks / elapsed)


if __name__ == "__main__":
    main()
