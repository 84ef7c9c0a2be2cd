"""The progress display of ``gigpolicy batch``: records done, their rate and, for a file, the time left.

It shows on a terminal only, never on a pipe or a file. With tqdm installed (the ``progress``
extra) it is a tqdm bar that fits the terminal's width; without it, a plain running count,
rewritten in place every thousand records. Either way the last count stays on the screen,
after a Ctrl-C too.

The bar counts records, not bytes: its count and rate are what a person wants to read. The
size of an input file still gives a percentage and the time left: the records of the whole
file are estimated from the share of its bytes read so far (:class:`CountingReader`).

This is the only place where the library reads the clock (tqdm does, for the rate): a
result never depends on it.
"""

from __future__ import annotations

import importlib
import os
import stat
import threading
from collections.abc import Callable
from types import TracebackType
from typing import IO, Final, Protocol, Self

import attrs

__all__ = ["EVERY", "BatchProgress", "CountingReader", "input_size"]

EVERY: Final = 1000
"""Records between two counts of the plain display (the one shown without tqdm)."""
_INTERVAL: Final = 0.1
"""The fewest seconds between two draws of the bar."""
_WIDTH: Final = 80
"""The bar's width on a terminal that reports none (0 columns, as a fresh pseudo-terminal does)."""
_ROWS: Final = 24
"""The height the bar assumes on a terminal that reports no size: tqdm draws on none of 0 rows."""
_SIZED: Final = "{percentage:3.0f}%|{bar}| {n_fmt}{unit}{postfix} [{elapsed}<{remaining}, {rate_fmt}]"
"""The bar of an input of known size: share read, records, invalid ones, time spent and left, rate."""
_UNSIZED: Final = "{n_fmt}{unit}{postfix} [{elapsed}, {rate_fmt}]"
"""The line of an input of unknown size (a pipe): records, invalid ones, time spent, rate."""


class _Bar(Protocol):
    """The part of a ``tqdm.tqdm`` used here (tqdm ships no types)."""

    total: float | None

    def update(self, n: int = 1, /) -> bool | None: ...

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None: ...

    def close(self) -> None: ...


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes | str: ...


class _File(Protocol):
    def fileno(self) -> int: ...

    def tell(self) -> int: ...


def _tqdm() -> Callable[..., _Bar] | None:
    """A ``tqdm.tqdm`` class of our own, or ``None`` without tqdm."""
    try:
        module = importlib.import_module("tqdm")
    except ImportError:
        return None
    # No monitor thread, and a thread lock in place of tqdm's default one, which adds a
    # multiprocessing lock: the batch's workers are forked, and a thread alive across a fork
    # can leave them a lock held for ever. A subclass keeps tqdm's own class as it was.
    return type("_Tqdm", (module.tqdm,), {"monitor_interval": 0, "_lock": threading.RLock()})


def _columns(stream: IO[str]) -> int:
    """The terminal's width, or 0 if it reports no size (a new pseudo-terminal says 0 by 0)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError):  # no file descriptor: a stream in memory that says it is a terminal
        return 0
    return size.columns if size.lines > 0 else 0  # tqdm draws nothing on a terminal of no rows


def input_size(stream: _File) -> int | None:
    """The bytes left to read in *stream* if it is a regular file, else ``None`` (a pipe, a terminal).

    Args:
        stream: The input, as the CLI opened it (a file, or standard input's binary layer).

    Returns:
        Its size from the current position on, or ``None`` when there is no size to know.
    """
    try:
        status = os.fstat(stream.fileno())
        position = stream.tell()
    except (OSError, ValueError):  # no file descriptor (in memory), or one that cannot seek (a pipe)
        return None
    return status.st_size - position if stat.S_ISREG(status.st_mode) else None


@attrs.define
class CountingReader:
    r"""A stream that counts the bytes read from it: ``read_lines(CountingReader(stream))``.

    The lines of a text stream count as their UTF-8 bytes, as :func:`~gigpolicy._batch.read_lines`
    encodes them.

    >>> import io
    >>> reader = CountingReader(io.BytesIO(b'{"a": 1}\n{}\n'))
    >>> (reader.readline(), reader.consumed)
    (b'{"a": 1}\n', 9)
    """

    _stream: _Lines = attrs.field(alias="stream")
    """The stream read."""
    consumed: int = attrs.field(default=0, init=False)
    """The bytes read so far."""

    def readline(self, size: int = -1, /) -> bytes | str:
        """The next line of the stream, at most *size* bytes of it (all of it if *size* is negative)."""
        line = self._stream.readline(size)
        self.consumed += len(line) if isinstance(line, bytes) else len(line.encode("utf-8", "surrogatepass"))
        return line


class BatchProgress:
    """The count of records done, shown on *stream* while it is a terminal, else nowhere.

    Use it as a context manager, and call :meth:`update` after each block written: leaving the
    ``with``, however it is left, draws the last count and ends the line.

    Args:
        stream: Where to show it (standard error), or ``None``.
        total_bytes: The input's size (:func:`input_size`), or ``None`` when unknown: only a known
            size gives a percentage and the time left.

    >>> import io
    >>> with BatchProgress(io.StringIO(), total_bytes=None) as progress:  # no terminal: nothing shown
    ...     progress.update(256, 1, None)
    """

    def __init__(self, stream: IO[str] | None, total_bytes: int | None = None) -> None:
        self._stream = stream if stream is not None and stream.isatty() else None
        self._total = total_bytes or None  # an empty file has no share to show
        self._records = 0
        self._failed = 0
        self._shown: tuple[int, int] | None = None
        self._bar: _Bar | None = None
        factory = None if self._stream is None else _tqdm()
        if self._stream is None or factory is None:
            return
        columns = _columns(self._stream)
        self._bar = factory(
            file=self._stream,
            unit=" records",
            bar_format=_SIZED if self._total else _UNSIZED,
            postfix="0 invalid",
            mininterval=_INTERVAL,
            miniters=1,  # a look at the clock per block of hundreds of records costs nothing
            # the width the terminal has at each draw; a fixed one if it reports none
            **({"dynamic_ncols": True} if columns > 0 else {"ncols": _WIDTH, "nrows": _ROWS}),
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def update(self, records: int, failed: int, consumed_bytes: int | None = None) -> None:
        """Count one more block written.

        Args:
            records: The block's records.
            failed: How many of them are invalid.
            consumed_bytes: The bytes of input read so far (:attr:`CountingReader.consumed`), if known.
        """
        self._records += records
        self._failed += failed
        if self._bar is not None:
            if self._total is not None and consumed_bytes:
                # The records of the whole input, estimated from the share of its bytes read. The workers
                # read a few blocks ahead of those written, so this runs a little low: an estimate. A file
                # that grew while read counts as read whole.
                self._bar.total = max(self._records, self._records * self._total / consumed_bytes)
            self._bar.set_postfix_str(f"{self._failed} invalid", refresh=False)
            self._bar.update(records)
        elif self._stream is not None and self._records // EVERY > (self._records - records) // EVERY:
            self._show(self._stream)

    def close(self) -> None:
        """Draw the last count and end the line (once: closing again does nothing)."""
        if self._bar is not None:
            self._bar.close()  # draws the last state, however recent the last draw, then a newline
            self._bar = None
        elif self._stream is not None:
            if self._shown != (self._records, self._failed):
                self._show(self._stream)
            self._stream.write("\n")
            self._stream.flush()
        self._stream = None

    def _show(self, stream: IO[str]) -> None:
        stream.write(f"\r{self._records} records, {self._failed} invalid")
        stream.flush()
        self._shown = (self._records, self._failed)
