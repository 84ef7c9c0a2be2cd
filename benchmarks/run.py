"""Run the benchmarks and write the table to docs/reference/benchmarks.md.

    python -m pip install -e '.[bench]'
    python benchmarks/run.py            # all of them (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats, smaller batch

Figures are medians per call of several repeats, measured in one process, side by side, so
their ratios hold on any machine even when the absolute times do not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cedarpy

import gigpolicy
from gigpolicy import Party

sys.path.insert(0, str(Path(__file__).parent))
from records import START, fixed_price, four_events

ROOT = Path(__file__).resolve().parent.parent
SMALL_EVENTS = 4
BIG_EVENTS = 61
AT = START + timedelta(days=6)

CEDAR_POLICY = """
permit(principal, action == Action::"leave_public_feedback", resource)
when {
  principal == resource.client && resource.ended && resource.paid > 0 &&
  context.now < resource.feedback_closes && !resource.client_left_feedback
};
"""


def median_seconds(call: Callable[[], object], *, repeats: int, number: int) -> float:
    """The median over *repeats* of the mean time of *number* calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - started) / number)
    return statistics.median(samples)


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


def batch_run(lines: int, jobs: int) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of ``gigpolicy batch`` over *lines* small records."""
    text = four_events()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for _ in range(lines):
                handle.write(text + "\n")
        command = [
            sys.executable,
            "-c",
            (
                "import resource, sys; from gigpolicy._cli import main; code = main(sys.argv[1:]);"
                " sys.stderr.write(str(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
                " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)) + '\\n'); sys.exit(code)"
            ),
            "batch",
            str(source),
            "--at",
            AT.isoformat(),
            "--jobs",
            str(jobs),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    return elapsed, int(done.stderr.strip().splitlines()[-1])


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

    cedar = median_seconds(cedar_call(), repeats=repeats, number=number)
    rows.append(("one Cedar decision (cedarpy, parsed once)", cedar, "1.00x Cedar"))
    for label, record in (("4-event", small), ("61-event", big)):
        took = median_seconds(
            lambda r=record: gigpolicy.evaluate(r, at=AT, policy=upwork), repeats=repeats, number=number
        )
        rows.append((f"evaluate, all decisions with reasons, {label} record", took, f"{took / cedar:.2f}x Cedar"))
    for label, text in (("4-event", small_text), ("61-event", big_text)):
        plain = median_seconds(lambda t=text: json.loads(t), repeats=repeats, number=number)
        took = median_seconds(lambda t=text: gigpolicy.loads(t), repeats=repeats, number=number)
        rows.append((f"json.loads, {label} record", plain, "1.00x json"))
        rows.append((f"gigpolicy.loads, {label} record", took, f"{took / plain:.2f}x json.loads"))

    many = [gigpolicy.loads(fixed_price(4 + 3 * (i % 5))) for i in range(1000)]
    took = median_seconds(
        lambda: [gigpolicy.options(r, party=Party.FREELANCER, at=AT, policy=upwork) for r in many], repeats=1, number=1
    )
    rows.append(("options (freelancer) over 1,000 records", took, f"{took / 1000 * 1e6:.0f} us per record"))
    took = median_seconds(lambda: gigpolicy.job_success(many, freelancer="fl-1", at=AT), repeats=3, number=1)
    rows.append(("job_success over 1,000 records", took, f"{took / 1000 * 1e6:.0f} us per record"))

    growth = []
    for size in (10, 100, 1_000, 10_000):
        record = gigpolicy.loads(fixed_price(size))
        late = record.events[-1].at + timedelta(days=1)
        took = median_seconds(
            lambda r=record, t=late: gigpolicy.evaluate(r, at=t, policy=upwork), repeats=3, number=max(1, 2000 // size)
        )
        growth.append((size, took))
        rows.append((f"evaluate, {size:,}-event record", took, f"{took / size * 1e6:.1f} us per event"))
    ratio = (growth[-1][1] / growth[-1][0]) / (growth[-2][1] / growth[-2][0])

    batch_rows = []
    for lines, jobs in ((10_000, 1), (10_000, 2)) + (((1_000_000, 2),) if args.million else ()):
        seconds, peak = batch_run(lines, jobs)
        batch_rows.append((lines, jobs, seconds, peak))

    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores"
    )
    width = max(len(row[0]) for row in rows)
    table = ["| measurement | median per call | ratio |", "| --- | ---: | --- |"]
    table += [f"| {label} | {seconds * 1e6:,.1f} us | {note} |" for label, seconds, note in rows]
    batch = ["| lines | --jobs | seconds | records per second | peak memory |", "| ---: | ---: | ---: | ---: | ---: |"]
    batch += [
        f"| {lines:,} | {jobs} | {seconds:.1f} | {lines / seconds:,.0f} | {peak / 1024:.0f} MiB |"
        for lines, jobs, seconds, peak in batch_rows
    ]
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds * 1e6:12,.1f} us  {note}")
    print(f"growth from 1,000 to 10,000 events: per-event time x{ratio:.2f} (1.00 is linear)")
    for line in batch[2:]:
        print(line)
    page = ROOT / "docs" / "reference" / "benchmarks.md"
    page.write_text(
        "# Benchmarks\n\n"
        "Written by `python benchmarks/run.py` (install with `pip install -e '.[bench]'`); do not edit by hand.\n\n"
        f"Machine: {machine}; gigpolicy {gigpolicy.__version__}; cedarpy from PyPI;"
        f" measured {datetime.now(UTC):%Y-%m-%d}.\n\n"
        "## Per call\n\n" + "\n".join(table) + "\n\n"
        f"Growth with the number of events: the time per event from 1,000 to 10,000 events changes by"
        f" x{ratio:.2f} (1.00 is linear).\n\n"
        "## `gigpolicy batch`\n\nSmall (4-event) records, one per line, all decisions.\n\n" + "\n".join(batch) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
