"""Deterministic records of a chosen size for the benchmarks."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Final

import gigpolicy

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
AT = START + timedelta(days=6)
"""The instant the benchmarks judge at."""
VARIED = 10_000
"""Different records in the batch input (a longer input repeats them)."""
ROOT: Final = Path(__file__).resolve().parent.parent


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


def _golden() -> ModuleType:
    sys.path.insert(0, str(ROOT))
    from tests import golden_outputs as golden  # noqa: PLC0415 - the repository's own generator, beside the tests that use it

    return golden


def varied_records(count: int = VARIED) -> list[tuple[str, datetime]]:
    """*count* different small records, each with the instant tests/golden_outputs.py judges it at.

    That file's walk makes records of 0 to 14 events, of every kind and marketplace.
    """
    return list(_golden().records(count))


_INSTANT: Final = re.compile(r"\d{4}-\d\d-\d\dT")


def judged_at(varied: list[tuple[str, datetime]], at: datetime = AT) -> list[tuple[str, datetime]]:
    """The *varied* records moved in time so that *at* judges each at its own instant, as one ``--at`` of a batch must.

    Judged at one instant as they are, nearly half of them would be judged before they start (their
    instants span two years), which costs a batch far less than a record judged in its life does.
    Every instant of a record moves by the difference between *at* and its own instant; a week of
    hours moves to the Sunday on or before its own plus that difference, so that weeks still end on
    Sundays, keep their order and end before their billing. A record that the rules in force at *at*
    refuse (a newer version's automatic step before one of its events) is left out.
    """
    moved: list[tuple[str, datetime]] = []
    for text, own in varied:
        later = json.dumps(_moved(json.loads(text), at - own))
        with contextlib.suppress(gigpolicy.GigPolicyError):
            gigpolicy.evaluate(gigpolicy.loads(later), at=at)
            moved.append((later, at))
    return moved


def _moved(value: object, shift: timedelta, key: str | None = None) -> object:
    """*value* (JSON data of a record) with its instants moved by *shift*, and its weeks to the Sunday on or before."""
    if isinstance(value, dict):
        return {name: _moved(item, shift, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_moved(item, shift) for item in value]
    if isinstance(value, str) and _INSTANT.match(value):
        return (datetime.fromisoformat(value) + shift).isoformat().replace("+00:00", "Z")
    if key == "week_ending" and isinstance(value, str):
        day = date.fromisoformat(value) + shift
        return (day - timedelta(days=(day.weekday() + 1) % 7)).isoformat()
    return value
