"""Deadlines: every window a contract has still open or ahead at an instant, and an iCalendar of them.

:func:`deadlines` lists what the policy has open or scheduled (feedback, responses, disputes,
refunds, dormancy and its notices) and the automatic steps ahead (releases, the escrow's
return), each once, sorted by when it closes. :func:`deadlines_ics` writes them as an
RFC 5545 calendar a person imports, built with the standard library alone.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

import attrs

from gigpolicy._contract import Party
from gigpolicy._evaluate import Report, evaluate
from gigpolicy._judge import when
from gigpolicy._policy import Policy, Window, clock_of, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._state import ContractState
from gigpolicy._time import require_aware, require_instant
from gigpolicy.errors import InvalidRecord

__all__ = ["Deadline", "deadlines", "deadlines_ics"]

_FOLD: Final = 75
"""RFC 5545 3.1: a content line is at most 75 octets, CRLF excluded; longer ones are folded."""
_CRLF: Final = "\r\n"


@attrs.frozen(kw_only=True)
class Deadline:
    """One window still open or ahead at an instant: what it is, for whom, when it closes, its source.

    >>> Deadline(
    ...     contract="c-1",
    ...     code="FEEDBACK",
    ...     label="feedback window",
    ...     party=None,
    ...     closes=datetime(2026, 11, 18, tzinfo=UTC),
    ...     policy="upwork@2025-05-01",
    ... ).code
    'FEEDBACK'
    """

    contract: str
    """The contract's id."""
    code: str
    """The window's stable name, as :class:`~gigpolicy.Window` has it (``FEEDBACK``, ``AUTO_RELEASE``, ...)."""
    label: str
    """A few words for a person."""
    party: Party | None
    """The party it is for, or ``None`` when it is for both (or a step the marketplace takes itself)."""
    closes: datetime
    """When it closes: the deadline."""
    opens: datetime | None = None
    """When it opens, if that is after the instant judged; ``None`` when it is already open."""
    source: str | None = None
    """The public page that states the rule."""
    policy: str
    """The policy version whose rule it is, as ``upwork@2025-05-01``."""

    def __attrs_post_init__(self) -> None:
        require_aware(self.closes, "closes")
        if self.opens is not None:
            require_aware(self.opens, "opens")

    @property
    def uid(self) -> str:
        """A stable identifier of this deadline of this contract: its calendar event's ``UID``.

        It depends on the contract, the window's name, label and party, not on its times, so a
        calendar that imports the file again updates the event whose deadline moved.
        """
        key = "\x00".join((self.contract, self.code, self.label, "" if self.party is None else self.party.value))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@gigpolicy"


# What the state knows of the steps the marketplace takes by itself, for a policy whose windows do
# not list them: each is added unless a window of the same code already closes at that instant.
def _automatic(state: ContractState) -> list[tuple[str, str, datetime]]:
    found = [
        ("AUTO_RELEASE", f"{milestone.id} releases by itself", milestone.release_due)
        for milestone in state.milestones
        if milestone.release_due is not None
    ]
    if state.escrow_return_due is not None:
        found.append(("ESCROW_RETURN", "escrow returns to the client", state.escrow_return_due))
    if state.dormant_at is not None:
        found.append(("DORMANCY", "closed as dormant", state.dormant_at))
    return found


def deadlines(record: ContractRecord, *, at: datetime, policy: Policy | str | None = None) -> tuple[Deadline, ...]:
    """Every deadline of *record* still open or ahead at *at*, sorted by when each closes.

    Args:
        record: A checked contract record.
        at: The instant judged (timezone-aware); a window that closes at or before it is over.
        policy: As :func:`~gigpolicy.evaluate` takes it.

    Returns:
        The windows the policy has open or scheduled for either party and the automatic steps
        ahead, each once, sorted by close, then open, then name. Where the policy is given by
        name and a later version comes into force before a window closes, the later version
        says what happens from its first day on, as a decision's ``until`` takes it. A window
        open that day (or opened before it by an automatic step) that it has too, with the same
        name, label and party, is listed as it has it, with that version as its ``policy``; one it
        does not have, or opens only later, closes that day; one only it has opens that day at
        the earliest.

    Raises:
        InvalidRecord: for a naive *at* or a value that is not a record.
        UnknownPolicy: for an unknown policy name, or *at* before its first version.
    """
    if not isinstance(record, ContractRecord):
        raise InvalidRecord("record", f"must be a ContractRecord, not {type(record).__name__}")
    at = require_instant(at, "at")
    found: dict[Deadline, None] = {}
    by_name = resolve_policy(policy, record, at)[1]
    report = evaluate(record, at=at, policy=policy, questions=())
    record = record._prefix(report.state.events_applied)  # noqa: SLF001 - no new event after *at*, in every version
    contract = record.contract.id
    windows = _windows(report, at, at)
    while (change := clock_of(report.policy, by_name=by_name).next_change_after(report.policy)) is not None:
        # the windows of the version in force, until the next one's first day
        label = report.policy.label
        found.update((_deadline(window, contract, at, label), None) for window in windows if window.closes <= change)
        # the windows still open then: those open now, and those its steps open meanwhile (a release opens
        # the refund window), as the version in force sees them that day
        crossing = {_key(window): window for window in windows if window.closes > change}
        step = report.state.next_step_at
        if step is not None and step < change:  # without a step before it, the state that day is this one
            then = evaluate(record, at=change, policy=report.policy, questions=())
            crossing.update((_key(w), w) for w in _windows(then, at, change) if _key(w) not in crossing)
        # the next version says what happens from its first day on
        later = evaluate(record, at=change, policy=policy, questions=())
        after = [  # a window the version before did not have open then opens with its version, at the earliest
            window if window.opens >= change or _key(window) in crossing else attrs.evolve(window, opens=change)
            for window in _windows(later, at, change)
        ]
        kept = {_key(window): window for window in after}
        for key, window in crossing.items():
            successor = kept.get(key)
            if window.opens < change and (successor is None or successor.opens > change):
                # open until the version's end, where the next version ends it or opens it later
                found[_deadline(attrs.evolve(window, closes=change), contract, at, label)] = None
        report, windows = later, after
    found.update((_deadline(window, contract, at, report.policy.label), None) for window in windows)
    return tuple(sorted(found, key=lambda item: (item.closes, item.opens or at, item.code, item.label)))


def _windows(report: Report, at: datetime, since: datetime) -> list[Window]:
    """The windows of *report* that close after *since*, and the automatic steps that no window lists.

    The state's steps ahead are open from *at*, the instant judged, whichever version's they are.
    """
    windows = list(report.windows)
    listed = {(window.code, window.closes) for window in windows}
    windows.extend(
        Window(code=code, label=label, opens=at, closes=closes)
        for code, label, closes in _automatic(report.state)
        if (code, closes) not in listed
    )
    return [window for window in windows if window.closes > since]


def _key(window: Window) -> tuple[str, str, Party | None]:
    return window.code, window.label, window.party


def _deadline(window: Window, contract: str, at: datetime, policy: str) -> Deadline:
    return Deadline(
        contract=contract,
        code=window.code,
        label=window.label,
        party=window.party,
        closes=window.closes.astimezone(UTC),
        opens=window.opens.astimezone(UTC) if window.opens > at else None,
        source=window.source,
        policy=policy,
    )


def deadlines_ics(found: Sequence[Deadline], *, at: datetime) -> str:
    r"""The deadlines as an iCalendar file (RFC 5545): one ``VEVENT`` each, CRLF line endings.

    Each event runs from the window's opening (or *at*, when it is already open) to its close,
    in UTC; ``DTSTAMP`` is *at*, so the same input gives the same file. ``UID`` is
    :attr:`Deadline.uid`; a second deadline with the same one gets ``-2``, ``-3``, ... after it.

    >>> deadlines_ics((), at=datetime(2026, 11, 3, 9, tzinfo=UTC)).splitlines()[0]
    'BEGIN:VCALENDAR'

    Raises:
        InvalidRecord: for a naive *at*.
    """
    at = require_instant(at, "at")
    stamp = _ics_instant(at)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gigpolicy//deadlines//EN", "CALSCALE:GREGORIAN"]
    seen: dict[str, int] = {}
    for deadline in found:
        uid = deadline.uid
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:
            uid = f"{uid}-{seen[uid]}"
        start = deadline.opens if deadline.opens is not None else at
        who = "both parties" if deadline.party is None else f"the {deadline.party.value}"
        description = [
            f"{deadline.label}: closes {when(deadline.closes)} ({deadline.code}, for {who}).",
            f"Contract {deadline.contract}, under {deadline.policy}; an estimate by gigpolicy at {when(at)}.",
        ]
        if deadline.source is not None:
            description.append(f"Source: {deadline.source}")
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{_text(uid)}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_ics_instant(min(start, deadline.closes))}",
                f"DTEND:{_ics_instant(deadline.closes)}",
                f"SUMMARY:{_text(f'{deadline.contract}: {deadline.label} closes')}",
                f"DESCRIPTION:{_text(chr(10).join(description))}",
            ]
        )
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + _CRLF for line in lines)


def _ics_instant(value: datetime) -> str:
    """*value* as an RFC 5545 UTC date-time, ``20261118T000000Z`` (seconds are kept, microseconds not)."""
    value = value.astimezone(UTC)
    return f"{value.year:04d}{value.month:02d}{value.day:02d}T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"


def _text(value: str) -> str:
    r"""*value* as an RFC 5545 TEXT value: ``\``, ``;`` and ``,`` escaped, a newline as ``\n``."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    # no other control character in a content line (RFC 5545 3.1), no lone surrogate in UTF-8, and no
    # format character to turn the text around in a terminal: each is shown as U+FFFD, as timelines do
    return "".join(
        "\ufffd" if char != "\t" and unicodedata.category(char).startswith("C") else char for char in escaped
    )


def _fold(line: str) -> str:
    """*line* folded into parts of at most 75 octets, each after the first starting with a space.

    A part never ends inside a UTF-8 sequence: it is cut between characters.
    """
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, _FOLD
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, _FOLD - 1  # the leading space takes one octet
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (_CRLF + " ").join(parts)
