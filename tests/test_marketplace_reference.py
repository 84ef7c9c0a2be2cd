"""Fiverr's and Freelancer.com's rules, computed directly, give what the same rules written with a judge give.

The rules of the two marketplaces that read time or data build their verdicts from the facts of
the state and say themselves when each answer changes (``changes_at``), as Upwork's do. The rules
in ``tests/marketplace_reference.py`` are the same rules written condition by condition with a
:class:`~gigpolicy.authoring.Judge`, as a user's rule is. For every such question, party and
variant of the parameters, on states drawn at random and on the golden records, both give equal
verdicts (answer, reasons in order, boundaries in order) and the same ``changes_at``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import golden_outputs as golden
from tests.marketplace_reference import RULES

from gigpolicy import ContractRecord, GigPolicyError, Policy, loads
from gigpolicy._decision import APPLIES_TO
from gigpolicy._judge import changes_at
from gigpolicy._policy import Context
from gigpolicy._replay import replay_under
from gigpolicy.policies import fiverr, freelancer
from gigpolicy.policies.fiverr import FiverrPolicy
from gigpolicy.policies.freelancer import FreelancerPolicy
from gigpolicy.testing import records


@attrs.frozen(kw_only=True)
class LateOpening(FreelancerPolicy):
    """A user's subclass whose feedback opens a week after the end, paid in full or not."""

    def feedback_opens(self, context: Context) -> datetime | None:
        ended_at = context.state.ended_at
        return None if ended_at is None else ended_at + timedelta(days=7)


FIVERR: Final = fiverr.VERSIONS[-1]
FREELANCER: Final = freelancer.VERSIONS[-1]
VARIANTS: Final[tuple[Policy, ...]] = (
    *fiverr.VERSIONS,
    attrs.evolve(FIVERR, review_window=timedelta(0), cancelled_review_window=timedelta(0)),
    attrs.evolve(FIVERR, late_for_review=timedelta(0), cancelled_review_window=timedelta(days=60)),
    *freelancer.VERSIONS,
    attrs.evolve(FREELANCER, feedback_needs_full_payment=True),
    attrs.evolve(FREELANCER, feedback_window=timedelta(0), second_feedback_window=timedelta(0)),
    attrs.evolve(FREELANCER, feedback_window=timedelta(days=3), second_feedback_window=timedelta(days=200)),
    LateOpening(name="late", effective_from=date(2000, 1, 1), feedback_needs_full_payment=True),
)
"""Every version of the two marketplaces, and variants that take the branches no built-in version takes."""


def assert_same_verdicts(record: ContractRecord, at: datetime, policy: Policy) -> int:
    """Judge every question with a reference rule both ways at *at*; how many verdicts were compared."""
    try:
        state = replay_under(record, at=at, rules=policy.replay_rules)
    except GigPolicyError:  # a record made for other automatic steps than this marketplace's
        return 0
    compared = 0
    for question, rule in RULES[FiverrPolicy if isinstance(policy, FiverrPolicy) else FreelancerPolicy].items():
        for party in APPLIES_TO[question]:
            context = Context(record=record, state=state, at=at, party=party)
            direct = policy.decide(question, context)
            direct_changes = changes_at(direct)  # asked at once: the next verdict replaces it
            judged = rule(context, policy)
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
    record: ContractRecord, policy: Policy, after: timedelta, from_start: bool
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
        for policy in VARIANTS:
            for instant in (at, at + timedelta(days=7), at + timedelta(days=30), at + timedelta(days=365)):
                compared += assert_same_verdicts(record, instant, policy)
    assert compared > 10_000
