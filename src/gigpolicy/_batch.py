"""Many records at once: one JSON line in, one JSON line out, in order, streaming.

No line is lost: every input line, whatever it holds, gives exactly one output line, and
every output line is JSON text that encodes as UTF-8. A line is held in memory only up to
:data:`~gigpolicy._codec.MAX_BYTES`, the largest record :func:`~gigpolicy.loads` accepts;
a longer one is read past in pieces (:func:`read_lines`) and gives an error line.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import mmap
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from itertools import chain, islice
from types import FrameType
from typing import Any, Final, Protocol, TypeAlias

import attrs

from gigpolicy._codec import MAX_BYTES, loads, read_here
from gigpolicy._context import in_decimal_context
from gigpolicy._decision import EVERY_QUESTION, Question
from gigpolicy._evaluate import (
    Decided,
    Replayed,
    Report,
    decided_from,
    decided_together,
    detached,
    evaluate,
    replayed,
    reported,
)
from gigpolicy._money import describe
from gigpolicy._policy import Policy, PolicyClock, clock_of, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._report_json import ERRORS_FORMAT, report_line
from gigpolicy._report_text import printable as printable_text
from gigpolicy.errors import GigPolicyError, InvalidArgument, InvalidRecord

__all__ = ["CHUNK", "BatchLine", "Block", "evaluate_blocks", "evaluate_lines"]

CHUNK: Final = 256
"""Lines evaluated as one block (by one worker process); memory holds at most a few blocks."""
BLOCK_BYTES: Final = 4 * 1024 * 1024
"""A block also ends once its lines hold this many bytes, so a few blocks of long lines stay small."""
_SKIP: Final = 64 * 1024
"""The piece in which the rest of a line too long to hold is read and dropped."""
_WATCH_EVERY: Final = 0.5
"""Seconds between two looks at its parent by a worker that the system cannot tie to it."""
_PR_SET_PDEATHSIG: Final = 1
"""Linux's ``prctl`` option: the signal a process gets when its parent ends."""
_STOPS: Final = frozenset({signal.SIGINT, signal.SIGTERM})
_MASKS: Final = hasattr(signal, "pthread_sigmask")
"""Whether this system has signal masks (POSIX does; Windows has neither masks nor fork)."""
_CONTEXT: Final = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
"""Workers are children of the process that evaluates, whatever start method its program set:
the default on Linux up to Python 3.13, and on the other systems."""


@attrs.frozen(kw_only=True)
class BatchLine:
    """The result of one input line: the JSON text to write, and whether it is an error."""

    number: int
    text: str
    ok: bool


@attrs.frozen(kw_only=True)
class Block:
    """The results of consecutive input lines, as the one text that writes them all.

    A worker process sends back one block, not one object per line, and as the bytes to
    write: the process that writes them neither decodes nor encodes, and a single
    ``bytes`` crosses between processes faster than hundreds of small objects. A forked
    worker leaves those bytes in memory it shares with the parent rather than send them
    through a pipe (``_Ring``).
    """

    start: int
    """The number of the block's first line."""
    count: int
    """How many lines it holds."""
    data: bytes
    """The result lines as UTF-8, each ending with a newline."""
    failed: tuple[int, ...]
    """The numbers of the lines whose result is an error line."""

    @property
    def text(self) -> str:
        """The result lines, each ending with a newline."""
        return self.data.decode("utf-8")


@attrs.frozen(kw_only=True)
class _Job:
    at: datetime
    policy: Policy | str | None
    questions: tuple[Question, ...] | None
    printable: bool = False
    """Whether a block's text is made safe to print (as ``gigpolicy batch`` writes it) where it is made."""
    wanted: tuple[Question, ...] = attrs.field(init=False)
    """The questions asked of every line: ``questions``, or all of them."""

    @wanted.default
    def _all_unless_chosen(self) -> tuple[Question, ...]:
        return EVERY_QUESTION if self.questions is None else self.questions


BATCH_GC: Final = (20_000, 10, 10)
"""The thresholds of the garbage collector in a process of gigpolicy's own that evaluates blocks: a
worker, or the command line's ``batch`` (Python's own are 700, 10 and 10).

Such a process holds a block's records and reports at once (``_block``): at the default first
threshold, collections that found nothing took 8% of its time. Memory freed by reference counting
is freed as ever; only cycles wait longer, a few thousand objects at most."""


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Within it, this process collects garbage at :data:`BATCH_GC`'s thresholds; after, at its own again.

    For the command line's ``batch``, whose process is gigpolicy's own: a library call never
    changes its caller's collector.
    """
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC)
    try:
        yield
    finally:
        gc.set_threshold(*before)


_EMPTY: Final = ({"path": "", "problem": "the line is empty"},)
_ERRORS: Final = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
"""Error lines echo bad input (a key that is a lone surrogate, control characters): all escaped."""


class _Refused(bytes):
    """A line that is no record text before any parsing (too long, not text): its bytes are the problem."""

    __slots__ = ()


class _Readable(Protocol):
    def readline(self, size: int = -1, /) -> bytes | str: ...


def read_lines(stream: _Readable, limit: int = MAX_BYTES) -> Iterator[bytes]:
    """The lines of *stream* as bytes, newline included, holding at most *limit* + 1 bytes of one line.

    A line longer than *limit* bytes (its newline included) is read past in pieces of 64 KiB,
    never held whole, and comes out as a marker that :func:`evaluate_lines` and
    :func:`evaluate_blocks` turn into the error line ``loads`` would give it, so
    ``gigpolicy batch /dev/zero`` reads on in constant memory. A text stream's lines
    are encoded as UTF-8 (a lone surrogate then gives a "not UTF-8" error line).
    """
    too_long = _Refused(f"is larger than {limit} bytes".encode())
    while line := _as_bytes(stream.readline(limit + 1)):
        if len(line) <= limit:
            yield line
            continue
        yield too_long
        while line and not line.endswith(b"\n"):
            line = _as_bytes(stream.readline(_SKIP))


def _as_bytes(line: bytes | str) -> bytes:
    return line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line


def _text(line: object) -> str | bytes:
    """*line* as text to decode, or, if it is no text, a marker for the error ``loads`` gives it."""
    if isinstance(line, str | bytes):
        return line
    if isinstance(line, bytearray):
        return bytes(line)
    return _Refused(f"must be JSON text, not {type(line).__name__}".encode())


def _result(job: _Job, number: int, line: str | bytes, resolved: Resolved) -> tuple[str, bool]:
    """The result line for input line *number* (without its newline), and whether it is valid.

    *resolved* keeps the policies found by name for the lines before, by name: one lookup per
    name, not per line (the instant judged is the same for all).
    """
    read = _read(number, line)
    if isinstance(read, str):
        return read, False
    record, checked = read
    found: Any = checked  # what the first step takes
    try:
        for step in _STEPS:
            found = step(job, record, found, resolved)
    except Exception as error:  # noqa: BLE001 - a bug on one line must not cost the lines after it
        return _failure(number, line, error), False
    return report_line(found, record, number), True


def _read(number: int, line: str | bytes) -> tuple[ContractRecord, bool] | str:
    """The record of input line *number* and whether it is checked, or the error line that says why there is none.

    A record is left unchecked for its replay to check (``read_here``); until then, an error of
    any step but the first is that of a record checked.
    """
    if isinstance(line, _Refused):
        return _error_line(number, line.decode())
    try:
        return read_here(line)  # callers run in gigpolicy's decimal context (`_block`, `evaluate_lines`)
    except Exception as error:  # noqa: BLE001 - a bug on one line must not cost the lines after it
        return _failure(number, line, error)


# The steps from a record read to its report, each taking what the one before found: a batch
# block takes each step over all its lines before the next (see `_block`)


def _replay_step(job: _Job, record: ContractRecord, checked: bool, resolved: Resolved) -> Replayed:
    """*record* replayed under the policy that judges it (checked by then, if it was not)."""
    policy = job.policy
    if isinstance(policy, Policy):
        return replayed(record, job.at, clock_of(policy, by_name=False), checked=checked)
    name = policy if policy is not None else record.contract.marketplace  # None: the default, fixed
    clock = resolved.get(name)
    if clock is None:
        try:
            chosen, by_name = resolve_policy(policy, record, job.at)
        except Exception:
            if not checked:  # the record's own problems come first, as when it is read whole
                record._checked()  # noqa: SLF001 - the record's own check
            raise
        clock = resolved[name] = PolicyClock(chosen, by_name=by_name)
    return replayed(record, job.at, clock, checked=checked)


def _decide_step(job: _Job, record: ContractRecord, found: Replayed, _: object) -> Decided:
    """The decisions on the replayed *record*."""
    return decided_from(record, job.at, found, wanted=job.wanted)


def _report_step(job: _Job, record: ContractRecord, found: Decided, _: object) -> Report:
    """The report of those decisions: the earnings added."""
    return reported(record, job.at, found[0].policy, found)


Resolved: TypeAlias = dict[str | None, PolicyClock]
"""The policies that judge a run's records, by name (``None``: the default), each found once, as its clock."""

_Step: TypeAlias = Callable[[_Job, ContractRecord, Any, Resolved], Any]
_STEPS: Final[tuple[_Step, ...]] = (
    _replay_step,
    _decide_step,
    _report_step,
)


def over_block(job: _Job, step: _Step, work: list[tuple[ContractRecord, Any]], resolved: Resolved) -> list[Any] | None:
    """*step* over a block's records, each with what the step before found for it: what it finds for each.

    Each record's result, or the exception its step raised; ``None`` once the parent wants no
    more results (asked before each record, and before the block's decisions, which are made
    together, question by question: :func:`decided_together`).
    """
    stopping = _WORKER.stopping
    if step is _decide_step:
        if stopping is not None and stopping.is_set():
            return None
        return decided_together(work, job.at, wanted=job.wanted)  # each record's exception given back
    made: list[Any] = []
    for record, found in work:
        if stopping is not None and stopping.is_set():
            return None
        try:
            made.append(step(job, record, found, resolved))
        except Exception as error:  # noqa: BLE001 - a bug on one line must not cost the lines after it
            made.append(detached(error))
    return made


def _failure(number: int, line: str | bytes, error: Exception) -> str:
    """The error line of input line *number*, which could not be read or judged for *error*."""
    if isinstance(error, InvalidRecord):
        problems = _EMPTY if not line.strip() else [{"path": e.path, "problem": e.problem} for e in error.errors]
        return _ERRORS.encode({"line": number, "format": ERRORS_FORMAT, "errors": problems})
    if isinstance(error, GigPolicyError):
        return _error_line(number, str(error))
    problem = f"could not be evaluated ({type(error).__name__}: {error}); please report this gigpolicy bug"
    return _error_line(number, problem)


def _error_line(number: int, problem: str) -> str:
    return _ERRORS.encode({"line": number, "format": ERRORS_FORMAT, "errors": [{"path": "", "problem": problem}]})


@attrs.frozen(kw_only=True)
class _Placed:
    """A block whose data a worker left in a slot of the parent's ring (:class:`_Ring`): all but the data."""

    start: int
    count: int
    slot: int
    size: int
    """How many bytes of the slot the data holds, from its start."""
    failed: tuple[int, ...]


def _placed_block(job: _Job, start: int, lines: Sequence[str | bytes], slot: int) -> Block | _Placed:
    """:func:`_block`, its data left in *slot* of the ring this worker shares with its parent.

    Only the rest of the block then crosses the pipe; data larger than the slot crosses it too.
    """
    return _placed_in(_WORKER.ring, job, start, lines, slot)


def _placed_in(
    ring: Sequence[mmap.mmap] | None, job: _Job, start: int, lines: Sequence[str | bytes], slot: int
) -> Block | _Placed:
    """:func:`_block`, its data written line by line into *slot* of *ring* (the whole block without one).

    Each result line is encoded and written into the slot on its own: joining a block's lines
    into one text and encoding that took two fresh allocations of the block's size (about 1.5
    MiB), whose pages the system gave anew for every block, a third of the cost of the step that
    writes the result lines (measured: 2.1 against 0.6 us a line). Data larger than the slot
    comes back whole in the block, and the slot is left untouched.
    """
    if ring is None:
        return _block(job, start, lines)
    made = _evaluated(job, start, lines)
    if made is None:
        return Block(start=start, count=0, data=b"", failed=())
    texts, failed = made
    written = into_slot(ring[slot], texts, printable=job.printable)
    if isinstance(written, bytes):
        return Block(start=start, count=len(lines), data=written, failed=failed)
    return _Placed(start=start, count=len(lines), slot=slot, size=written, failed=failed)


def into_slot(room: mmap.mmap, texts: list[str], *, printable: bool) -> int | bytes:
    """Write the result lines *texts* into *room* from its start, as :func:`_encoded` encodes them.

    How many bytes that took; or, if they do not fit, the data as bytes (:func:`_joined`), *room*
    left untouched.
    """
    pieces = _encoded(texts, printable=printable)
    size = sum(map(len, pieces)) + len(pieces)  # each with its newline
    if size > len(room):
        return _joined(pieces)
    end = 0
    for piece in pieces:
        stop = end + len(piece)
        room[end:stop] = piece
        room[stop] = _NEWLINE
        end = stop + 1
    return size


def _encoded(texts: list[str], *, printable: bool) -> list[bytes]:
    """The result lines *texts* encoded, each on its own; with *printable*, each made safe to print first.

    JSON escapes the C0 controls only: DEL, the C1 and the format characters of a record's text
    too. Of an ASCII line that JSON wrote, only DEL is left to escape: most lines need no more
    than that look.
    """
    encoded = []
    for text in texts:
        safe = text
        if printable and (not text.isascii() or "\x7f" in text):
            safe = printable_text(text, lines=True, json_escapes=True)
        encoded.append(safe.encode("utf-8"))
    return encoded


def _joined(pieces: list[bytes]) -> bytes:
    """A block's data of its encoded lines, each ending with a newline."""
    return b"\n".join([*pieces, b""])


_NEWLINE: Final = ord("\n")


def _block(job: _Job, start: int, lines: Sequence[str | bytes]) -> Block:
    """Evaluate consecutive *lines*, the first numbered *start*, into a block that holds its data.

    What a worker process without a slot to write in runs (:func:`_placed_in`). The data is the
    result lines (:func:`_evaluated`), each ending with a newline; once the parent wants no more
    results, the block holds none (the parent takes none from it).
    """
    made = _evaluated(job, start, lines)
    if made is None:
        return Block(start=start, count=0, data=b"", failed=())
    texts, failed = made
    return Block(start=start, count=len(lines), data=_joined(_encoded(texts, printable=job.printable)), failed=failed)


@in_decimal_context
def _evaluated(job: _Job, start: int, lines: Sequence[str | bytes]) -> tuple[list[str], tuple[int, ...]] | None:
    """The result line of each of *lines*, the first numbered *start*, and the numbers of those that are errors.

    Step by step, each over the whole block: every record read, then every one replayed, then
    every one decided, then reported, then written. Each step's code and data then stay in the
    processor's caches from one line to the next: a worker spends about a tenth less CPU on a
    varied line (measured, 141 to 127 us) than taking each line through all the steps in turn.
    The decisions go further, question by question over the block (:func:`decided_together`).
    Once the parent wants no more results, ``None``, before the next line of any step (before
    the block's decisions, which take a few milliseconds).
    """
    stopping = _WORKER.stopping
    texts: list[str] = []  # the result of each line, by position: an error line, or "" until written
    failed: list[int] = []
    work: list[tuple[int, ContractRecord, Any]] = []
    for position, line in enumerate(lines):
        if stopping is not None and stopping.is_set():  # the parent wants no more results: end soon
            return None
        read = _read(start + position, line)
        if isinstance(read, str):
            failed.append(position)
            texts.append(read)
        else:
            work.append((position, *read))  # the first step takes whether the record is checked
            texts.append("")
    resolved: Resolved = {}
    for step in _STEPS:
        made = over_block(job, step, [(record, found) for _, record, found in work], resolved)
        if made is None:
            return None
        going = []
        for (position, record, _), found in zip(work, made, strict=True):
            if isinstance(found, Exception):
                failed.append(position)
                texts[position] = _failure(start + position, lines[position], found)
            else:
                going.append((position, record, found))
        work = going
    for position, record, report in work:
        texts[position] = report_line(report, record, start + position)
    return texts, tuple(sorted(start + p for p in failed))


def _job(
    at: datetime,
    policy: Policy | str | None,
    questions: Iterable[Question | str] | None,
    jobs: int,
    *,
    printable: bool = False,
    start: int = 1,
) -> _Job:
    """The arguments, checked once before any line is read (*start*, the first line's number, too)."""
    if _count(jobs, "jobs") < 1:
        raise InvalidRecord("jobs", f"must be at least 1, not {describe(jobs)}")
    _count(start, "start")
    wanted = None if questions is None else tuple(_question(q, i) for i, q in enumerate(questions))
    probe = evaluate(_PROBE, at=at, policy=policy, questions=wanted)  # fail fast on a bad at or policy name
    # the instant as evaluate takes it (a zone's at its fixed offset then)
    return _Job(at=probe.at, policy=policy, questions=wanted, printable=printable)


def _count(value: object, name: str) -> int:
    """*value*, an ``int`` (a number of jobs or lines; ``bool`` is none).

    Raises:
        InvalidArgument: for any other value (a float, a ``Decimal``), placed at *name*.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(name, f"must be an int, not {type(value).__name__}")
    return value


def _workers(jobs: int, blocks: int) -> int:
    """How many worker processes: as many as asked, but no more than CPUs, nor than *blocks* of work."""
    return min(jobs, os.cpu_count() or 1, blocks)


@in_decimal_context
def evaluate_blocks(
    lines: Iterable[str | bytes],
    *,
    at: datetime,
    policy: Policy | str | None = None,
    questions: Iterable[Question | str] | None = None,
    jobs: int = 1,
    start: int = 1,
    size: int = CHUNK,
    printable: bool = False,
) -> Generator[Block, None, None]:
    """Evaluate one record per line, yielding the results by blocks of *size* lines, in input order.

    What ``gigpolicy batch`` writes: the same lines as :func:`evaluate_lines`, as fewer,
    larger texts. Input is read a block at a time (a block ends sooner once its lines hold
    4 MiB); with ``jobs > 1`` each block goes to one of up to that many worker processes,
    and at most twice as many blocks as workers are in flight at once, so memory stays flat
    however long the input is. There are never more workers than CPUs (``os.cpu_count()``)
    nor than blocks read, and none at all for a single block. Workers end with the process
    that started them, even when it is killed; stopping early (closing the generator, an
    exception such as ``KeyboardInterrupt``) ends them after the line each is evaluating.
    With *printable*, each block's text is made safe to print where it is made (by a worker).

    Raises:
        InvalidRecord: for a naive *at*, ``jobs < 1``, ``size < 1`` or an unknown question.
        InvalidArgument: (an InvalidRecord and a TypeError) for *jobs*, *start* or *size* not an ``int``.
        UnknownPolicy: for an unknown policy name.
    """
    job = _job(at, policy, questions, jobs, printable=printable, start=start)
    if _count(size, "size") < 1:
        raise InvalidRecord("size", f"must be at least 1, not {describe(size)}")
    yield from _blocks(job, lines, jobs=jobs, start=start, size=size)


def _chunks(lines: Iterable[object], size: int) -> Iterator[list[str | bytes]]:
    """Consecutive lines, *size* at a time or fewer once they hold :data:`BLOCK_BYTES`."""
    chunk: list[str | bytes] = []
    held = 0
    for line in lines:
        text = _text(line)  # anything that is no text becomes a marker, which a worker process can receive
        chunk.append(text)
        held += len(text)
        if len(chunk) >= size or held >= BLOCK_BYTES:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _blocks(job: _Job, lines: Iterable[object], *, jobs: int, start: int, size: int) -> Iterator[Block]:
    """The blocks of :func:`_results`, each with its data as bytes of its own."""
    for result, data in _results(job, lines, jobs=jobs, start=start, size=size):
        if isinstance(result, Block):
            yield result
        else:
            yield Block(start=result.start, count=result.count, data=bytes(data), failed=result.failed)


Result: TypeAlias = tuple["Block | _Placed", "bytes | memoryview"]
"""A block as it was made, and its data: where it was left in a slot (of the workers' ring,
:class:`_Ring`, or of the one process's own), a view of the slot, which holds the data only until
the next block is asked for."""


@in_decimal_context
def written_blocks(
    lines: Iterable[str | bytes],
    *,
    at: datetime,
    policy: Policy | str | None,
    questions: Iterable[Question | str] | None,
    jobs: int,
) -> Generator[Result, None, None]:
    """:func:`evaluate_blocks` for ``gigpolicy batch``, which writes each block's data before it asks for the next.

    Blocks of :data:`CHUNK` lines, made printable. The data of a block that a worker left in the
    ring, or that this process wrote into a slot of its own (one job), is not copied out of it (a
    tenth of the main process's work): it must be written, or copied, before the next block is
    asked for.

    Raises:
        InvalidRecord: as :func:`evaluate_blocks` does.
        UnknownPolicy: for an unknown policy name.
    """
    job = _job(at, policy, questions, jobs, printable=True)
    yield from _results(job, lines, jobs=jobs, start=1, size=CHUNK)


def _results(job: _Job, lines: Iterable[object], *, jobs: int, start: int, size: int) -> Iterator[Result]:
    """Each block of *lines* as evaluated, in order, with its data (see :data:`Result`)."""
    chunks = _chunks(lines, size)
    first = list(islice(chunks, _workers(jobs, jobs)))  # the work that decides how many workers start
    workers = _workers(jobs, len(first))
    if workers < 2:  # noqa: PLR2004 - one worker beside an idle main process would only add copying
        own = _ring_of(1)  # a slot of this process's own, written as a worker writes its own
        slots = None if own is None else own.slots
        try:
            for chunk in chain(first, chunks):
                yield from _viewed(_placed_in(slots, job, start, chunk, 0), slots)
                start += len(chunk)
        finally:
            if own is not None:
                own.close()
        return
    stopping = StopFlag()
    give_back = _memory_giver()
    given = 0  # blocks yielded while input is still read
    ring = _ring(workers)
    slots = None if ring is None else ring.slots
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_CONTEXT,
        initializer=_worker_started,
        initargs=(os.getpid(), stopping, slots),
    )
    try:
        pending: deque[Future[Block | _Placed]] = deque()
        with _signals_held():  # the workers start here (at the first submit), before they can mind signals
            for chunk in first:
                pending.append(_handed_out(pool, ring, job, start, chunk))
                start += len(chunk)
        for chunk in chunks:
            pending.append(_handed_out(pool, ring, job, start, chunk))
            start += len(chunk)
            if len(pending) > 2 * workers:  # every worker has a block running and one waiting
                yield from _viewed(pending.popleft().result(), slots)
                given += 1
                if give_back is not None and given % TRIM_EVERY == 0:
                    give_back(0)
        while pending:
            yield from _viewed(pending.popleft().result(), slots)
    except BaseException:
        # the results are no longer wanted (the generator closed, Ctrl-C, an error): the workers
        # end their blocks after the line under way, rather than evaluate every line handed out.
        # (Killing them could cut a result in the middle of its pipe, where the pool would wait forever.)
        stopping.set()
        raise
    finally:
        pool.shutdown(cancel_futures=True)
        if ring is not None:
            ring.close()


class _Ring:
    """Memory the parent shares with its forked workers, where each leaves the data of its blocks.

    A block's data crossing a pipe is copied about five times on the way (pickled, written, read
    in pieces, joined, unpickled); from a slot of the ring, once. A block is given the next slot
    in turn, which is free again once the block is yielded: as many slots as blocks can be in
    flight, and one more. A slot takes memory only as far as data was written into it; a block
    whose data is larger than :data:`SLOT_BYTES` crosses the pipe as before.
    """

    __slots__ = ("slots", "turn")

    def __init__(self, count: int) -> None:
        self.slots = [mmap.mmap(-1, SLOT_BYTES) for _ in range(count)]
        self.turn = 0

    def take(self) -> int:
        """The slot for the next block handed out."""
        slot = self.turn
        self.turn = (slot + 1) % len(self.slots)
        return slot

    def close(self) -> None:
        """Give the memory back (the workers, having ended, hold none of it).

        A slot that a view still holds (one the caller kept past its block, or a traceback's)
        stays mapped until the view goes: the error on the way out is the one that ended the run.
        """
        for slot in self.slots:
            with contextlib.suppress(BufferError):
                slot.close()


def _ring(workers: int) -> _Ring | None:
    """The ring for *workers* forked workers: a slot per block in flight (at most ``2 * workers + 1``), and one more.

    ``None`` where workers are spawned (they cannot inherit it), or where the system gives no
    such memory (a strict limit on what processes may commit, say): blocks cross the pipe then.
    """
    if _CONTEXT.get_start_method() != "fork":
        return None
    return _ring_of(2 * workers + 2)


def _ring_of(count: int) -> _Ring | None:
    """A ring of *count* slots, or ``None`` where the system gives no such memory."""
    try:
        return _Ring(count)
    except OSError:
        return None


SLOT_BYTES: Final = 4 * 1024 * 1024
"""The room for one block's data in the ring: a block of 256 small records writes about 1.5 MiB."""


def _handed_out(
    pool: ProcessPoolExecutor, ring: _Ring | None, job: _Job, start: int, chunk: list[str | bytes]
) -> Future[Block | _Placed]:
    """The future block of *chunk*, handed out to a worker with the next slot of the *ring* if there is one."""
    if ring is None:
        return pool.submit(_block, job, start, chunk)
    return pool.submit(_placed_block, job, start, chunk, ring.take())


def _viewed(result: Block | _Placed, slots: Sequence[mmap.mmap] | None) -> Generator[Result, None, None]:
    """The block a worker gave, with its data: a view of the slot where the worker left it, while it is wanted."""
    if isinstance(result, Block):
        yield result, result.data
        return
    assert slots is not None  # noqa: S101 - only a worker given a slot places its data
    with memoryview(slots[result.slot]) as whole, whole[: result.size] as view:
        yield result, view  # let go when the next block is asked for: the slot can be given out again


class _Stopping(Protocol):
    def is_set(self) -> bool: ...


class StopFlag:
    """A stop that the parent asks for and its workers read before each line: one byte they share.

    Set once, never cleared. A ``multiprocessing`` event takes a lock to be read, 0.4 us, and a
    block reads it four times a line (once in each step); the byte is read in 0.04 us.
    """

    __slots__ = ("_flag",)

    def __init__(self) -> None:
        self._flag = _CONTEXT.RawValue(ctypes.c_bool, False)  # noqa: FBT003 - the byte's first value
        """Shared with the workers by inheritance: they start with it (a fork, or the arguments of a spawn)."""

    def set(self) -> None:
        """Ask the workers to stop."""
        self._flag.value = True

    def is_set(self) -> bool:
        """Whether the parent asked the workers to stop."""
        return bool(self._flag.value)


@attrs.define
class _Worker:
    """What a worker process knows of its parent's wishes (nothing, in the parent itself)."""

    stopping: _Stopping | None = None
    """Set by the parent when it wants no more results."""
    ring: Sequence[mmap.mmap] | None = None
    """The slots it shares with the parent, where it leaves its blocks' data (see :class:`_Ring`)."""


_WORKER: Final = _Worker()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM in this thread meanwhile: a worker forked now starts with them held."""
    if not _MASKS:
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # one that came meanwhile is handled now


def _worker_started(parent: int, stopping: _Stopping, ring: Sequence[mmap.mmap] | None = None) -> None:
    """Set up a worker process: it leaves signals to its parent, and ends when the parent does.

    Ctrl-C on a terminal reaches every process of the group: the parent stops the run and
    tells the workers, so a worker ignores SIGINT rather than print a traceback. SIGTERM
    ends a worker quietly (a forked worker would otherwise inherit the parent's handler).
    """
    _WORKER.stopping = stopping
    _WORKER.ring = ring
    gc.set_threshold(*BATCH_GC)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
    if not _parent_death_signal():
        threading.Thread(target=_watch, args=(parent,), name="gigpolicy-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the worker could tie itself to it
        os._exit(1)


TRIM_EVERY: Final = 16
"""How many blocks the main process yields between two calls of :func:`_memory_giver`'s call: a
call costs about 0.2 ms (0.8 us a line, once a block), and 16 blocks of input hold about 3 MiB."""


def _memory_giver() -> Callable[[int], object] | None:
    """Glibc's ``malloc_trim``, which gives the free pages of the heap back to the system; else ``None``.

    The main process of a long batch hands out blocks of input that the pool's feeder thread
    pickles, in an allocator arena of that thread's own: without giving back what each block
    freed, its resident memory grew by about 10 MiB per million lines while Python's own stayed
    flat (tracemalloc). Called once every :data:`TRIM_EVERY` blocks: a call takes about 0.2 ms.
    """
    if sys.platform != "linux":
        return None
    giver: Callable[[int], object] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)  # musl has none
    return giver


def _parent_death_signal() -> bool:
    """Ask Linux to kill this process when its parent ends (``PR_SET_PDEATHSIG``); whether it did.

    The kernel does it even if the worker is busy in C code, and at once. ("Parent" is the
    thread that forked the worker: the one that iterates, alive as long as the pool.)
    """
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    status: int = libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), 0, 0)
    return status == 0


def _watch(parent: int) -> None:
    """End this process once *parent* is no longer its parent (elsewhere than Linux)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_EVERY)
    os._exit(1)


@in_decimal_context
def evaluate_lines(
    lines: Iterable[str | bytes],
    *,
    at: datetime,
    policy: Policy | str | None = None,
    questions: Iterable[Question | str] | None = None,
    jobs: int = 1,
    start: int = 1,
) -> Iterator[BatchLine]:
    """Evaluate one record per line, yielding one result per line, in input order.

    Lines are text, or UTF-8 bytes (the lines of a file opened in binary mode). Every line yields
    one result: a line that is not a valid record, not UTF-8, empty, too long or no text at
    all (``None``) yields an error result (``{"line": n, "format": "gigpolicy-errors/1", "errors": [...]}``, its text
    ASCII) and the rest go on. With ``jobs > 1``, blocks of lines are evaluated in up to
    that many processes; the results are the same, in the same order. Input is read
    lazily, so memory stays flat however long it is. Lines are numbered from *start* (a
    part of a larger input, as a Dask partition, gives its first line's number).

    Raises:
        InvalidRecord: for a naive *at*, ``jobs < 1`` or an unknown question.
        InvalidArgument: (an InvalidRecord and a TypeError) for *jobs* or *start* not an ``int``.
        UnknownPolicy: for an unknown policy name.
    """
    job = _job(at, policy, questions, jobs, start=start)
    if jobs == 1:
        resolved: Resolved = {}
        for number, line in enumerate(lines, start=start):
            text, ok = _result(job, number, _text(line), resolved)
            yield BatchLine(number=number, text=text, ok=ok)
        return
    for block in _blocks(job, lines, jobs=jobs, start=start, size=CHUNK):
        failed = set(block.failed)
        texts = block.text.split("\n")
        for number, text in enumerate(texts[:-1], start=block.start):
            yield BatchLine(number=number, text=text, ok=number not in failed)


def _question(value: Question | str, index: int) -> Question:
    try:
        return Question(value)
    except ValueError:
        raise InvalidRecord(f"questions[{index}]", f"{describe(value)} is not a question") from None


_PROBE: Final = loads(
    '{"format": "gigpolicy/1", "events": [], "contract": {"id": "probe", "kind": "hourly", "currency": "USD",'
    ' "client": "c", "freelancer": "f", "started_at": "2000-01-01T00:00:00Z"}}'
)


class Stopped(BaseException):
    """SIGINT or SIGTERM came while :func:`stop_signals` was catching them.

    Not an ``Exception``, so that no ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@attrs.define
class StopSignals:
    """The SIGINT or SIGTERM that stops a run, if one came; see :func:`stop_signals`."""

    signum: int = 0
    """The signal that came first, or 0."""
    _holding: bool = False
    _deferred: bool = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: stop the run now, or at the end of the write under way."""
        del frame
        if self.signum:  # the run is stopping already: let it finish doing so
            return
        self.signum = signum
        if not self._holding:
            raise Stopped(signum)
        self._deferred = True

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Write under this, so that no signal cuts the write: a signal stops the run after it instead."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        if self._deferred:
            self._deferred = False
            raise Stopped(self.signum)


@contextlib.contextmanager
def stop_signals() -> Iterator[StopSignals]:
    """Turn SIGINT and SIGTERM into :class:`Stopped` meanwhile, then put the handlers back.

    Only in the main thread (the only one Python lets set handlers), and only for a signal
    neither ignored (a shell's background job ignores SIGINT) nor handled outside Python.
    """
    stops = StopSignals()
    previous: dict[signal.Signals, Callable[[int, FrameType | None], object] | int] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in sorted(_STOPS):
            handler = signal.getsignal(signum)
            if handler is None or handler == signal.SIG_IGN:
                continue
            previous[signum] = handler
            signal.signal(signum, stops.handle)
    try:
        yield stops
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
