"""Time the worst records we know of: every milestone's release still ahead, after a long history.

Run with ``python benchmarks/hostile.py``; the figures go in the threat model by hand. Each
record funds MILESTONES milestones and submits each at its own second, after HISTORY events of
one kind (bonuses, or mid-contract feedback), and is judged an hour after the last submission,
so every automatic release is still ahead of ``evaluate``'s look-ahead.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import gigpolicy
from gigpolicy._ledger import MAX_MILESTONES
from gigpolicy._record import MAX_EVENTS

START = datetime(2017, 1, 5, 9, tzinfo=UTC)
MILESTONES = MAX_MILESTONES
HISTORY = MAX_EVENTS - 2 * MAX_MILESTONES


def _at(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def hostile(history: str) -> tuple[str, datetime]:
    """The record text, and the instant to judge it at."""
    events: list[dict[str, str]] = []
    at = START
    for _ in range(HISTORY):
        at += timedelta(seconds=1)
        if history == "bonuses":
            events.append({"type": "bonus_paid", "at": _at(at), "amount": "1.00"})
        else:
            events.append(
                {"type": "feedback_left", "at": _at(at), "by": "client", "kind": "mid_contract", "rating": "5"}
            )
    for verb in ("milestone_funded", "work_submitted"):
        for index in range(MILESTONES):
            at += timedelta(seconds=1)
            event = {"type": verb, "at": _at(at), "milestone": f"m{index}"}
            if verb == "milestone_funded":
                event["amount"] = "1.00"
            events.append(event)
    contract = {
        "id": "hostile",
        "marketplace": "upwork",
        "kind": "fixed_price",
        "currency": "USD",
        "client": "c",
        "freelancer": "f",
        "started_at": _at(START),
    }
    return json.dumps({"format": "gigpolicy/1", "contract": contract, "events": events}), at + timedelta(hours=1)


def main() -> None:
    """Print loads, evaluate and options times for each kind of history."""
    for history in ("bonuses", "mid-contract feedback"):
        text, at = hostile(history)
        started = time.perf_counter()
        record = gigpolicy.loads(text)
        loaded = time.perf_counter()
        gigpolicy.evaluate(record, at=at)
        evaluated = time.perf_counter()
        gigpolicy.options(record, at=at, party="freelancer")
        done = time.perf_counter()
        print(
            f"{len(record.events):,} events ({MILESTONES:,} milestones after {HISTORY:,} {history}):"
            f" loads {loaded - started:.2f} s, evaluate {evaluated - loaded:.2f} s, options {done - evaluated:.2f} s"
        )


if __name__ == "__main__":
    main()
