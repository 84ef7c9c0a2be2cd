"""Many records at once: one JSON line in, one JSON line out, in order, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from itertools import islice
from typing import Final

import attrs

from gigpolicy._codec import loads
from gigpolicy._decision import Question
from gigpolicy._evaluate import evaluate
from gigpolicy._policy import Policy
from gigpolicy._render import report_data
from gigpolicy.errors import GigPolicyError, InvalidRecord

__all__ = ["CHUNK", "BatchLine", "evaluate_lines"]

_EMPTY: Final = {"path": "", "problem": "the line is empty"}
CHUNK: Final = 512
"""Lines handed to a worker process at a time; memory holds at most a few chunks."""


@attrs.frozen(kw_only=True)
class BatchLine:
    """The result of one input line: the JSON text to write, and whether it is an error."""

    number: int
    text: str
    ok: bool


@attrs.frozen(kw_only=True)
class _Job:
    at: datetime
    policy: Policy | str | None
    questions: tuple[Question, ...] | None


def _one(job: _Job, number: int, line: str) -> BatchLine:
    if not line.strip():
        return BatchLine(number=number, text=_dump({"line": number, "errors": [_EMPTY]}), ok=False)
    try:
        record = loads(line)
        report = evaluate(record, at=job.at, policy=job.policy, questions=job.questions)
    except InvalidRecord as error:
        problems = [{"path": e.path, "problem": e.problem} for e in error.errors]
        return BatchLine(number=number, text=_dump({"line": number, "errors": problems}), ok=False)
    except GigPolicyError as error:
        return BatchLine(
            number=number, text=_dump({"line": number, "errors": [{"path": "", "problem": str(error)}]}), ok=False
        )
    return BatchLine(number=number, text=_dump({"line": number, **report_data(report, record)}), ok=True)


def _dump(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _chunk(job: _Job, start: int, lines: list[str]) -> list[BatchLine]:
    return [_one(job, start + offset, line) for offset, line in enumerate(lines)]


def evaluate_lines(
    lines: Iterable[str],
    *,
    at: datetime,
    policy: Policy | str | None = None,
    questions: Iterable[Question | str] | None = None,
    jobs: int = 1,
    start: int = 1,
) -> Iterator[BatchLine]:
    """Evaluate one record per line, yielding one result per line, in input order.

    A line that is not a valid record yields an error result (``{"line": n, "errors":
    [...]}``) and the rest go on. With ``jobs > 1``, chunks of lines are evaluated in that
    many processes; the results are the same, in the same order. Input is read lazily,
    so memory stays flat however long it is. Lines are numbered from *start* (a part of a
    larger input, as a Dask partition, gives its first line's number).

    Raises:
        InvalidRecord: for a naive *at*, ``jobs < 1`` or an unknown question.
        UnknownPolicy: for an unknown policy name.
    """
    if jobs < 1:
        raise InvalidRecord("jobs", f"must be at least 1, not {jobs}")
    wanted = None if questions is None else tuple(_question(q, i) for i, q in enumerate(questions))
    evaluate(_PROBE, at=at, policy=policy, questions=wanted)  # fail fast on a bad at or policy name
    job = _Job(at=at, policy=policy, questions=wanted)
    numbered = enumerate(lines, start=start)
    if jobs == 1:
        for number, line in numbered:
            yield _one(job, number, line)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = []
        while True:
            chunk = list(islice(numbered, CHUNK))
            if chunk:
                pending.append(pool.submit(_chunk, job, chunk[0][0], [line for _, line in chunk]))
            if pending and (not chunk or len(pending) > jobs * 2):
                yield from pending.pop(0).result()
            if not chunk and not pending:
                return


def _question(value: Question | str, index: int) -> Question:
    try:
        return Question(value)
    except ValueError:
        raise InvalidRecord(f"questions[{index}]", f"{value!r} is not a question") from None


_PROBE: Final = loads(
    '{"format": "gigpolicy/1", "events": [], "contract": {"id": "probe", "kind": "hourly", "currency": "USD",'
    ' "client": "c", "freelancer": "f", "started_at": "2000-01-01T00:00:00Z"}}'
)
