"""Types for annotating code that uses gigpolicy: a rule function, a fee schedule, a scored policy.

The kit for writing a policy (``Policy``, ``Context``, ``Judge``, ``Question``, ``Verdict``, ...)
lives in :mod:`gigpolicy.authoring`. Its names are still found here for one release, with a
:class:`DeprecationWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeAlias

from gigpolicy._decision import Verdict as _Verdict
from gigpolicy._fees import FeeSchedule
from gigpolicy._policy import Context as _Context
from gigpolicy._success import ScoredPolicy

if TYPE_CHECKING:  # the deprecated names keep their types for a type checker until they go
    from gigpolicy._decision import APPLIES_TO, Decision, Question, Reason, Verdict  # noqa: F401
    from gigpolicy._judge import Judge, when  # noqa: F401
    from gigpolicy._policy import ENTRY_POINT_GROUP, Context, Policy, Window  # noqa: F401
    from gigpolicy._state import ContractState, Feedback, ReplayRules  # noqa: F401

__all__ = ["FeeSchedule", "Rule", "ScoredPolicy"]

Rule: TypeAlias = Callable[[_Context], _Verdict]
"""A rule function: judge one question for ``context.party`` at ``context.at``."""

_MOVED: Final = frozenset(
    {
        "APPLIES_TO",
        "ENTRY_POINT_GROUP",
        "Context",
        "ContractState",
        "Decision",
        "Feedback",
        "Judge",
        "Policy",
        "Question",
        "Reason",
        "ReplayRules",
        "Verdict",
        "Window",
        "when",
    }
)
"""The kit's names, found here until the next release."""


def __getattr__(name: str) -> object:
    if name in _MOVED:
        warnings.warn(
            f"gigpolicy.typing.{name} moved to gigpolicy.authoring.{name}; the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        from gigpolicy import authoring  # noqa: PLC0415 - the kit imports this module

        return getattr(authoring, name)
    raise AttributeError(f"module 'gigpolicy.typing' has no attribute {name!r}")
