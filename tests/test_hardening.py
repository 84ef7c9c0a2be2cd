"""Malformed input at every public entry point: a GigPolicyError that names the place, and nothing else.

Each case here was an escape (a ``ValueError``, ``TypeError``, ``OverflowError``,
``decimal.InvalidOperation`` or ``UnicodeEncodeError`` from deep inside) before the fix it pins.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs
import pytest

import gigpolicy
from gigpolicy import (
    ContractKind,
    ContractTerms,
    GigPolicyError,
    HoursBilled,
    InvalidRecord,
    MilestoneFunded,
    Money,
    ReplayRules,
    UnknownPolicy,
)
from gigpolicy._cli import main
from gigpolicy._policy import _REGISTRY
from gigpolicy._time import EARLIEST, LATEST

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

AT: Final = datetime(2026, 11, 5, tzinfo=UTC)


def record_data(**contract: object) -> dict[str, Any]:
    """The motivating record as JSON data, with *contract* fields replaced."""
    return {
        "format": "gigpolicy/1",
        "contract": {
            "id": "c-1",
            "kind": "fixed_price",
            "currency": "USD",
            "client": "client-42",
            "freelancer": "fl-7",
            "started_at": "2026-11-02T15:00:00Z",
            **contract,
        },
        "events": [
            {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.00"},
            {"type": "contract_ended", "at": "2026-11-03T09:00:00Z", "by": "freelancer"},
        ],
    }


def problems(text: str | bytes) -> list[tuple[str, str]]:
    """The ``(path, problem)`` pairs ``loads`` reports for *text*."""
    with pytest.raises(InvalidRecord) as caught:
        gigpolicy.loads(text)
    return [(error.path, error.problem) for error in caught.value.errors]


def with_amount(raw: str) -> str:
    """The record's text with the first amount written as the raw JSON *raw*."""
    return json.dumps(record_data()).replace('"500.00"', raw)


class TestNumbers:
    """JSON numbers that Python cannot turn into a value at all."""

    def test_an_integer_of_thousands_of_digits_is_too_large(self) -> None:
        """5,000 digits (past Python's int limit of 4,300) are refused as an amount, at its place."""
        [(path, problem)] = problems(with_amount("1" + "0" * 5000))
        assert "events[0].amount" == path
        assert problem.endswith("is larger than gigpolicy accepts (10^15)")

    def test_an_exponent_past_decimal_is_refused(self) -> None:
        """An exponent of 30 digits is not a number decimal can hold: the whole text is refused."""
        [(path, problem)] = problems(with_amount("7E+" + "7" * 30))
        assert "" == path
        assert problem.endswith("is a number beyond what the record format accepts")
        assert len(problem) < 120

    def test_a_tiny_exponent_is_too_many_places(self) -> None:
        """1e-999 is a valid decimal, with more places than the currency has."""
        assert [("events[0].amount", "1E-999 has more than 2 decimal places")] == problems(with_amount("1e-999"))

    @pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity"])
    def test_non_finite_constants(self, raw: str) -> None:
        """NaN and the infinities are not numbers the format accepts."""
        assert [("", f"{raw} is not a number the record format accepts")] == problems(with_amount(raw))

    def test_non_ascii_digits_are_not_digits(self) -> None:
        """Arabic-Indic digits in an amount string are not a decimal number."""
        [(path, _)] = problems(with_amount('"\u0665\u0660\u0660"'))
        assert "events[0].amount" == path


class TestText:
    """Strings that cannot be written out again."""

    def test_a_lone_surrogate_is_not_text(self) -> None:
        r"""JSON's "\ud800" decodes to a lone surrogate, refused where it stands."""
        text = json.dumps(record_data(client="cl\\ud800")).replace("\\\\ud800", "\\ud800")
        assert [("contract.client", "holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")] == problems(
            text
        )

    def test_a_built_value_is_checked_too(self) -> None:
        """The same check runs when a value is built in Python."""
        with pytest.raises(InvalidRecord) as caught:
            MilestoneFunded(at=AT, milestone="m\udc00", amount=Money.of(1, "USD"))
        assert "milestone" == caught.value.path

    def test_other_non_ascii_text_is_fine(self) -> None:
        """Accents, CJK and emoji are text like any other."""
        record = gigpolicy.loads(json.dumps(record_data(client="Zoë 李 🚀")))
        assert "Zoë 李 🚀" == record.contract.client


class TestInstants:
    """Instants so early or late that a window computed from them would leave ``datetime``."""

    def test_the_range(self) -> None:
        """Records and instants to judge lie in the years 1900 to 8999 (UTC)."""
        assert (datetime(1900, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)) == (EARLIEST, LATEST)

    @pytest.mark.parametrize("stamp", ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00+14:00", "1899-12-31T23:59:59Z"])
    def test_a_record_timestamp_outside_the_range(self, stamp: str) -> None:
        """The start of a contract outside the range is refused at its place."""
        [(path, problem)] = [p for p in problems(json.dumps(record_data(started_at=stamp))) if p[0].startswith("c")]
        assert "contract.started_at" == path
        assert "is outside the instants gigpolicy accepts (years 1900 to 8999)" in problem

    def test_the_last_accepted_instant(self) -> None:
        """One microsecond before 9000-01-01 UTC is accepted, and judged without overflow."""
        last = LATEST - timedelta(microseconds=1)
        record = gigpolicy.loads(json.dumps(record_data()))
        assert last == gigpolicy.evaluate(record, at=last).at

    def test_a_week_too_late(self) -> None:
        """A Sunday in the year 9999 is refused as a week's end."""
        with pytest.raises(InvalidRecord) as caught:
            HoursBilled(
                at=AT,
                week_ending=date(9999, 12, 26),
                hours=Decimal(1),
                amount=Money.of(1, "USD"),
            )
        assert "week_ending" == caught.value.path

    @pytest.mark.parametrize(
        "at",
        [
            datetime.max.replace(tzinfo=UTC),
            datetime.min.replace(tzinfo=UTC),
            datetime.max.replace(tzinfo=timezone(-timedelta(hours=23))),
        ],
    )
    @pytest.mark.parametrize("function", ["replay", "evaluate", "options", "job_success"])
    def test_every_function_refuses_an_instant_outside_the_range(self, function: str, at: datetime) -> None:
        """``at`` at the ends of ``datetime`` names ``at`` instead of overflowing."""
        record = gigpolicy.loads(json.dumps(record_data()))
        calls: dict[str, Callable[[], object]] = {
            "replay": lambda: gigpolicy.replay(record, at=at),
            "evaluate": lambda: gigpolicy.evaluate(record, at=at),
            "options": lambda: gigpolicy.options(record, party="client", at=at),
            "job_success": lambda: gigpolicy.job_success([record], freelancer="fl-7", at=at),
        }
        with pytest.raises(InvalidRecord) as caught:
            calls[function]()
        assert "at" == caught.value.path

    def test_terms_built_in_python(self) -> None:
        """Terms built directly are held to the same range."""
        with pytest.raises(InvalidRecord) as caught:
            ContractTerms(
                id="c",
                kind=ContractKind.HOURLY,
                currency="USD",
                client="a",
                freelancer="b",
                started_at=datetime(1, 1, 1, tzinfo=UTC),
            )
        assert "started_at" == caught.value.path


class TestArguments:
    """Wrong Python types at the public functions."""

    @pytest.fixture
    def record(self) -> gigpolicy.ContractRecord:
        """The motivating record."""
        return gigpolicy.loads(json.dumps(record_data()))

    def test_questions_that_are_not_iterable(self, record: gigpolicy.ContractRecord) -> None:
        """``questions=5`` names ``questions``."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.evaluate(record, at=AT, questions=5)  # type: ignore[arg-type]  # the wrong type is the point
        assert ("questions", "must be an iterable of questions, not int") == (caught.value.path, caught.value.problem)

    @pytest.mark.parametrize("records", [5, None])
    def test_records_that_are_not_iterable(self, records: object) -> None:
        """``job_success`` names ``records``."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.job_success(records, freelancer="fl-7", at=AT)  # type: ignore[arg-type]  # the point
        assert "records" == caught.value.path

    def test_dumps_of_something_else(self) -> None:
        """``dumps`` names ``record``."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.dumps(5)  # type: ignore[arg-type]  # the wrong type is the point
        assert ("record", "must be a ContractRecord, not int") == (caught.value.path, caught.value.problem)

    @pytest.mark.parametrize("indent", [-1, True, "2", 1.5])
    def test_dumps_with_a_bad_indent(self, record: gigpolicy.ContractRecord, indent: object) -> None:
        """``indent`` is None or a non-negative int."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.dumps(record, indent=indent)  # type: ignore[arg-type]  # the wrong type is the point
        assert "indent" == caught.value.path

    def test_dumps_without_indent(self, record: gigpolicy.ContractRecord) -> None:
        """``indent=None`` writes one line, ``0`` one field per line."""
        assert "\n" not in gigpolicy.dumps(record, indent=None)
        assert record == gigpolicy.loads(gigpolicy.dumps(record, indent=0))

    def test_differences_of_something_else(self, record: gigpolicy.ContractRecord) -> None:
        """``differences`` names the argument that is not a report."""
        report = gigpolicy.evaluate(record, at=AT)
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.differences(report, 6)  # type: ignore[arg-type]  # the wrong type is the point
        assert "second" == caught.value.path

    @pytest.mark.parametrize("path", [5, None, b"record.json"])
    def test_load_of_something_that_is_not_a_path(self, path: object) -> None:
        """``load`` refuses a value that is not a path."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.load(path)  # type: ignore[arg-type]  # the wrong type is the point
        assert caught.value.problem.startswith("a record path must be a str or a path")


class TestFiles:
    """What ``load`` finds at a path."""

    def test_a_device_without_size_is_read_only_to_the_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """/dev/zero reports no size; reading stops one byte past the limit."""
        monkeypatch.setattr("gigpolicy._codec.MAX_BYTES", 1024)
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.load("/dev/zero")
        assert "/dev/zero is larger than 1024 bytes" == caught.value.problem

    def test_an_empty_file(self, tmp_path: Path) -> None:
        """An empty file is not JSON."""
        (tmp_path / "empty.json").write_bytes(b"")
        with pytest.raises(InvalidRecord, match="is not valid JSON"):
            gigpolicy.load(tmp_path / "empty.json")

    def test_a_binary_file(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are refused with the offset of the first bad one."""
        (tmp_path / "blob").write_bytes(b"{\xff\xfe")
        with pytest.raises(InvalidRecord, match=r"is not UTF-8 text \(byte 1\)"):
            gigpolicy.load(tmp_path / "blob")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_a_named_pipe_is_read_like_a_file(self, tmp_path: Path) -> None:
        """A pipe (as `<(...)` gives) is read to its end, bounded like any file."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        writer = threading.Thread(target=fifo.write_bytes, args=(json.dumps(record_data()).encode(),))
        writer.start()
        record = gigpolicy.load(fifo)
        writer.join()
        assert "c-1" == record.contract.id


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line, returning the exit code and what it wrote."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes | None) -> None:
    """Make standard input read *data*, or close it (``None``)."""
    stream = None if data is None else io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)


class TestCommandLine:
    """User errors give the SPEC's exit codes and a message, never a traceback."""

    @pytest.mark.parametrize(
        "content",
        [
            b"",
            b"\x00\xff",
            b"[" * 100_000,
            b'{"format": 1, "format": 2}',
            with_amount("NaN").encode(),
            with_amount("1" + "0" * 5000).encode(),
            with_amount("7E+" + "7" * 30).encode(),
            json.dumps(record_data(client="a\\udfff")).replace("\\\\udfff", "\\udfff").encode(),
            json.dumps(record_data(started_at="9999-01-01T00:00:00Z")).encode(),
        ],
        ids=["empty", "binary", "deep", "duplicate", "nan", "huge", "exponent", "surrogate", "year-9999"],
    )
    @pytest.mark.parametrize("command", ["validate", "explain"])
    def test_bad_files_exit_1_without_traceback(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, content: bytes
    ) -> None:
        """Exit 1, each problem on stderr after the file name, no traceback."""
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        code, out, err = run(capsys, command, str(path))
        assert (1, "") == (code, out)
        assert err.startswith(f"{path}: ")
        assert "Traceback" not in err

    def test_a_directory(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A directory instead of a file is an invalid input."""
        code, _, err = run(capsys, "validate", str(tmp_path))
        assert (1, f"{tmp_path}: {tmp_path} is a directory, not a record file\n") == (code, err)

    def test_a_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A file that does not exist is an invalid input."""
        missing = tmp_path / "missing.json"
        code, _, err = run(capsys, "explain", str(missing), "--at", "2026-11-05T00:00:00Z")
        assert (1, f"{missing}: cannot read {missing}: No such file or directory\n") == (code, err)

    def test_standard_input(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """``-`` reads the record from standard input."""
        feed_stdin(monkeypatch, json.dumps(record_data()).encode())
        assert (0, "<stdin>: ok\n", "") == run(capsys, "validate", "-")

    def test_closed_standard_input(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """With standard input closed, ``-`` is an invalid input, not a crash."""
        feed_stdin(monkeypatch, None)
        assert (1, "", "<stdin>: standard input is closed\n") == run(capsys, "validate", "-")

    def test_endless_standard_input(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Standard input is read only one byte past the limit, then refused."""
        monkeypatch.setattr("gigpolicy._cli.MAX_BYTES", 100)
        monkeypatch.setattr("gigpolicy._codec.MAX_BYTES", 100)
        feed_stdin(monkeypatch, b" " * 10_000)
        assert (1, "", "<stdin>: is larger than 100 bytes\n") == run(capsys, "validate", "-")

    @pytest.mark.parametrize("jobs", ["0", "-3", "many"])
    def test_a_bad_number_of_jobs_is_a_usage_error(self, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
        """``--jobs`` below 1 exits 2, argparse's usage error."""
        code, _, err = run(capsys, "batch", "-", "--jobs", jobs)
        assert 2 == code
        assert "is not a number of worker processes (1 or more)" in err

    def test_an_instant_outside_the_range(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``--at`` in the year 9999 exits 1 with the reason."""
        path = tmp_path / "ok.json"
        path.write_text(json.dumps(record_data()), encoding="utf-8")
        code, _, err = run(capsys, "explain", str(path), "--at", "9999-01-01T00:00:00Z")
        assert 1 == code
        assert "at: 9999-01-01T00:00:00+00:00 is outside the instants gigpolicy accepts" in err

    def test_usage_errors_exit_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing argument or an unparsable ``--at`` is a usage error."""
        assert 2 == run(capsys, "options", "x.json")[0]
        assert 2 == run(capsys, "explain", "x.json", "--at", "tomorrow")[0]


def test_every_error_here_is_a_gig_policy_error() -> None:
    """The errors the checks raise are GigPolicyErrors and ValueErrors, as the SPEC says."""
    assert issubclass(InvalidRecord, GigPolicyError)
    assert issubclass(InvalidRecord, ValueError)


class TestPolicyNames:
    """Bad policy names and dates name what is wrong."""

    def test_a_name_that_is_not_a_string(self) -> None:
        """An unhashable name is unknown, with the known names listed."""
        with pytest.raises(UnknownPolicy) as caught:
            gigpolicy.get_policy([1])  # type: ignore[arg-type]  # the wrong type is the point
        assert "unknown policy [1] (known: fiverr, freelancer, upwork)" == str(caught.value)

    def test_a_naive_datetime(self) -> None:
        """A policy date given as a naive datetime is refused."""
        with pytest.raises(UnknownPolicy) as caught:
            gigpolicy.get_policy("upwork", on=datetime(2020, 1, 1))  # noqa: DTZ001 - naive is the point
        assert "a policy date given as a datetime must be timezone-aware" == str(caught.value)

    def test_a_date_of_the_wrong_type(self) -> None:
        """A policy date that is a string names its type."""
        with pytest.raises(UnknownPolicy) as caught:
            gigpolicy.get_policy("upwork", on="2020-01-01")  # type: ignore[arg-type]  # the wrong type is the point
        assert "a policy date must be a date or a datetime, not str" == str(caught.value)

    def test_only_the_first_at_sign_splits(self) -> None:
        """``name@date`` splits at the first ``@``; the rest must be the date."""
        with pytest.raises(UnknownPolicy) as caught:
            gigpolicy.get_policy("upwork@2020-01-01@x")
        assert "'2020-01-01@x' after '@' is not a date in the form YYYY-MM-DD" == str(caught.value)

    def test_days_are_utc_days_whatever_the_machine_zone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On a machine at UTC+14, 23:00 UTC on 2023-12-04 is still the 4th, and a window still closes at 00:00 UTC."""
        monkeypatch.setenv("TZ", "LINT-14")  # POSIX: fourteen hours east of UTC
        time.tzset()
        try:
            late = datetime(2023, 12, 4, 23, tzinfo=UTC)
            assert date(2023, 5, 3) == gigpolicy.get_policy("upwork", on=late).effective_from
            closes = gigpolicy.get_policy("upwork").feedback_closes(late)  # type: ignore[attr-defined]  # Upwork's
            assert datetime(2023, 12, 19, tzinfo=UTC) == closes
        finally:
            monkeypatch.undo()
            time.tzset()

    def test_a_name_follows_the_version_in_force(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``replay(policy=name)`` takes the automatic steps of the version in force at ``at``."""
        old = gigpolicy.Policy(
            name="hardening-test", effective_from=date(2020, 1, 1), replay_rules=ReplayRules(auto_release_after=None)
        )
        new = attrs.evolve(old, effective_from=date(2030, 1, 1), replay_rules=ReplayRules())
        monkeypatch.setitem(_REGISTRY, "hardening-test", (old, new))
        data = record_data()
        data["events"][1] = {"type": "work_submitted", "at": "2026-11-03T09:00:00Z", "milestone": "m1"}
        record = gigpolicy.loads(json.dumps(data))
        state = gigpolicy.replay(record, at=AT + timedelta(days=30), policy="hardening-test")
        assert Money.of(500, "USD") == state.escrow
