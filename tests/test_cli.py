"""Tests of the ``gigpolicy`` command line (gigpolicy._cli and gigpolicy.__main__)."""

from __future__ import annotations

import io
import json
import runpy
import subprocess
import sys
from typing import TYPE_CHECKING, Final

import pytest

import gigpolicy
from gigpolicy import UnknownPolicy
from gigpolicy._cli import main
from gigpolicy._schema import schema

if TYPE_CHECKING:
    from pathlib import Path

VALID: Final = """{
  "format": "gigpolicy/1",
  "contract": {"id": "c-1", "kind": "fixed_price", "currency": "USD", "client": "client-42",
               "freelancer": "fl-7", "started_at": "2026-11-02T15:00:00Z"},
  "events": [
    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.00"},
    {"type": "contract_ended", "at": "2026-11-03T09:00:00Z", "by": "freelancer", "reason": "unethical request"}
  ]
}"""

INVALID: Final = """{
  "format": "gigpolicy/1",
  "contract": {"id": "c-1", "kind": "fixed_price", "currency": "USD",
               "freelancer": "fl-7", "started_at": "2026-11-02T15:00:00Z"},
  "events": [
    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "-5"},
    {"type": "contract_ended", "at": "2026-11-03T09:00:00", "by": "freelancer", "colour": "red"}
  ]
}"""

INVALID_PROBLEMS: Final = (
    "contract.client: is required",
    "events[0].amount: must be greater than zero",
    "events[1].colour: is not a field of the record format (a typo?)",
    "events[1].at: '2026-11-03T09:00:00' has no UTC offset (add Z or +hh:mm)",
)


def write(tmp_path: Path, name: str, text: str) -> str:
    """Write *text* to the file *name* in *tmp_path* and return its path as a string."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Make standard input read *data*."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


class TestValidate:
    """``gigpolicy validate FILE...``: ``FILE: ok`` or every problem, with its path."""

    def test_valid_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A valid record prints ``FILE: ok`` on stdout and exits 0."""
        path = write(tmp_path, "good.json", VALID)
        code = main(["validate", path])
        out, err = capsys.readouterr()
        assert (0, f"{path}: ok\n", "") == (code, out, err)

    def test_invalid_file_prints_every_problem(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid record prints each problem as ``FILE: path: problem`` on stderr and exits 1."""
        path = write(tmp_path, "bad.json", INVALID)
        code = main(["validate", path])
        out, err = capsys.readouterr()
        expected = [f"{path}: {problem}" for problem in INVALID_PROBLEMS]
        assert (1, "", expected) == (code, out, err.splitlines())

    def test_every_file_is_checked(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With several files, each is reported, and one invalid file makes the exit code 1."""
        bad = write(tmp_path, "bad.json", INVALID)
        good = write(tmp_path, "good.json", VALID)
        code = main(["validate", bad, good])
        out, err = capsys.readouterr()
        assert 1 == code
        assert f"{good}: ok\n" == out
        assert len(INVALID_PROBLEMS) == len(err.splitlines())

    def test_all_valid_files_exit_zero(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Several valid files print one ok line each and exit 0."""
        first = write(tmp_path, "a.json", VALID)
        second = write(tmp_path, "b.json", VALID)
        code = main(["validate", first, second])
        assert (0, f"{first}: ok\n{second}: ok\n") == (code, capsys.readouterr().out)

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints every file's result in one document, each problem with its path; stderr stays empty."""
        bad = write(tmp_path, "bad.json", INVALID)
        good = write(tmp_path, "good.json", VALID)
        code = main(["validate", bad, good, "--json"])
        out, err = capsys.readouterr()
        document = json.loads(out)
        assert (1, "", "gigpolicy-validation/1") == (code, err, document["format"])
        (first, second) = document["files"]
        assert {"file": good, "valid": True, "errors": []} == second
        assert (bad, False) == (first["file"], first["valid"])
        assert list(INVALID_PROBLEMS) == [f"{item['path']}: {item['message']}" for item in first["errors"]]

    def test_json_all_valid(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--json with only valid files exits 0."""
        good = write(tmp_path, "good.json", VALID)
        code = main(["validate", "--json", good])
        assert (0, [True]) == (code, [item["valid"] for item in json.loads(capsys.readouterr().out)["files"]])

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """``-`` reads the record from standard input."""
        feed_stdin(monkeypatch, VALID.encode())
        code = main(["validate", "-"])
        assert (0, "<stdin>: ok\n") == (code, capsys.readouterr().out)

    def test_invalid_stdin(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """Problems of a record on standard input are reported under ``<stdin>``."""
        feed_stdin(monkeypatch, INVALID.encode())
        code = main(["validate", "-"])
        expected = [f"<stdin>: {problem}" for problem in INVALID_PROBLEMS]
        assert (1, expected) == (code, capsys.readouterr().err.splitlines())

    def test_stdin_not_utf8(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """Bytes that are not UTF-8 on standard input are an invalid record, not a crash."""
        feed_stdin(monkeypatch, b"\xff")
        code = main(["validate", "-"])
        assert (1, "<stdin>: is not UTF-8 text (byte 0)\n") == (code, capsys.readouterr().err)

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that does not exist is reported on stderr and exits 1."""
        path = str(tmp_path / "nowhere.json")
        code = main(["validate", path])
        out, err = capsys.readouterr()
        assert (1, "") == (code, out)
        assert err.startswith(f"{path}: cannot read ")
        assert "Traceback" not in err

    def test_directory(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A directory given as a file is reported on stderr and exits 1."""
        code = main(["validate", str(tmp_path)])
        expected = f"{tmp_path}: {tmp_path} is a directory, not a record file\n"
        assert (1, expected) == (code, capsys.readouterr().err)

    def test_not_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that is not JSON is reported with where the JSON breaks, and exits 1."""
        path = write(tmp_path, "notes.txt", "format: gigpolicy/1\n")
        code = main(["validate", path])
        err = capsys.readouterr().err
        assert 1 == code
        assert err.startswith(f"{path}: is not valid JSON: ")
        assert "(line 1, column 1)" in err

    def test_no_file_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``validate`` without a file exits 2 with a usage message."""
        with pytest.raises(SystemExit) as exit_info:
            main(["validate"])
        assert 2 == exit_info.value.code
        assert "usage: gigpolicy validate" in capsys.readouterr().err


class TestSchema:
    """``gigpolicy schema``: the JSON Schema of the record format."""

    def test_prints_the_schema_as_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The output parses as JSON and equals schema()."""
        code = main(["schema"])
        out = capsys.readouterr().out
        assert 0 == code
        assert schema() == json.loads(out)

    def test_is_indented(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The schema is printed indented, one key per line, for people to read."""
        main(["schema"])
        lines = capsys.readouterr().out.splitlines()
        assert "{" == lines[0]
        assert lines[1].startswith('  "$schema": ')


class TestUsage:
    """Usage errors exit 2; --help and --version exit 0."""

    @pytest.mark.parametrize("argv", [[], ["frobnicate"], ["schema", "extra"], ["--no-such-option"]])
    def test_usage_error_exits_2(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """A missing or unknown command, or a stray argument, exits 2 with the usage on stderr."""
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert 2 == exit_info.value.code
        assert capsys.readouterr().err.startswith("usage: gigpolicy")

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--version`` prints the package version and exits 0."""
        with pytest.raises(SystemExit) as exit_info:
            main(["--version"])
        assert (0, f"gigpolicy {gigpolicy.__version__}\n") == (exit_info.value.code, capsys.readouterr().out)

    def test_help_lists_the_commands(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--help`` exits 0 and names every command."""
        with pytest.raises(SystemExit) as exit_info:
            main(["--help"])
        out = capsys.readouterr().out
        assert 0 == exit_info.value.code
        assert "validate" in out
        assert "schema" in out

    def test_argv_defaults_to_sys_argv(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without arguments, main reads the command line from sys.argv."""
        monkeypatch.setattr(sys, "argv", ["gigpolicy", "schema"])
        assert 0 == main()
        assert schema() == json.loads(capsys.readouterr().out)


class TestLibraryErrors:
    """No library error escapes as a traceback."""

    def test_other_error_exits_1(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """A GigPolicyError that is not about a record's content prints one line and exits 1."""

        def refuse(path: str) -> None:
            raise UnknownPolicy(f"unknown policy 'nowhere' for {path}")

        monkeypatch.setattr("gigpolicy._cli.load", refuse)
        code = main(["validate", "record.json"])
        assert (1, "gigpolicy: error: unknown policy 'nowhere' for record.json\n") == (code, capsys.readouterr().err)


class TestEntryPoints:
    """``python -m gigpolicy`` runs the same command and exits with its code."""

    def test_run_module_exits_with_the_code(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Running gigpolicy as __main__ exits with main's return code."""
        path = write(tmp_path, "bad.json", INVALID)
        monkeypatch.setattr(sys, "argv", ["gigpolicy", "validate", path])
        with pytest.raises(SystemExit) as exit_info:
            runpy.run_module("gigpolicy", run_name="__main__")
        assert 1 == exit_info.value.code
        assert len(INVALID_PROBLEMS) == len(capsys.readouterr().err.splitlines())

    def test_python_m_version(self) -> None:
        """``python -m gigpolicy --version`` prints the version in a fresh interpreter and exits 0."""
        result = subprocess.run(
            [sys.executable, "-m", "gigpolicy", "--version"], capture_output=True, text=True, check=False
        )
        assert (0, f"gigpolicy {gigpolicy.__version__}\n", "") == (result.returncode, result.stdout, result.stderr)
