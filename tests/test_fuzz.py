"""Fuzzing in the suite: mutated valid records through every public function; only GigPolicyError may escape.

Each example starts from a valid record of :mod:`gigpolicy.testing`, written as JSON, and
damages it once or a few times: a value anywhere replaced by a JSON value of another kind
(or a hostile one: huge, tiny, non-finite, non-ASCII digits, lone surrogates, deep nesting),
a key dropped or added or repeated, the text cut short or a byte flipped. Whatever
:func:`gigpolicy.loads` makes of it, and whatever record it accepts, then goes through
``replay``, ``evaluate``, ``options``, ``job_success``, ``dumps`` and ``differences`` at
instants and under policies drawn too, and through the command line. The SPEC's rule: "Nothing
else escapes the public functions on bad input: no KeyError, no TypeError, no traceback from
deep inside."
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gigpolicy
from gigpolicy import ContractRecord, GigPolicyError
from gigpolicy._cli import main
from gigpolicy.testing import records

Json = Any
"""A JSON value as :func:`json.loads` returns it (with exact decimals)."""

HOSTILE_TEXT: Final = (
    "",
    " ",
    "\u0665\u0660\u0660",
    "\uff11\uff12",
    "\ud800",
    "\x00",
    "x" * 1_001,
    "NaN",
    "Infinity",
    "1e999",
    "-0",
    "0E-1000000",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "2026-02-30T00:00:00Z",
    "2026-11-02T15:00:00",
    "2026-11-02",
    "upwork@1900-01-01",
    "client",
    "freelancer",
    "public",
)
HOSTILE_RAW: Final = (
    "NaN",
    "-Infinity",
    "1e999",
    "1e-999",
    "7E+" + "7" * 25,
    "1" + "0" * 40,
    "1" + "0" * 5_000,
    "-0.0",
    "[" * 3_000 + "]" * 3_000,
    '"\\ud800"',
    '"\\u0000"',
)
"""JSON texts that ``json.dumps`` cannot write from a Python value: spliced into the text instead."""

SCALARS: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.integers(0, 8)
    .flatmap(lambda places: st.decimals(allow_nan=False, allow_infinity=False, places=places))
    .map(str),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=12),
)
VALUES: Final = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
INSTANTS: Final = st.one_of(
    st.sampled_from([timedelta(0), timedelta(seconds=1), timedelta(days=14), timedelta(days=800)]),
    st.integers(-(10**6), 10**9).map(lambda seconds: timedelta(seconds=seconds)),
)
POLICIES: Final = st.sampled_from([None, "upwork", "fiverr", "freelancer", "upwork@2019-01-01", "nowhere", "@"])


def _paths(value: Json, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in *value*, the root included."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*path, index)))
    return found


def _replace(value: Json, path: tuple[object, ...], new: Json) -> Json:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {key: _replace(item, rest, new) if key == head else item for key, item in value.items()}
    return [_replace(item, rest, new) if index == head else item for index, item in enumerate(value)]


def _drop(value: Json, path: tuple[object, ...]) -> Json:
    if len(path) == 1:
        if isinstance(value, dict):
            return {key: item for key, item in value.items() if key != path[0]}
        return [item for index, item in enumerate(value) if index != path[0]]
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {key: _drop(item, rest) if key == head else item for key, item in value.items()}
    return [_drop(item, rest) if index == head else item for index, item in enumerate(value)]


@st.composite
def damaged(draw: st.DrawFn) -> str | bytes:
    """The JSON text of a valid record, damaged one to three times."""
    record = draw(records(max_events=12))
    data: Json = json.loads(gigpolicy.dumps(record, indent=None))
    for _ in range(draw(st.integers(1, 3))):
        places = _paths(data)
        place = draw(st.sampled_from(places))
        how = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if how == "replace" or not place:
            data = _replace(data, place, draw(VALUES))
        elif how == "drop":
            data = _drop(data, place)
        else:
            parent = place[:-1]
            data = _replace(data, parent, _with_key(_at(data, parent), draw(st.text(max_size=8)), draw(VALUES)))
    text = json.dumps(data)
    surgery = draw(st.sampled_from(["none", "none", "splice", "duplicate", "cut", "flip"]))
    if surgery == "splice":
        # a hostile raw value in place of one scalar of the text
        target = draw(st.sampled_from(['"' + str(v) + '"' for v in _scalars(data)] or ["null"]))
        if target in text:
            text = text.replace(target, draw(st.sampled_from(HOSTILE_RAW)), 1)
    elif surgery == "duplicate" and '{"' in text:
        text = text.replace('{"', '{"format": 1, "', 1)
    elif surgery == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif surgery == "flip":
        raw = bytearray(text.encode("utf-8", "surrogatepass"))
        if raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(raw)
    return text


def _at(value: Json, path: tuple[object, ...]) -> Json:
    for key in path:
        value = value[key]
    return value


def _with_key(value: Json, key: str, item: Json) -> Json:
    if isinstance(value, dict):
        return {**value, key: item}
    if isinstance(value, list):
        return [*value, item]
    return value


def _scalars(value: Json) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _scalars(item)]
    if isinstance(value, list):
        return [s for item in value for s in _scalars(item)]
    return [value] if isinstance(value, str) else []


def _through_everything(record: ContractRecord, shift: timedelta, policy: str | None) -> None:
    """Every public function on *record*; each may refuse with a GigPolicyError, nothing else."""
    start = record.contract.started_at
    last = record.events[-1].at if record.events else start
    at = last + shift
    calls = (
        lambda: gigpolicy.replay(record, at=at, policy=policy),
        lambda: gigpolicy.evaluate(record, at=at, policy=policy),
        lambda: gigpolicy.options(record, party="freelancer", at=at, policy=policy),
        lambda: gigpolicy.job_success([record, record], freelancer=record.contract.freelancer, at=at, policy=policy),
        lambda: gigpolicy.differences(gigpolicy.evaluate(record, at=at), gigpolicy.evaluate(record, at=at)),
    )
    for call in calls:
        with contextlib.suppress(GigPolicyError):
            call()
    assert record == gigpolicy.loads(gigpolicy.dumps(record))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged(), shift=INSTANTS, policy=POLICIES)
def test_only_gig_policy_errors_escape(text: str | bytes, shift: timedelta, policy: str | None) -> None:
    """Nothing else escapes the public functions on bad input: no KeyError, no TypeError, no traceback."""
    try:
        record = gigpolicy.loads(text)
    except GigPolicyError as error:
        message = str(error)
    else:
        _through_everything(record, shift, policy)
        return
    assert message


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], max_examples=25)
@given(text=damaged())
def test_the_command_line_never_shows_a_traceback(
    text: str | bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user error exits 1 with the problems on stderr; a valid record exits 0; never a traceback."""
    path = tmp_path / "record.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    at = ("--at", "2026-11-05T00:00:00Z")
    commands = (
        ["validate", str(path)],
        ["explain", str(path), "--json", *at],
        ["options", str(path), "--as", "client", *at],
    )
    for argv in commands:
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in {0, 1}
        assert "Traceback" not in err
        assert (code == 0) == (err == "")
        if code == 0:
            assert out


@given(record=records(max_events=8), shift=INSTANTS, policy=POLICIES)
def test_valid_records_pass_through_everything(record: ContractRecord, shift: timedelta, policy: str | None) -> None:
    """A valid record, at any instant and under any name: only GigPolicyError may be raised."""
    _through_everything(record, shift, policy)


def test_an_instant_far_from_the_record() -> None:
    """The far ends of the accepted range judge a record without overflow."""
    record = gigpolicy.loads(gigpolicy.dumps(_record()))
    for at in (datetime(8999, 12, 31, 23, tzinfo=UTC), datetime(2016, 6, 21, tzinfo=UTC)):
        _through_everything(record, at - (record.events[-1].at if record.events else record.contract.started_at), None)


def _record() -> ContractRecord:
    return gigpolicy.loads(
        json.dumps(
            {
                "format": "gigpolicy/1",
                "contract": {
                    "id": "c-1",
                    "kind": "fixed_price",
                    "currency": "USD",
                    "client": "cl",
                    "freelancer": "fl",
                    "started_at": "2026-11-02T15:00:00Z",
                },
                "events": [
                    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "5"},
                    {"type": "work_submitted", "at": "2026-11-02T16:05:00Z", "milestone": "m1"},
                ],
            }
        )
    )
