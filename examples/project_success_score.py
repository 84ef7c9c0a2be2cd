"""Project a freelancer's Job Success Score month by month over a year of made-up contracts.

The contracts are built in code: a dozen fixed-price jobs with different clients, earnings
and feedback, one of them a $0 contract ended early with a bad review. The script then
estimates the score at the end of each month of 2026 under the Upwork rules in force.

Run it from the repository's root: ``python examples/project_success_score.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from gigpolicy import (
    ContractEnded,
    ContractKind,
    ContractRecord,
    ContractTerms,
    Event,
    FeedbackKind,
    FeedbackLeft,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    job_success,
)

FREELANCER = "fl-7"

#: (start day of 2026 as month and day, client, amount paid, days the job ran, client's public rating or None)
JOBS: tuple[tuple[int, int, str, str, int, str | None], ...] = (
    (1, 5, "client-1", "300.00", 20, "5"),
    (1, 20, "client-2", "1200.00", 40, "5"),
    (2, 10, "client-3", "80.00", 7, "4.5"),
    (3, 1, "client-1", "450.00", 15, "5"),
    (3, 25, "client-4", "0.00", 2, "1"),
    (4, 15, "client-5", "2500.00", 60, "5"),
    (6, 1, "client-6", "150.00", 10, None),
    (7, 3, "client-7", "600.00", 30, "3"),
    (8, 12, "client-2", "900.00", 25, "5"),
    (9, 20, "client-8", "200.00", 12, "4"),
    (10, 30, "client-9", "700.00", 21, "5"),
    (11, 18, "client-3", "350.00", 14, "5"),
)


def contract(number: int, job: tuple[int, int, str, str, int, str | None]) -> ContractRecord:
    """One finished fixed-price job: funded, released (unless $0), ended, then rated."""
    month, day, client, amount, days, rating = job
    start = datetime(2026, month, day, 9, tzinfo=UTC)
    end = start + timedelta(days=days)
    paid = Money.of(amount, "USD")
    funded = paid or Money.of("100.00", "USD")
    events: list[Event] = [MilestoneFunded(at=start, milestone="m1", amount=funded)]
    if paid:
        events.append(MilestoneReleased(at=end - timedelta(hours=1), milestone="m1", amount=paid))
    events.append(ContractEnded(at=end, by=Party.CLIENT if paid else Party.FREELANCER))
    if rating is not None:
        events.append(
            FeedbackLeft(at=end + timedelta(days=1), by=Party.CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(rating))
        )
    terms = ContractTerms(
        id=f"job-{number:02}",
        kind=ContractKind.FIXED_PRICE,
        currency="USD",
        client=client,
        freelancer=FREELANCER,
        started_at=start,
    )
    return ContractRecord(contract=terms, events=tuple(events))


def main() -> None:
    """Print the estimated score at the end of each month, with the jobs it counts."""
    records = [contract(number, job) for number, job in enumerate(JOBS, start=1)]
    print(f"Estimated Job Success Score of {FREELANCER} (Upwork rules; the real score is proprietary)")
    for month in range(1, 13):
        first_of_next = datetime(2026 + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        at = first_of_next - timedelta(seconds=1)
        estimate = job_success(records, freelancer=FREELANCER, at=at)
        if estimate is None:
            print(f"{at:%Y-%m}: no score yet (too few eligible jobs or clients)")
            continue
        negative = [job.contract for job in estimate.jobs if job.positive is False]
        print(
            f"{at:%Y-%m}: {estimate.score:>3}  ({len(estimate.jobs)} jobs counted, "
            f"negative: {', '.join(negative) or 'none'})"
        )


if __name__ == "__main__":
    main()
