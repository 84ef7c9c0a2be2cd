"""The built-in rules, computed directly, give what the same rules written with a judge give.

The built-in rules build their verdicts from the facts of the state, with reasons made once where
they carry no data, and say themselves when each answer changes (``changes_at``). The rules in
``tests/upwork_reference.py`` (Upwork's) and ``tests/marketplace_reference.py`` (those of Fiverr's
and Freelancer.com's that read time or data) are the same rules written condition by condition
with a :class:`~gigpolicy.authoring.Judge`, as a user's rule is. For every such question, party,
version and variant of the parameters, on states drawn at random and on the golden records, both
give equal verdicts (answer, reasons in order, boundaries in order) and the same ``changes_at``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import golden_outputs as golden
from tests import marketplace_reference, upwork_reference
from tests.records import day, fixed, fund, release

from gigpolicy import ContractRecord, ContractState, GigPolicyError, Money, Policy, Question, Verdict, loads
from gigpolicy._contract import ENDED
from gigpolicy._decision import APPLIES_TO
from gigpolicy._judge import changes_at
from gigpolicy._policy import Context, policy_versions
from gigpolicy._replay import replay_under
from gigpolicy.policies import fiverr, freelancer
from gigpolicy.policies.freelancer import FreelancerPolicy
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


@attrs.frozen(kw_only=True)
class LateOpening(FreelancerPolicy):
    """A user's subclass whose feedback opens a week after the end, paid in full or not."""

    def feedback_opens(self, context: Context) -> datetime | None:
        ended_at = context.state.ended_at
        return None if ended_at is None else ended_at + timedelta(days=7)


LATEST_FIVERR: Final = fiverr.VERSIONS[-1]
LATEST_FREELANCER: Final = freelancer.VERSIONS[-1]
OTHERS: Final[tuple[Policy, ...]] = (
    *fiverr.VERSIONS,
    attrs.evolve(LATEST_FIVERR, review_window=timedelta(0), cancelled_review_window=timedelta(0)),
    attrs.evolve(LATEST_FIVERR, late_for_review=timedelta(0), cancelled_review_window=timedelta(days=60)),
    *freelancer.VERSIONS,
    attrs.evolve(LATEST_FREELANCER, feedback_needs_full_payment=True),
    attrs.evolve(LATEST_FREELANCER, feedback_window=timedelta(0), second_feedback_window=timedelta(0)),
    attrs.evolve(LATEST_FREELANCER, feedback_window=timedelta(days=3), second_feedback_window=timedelta(days=200)),
    LateOpening(name="late", effective_from=date(2000, 1, 1), feedback_needs_full_payment=True),
)
"""Every version of Fiverr and Freelancer.com, and variants that take the branches no built-in version takes."""

REFERENCES: Final[dict[type[Policy], dict[Question, Callable[..., Verdict]]]] = {
    UpworkPolicy: upwork_reference.RULES,  # every question
    **marketplace_reference.RULES,  # the questions whose rules read time or data
}


def references(policy: Policy) -> dict[Question, Callable[..., Verdict]]:
    """The reference rules of *policy*'s built-in class (a subclass: its base's)."""
    return next(rules for kind, rules in REFERENCES.items() if isinstance(policy, kind))


def assert_same_verdicts(
    record: ContractRecord, at: datetime, policy: Policy, state: ContractState | None = None
) -> int:
    """Judge every question both ways at *at*; how many verdicts were compared (none if replay refuses).

    On *state* if given, else on *record* replayed to *at*.
    """
    if state is None:
        try:
            state = replay_under(record, at=at, rules=policy.replay_rules)
        except GigPolicyError:  # a record made for other automatic steps than this version's
            return 0
    compared = 0
    for question, rule in references(policy).items():
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
    st.sampled_from((*VARIANTS, *OTHERS)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)),
    st.booleans(),
)
def test_direct_rules_equal_the_judges_on_drawn_records(
    record: ContractRecord, policy: Policy, after: timedelta, from_start: bool
) -> None:
    """On any record, at any instant from its start to months after its last event, both rules agree."""
    first = record.contract.started_at if from_start or not record.events else record.events[-1].at
    assert_same_verdicts(record, first + after, policy)


@pytest.mark.uncovered  # a check at scale: coverage would double its time, and the targeted tests measure it
@pytest.mark.parametrize("part", range(4))
def test_direct_rules_equal_the_judges_on_the_golden_records(part: int) -> None:
    """The 2,000 first golden records, each at its instant and a week, a month and a year on, every variant.

    A quarter of the variants in each part, and each marketplace's latest version in all.
    """
    compared = 0
    for text, at in list(golden.records(2000))[part::4]:
        record = loads(text)
        for policy in (*VARIANTS[part::4], LATEST, *OTHERS[part::4], LATEST_FIVERR, LATEST_FREELANCER):
            for instant in (at, at + timedelta(days=7), at + timedelta(days=30), at + timedelta(days=365)):
                compared += assert_same_verdicts(record, instant, policy)
    assert compared > 10_000


@pytest.mark.parametrize("policy", OTHERS, ids=[f"{policy.label}-{index}" for index, policy in enumerate(OTHERS)])
@pytest.mark.parametrize("paid", [False, True])
def test_an_ended_state_built_without_its_end_is_judged_alike(policy: Policy, paid: bool) -> None:
    """A state built by hand as ended but with no end (replay never makes one): both rules still agree."""
    record = fixed(fund(day(0)), *([release(day(1))] if paid else []))
    state = attrs.evolve(replay_under(record, at=day(2), rules=policy.replay_rules), status=ENDED, ended_at=None)
    assert assert_same_verdicts(record, day(2), policy, state) > 0
