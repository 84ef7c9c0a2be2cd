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

from gigpolicy._contract import ContractStatus, Party
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind, WorkSubmitted
from gigpolicy._fees import FlatFee
from gigpolicy._judge import Judge, when
from gigpolicy._policy import Context, Policy, Window, register_policy
from gigpolicy._state import ReplayRules

__all__ = ["VERSIONS", "FiverrPolicy"]

_HELP: Final = "https://help.fiverr.com/hc/en-us/articles/"
REVIEWS: Final = _HELP + "360049982353-Reviews-and-ratings-explained"
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
        reviewed = any(f.kind is FeedbackKind.PUBLIC for f in state.feedback)
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


def _end(context: Context, policy: FiverrPolicy) -> Verdict:
    del policy
    judge = Judge(context.at)
    judge.cond(
        context.state.status is not ContractStatus.ENDED,
        ("ORDER_OPEN", "An open order can be cancelled through the Resolution Center."),
        ("ORDER_ENDED", "The order is already complete or cancelled."),
        CANCELLATIONS,
    )
    return judge.verdict()


def _review(context: Context, policy: FiverrPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    if not judge.cond(
        state.status is ContractStatus.ENDED,
        ("ORDER_ENDED", "The order is complete or cancelled."),
        ("ORDER_OPEN", "Reviews open when the order is complete (or cancelled, in some cases)."),
        REVIEWS,
    ):
        return judge.verdict()
    closes = policy.review_closes(context)
    if closes is None:
        judge.fail(
            "CANCELLED_NOT_REVIEWABLE",
            "A cancelled order can be reviewed only if work was delivered or it was over 24 hours late.",
            CANCELLED_REVIEWS,
        )
        return judge.verdict()
    what = "The buyer's review window" if state.completed_at is not None else "The cancelled order's review window"
    judge.window(closes, what, REVIEWS if state.completed_at is not None else CANCELLED_REVIEWS)
    if party is Party.FREELANCER:
        judge.cond(
            state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC) is not None,
            ("BUYER_REVIEWED", "The buyer has reviewed, so the seller may review."),
            ("BUYER_FIRST", "The seller may review only after the buyer has."),
            REVIEWS,
        )
    judge.cond(
        not any(f.by is party and f.kind is FeedbackKind.PUBLIC for f in state.feedback),
        ("NOT_YET_LEFT", f"The {party} has not reviewed yet."),
        ("ALREADY_LEFT", f"The {party} already reviewed."),
        REVIEWS,
    )
    return judge.verdict()


def _published(context: Context, policy: FiverrPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    mine = state.feedback_by(party, FeedbackKind.PUBLIC)
    if mine is None:
        judge.fail("NO_FEEDBACK", f"The {party} has left no review.", REVIEWS)
        return judge.verdict()
    if state.feedback_by(party.other, FeedbackKind.PUBLIC) is not None:
        judge.hold("BOTH_LEFT_FEEDBACK", "Both parties have reviewed, so the reviews are public.", REVIEWS)
        return judge.verdict()
    closes = policy.review_closes(context)
    assert closes is not None  # noqa: S101 - a review exists only where the order could be reviewed
    judge.boundary(closes)
    judge.cond(
        context.at >= closes,
        ("WINDOW_CLOSED", f"The review window closed on {when(closes)}, so the review is public."),
        ("DOUBLE_BLIND", f"Reviews stay hidden until both are in or the window closes on {when(closes)}."),
        REVIEWS,
    )
    return judge.verdict()


_RULES: Final[dict[Question, Callable[[Context, FiverrPolicy], Verdict]]] = {
    Question.END_CONTRACT: _end,
    Question.PUBLIC_FEEDBACK: _review,
    Question.FEEDBACK_PUBLISHED: _published,
}

#: Every built-in version, oldest first. Reviews of cancelled orders date from June 2023.
VERSIONS: Final = (
    FiverrPolicy(
        name="fiverr",
        effective_from=date(2023, 6, 14),
        title="Cancelled orders reviewable when delivered or over 24 hours late; sellers keep 80%",
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

register_policy(*VERSIONS)
