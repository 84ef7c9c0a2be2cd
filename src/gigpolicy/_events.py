"""The events a contract record is made of, one frozen class per event type.

Each class checks its own fields when it is built; whether an event may happen at that
point of the contract is checked by :class:`~gigpolicy.ContractRecord` and replay.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Final

import attrs

from gigpolicy._contract import MAX_COMMENT, Party, check, check_decimal, check_instant, check_text, is_a
from gigpolicy._money import Money
from gigpolicy._time import require_date
from gigpolicy.errors import InvalidRecord, raise_collected

__all__ = [
    "EVENT_TYPES",
    "RATINGS",
    "TOS_VIOLATION",
    "AccountSuspended",
    "BonusPaid",
    "ChangesRequested",
    "ContractEnded",
    "ContractPaused",
    "ContractResumed",
    "DisputeOpened",
    "DisputeResolved",
    "EscrowReturned",
    "Event",
    "FeedbackEditEnabled",
    "FeedbackKind",
    "FeedbackLeft",
    "FeedbackRemoved",
    "FeedbackResponse",
    "HoursBilled",
    "HoursDisputed",
    "JobReported",
    "MilestoneFunded",
    "MilestoneReleased",
    "RefundIssued",
    "WorkSubmitted",
    "check_hours",
    "check_sunday",
]

MAX_HOURS: Final = Decimal(168)


class FeedbackKind(enum.StrEnum):
    """Which feedback a party leaves."""

    PUBLIC = "public"
    """End-of-contract public feedback: 1.0 to 5.0 stars."""
    PRIVATE = "private"
    """End-of-contract private feedback: 0 to 10, never shown to the other party."""
    MID_CONTRACT = "mid_contract"
    """Public feedback on an open contract: 1.0 to 5.0 stars."""


# Each kind as a plain name, for the rules (see the members of `gigpolicy._contract`).
PUBLIC: Final = FeedbackKind.PUBLIC
PRIVATE: Final = FeedbackKind.PRIVATE
MID_CONTRACT: Final = FeedbackKind.MID_CONTRACT


def _party(value: object, path: str, problems: list[InvalidRecord]) -> None:
    if not isinstance(value, Party):
        problems.append(InvalidRecord(path, "must be a Party"))


def _positive(value: object, path: str, problems: list[InvalidRecord], *, zero_ok: bool = False) -> None:
    if not isinstance(value, Money):
        problems.append(InvalidRecord(path, f"must be Money, not {type(value).__name__}"))
    elif value.amount < 0 or (value.amount == 0 and not zero_ok):
        problems.append(InvalidRecord(path, "must not be negative" if zero_ok else "must be greater than zero"))


@attrs.frozen(kw_only=True)
class Event:
    """What all events share: the instant ``at`` they happened (timezone-aware)."""

    TYPE: ClassVar[str] = ""
    """The event's ``type`` in the record format."""

    at: datetime

    def __init_subclass__(cls) -> None:
        """Refuse a subclass of an event type of the record format, made outside this module.

        Records, replay and the codec know each event by its exact class: a subclass of
        ``BonusPaid`` would claim its ``TYPE`` without being one. A new type made straight from
        :class:`Event` can still be defined (a record of the format holds none).

        Raises:
            TypeError: for a subclass of an event type of the record format.
        """
        super().__init_subclass__()
        known = next((base for base in cls.__mro__[1:] if base is not Event and base.__module__ == __name__), None)
        if known is not None and cls.__module__ != __name__:
            raise TypeError(
                f"{cls.__name__} cannot subclass {known.__name__}: the event types of the record"
                " format are final (gigpolicy tells events apart by their exact class)"
            )

    def __attrs_post_init__(self) -> None:
        problems: list[InvalidRecord] = []
        check_instant(self, "at", problems)
        self._check(problems)
        raise_collected(problems)

    def _check(self, problems: list[InvalidRecord]) -> None:
        """Append the problems of the fields beyond ``at``."""


@attrs.frozen(kw_only=True)
class MilestoneFunded(Event):
    """The client puts money into escrow for a milestone."""

    TYPE: ClassVar[str] = "milestone_funded"
    milestone: str
    amount: Money
    due_at: datetime | None = None

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_text(self.milestone, "milestone", problems)
        _positive(self.amount, "amount", problems)
        if self.due_at is not None:
            check_instant(self, "due_at", problems)


@attrs.frozen(kw_only=True)
class WorkSubmitted(Event):
    """The freelancer submits a milestone's work, which starts the client's review period."""

    TYPE: ClassVar[str] = "work_submitted"
    milestone: str

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_text(self.milestone, "milestone", problems)


@attrs.frozen(kw_only=True)
class ChangesRequested(Event):
    """The client asks for changes to submitted work, which stops its automatic release."""

    TYPE: ClassVar[str] = "changes_requested"
    milestone: str

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_text(self.milestone, "milestone", problems)


@attrs.frozen(kw_only=True)
class MilestoneReleased(Event):
    """Escrow of a milestone is paid out to the freelancer."""

    TYPE: ClassVar[str] = "milestone_released"
    milestone: str
    amount: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_text(self.milestone, "milestone", problems)
        _positive(self.amount, "amount", problems)


@attrs.frozen(kw_only=True)
class EscrowReturned(Event):
    """Escrow of a milestone goes back to the client."""

    TYPE: ClassVar[str] = "escrow_returned"
    milestone: str
    amount: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_text(self.milestone, "milestone", problems)
        _positive(self.amount, "amount", problems)


@attrs.frozen(kw_only=True)
class HoursBilled(Event):
    """The weekly invoice of an hourly contract: the week ending on Sunday ``week_ending``."""

    TYPE: ClassVar[str] = "hours_billed"
    week_ending: date
    hours: Decimal
    amount: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_sunday(self.week_ending, problems)
        check_hours(self.hours, problems)
        _positive(self.amount, "amount", problems)


def check_hours(value: object, problems: list[InvalidRecord]) -> None:
    """Note in *problems* unless *value* is a week's hours ``HoursBilled`` takes (0 to ``MAX_HOURS``)."""
    check(problems, "hours", check_decimal, value, Decimal(0), MAX_HOURS)


def check_sunday(value: object, problems: list[InvalidRecord]) -> None:
    """Note in *problems* unless *value* is a Sunday within the limits, as ``week_ending`` must be."""
    if not isinstance(value, date) or isinstance(value, datetime):
        problems.append(InvalidRecord("week_ending", "must be a date"))
    elif value.isoweekday() != 7:  # noqa: PLR2004 - ISO weekday 7 is Sunday
        problems.append(InvalidRecord("week_ending", f"{value} is a {value:%A}, not a Sunday"))
    else:
        check(problems, "week_ending", require_date, value, "")


@attrs.frozen(kw_only=True)
class HoursDisputed(Event):
    """The client disputes a billed week's hours; its amount goes back into escrow."""

    TYPE: ClassVar[str] = "hours_disputed"
    week_ending: date

    def _check(self, problems: list[InvalidRecord]) -> None:
        check_sunday(self.week_ending, problems)


@attrs.frozen(kw_only=True)
class BonusPaid(Event):
    """An extra payment from the client to the freelancer."""

    TYPE: ClassVar[str] = "bonus_paid"
    amount: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        _positive(self.amount, "amount", problems)


@attrs.frozen(kw_only=True)
class RefundIssued(Event):
    """The freelancer gives back money already paid."""

    TYPE: ClassVar[str] = "refund_issued"
    amount: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        _positive(self.amount, "amount", problems)


@attrs.frozen(kw_only=True)
class DisputeOpened(Event):
    """A party disputes the escrow: of one milestone, or all of it."""

    TYPE: ClassVar[str] = "dispute_opened"
    by: Party
    milestone: str | None = None

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)
        if self.milestone is not None:
            check_text(self.milestone, "milestone", problems)


@attrs.frozen(kw_only=True)
class DisputeResolved(Event):
    """How the disputed escrow was split between the parties."""

    TYPE: ClassVar[str] = "dispute_resolved"
    to_freelancer: Money
    to_client: Money

    def _check(self, problems: list[InvalidRecord]) -> None:
        _positive(self.to_freelancer, "to_freelancer", problems, zero_ok=True)
        _positive(self.to_client, "to_client", problems, zero_ok=True)


@attrs.frozen(kw_only=True)
class ContractPaused(Event):
    """A party pauses the contract."""

    TYPE: ClassVar[str] = "contract_paused"
    by: Party

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)


@attrs.frozen(kw_only=True)
class ContractResumed(Event):
    """A party resumes a paused contract."""

    TYPE: ClassVar[str] = "contract_resumed"
    by: Party

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)


@attrs.frozen(kw_only=True)
class ContractEnded(Event):
    """A party ends the contract."""

    TYPE: ClassVar[str] = "contract_ended"
    by: Party
    reason: str | None = None

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)
        if self.reason is not None:
            check_text(self.reason, "reason", problems)


TOS_VIOLATION: Final = "tos_violation"
"""The conventional ``account_suspended`` reason for a Terms of Service violation (the SPEC's example)."""

RATINGS: Final = {
    FeedbackKind.PUBLIC: (Decimal(1), Decimal(5)),
    FeedbackKind.MID_CONTRACT: (Decimal(1), Decimal(5)),
    FeedbackKind.PRIVATE: (Decimal(0), Decimal(10)),
}
"""The one table of rating scales: the lowest and highest rating of each kind of feedback."""


@attrs.frozen(kw_only=True)
class FeedbackLeft(Event):
    """A party leaves feedback: public or mid-contract stars (1.0-5.0), or private (0-10)."""

    TYPE: ClassVar[str] = "feedback_left"
    by: Party
    kind: FeedbackKind
    rating: Decimal
    comment: str | None = None

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)
        if not is_a(self.kind, FeedbackKind):
            problems.append(InvalidRecord("kind", "must be a FeedbackKind"))
        else:
            low, high = RATINGS[self.kind]
            check(problems, "rating", check_decimal, self.rating, low, high, places=2)
        if self.comment is not None:
            check_text(self.comment, "comment", problems, limit=MAX_COMMENT)


@attrs.frozen(kw_only=True)
class FeedbackResponse(Event):
    """A party posts a public reply to the other party's feedback."""

    TYPE: ClassVar[str] = "feedback_response"
    by: Party

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)


@attrs.frozen(kw_only=True)
class FeedbackEditEnabled(Event):
    """The recipient of feedback (``by``) lets its author change it."""

    TYPE: ClassVar[str] = "feedback_edit_enabled"
    by: Party

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)


@attrs.frozen(kw_only=True)
class FeedbackRemoved(Event):
    """The marketplace removed the feedback ``author`` left."""

    TYPE: ClassVar[str] = "feedback_removed"
    author: Party
    reason: str

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.author, "author", problems)
        check_text(self.reason, "reason", problems)


@attrs.frozen(kw_only=True)
class AccountSuspended(Event):
    """The marketplace suspended a party (``reason`` such as ``tos_violation``)."""

    TYPE: ClassVar[str] = "account_suspended"
    party: Party
    reason: str

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.party, "party", problems)
        check_text(self.reason, "reason", problems)


@attrs.frozen(kw_only=True)
class JobReported(Event):
    """A party reported the job or the other party to the marketplace."""

    TYPE: ClassVar[str] = "job_reported"
    by: Party
    reason: str

    def _check(self, problems: list[InvalidRecord]) -> None:
        _party(self.by, "by", problems)
        check_text(self.reason, "reason", problems)


#: Every event class by its ``type`` in the record format.
EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.TYPE: cls
    for cls in (
        MilestoneFunded, WorkSubmitted, ChangesRequested, MilestoneReleased, EscrowReturned,
        HoursBilled, HoursDisputed, BonusPaid, RefundIssued, DisputeOpened, DisputeResolved,
        ContractPaused, ContractResumed, ContractEnded, FeedbackLeft, FeedbackResponse,
        FeedbackEditEnabled, FeedbackRemoved, AccountSuspended, JobReported,
    )
}  # fmt: skip
