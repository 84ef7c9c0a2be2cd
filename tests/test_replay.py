"""replay: its arguments, the instant it looks at, and the policy whose steps it takes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from tests.records import CLIENT, START, balance, bonus, day, end, fixed, fund, release, submit, terms, usd

from gigpolicy import (
    ContractRecord,
    ContractStatus,
    GigPolicyError,
    InvalidRecord,
    ReplayRules,
    UnknownPolicy,
    get_policy,
    replay,
)
from gigpolicy._replay import replay_under


class TestArguments:
    """What replay refuses."""

    def test_naive_at(self) -> None:
        """A naive ``at`` raises an InvalidRecord that is also a ValueError and a GigPolicyError."""
        with pytest.raises(InvalidRecord) as caught:
            replay(fixed(), at=datetime(2026, 11, 3))  # noqa: DTZ001 - a naive instant is the point
        assert ("at", "must be timezone-aware (it has no UTC offset)", True, True) == (
            caught.value.path,
            caught.value.problem,
            isinstance(caught.value, ValueError),
            isinstance(caught.value, GigPolicyError),
        )

    def test_at_must_be_a_datetime(self) -> None:
        """A date is not an instant."""
        with pytest.raises(InvalidRecord) as caught:
            replay(fixed(), at=date(2026, 11, 3))  # type: ignore[arg-type]  # the wrong type is the point
        assert ("at", "must be a datetime, not date") == (caught.value.path, caught.value.problem)

    @pytest.mark.parametrize(
        ("value", "kind"), [({"format": "gigpolicy/1"}, "dict"), ("{}", "str"), (None, "NoneType")]
    )
    def test_not_a_record(self, value: object, kind: str) -> None:
        """Only a ContractRecord can be replayed."""
        with pytest.raises(InvalidRecord) as caught:
            replay(value, at=day(1))  # type: ignore[arg-type]  # the wrong type is the point
        assert ("record", f"must be a ContractRecord, not {kind}") == (caught.value.path, caught.value.problem)

    def test_unknown_policy_name(self) -> None:
        """An unknown policy name raises UnknownPolicy, a LookupError."""
        with pytest.raises(UnknownPolicy) as caught:
            replay(fixed(), at=day(1), policy="no-such-marketplace")
        assert isinstance(caught.value, LookupError)


class TestInstant:
    """State is a function of the events and of ``at``."""

    def test_events_after_at_are_ignored(self) -> None:
        """Only the events at or before ``at`` count."""
        record = fixed(fund(day(0)), bonus(day(2), "10.00"), end(day(5), CLIENT))
        state = replay(record, at=day(3))
        assert (usd(500), usd(10), ContractStatus.ACTIVE, None, 2) == (
            state.escrow,
            state.paid,
            state.status,
            state.ended_at,
            state.events_applied,
        )

    def test_event_at_the_instant_counts(self) -> None:
        """An event exactly at ``at`` has happened."""
        state = replay(fixed(fund(day(0)), end(day(5), CLIENT)), at=day(5))
        assert (ContractStatus.ENDED, day(5), CLIENT, 2) == (
            state.status,
            state.ended_at,
            state.ended_by,
            state.events_applied,
        )

    def test_before_the_start(self) -> None:
        """Before the start nothing has happened."""
        state = replay(fixed(fund(day(0))), at=START - timedelta(days=1))
        assert (usd(0), 0, ContractStatus.ACTIVE) == (state.escrow, state.events_applied, state.status)

    def test_state_describes_the_contract(self) -> None:
        """The state carries ``at``, the kind, the currency and the start."""
        record = fixed(fund(day(0)))
        state = replay(record, at=day(1))
        assert (day(1), record.contract.kind, "USD", START) == (state.at, state.kind, state.currency, state.started_at)

    def test_money_identity_at_every_instant(self) -> None:
        """``escrow + paid + escrow_returned`` equals everything put in, at every day of a contract's life."""
        record = fixed(fund(day(0)), fund(day(1), "300.00", "m2"), submit(day(2)), bonus(day(3)), end(day(20), CLIENT))
        states = [replay(record, at=day(number)) for number in range(30)]
        assert [state.deposited for state in states] == [balance(state) for state in states]

    def test_prefix_then_more(self) -> None:
        """Replaying a longer record to an earlier instant equals replaying its prefix there."""
        events = (fund(day(0)), submit(day(1)), bonus(day(20)))
        assert replay(fixed(*events[:2]), at=day(16)) == replay(fixed(*events), at=day(16))


class TestPolicy:
    """Which automatic steps replay takes."""

    def test_default_is_the_record_marketplace_or_upwork(self) -> None:
        """With no policy, Upwork's steps are taken (auto-release after 14 days)."""
        record = fixed(fund(day(0)), submit(day(1)))
        with_marketplace = ContractRecord(contract=terms(marketplace="upwork"), events=record.events)
        assert (usd(0), usd(0)) == (replay(record, at=day(15)).escrow, replay(with_marketplace, at=day(15)).escrow)

    def test_by_name_and_object(self) -> None:
        """A policy name and a Policy object give the same state as the default."""
        record = fixed(fund(day(0)), submit(day(1)))
        default = replay(record, at=day(15))
        assert (default, default) == (
            replay(record, at=day(15), policy="upwork"),
            replay(record, at=day(15), policy=get_policy("upwork")),
        )

    def test_policy_replay_rules(self) -> None:
        """A Policy's own replay rules are the ones taken."""
        policy = attrs.evolve(get_policy("upwork"), replay_rules=ReplayRules(auto_release_after=None))
        assert usd(500) == replay(fixed(fund(day(0)), submit(day(1))), at=day(30), policy=policy).escrow

    def test_bare_rules(self) -> None:
        """Bare ReplayRules choose the steps directly."""
        rules = ReplayRules(auto_release_after=timedelta(days=1))
        assert usd(0) == replay(fixed(fund(day(0)), submit(day(1))), at=day(2), policy=rules).escrow

    def test_replay_under(self) -> None:
        """``replay_under`` is replay with the rules given and no argument checks."""
        record = fixed(fund(day(0)), submit(day(1)))
        rules = ReplayRules()
        assert replay(record, at=day(15), policy=rules) == replay_under(record, at=day(15), rules=rules)


class TestReleasesOfOneInstant:
    """Automatic releases that fall due at the same instant."""

    def test_a_milestone_funded_again_waits_behind_one_already_waiting(self) -> None:
        """Rule: a submission made while its milestone held nothing is scheduled when funds come.

        Two submissions of one instant, the first to a milestone already paid out: the other's
        release is scheduled at once, the first one's when the milestone is funded again. Both fall
        due at the same instant, in that order. The entry made when the empty milestone was
        submitted to is spent, and must not come back when the funds do (a fold that skipped
        looking for steps at the funding event once let it, and swapped the two).
        """
        record = fixed(
            fund(day(0), "100.00", "m1"),
            fund(day(0), "200.00", "m2"),
            release(day(1), "100.00", "m1"),
            submit(day(2), "m1"),
            submit(day(2), "m2"),
            fund(day(3), "100.00", "m1"),
        )
        state = replay(record, at=day(30), policy="upwork")
        assert [("m2", day(16)), ("m1", day(16))] == [(step.milestone, step.at) for step in state.automatic]
        assert ["m1", "m2", "m1"] == [payment.reference for payment in state.payments]
