"""Deterministic records of a chosen size for the benchmarks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _at(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def four_events() -> str:
    """The Cedar comparison's case: fixed price, paid, ended by the freelancer, within 14 days."""
    events: list[dict[str, object]] = [
        {"type": "milestone_funded", "at": _at(START + timedelta(minutes=5)), "milestone": "m1", "amount": "500.00"},
        {"type": "work_submitted", "at": _at(START + timedelta(days=3)), "milestone": "m1"},
        {"type": "milestone_released", "at": _at(START + timedelta(days=4)), "milestone": "m1", "amount": "500.00"},
        {"type": "contract_ended", "at": _at(START + timedelta(days=4, hours=1)), "by": "freelancer"},
    ]
    return _record("c-4", "fixed_price", events)


def fixed_price(events: int) -> str:
    """A fixed-price contract of about *events* events: milestones funded, submitted, released."""
    out: list[dict[str, object]] = []
    at = START
    index = 0
    while len(out) + 3 <= events - 1:
        index += 1
        milestone = f"m{(index - 1) % 500 + 1}"  # funded again after its release: records hold at most 1,000
        out.append({"type": "milestone_funded", "at": _at(at), "milestone": milestone, "amount": "250.00"})
        at += timedelta(days=2)
        out.append({"type": "work_submitted", "at": _at(at), "milestone": milestone})
        at += timedelta(days=1)
        out.append({"type": "milestone_released", "at": _at(at), "milestone": milestone, "amount": "250.00"})
        at += timedelta(hours=5)
    while len(out) < events - 1:
        out.append({"type": "bonus_paid", "at": _at(at), "amount": "10.00"})
        at += timedelta(hours=1)
    out.append({"type": "contract_ended", "at": _at(at), "by": "client"})
    return _record(f"c-{events}", "fixed_price", out)


def _record(identifier: str, kind: str, events: list[dict[str, object]]) -> str:
    return json.dumps(
        {
            "format": "gigpolicy/1",
            "contract": {
                "id": identifier,
                "marketplace": "upwork",
                "kind": kind,
                "currency": "USD",
                "client": "client-1",
                "freelancer": "fl-1",
                "started_at": _at(START),
            },
            "events": events,
        }
    )
