"""The fold of events into state: money, lifecycle and the policy's automatic steps.

One pass, event by event. Before each event, the automatic steps that fell due by its
instant are taken; an event the state does not allow becomes an ``InvalidTransition``,
collected, and the fold goes on without it so that later problems are reported too.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from operator import attrgetter
from typing import Any, Final, TypeVar

import attrs

from gigpolicy._contract import (
    ACTIVE,
    CLIENT,
    ENDED,
    FIXED_PRICE,
    FREELANCER,
    HOURLY,
    PAUSED,
    ContractStatus,
    ContractTerms,
    Party,
)
from gigpolicy._events import (
    MID_CONTRACT,
    PUBLIC,
    AccountSuspended,
    BonusPaid,
    ChangesRequested,
    ContractEnded,
    ContractPaused,
    ContractResumed,
    DisputeOpened,
    DisputeResolved,
    EscrowReturned,
    Event,
    FeedbackEditEnabled,
    FeedbackKind,
    FeedbackLeft,
    FeedbackRemoved,
    FeedbackResponse,
    HoursBilled,
    HoursDisputed,
    JobReported,
    MilestoneFunded,
    MilestoneReleased,
    RefundIssued,
    WorkSubmitted,
)
from gigpolicy._judge import when
from gigpolicy._money import Money, _add, _subtract, exact_money  # Money's sums: in gigpolicy's own context
from gigpolicy._state import (
    AutomaticStep,
    BilledWeek,
    ContractState,
    Dispute,
    Feedback,
    MilestoneState,
    Payment,
    ReplayRules,
    Suspension,
)
from gigpolicy._trusted import trusted
from gigpolicy.errors import InvalidTransition

__all__ = ["ACTIVITY", "MAX_MILESTONES", "Ledger", "fold", "shared_prefix"]


# values of the ledger's own making, built without the checks of their classes: a snapshot per
# automatic step and a payment per event must not cost more than the fold itself
_PAYMENT: Final = trusted(Payment, "at", "amount", "source", "automatic", "reference")
_STEP: Final = trusted(AutomaticStep, "at", "code", "milestone", "amount")
_STATE: Final = trusted(
    ContractState, *(field.name for field in attrs.fields(ContractState)), "_net_paid", "_index_found"
)
"""A state, its fields in the order of the class (``snapshot`` gives them so)."""
_MILESTONE_STATE: Final = trusted(
    MilestoneState, "id", "funded", "escrow", "due_at", "submitted_at", "changes_requested", "release_due"
)
_WEEK: Final = trusted(BilledWeek, "week_ending", "hours", "amount", "billed_at", "disputed")
_FEEDBACK: Final = trusted(Feedback, "by", "kind", "rating", "at", "index", "removed")
_SUSPENSION: Final = trusted(Suspension, "party", "reason", "at")
_DISPUTE: Final = trusted(Dispute, "opened_by", "opened_at", "milestone", "whole_escrow", "weeks")

MAX_MILESTONES: Final = 1_000
"""The most milestones one contract may hold. Looking ahead through their automatic releases costs
time in proportion to the milestones times the history, so the count is bounded."""


class _Refused(Exception):
    """An event the state does not allow; becomes an ``InvalidTransition`` with its index."""


class _Milestone:
    """One milestone's mutable record; the ledger notes in ``changed`` each one it may change.

    Its amounts are plain ``Decimal`` amounts of the contract's currency, as the ledger's are.
    """

    __slots__ = (
        "changes_requested",
        "due_at",
        "escrow",
        "funded",
        "id",
        "submitted_at",
        "unlogged_release",
        "unlogged_return",
    )

    def __init__(self, milestone: str, zero: Decimal) -> None:
        self.id = milestone
        self.funded = zero
        self.escrow = zero
        self.due_at: datetime | None = None
        self.submitted_at: datetime | None = None
        self.changes_requested = False
        self.unlogged_release = zero
        self.unlogged_return = zero

    def copy(self) -> _Milestone:
        twin = _Milestone.__new__(_Milestone)
        twin.id, twin.funded, twin.escrow, twin.due_at = self.id, self.funded, self.escrow, self.due_at
        twin.submitted_at, twin.changes_requested = self.submitted_at, self.changes_requested
        twin.unlogged_release, twin.unlogged_return = self.unlogged_release, self.unlogged_return
        return twin


class Ledger:
    """The mutable fold behind replay and record validation (private to the package)."""

    __slots__ = (
        "ahead",
        "automatic",
        "changed",
        "completed_at",
        "currency",
        "deposited",
        "dispute",
        "disputes_opened",
        "dormant_after",
        "due",
        "edits",
        "ended_at",
        "ended_by",
        "errors",
        "feedback",
        "feedback_changed",
        "feedback_frozen",
        "first_feedback",
        "fixed",
        "frozen",
        "frozen_basis",
        "frozen_tuple",
        "held",
        "history",
        "index",
        "last_activity_at",
        "last_edit",
        "last_event_at",
        "latest_due",
        "logged",
        "milestones",
        "owned",
        "paid",
        "payments",
        "position",
        "refunded",
        "refunds",
        "reports",
        "responses",
        "responses_frozen",
        "return_due",
        "returned",
        "rules",
        "scheduled",
        "shared",
        "standing",
        "standing_public",
        "status",
        "suspensions",
        "terms",
        "time",
        "timed",
        "unlogged_end",
        "weeks",
        "zero",
    )

    def __init__(self, terms: ContractTerms, rules: ReplayRules, *, history: bool = True) -> None:  # noqa: PLR0915 - one field a line
        self.terms = terms
        self.rules = rules
        self.fixed = terms.kind is FIXED_PRICE
        self.history = history
        """``False`` for a fold that only checks the events: what only snapshots read (payments,
        deposits, the milestones' funding and due dates, ...) is not kept, and it must not be
        snapshot. Refusals are the same either way."""
        self.timed = (
            rules.auto_release_after is not None
            or rules.escrow_return_after_freelancer_end is not None
            or rules.escrow_return_after_client_end is not None
            or (rules.dormant_after is not None and self.fixed)
        )
        """Whether any automatic step can fall due: without one, time only follows the events."""
        self.dormant_after = rules.dormant_after if self.fixed else None
        """How long inactivity closes the contract, where it can (only fixed-price ones go dormant)."""
        # amounts are plain Decimals of the contract's currency while folding (a Money per
        # addition would cost several times the addition); values handed out are Money
        self.currency = terms.currency
        self.zero = Money.zero(terms.currency)
        zero = self.zero.amount
        self.time = terms.started_at
        self.last_event_at = terms.started_at
        self.last_activity_at = terms.started_at
        # the latest due date of any funded milestone: dormancy counts from it at the earliest
        self.latest_due: datetime | None = None
        # whether the event being applied only logged an automatic step (no activity of its own)
        self.logged = False
        self.index = 0
        self.status = ACTIVE
        self.ended_at: datetime | None = None
        self.ended_by: Party | None = None
        self.paid = zero
        self.refunded = zero
        self.returned = zero
        self.deposited = zero
        self.milestones: dict[str, _Milestone] = {}
        self.owned: set[str] = set()
        """The milestones this ledger may change in place; a copy shares the others until it changes them."""
        self.due: list[tuple[datetime, int, str, datetime]] = []
        """A heap of (release instant, order, milestone, submission) of submissions that may release
        themselves; entries whose milestone changed since are dropped when they reach the top."""
        self.scheduled = 0
        self.changed: set[str] = set()
        """Milestones that may have changed since the last snapshot: every handler reaches a milestone
        through ``_milestone``, ``_funded`` or ``_settled``, which note it here (in a ledger that keeps
        the history: one that does not is never snapshot)."""
        self.frozen: list[MilestoneState] = []
        """The milestones as values at the last snapshot, in the order they were first funded."""
        self.position: dict[str, int] = {}
        self.frozen_basis: tuple[ContractStatus, Dispute | None] | None = None
        """The status and dispute the values were built under (a milestone's release depends on them)."""
        self.frozen_tuple: tuple[MilestoneState, ...] = ()
        self.held = zero
        self.weeks: dict[date, BilledWeek] = {}
        self.payments: list[Payment] = []
        self.refunds: list[Payment] = []
        self.feedback: list[Feedback] = []
        self.first_feedback: dict[tuple[Party, FeedbackKind], datetime] = {}
        """When each party first left each kind of feedback: the checks read it instead of the list."""
        self.standing: dict[Party, list[int]] = {CLIENT: [], FREELANCER: []}
        """The positions in ``feedback`` of each author's feedback that was not removed."""
        self.standing_public: dict[Party, int] = {CLIENT: 0, FREELANCER: 0}
        """How many of those are public feedback."""
        self.last_edit: dict[Party, datetime] = {}
        self.feedback_frozen: tuple[Feedback, ...] = ()
        self.feedback_changed = False
        """Whether feedback was removed since the tuple was made (a removal keeps the length)."""
        self.responses_frozen: tuple[tuple[Party, datetime], ...] = ()
        """When each party last enabled an edit of the other's feedback."""
        self.responses: list[tuple[Party, datetime]] = []
        self.edits: list[tuple[Party, datetime]] = []
        self.suspensions: list[Suspension] = []
        self.reports: list[tuple[Party, datetime]] = []
        self.dispute: Dispute | None = None
        self.disputes_opened: list[tuple[Party, datetime]] = []
        self.automatic: list[AutomaticStep] = []
        self.return_due: datetime | None = None
        self.completed_at: datetime | None = None
        self.ahead: tuple[int, datetime | None, datetime | None] | None = None
        """What :meth:`dormancy_ahead` found, after how many events: the automatic steps taken since
        follow the path it took, so it holds until the next event (a copy shares it, as it shares the past)."""
        self.unlogged_end = False
        self.errors: list[InvalidTransition] = []
        self.shared = False
        """Whether other folds share this ledger (one that folded the events many records start with):
        it is only read, and copied by whoever would change it."""

    def copy(self) -> Ledger:
        """A ledger in the same state that folds on independently of this one."""
        twin = Ledger.__new__(Ledger)
        for put, value in zip(_PUT_SHARED, _GET_SHARED(self), strict=True):
            put(twin, value)
        for put, value in zip(_PUT_COPIED, _GET_COPIED(self), strict=True):
            put(twin, value.copy())  # of values that never change, but for these two:
        # milestones are copied when first changed (`_own`): a copy of a ledger holding many costs
        # no pass over them, and both ledgers now share every one
        self.owned = set()
        twin.owned = set()
        twin.standing = {party: positions.copy() for party, positions in self.standing.items()}
        twin.shared = False
        return twin

    # -- driving -------------------------------------------------------------------------

    def run(self, events: Iterable[Event], until: datetime | None, *, start: int = 0) -> None:
        """Fold *events* (those at or before *until*, all if ``None``), then advance to *until*.

        The events are numbered from *start*: a ledger that folded the events before them goes on.
        """
        # a record's check, say: no step ever falls due. A rule whose handlers read the instant, the
        # last activity or `logged` must be named here, or make the ledger `timed`
        if until is None and not self.timed and not self.rules.release_ends_contract:
            self._check(events, start)
            return
        self.fold_to(events, until, start=start)
        if until is not None:
            self.advance(until)

    def fold_to(self, events: Iterable[Event], until: datetime | None, *, start: int = 0) -> int | None:
        """Fold *events* up to the first one after *until* (all if ``None``), without advancing.

        The number of that first event after *until*, if there is one.

        Replay stops there, as :meth:`run` does, even where a later event is out of order. Each
        event is taken as :meth:`apply` takes it, in one loop (a call per event would cost a
        tenth of a record's check).
        """
        handlers, activity, errors, timed = _HANDLERS, ACTIVITY, self.errors, self.timed
        releases, dormant_after = self.due, self.dormant_after
        for index, event in enumerate(events, start):
            at = event.at
            if until is not None and at > until:
                return index
            if at < self.last_event_at:  # never before the start: this also catches events before it
                errors.append(self._out_of_order(index, at))
                continue
            # the steps due by then, before the event moves the instant inactivity counts from; else time
            # only moves with the events. Without a call where none can be due (most events): no release
            # waits, and inactivity counts from the last activity at the earliest. Where releases wait, the
            # spent entries at the heap's top go before the event, as ever: an event that makes their
            # milestone pending again must not revive them (two releases of one instant would swap)
            if timed and (
                (
                    releases
                    and self.status is not ENDED
                    and (release := self._next_release()) is not None
                    and release[0] <= at
                )
                or ((return_due := self.return_due) is not None and return_due <= at)
                or (
                    dormant_after is not None
                    and self.held
                    and self.last_activity_at + dormant_after <= at
                    and (dormant := self.dormant_due()) is not None
                    and dormant <= at
                )
            ):
                self.advance(at)
            elif at > self.time:
                self.time = at
            self.last_event_at = at
            self.index = index + 1
            self.logged = False
            kind = type(event)
            try:
                handlers[kind](self, event)
            except _Refused as refusal:
                errors.append(InvalidTransition(index, str(refusal)))
            else:
                if kind in activity and not self.logged:
                    self.last_activity_at = at
        return None

    def _check(self, events: Iterable[Event], start: int) -> None:
        """:meth:`fold_to` of all *events* for a ledger under which no automatic step ever falls due.

        The handlers take the events as there; only what nothing but automatic steps reads is not
        kept up: the instant the ledger stands at follows the last event only at the end, and
        activity (when dormancy counts from) is not noted, as no rule closes a dormant contract
        where no step falls due. That bookkeeping was about a fifteenth of a record's check.
        """
        handlers, errors, last = _HANDLERS, self.errors, self.last_event_at
        for index, event in enumerate(events, start):
            at = event.at
            if at < last:
                errors.append(self._out_of_order(index, at))
                continue
            last = at
            self.index = index + 1
            try:
                handlers[type(event)](self, event)
            except _Refused as refusal:
                errors.append(InvalidTransition(index, str(refusal)))
        self.last_event_at = last
        self.time = max(self.time, last)

    def _out_of_order(self, index: int, at: datetime) -> InvalidTransition:
        """The problem of event *index*, at *at*, earlier than the event before it or the start."""
        if at < self.terms.started_at:
            return InvalidTransition(index, "happens before the contract started")
        return InvalidTransition(index, "is earlier than the event before it")

    def apply(self, index: int, event: Event) -> None:
        """Take the automatic steps due by the event's instant, then the event itself (numbered *index*)."""
        self.fold_to((event,), None, start=index)

    def advance(self, to: datetime) -> None:
        """Take, in time order, every automatic step due at or before *to*."""
        while True:
            # the step itself is made only when it is taken; no call where nothing goes dormant
            due = self._next_step(None if self.dormant_after is None else self.dormant_due())
            if due is None or due[0] > to:
                break
            when, kind, milestone = due
            self.time = max(self.time, when)
            self._step(kind, milestone)()
        self.time = max(self.time, to)

    def _next_step(self, dormant_at: datetime | None) -> tuple[datetime, int, _Milestone | None] | None:
        """The instant of the earliest automatic step still to come, its kind and milestone (for a release).

        *dormant_at* must be :meth:`dormant_due`, which the caller found (a snapshot reads it too).
        """
        best: tuple[datetime, int, _Milestone | None] | None = None
        if self.due and self.status is not ENDED:  # entries are pushed only under rules that release
            best = self._next_release()
        if self.return_due is not None and (best is None or self.return_due < best[0]):
            best = (self.return_due, _RETURN, None)
        if dormant_at is not None and (best is None or dormant_at < best[0]):
            best = (dormant_at, _DORMANT, None)
        return best

    def _next_release(self) -> tuple[datetime, int, _Milestone] | None:
        """The earliest release still to come, dropping the spent entries at the top of the heap."""
        due = self.due
        while due:
            when, _, name, submitted = due[0]
            milestone = self.milestones[name]
            if milestone.submitted_at == submitted and self._pending_review(milestone):
                return (when, _RELEASE, milestone)
            # settled, sent back for changes, resubmitted or in dispute: this entry is spent
            heapq.heappop(due)
        return None

    def _step(self, kind: int, milestone: _Milestone | None) -> _Step:
        """The automatic step of *kind*, for *milestone* if it is a release."""
        if kind == _RELEASE:
            assert milestone is not None  # noqa: S101 - a release names its milestone
            return _AutoRelease(self, milestone)
        return _EndReturn(self) if kind == _RETURN else _DormantClose(self)

    def inactive_since(self) -> datetime | None:
        """The instant dormancy counts from, under rules that close dormant contracts.

        Only an active (not paused, not ended) fixed-price contract that holds escrow and has no
        dispute open can go dormant; inactivity counts from the later of its last activity (or start), its last
        milestone's due date and the rule's own start.
        """
        if self.dormant_after is None or self.status is not ACTIVE:
            return None  # a paused contract is not dormant: its clock starts again when resumed
        if not self.held or self.dispute is not None:
            return None
        since = self.last_activity_at
        later = self.latest_due
        if later is not None and later > since:
            since = later
        later = self.rules.dormancy_counts_from
        if later is not None and later > since:
            since = later
        return since

    def dormancy_ahead(self) -> tuple[datetime | None, datetime | None]:
        """When inactivity counts from and the contract closes as dormant, if no event comes first.

        The automatic steps due before the closure are taken first (on this ledger: a copy's): a
        release is activity, and one that pays out the last escrow leaves nothing to close on.
        """
        while True:
            since = self.inactive_since()
            dormant = None if since is None or self.dormant_after is None else since + self.dormant_after
            due = self._next_step(dormant)
            if dormant is None or due is None or due[1] == _DORMANT:
                return since, dormant
            self.time = max(self.time, due[0])
            self._step(due[1], due[2])()

    def dormant_due(self) -> datetime | None:
        """When the contract closes as dormant if nothing active happens first (``None``: never)."""
        after = self.dormant_after
        if after is None:
            return None
        since = self.inactive_since()
        return None if since is None else since + after

    def _schedule(self, milestone: _Milestone) -> None:
        """Note that *milestone*'s submission may release itself (checked again when due)."""
        after = self.rules.auto_release_after
        if after is not None and milestone.submitted_at is not None and not milestone.changes_requested:
            self.scheduled += 1
            heapq.heappush(
                self.due, (milestone.submitted_at + after, self.scheduled, milestone.id, milestone.submitted_at)
            )

    def _pending_review(self, milestone: _Milestone) -> bool:
        return (
            milestone.submitted_at is not None
            and not milestone.changes_requested
            and bool(milestone.escrow)
            and not self._in_dispute(milestone.id)
        )

    def _returnable(self) -> bool:
        """Whether some escrow is held outside a dispute: what a return after the end gives back."""
        return any(held.escrow and not self._in_dispute(name) for name, held in self.milestones.items())

    def _in_dispute(self, milestone: str) -> bool:
        dispute = self.dispute
        return dispute is not None and (dispute.whole_escrow or dispute.milestone == milestone)

    def release_due(self, milestone: _Milestone) -> datetime | None:
        """When *milestone* releases by itself, if it will."""
        after = self.rules.auto_release_after
        if after is None or self.status is ENDED or not self._pending_review(milestone):
            return None
        assert milestone.submitted_at is not None  # noqa: S101 - _pending_review checked it
        return milestone.submitted_at + after

    # -- the state -------------------------------------------------------------------------

    @property
    def escrow(self) -> Money:
        """All money held: the milestones' escrow and disputed hours (kept as a running total)."""
        return self.money(self.held)

    def money(self, amount: Decimal) -> Money:
        """One of this ledger's amounts as :class:`Money` (as a message shows it, say)."""
        return exact_money(amount, self.currency)

    def _frozen(self, m: _Milestone) -> MilestoneState:
        currency, zero = self.currency, self.zero
        return _MILESTONE_STATE(
            m.id,
            exact_money(m.funded, currency),
            zero if m.escrow is zero.amount else exact_money(m.escrow, currency),
            m.due_at,
            m.submitted_at,
            m.changes_requested,
            self.release_due(m),
        )

    def _milestone_states(self) -> tuple[MilestoneState, ...]:
        """The milestones as values, building again only those that changed since the last call.

        A snapshot per automatic step must not cost a pass over every milestone: only the
        changed ones are built, and the tuple is copied from a list (linear, but in C).
        """
        basis = (self.status, self.dispute)
        if basis != self.frozen_basis:
            self.frozen_basis = basis
            self.changed.update(self.milestones)
        if self.changed:
            frozen, position, milestones = self.frozen, self.position, self.milestones
            for name in islice(milestones, len(frozen), None):  # new ones, in the order funded
                position[name] = len(frozen)
                frozen.append(self._frozen(milestones[name]))
                self.changed.discard(name)
            for name in self.changed:
                frozen[position[name]] = self._frozen(milestones[name])
            self.changed.clear()
            self.frozen_tuple = tuple(frozen)
        return self.frozen_tuple

    def snapshot(self, at: datetime) -> ContractState:
        """Freeze the state as it stands at *at*."""
        currency, terms = self.currency, self.terms
        since, after = self.inactive_since(), self.dormant_after  # dormant_due's, once for the three fields
        dormant = None if since is None or after is None else since + after
        due = self._next_step(dormant)
        # a release comes first: the closure moves, or goes
        if dormant is not None and due is not None and due[1] != _DORMANT:
            ahead = self.ahead
            if ahead is None or ahead[0] != self.index:  # once per events: a projection snapshots each step ahead
                ahead = self.ahead = (self.index, *self.copy().dormancy_ahead())
            since, dormant = ahead[1], ahead[2]
        # a total never moved is still the zero it started as: its Money is the ledger's own zero
        zero, nothing = self.zero, self.zero.amount
        held, paid, refunded, returned, deposited = self.held, self.paid, self.refunded, self.returned, self.deposited
        return _STATE(
            at,
            terms.kind,
            currency,
            terms.started_at,
            self.status,
            self.ended_at,
            self.ended_by,
            zero if held is nothing else exact_money(held, currency),  # escrow
            zero if paid is nothing else exact_money(paid, currency),
            zero if refunded is nothing else exact_money(refunded, currency),
            zero if returned is nothing else exact_money(returned, currency),  # escrow_returned
            zero if deposited is nothing else exact_money(deposited, currency),
            self._milestone_states(),
            # most of these are empty on most records: the empty tuple without a call
            tuple(self.weeks.values()) if self.weeks else (),
            tuple(self.payments) if self.payments else (),
            tuple(self.refunds) if self.refunds else (),
            self._feedback_tuple() if self.feedback else (),
            self._responses_tuple() if self.responses else (),
            tuple(self.edits) if self.edits else (),  # edits_enabled
            tuple(self.suspensions) if self.suspensions else (),
            tuple(self.reports) if self.reports else (),
            self.dispute,
            tuple(self.disputes_opened) if self.disputes_opened else (),
            tuple(self.automatic) if self.automatic else (),
            self.return_due if self.return_due is None or self._returnable() else None,  # escrow_return_due
            self.index,  # events_applied
            self.completed_at,
            None if due is None else due[0],  # next_step_at
            dormant,  # dormant_at
            since,  # inactive_since
            [],  # net_paid, once found
            [],  # the index of its feedback, once found
        )

    def _feedback_tuple(self) -> tuple[Feedback, ...]:
        """The feedback as a tuple: the same one as last time if no feedback came or went since.

        Rules index a state's feedback once per tuple (``ContractState.feedback_by``), so looking
        ahead through many automatic steps costs one pass over the feedback, not one per step.
        """
        if self.feedback_changed or len(self.feedback_frozen) != len(self.feedback):
            self.feedback_frozen = tuple(self.feedback)
            self.feedback_changed = False
        return self.feedback_frozen

    def _responses_tuple(self) -> tuple[tuple[Party, datetime], ...]:
        """The responses as a tuple, the same one as last time if none came since."""
        if len(self.responses_frozen) != len(self.responses):
            self.responses_frozen = tuple(self.responses)
        return self.responses_frozen

    # -- helpers for handlers -----------------------------------------------------------

    def _milestone(self, milestone: str) -> _Milestone:
        found = self.milestones.get(milestone)
        if found is None:
            raise _Refused(f"milestone {milestone!r} was never funded")
        if self.history:
            self.changed.add(milestone)  # handlers fetch a milestone to change it
        return found if milestone in self.owned else self._own(milestone)  # _own's first test, in line

    def _own(self, name: str) -> _Milestone:
        """The milestone *name*, this ledger's own to change (copied first if shared with a copy)."""
        if name in self.owned:
            return self.milestones[name]
        milestone = self.milestones[name] = self.milestones[name].copy()
        self.owned.add(name)
        return milestone

    def _pay(
        self, at: datetime, amount: Money, source: str, reference: str | date | None = None, *, automatic: bool = False
    ) -> None:
        """Add *amount* to what was paid; a fold that keeps the history notes the payment.

        A week's *reference* is its Sunday, written out only where the payment is kept.
        """
        paid = self.paid  # the first payment is the sum (as in _funded)
        self.paid = amount.amount if paid is self.zero.amount else _add(paid, amount.amount)
        if self.history:
            if isinstance(reference, date):  # a subclass too: a week ending given as one
                reference = reference.isoformat()
            self.payments.append(_PAYMENT(at, amount, source, automatic, reference))

    def _settled(self, milestone: _Milestone) -> None:
        """Note *milestone*, its escrow all paid out or returned: no submission awaits review."""
        if self.history:
            self.changed.add(milestone.id)
        milestone.submitted_at = None
        milestone.changes_requested = False

    def _complete(self, milestone: _Milestone) -> None:
        """Under ``release_ends_contract``, paying out the last escrow ends the contract."""
        if self.rules.release_ends_contract and self.status is not ENDED and not self.held:
            self.status = ENDED
            self.ended_at = self.completed_at = self.time
            self.ended_by = None
            self.unlogged_end = True
            self.return_due = None
            self.automatic.append(_STEP(self.time, "COMPLETED", milestone.id, self.zero))

    def _take(self, milestone: _Milestone, amount: Money, verb: str) -> None:
        taken = amount.amount
        if taken > milestone.escrow:
            held = self.money(milestone.escrow)
            raise _Refused(f"{verb} {amount} from milestone {milestone.id!r}, which holds {held} in escrow")
        # all of it (most releases): the ledger's own zero, which a snapshot hands out as its Money
        nothing = self.zero.amount
        milestone.escrow = nothing if taken == milestone.escrow else _subtract(milestone.escrow, taken)
        self.held = nothing if taken == self.held else _subtract(self.held, taken)


COPIED: Final = frozenset(
    {
        "automatic",
        "changed",
        "disputes_opened",
        "due",
        "edits",
        "errors",
        "feedback",
        "first_feedback",
        "frozen",
        "last_edit",
        "milestones",
        "owned",
        "payments",
        "position",
        "refunds",
        "reports",
        "responses",
        "standing",
        "standing_public",
        "suspensions",
        "weeks",
    }
)
"""The slots of a :class:`Ledger` that hold a list, a set or a dict: a copy copies them; it shares the rest."""
_SHARED_NAMES: Final = tuple(name for name in Ledger.__slots__ if name not in COPIED)
_COPIED_NAMES: Final = tuple(name for name in Ledger.__slots__ if name in COPIED)
# the slots' own descriptors, read and written in C: a copy is made at every step a future takes
_GET_SHARED: Final = attrgetter(*_SHARED_NAMES)
_GET_COPIED: Final = attrgetter(*_COPIED_NAMES)
_PUT_SHARED: Final = tuple(getattr(Ledger, name).__set__ for name in _SHARED_NAMES)
_PUT_COPIED: Final = tuple(getattr(Ledger, name).__set__ for name in _COPIED_NAMES)


_Step = Callable[[], None]
_RELEASE: Final = 0
_RETURN: Final = 1
_DORMANT: Final = 2
"""The kinds of automatic step: an automatic release, the escrow's return after an end, a dormancy closure."""


class _AutoRelease:
    __slots__ = ("ledger", "milestone")

    def __init__(self, ledger: Ledger, milestone: _Milestone) -> None:
        self.ledger = ledger
        self.milestone = milestone

    def __call__(self) -> None:
        ledger = self.ledger
        milestone = ledger._own(self.milestone.id)  # noqa: SLF001 - the ledger's own step
        amount = milestone.escrow
        milestone.escrow = ledger.zero.amount
        ledger.held = _subtract(ledger.held, amount)
        milestone.unlogged_release = _add(milestone.unlogged_release, amount)
        ledger._settled(milestone)  # noqa: SLF001 - the ledger's own step
        money = exact_money(amount, ledger.currency)
        ledger._pay(ledger.time, money, "milestone_released", milestone.id, automatic=True)  # noqa: SLF001
        ledger.automatic.append(_STEP(ledger.time, "AUTO_RELEASE", milestone.id, money))
        ledger.last_activity_at = ledger.time  # a release is activity, whoever makes it
        ledger._complete(milestone)  # noqa: SLF001


class _EndReturn:
    __slots__ = ("ledger",)

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __call__(self) -> None:
        ledger = self.ledger
        ledger.return_due = None
        zero, at, steps, currency = ledger.zero.amount, ledger.time, ledger.automatic, ledger.currency
        returned = zero
        for name, held in list(ledger.milestones.items()):
            if held.escrow and not ledger._in_dispute(name):  # noqa: SLF001
                milestone = ledger._own(name)  # noqa: SLF001
                amount = milestone.escrow
                milestone.escrow = zero
                milestone.unlogged_return = _add(milestone.unlogged_return, amount)
                ledger._settled(milestone)  # noqa: SLF001
                returned = _add(returned, amount)
                steps.append(_STEP(at, "ESCROW_RETURNED_AFTER_END", name, exact_money(amount, currency)))
        if returned is not zero:  # the totals once: a contract may hold a thousand milestones
            ledger.held = _subtract(ledger.held, returned)
            ledger.returned = _add(ledger.returned, returned)


class _DormantClose:
    """Close a dormant contract: end it, by no party.

    Its escrow returns to the client later, unless the freelancer disputes first (as after a
    client's end).
    """

    __slots__ = ("ledger",)

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __call__(self) -> None:
        ledger = self.ledger
        last = next(reversed(ledger.milestones))  # a contract holding escrow has a milestone
        ledger.automatic.append(_STEP(ledger.time, "DORMANT_CLOSED", last, exact_money(ledger.held, ledger.currency)))
        ledger.status = ENDED
        ledger.ended_at = ledger.time
        ledger.ended_by = None
        ledger.unlogged_end = True
        delay = ledger.rules.dormant_escrow_return_after
        ledger.return_due = None if delay is None else ledger.time + delay


# -- one handler per event type -------------------------------------------------------------


def fold(
    contract: ContractTerms,
    rules: ReplayRules,
    events: tuple[Event, ...],
    until: datetime | None,
    *,
    history: bool = True,
) -> Ledger:
    """A ledger that folded *events* (to *until*): ``Ledger(...).run(...)``, sharing a prefix if it can.

    Inside :func:`shared_prefix`, records that extend the shared events (the futures that
    ``options`` simulates) start from a copy of a ledger that folded the shared events once, and
    fold only their own events: the work per future is its own events, not the whole history.
    """
    prefix = _PREFIX.get()
    shared = 0 if prefix is None else prefix.covers(contract, events, until)
    if not shared:
        ledger = Ledger(contract, rules, history=history)
        ledger.run(events, until)
        return ledger
    assert prefix is not None  # noqa: S101 - covers() found one
    if until is not None and events[-1].at > until:  # the record cut short: fold what it has by then
        ledger = prefix.ledger(rules, history).copy()
        ledger.run(events[shared:], until, start=shared)
        return ledger
    # a future is judged at several instants: its own events are folded once, then advanced
    folded = prefix.folded(rules, history, events)
    if until is None:
        return folded  # shared: whoever would change it copies it first
    due = folded._next_step(folded.dormant_due())  # noqa: SLF001 - the ledger's own module
    if due is None or due[0] > until:
        return folded  # no step falls due by then: the shared ledger is the state
    ledger = folded.copy()
    ledger.advance(until)
    return ledger


class _Prefix:
    """Events that many records share at their start, and the ledgers that folded them."""

    __slots__ = ("contract", "events", "extended", "last", "ledgers")

    def __init__(self, contract: ContractTerms, events: tuple[Event, ...]) -> None:
        self.contract = contract
        self.events = events
        self.last = events[-1].at
        self.ledgers: dict[tuple[ReplayRules, bool], Ledger] = {}
        # by the identity of a record's events (kept alive here), the ledger that folded them all
        self.extended: dict[tuple[int, ReplayRules, bool], tuple[tuple[Event, ...], Ledger]] = {}

    def covers(self, contract: ContractTerms, events: tuple[Event, ...], until: datetime | None) -> int:
        """How many of *events* the prefix folds (all of its own, or none)."""
        count = len(self.events)
        if (
            contract is not self.contract
            or len(events) < count
            or (until is not None and until < self.last)
            or events[:count] != self.events  # the same objects: a pass of identity checks
        ):
            return 0
        return count

    def ledger(self, rules: ReplayRules, history: bool) -> Ledger:
        # a ledger that keeps the history folds the same way as one that does not: take it if there is one
        found = self.ledgers.get((rules, True)) or self.ledgers.get((rules, history))
        if found is not None:
            return found
        ledger = Ledger(self.contract, rules, history=history)
        ledger.run(self.events, None)
        if self.ledgers:
            # other rules, the same history: take the first ledger's equal payments and feedback,
            # so that the prefix checks of what is kept per state pass by identity
            first = next(iter(self.ledgers.values()))
            _share_equal(ledger.payments, first.payments)
            _share_equal(ledger.refunds, first.refunds)
            if _share_equal(ledger.feedback, first.feedback):
                ledger.feedback_frozen, ledger.feedback_changed = first.feedback_frozen, False
        self.ledgers[rules, history] = ledger
        ledger.shared = True
        # every copy starts with the same tuples: what rules index once per tuple is shared
        ledger._milestone_states()  # noqa: SLF001 - the ledger's own module
        ledger._feedback_tuple()  # noqa: SLF001
        ledger._responses_tuple()  # noqa: SLF001
        return ledger

    def folded(self, rules: ReplayRules, history: bool, events: tuple[Event, ...]) -> Ledger:
        """A ledger that folded all of *events*, which start with the shared ones; not to be changed."""
        key = (id(events), rules, history)
        found = self.extended.get(key)
        if found is None:
            ledger = self.ledger(rules, history).copy()
            ledger.run(events[len(self.events) :], None, start=len(self.events))
            # the steps due by the last event (a return of escrow at the end) are taken once here,
            # not in every copy: a copy advances no earlier than the last event, in the same order
            ledger.advance(events[-1].at)
            ledger._milestone_states()  # noqa: SLF001 - frozen once here, not in every copy
            found = self.extended[key] = (events, ledger)
            ledger.shared = True
        return found[1]


_Item = TypeVar("_Item")


def _share_equal(mine: list[_Item], theirs: list[_Item]) -> bool:
    """Replace each of *mine* by the one at its place in *theirs* while the two are equal.

    Returns whether the two lists are now the same items.
    """
    for index, (one, other) in enumerate(zip(mine, theirs, strict=False)):
        if one != other:
            return False
        mine[index] = other
    return len(mine) == len(theirs)


_PREFIX: Final[ContextVar[_Prefix | None]] = ContextVar("gigpolicy_shared_prefix", default=None)


@contextmanager
def shared_prefix(contract: ContractTerms, events: tuple[Event, ...]) -> Iterator[None]:
    """Within the block, folds of records that start with *events* fold those events once."""
    token = _PREFIX.set(_Prefix(contract, events) if events else None)
    try:
        yield
    finally:
        _PREFIX.reset(token)


def _only_fixed(what: str) -> _Refused:
    return _Refused(f"{what} happen only on fixed-price contracts")


def _after_end(ledger: Ledger, what: str) -> _Refused:
    closed = ""
    if ledger.ended_by is None and ledger.ended_at is not None and ledger.automatic:
        step = ledger.automatic[-1] if ledger.automatic[-1].code in _CLOSURES else None
        closed = "" if step is None else f" ({_CLOSURES[step.code]} on {when(step.at)})"
    return _Refused(f"{what} cannot happen after the contract ended{closed}")


_CLOSURES: Final = {
    "DORMANT_CLOSED": "the marketplace closed it as dormant",
    "COMPLETED": "the order completed by itself",
}


def _funded(ledger: Ledger, event: MilestoneFunded) -> None:
    if not ledger.fixed:
        raise _only_fixed("milestones")
    if ledger.status is ENDED:
        raise _after_end(ledger, "funding a milestone")
    milestone = ledger.milestones.get(event.milestone)
    if milestone is None:
        if len(ledger.milestones) >= MAX_MILESTONES:
            raise _Refused(f"funds a new milestone, but a contract holds at most {MAX_MILESTONES} milestones")
        milestone = ledger.milestones[event.milestone] = _Milestone(event.milestone, ledger.zero.amount)
        ledger.owned.add(event.milestone)
    else:
        milestone = ledger._own(event.milestone)  # noqa: SLF001
    if ledger.history:
        ledger.changed.add(event.milestone)
    if event.due_at is not None and (ledger.latest_due is None or event.due_at > ledger.latest_due):
        ledger.latest_due = event.due_at
    # added to the ledger's zero, an amount (of the currency's places, as the zero) is the sum: no addition
    amount, nothing = event.amount.amount, ledger.zero.amount
    milestone.escrow = amount if milestone.escrow is nothing else _add(milestone.escrow, amount)
    ledger.held = amount if ledger.held is nothing else _add(ledger.held, amount)
    if ledger.rules.auto_release_after is not None:  # _schedule's first test, without the call
        ledger._schedule(milestone)  # noqa: SLF001 - funds for a submission already under review
    if ledger.history:
        milestone.funded = amount if milestone.funded is nothing else _add(milestone.funded, amount)
        if event.due_at is not None:
            milestone.due_at = event.due_at
        ledger.deposited = amount if ledger.deposited is nothing else _add(ledger.deposited, amount)


def _submitted(ledger: Ledger, event: WorkSubmitted) -> None:
    if not ledger.fixed:
        raise _only_fixed("submissions")
    if ledger.status is ENDED:
        raise _after_end(ledger, "submitting work")
    milestone = ledger._milestone(event.milestone)  # noqa: SLF001
    if milestone.submitted_at is None or (milestone.changes_requested and ledger.rules.review_restarts_on_resubmission):
        milestone.submitted_at = event.at
    milestone.changes_requested = False
    if ledger.rules.auto_release_after is not None:  # _schedule's first test, without the call
        ledger._schedule(milestone)  # noqa: SLF001


def _changes(ledger: Ledger, event: ChangesRequested) -> None:
    if not ledger.fixed:
        raise _only_fixed("requests for changes")
    if ledger.status is ENDED:
        raise _after_end(ledger, "requesting changes")
    milestone = ledger._milestone(event.milestone)  # noqa: SLF001
    if milestone.submitted_at is None or milestone.changes_requested:
        raise _Refused(f"no submitted work on milestone {event.milestone!r} awaits review")
    milestone.changes_requested = True


def _released(ledger: Ledger, event: MilestoneReleased) -> None:
    if not ledger.fixed:
        raise _only_fixed("milestone releases")
    milestone = ledger._milestone(event.milestone)  # noqa: SLF001
    if milestone.unlogged_release:
        if event.amount.amount > milestone.unlogged_release:
            raise _Refused(
                f"milestone {event.milestone!r} was already released automatically "
                f"({ledger.money(milestone.unlogged_release)} not yet recorded); a release of {event.amount}"
                " contradicts it"
            )
        milestone.unlogged_release = _subtract(milestone.unlogged_release, event.amount.amount)
        ledger.logged = True
        return
    ledger._take(milestone, event.amount, "releases")  # noqa: SLF001
    if not milestone.escrow:  # all of it taken: _settled, without the call (_milestone noted the change)
        milestone.submitted_at = None
        milestone.changes_requested = False
    ledger._pay(event.at, event.amount, event.TYPE, milestone.id)  # noqa: SLF001
    if ledger.rules.release_ends_contract:  # _complete's first test, without the call
        ledger._complete(milestone)  # noqa: SLF001


def _returned(ledger: Ledger, event: EscrowReturned) -> None:
    if not ledger.fixed:
        raise _only_fixed("escrow returns")
    milestone = ledger._milestone(event.milestone)  # noqa: SLF001
    if milestone.unlogged_return:
        if event.amount.amount > milestone.unlogged_return:
            raise _Refused(
                f"the escrow of milestone {event.milestone!r} was already returned automatically "
                f"({ledger.money(milestone.unlogged_return)} not yet recorded); a return of {event.amount}"
                " contradicts it"
            )
        milestone.unlogged_return = _subtract(milestone.unlogged_return, event.amount.amount)
        ledger.logged = True
        return
    ledger._take(milestone, event.amount, "returns")  # noqa: SLF001
    if not milestone.escrow:  # all of it taken: _settled, without the call (_milestone noted the change)
        milestone.submitted_at = None
        milestone.changes_requested = False
    if ledger.history:
        ledger.returned = _add(ledger.returned, event.amount.amount)


def _billed(ledger: Ledger, event: HoursBilled) -> None:
    if ledger.terms.kind is not HOURLY:
        raise _Refused("hours are billed only on hourly contracts")
    if event.week_ending in ledger.weeks:
        raise _Refused(f"the week ending {event.week_ending} was already billed")
    ledger.weeks[event.week_ending] = _WEEK(event.week_ending, event.hours, event.amount, event.at, False)  # noqa: FBT003 - not disputed
    ledger.deposited = _add(ledger.deposited, event.amount.amount)
    ledger._pay(event.at, event.amount, event.TYPE, event.week_ending)  # noqa: SLF001


def _hours_disputed(ledger: Ledger, event: HoursDisputed) -> None:
    week = ledger.weeks.get(event.week_ending)
    if week is None:
        raise _Refused(f"the week ending {event.week_ending} was never billed")
    if week.disputed:
        raise _Refused(f"the week ending {event.week_ending} is already in dispute")
    if _subtract(ledger.paid, week.amount.amount) < ledger.refunded:
        raise _Refused("disputing this week would leave more refunded than paid")
    dispute = ledger.dispute
    if dispute is None:
        dispute = _DISPUTE(CLIENT, event.at, None, False, ())  # noqa: FBT003 - not the whole escrow
        ledger.disputes_opened.append((CLIENT, event.at))
    weeks = (*dispute.weeks, event.week_ending)
    ledger.dispute = _DISPUTE(dispute.opened_by, dispute.opened_at, dispute.milestone, dispute.whole_escrow, weeks)
    ledger.weeks[event.week_ending] = _WEEK(week.week_ending, week.hours, week.amount, week.billed_at, True)  # noqa: FBT003 - disputed
    ledger.held = _add(ledger.held, week.amount.amount)
    ledger._pay(event.at, -week.amount, event.TYPE, event.week_ending)  # noqa: SLF001


def _bonus(ledger: Ledger, event: BonusPaid) -> None:
    if ledger.history:
        ledger.deposited = _add(ledger.deposited, event.amount.amount)
    ledger._pay(event.at, event.amount, event.TYPE)  # noqa: SLF001


def _refund(ledger: Ledger, event: RefundIssued) -> None:
    available = _subtract(ledger.paid, ledger.refunded)
    if event.amount.amount > available:
        raise _Refused(f"refunds {event.amount}, more than the {ledger.money(available)} paid and not yet refunded")
    ledger.refunded = _add(ledger.refunded, event.amount.amount)
    ledger.refunds.append(Payment(at=event.at, amount=event.amount, source=event.TYPE))


def _dispute_opened(ledger: Ledger, event: DisputeOpened) -> None:
    if ledger.dispute is not None:
        raise _Refused("a dispute is already open")
    if event.milestone is not None:
        if not ledger.fixed:
            raise _only_fixed("milestone disputes")
        held = ledger._milestone(event.milestone).escrow  # noqa: SLF001
    else:
        held = ledger.held
    if not held:
        raise _Refused("there is no escrow to dispute")
    ledger.dispute = _DISPUTE(event.by, event.at, event.milestone, event.milestone is None, ())
    ledger.disputes_opened.append((event.by, event.at))
    if event.by is FREELANCER:
        ledger.return_due = None


def _dispute_resolved(ledger: Ledger, event: DisputeResolved) -> None:
    dispute = ledger.dispute
    if dispute is None:
        raise _Refused("no dispute is open")
    milestones = [
        ledger._own(name)  # noqa: SLF001 - each is changed below, or the event refused
        for name in list(ledger.milestones)
        if dispute.whole_escrow or name == dispute.milestone
    ]
    weeks = [w for w in ledger.weeks.values() if w.disputed]
    pool = ledger.zero.amount
    for milestone in milestones:
        pool = _add(pool, milestone.escrow)
    for week in weeks:
        pool = _add(pool, week.amount.amount)
    split = event.to_freelancer + event.to_client
    if split.amount != pool:
        raise _Refused(f"splits {split}, but {ledger.money(pool)} is in dispute")
    for milestone in milestones:
        milestone.escrow = ledger.zero.amount
        ledger._settled(milestone)  # noqa: SLF001
    ledger.held = _subtract(ledger.held, pool)
    for week in weeks:
        ledger.weeks[week.week_ending] = _WEEK(week.week_ending, week.hours, week.amount, week.billed_at, False)  # noqa: FBT003 - settled
    ledger.dispute = None
    if event.to_freelancer:
        ledger._pay(event.at, event.to_freelancer, event.TYPE)  # noqa: SLF001
    ledger.returned = _add(ledger.returned, event.to_client.amount)


def _paused(ledger: Ledger, event: ContractPaused) -> None:
    if ledger.status is ENDED:
        raise _after_end(ledger, "pausing")
    if ledger.status is PAUSED:
        raise _Refused("the contract is already paused")
    del event
    ledger.status = PAUSED


def _resumed(ledger: Ledger, event: ContractResumed) -> None:
    if ledger.status is ENDED:
        raise _after_end(ledger, "resuming")
    if ledger.status is not PAUSED:
        raise _Refused("the contract is not paused")
    del event
    ledger.status = ACTIVE


def _ended(ledger: Ledger, event: ContractEnded) -> None:
    if ledger.unlogged_end:
        ledger.unlogged_end = False
        ledger.logged = True
        return
    if ledger.status is ENDED:
        raise _Refused("the contract has already ended")
    ledger.status = ENDED
    ledger.ended_at = event.at
    ledger.ended_by = event.by
    delay = (
        ledger.rules.escrow_return_after_freelancer_end
        if event.by is FREELANCER
        else ledger.rules.escrow_return_after_client_end
    )
    if delay is not None and ledger.terms.kind is FIXED_PRICE and ledger.held:  # nothing held: nothing returns
        ledger.return_due = event.at + delay


def _feedback(ledger: Ledger, event: FeedbackLeft) -> None:
    if event.kind is MID_CONTRACT:
        if ledger.status is ENDED:
            raise _after_end(ledger, "mid-contract feedback")
    else:
        if ledger.status is not ENDED:
            raise _Refused(f"end-of-contract {event.kind} feedback cannot come before the contract ends")
        first = ledger.first_feedback.get((event.by, event.kind))
        if first is not None and not (
            event.kind is PUBLIC and (edited := ledger.last_edit.get(event.by.other)) is not None and edited >= first
        ):
            raise _Refused(f"the {event.by} already left {event.kind} feedback and no edit was enabled")
    ledger.first_feedback.setdefault((event.by, event.kind), event.at)
    ledger.standing[event.by].append(len(ledger.feedback))
    if event.kind is PUBLIC:
        ledger.standing_public[event.by] += 1
    ledger.feedback.append(_FEEDBACK(event.by, event.kind, event.rating, event.at, ledger.index - 1, False))  # noqa: FBT003 - not removed


def _response(ledger: Ledger, event: FeedbackResponse) -> None:
    other = event.by.other
    if not ledger.standing_public[other]:
        raise _Refused(f"there is no public feedback from the {other} to respond to")
    ledger.responses.append((event.by, event.at))


def _edit(ledger: Ledger, event: FeedbackEditEnabled) -> None:
    ledger.edits.append((event.by, event.at))
    ledger.last_edit[event.by] = event.at


def _removed(ledger: Ledger, event: FeedbackRemoved) -> None:
    standing = ledger.standing[event.author]
    if not standing:
        raise _Refused(f"the {event.author} has no feedback to remove")
    for position in standing:
        item = ledger.feedback[position]
        ledger.feedback[position] = _FEEDBACK(item.by, item.kind, item.rating, item.at, item.index, True)  # noqa: FBT003 - removed
    standing.clear()
    ledger.standing_public[event.author] = 0
    ledger.feedback_changed = True


def _suspended(ledger: Ledger, event: AccountSuspended) -> None:
    ledger.suspensions.append(_SUSPENSION(event.party, event.reason, event.at))


def _reported(ledger: Ledger, event: JobReported) -> None:
    ledger.reports.append((event.by, event.at))


ACTIVITY: Final = frozenset(
    {
        MilestoneFunded,
        WorkSubmitted,
        ChangesRequested,
        MilestoneReleased,
        EscrowReturned,
        HoursBilled,
        HoursDisputed,
        BonusPaid,
        RefundIssued,
        DisputeOpened,
        DisputeResolved,
        ContractResumed,
        ContractEnded,
    }
)
"""Events that are activity on a contract for dormancy: money, milestones, disputes, and resuming a
paused contract (a paused one does not go dormant). Feedback, reports, suspensions and messages are
not (Upwork: "Messaging alone ... does not constitute activity"); an event that only logs an
automatic step is not either (the step itself counted, when it was taken)."""

_HANDLERS: dict[type[Event], Callable[[Ledger, Any], None]] = {
    MilestoneFunded: _funded,
    WorkSubmitted: _submitted,
    ChangesRequested: _changes,
    MilestoneReleased: _released,
    EscrowReturned: _returned,
    HoursBilled: _billed,
    HoursDisputed: _hours_disputed,
    BonusPaid: _bonus,
    RefundIssued: _refund,
    DisputeOpened: _dispute_opened,
    DisputeResolved: _dispute_resolved,
    ContractPaused: _paused,
    ContractResumed: _resumed,
    ContractEnded: _ended,
    FeedbackLeft: _feedback,
    FeedbackResponse: _response,
    FeedbackEditEnabled: _edit,
    FeedbackRemoved: _removed,
    AccountSuspended: _suspended,
    JobReported: _reported,
}
