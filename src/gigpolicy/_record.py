"""A contract record: the terms and the events, checked as facts without any policy."""

from __future__ import annotations

from typing import ClassVar, Final

import attrs

from gigpolicy._contract import ContractTerms, is_a
from gigpolicy._events import EVENT_TYPES, Event
from gigpolicy._ledger import fold
from gigpolicy._money import Money
from gigpolicy._state import NO_AUTOMATIC_STEPS
from gigpolicy._trusted import trusted
from gigpolicy.errors import InvalidRecord, InvalidTransition, raise_collected

__all__ = ["FORMAT", "MAX_EVENTS", "ContractRecord"]

FORMAT: Final = "gigpolicy/1"
"""The name and version of the record format."""
MAX_EVENTS: Final = 20_000
"""The most events one record may hold."""


def _events(value: object) -> tuple[Event, ...]:
    if isinstance(value, list | tuple):
        return tuple(value)
    raise InvalidRecord("events", f"must be a sequence of events, not {type(value).__name__}")


@attrs.frozen(kw_only=True)
class ContractRecord:
    """One contract: its terms and its events in time order.

    Building one checks everything that does not depend on a policy: each event's
    fields, the currency of every amount, time order, and the ledger and lifecycle
    (no release beyond escrow, one end, no end-of-contract feedback before the end, ...).
    Every problem found is reported in one :class:`~gigpolicy.errors.InvalidRecord`.

    >>> from datetime import datetime, UTC
    >>> from gigpolicy import ContractKind, ContractTerms
    >>> terms = ContractTerms(
    ...     id="c-1",
    ...     kind=ContractKind.FIXED_PRICE,
    ...     currency="USD",
    ...     client="cl",
    ...     freelancer="fl",
    ...     started_at=datetime(2026, 11, 2, 15, tzinfo=UTC),
    ... )
    >>> ContractRecord(contract=terms).events
    ()
    """

    format: ClassVar[str] = FORMAT

    contract: ContractTerms
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)

    def __attrs_post_init__(self) -> None:
        problems: list[InvalidRecord] = []
        if not is_a(self.contract, ContractTerms):
            raise InvalidRecord("contract", "must be ContractTerms")
        if len(self.events) > MAX_EVENTS:
            raise InvalidRecord("events", f"holds more than {MAX_EVENTS} events")
        currency = self.contract.currency
        valid = True
        for index, event in enumerate(self.events):
            if not is_a(event, Event) or type(event) not in _KNOWN_TYPES:
                problems.append(InvalidRecord(f"events[{index}]", "must be an event of a known type"))
                valid = False
                continue
            for field in attrs.fields(type(event)):
                value = getattr(event, field.name)
                if isinstance(value, Money) and value.currency != currency:
                    problems.append(
                        InvalidRecord(f"events[{index}].{field.name}", f"is in {value.currency}, not {currency}")
                    )
                    valid = False  # the ledger cannot add amounts of two currencies
        if valid:
            problems.extend(self._transitions())
        raise_collected(sorted(problems, key=_position))

    @classmethod
    def _decoded(cls, contract: ContractTerms, events: tuple[Event, ...]) -> ContractRecord:
        """Build a record of a contract and events that the decoder checked field by field.

        Only the ledger and lifecycle are left to check: the decoder built every event of a
        known type with its amounts in the contract's currency, which is what the rest of
        ``__attrs_post_init__`` checks.
        """
        return _RECORD(contract, events)._checked()  # noqa: SLF001 - the class's own check

    def _checked(self) -> ContractRecord:
        """This record, its ledger and lifecycle checked: the check of :meth:`_decoded`, for a record built without it.

        Raises:
            InvalidRecord: for every event the state at its point does not allow.
        """
        problems = self._transitions()
        if problems:
            raise_collected(sorted(problems, key=_position))
        return self

    def _extended(self, *events: Event) -> ContractRecord:
        """This record followed by *events* that gigpolicy simulates (the futures of ``options``).

        gigpolicy builds those events itself, in the contract's currency, so only the ledger and
        lifecycle are checked. ``MAX_EVENTS`` bounds input, not what is simulated from it: a
        step's few events and the logs of automatic steps (a release and a return at most per
        milestone) may take a record past it; ``Option.worst_record`` says so.
        """
        return self._decoded(self.contract, (*self.events, *events))

    def _prefix(self, count: int) -> ContractRecord:
        """The record of the first *count* events, without checking it again.

        What a valid record held up to an instant is valid (the checks of an event read only
        the events before it), and a simulated record past ``MAX_EVENTS`` keeps its prefixes too.
        """
        return self if count == len(self.events) else _RECORD(self.contract, self.events[:count])

    def _transitions(self) -> list[InvalidTransition]:
        """The problems of the policy-free fold: events the state at their point does not allow."""
        # never snapshot: keeps only what it checks
        return fold(self.contract, NO_AUTOMATIC_STEPS, self.events, None, history=False).errors


_RECORD: Final = trusted(ContractRecord, "contract", "events")
"""A record of terms and events, built without any check: :meth:`ContractRecord._checked` checks it."""
_KNOWN_TYPES: Final = frozenset(EVENT_TYPES.values())
"""The event types of the record format: a type made from ``Event`` elsewhere is not one of them."""


def _position(error: InvalidRecord) -> tuple[int, str]:
    """Sort key of a problem: every problem found here is inside ``events[i]``."""
    path = error.path
    return int(path[7 : path.index("]")]), path
