"""The kit for writing a policy for your own marketplace.

A policy is a frozen attrs class that subclasses :class:`Policy`: its parameters are typed
fields with defaults, and :meth:`Policy.decide` maps each :class:`Question` to a rule
function that returns a :class:`Verdict`. :class:`Judge` collects a rule's conditions and
gives the verdict, with reasons and the boundaries evaluation needs for ``until``. A policy
with the three methods of :class:`ScoredPolicy` has a success score too.

Register versions with :func:`register_policy`, or ship them from a separate package under the
entry-point group :data:`ENTRY_POINT_GROUP`, so that :func:`gigpolicy.get_policy` and the command
line find them by name; list the pages your rules cite with :func:`register_sources`.
"""

from __future__ import annotations

from gigpolicy._decision import APPLIES_TO, Decision, Question, Reason, Verdict
from gigpolicy._judge import Judge, when
from gigpolicy._policy import ENTRY_POINT_GROUP, Context, Policy, Window, register_policy
from gigpolicy._sources import Source, SourceKind, register_sources
from gigpolicy._state import ContractState, Feedback, ReplayRules
from gigpolicy.typing import FeeSchedule, Rule, ScoredPolicy

__all__ = [
    "APPLIES_TO",
    "ENTRY_POINT_GROUP",
    "Context",
    "ContractState",
    "Decision",
    "FeeSchedule",
    "Feedback",
    "Judge",
    "Policy",
    "Question",
    "Reason",
    "ReplayRules",
    "Rule",
    "ScoredPolicy",
    "Source",
    "SourceKind",
    "Verdict",
    "Window",
    "register_policy",
    "register_sources",
    "when",
]
