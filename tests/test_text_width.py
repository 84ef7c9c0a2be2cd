"""The texts fit the width they are given: a person reads them on a terminal of that width.

The command line gives each text its terminal's width (80 columns off a terminal). Prose is
wrapped to it; the options' table, where it does not fit, becomes a block per option. Only an
address, which a line break would make unusable, may run past the width, on its line.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

import attrs
import pytest
from tests import golden_outputs as golden

from gigpolicy import ContractRecord, GigPolicyError, Party, evaluate, loads, options
from gigpolicy._cli import _STYLES
from gigpolicy._options import Option
from gigpolicy._report_text import Prose, options_rows, options_text, report_text, wrapped_text

WIDTHS: Final = (50, 64, 80, 120)
INSTANT_OR_AMOUNT: Final = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC|\d+\.\d+ [A-Z]{3}\b")


def too_wide(text: str, width: int) -> list[str]:
    """The lines of *text* wider than *width*, but for a line that holds an address."""
    return [line for line in text.splitlines() if len(line) > width and "://" not in line]


def cases(count: int) -> list[tuple[ContractRecord, datetime]]:
    """The first *count* golden records that every marketplace's rules judge, with their instants."""
    found = []
    for text, at in golden.records(count):
        record = loads(text)
        try:
            evaluate(record, at=at)
        except GigPolicyError:
            continue  # a record whose steps contradict its marketplace's: no text to wrap
        found.append((record, at))
    return found


def futures(record: ContractRecord, at: datetime, index: int) -> tuple[Option, ...]:
    return options(record, party=(Party.CLIENT, Party.FREELANCER)[index % 2], at=at)


@pytest.mark.parametrize("width", WIDTHS)
def test_explain_fits_the_width(width: int) -> None:
    """Rule: "a report's text fits its width": no line is wider, but for an address, and no word moves."""
    for record, at in cases(200):
        report = evaluate(record, at=at)
        shown = report_text(report, record, width=width)
        assert [] == too_wide(shown, width)
        whole = report_text(report, record)
        assert whole.split() == shown.split()  # only where the lines break changes
        assert INSTANT_OR_AMOUNT.findall(whole) == INSTANT_OR_AMOUNT.findall(shown)  # none broken in two


@pytest.mark.parametrize("width", WIDTHS)
def test_options_fit_the_width(width: int) -> None:
    """Rule: "the options' text fits its width": a table that does not fit becomes a block per option."""
    for index, (record, at) in enumerate(cases(40)[:20]):
        found = futures(record, at, index)
        shown = options_text(found, record, at, width=width)
        assert [] == too_wide(shown, width)
        assert INSTANT_OR_AMOUNT.findall(options_text(found, record, at)) == INSTANT_OR_AMOUNT.findall(shown)
        lines = shown.splitlines()
        rows = options_rows(found)
        if any(line.startswith("option ") and len(line.split()) == 2 for line in lines):  # blocks
            for row in rows:
                start = lines.index(f"option {row['option']}")
                block = " ".join(" ".join(lines[start + 1 : start + 12]).split())
                expected = " ".join(f"{column} {value}" for column, value in list(row.items())[1:])
                assert block.startswith(" ".join(expected.split()))
        else:  # the table fits
            top = next(index for index, line in enumerate(lines) if line.startswith("option "))
            assert [row["option"] for row in rows] == [line.split()[0] for line in lines[top + 2 : top + 2 + len(rows)]]


def test_the_table_where_it_fits() -> None:
    """On a wide terminal the options are a table, a row each; on a narrow one, a block each."""
    record, at = cases(1)[0]
    found = futures(record, at, 1)
    wide = options_text(found, record, at, width=400).splitlines()
    narrow = options_text(found, record, at, width=80).splitlines()
    assert any(line.startswith("option ") and "review shown" in line for line in wide)
    assert [f"option {option.action}" for option in found] == [line for line in narrow if line.startswith("option ")]


def test_a_label_alone_stays() -> None:
    """A label wider than the width, with no text after it (a plugin's untitled version), is kept whole."""
    label = "  acme-marketplace-with-a-long-plugin-name@2026-01-01  "
    assert ["acme", label] == wrapped_text(["acme", Prose(label, "", "    ")], 50).splitlines()


def test_only_a_decision_s_answer_is_coloured() -> None:
    """A wrapped line of prose that starts with the word yes or no is not taken for a decision's answer."""
    text = "    yes may end the contract\n    no  may open a dispute\n    yes, then more words\n    no  longer held\n"
    for pattern, style in _STYLES:
        text = pattern.sub(style, text)
    assert [True, True, False, False] == ["\x1b[" in line for line in text.splitlines()]


def test_a_record_s_newline_is_shown_escaped_when_wrapped() -> None:
    """A newline or a tab in a record's text is shown as its escape in a wrapped line, as in one that is not."""
    record, at = cases(1)[0]
    hostile = attrs.evolve(record, contract=attrs.evolve(record.contract, id="c\nfake line\tx" + "-" * 60))
    report = evaluate(hostile, at=at)
    for width in (None, 50):
        shown = report_text(report, hostile, width=width)
        assert "c\\nfake line\\tx" in " ".join(shown.split())  # wrapped at the space, never at the escapes
        assert not any(line.startswith("fake line") for line in shown.splitlines())
