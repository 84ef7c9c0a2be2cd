"""Many records at once: one JSON line in, one JSON line out, in order, streaming."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from itertools import islice
from typing import Final

import attrs

from gigpolicy._codec import loads
from gigpolicy._decision import Question
from gigpolicy._evaluate import evaluate
from gigpolicy._policy import Policy
from gigpolicy._report_json import report_line
from gigpolicy.errors import GigPolicyError, InvalidRecord

__all__ = ["CHUNK", "BatchLine", "Block", "evaluate_blocks", "evaluate_lines"]

CHUNK: Final = 256
"""Lines evaluated as one block (by one worker process); memory holds at most a few blocks."""


@attrs.frozen(kw_only=True)
class BatchLine:
    """The result of one input line: the JSON text to write, and whether it is an error."""

    number: int
    text: str
    ok: bool


@attrs.frozen(kw_only=True)
class Block:
    """The results of consecutive input lines, as the one text that writes them all.

    A worker process sends back one block, not one object per line: a single string
    crosses between processes faster than hundreds of small objects.
    """

    start: int
    """The number of the block's first line."""
    count: int
    """How many lines it holds."""
    text: str
    """The result lines, each ending with a newline."""
    failed: tuple[int, ...]
    """The numbers of the lines whose result is an error line."""


@attrs.frozen(kw_only=True)
class _Job:
    at: datetime
    policy: Policy | str | None
    questions: tuple[Question, ...] | None


_EMPTY: Final = ({"path": "", "problem": "the line is empty"},)
_COMPACT: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _result(job: _Job, number: int, line: str | bytes) -> tuple[str, bool]:
    """The result line for input line *number* (without its newline), and whether it is valid."""
    try:
        record = loads(line)
        report = evaluate(record, at=job.at, policy=job.policy, questions=job.questions)
    except InvalidRecord as error:
        problems = _EMPTY if not line.strip() else [{"path": e.path, "problem": e.problem} for e in error.errors]
        return _COMPACT.encode({"line": number, "errors": problems}), False
    except GigPolicyError as error:
        return _COMPACT.encode({"line": number, "errors": [{"path": "", "problem": str(error)}]}), False
    return report_line(report, record, number), True


def _block(job: _Job, start: int, lines: Sequence[str | bytes]) -> Block:
    """Evaluate consecutive *lines*, the first numbered *start* (what a worker process runs)."""
    texts = []
    failed = []
    number = start
    for line in lines:
        text, ok = _result(job, number, line)
        texts.append(text)
        if not ok:
            failed.append(number)
        number += 1
    texts.append("")  # so that the last line ends with a newline too
    return Block(start=start, count=len(lines), text="\n".join(texts), failed=tuple(failed))


def _job(at: datetime, policy: Policy | str | None, questions: Iterable[Question | str] | None, jobs: int) -> _Job:
    """The arguments, checked once before any line is read."""
    if jobs < 1:
        raise InvalidRecord("jobs", f"must be at least 1, not {jobs}")
    wanted = None if questions is None else tuple(_question(q, i) for i, q in enumerate(questions))
    evaluate(_PROBE, at=at, policy=policy, questions=wanted)  # fail fast on a bad at or policy name
    return _Job(at=at, policy=policy, questions=wanted)


def evaluate_blocks(
    lines: Iterable[str | bytes],
    *,
    at: datetime,
    policy: Policy | str | None = None,
    questions: Iterable[Question | str] | None = None,
    jobs: int = 1,
    start: int = 1,
    size: int = CHUNK,
) -> Iterator[Block]:
    """Evaluate one record per line, yielding the results by blocks of *size* lines, in input order.

    What ``gigpolicy batch`` writes: the same lines as :func:`evaluate_lines`, as fewer,
    larger texts. Input is read a block at a time; with ``jobs > 1`` each block goes to one
    of that many worker processes, and at most ``2 * jobs`` blocks are in flight at once, so
    memory stays flat however long the input is.

    Raises:
        InvalidRecord: for a naive *at*, ``jobs < 1`` or an unknown question.
        UnknownPolicy: for an unknown policy name.
    """
    job = _job(at, policy, questions, jobs)
    yield from _blocks(job, lines, jobs=jobs, start=start, size=size)


def _blocks(job: _Job, lines: Iterable[str | bytes], *, jobs: int, start: int, size: int) -> Iterator[Block]:
    source = iter(lines)
    chunks = iter(lambda: list(islice(source, size)), [])
    if jobs == 1:
        for chunk in chunks:
            yield _block(job, start, chunk)
            start += len(chunk)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        pending: deque[Future[Block]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_block, job, start, chunk))
            start += len(chunk)
            if len(pending) > 2 * jobs:  # every worker has a block running and one waiting
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)


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

    Lines are text, or UTF-8 bytes (the lines of a file opened in binary mode). A line that
    is not a valid record, or not UTF-8, yields an error result (``{"line": n, "errors":
    [...]}``) and the rest go on. With ``jobs > 1``, blocks of lines are evaluated in that
    many processes; the results are the same, in the same order. Input is read lazily,
    so memory stays flat however long it is. Lines are numbered from *start* (a part of a
    larger input, as a Dask partition, gives its first line's number).

    Raises:
        InvalidRecord: for a naive *at*, ``jobs < 1`` or an unknown question.
        UnknownPolicy: for an unknown policy name.
    """
    job = _job(at, policy, questions, jobs)
    if jobs == 1:
        for number, line in enumerate(lines, start=start):
            text, ok = _result(job, number, line)
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
        raise InvalidRecord(f"questions[{index}]", f"{value!r} is not a question") from None


_PROBE: Final = loads(
    '{"format": "gigpolicy/1", "events": [], "contract": {"id": "probe", "kind": "hourly", "currency": "USD",'
    ' "client": "c", "freelancer": "f", "started_at": "2000-01-01T00:00:00Z"}}'
)
