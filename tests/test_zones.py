"""Instants given in a zone with rules (a ``ZoneInfo``): taken at their fixed UTC offset, as a record's JSON holds them.

Python adds a ``timedelta`` to a ``datetime`` on its wall clock, and compares two datetimes of
one ``tzinfo`` by their wall clocks. A record built in Python with ``ZoneInfo`` instants used to
count its review periods across a change of daylight saving time an hour off, take the
repeated hour's events in the wrong order, and judge ``options`` differently from the same
instant in UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from itertools import cycle
from typing import Final
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.records import terms

import gigpolicy
from gigpolicy import (
    ContractRecord,
    ContractTerms,
    InvalidRecord,
    InvalidTransition,
    Mark,
    MarkKind,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Timeline,
    WorkSubmitted,
)
from gigpolicy._report_json import options_data, report_data
from gigpolicy._time import require_instant
from gigpolicy.errors import GigPolicyError
from gigpolicy.testing import records

NEW_YORK: Final = ZoneInfo("America/New_York")
BERLIN: Final = ZoneInfo("Europe/Berlin")
RULED: Final = (NEW_YORK, BERLIN, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("America/Santiago"))
"""Zones whose offset changes: Lord Howe's by half an hour, Santiago's on the southern calendar."""
MEAN_TIME: Final = timezone(timedelta(minutes=19, seconds=32), "AMT")
"""An offset with seconds, as Amsterdam's local mean time until 1937: RFC 3339 cannot write it."""
HUNDRED: Final = Money.of("100", "USD")
JUDGED_FROM: Final = datetime(2024, 1, 1, tzinfo=UTC)


def _text(started_at: str, *events: dict[str, str]) -> str:
    """The JSON text of an Upwork fixed-price contract in USD from *started_at*, with *events*."""
    contract = {"id": "c", "marketplace": "upwork", "kind": "fixed_price", "currency": "USD"}
    contract |= {"client": "cl", "freelancer": "fl", "started_at": started_at}
    return json.dumps({"format": "gigpolicy/1", "contract": contract, "events": list(events)})


def _terms(started_at: datetime) -> ContractTerms:
    """Upwork terms from *started_at* (``tests.records``' terms, at that start)."""
    return terms(marketplace="upwork", started_at=started_at)


class _Constant(tzinfo):
    """A zone of the caller's own, an hour ahead of UTC all year."""

    def __repr__(self) -> str:
        return "ONE"

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        return timedelta(hours=1)

    def dst(self, dt: datetime | None) -> timedelta:
        del dt
        return timedelta()

    def tzname(self, dt: datetime | None) -> str:
        del dt
        return "ONE"


class TestRequireInstant:
    """``require_instant`` gives the instant at a fixed offset."""

    def test_a_fixed_offset_is_kept_as_it_is(self) -> None:
        """An instant at a fixed offset (UTC too) is returned itself."""
        for instant in (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=timezone(timedelta(hours=2)))):
            assert require_instant(instant, "at") is instant

    @pytest.mark.parametrize("zone", [*RULED, _Constant()], ids=str)
    @given(moment=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)))  # noqa: DTZ001
    def test_the_same_instant_at_its_offset(self, zone: tzinfo, moment: datetime) -> None:
        """Rule: the instant returned is the one given, with its text, and a day after it is 24 hours of elapsed time.

        (Compared in UTC: Python never finds the second of a repeated hour equal to an instant
        of another zone, PEP 495's rule.)
        """
        given_instant = moment.replace(tzinfo=UTC).astimezone(zone)
        fixed = require_instant(given_instant, "at")
        assert (timezone, 0) == (type(fixed.tzinfo), fixed.fold)
        assert (moment.replace(tzinfo=UTC), given_instant.isoformat()) == (fixed.astimezone(UTC), fixed.isoformat())
        assert moment.replace(tzinfo=UTC) + timedelta(days=1) == fixed + timedelta(days=1)


class TestRecordsInAZone:
    """Events and terms built with ``ZoneInfo`` instants keep them at their fixed offsets."""

    def test_the_repeated_hour_is_ordered_by_elapsed_time(self) -> None:
        """On 2026-11-01 New York repeats 01:00-02:00: its second 01:10 comes after its first 01:50.

        Before, the two compared by their wall clocks: the record in true order was refused, and
        the one out of order accepted (and refused again once written and read).
        """
        first = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)  # EDT: 05:50 UTC
        second = datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)  # EST: 06:10 UTC
        in_order = ContractRecord(
            contract=_terms(datetime(2026, 10, 1, tzinfo=UTC)),
            events=(
                MilestoneFunded(at=first, milestone="m1", amount=HUNDRED),
                MilestoneReleased(at=second, milestone="m1", amount=HUNDRED),
            ),
        )
        assert in_order == gigpolicy.loads(gigpolicy.dumps(in_order))
        with pytest.raises(InvalidTransition, match=r"events\[1\]: is earlier than the event before it"):
            ContractRecord(
                contract=_terms(datetime(2026, 10, 1, tzinfo=UTC)),
                events=(
                    MilestoneFunded(at=second, milestone="m1", amount=HUNDRED),
                    MilestoneReleased(at=first, milestone="m1", amount=HUNDRED),
                ),
            )

    def test_a_review_period_across_a_change_counts_elapsed_time(self) -> None:
        """Work submitted at 12:00 in Berlin's summer time releases 14 days later, at 11:00 in its winter time.

        Before, 14 days were added on Berlin's wall clock: the release came an hour late, and
        an hour later than for the same record written and read.
        """
        record = ContractRecord(
            contract=_terms(datetime(2026, 10, 1, tzinfo=UTC)),
            events=(
                MilestoneFunded(at=datetime(2026, 10, 2, tzinfo=BERLIN), milestone="m1", amount=HUNDRED),
                WorkSubmitted(at=datetime(2026, 10, 20, 12, tzinfo=BERLIN), milestone="m1"),  # 10:00 UTC
            ),
        )
        state = gigpolicy.replay(record, at=datetime(2026, 11, 20, tzinfo=UTC), policy="upwork")
        assert [datetime(2026, 11, 3, 10, tzinfo=UTC)] == [step.at for step in state.automatic]
        assert record.events[1].at.utcoffset() == timedelta(hours=2)
        assert type(record.events[1].at.tzinfo) is timezone

    def test_due_at_and_the_start_too(self) -> None:
        """A milestone's due date and the contract's start are kept at their fixed offsets as well."""
        due = datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)
        funded = MilestoneFunded(at=due - timedelta(days=3), milestone="m1", amount=HUNDRED, due_at=due)
        terms = _terms(datetime(2026, 3, 8, 3, tzinfo=NEW_YORK))
        assert (datetime(2026, 11, 1, 6, 10, tzinfo=UTC), timedelta(hours=-5)) == (
            funded.due_at,
            funded.due_at.utcoffset(),  # type: ignore[union-attr]  # given above
        )
        assert type(funded.due_at.tzinfo) is type(terms.started_at.tzinfo) is timezone  # type: ignore[union-attr]

    @settings(max_examples=60, deadline=None)
    @given(
        record=records(max_events=12, marketplaces=("upwork", "fiverr", "freelancer")),
        zones=st.lists(st.sampled_from((*RULED, MEAN_TIME)), min_size=1, max_size=3),
        after=st.timedeltas(min_value=timedelta(), max_value=timedelta(days=400)),
    )
    def test_a_record_in_zones_is_judged_as_in_utc(
        self, record: ContractRecord, zones: list[tzinfo], after: timedelta
    ) -> None:
        """Rule: a record whose every instant is moved into a zone with rules (the same instants) is the same record.

        It is equal, its JSON text reads back as the same record (an offset with seconds is written
        in UTC), and evaluate at the same instant, given in a zone too, writes the same JSON (or
        refuses the record with the same error).
        """
        turn = cycle(zones)

        def moved(instant: datetime) -> datetime:
            return instant.astimezone(next(turn))

        events = tuple(
            attrs.evolve(event, at=moved(event.at), due_at=moved(event.due_at))
            if isinstance(event, MilestoneFunded) and event.due_at is not None
            else attrs.evolve(event, at=moved(event.at))
            for event in record.events
        )
        zoned = ContractRecord(
            contract=attrs.evolve(record.contract, started_at=moved(record.contract.started_at)), events=events
        )
        assert record == zoned == gigpolicy.loads(gigpolicy.dumps(zoned))
        last = record.events[-1].at if record.events else record.contract.started_at
        at = max(last, JUDGED_FROM) + after  # every marketplace's rules in force
        assert _judged(record, at) == _judged(zoned, moved(at))


def _judged(record: ContractRecord, at: datetime) -> object:
    """The report of *record* at *at* as JSON data, or the error it raises: its type and message.

    A record drawn for Upwork's automatic steps may contradict another marketplace's (a Fiverr
    order completes by itself): the same error, for the same record in zones, is the same judgement.
    """
    try:
        return report_data(gigpolicy.evaluate(record, at=at))
    except GigPolicyError as error:
        return type(error), str(error)


class TestMessagesInUtc:
    """Messages write an instant in UTC whatever offset the record gives it."""

    def test_an_event_after_a_closure_names_its_instant_in_utc(self) -> None:
        """A record at +05:30: the dormancy closure at 10:00 there is 04:30 UTC, and the refusal says so.

        Before, the closure's own clock was written with "UTC" after it (10:00 UTC). Found by the
        property above, on a Fiverr order that completed by itself in New York's offset.
        """
        funded = {"type": "milestone_funded", "milestone": "m1", "amount": "5"}
        record = gigpolicy.loads(
            _text(
                "2026-01-01T10:00:00+05:30",
                funded | {"at": "2026-01-01T10:00:00+05:30"},
                funded | {"at": "2026-04-02T10:00:00+05:30", "milestone": "m2"},
            )
        )
        with pytest.raises(InvalidTransition) as caught:
            gigpolicy.replay(record, at=datetime(2026, 4, 3, tzinfo=UTC))
        assert "(the marketplace closed it as dormant on 2026-04-01 04:30 UTC)" in str(caught.value)


class TestJudgedAtAZone:
    """An ``at`` in a zone with rules judges as the same instant in UTC."""

    def test_options(self) -> None:
        """The end options assume is at the instant judged, and the windows it opens count from there.

        Before, the simulated end took Berlin's wall clock, and its windows closed an hour off
        across the change of 2026-03-29.
        """
        record = gigpolicy.loads(_text("2026-03-01T00:00:00Z"))
        at = datetime(2026, 3, 20, 12, tzinfo=UTC)
        in_utc, in_berlin = (
            options_data(gigpolicy.options(record, party="freelancer", at=moment))
            for moment in (at, at.astimezone(BERLIN))
        )
        for found in (in_utc, in_berlin):  # each simulated event at the instant judged, in its offset
            for option in found["options"]:  # type: ignore[attr-defined]  # options_data's shape
                for event in option["events"]:
                    event["at"] = datetime.fromisoformat(event["at"]).astimezone(UTC)
        assert in_utc == in_berlin

    def test_the_refund_window_counts_back_in_elapsed_time(self) -> None:
        """180 days before 2026-11-28 11:30 in Berlin (10:30 UTC) is 2026-06-01 10:30 UTC, after the release at 10:00.

        Before, the window was counted back on Berlin's wall clock, across the change of
        2026-10-25: it reached back to 09:30 UTC and still held the payment. evaluate and
        evaluate_lines, with only *at* in the zone, answered otherwise than at the same instant in UTC.
        """
        text = _text(
            "2026-05-01T00:00:00Z",
            {"type": "milestone_funded", "at": "2026-05-02T00:00:00Z", "milestone": "m1", "amount": "100.00"},
            {"type": "milestone_released", "at": "2026-06-01T10:00:00Z", "milestone": "m1", "amount": "100.00"},
        )
        record = gigpolicy.loads(text)
        at = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
        refund = gigpolicy.evaluate(record, at=at.astimezone(BERLIN)).decision("issue_refund", "freelancer")
        assert (False, ["NO_RECENT_PAYMENT"]) == (refund.answer, [reason.code for reason in refund.reasons])
        assert report_data(gigpolicy.evaluate(record, at=at)) == report_data(
            gigpolicy.evaluate(record, at=at.astimezone(BERLIN))
        )
        for jobs in (1, 2):
            lines = [
                [line.text for line in gigpolicy.evaluate_lines([text] * 300, at=moment, jobs=jobs)]
                for moment in (at, at.astimezone(BERLIN))
            ]
            assert lines[0] == lines[1]

    def test_the_report_holds_the_instant_at_its_offset(self) -> None:
        """``Report.at`` is the instant judged, at the offset the zone had then."""
        record = gigpolicy.load("examples/records/motivating-case.json")
        at = datetime(2026, 11, 5, 12, tzinfo=BERLIN)
        report = gigpolicy.evaluate(record, at=at)
        assert (at, timezone(timedelta(hours=1))) == (report.at, report.at.tzinfo)
        assert "UTC+01:00" == report.at.tzname()  # the offset's name, not the zone's abbreviation


class TestTimelines:
    """A timeline drawn by hand in a zone with rules spans elapsed time."""

    def test_the_repeated_hour(self) -> None:
        """From New York's first 01:50 to its second 01:10 is twenty minutes, not a span that ends before it starts."""
        first = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
        second = datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)
        drawn = Timeline(
            title="t", start=first, end=second, at=second, marks=(Mark(at=first, label="m", kind=MarkKind.EVENT),)
        )
        assert timedelta(minutes=20) == drawn.end - drawn.start
        assert type(drawn.marks[0].at.tzinfo) is timezone
        with pytest.raises(InvalidRecord, match=r"^end: must be later than start$"):
            Timeline(title="t", start=second, end=first, at=first)
