"""A long run of the suite's contract state machine, counting the steps it checked.

``tests/test_stateful.py`` drives a fixed-price contract through random actions of both
parties and the passing of time, and after every step compares replay and the decisions with
an independent model. The suite runs it for a few hundred examples; this script runs it for as
many as asked, on demand, and prints how many contract lives and checked steps that was::

    .venv/bin/python fuzz/state_machine.py 100000

A failure raises Hypothesis's usual error with the shrunk sequence of steps.
"""

# ruff: noqa: INP001 - a script directory, not a package
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from gigpolicy import replay

sys.path.insert(0, str(Path(__file__).parent.parent))
from tests import test_stateful

P = ParamSpec("P")
R = TypeVar("R")

COUNTS = {"lives": 0, "states": 0}
"""Machines started, and states checked by replay (one after each step)."""


class CountedMachine(test_stateful.ContractMachine):
    """The suite's machine, counting each life it starts."""

    def __init__(self) -> None:
        super().__init__()
        COUNTS["lives"] += 1


def counted(function: Callable[P, R]) -> Callable[P, R]:
    """*function*, counting its calls: the machine checks each state once with replay."""

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        COUNTS["states"] += 1
        return function(*args, **kwargs)

    return call


def main(examples: int) -> None:
    """Run *examples* lives of up to 30 steps each, without the example database."""
    vars(test_stateful)["replay"] = counted(replay)  # what the machine calls, by its module's name
    started = time.perf_counter()
    run_state_machine_as_test(
        CountedMachine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    seconds = time.perf_counter() - started
    # the invariants run after every step, the first (which starts the contract) included
    lives, steps = COUNTS["lives"], COUNTS["states"]
    sys.stdout.write(f"{lives:,} contract lives, {steps:,} steps, each checked, in {seconds:.0f} s\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
