"""Tests of batch evaluation: gigpolicy._batch and ``gigpolicy batch``."""

from __future__ import annotations

import io
import json
from collections.abc import Generator, Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gigpolicy import ContractRecord, InvalidRecord, Policy, Question, UnknownPolicy, evaluate, get_policy, loads
from gigpolicy._batch import CHUNK, _block, _Job, evaluate_blocks, evaluate_lines
from gigpolicy._cli import main
from gigpolicy._report_json import _INSTANTS, _POLICIES, _REASONS, _utc, report_data, report_line
from gigpolicy.testing import records

ROOT: Final = Path(__file__).resolve().parent.parent
RECORDS: Final = sorted((ROOT / "examples" / "records").glob("*.json"))
AT: Final = datetime(2026, 11, 27, tzinfo=UTC)


def lines_of(count: int) -> list[str]:
    """*count* valid record lines, cycling through the example records."""
    texts = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in RECORDS]
    return [texts[index % len(texts)] for index in range(count)]


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

    def test_few_blocks_in_flight(self) -> None:
        """With N jobs, at most 2N blocks wait or run beside the one handed out: memory stays flat."""
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
        assert [{"line": 251, "errors": [{"path": "", "problem": "is not UTF-8 text (byte 0)"}]}] == [
            result for result in results if "errors" in result
        ]
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
        """On a terminal, stderr shows a running count every thousand records."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(lines_of(1000)) + "\n", encoding="utf-8")
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
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
        """The count shows after each thousand records, then once more at the end."""
        source = tmp_path / "in.jsonl"
        source.write_text("{}\n" * 2500, encoding="utf-8")
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        assert 1 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z"])
        shown = [f"{count} records, {count} invalid" for count in (4 * CHUNK, 8 * CHUNK, 2500)]
        assert "\r" + "\r".join(shown) + "\n" == capsys.readouterr().err

    def test_no_progress_off_a_terminal(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Off a terminal, stderr stays empty."""
        source = tmp_path / "in.jsonl"
        source.write_text("{}\n" * 1001, encoding="utf-8")
        assert 1 == main(["batch", str(source), "--at", "2026-11-27T00:00:00Z"])
        assert "" == capsys.readouterr().err

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
