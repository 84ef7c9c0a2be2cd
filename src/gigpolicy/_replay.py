"""Replay: the state of a contract at one instant, under a policy's automatic steps."""

from __future__ import annotations

from datetime import datetime

from gigpolicy._ledger import Ledger
from gigpolicy._record import ContractRecord
from gigpolicy._state import ContractState, ReplayRules
from gigpolicy._time import require_aware
from gigpolicy.errors import InvalidRecord, raise_collected

__all__ = ["replay"]


def replay(record: ContractRecord, *, at: datetime, policy: ReplayRules | None = None) -> ContractState:
    """Fold the record's events up to *at* and take the policy's automatic steps due by then.

    Args:
        record: A checked contract record.
        at: The instant to look at (timezone-aware). Events after it are ignored.
        policy: The automatic steps to take; ``None`` takes Upwork's.

    Returns:
        The contract's state at *at*.

    Raises:
        InvalidRecord: if *at* is naive, or *record* is not a record.
        InvalidTransition: for a recorded event that contradicts a step the policy took by
            itself (releasing escrow that was already released automatically, say).
    """
    if not isinstance(record, ContractRecord):
        raise InvalidRecord("record", f"must be a ContractRecord, not {type(record).__name__}")
    require_aware(at, "at")
    ledger = Ledger(record.contract, policy if policy is not None else ReplayRules())
    ledger.run(record.events, at)
    raise_collected(ledger.errors)
    return ledger.snapshot(at)
