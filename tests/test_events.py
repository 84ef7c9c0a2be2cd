"""Every event class and the checks of its fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from tests.records import SUNDAY, day, paths, usd

from gigpolicy import (
    AccountSuspended,
    BonusPaid,
    ChangesRequested,
    ContractEnded,
    ContractPaused,
    ContractResumed,
    DisputeOpened,
    DisputeResolved,
    EscrowReturned,
    Event,
    FeedbackEditEnabled,
    FeedbackKind,
    FeedbackLeft,
    FeedbackRemoved,
    FeedbackResponse,
    HoursBilled,
    HoursDisputed,
    InvalidRecord,
    InvalidRecordGroup,
    JobReported,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    RefundIssued,
    WorkSubmitted,
)
from gigpolicy._contract import MAX_COMMENT, MAX_TEXT
from gigpolicy._events import EVENT_TYPES

NAIVE = datetime(2026, 11, 2, 15)  # noqa: DTZ001 - the naive instant the checks refuse

HOURS = HoursBilled(at=day(), week_ending=SUNDAY, hours=Decimal("7.5"), amount=usd(300))
FEEDBACK = FeedbackLeft(at=day(), by=Party.CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal("4.5"), comment="Good")

#: One valid instance of every event class.
VALID: list[Event] = [
    MilestoneFunded(at=day(), milestone="m1", amount=usd("500.00"), due_at=day(7)),
    WorkSubmitted(at=day(), milestone="m1"),
    ChangesRequested(at=day(), milestone="m1"),
    MilestoneReleased(at=day(), milestone="m1", amount=usd(1)),
    EscrowReturned(at=day(), milestone="m1", amount=usd(1)),
    HOURS,
    HoursDisputed(at=day(), week_ending=SUNDAY),
    BonusPaid(at=day(), amount=usd(1)),
    RefundIssued(at=day(), amount=usd(1)),
    DisputeOpened(at=day(), by=Party.CLIENT, milestone="m1"),
    DisputeResolved(at=day(), to_freelancer=usd(1), to_client=usd(0)),
    ContractPaused(at=day(), by=Party.CLIENT),
    ContractResumed(at=day(), by=Party.CLIENT),
    ContractEnded(at=day(), by=Party.FREELANCER, reason="unethical request"),
    FEEDBACK,
    FeedbackResponse(at=day(), by=Party.FREELANCER),
    FeedbackEditEnabled(at=day(), by=Party.FREELANCER),
    FeedbackRemoved(at=day(), author=Party.CLIENT, reason="retaliation"),
    AccountSuspended(at=day(), party=Party.CLIENT, reason="tos_violation"),
    JobReported(at=day(), by=Party.FREELANCER, reason="unethical request"),
]


def _rebuild(event: Event, **changes: Any) -> Event:
    return attrs.evolve(event, **changes)


def _single(event: Event, **changes: Any) -> tuple[str, str]:
    with pytest.raises(InvalidRecord) as caught:
        _rebuild(event, **changes)
    assert not isinstance(caught.value, InvalidRecordGroup)
    return caught.value.path, caught.value.problem


class TestEventTypes:
    """The table of event types."""

    def test_every_type_is_listed(self) -> None:
        """The record format has twenty event types, each mapped to its class."""
        assert [type(event) for event in VALID] == list(EVENT_TYPES.values())

    def test_type_names(self) -> None:
        """Each class's TYPE is its key in the table."""
        assert list(EVENT_TYPES) == [cls.TYPE for cls in EVENT_TYPES.values()]

    @pytest.mark.parametrize("event", VALID, ids=lambda event: type(event).TYPE)
    def test_naive_at_is_refused(self, event: Event) -> None:
        """Every event's ``at`` must be timezone-aware."""
        assert ("at", "must be timezone-aware (it has no UTC offset)") == _single(event, at=NAIVE)

    @pytest.mark.parametrize("event", VALID, ids=lambda event: type(event).TYPE)
    def test_valid_event_keeps_its_fields(self, event: Event) -> None:
        """A valid event is built unchanged, and equals a rebuild of itself."""
        assert event == _rebuild(event)

    def test_base_event(self) -> None:
        """The base class checks ``at`` and nothing else."""
        assert day(1) == Event(at=day(1)).at


class TestMoneyFields:
    """Amounts are Money and greater than zero; dispute shares may be zero."""

    @pytest.mark.parametrize("event", [e for e in VALID if hasattr(e, "amount")], ids=lambda event: type(event).TYPE)
    @pytest.mark.parametrize(
        ("amount", "problem"),
        [
            (Money.zero("USD"), "must be greater than zero"),
            (Money.of("-1", "USD"), "must be greater than zero"),
            (Decimal(1), "must be Money, not Decimal"),
            ("1.00", "must be Money, not str"),
        ],
    )
    def test_amount(self, event: Event, amount: object, problem: str) -> None:
        """A zero, negative or non-Money ``amount`` is refused."""
        assert ("amount", problem) == _single(event, amount=amount)

    @pytest.mark.parametrize("name", ["to_freelancer", "to_client"])
    def test_dispute_shares(self, name: str) -> None:
        """A dispute share may be zero but not negative, and must be Money."""
        event = VALID[10]
        zero = _rebuild(event, **{name: Money.zero("USD")})
        assert (Money.zero("USD"), (name, "must not be negative"), (name, "must be Money, not int")) == (
            getattr(zero, name),
            _single(event, **{name: Money.of(-1, "USD")}),
            _single(event, **{name: 0}),
        )


class TestTextFields:
    """Milestones, reasons and comments are non-empty strings within a limit."""

    @pytest.mark.parametrize(
        "event", [e for e in VALID if getattr(e, "milestone", None) is not None], ids=lambda event: type(event).TYPE
    )
    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            ("", "must not be empty"),
            (" \t", "must not be empty"),
            (1, "must be a string, not int"),
            ("m" * (MAX_TEXT + 1), f"is longer than {MAX_TEXT} characters"),
        ],
    )
    def test_milestone(self, event: Event, value: object, problem: str) -> None:
        """A bad ``milestone`` is refused."""
        assert ("milestone", problem) == _single(event, milestone=value)

    @pytest.mark.parametrize(
        "event", [e for e in VALID if getattr(e, "reason", None) is not None], ids=lambda event: type(event).TYPE
    )
    def test_reason(self, event: Event) -> None:
        """An empty ``reason`` is refused."""
        assert ("reason", "must not be empty") == _single(event, reason="")

    @pytest.mark.parametrize("event", [VALID[9], VALID[0], VALID[13]], ids=lambda event: type(event).TYPE)
    def test_optional_fields_may_be_absent(self, event: Event) -> None:
        """The optional milestone, due date and reason may be None."""
        name = {DisputeOpened: "milestone", MilestoneFunded: "due_at", ContractEnded: "reason"}[type(event)]
        assert None is getattr(_rebuild(event, **{name: None}), name)

    @pytest.mark.parametrize(
        ("reason", "expected"), [(None, "must be a string, not NoneType"), ("", "must not be empty")]
    )
    def test_required_reasons(self, reason: object, expected: str) -> None:
        """Removals, suspensions and reports need a reason."""
        assert [("reason", expected)] * 3 == [_single(VALID[index], reason=reason) for index in (17, 18, 19)]

    def test_due_at_must_be_aware(self) -> None:
        """A funded milestone's ``due_at`` must be timezone-aware."""
        assert ("due_at", "must be timezone-aware (it has no UTC offset)") == _single(VALID[0], due_at=NAIVE)


class TestPartyFields:
    """Parties are Party members, not strings."""

    @pytest.mark.parametrize(
        ("event", "name"),
        [(event, name) for event in VALID for name in ("by", "author", "party") if hasattr(event, name)],
        ids=lambda value: value if isinstance(value, str) else type(value).TYPE,
    )
    def test_party_must_be_a_party(self, event: Event, name: str) -> None:
        """A party given as a plain string is refused."""
        assert (name, "must be a Party") == _single(event, **{name: "client"})


class TestHours:
    """Billed weeks end on a Sunday; hours are 0 to 168."""

    @pytest.mark.parametrize("event", [VALID[5], VALID[6]], ids=lambda event: type(event).TYPE)
    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            (date(2026, 11, 9), "2026-11-09 is a Monday, not a Sunday"),
            (date(2026, 11, 7), "2026-11-07 is a Saturday, not a Sunday"),
            (datetime(2026, 11, 8, tzinfo=day().tzinfo), "must be a date"),
            ("2026-11-08", "must be a date"),
        ],
    )
    def test_week_ending(self, event: Event, value: object, problem: str) -> None:
        """``week_ending`` must be a date that is a Sunday."""
        assert ("week_ending", problem) == _single(event, week_ending=value)

    @pytest.mark.parametrize(
        ("hours", "problem"),
        [
            (Decimal(169), "must be between 0 and 168, not 169"),
            (Decimal(-1), "must be between 0 and 168, not -1"),
            (7, "must be a Decimal, not int"),
            (Decimal("1.0000001"), "1.0000001 has more than 6 decimal places"),
        ],
    )
    def test_bad_hours(self, hours: object, problem: str) -> None:
        """Hours outside 0-168, or not an exact Decimal, are refused."""
        assert ("hours", problem) == _single(VALID[5], hours=hours)

    @pytest.mark.parametrize("hours", [Decimal(0), Decimal(168)])
    def test_hour_limits(self, hours: Decimal) -> None:
        """Zero and 168 hours are allowed."""
        assert hours == attrs.evolve(HOURS, hours=hours).hours


class TestFeedback:
    """Ratings by kind, and comments."""

    @pytest.mark.parametrize(
        ("kind", "rating"),
        [
            (FeedbackKind.PUBLIC, "1"),
            (FeedbackKind.PUBLIC, "5.0"),
            (FeedbackKind.PUBLIC, "4.75"),
            (FeedbackKind.MID_CONTRACT, "1.0"),
            (FeedbackKind.MID_CONTRACT, "5"),
            (FeedbackKind.PRIVATE, "0"),
            (FeedbackKind.PRIVATE, "10"),
        ],
    )
    def test_ratings_in_range(self, kind: FeedbackKind, rating: str) -> None:
        """Stars are 1.0-5.0; private ratings 0-10; both ends included."""
        built = attrs.evolve(FEEDBACK, kind=kind, rating=Decimal(rating))
        assert (kind, Decimal(rating)) == (built.kind, built.rating)

    @pytest.mark.parametrize(
        ("kind", "rating", "problem"),
        [
            (FeedbackKind.PUBLIC, "0.99", "must be between 1 and 5, not 0.99"),
            (FeedbackKind.PUBLIC, "5.01", "must be between 1 and 5, not 5.01"),
            (FeedbackKind.MID_CONTRACT, "0", "must be between 1 and 5, not 0"),
            (FeedbackKind.PRIVATE, "10.5", "must be between 0 and 10, not 10.5"),
            (FeedbackKind.PRIVATE, "-1", "must be between 0 and 10, not -1"),
            (FeedbackKind.PUBLIC, "4.555", "4.555 has more than 2 decimal places"),
        ],
    )
    def test_ratings_out_of_range(self, kind: FeedbackKind, rating: str, problem: str) -> None:
        """A rating outside its kind's scale, or with more than 2 places, is refused."""
        assert ("rating", problem) == _single(VALID[14], kind=kind, rating=Decimal(rating))

    def test_rating_must_be_decimal(self) -> None:
        """A float rating is refused."""
        assert ("rating", "must be a Decimal, not float") == _single(VALID[14], rating=4.5)

    def test_kind_must_be_a_feedback_kind(self) -> None:
        """A kind given as a string is refused (and the rating is then not judged)."""
        assert ("kind", "must be a FeedbackKind") == _single(VALID[14], kind="public", rating=Decimal(9))

    def test_comment(self) -> None:
        """A comment may be absent or up to 10,000 characters, and not empty."""
        assert (
            None,
            "x" * MAX_COMMENT,
            ("comment", "must not be empty"),
            ("comment", "is longer than 10000 characters"),
        ) == (
            attrs.evolve(FEEDBACK, comment=None).comment,
            attrs.evolve(FEEDBACK, comment="x" * MAX_COMMENT).comment,
            _single(VALID[14], comment=""),
            _single(VALID[14], comment="x" * (MAX_COMMENT + 1)),
        )


class TestSeveralProblems:
    """Every bad field of one event is named together."""

    def test_feedback_with_four_problems(self) -> None:
        """A feedback event with four bad fields raises one group naming all four in field order."""
        with pytest.raises(InvalidRecordGroup) as caught:
            _rebuild(VALID[14], at=NAIVE, by="client", rating=Decimal(9), comment="")
        assert ["at", "by", "rating", "comment"] == paths(caught.value)

    def test_hours_with_three_problems(self) -> None:
        """A weekly invoice with a Monday, too many hours and no money names all three."""
        with pytest.raises(InvalidRecordGroup) as caught:
            _rebuild(VALID[5], week_ending=date(2026, 11, 9), hours=Decimal(200), amount=Money.zero("USD"))
        assert ["week_ending", "hours", "amount"] == paths(caught.value)

    def test_group_is_a_value_error(self) -> None:
        """The group is an InvalidRecord and a ValueError."""
        with pytest.raises(InvalidRecordGroup, match="2 problems") as caught:
            _rebuild(VALID[19], by="x", reason="")
        assert (True, ["by", "reason"]) == (isinstance(caught.value, ValueError), paths(caught.value))
