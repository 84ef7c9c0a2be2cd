"""``options``: which next steps are offered when, their events, assumptions, worst and best cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs
import pytest
from tests.records import (
    CLIENT,
    FREELANCER,
    bill,
    day,
    dispute_hours,
    end,
    fixed,
    fund,
    hourly,
    open_dispute,
    release,
    request_changes,
    submit,
    suspend,
    usd,
    week,
)

import gigpolicy._options
import gigpolicy._record
import gigpolicy._replay
from gigpolicy import (
    AccountSuspended,
    ChangesRequested,
    Context,
    ContractEnded,
    ContractRecord,
    ContractState,
    ContractStatus,
    DisputeOpened,
    DisputeResolved,
    EscrowReturned,
    FeedbackKind,
    FeedbackLeft,
    HoursDisputed,
    InvalidRecord,
    JobReported,
    MilestoneReleased,
    Money,
    Option,
    Party,
    Policy,
    Question,
    Reason,
    RefundIssued,
    UnknownPolicy,
    UpworkPolicy,
    Verdict,
    WorkSubmitted,
    evaluate,
    get_policy,
    load,
    options,
)

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
BEFORE_MAY_2025: Final = "upwork@2023-12-05"
"""Upwork's rules before feedback was required to dispute and dormant contracts were closed."""
MOTIVATING: Final = load(EXAMPLES / "motivating-case.json")
"""The motivating case: a funded fixed-price milestone, nothing paid, the freelancer wants out."""
DECIDED: Final = datetime(2026, 11, 3, 9, tzinfo=UTC)
"""When the freelancer of the motivating case decides."""
FEEDBACK_CLOSES: Final = datetime(2026, 11, 18, tzinfo=UTC)
"""00:00 UTC on the 15th day after an end on 2026-11-03."""
END_ACTIONS: Final = {"end_contract", "refund_and_end", "report_and_end"}


def actions(found: tuple[Option, ...]) -> list[str]:
    """The action ids of *found*, in order."""
    return [option.action for option in found]


def pick(found: tuple[Option, ...], action: str) -> Option:
    """The one option of *found* with *action*."""
    (option,) = (option for option in found if option.action == action)
    return option


def paid_fixed() -> ContractRecord:
    """A fixed-price contract whose 500.00 milestone was released on day 1."""
    return fixed(fund(day(0)), release(day(1)))


class TestWhichOptions:
    """Which steps are offered to whom, and when."""

    def test_freelancer_on_a_funded_unpaid_contract(self) -> None:
        """With escrow held and nothing paid, the freelancer may wait, end, report and end, or submit work."""
        found = options(fixed(fund(day(0))), party=FREELANCER, at=day(1))
        assert ["wait", "end_contract", "report_and_end", "submit_work"] == actions(found)

    def test_client_on_a_funded_unpaid_contract(self) -> None:
        """The client may wait, end, report and end, or ask for the escrow back through a dispute."""
        found = options(fixed(fund(day(0))), party=CLIENT, at=day(1))
        assert ["wait", "end_contract", "report_and_end", "open_dispute"] == actions(found)

    def test_freelancer_on_a_paid_fixed_price_contract(self) -> None:
        """Once money was paid and refunds are allowed, the freelancer may also refund and end."""
        found = options(paid_fixed(), party=FREELANCER, at=day(2))
        assert ["wait", "end_contract", "refund_and_end", "report_and_end"] == actions(found)

    def test_client_never_refunds(self) -> None:
        """refund_and_end is the freelancer's alone, even on a paid contract."""
        found = options(paid_fixed(), party=CLIENT, at=day(2))
        assert "refund_and_end" not in actions(found)

    def test_no_refund_once_the_refund_window_closed(self) -> None:
        """Paid money outside the policy's refund window offers no refund_and_end."""
        found = options(paid_fixed(), party=FREELANCER, at=day(1) + timedelta(days=181))
        assert ["wait", "end_contract", "report_and_end"] == actions(found)

    def test_no_refund_where_the_policy_has_no_refund_rule(self) -> None:
        """Under Fiverr, which has no refund rule, a paid seller is offered no refund_and_end."""
        found = options(paid_fixed(), party=FREELANCER, at=day(2), policy="fiverr")
        assert "refund_and_end" not in actions(found)

    def test_freelancer_on_a_paid_hourly_contract(self) -> None:
        """On a paid hourly contract the freelancer may refund and end, but never submits work or disputes."""
        found = options(hourly(bill(day(6))), party=FREELANCER, at=day(7))
        assert ["wait", "end_contract", "refund_and_end", "report_and_end"] == actions(found)

    def test_client_on_an_hourly_contract_in_review(self) -> None:
        """While a billed week is in its review period, the client may dispute its hours."""
        found = options(hourly(bill(day(6))), party=CLIENT, at=day(7))
        assert ["wait", "end_contract", "report_and_end", "open_dispute"] == actions(found)

    def test_client_on_an_hourly_contract_after_review(self) -> None:
        """After the review period of every billed week, the client has no dispute to open."""
        found = options(hourly(bill(day(6))), party=CLIENT, at=day(12))
        assert ["wait", "end_contract", "report_and_end"] == actions(found)

    def test_unpaid_hourly_contract(self) -> None:
        """An hourly contract with nothing billed offers both parties wait and the two ways to end."""
        for party in Party:
            assert ["wait", "end_contract", "report_and_end"] == actions(options(hourly(), party=party, at=day(1)))

    def test_submit_work_for_each_funded_unsubmitted_milestone(self) -> None:
        """submit_work is offered once per milestone with escrow whose work awaits no review."""
        record = fixed(
            fund(day(0)),
            fund(day(0), milestone="m2"),
            fund(day(0), milestone="m3"),
            submit(day(1), "m2"),
            submit(day(1), "m3"),
            request_changes(day(2), "m3"),
        )
        found = options(record, party=FREELANCER, at=day(3))
        submitted = [option.events for option in found if option.action == "submit_work"]
        assert [(submit(day(3), "m1"),), (submit(day(3), "m3"),)] == submitted

    def test_no_submit_without_escrow(self) -> None:
        """A released milestone has nothing left to submit work for."""
        assert "submit_work" not in actions(options(paid_fixed(), party=FREELANCER, at=day(2)))

    def test_open_dispute_after_a_refused_release(self) -> None:
        """The freelancer may dispute escrow once the client asked for changes instead of releasing.

        From 2025-05-01 too: the feedback a dispute needs is the ended contract's, not an open one's.
        """
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)))
        assert "open_dispute" in actions(options(record, party=FREELANCER, at=day(3), policy=BEFORE_MAY_2025))
        option = pick(options(record, party=FREELANCER, at=day(3)), "open_dispute")
        assert (DisputeOpened(at=day(3), by=FREELANCER),) == option.events

    @pytest.mark.parametrize(
        ("record", "party", "at"),
        [
            (fixed(fund(day(0))), FREELANCER, day(1)),
            (fixed(fund(day(0))), CLIENT, day(1)),
            (fixed(fund(day(0)), submit(day(1)), request_changes(day(2))), FREELANCER, day(3)),
            (fixed(fund(day(0)), end(day(1), by=CLIENT)), FREELANCER, day(2)),
            (fixed(fund(day(0)), end(day(1), by=CLIENT)), FREELANCER, day(9)),
            (fixed(fund(day(0)), open_dispute(day(1))), CLIENT, day(2)),
            (hourly(bill(day(6))), CLIENT, day(7)),
            (hourly(bill(day(6)), dispute_hours(day(7))), CLIENT, day(8)),
            (hourly(bill(day(6))), FREELANCER, day(7)),
        ],
    )
    def test_open_dispute_only_when_the_decision_says_yes(
        self, record: ContractRecord, party: Party, at: datetime
    ) -> None:
        """open_dispute is offered exactly when the open_dispute decision for the party is yes."""
        allowed = evaluate(record, at=at, policy=BEFORE_MAY_2025).decision(Question.OPEN_DISPUTE, party).answer
        assert allowed == ("open_dispute" in actions(options(record, party=party, at=at, policy=BEFORE_MAY_2025)))

    @pytest.mark.parametrize("party", list(Party))
    def test_no_end_options_on_an_ended_contract(self, party: Party) -> None:
        """An ended contract offers neither party a way to end it, nor work to submit."""
        found = options(fixed(fund(day(0)), release(day(1)), end(day(2))), party=party, at=day(3))
        assert ["wait"] == actions(found)

    def test_dispute_after_the_clients_end(self) -> None:
        """After the client ends with escrow held, the freelancer may wait or dispute within 7 days."""
        found = options(fixed(fund(day(0)), end(day(1), by=CLIENT)), party=FREELANCER, at=day(2))
        assert ["wait", "open_dispute"] == actions(found)

    def test_wait_comes_first_with_the_party(self) -> None:
        """Every list starts with wait, and every option names the party who acts."""
        found = options(fixed(fund(day(0))), party="client", at=day(1))
        assert "wait" == found[0].action
        assert {CLIENT} == {option.party for option in found}


class TestEvents:
    """The hypothetical events each action appends."""

    def test_wait_appends_nothing(self) -> None:
        """The wait option adds no event of the party's; its records add only logs and the other party's reply."""
        record = fixed(fund(day(0)))
        option = pick(options(record, party=FREELANCER, at=day(1)), "wait")
        assert () == option.events
        for simulated in (option.worst_record, option.best_record):
            assert record.events == simulated.events[: len(record.events)]
            added = simulated.events[len(record.events) :]
            assert {ContractEnded, FeedbackLeft} >= {type(event) for event in added}
            assert all(event.by is CLIENT for event in added if isinstance(event, FeedbackLeft))

    def test_wait_before_may_2025_is_the_contract_as_it_stands(self) -> None:
        """Where no automatic step lies ahead, waiting leaves both records as they are."""
        record = fixed(fund(day(0)))
        option = pick(options(record, party=FREELANCER, at=day(1), policy=BEFORE_MAY_2025), "wait")
        assert ((), record, record) == (option.events, option.worst_record, option.best_record)

    @pytest.mark.parametrize("party", list(Party))
    def test_end_contract(self, party: Party) -> None:
        """end_contract appends one end by the party at the instant."""
        option = pick(options(fixed(fund(day(0))), party=party, at=day(1)), "end_contract")
        assert [(ContractEnded, day(1), party)] == [(type(e), e.at, e.by) for e in option.events]  # type: ignore[attr-defined]  # every event here has a `by`

    def test_refund_and_end(self) -> None:
        """refund_and_end refunds everything paid, then the freelancer ends."""
        option = pick(options(paid_fixed(), party=FREELANCER, at=day(2)), "refund_and_end")
        refund_event, end_event = option.events
        assert RefundIssued(at=day(2), amount=usd("500.00")) == refund_event
        assert (ContractEnded, FREELANCER) == (type(end_event), end_event.by)  # type: ignore[attr-defined]  # an end

    @pytest.mark.parametrize("party", list(Party))
    def test_report_and_end(self, party: Party) -> None:
        """report_and_end reports the job, then ends it, both by the party at the instant."""
        option = pick(options(fixed(fund(day(0))), party=party, at=day(1)), "report_and_end")
        assert [(JobReported, party), (ContractEnded, party)] == [(type(e), e.by) for e in option.events]  # type: ignore[attr-defined]  # both have a `by`

    def test_report_and_end_best_case_suspends_the_other_party(self) -> None:
        """Only the best case adds the other party's suspension for a Terms of Service violation."""
        option = pick(options(fixed(fund(day(0))), party=CLIENT, at=day(1)), "report_and_end")
        suspended = AccountSuspended(at=day(1), party=FREELANCER, reason="tos_violation")
        assert suspended in option.best_record.events
        assert suspended not in option.worst_record.events

    def test_submit_work(self) -> None:
        """submit_work submits; its worst case adds a request for changes and a review, its best case nothing.

        The review comes once the idle contract closes as dormant.
        """
        option = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1)), "submit_work")
        assert (WorkSubmitted(at=day(1), milestone="m1"),) == option.events
        worst = option.worst_record.events
        assert ChangesRequested(at=day(1), milestone="m1") == worst[2]
        assert [ContractEnded, FeedbackLeft] == [type(event) for event in worst[3:]]
        assert (day(91), Decimal(1)) == (worst[-1].at, worst[-1].rating)  # type: ignore[attr-defined]  # feedback
        assert option.best_record.events[-1] == option.events[-1]

    def test_open_dispute_on_a_fixed_price_contract(self) -> None:
        """open_dispute opens a dispute; the worst case awards the escrow to the other party, the best to you."""
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)))
        option = pick(options(record, party=FREELANCER, at=day(3), policy=BEFORE_MAY_2025), "open_dispute")
        assert (DisputeOpened(at=day(3), by=FREELANCER),) == option.events
        zero = usd(0)
        assert DisputeResolved(at=day(3), to_freelancer=zero, to_client=usd(500)) == option.worst_record.events[-1]
        assert DisputeResolved(at=day(3), to_freelancer=usd(500), to_client=zero) == option.best_record.events[-1]

    def test_open_dispute_on_an_hourly_contract(self) -> None:
        """On an hourly contract the client disputes the hours of the latest billed week."""
        record = hourly(bill(day(6)), bill(day(13), ending=week(2), amount="200.00"))
        option = pick(options(record, party=CLIENT, at=day(14)), "open_dispute")
        assert (HoursDisputed(at=day(14), week_ending=week(2)),) == option.events
        assert "week ending 2026-11-15" in option.summary
        assert usd(200) == option.best_money.back_to_client

    def test_no_hourly_dispute_that_would_exceed_what_is_left(self) -> None:
        """Hours the freelancer already refunded cannot be disputed: no dispute option is offered."""
        record = hourly(bill(day(6)), RefundIssued(at=day(7), amount=usd("400.00")))
        assert "open_dispute" not in actions(options(record, party=CLIENT, at=day(8)))

    def test_an_unlogged_release_is_logged_first(self) -> None:
        """After an automatic release the record has not logged, the events log it before refunding."""
        record = fixed(fund(day(0)), submit(day(1)))
        option = pick(options(record, party=FREELANCER, at=day(20)), "refund_and_end")
        assert MilestoneReleased(at=day(20), milestone="m1", amount=usd(500)) == option.events[0]
        assert RefundIssued(at=day(20), amount=usd(500)) == option.events[1]
        assert usd(0) == option.worst_case.state.net_paid

    def test_an_unlogged_release_among_held_escrow(self) -> None:
        """A dispute over what is still held splits exactly that, after logging the automatic release."""
        record = fixed(
            fund(day(0)),
            fund(day(0), milestone="m2"),
            submit(day(1)),
            submit(day(1), "m2"),
            request_changes(day(2), "m2"),
        )
        option = pick(options(record, party=FREELANCER, at=day(20), policy=BEFORE_MAY_2025), "open_dispute")
        assert MilestoneReleased(at=day(20), milestone="m1", amount=usd(500)) == option.events[0]
        assert usd(500) == option.best_money.paid_to_freelancer

    def test_an_unlogged_return_is_computed_but_offers_nothing(self) -> None:
        """Escrow returned by itself after the freelancer's end leaves only wait: nothing is held."""
        found = options(fixed(fund(day(0)), end(day(1))), party=CLIENT, at=day(2))
        assert ["wait"] == actions(found)
        logs = gigpolicy._replay.unlogged_steps(fixed(fund(day(0)), end(day(1))), found[0].worst_case.state, day(2))
        assert (EscrowReturned(at=day(2), milestone="m1", amount=usd(500)),) == logs

    def test_events_after_at_are_left_out(self) -> None:
        """Steps start from the record cut at `at`: later recorded events play no part."""
        record = load(EXAMPLES / "motivating-case-ended.json")
        before_end = datetime(2026, 11, 3, 8, 56, tzinfo=UTC)
        found = options(record, party=FREELANCER, at=before_end)
        option = pick(found, "end_contract")
        assert "end_contract" in actions(found)
        assert before_end == option.worst_case.state.ended_at
        assert all(event.at <= before_end for event in option.worst_record.events)
        assert ContractStatus.ACTIVE == found[0].right_after.state.status


class TestAssumptions:
    """Each option says what it assumed, in plain sentences."""

    @pytest.mark.parametrize(
        ("record", "party", "at"),
        [
            (MOTIVATING, FREELANCER, DECIDED),
            (paid_fixed(), FREELANCER, day(2)),
            (fixed(fund(day(0)), submit(day(1)), request_changes(day(2))), FREELANCER, day(3)),
            (fixed(fund(day(0))), CLIENT, day(1)),
            (hourly(bill(day(6))), CLIENT, day(7)),
        ],
    )
    def test_assumptions_are_plain_sentences(self, record: ContractRecord, party: Party, at: datetime) -> None:
        """Every option has assumptions, each one line that starts with a capital and ends with a period."""
        for option in options(record, party=party, at=at):
            assert option.assumptions
            for sentence in option.assumptions:
                assert "\n" not in sentence
                assert sentence[0].isupper()
                assert sentence.endswith(".")
            assert option.summary.endswith(".")

    def test_responses_are_assumed_only_where_simulated(self) -> None:
        """Options that simulate the other party's feedback say so; submit_work does not."""
        found = options(fixed(fund(day(0))), party=FREELANCER, at=day(1))
        said = {option.action: any("responds" in s for s in option.assumptions) for option in found}
        assert {"wait": True, "end_contract": True, "report_and_end": True, "submit_work": True} == said


class TestMotivatingCase:
    """The motivating case, as the freelancer, on 2026-11-03 at 09:00 UTC."""

    found: Final = options(MOTIVATING, party="freelancer", at=DECIDED)

    def test_options_offered(self) -> None:
        """Nothing was paid, so there is no refund; the funded milestone could still be submitted."""
        assert ["wait", "end_contract", "report_and_end", "submit_work"] == actions(self.found)

    def test_end_contract_worst_case_feedback(self) -> None:
        """In the worst case the client leaves 1 star at once; the form has no private rating any more."""
        worst = pick(self.found, "end_contract").worst_case.state
        left = [(f.by, f.kind, f.rating, f.at) for f in worst.feedback]
        assert [(CLIENT, FeedbackKind.PUBLIC, Decimal(1), DECIDED)] == left

    def test_end_contract_worst_case_feedback_before_may_2025(self) -> None:
        """Before 2025-05-01 the worst case adds a private 0 to the public 1 star."""
        found = options(MOTIVATING, party="freelancer", at=DECIDED, policy=BEFORE_MAY_2025)
        worst = pick(found, "end_contract").worst_case.state
        expected = [
            (CLIENT, FeedbackKind.PUBLIC, Decimal(1), DECIDED),
            (CLIENT, FeedbackKind.PRIVATE, Decimal(0), DECIDED),
        ]
        assert expected == [(f.by, f.kind, f.rating, f.at) for f in worst.feedback]

    def test_end_contract_worst_case_review_not_shown(self) -> None:
        """The client's review is not shown: net paid is $0, below the $1 threshold."""
        shown = pick(self.found, "end_contract").worst_case.decision(Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, ["NET_PAID_BELOW_THRESHOLD"]) == (shown.answer, [r.code for r in shown.reasons])

    def test_end_contract_worst_case_counts_toward_the_score(self) -> None:
        """The hidden negative feedback still counts toward the success score."""
        counted = pick(self.found, "end_contract").worst_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER)
        assert counted.answer
        assert {"NEGATIVE_FEEDBACK", "CLIENT_IN_GOOD_STANDING"} <= {r.code for r in counted.reasons}

    def test_end_contract_worst_case_money_and_history(self) -> None:
        """The 500.00 in escrow goes back to the client, and the contract is not in the work history."""
        option = pick(self.found, "end_contract")
        worst = option.worst_case
        assert usd(500) == worst.state.escrow_returned
        assert usd(0) == worst.state.net_paid
        assert not worst.decision(Question.WORK_HISTORY, FREELANCER).answer
        assert (usd(0), usd(500), usd(0), usd(0)) == attrs.astuple(option.worst_money, recurse=False)

    def test_end_contract_worst_case_after_every_window(self) -> None:
        """The worst case is taken after the feedback window and the response period have closed."""
        worst = pick(self.found, "end_contract").worst_case
        assert worst.at >= FEEDBACK_CLOSES
        assert not worst.decision(Question.PUBLIC_FEEDBACK, CLIENT).answer
        assert not worst.decision(Question.RESPOND_TO_FEEDBACK, FREELANCER).answer

    def test_end_contract_best_case_not_counted(self) -> None:
        """In the best case the client leaves nothing (or praise that a $0 contract cannot count)."""
        best = pick(self.found, "end_contract").best_case
        assert not best.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer
        assert usd(500) == best.state.escrow_returned

    def test_the_client_can_still_review_right_after(self) -> None:
        """Right after the end, the client may leave public feedback until 2026-11-18 00:00 UTC."""
        review = pick(self.found, "end_contract").right_after.decision(Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, FEEDBACK_CLOSES) == (review.answer, review.until)

    def test_report_and_end_best_case_suspends_the_client(self) -> None:
        """The best case of reporting has the client suspended for a Terms of Service violation."""
        best = pick(self.found, "report_and_end").best_case
        assert [(CLIENT, "tos_violation")] == [(s.party, s.reason) for s in best.state.suspensions]

    def test_report_and_end_best_case_negative_feedback_would_not_count(self) -> None:
        """Once the client is suspended, even its lowest rating would not count against the freelancer."""
        best_record = pick(self.found, "report_and_end").best_record
        low = (
            FeedbackLeft(at=DECIDED, by=CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(1)),
            FeedbackLeft(at=DECIDED, by=CLIENT, kind=FeedbackKind.PRIVATE, rating=Decimal(0)),
        )
        kept = tuple(event for event in best_record.events if not isinstance(event, FeedbackLeft))
        attacked = attrs.evolve(best_record, events=(*kept, *low))
        counted = evaluate(attacked, at=FEEDBACK_CLOSES).decision(Question.JOB_SUCCESS_SCORE, FREELANCER)
        assert (False, ["CLIENT_SUSPENDED"]) == (counted.answer, [r.code for r in counted.reasons])

    def test_report_and_end_worst_case_changes_nothing(self) -> None:
        """The worst case of reporting is the worst case of ending: the report changes no answer.

        The success-score decision says what a report would take to change it.
        """
        worst = pick(self.found, "report_and_end").worst_case
        same = pick(self.found, "end_contract").worst_case
        assert [(d.answer, d.until) for d in same.decisions] == [(d.answer, d.until) for d in worst.decisions]
        assert worst.state.reports
        counted = worst.decision(Question.JOB_SUCCESS_SCORE, FREELANCER)
        assert "JOB_REPORTED" == counted.reasons[-1].code

    def test_waiting_does_not_avoid_the_review(self) -> None:
        """Waiting lets the dormancy closure play out on 2027-01-31, after which the client may review.

        In the worst case a 1-star review counts; the escrow goes back to the client.
        """
        option = pick(self.found, "wait")
        assert evaluate(MOTIVATING, at=DECIDED) == option.right_after
        closed = datetime(2027, 1, 31, 15, 5, tzinfo=UTC)
        worst = option.worst_case
        assert (closed, None) == (worst.state.ended_at, worst.state.ended_by)
        assert [(CLIENT, Decimal(1), closed)] == [(f.by, f.rating, f.at) for f in worst.state.feedback]
        assert worst.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer
        assert not worst.decision(Question.FEEDBACK_PUBLISHED, CLIENT).answer
        assert (usd(500), usd(0)) == (option.worst_money.back_to_client, option.worst_money.escrow_held)
        assert not option.best_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer


class TestMoney:
    """Where the money goes in each case, compared with now."""

    def test_end_returns_escrow_to_the_client(self) -> None:
        """The freelancer's end returns the escrow: 500.00 back to the client, nothing held."""
        money = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1)), "end_contract").best_money
        assert (usd(0), usd(500), usd(0), usd(0)) == attrs.astuple(money, recurse=False)

    def test_refund_and_end(self) -> None:
        """Refunding 500.00 takes it from the freelancer and gives it to the client; nothing is earned."""
        money = pick(options(paid_fixed(), party=FREELANCER, at=day(2)), "refund_and_end").worst_money
        assert (usd(-500), usd(500), usd(0), usd(0)) == attrs.astuple(money, recurse=False)

    def test_end_after_payment_keeps_the_earnings(self) -> None:
        """Ending a paid contract moves no money: the net stays 450.00 after the 10% fee."""
        money = pick(options(paid_fixed(), party=FREELANCER, at=day(2)), "end_contract").worst_money
        assert (usd(0), usd(0), usd(0), usd(450)) == attrs.astuple(money, recurse=False)

    def test_submit_work(self) -> None:
        """Submitted work releases by itself in the best case; in the worst, changes requested, it goes dormant.

        The dormant contract's escrow returns to the client (before 2025-05-01 it stayed held).
        """
        option = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1)), "submit_work")
        assert (usd(0), usd(500), usd(0), usd(0)) == attrs.astuple(option.worst_money, recurse=False)
        assert (usd(500), usd(0), usd(0), usd(450)) == attrs.astuple(option.best_money, recurse=False)
        older = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1), policy=BEFORE_MAY_2025), "submit_work")
        assert (usd(0), usd(0), usd(500), usd(0)) == attrs.astuple(older.worst_money, recurse=False)

    def test_client_dispute(self) -> None:
        """The client's dispute: in the worst case the freelancer gets the escrow, in the best the client."""
        option = pick(options(fixed(fund(day(0))), party=CLIENT, at=day(1)), "open_dispute")
        assert (usd(500), usd(0)) == (option.worst_money.paid_to_freelancer, option.worst_money.back_to_client)
        assert (usd(0), usd(500)) == (option.best_money.paid_to_freelancer, option.best_money.back_to_client)

    def test_hourly_refund_and_end(self) -> None:
        """On an hourly contract the freelancer refunds the billed 400.00 and earns nothing."""
        option = pick(options(hourly(bill(day(6))), party=FREELANCER, at=day(7)), "refund_and_end")
        assert (usd(-400), usd(400), usd(0)) == (
            option.best_money.paid_to_freelancer,
            option.best_money.back_to_client,
            option.best_money.net_earnings,
        )


class TestOutcomes:
    """How the worst and best cases are chosen."""

    def test_client_best_case_shows_praise_that_can_be_seen(self) -> None:
        """On a paid contract, the client's best case has the freelancer's 5 stars shown, the worst 1 star."""
        found = options(paid_fixed(), party=CLIENT, at=day(2))
        option = pick(found, "end_contract")
        worst = option.worst_case.state.feedback_by(FREELANCER, FeedbackKind.PUBLIC)
        best = option.best_case.state.feedback_by(FREELANCER, FeedbackKind.PUBLIC)
        assert (Decimal(1), Decimal(5)) == (worst.rating if worst else None, best.rating if best else None)
        assert option.best_case.decision(Question.FEEDBACK_PUBLISHED, FREELANCER).answer

    def test_freelancer_paid_end_counts_either_way(self) -> None:
        """On a paid contract the client's feedback counts: negative in the worst case, positive in the best."""
        option = pick(options(paid_fixed(), party=FREELANCER, at=day(2)), "end_contract")
        worst = {r.code for r in option.worst_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).reasons}
        best = {r.code for r in option.best_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).reasons}
        assert ("NEGATIVE_FEEDBACK" in worst, "POSITIVE_FEEDBACK" in best) == (True, True)

    def test_already_suspended_client(self) -> None:
        """With the client already suspended, even the worst case does not count against the freelancer."""
        record = fixed(fund(day(0)), suspend(day(1)))
        option = pick(options(record, party=FREELANCER, at=day(2)), "end_contract")
        assert not option.worst_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer

    def test_old_version_counts_contracts_without_feedback(self) -> None:
        """Under the 2016 rules a contract without feedback still counts, so the worst case is the 1-star one."""
        option = pick(options(paid_fixed(), party=FREELANCER, at=day(2), policy="upwork@2019-01-01"), "end_contract")
        assert date(2016, 6, 21) == option.worst_case.policy.effective_from
        assert Decimal(1) == option.worst_case.state.feedback[0].rating

    def test_a_policy_object(self) -> None:
        """A Policy object applies to every case; its parameters change the outcome."""
        base = get_policy("upwork")
        assert isinstance(base, UpworkPolicy)
        slow = attrs.evolve(base, feedback_window_days=30)
        option = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1), policy=slow), "end_contract")
        review = option.right_after.decision(Question.PUBLIC_FEEDBACK, CLIENT)
        assert (slow, datetime(2026, 12, 4, tzinfo=UTC)) == (option.worst_case.policy, review.until)

    def test_the_horizon_search_stops(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With the search for the end of every window cut to one step, the outcome is taken where it stopped."""
        settled = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1)), "submit_work")
        monkeypatch.setattr(gigpolicy._options, "HORIZON_STEPS", 1)
        option = pick(options(fixed(fund(day(0))), party=FREELANCER, at=day(1)), "submit_work")
        # one step reaches the latest deadline seen at the start: mid-contract feedback opens on day 30
        assert (day(30), True) == (option.best_case.at, settled.best_case.at > day(30))
        assert usd(500) == option.best_money.paid_to_freelancer


class TestLimits:
    """Futures are simulated from a record at its limits."""

    def test_a_record_at_the_event_limit_still_has_futures(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """MAX_EVENTS bounds input: the events a future adds may take a record past it."""
        record = fixed(fund(day(0)), submit(day(1)))
        monkeypatch.setattr(gigpolicy._record, "MAX_EVENTS", len(record.events))
        with pytest.raises(InvalidRecord, match="holds more than 2 events"):
            attrs.evolve(record, events=(*record.events, release(day(2))))
        found = options(record, party=FREELANCER, at=day(2))
        assert "end_contract" in actions(found)
        assert len(pick(found, "end_contract").worst_record.events) > len(record.events)


class TestErrors:
    """Bad arguments raise GigPolicyError subclasses."""

    def test_naive_at(self) -> None:
        """A naive instant is an InvalidRecord, which is also a ValueError."""
        with pytest.raises(InvalidRecord) as caught:
            options(fixed(), party=FREELANCER, at=datetime(2026, 11, 3, 9))  # noqa: DTZ001 - naive on purpose
        assert isinstance(caught.value, ValueError)
        assert "at" == caught.value.path

    def test_bad_party(self) -> None:
        """A party that is neither client nor freelancer is an InvalidRecord at `party`."""
        with pytest.raises(InvalidRecord, match="'boss'") as caught:
            options(fixed(), party="boss", at=day(1))
        assert "party" == caught.value.path

    def test_not_a_record(self) -> None:
        """A value that is not a record is an InvalidRecord at `record`."""
        with pytest.raises(InvalidRecord, match="dict") as caught:
            options({"format": "gigpolicy/1"}, party=FREELANCER, at=day(1))  # type: ignore[arg-type]  # on purpose
        assert "record" == caught.value.path

    def test_unknown_policy(self) -> None:
        """An unknown policy name raises UnknownPolicy."""
        with pytest.raises(UnknownPolicy):
            options(fixed(), party=FREELANCER, at=day(1), policy="nowhere")

    def test_before_the_start(self) -> None:
        """No step can be taken before the contract started: an InvalidRecord at `at`."""
        with pytest.raises(InvalidRecord, match="before the contract started") as caught:
            options(fixed(), party=FREELANCER, at=day(-1))
        assert "at" == caught.value.path


class TestChangesOfDecember2026:
    """Options that tell the truth about time and risk (the SPEC's changes of 2026-12-05)."""

    def test_dispute_leaves_the_required_feedback_first(self) -> None:
        """From 2025-05-01 the freelancer's dispute after the client's end leaves 5 stars for the client first."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        found = options(record, party=FREELANCER, at=day(2))
        assert ["wait", "open_dispute"] == actions(found)
        option = pick(found, "open_dispute")
        left = FeedbackLeft(at=day(2), by=FREELANCER, kind=FeedbackKind.PUBLIC, rating=Decimal(5))
        assert (left, DisputeOpened(at=day(2), by=FREELANCER)) == option.events
        assert option.summary.startswith("Leave feedback for the client, which a dispute requires")
        assert any("double-blind" in sentence for sentence in option.assumptions)
        assert usd(500) == option.best_money.paid_to_freelancer

    def test_feedback_already_left_needs_no_second(self) -> None:
        """Once the freelancer left feedback, the dispute is opened alone."""
        left = FeedbackLeft(at=day(2), by=FREELANCER, kind=FeedbackKind.PUBLIC, rating=Decimal(3))
        record = fixed(fund(day(0)), end(day(1), by=CLIENT), left)
        option = pick(options(record, party=FREELANCER, at=day(3)), "open_dispute")
        assert (DisputeOpened(at=day(3), by=FREELANCER),) == option.events

    def test_report_feedback_is_offered_while_their_review_stands(self) -> None:
        """A review of the freelancer stands: they may report it; the best case removes it, the worst keeps it."""
        record = fixed(
            fund(day(0)), end(day(1)), FeedbackLeft(at=day(2), by=CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(1))
        )
        found = options(record, party=FREELANCER, at=day(3))
        assert ["wait", "report_feedback"] == actions(found)
        option = pick(found, "report_feedback")
        assert isinstance(option.events[-1], JobReported)
        assert option.best_case.state.feedback_by(CLIENT, FeedbackKind.PUBLIC) is None
        assert option.worst_case.state.feedback_by(CLIENT, FeedbackKind.PUBLIC) is not None
        assert option.worst_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer
        assert not option.best_case.decision(Question.JOB_SUCCESS_SCORE, FREELANCER).answer

    def test_no_report_feedback_without_a_review(self) -> None:
        """Nothing to report before the other party reviewed, or after the review was removed."""
        record = fixed(fund(day(0)), end(day(1)))
        assert "report_feedback" not in actions(options(record, party=FREELANCER, at=day(2)))

    def test_submit_work_after_reporting_warns(self) -> None:
        """Delivering work on a job the party reported warns with REPORTED_JOB and cites the prohibited-jobs page."""
        from tests.records import report  # noqa: PLC0415 - used by this test only

        record = fixed(fund(day(0)), report(day(1)))
        option = pick(options(record, party=FREELANCER, at=day(2)), "submit_work")
        (warning,) = option.warnings
        assert "REPORTED_JOB" == warning.code
        assert warning.source is not None
        assert warning.source.endswith("1500007578942-What-kind-of-jobs-aren-t-allowed-on-Upwork")
        assert "2026-11-03" in warning.message

    def test_the_reported_day_is_a_utc_day(self) -> None:
        """A report at 01:00 UTC on 2026-11-03, recorded at -12:00 (2026-11-02 there), is dated 2026-11-03."""
        from tests.records import report  # noqa: PLC0415 - used by this test only

        reported = report(day(0, hours=10).astimezone(timezone(timedelta(hours=-12))))
        option = pick(options(fixed(fund(day(0)), reported), party=FREELANCER, at=day(2)), "submit_work")
        assert "You reported this job on 2026-11-03:" in option.warnings[0].message

    def test_no_warning_without_a_report(self) -> None:
        """Every option of a contract nobody reported carries no warning."""
        found = options(fixed(fund(day(0))), party=FREELANCER, at=day(1))
        assert [()] * len(found) == [option.warnings for option in found]

    def test_refund_and_end_refunds_only_recent_payments(self) -> None:
        """Of two payments, the one older than 180 days is no longer refunded."""
        record = fixed(fund(day(0), amount="100.00"), release(day(1), amount="100.00"))
        record = record._extended(fund(day(100), "40.00", "m2"), release(day(100), "40.00", "m2"))
        option = pick(options(record, party=FREELANCER, at=day(200)), "refund_and_end")
        assert RefundIssued(at=day(200), amount=usd("40.00")) == option.events[0]
        assert "40.00 USD (of 140.00 USD paid" in option.assumptions[0]
        assert usd("100.00") == option.worst_case.state.net_paid


class _Refunds(Policy):
    """A bare policy that lets a party end and refund, and nothing else: refunds follow ``Policy.refundable``."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Yes to ending and refunding, else the base policy's no."""
        if question in {Question.END_CONTRACT, Question.ISSUE_REFUND}:
            return Verdict(answer=True, reasons=(Reason(code="YES", message="Always."),))
        return super().decide(question, context)


class _NoRefunds(_Refunds):
    """The same, but nothing is ever refundable."""

    def refundable(self, state: ContractState) -> Money:
        """Nothing."""
        return Money.zero(state.currency)


class TestRefundable:
    """``refund_and_end`` refunds what the policy's ``refundable`` says."""

    def test_the_base_policy_refunds_all_of_net_paid(self) -> None:
        """A policy that does not limit refunds refunds everything paid."""
        policy = _Refunds(name="bare", effective_from=date(2016, 1, 1))
        option = pick(options(paid_fixed(), party=FREELANCER, at=day(2), policy=policy), "refund_and_end")
        assert RefundIssued(at=day(2), amount=usd(500)) == option.events[0]

    def test_nothing_refundable_offers_no_refund(self) -> None:
        """Where the policy says nothing can be refunded, no refund_and_end is offered, whatever it answers."""
        policy = _NoRefunds(name="bare", effective_from=date(2016, 1, 1))
        assert "refund_and_end" not in actions(options(paid_fixed(), party=FREELANCER, at=day(2), policy=policy))


class TestActedRecord:
    """``Option.acted_record``: the record right after the step, which ``right_after`` judges."""

    def test_the_record_after_ending(self) -> None:
        """Ending appends the end to the record as it stood; right_after is that record judged at the instant."""
        record = fixed(fund(day(0)))
        option = pick(options(record, party=FREELANCER, at=day(1)), "end_contract")
        assert (*record.events, *option.events) == option.acted_record.events
        assert evaluate(option.acted_record, at=day(1)) == option.right_after

    def test_waiting_is_the_record_as_it_stands(self) -> None:
        """Waiting acts on nothing: the record cut at the instant."""
        record = load(EXAMPLES / "motivating-case-ended.json")
        at = datetime(2026, 11, 3, 8, 56, tzinfo=UTC)
        wait = options(record, party=FREELANCER, at=at)[0]
        assert tuple(event for event in record.events if event.at <= at) == wait.acted_record.events
