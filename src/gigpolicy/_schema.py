"""The JSON Schema of the record format ``gigpolicy/1``, built from the code's own tables.

The schema is derived from the attrs fields of :class:`~gigpolicy.ContractTerms` and of every
class in :data:`~gigpolicy._events.EVENT_TYPES`, from the enums and from the currency table, so
a new field or event type shows up in it without anyone editing it. It checks the shape of a
record only; what depends on several values at once (time order, the ledger, the lifecycle,
decimal places per currency, a ``week_ending`` that is a Sunday, rating ranges) is left to
:func:`gigpolicy.loads`.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._contract import MAX_COMMENT, MAX_TEXT, ContractTerms
from gigpolicy._events import EVENT_TYPES
from gigpolicy._money import _DECIMAL, CURRENCIES, Money
from gigpolicy._record import FORMAT, MAX_EVENTS

__all__ = ["DRAFT", "schema"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of :func:`schema`."""

# ECMA-262 and Python's re agree on every construct below; the decimal syntax is the very
# pattern the decoder uses, anchored, so the two cannot disagree.
_DECIMAL_PATTERN: Final = f"^(?:{_DECIMAL.pattern})$"
_TIMESTAMP_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

_DESCRIPTION: Final = (
    f"A contract record in the {FORMAT} format: the contract's terms and its events in time order. "
    "This schema checks the structure only: required and unknown fields, types, event types, enums, "
    "and the syntax of amounts, decimals, timestamps and dates. It cannot check what depends on several "
    "values or on the ledger: time order, the money rules (no release beyond escrow, no refund beyond "
    "what was paid, amounts greater than zero), the lifecycle (one end, no end-of-contract feedback before "
    "the end), decimal places per currency, ranges of ratings and hours, or that a week_ending is a Sunday. "
    "A record that passes this schema may still be invalid; gigpolicy.loads checks everything."
)


def _ref(name: str) -> dict[str, object]:
    return {"$ref": f"#/$defs/{name}"}


def _first_line(cls: type) -> str:
    doc = cls.__doc__ or ""
    return doc.strip().split("\n", 1)[0]


def _common_defs() -> dict[str, object]:
    """Definitions of the value types that fields share."""
    number_or_decimal = [{"type": "string", "pattern": _DECIMAL_PATTERN}, {"type": "number"}]
    return {
        "Money": {
            "description": (
                "An amount in the contract's currency, as a decimal string or a JSON number, read exactly; "
                "at most as many decimal places as the currency has (not checked here)."
            ),
            "anyOf": number_or_decimal,
        },
        "Decimal": {
            "description": "An exact decimal number, as a decimal string or a JSON number.",
            "anyOf": number_or_decimal,
        },
        "Timestamp": {
            "description": "An RFC 3339 date and time with a UTC offset (Z or +hh:mm); one without is an error.",
            "type": "string",
            "format": "date-time",
            "pattern": _TIMESTAMP_PATTERN,
        },
        "Date": {
            "description": "A calendar date, YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": _DATE_PATTERN,
        },
        "Text": {
            "description": f"A non-blank string of at most {MAX_TEXT} characters.",
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_TEXT,
            "pattern": r"\S",
        },
        "Comment": {
            "description": f"A non-blank string of at most {MAX_COMMENT} characters.",
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_COMMENT,
            "pattern": r"\S",
        },
        "Currency": {
            "description": "An ISO 4217 currency code that gigpolicy knows.",
            "enum": sorted(CURRENCIES),
        },
    }


# Strings whose field name gives them a narrower type than plain text.
_NAMED_STRINGS: Final = {"currency": "Currency", "comment": "Comment"}
_VALUE_TYPES: Final[dict[object, str]] = {
    str: "Text",
    Decimal: "Decimal",
    Money: "Money",
    datetime: "Timestamp",
    date: "Date",
}


def _field_schema(name: str, hint: object, defs: dict[str, object]) -> dict[str, object]:
    """Return the schema of one field; ``null`` is allowed for an optional one (``X | None``).

    Raises:
        TypeError: for a field type the record format has no JSON form for.
    """
    optional = False
    if isinstance(hint, types.UnionType):
        members = [member for member in typing.get_args(hint) if member is not type(None)]
        optional = len(members) < len(typing.get_args(hint))
        if len(members) != 1:
            raise TypeError(f"field {name!r}: no JSON form for {hint}")
        hint = members[0]
    if hint is str and name in _NAMED_STRINGS:
        value = _ref(_NAMED_STRINGS[name])
    elif hint in _VALUE_TYPES:
        value = _ref(_VALUE_TYPES[hint])
    elif isinstance(hint, type) and issubclass(hint, enum.StrEnum):
        defs[hint.__name__] = {"description": _first_line(hint), "enum": [member.value for member in hint]}
        value = _ref(hint.__name__)
    else:
        raise TypeError(f"field {name!r}: no JSON form for {hint}")
    if optional:
        return {"anyOf": [value, {"type": "null"}]}
    return value


def _object_schema(cls: type, defs: dict[str, object], *, type_name: str | None = None) -> dict[str, object]:
    """Return the schema of the attrs class *cls*, strict about unknown fields."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, object] = {}
    required: list[str] = []
    if type_name is not None:
        properties["type"] = {"const": type_name}
        required.append("type")
    for field in attrs.fields(cls):
        properties[field.name] = _field_schema(field.name, hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    return {
        "description": _first_line(cls),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema() -> dict[str, object]:
    """Return the JSON Schema (draft 2020-12) of the record format ``gigpolicy/1``.

    The schema accepts every valid record and rejects records whose structure is broken:
    a missing or unknown field, a value of the wrong JSON type, an unknown event type, a
    timestamp without an offset. It cannot check the ledger or the lifecycle, so a record
    it accepts may still be rejected by :func:`gigpolicy.loads`. ``null`` is accepted
    wherever a field is optional, and means the field is absent.

    Returns:
        A fresh JSON-compatible ``dict`` each call; the caller may change it.

    >>> document = schema()
    >>> document["properties"]["format"]
    {'const': 'gigpolicy/1'}
    >>> "MilestoneFunded" in document["$defs"]
    True
    """
    defs = _common_defs()
    defs["ContractTerms"] = _object_schema(ContractTerms, defs)
    variants: list[object] = []
    for type_name, cls in EVENT_TYPES.items():
        defs[cls.__name__] = _object_schema(cls, defs, type_name=type_name)
        variants.append(_ref(cls.__name__))
    defs["Event"] = {"description": "One event; its type field says which.", "oneOf": variants}
    return {
        "$schema": DRAFT,
        "title": f"{FORMAT} contract record",
        "description": _DESCRIPTION,
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "contract": _ref("ContractTerms"),
            "events": {"type": "array", "items": _ref("Event"), "maxItems": MAX_EVENTS},
        },
        "required": ["format", "contract", "events"],
        "additionalProperties": False,
        "$defs": defs,
    }
