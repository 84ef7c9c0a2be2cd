"""Timelines (gigpolicy._timeline): the marks and windows of a report, drawn as text and as SVG."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar, Final
from xml.sax.saxutils import quoteattr

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.records import (
    START,
    bill,
    day,
    end,
    feedback,
    fixed,
    fund,
    hourly,
    release,
    submit,
    week,
)

import gigpolicy
from gigpolicy import (
    AutomaticStep,
    ContractKind,
    ContractRecord,
    Event,
    InvalidRecord,
    Money,
    Party,
    Report,
    Window,
    evaluate,
    get_policy,
)
from gigpolicy._policy import Context
from gigpolicy._time import format_instant
from gigpolicy._timeline import (
    MIN_WIDTH,
    Mark,
    MarkKind,
    Timeline,
    _attribute,
    _automatic_label,
    _event_label,
    timeline,
    timeline_svg,
    timeline_text,
)
from gigpolicy.testing import instants, records

EXAMPLES: Final = sorted((Path(__file__).parent.parent / "examples" / "records").glob("*.json"))
WIDTHS: Final = (MIN_WIDTH, 60, 78, 100, 132, 200)
SVG: Final = "{http://www.w3.org/2000/svg}"
UPWORK: Final = get_policy("upwork")
"""The latest Upwork version, as a value: judging at any instant needs no version in force then."""
AT: Final = datetime(2026, 11, 10, tzinfo=UTC)


def when(value: datetime) -> str:
    """An instant as the drawings write it, ``2026-11-18 00:00 UTC``."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def cols(text: str) -> int:
    """The terminal columns of *text*: wide characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
        for char in text
    )


def drawn(record: ContractRecord, at: datetime = AT) -> tuple[Report, Timeline]:
    """The report on *record* at *at* under :data:`UPWORK`, and its timeline."""
    report = evaluate(record, at=at, policy=UPWORK)
    return report, timeline(record, report)


def windows_of(record: ContractRecord, report: Report) -> tuple[Window, ...]:
    """The windows the report's policy opens for *record*, asked directly."""
    context = Context(record=record, state=report.state, at=report.at, party=Party.FREELANCER)
    return report.policy.windows(context)


def example(name: str) -> ContractRecord:
    """The example record *name* (without ``.json``)."""
    return gigpolicy.load(Path(__file__).parent.parent / "examples" / "records" / f"{name}.json")


def plain(
    *,
    days: float = 10,
    at: float = 5,
    marks: tuple[Mark, ...] = (),
    windows: tuple[Window, ...] = (),
    start: datetime = START,
) -> Timeline:
    """A hand-built timeline of *days* from *start*, judged *at* days in."""
    return Timeline(
        title="test",
        start=start,
        end=start + timedelta(days=days),
        at=start + timedelta(days=at),
        marks=marks,
        windows=windows,
    )


def window(opens: datetime, closes: datetime, label: str = "a window", code: str = "TEST") -> Window:
    """A window of the code *code*."""
    return Window(code=code, label=label, opens=opens, closes=closes)


def event_mark(at: datetime, label: str = "something happened") -> Mark:
    """An event mark."""
    return Mark(at=at, label=label, kind=MarkKind.EVENT)


def svg_root(tl: Timeline) -> ET.Element:
    """The parsed SVG drawing of *tl*."""
    return ET.fromstring(timeline_svg(tl))  # noqa: S314 - our own output, parsed to check it


def svg_texts(root: ET.Element) -> list[str]:
    """Every ``<text>`` of an SVG drawing."""
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def many_fundings(count: int) -> ContractRecord:
    """A fixed-price record funding *count* milestones, one a day."""
    return fixed(*(fund(day(number), "10.00", f"m{number}") for number in range(count)))


def many_weeks(count: int) -> ContractRecord:
    """An hourly record billing *count* weeks, then ended: a window per week and more."""
    bills = [bill(day(7 * number + 6), week(number + 1)) for number in range(count)]
    return hourly(*bills, end(day(7 * count + 1)))


class TestTimeline:
    """What :func:`timeline` gathers from a record and its report."""

    def test_marks_of_the_ended_example(self) -> None:
        """Each recorded event, then each automatic step, then the instant judged, in time order."""
        record = example("motivating-case-ended")
        _, tl = drawn(record)
        expected = [
            (datetime(2026, 11, 2, 15, 5, tzinfo=UTC), "milestone funded (m1, 500.00 USD)", MarkKind.EVENT),
            (datetime(2026, 11, 3, 8, 55, tzinfo=UTC), "job reported (by the freelancer)", MarkKind.EVENT),
            (datetime(2026, 11, 3, 9, tzinfo=UTC), "contract ended (by the freelancer)", MarkKind.EVENT),
            (
                datetime(2026, 11, 3, 9, tzinfo=UTC),
                "escrow of m1 returned to the client (500.00 USD)",
                MarkKind.AUTOMATIC,
            ),
            (AT, "at", MarkKind.AT),
        ]
        assert expected == [(mark.at, mark.label, mark.kind) for mark in tl.marks]

    def test_windows_are_the_policys(self) -> None:
        """The windows are what the report's policy opens for the record at the instant judged."""
        record = example("hourly-disputed-week")
        report, tl = drawn(record)
        assert windows_of(record, report) == tl.windows
        assert {"HOURS_REVIEW", "REFUND", "FEEDBACK", "RESPONSE"} == {window.code for window in tl.windows}

    def test_span_runs_from_the_start_to_a_bit_after_the_latest_close(self) -> None:
        """The axis starts at the contract's start and ends a twentieth of the span after the latest close."""
        record = example("motivating-case-ended")
        _, tl = drawn(record)
        latest = max(window.closes for window in tl.windows)
        assert record.contract.started_at == tl.start
        assert latest + (latest - tl.start) / 20 == tl.end

    def test_instants_are_in_utc(self) -> None:
        """Marks, start and end are in UTC even when the record writes other offsets."""
        _, tl = drawn(example("fixed-price-auto-release"))
        assert {UTC} == {mark.at.tzinfo for mark in tl.marks} | {tl.start.tzinfo, tl.end.tzinfo, tl.at.tzinfo}
        assert datetime(2026, 9, 1, 8, tzinfo=UTC) == tl.start

    def test_automatic_release_is_a_mark(self) -> None:
        """An automatic release the policy took is an ``automatic`` mark at its instant."""
        _, tl = drawn(example("fixed-price-auto-release"))
        automatic = [mark for mark in tl.marks if mark.kind is MarkKind.AUTOMATIC]
        assert [
            Mark(
                at=datetime(2026, 10, 2, 15, tzinfo=UTC),
                label="design released by itself (1200.00 EUR)",
                kind=MarkKind.AUTOMATIC,
            )
        ] == automatic

    def test_a_record_with_no_events_judged_at_its_start(self) -> None:
        """All at one instant: only the ``at`` mark, and an axis one hour long."""
        _, tl = drawn(fixed(), START)
        assert (Mark(at=START, label="at", kind=MarkKind.AT),) == tl.marks
        assert () == tl.windows
        assert (START, START + timedelta(hours=1)) == (tl.start, tl.end)

    def test_an_instant_before_the_start_extends_the_axis(self) -> None:
        """Judging before the contract started puts the axis start at the instant judged."""
        _, tl = drawn(fixed(fund(day(0, minutes=5))), START - timedelta(days=3))
        assert START - timedelta(days=3) == tl.start

    def test_title_names_contract_policy_and_instant(self) -> None:
        """The title names the contract, the policy version and the instant judged."""
        _, tl = drawn(example("motivating-case"))
        assert f"c-1001 · {UPWORK.label} · at 2026-11-10 00:00 UTC" == tl.title

    def test_later_events_are_marks_too(self) -> None:
        """Events recorded after the instant judged are still on the timeline."""
        record = fixed(fund(day(0, minutes=5)), end(day(20)))
        _, tl = drawn(record, day(1))
        assert [day(0, minutes=5), day(1), day(20)] == [mark.at for mark in tl.marks]

    def test_deterministic(self) -> None:
        """The same record and report give equal timelines."""
        record = example("hourly-disputed-week")
        report = evaluate(record, at=AT, policy=UPWORK)
        assert timeline(record, report) == timeline(record, report)

    def test_rejects_a_record_that_is_not_one(self) -> None:
        """Anything but a record is refused, naming the argument."""
        report, _ = drawn(fixed())
        with pytest.raises(InvalidRecord, match=r"^record: must be a ContractRecord, not str$"):
            timeline("c-1", report)  # type: ignore[arg-type]  # the check under test

    def test_rejects_a_report_that_is_not_one(self) -> None:
        """Anything but a report is refused, naming the argument."""
        with pytest.raises(InvalidRecord, match=r"^report: must be a Report, not NoneType$"):
            timeline(fixed(), None)  # type: ignore[arg-type]  # the check under test


class TestValues:
    """Marks and timelines check themselves."""

    def test_a_mark_needs_an_aware_instant(self) -> None:
        """A mark at a naive datetime cannot exist."""
        with pytest.raises(InvalidRecord, match=r"^at: must be timezone-aware"):
            Mark(at=datetime(2026, 11, 2), label="x", kind=MarkKind.EVENT)  # noqa: DTZ001 - the check under test

    def test_a_timeline_needs_aware_instants(self) -> None:
        """A timeline with a naive start cannot exist."""
        with pytest.raises(InvalidRecord, match=r"^start: must be timezone-aware"):
            Timeline(title="t", start=datetime(2026, 11, 2), end=START, at=START)  # noqa: DTZ001 - the check under test

    @pytest.mark.parametrize("length", [timedelta(0), timedelta(hours=-1)])
    def test_a_timeline_ends_after_it_starts(self, length: timedelta) -> None:
        """An axis of no length, or negative length, cannot exist."""
        with pytest.raises(InvalidRecord, match=r"^end: must be later than start$"):
            Timeline(title="t", start=START, end=START + length, at=START)


class TestLabels:
    """The words of marks."""

    def test_event_with_every_detail(self) -> None:
        """An event's details follow its type, in a fixed order."""
        assert "feedback left (public, rated 4.5, by the client)" == _event_label(feedback(day(1), rating="4.5"))
        assert "hours billed (week ending 2026-11-08, 10 h, 400.00 USD)" == _event_label(bill(day(7)))

    def test_event_without_details(self) -> None:
        """An event type with none of the known details is its type in words."""

        @attrs.frozen(kw_only=True)
        class NoteAdded(Event):
            TYPE: ClassVar[str] = "note_added"

        assert "note added" == _event_label(NoteAdded(at=START))

    def test_unknown_automatic_step(self) -> None:
        """A step code without its own words is written out with the milestone and amount."""
        step = AutomaticStep(at=START, code="ESCROW_SPLIT", milestone="m1", amount=Money.of("5.00", "USD"))
        assert "escrow split (m1, 5.00 USD)" == _automatic_label(step)


class TestText:
    """The drawing for a terminal."""

    ENDED: ClassVar[str] = (
        "c-1001 · upwork@2025-05-01 · at 2026-11-10 00:00 UTC (times in UTC)\n"
        "                2026-11-09        2026-11-16        2026-11-23      2026-11-30\n"
        "●─◆─────────────┴─────────────────┴─────────────────┴─────────────────┴──────┤\n"
        "1 2\n"
        "                   ^ at 2026-11-10 00:00 UTC\n"
        "  [====================================)\n"
        "  └ feedback window until 2026-11-18 00:00 UTC\n"
        "  [======================================================================)\n"
        "  └ responses to feedback until 2026-12-01 09:00 UTC\n"
        "\n"
        "1 ● 2026-11-02 15:05 UTC  milestone funded (m1, 500.00 USD)\n"
        "2 ● 2026-11-03 08:55 UTC  job reported (by the freelancer)\n"
        "2 ● 2026-11-03 09:00 UTC  contract ended (by the freelancer)\n"
        "2 ◆ 2026-11-03 09:00 UTC  escrow of m1 returned to the client (500.00 USD)\n"
    )

    def test_the_ended_example(self) -> None:
        """The motivating case after the end, drawn in 78 columns, exactly."""
        _, tl = drawn(example("motivating-case-ended"))
        assert self.ENDED == timeline_text(tl)

    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
    def test_examples_fit_and_show_every_close(self, path: Path, width: int) -> None:
        """Each example fits the width, shows the instant judged and writes out every window's close."""
        record = gigpolicy.load(path)
        for at in (record.contract.started_at, AT, datetime(2027, 6, 1, tzinfo=UTC)):
            _, tl = drawn(record, at)
            text = timeline_text(tl, width=width)
            assert [] == [line for line in text.splitlines() if cols(line) > width]
            assert f"at {when(at)}" in text
            for item in tl.windows:
                assert f"until {when(item.closes)}" in text

    @pytest.mark.parametrize("width", WIDTHS)
    def test_many_windows(self, width: int) -> None:
        """Thirty billed weeks: a row per window, every close written out, within the width."""
        record = many_weeks(30)
        _, tl = drawn(record, day(7 * 30 + 2))
        text = timeline_text(tl, width=width)
        assert 33 == len(tl.windows)
        assert len(tl.windows) == text.count("[")
        assert [] == [line for line in text.splitlines() if cols(line) > width]
        for item in tl.windows:
            assert f"until {when(item.closes)}" in text

    def test_at_marker_is_under_the_axis_at_its_column(self) -> None:
        """Judged at an event's instant, the ``^`` is in the column of that event's marker."""
        record = fixed(fund(day(0, minutes=5)), submit(day(3)), release(day(5)))
        _, tl = drawn(record, day(3))
        lines = timeline_text(tl).splitlines()
        assert "●" == lines[2][lines[4].index("^")]
        assert lines[4].endswith(f"^ at {when(day(3))}")

    def test_at_marker_turns_left_near_the_right_edge(self) -> None:
        """Near the right edge, the instant is written before the ``^``."""
        text = timeline_text(plain(at=10), width=60)
        assert f"at {when(day(10))} ^" in text.splitlines()[3]

    def test_no_events(self) -> None:
        """A record with no events: no keys, no legend, no windows, and the ``^ at`` marker."""
        _, tl = drawn(fixed(), START)
        text = timeline_text(tl)
        lines = text.splitlines()
        assert set(lines[2]) <= {"├", "─", "┴", "┤"}
        assert "^ at 2026-11-02 15:00 UTC" == lines[3]
        assert "no windows open or scheduled" == lines[4]
        assert 5 == len(lines)

    @pytest.mark.parametrize("width", WIDTHS)
    def test_one_instant(self, width: int) -> None:
        """An axis one hour long is ticked in minutes and fits."""
        _, tl = drawn(fixed(), START)
        text = timeline_text(tl, width=width)
        assert "2026-11-02 15:" in text.splitlines()[1]
        assert [] == [line for line in text.splitlines() if cols(line) > width]

    @pytest.mark.parametrize("width", WIDTHS)
    def test_years(self, width: int) -> None:
        """Thirty years are ticked in years and fit."""
        tl = plain(days=30 * 365, at=3000, start=datetime(2000, 7, 1, tzinfo=UTC))
        text = timeline_text(tl, width=width)
        ticks = text.splitlines()[1].split()
        assert {len(tick) for tick in ticks} == {4}
        assert "2020" in ticks
        assert [] == [line for line in text.splitlines() if cols(line) > width]

    def test_all_of_time(self) -> None:
        """From year 1 to the last instant a datetime holds, ticks stop before year 10000."""
        tl = Timeline(title="t", start=datetime(1, 1, 1, tzinfo=UTC), end=datetime.max.replace(tzinfo=UTC), at=AT)
        assert "2000      4000     6000      8000" == timeline_text(tl, width=50).splitlines()[1].strip()

    def test_early_years_are_four_digits(self) -> None:
        """Years before 1000 are written with four digits, in ticks and instants."""
        tl = plain(days=3 * 365, at=1, start=datetime(5, 3, 1, tzinfo=UTC))
        text = timeline_text(tl)
        assert "0006" in text.splitlines()[1]
        assert "at 0005-03-02 00:00 UTC" in text

    def test_a_span_without_a_calendar_tick_labels_its_start(self) -> None:
        """Between two minutes, no tick falls: the start is labelled instead."""
        start = datetime(2026, 11, 2, 15, 0, 10, tzinfo=UTC)
        tl = Timeline(title="t", start=start, end=start + timedelta(seconds=30), at=start)
        assert "2026-11-02 15:00" == timeline_text(tl).splitlines()[1].strip()

    def test_a_label_at_the_right_edge_is_dropped_rather_than_overlapping(self) -> None:
        """The last tick is drawn; its label would overlap the one before, so it is left out."""
        start = datetime(2026, 11, 1, tzinfo=UTC)
        tl = Timeline(title="t", start=start, end=start + timedelta(days=4), at=start)
        lines = timeline_text(tl, width=50).splitlines()
        assert ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"] == lines[1].split()
        assert "┴" == lines[2][-1]

    def test_a_window_beside_which_the_text_fits_on_the_left(self) -> None:
        """A short window near the right edge has its label and close before its bar."""
        item = window(day(9), day(9.5), "late")
        line = timeline_text(plain(windows=(item,))).splitlines()[4]
        assert line.endswith(f"late until {when(day(9.5))} [===)")

    def test_a_window_whose_label_needs_three_lines(self) -> None:
        """A label too long for one line is cut with ``…``, and the close instant gets its own line."""
        item = window(day(1), day(2), "x" * 200)
        lines = timeline_text(plain(windows=(item,)), width=60).splitlines()
        assert "└ " + "x" * 57 + "…" == lines[5].strip()
        assert f"until {when(day(2))}" == lines[6].strip()
        assert max(cols(line) for line in lines) <= 60

    def test_a_reversed_window_is_drawn_from_its_earlier_end(self) -> None:
        """A window that closes before it opens is drawn between the two, and says its close."""
        item = window(day(6), day(4))
        lines = timeline_text(plain(windows=(item,))).splitlines()
        assert " " * 31 + "[==============)" == lines[4]
        assert f"└ a window until {when(day(4))}" == lines[5].strip()

    def test_a_window_at_the_very_end_keeps_a_bar(self) -> None:
        """A window at the last instant still has a bar two columns wide."""
        item = window(day(10), day(10))
        lines = timeline_text(plain(windows=(item,))).splitlines()
        assert lines[4].endswith("[)")

    def test_many_marks_have_keys_and_a_counted_legend(self) -> None:
        """Past 61 groups the key is ``+``; past 40 marks the legend counts the rest."""
        _, tl = drawn(many_fundings(70), day(1))
        lines = timeline_text(tl, width=200).splitlines()
        keys = lines[3].split()
        assert "123456789abc" == "".join(keys[:12])
        assert ["+"] * 9 == keys[61:]
        assert "… and 30 more" == lines[-1]
        assert 40 == sum(1 for line in lines if " ● 2026-" in line)

    def test_hostile_text_is_made_safe(self) -> None:
        """Escape codes and newlines in a milestone id become replacement characters."""
        record = fixed(fund(day(0, minutes=5), milestone="m\x1b[31m1\nred"))
        _, tl = drawn(record)
        text = timeline_text(tl)
        assert "\x1b" not in text
        assert "m\ufffd[31m1\ufffdred" in text

    def test_wide_characters_count_two_columns(self) -> None:
        """Labels in wide scripts and with combining marks are cut by columns, not characters."""
        record = fixed(fund(day(0, minutes=5), milestone="契約" * 40 + "e\u0301"))
        _, tl = drawn(record)
        for width in WIDTHS:
            lines = timeline_text(tl, width=width).splitlines()
            assert [] == [line for line in lines if cols(line) > width]
            assert lines[-1].endswith("…")

    def test_a_narrow_title_is_cut(self) -> None:
        """When the title and ``(times in UTC)`` do not fit, the title alone is cut to the width."""
        tl = attrs.evolve(plain(), title="t" * 80)
        assert "t" * 49 + "…" == timeline_text(tl, width=50).splitlines()[0]

    def test_too_narrow(self) -> None:
        """Fewer columns than the minimum are refused."""
        with pytest.raises(InvalidRecord, match=f"^width: must be an int from {MIN_WIDTH} to 1000 columns, not 49$"):
            timeline_text(plain(), width=MIN_WIDTH - 1)

    @pytest.mark.parametrize("width", [1_001, 10**20, True, 60.0])
    def test_too_wide_or_not_a_width(self, width: object) -> None:
        """More columns than the maximum, or a width that is not an int, are refused."""
        with pytest.raises(InvalidRecord, match=r"^width: must be an int from"):
            timeline_text(plain(), width=width)  # type: ignore[arg-type]  # the wrong type is the point

    def test_not_a_timeline(self) -> None:
        """Drawing something that is not a Timeline is a TypeError."""
        with pytest.raises(TypeError, match="must be a Timeline"):
            timeline_svg(None)  # type: ignore[arg-type]  # the wrong type is the point

    def test_deterministic(self) -> None:
        """Drawing the same timeline twice gives the same text."""
        _, tl = drawn(example("hourly-disputed-week"))
        assert timeline_text(tl, width=90) == timeline_text(tl, width=90)

    @given(st.data())
    def test_any_record_fits_and_shows_every_close(self, data: st.DataObject) -> None:
        """The drawing "must stay within width columns" and shows "until when" for every window."""
        record = data.draw(records(max_events=12))
        start = record.contract.started_at
        last = record.events[-1].at if record.events else start
        at = data.draw(instants(after=start - timedelta(days=2), before=last + timedelta(days=200)))
        width = data.draw(st.integers(MIN_WIDTH, 160))
        _, tl = drawn(record, at)
        text = timeline_text(tl, width=width)
        assert [] == [line for line in text.splitlines() if cols(line) > width]
        assert f"at {when(at)}" in text
        for item in tl.windows:
            assert f"until {when(item.closes)}" in text


class TestSvg:
    """The drawing as a standalone SVG document."""

    @given(st.text())
    def test_attributes_quoted_as_quoteattr_quotes_them(self, text: str) -> None:
        """Any attribute value is written exactly as ``xml.sax.saxutils.quoteattr`` writes it, plain or not."""
        assert quoteattr(text) == _attribute(text)

    @pytest.mark.parametrize(
        "text", ["12.5", "it's", 'say "hi"', "both ' and \"", "a&b", "<g>", "tab\there", "line\nnext"]
    )
    def test_attributes_that_need_escaping(self, text: str) -> None:
        """The characters ``quoteattr`` escapes or quotes apart take its way; the rest are written as they are."""
        assert quoteattr(text) == _attribute(text)

    @pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
    def test_examples_carry_every_deadline(self, path: Path) -> None:
        """Each window is a rect whose data-closes is its close, with a text that writes the close out."""
        record = gigpolicy.load(path)
        for at in (record.contract.started_at, AT, datetime(2027, 6, 1, tzinfo=UTC)):
            _, tl = drawn(record, at)
            root = svg_root(tl)
            rects = [rect for rect in root.iter(f"{SVG}rect") if "data-closes" in rect.attrib]
            closes = [format_instant(item.closes.astimezone(UTC)) for item in tl.windows]
            assert closes == [rect.attrib["data-closes"] for rect in rects]
            texts = svg_texts(root)
            for item in tl.windows:
                assert f"{item.label} until {when(item.closes)}" in texts

    def test_document_shape(self) -> None:
        """An XML declaration, an ``svg`` root in the SVG namespace, and a title naming the contract."""
        _, tl = drawn(example("motivating-case-ended"))
        document = timeline_svg(tl)
        root = svg_root(tl)
        assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
        assert f"{SVG}svg" == root.tag
        assert tl.title == root.findtext(f"{SVG}title")
        assert root.attrib["viewBox"] == f"0 0 {root.attrib['width']} {root.attrib['height']}"

    def test_marks_have_tooltips(self) -> None:
        """Every event is a circle and every automatic step a diamond, each titled with its instant and label."""
        _, tl = drawn(example("motivating-case-ended"))
        root = svg_root(tl)
        circles = [element.findtext(f"{SVG}title") for element in root.iter(f"{SVG}circle")]
        diamonds = [element.findtext(f"{SVG}title") for element in root.iter(f"{SVG}polygon")]
        assert [f"{when(m.at)}: {m.label}" for m in tl.marks if m.kind is MarkKind.EVENT] == circles
        assert [f"{when(m.at)}: {m.label}" for m in tl.marks if m.kind is MarkKind.AUTOMATIC] == diamonds

    def test_the_at_line(self) -> None:
        """The instant judged is a line with its RFC 3339 instant and a label; right of the middle it reads leftward."""
        record = example("motivating-case")
        tl = timeline(record, evaluate(record, at=AT, policy="upwork@2023-12-05"))
        root = svg_root(tl)
        group = next(element for element in root.iter(f"{SVG}g") if element.attrib.get("class") == "at")
        assert "2026-11-10T00:00:00Z" == group.attrib["data-at"]
        label = group.find(f"{SVG}text")
        assert label is not None
        assert ("^ at 2026-11-10 00:00 UTC", "end") == (label.text, label.attrib["text-anchor"])
        assert group.find(f"{SVG}line") is not None

    def test_the_at_line_on_the_left_reads_rightward(self) -> None:
        """Left of the middle, the label of the instant judged starts at its line."""
        root = svg_root(plain(at=1))
        group = next(element for element in root.iter(f"{SVG}g") if element.attrib.get("class") == "at")
        label = group.find(f"{SVG}text")
        assert label is not None
        assert "start" == label.attrib["text-anchor"]

    def test_window_labels_read_away_from_the_nearer_edge(self) -> None:
        """A window starting left of the middle is labelled from its start, else up to its close."""
        early, late = window(day(1), day(2), "early"), window(day(7), day(8), "late")
        root = svg_root(plain(windows=(early, late)))
        anchors = {
            text.text: text.attrib["text-anchor"] for text in root.iter(f"{SVG}text") if "data-closes" in text.attrib
        }
        assert {f"early until {when(day(2))}": "start", f"late until {when(day(8))}": "end"} == anchors

    def test_no_events_and_no_windows(self) -> None:
        """A record with no events: no marks, and words saying there are no windows."""
        _, tl = drawn(fixed(), START)
        root = svg_root(tl)
        assert [] == list(root.iter(f"{SVG}circle"))
        assert "no windows open or scheduled" in svg_texts(root)

    def test_text_is_escaped(self) -> None:
        """Markup and control characters in labels are escaped or replaced; the document stays well-formed."""
        item = window(day(1), day(2), "a <b>&\"'\x00 window", code='X"<')
        tl = attrs.evolve(plain(windows=(item,)), title="<t> & \x07")
        root = svg_root(tl)
        assert "<t> & \ufffd" == root.findtext(f"{SVG}title")
        assert f"a <b>&\"'\ufffd window until {when(day(2))}" in svg_texts(root)
        assert 'X"<' == next(rect for rect in root.iter(f"{SVG}rect") if "data-code" in rect.attrib).attrib["data-code"]

    def test_many_marks(self) -> None:
        """The legend lists 40 marks and counts the rest; every mark keeps its tooltip."""
        _, tl = drawn(many_fundings(70), day(1))
        root = svg_root(tl)
        assert 70 == len(list(root.iter(f"{SVG}circle")))
        assert "… and 30 more" in svg_texts(root)

    def test_many_windows(self) -> None:
        """Every one of many windows carries its deadline."""
        _, tl = drawn(many_weeks(30), day(7 * 30 + 2))
        root = svg_root(tl)
        closes = {rect.attrib["data-closes"] for rect in root.iter(f"{SVG}rect") if "data-closes" in rect.attrib}
        assert {format_instant(item.closes.astimezone(UTC)) for item in tl.windows} == closes

    def test_deterministic(self) -> None:
        """Drawing the same timeline twice gives the same document."""
        _, tl = drawn(example("fixed-price-auto-release"))
        assert timeline_svg(tl) == timeline_svg(tl)

    @given(records(max_events=12, kind=ContractKind.FIXED_PRICE))
    def test_any_record_is_well_formed(self, record: ContractRecord) -> None:
        """The document "is well-formed and carries each deadline" for any record."""
        _, tl = drawn(record, record.events[-1].at if record.events else record.contract.started_at)
        root = svg_root(tl)
        closes = [rect.attrib["data-closes"] for rect in root.iter(f"{SVG}rect") if "data-closes" in rect.attrib]
        assert [format_instant(item.closes.astimezone(UTC)) for item in tl.windows] == closes


class TestDormancyOnTheAxis:
    """From 2025-05-01 an idle contract holding escrow shows its dormancy closure and the two notices before it."""

    def test_text_names_the_closure_and_both_notices(self) -> None:
        """The motivating case, left alone, closes on 2027-01-31 15:05 UTC; notices 14 and 7 days before."""
        _, tl = drawn(example("motivating-case"))
        text = timeline_text(tl)
        assert "90 days without activity until 2027-01-31 15:05 UTC" in text
        assert "14-day notice of the dormancy closure until 2027-01-31 15:05 UTC" in text
        assert "7-day notice of the dormancy closure until 2027-01-31 15:05 UTC" in text

    def test_svg_windows_open_on_days_76_and_83(self) -> None:
        """In the SVG, the notice windows open 14 and 7 days before the closure."""
        _, tl = drawn(example("motivating-case"))
        root = svg_root(tl)
        notices = sorted(
            element.attrib["data-opens"]
            for element in root.iter(f"{SVG}rect")
            if element.attrib.get("data-code") == "DORMANCY_NOTICE"
        )
        assert ["2027-01-17T15:05:00Z", "2027-01-24T15:05:00Z"] == notices


class TestWindowsOfAHandBuiltReport:
    """A report built without its record (``record=None``) still gets its windows drawn, from the record given."""

    def test_the_records_windows(self) -> None:
        """The timeline asks the policy about the record it is given when the report does not hold one."""
        ended = example("motivating-case-ended")
        report = attrs.evolve(evaluate(ended, at=AT, policy=UPWORK), record=None)
        assert () == report.windows
        assert ["FEEDBACK", "RESPONSE"] == [window.code for window in timeline(ended, report).windows]
