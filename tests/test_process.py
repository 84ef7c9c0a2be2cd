"""The settings gigpolicy applies to the processes it runs as its own, and to no other."""

from __future__ import annotations

import gc
import subprocess
import sys

from gigpolicy._cli import main
from gigpolicy._process import GC_THRESHOLDS, tune_collector


def test_the_collector_runs_less_often_once_tuned() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        tune_collector()
        assert GC_THRESHOLDS == gc.get_threshold()
    finally:
        gc.set_threshold(*saved)


def test_importing_gigpolicy_leaves_the_collector_alone() -> None:
    """Rule: a library never changes what belongs to the process that imports it."""
    code = (
        "import gc; before = gc.get_threshold(); import gigpolicy, gigpolicy._cli; print(before == gc.get_threshold())"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - ours
    assert "True\n" == found.stdout


def test_the_command_line_tunes_its_own_process() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert 0 == main(["policies", "--json"])
        assert GC_THRESHOLDS == gc.get_threshold()
    finally:
        gc.set_threshold(*saved)
