"""Upwork's rules, one class per question, across the five versions, with reasons and sources."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from tests.records import (
    CLIENT,
    FREELANCER,
    bill,
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
    refund,
    release,
    remove_feedback,
    report,
    request_changes,
    respond,
    submit,
    suspend,
    terms,
    usd,
    week,
)

from gigpolicy import (
    AccountSuspended,
    Context,
    ContractRecord,
    ContractStatus,
    Decision,
    Event,
    FeedbackKind,
    FlatFee,
    InvalidRecord,
    MilestoneFunded,
    Party,
    PerContractFee,
    Policy,
    Question,
    TieredFee,
    UpworkPolicy,
    Verdict,
    evaluate,
    get_policy,
    replay,
)
from gigpolicy._judge import when
from gigpolicy._ledger import Ledger
from gigpolicy._state import Feedback, Payment
from gigpolicy.policies import upwork
from gigpolicy.policies.upwork import VERSIONS, _add_months

V2016, V2020_03, V2020_11, V2023_05, V2023_12, V2025_05 = VERSIONS

#: When feedback closes for a contract ended at ``day(1)`` (2026-11-03 15:00 UTC).
CLOSES = datetime(2026, 11, 18, tzinfo=UTC)


def decide(
    record: ContractRecord,
    at: datetime,
    question: Question,
    party: Party = FREELANCER,
    policy: Policy | str | None = None,
) -> Decision:
    """The decision on *question* for *party*, evaluated alone."""
    return evaluate(record, at=at, policy=policy, questions=[question]).decision(question, party)


def codes(decision: Decision) -> list[str]:
    """The reason codes of *decision*, in order."""
    return [reason.code for reason in decision.reasons]


def utc(year: int, month: int, on: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC instant, to the minute."""
    return datetime(year, month, on, hour, minute, tzinfo=UTC)


def paid_and_ended(*later: Event, by: Party = CLIENT) -> ContractRecord:
    """$500 funded and released at once, ended at ``day(1)``, then *later* events."""
    return fixed(fund(day(0, minutes=5)), release(day(0, hours=1)), end(day(1), by=by), *later)


class TestVersions:
    """The six versions and what each one changed."""

    def test_effective_dates(self) -> None:
        """The versions start on the dates of the SPEC's table, oldest first."""
        expected = [
            date(2016, 6, 21),
            date(2020, 3, 1),
            date(2020, 11, 8),
            date(2023, 5, 3),
            date(2023, 12, 5),
            date(2025, 5, 1),
        ]
        assert expected == [version.effective_from for version in VERSIONS]

    def test_every_version_is_upwork_with_a_source_and_title(self) -> None:
        """Each version is named upwork, says what changed and cites an https source."""
        for version in VERSIONS:
            assert "upwork" == version.name
            assert version.title
            assert version.source is not None
            assert version.source.startswith("https://")

    def test_fee_schedules(self) -> None:
        """The sliding 20/10/5% fee runs until 2023-05-03, a flat 10% after."""
        tiers = TieredFee(
            tiers=((Decimal(500), Decimal("0.20")), (Decimal(10_000), Decimal("0.10")), (None, Decimal("0.05")))
        )
        assert [tiers, tiers, tiers] == [v.fees for v in (V2016, V2020_03, V2020_11)]
        assert [FlatFee(rate=Decimal("0.10"))] * 2 == [v.fees for v in (V2023_05, V2023_12)]
        per_contract = PerContractFee(
            default=FlatFee(rate=Decimal("0.10")), maximum=Decimal("0.15"), started_from=date(2025, 5, 1)
        )
        assert per_contract == V2025_05.fees

    def test_success_score_switches(self) -> None:
        """Earnings weights and the $0-positive exclusion from 2020-03-01, no-feedback exclusion from 2020-11-08."""
        assert [False, True, True, True, True, True] == [v.jss_weigh_by_earnings for v in VERSIONS]
        assert [False, True, True, True, True, True] == [v.jss_exclude_zero_positive for v in VERSIONS]
        assert [False, False, True, True, True, True] == [v.jss_exclude_no_feedback for v in VERSIONS]

    def test_success_score_minimums(self) -> None:
        """Three distinct clients until 2020-11-08, then two; four jobs until 2023-12-05, then two."""
        assert [3, 3, 2, 2, 2, 2] == [v.jss_min_clients for v in VERSIONS]
        assert [4, 4, 4, 4, 2, 2] == [v.jss_min_jobs for v in VERSIONS]

    def test_dispute_answer_shortened_in_december_2023(self) -> None:
        """The client answers a freelancer's dispute within 7 days, 5 from 2023-12-05."""
        assert [7, 7, 7, 7, 5, 5] == [v.client_dispute_response.days for v in VERSIONS]

    def test_shared_defaults(self) -> None:
        """Every version keeps the 14-day window, the $1 threshold and the 14-day auto-release."""
        for version in VERSIONS:
            assert 14 == version.feedback_window_days
            assert Decimal("1.00") == version.display_threshold
            assert timedelta(days=14) == version.replay_rules.auto_release_after
            assert timedelta(0) == version.replay_rules.escrow_return_after_freelancer_end
            assert timedelta(days=7) == version.replay_rules.escrow_return_after_client_end
            assert version.suspension_reasons is None

    def test_changes_of_may_2025(self) -> None:
        """2025-05-01 drops the private rating, closes dormant contracts, wants feedback before a dispute.

        No version before it does any of these.
        """
        assert [True] * 5 + [False] == [v.private_feedback for v in VERSIONS]
        assert [False] * 5 + [True] == [v.feedback_before_dispute for v in VERSIONS]
        assert [None] * 5 + [timedelta(days=90)] == [v.replay_rules.dormant_after for v in VERSIONS]
        assert datetime(2025, 5, 1, tzinfo=UTC) == V2025_05.replay_rules.dormancy_counts_from
        assert upwork.LEAVE_FEEDBACK == V2025_05.private_feedback_source

    def test_latest_is_the_may_2025_version(self) -> None:
        """The latest registered upwork version is the last one built in."""
        assert V2025_05 is get_policy("upwork")

    def test_label(self) -> None:
        """A version's label is its name and first day."""
        assert "upwork@2020-11-08" == V2020_11.label


class TestFeedbackCloses:
    """The end-of-contract window: 00:00 UTC on the 15th day after the end's UTC date."""

    def test_midday_end(self) -> None:
        """An end at 15:00 UTC closes at 00:00 UTC fifteen days after its date."""
        assert CLOSES == V2023_12.feedback_closes(day(1))

    def test_end_just_before_midnight_utc(self) -> None:
        """An end at 23:30 UTC still counts its own UTC date."""
        assert CLOSES == V2023_12.feedback_closes(utc(2026, 11, 3, 23, 30))

    def test_offset_end_uses_the_utc_date(self) -> None:
        """An end at 02:00 +05:00 on Nov 4 is Nov 3 in UTC, so the window closes on Nov 18."""
        assert CLOSES == V2023_12.feedback_closes(datetime(2026, 11, 4, 2, tzinfo=timezone(timedelta(hours=5))))

    def test_the_repeated_hour_of_a_zone_closes_for_each_instant(self) -> None:
        """Two ends in a zone's repeated hour compare equal, yet may fall on two UTC dates: each closes by its own.

        In Tripoli the clocks went back from 02:00 to 01:00 on 2012-11-10: the first 01:00 is
        Nov 9 23:00 UTC, the second Nov 10 00:00 UTC. Whichever is asked first, neither takes the other's close.
        """
        first = datetime(2012, 11, 10, 1, tzinfo=ZoneInfo("Africa/Tripoli"))
        second = first.replace(fold=1)
        assert first == second
        assert (utc(2012, 11, 24), utc(2012, 11, 25)) == (
            V2023_12.feedback_closes(first),
            V2023_12.feedback_closes(second),
        )
        shorter = attrs.evolve(V2023_12, feedback_window_days=13)  # asked the other way round
        assert (utc(2012, 11, 24), utc(2012, 11, 23)) == (
            shorter.feedback_closes(second),
            shorter.feedback_closes(first),
        )

    def test_window_length_is_a_parameter(self) -> None:
        """Evolving the window length moves the close."""
        longer = attrs.evolve(V2023_12, feedback_window_days=30)
        assert utc(2026, 12, 4) == longer.feedback_closes(day(1))


class TestIsPositive:
    """Whether client feedback counts as positive for the success score (a parameter)."""

    @staticmethod
    def given(*ratings: tuple[FeedbackKind, str]) -> tuple[Feedback, ...]:
        return tuple(
            Feedback(by=CLIENT, kind=kind, rating=Decimal(rating), at=day(2), index=i)
            for i, (kind, rating) in enumerate(ratings)
        )

    @pytest.mark.parametrize(
        ("ratings", "expected"),
        [
            (((FeedbackKind.PUBLIC, "4.0"),), True),
            (((FeedbackKind.PUBLIC, "3.99"),), False),
            (((FeedbackKind.PRIVATE, "7"),), True),
            (((FeedbackKind.PRIVATE, "6.99"),), False),
            (((FeedbackKind.PUBLIC, "5"), (FeedbackKind.PRIVATE, "6")), False),
            (((FeedbackKind.PUBLIC, "3"), (FeedbackKind.PRIVATE, "10")), False),
            (((FeedbackKind.PUBLIC, "4.5"), (FeedbackKind.PRIVATE, "9")), True),
            (((FeedbackKind.PUBLIC, "1"), (FeedbackKind.PUBLIC, "5")), True),
        ],
    )
    def test_thresholds(self, ratings: tuple[tuple[FeedbackKind, str], ...], expected: bool) -> None:
        """Public at least 4.0 and private at least 7 (the latest of each) is positive."""
        assert expected == V2023_12.is_positive(self.given(*ratings))

    def test_thresholds_are_parameters(self) -> None:
        """Raising the public threshold turns a 4.5-star review negative."""
        strict = attrs.evolve(V2023_12, jss_positive_public=Decimal("4.8"))
        assert not strict.is_positive(self.given((FeedbackKind.PUBLIC, "4.5")))


class TestEndContract:
    """Either party may end a contract at any time, once."""

    @pytest.mark.parametrize("party", list(Party))
    def test_open_contract(self, party: Party) -> None:
        """Either party may end an open contract; before 2025-05-01 that never changes by time alone."""
        decision = decide(fixed(fund(day(0))), day(3), Question.END_CONTRACT, party, V2023_12)
        assert (True, None, ["EITHER_PARTY_MAY_END"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.END_CONTRACT == decision.reasons[0].source

    @pytest.mark.parametrize("party", list(Party))
    def test_open_contract_until_dormancy(self, party: Party) -> None:
        """From 2025-05-01, a contract holding escrow that sees no activity closes as dormant after 90 days."""
        decision = decide(fixed(fund(day(0))), day(3), Question.END_CONTRACT, party)
        assert (True, day(90)) == (decision.answer, decision.until)
        assert ["EITHER_PARTY_MAY_END", "DORMANCY_AHEAD"] == codes(decision)
        assert "closes the contract as dormant on 2027-01-31 15:00 UTC" in decision.reasons[1].message
        assert upwork.DORMANT == decision.reasons[1].source

    def test_paused_contract(self) -> None:
        """A paused contract can be ended too."""
        from tests.records import pause  # noqa: PLC0415 - used by this test only

        assert decide(fixed(fund(day(0)), pause(day(1))), day(2), Question.END_CONTRACT, CLIENT).answer

    @pytest.mark.parametrize("party", list(Party))
    def test_ended_contract(self, party: Party) -> None:
        """Nobody ends a contract twice."""
        decision = decide(fixed(end(day(1))), day(2), Question.END_CONTRACT, party)
        assert (False, None, ["ALREADY_ENDED"]) == (decision.answer, decision.until, codes(decision))


class TestPublicFeedback:
    """End-of-contract public feedback: from the end until the window closes, once unless re-enabled."""

    @pytest.mark.parametrize("party", list(Party))
    def test_not_ended(self, party: Party) -> None:
        """Before the end, no party may leave end-of-contract feedback; a dormancy closure would open it."""
        decision = decide(fixed(fund(day(0))), day(2), Question.PUBLIC_FEEDBACK, party, V2023_12)
        assert (False, None, ["CONTRACT_NOT_ENDED"]) == (decision.answer, decision.until, codes(decision))
        dormant = decide(fixed(fund(day(0))), day(2), Question.PUBLIC_FEEDBACK, party)
        assert (False, day(90), ["CONTRACT_NOT_ENDED"]) == (dormant.answer, dormant.until, codes(dormant))

    @pytest.mark.parametrize("party", list(Party))
    def test_open_until_the_window_closes(self, party: Party) -> None:
        """After the end, each party may leave feedback until 00:00 UTC on the 15th day."""
        decision = decide(fixed(end(day(1))), day(2), Question.PUBLIC_FEEDBACK, party)
        assert (True, CLOSES) == (decision.answer, decision.until)
        assert ["CONTRACT_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert upwork.GIVE_FEEDBACK == decision.reasons[1].source

    def test_open_from_the_instant_of_the_end(self) -> None:
        """The window opens at the end itself."""
        assert decide(fixed(end(day(1))), day(1), Question.PUBLIC_FEEDBACK, CLIENT).answer

    def test_end_at_23_30_utc(self) -> None:
        """An end at 23:30 UTC leaves a window to 00:00 UTC of its UTC date + 15 days."""
        record = fixed(end(utc(2026, 11, 3, 23, 30)))
        decision = decide(record, utc(2026, 11, 17, 23, 59) + timedelta(seconds=59), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, CLOSES) == (decision.answer, decision.until)

    def test_end_at_an_offset(self) -> None:
        """An end at 02:00 +05:00 on Nov 4 (Nov 3 UTC) closes on Nov 18, not Nov 19."""
        ended = datetime(2026, 11, 4, 2, tzinfo=timezone(timedelta(hours=5)))
        decision = decide(fixed(end(ended)), utc(2026, 11, 10), Question.PUBLIC_FEEDBACK, CLIENT)
        assert CLOSES == decision.until

    def test_window_closed(self) -> None:
        """At the close the answer is no, for good."""
        decision = decide(fixed(end(day(1))), CLOSES, Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_already_left(self) -> None:
        """A party that left public feedback may not leave it again."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT))
        decision = decide(record, day(3), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["ALREADY_LEFT"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.EDIT_FEEDBACK == decision.reasons[0].source

    def test_the_other_party_is_unaffected(self) -> None:
        """One party's feedback leaves the other's window open."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT))
        assert decide(record, day(3), Question.PUBLIC_FEEDBACK, FREELANCER).answer

    def test_edit_enabled_by_the_recipient(self) -> None:
        """Once the recipient enables a change, the author has 14 days to edit."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT), enable_edit(day(5), by=FREELANCER))
        decision = decide(record, day(6), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(19), ["CONTRACT_ENDED", "WITHIN_WINDOW"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )

    def test_edit_window_closes(self) -> None:
        """Fourteen days after the enabling, the edit is closed."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT), enable_edit(day(5), by=FREELANCER))
        decision = decide(record, day(19), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_edit_enabled_after_the_feedback_window(self) -> None:
        """A change enabled after the feedback window has its own 14 days."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT), enable_edit(day(20), by=FREELANCER))
        decision = decide(record, day(21), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(34)) == (decision.answer, decision.until)

    def test_several_edits_in_the_window(self) -> None:
        """Once a change is enabled, the author may edit several times within its 14 days."""
        record = fixed(
            end(day(1)),
            feedback(day(2), by=CLIENT),
            enable_edit(day(3), by=FREELANCER),
            feedback(day(4), by=CLIENT),
        )
        decision = decide(record, day(5), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(17)) == (decision.answer, decision.until)

    def test_edit_enabled_by_the_author_does_not_count(self) -> None:
        """Only the recipient can enable a change."""
        record = fixed(end(day(1)), feedback(day(2), by=CLIENT), enable_edit(day(3), by=CLIENT))
        assert ["ALREADY_LEFT"] == codes(decide(record, day(4), Question.PUBLIC_FEEDBACK, CLIENT))

    def test_edit_enabled_before_the_feedback_does_not_count(self) -> None:
        """An enabling older than the feedback does not reopen it."""
        record = fixed(end(day(1)), enable_edit(day(1, hours=1), by=FREELANCER), feedback(day(2), by=CLIENT))
        assert ["ALREADY_LEFT"] == codes(decide(record, day(4), Question.PUBLIC_FEEDBACK, CLIENT))


class TestPrivateFeedback:
    """The client's private 0-10 rating before 2025-05-01: on ended contracts, $0 ones too, once, in the window."""

    def test_ended_zero_dollar_contract(self) -> None:
        """The client may rate privately on an ended $0 contract until the window closes."""
        decision = decide(fixed(fund(day(0)), end(day(1))), day(2), Question.PRIVATE_FEEDBACK, CLIENT, V2023_12)
        assert (True, CLOSES) == (decision.answer, decision.until)
        assert ["PRIVATE_FEEDBACK_OFFERED", "CONTRACT_ENDED", "WITHIN_WINDOW", "NOT_YET_LEFT"] == codes(decision)
        assert upwork.PRIVATE_FEEDBACK == decision.reasons[0].source

    def test_not_ended(self) -> None:
        """Private feedback waits for the end."""
        decision = decide(fixed(fund(day(0))), day(2), Question.PRIVATE_FEEDBACK, CLIENT, V2023_12)
        assert (False, None, ["CONTRACT_NOT_ENDED"]) == (decision.answer, decision.until, codes(decision))

    def test_flag_off(self) -> None:
        """With the private rating replaced by a note, the answer is no."""
        note_only = attrs.evolve(V2023_12, private_feedback=False)
        decision = decide(fixed(end(day(1))), day(2), Question.PRIVATE_FEEDBACK, CLIENT, note_only)
        assert (False, None, ["PRIVATE_FEEDBACK_NOT_OFFERED"]) == (decision.answer, decision.until, codes(decision))

    def test_flag_off_and_not_ended_lists_both(self) -> None:
        """Every failed condition is listed."""
        note_only = attrs.evolve(V2023_12, private_feedback=False)
        decision = decide(fixed(), day(2), Question.PRIVATE_FEEDBACK, CLIENT, note_only)
        assert ["PRIVATE_FEEDBACK_NOT_OFFERED", "CONTRACT_NOT_ENDED"] == codes(decision)

    def test_window_closed(self) -> None:
        """At the close of the feedback window private feedback closes too."""
        decision = decide(fixed(end(day(1))), CLOSES, Question.PRIVATE_FEEDBACK, CLIENT, V2023_12)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_already_left(self) -> None:
        """Private feedback is left once and never changed."""
        record = fixed(end(day(1)), feedback(day(2), kind=FeedbackKind.PRIVATE, rating="3"))
        decision = decide(record, day(3), Question.PRIVATE_FEEDBACK, CLIENT, V2023_12)
        assert (False, None, ["ALREADY_LEFT"]) == (decision.answer, decision.until, codes(decision))

    def test_already_left_and_window_closed(self) -> None:
        """Both failed conditions are listed."""
        record = fixed(end(day(1)), feedback(day(2), kind=FeedbackKind.PRIVATE, rating="3"))
        assert ["WINDOW_CLOSED", "ALREADY_LEFT"] == codes(
            decide(record, day(30), Question.PRIVATE_FEEDBACK, CLIENT, V2023_12)
        )

    def test_removed_from_may_2025(self) -> None:
        """From 2025-05-01 the form has no private rating: no, with the help article that says so."""
        decision = decide(fixed(fund(day(0)), end(day(1))), day(2), Question.PRIVATE_FEEDBACK, CLIENT)
        assert (False, None) == (decision.answer, decision.until)
        assert "PRIVATE_FEEDBACK_NOT_OFFERED" == decision.reasons[0].code
        assert upwork.LEAVE_FEEDBACK == decision.reasons[0].source
        assert "private note" in decision.reasons[0].message


class TestMidContractFeedback:
    """Mid-contract feedback: 30 days old, a payment in the last 30 days, no client feedback in 30 days."""

    PAID_ON_DAY_20 = (fund(day(0)), release(day(20), amount="100.00"))

    def test_allowed(self) -> None:
        """At 30 days old with a payment 10 days ago the client may; until that payment is 30 days old."""
        decision = decide(fixed(*self.PAID_ON_DAY_20), day(30), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (True, day(50)) == (decision.answer, decision.until)
        assert ["CONTRACT_OPEN", "CONTRACT_OLD_ENOUGH", "RECENT_PAYMENT", "NO_RECENT_CLIENT_FEEDBACK"] == codes(
            decision
        )
        assert all(upwork.MID_CONTRACT == reason.source for reason in decision.reasons)

    def test_too_new(self) -> None:
        """A 29-day-old contract must wait until it is 30 days old."""
        decision = decide(fixed(*self.PAID_ON_DAY_20), day(29), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (False, day(30), ["CONTRACT_TOO_NEW"]) == (decision.answer, decision.until, codes(decision))

    def test_no_recent_payment(self) -> None:
        """Thirty days after the last payment, the answer is no for good."""
        decision = decide(fixed(*self.PAID_ON_DAY_20), day(50), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (False, None, ["NO_RECENT_PAYMENT"]) == (decision.answer, decision.until, codes(decision))

    def test_every_failed_condition_is_listed(self) -> None:
        """Too new and never paid: both reasons."""
        decision = decide(fixed(fund(day(0))), day(5), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (False, None, ["CONTRACT_TOO_NEW", "NO_RECENT_PAYMENT"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )

    def test_recent_client_feedback(self) -> None:
        """After mid-contract feedback, the client waits 30 days."""
        record = fixed(
            *self.PAID_ON_DAY_20,
            feedback(day(31), kind=FeedbackKind.MID_CONTRACT),
            release(day(40), amount="100.00", milestone="m1"),
        )
        decision = decide(record, day(45), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (False, day(61), ["RECENT_CLIENT_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_ended(self) -> None:
        """Mid-contract feedback closes with the contract."""
        record = fixed(*self.PAID_ON_DAY_20, end(day(31)))
        decision = decide(record, day(32), Question.MID_CONTRACT_FEEDBACK, CLIENT)
        assert (False, None, ["CONTRACT_ENDED"]) == (decision.answer, decision.until, codes(decision))

    def test_hourly_invoices_are_payments(self) -> None:
        """A billed week is a payment."""
        record = hourly(bill(day(6, hours=21)), bill(day(34, hours=21), ending=week(5)))
        assert decide(record, day(35), Question.MID_CONTRACT_FEEDBACK, CLIENT).answer


class TestFeedbackPublished:
    """Double-blind publication, and the $1.00 net-paid display threshold."""

    def test_hidden_until_the_other_leaves_theirs(self) -> None:
        """A lone review stays hidden until the window closes."""
        decision = decide(paid_and_ended(feedback(day(2))), day(3), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, CLOSES, ["DOUBLE_BLIND"]) == (decision.answer, decision.until, codes(decision))

    def test_shown_when_both_left(self) -> None:
        """Both reviews in: both are shown at once."""
        record = paid_and_ended(feedback(day(2)), feedback(day(4), by=FREELANCER))
        for party in Party:
            decision = decide(record, day(4), Question.FEEDBACK_PUBLISHED, party)
            assert (True, None) == (decision.answer, decision.until)
            assert ["BOTH_LEFT_FEEDBACK", "NET_PAID_AT_LEAST_THRESHOLD"] == codes(decision)

    def test_shown_when_the_window_closes(self) -> None:
        """Once the window closes, a lone review is shown."""
        decision = decide(paid_and_ended(feedback(day(2))), CLOSES, Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (True, None, ["REVEALED_AT_WINDOW_CLOSE", "NET_PAID_AT_LEAST_THRESHOLD"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert upwork.FEEDBACK_VISIBILITY == decision.reasons[1].source

    def test_no_feedback(self) -> None:
        """A party that left nothing has nothing published."""
        decision = decide(paid_and_ended(), day(3), Question.FEEDBACK_PUBLISHED, FREELANCER)
        assert (False, None, ["NO_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))

    def test_below_one_dollar_never_shown(self) -> None:
        """Net paid below $1.00: hidden even after the window closes, with both reasons while blind."""
        record = fixed(fund(day(0)), release(day(0, hours=1), amount="0.99"), end(day(1)), feedback(day(2)))
        blind = decide(record, day(3), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["DOUBLE_BLIND", "NET_PAID_BELOW_THRESHOLD"]) == (
            blind.answer,
            blind.until,
            codes(blind),
        )
        later = decide(record, day(40), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["NET_PAID_BELOW_THRESHOLD"]) == (later.answer, later.until, codes(later))

    def test_exactly_one_dollar_is_shown(self) -> None:
        """Net paid of exactly $1.00 is enough."""
        record = fixed(fund(day(0)), release(day(0, hours=1), amount="1.00"), end(day(1)), feedback(day(2)))
        assert decide(record, CLOSES, Question.FEEDBACK_PUBLISHED, CLIENT).answer

    def test_refund_below_one_dollar_hides_it(self) -> None:
        """A refund that leaves less than $1.00 net hides the review."""
        record = paid_and_ended(
            refund(day(1, hours=1), amount="499.50"), feedback(day(2)), feedback(day(2), by=FREELANCER)
        )
        assert ["NET_PAID_BELOW_THRESHOLD"] == codes(decide(record, day(3), Question.FEEDBACK_PUBLISHED, CLIENT))

    def test_removed_feedback(self) -> None:
        """Feedback Upwork removed is not published."""
        record = paid_and_ended(feedback(day(2)), remove_feedback(day(5)))
        decision = decide(record, day(30), Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, None, ["FEEDBACK_REMOVED"]) == (decision.answer, decision.until, codes(decision))

    def test_threshold_is_a_parameter(self) -> None:
        """Lowering the threshold to zero shows a $0 contract's review."""
        anything = attrs.evolve(V2023_12, display_threshold=Decimal(0))
        record = fixed(end(day(1)), feedback(day(2)))
        assert decide(record, CLOSES, Question.FEEDBACK_PUBLISHED, CLIENT, anything).answer


class TestRespondToFeedback:
    """One public response, within 28 days of the end, once the other's feedback is revealed."""

    def test_nothing_to_respond_to(self) -> None:
        """Without the other's public feedback there is nothing to answer."""
        decision = decide(paid_and_ended(), day(3), Question.RESPOND_TO_FEEDBACK)
        assert (False, None, ["NO_FEEDBACK_TO_RESPOND_TO"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.RESPOND == decision.reasons[0].source

    def test_not_before_the_reveal(self) -> None:
        """A hidden review cannot be answered until the window closes."""
        decision = decide(paid_and_ended(feedback(day(2))), day(3), Question.RESPOND_TO_FEEDBACK)
        assert (False, CLOSES, ["DOUBLE_BLIND"]) == (decision.answer, decision.until, codes(decision))

    def test_after_the_reveal_until_28_days(self) -> None:
        """Once revealed, the response is open until 28 days after the end."""
        record = paid_and_ended(feedback(day(2)), feedback(day(3), by=FREELANCER))
        decision = decide(record, day(4), Question.RESPOND_TO_FEEDBACK)
        assert (True, day(29)) == (decision.answer, decision.until)
        assert ["BOTH_LEFT_FEEDBACK", "WITHIN_WINDOW", "NOT_YET_RESPONDED"] == codes(decision)

    def test_client_may_respond_too(self) -> None:
        """The client answers the freelancer's revealed review the same way."""
        record = paid_and_ended(feedback(day(2), by=FREELANCER))
        assert (True, day(29)) == (
            decide(record, CLOSES, Question.RESPOND_TO_FEEDBACK, CLIENT).answer,
            decide(record, CLOSES, Question.RESPOND_TO_FEEDBACK, CLIENT).until,
        )

    def test_response_period_closed(self) -> None:
        """Twenty-eight days after the end, no response."""
        decision = decide(paid_and_ended(feedback(day(2))), day(29), Question.RESPOND_TO_FEEDBACK)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_one_response(self) -> None:
        """A response cannot be repeated."""
        record = paid_and_ended(feedback(day(2)), feedback(day(3), by=FREELANCER), respond(day(4)))
        decision = decide(record, day(5), Question.RESPOND_TO_FEEDBACK)
        assert (False, None, ["ALREADY_RESPONDED"]) == (decision.answer, decision.until, codes(decision))


class TestOpenDispute:
    """Who may open a dispute, on which contract, and until when."""

    def test_fixed_freelancer_after_client_end_with_escrow(self) -> None:
        """The client ended with escrow held: the freelancer disputes within 7 days."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        decision = decide(record, day(2), Question.OPEN_DISPUTE, FREELANCER, V2023_12)
        assert (True, day(8)) == (decision.answer, decision.until)
        assert ["NO_DISPUTE_OPEN", "ESCROW_HELD", "WITHIN_WINDOW"] == codes(decision)
        assert upwork.DISPUTE_2023 == decision.reasons[2].source

    def test_fixed_freelancer_after_the_window(self) -> None:
        """Seven days after the client's end the escrow is back with the client and the window closed."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        decision = decide(record, day(8), Question.OPEN_DISPUTE, FREELANCER, V2023_12)
        assert (False, None, ["NO_ESCROW", "WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_fixed_freelancer_ended_it(self) -> None:
        """When the freelancer ends, escrow goes back at once: nothing to dispute."""
        decision = decide(fixed(fund(day(0)), end(day(1))), day(2), Question.OPEN_DISPUTE, FREELANCER, V2023_12)
        assert (False, None, ["NO_ESCROW"]) == (decision.answer, decision.until, codes(decision))

    def test_fixed_freelancer_changes_requested(self) -> None:
        """On an active contract, a refused release opens a dispute."""
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)))
        decision = decide(record, day(3), Question.OPEN_DISPUTE, FREELANCER, V2023_12)
        assert (True, None, ["NO_DISPUTE_OPEN", "ESCROW_HELD", "RELEASE_REFUSED"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )

    def test_fixed_freelancer_nothing_refused(self) -> None:
        """Funded and active with no refusal: no dispute."""
        decision = decide(fixed(fund(day(0))), day(3), Question.OPEN_DISPUTE, FREELANCER, V2023_12)
        assert (False, None, ["NOTHING_REFUSED"]) == (decision.answer, decision.until, codes(decision))

    def test_feedback_required_from_may_2025(self) -> None:
        """From 2025-05-01 the freelancer leaves feedback for the client before filing a fixed-price dispute."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        decision = decide(record, day(2), Question.OPEN_DISPUTE)
        assert (False, None, ["FEEDBACK_REQUIRED"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.DISPUTE == decision.reasons[0].source
        after = decide(record._extended(feedback(day(2), by=FREELANCER)), day(2), Question.OPEN_DISPUTE)
        assert (True, day(8)) == (after.answer, after.until)
        assert ["NO_DISPUTE_OPEN", "ESCROW_HELD", "FEEDBACK_LEFT", "WITHIN_WINDOW"] == codes(after)

    def test_no_feedback_required_on_an_active_contract(self) -> None:
        """Feedback opens only at the end, so the requirement is the ended contract's: a refused release is disputed."""
        record = fixed(fund(day(0)), submit(day(1)), request_changes(day(2)))
        decision = decide(record, day(3), Question.OPEN_DISPUTE)
        assert (True, ["NO_DISPUTE_OPEN", "ESCROW_HELD", "RELEASE_REFUSED"]) == (decision.answer, codes(decision))

    def test_feedback_required_is_the_freelancers(self) -> None:
        """The client's request for escrow back needs no feedback."""
        record = fixed(fund(day(0)), submit(day(1)))
        assert decide(record, day(3), Question.OPEN_DISPUTE, CLIENT).answer

    def test_fixed_client_with_escrow(self) -> None:
        """The client may ask for held escrow back; submitted work releases in 14 days, ending that."""
        decision = decide(fixed(fund(day(0)), submit(day(1))), day(3), Question.OPEN_DISPUTE, CLIENT)
        assert (True, day(15)) == (decision.answer, decision.until)
        assert ["NO_DISPUTE_OPEN", "ESCROW_HELD", "CLIENT_MAY_REQUEST_REFUND"] == codes(decision)
        assert upwork.ESCROW_REFUND == decision.reasons[2].source

    def test_fixed_client_without_escrow(self) -> None:
        """Nothing held, nothing to ask back."""
        decision = decide(fixed(), day(3), Question.OPEN_DISPUTE, CLIENT)
        assert (False, None, ["NO_ESCROW"]) == (decision.answer, decision.until, codes(decision))

    def test_dispute_already_open(self) -> None:
        """One dispute at a time."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT), open_dispute(day(2)))
        assert ["DISPUTE_OPEN"] == codes(decide(record, day(3), Question.OPEN_DISPUTE, CLIENT))
        assert ["DISPUTE_OPEN"] == codes(decide(record, day(3), Question.OPEN_DISPUTE, FREELANCER, V2023_12))

    def test_hourly_client_until_saturday(self) -> None:
        """A billed week can be disputed until 00:00 UTC on the Saturday after its Sunday."""
        record = hourly(bill(day(6, hours=21)))
        decision = decide(record, day(7), Question.OPEN_DISPUTE, CLIENT)
        saturday = utc(2026, 11, 14)
        assert 5 == saturday.weekday()  # a Saturday
        assert (True, saturday, ["WEEK_IN_REVIEW"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert upwork.HOURLY_DISPUTE == decision.reasons[0].source

    def test_hourly_client_friday_last_second(self) -> None:
        """Friday 23:59:59 UTC is still in review; Saturday 00:00 is not."""
        record = hourly(bill(day(6, hours=21)))
        assert decide(record, utc(2026, 11, 13, 23, 59) + timedelta(seconds=59), Question.OPEN_DISPUTE, CLIENT).answer
        late = decide(record, utc(2026, 11, 14), Question.OPEN_DISPUTE, CLIENT)
        assert (False, None, ["NO_WEEK_IN_REVIEW"]) == (late.answer, late.until, codes(late))

    def test_hourly_client_latest_week(self) -> None:
        """With two weeks billed, the second week's review decides."""
        record = hourly(bill(day(6, hours=21)), bill(day(13, hours=21), ending=week(2)))
        decision = decide(record, day(14), Question.OPEN_DISPUTE, CLIENT)
        assert (True, utc(2026, 11, 21)) == (decision.answer, decision.until)

    def test_hourly_disputed_week(self) -> None:
        """A disputed week is in dispute, not in review; each week has its own review period."""
        record = hourly(bill(day(6, hours=21)), dispute_hours(day(8)))
        decision = decide(record, day(9), Question.OPEN_DISPUTE, CLIENT)
        assert (False, None, ["NO_WEEK_IN_REVIEW"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )

    def test_hourly_freelancer(self) -> None:
        """On hourly contracts only the client disputes."""
        decision = decide(hourly(bill(day(6, hours=21))), day(7), Question.OPEN_DISPUTE, FREELANCER)
        assert (False, None, ["HOURLY_DISPUTES_ARE_CLIENTS"]) == (decision.answer, decision.until, codes(decision))


class TestIssueRefund:
    """The freelancer refunds payments of the last 180 days, no more than their net, in every version."""

    def test_paid(self) -> None:
        """Paid money can be refunded until 180 days after the payment."""
        decision = decide(fixed(fund(day(0)), release(day(1), amount="100.00")), day(2), Question.ISSUE_REFUND)
        assert (True, day(181), ["MONEY_PAID", "RECENT_PAYMENTS", "WITHIN_WINDOW"]) == (
            decision.answer,
            decision.until,
            codes(decision),
        )
        assert "100.00 USD was paid in the last 180 days and can be refunded." == decision.reasons[1].message
        assert all(upwork.REFUND == reason.source for reason in decision.reasons)

    @pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.label)
    def test_after_180_days(self, version: UpworkPolicy) -> None:
        """At 180 days from the last payment, no refund: the 180th day is the first instant it is closed."""
        record = fixed(fund(day(0)), release(day(1), amount="100.00"))
        before = decide(record, day(181) - timedelta(microseconds=1), Question.ISSUE_REFUND, policy=version)
        assert (True, day(181)) == (before.answer, before.until)
        decision = decide(record, day(181), Question.ISSUE_REFUND, policy=version)
        assert (False, None, ["NO_RECENT_PAYMENT"]) == (decision.answer, decision.until, codes(decision))

    def test_only_the_recent_payments(self) -> None:
        """Of two payments only the one of the last 180 days can still be refunded."""
        record = fixed(fund(day(0), amount="100.00"), release(day(1), amount="100.00"))
        record = record._extended(fund(day(100), "40.00", "m2"), release(day(100), milestone="m2", amount="40.00"))
        policy = get_policy("upwork")
        state = replay(record, at=day(200), policy=policy)
        assert usd("40.00") == policy.refundable(state)
        assert usd("140.00") == state.net_paid
        decision = decide(record, day(200), Question.ISSUE_REFUND)
        assert (True, day(280)) == (decision.answer, decision.until)

    def test_refunds_come_from_the_newest_payments(self) -> None:
        """A refund after two payments is taken from the newest, so the older one stays refundable until it ages."""
        record = fixed(fund(day(0), amount="100.00"), release(day(1), amount="100.00"))
        record = record._extended(
            fund(day(100), "40.00", "m2"), release(day(100), milestone="m2", amount="40.00"), refund(day(101), "40.00")
        )
        policy = get_policy("upwork")
        assert usd("100.00") == policy.refundable(replay(record, at=day(150), policy=policy))
        decision = decide(record, day(150), Question.ISSUE_REFUND)
        # at day 181 the first payment ages out; what is left of the recent ones was refunded already
        assert (True, day(181)) == (decision.answer, decision.until)

    def test_nothing_paid(self) -> None:
        """Nothing paid, nothing to refund."""
        decision = decide(fixed(fund(day(0))), day(2), Question.ISSUE_REFUND)
        assert (False, None, ["NOTHING_PAID"]) == (decision.answer, decision.until, codes(decision))

    def test_fully_refunded(self) -> None:
        """After a full refund nothing is left to refund."""
        record = fixed(fund(day(0)), release(day(1), amount="100.00"), refund(day(2), amount="100.00"))
        assert ["NOTHING_PAID"] == codes(decide(record, day(3), Question.ISSUE_REFUND))

    def test_what_is_refundable_past_the_largest_amount_is_refused(self) -> None:
        """Recent payments that add up past 10^15 (the release too) are refused as an amount, as such a Money is."""
        from tests.records import bonus  # noqa: PLC0415 - used by these tests only

        huge = "900000000000000.00"
        record = fixed(fund(day(0)), release(day(1), amount="100.00"), bonus(day(2), huge), bonus(day(3), huge))
        with pytest.raises(InvalidRecord, match=r"^amount: 1800000000000100\.00 is larger than gigpolicy accepts"):
            decide(record, day(4), Question.ISSUE_REFUND)
        below = fixed(fund(day(0)), release(day(1), amount="100.00"), bonus(day(2), huge))
        assert decide(below, day(4), Question.ISSUE_REFUND).answer

    def test_window_counts_from_the_last_payment(self) -> None:
        """A later bonus restarts the 180 days."""
        from tests.records import bonus  # noqa: PLC0415 - used by this test only

        record = fixed(fund(day(0)), release(day(1), amount="100.00"), bonus(day(100)))
        assert day(280) == decide(record, day(150), Question.ISSUE_REFUND).until


class TestRefundsMatchPayments:
    """Refunds and disputed weeks are matched to payments when made, so what is refundable never comes back."""

    def test_an_old_refund_does_not_hide_a_new_payment(self) -> None:
        """A bonus refunded in full, then a new bonus: once the first ages out the new one is still refundable."""
        from tests.records import bonus  # noqa: PLC0415 - used by this class only

        record = fixed(bonus(day(1), "100.00"), refund(day(2), "100.00"), bonus(day(170), "100.00"))
        for at in (day(171), day(181), day(181, hours=12), day(182)):
            decision = decide(record, at, Question.ISSUE_REFUND)
            assert (True, day(350)) == (decision.answer, decision.until), at

    def test_a_disputed_week_takes_back_its_own_invoice(self) -> None:
        """A week billed then disputed leaves a later bonus refundable until the bonus ages out."""
        from tests.records import bonus  # noqa: PLC0415 - used by this class only

        record = hourly(bill(day(6, hours=21)), dispute_hours(day(8)), bonus(day(100)))
        policy = get_policy("upwork")
        for at in (day(101), day(186, hours=22), day(190)):
            state = replay(record, at=at, policy=policy)
            assert usd("50.00") == policy.refundable(state), at
            decision = decide(record, at, Question.ISSUE_REFUND)
            assert (True, day(280)) == (decision.answer, decision.until), at

    def test_a_disputed_week_is_not_taken_from_a_later_bonus(self) -> None:
        """A week disputed after a bonus takes back its own invoice, not the newer bonus: the bonus stays refundable."""
        from tests.records import bonus  # noqa: PLC0415 - used by this class only

        record = hourly(bill(day(6, hours=21)), bonus(day(7)), dispute_hours(day(8)))
        policy = get_policy("upwork")
        for at in (day(9), day(186, hours=22)):  # after the week's invoice, not the bonus, left the window
            state = replay(record, at=at, policy=policy)
            assert usd("50.00") == policy.refundable(state), at
        decision = decide(record, day(186, hours=22), Question.ISSUE_REFUND)
        assert (True, day(187)) == (decision.answer, decision.until)

    @pytest.mark.parametrize("listed", [(0, 1, 2), (2, 0, 1), (1, 0, 2)])
    def test_the_order_payments_are_listed_in_does_not_matter(self, listed: tuple[int, ...]) -> None:
        """What is left of each payment follows when each was made, not the order a state lists them in."""
        made = ((day(1), "10.00"), (day(2), "20.00"), (day(3), "30.00"))
        payments = [Payment(at=at, amount=usd(amount), source="bonus_paid") for at, amount in made]
        matching = upwork._Unrefunded(tuple(payments[index] for index in listed), ())
        found = (matching.instants, matching.left, matching.totals, matching.newest)
        amounts = [Decimal(10), Decimal(20), Decimal(30)], [Decimal(0), Decimal(10), Decimal(30), Decimal(60)]
        assert ([day(1), day(2), day(3)], *amounts, 2) == found

    def test_refunded_in_full(self) -> None:
        """Nothing left of any payment: nothing to refund, whatever the window."""
        record = fixed(fund(day(0), amount="100.00"), release(day(1), amount="100.00"), refund(day(2), "100.00"))
        assert ["NOTHING_PAID"] == codes(decide(record, day(3), Question.ISSUE_REFUND))


class TestWorkHistory:
    """The contract shows in the work history once net paid is at least $1.00, ended or not."""

    @pytest.mark.parametrize(
        ("amount", "expected"), [("0.99", False), ("1.00", True), ("1.01", True), ("500.00", True)]
    )
    def test_threshold(self, amount: str, expected: bool) -> None:
        """Shown from $1.00 net paid."""
        record = fixed(fund(day(0)), release(day(1), amount=amount))
        decision = decide(record, day(2), Question.WORK_HISTORY)
        assert (expected, None) == (decision.answer, decision.until)
        assert ["NET_PAID_AT_LEAST_THRESHOLD" if expected else "NET_PAID_BELOW_THRESHOLD"] == codes(decision)
        assert upwork.WORK_HISTORY == decision.reasons[0].source

    def test_ended_or_not(self) -> None:
        """An ended contract shows just as an open one."""
        assert decide(paid_and_ended(), day(3), Question.WORK_HISTORY).answer

    def test_a_threshold_reads_as_its_policy_writes_it(self) -> None:
        """Two equal thresholds written apart (1 and 1.00) each read as written, asked in turn."""
        record = fixed(fund(day(0)), release(day(1), amount="5.00"))
        latest = VERSIONS[-1]
        plain = attrs.evolve(latest, display_threshold=Decimal(1))
        for policy, written in ((latest, "1.00"), (plain, "1"), (latest, "1.00"), (plain, "1")):
            report = evaluate(record, at=day(2), policy=policy)
            message = report.decision(Question.WORK_HISTORY, Party.FREELANCER).reasons[0].message
            assert (
                f"Net paid (5.00 USD) is at least {written} USD, so the contract in the work history is shown."
                == message
            )

    def test_refund_hides_it(self) -> None:
        """Refunding down to $0.50 net removes the entry."""
        record = fixed(fund(day(0)), release(day(1), amount="5.00"), refund(day(2), amount="4.50"))
        assert ["NET_PAID_BELOW_THRESHOLD"] == codes(decide(record, day(3), Question.WORK_HISTORY))


class TestJobSuccessScore:
    """Which contracts count toward the success score, by version."""

    def test_open_contract(self) -> None:
        """An open contract does not count (long-term jobs are not modelled)."""
        decision = decide(fixed(fund(day(0))), day(3), Question.JOB_SUCCESS_SCORE)
        assert (False, None, ["CONTRACT_OPEN"]) == (decision.answer, decision.until, codes(decision))

    def test_no_feedback_now(self) -> None:
        """Since 2020-11-08 a contract ended without feedback does not count."""
        decision = decide(paid_and_ended(), day(3), Question.JOB_SUCCESS_SCORE)
        assert (False, None, ["NO_FEEDBACK"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.JSS_2020_11 == decision.reasons[0].source

    @pytest.mark.parametrize("version", [V2016, V2020_03])
    def test_no_feedback_before_november_2020(self, version: UpworkPolicy) -> None:
        """Before 2020-11-08 a contract ended without feedback counts, for 24 months."""
        decision = decide(paid_and_ended(), day(3), Question.JOB_SUCCESS_SCORE, policy=version)
        assert (True, utc(2028, 11, 3, 15)) == (decision.answer, decision.until)
        assert ["CONTRACT_ENDED", "WITHIN_WINDOW", "NO_FEEDBACK_COUNTS"] == codes(decision)

    def test_zero_dollar_positive_now(self) -> None:
        """Since 2020-03-01 a $0 contract with positive feedback does not count."""
        record = fixed(fund(day(0)), end(day(1)), feedback(day(2), rating="5"))
        decision = decide(record, day(3), Question.JOB_SUCCESS_SCORE)
        assert ["ZERO_EARNINGS_POSITIVE"] == codes(decision)
        assert upwork.JSS_2020_03 == decision.reasons[0].source

    def test_zero_dollar_positive_in_2016(self) -> None:
        """Before 2020-03-01 it counted."""
        record = fixed(fund(day(0)), end(day(1)), feedback(day(2), rating="5"))
        decision = decide(record, day(3), Question.JOB_SUCCESS_SCORE, policy=V2016)
        assert ["CONTRACT_ENDED", "WITHIN_WINDOW", "POSITIVE_FEEDBACK", "EARNED"] == codes(decision)

    def test_paid_positive(self) -> None:
        """A paid contract with positive feedback counts."""
        decision = decide(paid_and_ended(feedback(day(2), rating="4.5")), day(3), Question.JOB_SUCCESS_SCORE)
        assert (True, ["CONTRACT_ENDED", "WITHIN_WINDOW", "POSITIVE_FEEDBACK", "EARNED"]) == (
            decision.answer,
            codes(decision),
        )

    @pytest.mark.parametrize("version", VERSIONS)
    def test_negative_on_zero_dollars_counts(self, version: UpworkPolicy) -> None:
        """Negative feedback counts in every version, $0 contracts included."""
        record = fixed(fund(day(0)), end(day(1)), feedback(day(2), rating="1"))
        decision = decide(record, day(3), Question.JOB_SUCCESS_SCORE, policy=version)
        assert (True, ["CONTRACT_ENDED", "WITHIN_WINDOW", "NEGATIVE_FEEDBACK", "CLIENT_IN_GOOD_STANDING"]) == (
            decision.answer,
            codes(decision),
        )

    def test_negative_private_only_counts(self) -> None:
        """Before 2025-05-01 a low private rating alone is negative feedback that counts."""
        record = fixed(end(day(1)), feedback(day(2), kind=FeedbackKind.PRIVATE, rating="2"))
        assert "NEGATIVE_FEEDBACK" in codes(decide(record, day(3), Question.JOB_SUCCESS_SCORE, policy=V2023_12))

    def test_public_rating_alone_from_may_2025(self) -> None:
        """From 2025-05-01 the score judges the public rating alone: a recorded private rating is no feedback."""
        record = fixed(end(day(1)), feedback(day(2), kind=FeedbackKind.PRIVATE, rating="2"))
        assert ["NO_FEEDBACK"] == codes(decide(record, day(3), Question.JOB_SUCCESS_SCORE))
        both = paid_and_ended(feedback(day(2), rating="5"), feedback(day(2), kind=FeedbackKind.PRIVATE, rating="0"))
        assert "NEGATIVE_FEEDBACK" in codes(decide(both, day(3), Question.JOB_SUCCESS_SCORE, policy=V2023_12))
        assert "POSITIVE_FEEDBACK" in codes(decide(both, day(3), Question.JOB_SUCCESS_SCORE))

    def test_client_suspended_for_tos_violation(self) -> None:
        """Negative feedback from a client suspended for a ToS violation does not count."""
        record = fixed(end(day(1)), feedback(day(2), rating="1"), suspend(day(5)))
        decision = decide(record, day(6), Question.JOB_SUCCESS_SCORE)
        assert (False, None, ["CLIENT_SUSPENDED"]) == (decision.answer, decision.until, codes(decision))
        assert upwork.JSS_SUSPENDED == decision.reasons[0].source

    @pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.label)
    def test_client_suspended_for_another_reason(self, version: UpworkPolicy) -> None:
        """Every suspension of the client counts, whatever its reason text: fraud is a ToS violation too."""
        fraud = AccountSuspended(at=day(5), party=CLIENT, reason="fraud")
        record = fixed(end(day(1)), feedback(day(2), rating="1"), fraud)
        decision = decide(record, day(6), Question.JOB_SUCCESS_SCORE, policy=version)
        assert (False, ["CLIENT_SUSPENDED"]) == (decision.answer, codes(decision))

    def test_narrowed_reasons_never_say_good_standing(self) -> None:
        """With the reasons narrowed, a client suspended for another reason still counts, and is said suspended."""
        fraud = AccountSuspended(at=day(5), party=CLIENT, reason="fraud")
        record = fixed(end(day(1)), feedback(day(2), rating="1"), fraud)
        narrow = attrs.evolve(V2025_05, suspension_reasons=("tos_violation",))
        decision = decide(record, day(6), Question.JOB_SUCCESS_SCORE, policy=narrow)
        assert decision.answer
        assert "CLIENT_SUSPENDED_NOT_EXCLUDED" in codes(decision)
        assert "CLIENT_IN_GOOD_STANDING" not in codes(decision)
        assert "suspended (fraud)" in decision.reasons[-1].message

    def test_a_report_changes_nothing_alone(self) -> None:
        """The freelancer's report of the job shows in the decision: it counts unless the client is suspended."""
        record = fixed(end(day(1)), feedback(day(2), rating="1"), report(day(3)))
        decision = decide(record, day(4), Question.JOB_SUCCESS_SCORE)
        assert decision.answer
        assert "JOB_REPORTED" == decision.reasons[-1].code
        assert upwork.FEEDBACK_REMOVAL == decision.reasons[-1].source
        assert "only if Upwork suspends the client" in decision.reasons[-1].message
        suspended = decide(record._extended(suspend(day(4))), day(5), Question.JOB_SUCCESS_SCORE)
        assert (False, ["CLIENT_SUSPENDED"]) == (suspended.answer, codes(suspended))

    def test_freelancer_suspended(self) -> None:
        """The freelancer's own suspension does not exclude the client's feedback."""
        record = fixed(end(day(1)), feedback(day(2), rating="1"), suspend(day(5), party=FREELANCER))
        assert decide(record, day(6), Question.JOB_SUCCESS_SCORE).answer

    def test_positive_from_suspended_client_counts(self) -> None:
        """The suspension excludes only negative feedback."""
        record = paid_and_ended(feedback(day(2), rating="5"), suspend(day(5)))
        assert decide(record, day(6), Question.JOB_SUCCESS_SCORE).answer

    def test_suspension_reasons_are_a_parameter(self) -> None:
        """Adding fraud to the reasons excludes that client too."""
        fraud = AccountSuspended(at=day(5), party=CLIENT, reason="fraud")
        record = fixed(end(day(1)), feedback(day(2), rating="1"), fraud)
        wider = attrs.evolve(V2023_12, suspension_reasons=("tos_violation", "fraud"))
        assert ["CLIENT_SUSPENDED"] == codes(decide(record, day(6), Question.JOB_SUCCESS_SCORE, policy=wider))

    def test_removed_feedback_is_no_feedback(self) -> None:
        """Removed feedback does not count, and the reason says it was removed."""
        record = fixed(end(day(1)), feedback(day(2), rating="1"), remove_feedback(day(5)))
        decision = decide(record, day(6), Question.JOB_SUCCESS_SCORE)
        assert ["NO_FEEDBACK"] == codes(decision)
        assert "removed" in decision.reasons[0].message

    def test_mid_contract_feedback_is_not_end_feedback(self) -> None:
        """Mid-contract feedback does not make a contract count."""
        record = fixed(
            fund(day(0)),
            release(day(20), amount="100.00"),
            feedback(day(31), kind=FeedbackKind.MID_CONTRACT, rating="1"),
            end(day(32)),
        )
        assert ["NO_FEEDBACK"] == codes(decide(record, day(33), Question.JOB_SUCCESS_SCORE))

    def test_24_month_lookback(self) -> None:
        """A contract counts for 24 months after its end."""
        record = fixed(end(day(1)), feedback(day(2), rating="1"))
        assert utc(2028, 11, 3, 15) == decide(record, day(3), Question.JOB_SUCCESS_SCORE).until
        decision = decide(record, utc(2028, 11, 3, 15), Question.JOB_SUCCESS_SCORE)
        assert (False, None, ["WINDOW_CLOSED"]) == (decision.answer, decision.until, codes(decision))

    def test_lookback_from_a_leap_day(self) -> None:
        """Twenty-four months after Feb 29 is the last day of February."""
        assert utc(2026, 2, 28, 10) == _add_months(utc(2024, 2, 29, 10), 24)
        assert utc(2025, 2, 28) == _add_months(utc(2024, 8, 31), 6)
        assert utc(2025, 1, 31) == _add_months(utc(2024, 12, 31), 1)


def dated(started: datetime, *events: Event) -> ContractRecord:
    """A fixed-price USD record started at *started*."""
    return ContractRecord(contract=terms(started_at=started), events=events)


class TestJobSuccessByDate:
    """The version in force at the instant judged decides, and its start is an ``until``."""

    def test_no_feedback_stops_counting_on_2020_11_08(self) -> None:
        """A no-feedback contract counts on Nov 7, 2020, not from Nov 8 00:00 UTC."""
        record = dated(utc(2020, 9, 1), fund(utc(2020, 9, 1, 1)), release(utc(2020, 9, 2)), end(utc(2020, 10, 1)))
        before = decide(record, utc(2020, 11, 7, 23, 59), Question.JOB_SUCCESS_SCORE)
        assert (True, utc(2020, 11, 8)) == (before.answer, before.until)
        after = decide(record, utc(2020, 11, 8), Question.JOB_SUCCESS_SCORE)
        assert (False, None, ["NO_FEEDBACK"]) == (after.answer, after.until, codes(after))

    def test_zero_positive_stops_counting_on_2020_03_01(self) -> None:
        """A $0 contract with positive feedback counts on Feb 29, 2020, not from Mar 1."""
        record = dated(utc(2020, 1, 1), end(utc(2020, 1, 10)), feedback(utc(2020, 1, 11), rating="5"))
        before = decide(record, utc(2020, 2, 29, 12), Question.JOB_SUCCESS_SCORE)
        assert (True, utc(2020, 3, 1)) == (before.answer, before.until)
        assert ["ZERO_EARNINGS_POSITIVE"] == codes(decide(record, utc(2020, 3, 1), Question.JOB_SUCCESS_SCORE))

    def test_pinned_version_does_not_move(self) -> None:
        """A pinned name keeps its version: no change on 2020-11-08."""
        record = dated(utc(2020, 9, 1), end(utc(2020, 10, 1)))
        decision = decide(record, utc(2020, 11, 7), Question.JOB_SUCCESS_SCORE, policy="upwork@2020-03-01")
        assert (True, utc(2022, 10, 1)) == (decision.answer, decision.until)


class TestMotivatingCase:
    """$500 funded, the freelancer ends at once with $0 paid: what the client can still do to them."""

    ENDED = (
        fund(day(0, minutes=5)),
        end(day(1), by=FREELANCER, reason="unethical request"),
    )

    def test_escrow_returns_to_the_client(self) -> None:
        """The whole escrow goes back to the client at the end."""
        state = evaluate(fixed(*self.ENDED), at=day(1)).state
        assert (usd(500), usd(0), usd(0)) == (state.escrow_returned, state.escrow, state.net_paid)

    def test_client_may_still_review(self) -> None:
        """The client may still leave public feedback until the window closes."""
        decision = decide(fixed(*self.ENDED), day(2), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, CLOSES) == (decision.answer, decision.until)

    def test_the_review_is_never_shown(self) -> None:
        """The review is not published, now or after the window: net paid is below $1."""
        record = fixed(*self.ENDED, feedback(day(2), rating="1"))
        for at in (day(3), CLOSES, day(400)):
            decision = decide(record, at, Question.FEEDBACK_PUBLISHED, CLIENT)
            assert (False, None) == (decision.answer, decision.until)
            assert "NET_PAID_BELOW_THRESHOLD" in codes(decision)

    def test_no_work_history(self) -> None:
        """The contract does not appear in the work history."""
        decision = decide(fixed(*self.ENDED), day(2), Question.WORK_HISTORY)
        assert (False, None, ["NET_PAID_BELOW_THRESHOLD"]) == (decision.answer, decision.until, codes(decision))

    def test_negative_review_counts_in_the_score(self) -> None:
        """A negative review on the $0 contract counts toward the success score."""
        record = fixed(*self.ENDED, feedback(day(2), rating="1"))
        assert decide(record, day(3), Question.JOB_SUCCESS_SCORE).answer

    def test_reporting_alone_changes_nothing(self) -> None:
        """Reporting the job does not by itself keep the review out of the score."""
        record = fixed(*self.ENDED, report(day(1, hours=1)), feedback(day(2), rating="1"))
        assert decide(record, day(3), Question.JOB_SUCCESS_SCORE).answer

    def test_unless_the_client_is_suspended(self) -> None:
        """If the client is suspended for a ToS violation, the review does not count."""
        record = fixed(*self.ENDED, report(day(1, hours=1)), feedback(day(2), rating="1"), suspend(day(9)))
        assert ["CLIENT_SUSPENDED"] == codes(decide(record, day(10), Question.JOB_SUCCESS_SCORE))

    def test_freelancer_cannot_dispute(self) -> None:
        """Nothing is left in escrow for the freelancer to dispute."""
        assert not decide(fixed(*self.ENDED), day(2), Question.OPEN_DISPUTE).answer


class TestReasons:
    """Every reason of every Upwork rule: a code, a sentence and an https source."""

    RECORDS = (
        fixed(),
        fixed(fund(day(0)), submit(day(1)), request_changes(day(2))),
        fixed(fund(day(0)), end(day(1), by=CLIENT)),
        paid_and_ended(feedback(day(2), rating="1"), feedback(day(3), by=FREELANCER), respond(day(4))),
        paid_and_ended(feedback(day(2)), enable_edit(day(3)), suspend(day(4))),
        fixed(end(day(1)), feedback(day(2), rating="1"), remove_feedback(day(3))),
        hourly(bill(day(6, hours=21)), dispute_hours(day(8))),
        hourly(bill(day(6, hours=21))),
    )
    INSTANTS = (day(1, hours=2), day(5), day(31), day(200), day(800))

    def test_every_reason_is_complete(self) -> None:
        """Codes are UPPER_SNAKE, messages are sentences, sources are https URLs."""
        seen: set[str] = set()
        for version in VERSIONS:
            for record in self.RECORDS:
                for at in self.INSTANTS:
                    for decision in evaluate(record, at=at, policy=version).decisions:
                        assert decision.reasons
                        for reason in decision.reasons:
                            assert reason.code.isupper()
                            assert reason.message.endswith(".")
                            assert reason.source is not None
                            assert reason.source.startswith("https://")
                            seen.add(reason.code)
        assert len(seen) >= 40


def windows(record: ContractRecord, at: datetime, policy: Policy = V2023_12) -> list[tuple[str, datetime, datetime]]:
    """``(code, opens, closes)`` of every window *policy* draws for *record* at *at*."""
    context = Context(record=record, state=replay(record, at=at, policy=policy), at=at, party=FREELANCER)
    return [(window.code, window.opens, window.closes) for window in policy.windows(context)]


class TestWindows:
    """The windows a version draws on a contract's timeline, sorted by when they open and close."""

    def test_nothing_open(self) -> None:
        """A funded, open contract has no window."""
        assert [] == windows(fixed(fund(day(0))), day(1))

    def test_client_ended_with_escrow(self) -> None:
        """The end opens the dispute, escrow-return, feedback and response windows."""
        expected = [
            ("DISPUTE", day(1), day(8)),
            ("ESCROW_RETURN", day(1), day(8)),
            ("FEEDBACK", day(1), CLOSES),
            ("RESPONSE", day(1), day(29)),
        ]
        assert expected == windows(fixed(fund(day(0)), end(day(1), by=CLIENT)), day(2))

    def test_dispute_window_is_the_freelancers(self) -> None:
        """The dispute window belongs to the freelancer, with its 2023 source."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        context = Context(record=record, state=replay(record, at=day(2)), at=day(2), party=CLIENT)
        dispute = V2023_12.windows(context)[0]
        assert (FREELANCER, upwork.DISPUTE_2023) == (dispute.party, dispute.source)

    def test_auto_release_and_refund(self) -> None:
        """Submitted work releases in 14 days; a payment opens 180 days of refunds, the release ahead too."""
        record = fixed(fund(day(0)), release(day(1), amount="100.00"), submit(day(2)))
        expected = [("REFUND", day(1), day(196)), ("AUTO_RELEASE", day(2), day(16))]
        assert expected == windows(record, day(3))

    def test_changes_requested_stops_the_release(self) -> None:
        """No auto-release window while changes are requested."""
        assert [] == windows(fixed(fund(day(0)), submit(day(1)), request_changes(day(2))), day(3))

    def test_hourly_weeks(self) -> None:
        """Each billed week is in review until Saturday 00:00 UTC; hourly ends open no dispute window."""
        record = hourly(bill(day(6, hours=21)), end(day(7), by=CLIENT))
        assert [
            ("HOURS_REVIEW", day(6, hours=21), utc(2026, 11, 14)),
            ("REFUND", day(6, hours=21), day(186, hours=21)),
            ("FEEDBACK", day(7), utc(2026, 11, 24)),
            ("RESPONSE", day(7), day(35)),
        ] == windows(record, day(8))

    def test_a_release_after_the_refund_window_opens_one_of_its_own(self) -> None:
        """The payment of day 1 is refundable until day 181; m2 releases by itself on day 189, after a gap.

        The window drawn, and the answer, close on day 181: nothing is refundable from then until the release.
        """
        record = fixed(fund(day(0)), release(day(1)), fund(day(170), "200.00", "m2"), submit(day(175), "m2"))
        assert [("REFUND", day(1), day(181)), ("AUTO_RELEASE", day(175), day(189))] == windows(record, day(176))
        assert [(True, day(181)), (False, day(189)), (True, day(369))] == [
            (decision.answer, decision.until)
            for decision in (
                decide(record, instant, Question.ISSUE_REFUND) for instant in (day(176), day(185), day(190))
            )
        ]

    def test_no_release_after_a_closure_as_dormant(self) -> None:
        """Under rules that close a contract dormant after 5 days, m2's release (day 16) never comes: no refund from it.

        The closure on day 7 ends the contract first; the payment of day 1 alone keeps the window open.
        """
        quick = attrs.evolve(
            V2025_05, replay_rules=attrs.evolve(V2025_05.replay_rules, dormant_after=timedelta(days=5))
        )
        record = fixed(fund(day(0)), release(day(1)), fund(day(2), "200.00", "m2"), submit(day(2), "m2"))
        assert ("REFUND", day(1), day(181)) == windows(record, day(3), quick)[0]
        assert day(181) == decide(record, day(3), Question.ISSUE_REFUND, policy=quick).until
        assert ["DORMANT_CLOSED", "ESCROW_RETURNED_AFTER_END"] == [
            step.code for step in replay(record, at=day(40), policy=quick).automatic
        ]

    def test_a_week_billed_after_its_review_has_none(self) -> None:
        """Hours of the week to Sunday 11-08 billed on 11-15, after its review closed on 11-14: no review window."""
        assert [("REFUND", day(13), day(193))] == windows(hourly(bill(day(13))), day(14))

    def test_no_dispute_window_while_a_dispute_is_open(self) -> None:
        """The freelancer disputes after the client's end: no window to dispute again, and no escrow return ahead."""
        record = fixed(fund(day(0)), end(day(1), by=CLIENT), open_dispute(day(2)))
        assert ["FEEDBACK", "RESPONSE"] == [code for code, _, _ in windows(record, day(3))]
        assert not decide(record, day(3), Question.OPEN_DISPUTE).answer

    def test_no_escrow_return_without_escrow(self) -> None:
        """A contract ended with nothing held: no return is scheduled, and none is drawn."""
        record = fixed(end(day(1), by=CLIENT))
        assert ["FEEDBACK", "RESPONSE"] == [code for code, _, _ in windows(record, day(2))]
        assert (None, None) == (replay(record, at=day(2)).escrow_return_due, replay(record, at=day(2)).next_step_at)

    def test_no_escrow_return_while_the_escrow_is_in_dispute(self) -> None:
        """The client ends while the freelancer disputes all the escrow: no return is ahead, the dispute decides."""
        record = fixed(fund(day(0)), open_dispute(day(1)), end(day(2), by=CLIENT))
        assert "ESCROW_RETURN" not in [code for code, _, _ in windows(record, day(3))]
        assert None is replay(record, at=day(3)).escrow_return_due
        assert () == replay(record, at=day(30)).automatic

    def test_the_edit_the_recipient_enabled(self) -> None:
        """The freelancer lets the client change a review: the client's edit window, as the decision says."""
        record = fixed(fund(day(0)), release(day(1)), end(day(2), by=CLIENT), feedback(day(3)), enable_edit(day(4)))
        context = Context(record=record, state=replay(record, at=day(5)), at=day(5), party=FREELANCER)
        [edit] = [window for window in V2023_12.windows(context) if window.code == "FEEDBACK_EDIT"]
        decision = decide(record, day(5), Question.PUBLIC_FEEDBACK, CLIENT, policy=V2023_12)
        assert (day(4), day(18), CLIENT, upwork.EDIT_FEEDBACK) == (edit.opens, edit.closes, edit.party, edit.source)
        assert (True, day(18)) == (decision.answer, decision.until)

    def test_plain_policy_has_none(self) -> None:
        """A policy without rules draws no window."""
        plain = Policy(name="plain", effective_from=date(2020, 1, 1))
        record = fixed(fund(day(0)), end(day(1), by=CLIENT))
        assert [] == windows(record, day(2), plain)


def held(*later: Event, start: datetime | None = None) -> ContractRecord:
    """$500 funded at the start and held, then *later* events (the contract may start on another day)."""
    if start is None:
        return fixed(fund(day(0)), *later)
    return ContractRecord(contract=terms(started_at=start), events=(fund(start), *later))


class TestDormancy:
    """From 2025-05-01 a fixed-price contract holding escrow with no activity for 90 days closes as dormant."""

    def test_open_one_microsecond_before_the_90th_day(self) -> None:
        """The 90 days count from the last activity; the instant before the 90th day the contract is open."""
        state = replay(held(), at=day(90) - timedelta(microseconds=1))
        assert ("active", day(90), usd("500.00")) == (state.status.value, state.dormant_at, state.escrow)

    def test_closed_on_the_90th_day_by_no_party(self) -> None:
        """At day 90 it ends with no party as its ender; the escrow is still held for the next 14 days."""
        state = replay(held(), at=day(90))
        assert ("ended", day(90), None) == (state.status.value, state.ended_at, state.ended_by)
        assert usd("500.00") == state.escrow
        assert ["DORMANT_CLOSED"] == [step.code for step in state.automatic]
        assert day(104) == state.escrow_return_due

    def test_escrow_returns_after_the_client_and_freelancer_had_seven_days_each(self) -> None:
        """Nobody acts: 14 days after the closure the escrow goes back to the client."""
        before = replay(held(), at=day(104) - timedelta(microseconds=1))
        after = replay(held(), at=day(104))
        assert (usd("500.00"), usd("0.00")) == (before.escrow, before.escrow_returned)
        assert (usd("0.00"), usd("500.00")) == (after.escrow, after.escrow_returned)

    def test_a_freelancers_dispute_keeps_the_escrow(self) -> None:
        """A dispute the freelancer opens after the closure stops the return (the release request of the source)."""
        record = held(end(day(95), by=CLIENT), feedback(day(95), by=FREELANCER), open_dispute(day(95)))
        state = replay(record, at=day(200))
        assert (usd("500.00"), None) == (state.escrow, state.escrow_return_due)

    def test_the_feedback_window_opens_at_the_closure(self) -> None:
        """The closure is an end like any other: both parties may review for 14 days, midnight UTC."""
        decision = decide(held(), day(91), Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, utc(2027, 2, 15)) == (decision.answer, decision.until)

    def test_activity_restarts_the_count(self) -> None:
        """Work submitted and sent back on day 50 moves the closure to day 140."""
        assert day(140) == replay(held(submit(day(50)), request_changes(day(50))), at=day(60)).dormant_at

    def test_a_release_ahead_that_pays_the_escrow_leaves_nothing_to_close(self) -> None:
        """Work submitted on day 50 releases the only escrow on day 64: no closure is ahead, and no reason names one."""
        record = held(submit(day(50)))
        state = replay(record, at=day(60))
        assert (None, None, day(64)) == (state.dormant_at, state.inactive_since, state.next_step_at)
        decision = decide(record, day(60), Question.END_CONTRACT, FREELANCER)
        assert (True, None, ["EITHER_PARTY_MAY_END"]) == (
            decision.answer,
            decision.until,
            [reason.code for reason in decision.reasons],
        )
        assert "DORMANCY" not in {window.code for window in evaluate(record, at=day(60)).windows}

    def test_a_release_ahead_moves_the_closure(self) -> None:
        """With m2 still held after m1's release on day 64, the closure is 90 days after the release: what happens."""
        record = held(fund(day(0), "300.00", "m2"), submit(day(50)))
        state = replay(record, at=day(60))
        assert (day(154), day(64)) == (state.dormant_at, state.inactive_since)
        decision = decide(record, day(60), Question.END_CONTRACT, FREELANCER)
        assert day(154) == decision.until
        assert f"closes the contract as dormant on {when(day(154))}." in decision.reasons[-1].message
        assert (ContractStatus.ACTIVE, ContractStatus.ENDED) == (
            replay(record, at=day(154) - timedelta(seconds=1)).status,
            replay(record, at=day(154)).status,
        )

    def test_the_closure_ahead_is_found_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """30 releases ahead of the closure: evaluation looks ahead through each, and finds the closure once.

        Found again at each step, the work would grow with the square of the releases ahead.
        """
        found: list[int] = []
        ahead = Ledger.dormancy_ahead

        def counted(ledger: Ledger) -> tuple[datetime | None, datetime | None]:
            found.append(ledger.index)
            return ahead(ledger)

        monkeypatch.setattr(Ledger, "dormancy_ahead", counted)
        names = [f"w{number}" for number in range(30)]
        record = held(
            *(fund(day(0), "10.00", name) for name in names),
            *(submit(day(50, minutes=number), name) for number, name in enumerate(names)),
        )
        report = evaluate(record, at=day(55))
        last_release = day(64, minutes=29)
        assert (last_release + timedelta(days=90), last_release) == (
            report.state.dormant_at,
            report.state.inactive_since,
        )
        assert last_release + timedelta(days=90) == report.decision(Question.END_CONTRACT, FREELANCER).until
        assert 1 == len(found)

    def test_feedback_and_reports_are_not_activity(self) -> None:
        """Messages, mid-contract feedback and reports do not keep a contract alive."""
        record = held(feedback(day(40), kind=FeedbackKind.MID_CONTRACT, rating="4"), report(day(50)))
        assert day(90) == replay(record, at=day(60)).dormant_at

    def test_a_later_due_date_counts(self) -> None:
        """Dormancy counts from the last milestone's due date when that is later than the last activity."""
        due = MilestoneFunded(at=day(1), milestone="m2", amount=usd("100.00"), due_at=day(30))
        assert day(120) == replay(held(due), at=day(60)).dormant_at

    def test_an_open_dispute_is_not_dormant(self) -> None:
        """While a dispute is open the contract does not go dormant."""
        record = held(submit(day(1)), request_changes(day(2)), open_dispute(day(3), by=CLIENT))
        state = replay(record, at=day(400))
        assert ("active", None) == (state.status.value, state.dormant_at)

    def test_nothing_held_is_not_dormant(self) -> None:
        """A contract with no escrow does not close by itself."""
        state = replay(fixed(fund(day(0)), release(day(1))), at=day(400))
        assert ("active", None) == (state.status.value, state.dormant_at)

    def test_hourly_contracts_do_not_go_dormant(self) -> None:
        """Dormancy is a rule of fixed-price contracts."""
        assert replay(hourly(bill(day(6, hours=21))), at=day(400)).dormant_at is None

    def test_before_may_2025_contracts_stay_open(self) -> None:
        """Under the versions before 2025-05-01 nothing closes a dormant contract."""
        state = replay(held(), at=day(400), policy=V2023_12)
        assert ("active", None) == (state.status.value, state.dormant_at)

    def test_inactivity_counts_from_the_rules_start(self) -> None:
        """A contract idle since 2024 closes 90 days after 2025-05-01, not in the past."""
        start = utc(2024, 1, 8)
        before = replay(held(start=start), at=utc(2025, 4, 30))
        assert ("active", None) == (before.status.value, before.dormant_at)
        state = replay(held(start=start), at=utc(2025, 8, 1))
        assert ("ended", utc(2025, 7, 30)) == (state.status.value, state.ended_at)

    def test_until_looks_across_the_version_change(self) -> None:
        """Judged on 2025-04-30, a contract idle since 2024 shows its end of the ability to end it on 2025-07-30."""
        decision = decide(held(start=utc(2024, 1, 8)), utc(2025, 4, 30), Question.END_CONTRACT, CLIENT)
        assert (True, utc(2025, 7, 30)) == (decision.answer, decision.until)

    def test_the_money_balances_through_the_closure(self) -> None:
        """Escrow, paid and returned add up to what the client put in, before, at and after the return."""
        record = held(fund(day(1), amount="250.00", milestone="m2"), release(day(2), amount="100.00", milestone="m2"))
        for at in (day(91), day(105), day(200)):
            state = replay(record, at=at)
            assert state.deposited == state.escrow + state.paid + state.escrow_returned

    def test_a_logged_closure_replays(self) -> None:
        """A record that logs the closure (an end and the return) replays to the same state as one that does not."""
        logged = held(end(day(95), by=CLIENT), give_back(day(110)))
        assert replay(held(), at=day(120)).escrow_returned == replay(logged, at=day(120)).escrow_returned
        assert replay(logged, at=day(120)).ended_by is None

    def test_windows_show_the_closure_and_the_notices(self) -> None:
        """The timeline's windows: the closure at day 90, the notices 14 and 7 days before (days 76 and 83)."""
        report = evaluate(held(), at=day(10))
        context = Context(record=held(), state=report.state, at=day(10), party=FREELANCER)
        windows = {(w.code, w.opens, w.closes) for w in get_policy("upwork").windows(context)}
        assert {
            ("DORMANCY", day(0), day(90)),
            ("DORMANCY_NOTICE", day(76), day(90)),
            ("DORMANCY_NOTICE", day(83), day(90)),
        } <= windows
        assert all(w.source == upwork.DORMANT for w in get_policy("upwork").windows(context) if "DORMAN" in w.code)


class TestDormancyActivity:
    """What is and is not activity for dormancy, and what a contradicting record is told."""

    def test_a_paused_contract_does_not_go_dormant(self) -> None:
        """While paused the clock stops; resuming starts it again."""
        from tests.records import pause, resume  # noqa: PLC0415 - used by this class only

        record = held(pause(day(10)))
        assert ("paused", None) == (replay(record, at=day(400)).status.value, replay(record, at=day(400)).dormant_at)
        resumed = held(pause(day(10)), resume(day(200)))
        assert day(290) == replay(resumed, at=day(201)).dormant_at

    def test_an_automatic_release_is_activity_and_its_log_is_not(self) -> None:
        """A release restarts the count when it happens; the event that logs it later moves nothing."""
        record = held(fund(day(0), milestone="m2"), submit(day(1), "m2"))
        assert day(105) == replay(record, at=day(20)).dormant_at  # released on day 15, 90 days on
        logged = record._extended(release(day(30), milestone="m2"))
        assert day(105) == replay(logged, at=day(31)).dormant_at

    def test_waiting_keeps_the_closure_where_replay_has_it(self) -> None:
        """Options log the release before their steps, and still close the contract when replay does."""
        from gigpolicy import options  # noqa: PLC0415 - used by this test only

        record = held(fund(day(0), milestone="m2"), submit(day(1), "m2"))
        wait = next(option for option in options(record, party=FREELANCER, at=day(20)) if option.action == "wait")
        assert day(105) == wait.worst_case.state.ended_at

    def test_an_event_after_the_closure_names_it(self) -> None:
        """Funding a milestone after the closure contradicts it, and the error says the contract closed as dormant."""
        from gigpolicy import InvalidTransition  # noqa: PLC0415 - used by this test only

        record = held(fund(day(100), milestone="m2"))
        with pytest.raises(InvalidTransition) as caught:
            replay(record, at=day(101))
        assert "(the marketplace closed it as dormant on 2027-01-31 15:00 UTC)" in str(caught.value)


def test_a_no_of_kept_reasons_is_made_once() -> None:
    """Rule: "a no that no time changes, of reasons made once, is made once too".

    The same verdict object for the same reasons, or for an equal tuple of them; its decision is
    then the same object from one evaluation to the next. A key whose entry holds other reasons (as
    if an id had been reused) gets a verdict of its own, equal to a fresh one.
    """
    reasons = (upwork._NO_DISPUTE_OPEN, upwork._NO_ESCROW)
    made = upwork._made(answer=False, reasons=reasons)
    assert made is upwork._made(answer=False, reasons=(*reasons,))
    assert made == Verdict(answer=False, reasons=reasons)
    assert upwork._made_no(reasons, (day(9),)) is not made  # with a boundary: given as before
    key = (False, *map(id, reasons))
    upwork._MADE[key] = ((upwork._NO_ESCROW,), made)
    again = upwork._made(answer=False, reasons=reasons)
    assert (again is not made, again) == (True, made)
    record = fixed(fund(day(0)), release(day(1)), end(day(2)))  # nothing ahead once every window closed
    first, second = evaluate(record, at=day(400)), evaluate(record, at=day(400))
    history = [d for d in first.decisions if d.question is Question.WORK_HISTORY]
    assert history == [d for d in second.decisions if d.question is Question.WORK_HISTORY]
    assert all(
        mine is theirs
        for mine, theirs in zip(first.decisions, second.decisions, strict=True)
        if mine.question is Question.WORK_HISTORY
    )
