"""The parties, kinds and statuses of a contract, and its terms."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._money import CURRENCIES, Money, describe, parse_amount
from gigpolicy._time import keep_fixed, require_instant
from gigpolicy.errors import InvalidRecord, raise_collected

__all__ = ["ContractKind", "ContractStatus", "ContractTerms", "Party"]

MAX_TEXT: Final = 1_000
"""The longest identifier, reason or name a record may hold, in characters."""
MAX_COMMENT: Final = 10_000
"""The longest feedback comment a record may hold, in characters."""


class Party(enum.StrEnum):
    """One side of a contract."""

    CLIENT = "client"
    FREELANCER = "freelancer"

    @property
    def other(self) -> Party:
        """The other side.

        >>> Party.CLIENT.other
        <Party.FREELANCER: 'freelancer'>
        """
        return FREELANCER if self is CLIENT else CLIENT


class ContractKind(enum.StrEnum):
    """How the freelancer is paid."""

    FIXED_PRICE = "fixed_price"
    HOURLY = "hourly"


class ContractStatus(enum.StrEnum):
    """Where a contract is in its life."""

    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


# Each member as a plain name, for the code that reads them for every record (the rules, the fold):
# on Python 3.11 a member read off its class (`ContractStatus.ENDED`) costs ten times a global's,
# as the enums' metaclass hooks every attribute read of the class and calls `type.__getattribute__`
# through Python's call machinery (3.12 dropped the hook).
CLIENT: Final = Party.CLIENT
FREELANCER: Final = Party.FREELANCER
FIXED_PRICE: Final = ContractKind.FIXED_PRICE
HOURLY: Final = ContractKind.HOURLY
ACTIVE: Final = ContractStatus.ACTIVE
PAUSED: Final = ContractStatus.PAUSED
ENDED: Final = ContractStatus.ENDED


def is_a(value: object, cls: type) -> bool:
    """``isinstance`` for run-time checks of typed fields (callers may pass anything)."""
    return isinstance(value, cls)


def check_text(value: object, path: str, problems: list[InvalidRecord], *, limit: int = MAX_TEXT) -> None:
    """Append a problem unless *value* is a non-empty string of at most *limit* characters."""
    if not isinstance(value, str):
        problems.append(InvalidRecord(path, f"must be a string, not {type(value).__name__}"))
    elif not value.strip():
        problems.append(InvalidRecord(path, "must not be empty"))
    elif len(value) > limit:
        problems.append(InvalidRecord(path, f"is longer than {limit} characters"))
    elif not value.isascii() and not _is_unicode(value):
        # a lone surrogate (JSON allows "\ud800") cannot be written out as UTF-8 again
        problems.append(InvalidRecord(path, "holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"))


def is_text(value: object, limit: int = MAX_TEXT) -> bool:
    """Whether *value* is text that :func:`check_text` accepts: the decoder's quick test."""
    return (
        type(value) is str and len(value) <= limit and bool(value.strip()) and (value.isascii() or _is_unicode(value))
    )


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check(
    problems: list[InvalidRecord], path: str, call: Callable[..., object], *args: object, **kwargs: object
) -> None:
    """Run ``call(*args, **kwargs)``; append the ``InvalidRecord`` it raises, placed at *path*."""
    try:
        call(*args, **kwargs)
    except InvalidRecord as error:
        problems.append(error.at(path))


def check_instant(owner: object, name: str, problems: list[InvalidRecord]) -> None:
    """:func:`~gigpolicy._time.keep_fixed` of the instant in the field *name* of *owner*, by ``require_instant``.

    Its problem is appended to *problems*, placed at *name*. An instant in a zone with rules (a
    ``ZoneInfo``) is kept at the offset the zone has then: the record's deadlines then count
    elapsed time, as those of the record read from its JSON do.
    """
    try:
        keep_fixed(owner, name, require_instant)
    except InvalidRecord as error:
        problems.append(error)


@attrs.frozen(kw_only=True)
class ContractTerms:
    """What both parties agreed: who, which kind of contract, in which currency, from when.

    >>> from datetime import datetime, UTC
    >>> terms = ContractTerms(
    ...     id="c-1",
    ...     kind=ContractKind.FIXED_PRICE,
    ...     currency="USD",
    ...     client="client-42",
    ...     freelancer="fl-7",
    ...     started_at=datetime(2026, 11, 2, 15, tzinfo=UTC),
    ... )
    >>> terms.marketplace is None
    True
    """

    id: str
    marketplace: str | None = None
    kind: ContractKind
    currency: str
    client: str
    freelancer: str
    started_at: datetime
    hourly_rate: Money | None = None
    weekly_limit_hours: Decimal | None = None
    freelancer_fee_rate: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[InvalidRecord] = []
        for name in ("id", "client", "freelancer"):
            check_text(getattr(self, name), name, problems)
        if self.marketplace is not None:
            check_text(self.marketplace, "marketplace", problems)
        if not is_a(self.kind, ContractKind):
            problems.append(InvalidRecord("kind", "must be a ContractKind"))
        currency: object = self.currency  # a caller without a type checker may pass anything
        known = isinstance(currency, str) and currency in CURRENCIES
        if not known:
            problems.append(InvalidRecord("currency", f"{describe(currency)} is not an ISO 4217 code gigpolicy knows"))
        check_instant(self, "started_at", problems)
        # compared only as text: comparing other values runs their code (an odd tzinfo's, say)
        names: tuple[object, object] = (self.client, self.freelancer)
        if all(isinstance(name, str) for name in names) and names[0] == names[1]:
            problems.append(InvalidRecord("freelancer", "must differ from the client"))
        if self.hourly_rate is not None:
            if not is_a(self.hourly_rate, Money):
                problems.append(InvalidRecord("hourly_rate", "must be Money"))
            elif known and self.hourly_rate.currency != currency:
                # against a currency that is not one, no rate is wrong: that currency is the problem (and
                # formatting it runs its code: a datetime of an odd tzinfo's raises)
                problems.append(InvalidRecord("hourly_rate", f"must be in {currency}"))
            elif self.hourly_rate.amount <= 0:
                problems.append(InvalidRecord("hourly_rate", "must be greater than zero"))
        if self.weekly_limit_hours is not None:
            check_weekly_limit(self.weekly_limit_hours, problems)
        if self.freelancer_fee_rate is not None:
            check_fee_rate(self.freelancer_fee_rate, problems)
        raise_collected(problems)


def check_weekly_limit(value: object, problems: list[InvalidRecord]) -> None:
    """Note in *problems* unless *value* is a weekly limit of hours ``ContractTerms`` takes (0 to 168)."""
    check(problems, "weekly_limit_hours", check_decimal, value, Decimal(0), Decimal(168))


def check_fee_rate(value: object, problems: list[InvalidRecord]) -> None:
    """Note in *problems* unless *value* is a fee rate ``ContractTerms`` takes (0 to 1)."""
    check(problems, "freelancer_fee_rate", check_decimal, value, Decimal(0), Decimal(1))


def check_decimal(value: object, low: Decimal, high: Decimal, *, places: int = 6) -> None:
    """Raise unless *value* is an exact ``Decimal`` between *low* and *high* inclusive."""
    if not isinstance(value, Decimal):
        raise InvalidRecord("", f"must be a Decimal, not {type(value).__name__}")
    exact = parse_amount(value, places)
    if not low <= exact <= high:
        raise InvalidRecord("", f"must be between {low} and {high}, not {value}")
