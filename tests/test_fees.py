"""Fee schedules, and what a contract's payments earn the freelancer after fees and refunds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fees_reference import reference_fees
from tests.records import (
    bill,
    bonus,
    day,
    dispute_hours,
    end,
    fixed,
    fund,
    hourly,
    refund,
    release,
    resolve,
    terms,
    usd,
    week,
)

from gigpolicy import (
    ContractKind,
    ContractRecord,
    ContractTerms,
    Earnings,
    Event,
    FeeSchedule,
    FlatFee,
    InvalidRecord,
    MinimumFee,
    Money,
    PerContractFee,
    Policy,
    TieredFee,
    evaluate,
    get_policy,
)
from gigpolicy.policies.upwork import VERSIONS
from gigpolicy.testing import records

V2016, _, _, _, V2023_12, V2025_05 = VERSIONS
UPWORK_2016 = V2016.fees
ZERO = usd(0)


def earned(record: ContractRecord, at: datetime, policy: Policy | str | None = None) -> Earnings:
    """The earnings of *record* at *at*."""
    return evaluate(record, at=at, policy=policy, questions=()).earnings


def triple(gross: str, fee: str, net: str) -> Earnings:
    """Earnings in USD."""
    return Earnings(gross=usd(gross), service_fee=usd(fee), net=usd(net))


def utc(year: int, month: int, on: int) -> datetime:
    """Midnight UTC."""
    return datetime(year, month, on, tzinfo=UTC)


def dated(started: datetime, *events: Event) -> ContractRecord:
    """A fixed-price USD record started at *started*."""
    return ContractRecord(contract=terms(started_at=started), events=events)


class TestFlatFee:
    """One rate on every payment, rounded half up."""

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("100.00", "10.00"), ("12.35", "1.24"), ("12.34", "1.23"), ("0.05", "0.01"), ("0.04", "0.00")],
    )
    def test_ten_percent(self, amount: str, expected: str) -> None:
        """Ten percent, each payment rounded half up to the cent."""
        assert usd(expected) == FlatFee(rate=Decimal("0.10")).fee(usd(amount), billed_before=ZERO, terms=None)

    def test_ignores_billings(self) -> None:
        """What was billed before does not matter."""
        assert usd(10) == FlatFee(rate=Decimal("0.10")).fee(usd(100), billed_before=usd(50_000), terms=None)

    def test_zero_decimal_currency(self) -> None:
        """Yen round to whole yen."""
        assert Money.of(105, "JPY") == FlatFee(rate=Decimal("0.10")).fee(
            Money.of(1045, "JPY"), billed_before=Money.zero("JPY"), terms=None
        )


class TestTieredFee:
    """Upwork's 2016 schedule: 20% to $500 billed, 10% to $10,000, 5% above."""

    @pytest.mark.parametrize(
        ("amount", "before", "expected"),
        [
            ("500.00", "0", "100.00"),
            ("100.00", "0", "20.00"),
            ("600.00", "0", "110.00"),
            ("100.00", "500.00", "10.00"),
            ("200.00", "9900.00", "15.00"),
            ("1000.00", "10000.00", "50.00"),
            ("20000.00", "0", "1550.00"),
            ("0.03", "0", "0.01"),
            ("0.02", "0", "0.00"),
            ("0.01", "499.99", "0.00"),
        ],
    )
    def test_2016_schedule(self, amount: str, before: str, expected: str) -> None:
        """A payment spanning tiers pays each tier's rate on its part, rounded once."""
        assert usd(expected) == UPWORK_2016.fee(usd(amount), billed_before=usd(before), terms=None)

    def test_without_an_open_tier(self) -> None:
        """Schedules whose last tier has a limit charge nothing beyond it."""
        capped = TieredFee(tiers=((Decimal(500), Decimal("0.20")),))
        assert usd(100) == capped.fee(usd(600), billed_before=ZERO, terms=None)
        assert ZERO == capped.fee(usd(100), billed_before=usd(500), terms=None)


class TestMinimumFee:
    """A rate with a minimum on fixed-price payments, the rate alone on hourly ones."""

    SCHEDULE = MinimumFee(rate=Decimal("0.10"), minimum=Decimal(5))

    @pytest.mark.parametrize(("amount", "expected"), [("100.00", "10.00"), ("20.00", "5.00"), ("3.00", "3.00")])
    def test_fixed_price(self, amount: str, expected: str) -> None:
        """The greater of 10% and $5, never more than the payment."""
        assert usd(expected) == self.SCHEDULE.fee(usd(amount), billed_before=ZERO, terms=terms())

    def test_hourly(self) -> None:
        """Hourly payments pay the rate alone."""
        assert usd(2) == self.SCHEDULE.fee(usd(20), billed_before=ZERO, terms=terms(ContractKind.HOURLY))

    def test_without_terms(self) -> None:
        """Without terms, the rate alone."""
        assert usd(2) == self.SCHEDULE.fee(usd(20), billed_before=ZERO, terms=None)


class TestPerContractFee:
    """The contract's own fee rate, else a default schedule."""

    SCHEDULE = PerContractFee(default=FlatFee(rate=Decimal("0.10")))

    def test_contract_rate(self) -> None:
        """A contract with ``freelancer_fee_rate`` pays that rate."""
        own = terms(freelancer_fee_rate=Decimal("0.125"))
        assert usd("12.50") == self.SCHEDULE.fee(usd(100), billed_before=ZERO, terms=own)

    def test_default(self) -> None:
        """Without a rate on the contract, or without terms, the default applies."""
        assert usd(10) == self.SCHEDULE.fee(usd(100), billed_before=ZERO, terms=terms())
        assert usd(10) == self.SCHEDULE.fee(usd(100), billed_before=ZERO, terms=None)

    def test_assumes_the_default_without_a_rate(self) -> None:
        """A contract under per-contract fees that gives no rate is charged the default, and that is said."""
        assert (
            (
                "The record gives no freelancer_fee_rate for a contract whose fee is set per contract; "
                "the default rate of 10% was assumed."
            ),
        ) == self.SCHEDULE.assumptions(terms())
        assert () == self.SCHEDULE.assumptions(terms(freelancer_fee_rate=Decimal("0.12")))
        tiered = PerContractFee(default=UPWORK_2016)
        assert tiered.assumptions(terms())[0].endswith("the default schedule was assumed.")


class TestUpworkFeesFromMay2025:
    """From 2025-05-01 Upwork's fee is the contract's own, 0-15%, fixed when the contract starts."""

    SCHEDULE = V2025_05.fees

    def test_started_before_stays_at_ten_percent(self) -> None:
        """A contract started the day before keeps 10% whatever rate its record gives, and says the rate was unused."""
        before = terms(started_at=utc(2025, 4, 30), freelancer_fee_rate=Decimal("0.15"))
        assert usd(10) == self.SCHEDULE.fee(usd(100), billed_before=ZERO, terms=before)
        assert isinstance(self.SCHEDULE, PerContractFee)
        assert (
            (
                "The record's freelancer_fee_rate (15%) was not charged: the contract started before 2025-05-01, when "
                "per-contract fees began, and keeps the default rate of 10%."
            ),
        ) == self.SCHEDULE.assumptions(before)
        assert () == self.SCHEDULE.assumptions(terms(started_at=utc(2025, 4, 30)))

    def test_started_on_the_day_pays_its_rate(self) -> None:
        """A contract started at 00:00 UTC on 2025-05-01 pays its own rate."""
        on = terms(started_at=utc(2025, 5, 1), freelancer_fee_rate=Decimal("0.15"))
        assert usd(15) == self.SCHEDULE.fee(usd(100), billed_before=ZERO, terms=on)

    def test_start_is_read_in_utc(self) -> None:
        """23:30 on 2025-04-30 at -01:00 is 00:30 UTC on 2025-05-01: the new schedule."""
        late = datetime(2025, 4, 30, 23, 30, tzinfo=timezone(-timedelta(hours=1)))
        assert usd(5) == self.SCHEDULE.fee(
            usd(100), billed_before=ZERO, terms=terms(started_at=late, freelancer_fee_rate=Decimal("0.05"))
        )

    def test_no_rate_is_ten_percent_assumed(self) -> None:
        """Without a rate, 10%, and the earnings say it was assumed."""
        record = dated(utc(2026, 1, 5), fund(utc(2026, 1, 5), amount="100.00"), release(utc(2026, 1, 6), "100.00"))
        found = earned(record, utc(2026, 2, 1))
        assert (usd("10.00"), 1) == (found.service_fee, len(found.assumptions))
        assert "freelancer_fee_rate" in found.assumptions[0]

    def test_a_rate_above_the_maximum_is_capped_and_said(self) -> None:
        """A record's 20% is charged at the 15% maximum, and the assumption says so."""
        record = ContractRecord(
            contract=terms(started_at=utc(2026, 1, 5), freelancer_fee_rate=Decimal("0.2")),
            events=(fund(utc(2026, 1, 5), amount="100.00"), release(utc(2026, 1, 6), "100.00")),
        )
        found = earned(record, utc(2026, 2, 1))
        assert usd("15.00") == found.service_fee
        assert (
            "The record's freelancer_fee_rate (20%) is above the 15% this schedule charges at most; 15% was charged.",
        ) == found.assumptions

    def test_payments_across_the_change_for_an_old_contract(self) -> None:
        """A contract started in 2024 pays 10% before and after 2025-05-01, with its rate ignored."""
        record = ContractRecord(
            contract=terms(started_at=utc(2024, 6, 3), freelancer_fee_rate=Decimal("0.03")),
            events=(
                fund(utc(2024, 6, 3), amount="200.00"),
                release(utc(2025, 4, 30), "100.00"),
                release(utc(2025, 5, 2), "100.00"),
            ),
        )
        found = earned(record, utc(2025, 6, 1))
        assert triple("200.00", "20.00", "180.00") == attrs.evolve(found, assumptions=())
        assert "(3%) was not charged" in found.assumptions[0]

    @given(rate=st.decimals(min_value=0, max_value=1, places=4), cents=st.integers(min_value=1, max_value=10**9))
    def test_never_above_fifteen_percent(self, rate: Decimal, cents: int) -> None:
        """Rule: under 2025-05-01 "the freelancer fee is set per contract between 0% and 15%".

        So the fee on any payment is at most 15% of it (rounded half up to the cent).
        """
        amount = Money(amount=Decimal(cents).scaleb(-2), currency="USD")
        contract = terms(started_at=utc(2026, 1, 5), freelancer_fee_rate=rate)
        fee = self.SCHEDULE.fee(amount, billed_before=ZERO, terms=contract)
        assert fee <= amount.times(Decimal("0.15"))


PAID_TWICE = (fund(day(0), amount="1000.00"), release(day(1)), release(day(2)))
"""Two $500 releases: 20% on the first ($100), 10% on the second ($50) under the 2016 tiers."""


class TestEarnings:
    """Fees per payment, returned with refunds newest first, and ``gross == net_paid``."""

    def test_nothing_paid(self) -> None:
        """No payment, no fee."""
        assert triple("0", "0", "0") == earned(fixed(fund(day(0)), end(day(1))), day(2), V2023_12)

    def test_2016_tiers_over_billings(self) -> None:
        """The second $500 is charged 10% because $500 was billed before it."""
        assert triple("1000.00", "150.00", "850.00") == earned(fixed(*PAID_TWICE), day(3), V2016)

    def test_flat_2023(self) -> None:
        """Under the flat fee both pay 10%."""
        assert triple("1000.00", "100.00", "900.00") == earned(fixed(*PAID_TWICE), day(3), V2023_12)

    def test_bonus_is_charged(self) -> None:
        """Bonuses are payments too."""
        assert triple("50.00", "5.00", "45.00") == earned(fixed(bonus(day(1))), day(2), V2023_12)

    def test_refund_returns_the_newest_payments_fee(self) -> None:
        """A $300 refund comes out of the second payment and returns 10% of it."""
        record = fixed(*PAID_TWICE, refund(day(3), amount="300.00"))
        assert triple("700.00", "120.00", "580.00") == earned(record, day(4), V2016)

    def test_refund_spanning_payments(self) -> None:
        """A $600 refund returns all of the second payment's fee and 20% on $100 of the first."""
        record = fixed(*PAID_TWICE, refund(day(3), amount="600.00"))
        assert triple("400.00", "80.00", "320.00") == earned(record, day(4), V2016)

    def test_full_refund_returns_every_fee(self) -> None:
        """Refunding everything returns every fee."""
        record = fixed(*PAID_TWICE, refund(day(3), amount="1000.00"))
        assert triple("0.00", "0.00", "0.00") == earned(record, day(4), V2016)

    def test_two_refunds(self) -> None:
        """Refunds come out of what the earlier ones left, newest first."""
        record = fixed(*PAID_TWICE, refund(day(3), amount="500.00"), refund(day(4), amount="250.00"))
        assert triple("250.00", "50.00", "200.00") == earned(record, day(5), V2016)

    def test_partial_refund_rounds_half_up(self) -> None:
        """The fee returned on a part of a payment is rounded half up."""
        record = fixed(fund(day(0), amount="100.00"), release(day(1), amount="100.00"), refund(day(2), amount="33.35"))
        assert triple("66.65", "6.66", "59.99") == earned(record, day(3), V2023_12)

    def test_refund_lowers_billings(self) -> None:
        """After a full refund the next payment starts again in the 20% tier."""
        record = fixed(
            fund(day(0), amount="1000.00"), release(day(1)), refund(day(2), amount="500.00"), release(day(3))
        )
        assert triple("500.00", "100.00", "400.00") == earned(record, day(4), V2016)

    def test_disputed_hours_return_their_weeks_fee(self) -> None:
        """Disputing a week takes its invoice and its fee out; a split pays the fee on the award."""
        two_weeks = (bill(day(6, hours=21)), bill(day(13, hours=21), ending=week(2)))
        disputed = hourly(*two_weeks, dispute_hours(day(14)))
        assert triple("400.00", "40.00", "360.00") == earned(disputed, day(15), V2023_12)
        settled = hourly(*two_weeks, dispute_hours(day(14)), resolve(day(16), "100.00", "300.00"))
        assert triple("500.00", "50.00", "450.00") == earned(settled, day(17), V2023_12)

    def test_disputed_week_already_refunded(self) -> None:
        """A refund charged to a week that is then disputed falls on the other payments."""
        record = hourly(
            bill(day(6, hours=21)),
            bill(day(13, hours=21), ending=week(2)),
            refund(day(14), amount="400.00"),
            dispute_hours(day(15), ending=week(2)),
        )
        assert triple("0.00", "0.00", "0.00") == earned(record, day(16), V2023_12)

    def test_policy_object_applies_to_every_payment(self) -> None:
        """A Policy passed in charges its own schedule on all payments, whatever their dates."""
        record = dated(
            utc(2023, 4, 1),
            fund(utc(2023, 4, 1), amount="21000.00"),
            release(utc(2023, 5, 2), amount="1000.00"),
            release(utc(2023, 5, 3), amount="20000.00"),
        )
        assert usd("1600.00") == earned(record, utc(2023, 6, 1), V2016).service_fee
        assert usd("2100.00") == earned(record, utc(2023, 6, 1), V2023_12).service_fee

    @pytest.mark.parametrize("policy", [None, "upwork"])
    def test_by_name_each_payment_under_its_version(self, policy: str | None) -> None:
        """By name, a payment on 2023-05-02 is tiered (150) and one on 2023-05-03 flat (2,000)."""
        record = dated(
            utc(2023, 4, 1),
            fund(utc(2023, 4, 1), amount="21000.00"),
            release(utc(2023, 5, 2), amount="1000.00"),
            release(utc(2023, 5, 3), amount="20000.00"),
        )
        assert triple("21000.00", "2150.00", "18850.00") == earned(record, utc(2023, 6, 1), policy)

    def test_pinned_name_applies_to_every_payment(self) -> None:
        """A pinned name is one version: its schedule for all payments."""
        record = dated(
            utc(2023, 4, 1),
            fund(utc(2023, 4, 1), amount="21000.00"),
            release(utc(2023, 5, 2), amount="1000.00"),
            release(utc(2023, 5, 3), amount="20000.00"),
        )
        assert usd("2100.00") == earned(record, utc(2023, 6, 1), "upwork@2023-12-05").service_fee

    def test_payment_before_the_first_version(self) -> None:
        """A payment before 2016-06-21 is charged under the first version's schedule."""
        record = dated(utc(2016, 1, 1), fund(utc(2016, 1, 1), amount="600.00"), release(utc(2016, 3, 1), "600.00"))
        assert triple("600.00", "110.00", "490.00") == earned(record, utc(2016, 7, 1))

    def test_minimum_fee_policy(self) -> None:
        """An evolved policy with a minimum fee charges $5 on a $20 release."""
        minimum = attrs.evolve(V2023_12, fees=MinimumFee(rate=Decimal("0.10"), minimum=Decimal(5)))
        record = fixed(fund(day(0), amount="20.00"), release(day(1), amount="20.00"))
        assert triple("20.00", "5.00", "15.00") == earned(record, day(2), minimum)

    def test_per_contract_fee_policy(self) -> None:
        """An evolved policy with per-contract fees charges the contract's own rate."""
        own = attrs.evolve(V2023_12, fees=PerContractFee(default=FlatFee(rate=Decimal("0.10"))))
        record = ContractRecord(
            contract=terms(freelancer_fee_rate=Decimal("0.05")),
            events=(fund(day(0), amount="100.00"), release(day(1), amount="100.00")),
        )
        assert triple("100.00", "5.00", "95.00") == earned(record, day(2), own)

    def test_a_schedule_of_ones_own_says_what_it_assumes(self) -> None:
        """A user's schedule with ``assumptions`` is asked what it assumes; a sentence said twice is kept once."""
        own = _Explained()
        record = fixed(fund(day(0), amount="20.00"), release(day(1), amount="20.00"))
        found = earned(record, day(2), attrs.evolve(V2023_12, fees=own))
        assert (triple("20.00", "1.00", "19.00"), (_Explained.SAID,)) == (
            attrs.evolve(found, assumptions=()),
            found.assumptions,
        )


_SCHEDULES = [
    V2016.fees,
    V2023_12.fees,
    V2025_05.fees,
    FlatFee(rate=Decimal("1.5")),  # more than the payment: the fee is the payment
    MinimumFee(rate=Decimal("0.10"), minimum=Decimal("5.00")),
    PerContractFee(default=FlatFee(rate=Decimal("0.125"))),
    PerContractFee(default=TieredFee(tiers=((Decimal(50), Decimal("0.2")), (None, Decimal("0.05"))))),
    PerContractFee(default=FlatFee(rate=Decimal("0.07")), maximum=Decimal("0.09")),
]


class TestFeesOnPlainAmounts:
    """The fold charges on plain Decimals what the same fold on ``Money`` charges (``tests/fees_reference.py``)."""

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(
        record=records(max_events=16, marketplaces=(None,)),
        schedule=st.sampled_from(_SCHEDULES),
        rate=st.none() | st.decimals(min_value=0, max_value=Decimal("0.3"), places=3),
        later=st.integers(min_value=0, max_value=60),
    )
    def test_the_same_fee_digit_for_digit(
        self, record: ContractRecord, schedule: FeeSchedule, rate: Decimal | None, later: int
    ) -> None:
        """Every schedule, built-in rates taken in line or not: the same service fee, exponent included.

        The rule: the fold on plain amounts is the fold on Money, refunds and disputed hours
        giving fees back, to the digit (``1.20`` stays ``1.20``, ``0`` stays ``0``).
        """
        record, at = _with_rate(record, rate, later)
        report = evaluate(record, at=at, policy=attrs.evolve(V2023_12, fees=schedule), questions=())
        expected = reference_fees(report.state, record.contract, lambda _: schedule)
        assert _shown(expected, report.state.net_paid) == _given(report.earnings)

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(
        record=records(max_events=16, marketplaces=(None,)),
        rate=st.none() | st.decimals(min_value=0, max_value=Decimal("0.3"), places=3),
        later=st.integers(min_value=0, max_value=60),
        twice=st.booleans(),
    )
    def test_each_payment_under_its_version(
        self, record: ContractRecord, rate: Decimal | None, later: int, twice: bool
    ) -> None:
        """By name, each payment is charged under the version in force when it was made, as on Money.

        The rule holds for charges carried from the call before (*twice*: the same record judged
        a day earlier first, whose charges the second call goes on from) as for charges made afresh.
        """
        record, at = _with_rate(record, rate, later)
        if twice:
            evaluate(record, at=at - timedelta(days=1), policy="upwork", questions=())
        report = evaluate(record, at=at, policy="upwork", questions=())
        expected = reference_fees(report.state, record.contract, lambda paid: get_policy("upwork", on=paid.at).fees)
        assert _shown(expected, report.state.net_paid) == _given(report.earnings)

    def test_a_flat_rate_is_charged_as_money_times_it(self) -> None:
        """A flat rate taken in line charges as ``Money.times``: an int rate of 1 takes the payment, NaN is refused."""
        record = fixed(fund(day(0), amount="20.00"), release(day(1), amount="20.00"))
        whole = attrs.evolve(V2023_12, fees=FlatFee(rate=1))  # type: ignore[arg-type]  # an int, not a Decimal
        assert triple("20.00", "20.00", "0.00") == earned(record, day(2), whole)
        with pytest.raises(InvalidRecord, match=r"^rate: NaN is not a finite number$"):
            earned(record, day(2), attrs.evolve(V2023_12, fees=FlatFee(rate=Decimal("NaN"))))


def _with_rate(record: ContractRecord, rate: Decimal | None, later: int) -> tuple[ContractRecord, datetime]:
    """*record* with the fee rate *rate*, and an instant *later* days after its last event."""
    record = attrs.evolve(record, contract=attrs.evolve(record.contract, freelancer_fee_rate=rate))
    return record, (record.events[-1].at if record.events else record.contract.started_at) + timedelta(days=later)


def _shown(fee: Money, net_paid: Money) -> tuple[str, str]:
    """A fee and what it leaves of *net_paid*, as written: ``1.20`` and ``1.2`` differ."""
    return str(fee.amount), str((net_paid - fee).amount)


def _given(earned: Earnings) -> tuple[str, str]:
    """The fee and the net of *earned*, as written."""
    return str(earned.service_fee.amount), str(earned.net.amount)


class TestSchedulesOfOnesOwn:
    """A schedule of one's own is asked through its ``fee``, which must give ``Money``."""

    def test_a_fee_that_is_no_money_is_refused(self) -> None:
        """A ``fee`` that returns a plain Decimal is a TypeError naming the schedule, not a fee taken unseen."""
        record = fixed(fund(day(0), amount="20.00"), release(day(1), amount="20.00"))
        with pytest.raises(TypeError, match=r"^_Plain\.fee must return Money, not Decimal$"):
            earned(record, day(2), attrs.evolve(V2023_12, fees=_Plain()))  # type: ignore[arg-type]  # not a FeeSchedule, on purpose


class _Plain:
    """A schedule that forgets the currency: its fee is a bare number."""

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Decimal:
        del billed_before, terms
        return amount.amount / 10


class _Explained:
    """A schedule of a user's own: a dollar a payment, and it says so."""

    SAID = "A dollar a payment."

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        del billed_before, terms
        return Money.of(1, amount.currency)

    def assumptions(self, terms: ContractTerms) -> tuple[str, ...]:
        del terms
        return (self.SAID, self.SAID)
