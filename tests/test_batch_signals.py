"""Tests of how ``gigpolicy batch`` ends: on Ctrl-C and SIGTERM, and when its process is killed."""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, cast

import pytest

from gigpolicy._batch import Block, Stopped, StopSignals, stop_signals
from gigpolicy._cli import main

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

ROOT: Final = Path(__file__).resolve().parent.parent
AT: Final = "2026-11-27T00:00:00Z"
LINE: Final = json.dumps(json.loads((ROOT / "examples" / "records" / "motivating-case.json").read_text("utf-8")))
WAIT: Final = 120.0
"""Seconds a test waits for a subprocess before it fails instead of hanging (not a speed bound)."""


class TestStopSignals:
    """``stop_signals``: SIGINT and SIGTERM stop a run between two writes, never inside one."""

    def test_handlers_are_set_then_put_back(self) -> None:
        """Both signals go to the run's handler meanwhile; the previous handlers come back after."""
        before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
        with stop_signals() as stops:
            during = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
        assert ((stops.handle, stops.handle), before) == (during, (signal.getsignal(2), signal.getsignal(15)))

    def test_a_real_signal_stops_the_run(self) -> None:
        """SIGTERM raises ``Stopped`` naming it, where the run was."""
        with pytest.raises(Stopped) as stopped, stop_signals():
            signal.raise_signal(signal.SIGTERM)
        assert signal.SIGTERM == stopped.value.signum

    def test_an_ignored_signal_stays_ignored(self) -> None:
        """A shell's background job ignores Ctrl-C: so does its batch."""
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with stop_signals() as stops:
                during = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
            assert (signal.SIG_IGN, stops.handle) == during
            assert signal.SIG_IGN == signal.getsignal(signal.SIGINT)
        finally:
            signal.signal(signal.SIGINT, previous)

    def test_other_threads_leave_the_handlers(self) -> None:
        """Python sets handlers in the main thread only: elsewhere the run goes without."""
        seen: list[object] = []

        def run() -> None:
            with stop_signals() as stops:
                seen.extend([stops.handle, signal.getsignal(signal.SIGTERM)])

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        assert seen[0] != seen[1]
        assert signal.getsignal(signal.SIGTERM) == seen[1]

    def test_once_stopping_signals_are_ignored(self) -> None:
        """The first signal stops the run; the next ones let it end as it does."""
        stops = StopSignals()
        with pytest.raises(Stopped):
            stops.handle(signal.SIGINT, None)
        stops.handle(signal.SIGTERM, None)
        assert signal.SIGINT == stops.signum

    def test_a_write_is_never_cut(self) -> None:
        """A signal during a write lets it finish, then stops the run."""
        stops = StopSignals()
        written: list[str] = []

        def write() -> None:
            with stops.holding():
                stops.handle(signal.SIGTERM, None)
                written.append("the rest of the block")

        with pytest.raises(Stopped) as stopped:
            write()
        assert (["the rest of the block"], signal.SIGTERM) == (written, stopped.value.signum)
        with stops.holding():  # the stop was reported once; writing the last lines does not stop again
            written.append("flush")

    def test_writes_without_signals(self) -> None:
        """Without a signal, holding changes nothing."""
        stops = StopSignals()
        with stops.holding():
            pass
        assert 0 == stops.signum


def two_blocks(closed: list[bool], when: str) -> Iterator[tuple[Block, bytes]]:
    """One block, SIGTERM (now, or during the next write), then a block that must never be written.

    Each with its data, as ``written_blocks`` gives them to the command line.
    """
    try:
        first = Block(start=1, count=1, data=b'{"line":1}\n', failed=())
        yield first, first.data
        if when == "now":
            signal.raise_signal(signal.SIGTERM)
        second = Block(start=2, count=1, data=b'{"line":2}\n', failed=(2,))
        yield second, second.data
    finally:
        closed.append(True)


class ShortWrites(io.RawIOBase):
    """A raw standard output (``python -u``): 4 bytes a write at most; SIGINT comes during the first."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.writes = 0

    def writable(self) -> bool:
        """It is."""
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        """Take the first 4 bytes of *data*."""
        self.writes += 1
        if self.writes == 1:
            signal.raise_signal(signal.SIGINT)
        taken = bytes(memoryview(data)[:4])
        self.data += taken
        return len(taken)


class TestBatchCommandStops:
    """``gigpolicy batch`` on a signal, in this process."""

    @pytest.fixture
    def source(self, tmp_path: Path) -> str:
        """An input file (its lines are not read: the blocks are made up)."""
        path = tmp_path / "in.jsonl"
        path.write_text("{}\n", encoding="utf-8")
        return str(path)

    def test_sigterm_between_blocks(
        self, source: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The blocks written stay whole, the rest are not evaluated, the progress line ends: exit 143."""
        closed: list[bool] = []
        monkeypatch.setattr("gigpolicy._cli.written_blocks", lambda *_, **__: two_blocks(closed, "now"))
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        monkeypatch.setitem(sys.modules, "tqdm", None)  # the plain count, whose text is known exactly
        assert 143 == main(["batch", source, "--at", AT])
        assert ('{"line":1}\n', "\r1 records, 0 invalid\n", [True]) == (*capsys.readouterr(), closed)

    def test_sigint_during_a_write(self, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Ctrl-C in the middle of a short write: the block is written whole, then the run stops: exit 130."""
        closed: list[bool] = []
        raw = ShortWrites()
        monkeypatch.setattr("gigpolicy._cli.written_blocks", lambda *_, **__: two_blocks(closed, "in write"))
        monkeypatch.setattr(
            "sys.stdout", io.TextIOWrapper(cast("io.BufferedWriter", raw), encoding="utf-8", write_through=True)
        )
        assert 130 == main(["batch", source, "--at", AT])
        assert (b'{"line":1}\n', 3, [True]) == (bytes(raw.data), raw.writes, closed)

    def test_a_text_only_stdout(self, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """A standard output without bytes underneath (a ``StringIO`` put in its place) gets the text."""
        closed: list[bool] = []
        out = io.StringIO()
        monkeypatch.setattr("gigpolicy._cli.written_blocks", lambda *_, **__: two_blocks(closed, "never"))
        monkeypatch.setattr("sys.stdout", out)
        assert 1 == main(["batch", source, "--at", AT])
        assert ('{"line":1}\n{"line":2}\n', [True]) == (out.getvalue(), closed)


def reset_ctrl_c() -> None:
    """In the child: Ctrl-C as a terminal gives it, even where this test runs with SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_batch(jobs: int) -> tuple[subprocess.Popen[bytes], queue.Queue[bytes]]:
    """``python -m gigpolicy batch -`` fed 1,300 lines and kept waiting for more; its output lines, as they come."""
    command = [sys.executable, "-m", "gigpolicy", "batch", "-", "--at", AT, "--jobs", str(jobs)]
    process = subprocess.Popen(  # noqa: S603 - our own command
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=reset_ctrl_c,  # noqa: PLW1509 - no threads run in this child before exec
    )
    lines: queue.Queue[bytes] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=read_into, args=(process.stdout, lines), daemon=True).start()
    assert process.stdin is not None
    process.stdin.write(((LINE + "\n") * 1300).encode())  # 5 blocks and some: --jobs 2 writes its first
    process.stdin.flush()
    return process, lines


def read_into(stream: IO[bytes], lines: queue.Queue[bytes]) -> None:
    """Each line of *stream*, as it comes, then b"" at its end."""
    for line in stream:
        lines.put(line)
    lines.put(b"")


def rest_of(lines: queue.Queue[bytes]) -> list[bytes]:
    """The lines still to come, up to the end of the output."""
    rest = []
    while line := lines.get(timeout=WAIT):
        rest.append(line)
    return rest


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
class TestBatchProcessStops:
    """A real ``gigpolicy batch`` on a pipe fed slowly, stopped by a signal."""

    @pytest.mark.parametrize("jobs", [1, 2])
    @pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
    def test_stops_cleanly(self, signum: int, code: int, jobs: int) -> None:
        """No traceback, whole lines only, numbered from 1 without a gap, and exit 128 + the signal."""
        process, lines = start_batch(jobs)
        with process:
            first = lines.get(timeout=WAIT)  # the batch is running, and waits for more input
            process.send_signal(signum)
            output = [first, *rest_of(lines)]
            assert process.stderr is not None
            errors = process.stderr.read()
            returned = process.wait(timeout=WAIT)
        assert (code, b"") == (returned, errors)
        assert all(line.endswith(b"\n") for line in output)
        assert list(range(1, len(output) + 1)) == [json.loads(line)["line"] for line in output]


def children(parent: int) -> list[int]:
    """The processes whose parent is *parent*, from ``/proc``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether *pid* still runs (a zombie that nobody reaps has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
class TestWorkersEndWithTheirParent:
    """``--jobs`` workers do not outlive the batch, even when it is killed."""

    def test_sigkill_of_the_main_process(self) -> None:
        """Killed by its id, the batch takes its workers with it: a pipe reader gets end of file."""
        process, lines = start_batch(2)
        with process:
            lines.get(timeout=WAIT)  # the workers run
            workers = children(process.pid)
            assert 2 == len(workers)
            process.kill()
            process.wait(timeout=WAIT)
            rest_of(lines)  # the end of the output: no worker holds the pipe open
            deadline = time.monotonic() + WAIT
            while any(map(running, workers)) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [] == [pid for pid in workers if running(pid)]

    def test_a_normal_end_leaves_no_worker(self) -> None:
        """At the end of its input, the batch waits for its workers: none is left behind."""
        process, lines = start_batch(2)
        with process:
            lines.get(timeout=WAIT)
            workers = children(process.pid)
            assert process.stdin is not None
            process.stdin.close()
            output = rest_of(lines)
            assert 0 == process.wait(timeout=WAIT)
        assert (1299, []) == (len(output), [pid for pid in workers if running(pid)])
        assert os.getpid() not in workers
