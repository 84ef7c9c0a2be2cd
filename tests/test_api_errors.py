"""The Python API's errors say what is wrong, with a public class for each kind of mistake (issue 16)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs
import pytest
from tests.records import CLIENT, day, end, fixed, fund, release

import gigpolicy
from gigpolicy import (
    GigPolicyError,
    InvalidArgument,
    InvalidPolicy,
    InvalidRecord,
    NaiveDatetime,
    NoSuchDecision,
    Party,
    Policy,
    Question,
    UnknownFreelancer,
    UpworkPolicy,
    errors,
    get_policy,
)

if TYPE_CHECKING:  # only here: at run time the annotation below cannot be resolved
    from decimal import Decimal as OnlyForTypeCheckers

AT: Final = day(30)
RECORD: Final = fixed(fund(day(0)), release(day(1), "500.00"), end(day(2), by=CLIENT))
REPORT: Final = gigpolicy.evaluate(RECORD, at=AT)


class TestDecisionLookup:
    """``Report.decision`` tells a misspelt question or party from one that does not apply."""

    def test_misspelt_question(self) -> None:
        """A misspelt question is an unknown question, and the message lists the valid ones."""
        with pytest.raises(NoSuchDecision) as caught:
            REPORT.decision("public_feedbak", "client")
        message = str(caught.value)
        assert (True, True, False) == (
            message.startswith("unknown question 'public_feedbak': the questions are "),
            all(question.value in message for question in Question),
            "does not apply" in message,
        )

    def test_unknown_party(self) -> None:
        """An unknown party is named as such, with the valid parties."""
        with pytest.raises(NoSuchDecision) as caught:
            REPORT.decision(Question.END_CONTRACT, "agency")
        assert "unknown party 'agency' for end_contract: the parties are client, freelancer" == str(caught.value)

    def test_still_a_lookup_error(self) -> None:
        """The error stays a NoSuchDecision: a GigPolicyError and a LookupError."""
        with pytest.raises(NoSuchDecision) as caught:
            REPORT.decision("nope", "nobody")
        assert (True, True) == (isinstance(caught.value, GigPolicyError), isinstance(caught.value, LookupError))

    def test_does_not_apply(self) -> None:
        """A known question that does not apply to a known party says so."""
        with pytest.raises(NoSuchDecision, match=r"the question does not apply to that party$"):
            REPORT.decision("private_feedback", Party.FREELANCER)

    def test_not_asked(self) -> None:
        """A question left out by ``questions=`` is not said not to apply."""
        report = gigpolicy.evaluate(RECORD, at=AT, questions=[Question.END_CONTRACT])
        with pytest.raises(NoSuchDecision, match=r"^no decision on public_feedback for client: the report was not"):
            report.decision("public_feedback", "client")


_NOT_RECORDS: Final[dict[str, Callable[[], object]]] = {
    "evaluate": lambda: gigpolicy.evaluate("not a record", at=AT),  # type: ignore[arg-type]  # the point
    "options": lambda: gigpolicy.options(42, party=CLIENT, at=AT),  # type: ignore[arg-type]  # the point
    "replay": lambda: gigpolicy.replay(None, at=AT),  # type: ignore[arg-type]  # the point
    "dumps": lambda: gigpolicy.dumps({"contract": {}}),  # type: ignore[arg-type]  # the point
    "timeline": lambda: gigpolicy.timeline("not a record", REPORT),  # type: ignore[arg-type]  # the point
}


class TestInvalidArgument:
    """An argument of the wrong type raises InvalidArgument, still caught as InvalidRecord."""

    @pytest.mark.parametrize("call", _NOT_RECORDS.values(), ids=_NOT_RECORDS.keys())
    def test_not_a_record(self, call: Callable[[], object]) -> None:
        """Something that is not a record where one goes names ``record``."""
        with pytest.raises(InvalidArgument) as caught:
            call()
        assert ("record", True) == (caught.value.path, caught.value.problem.startswith("must be a ContractRecord"))

    def test_kinds(self) -> None:
        """It is a GigPolicyError, an InvalidRecord (as before), a ValueError and a TypeError."""
        assert (True, True, True, True) == (
            issubclass(InvalidArgument, GigPolicyError),
            issubclass(InvalidArgument, InvalidRecord),
            issubclass(InvalidArgument, ValueError),
            issubclass(InvalidArgument, TypeError),
        )

    def test_other_arguments(self) -> None:
        """A report, the questions, records and history of the wrong type are InvalidArguments too."""
        calls: list[Callable[[], object]] = [
            lambda: gigpolicy.timeline(RECORD, "report"),  # type: ignore[arg-type]  # the point
            lambda: gigpolicy.evaluate(RECORD, at=AT, questions=5),  # type: ignore[arg-type]  # the point
            lambda: gigpolicy.differences(REPORT, "report"),  # type: ignore[arg-type]  # the point
            lambda: gigpolicy.job_success(5, freelancer="fl-7", at=AT),  # type: ignore[arg-type]  # the point
            lambda: gigpolicy.job_success(["x"], freelancer="fl-7", at=AT),  # type: ignore[list-item]  # the point
            lambda: gigpolicy.job_success([RECORD], freelancer=7, at=AT),  # type: ignore[arg-type]  # the point
        ]
        paths = []
        for call in calls:
            with pytest.raises(InvalidArgument) as caught:
                call()
            paths.append(caught.value.path)
        assert ["report", "questions", "second", "records", "records[0]", "freelancer"] == paths

    def test_score_effect_history(self) -> None:
        """A history holding something other than a record names its place."""
        option = gigpolicy.options(RECORD, party=Party.FREELANCER, at=AT)[0]
        with pytest.raises(InvalidArgument, match=r"^history\[0\]: must be a ContractRecord, not int$"):
            gigpolicy.score_effect([1], option, freelancer="fl-7")  # type: ignore[list-item]  # the point

    def test_at_keeps_the_class(self) -> None:
        """Placing the problem under a prefix keeps its class."""
        moved = InvalidArgument("record", "bad").at("batch[2]")
        assert (InvalidArgument, "batch[2].record") == (type(moved), moved.path)


class TestNoPrivateNames:
    """No error class a user meets lives under a private name only."""

    def test_naive_datetime_is_public(self) -> None:
        """A naive instant raises gigpolicy.NaiveDatetime, defined in gigpolicy.errors."""
        with pytest.raises(NaiveDatetime) as caught:
            gigpolicy.evaluate(RECORD, at=datetime(2026, 12, 1))  # noqa: DTZ001 - naive on purpose
        assert ("gigpolicy.errors", "at") == (type(caught.value).__module__, caught.value.path)

    def test_every_error_is_exported(self) -> None:
        """Every GigPolicyError subclass of gigpolicy is importable from ``gigpolicy`` by its name."""
        found: list[type[BaseException]] = []
        pending: list[type[BaseException]] = [GigPolicyError]
        while pending:
            cls = pending.pop()
            found.append(cls)
            pending.extend(cls.__subclasses__())
        ours = [cls for cls in found if cls.__module__.startswith("gigpolicy")]
        assert [] == [cls for cls in ours if getattr(gigpolicy, cls.__name__, None) is not cls]

    def test_error_module_names_are_public(self) -> None:
        """The errors of ``gigpolicy.errors`` are defined there, so tracebacks show a public path."""
        assert [] == [name for name in errors.__all__ if getattr(errors, name).__module__ != "gigpolicy.errors"]


class TestPolicyParameters:
    """A policy's parameters are checked when it is built, naming the parameter."""

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"feedback_window_days": -1}, "feedback_window_days: must not be negative, not -1"),
            ({"jss_positive_public": 4.0}, "jss_positive_public: must be a Decimal, not float"),
            ({"jss_min_jobs": "2"}, "jss_min_jobs: must be an int, not str"),
            ({"jss_min_jobs": True}, "jss_min_jobs: must be an int, not bool"),
            ({"edit_window": timedelta(days=-1)}, "edit_window: must not be negative, not -1 day, 0:00:00"),
            ({"edit_window": None}, "edit_window: must be a timedelta, not NoneType"),
            ({"display_threshold": Decimal("NaN")}, "display_threshold: must be a finite number, not NaN"),
            ({"display_threshold": Decimal(-1)}, "display_threshold: must not be negative, not Decimal('-1')"),
            ({"private_feedback": 1}, "private_feedback: must be a bool, not int"),
            ({"dormancy_notices": [timedelta(1)]}, "dormancy_notices: must be a tuple, not list"),
            ({"dormancy_notices": (timedelta(1), 3)}, "dormancy_notices[1]: must be a timedelta, not int"),
            ({"suspension_reasons": ("tos", 1)}, "suspension_reasons[1]: must be a str, not int"),
            ({"jss_earnings_bands": ((Decimal(1), 2.0),)}, "jss_earnings_bands[0][1]: must be a Decimal, not float"),
            ({"jss_earnings_bands": ((Decimal(1),),)}, "jss_earnings_bands[0]: must hold 2 items, not 1"),
            ({"replay_rules": None}, "replay_rules: must be a ReplayRules, not NoneType"),
        ],
    )
    def test_upwork(self, changes: dict[str, Any], message: str) -> None:
        """``attrs.evolve`` with a bad parameter raises InvalidPolicy at once, naming it."""
        with pytest.raises(InvalidPolicy) as caught:
            attrs.evolve(get_policy("upwork"), **changes)
        assert (message, True, True) == (
            str(caught.value),
            isinstance(caught.value, GigPolicyError),
            isinstance(caught.value, ValueError),
        )

    @pytest.mark.parametrize(
        ("name", "changes", "path"),
        [
            ("fiverr", {"review_window": timedelta(days=-14)}, "review_window"),
            ("freelancer", {"second_feedback_window": 14}, "second_feedback_window"),
            ("freelancer", {"positive_rating": 4.5}, "positive_rating"),
        ],
    )
    def test_other_marketplaces(self, name: str, changes: dict[str, Any], path: str) -> None:
        """Fiverr's and Freelancer.com's parameters, and those every policy has, are checked too."""
        with pytest.raises(InvalidPolicy) as caught:
            attrs.evolve(get_policy(name), **changes)
        assert path == caught.value.path

    def test_valid_changes_still_build(self) -> None:
        """Valid changes, ``None`` where it is allowed included, build as before."""
        upwork = get_policy("upwork")
        assert isinstance(upwork, UpworkPolicy)
        policy = attrs.evolve(upwork, suspension_reasons=None, feedback_window_days=0)
        assert (None, 0) == (policy.suspension_reasons, policy.feedback_window_days)

    def test_own_policy(self) -> None:
        """A policy of one's own is checked by the types it declares."""

        @attrs.frozen(kw_only=True)
        class Mine(Policy):
            grace: timedelta = timedelta(days=1)

        with pytest.raises(InvalidPolicy, match=r"^grace: must not be negative"):
            Mine(name="mine", effective_from=day(0).date(), grace=timedelta(days=-1))

    def test_unresolvable_annotation(self) -> None:
        """A policy whose annotations name what only a type checker imports is built unchecked."""

        @attrs.frozen(kw_only=True)
        class Lazy(Policy):
            extra: OnlyForTypeCheckers = Decimal(1)

        assert -1 == Lazy(name="lazy", effective_from=day(0).date(), extra=Decimal(-1)).extra


class TestUnknownFreelancer:
    """A freelancer in none of the records is an error, not "too few jobs"."""

    def test_nobody(self) -> None:
        """``freelancer="nobody"`` raises UnknownFreelancer, naming the freelancers there are."""
        with pytest.raises(UnknownFreelancer) as caught:
            gigpolicy.job_success([RECORD, RECORD], freelancer="nobody", at=AT)
        assert ("nobody", (RECORD.contract.freelancer,), True, True) == (
            caught.value.freelancer,
            caught.value.known,
            isinstance(caught.value, GigPolicyError),
            isinstance(caught.value, LookupError),
        )

    def test_too_few_jobs_is_still_none(self) -> None:
        """One job of the freelancer, and no records at all, are still too few jobs: None."""
        freelancer = RECORD.contract.freelancer
        assert (None, None) == (
            gigpolicy.job_success([RECORD], freelancer=freelancer, at=AT),
            gigpolicy.job_success([], freelancer=freelancer, at=AT),
        )

    def test_many_names_are_counted(self) -> None:
        """Past ten known freelancers, the message counts the rest."""
        error = UnknownFreelancer("x", [f"fl-{n}" for n in range(12)])
        assert re.search(r"'fl-9' and 2 more\)$", str(error))
