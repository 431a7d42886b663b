"""Peak memory of a block of work, for the benchmark commands.

The process's resident size is sampled every 10 ms while the block runs: DuckDB, Spark's driver side,
pandas and rapidfuzz all allocate inside this process, so this sees what each of them costs.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

MIB = 1024 * 1024



@contextmanager
def peak_memory():
    """Largest resident set size of this process seen while the block runs (bytes, in box[0])."""
    box = [_rss()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.01):
            box[0] = max(box[0], _rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield box
    finally:
        stop.set()
        sampler.join()
        box[0] = max(box[0], _rss())


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
