"""What the windows and deadlines say the marketplace will do by itself, it does, when no event comes first.

A deadline that names an automatic step (a release, the escrow's return, a dormancy closure) is a
prediction under the same assumption as a decision's ``until``: no new event. Replaying the record
to the deadline's close under the same version must show the step taken there. The timeline draws
every window from its opening to its close, so none opens after it closes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import golden_outputs as golden

import gigpolicy
from gigpolicy import ContractRecord, GigPolicyError, replay
from gigpolicy._deadlines import deadlines
from gigpolicy.testing import records

STEPS: Final = {
    "AUTO_RELEASE": "AUTO_RELEASE",
    "ESCROW_RETURN": "ESCROW_RETURNED_AFTER_END",
    "DORMANCY": "DORMANT_CLOSED",
}
"""The deadlines that name an automatic step, and the code of the step taken."""
JUDGED_FROM: Final = datetime(2024, 1, 1, tzinfo=UTC)
"""An instant from which every marketplace's rules are in force."""
GOLDEN: Final = 3_000
"""How many of the golden records (``tests/golden_outputs.py``) are checked: 20 of the first 3,000
named a step that never came, and 260 drew a window that opened after it closed, before the fix."""


def _check(record: ContractRecord, at: datetime) -> None:
    """What the rule says of *record* judged at *at* (nothing for a record the rules in force then refuse)."""
    try:
        report = gigpolicy.evaluate(record, at=at)
    except GigPolicyError:  # a record drawn for Upwork's automatic steps may contradict another marketplace's
        return
    assert [] == [window for window in report.windows if window.opens > window.closes]
    for deadline in deadlines(record, at=at, policy=report.policy):
        if deadline.code in STEPS:
            taken = replay(record, at=deadline.closes, policy=report.policy).automatic
            assert (deadline.closes, STEPS[deadline.code]) in {(step.at, step.code) for step in taken}, deadline
    # by name, versions follow time: a deadline past the next version's first day is that version's
    for deadline in deadlines(record, at=at):
        assert deadline.policy >= report.policy.label
        if deadline.code in STEPS:
            taken = replay(record, at=deadline.closes).automatic
            assert (deadline.closes, STEPS[deadline.code]) in {(step.at, step.code) for step in taken}, deadline


@pytest.mark.uncovered  # a check at scale: coverage would double its time, and the targeted tests measure it
def test_the_automatic_steps_ahead_of_the_golden_records_happen() -> None:
    """Rule: as below, for golden records judged at their own instants, amid and after their windows."""
    for text, at in golden.records(GOLDEN):
        _check(gigpolicy.loads(text), at)


@given(
    record=records(max_events=12, marketplaces=("upwork", "fiverr", "freelancer")),
    after=st.timedeltas(min_value=timedelta(), max_value=timedelta(days=20)),
)
def test_the_automatic_steps_ahead_happen(record: ContractRecord, after: timedelta) -> None:
    """Rule: each automatic step a deadline names is taken at its close, under the version in force when judged.

    And every window the report draws opens no later than it closes.
    """
    last = record.events[-1].at if record.events else record.contract.started_at
    _check(record, max(last, JUDGED_FROM) + after)
