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

from gigpolicy._contract import ENDED, FIXED_PRICE, Party
from gigpolicy._decision import Question, Reason, Verdict, make_reason
from gigpolicy._events import PUBLIC
from gigpolicy._fees import MinimumFee
from gigpolicy._judge import given_no, given_yes, settled, verdict_no, verdict_yes, when, window_reason
from gigpolicy._policy import TIMED_POLICIES, Context, Policy, Window, add_rules, register_policy
from gigpolicy._sources import Source, SourceKind, register_sources
from gigpolicy._state import ContractState, Feedback, ReplayRules

__all__ = ["VERSIONS", "FreelancerPolicy"]

FEEDBACK: Final = "https://www.freelancer.co.uk/support/project/feedback-option?keyword="
MARK_COMPLETE: Final = "https://www.freelancer.com.ru/support/Project/how-do-employers-mark-a-project-as-complete"
MARK_INCOMPLETE: Final = "https://www.fi.freelancer.com/support/Project/marking-projects-as-incomplete"
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
    """Feedback closes this long after it opens (the end), if neither party has left any."""
    second_feedback_window: timedelta = timedelta(days=14)
    """Once one party has left feedback, the other has this long to leave theirs; the first
    feedback is published when that time runs out, if it is still alone."""
    feedback_needs_full_payment: bool = False
    """The older FAQ's reading: feedback opens only on a project ended and paid in full through
    milestones (at the last payment, if that came after the end). The current support pages open
    it at the end whatever was paid."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer *question* with the rule function for it; no rule answers no."""
        rule = _RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)

    def feedback_opens(self, context: Context) -> datetime | None:
        """When feedback opened: the end of the project, whatever was paid; ``None`` while open.

        With ``feedback_needs_full_payment``, ``None`` too until the project is paid in full.
        """
        state = context.state
        if state.ended_at is None or not self.feedback_needs_full_payment:
            return state.ended_at
        if state.escrow or state.escrow_returned:
            return None
        # a bonus settles no milestone, so it neither opens feedback nor moves its window
        paid = [p.at for p in state.payments if p.amount.amount > 0 and p.source != "bonus_paid"]
        if not paid:
            return None  # "paid in full through the Milestone Payment System" needs a payment
        return max([state.ended_at, *paid])

    def windows(self, context: Context) -> tuple[Window, ...]:
        """The feedback window once it opened, and the other party's time once one party left feedback."""
        opens = self.feedback_opens(context)
        if opens is None:
            return ()
        found = [
            Window(
                code="FEEDBACK",
                label="feedback window",
                opens=opens,
                closes=opens + self.feedback_window,
                source=FEEDBACK,
            )
        ]
        first = _first_feedback(context.state)
        if first is not None:
            found.append(
                Window(
                    code="SECOND_FEEDBACK",
                    label=f"the {first.by.other}'s feedback, after the {first.by}'s",
                    opens=first.at,
                    closes=first.at + self.second_feedback_window,
                    party=first.by.other,
                    source=FEEDBACK,
                )
            )
        return tuple(found)


def _first_feedback(state: ContractState) -> Feedback | None:
    """The earlier of the two parties' public feedback, if either left any."""
    left = [f for f in (state.feedback_by(p, PUBLIC) for p in Party) if f is not None]
    return min(left, key=lambda f: f.at, default=None)


# Outcomes whose reasons carry no data are made once, at import (`verdict_yes`, `verdict_no`), and a
# rule gives them through `settled`. The others a rule works out itself, as a judge would give them
# (`given_yes`, `given_no`): `tests/marketplace_reference.py` holds the same rules written with a
# judge, condition by condition, and a test compares both.
_PROJECT_OPEN: Final = verdict_yes(("PROJECT_OPEN", "The project is open and can be ended.", FEEDBACK))
_PROJECT_ENDED: Final = verdict_no(("PROJECT_ENDED", "The project has already ended.", FEEDBACK))


def _end(context: Context, policy: FreelancerPolicy) -> Verdict:
    del policy
    return settled(_PROJECT_OPEN if context.state.status is not ENDED else _PROJECT_ENDED)


_FEEDBACK_NOT_OPEN: Final = verdict_no(
    ("PROJECT_OPEN", "Feedback opens when the project ends, marked complete or incomplete.", MARK_COMPLETE)
)


_ENDED_PAID: Final = (
    make_reason("PROJECT_ENDED", "The project has ended.", FEEDBACK_FAQ),
    make_reason("PAID_IN_FULL", "Every funded milestone was released.", FEEDBACK_FAQ),
)
"""What holds of a project whose feedback opened once it was paid in full (the older FAQ's reading)."""
_NOT_PAID_IN_FULL: Final = verdict_no(
    ("NOT_PAID_IN_FULL", "Feedback needs the project paid in full: paid, nothing held, nothing returned.", FEEDBACK_FAQ)
)
_ENDED_COMPLETE: Final = make_reason(
    "PROJECT_ENDED",
    "The project has ended: marking it complete, even after a partial payment, opens feedback.",
    MARK_COMPLETE,
)
_ENDED_INCOMPLETE: Final = make_reason(
    "PROJECT_ENDED",
    "The project ended with nothing paid, as one marked incomplete: that opens feedback too.",
    MARK_INCOMPLETE,
)
_ALREADY_LEFT: Final = {
    party: verdict_no(("ALREADY_LEFT", f"The {party} already left feedback, which is final.", FEEDBACK))
    for party in Party
}
_REMOVED_STAYS_FINAL: Final = {
    party: make_reason(
        "ALREADY_LEFT",
        f"The {party} already left feedback, which is final: its removal opens no new feedback.",
        FEEDBACK,
    )
    for party in Party
}
_NOT_YET_LEFT: Final = {
    party: make_reason("NOT_YET_LEFT", f"The {party} has not left feedback yet.", FEEDBACK) for party in Party
}
_FEEDBACK_WINDOW: Final = "The feedback window"


def _feedback(context: Context, policy: FreelancerPolicy) -> Verdict:
    # what opened feedback holds; every condition that may fail fails for good, and only a window
    # (the first feedback's, or the other party's time after it) is timed
    state, party, at = context.state, context.party, context.at
    if state.status is not ENDED:
        return settled(_FEEDBACK_NOT_OPEN)
    if policy.feedback_needs_full_payment:
        opens = policy.feedback_opens(context)
        if opens is None:
            return settled(_NOT_PAID_IN_FULL)
        opened: tuple[Reason, ...] = _ENDED_PAID
    else:
        opens = state.ended_at
        opened = (_ENDED_COMPLETE if state.net_paid else _ENDED_INCOMPLETE,)
        if opens is None:  # an ended state built without its end: what held is all a judge would say
            return given_yes(opened)
    if state.feedback_by(party, PUBLIC) is not None:
        return settled(_ALREADY_LEFT[party])
    # a party whose feedback was removed stays final: a removal gives no second one (said only
    # once every other condition held, as a closed window still says why it is closed)
    removed = state.first_feedback(party, PUBLIC) is not None
    theirs = state.feedback_by(party.other, PUBLIC)
    if theirs is None:
        closes = opens + policy.feedback_window
        if closes <= at:
            return given_no((window_reason(closes, _FEEDBACK_WINDOW, FEEDBACK, is_open=False),))
        if removed:
            return given_no((_REMOVED_STAYS_FINAL[party],), (closes,))
        held = (*opened, window_reason(closes, _FEEDBACK_WINDOW, FEEDBACK, is_open=True), _NOT_YET_LEFT[party])
        return given_yes(held, (closes,), closes)
    # the 90 days bound the first feedback only: "If neither party leaves feedback within 90 days"
    expires = theirs.at + policy.second_feedback_window
    other = party.other
    if expires <= at:
        expired = f"The {party}'s option to leave feedback expired on {when(expires)}, after the {other}'s."
        return given_no((make_reason("OPTION_EXPIRED", expired, FEEDBACK),))
    if removed:
        return given_no((_REMOVED_STAYS_FINAL[party],), (expires,))
    until = f"The {other} left feedback on {when(theirs.at)}: the {party} has until {when(expires)}."
    return given_yes((*opened, make_reason("OTHER_LEFT_FEEDBACK", until, FEEDBACK)), (expires,), expires)


_NO_FEEDBACK: Final = {
    party: verdict_no(("NO_FEEDBACK", f"The {party.value} has left no feedback.", FEEDBACK)) for party in Party
}
_BOTH_LEFT: Final = verdict_yes(("BOTH_LEFT_FEEDBACK", "Both parties left feedback, so it is public.", FEEDBACK))


def _published(context: Context, policy: FreelancerPolicy) -> Verdict:
    state, party = context.state, context.party
    mine = state.feedback_by(party, PUBLIC)
    if mine is None:
        return settled(_NO_FEEDBACK[party])
    if state.feedback_by(party.other, PUBLIC) is not None:
        return settled(_BOTH_LEFT)
    # the feedback is the first: it shows when the other party's option to answer it expires
    reveal = mine.at + policy.second_feedback_window
    other, shows = party.other, when(reveal)
    if reveal > context.at:
        hidden = f"The feedback stays hidden until the {other} leaves theirs or their option expires on {shows}."
        return given_no((make_reason("DOUBLE_BLIND", hidden, FEEDBACK),), (reveal,), reveal)
    public = f"The {other}'s option to leave feedback expired on {shows}, so it is public."
    return given_yes((make_reason("REVEALED_AFTER_WAIT", public, FEEDBACK),))


_DISPUTE_OPEN: Final = ("DISPUTE_OPEN", "A dispute is already open.", DISPUTES)
_NO_UNRELEASED: Final = ("NO_UNRELEASED_MILESTONE", "Disputes are only for unreleased milestone payments.", DISPUTES)
_NOT_DISPUTABLE: Final = {
    (False, False): verdict_no(_NO_UNRELEASED),
    (True, False): verdict_no(_DISPUTE_OPEN, _NO_UNRELEASED),
    (True, True): verdict_no(_DISPUTE_OPEN),
}
"""The no of each case where a condition fails, by (a dispute is open, escrow is unreleased): reasons without data."""
_NO_DISPUTE_OPEN: Final = make_reason("NO_DISPUTE_OPEN", "No dispute is open.", DISPUTES)


def _dispute(context: Context, policy: FreelancerPolicy) -> Verdict:
    # no condition reads time: every answer is settled, the yes made anew for the amount it names
    del policy
    state = context.state
    disputed = state.dispute is not None
    unreleased = state.kind is FIXED_PRICE and bool(state.escrow)
    if disputed or not unreleased:
        return settled(_NOT_DISPUTABLE[disputed, unreleased])
    held = make_reason("UNRELEASED_MILESTONE", f"{state.escrow} of created milestones is unreleased.", DISPUTES)
    return given_yes((_NO_DISPUTE_OPEN, held))


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
        title=(
            "Feedback at the end whatever was paid, for 90 days or 14 days after the other party's, final;"
            " fee 10% or $5 on fixed-price (unconfirmed), 10% hourly"
        ),
        source=FEEDBACK,
        replay_rules=ReplayRules(
            auto_release_after=None, escrow_return_after_freelancer_end=None, escrow_return_after_client_end=None
        ),
        fees=MinimumFee(rate=Decimal("0.10"), minimum=Decimal("5.00")),
        display_threshold=Decimal(0),
    ),
)

_CHECKED: Final = date(2026, 12, 5)
"""The day these pages were last read against stored copies (the research notes' update)."""
_UNDATED: Final = " The page gives no date."

#: Every page Freelancer.com's version and rules cite, once each: a new cited page needs an entry here.
SOURCES: Final = (
    Source(
        url=FEEDBACK,
        kind=SourceKind.HELP_CENTER,
        title="Giving project reviews / feedback",
        checked=_CHECKED,
        date_confirmed=False,
        note="Feedback once the project is marked Complete, within 14 days of the other party's and 90 days of"
        " activation; final." + _UNDATED,
    ),
    Source(
        url=MARK_COMPLETE,
        kind=SourceKind.HELP_CENTER,
        title="Marking projects as Complete",
        checked=_CHECKED,
        date_confirmed=False,
        note="Fixed-price projects are Complete when paid in full or ended as complete after a partial payment;"
        " unpaid ones can only be cancelled or marked Incomplete." + _UNDATED,
    ),
    Source(
        url=MARK_INCOMPLETE,
        kind=SourceKind.HELP_CENTER,
        title="Marking projects as Incomplete",
        checked=_CHECKED,
        date_confirmed=False,
        note="Marking a project Incomplete opens the employer's feedback on the freelancer." + _UNDATED,
    ),
    Source(
        url=FEEDBACK_FAQ,
        kind=SourceKind.HELP_CENTER,
        title="Feedback (FAQ topic 23)",
        checked=_CHECKED,
        date_confirmed=False,
        note="The older FAQ: feedback only on projects paid in full through Milestone Payments, within 90 days; it"
        " goes public when the other party leaves theirs or after 14 days." + _UNDATED,
    ),
    Source(
        url=DISPUTES,
        kind=SourceKind.HELP_CENTER,
        title="Dispute Resolution Services",
        checked=_CHECKED,
        date_confirmed=False,
        note="Disputes only over Milestone Payments; the other party has 4 days (a freelancer) or 14 days (a client)"
        " to respond, or the dispute closes for the filer." + _UNDATED,
    ),
    Source(
        url=MILESTONES,
        kind=SourceKind.HELP_CENTER,
        title="Releasing Milestone Payments",
        checked=_CHECKED,
        date_confirmed=False,
        note="Only the employer releases a Milestone Payment; a released one cannot be returned." + _UNDATED,
    ),
    Source(
        url=FEES,
        kind=SourceKind.THIRD_PARTY,
        title="Fees and Charges",
        checked=date(2026, 11, 27),
        date_confirmed=False,
        note="A mirror of Freelancer.com's fee page: the freelancer pays 10% or $5, whichever is greater, on"
        " fixed-price and 10% on hourly; not confirmed on a freelancer.com page. No stored copy was found on"
        " 2026-12-05: checked for the first research notes.",
    ),
)

TIMED_POLICIES.add(FreelancerPolicy)  # every rule says when its answer changes, as its judge would (`changes_at`)
add_rules(FreelancerPolicy, _RULES)  # its `decide` is this lookup
register_policy(*VERSIONS)
register_sources(*SOURCES, cited_by="freelancer")
