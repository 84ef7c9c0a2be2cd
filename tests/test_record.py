"""ContractRecord: the checks a record passes without any policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.records import CLIENT, START, bonus, day, end, fixed, fund, paths, pause, release, terms

from gigpolicy import (
    ContractKind,
    ContractRecord,
    DisputeResolved,
    Event,
    InvalidRecord,
    InvalidRecordGroup,
    InvalidTransition,
    MilestoneFunded,
    Money,
)
from gigpolicy._record import FORMAT, MAX_EVENTS


class TestConstruction:
    """What a record holds."""

    def test_empty(self) -> None:
        """A record may have no events."""
        assert ((), "gigpolicy/1", FORMAT) == (ContractRecord(contract=terms()).events, ContractRecord.format, FORMAT)

    def test_list_becomes_a_tuple(self) -> None:
        """Events given as a list are kept as a tuple."""
        events = [fund(day(0)), release(day(1))]
        assert tuple(events) == ContractRecord(contract=terms(), events=events).events

    def test_equality(self) -> None:
        """Records with equal terms and events are equal."""
        assert fixed(fund(day(0))) == fixed(fund(day(0)))

    def test_events_must_be_a_sequence(self) -> None:
        """Events that are not a list or tuple are refused at ``events``."""
        with pytest.raises(InvalidRecord) as caught:
            ContractRecord(contract=terms(), events={"a": 1})
        assert ("events", "must be a sequence of events, not dict") == (caught.value.path, caught.value.problem)

    def test_contract_must_be_terms(self) -> None:
        """The contract must be ContractTerms."""
        with pytest.raises(InvalidRecord) as caught:
            ContractRecord(contract={"id": "c-1"})  # type: ignore[arg-type]  # the wrong type is the point
        assert ("contract", "must be ContractTerms") == (caught.value.path, caught.value.problem)

    def test_too_many_events(self) -> None:
        """A record holds at most MAX_EVENTS (20,000) events."""
        with pytest.raises(InvalidRecord) as caught:
            ContractRecord(contract=terms(), events=(bonus(day(1)),) * (MAX_EVENTS + 1))
        assert ("events", "holds more than 20000 events") == (caught.value.path, caught.value.problem)

    def test_frozen(self) -> None:
        """A record cannot be changed once built."""
        record = fixed()
        with pytest.raises(AttributeError):
            record.events = ()  # type: ignore[misc]  # frozen is the point
        assert () == record.events


class TestEventTypes:
    """Only events of the known types."""

    @pytest.mark.parametrize("item", ["milestone_funded", None, Event(at=START)], ids=["str", "none", "base-event"])
    def test_unknown_items(self, item: object) -> None:
        """Anything but an instance of one of the event classes is refused at its index."""
        with pytest.raises(InvalidRecord) as caught:
            ContractRecord(contract=terms(), events=(fund(day(0)), item))
        assert ("events[1]", "must be an event of a known type") == (caught.value.path, caught.value.problem)

    def test_ledger_waits_for_known_types(self) -> None:
        """With an event of no known type, the ledger is not checked (its problems would be noise)."""
        with pytest.raises(InvalidRecord) as caught:
            ContractRecord(contract=terms(), events=(Event(at=START), release(day(1))))
        assert ["events[0]"] == paths(caught.value)


class TestCurrency:
    """Every amount is in the contract's currency."""

    def test_amount_in_another_currency(self) -> None:
        """An amount in another currency is named with its field."""
        with pytest.raises(InvalidRecord) as caught:
            fixed(fund(day(0)), MilestoneFunded(at=day(1), milestone="m2", amount=Money.of(5, "EUR")))
        assert ("events[1].amount", "is in EUR, not USD") == (caught.value.path, caught.value.problem)

    def test_both_shares_in_another_currency(self) -> None:
        """Each mismatched field is reported."""
        resolved = DisputeResolved(at=day(1), to_freelancer=Money.of(1, "EUR"), to_client=Money.of(1, "GBP"))
        with pytest.raises(InvalidRecordGroup) as caught:
            fixed(resolved)
        assert [("events[0].to_client", "is in GBP, not USD"), ("events[0].to_freelancer", "is in EUR, not USD")] == [
            (error.path, error.problem) for error in caught.value.errors
        ]

    def test_mismatch_is_an_invalid_record_not_a_crash(self) -> None:
        """A mismatched amount is reported as InvalidRecord, never as an error from adding two currencies."""
        events = (fund(day(0)), MilestoneFunded(at=day(1), milestone="m1", amount=Money.of(5, "EUR")))
        with pytest.raises(InvalidRecord) as caught:
            fixed(*events)
        assert ["events[1].amount"] == paths(caught.value)

    def test_other_currency_contract(self) -> None:
        """A contract in JPY takes amounts in JPY."""
        record = ContractRecord(
            contract=terms(currency="JPY"),
            events=(MilestoneFunded(at=day(0), milestone="m1", amount=Money.of(5000, "JPY")),),
        )
        assert "JPY" == record.events[0].amount.currency  # type: ignore[attr-defined]  # a MilestoneFunded


class TestTimeOrder:
    """Events are after the start and in time order."""

    def test_before_started_at(self) -> None:
        """An event before ``started_at`` is an InvalidTransition at its index."""
        with pytest.raises(InvalidTransition) as caught:
            fixed(bonus(START - timedelta(seconds=1)))
        assert (0, "happens before the contract started") == (caught.value.index, caught.value.problem)

    def test_out_of_order(self) -> None:
        """An event earlier than the one before it is an InvalidTransition."""
        with pytest.raises(InvalidTransition) as caught:
            fixed(bonus(day(3)), bonus(day(2)))
        assert (1, "is earlier than the event before it") == (caught.value.index, caught.value.problem)

    def test_equal_timestamps(self) -> None:
        """Events at the same instant are in order."""
        assert 2 == len(fixed(bonus(day(1)), bonus(day(1))).events)


class TestCollectedProblems:
    """Every problem is reported, sorted by position."""

    def test_sorted_by_event_position(self) -> None:
        """Problems are ordered by event index as a number (``events[2]`` before ``events[10]``)."""
        events: list[Event] = [bonus(day(1))] * 11
        events[2] = release(day(1))
        events[10] = pause(day(1))
        events[9] = pause(day(1))
        with pytest.raises(InvalidRecordGroup) as caught:
            fixed(*events)
        assert ["events[2]", "events[10]"] == paths(caught.value)

    def test_group_is_an_invalid_record(self) -> None:
        """Several problems are one InvalidRecordGroup, also an InvalidRecord and a ValueError."""
        with pytest.raises(InvalidRecordGroup) as caught:
            fixed(end(day(1), CLIENT), end(day(2)), fund(day(3)))
        assert (True, True, ["events[1]", "events[2]"]) == (
            isinstance(caught.value, InvalidRecord),
            isinstance(caught.value, ValueError),
            paths(caught.value),
        )

    def test_hourly_record(self) -> None:
        """An hourly record is checked like any other."""
        assert ContractKind.HOURLY == ContractRecord(contract=terms(ContractKind.HOURLY)).contract.kind
