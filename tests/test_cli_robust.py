"""The ``gigpolicy`` command never ends in a traceback: each failure is one line on stderr and its exit code.

Each case runs the real command in a fresh interpreter, as a shell would start it, and again in
this process where a branch needs it: coverage does not follow a subprocess.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from gigpolicy._cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, MAX_JOBS, main
from gigpolicy._schema import schema
from gigpolicy._success import score_effect

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from gigpolicy import ContractRecord, Option, ScoreEffect

ROOT: Final = Path(__file__).resolve().parent.parent
RECORDS: Final = ROOT / "examples" / "records"
MOTIVATING: Final = str(RECORDS / "motivating-case.json")
ENDED: Final = str(RECORDS / "motivating-case-ended.json")
HOURLY: Final = str(RECORDS / "hourly-disputed-week.json")
AUTO_RELEASE: Final = str(RECORDS / "fixed-price-auto-release.json")
AT: Final = "2026-11-04T00:00:00Z"
UNUSUAL: Final = "c-é✓😀"
"""A contract id with a Latin-1 letter, a character cp1252 lacks, and one outside the BMP."""
WAIT: Final = 120.0
"""Seconds a test waits for a subprocess before it fails instead of hanging (not a speed bound)."""
DEV_FULL: Final = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
needs_sh = pytest.mark.skipif(not Path("/bin/sh").exists(), reason="no POSIX shell on this system")


def unusual_record(tmp_path: Path) -> str:
    """Write the motivating case with :data:`UNUSUAL` as its id and in its end's reason; return the path."""
    data = json.loads(Path(MOTIVATING).read_text(encoding="utf-8"))
    data["contract"]["id"] = UNUSUAL
    data["events"].append(
        {"type": "contract_ended", "at": "2026-11-03T09:00:00Z", "by": "freelancer", "reason": f"no {UNUSUAL}"}
    )
    path = tmp_path / "unusual.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def gigpolicy(
    *argv: str, env: Mapping[str, str] | None = None, stdout: int = subprocess.PIPE, stderr: int = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m gigpolicy *argv*`` in a fresh interpreter, with *env* added to the environment."""
    command = [sys.executable, "-m", "gigpolicy", *argv]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, env=environment, stdout=stdout, stderr=stderr, timeout=WAIT, check=False)  # noqa: S603 - our own command


def in_shell(script: str, *argv: str) -> subprocess.CompletedProcess[bytes]:
    """Run *script* with ``$G`` standing for ``python -m gigpolicy``, and ``$1``... for *argv*, in /bin/sh."""
    command = ["/bin/sh", "-c", f'G="$0 -m gigpolicy"; {script}', sys.executable, *argv]
    return subprocess.run(command, capture_output=True, timeout=WAIT, check=False)  # noqa: S603 - our own command


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in this process; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestEncoding:
    """Output to a stream whose encoding lacks a record's characters (a Windows redirect) is escaped, not a crash."""

    CP1252: Final = {"PYTHONIOENCODING": "cp1252"}

    def test_text_report(self, tmp_path: Path) -> None:
        """The text report writes the characters cp1252 has and escapes the others; exit 0, stderr empty."""
        result = gigpolicy("explain", unusual_record(tmp_path), "--at", AT, env=self.CP1252)
        out = result.stdout.decode("cp1252")
        assert (0, b"") == (result.returncode, result.stderr)
        assert out.startswith("Contract c-é\\u2713\\U0001f600: fixed-price")

    def test_every_text_command(self, tmp_path: Path) -> None:
        """The options table and the timeline axis use box characters cp1252 lacks: escaped too."""
        path = unusual_record(tmp_path)
        for argv in (["options", path, "--as", "freelancer"], ["timeline", path]):
            result = gigpolicy(*argv, "--at", AT, env=self.CP1252)
            assert (0, b"") == (result.returncode, result.stderr), argv
            assert "c-é\\u2713\\U0001f600" in result.stdout.decode("cp1252"), argv

    def test_json_report(self, tmp_path: Path) -> None:
        """--json writes every non-ASCII character as a JSON escape: ASCII text holding the very same value."""
        result = gigpolicy("explain", unusual_record(tmp_path), "--at", AT, "--json", env=self.CP1252)
        assert (0, b"") == (result.returncode, result.stderr)
        assert result.stdout.isascii()
        assert '"contract": "c-\\u00e9\\u2713\\ud83d\\ude00"' in result.stdout.decode("ascii")
        assert UNUSUAL == json.loads(result.stdout)["contract"]

    def test_error_message(self, tmp_path: Path) -> None:
        """An error naming a file whose name cp1252 cannot write is still one line, escaped; exit 1."""
        missing = str(tmp_path / f"{UNUSUAL}.json")
        result = gigpolicy("validate", missing, env={"PYTHONIOENCODING": "ascii"})
        err = result.stderr.decode("ascii")
        assert (1, b"", 1) == (result.returncode, result.stdout, len(err.splitlines()))
        assert "c-\\xe9\\u2713\\U0001f600.json: cannot read " in err

    def test_json_in_process(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The same JSON to a cp1252 stream in this process: escaped as JSON, the same value."""
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
        monkeypatch.setattr(sys, "stdout", stdout)
        assert 0 == main(["explain", unusual_record(tmp_path), "--at", AT, "--json"])
        stdout.flush()
        written = stdout.buffer.getvalue()
        assert (True, UNUSUAL) == (written.isascii(), json.loads(written)["contract"])

    def test_text_in_process(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The same text report to a strict cp1252 stream in this process: escaped, not a UnicodeEncodeError."""
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="strict")
        monkeypatch.setattr(sys, "stdout", stdout)
        assert 0 == main(["explain", unusual_record(tmp_path), "--at", AT])
        stdout.flush()
        written = stdout.buffer.getvalue().decode("cp1252")
        assert written.startswith("Contract c-é\\u2713\\U0001f600:")


class TestClosedOrFullOutput:
    """Standard output that is closed or cannot take more: one line on stderr, exit 1."""

    @needs_sh
    @pytest.mark.parametrize("command", ["schema", "--help"])
    def test_closed_stdout(self, command: str) -> None:
        """``gigpolicy schema >&-`` or ``--help >&-`` says that standard output is closed; exit 1, no traceback."""
        result = in_shell(f"$G {command} >&-")
        assert (1, b"gigpolicy: error: cannot write to standard output: it is closed\n") == (
            result.returncode,
            result.stderr,
        )

    @needs_dev_full
    @pytest.mark.parametrize(
        "argv",
        [
            ["schema"],
            ["explain", MOTIVATING, "--at", AT],
            ["explain", MOTIVATING, "--at", AT, "--json"],
            ["batch", MOTIVATING, "--at", AT],  # a pretty-printed record: one error line per line
        ],
    )
    def test_full_device(self, argv: list[str]) -> None:
        """Writing to ``/dev/full`` says the device is full: one line, exit 1, no ``Exception ignored`` at exit."""
        with DEV_FULL.open("wb") as full:
            result = gigpolicy(*argv, stdout=full.fileno())
        expected = f"gigpolicy: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"
        assert (1, expected) == (result.returncode, result.stderr.decode())

    @needs_dev_full
    def test_full_device_with_workers(self, tmp_path: Path) -> None:
        """``batch --jobs 2`` to ``/dev/full``: the same one line and exit 1, the workers' shared memory let go."""
        line = json.dumps(json.loads(Path(MOTIVATING).read_text(encoding="utf-8")))
        path = tmp_path / "in.jsonl"
        path.write_text(f"{line}\n" * 600, encoding="utf-8")  # three blocks: two workers
        with DEV_FULL.open("wb") as full:
            result = gigpolicy("batch", str(path), "--at", AT, "--jobs", "2", stdout=full.fileno())
        expected = f"gigpolicy: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"
        assert (1, expected) == (result.returncode, result.stderr.decode())

    def test_closed_in_process(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """In this process, a ``None`` stdout (how Python shows a closed one) gives the same line and exit 1."""
        monkeypatch.setattr(sys, "stdout", None)
        assert 1 == main(["schema"])
        assert "gigpolicy: error: cannot write to standard output: it is closed\n" == capsys.readouterr().err

    def test_closed_without_output(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """A command that writes nothing to stdout (an invalid record) is not troubled by its being closed."""
        monkeypatch.setattr(sys, "stdout", None)
        assert 1 == main(["explain", "/nowhere/record.json", "--at", AT])
        assert capsys.readouterr().err.startswith("/nowhere/record.json: cannot read ")

    @needs_dev_full
    def test_full_in_process(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """In this process, a full device: the line, exit 1, and what stdout held goes to the null device."""
        with DEV_FULL.open("w", encoding="utf-8") as full:
            monkeypatch.setattr(sys, "stdout", full)
            assert 1 == main(["schema"])
            print("more", file=full, flush=True)  # would fail again, had the file not been silenced
        expected = f"gigpolicy: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"
        assert expected == capsys.readouterr().err

    def test_batch_in_process(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``batch`` writing to a stream that fails (without a message of its own): the line names the error."""

        class Failing(io.BytesIO):
            def write(self, data: object) -> int:
                del data
                raise OSError  # no errno, no message

        path = tmp_path / "in.jsonl"
        path.write_text(json.dumps(json.loads(Path(MOTIVATING).read_text(encoding="utf-8"))) + "\n", encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(Failing(), encoding="utf-8"))
        assert 1 == main(["batch", str(path), "--at", AT])
        assert "gigpolicy: error: cannot write to standard output: OSError\n" == capsys.readouterr().err


class TestClosedInput:
    """Standard input that is closed, or fails, when ``-`` asks for it: one line on stderr, exit 1."""

    @needs_sh
    @pytest.mark.parametrize(
        ("command", "expected"),
        [
            ("batch", "gigpolicy: error: cannot read <stdin>: standard input is closed\n"),
            ("explain", "<stdin>: standard input is closed\n"),
        ],
    )
    def test_closed_stdin(self, command: str, expected: str) -> None:
        """``gigpolicy batch - <&-`` (and ``explain``) say that standard input is closed; exit 1."""
        result = in_shell(f'$G {command} - --at "$1" <&-', AT)
        assert (1, b"", expected) == (result.returncode, result.stdout, result.stderr.decode())

    def test_closed_in_process(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """In this process, a ``None`` stdin gives the same line and exit 1."""
        monkeypatch.setattr(sys, "stdin", None)
        code, out, err = run(capsys, "batch", "-", "--at", AT)
        assert (1, "", "gigpolicy: error: cannot read <stdin>: standard input is closed\n") == (code, out, err)

    def test_read_error(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """A standard input whose read fails (an I/O error) is reported as that record's problem, exit 1."""

        class Failing(io.BytesIO):
            def read(self, size: int | None = -1) -> bytes:
                del size
                raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Failing(), encoding="utf-8"))
        code, out, err = run(capsys, "explain", "-", "--at", AT)
        expected = f"<stdin>: cannot read standard input: {os.strerror(errno.EIO)}\n"
        assert (1, "", expected) == (code, out, err)


class TestBrokenPipe:
    """A reader that goes away ends the command quietly with 141 (128 + SIGPIPE), as ``batch`` reports signals."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["schema"],
            ["explain", MOTIVATING, "--at", AT],
            ["policies", "--json"],
            ["batch", MOTIVATING, "--at", AT],
        ],
    )
    def test_reader_gone_before_the_first_write(self, argv: list[str]) -> None:
        """A pipe whose reading end is closed: exit 141, stderr empty (no ``Exception ignored`` at exit)."""
        reading, writing = os.pipe()
        os.close(reading)
        try:
            result = gigpolicy(*argv, stdout=writing)
        finally:
            os.close(writing)
        assert (EXIT_BROKEN_PIPE, b"") == (result.returncode, result.stderr)

    @needs_sh
    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_head(self, tmp_path: Path, jobs: str) -> None:
        """``gigpolicy batch IN | head -1``, with far more output than the pipe holds: the first line, then 141.

        With two jobs, the blocks are written from the memory the workers share with the main
        process: the write that fails lets go of it, and the run ends as quietly.
        """
        line = json.dumps(json.loads(Path(MOTIVATING).read_text(encoding="utf-8")))
        path = tmp_path / "in.jsonl"
        path.write_text(f"{line}\n" * 600, encoding="utf-8")  # about 4 MB of results, in three blocks
        # a POSIX sh gives the status of a pipeline's last command only: the first one's goes out by fd 3
        script = 'exec 3>&1; { $G batch "$1" --at "$2" --jobs "$3"; echo "status $?" >&3; } | head -1 >/dev/null'
        result = in_shell(script, str(path), AT, jobs)
        assert (f"status {EXIT_BROKEN_PIPE}\n".encode(), b"") == (result.stdout, result.stderr)

    def test_in_process(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """In this process, a BrokenPipeError while writing returns 141 and writes nothing to stderr."""

        class Gone(io.StringIO):
            def write(self, text: str) -> int:
                del text
                raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

        monkeypatch.setattr(sys, "stdout", Gone())
        assert EXIT_BROKEN_PIPE == main(["schema"])
        assert "" == capsys.readouterr().err


class TestFailingStderr:
    """With stderr closed or failing there is nowhere to report: the exit code alone says it."""

    @needs_sh
    def test_closed_stderr(self) -> None:
        """``gigpolicy explain nowhere.json 2>&-`` exits 1 and writes nothing."""
        result = in_shell("$G explain /nowhere/record.json 2>&-")
        assert (1, b"", b"") == (result.returncode, result.stdout, result.stderr)

    @needs_dev_full
    def test_full_stderr(self) -> None:
        """An error message to ``/dev/full`` is dropped: exit 1, not Python's 120 for a failed final flush."""
        with DEV_FULL.open("wb") as full:
            result = gigpolicy("explain", "/nowhere/record.json", stderr=full.fileno())
        assert (1, b"") == (result.returncode, result.stdout)

    def test_closed_in_process(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """In this process, a ``None`` stderr: the error is dropped, exit 1; batch runs without progress."""
        monkeypatch.setattr(sys, "stderr", None)
        assert 1 == main(["explain", "/nowhere/record.json", "--at", AT])
        assert 1 == main(["batch", MOTIVATING, "--at", AT])  # a pretty-printed record: one error line per line
        assert len(Path(MOTIVATING).read_text(encoding="utf-8").splitlines()) == len(
            capsys.readouterr().out.splitlines()
        )

    def test_failing_in_process(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """In this process, a stderr whose write fails: the error is dropped, exit 1."""

        class Failing(io.StringIO):
            def write(self, text: str) -> int:
                del text
                raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(sys, "stderr", Failing())
        assert 1 == main(["explain", "/nowhere/record.json", "--at", AT])


class TestInterrupt:
    """Ctrl-C outside ``batch`` (which stops between two blocks) ends the command quietly with 130."""

    def test_keyboard_interrupt(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """A KeyboardInterrupt during a command returns 130 and prints no traceback."""

        def interrupted(*_: object, **__: object) -> object:
            raise KeyboardInterrupt

        monkeypatch.setattr("gigpolicy._cli.evaluate", interrupted)
        code, _, err = run(capsys, "explain", MOTIVATING, "--at", AT)
        assert (EXIT_INTERRUPTED, "") == (code, err)


class TestUsageErrors:
    """Every wrong command line exits 2 through argparse, with the usage and one error line."""

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["timeline", ENDED, "--width", "10"], "argument --width: '10' is not a number of columns from 50 to 1000"),
            (["timeline", ENDED, "--width", "1001"], "'1001' is not a number of columns from 50 to 1000"),
            (["timeline", ENDED, "--width", "1000000000"], "'1000000000' is not a number of columns from 50 to 1000"),
            (["timeline", ENDED, "--width", "wide"], "'wide' is not a number of columns from 50 to 1000"),
            (["batch", "-", "--questions", "nosuch"], "argument --questions: 'nosuch' is not a question; the"),
            (["batch", "-", "--questions", "end_contract,nosuch"], "'nosuch' is not a question; the questions are:"),
            (["batch", "-", "--questions", " , "], "argument --questions: give at least one question, comma-separated"),
            (["batch", "-", "--jobs", "0"], "argument --jobs: '0' is not a number of worker processes (1 or more)"),
            (
                ["batch", "-", "--jobs", "99999999999999999999"],
                f"'99999999999999999999' is more worker processes than the {MAX_JOBS} allowed",
            ),
            (["batch", "-", "--jobs", "9" * 5000], "is not a number of worker processes (1 or more)"),
            (["serve", "--port", "99999"], "argument --port: '99999' is not a port number from 0 to 65535"),
            (["serve", "--port", "-1"], "argument --port: '-1' is not a port number from 0 to 65535"),
            (
                ["options", "--as", "freelancer", "--history", ENDED, MOTIVATING],
                "--history took every FILE after it: give the record FILE before --history",
            ),
            (["options", "--as", "freelancer"], "gigpolicy options: error: the following arguments are required: FILE"),
        ],
    )
    def test_exit_2(self, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
        """The error line names the argument and what it takes; nothing is read or written first."""
        with pytest.raises(SystemExit) as exited:
            main(argv)
        out, err = capsys.readouterr()
        assert (2, "") == (exited.value.code, out)
        assert err.startswith("usage: gigpolicy ")
        assert message in err.splitlines()[-1]

    def test_real_command(self) -> None:
        """The same from the shell: ``gigpolicy timeline FILE --width 10`` exits 2, no traceback."""
        result = gigpolicy("timeline", ENDED, "--width", "10")
        err = result.stderr.decode().splitlines()
        assert (2, b"") == (result.returncode, result.stdout)
        assert "gigpolicy timeline: error: argument --width: '10' is not a number of columns from 50 to 1000" == err[-1]

    @pytest.mark.parametrize("width", ["50", "1000"])
    def test_width_bounds(self, width: str, capsys: pytest.CaptureFixture[str]) -> None:
        """The narrowest and the widest drawing are taken, each line within the width."""
        code, out, _ = run(capsys, "timeline", ENDED, "--at", AT, "--width", width)
        assert (0, True) == (code, max(len(line) for line in out.splitlines()) <= int(width))

    def test_jobs_bound(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``--jobs`` at its bound is taken (and capped at the CPUs and blocks there are)."""
        path = tmp_path / "in.jsonl"
        path.write_text("{}\n", encoding="utf-8")
        code, out, _ = run(capsys, "batch", str(path), "--at", AT, "--jobs", str(MAX_JOBS))
        assert (1, 1) == (code, len(out.splitlines()))

    def test_help_says_where_history_goes(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``options --help`` shows FILE first and says that --history takes every FILE after it."""
        with pytest.raises(SystemExit):
            main(["options", "--help"])
        out = capsys.readouterr().out
        assert out.startswith("usage: gigpolicy options [-h] FILE --as {client,freelancer}")
        assert "--history takes every FILE that follows it" in " ".join(out.split())


class TestHistory:
    """``options FILE --history H...``: the record FILE is never taken for a history file."""

    @pytest.fixture
    def histories(self, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
        """The ids of the history records each score estimate is made from, as the command runs."""
        seen: list[list[str]] = []

        def spy(history: Sequence[ContractRecord], option: Option, **options: Any) -> ScoreEffect:
            seen.append([record.contract.id for record in history])
            return score_effect(history, option, **options)

        monkeypatch.setattr("gigpolicy._cli.score_effect", spy)
        return seen

    @pytest.mark.parametrize(
        "argv",
        [
            [MOTIVATING, "--as", "freelancer", "--history", HOURLY, AUTO_RELEASE],
            [MOTIVATING, "--history", HOURLY, "--as", "freelancer", "--history", AUTO_RELEASE],  # adds, not replaces
            ["--history", HOURLY, AUTO_RELEASE, "--as", "freelancer", MOTIVATING],  # another option ends the list
        ],
    )
    def test_history_files(
        self, argv: list[str], histories: list[list[str]], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every history file is read as history, and FILE as the record judged."""
        code, out, _ = run(capsys, "options", *argv, "--at", "2026-11-03T09:00:00Z")
        assert (0, True) == (code, out.startswith("What the freelancer can do on contract c-1001 "))
        assert {("c-2002", "c-3003")} == {tuple(ids) for ids in histories}


class TestSvgToStdout:
    """``timeline --svg -`` writes the SVG to standard output, not to a file named ``-``."""

    def test_in_process(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The output is the very file ``--svg OUT`` writes, and no file ``-`` appears."""
        monkeypatch.chdir(tmp_path)
        target = tmp_path / "t.svg"
        assert 0 == main(["timeline", ENDED, "--at", AT, "--svg", str(target)])
        capsys.readouterr()
        code, out, err = run(capsys, "timeline", ENDED, "--at", AT, "--svg", "-")
        assert (0, target.read_text(encoding="utf-8"), "") == (code, out, err)
        assert not (tmp_path / "-").exists()

    def test_real_command(self, tmp_path: Path) -> None:
        """From the shell, the bytes are the file's (UTF-8, as its XML declaration says), whatever the encoding."""
        path = unusual_record(tmp_path)
        target = tmp_path / "t.svg"
        assert 0 == gigpolicy("timeline", path, "--at", AT, "--svg", str(target)).returncode
        result = gigpolicy("timeline", path, "--at", AT, "--svg", "-", env={"PYTHONIOENCODING": "cp1252"})
        assert (0, target.read_bytes(), b"") == (result.returncode, result.stdout, result.stderr)
        assert UNUSUAL.encode() in result.stdout


def test_schema_still_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """The guarded output path leaves ordinary output as it was."""
    code, out, err = run(capsys, "schema")
    assert (0, schema(), "") == (code, json.loads(out), err)


class TestSecondHunt:
    """What a search for tracebacks and wrong exit codes found after the first round, each fixed."""

    @needs_dev_full
    @pytest.mark.parametrize("argv", [["--help"], ["--version"], ["schema", "--help"], ["completion", "--help"]])
    def test_help_to_a_full_device(self, argv: list[str]) -> None:
        """--help and --version that cannot be written say so and exit 1 (argparse alone dropped them, with 0)."""
        with DEV_FULL.open("wb") as full:
            result = gigpolicy(*argv, stdout=full.fileno())
        expected = f"gigpolicy: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"
        assert (1, expected) == (result.returncode, result.stderr.decode())

    def test_help_still_prints(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--help prints the help on stdout and exits 0; a usage error still goes to stderr with 2."""
        with pytest.raises(SystemExit) as exited:
            main(["--help"])
        assert (0, True) == (exited.value.code, capsys.readouterr().out.startswith("usage: gigpolicy"))
        with pytest.raises(SystemExit) as exited:
            main(["nosuch"])
        out, err = capsys.readouterr()
        assert (2, "", True) == (exited.value.code, out, "invalid choice: 'nosuch'" in err)

    @pytest.mark.parametrize("command", ["explain", "validate", "timeline"])
    def test_empty_file_name(self, command: str, capsys: pytest.CaptureFixture[str]) -> None:
        """An empty file name is said to be one, not "a directory"."""
        code, _, err = run(capsys, command, "")
        assert (1, "'': the file name is empty\n") == (code, err)

    @pytest.mark.parametrize("argv", [["timeline", MOTIVATING, "--svg", ""], ["deadlines", MOTIVATING, "--ics", ""]])
    def test_empty_output_file_name(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """An empty name to write to is said to be one, not "a directory"."""
        code, out, err = run(capsys, *argv, "--at", AT)
        assert (1, "", "gigpolicy: error: cannot write '': the file name is empty\n") == (code, out, err)

    def test_empty_batch_file_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The batch command says it too."""
        code, _, err = run(capsys, "batch", "", "--at", AT)
        assert (1, "gigpolicy: error: cannot read '': the file name is empty\n") == (code, err)

    @pytest.mark.parametrize(
        ("at", "message"),
        [
            ("2026-12-01 00:00:00Z", "separates the date and the time with a space: gigpolicy reads only T there"),
            ("2026-12-01T00:00:00.123456789Z", "has more than 6 digits after the decimal point: gigpolicy keeps"),
            ("2026-12-01", "is not an RFC 3339 timestamp"),
        ],
    )
    def test_timestamps_rfc_3339_allows(self, at: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A timestamp RFC 3339 allows but gigpolicy does not read is not called "not RFC 3339"."""
        with pytest.raises(SystemExit) as exited:
            main(["explain", MOTIVATING, "--at", at])
        err = capsys.readouterr().err
        assert (2, True) == (exited.value.code, message in err), err

    def test_compare_needs_two_policies(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One --policy is a usage error through the parser: its usage line, then the error, exit 2."""
        with pytest.raises(SystemExit) as exited:
            main(["compare", MOTIVATING, "--policy", "upwork"])
        err = capsys.readouterr().err
        assert (2, True) == (exited.value.code, err.startswith("usage: gigpolicy compare"))
        assert err.endswith("gigpolicy compare: error: give exactly two --policy options\n")

    def test_options_usage_names_every_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The usage line of options, written by hand, names every option its parser has."""
        with pytest.raises(SystemExit):
            main(["options", "--help"])
        usage = capsys.readouterr().out.split("\n\n", 1)[0]
        for option in ("--as", "--at", "--tz", "--policy", "--json", "--history"):
            assert option in usage

    @pytest.mark.parametrize(("code", "expected"), [(3, 1), (1, 1), (0, 0), (None, 0)])
    def test_serve_that_cannot_start(
        self, code: int | None, expected: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The exit of uvicorn (3 when it cannot bind) becomes exit 1 and one error line; its 0 stays 0."""

        def run_server(**_: object) -> None:
            raise SystemExit(code)

        monkeypatch.setattr("gigpolicy.serve.run", run_server)
        assert expected == main(["serve", "--host", "256.1.1.1", "--port", "0"])
        err = capsys.readouterr().err
        if expected:
            assert "gigpolicy: error: the server could not start on 256.1.1.1:0 (uvicorn says why above)\n" == err
        else:
            assert "" == err
