"""The ledger fold: every transition rule, allowed and refused, and the automatic steps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.records import (
    CLIENT,
    FREELANCER,
    START,
    bill,
    bonus,
    day,
    dispute_hours,
    enable_edit,
    end,
    feedback,
    fixed,
    fund,
    give_back,
    hourly,
    open_dispute,
    pause,
    refund,
    release,
    remove_feedback,
    report,
    request_changes,
    resolve,
    respond,
    resume,
    submit,
    suspend,
    terms,
    usd,
    week,
)
from tests.test_one_fold import broken

from gigpolicy import (
    ContractRecord,
    ContractState,
    ContractStatus,
    Event,
    FeedbackKind,
    InvalidRecord,
    InvalidTransition,
    Money,
    Party,
    ReplayRules,
    get_policy,
    replay,
)
from gigpolicy._contract import ContractKind
from gigpolicy._ledger import COPIED, MAX_MILESTONES, Ledger, fold
from gigpolicy._state import NO_AUTOMATIC_STEPS
from gigpolicy.testing import records

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gigpolicy import ContractTerms

MICRO = timedelta(microseconds=1)


def refusals(kind: str, *events: Event) -> list[tuple[str, str]]:
    """The (path, problem) of every problem building a record of *kind* raises."""
    build = hourly if kind == "hourly" else fixed
    with pytest.raises(InvalidRecord) as caught:
        build(*events)
    return [(error.path, error.problem) for error in caught.value.errors]


def refused(*events: Event) -> list[tuple[str, str]]:
    """The problems of a fixed-price record of *events*."""
    return refusals("fixed", *events)


def refused_hourly(*events: Event) -> list[tuple[str, str]]:
    """The problems of an hourly record of *events*."""
    return refusals("hourly", *events)


def facts(record: ContractRecord, at: float) -> ContractState:
    """The state at day *at* with no automatic steps: only what the events say."""
    return replay(record, at=day(at), policy=NO_AUTOMATIC_STEPS)


def ledger(state: ContractState) -> tuple[Money, Money, Money, Money]:
    """``(escrow, paid, escrow_returned, deposited)``."""
    return state.escrow, state.paid, state.escrow_returned, state.deposited


def balanced(state: ContractState) -> bool:
    """The money identity: ``escrow + paid + escrow_returned == deposited``."""
    return state.escrow + state.paid + state.escrow_returned == state.deposited


class TestOrder:
    """Events come after the start and in time order."""

    def test_before_the_start(self) -> None:
        """An event before ``started_at`` is refused."""
        assert [("events[0]", "happens before the contract started")] == refused(fund(START - MICRO))

    def test_earlier_than_the_event_before(self) -> None:
        """An event earlier than the one before it is refused."""
        assert [("events[1]", "is earlier than the event before it")] == refused(fund(day(2)), bonus(day(1)))

    def test_equal_instants_keep_file_order(self) -> None:
        """Events at the same instant apply in file order."""
        state = facts(fixed(fund(day(1)), release(day(1)), end(day(1))), 1)
        assert (usd(0), usd(500), 3) == (state.escrow, state.paid, state.events_applied)

    def test_at_the_start_is_fine(self) -> None:
        """An event exactly at ``started_at`` is allowed."""
        assert usd(500) == facts(fixed(fund(START)), 0).escrow

    def test_back_to_the_start_is_out_of_order_not_before_it(self) -> None:
        """An event at ``started_at`` after a later one is out of order; it is not before the start."""
        assert [("events[1]", "is earlier than the event before it")] == refused(fund(day(1)), bonus(START))


_UNTIMED: Final = (
    NO_AUTOMATIC_STEPS,
    # dormancy closes only fixed-price contracts: an hourly one's ledger has no step to take
    attrs.evolve(NO_AUTOMATIC_STEPS, dormant_after=timedelta(days=30), dormancy_counts_from=START),
    attrs.evolve(NO_AUTOMATIC_STEPS, review_restarts_on_resubmission=False, dormant_escrow_return_after=None),
)
"""Rules under which a ledger may take no automatic step: those its own check loop folds under."""
_STEPS_ONLY: Final = frozenset({"last_activity_at", "logged"})
"""The slots of a ledger that only automatic steps read, which the check loop leaves as they were."""


def _slots(ledger: Ledger) -> dict[str, object]:
    """What *ledger* holds, slot by slot (its milestones and problems as values), but :data:`_STEPS_ONLY`."""
    held: dict[str, object] = {name: getattr(ledger, name) for name in Ledger.__slots__ if name not in _STEPS_ONLY}
    held["milestones"] = {
        name: [getattr(milestone, slot) for slot in type(milestone).__slots__]
        for name, milestone in ledger.milestones.items()
    }
    held["errors"] = [(error.path, error.problem) for error in ledger.errors]
    return held


class TestTheCheckLoop:
    """A ledger under which no step falls due checks its events in a loop of its own (``Ledger._check``)."""

    @given(st.data())
    def test_it_takes_the_events_as_the_replay_loop_does(self, data: st.DataObject) -> None:
        """Rule: both loops find the same refusals and leave the same ledger, which goes on alike.

        For any record, whole or broken (events left out, repeated or moved), under rules with no
        automatic step, keeping its history or not, going on from a ledger that folded its first
        events (and was advanced past them, or not): every slot is the same but those only automatic
        steps read, and so are the snapshots, then after one more event and an advance.
        """
        rules = data.draw(st.sampled_from(_UNTIMED))
        record, _ = data.draw(broken(data.draw(records(rules=rules))))
        assume(not Ledger(record.contract, rules).timed)  # a fixed-price contract may go dormant
        history = data.draw(st.booleans())
        split = data.draw(st.integers(0, len(record.events)))
        first, rest = record.events[:split], record.events[split:]
        pause = timedelta(hours=data.draw(st.sampled_from([0, 5, 24 * 40])))
        ledgers = []
        for own_loop in (True, False):
            ledger = Ledger(record.contract, rules, history=history)
            assert ledger.fold_to(first, None) is None
            ledger.advance(ledger.time + pause)
            if own_loop:
                ledger.run(rest, None, start=split)  # `_check`: no step can fall due
            else:
                assert ledger.fold_to(rest, None, start=split) is None
            ledgers.append(ledger)
        checked, folded = ledgers
        assert _slots(checked) == _slots(folded)
        if history:
            assert checked.snapshot(checked.time) == folded.snapshot(folded.time)
        later = checked.time + timedelta(days=data.draw(st.integers(0, 30)))
        for ledger in ledgers:
            ledger.apply(len(record.events), bonus(later))
            ledger.advance(later + pause)
        assert _slots(checked) == _slots(folded)
        if history:
            assert checked.snapshot(later + pause) == folded.snapshot(later + pause)


class TestFixedPriceOnly:
    """Milestone events happen only on fixed-price contracts."""

    @pytest.mark.parametrize(
        ("event", "what"),
        [
            (fund(day(1)), "milestones"),
            (submit(day(1)), "submissions"),
            (request_changes(day(1)), "requests for changes"),
            (release(day(1)), "milestone releases"),
            (give_back(day(1)), "escrow returns"),
            (open_dispute(day(1), milestone="m1"), "milestone disputes"),
        ],
        ids=lambda value: value if isinstance(value, str) else type(value).TYPE,
    )
    def test_refused_on_hourly(self, event: Event, what: str) -> None:
        """On an hourly contract, each milestone event is refused, named for what it is."""
        assert [("events[0]", f"{what} happen only on fixed-price contracts")] == refused_hourly(event)

    def test_hours_only_on_hourly(self) -> None:
        """Billing hours on a fixed-price contract is refused."""
        assert [("events[0]", "hours are billed only on hourly contracts")] == refused(bill(day(7)))


class TestAfterTheEnd:
    """After the end: no funding, submission, request for changes, pause, resume or mid-contract feedback."""

    @pytest.mark.parametrize(
        ("event", "what"),
        [
            (fund(day(3), milestone="m2"), "funding a milestone"),
            (submit(day(3)), "submitting work"),
            (request_changes(day(3)), "requesting changes"),
            (pause(day(3)), "pausing"),
            (resume(day(3)), "resuming"),
            (feedback(day(3), kind=FeedbackKind.MID_CONTRACT), "mid-contract feedback"),
        ],
        ids=lambda value: value if isinstance(value, str) else type(value).TYPE,
    )
    def test_refused_after_the_end(self, event: Event, what: str) -> None:
        """Each lifecycle event after the end is refused."""
        problems = refused(fund(day(0)), submit(day(1)), end(day(2), CLIENT), event)
        assert [("events[3]", f"{what} cannot happen after the contract ended")] == problems

    def test_second_end(self) -> None:
        """A contract ends once."""
        assert [("events[1]", "the contract has already ended")] == refused(end(day(1)), end(day(2), CLIENT))

    def test_money_may_still_move_after_the_end(self) -> None:
        """Releases, returns, bonuses and refunds after the end are facts like any other."""
        record = fixed(
            fund(day(0), "500.00"),
            end(day(1), CLIENT),
            release(day(2), "300.00"),
            give_back(day(2), "200.00"),
            bonus(day(3), "20.00"),
            refund(day(4), "10.00"),
        )
        state = facts(record, 5)
        assert ((usd(0), usd(320), usd(200), usd(520)), usd(10), usd(310)) == (
            ledger(state),
            state.refunded,
            state.net_paid,
        )


class TestMilestones:
    """Funding, submitting, requesting changes, releasing and returning."""

    @pytest.mark.parametrize(
        "event",
        [
            submit(day(1), "m2"),
            request_changes(day(1), "m2"),
            release(day(1), "1.00", "m2"),
            give_back(day(1), "1.00", "m2"),
            open_dispute(day(1), milestone="m2"),
        ],
        ids=lambda event: type(event).TYPE,
    )
    def test_unknown_milestone(self, event: Event) -> None:
        """An event about a milestone that was never funded is refused."""
        assert [("events[1]", "milestone 'm2' was never funded")] == refused(fund(day(0)), event)

    def test_at_most_max_milestones(self) -> None:
        """The milestone after the last allowed one is refused at its place; funding a known one again is not."""
        events = [fund(day(0), "1.00", f"m{index}") for index in range(MAX_MILESTONES + 1)]
        message = f"funds a new milestone, but a contract holds at most {MAX_MILESTONES} milestones"
        assert [(f"events[{MAX_MILESTONES}]", message)] == refused(*events, fund(day(1), "1.00", "m0"))
        assert MAX_MILESTONES == len(replay(fixed(*events[:-1], fund(day(1), "1.00", "m0")), at=day(1)).milestones)

    def test_funding_twice_adds_up(self) -> None:
        """Funding a milestone again adds to its escrow; a new ``due_at`` replaces the old one."""
        first = fund(day(0), "100.00")
        again = type(first)(at=day(1), milestone="m1", amount=usd("50.00"), due_at=day(9))
        state = facts(fixed(first, again), 2)
        (milestone,) = state.milestones
        assert (usd(150), usd(150), day(9), usd(150)) == (
            milestone.funded,
            milestone.escrow,
            milestone.due_at,
            state.deposited,
        )

    def test_funding_without_due_keeps_the_due(self) -> None:
        """Funding again without ``due_at`` keeps the earlier one."""
        first = type(fund(day(0)))(at=day(0), milestone="m1", amount=usd(100), due_at=day(5))
        state = facts(fixed(first, fund(day(1), "1.00")), 2)
        assert day(5) == state.milestones[0].due_at

    def test_partial_release(self) -> None:
        """A release takes its amount out of the milestone's escrow and pays it."""
        state = facts(fixed(fund(day(0)), release(day(1), "200.00")), 2)
        assert ((usd(300), usd(200), usd(0), usd(500)), ["milestone_released"], True) == (
            ledger(state),
            [payment.source for payment in state.payments],
            balanced(state),
        )

    def test_release_beyond_escrow(self) -> None:
        """Releasing more than the milestone holds is refused."""
        problem = "releases 600.00 USD from milestone 'm1', which holds 500.00 USD in escrow"
        assert [("events[1]", problem)] == refused(fund(day(0)), release(day(1), "600.00"))

    def test_payment_after_funds_are_gone(self) -> None:
        """Once a milestone is released, a further release is refused."""
        problem = "releases 1.00 USD from milestone 'm1', which holds 0.00 USD in escrow"
        assert [("events[2]", problem)] == refused(fund(day(0)), release(day(1)), release(day(2), "1.00"))

    def test_return_beyond_escrow(self) -> None:
        """Returning more than the milestone holds is refused."""
        problem = "returns 500.01 USD from milestone 'm1', which holds 500.00 USD in escrow"
        assert [("events[1]", problem)] == refused(fund(day(0)), give_back(day(1), "500.01"))

    def test_return(self) -> None:
        """A return moves escrow back to the client."""
        state = facts(fixed(fund(day(0)), give_back(day(1), "100.00")), 2)
        assert ((usd(400), usd(0), usd(100), usd(500)), True) == (ledger(state), balanced(state))

    def test_release_settles_the_submission(self) -> None:
        """Releasing all of a submitted milestone clears its pending review."""
        state = facts(fixed(fund(day(0)), submit(day(1)), request_changes(day(2)), release(day(3))), 4)
        (milestone,) = state.milestones
        assert (None, False) == (milestone.submitted_at, milestone.changes_requested)

    def test_changes_need_a_submission(self) -> None:
        """Changes can be requested only on submitted work awaiting review."""
        problem = "no submitted work on milestone 'm1' awaits review"
        assert [("events[1]", problem)] == refused(fund(day(0)), request_changes(day(1)))

    def test_changes_twice(self) -> None:
        """A second request for changes on the same submission is refused."""
        problem = "no submitted work on milestone 'm1' awaits review"
        events = (fund(day(0)), submit(day(1)), request_changes(day(2)), request_changes(day(3)))
        assert [("events[3]", problem)] == refused(*events)

    def test_changes_after_resubmission(self) -> None:
        """After a resubmission the client may ask for changes again."""
        events = (fund(day(0)), submit(day(1)), request_changes(day(2)), submit(day(3)), request_changes(day(4)))
        state = facts(fixed(*events), 5)
        assert (day(3), True) == (state.milestones[0].submitted_at, state.milestones[0].changes_requested)


class TestHours:
    """Weekly invoices and disputed hours."""

    def test_billing_pays(self) -> None:
        """A billed week is deposited and paid at once."""
        state = facts(hourly(bill(day(7), week(1), "400.00", "10")), 8)
        (billed,) = state.weeks
        assert ((usd(0), usd(400), usd(0), usd(400)), (week(1), Decimal(10), False)) == (
            ledger(state),
            (billed.week_ending, billed.hours, billed.disputed),
        )

    def test_a_weeks_payments_name_it_as_text(self) -> None:
        """A week's payment, billed and disputed, names the week as ``YYYY-MM-DD``, its Sunday given as any date."""

        class Sunday(date):
            """A date of another class, as a program may give one."""

        ending = Sunday(week(1).year, week(1).month, week(1).day)
        state = facts(hourly(bill(day(7), ending), dispute_hours(day(8), ending)), 9)
        assert [("2026-11-08", "hours_billed"), ("2026-11-08", "hours_disputed")] == [
            (payment.reference, payment.source) for payment in state.payments
        ]
        assert all(type(payment.reference) is str for payment in state.payments)

    def test_week_billed_twice(self) -> None:
        """A week is billed once."""
        problem = "the week ending 2026-11-08 was already billed"
        assert [("events[1]", problem)] == refused_hourly(bill(day(7)), bill(day(8)))

    def test_dispute_unbilled_week(self) -> None:
        """A week that was never billed cannot be disputed."""
        problem = "the week ending 2026-11-15 was never billed"
        assert [("events[1]", problem)] == refused_hourly(bill(day(7)), dispute_hours(day(8), week(2)))

    def test_dispute_week_twice(self) -> None:
        """A week already in dispute cannot be disputed again."""
        problem = "the week ending 2026-11-08 is already in dispute"
        assert [("events[2]", problem)] == refused_hourly(bill(day(7)), dispute_hours(day(8)), dispute_hours(day(9)))

    def test_dispute_of_refunded_money(self) -> None:
        """Disputing a week whose pay was refunded would leave more refunded than paid: refused."""
        problem = "disputing this week would leave more refunded than paid"
        events = (bill(day(7), amount="400.00"), refund(day(8), "100.00"), dispute_hours(day(9)))
        assert [("events[2]", problem)] == refused_hourly(*events)

    def test_disputed_hours_move_paid_to_escrow(self) -> None:
        """``hours_disputed`` moves that week's amount from ``paid`` to ``escrow``."""
        record = hourly(bill(day(7), week(1), "400.00"), bill(day(14), week(2), "300.00"), dispute_hours(day(15)))
        state = facts(record, 16)
        assert ((usd(400), usd(300), usd(0), usd(700)), True, (week(1),), [True, False]) == (
            ledger(state),
            balanced(state),
            state.dispute.weeks if state.dispute else None,
            [billed.disputed for billed in state.weeks],
        )

    def test_second_week_joins_the_dispute(self) -> None:
        """A second disputed week joins the open dispute, opened once by the client."""
        events = (
            bill(day(7), week(1), "400.00"),
            bill(day(14), week(2), "300.00"),
            dispute_hours(day(15), week(1)),
            dispute_hours(day(16), week(2)),
        )
        state = facts(hourly(*events), 17)
        assert ((week(1), week(2)), CLIENT, day(15), [(CLIENT, day(15))], usd(700), usd(0)) == (
            state.dispute.weeks if state.dispute else None,
            state.dispute.opened_by if state.dispute else None,
            state.dispute.opened_at if state.dispute else None,
            list(state.disputes_opened),
            state.escrow,
            state.paid,
        )

    def test_resolution_splits_the_disputed_hours(self) -> None:
        """``dispute_resolved`` splits the disputed pool between the parties."""
        events = (
            bill(day(7), week(1), "400.00"),
            bill(day(14), week(2), "300.00"),
            dispute_hours(day(15), week(1)),
            dispute_hours(day(16), week(2)),
            resolve(day(17), "500.00", "200.00"),
        )
        state = facts(hourly(*events), 18)
        assert ((usd(0), usd(500), usd(200), usd(700)), True, None, [False, False]) == (
            ledger(state),
            balanced(state),
            state.dispute,
            [billed.disputed for billed in state.weeks],
        )

    def test_disputed_week_after_resolution(self) -> None:
        """After a resolution there is nothing in dispute, so a whole-escrow dispute has nothing to hold."""
        events = (bill(day(7)), dispute_hours(day(8)), resolve(day(9), "400.00", "0.00"), open_dispute(day(10)))
        assert [("events[3]", "there is no escrow to dispute")] == refused_hourly(*events)


class TestBonusesAndRefunds:
    """Bonuses deposit and pay; refunds give paid money back."""

    def test_bonus(self) -> None:
        """A bonus is put in by the client and paid to the freelancer."""
        state = facts(fixed(bonus(day(1), "25.00")), 2)
        assert ((usd(0), usd(25), usd(0), usd(25)), ["bonus_paid"]) == (
            ledger(state),
            [payment.source for payment in state.payments],
        )

    def test_refund(self) -> None:
        """A refund counts in ``refunded`` and lowers ``net_paid``."""
        state = facts(fixed(bonus(day(1), "25.00"), refund(day(2), "10.00")), 3)
        assert (usd(10), usd(15), usd(25), [usd(10)]) == (
            state.refunded,
            state.net_paid,
            state.paid,
            [item.amount for item in state.refunds],
        )

    def test_refund_more_than_paid(self) -> None:
        """Refunding more than was paid and not yet refunded is refused."""
        events = (bonus(day(1), "25.00"), refund(day(2), "20.00"), refund(day(3), "10.00"))
        assert [("events[2]", "refunds 10.00 USD, more than the 5.00 USD paid and not yet refunded")] == refused(
            *events
        )

    def test_refund_of_nothing(self) -> None:
        """With nothing paid, any refund is refused."""
        assert [("events[0]", "refunds 50.00 USD, more than the 0.00 USD paid and not yet refunded")] == refused(
            refund(day(1))
        )


class TestDisputes:
    """Opening and resolving disputes over escrow."""

    def test_dispute_already_open(self) -> None:
        """One dispute at a time."""
        events = (fund(day(0)), open_dispute(day(1)), open_dispute(day(2), CLIENT))
        assert [("events[2]", "a dispute is already open")] == refused(*events)

    def test_dispute_without_escrow(self) -> None:
        """A dispute needs escrow to dispute."""
        assert [("events[0]", "there is no escrow to dispute")] == refused(open_dispute(day(1)))

    def test_dispute_of_a_released_milestone(self) -> None:
        """A milestone that holds nothing cannot be disputed."""
        events = (fund(day(0)), fund(day(0), milestone="m2"), release(day(1)), open_dispute(day(2), milestone="m1"))
        assert [("events[3]", "there is no escrow to dispute")] == refused(*events)

    def test_milestone_dispute(self) -> None:
        """A dispute of one milestone names it and does not cover the whole escrow."""
        events = (fund(day(0)), fund(day(0), "100.00", "m2"), open_dispute(day(1), CLIENT, "m2"))
        dispute = facts(fixed(*events), 2).dispute
        assert ("m2", False, CLIENT, day(1)) == (
            dispute.milestone if dispute else None,
            dispute.whole_escrow if dispute else None,
            dispute.opened_by if dispute else None,
            dispute.opened_at if dispute else None,
        )

    def test_resolution_without_dispute(self) -> None:
        """A resolution needs an open dispute."""
        assert [("events[1]", "no dispute is open")] == refused(fund(day(0)), resolve(day(1), "250.00", "250.00"))

    def test_resolution_must_split_the_pool(self) -> None:
        """The shares must add up to exactly what is in dispute."""
        events = (fund(day(0)), open_dispute(day(1)), resolve(day(2), "300.00", "100.00"))
        assert [("events[2]", "splits 400.00 USD, but 500.00 USD is in dispute")] == refused(*events)

    def test_resolution_of_one_milestone(self) -> None:
        """Resolving a milestone dispute splits that milestone's escrow only."""
        events = (
            fund(day(0), "500.00"),
            fund(day(0), "100.00", "m2"),
            open_dispute(day(1), milestone="m1"),
            resolve(day(2), "300.00", "200.00"),
        )
        state = facts(fixed(*events), 3)
        assert ((usd(100), usd(300), usd(200), usd(600)), True, None) == (
            ledger(state),
            balanced(state),
            state.dispute,
        )

    def test_resolution_of_the_whole_escrow(self) -> None:
        """A whole-escrow dispute splits every milestone's escrow; a zero share pays nothing."""
        events = (
            fund(day(0), "500.00"),
            fund(day(0), "100.00", "m2"),
            open_dispute(day(1), CLIENT),
            resolve(day(2), "0.00", "600.00"),
        )
        state = facts(fixed(*events), 3)
        assert ((usd(0), usd(0), usd(600), usd(600)), [], [CLIENT]) == (
            ledger(state),
            list(state.payments),
            [by for by, _ in state.disputes_opened],
        )


class TestPauses:
    """Pausing and resuming."""

    def test_pause_and_resume(self) -> None:
        """Pausing makes the contract paused; resuming makes it active again."""
        record = fixed(pause(day(1)), resume(day(2)))
        assert (ContractStatus.PAUSED, ContractStatus.ACTIVE) == (facts(record, 1).status, facts(record, 2).status)

    def test_pause_twice(self) -> None:
        """A paused contract cannot be paused again."""
        assert [("events[1]", "the contract is already paused")] == refused(pause(day(1)), pause(day(2)))

    def test_resume_without_pause(self) -> None:
        """Only a paused contract can be resumed."""
        assert [("events[0]", "the contract is not paused")] == refused(resume(day(1)))

    def test_end_while_paused(self) -> None:
        """A paused contract can be ended."""
        state = facts(fixed(pause(day(1)), end(day(2), CLIENT, "done")), 3)
        assert (ContractStatus.ENDED, day(2), CLIENT) == (state.status, state.ended_at, state.ended_by)


class TestFeedback:
    """Feedback, responses, edits and removals."""

    def test_end_of_contract_feedback_before_the_end(self) -> None:
        """Public and private feedback come only after the end."""
        problems = refused(feedback(day(1)), feedback(day(1), kind=FeedbackKind.PRIVATE, rating="8"))
        assert [
            ("events[0]", "end-of-contract public feedback cannot come before the contract ends"),
            ("events[1]", "end-of-contract private feedback cannot come before the contract ends"),
        ] == problems

    def test_mid_contract_feedback_while_open(self) -> None:
        """Mid-contract feedback may be left while the contract runs, more than once."""
        mid = FeedbackKind.MID_CONTRACT
        state = facts(fixed(feedback(day(1), kind=mid), feedback(day(2), kind=mid, rating="3")), 3)
        latest = state.feedback_by(CLIENT, mid)
        assert (2, Decimal(3), 1) == (
            len(state.feedback),
            latest.rating if latest else None,
            latest.index if latest else None,
        )

    def test_feedback_after_the_end(self) -> None:
        """Both parties may leave public and private feedback after the end."""
        events = (
            end(day(1)),
            feedback(day(2), CLIENT),
            feedback(day(2), FREELANCER, rating="4"),
            feedback(day(3), CLIENT, FeedbackKind.PRIVATE, "9"),
        )
        state = facts(fixed(*events), 4)
        assert [
            (CLIENT, FeedbackKind.PUBLIC, 1),
            (FREELANCER, FeedbackKind.PUBLIC, 2),
            (CLIENT, FeedbackKind.PRIVATE, 3),
        ] == [(item.by, item.kind, item.index) for item in state.feedback]

    @pytest.mark.parametrize("kind", [FeedbackKind.PUBLIC, FeedbackKind.PRIVATE])
    def test_same_feedback_twice(self, kind: FeedbackKind) -> None:
        """One end-of-contract feedback of each kind per party."""
        problem = f"the client already left {kind} feedback and no edit was enabled"
        assert [("events[2]", problem)] == refused(
            end(day(1)), feedback(day(2), kind=kind), feedback(day(3), kind=kind)
        )

    def test_edit_enabled_allows_a_second_public_feedback(self) -> None:
        """When the recipient enables an edit, the author may leave public feedback again."""
        events = (end(day(1)), feedback(day(2), rating="1"), enable_edit(day(3)), feedback(day(4), rating="4"))
        state = facts(fixed(*events), 5)
        latest = state.feedback_by(CLIENT, FeedbackKind.PUBLIC)
        assert (Decimal(4), [(FREELANCER, day(3))]) == (latest.rating if latest else None, list(state.edits_enabled))

    def test_one_enabled_edit_allows_several_changes(self) -> None:
        """One enabled edit lets the author change public feedback several times (the policy bounds when)."""
        events = (
            end(day(1)),
            feedback(day(2), rating="1"),
            enable_edit(day(3)),
            feedback(day(4), rating="2"),
            feedback(day(5), rating="4"),
        )
        latest = facts(fixed(*events), 6).feedback_by(CLIENT, FeedbackKind.PUBLIC)
        assert Decimal(4) == (latest.rating if latest else None)

    def test_edit_at_the_same_instant_counts(self) -> None:
        """An edit enabled at the instant of the feedback counts for it."""
        events = (end(day(1)), feedback(day(2), rating="1"), enable_edit(day(2)), feedback(day(4), rating="4"))
        assert 2 == len(facts(fixed(*events), 5).feedback)

    def test_edit_does_not_reopen_private_feedback(self) -> None:
        """An enabled edit applies to public feedback only."""
        private = FeedbackKind.PRIVATE
        events = (end(day(1)), feedback(day(2), kind=private), enable_edit(day(3)), feedback(day(4), kind=private))
        assert [("events[3]", "the client already left private feedback and no edit was enabled")] == refused(*events)

    def test_edit_by_the_author_does_not_count(self) -> None:
        """Only the recipient of the feedback can enable its edit."""
        events = (end(day(1)), feedback(day(2)), enable_edit(day(3), CLIENT), feedback(day(4)))
        assert [("events[3]", "the client already left public feedback and no edit was enabled")] == refused(*events)

    def test_edit_before_the_feedback_does_not_count(self) -> None:
        """An edit enabled before the feedback it would apply to does not count."""
        events = (end(day(1)), enable_edit(day(1)), feedback(day(2)), feedback(day(4)))
        assert [("events[3]", "the client already left public feedback and no edit was enabled")] == refused(*events)

    def test_response(self) -> None:
        """A party may respond to the other's public feedback."""
        state = facts(fixed(end(day(1)), feedback(day(2)), respond(day(3))), 4)
        assert [(FREELANCER, day(3))] == list(state.responses)

    def test_response_without_feedback(self) -> None:
        """A response needs public feedback from the other party."""
        events = (end(day(1)), feedback(day(2), kind=FeedbackKind.PRIVATE), respond(day(3)))
        assert [("events[2]", "there is no public feedback from the client to respond to")] == refused(*events)

    def test_response_to_removed_feedback(self) -> None:
        """Removed feedback cannot be responded to."""
        events = (end(day(1)), feedback(day(2)), remove_feedback(day(3)), respond(day(4)))
        assert [("events[3]", "there is no public feedback from the client to respond to")] == refused(*events)

    def test_removal(self) -> None:
        """The marketplace's removal marks all of the author's feedback removed."""
        events = (
            feedback(day(1), kind=FeedbackKind.MID_CONTRACT),
            end(day(2)),
            feedback(day(3)),
            feedback(day(3), FREELANCER),
            remove_feedback(day(4)),
        )
        state = facts(fixed(*events), 5)
        assert ([True, True, False], None) == (
            [item.removed for item in state.feedback],
            state.feedback_by(CLIENT, FeedbackKind.PUBLIC),
        )

    def test_removal_of_nothing(self) -> None:
        """Removing feedback that a party never left, or that is already removed, is refused."""
        events = (end(day(1)), remove_feedback(day(2), FREELANCER), feedback(day(3)), remove_feedback(day(4)))
        problems = refused(*events, remove_feedback(day(5)))
        assert [
            ("events[1]", "the freelancer has no feedback to remove"),
            ("events[4]", "the client has no feedback to remove"),
        ] == problems


class TestMarketplaceActions:
    """Suspensions and reports are recorded as they are."""

    def test_suspension_and_report(self) -> None:
        """Suspensions and reports are kept in the state, in order."""
        state = facts(fixed(report(day(1)), suspend(day(2))), 3)
        assert ([(FREELANCER, day(1))], [(CLIENT, "tos_violation", day(2))]) == (
            list(state.reports),
            [(item.party, item.reason, item.at) for item in state.suspensions],
        )


class TestCollectedRefusals:
    """A record with several bad events reports all of them."""

    def test_fold_goes_on_after_a_refusal(self) -> None:
        """Each refused event is skipped and the later ones are still checked."""
        events = (release(day(1)), pause(day(2)), pause(day(3)), end(day(4)), end(day(5)), fund(day(6)))
        assert [
            ("events[0]", "milestone 'm1' was never funded"),
            ("events[2]", "the contract is already paused"),
            ("events[4]", "the contract has already ended"),
            ("events[5]", "funding a milestone cannot happen after the contract ended"),
        ] == refused(*events)

    def test_refusals_are_invalid_transitions(self) -> None:
        """Each refusal is an InvalidTransition carrying its event's index."""
        with pytest.raises(InvalidRecord) as caught:
            fixed(resume(day(1)), resume(day(2)))
        assert [(InvalidTransition, 0), (InvalidTransition, 1)] == [
            (type(error), getattr(error, "index", None)) for error in caught.value.errors
        ]


class TestAutoRelease:
    """Submitted work releases its escrow 14 days after submission unless changes are requested."""

    def test_releases_after_fourteen_days(self) -> None:
        """The escrow is still held an instant before the 14 days, and paid at 14 days."""
        record = fixed(fund(day(0)), submit(day(1)))
        before = replay(record, at=day(15) - MICRO)
        after = replay(record, at=day(15))
        assert (
            (usd(500), usd(0), day(15)),
            (usd(0), usd(500), None),
            [("AUTO_RELEASE", "m1", usd(500), day(15))],
            [(usd(500), True, day(15))],
            True,
        ) == (
            (before.escrow, before.paid, before.milestones[0].release_due),
            (after.escrow, after.paid, after.milestones[0].release_due),
            [(step.code, step.milestone, step.amount, step.at) for step in after.automatic],
            [(payment.amount, payment.automatic, payment.at) for payment in after.payments],
            balanced(after),
        )

    def test_changes_requested_stop_it(self) -> None:
        """A request for changes stops the automatic release."""
        state = replay(fixed(fund(day(0)), submit(day(1)), request_changes(day(2))), at=day(60))
        assert (usd(500), None, ()) == (state.escrow, state.milestones[0].release_due, state.automatic)

    def test_resubmission_restarts_the_review(self) -> None:
        """Submitting again after a request for changes starts a new 14-day period."""
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)), submit(day(5)))
        assert (day(19), usd(500), usd(0)) == (
            replay(record, at=day(10)).milestones[0].release_due,
            replay(record, at=day(19) - MICRO).escrow,
            replay(record, at=day(19)).escrow,
        )

    def test_resubmission_without_restart(self) -> None:
        """With ``review_restarts_on_resubmission`` off, the first submission's period runs on."""
        rules = ReplayRules(review_restarts_on_resubmission=False)
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)), submit(day(5)))
        assert (day(15), usd(0)) == (
            replay(record, at=day(10), policy=rules).milestones[0].release_due,
            replay(record, at=day(15), policy=rules).escrow,
        )

    def test_second_submission_keeps_the_first_period(self) -> None:
        """Submitting again while the first submission awaits review does not restart the period."""
        record = fixed(fund(day(0)), submit(day(1)), submit(day(3)))
        assert day(15) == replay(record, at=day(5)).milestones[0].release_due

    def test_switched_off(self) -> None:
        """With ``auto_release_after=None`` nothing releases by itself."""
        state = replay(fixed(fund(day(0)), submit(day(1))), at=day(60), policy=ReplayRules(auto_release_after=None))
        assert (usd(500), None) == (state.escrow, state.milestones[0].release_due)

    def test_custom_period(self) -> None:
        """The review period is a parameter."""
        rules = ReplayRules(auto_release_after=timedelta(days=3))
        assert usd(0) == replay(fixed(fund(day(0)), submit(day(1))), at=day(4), policy=rules).escrow

    def test_earliest_first(self) -> None:
        """Several pending milestones release in the order their periods end."""
        record = fixed(
            fund(day(0), "100.00", "m1"),
            fund(day(0), "200.00", "m2"),
            fund(day(0), "300.00", "m3"),
            submit(day(1), "m2"),
            submit(day(2), "m1"),
            submit(day(3), "m3"),
        )
        state = replay(record, at=day(16))
        assert ([("m2", day(15)), ("m1", day(16))], usd(300)) == (
            [(step.milestone, step.at) for step in state.automatic],
            state.escrow,
        )

    def test_release_before_a_later_event(self) -> None:
        """A release that fell due before an event is taken before that event."""
        state = replay(fixed(fund(day(0)), submit(day(1)), bonus(day(20))), at=day(21))
        assert [("milestone_released", day(15)), ("bonus_paid", day(20))] == [
            (payment.source, payment.at) for payment in state.payments
        ]

    def test_not_while_in_dispute(self) -> None:
        """A milestone in dispute does not release by itself."""
        state = replay(fixed(fund(day(0)), submit(day(1)), open_dispute(day(2), CLIENT, "m1")), at=day(60))
        assert (usd(500), None) == (state.escrow, state.milestones[0].release_due)

    def test_partial_release_then_the_rest(self) -> None:
        """After a partial release, the rest of a submitted milestone still releases by itself."""
        state = replay(fixed(fund(day(0)), submit(day(1)), release(day(2), "200.00")), at=day(15))
        assert ((usd(0), usd(500)), [usd(300)]) == (
            (state.escrow, state.paid),
            [step.amount for step in state.automatic],
        )

    def test_not_after_the_end(self) -> None:
        """An ended contract releases nothing by itself; the client's end returns the escrow after 7 days."""
        state = replay(fixed(fund(day(0)), submit(day(1)), end(day(2), CLIENT)), at=day(60))
        assert ((usd(0), usd(0), usd(500), usd(500)), ["ESCROW_RETURNED_AFTER_END"], None) == (
            ledger(state),
            [step.code for step in state.automatic],
            state.milestones[0].release_due,
        )


class TestLoggedAutomaticSteps:
    """A recorded event that repeats an automatic step is its log; one that contradicts it raises."""

    def test_logged_release_moves_no_money_twice(self) -> None:
        """A recorded release of an auto-released milestone pays nothing more."""
        state = replay(fixed(fund(day(0)), submit(day(1)), release(day(16))), at=day(20))
        assert ((usd(0), usd(500), usd(0), usd(500)), 1, 1) == (
            ledger(state),
            len(state.payments),
            len(state.automatic),
        )

    def test_logged_release_in_parts(self) -> None:
        """The log of an automatic release may come in several parts."""
        record = fixed(fund(day(0)), submit(day(1)), release(day(16), "200.00"), release(day(17), "300.00"))
        assert usd(500) == replay(record, at=day(20)).paid

    def test_release_contradicting_the_automatic_one(self) -> None:
        """Releasing more than the automatic release did raises InvalidTransition from replay."""
        record = fixed(fund(day(0)), submit(day(1)), fund(day(20), "300.00"), release(day(21), "800.00"))
        assert usd(500) == replay(record, at=day(20)).paid
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(21))
        assert (
            3,
            (
                "milestone 'm1' was already released automatically (500.00 USD not yet recorded); "
                "a release of 800.00 USD contradicts it"
            ),
        ) == (caught.value.index, caught.value.problem)

    def test_return_after_an_automatic_release(self) -> None:
        """Returning escrow that was already released automatically raises InvalidTransition."""
        record = fixed(fund(day(0)), submit(day(1)), give_back(day(20)))
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(20))
        assert (2, "returns 500.00 USD from milestone 'm1', which holds 0.00 USD in escrow") == (
            caught.value.index,
            caught.value.problem,
        )

    def test_logged_return_moves_no_money_twice(self) -> None:
        """A recorded return of escrow the end already returned returns nothing more."""
        record = fixed(fund(day(0)), end(day(1)), give_back(day(1), "200.00"), give_back(day(2), "300.00"))
        state = replay(record, at=day(3))
        assert ((usd(0), usd(0), usd(500), usd(500)), 1) == (ledger(state), len(state.automatic))

    def test_return_contradicting_the_automatic_one(self) -> None:
        """Returning more than the automatic return did raises InvalidTransition from replay."""
        record = fixed(
            fund(day(0), "500.00"),
            submit(day(1)),
            fund(day(16), "300.00"),
            end(day(17)),
            give_back(day(18), "800.00"),
        )
        assert (usd(500), usd(300)) == (replay(record, at=day(17)).paid, replay(record, at=day(17)).escrow_returned)
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(18))
        assert (
            4,
            (
                "the escrow of milestone 'm1' was already returned automatically (300.00 USD not yet recorded); "
                "a return of 800.00 USD contradicts it"
            ),
        ) == (caught.value.index, caught.value.problem)

    def test_release_after_the_automatic_return(self) -> None:
        """Releasing escrow that the end already returned raises InvalidTransition from replay."""
        record = fixed(fund(day(0)), end(day(1), CLIENT), release(day(9)))
        assert usd(500) == replay(record, at=day(8) - MICRO).escrow
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(9))
        assert "releases 500.00 USD from milestone 'm1', which holds 0.00 USD in escrow" == caught.value.problem


class TestEscrowAfterTheEnd:
    """Escrow returns at once when the freelancer ends a fixed-price contract, 7 days after a client's end."""

    def test_freelancer_end_returns_at_once(self) -> None:
        """At the very instant the freelancer ends, the escrow is back with the client."""
        record = fixed(fund(day(0)), end(day(1), FREELANCER, "unethical request"))
        before = replay(record, at=day(1) - MICRO)
        at_end = replay(record, at=day(1))
        assert (
            (usd(500), usd(0), usd(0), usd(500)),
            (usd(0), usd(0), usd(500), usd(500)),
            [("ESCROW_RETURNED_AFTER_END", "m1", usd(500), day(1))],
            None,
        ) == (
            ledger(before),
            ledger(at_end),
            [(step.code, step.milestone, step.amount, step.at) for step in at_end.automatic],
            at_end.escrow_return_due,
        )

    def test_client_end_returns_after_seven_days(self) -> None:
        """After the client's end the escrow is held 7 days, then returned."""
        record = fixed(fund(day(0)), end(day(1), CLIENT))
        held = replay(record, at=day(8) - MICRO)
        returned = replay(record, at=day(8))
        assert ((usd(500), day(8)), (usd(0), usd(500), None), True) == (
            (held.escrow, held.escrow_return_due),
            (returned.escrow, returned.escrow_returned, returned.escrow_return_due),
            balanced(returned),
        )

    def test_freelancer_dispute_before_then_keeps_the_escrow(self) -> None:
        """A dispute the freelancer opens before the 7 days are up stops the return."""
        state = replay(fixed(fund(day(0)), end(day(1), CLIENT), open_dispute(day(7), FREELANCER)), at=day(30))
        assert (usd(500), usd(0), None, ()) == (
            state.escrow,
            state.escrow_returned,
            state.escrow_return_due,
            state.automatic,
        )

    def test_freelancer_dispute_after_the_return(self) -> None:
        """A dispute opened after the escrow went back finds nothing to dispute."""
        record = fixed(fund(day(0)), end(day(1), CLIENT), open_dispute(day(8), FREELANCER))
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(8))
        assert (2, "there is no escrow to dispute") == (caught.value.index, caught.value.problem)

    def test_client_dispute_keeps_only_the_disputed_milestone(self) -> None:
        """A client's dispute does not stop the return, but the disputed milestone stays in escrow."""
        record = fixed(
            fund(day(0), "500.00", "m1"),
            fund(day(0), "100.00", "m2"),
            end(day(1), CLIENT),
            open_dispute(day(2), CLIENT, "m1"),
        )
        state = replay(record, at=day(8))
        assert ((usd(500), usd(0), usd(100), usd(600)), [("m2", usd(100))]) == (
            ledger(state),
            [(step.milestone, step.amount) for step in state.automatic],
        )

    def test_dispute_opened_before_a_freelancer_end(self) -> None:
        """Escrow already in dispute when the freelancer ends stays in escrow."""
        state = replay(fixed(fund(day(0)), open_dispute(day(1), CLIENT), end(day(2))), at=day(3))
        assert (usd(500), usd(0), ()) == (state.escrow, state.escrow_returned, state.automatic)

    def test_hourly_end_returns_nothing(self) -> None:
        """Hourly contracts hold no milestone escrow, so no return is scheduled."""
        state = replay(hourly(bill(day(7)), end(day(8))), at=day(30))
        assert (None, (), usd(400)) == (state.escrow_return_due, state.automatic, state.paid)

    def test_end_with_nothing_held(self) -> None:
        """Ending with no escrow takes no automatic step."""
        state = replay(fixed(fund(day(0)), release(day(1)), end(day(2), CLIENT)), at=day(30))
        assert ((), usd(500)) == (state.automatic, state.paid)

    def test_switched_off(self) -> None:
        """With the end returns switched off, the escrow stays after either end."""
        rules = ReplayRules(escrow_return_after_freelancer_end=None, escrow_return_after_client_end=None)
        by_freelancer = replay(fixed(fund(day(0)), end(day(1))), at=day(30), policy=rules)
        by_client = replay(fixed(fund(day(0)), end(day(1), CLIENT)), at=day(30), policy=rules)
        assert (usd(500), usd(500), None) == (by_freelancer.escrow, by_client.escrow, by_client.escrow_return_due)

    def test_no_automatic_steps(self) -> None:
        """``NO_AUTOMATIC_STEPS`` switches every step off."""
        assert (None, None, None) == (
            NO_AUTOMATIC_STEPS.auto_release_after,
            NO_AUTOMATIC_STEPS.escrow_return_after_freelancer_end,
            NO_AUTOMATIC_STEPS.escrow_return_after_client_end,
        )

    def test_default_rules(self) -> None:
        """By default: auto-release after 14 days, return at once or after 7 days."""
        rules = ReplayRules()
        assert (timedelta(days=14), True, timedelta(0), timedelta(days=7)) == (
            rules.auto_release_after,
            rules.review_restarts_on_resubmission,
            rules.escrow_return_after_freelancer_end,
            rules.escrow_return_after_client_end,
        )


class TestMotivatingCase:
    """The freelancer ends a funded fixed-price contract at once: escrow goes back, nothing is paid."""

    def test_state(self) -> None:
        """Ended by the freelancer, $0 paid, the $500 back with the client, the identity holds."""
        record = fixed(fund(day(0, minutes=5)), end(day(0, hours=18), FREELANCER, "unethical request"))
        state = replay(record, at=day(2))
        assert (
            ContractStatus.ENDED,
            FREELANCER,
            (usd(0), usd(0), usd(500), usd(500)),
            usd(0),
            True,
        ) == (state.status, state.ended_by, ledger(state), state.net_paid, balanced(state))


class TestReleaseEndsContract:
    """Under ``release_ends_contract``, paying out the last escrow completes the contract (an order)."""

    RULES: ClassVar[ReplayRules] = ReplayRules(release_ends_contract=True)

    def test_recorded_release_completes(self) -> None:
        """Releasing all the escrow ends the contract, by no party, as an automatic step."""
        state = replay(fixed(fund(day(0)), release(day(2))), at=day(3), policy=self.RULES)
        assert (ContractStatus.ENDED, day(2), None, day(2), [("COMPLETED", "m1", usd(0))]) == (
            state.status,
            state.ended_at,
            state.ended_by,
            state.completed_at,
            [(step.code, step.milestone, step.amount) for step in state.automatic],
        )

    def test_auto_release_completes(self) -> None:
        """An automatic release of the last escrow completes the contract too."""
        state = replay(fixed(fund(day(0)), submit(day(1))), at=day(15), policy=self.RULES)
        assert (ContractStatus.ENDED, day(15), ["AUTO_RELEASE", "COMPLETED"]) == (
            state.status,
            state.completed_at,
            [step.code for step in state.automatic],
        )

    def test_escrow_left_does_not_complete(self) -> None:
        """A release that leaves escrow held does not end the contract."""
        record = fixed(fund(day(0)), fund(day(0), "100.00", "m2"), release(day(2)))
        state = replay(record, at=day(3), policy=self.RULES)
        assert (ContractStatus.ACTIVE, None, usd(100)) == (state.status, state.completed_at, state.escrow)

    def test_recorded_end_is_the_log_of_completion(self) -> None:
        """A recorded end after the completion repeats it and is not a second end."""
        record = fixed(fund(day(0)), release(day(2)), end(day(2), CLIENT))
        state = replay(record, at=day(3), policy=self.RULES)
        assert (ContractStatus.ENDED, day(2), None) == (state.status, state.ended_at, state.ended_by)

    def test_not_under_the_default(self) -> None:
        """By default a release never ends the contract."""
        state = replay(fixed(fund(day(0)), release(day(2))), at=day(3))
        assert (ContractStatus.ACTIVE, None) == (state.status, state.completed_at)


class TestSingleSteps:
    """Rules with only one kind of automatic step still take it before the next event."""

    ONLY_RELEASE: ClassVar[ReplayRules] = ReplayRules(
        escrow_return_after_freelancer_end=None, escrow_return_after_client_end=None
    )

    @pytest.mark.parametrize(
        ("rules", "ended_by", "later"),
        [
            (ONLY_RELEASE, None, request_changes(day(30))),
            (ReplayRules(auto_release_after=None, escrow_return_after_client_end=None), FREELANCER, release(day(30))),
            (ReplayRules(auto_release_after=None, escrow_return_after_freelancer_end=None), CLIENT, release(day(30))),
        ],
        ids=["auto-release only", "return after the freelancer ends only", "return after the client ends only"],
    )
    def test_the_step_comes_before_a_later_event(
        self, rules: ReplayRules, ended_by: Party | None, later: Event
    ) -> None:
        """The step settled the milestone before a later event that needs it unsettled: that event is refused."""
        events: list[Event] = [fund(day(0)), submit(day(1))]
        if ended_by is not None:
            events.append(end(day(2), by=ended_by))
        ledger = Ledger(terms(), rules)
        ledger.run([*events, later], None)
        assert 1 == len(ledger.errors)
        assert len(events) == ledger.errors[0].index

    def test_no_release_after_the_end(self) -> None:
        """Once the contract ended, submitted work no longer releases itself, even with no escrow return."""
        record = fixed(fund(day(0)), submit(day(1)), end(day(2), by=CLIENT))
        state = replay(record, at=day(30), policy=self.ONLY_RELEASE)
        assert (usd(500), usd(0)) == (state.escrow, state.paid)

    def test_simultaneous_releases_follow_the_submissions(self) -> None:
        """Releases due at one instant are taken in the order the work was submitted, not by name."""
        record = fixed(fund(day(0), milestone="m1"), fund(day(0), milestone="m2"), submit(day(1), "m2"), submit(day(1)))
        state = replay(record, at=day(20), policy=ReplayRules())
        assert ["m2", "m1"] == [payment.reference for payment in state.payments]


class TestSnapshots:
    """Snapshots reuse the milestone values that did not change."""

    def test_unchanged_milestones_are_reused(self) -> None:
        """A second snapshot shares the milestone values of the first until a milestone changes."""
        record = fixed(fund(day(0)), fund(day(0), milestone="m2"), submit(day(1)))
        ledger = Ledger(record.contract, ReplayRules())
        ledger.run(record.events, day(2))
        first, second = ledger.snapshot(day(2)), ledger.snapshot(day(3))
        assert all(a is b for a, b in zip(first.milestones, second.milestones, strict=True))
        ledger.advance(day(15))  # m1 releases itself on day 15
        third = ledger.snapshot(day(15))
        assert (False, True) == (third.milestones[0] is first.milestones[0], third.milestones[1] is first.milestones[1])
        assert Decimal(0) == third.milestones[0].escrow.amount

    @pytest.mark.parametrize(
        "event", [end(day(3), by=CLIENT), open_dispute(day(3), by=CLIENT)], ids=["client ends", "client disputes"]
    )
    def test_a_change_of_status_or_dispute_rebuilds_every_milestone(self, event: Event) -> None:
        """A milestone's own fields did not change, but its release did: the end or the dispute stopped it."""
        record = fixed(fund(day(0)), fund(day(0), milestone="m2"), submit(day(1)), event)
        ledger = Ledger(record.contract, ReplayRules())
        ledger.run(record.events[:3], day(2))
        assert day(15) == ledger.snapshot(day(2)).milestones[0].release_due
        ledger.apply(3, record.events[3])
        assert [None, None] == [m.release_due for m in ledger.snapshot(day(3)).milestones]

    def test_milestones_funded_between_snapshots_keep_their_order(self) -> None:
        """Milestones first funded since the last snapshot are listed in the order they were funded."""
        names = [f"m{index}" for index in range(20)]
        record = fixed(*(fund(day(0), milestone=name) for name in names))
        ledger = Ledger(record.contract, ReplayRules())
        ledger.run(record.events[:1], day(0))
        assert ["m0"] == [m.id for m in ledger.snapshot(day(0)).milestones]
        for index, item in enumerate(record.events[1:], start=1):
            ledger.apply(index, item)
        assert names == [m.id for m in ledger.snapshot(day(1)).milestones]

    def test_funding_a_submission_under_review_schedules_it(self) -> None:
        """Work submitted on an emptied milestone releases itself once the milestone is funded again."""
        record = fixed(
            fund(day(0), "10.00"),
            release(day(1), "10.00"),
            submit(day(2)),
            fund(day(3), "20.00"),
        )
        assert day(16) == replay(record, at=day(4)).milestones[0].release_due
        assert Decimal("30.00") == replay(record, at=day(16)).paid.amount


def folded(record_terms: ContractTerms, events: Sequence[Event], rules: ReplayRules, *, history: bool) -> Ledger:
    """A ledger that folded *events* (all of them) under *rules*."""
    ledger = Ledger(record_terms, rules, history=history)
    ledger.run(events, None)
    return ledger


def transitions(ledger: Ledger) -> list[tuple[int, str]]:
    """The (index, problem) of every event *ledger* refused."""
    return [(error.index, error.problem) for error in ledger.errors]


class TestCheckingFold:
    """Record validation folds without history: cheaper, and it refuses exactly what a full fold refuses."""

    EVENTS: ClassVar[tuple[Event, ...]] = (
        release(day(1)),
        fund(day(1)),
        fund(day(1), "20.00", milestone="m2"),
        submit(day(2)),
        release(day(3), "600.00"),
        release(day(3), "200.00"),
        bonus(day(3)),
        refund(day(3, hours=1), "300.00"),
        give_back(day(4), "100.00"),
        open_dispute(day(4), by=CLIENT),
        resolve(day(5), "200.00", "20.00"),
        end(day(6), by=CLIENT),
        end(day(7)),
        fund(day(7)),
        feedback(day(8), by=CLIENT),
        feedback(day(8), by=CLIENT),
        respond(day(9)),
        remove_feedback(day(9), author=FREELANCER),
        report(day(2)),
    )

    @pytest.mark.parametrize("history", [True, False], ids=["full", "checking"])
    def test_refusals_are_the_same(self, *, history: bool) -> None:
        """The same events are refused with the same reasons, with or without history."""
        ledger = folded(terms(), self.EVENTS, NO_AUTOMATIC_STEPS, history=history)
        assert [
            (0, "milestone 'm1' was never funded"),
            (4, "releases 600.00 USD from milestone 'm1', which holds 500.00 USD in escrow"),
            (7, "refunds 300.00 USD, more than the 250.00 USD paid and not yet refunded"),
            (12, "the contract has already ended"),
            (13, "funding a milestone cannot happen after the contract ended"),
            (15, "the client already left public feedback and no edit was enabled"),
            (17, "the freelancer has no feedback to remove"),
            (18, "is earlier than the event before it"),
        ] == transitions(ledger)

    def test_keeps_only_what_the_checks_read(self) -> None:
        """Without history no payment, deposit, return or funding is logged; the money the checks read is."""
        ledger = folded(terms(), self.EVENTS[1:9], NO_AUTOMATIC_STEPS, history=False)
        zero = usd(0).amount  # the ledger folds plain amounts of the contract's currency
        assert ([], zero, zero, [zero, zero]) == (
            ledger.payments,
            ledger.deposited,
            ledger.returned,
            [milestone.funded for milestone in ledger.milestones.values()],
        )
        assert (usd("250.00").amount, usd("220.00")) == (ledger.paid, ledger.escrow)

    def test_time_follows_the_events_when_no_step_can_fall_due(self) -> None:
        """With no timed step, the ledger's clock is the latest event's instant; completion happens then."""
        rules = ReplayRules(
            auto_release_after=None,
            escrow_return_after_freelancer_end=None,
            escrow_return_after_client_end=None,
            release_ends_contract=True,
        )
        events = (fund(day(0)), submit(day(1)), submit(day(1)), release(day(2)), bonus(day(2)))
        for history in (True, False):
            ledger = folded(terms(), events, rules, history=history)
            assert (day(2), ContractStatus.ENDED, day(2), []) == (
                ledger.time,
                ledger.status,
                ledger.completed_at,
                transitions(ledger),
            )


# A function, not a method: mutmut runs the tests several times in one process, each time on a
# new instance of the class, which Hypothesis refuses for a method (its differing_executors check).
@given(records(), st.data())
def test_a_checking_fold_refuses_what_a_full_fold_refuses(record: ContractRecord, data: st.DataObject) -> None:
    """History changes what is kept, never what is refused: "Refusals are the same either way"."""
    events = list(record.events)
    for position in data.draw(st.lists(st.integers(0, max(len(events) - 1, 0)), max_size=3)):
        if events:  # move, copy or drop an event to make the record wrong
            moved = events.pop(position % len(events))
            action = data.draw(st.sampled_from(["move", "copy", "drop"]))
            if action != "drop":
                events.insert(data.draw(st.integers(0, len(events))), moved)
            if action == "copy":
                events.append(moved)
    kind = data.draw(st.sampled_from(ContractKind))  # the other kind refuses many events
    contract = attrs.evolve(record.contract, kind=kind)
    rules = data.draw(st.sampled_from([NO_AUTOMATIC_STEPS, ReplayRules(), ReplayRules(release_ends_contract=True)]))
    full = folded(contract, events, rules, history=True)
    checking = folded(contract, events, rules, history=False)
    assert (transitions(full), full.time) == (transitions(checking), checking.time)


class TestCopy:
    """``Ledger.copy`` copies the slots that hold containers and shares the others, by a fixed list."""

    @given(records())
    def test_the_copied_slots_are_the_containers(self, record: ContractRecord) -> None:
        """After folding any record, a slot holds a list, set or dict exactly when it is one of ``COPIED``.

        The copy relies on it: a container it shared would be changed by both ledgers.
        """
        last = record.events[-1].at if record.events else record.contract.started_at
        ledger = fold(record.contract, get_policy("upwork").replay_rules, record.events, last)
        holding = {name for name in Ledger.__slots__ if isinstance(getattr(ledger, name), list | set | dict)}
        assert COPIED == holding

    def test_a_copy_folds_on_alone(self) -> None:
        """Folding on from a copy changes none of the original's containers."""
        record = fixed(fund(day(0)), submit(day(1)))
        ledger = fold(record.contract, get_policy("upwork").replay_rules, record.events, day(1))
        twin = ledger.copy()
        before = {name: getattr(ledger, name).copy() for name in COPIED}
        twin.run([release(day(2))], day(3), start=len(record.events))
        assert before == {name: getattr(ledger, name) for name in COPIED}
        assert twin.payments != ledger.payments
