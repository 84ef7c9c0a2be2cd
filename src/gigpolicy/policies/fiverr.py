"""Fiverr's rules for orders, each citing its public source.

An order is a fixed-price contract with one milestone funded when the order is placed; a
delivery is ``work_submitted``. Facts come from the project's research notes
(``shared/research/marketplace-policies.md``); rules marked **unconfirmed** there are
parameters with documented defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._contract import CLIENT, ENDED, FREELANCER, Party
from gigpolicy._decision import Question, Verdict, make_reason
from gigpolicy._events import PUBLIC, WorkSubmitted
from gigpolicy._fees import FlatFee
from gigpolicy._judge import given_no, given_yes, settled, verdict_no, verdict_yes, when, window_reason
from gigpolicy._policy import TIMED_POLICIES, Context, Policy, Window, add_rules, register_policy
from gigpolicy._sources import Source, SourceKind, register_sources
from gigpolicy._state import ReplayRules

__all__ = ["VERSIONS", "FiverrPolicy"]

_HELP: Final = "https://help.fiverr.com/hc/en-us/articles/"
REVIEWS: Final = _HELP + "360049982353-Reviews-and-ratings-explained"
FEEDBACK_RATINGS: Final = _HELP + "360010544097-Feedback-and-ratings"
CANCELLED_REVIEWS: Final = _HELP + "17120664805521-Reviews-for-canceled-orders"
CANCELLATIONS: Final = _HELP + "37552956376977-How-cancellations-work-for-clients"
AUTO_COMPLETE: Final = "https://forum.fiverr.com/t/does-autocomplete-mean-me-getting-paid-my-cut/582993"
FEES: Final = "https://community.fiverr.com/forums/topic/96736-not-receiving-full-payment/"


@attrs.frozen(kw_only=True)
class FiverrPolicy(Policy):
    """Fiverr's order rules; every parameter below is a documented default.

    >>> from gigpolicy import get_policy
    >>> get_policy("fiverr").review_window
    datetime.timedelta(days=14)
    """

    review_window: timedelta = timedelta(days=14)
    """The buyer reviews a completed order within this long (30 days in some categories)."""
    cancelled_review_window: timedelta = timedelta(days=5)
    """The buyer reviews an eligible cancelled order within this long."""
    late_for_review: timedelta = timedelta(hours=24)
    """A cancelled order more than this late past its ``due_at`` may be reviewed."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer *question* with the rule function for it; no rule answers no."""
        rule = _RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)

    def review_closes(self, context: Context) -> datetime | None:
        """When the buyer's review window closes, or ``None`` if the order cannot be reviewed."""
        state = context.state
        if state.ended_at is None:
            return None
        if state.completed_at is not None:
            return state.completed_at + self.review_window
        delivered = any(
            isinstance(event, WorkSubmitted) and event.at <= state.ended_at for event in context.record.events
        )
        late = any(m.due_at is not None and state.ended_at > m.due_at + self.late_for_review for m in state.milestones)
        # a recorded review shows the order was reviewable for a reason the record cannot hold
        # (the seller unresponsive for over 24 hours): records are facts, so it gets the window too
        reviewed = any(f.kind is PUBLIC for f in state.feedback)
        return state.ended_at + self.cancelled_review_window if delivered or late or reviewed else None

    def windows(self, context: Context) -> tuple[Window, ...]:
        """The auto-completion of a delivery and the review window."""
        found: list[Window] = []
        for milestone in context.state.milestones:
            if milestone.release_due is not None and milestone.submitted_at is not None:
                found.append(
                    Window(
                        code="AUTO_RELEASE",
                        label="order completes by itself",
                        opens=milestone.submitted_at,
                        closes=milestone.release_due,
                        source=AUTO_COMPLETE,
                    )
                )
        closes = self.review_closes(context)
        if closes is not None and context.state.ended_at is not None:
            found.append(
                Window(
                    code="FEEDBACK", label="review window", opens=context.state.ended_at, closes=closes, source=REVIEWS
                )
            )
        return tuple(found)


# Outcomes whose reasons carry no data are made once, at import (`verdict_yes`, `verdict_no`), and a
# rule gives them through `settled`. The others a rule works out itself, as a judge would give them
# (`given_yes`, `given_no`): `tests/marketplace_reference.py` holds the same rules written with a
# judge, condition by condition, and a test compares both.
_ORDER_OPEN: Final = verdict_yes(
    ("ORDER_OPEN", "An open order can be cancelled through the Resolution Center.", CANCELLATIONS)
)
_ORDER_ENDED: Final = verdict_no(("ORDER_ENDED", "The order is already complete or cancelled.", CANCELLATIONS))


def _end(context: Context, policy: FiverrPolicy) -> Verdict:
    del policy
    return settled(_ORDER_OPEN if context.state.status is not ENDED else _ORDER_ENDED)


_REVIEWS_NOT_OPEN: Final = verdict_no(
    ("ORDER_OPEN", "Reviews open when the order is complete (or cancelled, in some cases).", REVIEWS)
)
_NO_SELLER_REVIEW: Final = verdict_no(
    (
        "CANCELLED_NO_SELLER_REVIEW",
        (
            "On a cancelled order the seller leaves no review, and may respond to the buyer's once the buyer's"
            " window is over."
        ),
        CANCELLED_REVIEWS,
    )
)
_NOT_REVIEWABLE: Final = verdict_no(
    (
        "CANCELLED_NOT_REVIEWABLE",
        "A cancelled order can be reviewed only if work was delivered or it was over 24 hours late.",
        CANCELLED_REVIEWS,
    )
)


_ORDER_ENDED_REASON: Final = make_reason("ORDER_ENDED", "The order is complete or cancelled.", REVIEWS)
_BUYER_REVIEWED: Final = make_reason("BUYER_REVIEWED", "The buyer has reviewed, so the seller may review.", REVIEWS)
_BUYER_FIRST: Final = make_reason("BUYER_FIRST", "The seller may review only after the buyer has.", REVIEWS)
_NOT_YET_REVIEWED: Final = {
    party: make_reason("NOT_YET_LEFT", f"The {party} has not reviewed yet.", REVIEWS) for party in Party
}
_ALREADY_REVIEWED: Final = {
    party: make_reason("ALREADY_LEFT", f"The {party} already reviewed.", REVIEWS) for party in Party
}


def _review(context: Context, policy: FiverrPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.status is not ENDED:
        return settled(_REVIEWS_NOT_OPEN)
    completed = state.completed_at is not None
    seller = party is FREELANCER
    if seller and not completed:
        return settled(_NO_SELLER_REVIEW)
    closes = policy.review_closes(context)
    if closes is None:
        return settled(_NOT_REVIEWABLE)
    # the end holds; the window, the buyer first (for the seller, on a completed order) and one
    # review each are the conditions that may fail, each for good: only the window's close is timed
    is_open = closes > context.at
    what, source = ("The buyer's review window", REVIEWS) if completed else _CANCELLED_WINDOW
    window = window_reason(closes, what, source, is_open=is_open)
    buyer_first = seller and state.feedback_by(CLIENT, PUBLIC) is None
    left = state.first_feedback(party, PUBLIC) is not None
    boundaries = (closes,) if is_open else ()
    if is_open and not buyer_first and not left:
        held = (_ORDER_ENDED_REASON, window, *((_BUYER_REVIEWED,) if seller else ()), _NOT_YET_REVIEWED[party])
        return given_yes(held, boundaries, closes)
    failed = (
        None if is_open else window,
        _BUYER_FIRST if buyer_first else None,
        _ALREADY_REVIEWED[party] if left else None,
    )
    return given_no(tuple(filter(None, failed)), boundaries)  # a Reason is always true


_CANCELLED_WINDOW: Final = ("The cancelled order's review window", CANCELLED_REVIEWS)


_NO_REVIEW: Final = {
    party: verdict_no(("NO_FEEDBACK", f"The {party.value} has left no review.", REVIEWS)) for party in Party
}
_BOTH_REVIEWED: Final = verdict_yes(
    ("BOTH_LEFT_FEEDBACK", "Both parties have reviewed, so the reviews are public.", REVIEWS)
)


def _published(context: Context, policy: FiverrPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.feedback_by(party, PUBLIC) is None:
        return settled(_NO_REVIEW[party])
    if state.feedback_by(party.other, PUBLIC) is not None:
        return settled(_BOTH_REVIEWED)
    closes = policy.review_closes(context)
    assert closes is not None  # noqa: S101 - a review exists only where the order could be reviewed
    # hidden until the window closes, when time alone mends it
    if closes > context.at:
        hidden = f"Reviews stay hidden until both are in or the window closes on {when(closes)}."
        return given_no((make_reason("DOUBLE_BLIND", hidden, REVIEWS),), (closes,), closes)
    public = f"The review window closed on {when(closes)}, so the review is public."
    return given_yes((make_reason("WINDOW_CLOSED", public, REVIEWS),))


_NO_BUYER_RESPONSE: Final = verdict_no(
    (
        "NO_BUYER_RESPONSE",
        "Fiverr's help pages let the seller reply to the buyer's review and give the buyer no such rule.",
        FEEDBACK_RATINGS,
    )
)
_NOTHING_TO_RESPOND_TO: Final = verdict_no(
    ("NO_FEEDBACK_TO_RESPOND_TO", "The buyer has left no review to respond to.", REVIEWS)
)
_BOTH_PUBLISHED: Final = verdict_yes(
    (
        "BOTH_REVIEWS_PUBLISHED",
        "Both reviews are in and published, so the seller may reply to the buyer's.",
        FEEDBACK_RATINGS,
    )
)
_SELLER_NOT_REVIEWED: Final = verdict_no(
    (
        "SELLER_NOT_REVIEWED",
        "The seller may reply once both reviews are published, and has not reviewed.",
        FEEDBACK_RATINGS,
    )
)


def _respond(context: Context, policy: FiverrPolicy) -> Verdict:
    state = context.state
    if context.party is CLIENT:
        return settled(_NO_BUYER_RESPONSE)
    if state.feedback_by(CLIENT, PUBLIC) is None:
        return settled(_NOTHING_TO_RESPOND_TO)
    if state.completed_at is not None:
        reviewed = state.feedback_by(FREELANCER, PUBLIC) is not None
        return settled(_BOTH_PUBLISHED if reviewed else _SELLER_NOT_REVIEWED)
    closes = policy.review_closes(context)
    assert closes is not None  # noqa: S101 - a review exists only where the order could be reviewed
    # the seller responds once the buyer's window is over, when time alone mends it
    if closes > context.at:
        waiting = f"The seller may respond once the buyer's review window is over, on {when(closes)}."
        return given_no((make_reason("BUYER_WINDOW_OPEN", waiting, CANCELLED_REVIEWS),), (closes,), closes)
    over = f"The buyer's review window closed on {when(closes)}, so the seller may respond."
    return given_yes((make_reason("BUYER_WINDOW_OVER", over, CANCELLED_REVIEWS),))


_RULES: Final[dict[Question, Callable[[Context, FiverrPolicy], Verdict]]] = {
    Question.END_CONTRACT: _end,
    Question.PUBLIC_FEEDBACK: _review,
    Question.FEEDBACK_PUBLISHED: _published,
    Question.RESPOND_TO_FEEDBACK: _respond,
}

#: Every built-in version, oldest first. Reviews of cancelled orders date from June 2023.
VERSIONS: Final = (
    FiverrPolicy(
        name="fiverr",
        effective_from=date(2023, 6, 14),
        title=(
            "Cancelled orders reviewable by the buyer when delivered or over 24 hours late, the seller responding"
            " after; sellers keep 80%"
        ),
        source=CANCELLED_REVIEWS,
        replay_rules=ReplayRules(
            auto_release_after=timedelta(days=3),
            escrow_return_after_freelancer_end=timedelta(0),
            escrow_return_after_client_end=timedelta(0),
            release_ends_contract=True,
        ),
        fees=FlatFee(rate=Decimal("0.20")),
        display_threshold=Decimal(0),
    ),
)

_CHECKED: Final = date(2026, 12, 5)
"""The day these pages were last read against stored copies (the research notes' update)."""
_UNDATED: Final = " The page gives no date."
REVIEWS_ANNOUNCED: Final = (
    "https://community.fiverr.com/forums/topic/"
    "306863-important-update-some-canceled-orders-now-qualify-for-buyer-reviews/"
)

#: Every page Fiverr's version and rules cite, once each: a new cited page needs an entry here.
SOURCES: Final = (
    Source(
        url=REVIEWS,
        kind=SourceKind.HELP_CENTER,
        title="Reviews and ratings explained",
        checked=date(2026, 11, 27),
        date_confirmed=False,
        note="Completed or eligible cancelled orders; the buyer reviews first; reviews go public when both are in or"
        " the window closes. No stored copy was found on 2026-12-05: checked for the first research notes." + _UNDATED,
    ),
    Source(
        url=FEEDBACK_RATINGS,
        kind=SourceKind.HELP_CENTER,
        title="Feedback and ratings",
        checked=_CHECKED,
        date_confirmed=False,
        note="14 days to review after completion (30 in Programming & Tech and some SEO); reviews go public when"
        " both are in 'or the 10 days have passed': Fiverr's own text is inconsistent." + _UNDATED,
    ),
    Source(
        url=CANCELLED_REVIEWS,
        kind=SourceKind.HELP_CENTER,
        title="Reviews for canceled orders",
        checked=_CHECKED,
        date_confirmed=False,
        note="A cancelled order may be reviewed when over 24 hours late, the seller was unresponsive over 24 hours,"
        " or a delivery was made; the buyer has 5 days." + _UNDATED,
    ),
    Source(
        url=CANCELLATIONS,
        kind=SourceKind.HELP_CENTER,
        title="How cancellations work for clients",
        checked=_CHECKED,
        date_confirmed=False,
        note="Active orders are cancelled in the Resolution Center, completed ones through Customer Support."
        + _UNDATED,
    ),
    Source(
        url=AUTO_COMPLETE,
        kind=SourceKind.THIRD_PARTY,
        title="Does autocomplete mean me getting paid my cut?",
        checked=_CHECKED,
        date_confirmed=False,
        note="Forum members, not staff, quote the Terms of Service: a delivered order neither accepted nor sent back"
        " for changes within 3 days is marked complete.",
    ),
    Source(
        url=FEES,
        kind=SourceKind.THIRD_PARTY,
        title="Not receiving full payment",
        checked=_CHECKED,
        date_confirmed=False,
        note="A member, not marked as staff, quotes the Terms of Service: sellers keep 80%; revenue clears 14 days"
        " after completion (7 for Top Rated sellers).",
    ),
    Source(
        url=REVIEWS_ANNOUNCED,
        kind=SourceKind.RELEASE_NOTE,
        title="Important Update: Some canceled orders now qualify for buyer reviews",
        checked=_CHECKED,
        date_confirmed=False,
        note="Fiverr's staff on June 14, 2023: reviews of cancelled orders start 'next week'; the day they started is"
        " not given. The stored copies are of later pages of the thread.",
        versions=("fiverr@2023-06-14",),
    ),
)

TIMED_POLICIES.add(FiverrPolicy)  # every rule says when its answer changes, as its judge would (`changes_at`)
add_rules(FiverrPolicy, _RULES)  # its `decide` is this lookup
register_policy(*VERSIONS)
register_sources(*SOURCES, cited_by="fiverr")
