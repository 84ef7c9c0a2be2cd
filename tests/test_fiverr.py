"""Fiverr's order rules: completion, cancellation, reviews, responses, the fee, and comparison with Upwork."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.records import (
    CLIENT,
    FREELANCER,
    bonus,
    day,
    end,
    feedback,
    fixed,
    fund,
    give_back,
    record_text,
    release,
    request_changes,
    respond,
    submit,
    usd,
)

from gigpolicy import (
    ContractRecord,
    ContractStatus,
    Decision,
    Event,
    FiverrPolicy,
    InvalidTransition,
    MilestoneFunded,
    Party,
    Question,
    Report,
    UnknownPolicy,
    differences,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._cli import main
from gigpolicy._policy import Context
from gigpolicy.policies import fiverr

FIVERR: Final = fiverr.VERSIONS[-1]

ORDER: Final = (fund(day(0), "100.00"),)
"""An order placed for $100 when the contract starts."""
DELIVERED: Final = (*ORDER, submit(day(1)))
"""The order, delivered on day 1: it completes by itself on day 4."""
COMPLETED: Final = (*DELIVERED, end(day(4), by=CLIENT))
"""Delivered, auto-completed on day 4, the completion logged as an end."""
CANCELLED: Final = (*DELIVERED, request_changes(day(2)), end(day(3), by=CLIENT))
"""Delivered, sent back for changes, cancelled on day 3: the buyer may review until day 8."""
TICK: Final = timedelta(microseconds=1)


def order(*events: Event) -> ContractRecord:
    """A Fiverr order of *events* (the built-in test terms; the policy is passed by name)."""
    return fixed(*events)


def due(when: datetime, due_at: datetime) -> MilestoneFunded:
    """A $100 order placed at *when*, due at *due_at*."""
    return MilestoneFunded(at=when, milestone="m1", amount=usd("100.00"), due_at=due_at)


def decide(record: ContractRecord, at: datetime, question: Question | str, party: Party) -> Decision:
    """The Fiverr decision on *question* for *party*."""
    return evaluate(record, at=at, policy="fiverr").decision(question, party)


def codes(decision: Decision) -> list[str]:
    """The codes of the decision's reasons."""
    return [reason.code for reason in decision.reasons]


class TestVersions:
    """One built-in version, in force from the day cancelled orders became reviewable."""

    def test_registered(self) -> None:
        """``fiverr`` names a FiverrPolicy from 2023-06-14 with the documented defaults."""
        assert (FIVERR, "fiverr", date(2023, 6, 14)) == (get_policy("fiverr"), FIVERR.name, FIVERR.effective_from)
        assert isinstance(FIVERR, FiverrPolicy)
        assert (timedelta(days=14), timedelta(days=5), timedelta(hours=24)) == (
            FIVERR.review_window,
            FIVERR.cancelled_review_window,
            FIVERR.late_for_review,
        )

    def test_before_the_first_version(self) -> None:
        """Before 2023-06-14 there is no Fiverr version."""
        with pytest.raises(UnknownPolicy, match="no version of 'fiverr' was in force on 2023-06-13"):
            get_policy("fiverr", on=date(2023, 6, 13))


class TestAutoCompletion:
    """A delivered order completes by itself 3 days later unless the buyer asked for changes."""

    def test_completes_three_days_after_delivery(self) -> None:
        """On day 4 the escrow is released and the order has ended, by nobody."""
        state = replay(order(*DELIVERED), at=day(4), policy="fiverr")
        assert (ContractStatus.ENDED, day(4), day(4), None) == (
            state.status,
            state.ended_at,
            state.completed_at,
            state.ended_by,
        )
        assert ("0.00 USD", "100.00 USD") == (str(state.escrow), str(state.paid))
        assert ["AUTO_RELEASE", "COMPLETED"] == [step.code for step in state.automatic]

    def test_open_just_before(self) -> None:
        """A microsecond before, the order is open and the escrow held."""
        state = replay(order(*DELIVERED), at=day(4) - timedelta(microseconds=1), policy="fiverr")
        assert (ContractStatus.ACTIVE, "100.00 USD") == (state.status, str(state.escrow))

    def test_until_of_ending(self) -> None:
        """Either party may cancel a delivered order until it completes."""
        decision = decide(order(*DELIVERED), day(2), Question.END_CONTRACT, CLIENT)
        assert (True, day(4), ["ORDER_OPEN"]) == (decision.answer, decision.until, codes(decision))
        assert fiverr.CANCELLATIONS == decision.reasons[0].source

    def test_changes_requested_stop_it(self) -> None:
        """A request for changes keeps the order open and the escrow held."""
        state = replay(order(*DELIVERED, request_changes(day(2))), at=day(30), policy="fiverr")
        assert (ContractStatus.ACTIVE, "100.00 USD", None) == (state.status, str(state.escrow), state.next_step_at)

    def test_redelivery_restarts_the_clock(self) -> None:
        """A new delivery after changes completes 3 days after itself."""
        record = order(*DELIVERED, request_changes(day(2)), submit(day(10)))
        assert day(13) == replay(record, at=day(13), policy="fiverr").completed_at

    def test_accepting_completes_at_once(self) -> None:
        """The buyer's release of the order's escrow completes it then."""
        state = replay(order(*DELIVERED, release(day(2), "100.00")), at=day(2), policy="fiverr")
        assert (ContractStatus.ENDED, day(2), day(2)) == (state.status, state.ended_at, state.completed_at)

    def test_recorded_end_is_the_log(self) -> None:
        """A later ``contract_ended`` records the completion: it moves nothing and ends nothing twice."""
        state = replay(order(*DELIVERED, end(day(6), by=CLIENT)), at=day(7), policy="fiverr")
        assert (day(4), None, "100.00 USD", "0.00 USD") == (
            state.ended_at,
            state.ended_by,
            str(state.paid),
            str(state.escrow_returned),
        )

    def test_recorded_release_is_the_log(self) -> None:
        """A later release of the auto-completed amount pays nothing twice."""
        state = replay(order(*DELIVERED, release(day(5), "100.00")), at=day(6), policy="fiverr")
        assert "100.00 USD" == str(state.paid)

    def test_contradicting_funding(self) -> None:
        """Funding the order after it completed by itself contradicts the completion."""
        record = order(*DELIVERED, fund(day(5), "50.00"))
        with pytest.raises(InvalidTransition, match=r"events\[2\].*after the contract ended"):
            replay(record, at=day(6), policy="fiverr")

    def test_upwork_would_still_wait(self) -> None:
        """Under Upwork the same delivery is still under review on day 4: the rule is Fiverr's own."""
        state = replay(order(*DELIVERED), at=day(4), policy="upwork")
        assert (ContractStatus.ACTIVE, "100.00 USD") == (state.status, str(state.escrow))


class TestCancellation:
    """A cancellation is an end with the escrow returned to the buyer at once."""

    @pytest.mark.parametrize("by", [CLIENT, FREELANCER])
    def test_escrow_returns_at_once(self, by: Party) -> None:
        """Whoever cancels, the whole escrow goes back at the instant of the end."""
        state = replay(order(*ORDER, end(day(1), by=by)), at=day(1), policy="fiverr")
        assert ("0.00 USD", "100.00 USD", None, by) == (
            str(state.escrow),
            str(state.escrow_returned),
            state.completed_at,
            state.ended_by,
        )

    def test_recorded_return_is_the_log(self) -> None:
        """A recorded return of that escrow moves nothing twice."""
        state = replay(order(*ORDER, end(day(1)), give_back(day(2), "100.00")), at=day(3), policy="fiverr")
        assert ("100.00 USD", "0.00 USD") == (str(state.escrow_returned), str(state.escrow))

    def test_no_one_ends_it_twice(self) -> None:
        """After a cancellation, ending is no for both parties, with no deadline."""
        report = evaluate(order(*ORDER, end(day(1))), at=day(2), policy="fiverr")
        for party in (CLIENT, FREELANCER):
            decision = report.decision(Question.END_CONTRACT, party)
            assert (False, None, ["ORDER_ENDED"]) == (decision.answer, decision.until, codes(decision))


class TestBuyerReview:
    """The buyer reviews a completed order for 14 days, an eligible cancelled one for 5."""

    def test_closed_while_open(self) -> None:
        """No review on an open order; it opens when the order completes."""
        decision = decide(order(*DELIVERED), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, day(4), ["ORDER_OPEN"]) == (decision.answer, decision.until, codes(decision))
        assert fiverr.REVIEWS == decision.reasons[0].source

    def test_completed_order(self) -> None:
        """Completed on day 4: the buyer reviews until day 18."""
        decision = decide(order(*COMPLETED), day(5), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(18)) == (decision.answer, decision.until)
        assert ["ORDER_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert "The buyer's review window is open until 2026-11-20 15:00 UTC." == decision.reasons[1].message

    def test_window_closes(self) -> None:
        """At day 18 the window has closed."""
        decision = decide(order(*COMPLETED), day(18), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_once(self) -> None:
        """After reviewing, the buyer may not review again."""
        decision = decide(order(*COMPLETED, feedback(day(5))), day(6), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, ["ALREADY_LEFT"]) == (decision.answer, codes(decision))

    def test_longer_window_parameter(self) -> None:
        """Programming & Tech orders: a 30-day window by evolving the policy."""
        longer = attrs.evolve(FIVERR, review_window=timedelta(days=30))
        decision = evaluate(order(*COMPLETED), at=day(5), policy=longer).decision("public_feedback", "client")
        assert day(34) == decision.until

    def test_cancelled_after_delivery(self) -> None:
        """Delivered, then sent back and cancelled on day 3: reviewable for 5 days."""
        record = order(*DELIVERED, request_changes(day(2)), end(day(3), by=CLIENT))
        decision = decide(record, day(3), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(8)) == (decision.answer, decision.until)
        assert "The cancelled order's review window is open until 2026-11-10 15:00 UTC." == decision.reasons[1].message
        assert fiverr.CANCELLED_REVIEWS == decision.reasons[1].source

    def test_cancelled_more_than_a_day_late(self) -> None:
        """Due on day 2, cancelled a minute after day 3: reviewable."""
        record = order(due(day(0), day(2)), end(day(3, minutes=1), by=CLIENT))
        assert decide(record, day(3, minutes=1), Question.PUBLIC_FEEDBACK, CLIENT).answer

    def test_cancelled_exactly_a_day_late(self) -> None:
        """Cancelled exactly 24 hours after the due time: not more than 24 hours late, so not reviewable."""
        decision = decide(order(due(day(0), day(2)), end(day(3), by=CLIENT)), day(3), "public_feedback", CLIENT)
        assert (False, None, ["CANCELLED_NOT_REVIEWABLE"]) == (decision.answer, decision.until, codes(decision))
        assert fiverr.CANCELLED_REVIEWS == decision.reasons[0].source

    def test_cancelled_undelivered_on_time(self) -> None:
        """Neither delivered nor late: the buyer may not review (and the seller never reviews a cancelled order)."""
        report = evaluate(order(*ORDER, end(day(1), by=CLIENT)), at=day(1), policy="fiverr")
        assert (["CANCELLED_NOT_REVIEWABLE"], ["CANCELLED_NO_SELLER_REVIEW"]) == (
            codes(report.decision(Question.PUBLIC_FEEDBACK, CLIENT)),
            codes(report.decision(Question.PUBLIC_FEEDBACK, FREELANCER)),
        )

    def test_late_parameter(self) -> None:
        """With ``late_for_review`` of 12 hours, a day late is late enough."""
        lenient = attrs.evolve(FIVERR, late_for_review=timedelta(hours=12))
        record = order(due(day(0), day(2)), end(day(3), by=CLIENT))
        assert evaluate(record, at=day(3), policy=lenient).decision("public_feedback", "client").answer


class TestSellerReview:
    """The seller may review only after the buyer has, within the buyer's window."""

    def test_buyer_first(self) -> None:
        """Before the buyer's review the seller may not review, and no time changes that."""
        decision = decide(order(*COMPLETED), day(5), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, None, ["BUYER_FIRST"]) == (decision.answer, decision.until, codes(decision))

    def test_after_the_buyer(self) -> None:
        """Once the buyer reviewed, the seller may, until the window closes."""
        decision = decide(order(*COMPLETED, feedback(day(5))), day(6), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (True, day(18)) == (decision.answer, decision.until)
        assert ["ORDER_ENDED", "WITHIN_WINDOW", "BUYER_REVIEWED", "NOT_YET_LEFT"] == codes(decision)

    def test_not_after_the_window(self) -> None:
        """After the window, the seller may not, even though the buyer reviewed."""
        decision = decide(order(*COMPLETED, feedback(day(5))), day(18), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, ["WINDOW_CLOSED"]) == (decision.answer, codes(decision))

    def test_once(self) -> None:
        """After reviewing, the seller may not review again."""
        record = order(*COMPLETED, feedback(day(5)), feedback(day(6), by=FREELANCER))
        assert ["ALREADY_LEFT"] == codes(decide(record, day(7), Question.PUBLIC_FEEDBACK, FREELANCER))

    @pytest.mark.parametrize("at", [day(4), day(8), day(30)])
    def test_never_on_a_cancelled_order(self, at: datetime) -> None:
        """On a cancelled order with a delivery and the buyer's review, the seller leaves no review, ever."""
        decision = decide(order(*CANCELLED, feedback(day(4))), at, Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, None, ["CANCELLED_NO_SELLER_REVIEW"]) == (decision.answer, decision.until, codes(decision))
        message = "On a cancelled order the seller leaves no review, and may respond to the buyer's once the buyer's"
        assert (f"{message} window is over.", fiverr.CANCELLED_REVIEWS) == (
            decision.reasons[0].message,
            decision.reasons[0].source,
        )

    def test_cancelled_while_the_buyer_may_review(self) -> None:
        """Before the buyer's review of a cancelled order, the seller may not review either."""
        decision = decide(order(*CANCELLED), day(3), Question.PUBLIC_FEEDBACK, FREELANCER)
        assert (False, None, ["CANCELLED_NO_SELLER_REVIEW"]) == (decision.answer, decision.until, codes(decision))


class TestPublished:
    """A review is published when both are in, or when the review window closes."""

    def test_no_review(self) -> None:
        """Nothing left, nothing shown."""
        decision = decide(order(*COMPLETED), day(5), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["NO_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_hidden_until_the_window_closes(self) -> None:
        """The buyer's review alone stays hidden until day 18, then shows."""
        record = order(*COMPLETED, feedback(day(5)))
        hidden = decide(record, day(6), Question.FEEDBACK_PUBLISHED, CLIENT)
        shown = decide(record, day(18), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, day(18), ["DOUBLE_BLIND"]) == (hidden.answer, hidden.until, codes(hidden))
        assert (True, None, ["WINDOW_CLOSED"]) == (shown.answer, shown.until, codes(shown))

    def test_both_in(self) -> None:
        """When the seller reviews too, both are shown at once."""
        report = evaluate(
            order(*COMPLETED, feedback(day(5)), feedback(day(6), by=FREELANCER)), at=day(6), policy="fiverr"
        )
        for party in (CLIENT, FREELANCER):
            decision = report.decision(Question.FEEDBACK_PUBLISHED, party)
            assert (True, None, ["BOTH_LEFT_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_cancelled_order_review(self) -> None:
        """A review of a cancelled order shows when its 5-day window closes."""
        record = order(*DELIVERED, request_changes(day(2)), end(day(3), by=CLIENT), feedback(day(4)))
        assert day(8) == decide(record, day(4), Question.FEEDBACK_PUBLISHED, CLIENT).until

    def test_no_dollar_threshold(self) -> None:
        """A review shows on Fiverr whatever was paid: the cancelled $0 order's review too."""
        record = order(*DELIVERED, request_changes(day(2)), end(day(3), by=CLIENT), feedback(day(4)))
        report = evaluate(record, at=day(8), policy="fiverr")
        assert (True, "0.00 USD") == (report.decision("feedback_published", "client").answer, str(report.state.paid))


class TestRecordedReviewOnUnreviewableCancellation:
    """A review recorded on a cancellation the rules call unreviewable is a fact (the seller may have gone silent)."""

    RECORD: Final = order(*ORDER, end(day(1), by=CLIENT), feedback(day(2)))

    def test_published_after_the_cancelled_window(self) -> None:
        """It is judged by the cancelled order's 5-day window instead of failing."""
        hidden = decide(self.RECORD, day(3), Question.FEEDBACK_PUBLISHED, CLIENT)
        shown = decide(self.RECORD, day(6), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, day(6), ["DOUBLE_BLIND"]) == (hidden.answer, hidden.until, codes(hidden))
        assert (True, ["WINDOW_CLOSED"]) == (shown.answer, codes(shown))

    def test_seller_responds_after_that_window(self) -> None:
        """The seller leaves no review, and may respond once that 5-day window is over, on day 6."""
        review = decide(self.RECORD, day(3), Question.PUBLIC_FEEDBACK, FREELANCER)
        before = decide(self.RECORD, day(3), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        after = decide(self.RECORD, day(6), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, ["CANCELLED_NO_SELLER_REVIEW"]) == (review.answer, codes(review))
        assert (False, day(6), True, None) == (before.answer, before.until, after.answer, after.until)


class TestResponse:
    """The seller responds to the buyer's review: on a cancelled order once the buyer's 5 days are over."""

    REVIEWED: Final = order(*CANCELLED, feedback(day(4)))
    """The buyer reviewed the cancelled order on day 4; their window closes on day 8."""

    def test_during_the_buyer_window(self) -> None:
        """While the buyer's 5 days run, the seller may not respond yet; from day 8 on they may."""
        decision = decide(self.REVIEWED, day(5), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, day(8), ["BUYER_WINDOW_OPEN"]) == (decision.answer, decision.until, codes(decision))
        assert (
            "The seller may respond once the buyer's review window is over, on 2026-11-10 15:00 UTC.",
            fiverr.CANCELLED_REVIEWS,
        ) == (decision.reasons[0].message, decision.reasons[0].source)

    def test_one_microsecond_before(self) -> None:
        """A microsecond before the buyer's window closes, still no."""
        decision = decide(self.REVIEWED, day(8) - TICK, Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, day(8)) == (decision.answer, decision.until)

    def test_when_the_buyer_window_closes(self) -> None:
        """At exactly the close of the buyer's 5 days the seller may respond, with no end in the source."""
        decision = decide(self.REVIEWED, day(8), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (True, None, ["BUYER_WINDOW_OVER"]) == (decision.answer, decision.until, codes(decision))
        assert "The buyer's review window closed on 2026-11-10 15:00 UTC, so the seller may respond." == (
            decision.reasons[0].message
        )

    def test_long_after(self) -> None:
        """Months later the seller still may."""
        assert decide(self.REVIEWED, day(200), Question.RESPOND_TO_FEEDBACK, FREELANCER).answer

    @pytest.mark.parametrize("at", [day(5), day(8), day(30)])
    def test_without_a_buyer_review(self, at: datetime) -> None:
        """No buyer's review on the cancelled order: nothing to respond to, before or after the 5 days."""
        decision = decide(order(*CANCELLED), at, Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, None, ["NO_FEEDBACK_TO_RESPOND_TO"]) == (decision.answer, decision.until, codes(decision))

    def test_open_order(self) -> None:
        """An open order has no review to respond to."""
        decision = decide(order(*DELIVERED), day(2), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, None, ["NO_FEEDBACK_TO_RESPOND_TO"]) == (decision.answer, decision.until, codes(decision))

    def test_late_buyer_review(self) -> None:
        """A buyer's review recorded after the 5 days may be responded to at once."""
        decision = decide(order(*CANCELLED, feedback(day(9))), day(9), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (True, None) == (decision.answer, decision.until)

    def test_after_responding(self) -> None:
        """The source sets no limit on responses: a recorded response leaves the answer yes."""
        record = order(*CANCELLED, feedback(day(4)), respond(day(9)))
        assert decide(record, day(10), Question.RESPOND_TO_FEEDBACK, FREELANCER).answer

    def test_completed_both_reviews_published(self) -> None:
        """A completed order: once both reviews are in, and so published, the seller may reply, for good."""
        record = order(*COMPLETED, feedback(day(5)), feedback(day(6), by=FREELANCER))
        decision = decide(record, day(6), Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (True, None, ["BOTH_REVIEWS_PUBLISHED"]) == (decision.answer, decision.until, codes(decision))
        assert fiverr.FEEDBACK_RATINGS == decision.reasons[0].source

    @pytest.mark.parametrize("at", [day(6), day(18), day(60)])
    def test_completed_seller_not_reviewed(self, at: datetime) -> None:
        """A completed order the seller did not review: no reply, even once the buyer's review shows."""
        decision = decide(order(*COMPLETED, feedback(day(5))), at, Question.RESPOND_TO_FEEDBACK, FREELANCER)
        assert (False, None, ["SELLER_NOT_REVIEWED"]) == (decision.answer, decision.until, codes(decision))

    @pytest.mark.parametrize(
        ("record", "at"),
        [
            (order(*CANCELLED, feedback(day(4))), day(9)),
            (order(*COMPLETED, feedback(day(5)), feedback(day(6), by=FREELANCER)), day(7)),
            (order(*DELIVERED), day(2)),
        ],
    )
    def test_buyer_never(self, record: ContractRecord, at: datetime) -> None:
        """The buyer has no response rule, on a cancelled, a completed or an open order."""
        decision = decide(record, at, Question.RESPOND_TO_FEEDBACK, CLIENT)
        assert (False, None, ["NO_BUYER_RESPONSE"], fiverr.FEEDBACK_RATINGS) == (
            decision.answer,
            decision.until,
            codes(decision),
            decision.reasons[0].source,
        )


class TestFee:
    """The seller keeps 80% of each payment."""

    def test_order(self) -> None:
        """A $100 order nets the seller $80."""
        earnings = evaluate(order(*COMPLETED), at=day(5), policy="fiverr").earnings
        assert ("100.00 USD", "20.00 USD", "80.00 USD") == tuple(
            str(money) for money in (earnings.gross, earnings.service_fee, earnings.net)
        )

    def test_tip_rounds_half_up(self) -> None:
        """A $12.35 tip costs 20%, $2.47; $0.025 of a cent rounds half up."""
        earnings = evaluate(order(*COMPLETED, bonus(day(5), "12.35")), at=day(6), policy="fiverr").earnings
        assert ("22.47 USD", "89.88 USD") == (str(earnings.service_fee), str(earnings.net))
        tip = evaluate(order(*COMPLETED, bonus(day(5), "0.13")), at=day(6), policy="fiverr").earnings
        assert "20.03 USD" == str(tip.service_fee)

    def test_cancelled_order_earns_nothing(self) -> None:
        """A cancelled order pays no fee and nets nothing."""
        earnings = evaluate(order(*ORDER, end(day(1))), at=day(2), policy="fiverr").earnings
        assert ("0.00 USD", "0.00 USD") == (str(earnings.service_fee), str(earnings.net))

    def test_schedule(self) -> None:
        """The schedule is a flat 20%."""
        assert Decimal("0.20") == FIVERR.fees.rate  # type: ignore[attr-defined]  # FlatFee


class TestNoSuchRule:
    """Questions Fiverr has no rule for answer no, saying so."""

    UNANSWERED: Final = (
        (Question.PRIVATE_FEEDBACK, CLIENT),
        (Question.MID_CONTRACT_FEEDBACK, CLIENT),
        (Question.OPEN_DISPUTE, CLIENT),
        (Question.OPEN_DISPUTE, FREELANCER),
        (Question.ISSUE_REFUND, FREELANCER),
        (Question.WORK_HISTORY, FREELANCER),
        (Question.JOB_SUCCESS_SCORE, FREELANCER),
    )

    @pytest.mark.parametrize(("question", "party"), UNANSWERED)
    def test_answers_no(self, question: Question, party: Party) -> None:
        """No, with NO_SUCH_RULE, no source and no deadline, on an open and a completed order."""
        for record, at in ((order(*DELIVERED), day(2)), (order(*COMPLETED, feedback(day(5))), day(6))):
            decision = decide(record, at, question, party)
            assert (False, None, ["NO_SUCH_RULE"], None) == (
                decision.answer,
                decision.until,
                codes(decision),
                decision.reasons[0].source,
            )
            assert f"fiverr has no rule for {question.value.replace('_', ' ')}." == decision.reasons[0].message

    def test_every_other_question_has_a_rule(self) -> None:
        """Only ending, reviewing, publication and responses have rules."""
        report = evaluate(order(*COMPLETED), at=day(5), policy="fiverr")
        ruled = {(d.question, d.party) for d in report.decisions if "NO_SUCH_RULE" not in codes(d)}
        assert {
            (q, p)
            for q in (
                Question.END_CONTRACT,
                Question.PUBLIC_FEEDBACK,
                Question.FEEDBACK_PUBLISHED,
                Question.RESPOND_TO_FEEDBACK,
            )
            for p in (CLIENT, FREELANCER)
        } == ruled


class TestWindows:
    """The windows Fiverr's policy draws: the auto-completion, then the review window."""

    @staticmethod
    def windows(record: ContractRecord, at: datetime) -> list[tuple[str, datetime, datetime]]:
        state = replay(record, at=at, policy="fiverr")
        context = Context(record=record, state=state, at=at, party=CLIENT)
        return [(w.code, w.opens, w.closes) for w in FIVERR.windows(context)]

    def test_delivered(self) -> None:
        """A delivered order: completes by itself from the delivery to day 4."""
        assert [("AUTO_RELEASE", day(1), day(4))] == self.windows(order(*DELIVERED), day(2))

    def test_changes_requested(self) -> None:
        """Sent back for changes: no automatic completion, no window."""
        assert [] == self.windows(order(*DELIVERED, request_changes(day(2))), day(3))

    def test_completed(self) -> None:
        """Completed: the review window from day 4 to day 18."""
        assert [("FEEDBACK", day(4), day(18))] == self.windows(order(*COMPLETED), day(5))

    def test_cancelled_unreviewable(self) -> None:
        """Cancelled with no review allowed: no window."""
        assert [] == self.windows(order(*ORDER, end(day(1))), day(2))


AT_OFFSETS: Final = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=25))
SCENARIOS: Final = (
    order(*DELIVERED),
    order(*COMPLETED, feedback(day(5))),
    order(*COMPLETED, feedback(day(5)), feedback(day(9), by=FREELANCER)),
    order(*DELIVERED, request_changes(day(2)), end(day(3), by=CLIENT), feedback(day(4))),
    order(due(day(0), day(2)), end(day(3, minutes=1), by=CLIENT)),
    order(*ORDER, end(day(1))),
    order(*ORDER, end(day(1), by=CLIENT), feedback(day(2))),
    order(*CANCELLED),
    order(*CANCELLED, feedback(day(4)), respond(day(9))),
)


@given(st.sampled_from(SCENARIOS), AT_OFFSETS, st.floats(min_value=0, max_value=1))
def test_until_is_the_first_change(record: ContractRecord, offset: timedelta, fraction: float) -> None:
    """Rule: ``until`` is the first instant after ``at`` at which the answer would be different.

    "...if no event were added", checked under Fiverr's rules: at ``until`` the answer
    differs; at an instant between ``at`` and ``until`` it is the same.
    """
    at = day(0) + offset
    recorded = ContractRecord(contract=record.contract, events=tuple(e for e in record.events if e.at <= at))
    report = evaluate(recorded, at=at, policy="fiverr")
    for decision in report.decisions:
        if decision.until is None:
            continue
        later = evaluate(recorded, at=decision.until, policy="fiverr")
        assert decision.answer != later.decision(decision.question, decision.party).answer
        between = at + (decision.until - at) * fraction
        if between < decision.until:
            assert decision.answer == _same(recorded, between, decision)


def _same(record: ContractRecord, at: datetime, decision: Decision) -> bool:
    report: Report = evaluate(record, at=at, policy="fiverr")
    return report.decision(decision.question, decision.party).answer


class TestCompareWithUpwork:
    """``differences`` and ``gigpolicy compare`` between Fiverr and Upwork on one record."""

    RECORD: Final = order(*DELIVERED)
    AT: Final = day(6)

    def test_differences(self) -> None:
        """Auto-completed under Fiverr on day 4, still under review under Upwork on day 6."""
        found = differences(
            evaluate(self.RECORD, at=self.AT, policy="fiverr"), evaluate(self.RECORD, at=self.AT, policy="upwork")
        )
        pairs = {(d.question, d.party): (d.first.answer, d.second.answer) for d in found}
        assert (False, True) == pairs[Question.END_CONTRACT, CLIENT]
        assert (True, False) == pairs[Question.PUBLIC_FEEDBACK, CLIENT]
        assert (False, True) == pairs[Question.OPEN_DISPUTE, CLIENT]
        assert all(d.first.question is d.question and d.second.party is d.party for d in found)

    def test_same_policy_no_differences(self) -> None:
        """A policy compared with itself differs nowhere."""
        report = evaluate(self.RECORD, at=self.AT, policy="fiverr")
        assert () == differences(report, report)

    def test_until_alone_is_a_difference(self) -> None:
        """Same answer, different deadline: a 30-day window differs from the 14-day one."""
        record = order(*COMPLETED)
        first = evaluate(record, at=day(5), policy="fiverr")
        second = evaluate(record, at=day(5), policy=attrs.evolve(FIVERR, review_window=timedelta(days=30)))
        found = differences(first, second)
        assert [(Question.PUBLIC_FEEDBACK, CLIENT)] == [(d.question, d.party) for d in found]
        assert (day(18), day(34)) == (found[0].first.until, found[0].second.until)

    def test_cli_text(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The command prints each differing decision under both policies, then both earnings."""
        path = tmp_path / "order.json"
        path.write_text(_order_json(), encoding="utf-8")
        argv = ["compare", str(path), "--policy", "fiverr", "--policy", "upwork", "--at", "2026-11-08T15:00:00Z"]
        assert 0 == main(argv)
        out = capsys.readouterr().out
        upwork = get_policy("upwork", on=date(2026, 11, 8)).label
        assert f"fiverr@2023-06-14 against {upwork}" in " ".join(out.split())  # wrapped to 80 columns
        assert "The client may end the contract" in out
        assert "Earnings under fiverr@2023-06-14: gross 100.00 USD, fee 20.00 USD, net 80.00 USD" in out
        assert f"Earnings under {upwork}: gross 0.00 USD, fee 0.00 USD, net 0.00 USD" in out

    def test_cli_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With ``--json``, the same comparison as data."""
        path = tmp_path / "order.json"
        path.write_text(_order_json(), encoding="utf-8")
        argv = ["compare", str(path), "--policy", "fiverr", "--policy", "upwork", "--at", "2026-11-08T15:00:00Z"]
        assert 0 == main([*argv, "--json"])
        data = json.loads(capsys.readouterr().out)
        assert ("fiverr", "upwork") == (data["first"]["name"], data["second"]["name"])
        first = {(d["first"]["question"], d["first"]["party"]) for d in data["differences"]}
        assert ("public_feedback", "client") in first

    def test_cli_needs_two_policies(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """One ``--policy`` is a usage error."""
        path = tmp_path / "order.json"
        path.write_text(_order_json(), encoding="utf-8")
        with pytest.raises(SystemExit) as exited:
            main(["compare", str(path), "--policy", "fiverr", "--at", "2026-11-08T15:00:00Z"])
        assert (2, True) == (exited.value.code, "give exactly two --policy options" in capsys.readouterr().err)


def _order_json() -> str:
    """The delivered order as record JSON, marketplace ``fiverr``."""
    return record_text(
        {"type": "milestone_funded", "at": "2026-11-02T15:00:00Z", "milestone": "m1", "amount": "100.00"},
        {"type": "work_submitted", "at": "2026-11-03T15:00:00Z", "milestone": "m1"},
        marketplace="fiverr",
    )
