"""gigpolicy: what a freelance marketplace's rules allow and cause, for one contract at one instant."""

from importlib.metadata import version as _version

from gigpolicy import errors
from gigpolicy._codec import converter, dumps, load, loads
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
from gigpolicy._money import CurrencyMismatch, Money
from gigpolicy._record import ContractRecord
from gigpolicy._replay import replay
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
from gigpolicy.errors import GigPolicyError, InvalidRecord, InvalidRecordGroup, InvalidTransition, UnknownPolicy

__version__ = _version("gigpolicy")

__all__ = [
    "AccountSuspended",
    "AutomaticStep",
    "BilledWeek",
    "BonusPaid",
    "ChangesRequested",
    "ContractEnded",
    "ContractKind",
    "ContractPaused",
    "ContractRecord",
    "ContractResumed",
    "ContractState",
    "ContractStatus",
    "ContractTerms",
    "CurrencyMismatch",
    "Dispute",
    "DisputeOpened",
    "DisputeResolved",
    "EscrowReturned",
    "Event",
    "Feedback",
    "FeedbackEditEnabled",
    "FeedbackKind",
    "FeedbackLeft",
    "FeedbackRemoved",
    "FeedbackResponse",
    "GigPolicyError",
    "HoursBilled",
    "HoursDisputed",
    "InvalidRecord",
    "InvalidRecordGroup",
    "InvalidTransition",
    "JobReported",
    "MilestoneFunded",
    "MilestoneReleased",
    "MilestoneState",
    "Money",
    "Party",
    "Payment",
    "RefundIssued",
    "ReplayRules",
    "Suspension",
    "UnknownPolicy",
    "WorkSubmitted",
    "__version__",
    "converter",
    "dumps",
    "errors",
    "load",
    "loads",
    "replay",
]
