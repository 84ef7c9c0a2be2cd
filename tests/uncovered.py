"""Coverage measurement paused around work whose coverage other tests measure.

The suite runs under pytest-cov, whose tracing makes gigpolicy's code run about twice as slowly.
The checks at scale (every golden record) and the making of the golden records add no line or
branch that the targeted tests leave out (the suite's 100% holds without them), so they run
untraced: :func:`uncovered` around a piece of work, ``@pytest.mark.uncovered`` on a test (see
``conftest.py``). pytest-cov's own ``no_cover`` mark fails under ``--no-cov``, which CI's run on
the newest Python uses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def uncovered() -> Iterator[None]:
    """Within it, coverage measures nothing, where it runs; where it does not (the benchmarks), nothing changes."""
    try:
        from coverage import Coverage  # noqa: PLC0415 - the tests have it; the benchmarks need not
    except ImportError:  # the benchmarks run without the test extra
        yield
        return
    running = Coverage.current()
    if running is None:
        yield
        return
    running.stop()
    try:
        yield
    finally:
        running.start()
