"""Upwork's rules, by version, each citing its public source.

Facts come from the project's research notes (``shared/research/marketplace-policies.md``),
which quote Upwork's help center, release notes and moderators. Rules the research marks
**unconfirmed** are parameters with documented defaults.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from operator import attrgetter
from typing import Final

import attrs

from gigpolicy._contract import ContractKind, ContractStatus, Party
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind
from gigpolicy._fees import FlatFee, PerContractFee, TieredFee, _moves
from gigpolicy._judge import Judge, settled, step_ahead, verdict_no, verdict_yes, when
from gigpolicy._money import MAX_AMOUNT, Money, exact_money
from gigpolicy._policy import TIMED_POLICIES, Context, Policy, Window, register_policy
from gigpolicy._sources import Source, SourceKind, register_sources
from gigpolicy._state import ContractState, Feedback, Payment, ReplayRules
from gigpolicy._time import instant_key
from gigpolicy._trusted import BoundedCache

__all__ = ["VERSIONS", "UpworkPolicy"]

_HC: Final = "https://support.upwork.com/hc/en-us/articles/"
END_CONTRACT: Final = _HC + "211068428-End-a-contract"
GIVE_FEEDBACK: Final = _HC + "211068438-Give-feedback"
FEEDBACK_VISIBILITY: Final = _HC + "17975053069331--Leave-feedback-for-your-freelancer"
WORK_HISTORY: Final = (
    "https://community.upwork.com/t5/Freelancers/Contract-ended-as-soon-as-it-started-will-it-affect-my-JSS/td-p/468201"
)
PRIVATE_FEEDBACK: Final = _HC + "211063558-Job-Success-Score"
EDIT_FEEDBACK: Final = _HC + "211062208-Enable-freelancers-to-change-feedback"
RESPOND: Final = _HC + "211068448-Respond-to-or-report-feedback-from-your-client"
MID_CONTRACT: Final = _HC + "360048970493-Mid-Contract-Feedback"
REFUND: Final = _HC + "211068538-Give-a-refund"
ESCROW_REFUND: Final = _HC + "211062058-Get-an-escrow-refund"
DISPUTE: Final = _HC + "211068528"
DISPUTE_2023: Final = (
    "https://community.upwork.com/t5/Product-Release-Notes/"
    "Streamlined-dispute-experience-for-fixed-price-contracts/ba-p/1478163"
)
HOURLY_DISPUTE: Final = _HC + "211062158-Dispute-an-agency-or-freelancer-s-hours"
AUTO_RELEASE: Final = _HC + "17974824831507"
FEES: Final = _HC + "211062538-Freelancer-Service-Fees"
JSS: Final = _HC + "34958134307475-Job-Success-Score"
JSS_2020_03: Final = (
    "https://community.upwork.com/t5/Announcements/Job-size-will-now-be-factored-into-your-JSS/m-p/709289"
)
JSS_2020_11: Final = (
    "https://community.upwork.com/t5/Announcements/"
    "No-feedback-contracts-no-longer-impact-Job-Success-Score-JSS/m-p/831998/highlight/true"
)
JSS_2023_12: Final = (
    "https://community.upwork.com/t5/Bulletin-Board/Job-Success-Score-Update-December-2023/m-p/1491817/highlight/true"
)
JSS_SUSPENDED: Final = _HC + "41946128518035-What-should-I-know-about-my-Job-Success-Score-JSS"
JSS_FACTORS: Final = _HC + "38439816969875-What-factors-affect-my-Job-Success-Score"
LEAVE_FEEDBACK: Final = _HC + "211062188-Leave-feedback-for-your-freelancer"
DORMANT: Final = _HC + "360000990208-Contracts-Gone-Dormant"
FEES_2025: Final = _HC + "211062538-Learn-about-the-Freelancer-Service-Fee"
FEEDBACK_REMOVAL: Final = _HC + "219801228-Feedback-Removal"
PROHIBITED_JOBS: Final = _HC + "1500007578942-What-kind-of-jobs-aren-t-allowed-on-Upwork"


@attrs.frozen(kw_only=True)
class UpworkPolicy(Policy):
    """One version of Upwork's rules; every parameter below is a documented default.

    >>> from gigpolicy import get_policy
    >>> get_policy("upwork").feedback_window_days
    14
    """

    feedback_window_days: int = 14
    """End-of-contract feedback closes at 00:00 UTC on the day after the last of these days."""
    private_feedback: bool = True
    """Clients leave a private 0-10 rating at the end. From the 2025-05-01 version it is ``False``: the
    help article on leaving feedback says the private rating was replaced by an optional private note
    (undated, so placed in that version: **unconfirmed**), and the success score judges the public
    rating alone."""
    private_feedback_source: str = LEAVE_FEEDBACK
    """Where the removal of the private rating is documented: cited when ``private_feedback`` is ``False``
    (the rating itself cites the success-score article that describes it)."""
    edit_window: timedelta = timedelta(days=14)
    """Once the recipient enables an edit, the author has this long to change public feedback."""
    response_window: timedelta = timedelta(days=28)
    """A response to feedback is posted within this long after the end."""
    mid_contract_min_age: timedelta = timedelta(days=30)
    mid_contract_payment_within: timedelta = timedelta(days=30)
    mid_contract_feedback_gap: timedelta = timedelta(days=30)
    refund_window: timedelta = timedelta(days=180)
    """The freelancer may refund payments made within this long before, up to their net."""
    freelancer_dispute_window: timedelta = timedelta(days=7)
    """After the end, the freelancer disputes held escrow within this long."""
    dispute_source: str = ESCROW_REFUND
    """Where the freelancer's dispute period after the end is documented (the escrow refund request
    before 2023-12-05, the streamlined dispute flow from then)."""
    client_dispute_response: timedelta = timedelta(days=7)
    """How long the client has to answer a freelancer's dispute (5 days from 2023-12-05)."""
    feedback_before_dispute: bool = False
    """The freelancer must leave feedback for the client before filing a fixed-price dispute (from
    the 2025-05-01 version; undated in its source: **unconfirmed** date)."""
    dormancy_notices: tuple[timedelta, ...] = (timedelta(days=14), timedelta(days=7))
    """How long before a dormancy closure Upwork notifies both parties (shown on the timeline)."""
    hourly_dispute_days: int = 6
    """The client disputes a week's hours until 00:00 UTC this many days after its Sunday (Friday 23:59:59)."""
    suspension_reasons: tuple[str, ...] | None = None
    """Suspension reasons that keep a client's negative feedback out of the success score; ``None``
    (the default) counts every suspension of the client, whatever its reason text, since fraud and
    scams are Terms of Service violations too. A tuple narrows it to those reasons."""
    jss_lookback_months: int = 24
    jss_positive_public: Decimal = Decimal("4.0")
    """A public rating at least this high is positive (the real threshold is not published)."""
    jss_positive_private: Decimal = Decimal(7)
    """A private rating at least this high is positive (the real threshold is not published); not
    read where ``private_feedback`` is ``False``."""
    jss_weigh_by_earnings: bool = True
    jss_exclude_zero_positive: bool = True
    """$0 contracts with positive feedback do not count (from 2020-03-01)."""
    jss_exclude_no_feedback: bool = True
    """Contracts ended without feedback do not count (from 2020-11-08)."""
    jss_min_clients: int = 2
    jss_min_jobs: int = 2
    jss_earnings_bands: tuple[tuple[Decimal | None, Decimal], ...] = (
        (Decimal(250), Decimal(1)),
        (Decimal(1000), Decimal("1.25")),
        (None, Decimal("1.5")),
    )
    """A job's base weight by net earnings: up to $250 weighs 1, up to $1,000 1.25, more 1.5."""
    jss_length_period: timedelta = timedelta(days=91)
    """Each further period of this length with a payment adds 1 to the weight ("3 months")."""
    jss_max_weight: Decimal = Decimal(8)

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer *question* with the rule function for it."""
        return _RULES[question](context, self)

    def windows(self, context: Context) -> tuple[Window, ...]:
        """Every window of the contract: feedback, responses, disputes, releases, refunds, hours."""
        state = context.state
        found: list[Window] = []
        if state.ended_at is not None:
            end = state.ended_at
            found.append(
                Window(
                    code="FEEDBACK",
                    label="feedback window",
                    opens=end,
                    closes=self.feedback_closes(end),
                    source=GIVE_FEEDBACK,
                )
            )
            found.append(
                Window(
                    code="RESPONSE",
                    label="responses to feedback",
                    opens=end,
                    closes=end + self.response_window,
                    source=RESPOND,
                )
            )
            if state.kind is ContractKind.FIXED_PRICE and state.escrow:
                found.append(
                    Window(
                        code="DISPUTE",
                        label="freelancer may dispute escrow",
                        opens=end,
                        closes=self.dispute_closes(state),
                        party=Party.FREELANCER,
                        source=self.dispute_source,
                    )
                )
            if state.escrow_return_due is not None:
                found.append(
                    Window(
                        code="ESCROW_RETURN",
                        label="escrow returns to the client",
                        opens=end,
                        closes=state.escrow_return_due,
                        source=ESCROW_REFUND,
                    )
                )
        for milestone in state.milestones:
            if milestone.release_due is not None and milestone.submitted_at is not None:
                found.append(
                    Window(
                        code="AUTO_RELEASE",
                        label=f"{milestone.id} releases by itself",
                        opens=milestone.submitted_at,
                        closes=milestone.release_due,
                        source=AUTO_RELEASE,
                    )
                )
        for week in state.weeks:
            closes = datetime.combine(week.week_ending + timedelta(days=self.hourly_dispute_days), time(0), tzinfo=UTC)
            found.append(
                Window(
                    code="HOURS_REVIEW",
                    label=f"client may dispute week {week.week_ending}",
                    opens=week.billed_at,
                    closes=closes,
                    party=Party.CLIENT,
                    source=HOURLY_DISPUTE,
                )
            )
        payments = [p.at for p in state.payments if p.amount.amount > 0]
        refund_closes = self.refund_closes(state)
        if payments and refund_closes is not None:
            found.append(
                Window(
                    code="REFUND",
                    label="freelancer may refund",
                    opens=payments[0],
                    closes=refund_closes,
                    party=Party.FREELANCER,
                    source=REFUND,
                )
            )
        if state.dormant_at is not None and state.inactive_since is not None:
            found.append(
                Window(
                    code="DORMANCY",
                    label="90 days without activity",
                    opens=state.inactive_since,
                    closes=state.dormant_at,
                    source=DORMANT,
                )
            )
            for before in self.dormancy_notices:
                found.append(
                    Window(
                        code="DORMANCY_NOTICE",
                        label=f"{before.days}-day notice of the dormancy closure",
                        opens=max(state.dormant_at - before, state.inactive_since),
                        closes=state.dormant_at,
                        source=DORMANT,
                    )
                )
        return tuple(sorted(found, key=lambda window: (window.opens, window.closes, window.code)))

    def refundable(self, state: ContractState) -> Money:
        """What the freelancer may still refund at ``state.at``.

        That is what is left of the payments of the last ``refund_window``, once every refund
        was taken from the newest payments before it and every disputed week from its own
        invoice; and no more than net paid.

        >>> from gigpolicy import get_policy, load, replay
        >>> record = load("examples/records/fixed-price-auto-release.json")
        >>> policy = get_policy("upwork")
        >>> policy.refundable(replay(record, at=datetime(2026, 12, 1, tzinfo=UTC), policy=policy))
        Money(amount=Decimal('3600.00'), currency='EUR')
        """
        recent = _unrefunded(state).left_since(state.at - self.refund_window)
        left = min(recent, state.net_paid.amount)
        if not left:
            return Money.zero(state.currency)
        if left >= MAX_AMOUNT:  # sums may pass what an amount may be: refused as Money refuses it
            return Money(amount=left, currency=state.currency)
        return exact_money(left, state.currency)  # a sum of amounts of the currency, exact in it

    def refund_closes(self, state: ContractState) -> datetime | None:
        """The first instant from ``state.at`` at which nothing is left to refund, with no new event.

        With no new event what is left of each payment stays as it is, so the answer closes when
        the newest payment with something left leaves the window. ``None`` if nothing can be
        refunded now.
        """
        if not self.refundable(state):
            return None
        newest = _unrefunded(state).newest_left()
        assert newest is not None  # noqa: S101 - something is refundable, so some payment has something left
        return newest + self.refund_window

    def dispute_closes(self, state: ContractState) -> datetime:
        """When the freelancer's period to dispute held escrow after the end closes.

        That is when the escrow returns by itself (7 days after a client's end, 14 after a
        dormancy closure), else ``freelancer_dispute_window`` after the end.
        """
        assert state.ended_at is not None  # noqa: S101 - asked only of ended contracts
        if state.escrow_return_due is not None:
            return state.escrow_return_due
        return state.ended_at + self.freelancer_dispute_window

    def feedback_closes(self, ended_at: datetime) -> datetime:
        """When end-of-contract feedback closes for a contract ended at *ended_at*.

        >>> from gigpolicy import get_policy
        >>> get_policy("upwork").feedback_closes(datetime(2026, 11, 3, 9, tzinfo=UTC))
        datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.timezone.utc)
        """
        # asked by several rules per state: found once, by the instant (not the datetime itself:
        # the two instants of a zone's repeated hour compare equal)
        key = (instant_key(ended_at), self.feedback_window_days)
        closes = _FEEDBACK_CLOSES.get(key)
        if closes is None:
            day = ended_at.astimezone(UTC).date() + timedelta(days=self.feedback_window_days + 1)
            closes = _FEEDBACK_CLOSES.remember(key, datetime.combine(day, time(0), tzinfo=UTC))
        return closes

    def score_minimums(self) -> tuple[int, int]:
        """How many counted jobs and distinct clients a Job Success Score needs."""
        return self.jss_min_jobs, self.jss_min_clients

    def job_weight(self, state: ContractState) -> Decimal:
        """A counted job's weight: its earnings band plus one per further 3-month period with a payment.

        Without weighing by earnings (before 2020-03-01) every job weighs 1.
        """
        if not self.jss_weigh_by_earnings:
            return Decimal(1)
        earned = state.net_paid.amount
        weight = self.jss_earnings_bands[-1][1]
        for up_to, band in self.jss_earnings_bands:
            if up_to is not None and earned <= up_to:
                weight = band
                break
        start = state.started_at
        periods = {int((p.at - start) / self.jss_length_period) for p in state.payments if p.amount.amount > 0}
        return min(weight + max(len(periods) - 1, 0), self.jss_max_weight)

    def is_positive(self, feedback: tuple[Feedback, ...]) -> bool:
        """Whether the client's end-of-contract feedback counts as positive for the success score."""
        public = [f.rating for f in feedback if f.kind is FeedbackKind.PUBLIC]
        # where the form has no private rating, the score judges the public rating alone
        private = [f.rating for f in feedback if f.kind is FeedbackKind.PRIVATE and self.private_feedback]
        return (not public or public[-1] >= self.jss_positive_public) and (
            not private or private[-1] >= self.jss_positive_private
        )


_FEEDBACK_CLOSES: Final[BoundedCache[tuple[timedelta, int], datetime]] = BoundedCache(4096)
"""When feedback closes, by the instant of the end (``instant_key``) and the window's days."""


class _Unrefunded:
    """Each payment to the freelancer with what is left of it after the refunds, oldest first.

    A refund is taken from the newest payments made before it; a disputed week takes back its
    own invoice, and what had been refunded of that invoice comes out of the other payments
    (the same matching as the fees returned with refunds).

    Looking ahead, ``until`` asks about one state after another whose payments only grow by the
    automatic releases: the matching of the last state asked about is kept, and extended by the
    new payments when the payments before them and the refunds are the same ones, so that a
    long look-ahead over a long history stays linear.
    """

    __slots__ = ("instants", "left", "newest", "payments", "refunds", "totals")

    def __init__(self, payments: tuple[Payment, ...], refunds: tuple[Payment, ...]) -> None:
        self.payments = payments
        self.refunds = refunds
        self.instants: list[datetime] = []
        self.left: list[Decimal] = []
        invoices: dict[str, int] = {}
        for at, is_refund, move in _moves(payments, refunds):  # the order the fees are charged in
            amount = -move.amount.amount if is_refund else move.amount.amount
            reference = None if is_refund else move.reference
            if amount > 0:
                if reference is not None:
                    invoices[reference] = len(self.left)
                self.instants.append(at)
                self.left.append(amount)
                continue
            owed = -amount
            own = invoices.get(reference) if reference is not None else None
            if own is not None:  # a disputed week: its own invoice first
                taken = min(owed, self.left[own])
                self.left[own] -= taken
                owed -= taken
            for index in range(len(self.left) - 1, -1, -1):
                if not owed:
                    break
                taken = min(owed, self.left[index])
                self.left[index] -= taken
                owed -= taken
        self.totals = [Decimal(0), *accumulate(self.left)]
        """``totals[i]`` is what is left of the first *i* payments."""
        self.newest = next((i for i in range(len(self.left) - 1, -1, -1) if self.left[i]), None)
        """The position of the newest payment with something left."""

    def extended(self, payments: tuple[Payment, ...], refunds: tuple[Payment, ...]) -> bool:
        """Take the payments added since, if nothing else changed; whether that was possible."""
        known = len(self.payments)
        if refunds != self.refunds or payments[:known] != self.payments:
            return False
        added = payments[known:]
        last_refund = self.refunds[-1].at if self.refunds else None
        if any(p.amount.amount <= 0 or (last_refund is not None and p.at <= last_refund) for p in added):
            return False  # a reversal, or a payment the refunds may take from: match them all again
        for payment in added:
            self.instants.append(payment.at)
            self.left.append(payment.amount.amount)
            self.totals.append(self.totals[-1] + payment.amount.amount)
            self.newest = len(self.left) - 1
        self.payments = payments
        return True

    def left_since(self, since: datetime) -> Decimal:
        """What is left of the payments made after *since*."""
        return self.totals[-1] - self.totals[bisect_right(self.instants, since)]

    def newest_left(self) -> datetime | None:
        """When the newest payment with something left was made."""
        return None if self.newest is None else self.instants[self.newest]


def _unrefunded(state: ContractState) -> _Unrefunded:
    """The matching of *state*'s refunds to its payments, reusing the last one where it can."""
    kept = _KEPT_UNREFUNDED
    last = kept.unrefunded
    if kept.state is state and last is not None:
        return last
    if last is None or not last.extended(state.payments, state.refunds):
        last = _Unrefunded(state.payments, state.refunds)
    kept.state, kept.unrefunded = state, last
    return last


class _KeptUnrefunded(threading.local):
    """The last matching made, per thread: ``extended`` changes it in place, so no two threads share one."""

    def __init__(self) -> None:
        self.state: ContractState | None = None
        self.unrefunded: _Unrefunded | None = None


_KEPT_UNREFUNDED: Final = _KeptUnrefunded()


def _last_paid(state: ContractState) -> datetime | None:
    """When the last payment of money (not a dispute's reversal) was made; found from the end."""
    for payment in reversed(state.payments):
        if payment.amount.amount > 0:
            return payment.at
    return None


def _not_ended(what: str) -> tuple[str, str, str]:
    return ("CONTRACT_NOT_ENDED", f"{what} opens only when the contract ends.", END_CONTRACT)


def _ended(judge: Judge, state: ContractState) -> datetime:
    """Hold that the contract ended (the rules that ask give a made verdict before it ends); its end."""
    ended_at = state.ended_at
    assert ended_at is not None  # noqa: S101 - an ended contract has an end
    judge.hold("CONTRACT_ENDED", f"The contract ended on {when(ended_at)}.", END_CONTRACT)
    return ended_at


# Outcomes whose reasons carry no data are made once, at import (`verdict_yes`, `verdict_no`), and
# a rule gives them through `settled` with no judge made: the rule's other branches read as before.
_MAY_END: Final = ("EITHER_PARTY_MAY_END", "Either party may end a contract at any time.", END_CONTRACT)
_MAY_END_NOW: Final = verdict_yes(_MAY_END)
_ALREADY_ENDED: Final = verdict_no(("ALREADY_ENDED", "The contract has already ended.", END_CONTRACT))


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


_PUBLIC_NOT_OPEN: Final = verdict_no(_not_ended("End-of-contract feedback"))


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


_PRIVATE_OFFERED: Final = (
    "PRIVATE_FEEDBACK_OFFERED",
    "Clients rate freelancers privately (0-10) when a contract ends, $0 ones too.",
)
_PRIVATE_NOT_OFFERED: Final = (
    "PRIVATE_FEEDBACK_NOT_OFFERED",
    (
        "The feedback form has no private rating: the client leaves a 1-5 public rating and may add "
        "a private note, which is not a rating."
    ),
)
_PRIVATE_NOT_OPEN: Final[BoundedCache[str | None, Verdict]] = BoundedCache(256)
"""The answer before the end, by the source of the missing rating (``None`` where it is offered)."""


def _private_not_open(policy: UpworkPolicy) -> Verdict:
    missing = None if policy.private_feedback else policy.private_feedback_source
    found = _PRIVATE_NOT_OPEN.get(missing)
    if found is None:
        not_ended = _not_ended("Private feedback")
        reasons = (not_ended,) if missing is None else ((*_PRIVATE_NOT_OFFERED, missing), not_ended)
        found = _PRIVATE_NOT_OPEN.remember(missing, verdict_no(*reasons))
    return found


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
    assert state.ended_at is not None  # noqa: S101 - feedback exists only on ended contracts
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


def _no_feedback(party: Party, removed: bool) -> tuple[str, str, str]:
    if removed:
        return ("FEEDBACK_REMOVED", f"Upwork removed the {party.value}'s public feedback.", GIVE_FEEDBACK)
    return ("NO_FEEDBACK", f"The {party.value} has left no public feedback.", GIVE_FEEDBACK)


_NOT_PUBLISHED: Final = {
    (party, removed): verdict_no(_no_feedback(party, removed)) for party in Party for removed in (False, True)
}
"""No feedback to show, while the amount shows: the one reason kept."""


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


_NOTHING_TO_RESPOND_TO: Final = {
    party: verdict_no(("NO_FEEDBACK_TO_RESPOND_TO", f"The {party.other.value} has left no public feedback.", RESPOND))
    for party in Party
}


def _respond(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    theirs = state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if theirs is None:
        return settled(_NOTHING_TO_RESPOND_TO[party])
    assert state.ended_at is not None  # noqa: S101 - public feedback exists only on ended contracts
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


_HOURLY_DISPUTES_ARE_CLIENTS: Final = verdict_no(
    ("HOURLY_DISPUTES_ARE_CLIENTS", "On hourly contracts only the client disputes (billed hours).", HOURLY_DISPUTE)
)


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
        assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
        judge.window(policy.dispute_closes(state), "The freelancer's dispute period", policy.dispute_source)
    else:
        judge.cond(
            _refused_release(state),
            ("RELEASE_REFUSED", "The client asked for changes instead of releasing submitted work."),
            ("NOTHING_REFUSED", "The client has not refused to release submitted work."),
            DISPUTE,
        )
    return judge.verdict()


def _refused_release(state: ContractState) -> bool:
    """Whether the client sent back submitted work that escrow still holds.

    Looked up at every automatic step ahead: a pass in C over the flags first, then the escrow
    of the milestones sent back, of which there are few.
    """
    if not any(map(_CHANGES_REQUESTED, state.milestones)):
        return False
    return any(m.changes_requested and m.escrow for m in state.milestones)


_CHANGES_REQUESTED: Final = attrgetter("changes_requested")


_NOTHING_TO_REFUND: Final = verdict_no(("NOTHING_PAID", "Nothing was paid that could be refunded.", REFUND))


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
        assert newest is not None  # noqa: S101 - something is refundable, so some payment has something left
        judge.hold("RECENT_PAYMENTS", f"{refundable} was paid in the last {days} days and can be refunded.", REFUND)
        judge.window(newest + policy.refund_window, f"The refund period for payments of the last {days} days", REFUND)
    return judge.verdict()


def _work_history(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    _displayed(judge, context, policy, "the contract in the work history", WORK_HISTORY)
    return judge.verdict()


def _add_months(instant: datetime, months: int) -> datetime:
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    day = instant.day
    while True:
        try:
            return instant.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


_NOT_SCORED_YET: Final = verdict_no(
    ("CONTRACT_OPEN", "An open contract counts only as a long-term job, which this rule does not model.", JSS)
)


def _job_success(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    if state.status is not ContractStatus.ENDED:
        return settled(_NOT_SCORED_YET)
    judge = Judge(context.at)
    judge.hold("CONTRACT_ENDED", "The contract has ended.", JSS)
    assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
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


_RULES: Final[dict[Question, Callable[[Context, UpworkPolicy], Verdict]]] = {
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

_2016: Final = UpworkPolicy(
    name="upwork",
    effective_from=date(2016, 6, 21),
    title="Sliding freelancer fee (20% / 10% / 5% by billings with the client); private feedback at the end",
    source=FEES,
    prohibited_work_source=PROHIBITED_JOBS,
    fees=TieredFee(
        tiers=((Decimal(500), Decimal("0.20")), (Decimal(10_000), Decimal("0.10")), (None, Decimal("0.05")))
    ),
    jss_weigh_by_earnings=False,
    jss_exclude_zero_positive=False,
    jss_exclude_no_feedback=False,
    jss_min_clients=3,
    jss_min_jobs=4,
)
_2020_03: Final = attrs.evolve(
    _2016,
    effective_from=date(2020, 3, 1),
    title="Success score weighs jobs by earnings; $0 contracts with positive feedback no longer count",
    source=JSS_2020_03,
    jss_weigh_by_earnings=True,
    jss_exclude_zero_positive=True,
)
_2020_11: Final = attrs.evolve(
    _2020_03,
    effective_from=date(2020, 11, 8),
    title="Contracts ended without feedback no longer count; 2 distinct clients needed",
    source=JSS_2020_11,
    jss_exclude_no_feedback=True,
    jss_min_clients=2,
)
_2023_05: Final = attrs.evolve(
    _2020_11,
    effective_from=date(2023, 5, 3),
    title="Flat 10% freelancer fee",
    source=FEES,
    fees=FlatFee(rate=Decimal("0.10")),
)
_2023_12: Final = attrs.evolve(
    _2023_05,
    effective_from=date(2023, 12, 5),
    title="Fixed-price disputes within 7 days of the end, client answers in 5; a score needs 2 jobs",
    source=DISPUTE_2023,
    dispute_source=DISPUTE_2023,
    client_dispute_response=timedelta(days=5),
    jss_min_jobs=2,
)

_2025_05: Final = attrs.evolve(
    _2023_12,
    effective_from=date(2025, 5, 1),
    title=(
        "Fee set per contract (0-15%, fixed at the start); no private rating; dormant fixed-price contracts"
        " closed after 90 days; feedback before a fixed-price dispute"
    ),
    source=FEES_2025,
    fees=PerContractFee(default=FlatFee(rate=Decimal("0.10")), maximum=Decimal("0.15"), started_from=date(2025, 5, 1)),
    private_feedback=False,
    feedback_before_dispute=True,
    replay_rules=ReplayRules(dormant_after=timedelta(days=90), dormancy_counts_from=datetime(2025, 5, 1, tzinfo=UTC)),
)
"""From 2025-05-01, the date third-party sources give for the per-contract fee (no Upwork page
shows it: **unconfirmed**). The removal of the private rating, dormancy closures and feedback
before a dispute are undated in their sources and placed here."""

#: Every built-in version, oldest first.
VERSIONS: Final = (_2016, _2020_03, _2020_11, _2023_05, _2023_12, _2025_05)

_CHECKED: Final = date(2026, 12, 5)
"""The day these pages were last read against stored copies (the research notes' update)."""
_UNDATED: Final = " The page gives no date."

#: Every page Upwork's versions and rules cite, once each: a new cited page needs an entry here.
SOURCES: Final = (
    Source(
        url=END_CONTRACT,
        kind=SourceKind.HELP_CENTER,
        title="End a contract",
        checked=_CHECKED,
        date_confirmed=False,
        note="Either party may end a contract at any time; a freelancer's end returns fixed-price escrow to the"
        " client." + _UNDATED,
    ),
    Source(
        url=GIVE_FEEDBACK,
        kind=SourceKind.HELP_CENTER,
        title="Give feedback",
        checked=_CHECKED,
        date_confirmed=False,
        note="14 days from the end to leave feedback, until midnight UTC; double-blind, posted when the period"
        " expires." + _UNDATED,
    ),
    Source(
        url=FEEDBACK_VISIBILITY,
        kind=SourceKind.HELP_CENTER,
        title="Leave feedback for your freelancer",
        checked=_CHECKED,
        date_confirmed=False,
        note="Public feedback needs a net contract payment of $1 to be visible; private feedback cannot be edited."
        + _UNDATED,
    ),
    Source(
        url=WORK_HISTORY,
        kind=SourceKind.MODERATOR,
        title="Contract ended as soon as it started, will it affect my JSS?",
        checked=_CHECKED,
        date_confirmed=False,
        note="A moderator: a contract shows in Work History & Feedback only if at least $1 was paid, and may still"
        " count in the score." + _UNDATED,
    ),
    Source(
        url=PRIVATE_FEEDBACK,
        kind=SourceKind.HELP_CENTER,
        title="Job Success Score",
        checked=_CHECKED,
        date_confirmed=False,
        note="The older client article: private feedback is the reason for ending and a 0-10 recommendation score."
        + _UNDATED,
    ),
    Source(
        url=EDIT_FEEDBACK,
        kind=SourceKind.HELP_CENTER,
        title="Enable freelancers to change feedback",
        checked=_CHECKED,
        date_confirmed=False,
        note="Changes are enabled once per contract: 14 days to decide, then 14 days to edit; private feedback"
        " cannot be edited." + _UNDATED,
    ),
    Source(
        url=RESPOND,
        kind=SourceKind.HELP_CENTER,
        title="Respond to or report feedback from your client",
        checked=_CHECKED,
        date_confirmed=False,
        note="One response per feedback, within 28 days of the end, not editable." + _UNDATED,
    ),
    Source(
        url=MID_CONTRACT,
        kind=SourceKind.HELP_CENTER,
        title="Mid-Contract Feedback",
        checked=_CHECKED,
        date_confirmed=False,
        note="A contract 30 days old, a payment in the last 30 days, no client feedback in the last 30 days."
        + _UNDATED,
    ),
    Source(
        url=REFUND,
        kind=SourceKind.HELP_CENTER,
        title="Give a refund",
        checked=_CHECKED,
        date_confirmed=False,
        note="Refunds of payments made in the last 180 days, up to the contract's net transactions; the stored copy"
        " is at the article's address without its title." + _UNDATED,
    ),
    Source(
        url=ESCROW_REFUND,
        kind=SourceKind.HELP_CENTER,
        title="Get an escrow refund",
        checked=_CHECKED,
        date_confirmed=False,
        note="The freelancer has seven days to approve or dispute the client's escrow refund request; no answer"
        " approves it." + _UNDATED,
    ),
    Source(
        url=DISPUTE,
        kind=SourceKind.HELP_CENTER,
        title="Dispute non-release of a milestone payment",
        checked=_CHECKED,
        date_confirmed=False,
        note="When a freelancer may dispute held escrow; the stored copy is at the article's address with its"
        " title." + _UNDATED,
    ),
    Source(
        url=DISPUTE_2023,
        kind=SourceKind.RELEASE_NOTE,
        title="Streamlined dispute experience for fixed-price contracts",
        checked=_CHECKED,
        date_confirmed=True,
        note="Release date: December 5, 2023. Freelancers file within 7 days of the end; clients answer within 5 days.",
        versions=("upwork@2023-12-05",),
    ),
    Source(
        url=HOURLY_DISPUTE,
        kind=SourceKind.HELP_CENTER,
        title="Dispute an agency or freelancer's hours",
        checked=_CHECKED,
        date_confirmed=False,
        note="Clients dispute a week's hours from Monday noon until Friday midnight UTC; the stored copy is at"
        " .../211062158-Dispute-a-Freelancer-s-Hours." + _UNDATED,
    ),
    Source(
        url=AUTO_RELEASE,
        kind=SourceKind.HELP_CENTER,
        title="Review and pay for fixed-price contracts and milestones",
        checked=_CHECKED,
        date_confirmed=False,
        note="Submitted work is approved and paid automatically after 14 days without action." + _UNDATED,
    ),
    Source(
        url=FEES,
        kind=SourceKind.HELP_CENTER,
        title="Freelancer Service Fees",
        checked=_CHECKED,
        date_confirmed=True,
        note="The copy at this address shows the sliding 20/10/5% fee without a date; other copies of the same"
        " article give June 21, 2016 for new contracts (.../211062538-Upwork-Service-Fee) and the flat 10% with"
        " 5% contracts kept 'on or before May 3, 2023' (.../211062538-Freelancer-Service-Fees%C2%A0).",
        versions=("upwork@2016-06-21", "upwork@2023-05-03"),
    ),
    Source(
        url=JSS,
        kind=SourceKind.HELP_CENTER,
        title="Job Success Score",
        checked=_CHECKED,
        date_confirmed=False,
        note="2 clients and 2 eligible jobs within 24 months, updated daily; earnings weights 1, 1.25 and 1.5, one"
        " more per 3 months with payment, up to 8." + _UNDATED,
    ),
    Source(
        url=JSS_2020_03,
        kind=SourceKind.RELEASE_NOTE,
        title="Job size will now be factored into your JSS",
        checked=_CHECKED,
        date_confirmed=True,
        note="'As of today, March 1st' scores weigh jobs by earnings and leave out $0 contracts with positive"
        " feedback. The stored copies are of other messages of the same thread.",
        versions=("upwork@2020-03-01",),
    ),
    Source(
        url=JSS_2020_11,
        kind=SourceKind.RELEASE_NOTE,
        title="No feedback contracts no longer impact Job Success Score (JSS)",
        checked=_CHECKED,
        date_confirmed=True,
        note="'On November 8th, 2020' contracts ended without feedback left the score and 2 distinct clients became"
        " enough. The stored copy is of the thread's first message.",
        versions=("upwork@2020-11-08",),
    ),
    Source(
        url=JSS_2023_12,
        kind=SourceKind.RELEASE_NOTE,
        title="Job Success Score Update | December 2023",
        checked=_CHECKED,
        date_confirmed=False,
        note="A score after 2 projects with 2 clients (4 before). The post says 'today' and gives no day; the 5th"
        " comes from the dispute release note.",
        versions=("upwork@2023-12-05",),
    ),
    Source(
        url=JSS_SUSPENDED,
        kind=SourceKind.HELP_CENTER,
        title="What should I know about my Job Success Score (JSS)?",
        checked=_CHECKED,
        date_confirmed=False,
        note="Feedback from clients flagged for poor collaboration or suspended for Terms of Service violations does"
        " not count against the score." + _UNDATED,
    ),
    Source(
        url=JSS_FACTORS,
        kind=SourceKind.HELP_CENTER,
        title="What factors affect my Job Success Score?",
        checked=_CHECKED,
        date_confirmed=False,
        note="Contracts without payment but with negative feedback can affect the score; without feedback they do"
        " not." + _UNDATED,
    ),
    Source(
        url=LEAVE_FEEDBACK,
        kind=SourceKind.HELP_CENTER,
        title="Leave feedback for your freelancer",
        checked=_CHECKED,
        date_confirmed=False,
        note="The newer version: the private rating and review are removed, an optional private note instead."
        + _UNDATED,
    ),
    Source(
        url=DORMANT,
        kind=SourceKind.HELP_CENTER,
        title="Contracts Gone Dormant",
        checked=_CHECKED,
        date_confirmed=False,
        note="Fixed-price contracts with escrow and 90 days without activity are closed, after notices 2 weeks and"
        " 1 week before; if nobody acts, the escrow goes back to the client." + _UNDATED,
    ),
    Source(
        url=FEES_2025,
        kind=SourceKind.HELP_CENTER,
        title="Learn about the Freelancer Service Fee",
        checked=_CHECKED,
        date_confirmed=False,
        note="Fees 'from 0% to 15% by contract', fixed once the contract begins, as public code and third parties"
        " quote it; no stored copy of this page was found on 2026-12-05. The 2025-05-01 date is the third parties'.",
        versions=("upwork@2025-05-01",),
    ),
    Source(
        url=FEEDBACK_REMOVAL,
        kind=SourceKind.HELP_CENTER,
        title="Feedback Removal",
        checked=_CHECKED,
        date_confirmed=False,
        note="Feedback is removed for manipulation (threatening negative feedback included), abuse, irrelevance or"
        " insider feedback; a decision in about 7 business days; each feedback is reported once." + _UNDATED,
    ),
    Source(
        url=PROHIBITED_JOBS,
        kind=SourceKind.HELP_CENTER,
        title="What kind of jobs aren't allowed on Upwork?",
        checked=_CHECKED,
        date_confirmed=False,
        note="Disinformation, deceptive marketing, harmful, illegal or fraudulent jobs are not permitted." + _UNDATED,
    ),
)

TIMED_POLICIES.add(UpworkPolicy)  # every rule reads time through its judge alone
register_policy(*VERSIONS)
register_sources(*SOURCES, cited_by="upwork")
