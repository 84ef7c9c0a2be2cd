"""A small helper for writing rule functions: collect conditions, then give the verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from gigpolicy._decision import Reason, Verdict, make_reason, make_verdict
from gigpolicy._time import instant_key
from gigpolicy._trusted import BoundedCache

__all__ = ["Judge", "when"]

_WHEN: Final[BoundedCache[timedelta, str]] = BoundedCache(4096)


def when(instant: datetime) -> str:
    """An instant as people read it in reasons: ``2026-11-18 00:00 UTC``."""
    key = instant_key(instant)
    text = _WHEN.get(key)
    if text is None:
        text = _WHEN.remember(key, instant.astimezone(UTC).isoformat(sep=" ", timespec="minutes")[:-6] + " UTC")
    return text


class Judge:
    """Collects the conditions of one rule: those that held and those that failed.

    The verdict is yes when no condition failed; its reasons are then the conditions that
    held, else every condition that failed. A window's closing instant becomes a boundary,
    so evaluation finds each decision's ``until``.

    >>> from datetime import datetime, UTC
    >>> judge = Judge(datetime(2026, 11, 3, tzinfo=UTC))
    >>> judge.cond(True, ("OPEN", "The contract is open."), ("ENDED", "The contract ended."), None)
    True
    >>> judge.window(datetime(2026, 11, 18, tzinfo=UTC), "The feedback window", None)
    True
    >>> verdict = judge.verdict()
    >>> verdict.answer, [r.code for r in verdict.reasons], verdict.boundaries
    (True, ['OPEN', 'WITHIN_WINDOW'], (datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.timezone.utc),))
    """

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.failed: list[Reason] = []
        self.held: list[Reason] = []
        self.boundaries: list[datetime] = []

    def fail(self, code: str, message: str, source: str | None) -> None:
        """Record a condition that failed."""
        self.failed.append(make_reason(code, message, source))

    def hold(self, code: str, message: str, source: str | None) -> None:
        """Record a condition that held."""
        self.held.append(make_reason(code, message, source))

    def cond(self, ok: bool, yes: tuple[str, str], no: tuple[str, str], source: str | None) -> bool:
        """Record *yes* (code, message) if *ok*, else *no*; return *ok*."""
        if ok:
            self.held.append(make_reason(yes[0], yes[1], source))
        else:
            self.failed.append(make_reason(no[0], no[1], source))
        return ok

    def boundary(self, instant: datetime | None) -> None:
        """Note an instant after ``at`` at which one of the rule's conditions flips by itself."""
        if instant is not None and instant > self.at:
            self.boundaries.append(instant)

    def window(self, closes: datetime, what: str, source: str | None) -> bool:
        """The condition ``at < closes``, with *closes* as a boundary."""
        if closes > self.at:
            self.boundaries.append(closes)
            self.held.append(make_reason("WITHIN_WINDOW", f"{what} is open until {when(closes)}.", source))
            return True
        self.failed.append(make_reason("WINDOW_CLOSED", f"{what} closed on {when(closes)}.", source))
        return False

    def verdict(self) -> Verdict:
        """The answer, with its reasons and boundaries."""
        if self.failed:
            return make_verdict(answer=False, reasons=tuple(self.failed), boundaries=tuple(self.boundaries))
        return make_verdict(answer=True, reasons=tuple(self.held), boundaries=tuple(self.boundaries))
