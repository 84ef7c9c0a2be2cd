"""The currency table: every active ISO 4217 code with its minor unit, used alike everywhere."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

import gigpolicy
from gigpolicy import InvalidRecord, Money
from gigpolicy._money import CURRENCIES
from gigpolicy._schema import schema


def _record(currency: str, amount: str) -> str:
    """A record of one funded milestone of *amount* in *currency*."""
    return json.dumps(
        {
            "format": "gigpolicy/1",
            "contract": {
                "id": "c-1",
                "kind": "fixed_price",
                "currency": currency,
                "client": "client",
                "freelancer": "freelancer",
                "started_at": "2026-11-02T09:00:00Z",
            },
            "events": [{"type": "milestone_funded", "at": "2026-11-02T10:00:00Z", "milestone": "m1", "amount": amount}],
        }
    )


class TestTable:
    """The codes and their number of decimal places, as ISO 4217's List One has them."""

    @pytest.mark.parametrize(
        ("code", "places"),
        [
            ("LKR", 2),
            ("NPR", 2),
            ("GHS", 2),
            ("USD", 2),
            ("EUR", 2),
            ("JPY", 0),
            ("ISK", 0),
            ("KRW", 0),
            ("XOF", 0),
            ("UYI", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("IQD", 3),
            ("LYD", 3),
            ("CLF", 4),
            ("UYW", 4),
        ],
    )
    def test_places(self, code: str, places: int) -> None:
        """Each code has the minor unit ISO 4217 gives it."""
        assert places == CURRENCIES[code]

    def test_the_whole_list(self) -> None:
        """The table holds at least 150 codes, each three capitals, each with 0, 2, 3 or 4 places."""
        assert len(CURRENCIES) >= 150
        assert [] == [code for code in CURRENCIES if re.fullmatch("[A-Z]{3}", code) is None]
        assert {0, 2, 3, 4} == set(CURRENCIES.values())

    @pytest.mark.parametrize("code", ["XAU", "XAG", "XPD", "XPT", "XDR", "XUA", "XSU", "XBA", "XTS", "XXX"])
    def test_codes_without_a_minor_unit_are_left_out(self, code: str) -> None:
        """Metals, units of account, testing and no-currency codes (minor unit "N.A.") are unknown."""
        assert code not in CURRENCIES

    def test_sorted(self) -> None:
        """The table is written in alphabetical order, so a reader finds a code and a diff shows one."""
        assert sorted(CURRENCIES) == list(CURRENCIES)


class TestMoney:
    """Amounts follow the table."""

    def test_three_places(self) -> None:
        """An amount of Kuwaiti dinars has three decimal places."""
        assert Decimal("1.234") == Money.of("1.234", "KWD").amount

    def test_no_places(self) -> None:
        """An amount of yen with a fraction is refused."""
        with pytest.raises(InvalidRecord, match="more than 0 decimal places"):
            Money.of("1.5", "JPY")

    @pytest.mark.parametrize(("code", "amount"), [("LKR", "1500.25"), ("CLF", "12.3456"), ("GHS", "7")])
    def test_a_record_in_a_newly_known_currency_loads(self, code: str, amount: str) -> None:
        """A record in any code of the table loads, with the amount in the currency's places."""
        record = gigpolicy.loads(_record(code, amount))
        places = Decimal(1).scaleb(-CURRENCIES[code])
        assert [Money(amount=Decimal(amount).quantize(places), currency=code)] == [
            event.amount  # type: ignore[attr-defined]  # the one event is a MilestoneFunded
            for event in record.events
        ]

    def test_a_record_with_too_many_places_is_refused(self) -> None:
        """A record's amount with more places than its currency has is an error at the amount."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.loads(_record("CLF", "1.23456"))
        assert "events[0].amount: 1.23456 has more than 4 decimal places" == str(caught.value)


class TestSchema:
    """The JSON Schema lists the same codes as the table."""

    def test_enum(self) -> None:
        """The schema's currency enum is every code of the table, sorted."""
        defs = schema()["$defs"]
        assert isinstance(defs, dict)
        assert {"description": "An ISO 4217 currency code that gigpolicy knows.", "enum": sorted(CURRENCIES)} == defs[
            "Currency"
        ]
