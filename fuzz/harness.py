"""Coverage-guided fuzzing of gigpolicy's public functions and command line with atheris (libFuzzer).

Each input is taken as the text of a record. Whatever ``loads`` accepts is then replayed,
evaluated at several instants, planned for (``options``), scored (``job_success``) and written
back (``dumps``, which must round-trip). Every input, accepted or not, also goes through the
command line, in process: ``validate``, ``explain``, ``options`` and ``timeline`` read it as
standard input, and ``batch`` reads its lines. The contract under test: on any input, only a
:class:`gigpolicy.GigPolicyError` may escape a function, and the command line exits with 0, 1
or 2, never prints a traceback or an unescaped control character, prints JSON where asked, agrees
with ``loads`` on what is valid (``validate``), and writes one result line per input line (``batch``).

Each call is timed; an input whose slowest call takes longer than ``GIGPOLICY_FUZZ_SLOW``
seconds (2.0 by default: the target of every command on any record within the limits) is a
candidate. Instrumentation makes calls 2 to 5 times slower than in a plain interpreter, so a
candidate is timed again, without instrumentation, in a fresh process (``--time``, which also
replays saved inputs by hand): it is a slow input if its slowest call still takes longer in
processor time (which, unlike wall time, other work on a shared machine does not inflate).

Run it (see fuzz/README.md)::

    .venv/bin/python fuzz/make_corpus.py /tmp/gigpolicy-corpus
    .venv/bin/python fuzz/harness.py /tmp/gigpolicy-corpus -max_len=1048576 -max_total_time=900
    .venv/bin/python fuzz/harness.py --time fuzz/slow/*.input     # plain timings, no fuzzing

Any other exception is an escape: it is written to ``fuzz/escapes/`` (one file per distinct
exception type and place, holding the input and the traceback) and counted, and the
campaign goes on, so one run reports every kind of escape it found rather than only the first.
Slow inputs go to ``fuzz/slow/`` the same way: the slowest input for each call and shape (the
record's most frequent event type). ``GIGPOLICY_FUZZ_FINDINGS=DIR`` puts both folders under
DIR. Set ``GIGPOLICY_FUZZ_STOP=1`` to crash on the first escape or slow input instead
(libFuzzer then saves it as ``crash-*``).
"""

# ruff: noqa: INP001 - a script directory, not a package
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Final, TypeVar

import atheris

_TIMING: Final = __name__ == "__main__" and sys.argv[1:2] == ["--time"]
"""``--time``: replay inputs without instrumentation, to time them as users would run them."""

with contextlib.nullcontext() if _TIMING else atheris.instrument_imports(include=["gigpolicy"]):
    import gigpolicy
    from gigpolicy import ContractRecord, GigPolicyError
    from gigpolicy._cli import main as cli

T = TypeVar("T")

_FINDINGS: Final = Path(os.environ.get("GIGPOLICY_FUZZ_FINDINGS") or Path(__file__).parent)
_ESCAPES: Final = _FINDINGS / "escapes"
_SLOW_DIR: Final = _FINDINGS / "slow"
_STOP: Final = os.environ.get("GIGPOLICY_FUZZ_STOP") == "1"
_SLOW: Final = float(os.environ.get("GIGPOLICY_FUZZ_SLOW", "2.0"))
_OPTIONS_EVENTS: Final = 15
_EXIT_CODES: Final = (0, 1, 2)
_FALLBACK_AT: Final = datetime(2026, 11, 3, 10, tzinfo=UTC)
_WIDTHS: Final = (78, 50, 51, 200)
_TRACEBACK: Final = "Traceback (most recent call last)"
_RETIME_LIMIT: Final = 60.0
_TIMED: Final = re.compile(r", slowest (.+?) ([0-9.]+) s, ")
# what a terminal acts on: C0 and C1 controls (but newline), DEL, and format characters (bidi overrides, ...)
_CONTROL: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f"
    + "".join(chr(c) for c in range(0xA0, sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    + "]"
)

_counts = {"escapes": 0, "slow": 0, "candidates": 0}
_seen: set[str] = set()
_slowest: dict[str, float] = {}


class CliBroken(AssertionError):
    """The command line broke its contract (an exit code, a traceback, a bad line) without raising."""


class _Timer:
    """The calls of one input, each timed: the slowest one is what the bound judges."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.times: dict[str, float] = {}

    def call(self, name: str, function: Callable[[], T]) -> T:
        """Run *function*, keeping its wall time under *name* (the longest, if the name repeats)."""
        started = self.clock()
        try:
            return function()
        finally:
            elapsed = self.clock() - started
            self.times[name] = max(elapsed, self.times.get(name, 0.0))

    def slowest(self) -> tuple[str, float]:
        """The name and time of the slowest call (``("", 0.0)`` if none ran)."""
        return max(self.times.items(), key=lambda item: item[1], default=("", 0.0))


def _run_cli(argv: Sequence[str], data: bytes) -> tuple[object, str, str]:
    """Run ``gigpolicy *argv*`` in process with *data* as standard input: exit code, stdout, stderr.

    Standard output encodes strictly, as a UTF-8 terminal or pipe does (a lone surrogate
    fails there, not silently as in a ``StringIO``); standard error with backslashes, as
    Python's own does.
    """
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", newline="\n"),
        io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", newline="\n"),
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        code: object = cli(argv)
    except SystemExit as stop:
        code = stop.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        streams[1].flush()
        streams[2].flush()
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def _check_cli(command: str, data: bytes, code: object, out: str, err: str) -> None:
    """What every run of the command line must hold, whatever the input."""
    if code not in _EXIT_CODES:
        raise CliBroken(f"gigpolicy {command}: exit code {code!r}, not 0, 1 or 2")
    if _TRACEBACK in out + err and _TRACEBACK.encode() not in data:
        raise CliBroken(f"gigpolicy {command}: printed a traceback")
    if (found := _CONTROL.search(out + err)) is not None:
        raise CliBroken(f"gigpolicy {command}: printed the control character U+{ord(found.group()):04X} unescaped")


def _check_json(command: str, out: str) -> None:
    try:
        json.loads(out)
    except ValueError:
        raise CliBroken(f"gigpolicy {command} --json: printed something that is not JSON") from None


def _check_batch(data: bytes, out: str) -> None:
    """One result line per input line, in order, each a JSON object naming its line."""
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    results = out.split("\n")[:-1]
    if len(results) != lines:
        raise CliBroken(f"gigpolicy batch: {len(results)} result lines for {lines} input lines")
    for number, text in enumerate(results, start=1):
        try:
            line = json.loads(text).get("line")
        except (ValueError, AttributeError):
            raise CliBroken("gigpolicy batch: a result line that is not a JSON object") from None
        if line is not None and line != number:
            raise CliBroken(f"gigpolicy batch: result {number} is numbered {line!r}")


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _exercise_api(timer: _Timer, record: ContractRecord, choice: int, policy: str | None) -> None:
    dumped = timer.call("dumps", lambda: gigpolicy.dumps(record))
    if timer.call("loads", lambda: gigpolicy.loads(dumped)) != record:
        raise AssertionError("loads(dumps(record)) != record")
    start = record.contract.started_at
    last = record.events[-1].at if record.events else start
    for at in (last, last + timedelta(days=1 + choice % 30)):
        try:
            report = timer.call("evaluate", partial(gigpolicy.evaluate, record, at=at, policy=policy))
        except GigPolicyError:
            continue
        state = report.state
        if state.escrow + state.paid + state.escrow_returned != state.deposited:
            raise AssertionError("escrow + paid + escrow_returned != deposited")
    at = last + timedelta(hours=1)
    party = ("client", "freelancer")[choice % 2]
    if len(record.events) <= _OPTIONS_EVENTS:  # the command line plans for every record; this for the other party
        with contextlib.suppress(GigPolicyError):
            timer.call("options", lambda: gigpolicy.options(record, party=party, at=at, policy=policy))
    with contextlib.suppress(GigPolicyError):
        freelancer = record.contract.freelancer
        timer.call("job_success", lambda: gigpolicy.job_success([record, record], freelancer=freelancer, at=at))


def _exercise_cli(timer: _Timer, data: bytes, record: ContractRecord | None, choice: int, policy: str | None) -> None:
    last = (record.events[-1].at if record.events else record.contract.started_at) if record else _FALLBACK_AT
    common = ["--at", _instant(last + timedelta(hours=1 + choice % 72))]
    if policy is not None:
        common += ["--policy", policy]
    json_flag = ["--json"] if choice & 4 else []
    party = ("freelancer", "client")[choice % 2]
    width = str(_WIDTHS[(choice >> 3) % len(_WIDTHS)])
    runs = {
        "validate": ["validate", "-"],
        "explain": ["explain", "-", *common, *json_flag],
        "options": ["options", "-", "--as", party, *common, *json_flag],
        "timeline": ["timeline", "-", *common, "--width", width],
        "batch": ["batch", "-", *common],
    }
    for command, argv in runs.items():
        code, out, err = timer.call(f"gigpolicy {command}", partial(_run_cli, argv, data))
        _check_cli(command, data, code, out, err)
        if command == "validate" and (code == 0) != (record is not None):
            raise CliBroken(f"gigpolicy validate: exit code {code!r} where loads {'accepts' if record else 'refuses'}")
        if command in {"explain", "options"} and code == 0 and json_flag:
            _check_json(command, out)
        if command == "batch" and not (code == 1 and not out and err.startswith("gigpolicy: error:")):
            _check_batch(data, out)  # (unless it refused its arguments, --at and --policy, before reading)


def _exercise(timer: _Timer, data: bytes) -> ContractRecord | None:
    """Run *data* through the functions and the command line; return the record, if it is one."""
    # the input's own bytes choose the policy, the instants and the options, so the fuzzer can steer them too
    choice = data[-1] if data else 0
    policy = (None, *gigpolicy.available_policies())[choice % 4]
    try:
        record: ContractRecord | None = timer.call("loads", lambda: gigpolicy.loads(data))
    except GigPolicyError:
        record = None
    if record is not None:
        with contextlib.suppress(GigPolicyError):  # the command line runs all the same
            _exercise_api(timer, record, choice, policy)
    _exercise_cli(timer, data, record, choice, policy)
    return record


def _shape(record: ContractRecord | None) -> str:
    """A word for the record's shape: its most frequent event type (what makes records slow so far)."""
    if record is None:
        return "refused"
    kinds = Counter(type(event).__name__ for event in record.events)
    return kinds.most_common(1)[0][0] if kinds else "no-events"


def _save(folder: Path, key: str, data: bytes, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]
    (folder / f"{name}.input").write_bytes(data)
    (folder / f"{name}.txt").write_text(key + "\n\n" + text, encoding="utf-8")
    return folder / f"{name}.input"


def _retime(data: bytes) -> tuple[str, float]:
    """The slowest call on *data* and its time, without instrumentation (in a fresh process)."""
    with tempfile.TemporaryDirectory(prefix="gigpolicy-fuzz-") as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        try:
            done = subprocess.run(  # noqa: S603 - this script, run by the interpreter that runs it
                [sys.executable, __file__, "--time", str(path)],
                capture_output=True,
                text=True,
                timeout=_RETIME_LIMIT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return "unfinished", _RETIME_LIMIT
    found = _TIMED.search(done.stdout)
    return (found.group(1), float(found.group(2))) if found else ("unknown", 0.0)


def _flag_slow(timer: _Timer, data: bytes, record: ContractRecord | None) -> None:
    call, seconds = timer.slowest()
    if seconds <= _SLOW:  # instrumented calls are slower than plain ones: this input is surely fast
        return
    _counts["candidates"] += 1
    call, seconds = _retime(data)
    if seconds <= _SLOW:
        return
    _counts["slow"] += 1
    key = f"{call} on {_shape(record)}"
    if seconds > _slowest.get(key, 0.0):
        _slowest[key] = seconds
        times = "".join(f"{name}: {value:.3f} s\n" for name, value in sorted(timer.times.items()))
        events = "refused" if record is None else f"{len(record.events)} events"
        text = f"{len(data)} bytes, {events}\nplain: {call} {seconds:.3f} s\ninstrumented:\n{times}"
        saved = _save(_SLOW_DIR, key, data, text)
        sys.stderr.write(f"\nSLOW {key}: {seconds:.2f} s, {len(data)} bytes (saved as {saved})\n")
    sys.stderr.write(
        f"\nslow inputs so far: {_counts['slow']} ({len(_slowest)} distinct) of {_counts['candidates']} timed again\n"
    )
    if _STOP:
        raise TimeoutError(f"{call} took {seconds:.2f} s, more than {_SLOW} s")


def test_one_input(data: bytes) -> None:
    """The libFuzzer entry point: run *data* through everything; only GigPolicyError may escape."""
    timer = _Timer()
    record = None
    try:
        record = _exercise(timer, data)
    except GigPolicyError:
        pass
    except Exception as error:  # an escape: record it, then go on (or stop, if asked)
        if _STOP:
            raise
        _counts["escapes"] += 1
        frame = traceback.extract_tb(error.__traceback__)[-1]
        key = f"{type(error).__name__} {Path(frame.filename).name}:{frame.lineno}"
        if isinstance(error, CliBroken):  # raised in one place for many reasons: the reason tells them apart
            key += f" {re.sub(r'U[+][0-9A-F]+|[0-9]+', 'N', str(error))}"
        if key not in _seen:
            _seen.add(key)
            saved = _save(_ESCAPES, key, data, traceback.format_exc())
            sys.stderr.write(f"\nESCAPE {key} (saved as {saved})\n")
        sys.stderr.write(f"\nescapes so far: {_counts['escapes']} ({len(_seen)} distinct)\n")
    _flag_slow(timer, data, record)


def time_inputs(paths: Sequence[str]) -> None:
    """Replay each file without instrumentation and print the processor time of each call (``--time``)."""
    for path in paths:
        data = Path(path).read_bytes()
        timer = _Timer(time.process_time)  # the processor's time: what other work on the machine cannot inflate
        outcome = "ok"
        try:
            _exercise(timer, data)
        except GigPolicyError:
            pass
        except Exception as error:  # noqa: BLE001 - reported, not hidden: this is a triage tool
            outcome = f"escape {type(error).__name__}: {error}"
        call, seconds = timer.slowest()
        verdict = "SLOW" if seconds > _SLOW else "fast"
        sys.stdout.write(f"{path}: {len(data)} bytes, {verdict}, slowest {call} {seconds:.3f} s, {outcome}\n")
        for name, value in sorted(timer.times.items(), key=lambda item: -item[1]):
            sys.stdout.write(f"    {name}: {value:.3f} s\n")


def main() -> None:
    """Start libFuzzer with the command line's arguments (or time the inputs given after ``--time``)."""
    if _TIMING:
        time_inputs(sys.argv[2:])
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
