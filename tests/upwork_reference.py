"""Upwork's rules as they were written with a :class:`~gigpolicy.authoring.Judge`: the reference.

The built-in rules of :mod:`gigpolicy.policies.upwork` compute their verdicts directly, for
speed. These are the same rules written with a judge, condition by condition, as a user-written
rule is: ``tests/test_reference_rules.py`` checks that both give equal verdicts, and that the
judge would say the same of when each changes, for every question on states drawn at random.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Final

from gigpolicy._contract import ContractKind, ContractStatus, Party
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind
from gigpolicy._judge import Judge, settled, step_ahead, when
from gigpolicy._policy import Context
from gigpolicy._state import ContractState
from gigpolicy.policies.upwork import (
    _ALREADY_ENDED,
    _HOURLY_DISPUTES_ARE_CLIENTS,
    _MAY_END,
    _MAY_END_NOW,
    _NOT_PUBLISHED,
    _NOT_SCORED_YET,
    _NOTHING_TO_REFUND,
    _NOTHING_TO_RESPOND_TO,
    _PRIVATE_NOT_OFFERED,
    _PRIVATE_OFFERED,
    _PUBLIC_NOT_OPEN,
    DISPUTE,
    DORMANT,
    EDIT_FEEDBACK,
    END_CONTRACT,
    ESCROW_REFUND,
    FEEDBACK_REMOVAL,
    FEEDBACK_VISIBILITY,
    GIVE_FEEDBACK,
    HOURLY_DISPUTE,
    JSS,
    JSS_2020_03,
    JSS_2020_11,
    JSS_FACTORS,
    JSS_SUSPENDED,
    MID_CONTRACT,
    PRIVATE_FEEDBACK,
    REFUND,
    RESPOND,
    WORK_HISTORY,
    UpworkPolicy,
    _add_months,
    _last_paid,
    _no_feedback,
    _private_not_open,
    _refused_release,
    _unrefunded,
)


def _ended(judge: Judge, state: ContractState) -> datetime:
    """Hold that the contract ended (the rules that ask give a made verdict before it ends); its end."""
    ended_at = state.ended_at
    assert ended_at is not None
    judge.hold("CONTRACT_ENDED", f"The contract ended on {when(ended_at)}.", END_CONTRACT)
    return ended_at


# Outcomes whose reasons carry no data are made once, at import (`verdict_yes`, `verdict_no`), and
# a rule gives them through `settled` with no judge made: the rule's other branches read as before.
def _end_contract(context: Context, policy: UpworkPolicy) -> Verdict:
    del policy
    state = context.state
    if state.status is ContractStatus.ENDED:
        return settled(_ALREADY_ENDED)
    if state.dormant_at is None:
        return settled(_MAY_END_NOW)
    judge = Judge(context.at)
    judge.hold(*_MAY_END)
    step_ahead(judge, state.dormant_at)  # a step replay takes: no condition here changes then
    judge.hold(
        "DORMANCY_AHEAD",
        f"Without activity, Upwork closes the contract as dormant on {when(state.dormant_at)}.",
        DORMANT,
    )
    return judge.verdict()


def _public_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.status is not ContractStatus.ENDED:
        return settled(_PUBLIC_NOT_OPEN)
    judge = Judge(context.at)
    ended_at = _ended(judge, state)
    mine = state.first_feedback(party, FeedbackKind.PUBLIC)
    if mine is None:
        judge.window(policy.feedback_closes(ended_at), "The feedback window", GIVE_FEEDBACK)
        judge.hold("NOT_YET_LEFT", f"The {party} has not left public feedback yet.", GIVE_FEEDBACK)
    else:
        enabled = [at for by, at in state.edits_enabled if by is party.other and at >= mine.at]
        if enabled:
            judge.window(enabled[0] + policy.edit_window, "The edit the recipient enabled", EDIT_FEEDBACK)
        else:
            judge.fail(
                "ALREADY_LEFT",
                f"The {party} already left public feedback, and the {party.other} has not enabled a change.",
                EDIT_FEEDBACK,
            )
    return judge.verdict()


def _private_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    if state.status is not ContractStatus.ENDED:
        return settled(_private_not_open(policy))
    judge = Judge(context.at)
    judge.cond(
        policy.private_feedback,
        _PRIVATE_OFFERED,
        _PRIVATE_NOT_OFFERED,
        PRIVATE_FEEDBACK if policy.private_feedback else policy.private_feedback_source,
    )
    judge.window(policy.feedback_closes(_ended(judge, state)), "The feedback window", GIVE_FEEDBACK)
    judge.cond(
        state.first_feedback(Party.CLIENT, FeedbackKind.PRIVATE) is None,
        ("NOT_YET_LEFT", "The client has not left private feedback yet."),
        ("ALREADY_LEFT", "The client already left private feedback, which cannot be changed."),
        EDIT_FEEDBACK,
    )
    return judge.verdict()


def _mid_contract_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state = context.state
    judge.cond(
        state.status is not ContractStatus.ENDED,
        ("CONTRACT_OPEN", "Mid-contract feedback is for open contracts."),
        ("CONTRACT_ENDED", "Mid-contract feedback is closed once the contract ends."),
        MID_CONTRACT,
    )
    old_enough = state.started_at + policy.mid_contract_min_age
    age = policy.mid_contract_min_age.days
    judge.since(
        old_enough,
        ("CONTRACT_OLD_ENOUGH", f"The contract started at least {age} days ago."),
        ("CONTRACT_TOO_NEW", f"The contract must be {age} days old ({when(old_enough)})."),
        MID_CONTRACT,
    )
    last = _last_paid(state)
    within = policy.mid_contract_payment_within.days
    recent = ("RECENT_PAYMENT", f"A payment was made in the last {within} days.")
    none_recent = ("NO_RECENT_PAYMENT", f"No payment was made in the last {within} days.")
    if last is None:
        judge.fail(*none_recent, MID_CONTRACT)
    else:
        judge.before(last + policy.mid_contract_payment_within, recent, none_recent, MID_CONTRACT)
    given = state.last_feedback(Party.CLIENT)
    gap = policy.mid_contract_feedback_gap.days
    quiet = ("NO_RECENT_CLIENT_FEEDBACK", f"The client gave no feedback in the last {gap} days.")
    if given is None:
        judge.hold(*quiet, MID_CONTRACT)
    else:
        judge.since(
            given.at + policy.mid_contract_feedback_gap,
            quiet,
            ("RECENT_CLIENT_FEEDBACK", f"The client gave feedback in the last {gap} days."),
            MID_CONTRACT,
        )
    return judge.verdict()


def _revealed(judge: Judge, context: Context, policy: UpworkPolicy, author: Party) -> bool:
    """Double-blind: *author*'s public feedback is revealed once both left theirs or the window closed."""
    state = context.state
    assert state.ended_at is not None
    closes = policy.feedback_closes(state.ended_at)
    other = author.other
    if state.first_feedback(other, FeedbackKind.PUBLIC) is not None:
        judge.hold("BOTH_LEFT_FEEDBACK", "Both parties have left public feedback, so it is revealed.", GIVE_FEEDBACK)
        return True
    shown = when(closes)
    return judge.since(
        closes,
        ("REVEALED_AT_WINDOW_CLOSE", f"The feedback window closed on {shown}, so the feedback is revealed."),
        ("DOUBLE_BLIND", f"Feedback stays hidden until the {other} leaves theirs or the window closes on {shown}."),
        GIVE_FEEDBACK,
    )


def _displayed(judge: Judge, context: Context, policy: UpworkPolicy, what: str, source: str) -> bool:
    # asked several times per evaluation: the one message that is kept is the one formatted
    state = context.state
    threshold = policy.display_threshold
    paid = state.net_paid
    if paid.amount >= threshold:
        judge.hold(
            "NET_PAID_AT_LEAST_THRESHOLD",
            f"Net paid ({paid}) is at least {threshold} {state.currency}, so {what} is shown.",
            source,
        )
        return True
    judge.fail(
        "NET_PAID_BELOW_THRESHOLD",
        f"Net paid ({paid}) is below {threshold} {state.currency}, so {what} is not shown.",
        source,
    )
    return False


def _feedback_published(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    mine = state.feedback_by(party, FeedbackKind.PUBLIC)
    judge = Judge(context.at)
    if mine is None:
        removed = state.first_feedback(party, FeedbackKind.PUBLIC) is not None
        if state.net_paid.amount >= policy.display_threshold:  # `_displayed` holds: its reason is not kept
            return settled(_NOT_PUBLISHED[party, removed])
        judge.fail(*_no_feedback(party, removed))
    else:
        _revealed(judge, context, policy, party)
    _displayed(judge, context, policy, "public feedback", FEEDBACK_VISIBILITY)
    return judge.verdict()


def _respond(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    theirs = state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if theirs is None:
        return settled(_NOTHING_TO_RESPOND_TO[party])
    assert state.ended_at is not None
    judge = Judge(context.at)
    _revealed(judge, context, policy, party.other)
    judge.window(state.ended_at + policy.response_window, "The response period", RESPOND)
    judge.cond(
        not state.has_responded(party),
        ("NOT_YET_RESPONDED", f"The {party} has not responded yet."),
        ("ALREADY_RESPONDED", f"The {party} already responded; a response cannot be changed."),
        RESPOND,
    )
    return judge.verdict()


def _open_dispute(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    judge = Judge(context.at)
    if state.kind is ContractKind.HOURLY:
        if party is Party.FREELANCER:
            return settled(_HOURLY_DISPUTES_ARE_CLIENTS)
        # the answer holds while any week is in review: only the latest week's deadline can change it
        latest = max((week.week_ending for week in state.weeks if not week.disputed), default=None)
        none_in_review = ("NO_WEEK_IN_REVIEW", "No billed week is still in its review period (until Friday 23:59 UTC).")
        if latest is None:
            judge.fail(*none_in_review, HOURLY_DISPUTE)
        else:
            closes = datetime.combine(latest + timedelta(days=policy.hourly_dispute_days), time(0), tzinfo=UTC)
            in_review = ("WEEK_IN_REVIEW", f"Billed hours can be disputed until {when(closes)}.")
            judge.before(closes, in_review, none_in_review, HOURLY_DISPUTE)
        return judge.verdict()
    judge.cond(
        state.dispute is None,
        ("NO_DISPUTE_OPEN", "No dispute is open."),
        ("DISPUTE_OPEN", "A dispute is already open."),
        DISPUTE,
    )
    judge.cond(
        bool(state.escrow),
        ("ESCROW_HELD", f"{state.escrow} is held in escrow."),
        ("NO_ESCROW", "No money is held in escrow."),
        DISPUTE,
    )
    if party is Party.CLIENT:
        judge.hold("CLIENT_MAY_REQUEST_REFUND", "The client may ask for held escrow back.", ESCROW_REFUND)
        return judge.verdict()
    if policy.feedback_before_dispute and state.status is ContractStatus.ENDED:
        # feedback opens only at the end: the requirement is the ended contract's dispute flow
        judge.cond(
            state.feedback_by(Party.FREELANCER, FeedbackKind.PUBLIC) is not None,
            ("FEEDBACK_LEFT", "The freelancer left feedback for the client, which a dispute requires."),
            ("FEEDBACK_REQUIRED", "Leaving feedback for the client is required to file a dispute."),
            DISPUTE,
        )
    if state.status is ContractStatus.ENDED:
        assert state.ended_at is not None
        judge.window(policy.dispute_closes(state), "The freelancer's dispute period", policy.dispute_source)
    else:
        judge.cond(
            _refused_release(state),
            ("RELEASE_REFUSED", "The client asked for changes instead of releasing submitted work."),
            ("NOTHING_REFUSED", "The client has not refused to release submitted work."),
            DISPUTE,
        )
    return judge.verdict()


def _issue_refund(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    paid = state.net_paid
    if not paid:
        return settled(_NOTHING_TO_REFUND)
    judge = Judge(context.at)
    judge.hold("MONEY_PAID", f"{paid} was paid and not refunded.", REFUND)
    days = policy.refund_window.days
    refundable = policy.refundable(state)  # once: refund_closes would find it again
    if not refundable:
        judge.fail("NO_RECENT_PAYMENT", f"Only payments of the last {days} days can be refunded; none is left.", REFUND)
    else:
        newest = _unrefunded(state).newest_left()
        assert newest is not None
        closes = newest + policy.refund_window
        # a release that comes by itself while the window is open pays too, and keeps it open
        for release in sorted(m.release_due for m in state.milestones if m.release_due is not None):
            # a release comes while the window is open, and before any closure as dormant ends the contract
            if release <= closes and (state.dormant_at is None or release <= state.dormant_at):
                closes = max(closes, release + policy.refund_window)
        judge.hold("RECENT_PAYMENTS", f"{refundable} was paid in the last {days} days and can be refunded.", REFUND)
        judge.window(closes, f"The refund period for payments of the last {days} days", REFUND)
    return judge.verdict()


def _work_history(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    _displayed(judge, context, policy, "the contract in the work history", WORK_HISTORY)
    return judge.verdict()


def _job_success(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    if state.status is not ContractStatus.ENDED:
        return settled(_NOT_SCORED_YET)
    judge = Judge(context.at)
    judge.hold("CONTRACT_ENDED", "The contract has ended.", JSS)
    assert state.ended_at is not None
    judge.window(_add_months(state.ended_at, policy.jss_lookback_months), "The score's look-back window", JSS)
    # where the form has no private rating, a recorded private one is not a rating the score reads
    judged = (FeedbackKind.PUBLIC, FeedbackKind.PRIVATE) if policy.private_feedback else (FeedbackKind.PUBLIC,)
    given = tuple(f for f in state.client_feedback() if f.kind in judged)
    if not given:
        removed = any(f.by is Party.CLIENT and f.removed for f in state.feedback)
        judge.cond(
            not policy.jss_exclude_no_feedback,
            ("NO_FEEDBACK_COUNTS", "Contracts ended without feedback still count in this version."),
            (
                "NO_FEEDBACK",
                "Upwork removed the client's feedback, and removed feedback is no feedback."
                if removed
                else "Contracts that end without client feedback do not count.",
            ),
            JSS_2020_11,
        )
        return judge.verdict()
    positive = policy.is_positive(given)
    judge.hold(
        "POSITIVE_FEEDBACK" if positive else "NEGATIVE_FEEDBACK",
        f"The client's feedback is {'positive' if positive else 'negative'} for the score.",
        JSS,
    )
    if positive:
        judge.cond(
            bool(state.net_paid) or not policy.jss_exclude_zero_positive,
            ("EARNED", "The contract earned money, or $0 contracts with positive feedback count in this version."),
            ("ZERO_EARNINGS_POSITIVE", "A $0 contract with positive feedback does not count."),
            JSS_2020_03,
        )
    else:
        _suspension(judge, context, policy)
    return judge.verdict()


def _suspension(judge: Judge, context: Context, policy: UpworkPolicy) -> None:
    """Negative feedback counts unless the client was suspended; say what a report changes."""
    state = context.state
    of_client = [s for s in state.suspensions if s.party is Party.CLIENT]
    reasons = policy.suspension_reasons
    excluding = [s for s in of_client if reasons is None or s.reason in reasons]
    if excluding:
        judge.fail(
            "CLIENT_SUSPENDED",
            "The client was suspended for a Terms of Service violation, so their negative feedback does not "
            "count against you.",
            JSS_SUSPENDED,
        )
        return
    if of_client:
        judge.hold(
            "CLIENT_SUSPENDED_NOT_EXCLUDED",
            f"The client was suspended ({of_client[0].reason}), but this policy excludes negative feedback only "
            f"after suspensions for {', '.join(reasons or ())}, so it counts.",
            JSS_SUSPENDED,
        )
    else:
        judge.hold("CLIENT_IN_GOOD_STANDING", "Negative feedback counts, $0 contracts included.", JSS_FACTORS)
    reported = [at for by, at in state.reports if by is Party.FREELANCER]
    if reported:
        judge.hold(
            "JOB_REPORTED",
            f"You reported the job or the client on {when(reported[0])}. A report alone changes nothing here: "
            "only if Upwork suspends the client for a Terms of Service violation does their negative feedback "
            "stop counting. A review used as a threat can be reported for removal on its own.",
            FEEDBACK_REMOVAL,
        )


RULES: Final[dict[Question, Callable[[Context, UpworkPolicy], Verdict]]] = {
    Question.END_CONTRACT: _end_contract,
    Question.PUBLIC_FEEDBACK: _public_feedback,
    Question.PRIVATE_FEEDBACK: _private_feedback,
    Question.MID_CONTRACT_FEEDBACK: _mid_contract_feedback,
    Question.FEEDBACK_PUBLISHED: _feedback_published,
    Question.RESPOND_TO_FEEDBACK: _respond,
    Question.OPEN_DISPUTE: _open_dispute,
    Question.ISSUE_REFUND: _issue_refund,
    Question.WORK_HISTORY: _work_history,
    Question.JOB_SUCCESS_SCORE: _job_success,
}
