"""The strategies of single values: instants, money, contract terms, and the samples records draw from."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gigpolicy._contract import ContractKind, ContractTerms
from gigpolicy._money import CURRENCIES, Money

ZONES: Final = (
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=9)),
    timezone(timedelta(hours=-3, minutes=-30)),
    timezone(timedelta(hours=5, minutes=45)),
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-11)),
)
"""The time zones generated instants are expressed in: UTC and fixed whole-minute offsets."""

_CURRENCIES: Final = ("USD", "EUR", "GBP", "JPY", "INR", "KWD")
_EARLIEST: Final = datetime(2016, 7, 1, tzinfo=UTC)
_LATEST: Final = datetime(2030, 12, 31, tzinfo=UTC)
_AFTER_SPAN: Final = timedelta(days=3 * 365)
_MAX_AMOUNT: Final = Decimal(100_000)

_GAPS: Final = st.one_of(
    st.integers(0, 59).map(lambda n: timedelta(minutes=n)),
    st.integers(1, 48).map(lambda n: timedelta(hours=n)),
    st.integers(1, 14).map(lambda n: timedelta(days=n)),
    st.integers(1, 6).map(lambda n: timedelta(weeks=n)),
    st.integers(1, 4).map(lambda n: timedelta(days=30 * n)),  # long enough for a dormancy closure
)


def _texts(samples: Sequence[str]) -> st.SearchStrategy[str]:
    # mostly realistic sentences, sometimes any Unicode, to exercise the JSON round trip
    anything = st.text(min_size=1, max_size=40).filter(lambda text: bool(text.strip()))
    return st.one_of(st.sampled_from(samples), st.sampled_from(samples), anything)


def _check_aware(value: datetime | None, name: str) -> None:
    given: object = value  # a caller without a type checker may pass anything
    if given is not None and (not isinstance(given, datetime) or given.utcoffset() is None):
        raise InvalidArgument(f"{name} must be a timezone-aware datetime, not {value!r}")


def instants(*, after: datetime | None = None, before: datetime | None = None) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants from *after* to *before*, each in one of :data:`ZONES`.

    Args:
        after: The earliest instant (inclusive); 2016-07-01 UTC by default.
        before: The latest instant (inclusive); by default three years after *after*, or the
            end of 2030 when *after* is not given either.

    Returns:
        A strategy of ``datetime`` values, mostly whole seconds, sometimes with microseconds.

    Raises:
        InvalidArgument: if a bound is naive or *before* is earlier than *after*.
    """
    _check_aware(after, "after")
    _check_aware(before, "before")
    low = after if after is not None else _EARLIEST
    default_high = low + _AFTER_SPAN if after is not None else _LATEST
    high = before if before is not None else default_high
    if high < low:
        raise InvalidArgument(f"before={before!r} is earlier than after={after!r}")
    span = (high - low) // timedelta(microseconds=1)
    offsets = st.one_of(
        st.integers(0, span // 1_000_000).map(lambda seconds: seconds * 1_000_000),
        st.integers(0, span),
    )
    return st.builds(
        lambda micros, zone: (low + timedelta(microseconds=micros)).astimezone(zone),
        offsets,
        st.sampled_from(ZONES),
    )


def _units(currency: str, value: Decimal | int | str, *, rounding: Callable[[Decimal], int]) -> int:
    return rounding(Decimal(value).scaleb(CURRENCIES[currency]))


def _of_units(currency: str, units: int) -> Money:
    return Money(amount=Decimal(units).scaleb(-CURRENCIES[currency]), currency=currency)


def money(
    currency: str | None = None,
    *,
    min_value: Decimal | int | str | None = None,
    max_value: Decimal | int | str | None = None,
) -> st.SearchStrategy[Money]:
    """Exact amounts of money, with the currency's number of decimal places.

    Args:
        currency: An ISO 4217 code gigpolicy knows; ``None`` draws one of a few currencies
            with 0, 2 and 3 decimal places.
        min_value: The smallest amount (inclusive); the currency's smallest unit by default.
        max_value: The largest amount (inclusive); 100,000 by default.

    Returns:
        A strategy of :class:`~gigpolicy.Money` values.

    Raises:
        InvalidArgument: for an unknown currency, or bounds that leave no amount.
    """
    if currency is not None and currency not in CURRENCIES:
        raise InvalidArgument(f"{currency!r} is not a currency gigpolicy knows")

    def amounts(code: str) -> st.SearchStrategy[Money]:
        low = 1 if min_value is None else _units(code, min_value, rounding=math.ceil)
        high = _units(code, _MAX_AMOUNT if max_value is None else max_value, rounding=math.floor)
        if high < low:
            raise InvalidArgument(f"no amount of {code} lies between {min_value} and {max_value}")
        return st.integers(low, high).map(lambda units: _of_units(code, units))

    if currency is not None:
        return amounts(currency)
    return st.sampled_from(_CURRENCIES).flatmap(amounts)


@st.composite
def _terms(
    draw: st.DrawFn,
    *,
    kind: ContractKind | None,
    currency: str | None,
    after: datetime | None,
    before: datetime | None,
    marketplaces: Sequence[str | None],
) -> ContractTerms:
    kind = kind if kind is not None else draw(st.sampled_from(list(ContractKind)))
    currency = currency if currency is not None else draw(st.sampled_from(_CURRENCIES))
    hourly_rate: Money | None = None
    weekly_limit_hours: Decimal | None = None
    if kind is ContractKind.HOURLY:
        low, high = (Decimal(3), Decimal(300)) if CURRENCIES[currency] else (Decimal(300), Decimal(30_000))
        hourly_rate = draw(st.none() | money(currency, min_value=low, max_value=high))
        weekly_limit_hours = draw(st.none() | st.integers(5, 60).map(Decimal))
    fee_rates = st.sampled_from(("0.05", "0.1", "0.2", "0.125")).map(Decimal)
    return ContractTerms(
        id=f"c-{draw(st.integers(1, 99_999))}",
        marketplace=draw(st.sampled_from(marketplaces)),
        kind=kind,
        currency=currency,
        client=f"client-{draw(st.integers(1, 9_999))}",
        freelancer=f"fl-{draw(st.integers(1, 9_999))}",
        started_at=draw(instants(after=after, before=before)),
        hourly_rate=hourly_rate,
        weekly_limit_hours=weekly_limit_hours,
        freelancer_fee_rate=draw(st.none() | fee_rates),
    )


def contract_terms(
    kind: ContractKind | None = None,
    *,
    currency: str | None = None,
    started_after: datetime | None = None,
    started_before: datetime | None = None,
    marketplaces: Sequence[str | None] = (None, "upwork"),
) -> st.SearchStrategy[ContractTerms]:
    """Valid contract terms.

    Hourly terms sometimes carry an hourly rate and a weekly limit; any terms sometimes carry
    a per-contract fee rate.

    Args:
        kind: The contract kind; ``None`` draws either.
        currency: The contract's currency; ``None`` draws one of a few.
        started_after: The earliest start (see :func:`instants` for the default).
        started_before: The latest start (see :func:`instants` for the default).
        marketplaces: The ``marketplace`` values to draw from (``None`` leaves it out).

    Returns:
        A strategy of :class:`~gigpolicy.ContractTerms`.

    Raises:
        InvalidArgument: for an unknown currency, naive bounds, or no marketplace to draw.
    """
    if currency is not None and currency not in CURRENCIES:
        raise InvalidArgument(f"{currency!r} is not a currency gigpolicy knows")
    if not marketplaces:
        raise InvalidArgument("marketplaces must not be empty")
    instants(after=started_after, before=started_before)  # checks the bounds now, not at draw time
    return _terms(
        kind=kind, currency=currency, after=started_after, before=started_before, marketplaces=tuple(marketplaces)
    )
