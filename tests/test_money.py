"""Money: exact amounts in one currency, and the parsing of amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gigpolicy import CurrencyMismatch, GigPolicyError, InvalidRecord, Money
from gigpolicy._money import CURRENCIES, MAX_AMOUNT, parse_amount, times_amount


class TestOf:
    """Building an amount from a string, an int or a Decimal."""

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("12.5", "12.50"),
            ("12.50", "12.50"),
            ("12.500", "12.50"),
            (12, "12.00"),
            (Decimal("12.5"), "12.50"),
            ("1e3", "1000.00"),
            ("1.5E+1", "15.00"),
            (".5", "0.50"),
            ("5.", "5.00"),
            ("+5", "5.00"),
            ("-5", "-5.00"),
            ("0", "0.00"),
        ],
    )
    def test_amount_has_the_currency_places(self, given: str | int | Decimal, expected: str) -> None:
        """The amount is exact, with exactly the currency's number of decimal places."""
        assert (Decimal(expected), expected) == (Money.of(given, "USD").amount, str(Money.of(given, "USD").amount))

    def test_extra_zero_places_are_fine(self) -> None:
        """The decimal-places check is on the value: ``"12.500"`` is 12.50 USD."""
        assert Money.of("12.50", "USD") == Money.of("12.500", "USD")

    def test_more_places_than_the_currency_is_an_error(self) -> None:
        """``"12.505"`` USD has a third decimal place that is not zero, which is an error."""
        with pytest.raises(InvalidRecord) as caught:
            Money.of("12.505", "USD")
        assert ("amount", "12.505 has more than 2 decimal places") == (caught.value.path, caught.value.problem)

    @pytest.mark.parametrize(
        ("currency", "good", "bad", "expected"),
        [
            ("JPY", "1500", "1500.5", Decimal(1500)),
            ("JPY", "1500.0", "0.1", Decimal(1500)),
            ("KWD", "1.234", "1.2345", Decimal("1.234")),
            ("EUR", "9.99", "9.999", Decimal("9.99")),
        ],
    )
    def test_places_follow_the_currency(self, currency: str, good: str, bad: str, expected: Decimal) -> None:
        """Each currency has its own number of decimal places (0 for JPY, 3 for KWD)."""
        with pytest.raises(InvalidRecord):
            Money.of(bad, currency)
        assert (expected, currency) == (Money.of(good, currency).amount, Money.of(good, currency).currency)

    def test_places_are_from_the_table(self) -> None:
        """A Money's exponent is minus the currency's number of places."""
        assert [-places for places in CURRENCIES.values()] == [
            Money.of(1, code).amount.as_tuple().exponent for code in CURRENCIES
        ]

    def test_unknown_currency(self) -> None:
        """A currency gigpolicy does not know is an error at ``currency``."""
        with pytest.raises(InvalidRecord) as caught:
            Money.of("1.00", "XXX")
        assert ("currency", "'XXX' is not an ISO 4217 currency code gigpolicy knows") == (
            caught.value.path,
            caught.value.problem,
        )

    def test_lowercase_currency_is_unknown(self) -> None:
        """Currency codes are upper case, as ISO 4217 writes them."""
        with pytest.raises(InvalidRecord, match="'usd' is not an ISO 4217"):
            Money.of("1.00", "usd")

    @pytest.mark.parametrize(
        ("given", "kind"),
        [
            (1.5, "a float"),
            (True, "a boolean"),
            (False, "a boolean"),
            (None, "null"),
            ([1], "a list"),
            ({"a": 1}, "an object"),
            (1j, "a complex"),
        ],
    )
    def test_other_types_are_refused(self, given: object, kind: str) -> None:
        """Floats, booleans and other non-decimal types are refused, never converted."""
        with pytest.raises(InvalidRecord) as caught:
            Money.of(given, "USD")  # type: ignore[arg-type]  # the wrong type is the point
        assert ("amount", f"must be a decimal string or a number, not {kind}") == (
            caught.value.path,
            caught.value.problem,
        )

    @pytest.mark.parametrize(
        "given", ["", " 1", "1 ", "1,5", "1.2.3", "abc", "1e", "e5", "NaN", "Infinity", "-inf", "0x10", "\u0661\u0662"]
    )
    def test_malformed_strings_are_refused(self, given: str) -> None:
        """A string that is not a plain ASCII decimal number is refused."""
        with pytest.raises(InvalidRecord) as caught:
            Money.of(given, "USD")
        assert ("amount", f"{given!r} is not a decimal number") == (caught.value.path, caught.value.problem)

    @pytest.mark.parametrize("given", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")])
    def test_non_finite_decimals_are_refused(self, given: Decimal) -> None:
        """A Decimal that is not a finite number is refused."""
        with pytest.raises(InvalidRecord, match="is not a finite number"):
            Money.of(given, "USD")

    def test_largest_amount(self) -> None:
        """The largest amount below 10^15 is accepted."""
        assert Decimal("999999999999999.99") == Money.of("999999999999999.99", "USD").amount

    @pytest.mark.parametrize("given", ["1000000000000000", "-1000000000000000", "1e15", "1e999999", 2 * 10**15])
    def test_amounts_past_the_limit_are_refused(self, given: str | int) -> None:
        """An amount of 10^15 or more in magnitude is refused."""
        with pytest.raises(InvalidRecord) as caught:
            Money.of(given, "USD")
        assert ("amount", "is larger than gigpolicy accepts (10^15)") == (
            caught.value.path,
            caught.value.problem.split(" ", 1)[1],
        )

    def test_sums_past_the_limit_stay_exact(self) -> None:
        """The limit is on single amounts; sums of many stay exact (28 digits hold 100,000 of them)."""
        total = Money.of("999999999999999.99", "USD")
        for _ in range(100_000 - 1):
            total += Money.of("999999999999999.99", "USD")
        assert Decimal("99999999999999999000.00") == total.amount

    def test_direct_construction_checks_too(self) -> None:
        """Building with the constructor runs the same checks as ``of``."""
        with pytest.raises(InvalidRecord, match=r"amount: 0\.001 has more than 2 decimal places"):
            Money(amount=Decimal("0.001"), currency="USD")


class TestZero:
    """No money at all."""

    @pytest.mark.parametrize(("currency", "text"), [("USD", "0.00 USD"), ("JPY", "0 JPY"), ("KWD", "0.000 KWD")])
    def test_zero(self, currency: str, text: str) -> None:
        """Zero has the currency's places and is false."""
        zero = Money.zero(currency)
        assert (text, False, Decimal(0)) == (str(zero), bool(zero), zero.amount)

    @pytest.mark.parametrize("given", ["-0", "-0.00", 0, Decimal("-0"), Decimal("-0E+3")])
    def test_negative_zero_is_zero(self, given: str | int | Decimal) -> None:
        """``-0`` is zero, written without a sign, as sums write it: a record's ``"-0"`` reads as ``"0.00"``."""
        zero = Money.of(given, "USD")
        assert ("0.00 USD", "0.00", Money.zero("USD")) == (str(zero), str(zero.amount), zero)
        assert ("0", "0") == (str(parse_amount("-0", None)), str(parse_amount(Decimal("-0"), None)))

    def test_non_zero_is_true(self) -> None:
        """Any amount but zero is true, negative ones included."""
        assert (True, True) == (bool(Money.of("0.01", "USD")), bool(Money.of("-0.01", "USD")))


class TestArithmetic:
    """Adding, subtracting and negating within one currency."""

    def test_add(self) -> None:
        """Addition is exact."""
        assert Money.of("0.30", "USD") == Money.of("0.10", "USD") + Money.of("0.20", "USD")

    def test_subtract(self) -> None:
        """Subtraction is exact and may go below zero."""
        assert Money.of("-0.10", "USD") == Money.of("0.10", "USD") - Money.of("0.20", "USD")

    def test_negate(self) -> None:
        """Negation flips the sign."""
        assert Money.of("-12.50", "USD") == -Money.of("12.50", "USD")

    def test_add_currency_mismatch(self) -> None:
        """Adding amounts of two currencies raises CurrencyMismatch."""
        usd, eur = Money.of(1, "USD"), Money.of(1, "EUR")
        with pytest.raises(CurrencyMismatch) as caught:
            usd + eur
        assert (("USD", "EUR"), "cannot combine USD with EUR") == (caught.value.currencies, str(caught.value))

    def test_subtract_currency_mismatch(self) -> None:
        """Subtracting an amount of another currency raises CurrencyMismatch."""
        with pytest.raises(CurrencyMismatch, match="cannot combine EUR with USD"):
            Money.of(1, "EUR") - Money.of(1, "USD")

    def test_mismatch_is_a_value_error(self) -> None:
        """CurrencyMismatch is a GigPolicyError and a ValueError."""
        assert (True, True) == (issubclass(CurrencyMismatch, GigPolicyError), issubclass(CurrencyMismatch, ValueError))


class TestComparison:
    """Equality and order."""

    def test_equal_within_a_currency(self) -> None:
        """Equal amounts of one currency are equal and hash alike."""
        first, second = Money.of("5", "USD"), Money.of("5.00", "USD")
        assert (True, hash(first)) == (first == second, hash(second))

    def test_equality_across_currencies_is_false(self) -> None:
        """``==`` between currencies is False, never an error."""
        usd, eur = Money.of("5.00", "USD"), Money.of("5.00", "EUR")
        assert (False, True) == (usd == eur, usd != eur)

    @pytest.mark.parametrize(
        ("left", "right", "expected"),
        [
            ("1.00", "2.00", (True, True, False, False)),
            ("2.00", "2.00", (False, True, False, True)),
            ("3.00", "2.00", (False, False, True, True)),
        ],
    )
    def test_order(self, left: str, right: str, expected: tuple[bool, bool, bool, bool]) -> None:
        """``<``, ``<=``, ``>``, ``>=`` compare the amounts."""
        a, b = Money.of(left, "USD"), Money.of(right, "USD")
        assert expected == (a < b, a <= b, a > b, a >= b)

    @pytest.mark.parametrize("operator", ["<", "<=", ">", ">="])
    def test_order_across_currencies_raises(self, operator: str) -> None:
        """Ordering amounts of two currencies raises CurrencyMismatch."""
        usd, eur = Money.of(1, "USD"), Money.of(2, "EUR")
        comparisons = {
            "<": lambda: usd < eur,
            "<=": lambda: usd <= eur,
            ">": lambda: usd > eur,
            ">=": lambda: usd >= eur,
        }
        with pytest.raises(CurrencyMismatch):
            comparisons[operator]()
        assert ("USD", "EUR") == (usd.currency, eur.currency)


class TestTimes:
    """Multiplying by a rate, rounding half up to the minor unit."""

    @pytest.mark.parametrize(
        ("amount", "rate", "currency", "expected"),
        [
            ("0.05", "0.1", "USD", "0.01"),
            ("0.15", "0.1", "USD", "0.02"),
            ("0.14", "0.1", "USD", "0.01"),
            ("-0.05", "0.1", "USD", "-0.01"),
            ("500.00", "0.2", "USD", "100.00"),
            ("105", "0.1", "JPY", "11"),
            ("104", "0.1", "JPY", "10"),
            ("1.235", "0.5", "KWD", "0.618"),
        ],
    )
    def test_rounds_half_up(self, amount: str, rate: str, currency: str, expected: str) -> None:
        """A half of the minor unit rounds away from zero; anything less rounds down."""
        assert Money.of(expected, currency) == Money.of(amount, currency).times(Decimal(rate))


class TestText:
    """How an amount reads."""

    def test_str(self) -> None:
        """``str`` is the amount then the code."""
        assert "500.00 USD" == str(Money.of(500, "USD"))

    def test_repr(self) -> None:
        """``repr`` shows the exact Decimal."""
        assert "Money(amount=Decimal('12.50'), currency='USD')" == repr(Money.of("12.5", "USD"))


class TestParseAmount:
    """The amount parser shared by Money, decimals and the decoder."""

    def test_without_places_keeps_the_value(self) -> None:
        """With no number of places, the value is returned as written."""
        assert (Decimal("1.23456"), "1.23456") == (parse_amount("1.23456", None), str(parse_amount("1.23456", None)))

    def test_int_and_decimal(self) -> None:
        """Ints and Decimals are accepted as they are."""
        assert (Decimal(7), Decimal("0.5")) == (parse_amount(7, None), parse_amount(Decimal("0.5"), None))

    def test_error_has_no_path(self) -> None:
        """The parser's errors are relative: the caller places them."""
        with pytest.raises(InvalidRecord) as caught:
            parse_amount("1.234", 2)
        assert ("", "1.234 has more than 2 decimal places") == (caught.value.path, caught.value.problem)

    def test_limit(self) -> None:
        """The limit is 10^15."""
        assert Decimal(10) ** 15 == MAX_AMOUNT


@pytest.mark.parametrize("factor", [Decimal("1e30"), Decimal(2)])
def test_a_product_past_the_bound_is_no_amount(factor: Decimal) -> None:
    """``times_amount`` gives no amount where ``Money.times`` refuses one: a product too large to round, or past 10^15.

    A fee's fold asks ``times_amount`` first, then ``Money.times`` to say what is wrong.
    """
    largest = Decimal("999999999999999.99")
    assert times_amount(largest, factor, "USD") is None
    with pytest.raises(InvalidRecord, match=r"is larger than gigpolicy accepts \(10\^15\)"):
        Money.of(largest, "USD").times(factor)
    assert "1.00" == str(times_amount(Decimal("10.00"), Decimal("0.1"), "USD"))  # to the cent
