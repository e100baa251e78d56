"""Tiny tasks per second through CPython's multiprocessing.Pool: N apply_async calls, then get on
each (the course's day2/pool.py pattern). The peer of Benchmarks/pool/main.swift.
Usage: python3 pool.py [tasks] [processes]; prints the rate on one line."""
import multiprocessing
import sys
import time


def increment(n):
    return n + 1


def main():
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else None
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool(processes) as pool:
        start = time.perf_counter()
        handles = [pool.apply_async(increment, (n,)) for n in range(tasks)]
        total = sum(handle.get() for handle in handles)
        elapsed = time.perf_counter() - start
    assert total == tasks * (tasks + 1) // 2, "wrong results"
    print(tasks / elapsed)


if __name__ == "__main__":
    main()
