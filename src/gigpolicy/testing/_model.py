"""Records drawn one event at a time from a small model of the ledger, consistent with replay rules."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gigpolicy._contract import ContractKind, ContractStatus, ContractTerms, Party
from gigpolicy._events import (
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
from gigpolicy._ledger import ACTIVITY
from gigpolicy._money import CURRENCIES, Money
from gigpolicy._policy import get_policy
from gigpolicy._record import ContractRecord
from gigpolicy._state import ReplayRules
from gigpolicy.testing._strategies import _GAPS, ZONES, _of_units, _texts, _units, contract_terms

_WEIGHTS: Final = {"milestone_funded": 3, "work_submitted": 2, "milestone_released": 2, "hours_billed": 3}
_REASONS_TO_END: Final = ("unethical request", "project complete", "client unresponsive", "budget cut")
_REASONS_TO_REPORT: Final = ("unethical request", "harassment", "off-platform payment", "spam")
_SUSPENSIONS: Final = ("tos_violation", "fraud", "identity_verification")
_REMOVALS: Final = ("tos_violation", "extortion", "irrelevant content")
_COMMENTS: Final = ("Great work, on time.", "Did not follow the brief.", "Would hire again!", "Communication was slow.")


@attrs.define
class _Milestone:
    escrow: int = 0
    submitted_at: datetime | None = None
    changes_requested: bool = False


@attrs.define
class _Given:
    by: Party
    kind: FeedbackKind
    at: datetime
    removed: bool = False


class _Model:
    """A small model of the ledger that offers only the events it allows, and applies them.

    It tracks the state the replay rules lead to. Amounts are integer minor units. While an
    automatic step of the rules is not yet logged (``unlogged``), the next event is its log,
    which keeps the state without automatic steps (how a record is checked) and the state
    with them (how it is replayed) equal after every other event.
    """

    def __init__(self, draw: st.DrawFn, terms: ContractTerms, rules: ReplayRules) -> None:
        self.draw = draw
        self.terms = terms
        self.rules = rules
        self.currency = terms.currency
        self.now = terms.started_at
        self.status = ContractStatus.ACTIVE
        self.milestones: dict[str, _Milestone] = {}
        self.weeks: dict[date, tuple[int, bool]] = {}
        start = terms.started_at.astimezone(UTC).date()
        self.next_week = start + timedelta(days=7 - start.isoweekday())
        self.paid = 0
        self.refunded = 0
        self.disputing = False
        self.disputed_milestone: str | None = None
        self.feedback: list[_Given] = []
        self.edits: list[tuple[Party, datetime]] = []
        self.return_due: datetime | None = None
        self.unlogged: list[tuple[type[MilestoneReleased | EscrowReturned | ContractEnded], str, int]] = []
        self.last_activity = terms.started_at
        """The last event that keeps the contract from going dormant (money, milestones, disputes)."""
        self.latest_due: datetime | None = None

    # -- the automatic steps ------------------------------------------------------------------

    def advance(self, to: datetime) -> None:
        """Take every automatic step due at or before *to*, earliest first."""
        while True:
            due = self._next_due()
            if due is None or due[0] > to:
                return
            due[1]()

    def _next_due(self) -> tuple[datetime, Callable[[], None]] | None:
        best: tuple[datetime, Callable[[], None]] | None = None
        after = self.rules.auto_release_after
        if after is not None and self.status is not ContractStatus.ENDED:
            for name, milestone in self.milestones.items():
                if self._pending_review(name, milestone):
                    assert milestone.submitted_at is not None  # noqa: S101 - _pending_review checked it
                    when = milestone.submitted_at + after
                    if best is None or when < best[0]:
                        best = (when, functools.partial(self._auto_release, name, when))
        if self.return_due is not None and (best is None or self.return_due < best[0]):
            best = (self.return_due, self._return_after_end)
        dormant = self._dormant_due()
        if dormant is not None and (best is None or dormant < best[0]):
            best = (dormant, functools.partial(self._close_dormant, dormant))
        return best

    def _dormant_due(self) -> datetime | None:
        after = self.rules.dormant_after
        if after is None or self.terms.kind is not ContractKind.FIXED_PRICE or self.status is not ContractStatus.ACTIVE:
            return None
        if not self._held() or self.disputing:
            return None
        since = self.last_activity
        for later in (self.latest_due, self.rules.dormancy_counts_from):
            if later is not None and later > since:
                since = later
        return since + after

    def _close_dormant(self, at: datetime) -> None:
        self.status = ContractStatus.ENDED
        self.unlogged.append((ContractEnded, "", 0))
        delay = self.rules.dormant_escrow_return_after
        self.return_due = None if delay is None else at + delay

    def _pending_review(self, name: str, milestone: _Milestone) -> bool:
        return (
            milestone.submitted_at is not None
            and not milestone.changes_requested
            and milestone.escrow > 0
            and not self._in_dispute(name)
        )

    def _in_dispute(self, name: str) -> bool:
        return self.disputing and self.disputed_milestone in {None, name}

    def _auto_release(self, name: str, when: datetime) -> None:
        # a release is activity, whoever makes it, at the instant it is taken: one overdue when its
        # milestone is funded again (work submitted before the escrow) is taken now, as replay does
        self.last_activity = max(when, self.now)
        milestone = self.milestones[name]
        self.unlogged.append((MilestoneReleased, name, milestone.escrow))
        self.paid += milestone.escrow
        milestone.escrow = 0
        self._settle(milestone)

    def _return_after_end(self) -> None:
        self.return_due = None
        for name, milestone in self.milestones.items():
            if milestone.escrow and not self._in_dispute(name):
                self.unlogged.append((EscrowReturned, name, milestone.escrow))
                milestone.escrow = 0
                self._settle(milestone)

    @staticmethod
    def _settle(milestone: _Milestone) -> None:
        if not milestone.escrow:
            milestone.submitted_at = None
            milestone.changes_requested = False

    def log(self, at: datetime) -> Event:
        """The record of the oldest automatic step not yet logged."""
        cls, name, units = self.unlogged.pop(0)
        if cls is ContractEnded:  # the marketplace ended it: any recorded end logs that
            return ContractEnded(at=self._stamp(at), by=self._party(), reason=None)
        return cls(at=self._stamp(at), milestone=name, amount=self._money(units))  # type: ignore[call-arg]  # a release or a return

    # -- drawing ------------------------------------------------------------------------------

    def _stamp(self, at: datetime) -> datetime:
        return at.astimezone(self.draw(st.sampled_from(ZONES)))

    def _money(self, units: int) -> Money:
        return _of_units(self.currency, units)

    def _units_up_to(self, most: int) -> int:
        return self.draw(st.one_of(st.just(most), st.integers(1, most)))

    def _new_units(self) -> int:
        places = CURRENCIES[self.currency]
        low, high = (1, 5_000 * 10**places) if places else (100, 500_000)
        return self.draw(st.integers(low, high))

    def _party(self) -> Party:
        return self.draw(st.sampled_from(list(Party)))

    def _pick(self, choices: Sequence[str]) -> str:
        return self.draw(st.sampled_from(sorted(choices)))

    # -- which events the state allows --------------------------------------------------------

    def _held(self) -> list[str]:
        return [name for name, milestone in self.milestones.items() if milestone.escrow > 0]

    def _billable_weeks(self, at: datetime) -> int:
        """How many Sundays from ``next_week`` ended before *at*'s UTC date."""
        today = at.astimezone(UTC).date()
        return max(0, (today - self.next_week).days + 6) // 7

    def _disputable_weeks(self) -> list[date]:
        return [
            week
            for week, (units, disputed) in self.weeks.items()
            if not disputed and self.paid - units >= self.refunded
        ]

    def _public_authors(self) -> list[Party]:
        allowed = []
        for party in Party:
            earlier = [given for given in self.feedback if given.by is party and given.kind is FeedbackKind.PUBLIC]
            if not earlier or any(by is party.other and at >= earlier[-1].at for by, at in self.edits):
                allowed.append(party)
        return allowed

    def _private_authors(self) -> list[Party]:
        return [
            party
            for party in Party
            if not any(given.by is party and given.kind is FeedbackKind.PRIVATE for given in self.feedback)
        ]

    def _responders(self) -> list[Party]:
        return [
            party
            for party in Party
            if any(g.by is party.other and g.kind is FeedbackKind.PUBLIC and not g.removed for g in self.feedback)
        ]

    def _editors(self) -> list[Party]:
        return [
            party
            for party in Party
            if any(given.by is party.other and given.kind is FeedbackKind.PUBLIC for given in self.feedback)
        ]

    def _removable(self) -> list[Party]:
        return [party for party in Party if any(g.by is party and not g.removed for g in self.feedback)]

    def choices(self, at: datetime) -> list[str]:
        """The names of the actions the state allows at *at* (the end aside)."""
        fixed = self.terms.kind is ContractKind.FIXED_PRICE
        is_open = self.status is not ContractStatus.ENDED
        available = {
            "bonus_paid": True,
            "refund_issued": self.paid > self.refunded,
            "contract_paused": self.status is ContractStatus.ACTIVE,
            "contract_resumed": self.status is ContractStatus.PAUSED,
            "mid_contract_feedback": is_open,
            "public_feedback": not is_open and bool(self._public_authors()),
            "private_feedback": not is_open and bool(self._private_authors()),
            "feedback_response": bool(self._responders()),
            "feedback_edit_enabled": bool(self._editors()),
            "feedback_removed": bool(self._removable()),
            "account_suspended": True,
            "job_reported": True,
            "dispute_resolved": self.disputing,
            "milestone_funded": fixed and is_open,
            "work_submitted": fixed and is_open and bool(self.milestones),
            "changes_requested": fixed
            and is_open
            and any(m.submitted_at is not None and not m.changes_requested for m in self.milestones.values()),
            "milestone_released": fixed and bool(self._held()),
            "escrow_returned": fixed and bool(self._held()),
            "dispute_opened": fixed and not self.disputing and bool(self._held()),
            "hours_billed": not fixed and self._billable_weeks(at) > 0,
            "hours_disputed": not fixed and bool(self._disputable_weeks()),
        }
        # the actions that make a contract what it is come up more often than the incidents
        return [name for name, allowed in available.items() if allowed for _ in range(_WEIGHTS.get(name, 1))]

    def act(self, name: str, at: datetime) -> Event:
        """Draw the event of action *name* at *at* and apply it to the model."""
        return getattr(self, f"_do_{name}")(at)  # type: ignore[no-any-return]  # every _do_ method returns an Event

    # -- the actions --------------------------------------------------------------------------

    def _do_bonus_paid(self, at: datetime) -> Event:
        units = self._new_units()
        self.paid += units
        return BonusPaid(at=self._stamp(at), amount=self._money(units))

    def _do_refund_issued(self, at: datetime) -> Event:
        units = self._units_up_to(self.paid - self.refunded)
        self.refunded += units
        return RefundIssued(at=self._stamp(at), amount=self._money(units))

    def _do_contract_paused(self, at: datetime) -> Event:
        self.status = ContractStatus.PAUSED
        return ContractPaused(at=self._stamp(at), by=self._party())

    def _do_contract_resumed(self, at: datetime) -> Event:
        self.status = ContractStatus.ACTIVE
        return ContractResumed(at=self._stamp(at), by=self._party())

    def end(self, at: datetime) -> Event:
        """End the contract at *at*: the end's event, and the escrow return it schedules."""
        by = self._party()
        self.status = ContractStatus.ENDED
        delay = (
            self.rules.escrow_return_after_freelancer_end
            if by is Party.FREELANCER
            else self.rules.escrow_return_after_client_end
        )
        if delay is not None and self.terms.kind is ContractKind.FIXED_PRICE:
            self.return_due = at + delay
        reason = self.draw(st.none() | _texts(_REASONS_TO_END))
        return ContractEnded(at=self._stamp(at), by=by, reason=reason)

    def _feedback(self, at: datetime, by: Party, kind: FeedbackKind) -> Event:
        if kind is FeedbackKind.PRIVATE:
            rating = Decimal(self.draw(st.integers(0, 10)))
        else:
            rating = Decimal(self.draw(st.integers(100, 500))).scaleb(-2)
        self.feedback.append(_Given(by=by, kind=kind, at=at))
        comment = self.draw(st.none() | _texts(_COMMENTS))
        return FeedbackLeft(at=self._stamp(at), by=by, kind=kind, rating=rating, comment=comment)

    def _do_mid_contract_feedback(self, at: datetime) -> Event:
        return self._feedback(at, self._party(), FeedbackKind.MID_CONTRACT)

    def _do_public_feedback(self, at: datetime) -> Event:
        return self._feedback(at, self.draw(st.sampled_from(self._public_authors())), FeedbackKind.PUBLIC)

    def _do_private_feedback(self, at: datetime) -> Event:
        return self._feedback(at, self.draw(st.sampled_from(self._private_authors())), FeedbackKind.PRIVATE)

    def _do_feedback_response(self, at: datetime) -> Event:
        return FeedbackResponse(at=self._stamp(at), by=self.draw(st.sampled_from(self._responders())))

    def _do_feedback_edit_enabled(self, at: datetime) -> Event:
        by = self.draw(st.sampled_from(self._editors()))
        self.edits.append((by, at))
        return FeedbackEditEnabled(at=self._stamp(at), by=by)

    def _do_feedback_removed(self, at: datetime) -> Event:
        author = self.draw(st.sampled_from(self._removable()))
        for given in self.feedback:
            if given.by is author:
                given.removed = True
        return FeedbackRemoved(at=self._stamp(at), author=author, reason=self.draw(_texts(_REMOVALS)))

    def _do_account_suspended(self, at: datetime) -> Event:
        return AccountSuspended(at=self._stamp(at), party=self._party(), reason=self.draw(_texts(_SUSPENSIONS)))

    def _do_job_reported(self, at: datetime) -> Event:
        return JobReported(at=self._stamp(at), by=self._party(), reason=self.draw(_texts(_REASONS_TO_REPORT)))

    def _do_dispute_resolved(self, at: datetime) -> Event:
        pool = 0
        for name, milestone in self.milestones.items():
            if self._in_dispute(name):
                pool += milestone.escrow
                milestone.escrow = 0
                self._settle(milestone)
        for week, (units, disputed) in list(self.weeks.items()):
            if disputed:
                pool += units
                self.weeks[week] = (units, False)
        to_freelancer = self.draw(st.one_of(st.just(0), st.just(pool), st.integers(0, pool)))
        self.paid += to_freelancer
        self.disputing = False
        self.disputed_milestone = None
        return DisputeResolved(
            at=self._stamp(at), to_freelancer=self._money(to_freelancer), to_client=self._money(pool - to_freelancer)
        )

    def _do_milestone_funded(self, at: datetime) -> Event:
        reuse = self.milestones and self.draw(st.integers(0, 3)) == 0
        name = self._pick(list(self.milestones)) if reuse else f"m{len(self.milestones) + 1}"
        units = self._new_units()
        self.milestones.setdefault(name, _Milestone()).escrow += units
        due = self.draw(st.none() | st.integers(1, 60).map(lambda days: at + timedelta(days=days)))
        if due is not None and (self.latest_due is None or due > self.latest_due):
            self.latest_due = due
        return MilestoneFunded(
            at=self._stamp(at),
            milestone=name,
            amount=self._money(units),
            due_at=None if due is None else self._stamp(due),
        )

    def _do_work_submitted(self, at: datetime) -> Event:
        name = self._pick(self._held() or list(self.milestones))
        milestone = self.milestones[name]
        if milestone.submitted_at is None or (
            milestone.changes_requested and self.rules.review_restarts_on_resubmission
        ):
            milestone.submitted_at = at
        milestone.changes_requested = False
        return WorkSubmitted(at=self._stamp(at), milestone=name)

    def _do_changes_requested(self, at: datetime) -> Event:
        waiting = [n for n, m in self.milestones.items() if m.submitted_at is not None and not m.changes_requested]
        name = self._pick(waiting)
        self.milestones[name].changes_requested = True
        return ChangesRequested(at=self._stamp(at), milestone=name)

    def _do_milestone_released(self, at: datetime) -> Event:
        name = self._pick(self._held())
        milestone = self.milestones[name]
        units = self._units_up_to(milestone.escrow)
        milestone.escrow -= units
        self._settle(milestone)
        self.paid += units
        return MilestoneReleased(at=self._stamp(at), milestone=name, amount=self._money(units))

    def _do_escrow_returned(self, at: datetime) -> Event:
        name = self._pick(self._held())
        milestone = self.milestones[name]
        units = self._units_up_to(milestone.escrow)
        milestone.escrow -= units
        self._settle(milestone)
        return EscrowReturned(at=self._stamp(at), milestone=name, amount=self._money(units))

    def _do_dispute_opened(self, at: datetime) -> Event:
        by = self._party()
        name = self.draw(st.none() | st.sampled_from(sorted(self._held())))
        self.disputing = True
        self.disputed_milestone = name
        if by is Party.FREELANCER:
            self.return_due = None
        return DisputeOpened(at=self._stamp(at), by=by, milestone=name)

    def _do_hours_billed(self, at: datetime) -> Event:
        skipped = self.draw(st.integers(0, min(2, self._billable_weeks(at) - 1)))
        week = self.next_week + timedelta(weeks=skipped)
        self.next_week = week + timedelta(weeks=1)
        limit = self.terms.weekly_limit_hours if self.terms.weekly_limit_hours is not None else Decimal(60)
        hours = Decimal(self.draw(st.integers(1, int(limit * 4)))) / 4
        rate = self.terms.hourly_rate
        if rate is not None:
            units = max(1, _units(self.currency, rate.times(hours).amount, rounding=int))
        else:
            units = self._new_units()
        self.weeks[week] = (units, False)
        self.paid += units
        return HoursBilled(at=self._stamp(at), week_ending=week, hours=hours, amount=self._money(units))

    def _do_hours_disputed(self, at: datetime) -> Event:
        week = self.draw(st.sampled_from(sorted(self._disputable_weeks())))
        units, _ = self.weeks[week]
        self.weeks[week] = (units, True)
        self.paid -= units
        self.disputing = True
        return HoursDisputed(at=self._stamp(at), week_ending=week)


@st.composite
def _records(
    draw: st.DrawFn,
    terms: st.SearchStrategy[ContractTerms],
    max_events: int,
    ended: bool | None,
    rules: ReplayRules,
) -> ContractRecord:
    contract = draw(terms)
    must_end = draw(st.booleans()) if ended is None else ended
    size = draw(st.integers(1 if must_end else 0, max_events))
    end_step = draw(st.integers(0, size - 1)) if must_end else size
    model = _Model(draw, contract, rules)
    events: list[Event] = []
    for step in range(size):
        at = model.now + draw(_GAPS)
        model.advance(at)
        logged = bool(model.unlogged)
        if must_end and model.status is not ContractStatus.ENDED and step >= end_step:
            # an unlogged step may stay unlogged only when nothing follows the end
            logged = logged and step < size - 1
            event = model.log(at) if logged else model.end(at)
        elif logged:
            event = model.log(at)
        else:
            event = model.act(draw(st.sampled_from(model.choices(at))), at)
        model.now = at
        if type(event) in ACTIVITY and not logged:  # a log's step counted when it was taken
            model.last_activity = at
        events.append(event)
    return ContractRecord(contract=contract, events=events)


def records(
    kind: ContractKind | None = None,
    *,
    currency: str | None = None,
    max_events: int = 30,
    ended: bool | None = None,
    rules: ReplayRules | None = None,
    marketplaces: Sequence[str | None] = (None, "upwork"),
    started_after: datetime | None = None,
    started_before: datetime | None = None,
) -> st.SearchStrategy[ContractRecord]:
    """Valid contract records, with every event type the contract's kind allows.

    Args:
        kind: The contract kind; ``None`` draws either.
        currency: The contract's currency; ``None`` draws one of a few.
        max_events: The most events a record holds.
        ended: ``True`` for records whose contract ended (exactly one ``contract_ended``),
            ``False`` for open ones, ``None`` for either. Under *rules* that close dormant
            contracts, the marketplace may end one by itself, logged by a ``contract_ended``.
        rules: The automatic steps the records stay consistent with when replayed under
            them (``None``: those of Upwork's latest version, which :func:`gigpolicy.replay`
            takes by name at any instant: its dormancy closures count from 2025-05-01 only,
            so the versions before see none fall due). Each step the rules take before a
            later event is logged by the event that follows it. A record is consistent with
            these rules only: one that logs a dormancy closure with a ``contract_ended``, then
            releases escrow, does not replay under a version without dormancy closures, which
            takes that end as the party's own (and returns the escrow of a freelancer's end at
            once). Draw with a version's own rules to judge by that version.
        marketplaces: The ``marketplace`` values to draw from (``None`` leaves it out).
        started_after: The earliest start of the contract, as :func:`contract_terms` takes
            it: ``datetime(2025, 5, 1, tzinfo=UTC)`` draws only contracts that rules closing
            dormant contracts from that day can close.
        started_before: The latest start of the contract.

    Returns:
        A strategy of :class:`~gigpolicy.ContractRecord`, each valid by construction.

    Raises:
        InvalidArgument: for a negative *max_events* (or zero with ``ended=True``), an
            unknown currency, no marketplace to draw, or naive or crossed bounds of the start.
    """
    if max_events < (1 if ended else 0):
        raise InvalidArgument(f"max_events={max_events} leaves no room for the records asked for")
    terms = contract_terms(
        kind, currency=currency, marketplaces=marketplaces, started_after=started_after, started_before=started_before
    )
    return _records(terms, max_events, ended, rules if rules is not None else get_policy("upwork").replay_rules)


# -- the laws every policy keeps ------------------------------------------------------------------
