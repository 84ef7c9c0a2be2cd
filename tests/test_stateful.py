"""A contract driven by random valid actions of both parties and by the passing of time.

After every step the record is replayed and evaluated under Upwork's latest rules, and the
result is compared with a small model written here from the SPEC alone: the ledger in whole
cents, the status, who may leave end-of-contract feedback until when, and whose feedback is
published. The model shares no code with the library.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import gigpolicy
from gigpolicy import (
    BilledWeek,
    BonusPaid,
    ChangesRequested,
    ContractEnded,
    ContractKind,
    ContractPaused,
    ContractRecord,
    ContractResumed,
    ContractStatus,
    ContractTerms,
    Dispute,
    EscrowReturned,
    Event,
    FeedbackKind,
    FeedbackLeft,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    Payment,
    Question,
    RefundIssued,
    ReplayRules,
    WorkSubmitted,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._ledger import Ledger
from gigpolicy._policy import Context
from gigpolicy.policies.upwork import LEAVE_FEEDBACK, VERSIONS, UpworkPolicy

POLICY = get_policy("upwork")
REVIEW = timedelta(days=14)
"""A submitted milestone releases by itself this long after submission (SPEC, every version)."""
CLIENT_END_RETURN = timedelta(days=7)
"""After the client ends, held escrow returns to the client this long after the end."""
DORMANT = timedelta(days=90)
"""From 2025-05-01 a contract holding escrow with no activity this long closes as dormant."""
DORMANT_RETURN = timedelta(days=14)
"""After a dormancy closure, held escrow returns to the client this long after it."""
ACTIVITY: Final = (
    MilestoneFunded,
    WorkSubmitted,
    ChangesRequested,
    MilestoneReleased,
    EscrowReturned,
    BonusPaid,
    ContractResumed,
)
"""Events that keep a contract from going dormant (money, milestones, resuming; an end and refunds too)."""
MILESTONES = ("m1", "m2", "m3")
GAPS = st.one_of(
    st.integers(1, 90).map(lambda n: timedelta(minutes=n)),
    st.integers(1, 48).map(lambda n: timedelta(hours=n)),
    st.integers(1, 20).map(lambda n: timedelta(days=n)),
)
CENTS = st.integers(1, 100_000)
ONE_DOLLAR = 100
"""Net paid, in cents, below which public feedback is not shown."""


def usd(cents: int) -> Money:
    """Whole cents as dollars."""
    return Money.of(Decimal(cents).scaleb(-2), "USD")


def window_closes(ended_at: datetime) -> datetime:
    """00:00 UTC on the 15th day after the end's UTC date: the documented "14 days, midnight UTC"."""
    return datetime.combine(ended_at.astimezone(UTC).date() + timedelta(days=15), time(0), tzinfo=UTC)


@attrs.define
class Milestone:
    """The model of one milestone: whole cents held, and its review."""

    escrow: int = 0
    submitted_at: datetime | None = None
    changes_requested: bool = False


class ContractMachine(RuleBasedStateMachine):
    """A fixed-price contract under Upwork's rules, against an independent model."""

    def __init__(self) -> None:
        super().__init__()
        self.start = datetime(2026, 3, 2, 10, tzinfo=UTC)
        self.now = self.start
        self.terms = ContractTerms(
            id="c-state",
            kind=ContractKind.FIXED_PRICE,
            currency="USD",
            client="client-1",
            freelancer="fl-1",
            started_at=self.start,
        )
        self.events: list[Event] = []
        self.logs: list[Event] = []
        self.milestones: dict[str, Milestone] = {}
        self.deposited = self.paid = self.refunded = self.returned = 0
        self.status = ContractStatus.ACTIVE
        self.ended_at: datetime | None = None
        self.ended_by: Party | None = None
        self.return_due: datetime | None = None
        self.public: dict[Party, datetime] = {}
        self.private_left = False
        self.last_activity = self.start

    @property
    def dormant_due(self) -> datetime | None:
        """When the contract closes as dormant if nothing active happens first."""
        if self.status is not ContractStatus.ACTIVE or not self.held:
            return None  # a paused contract does not go dormant
        return self.last_activity + DORMANT

    @property
    def closes_ahead(self) -> datetime | None:
        """When time alone closes the contract as dormant: only if some escrow is not on its way out by then.

        Submitted work under review releases itself 14 days after submission, well before the 90 days;
        each release is activity, so the idle rest closes 90 days after the last of them.
        """
        due = self.dormant_due
        held = [m for m in self.milestones.values() if m.escrow]
        reviewed = [m.submitted_at for m in held if m.submitted_at and not m.changes_requested]
        if due is None or len(reviewed) == len(held):
            return None
        return max([due, *(submitted + REVIEW + DORMANT for submitted in reviewed)])

    # -- the model's clock -------------------------------------------------------------------

    def _advance(self, to: datetime) -> None:
        """Take the automatic steps due by *to*, in time order, noting the events that log them."""
        while True:
            due: list[tuple[datetime, str]] = []
            if self.status is not ContractStatus.ENDED:
                due.extend(
                    (m.submitted_at + REVIEW, name)
                    for name, m in self.milestones.items()
                    if m.submitted_at is not None and not m.changes_requested and m.escrow
                )
            if self.return_due is not None:
                due.append((self.return_due, ""))
            if self.dormant_due is not None:
                due.append((self.dormant_due, "~dormant"))
            if not due or min(due)[0] > to:
                return
            when, name = min(due)
            if name == "~dormant":
                self.status, self.ended_at, self.ended_by = ContractStatus.ENDED, when, None
                self.return_due = when + DORMANT_RETURN
                self.logs.append(ContractEnded(at=when, by=Party.CLIENT, reason="log of the dormancy closure"))
            elif name:
                milestone = self.milestones[name]
                self.last_activity = when  # a release is activity, whoever makes it
                self.paid += milestone.escrow
                self.logs.append(MilestoneReleased(at=to, milestone=name, amount=usd(milestone.escrow)))
                milestone.escrow, milestone.submitted_at = 0, None
            else:
                self._return_all(to)

    def _return_all(self, at: datetime) -> None:
        self.return_due = None
        for name, milestone in self.milestones.items():
            if milestone.escrow:
                self.returned += milestone.escrow
                self.logs.append(EscrowReturned(at=at, milestone=name, amount=usd(milestone.escrow)))
                milestone.escrow, milestone.submitted_at, milestone.changes_requested = 0, None, False

    def _record(self, event: Event) -> None:
        """Append *event*, after the events that log automatic steps the rules took before it."""
        for log in self.logs:
            self.events.append(attrs.evolve(log, at=event.at))
        self.logs.clear()
        self.events.append(event)
        if isinstance(event, (*ACTIVITY, RefundIssued, ContractEnded)):
            self.last_activity = event.at

    @property
    def open(self) -> bool:
        return self.status is not ContractStatus.ENDED

    @property
    def held(self) -> list[str]:
        return sorted(name for name, m in self.milestones.items() if m.escrow)

    # -- actions -----------------------------------------------------------------------------

    @initialize(gap=GAPS)
    def begin(self, gap: timedelta) -> None:
        """The first action comes some time after the start."""
        self.now += gap

    @rule(gap=GAPS)
    def time_passes(self, gap: timedelta) -> None:
        """Nobody acts; the rules' automatic steps may fall due."""
        self.now += gap
        self._advance(self.now)

    def _next_deadline(self) -> datetime | None:
        """The next instant at which time alone changes something: a release, a return, a window's close."""
        deadlines = [m.submitted_at + REVIEW for m in self.milestones.values() if m.submitted_at and self.open]
        deadlines.extend(d for d in (self.return_due, self.dormant_due) if d is not None)
        if self.ended_at is not None:
            deadlines.append(window_closes(self.ended_at))
        later = [d for d in deadlines if d > self.now]
        return min(later) if later else None

    @precondition(lambda self: self._next_deadline() is not None)
    @rule(seconds=st.sampled_from([-1, 0, 1]))
    def time_reaches_a_deadline(self, seconds: int) -> None:
        """Time runs to just before, exactly at, or just after the next deadline: the edges are the rules."""
        deadline = self._next_deadline()
        assert deadline is not None
        self.now = max(self.now, deadline + timedelta(seconds=seconds))
        self._advance(self.now)

    @precondition(lambda self: self.open)
    @rule(name=st.sampled_from(MILESTONES), cents=CENTS)
    def client_funds(self, name: str, cents: int) -> None:
        """The client puts money into escrow for a milestone."""
        milestone = self.milestones.setdefault(name, Milestone())
        milestone.escrow += cents
        self.deposited += cents
        self._record(MilestoneFunded(at=self.now, milestone=name, amount=usd(cents)))

    @precondition(lambda self: self.open and self.held)
    @rule(data=st.data())
    def freelancer_submits(self, data: st.DataObject) -> None:
        """The freelancer submits a funded milestone's work; a resubmission restarts the review."""
        name = data.draw(st.sampled_from(self.held))
        milestone = self.milestones[name]
        if milestone.submitted_at is None or milestone.changes_requested:
            milestone.submitted_at = self.now
        milestone.changes_requested = False
        self._record(WorkSubmitted(at=self.now, milestone=name))

    @precondition(
        lambda self: (
            self.open and any(m.submitted_at and not m.changes_requested and m.escrow for m in self.milestones.values())
        )
    )
    @rule(data=st.data())
    def client_requests_changes(self, data: st.DataObject) -> None:
        """The client sends submitted work back, which stops its automatic release."""
        waiting = sorted(
            n for n, m in self.milestones.items() if m.submitted_at and not m.changes_requested and m.escrow
        )
        name = data.draw(st.sampled_from(waiting))
        self.milestones[name].changes_requested = True
        self._record(ChangesRequested(at=self.now, milestone=name))

    @precondition(lambda self: self.held)
    @rule(data=st.data(), to_freelancer=st.booleans())
    def client_moves_escrow(self, data: st.DataObject, to_freelancer: bool) -> None:
        """The client releases escrow to the freelancer, or it goes back to the client."""
        name = data.draw(st.sampled_from(self.held))
        milestone = self.milestones[name]
        cents = data.draw(st.integers(1, milestone.escrow))
        milestone.escrow -= cents
        if not milestone.escrow:
            milestone.submitted_at, milestone.changes_requested = None, False
        if to_freelancer:
            self.paid += cents
            self._record(MilestoneReleased(at=self.now, milestone=name, amount=usd(cents)))
        else:
            self.returned += cents
            self._record(EscrowReturned(at=self.now, milestone=name, amount=usd(cents)))

    @precondition(lambda self: self.open)
    @rule(cents=CENTS)
    def client_pays_bonus(self, cents: int) -> None:
        """The client pays a bonus."""
        self.deposited += cents
        self.paid += cents
        self._record(BonusPaid(at=self.now, amount=usd(cents)))

    @precondition(lambda self: self.paid > self.refunded)
    @rule(data=st.data())
    def freelancer_refunds(self, data: st.DataObject) -> None:
        """The freelancer gives back some of what was paid."""
        cents = data.draw(st.integers(1, self.paid - self.refunded))
        self.refunded += cents
        self._record(RefundIssued(at=self.now, amount=usd(cents)))

    @precondition(lambda self: self.open)
    @rule(by=st.sampled_from(Party))
    def pause_or_resume(self, by: Party) -> None:
        """The contract is paused, or resumed if it was paused."""
        if self.status is ContractStatus.PAUSED:
            self.status = ContractStatus.ACTIVE
            self._record(ContractResumed(at=self.now, by=by))
        else:
            self.status = ContractStatus.PAUSED
            self._record(ContractPaused(at=self.now, by=by))

    @precondition(lambda self: self.open)
    @rule(by=st.sampled_from(Party))
    def party_ends(self, by: Party) -> None:
        """Either party ends the contract; escrow returns to the client, at once or 7 days later."""
        self._record(ContractEnded(at=self.now, by=by))
        self.status, self.ended_at, self.ended_by = ContractStatus.ENDED, self.now, by
        if by is Party.FREELANCER:
            self._return_all(self.now)
        else:
            self.return_due = self.now + CLIENT_END_RETURN
            self._advance(self.now)

    @precondition(lambda self: not self.open and len(self.public) < len(Party))
    @rule(data=st.data(), stars=st.integers(10, 50))
    def party_leaves_public_feedback(self, data: st.DataObject, stars: int) -> None:
        """A party who has not yet left end-of-contract public feedback leaves it (late is allowed)."""
        by = data.draw(st.sampled_from([p for p in Party if p not in self.public]))
        self.public[by] = self.now
        self._record(FeedbackLeft(at=self.now, by=by, kind=FeedbackKind.PUBLIC, rating=Decimal(stars) / 10))

    @precondition(lambda self: not self.open and not self.private_left)
    @rule(rating=st.integers(0, 10))
    def client_leaves_private_feedback(self, rating: int) -> None:
        """The client leaves the private 0-10 rating."""
        self.private_left = True
        self._record(FeedbackLeft(at=self.now, by=Party.CLIENT, kind=FeedbackKind.PRIVATE, rating=Decimal(rating)))

    # -- the checks --------------------------------------------------------------------------

    def _expected_feedback(self, party: Party) -> tuple[bool, datetime | None]:
        """May *party* leave public feedback now, and until when (a dormancy closure would open it)."""
        if self.ended_at is None:
            return False, self.closes_ahead
        if party in self.public:
            return False, None
        closes = window_closes(self.ended_at)
        return (True, closes) if self.now < closes else (False, None)

    def _expected_published(self, party: Party) -> tuple[bool, datetime | None]:
        """Is *party*'s public feedback shown now, and when would that change by time alone."""
        if party not in self.public or self.paid - self.refunded < ONE_DOLLAR:
            return False, None
        assert self.ended_at is not None
        closes = window_closes(self.ended_at)
        if party.other in self.public or self.now >= closes:
            return True, None
        return False, closes

    @invariant()
    def state_matches_the_model(self) -> None:
        """Replay agrees with the model on money and status, and escrow + paid + returned is all put in."""
        record = ContractRecord(contract=self.terms, events=tuple(self.events))
        state = replay(record, at=self.now, policy=POLICY)
        expected = {
            "status": self.status,
            "ended_at": self.ended_at,
            "ended_by": self.ended_by,
            "escrow": usd(sum(m.escrow for m in self.milestones.values())),
            "paid": usd(self.paid),
            "refunded": usd(self.refunded),
            "escrow_returned": usd(self.returned),
            "deposited": usd(self.deposited),
        }
        assert expected == {name: getattr(state, name) for name in expected}
        assert state.deposited == state.escrow + state.paid + state.escrow_returned

    @invariant()
    def decisions_match_the_model(self) -> None:
        """Who may leave feedback until when, and whose feedback is published, are the model's answers."""
        record = ContractRecord(contract=self.terms, events=tuple(self.events))
        report = evaluate(
            record,
            at=self.now,
            policy=POLICY,
            questions=(Question.PUBLIC_FEEDBACK, Question.FEEDBACK_PUBLISHED, Question.PRIVATE_FEEDBACK),
        )
        for party in Party:
            may = report.decision(Question.PUBLIC_FEEDBACK, party)
            shown = report.decision(Question.FEEDBACK_PUBLISHED, party)
            assert self._expected_feedback(party) == (may.answer, may.until)
            assert self._expected_published(party) == (shown.answer, shown.until)
        private = report.decision(Question.PRIVATE_FEEDBACK, Party.CLIENT)
        assert self._expected_private() == (private.answer, private.until)

    def _expected_private(self) -> tuple[bool, datetime | None]:
        """May the client leave the private rating now: never, since 2025-05-01 the form has none."""
        return False, None


# each example is a short life of one contract: at least 150 of them, still a few seconds
ContractMachine.TestCase.settings = settings(
    ContractMachine.TestCase.settings, stateful_step_count=30, max_examples=max(150, settings().max_examples)
)
TestContractMachine = ContractMachine.TestCase


# -- Scenarios that pin what the model above does not track ---------------------------------------------
# Each was written to kill a mutant that survived `mutmut run` (docs/explanation/mutation-testing.md).

START: Final = "2026-11-02T15:00:00Z"


def build(kind: str, *events: dict[str, object]) -> ContractRecord:
    """A USD record of *kind* started at :data:`START`, with *events* (``at`` as ``+Nd`` / ``+Nh`` offsets)."""
    base = datetime.fromisoformat(START)

    def instant(offset: object) -> str:
        text = str(offset)
        step = timedelta(days=1) if text.endswith("d") else timedelta(hours=1)
        return (base + int(text[1:-1]) * step).isoformat()

    return gigpolicy.loads(
        json.dumps(
            {
                "format": "gigpolicy/1",
                "contract": {
                    "id": "c-pin",
                    "kind": kind,
                    "currency": "USD",
                    "client": "cl",
                    "freelancer": "fl",
                    "started_at": START,
                },
                "events": [{**event, "at": instant(event["at"])} for event in events],
            }
        )
    )


def after(record: ContractRecord, days: float) -> datetime:
    """*days* after the start of *record*."""
    return record.contract.started_at + timedelta(days=days)


class TestLedgerDetails:
    """The fold keeps every detail of a payment, a week and a dispute, not only the totals."""

    def test_hours_disputed_then_resolved(self) -> None:
        """A disputed week keeps its hours and billing instant; payments name their source and week."""
        record = build(
            "hourly",
            {"type": "hours_billed", "at": "+7d", "week_ending": "2026-11-08", "hours": "10", "amount": "300"},
            {"type": "hours_disputed", "at": "+8d", "week_ending": "2026-11-08"},
            {"type": "dispute_resolved", "at": "+9d", "to_freelancer": "100", "to_client": "200"},
        )
        billed_at, disputed_at = after(record, 7), after(record, 8)
        week = date(2026, 11, 8)
        during = replay(record, at=after(record, 8.5))
        assert (
            BilledWeek(week_ending=week, hours=Decimal(10), amount=usd(30000), billed_at=billed_at, disputed=True),
        ) == during.weeks
        assert (
            Dispute(opened_by=Party.CLIENT, opened_at=disputed_at, milestone=None, whole_escrow=False, weeks=(week,))
            == during.dispute
        )
        state = replay(record, at=after(record, 10))
        assert (
            BilledWeek(week_ending=week, hours=Decimal(10), amount=usd(30000), billed_at=billed_at, disputed=False),
        ) == state.weeks
        assert [
            Payment(at=billed_at, amount=usd(30000), source="hours_billed", reference="2026-11-08"),
            Payment(at=disputed_at, amount=-usd(30000), source="hours_disputed", reference="2026-11-08"),
            Payment(at=after(record, 9), amount=usd(10000), source="dispute_resolved"),
        ] == list(state.payments)
        assert (usd(10000), usd(20000)) == (state.paid, state.escrow_returned)

    def test_a_second_week_joins_the_open_dispute(self) -> None:
        """Disputing another week adds it to the dispute the first one opened."""
        record = build(
            "hourly",
            {"type": "hours_billed", "at": "+7d", "week_ending": "2026-11-08", "hours": "1", "amount": "30"},
            {"type": "hours_billed", "at": "+14d", "week_ending": "2026-11-15", "hours": "2", "amount": "60"},
            {"type": "hours_disputed", "at": "+15d", "week_ending": "2026-11-08"},
            {"type": "hours_disputed", "at": "+15d", "week_ending": "2026-11-15"},
        )
        dispute = replay(record, at=after(record, 16)).dispute
        expected = Dispute(
            opened_by=Party.CLIENT,
            opened_at=after(record, 15),
            milestone=None,
            whole_escrow=False,
            weeks=(date(2026, 11, 8), date(2026, 11, 15)),
        )
        assert expected == dispute

    def test_a_milestone_dispute_and_its_resolution(self) -> None:
        """The dispute holds no weeks; resolving it empties the milestone and adds to what went back."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_funded", "at": "+1d", "milestone": "m2", "amount": "50"},
            {"type": "escrow_returned", "at": "+2d", "milestone": "m2", "amount": "50"},
            {"type": "dispute_opened", "at": "+3d", "by": "client", "milestone": "m1"},
            {"type": "dispute_resolved", "at": "+4d", "to_freelancer": "40", "to_client": "60"},
        )
        opened = replay(record, at=after(record, 3.5)).dispute
        assert opened is not None
        assert () == opened.weeks
        state = replay(record, at=after(record, 5))
        assert [usd(0), usd(0)] == [m.escrow for m in state.milestones]
        assert (usd(4000), usd(11000)) == (state.paid, state.escrow_returned)
        assert "dispute_resolved" == state.payments[-1].source

    def test_refunds_and_returns_add_up(self) -> None:
        """Two refunds and two returns are summed, each refund logged with its source."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_released", "at": "+2d", "milestone": "m1", "amount": "50"},
            {"type": "escrow_returned", "at": "+2d", "milestone": "m1", "amount": "20"},
            {"type": "escrow_returned", "at": "+2d", "milestone": "m1", "amount": "30"},
            {"type": "refund_issued", "at": "+3d", "amount": "10"},
            {"type": "refund_issued", "at": "+4d", "amount": "15"},
        )
        state = replay(record, at=after(record, 5))
        assert (usd(5000), usd(2500)) == (state.escrow_returned, state.refunded)
        assert [Payment(at=after(record, 3), amount=usd(1000), source="refund_issued")] == list(state.refunds[:1])
        assert [Payment(at=after(record, 2), amount=usd(5000), source="milestone_released", reference="m1")] == list(
            state.payments
        )

    def test_removed_feedback_keeps_its_rating_and_place(self) -> None:
        """Removal marks the feedback removed; its rating, instant and index stay."""
        record = build(
            "fixed_price",
            {"type": "contract_ended", "at": "+1d", "by": "client"},
            {"type": "feedback_left", "at": "+2d", "by": "client", "kind": "public", "rating": "2"},
            {"type": "feedback_removed", "at": "+3d", "author": "client", "reason": "extortion"},
        )
        [feedback] = replay(record, at=after(record, 4)).feedback
        assert (Decimal(2), after(record, 2), 1, True) == (
            feedback.rating,
            feedback.at,
            feedback.index,
            feedback.removed,
        )

    def test_a_resubmission_clears_the_request_for_changes(self) -> None:
        """After changes were asked for, resubmitting makes the milestone plainly under review again."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "work_submitted", "at": "+2d", "milestone": "m1"},
            {"type": "changes_requested", "at": "+3d", "milestone": "m1"},
            {"type": "work_submitted", "at": "+4d", "milestone": "m1"},
        )
        [milestone] = replay(record, at=after(record, 5)).milestones
        assert (False, after(record, 4), after(record, 18)) == (
            milestone.changes_requested,
            milestone.submitted_at,
            milestone.release_due,
        )

    def test_two_automatic_releases_of_one_milestone_are_both_logged(self) -> None:
        """Each automatic release waits for its own log: the unlogged amounts add up."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "work_submitted", "at": "+1d", "milestone": "m1"},
            {"type": "milestone_funded", "at": "+20d", "milestone": "m1", "amount": "50"},
            {"type": "work_submitted", "at": "+20d", "milestone": "m1"},
            {"type": "milestone_released", "at": "+40d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_released", "at": "+40d", "milestone": "m1", "amount": "50"},
        )
        state = replay(record, at=after(record, 41))
        assert (usd(15000), 2) == (state.paid, len(state.automatic))
        assert [True, True] == [payment.automatic for payment in state.payments]

    def test_a_logged_release_consumes_the_automatic_one(self) -> None:
        """Once the logs cover an automatic release, a later release pays new escrow for real."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "work_submitted", "at": "+1d", "milestone": "m1"},
            {"type": "milestone_released", "at": "+16d", "milestone": "m1", "amount": "60"},
            {"type": "milestone_released", "at": "+16d", "milestone": "m1", "amount": "40"},
            {"type": "milestone_funded", "at": "+17d", "milestone": "m1", "amount": "50"},
            {"type": "milestone_released", "at": "+18d", "milestone": "m1", "amount": "50"},
        )
        state = replay(record, at=after(record, 19))
        assert usd(15000) == state.paid
        assert [True, False] == [payment.automatic for payment in state.payments]

    def test_a_logged_return_consumes_the_automatic_one(self) -> None:
        """The same for escrow that went back by itself after the client's end."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "contract_ended", "at": "+2d", "by": "client"},
            {"type": "escrow_returned", "at": "+10d", "milestone": "m1", "amount": "60"},
            {"type": "escrow_returned", "at": "+10d", "milestone": "m1", "amount": "40"},
        )
        assert usd(10000) == replay(record, at=after(record, 11)).escrow_returned
        # a further return: nothing is held and nothing automatic is left unlogged
        extra = EscrowReturned(at=after(record, 10), milestone="m1", amount=usd(1000))
        ledger = Ledger(record.contract, ReplayRules())
        ledger.run((*record.events, extra), None)
        assert ["events[4]: returns 10.00 USD from milestone 'm1', which holds 0.00 USD in escrow"] == [
            str(error) for error in ledger.errors
        ]

    def test_an_automatic_release_and_the_end_return_at_the_same_instant(self) -> None:
        """When two automatic steps fall due together, the release comes first (the earlier one wins ties)."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_funded", "at": "+1d", "milestone": "m2", "amount": "100"},
            {"type": "work_submitted", "at": "+1d", "milestone": "m1"},
            {"type": "work_submitted", "at": "+1d", "milestone": "m2"},
        )
        state = replay(record, at=after(record, 16))
        assert ["m1", "m2"] == [step.milestone for step in state.automatic]

    def test_completion_is_stamped_with_its_instant(self) -> None:
        """Under ``release_ends_contract`` the completing step carries the release's instant."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_released", "at": "+2d", "milestone": "m1", "amount": "100"},
        )
        rules = ReplayRules(release_ends_contract=True)
        state = replay(record, at=after(record, 3), policy=rules)
        assert [("COMPLETED", after(record, 2))] == [(step.code, step.at) for step in state.automatic]

    def test_a_logged_end_after_completion_then_feedback(self) -> None:
        """The end that logs an automatic completion moves nothing; feedback after it is fine."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_released", "at": "+2d", "milestone": "m1", "amount": "100"},
            {"type": "contract_ended", "at": "+2d", "by": "client"},
            {"type": "feedback_left", "at": "+3d", "by": "client", "kind": "public", "rating": "5"},
        )
        state = replay(record, at=after(record, 4), policy=ReplayRules(release_ends_contract=True))
        assert (ContractStatus.ENDED, after(record, 2), 1) == (state.status, state.ended_at, len(state.feedback))

    def test_a_second_end_after_a_logged_completion_is_refused(self) -> None:
        """The log of an automatic completion is consumed once: a further end is a second end."""
        record = build(
            "fixed_price",
            {"type": "milestone_funded", "at": "+1d", "milestone": "m1", "amount": "100"},
            {"type": "milestone_released", "at": "+2d", "milestone": "m1", "amount": "100"},
        )
        end = ContractEnded(at=after(record, 2), by=Party.CLIENT)
        ledger = Ledger(record.contract, ReplayRules(release_ends_contract=True))
        ledger.run((*record.events, end, attrs.evolve(end, at=after(record, 3))), None)
        assert ["events[3]: the contract has already ended"] == [str(error) for error in ledger.errors]


# -- The words and sources of every decision and window, pinned ------------------------------------------

GOLDEN: Final = Path(__file__).parent / "golden" / "upwork-reasons.json"
"""What Upwork's rules of 2023-12-05 say, word for word, in the scenarios of :data:`SCENARIOS`.

Regenerate after a deliberate change of wording with ``GIGPOLICY_UPDATE_GOLDEN=1 pytest tests/test_stateful.py``
and review the diff: every line of it is text a person reads.
"""


def _funded(milestone: str, amount: str, at: str = "+1d") -> dict[str, object]:
    return {"type": "milestone_funded", "at": at, "milestone": milestone, "amount": amount}


def _ended(by: str, at: str) -> dict[str, object]:
    return {"type": "contract_ended", "at": at, "by": by}


def _feedback(by: str, kind: str, rating: str, at: str) -> dict[str, object]:
    return {"type": "feedback_left", "at": at, "by": by, "kind": kind, "rating": rating}


SCENARIOS: Final[dict[str, tuple[tuple[Any, ...], float]]] = {
    "held_at_client_end": (
        (
            "fixed_price",
            _funded("m1", "500"),
            {"type": "work_submitted", "at": "+1d", "milestone": "m1"},
            {"type": "changes_requested", "at": "+2d", "milestone": "m1"},
            _ended("client", "+3d"),
        ),
        3.5,
    ),
    "small_payment_open": (
        (
            "fixed_price",
            {"type": "bonus_paid", "at": "+1d", "amount": "0.50"},
            _funded("m2", "100", "+2d"),
            {"type": "work_submitted", "at": "+2d", "milestone": "m2"},
        ),
        3,
    ),
    "both_left_feedback": (
        (
            "fixed_price",
            _funded("m1", "100"),
            {"type": "milestone_released", "at": "+2d", "milestone": "m1", "amount": "100"},
            _ended("freelancer", "+3d"),
            _feedback("client", "public", "5", "+4d"),
            {"type": "feedback_edit_enabled", "at": "+4d", "by": "client"},
            _feedback("freelancer", "public", "4", "+4d"),
            {"type": "feedback_edit_enabled", "at": "+4d", "by": "freelancer"},
        ),
        5,
    ),
    "zero_positive_private_left": (
        (
            "fixed_price",
            _ended("freelancer", "+1d"),
            _feedback("client", "public", "5", "+2d"),
            _feedback("client", "private", "9", "+2d"),
        ),
        3,
    ),
    "negative_suspended": (
        (
            "fixed_price",
            _ended("client", "+1d"),
            _feedback("client", "public", "1", "+2d"),
            {"type": "account_suspended", "at": "+3d", "party": "client", "reason": "tos_violation"},
        ),
        4,
    ),
    "negative_in_good_standing": (
        ("fixed_price", _ended("client", "+1d"), _feedback("client", "public", "1", "+2d")),
        4,
    ),
    "removed": (
        (
            "fixed_price",
            _ended("client", "+1d"),
            _feedback("client", "public", "1", "+2d"),
            {"type": "feedback_removed", "at": "+3d", "author": "client", "reason": "extortion"},
        ),
        4,
    ),
    "mid_contract_only": (("hourly", _feedback("client", "mid_contract", "3", "+1d"), _ended("client", "+2d")), 3),
    "hourly_week": (
        ("hourly", {"type": "hours_billed", "at": "+7d", "week_ending": "2026-11-08", "hours": "1", "amount": "30"}),
        8,
    ),
    "hourly_week_closed": (
        ("hourly", {"type": "hours_billed", "at": "+7d", "week_ending": "2026-11-08", "hours": "1", "amount": "30"}),
        20,
    ),
    "dispute_open": (
        (
            "fixed_price",
            _funded("m1", "100"),
            {"type": "dispute_opened", "at": "+2d", "by": "client", "milestone": "m1"},
        ),
        3,
    ),
    "nothing": (("fixed_price",), 1),
    "mid_contract_open": (
        ("hourly", {"type": "hours_billed", "at": "+33d", "week_ending": "2026-12-06", "hours": "1", "amount": "30"}),
        35,
    ),
    "changes_requested_open": (
        (
            "fixed_price",
            _funded("m1", "100"),
            {"type": "work_submitted", "at": "+2d", "milestone": "m1"},
            {"type": "changes_requested", "at": "+3d", "milestone": "m1"},
        ),
        4,
    ),
}


def _words(name: str, policy: UpworkPolicy) -> dict[str, list[list[Any]]]:
    """Every decision's reasons and every window of scenario *name*, as JSON data."""
    events, day = SCENARIOS[name]
    record = build(*events)
    at = after(record, day)
    report = evaluate(record, at=at, policy=policy)
    windows = policy.windows(Context(record=record, state=report.state, at=at, party=Party.CLIENT))
    return {
        "decisions": [
            [d.question.value, d.party.value, d.answer, [[r.code, r.message, r.source] for r in d.reasons]]
            for d in report.decisions
        ],
        "windows": [[w.code, w.label, w.party, w.source, w.opens.isoformat(), w.closes.isoformat()] for w in windows],
    }


UPWORK: Final = next(v for v in VERSIONS if v.effective_from == max(u.effective_from for u in VERSIONS))
"""Upwork's latest version, typed as the Upwork policy it is."""
UPWORK_2023_12: Final = next(v for v in VERSIONS if v.effective_from == date(2023, 12, 5))
GOLDEN_LATEST: Final = Path(__file__).parent / "golden" / "upwork-2025-05-01-reasons.json"
"""The same scenarios under the latest version (2025-05-01): dormancy, no private rating, feedback before a
dispute. Regenerated the same way."""


class TestWords:
    """Reasons, labels and sources are part of the answer: a person reads them."""

    @pytest.mark.parametrize(
        ("policy", "golden"), [(UPWORK_2023_12, GOLDEN), (UPWORK, GOLDEN_LATEST)], ids=["2023-12-05", "2025-05-01"]
    )
    def test_every_scenario_says_what_it_said(self, policy: UpworkPolicy, golden: Path) -> None:
        """Each scenario's reasons and windows are those of the version's golden file in tests/golden/."""
        found = {name: _words(name, policy) for name in SCENARIOS}
        if os.environ.get("GIGPOLICY_UPDATE_GOLDEN") == "1":
            golden.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(json.dumps(found))

    def test_a_version_without_private_ratings(self) -> None:
        """With ``private_feedback=False`` the client's private rating is not offered, and says why."""
        policy = attrs.evolve(UPWORK_2023_12, private_feedback=False)
        decisions = _words("zero_positive_private_left", policy)["decisions"]
        [private] = [decision for decision in decisions if decision[0] == "private_feedback"]
        assert [
            "PRIVATE_FEEDBACK_NOT_OFFERED",
            (
                "The feedback form has no private rating: the client leaves a 1-5 public rating and may add a private "
                "note, which is not a rating."
            ),
            LEAVE_FEEDBACK,
        ] == private[3][0]

    def test_an_old_version_counts_contracts_without_feedback(self) -> None:
        """Before 2020-11-08 a contract without feedback still counts, and the reason says so."""
        record = build("fixed_price", _ended("client", "+1d"))
        report = evaluate(record, at=after(record, 2), policy=get_policy("upwork", on=date(2019, 1, 1)))
        reasons = report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER).reasons
        assert ("NO_FEEDBACK_COUNTS", "Contracts ended without feedback still count in this version.") == (
            reasons[-1].code,
            reasons[-1].message,
        )
