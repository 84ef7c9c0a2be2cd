"""Issue 14: bounded work per record. The shapes of ``benchmarks/hostile.py``, checked for their results.

The benchmark measures time and memory; these tests check what the bounds must not change: the
answers on records at the edges of the limits, the problems of texts past them, and that the
shortcuts (a shared prefix of folds, the refund matching carried from state to state, the
feedback index) answer as the plain computation does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
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
    release,
    remove_feedback,
    submit,
    terms,
)

import gigpolicy
from gigpolicy import (
    Context,
    ContractRecord,
    FeedbackKind,
    FlatFee,
    InvalidRecord,
    InvalidRecordGroup,
    MoreProblems,
    Policy,
    Question,
    Verdict,
    evaluate,
    get_policy,
    loads,
    options,
    replay,
)
from gigpolicy import _fees as fees
from gigpolicy._codec import MAX_ITEMS, _items
from gigpolicy._fees import earnings
from gigpolicy._ledger import Ledger, fold, shared_prefix
from gigpolicy._state import NO_AUTOMATIC_STEPS, _FeedbackIndex
from gigpolicy.errors import MAX_PROBLEMS, capped
from gigpolicy.policies import upwork
from gigpolicy.testing import records

UPWORK: Final = get_policy("upwork")
_RULES: Final = (*dict.fromkeys(version.replay_rules for version in upwork.VERSIONS), NO_AUTOMATIC_STEPS)
CONTRACT: Final = {
    "id": "c",
    "kind": "fixed_price",
    "currency": "USD",
    "client": "cl",
    "freelancer": "fl",
    "started_at": "2026-01-01T00:00:00Z",
}


def _text(contract: Mapping[str, object], events: str = "") -> str:
    return f'{{"format": "gigpolicy/1", "contract": {json.dumps(contract)}, "events": [{events}]}}'


class TestProblemsAreCapped:
    """The problems of one input are kept up to MAX_PROBLEMS, and the rest counted."""

    def test_a_group_keeps_the_first_problems_and_counts_the_rest(self) -> None:
        """Past MAX_PROBLEMS, one MoreProblems counts the rest, and the group's count is the total."""
        group = InvalidRecordGroup([InvalidRecord(f"k{n}", "bad") for n in range(MAX_PROBLEMS + 5)])
        *kept, last = group.errors
        assert (len(kept), [e.path for e in kept[:2]], last.count) == (MAX_PROBLEMS, ["k0", "k1"], 5)  # type: ignore[attr-defined]
        assert str(group).splitlines()[0] == f"{MAX_PROBLEMS + 5:,} problems:"
        assert str(group).splitlines()[-1] == "  and 5 more problems, not listed"

    def test_counts_of_nested_groups_add_up(self) -> None:
        """A MoreProblems inside a group joins the group's own count; placing it under a path keeps it."""
        inner = InvalidRecordGroup(capped(InvalidRecord("x", "bad") for _ in range(MAX_PROBLEMS + 3)))
        outer = InvalidRecordGroup([InvalidRecord("first", "bad"), inner.at("contract")])
        last = outer.errors[-1]
        assert isinstance(last, MoreProblems)
        assert (len(outer.errors), last.count, last.at("events[0]") is last) == (MAX_PROBLEMS + 1, 4, True)

    def test_capped_keeps_a_short_list_as_it_is(self) -> None:
        problems = [InvalidRecord("a", "bad"), InvalidRecord("b", "bad")]
        assert capped(iter(problems)) == problems

    def test_unknown_keys_past_the_cap_are_counted(self) -> None:
        """A record with thousands of unknown keys reports the first ones by name and counts the rest."""
        keys = {f"x{n}": 0 for n in range(MAX_PROBLEMS + 2_000)}
        with pytest.raises(InvalidRecordGroup) as caught:
            loads(_text({**CONTRACT, **keys}))
        paths = [e.path for e in caught.value.errors]
        assert paths[:2] == ["contract.x0", "contract.x1"]
        assert caught.value.errors[-1].problem == "and 2,000 more problems, not listed"

    def test_unknown_top_level_keys_past_the_cap_are_counted(self) -> None:
        data = json.loads(_text(CONTRACT))
        data.update({f"y{n}": 0 for n in range(MAX_PROBLEMS + 1)})
        with pytest.raises(InvalidRecordGroup) as caught:
            loads(json.dumps(data))
        assert caught.value.errors[-1].problem == "and 1 more problems, not listed"


class TestTooManyValues:
    """A text with more JSON values than any valid record is refused before it is parsed."""

    def test_a_text_of_tiny_values_is_refused_before_it_is_parsed(self) -> None:
        """``[[],[],...]`` within the size limit would cost gigabytes parsed: it is refused by its count."""
        with pytest.raises(InvalidRecord, match=f"more than {MAX_ITEMS:,} JSON values"):
            loads(_text(CONTRACT, ",".join(["[]"] * (MAX_ITEMS + 1))))

    def test_many_strings_are_counted_without_looking_inside_them(self) -> None:
        """Unknown keys by the million: the quotes alone show more strings than a valid record holds."""
        keys = ",".join(f'"k{n}":0' for n in range(MAX_ITEMS + 1))
        with pytest.raises(InvalidRecord, match="JSON values"):
            loads(_text({**CONTRACT, "id": "c"}).replace('"id": "c"', f'"id": "c", {keys}'))

    def test_commas_inside_strings_do_not_count(self) -> None:
        """A valid record whose comments hold more commas than the limit is read as any other."""
        assert _items('{"a": "' + "[{," * MAX_ITEMS + '\\",' + '", "b": [1, 2]}') == 4
        comment = "," * 10_000
        left = {"type": "feedback_left", "by": "client", "kind": "mid_contract", "rating": "5", "comment": comment}
        count = MAX_ITEMS // 10_000 + 1
        instants = [(datetime(2026, 2, 1, tzinfo=UTC) + timedelta(days=n)).isoformat() for n in range(count)]
        events = ",".join(json.dumps({**left, "at": at}) for at in instants)
        text = _text(CONTRACT, events)
        assert text.count(",") > MAX_ITEMS
        record = loads(text)
        assert [event.comment for event in record.events] == [comment] * count  # type: ignore[attr-defined]


class _ManyBoundaries(Policy):
    """A rule whose answer changes at the last of many boundaries it names at once."""

    def decide(self, question: Question, context: Context) -> Verdict:
        verdict = super().decide(question, context)
        if question is not Question.END_CONTRACT:
            return verdict
        last = context.state.started_at + timedelta(days=2_000)
        steps = tuple(context.state.started_at + timedelta(days=n) for n in range(1, 2_001))
        return attrs.evolve(verdict, answer=context.at < last, boundaries=tuple(s for s in steps if s > context.at))


def test_until_walks_any_number_of_boundaries_a_rule_gives_at_once() -> None:
    """More boundaries than MAX_STEPS, all given by the first answer: `until` finds the change."""
    policy = attrs.frozen(kw_only=True)(_ManyBoundaries)(name="many", effective_from=date(2020, 1, 1))
    record = fixed(fund(day(1)))
    decision = evaluate(record, at=day(2), policy=policy).decision(Question.END_CONTRACT, CLIENT)
    assert decision.until == record.contract.started_at + timedelta(days=2_000)


def test_a_thousand_weeks_in_review_have_one_deadline() -> None:
    """1,001 billed weeks ahead of the instant: the hourly dispute answer changes only at the last one."""
    sunday = date(2026, 1, 4)
    events = ",".join(
        json.dumps(
            {
                "type": "hours_billed",
                "at": f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
                "week_ending": (sunday + timedelta(weeks=n)).isoformat(),
                "hours": "1",
                "amount": "10.00",
            }
        )
        for n in range(1_001)
    )
    record = loads(_text({**CONTRACT, "kind": "hourly", "hourly_rate": "10.00"}, events))
    decision = evaluate(record, at=datetime(2026, 1, 2, tzinfo=UTC)).decision(Question.OPEN_DISPUTE, CLIENT)
    last = sunday + timedelta(weeks=1_000, days=UPWORK.hourly_dispute_days)  # type: ignore[attr-defined]
    assert (decision.answer, decision.until) == (True, datetime(last.year, last.month, last.day, tzinfo=UTC))


class TestSharedPrefix:
    """The futures of ``options`` fold the record they share once."""

    @settings(max_examples=30)
    @given(records(max_events=12))
    def test_a_fold_from_the_shared_prefix_is_the_plain_fold(self, record: ContractRecord) -> None:
        """Rule: a record that extends the shared events folds to the same state from the prefix's copy."""
        if not record.events:
            return
        half = record.events[: len(record.events) // 2 + 1]
        at = record.events[-1].at + timedelta(days=40)
        rules = UPWORK.replay_rules
        plain = Ledger(record.contract, rules)
        plain.run(record.events, at)
        with shared_prefix(record.contract, half):
            shared = fold(record.contract, rules, record.events, at)
            again = fold(record.contract, rules, record.events, at)  # from the same prefix, untouched
        assert [str(e) for e in shared.errors] == [str(e) for e in plain.errors] == [str(e) for e in again.errors]
        if not plain.errors:
            assert shared.snapshot(at) == plain.snapshot(at) == again.snapshot(at)

    def test_records_that_do_not_extend_the_prefix_fold_alone(self) -> None:
        record = fixed(fund(day(1)), submit(day(2)))
        other = fixed(fund(day(1), milestone="m2"))
        with shared_prefix(record.contract, record.events):
            before = fold(record.contract, NO_AUTOMATIC_STEPS, record.events, day(1), history=True)
            unrelated = fold(other.contract, NO_AUTOMATIC_STEPS, other.events, None)
        assert (before.index, list(unrelated.milestones)) == (1, ["m2"])

    @settings(max_examples=30)
    @given(records(max_events=12), st.data())
    def test_folds_under_several_rules_stay_apart(self, record: ContractRecord, data: st.DataObject) -> None:
        """Rule: every fold from the shared prefix is the plain fold, and moving one on changes no other.

        Whatever rules and histories are asked for, in any order: the ledgers share milestones and
        payments until they change them.
        """
        if not record.events:
            return
        half = record.events[: len(record.events) // 2 + 1]
        at = data.draw(st.sampled_from([record.events[-1].at, half[-1].at, record.events[-1].at + timedelta(days=100)]))
        asks = data.draw(st.lists(st.tuples(st.sampled_from(_RULES), st.booleans()), min_size=2, max_size=5))
        with shared_prefix(record.contract, half):
            folds = [
                (rules, history, fold(record.contract, rules, record.events, at, history=history))
                for rules, history in asks
            ]
            kept = [ledger.snapshot(at) for _, history, ledger in folds if history]
            for _, _, ledger in folds:
                ledger.advance(at + timedelta(days=400))  # every automatic step there is, in each alone
        for rules, history, ledger in folds:
            plain = Ledger(record.contract, rules, history=history)
            plain.run(record.events, at)
            assert [str(e) for e in ledger.errors] == [str(e) for e in plain.errors]
            plain.advance(at + timedelta(days=400))
            if history:
                assert plain.snapshot(at + timedelta(days=400)) == ledger.snapshot(at + timedelta(days=400))
        again = [fold(record.contract, rules, record.events, at).snapshot(at) for rules, history, _ in folds if history]
        assert kept == again

    def test_rules_that_keep_other_feedback_keep_their_own(self) -> None:
        """A dormancy closure lets a review in that a policy without automatic steps refuses."""
        events, contract = (fund(day(1)), feedback(day(200))), terms()
        with shared_prefix(contract, events):
            manual = fold(contract, NO_AUTOMATIC_STEPS, events, None)
            dormant = fold(contract, UPWORK.replay_rules, events, None)
        assert (len(manual.feedback), len(dormant.feedback), len(manual.errors)) == (0, 1, 1)
        assert dormant.snapshot(day(201)).feedback == (dormant.feedback[0],)

    def test_rules_that_pay_otherwise_keep_their_own_payments(self) -> None:
        """An automatic release pays under Upwork's rules, not under rules without automatic steps."""
        events, contract = (fund(day(1)), submit(day(2)), bonus(day(30))), terms()
        with shared_prefix(contract, events):
            manual = fold(contract, NO_AUTOMATIC_STEPS, events, None)
            automatic = fold(contract, UPWORK.replay_rules, events, None)
        assert [p.source for p in manual.payments] == ["bonus_paid"]
        assert [p.source for p in automatic.payments] == ["milestone_released", "bonus_paid"]

    def test_options_are_the_same_with_and_without_the_prefix(self) -> None:
        """The motivating case's options, computed by the planner, equal those of fresh evaluations."""
        record = fixed(fund(day(1)), submit(day(2)), fund(day(3), milestone="m2"))
        found = options(record, at=day(4), party=FREELANCER)
        for option in found:
            assert option.worst_case == evaluate(option.worst_record, at=option.worst_case.at)


def test_milestones_in_the_same_state_are_simulated_once() -> None:
    """Seven funded milestones alike: one submit option, naming five others and counting the last."""
    names = [f"m{n}" for n in range(7)]
    record = fixed(*(fund(day(1, minutes=n), amount="10.00", milestone=name) for n, name in enumerate(names)))
    submits = [o for o in options(record, at=day(2), party=FREELANCER) if o.action == "submit_work"]
    assert len(submits) == 1
    others = "the other 6 milestones in the same state (m1, m2, m3, m4, m5 and 1 more)"
    assert submits[0].summary.endswith(f"Submitting {others} leads to the same outcomes.")
    two = fixed(fund(day(1), amount="10.00", milestone="a"), fund(day(1), amount="10.00", milestone="b"))
    [alone] = [o for o in options(two, at=day(2), party=FREELANCER) if o.action == "submit_work"]
    assert alone.summary.endswith("Submitting the other milestone in the same state (b) leads to the same outcomes.")


class TestCarriedFromStateToState:
    """What the rules compute of a state and carry to the next is what a fresh computation gives."""

    @settings(max_examples=40)
    @given(records(max_events=14, marketplaces=("upwork",)))
    def test_refundable_is_the_matching_made_afresh(self, record: ContractRecord) -> None:
        """Rule: what may be refunded, state after state, is what a matching made from scratch gives."""
        policy = UPWORK
        ends = [record.events[-1].at if record.events else record.contract.started_at]
        for days in (0, 1, 10, 200):
            at = ends[0] + timedelta(days=days)
            state = replay(record, at=at, policy=policy)
            carried = policy.refundable(state)
            fresh = upwork._Unrefunded(state.payments, state.refunds)
            window: timedelta = policy.refund_window  # type: ignore[attr-defined]
            expected = min(fresh.left_since(at - window), state.net_paid.amount)
            assert carried.amount == expected

    def test_a_new_refund_or_a_reversal_matches_again(self) -> None:
        """The carried matching is dropped when the refunds change or a payment moves money back."""
        paid = fixed(fund(day(1)), release(day(2)))
        first = replay(paid, at=day(3), policy=UPWORK)
        matching = upwork._Unrefunded(first.payments, first.refunds)
        refunded = gigpolicy.RefundIssued(at=day(4), amount=gigpolicy.Money.of("50.00", "USD"))
        later = replay(attrs.evolve(paid, events=(*paid.events, refunded)), at=day(5), policy=UPWORK)
        assert not matching.extended(later.payments, later.refunds)
        reversal = attrs.evolve(first.payments[0], amount=-first.payments[0].amount, at=day(6))
        assert not matching.extended((*first.payments, reversal), first.refunds)
        matching = upwork._Unrefunded(later.payments, later.refunds)
        same_instant = attrs.evolve(first.payments[0], at=day(4))
        assert not matching.extended((*later.payments, same_instant), later.refunds)
        assert matching.extended(later.payments, later.refunds)

    def test_feedback_questions_follow_removals(self) -> None:
        """The feedback index of a state is rebuilt when feedback is removed (the tuple's length stays)."""
        record = fixed(fund(day(1)), release(day(2)), end(day(3)), feedback(day(4)), remove_feedback(day(5)))
        before = replay(record, at=day(4, hours=12), policy=UPWORK)
        after = replay(record, at=day(6), policy=UPWORK)
        assert before.feedback_by(CLIENT, FeedbackKind.PUBLIC) is not None
        assert after.feedback_by(CLIENT, FeedbackKind.PUBLIC) is None
        assert after.first_feedback(CLIENT) is not None
        assert after.last_feedback(CLIENT) == after.first_feedback(CLIENT, FeedbackKind.PUBLIC)
        assert (after.has_responded(FREELANCER), after.first_feedback(FREELANCER)) == (False, None)
        assert Decimal(5) == after.first_feedback(CLIENT).rating  # type: ignore[union-attr]


class TestChargesCarried:
    """The fees of a state's payments, carried on from a recent state, are those charged afresh."""

    def test_a_new_schedule_for_the_new_payments_is_one_of_those_used(self) -> None:
        """Payments added under another schedule: their fees are that schedule's, and it is among those used."""
        low, high = FlatFee(rate=Decimal("0.05")), FlatFee(rate=Decimal("0.20"))
        record = fixed(fund(day(1)), release(day(2), amount="100.00"), release(day(3), amount="100.00"))
        first = replay(attrs.evolve(record, events=record.events[:2]), at=day(2, hours=1), policy=UPWORK)
        both = replay(record, at=day(4), policy=UPWORK)

        def schedule(payment: gigpolicy.Payment) -> FlatFee:
            return low if payment.at < day(3) else high

        key = (object(),)
        fees._charges_forgotten()
        earnings(first, record.contract, schedule, None, key=key)
        carried = earnings(both, record.contract, schedule, None, key=key)
        fees._charges_forgotten()
        fresh = earnings(both, record.contract, schedule, None, key=key)
        assert carried == fresh
        assert carried.service_fee == gigpolicy.Money.of("25.00", "USD")

    @settings(max_examples=30)
    @given(records(max_events=14, marketplaces=("upwork",)))
    def test_evaluating_later_instants_in_a_row_matches_evaluating_each_alone(self, record: ContractRecord) -> None:
        """Rule: a report's earnings do not depend on which reports were made before it."""
        end_at = record.events[-1].at if record.events else record.contract.started_at
        instants = [end_at + timedelta(days=days) for days in (0, 2, 9, 40)]
        in_a_row = [evaluate(record, at=at).earnings for at in instants]
        alone = []
        for at in instants:
            fees._charges_forgotten()
            alone.append(evaluate(record, at=at).earnings)
        assert in_a_row == alone


@settings(max_examples=40)
@given(records(max_events=16, marketplaces=("upwork",)))
def test_a_feedback_index_carried_on_is_the_index_made_afresh(record: ContractRecord) -> None:
    """Rule: indexing feedback from the index of its first items gives what indexing all of it gives."""
    end_at = record.events[-1].at if record.events else record.contract.started_at
    feedback = replay(record, at=end_at, policy=UPWORK).feedback
    fresh = _FeedbackIndex(feedback)
    for count in range(len(feedback)):
        start = _FeedbackIndex(feedback[:count])
        assert start.starts(feedback)
        carried = _FeedbackIndex(feedback, start)
        assert (carried.standing, carried.first, carried.last, carried.client) == (
            fresh.standing,
            fresh.first,
            fresh.last,
            fresh.client,
        )
    assert not fresh.starts(feedback)
