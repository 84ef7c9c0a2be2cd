"""Freelancer.com's rules: feedback once paid in full, final, revealed; the fee; disputes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.records import (
    CLIENT,
    FREELANCER,
    bill,
    bonus,
    day,
    dispute_hours,
    end,
    feedback,
    fixed,
    fund,
    give_back,
    hourly,
    open_dispute,
    release,
    resolve,
    submit,
    week,
)

from gigpolicy import (
    ContractRecord,
    ContractStatus,
    Decision,
    Event,
    FreelancerPolicy,
    MinimumFee,
    Party,
    Question,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._policy import Context
from gigpolicy.policies import freelancer

FREELANCER_COM: Final = freelancer.VERSIONS[-1]

PAID: Final = (fund(day(0)), release(day(1)), end(day(2), by=CLIENT))
"""$500 funded and released, then the project ended on day 2: paid in full."""


def decide(record: ContractRecord, at: datetime, question: Question | str, party: Party) -> Decision:
    """The Freelancer.com decision on *question* for *party*."""
    return evaluate(record, at=at, policy="freelancer").decision(question, party)


def codes(decision: Decision) -> list[str]:
    """The codes of the decision's reasons."""
    return [reason.code for reason in decision.reasons]


def project(*events: Event) -> ContractRecord:
    """A fixed-price project of *events*."""
    return fixed(*events)


class TestVersion:
    """One version stands for the rules as documented."""

    def test_registered(self) -> None:
        """``freelancer`` names a FreelancerPolicy with the documented defaults."""
        assert FREELANCER_COM is get_policy("freelancer")
        assert isinstance(FREELANCER_COM, FreelancerPolicy)
        assert (date(2000, 1, 1), timedelta(days=90), timedelta(days=14)) == (
            FREELANCER_COM.effective_from,
            FREELANCER_COM.feedback_window,
            FREELANCER_COM.reveal_after,
        )

    def test_no_automatic_steps(self) -> None:
        """Nothing releases or returns by itself: submitted work and a freelancer's end leave escrow held."""
        state = replay(project(fund(day(0)), submit(day(1)), end(day(2))), at=day(200), policy="freelancer")
        assert ("500.00 USD", (), None) == (str(state.escrow), state.automatic, state.next_step_at)


class TestEnd:
    """Either party may end an open project."""

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_open(self, party: Party) -> None:
        """Yes while open, for good."""
        decision = decide(project(fund(day(0))), day(1), Question.END_CONTRACT, party)
        assert (True, None, ["PROJECT_OPEN"]) == (decision.answer, decision.until, codes(decision))

    def test_ended(self) -> None:
        """No once ended."""
        assert ["PROJECT_ENDED"] == codes(decide(project(*PAID), day(3), Question.END_CONTRACT, CLIENT))


class TestFeedbackOpens:
    """Feedback opens for both when the project is ended and paid in full."""

    def test_open_project(self) -> None:
        """Not before the end, whatever was paid."""
        decision = decide(project(fund(day(0)), release(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["PROJECT_OPEN"]) == (decision.answer, decision.until, codes(decision))

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_paid_in_full(self, party: Party) -> None:
        """Ended with every milestone released: open to both for 90 days from the end."""
        decision = decide(project(*PAID), day(3), Question.PUBLIC_FEEDBACK, party)
        assert (True, day(92)) == (decision.answer, decision.until)
        assert ["PROJECT_ENDED", "PAID_IN_FULL", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert freelancer.FEEDBACK_FAQ == decision.reasons[1].source

    def test_escrow_held(self) -> None:
        """Ended with a milestone still held: not paid in full, and time alone never opens it."""
        record = project(fund(day(0)), fund(day(0), "30.00", milestone="m2"), release(day(1)), end(day(2)))
        decision = decide(record, day(3), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, None, ["NOT_PAID_IN_FULL"]) == (decision.answer, decision.until, codes(decision))

    def test_nothing_ever_paid(self) -> None:
        """A project ended with nothing funded or paid was not paid in full through milestones."""
        decision = decide(project(end(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["NOT_PAID_IN_FULL"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )

    def test_escrow_returned(self) -> None:
        """A milestone returned to the employer means the project was not paid in full."""
        record = project(
            fund(day(0)),
            fund(day(0), "30.00", milestone="m2"),
            release(day(1)),
            give_back(day(1), "30.00", "m2"),
            end(day(2)),
        )
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(3), Question.PUBLIC_FEEDBACK, CLIENT))

    def test_released_after_the_end(self) -> None:
        """A milestone released after the end opens feedback then, for 90 days from the release."""
        record = project(fund(day(0)), end(day(2), by=CLIENT), release(day(10)))
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(5), Question.PUBLIC_FEEDBACK, CLIENT))
        assert day(100) == decide(record, day(11), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_dispute_won_in_full(self) -> None:
        """Escrow awarded in full to the freelancer by a dispute counts as paid in full."""
        record = project(fund(day(0)), open_dispute(day(1)), end(day(2)), resolve(day(5), "500.00", "0.00"))
        assert day(95) == decide(record, day(6), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_dispute_split(self) -> None:
        """Escrow split by a dispute: part went back, so not paid in full."""
        record = project(fund(day(0)), open_dispute(day(1)), end(day(2)), resolve(day(5), "300.00", "200.00"))
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(6), Question.PUBLIC_FEEDBACK, CLIENT))

    def test_bonus_does_not_move_the_window(self) -> None:
        """A bonus after feedback opened settles no milestone: the window still closes 90 days after the end."""
        record = project(*PAID, bonus(day(30)))
        assert day(92) == decide(record, day(31), Question.PUBLIC_FEEDBACK, CLIENT).until
        assert not decide(record, day(95), Question.PUBLIC_FEEDBACK, CLIENT).answer

    def test_window_closes(self) -> None:
        """At 90 days the window has closed."""
        decision = decide(project(*PAID), day(92), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_hourly(self) -> None:
        """An hourly project ended with its invoices paid opens feedback at the end."""
        record = hourly(bill(day(7), week(1), "300.00"), end(day(8)))
        assert day(98) == decide(record, day(9), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_hourly_disputed_week(self) -> None:
        """Disputed hours are held again: not paid in full until the dispute is resolved."""
        record = hourly(bill(day(7), week(1), "300.00"), dispute_hours(day(8), week(1)), end(day(9)))
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(10), Question.PUBLIC_FEEDBACK, CLIENT))

    def test_window_parameter(self) -> None:
        """Evolving ``feedback_window`` to 30 days closes it 30 days after the end."""
        shorter = attrs.evolve(FREELANCER_COM, feedback_window=timedelta(days=30))
        assert (
            day(32) == evaluate(project(*PAID), at=day(3), policy=shorter).decision("public_feedback", "client").until
        )


class TestFeedbackIsFinal:
    """Feedback once left cannot be left again or changed."""

    def test_already_left(self) -> None:
        """After leaving feedback, the party may not leave it again, though the window is open."""
        record = project(*PAID, feedback(day(3), by=FREELANCER))
        decision = decide(record, day(4), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, ["ALREADY_LEFT"]) == (decision.answer, codes(decision))
        assert "The freelancer already left feedback, which is final." == decision.reasons[0].message

    def test_other_party_still_may(self) -> None:
        """The other party's own feedback is still open."""
        record = project(*PAID, feedback(day(3), by=FREELANCER))
        assert decide(record, day(4), Question.PUBLIC_FEEDBACK, CLIENT).answer


class TestPublished:
    """Feedback is public when both are in, or 14 days after it was left."""

    def test_none(self) -> None:
        """No feedback, nothing shown."""
        decision = decide(project(*PAID), day(3), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["NO_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_hidden_for_fourteen_days(self) -> None:
        """Left on day 3 alone: hidden until day 17, public from then on."""
        record = project(*PAID, feedback(day(3)))
        hidden = decide(record, day(4), Question.FEEDBACK_PUBLISHED, CLIENT)
        shown = decide(record, day(17), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, day(17), ["DOUBLE_BLIND"]) == (hidden.answer, hidden.until, codes(hidden))
        assert (True, None, ["REVEALED_AFTER_WAIT"]) == (shown.answer, shown.until, codes(shown))
        assert "The feedback stays hidden until the freelancer leaves theirs or 2026-11-19 15:00 UTC." == (
            hidden.reasons[0].message
        )

    def test_both_in(self) -> None:
        """Both left feedback: both public at once."""
        report = evaluate(
            project(*PAID, feedback(day(3)), feedback(day(5), by=FREELANCER)), at=day(5), policy="freelancer"
        )
        for party in (CLIENT, FREELANCER):
            decision = report.decision(Question.FEEDBACK_PUBLISHED, party)
            assert (True, None, ["BOTH_LEFT_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_shown_without_payment_threshold(self) -> None:
        """Freelancer.com has no $1 threshold: the display threshold is zero."""
        assert Decimal(0) == FREELANCER_COM.display_threshold

    def test_reveal_parameter(self) -> None:
        """Evolving ``reveal_after`` to 7 days reveals a lone feedback after 7 days."""
        sooner = attrs.evolve(FREELANCER_COM, reveal_after=timedelta(days=7))
        record = project(*PAID, feedback(day(3)))
        assert day(10) == evaluate(record, at=day(4), policy=sooner).decision("feedback_published", "client").until


class TestFee:
    """10% or $5, whichever is greater, on fixed-price payments; 10% on hourly; never more than the payment."""

    @pytest.mark.parametrize(
        ("amount", "fee"),
        [("500.00", "50.00"), ("50.00", "5.00"), ("30.00", "5.00"), ("3.00", "3.00"), ("50.05", "5.01")],
    )
    def test_fixed_price(self, amount: str, fee: str) -> None:
        """The fee on one released milestone."""
        record = project(fund(day(0), amount), release(day(1), amount))
        earnings = evaluate(record, at=day(2), policy="freelancer").earnings
        assert (fee, str(Decimal(amount) - Decimal(fee))) == (
            str(earnings.service_fee.amount),
            str(earnings.net.amount),
        )

    def test_minimum_on_each_payment(self) -> None:
        """Two $20 milestones pay $5 each: the minimum applies per payment."""
        record = project(
            fund(day(0), "20.00"), release(day(1), "20.00"), fund(day(1), "20.00", "m2"), release(day(2), "20.00", "m2")
        )
        assert "10.00 USD" == str(evaluate(record, at=day(3), policy="freelancer").earnings.service_fee)

    @pytest.mark.parametrize(("amount", "fee"), [("300.00", "30.00"), ("30.00", "3.00"), ("3.00", "0.30")])
    def test_hourly(self, amount: str, fee: str) -> None:
        """Hourly invoices pay 10%, with no minimum."""
        earnings = evaluate(hourly(bill(day(7), week(1), amount)), at=day(8), policy="freelancer").earnings
        assert fee == str(earnings.service_fee.amount)

    def test_schedule(self) -> None:
        """The schedule is a 10% rate with a $5 minimum."""
        assert MinimumFee(rate=Decimal("0.10"), minimum=Decimal("5.00")) == FREELANCER_COM.fees


class TestDispute:
    """Disputes are for unreleased milestone payments."""

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_unreleased_milestone(self, party: Party) -> None:
        """A held milestone may be disputed by either party, before or after the end."""
        for record in (project(fund(day(0))), project(fund(day(0)), end(day(1)))):
            decision = decide(record, day(2), Question.OPEN_DISPUTE, party)
            assert (True, None, ["NO_DISPUTE_OPEN", "UNRELEASED_MILESTONE"]) == (
                decision.answer,
                decision.until,
                codes(decision),
            )
            assert "500.00 USD of created milestones is unreleased." == decision.reasons[1].message

    def test_everything_released(self) -> None:
        """Released milestones cannot be disputed."""
        assert ["NO_UNRELEASED_MILESTONE"] == codes(decide(project(*PAID), day(3), Question.OPEN_DISPUTE, CLIENT))

    def test_already_open(self) -> None:
        """One dispute at a time."""
        record = project(fund(day(0)), open_dispute(day(1)))
        assert ["DISPUTE_OPEN"] == codes(decide(record, day(2), Question.OPEN_DISPUTE, CLIENT))

    def test_hourly(self) -> None:
        """Hourly payments are not milestones, even disputed hours: no dispute through this rule."""
        record = hourly(bill(day(7), week(1)), dispute_hours(day(8), week(1)))
        decision = decide(record, day(9), Question.OPEN_DISPUTE, FREELANCER)
        assert ["DISPUTE_OPEN", "NO_UNRELEASED_MILESTONE"] == codes(decision)


class TestNoSuchRule:
    """Questions Freelancer.com has no rule for answer no, saying so."""

    @pytest.mark.parametrize(
        ("question", "party"),
        [
            (Question.PRIVATE_FEEDBACK, CLIENT),
            (Question.MID_CONTRACT_FEEDBACK, CLIENT),
            (Question.RESPOND_TO_FEEDBACK, FREELANCER),
            (Question.ISSUE_REFUND, FREELANCER),
            (Question.WORK_HISTORY, FREELANCER),
            (Question.JOB_SUCCESS_SCORE, FREELANCER),
        ],
    )
    def test_answers_no(self, question: Question, party: Party) -> None:
        """No, with NO_SUCH_RULE and no deadline."""
        decision = decide(project(*PAID, feedback(day(3))), day(4), question, party)
        assert (False, None, ["NO_SUCH_RULE"]) == (decision.answer, decision.until, codes(decision))
        assert f"freelancer has no rule for {question.value.replace('_', ' ')}." == decision.reasons[0].message


class TestWindows:
    """The feedback window, once it opened."""

    @staticmethod
    def windows(record: ContractRecord, at: datetime) -> list[tuple[str, datetime, datetime]]:
        state = replay(record, at=at, policy="freelancer")
        context = Context(record=record, state=state, at=at, party=CLIENT)
        return [(w.code, w.opens, w.closes) for w in FREELANCER_COM.windows(context)]

    def test_open_project(self) -> None:
        """None while the project is open."""
        assert [] == self.windows(project(fund(day(0))), day(1))

    def test_paid_in_full(self) -> None:
        """From the end to 90 days later."""
        assert [("FEEDBACK", day(2), day(92))] == self.windows(project(*PAID), day(3))

    def test_status(self) -> None:
        """Replay under Freelancer.com ends the project at the recorded end."""
        assert ContractStatus.ENDED is replay(project(*PAID), at=day(3), policy="freelancer").status


SCENARIOS: Final = (
    project(*PAID),
    project(*PAID, feedback(day(3))),
    project(*PAID, feedback(day(3)), feedback(day(40), by=FREELANCER)),
    project(fund(day(0)), end(day(2), by=CLIENT), release(day(10))),
    project(fund(day(0)), open_dispute(day(1))),
)


@given(
    st.sampled_from(SCENARIOS), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)), st.floats(0, 1)
)
def test_until_is_the_first_change(record: ContractRecord, offset: timedelta, fraction: float) -> None:
    """Rule: ``until`` is the first instant after ``at`` at which the answer would be different.

    "...if no event were added", checked under Freelancer.com's rules: at ``until`` the
    answer differs; at an instant between ``at`` and ``until`` it is the same.
    """
    at = day(0) + offset
    recorded = ContractRecord(contract=record.contract, events=tuple(e for e in record.events if e.at <= at))
    report = evaluate(recorded, at=at, policy="freelancer")
    for decision in report.decisions:
        if decision.until is None:
            continue
        later = evaluate(recorded, at=decision.until, policy="freelancer")
        assert decision.answer != later.decision(decision.question, decision.party).answer
        between = at + (decision.until - at) * fraction
        if between < decision.until:
            again = evaluate(recorded, at=between, policy="freelancer")
            assert decision.answer == again.decision(decision.question, decision.party).answer
