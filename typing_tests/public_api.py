"""Type-checked, never run: the public API keeps the types it promises."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import assert_type

import attrs

import gigpolicy
from gigpolicy import (
    ContractRecord,
    ContractState,
    Decision,
    Earnings,
    Money,
    Party,
    Policy,
    Question,
    Report,
    UpworkPolicy,
)


def check(record: ContractRecord) -> None:
    at = datetime(2026, 11, 3, tzinfo=UTC)
    assert_type(gigpolicy.loads(gigpolicy.dumps(record)), ContractRecord)
    assert_type(gigpolicy.replay(record, at=at), ContractState)
    report = gigpolicy.evaluate(record, at=at, policy="upwork")
    assert_type(report, Report)
    assert_type(report.decision(Question.PUBLIC_FEEDBACK, Party.CLIENT), Decision)
    assert_type(report.decision("public_feedback", "client").until, datetime | None)
    assert_type(report.earnings, Earnings)
    assert_type(report.earnings.net, Money)
    assert_type(Money.of("1.00", "USD").amount, Decimal)
    assert_type(gigpolicy.get_policy("upwork"), Policy)
    assert_type(gigpolicy.available_policies(), tuple[str, ...])
    upwork = UpworkPolicy(name="mine", effective_from=at.date())
    assert_type(attrs.evolve(upwork, feedback_window_days=30), UpworkPolicy)
