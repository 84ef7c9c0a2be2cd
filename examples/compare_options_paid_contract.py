"""Compare ending a paid fixed-price contract three ways, in the worst and the best case, with money.

The client paid the first milestone ($500) and funded a second ($300) that is still in
escrow. The freelancer weighs ending the contract as is, refunding what was paid and then
ending, or reporting the job and then ending. Each step is simulated under the Upwork rules
until every window it opens has closed.

Run it from the repository's root: ``python examples/compare_options_paid_contract.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from gigpolicy import (
    ContractKind,
    ContractRecord,
    ContractTerms,
    FeedbackKind,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    MoneyEffect,
    Party,
    Question,
    Report,
    WorkSubmitted,
    options,
)

START: Final = datetime(2026, 11, 2, 15, tzinfo=UTC)
AT: Final = START + timedelta(days=10)
COMPARED: Final = ("end_contract", "refund_and_end", "report_and_end")


def paid_contract() -> ContractRecord:
    """A fixed-price contract: $500 released for m1, $300 funded for m2."""
    terms = ContractTerms(
        id="c-2002",
        kind=ContractKind.FIXED_PRICE,
        currency="USD",
        client="client-42",
        freelancer="fl-7",
        started_at=START,
    )
    usd = Money.of
    return ContractRecord(
        contract=terms,
        events=(
            MilestoneFunded(at=START + timedelta(minutes=5), milestone="m1", amount=usd("500.00", "USD")),
            WorkSubmitted(at=START + timedelta(days=3), milestone="m1"),
            MilestoneReleased(at=START + timedelta(days=4), milestone="m1", amount=usd("500.00", "USD")),
            MilestoneFunded(at=START + timedelta(days=4, hours=1), milestone="m2", amount=usd("300.00", "USD")),
        ),
    )


def _case(name: str, report: Report, money: MoneyEffect) -> str:
    review = report.state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC)
    stars = "no review" if review is None else f"{review.rating}-star review"
    shown = report.decision(Question.FEEDBACK_PUBLISHED, Party.CLIENT).answer
    history = report.decision(Question.WORK_HISTORY, Party.FREELANCER).answer
    counts = report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER).answer
    return (
        f"  {name:<5} net earnings {money.net_earnings}, to client {money.back_to_client}; "
        f"client: {stars}{' (shown)' if shown else ''}; "
        f"work history: {'yes' if history else 'no'}; counts in score: {'yes' if counts else 'no'}"
    )


def main() -> None:
    """Print each compared step's worst and best case side by side."""
    found = {option.action: option for option in options(paid_contract(), party=Party.FREELANCER, at=AT)}
    print(f"Freelancer's options at {AT:%Y-%m-%d %H:%M} UTC, $500 paid and $300 in escrow:")
    for action in COMPARED:
        option = found[action]
        print(f"{action}: {option.summary}")
        print(_case("worst", option.worst_case, option.worst_money))
        print(_case("best", option.best_case, option.best_money))


if __name__ == "__main__":
    main()
