"""What replay produces: the state of a contract at one instant, as frozen values."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy._contract import CLIENT, ContractKind, ContractStatus, Party
from gigpolicy._events import MID_CONTRACT, FeedbackKind
from gigpolicy._money import Money
from gigpolicy._trusted import Memos, started_memo

__all__ = [
    "AutomaticStep",
    "BilledWeek",
    "ContractState",
    "Dispute",
    "Feedback",
    "MilestoneState",
    "Payment",
    "ReplayRules",
    "Suspension",
]


@attrs.frozen(kw_only=True)
class ReplayRules:
    """The steps a marketplace takes by itself, and when: what replay adds to the events.

    ``None`` switches a step off. :data:`NO_AUTOMATIC_STEPS` switches all of them off, which
    is how a record is checked without any policy.

    >>> ReplayRules().auto_release_after
    datetime.timedelta(days=14)
    """

    auto_release_after: timedelta | None = timedelta(days=14)
    """Submitted work whose client does nothing releases its milestone's escrow after this."""
    review_restarts_on_resubmission: bool = True
    """Submitting again after a request for changes starts a new review period (an inference)."""
    escrow_return_after_freelancer_end: timedelta | None = timedelta(0)
    """A fixed-price contract ended by the freelancer returns its escrow to the client after this."""
    escrow_return_after_client_end: timedelta | None = timedelta(days=7)
    """A fixed-price contract ended by the client returns its escrow after this, unless the
    freelancer opens a dispute before then."""
    release_ends_contract: bool = False
    """Paying out the last of the escrow completes the order and ends the contract (Fiverr)."""
    dormant_after: timedelta | None = None
    """A fixed-price contract that holds escrow, has no dispute open and sees no activity for this
    long (counted from the later of its last activity and its last milestone's due date) is closed
    as dormant: the contract ends, with no party as its ender (Upwork from 2025-05-01). Activity
    is an event that moves money or milestones (funding, submissions, requests for changes,
    releases, returns, bonuses, refunds, disputes); feedback, reports and messages are not.
    ``None`` switches it off."""
    dormant_escrow_return_after: timedelta | None = timedelta(days=14)
    """After a dormancy closure the escrow returns to the client after this (the client's 7 days
    to act, then the freelancer's 7 days to ask for release), unless the freelancer opens a
    dispute first. ``None`` keeps it held."""
    dormancy_counts_from: datetime | None = None
    """Inactivity counts from this instant at the earliest (the rule's own start), so a rule that
    comes into force closes no contract in the past. ``None`` counts from the activity alone."""


NO_AUTOMATIC_STEPS = ReplayRules(
    auto_release_after=None,
    escrow_return_after_freelancer_end=None,
    escrow_return_after_client_end=None,
)


@attrs.frozen(kw_only=True)
class MilestoneState:
    """One milestone of a fixed-price contract."""

    id: str
    funded: Money
    """Everything the client funded into this milestone."""
    escrow: Money
    """What is held for it now."""
    due_at: datetime | None
    submitted_at: datetime | None
    """The submission now awaiting the client's review, if any."""
    changes_requested: bool
    """The client asked for changes to the latest submission."""
    release_due: datetime | None
    """When its escrow releases by itself if nothing else happens first."""


@attrs.frozen(kw_only=True)
class BilledWeek:
    """One invoiced week of an hourly contract."""

    week_ending: date
    hours: Decimal
    amount: Money
    billed_at: datetime
    disputed: bool


@attrs.frozen(kw_only=True)
class Payment:
    """Money that reached the freelancer, or left them again (a negative amount)."""

    at: datetime
    amount: Money
    source: str
    """The event type that moved it (``milestone_released``, ``hours_billed``, ...)."""
    automatic: bool = False
    """The policy's own step, not a recorded event."""
    reference: str | None = None
    """The milestone, or the week (``YYYY-MM-DD`` of its Sunday), the money belongs to."""


@attrs.frozen(kw_only=True)
class Feedback:
    """Feedback a party left."""

    by: Party
    kind: FeedbackKind
    rating: Decimal
    at: datetime
    index: int
    """Its position in the record's events."""
    removed: bool = False


@attrs.frozen(kw_only=True)
class Dispute:
    """A dispute over escrow that is open."""

    opened_by: Party
    opened_at: datetime
    milestone: str | None
    """The milestone in dispute; ``None`` for all of the escrow (or only disputed hours)."""
    whole_escrow: bool
    weeks: tuple[date, ...]
    """Weeks of disputed hours, on an hourly contract."""


@attrs.frozen(kw_only=True)
class Suspension:
    """A party's account suspended by the marketplace."""

    party: Party
    reason: str
    at: datetime


@attrs.frozen(kw_only=True)
class AutomaticStep:
    """A step the policy took by itself during replay."""

    at: datetime
    code: str
    """``AUTO_RELEASE``, ``ESCROW_RETURNED_AFTER_END``, ``COMPLETED`` or ``DORMANT_CLOSED`` (the
    contract closed as dormant; ``milestone`` is the last one funded, ``amount`` the escrow it held)."""
    milestone: str
    amount: Money


class _StateMemos(Memos):
    """What a state finds once and keeps, outside its fields (see :class:`~gigpolicy._trusted.Memos`)."""

    __slots__ = ("_index_found", "_net_paid")
    _net_paid: list[Money]
    """``net_paid`` once found: most rules read it, several times per evaluation."""
    _index_found: list[_FeedbackIndex]
    """The index of ``feedback`` once found: most rules ask it, several times per evaluation."""


@attrs.frozen(kw_only=True)
class ContractState(_StateMemos):
    """A contract at one instant, as replay under a policy's steps leaves it.

    The ledger always balances: ``escrow + paid + escrow_returned == deposited``.
    """

    at: datetime
    kind: ContractKind
    currency: str
    started_at: datetime
    status: ContractStatus
    ended_at: datetime | None
    ended_by: Party | None
    escrow: Money
    """Money held now."""
    paid: Money
    """All money paid to the freelancer: releases, hourly invoices, bonuses, dispute awards."""
    refunded: Money
    """Paid money the freelancer gave back."""
    escrow_returned: Money
    """Escrow that went back to the client."""
    deposited: Money
    """Everything the client put in: funded milestones, billed hours, bonuses."""
    milestones: tuple[MilestoneState, ...] = ()
    weeks: tuple[BilledWeek, ...] = ()
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Payment, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    responses: tuple[tuple[Party, datetime], ...] = ()
    edits_enabled: tuple[tuple[Party, datetime], ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    reports: tuple[tuple[Party, datetime], ...] = ()
    dispute: Dispute | None = None
    disputes_opened: tuple[tuple[Party, datetime], ...] = ()
    automatic: tuple[AutomaticStep, ...] = ()
    escrow_return_due: datetime | None = None
    """When the escrow goes back to the client by itself after the end, if it will (``None`` when
    none is held outside a dispute: the return gives back only that)."""
    events_applied: int = 0
    """How many of the record's events happened by ``at``."""
    completed_at: datetime | None = None
    """When paying out the escrow completed the order and ended the contract, if it did."""
    next_step_at: datetime | None = None
    """When the policy takes its next automatic step, if no event comes first."""
    dormant_at: datetime | None = None
    """When the contract closes as dormant if no event comes first, under rules that close dormant
    contracts; ``None`` when it will not (ended, nothing held, in dispute, or no such rule). The
    automatic releases due before it come first: each is activity, and one that pays out the last
    escrow leaves nothing to close."""
    inactive_since: datetime | None = None
    """With ``dormant_at``: the instant inactivity counts from (the last activity, a release ahead,
    a later due date of a milestone, or the rule's start)."""

    @property
    def net_paid(self) -> Money:
        """``paid - refunded``."""
        try:
            found = self._net_paid
        except AttributeError:  # a state made otherwise than by replay: its memo starts now (Memos)
            found = started_memo(self, "_net_paid")
        if not found:
            found.append(self.paid - self.refunded)
        return found[0]

    def client_feedback(self) -> tuple[Feedback, ...]:
        """The client's end-of-contract feedback (public and private) still standing, oldest first.

        It is what a success score judges.
        """
        return self._index().client

    def feedback_by(self, party: Party, kind: FeedbackKind) -> Feedback | None:
        """The latest feedback of *kind* that *party* left and that was not removed."""
        try:
            found = self._index_found  # inline: a call more would cost as much as the lookup
        except AttributeError:  # a state made otherwise than by replay: `_index` starts its memo
            found = []
        return (found[0] if found else self._index()).standing.get((party, kind))

    def first_feedback(self, party: Party, kind: FeedbackKind | None = None) -> Feedback | None:
        """The first feedback *party* left (of *kind*, or of any kind), removed or not."""
        try:
            found = self._index_found  # inline: a call more would cost as much as the lookup
        except AttributeError:  # a state made otherwise than by replay: `_index` starts its memo
            found = []
        return (found[0] if found else self._index()).first.get((party, kind))

    def last_feedback(self, party: Party) -> Feedback | None:
        """The latest feedback of any kind that *party* left, removed or not."""
        try:
            found = self._index_found  # inline: a call more would cost as much as the lookup
        except AttributeError:  # a state made otherwise than by replay: `_index` starts its memo
            found = []
        return (found[0] if found else self._index()).last.get(party)

    def _index(self) -> _FeedbackIndex:
        """The index of this state's feedback, found the first time a rule asks (and kept beside it)."""
        try:
            found = self._index_found
        except AttributeError:  # a state made otherwise than by replay: its memo starts now (Memos)
            found = started_memo(self, "_index_found")
        if not found:
            found.append(_feedback_index(self.feedback))
        return found[0]

    def has_responded(self, party: Party) -> bool:
        """Whether *party* posted a response to the other's feedback."""
        responses = self.responses
        known = _KEPT.responded
        if known[0] is not responses:
            known = _KEPT.responded = (responses, frozenset(by for by, _ in responses))
        return party in known[1]


class _FeedbackIndex:
    """What the rules ask of a state's feedback, found in one pass over it.

    Looking ahead, ``until`` judges state after state whose feedback is the very same tuple (the
    ledger hands on the tuple while its feedback does not change): the index of the last tuple is
    kept, so that a long look-ahead over a long history of feedback stays linear.
    """

    __slots__ = ("client", "feedback", "first", "last", "standing")

    def __init__(self, feedback: tuple[Feedback, ...], start: _FeedbackIndex | None = None) -> None:
        """Index *feedback*; going on from *start*, the index of its first items, if given."""
        self.feedback = feedback
        self.standing: dict[tuple[Party, FeedbackKind], Feedback] = {} if start is None else start.standing.copy()
        self.first: dict[tuple[Party, FeedbackKind | None], Feedback] = {} if start is None else start.first.copy()
        self.last: dict[Party, Feedback] = {} if start is None else start.last.copy()
        added = feedback if start is None else feedback[len(start.feedback) :]
        for item in added:
            self.first.setdefault((item.by, item.kind), item)
            self.first.setdefault((item.by, None), item)
            self.last[item.by] = item
            if not item.removed:
                self.standing[item.by, item.kind] = item
        self.client: tuple[Feedback, ...] = (() if start is None else start.client) + tuple(
            item for item in added if item.by is CLIENT and item.kind is not MID_CONTRACT and not item.removed
        )

    def starts(self, feedback: tuple[Feedback, ...]) -> bool:
        """Whether *feedback* is this index's feedback followed by more (a removal changes items)."""
        known = len(self.feedback)
        return len(feedback) > known and feedback[:known] == self.feedback


def _feedback_index(feedback: tuple[Feedback, ...]) -> _FeedbackIndex:
    if not feedback:  # most states: none left yet, one index for all of them
        return _NO_FEEDBACK_INDEX
    kept = _KEPT.feedback
    for index in kept:
        if index.feedback is feedback:
            return index
    # a few kept: looking ahead alternates between the state judged and the states projected from
    # it, and a future of `options` adds a little feedback to the history they share, so that the
    # index it went on from is kept next to it, however many futures branch off that history
    start = max((index for index in kept if index.starts(feedback)), key=_indexed, default=None)
    index = _FeedbackIndex(feedback, start)
    _KEPT.feedback = [index, *([] if start is None else [start]), *(i for i in kept if i is not start)][:_KEPT_INDEXES]
    return index


_NO_FEEDBACK_INDEX: Final = _FeedbackIndex(())
"""The index of no feedback, shared by every state without any: only read, as every index is."""


def _indexed(index: _FeedbackIndex) -> int:
    return len(index.feedback)


class _Kept(threading.local):
    """What is kept of the last states' feedback and responses, per thread."""

    def __init__(self) -> None:
        self.feedback: list[_FeedbackIndex] = []
        self.responded: tuple[tuple[tuple[Party, datetime], ...] | None, frozenset[Party]] = (None, frozenset())


_KEPT_INDEXES: Final = 4
_KEPT: Final = _Kept()
