"""Timezone-aware instants: checking them, parsing and writing RFC 3339."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from gigpolicy.errors import InvalidRecord, NaiveDatetime

__all__ = [
    "EARLIEST",
    "LATEST",
    "NaiveDatetime",
    "format_instant",
    "instant_key",
    "keep_fixed",
    "parse_date",
    "parse_instant",
    "require_aware",
    "require_instant",
    "utc_offset",
]

_RFC3339: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-5][0-9])?"
)
_NEAR_MISS: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?P<separator>[Tt ])[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-5][0-9])?"
)
"""A timestamp that RFC 3339 allows and gigpolicy does not: a space for T, or more than 6 fraction digits."""
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
"""The earliest instant a record, or an instant to judge, may name."""
LATEST: Final = datetime(9000, 1, 1, tzinfo=UTC)
"""The first instant past those a record, or an instant to judge, may name: a thousand years
before the end of ``datetime``, so that every window and deadline computed from an accepted
instant stays representable."""


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_DAY: Final = timedelta(days=1)
_STANDARD_ZONES: Final = frozenset({timezone, ZoneInfo})
T = TypeVar("T")


def instant_key(value: datetime) -> timedelta:
    """A key for caches of texts by instant: equal for the same instant in any offset or zone.

    Not *value* itself: in a zone with daylight saving, the two instants of a repeated hour
    compare equal (they differ only by ``fold``), while their distances from the epoch differ.
    """
    return value - _EPOCH


def utc_offset(value: datetime, path: str) -> timedelta | None:
    """``value.utcoffset()``, with what a broken ``tzinfo`` does turned into an error at *path*.

    A ``tzinfo`` is the caller's code: its ``utcoffset`` may raise, or return something other
    than ``None`` or a ``timedelta`` strictly within a day (which ``datetime`` refuses). Of an
    aware instant, ``dst`` and ``tzname`` are asked too: formatting it (``%Z``) reads them.

    Raises:
        InvalidRecord: if the zone cannot answer, or ``datetime`` would refuse its answer.
    """
    zone = value.tzinfo
    if zone is None:
        return None
    if type(zone) in _STANDARD_ZONES:  # the standard library's own zones always answer well
        return datetime.utcoffset(value)  # datetime's own: a subclass's may answer anything
    offset = _ask(zone.utcoffset, value, path, timedelta)
    if offset is not None:
        _ask(zone.dst, value, path, timedelta)
        _ask(zone.tzname, value, path, str)
    return offset


def _ask(method: Callable[[datetime], T | None], value: datetime, path: str, kind: type[T]) -> T | None:
    """What the zone's *method* answers for *value*: ``None`` or a *kind*, and an offset within a day."""
    name = getattr(method, "__name__", "a method")
    try:
        answer = method(value)
    except Exception as error:  # noqa: BLE001 - whatever the caller's tzinfo raises is bad input
        raise InvalidRecord(path, f"has a tzinfo whose {name}() raised {type(error).__name__}") from None
    if answer is not None and not isinstance(answer, kind):
        raise InvalidRecord(path, f"has a tzinfo whose {name}() returned {type(answer).__name__}, not {kind.__name__}")
    if isinstance(answer, timedelta) and not -_DAY < answer < _DAY:
        raise InvalidRecord(path, f"has a tzinfo whose {name}() is {answer}: an offset must lie strictly within a day")
    return answer


def require_aware(value: datetime, path: str) -> datetime:
    """Return *value*, a timezone-aware ``datetime``, at a fixed UTC offset.

    An instant given in a zone with rules (a ``ZoneInfo``, or a ``tzinfo`` of the caller's) is
    returned as the same instant at the UTC offset the zone has then, with the same text
    (``isoformat``); its ``tzinfo`` is a ``datetime.timezone``. Python adds a ``timedelta`` to a
    ``datetime`` on its wall clock, and compares two datetimes of one ``tzinfo`` by their wall
    clocks: across a change of daylight saving time, 14 days after noon is noon again, an hour
    more or less of elapsed time, and the second 01:10 of a repeated hour comes before its first
    01:50. At a fixed offset the wall clock is elapsed time, so deadlines and the order of events
    are those of the record read from its JSON, whose instants have fixed offsets.

    Raises:
        InvalidRecord: if *value* is not a ``datetime``, or has a ``tzinfo`` that cannot give
            an offset.
        NaiveDatetime: (an InvalidRecord) if *value* has no UTC offset.
    """
    if not isinstance(value, datetime):
        raise InvalidRecord(path, f"must be a datetime, not {type(value).__name__}")
    offset = utc_offset(value, path)
    if offset is None:
        raise NaiveDatetime(path, "must be timezone-aware (it has no UTC offset)")
    if type(value.tzinfo) is timezone:
        return value
    # put together by datetime's own methods, from the offset asked once: a subclass's methods,
    # or a zone's later answers, have no say
    return datetime.combine(datetime.date(value), datetime.time(value).replace(fold=0), timezone(offset))


def keep_fixed(owner: object, name: str, require: Callable[[datetime, str], datetime] = require_aware) -> None:
    """Check the instant in the field *name* of *owner*, a frozen value being built, and keep it at a fixed offset.

    *require* (:func:`require_aware`, or :func:`require_instant`) checks it, its error placed at
    *name*, and gives the value kept: an instant in a zone with rules, at the offset it has then.
    """
    given = getattr(owner, name)
    fixed = require(given, name)
    if fixed is not given:
        object.__setattr__(owner, name, fixed)  # the value is being built: frozen once built


def require_instant(value: datetime, path: str) -> datetime:
    """:func:`require_aware`'s instant, if it lies from :data:`EARLIEST` up to, not including, :data:`LATEST`.

    Raises:
        InvalidRecord: if *value* is not an aware ``datetime``, or lies outside that range.
    """
    value = require_aware(value, path)
    if not EARLIEST <= value < LATEST:
        raise InvalidRecord(path, f"{value.isoformat()} is outside the instants gigpolicy accepts (years 1900 to 8999)")
    return value


def require_date(value: date, path: str) -> None:
    """Raise unless the calendar date *value* lies in the years that :func:`require_instant` accepts."""
    if not EARLIEST.date() <= value < LATEST.date():
        raise InvalidRecord(path, f"{value.isoformat()} is outside the dates gigpolicy accepts (years 1900 to 8999)")


def parse_instant(text: object) -> datetime:
    """Parse an RFC 3339 timestamp with an offset (``Z`` or ``+hh:mm``)."""
    if not isinstance(text, str):
        raise InvalidRecord("", f"must be an RFC 3339 timestamp string, not {type(text).__name__}")
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise InvalidRecord("", _why_not(text) or f"{text!r} is not an RFC 3339 timestamp")
    if match["offset"] is None:
        raise InvalidRecord("", f"{text!r} has no UTC offset (add Z or +hh:mm)")
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        raise InvalidRecord("", f"{text!r} is not a valid date and time") from None


def _why_not(text: str) -> str:
    """Why *text*, a timestamp RFC 3339 allows, is not one gigpolicy reads; nothing for other texts."""
    near = _NEAR_MISS.fullmatch(text)
    if near is None:
        return ""
    if near["separator"] == " ":
        return f"{text!r} separates the date and the time with a space: gigpolicy reads only T there"
    return f"{text!r} has more than 6 digits after the decimal point: gigpolicy keeps microseconds"


def parse_date(text: object) -> date:
    """Parse an ISO 8601 calendar date, ``YYYY-MM-DD``."""
    if not isinstance(text, str) or _DATE.fullmatch(text) is None:
        raise InvalidRecord("", f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord("", f"{text!r} is not a valid date") from None


def format_instant(value: datetime) -> str:
    """Write *value* as RFC 3339, with ``Z`` for UTC.

    RFC 3339 writes offsets in whole minutes: an instant at an offset with seconds (a zone's
    local mean time, such as Amsterdam's ``+00:19:32`` before 1937) is written in UTC, the same
    instant in a form :func:`parse_instant` reads back.
    """
    offset = value.utcoffset()
    if offset is not None and offset % _MINUTE:
        value = value.astimezone(UTC)
    text = value.isoformat()
    if value.utcoffset() == UTC.utcoffset(None) and text.endswith("+00:00"):
        return text[:-6] + "Z"
    return text


_MINUTE: Final = timedelta(minutes=1)
