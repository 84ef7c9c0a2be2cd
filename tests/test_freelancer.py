"""Freelancer.com's rules: feedback at the end, the other party's 14 days, final, revealed; the fee; disputes."""

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
    refund,
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
    Policy,
    Question,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._policy import Context
from gigpolicy.policies import freelancer

FREELANCER_COM: Final = freelancer.VERSIONS[-1]
OLDER_FAQ: Final = attrs.evolve(FREELANCER_COM, feedback_needs_full_payment=True)
"""The older FAQ's reading: feedback only once the project is paid in full."""

PAID: Final = (fund(day(0)), release(day(1)), end(day(2), by=CLIENT))
"""$500 funded and released, then the project ended on day 2: paid in full."""
UNPAID: Final = (fund(day(0)), end(day(2), by=CLIENT))
"""$500 funded, nothing released, the project ended on day 2 (marked incomplete)."""
TICK: Final = timedelta(microseconds=1)


def decide(
    record: ContractRecord, at: datetime, question: Question | str, party: Party, policy: Policy | str = "freelancer"
) -> Decision:
    """The Freelancer.com decision on *question* for *party* (under *policy*, the current one by default)."""
    return evaluate(record, at=at, policy=policy).decision(question, party)


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
        assert (date(2000, 1, 1), timedelta(days=90), timedelta(days=14), False) == (
            FREELANCER_COM.effective_from,
            FREELANCER_COM.feedback_window,
            FREELANCER_COM.second_feedback_window,
            FREELANCER_COM.feedback_needs_full_payment,
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
    """Feedback opens for both when the project ends, whatever was paid, and closes 90 days later."""

    def test_open_project(self) -> None:
        """Not before the end, whatever was paid, and time alone never opens it."""
        decision = decide(project(fund(day(0)), release(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["PROJECT_OPEN"]) == (decision.answer, decision.until, codes(decision))
        assert freelancer.MARK_COMPLETE == decision.reasons[0].source

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_paid_in_full(self, party: Party) -> None:
        """Ended with every milestone released (marked complete): open to both for 90 days from the end."""
        decision = decide(project(*PAID), day(3), Question.PUBLIC_FEEDBACK, party)
        assert (True, day(92)) == (decision.answer, decision.until)
        assert ["PROJECT_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert freelancer.MARK_COMPLETE == decision.reasons[0].source
        assert freelancer.FEEDBACK == decision.reasons[1].source

    def test_partial_payment(self) -> None:
        """Ended after a partial payment, with the rest still held: feedback is open all the same."""
        record = project(fund(day(0)), release(day(1), "200.00"), end(day(2), by=CLIENT))
        decision = decide(record, day(3), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (True, day(92), ["PROJECT_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert "The project has ended: marking it complete, even after a partial payment, opens feedback." == (
            decision.reasons[0].message
        )

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_nothing_paid(self, party: Party) -> None:
        """Ended with nothing paid (marked incomplete): open to both, citing the page on incomplete projects."""
        decision = decide(project(*UNPAID), day(3), Question.PUBLIC_FEEDBACK, party)
        assert (True, day(92), ["PROJECT_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert (
            "The project ended with nothing paid, as one marked incomplete: that opens feedback too.",
            freelancer.MARK_INCOMPLETE,
        ) == (decision.reasons[0].message, decision.reasons[0].source)

    def test_nothing_ever_funded(self) -> None:
        """A project ended with nothing funded opens feedback at its end too."""
        decision = decide(project(end(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(91)) == (decision.answer, decision.until)

    def test_refunded_in_full(self) -> None:
        """A payment refunded in full leaves nothing paid: the project counts as ended unpaid."""
        record = project(*PAID, refund(day(3), "500.00"))
        decision = decide(record, day(4), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(92), freelancer.MARK_INCOMPLETE) == (
            decision.answer,
            decision.until,
            decision.reasons[0].source,
        )

    def test_released_after_the_end(self) -> None:
        """A milestone released after the end changes nothing: the window still runs from the end."""
        record = project(*UNPAID, release(day(10)))
        assert day(92) == decide(record, day(5), Question.PUBLIC_FEEDBACK, CLIENT).until
        assert (True, day(92)) == (
            decide(record, day(11), Question.PUBLIC_FEEDBACK, CLIENT).answer,
            decide(record, day(11), Question.PUBLIC_FEEDBACK, CLIENT).until,
        )

    def test_dispute_split(self) -> None:
        """Escrow split by a dispute after the end: the window still runs from the end."""
        record = project(fund(day(0)), open_dispute(day(1)), end(day(2)), resolve(day(5), "300.00", "200.00"))
        assert day(92) == decide(record, day(6), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_bonus_does_not_move_the_window(self) -> None:
        """A bonus after the end moves nothing: the window still closes 90 days after the end."""
        record = project(*PAID, bonus(day(30)))
        assert day(92) == decide(record, day(31), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_ninetieth_day(self) -> None:
        """Open a microsecond before the 90 days are over; closed for good at exactly 90 days."""
        before = decide(project(*PAID), day(92) - TICK, Question.PUBLIC_FEEDBACK, CLIENT)
        closed = decide(project(*PAID), day(92), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(92)) == (before.answer, before.until)
        assert (False, None, ["WINDOW_CLOSED"]) == (closed.answer, closed.until, codes(closed))

    def test_hourly(self) -> None:
        """An hourly project opens feedback at the end."""
        record = hourly(bill(day(7), week(1), "300.00"), end(day(8)))
        assert day(98) == decide(record, day(9), Question.PUBLIC_FEEDBACK, CLIENT).until

    def test_hourly_disputed_week(self) -> None:
        """Disputed hours still held at the end do not keep feedback closed."""
        record = hourly(bill(day(7), week(1), "300.00"), dispute_hours(day(8), week(1)), end(day(9)))
        assert (True, day(99)) == (
            decide(record, day(10), Question.PUBLIC_FEEDBACK, CLIENT).answer,
            decide(record, day(10), Question.PUBLIC_FEEDBACK, CLIENT).until,
        )

    def test_window_parameter(self) -> None:
        """Evolving ``feedback_window`` to 30 days closes it 30 days after the end."""
        shorter = attrs.evolve(FREELANCER_COM, feedback_window=timedelta(days=30))
        assert day(32) == decide(project(*PAID), day(3), "public_feedback", CLIENT, shorter).until


class TestSecondFeedback:
    """Once one party has left feedback, the other has 14 days from then, after which their option expires."""

    RECORD: Final = project(*PAID, feedback(day(10)))
    """The client left feedback on day 10: the freelancer has until day 24."""

    def test_fourteen_days_from_the_first(self) -> None:
        """The other party may leave theirs until 14 days after the first, sooner than the 90 days."""
        decision = decide(self.RECORD, day(11), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (True, day(24), ["PROJECT_ENDED", "OTHER_LEFT_FEEDBACK"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert "The client left feedback on 2026-11-12 15:00 UTC: the freelancer has until 2026-11-26 15:00 UTC." == (
            decision.reasons[1].message
        )
        assert freelancer.FEEDBACK == decision.reasons[1].source

    def test_one_microsecond_before(self) -> None:
        """A microsecond before the 14 days are over the option is still open, until their end."""
        decision = decide(self.RECORD, day(24) - TICK, Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (True, day(24)) == (decision.answer, decision.until)

    def test_expires_at_fourteen_days(self) -> None:
        """At exactly 14 days after the first feedback the other's option has expired, for good."""
        decision = decide(self.RECORD, day(24), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, None, ["OPTION_EXPIRED"]) == (decision.answer, decision.until, codes(decision))
        assert "The freelancer's option to leave feedback expired on 2026-11-26 15:00 UTC, after the client's." == (
            decision.reasons[0].message
        )

    @pytest.mark.parametrize("first", [CLIENT, FREELANCER])
    def test_either_party_first(self, first: Party) -> None:
        """Whoever leaves feedback first, the other gets the 14 days."""
        record = project(*PAID, feedback(day(10), by=first))
        assert (True, day(24)) == (
            decide(record, day(11), Question.PUBLIC_FEEDBACK, first.other).answer,
            decide(record, day(11), Question.PUBLIC_FEEDBACK, first.other).until,
        )

    def test_late_first_feedback(self) -> None:
        """A first feedback on day 85 gives the other party 14 days, past the 90-day close (day 92)."""
        record = project(*PAID, feedback(day(85), by=FREELANCER))
        at_close = decide(record, day(92), Question.PUBLIC_FEEDBACK, CLIENT)
        before = decide(record, day(99) - TICK, Question.PUBLIC_FEEDBACK, CLIENT)
        expired = decide(record, day(99), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(99)) == (at_close.answer, at_close.until)
        assert (True, day(99)) == (before.answer, before.until)
        assert (False, None, ["OPTION_EXPIRED"]) == (expired.answer, expired.until, codes(expired))

    def test_first_feedback_is_final(self) -> None:
        """The party who left feedback may not leave it again, though the other's 14 days are open."""
        decision = decide(self.RECORD, day(11), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["ALREADY_LEFT"]) == (decision.answer, decision.until, codes(decision))
        assert "The client already left feedback, which is final." == decision.reasons[0].message

    def test_both_left(self) -> None:
        """Once both have left feedback, neither may leave more."""
        report = evaluate(
            project(*PAID, feedback(day(10)), feedback(day(12), by=FREELANCER)), at=day(13), policy="freelancer"
        )
        assert [["ALREADY_LEFT"], ["ALREADY_LEFT"]] == [
            codes(report.decision(Question.PUBLIC_FEEDBACK, party)) for party in (CLIENT, FREELANCER)
        ]

    def test_parameter(self) -> None:
        """Evolving ``second_feedback_window`` to 7 days gives the other party 7 days."""
        sooner = attrs.evolve(FREELANCER_COM, second_feedback_window=timedelta(days=7))
        assert day(17) == decide(self.RECORD, day(11), "public_feedback", FREELANCER, sooner).until


class TestOlderFaq:
    """``feedback_needs_full_payment``: the older FAQ's reading, feedback only once paid in full."""

    @pytest.mark.parametrize("party", [CLIENT, FREELANCER])
    def test_paid_in_full(self, party: Party) -> None:
        """Ended with every milestone released: open to both for 90 days from the end."""
        decision = decide(project(*PAID), day(3), Question.PUBLIC_FEEDBACK, party, OLDER_FAQ)
        assert (True, day(92)) == (decision.answer, decision.until)
        assert ["PROJECT_ENDED", "PAID_IN_FULL", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert freelancer.FEEDBACK_FAQ == decision.reasons[1].source

    def test_open_project(self) -> None:
        """Not before the end."""
        decision = decide(project(fund(day(0)), release(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ)
        assert (False, None, ["PROJECT_OPEN"]) == (decision.answer, decision.until, codes(decision))

    def test_escrow_held(self) -> None:
        """Ended with a milestone still held: not paid in full, and time alone never opens it."""
        record = project(fund(day(0)), fund(day(0), "30.00", milestone="m2"), release(day(1)), end(day(2)))
        decision = decide(record, day(3), Question.PUBLIC_FEEDBACK, FREELANCER, OLDER_FAQ)
        assert (False, None, ["NOT_PAID_IN_FULL"]) == (decision.answer, decision.until, codes(decision))

    def test_nothing_ever_paid(self) -> None:
        """A project ended with nothing funded or paid was not paid in full through milestones."""
        decision = decide(project(end(day(1))), day(2), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ)
        assert (False, None, ["NOT_PAID_IN_FULL"]) == (decision.answer, decision.until, codes(decision))

    def test_escrow_returned(self) -> None:
        """A milestone returned to the employer means the project was not paid in full."""
        record = project(
            fund(day(0)),
            fund(day(0), "30.00", milestone="m2"),
            release(day(1)),
            give_back(day(1), "30.00", "m2"),
            end(day(2)),
        )
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(3), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ))

    def test_released_after_the_end(self) -> None:
        """A milestone released after the end opens feedback then, for 90 days from the release."""
        record = project(*UNPAID, release(day(10)))
        assert ["NOT_PAID_IN_FULL"] == codes(decide(record, day(5), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ))
        assert day(100) == decide(record, day(11), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ).until

    def test_bonus_does_not_move_the_window(self) -> None:
        """A bonus settles no milestone: the window still closes 90 days after the end."""
        record = project(*PAID, bonus(day(30)))
        assert day(92) == decide(record, day(31), Question.PUBLIC_FEEDBACK, CLIENT, OLDER_FAQ).until

    def test_second_feedback_as_today(self) -> None:
        """The other party's 14 days after the first feedback apply under the older reading too."""
        record = project(*PAID, feedback(day(10)))
        assert day(24) == decide(record, day(11), Question.PUBLIC_FEEDBACK, FREELANCER, OLDER_FAQ).until


class TestPublished:
    """Feedback is published when both are in, or when the second party's option expires."""

    def test_none(self) -> None:
        """No feedback, nothing shown."""
        decision = decide(project(*PAID), day(3), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["NO_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_hidden_until_the_other_option_expires(self) -> None:
        """Left on day 3 alone: hidden until the freelancer's option expires on day 17, public from then on."""
        record = project(*PAID, feedback(day(3)))
        hidden = decide(record, day(4), Question.FEEDBACK_PUBLISHED, CLIENT)
        just_before = decide(record, day(17) - TICK, Question.FEEDBACK_PUBLISHED, CLIENT)
        shown = decide(record, day(17), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, day(17), ["DOUBLE_BLIND"]) == (hidden.answer, hidden.until, codes(hidden))
        assert (False, day(17)) == (just_before.answer, just_before.until)
        assert (True, None, ["REVEALED_AFTER_WAIT"]) == (shown.answer, shown.until, codes(shown))
        assert (
            "The feedback stays hidden until the freelancer leaves theirs or their option expires on"
            " 2026-11-19 15:00 UTC."
        ) == hidden.reasons[0].message
        assert "The freelancer's option to leave feedback expired on 2026-11-19 15:00 UTC, so it is public." == (
            shown.reasons[0].message
        )

    def test_published_as_the_option_expires(self) -> None:
        """The instant the other's option expires is the instant the first feedback shows."""
        report = evaluate(project(*PAID, feedback(day(85), by=FREELANCER)), at=day(99), policy="freelancer")
        assert (False, True) == (
            report.decision(Question.PUBLIC_FEEDBACK, CLIENT).answer,
            report.decision(Question.FEEDBACK_PUBLISHED, FREELANCER).answer,
        )

    def test_both_in(self) -> None:
        """Both left feedback: both public at once."""
        report = evaluate(
            project(*PAID, feedback(day(3)), feedback(day(5), by=FREELANCER)), at=day(5), policy="freelancer"
        )
        for party in (CLIENT, FREELANCER):
            decision = report.decision(Question.FEEDBACK_PUBLISHED, party)
            assert (True, None, ["BOTH_LEFT_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))
            assert freelancer.FEEDBACK == decision.reasons[0].source

    def test_nothing_paid_is_shown(self) -> None:
        """The employer's review of a project ended with nothing paid is published too (the Incomplete Report)."""
        report = evaluate(project(*UNPAID, feedback(day(3))), at=day(17), policy="freelancer")
        assert (True, "0.00 USD") == (
            report.decision(Question.FEEDBACK_PUBLISHED, CLIENT).answer,
            str(report.state.paid),
        )

    def test_shown_without_payment_threshold(self) -> None:
        """Freelancer.com has no $1 threshold: the display threshold is zero."""
        assert Decimal(0) == FREELANCER_COM.display_threshold

    def test_parameter(self) -> None:
        """Evolving ``second_feedback_window`` to 7 days reveals a lone feedback after 7 days."""
        sooner = attrs.evolve(FREELANCER_COM, second_feedback_window=timedelta(days=7))
        record = project(*PAID, feedback(day(3)))
        assert day(10) == decide(record, day(4), "feedback_published", CLIENT, sooner).until


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
    """The feedback window once the project ended, and the other party's 14 days once one left feedback."""

    @staticmethod
    def windows(
        record: ContractRecord, at: datetime, policy: FreelancerPolicy = FREELANCER_COM
    ) -> list[tuple[str, datetime, datetime, Party | None]]:
        """The windows *policy* draws for *record* at *at*: code, opening, closing, party."""
        state = replay(record, at=at, policy=policy)
        context = Context(record=record, state=state, at=at, party=CLIENT)
        return [(w.code, w.opens, w.closes, w.party) for w in policy.windows(context)]

    def test_open_project(self) -> None:
        """None while the project is open."""
        assert [] == self.windows(project(fund(day(0))), day(1))

    def test_ended(self) -> None:
        """From the end to 90 days later, whatever was paid."""
        assert [("FEEDBACK", day(2), day(92), None)] == self.windows(project(*UNPAID), day(3))

    def test_after_the_first_feedback(self) -> None:
        """The client's feedback on day 10 adds the freelancer's 14 days."""
        assert [
            ("FEEDBACK", day(2), day(92), None),
            ("SECOND_FEEDBACK", day(10), day(24), FREELANCER),
        ] == self.windows(project(*PAID, feedback(day(10))), day(11))

    def test_late_first_feedback(self) -> None:
        """A first feedback on day 85 gives the other party a window past the feedback window's close."""
        found = self.windows(project(*PAID, feedback(day(85), by=FREELANCER), feedback(day(90))), day(91))
        assert ("SECOND_FEEDBACK", day(85), day(99), CLIENT) == found[1]

    def test_label(self) -> None:
        """The second window says whose feedback it is for."""
        record = project(*PAID, feedback(day(10)))
        state = replay(record, at=day(11), policy="freelancer")
        context = Context(record=record, state=state, at=day(11), party=CLIENT)
        assert "the freelancer's feedback, after the client's" == FREELANCER_COM.windows(context)[1].label

    def test_older_faq_not_paid(self) -> None:
        """Under the older FAQ's reading, none until the project is paid in full."""
        assert [] == self.windows(project(*UNPAID), day(3), OLDER_FAQ)

    def test_status(self) -> None:
        """Replay under Freelancer.com ends the project at the recorded end."""
        assert ContractStatus.ENDED is replay(project(*PAID), at=day(3), policy="freelancer").status


SCENARIOS: Final = (
    project(*PAID),
    project(*UNPAID),
    project(fund(day(0)), release(day(1), "200.00"), end(day(2), by=CLIENT)),
    project(*PAID, feedback(day(3))),
    project(*PAID, feedback(day(3)), feedback(day(40), by=FREELANCER)),
    project(*PAID, feedback(day(10)), feedback(day(24), by=FREELANCER)),
    project(*UNPAID, feedback(day(85), by=FREELANCER)),
    project(*UNPAID, release(day(10))),
    project(fund(day(0)), open_dispute(day(1))),
)


@given(
    st.sampled_from(SCENARIOS),
    st.sampled_from(["freelancer", OLDER_FAQ]),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)),
    st.floats(0, 1),
)
def test_until_is_the_first_change(
    record: ContractRecord, policy: Policy | str, offset: timedelta, fraction: float
) -> None:
    """Rule: ``until`` is the first instant after ``at`` at which the answer would be different.

    "...if no event were added", checked under Freelancer.com's rules (today's and the older
    FAQ's): at ``until`` the answer differs; at an instant between ``at`` and ``until`` it is the same.
    """
    at = day(0) + offset
    recorded = ContractRecord(contract=record.contract, events=tuple(e for e in record.events if e.at <= at))
    report = evaluate(recorded, at=at, policy=policy)
    for decision in report.decisions:
        if decision.until is None:
            continue
        later = evaluate(recorded, at=decision.until, policy=policy)
        assert decision.answer != later.decision(decision.question, decision.party).answer
        between = at + (decision.until - at) * fraction
        if between < decision.until:
            again = evaluate(recorded, at=between, policy=policy)
            assert decision.answer == again.decision(decision.question, decision.party).answer
