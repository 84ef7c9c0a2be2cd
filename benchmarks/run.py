"""Run the benchmarks and write the table to docs/reference/benchmarks.md.

    python -m pip install -e '.[bench]'
    python benchmarks/run.py            # all of them (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats
    python benchmarks/run.py --million  # also a batch of 1,000,000 lines (several more minutes)

Figures are medians per call of several repeats, measured in one process, side by side, so
their ratios hold on any machine even when the absolute times do not; ``loads`` and
``json.loads`` are timed in turn, repeat by repeat, and their ratio is the median of the pairs',
as are evaluate and Cedar for the targets' ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import mmap
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import localcontext
from pathlib import Path
from typing import Any, Final

import cedarpy

import gigpolicy
import gigpolicy._evaluate
from gigpolicy import Party
from gigpolicy._batch import _STEPS, CHUNK, SLOT_BYTES, _job, _read, fewer_collections, into_slot, over_block
from gigpolicy._codec import _fast_parts
from gigpolicy._context import DECIMAL
from gigpolicy._decision import APPLIES_TO, EVERY_QUESTION, Decision, Question, Verdict
from gigpolicy._evaluate import Decided, Replayed, decided_from, replayed, reported
from gigpolicy._fees import _charges_forgotten, earnings
from gigpolicy._judge import _LAST, SETTLED
from gigpolicy._policy import RULES, Context, PolicyClock, rules_changed
from gigpolicy._record import ContractRecord
from gigpolicy._replay import replay_under
from gigpolicy._report_json import report_line

sys.path.insert(0, str(Path(__file__).parent))
from cedar_batch import cedar_batch_call  # type: ignore[import-not-found]  # beside this file
from page import PAGE, interpreter  # type: ignore[import-not-found]  # beside this file
from timing import median_seconds, paired_medians  # type: ignore[import-not-found]  # beside this file

from records import (  # type: ignore[import-not-found]  # beside this file
    AT,
    VARIED,
    fixed_price,
    four_events,
    judged_at,
    varied_records,
)

SMALL_EVENTS = 4
BIG_EVENTS = 61
WORKER_LINES = 2_048
"""Varied lines a batch worker's parts are timed over in one pass (eight blocks)."""
EACH_ONCE = 1_000
"""Varied records evaluated once each, in each of three passes over other records."""

CEDAR_POLICY = """
permit(principal, action == Action::"leave_public_feedback", resource)
when {
  principal == resource.client && resource.ended && resource.paid > 0 &&
  context.now < resource.feedback_closes && !resource.client_left_feedback
};
"""


def cedar_call() -> Callable[[], object]:
    """One Cedar decision with its policy and entities parsed once (its best case)."""
    policies = cedarpy.PolicySet.from_str(CEDAR_POLICY)
    closes = int(datetime(2026, 1, 24, tzinfo=UTC).timestamp())
    entities = cedarpy.Entities.from_json_str(
        json.dumps(
            [
                {"uid": {"type": "User", "id": "client-1"}, "attrs": {}, "parents": []},
                {
                    "uid": {"type": "Contract", "id": "c-4"},
                    "attrs": {
                        "client": {"__entity": {"type": "User", "id": "client-1"}},
                        "ended": True,
                        "paid": 50000,
                        "feedback_closes": closes,
                        "client_left_feedback": False,
                    },
                    "parents": [],
                },
            ]
        )
    )
    request = {
        "principal": 'User::"client-1"',
        "action": 'Action::"leave_public_feedback"',
        "resource": 'Contract::"c-4"',
        "context": {"now": int(AT.timestamp())},
    }
    result = cedarpy.is_authorized(request, policies, entities)
    assert result.decision == cedarpy.Decision.Allow, result.diagnostics
    return lambda: cedarpy.is_authorized(request, policies, entities)


# ru_maxrss survives exec on Linux, so a child of a large process would report the parent's
# peak; the kernel's VmHWM is this process's own (KiB), where /proc has it.
PEAK = """
def peak():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

BATCH_SCRIPT = (
    """
import resource, sys, time
from gigpolicy._cli import main
"""
    + PEAK
    + """
started = time.perf_counter()
code = main(sys.argv[1:])
took = time.perf_counter() - started
own = peak()
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"{took} {own} {workers}\\n")
sys.exit(code)
"""
)


def batch_run(lines: int, jobs: int, varied: list[tuple[str, datetime]]) -> tuple[float, float, int, int]:
    """``gigpolicy batch`` over *lines* small records (the *varied* ones, in turn), its output thrown away.

    Returns the seconds of the whole command, the seconds of the batch itself (without
    starting Python and importing gigpolicy), and the peak resident memory (KiB) of the
    main process (``VmHWM``) and of the largest worker process (``ru_maxrss``; 0 with one job).
    """
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for number in range(lines):
                handle.write(varied[number % len(varied)][0] + "\n")
        command = [
            sys.executable,
            "-c",
            BATCH_SCRIPT,
            "batch",
            str(source),
            "--at",
            AT.isoformat(),
            "--jobs",
            str(jobs),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
    took, own, workers = done.stderr.split()
    return elapsed, float(took), int(own), int(workers)


def start_up() -> tuple[float, int]:
    """Seconds to start Python and import the command line, and the resident memory (KiB) then."""
    script = (
        "import resource, sys, time\n"
        + PEAK
        + "started = time.perf_counter()\nimport gigpolicy._cli\n"
        + "sys.stdout.write(f'{time.perf_counter() - started} {peak()}')\n"
    )
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
        samples.append((time.perf_counter() - started, int(done.stdout.split()[1])))
    return statistics.median(seconds for seconds, _ in samples), max(rss for _, rss in samples)


TARGET_EVALUATE = 0.5
"""evaluate of the 4-event record, as a multiple of one Cedar decision."""
TARGET_LIKE_FOR_LIKE = 0.1
"""evaluate of the 4-event record, as a multiple of Cedar answering the same questions in one batch call."""
TARGET_OPTIONS = 0.002
"""Seconds of options per record."""
OPTIONS = 1_000
"""Varied records options is timed on, as the client and the freelancer in turn."""
TARGET_LOADS = 5
"""loads, as a multiple of json.loads of the same text."""
TARGET_GROWTH = 1.2
"""Per-event evaluate time from 1,000 to 10,000 events: at most this (linear is 1.00)."""
TARGET_BATCH = 20_000
"""Small records per second through gigpolicy batch with TARGET_JOBS processes."""
TARGET_JOBS = 2

BatchRow = tuple[int, int, float, float, int, int]


def targets(
    *,
    evaluated: float,
    like_for_like: float,
    loads_ratios: list[float],
    options_each: float,
    growth: float,
    batch_rows: list[BatchRow],
) -> list[str]:
    """The targets set for speed, each with what this run measured and whether it is met."""
    rate = max((lines / took for lines, jobs, _, took, _, _ in batch_rows if jobs == TARGET_JOBS), default=0.0)
    checks = [
        (
            f"evaluate of the 4-event record at most {TARGET_EVALUATE}x one Cedar decision",
            f"{evaluated:.2f}x",
            evaluated <= TARGET_EVALUATE,
        ),
        (
            f"the same, against the same questions in Cedar's batch call, at most {TARGET_LIKE_FOR_LIKE}x",
            f"{like_for_like:.2f}x",
            like_for_like <= TARGET_LIKE_FOR_LIKE,
        ),
        (
            f"loads at most {TARGET_LOADS}x json.loads of the same text (4 and 61 events)",
            ", ".join(f"{value:.2f}x" for value in loads_ratios),
            max(loads_ratios) <= TARGET_LOADS,
        ),
        (
            f"options per record at most {TARGET_OPTIONS * 1e3:.0f} ms ({OPTIONS:,} varied records)",
            f"{options_each * 1e3:.1f} ms",
            options_each <= TARGET_OPTIONS,
        ),
        (
            "evaluate time linear in the events (per-event time from 1,000 to 10,000 events)",
            f"x{growth:.2f}",
            growth <= TARGET_GROWTH,
        ),
        (
            f"batch of small records with {TARGET_JOBS} processes, at least {TARGET_BATCH:,} per second",
            f"{rate:,.0f}",
            rate >= TARGET_BATCH,
        ),
    ]
    lines = ["| target | measured | met |", "| --- | ---: | --- |"]
    lines += [f"| {target} | {measured} | {'yes' if met else 'no'} |" for target, measured, met in checks]
    return lines


def parts_of_evaluate(
    record: gigpolicy.ContractRecord, policy: gigpolicy.Policy, cedar: float, repeats: int, number: int
) -> list[tuple[str, float, str]]:
    """Three parts of evaluate, timed alone: what no faster evaluate could skip in pure Python."""
    state = replay_under(record, at=AT, rules=policy.replay_rules)
    clock = PolicyClock(policy, by_name=False)

    def charged() -> object:
        _charges_forgotten()  # charges carried from the call before would make it a lookup
        return earnings(state, record.contract, clock.fees_for, policy.fees, key=clock.fees_key)

    earned = median_seconds(charged, repeats=repeats, number=number)
    replayed = median_seconds(
        functools.partial(replay_under, record, at=AT, rules=policy.replay_rules), repeats=repeats, number=number
    )
    contexts = [
        (question, Context(record=record, state=state, at=AT, party=party))
        for question in Question
        for party in APPLIES_TO[question]
    ]
    ruled = median_seconds(
        lambda: [policy.decide(question, context) for question, context in contexts], repeats=repeats, number=number
    )
    with rules_given_free(policy):
        floor = median_seconds(
            functools.partial(gigpolicy.evaluate, record, at=AT, policy=policy), repeats=repeats, number=number
        )
    with decisions_given_free():
        table = median_seconds(
            functools.partial(gigpolicy.evaluate, record, at=AT, policy=policy), repeats=repeats, number=number
        )
    alone, stepped = (step_by_step(record, policy, group, repeats) for group in (1, STEP_GROUP))
    return [
        ("of which: replay alone, 4-event record", replayed, f"{replayed / cedar:.2f}x Cedar"),
        (f"of which: the {len(contexts)} rule calls alone, contexts built", ruled, f"{ruled / cedar:.2f}x Cedar"),
        ("of which: the earnings alone", earned, f"{earned / cedar:.2f}x Cedar"),
        ("evaluate, 4-event record, every rule's answer given free", floor, f"{floor / cedar:.2f}x Cedar"),
        ("evaluate, 4-event record, every decision given free", table, f"{table / cedar:.2f}x Cedar"),
        (ONE_AT_A_TIME, alone, f"{alone / cedar:.2f}x Cedar"),
        (STEP_BY_STEP, stepped, f"{stepped / cedar:.2f}x Cedar"),
    ]


STEP_GROUP: Final = 10
STEP_RECORDS: Final = 4_000
ONE_AT_A_TIME: Final = "evaluate's steps alone (replay, decisions, report), 4-event record, one record at a time"
STEP_BY_STEP: Final = f"the same, each step over {STEP_GROUP} replays of it in turn"


def step_by_step(record: gigpolicy.ContractRecord, policy: gigpolicy.Policy, group: int, repeats: int) -> float:
    """Evaluate's steps for *record*, each over *group* fresh replays of it in turn: the seconds per record.

    Every replay, then every one decided, then every one reported, as a batch block takes its
    lines: each step's code then stays in the processor's caches from one record to the next.
    The same work as evaluate's but for the checks of its arguments and the policy's lookup.
    Groups of 1 take each record through all the steps; the difference is what taking the steps
    one after another costs. Small groups: a thousand replays held at once would make the
    collector walk them.
    """
    clock = PolicyClock(policy, by_name=False)
    wanted = EVERY_QUESTION
    total = STEP_RECORDS - STEP_RECORDS % group

    def once() -> float:
        began = time.perf_counter()
        with localcontext(DECIMAL):
            for _ in range(total // group):
                found = [replayed(record, AT, clock) for _ in range(group)]
                made = [decided_from(record, AT, each, wanted=wanted) for each in found]
                for each in made:
                    reported(record, AT, policy, each)
        return (time.perf_counter() - began) / total

    once()
    return statistics.median(once() for _ in range(repeats))


@contextlib.contextmanager
def rules_given_free(policy: gigpolicy.Policy) -> Iterator[None]:
    """Within it, *policy*'s class answers each question as it did the first time, at the cost of a lookup.

    What evaluate costs with rules that cost nothing: the floor no faster rule (a decision table,
    say) could go below. Each answer is given with when its judge said it changes, as the rule gave it.
    """
    kind = type(policy)
    decide = kind.decide
    given: dict[tuple[Question, Party], tuple[Verdict, datetime | object | None, bool]] = {}

    def answered(self: gigpolicy.Policy, question: Question, context: Context) -> Verdict:
        key = (question, context.party)
        found = given.get(key)
        if found is None:
            verdict = decide(self, question, context)
            found = given[key] = (verdict, _LAST[0][1], SETTLED[0] is verdict)
        verdict, changes, made = found
        _LAST[0] = (verdict, changes)  # type: ignore[assignment]  # the pair the judge left, as it left it
        if made:  # a verdict made once: its decision is made once too, as with the rule
            SETTLED[0] = verdict
        return verdict

    def free(question: Question) -> Callable[[Context, gigpolicy.Policy], Verdict]:
        return lambda context, policy: answered(policy, question, context)

    # evaluation calls a built-in class's rules from its table, not through `decide`: both are given free
    table = RULES.get(kind, {})
    rules = dict(table)
    kind.decide = answered  # type: ignore[method-assign]  # restored below
    table.update({question: free(question) for question in table})
    rules_changed()  # evaluation's plans hold the rules they were made with
    try:
        yield
    finally:
        kind.decide = decide  # type: ignore[method-assign]
        table.update(rules)
        rules_changed()


@contextlib.contextmanager
def decisions_given_free() -> Iterator[None]:
    """Within it, evaluate takes the decisions it made the first time, at the cost of a lookup.

    What evaluate costs with a decision table that costs nothing: the checks of its arguments,
    the replay, the earnings and the report. Only for timing one record at one instant: the
    decisions given are those of the first call.
    """
    decided_from = gigpolicy._evaluate.decided_from  # noqa: SLF001 - what evaluate calls
    made: list[tuple[Decision, ...]] = []

    def given(record: ContractRecord, at: datetime, found: Replayed, *, wanted: tuple[Question, ...]) -> Decided:
        if not made:
            made.append(decided_from(record, at, found, wanted=wanted)[2])
        return found[0], found[2], made[0]

    gigpolicy._evaluate.decided_from = given  # noqa: SLF001 - restored below
    try:
        yield
    finally:
        gigpolicy._evaluate.decided_from = decided_from  # noqa: SLF001


def parts_of_loads(text: str, repeats: int, number: int) -> tuple[float, float]:
    """The two parts of ``loads`` timed alone: parsing and building the values, then checking the ledger."""
    parts = _fast_parts(text)
    assert parts is not None
    built = median_seconds(functools.partial(_fast_parts, text), repeats=repeats, number=number)
    checked = median_seconds(lambda: ContractRecord._decoded(*parts), repeats=repeats, number=number)  # noqa: SLF001
    return built, checked


def time_goes(rows: list[tuple[str, float, str]], loads_parts: tuple[float, float]) -> str:
    """Where the time of evaluate and of loads goes, from the rows measured: the section under the table."""
    took = {label: seconds for label, seconds, _ in rows}
    whole = took["evaluate, all decisions with reasons, 4-event record"]
    pieces = [
        ("replay (the fold of the events to the state)", took["of which: replay alone, 4-event record"]),
        ("the rule calls", next(v for k, v in took.items() if k.startswith("of which: the ") and "rule" in k)),
        ("the earnings", took["of which: the earnings alone"]),
    ]
    rest = whole - sum(seconds for _, seconds in pieces)
    listed = "; ".join(f"{what} {seconds * 1e6:.1f} us ({seconds / whole:.0%})" for what, seconds in pieces)
    floor = took["evaluate, 4-event record, every rule's answer given free"]
    table = took["evaluate, 4-event record, every decision given free"]
    alone, stepped = took[ONE_AT_A_TIME], took[STEP_BY_STEP]
    cedar = took["one Cedar decision (cedarpy, parsed once)"]
    once = took[f"evaluate of {EACH_ONCE:,} varied records, each once"] / EACH_ONCE
    json_big = took["json.loads, 61-event record"]
    loads_big = took["gigpolicy.loads, 61-event record"]
    built, checked = loads_parts
    return (
        "## Where the time goes\n\n"
        f"Evaluate of the 4-event record, {whole * 1e6:.1f} us: {listed}; the rest, {rest * 1e6:.1f} us"
        f" ({rest / whole:.0%}), is each decision's `until` and value, the report, and running these pieces one"
        " after another (each timed alone runs with its code and data already in the processor's caches)."
        f" Without the checks of its arguments and the policy's lookup, its steps take {alone * 1e6:.1f} us one"
        f" record at a time, and {stepped * 1e6:.1f} us a record each over {STEP_GROUP} replays in turn (every"
        " replay, then every decision, then every report, as a batch block takes its lines): running the steps"
        f" one after another costs {(alone - stepped) * 1e6:.1f} us ({(alone - stepped) / alone:.0%}) of the same"
        " work, each step finding the processor's caches and branch history filled by the others."
        f" With every rule's answer given free (a lookup), evaluate still takes {floor * 1e6:.1f} us,"
        f" {floor / cedar:.2f}x one Cedar decision: no rule, however fast, takes it below that. With every"
        f" decision given free, what is left (the checks of the arguments, the replay, the earnings and the"
        f" report) takes {table * 1e6:.1f} us, {table / cedar:.2f}x: no decision table takes it below that."
        f" A record judged for the first time costs more: {once * 1e6:.1f} us each, over {EACH_ONCE:,} varied"
        " records judged once (their dated reasons are made and formatted, and their fees charged, where the"
        " 4-event record, judged again and again, finds them in gigpolicy's caches).\n\n"
        f"`loads` of the 61-event record, {loads_big * 1e6:.1f} us: parsing the JSON and building each value"
        f" {built * 1e6:.1f} us (of which `json.loads` itself about {json_big * 1e6:.1f} us), checking the ledger"
        f" and lifecycle {checked * 1e6:.1f} us, that is {built / BIG_EVENTS * 1e6:.1f} and"
        f" {checked / BIG_EVENTS * 1e6:.1f} us per event."
    )


def evaluate_rows(
    rows: list[tuple[str, float, str]],
    *,
    small: gigpolicy.ContractRecord,
    big: gigpolicy.ContractRecord,
    upwork: gigpolicy.Policy,
    cedar: tuple[float, float, float],
    times: tuple[int, int],
    varied: list[tuple[str, datetime]],
) -> float:
    """Time evaluate against one Cedar decision and the same questions in Cedar's batch; the like-for-like ratio.

    *cedar* is one Cedar decision, evaluate of the 4-event record, and their ratio, timed in
    turn; Cedar's batch call is timed in turn with that evaluate too. Also evaluate of *varied*
    records, each judged once.
    """
    repeats, number = times
    decision, evaluated, ratio = cedar
    after_end = big.events[-1].at + timedelta(hours=1)  # every window open: the longest look-ahead
    rows.append(("evaluate, all decisions with reasons, 4-event record", evaluated, f"{ratio:.2f}x Cedar"))
    for label, record, at in (("61-event record", big, AT), ("61-event record judged after its end", big, after_end)):
        took = median_seconds(
            functools.partial(gigpolicy.evaluate, record, at=at, policy=upwork), repeats=repeats, number=number
        )
        rows.append((f"evaluate, all decisions with reasons, {label}", took, f"{took / decision:.2f}x Cedar"))
    varied_evaluate_row(rows, varied)
    batch_call, requests = cedar_batch_call()
    timed: tuple[float, float, float] = paired_medians(
        functools.partial(gigpolicy.evaluate, small, at=AT, policy=upwork), batch_call, repeats=repeats, number=number
    )
    cedar_batch, against, like_for_like = timed
    rows.append((f"Cedar, the same {requests} questions in one batch call", cedar_batch, "1.00x Cedar batch"))
    rows.append(("evaluate, 4-event record, against that", against, f"{like_for_like:.2f}x Cedar batch"))
    return like_for_like


def varied_evaluate_row(rows: list[tuple[str, float, str]], varied: list[tuple[str, datetime]]) -> None:
    """Time evaluate of varied records, each once at its own instant, and add the row.

    The median of three passes, each over records of its own: a record judged again finds its
    reasons, instants and charges in gigpolicy's caches, which the 4-event rows above measure.
    """
    judged = [(gigpolicy.loads(text), at) for text, at in varied[: 4 * EACH_ONCE]]
    passes = [judged[turn * EACH_ONCE : (turn + 1) * EACH_ONCE] for turn in range(4)]
    [gigpolicy.evaluate(record, at=at) for record, at in passes[0]]  # to warm up
    took = statistics.median(
        median_seconds(lambda records=records: [gigpolicy.evaluate(r, at=at) for r, at in records], repeats=1, number=1)
        for records in passes[1:]
    )
    each = took / EACH_ONCE
    rows.append((f"evaluate of {EACH_ONCE:,} varied records, each once", took, f"{each * 1e6:,.1f} us per record"))


def options_rows(
    rows: list[tuple[str, float, str]],
    small: gigpolicy.ContractRecord,
    upwork: gigpolicy.Policy,
    varied: list[tuple[str, datetime]],
) -> float:
    """Time options on the 4-event record and on varied records, add the rows; the seconds per varied record."""
    took = median_seconds(
        functools.partial(gigpolicy.options, small, party=Party.FREELANCER, at=AT, policy=upwork), repeats=3, number=50
    )
    rows.append(("options (freelancer), 4-event record", took, "per record"))
    judged = [(gigpolicy.loads(text), at) for text, at in varied[:OPTIONS]]
    parties = (Party.CLIENT, Party.FREELANCER)
    varied_took: float = median_seconds(  # the median of three passes, as every other row takes a median
        lambda: [gigpolicy.options(r, party=parties[i % 2], at=at) for i, (r, at) in enumerate(judged)],
        repeats=3,
        number=1,
    )
    each = varied_took / OPTIONS
    rows.append((f"options over {OPTIONS:,} varied records", varied_took, f"{each * 1e6:,.0f} us per record"))
    return each


def worker_rows(rows: list[tuple[str, float, str]], varied: list[tuple[str, datetime]]) -> float:
    """What a batch worker spends per varied line, in the parts of its blocks, added as rows; the seconds of all.

    As a worker runs them (``_block``), with its thresholds of the garbage collector
    (``BATCH_GC``): the lines in blocks of ``CHUNK``, and in each block every record read, then
    every one replayed (its ledger checked on the way), decided, reported, written, and each line
    made printable, encoded and written into a slot of shared memory, as a worker of ``gigpolicy batch``
    leaves it for the main process (``_placed_block``). Each part's time is summed over the blocks of a pass over
    ``WORKER_LINES`` lines; the median of three passes, each over lines of its own (lines seen
    before would find their values in gigpolicy's caches), after one to warm up.
    """
    texts = [text for text, _ in varied]
    assert len(texts) >= 4 * WORKER_LINES
    job = _job(AT, None, None, 1, printable=True)
    labels = (
        "read, the ledger left to its replay",
        "replayed, the ledger checked on the way",
        "decided",
        "the earnings and the report",
        "the result line",
        "each line made printable, encoded and written into the block's slot",
    )

    def one_pass(lines: list[str]) -> list[float]:
        took = [0.0] * len(labels)
        clock = time.perf_counter
        for start in range(0, len(lines), CHUNK):
            resolved: dict[str | None, PolicyClock] = {}  # as `_block` resolves the policies once per block
            began = clock()
            reads = [_read(start + number, text) for number, text in enumerate(lines[start : start + CHUNK])]
            took[0] += clock() - began
            assert not any(isinstance(read, str) for read in reads)  # every varied line is a valid record
            records = [read[0] for read in reads if not isinstance(read, str)]
            found: list[Any] = [read[1] for read in reads if not isinstance(read, str)]
            for part, step in enumerate(_STEPS, 1):
                began = clock()
                made = over_block(job, step, list(zip(records, found, strict=True)), resolved)
                took[part] += clock() - began
                assert made is not None  # no parent asks this block to stop
                found = made
            began = clock()
            results = [
                report_line(report, record, start + n)
                for n, (record, report) in enumerate(zip(records, found, strict=True))
            ]
            took[4] += clock() - began
            began = clock()
            into_slot(slot, results, printable=True)  # as a worker of `gigpolicy batch` writes the lines
            took[5] += clock() - began
        return took

    slot = mmap.mmap(-1, SLOT_BYTES)
    with localcontext(DECIMAL), fewer_collections():
        one_pass(texts[:WORKER_LINES])
        passes = [one_pass(texts[turn * WORKER_LINES : (turn + 1) * WORKER_LINES]) for turn in (1, 2, 3)]
    total = 0.0
    for part, label in enumerate(labels):
        took = statistics.median(each[part] for each in passes) / WORKER_LINES
        total += took
        rows.append((f"batch worker, per varied line: {label}", took, "per line"))
    return total


def batch_section(batch_rows: list[BatchRow], worker: float) -> tuple[list[str], str]:
    """The batch table, and the note under it (which starts Python once more to measure start-up)."""
    started, imported = start_up()
    batch = [
        "| lines | --jobs | seconds | records per second | peak memory, main process | peak memory, each worker |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    batch += [
        f"| {lines:,} | {jobs} | {elapsed:.1f} | {lines / took:,.0f} | {own / 1024:.0f} MiB |"
        f" {f'{workers / 1024:.0f} MiB' if workers else '-'} |"
        for lines, jobs, elapsed, took, own, workers in batch_rows
    ]
    batch_note = (
        f"Seconds are the whole command; records per second leave out starting Python and importing"
        f" gigpolicy ({started:.2f} s, after which the process holds {imported / 1024:.0f} MiB). The output goes"
        " to /dev/null. Peak memory is the largest resident set of the main process (`VmHWM`), which"
        " reads and writes, and of the largest worker process (`ru_maxrss`), which evaluates; with `--jobs N`"
        " the total is at most the main process plus N workers (less, as forked workers share pages with it,"
        " and the memory where the workers leave their blocks' result lines for the main process to write)."
        f" A worker spends about {worker * 1e6:.0f} us per line (its parts in the table above, timed as a worker"
        " runs them, block by block), so two workers on two cores give at most about"
        f" {2 / worker:,.0f} records per second, less what the main process takes of the two cores to read"
        " and write."
    )
    return batch, batch_note


_OWN_SECTIONS: Final = ("## Per call", "## Where the time goes", "## `gigpolicy batch`", "## Targets")


def _other_sections(page: str) -> str:
    """The sections of *page* that other benchmarks write (``serve_load.py``'s), kept as they are."""
    parts = re.split(r"(?m)^(?=## )", page)
    others = [part.rstrip("\n") for part in parts[1:] if not part.startswith(_OWN_SECTIONS)]
    return "".join(f"\n{part}\n" for part in others)


def main() -> None:
    """Measure, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--million", action="store_true", help="also measure a 1,000,000-line batch")
    args = parser.parse_args()
    repeats, number = (3, 200) if args.quick else (7, 1000)

    small_text, big_text = four_events(), fixed_price(61)
    small, big = gigpolicy.loads(small_text), gigpolicy.loads(big_text)
    assert len(small.events) == SMALL_EVENTS, len(small.events)
    assert len(big.events) == BIG_EVENTS, len(big.events)
    upwork = gigpolicy.get_policy("upwork", on=AT)
    rows: list[tuple[str, float, str]] = []

    # in turn, a repeat of each after the other, as loads and json.loads below: the target is their ratio
    cedar, evaluated, against_cedar = paired_medians(
        functools.partial(gigpolicy.evaluate, small, at=AT, policy=upwork),
        cedar_call(),
        repeats=3 * repeats,
        number=number,
    )
    rows.append(("one Cedar decision (cedarpy, parsed once)", cedar, "1.00x Cedar"))
    varied = varied_records()
    like_for_like = evaluate_rows(
        rows,
        small=small,
        big=big,
        upwork=upwork,
        cedar=(cedar, evaluated, against_cedar),
        times=(repeats, number),
        varied=varied,
    )
    rows += parts_of_evaluate(small, upwork, cedar, repeats, number)
    loads_ratios: list[float] = []
    for label, text in (("4-event", small_text), ("61-event", big_text)):
        # in turn, the ratio of each pair: on a shared machine, the ratio of medians taken apart moves by 10%
        plain, took, ratio = paired_medians(
            functools.partial(gigpolicy.loads, text),
            functools.partial(json.loads, text),
            repeats=3 * repeats,
            number=number,
        )
        rows.append((f"json.loads, {label} record", plain, "1.00x json"))
        rows.append((f"gigpolicy.loads, {label} record", took, f"{ratio:.2f}x json.loads"))
        loads_ratios.append(ratio)
    loads_parts = parts_of_loads(big_text, repeats, number)

    options_each = options_rows(rows, small, upwork, varied)
    at_once = judged_at(varied)  # batch judges every line at one instant
    worker = worker_rows(rows, at_once)
    many = [gigpolicy.loads(fixed_price(4 + 3 * (i % 5))) for i in range(1000)]
    took = median_seconds(lambda: gigpolicy.job_success(many, freelancer="fl-1", at=AT), repeats=3, number=1)
    rows.append(("job_success over 1,000 records", took, f"{took / 1000 * 1e6:.0f} us per record"))

    growth = []
    for size in (10, 100, 1_000, 10_000):
        record = gigpolicy.loads(fixed_price(size))
        late = record.events[-1].at + timedelta(days=1)
        took = median_seconds(
            functools.partial(gigpolicy.evaluate, record, at=late, policy=upwork),
            repeats=3,
            number=max(1, 2000 // size),
        )
        growth.append((size, took))
        rows.append((f"evaluate, {size:,}-event record", took, f"{took / size * 1e6:.1f} us per event"))
    ratio = (growth[-1][1] / growth[-1][0]) / (growth[-2][1] / growth[-2][0])

    batch_rows: list[BatchRow] = []
    sizes = ((10_000, 1), (10_000, 2)) + (((1_000_000, 2),) if args.million else ())
    for lines, jobs in sizes:
        batch_rows.append((lines, jobs, *batch_run(lines, jobs, at_once)))

    machine = f"{interpreter()}, {platform.machine()}, {os.cpu_count()} cores"
    width = max(len(row[0]) for row in rows)
    table = ["| measurement | median per call | ratio |", "| --- | ---: | --- |"]
    table += [f"| {label} | {seconds * 1e6:,.1f} us | {note} |" for label, seconds, note in rows]
    batch, batch_note = batch_section(batch_rows, worker)
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds * 1e6:12,.1f} us  {note}")
    print(f"growth from 1,000 to 10,000 events: per-event time x{ratio:.2f} (1.00 is linear)")
    for line in batch[2:]:
        print(line)
    kept = _other_sections(PAGE.read_text(encoding="utf-8") if PAGE.exists() else "")
    PAGE.write_text(
        "# Benchmarks\n\n"
        "Written by `python benchmarks/run.py` (install with `pip install -e '.[bench]'`); do not edit by hand.\n\n"
        f"Machine: {machine}; gigpolicy {gigpolicy.__version__}; cedarpy from PyPI;"
        f" measured {datetime.now(UTC):%Y-%m-%d}.\n\n"
        "## Per call\n\n" + "\n".join(table) + "\n\n"
        "`gigpolicy.loads` and `json.loads` are timed in turn, a repeat of each after the other, and the"
        " ratio is the median of the ratios of those pairs (on a shared machine whose speed drifts, the"
        " ratio of two medians timed apart moves by a tenth from one run to the next). So are evaluate of"
        " the 4-event record and one Cedar decision, and the same evaluate and Cedar's batch call: the"
        " ratios of the targets.\n\n"
        f"Growth with the number of events: the time per event from 1,000 to 10,000 events changes by"
        f" x{ratio:.2f} (1.00 is linear).\n\n" + time_goes(rows, loads_parts) + "\n\n"
        f"## `gigpolicy batch`\n\n{len(at_once):,} different small records (0 to 14 events, every kind and marketplace,"
        " made by `tests/golden_outputs.py`), one per line and repeated for longer inputs, all decisions. Each is"
        " moved in time so that the run's one `--at` judges it at its own instant in that file (at its last event,"
        " or 5 hours, 10, 45 or 400 days after), as `judged_at` in `benchmarks/records.py` says; the"
        f" {VARIED - len(at_once)} that the rules in force then refuse are left out.\n\n"
        + "\n".join(batch)
        + "\n\n"
        + batch_note
        + "\n\n## Targets\n\n"
        + "\n".join(
            targets(
                evaluated=against_cedar,
                like_for_like=like_for_like,
                loads_ratios=loads_ratios,
                options_each=options_each,
                growth=ratio,
                batch_rows=batch_rows,
            )
        )
        + "\n"
        + kept,
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
