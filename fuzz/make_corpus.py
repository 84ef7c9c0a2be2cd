"""Write a seed corpus for the fuzz harness: valid records, one file each.

Usage: ``.venv/bin/python fuzz/make_corpus.py fuzz/corpus [COUNT]`` (200 by default). Most
records are drawn from ``gigpolicy.testing`` (both kinds, every event type, several
currencies), so the fuzzer starts deep inside the format instead of having to discover JSON. A
few more are large (``large-*.json``, thousands of events, up to about 600 KB: run the fuzzer
with ``-max_len`` above that), so that it also mutates records near the limits, where time and
memory are at stake.
"""

# ruff: noqa: INP001 - a script directory, not a package
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from hypothesis import HealthCheck, given, settings

from gigpolicy import ContractRecord, dumps
from gigpolicy.testing import records

Event = dict[str, str]

_START: Final = datetime(2016, 7, 4, 9, tzinfo=UTC)
"""A Monday, after the first Upwork policy version."""
_HOUR: Final = timedelta(hours=1)


def _at(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _record(name: str, kind: str, events: list[Event], **terms: str) -> str:
    contract = {
        "id": f"large-{name}",
        "marketplace": "upwork",
        "kind": kind,
        "currency": "USD",
        "client": "client-1",
        "freelancer": "fl-1",
        "started_at": _at(_START),
        **terms,
    }
    return json.dumps({"format": "gigpolicy/1", "contract": contract, "events": events}, separators=(",", ":"))


def _ending(at: datetime, by: str) -> list[Event]:
    """The contract ended by *by* at *at*, then feedback both ways and a response."""
    return [
        {"type": "contract_ended", "at": _at(at), "by": by, "reason": "done"},
        {"type": "feedback_left", "at": _at(at + _HOUR), "by": "client", "kind": "public", "rating": "4.5"},
        {"type": "feedback_left", "at": _at(at + 2 * _HOUR), "by": "freelancer", "kind": "public", "rating": "5"},
        {"type": "feedback_response", "at": _at(at + 3 * _HOUR), "by": "freelancer"},
    ]


def large_hourly(weeks: int = 2_500) -> str:
    """An hourly contract billed every week for *weeks* weeks, a week disputed now and then, a bonus each year."""
    events: list[Event] = []
    for week in range(weeks):
        sunday = _START.date() + timedelta(days=6 + 7 * week)
        billed = datetime.combine(sunday + timedelta(days=1), datetime.min.time(), UTC) + 10 * _HOUR
        week_ending = sunday.isoformat()
        events.append(
            {"type": "hours_billed", "at": _at(billed), "week_ending": week_ending, "hours": "10", "amount": "500.00"}
        )
        if week % 50 == 7:  # noqa: PLR2004 - a disputed week now and then
            events.append({"type": "hours_disputed", "at": _at(billed + _HOUR), "week_ending": week_ending})
        if week % 52 == 51:  # noqa: PLR2004 - a yearly bonus
            events.append({"type": "bonus_paid", "at": _at(billed + 2 * _HOUR), "amount": "100.00"})
    last = datetime.fromisoformat(events[-1]["at"])
    return _record("hourly", "hourly", events + _ending(last + timedelta(days=1), "client"), hourly_rate="50.00")


def large_milestones(count: int = 900) -> str:
    """A fixed-price contract whose *count* milestones are each funded, submitted and released in turn."""
    events: list[Event] = []
    at = _START
    for index in range(count):
        milestone = f"m{index}"
        for verb in ("milestone_funded", "work_submitted", "milestone_released"):
            at += _HOUR
            event = {"type": verb, "at": _at(at), "milestone": milestone}
            if verb != "work_submitted":
                event["amount"] = "25.00"
            events.append(event)
    return _record("milestones", "fixed_price", events + _ending(at + _HOUR, "freelancer"))


def large_history(count: int = 3_000) -> str:
    """A funded milestone under a long history: bonuses, mid-contract feedback both ways, pauses."""
    at = _START + _HOUR
    events: list[Event] = [{"type": "milestone_funded", "at": _at(at), "milestone": "m1", "amount": "1000.00"}]
    kinds: list[Callable[[str], Event]] = [
        lambda when: {"type": "bonus_paid", "at": when, "amount": "5.00"},
        lambda when: {"type": "feedback_left", "at": when, "by": "client", "kind": "mid_contract", "rating": "4"},
        lambda when: {"type": "feedback_left", "at": when, "by": "freelancer", "kind": "mid_contract", "rating": "5"},
        lambda when: {"type": "contract_paused", "at": when, "by": "client"},
        lambda when: {"type": "contract_resumed", "at": when, "by": "client"},
    ]
    for index in range(count):
        at += timedelta(minutes=30)
        events.append(kinds[index % len(kinds)](_at(at)))
    events += [
        {"type": "work_submitted", "at": _at(at + _HOUR), "milestone": "m1"},
        {"type": "milestone_released", "at": _at(at + 2 * _HOUR), "milestone": "m1", "amount": "1000.00"},
    ]
    return _record("history", "fixed_price", events + _ending(at + 3 * _HOUR, "client"))


def large_open(count: int = 12, rounds: int = 20) -> str:
    """Milestones still open: each funded, then *rounds* of submissions and requested changes, none released."""
    events: list[Event] = []
    at = _START
    for index in range(count):
        at += _HOUR
        events.append({"type": "milestone_funded", "at": _at(at), "milestone": f"m{index}", "amount": "10.00"})
    for _ in range(rounds):
        for verb in ("work_submitted", "changes_requested"):
            for index in range(count):
                at += timedelta(minutes=1)
                events.append({"type": verb, "at": _at(at), "milestone": f"m{index}"})
    return _record("open", "fixed_price", events)


LARGE: Final = {
    "hourly": large_hourly,
    "milestones": large_milestones,
    "history": large_history,
    "open": large_open,
}
"""The large seed records, by name."""


def main(target: Path, count: int) -> None:
    """Draw *count* records and write them as ``seed-NNNN.json`` under *target*, and the large ones as well."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[ContractRecord] = []

    @settings(max_examples=count, database=None, suppress_health_check=list(HealthCheck))
    @given(records(max_events=25))
    def draw(record: ContractRecord) -> None:
        written.append(record)

    draw()
    for number, record in enumerate(written):
        (target / f"seed-{number:04d}.json").write_text(dumps(record, indent=None), encoding="utf-8")
    for name, build in LARGE.items():
        # the last byte steers the harness: a space judges under the record's own policy, as the freelancer
        (target / f"large-{name}.json").write_text(build() + " ", encoding="utf-8")
    sys.stdout.write(f"{len(written)} seed records and {len(LARGE)} large ones in {target}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)  # noqa: PLR2004 - an optional count
