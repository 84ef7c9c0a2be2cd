"""The record format ``gigpolicy/1``: JSON text to a checked record and back.

One cattrs converter does the work. Its hooks are strict (no value is coerced from
another JSON type) and exact (amounts never pass through ``float``); the errors it
collects become :class:`~gigpolicy.errors.InvalidRecord` errors that name their place.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, Generic, NamedTuple, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError
from cattrs.gen import make_dict_structure_fn

from gigpolicy._context import in_decimal_context
from gigpolicy._contract import (
    MAX_TEXT,
    ContractKind,
    ContractTerms,
    Party,
    check_fee_rate,
    check_weekly_limit,
    is_text,
)
from gigpolicy._events import (
    EVENT_TYPES,
    AccountSuspended,
    BonusPaid,
    ChangesRequested,
    ContractEnded,
    ContractPaused,
    ContractResumed,
    DisputeOpened,
    DisputeResolved,
    EscrowReturned,
    Event,
    FeedbackEditEnabled,
    FeedbackKind,
    FeedbackLeft,
    FeedbackRemoved,
    FeedbackResponse,
    HoursBilled,
    HoursDisputed,
    JobReported,
    MilestoneFunded,
    MilestoneReleased,
    RefundIssued,
    WorkSubmitted,
    check_hours,
    check_sunday,
)
from gigpolicy._money import CURRENCIES, Money, exact_money, parse_amount
from gigpolicy._record import _RECORD, FORMAT, MAX_EVENTS, ContractRecord
from gigpolicy._time import EARLIEST, LATEST, format_instant, parse_date, parse_instant
from gigpolicy._trusted import BoundedCache, writable
from gigpolicy.errors import InvalidArgument, InvalidRecord, capped, raise_collected

__all__ = ["CODEC", "MAX_BYTES", "MAX_ITEMS", "converter", "dumps", "load", "loads"]

MAX_BYTES: Final = 64 * 1024 * 1024
"""The largest record text :func:`loads` and :func:`load` accept, in bytes."""
MAX_INDENT: Final = 16
"""The widest indent :func:`dumps` writes: the text it writes stays within a few times the record's size."""
_SHOWN_INT: Final = 10**20

_CLASSES: Final[tuple[type[ContractTerms | Event], ...]] = (ContractTerms, *EVENT_TYPES.values())
_FIELD_NAMES: Final = {cls: frozenset(field.name for field in attrs.fields(cls)) for cls in _CLASSES}
_CURRENCY: ContextVar[str | None] = ContextVar("gigpolicy_currency", default=None)
_INT_DIGITS: Final = 100
_SHOWN: Final = 40


def _kind_of(value: object) -> str:
    names = {bool: "a boolean", type(None): "null", list: "an array", dict: "an object", str: "a string"}
    return names.get(type(value), "a number")


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise InvalidRecord("", f"must be a string, not {_kind_of(value)}")
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    return parse_amount(value, None)


def _structure_money(value: object, _: type) -> Money:
    # without a valid contract currency (a problem reported on its own) amounts are checked as USD
    currency = _CURRENCY.get() or "USD"
    # parse_amount checked the value and quantized it to the currency: nothing left to check
    return exact_money(parse_amount(value, CURRENCIES[currency]), currency)


def _structure_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    choices = [member.value for member in cls]
    if isinstance(value, str) and value in choices:
        return cls(value)
    listed = ", ".join(repr(choice) for choice in choices)
    raise InvalidRecord("", f"must be one of {listed}, not {value!r}")


def _structure_event(value: object, _: type) -> Event:
    if not isinstance(value, dict):
        raise InvalidRecord("", f"must be an object, not {_kind_of(value)}")
    kind = value.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        if "type" not in value:
            raise InvalidRecord("type", "is required")
        raise InvalidRecord("type", f"{kind!r} is not an event type of {FORMAT}")
    fields = {key: item for key, item in value.items() if key != "type"}
    return _structure_object(fields, cls, CODEC.get_structure_hook(cls))  # type: ignore[return-value]  # the hook builds cls


def _structure_object(value: object, cls: type, hook: Callable[[object, type], object]) -> object:
    if not isinstance(value, dict):
        raise InvalidRecord("", f"must be an object, not {_kind_of(value)}")
    names = _FIELD_NAMES[cls]
    extra = [key for key in value if key not in names]
    problems = capped(InvalidRecord(key, "is not a field of the record format (a typo?)") for key in extra)
    if extra:
        value = {key: item for key, item in value.items() if key in names}
    try:
        result = hook(value, cls)
    except ClassValidationError as group:
        # With detailed validation, cattrs wraps every error, the classes' own checks included.
        problems.extend(_translate(group, ""))
    raise_collected(problems)
    return result


def _translate(error: BaseException, path: str) -> list[InvalidRecord]:
    """Turn what cattrs collected into ``InvalidRecord`` errors with full paths."""
    if isinstance(error, InvalidRecord):
        return list(error.at(path).errors)
    if isinstance(error, ClassValidationError):
        found: list[InvalidRecord] = []
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", "")
            found.extend(_translate(inner, _join(path, name)))
        for inner in without:
            found.extend(_translate(inner, path))
        return found
    if isinstance(error, KeyError):
        return [InvalidRecord(path, "is required")]
    return [InvalidRecord(path, f"is not valid: {error}")]  # pragma: no cover - every hook raises InvalidRecord


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path and name else path or name


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(Money, _structure_money)
    conv.register_structure_hook(datetime, lambda value, _: parse_instant(value))
    conv.register_structure_hook(date, lambda value, _: parse_date(value))
    for enum_class in (Party, ContractKind, FeedbackKind):
        conv.register_structure_hook(enum_class, _structure_enum)
    for cls in _CLASSES:
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv))
    conv.register_structure_hook(Event, _structure_event)

    conv.register_unstructure_hook(Money, lambda money: str(money.amount))
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(datetime, format_instant)
    conv.register_unstructure_hook(date, date.isoformat)
    for cls in _CLASSES:
        conv.register_unstructure_hook(cls, _unstructure_object)
    return conv


def _unstructure_object(value: ContractTerms | Event) -> dict[str, object]:
    data: dict[str, object] = {"type": value.TYPE} if isinstance(value, Event) else {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if item is not None:
            data[field.name] = CODEC.unstructure(item)
    return data


CODEC: Final = _make_converter()
"""The converter ``loads`` and ``dumps`` use: the package's own, never handed out."""

converter: Final = _make_converter()
"""A cattrs converter of the record format, for users who embed records in their own data.

It has the same hooks as the one ``loads`` uses, but is another instance: a hook a program
registers on it changes what that program structures, never what ``loads`` accepts."""


def structure_record(data: object) -> ContractRecord:
    """Build a record from parsed JSON data, reporting every problem at once."""
    if not isinstance(data, dict):
        raise InvalidRecord("", f"a record must be a JSON object, not {_kind_of(data)}")
    problems = capped(
        InvalidRecord(key, "is not a field of the record format (a typo?)")
        for key in data
        if key not in {"format", "contract", "events"}
    )
    problems.extend(InvalidRecord(key, "is required") for key in ("format", "contract", "events") if key not in data)
    if "format" in data and data["format"] != FORMAT:
        problems.append(InvalidRecord("format", f"must be {FORMAT!r}, not {data['format']!r}"))
    contract: ContractTerms | None = None
    # amounts, hourly_rate too, are read in the contract's currency even if another contract field is wrong
    declared = data["contract"].get("currency") if isinstance(data.get("contract"), dict) else None
    currency = declared if isinstance(declared, str) and declared in CURRENCIES else None
    if "contract" in data:
        token = _CURRENCY.set(currency)
        try:
            contract = _structure_object(data["contract"], ContractTerms, CODEC.get_structure_hook(ContractTerms))  # type: ignore[assignment]  # the hook builds ContractTerms
        except InvalidRecord as error:
            problems.extend(error.at("contract").errors)
        finally:
            _CURRENCY.reset(token)
    events: list[Event] = []
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        problems.append(InvalidRecord("events", f"must be an array, not {_kind_of(raw_events)}"))
        raw_events = []
    elif len(raw_events) > MAX_EVENTS:
        problems.append(InvalidRecord("events", f"holds more than {MAX_EVENTS} events"))
        raw_events = []
    token = _CURRENCY.set(currency)
    try:
        for index, raw in enumerate(raw_events):
            try:
                events.append(_structure_event(raw, Event))
            except InvalidRecord as error:
                problems.extend(error.at(f"events[{index}]").errors)
    finally:
        _CURRENCY.reset(token)
    raise_collected(problems)
    assert contract is not None  # noqa: S101 - a missing or bad contract is among the problems
    return ContractRecord(contract=contract, events=tuple(events))


def _reject_constant(name: str) -> object:
    raise InvalidRecord("", f"{name} is not a number the record format accepts")


def _parse_float(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent past what decimal can hold at all, as 1E+99999999999999999999
        shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
        raise InvalidRecord("", f"{shown} is a number beyond what the record format accepts") from None


def _parse_int(digits: str) -> int | Decimal:
    # Python refuses to turn more than 4,300 digits into an int; a Decimal holds any, and the
    # amount checks then refuse it as too large
    return Decimal(digits) if len(digits) > _INT_DIGITS else int(digits)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]  # set.add returns None, so the test reads "seen before"
        raise InvalidRecord("", f"the key {duplicate!r} appears twice in one object")
    return result


# -- the fast path --------------------------------------------------------------------------
#
# Most texts are valid records. The fast path builds their values straight from the parsed JSON,
# each field checked once, without the cattrs machinery. It accepts only what it recognises as
# valid; on anything else (a wrong type, a missing, extra or repeated key, a value out of range,
# or an unusual spelling of a valid value, such as "500." or a lowercase "z") it gives up and
# the full path decodes the text again, so that every problem is reported as it always was.
# Whatever it accepts, the full path accepts too, with equal values (tests/test_codec_fast.py).

_FastParse = Callable[[object, str], object]
"""Parse a raw JSON value of a field (in the contract's currency), or return ``None`` if unsure."""


class _Usual(NamedTuple):
    """How a builder reads a parser's usual value in line, without calling the parser.

    A call per field costs about a tenth of an event's build; the parser is called for every other value.

    The texts are Python, with ``raw`` the field's JSON value, ``{value}`` the variable that takes
    its value and ``{given}`` the name of :attr:`given`.
    """

    test: str
    """Whether *raw* is a usual value (it may set ``{value}`` already)."""
    read: str | None = None
    """Its value, or ``None`` where the test set it."""
    refusable: bool = False
    """Whether the read may raise a ``ValueError``, which refuses the value."""
    given: object = None
    """What the texts read beyond the builders' constants (a parser's table)."""


_USUAL: Final[dict[_FastParse, _Usual]] = {}
"""The parsers whose usual values the builders read in line."""

_FAST_INSTANT: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-5][0-9])"
)
_USUAL_INSTANT: Final = "--T::Z"
"""The separators of an instant in UTC without a fraction, every third character from the fifth
(``2026-11-03T09:00:00Z``). In a text of 20 characters with them in place and no NUL,
``fromisoformat`` reads the other 14 as the date's and the time's digits, and refuses the text
unless each is an ASCII digit: so it accepts exactly what :data:`_FAST_INSTANT` accepts of that
shape (property tests check it). CPython 3.11's parser takes a NUL after a ``Z`` as the end of
the text, so that ``2026-11-03T09:00:Z\x00Z`` would read as 09:00."""
_USUAL_LENGTH: Final = 20
# at most 15 digits before the point stays below MAX_AMOUNT (10^15); the places are the currency's
_FAST_AMOUNT: Final = {
    places: re.compile("[0-9]{1,15}" + (f"(?:\\.[0-9]{{1,{places}}})?" if places else ""))
    for places in set(CURRENCIES.values())
}
_QUANTUM: Final = {places: Decimal(1).scaleb(-places) for places in set(CURRENCIES.values())}
_AMOUNTS: Final[BoundedCache[tuple[str, str], Money]] = BoundedCache(4096)
"""Positive amounts already parsed, by their text and currency (a ``Money`` is a value: shared)."""


_SAFE_YEARS: Final = (f"{EARLIEST.year:04d}", f"{LATEST.year - 1:04d}")
"""Years written in an instant strictly between these are within the limits, whatever its offset."""


def _fast_instant(value: object, _: str) -> datetime | None:
    if type(value) is not str:
        return None
    # the usual shape, 2026-11-03T09:00:00Z, by its separators (a third of the pattern's cost): where
    # they are in place, `fromisoformat` parses the rest only if it is digits (see _USUAL_INSTANT)
    usual = value[4::3] == _USUAL_INSTANT and len(value) == _USUAL_LENGTH and "\x00" not in value
    if not usual and _FAST_INSTANT.fullmatch(value) is None:
        return None
    try:
        # the pattern allows no lowercase t or z: parse_instant's upper() would change nothing
        instant = datetime.fromisoformat(value)
    except ValueError:  # a day or an hour that does not exist, an offset of 24 hours or more
        return None
    if _SAFE_YEARS[0] < value[:4] < _SAFE_YEARS[1]:  # no offset of under a day takes it past either limit
        return instant
    return instant if EARLIEST <= instant < LATEST else None


def _fast_text(value: object, _: str) -> str | None:
    return value if is_text(value) else None  # type: ignore[return-value]  # is_text checked it is a str


_USUAL[_fast_instant] = _Usual(
    "type(raw) is str and raw[4::3] == usual_instant and len(raw) == usual_length and '\\x00' not in raw"
    " and safe_first < raw < safe_last",
    "fromisoformat(raw)",
    refusable=True,
)  # _fast_instant's shortcut, where no offset can take it past a limit
_USUAL[_fast_text] = _Usual("type(raw) is str and len(raw) <= max_text and raw.isascii() and raw.strip()", "raw")


def _fast_str(value: object, _: str) -> str | None:
    return value if type(value) is str else None


_USUAL[_fast_str] = _Usual("type(raw) is str", "raw")


def _fast_money(value: object, currency: str) -> Money | None:
    """An amount of zero or more in *currency*."""
    places = CURRENCIES[currency]
    if type(value) is str:
        if _FAST_AMOUNT[places].fullmatch(value) is None:
            return None
        # no more places than the currency has: quantizing only adds zeros, as parse_amount does
        return exact_money(Decimal(value).quantize(_QUANTUM[places]), currency)
    try:
        amount = parse_amount(value, places)
    except InvalidRecord:
        return None
    return exact_money(amount, currency) if amount >= 0 else None


def _fast_positive(value: object, currency: str) -> Money | None:
    """An amount greater than zero in *currency* (``_fast_money`` inlined for the usual string).

    A string it accepts is remembered in :data:`_AMOUNTS`, where the builders look it up first
    (a record names the same few amounts again and again).
    """
    if type(value) is str:
        key = (value, currency)
        places = CURRENCIES[currency]
        if _FAST_AMOUNT[places].fullmatch(value) is None:
            return None
        amount = Decimal(value).quantize(_QUANTUM[places])
        # never negative: nonzero is positive
        return _AMOUNTS.remember(key, exact_money(amount, currency)) if amount else None
    money = _fast_money(value, currency)
    return money if money is not None and money.amount else None


_USUAL[_fast_positive] = _Usual(
    "type(raw) is str and ({value} := {given}((raw, currency))) is not None", given=_AMOUNTS.get
)


def _fast_decimal(value: object, _: str) -> Decimal | None:
    try:
        return parse_amount(value, None)
    except InvalidRecord:
        return None


def _fast_date(value: object, _: str) -> date | None:
    try:
        return parse_date(value)
    except InvalidRecord:
        return None


def _fast_passing(parse: _FastParse, check: Callable[[object, list[InvalidRecord]], None]) -> _FastParse:
    """*parse*, then the check its class makes of the field (``check_hours``, say): ``None`` if it fails."""

    def parsed(value: object, currency: str) -> object:
        result = parse(value, currency)
        if result is None:
            return None
        problems: list[InvalidRecord] = []
        check(result, problems)
        return None if problems else result

    return parsed


def _remembered(parse: _FastParse) -> _FastParse:
    """*parse*, each string it accepted remembered with its value (a week's Sunday, hours, a rating).

    For fields whose values come again and again, in a record and from record to record (a
    year has 52 Sundays): looking one up costs a twentieth of parsing it. The builders look a
    value up (:data:`_USUAL`) before they call this. Only strings and integers are remembered, each
    looked up only by a value of its own type (``1``, ``1.0``, ``True`` and ``Decimal(1)`` are equal
    keys, and ``True`` is no rating), and only values *parse* accepted; the value must not depend
    on the currency (these fields have none).
    """
    known: BoundedCache[str | int, object] = BoundedCache(4096)

    def parsed(value: object, currency: str) -> object:
        found = parse(value, currency)
        if found is not None and (type(value) is str or type(value) is int):
            known.remember(value, found)
        return found

    _USUAL[parsed] = _Usual(
        "(type(raw) is str or type(raw) is int) and ({value} := {given}(raw)) is not None", given=known.get
    )
    return parsed


def _fast_choice(cls: type[enum.StrEnum]) -> _FastParse:
    members = {member.value: member for member in cls}

    def parse(value: object, _: str) -> object:
        return members.get(value) if type(value) is str else None

    _USUAL[parse] = _Usual("type(raw) is str and ({value} := {given}(raw)) is not None", given=members.get)
    return parse


_fast_party: Final = _fast_choice(Party)


_Built = TypeVar("_Built", bound=Event | ContractTerms)


class _FastBuild(Generic[_Built]):
    """How the fast path builds the values of one class: an event type, or the terms."""

    __slots__ = ("build", "cls", "fields", "names", "tag", "trusted")

    def __init__(
        self, cls: type[_Built], *fields: tuple[str, _FastParse, bool], trusted: bool = True, tag: str | None = "type"
    ) -> None:
        self.cls = cls
        self.fields = fields
        """Each field's name, parser and whether it is required."""
        self.trusted = trusted
        self.tag = tag
        self.names = frozenset(name for name, _, _ in fields) | ({tag} if tag else set())
        """The keys an object may hold: the fields, and the *tag* that named its class (an event's type)."""
        self.build: Callable[[dict[str, object], str], _Built | None] = self.builder(usual=True)
        """The value of a parsed JSON object's fields in a currency, or ``None`` to leave it to the full path."""

    def builder(self, *, usual: bool) -> Callable[[dict[str, object], str], _Built | None]:
        """A ``build`` function; with *usual*, the usual values of :data:`_USUAL`'s parsers are read in line.

        Without, each value is its parser's: the tests compare the two.
        """
        return _fast_builder(self.cls, self.names, self.fields, trusted=self.trusted, usual=usual)

    def pairs_builder(
        self, *, usual: bool, tag_at: int = 0
    ) -> Callable[[tuple[tuple[str, object], ...], str], _Built | None]:
        """:attr:`build` of an object as the decoder gives it, its pairs (*usual*: as :meth:`builder`).

        An object whose keys come in the order of the fields, with the tag's pair at *tag_at* (0,
        as :func:`dumps` writes them, or 1, after the first field), is read pair by pair (its keys
        compared in turn cost a fifth of making a dict of it and looking each up); any other goes
        through the dict and :attr:`build`.
        """
        assert self.tag is not None  # noqa: S101 - only an object with a tag has an order to read
        build = self.build if usual else self.builder(usual=False)

        def by_dict(pairs: tuple[tuple[str, object], ...], currency: str) -> _Built | None:
            fields = dict(pairs)
            return build(fields, currency) if len(fields) == len(pairs) else None  # a repeated key: the full path's

        return _fast_builder(
            self.cls, self.names, self.fields, trusted=self.trusted, usual=usual, by_dict=by_dict, tag_at=tag_at
        )


_USUAL_SCOPE: Final = {
    "usual_instant": _USUAL_INSTANT,
    "usual_length": _USUAL_LENGTH,
    # with a "-" after the year, `raw[:4] > "1900"` is `raw > "1900."` ("." follows "-"), and
    # `raw[:4] < "8999"` is `raw < "8999"`: the same test without cutting the year out
    "safe_first": _SAFE_YEARS[0] + ".",
    "safe_last": _SAFE_YEARS[1],
    "fromisoformat": datetime.fromisoformat,
    "max_text": MAX_TEXT,
}
"""The constants the tests of :data:`_USUAL` read."""


def _fast_builder(
    cls: type[_Built],
    names: frozenset[str],
    fields: tuple[tuple[str, _FastParse, bool], ...],
    *,
    trusted: bool,
    usual: bool,
    by_dict: Callable[[tuple[tuple[str, object], ...], str], _Built | None] | None = None,
    tag_at: int = 0,
) -> Callable[[Any, str], _Built | None]:
    """The ``build`` function of a :class:`_FastBuild`, written out for *cls*'s fields.

    Each field is parsed in turn, each missing or refused one ending the build with ``None``; then
    the value is built with the fields ``__init__`` would set, without its checks, as its class's
    twin (:func:`~gigpolicy._trusted.writable`), or through its slots' setters for an event type,
    which has no twin: unless *trusted* says the parsers make all of them, the class's own checks
    of the fields beyond ``at`` (``Event._check``) run on the value built (``at`` was checked by
    its parser). One line per field, as :func:`~gigpolicy._trusted.trusted` writes, costs less
    than a loop over the fields (a tenth of a record's ``loads``). With *usual*, the usual values
    of the parsers in :data:`_USUAL` are read in line, without a call (another tenth).

    With *by_dict*, the function reads the pairs of an object in order instead (each field's where
    it has one, in the order of *fields*, with the tag's at *tag_at*), and leaves an object whose
    keys come otherwise to *by_dict*.
    """
    # an event type is built through its slots' setters: it has no twin (see `writable`)
    assigned = not issubclass(cls, Event)
    scope: dict[str, object] = {
        "new": object.__new__,
        "built": writable(cls) if assigned else cls,
        "cls": cls,
        "names": names,
        "by_dict": by_dict,
        **_USUAL_SCOPE,
    }
    if by_dict is None:
        lines = ["def build(fields, currency):", "    if not fields.keys() <= names:", "        return None"]
        read = [f"    raw = fields.get({name!r})" for name, _, _ in fields]
    else:
        lines = ["def build(pairs, currency):", *_in_order(fields, tag_at)]
        read = [f"    raw = raw_{index}" for index in range(len(fields))]
    made = []
    for index, (name, parse, required) in enumerate(fields):
        scope[f"parse_{index}"] = parse
        if not assigned:
            scope[f"set_{index}"] = getattr(cls, name).__set__
        value = f"value_{index}"
        lines += [read[index], "    if raw is None:"]
        lines.append("        return None" if required else f"        {value} = None")
        in_line = _USUAL.get(parse) if usual else None
        if in_line is not None:  # the usual value read in line, without a call: the parser reads the rest
            scope[f"given_{index}"] = in_line.given
            lines.append(f"    elif {in_line.test.format(value=value, given=f'given_{index}')}:")
            if in_line.read is None:
                lines.append("        pass")
            elif in_line.refusable:
                lines += ["        try:", f"            {value} = {in_line.read}", "        except ValueError:"]
                lines.append("            return None")
            else:
                lines.append(f"        {value} = {in_line.read}")
        lines += ["    else:", f"        {value} = parse_{index}(raw, currency)", f"        if {value} is None:"]
        lines.append("            return None")
        made.append(f"    made.{name} = {value}" if assigned else f"    set_{index}(made, {value})")
    lines += ["    made = new(built)", *made, *(["    made.__class__ = cls"] if assigned else [])]
    if not trusted:  # the checks __attrs_post_init__ runs after that of `at`: a refusal is the full path's to report
        lines += ["    problems = []", "    made._check(problems)", "    if problems:", "        return None"]
    lines.append("    return made")
    exec(compile("\n".join(lines) + "\n", f"<fast {cls.__qualname__}>", "exec"), scope)  # noqa: S102 - code of names and indices alone
    build: Callable[[Any, str], _Built | None] = scope["build"]  # type: ignore[assignment]  # made just above
    return build


def _in_order(fields: tuple[tuple[str, _FastParse, bool], ...], tag_at: int) -> list[str]:
    """The lines that take each field's raw value (``raw_0``, ...) from ``pairs`` of the keys in order.

    The tag's pair is at *tag_at*, and left there: the caller found the object's class by it.

    Two orders are read: every field, and the required ones alone (the same where every field is
    required); an object with some of the optional fields is left to ``by_dict``, as one whose
    keys come in another order.
    """
    required = tuple(index for index, (_, _, needed) in enumerate(fields) if needed)
    orders = {len(fields): tuple(range(len(fields))), len(required): required}  # one, where all are required
    lines = ["    count = len(pairs)"]
    for length, order in sorted(orders.items()):
        names = [f"(key_{index}, raw_{index})" for index in order]
        names.insert(tag_at, "_")
        differs = " or ".join(f"key_{index} != {fields[index][0]!r}" for index in order)
        lines += [
            f"    {'if' if len(lines) == 1 else 'elif'} count == {length + 1}:",
            f"        {', '.join(names)} = pairs",
        ]
        lines += [f"        if {differs}:", "            return by_dict(pairs, currency)"]
        lines += [f"        raw_{index} = None" for index in range(len(fields)) if index not in order]
    lines += ["    else:", "        return by_dict(pairs, currency)"]
    return lines


_AT: Final = ("at", _fast_instant, True)
_MILESTONE: Final = ("milestone", _fast_text, True)
_AMOUNT: Final = ("amount", _fast_positive, True)
_BY: Final = ("by", _fast_party, True)
_REASON: Final = ("reason", _fast_text, True)
_WEEK_ENDING: Final = ("week_ending", _remembered(_fast_passing(_fast_date, check_sunday)), True)
_FAST_EVENTS: Final = {
    spec.cls.TYPE: spec
    for spec in (
        _FastBuild(MilestoneFunded, _AT, _MILESTONE, _AMOUNT, ("due_at", _fast_instant, False)),
        _FastBuild(WorkSubmitted, _AT, _MILESTONE),
        _FastBuild(ChangesRequested, _AT, _MILESTONE),
        _FastBuild(MilestoneReleased, _AT, _MILESTONE, _AMOUNT),
        _FastBuild(EscrowReturned, _AT, _MILESTONE, _AMOUNT),
        _FastBuild(
            HoursBilled,
            _AT,
            _WEEK_ENDING,
            ("hours", _remembered(_fast_passing(_fast_decimal, check_hours)), True),
            _AMOUNT,
        ),
        _FastBuild(HoursDisputed, _AT, _WEEK_ENDING),
        _FastBuild(BonusPaid, _AT, _AMOUNT),
        _FastBuild(RefundIssued, _AT, _AMOUNT),
        _FastBuild(DisputeOpened, _AT, _BY, ("milestone", _fast_text, False)),
        _FastBuild(DisputeResolved, _AT, ("to_freelancer", _fast_money, True), ("to_client", _fast_money, True)),
        _FastBuild(ContractPaused, _AT, _BY),
        _FastBuild(ContractResumed, _AT, _BY),
        _FastBuild(ContractEnded, _AT, _BY, ("reason", _fast_text, False)),
        _FastBuild(
            FeedbackLeft,
            _AT,
            _BY,
            ("kind", _fast_choice(FeedbackKind), True),
            ("rating", _remembered(_fast_decimal), True),
            ("comment", _fast_str, False),
            trusted=False,
        ),
        _FastBuild(FeedbackResponse, _AT, _BY),
        _FastBuild(FeedbackEditEnabled, _AT, _BY),
        _FastBuild(FeedbackRemoved, _AT, ("author", _fast_party, True), _REASON),
        _FastBuild(AccountSuspended, _AT, ("party", _fast_party, True), _REASON),
        _FastBuild(JobReported, _AT, _BY, _REASON),
    )
}
_FAST_BUILDERS: Final = {kind: spec.build for kind, spec in _FAST_EVENTS.items()}
"""Each event type's ``build``, as the loop over the events reads it."""
_FAST_PAIRS: Final = {("type", kind): spec.pairs_builder(usual=True) for kind, spec in _FAST_EVENTS.items()}
"""Each event type's build of its pairs (:meth:`_FastBuild.pairs_builder`), by the pair that names it."""
_FAST_PAIRS_AT: Final = {
    ("type", kind): spec.pairs_builder(usual=True, tag_at=1) for kind, spec in _FAST_EVENTS.items()
}
"""The same, of an event whose type comes second, after its instant (as many writers put them)."""
_FAST_CONTRACT: Final = _FastBuild(
    ContractTerms,
    ("id", _fast_text, True),
    ("marketplace", _fast_text, False),
    ("kind", _fast_choice(ContractKind), True),
    ("currency", _fast_str, True),
    ("client", _fast_text, True),
    ("freelancer", _fast_text, True),
    ("started_at", _fast_instant, True),
    ("hourly_rate", _fast_positive, False),
    ("weekly_limit_hours", _remembered(_fast_passing(_fast_decimal, check_weekly_limit)), False),
    ("freelancer_fee_rate", _remembered(_fast_passing(_fast_decimal, check_fee_rate)), False),
    tag=None,
)
"""Terms whose every field the parsers check as ``ContractTerms`` would, but that the client is not
the freelancer, built without it."""
_RECORD_NAMES: Final = frozenset({"format", "contract", "events"})
_RECORD_ORDER: Final = ("format", "contract", "events")
"""The record's keys in the order :func:`dumps` writes them, which the fast path reads without a dict."""


def _fast_object(value: object) -> dict[str, object] | None:
    """The object the fast parse wrote as a tuple of pairs, or ``None`` if not one or a key repeats."""
    if type(value) is not tuple:
        return None
    fields = dict(value)
    return fields if len(fields) == len(value) else None


def _fast_contract(value: object) -> ContractTerms | None:
    fields = _fast_object(value)
    if fields is None:
        return None
    currency = fields.get("currency")
    if type(currency) is not str or currency not in CURRENCIES:
        return None
    terms = _FAST_CONTRACT.build(fields, currency)
    # the one check across fields: a refusal is the full path's to report
    return None if terms is None or terms.client == terms.freelancer else terms


_FAST_DECODER: Final = json.JSONDecoder(
    parse_float=_parse_float, parse_int=_parse_int, parse_constant=_reject_constant, object_pairs_hook=tuple
)
"""The fast path's decoder, made once (``json.loads`` with these arguments makes one per call).

Each object comes as a tuple of its pairs (a builtin, so no Python call per object): a JSON array
is a list, and a repeated key shows as a dict shorter than its pairs. Unlike ``json.loads`` it
does not refuse a text that starts with a byte order mark by name; it fails on it all the same,
and the full path says why."""


_SCAN: Final[Callable[[str, int], tuple[object, int]]] = _FAST_DECODER.scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__, not in typeshed
"""The decoder's scanner of one value, called directly: ``decode`` adds two regular expressions and
two calls around it, for the whitespace before and after (a tenth of a small record's parse)."""
_JSON_SPACE: Final = " \t\n\r"


def _fast_parts(text: str) -> tuple[ContractTerms, tuple[Event, ...]] | None:
    """The terms and events of a valid record, or ``None`` to leave *text* to the full path.

    The value must start the text (a record read from a line starts there) and only JSON's
    whitespace may follow it (a line's newline): anything else the full path decodes, or refuses.
    """
    try:
        data, end = _SCAN(text, 0)
        if end != len(text) and text[end:].strip(_JSON_SPACE):
            return None
        return _fast_structure(data)
    except (StopIteration, ValueError, ArithmeticError, RecursionError):  # no value there, bad JSON;
        return None  # or a decimal context too narrow


def _fast_structure(data: object) -> tuple[ContractTerms, tuple[Event, ...]] | None:
    if (
        type(data) is tuple
        and len(data) == len(_RECORD_ORDER)
        and (data[0][0], data[1][0], data[2][0]) == _RECORD_ORDER
    ):
        (_, given_format), (_, raw_contract), (_, raw_events) = data  # as dumps writes them, read in turn
    else:  # the keys in another order, or others: through a dict
        top = _fast_object(data)
        if top is None or top.keys() != _RECORD_NAMES:
            return None
        given_format, raw_contract, raw_events = top["format"], top["contract"], top["events"]
    if given_format != FORMAT:
        return None
    contract = _fast_contract(raw_contract)
    if contract is None or type(raw_events) is not list or len(raw_events) > MAX_EVENTS:
        return None
    currency = contract.currency
    events: list[Event] = []
    append = events.append
    builders, from_pairs, from_pairs_at = _FAST_BUILDERS, _FAST_PAIRS, _FAST_PAIRS_AT
    for raw in raw_events:
        if type(raw) is not tuple or not raw:
            return None
        # the type's pair first (as dumps writes it) or second (after the instant): then the
        # pairs are read as they come
        first = raw[0]
        read = from_pairs.get(first) if type(first[1]) is str else None
        if read is None and len(raw) > 1:
            second = raw[1]
            read = from_pairs_at.get(second) if type(second[1]) is str else None
        if read is not None:
            event = read(raw, currency)
        else:  # the type elsewhere, or not a string: through a dict
            fields = _fast_object(raw)
            if fields is None:
                return None
            kind = fields.get("type")
            build = builders.get(kind) if type(kind) is str else None
            event = None if build is None else build(fields, currency)
        if event is None:
            return None
        append(event)
    return contract, tuple(events)


def _full_loads(text: str) -> ContractRecord:
    """Decode *text* with the one converter, reporting every problem at once."""
    return structure_record(parse_json(text))


def parse_json(text: str) -> object:
    """*text* parsed as strictly as a record is: exact numbers, no ``NaN``, no repeated key.

    Raises:
        InvalidRecord: at the empty path, for text that is not JSON, is nested too deeply, or
            holds a repeated key or a number out of range.
    """
    try:
        return json.loads(
            text,
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as error:
        raise InvalidRecord("", f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise InvalidRecord("", "is nested too deeply") from None


def refuse_too_many_items(text: str) -> None:
    """Refuse *text* if it holds more JSON values than any valid record (:data:`MAX_ITEMS`).

    Raises:
        InvalidRecord: at the empty path.
    """
    # each value takes a character at least: a text no longer than the limit is within it
    if len(text) > MAX_ITEMS and _items(text) > MAX_ITEMS:
        raise InvalidRecord("", f"holds more than {MAX_ITEMS:,} JSON values, more than any valid record")


MAX_ITEMS: Final = 16 * MAX_EVENTS
"""How many JSON values a record text may hold (counted as the commas and opening brackets
outside strings): sixteen per event, more than any valid record needs. Parsed, a small value
costs ten to twenty times its text (``[]`` is 3 bytes of text and a 56-byte list), so the text
limit alone would let 64 MiB of ``[[],[],...]`` take more than a gigabyte; this one refuses such a
text before it is parsed."""

_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _items(text: str) -> int:
    """The commas and opening brackets of *text* outside its strings: one per value, about."""
    rough = text.count(",") + text.count("[") + text.count("{")
    if rough <= MAX_ITEMS:  # what strings hold only adds to the count: no need to look closer
        return rough
    # at least this many strings (an escaped quote may also be a closing one after a backslash):
    # a key or a value each, and each but the first follows a comma or a bracket
    strings = (text.count('"') - text.count('\\"')) // 2
    if strings > MAX_ITEMS:
        return strings
    bare = _STRING.sub("", text)  # few strings: removing them is quick
    return bare.count(",") + bare.count("[") + bare.count("{")


@in_decimal_context
def loads(text: str | bytes) -> ContractRecord:
    """Parse and check a record in the ``gigpolicy/1`` format.

    Amounts are read exactly, whether written as strings or as JSON numbers.

    Args:
        text: The JSON text, as ``str`` or UTF-8 ``bytes``.

    Returns:
        The checked record.

    Raises:
        InvalidRecord: for text that is not JSON, and for every problem of the record,
            all of them together, each naming its place (``events[3].amount``).

    >>> record = loads('''{"format": "gigpolicy/1", "events": [],
    ...   "contract": {"id": "c-1", "kind": "hourly", "currency": "USD",
    ...                "client": "cl", "freelancer": "fl", "started_at": "2026-11-02T15:00:00Z"}}''')
    >>> record.contract.kind
    <ContractKind.HOURLY: 'hourly'>
    """
    record, checked = read_here(text)
    return record if checked else record._checked()  # noqa: SLF001 - the record's own check


def read_here(text: str | bytes) -> tuple[ContractRecord, bool]:
    """:func:`loads` in the decimal context in force, but for the check of the record's ledger, which it may leave.

    The record, and whether it is checked. For ``batch``, which runs in gigpolicy's context
    already (entering it costs more than a small record's check) and replays each record at
    once: a record not checked yet is checked by its replay
    (:func:`~gigpolicy._replay.checked_and_replayed`), in the same fold where it can be.

    Raises:
        InvalidRecord: as :func:`loads` does, but for the problems of the ledger and lifecycle of
            a record it leaves unchecked.
    """
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_BYTES:
            raise InvalidRecord("", f"is larger than {MAX_BYTES} bytes")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidRecord("", f"is not UTF-8 text (byte {error.start})") from None
    elif not isinstance(text, str):
        raise InvalidRecord("", f"must be JSON text, not {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise InvalidRecord("", f"is larger than {MAX_BYTES} characters")
    refuse_too_many_items(text)
    parts = _fast_parts(text)
    if parts is None:
        return _full_loads(text), True
    return _RECORD(*parts), False  # the decoder checked every field: the ledger is left


@in_decimal_context
def load(path: str | os.PathLike[str]) -> ContractRecord:
    """Read and check a record from the file at *path*.

    Raises:
        InvalidRecord: as :func:`loads` does, and for a file that cannot be read.
    """
    try:
        file = Path(path)
    except TypeError:
        raise InvalidRecord("", f"a record path must be a str or a path, not {type(path).__name__}") from None
    if "\0" in str(file):  # no system names such a file; Python's words for it change from version to version
        raise InvalidRecord("", f"cannot read {file}: a path cannot hold a NUL character")
    try:
        size = file.stat().st_size
        with file.open("rb") as stream:
            # a device or a pipe reports no size: read one byte past the limit to see it crossed
            data = stream.read(MAX_BYTES + 1) if size <= MAX_BYTES else None
    except IsADirectoryError:
        raise InvalidRecord("", f"{file} is a directory, not a record file") from None
    except OSError as error:
        raise InvalidRecord("", f"cannot read {file}: {error.strerror or error}") from None
    except ValueError as error:  # a path the operating system cannot name otherwise
        raise InvalidRecord("", f"cannot read {file}: {error}") from None
    if data is None or len(data) > MAX_BYTES:
        raise InvalidRecord("", f"{file} is larger than {MAX_BYTES} bytes")
    return loads(data)


@in_decimal_context
def dumps(record: ContractRecord, *, indent: int | None = 2) -> str:
    """Write *record* in the ``gigpolicy/1`` format; ``loads(dumps(r)) == r``.

    Amounts and other decimals are written as strings, so no reader loses a digit.

    Raises:
        InvalidRecord: if *record* is not a :class:`~gigpolicy.ContractRecord`, or *indent*
            is neither ``None`` nor an ``int`` from 0 to 16.
    """
    if not isinstance(record, ContractRecord):
        raise InvalidArgument("record", f"must be a ContractRecord, not {type(record).__name__}")
    given: object = indent  # a caller without a type checker may pass anything
    if given is not None and (isinstance(given, bool) or not isinstance(given, int) or not 0 <= given <= MAX_INDENT):
        shown = repr(given) if type(given) is int and abs(given) < _SHOWN_INT else type(given).__name__
        raise InvalidRecord("indent", f"must be None or an int from 0 to {MAX_INDENT}, not {shown}")
    document = {
        "format": FORMAT,
        "contract": CODEC.unstructure(record.contract),
        "events": [CODEC.unstructure(event) for event in record.events],
    }
    return json.dumps(document, indent=indent, ensure_ascii=False)
