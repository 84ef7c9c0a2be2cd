"""Write a policy for your own marketplace against ``gigpolicy.authoring``, register it, use it by name.

"Gigly" is a made-up marketplace: either party may end a contract while it is open; once it
ends, each party may leave one public review within ``review_window``; a review shows at
once (no double-blind); submitted work releases after 5 days; the fee is 8%. Every question
the policy has no rule for answers no, with the reason ``NO_SUCH_RULE``.

Gigly has a success score too, without touching gigpolicy's core: an ended contract with a
client review counts, weighing 1 plus 1 per full 1,000 earned (at most 3), and a score needs
``min_jobs`` jobs from as many clients. The policy gives :func:`gigpolicy.job_success` what it
reads through the three methods of :class:`gigpolicy.authoring.ScoredPolicy`.

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
    FeedbackLeft,
    FlatFee,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    WorkSubmitted,
    evaluate,
    job_success,
    register_policy,
)
from gigpolicy.authoring import Context, ContractState, Judge, Policy, Question, ReplayRules, Verdict, when

SOURCE: Final = "https://gigly.example/help/reviews"
PUBLIC: Final = FeedbackKind.PUBLIC


@attrs.frozen(kw_only=True)
class GiglyPolicy(Policy):
    """Gigly's rules: one parameter of its own, the rest inherited from :class:`Policy`."""

    review_window: timedelta = timedelta(days=30)
    """Each party reviews within this long after the end."""
    min_jobs: int = 2
    """Counted jobs, from as many distinct clients, that a success score needs."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer with the rule for *question*; the base class answers no where there is none."""
        rule = RULES.get(question)
        return super().decide(question, context) if rule is None else rule(context, self)

    def score_minimums(self) -> tuple[int, int]:
        """A score needs ``min_jobs`` counted jobs from as many clients."""
        return self.min_jobs, self.min_jobs

    def job_weight(self, state: ContractState) -> Decimal:
        """1, plus 1 per full 1,000 of net earnings, at most 3."""
        return min(Decimal(1) + (state.net_paid.amount // 1000), Decimal(3))


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


def counts(context: Context, policy: GiglyPolicy) -> Verdict:
    """An ended contract with a client review counts toward the success score."""
    del policy
    judge = Judge(context.at)
    state = context.state
    if judge.cond(
        state.ended_at is not None,
        ("ENDED", "The contract has ended."),
        ("NOT_ENDED", "Only ended contracts count."),
        SOURCE,
    ):
        judge.cond(
            state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC) is not None,
            ("CLIENT_REVIEWED", "The client reviewed the contract."),
            ("NO_CLIENT_REVIEW", "Contracts without a client review do not count."),
            SOURCE,
        )
    return judge.verdict()


RULES: Final[dict[Question, Callable[[Context, GiglyPolicy], Verdict]]] = {
    Question.END_CONTRACT: end_contract,
    Question.PUBLIC_FEEDBACK: review,
    Question.FEEDBACK_PUBLISHED: published,
    Question.JOB_SUCCESS_SCORE: counts,
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

    # a second contract with another client, and a review on each: Gigly's success score
    reviewed = ContractRecord(
        contract=terms, events=(*record.events, FeedbackLeft(at=at, by=Party.CLIENT, kind=PUBLIC, rating=Decimal(3)))
    )
    other_terms = attrs.evolve(terms, id="g-2", client="client-2")
    other = ContractRecord(
        contract=other_terms,
        events=(
            MilestoneFunded(at=start, milestone="m1", amount=Money.of("1500.00", "USD")),
            MilestoneReleased(at=start + timedelta(days=3), milestone="m1", amount=Money.of("1500.00", "USD")),
            ContractEnded(at=start + timedelta(days=4), by=Party.CLIENT),
            FeedbackLeft(at=start + timedelta(days=5), by=Party.CLIENT, kind=PUBLIC, rating=Decimal(5)),
        ),
    )
    estimate = job_success([reviewed, other], freelancer="fl-7", at=at, policy="gigly")
    assert estimate is not None  # two jobs from two clients: enough for Gigly
    weights = ", ".join(f"{job.contract} weighs {job.weight}" for job in estimate.jobs)
    print(f"Gigly success score: {estimate.score} ({weights})")


if __name__ == "__main__":
    main()
