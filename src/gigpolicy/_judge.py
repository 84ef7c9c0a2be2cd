"""A small helper for writing rule functions: collect conditions, then give the verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from gigpolicy._decision import _VERDICT, Reason, Verdict, make_reason, make_verdict
from gigpolicy._time import instant_key
from gigpolicy._trusted import BoundedCache

__all__ = [
    "UNKNOWN",
    "Judge",
    "changes_at",
    "day",
    "given_no",
    "given_yes",
    "mended_at",
    "settled",
    "step_ahead",
    "verdict_no",
    "verdict_yes",
    "when",
    "window_reason",
]

_WHEN: Final[BoundedCache[timedelta, str]] = BoundedCache(4096)


def when(instant: datetime) -> str:
    """An instant as people read it in reasons: ``2026-11-18 00:00 UTC``."""
    key = instant_key(instant)
    text = _WHEN.get(key)
    if text is None:
        text = _WHEN.remember(key, instant.astimezone(UTC).isoformat(sep=" ", timespec="minutes")[:-6] + " UTC")
    return text


def day(instant: datetime) -> str:
    """The day of an instant in UTC, as :func:`when` writes it: ``2026-11-18``."""
    return when(instant)[:10]


class _Unknown:
    """The type of :data:`UNKNOWN`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""What :func:`changes_at` gives for a verdict whose change in time its judge does not know."""


class Judge:
    """Collects the conditions of one rule: those that held and those that failed.

    The verdict is yes when no condition failed; its reasons are then the conditions that
    held, else every condition that failed. A window's closing instant becomes a boundary,
    so evaluation finds each decision's ``until``.

    Conditions on time are best given as :meth:`window`, :meth:`before` and :meth:`since`
    rather than by comparing ``context.at`` in the rule: the judge then knows when each of them
    flips, and so when the verdict itself would change if the state stayed as it is.

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

    # what the judge knows of time: the earliest instant a condition that held stops holding,
    # the latest instant a condition that failed starts holding, whether a failure is for good
    # (no time mends it), and whether a boundary was noted that no condition explains; class
    # values until a condition sets its own, as a judge is made for every answer
    stops: datetime | None = None
    mends: datetime | None = None
    lasting: bool = False
    opaque: bool = False

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.failed: list[Reason] = []
        self.held: list[Reason] = []
        self.boundaries: list[datetime] = []

    def fail(self, code: str, message: str, source: str | None) -> None:
        """Record a condition that failed."""
        self.lasting = True
        self.failed.append(make_reason(code, message, source))

    def hold(self, code: str, message: str, source: str | None) -> None:
        """Record a condition that held."""
        self.held.append(make_reason(code, message, source))

    def cond(self, ok: bool, yes: tuple[str, str], no: tuple[str, str], source: str | None) -> bool:
        """Record *yes* (code, message) if *ok*, else *no*; return *ok*."""
        if ok:
            self.held.append(make_reason(yes[0], yes[1], source))
        else:
            self.lasting = True
            self.failed.append(make_reason(no[0], no[1], source))
        return ok

    def boundary(self, instant: datetime | None) -> None:
        """Note an instant after ``at`` at which one of the rule's conditions flips by itself."""
        if instant is not None and instant > self.at:
            self.boundaries.append(instant)
            self.opaque = True

    def before(self, instant: datetime, yes: tuple[str, str], no: tuple[str, str], source: str | None) -> bool:
        """The condition ``at < instant``: *yes* (code, message) while it holds, else *no*; *instant* is a boundary."""
        if instant > self.at:
            self.boundaries.append(instant)
            if self.stops is None or instant < self.stops:
                self.stops = instant
            self.held.append(make_reason(yes[0], yes[1], source))
            return True
        self.lasting = True
        self.failed.append(make_reason(no[0], no[1], source))
        return False

    def since(self, instant: datetime, yes: tuple[str, str], no: tuple[str, str], source: str | None) -> bool:
        """The condition ``at >= instant``: *yes* (code, message) once it holds, else *no*; *instant* is a boundary."""
        if instant > self.at:
            self.boundaries.append(instant)
            if self.mends is None or instant > self.mends:
                self.mends = instant
            self.failed.append(make_reason(no[0], no[1], source))
            return False
        self.held.append(make_reason(yes[0], yes[1], source))
        return True

    def window(self, closes: datetime, what: str, source: str | None) -> bool:
        """The condition ``at < closes``, with *closes* as a boundary."""
        if closes > self.at:
            self.boundaries.append(closes)
            if self.stops is None or closes < self.stops:
                self.stops = closes
            self.held.append(window_reason(closes, what, source, is_open=True))
            return True
        self.lasting = True
        self.failed.append(window_reason(closes, what, source, is_open=False))
        return False

    def verdict(self) -> Verdict:
        """The answer, with its reasons and boundaries."""
        if self.failed:
            verdict = make_verdict(answer=False, reasons=tuple(self.failed), boundaries=tuple(self.boundaries))
            # no: yes once every failed condition holds, if none fails for good and nothing that
            # holds has stopped by then
            changes = mended_at(lasting=self.lasting, mends=self.mends, stops=self.stops)
        else:
            verdict = make_verdict(answer=True, reasons=tuple(self.held), boundaries=tuple(self.boundaries))
            changes = self.stops  # yes: no once the first condition on time stops holding
        _LAST[0] = (verdict, UNKNOWN if self.opaque else changes)
        return verdict


_LAST: Final[list[tuple[Verdict | None, datetime | _Unknown | None]]] = [(None, UNKNOWN)]
"""The last verdict a judge gave, and when it changes. A verdict of another thread in between
does not mislead: it is another object, and :func:`changes_at` then knows nothing."""


def changes_at(verdict: Verdict) -> datetime | _Unknown | None:
    """When *verdict*'s answer would change if the state judged stayed as it is, as its judge knew.

    The first instant after the one judged at which the rule would answer otherwise, ``None``
    if never, or :data:`UNKNOWN` if *verdict* is not the last a judge gave or its rule noted a
    :meth:`Judge.boundary` of its own. Exact only for rules that read time through the judge's
    conditions alone; evaluation asks it only of the built-in policies' rules.
    """
    last, changes = _LAST[0]
    return changes if last is verdict else UNKNOWN


def mended_at(*, lasting: bool, mends: datetime | None, stops: datetime | None) -> datetime | None:
    """When a no turns yes with no new event, as a judge works it out.

    That is when the last failed condition on time holds (*mends*), unless a condition fails for
    good (*lasting*) or one that holds has stopped by then (*stops*); ``None``: never.
    """
    return None if lasting or (stops is not None and mends is not None and mends >= stops) else mends


def window_reason(closes: datetime, what: str, source: str | None, *, is_open: bool) -> Reason:
    """The reason of the window *what* that closes at *closes*: open until then, or closed since.

    Made once per window and instant, then given again: several rules read the same window, and
    looking ahead reads it again.
    """
    key = (instant_key(closes), what, source, is_open)
    found = _WINDOW_REASONS.get(key)
    if found is None:
        if is_open:
            found = make_reason("WITHIN_WINDOW", f"{what} is open until {when(closes)}.", source)
        else:
            found = make_reason("WINDOW_CLOSED", f"{what} closed on {when(closes)}.", source)
        _WINDOW_REASONS.remember(key, found)
    return found


_WINDOW_REASONS: Final[BoundedCache[tuple[timedelta, str, str | None, bool], Reason]] = BoundedCache(4096)


def given_yes(
    reasons: tuple[Reason, ...], boundaries: tuple[datetime, ...] = (), changes: datetime | None = None
) -> Verdict:
    """A yes a rule worked out itself, as a :class:`Judge` would give it, condition by condition.

    *reasons* are the conditions that held, never none; *boundaries* the instants after the one
    judged at which a condition flips by time, in the order of the conditions; *changes* when the
    answer changes if the state stays as it is (``None``: never), which :func:`changes_at` then
    gives. For the built-in rules: a test compares each of their branches with the same rule
    written with a judge.
    """
    verdict = _VERDICT(True, reasons, boundaries)  # noqa: FBT003 - the answer, as a judge builds it
    _LAST[0] = (verdict, changes)
    return verdict


def given_no(
    reasons: tuple[Reason, ...], boundaries: tuple[datetime, ...] = (), changes: datetime | None = None
) -> Verdict:
    """A no a rule worked out itself, as :func:`given_yes` gives a yes: *reasons* are every condition that failed."""
    verdict = _VERDICT(False, reasons, boundaries)  # noqa: FBT003 - the answer, as a judge builds it
    _LAST[0] = (verdict, changes)
    return verdict


def verdict_yes(*reasons: tuple[str, str, str | None]) -> Verdict:
    """A yes made once, for an outcome of a rule whose reasons carry no data: (code, message, source) each.

    A rule gives it through :func:`settled`, as the same object each time, with no judge made.
    """
    return _made(answer=True, reasons=reasons)


def verdict_no(*reasons: tuple[str, str, str | None]) -> Verdict:
    """A no made once, as :func:`verdict_yes` makes a yes."""
    return _made(answer=False, reasons=reasons)


def _made(*, answer: bool, reasons: tuple[tuple[str, str, str | None], ...]) -> Verdict:
    return make_verdict(answer=answer, reasons=tuple(make_reason(*reason) for reason in reasons), boundaries=())


def settled(verdict: Verdict) -> Verdict:
    """Give *verdict* as the last a judge gave, one whose answer no time changes.

    :func:`changes_at` then gives ``None`` for it: for verdicts made with :func:`verdict_yes` or
    :func:`verdict_no`, where every condition that decided the answer holds or fails for good.
    """
    _LAST[0] = (verdict, None)
    SETTLED[0] = verdict
    return verdict


SETTLED: Final[list[Verdict | None]] = [None]
"""The last verdict given through :func:`settled`: evaluation gives its decision made once
(``settled_decision``), when nothing ahead may change it."""


def step_ahead(judge: Judge, instant: datetime | None) -> None:
    """Note *instant*, when the policy takes an automatic step, as a boundary of *judge*'s rule.

    Unlike :meth:`Judge.boundary` this says that no condition of the rule flips then by time
    alone: evaluation looks at the state after every automatic step anyway.
    """
    if instant is not None and instant > judge.at:
        judge.boundaries.append(instant)
