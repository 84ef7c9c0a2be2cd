"""What you need to write a policy for your own marketplace, and to type-check it.

A policy is a frozen attrs class that subclasses :class:`Policy`: its parameters are typed
fields with defaults, and :meth:`Policy.decide` maps each :class:`Question` to a rule
function that returns a :class:`Verdict`. :class:`Judge` collects a rule's conditions and
gives the verdict, with reasons and the boundaries evaluation needs for ``until``.

Register versions with :func:`gigpolicy.register_policy`, or ship them from a separate
package under the entry-point group ``gigpolicy.policies``, so that
:func:`gigpolicy.get_policy` and the command line find them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from gigpolicy._decision import APPLIES_TO, Decision, Question, Reason, Verdict
from gigpolicy._fees import FeeSchedule
from gigpolicy._judge import Judge, when
from gigpolicy._policy import ENTRY_POINT_GROUP, Context, Policy, Window
from gigpolicy._state import ContractState, Feedback, ReplayRules
from gigpolicy._success import ScoredPolicy

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
    "Verdict",
    "Window",
    "when",
]

Rule: TypeAlias = Callable[[Context], Verdict]
"""A rule function: judge one question for ``context.party`` at ``context.at``."""
