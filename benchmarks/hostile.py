"""Time and memory of every command on the most expensive records we know of, within the limits.

    python benchmarks/hostile.py                 # every shape, every command (several minutes)
    python benchmarks/hostile.py --shape removals --command explain
    python benchmarks/hostile.py --timeout 60    # give up on a command after 60 s (the default: 120)

Each shape is a record (or a batch input) built to the edge of a limit in one way: the longest
history of one kind of event, the most milestones, the most hourly weeks, the largest text of
unknown keys. Each command runs in a process of its own, like a user's, and the table gives its
wall time and the peak resident memory of that process (``ru_maxrss``). The target of the second
hardening issue: every command on every shape in at most 2 s and 300 MB on the project's
two-core machine. The figures go in the threat model (``docs/explanation/threat-model.md``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from gigpolicy._ledger import MAX_MILESTONES
from gigpolicy._record import MAX_EVENTS

START = datetime(2017, 1, 5, 9, tzinfo=UTC)
DORMANCY_ERA = datetime(2026, 1, 5, 9, tzinfo=UTC)
"""A start under Upwork's rules of 2025-05-01, which close dormant contracts: looking ahead meets them."""
TARGET_SECONDS = 2.0
TARGET_MB = 300.0

Event = dict[str, object]


def _at(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _contract(kind: str = "fixed_price", start: datetime = START) -> dict[str, object]:
    contract: dict[str, object] = {
        "id": "hostile",
        "marketplace": "upwork",
        "kind": kind,
        "currency": "USD",
        "client": "c",
        "freelancer": "f",
        "started_at": _at(start),
    }
    if kind == "hourly":
        contract["hourly_rate"] = "10.00"
    return contract


def _text(events: list[Event], kind: str = "fixed_price", start: datetime = START) -> str:
    return json.dumps({"format": "gigpolicy/1", "contract": _contract(kind, start), "events": events})


def _seconds(start: datetime = START) -> Iterator[str]:
    at = start
    while True:
        at += timedelta(seconds=1)
        yield _at(at)


def _ended(clock: Iterator[str], count: int) -> list[Event]:
    """One paid milestone and the end: what end-of-contract feedback needs."""
    events: list[Event] = [
        {"type": "milestone_funded", "at": next(clock), "milestone": "m", "amount": "10.00"},
        {"type": "milestone_released", "at": next(clock), "milestone": "m", "amount": "10.00"},
        {"type": "contract_ended", "at": next(clock), "by": "client"},
    ]
    return events[:count]


def _milestones_after(history: str, start: datetime = START) -> tuple[str, datetime]:
    """MAX_MILESTONES milestones each submitted at its own second, after a long history."""
    clock = _seconds(start)
    events: list[Event] = []
    for _ in range(MAX_EVENTS - 2 * MAX_MILESTONES):
        at = next(clock)
        if history == "bonuses":
            events.append({"type": "bonus_paid", "at": at, "amount": "1.00"})
        else:
            events.append({"type": "feedback_left", "at": at, "by": "client", "kind": "mid_contract", "rating": "5"})
    for verb in ("milestone_funded", "work_submitted"):
        for index in range(MAX_MILESTONES):
            event: Event = {"type": verb, "at": next(clock), "milestone": f"m{index}"}
            if verb == "milestone_funded":
                event["amount"] = "1.00"
            events.append(event)
    return _text(events, start=start), start + timedelta(hours=6)


def submitted_after_bonuses() -> tuple[str, datetime]:
    """1,000 milestones submitted one second apart after 18,000 bonuses: a release ahead per milestone."""
    return _milestones_after("bonuses")


def submitted_under_dormancy() -> tuple[str, datetime]:
    """The same in 2026, under rules that close dormant contracts: the closure lies past every release ahead."""
    return _milestones_after("bonuses", DORMANCY_ERA)


def submitted_after_feedback() -> tuple[str, datetime]:
    """The same after 18,000 mid-contract feedbacks."""
    return _milestones_after("feedback")


def responses() -> tuple[str, datetime]:
    """10,000 responses after 9,998 mid-contract feedbacks and one public one."""
    clock = _seconds()
    events: list[Event] = [
        {"type": "feedback_left", "at": next(clock), "by": "client", "kind": "mid_contract", "rating": "5"}
        for _ in range(9_996)
    ]
    events += _ended(clock, 3)
    events.append({"type": "feedback_left", "at": next(clock), "by": "client", "kind": "public", "rating": "5"})
    events += [{"type": "feedback_response", "at": next(clock), "by": "freelancer"} for _ in range(10_000)]
    return _text(events), START + timedelta(days=1)


def edited_feedback() -> tuple[str, datetime]:
    """The client's public feedback, the freelancer's one enabled edit, then 19,995 edits of it."""
    clock = _seconds()
    events = _ended(clock, 3)
    edit: Event = {"type": "feedback_left", "at": next(clock), "by": "client", "kind": "public", "rating": "4"}
    events.append(edit)
    events.append({"type": "feedback_edit_enabled", "at": next(clock), "by": "freelancer"})
    events += [{**edit, "at": next(clock)} for _ in range(MAX_EVENTS - 5)]
    return _text(events), START + timedelta(days=1)


def removals() -> tuple[str, datetime]:
    """Mid-contract feedback and its removal, 9,998 times."""
    clock = _seconds()
    events: list[Event] = []
    for _ in range(MAX_EVENTS // 2 - 1):
        left = {"type": "feedback_left", "at": next(clock), "by": "client", "kind": "mid_contract"}
        events.append({**left, "rating": "1"})
        events.append({"type": "feedback_removed", "at": next(clock), "author": "client", "reason": "tos"})
    return _text(events), START + timedelta(days=1)


def funded_milestones() -> tuple[str, datetime]:
    """1,000 funded milestones, nothing submitted: one future per milestone for `options`."""
    clock = _seconds()
    events: list[Event] = [
        {"type": "milestone_funded", "at": next(clock), "milestone": f"m{index}", "amount": "1.00"}
        for index in range(MAX_MILESTONES)
    ]
    return _text(events), START + timedelta(hours=1)


def funded_after_bonuses() -> tuple[str, datetime]:
    """1,000 funded milestones after 19,000 bonuses."""
    clock = _seconds()
    events: list[Event] = [
        {"type": "bonus_paid", "at": next(clock), "amount": "1.00"} for _ in range(MAX_EVENTS - MAX_MILESTONES)
    ]
    events += [
        {"type": "milestone_funded", "at": next(clock), "milestone": f"m{index}", "amount": "1.00"}
        for index in range(MAX_MILESTONES)
    ]
    return _text(events), START + timedelta(hours=6)


def future_weeks() -> tuple[str, datetime]:
    """1,001 billed hourly weeks whose week_ending lies after the instant judged: 1,001 boundaries."""
    clock = _seconds()
    first_sunday = date(2017, 1, 8)
    events: list[Event] = [
        {
            "type": "hours_billed",
            "at": next(clock),
            "week_ending": (first_sunday + timedelta(weeks=index)).isoformat(),
            "hours": "1",
            "amount": "10.00",
        }
        for index in range(1_001)
    ]
    return _text(events, "hourly"), START + timedelta(hours=1)


def billed_weeks() -> tuple[str, datetime]:
    """20,000 billed hourly weeks, all in the past: one dispute window a week for the timeline."""
    first_sunday = date(1990, 1, 7)
    events: list[Event] = [
        {
            "type": "hours_billed",
            "at": _at(datetime.combine(first_sunday + timedelta(weeks=index, days=1), datetime.min.time(), UTC)),
            "week_ending": (first_sunday + timedelta(weeks=index)).isoformat(),
            "hours": "1",
            "amount": "10.00",
        }
        for index in range(MAX_EVENTS)
    ]
    contract = {**_contract("hourly"), "started_at": "1990-01-01T00:00:00Z"}
    text = json.dumps({"format": "gigpolicy/1", "contract": contract, "events": events})
    return text, datetime(2373, 1, 1, tzinfo=UTC)


def _filler(size: int) -> str:
    """Unknown keys of the contract, about *size* bytes of them."""
    keys = ",".join(f'"x{index}":0' for index in range(size // 13))
    contract = json.dumps(_contract())[1:-1]
    return f'{{"format": "gigpolicy/1", "contract": {{{contract}, {keys}}}, "events": []}}'


def unknown_keys() -> tuple[str, datetime]:
    """About 60 MB of unknown keys (the text limit is 64 MiB), 4.6 million of them: each one a problem."""
    return _filler(60_000_000), START


def number_events() -> tuple[str, datetime]:
    """An events list of 12 million numbers (``1e1``), within the 64 MiB text limit."""
    body = ",".join(["1e1"] * 12_000_000)
    return f'{{"format": "gigpolicy/1", "contract": {json.dumps(_contract())}, "events": [{body}]}}', START


def empty_events() -> tuple[str, datetime]:
    """An events list of 20 million empty objects, within the 64 MiB text limit."""
    body = ",".join(["{}"] * 20_000_000)
    return f'{{"format": "gigpolicy/1", "contract": {json.dumps(_contract())}, "events": [{body}]}}', START


SHAPES: dict[str, Callable[[], tuple[str, datetime]]] = {
    "submitted-after-bonuses": submitted_after_bonuses,
    "submitted-after-feedback": submitted_after_feedback,
    "submitted-under-dormancy": submitted_under_dormancy,
    "responses": responses,
    "edited-feedback": edited_feedback,
    "removals": removals,
    "funded-milestones": funded_milestones,
    "funded-after-bonuses": funded_after_bonuses,
    "future-weeks": future_weeks,
    "billed-weeks": billed_weeks,
    "unknown-keys": unknown_keys,
    "number-events": number_events,
    "empty-events": empty_events,
}

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{file}"],
    "explain": ["explain", "{file}", "--at", "{at}"],
    "explain --json": ["explain", "{file}", "--at", "{at}", "--json"],
    "options": ["options", "{file}", "--at", "{at}", "--as", "freelancer"],
    "options --json": ["options", "{file}", "--at", "{at}", "--as", "client", "--json"],
    "timeline": ["timeline", "{file}", "--at", "{at}"],
    "timeline --svg": ["timeline", "{file}", "--at", "{at}", "--svg", "-"],
    "deadlines": ["deadlines", "{file}", "--at", "{at}"],
    "deadlines --ics": ["deadlines", "{file}", "--at", "{at}", "--ics", "-"],
    # the version in force at the instant judged against the newest: looking ahead under both
    "compare": ["compare", "{file}", "--at", "{at}", "--policy", "upwork", "--policy", "upwork@2025-05-01"],
    "score": ["score", "{file}", "--freelancer", "f", "--at", "{at}"],
    "batch": ["batch", "{line}", "--at", "{at}"],
}


_RUNNER = """
import json, os, signal, subprocess, sys, time
for line in sys.stdin:
    argv, timeout = json.loads(line)
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            cpu = usage.ru_utime + usage.ru_stime
            result = [time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]
            break
        if time.perf_counter() - started > timeout:
            process.send_signal(signal.SIGKILL)
            _, _, usage = os.wait4(process.pid, 0)
            result = [timeout, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, None]
            break
        time.sleep(0.01)
    print(json.dumps(result), flush=True)
"""


class Runner:
    """A small process that starts each command and measures it.

    A child's peak memory (``ru_maxrss``) counts the image of the process it was forked from, so
    the commands are not started from this one, which holds the large records: a process started
    before any record was built starts them.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def measure(self, argv: list[str], timeout: float) -> tuple[float, float, float, int | None]:
        """Wall and CPU seconds, peak resident MB and exit code of one command (``None``: timed out).

        CPU seconds (user and system) are what the command itself took: on a machine busy with
        other work, the wall time grows while they stay.
        """
        assert self.process.stdin is not None  # a pipe
        assert self.process.stdout is not None  # a pipe
        self.process.stdin.write(json.dumps([argv, timeout]) + "\n")
        self.process.stdin.flush()
        seconds, cpu, mb, code = json.loads(self.process.stdout.readline())
        return seconds, cpu, mb, code


def main() -> None:
    """Build each shape, run each command on it, and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    parser.add_argument("--command", action="append", choices=sorted(COMMANDS))
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    print("| shape | size | command | seconds | CPU seconds | peak MB | exit |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    worst_seconds = worst_cpu = worst_mb = 0.0
    runner = Runner()
    with tempfile.TemporaryDirectory() as folder:
        for name in args.shape or SHAPES:
            text, at = SHAPES[name]()
            record = Path(folder, f"{name}.json")
            record.write_text(text, encoding="utf-8")
            line = Path(folder, f"{name}.jsonl")
            line.write_text(text.replace("\n", " ") + "\n", encoding="utf-8")
            for command in args.command or COMMANDS:
                argv = [sys.executable, "-m", "gigpolicy"]
                argv += [part.format(file=record, line=line, at=_at(at)) for part in COMMANDS[command]]
                seconds, cpu, mb, code = runner.measure(argv, args.timeout)
                worst_seconds, worst_cpu, worst_mb = max(worst_seconds, seconds), max(worst_cpu, cpu), max(worst_mb, mb)
                shown = f"{seconds:.2f}" if code is not None else f"> {args.timeout:.0f}"
                size = f"{len(text.encode()) / 1e6:.1f} MB"
                print(f"| {name} | {size} | {command} | {shown} | {cpu:.2f} | {mb:.0f} | {code} |", flush=True)
    verdict = "met" if worst_seconds <= TARGET_SECONDS and worst_mb <= TARGET_MB else "not met"
    target = f"target {TARGET_SECONDS} s, {TARGET_MB:.0f} MB: {verdict}"
    print(f"\nworst: {worst_seconds:.2f} s ({worst_cpu:.2f} s of CPU), {worst_mb:.0f} MB ({target})")


if __name__ == "__main__":
    main()
