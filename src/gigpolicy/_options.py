"""What-if planning: each next step a party could take, simulated, in its worst and best case.

Every option is simulated the same way: append the action's events to the record, add the
other party's response (none, the lowest rating or the highest the policy allows, at the first
instant the policy lets them leave it), and evaluate once every automatic step has played out
and every window the action opened has closed. No option has rules of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from operator import attrgetter
from typing import Final

import attrs

from gigpolicy._context import in_decimal_context
from gigpolicy._contract import ContractKind, ContractStatus, Party
from gigpolicy._decision import EVERY_QUESTION, Decision, Question, Reason, make_reason
from gigpolicy._evaluate import Decided, Report, decided, evaluate, reported
from gigpolicy._events import (
    RATINGS,
    TOS_VIOLATION,
    AccountSuspended,
    ChangesRequested,
    ContractEnded,
    DisputeOpened,
    DisputeResolved,
    Event,
    FeedbackKind,
    FeedbackLeft,
    FeedbackRemoved,
    HoursDisputed,
    JobReported,
    RefundIssued,
    WorkSubmitted,
)
from gigpolicy._judge import day, when
from gigpolicy._ledger import shared_prefix
from gigpolicy._money import Money, describe
from gigpolicy._policy import Policy, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._replay import unlogged_steps
from gigpolicy._state import ContractState, MilestoneState
from gigpolicy._time import require_instant
from gigpolicy.errors import InvalidArgument, InvalidRecord

__all__ = ["HORIZON_STEPS", "MoneyEffect", "Option", "options"]

HORIZON_STEPS: Final = 50
"""How many times the search for "every window closed" moves forward before it stops."""

_LOWEST: Final = {kind: low for kind, (low, _) in RATINGS.items()}
_HIGHEST: Final = {kind: high for kind, (_, high) in RATINGS.items()}


@attrs.frozen(kw_only=True)
class MoneyEffect:
    """Where the money stands in one case of an option, compared with now."""

    paid_to_freelancer: Money
    """Paid to the freelancer from now on (releases, awards), less refunds they give."""
    back_to_client: Money
    """Escrow returned and refunds received by the client from now on."""
    escrow_held: Money
    """Still held once every window closed."""
    net_earnings: Money
    """The freelancer's earnings on the contract after fees, in that case."""


@attrs.frozen(kw_only=True)
class Option:
    """One next step open to a party, simulated to the end of every window it opens."""

    action: str
    """A stable id: ``wait``, ``end_contract``, ``refund_and_end``, ``report_and_end``,
    ``submit_work``, ``open_dispute``, ``report_feedback``."""
    party: Party
    summary: str
    """What the step is, in a few words."""
    events: tuple[Event, ...]
    """The hypothetical events the action appends to the record (after the log of any automatic
    step the record had not logged yet, which a valid record needs first)."""
    assumptions: tuple[str, ...]
    """Plain sentences: what the simulation assumed of the other party and of time."""
    worst_case: Report
    """The outcome after the other party's most damaging response the policy allows."""
    best_case: Report
    """The outcome after the other party's most favourable response."""
    worst_record: ContractRecord
    """The record as simulated for the worst case.

    It may hold more than ``MAX_EVENTS`` events when the record given was near that limit:
    the limit bounds input, and the simulation adds the step, the response and a log of each
    automatic step. Such a record evaluates, but ``loads`` and ``ContractRecord(...)``
    refuse it, so ``dumps`` of it does not read back."""
    best_record: ContractRecord
    """The record as simulated for the best case (the same may hold past ``MAX_EVENTS``)."""
    worst_money: MoneyEffect
    best_money: MoneyEffect
    right_after: Report
    """The contract just after the step, before anyone responds."""
    warnings: tuple[Reason, ...] = ()
    """Risks of the step that its outcomes do not show (``REPORTED_JOB``: delivering work on a job
    the party reported); empty when there are none."""
    acted_record: ContractRecord
    """The record just after the step, before anyone responds: what :attr:`right_after` judges
    (the record as it stood at the instant, the logs of automatic steps, and the step's events)."""


@in_decimal_context
def options(
    record: ContractRecord, *, party: Party | str, at: datetime, policy: Policy | str | None = None
) -> tuple[Option, ...]:
    """Every next step open to *party* at *at*, each simulated in its worst and best case.

    Events after *at* in the record are left out: the steps start from the contract as it
    stands at *at*.

    Args:
        record: A checked contract record.
        party: Who acts (``Party`` or ``"client"`` / ``"freelancer"``).
        at: The instant the step is taken (timezone-aware).
        policy: As for :func:`~gigpolicy.evaluate`.

    Returns:
        The options, ``wait`` first.

    Raises:
        InvalidRecord: for a naive *at*, an unknown party, or a value that is not a record.
        UnknownPolicy: for an unknown policy name.
    """
    if not isinstance(record, ContractRecord):
        raise InvalidArgument("record", f"must be a ContractRecord, not {type(record).__name__}")
    at = require_instant(at, "at")
    try:
        actor = Party(party)
    except ValueError:
        raise InvalidRecord("party", f"must be 'client' or 'freelancer', not {describe(party)}") from None
    if at < record.contract.started_at:
        raise InvalidRecord("at", "is before the contract started: no step can be taken yet")
    base = record._prefix(bisect_right(record.events, at, key=attrgetter("at")))  # noqa: SLF001 - in time order
    # every future starts with the record as it stands: its events are folded once, not per future
    with shared_prefix(base.contract, base.events):
        now = evaluate(base, at=at, policy=policy)
        planner = _Planner(base, now, actor, at, policy)
        return tuple(option for build in _ACTIONS for option in build(planner))


class _Planner:
    def __init__(
        self, record: ContractRecord, now: Report, party: Party, at: datetime, policy: Policy | str | None
    ) -> None:
        self.record = record
        self.now = now
        self.party = party
        self.at = at
        self.policy = policy
        self.logs = unlogged_steps(record, now.state, at)
        # futures share steps (each case first judges the record right after the step): each
        # record is built and judged at an instant once; the entries keep what their keys name alive
        # waiting adds no event: its futures start from the record itself, already judged at `at`
        self.extensions: dict[tuple[int, ...], tuple[tuple[Event, ...], ContractRecord]] = {(): ((), record)}
        self.reports: dict[tuple[int, datetime], tuple[ContractRecord, Report]] = {(id(record), at): (record, now)}
        # where only the state and the decisions are read (the instants looked through while
        # windows close), they are found without the earnings; a report asked later adds them
        self.glances: dict[tuple[int, datetime], tuple[ContractRecord, Policy, Decided]] = {}
        # the worst and the best case of a step weigh the same outcomes (the other party's replies,
        # each settled): they are found once per acted record, kept by its identity
        self.outcomes: dict[int, tuple[ContractRecord, list[tuple[ContractRecord, Report]]]] = {}

    def extended(self, events: Sequence[Event]) -> ContractRecord:
        """The record followed by *events* (these very objects)."""
        key = tuple(map(id, events))
        found = self.extensions.get(key)
        if found is None:
            found = self.extensions[key] = (tuple(events), self.record._extended(*events))  # noqa: SLF001
        return found[1]

    def evaluate(self, record: ContractRecord, at: datetime) -> Report:
        """The report on *record* (this very object) at *at*."""
        key = (id(record), at)
        found = self.reports.get(key)
        if found is None:
            glanced = self.glances.get(key)
            chosen, parts = self._decided(record, at) if glanced is None else glanced[1:]
            found = self.reports[key] = (record, reported(record, at, chosen, parts))
        return found[1]

    def glance(self, record: ContractRecord, at: datetime) -> tuple[ContractState, tuple[Decision, ...]]:
        """The state and the decisions of the report on *record* (this very object) at *at*."""
        key = (id(record), at)
        report = self.reports.get(key)
        if report is not None:
            return report[1].state, report[1].decisions
        found = self.glances.get(key)
        if found is None:
            found = self.glances[key] = (record, *self._decided(record, at))
        _, state, decisions = found[2]
        return state, decisions

    def _decided(self, record: ContractRecord, at: datetime) -> tuple[Policy, Decided]:
        # arguments checked once by `options`: straight to the judging, the policy resolved for `at`;
        # a future's report is a whole report
        chosen, by_name = resolve_policy(self.policy, record, at)
        return chosen, decided(record, at, chosen, by_name=by_name, wanted=EVERY_QUESTION)

    def allowed(self, question: Question) -> bool:
        return self.now.decision(question, self.party).answer

    def simulate(
        self,
        action: str,
        summary: str,
        events: Sequence[Event],
        assumptions: Sequence[str],
        *,
        worst_extra: Sequence[Event] = (),
        best_extra: Sequence[Event] = (),
        responses: bool = True,
        warnings: Sequence[Reason] = (),
    ) -> Option:
        logged = (*self.logs, *events)
        worst_record, worst = self._case(logged, worst_extra, responses=responses, worst=True)
        best_record, best = self._case(logged, best_extra, responses=responses, worst=False)
        told = list(assumptions)
        if responses:
            told.append(
                f"The {self.party.other} responds as soon as the policy lets them: in the worst case with the "
                "lowest rating the policy lets them leave, in the best case with no feedback or the highest, "
                "whichever is better for you."
            )
        told.append(
            "Outcomes are taken once every automatic step the policy takes has played out and every window has closed."
        )
        acted = self.extended(logged) if events else self.record
        after = self.now if not events else self.evaluate(acted, self.at)
        return Option(
            right_after=after,
            action=action,
            party=self.party,
            summary=summary,
            # waiting adds no event: the logs of automatic steps go only into the simulated records
            events=tuple(logged) if events else (),
            assumptions=tuple(told),
            worst_case=worst,
            best_case=best,
            worst_record=worst_record,
            best_record=best_record,
            worst_money=self._money(worst),
            best_money=self._money(best),
            warnings=tuple(warnings),
            acted_record=acted,
        )

    def _case(
        self, events: Sequence[Event], extra: Sequence[Event], *, responses: bool, worst: bool
    ) -> tuple[ContractRecord, Report]:
        acted = self.extended((*events, *extra))  # simulated events may pass MAX_EVENTS
        replies = self._replies(acted, responses=responses)
        # Among equally good outcomes the first wins: the worst case prefers no feedback, the best
        # case prefers a case with feedback, so that each shows the most the other party could do.
        unanswered = (acted, self._settled(acted))
        outcomes = [unanswered, *replies] if worst else [*replies, unanswered]
        pick = min if worst else max
        return pick(outcomes, key=lambda outcome: _standing(outcome[1], self.party))

    def _replies(self, acted: ContractRecord, *, responses: bool) -> list[tuple[ContractRecord, Report]]:
        """The other party's replies to *acted* (the lowest ratings, then the highest), each settled."""
        if not responses:
            return []
        found = self.outcomes.get(id(acted))
        if found is None:
            replies = []
            for ratings in (_LOWEST, _HIGHEST):
                reply = self._reply(acted, ratings)
                if reply:
                    candidate = acted._extended(*reply)  # noqa: SLF001
                    replies.append((candidate, self._settled(candidate)))
            found = self.outcomes[id(acted)] = (acted, replies)
        return found[1]

    def _reply(self, record: ContractRecord, ratings: dict[FeedbackKind, Decimal]) -> list[Event]:
        """The other party's feedback at the first instant the policy lets them leave it.

        That is now, or the first instant at which their public feedback opens with no new
        event (a dormancy closure ends the contract, say); the automatic steps taken by then
        are logged first, so the record stays valid.
        """
        other = self.party.other
        state, decisions = self.glance(record, self.at)
        public = _decision(decisions, Question.PUBLIC_FEEDBACK, other)
        assert public is not None  # noqa: S101 - every question is asked, and this one of both parties
        instant = self.at
        logs: tuple[Event, ...] = ()
        if not public.answer and public.until is not None:
            # `until` is the first instant the answer is yes: reply then, after logging what the policy did
            instant = public.until
            state, decisions = self.glance(record, instant)
            logs = unlogged_steps(record, state, instant)
        if state.status is not ContractStatus.ENDED:
            return []  # end-of-contract feedback needs an end, whatever a policy answers
        reply: list[Event] = []
        for question, kind in (
            (Question.PUBLIC_FEEDBACK, FeedbackKind.PUBLIC),
            (Question.PRIVATE_FEEDBACK, FeedbackKind.PRIVATE),
        ):
            decision = _decision(decisions, question, other)
            if decision is not None and decision.answer:
                reply.append(FeedbackLeft(at=instant, by=other, kind=kind, rating=ratings[kind]))
        return [*logs, *reply] if reply else []

    def _settled(self, record: ContractRecord) -> Report:
        """Evaluate at the first instant at which no window the record has open is still open."""
        instant = self.at
        state, decisions = self.glance(record, instant)
        for _ in range(HORIZON_STEPS):
            ahead = [d.until for d in decisions if d.until is not None and d.question is not Question.JOB_SUCCESS_SCORE]
            if state.next_step_at is not None:
                ahead.append(state.next_step_at)
            if not ahead:
                break
            instant = max(ahead)
            state, decisions = self.glance(record, instant)
        return self.evaluate(record, instant)

    def _money(self, case: Report) -> MoneyEffect:
        now, then = self.now.state, case.state
        return MoneyEffect(
            paid_to_freelancer=(then.paid - now.paid) - (then.refunded - now.refunded),
            back_to_client=(then.escrow_returned - now.escrow_returned) + (then.refunded - now.refunded),
            escrow_held=then.escrow,
            net_earnings=case.earnings.net,
        )


def _decision(decisions: tuple[Decision, ...], question: Question, party: Party) -> Decision | None:
    """The decision on *question* for *party* among *decisions*, if they hold one."""
    return next((d for d in decisions if d.question is question and d.party is party), None)


def score_sign(report: Report) -> int | None:
    """How the contract counts toward the freelancer's success score in *report*, as the policy judges it.

    ``None`` when it does not count; else ``1`` for positive client feedback, ``-1`` for
    negative, ``0`` for a job counted without feedback (in versions that count those).
    """
    if not report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER).answer:
        return None
    given = report.state.client_feedback()
    if not given:
        return 0
    return 1 if report.policy.is_positive(given) else -1


def _standing(report: Report, party: Party) -> tuple[int, int, Decimal]:
    """How good an outcome is for *party*: success score, then shown feedback, then money."""
    state = report.state
    about_me = state.feedback_by(party.other, FeedbackKind.PUBLIC)
    sign = 0 if about_me is None else (1 if report.policy.is_positive((about_me,)) else -1)
    shown = sign if report.decision(Question.FEEDBACK_PUBLISHED, party.other).answer else 0
    if party is Party.FREELANCER:
        counted = score_sign(report)
        return (0 if counted is None else -1 if counted < 0 else 1), shown, report.earnings.net.amount
    return 0, shown, (state.escrow_returned + state.refunded).amount


# -- the actions ------------------------------------------------------------------------------


def _wait(planner: _Planner) -> list[Option]:
    return [
        planner.simulate(
            "wait",
            "Do nothing for now.",
            (),
            (
                (
                    "Neither party acts; every step the policy takes by itself plays out (automatic releases, "
                    "escrow returned after an end, a dormant contract closed)."
                ),
            ),
        )
    ]


def _end(planner: _Planner) -> list[Option]:
    if not planner.allowed(Question.END_CONTRACT):
        return []
    party, at = planner.party, planner.at
    return [
        planner.simulate(
            "end_contract",
            "End the contract now.",
            (ContractEnded(at=at, by=party, reason="ended by choice"),),
            (f"The {party} ends the contract at {when(at)}.",),
        )
    ]


def _refund_and_end(planner: _Planner) -> list[Option]:
    now = planner.now.state
    if (
        planner.party is not Party.FREELANCER
        or not planner.allowed(Question.END_CONTRACT)
        or not planner.allowed(Question.ISSUE_REFUND)
    ):
        return []
    at = planner.at
    refund = planner.now.policy.refundable(now)
    if not refund:
        return []
    return [
        planner.simulate(
            "refund_and_end",
            f"Refund the {refund} the policy still lets you refund, then end the contract.",
            (RefundIssued(at=at, amount=refund), ContractEnded(at=at, by=Party.FREELANCER, reason="refunded")),
            (
                (
                    f"The freelancer refunds {refund} (of {now.net_paid} paid, what the policy still lets them refund) "
                    "and ends the contract at once."
                ),
            ),
        )
    ]


def _report_and_end(planner: _Planner) -> list[Option]:
    if not planner.allowed(Question.END_CONTRACT):
        return []
    party, at = planner.party, planner.at
    reason = "reported the job as violating the Terms of Service"
    return [
        planner.simulate(
            "report_and_end",
            "Report the job to the marketplace, then end the contract.",
            (JobReported(at=at, by=party, reason=reason), ContractEnded(at=at, by=party, reason=reason)),
            (
                (
                    f"Worst case: the report changes nothing. Best case: the marketplace suspends the {party.other} "
                    "for a Terms of Service violation at once."
                ),
            ),
            best_extra=(AccountSuspended(at=at, party=party.other, reason=TOS_VIOLATION),),
        )
    ]


def _submit(planner: _Planner) -> list[Option]:
    state = planner.now.state
    if (
        planner.party is not Party.FREELANCER
        or state.kind is not ContractKind.FIXED_PRICE
        or state.status is ContractStatus.ENDED
    ):
        return []
    at = planner.at
    reported = [instant for by, instant in state.reports if by is planner.party]
    warnings = (
        (
            make_reason(
                "REPORTED_JOB",
                f"You reported this job on {day(reported[0])}: delivering work on a job reported as prohibited "
                "may itself break the marketplace's terms.",
                planner.now.policy.prohibited_work_source,
            ),
        )
        if reported
        else ()
    )
    # milestones in the same state have the same futures up to their name: one is simulated for all
    alike: dict[tuple[object, ...], list[MilestoneState]] = {}
    disputed = None if state.dispute is None else state.dispute.milestone
    for milestone in state.milestones:
        if milestone.escrow and (milestone.submitted_at is None or milestone.changes_requested):
            key = (*attrs.astuple(attrs.evolve(milestone, id=""), recurse=False), milestone.id == disputed)
            alike.setdefault(key, []).append(milestone)
    found: list[Option] = []
    for milestone, *others in alike.values():
        found.append(
            planner.simulate(
                "submit_work",
                f"Submit the work of milestone {milestone.id} and let the review period run.{_alike(others)}",
                (WorkSubmitted(at=at, milestone=milestone.id),),
                (
                    (
                        f"Worst case: the client asks for changes at once, which stops the automatic release of "
                        f"{milestone.escrow}. Best case: the client does nothing and it releases by itself."
                    ),
                ),
                worst_extra=(ChangesRequested(at=at, milestone=milestone.id),),
                warnings=warnings,
            )
        )
    return found


_NAMED: Final = 5
"""How many of the other milestones in the same state a ``submit_work`` summary names."""


def _alike(others: Sequence[MilestoneState]) -> str:
    """What a ``submit_work`` summary says of the other milestones in the same state, if any."""
    if not others:
        return ""
    names = ", ".join(milestone.id for milestone in others[:_NAMED])
    more = f" and {len(others) - _NAMED:,} more" if len(others) > _NAMED else ""
    count = "milestone" if len(others) == 1 else f"{len(others):,} milestones"
    return f" Submitting the other {count} in the same state ({names}{more}) leads to the same outcomes."


def _dispute(planner: _Planner) -> list[Option]:
    party, at = planner.party, planner.at
    first: tuple[Event, ...] = ()
    if not planner.allowed(Question.OPEN_DISPUTE):
        # a policy may require the party's own feedback before a dispute: leave it first (the
        # highest rating the policy allows) when that is what stands in the way
        if not planner.allowed(Question.PUBLIC_FEEDBACK):
            return []
        first = (FeedbackLeft(at=at, by=party, kind=FeedbackKind.PUBLIC, rating=_HIGHEST[FeedbackKind.PUBLIC]),)
        after = evaluate(planner.record._extended(*planner.logs, *first), at=at, policy=planner.policy)  # noqa: SLF001
        if not after.decision(Question.OPEN_DISPUTE, party).answer:
            return []
    state = planner.now.state
    nothing = Money.zero(state.currency)
    pool = state.escrow
    opening: Event = DisputeOpened(at=at, by=party)
    subject = f"the {pool} held in escrow"
    joined = ""
    if state.kind is ContractKind.HOURLY:
        # on an hourly contract the client disputes a billed week's hours; the latest week
        # is the one whose review period is open longest
        weeks = sorted((w for w in state.weeks if not w.disputed), key=lambda w: w.week_ending)
        if party is not Party.CLIENT or not weeks or weeks[-1].amount > state.net_paid:
            return []
        week = weeks[-1]
        opening = HoursDisputed(at=at, week_ending=week.week_ending)
        subject = f"the {week.amount} billed for the week ending {week.week_ending}"
        # a dispute already open over other weeks takes this week in: one resolution decides every week in it
        held = sum((w.amount for w in state.weeks if w.disputed), nothing)
        pool = held + week.amount
        if held:
            joined = f"The week joins the dispute already open over {held}, which is resolved as one: {pool} in all. "
    decided = at
    mine = (pool, nothing) if party is Party.FREELANCER else (nothing, pool)
    theirs = (nothing, pool) if party is Party.FREELANCER else (pool, nothing)
    told = (
        f"{joined}Worst case: the dispute awards all {pool} to the {party.other}. "
        "Best case: it awards all of it to you. The simulation decides it at once; "
        "in practice it takes days."
    )
    return [
        planner.simulate(
            "open_dispute",
            f"Leave feedback for the {party.other}, which a dispute requires, then open a dispute over {subject}."
            if first
            else f"Open a dispute over {subject}.",
            (*first, opening),
            (
                *(
                    (
                        (
                            f"The policy requires your feedback before a dispute: you leave the highest rating "
                            f"({_HIGHEST[FeedbackKind.PUBLIC]} stars) first; double-blind then no longer hides the "
                            f"{party.other}'s feedback."
                        ),
                    )
                    if first
                    else ()
                ),
                told,
            ),
            worst_extra=(DisputeResolved(at=decided, to_freelancer=theirs[0], to_client=theirs[1]),),
            best_extra=(DisputeResolved(at=decided, to_freelancer=mine[0], to_client=mine[1]),),
            responses=False,
        )
    ]


def _report_feedback(planner: _Planner) -> list[Option]:
    """Report the other party's public feedback as breaking the feedback rules."""
    party, at = planner.party, planner.at
    theirs = planner.now.state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if theirs is None:
        return []
    reason = f"reported the {party.other}'s feedback as breaking the feedback rules"
    return [
        planner.simulate(
            "report_feedback",
            f"Report the {party.other}'s feedback to the marketplace as breaking its feedback rules "
            "(a review used as a threat, say).",
            (JobReported(at=at, by=party, reason=reason),),
            (
                (
                    "Worst case: the marketplace finds no breach and the feedback stays. Best case: it removes the "
                    "feedback at once (in practice a review takes days), and removed feedback is no feedback."
                ),
            ),
            best_extra=(FeedbackRemoved(at=at, author=party.other, reason="breaks the feedback rules"),),
            responses=False,
        )
    ]


_ACTIONS: Final[tuple[Callable[[_Planner], list[Option]], ...]] = (
    _wait,
    _end,
    _refund_and_end,
    _report_and_end,
    _report_feedback,
    _submit,
    _dispute,
)
