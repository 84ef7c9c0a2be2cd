"""Coverage-guided fuzzing of gigpolicy's public functions with atheris (libFuzzer).

Each input is taken as the text of a record. Whatever ``loads`` accepts is then replayed,
evaluated at several instants, planned for (``options``), scored (``job_success``), written
back (``dumps``, which must round-trip) and judged by every built-in policy. The contract
under test: on any input, only a :class:`gigpolicy.GigPolicyError` may escape.

Run it (see fuzz/README.md)::

    .venv/bin/python fuzz/make_corpus.py fuzz/corpus
    .venv/bin/python fuzz/harness.py fuzz/corpus -max_total_time=900 -print_final_stats=1

Any other exception is an escape: it is written to ``fuzz/escapes/`` (one file per distinct
exception type and place, holding the input and the traceback) and counted, and the
campaign goes on, so one run reports every kind of escape it found rather than only the first.
Set ``GIGPOLICY_FUZZ_STOP=1`` to crash on the first escape instead (libFuzzer then saves it
as ``crash-*``).
"""

# ruff: noqa: INP001 - a script directory, not a package
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import traceback
from datetime import timedelta
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["gigpolicy"]):
    import gigpolicy
    from gigpolicy import GigPolicyError

_ESCAPES = Path(__file__).parent / "escapes"
_STOP = os.environ.get("GIGPOLICY_FUZZ_STOP") == "1"
_OPTIONS_EVENTS = 15
_counts = {"escapes": 0}
_seen: set[str] = set()


def _exercise(data: bytes) -> None:
    try:
        record = gigpolicy.loads(data)
    except GigPolicyError:
        return
    if gigpolicy.loads(gigpolicy.dumps(record)) != record:
        raise AssertionError("loads(dumps(record)) != record")
    # the input's own bytes choose the policy and the instants, so the fuzzer can steer them too
    choice = data[-1] if data else 0
    policy = (None, *gigpolicy.available_policies())[choice % 4]
    start = record.contract.started_at
    last = record.events[-1].at if record.events else start
    for at in (last, last + timedelta(days=1 + choice % 30)):
        try:
            report = gigpolicy.evaluate(record, at=at, policy=policy)
        except GigPolicyError:
            continue
        state = report.state
        if state.escrow + state.paid + state.escrow_returned != state.deposited:
            raise AssertionError("escrow + paid + escrow_returned != deposited")
    at = last + timedelta(hours=1)
    if len(record.events) <= _OPTIONS_EVENTS:  # options simulates dozens of futures: keep each input fast
        with contextlib.suppress(GigPolicyError):
            gigpolicy.options(record, party=("client", "freelancer")[choice % 2], at=at, policy=policy)
    with contextlib.suppress(GigPolicyError):
        gigpolicy.job_success([record, record], freelancer=record.contract.freelancer, at=at)


def test_one_input(data: bytes) -> None:
    """The libFuzzer entry point: run *data* through everything; only GigPolicyError may escape."""
    try:
        _exercise(data)
    except GigPolicyError:
        pass
    except Exception as error:  # an escape: record it, then go on (or stop, if asked)
        if _STOP:
            raise
        _counts["escapes"] += 1
        frame = traceback.extract_tb(error.__traceback__)[-1]
        key = f"{type(error).__name__} {Path(frame.filename).name}:{frame.lineno}"
        if key not in _seen:
            _seen.add(key)
            _ESCAPES.mkdir(exist_ok=True)
            name = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]
            (_ESCAPES / f"{name}.input").write_bytes(data)
            (_ESCAPES / f"{name}.txt").write_text(key + "\n\n" + traceback.format_exc(), encoding="utf-8")
            sys.stderr.write(f"\nESCAPE {key} (saved as fuzz/escapes/{name}.input)\n")
        sys.stderr.write(f"\nescapes so far: {_counts['escapes']} ({len(_seen)} distinct)\n")


def main() -> None:
    """Start libFuzzer with the command line's arguments."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
