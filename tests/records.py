"""Short builders of terms, events, records and record JSON for the scenario tests."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import attrs

from gigpolicy import (
    AccountSuspended,
    BonusPaid,
    ChangesRequested,
    ContractEnded,
    ContractKind,
    ContractPaused,
    ContractRecord,
    ContractResumed,
    ContractState,
    ContractTerms,
    DisputeOpened,
    DisputeResolved,
    EscrowReturned,
    Event,
    FeedbackEditEnabled,
    FeedbackKind,
    FeedbackLeft,
    FeedbackRemoved,
    FeedbackResponse,
    HoursBilled,
    HoursDisputed,
    InvalidRecord,
    JobReported,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    RefundIssued,
    WorkSubmitted,
)

START: Final = datetime(2026, 11, 2, 15, tzinfo=UTC)
"""When every test contract starts (a Monday)."""
SUNDAY: Final = date(2026, 11, 8)
"""The first Sunday after :data:`START`: the end of the contract's first hourly week."""

CLIENT: Final = Party.CLIENT
FREELANCER: Final = Party.FREELANCER

_TERMS: Final = ContractTerms(
    id="c-1",
    kind=ContractKind.FIXED_PRICE,
    currency="USD",
    client="client-42",
    freelancer="fl-7",
    started_at=START,
)


def day(days: float = 0, *, hours: float = 0, minutes: float = 0) -> datetime:
    """The instant *days* (and *hours*, *minutes*) after :data:`START`."""
    return START + timedelta(days=days, hours=hours, minutes=minutes)


def usd(amount: str | int) -> Money:
    """US dollars."""
    return Money.of(amount, "USD")


def week(number: int) -> date:
    """The Sunday that ends the contract's *number*-th hourly week (1 is the first)."""
    return SUNDAY + timedelta(weeks=number - 1)


def terms(kind: ContractKind = ContractKind.FIXED_PRICE, **changes: Any) -> ContractTerms:
    """Valid terms of a USD contract, with *changes*."""
    return attrs.evolve(_TERMS, kind=kind, **changes)


def fixed(*events: Event) -> ContractRecord:
    """A fixed-price USD record of *events*."""
    return ContractRecord(contract=terms(), events=events)


def hourly(*events: Event) -> ContractRecord:
    """An hourly USD record of *events*."""
    return ContractRecord(contract=terms(ContractKind.HOURLY), events=events)


def paths(error: InvalidRecord) -> list[str]:
    """The path of every single problem *error* stands for, in order."""
    return [single.path for single in error.errors]


def balance(state: ContractState) -> Money:
    """``escrow + paid + escrow_returned``: what the money identity says equals ``deposited``."""
    return state.escrow + state.paid + state.escrow_returned


# -- events, one builder each, amounts in USD -------------------------------------------------


def fund(when: datetime, amount: str = "500.00", milestone: str = "m1") -> MilestoneFunded:
    return MilestoneFunded(at=when, milestone=milestone, amount=usd(amount))


def submit(when: datetime, milestone: str = "m1") -> WorkSubmitted:
    return WorkSubmitted(at=when, milestone=milestone)


def request_changes(when: datetime, milestone: str = "m1") -> ChangesRequested:
    return ChangesRequested(at=when, milestone=milestone)


def release(when: datetime, amount: str = "500.00", milestone: str = "m1") -> MilestoneReleased:
    return MilestoneReleased(at=when, milestone=milestone, amount=usd(amount))


def give_back(when: datetime, amount: str = "500.00", milestone: str = "m1") -> EscrowReturned:
    return EscrowReturned(at=when, milestone=milestone, amount=usd(amount))


def bill(when: datetime, ending: date = SUNDAY, amount: str = "400.00", hours: str = "10") -> HoursBilled:
    return HoursBilled(at=when, week_ending=ending, hours=Decimal(hours), amount=usd(amount))


def dispute_hours(when: datetime, ending: date = SUNDAY) -> HoursDisputed:
    return HoursDisputed(at=when, week_ending=ending)


def bonus(when: datetime, amount: str = "50.00") -> BonusPaid:
    return BonusPaid(at=when, amount=usd(amount))


def refund(when: datetime, amount: str = "50.00") -> RefundIssued:
    return RefundIssued(at=when, amount=usd(amount))


def open_dispute(when: datetime, by: Party = FREELANCER, milestone: str | None = None) -> DisputeOpened:
    return DisputeOpened(at=when, by=by, milestone=milestone)


def resolve(when: datetime, to_freelancer: str, to_client: str) -> DisputeResolved:
    return DisputeResolved(at=when, to_freelancer=usd(to_freelancer), to_client=usd(to_client))


def pause(when: datetime, by: Party = CLIENT) -> ContractPaused:
    return ContractPaused(at=when, by=by)


def resume(when: datetime, by: Party = CLIENT) -> ContractResumed:
    return ContractResumed(at=when, by=by)


def end(when: datetime, by: Party = FREELANCER, reason: str | None = None) -> ContractEnded:
    return ContractEnded(at=when, by=by, reason=reason)


def feedback(
    when: datetime, by: Party = CLIENT, kind: FeedbackKind = FeedbackKind.PUBLIC, rating: str = "5"
) -> FeedbackLeft:
    return FeedbackLeft(at=when, by=by, kind=kind, rating=Decimal(rating))


def respond(when: datetime, by: Party = FREELANCER) -> FeedbackResponse:
    return FeedbackResponse(at=when, by=by)


def enable_edit(when: datetime, by: Party = FREELANCER) -> FeedbackEditEnabled:
    return FeedbackEditEnabled(at=when, by=by)


def remove_feedback(when: datetime, author: Party = CLIENT) -> FeedbackRemoved:
    return FeedbackRemoved(at=when, author=author, reason="violates the terms")


def suspend(when: datetime, party: Party = CLIENT) -> AccountSuspended:
    return AccountSuspended(at=when, party=party, reason="tos_violation")


def report(when: datetime, by: Party = FREELANCER) -> JobReported:
    return JobReported(at=when, by=by, reason="unethical request")


# -- JSON -------------------------------------------------------------------------------------


def contract_data(**changes: object) -> dict[str, object]:
    """The ``contract`` object of a valid fixed-price USD record, with *changes* (``None`` deletes)."""
    data: dict[str, object] = {
        "id": "c-1001",
        "marketplace": "upwork",
        "kind": "fixed_price",
        "currency": "USD",
        "client": "client-42",
        "freelancer": "fl-7",
        "started_at": "2026-11-02T15:00:00Z",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def record_data(*events: Mapping[str, object], **contract_changes: object) -> dict[str, object]:
    """A whole record as parsed JSON."""
    return {"format": "gigpolicy/1", "contract": contract_data(**contract_changes), "events": list(events)}


def record_text(*events: Mapping[str, object], **contract_changes: object) -> str:
    """A whole record as JSON text."""
    return json.dumps(record_data(*events, **contract_changes))


# -- examples ---------------------------------------------------------------------------------


def example(name: str) -> ModuleType:
    """The module of ``examples/<name>.py``, imported from its file (``examples`` is not a package)."""
    path = Path(__file__).resolve().parent.parent / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs resolves the annotations of the example's classes through it
    spec.loader.exec_module(module)
    return module
