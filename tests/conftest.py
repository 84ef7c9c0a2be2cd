"""Hypothesis profiles for the test suite, chosen by the ``HYPOTHESIS_PROFILE`` variable.

- ``dev`` (the default): few examples, for a fast edit-test loop;
- ``ci``: many more examples, printing the blob that reproduces a failure.

Neither has a deadline: replaying a long record on a loaded CI machine is slow, not wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings
from tests.uncovered import uncovered

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
# CI's runs on the other Pythons: the interpreter is what they test, the drawn data the run above
settings.register_profile("interpreter", max_examples=10, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    """Register ``uncovered``: a test run with coverage paused (``tests/uncovered.py``)."""
    config.addinivalue_line("markers", "uncovered: run with coverage paused: a check at scale of what others cover")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test marked ``uncovered`` runs with coverage paused."""
    if item.get_closest_marker("uncovered") is None:
        return (yield)
    with uncovered():
        return (yield)
