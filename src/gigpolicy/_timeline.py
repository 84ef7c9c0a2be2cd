"""Timelines: a contract's events, automatic steps and policy windows on one time axis.

:func:`timeline` gathers what a report knows into a :class:`Timeline` value;
:func:`timeline_text` draws it for a terminal and :func:`timeline_svg` as a standalone SVG
document. Both drawings write every window's close instant out in words, so "until when"
can be read without measuring anything.
"""

from __future__ import annotations

import enum
import itertools
import re
import unicodedata
from collections.abc import Callable
from datetime import MAXYEAR, UTC, datetime, timedelta
from typing import Final
from xml.sax.saxutils import escape, quoteattr

import attrs

from gigpolicy._evaluate import Report, windows_of
from gigpolicy._events import Event
from gigpolicy._money import describe
from gigpolicy._policy import Window
from gigpolicy._record import ContractRecord
from gigpolicy._state import AutomaticStep
from gigpolicy._time import format_instant, keep_fixed
from gigpolicy.errors import InvalidArgument, InvalidRecord

__all__ = ["MIN_WIDTH", "Mark", "MarkKind", "Timeline", "timeline", "timeline_svg", "timeline_text"]

MIN_WIDTH: Final = 50
"""The narrowest text drawing: room for a window's close instant beside its bar, or the ``at`` marker."""
MAX_WIDTH: Final = 1_000
"""The widest text drawing: a line is built as a list of this many cells."""

_US: Final = timedelta(microseconds=1)
_PAD: Final = timedelta(hours=1)
"""The least room left after the latest instant, so a span of one instant still has a length."""
_LATEST: Final = datetime.max.replace(tzinfo=UTC)
_EPOCH: Final = datetime(1970, 1, 5, tzinfo=UTC)
"""A Monday at midnight: fixed-length ticks count from it, so weekly ticks fall on Mondays."""
_KEYS: Final = "123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MORE_KEY: Final = "+"
_LEGEND_LIMIT: Final = 40
"""The most marks listed under a drawing; the rest are counted."""


class MarkKind(enum.StrEnum):
    """What put a mark on a timeline."""

    EVENT = "event"
    """A recorded event."""
    AUTOMATIC = "automatic"
    """A step the policy took by itself during replay."""
    AT = "at"
    """The instant the report judges."""


@attrs.frozen(kw_only=True)
class Mark:
    """One instant on a timeline, with a few words for a person.

    >>> Mark(at=datetime(2026, 11, 3, 9, tzinfo=UTC), label="contract ended", kind=MarkKind.EVENT).kind
    <MarkKind.EVENT: 'event'>
    """

    at: datetime
    label: str
    kind: MarkKind

    def __attrs_post_init__(self) -> None:
        keep_fixed(self, "at")  # positions on the axis are then elapsed time, in any zone


@attrs.frozen(kw_only=True)
class Timeline:
    """A contract on a time axis: marks, the policy's windows, and the span to draw.

    Build one with :func:`timeline`; the drawings accept any value whose ``end`` is later
    than its ``start`` (marks and windows outside the span are drawn at its edges).
    """

    title: str
    """A line naming the contract, the policy version and the instant judged."""
    start: datetime
    """The left end of the axis: the contract's start, or anything earlier."""
    end: datetime
    """The right end of the axis: a little after the latest instant shown."""
    at: datetime
    """The instant judged."""
    marks: tuple[Mark, ...] = ()
    """Events, automatic steps and the instant judged, in time order."""
    windows: tuple[Window, ...] = ()
    """The windows the policy has open or scheduled, in its order."""

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end", "at"):
            keep_fixed(self, name)  # positions on the axis are then elapsed time, in any zone
        if self.end <= self.start:
            raise InvalidRecord("end", "must be later than start")


def timeline(record: ContractRecord, report: Report) -> Timeline:
    """The timeline of *record* as *report* judges it.

    Args:
        record: The record the report was made from.
        report: What :func:`~gigpolicy.evaluate` returned for *record*.

    Returns:
        Every recorded event and automatic step as a mark, the instant judged as an ``at``
        mark, the windows of ``report.policy``, and a span from the contract's start to a
        little after the latest of them (instants in UTC).

    Raises:
        InvalidRecord: if *record* or *report* is not of its type.
    """
    if not isinstance(record, ContractRecord):
        raise InvalidArgument("record", f"must be a ContractRecord, not {type(record).__name__}")
    if not isinstance(report, Report):
        raise InvalidArgument("report", f"must be a Report, not {type(report).__name__}")
    # the report's own windows when it judged this record; else this record's, the same way
    windows = report.windows if report.record is record else windows_of(report.policy, record, report.state)
    marks = [Mark(at=_utc(event.at), label=_event_label(event), kind=MarkKind.EVENT) for event in record.events]
    marks.extend(
        Mark(at=_utc(step.at), label=_automatic_label(step), kind=MarkKind.AUTOMATIC) for step in report.state.automatic
    )
    marks.append(Mark(at=_utc(report.at), label="at", kind=MarkKind.AT))
    marks.sort(key=lambda mark: mark.at)  # stable: events, then steps, then `at` at one instant
    instants = [
        record.contract.started_at,
        *(mark.at for mark in marks),
        *(window.opens for window in windows),
        *(window.closes for window in windows),
    ]
    start, latest = _utc(min(instants)), _utc(max(instants))
    pad = max((latest - start) / 20, _PAD)
    return Timeline(
        title=f"{record.contract.id} · {report.policy.label} · at {_when(report.at)}",
        start=start,
        end=latest + min(pad, _LATEST - latest),
        at=_utc(report.at),
        marks=tuple(marks),
        windows=windows,
    )


# -- labels -----------------------------------------------------------------------------------

_DETAILS: Final = (
    ("milestone", "{}"),
    ("week_ending", "week ending {}"),
    ("hours", "{} h"),
    ("kind", "{}"),
    ("rating", "rated {}"),
    ("amount", "{}"),
    ("to_freelancer", "{} to the freelancer"),
    ("to_client", "{} to the client"),
    ("by", "by the {}"),
    ("party", "the {}"),
    ("author", "the {}'s"),
)
_AUTOMATIC: Final = {
    "AUTO_RELEASE": "{milestone} released by itself ({amount})",
    "ESCROW_RETURNED_AFTER_END": "escrow of {milestone} returned to the client ({amount})",
    "DORMANT_CLOSED": "contract closed as dormant ({amount} held)",
}


def _event_label(event: Event) -> str:
    details = []
    for name, template in _DETAILS:
        value = getattr(event, name, None)
        if value is not None:
            details.append(template.format(value))
    words = event.TYPE.replace("_", " ")
    return f"{words} ({', '.join(details)})" if details else words


def _automatic_label(step: AutomaticStep) -> str:
    template = _AUTOMATIC.get(step.code, "{code} ({milestone}, {amount})")
    return template.format(code=step.code.lower().replace("_", " "), milestone=step.milestone, amount=step.amount)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _when(value: datetime) -> str:
    """``2026-11-18 00:00 UTC`` (strftime pads years below 1000 differently by platform)."""
    return _minute(_utc(value)) + " UTC"


def _minute(value: datetime) -> str:
    return f"{_day(value)} {value.hour:02d}:{value.minute:02d}"


def _day(value: datetime) -> str:
    return f"{_month(value)}-{value.day:02d}"


def _month(value: datetime) -> str:
    return f"{_year(value)}-{value.month:02d}"


def _year(value: datetime) -> str:
    return f"{value.year:04d}"


def _clean(text: str) -> str:
    """*text* without control, format or unassigned characters (no escape codes, valid in XML)."""
    if text.isascii() and text.isprintable():  # the usual case, in C: nothing to replace
        return text
    return "".join("\ufffd" if unicodedata.category(char).startswith("C") else char for char in text)


def _char_cols(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def _cols(text: str) -> int:
    """How many terminal columns *text* takes."""
    if text.isascii():  # one column a character (control characters are cleaned out before)
        return len(text)
    return sum(_char_cols(char) for char in text)


def _fit(text: str, cols: int) -> str:
    """*text*, cut with ``…`` to at most *cols* columns."""
    if _cols(text) <= cols:
        return text
    used = itertools.accumulate(_char_cols(char) for char in text)
    return "".join(char for char, upto in zip(text, used, strict=True) if upto <= cols - 1) + "…"


# -- the scale --------------------------------------------------------------------------------


def _position(instant: datetime, start: datetime, end: datetime, cols: int) -> int:
    """The column (0 to ``cols - 1``) of *instant*, rounded exactly, clamped to the span."""
    span = (end - start) // _US
    offset = (instant - start) // _US
    column = (2 * offset * (cols - 1) + span) // (2 * span)
    return min(max(column, 0), cols - 1)


_Step = tuple[int, timedelta, Callable[[datetime], str]]
"""A tick step: whole months (0 for a fixed length), its least length, and its label format."""

_STEPS: Final[tuple[_Step, ...]] = (
    *((0, timedelta(minutes=n), _minute) for n in (1, 5, 15, 30)),
    *((0, timedelta(hours=n), _minute) for n in (1, 3, 6, 12)),
    *((0, timedelta(days=n), _day) for n in (1, 2, 7, 14)),
    *((n, timedelta(days=28 * n), _month) for n in (1, 3, 6)),
    *((12 * n, timedelta(days=365 * n), _year) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)),
)


def _step(start: datetime, end: datetime, cols: int) -> _Step:
    """The shortest step whose labels, with two columns between them, fit between its ticks."""
    span = (end - start) // _US
    return next(
        (step for step in _STEPS if step[1] // _US * (cols - 1) >= (len(step[2](start)) + 2) * span),
        _STEPS[-1],
    )


def _ticks(step: _Step, start: datetime, end: datetime) -> list[datetime]:
    """The instants of *step* from *start* to *end* (UTC), on calendar boundaries."""
    months, length, _ = step
    if months:
        index = start.year * 12 + start.month - 1 + (start > datetime(start.year, start.month, 1, tzinfo=UTC))
        index = -(-index // months) * months
        ticks = []
        while index < (MAXYEAR + 1) * 12 and (tick := datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)) <= end:
            ticks.append(tick)
            index += months
        return ticks
    first = _EPOCH - (_EPOCH - start) // length * length
    return [first + number * length for number in range((end - first) // length + 1)]


def _scale(tl: Timeline, cols: int) -> tuple[list[datetime], Callable[[datetime], str]]:
    """The ticks to draw across *cols* columns (the start if no tick falls in the span), and their format."""
    start, end = _utc(tl.start), _utc(tl.end)
    step = _step(start, end, cols)
    return _ticks(step, start, end) or [start], step[2]


def _groups(tl: Timeline, cols: int) -> list[tuple[int, list[Mark]]]:
    """The event and automatic marks, in time order, gathered by column on a scale of *cols*."""
    groups: list[tuple[int, list[Mark]]] = []
    for mark in sorted(tl.marks, key=lambda mark: mark.at):
        if mark.kind is MarkKind.AT:
            continue  # the instant judged has its own marker
        column = _position(mark.at, tl.start, tl.end, cols)
        if groups and groups[-1][0] == column:
            groups[-1][1].append(mark)
        else:
            groups.append((column, [mark]))
    return groups


def _key(number: int) -> str:
    return _KEYS[number] if number < len(_KEYS) else _MORE_KEY


def _symbol(marks: list[Mark]) -> str:
    return "◆" if any(mark.kind is MarkKind.AUTOMATIC for mark in marks) else "●"


def _legend(groups: list[tuple[int, list[Mark]]]) -> tuple[list[tuple[str, Mark]], int]:
    """Each mark with its group's key, up to the limit, and how many were left out."""
    keyed = [(_key(number), mark) for number, (_, marks) in enumerate(groups) for mark in marks]
    return keyed[:_LEGEND_LIMIT], max(len(keyed) - _LEGEND_LIMIT, 0)


def _span(window: Window) -> tuple[datetime, datetime]:
    return min(window.opens, window.closes), max(window.opens, window.closes)


def _until(window: Window) -> str:
    return f"until {_when(window.closes)}"


# -- text -------------------------------------------------------------------------------------


def _require_timeline(tl: object) -> None:
    if not isinstance(tl, Timeline):
        raise TypeError(f"a timeline must be a Timeline (from gigpolicy.timeline), not {type(tl).__name__}")


def timeline_text(tl: Timeline, *, width: int = 78) -> str:
    """Draw *tl* for a terminal, in at most *width* columns per line (plain text, no colour codes).

    From the top: the title; the axis with dates (UTC) above it, events as ``●`` and
    automatic steps as ``◆`` on it, and a key under each; the ``^ at`` marker; one bar
    ``[====)`` per window on the same scale with its label and close instant (on the next
    lines, after ``└``, when the row has no room); then each mark by key.

    Raises:
        InvalidRecord: if *width* is not an int from :data:`MIN_WIDTH` to :data:`MAX_WIDTH`.
        TypeError: if *tl* is not a :class:`Timeline`.
    """
    _require_timeline(tl)
    given: object = width  # a caller without a type checker may pass anything
    if isinstance(given, bool) or not isinstance(given, int) or not MIN_WIDTH <= given <= MAX_WIDTH:
        raise InvalidRecord("width", f"must be an int from {MIN_WIDTH} to {MAX_WIDTH} columns, not {describe(given)}")
    title = _clean(tl.title)
    header = f"{title} (times in UTC)"
    lines = [header if _cols(header) <= width else _fit(title, width)]
    ticks, label = _scale(tl, width)
    top, axis = [" "] * width, ["─"] * width
    axis[0], axis[-1] = "├", "┤"
    last = -2
    for tick in ticks:
        column = _position(tick, tl.start, tl.end, width)
        axis[column] = "┴"
        text = label(tick)
        left = min(column, width - len(text))
        if left > last + 1:
            top[left : left + len(text)] = text
            last = left + len(text)
    groups = _groups(tl, width)
    keys = [" "] * width
    for number, (column, marks) in enumerate(groups):
        axis[column] = _symbol(marks)
        keys[column] = _key(number)
    lines.extend(["".join(top), "".join(axis)])
    if groups:
        lines.append("".join(keys))
    lines.append(_at_row(tl, width))
    for window in tl.windows:
        lines.extend(_window_rows(tl, window, width))
    if not tl.windows:
        lines.append("no windows open or scheduled")
    shown, left_out = _legend(groups)
    if shown:
        lines.append("")
    for key, mark in shown:
        lines.append(_fit(f"{key} {_symbol([mark])} {_when(mark.at)}  {_clean(mark.label)}", width))
    if left_out:
        lines.append(f"… and {left_out} more")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _at_row(tl: Timeline, width: int) -> str:
    column = _position(tl.at, tl.start, tl.end, width)
    text = f"at {_when(tl.at)}"
    if column + 2 + len(text) <= width:
        return " " * column + "^ " + text
    return " " * (column - len(text) - 1) + text + " ^"


def _window_rows(tl: Timeline, window: Window, width: int) -> list[str]:
    opens, closes = _span(window)
    first = _position(opens, tl.start, tl.end, width)
    second = min(max(_position(closes, tl.start, tl.end, width), first + 1), width - 1)
    first = min(first, second - 1)
    bar = "[" + "=" * (second - first - 1) + ")"
    label, until = _clean(window.label), _until(window)
    text = f"{label} {until}"
    cols = _cols(text)
    if second + 2 + cols <= width:
        return [" " * first + bar + " " + text]
    if cols + 1 <= first:
        return [" " * (first - cols - 1) + text + " " + bar]
    rows = [" " * first + bar]
    if cols + 2 <= width:
        return [*rows, " " * min(first, width - cols - 2) + "└ " + text]
    label = "└ " + _fit(label, width - 2)
    indent = min(first, width - _cols(label))
    return [*rows, " " * indent + label, " " * min(indent + 2, width - len(until)) + until]


# -- SVG --------------------------------------------------------------------------------------

_SVG_WIDTH: Final = 960
_MARGIN: Final = 24
_PLOT: Final = _SVG_WIDTH - 2 * _MARGIN
_BUCKETS: Final = _PLOT // 8
"""Marks closer than about 8 pixels share a key."""
_AXIS_Y: Final = 64
_ROW: Final = 34
_LINE: Final = 18
_COLOURS: Final = {
    "FEEDBACK": "#4c78a8",
    "FEEDBACK_EDIT": "#9ecae9",
    "RESPONSE": "#72b7b2",
    "DISPUTE": "#e45756",
    "ESCROW_RETURN": "#f58518",
    "AUTO_RELEASE": "#54a24b",
    "REFUND": "#b279a2",
    "HOURS_REVIEW": "#eeca3b",
    "DORMANCY": "#8c6d31",
    "DORMANCY_NOTICE": "#bd9e39",
}
_OTHER_COLOUR: Final = "#9d9da1"
_INK: Final = "#333333"
_GREY: Final = "#555555"
_RED: Final = "#d62728"
_BLUE: Final = "#1f77b4"
_CHAR: Final = 7
"""About how many pixels one character of a 12-pixel label takes."""


def timeline_svg(tl: Timeline) -> str:
    """Draw *tl* as a standalone SVG document (UTF-8, no external resources).

    The axis carries dates (UTC), a circle per event and a diamond per automatic step (each
    with a ``<title>`` tooltip), and a dashed line at the instant judged. Each window is a
    ``<rect>`` with ``data-code``, ``data-opens`` and ``data-closes`` (RFC 3339) and a
    ``<text>`` giving its label and close instant; the marks are listed under the windows.

    Raises:
        TypeError: if *tl* is not a :class:`Timeline`.
    """
    _require_timeline(tl)
    x = _x_of(tl)
    groups = _groups(tl, _BUCKETS)
    shown, left_out = _legend(groups)
    windows_top = _AXIS_Y + 58
    legend_top = windows_top + _ROW * max(len(tl.windows), 1) + 12
    height = legend_top + _LINE * (len(shown) + bool(left_out)) + 12
    title = escape(_clean(tl.title))
    size = {"width": _SVG_WIDTH, "height": height}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        _open(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                **size,
                "viewBox": f"0 0 {_SVG_WIDTH} {height}",
                "font-family": "sans-serif",
                "font-size": 12,
            },
        ),
        _tag("title", {}, title),
        _tag("rect", {**size, "fill": "#ffffff"}),
        _tag("text", {"x": _MARGIN, "y": 22, "font-size": 14, "font-weight": "bold"}, title),
        _tag("text", {"x": _SVG_WIDTH - _MARGIN, "y": 22, "text-anchor": "end", "fill": _GREY}, "times in UTC"),
    ]
    out.extend(_svg_axis(tl, x))
    out.extend(_svg_marks(groups, x))
    out.extend(_svg_at(tl, x, height))
    out.append(_open("g", {"class": "windows"}))
    for row, window in enumerate(tl.windows):
        out.extend(_svg_window(window, x, windows_top + _ROW * row))
    if not tl.windows:
        out.append(_tag("text", {"x": _MARGIN, "y": windows_top + 14, "fill": _GREY}, "no windows open or scheduled"))
    out.append("</g>")
    out.append(_open("g", {"class": "legend"}))
    for line, (key, mark) in enumerate(shown):
        text = escape(f"{key} {_symbol([mark])} {_when(mark.at)}  {_clean(mark.label)}")
        out.append(_tag("text", {"x": _MARGIN, "y": legend_top + _LINE * line + 12}, text))
    if left_out:
        out.append(_tag("text", {"x": _MARGIN, "y": legend_top + _LINE * len(shown) + 12}, f"… and {left_out} more"))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _open(name: str, attributes: dict[str, object]) -> str:
    """A start tag; every attribute value is quoted and escaped."""
    written = "".join(f" {key}={_attribute(str(value))}" for key, value in attributes.items())
    return f"<{name}{written}>"


def _attribute(text: str) -> str:
    """*text* as ``quoteattr`` quotes it: in double quotes as it is, when it holds nothing to escape (most values).

    A drawing of a long record has hundreds of thousands of attributes, nearly all numbers,
    colours and names: ``quoteattr``'s calls and replacements took half its time.
    """
    return f'"{text}"' if _PLAIN(text) is not None else quoteattr(text)


_PLAIN: Final = re.compile(r'[^&<>"\n\r\t]*').fullmatch
"""What ``quoteattr`` leaves as it is and puts in double quotes (a single quote too, without a double one)."""


def _tag(name: str, attributes: dict[str, object], *content: str) -> str:
    """A whole element holding *content* (already escaped markup), or an empty one."""
    start = _open(name, attributes)
    if not content:
        return start[:-1] + "/>"
    return start + "".join(content) + f"</{name}>"


def _x_of(tl: Timeline) -> Callable[[datetime], float]:
    span = (tl.end - tl.start) // _US

    def x(instant: datetime) -> float:
        offset = min(max((instant - tl.start) // _US, 0), span)
        return _MARGIN + _PLOT * offset / span

    return x


def _num(value: float) -> str:
    return f"{value:.1f}"


def _svg_axis(tl: Timeline, x: Callable[[datetime], float]) -> list[str]:
    ticks, label = _scale(tl, _PLOT // _CHAR)
    out = [
        _open("g", {"class": "axis", "stroke": _INK}),
        _tag("line", {"x1": _MARGIN, "y1": _AXIS_Y, "x2": _MARGIN + _PLOT, "y2": _AXIS_Y}),
    ]
    for tick in ticks:
        at, text = x(tick), label(tick)
        half = len(text) * _CHAR / 2
        middle = min(max(at, _MARGIN + half), _MARGIN + _PLOT - half)  # keep the label inside the picture
        out.append(_tag("line", {"x1": _num(at), "y1": _AXIS_Y - 6, "x2": _num(at), "y2": _AXIS_Y}))
        out.append(
            _tag("text", {"x": _num(middle), "y": _AXIS_Y - 10, "stroke": "none", "text-anchor": "middle"}, text)
        )
    out.append("</g>")
    return out


def _svg_marks(groups: list[tuple[int, list[Mark]]], x: Callable[[datetime], float]) -> list[str]:
    out = [_open("g", {"class": "marks"})]
    for number, (_, marks) in enumerate(groups):
        for mark in marks:
            at = x(mark.at)
            tip = _tag("title", {}, escape(f"{_when(mark.at)}: {_clean(mark.label)}"))
            if mark.kind is MarkKind.AUTOMATIC:
                corners = ((at, _AXIS_Y - 6), (at + 6, _AXIS_Y), (at, _AXIS_Y + 6), (at - 6, _AXIS_Y))
                points = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in corners)
                out.append(_tag("polygon", {"class": "automatic", "points": points, "fill": _RED}, tip))
            else:
                circle = {"class": "event", "cx": _num(at), "cy": _AXIS_Y, "r": 5, "fill": _BLUE}
                out.append(_tag("circle", circle, tip))
        first = {"x": _num(x(marks[0].at)), "y": _AXIS_Y + 20, "text-anchor": "middle", "font-size": 10}
        out.append(_tag("text", first, escape(_key(number))))
    out.append("</g>")
    return out


def _svg_at(tl: Timeline, x: Callable[[datetime], float], height: int) -> list[str]:
    at = x(tl.at)
    anchor, shift = ("start", 4) if at < _MARGIN + _PLOT / 2 else ("end", -4)
    text = f"at {_when(tl.at)}"
    line = {"x1": _num(at), "y1": _AXIS_Y - 24, "x2": _num(at), "y2": height - 8, "stroke": _RED}
    return [
        _open("g", {"class": "at", "data-at": format_instant(_utc(tl.at))}),
        _tag("title", {}, text),
        _tag("line", {**line, "stroke-dasharray": "4 3"}),
        _tag("text", {"x": _num(at + shift), "y": _AXIS_Y + 36, "text-anchor": anchor, "fill": _RED}, f"^ {text}"),
        "</g>",
    ]


def _svg_window(window: Window, x: Callable[[datetime], float], top: int) -> list[str]:
    opens, closes = _span(window)
    left, right = x(opens), x(closes)
    colour = _COLOURS.get(window.code, _OTHER_COLOUR)
    anchor, where = ("start", left) if left < _MARGIN + _PLOT / 2 else ("end", right)
    label = escape(f"{_clean(window.label)} {_until(window)}")
    data = {
        "data-code": _clean(window.code),
        "data-opens": format_instant(_utc(window.opens)),
        "data-closes": format_instant(_utc(window.closes)),
    }
    bar = {"x": _num(left), "y": top, "width": _num(max(right - left, 2)), "height": 12, "rx": 2}
    paint = {"fill": colour, "fill-opacity": "0.6", "stroke": colour}
    edge = {"x1": _num(right), "y1": top - 2, "x2": _num(right), "y2": top + 14, "stroke": _INK}
    words = {"x": _num(where), "y": top + 26, "text-anchor": anchor, "data-closes": data["data-closes"]}
    return [
        _open("g", {"class": "window", "data-code": data["data-code"]}),
        _tag("rect", {**bar, **paint, **data}, _tag("title", {}, label)),
        _tag("line", edge),
        _tag("text", words, label),
        "</g>",
    ]
