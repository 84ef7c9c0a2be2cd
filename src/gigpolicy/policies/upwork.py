"""Upwork's rules, by version, each citing its public source.

Facts come from the project's research notes (``shared/research/marketplace-policies.md``),
which quote Upwork's help center, release notes and moderators. Rules the research marks
**unconfirmed** are parameters with documented defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._contract import ContractKind, ContractStatus, Party
from gigpolicy._decision import Question, Verdict
from gigpolicy._events import FeedbackKind
from gigpolicy._fees import FlatFee, TieredFee
from gigpolicy._judge import Judge, when
from gigpolicy._policy import Context, Policy, Window, register_policy
from gigpolicy._state import ContractState, Feedback

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
    """Clients leave a private 0-10 rating at the end. A newer help article says it was replaced by an
    optional private note (date not visible: **unconfirmed**); set ``False`` for that form."""
    edit_window: timedelta = timedelta(days=14)
    """Once the recipient enables an edit, the author has this long to change public feedback."""
    response_window: timedelta = timedelta(days=28)
    """A response to feedback is posted within this long after the end."""
    mid_contract_min_age: timedelta = timedelta(days=30)
    mid_contract_payment_within: timedelta = timedelta(days=30)
    mid_contract_feedback_gap: timedelta = timedelta(days=30)
    refund_window: timedelta = timedelta(days=180)
    """The freelancer may refund payments made within this long."""
    freelancer_dispute_window: timedelta = timedelta(days=7)
    """After the end, the freelancer disputes held escrow within this long."""
    dispute_source: str = ESCROW_REFUND
    """Where the freelancer's dispute period after the end is documented (the escrow refund request
    before 2023-12-05, the streamlined dispute flow from then)."""
    client_dispute_response: timedelta = timedelta(days=7)
    """How long the client has to answer a freelancer's dispute (5 days from 2023-12-05)."""
    hourly_dispute_days: int = 6
    """The client disputes a week's hours until 00:00 UTC this many days after its Sunday (Friday 23:59:59)."""
    suspension_reasons: tuple[str, ...] = ("tos_violation",)
    """Suspension reasons that keep a client's negative feedback out of the success score."""
    jss_lookback_months: int = 24
    jss_positive_public: Decimal = Decimal("4.0")
    """A public rating at least this high is positive (the real threshold is not published)."""
    jss_positive_private: Decimal = Decimal(7)
    """A private rating at least this high is positive (the real threshold is not published)."""
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
                        closes=end + self.freelancer_dispute_window,
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
        if payments:
            found.append(
                Window(
                    code="REFUND",
                    label="freelancer may refund",
                    opens=payments[0],
                    closes=payments[-1] + self.refund_window,
                    party=Party.FREELANCER,
                    source=REFUND,
                )
            )
        return tuple(sorted(found, key=lambda window: (window.opens, window.closes, window.code)))

    def feedback_closes(self, ended_at: datetime) -> datetime:
        """When end-of-contract feedback closes for a contract ended at *ended_at*.

        >>> from gigpolicy import get_policy
        >>> get_policy("upwork").feedback_closes(datetime(2026, 11, 3, 9, tzinfo=UTC))
        datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.timezone.utc)
        """
        day = ended_at.astimezone(UTC).date() + timedelta(days=self.feedback_window_days + 1)
        return datetime.combine(day, time(0), tzinfo=UTC)

    def is_positive(self, feedback: tuple[Feedback, ...]) -> bool:
        """Whether the client's end-of-contract feedback counts as positive for the success score."""
        public = [f.rating for f in feedback if f.kind is FeedbackKind.PUBLIC]
        private = [f.rating for f in feedback if f.kind is FeedbackKind.PRIVATE]
        return (not public or public[-1] >= self.jss_positive_public) and (
            not private or private[-1] >= self.jss_positive_private
        )


def _last_paid(state: ContractState) -> datetime | None:
    """When the last payment of money (not a dispute's reversal) was made; found from the end."""
    for payment in reversed(state.payments):
        if payment.amount.amount > 0:
            return payment.at
    return None


def _ended(judge: Judge, context: Context, what: str) -> bool:
    state = context.state
    return judge.cond(
        state.status is ContractStatus.ENDED,
        ("CONTRACT_ENDED", f"The contract ended on {when(state.ended_at)}." if state.ended_at else ""),
        ("CONTRACT_NOT_ENDED", f"{what} opens only when the contract ends."),
        END_CONTRACT,
    )


def _end_contract(context: Context, policy: UpworkPolicy) -> Verdict:
    del policy
    judge = Judge(context.at)
    judge.cond(
        context.state.status is not ContractStatus.ENDED,
        ("EITHER_PARTY_MAY_END", "Either party may end a contract at any time."),
        ("ALREADY_ENDED", "The contract has already ended."),
        END_CONTRACT,
    )
    return judge.verdict()


def _public_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    if _ended(judge, context, "End-of-contract feedback"):
        assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
        mine = [f for f in state.feedback if f.by is party and f.kind is FeedbackKind.PUBLIC]
        if not mine:
            judge.window(policy.feedback_closes(state.ended_at), "The feedback window", GIVE_FEEDBACK)
            judge.hold("NOT_YET_LEFT", f"The {party} has not left public feedback yet.", GIVE_FEEDBACK)
        else:
            enabled = [at for by, at in state.edits_enabled if by is party.other and at >= mine[0].at]
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
    judge = Judge(context.at)
    state = context.state
    judge.cond(
        policy.private_feedback,
        ("PRIVATE_FEEDBACK_OFFERED", "Clients rate freelancers privately (0-10) when a contract ends, $0 ones too."),
        ("PRIVATE_FEEDBACK_NOT_OFFERED", "This version replaced the private rating with an optional private note."),
        PRIVATE_FEEDBACK,
    )
    if _ended(judge, context, "Private feedback"):
        assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
        judge.window(policy.feedback_closes(state.ended_at), "The feedback window", GIVE_FEEDBACK)
        judge.cond(
            not any(f.by is Party.CLIENT and f.kind is FeedbackKind.PRIVATE for f in state.feedback),
            ("NOT_YET_LEFT", "The client has not left private feedback yet."),
            ("ALREADY_LEFT", "The client already left private feedback, which cannot be changed."),
            EDIT_FEEDBACK,
        )
    return judge.verdict()


def _mid_contract_feedback(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state, at = context.state, context.at
    judge.cond(
        state.status is not ContractStatus.ENDED,
        ("CONTRACT_OPEN", "Mid-contract feedback is for open contracts."),
        ("CONTRACT_ENDED", "Mid-contract feedback is closed once the contract ends."),
        MID_CONTRACT,
    )
    old_enough = state.started_at + policy.mid_contract_min_age
    judge.boundary(old_enough)
    judge.cond(
        at >= old_enough,
        ("CONTRACT_OLD_ENOUGH", f"The contract started at least {policy.mid_contract_min_age.days} days ago."),
        (
            "CONTRACT_TOO_NEW",
            f"The contract must be {policy.mid_contract_min_age.days} days old ({when(old_enough)}).",
        ),
        MID_CONTRACT,
    )
    last = _last_paid(state)
    recent = last + policy.mid_contract_payment_within if last is not None else None
    judge.boundary(recent)
    judge.cond(
        recent is not None and at < recent,
        ("RECENT_PAYMENT", f"A payment was made in the last {policy.mid_contract_payment_within.days} days."),
        ("NO_RECENT_PAYMENT", f"No payment was made in the last {policy.mid_contract_payment_within.days} days."),
        MID_CONTRACT,
    )
    given = [f.at for f in state.feedback if f.by is Party.CLIENT]
    quiet = given[-1] + policy.mid_contract_feedback_gap if given else None
    judge.boundary(quiet)
    judge.cond(
        quiet is None or at >= quiet,
        (
            "NO_RECENT_CLIENT_FEEDBACK",
            f"The client gave no feedback in the last {policy.mid_contract_feedback_gap.days} days.",
        ),
        (
            "RECENT_CLIENT_FEEDBACK",
            f"The client gave feedback in the last {policy.mid_contract_feedback_gap.days} days.",
        ),
        MID_CONTRACT,
    )
    return judge.verdict()


def _revealed(judge: Judge, context: Context, policy: UpworkPolicy, author: Party) -> bool:
    """Double-blind: *author*'s public feedback is revealed once both left theirs or the window closed."""
    state, at = context.state, context.at
    assert state.ended_at is not None  # noqa: S101 - feedback exists only on ended contracts
    closes = policy.feedback_closes(state.ended_at)
    other = author.other
    if any(f.by is other and f.kind is FeedbackKind.PUBLIC for f in state.feedback):
        judge.hold("BOTH_LEFT_FEEDBACK", "Both parties have left public feedback, so it is revealed.", GIVE_FEEDBACK)
        return True
    judge.boundary(closes)
    return judge.cond(
        at >= closes,
        ("REVEALED_AT_WINDOW_CLOSE", f"The feedback window closed on {when(closes)}, so the feedback is revealed."),
        (
            "DOUBLE_BLIND",
            f"Feedback stays hidden until the {other} leaves theirs or the window closes on {when(closes)}.",
        ),
        GIVE_FEEDBACK,
    )


def _displayed(judge: Judge, context: Context, policy: UpworkPolicy, what: str, source: str) -> bool:
    state = context.state
    threshold = policy.display_threshold
    return judge.cond(
        state.net_paid.amount >= threshold,
        (
            "NET_PAID_AT_LEAST_THRESHOLD",
            f"Net paid ({state.net_paid}) is at least {threshold} {state.currency}, so {what} is shown.",
        ),
        (
            "NET_PAID_BELOW_THRESHOLD",
            f"Net paid ({state.net_paid}) is below {threshold} {state.currency}, so {what} is not shown.",
        ),
        source,
    )


def _feedback_published(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    mine = state.feedback_by(party, FeedbackKind.PUBLIC)
    if mine is None:
        removed = any(f.by is party and f.kind is FeedbackKind.PUBLIC for f in state.feedback)
        judge.fail(
            "FEEDBACK_REMOVED" if removed else "NO_FEEDBACK",
            f"Upwork removed the {party}'s public feedback."
            if removed
            else f"The {party} has left no public feedback.",
            GIVE_FEEDBACK,
        )
    else:
        _revealed(judge, context, policy, party)
    _displayed(judge, context, policy, "public feedback", FEEDBACK_VISIBILITY)
    return judge.verdict()


def _respond(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party = context.state, context.party
    theirs = state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if theirs is None:
        judge.fail("NO_FEEDBACK_TO_RESPOND_TO", f"The {party.other} has left no public feedback.", RESPOND)
    else:
        assert state.ended_at is not None  # noqa: S101 - public feedback exists only on ended contracts
        _revealed(judge, context, policy, party.other)
        judge.window(state.ended_at + policy.response_window, "The response period", RESPOND)
        judge.cond(
            not any(by is party for by, _ in state.responses),
            ("NOT_YET_RESPONDED", f"The {party} has not responded yet."),
            ("ALREADY_RESPONDED", f"The {party} already responded; a response cannot be changed."),
            RESPOND,
        )
    return judge.verdict()


def _open_dispute(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state, party, at = context.state, context.party, context.at
    if state.kind is ContractKind.HOURLY:
        if party is Party.FREELANCER:
            judge.fail(
                "HOURLY_DISPUTES_ARE_CLIENTS",
                "On hourly contracts only the client disputes (billed hours).",
                HOURLY_DISPUTE,
            )
            return judge.verdict()
        open_weeks = [
            datetime.combine(week.week_ending + timedelta(days=policy.hourly_dispute_days), time(0), tzinfo=UTC)
            for week in state.weeks
            if not week.disputed
        ]
        open_weeks = [deadline for deadline in open_weeks if deadline > at]
        judge.boundaries.extend(open_weeks)
        judge.cond(
            bool(open_weeks),
            ("WEEK_IN_REVIEW", f"Billed hours can be disputed until {when(max(open_weeks))}." if open_weeks else ""),
            ("NO_WEEK_IN_REVIEW", "No billed week is still in its review period (until Friday 23:59 UTC)."),
            HOURLY_DISPUTE,
        )
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
    elif state.status is ContractStatus.ENDED:
        assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
        judge.window(
            state.ended_at + policy.freelancer_dispute_window, "The freelancer's dispute period", policy.dispute_source
        )
    else:
        judge.cond(
            any(m.changes_requested and m.escrow for m in state.milestones),
            ("RELEASE_REFUSED", "The client asked for changes instead of releasing submitted work."),
            ("NOTHING_REFUSED", "The client has not refused to release submitted work."),
            DISPUTE,
        )
    return judge.verdict()


def _issue_refund(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state = context.state
    judge.cond(
        bool(state.net_paid),
        ("MONEY_PAID", f"{state.net_paid} was paid and not refunded."),
        ("NOTHING_PAID", "Nothing was paid that could be refunded."),
        REFUND,
    )
    last = _last_paid(state)
    if last is not None:
        judge.window(last + policy.refund_window, "Refunds of recent payments", REFUND)
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


def _job_success(context: Context, policy: UpworkPolicy) -> Verdict:
    judge = Judge(context.at)
    state = context.state
    if not judge.cond(
        state.status is ContractStatus.ENDED,
        ("CONTRACT_ENDED", "The contract has ended."),
        ("CONTRACT_OPEN", "An open contract counts only as a long-term job, which this rule does not model."),
        JSS,
    ):
        return judge.verdict()
    assert state.ended_at is not None  # noqa: S101 - an ended contract has an end
    judge.window(_add_months(state.ended_at, policy.jss_lookback_months), "The score's look-back window", JSS)
    given = tuple(
        f for f in state.feedback if f.by is Party.CLIENT and f.kind is not FeedbackKind.MID_CONTRACT and not f.removed
    )
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
        suspended = any(s.party is Party.CLIENT and s.reason in policy.suspension_reasons for s in state.suspensions)
        judge.cond(
            not suspended,
            ("CLIENT_IN_GOOD_STANDING", "Negative feedback counts, $0 contracts included."),
            (
                "CLIENT_SUSPENDED",
                "The client was suspended for a Terms of Service violation, so it does not count against you.",
            ),
            JSS_SUSPENDED if suspended else JSS_FACTORS,
        )
    return judge.verdict()


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

#: Every built-in version, oldest first.
VERSIONS: Final = (_2016, _2020_03, _2020_11, _2023_05, _2023_12)

register_policy(*VERSIONS)
