"""Timezone-aware instants: checking them, parsing and writing RFC 3339."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Final

from gigpolicy.errors import InvalidRecord

__all__ = ["format_instant", "parse_date", "parse_instant", "require_aware"]

_RFC3339: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-5][0-9])?"
)
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class NaiveDatetime(InvalidRecord):
    """A datetime without a timezone where an instant is needed."""


def require_aware(value: datetime, path: str) -> datetime:
    """Return *value* if it is a timezone-aware ``datetime``.

    Raises:
        InvalidRecord: if *value* is not a ``datetime`` or has no UTC offset.
    """
    if not isinstance(value, datetime):
        raise InvalidRecord(path, f"must be a datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise NaiveDatetime(path, "must be timezone-aware (it has no UTC offset)")
    return value


def parse_instant(text: object) -> datetime:
    """Parse an RFC 3339 timestamp with an offset (``Z`` or ``+hh:mm``)."""
    if not isinstance(text, str):
        raise InvalidRecord("", f"must be an RFC 3339 timestamp string, not {type(text).__name__}")
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise InvalidRecord("", f"{text!r} is not an RFC 3339 timestamp")
    if match["offset"] is None:
        raise InvalidRecord("", f"{text!r} has no UTC offset (add Z or +hh:mm)")
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        raise InvalidRecord("", f"{text!r} is not a valid date and time") from None


def parse_date(text: object) -> date:
    """Parse an ISO 8601 calendar date, ``YYYY-MM-DD``."""
    if not isinstance(text, str) or _DATE.fullmatch(text) is None:
        raise InvalidRecord("", f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord("", f"{text!r} is not a valid date") from None


def format_instant(value: datetime) -> str:
    """Write *value* as RFC 3339, with ``Z`` for UTC."""
    text = value.isoformat()
    if value.utcoffset() == UTC.utcoffset(None) and text.endswith("+00:00"):
        return text[:-6] + "Z"
    return text
