"""What if a rule were different: change one parameter of a built-in policy and compare.

Upwork shows a contract in the work history, and the client's public feedback, only once
the freelancer was paid at least $1.00. This script evolves the current Upwork version with
a display threshold of $0 and shows which decisions on the motivating case (ended with
$0 paid, then rated one star) change, using ``differences``.

Run it from the repository's root: ``python examples/evolve_policy.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import attrs

import gigpolicy
from gigpolicy import FeedbackKind, FeedbackLeft, Party, Question, differences, evaluate, get_policy

RECORD = Path(__file__).parent / "records" / "motivating-case-ended.json"
AT = datetime(2026, 12, 1, tzinfo=UTC)


def main() -> None:
    """Print the decisions that differ between Upwork as it is and Upwork with no $1 threshold."""
    ended = gigpolicy.load(RECORD)
    left = datetime(2026, 11, 4, tzinfo=UTC)
    review = FeedbackLeft(at=left, by=Party.CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(1))
    record = attrs.evolve(ended, events=(*ended.events, review))

    upwork = get_policy("upwork", on=AT)
    no_threshold = attrs.evolve(upwork, display_threshold=Decimal(0), title="What if $0 contracts were shown")
    before = evaluate(record, at=AT, policy=upwork)
    after = evaluate(record, at=AT, policy=no_threshold)

    print(f"display_threshold: {upwork.display_threshold} -> {no_threshold.display_threshold}")
    shown = before.decision(Question.FEEDBACK_PUBLISHED, Party.CLIENT).answer
    print(f"Client's 1-star review shown under {upwork.label}: {'yes' if shown else 'no'}")
    for difference in differences(before, after):
        first, second = difference.first, difference.second
        print(
            f"{difference.question} ({difference.party}): "
            f"{'yes' if first.answer else 'no'} -> {'yes' if second.answer else 'no'} "
            f"[{', '.join(r.code for r in second.reasons)}]"
        )


if __name__ == "__main__":
    main()
