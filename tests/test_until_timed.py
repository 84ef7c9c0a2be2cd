"""``until`` from a built-in rule's judge equals ``until`` found by asking the rule at every boundary.

The built-in policies' rules read time only through their judges' conditions
(``window``, ``before``, ``since``), so evaluation takes each decision's ``until`` from what the
judge knows instead of asking the rule again at each boundary (the reference path, which every
user-written rule keeps). These tests judge the same records both ways and compare every decision.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import golden_outputs as golden
from tests.records import day, fixed, fund, submit
from tests.test_batch import raising_for, rules_replaced
from tests.test_evaluate import Restless

from gigpolicy import ContractKind, ContractRecord, GigPolicyError, Party, evaluate, get_policy, loads, replay
from gigpolicy import _decision as decision_module
from gigpolicy._decision import (
    APPLIES_TO,
    EVERY_QUESTION,
    MEMOS,
    SETTLED_BY,
    Decision,
    Question,
    Reason,
    Settled,
    Verdict,
    settled_decision,
)
from gigpolicy._evaluate import Decided, Replayed, decided_from, decided_together, replayed
from gigpolicy._judge import UNKNOWN, Judge, changes_at, settled, step_ahead, verdict_no, verdict_yes
from gigpolicy._policy import (
    RULES,
    TIMED_POLICIES,
    Context,
    Policy,
    add_rules,
    clock_of,
    policy_versions,
    resolve_policy,
)
from gigpolicy._trusted import BoundedCache
from gigpolicy.policies.fiverr import FiverrPolicy
from gigpolicy.policies.upwork import UpworkPolicy
from gigpolicy.testing import instants, records

MARKETPLACES: Final = ("upwork", "fiverr", "freelancer")
T0: Final = datetime(2026, 11, 3, 9, tzinfo=UTC)


@contextmanager
def rules_asked_at_every_boundary() -> Iterator[None]:
    """Evaluation as it is for user-written rules: no ``until`` taken from a judge."""
    kept = set(TIMED_POLICIES)
    TIMED_POLICIES.clear()
    try:
        yield
    finally:
        TIMED_POLICIES.update(kept)


def outcome(record: ContractRecord, at: datetime, policy: str) -> tuple[Decision, ...] | str:
    """The decisions, or the error (a record drawn for one marketplace's steps may contradict another's)."""
    try:
        return evaluate(record, at=at, policy=policy).decisions
    except GigPolicyError as error:
        return str(error)


def both_ways(record: ContractRecord, at: datetime, policy: str) -> None:
    """Every decision, its ``until`` included, is the same either way."""
    fast = outcome(record, at, policy)
    with rules_asked_at_every_boundary():
        reference = outcome(record, at, policy)
    assert fast == reference


def test_the_built_in_policies_take_until_from_their_judges() -> None:
    """Each built-in policy's class is one whose ``until`` comes from its judges (else nothing here is tested)."""
    for name in MARKETPLACES:
        assert type(get_policy(name)) in TIMED_POLICIES


def test_the_rule_tables_are_what_decide_does() -> None:
    """Rule: "evaluation may call a built-in class's rules directly, as its ``decide`` would".

    For every version of each built-in marketplace, on 200 golden records, every question's rule
    in ``RULES`` gives the very verdict that ``decide`` gives, for both parties (a question
    without a rule too).
    """
    asked: set[tuple[str, Question]] = set()
    for name in MARKETPLACES:
        for version in policy_versions(name):
            table = RULES[type(version)]
            assert set(table) == set(Question)
            for text, at in golden_cases()[:200]:
                record = loads(text)
                try:
                    state = replay(record, at=at, policy=version)
                except GigPolicyError:
                    continue  # a record whose steps contradict this version's
                for party in Party:
                    context = Context(record=record, state=state, at=at, party=party)
                    for question in Question:
                        assert table[question](context, version) == version.decide(question, context)
                        asked.add((name, question))
    assert len(asked) == len(MARKETPLACES) * len(Question)


def test_a_subclass_has_no_rule_table() -> None:
    """A subclass may override ``decide``: evaluation asks it, never its base class's rules."""

    class Upworkish(UpworkPolicy):
        pass

    assert Upworkish not in RULES
    assert set(RULES) == TIMED_POLICIES


@settings(max_examples=100, deadline=None)
@given(data=st.data(), policy=st.sampled_from(MARKETPLACES))
def test_until_is_the_same_either_way(data: st.DataObject, policy: str) -> None:
    """For every record, instant and built-in marketplace, the judge's ``until`` is the rule's own."""
    rules = get_policy(policy).replay_rules
    record = data.draw(records(rules=rules, marketplaces=(policy,), max_events=12), label="record")
    offset = data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)), label="offset")
    last = record.events[-1].at if record.events else record.contract.started_at
    first = datetime.combine(policy_versions(policy)[0].effective_from, time(0), tzinfo=UTC)
    both_ways(record, max(last + offset, first), policy)


@settings(max_examples=60, deadline=None)
@given(record=records(ContractKind.FIXED_PRICE, ended=True, max_events=10), at=instants(after=T0))
def test_until_is_the_same_either_way_under_every_upwork_version(record: ContractRecord, at: datetime) -> None:
    """Judged across Upwork's versions (a new version ahead is asked again either way)."""
    start = min(record.contract.started_at, at)
    both_ways(record, max(start, datetime(2016, 6, 1, tzinfo=UTC)), "upwork")


@pytest.mark.uncovered  # a check at scale: coverage would double its time, and the targeted tests measure it
@pytest.mark.parametrize("index", range(0, 2000, 7))
def test_until_is_the_same_either_way_on_the_golden_records(index: int) -> None:
    """The varied records of the golden outputs, at their own instant and a year later."""
    text, at = golden_cases()[index]
    record = loads(text)
    for instant in (at, at + timedelta(days=365)):
        both_ways(record, instant, record.contract.marketplace or "upwork")


def decided_both_ways(records_at: list[tuple[ContractRecord, str]], at: datetime) -> None:
    """Decided together (as a batch block decides), each record gets what it gets alone: decisions or error.

    Each way replays afresh (looking ahead goes on with the ledger of the replay). Records whose
    replay fails are left out, as a batch gives their error before any decision.
    """
    replays = []
    for record, name in records_at:
        chosen, by_name = resolve_policy(name, record, at)
        clock = clock_of(chosen, by_name=by_name)
        try:
            replays.append((record, clock, replayed(record, at, clock)))
        except GigPolicyError:
            continue
    together = decided_together(
        [(record, replayed(record, at, clock)) for record, clock, _ in replays], at, wanted=EVERY_QUESTION
    )
    for (record, _, found), made in zip(replays, together, strict=True):
        assert alone(record, at, found) == (describe_error(made) if isinstance(made, Exception) else made)


def alone(record: ContractRecord, at: datetime, found: Replayed) -> Decided | str:
    """The decisions of *record* decided alone, or its error's type and message."""
    try:
        return decided_from(record, at, found, wanted=EVERY_QUESTION)
    except Exception as error:  # noqa: BLE001 - compared with what deciding together gives back
        return describe_error(error)


def describe_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


@settings(max_examples=60, deadline=None)
@given(data=st.data(), names=st.lists(st.sampled_from(MARKETPLACES), min_size=1, max_size=6))
def test_records_decided_together_get_what_they_get_alone(data: st.DataObject, names: list[str]) -> None:
    """Question by question over several records of every marketplace, each gets the decisions it gets alone."""
    drawn = [
        (data.draw(records(rules=get_policy(name).replay_rules, marketplaces=(name,), max_events=10)), name)
        for name in names
    ]
    offset = data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)), label="offset")
    last = max(record.events[-1].at if record.events else record.contract.started_at for record, _ in drawn)
    first = max(datetime.combine(policy_versions(name)[0].effective_from, time(0), tzinfo=UTC) for name in names)
    decided_both_ways(drawn, max(last + offset, first))


@pytest.mark.uncovered  # a check at scale: coverage would double its time, and the targeted tests measure it
def test_the_golden_records_decided_together_get_what_they_get_alone() -> None:
    """The first 500 varied records of the golden outputs, together, at two instants."""
    cases = golden_cases()[:500]
    read = [loads(text) for text, _ in cases]
    drawn = [(record, record.contract.marketplace or "upwork") for record in read]
    for at in (cases[250][1], cases[250][1] + timedelta(days=365)):
        decided_both_ways(drawn, at)


def test_errors_of_records_decided_together_are_their_own() -> None:
    """Records whose rules fail at different questions get their own errors; the others what they get alone.

    Two rules fail for one contract each, and a user-written policy that never settles (its
    boundary moves with the instant judged) fails for every record under it, as alone.
    """
    records_at = [(loads(text), at) for text, at in golden_cases()[:40]]
    upwork = [record for record, _ in records_at if (record.contract.marketplace or "upwork") == "upwork"][:6]
    failing = {upwork[1].contract.id: Question.PUBLIC_FEEDBACK, upwork[4].contract.id: Question.JOB_SUCCESS_SCORE}
    at = records_at[0][1]
    restless = Restless(name="restless", effective_from=date(2016, 1, 1))
    with ExitStack() as replaced:
        for contract, question in failing.items():
            replaced.enter_context(rules_replaced(UpworkPolicy, question, raising_for(contract, question)))
        upwork_clock = clock_of(get_policy("upwork", on=at), by_name=False)
        items = [(record, replayed(record, at, upwork_clock)) for record in upwork]
        items += [(upwork[0], replayed(upwork[0], at, clock_of(restless, by_name=False)))]
        together = decided_together(items, at, wanted=EVERY_QUESTION)
        fresh = [(record, replayed(record, at, found[0])) for record, found in items]
        expected = [alone(record, at, found) for record, found in fresh]
    got = [describe_error(made) if isinstance(made, Exception) else made for made in together]
    assert expected == got
    assert [record.contract.id in failing for record in upwork] + [True] == [isinstance(m, Exception) for m in together]
    assert "kept changing its conditions" in got[-1]


def test_a_record_whose_setup_fails_costs_only_itself() -> None:
    """A record that cannot even be set up to be decided (here, what its replay found is broken) gets its error."""
    record = loads(golden_cases()[0][0])
    at = golden_cases()[0][1]
    clock = clock_of(get_policy(record.contract.marketplace or "upwork", on=at), by_name=False)
    good = replayed(record, at, clock)
    broken: Replayed = (clock, None, None)  # type: ignore[assignment]  # no state: what no replay gives
    made = decided_together(
        [(record, good), (record, broken), (record, replayed(record, at, clock))], at, wanted=EVERY_QUESTION
    )
    assert isinstance(made[1], AttributeError)
    assert made[1].__traceback__ is None  # kept without the frame that caught it
    assert made[0] == made[2] == alone(record, at, replayed(record, at, clock))


def test_no_records_decided_together() -> None:
    """Nothing to decide, no decision."""
    assert [] == decided_together([], T0, wanted=EVERY_QUESTION)


_CASES: list[tuple[str, datetime]] = []


def golden_cases() -> list[tuple[str, datetime]]:
    """The first 2,000 records of the golden outputs, made once."""
    if not _CASES:
        _CASES.extend(golden.records(2000))
    return _CASES


class TestJudgeKnowsWhenItChanges:
    """What :func:`changes_at` says of a judge's verdict."""

    AT: Final = T0
    YES: Final = ("HOLDS", "It holds.")
    NO: Final = ("FAILS", "It fails.")

    def judge(self) -> Judge:
        return Judge(self.AT)

    def test_yes_changes_when_the_first_window_closes(self) -> None:
        """A yes lasts until the earliest instant a condition that holds stops holding."""
        judge = self.judge()
        judge.window(self.AT + timedelta(days=5), "The window", None)
        judge.before(self.AT + timedelta(days=2), self.YES, self.NO, None)
        judge.before(self.AT + timedelta(days=7), self.YES, self.NO, None)
        judge.window(self.AT + timedelta(days=8), "The window", None)
        judge.since(self.AT - timedelta(days=1), self.YES, self.NO, None)
        verdict = judge.verdict()
        assert verdict.answer
        assert changes_at(verdict) == self.AT + timedelta(days=2)

    def test_yes_without_a_condition_on_time_never_changes(self) -> None:
        judge = self.judge()
        judge.hold(*self.YES, None)
        assert changes_at(judge.verdict()) is None

    def test_no_changes_when_the_last_failed_condition_starts_holding(self) -> None:
        """A no waiting only for time becomes yes once every failed condition holds."""
        judge = self.judge()
        judge.since(self.AT + timedelta(days=3), self.YES, self.NO, None)
        judge.since(self.AT + timedelta(days=1), self.YES, self.NO, None)
        judge.window(self.AT + timedelta(days=9), "The window", None)
        verdict = judge.verdict()
        assert not verdict.answer
        assert changes_at(verdict) == self.AT + timedelta(days=3)

    def test_no_stays_no_when_a_window_closes_first(self) -> None:
        """If a condition that holds stops before the failed ones start holding, the answer is never yes."""
        judge = self.judge()
        judge.since(self.AT + timedelta(days=3), self.YES, self.NO, None)
        judge.window(self.AT + timedelta(days=3), "The window", None)
        assert changes_at(judge.verdict()) is None

    @pytest.mark.parametrize(
        "fails",
        [
            lambda judge: judge.fail("FAILS", "It fails.", None),
            lambda judge: judge.cond(False, ("HOLDS", ""), ("FAILS", ""), None),
            lambda judge: judge.window(T0, "The window", None),
            lambda judge: judge.before(T0 - timedelta(days=1), ("HOLDS", ""), ("FAILS", ""), None),
        ],
        ids=["fail", "cond", "closed window", "before an instant past"],
    )
    def test_no_for_good_never_changes(self, fails: object) -> None:
        """A failure no time mends (a plain failed condition, a closed window) keeps the answer no."""
        judge = self.judge()
        judge.since(self.AT + timedelta(days=1), self.YES, self.NO, None)
        fails(judge)  # type: ignore[operator]  # one of the callables above
        assert changes_at(judge.verdict()) is None

    def test_a_boundary_of_its_own_makes_the_change_unknown(self) -> None:
        """A rule that notes a boundary itself may compare the instant as it likes: the judge cannot know."""
        judge = self.judge()
        judge.hold(*self.YES, None)
        judge.boundary(self.AT + timedelta(days=1))
        assert changes_at(judge.verdict()) is UNKNOWN

    def test_a_boundary_already_past_changes_nothing(self) -> None:
        judge = self.judge()
        judge.hold(*self.YES, None)
        judge.boundary(self.AT)
        judge.boundary(None)
        assert changes_at(judge.verdict()) is None

    def test_a_step_ahead_is_a_boundary_but_no_condition(self) -> None:
        """An automatic step ahead is noted for the verdict's boundaries without hiding when the answer changes."""
        judge = self.judge()
        judge.hold(*self.YES, None)
        step_ahead(judge, self.AT + timedelta(days=4))
        step_ahead(judge, self.AT)
        step_ahead(judge, None)
        verdict = judge.verdict()
        assert verdict.boundaries == (self.AT + timedelta(days=4),)
        assert changes_at(verdict) is None

    def test_only_the_last_verdict_is_known(self) -> None:
        """A verdict built by hand, or an earlier judge's, gives UNKNOWN."""
        first = self.judge()
        first.hold(*self.YES, None)
        earlier = first.verdict()
        second = self.judge()
        second.hold(*self.YES, None)
        second.verdict()
        assert changes_at(earlier) is UNKNOWN
        assert changes_at(Verdict(answer=True, reasons=(Reason(code="HOLDS", message="It holds."),))) is UNKNOWN
        assert repr(UNKNOWN) == "UNKNOWN"

    def test_a_verdict_made_once_is_the_judges_verdict_that_never_changes(self) -> None:
        """A made verdict equals a judge's on the same conditions, and ``settled`` says it never changes."""
        made_no = verdict_no((*self.NO, None), ("ALSO_FAILS", "It fails too.", "https://example.com"))
        judge = self.judge()
        judge.hold(*self.YES, None)  # a condition that held is not among a no's reasons
        judge.fail(*self.NO, None)
        judge.fail("ALSO_FAILS", "It fails too.", "https://example.com")
        assert judge.verdict() == made_no
        made_yes = verdict_yes((*self.YES, None))
        judge = self.judge()
        judge.hold(*self.YES, None)
        assert judge.verdict() == made_yes
        assert changes_at(made_no) is UNKNOWN  # made, but not given last
        assert settled(made_no) is made_no
        assert changes_at(made_no) is None
        assert settled(made_yes) is made_yes
        assert changes_at(made_yes) is None
        assert changes_at(made_no) is UNKNOWN  # no longer the last given


def test_a_made_verdicts_decision_is_made_once_and_equals_a_fresh_one() -> None:
    """A made verdict that nothing ahead changes gives the same decision object each time.

    It equals the decision built afresh from the verdict; another verdict (even an equal one), or
    a verdict held at a reused id, gets a decision of its own.
    """
    record = loads(golden_cases()[0][0])
    first, second = evaluate(record, at=T0), evaluate(record, at=T0)
    shared = [mine for mine, theirs in zip(first.decisions, second.decisions, strict=True) if mine is theirs]
    assert shared
    made = verdict_no(("NOT_NOW", "Not now.", None))
    kept = SETTLED_BY[Question.END_CONTRACT, Party.CLIENT]
    found, decision = settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, made)
    assert found is made
    assert kept[id(made)] == (made, decision)  # where evaluation looks it up itself
    assert decision is settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, made)[1]
    assert decision == Decision(
        question=Question.END_CONTRACT, party=Party.CLIENT, answer=False, until=None, reasons=made.reasons
    )
    twin = verdict_no(("NOT_NOW", "Not now.", None))
    assert settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, twin)[1] is not decision
    for_freelancer = SETTLED_BY[Question.END_CONTRACT, Party.FREELANCER]
    assert settled_decision(for_freelancer, Question.END_CONTRACT, Party.FREELANCER, made)[1].party is Party.FREELANCER
    kept[id(made)] = (twin, decision)  # as if another verdict held its id
    again = settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, made)[1]
    assert again is not decision
    assert again == decision


def test_a_made_verdict_that_a_step_ahead_leaves_as_it_is_gives_its_decision_made_once() -> None:
    """Looking ahead through an automatic step that changes nothing of a made verdict, its decision is made once.

    Work submitted and waiting for its automatic release: every decision looks ahead to the
    release. Public feedback stays closed through it (the contract stays open), so its decision is
    the one made once, the same object in two reports, with its text memo; the refund's answer does
    change then, and its decision is made afresh, with that instant as its ``until``.
    """
    record = fixed(fund(day(0)), submit(day(1)))
    at = day(2)
    policy = get_policy("upwork", on=at.date())
    first, second = (evaluate(record, at=at, policy=policy) for _ in range(2))
    assert first.state.next_step_at is not None  # the release lies ahead: every decision looks ahead to it
    closed = first.decision("public_feedback", "client")
    assert (closed.answer, closed.until) == (False, None)
    assert closed is second.decision("public_feedback", "client")
    assert MEMOS[id(closed)][0] is closed
    with rules_asked_at_every_boundary():  # the reference path, where the rule is asked at the release
        assert evaluate(record, at=at, policy=policy).decisions == first.decisions
    refund = first.decision("issue_refund", "freelancer")
    assert (refund.answer, refund.until) == (False, first.state.next_step_at)
    assert refund is not second.decision("issue_refund", "freelancer")


def test_a_question_without_a_rule_answers_each_policy_as_decide_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule of a question a built-in class leaves to ``Policy.decide`` gives what it gives.

    It keeps the verdict of the last policy it answered, and gives it again, made once, to that
    policy; another policy (another name), or the same one once its class's code changed, gets
    a verdict of its own.
    """
    rule = RULES[FiverrPolicy][Question.PRIVATE_FEEDBACK]
    text, at = golden_cases()[0]
    record = loads(text)
    context = Context(record=record, state=replay(record, at=at), at=at, party=Party.CLIENT)
    fiverr = get_policy("fiverr")
    first = rule(context, fiverr)
    assert first == Policy.decide(fiverr, Question.PRIVATE_FEEDBACK, context)
    assert rule(context, fiverr) is first
    assert changes_at(first) is None  # given as made: no time changes it, and its decision is made once
    mine = rule(context, attrs.evolve(fiverr, name="mine"))
    assert [r.message for r in mine.reasons] == ["mine has no rule for private feedback."]
    assert rule(context, fiverr) == first
    monkeypatch.setattr(FiverrPolicy, "UNANSWERED", "NOT_HERE")
    assert [(r.code, r.message) for r in rule(context, fiverr).reasons] == [
        ("NOT_HERE", "fiverr has no rule for private feedback.")
    ]


def test_rules_added_after_an_evaluation_are_the_rules_asked() -> None:
    """A class's rules registered anew (``add_rules``) answer the next evaluation, not those it made its plan of."""
    policy = get_policy("upwork")
    record = loads(golden_cases()[0][0])
    before = evaluate(record, at=T0, policy=policy)  # a plan made of the rules as they are
    table = dict(RULES[UpworkPolicy])
    patched = verdict_yes(("PATCHED", "The rule registered since.", None))
    try:
        add_rules(UpworkPolicy, {**table, Question.WORK_HISTORY: lambda _context, _policy: settled(patched)})
        after = evaluate(record, at=T0, policy=policy)
    finally:
        add_rules(UpworkPolicy, table)
    party = APPLIES_TO[Question.WORK_HISTORY][0]
    assert after.decision(Question.WORK_HISTORY, party).reasons == patched.reasons
    assert before.decision(Question.WORK_HISTORY, party).reasons != patched.reasons
    assert evaluate(record, at=T0, policy=policy) == before  # the rules given back are asked again


def test_a_question_without_a_rule_answers_no_for_good() -> None:
    """A policy's answer to a question it has no rule for is settled: no time changes it."""
    policy = get_policy("fiverr")
    record = loads(golden_cases()[0][0])
    context = Context(record=record, state=evaluate(record, at=T0).state, at=T0, party=Party.FREELANCER)
    verdict = policy.decide(Question.ISSUE_REFUND, context)
    assert not verdict.answer
    assert changes_at(verdict) is None


def test_a_subclass_that_overrides_decide_is_asked_at_every_boundary() -> None:
    """A subclass of a built-in policy with its own ``decide`` may read ``context.at`` itself: it is probed.

    Its rule answers yes until a fixed instant it compares by hand (no judge knows of it), and
    delegates to Upwork's rule, whose judge would say "never changes", otherwise.
    """
    turn = T0 + timedelta(days=2)

    class Cautious(UpworkPolicy):
        def decide(self, question: object, context: Context) -> Verdict:
            verdict = super().decide(question, context)  # type: ignore[arg-type]  # a Question
            if context.at < turn:
                return Verdict(answer=not verdict.answer, reasons=verdict.reasons, boundaries=(turn,))
            return verdict

    policy = Cautious(name="cautious", effective_from=T0.date())
    record = loads(golden_cases()[0][0])
    report = evaluate(record, at=T0, policy=policy)
    assert type(policy) not in TIMED_POLICIES
    assert all(decision.until is not None and decision.until <= turn for decision in report.decisions)


def test_a_subclass_is_asked_at_every_boundary_even_with_the_same_decide() -> None:
    """A subclass may override a method the rules call (``review_closes(context)``) and read the instant there.

    So only the built-in classes themselves take ``until`` from their judges; a subclass's
    answers are found boundary by boundary, and are the same as its base class's where it changes nothing.
    """

    class Fiverrish(FiverrPolicy):
        pass

    base = get_policy("fiverr", on=T0)
    mine = Fiverrish(**{field.name: getattr(base, field.name) for field in attrs.fields(FiverrPolicy)})
    assert type(mine) not in TIMED_POLICIES
    for text, at in golden_cases()[:200]:
        record = loads(text)
        if record.contract.marketplace == "fiverr":
            mine_report = outcome_under(record, at, mine)
            assert mine_report == outcome_under(record, at, base)


def outcome_under(record: ContractRecord, at: datetime, policy: Policy) -> tuple[Decision, ...] | str:
    """The decisions under a policy object, or the error."""
    try:
        return evaluate(record, at=at, policy=policy).decisions
    except GigPolicyError as error:
        return str(error)


def test_a_decisions_memo_lives_as_long_as_the_decision_is_kept() -> None:
    """The text memo of a decision made once goes when its decision goes, and no sooner.

    A full cache of decisions starts afresh and their memos go with them; a decision replaced at
    a reused id loses its memo; the memos of decisions still kept stay however many are made.
    """
    kept: Settled = BoundedCache(3)
    verdicts = [verdict_no((f"NOT_{n}", "Not now.", None)) for n in range(4)]
    made = [settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, v)[1] for v in verdicts[:3]]
    assert all(MEMOS[id(d)] == (d, []) for d in made)
    del MEMOS[id(made[0])]  # a memo gone already: there is nothing more to forget of it
    fourth = settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, verdicts[3])[1]
    assert ([], [id(verdicts[3])]) == ([d for d in made if id(d) in MEMOS], list(kept))
    assert MEMOS[id(fourth)][0] is fourth
    stale = attrs.evolve(fourth)  # the decision of a verdict that held this id before, with its memo
    MEMOS[id(stale)] = (stale, [])
    kept[id(verdicts[0])] = (verdicts[1], stale)
    again = settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, verdicts[0])[1]
    assert (id(stale) in MEMOS, MEMOS[id(again)][0], MEMOS[id(fourth)][0]) == (False, again, fourth)


def test_decisions_made_once_by_threads_at_once_keep_their_memos_bounded() -> None:
    """Threads that make decisions at once in one cache fail nowhere, and only kept decisions keep a memo.

    The rule: a memo lives exactly as long as its decision is kept, however threads interleave
    (the server judges requests in several at once).
    """
    kept: Settled = BoundedCache(8)
    made: list[Decision] = []
    failures: list[BaseException] = []

    def make(seed: int) -> None:
        try:
            for n in range(400):
                verdict = verdict_no((f"NOT_{seed}_{n % 23}", "Not now.", None)) if n % 3 else shared
                made.append(settled_decision(kept, Question.END_CONTRACT, Party.CLIENT, verdict)[1])
        except BaseException as error:  # noqa: BLE001 - any failure in a thread is the test's to report
            failures.append(error)

    shared = verdict_no(("NOT_SHARED", "Not now.", None))
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=make, args=(seed,)) for seed in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)
    still = {id(decision) for _, decision in kept.values()}
    with_memo = {id(d) for d in made if (memo := MEMOS.get(id(d))) is not None and memo[0] is d}
    assert ([], still) == (failures, with_memo)


def test_a_fork_has_a_lock_of_its_own() -> None:
    """A process forked while a thread makes a decision once can make decisions itself: its lock is free."""
    with decision_module._SETTLING:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child's coverage is not collected
            os._exit(0 if decision_module._SETTLING.acquire(timeout=5) else 1)
    _, status = os.waitpid(child, 0)
    assert 0 == os.waitstatus_to_exitcode(status)
    before = decision_module._SETTLING
    decision_module._unlocked_in_child()
    assert (decision_module._SETTLING is not before, decision_module._SETTLING.locked()) == (True, False)
