"""``job_success``: the estimate of the Job Success Score, its weights, exclusions and thresholds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
import pytest
from tests.records import (
    CLIENT,
    FREELANCER,
    bonus,
    day,
    end,
    example,
    feedback,
    fund,
    refund,
    release,
    remove_feedback,
    suspend,
    terms,
)

from gigpolicy import (
    ContractRecord,
    Event,
    FeedbackKind,
    GigPolicyError,
    InvalidRecord,
    JobSuccess,
    Policy,
    ScoredPolicy,
    UpworkPolicy,
    evaluate,
    get_policy,
    job_success,
)
from gigpolicy._policy import _REGISTRY
from gigpolicy._success import job_weight
from gigpolicy.policies.upwork import _job_success

AT: Final = day(30)
"""When the score is estimated: a month after the test contracts start."""


def job(
    contract: str,
    client: str = "client-1",
    paid: str = "200.00",
    public: str | None = "5",
    private: str | None = "10",
    *,
    freelancer: str = "fl-7",
    extra: tuple[Event, ...] = (),
    ended: datetime | None = None,
) -> ContractRecord:
    """An ended fixed-price job that paid *paid* (or nothing), with the client's ratings, if any."""
    if Decimal(paid):
        money: tuple[Event, ...] = (fund(day(0), paid), release(day(1), paid))
        ending = end(ended or day(2), by=CLIENT)
    else:
        money = (fund(day(0)),)
        ending = end(ended or day(2), by=FREELANCER)
    ratings: list[Event] = []
    if public is not None:
        ratings.append(feedback(ending.at, rating=public))
    if private is not None:
        ratings.append(feedback(ending.at, kind=FeedbackKind.PRIVATE, rating=private))
    return ContractRecord(
        contract=terms(id=contract, client=client, freelancer=freelancer),
        events=(*money, *extra, ending, *ratings),
    )


def upwork() -> UpworkPolicy:
    """The latest Upwork version, typed as such."""
    policy = get_policy("upwork")
    assert isinstance(policy, UpworkPolicy)
    return policy


def estimate(*records: ContractRecord, policy: Policy | str | None = None) -> JobSuccess:
    """The estimate for fl-7 at :data:`AT`, which must exist."""
    found = job_success(records, freelancer="fl-7", at=AT, policy=policy)
    assert found is not None
    return found


def weight(record: ContractRecord, policy: UpworkPolicy | None = None) -> Decimal:
    """The weight of one job under *policy* (the latest Upwork version by default)."""
    rules = policy or upwork()
    return job_weight(evaluate(record, at=record.events[-1].at + timedelta(days=1), policy=rules), rules)


class TestScore:
    """``score = 100 x (positive - negative) / total`` weights, at least 0, rounded half up."""

    def test_all_positive(self) -> None:
        """Two positive jobs with two clients score 100."""
        found = estimate(job("c-1"), job("c-2", client="client-2"))
        assert (100, Decimal(2), Decimal(0), Decimal(2)) == (
            found.score,
            found.positive_weight,
            found.negative_weight,
            found.total_weight,
        )

    def test_weighted_mix(self) -> None:
        """A positive job of weight 1.25 and a negative one of weight 1 score 100 x 0.25 / 2.25, 11."""
        found = estimate(job("c-1", paid="500.00"), job("c-2", client="client-2", public="2", private="3"))
        assert (11, Decimal("1.25"), Decimal(1)) == (found.score, found.positive_weight, found.negative_weight)

    def test_never_below_zero(self) -> None:
        """More negative than positive weight scores 0, not a negative number."""
        found = estimate(job("c-1"), job("c-2", client="client-2", paid="500.00", public="1", private="0"))
        assert 0 == found.score

    def test_rounds_half_up(self) -> None:
        """A score of exactly 12.5 rounds up to 13 (not to the even 12)."""
        policy = attrs.evolve(
            upwork(), jss_earnings_bands=((Decimal(250), Decimal(9)), (None, Decimal(7))), jss_max_weight=Decimal(99)
        )
        found = estimate(job("c-1"), job("c-2", client="client-2", paid="500.00", public="1"), policy=policy)
        assert (13, Decimal(16)) == (found.score, found.total_weight)

    def test_37_5_rounds_to_38(self) -> None:
        """Weights 1.25 + 1.5 positive and 1.25 negative give 37.5, which rounds to 38."""
        found = estimate(
            job("c-1", paid="500.00"),
            job("c-2", client="client-2", paid="2000.00"),
            job("c-3", client="client-3", paid="500.00", public="3"),
        )
        assert 38 == found.score

    def test_private_rating_decides_too(self) -> None:
        """Before 2025-05-01, five public stars with a private rating below 7 is negative feedback."""
        found = estimate(job("c-1"), job("c-2", client="client-2", private="6"), policy="upwork@2023-12-05")
        assert [True, False] == [counted.positive for counted in found.jobs]

    def test_counted_jobs(self) -> None:
        """Each counted job names its contract, client, weight, outcome and net paid."""
        found = estimate(job("c-1"), job("c-2", client="client-2", paid="0", public="1", private="0"))
        assert [("c-1", "client-1", Decimal(1), True), ("c-2", "client-2", Decimal(1), False)] == [
            (j.contract, j.client, j.weight, j.positive) for j in found.jobs
        ]
        assert ["200.00", "0.00"] == [str(j.net_paid.amount) for j in found.jobs]

    def test_the_threshold_policy_is_reported(self) -> None:
        """The estimate carries the policy version whose thresholds it applied."""
        assert date(2025, 5, 1) == estimate(job("c-1"), job("c-2", client="client-2")).policy.effective_from

    def test_feedback_hidden_by_double_blind_counts(self) -> None:
        """The client's feedback counts as soon as it is submitted, while double-blind still hides it."""
        record = job("c-2", client="client-2", public="1")
        assert not evaluate(record, at=AT - timedelta(days=25)).decision("feedback_published", CLIENT).answer
        found = job_success([job("c-1"), record], freelancer="fl-7", at=AT - timedelta(days=25))
        assert found is not None
        assert [True, False] == [counted.positive for counted in found.jobs]


class TestExclusions:
    """Jobs left out of the score, each with its reasons."""

    @staticmethod
    def excluded(record: ContractRecord) -> list[tuple[str, list[str]]]:
        """The exclusions when *record* joins two positive jobs."""
        found = estimate(job("c-1"), job("c-2", client="client-2"), record)
        return [(item.contract, [r.code for r in item.reasons]) for item in found.excluded]

    def test_zero_and_positive(self) -> None:
        """A $0 contract with positive feedback does not count."""
        assert [("c-9", ["ZERO_EARNINGS_POSITIVE"])] == self.excluded(job("c-9", paid="0"))

    def test_zero_and_negative_counts(self) -> None:
        """A $0 contract with negative feedback counts, and weighs 1."""
        found = estimate(job("c-1"), job("c-2", client="client-2"), job("c-9", paid="0", public="1"))
        assert ((), Decimal(1), 33) == (found.excluded, found.negative_weight, found.score)

    def test_no_feedback(self) -> None:
        """A contract that ended without client feedback does not count."""
        assert [("c-9", ["NO_FEEDBACK"])] == self.excluded(job("c-9", public=None, private=None))

    def test_mid_contract_feedback_is_not_end_feedback(self) -> None:
        """Mid-contract feedback alone is no end-of-contract feedback."""
        mid = feedback(day(1, hours=1), kind=FeedbackKind.MID_CONTRACT, rating="5")
        assert [("c-9", ["NO_FEEDBACK"])] == self.excluded(job("c-9", public=None, private=None, extra=(mid,)))

    def test_suspended_client(self) -> None:
        """Negative feedback from a client suspended for a Terms of Service violation does not count."""
        assert [("c-9", ["CLIENT_SUSPENDED"])] == self.excluded(job("c-9", public="1", extra=(suspend(day(1)),)))

    def test_suspended_client_positive_still_counts(self) -> None:
        """Positive feedback from a suspended client still counts."""
        found = estimate(job("c-1"), job("c-2", client="client-2", extra=(suspend(day(1)),)))
        assert (2, 100) == (len(found.jobs), found.score)

    def test_removed_feedback(self) -> None:
        """Feedback the marketplace removed is no feedback."""
        record = job("c-9", public="1", private=None)
        record = attrs.evolve(record, events=(*record.events, remove_feedback(day(3))))
        found = estimate(job("c-1"), job("c-2", client="client-2"), record)
        (item,) = found.excluded
        assert (["NO_FEEDBACK"], True) == ([r.code for r in item.reasons], "removed" in item.reasons[0].message)

    def test_other_freelancers_record(self) -> None:
        """Another freelancer's record is excluded, saying whose it is."""
        found = estimate(job("c-1"), job("c-2", client="client-2"), job("c-9", freelancer="fl-8"))
        (item,) = found.excluded
        assert ("c-9", "OTHER_FREELANCER") == (item.contract, item.reasons[0].code)
        assert "fl-8" in item.reasons[0].message

    def test_open_contract(self) -> None:
        """A contract still open is not counted."""
        record = ContractRecord(contract=terms(id="c-9"), events=(fund(day(0)),))
        assert [("c-9", ["CONTRACT_OPEN"])] == self.excluded(record)

    def test_older_than_the_look_back(self) -> None:
        """A contract that ended more than 24 months before is out of the look-back window."""
        found = job_success(
            [job("c-1"), job("c-2", client="client-2")], freelancer="fl-7", at=datetime(2028, 11, 5, tzinfo=UTC)
        )
        assert found is None

    def test_a_record_of_another_marketplace(self) -> None:
        """A Fiverr record, judged by Fiverr's rules, has no success score rule and is excluded."""
        record = attrs.evolve(job("c-9"), contract=attrs.evolve(terms(id="c-9"), marketplace="fiverr"))
        assert [("c-9", ["NO_SUCH_RULE"])] == self.excluded(record)

    def test_a_policy_that_counts_but_has_no_weights(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A record whose own policy counts it but is not Upwork-like cannot be weighed, so it is excluded."""

        @attrs.frozen(kw_only=True)
        class Counts(Policy):
            def decide(self, question: object, context: object) -> object:  # type: ignore[override]  # test double
                del question
                return _job_success(context, upwork())  # type: ignore[arg-type]  # an Upwork rule on our context

        monkeypatch.setitem(_REGISTRY, "acme", (Counts(name="acme", effective_from=date(2016, 1, 1)),))
        record = attrs.evolve(job("c-9"), contract=attrs.evolve(terms(id="c-9"), marketplace="acme"))
        assert [("c-9", ["CONTRACT_ENDED", "WITHIN_WINDOW", "POSITIVE_FEEDBACK", "EARNED"])] == self.excluded(record)


class TestWeights:
    """Weights by earnings bands and by length, capped."""

    @pytest.mark.parametrize(
        ("paid", "expected"),
        [
            ("1.00", "1"),
            ("250.00", "1"),
            ("250.01", "1.25"),
            ("1000.00", "1.25"),
            ("1000.01", "1.5"),
            ("50000.00", "1.5"),
        ],
    )
    def test_earnings_bands(self, paid: str, expected: str) -> None:
        """Up to $250 weighs 1, up to $1,000 1.25, more 1.5."""
        assert Decimal(expected) == weight(job("c-1", paid=paid))

    def test_a_further_period_with_a_payment_adds_one(self) -> None:
        """A payment in a second 91-day period adds 1 to the weight."""
        record = job("c-1", extra=(bonus(day(95)),), ended=day(96))
        assert Decimal(2) == weight(record)

    def test_payments_in_one_period_add_nothing(self) -> None:
        """Several payments within the first 91 days add nothing."""
        record = job("c-1", paid="100.00", extra=(bonus(day(10)), bonus(day(90))), ended=day(96))
        assert Decimal(1) == weight(record)

    def test_capped_at_eight(self) -> None:
        """Many periods with payments weigh at most 8."""
        record = job("c-1", extra=tuple(bonus(day(91 * n + 1)) for n in range(1, 12)), ended=day(91 * 12))
        assert Decimal(8) == weight(record)

    def test_refund_is_not_a_period(self) -> None:
        """A later refund is no payment: it adds no period."""
        record = job("c-1", extra=(refund(day(1, hours=1), "10.00"),))
        later = attrs.evolve(record, events=(*record.events, refund(day(100), "10.00")))
        assert (Decimal(1), Decimal(1)) == (weight(record), weight(later))

    def test_2016_version_weighs_one(self) -> None:
        """Before 2020-03-01 every job weighs 1, whatever it earned."""
        old = get_policy("upwork", on=date(2019, 1, 1))
        assert isinstance(old, UpworkPolicy)
        assert Decimal(1) == weight(job("c-1", paid="5000.00", extra=(bonus(day(100)),), ended=day(101)), old)


class TestThresholds:
    """Too few jobs or clients: no score."""

    def test_one_job(self) -> None:
        """One counted job is too few: None."""
        assert job_success([job("c-1")], freelancer="fl-7", at=AT) is None

    def test_one_client(self) -> None:
        """Two jobs with one client are too few distinct clients: None."""
        assert job_success([job("c-1"), job("c-2")], freelancer="fl-7", at=AT) is None

    def test_clients_count_among_counted_jobs(self) -> None:
        """A second client whose only job is excluded does not count as a client."""
        records = [job("c-1"), job("c-2"), job("c-3", client="client-2", public=None, private=None)]
        assert job_success(records, freelancer="fl-7", at=AT) is None

    def test_no_records(self) -> None:
        """No records at all: None."""
        assert job_success([], freelancer="fl-7", at=AT) is None

    def test_old_version_needs_four_jobs_and_three_clients(self) -> None:
        """Under the 2016 rules 4 jobs and 3 clients are needed; jobs without feedback count then."""
        three = [job("c-1"), job("c-2", client="client-2"), job("c-3", client="client-3")]
        assert job_success(three, freelancer="fl-7", at=AT, policy="upwork@2019-01-01") is None
        four = [*three, job("c-4", public=None, private=None)]
        found = job_success(four, freelancer="fl-7", at=AT, policy="upwork@2019-01-01")
        assert found is not None
        assert (75, Decimal(4), [None]) == (found.score, found.total_weight, [j.positive for j in found.jobs][3:])

    def test_a_policy_object_sets_the_thresholds(self) -> None:
        """A Policy object passed in sets the minimum of jobs and clients."""
        lenient = attrs.evolve(upwork(), jss_min_jobs=1, jss_min_clients=1)
        found = job_success([job("c-1")], freelancer="fl-7", at=AT, policy=lenient)
        assert found is not None
        assert (100, lenient) == (found.score, found.policy)


class TestErrors:
    """Bad arguments raise GigPolicyError subclasses."""

    def test_fiverr_has_no_score(self) -> None:
        """A policy without success score parameters (Fiverr) raises GigPolicyError."""
        with pytest.raises(GigPolicyError, match="fiverr has no success score"):
            job_success([job("c-1")], freelancer="fl-7", at=AT, policy="fiverr")

    def test_naive_at(self) -> None:
        """A naive instant is an InvalidRecord (also a ValueError)."""
        with pytest.raises(InvalidRecord) as caught:
            job_success([job("c-1")], freelancer="fl-7", at=datetime(2026, 12, 1))  # noqa: DTZ001 - on purpose
        assert ("at", True) == (caught.value.path, isinstance(caught.value, ValueError))

    def test_not_a_record(self) -> None:
        """A value that is not a record names its place in the list."""
        with pytest.raises(InvalidRecord, match="str") as caught:
            job_success([job("c-1"), "c-2"], freelancer="fl-7", at=AT)  # type: ignore[list-item]  # on purpose
        assert "records[1]" == caught.value.path

    def test_not_an_iterable(self) -> None:
        """A value that is not an iterable of records is an InvalidRecord at `records`."""
        with pytest.raises(InvalidRecord, match="int") as caught:
            job_success(42, freelancer="fl-7", at=AT)  # type: ignore[arg-type]  # on purpose
        assert "records" == caught.value.path

    def test_unknown_policy(self) -> None:
        """An unknown policy name raises a GigPolicyError."""
        with pytest.raises(GigPolicyError):
            job_success([job("c-1")], freelancer="fl-7", at=AT, policy="nowhere")


class TestAMarketplaceOfYourOwn:
    """Any policy with the three methods of ``ScoredPolicy`` has a success score; the core names no marketplace."""

    def test_gigly_is_scored(self) -> None:
        """The example's Gigly policy is a ScoredPolicy; the bare Policy and Fiverr are not."""
        GIGLY = example("custom_marketplace").GIGLY  # noqa: N806 - the example's constant, under its own name

        assert isinstance(GIGLY, ScoredPolicy)
        assert not isinstance(Policy(name="bare", effective_from=date(2020, 1, 1)), ScoredPolicy)
        assert not isinstance(get_policy("fiverr"), ScoredPolicy)

    def test_weights_and_minimums_come_from_the_policy(self) -> None:
        """Gigly's weights (1 + 1 per 1,000 earned) and its minimum of two jobs decide the estimate."""
        GIGLY = example("custom_marketplace").GIGLY  # noqa: N806 - the example's constant, under its own name

        one = job("c-1", paid="2500.00")
        two = job("c-2", client="client-2", paid="100.00", public="2")
        assert job_success([one], freelancer="fl-7", at=AT, policy=GIGLY) is None
        found = job_success([one, two], freelancer="fl-7", at=AT, policy=GIGLY)
        assert found is not None
        assert ([Decimal(3), Decimal(1)], 50) == ([j.weight for j in found.jobs], found.score)
