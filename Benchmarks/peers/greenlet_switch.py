"""The CPython peer of the coroutine switch benchmark: greenlet's switch there and back, as
day6/greenlet_0.py switches between two greenlets.

    python3 greenlet_switch.py N   N round trips: prints nanoseconds per round trip
"""
import sys
import time

from greenlet import getcurrent, greenlet


def main():
    count = int(sys.argv[1])
    parent = getcurrent()

    def partner(value):
        while True:
            value = parent.switch(value)

    other = greenlet(partner)
    switch = other.switch
    start = time.perf_counter()
    for index in range(count):
        switch(index)
    elapsed = time.perf_counter() - start
    print(elapsed / count * 1e9)


if __name__ == "__main__":
    main()
