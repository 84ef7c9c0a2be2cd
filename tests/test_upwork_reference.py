"""Upwork's rules, computed directly, give what the same rules written with a judge give.

The built-in rules build their verdicts from the facts of the state, with reasons made once where
they carry no data, and say themselves when each answer changes (``changes_at``). The rules in
``tests/upwork_reference.py`` are the same rules written condition by condition with a
:class:`~gigpolicy.authoring.Judge`, as a user's rule is. For every question, party, version and
variant of the parameters, on states drawn at random and on the golden records, both give equal
verdicts (answer, reasons in order, boundaries in order) and the same ``changes_at``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import golden_outputs as golden
from tests.upwork_reference import RULES

from gigpolicy import ContractRecord, ContractState, GigPolicyError, Money, loads
from gigpolicy._decision import APPLIES_TO, EVERY_QUESTION
from gigpolicy._judge import changes_at
from gigpolicy._policy import Context, policy_versions
from gigpolicy._replay import replay_under
from gigpolicy.policies.upwork import UpworkPolicy
from gigpolicy.testing import records

VERSIONS: Final = tuple(version for version in policy_versions("upwork") if isinstance(version, UpworkPolicy))
LATEST: Final = VERSIONS[-1]


@attrs.frozen(kw_only=True)
class Hasty(UpworkPolicy):
    """A user's subclass whose windows close as they open, and which lets any net paid be refunded."""

    def feedback_closes(self, ended_at: datetime) -> datetime:
        return ended_at

    def dispute_closes(self, state: ContractState) -> datetime:
        return state.ended_at or state.at

    def refundable(self, state: ContractState) -> Money:
        return state.net_paid


VARIANTS: Final = (
    *VERSIONS,
    Hasty(name="hasty", effective_from=date(2020, 1, 1)),
    Hasty(name="hasty", effective_from=date(2020, 1, 1), private_feedback=False, feedback_before_dispute=True),
    attrs.evolve(LATEST, private_feedback=True),
    attrs.evolve(LATEST, private_feedback_source="https://example.com/private"),
    attrs.evolve(VERSIONS[0], feedback_before_dispute=True, private_feedback=False),
    attrs.evolve(LATEST, suspension_reasons=("fraud",)),
    attrs.evolve(LATEST, suspension_reasons=()),
    attrs.evolve(LATEST, jss_exclude_no_feedback=False, jss_exclude_zero_positive=False),
    attrs.evolve(LATEST, display_threshold=Decimal(0)),
    attrs.evolve(LATEST, feedback_window_days=0, response_window=timedelta(0), edit_window=timedelta(days=1)),
    attrs.evolve(LATEST, refund_window=timedelta(days=1), mid_contract_min_age=timedelta(0)),
    attrs.evolve(LATEST, hourly_dispute_days=0, jss_lookback_months=1),
)
"""Every Upwork version, and variants that switch on the branches no built-in version takes."""


def assert_same_verdicts(record: ContractRecord, at: datetime, policy: UpworkPolicy) -> int:
    """Judge every question both ways at *at*; how many verdicts were compared (none if replay refuses)."""
    try:
        state = replay_under(record, at=at, rules=policy.replay_rules)
    except GigPolicyError:  # a record made for other automatic steps than this version's
        return 0
    compared = 0
    for question in EVERY_QUESTION:
        for party in APPLIES_TO[question]:
            context = Context(record=record, state=state, at=at, party=party)
            direct = policy.decide(question, context)
            direct_changes = changes_at(direct)  # asked at once: the next verdict replaces it
            judged = RULES[question](context, policy)
            judged_changes = changes_at(judged)
            where = f"{question} for {party} under {policy.label} at {at.isoformat()}"
            assert direct == judged, where
            assert direct_changes == judged_changes, where
            compared += 1
    return compared


@settings(max_examples=300, deadline=None)
@given(
    records(max_events=14),
    st.sampled_from(VARIANTS),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)),
    st.booleans(),
)
def test_direct_rules_equal_the_judges_on_drawn_records(
    record: ContractRecord, policy: UpworkPolicy, after: timedelta, from_start: bool
) -> None:
    """On any record, at any instant from its start to months after its last event, both rules agree."""
    first = record.contract.started_at if from_start or not record.events else record.events[-1].at
    assert_same_verdicts(record, first + after, policy)


@pytest.mark.parametrize("part", range(4))
def test_direct_rules_equal_the_judges_on_the_golden_records(part: int) -> None:
    """The 2,000 first golden records, each at its instant and a week, a month and a year on, every variant."""
    compared = 0
    for text, at in list(golden.records(2000))[part::4]:
        record = loads(text)
        for policy in (*VARIANTS[part::4], LATEST):
            for instant in (at, at + timedelta(days=7), at + timedelta(days=30), at + timedelta(days=365)):
                compared += assert_same_verdicts(record, instant, policy)
    assert compared > 10_000
