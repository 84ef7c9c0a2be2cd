"""Questions, and the decisions that answer them with reasons."""

from __future__ import annotations

import enum
import os
import re
import threading
from datetime import datetime
from typing import Final, TypeAlias

import attrs

from gigpolicy._contract import Party
from gigpolicy._money import describe
from gigpolicy._trusted import BoundedCache, trusted
from gigpolicy.errors import InvalidRecord

__all__ = ["APPLIES_TO", "QUESTIONS", "Decision", "Question", "Reason", "Verdict"]

_CODE: Final = re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*")


class Question(enum.StrEnum):
    """What a decision answers, for one party."""

    END_CONTRACT = "end_contract"
    """This party may end the contract now."""
    PUBLIC_FEEDBACK = "public_feedback"
    """This party may now submit end-of-contract public feedback."""
    PRIVATE_FEEDBACK = "private_feedback"
    """The client may now submit private feedback."""
    MID_CONTRACT_FEEDBACK = "mid_contract_feedback"
    """The client may now leave mid-contract feedback."""
    FEEDBACK_PUBLISHED = "feedback_published"
    """This party's end-of-contract feedback is shown publicly now."""
    RESPOND_TO_FEEDBACK = "respond_to_feedback"
    """This party may now post a public response to the other's feedback."""
    OPEN_DISPUTE = "open_dispute"
    """This party may open a dispute now."""
    ISSUE_REFUND = "issue_refund"
    """The freelancer may refund paid money now."""
    WORK_HISTORY = "work_history"
    """The contract appears in the freelancer's public work history."""
    JOB_SUCCESS_SCORE = "job_success_score"
    """The contract counts toward the freelancer's success score."""


_BOTH: Final = (Party.CLIENT, Party.FREELANCER)
#: The parties each question applies to; the others are not in a report.
QUESTIONS: Final[dict[Question, tuple[tuple[Party, ...], str]]] = {
    Question.END_CONTRACT: (_BOTH, "may end the contract"),
    Question.PUBLIC_FEEDBACK: (_BOTH, "may leave public feedback"),
    Question.PRIVATE_FEEDBACK: ((Party.CLIENT,), "may leave private feedback"),
    Question.MID_CONTRACT_FEEDBACK: ((Party.CLIENT,), "may leave mid-contract feedback"),
    Question.FEEDBACK_PUBLISHED: (_BOTH, "has public feedback shown"),
    Question.RESPOND_TO_FEEDBACK: (_BOTH, "may respond to feedback"),
    Question.OPEN_DISPUTE: (_BOTH, "may open a dispute"),
    Question.ISSUE_REFUND: ((Party.FREELANCER,), "may refund money paid"),
    Question.WORK_HISTORY: ((Party.FREELANCER,), "shows this contract in the work history"),
    Question.JOB_SUCCESS_SCORE: ((Party.FREELANCER,), "has this contract count toward the success score"),
}
"""The one table of questions: the parties each applies to, and how it reads after the party in a
sentence. A new question is a line here and the rules of the policies that answer it."""

APPLIES_TO: Final[dict[Question, tuple[Party, ...]]] = {question: spec[0] for question, spec in QUESTIONS.items()}
"""The parties each question applies to (from :data:`QUESTIONS`)."""

EVERY_QUESTION: Final = tuple(Question)
"""Every question, in order: what a whole report answers."""


_KNOWN_CODES: set[str] = set()


def _check_code(instance: Reason, attribute: attrs.Attribute[str], value: object) -> None:
    del instance, attribute
    if not isinstance(value, str):
        raise InvalidRecord("code", f"must be an UPPER_SNAKE code, not {describe(value)}")
    if value in _KNOWN_CODES:
        return
    if _CODE.fullmatch(value) is not None:
        _KNOWN_CODES.add(value)
    else:
        raise InvalidRecord("code", f"must be an UPPER_SNAKE code, not {describe(value)}")


@attrs.frozen(kw_only=True)
class Reason:
    """Why a decision came out as it did: one condition, for a machine and for a person.

    >>> Reason(code="CONTRACT_OPEN", message="The contract has not ended.").source is None
    True
    """

    code: str = attrs.field(validator=_check_code)
    """A stable UPPER_SNAKE identifier of the condition."""
    message: str
    """One plain sentence for a person."""
    source: str | None = None
    """The URL of the rule's public source, if the rule has one."""


def _some_reasons(_: object, __: attrs.Attribute[tuple[Reason, ...]], value: tuple[Reason, ...]) -> None:
    if not value:
        raise InvalidRecord("reasons", "must hold at least one reason: every answer says why")


@attrs.frozen(kw_only=True)
class Verdict:
    """What a rule function returns: the answer now, its reasons, and when a condition may flip.

    ``boundaries`` are the instants after the moment judged at which one of the rule's
    conditions changes by time alone (a window opening or closing). Evaluation uses them,
    with the policy's automatic steps, to find each decision's ``until``.
    """

    answer: bool
    reasons: tuple[Reason, ...] = attrs.field(validator=_some_reasons)
    boundaries: tuple[datetime, ...] = ()


@attrs.frozen(kw_only=True)
class Decision:
    """The answer to one question for one party at one instant.

    ``until`` is the first instant after the moment judged at which the answer would be
    different if no event were added; ``None`` if that never happens.
    """

    question: Question
    party: Party
    answer: bool
    until: datetime | None
    reasons: tuple[Reason, ...] = attrs.field(validator=_some_reasons)


_REASON: Final = trusted(Reason, "code", "message", "source")
_VERDICT: Final = trusted(Verdict, "answer", "reasons", "boundaries")
_DECISION: Final = trusted(Decision, "question", "party", "answer", "until", "reasons")
"""A :class:`Decision` from a :class:`Verdict`'s answer and reasons, which the verdict already checked."""


def make_reason(code: str, message: str, source: str | None) -> Reason:
    """A :class:`Reason`; its code is checked once per distinct code, then remembered."""
    if code not in _KNOWN_CODES:
        return Reason(code=code, message=message, source=source)
    return _REASON(code, message, source)  # a code known to be valid: no check again


def settled_decision(made: Settled, question: Question, party: Party, verdict: Verdict) -> tuple[Verdict, Decision]:
    """The decision of a made verdict (one a rule gives again and again) that no time changes, with the verdict.

    Made once per question, party and verdict, then given again from *made*, the decisions made
    on *question* for *party* (``SETTLED_BY[question, party]``), by the verdict's identity; and
    with a list that keeps what is made of it (in :data:`MEMOS`): most decisions of a report are
    such answers. Evaluation looks it up in *made* itself and calls this only when it is not there.
    """
    with _SETTLING:  # threads judge at once (the server): one at a time makes, drops and forgets
        kept = made.get(id(verdict))
        if kept is None or kept[0] is not verdict:  # held here, the verdict keeps its id: `is` settles a reused one
            decision = _DECISION(question, party, verdict.answer, None, verdict.reasons)
            if len(made) >= made.limit:  # full: start afresh, and the decisions that go take their texts along
                for _, gone in made.values():
                    _forget_memo(gone)
                made.clear()
            elif kept is not None:  # another verdict's, at a reused id: its decision goes
                _forget_memo(kept[1])
            kept = made[id(verdict)] = (verdict, decision)  # never full here: it started afresh above
            MEMOS[id(decision)] = (decision, [])
        return kept


def _forget_memo(decision: Decision) -> None:
    memo = MEMOS.get(id(decision))
    if memo is not None and memo[0] is decision:
        del MEMOS[id(decision)]


_SETTLING = threading.Lock()
"""Held while a decision is made once and the memos follow the decisions kept (:func:`settled_decision`).

Only a decision not made yet takes it: a thread that finds its decision in its cache reads it
without. Without it, two threads could each make one for the same verdict (the first one's memo
then outliving it) or drop the same decisions at once (and fail)."""


def _unlocked_in_child() -> None:
    """A fork's own lock: one a thread held when the process forked would never be let go in the child."""
    global _SETTLING  # noqa: PLW0603 - the lock is the child's to replace
    _SETTLING = threading.Lock()


os.register_at_fork(after_in_child=_unlocked_in_child)


Settled: TypeAlias = BoundedCache[int, tuple[Verdict, Decision]]
"""The decisions made once on one question for one party, by their verdict's identity (:func:`settled_decision`)."""

SETTLED_BY: Final[dict[tuple[Question, Party], Settled]] = {
    (question, party): BoundedCache(256) for question in Question for party in APPLIES_TO[question]
}
"""The decisions made once, on each question for each party it applies to."""
MEMOS: Final[dict[int, tuple[Decision, list[str]]]] = {}
"""Where to keep a text made of a decision given again and again (a :func:`settled_decision`).

By the identity of each such decision: the decision (an entry is this decision's only if it holds
this very one, as ids are reused) and a list that holds the text once made (empty before). The
JSON lines of a batch write it from there.

An entry lives as long as its decision in :data:`SETTLED_BY`, which bounds them (256 for each
question and party, 3,840 in all: the decisions given again and again are few, and made again
soon after a cache starts afresh). A memo that went first (as one in a cache of its own did,
when full) would leave its decision to be written again and again, as most decisions were in a
long batch: a cache of 4,096 memos shared by all the questions filled in about 5,000 varied
lines, then lost the memos of every decision still given."""


def make_verdict(*, answer: bool, reasons: tuple[Reason, ...], boundaries: tuple[datetime, ...]) -> Verdict:
    """A :class:`Verdict` from reasons already built as values; checked only when there are none."""
    if not reasons:
        return Verdict(answer=answer, reasons=reasons, boundaries=boundaries)
    return _VERDICT(answer, reasons, boundaries)
