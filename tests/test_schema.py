"""Tests of the JSON Schema of the record format (gigpolicy._schema)."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs
import pytest

from gigpolicy import ContractTerms, InvalidRecord, dumps, loads
from gigpolicy._events import EVENT_TYPES
from gigpolicy._money import parse_amount
from gigpolicy._record import FORMAT
from gigpolicy._schema import DRAFT, _object_schema, schema
from gigpolicy._time import parse_instant

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

EXAMPLES: Final = sorted((Path(__file__).parent.parent / "examples" / "records").glob("*.json"))

Json = dict[str, Any]


class Validator(Protocol):
    """The part of a jsonschema validator these tests use."""

    def is_valid(self, instance: object) -> bool:
        """Whether *instance* is valid under the schema."""
        ...


@pytest.fixture(scope="module")
def validator() -> Validator:
    """A draft 2020-12 validator of the record schema (skips when jsonschema is missing)."""
    jsonschema = pytest.importorskip("jsonschema")
    checker: Validator = jsonschema.Draft202012Validator(schema())
    return checker


def fixed_price_record() -> Json:
    """A valid fixed-price record that uses most event types and every optional field."""
    return {
        "format": "gigpolicy/1",
        "contract": {
            "id": "c-1",
            "marketplace": None,
            "kind": "fixed_price",
            "currency": "USD",
            "client": "client-42",
            "freelancer": "fl-7",
            "started_at": "2026-11-02T15:00:00Z",
            "hourly_rate": None,
            "weekly_limit_hours": None,
            "freelancer_fee_rate": None,
        },
        "events": [
            {
                "type": "milestone_funded",
                "at": "2026-11-02T15:05:00Z",
                "milestone": "m1",
                "amount": "500.00",
                "due_at": "2026-11-20T00:00:00+01:00",
            },
            {
                "type": "milestone_funded",
                "at": "2026-11-02T15:06:00Z",
                "milestone": "m2",
                "amount": 250,
                "due_at": None,
            },
            {"type": "work_submitted", "at": "2026-11-03T10:00:00Z", "milestone": "m1"},
            {"type": "changes_requested", "at": "2026-11-03T11:00:00Z", "milestone": "m1"},
            {"type": "contract_paused", "at": "2026-11-03T12:00:00Z", "by": "client"},
            {"type": "contract_resumed", "at": "2026-11-04T12:00:00Z", "by": "client"},
            {"type": "work_submitted", "at": "2026-11-05T10:00:00.250Z", "milestone": "m1"},
            {"type": "milestone_released", "at": "2026-11-06T10:00:00Z", "milestone": "m1", "amount": "300.00"},
            {"type": "escrow_returned", "at": "2026-11-06T10:00:00Z", "milestone": "m1", "amount": "200"},
            {"type": "bonus_paid", "at": "2026-11-06T11:00:00Z", "amount": Decimal("50.5")},
            {"type": "refund_issued", "at": "2026-11-06T12:00:00Z", "amount": "1e1"},
            {
                "type": "feedback_left",
                "at": "2026-11-07T00:00:00Z",
                "by": "client",
                "kind": "mid_contract",
                "rating": Decimal("4.5"),
                "comment": "Good so far",
            },
            {"type": "dispute_opened", "at": "2026-11-08T00:00:00Z", "by": "freelancer", "milestone": "m2"},
            {"type": "dispute_resolved", "at": "2026-11-09T00:00:00Z", "to_freelancer": "100.00", "to_client": "150"},
            {"type": "job_reported", "at": "2026-11-09T01:00:00Z", "by": "freelancer", "reason": "unethical request"},
            {"type": "contract_ended", "at": "2026-11-09T02:00:00-05:00", "by": "freelancer", "reason": "unethical"},
            {"type": "feedback_left", "at": "2026-11-10T00:00:00Z", "by": "client", "kind": "public", "rating": 1},
            {"type": "feedback_left", "at": "2026-11-10T00:00:00Z", "by": "client", "kind": "private", "rating": "0"},
            {
                "type": "feedback_left",
                "at": "2026-11-11T00:00:00z",
                "by": "freelancer",
                "kind": "public",
                "rating": "5.0",
                "comment": None,
            },
            {"type": "feedback_response", "at": "2026-11-12T00:00:00Z", "by": "freelancer"},
            {"type": "feedback_edit_enabled", "at": "2026-11-12T01:00:00Z", "by": "freelancer"},
            {"type": "feedback_removed", "at": "2026-11-13T00:00:00Z", "author": "client", "reason": "abusive"},
            {"type": "account_suspended", "at": "2026-11-14t00:00:00Z", "party": "client", "reason": "tos_violation"},
        ],
    }


def hourly_record() -> Json:
    """A valid hourly record in euros, with every optional term set."""
    return {
        "format": "gigpolicy/1",
        "contract": {
            "id": "c-2",
            "marketplace": "upwork",
            "kind": "hourly",
            "currency": "EUR",
            "client": "client-42",
            "freelancer": "fl-7",
            "started_at": "2026-11-02T15:00:00+01:00",
            "hourly_rate": "40.00",
            "weekly_limit_hours": "40",
            "freelancer_fee_rate": Decimal("0.1"),
        },
        "events": [
            {
                "type": "hours_billed",
                "at": "2026-11-09T00:00:00Z",
                "week_ending": "2026-11-08",
                "hours": "10.5",
                "amount": "420.00",
            },
            {"type": "hours_disputed", "at": "2026-11-10T00:00:00Z", "week_ending": "2026-11-08"},
            {"type": "dispute_resolved", "at": "2026-11-11T00:00:00Z", "to_freelancer": "420.00", "to_client": 0},
            {"type": "contract_ended", "at": "2026-11-12T00:00:00Z", "by": "client"},
        ],
    }


def empty_record() -> Json:
    """The smallest valid record: required terms only, no events."""
    return {
        "format": "gigpolicy/1",
        "contract": {
            "id": "c-3",
            "kind": "fixed_price",
            "currency": "JPY",
            "client": "cl",
            "freelancer": "fl",
            "started_at": "2026-11-02T15:00:00Z",
        },
        "events": [],
    }


VALID: Final[dict[str, Callable[[], Json]]] = {
    "fixed_price": fixed_price_record,
    "hourly": hourly_record,
    "empty": empty_record,
}


def as_json(record: Json) -> Json:
    """The record as a JSON parser returns it, with Decimal numbers as floats would be written."""
    parsed: Json = json.loads(to_text(record), parse_float=Decimal)
    return parsed


def to_text(record: Json) -> str:
    """JSON text of *record*, writing Decimal values as JSON numbers."""
    return json.dumps(record, default=_number)


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)  # float repr is the shortest text that reads back: short decimals are written as typed
    raise TypeError(type(value).__name__)  # pragma: no cover - the records hold only JSON types and Decimal


def walk(node: object) -> Iterator[dict[str, Any]]:
    """Every JSON object inside *node*, *node* included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


class TestDocument:
    """The schema as a document: valid, complete and in step with the code."""

    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """The schema passes the metaschema of draft 2020-12."""
        jsonschema = pytest.importorskip("jsonschema")
        document = schema()
        jsonschema.Draft202012Validator.check_schema(document)
        assert DRAFT == document["$schema"]

    def test_is_json(self) -> None:
        """The schema is plain JSON data: dumping and parsing it gives it back."""
        document = schema()
        assert document == json.loads(json.dumps(document))

    def test_top_level_requires_format_contract_events(self) -> None:
        """``format``, ``contract`` and ``events`` are required, and format is the constant."""
        document = schema()
        properties = document["properties"]
        assert isinstance(properties, dict)
        assert ["format", "contract", "events"] == document["required"]
        assert {"const": FORMAT} == properties["format"]

    def test_one_variant_per_event_type(self) -> None:
        """The events' oneOf has one variant per entry of EVENT_TYPES, discriminated by a type const."""
        defs = schema()["$defs"]
        assert isinstance(defs, dict)
        refs = [variant["$ref"].removeprefix("#/$defs/") for variant in defs["Event"]["oneOf"]]
        consts = {defs[name]["properties"]["type"]["const"]: name for name in refs}
        assert {kind: cls.__name__ for kind, cls in EVENT_TYPES.items()} == consts

    def test_properties_are_the_attrs_fields(self) -> None:
        """Each event's properties are ``type`` and its class's fields; required ones have no default."""
        defs = schema()["$defs"]
        assert isinstance(defs, dict)
        classes: list[type[Any]] = [ContractTerms, *EVENT_TYPES.values()]
        for cls in classes:
            definition = defs[cls.__name__]
            fields = attrs.fields(cls)
            names = [field.name for field in fields]
            required = [field.name for field in fields if field.default is attrs.NOTHING]
            if cls is not ContractTerms:
                names.insert(0, "type")
                required.insert(0, "type")
            assert names == list(definition["properties"])
            assert required == definition["required"]

    def test_every_object_is_closed(self) -> None:
        """Every object schema forbids unknown fields: the format is strict."""
        objects = [node for node in walk(schema()) if node.get("type") == "object"]
        assert len(objects) == 2 + len(EVENT_TYPES)
        assert all(node["additionalProperties"] is False for node in objects)

    def test_description_says_what_it_cannot_check(self) -> None:
        """The description warns that the ledger is not checked and points to loads."""
        description = schema()["description"]
        assert isinstance(description, str)
        assert "ledger" in description
        assert "gigpolicy.loads" in description

    def test_each_call_returns_a_fresh_document(self) -> None:
        """Changing one returned schema does not change the next."""
        first = schema()
        first["$defs"] = {}
        second = schema()["$defs"]
        assert isinstance(second, dict)
        assert "Event" in second


@attrs.frozen(kw_only=True)
class _Counted:
    """A value with a field the record format has no JSON form for."""

    count: int


@attrs.frozen(kw_only=True)
class _Either:
    """A value with a union of two non-null types."""

    value: str | Decimal


class TestFieldTypes:
    """Field types the schema builder does not know are a programming error."""

    @pytest.mark.parametrize("cls", [_Counted, _Either])
    def test_unknown_field_type_raises(self, cls: type) -> None:
        """A field type without a JSON form raises TypeError naming the field."""
        with pytest.raises(TypeError, match="no JSON form"):
            _object_schema(cls, {})


def _pattern(name: str) -> re.Pattern[str]:
    definitions = schema()["$defs"]
    assert isinstance(definitions, dict)
    definition = definitions[name]
    if "anyOf" in definition:
        definition = definition["anyOf"][0]
    return re.compile(definition["pattern"])


class TestPatterns:
    """The schema's string patterns agree with the decoder's parsers."""

    @pytest.mark.parametrize(
        "text",
        [
            "2026-11-02T15:00:00Z",
            "2026-11-02T15:00:00+01:00",
            "2026-11-02T15:00:00-05:30",
            "2026-11-02t15:00:00z",
            "2026-11-02T15:00:00.123456Z",
            "2026-11-02T15:00:00",
            "2026-11-02 15:00:00Z",
            "2026-11-02",
            "2026-11-02T15:00Z",
            "2026-11-02T15:00:00.1234567Z",
            "2026-11-02T15:00:00+0100",
            "yesterday",
        ],
    )
    def test_timestamp_pattern_matches_parse_instant(self, text: str) -> None:
        """A timestamp matches the pattern exactly when the decoder parses it."""
        try:
            parse_instant(text)
        except InvalidRecord:
            parsed = False
        else:
            parsed = True
        assert parsed == (_pattern("Timestamp").search(text) is not None)

    @pytest.mark.parametrize(
        "text",
        ["500.00", "500", "-3", "+3", ".5", "5.", "1e1", "1E-2", "abc", "1,000", "", "NaN", "Infinity", "0x10", " 1"],
    )
    def test_decimal_pattern_matches_parse_amount(self, text: str) -> None:
        """A decimal string matches the pattern exactly when the decoder reads it."""
        try:
            parse_amount(text, None)
        except InvalidRecord:
            parsed = False
        else:
            parsed = True
        assert parsed == (_pattern("Decimal").search(text) is not None)
        assert parsed == (_pattern("Money").search(text) is not None)


class TestAccepts:
    """Every valid record passes the schema."""

    @pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
    def test_example_records(self, validator: Validator, path: Path) -> None:
        """Each record in examples/records is valid under the schema."""
        assert validator.is_valid(json.loads(path.read_text(encoding="utf-8")))

    @pytest.mark.parametrize("name", list(VALID))
    def test_hand_written_records(self, validator: Validator, name: str) -> None:
        """A hand-written valid record (loads accepts it) is valid under the schema."""
        record = as_json(VALID[name]())
        loads(to_text(record))
        assert validator.is_valid(record)

    @pytest.mark.parametrize("name", list(VALID))
    def test_written_form(self, validator: Validator, name: str) -> None:
        """What dumps writes for a valid record is valid under the schema."""
        assert validator.is_valid(json.loads(dumps(loads(to_text(VALID[name]())))))

    def test_hand_written_records_cover_every_event_type(self) -> None:
        """The valid records above use every event type, so a new one needs an example here."""
        used = {event["type"] for make in VALID.values() for event in make()["events"]}
        assert set(EVENT_TYPES) == used


def _set(path: str, value: object) -> Callable[[Json], None]:
    """A change that sets the dotted *path* (integers index lists) to *value*."""

    def change(record: Json) -> None:
        *parents, last = path.split(".")
        node: Any = record
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[Json], None]:
    """A change that removes the dotted *path*."""

    def change(record: Json) -> None:
        *parents, last = path.split(".")
        node: Any = record
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return change


BROKEN: Final[dict[str, Callable[[Json], None]]] = {
    "unknown top-level field": _set("version", 1),
    "unknown contract field": _set("contract.curency", "USD"),
    "unknown event field": _set("events.0.colour", "red"),
    "missing contract": _delete("contract"),
    "missing events": _delete("events"),
    "missing format": _delete("format"),
    "other format": _set("format", "gigpolicy/2"),
    "missing contract id": _delete("contract.id"),
    "missing event amount": _delete("events.0.amount"),
    "missing event type": _delete("events.0.type"),
    "events not an array": _set("events", {}),
    "contract not an object": _set("contract", []),
    "event not an object": _set("events.0", "milestone_funded"),
    "client a number": _set("contract.client", 42),
    "amount a boolean": _set("events.0.amount", True),
    "amount null": _set("events.0.amount", None),
    "unknown event type": _set("events.0.type", "milestone_eaten"),
    "naive timestamp": _set("events.0.at", "2026-11-02T15:05:00"),
    "naive start": _set("contract.started_at", "2026-11-02T15:00:00"),
    "timestamp a number": _set("events.0.at", 1_700_000_000),
    "money not a number": _set("events.0.amount", "abc"),
    "money with a comma": _set("events.0.amount", "1,000.00"),
    "unknown party": _set("events.4.by", "someone"),
    "unknown contract kind": _set("contract.kind", "retainer"),
    "unknown feedback kind": _set("events.11.kind", "secret"),
    "unknown currency": _set("contract.currency", "XXX"),
    "blank milestone": _set("events.0.milestone", "   "),
    "empty id": _set("contract.id", ""),
}


class TestRejects:
    """Structurally broken records fail the schema, as they fail loads."""

    @pytest.mark.parametrize("name", list(BROKEN))
    def test_broken_record(self, validator: Validator, name: str) -> None:
        """A record broken in one place is invalid under the schema and rejected by loads."""
        record = copy.deepcopy(as_json(fixed_price_record()))
        BROKEN[name](record)
        assert not validator.is_valid(record)
        with pytest.raises(InvalidRecord):
            loads(to_text(record))

    def test_week_ending_must_be_a_date(self, validator: Validator) -> None:
        """A week_ending written as a timestamp is invalid under the schema and rejected by loads."""
        record = as_json(hourly_record())
        record["events"][1]["week_ending"] = "2026-11-08T00:00:00Z"
        assert not validator.is_valid(record)
        with pytest.raises(InvalidRecord):
            loads(to_text(record))

    def test_not_an_object(self, validator: Validator) -> None:
        """A JSON array is not a record."""
        assert not validator.is_valid([])
