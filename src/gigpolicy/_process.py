"""Settings of the processes gigpolicy runs as its own: the command line's and the server's.

A library must not change what belongs to the process that imports it, so these are applied only
by :func:`gigpolicy._cli.main` and :func:`gigpolicy.serve.run`.
"""

from __future__ import annotations

import gc
from typing import Final

__all__ = ["GC_THRESHOLDS", "tune_collector"]

GC_THRESHOLDS: Final = (100_000, 50, 100)
"""When the cyclic garbage collector runs: after 100,000 new objects (Python's default is 700),
and the older generations 50 and 100 times less often than it.

Judging a long record makes and keeps hundreds of thousands of small objects (events, payments,
states, reasons) that reference counting frees on its own; with the default thresholds the
collector scanned them again and again, a third of the time ``options`` took on the longest
records (``benchmarks/hostile.py``). The memory it could hold back is that of cycles, which
gigpolicy's values do not form.
"""


def tune_collector() -> None:
    """Set :data:`GC_THRESHOLDS` for this process."""
    gc.set_threshold(*GC_THRESHOLDS)
