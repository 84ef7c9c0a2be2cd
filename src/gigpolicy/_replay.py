"""Replay: the state of a contract at one instant, under a policy's automatic steps.

Also its projection to later instants with no new event, and the events that log the automatic
steps a record has not logged yet: every use of the fold outside the ledger itself is here.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime
from typing import Final

from gigpolicy._context import in_decimal_context
from gigpolicy._contract import ContractStatus, Party
from gigpolicy._events import ContractEnded, EscrowReturned, Event, MilestoneReleased
from gigpolicy._ledger import Ledger, fold
from gigpolicy._money import Money
from gigpolicy._policy import Policy, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._state import NO_AUTOMATIC_STEPS, ContractState, ReplayRules
from gigpolicy._time import require_instant
from gigpolicy.errors import InvalidArgument, raise_collected

__all__ = ["Projection", "replay", "replay_under", "replayed_under", "unlogged_steps"]


@in_decimal_context
def replay(record: ContractRecord, *, at: datetime, policy: Policy | ReplayRules | str | None = None) -> ContractState:
    """Fold the record's events up to *at* and take the policy's automatic steps due by then.

    Args:
        record: A checked contract record.
        at: The instant to look at (timezone-aware). Events after it are ignored.
        policy: A :class:`~gigpolicy.Policy`, a policy name (the version in force at *at*),
            or ``None`` for the record's ``marketplace``, else ``"upwork"``; or bare
            :class:`~gigpolicy.ReplayRules` to choose the automatic steps directly.

    Returns:
        The contract's state at *at*.

    Raises:
        InvalidRecord: if *at* is naive, or *record* is not a record.
        InvalidTransition: for a recorded event that contradicts a step the policy took by
            itself (releasing escrow that was already released automatically, say).
        UnknownPolicy: for an unknown policy name, or *at* before its first version.
    """
    if not isinstance(record, ContractRecord):
        raise InvalidArgument("record", f"must be a ContractRecord, not {type(record).__name__}")
    at = require_instant(at, "at")
    if isinstance(policy, ReplayRules):
        return replay_under(record, at=at, rules=policy)
    chosen, _ = resolve_policy(policy, record, at)
    return replay_under(record, at=at, rules=chosen.replay_rules)


def replay_under(record: ContractRecord, *, at: datetime, rules: ReplayRules) -> ContractState:
    """Replay a checked record to an aware *at* under *rules* (no argument checks)."""
    return replayed_under(record, at=at, rules=rules)[1]


def replayed_under(record: ContractRecord, *, at: datetime, rules: ReplayRules) -> tuple[Ledger, ContractState]:
    """:func:`replay_under`, with the ledger that folded the record, for a projection to go on from."""
    ledger = fold(record.contract, rules, record.events, at)
    if ledger.errors:  # raise_collected's, without the call for a record replay allows (most)
        raise_collected(ledger.errors)
    return ledger, ledger.snapshot(at)


def checked_and_replayed(
    record: ContractRecord, *, at: datetime, rules: ReplayRules
) -> tuple[Ledger | None, ContractState]:
    """:func:`replayed_under` of a record not checked yet (``ContractRecord._checked``), which it checks.

    With one fold for both where one is enough. A record's check folds its events without
    automatic steps; replay folds them again under *rules*. Until the first automatic step, the
    two folds take every event alike: the rules decide when steps fall due and what they do,
    never whether an event is allowed (``review_restarts_on_resubmission`` moves when a
    submission was made, not whether there was one). So while the replay takes no step, it
    checks the record as it goes; the check folds on its own only for a record where a step
    falls before one of its events, or where replay refuses one.

    The ledger is ``None`` where it went on past *at*, checking the events after it that replay
    leaves out: whoever would go on from the state folds again (``_Timeline``).

    Raises:
        InvalidRecord: for the record's problems, as :func:`~gigpolicy.loads` raises them.
        InvalidTransition: as :func:`replayed_under` raises it.
    """
    events = record.events
    ledger = Ledger(record.contract, rules)
    later = ledger.fold_to(events, at)  # the first event after `at`, if any
    alike = not ledger.automatic  # whether this fold took each event as the check would
    ledger.advance(at)
    if ledger.errors:
        record._checked()  # noqa: SLF001 - the record's own problems come first
        raise_collected(ledger.errors)
    state = ledger.snapshot(at)
    if later is None:  # replay took every event
        if not alike:
            record._checked()  # noqa: SLF001 - a step before the last event: the check folds on its own
        return ledger, state
    if alike and not ledger.automatic:
        # no step by `at`: the ledger goes on to check the events after it, and no longer holds the state
        ledger.run(events[later:], None, start=later)
        if ledger.errors or ledger.automatic:
            record._checked()  # noqa: SLF001 - a step or a refusal after `at`: the check folds on its own
        return None, state
    record._checked()  # noqa: SLF001 - a step by `at`, and events after it
    return ledger, state


class Projection:
    """The state at later instants under one set of replay rules, with no new event.

    One ledger, only moving forward.

    Between two automatic steps the state does not change, so the state at any instant is the
    one left by the last step at or before it. The ledger takes each step once, however many
    decisions look ahead through it.
    """

    def __init__(self, record: ContractRecord, rules: ReplayRules, state: ContractState, ledger: Ledger) -> None:
        """Project *state*, going on with *ledger*, the one that folded *record* to it."""
        self.record = record
        self.rules = rules
        self.ledger = ledger
        self.starts = [state.at]
        self.states = [state]

    def state(self, instant: datetime) -> ContractState:
        """The state at *instant*, no earlier than the first one this projection holds."""
        last = self.states[-1]
        while last.next_step_at is not None and last.next_step_at <= instant:
            step = last.next_step_at
            if self.ledger.shared:  # folded once for many records: this projection goes on with its own
                self.ledger = self.ledger.copy()
            self.ledger.advance(step)
            last = self.ledger.snapshot(step)
            self.starts.append(step)
            self.states.append(last)
        return self.states[bisect_right(self.starts, instant) - 1]


_CLOSED_BY_MARKETPLACE: Final = "logs the marketplace's own end of the contract (an automatic step)"


def unlogged_steps(record: ContractRecord, state: ContractState, at: datetime) -> tuple[Event, ...]:
    """Events that log the automatic steps taken by *at* that *record* does not log yet.

    A record is checked without automatic steps, so a step taken after one (a refund of
    auto-released money, a split of what is still held) would not add up without its log;
    in replay a log moves no money twice.
    """
    plain = replay_under(record, at=at, rules=NO_AUTOMATIC_STEPS)
    logs: list[Event] = []
    afters = {m.id: m for m in state.milestones}
    released_now, released_before = _released(state), _released(plain)
    zero = Money.zero(state.currency)
    for before in plain.milestones:
        after = afters[before.id]
        released = released_now.get(before.id, zero) - released_before.get(before.id, zero)
        returned = before.escrow - after.escrow - released
        if released:
            logs.append(MilestoneReleased(at=at, milestone=before.id, amount=released))
        if returned:
            logs.append(EscrowReturned(at=at, milestone=before.id, amount=returned))
    if state.status is ContractStatus.ENDED and plain.status is not ContractStatus.ENDED:
        # the policy ended the contract by itself (a completed order, a dormancy closure): a
        # recorded end logs it (replay takes it as that step's log, whoever it names)
        logs.append(ContractEnded(at=at, by=Party.CLIENT, reason=_CLOSED_BY_MARKETPLACE))
    return tuple(logs)


def _released(state: ContractState) -> dict[str | None, Money]:
    """What each milestone released, by milestone."""
    totals: dict[str | None, Money] = {}
    for payment in state.payments:
        if payment.source == MilestoneReleased.TYPE:
            totals[payment.reference] = totals.get(payment.reference, Money.zero(state.currency)) + payment.amount
    return totals
