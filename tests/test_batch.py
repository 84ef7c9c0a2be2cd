"""Tests of batch evaluation: gigpolicy._batch and ``gigpolicy batch``."""

from __future__ import annotations

import decimal
import errno
import gc
import io
import json
import mmap
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar, Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import golden_outputs as golden

from gigpolicy import (
    ContractRecord,
    InvalidArgument,
    InvalidRecord,
    Policy,
    Question,
    UnknownPolicy,
    evaluate,
    get_policy,
    loads,
)
from gigpolicy._batch import (
    _WORKER,
    BATCH_GC,
    CHUNK,
    SLOT_BYTES,
    Block,
    StopFlag,
    _block,
    _evaluated,
    _Job,
    _memory_giver,
    _parent_death_signal,
    _Placed,
    _placed_block,
    _Refused,
    _result,
    _Ring,
    _signals_held,
    _viewed,
    _watch,
    _worker_started,
    evaluate_blocks,
    evaluate_lines,
    fewer_collections,
    read_lines,
)
from gigpolicy._cli import main
from gigpolicy._codec import MAX_BYTES
from gigpolicy._decision import MEMOS, Decision, Reason, Verdict
from gigpolicy._evaluate import replayed
from gigpolicy._policy import RULES, Context, PolicyRule, add_rules
from gigpolicy._report_json import (
    _INSTANTS,
    _POLICIES,
    _REASONS,
    _decision_line,
    _decisions_line,
    _reason_line,
    _utc,
    report_data,
    report_line,
)
from gigpolicy.policies.upwork import UpworkPolicy
from gigpolicy.testing import records

ROOT: Final = Path(__file__).resolve().parent.parent
_ANY_CHARACTER: Final = st.characters(blacklist_categories=())
"""Any code point, surrogates included (Hypothesis leaves them out by default)."""
RECORDS: Final = sorted((ROOT / "examples" / "records").glob("*.json"))
AT: Final = datetime(2026, 11, 27, tzinfo=UTC)


def lines_of(count: int) -> list[str]:
    """*count* valid record lines, cycling through the example records."""
    texts = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in RECORDS]
    return [texts[index % len(texts)] for index in range(count)]


@contextmanager
def rules_replaced(kind: type[Policy], question: Question, rule: PolicyRule) -> Iterator[None]:
    """The built-in class *kind* answers *question* with *rule* meanwhile, its rules registered anew (``add_rules``)."""
    table = dict(RULES[kind])
    add_rules(kind, {**table, question: rule})
    try:
        yield
    finally:
        add_rules(kind, table)


def boom_lines() -> list[str]:
    """Three record lines, the second of contract ``boom``."""
    data = json.loads(lines_of(1)[0])
    data["contract"]["id"] = "boom"
    return [lines_of(1)[0], json.dumps(data), lines_of(1)[0]]


@contextmanager
def boom_in(monkeypatch: pytest.MonkeyPatch, step: str) -> Iterator[None]:
    """Meanwhile, contract ``boom`` raises a ``RecursionError`` when *step* takes it (``replayed`` or ``decided``)."""
    if step == "replayed":
        real = replayed

        def flaky(record: ContractRecord, *args: object, **kwargs: object) -> object:
            if record.contract.id == "boom":
                raise RecursionError("too deep")
            return real(record, *args, **kwargs)  # type: ignore[arg-type]  # the same arguments

        monkeypatch.setattr("gigpolicy._batch.replayed", flaky)
        yield
        return
    with rules_replaced(UpworkPolicy, Question.OPEN_DISPUTE, raising_for("boom", Question.OPEN_DISPUTE)):
        yield


def raising_for(contract: str, question: Question) -> PolicyRule:
    """Upwork's rule for *question*, but a ``RecursionError`` for *contract*."""
    rule = RULES[UpworkPolicy][question]

    def flaky_rule(context: Context, policy: Policy) -> Verdict:
        if context.record.contract.id == contract:
            raise RecursionError("too deep")
        return rule(context, policy)

    return flaky_rule


def _wait_for(flag: StopFlag) -> None:
    """A worker's wait for the parent to ask it to stop: at most 30 s (it ends with status 1 if not asked)."""
    deadline = time.monotonic() + 30
    while not flag.is_set():
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.001)


def plain_line(record: ContractRecord, at: datetime, policy: Policy | str | None, number: int) -> str:
    """The result line as ``json.dumps`` writes ``report_data``: what ``report_line`` must equal."""
    data = {"line": number, **report_data(evaluate(record, at=at, policy=policy), record)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Shifting(tzinfo):
    """A zone whose offset is +1 h, or +2 h for the second of two repeated wall times (``fold=1``)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """One hour, or two for ``fold=1``."""
        return timedelta(hours=2 if dt is not None and dt.fold else 1)

    def dst(self, dt: datetime | None) -> timedelta:
        """No daylight saving time."""
        del dt
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        """A made-up name."""
        del dt
        return "SHIFTING"


class TestReportLine:
    """``report_line``: the batch result line, written directly from remembered pieces."""

    @given(
        records(max_events=12),
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
        st.sampled_from([None, "upwork", "upwork@2020-03-01"]),
        st.integers(1, 10**9),
    )
    def test_is_json_dumps_of_report_data(
        self, record: ContractRecord, after: timedelta, policy: str | None, number: int
    ) -> None:
        """SPEC: "one JSON result per line out": the line is exactly the compact JSON of the report's data."""
        at = (record.events[-1].at if record.events else record.contract.started_at) + after
        report = evaluate(record, at=at, policy=policy)
        assert plain_line(record, at, policy, number) == report_line(report, record, number)

    @given(
        st.text(_ANY_CHARACTER),
        st.text(_ANY_CHARACTER) | st.none() | st.integers() | st.floats(),
        st.none() | st.text(_ANY_CHARACTER) | st.booleans(),
    )
    def test_a_reason_is_json_dumps_of_its_data(self, code: str, message: object, source: object) -> None:
        """A reason's text, written directly, is the compact JSON of its code, message and source.

        Any characters, lone surrogates too, and values other than text, which a user's reason may
        hold (a ``Reason``'s message and source are not checked): written as ``json.dumps`` writes them.
        """
        reason = Reason.__new__(Reason)  # any values: a user's rule may give what the built-in ones never do
        for name, value in (("code", code), ("message", message), ("source", source)):
            object.__setattr__(reason, name, value)
        _REASONS.clear()
        data = {"code": code, "message": message, "source": source}
        assert json.dumps(data, ensure_ascii=False, separators=(",", ":")) == _reason_line(reason)

    @pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.stem)
    def test_example_records(self, path: Path) -> None:
        """Each example record, automatic steps included, gives the text json.dumps gives."""
        record = loads(path.read_text(encoding="utf-8"))
        for days in (0, 3, 10, 30, 400):
            at = AT + timedelta(days=days)
            assert plain_line(record, at, None, 7) == report_line(evaluate(record, at=at), record, 7)

    def test_text_that_needs_escaping(self) -> None:
        """Ids and milestones with quotes, backslashes, control and non-ASCII characters are escaped as JSON does."""
        data = json.loads(
            lines_of(len(RECORDS))[RECORDS.index(ROOT / "examples/records/fixed-price-auto-release.json")]
        )
        data["contract"]["id"] = 'c-"\\\n\u00e9\u2028\U0001f600'
        text = json.dumps(data).replace('"m1"', '"m\\"\\u00e9"')
        record = loads(text)
        at = AT + timedelta(days=400)
        line = report_line(evaluate(record, at=at), record, 3)
        assert plain_line(record, at, None, 3) == line
        assert "\u00e9" in line

    def test_instants_at_a_repeated_wall_time(self) -> None:
        """Two datetimes that compare equal but are different instants (fold) are written apart."""
        first = datetime(2026, 11, 1, 1, 30, tzinfo=Shifting())
        second = first.replace(fold=1)
        assert first == second
        assert ("2026-11-01T00:30:00Z", "2026-10-31T23:30:00Z") == (_utc(first), _utc(second))

    def test_memory_of_pieces_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each remembered piece is forgotten when too many are held, and the text stays the same."""
        for remembered in (_INSTANTS, _REASONS, _POLICIES):
            monkeypatch.setattr(remembered, "limit", 1)
            remembered.clear()
        record = loads(lines_of(1)[0])
        expected = plain_line(record, AT, None, 1)
        for _ in range(2):
            assert expected == report_line(evaluate(record, at=AT), record, 1)
        assert (1, 1, 1) == (len(_INSTANTS), len(_REASONS), len(_POLICIES))
        other = get_policy("upwork", on=date(2019, 1, 1))
        assert plain_line(record, AT, other, 1) == report_line(evaluate(record, at=AT, policy=other), record, 1)
        assert 1 == len(_POLICIES)

    def test_a_decision_given_again_is_written_from_its_memo(self) -> None:
        """A decision made once and given again (a made verdict's) keeps its text: the same line, twice.

        Its memo holds the text once written; a decision built by hand has no memo, and a memo kept
        for another decision at a reused id is not this decision's.
        """

        def memo(decision: Decision) -> list[str] | None:
            kept = MEMOS.get(id(decision))
            return None if kept is None or kept[0] is not decision else kept[1]

        record = loads(lines_of(1)[0])
        expected = plain_line(record, AT, None, 1)
        report = evaluate(record, at=AT)
        given_again = [d for d in report.decisions if memo(d) is not None]
        assert given_again  # the example has answers that no time changes
        assert expected == report_line(report, record, 1)
        assert all(memo(d) == [_decision_line(d)] for d in given_again)
        assert expected == report_line(evaluate(record, at=AT), record, 1)  # now from the memos
        by_hand = attrs.evolve(given_again[0])
        assert memo(by_hand) is None
        MEMOS[id(by_hand)] = (given_again[0], ["not this"])
        assert _decisions_line((by_hand,)) == _decision_line(by_hand)
        assert memo(given_again[0]) == [_decision_line(given_again[0])]  # the other's own memo is unchanged

    def test_a_policy_held_at_a_reused_id(self) -> None:
        """A policy whose id was another's is written as itself, not as the one remembered."""
        record = loads(lines_of(1)[0])
        report = evaluate(record, at=AT)
        stranger = attrs.evolve(report.policy, title="Someone else")
        _POLICIES[id(report.policy)] = (stranger, "not this")
        assert plain_line(record, AT, None, 1) == report_line(report, record, 1)
        assert report.policy is _POLICIES[id(report.policy)][0]


class TestEvaluateLines:
    """The library function behind ``gigpolicy batch``."""

    def test_one_result_per_line_in_order(self) -> None:
        """Each line yields its result, numbered from 1, in input order."""
        results = list(evaluate_lines(lines_of(6), at=AT))
        assert [1, 2, 3, 4, 5, 6] == [result.number for result in results]
        assert all(result.ok for result in results)
        assert [json.loads(result.text)["line"] for result in results] == [1, 2, 3, 4, 5, 6]

    def test_result_is_the_report(self) -> None:
        """A result line carries the contract id and the same decisions as evaluate()."""
        line = lines_of(1)[0]
        data = json.loads(next(iter(evaluate_lines([line], at=AT))).text)
        report = evaluate(loads(line), at=AT)
        assert loads(line).contract.id == data["contract"]
        assert [d.answer for d in report.decisions] == [d["answer"] for d in data["decisions"]]

    def test_bytes_are_read_as_utf8(self) -> None:
        """Lines as UTF-8 bytes give the results of the same lines as text."""
        lines = lines_of(4)
        as_text = [result.text for result in evaluate_lines(lines, at=AT)]
        assert as_text == [result.text for result in evaluate_lines([line.encode() for line in lines], at=AT)]

    def test_bad_lines_become_error_lines(self) -> None:
        """A bad line yields an error line with its number and paths, and the run goes on."""
        good = lines_of(1)[0]
        broken = json.loads(good)
        broken["events"] = [{"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "-1"}]
        results = list(evaluate_lines([good, "not json", "", json.dumps(broken), good], at=AT))
        assert [True, False, False, False, True] == [result.ok for result in results]
        errors = [json.loads(result.text) for result in results if not result.ok]
        assert [2, 3, 4] == [error["line"] for error in errors]
        assert "the line is empty" == errors[1]["errors"][0]["problem"]
        assert "events[0].amount" == errors[2]["errors"][0]["path"]

    def test_a_policy_error_on_one_line(self) -> None:
        """A record whose marketplace is unknown yields an error line, not a crash."""
        data = json.loads(lines_of(1)[0])
        data["contract"]["marketplace"] = "nowhere"
        result = next(iter(evaluate_lines([json.dumps(data)], at=AT)))
        assert not result.ok
        assert "unknown policy 'nowhere'" in json.loads(result.text)["errors"][0]["problem"]

    @pytest.mark.parametrize(
        "policy",
        ["upwork", "upwork@2020-03-01", "freelancer", get_policy("upwork")],
        ids=["by name", "pinned", "another by name", "a Policy"],
    )
    def test_a_policy_found_once_judges_every_line_as_evaluate(self, policy: Policy | str) -> None:
        """The policy given is found once for all the lines, and each line is judged as evaluate judges it."""
        lines = lines_of(len(RECORDS) * 2)
        found = [result.text for result in evaluate_lines(lines, at=AT, policy=policy)]
        expected = [
            report_line(evaluate(record, at=AT, policy=policy), record, number)
            for number, record in enumerate(map(loads, lines), start=1)
        ]
        assert expected == found

    def test_each_marketplace_found_once_judges_its_lines_as_evaluate(self) -> None:
        """Lines of several marketplaces in one block: each is judged under its own, as evaluate judges it."""
        lines = [text for text, _ in golden.records(60)]
        assert {"upwork", "fiverr", "freelancer"} <= {json.loads(line)["contract"].get("marketplace") for line in lines}
        found = [result.text for result in evaluate_lines(lines, at=AT)]
        expected = [report_line(evaluate(loads(line), at=AT), loads(line), n) for n, line in enumerate(lines, start=1)]
        assert expected == found

    def test_questions_filter(self) -> None:
        """Only the questions asked are answered."""
        result = next(iter(evaluate_lines(lines_of(1), at=AT, questions=["work_history"])))
        decisions = json.loads(result.text)["decisions"]
        assert [("work_history", "freelancer")] == [(d["question"], d["party"]) for d in decisions]

    def test_several_processes_give_the_same_output(self) -> None:
        """--jobs 2 writes exactly what one process writes, in the same order."""
        lines = [*lines_of(CHUNK * 2 + 7), "oops"]
        single = [result.text for result in evaluate_lines(lines, at=AT)]
        double = [result.text for result in evaluate_lines(lines, at=AT, jobs=2)]
        assert single == double

    def test_a_block_in_this_process(self) -> None:
        """A worker's block numbers its lines from its first line number and lists its error lines."""
        job = _Job(at=AT, policy=None, questions=None)
        block = _block(job, 41, [*lines_of(2), "oops"])
        texts = block.text.split("\n")
        assert (41, 3, (43,), "") == (block.start, block.count, block.failed, texts[-1])
        assert [41, 42, 43] == [json.loads(text)["line"] for text in texts[:-1]]

    def test_blocks_hold_the_same_lines(self) -> None:
        """evaluate_blocks writes, block by block, what evaluate_lines yields line by line."""
        lines = [*lines_of(9), "", "{}"]
        single = "".join(result.text + "\n" for result in evaluate_lines(lines, at=AT, start=5))
        for jobs in (1, 2):
            blocks = list(evaluate_blocks(lines, at=AT, jobs=jobs, start=5, size=4))
            assert [(5, 4), (9, 4), (13, 3)] == [(block.start, block.count) for block in blocks]
            assert (single, (14, 15)) == ("".join(block.text for block in blocks), blocks[-1].failed)

    def test_few_blocks_in_flight(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With N jobs, at most 2N blocks wait or run beside the one handed out: memory stays flat."""
        monkeypatch.setattr("os.cpu_count", lambda: 8)  # two workers however many CPUs this machine has
        taken: list[int] = []

        def source() -> Iterator[str]:
            for number, line in enumerate(lines_of(100), start=1):
                taken.append(number)
                yield line

        blocks = evaluate_blocks(source(), at=AT, jobs=2, size=4)
        first = next(blocks)
        assert (1, 5 * 4) == (first.start, len(taken))
        assert isinstance(blocks, Generator)
        blocks.close()  # the workers stop; the rest of the input is never read
        assert 5 * 4 == len(taken)

    def test_reads_lazily(self) -> None:
        """Lines are read as results are taken, so memory stays flat on long inputs."""
        taken: list[int] = []

        def source() -> Iterator[str]:
            for number, line in enumerate(lines_of(10), start=1):
                taken.append(number)
                yield line

        results = evaluate_lines(source(), at=AT)
        first = next(iter(results))
        assert (1, [1]) == (first.number, taken)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"jobs": 0}, InvalidRecord),
            ({"questions": ["nope"]}, InvalidRecord),
            ({"policy": "nowhere"}, UnknownPolicy),
            ({"at": datetime(2026, 11, 27)}, InvalidRecord),  # noqa: DTZ001 - naive on purpose
        ],
    )
    def test_bad_arguments_fail_at_once(self, kwargs: dict[str, object], error: type[Exception]) -> None:
        """A bad argument raises before any line is read."""
        arguments: dict[str, object] = {"at": AT, **kwargs}
        with pytest.raises(error):
            next(iter(evaluate_lines(lines_of(1), **arguments)))  # type: ignore[arg-type]  # built above

    @pytest.mark.parametrize(
        ("kwargs", "problem"),
        [
            ({"jobs": -(10**5000)}, "jobs: must be at least 1, not an int"),
            ({"size": -(10**5000)}, "size: must be at least 1, not an int"),
            ({"questions": [10**5000]}, "questions[0]: an int is not a question"),
        ],
    )
    def test_values_without_a_repr(self, kwargs: dict[str, object], problem: str) -> None:
        """An argument too long to write (an int of 5,000 digits) is still refused with a message."""
        with pytest.raises(InvalidRecord) as refused:
            next(iter(evaluate_blocks(lines_of(1), at=AT, **kwargs)))  # type: ignore[arg-type]  # built above
        assert problem == str(refused.value)

    @pytest.mark.parametrize(
        ("kwargs", "problem"),
        [
            ({"jobs": 2.0}, "jobs: must be an int, not float"),
            ({"jobs": Decimal("NaN")}, "jobs: must be an int, not Decimal"),
            ({"jobs": Fraction(3, 2)}, "jobs: must be an int, not Fraction"),
            ({"jobs": True}, "jobs: must be an int, not bool"),
            ({"jobs": 2, "start": 1.5}, "start: must be an int, not float"),
            ({"jobs": 1, "start": Decimal(1)}, "start: must be an int, not Decimal"),
        ],
    )
    def test_counts_must_be_ints(self, kwargs: dict[str, object], problem: str) -> None:
        """``jobs`` and ``start`` are ints, whatever the number of jobs: another number is a wrong argument at once.

        Before, a float reached ``islice`` and a ``Decimal`` NaN a comparison, which raised
        ``ValueError`` and ``InvalidOperation``; a float *start* failed only when its first line
        was written, and only with workers.
        """
        with pytest.raises(InvalidArgument) as refused:
            next(iter(evaluate_lines(lines_of(1), at=AT, **kwargs)))  # type: ignore[arg-type]  # built above
        assert problem == str(refused.value)
        assert isinstance(refused.value, TypeError)

    def test_size_must_be_an_int(self) -> None:
        """So is the size of a block."""
        with pytest.raises(InvalidArgument, match=r"^size: must be an int, not float$"):
            next(iter(evaluate_blocks(lines_of(1), at=AT, size=2.0)))  # type: ignore[arg-type]  # the point

    def test_questions_as_enum_members(self) -> None:
        """Questions may be given as enum members too."""
        result = next(iter(evaluate_lines(lines_of(1), at=AT, questions=[Question.END_CONTRACT])))
        assert {"end_contract"} == {d["question"] for d in json.loads(result.text)["decisions"]}


class TestBatchCommand:
    """``gigpolicy batch``."""

    def test_writes_one_line_per_record(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every input line gives one JSON output line; exit 0 when all were valid."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(lines_of(5)) + "\n", encoding="utf-8")
        code = main(["batch", str(source), "--at", "2026-11-27T00:00:00Z", "--questions", "work_history,end_contract"])
        out = capsys.readouterr().out.splitlines()
        assert (0, 5) == (code, len(out))
        assert {"work_history", "end_contract"} == {d["question"] for d in json.loads(out[0])["decisions"]}

    def test_bad_line_exits_one(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad line gives an error line and a non-zero exit at the end."""
        source = tmp_path / "in.jsonl"
        source.write_text(lines_of(1)[0] + "\n{}\n" + lines_of(1)[0] + "\n", encoding="utf-8")
        code = main(["batch", str(source), "--at", "2026-11-27T00:00:00Z", "--jobs", "1"])
        out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert (1, [1, 2, 3]) == (code, [line["line"] for line in out])
        assert "errors" in out[1]

    def test_standard_input(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """``-`` reads the lines from standard input."""
        monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines_of(2)) + "\n"))
        assert 0 == main(["batch", "-", "--at", "2026-11-27T00:00:00Z"])
        assert 2 == len(capsys.readouterr().out.splitlines())

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that cannot be opened is an error naming it, exit 1."""
        assert 1 == main(["batch", str(tmp_path / "nope.jsonl"), "--at", "2026-11-27T00:00:00Z"])
        assert "cannot read" in capsys.readouterr().err

    def test_not_utf8(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A line that is not UTF-8 is an error line; the lines around it are evaluated; exit 1."""
        good = [line.encode() for line in lines_of(300)]
        source = tmp_path / "in.jsonl"
        source.write_bytes(b"\n".join([*good[:250], b"\xff\xfe{}", *good[250:]]) + b"\n")
        assert 1 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z"])
        out, err = capsys.readouterr()
        results = [json.loads(line) for line in out.splitlines()]
        assert list(range(1, 302)) == [result["line"] for result in results]
        assert [
            {
                "line": 251,
                "format": "gigpolicy-errors/1",
                "errors": [{"path": "", "problem": "is not UTF-8 text (byte 0)"}],
            }
        ] == [result for result in results if "errors" in result]
        assert "" == err

    def test_standard_input_as_bytes(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """``-`` reads standard input's bytes, so a line that is not UTF-8 is one error line there too."""
        text = io.TextIOWrapper(io.BytesIO(b"\xff\n" + lines_of(1)[0].encode() + b"\n"))
        monkeypatch.setattr("sys.stdin", text)
        assert 1 == main(["batch", "-", "--at", "2026-11-27T00:00:00Z"])
        assert [True, False] == ["errors" in json.loads(line) for line in capsys.readouterr().out.splitlines()]

    def test_progress_on_a_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """On a terminal without tqdm, stderr shows a running count every thousand records."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(lines_of(1000)) + "\n", encoding="utf-8")
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        monkeypatch.setitem(sys.modules, "tqdm", None)  # the progress extra absent: the plain count
        assert 0 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z", "--questions", "end_contract"])
        assert "1000 records, 0 invalid" in capsys.readouterr().err

    def test_several_processes_write_the_same(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``--jobs 2`` writes byte for byte what one process writes, bad lines and exit code included."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join([*lines_of(CHUNK + 3), "oops", *lines_of(2)]) + "\n", encoding="utf-8")
        outputs = []
        for jobs in ("1", "2"):
            code = main(["batch", str(source), "--at", "2026-11-27T00:00:00Z", "--jobs", jobs])
            outputs.append((code, capsys.readouterr().out))
        assert outputs[0] == outputs[1]
        assert (1, CHUNK + 6) == (outputs[0][0], len(outputs[0][1].splitlines()))

    def test_progress_counts_whole_blocks(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without tqdm, the count shows after each thousand records, then once more at the end."""
        source = tmp_path / "in.jsonl"
        source.write_text("{}\n" * 2500, encoding="utf-8")
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        monkeypatch.setitem(sys.modules, "tqdm", None)
        assert 1 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z"])
        shown = [f"{count} records, {count} invalid" for count in (4 * CHUNK, 8 * CHUNK, 2500)]
        assert "\r" + "\r".join(shown) + "\n" == capsys.readouterr().err

    def test_no_progress_off_a_terminal(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Off a terminal, stderr stays empty."""
        source = tmp_path / "in.jsonl"
        source.write_text("{}\n" * 1001, encoding="utf-8")
        assert 1 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z"])
        assert "" == capsys.readouterr().err

    @pytest.mark.parametrize("jobs", ["0", "-3", "two", ""])
    def test_jobs_below_one_is_a_usage_error(self, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
        """``--jobs 0`` (or no number) is refused by the command line itself: exit 2, before any line is read."""
        with pytest.raises(SystemExit) as exited:
            main(["batch", "-", "--at", "2026-11-27T00:00:00Z", "--jobs", jobs])
        assert 2 == exited.value.code
        assert f"{jobs!r} is not a number of worker processes (1 or more)" in capsys.readouterr().err

    def test_default_at_is_now(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --at, the batch judges at the present instant."""
        monkeypatch.setattr("gigpolicy._cli._now", lambda: AT)
        source = tmp_path / "in.jsonl"
        source.write_text(lines_of(1)[0] + "\n", encoding="utf-8")
        assert 0 == main(["batch", str(source)])
        assert "2026-11-27T00:00:00Z" == json.loads(capsys.readouterr().out)["at"]


class TestTimelineCommand:
    """``gigpolicy timeline``."""

    def test_draws_in_the_terminal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --svg, the drawing goes to stdout, within the width asked."""
        path = ROOT / "examples" / "records" / "motivating-case-ended.json"
        assert 0 == main(["timeline", str(path), "--at", "2026-11-03T10:00:00Z", "--width", "60"])
        out = capsys.readouterr().out
        assert "feedback window" in out
        assert all(len(line) <= 60 for line in out.splitlines())

    def test_writes_svg(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--svg writes the picture to the file and says so."""
        path = ROOT / "examples" / "records" / "motivating-case-ended.json"
        target = tmp_path / "t.svg"
        assert 0 == main(["timeline", str(path), "--at", "2026-11-03T10:00:00Z", "--svg", str(target)])
        assert f"wrote {target}\n" == capsys.readouterr().out
        assert 'data-closes="2026-11-18T00:00:00Z"' in target.read_text(encoding="utf-8")

    def test_svg_to_a_directory_fails_cleanly(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An SVG target that cannot be written is an error, exit 1."""
        path = ROOT / "examples" / "records" / "motivating-case-ended.json"
        assert 1 == main(["timeline", str(path), "--at", "2026-11-03T10:00:00Z", "--svg", str(tmp_path)])
        assert "cannot write" in capsys.readouterr().err

    def test_invalid_record(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid record is reported with its path, exit 1."""
        path = tmp_path / "bad.json"
        path.write_text("{}", encoding="utf-8")
        assert 1 == main(["timeline", str(path), "--at", "2026-11-03T10:00:00Z"])
        assert "format: is required" in capsys.readouterr().err

    def test_default_at_is_now(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --at the drawing marks the present instant."""
        monkeypatch.setattr("gigpolicy._cli._now", lambda: AT)
        assert 0 == main(["timeline", str(RECORDS[0])])
        assert "at 2026-11-27 00:00 UTC" in capsys.readouterr().out


class Chunked(io.RawIOBase):
    """A binary stream that serves *pieces* in order, then, if *endless*, zeros forever; it remembers each read."""

    def __init__(self, pieces: list[bytes], *, endless: bool = False) -> None:
        self.pieces = list(pieces)
        self.endless = endless
        self.asked: list[int] = []
        self.given: list[int] = []

    def readline(self, size: int | None = -1, /) -> bytes:
        """One line, or *size* bytes of it, as a buffered file gives them."""
        assert size is not None
        assert size > 0  # read_lines always bounds what it asks for
        self.asked.append(size)
        if not self.pieces:
            self.pieces = [b"\0" * size] if self.endless else [b""]
        piece = self.pieces.pop(0)
        cut = piece.find(b"\n") + 1 or len(piece)
        line, rest = piece[: min(cut, size)], piece[min(cut, size) :]
        if rest:
            self.pieces.insert(0, rest)
        self.given.append(len(line))
        return line


class TestReadLines:
    """``read_lines``: the lines of a stream, never holding more of one than a record may hold."""

    @given(st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=8), st.booleans())
    def test_the_lines_a_file_gives(self, contents: list[bytes], last_newline: bool) -> None:
        """SPEC "one JSON line in": lines within the limit come out exactly as iterating the file gives them."""
        data = b"\n".join(contents) + (b"\n" if last_newline and contents else b"")
        assert list(io.BytesIO(data)) == list(read_lines(io.BytesIO(data), limit=13))

    def test_a_line_over_the_limit_is_one_marker(self) -> None:
        """A line longer than the limit, its newline included, gives one refusal; the next lines follow."""
        stream = Chunked([b"12345\n", b"123456\n", b"1234567", b"89\n", b"{}"])
        lines = list(read_lines(stream, limit=6))
        assert [b"12345\n", b"is larger than 6 bytes", b"is larger than 6 bytes", b"{}"] == lines
        assert [False, True, True, False] == [isinstance(line, _Refused) for line in lines]
        assert max(stream.given) <= 7  # never more than limit + 1 bytes of one line at once

    def test_an_endless_line_is_read_in_pieces(self) -> None:
        """``batch /dev/zero``: the first refusal comes at once, then the rest is read piece by piece."""
        stream = Chunked([], endless=True)
        lines = read_lines(stream, limit=1000)
        assert b"is larger than 1000 bytes" == next(lines)
        assert [1001] == stream.asked
        stream.endless = False
        stream.pieces = [b"\0" * 200_000, b"tail\n", b"{}\n"]
        assert [b"{}\n"] == list(lines)
        assert {1001, 64 * 1024} == set(stream.asked)
        assert max(stream.given) <= 64 * 1024

    def test_text_streams_are_encoded(self) -> None:
        """A text stream (a replaced ``sys.stdin``) gives UTF-8 lines; a lone surrogate cannot hide in them."""
        lines = list(read_lines(io.StringIO("\u00e9\n\ud800\n"), limit=10))
        assert [b"\xc3\xa9\n", b"\xed\xa0\x80\n"] == lines
        result = list(evaluate_lines(lines, at=AT))[1]
        assert {"path": "", "problem": "is not UTF-8 text (byte 0)"} == json.loads(result.text)["errors"][0]

    def test_the_default_limit_is_the_record_limit(self) -> None:
        """``gigpolicy batch`` accepts a line as long as ``loads`` accepts, and refuses it as ``loads`` would."""
        stream = Chunked([b"x" * (MAX_BYTES + 5) + b"\n", b"{}\n"])
        lines = list(read_lines(stream))
        results = [json.loads(result.text) for result in evaluate_lines(lines, at=AT)]
        assert f"is larger than {MAX_BYTES} bytes" == results[0]["errors"][0]["problem"]
        assert 2 == len(results)


class TestEveryLineOneResult:
    """Whatever a line holds, it gives one result line, and the run goes on."""

    def test_a_lone_surrogate_key(self, tmp_path: Path) -> None:
        r"""``{"\ud800":1}`` in plain ASCII is one error line, written to a strict UTF-8 stdout, whatever --jobs is."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join([*lines_of(CHUNK + 2), '{"\\ud800":1}', *lines_of(2)]) + "\n", encoding="ascii")
        for jobs in ("1", "2"):
            code, out = run_strictly(["batch", str(source), "--at", "2026-11-27T00:00:00Z", "--jobs", jobs])
            results = [json.loads(line) for line in out.decode("utf-8").splitlines()]
            assert (1, list(range(1, CHUNK + 6))) == (code, [result["line"] for result in results])
            assert "\ud800" == results[CHUNK + 2]["errors"][0]["path"]

    def test_error_lines_are_ascii(self) -> None:
        """Error lines escape what they echo (surrogates, controls, any non-ASCII) as JSON does."""
        bad: list[str | bytes] = ['{"\\ud800": 1}', '{"\u00e9\u009b\u202e": 1}', b'{"\xed\xa0\x80": 1}']
        results = list(evaluate_lines(bad, at=AT))
        assert all(result.text.isascii() and not result.ok for result in results)
        assert ["\ud800", "\u00e9\u009b\u202e"] == [json.loads(r.text)["errors"][0]["path"] for r in results[:2]]

    @pytest.mark.parametrize("jobs", [1, 2])
    def test_items_that_are_no_text(self, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """``None`` or a number is an error line as ``loads`` words it; a bytearray is read as bytes."""
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        good = lines_of(1)[0]
        items: list[object] = [None, 3, bytearray(good.encode()), good, ""]
        given: list[str | bytes] = items  # type: ignore[assignment]  # the wrong types on purpose
        results = list(evaluate_blocks(given, at=AT, jobs=jobs, size=2))
        texts = "".join(block.text for block in results).splitlines()
        assert ["must be JSON text, not NoneType", "must be JSON text, not int"] == [
            json.loads(text)["errors"][0]["problem"] for text in texts[:2]
        ]
        assert (texts[2], "the line is empty") == (texts[3].replace('"line":4', '"line":3'), problem_of(texts[4]))
        assert [result.ok for result in evaluate_lines(given, at=AT)] == [False, False, True, True, False]

    def test_a_callers_decimal_context_changes_nothing(self) -> None:
        """Lines are read and judged in gigpolicy's decimal context, whatever the caller's is.

        A block reads each record without entering the context again (``read_here``): it runs
        in it already, in a worker process too, as ``evaluate_lines`` does.
        """
        lines = lines_of(3)
        expected = [result.text for result in evaluate_lines(lines, at=AT)]
        with decimal.localcontext(prec=3, rounding=decimal.ROUND_DOWN):
            assert expected == [result.text for result in evaluate_lines(lines, at=AT)]
            (block,) = evaluate_blocks(lines, at=AT)
            alone = _block(_Job(at=AT, policy=None, questions=None), 1, lines)  # as a worker process runs it
        assert ["".join(f"{text}\n" for text in expected)] * 2 == [block.text, alone.text]

    @pytest.mark.parametrize("step", ["replayed", "decided"])
    def test_a_bug_on_one_line_costs_only_that_line(self, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
        """An unexpected exception while evaluating one record is that line's error; the others go on.

        Line by line (``evaluate_lines``) and step by step over a block (``evaluate_blocks``) alike,
        whether the record's replay raises, or one of its rules, while a block's records are
        decided together.
        """
        lines = boom_lines()
        with boom_in(monkeypatch, step):
            results = list(evaluate_lines(lines, at=AT))
            (block,) = evaluate_blocks(lines, at=AT)
        assert [True, False, True] == [result.ok for result in results]
        assert problem_of(results[1].text).startswith("could not be evaluated (RecursionError: too deep)")
        assert ((2,), "".join(f"{result.text}\n" for result in results)) == (block.failed, block.text)

    @pytest.mark.parametrize("step", ["replayed", "decided"])
    def test_a_bug_on_one_line_leaves_no_cycle_behind(self, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
        """A block with an error line goes as soon as it is written: nothing waits for the collector.

        A kept exception with its traceback would hold the frame that kept it, and that frame's
        lists the exception: a cycle holding a whole block (a batch collects rarely).
        """
        lines = boom_lines()
        job = _Job(at=AT, policy=None, questions=None)
        with boom_in(monkeypatch, step):
            _block(job, 1, lines)  # what is made once is made
            gc.collect()
            gc.disable()
            try:
                block = _block(job, 1, lines)
                left = gc.collect()
            finally:
                gc.enable()
        assert ((2,), 0) == (block.failed, left)

    def test_long_lines_make_short_blocks(self) -> None:
        """A block ends once its lines hold 4 MiB, so a few blocks of long lines stay small."""
        long = "x" * (3 * 1024 * 1024)
        blocks = list(evaluate_blocks([long, long, long, "{}"], at=AT))
        assert [(1, 2), (3, 2)] == [(block.start, block.count) for block in blocks]

    def test_a_block_size_below_one(self) -> None:
        """``size=0`` would read nothing and lose every line: it is refused at once."""
        with pytest.raises(InvalidRecord, match="size: must be at least 1"):
            next(iter(evaluate_blocks(lines_of(1), at=AT, size=0)))


def problem_of(text: str) -> str:
    """The first problem of an error line."""
    problem: str = json.loads(text)["errors"][0]["problem"]
    return problem


def run_strictly(argv: list[str]) -> tuple[int, bytes]:
    """Run ``gigpolicy *argv*`` with a standard output that encodes strictly, as a UTF-8 pipe does."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", out)
        code = main(argv)
        out.flush()
    return code, raw.getvalue()


class InlineExecutor:
    """Stands in for ``ProcessPoolExecutor``: runs each block here, and remembers how it was made."""

    made: ClassVar[list[InlineExecutor]] = []

    def __init__(
        self,
        *,
        max_workers: int,
        mp_context: object,
        initializer: object,
        initargs: tuple[int, StopFlag, list[mmap.mmap] | None],
    ) -> None:
        del mp_context, initializer
        self.max_workers = max_workers
        self.stopping = initargs[1]
        self.ring = initargs[2]
        self.shut = False
        InlineExecutor.made.append(self)

    def submit(self, function: Callable[..., Block], /, *args: object) -> Future[Block]:
        """The block, evaluated at once."""
        future: Future[Block] = Future()
        future.set_result(function(*args))
        return future

    def shutdown(self, *, cancel_futures: bool) -> None:
        """Remember that it was shut down."""
        assert cancel_futures
        self.shut = True


class TestWorkers:
    """How many worker processes start, what they mind, and how they end."""

    @pytest.fixture(autouse=True)
    def inline(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Blocks run in this process; the machine has 4 CPUs."""
        InlineExecutor.made.clear()
        monkeypatch.setattr("gigpolicy._batch.ProcessPoolExecutor", InlineExecutor)
        monkeypatch.setattr("os.cpu_count", lambda: 4)

    @pytest.mark.parametrize(
        ("lines", "jobs", "workers"),
        [(3, 1000, []), (40, 1000, [4]), (8, 1000, [2]), (40, 3, [3]), (40, 1, []), (4, 2, [])],
    )
    def test_no_more_than_cpus_and_blocks(self, lines: int, jobs: int, workers: list[int]) -> None:
        """``--jobs 1000`` for 3 lines starts no process; never more workers than CPUs or blocks read."""
        blocks = list(evaluate_blocks(lines_of(lines), at=AT, jobs=jobs, size=4))
        assert workers == [pool.max_workers for pool in InlineExecutor.made]
        assert list(range(1, lines + 1)) == [json.loads(text)["line"] for b in blocks for text in b.text.splitlines()]

    def test_forked_workers_share_a_ring_and_spawned_ones_do_not(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Forked, each worker is given the ring (a slot per block in flight, and one more); spawned, none.

        Either way, the lines are those one process gives.
        """
        alone = list(evaluate_blocks(lines_of(12), at=AT, jobs=1, size=4))
        assert alone == list(evaluate_blocks(lines_of(12), at=AT, jobs=2, size=4))
        monkeypatch.setattr("gigpolicy._batch._CONTEXT", multiprocessing.get_context("spawn"))
        assert alone == list(evaluate_blocks(lines_of(12), at=AT, jobs=2, size=4))
        rings = [pool.ring for pool in InlineExecutor.made]
        assert [2 * 2 + 2, None] == [None if ring is None else len(ring) for ring in rings]

    def test_no_ring_where_the_system_gives_no_shared_memory(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A system that refuses the ring's memory (a strict limit on commits): the blocks cross the pipe, the same."""
        alone = list(evaluate_blocks(lines_of(12), at=AT, jobs=1, size=4))

        real = mmap.mmap

        def refused(fileno: int, length: int) -> mmap.mmap:
            # anonymous memory only: the stop flag's, on a file, is given as before (alone, this test
            # would otherwise find it refused too, where earlier tests had made it already)
            if fileno == -1:
                raise OSError(errno.ENOMEM, os.strerror(errno.ENOMEM))
            return real(fileno, length)

        monkeypatch.setattr("mmap.mmap", refused)
        assert alone == list(evaluate_blocks(lines_of(12), at=AT, jobs=2, size=4))
        assert [None] == [pool.ring for pool in InlineExecutor.made]
        assert alone == list(evaluate_blocks(lines_of(12), at=AT, jobs=1, size=4))  # nor a slot of its own

    def test_an_unknown_cpu_count(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Where Python cannot count the CPUs, one process evaluates."""
        monkeypatch.setattr("os.cpu_count", lambda: None)
        assert 3 == len(list(evaluate_blocks(lines_of(12), at=AT, jobs=8, size=4)))
        assert [] == InlineExecutor.made

    def test_stopping_early_tells_the_workers(self) -> None:
        """Closing the results early sets the flag the workers check between lines; a full run does not."""
        list(evaluate_blocks(lines_of(12), at=AT, jobs=2, size=4))
        blocks = evaluate_blocks(lines_of(40), at=AT, jobs=2, size=4)
        next(blocks)
        blocks.close()
        assert [(False, True), (True, True)] == [(pool.stopping.is_set(), pool.shut) for pool in InlineExecutor.made]

    def test_a_stop_flag_set_by_the_parent_is_seen_by_its_workers(self) -> None:
        """A worker started before the parent asks it to stop sees the flag set (it waits for it, then ends)."""
        flag = StopFlag()
        worker = multiprocessing.get_context().Process(target=_wait_for, args=(flag,))
        worker.start()
        assert not flag.is_set()
        flag.set()
        worker.join(timeout=30)
        assert (True, 0) == (flag.is_set(), worker.exitcode)

    def test_a_stopped_worker_skips_the_rest(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Once the parent wants no more, a block in a worker ends before its next line, with none."""
        stopping = multiprocessing.get_context().Event()
        monkeypatch.setattr(_WORKER, "stopping", stopping)
        job = _Job(at=AT, policy=None, questions=None)
        assert 2 == _block(job, 1, lines_of(2)).count
        stopping.set()
        assert (0, "") == (_block(job, 1, lines_of(2)).count, _block(job, 1, lines_of(2)).text)

    def test_a_block_gives_each_line_the_result_it_gives_alone(self) -> None:
        """A block reads, then judges, then writes its lines, stage by stage: the same lines as one by one.

        The errors of either stage are in order, whichever stage found them.
        """
        unknown = json.loads(lines_of(1)[0])
        unknown["contract"]["marketplace"] = "nowhere"  # read, then refused when judged
        lines = [json.dumps(unknown), "{", *lines_of(2)]
        job = _Job(at=AT, policy=None, questions=None)
        alone = [_result(job, number, line, {}) for number, line in enumerate(lines, start=7)]
        block = _block(job, 7, lines)
        assert [text for text, _ in alone] == block.text.split("\n")[:-1]
        assert ((7, 8), 4) == (block.failed, block.count)
        assert [False, False, True, True] == [ok for _, ok in alone]

    @pytest.mark.parametrize("judged", [0, 1, 3, 4, 6])
    def test_a_worker_stopped_between_steps_ends_its_block_there(
        self, monkeypatch: pytest.MonkeyPatch, judged: int
    ) -> None:
        """Stopped once every line was read, at any step after, a block ends before its next line, with none.

        Three valid lines are replayed and reported one by one, and decided together: a worker
        asks before each of those seven. A stop after 0, 1, 3, 4 or 6 of them comes before and in
        the replays, before the decisions, before and late in the reports.
        """

        class StopsAfter:
            """A stop the parent asks for after *calls* questions."""

            def __init__(self, calls: int) -> None:
                self.calls = calls

            def is_set(self) -> bool:
                self.calls -= 1
                return self.calls < 0

        lines = [*lines_of(2), "{", *lines_of(1)]
        stop = StopsAfter(len(lines) + judged)
        monkeypatch.setattr(_WORKER, "stopping", stop)
        block = _block(_Job(at=AT, policy=None, questions=None), 1, lines)
        assert (0, b"", ()) == (block.count, block.data, block.failed)
        assert -1 == stop.calls  # it asked once more after the last "no", and went no further


class TestRing:
    """A forked worker leaves its blocks' data in memory it shares with the parent, which takes it from there."""

    def test_a_block_left_in_a_slot_is_taken_as_made(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The parent takes from the slot the very block the worker made; the slot holds only its data."""
        ring = _Ring(3)
        monkeypatch.setattr(_WORKER, "ring", ring.slots)
        try:
            job = _Job(at=AT, policy=None, questions=None, printable=True)
            lines = [*lines_of(2), "{"]
            made = _block(job, 5, lines)
            assert [0, 1, 2, 0] == [ring.take() for _ in range(4)]
            placed = _placed_block(job, 5, lines, 1)
            assert isinstance(placed, _Placed)
            assert (1, len(made.data)) == (placed.slot, placed.size)
            viewed = _viewed(placed, ring.slots)
            result, view = next(viewed)
            assert (placed, made.data) == (result, bytes(view))  # the very data, not copied out of the slot
            viewed.close()  # the next block is asked for: the view is let go
            with pytest.raises(ValueError, match="released"):
                bytes(view)
            assert [(made, made.data)] == list(_viewed(made, None))  # a block that crossed the pipe whole
            assert bytes(SLOT_BYTES) == ring.slots[0][:]  # no other slot written
        finally:
            ring.close()

    def test_a_stopped_worker_leaves_nothing_in_its_slot(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Once the parent wants no more, a block ends before its next line with none, the slot untouched."""
        ring = _Ring(1)
        monkeypatch.setattr(_WORKER, "ring", ring.slots)
        stopping = multiprocessing.get_context().Event()
        stopping.set()
        monkeypatch.setattr(_WORKER, "stopping", stopping)
        try:
            block = _placed_block(_Job(at=AT, policy=None, questions=None), 3, lines_of(2), 0)
            assert Block(start=3, count=0, data=b"", failed=()) == block
            assert bytes(SLOT_BYTES) == ring.slots[0][:]
        finally:
            ring.close()

    def test_lines_to_escape_are_escaped_in_the_slot_as_in_a_block(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A record's DEL and a line separator, escaped line by line in the slot as in the whole block's text."""
        record = json.loads(lines_of(1)[0])
        record["contract"]["id"] = "c-\x7f\u2028-é"
        lines = [lines_of(1)[0], json.dumps(record, ensure_ascii=False), "{"]
        ring = _Ring(1)
        monkeypatch.setattr(_WORKER, "ring", ring.slots)
        try:
            job = _Job(at=AT, policy=None, questions=None, printable=True)
            whole = _block(job, 1, lines)
            placed = _placed_block(job, 1, lines, 0)
            assert isinstance(placed, _Placed)
            assert whole.data == ring.slots[0][: placed.size]
            assert '"contract":"c-\\u007f\\u2028-é"' in whole.text
        finally:
            ring.close()

    def test_a_slot_still_viewed_does_not_stop_the_ring_closing(self) -> None:
        """A view kept past its block keeps only its slot mapped: closing the ring raises nothing."""
        ring = _Ring(2)
        kept = memoryview(ring.slots[0])
        ring.close()
        assert (False, True) == (ring.slots[0].closed, ring.slots[1].closed)
        kept.release()
        ring.close()
        assert (True, True) == (ring.slots[0].closed, ring.slots[1].closed)

    def test_data_larger_than_its_slot_crosses_the_pipe(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A block whose data does not fit its slot comes back whole, the slot untouched."""
        small = mmap.mmap(-1, 16)
        monkeypatch.setattr(_WORKER, "ring", [small])
        job = _Job(at=AT, policy=None, questions=None)
        block = _placed_block(job, 1, lines_of(1), 0)
        assert block == _block(job, 1, lines_of(1))
        assert bytes(16) == small[:]

    def test_without_a_ring_a_worker_sends_the_whole_block(self) -> None:
        """In the parent, or a worker started without one (spawned), the block crosses the pipe whole."""
        job = _Job(at=AT, policy=None, questions=None)
        assert _block(job, 1, lines_of(1)) == _placed_block(job, 1, lines_of(1), 0)

    def test_forked_workers_give_the_lines_one_process_gives(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Real workers, forked with the ring: the same text as one process, block by block, in order.

        Two CPUs counted, so that two workers start on any machine.
        """
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        lines = [*lines_of(30), "{", "", *lines_of(9)]
        alone = list(evaluate_blocks(lines, at=AT, jobs=1, size=4, printable=True))
        forked = list(evaluate_blocks(lines, at=AT, jobs=2, size=4, printable=True))
        assert alone == forked


class TestCollections:
    """gigpolicy's own processes that evaluate blocks collect garbage less often; a library call never changes it."""

    def test_fewer_collections_within_and_as_before_after(self) -> None:
        """Within, the batch thresholds; after, the process's own again, even after an error."""
        before = gc.get_threshold()
        within = []

        def fails() -> None:
            with fewer_collections():
                within.append(gc.get_threshold())
                raise KeyError

        with pytest.raises(KeyError):
            fails()
        assert ([BATCH_GC], before) == (within, gc.get_threshold())

    def test_the_command_line_batch_collects_less(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """``gigpolicy batch`` evaluates under the batch thresholds; ``evaluate_blocks`` under the caller's."""
        seen: list[tuple[int, ...]] = []
        real = _evaluated

        def watched(*args: Any) -> tuple[list[str], tuple[int, ...]] | None:
            seen.append(gc.get_threshold())
            return real(*args)

        monkeypatch.setattr("gigpolicy._batch._evaluated", watched)
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(lines_of(2)) + "\n", encoding="utf-8")
        assert 0 == main(["batch", str(source), "--at", AT.isoformat()])
        list(evaluate_blocks(lines_of(2), at=AT))
        capsys.readouterr()
        assert [BATCH_GC, gc.get_threshold()] == seen


class TestWorkerSetup:
    """What a worker process does first: leave signals to its parent, and end when the parent ends."""

    @pytest.fixture
    def calls(self, monkeypatch: pytest.MonkeyPatch) -> list[object]:
        """The calls that would change this process's signals or end it, recorded instead."""
        made: list[object] = []
        monkeypatch.setattr("signal.signal", lambda signum, handler: made.append((signum, handler)))
        monkeypatch.setattr("gc.set_threshold", lambda *thresholds: made.append(("gc", thresholds)))
        monkeypatch.setattr("signal.pthread_sigmask", lambda how, mask: made.append((how, set(mask))))

        def tied() -> bool:
            made.append("pdeathsig")
            return True

        monkeypatch.setattr("gigpolicy._batch._parent_death_signal", tied)
        monkeypatch.setattr("os._exit", lambda status: made.append(("exit", status)))
        monkeypatch.setattr(_WORKER, "stopping", None)
        return made

    def test_signals_and_the_parent(self, calls: list[object]) -> None:
        """Ctrl-C is ignored, SIGTERM ends quietly, both are let through, and the worker is tied to its parent."""
        stopping = multiprocessing.get_context().Event()
        _worker_started(os.getppid(), stopping)
        stops = {signal.SIGINT, signal.SIGTERM}
        expected = [
            ("gc", BATCH_GC),
            (signal.SIGINT, signal.SIG_IGN),
            (signal.SIGTERM, signal.SIG_DFL),
            (signal.SIG_UNBLOCK, stops),
            "pdeathsig",
        ]
        assert (expected, stopping) == (calls, _WORKER.stopping)

    def test_where_there_are_no_signal_masks(self, calls: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
        """On a system without signal masks (Windows), nothing is unblocked."""
        monkeypatch.setattr("gigpolicy._batch._MASKS", False)
        _worker_started(os.getppid(), multiprocessing.get_context().Event())
        kinds = [call[0] if isinstance(call, tuple) else call for call in calls]
        assert ["gc", signal.SIGINT, signal.SIGTERM, "pdeathsig"] == kinds

    def test_a_parent_already_gone(self, calls: list[object]) -> None:
        """A worker whose parent ended before it could tie itself to it ends at once."""
        _worker_started(os.getppid() + 1, multiprocessing.get_context().Event())
        assert ("exit", 1) == calls[-1]

    def test_a_watch_where_linux_cannot_help(self, calls: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
        """Without ``PR_SET_PDEATHSIG``, a thread watches the parent."""
        started: list[tuple[object, ...]] = []

        class Thread:
            def __init__(self, *, target: object, args: tuple[int], name: str, daemon: bool) -> None:
                started.append((target, args, name, daemon))

            def start(self) -> None:
                started.append(("started",))

        monkeypatch.setattr("gigpolicy._batch._parent_death_signal", lambda: False)
        monkeypatch.setattr("threading.Thread", Thread)
        _worker_started(os.getppid(), multiprocessing.get_context().Event())
        assert [(_watch, (os.getppid(),), "gigpolicy-parent-watch", True), ("started",)] == started
        assert not any(isinstance(call, tuple) and call[0] == "exit" for call in calls)

    def test_the_watch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The watch looks every half second, and ends the worker once its parent is another."""
        parents = iter([7, 7, 1])
        slept: list[float] = []
        ended: list[int] = []
        monkeypatch.setattr("os.getppid", lambda: next(parents))
        monkeypatch.setattr("time.sleep", slept.append)
        monkeypatch.setattr("os._exit", ended.append)
        _watch(7)
        assert ([0.5, 0.5], [1]) == (slept, ended)

    @pytest.mark.parametrize(("status", "tied"), [(0, True), (-1, False)])
    def test_the_parent_death_signal(self, status: int, tied: bool, monkeypatch: pytest.MonkeyPatch) -> None:
        """On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; whether it worked."""
        asked: list[tuple[object, ...]] = []

        class Libc:
            def prctl(self, *args: object) -> int:
                asked.append(args)
                return status

        monkeypatch.setattr("sys.platform", "linux")
        opened: list[tuple[object, bool]] = []

        def cdll(name: object, *, use_errno: bool) -> Libc:
            opened.append((name, use_errno))
            return Libc()

        monkeypatch.setattr("ctypes.CDLL", cdll)
        assert (tied, [(None, True)]) == (_parent_death_signal(), opened)
        option, kill, *rest = asked[0]
        assert (1, signal.SIGKILL, 3) == (option, getattr(kill, "value", None), len(rest))

    def test_no_parent_death_signal_elsewhere(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Elsewhere than Linux there is no such call."""
        monkeypatch.setattr("sys.platform", "darwin")
        assert not _parent_death_signal()

    def test_memory_is_given_back_with_glibc(self) -> None:
        """On Linux with glibc (this machine, CI's), ``malloc_trim``, which takes a padding and answers 0 or 1."""
        giver = _memory_giver()
        assert giver is not None
        assert giver(0) in {0, 1}

    def test_memory_given_back_only_where_the_call_exists(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Elsewhere than Linux, or with a C library without ``malloc_trim`` (musl), nothing is called."""
        monkeypatch.setattr("ctypes.CDLL", lambda _name: object())
        assert _memory_giver() is None
        monkeypatch.setattr("sys.platform", "darwin")
        assert _memory_giver() is None

    def test_a_long_batch_gives_memory_back_every_few_blocks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With workers, the main process gives back what the blocks freed, once every ``TRIM_EVERY`` blocks written."""
        given: list[int] = []
        monkeypatch.setattr("gigpolicy._batch._memory_giver", lambda: given.append)
        monkeypatch.setattr("gigpolicy._batch.TRIM_EVERY", 2)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
        blocks = list(evaluate_blocks(lines_of(40), at=AT, jobs=2, size=4))
        # the pool keeps 2 x 2 blocks in flight: the last four come out once the input has ended,
        # and of the six before, every second one is followed by the call
        assert (10, [0] * 3) == (len(blocks), given)
        monkeypatch.setattr("gigpolicy._batch._memory_giver", lambda: None)  # no such call here
        assert blocks == list(evaluate_blocks(lines_of(40), at=AT, jobs=2, size=4))

    def test_signals_are_held_while_workers_start(self) -> None:
        """While workers are forked, SIGINT and SIGTERM wait; after, the mask is as before."""
        before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        with _signals_held():
            held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        assert ({signal.SIGINT, signal.SIGTERM}, before) == (
            held - before,
            signal.pthread_sigmask(signal.SIG_BLOCK, []),
        )

    def test_no_signal_masks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without signal masks, nothing is held."""
        monkeypatch.setattr("gigpolicy._batch._MASKS", False)
        before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        with _signals_held():
            assert before == signal.pthread_sigmask(signal.SIG_BLOCK, [])
