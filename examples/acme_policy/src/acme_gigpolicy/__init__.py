"""ACME's marketplace rules, shipped to gigpolicy under the entry-point group ``gigpolicy.policies``.

ACME is made up. Its contracts end by either party; once a contract ends with at least
``min_paid`` paid, each party may leave one review within ``review_days`` days; reviews show
as soon as both are in. Two versions: from 2026-01-01 the window grew from 7 to 10 days.
Installed, ``gigpolicy.get_policy("acme")`` and ``gigpolicy explain FILE --policy acme`` find it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy.authoring import Context, Judge, Policy, Question, ReplayRules, Verdict

__all__ = ["VERSIONS", "AcmePolicy"]

SOURCE: Final = "https://acme.example/help/reviews"


@attrs.frozen(kw_only=True)
class AcmePolicy(Policy):
    """One version of ACME's rules."""

    review_days: int = 7
    """Reviews close this many days after the end."""
    min_paid: Decimal = Decimal("5.00")
    """A contract must have paid this much for reviews to open."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer with ACME's rule for *question*, or no if ACME has none."""
        rule = _RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)


def _end(context: Context, policy: AcmePolicy) -> Verdict:
    del policy
    judge = Judge(context.at)
    judge.cond(
        context.state.ended_at is None,
        ("OPEN", "Either party may end an open contract."),
        ("ENDED", "The contract has already ended."),
        SOURCE,
    )
    return judge.verdict()


def _review(context: Context, policy: AcmePolicy) -> Verdict:
    judge = Judge(context.at)
    state = context.state
    ended = judge.cond(
        state.ended_at is not None,
        ("ENDED", "The contract has ended."),
        ("OPEN", "Reviews open when the contract ends."),
        SOURCE,
    )
    judge.cond(
        state.net_paid.amount >= policy.min_paid,
        ("PAID_ENOUGH", f"At least {policy.min_paid} was paid."),
        ("PAID_TOO_LITTLE", f"Reviews need at least {policy.min_paid} paid."),
        SOURCE,
    )
    if ended and state.ended_at is not None:
        judge.window(state.ended_at + timedelta(days=policy.review_days), "The review window", SOURCE)
    judge.cond(
        not any(f.by is context.party for f in state.feedback),
        ("NOT_YET_REVIEWED", f"The {context.party} has not reviewed yet."),
        ("ALREADY_REVIEWED", f"The {context.party} already reviewed."),
        SOURCE,
    )
    return judge.verdict()


_RULES: Final[dict[Question, Callable[[Context, AcmePolicy], Verdict]]] = {
    Question.END_CONTRACT: _end,
    Question.PUBLIC_FEEDBACK: _review,
}

_FIRST: Final = AcmePolicy(
    name="acme",
    effective_from=date(2024, 1, 1),
    title="Reviews for 7 days after the end, once $5 was paid",
    source=SOURCE,
    replay_rules=ReplayRules(auto_release_after=timedelta(days=7)),
)

#: Every version, oldest first: what the entry point ``acme = "acme_gigpolicy:VERSIONS"`` names.
VERSIONS: Final = (
    _FIRST,
    attrs.evolve(_FIRST, effective_from=date(2026, 1, 1), title="Reviews for 10 days after the end", review_days=10),
)
