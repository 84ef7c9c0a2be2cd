"""Tests of the progress display of ``gigpolicy batch``: gigpolicy._progress."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

import pytest

from gigpolicy._batch import read_lines
from gigpolicy._progress import EVERY, BatchProgress, CountingReader, input_size

ROOT: Final = Path(__file__).resolve().parent.parent
RECORDS: Final = sorted((ROOT / "examples" / "records").glob("*.json"))
TIMEOUT: Final = 120
"""Seconds a test waits for a subprocess before it fails instead of hanging (not a speed bound)."""


class Screen(io.StringIO):
    """A stream in memory that says it is a terminal, to read exactly what is written."""

    def isatty(self) -> bool:
        """Always a terminal."""
        return True


def _drain(master: int, into: bytearray) -> None:
    """Read the master side of a pseudo-terminal until its slave side is closed everywhere."""
    with contextlib.suppress(OSError):  # Linux reports the closed slave side as EIO
        while chunk := os.read(master, 65536):
            into.extend(chunk)


@contextlib.contextmanager
def terminal(columns: int = 100, rows: int = 24) -> Iterator[tuple[int, bytearray]]:
    """A pseudo-terminal *columns* wide (0: one that reports no size): its slave fd, and what it shows."""
    master, slave = os.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    shown = bytearray()
    reader = threading.Thread(target=_drain, args=(master, shown))
    reader.start()  # read while written: a pseudo-terminal holds only a few KiB
    try:
        yield slave, shown
    finally:
        with contextlib.suppress(OSError):
            os.close(slave)
        reader.join(TIMEOUT)
        os.close(master)


@contextlib.contextmanager
def terminal_stream(columns: int = 100, rows: int = 24) -> Iterator[tuple[IO[str], bytearray]]:
    """A text stream on a pseudo-terminal, and what the terminal shows once the stream is closed."""
    with terminal(columns, rows) as (slave, shown), open(slave, "w", encoding="utf-8", closefd=False) as stream:
        yield stream, shown


def interrupted(progress: BatchProgress) -> None:
    """Count a block, then stop as Ctrl-C does."""
    progress.update(42, 1, None)
    raise KeyboardInterrupt


def record_lines(count: int) -> list[str]:
    """*count* valid record lines, cycling through the example records."""
    texts = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in RECORDS]
    return [texts[index % len(texts)] for index in range(count)]


@pytest.fixture
def no_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import tqdm`` fail, as it does where the ``progress`` extra is not installed."""
    monkeypatch.setitem(sys.modules, "tqdm", None)


class TestBar:
    """With tqdm: a bar on a terminal, nothing elsewhere."""

    def test_a_file_shows_count_rate_invalid_and_share(self) -> None:
        """Of a file of known size, the bar shows the records, the invalid ones, the rate and the share read."""
        with terminal_stream() as (stream, shown):
            with BatchProgress(stream, total_bytes=1000) as progress:
                progress.update(256, 2, 500)
                progress.update(256, 1, 1000)
            assert stream.isatty()
        last = shown.decode().rstrip("\r\n").rsplit("\r", 1)[-1]
        assert (True, True, True) == ("512 records, 3 invalid" in last, "100%|" in last, "records/s" in last)
        assert shown.endswith(b"\n")

    def test_stdin_shows_count_and_rate_without_share(self) -> None:
        """Of an input of unknown size (a pipe), the bar shows the records and their rate, no percentage."""
        with terminal_stream() as (stream, _shown), BatchProgress(stream, total_bytes=None) as progress:
            progress.update(300, 0, 12345)
        text = _shown.decode()
        assert "300 records" in text
        assert "0 invalid" in text
        assert "records/s" in text
        assert "%" not in text

    def test_share_waits_for_the_bytes_read(self) -> None:
        """Until the bytes read are known, a file's bar shows 0%."""
        with terminal_stream() as (stream, shown), BatchProgress(stream, total_bytes=1000) as progress:
            progress.update(10, 0, None)
        assert "  0%|" in shown.decode()
        assert "10 records, 0 invalid" in shown.decode()

    def test_a_terminal_without_a_size_gets_a_fixed_width(self) -> None:
        """A terminal that reports 0 columns gets a bar 80 columns wide, not an empty one."""
        with terminal_stream(columns=0) as (stream, shown), BatchProgress(stream, total_bytes=100) as progress:
            progress.update(7, 0, 50)
        lines = shown.decode().replace("\r\n", "\r").split("\r")
        assert 80 == max(len(line) for line in lines)

    def test_a_terminal_of_no_rows_still_shows_the_bar(self) -> None:
        """A terminal that reports columns but no rows (as ``script`` makes one): the bar still shows, 80 wide."""
        with (
            terminal_stream(columns=100, rows=0) as (stream, shown),
            BatchProgress(stream, total_bytes=100) as progress,
        ):
            progress.update(7, 1, 50)
        frames = shown.decode().replace("\r\n", "\r").split("\r")
        assert any("7 records, 1 invalid" in frame for frame in frames), frames
        assert 80 == max(len(frame) for frame in frames)

    def test_the_last_count_stays_after_ctrl_c(self) -> None:
        """Interrupted, the display still draws the last count and ends its line."""
        with terminal_stream() as (stream, shown):
            progress = BatchProgress(stream, total_bytes=None)
            with pytest.raises(KeyboardInterrupt), progress:
                interrupted(progress)
            progress.close()  # closing again does nothing
        last = shown.decode().rstrip("\r\n").rsplit("\r", 1)[-1]
        assert "42 records, 1 invalid [" == last[: len("42 records, 1 invalid [")]
        assert shown.endswith(b"\n")

    def test_a_stream_without_a_descriptor_gets_a_fixed_width(self) -> None:
        """A terminal with no file descriptor (a test's stand-in) gets a bar 80 columns wide."""
        screen = Screen()
        with BatchProgress(screen, total_bytes=100) as progress:
            progress.update(7, 0, 50)
        assert 80 == max(len(line) for line in screen.getvalue().replace("\n", "\r").split("\r"))

    def test_no_thread_is_started(self) -> None:
        """No monitor thread runs beside the bar: the batch's workers are forked processes."""
        with terminal_stream() as (stream, _):
            before = set(threading.enumerate())
            with BatchProgress(stream, total_bytes=None) as progress:
                progress.update(1, 0, None)
                assert before == set(threading.enumerate())

    def test_tqdm_is_left_as_it_was(self) -> None:
        """The bar is a subclass: tqdm's own class keeps its monitor and its lock for other users."""
        tqdm = pytest.importorskip("tqdm")
        with terminal_stream() as (stream, _), BatchProgress(stream, total_bytes=None):
            pass
        assert 10 == tqdm.tqdm.monitor_interval

    @pytest.mark.parametrize("total_bytes", [None, 1000])
    def test_nothing_on_a_pipe(self, total_bytes: int | None) -> None:
        """On a pipe nothing is written, whatever the counts."""
        read, write = os.pipe()
        with open(write, "w", encoding="utf-8") as stream, BatchProgress(stream, total_bytes) as progress:  # noqa: PTH123 - an fd
            progress.update(EVERY * 3, 5, 500)
        with open(read, "rb") as pipe:  # noqa: PTH123 - an fd
            assert b"" == pipe.read()

    def test_nothing_without_a_stream(self) -> None:
        """Without standard error (``pythonw``), nothing is shown and nothing fails."""
        with BatchProgress(None, total_bytes=10) as progress:
            progress.update(EVERY, 0, 10)


@pytest.mark.usefixtures("no_tqdm")
class TestPlain:
    """Without tqdm: a plain count, rewritten every thousand records."""

    def test_count_every_thousand_then_at_the_end(self) -> None:
        """The count shows after each thousand records, then once more at the end, then a newline."""
        screen = Screen()
        with BatchProgress(screen, total_bytes=10_000) as progress:
            for _ in range(3):
                progress.update(600, 1, 100)
        assert "\r1200 records, 2 invalid\r1800 records, 3 invalid\n" == screen.getvalue()

    def test_a_count_shown_is_not_shown_again(self) -> None:
        """Ending on a thousand, the last count is not written twice."""
        screen = Screen()
        with BatchProgress(screen) as progress:
            progress.update(EVERY, 0, None)
        progress.close()  # closing again does nothing
        assert "\r1000 records, 0 invalid\n" == screen.getvalue()

    def test_no_records_still_shows_a_count(self) -> None:
        """An empty input shows its count too: zero."""
        screen = Screen()
        with BatchProgress(screen):
            pass
        assert "\r0 records, 0 invalid\n" == screen.getvalue()

    def test_on_a_real_terminal(self) -> None:
        """On a pseudo-terminal, the plain count is what shows."""
        with terminal_stream() as (stream, shown), BatchProgress(stream) as progress:
            progress.update(1500, 4, None)
        assert "\r1500 records, 4 invalid\r\n" == shown.decode()

    def test_nothing_on_a_pipe(self) -> None:
        """On a pipe nothing is written."""
        stream = io.StringIO()
        with BatchProgress(stream) as progress:
            progress.update(EVERY, 0, None)
        assert "" == stream.getvalue()


class TestCountingReader:
    """``CountingReader``: the bytes of input read, for the share a file's bar shows."""

    def test_counts_the_bytes_read_lines_reads(self) -> None:
        """Over ``read_lines``, it counts every byte of a binary stream."""
        data = b'{"a": 1}\n\xc3\xa9\n' + b"x" * 100 + b"\nlast"
        reader = CountingReader(io.BytesIO(data))
        assert [b'{"a": 1}\n', b"\xc3\xa9\n", b"x" * 100 + b"\n", b"last"] == list(read_lines(reader))
        assert len(data) == reader.consumed

    def test_counts_text_as_utf8(self) -> None:
        """The lines of a text stream count as their UTF-8 bytes, lone surrogates too."""
        text = "é\n\ud800\n"
        reader = CountingReader(io.StringIO(text))
        assert [b"\xc3\xa9\n", b"\xed\xa0\x80\n"] == list(read_lines(reader))
        assert 7 == reader.consumed


class TestInputSize:
    """``input_size``: the bytes left in a regular file, none for a pipe."""

    def test_a_file(self, tmp_path: Path) -> None:
        """A regular file's size counts from the position reached."""
        path = tmp_path / "in.jsonl"
        path.write_bytes(b"{}\n" * 10)
        with path.open("rb") as stream:
            assert 30 == input_size(stream)
            stream.readline()
            assert 27 == input_size(stream)

    def test_a_pipe(self) -> None:
        """A pipe has no size."""
        read, write = os.pipe()
        os.close(write)
        with open(read, "rb") as stream:  # noqa: PTH123 - an fd
            assert input_size(stream) is None

    def test_a_device(self) -> None:
        """A device that can seek (``/dev/null``, ``/dev/zero``) is no regular file: no size."""
        with Path(os.devnull).open("rb") as stream:
            assert input_size(stream) is None

    def test_a_stream_in_memory(self) -> None:
        """A stream without a file descriptor has no size."""
        assert input_size(io.BytesIO(b"{}\n")) is None


def run_batch(arguments: list[str], stdin: int | IO[bytes], stdout: IO[bytes]) -> tuple[int, str]:
    """Run ``gigpolicy batch`` with its standard error on a pseudo-terminal: its exit code and what it shows."""
    command = [sys.executable, "-m", "gigpolicy", "batch", *arguments, "--at", "2026-11-27T00:00:00Z"]
    with terminal() as (slave, shown):
        process = subprocess.run(  # noqa: S603 - our own command
            command, stdin=stdin, stdout=stdout, stderr=slave, timeout=TIMEOUT, check=False
        )
    return process.returncode, shown.decode()


class TestCommand:
    """``gigpolicy batch`` on a terminal, in its own process (needs ``_cli`` to use ``BatchProgress``)."""

    def test_batch_draws_a_bar_on_a_terminal(self, tmp_path: Path) -> None:
        """Of a file, the bar ends at 100% with every record counted, the invalid ones and the rate."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join([*record_lines(3000), "{}", "oops", "[]"]) + "\n", encoding="utf-8")
        with (tmp_path / "out.jsonl").open("wb") as out:
            code, shown = run_batch([str(source)], subprocess.DEVNULL, out)
        last = shown.rstrip("\r\n").rsplit("\r", 1)[-1]
        assert (1, True, True, True) == (code, "100%|" in last, "3003 records, 3 invalid" in last, "records/s" in last)
        assert 3003 == len((tmp_path / "out.jsonl").read_bytes().splitlines())

    def test_batch_from_a_pipe_draws_no_share(self, tmp_path: Path) -> None:
        """From a pipe, the bar counts the records and their rate, without a percentage."""
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(record_lines(2000)) + "\n", encoding="utf-8")
        with source.open("rb") as data, (tmp_path / "out.jsonl").open("wb") as out:
            feeder = subprocess.Popen(["cat"], stdin=data, stdout=subprocess.PIPE)  # noqa: S607 - a pipe
            assert feeder.stdout is not None
            code, shown = run_batch(["-"], feeder.stdout, out)
            feeder.stdout.close()
            feeder.wait(TIMEOUT)
        last = shown.rstrip("\r\n").rsplit("\r", 1)[-1]
        assert (0, True, True, False) == (code, "2000 records, 0 invalid" in last, "records/s" in last, "%" in last)
