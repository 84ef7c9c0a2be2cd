"""Properties of decisions and earnings over generated records and instants."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gigpolicy import (
    ContractRecord,
    FeedbackKind,
    Policy,
    Question,
    Report,
    dumps,
    evaluate,
    get_policy,
)
from gigpolicy.policies.upwork import VERSIONS, UpworkPolicy
from gigpolicy.testing import records

V2016, _, _, _, V2023_12, V2025_05 = VERSIONS

#: Policies evaluation is asked to apply: by name (versions follow time), pinned, or as objects.
POLICIES = st.sampled_from([None, "upwork", "upwork@2020-03-01", V2016, V2023_12])

#: How long after a record's last event to judge it: mostly near its windows, sometimes years later.
AFTER = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900)),
)


def last_instant(record: ContractRecord) -> datetime:
    """The instant of the record's last event, or its start."""
    return record.events[-1].at if record.events else record.contract.started_at


@st.composite
def judged(
    draw: st.DrawFn, max_events: int = 12, policies: st.SearchStrategy[Policy | str | None] = POLICIES
) -> tuple[ContractRecord, datetime, Policy | str | None]:
    """A record, an instant at or after its last event, and a policy to judge it by (one of *policies*).

    The record is drawn for the automatic steps of the policy that judges it: a pinned version's
    own, or the latest version's for a policy that follows time. (Drawn for the latest, a record
    may log a dormancy closure with a ``contract_ended`` and release escrow after it, which an
    earlier version, taking that end as the party's own, returned to the client at once.)
    """
    policy = draw(policies)
    pinned = (
        policy if isinstance(policy, Policy) else get_policy(policy) if policy is not None and "@" in policy else None
    )
    record = draw(records(max_events=max_events, rules=None if pinned is None else pinned.replay_rules))
    return record, last_instant(record) + draw(AFTER), policy


def applied(report: Report) -> UpworkPolicy:
    """The Upwork version a report applied."""
    assert isinstance(report.policy, UpworkPolicy)
    return report.policy


@given(judged(), st.data())
def test_until_is_where_the_answer_changes(
    case: tuple[ContractRecord, datetime, Policy | str | None], data: st.DataObject
) -> None:
    """SPEC: "`until` is the first instant after `at` at which the answer would be different if no event were added".

    Any instant in ``[at, until)`` gives the same answer, and ``until`` gives the other one.
    """
    record, at, policy = case
    for decision in evaluate(record, at=at, policy=policy).decisions:
        if decision.until is None:
            continue
        assert decision.until > at
        question = [decision.question]
        changed = evaluate(record, at=decision.until, policy=policy, questions=question)
        assert decision.answer != changed.decision(decision.question, decision.party).answer
        span = (decision.until - at) // timedelta(microseconds=1)
        for offset in data.draw(st.lists(st.integers(0, span - 1), min_size=1, max_size=2), label="offsets"):
            between = at + timedelta(microseconds=offset)
            same = evaluate(record, at=between, policy=policy, questions=question)
            assert decision.answer == same.decision(decision.question, decision.party).answer


@given(judged())
def test_settled_answers_stay(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: `until` is "`None` if that never happens": a settled answer is the same years later."""
    record, at, policy = case
    report = evaluate(record, at=at, policy=policy)
    later = evaluate(record, at=at + timedelta(days=365 * 30), policy=policy)
    for decision in report.decisions:
        if decision.until is None:
            assert decision.answer == later.decision(decision.question, decision.party).answer


@given(judged())
def test_every_decision_has_reasons(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: "`reasons: tuple[Reason, ...]`, never empty"; Upwork's rules each cite an https source."""
    record, at, policy = case
    for decision in evaluate(record, at=at, policy=policy).decisions:
        assert decision.reasons
        for reason in decision.reasons:
            assert reason.code
            assert reason.message
            assert reason.source is not None
            assert reason.source.startswith("https://")


@given(judged())
def test_nothing_shown_below_one_dollar(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: "public feedback and the work-history entry are shown only when net paid is at least $1.00"."""
    record, at, policy = case
    report = evaluate(record, at=at, policy=policy)
    if report.state.net_paid.amount < Decimal("1.00"):
        assert not report.decision(Question.WORK_HISTORY, "freelancer").answer
        assert not report.decision(Question.FEEDBACK_PUBLISHED, "client").answer
        assert not report.decision(Question.FEEDBACK_PUBLISHED, "freelancer").answer
    else:
        assert report.decision(Question.WORK_HISTORY, "freelancer").answer


@given(judged(max_events=20))
def test_double_blind(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: "a party's feedback is published when both have left theirs, or when the window closes"."""
    record, at, policy = case
    report = evaluate(record, at=at, policy=policy)
    state = report.state
    for decision in report.decisions:
        if decision.question is Question.FEEDBACK_PUBLISHED and decision.answer:
            assert state.ended_at is not None
            other_left = any(f.by is decision.party.other and f.kind is FeedbackKind.PUBLIC for f in state.feedback)
            assert other_left or at >= applied(report).feedback_closes(state.ended_at)
            assert state.feedback_by(decision.party, FeedbackKind.PUBLIC) is not None


@given(judged())
def test_deterministic_and_pure(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """Nothing reads the clock and nothing mutates its input: two runs are equal, the record unchanged."""
    record, at, policy = case
    before = copy.deepcopy(record)
    text = dumps(record)
    first = evaluate(record, at=at, policy=policy)
    second = evaluate(record, at=at, policy=policy)
    assert first == second
    assert before == record
    assert text == dumps(record)


@given(judged(max_events=25))
def test_fees_within_what_was_paid(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: "`gross` is `net_paid`", the fee is charged on payments and returned with refunds: 0 <= fee <= gross."""
    record, at, policy = case
    report = evaluate(record, at=at, policy=policy, questions=())
    earnings = report.earnings
    assert report.state.net_paid == earnings.gross
    assert earnings.gross - earnings.service_fee == earnings.net
    assert earnings.service_fee.amount >= 0
    assert earnings.net.amount >= 0


@given(judged(policies=st.sampled_from([None, "upwork"])))
def test_named_policy_is_the_version_in_force(case: tuple[ContractRecord, datetime, Policy | str | None]) -> None:
    """SPEC: "a name resolves to the version in force at `at`".

    The record is drawn for a policy that follows time, as the one judging it: one drawn for a
    pinned version may break a later version's rules (a submission at the instant a 2025
    version closes the contract as dormant, which the 2020 version never does).
    """
    record, at, _ = case
    assert get_policy("upwork", on=at) is evaluate(record, at=at, questions=()).policy
