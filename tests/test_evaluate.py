"""``evaluate``: the report, looking decisions up, deadlines, and bad arguments; ``replay`` under a policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from tests.records import (
    CLIENT,
    FREELANCER,
    day,
    end,
    feedback,
    fixed,
    fund,
    release,
    submit,
    terms,
)

from gigpolicy import (
    Context,
    ContractRecord,
    ContractStatus,
    GigPolicyError,
    InvalidRecord,
    NoSuchDecision,
    Party,
    Policy,
    Question,
    Reason,
    ReplayRules,
    UnknownPolicy,
    Verdict,
    differences,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._decision import APPLIES_TO
from gigpolicy._evaluate import MAX_STEPS
from gigpolicy.policies.upwork import VERSIONS

V2016, _, _, _, V2023_12, V2025_05 = VERSIONS
NAIVE = datetime(2026, 11, 3)  # noqa: DTZ001 - the naive instant refused
RECORD = fixed(fund(day(0)), release(day(0, hours=1)), end(day(1), by=CLIENT), feedback(day(2)))


@attrs.frozen(kw_only=True)
class Restless(Policy):
    """A broken policy: its one condition always changes a second after the instant judged."""

    def decide(self, question: Question, context: Context) -> Verdict:
        """Yes, with a boundary that moves with the instant judged."""
        del question
        return Verdict(
            answer=True,
            reasons=(Reason(code="RESTLESS", message="Always yes."),),
            boundaries=(context.at + timedelta(seconds=1),),
        )


@attrs.frozen(kw_only=True)
class Noon(Policy):
    """A policy whose only rule says yes before a fixed instant and no after."""

    deadline: datetime = datetime(2026, 11, 10, 12, tzinfo=UTC)

    def decide(self, question: Question, context: Context) -> Verdict:
        """Yes until ``deadline``; boundaries that are already past are ignored."""
        del question
        early = context.at < self.deadline
        return Verdict(
            answer=early,
            reasons=(Reason(code="BEFORE_NOON" if early else "AFTER_NOON", message="It depends on the time."),),
            boundaries=(self.deadline, context.at - timedelta(days=1)),
        )


class TestReport:
    """What a report holds."""

    def test_fields(self) -> None:
        """The instant, the version in force, the state and one decision per applicable pair."""
        report = evaluate(RECORD, at=day(3))
        assert (day(3), V2025_05, ContractStatus.ENDED) == (report.at, report.policy, report.state.status)
        expected = [(question, party) for question in Question for party in APPLIES_TO[question]]
        assert expected == [(d.question, d.party) for d in report.decisions]
        assert 15 == len(report.decisions)

    def test_every_decision_has_reasons(self) -> None:
        """No decision comes without a reason."""
        assert all(decision.reasons for decision in evaluate(RECORD, at=day(3)).decisions)

    def test_state_is_replay(self) -> None:
        """The report's state is what replay gives under the same policy."""
        assert replay(RECORD, at=day(3)) == evaluate(RECORD, at=day(3)).state

    def test_earnings(self) -> None:
        """Earnings: gross is net paid, fee 10% under the current version."""
        earnings = evaluate(RECORD, at=day(3)).earnings
        assert ("500.00 USD", "50.00 USD", "450.00 USD") == (
            str(earnings.gross),
            str(earnings.service_fee),
            str(earnings.net),
        )


class TestDecisionLookup:
    """``Report.decision`` by enum members or their string values."""

    REPORT = evaluate(RECORD, at=day(3))

    def test_enums_and_strings(self) -> None:
        """Enum members and string values find the same decision."""
        by_enum = self.REPORT.decision(Question.PUBLIC_FEEDBACK, Party.FREELANCER)
        assert by_enum is self.REPORT.decision("public_feedback", "freelancer")
        assert by_enum is self.REPORT.decision(Question.PUBLIC_FEEDBACK, "freelancer")
        assert (Question.PUBLIC_FEEDBACK, Party.FREELANCER) == (by_enum.question, by_enum.party)

    @pytest.mark.parametrize(
        ("question", "party"),
        [
            (Question.PRIVATE_FEEDBACK, Party.FREELANCER),
            ("mid_contract_feedback", "freelancer"),
            ("issue_refund", "client"),
            ("work_history", "client"),
            ("job_success_score", "client"),
            ("no_such_question", "client"),
            ("end_contract", "agency"),
        ],
    )
    def test_no_such_decision(self, question: str, party: str) -> None:
        """Questions that do not apply, and unknown values, raise NoSuchDecision."""
        with pytest.raises(NoSuchDecision) as caught:
            self.REPORT.decision(question, party)
        assert isinstance(caught.value, LookupError)
        assert isinstance(caught.value, GigPolicyError)
        assert question in str(caught.value)

    def test_not_in_decisions(self) -> None:
        """Questions that do not apply are left out of the decisions."""
        assert (Question.PRIVATE_FEEDBACK, FREELANCER) not in [(d.question, d.party) for d in self.REPORT.decisions]


class TestQuestions:
    """``questions=`` chooses which questions to answer."""

    def test_filter(self) -> None:
        """Only the questions asked, for each party they apply to, in the order asked."""
        report = evaluate(RECORD, at=day(3), questions=["work_history", Question.END_CONTRACT])
        assert [
            (Question.WORK_HISTORY, FREELANCER),
            (Question.END_CONTRACT, CLIENT),
            (Question.END_CONTRACT, FREELANCER),
        ] == [(d.question, d.party) for d in report.decisions]

    def test_none(self) -> None:
        """An empty selection answers nothing but still reports state and earnings."""
        report = evaluate(RECORD, at=day(3), questions=())
        assert (0, "500.00 USD") == (len(report.decisions), str(report.earnings.gross))

    def test_bad_question(self) -> None:
        """An unknown question raises InvalidRecord naming its position."""
        with pytest.raises(InvalidRecord) as caught:
            evaluate(RECORD, at=day(3), questions=["end_contract", "retaliate"])
        assert "questions[1]" == caught.value.path
        assert "'retaliate' is not a question" in str(caught.value)


class TestArguments:
    """Bad arguments raise errors of the library."""

    def test_naive_at(self) -> None:
        """A naive ``at`` raises an InvalidRecord that is also a ValueError."""
        with pytest.raises(InvalidRecord) as caught:
            evaluate(RECORD, at=NAIVE)
        assert isinstance(caught.value, ValueError)
        assert "at" == caught.value.path

    def test_not_a_datetime(self) -> None:
        """A date is not an instant."""
        with pytest.raises(InvalidRecord):
            evaluate(RECORD, at=date(2026, 11, 3))  # type: ignore[arg-type]  # the wrong type is the point

    def test_not_a_record(self) -> None:
        """Anything but a record raises InvalidRecord."""
        with pytest.raises(InvalidRecord, match="must be a ContractRecord, not dict"):
            evaluate({}, at=day(1))  # type: ignore[arg-type]  # the wrong type is the point

    def test_unknown_policy(self) -> None:
        """An unknown name, or a date before the first version, raises UnknownPolicy."""
        with pytest.raises(UnknownPolicy):
            evaluate(RECORD, at=day(3), policy="nowhere")
        early = ContractRecord(contract=terms(started_at=datetime(2015, 1, 1, tzinfo=UTC)))
        with pytest.raises(UnknownPolicy):
            evaluate(early, at=datetime(2016, 6, 20, tzinfo=UTC))


class TestPolicyChoice:
    """Which policy evaluation applies."""

    def test_default_is_upwork(self) -> None:
        """With no policy and no marketplace, Upwork's version in force at ``at``."""
        assert V2025_05 is evaluate(RECORD, at=day(3)).policy

    def test_marketplace(self) -> None:
        """The record's marketplace is the default policy name."""
        record = ContractRecord(contract=terms(marketplace="upwork"), events=RECORD.events)
        assert V2025_05 is evaluate(record, at=day(3)).policy

    def test_other_marketplace(self) -> None:
        """A record from another marketplace is judged by that marketplace's policy."""
        record = ContractRecord(contract=terms(marketplace="freelancer"), events=RECORD.events)
        assert "freelancer" == evaluate(record, at=day(3)).policy.name

    def test_unknown_marketplace(self) -> None:
        """A marketplace without a policy raises UnknownPolicy."""
        record = ContractRecord(contract=terms(marketplace="nowhere"), events=RECORD.events)
        with pytest.raises(UnknownPolicy):
            evaluate(record, at=day(3))

    def test_name_follows_at(self) -> None:
        """A name resolves to the version in force at ``at``."""
        record = ContractRecord(contract=terms(started_at=datetime(2019, 1, 1, tzinfo=UTC)))
        assert V2016 is evaluate(record, at=datetime(2019, 6, 1, tzinfo=UTC), policy="upwork").policy

    def test_pinned_name(self) -> None:
        """A pinned name is that version, whatever ``at``."""
        assert V2016 is evaluate(RECORD, at=day(3), policy="upwork@2019-01-01").policy

    def test_object(self) -> None:
        """A Policy object is used as it is."""
        assert V2016 is evaluate(RECORD, at=day(3), policy=V2016).policy


class TestUntil:
    """How evaluation finds each decision's ``until``."""

    def test_fixed_boundary(self) -> None:
        """A boundary the rule reports is where the answer changes; past ones are ignored."""
        noon = Noon(name="noon", effective_from=date(2020, 1, 1))
        decision = evaluate(RECORD, at=day(3), policy=noon).decision(Question.END_CONTRACT, CLIENT)
        assert (True, noon.deadline) == (decision.answer, decision.until)
        after = evaluate(RECORD, at=noon.deadline, policy=noon).decision(Question.END_CONTRACT, CLIENT)
        assert (False, None) == (after.answer, after.until)

    def test_restless_rule_hits_max_steps(self) -> None:
        """A rule whose boundaries move with the instant judged raises after MAX_STEPS instants."""
        restless = Restless(name="restless", effective_from=date(2020, 1, 1))
        with pytest.raises(GigPolicyError, match=f"restless@2020-01-01: .* for {MAX_STEPS} steps"):
            evaluate(RECORD, at=day(3), policy=restless, questions=["end_contract"])

    def test_automatic_step(self) -> None:
        """An automatic release is an instant where answers may change."""
        record = fixed(fund(day(0)), submit(day(1)))
        decision = evaluate(record, at=day(2)).decision(Question.WORK_HISTORY, FREELANCER)
        assert (False, day(15)) == (decision.answer, decision.until)

    def test_later_recorded_events_are_ignored(self) -> None:
        """``until`` assumes no event after ``at``, even when the record holds later ones."""
        record = fixed(fund(day(0)), submit(day(1)), end(day(3)))
        decision = evaluate(record, at=day(2)).decision(Question.WORK_HISTORY, FREELANCER)
        assert (False, day(15)) == (decision.answer, decision.until)
        assert ContractStatus.ACTIVE is evaluate(record, at=day(2)).state.status

    def test_same_instant_shared_by_questions(self) -> None:
        """Several decisions changing at one automatic step agree on it."""
        record = fixed(fund(day(0)), submit(day(1)))
        report = evaluate(record, at=day(2))
        assert day(15) == report.decision(Question.WORK_HISTORY, FREELANCER).until
        assert day(15) == report.decision(Question.ISSUE_REFUND, FREELANCER).until
        assert day(15) == report.decision(Question.OPEN_DISPUTE, CLIENT).until

    def test_version_change(self) -> None:
        """By name, the start of the next version is an instant where answers may change."""
        record = ContractRecord(
            contract=terms(started_at=datetime(2020, 9, 1, tzinfo=UTC)),
            events=(end(datetime(2020, 10, 1, tzinfo=UTC)),),
        )
        decision = evaluate(record, at=datetime(2020, 10, 2, tzinfo=UTC)).decision("job_success_score", "freelancer")
        assert (True, datetime(2020, 11, 8, tzinfo=UTC)) == (decision.answer, decision.until)

    def test_version_change_by_object_is_ignored(self) -> None:
        """A Policy object does not change with time."""
        record = ContractRecord(
            contract=terms(started_at=datetime(2020, 9, 1, tzinfo=UTC)),
            events=(end(datetime(2020, 10, 1, tzinfo=UTC)),),
        )
        version = get_policy("upwork", on=date(2020, 10, 2))
        decision = evaluate(record, at=datetime(2020, 10, 2, tzinfo=UTC), policy=version).decision(
            "job_success_score", "freelancer"
        )
        assert (True, datetime(2022, 10, 1, tzinfo=UTC)) == (decision.answer, decision.until)


class TestReplayUnderAPolicy:
    """``replay`` takes a policy, a name, ``None`` or bare replay rules."""

    RECORD = fixed(fund(day(0)), end(day(1), by=CLIENT))

    def test_default_returns_escrow_after_seven_days(self) -> None:
        """Upwork's steps: the escrow goes back 7 days after the client's end."""
        assert "0.00 USD" == str(replay(self.RECORD, at=day(8)).escrow)
        assert "500.00 USD" == str(replay(self.RECORD, at=day(8) - timedelta(seconds=1)).escrow)

    def test_policy_object_and_name(self) -> None:
        """A Policy, a name and a pinned name all give Upwork's steps."""
        expected = replay(self.RECORD, at=day(8))
        for policy in (V2016, "upwork", "upwork@2019-01-01"):
            assert expected == replay(self.RECORD, at=day(8), policy=policy)

    def test_bare_rules(self) -> None:
        """Bare rules choose the steps directly."""
        state = replay(self.RECORD, at=day(8), policy=ReplayRules(escrow_return_after_client_end=None))
        assert "500.00 USD" == str(state.escrow)

    def test_evolved_policy_rules(self) -> None:
        """A policy's replay rules apply."""
        keep = attrs.evolve(V2023_12, replay_rules=ReplayRules(escrow_return_after_client_end=None))
        assert "500.00 USD" == str(replay(self.RECORD, at=day(30), policy=keep).escrow)

    def test_bad_arguments(self) -> None:
        """A non-record, a naive instant or an unknown name raise the library's errors."""
        with pytest.raises(InvalidRecord, match="must be a ContractRecord"):
            replay("record", at=day(1))  # type: ignore[arg-type]  # the wrong type is the point
        with pytest.raises(InvalidRecord):
            replay(self.RECORD, at=NAIVE)
        with pytest.raises(UnknownPolicy):
            replay(self.RECORD, at=day(1), policy="nowhere")


class TestDifferences:
    """``differences``: the decisions two reports answer differently."""

    NO_FEEDBACK = ContractRecord(
        contract=terms(),
        events=(fund(day(0)), release(day(0, hours=1)), end(day(1), by=CLIENT)),
    )

    def test_same_report(self) -> None:
        """A report does not differ from itself."""
        report = evaluate(RECORD, at=day(3))
        assert () == differences(report, report)

    def test_answer_differs(self) -> None:
        """A no-feedback contract counts under 2016, not under 2023: one difference, both decisions kept."""
        old = evaluate(self.NO_FEEDBACK, at=day(3), policy=V2016)
        new = evaluate(self.NO_FEEDBACK, at=day(3), policy=V2023_12)
        found = differences(old, new)
        assert [(Question.JOB_SUCCESS_SCORE, FREELANCER)] == [(d.question, d.party) for d in found]
        assert (True, False) == (found[0].first.answer, found[0].second.answer)

    def test_until_differs(self) -> None:
        """A longer response period differs only in its ``until``."""
        record = fixed(
            fund(day(0)), release(day(0, hours=1)), end(day(1)), feedback(day(2)), feedback(day(3), by=FREELANCER)
        )
        longer = attrs.evolve(V2025_05, response_window=timedelta(days=60))
        found = differences(evaluate(record, at=day(4)), evaluate(record, at=day(4), policy=longer))
        assert [Question.RESPOND_TO_FEEDBACK] * 2 == [d.question for d in found]
        assert [(day(29), day(61))] * 2 == [(d.first.until, d.second.until) for d in found]

    def test_missing_decisions_are_skipped(self) -> None:
        """Decisions the second report does not hold are not differences."""
        full = evaluate(self.NO_FEEDBACK, at=day(3), policy=V2016)
        some = evaluate(self.NO_FEEDBACK, at=day(3), policy=V2023_12, questions=["end_contract"])
        assert () == differences(full, some)


class TestReportWindows:
    """``Report.windows``: every window of the policy at the instant, for both parties, computed once."""

    def test_the_motivating_case_after_the_end(self) -> None:
        """After the freelancer's end: the feedback and response windows, once, and the same tuple again."""
        record = fixed(fund(day(0)), end(day(1)))
        report = evaluate(record, at=day(2))
        assert ["FEEDBACK", "RESPONSE"] == [window.code for window in report.windows]
        assert report.windows is report.windows
        assert record is report.record

    def test_a_report_without_its_record(self) -> None:
        """A report built without its record has no windows to give."""
        report = attrs.evolve(evaluate(fixed(fund(day(0))), at=day(1)), record=None)
        assert () == report.windows
