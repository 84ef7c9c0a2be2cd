"""Parties, kinds, statuses and the contract terms with their checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import pytest
from tests.records import START, paths, terms

from gigpolicy import ContractKind, ContractStatus, InvalidRecord, InvalidRecordGroup, Money, Party
from gigpolicy._contract import MAX_COMMENT, MAX_TEXT, check, check_decimal, check_text


class _RaisingZone(tzinfo):
    """A zone whose offset raises: ``str`` of a datetime in it raises too."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        message = "no offset today"
        raise RuntimeError(message)

    def dst(self, dt: datetime | None) -> None:
        del dt

    def tzname(self, dt: datetime | None) -> str:
        del dt
        return "RAISING"


class TestEnums:
    """The closed sets and their wire values."""

    def test_party_values(self) -> None:
        """Parties are ``client`` and ``freelancer``."""
        assert ["client", "freelancer"] == [party.value for party in Party]

    def test_other_party(self) -> None:
        """Each party's other is the opposite side."""
        assert (Party.FREELANCER, Party.CLIENT) == (Party.CLIENT.other, Party.FREELANCER.other)

    def test_kind_values(self) -> None:
        """Kinds are ``fixed_price`` and ``hourly``."""
        assert ["fixed_price", "hourly"] == [kind.value for kind in ContractKind]

    def test_status_values(self) -> None:
        """Statuses are ``active``, ``paused`` and ``ended``."""
        assert ["active", "paused", "ended"] == [status.value for status in ContractStatus]


class TestContractTerms:
    """The terms check every field when built."""

    def test_valid_terms(self) -> None:
        """Valid terms keep their values; optional fields default to None."""
        built = terms()
        assert ("c-1", "USD", START, None, None, None, None) == (
            built.id,
            built.currency,
            built.started_at,
            built.marketplace,
            built.hourly_rate,
            built.weekly_limit_hours,
            built.freelancer_fee_rate,
        )

    def test_all_optional_fields(self) -> None:
        """Every optional field accepts a valid value."""
        built = terms(
            ContractKind.HOURLY,
            marketplace="upwork",
            hourly_rate=Money.of("40", "USD"),
            weekly_limit_hours=Decimal(40),
            freelancer_fee_rate=Decimal("0.1"),
        )
        assert ("upwork", Money.of(40, "USD"), Decimal(40), Decimal("0.1")) == (
            built.marketplace,
            built.hourly_rate,
            built.weekly_limit_hours,
            built.freelancer_fee_rate,
        )

    @pytest.mark.parametrize(
        ("changes", "path", "problem"),
        [
            ({"id": 5}, "id", "must be a string, not int"),
            ({"id": "   "}, "id", "must not be empty"),
            ({"id": "x" * (MAX_TEXT + 1)}, "id", f"is longer than {MAX_TEXT} characters"),
            ({"client": None}, "client", "must be a string, not NoneType"),
            ({"freelancer": ""}, "freelancer", "must not be empty"),
            ({"marketplace": ""}, "marketplace", "must not be empty"),
            ({"kind": "fixed_price"}, "kind", "must be a ContractKind"),
            ({"currency": "XXX"}, "currency", "'XXX' is not an ISO 4217 code gigpolicy knows"),
            ({"started_at": datetime(2026, 11, 2)}, "started_at", "must be timezone-aware (it has no UTC offset)"),  # noqa: DTZ001 - the point
            ({"started_at": "2026-11-02T15:00:00Z"}, "started_at", "must be a datetime, not str"),
            ({"freelancer": "client-42"}, "freelancer", "must differ from the client"),
            ({"hourly_rate": Decimal(40)}, "hourly_rate", "must be Money"),
            ({"hourly_rate": Money.of(40, "EUR")}, "hourly_rate", "must be in USD"),
            ({"hourly_rate": Money.zero("USD")}, "hourly_rate", "must be greater than zero"),
            ({"hourly_rate": Money.of(-1, "USD")}, "hourly_rate", "must be greater than zero"),
            ({"weekly_limit_hours": 40}, "weekly_limit_hours", "must be a Decimal, not int"),
            ({"weekly_limit_hours": Decimal(169)}, "weekly_limit_hours", "must be between 0 and 168, not 169"),
            ({"weekly_limit_hours": Decimal(-1)}, "weekly_limit_hours", "must be between 0 and 168, not -1"),
            (
                {"weekly_limit_hours": Decimal("1.0000001")},
                "weekly_limit_hours",
                "1.0000001 has more than 6 decimal places",
            ),
            ({"freelancer_fee_rate": Decimal("1.5")}, "freelancer_fee_rate", "must be between 0 and 1, not 1.5"),
            ({"freelancer_fee_rate": Decimal("NaN")}, "freelancer_fee_rate", "NaN is not a finite number"),
        ],
    )
    def test_one_problem(self, changes: dict[str, Any], path: str, problem: str) -> None:
        """A single bad field raises one InvalidRecord that names it."""
        with pytest.raises(InvalidRecord) as caught:
            terms(**changes)
        assert (path, problem, False) == (
            caught.value.path,
            caught.value.problem,
            isinstance(caught.value, InvalidRecordGroup),
        )

    @pytest.mark.parametrize(
        ("changes", "value"),
        [
            ({"weekly_limit_hours": Decimal(0)}, Decimal(0)),
            ({"weekly_limit_hours": Decimal(168)}, Decimal(168)),
            ({"freelancer_fee_rate": Decimal(0)}, Decimal(0)),
            ({"freelancer_fee_rate": Decimal(1)}, Decimal(1)),
        ],
    )
    def test_bounds_are_inclusive(self, changes: dict[str, Any], value: Decimal) -> None:
        """The limits of hours (0-168) and of the fee rate (0-1) are allowed values."""
        built = terms(**changes)
        (name,) = changes
        assert value == getattr(built, name)

    def test_several_problems_are_reported_together(self) -> None:
        """Every bad field is named, in one InvalidRecordGroup."""
        bad: dict[str, Any] = {
            "id": "",
            "kind": "hourly",
            "currency": "usd",
            "started_at": datetime(2026, 11, 2),  # noqa: DTZ001 - the point
            "freelancer": "client-42",
            "weekly_limit_hours": Decimal(200),
        }
        with pytest.raises(InvalidRecordGroup) as caught:
            terms(**bad)
        assert ["id", "kind", "currency", "started_at", "freelancer", "weekly_limit_hours"] == paths(caught.value)

    def test_a_rate_is_not_judged_against_a_currency_that_is_not_one(self) -> None:
        """An hourly rate is checked against a known currency only: the unknown one is the problem.

        Formatting the value given as the currency would run its code: a datetime whose zone
        raises, say, which once escaped as that zone's own error.
        """
        odd = datetime(2026, 11, 2, tzinfo=_RaisingZone())
        with pytest.raises(InvalidRecord) as caught:
            terms(currency=odd, hourly_rate=Money.of(40, "USD"))
        assert ("currency", False) == (caught.value.path, isinstance(caught.value, InvalidRecordGroup))
        with pytest.raises(InvalidRecord) as caught:
            terms(currency="usd", hourly_rate=Money.of(40, "USD"))
        assert ["currency"] == paths(caught.value)

    def test_terms_are_frozen(self) -> None:
        """Terms cannot be changed once built."""
        built = terms()
        with pytest.raises(AttributeError):
            built.id = "other"  # type: ignore[misc]  # frozen is the point
        assert "c-1" == built.id

    def test_aware_start_in_any_offset(self) -> None:
        """Any timezone-aware start is accepted."""
        assert START == terms(started_at=datetime(2026, 11, 2, 15, tzinfo=UTC)).started_at


class TestCheckText:
    """The shared check of identifiers, reasons and comments."""

    def test_good_text_adds_nothing(self) -> None:
        """A non-empty string within the limit is fine."""
        problems: list[InvalidRecord] = []
        check_text("fine", "name", problems)
        assert [] == problems

    def test_custom_limit(self) -> None:
        """The limit can be raised, as it is for comments."""
        problems: list[InvalidRecord] = []
        check_text("x" * MAX_COMMENT, "comment", problems, limit=MAX_COMMENT)
        check_text("x" * (MAX_COMMENT + 1), "comment", problems, limit=MAX_COMMENT)
        assert [("comment", f"is longer than {MAX_COMMENT} characters")] == [(p.path, p.problem) for p in problems]


class TestCheckDecimal:
    """The shared check of decimal quantities."""

    def test_in_range(self) -> None:
        """A Decimal within the range passes silently."""
        problems: list[InvalidRecord] = []
        check(problems, "rate", check_decimal, Decimal("2.5"), Decimal(0), Decimal(5))
        assert [] == problems

    def test_check_places_the_problem(self) -> None:
        """``check`` collects the raised problem under the given path."""
        problems: list[InvalidRecord] = []
        check(problems, "rate", check_decimal, Decimal(6), Decimal(0), Decimal(5))
        assert [("rate", "must be between 0 and 5, not 6")] == [(p.path, p.problem) for p in problems]

    def test_places(self) -> None:
        """More places than allowed is an error."""
        with pytest.raises(InvalidRecord, match="has more than 2 decimal places"):
            check_decimal(Decimal("2.555"), Decimal(0), Decimal(5), places=2)
