"""The fast path of ``loads``: equal values for what it accepts, the full path's errors for the rest."""

from __future__ import annotations

import decimal
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.records import record_text
from tests.test_fuzz import damaged

from gigpolicy import ContractRecord, InvalidRecord, dumps, loads
from gigpolicy._codec import (
    _AMOUNTS,
    _FAST_CONTRACT,
    _FAST_EVENTS,
    _FAST_INSTANT,
    _FAST_PAIRS,
    _FAST_PAIRS_AT,
    _SCAN,
    _USUAL,
    _fast_instant,
    _fast_parts,
    _FastBuild,
    _full_loads,
)
from gigpolicy._contract import ContractTerms
from gigpolicy._events import EVENT_TYPES
from gigpolicy._record import MAX_EVENTS
from gigpolicy._time import EARLIEST, LATEST
from gigpolicy.testing import records

Outcome = tuple[object, ...]

AT: Final = "2026-11-02T16:00:00Z"
FUND: Final = {"type": "milestone_funded", "at": AT, "milestone": "m1", "amount": "500.00"}
HOURLY: Final = {"kind": "hourly", "hourly_rate": "40.00"}


def outcome(decode: Callable[[str], ContractRecord], text: str) -> Outcome:
    """What *decode* makes of *text*: the record and its text, or every problem with its place."""
    try:
        record = decode(text)
    except InvalidRecord as error:
        found = [(type(single).__name__, single.path, single.problem) for single in error.errors]
        return ("refused", type(error).__name__, str(error), found)
    return ("accepted", record, dumps(record))


def assert_same(text: str) -> Outcome:
    """Assert that ``loads`` and the full path agree on *text*; return the outcome."""
    expected = outcome(_full_loads, text)
    assert expected == outcome(loads, text)
    return expected


def event(**fields: object) -> dict[str, object]:
    """A milestone_funded event with *fields* changed (``None`` deletes one)."""
    data = {**FUND, **fields}
    return {key: value for key, value in data.items() if value is not None}


#: Valid records the fast path decodes itself: every event type, optional fields present and
#: absent or null, amounts written as JSON numbers, non-ASCII text.
FAST: Final[Mapping[str, str]] = {
    "funded": record_text(FUND),
    "due_at": record_text(event(due_at="2026-12-01T00:00:00.5+05:30")),
    "due_at_null": record_text(event(due_at=None)).replace('"amount"', '"due_at": null, "amount"'),
    "integer_amount": record_text(event(amount=500)),
    "number_amount": record_text(FUND).replace('"500.00"', "500.5"),
    "unicode": record_text(event(milestone="Étape ✓"), client="Zoë"),
    "fixed_lifecycle": record_text(
        FUND,
        {"type": "work_submitted", "at": AT, "milestone": "m1"},
        {"type": "changes_requested", "at": AT, "milestone": "m1"},
        {"type": "milestone_released", "at": AT, "milestone": "m1", "amount": "100.00"},
        {"type": "escrow_returned", "at": AT, "milestone": "m1", "amount": "100.00"},
        {"type": "dispute_opened", "at": AT, "by": "client", "milestone": "m1"},
        {"type": "dispute_resolved", "at": AT, "to_freelancer": "300.00", "to_client": "0"},
        {"type": "bonus_paid", "at": AT, "amount": "5"},
        {"type": "refund_issued", "at": AT, "amount": "1.5"},
        {"type": "contract_paused", "at": AT, "by": "client"},
        {"type": "contract_resumed", "at": AT, "by": "client"},
        {"type": "job_reported", "at": AT, "by": "freelancer", "reason": "spam"},
        {"type": "account_suspended", "at": AT, "party": "client", "reason": "tos_violation"},
        {"type": "contract_ended", "at": AT, "by": "client", "reason": "done"},
        {"type": "feedback_left", "at": AT, "by": "client", "kind": "public", "rating": "4.5", "comment": "ok"},
        {"type": "feedback_left", "at": AT, "by": "freelancer", "kind": "private", "rating": 9},
        {"type": "feedback_response", "at": AT, "by": "freelancer"},
        {"type": "feedback_edit_enabled", "at": AT, "by": "freelancer"},
        {"type": "feedback_removed", "at": AT, "author": "client", "reason": "abuse"},
    ),
    "hourly": record_text(
        {
            "type": "hours_billed",
            "at": "2026-11-09T01:00:00Z",
            "week_ending": "2026-11-08",
            "hours": "10",
            "amount": 400,
        },
        {"type": "hours_disputed", "at": "2026-11-10T01:00:00Z", "week_ending": "2026-11-08"},
        **HOURLY,
        weekly_limit_hours="40",
        freelancer_fee_rate="0.1",
    ),
    "null_marketplace": record_text().replace('"upwork"', "null"),
    # keys in another order than the fields': read through a dict
    "type_second": record_text({"at": AT, "type": "milestone_funded", "milestone": "m1", "amount": "500.00"}),
    "type_second_due_at": record_text(
        {"at": AT, "type": "milestone_funded", "milestone": "m1", "amount": "500.00", "due_at": AT}
    ),
    "type_last": record_text({"at": AT, "milestone": "m1", "amount": "500.00", "type": "milestone_funded"}),
    "fields_shuffled": record_text({"type": "milestone_funded", "amount": "500.00", "milestone": "m1", "at": AT}),
    "optional_first": record_text({"type": "contract_ended", "reason": "done", "at": AT, "by": "client"}),
    "json_whitespace_after": record_text() + " \t\r\n",
}

#: Texts the fast path leaves to the full path: unusual spellings of valid records, and invalid ones.
FALLBACK: Final[Mapping[str, str]] = {
    "not_json": "{",
    "whitespace_before": " \n" + record_text(),
    "other_whitespace_after": record_text() + "\u2028",
    "extra_data": record_text() + " {}",
    "byte_order_mark": "\ufeff" + record_text(),
    "nested_deeply": "[" * 100_000 + "]" * 100_000,
    "not_an_object": "[]",
    "missing_events": record_text().replace(', "events": []', ""),
    "extra_key": record_text().replace('"events"', '"extra": 1, "events"'),
    "repeated_key": record_text().replace('{"format"', '{"format": "gigpolicy/1", "format"'),
    "other_format": record_text().replace("gigpolicy/1", "gigpolicy/2"),
    "events_not_array": record_text().replace('"events": []', '"events": {}'),
    "too_many_events": record_text().replace('"events": []', '"events": [' + ",".join(["0"] * (MAX_EVENTS + 1)) + "]"),
    "event_not_object": record_text().replace('"events": []', '"events": [[]]'),
    "event_empty": record_text().replace('"events": []', '"events": [{}]'),
    "event_one_key": record_text({"at": AT}),
    "event_type_second_not_str": record_text({"at": AT, "type": 1, "milestone": "m1", "amount": "500.00"}),
    "event_type_second_repeated_key": record_text(
        {"at": AT, "type": "milestone_funded", "milestone": "m1", "amount": "500.00"}
    ).replace('"milestone": "m1"', '"milestone": "m1", "milestone": "m1"'),
    "event_repeated_key_type_last": record_text(
        {"at": AT, "milestone": "m1", "amount": "500.00", "type": "milestone_funded"}
    ).replace('"milestone": "m1"', '"milestone": "m1", "milestone": "m1"'),
    "event_repeated_key_of_another_length": record_text(event(due_at=AT)).replace(
        '"milestone": "m1"', '"milestone": "m1", "milestone": "m1"'
    ),
    "event_repeated_key": record_text(FUND).replace('"milestone": "m1"', '"milestone": "m1", "milestone": "m1"'),
    "event_without_type": record_text(event(type=None)),
    "event_type_not_str": record_text(event(type=1)),
    "event_type_unknown": record_text(event(type="milestone_eaten")),
    "event_extra_key": record_text(event(amout="5.00")),
    "event_missing_field": record_text(event(milestone=None)),
    "event_null_field": record_text(event(milestone=None)).replace('"amount"', '"milestone": null, "amount"'),
    "lowercase_z": record_text(event(at="2026-11-02t16:00:00z")),
    "no_offset": record_text(event(at="2026-11-02T16:00:00")),
    "no_such_day": record_text(event(at="2026-02-30T16:00:00Z")),
    "offset_too_large": record_text(event(at="2026-11-02T16:00:00+24:00")),
    "before_1900": record_text(event(at="1899-12-31T23:00:00+05:00")),
    "instant_not_str": record_text(event(at=5)),
    "blank_milestone": record_text(event(milestone=" ")),
    "long_milestone": record_text(event(milestone="m" * 1_001)),
    "lone_surrogate": record_text(event(milestone="m\ud800")),
    "amount_trailing_point": record_text(event(amount="500.")),
    "amount_too_precise": record_text(event(amount="500.001")),
    "amount_zero": record_text(event(amount="0.00")),
    "amount_negative": record_text(event(amount=-5)),
    "amount_bool": record_text(event(amount=True)),
    "amount_number_too_precise": record_text(FUND).replace('"500.00"', "500.001"),
    "amount_huge": record_text(event(amount="1" + "0" * 15)),
    "amount_nan": record_text(FUND).replace('"500.00"', "NaN"),
    "party_unknown": record_text({"type": "contract_ended", "at": AT, "by": "nobody"}),
    "party_not_str": record_text({"type": "contract_ended", "at": AT, "by": ["client"]}),
    "resolved_negative": record_text(
        FUND,
        {"type": "dispute_opened", "at": AT, "by": "client"},
        {"type": "dispute_resolved", "at": AT, "to_freelancer": "-1.00", "to_client": "501.00"},
    ),
    "hours_missing": record_text(
        {"type": "hours_billed", "at": "2026-11-09T01:00:00Z", "week_ending": "2026-11-08", "amount": "4"}, **HOURLY
    ),
    "hours_not_decimal": record_text(
        {"type": "hours_billed", "at": AT, "week_ending": "2026-11-08", "hours": "ten", "amount": "4"}, **HOURLY
    ),
    "hours_too_many": record_text(
        {"type": "hours_billed", "at": AT, "week_ending": "2026-11-08", "hours": "169", "amount": "4"}, **HOURLY
    ),
    "hours_too_precise": record_text(
        {"type": "hours_billed", "at": AT, "week_ending": "2026-11-08", "hours": "1.0000001", "amount": "4"}, **HOURLY
    ),
    "week_not_a_date": record_text({"type": "hours_disputed", "at": AT, "week_ending": "2026-11-31"}, **HOURLY),
    "week_not_a_sunday": record_text({"type": "hours_disputed", "at": AT, "week_ending": "2026-11-09"}, **HOURLY),
    "comment_blank": record_text(
        {"type": "feedback_left", "at": AT, "by": "client", "kind": "public", "rating": 5, "comment": "  "}
    ),
    "rating_out_of_range": record_text(
        {"type": "feedback_left", "at": AT, "by": "client", "kind": "public", "rating": 6}
    ),
    "contract_not_object": record_text().replace('"contract": {', '"contract": 1, "c": {'),
    "contract_extra_key": record_text(nickname="x"),
    "contract_repeated_key": record_text().replace('"id": "c-1001"', '"id": "c-1001", "id": "c-1002"'),
    "currency_not_str": record_text(currency=840),
    "currency_unknown": record_text(currency="XXX"),
    "contract_missing_id": record_text().replace('"id": "c-1001", ', ""),
    "contract_id_not_str": record_text(id=1001),
    "hourly_rate_bad": record_text(kind="hourly", hourly_rate="40.001"),
    "hourly_rate_zero": record_text(kind="hourly", hourly_rate="0"),
    "same_parties": record_text(freelancer="client-42"),
    "weekly_limit_too_many": record_text(**HOURLY, weekly_limit_hours="168.5"),
    "weekly_limit_negative": record_text(**HOURLY, weekly_limit_hours=-1),
    "fee_rate_above_one": record_text(freelancer_fee_rate="1.01"),
    "fee_rate_too_precise": record_text(freelancer_fee_rate="0.1000001"),
}


class TestFastPath:
    """Which texts the fast path takes, and that ``loads`` then agrees with the full path."""

    @pytest.mark.parametrize("name", sorted(FAST))
    def test_valid_records_take_the_fast_path(self, name: str) -> None:
        """A valid record in the usual spelling is decoded by the fast path, to the full path's values."""
        text = FAST[name]
        assert _fast_parts(text) is not None
        assert "accepted" == assert_same(text)[0]

    @pytest.mark.parametrize("name", sorted(FALLBACK))
    def test_other_texts_fall_back(self, name: str) -> None:
        """Anything unusual or wrong is left to the full path, whose outcome ``loads`` then gives."""
        text = FALLBACK[name]
        assert _fast_parts(text) is None
        assert_same(text)

    def test_a_transition_error_comes_from_the_fold(self) -> None:
        """An event the state does not allow: the fast path decodes it, the fold refuses it."""
        text = record_text({"type": "work_submitted", "at": AT, "milestone": "m1"})
        assert _fast_parts(text) is not None
        expected = ("refused", "InvalidTransition", "events[0]: milestone 'm1' was never funded")
        assert expected == assert_same(text)[:3]

    def test_a_narrow_decimal_context(self) -> None:
        """A caller's context too narrow for an amount: ``loads`` reads the record anyway.

        The fast path called in that context steps aside; ``loads`` runs in gigpolicy's own
        context whatever the caller's, and both paths accept the record alike.
        """
        text = FAST["funded"]
        _AMOUNTS.clear()  # an amount parsed before is not parsed again, in any context
        with decimal.localcontext() as context:
            context.prec = 4
            assert _fast_parts(text) is None
            assert "accepted" == assert_same(text)[0]

    def test_an_amount_parsed_before_is_the_same_value(self) -> None:
        """Amounts are kept by their text and currency: a second record gets the same exact value."""
        first, second = _fast_parts(FAST["funded"]), _fast_parts(FAST["funded"])
        assert first is not None
        assert second is not None
        assert first[1][0].amount is second[1][0].amount  # type: ignore[attr-defined]  # a funding
        with decimal.localcontext() as context:
            context.prec = 4  # too narrow to parse it, but it was parsed in gigpolicy's own context
            again = _fast_parts(FAST["funded"])
        assert again is not None
        assert first == again

    def test_a_week_and_hours_parsed_before_are_the_same_values(self) -> None:
        """A week's Sunday and its hours are kept by their text: a second record gets the same values.

        What was refused is not kept: a Monday, or too many hours, falls back again (and the full
        path refuses it again), and a JSON number is parsed each time.
        """
        billed = {"type": "hours_billed", "at": AT, "week_ending": "2026-11-01", "hours": "7.5", "amount": "300.00"}
        first, second = (_fast_parts(record_text(billed, **HOURLY)) for _ in range(2))
        assert first is not None
        assert second is not None
        assert first[1][0].week_ending is second[1][0].week_ending  # type: ignore[attr-defined]  # hours billed
        assert first[1][0].hours is second[1][0].hours  # type: ignore[attr-defined]
        as_number = _fast_parts(record_text({**billed, "hours": 7.5}, **HOURLY).replace('"7.5"', "7.5"))
        assert as_number is not None
        assert first == as_number
        assert as_number[1][0].hours is not first[1][0].hours  # type: ignore[attr-defined]  # parsed, not kept
        for wrong in ({"week_ending": "2026-11-02"}, {"hours": "169"}):
            text = record_text({**billed, **wrong}, **HOURLY)
            for _ in range(2):
                assert _fast_parts(text) is None
                assert "refused" == assert_same(text)[0]

    def test_a_rating_as_an_integer_is_kept_but_true_is_no_rating(self) -> None:
        """A rating written as a JSON integer is kept by its value, as a string is by its text.

        ``True`` equals ``1`` as a key, but it is no rating: it is never looked up, and the full
        path refuses it, after a rating of 1 as before.
        """
        left = {"type": "feedback_left", "at": AT, "by": "client", "kind": "public", "rating": 1}
        first, second = (_fast_parts(record_text(left)) for _ in range(2))
        assert first is not None
        assert second is not None
        assert first[1][0].rating is second[1][0].rating  # type: ignore[attr-defined]  # feedback
        assert Decimal(1) == first[1][0].rating  # type: ignore[attr-defined]
        text = record_text({**left, "rating": True})
        assert _fast_parts(text) is None
        assert "refused" == assert_same(text)[0]

    def test_every_event_type_and_field_is_known(self) -> None:
        """The fast path knows every event type by its fields, and every contract field."""
        expected = {kind: {field.name for field in attrs.fields(cls)} | {"type"} for kind, cls in EVENT_TYPES.items()}
        assert expected == {kind: set(spec.names) for kind, spec in _FAST_EVENTS.items()}
        assert {field.name for field in attrs.fields(ContractTerms)} == set(_FAST_CONTRACT.names)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(record=records(max_events=15))
def test_fast_and_full_paths_agree_on_valid_records(record: ContractRecord) -> None:
    """The fast path and the full path decode every valid record to equal values."""
    for indent in (None, 2):
        text = dumps(record, indent=indent)
        assert _fast_parts(text) is not None
        expected = outcome(_full_loads, text)
        assert ("accepted", record, dumps(record)) == expected
        assert expected == outcome(loads, text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged())
def test_fast_and_full_paths_agree_on_damaged_texts(text: str | bytes) -> None:
    """The fast path and the full path decode every invalid text to the same errors (and valid ones alike)."""
    if isinstance(text, bytes):  # a flipped byte: the fast path sees text only
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            text = json.dumps(error.object.decode("latin-1"))
    assert_same(text)


#: Characters an instant's digit places may hold in the texts drawn: ASCII digits most often, and
#: what a parser might take for one (other scripts' digits, signs, spaces, the separators themselves).
_NEAR_DIGITS: Final = "0123456789" * 6 + "٥０²+- .:TZtz\x00\ud800é"


@settings(max_examples=2000)
@given(
    digits=st.lists(st.sampled_from(_NEAR_DIGITS), min_size=14, max_size=14),
    tail=st.sampled_from(["", "", "", "0", "Z", "\n", ".5", "+00:00"]),
)
def test_the_usual_instant_shape_reads_as_the_pattern_does(digits: list[str], tail: str) -> None:
    """Rule: "an instant of the usual shape is read as the strict pattern reads it".

    With the usual separators in place (``2026-11-03T09:00:00Z``), the fast path reads an instant
    where, and only where, the pattern takes it and ``fromisoformat`` reads it, to the same value.
    """
    year, month, day, hour, minute, second = (
        "".join(digits[start:end]) for start, end in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))
    )
    text = f"{year}-{month}-{day}T{hour}:{minute}:{second}Z{tail}"
    read = _fast_instant(text, "USD")
    if _FAST_INSTANT.fullmatch(text) is None:
        assert read is None
        return
    try:
        expected = datetime.fromisoformat(text)
    except ValueError:
        assert read is None
        return
    assert read == expected if EARLIEST <= expected < LATEST else read is None


def test_the_usual_instant_shape_is_read() -> None:
    """The shortcut reads the usual instant, and leaves a text of that shape with a non-digit to the full path."""
    assert datetime(2026, 11, 3, 9, tzinfo=UTC) == _fast_instant("2026-11-03T09:00:00Z", "USD")
    assert _fast_instant("2026-11-03T09:00:0\u0665Z", "USD") is None


@pytest.mark.parametrize("text", ["2026-11-02T15:Z\x00:\u00e9\u00e9Z", "2026-11-03T09:00:Z\x00Z"])
def test_an_offset_cut_short_is_no_instant(text: str) -> None:
    """A ``Z`` before the last character, then a NUL: ``fromisoformat`` of CPython 3.11 reads a time cut short.

    Such a text has the usual separators, but the pattern refuses it, and so does ``loads``.
    """
    assert (_FAST_INSTANT.fullmatch(text), _fast_instant(text, "USD")) == (None, None)
    with pytest.raises(InvalidRecord, match=r"events\[0\]\.at"):
        loads(record_text(event(at=text)))


def test_no_character_in_any_place_fools_the_shortcut() -> None:
    """Rule: "an instant of the usual shape is read as the strict pattern reads it", place by place.

    Each of the 14 places of a digit and the last one in turn holds each character of a set
    that parsers stumble on, the others the usual instant's; then a ``Z`` and a NUL in every two places.
    """
    usual = "2026-11-03T09:00:00Z"
    odd = [chr(code) for code in range(0x80)] + ["\u0665", "\uff10", "\u00b2", "\u00e9", "\ud800", "\u2028"]
    texts = [usual[:place] + char + usual[place + 1 :] for place in range(20) for char in odd]
    texts += [
        usual[:first] + "Z" + usual[first + 1 : second] + "\x00" + usual[second + 1 :]
        for first in range(20)
        for second in range(first + 1, 20)
    ]
    for text in texts:
        expected = None
        if _FAST_INSTANT.fullmatch(text) is not None:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                parsed = None
            expected = parsed if parsed is not None and EARLIEST <= parsed < LATEST else None
        assert expected == _fast_instant(text, "USD"), repr(text)


def _bases() -> dict[str, tuple[_FastBuild[Any], dict[str, object], str]]:
    """A valid object of each event type and of the terms, as the fast path's decoder gives it, and its currency."""
    found: dict[str, tuple[_FastBuild[Any], dict[str, object], str]] = {}
    for name in ("fixed_lifecycle", "hourly", "due_at"):
        data, _ = _SCAN(FAST[name], 0)
        top = dict(data)  # type: ignore[call-overload]  # the decoder's pairs
        contract = dict(top["contract"])
        currency = contract["currency"]
        found.setdefault("contract", (_FAST_CONTRACT, contract, currency))
        for raw in top["events"]:
            fields = dict(raw)
            found.setdefault(fields["type"], (_FAST_EVENTS[fields["type"]], fields, currency))
    return found


#: The builders, each beside the same builder without the values read in line (each value its parser's).
BASES: Final = _bases()
PLAIN: Final = {kind: spec.builder(usual=False) for kind, (spec, _, _) in BASES.items()}
PLAIN_PAIRS: Final = {kind: spec.pairs_builder(usual=False) for kind, spec in _FAST_EVENTS.items()}
PLAIN_PAIRS_AT: Final = {kind: spec.pairs_builder(usual=False, tag_at=1) for kind, spec in _FAST_EVENTS.items()}

#: Values a field may hold: the usual one of each kind of field, and what is nearly one.
VALUES: Final[list[object]] = [
    *(AT, "2026-11-03T09:00:00Z", "2026-11-03T09:00:00.5Z", "2026-11-03T09:00:00+05:30", "2026-11-03t09:00:00z"),
    *("1900-01-01T00:00:00Z", "1901-01-01T00:00:00Z", "8998-12-31T23:59:59Z", "8999-12-31T23:59:59Z"),
    *(
        "9000-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2026-02-30T09:00:00Z",
        "2026-11-03T09:00:Z\x00Z",
    ),
    *("m1", "", " ", "\t m \n", "é", "Étape ✓", "m\ud800", "m" * 1_000, "m" * 1_001),
    *("500.00", "500", "0", "0.00", "500.001", "500.", "-5", "1e3", "1" + "0" * 15, "\u0665"),
    *("client", "freelancer", "CLIENT", "nobody", "public", "private", "hourly", "fixed_price"),
    *("2026-11-01", "2026-11-02", "7.5", "169", "5", "4.5", "USD", "JPY", "XXX"),
    *(5, 500, 0, -1, Decimal("500.5"), Decimal("7.5"), True, False, (("a", 1),), ["x"]),
]
_FIELDS: Final = [
    (kind, name) for kind, (spec, _, _) in sorted(BASES.items()) for name, parse, _ in spec.fields if parse in _USUAL
]


def assert_read_as_parsed(kind: str, name: str, value: object) -> None:
    """The builders of *kind* given *value* for *name* build what the same builder without in-line reads builds.

    An event's is built from its dict and from its pairs, in the fields' order, with its type first
    and second; the pairs are also read with the field left out, and in the reverse order.
    """
    spec, base, currency = BASES[kind]
    fields = {**base, name: value}
    expected = PLAIN[kind](fields, currency)
    built = [spec.build(fields, currency)]
    if kind in _FAST_EVENTS:
        pairs = tuple(fields.items())
        built += [_FAST_PAIRS["type", kind](pairs, currency), PLAIN_PAIRS[kind](pairs, currency)]
        second = (pairs[1], pairs[0], *pairs[2:])
        built += [_FAST_PAIRS_AT["type", kind](second, currency), PLAIN_PAIRS_AT[kind](second, currency)]
        built.append(_FAST_PAIRS["type", kind]((pairs[0], *reversed(pairs[1:])), currency))
        left_out = tuple(pair for pair in pairs if pair[0] != name)
        assert _FAST_PAIRS["type", kind](left_out, currency) == PLAIN[kind](dict(left_out), currency)
    for one in built:
        assert (one, repr(one)) == (expected, repr(expected)), (kind, name, value)


def test_the_bases_hold_every_type() -> None:
    """Each event type and the terms have a valid object to change a field of, and each is built as it is."""
    assert {"contract", *_FAST_EVENTS} == set(BASES)
    for kind, (spec, base, currency) in BASES.items():
        assert spec.build(base, currency) is not None, kind
    assert {"hourly_rate", "rating", "week_ending", "hours", "due_at"} <= {name for _, name in _FIELDS}


def test_every_value_read_in_line_is_the_parsers() -> None:
    """Rule: "a value a builder reads in line is its parser's value, and refused where the parser refuses it".

    Every field whose parser has a usual value (:data:`~gigpolicy._codec._USUAL`) holds, in turn,
    each of a set of values of every kind and near them; an instant's field also each text of the
    odd characters in every place.
    """
    usual = "2026-11-03T09:00:00Z"
    odd = [chr(code) for code in range(0x80)] + ["\u0665", "\uff10", "\u00b2", "\u00e9", "\ud800"]
    instants = [usual[:place] + char + usual[place + 1 :] for place in range(20) for char in odd]
    for kind, name in _FIELDS:
        spec = BASES[kind][0]
        parse = next(parse for field, parse, _ in spec.fields if field == name)
        for value in VALUES + (instants if parse is _fast_instant else []):
            assert_read_as_parsed(kind, name, value)


@given(
    field=st.sampled_from(_FIELDS),
    value=st.one_of(
        st.sampled_from(VALUES),
        st.text(max_size=24),
        st.lists(st.sampled_from(_NEAR_DIGITS), min_size=14, max_size=14).map(
            lambda digits: "{}{}{}{}-{}{}-{}{}T{}{}:{}{}:{}{}Z".format(*digits)
        ),
        st.integers(),
        st.decimals(allow_nan=False, allow_infinity=False),
    ),
)
def test_a_drawn_value_read_in_line_is_the_parsers(field: tuple[str, str], value: object) -> None:
    """Rule: "a value a builder reads in line is its parser's value, and refused where the parser refuses it"."""
    assert_read_as_parsed(*field, value)
