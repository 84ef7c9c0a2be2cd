"""The motivating case from Python: end a contract with nothing paid, then ask what the client can do.

Run it from the repository's root: ``python examples/explain_motivating_case.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import gigpolicy
from gigpolicy import Party, Question

RECORD = Path(__file__).parent / "records" / "motivating-case-ended.json"
AT = datetime(2026, 11, 3, 10, tzinfo=UTC)


def main() -> None:
    """Print the four answers the freelancer wants, each with its reasons."""
    record = gigpolicy.load(RECORD)
    report = gigpolicy.evaluate(record, at=AT)
    questions = [
        ("Can the client still review me?", Question.PUBLIC_FEEDBACK, Party.CLIENT),
        ("Will anyone see my client's review?", Question.FEEDBACK_PUBLISHED, Party.CLIENT),
        ("Will the contract show in my work history?", Question.WORK_HISTORY, Party.FREELANCER),
        ("Does it count toward my Job Success Score now?", Question.JOB_SUCCESS_SCORE, Party.FREELANCER),
    ]
    for text, question, party in questions:
        decision = report.decision(question, party)
        until = f" (until {decision.until:%Y-%m-%d %H:%M} UTC)" if decision.until else ""
        print(f"{text} {'Yes' if decision.answer else 'No'}{until}")
        for reason in decision.reasons:
            print(f"  - {reason.message}")
    print(f"Where did the escrow go? {report.state.escrow_returned} went back to the client.")


if __name__ == "__main__":
    main()
