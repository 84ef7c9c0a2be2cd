"""Exact amounts of money in one currency."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Self

import attrs

from gigpolicy._context import DECIMAL
from gigpolicy._trusted import trusted
from gigpolicy.errors import GigPolicyError, InvalidRecord

__all__ = ["CURRENCIES", "MAX_AMOUNT", "CurrencyMismatch", "Money", "describe"]

# ISO 4217 List One, as SIX (the maintenance agency) published it on 2026-01-01:
# https://www.six-group.com/en/products-services/financial-information/data-standards.html
CURRENCIES: Final[dict[str, int]] = {
    "AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2, "AZN": 2, "BAM": 2,
    "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2, "BOB": 2, "BOV": 2, "BRL": 2,
    "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2,
    "CLF": 4, "CLP": 0, "CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0,
    "DKK": 2, "DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2, "GBP": 2,
    "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2,
    "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0,
    "KES": 2, "KGS": 2, "KHR": 2, "KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2,
    "LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2,
    "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2, "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2,
    "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2,
    "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2,
    "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2, "SRD": 2, "SSP": 2,
    "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2, "TRY": 2,
    "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4,
    "UZS": 2, "VED": 2, "VES": 2, "VND": 0, "VUV": 0, "WST": 2, "XAD": 2, "XAF": 0, "XCD": 2, "XCG": 2,
    "XOF": 0, "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2,
}  # fmt: skip
"""Every active ISO 4217 currency code, with its number of decimal places (its minor unit).

The codes of ISO 4217's List One that have a minor unit: national currencies (``JPY`` 0,
``USD`` 2, ``KWD`` 3), the regional ones (``EUR``, ``XOF``, ``XCD``, ``XCG``) and the fund
codes that have one (``CLF`` 4, ``UYW`` 4, ``USN`` 2). Left out are the codes whose minor unit
is "N.A.", which are not money a contract is paid in: precious metals (``XAU``, ``XAG``,
``XPD``, ``XPT``), units of account and bond market units (``XDR``, ``XUA``, ``XSU``, ``XBA`` to
``XBD``), and the testing and no-currency codes (``XTS``, ``XXX``).

``BGN`` is kept although List One dropped it when Bulgaria adopted the euro on 2026-01-01:
records of contracts paid in leva before then still load.
"""

#: The largest magnitude a single amount may have: well inside the exact range of
#: :mod:`decimal`'s default 28 digits, even summed over every event a record may hold
#: (arithmetic does not check it again: a sum of valid amounts is exact).
MAX_AMOUNT: Final = Decimal(10) ** 15

_DECIMAL: Final = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?")
_QUANTS: Final = {places: Decimal(1).scaleb(-places) for places in range(7)}
_SHOWN: Final = 40
"""The most characters of a refused number an error message repeats."""

# Money computes in gigpolicy's own context even when called outside the public functions (the
# context's own methods: a Decimal method given context= parses keywords, three times slower)
_add: Final = DECIMAL.add
_subtract: Final = DECIMAL.subtract
_minus: Final = DECIMAL.minus
_multiply: Final = DECIMAL.multiply
_quantize: Final = DECIMAL.quantize
_HALF_UP: Final = DECIMAL.copy()
_HALF_UP.rounding = ROUND_HALF_UP
_quantize_half_up: Final = _HALF_UP.quantize


_ZEROS: dict[str, Money] = {}


class CurrencyMismatch(GigPolicyError, ValueError):
    """Arithmetic or ordering between amounts of two different currencies."""

    def __init__(self, left: str, right: str) -> None:
        self.currencies = (left, right)
        super().__init__(f"cannot combine {left} with {right}")


def _check_currency(instance: Money, attribute: attrs.Attribute[str], value: object) -> None:
    del instance, attribute
    if not isinstance(value, str) or value not in CURRENCIES:
        raise InvalidRecord("currency", f"{describe(value)} is not an ISO 4217 currency code gigpolicy knows")


def describe(value: object) -> str:
    """*value* as an error message shows it: its ``repr``, cut short, or its type if it has none.

    A caller's value may have no ``repr`` to show (an ``int`` of more digits than Python
    converts to text, an object whose ``__repr__`` raises): the message never fails for it.

    >>> describe("USD"), describe(10**5000), describe("x" * 100)
    ("'USD'", 'an int', "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...")
    """
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - whatever a caller's __repr__ raises, the message stays
        name = type(value).__name__
        return f"an {name}" if name[:1] in "aeiou" else f"a {name}"
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def parse_amount(value: object, places: int | None) -> Decimal:
    """Parse *value* (a ``Decimal``, an ``int`` or a decimal string) exactly.

    Raises:
        InvalidRecord: for floats, booleans, malformed or non-finite numbers, amounts past
            :data:`MAX_AMOUNT`, and more decimal places than *places* (when given).
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidRecord("", f"must be a decimal string or a number, not {_kind(value)}")
    if isinstance(value, str):
        if not _is_plain_decimal(value):
            raise InvalidRecord("", f"{describe(value)} is not a decimal number")
        value = Decimal(value)
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidRecord("", f"{value} is not a finite number")
    # copy_abs and comparisons are exact in any context: no exponent, however large, overflows
    if amount.copy_abs() >= MAX_AMOUNT:
        raise InvalidRecord("", f"{_shown(amount)} is larger than gigpolicy accepts (10^15)")
    if places is not None:
        # below MAX_AMOUNT, at most 22 digits: exact in gigpolicy's context, whatever the caller's
        exact = _quantize(amount, _QUANTS[places])
        if exact != amount:
            raise InvalidRecord("", f"{_shown(amount)} has more than {places} decimal places")
        return exact or exact.copy_abs()  # -0 is 0: written 0.00, as the sums write it
    return amount or amount.copy_abs()


def _shown(amount: Decimal) -> str:
    """*amount* as an error message repeats it: cut short past :data:`_SHOWN` characters."""
    text = str(amount)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _is_plain_decimal(text: str) -> bool:
    return _DECIMAL.fullmatch(text) is not None


def _kind(value: object) -> str:
    names = {bool: "a boolean", float: "a float", type(None): "null", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


@attrs.frozen(order=False)
class Money:
    """An exact amount of one currency.

    ``amount`` always has the currency's number of decimal places. Amounts of different
    currencies are never equal, and adding, subtracting or ordering them raises
    :class:`CurrencyMismatch`.

    >>> Money.of("12.5", "USD")
    Money(amount=Decimal('12.50'), currency='USD')
    >>> Money.of("12.50", "USD") + Money.of(1, "USD")
    Money(amount=Decimal('13.50'), currency='USD')
    >>> Money.of("12.505", "USD")
    Traceback (most recent call last):
    ...
    gigpolicy.errors.InvalidRecord: amount: 12.505 has more than 2 decimal places
    """

    amount: Decimal
    currency: str = attrs.field(validator=_check_currency)

    def __attrs_post_init__(self) -> None:
        try:
            exact = parse_amount(self.amount, CURRENCIES[self.currency])
        except InvalidRecord as error:
            raise error.at("amount") from None
        object.__setattr__(self, "amount", exact)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Self:
        """Build an amount from a decimal string, an ``int`` or a ``Decimal``, exactly.

        Raises:
            InvalidRecord: if the amount is not an exact decimal number within the limits,
                has more decimal places than the currency, or the currency is unknown.
        """
        return cls(amount=amount, currency=currency)  # type: ignore[arg-type]  # validated and converted in __attrs_post_init__

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Return no money at all in *currency*.

        >>> Money.zero("JPY")
        Money(amount=Decimal('0'), currency='JPY')
        """
        zero = _ZEROS.get(currency)
        if zero is None:
            zero = _ZEROS[currency] = Money(amount=Decimal(0), currency=currency)
        return zero  # type: ignore[return-value]  # zeros are plain Money, the only class of amounts handed out

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    # Each operator answers NotImplemented for a value that is not Money, so Python raises the
    # TypeError it raises for any unsupported operand (``Money.of(1, "USD") + 1``).

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return exact_money(_add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return exact_money(_subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return exact_money(_minus(self.amount), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount >= other.amount

    def times(self, rate: Decimal | int) -> Money:
        """Multiply by *rate*, rounding half up to the currency's minor unit.

        Raises:
            InvalidRecord: if the product is not a finite amount below :data:`MAX_AMOUNT`.
            TypeError: if *rate* is not a ``Decimal`` or an ``int``.

        >>> Money.of("0.05", "USD").times(Decimal("0.1"))
        Money(amount=Decimal('0.01'), currency='USD')
        """
        given: object = rate  # a caller without a type checker may pass anything
        if isinstance(given, bool) or not isinstance(given, Decimal | int):
            raise TypeError(f"a rate must be a Decimal or an int, not {type(given).__name__}")
        factor = Decimal(given)
        if not factor.is_finite():
            raise InvalidRecord("rate", f"{factor} is not a finite number")
        try:
            exact = _rounded_product(self.amount, factor, self.currency)
        except ArithmeticError:  # too large to round to the currency's places at all
            raise InvalidRecord(
                "amount", f"{self} times {_shown(factor)} is larger than gigpolicy accepts (10^15)"
            ) from None
        if exact.copy_abs() >= MAX_AMOUNT:
            raise InvalidRecord("amount", f"{_shown(exact)} is larger than gigpolicy accepts (10^15)")
        return exact_money(exact, self.currency)

    def __bool__(self) -> bool:
        """True unless the amount is zero."""
        return bool(self.amount)

    def __str__(self) -> str:
        """Format as ``500.00 USD``."""
        return f"{self.amount} {self.currency}"


def times_amount(amount: Decimal, factor: Decimal, currency: str) -> Decimal | None:
    """*amount* of *currency* times a finite *factor*, rounded half up to the currency's places.

    ``None`` where the product is too large for an amount (:meth:`Money.times` says why).
    """
    try:
        exact = _rounded_product(amount, factor, currency)
    except ArithmeticError:  # a product too large to round to the currency's places at all
        return None
    # finite and rounded to the currency's places: only the bound is left to check
    return None if exact.copy_abs() >= MAX_AMOUNT else exact


def _rounded_product(amount: Decimal, factor: Decimal, currency: str) -> Decimal:
    """*amount* times a finite *factor*, rounded half up to *currency*'s places.

    Raises:
        ArithmeticError: where the product is too large to round to those places at all.
    """
    return _quantize_half_up(_multiply(amount, factor), _QUANTS[CURRENCIES[currency]])


exact_money: Final[Callable[[Decimal, str], Money]] = trusted(Money, "amount", "currency")
"""A Money of an amount already exact in its currency, built without checking it again."""
