"""Replay: the state of a contract at one instant, under a policy's automatic steps."""

from __future__ import annotations

from datetime import datetime

from gigpolicy._ledger import Ledger
from gigpolicy._policy import Policy, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._state import ContractState, ReplayRules
from gigpolicy._time import require_instant
from gigpolicy.errors import InvalidRecord, raise_collected

__all__ = ["replay", "replay_under"]


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
        raise InvalidRecord("record", f"must be a ContractRecord, not {type(record).__name__}")
    require_instant(at, "at")
    if isinstance(policy, ReplayRules):
        return replay_under(record, at=at, rules=policy)
    chosen, _ = resolve_policy(policy, record, at)
    return replay_under(record, at=at, rules=chosen.replay_rules)


def replay_under(record: ContractRecord, *, at: datetime, rules: ReplayRules) -> ContractState:
    """Replay a checked record to an aware *at* under *rules* (no argument checks)."""
    ledger = Ledger(record.contract, rules)
    ledger.run(record.events, at)
    raise_collected(ledger.errors)
    return ledger.snapshot(at)
