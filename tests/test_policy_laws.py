"""The laws every policy keeps, run over every registered version and a user-made policy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Final, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from tests.records import example

from gigpolicy import (
    Context,
    ContractRecord,
    Party,
    Policy,
    Question,
    ReplayRules,
    UpworkPolicy,
    Verdict,
    evaluate,
    get_policy,
    loads,
    register_policy,
)
from gigpolicy._evaluate import _Timeline
from gigpolicy._policy import _REGISTRY, PolicyClock, available_policies, policy_versions
from gigpolicy._replay import replayed_under
from gigpolicy.testing import _laws as testing_laws
from gigpolicy.testing import check_policy_laws, policy_law_cases

UPWORK: Final = cast("UpworkPolicy", get_policy("upwork"))
VERSIONS: Final = [version for name in available_policies() for version in policy_versions(name)]
#: A user's own policy: Upwork's rules with a longer window and no display threshold.
MINE: Final = attrs.evolve(
    UPWORK,
    name="mine",
    effective_from=date(2020, 1, 1),
    feedback_window_days=30,
    display_threshold=Decimal(0),
)
#: The example's own marketplace, with its success score.
GIGLY: Final = example("custom_marketplace").GIGLY
#: A policy with no rules at all: every question answers no.
BARE: Final = Policy(name="bare", effective_from=date(2020, 1, 1))


@pytest.mark.parametrize("policy", [*VERSIONS, MINE, BARE, GIGLY], ids=lambda policy: policy.label)
def test_every_policy_keeps_the_laws(policy: Policy) -> None:
    """Issue 5: every registered policy, built-in or not, keeps the laws.

    "the `until` law, reasons on every decision, determinism, no public display below the
    policy's threshold, fees within bounds, replay never raising on a valid generated record".
    """

    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
    @given(policy_law_cases(policy))
    def laws(case: tuple[ContractRecord, datetime]) -> None:
        check_policy_laws(policy, *case)

    laws()


def test_the_until_law_is_checked_on_a_fixed_case() -> None:
    """The `until` law runs on a known decision with an `until`, whatever Hypothesis draws.

    The motivating case judged the day after it ended: the client's feedback window closes 14 days
    after the end, so that decision has an `until`, and the laws hold on it.
    """
    record = loads(Path("examples/records/motivating-case-ended.json").read_text(encoding="utf-8"))
    at = datetime(2026, 11, 5, tzinfo=UTC)
    report = evaluate(record, at=at, policy=UPWORK)
    assert report.decision(Question.PUBLIC_FEEDBACK, Party.CLIENT).until is not None
    check_policy_laws(UPWORK, record, at)


def test_a_broken_law_is_named() -> None:
    """A policy whose rule breaks a law fails check_policy_laws with the law's name."""

    @attrs.frozen(kw_only=True)
    class Leaky(Policy):
        def decide(self, question: Question, context: Context) -> Verdict:
            verdict = super().decide(question, context)
            return attrs.evolve(verdict, answer=str(question) == "work_history")

    leaky = Leaky(name="leaky", effective_from=date(2020, 1, 1))

    @settings(max_examples=5, database=None)
    @given(policy_law_cases(leaky))
    def laws(case: tuple[ContractRecord, datetime]) -> None:
        check_policy_laws(leaky, *case)

    with pytest.raises(AssertionError, match="work history below threshold"):
        laws()


def record_of(*events: Mapping[str, object]) -> ContractRecord:
    """A fixed-price record of c-1 with these events."""
    return loads(
        json.dumps(
            {
                "format": "gigpolicy/1",
                "contract": {
                    "id": "c-1",
                    "kind": "fixed_price",
                    "currency": "USD",
                    "client": "cl",
                    "freelancer": "fl",
                    "started_at": "2026-01-01T00:00:00Z",
                },
                "events": [dict(event) for event in events],
            }
        )
    )


FUND: Final[Mapping[str, object]] = {
    "type": "milestone_funded",
    "at": "2026-01-01T01:00:00Z",
    "milestone": "m",
    "amount": "50.00",
}
SUBMIT: Final[Mapping[str, object]] = {"type": "work_submitted", "at": "2026-01-02T00:00:00Z", "milestone": "m"}


def test_records_fiverr_completion_contradicts_are_left_out() -> None:
    """A record whose pause comes after Fiverr's completion ended the order is not a case for Fiverr."""
    fiverr = get_policy("fiverr")
    paid: Mapping[str, object] = {
        "type": "milestone_released",
        "at": "2026-01-02T00:00:00Z",
        "milestone": "m",
        "amount": "50.00",
    }
    pause: Mapping[str, object] = {"type": "contract_paused", "at": "2026-01-03T00:00:00Z", "by": "client"}
    assert (True, False) == (
        testing_laws._replays(record_of(FUND, paid), fiverr),
        testing_laws._replays(record_of(FUND, paid, pause), fiverr),
    )


def test_until_follows_versions_with_other_automatic_steps() -> None:
    """By name, a later version with a shorter review period releases the milestone at its own time."""
    slow = attrs.evolve(BARE, name="versioned", replay_rules=ReplayRules(auto_release_after=timedelta(days=30)))
    fast = attrs.evolve(
        slow, effective_from=date(2026, 1, 10), replay_rules=ReplayRules(auto_release_after=timedelta(days=3))
    )
    register_policy(slow, fast)
    try:
        record = record_of(FUND, SUBMIT)
        at = datetime(2026, 1, 5, tzinfo=UTC)
        report = evaluate(record, at=at, policy="versioned")
        # from 2026-01-10 the new version's 3 days have long passed: the escrow is paid out then
        later = evaluate(record, at=datetime(2026, 1, 10, tzinfo=UTC), policy="versioned")
        assert Decimal("50.00") == later.state.paid.amount
        ledger, now = replayed_under(record, at=at, rules=slow.replay_rules)
        timeline = _Timeline(record, PolicyClock(slow, by_name=True), now, ledger)
        policy, state = timeline.at(datetime(2026, 1, 11, tzinfo=UTC), slow, report.state)
        assert (fast, Decimal("50.00")) == (policy, state.paid.amount)
        again = timeline.at(datetime(2026, 1, 11, tzinfo=UTC), slow, report.state)
        assert state is again[1]
    finally:
        _REGISTRY.pop("versioned", None)
