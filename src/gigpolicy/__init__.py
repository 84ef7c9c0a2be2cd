"""gigpolicy: what a freelance marketplace's rules allow and cause, for one contract at one instant."""

from importlib.metadata import version as _version

from gigpolicy import errors
from gigpolicy._batch import BatchLine, evaluate_lines
from gigpolicy._codec import converter, dumps, load, loads
from gigpolicy._contract import ContractKind, ContractStatus, ContractTerms, Party
from gigpolicy._decision import Decision, Question, Reason, Verdict
from gigpolicy._evaluate import Difference, Report, differences, evaluate
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
from gigpolicy._fees import Earnings, FeeSchedule, FlatFee, MinimumFee, PerContractFee, TieredFee
from gigpolicy._money import CurrencyMismatch, Money
from gigpolicy._options import MoneyEffect, Option, options
from gigpolicy._policy import Context, Policy, Window, available_policies, get_policy, register_policy
from gigpolicy._record import ContractRecord
from gigpolicy._replay import replay
from gigpolicy._sources import Source, SourceKind, date_confirmed, register_sources, source_for, sources
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
from gigpolicy._success import CountedJob, ExcludedJob, JobSuccess, ScoreEffect, job_success, score_effect
from gigpolicy._timeline import Mark, MarkKind, Timeline, timeline, timeline_svg, timeline_text
from gigpolicy.errors import (
    GigPolicyError,
    InvalidRecord,
    InvalidRecordGroup,
    InvalidTransition,
    NoSuchDecision,
    UnknownPolicy,
)
from gigpolicy.policies.fiverr import FiverrPolicy
from gigpolicy.policies.freelancer import FreelancerPolicy
from gigpolicy.policies.upwork import UpworkPolicy

__version__ = _version("gigpolicy")

__all__ = [
    "AccountSuspended",
    "AutomaticStep",
    "BatchLine",
    "BilledWeek",
    "BonusPaid",
    "ChangesRequested",
    "Context",
    "ContractEnded",
    "ContractKind",
    "ContractPaused",
    "ContractRecord",
    "ContractResumed",
    "ContractState",
    "ContractStatus",
    "ContractTerms",
    "CountedJob",
    "CurrencyMismatch",
    "Decision",
    "Difference",
    "Dispute",
    "DisputeOpened",
    "DisputeResolved",
    "Earnings",
    "EscrowReturned",
    "Event",
    "ExcludedJob",
    "FeeSchedule",
    "Feedback",
    "FeedbackEditEnabled",
    "FeedbackKind",
    "FeedbackLeft",
    "FeedbackRemoved",
    "FeedbackResponse",
    "FiverrPolicy",
    "FlatFee",
    "FreelancerPolicy",
    "GigPolicyError",
    "HoursBilled",
    "HoursDisputed",
    "InvalidRecord",
    "InvalidRecordGroup",
    "InvalidTransition",
    "JobReported",
    "JobSuccess",
    "Mark",
    "MarkKind",
    "MilestoneFunded",
    "MilestoneReleased",
    "MilestoneState",
    "MinimumFee",
    "Money",
    "MoneyEffect",
    "NoSuchDecision",
    "Option",
    "Party",
    "Payment",
    "PerContractFee",
    "Policy",
    "Question",
    "Reason",
    "RefundIssued",
    "ReplayRules",
    "Report",
    "ScoreEffect",
    "Source",
    "SourceKind",
    "Suspension",
    "TieredFee",
    "Timeline",
    "UnknownPolicy",
    "UpworkPolicy",
    "Verdict",
    "Window",
    "WorkSubmitted",
    "__version__",
    "available_policies",
    "converter",
    "date_confirmed",
    "differences",
    "dumps",
    "errors",
    "evaluate",
    "evaluate_lines",
    "get_policy",
    "job_success",
    "load",
    "loads",
    "options",
    "register_policy",
    "register_sources",
    "replay",
    "score_effect",
    "source_for",
    "sources",
    "timeline",
    "timeline_svg",
    "timeline_text",
]
