"""The ``gigpolicy`` command: a thin layer that reads input, calls the library and formats what it returns.

Each subcommand is one small function that takes the parsed arguments and returns the exit
code; :func:`_build_parser` wires them up. Output goes to ``sys.stdout`` and ``sys.stderr``
as they are at call time, so tests can capture it.

Exit codes: 0 on success, 1 on invalid input (each problem on stderr, with its path) or output
that cannot be written, 2 on a usage error (argparse's own), 141 when the reader of the output
goes away (``gigpolicy ... | head``) and 130 on Ctrl-C, as a shell reports a process those
signals ended. No error ends in a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import os
import re
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from gigpolicy import __version__
from gigpolicy._batch import Stopped, fewer_collections, read_lines, stop_signals, written_blocks
from gigpolicy._codec import MAX_BYTES, load, loads
from gigpolicy._completion import add_completion_command, completion_script
from gigpolicy._contract import Party
from gigpolicy._deadlines import Deadline, deadlines, deadlines_ics
from gigpolicy._decision import Question
from gigpolicy._evaluate import differences, evaluate
from gigpolicy._judge import when
from gigpolicy._options import options
from gigpolicy._policy import PluginWarning, available_policies, policy_versions
from gigpolicy._process import tune_collector
from gigpolicy._progress import BatchProgress, CountingReader, input_size
from gigpolicy._report_json import (
    DEADLINES_FORMAT,
    DIFFERENCES_FORMAT,
    OPTIONS_FORMAT,
    POLICIES_FORMAT,
    REPORT_FORMAT,
    SCORE_FORMAT,
    SOURCES_FORMAT,
    TIMELINE_FORMAT,
    VALIDATION_FORMAT,
    differences_data,
    json_text,
    options_data,
    policies_data,
    report_data,
    sources_data,
)
from gigpolicy._report_text import (
    PHRASES,
    Prose,
    differences_text,
    options_text,
    printable,
    report_text,
    sources_text,
    wrapped_text,
    zoned,
)
from gigpolicy._schema import schema
from gigpolicy._sources import date_confirmed
from gigpolicy._success import CountedJob, ExcludedJob, JobSuccess, _judge, _thresholds, job_success, score_effect
from gigpolicy._time import format_instant, parse_instant
from gigpolicy._timeline import MAX_WIDTH, MIN_WIDTH, Timeline, timeline, timeline_svg, timeline_text
from gigpolicy.errors import GigPolicyError, InvalidRecord

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from gigpolicy._record import ContractRecord

__all__ = ["main"]

EXIT_OK: Final = 0
"""Everything went well."""
EXIT_INVALID: Final = 1
"""The input was invalid, or the library refused it."""
EXIT_USAGE: Final = 2
"""The command line itself was wrong (argparse exits with this code)."""
EXIT_INTERRUPTED: Final = 130
"""Ctrl-C: 128 + SIGINT, what a shell reports for a process SIGINT ended (as ``batch`` does)."""
EXIT_BROKEN_PIPE: Final = 141
"""The reader of the output went away: 128 + SIGPIPE (13), what a shell reports for a process SIGPIPE ended."""

STDIN: Final = "-"
"""The file name that means standard input."""
STDOUT: Final = "-"
"""The output file name that means standard output."""
MAX_JOBS: Final = 4096
"""The most worker processes ``--jobs`` takes: a bound that catches a mistyped count (one per CPU is used at most)."""
MAX_PORT: Final = 65535
"""The highest TCP port number, for ``serve --port``."""

Handler = Callable[[argparse.Namespace], int]


class _Unwritable(Exception):
    """Standard output cannot be written (closed, or a full disk); the message says why."""


def _escape_unencodable() -> None:
    r"""Make stdout and stderr write a character their encoding lacks as an escape, not fail on it.

    A Windows redirect (or ``PYTHONIOENCODING=cp1252``) gives stdout an encoding without most of
    Unicode, and a record's text may hold any of it: ``✓`` then comes out as ``\u2713``.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _silence(stream: object) -> None:
    """Point *stream*'s file at the null device, so that the interpreter's final flush cannot fail again.

    What the stream still holds then goes nowhere, quietly: no ``Exception ignored`` message at
    exit, and no exit code 120 in place of the command's own.
    """
    try:
        fd = stream.fileno()  # type: ignore[attr-defined] # any object may stand in for a standard stream
    except (AttributeError, OSError, ValueError):  # no file under it (a test's StringIO), or closed
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


@contextlib.contextmanager
def _stdout() -> Iterator[IO[str]]:
    """Standard output to write to; a failure other than a closed pipe raises :class:`_Unwritable`."""
    stream: IO[str] | None = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`)
        raise _Unwritable("it is closed")
    try:
        yield stream
    except BrokenPipeError:
        raise  # the reader went away: main ends quietly
    except OSError as error:
        raise _Unwritable(error.strerror or str(error) or type(error).__name__) from error


# Every text goes out through these, escaped: a record cannot send a terminal control sequence.
def _write(text: str, *, styled: bool = False) -> None:
    """Write *text*, lines as they are, with every control or format character escaped.

    *styled* text is coloured on a terminal (see :func:`_colour`), after the escaping: only the
    sequences added here reach the terminal.
    """
    shown = printable(text, lines=True)
    if styled and _colour():
        for pattern, style in _STYLES:
            shown = pattern.sub(style, shown)
    with _stdout() as stream:
        stream.write(shown)


def _out(text: str, *, styled: bool = False) -> None:
    _write(text + "\n", styled=styled)


def _text_width() -> int:
    """The width to wrap prose to: the terminal's (50 columns at least), or 80 when not a terminal."""
    stream = sys.stdout
    if stream is None or not stream.isatty():
        return _PROSE_WIDTH
    return max(_NARROWEST, shutil.get_terminal_size((_PROSE_WIDTH, 24)).columns)


def _drawing_width() -> int:
    """The width of the time axis under ``explain`` and ``options``: the text's, at most 78 columns."""
    return min(_text_width(), _DRAWING_WIDTH)


_DRAWING_WIDTH: Final = 78
_PROSE_WIDTH: Final = 80
_NARROWEST: Final = 50


_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


def _out_json(data: object) -> None:
    r"""Write *data* as indented JSON, escaping also the C1, DEL and format characters JSON leaves raw.

    To a stream whose encoding is not a UTF one, every non-ASCII character is written as its JSON
    escape (``\u2713``): the same JSON value, and text that is valid in that encoding and in UTF-8.
    """
    text = json_text(data)
    with _stdout() as stream:
        if not codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf"):
            text = _NON_ASCII.sub(lambda found: json.dumps(found.group())[1:-1], text)
        stream.write(text)


def _flush() -> None:
    """Write out what standard output still holds, if it is open."""
    if sys.stdout is not None:
        with _stdout() as stream:
            stream.flush()


def _err(text: str) -> None:
    """Write one line to stderr; a newline inside *text* (from a record, or a file name) is escaped.

    With stderr closed or failing there is nowhere left to say it: the line is dropped.
    """
    stream = sys.stderr
    if stream is None:  # started with standard error closed (`2>&-`)
        return
    try:
        stream.write(printable(text) + "\n")
    except OSError:
        _silence(stream)


def _display_name(name: str) -> str:
    return "<stdin>" if name == STDIN else printable(name) if name else "''"


def read_record(name: str) -> ContractRecord:
    """Read and check the record in the file *name*, or standard input for ``-``.

    Raises:
        InvalidRecord: for a file that cannot be read or a record that is invalid.
    """
    if not name:
        raise InvalidRecord("", "the file name is empty")
    if name == STDIN:
        if sys.stdin is None:  # started with standard input closed
            raise InvalidRecord("", "standard input is closed")
        try:
            # one byte past the limit is enough to refuse an endless stream without reading it all
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        except OSError as error:
            raise InvalidRecord("", f"cannot read standard input: {error.strerror or error}") from None
        return loads(data)
    return load(name)


class _Reported(Exception):
    """Raised once an invalid input has been reported; the command then exits with 1."""


def _read_or_report(name: str) -> ContractRecord:
    """Read the record in *name*, or write its problems to stderr and raise :class:`_Reported`."""
    try:
        return read_record(name)
    except InvalidRecord as error:
        report_invalid(name, error)
        raise _Reported from error


def report_invalid(name: str, error: InvalidRecord) -> None:
    """Write every problem of *error* to stderr, one line each: ``FILE: path: problem``."""
    for problem in error.errors:
        where = f"{problem.path}: " if problem.path else ""
        _err(f"{_display_name(name)}: {where}{problem.problem}")


def _validate(args: argparse.Namespace) -> int:
    """Check each record file; print ``FILE: ok`` or every problem found, or all of it as JSON."""
    code = EXIT_OK
    checked: list[dict[str, object]] = []
    for name in args.files:
        try:
            read_record(name)
        except InvalidRecord as error:
            code = EXIT_INVALID
            if args.json:
                found = [{"path": problem.path, "message": problem.problem} for problem in error.errors]
                checked.append({"file": name, "valid": False, "errors": found})
            else:
                report_invalid(name, error)
        else:
            if args.json:
                checked.append({"file": name, "valid": True, "errors": []})
            else:
                _out(f"{_display_name(name)}: ok")
    if args.json:
        _out_json({"format": VALIDATION_FORMAT, "files": checked})
    return code


def _schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the record format."""
    del args
    _out_json(schema())
    return EXIT_OK


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except InvalidRecord as error:
        raise argparse.ArgumentTypeError(f"{error.problem}; write it as 2026-11-03T10:00:00Z") from None


def _number(text: str) -> int | None:
    """*text* as an int, or ``None`` if it is not one."""
    try:
        return int(text)
    except ValueError:  # also for more digits than int() takes
        return None


def _workers(text: str) -> int:
    count = _number(text)
    if count is None or count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of worker processes (1 or more)")
    if count > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text!r} is more worker processes than the {MAX_JOBS} allowed")
    return count


def _width(text: str) -> int:
    columns = _number(text)
    if columns is None or not MIN_WIDTH <= columns <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of columns from {MIN_WIDTH} to {MAX_WIDTH}")
    return columns


def _port(text: str) -> int:
    port = _number(text)
    if port is None or not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to {MAX_PORT}")
    return port


def _questions(text: str) -> tuple[Question, ...]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = [question.value for question in Question]
    if not names:
        raise argparse.ArgumentTypeError(f"give at least one question, comma-separated, of: {', '.join(known)}")
    unknown = [name for name in names if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"{unknown[0]!r} is not a question; the questions are: {', '.join(known)}")
    return tuple(Question(name) for name in names)


def _now() -> datetime:
    """The present instant: the one place gigpolicy reads the clock (``--at``'s default)."""
    return datetime.now(UTC)


def _explain(args: argparse.Namespace) -> int:
    """Evaluate one record and print the report."""
    record = _read_or_report(args.file)
    at = args.at if args.at is not None else _now()
    report = evaluate(record, at=at, policy=args.policy)
    if args.json:
        _out_json(report_data(report, record))
    else:
        _out(report_text(report, record, width=_text_width(), zone=args.tz), styled=True)
        _out("")
        _write(timeline_text(timeline(record, report), width=_drawing_width()))
    return EXIT_OK


def _options(args: argparse.Namespace) -> int:
    """Simulate every next step open to one party and print them side by side."""
    record = _read_or_report(args.file)
    history = [_read_or_report(name) for name in args.history or ()]
    at = args.at if args.at is not None else _now()
    found = options(record, party=args.party, at=at, policy=args.policy)
    effects = (
        [score_effect(history, option, freelancer=record.contract.freelancer, policy=args.policy) for option in found]
        if args.history
        else None
    )
    if args.json:
        _out_json(options_data(found, effects))
    else:
        _out(options_text(found, record, at, effects, width=_text_width(), zone=args.tz), styled=True)
        shown = next((option for option in found if option.action == "end_contract"), found[0])
        _out("")
        _out(f"The contract on a time axis if you choose {shown.action} now:" if shown.events else "The contract now:")
        _write(timeline_text(timeline(shown.acted_record, shown.right_after), width=_drawing_width()))
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    """Evaluate one record under two policies and print the decisions that differ."""
    record = _read_or_report(args.file)
    at = args.at if args.at is not None else _now()
    first, second = (evaluate(record, at=at, policy=name) for name in args.policy)
    found = differences(first, second)
    if args.json:
        _out_json(differences_data(found, first, second))
    else:
        _out(differences_text(found, first, second, record, width=_text_width(), zone=args.tz))
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    """Evaluate one record per input line; write one JSON result per line, in order."""
    # lines as bytes, so that a line that is not UTF-8 is one error line and the others go on;
    # read_lines holds no more of a line than a record may hold, however long the line
    if args.file == STDIN:
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            _err("gigpolicy: error: cannot read <stdin>: standard input is closed")
            return EXIT_INVALID
        return _batch_lines(args, getattr(sys.stdin, "buffer", sys.stdin))
    if not args.file:
        _err("gigpolicy: error: cannot read '': the file name is empty")
        return EXIT_INVALID
    try:
        stream = Path(args.file).open("rb")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        _err(f"gigpolicy: error: cannot read {args.file}: {error.strerror or error}")
        return EXIT_INVALID
    with stream:
        return _batch_lines(args, stream)


def _batch_lines(args: argparse.Namespace, stream: IO[bytes] | IO[str]) -> int:
    """Write the result blocks, each whole: Ctrl-C or SIGTERM stops between two, exit 130 or 143.

    On a terminal, standard error shows the progress: the records done, the invalid ones and
    their rate, and for a file the share read and the time left.
    """
    at = args.at if args.at is not None else _now()
    failed = stopped = 0
    reader = CountingReader(stream)  # its bytes read give a file's share done
    blocks = written_blocks(read_lines(reader), at=at, policy=args.policy, questions=args.questions, jobs=args.jobs)
    with (
        fewer_collections(),  # this process evaluates the blocks itself with one job
        BatchProgress(sys.stderr, input_size(stream)) as progress,  # ends last: the final count, on Ctrl-C too
        stop_signals() as stops,
        contextlib.closing(blocks),  # closing: the workers end before the handlers do
    ):
        try:
            for block, data in blocks:
                with stops.holding():
                    _write_whole(data)  # made printable where it was made; written before the next block is asked for
                failed += len(block.failed)
                progress.update(block.count, len(block.failed), reader.consumed)
            with stops.holding():
                _flush()
        except Stopped as stop:
            stopped = stop.signum
            _flush()  # whole lines only: each block was written whole
    if stopped:
        return 128 + stopped  # what a shell reports for a process the signal ended: 130, 143
    return EXIT_INVALID if failed else EXIT_OK


def _write_whole(text: str | bytes | memoryview) -> None:
    """Write *text* to stdout as UTF-8 (as JSON Lines is), all of it (*text* as bytes is UTF-8 already).

    A raw stdout (``python -u``) takes only part of a long write that a signal interrupts,
    and its text layer drops the rest without a word: so write the bytes until all are out.
    """
    with _stdout() as stdout:
        stream = getattr(stdout, "buffer", None)
        if stream is None:  # a text-only stream put in place of stdout
            stdout.write(text if isinstance(text, str) else str(text, "utf-8"))
            return
        data = memoryview(text.encode("utf-8") if isinstance(text, str) else text)
        try:
            while data:
                data = data[stream.write(data) :]
        finally:
            # a failed write's traceback keeps this frame: let go of the bytes now (a batch block's
            # are in memory shared with a worker, which is given back once no view holds it)
            data.release()


def _timeline(args: argparse.Namespace) -> int:
    """Draw the contract on one time axis: events, windows, deadlines and the instant judged."""
    record = _read_or_report(args.file)
    at = args.at if args.at is not None else _now()
    drawn = timeline(record, evaluate(record, at=at, policy=args.policy))
    if args.json:
        _out_json(_timeline_data(drawn))
        return EXIT_OK
    if args.svg is None:
        _write(timeline_text(drawn, width=args.width))
        return EXIT_OK
    if args.svg == STDOUT:
        _write_whole(timeline_svg(drawn))  # the bytes the file would hold: UTF-8, as its XML declaration says
        return EXIT_OK
    if not _writable_name(args.svg):
        return EXIT_INVALID
    try:
        Path(args.svg).write_text(timeline_svg(drawn), encoding="utf-8")
    except OSError as error:
        _err(f"gigpolicy: error: cannot write {args.svg}: {error.strerror or error}")
        return EXIT_INVALID
    _out(f"wrote {printable(args.svg)}")
    return EXIT_OK


def _timeline_data(drawn: Timeline) -> dict[str, object]:
    """The timeline as data: what the drawings show, each instant in UTC."""
    return {
        "format": TIMELINE_FORMAT,
        "title": drawn.title,
        "start": format_instant(drawn.start.astimezone(UTC)),
        "end": format_instant(drawn.end.astimezone(UTC)),
        "at": format_instant(drawn.at.astimezone(UTC)),
        "marks": [
            {"at": format_instant(mark.at.astimezone(UTC)), "label": mark.label, "kind": mark.kind.value}
            for mark in drawn.marks
        ],
        "windows": [
            {
                "code": window.code,
                "label": window.label,
                "party": None if window.party is None else window.party.value,
                "opens": format_instant(window.opens.astimezone(UTC)),
                "closes": format_instant(window.closes.astimezone(UTC)),
                "source": window.source,
            }
            for window in drawn.windows
        ],
    }


def _writable_name(name: str) -> bool:
    """Whether *name* is a file name to write to; an empty one is said to be, on stderr."""
    if name:
        return True
    _err("gigpolicy: error: cannot write '': the file name is empty")
    return False


def _policies(args: argparse.Namespace) -> int:
    """List the policies, each version with its date and source; or, with --sources, the sources."""
    if args.sources:
        if args.json:
            _out_json(sources_data())
        else:
            _out(sources_text(width=_text_width()))
        return EXIT_OK
    if args.json:
        _out_json(policies_data())
        return EXIT_OK
    lines: list[str | Prose] = []
    for name in available_policies():
        lines.append(name)
        for version in policy_versions(name):
            lines.append(Prose(f"  {version.label}  ", version.title, " " * (len(version.label) + 4)))
            if version.source:
                lines.append(f"      {version.source}")
            if date_confirmed(version) is False:
                lines.append("      date unconfirmed (see gigpolicy policies --sources)")
    if lines:  # none where no policy is registered
        _out(wrapped_text(lines, _text_width()))
    return EXIT_OK


def _deadlines(args: argparse.Namespace) -> int:
    """Print every deadline still open or ahead: text, JSON, or an iCalendar file."""
    record = _read_or_report(args.file)
    at = args.at if args.at is not None else _now()
    found = deadlines(record, at=at, policy=args.policy)
    if args.json:
        _out_json(
            {
                "format": DEADLINES_FORMAT,
                "contract": record.contract.id,
                "at": format_instant(at.astimezone(UTC)),
                "deadlines": [_deadline_data(deadline) for deadline in found],
            }
        )
        return EXIT_OK
    if args.ics is None:
        _out(_deadlines_text(found, record.contract.id, at, _text_width(), args.tz))
        return EXIT_OK
    calendar = deadlines_ics(found, at=at)
    if args.ics == STDOUT:
        _write_whole(calendar)  # the bytes the file would hold: UTF-8 with CRLF line endings
        return EXIT_OK
    if not _writable_name(args.ics):
        return EXIT_INVALID
    try:
        Path(args.ics).write_bytes(calendar.encode("utf-8"))
    except OSError as error:
        _err(f"gigpolicy: error: cannot write {args.ics}: {error.strerror or error}")
        return EXIT_INVALID
    _out(f"wrote {printable(args.ics)}: {len(found)} deadlines")
    return EXIT_OK


def _for_whom(party: Party | None) -> str:
    return "both parties" if party is None else f"the {party.value}"


def _deadline_data(deadline: Deadline) -> dict[str, object]:
    return {
        "code": deadline.code,
        "label": deadline.label,
        "party": None if deadline.party is None else deadline.party.value,
        "opens": None if deadline.opens is None else format_instant(deadline.opens),
        "closes": format_instant(deadline.closes),
        "source": deadline.source,
        "policy": deadline.policy,
        "uid": deadline.uid,
    }


def _deadlines_text(
    found: tuple[Deadline, ...], contract: str, at: datetime, width: int, zone: tzinfo | None = None
) -> str:
    """The deadlines, each time also in *zone* if it adds one, wrapped to *width* once zoned."""
    times = "times in UTC"
    if zone is not None and zoned(when(at), zone) != when(at):  # a zone that adds a time to the header's
        times += f", and in {zone}"
    lines: list[str | Prose] = [Prose("", f"Deadlines of contract {contract} at {when(at)} ({times})", "  "), ""]
    for deadline in found:
        # the instant in the prose, so that it is zoned too; later lines under it
        what = f"{when(deadline.closes)}  {deadline.label} ({deadline.code}, for {_for_whom(deadline.party)})"
        lines.append(Prose("closes ", what, "       "))
        if deadline.opens is not None:
            lines.append(f"  opens {when(deadline.opens)}")
        if deadline.source is not None:
            lines.append(f"  source {deadline.source}")
    if not found:
        lines.append("No deadline is open or ahead.")
    else:
        lines.extend(
            [
                "",
                Prose(
                    "",
                    f"Under {', then '.join(sorted({deadline.policy for deadline in found}))}, if no new event"
                    " comes; an estimate, not the marketplace's word.",
                    "",
                ),
            ]
        )
    return wrapped_text(lines, width, zone)


def _score(args: argparse.Namespace) -> int:
    """Print the success-score estimate, each job counted or excluded and why, and when it changes by time alone."""
    records = []
    invalid = False
    for name in args.files:
        try:
            records.append(_read_or_report(name))
        except _Reported:
            invalid = True  # read on: every invalid file is reported in one pass
    if invalid:
        return EXIT_INVALID
    at = args.at if args.at is not None else _now()
    estimate = job_success(records, freelancer=args.freelancer, at=at, policy=args.policy)
    chosen, scored = _thresholds(args.policy, at)
    judged = [
        (_judge(record, at, freelancer=args.freelancer, policy=args.policy), _changes_at(record, args, at))
        for record in records
    ]
    target = None if args.target is None or estimate is None else _more_jobs(estimate, args.target)
    facts = _ScoreFacts(
        freelancer=args.freelancer,
        at=at,
        policy=chosen.label,
        minimums=scored.score_minimums(),
        estimate=estimate,
        judged=judged,
        target=args.target,
        more=target,
    )
    if args.json:
        _out_json(_score_data(facts))
    else:
        _out(zoned(_score_text(facts), args.tz))
    return EXIT_OK


def _changes_at(record: ContractRecord, args: argparse.Namespace, at: datetime) -> datetime | None:
    """The first instant the record's ``job_success_score`` answer changes by time alone, for the freelancer's own."""
    if record.contract.freelancer != args.freelancer:
        return None
    report = evaluate(record, at=at, policy=args.policy, questions=(Question.JOB_SUCCESS_SCORE,))
    return report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER).until


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _more_jobs(estimate: JobSuccess, target: int) -> tuple[Decimal, int | None]:
    """The median counted weight *w*, and the least *k* of more positive jobs of weight *w* reaching *target*.

    The score rounds half up, so it reaches *target* when ``100 (P + k w - N) / (T + k w) >= target - 1/2``
    (P, N, T the positive, negative and total weights): ``k >= (t T - P + N) / (w (1 - t))`` with
    ``t = (target - 1/2) / 100``, which is below 1 for a target up to 100. ``None`` when *w* is not
    positive: then more such jobs move nothing.
    """
    weight = _median([job.weight for job in estimate.jobs])
    if weight <= 0:
        return weight, None
    share = (Fraction(target) - Fraction(1, 2)) / 100
    missing = share * Fraction(estimate.total_weight) - Fraction(estimate.positive_weight - estimate.negative_weight)
    return weight, max(math.ceil(missing / (Fraction(weight) * (1 - share))), 0)


@attrs.frozen(kw_only=True)
class _ScoreFacts:
    """What ``gigpolicy score`` prints, gathered once for its text and its JSON."""

    freelancer: str
    at: datetime
    policy: str
    minimums: tuple[int, int]
    estimate: JobSuccess | None
    judged: list[tuple[CountedJob | ExcludedJob, datetime | None]]
    target: int | None
    more: tuple[Decimal, int | None] | None


_ESTIMATE_NOTE: Final = (
    "An estimate: the real Job Success Score is proprietary; gigpolicy follows its published description."
)


def _score_text(facts: _ScoreFacts) -> str:
    estimate = facts.estimate
    score = "no score yet" if estimate is None else str(estimate.score)
    lines = [
        f"Success-score estimate of {facts.freelancer} at {when(facts.at)} under {facts.policy}: {score}",
        _ESTIMATE_NOTE,
        "",
    ]
    changes: list[tuple[datetime, str]] = []
    for job, until in facts.judged:
        if isinstance(job, CountedJob):
            outcome = {True: "positive", False: "negative", None: "no feedback"}[job.positive]
            lines.append(
                f"counted   {job.contract}  client {job.client}, weight {job.weight}, {outcome},"
                f" net paid {job.net_paid}"
            )
            if until is not None:
                lines.append(f"  stops counting at {when(until)}")
                changes.append((until, f"{job.contract} stops counting"))
            continue
        lines.append(f"excluded  {job.contract}")
        lines.extend(f"  {reason.code}: {reason.message}" for reason in job.reasons)
        if until is not None:
            lines.append(f"  counts from {when(until)} if no new event comes")
            changes.append((until, f"{job.contract} starts counting"))
    lines.append("")
    if estimate is None:
        jobs, clients = facts.minimums
        lines.append(f"A score needs at least {jobs} counted jobs from {clients} distinct clients.")
    else:
        lines.append(
            f"score = 100 x (positive {estimate.positive_weight} - negative {estimate.negative_weight})"
            f" / total {estimate.total_weight}, at least 0, rounded half up: {estimate.score}"
        )
    if changes:
        lines.extend(["", "By time alone, with no new event, the estimate changes at:"])
        lines.extend(f"  {when(instant)}  {what}" for instant, what in sorted(changes))
    if facts.target is not None:
        lines.extend(["", _target_text(facts)])
    return "\n".join(lines)


def _target_text(facts: _ScoreFacts) -> str:
    if facts.more is None:
        return f"Target {facts.target}: there is no score yet to start from."
    weight, more = facts.more
    if more is None:
        return f"Target {facts.target}: out of reach: the median counted weight is {weight}, so more jobs move nothing."
    if more == 0:
        return f"Target {facts.target}: reached already."
    return (
        f"Target {facts.target}: {more} more positive jobs of weight {weight} (the median counted weight) would"
        f" bring the estimate to {facts.target} or more, if nothing else changes."
    )


def _score_data(facts: _ScoreFacts) -> dict[str, object]:
    estimate = facts.estimate
    jobs: list[dict[str, object]] = []
    excluded: list[dict[str, object]] = []
    for job, until in facts.judged:
        changes = None if until is None else format_instant(until.astimezone(UTC))
        if isinstance(job, CountedJob):
            jobs.append(
                {
                    "contract": job.contract,
                    "client": job.client,
                    "weight": str(job.weight),
                    "positive": job.positive,
                    "net_paid": str(job.net_paid.amount),
                    "currency": job.net_paid.currency,
                    "stops_counting_at": changes,
                }
            )
        else:
            reasons = [{"code": r.code, "message": r.message, "source": r.source} for r in job.reasons]
            excluded.append({"contract": job.contract, "reasons": reasons, "counts_from": changes})
    target: dict[str, object] | None = None
    if facts.target is not None:
        weight, more = facts.more if facts.more is not None else (None, None)
        target = {"score": facts.target, "weight": None if weight is None else str(weight), "more_jobs": more}
    return {
        "format": SCORE_FORMAT,
        "estimate": True,
        "freelancer": facts.freelancer,
        "at": format_instant(facts.at.astimezone(UTC)),
        "policy": facts.policy,
        "minimums": {"jobs": facts.minimums[0], "clients": facts.minimums[1]},
        "score": None if estimate is None else estimate.score,
        "positive_weight": None if estimate is None else str(estimate.positive_weight),
        "negative_weight": None if estimate is None else str(estimate.negative_weight),
        "total_weight": None if estimate is None else str(estimate.total_weight),
        "jobs": jobs,
        "excluded": excluded,
        "target": target,
    }


SERVE_MISSING: Final = "gigpolicy serve needs the serve extra: pip install 'gigpolicy[serve]'"
"""What ``gigpolicy serve`` says, exiting with 1, when Starlette or uvicorn is not installed."""


def _serve(args: argparse.Namespace) -> int:
    """Start the web page and JSON API under uvicorn; the server is imported only here."""
    try:
        from gigpolicy.serve import run  # noqa: PLC0415 - the serve extra is optional
    except ModuleNotFoundError:
        _err(SERVE_MISSING)
        return EXIT_INVALID
    try:
        run(host=args.host, port=args.port, cors=args.cors)
    except SystemExit as stopped:  # uvicorn exits with 3 when it cannot start (an address it cannot bind)
        if stopped.code in {0, None}:
            return EXIT_OK
        _err(f"gigpolicy: error: the server could not start on {args.host}:{args.port} (uvicorn says why above)")
        return EXIT_INVALID
    return EXIT_OK


def _completion(args: argparse.Namespace) -> int:
    """Print the completion script of a shell, as it is: its tabs and all."""
    _write_whole(completion_script(args.shell))
    return EXIT_OK


def _zone(text: str) -> tzinfo:
    try:
        return ZoneInfo(text)
    # ValueError: a key that is no file name (../x, an absolute path, a NUL); OSError: one too long for a file name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone this machine knows; give an IANA name such as Europe/Berlin"
        ) from None


def _zone_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--tz",
        type=_zone,
        metavar="ZONE",
        help="also show each time in ZONE, an IANA name such as Europe/Berlin (JSON stays in UTC)",
    )


_DECIDED: Final = "|".join(re.escape(phrase) for phrase in PHRASES.values())
"""A decision's question as ``explain`` writes it after the answer."""
_STYLES: Final = (
    # headings, in bold
    (
        re.compile(
            r"^(In short:|State|Decisions|Sources|Sources of the answer:|Warnings:|What each option assumes:)$",
            re.MULTILINE,
        ),
        "\x1b[1m\\1\x1b[0m",
    ),
    # the answer of each decision: yes in green, no in red (before its question: a wrapped line of
    # prose that starts with the word is left alone)
    (re.compile(rf"^(    )(yes)( )(?={_DECIDED})", re.MULTILINE), "\\1\x1b[32m\\2\x1b[0m\\3"),
    (re.compile(rf"^(    )(no)(  )(?={_DECIDED})", re.MULTILINE), "\\1\x1b[31m\\2\x1b[0m\\3"),
)
"""Where ``explain`` and ``options`` use colour on a terminal: SGR sequences added to the escaped text."""


def _colour() -> bool:
    """Whether to colour: standard output is a terminal, ``NO_COLOR`` is unset or empty, and ``TERM`` is not dumb."""
    stream = sys.stdout
    return (
        stream is not None and stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )


def _target(text: str) -> int:
    score = _number(text)
    if score is None or not 0 <= score <= 100:  # noqa: PLR2004 - the score's scale
        raise argparse.ArgumentTypeError(f"{text!r} is not a score from 0 to 100")
    return score


def _record_arguments(
    command: argparse.ArgumentParser,
    *,
    json: str | None = None,
    policy: bool = True,
    nargs: str | None = None,
    zone: bool = True,
) -> None:
    """The arguments of a command that judges one record: FILE, --at, --policy, --tz and --json."""
    command.add_argument("file", metavar="FILE", nargs=nargs, help="a record file; - reads standard input")
    command.add_argument("--at", type=_instant, help="the instant to judge, RFC 3339 with an offset (default: now)")
    if zone:
        _zone_argument(command)
    if policy:
        command.add_argument("--policy", help="a policy name, or name@YYYY-MM-DD (default: the record's marketplace)")
    if json is not None:
        command.add_argument("--json", action="store_true", help=json)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, escaping the arguments its usage errors quote (unknown ones are quoted raw)."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and *message*, escaped, and exit with 2."""
        super().error(printable(message))

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """Write --help and --version to standard output as every other output, failures included.

        argparse drops a failed write without a word: the help written to a full disk would then
        end with 0. Usage errors still go to stderr as argparse writes them.
        """
        if file is sys.stderr:  # a usage error (a closed stdout comes here as None: it is no stderr)
            super()._print_message(message, file)
            return
        with _stdout() as stream:
            stream.write(message)
            stream.flush()


def _add_ahead_commands(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``deadlines`` and ``score``: what lies ahead for one contract, and for a freelancer's score."""
    deadlines_command = add_parser(
        "deadlines",
        help="every deadline still open or ahead, as text, JSON or an iCalendar file",
        description="List every window the policy has open or scheduled at the instant (feedback, responses, "
        "disputes, refunds, dormancy and its notices) and the automatic steps ahead (releases, the escrow's return): "
        "what each is, for whom, when it closes (and opens, if later), and its source, sorted by close. --ics writes "
        "them as an iCalendar file (RFC 5545) to import into a calendar.",
    )
    _record_arguments(deadlines_command)
    shown_as = deadlines_command.add_mutually_exclusive_group()
    shown_as.add_argument("--json", action="store_true", help=f"print the deadlines as JSON ({DEADLINES_FORMAT})")
    shown_as.add_argument(
        "--ics", metavar="OUT", help="write an iCalendar file to OUT instead; - writes it to standard output"
    )
    deadlines_command.set_defaults(handler=_deadlines)

    score = add_parser(
        "score",
        help="the success-score estimate from a freelancer's records, and what moves it",
        description="Estimate a freelancer's Job Success Score from their contract records: each job counted "
        "(client, weight, outcome) or excluded and why, the instants the estimate changes by time alone (a job "
        "leaves the look-back window), and with --target how many more positive jobs would reach a score. The real "
        "score is proprietary: this is an estimate that follows its published description.",
    )
    score.add_argument("files", nargs="+", metavar="FILE", help="a record file; - reads standard input")
    score.add_argument("--freelancer", required=True, metavar="ID", help="the freelancer whose score to estimate")
    score.add_argument("--at", type=_instant, help="the instant to judge, RFC 3339 with an offset (default: now)")
    _zone_argument(score)
    score.add_argument("--policy", help="a policy name, or name@YYYY-MM-DD (default: each record's marketplace)")
    score.add_argument(
        "--target",
        type=_target,
        metavar="N",
        help="also say how many more positive jobs, each of the median counted weight w, would bring the score "
        "(rounded half up) to N: the least k with 100 x (positive + k w - negative) / (total + k w) >= N - 0.5, "
        "if nothing else changes",
    )
    score.add_argument("--json", action="store_true", help=f"print the estimate as JSON ({SCORE_FORMAT})")
    score.set_defaults(handler=_score)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gigpolicy",
        description="What a freelance marketplace's rules allow and cause for one contract at one instant.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check record files",
        description="Check record files in the gigpolicy/1 format and report every problem, with its path.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a record file; - reads standard input")
    validate.add_argument(
        "--json", action="store_true", help=f"print the result of every file as JSON ({VALIDATION_FORMAT})"
    )
    validate.set_defaults(handler=_validate)

    schema_command = commands.add_parser(
        "schema",
        help="print the JSON Schema of the record format",
        description="Print the JSON Schema (draft 2020-12) of the gigpolicy/1 record format.",
    )
    schema_command.set_defaults(handler=_schema)

    explain = commands.add_parser(
        "explain",
        help="what the rules allow and cause for one contract now",
        description="Evaluate one record: its state, earnings, and every decision with deadline, reasons and sources.",
    )
    _record_arguments(explain, json=f"print the report as JSON ({REPORT_FORMAT})")
    explain.set_defaults(handler=_explain)

    options_command = commands.add_parser(
        "options",
        # FILE first: --history takes every FILE after it, so FILE cannot follow it
        usage="%(prog)s [-h] FILE --as {client,freelancer} [--at AT] [--tz ZONE] [--policy POLICY]\n"
        "                         [--json] [--history FILE [FILE ...]]",
        help="what each next step would lead to, worst and best case",
        description="Simulate every next step open to one party (wait, end, refund and end, report and end, ...) "
        "and show where each leads in the worst and the best case.",
    )
    options_command.add_argument(
        "--as", dest="party", required=True, choices=["client", "freelancer"], help="the party who acts"
    )
    # FILE is checked by _parse: argparse's own message could not say that --history took it
    _record_arguments(options_command, json=f"print the options as JSON ({OPTIONS_FORMAT})", nargs="?")
    options_command.add_argument(
        "--history",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="the freelancer's other contract records: adds how each option moves the success-score estimate. "
        "Give them after the record FILE: --history takes every FILE that follows it (given twice, it takes both "
        "lists)",
    )
    options_command.set_defaults(handler=_options, usage_error=options_command.error)

    compare = commands.add_parser(
        "compare",
        help="the decisions two policies or versions answer differently",
        description="Evaluate one record under two policies (or two versions, as upwork@2019-01-01) and show "
        "the decisions that differ.",
    )
    _record_arguments(compare, json=f"print the differences as JSON ({DIFFERENCES_FORMAT})", policy=False)
    compare.add_argument("--policy", action="append", required=True, help="a policy name; give it twice")
    compare.set_defaults(handler=_compare, usage_error=compare.error)

    batch = commands.add_parser(
        "batch",
        help="evaluate one record per line (JSON Lines) into one result per line",
        description="Evaluate one record per input line and write one JSON result per line, in input order. "
        "A bad line yields an error line naming the line and the run goes on; the exit code is 1 if any line "
        "was bad.",
    )
    batch.add_argument("file", metavar="IN.jsonl", help="one record per line; - reads standard input")
    batch.add_argument("--at", type=_instant, help="the instant to judge, RFC 3339 (default: now)")
    batch.add_argument("--policy", help="a policy name, or name@YYYY-MM-DD (default: each record's)")
    batch.add_argument(
        "--jobs",
        type=_workers,
        default=1,
        help=f"worker processes, at most one per CPU and per block (default: 1; at most {MAX_JOBS})",
    )
    batch.add_argument(
        "--questions", type=_questions, help="only these questions, comma-separated, as end_contract (default: all)"
    )
    batch.set_defaults(handler=_batch)

    timeline_command = commands.add_parser(
        "timeline",
        help="draw the contract on a time axis, in the terminal or as SVG",
        description="Draw the events, the windows and deadlines the policy opens, and the instant judged.",
    )
    _record_arguments(timeline_command, zone=False)  # the drawing's axis is in UTC, and says so
    drawn_as = timeline_command.add_mutually_exclusive_group()
    drawn_as.add_argument(
        "--svg", metavar="OUT", help="write an SVG picture to OUT instead; - writes it to standard output"
    )
    drawn_as.add_argument(
        "--json", action="store_true", help=f"print the marks and windows as JSON instead ({TIMELINE_FORMAT})"
    )
    timeline_command.add_argument(
        "--width",
        type=_width,
        default=78,
        help=f"columns of the terminal drawing, {MIN_WIDTH} to {MAX_WIDTH} (default: 78)",
    )
    timeline_command.set_defaults(handler=_timeline)

    _add_ahead_commands(commands.add_parser)

    policies = commands.add_parser(
        "policies",
        help="list the policies and their versions",
        description="List every registered policy with its versions, effective dates and sources, and mark the "
        "versions whose date no source confirms; or, with --sources, list every source the policies cite.",
    )
    policies.add_argument(
        "--json",
        action="store_true",
        help=f"print the list as JSON ({POLICIES_FORMAT}; with --sources, {SOURCES_FORMAT})",
    )
    policies.add_argument(
        "--sources",
        action="store_true",
        help="list the cited sources instead: kind, day last checked, whether each states its rule's date",
    )
    policies.set_defaults(handler=_policies)

    serve = commands.add_parser(
        "serve",
        help="run the JSON API on a local web server (needs the serve extra)",
        description="Serve the JSON API (/v1/evaluate, /v1/options, /v1/validate, /v1/policies, /v1/schema, "
        "/healthz) with uvicorn. Needs the serve extra: pip install 'gigpolicy[serve]'.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--cors", metavar="ORIGIN", help="allow cross-origin requests from ORIGIN (default: none)")
    serve.set_defaults(handler=_serve)

    add_completion_command(commands.add_parser, _completion)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gigpolicy`` command with *argv* (``sys.argv[1:]`` when ``None``).

    Returns:
        The exit code: 0 on success, 1 on invalid input or output that cannot be written,
        141 when the reader of the output went away, 130 on Ctrl-C.

    Raises:
        SystemExit: with code 2 on a usage error, and 0 after ``--help`` or ``--version``.
    """
    _escape_unencodable()
    tune_collector()  # the command's process is gigpolicy's own
    try:
        try:
            return _main(argv)
        finally:
            _flush()  # also after --help and --version, which leave by SystemExit
    except BrokenPipeError:
        # the reader went away (`gigpolicy ... | head`): stop quietly, as other command-line tools do
        _silence(sys.stdout)
        return EXIT_BROKEN_PIPE
    except _Unwritable as failed:
        _silence(sys.stdout)
        _err(f"gigpolicy: error: cannot write to standard output: {failed}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    args = _parse(argv)
    handler: Handler = args.handler
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PluginWarning)
            return _run(handler, args)
    finally:
        _report_warnings(caught)  # after the with: a warning shown again is not caught again


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed *argv*; exit 2 with the usage on a usage error, argparse's and those it cannot see."""
    args = _build_parser().parse_args(argv)
    if args.command == "options" and args.file is None:
        usage_error: Callable[[str], NoReturn] = args.usage_error
        if args.history:
            usage_error("--history took every FILE after it: give the record FILE before --history")
        usage_error("the following arguments are required: FILE")
    if args.command == "compare" and len(args.policy) != 2:  # noqa: PLR2004 - a comparison has two sides
        args.usage_error("give exactly two --policy options")
    return args


def _run(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except _Reported:
        return EXIT_INVALID
    except GigPolicyError as error:
        # one line per problem, so that no record text can start a line of its own
        for problem in error.errors if isinstance(error, InvalidRecord) else (error,):
            _err(f"gigpolicy: error: {problem}")
        return EXIT_INVALID


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Write each skipped plugin once, as ``gigpolicy: warning: ...``; show any other warning as Python would."""
    reported: set[str] = set()
    for warning in caught:
        if not issubclass(warning.category, PluginWarning):
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
        elif str(warning.message) not in reported:
            reported.add(str(warning.message))
            _err(f"gigpolicy: warning: {warning.message}")
