"""The motivating case as what-if planning: every next step open to the freelancer, simulated.

A freelancer holds a fixed-price contract whose first milestone ($500) is funded but unpaid,
and learns that the client wants a smear campaign. This script simulates each step open to
them at 2026-11-03 09:00 UTC under the Upwork rules and answers their four questions from
the worst and the best case of each step.

Run it from the repository's root: ``python examples/options_motivating_case.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import gigpolicy
from gigpolicy import FeedbackKind, Option, Party, Question, Report

RECORD = Path(__file__).parent / "records" / "motivating-case.json"
AT = datetime(2026, 11, 3, 9, tzinfo=UTC)


def _yes(report: Report, question: Question, party: Party) -> str:
    """``yes`` or ``no``, with the codes of the reasons."""
    decision = report.decision(question, party)
    codes = ", ".join(reason.code for reason in decision.reasons)
    return f"{'yes' if decision.answer else 'no'} ({codes})"


def _find(found: tuple[Option, ...], action: str) -> Option:
    return next(option for option in found if option.action == action)


def main() -> None:
    """Print the steps open to the freelancer, then the four answers the case asks for."""
    record = gigpolicy.load(RECORD)
    found = gigpolicy.options(record, party=Party.FREELANCER, at=AT)
    print(f"Steps open to the freelancer at {AT:%Y-%m-%d %H:%M} UTC: {', '.join(o.action for o in found)}")

    end = _find(found, "end_contract")
    review = end.right_after.decision(Question.PUBLIC_FEEDBACK, Party.CLIENT)
    closes = f" until {review.until:%Y-%m-%d %H:%M} UTC" if review.until else ""
    print()
    print("1. If I end the contract now, with $0 paid, can the client still review me? Will anyone see it?")
    print(f"   Can the client review: {'yes' if review.answer else 'no'}{closes}")
    worst = end.worst_case.state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC)
    stars = "no" if worst is None else f"a {worst.rating}-star"
    print(f"   Worst case, the client leaves {stars} review; is it shown: ", end="")
    print(_yes(end.worst_case, Question.FEEDBACK_PUBLISHED, Party.CLIENT))

    print("2. Will the contract show in my work history? Can it still lower my Job Success Score?")
    print(f"   Work history: {_yes(end.worst_case, Question.WORK_HISTORY, Party.FREELANCER)}")
    counts = _yes(end.worst_case, Question.JOB_SUCCESS_SCORE, Party.FREELANCER)
    print(f"   Counts toward the score, worst case: {counts}")

    print("3. Where does the escrowed money go?")
    money = end.worst_money
    print(f"   Back to the client: {money.back_to_client}; paid to me: {money.paid_to_freelancer}")

    report = _find(found, "report_and_end")
    print("4. Does reporting the job change any of that?")
    print(f"   Worst case, counts: {_yes(report.worst_case, Question.JOB_SUCCESS_SCORE, Party.FREELANCER)}")
    print(f"   Best case, counts: {_yes(report.best_case, Question.JOB_SUCCESS_SCORE, Party.FREELANCER)}")
    print(f"   Back to the client either way: {report.worst_money.back_to_client}")


if __name__ == "__main__":
    main()
