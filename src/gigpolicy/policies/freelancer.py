"""Freelancer.com's rules, each citing its public source.

Facts come from the project's research notes (``shared/research/marketplace-policies.md``);
rules marked **unconfirmed** there are parameters with documented defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._contract import ContractKind, ContractStatus
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind
from gigpolicy._fees import MinimumFee
from gigpolicy._judge import Judge, when
from gigpolicy._policy import Context, Policy, Window, register_policy
from gigpolicy._state import ReplayRules

__all__ = ["VERSIONS", "FreelancerPolicy"]

FEEDBACK: Final = "https://www.freelancer.co.uk/support/project/feedback-option?keyword="
FEEDBACK_FAQ: Final = "https://www.freelancer.com.au/faq/topic.php?id=23"
DISPUTES: Final = "https://www.freelancer.com/faq/topic.php?code=disputes"
MILESTONES: Final = "https://www.freelancer.com/support/Payments/how-to-release-a-milestone-payment"
FEES: Final = "https://asiarpa.com/fees-and-charges/"


@attrs.frozen(kw_only=True)
class FreelancerPolicy(Policy):
    """Freelancer.com's rules; every parameter below is a documented default.

    >>> from gigpolicy import get_policy
    >>> get_policy("freelancer").feedback_window
    datetime.timedelta(days=90)
    """

    feedback_window: timedelta = timedelta(days=90)
    """Feedback closes this long after it opens (the end, once everything is paid)."""
    reveal_after: timedelta = timedelta(days=14)
    """A party's feedback goes public this long after they leave it, if the other has not (older FAQ)."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer *question* with the rule function for it; no rule answers no."""
        rule = _RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)

    def feedback_opens(self, context: Context) -> datetime | None:
        """When feedback opened: the end, once the project is paid in full; else ``None``."""
        state = context.state
        if state.ended_at is None or state.escrow or state.escrow_returned:
            return None
        # a bonus settles no milestone, so it neither opens feedback nor moves its window
        paid = [p.at for p in state.payments if p.amount.amount > 0 and p.source != "bonus_paid"]
        if not paid:
            return None  # "paid in full through the Milestone Payment System" needs a payment
        return max([state.ended_at, *paid])

    def windows(self, context: Context) -> tuple[Window, ...]:
        """The feedback window, once it opened."""
        opens = self.feedback_opens(context)
        if opens is None:
            return ()
        return (
            Window(
                code="FEEDBACK",
                label="feedback window",
                opens=opens,
                closes=opens + self.feedback_window,
                source=FEEDBACK,
            ),
        )


def _end(context: Context, policy: FreelancerPolicy) -> Verdict:
    del policy
    judge = Judge(context.at)
    judge.cond(
        context.state.status is not ContractStatus.ENDED,
        ("PROJECT_OPEN", "The project is open and can be ended."),
        ("PROJECT_ENDED", "The project has already ended."),
        FEEDBACK,
    )
    return judge.verdict()


def _paid_in_full(judge: Judge, context: Context, policy: FreelancerPolicy) -> datetime | None:
    state = context.state
    if not judge.cond(
        state.status is ContractStatus.ENDED,
        ("PROJECT_ENDED", "The project has ended."),
        ("PROJECT_OPEN", "Feedback opens when the project is ended and paid in full."),
        FEEDBACK,
    ):
        return None
    opens = policy.feedback_opens(context)
    judge.cond(
        opens is not None,
        ("PAID_IN_FULL", "Every funded milestone was released."),
        ("NOT_PAID_IN_FULL", "Feedback needs the project paid in full: paid, nothing held, nothing returned."),
        FEEDBACK_FAQ,
    )
    return opens


def _feedback(context: Context, policy: FreelancerPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    opens = _paid_in_full(judge, context, policy)
    if opens is not None:
        judge.window(opens + policy.feedback_window, "The feedback window", FEEDBACK)
        judge.cond(
            not any(f.by is party and f.kind is FeedbackKind.PUBLIC for f in state.feedback),
            ("NOT_YET_LEFT", f"The {party} has not left feedback yet."),
            ("ALREADY_LEFT", f"The {party} already left feedback, which is final."),
            FEEDBACK,
        )
    return judge.verdict()


def _published(context: Context, policy: FreelancerPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    mine = state.feedback_by(party, FeedbackKind.PUBLIC)
    if mine is None:
        judge.fail("NO_FEEDBACK", f"The {party} has left no feedback.", FEEDBACK)
        return judge.verdict()
    if state.feedback_by(party.other, FeedbackKind.PUBLIC) is not None:
        judge.hold("BOTH_LEFT_FEEDBACK", "Both parties left feedback, so it is public.", FEEDBACK_FAQ)
        return judge.verdict()
    reveal = mine.at + policy.reveal_after
    judge.boundary(reveal)
    judge.cond(
        context.at >= reveal,
        ("REVEALED_AFTER_WAIT", f"The feedback went public on {when(reveal)}."),
        ("DOUBLE_BLIND", f"The feedback stays hidden until the {party.other} leaves theirs or {when(reveal)}."),
        FEEDBACK_FAQ,
    )
    return judge.verdict()


def _dispute(context: Context, policy: FreelancerPolicy) -> Verdict:
    del policy
    judge = Judge(context.at)
    state = context.state
    judge.cond(
        state.dispute is None,
        ("NO_DISPUTE_OPEN", "No dispute is open."),
        ("DISPUTE_OPEN", "A dispute is already open."),
        DISPUTES,
    )
    judge.cond(
        state.kind is ContractKind.FIXED_PRICE and bool(state.escrow),
        ("UNRELEASED_MILESTONE", f"{state.escrow} of created milestones is unreleased."),
        ("NO_UNRELEASED_MILESTONE", "Disputes are only for unreleased milestone payments."),
        DISPUTES,
    )
    return judge.verdict()


_RULES: Final[dict[Question, Callable[[Context, FreelancerPolicy], Verdict]]] = {
    Question.END_CONTRACT: _end,
    Question.PUBLIC_FEEDBACK: _feedback,
    Question.FEEDBACK_PUBLISHED: _published,
    Question.OPEN_DISPUTE: _dispute,
}

#: Every built-in version, oldest first. The research gives no dates, so one version stands
#: for the rules as documented in 2026.
VERSIONS: Final = (
    FreelancerPolicy(
        name="freelancer",
        effective_from=date(2000, 1, 1),
        title="Feedback once paid in full, for 90 days, final; fee 10% or $5 on fixed-price (unconfirmed), 10% hourly",
        source=FEEDBACK,
        replay_rules=ReplayRules(
            auto_release_after=None, escrow_return_after_freelancer_end=None, escrow_return_after_client_end=None
        ),
        fees=MinimumFee(rate=Decimal("0.10"), minimum=Decimal("5.00")),
        display_threshold=Decimal(0),
    ),
)

register_policy(*VERSIONS)
