"""Hostile values at every public function and constructor: a GigPolicyError or a TypeError, nothing else.

Also: whatever :mod:`decimal` context the caller has set, gigpolicy computes in its own, gives the
same results, and leaves the caller's context as it was (issue 14, item 3).

Every call the property makes is counted; the module prints ``N calls of the public API, 0
escapes`` when it ends (``pytest -s tests/test_api_hostile.py``). Left out of the property:

- ``register_policy`` and ``register_sources``: they change the process-wide registries that every
  other test reads (their refusals are tested in test_policy and test_sources);
- ``converter``: a cattrs converter handed out as one, whose errors are cattrs' own;
- the enums (``Party("x")`` raises ``ValueError``, as every ``Enum`` does) and the exception classes;
- ``evaluate_lines(..., jobs=2)`` and more: worker processes, tested in test_batch;
- policies with hostile parameters (``refund_window=timedelta.max``): a policy is configuration
  that nothing checks yet, apart from its fee rates;
- the values in :data:`FOUND_ESCAPES`: escapes the property found in other modules, each now
  refused, and pinned there so that none comes back.
"""

from __future__ import annotations

import decimal
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, ClassVar, Final, TypeAlias
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gigpolicy
from gigpolicy import (
    BonusPaid,
    ContractRecord,
    Event,
    FlatFee,
    GigPolicyError,
    InvalidRecord,
    Money,
    Party,
    Question,
    ReplayRules,
    UnknownPolicy,
)
from gigpolicy._context import DECIMAL, in_decimal_context
from gigpolicy._time import NaiveDatetime
from gigpolicy.testing import records

ROOT: Final = Path(__file__).resolve().parent.parent
EXAMPLES: Final = sorted((ROOT / "examples" / "records").glob("*.json"))
TEXTS: Final = [path.read_text(encoding="utf-8") for path in EXAMPLES]
RECORDS: Final = [gigpolicy.loads(text) for text in TEXTS]
AT: Final = datetime(2026, 12, 1, tzinfo=UTC)
EXAMPLES_PER_DRIVER: Final = min(5 * settings().max_examples, 600)
"""The property draws five times the profile's examples (each draw is one of many shapes), at most
600 per driver: the ``ci`` profile's 1,500 made it the slowest file of the suite for little more."""
CONTEXT_EXAMPLES: Final = min(settings().max_examples, 100)
"""The decimal-context property's examples: the profile's, at most 100 (``dev`` keeps its 50). Each one runs
every entry point twice, ``options`` and a batch among them, so the ``ci`` profile's 300 made it one of the two
slowest tests of the suite (one to three minutes) for little more: 100 draws still meet each precision, rounding and
exponent of ``hostile_contexts`` many times."""


# -- the tally ----------------------------------------------------------------------------------------


@attrs.define
class _Tally:
    calls: int = 0
    escapes: list[str] = attrs.Factory(list)
    caller: decimal.Context | None = None
    """The decimal context the caller has while the next calls run (``None``: the one in force)."""


TALLY: Final = _Tally()


@pytest.fixture(scope="module", autouse=True)
def _print_tally() -> Iterator[None]:
    """Print how many public calls this module made, and how many let another exception out."""
    yield
    print(f"\n{__name__}: {TALLY.calls} calls of the public API, {len(TALLY.escapes)} escapes")  # noqa: T201 - the count the issue's closing note quotes


def _settings_of(context: decimal.Context) -> tuple[object, ...]:
    traps = [signal.__name__ for signal, trapped in context.traps.items() if trapped]
    return (context.prec, context.rounding, context.Emin, context.Emax, context.capitals, context.clamp, traps)


def call(function: Callable[..., object], /, *args: object, **kwargs: object) -> object:
    """Call *function* as a user would: its result (a lazy one read to the end), ``None`` if it refused.

    A refusal is a ``GigPolicyError`` or a ``TypeError``; any other exception is counted as an
    escape and raised, failing the test. The call runs in the decimal context ``TALLY.caller``
    with no flag raised, and fails too if it leaves that context changed or raises a flag in it
    (it then computed in the caller's context, not in gigpolicy's own).
    """
    TALLY.calls += 1
    name = getattr(function, "__qualname__", repr(function))
    with localcontext(TALLY.caller or decimal.getcontext()) as caller:
        caller.clear_flags()
        before = _settings_of(caller)
        try:
            result = function(*args, **kwargs)
            result = list(result) if isinstance(result, Iterator) else result
        except (GigPolicyError, TypeError):
            result = None
        except Exception as error:
            TALLY.escapes.append(f"{name}: {type(error).__name__}: {error}")
            raise
        now = decimal.getcontext()
        raised = [signal.__name__ for signal, flag in now.flags.items() if flag]
        if now is not caller or before != _settings_of(now) or raised:
            TALLY.escapes.append(f"{name}: used the caller's decimal context {raised}")
            pytest.fail(f"{name} changed or used the caller's decimal context (flags raised: {raised})")
    return result


# -- hostile values -----------------------------------------------------------------------------------


class ThirtyHours(tzinfo):
    """A zone 30 hours ahead of UTC, an offset ``datetime`` refuses."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        return timedelta(hours=30)

    def dst(self, dt: datetime | None) -> None:
        del dt

    def tzname(self, dt: datetime | None) -> str:
        del dt
        return "T+30"


class NoOffset(ThirtyHours):
    """A zone whose ``utcoffset`` is ``None``: a naive datetime in disguise."""

    def utcoffset(self, dt: datetime | None) -> None:  # type: ignore[override]  # None is what it is about
        del dt


class Raising(ThirtyHours):
    """A zone whose ``utcoffset`` raises."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        message = "no offset today"
        raise RuntimeError(message)


class NotADelta(ThirtyHours):
    """A zone whose ``utcoffset`` returns an int."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        return 5  # type: ignore[return-value]  # the wrong type is the point


class BrokenDst(ThirtyHours):
    """A zone an hour ahead of UTC whose ``dst`` raises (``strftime`` asks it)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        return timedelta(hours=1)

    def dst(self, dt: datetime | None) -> None:
        del dt
        message = "no summer time today"
        raise RuntimeError(message)


class LongDst(BrokenDst):
    """A zone whose daylight saving time is 30 hours."""

    def dst(self, dt: datetime | None) -> timedelta:  # type: ignore[override]  # a timedelta of 30 hours
        del dt
        return timedelta(hours=30)


class NumberedName(BrokenDst):
    """A zone whose name is a number."""

    def dst(self, dt: datetime | None) -> None:
        del dt

    def tzname(self, dt: datetime | None) -> str:
        del dt
        return 5  # type: ignore[return-value]  # the wrong type is the point


class OddDatetime(datetime):
    """A subclass of ``datetime``, as libraries of dates make."""


class OddDecimal(Decimal):
    """A subclass of ``Decimal``."""


class OddStr(str):
    """A subclass of ``str``."""

    __slots__ = ()


class OddInt(int):
    """A subclass of ``int``."""


@attrs.frozen(kw_only=True)
class NoteAdded(Event):
    """A new event type made straight from :class:`Event`, which stays possible to define."""

    TYPE: ClassVar[str] = "note_added"


ZONES: Final = (
    UTC,
    ZoneInfo("America/New_York"),  # a zone with rules: kept at its fixed offset, a subclass of datetime too
    timezone(timedelta(hours=23, minutes=59)),
    timezone(-timedelta(hours=23, minutes=59)),
    timezone(timedelta(seconds=1)),
    ThirtyHours(),
    NoOffset(),
    Raising(),
    NotADelta(),
    BrokenDst(),
    LongDst(),
    NumberedName(),
    None,
)
EDGES: Final = (
    datetime.min.replace(tzinfo=UTC),
    datetime.max.replace(tzinfo=UTC),
    datetime(1899, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1900, 1, 1, tzinfo=UTC),
    datetime(8999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(9000, 1, 1, tzinfo=UTC),
    datetime(2026, 11, 2, 15, tzinfo=UTC),
)
"""The ends of ``datetime`` and of the range gigpolicy accepts, each put into every zone of ZONES."""
CURRENCIES: Final[tuple[object, ...]] = (
    "USD",
    "JPY",
    "KWD",
    "EUR",
    "usd",
    "XXX",
    "",
    None,
    5,
    OddStr("USD"),
    [],
    "X" * 100,
)


def _odd(moment: datetime) -> datetime:
    return OddDatetime.combine(moment.date(), moment.timetz())


# Hypothesis takes naive bounds and puts each instant it draws into one of the zones
_valid_instants = st.datetimes(
    min_value=datetime(1900, 1, 2),  # noqa: DTZ001
    max_value=datetime(8999, 12, 30),  # noqa: DTZ001
    timezones=st.sampled_from(ZONES[:5]),
)
_contract_instants = st.datetimes(
    min_value=datetime(2016, 1, 1),  # noqa: DTZ001
    max_value=datetime(2031, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from(ZONES[:5]),
)
instants: Final = st.one_of(
    _contract_instants,
    _valid_instants,
    st.builds(lambda edge, zone: edge.replace(tzinfo=zone), st.sampled_from(EDGES), st.sampled_from(ZONES)),
    _contract_instants.map(_odd),
    st.sampled_from(["2026-11-05T00:00:00Z", None, date(2026, 11, 5), 0, Decimal(1)]),
)
"""Instants inside and at the edges of the range gigpolicy accepts, in odd zones, and non-instants."""

_EXPONENTS: Final = st.one_of(
    st.integers(-30, 30),
    st.sampled_from([999_999, -999_999, 1_000_000, -1_000_000, 10**9, -(10**9), 10**17, -(10**17)]),
)
decimals: Final = st.one_of(
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, digits, exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=40).map(tuple),
        _EXPONENTS,
    ),
    st.decimals(),
    st.integers(-(10**30), 10**30),
    st.sampled_from([
        "1e999999", "1E-999999", "12345e999999", "-0", "0.5", "12.505", "NaN", "sNaN", "Infinity", "", "1_0",
        Decimal("1e999999"), Decimal("1E-999999"), OddDecimal("12.5"), OddInt(3), 1.5, None, True,
    ]),
)  # fmt: skip
"""Numbers with huge and tiny exponents, non-finite ones, large ints, and things that are not numbers."""

# built, not sampled: an int of 5,000 digits has no repr, for Hypothesis to show or for a message
huge_ints: Final = st.builds(lambda: 10**5_000)
numbers: Final = st.one_of(decimals, huge_ints)
"""What an amount, a rate or a rating may be given as: the decimals, and ints past Python's 4,300 digits."""

texts: Final = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "m1", "x" * 1_001, "\ud800", OddStr("m1"), None, 5, b"m1", ["m1"]]),
)
dates: Final = st.one_of(
    st.dates(),
    st.sampled_from([
        date.min, date.max, date(1899, 12, 31), date(1900, 1, 7), date(8999, 12, 28), date(9000, 1, 7),
        date(2026, 11, 8), datetime(2026, 11, 8, tzinfo=UTC), "2026-11-08", None,
    ]),
)  # fmt: skip
parties: Final = st.sampled_from([Party.CLIENT, Party.FREELANCER, "client", OddStr("freelancer"), "nobody", None, 1])
_amounts: Final = st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False)
money: Final = st.one_of(
    st.builds(Money.of, _amounts, st.just("USD")),
    st.sampled_from(
        [Money.zero("USD"), Money.of(5, "EUR"), Money.of(-5, "USD"), Money.of("999999999999999.99", "USD")]
    ),
)
moneys: Final = st.one_of(money, st.sampled_from([Decimal(5), 5, "5.00", None]))
anything: Final = st.one_of(
    st.none(),
    decimals,
    instants,
    texts,
    dates,
    parties,
    moneys,
    st.sampled_from([object(), [], {}, (), timedelta.max, ReplayRules(), RECORDS[0], next(iter(Question))]),
)
"""Any of the hostile values, where a value of one given type is expected."""

_BY_TYPE: Final[dict[str, st.SearchStrategy[Any]]] = {
    "datetime": instants,
    "date": dates,
    "Decimal": numbers,
    "Money": moneys,
    "str": texts,
    "Party": parties,
    "int": st.one_of(st.integers(), huge_ints, st.none()),
    "bool": st.one_of(st.booleans(), st.none(), st.just(1)),
    "FeedbackKind": st.sampled_from([*gigpolicy.FeedbackKind, "public", None]),
    "ContractKind": st.sampled_from([*gigpolicy.ContractKind, "hourly", None]),
}


def _not_empty(value: object) -> bool:
    return not isinstance(value, str | bytes | tuple | list | dict) or bool(value)


def _field_values(cls: type) -> st.SearchStrategy[dict[str, object]]:
    """Keyword arguments for *cls*: each drawn from what its field's type calls for, or anything."""
    fields = {}
    for field in attrs.fields(cls):
        if field.init:
            # "datetime | None", "<class 'decimal.Decimal'>", "gigpolicy._money.Money | None": the first type's name
            kind = str(field.type).split(" | ")[0].removeprefix("<class '").removesuffix("'>").rsplit(".", 1)[-1]
            values = st.one_of(_BY_TYPE[kind], anything) if kind in _BY_TYPE else anything
            # no empty reasons for a Decision or a Verdict: refused, and pinned in FOUND_ESCAPES
            fields[field.name] = values.filter(_not_empty) if field.name == "reasons" else values
    return st.fixed_dictionaries(fields)


PUBLIC_CLASSES: Final = tuple(
    value for name in gigpolicy.__all__ if isinstance(value := getattr(gigpolicy, name), type) and attrs.has(value)
)
"""Every public attrs class: the events, the terms, the record, money, and the values the library returns."""

POLICIES: Final = (
    None,
    "upwork",
    "fiverr",
    "freelancer",
    "upwork@2019-01-01",
    "upwork@9999-12-31",
    "upwork@0001-01-01",
    "upwork@",
    "@",
    "nope",
    OddStr("upwork"),
    5,
    gigpolicy.get_policy("upwork"),
    gigpolicy.get_policy("fiverr"),
    attrs.evolve(gigpolicy.get_policy("upwork"), fees=FlatFee(rate=Decimal("12345e999999"))),
    attrs.evolve(gigpolicy.get_policy("freelancer"), fees=FlatFee(rate=Decimal("1E-999999"))),
)
policies: Final = st.sampled_from(POLICIES)
questions: Final = st.one_of(
    st.none(),
    st.lists(st.sampled_from([*Question, "public_feedback", OddStr("end_contract"), "nope", None, 5]), max_size=3),
    st.sampled_from(["public_feedback", 5, [[]]]),
)
record_values: Final[st.SearchStrategy[object]] = st.one_of(
    st.sampled_from(RECORDS),
    records(max_events=8),
    st.sampled_from([None, TEXTS[0], {}, RECORDS[0].contract]),
)

_JSON_VALUES: Final = (
    "1e999999",
    "1E-999999",
    "12345e999999",
    "-0",
    "1" + "0" * 5_000,
    "1e-5000",
    "7E+" + "7" * 30,
    "null",
    "[]",
    "{}",
    "true",
    "1.5",
    "[1e1]",
    *(json.dumps(value) for value in ["", "\ud800", "1e999999", "NaN", "2026-02-30T00:00:00Z", "x" * 1_001]),
)
"""Raw JSON values: numbers past what ``int`` and ``decimal`` hold, and values of every wrong kind."""
_HOLE: Final = "\x00HOSTILE\x00"


@st.composite
def record_texts(draw: st.DrawFn) -> object:
    """The text of a valid record with one value replaced by a hostile JSON value, or not text at all."""
    data = json.loads(draw(st.sampled_from(TEXTS)))
    where = data
    key: Any = draw(st.sampled_from(sorted(data)))
    while isinstance(where[key], dict | list) and where[key] and draw(st.booleans()):
        where = where[key]
        key = draw(st.sampled_from(sorted(where) if isinstance(where, dict) else range(len(where))))
    where[key] = _HOLE
    text = json.dumps(data).replace(json.dumps(_HOLE), draw(st.sampled_from(_JSON_VALUES)))
    return draw(st.sampled_from([text, text.encode(), text.encode("utf-16"), None, 5, bytearray(b"{}")]))


# -- the drivers: each calls a part of the public API with what it draws --------------------------------

Draw: TypeAlias = Callable[[st.SearchStrategy[Any]], Any]


def _money(draw: Draw) -> None:
    left, right = draw(money), draw(anything)
    for operation in (
        lambda: left + right,
        lambda: left - right,
        lambda: -left,
        lambda: left < right,
        lambda: left <= right,
        lambda: left > right,
        lambda: left >= right,
        lambda: right + left,
        lambda: left.times(draw(numbers)),
        lambda: str(left),
        lambda: bool(left),
    ):
        call(operation)
    currencies = st.one_of(st.sampled_from(CURRENCIES), huge_ints)
    call(Money.of, draw(numbers), draw(currencies))
    call(Money, draw(numbers), draw(currencies))
    call(Money.zero, draw(currencies))


def _constructors(draw: Draw) -> None:
    cls = draw(st.sampled_from(PUBLIC_CLASSES))
    call(cls, **draw(_field_values(cls)))


def _records(draw: Draw) -> None:
    valid = draw(st.sampled_from(RECORDS))
    strangers = st.sampled_from([None, "x", Event(at=AT), valid.contract])
    events = draw(st.lists(st.one_of(st.sampled_from(valid.events), strangers), max_size=4))
    terms = draw(st.one_of(st.just(valid.contract), anything))
    call(ContractRecord, contract=terms, events=draw(st.sampled_from([events, tuple(events), None, "events"])))


def _codec(draw: Draw) -> None:
    call(gigpolicy.loads, draw(record_texts()))
    indent = draw(st.one_of(st.none(), st.integers(-3, 20), st.sampled_from([10**20, OddInt(2), True, "2", 1.5])))
    call(gigpolicy.dumps, draw(record_values), indent=indent)
    paths = [None, 5, "", os.devnull, str(ROOT), "nul\x00l", b"/", OddStr("no-such-file")]
    call(gigpolicy.load, draw(st.sampled_from(paths)))


def _judge(draw: Draw) -> None:
    record, at, policy = draw(record_values), draw(instants), draw(policies)
    call(gigpolicy.replay, record, at=at, policy=draw(st.sampled_from([policy, ReplayRules(), "x"])))
    report = call(gigpolicy.evaluate, record, at=at, policy=policy, questions=draw(questions))
    if isinstance(report, gigpolicy.Report):
        call(report.decision, draw(st.sampled_from([*Question, "public_feedback", None, []])), draw(parties))
        call(gigpolicy.differences, report, draw(st.sampled_from([report, None, "report"])))
        call(lambda: report.windows)
        drawn = call(gigpolicy.timeline, record, report)
        if isinstance(drawn, gigpolicy.Timeline):
            call(gigpolicy.timeline_svg, drawn)
            widths = [50, 78, 200, 49, 0, -1, None, OddInt(60), True, "78"]
            call(gigpolicy.timeline_text, drawn, width=draw(st.sampled_from(widths)))
    call(gigpolicy.timeline, record, draw(anything))


def _plan(draw: Draw) -> None:
    record, at, freelancer = draw(record_values), draw(instants), draw(st.one_of(st.just("fl-7"), texts))
    found = call(gigpolicy.options, record, party=draw(parties), at=at, policy=draw(policies))
    histories = st.sampled_from([[record], [record, record], [None], None, 5])
    call(gigpolicy.job_success, draw(histories), freelancer=freelancer, at=at, policy=draw(policies))
    if isinstance(found, list | tuple) and found:
        option = draw(st.sampled_from(found))
        call(gigpolicy.score_effect, draw(histories), option, freelancer=freelancer, policy=draw(policies))


def _lookups(draw: Draw) -> None:
    name = draw(st.one_of(st.sampled_from([p for p in POLICIES if isinstance(p, str)]), texts, huge_ints))
    call(gigpolicy.get_policy, name, on=draw(st.one_of(dates, instants)))
    call(gigpolicy.available_policies)
    call(gigpolicy.date_confirmed, draw(st.one_of(policies, anything)))
    call(gigpolicy.source_for, draw(texts))
    call(gigpolicy.sources, cited_by=draw(st.one_of(st.sampled_from(["upwork", "nope"]), texts)))


def _batch(draw: Draw) -> None:
    valid = st.sampled_from(TEXTS).map(lambda text: text.replace("\n", ""))
    lines = draw(st.lists(st.one_of(valid, record_texts()), max_size=3))
    call(
        gigpolicy.evaluate_lines,
        draw(st.sampled_from([lines, iter(lines), None])),
        at=draw(instants),
        policy=draw(policies),
        questions=draw(questions),
        jobs=draw(st.sampled_from([1, 2, 0, -1, None, "1", 2.0, Decimal("NaN"), OddInt(2), True])),
        start=draw(st.sampled_from([1, 0, -(10**30), 10**30, None, 1.5, Decimal(1), OddInt(3)])),
    )


DRIVERS: Final = {
    "money": _money,
    "constructors": _constructors,
    "records": _records,
    "codec": _codec,
    "judge": _judge,
    "plan": _plan,
    "lookups": _lookups,
    "batch": _batch,
}

_SIGNALS: Final = (
    decimal.Inexact,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
    decimal.Clamped,
    decimal.FloatOperation,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.DivisionByZero,
)
hostile_contexts: Final = st.builds(
    decimal.Context,
    prec=st.sampled_from([1, 3, 6, 28, 50]),
    rounding=st.sampled_from([decimal.ROUND_FLOOR, decimal.ROUND_CEILING, decimal.ROUND_HALF_UP, decimal.ROUND_05UP]),
    Emin=st.sampled_from([-999_999, -5]),
    Emax=st.sampled_from([999_999, 5]),
    capitals=st.sampled_from([0, 1]),
    traps=st.lists(st.sampled_from(_SIGNALS), unique=True),
)
"""Contexts a caller may have set: few digits, other roundings, small exponents, traps on anything."""


class TestNothingEscapes:
    """The rule of the SPEC's errors section, as issue 14 words it for the whole public API."""

    @pytest.mark.parametrize("driver", DRIVERS.values(), ids=DRIVERS.keys())
    @settings(max_examples=EXAMPLES_PER_DRIVER, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), context=st.one_of(st.none(), hostile_contexts))
    def test_only_gigpolicy_errors_and_type_errors(
        self, driver: Callable[[Draw], None], data: st.DataObject, context: decimal.Context | None
    ) -> None:
        """Rule: "nothing escapes the public API but GigPolicyError (and TypeError for a wrong Python type)".

        Each public function and constructor, called with hostile values (huge and tiny
        exponents, edge instants, odd tzinfos, ``None``, subclasses, strings for objects) in the
        default or a hostile decimal context, returns or raises one of those two; and the
        caller's context keeps its settings and raises no flag ("all arithmetic runs in the
        library's own decimal context").
        """
        TALLY.caller = context
        try:
            driver(data.draw)
        finally:
            TALLY.caller = None


FIVERR: Final = gigpolicy.get_policy("fiverr")
FOUND_ESCAPES: Final[dict[str, tuple[Callable[[], object], type[Exception], str]]] = {
    "timeline_text-huge-width": (
        lambda: gigpolicy.timeline_text(_timeline_of(RECORDS[0]), width=10**20),
        OverflowError,
        "_timeline.py: timeline_text has no upper bound on width ([' '] * width)",
    ),
    "timeline_svg-not-a-timeline": (
        lambda: gigpolicy.timeline_svg(None),  # type: ignore[arg-type]  # the wrong type is the point
        AttributeError,
        "_timeline.py: timeline_svg does not check that it was given a Timeline",
    ),
    "score_effect-not-an-option": (
        lambda: gigpolicy.score_effect([], None, freelancer="fl-7"),  # type: ignore[arg-type]  # the wrong type is the point
        AttributeError,
        "_success.py: score_effect does not check that it was given an Option",
    ),
    "decision-without-reasons": (
        lambda: gigpolicy.Verdict(answer=True, reasons=()),
        ValueError,
        "_decision.py: Decision and Verdict check their reasons with attrs' min_len, which raises ValueError",
    ),
    "a-value-without-repr": (
        lambda: gigpolicy.evaluate(RECORDS[0], at=AT, questions=[10**5_000]),  # type: ignore[list-item]  # the wrong type is the point
        ValueError,
        (
            "_evaluate.py, _options.py, _batch.py, _sources.py, _decision.py: messages write {value!r} of a"
            " caller's value (an int of 5,000 digits has none); gigpolicy._money.describe cannot fail"
        ),
    ),
    "policy-holding-a-signaling-nan": (
        lambda: [
            gigpolicy.evaluate(RECORDS[-1], at=AT, policy=policy)  # the motivating case: valid under Fiverr's rules
            for policy in (FIVERR, attrs.evolve(FIVERR, fees=FlatFee(rate=Decimal("sNaN"))))
        ],
        decimal.InvalidOperation,
        "_fees.py: earnings' cache compares policies with ==, and a signaling NaN raises when compared",
    ),
    "record-of-a-new-event-type": (
        lambda: ContractRecord(contract=RECORDS[0].contract, events=(NoteAdded(at=AT),)),
        KeyError,
        "_record.py: ContractRecord refuses only Event itself, not an event type the ledger does not know",
    ),
}
"""Escapes the property found, each now refused: the call, the exception it let out, where and why."""


def _timeline_of(record: ContractRecord) -> gigpolicy.Timeline:
    return gigpolicy.timeline(record, gigpolicy.evaluate(record, at=AT))


@pytest.mark.parametrize("name", FOUND_ESCAPES)
def test_found_escape(name: str) -> None:
    """An escape the property found once: its module now refuses the value with a GigPolicyError or TypeError."""
    attempt, escape, where = FOUND_ESCAPES[name]
    try:
        attempt()
    except (GigPolicyError, TypeError):
        return
    except escape as error:
        raise AssertionError(f"escapes again, in {where}") from error


# -- the decimal context --------------------------------------------------------------------------------


def _everything(record: ContractRecord, at: datetime) -> tuple[object, ...]:
    """What the main entry points give for *record* at *at*, as values to compare."""
    report = gigpolicy.evaluate(record, at=at)
    text = gigpolicy.dumps(record)
    return (
        text,
        gigpolicy.loads(text),
        gigpolicy.replay(record, at=at),
        report,
        report.windows,
        gigpolicy.timeline_text(gigpolicy.timeline(record, report)),
        gigpolicy.options(record, party=Party.FREELANCER, at=at),
        gigpolicy.job_success([record, record], freelancer=record.contract.freelancer, at=at),
        [line.text for line in gigpolicy.evaluate_lines([text.replace("\n", "")], at=at)],
    )


class TestDecimalContext:
    """gigpolicy computes in its own decimal context, whatever the caller's."""

    @settings(max_examples=CONTEXT_EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
    @given(record=records(max_events=8), context=hostile_contexts)
    def test_results_do_not_depend_on_the_callers_context(
        self, record: ContractRecord, context: decimal.Context
    ) -> None:
        """Rule: "results do not depend on the caller's decimal context": the same in any, as in the default one."""
        at = max([record.contract.started_at, *(event.at for event in record.events)]) + timedelta(days=3)
        expected = _everything(record, at)
        with localcontext(context):
            assert expected == _everything(record, at)

    def test_a_narrow_context_reads_every_example(self) -> None:
        """With six digits and a trap on rounding, ``loads`` reads the examples as the default context does."""
        with localcontext(
            decimal.Context(prec=6, traps=[decimal.Rounded, decimal.Inexact], rounding=decimal.ROUND_FLOOR)
        ):
            assert RECORDS == [gigpolicy.loads(text) for text in TEXTS]

    def test_the_callers_context_is_left_as_it_was(self) -> None:
        """After a call, the caller's context is the same object, with its settings and no flag raised."""
        with localcontext(prec=3, capitals=0) as mine:
            # localcontext copies the thread's context, flags and all: code run before in this process
            # (a page's example calling a fee schedule directly, on the same xdist worker) may have raised some
            mine.clear_flags()
            gigpolicy.options(RECORDS[0], party=Party.CLIENT, at=AT)
            assert (mine, 3, 0, []) == (
                decimal.getcontext(),
                mine.prec,
                mine.capitals,
                [signal for signal, raised in mine.flags.items() if raised],
            )

    def test_the_library_context_is_the_default_one(self) -> None:
        """The library's context has :mod:`decimal`'s defaults: results on valid input are unchanged."""
        assert _settings_of(decimal.Context()) == _settings_of(DECIMAL)

    def test_a_generator_runs_each_step_in_the_library_context(self) -> None:
        """Between two items the caller's context is back in force; inside each step the library's is."""

        @in_decimal_context
        def precisions() -> Iterator[int]:
            yield decimal.getcontext().prec
            yield decimal.getcontext().prec

        with localcontext(prec=5):
            steps = precisions()
            seen = [next(steps), decimal.getcontext().prec, next(steps)]
        assert [28, 5, 28] == seen

    def test_closing_a_generator_early_closes_it_in_the_library_context(self) -> None:
        """A generator closed before its end runs its clean-up, and in the library's context."""
        cleaned: list[int] = []

        @in_decimal_context
        def numbers() -> Iterator[int]:
            try:
                yield 1
                yield 2
            finally:
                cleaned.append(decimal.getcontext().prec)

        with localcontext(prec=5):
            steps = numbers()
            assert 1 == next(steps)
            steps.close()  # type: ignore[attr-defined]  # the iterator it returns is a generator
        assert [28] == cleaned

    def test_a_generator_that_raises_lets_its_error_out(self) -> None:
        """An error inside a step reaches the caller as it is, with the caller's context back."""

        @in_decimal_context
        def failing() -> Iterator[int]:
            yield 1
            raise InvalidRecord("x", "bad")

        with localcontext(prec=5):
            steps = failing()
            assert 1 == next(steps)
            with pytest.raises(InvalidRecord):
                next(steps)
            assert 5 == decimal.getcontext().prec


# -- money ------------------------------------------------------------------------------------------------


class TestMoney:
    """Money's operators and constructors, on their own, outside the entry points."""

    @pytest.mark.parametrize(
        "operation",
        [
            lambda m: m + 1,
            lambda m: m - 1,
            lambda m: 1 + m,
            lambda m: m < 1,
            lambda m: m <= Decimal(1),
            lambda m: m > "1",
            lambda m: m >= None,
        ],
        ids=["add", "subtract", "radd", "lt", "le", "gt", "ge"],
    )
    def test_an_operand_that_is_not_money_is_a_type_error(self, operation: Callable[[Money], object]) -> None:
        """``Money.of(5, "USD") + 1`` is a TypeError, as for any unsupported operand."""
        with pytest.raises(TypeError, match="Money"):
            operation(Money.of(5, "USD"))

    def test_arithmetic_is_exact_in_a_narrow_context(self) -> None:
        """With 3 digits and a trap on rounding, sums and negation keep every digit."""
        big, cent = Money.of("123456.78", "USD"), Money.of("0.01", "USD")
        with localcontext(decimal.Context(prec=3, traps=[decimal.Rounded])):
            assert (Decimal("123456.79"), Decimal("123456.77"), Decimal("-123456.78")) == (
                (big + cent).amount,
                (big - cent).amount,
                (-big).amount,
            )

    def test_no_minus_zero_when_rounding_toward_floor(self) -> None:
        """Negating zero gives zero, not ``-0.00``, whatever the caller's rounding."""
        with localcontext(rounding=decimal.ROUND_FLOOR):
            assert "0.00 USD" == str(-Money.zero("USD"))

    @pytest.mark.parametrize(
        "amount",
        ["12345e999999", Decimal((0, (1, 2), 10**17)), 10**5000, "-1e999999"],
        ids=["past-emax", "huge-exponent", "5000-digits", "negative"],
    )
    def test_a_huge_amount_is_refused(self, amount: str | int | Decimal) -> None:
        """An amount past decimal's exponents or ``int``'s digits is too large, said in a short message."""
        with pytest.raises(InvalidRecord, match=r"is larger than gigpolicy accepts \(10\^15\)$") as caught:
            Money.of(amount, "USD")
        assert "amount" == caught.value.path
        assert len(caught.value.problem) < 100

    @pytest.mark.parametrize("amount", ["1E-999999", Decimal((0, (1,), -(10**17)))], ids=["tiny", "tiniest"])
    def test_a_tiny_amount_has_too_many_places(self, amount: str | Decimal) -> None:
        """An amount with a tiny exponent has more places than the currency."""
        with pytest.raises(InvalidRecord, match=r"has more than 2 decimal places$"):
            Money.of(amount, "USD")

    def test_an_amount_in_a_narrow_context(self) -> None:
        """``Money.of`` quantizes in the library's context: eight digits are fine with a caller's six."""
        with localcontext(prec=6):
            assert Decimal("123456.78") == Money.of("123456.78", "USD").amount

    @pytest.mark.parametrize("rate", [1.5, True, None, "0.1"], ids=["float", "bool", "none", "str"])
    def test_times_a_rate_that_is_not_a_number_is_a_type_error(self, rate: object) -> None:
        """A rate is a Decimal or an int."""
        with pytest.raises(TypeError, match="a rate must be a Decimal or an int"):
            Money.of(5, "USD").times(rate)  # type: ignore[arg-type]  # the wrong type is the point

    @pytest.mark.parametrize("rate", [Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")])
    def test_times_a_non_finite_rate(self, rate: Decimal) -> None:
        """A rate that is not finite is refused at ``rate``."""
        with pytest.raises(InvalidRecord, match=r"is not a finite number$") as caught:
            Money.of(5, "USD").times(rate)
        assert "rate" == caught.value.path

    @pytest.mark.parametrize("rate", [Decimal("1e20"), Decimal("1e999999"), 10**5000], ids=["1e20", "emax", "int"])
    def test_times_a_huge_rate(self, rate: Decimal | int) -> None:
        """A product past 10^15 is too large, however far past (no decimal error, no int conversion error)."""
        with pytest.raises(InvalidRecord, match=r"is larger than gigpolicy accepts \(10\^15\)$") as caught:
            Money.of(5, "USD").times(rate)
        assert "amount" == caught.value.path

    def test_times_an_int_in_a_narrow_context(self) -> None:
        """An int rate multiplies exactly, and rounding is the library's, not the caller's."""
        with localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact])):
            assert (Decimal("370370.34"), Decimal("0.01")) == (
                Money.of("123456.78", "USD").times(3).amount,
                Money.of("0.05", "USD").times(Decimal("0.1")).amount,
            )


# -- instants ---------------------------------------------------------------------------------------------


_CALLS_WITH_AT: Final[dict[str, Callable[[datetime], object]]] = {
    "evaluate": lambda at: gigpolicy.evaluate(RECORDS[0], at=at),
    "replay": lambda at: gigpolicy.replay(RECORDS[0], at=at),
    "options": lambda at: gigpolicy.options(RECORDS[0], party=Party.CLIENT, at=at),
    "job_success": lambda at: gigpolicy.job_success(RECORDS, freelancer="fl-7", at=at),
    "event": lambda at: BonusPaid(at=at, amount=Money.of(5, "USD")),
}


class TestOddZones:
    """A tzinfo is the caller's code: whatever it does is bad input, not a crash."""

    @pytest.mark.parametrize("entry", _CALLS_WITH_AT.values(), ids=_CALLS_WITH_AT.keys())
    @pytest.mark.parametrize(
        ("zone", "problem"),
        [
            (
                ThirtyHours(),
                "has a tzinfo whose utcoffset() is 1 day, 6:00:00: an offset must lie strictly within a day",
            ),
            (Raising(), "has a tzinfo whose utcoffset() raised RuntimeError"),
            (NotADelta(), "has a tzinfo whose utcoffset() returned int, not timedelta"),
            (NoOffset(), "must be timezone-aware (it has no UTC offset)"),
            (BrokenDst(), "has a tzinfo whose dst() raised RuntimeError"),
            (LongDst(), "has a tzinfo whose dst() is 1 day, 6:00:00: an offset must lie strictly within a day"),
            (NumberedName(), "has a tzinfo whose tzname() returned int, not str"),
        ],
        ids=["30-hours", "raising", "int", "none", "dst-raising", "dst-30-hours", "name-int"],
    )
    def test_a_broken_zone_is_bad_input(self, entry: Callable[[datetime], object], zone: tzinfo, problem: str) -> None:
        """An instant in a zone without a valid offset is refused at ``at``."""
        with pytest.raises(InvalidRecord) as caught:
            entry(datetime(2026, 12, 1, tzinfo=zone))
        assert ("at", problem) == (caught.value.path, caught.value.problem)

    def test_a_broken_zone_as_a_policy_date(self) -> None:
        """``get_policy`` says that a date in a broken zone is no date it can look up."""
        with pytest.raises(
            UnknownPolicy, match=r"^a policy date given as a datetime has a tzinfo whose utcoffset\(\) is 1 day"
        ):
            gigpolicy.get_policy("upwork", on=datetime(2026, 12, 1, tzinfo=ThirtyHours()))

    def test_a_naive_zone_as_a_policy_date(self) -> None:
        """A zone whose offset is ``None`` is a naive datetime, as before."""
        with pytest.raises(UnknownPolicy, match=r"must be timezone-aware$"):
            gigpolicy.get_policy("upwork", on=datetime(2026, 12, 1, tzinfo=NoOffset()))

    def test_names_that_are_not_text_are_not_compared(self) -> None:
        """Terms whose client and freelancer are instants in a broken zone are refused, without comparing them."""
        odd = datetime(2026, 12, 1, tzinfo=ThirtyHours())
        fields = {**attrs.asdict(RECORDS[0].contract, recurse=False), "client": odd, "freelancer": AT}
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.ContractTerms(**fields)
        assert ["client", "freelancer"] == [error.path for error in caught.value.errors]

    def test_the_naive_refusal_keeps_its_type(self) -> None:
        """A zone without an offset is still a NaiveDatetime, as for a naive datetime."""
        with pytest.raises(NaiveDatetime):
            gigpolicy.evaluate(RECORDS[0], at=datetime(2026, 12, 1, tzinfo=NoOffset()))


class TestEdgesOfTime:
    """``get_policy`` at the ends of ``datetime``, where converting to UTC leaves its range."""

    def test_before_the_first_day(self) -> None:
        """The first instant of ``datetime`` 23:59 ahead of UTC is before every version."""
        with pytest.raises(UnknownPolicy, match="was in force on 0001-01-01"):
            gigpolicy.get_policy("upwork", on=datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))))

    def test_after_the_last_day(self) -> None:
        """The last instant of ``datetime`` 23:59 behind UTC is after every version: the latest applies."""
        late = datetime.max.replace(tzinfo=timezone(-timedelta(hours=23, minutes=59)))
        assert gigpolicy.get_policy("upwork") == gigpolicy.get_policy("upwork", on=late)

    @pytest.mark.parametrize("on", [date.max, datetime.max.replace(tzinfo=UTC)], ids=["date", "datetime"])
    def test_the_last_day(self, on: date) -> None:
        """The last day ``date`` has: the latest version."""
        assert gigpolicy.get_policy("upwork") == gigpolicy.get_policy("upwork", on=on)


# -- events and records -----------------------------------------------------------------------------------


class TestEventTypesAreFinal:
    """A subclass of an event type of the record format cannot be made."""

    def test_a_subclass_of_an_event_type_is_refused(self) -> None:
        """``class MyBonus(BonusPaid)`` is a TypeError that says why."""
        with pytest.raises(TypeError, match=r"^MyBonus cannot subclass BonusPaid: the event types .* are final"):

            class MyBonus(BonusPaid):
                pass

    def test_a_subclass_through_a_mixin_is_refused(self) -> None:
        """A mixin before the event type changes nothing."""

        class Mixin:
            pass

        with pytest.raises(TypeError, match="cannot subclass BonusPaid"):
            type("MixedBonus", (Mixin, BonusPaid), {})

    def test_a_new_event_type_stays_possible(self) -> None:
        """A class made straight from Event is a new type, not a pretender (its events build)."""
        assert AT == NoteAdded(at=AT).at


class TestDumpsIndent:
    """``dumps`` writes with an indent of at most 16."""

    def test_the_widest_indent(self) -> None:
        """16 spaces is the widest indent, and reads back."""
        assert RECORDS[0] == gigpolicy.loads(gigpolicy.dumps(RECORDS[0], indent=16))

    @pytest.mark.parametrize(
        ("indent", "shown"), [(17, "17"), (-1, "-1"), (10**20, "int"), ("2", "str")], ids=["17", "-1", "huge", "str"]
    )
    def test_an_indent_out_of_range(self, indent: object, shown: str) -> None:
        """A wider indent, a negative one, a huge int or a non-int is refused, without printing a huge number."""
        with pytest.raises(InvalidRecord) as caught:
            gigpolicy.dumps(RECORDS[0], indent=indent)  # type: ignore[arg-type]  # the wrong type is the point
        assert ("indent", f"must be None or an int from 0 to 16, not {shown}") == (
            caught.value.path,
            caught.value.problem,
        )
