"""Write a policy for your own marketplace against ``gigpolicy.typing``, register it, use it by name.

"Gigly" is a made-up marketplace: either party may end a contract while it is open; once it
ends, each party may leave one public review within ``review_window``; a review shows at
once (no double-blind); submitted work releases after 5 days; the fee is 8%. Every question
the policy has no rule for answers no, with the reason ``NO_SUCH_RULE``.

Run it from the repository's root: ``python examples/custom_marketplace.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from gigpolicy import (
    ContractEnded,
    ContractKind,
    ContractRecord,
    ContractStatus,
    ContractTerms,
    FeedbackKind,
    FlatFee,
    MilestoneFunded,
    Money,
    Party,
    WorkSubmitted,
    evaluate,
    register_policy,
)
from gigpolicy.typing import Context, Judge, Policy, Question, ReplayRules, Verdict, when

SOURCE: Final = "https://gigly.example/help/reviews"


@attrs.frozen(kw_only=True)
class GiglyPolicy(Policy):
    """Gigly's rules: one parameter of its own, the rest inherited from :class:`Policy`."""

    review_window: timedelta = timedelta(days=30)
    """Each party reviews within this long after the end."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer with the rule for *question*; the base class answers no where there is none."""
        rule = RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)


def end_contract(context: Context, policy: GiglyPolicy) -> Verdict:
    """Either party may end an open contract."""
    del policy
    judge = Judge(context.at)
    judge.cond(
        context.state.status is not ContractStatus.ENDED,
        ("OPEN", "The contract is open, so either party may end it."),
        ("ALREADY_ENDED", "The contract has already ended."),
        SOURCE,
    )
    return judge.verdict()


def review(context: Context, policy: GiglyPolicy) -> Verdict:
    """A party reviews once, within the window after the end."""
    judge = Judge(context.at)
    state = context.state
    if state.ended_at is None:
        judge.fail("NOT_ENDED", "Reviews open when the contract ends.", SOURCE)
        return judge.verdict()
    judge.window(state.ended_at + policy.review_window, "The review window", SOURCE)
    judge.cond(
        state.feedback_by(context.party, FeedbackKind.PUBLIC) is None,
        ("NOT_YET_REVIEWED", f"The {context.party} has not reviewed yet."),
        ("ALREADY_REVIEWED", f"The {context.party} already reviewed."),
        SOURCE,
    )
    return judge.verdict()


def published(context: Context, policy: GiglyPolicy) -> Verdict:
    """A review shows as soon as it is left."""
    del policy
    judge = Judge(context.at)
    mine = context.state.feedback_by(context.party, FeedbackKind.PUBLIC)
    judge.cond(
        mine is not None,
        ("SHOWN_AT_ONCE", f"Gigly shows reviews at once{f' (since {when(mine.at)})' if mine else ''}."),
        ("NO_REVIEW", f"The {context.party} has left no review."),
        SOURCE,
    )
    return judge.verdict()


RULES: Final[dict[Question, Callable[[Context, GiglyPolicy], Verdict]]] = {
    Question.END_CONTRACT: end_contract,
    Question.PUBLIC_FEEDBACK: review,
    Question.FEEDBACK_PUBLISHED: published,
}

GIGLY: Final = GiglyPolicy(
    name="gigly",
    effective_from=date(2025, 1, 1),
    title="Reviews within 30 days of the end, shown at once; 8% fee",
    source=SOURCE,
    replay_rules=ReplayRules(auto_release_after=timedelta(days=5)),
    fees=FlatFee(rate=Decimal("0.08")),
    display_threshold=Decimal(0),
)


def main() -> None:
    """Register Gigly, then evaluate a contract by the policy's name."""
    register_policy(GIGLY)
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    terms = ContractTerms(
        id="g-1",
        marketplace="gigly",
        kind=ContractKind.FIXED_PRICE,
        currency="USD",
        client="client-1",
        freelancer="fl-7",
        started_at=start,
    )
    record = ContractRecord(
        contract=terms,
        events=(
            MilestoneFunded(at=start, milestone="m1", amount=Money.of("250.00", "USD")),
            WorkSubmitted(at=start + timedelta(days=2), milestone="m1"),
            ContractEnded(at=start + timedelta(days=8), by=Party.CLIENT),
        ),
    )
    at = start + timedelta(days=9)
    report = evaluate(record, at=at, policy="gigly")
    print(f"Policy: {report.policy.label} ({report.policy.title})")
    print(f"Released by itself: {report.state.paid}; earnings after the 8% fee: {report.earnings.net}")
    for question in (Question.END_CONTRACT, Question.PUBLIC_FEEDBACK, Question.OPEN_DISPUTE):
        decision = report.decision(question, Party.CLIENT)
        until = f" until {when(decision.until)}" if decision.until else ""
        codes = ", ".join(reason.code for reason in decision.reasons)
        print(f"{question} (client): {'yes' if decision.answer else 'no'}{until} [{codes}]")


if __name__ == "__main__":
    main()
