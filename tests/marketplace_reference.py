"""Fiverr's and Freelancer.com's rules as they were written with a :class:`~gigpolicy.authoring.Judge`: the reference.

The built-in rules of :mod:`gigpolicy.policies.fiverr` and :mod:`gigpolicy.policies.freelancer`
that read time or data compute their verdicts directly, for speed (as Upwork's do, against
``tests/upwork_reference.py``). These are the same rules written with a judge, condition by
condition, as a user-written rule is: ``tests/test_reference_rules.py`` checks that both
give equal verdicts, and that the judge would say the same of when each changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from gigpolicy._contract import ContractKind, ContractStatus, Party
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind
from gigpolicy._judge import Judge, settled, when
from gigpolicy._policy import Context, Policy
from gigpolicy._state import ContractState
from gigpolicy.policies import fiverr, freelancer
from gigpolicy.policies.fiverr import CANCELLED_REVIEWS, REVIEWS, FiverrPolicy
from gigpolicy.policies.freelancer import (
    DISPUTES,
    FEEDBACK,
    FEEDBACK_FAQ,
    MARK_COMPLETE,
    MARK_INCOMPLETE,
    FreelancerPolicy,
)

# -- Fiverr ---------------------------------------------------------------------------------------


def _review(context: Context, policy: FiverrPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.status is not ContractStatus.ENDED:
        return settled(fiverr._REVIEWS_NOT_OPEN)
    if party is Party.FREELANCER and state.completed_at is None:
        return settled(fiverr._NO_SELLER_REVIEW)
    closes = policy.review_closes(context)
    if closes is None:
        return settled(fiverr._NOT_REVIEWABLE)
    judge = Judge(context.at)
    judge.hold("ORDER_ENDED", "The order is complete or cancelled.", REVIEWS)
    what = "The buyer's review window" if state.completed_at is not None else "The cancelled order's review window"
    judge.window(closes, what, REVIEWS if state.completed_at is not None else CANCELLED_REVIEWS)
    if party is Party.FREELANCER:  # on a completed order
        judge.cond(
            state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC) is not None,
            ("BUYER_REVIEWED", "The buyer has reviewed, so the seller may review."),
            ("BUYER_FIRST", "The seller may review only after the buyer has."),
            REVIEWS,
        )
    judge.cond(
        state.first_feedback(party, FeedbackKind.PUBLIC) is None,
        ("NOT_YET_LEFT", f"The {party} has not reviewed yet."),
        ("ALREADY_LEFT", f"The {party} already reviewed."),
        REVIEWS,
    )
    return judge.verdict()


def _fiverr_published(context: Context, policy: FiverrPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.feedback_by(party, FeedbackKind.PUBLIC) is None:
        return settled(fiverr._NO_REVIEW[party])
    if state.feedback_by(party.other, FeedbackKind.PUBLIC) is not None:
        return settled(fiverr._BOTH_REVIEWED)
    closes = policy.review_closes(context)
    assert closes is not None  # a review exists only where the order could be reviewed
    judge = Judge(context.at)
    judge.since(
        closes,
        ("WINDOW_CLOSED", f"The review window closed on {when(closes)}, so the review is public."),
        ("DOUBLE_BLIND", f"Reviews stay hidden until both are in or the window closes on {when(closes)}."),
        REVIEWS,
    )
    return judge.verdict()


def _fiverr_respond(context: Context, policy: FiverrPolicy) -> Verdict:
    state = context.state
    if context.party is Party.CLIENT:
        return settled(fiverr._NO_BUYER_RESPONSE)
    if state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC) is None:
        return settled(fiverr._NOTHING_TO_RESPOND_TO)
    if state.completed_at is not None:
        reviewed = state.feedback_by(Party.FREELANCER, FeedbackKind.PUBLIC) is not None
        return settled(fiverr._BOTH_PUBLISHED if reviewed else fiverr._SELLER_NOT_REVIEWED)
    closes = policy.review_closes(context)
    assert closes is not None  # a review exists only where the order could be reviewed
    judge = Judge(context.at)
    judge.since(
        closes,
        ("BUYER_WINDOW_OVER", f"The buyer's review window closed on {when(closes)}, so the seller may respond."),
        ("BUYER_WINDOW_OPEN", f"The seller may respond once the buyer's review window is over, on {when(closes)}."),
        CANCELLED_REVIEWS,
    )
    return judge.verdict()


# -- Freelancer.com -------------------------------------------------------------------------------


def _opened(judge: Judge, context: Context, policy: FreelancerPolicy) -> datetime | None:
    state = context.state
    if policy.feedback_needs_full_payment:
        judge.hold("PROJECT_ENDED", "The project has ended.", FEEDBACK_FAQ)
        opens = policy.feedback_opens(context)
        judge.cond(
            opens is not None,
            ("PAID_IN_FULL", "Every funded milestone was released."),
            ("NOT_PAID_IN_FULL", "Feedback needs the project paid in full: paid, nothing held, nothing returned."),
            FEEDBACK_FAQ,
        )
        return opens
    if state.net_paid:
        judge.hold(
            "PROJECT_ENDED",
            "The project has ended: marking it complete, even after a partial payment, opens feedback.",
            MARK_COMPLETE,
        )
    else:
        judge.hold(
            "PROJECT_ENDED",
            "The project ended with nothing paid, as one marked incomplete: that opens feedback too.",
            MARK_INCOMPLETE,
        )
    return state.ended_at


def _feedback(context: Context, policy: FreelancerPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.status is not ContractStatus.ENDED:
        return settled(freelancer._FEEDBACK_NOT_OPEN)
    judge = Judge(context.at)
    opens = _opened(judge, context, policy)
    if opens is None:
        return judge.verdict()
    if state.feedback_by(party, FeedbackKind.PUBLIC) is not None:
        judge.fail("ALREADY_LEFT", f"The {party} already left feedback, which is final.", FEEDBACK)
        return judge.verdict()
    theirs = state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if theirs is None:
        within = judge.window(opens + policy.feedback_window, "The feedback window", FEEDBACK)
        if within and not _removed(judge, state, party):
            judge.hold("NOT_YET_LEFT", f"The {party} has not left feedback yet.", FEEDBACK)
        return judge.verdict()
    expires = theirs.at + policy.second_feedback_window
    other, left = party.other, when(theirs.at)
    if judge.before(
        expires,
        ("OTHER_LEFT_FEEDBACK", f"The {other} left feedback on {left}: the {party} has until {when(expires)}."),
        ("OPTION_EXPIRED", f"The {party}'s option to leave feedback expired on {when(expires)}, after the {other}'s."),
        FEEDBACK,
    ):
        _removed(judge, state, party)
    return judge.verdict()


def _removed(judge: Judge, state: ContractState, party: Party) -> bool:
    if state.first_feedback(party, FeedbackKind.PUBLIC) is None:
        return False
    judge.fail(
        "ALREADY_LEFT",
        f"The {party} already left feedback, which is final: its removal opens no new feedback.",
        FEEDBACK,
    )
    return True


def _freelancer_published(context: Context, policy: FreelancerPolicy) -> Verdict:
    state, party = context.state, context.party
    mine = state.feedback_by(party, FeedbackKind.PUBLIC)
    if mine is None:
        return settled(freelancer._NO_FEEDBACK[party])
    if state.feedback_by(party.other, FeedbackKind.PUBLIC) is not None:
        return settled(freelancer._BOTH_LEFT)
    judge = Judge(context.at)
    reveal = mine.at + policy.second_feedback_window
    other, shows = party.other, when(reveal)
    judge.since(
        reveal,
        ("REVEALED_AFTER_WAIT", f"The {other}'s option to leave feedback expired on {shows}, so it is public."),
        (
            "DOUBLE_BLIND",
            f"The feedback stays hidden until the {other} leaves theirs or their option expires on {shows}.",
        ),
        FEEDBACK,
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


RULES: Final[dict[type[Policy], dict[Question, Callable[..., Verdict]]]] = {
    FiverrPolicy: {
        Question.PUBLIC_FEEDBACK: _review,
        Question.FEEDBACK_PUBLISHED: _fiverr_published,
        Question.RESPOND_TO_FEEDBACK: _fiverr_respond,
    },
    FreelancerPolicy: {
        Question.PUBLIC_FEEDBACK: _feedback,
        Question.FEEDBACK_PUBLISHED: _freelancer_published,
        Question.OPEN_DISPUTE: _dispute,
    },
}
"""The reference rule of each question whose built-in rule computes its verdict directly, by policy class."""
