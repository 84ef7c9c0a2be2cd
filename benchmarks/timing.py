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


def paired_medians(
    call: Callable[[], object], baseline: Callable[[], object], *, repeats: int, number: int
) -> tuple[float, float, float]:
    """The medians of the mean times of *baseline* and *call*, and of their ratio, timed in turn.

    Each repeat times *number* calls of *baseline*, then *number* calls of *call*: on a machine
    whose speed drifts from one second to the next (a shared virtual machine), both see the same
    moments, and the median of the ratios of the pairs moves less than the ratio of two medians
    timed minutes apart.
    """
    pairs = []
    for _ in range(repeats):
        base = median_seconds(baseline, repeats=1, number=number)
        took = median_seconds(call, repeats=1, number=number)
        pairs.append((base, took, took / base))
    return tuple(statistics.median(pair[column] for pair in pairs) for column in range(3))  # type: ignore[return-value]  # three columns
