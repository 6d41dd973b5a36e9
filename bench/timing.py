"""Timing one call the same way in every benchmark."""

from __future__ import annotations

import statistics
import time


def median_ms(call, runs: int = 200, warmup: int = 5) -> float:
    """Return the median wall time of `call()` in milliseconds over `runs` calls, after `warmup` untimed calls.

    The first calls build TensorFlow's functions and fill caches; a median ignores the odd slow call.
    """
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)
