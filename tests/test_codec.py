"""The ``gigpolicy/1`` codec: loads, load and dumps, and every way a record text can be wrong."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from tests.records import paths, record_data, record_text

from gigpolicy import (
    ContractEnded,
    ContractKind,
    ContractRecord,
    FeedbackKind,
    FeedbackLeft,
    HoursBilled,
    InvalidRecord,
    InvalidRecordGroup,
    MilestoneFunded,
    Money,
    Party,
    converter,
    dumps,
    load,
    loads,
    replay,
)
from gigpolicy._codec import MAX_BYTES, structure_record
from gigpolicy._record import MAX_EVENTS

#: The motivating record of SPEC.md, as written there.
MOTIVATING = """
{
  "format": "gigpolicy/1",
  "contract": {
    "id": "c-1001",
    "marketplace": "upwork",
    "kind": "fixed_price",
    "currency": "USD",
    "client": "client-42",
    "freelancer": "fl-7",
    "started_at": "2026-11-02T15:00:00Z"
  },
  "events": [
    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.00"},
    {"type": "contract_ended", "at": "2026-11-03T09:00:00Z", "by": "freelancer", "reason": "unethical request"}
  ]
}
"""

#: Every fixed-price event type, with every optional field, in a valid order.
FIXED_EVENTS: list[dict[str, object]] = [
    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.00"},
    {
        "type": "milestone_funded",
        "at": "2026-11-02T17:06:00+01:00",
        "milestone": "m2",
        "amount": "250.50",
        "due_at": "2026-11-20T00:00:00Z",
    },
    {"type": "feedback_left", "at": "2026-11-03T00:00:00Z", "by": "client", "kind": "mid_contract", "rating": "4.5"},
    {"type": "work_submitted", "at": "2026-11-04T00:00:00Z", "milestone": "m1"},
    {"type": "changes_requested", "at": "2026-11-05T00:00:00Z", "milestone": "m1"},
    {"type": "work_submitted", "at": "2026-11-06T00:00:00Z", "milestone": "m1"},
    {"type": "milestone_released", "at": "2026-11-07T00:00:00Z", "milestone": "m1", "amount": "500.00"},
    {"type": "bonus_paid", "at": "2026-11-07T00:00:00Z", "amount": "20.00"},
    {"type": "refund_issued", "at": "2026-11-08T00:00:00Z", "amount": "10.00"},
    {"type": "milestone_funded", "at": "2026-11-08T01:00:00Z", "milestone": "m3", "amount": "30"},
    {"type": "escrow_returned", "at": "2026-11-08T02:00:00Z", "milestone": "m3", "amount": "30.00"},
    {"type": "contract_paused", "at": "2026-11-09T00:00:00Z", "by": "client"},
    {"type": "contract_resumed", "at": "2026-11-10T00:00:00Z", "by": "client"},
    {"type": "job_reported", "at": "2026-11-10T01:00:00Z", "by": "freelancer", "reason": "scope creep"},
    {"type": "dispute_opened", "at": "2026-11-11T00:00:00Z", "by": "freelancer", "milestone": "m2"},
    {"type": "dispute_resolved", "at": "2026-11-12T00:00:00Z", "to_freelancer": "100.50", "to_client": "150.00"},
    {"type": "contract_ended", "at": "2026-11-13T00:00:00Z", "by": "client", "reason": "done"},
    {
        "type": "feedback_left",
        "at": "2026-11-14T00:00:00Z",
        "by": "client",
        "kind": "public",
        "rating": "2",
        "comment": "Très lent",
    },
    {"type": "feedback_left", "at": "2026-11-14T00:00:00Z", "by": "client", "kind": "private", "rating": "3"},
    {"type": "feedback_left", "at": "2026-11-15T00:00:00Z", "by": "freelancer", "kind": "public", "rating": "5"},
    {"type": "feedback_response", "at": "2026-11-16T00:00:00Z", "by": "freelancer"},
    {"type": "feedback_edit_enabled", "at": "2026-11-17T00:00:00Z", "by": "freelancer"},
    {"type": "feedback_left", "at": "2026-11-18T00:00:00Z", "by": "client", "kind": "public", "rating": "4"},
    {"type": "feedback_removed", "at": "2026-11-19T00:00:00Z", "author": "freelancer", "reason": "policy"},
    {"type": "account_suspended", "at": "2026-11-20T00:00:00Z", "party": "client", "reason": "tos_violation"},
]

#: The hourly event types, in a valid order.
HOURLY_EVENTS: list[dict[str, object]] = [
    {
        "type": "hours_billed",
        "at": "2026-11-09T01:00:00Z",
        "week_ending": "2026-11-08",
        "hours": "10.25",
        "amount": "410.00",
    },
    {"type": "hours_billed", "at": "2026-11-16T01:00:00Z", "week_ending": "2026-11-15", "hours": 5, "amount": 200},
    {"type": "hours_disputed", "at": "2026-11-17T00:00:00Z", "week_ending": "2026-11-08"},
    {"type": "dispute_resolved", "at": "2026-11-20T00:00:00Z", "to_freelancer": "300.00", "to_client": "110.00"},
]

HOURLY_CONTRACT: dict[str, object] = {
    "kind": "hourly",
    "hourly_rate": "40.00",
    "weekly_limit_hours": "40",
    "freelancer_fee_rate": "0.1",
}


def problems_of(text: str | bytes) -> list[tuple[str, str]]:
    """Every (path, problem) that loading *text* reports."""
    with pytest.raises(InvalidRecord) as caught:
        loads(text)
    return [(error.path, error.problem) for error in caught.value.errors]


def event_problems(event: Mapping[str, object], **contract_changes: object) -> list[tuple[str, str]]:
    """Every problem of a record whose only event is *event*."""
    return problems_of(record_text(event, **contract_changes))


class TestMotivatingRecord:
    """The record of the specification's motivating case."""

    def test_loads(self) -> None:
        """It loads into the terms and two events it says."""
        record = loads(MOTIVATING)
        assert (
            ("c-1001", "upwork", ContractKind.FIXED_PRICE, "USD", "client-42", "fl-7"),
            datetime(2026, 11, 2, 15, tzinfo=UTC),
            MilestoneFunded(
                at=datetime(2026, 11, 2, 15, 5, tzinfo=UTC), milestone="m1", amount=Money.of("500.00", "USD")
            ),
            ContractEnded(at=datetime(2026, 11, 3, 9, tzinfo=UTC), by=Party.FREELANCER, reason="unethical request"),
        ) == (
            (
                record.contract.id,
                record.contract.marketplace,
                record.contract.kind,
                record.contract.currency,
                record.contract.client,
                record.contract.freelancer,
            ),
            record.contract.started_at,
            *record.events,
        )

    def test_escrow_goes_back(self) -> None:
        """Replayed after the freelancer's end, nothing is paid and the escrow is back with the client."""
        state = replay(loads(MOTIVATING), at=datetime(2026, 11, 4, tzinfo=UTC))
        assert (Money.zero("USD"), Money.zero("USD"), Money.of(500, "USD")) == (
            state.escrow,
            state.paid,
            state.escrow_returned,
        )

    def test_bytes_input(self) -> None:
        """UTF-8 bytes load like the text."""
        assert loads(MOTIVATING) == loads(MOTIVATING.encode())

    def test_bytearray_input(self) -> None:
        """A bytearray loads like bytes."""
        assert loads(MOTIVATING) == loads(bytearray(MOTIVATING.encode()))  # type: ignore[arg-type]  # accepted at run time too

    def test_round_trip(self) -> None:
        """``loads(dumps(r)) == r``."""
        record = loads(MOTIVATING)
        assert record == loads(dumps(record))


class TestExactNumbers:
    """JSON numbers are read exactly, never through float."""

    def test_point_one_plus_point_two(self) -> None:
        """Bonuses of 0.1 and 0.2 written as JSON numbers pay exactly 0.30."""
        record = loads(
            record_text(
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": 0.1},
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": 0.2},
            )
        )
        assert Money.of("0.30", "USD") == replay(record, at=datetime(2026, 11, 4, tzinfo=UTC)).paid

    @pytest.mark.parametrize(
        ("number", "expected"), [("500", "500.00"), ("5e2", "500.00"), ("12.500", "12.50"), ("0.10", "0.10")]
    )
    def test_amount_numbers(self, number: str, expected: str) -> None:
        """Integer, exponent and trailing-zero numbers give the exact amount."""
        text = record_text().replace(
            '"events": []', f'"events": [{{"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": {number}}}]'
        )
        (event,) = loads(text).events
        assert Money.of(expected, "USD") == event.amount  # type: ignore[attr-defined]  # a BonusPaid

    def test_too_many_places_as_a_number(self) -> None:
        """A JSON number with more places than the currency is an error, as a string would be."""
        text = record_text().replace(
            '"events": []', '"events": [{"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": 12.505}]'
        )
        assert [("events[0].amount", "12.505 has more than 2 decimal places")] == problems_of(text)

    def test_decimal_fields_from_numbers(self) -> None:
        """Hours and ratings may be JSON numbers too, read exactly."""
        text = record_text(
            {"type": "contract_ended", "at": "2026-11-03T00:00:00Z", "by": "client"},
            {"type": "feedback_left", "at": "2026-11-03T00:00:00Z", "by": "client", "kind": "public", "rating": 4.1},
        )
        assert Decimal("4.1") == loads(text).events[1].rating  # type: ignore[attr-defined]  # a FeedbackLeft

    def test_amount_in_the_contract_currency(self) -> None:
        """Amounts take the contract's currency and its places (JPY has none)."""
        jpy = loads(
            record_text(
                {"type": "milestone_funded", "at": "2026-11-03T00:00:00Z", "milestone": "m1", "amount": 5000},
                currency="JPY",
                hourly_rate="1500",
            )
        )
        assert (Money.of(5000, "JPY"), Money.of(1500, "JPY")) == (jpy.events[0].amount, jpy.contract.hourly_rate)  # type: ignore[attr-defined]  # a MilestoneFunded

    def test_jpy_fraction_refused(self) -> None:
        """A fraction of a yen is an error at its place."""
        problems = problems_of(record_text(currency="JPY", hourly_rate="1500.5"))
        assert [("contract.hourly_rate", "1500.5 has more than 0 decimal places")] == problems


class TestJsonText:
    """What is not JSON, or not a JSON the format accepts."""

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("", "is not valid JSON: Expecting value (line 1, column 1)"),
            ("{", "is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
            ('{"a" 1}', "is not valid JSON: Expecting ':' delimiter (line 1, column 6)"),
            ("\ufeff{}", "is not valid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig) (line 1, column 1)"),
        ],
    )
    def test_not_json(self, text: str, problem: str) -> None:
        """Text that is not JSON is one InvalidRecord with the line and column."""
        assert [("", problem)] == problems_of(text)

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are refused, naming the first bad byte."""
        assert [("", "is not UTF-8 text (byte 2)")] == problems_of(b'{"\xff": 1}')

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_non_finite_numbers(self, constant: str) -> None:
        """NaN and the infinities are not numbers the format accepts."""
        text = record_text().replace(
            '"events": []', f'"events": [{{"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": {constant}}}]'
        )
        assert [("", f"{constant} is not a number the record format accepts")] == problems_of(text)

    def test_duplicate_keys(self) -> None:
        """A key twice in one object is refused (JSON would keep only the last)."""
        text = record_text().replace('"currency": "USD"', '"currency": "USD", "currency": "EUR"')
        assert [("", "the key 'currency' appears twice in one object")] == problems_of(text)

    def test_deep_nesting(self) -> None:
        """Nesting too deep to parse is an InvalidRecord, not a RecursionError."""
        assert [("", "is nested too deeply")] == problems_of('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}")

    @pytest.mark.parametrize(
        ("text", "kind"),
        [("[]", "an array"), ('"x"', "a string"), ("1", "a number"), ("null", "null"), ("true", "a boolean")],
    )
    def test_top_level_not_an_object(self, text: str, kind: str) -> None:
        """A record is a JSON object."""
        assert [("", f"a record must be a JSON object, not {kind}")] == problems_of(text)

    @pytest.mark.parametrize(("value", "kind"), [(1, "int"), (None, "NoneType"), ({"format": "gigpolicy/1"}, "dict")])
    def test_not_text(self, value: object, kind: str) -> None:
        """Only str and bytes are JSON text."""
        with pytest.raises(InvalidRecord) as caught:
            loads(value)  # type: ignore[arg-type]  # the wrong type is the point
        assert f"must be JSON text, not {kind}" == caught.value.problem

    def test_text_too_large(self) -> None:
        """Text longer than the limit is refused before parsing."""
        assert [("", f"is larger than {MAX_BYTES} characters")] == problems_of(" " * (MAX_BYTES + 1))

    def test_bytes_too_large(self) -> None:
        """Bytes longer than the limit are refused before decoding."""
        assert [("", f"is larger than {MAX_BYTES} bytes")] == problems_of(b" " * (MAX_BYTES + 1))


class TestTopLevel:
    """``format``, ``contract`` and ``events`` are required; nothing else is allowed."""

    def test_empty_object(self) -> None:
        """Each missing key is named."""
        assert [("format", "is required"), ("contract", "is required"), ("events", "is required")] == problems_of("{}")

    def test_unknown_keys(self) -> None:
        """Unknown top-level keys are errors (they are usually typos)."""
        data = record_data()
        data["event"] = []
        data["notes"] = "x"
        assert [
            ("event", "is not a field of the record format (a typo?)"),
            ("notes", "is not a field of the record format (a typo?)"),
        ] == problems_of(json.dumps(data))

    @pytest.mark.parametrize(
        ("value", "shown"),
        [("gigpolicy/2", "'gigpolicy/2'"), ("GIGPOLICY/1", "'GIGPOLICY/1'"), (1, "1"), (None, "None")],
    )
    def test_wrong_format(self, value: object, shown: str) -> None:
        """Only ``gigpolicy/1`` is this format."""
        data = record_data()
        data["format"] = value
        assert [("format", f"must be 'gigpolicy/1', not {shown}")] == problems_of(json.dumps(data))

    def test_events_may_be_empty(self) -> None:
        """A record without events is valid."""
        assert () == loads(record_text()).events

    @pytest.mark.parametrize(("value", "kind"), [({}, "an object"), (None, "null"), ("[]", "a string")])
    def test_events_not_an_array(self, value: object, kind: str) -> None:
        """``events`` must be an array."""
        data = record_data()
        data["events"] = value
        assert [("events", f"must be an array, not {kind}")] == problems_of(json.dumps(data))

    @pytest.mark.parametrize(
        ("value", "kind"), [([], "an array"), (None, "null"), ("c-1", "a string"), (7, "a number")]
    )
    def test_contract_not_an_object(self, value: object, kind: str) -> None:
        """``contract`` must be an object."""
        data = record_data()
        data["contract"] = value
        assert [("contract", f"must be an object, not {kind}")] == problems_of(json.dumps(data))

    def test_too_many_events(self) -> None:
        """At most MAX_EVENTS (20,000) events."""
        text = record_text().replace('"events": []', '"events": [' + ",".join(["0"] * (MAX_EVENTS + 1)) + "]")
        assert [("events", "holds more than 20000 events")] == problems_of(text)

    def test_structure_record_needs_a_dict(self) -> None:
        """The structuring step refuses parsed data that is not an object."""
        with pytest.raises(InvalidRecord, match="a record must be a JSON object, not an array"):
            structure_record([])


class TestContract:
    """The contract object."""

    @pytest.mark.parametrize("name", ["id", "kind", "currency", "client", "freelancer", "started_at"])
    def test_required_fields(self, name: str) -> None:
        """Each required field of the contract is named when it is missing."""
        data = record_data()
        contract = data["contract"]
        assert isinstance(contract, dict)
        del contract[name]
        assert [(f"contract.{name}", "is required")] == problems_of(json.dumps(data))

    @pytest.mark.parametrize("name", ["marketplace", "hourly_rate", "weekly_limit_hours", "freelancer_fee_rate"])
    def test_null_means_absent(self, name: str) -> None:
        """``null`` for an optional field means the field is absent."""
        data = record_data()
        contract = data["contract"]
        assert isinstance(contract, dict)
        contract[name] = None
        assert None is getattr(loads(json.dumps(data)).contract, name)

    def test_optional_fields(self) -> None:
        """The optional fields are read exactly."""
        contract = loads(record_text(**HOURLY_CONTRACT)).contract
        assert (Money.of(40, "USD"), Decimal(40), Decimal("0.1")) == (
            contract.hourly_rate,
            contract.weekly_limit_hours,
            contract.freelancer_fee_rate,
        )

    @pytest.mark.parametrize(
        ("changes", "path", "problem"),
        [
            ({"id": 5}, "contract.id", "must be a string, not a number"),
            ({"id": True}, "contract.id", "must be a string, not a boolean"),
            ({"client": ["a"]}, "contract.client", "must be a string, not an array"),
            ({"marketplace": {}}, "contract.marketplace", "must be a string, not an object"),
            ({"kind": "daily"}, "contract.kind", "must be one of 'fixed_price', 'hourly', not 'daily'"),
            ({"kind": 1}, "contract.kind", "must be one of 'fixed_price', 'hourly', not 1"),
            ({"currency": 840}, "contract.currency", "must be a string, not a number"),
            ({"currency": "usd"}, "contract.currency", "'usd' is not an ISO 4217 code gigpolicy knows"),
            ({"started_at": 1700000000}, "contract.started_at", "must be an RFC 3339 timestamp string, not int"),
            (
                {"started_at": "2026-11-02T15:00:00"},
                "contract.started_at",
                "'2026-11-02T15:00:00' has no UTC offset (add Z or +hh:mm)",
            ),
            ({"started_at": "2026-11-02"}, "contract.started_at", "'2026-11-02' is not an RFC 3339 timestamp"),
            ({"hourly_rate": 12.505}, "contract.hourly_rate", "12.505 has more than 2 decimal places"),
            ({"hourly_rate": True}, "contract.hourly_rate", "must be a decimal string or a number, not a boolean"),
            ({"hourly_rate": "0"}, "contract.hourly_rate", "must be greater than zero"),
            ({"weekly_limit_hours": "forty"}, "contract.weekly_limit_hours", "'forty' is not a decimal number"),
            (
                {"weekly_limit_hours": [40]},
                "contract.weekly_limit_hours",
                "must be a decimal string or a number, not a list",
            ),
            ({"freelancer_fee_rate": "2"}, "contract.freelancer_fee_rate", "must be between 0 and 1, not 2"),
            ({"freelancer": "client-42"}, "contract.freelancer", "must differ from the client"),
            ({"clent": "x"}, "contract.clent", "is not a field of the record format (a typo?)"),
        ],
    )
    def test_wrong_values(self, changes: dict[str, object], path: str, problem: str) -> None:
        """Each wrong contract value is named with its full path."""
        assert [(path, problem)] == problems_of(record_text(**changes))

    def test_null_for_a_required_field(self) -> None:
        """``null`` for a required field is a wrong type, not an absent field."""
        data = record_data()
        contract = data["contract"]
        assert isinstance(contract, dict)
        contract["id"] = None
        assert [("contract.id", "must be a string, not null")] == problems_of(json.dumps(data))

    def test_typo_and_check_together(self) -> None:
        """A typo and a failed check of the terms are reported together."""
        problems = problems_of(record_text(freelancer="client-42", clent="x"))
        assert [
            ("contract.clent", "is not a field of the record format (a typo?)"),
            ("contract.freelancer", "must differ from the client"),
        ] == problems

    def test_several_type_errors(self) -> None:
        """Every wrongly typed field of the contract is named."""
        assert ["contract.id", "contract.kind", "contract.started_at"] == [
            path for path, _ in problems_of(record_text(id=1, kind="x", started_at="now"))
        ]

    def test_other_offset_kept(self) -> None:
        """A start with an offset keeps it."""
        started = loads(record_text(started_at="2026-11-02T17:00:00+02:00")).contract.started_at
        assert (datetime(2026, 11, 2, 15, tzinfo=UTC), timedelta(hours=2)) == (started, started.utcoffset())


class TestEvents:
    """Each event object."""

    @pytest.mark.parametrize(
        ("value", "kind"), [("bonus_paid", "a string"), ([], "an array"), (None, "null"), (3, "a number")]
    )
    def test_not_an_object(self, value: object, kind: str) -> None:
        """An event is an object."""
        assert [("events[0]", f"must be an object, not {kind}")] == problems_of(json.dumps(record_data(value)))  # type: ignore[arg-type]  # the wrong type is the point

    def test_missing_type(self) -> None:
        """An event without ``type`` is named."""
        assert [("events[0].type", "is required")] == event_problems({"at": "2026-11-03T00:00:00Z"})

    @pytest.mark.parametrize(
        ("value", "shown"), [("milestone_fundd", "'milestone_fundd'"), (5, "5"), (None, "None"), ("Event", "'Event'")]
    )
    def test_unknown_type(self, value: object, shown: str) -> None:
        """An unknown ``type`` is named with the value."""
        problem = f"{shown} is not an event type of gigpolicy/1"
        assert [("events[0].type", problem)] == event_problems({"type": value, "at": "2026-11-03T00:00:00Z"})

    def test_missing_fields(self) -> None:
        """Each missing field of an event is named."""
        assert [
            ("events[0].at", "is required"),
            ("events[0].milestone", "is required"),
            ("events[0].amount", "is required"),
        ] == event_problems({"type": "milestone_funded"})

    def test_unknown_field(self) -> None:
        """A misspelt field is named, and so is the field it should have been."""
        event = {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amout": "5.00"}
        assert [
            ("events[0].amout", "is not a field of the record format (a typo?)"),
            ("events[0].amount", "is required"),
        ] == event_problems(event)

    @pytest.mark.parametrize(
        ("event", "path", "problem"),
        [
            (
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00", "amount": "5"},
                "events[0].at",
                "'2026-11-03T00:00:00' has no UTC offset (add Z or +hh:mm)",
            ),
            (
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "0"},
                "events[0].amount",
                "must be greater than zero",
            ),
            (
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "-5"},
                "events[0].amount",
                "must be greater than zero",
            ),
            (
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "five"},
                "events[0].amount",
                "'five' is not a decimal number",
            ),
            (
                {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": None},
                "events[0].amount",
                "must be a decimal string or a number, not null",
            ),
            (
                {"type": "contract_ended", "at": "2026-11-03T00:00:00Z", "by": "boss"},
                "events[0].by",
                "must be one of 'client', 'freelancer', not 'boss'",
            ),
            (
                {"type": "contract_ended", "at": "2026-11-03T00:00:00Z", "by": "client", "reason": ""},
                "events[0].reason",
                "must not be empty",
            ),
            (
                {"type": "account_suspended", "at": "2026-11-03T00:00:00Z", "party": "client", "reason": 1},
                "events[0].reason",
                "must be a string, not a number",
            ),
            (
                {"type": "hours_disputed", "at": "2026-11-03T00:00:00Z", "week_ending": "2026-11-09"},
                "events[0].week_ending",
                "2026-11-09 is a Monday, not a Sunday",
            ),
            (
                {"type": "hours_disputed", "at": "2026-11-03T00:00:00Z", "week_ending": "2026-11-31"},
                "events[0].week_ending",
                "'2026-11-31' is not a valid date",
            ),
            (
                {"type": "hours_disputed", "at": "2026-11-03T00:00:00Z", "week_ending": 20261108},
                "events[0].week_ending",
                "20261108 is not a date in the form YYYY-MM-DD",
            ),
            (
                {
                    "type": "feedback_left",
                    "at": "2026-11-03T00:00:00Z",
                    "by": "client",
                    "kind": "secret",
                    "rating": "1",
                },
                "events[0].kind",
                "must be one of 'public', 'private', 'mid_contract', not 'secret'",
            ),
            (
                {
                    "type": "feedback_left",
                    "at": "2026-11-03T00:00:00Z",
                    "by": "client",
                    "kind": "mid_contract",
                    "rating": "6",
                },
                "events[0].rating",
                "must be between 1 and 5, not 6",
            ),
            (
                {
                    "type": "feedback_left",
                    "at": "2026-11-03T00:00:00Z",
                    "by": "client",
                    "kind": "mid_contract",
                    "rating": True,
                },
                "events[0].rating",
                "must be a decimal string or a number, not a boolean",
            ),
            (
                {"type": "milestone_funded", "at": "2026-11-03T00:00:00Z", "milestone": 1, "amount": "5"},
                "events[0].milestone",
                "must be a string, not a number",
            ),
            (
                {
                    "type": "milestone_funded",
                    "at": "2026-11-03T00:00:00Z",
                    "milestone": "m1",
                    "amount": "5",
                    "due_at": "soon",
                },
                "events[0].due_at",
                "'soon' is not an RFC 3339 timestamp",
            ),
        ],
    )
    def test_wrong_values(self, event: dict[str, object], path: str, problem: str) -> None:
        """Each wrong event value is named with its full path."""
        assert [(path, problem)] == event_problems(event)

    @pytest.mark.parametrize("name", ["due_at"])
    def test_null_optional_event_field(self, name: str) -> None:
        """``null`` for an optional event field means absent."""
        event = {"type": "milestone_funded", "at": "2026-11-03T00:00:00Z", "milestone": "m1", "amount": "5", name: None}
        assert None is getattr(loads(record_text(event)).events[0], name)

    def test_null_comment_and_reason(self) -> None:
        """``null`` comments, reasons and dispute milestones are absent."""
        record = loads(
            record_text(
                {"type": "milestone_funded", "at": "2026-11-03T00:00:00Z", "milestone": "m1", "amount": "5"},
                {"type": "dispute_opened", "at": "2026-11-03T00:00:00Z", "by": "client", "milestone": None},
                {"type": "contract_ended", "at": "2026-11-04T00:00:00Z", "by": "client", "reason": None},
                {
                    "type": "feedback_left",
                    "at": "2026-11-05T00:00:00Z",
                    "by": "client",
                    "kind": "public",
                    "rating": "5",
                    "comment": None,
                },
            )
        )
        assert [None, None, None] == [
            record.events[1].milestone,  # type: ignore[attr-defined]  # a DisputeOpened
            record.events[2].reason,  # type: ignore[attr-defined]  # a ContractEnded
            record.events[3].comment,  # type: ignore[attr-defined]  # a FeedbackLeft
        ]

    def test_problems_in_several_events(self) -> None:
        """Problems of several events are all named, each under its own index."""
        assert ["events[0].amount", "events[2].by", "events[2].reason"] == [
            path
            for path, _ in problems_of(
                record_text(
                    {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "0"},
                    {"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "1"},
                    {"type": "job_reported", "at": "2026-11-03T00:00:00Z", "by": "x", "reason": 5},
                )
            )
        ]

    def test_transitions_checked_after_structure(self) -> None:
        """A well-formed record that breaks the ledger is refused with the event's index."""
        text = record_text(
            {"type": "milestone_released", "at": "2026-11-03T00:00:00Z", "milestone": "m1", "amount": "5"}
        )
        assert [("events[0]", "milestone 'm1' was never funded")] == problems_of(text)

    def test_amounts_without_a_valid_currency(self) -> None:
        """With the contract's currency wrong, amounts are still read (as USD) and only the currency is named."""
        text = record_text({"type": "bonus_paid", "at": "2026-11-03T00:00:00Z", "amount": "5.00"}, currency="ABC")
        assert [("contract.currency", "'ABC' is not an ISO 4217 code gigpolicy knows")] == problems_of(text)


class TestAcceptance:
    """The issue's acceptance test: several mistakes, one error, every place named."""

    def test_five_mistakes_one_error(self) -> None:
        """A record with five different mistakes yields one InvalidRecordGroup that names all five places."""
        data = record_data(
            {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.005"},
            {"type": "milestone_fundd", "at": "2026-11-02T15:06:00Z", "milestone": "m2", "amount": "5"},
            {"type": "contract_ended", "at": "2026-11-03T09:00:00Z", "by": "the freelancer"},
            {"type": "feedback_left", "at": "2026-11-04T00:00:00Z", "by": "client", "kind": "public", "rating": "7"},
            started_at="2026-11-02T15:00:00",
        )
        data["note"] = "typo of a field"
        with pytest.raises(InvalidRecord) as caught:
            loads(json.dumps(data))
        error = caught.value
        places = [
            "note",
            "contract.started_at",
            "events[0].amount",
            "events[1].type",
            "events[2].by",
            "events[3].rating",
        ]
        assert (True, True, True, places, True) == (
            isinstance(error, InvalidRecordGroup),
            isinstance(error, ValueError),
            isinstance(error, InvalidRecord),
            paths(error),
            all(place in str(error) for place in places),
        )


class TestDumps:
    """Writing records back."""

    @pytest.mark.parametrize(
        ("events", "contract"),
        [(FIXED_EVENTS, {}), (HOURLY_EVENTS, HOURLY_CONTRACT)],
        ids=["fixed-price", "hourly"],
    )
    def test_round_trip_every_event_type(self, events: list[dict[str, object]], contract: dict[str, object]) -> None:
        """A record with every event type and optional field survives ``dumps`` and ``loads``."""
        record = loads(record_text(*events, **contract))
        assert record == loads(dumps(record))

    def test_every_event_type_covered(self) -> None:
        """The two round-trip records hold all twenty event types."""
        assert 20 == len({event["type"] for event in FIXED_EVENTS + HOURLY_EVENTS})

    def test_output(self) -> None:
        """Amounts are strings, UTC is ``Z``, absent optional fields are left out."""
        document = json.loads(dumps(loads(MOTIVATING)))
        assert {
            "format": "gigpolicy/1",
            "contract": json.loads(MOTIVATING)["contract"],
            "events": json.loads(MOTIVATING)["events"],
        } == document

    def test_compact(self) -> None:
        """``indent=None`` writes one line."""
        assert 1 == len(dumps(loads(MOTIVATING), indent=None).splitlines())

    def test_non_ascii_kept(self) -> None:
        """Non-ASCII text is written as it is."""
        record = loads(record_text(*FIXED_EVENTS))
        assert "Très lent" in dumps(record)

    def test_types_written(self) -> None:
        """Dates, decimals, offsets and enums are written in the record format."""
        record = loads(record_text(*HOURLY_EVENTS, **HOURLY_CONTRACT))
        document = json.loads(dumps(record))
        assert (
            {
                "type": "hours_billed",
                "at": "2026-11-09T01:00:00Z",
                "week_ending": "2026-11-08",
                "hours": "10.25",
                "amount": "410.00",
            },
            {
                "type": "hours_billed",
                "at": "2026-11-16T01:00:00Z",
                "week_ending": "2026-11-15",
                "hours": "5",
                "amount": "200.00",
            },
            ("hourly", "40.00", "40", "0.1"),
        ) == (
            document["events"][0],
            document["events"][1],
            tuple(
                document["contract"][name]
                for name in ("kind", "hourly_rate", "weekly_limit_hours", "freelancer_fee_rate")
            ),
        )

    def test_offset_written(self) -> None:
        """A non-UTC offset is written as it was read."""
        record = loads(record_text(started_at="2026-11-02T17:00:00+02:00"))
        assert "2026-11-02T17:00:00+02:00" == json.loads(dumps(record))["contract"]["started_at"]

    def test_built_record(self) -> None:
        """A record built in Python writes and reads back equal."""
        record = ContractRecord(
            contract=loads(record_text(kind="hourly")).contract,
            events=(
                HoursBilled(
                    at=datetime(2026, 11, 9, tzinfo=timezone(timedelta(hours=-5))),
                    week_ending=date(2026, 11, 8),
                    hours=Decimal("1.5"),
                    amount=Money.of("60", "USD"),
                ),
                ContractEnded(at=datetime(2026, 11, 10, tzinfo=UTC), by=Party.CLIENT),
                FeedbackLeft(
                    at=datetime(2026, 11, 11, tzinfo=UTC),
                    by=Party.FREELANCER,
                    kind=FeedbackKind.PRIVATE,
                    rating=Decimal(9),
                ),
            ),
        )
        assert record == loads(dumps(record))

    def test_converter_is_public(self) -> None:
        """The converter unstructures a value as the record format writes it."""
        assert "500.00" == converter.unstructure(Money.of(500, "USD"))


class TestLoad:
    """Reading a record file."""

    def test_file(self, tmp_path: Path) -> None:
        """A file loads like its text, from a Path or a str."""
        file = tmp_path / "record.json"
        file.write_text(MOTIVATING, encoding="utf-8")
        assert (loads(MOTIVATING), loads(MOTIVATING)) == (load(file), load(str(file)))

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an InvalidRecord that names it."""
        file = tmp_path / "missing.json"
        with pytest.raises(InvalidRecord) as caught:
            load(file)
        assert ("", f"cannot read {file}: No such file or directory") == (caught.value.path, caught.value.problem)

    def test_directory(self, tmp_path: Path) -> None:
        """A directory is not a record file."""
        with pytest.raises(InvalidRecord) as caught:
            load(tmp_path)
        assert f"{tmp_path} is a directory, not a record file" == caught.value.problem

    def test_unreadable_path(self, tmp_path: Path) -> None:
        """A path that cannot be read (through a file, as if it were a directory) is an InvalidRecord."""
        file = tmp_path / "record.json"
        file.write_text(MOTIVATING, encoding="utf-8")
        with pytest.raises(InvalidRecord) as caught:
            load(file / "inner.json")
        assert f"cannot read {file / 'inner.json'}: Not a directory" == caught.value.problem

    def test_nul_in_path(self) -> None:
        """A path with a NUL character is an InvalidRecord, not a bare ValueError."""
        with pytest.raises(InvalidRecord) as caught:
            load("record\0.json")
        assert "cannot read record\0.json: a path cannot hold a NUL character" == caught.value.problem

    def test_path_the_system_cannot_name(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Any other path the system refuses to name (a ValueError of Python's) is an InvalidRecord too."""

        def refused(_: Path, **__: object) -> os.stat_result:
            raise ValueError("path too long for the system")

        monkeypatch.setattr(Path, "stat", refused)
        with pytest.raises(InvalidRecord) as caught:
            load("record.json")
        assert "cannot read record.json: path too long for the system" == caught.value.problem

    def test_file_too_large(self, tmp_path: Path) -> None:
        """A file over the size limit is refused without reading it."""
        file = tmp_path / "huge.json"
        with file.open("wb") as handle:
            handle.truncate(MAX_BYTES + 1)
        with pytest.raises(InvalidRecord) as caught:
            load(file)
        assert f"{file} is larger than {MAX_BYTES} bytes" == caught.value.problem

    def test_invalid_content(self, tmp_path: Path) -> None:
        """A file whose content is wrong reports the content's problems."""
        file = tmp_path / "record.json"
        file.write_bytes(b"\xfe")
        with pytest.raises(InvalidRecord) as caught:
            load(file)
        assert "is not UTF-8 text (byte 0)" == caught.value.problem


class TestTheUsersConverter:
    """``gigpolicy.converter`` is the user's: hooks registered on it never change ``loads``."""

    def test_a_users_hook_leaves_loads_alone(self) -> None:
        """A hook that would read every string upper-case changes the public converter only."""
        import gigpolicy  # noqa: PLC0415 - the facade, as a user imports it

        mine = gigpolicy.converter
        assert mine is not gigpolicy._codec.CODEC
        text = '{"format": "gigpolicy/1", "contract": {"id": "c-1", "kind": "fixed_price", "currency": "USD", "client": "cl", "freelancer": "fl", "started_at": "2026-11-02T15:00:00Z"}, "events": []}'  # noqa: E501 - one record
        before = gigpolicy.loads(text)
        mine.register_structure_hook(str, lambda value, _: str(value).upper())
        try:
            assert before == gigpolicy.loads(text)
            assert "CL" == mine.structure("cl", str)
        finally:
            mine.register_structure_hook(str, gigpolicy._codec._structure_str)
        assert "cl" == mine.structure("cl", str)
