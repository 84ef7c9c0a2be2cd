"""Questions, reasons, verdicts and decisions: the values a report is made of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from tests.records import day

from gigpolicy import Decision, InvalidRecord, Party, Question, Reason, Verdict
from gigpolicy._decision import APPLIES_TO
from gigpolicy._judge import Judge, when


class TestQuestion:
    """The questions of the SPEC, as a string enum."""

    def test_values(self) -> None:
        """The wire names are those of the SPEC's table, in its order."""
        assert [
            "end_contract",
            "public_feedback",
            "private_feedback",
            "mid_contract_feedback",
            "feedback_published",
            "respond_to_feedback",
            "open_dispute",
            "issue_refund",
            "work_history",
            "job_success_score",
        ] == [question.value for question in Question]

    def test_string_equality(self) -> None:
        """A member equals its string value, and is found by it."""
        assert "open_dispute" == str(Question.OPEN_DISPUTE)
        assert isinstance(Question.OPEN_DISPUTE, str)
        assert Question.OPEN_DISPUTE is Question("open_dispute")


class TestAppliesTo:
    """Which parties each question is asked for."""

    def test_every_question_has_parties(self) -> None:
        """Every question applies to at least one party."""
        assert set(Question) == set(APPLIES_TO)

    def test_client_only_and_freelancer_only(self) -> None:
        """Private and mid-contract feedback are the client's; refunds, history and score the freelancer's."""
        client_only = {q for q, parties in APPLIES_TO.items() if parties == (Party.CLIENT,)}
        freelancer_only = {q for q, parties in APPLIES_TO.items() if parties == (Party.FREELANCER,)}
        assert {Question.PRIVATE_FEEDBACK, Question.MID_CONTRACT_FEEDBACK} == client_only
        assert {Question.ISSUE_REFUND, Question.WORK_HISTORY, Question.JOB_SUCCESS_SCORE} == freelancer_only

    def test_both(self) -> None:
        """The other five apply to both parties, client first."""
        both = [q for q, parties in APPLIES_TO.items() if parties == (Party.CLIENT, Party.FREELANCER)]
        assert 5 == len(both)


class TestReason:
    """One condition, with a stable code."""

    def test_fields(self) -> None:
        """Code, message and an optional source."""
        reason = Reason(code="WITHIN_WINDOW", message="Open.", source="https://example.com/rule")
        assert ("WITHIN_WINDOW", "Open.", "https://example.com/rule") == (reason.code, reason.message, reason.source)
        assert Reason(code="A1_B2", message="x").source is None

    @pytest.mark.parametrize("code", ["", "lower", "Mixed_Case", "TRAILING_", "_LEADING", "DOUBLE__UNDERSCORE", "1ST"])
    def test_bad_codes(self, code: str) -> None:
        """Codes must be UPPER_SNAKE."""
        with pytest.raises(InvalidRecord, match="must be an UPPER_SNAKE code") as caught:
            Reason(code=code, message="x")
        assert "code" == caught.value.path

    def test_code_must_be_a_string(self) -> None:
        """A non-string code is refused."""
        with pytest.raises(InvalidRecord):
            Reason(code=7, message="x")  # type: ignore[arg-type]  # the wrong type is the point


class TestVerdict:
    """What a rule function returns."""

    REASON = Reason(code="OK", message="Fine.")

    def test_defaults(self) -> None:
        """No boundaries unless given."""
        assert () == Verdict(answer=True, reasons=(self.REASON,)).boundaries

    def test_needs_a_reason(self) -> None:
        """A verdict without reasons cannot exist."""
        with pytest.raises(InvalidRecord, match=r"^reasons: must hold at least one reason"):
            Verdict(answer=True, reasons=())

    def test_a_judge_with_no_condition_gives_no_verdict(self) -> None:
        """A rule that checked nothing has no reason to give: its verdict is refused like any other."""
        with pytest.raises(InvalidRecord, match=r"^reasons: must hold at least one reason"):
            Judge(day(0)).verdict()

    def test_a_judge_builds_the_same_values_as_the_constructors(self) -> None:
        """The judge's unchecked construction gives values equal to checked ones."""
        judge = Judge(day(0))
        judge.cond(True, ("OK", "Fine."), ("NOT_OK", "Not fine."), None)
        judge.boundary(day(1))
        assert Verdict(answer=True, reasons=(self.REASON,), boundaries=(day(1),)) == judge.verdict()


class TestWhen:
    """Instants as reasons print them."""

    def test_any_offset_reads_in_utc(self) -> None:
        """The same instant in another offset reads the same."""
        instant = datetime(2026, 11, 18, 1, 30, tzinfo=timezone(timedelta(hours=2)))
        assert ("2026-11-17 23:30 UTC", "2026-11-17 23:30 UTC") == (when(instant), when(instant.astimezone(UTC)))

    def test_the_repeated_hour_of_a_zone_reads_both_instants(self) -> None:
        """The two 01:30 of New York's last summer night compare equal, yet read an hour apart."""
        first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
        second = first.replace(fold=1)
        assert first == second
        assert ("2026-11-01 05:30 UTC", "2026-11-01 06:30 UTC") == (when(first), when(second))

    def test_many_distinct_instants_read_right(self) -> None:
        """Past the size of its memory of texts, ``when`` still reads every instant right."""
        start = datetime(2026, 1, 1, tzinfo=UTC)
        texts = [when(start + timedelta(minutes=index)) for index in range(10_000)]
        assert ("2026-01-01 00:00 UTC", "2026-01-07 22:39 UTC") == (texts[0], texts[-1])
        assert len(set(texts)) == len(texts)


class TestDecision:
    """The answer to one question for one party at one instant."""

    REASON = Reason(code="OK", message="Fine.")

    def test_fields(self) -> None:
        """A decision keeps its question, party, answer, deadline and reasons."""
        decision = Decision(
            question=Question.END_CONTRACT, party=Party.CLIENT, answer=True, until=day(1), reasons=(self.REASON,)
        )
        assert (Question.END_CONTRACT, Party.CLIENT, True, day(1), (self.REASON,)) == (
            decision.question,
            decision.party,
            decision.answer,
            decision.until,
            decision.reasons,
        )

    def test_needs_a_reason(self) -> None:
        """A decision without reasons cannot exist."""
        with pytest.raises(InvalidRecord, match=r"^reasons: must hold at least one reason"):
            Decision(question=Question.END_CONTRACT, party=Party.CLIENT, answer=True, until=None, reasons=())
