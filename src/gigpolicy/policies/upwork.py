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

from gigpolicy._contract import CLIENT, ENDED, FIXED_PRICE, FREELANCER, HOURLY, Party
from gigpolicy._decision import Question, Reason, Verdict, make_reason, make_verdict
from gigpolicy._events import PRIVATE, PUBLIC
from gigpolicy._fees import FlatFee, PerContractFee, TieredFee, _moves
from gigpolicy._judge import given_no, given_yes, mended_at, settled, verdict_no, verdict_yes, when, window_reason
from gigpolicy._money import MAX_AMOUNT, Money, exact_money
from gigpolicy._policy import TIMED_POLICIES, Context, Policy, Window, add_rules, register_policy
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
            for party in Party:  # an edit of public feedback that the recipient enabled
                mine = state.first_feedback(party, PUBLIC)
                enabled = None if mine is None else _edit_enabled(state, mine)
                if enabled is not None:
                    found.append(
                        Window(
                            code="FEEDBACK_EDIT",
                            label=f"{party} may edit public feedback",
                            opens=enabled,
                            closes=enabled + self.edit_window,
                            party=party,
                            source=EDIT_FEEDBACK,
                        )
                    )
            if state.kind is FIXED_PRICE and state.escrow and state.dispute is None:  # none while one is open
                found.append(
                    Window(
                        code="DISPUTE",
                        label="freelancer may dispute escrow",
                        opens=end,
                        closes=self.dispute_closes(state),
                        party=FREELANCER,
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
            if week.billed_at >= closes:  # billed after its review would have closed: never open
                continue
            found.append(
                Window(
                    code="HOURS_REVIEW",
                    label=f"client may dispute week {week.week_ending}",
                    opens=week.billed_at,
                    closes=closes,
                    party=CLIENT,
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
                    party=FREELANCER,
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
        the newest payment with something left leaves the window, or an automatic release due
        before then does (a payment too). ``None`` if nothing can be refunded now.
        """
        if not self.refundable(state):
            return None
        return _refund_closes(state, self.refund_window)

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
        public = [f.rating for f in feedback if f.kind is PUBLIC]
        # where the form has no private rating, the score judges the public rating alone
        private = [f.rating for f in feedback if f.kind is PRIVATE and self.private_feedback]
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
        self.instants = [payment.at for payment in payments]
        self.left = [payment.amount.amount for payment in payments]
        # most states: no refund, no reversal, payments in the order charged, so each is left whole
        if refunds or min(self.left, default=1) <= 0 or self.instants != sorted(self.instants):
            self.instants, self.left = _matched(payments, refunds)
        self.totals = [Decimal(0), *accumulate(self.left)]
        """``totals[i]`` is what is left of the first *i* payments."""
        newest = len(self.left) - 1
        while newest >= 0 and not self.left[newest]:
            newest -= 1
        self.newest = newest if newest >= 0 else None
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


def _matched(payments: tuple[Payment, ...], refunds: tuple[Payment, ...]) -> tuple[list[datetime], list[Decimal]]:
    """When each payment with money left was made and what is left of it, once *refunds* took theirs, oldest first."""
    instants: list[datetime] = []
    left: list[Decimal] = []
    invoices: dict[str, int] = {}
    for at, is_refund, move in _moves(payments, refunds):  # the order the fees are charged in
        amount = -move.amount.amount if is_refund else move.amount.amount
        reference = None if is_refund else move.reference
        if amount > 0:
            if reference is not None:
                invoices[reference] = len(left)
            instants.append(at)
            left.append(amount)
            continue
        owed = -amount
        own = invoices.get(reference) if reference is not None else None
        if own is not None:  # a disputed week: its own invoice first
            taken = min(owed, left[own])
            left[own] -= taken
            owed -= taken
        for index in range(len(left) - 1, -1, -1):
            if not owed:
                break
            taken = min(owed, left[index])
            left[index] -= taken
            owed -= taken
    return instants, left


def _refund_closes(state: ContractState, window: timedelta) -> datetime:
    """When the refund window closes with no new event: *window* after the newest payment with something left.

    An automatic release ahead is a payment too: one due before the window closes (and before a
    closure as dormant) keeps it open until *window* after the release; one due later opens a
    window of its own, after a gap. Asked only where something is refundable now.
    """
    newest = _unrefunded(state).newest_left()
    assert newest is not None  # noqa: S101 - something is refundable, so some payment has something left
    closes = newest + window
    ahead = state.next_step_at  # the first release, if one comes first: no pass over the milestones without
    if ahead is None or ahead > closes:
        return closes
    dormant = state.dormant_at  # a closure as dormant first ends the contract: no release after it
    for due in sorted([milestone.release_due for milestone in state.milestones if milestone.release_due is not None]):
        if due > closes or (dormant is not None and due > dormant):
            break
        closes = max(closes, due + window)
    return closes


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


# The rules below work out each verdict themselves, as a judge would give it (`given`): first the
# facts, then the one list of reasons the answer keeps, its boundaries, and when it changes. Reasons
# without data are made once, at import; those that carry a party or a policy's parameters once
# each (`_kept`); windows and ends once per instant. `tests/upwork_reference.py` holds the same
# rules written with a judge, condition by condition, and a test compares both on every branch.


def _kept(code: str, message: str, source: str | None) -> Reason:
    """A reason whose message carries at most a party or a policy's parameters: made once each."""
    key = (code, message, source)
    found = _KEPT_REASONS.get(key)
    if found is None:
        found = _KEPT_REASONS.remember(key, make_reason(code, message, source))
    return found


_KEPT_REASONS: Final[BoundedCache[tuple[str, str, str | None], Reason]] = BoundedCache(1024)


def _made_no(
    reasons: tuple[Reason, ...], boundaries: tuple[datetime, ...] = (), changes: datetime | None = None
) -> Verdict:
    """:func:`given_no` of *reasons* each made once (at import, or by ``_kept``, ``_displayed``).

    A no that no time changes (no boundary) is then made once per reasons too, and given
    through :func:`settled`: evaluation gives its decision made once, and a batch writes that
    decision's text once. By the reasons' identities; a verdict made of reasons equal to these
    is equal to theirs.

    Not for a window of the contract's own (closed on an instant of its end or its payments):
    such a verdict is given with :func:`given_no`. Made once, each would take a place among the
    verdicts and decisions made once and push out those given again and again (a long batch made
    0.83 decisions a line once again, each with its text; 0.21 since).
    """
    if boundaries or changes is not None:
        return given_no(reasons, boundaries, changes)
    return settled(_made(answer=False, reasons=reasons))


def _made_yes(reasons: tuple[Reason, ...]) -> Verdict:
    """A yes of *reasons* made once each, with no boundary: made once per reasons, as :func:`_made_no` makes a no."""
    return settled(_made(answer=True, reasons=reasons))


def _made(*, answer: bool, reasons: tuple[Reason, ...]) -> Verdict:
    key = (answer, *map(id, reasons))
    kept = _MADE.get(key)
    if kept is None or kept[0] != reasons:  # held here, the reasons keep their ids; an equal tuple serves too
        kept = _MADE.remember(key, (reasons, make_verdict(answer=answer, reasons=reasons, boundaries=())))
    return kept[1]


_MADE: Final[BoundedCache[tuple[object, ...], tuple[tuple[Reason, ...], Verdict]]] = BoundedCache(4096)


def _end_of(state: ContractState) -> datetime:
    """The end of an ended contract (the rules that ask give a made verdict before it ends)."""
    ended_at = state.ended_at
    assert ended_at is not None  # noqa: S101 - an ended contract has an end
    return ended_at


def _ended_reason(ended_at: datetime) -> Reason:
    """That the contract ended, and when: made once per end, as several rules give it."""
    key = instant_key(ended_at)
    found = _ENDED_REASONS.get(key)
    if found is None:
        message = f"The contract ended on {when(ended_at)}."
        found = _ENDED_REASONS.remember(key, make_reason("CONTRACT_ENDED", message, END_CONTRACT))
    return found


_ENDED_REASONS: Final[BoundedCache[timedelta, Reason]] = BoundedCache(4096)


def _no_reasons(*reasons: Reason | None) -> tuple[Reason, ...]:
    """The reasons of a no: the conditions that failed, in order (``None`` for one that held)."""
    return tuple(filter(None, reasons))  # a Reason is always true


_MAY_END: Final = ("EITHER_PARTY_MAY_END", "Either party may end a contract at any time.", END_CONTRACT)
_MAY_END_NOW: Final = verdict_yes(_MAY_END)
_ALREADY_ENDED: Final = verdict_no(("ALREADY_ENDED", "The contract has already ended.", END_CONTRACT))


def _end_contract(context: Context, policy: UpworkPolicy) -> Verdict:
    del policy
    state = context.state
    if state.status is ENDED:
        return settled(_ALREADY_ENDED)
    dormant_at = state.dormant_at
    if dormant_at is None:
        return settled(_MAY_END_NOW)
    ahead = make_reason(
        "DORMANCY_AHEAD", f"Without activity, Upwork closes the contract as dormant on {when(dormant_at)}.", DORMANT
    )
    # the closure is a step replay takes: a boundary, though no condition here changes then
    return given_yes((*_MAY_END_NOW.reasons, ahead), (dormant_at,) if dormant_at > context.at else ())


_PUBLIC_NOT_OPEN: Final = verdict_no(_not_ended("End-of-contract feedback"))
_FEEDBACK_WINDOW: Final = "The feedback window"
_PUBLIC_NOT_YET_LEFT: Final = {
    party: make_reason("NOT_YET_LEFT", f"The {party} has not left public feedback yet.", GIVE_FEEDBACK)
    for party in Party
}
_PUBLIC_ALREADY_LEFT: Final = {
    party: make_reason(
        "ALREADY_LEFT",
        f"The {party} already left public feedback, and the {party.other} has not enabled a change.",
        EDIT_FEEDBACK,
    )
    for party in Party
}


def _public_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.status is not ENDED:
        return settled(_PUBLIC_NOT_OPEN)
    ended_at = _end_of(state)
    mine = state.first_feedback(party, PUBLIC)
    more: tuple[Reason, ...] = ()
    if mine is None:
        closes, what, source = policy.feedback_closes(ended_at), _FEEDBACK_WINDOW, GIVE_FEEDBACK
        more = (_PUBLIC_NOT_YET_LEFT[party],)
    else:
        enabled = _edit_enabled(state, mine)
        if enabled is None:
            return _made_no((_PUBLIC_ALREADY_LEFT[party],))
        closes, what, source = enabled + policy.edit_window, "The edit the recipient enabled", EDIT_FEEDBACK
    if closes > context.at:
        held = (_ended_reason(ended_at), window_reason(closes, what, source, is_open=True), *more)
        return given_yes(held, (closes,), closes)
    return given_no((window_reason(closes, what, source, is_open=False),))  # of this contract's own end: not made


def _edit_enabled(state: ContractState, mine: Feedback) -> datetime | None:
    """When the recipient of public feedback *mine* first let its author change it, if they did."""
    author = mine.by
    for by, at in state.edits_enabled:
        if by is not author and at >= mine.at:
            return at
    return None


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
_PRIVATE_OFFERED_REASON: Final = make_reason(*_PRIVATE_OFFERED, PRIVATE_FEEDBACK)
_PRIVATE_NOT_YET_LEFT: Final = make_reason(
    "NOT_YET_LEFT", "The client has not left private feedback yet.", EDIT_FEEDBACK
)
_PRIVATE_ALREADY_LEFT: Final = make_reason(
    "ALREADY_LEFT", "The client already left private feedback, which cannot be changed.", EDIT_FEEDBACK
)


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
    if state.status is not ENDED:
        return settled(_private_not_open(policy))
    ended_at = _end_of(state)
    closes = policy.feedback_closes(ended_at)
    is_open = closes > context.at
    fresh = state.first_feedback(CLIENT, PRIVATE) is None
    boundaries = (closes,) if is_open else ()
    if policy.private_feedback and is_open and fresh:
        window = window_reason(closes, _FEEDBACK_WINDOW, GIVE_FEEDBACK, is_open=True)
        held = (_PRIVATE_OFFERED_REASON, _ended_reason(ended_at), window, _PRIVATE_NOT_YET_LEFT)
        return given_yes(held, boundaries, closes)
    failed = _no_reasons(
        None if policy.private_feedback else _kept(*_PRIVATE_NOT_OFFERED, policy.private_feedback_source),
        None if is_open else window_reason(closes, _FEEDBACK_WINDOW, GIVE_FEEDBACK, is_open=False),
        None if fresh else _PRIVATE_ALREADY_LEFT,
    )
    return given_no(failed, boundaries)  # a window open or closed, of this contract's own end: not made


_MID_CONTRACT_OPEN: Final = make_reason("CONTRACT_OPEN", "Mid-contract feedback is for open contracts.", MID_CONTRACT)
_MID_CONTRACT_ENDED: Final = make_reason(
    "CONTRACT_ENDED", "Mid-contract feedback is closed once the contract ends.", MID_CONTRACT
)


def _mid_contract_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    state, at = context.state, context.at
    is_open = state.status is not ENDED
    old_enough = state.started_at + policy.mid_contract_min_age
    too_new = old_enough > at
    last = _last_paid(state)
    paid_until = None if last is None else last + policy.mid_contract_payment_within
    recent = paid_until is not None and paid_until > at
    feedback = state.last_feedback(CLIENT)
    quiet_from = None if feedback is None else feedback.at + policy.mid_contract_feedback_gap
    loud = quiet_from is not None and quiet_from > at
    boundaries: tuple[datetime, ...] = (old_enough,) if too_new else ()
    if paid_until is not None and recent:
        boundaries += (paid_until,)
    if quiet_from is not None and loud:
        boundaries += (quiet_from,)
    old, paid, quiet, unpaid, heard = _mid_contract_reasons(policy)
    if is_open and not too_new and recent and not loud:
        return given_yes((_MID_CONTRACT_OPEN, old, paid, quiet), boundaries, paid_until)
    age = policy.mid_contract_min_age.days
    failed = _no_reasons(
        None if is_open else _MID_CONTRACT_ENDED,
        make_reason("CONTRACT_TOO_NEW", f"The contract must be {age} days old ({when(old_enough)}).", MID_CONTRACT)
        if too_new
        else None,
        None if recent else unpaid,
        heard if loud else None,
    )
    mends = quiet_from if loud else None  # the later of the two, when both fail (feedback comes after the start)
    if too_new and (mends is None or old_enough > mends):
        mends = old_enough
    changes = mended_at(lasting=not is_open or not recent, mends=mends, stops=paid_until if recent else None)
    # without a boundary every reason is kept: the one dated reason comes with its boundary
    return _made_no(failed, boundaries, changes)


def _mid_contract_reasons(policy: UpworkPolicy) -> tuple[Reason, Reason, Reason, Reason, Reason]:
    """The reasons of mid-contract feedback that carry the policy's periods, made once per periods.

    Old enough, a recent payment, no recent client feedback, no recent payment, recent client
    feedback: asked for every Upwork contract judged, they were made anew each time.
    """
    key = (policy.mid_contract_min_age, policy.mid_contract_payment_within, policy.mid_contract_feedback_gap)
    found = _MID_CONTRACT_REASONS.get(key)
    if found is None:
        age, within, gap = (period.days for period in key)
        found = _MID_CONTRACT_REASONS.remember(
            key,
            (
                _kept("CONTRACT_OLD_ENOUGH", f"The contract started at least {age} days ago.", MID_CONTRACT),
                _kept("RECENT_PAYMENT", f"A payment was made in the last {within} days.", MID_CONTRACT),
                _kept(
                    "NO_RECENT_CLIENT_FEEDBACK", f"The client gave no feedback in the last {gap} days.", MID_CONTRACT
                ),
                _kept("NO_RECENT_PAYMENT", f"No payment was made in the last {within} days.", MID_CONTRACT),
                _kept("RECENT_CLIENT_FEEDBACK", f"The client gave feedback in the last {gap} days.", MID_CONTRACT),
            ),
        )
    return found


_MID_CONTRACT_REASONS: Final[
    BoundedCache[tuple[timedelta, timedelta, timedelta], tuple[Reason, Reason, Reason, Reason, Reason]]
] = BoundedCache(256)


_BOTH_LEFT: Final = make_reason(
    "BOTH_LEFT_FEEDBACK", "Both parties have left public feedback, so it is revealed.", GIVE_FEEDBACK
)


def _revealed(context: Context, policy: UpworkPolicy, author: Party) -> tuple[Reason, datetime | None]:
    """Double-blind: *author*'s public feedback is revealed once both left theirs or the window closed.

    The reason, and ``None`` if it is revealed, else the instant it will be (a condition that
    fails until then).
    """
    state = context.state
    closes = policy.feedback_closes(_end_of(state))
    other = author.other
    if state.first_feedback(other, PUBLIC) is not None:
        return _BOTH_LEFT, None
    shown = when(closes)
    if closes > context.at:
        message = f"Feedback stays hidden until the {other} leaves theirs or the window closes on {shown}."
        return make_reason("DOUBLE_BLIND", message, GIVE_FEEDBACK), closes
    message = f"The feedback window closed on {shown}, so the feedback is revealed."
    return make_reason("REVEALED_AT_WINDOW_CLOSE", message, GIVE_FEEDBACK), None


def _displayed(context: Context, policy: UpworkPolicy, what: str, source: str) -> tuple[Reason, bool]:
    """Whether net paid reaches the display threshold, so that *what* is shown; and the reason.

    Asked three times per evaluation, and most contracts have paid one of a few amounts: each
    reason is made once per amount, threshold and subject.
    """
    threshold = policy.display_threshold
    paid = context.state.net_paid  # Money: equal amounts of a currency read the same
    key = (paid.amount, paid.currency, threshold, what, source)
    found = _DISPLAYED.get(key)
    # an equal threshold may read otherwise (1 and 1.00): the one the reason was made with, or anew
    if found is None or found[0] is not threshold:
        if paid.amount >= threshold:
            message = f"Net paid ({paid}) is at least {threshold} {paid.currency}, so {what} is shown."
            found = (threshold, make_reason("NET_PAID_AT_LEAST_THRESHOLD", message, source), True)
        else:
            message = f"Net paid ({paid}) is below {threshold} {paid.currency}, so {what} is not shown."
            found = (threshold, make_reason("NET_PAID_BELOW_THRESHOLD", message, source), False)
        _DISPLAYED.remember(key, found)
    return found[1], found[2]


_DISPLAYED: Final[BoundedCache[tuple[Decimal, str, Decimal, str, str], tuple[Decimal, Reason, bool]]] = BoundedCache(
    4096
)


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
    mine = state.feedback_by(party, PUBLIC)
    if mine is None:
        removed = state.first_feedback(party, PUBLIC) is not None
        if state.net_paid.amount >= policy.display_threshold:  # shown: the amount's reason is not kept
            return settled(_NOT_PUBLISHED[party, removed])
        below, _ = _displayed(context, policy, "public feedback", FEEDBACK_VISIBILITY)
        return _made_no((*_NOT_PUBLISHED[party, removed].reasons, below))
    revealed, hidden_until = _revealed(context, policy, party)
    displayed, shown = _displayed(context, policy, "public feedback", FEEDBACK_VISIBILITY)
    boundaries = () if hidden_until is None else (hidden_until,)
    if hidden_until is None:
        return given_yes((revealed, displayed)) if shown else _made_no((displayed,))
    return given_no((revealed,), boundaries, hidden_until) if shown else given_no((revealed, displayed), boundaries)


_NOTHING_TO_RESPOND_TO: Final = {
    party: verdict_no(("NO_FEEDBACK_TO_RESPOND_TO", f"The {party.other.value} has left no public feedback.", RESPOND))
    for party in Party
}
_RESPONSE_PERIOD: Final = "The response period"
_NOT_YET_RESPONDED: Final = {
    party: make_reason("NOT_YET_RESPONDED", f"The {party} has not responded yet.", RESPOND) for party in Party
}
_ALREADY_RESPONDED: Final = {
    party: make_reason("ALREADY_RESPONDED", f"The {party} already responded; a response cannot be changed.", RESPOND)
    for party in Party
}


def _respond(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    theirs = state.feedback_by(party.other, PUBLIC)
    if theirs is None:
        return settled(_NOTHING_TO_RESPOND_TO[party])
    revealed, hidden_until = _revealed(context, policy, party.other)
    closes = _end_of(state) + policy.response_window
    is_open = closes > context.at
    fresh = not state.has_responded(party)
    boundaries = tuple(instant for instant in (hidden_until, closes if is_open else None) if instant is not None)
    if hidden_until is None and is_open and fresh:
        held = (revealed, window_reason(closes, _RESPONSE_PERIOD, RESPOND, is_open=True), _NOT_YET_RESPONDED[party])
        return given_yes(held, boundaries, closes)
    failed = _no_reasons(
        None if hidden_until is None else revealed,
        None if is_open else window_reason(closes, _RESPONSE_PERIOD, RESPOND, is_open=False),
        None if fresh else _ALREADY_RESPONDED[party],
    )
    changes = mended_at(lasting=not is_open or not fresh, mends=hidden_until, stops=closes if is_open else None)
    return given_no(failed, boundaries, changes)


_HOURLY_DISPUTES_ARE_CLIENTS: Final = verdict_no(
    ("HOURLY_DISPUTES_ARE_CLIENTS", "On hourly contracts only the client disputes (billed hours).", HOURLY_DISPUTE)
)
_NO_WEEK_IN_REVIEW: Final = make_reason(
    "NO_WEEK_IN_REVIEW", "No billed week is still in its review period (until Friday 23:59 UTC).", HOURLY_DISPUTE
)
_NO_DISPUTE_OPEN: Final = make_reason("NO_DISPUTE_OPEN", "No dispute is open.", DISPUTE)
_DISPUTE_OPEN: Final = make_reason("DISPUTE_OPEN", "A dispute is already open.", DISPUTE)
_NO_ESCROW: Final = make_reason("NO_ESCROW", "No money is held in escrow.", DISPUTE)
_CLIENT_MAY_REQUEST_REFUND: Final = make_reason(
    "CLIENT_MAY_REQUEST_REFUND", "The client may ask for held escrow back.", ESCROW_REFUND
)
_FEEDBACK_LEFT: Final = make_reason(
    "FEEDBACK_LEFT", "The freelancer left feedback for the client, which a dispute requires.", DISPUTE
)
_FEEDBACK_REQUIRED: Final = make_reason(
    "FEEDBACK_REQUIRED", "Leaving feedback for the client is required to file a dispute.", DISPUTE
)
_RELEASE_REFUSED: Final = make_reason(
    "RELEASE_REFUSED", "The client asked for changes instead of releasing submitted work.", DISPUTE
)
_NOTHING_REFUSED: Final = make_reason(
    "NOTHING_REFUSED", "The client has not refused to release submitted work.", DISPUTE
)
_DISPUTE_PERIOD: Final = "The freelancer's dispute period"


def _hourly_dispute(context: Context, policy: UpworkPolicy) -> Verdict:
    """The client disputes billed hours while any week is in review: only the latest week's deadline counts."""
    state = context.state
    latest = max((week.week_ending for week in state.weeks if not week.disputed), default=None)
    if latest is None:
        return _made_no((_NO_WEEK_IN_REVIEW,))
    closes = datetime.combine(latest + timedelta(days=policy.hourly_dispute_days), time(0), tzinfo=UTC)
    if closes > context.at:
        in_review = make_reason("WEEK_IN_REVIEW", f"Billed hours can be disputed until {when(closes)}.", HOURLY_DISPUTE)
        return given_yes((in_review,), (closes,), closes)
    return _made_no((_NO_WEEK_IN_REVIEW,))


def _open_dispute(context: Context, policy: UpworkPolicy) -> Verdict:
    state, party = context.state, context.party
    if state.kind is HOURLY:
        return settled(_HOURLY_DISPUTES_ARE_CLIENTS) if party is FREELANCER else _hourly_dispute(context, policy)
    undisputed = state.dispute is None
    escrow = state.escrow
    if party is CLIENT:
        if undisputed and escrow:
            held = (_NO_DISPUTE_OPEN, _escrow_held(escrow), _CLIENT_MAY_REQUEST_REFUND)
            return given_yes(held)
        return _made_no(_no_reasons(None if undisputed else _DISPUTE_OPEN, None if escrow else _NO_ESCROW))
    ended = state.status is ENDED
    # feedback opens only at the end: the requirement is the ended contract's dispute flow
    needs_feedback = policy.feedback_before_dispute and ended
    feedback_left = needs_feedback and state.feedback_by(FREELANCER, PUBLIC) is not None
    closes: datetime | None = None
    if ended:
        closes = policy.dispute_closes(state)
        last_holds = closes > context.at
        boundaries: tuple[datetime, ...] = (closes,) if last_holds else ()
    else:
        last_holds, boundaries = _refused_release(state), ()
    if undisputed and escrow and (feedback_left or not needs_feedback) and last_holds:
        last = (
            _RELEASE_REFUSED
            if closes is None
            else window_reason(closes, _DISPUTE_PERIOD, policy.dispute_source, is_open=True)
        )
        held = (_NO_DISPUTE_OPEN, _escrow_held(escrow), *((_FEEDBACK_LEFT,) if needs_feedback else ()), last)
        return given_yes(held, boundaries, closes)
    failed = _no_reasons(
        None if undisputed else _DISPUTE_OPEN,
        None if escrow else _NO_ESCROW,
        _FEEDBACK_REQUIRED if needs_feedback and not feedback_left else None,
        None
        if last_holds
        else (
            _NOTHING_REFUSED
            if closes is None
            else window_reason(closes, _DISPUTE_PERIOD, policy.dispute_source, is_open=False)
        ),
    )
    # a window open or closed is of this contract's own end: not made
    return given_no(failed, boundaries) if closes is not None else _made_no(failed, boundaries)


def _escrow_held(escrow: Money) -> Reason:
    return make_reason("ESCROW_HELD", f"{escrow} is held in escrow.", DISPUTE)


def _refused_release(state: ContractState) -> bool:
    """Whether the client sent back submitted work that escrow still holds.

    Looked up at every automatic step ahead: a pass in C over the flags first, then the escrow
    of the milestones sent back, of which there are few.
    """
    if not any(map(_CHANGES_REQUESTED, state.milestones)):
        return False
    return any(m.changes_requested and m.escrow for m in state.milestones)


_CHANGES_REQUESTED: Final = attrgetter("changes_requested")


_REFUND_PERIOD: Final[BoundedCache[int, str]] = BoundedCache(256)
"""The name of the refund period's window, by its days: one text, not one per contract judged."""
_NOTHING_TO_REFUND: Final = verdict_no(("NOTHING_PAID", "Nothing was paid that could be refunded.", REFUND))


def _issue_refund(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    paid = state.net_paid
    if not paid:
        return settled(_NOTHING_TO_REFUND)
    days = policy.refund_window.days
    refundable = policy.refundable(state)  # once: refund_closes would find it again
    if not refundable:
        message = f"Only payments of the last {days} days can be refunded; none is left."
        return _made_no((_kept("NO_RECENT_PAYMENT", message, REFUND),))
    closes = _refund_closes(state, policy.refund_window)
    what = _REFUND_PERIOD.get(days) or _REFUND_PERIOD.remember(
        days, f"The refund period for payments of the last {days} days"
    )
    if closes > context.at:
        held = (
            make_reason("MONEY_PAID", f"{paid} was paid and not refunded.", REFUND),
            make_reason(
                "RECENT_PAYMENTS", f"{refundable} was paid in the last {days} days and can be refunded.", REFUND
            ),
            window_reason(closes, what, REFUND, is_open=True),
        )
        return given_yes(held, (closes,), closes)
    # only where a policy's own `refundable` finds more than the payments of its window
    return given_no((window_reason(closes, what, REFUND, is_open=False),))  # of this contract's payments: not made


def _work_history(context: Context, policy: UpworkPolicy) -> Verdict:
    reason, shown = _displayed(context, policy, "the contract in the work history", WORK_HISTORY)
    return _made_yes((reason,)) if shown else _made_no((reason,))


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
_SCORED_ENDED: Final = make_reason("CONTRACT_ENDED", "The contract has ended.", JSS)
_LOOK_BACK: Final = "The score's look-back window"
_NO_FEEDBACK_COUNTS: Final = make_reason(
    "NO_FEEDBACK_COUNTS", "Contracts ended without feedback still count in this version.", JSS_2020_11
)
_NO_FEEDBACK_NOT_COUNTED: Final = {
    removed: make_reason(
        "NO_FEEDBACK",
        "Upwork removed the client's feedback, and removed feedback is no feedback."
        if removed
        else "Contracts that end without client feedback do not count.",
        JSS_2020_11,
    )
    for removed in (False, True)
}
_FEEDBACK_SIGN: Final = {
    positive: make_reason(
        "POSITIVE_FEEDBACK" if positive else "NEGATIVE_FEEDBACK",
        f"The client's feedback is {'positive' if positive else 'negative'} for the score.",
        JSS,
    )
    for positive in (False, True)
}
_EARNED: Final = make_reason(
    "EARNED", "The contract earned money, or $0 contracts with positive feedback count in this version.", JSS_2020_03
)
_ZERO_EARNINGS_POSITIVE: Final = make_reason(
    "ZERO_EARNINGS_POSITIVE", "A $0 contract with positive feedback does not count.", JSS_2020_03
)
_CLIENT_SUSPENDED: Final = make_reason(
    "CLIENT_SUSPENDED",
    "The client was suspended for a Terms of Service violation, so their negative feedback does not count against you.",
    JSS_SUSPENDED,
)
_CLIENT_IN_GOOD_STANDING: Final = make_reason(
    "CLIENT_IN_GOOD_STANDING", "Negative feedback counts, $0 contracts included.", JSS_FACTORS
)


def _job_success(context: Context, policy: UpworkPolicy) -> Verdict:
    state = context.state
    if state.status is not ENDED:
        return settled(_NOT_SCORED_YET)
    closes = _add_months(_end_of(state), policy.jss_lookback_months)
    in_window = closes > context.at
    boundaries = (closes,) if in_window else ()
    # where the form has no private rating, a recorded private one is not a rating the score reads
    judged = (PUBLIC, PRIVATE) if policy.private_feedback else (PUBLIC,)
    feedback = tuple(f for f in state.client_feedback() if f.kind in judged)
    counted: tuple[Reason, ...]  # what holds beside the end and the window when it counts
    failing: Reason | None  # the condition beside the window that fails, if one does
    if not feedback:
        if policy.jss_exclude_no_feedback:
            removed = any(f.by is CLIENT and f.removed for f in state.feedback)
            counted, failing = (), _NO_FEEDBACK_NOT_COUNTED[removed]
        else:
            counted, failing = (_NO_FEEDBACK_COUNTS,), None
    elif policy.is_positive(feedback):
        earned = bool(state.net_paid) or not policy.jss_exclude_zero_positive
        counted, failing = (_FEEDBACK_SIGN[True], _EARNED), None if earned else _ZERO_EARNINGS_POSITIVE
    else:
        counted, failing = _suspension(context, policy)
        counted = (_FEEDBACK_SIGN[False], *counted)
    if in_window and failing is None:
        held = (_SCORED_ENDED, window_reason(closes, _LOOK_BACK, JSS, is_open=True), *counted)
        return given_yes(held, boundaries, closes)
    closed = None if in_window else window_reason(closes, _LOOK_BACK, JSS, is_open=False)
    return given_no(_no_reasons(closed, failing), boundaries)


def _suspension(context: Context, policy: UpworkPolicy) -> tuple[tuple[Reason, ...], Reason | None]:
    """Negative feedback counts unless the client was suspended; say what a report changes.

    What holds when it counts, and the condition that fails when it does not.
    """
    state = context.state
    of_client = [s for s in state.suspensions if s.party is CLIENT]
    reasons = policy.suspension_reasons
    if any(reasons is None or s.reason in reasons for s in of_client):
        return (), _CLIENT_SUSPENDED
    if of_client:
        standing = make_reason(
            "CLIENT_SUSPENDED_NOT_EXCLUDED",
            f"The client was suspended ({of_client[0].reason}), but this policy excludes negative feedback only "
            f"after suspensions for {', '.join(reasons or ())}, so it counts.",
            JSS_SUSPENDED,
        )
    else:
        standing = _CLIENT_IN_GOOD_STANDING
    reported = [at for by, at in state.reports if by is FREELANCER]
    if not reported:
        return (standing,), None
    report = make_reason(
        "JOB_REPORTED",
        f"You reported the job or the client on {when(reported[0])}. A report alone changes nothing here: "
        "only if Upwork suspends the client for a Terms of Service violation does their negative feedback "
        "stop counting. A review used as a threat can be reported for removal on its own.",
        FEEDBACK_REMOVAL,
    )
    return (standing, report), None


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

TIMED_POLICIES.add(UpworkPolicy)  # every rule says when its answer changes, as its judge would (`changes_at`)
add_rules(UpworkPolicy, _RULES)  # its `decide` is this lookup
register_policy(*VERSIONS)
register_sources(*SOURCES, cited_by="upwork")
