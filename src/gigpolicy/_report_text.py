"""Reports, options, comparisons and sources as short text a person reads in a terminal."""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Final, NamedTuple

from gigpolicy._contract import ContractKind, Party
from gigpolicy._decision import QUESTIONS, Decision, Question, Reason
from gigpolicy._evaluate import Difference, Report
from gigpolicy._events import FeedbackKind
from gigpolicy._judge import day, when
from gigpolicy._options import MoneyEffect, Option, score_sign
from gigpolicy._record import ContractRecord
from gigpolicy._sources import policies_citing, sources
from gigpolicy._success import JobSuccess, ScoreEffect
from gigpolicy._time import EARLIEST, LATEST

__all__ = [
    "PHRASES",
    "differences_text",
    "options_rows",
    "options_text",
    "printable",
    "report_text",
    "sources_text",
    "zoned",
]


PHRASES: Final[dict[Question, str]] = {question: spec[1] for question, spec in QUESTIONS.items()}
"""How each question reads in a sentence after the party (from the one table of questions)."""


_STEPS: Final = {
    "AUTO_RELEASE": "{step.amount} of {step.milestone} released to the freelancer",
    "ESCROW_RETURNED_AFTER_END": "{step.amount} of {step.milestone} returned to the client",
    "COMPLETED": "the order is complete, which ends the contract",
    "DORMANT_CLOSED": "the contract closed as dormant, with {step.amount} held",
}


UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""The Unicode categories a terminal may act on rather than show: escaped in all text output.

Controls (C0, DEL and C1: ESC starts the sequences that retitle a window or clear the screen),
format characters (bidi overrides such as U+202E, zero-width characters), lone surrogates (which
cannot be written as UTF-8), and the line and paragraph separators.
"""


def _python_escape(char: str) -> str:
    return ascii(char)[1:-1]


def _json_escape(char: str) -> str:
    return json.dumps(char)[1:-1]


def printable(text: str, *, lines: bool = False, json_escapes: bool = False) -> str:
    r"""*text* with every character of :data:`UNSAFE_CATEGORIES` written as a visible escape.

    The escapes are Python's (``\x1b``, ``\x85``, ``\u202e``, ``\ud800``), or with
    *json_escapes* JSON's (``\u001b``, ``\u0085``), so that JSON text stays valid JSON with the
    same value. Every other character, printable non-ASCII ones included, is left as it is, so
    ordinary text comes out unchanged. With *lines*, the newlines between the lines of *text*
    are kept; without, *text* is one line and a newline in it is escaped like the rest.

    >>> printable("c-1\x1b]0;owned\x07 \u202eevil\nnext")
    'c-1\\x1b]0;owned\\x07 \\u202eevil\\nnext'
    >>> printable("line one\nline two\u2028", lines=True)
    'line one\nline two\\u2028'
    """
    if text.isascii():  # the usual case: only the C0 controls and DEL can be unsafe
        # deleting every safe character leaves nothing (at C speed, and several times faster
        # than `isprintable`, which looks each character up in the Unicode tables)
        if not text.encode("ascii").translate(None, _SAFE_ASCII_LINES if lines else _SAFE_ASCII):
            return text
    elif (text.replace("\n", " ") if lines else text).isprintable():  # checked at C speed too
        return text
    if lines:
        return "\n".join(printable(line, json_escapes=json_escapes) for line in text.split("\n"))
    escape = _json_escape if json_escapes else _python_escape
    return "".join(escape(char) if unicodedata.category(char) in UNSAFE_CATEGORIES else char for char in text)


_SAFE_ASCII: Final = bytes(range(0x20, 0x7F))
"""The ASCII characters no terminal acts on: all but the C0 controls and DEL."""
_SAFE_ASCII_LINES: Final = _SAFE_ASCII + b"\n"


def _joined(lines: Iterable[str]) -> str:
    """The *lines* as one text, each escaped whole: a newline a record put inside a line stays in it."""
    return "\n".join(printable(line) for line in lines)


def sources_text(*, width: int | None = None) -> str:
    """The listed sources per policy: kind, last checked, whether it dates its rule, title; then URL and note.

    With *width*, titles and notes are wrapped to it, their later lines indented by eight (an
    address is never broken).
    """
    listed = sources()
    lines: list[str | Prose] = []
    for name in sorted({name for source in listed for name in policies_citing(source.url)}):
        lines.append(name)
        for source in sources(cited_by=name):
            confirmed = "date confirmed" if source.date_confirmed else "date unconfirmed"
            kind = source.kind.value.replace("_", " ")
            lines.append(
                Prose(f"  {kind:<12}  checked {source.checked.isoformat()}  {confirmed:<16}  ", source.title, _EIGHT)
            )
            lines.append(f"      {source.url}")
            if source.versions:
                lines.append(Prose(_SIX, f"dates {', '.join(source.versions)}", _EIGHT))
            if source.note:
                lines.append(Prose(_SIX, source.note, _EIGHT))
    return wrapped_text(lines, width, None)


def differences_text(
    found: tuple[Difference, ...],
    first: Report,
    second: Report,
    record: ContractRecord,
    *,
    width: int | None = None,
    zone: tzinfo | None = None,
) -> str:
    """The decisions two policies answer differently, side by side, then the earnings.

    With *zone*, each time is also shown in that zone (see :func:`zoned`); with *width*, the
    lines are wrapped to it after.
    """
    against = f"{first.policy.label} against {second.policy.label}"
    lines: list[str | Prose] = [Prose("", f"Contract {record.contract.id} at {when(first.at)}: {against}", "  "), ""]
    if not found:
        lines.append("Every decision is the same under both.")
    for difference in found:
        lines.append(f"The {difference.party} {PHRASES[difference.question]}")
        for report, decision in ((first, difference.first), (second, difference.second)):
            answer = "yes" if decision.answer else "no"
            until = f" until {when(decision.until)}" if decision.until is not None else ""
            codes = ", ".join(reason.code for reason in decision.reasons)
            lines.append(Prose(f"  {report.policy.label:<20} ", f"{answer}{until} ({codes})", " " * 23))
    lines.append("")
    for report in (first, second):
        earnings = report.earnings
        lines.append(
            Prose(
                f"Earnings under {report.policy.label}: ",
                f"gross {earnings.gross}, fee {earnings.service_fee}, net {earnings.net}",
                "  ",
            )
        )
    return wrapped_text(lines, width, zone)


class _Sources:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def mark(self, url: str | None) -> str:
        if url is None:
            return ""
        if url not in self.urls:
            self.urls.append(url)
        return f" [{self.urls.index(url) + 1}]"


def report_text(report: Report, record: ContractRecord, *, width: int | None = None, zone: tzinfo | None = None) -> str:
    """The report as a short text: the answer first, then the contract's state and money, then each decision.

    The answer says in sentences where the contract stands, who may still leave a review and
    until when, whether anyone will see it, the work history and the success score, citing the
    sources listed at the end. With *width*, every line is wrapped to it (the command line gives
    the terminal's width, or 80 columns), each under its own beginning; only an address runs past
    it. With *zone*, each time is also shown in that zone (see :func:`zoned`).
    """
    terms, state = record.contract, report.state
    kind = "fixed-price" if terms.kind is ContractKind.FIXED_PRICE else "hourly"
    sources = _Sources()
    lines: list[str | Prose] = [
        Prose(
            "",
            f"Contract {terms.id}: {kind}, {terms.currency}, client {terms.client}, freelancer {terms.freelancer}",
            "  ",
        ),
        Prose("Policy   ", report.policy.label + (f": {report.policy.title}" if report.policy.title else ""), _NINE),
        f"At       {when(report.at)}",
        "",
    ]
    lines.extend(
        ["In short:", *(Prose("  ", paragraph, "    ") for paragraph in _report_in_short(report, sources)), ""]
    )
    lines.append("State")
    status = state.status.value
    if state.ended_at is not None:
        by = (
            f" by the {state.ended_by}"
            if state.ended_by is not None
            else " (closed as dormant)"
            if any(step.code == "DORMANT_CLOSED" for step in state.automatic)
            else " (completed)"
        )
        status += f" on {when(state.ended_at)}{by}"
    lines.extend(
        [
            Prose("  status           ", status, _NINETEEN),
            Prose("  escrow held      ", str(state.escrow), _NINETEEN),
            Prose("  paid             ", f"{state.paid} (refunded {state.refunded}, net {state.net_paid})", _NINETEEN),
            Prose("  back to client   ", str(state.escrow_returned), _NINETEEN),
        ]
    )
    for step in state.automatic:
        lines.append(Prose("  automatic        ", f"{when(step.at)}: {_STEPS[step.code].format(step=step)}", _NINETEEN))
    earnings = report.earnings
    lines.extend(
        [
            "",
            Prose(
                "", f"Earnings: gross {earnings.gross}, service fee {earnings.service_fee}, net {earnings.net}", "  "
            ),
            *(Prose("  assumed: ", sentence, "           ") for sentence in earnings.assumptions),
            "",
            "Decisions",
        ]
    )
    for party in (Party.FREELANCER, Party.CLIENT):
        lines.append(f"  The {party}")
        for decision in report.decisions:
            if decision.party is not party:
                continue
            answer = "    yes " if decision.answer else "    no  "
            until = f"  (until {when(decision.until)})" if decision.until is not None else ""
            lines.append(Prose(answer, f"{PHRASES[decision.question]}{until}", "        "))
            lines.extend(
                Prose("          - ", f"{reason.message}{sources.mark(reason.source)}", "            ")
                for reason in decision.reasons
            )
    if sources.urls:
        lines.extend(["", "Sources"])
        lines.extend(f"  [{number}] {url}" for number, url in enumerate(sources.urls, start=1))
    return wrapped_text(lines, width, zone)


def _report_in_short(report: Report, sources: _Sources) -> list[str]:
    """The plain answer of a report, a paragraph each: the state, each party's review, the work history and score.

    Each sentence that rests on a reason cites its source by the number *sources* gives it. A
    report of only some questions says what it has: the state, at least.
    """
    decided = {(decision.question, decision.party): decision for decision in report.decisions}
    paragraphs = [_state_in_short(report)]
    for party in (Party.CLIENT, Party.FREELANCER):
        review = decided.get((Question.PUBLIC_FEEDBACK, party))
        if review is not None:
            shown = decided.get((Question.FEEDBACK_PUBLISHED, party))
            paragraphs.append(_review_in_short(report, review, shown, sources))
    history = decided.get((Question.WORK_HISTORY, Party.FREELANCER))
    score = decided.get((Question.JOB_SUCCESS_SCORE, Party.FREELANCER))
    if history is not None:
        shows = "shows" if history.answer else "does not show"
        paragraphs.append(f"The contract {shows} in the freelancer's work history{_because(history, sources)}.")
    if score is not None:
        counts = "counts" if score.answer else "does not count"
        paragraphs.append(f"It {counts} toward the success score now{_because(score, sources)}.")
    also = [
        f"the {decision.party} {PHRASES[decision.question]}"
        + (f" until {when(decision.until)}" if decision.until is not None else "")
        for decision in report.decisions
        if decision.answer and decision.question in _ALSO
    ]
    if also:
        paragraphs.append(f"Also: {'; '.join(also)}.")
    return paragraphs


_ALSO: Final = frozenset(
    {Question.RESPOND_TO_FEEDBACK, Question.OPEN_DISPUTE, Question.ISSUE_REFUND, Question.PRIVATE_FEEDBACK}
)
"""The other questions whose yes the short answer mentions: what a party may still do."""


def _state_in_short(report: Report) -> str:
    state = report.state
    paid = f"{state.net_paid} was paid, net of refunds" if state.paid else "nothing was paid"
    if state.ended_at is None:
        held = f"{state.escrow} is held in escrow" if state.escrow else "nothing is held in escrow"
        return f"The contract is {state.status.value}: {held}, and {paid}."
    by = f" by the {state.ended_by}" if state.ended_by is not None else ""
    moved = [f"{paid}"]
    if state.escrow_returned:
        moved.append(f"{state.escrow_returned} of escrow went back to the client")
    if state.escrow:
        moved.append(f"{state.escrow} is still held in escrow")
    return f"The contract ended on {when(state.ended_at)}{by}: {', '.join(moved)}."


def _review_in_short(report: Report, review: Decision, shown: Decision | None, sources: _Sources) -> str:
    """Whether *review*'s party may leave a review, until when, and whether anyone sees it or would."""
    party = review.party
    if review.answer:
        until = f" until {when(review.until)}" if review.until is not None else ""
        sentence = f"The {party} can still leave a review{until}"
    else:
        sentence = f"The {party} cannot leave a review now{_because(review, sources)}"
    if shown is None:
        return sentence + "."
    if report.state.feedback_by(party, FeedbackKind.PUBLIC) is not None:
        return f"{sentence}; the review they left is {'' if shown.answer else 'not '}shown{_because(shown, sources)}."
    # none standing: say so only if something besides its absence (none left, or the one left removed) hides one
    hidden = [reason for reason in shown.reasons if reason.code not in _ABSENT]
    if shown.answer or not hidden or not review.answer:
        return sentence + "."
    return f"{sentence}, but nobody would see it ({_reason(hidden[-1], sources)})."


_ABSENT: Final = frozenset({"NO_FEEDBACK", "FEEDBACK_REMOVED"})
"""The reasons a review is not shown that only say none stands: a new one would not be hidden by them."""


def _because(decision: Decision, sources: _Sources) -> str:
    """`` (the last reason)``, with its source's number: a decision always has one."""
    return f" ({_reason(decision.reasons[-1], sources)})"


def _reason(reason: Reason, sources: _Sources) -> str:
    return reason.message.rstrip(".") + sources.mark(reason.source)


def _yes_no(report: Report, question: Question, party: Party) -> str:
    return "yes" if report.decision(question, party).answer else "no"


def _score_effect(report: Report) -> str:
    sign = score_sign(report)
    return "not counted" if sign is None else {-1: "counts against", 1: "counts for"}.get(sign, "counts")


_SCORE_PHRASES: Final = {
    "counts against": "counts against the success score",
    "counts for": "counts for the success score",
    "counts": "counts toward the success score, without feedback",
}


def _pair(worst: str, best: str) -> str:
    return worst if worst == best else f"{worst} / {best}"


def _money_line(effect: MoneyEffect) -> str:
    parts = []
    if effect.back_to_client:
        parts.append(f"{effect.back_to_client.amount} to client")
    if effect.paid_to_freelancer:
        parts.append(f"{effect.paid_to_freelancer.amount} to freelancer")
    if effect.escrow_held:
        parts.append(f"{effect.escrow_held.amount} held")
    parts.append(f"net {effect.net_earnings.amount}")
    return ", ".join(parts)


def options_rows(found: tuple[Option, ...], effects: Sequence[ScoreEffect] | None = None) -> list[dict[str, str]]:
    """One row of short cells per option: the table ``gigpolicy options`` prints."""
    rows = []
    for index, option in enumerate(found):
        other = option.party.other
        review = option.right_after.decision(Question.PUBLIC_FEEDBACK, other)
        later = _later_review(option)
        can_review = (
            f"yes, until {day(review.until)}"
            if review.answer and review.until
            else f"from {day(later)}"
            if later is not None
            else _yes_no(option.right_after, Question.PUBLIC_FEEDBACK, other)
        )
        worst, best = option.worst_case, option.best_case
        rows.append(
            {
                "option": option.action,
                f"{other} can review": can_review,
                "review shown": _pair(
                    _yes_no(worst, Question.FEEDBACK_PUBLISHED, other),
                    _yes_no(best, Question.FEEDBACK_PUBLISHED, other),
                ),
                "work history": _pair(
                    _yes_no(worst, Question.WORK_HISTORY, Party.FREELANCER),
                    _yes_no(best, Question.WORK_HISTORY, Party.FREELANCER),
                ),
                "success score": _pair(_score_effect(worst), _score_effect(best)),
                "money (worst / best)": _pair(_money_line(option.worst_money), _money_line(option.best_money)),
            }
        )
        if effects is not None:
            effect = effects[index]
            rows[-1]["score estimate"] = (
                f"{_score(effect.before)} -> {_pair(_score(effect.worst), _score(effect.best))}"
            )
    return rows


def _later_review(option: Option) -> datetime | None:
    """When the other party's review comes in the worst case, if it comes after the step.

    A dormancy closure opens the window later, say; ``None`` when it comes at once or not at all.
    """
    left = option.worst_case.state.feedback_by(option.party.other, FeedbackKind.PUBLIC)
    if left is None or left.at <= option.right_after.at:
        return None
    return left.at


def options_text(
    found: tuple[Option, ...],
    record: ContractRecord,
    at: datetime,
    effects: Sequence[ScoreEffect] | None = None,
    *,
    width: int | None = None,
    zone: tzinfo | None = None,
) -> str:
    """The answer first, then the table, the assumptions and the sources.

    The answer is a paragraph per way to end the contract (and waiting beside them): who can
    review and until when, whether anyone will see it, the work history, the success score and
    the escrow. With *width* (the command line gives the terminal's width, or 80 columns), every
    line of prose is wrapped to it, and the table, where it is wider, becomes a block per option
    with a line per column; only an address runs past it. With *zone*, each time is also shown in
    that zone (see :func:`zoned`).
    """
    party = found[0].party
    policy = found[0].right_after.policy
    money = f"money in {record.contract.currency}"
    lines: list[str | Prose] = [
        Prose(
            "",
            f"What the {party} can do on contract {record.contract.id} at {when(at)} ({policy.label}; {money})",
            "  ",
        ),
        "",
    ]
    # waiting is worth a sentence beside the ways to end, not on its own
    ends = any(option.action in _SHORT and option.action != "wait" for option in found)
    summarised = [option for option in found if option.action in _SHORT and ends]
    if summarised:
        lines.append("In short:")
        for option in summarised:
            lines.append(Prose("  ", _in_short(option), "    "))
        lines.append("")
    lines.extend(_options_table(options_rows(found, effects), width))
    lines.extend(["", "Worst case / best case where they differ."])
    warned = [option for option in found if option.warnings]
    if warned:
        lines.extend(["", "Warnings:"])
        for option in warned:
            lines.extend(Prose("  ", f"{option.action}: {reason.message}", "    ") for reason in option.warnings)
    lines.extend(["", "What each option assumes:"])
    for option in found:
        lines.append(Prose("  ", f"{option.action}: {option.summary}", "    "))
        lines.extend(Prose("    - ", sentence, "      ") for sentence in option.assumptions)
        lines.extend(Prose("    - ", sentence, "      ") for sentence in option.worst_case.earnings.assumptions)
    cited = _cited(summarised)
    if cited:
        lines.extend(["", "Sources of the answer:"])
        lines.extend(f"  [{number}] {source}" for number, source in enumerate(cited, 1))
    return wrapped_text(lines, width, zone)


def _options_table(rows: list[dict[str, str]], width: int | None) -> list[str | Prose]:
    """The options as a table, a row each; or, where the table is wider than *width*, a block each.

    In a block, each column is a line of its own, its label then its value, wrapped to *width*.
    """
    headers = list(rows[0])
    widths = [max(len(header), *(len(row[header]) for row in rows)) for header in headers]
    if width is None or sum(widths) + 2 * (len(widths) - 1) <= width:
        lines: list[str | Prose] = [
            "  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True)).rstrip(),
            "  ".join("-" * width for width in widths),
        ]
        lines.extend(
            "  ".join(row[header].ljust(width) for header, width in zip(headers, widths, strict=True)).rstrip()
            for row in rows
        )
        return lines
    first, *columns = headers
    label = max(map(len, columns))
    lines = []
    for row in rows:
        lines.append(f"{first} {row[first]}")
        for column in columns:
            start = f"  {column.ljust(label)}  "
            lines.append(Prose(start, row[column], " " * len(start)))
    return lines


class Prose(NamedTuple):
    """A line of prose that :func:`wrapped_text` wraps to the width: *text* after *first*, later lines after *later*."""

    first: str
    text: str
    later: str


_SIX: Final = " " * 6
_EIGHT: Final = " " * 8
_NINE: Final = " " * 9
_NINETEEN: Final = " " * 19


def wrapped_text(lines: Sequence[str | Prose], width: int | None, zone: tzinfo | None = None) -> str:
    """The *lines* as one text: each time also in *zone*, then each :class:`Prose` wrapped to *width*.

    The other lines stay as they are.
    """
    done: list[str] = []
    for line in lines:
        if isinstance(line, Prose):
            done.extend(_wrapped_as(line.first, zoned(line.text, zone), line.later, width))
        else:
            done.append(zoned(line, zone))
    return _joined(done)


def _wrapped_as(first: str, text: str, later: str, width: int | None) -> list[str]:
    """*text* after *first*, wrapped to *width* with its later lines after *later*; one line without a width.

    A word longer than the width (an address) stays whole, on a line of its own, and so does an
    instant (``2026-11-18 00:00 UTC``, with its time in a zone if shown). The text is made
    printable first, so that a tab or a newline a record holds is shown as its escape, as it is
    in a line that is not wrapped, rather than taken for a space.
    """
    text = printable(text)
    if width is None or len(first) + len(text) <= width or not text.strip():  # a label alone stays, however long
        return [first + text]
    glued = text if _GLUE in text else _WHOLE.sub(_glue, text)
    lines = textwrap.wrap(
        glued,
        width=width,
        initial_indent=first,
        subsequent_indent=later,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines if glued is text else [line.replace(_GLUE, " ") for line in lines]


_WHOLE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC(?: \((?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} [^()\s]+\))?|-?\d+(?:\.\d+)? [A-Z]{3}\b"
)
"""What wrapping keeps on one line: an instant as :func:`~gigpolicy._judge.when` writes it, with its
time in a zone if :func:`zoned` added one, and an amount with its currency (``500.00 USD``)."""
_GLUE: Final = "\ue000"
"""What joins the parts of an instant while its text is wrapped: a character of private use, which
no wrapping breaks at (a text that holds one is wrapped as it is)."""


def _glue(found: re.Match[str]) -> str:
    return found[0].replace(" ", _GLUE)


_INSTANT: Final = re.compile(r"\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b(?![+-]\d)")
"""An instant as :func:`~gigpolicy._judge.when` writes it, in every text: ``2026-11-18 00:00 UTC``."""


def zoned(text: str, zone: tzinfo | None) -> str:
    """*text* with each instant written as ``2026-11-18 00:00 UTC`` followed by the same instant in *zone*.

    The time in *zone* follows in parentheses with the zone's abbreviation, and with its date
    when that differs; an instant at which *zone* keeps UTC's own time is left as it is (so is
    every instant without *zone*, or in UTC itself). Text that only looks like such an instant
    (``2026-13-45 99:99 UTC``, or one outside the years gigpolicy accepts, 1900 to 8999), which
    only a record's own text can hold, is left as it is.

    >>> from zoneinfo import ZoneInfo
    >>> zoned("closes 2026-11-18 00:00 UTC.", ZoneInfo("Europe/Berlin"))
    'closes 2026-11-18 00:00 UTC (01:00 CET).'
    >>> zoned("closes 2026-11-18 00:00 UTC.", ZoneInfo("America/New_York"))
    'closes 2026-11-18 00:00 UTC (2026-11-17 19:00 EST).'
    """
    if zone is None:
        return text

    def local(found: re.Match[str]) -> str:
        try:
            instant = datetime.fromisoformat(f"{found[1]}T{found[2]}+00:00")
            if not EARLIEST <= instant < LATEST:  # no instant gigpolicy writes: a record's own text
                return found[0]
            instant = instant.astimezone(zone)
        except (ValueError, OverflowError):  # no instant at all: a record's own text that looks like one
            return found[0]
        if instant.utcoffset() == timedelta():  # the same clock time: nothing to add
            return found[0]
        day = "" if instant.strftime("%Y-%m-%d") == found[1] else f"{instant:%Y-%m-%d} "
        return f"{found[0]} ({day}{instant:%H:%M} {instant.tzname()})"

    return _INSTANT.sub(local, text)


def _cited(summarised: Sequence[Option]) -> list[str]:
    """The sources of the decisions the short answers rest on, each once, in the order first cited."""
    found: dict[str, None] = {}
    for option in summarised:
        other = option.party.other
        decisions = [
            option.right_after.decision(Question.PUBLIC_FEEDBACK, other),
            option.worst_case.decision(Question.FEEDBACK_PUBLISHED, other),
            *(
                case.decision(question, Party.FREELANCER)
                for case in (option.worst_case, option.best_case)
                for question in (Question.WORK_HISTORY, Question.JOB_SUCCESS_SCORE)
            ),
        ]
        for decision in decisions:
            found.update(dict.fromkeys(reason.source for reason in decision.reasons if reason.source))
    return list(found)


_SHORT: Final = {
    "wait": "If you wait",
    "end_contract": "If you end the contract now",
    "report_and_end": "If you report the job and end it",
}


def _in_short(option: Option) -> str:
    """One paragraph answering: who can review, is it seen, work history, success score, money."""
    other = option.party.other
    review = option.right_after.decision(Question.PUBLIC_FEEDBACK, other)
    worst, best = option.worst_case, option.best_case
    later = _later_review(option)
    can = (
        f"the {other} can still leave a review until {when(review.until)}"
        if review.answer and review.until is not None
        else f"the {other} can leave a review from {when(later)}, when {_opened_by(worst)}"
        if later is not None
        else f"the {other} cannot leave a review"
    )
    shown_worst = worst.decision(Question.FEEDBACK_PUBLISHED, other)
    seen = (
        "it would be shown"
        if shown_worst.answer
        else "nobody would see it (" + shown_worst.reasons[-1].message.rstrip(".") + ")"
    )
    history = "shows" if worst.decision(Question.WORK_HISTORY, Party.FREELANCER).answer else "does not show"
    effects = {_score_effect(worst), _score_effect(best)}
    if effects == {"not counted"}:
        score = "it cannot count toward the success score"
    elif _score_effect(best) == "not counted":
        why = best.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER).reasons[-1].message.rstrip(".")
        score = (
            f"in the worst case it {_SCORE_PHRASES[_score_effect(worst)]}, in the best case it is not counted ({why})"
        )
    else:
        score = f"toward the success score: {_pair(_score_effect(worst), _score_effect(best))}"
    money = option.worst_money
    where = (
        f"{money.back_to_client} goes back to the client"
        if money.back_to_client
        else f"{money.paid_to_freelancer} is paid to the freelancer"
        if money.paid_to_freelancer.amount > 0
        else "no escrow moves"
    )
    joined = "and" if shown_worst.answer else "but"
    return (
        f"{_SHORT[option.action]}: {can}, {joined} {seen}; the contract {history} in the work history; "
        f"{score}; {where}."
    )


def _opened_by(report: Report) -> str:
    if any(step.code == "DORMANT_CLOSED" for step in report.state.automatic):
        return "the marketplace closes the contract as dormant"
    return "the contract ends by itself"


def _score(estimate: JobSuccess | None) -> str:
    return "none" if estimate is None else str(estimate.score)
