"""How the benchmarks time a call: the median of several repeats, each the mean of many calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(call: Callable[[], object], *, repeats: int, number: int) -> float:
    """The median over *repeats* of the mean time of *number* calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - started) / number)
    return statistics.median(samples)
