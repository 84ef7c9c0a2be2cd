"""Policies: finding a version by name and date, registering one's own, and plain policies."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from tests.records import CLIENT, FREELANCER, day, end, feedback, fixed, fund, release, terms, usd

from gigpolicy import (
    ContractRecord,
    GigPolicyError,
    Policy,
    Question,
    ReplayRules,
    UnknownPolicy,
    UpworkPolicy,
    available_policies,
    evaluate,
    get_policy,
    register_policy,
)
from gigpolicy import _policy as policy_module
from gigpolicy._policy import ENTRY_POINT_GROUP, PluginWarning, PolicyClock, policy_versions, resolve_policy
from gigpolicy.policies.upwork import VERSIONS

V2016, V2020_03, V2020_11, V2023_05, V2023_12, V2025_05 = VERSIONS


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A private copy of the registry, so that policies a test registers are gone after it."""
    available_policies()  # loads the built-ins into the real registry first
    monkeypatch.setattr(policy_module, "_REGISTRY", dict(policy_module._REGISTRY))


class TestGetPolicy:
    """``get_policy(name, on=...)``: the version in force on a day."""

    def test_latest(self) -> None:
        """Without a date, the latest version."""
        assert V2025_05 is get_policy("upwork")

    @pytest.mark.parametrize(("before", "version"), list(itertools.pairwise(VERSIONS)))
    def test_each_boundary(self, before: UpworkPolicy, version: UpworkPolicy) -> None:
        """The day before a version starts the previous one is in force; on its day, the new one."""
        start = version.effective_from
        assert before is get_policy("upwork", on=start - timedelta(days=1))
        assert version is get_policy("upwork", on=start)

    def test_first_day(self) -> None:
        """The first version is in force from 2016-06-21."""
        assert V2016 is get_policy("upwork", on=date(2016, 6, 21))

    def test_datetime_is_taken_in_utc(self) -> None:
        """01:00 +05:00 on 2020-03-01 is still 2020-02-29 in UTC: the older version."""
        assert V2016 is get_policy("upwork", on=datetime(2020, 3, 1, 1, tzinfo=timezone(timedelta(hours=5))))
        assert V2020_03 is get_policy("upwork", on=datetime(2020, 3, 1, tzinfo=UTC))

    def test_pinned_name(self) -> None:
        """``upwork@2019-01-01`` is the version in force that day."""
        assert V2016 is get_policy("upwork@2019-01-01")
        assert V2023_05 is get_policy("upwork@2023-05-03")

    def test_pinned_date_wins_over_on(self) -> None:
        """The date in the name is the one used."""
        assert V2020_11 is get_policy("upwork@2021-01-01", on=date(2024, 1, 1))

    def test_versions(self) -> None:
        """``policy_versions`` lists every version oldest first."""
        assert VERSIONS == policy_versions("upwork")


class TestUnknownPolicy:
    """Every way to ask for a policy that is not there raises ``UnknownPolicy``."""

    @pytest.mark.parametrize(
        ("name", "on"),
        [
            ("fiverrr", None),
            ("", None),
            ("upwork", date(2016, 6, 20)),
            ("upwork@2016-06-20", None),
            ("upwork@2019-13-01", None),
            ("upwork@yesterday", None),
            ("upwork", datetime(2020, 1, 1)),  # noqa: DTZ001 - the naive datetime refused
            ("upwork", "2020-01-01"),
            (42, None),
        ],
    )
    def test_raises(self, name: object, on: object) -> None:
        """Unknown names, dates before 2016-06-21, bad pinned dates, naive or non-date ``on``."""
        with pytest.raises(UnknownPolicy) as caught:
            get_policy(name, on=on)  # type: ignore[arg-type]  # the wrong types are the point
        assert isinstance(caught.value, LookupError)
        assert isinstance(caught.value, GigPolicyError)

    def test_message_names_the_known_policies(self) -> None:
        """The message lists what is known."""
        with pytest.raises(UnknownPolicy, match=r"unknown policy 'fiverrr' \(known: .*upwork"):
            get_policy("fiverrr")

    def test_message_names_the_first_version(self) -> None:
        """Too early a date names the first version's day."""
        with pytest.raises(UnknownPolicy, match="the first is 2016-06-21"):
            get_policy("upwork", on=date(2010, 1, 1))


class TestAvailablePolicies:
    """The registered names."""

    def test_upwork_is_built_in(self) -> None:
        """Upwork is available, and the names are sorted."""
        names = available_policies()
        assert "upwork" in names
        assert tuple(sorted(names)) == names


class TestRegisterPolicy:
    """Users register their own policies, evolved from a built-in one or new."""

    @pytest.mark.usefixtures("registry")
    def test_register_an_evolved_policy(self) -> None:
        """An evolved copy under a new name is found by name and date."""
        mine = attrs.evolve(V2023_12, name="upwork-lenient", effective_from=date(2024, 1, 1), feedback_window_days=30)
        register_policy(mine)
        assert "upwork-lenient" in available_policies()
        assert mine is get_policy("upwork-lenient", on=date(2025, 1, 1))
        with pytest.raises(UnknownPolicy):
            get_policy("upwork-lenient", on=date(2023, 12, 31))

    @pytest.mark.usefixtures("registry")
    def test_registered_policy_decides(self) -> None:
        """Evaluating by the new name applies its parameters."""
        register_policy(
            attrs.evolve(V2023_12, name="upwork-lenient", effective_from=date(2024, 1, 1), feedback_window_days=30)
        )
        decision = evaluate(fixed(end(day(1))), at=day(2), policy="upwork-lenient").decision(
            Question.PUBLIC_FEEDBACK, CLIENT
        )
        assert datetime(2026, 12, 4, tzinfo=UTC) == decision.until

    @pytest.mark.usefixtures("registry")
    def test_registration_is_undone_after_the_test(self) -> None:
        """The fixture's copy keeps the real registry clean (this test registers, the next checks)."""
        register_policy(attrs.evolve(V2016, name="temporary"))
        assert "temporary" in available_policies()

    def test_registry_is_clean(self) -> None:
        """No test's policy leaks into the real registry."""
        assert "temporary" not in available_policies()
        assert "upwork-lenient" not in available_policies()

    @pytest.mark.usefixtures("registry")
    def test_same_day_replaces(self) -> None:
        """A version with the same name and first day replaces the registered one."""
        stricter = attrs.evolve(V2025_05, display_threshold=Decimal(5))
        register_policy(stricter)
        assert stricter is get_policy("upwork")
        assert 6 == len(policy_versions("upwork"))

    @pytest.mark.usefixtures("registry")
    def test_new_version_moves_until(self) -> None:
        """A later registered version is an instant at which decisions by name may change."""
        register_policy(attrs.evolve(V2023_12, effective_from=date(2027, 1, 1), display_threshold=Decimal(0)))
        record = fixed(end(day(1)), feedback(day(2)))
        report = evaluate(record, at=day(20))
        decision = report.decision(Question.FEEDBACK_PUBLISHED, CLIENT)
        assert (False, datetime(2027, 1, 1, tzinfo=UTC)) == (decision.answer, decision.until)
        assert (
            evaluate(record, at=datetime(2027, 1, 1, tzinfo=UTC)).decision(Question.FEEDBACK_PUBLISHED, CLIENT).answer
        )

    @pytest.mark.usefixtures("registry")
    def test_a_clock_is_made_once_until_the_versions_change(self) -> None:
        """Evaluation's clock of a policy is made once, and made again once its versions are registered anew."""
        latest = get_policy("upwork")
        clock = policy_module.clock_of(latest, by_name=True)
        assert clock is policy_module.clock_of(latest, by_name=True)
        assert clock.next_change_after(latest) is None  # the newest version: none comes after it
        alone = policy_module.clock_of(latest, by_name=False)  # a policy given as itself follows no time
        assert (alone, alone.at(datetime(2030, 1, 1, tzinfo=UTC))) == (
            policy_module.clock_of(latest, by_name=False),
            latest,
        )
        register_policy(attrs.evolve(latest, effective_from=date(2030, 1, 1)))
        again = policy_module.clock_of(latest, by_name=True)
        assert datetime(2030, 1, 1, tzinfo=UTC) == again.next_change_after(latest)
        assert alone is policy_module.clock_of(latest, by_name=False)  # no versions to follow: no change

    def test_only_policies(self) -> None:
        """Registering something that is not a Policy raises."""
        with pytest.raises(GigPolicyError, match="only Policy values can be registered, not str"):
            register_policy("upwork")  # type: ignore[arg-type]  # the wrong type is the point


class TestNextVersionStart:
    """When the next version of a policy starts, as its clock says."""

    def test_each_version(self) -> None:
        """Each version is followed by the next one's first day at 00:00 UTC; the latest by nothing."""
        expected = [datetime.combine(v.effective_from, datetime.min.time(), tzinfo=UTC) for v in VERSIONS[1:]]
        clock = PolicyClock(V2016, by_name=True)
        assert [*expected, None] == [clock.next_change_after(v) for v in VERSIONS]

    def test_asked_again_and_in_any_order(self) -> None:
        """A clock remembers its own policy's answer: asked again, or after other versions, each gets its own."""
        expected = [datetime.combine(v.effective_from, datetime.min.time(), tzinfo=UTC) for v in VERSIONS[1:]]
        for index, own in enumerate(VERSIONS[:-1]):
            clock = PolicyClock(own, by_name=True)
            assert [expected[index]] * 2 == [clock.next_change_after(own) for _ in range(2)]
            assert [*expected, None] == [clock.next_change_after(v) for v in VERSIONS]
            assert expected[index] == clock.next_change_after(own)

    def test_unregistered_name(self) -> None:
        """A policy whose name is not registered has no next version."""
        lone = Policy(name="nowhere", effective_from=date(2020, 1, 1))
        assert PolicyClock(lone, by_name=True).next_change_after(lone) is None


class TestResolvePolicy:
    """Which policy evaluation applies, and whether versions follow time."""

    def test_object(self) -> None:
        """A Policy is used as it is, for all time."""
        assert (V2016, False) == resolve_policy(V2016, fixed(), day(1))

    def test_none_uses_the_marketplace(self) -> None:
        """``None`` takes the record's marketplace, by name."""
        record = ContractRecord(contract=terms(marketplace="upwork"))
        assert (V2025_05, True) == resolve_policy(None, record, day(1))

    def test_none_without_marketplace_is_upwork(self) -> None:
        """Without a marketplace, Upwork."""
        assert (V2025_05, True) == resolve_policy(None, fixed(), day(1))

    def test_none_with_unknown_marketplace(self) -> None:
        """A marketplace with no registered policy raises."""
        with pytest.raises(UnknownPolicy):
            resolve_policy(None, ContractRecord(contract=terms(marketplace="nowhere")), day(1))

    def test_pinned_name_does_not_follow_time(self) -> None:
        """A pinned name is one version."""
        assert (V2016, False) == resolve_policy("upwork@2019-01-01", fixed(), day(1))

    def test_wrong_type(self) -> None:
        """Anything else raises UnknownPolicy."""
        with pytest.raises(UnknownPolicy, match="not int"):
            resolve_policy(42, fixed(), day(1))  # type: ignore[arg-type]  # the wrong type is the point


class TestPlainPolicy:
    """A ``Policy`` with no rules answers no to everything, and says so."""

    PLAIN = Policy(name="plain", effective_from=date(2020, 1, 1))

    def test_defaults(self) -> None:
        """Defaults: 10% flat fee, $1 threshold, Upwork-like automatic steps, a label."""
        assert (Decimal("1.00"), ReplayRules(), "plain@2020-01-01") == (
            self.PLAIN.display_threshold,
            self.PLAIN.replay_rules,
            self.PLAIN.label,
        )

    def test_no_such_rule(self) -> None:
        """Every decision is no with NO_SUCH_RULE, no source and no deadline."""
        report = evaluate(fixed(fund(day(0)), release(day(1), amount="100.00")), at=day(2), policy=self.PLAIN)
        for decision in report.decisions:
            assert (False, None) == (decision.answer, decision.until)
            assert 1 == len(decision.reasons)
            reason = decision.reasons[0]
            assert ("NO_SUCH_RULE", None) == (reason.code, reason.source)
            assert f"plain has no rule for {decision.question.value.replace('_', ' ')}." == reason.message

    def test_default_fee(self) -> None:
        """The default schedule charges 10%."""
        report = evaluate(fixed(fund(day(0)), release(day(1), amount="100.00")), at=day(2), policy=self.PLAIN)
        assert "10.00 USD" == str(report.earnings.service_fee)


class TestEvolve:
    """Changing a parameter with ``attrs.evolve`` changes the decisions."""

    def test_response_window(self) -> None:
        """A 60-day response window keeps responses open longer."""
        record = fixed(fund(day(0)), release(day(0, hours=1)), end(day(1)), feedback(day(2), by=CLIENT))
        longer = attrs.evolve(V2023_12, response_window=timedelta(days=60))
        assert day(29) == evaluate(record, at=day(20)).decision(Question.RESPOND_TO_FEEDBACK, FREELANCER).until
        assert (
            day(61) == evaluate(record, at=day(20), policy=longer).decision("respond_to_feedback", "freelancer").until
        )

    def test_replay_rules(self) -> None:
        """Switching off the return after a freelancer's end keeps the escrow held."""
        keep = attrs.evolve(V2023_12, replay_rules=ReplayRules(escrow_return_after_freelancer_end=None))
        record = fixed(fund(day(0)), end(day(1)))
        assert "500.00 USD" == str(evaluate(record, at=day(2), policy=keep).state.escrow)
        assert evaluate(record, at=day(2), policy=keep).decision(Question.OPEN_DISPUTE, FREELANCER).answer


class _Entry:
    """A stand-in for an installed package's entry point."""

    def __init__(self, name: str, load: Callable[[], object]) -> None:
        self.name = name
        self.value = f"{name}_package:POLICIES"
        self._load = load

    def load(self) -> object:
        return self._load()


def _raise() -> object:
    raise ImportError("no module named 'broken_package'")


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch, registry: None) -> Callable[..., None]:
    """Install fake entry points; the next registry lookup loads them (once)."""
    del registry

    def install(*entries: _Entry) -> None:
        def found(*, group: str) -> tuple[_Entry, ...]:
            assert ENTRY_POINT_GROUP == group
            return entries

        monkeypatch.setattr(policy_module, "installed_entry_points", found)
        monkeypatch.setattr(policy_module, "_plugin_failures", None)

    return install


class TestPlugins:
    """Packages ship policies through the ``gigpolicy.policies`` entry-point group."""

    def test_one_policy(self, plugins: Callable[..., None]) -> None:
        """An entry point naming a Policy registers it."""
        shipped = attrs.evolve(V2023_12, name="shipped")
        plugins(_Entry("shipped", lambda: shipped))
        assert shipped is get_policy("shipped")

    def test_several_versions(self, plugins: Callable[..., None]) -> None:
        """An entry point naming a list registers every version, and is loaded once."""
        calls: list[int] = []
        first = attrs.evolve(V2016, name="shipped")
        second = attrs.evolve(V2023_12, name="shipped")

        def load() -> object:
            calls.append(1)
            return [first, second]

        plugins(_Entry("shipped", load))
        assert (first, second) == policy_versions("shipped")
        assert first is get_policy("shipped", on=date(2020, 1, 1))
        assert [1] == calls

    def test_failing_plugin(self, plugins: Callable[..., None]) -> None:
        """A plugin that fails to import is skipped with a PluginWarning naming it."""
        plugins(_Entry("broken", _raise))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'broken' .* failed to load: ImportError: no module"):
            assert "upwork" in available_policies()

    def test_not_a_policy(self, plugins: Callable[..., None]) -> None:
        """A plugin naming anything but policies is skipped with a PluginWarning."""
        plugins(_Entry("odd", lambda: 42))
        with pytest.warns(PluginWarning, match="must name a Policy or a list of them, not int"):
            available_policies()

    def test_list_with_a_stranger(self, plugins: Callable[..., None]) -> None:
        """A list holding something that is not a Policy registers none of it, and the warning names the plugin."""
        plugins(_Entry("mixed", lambda: [attrs.evolve(V2016, name="mixed"), "upwork"]))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'mixed' .*only Policy values can be registered"):
            assert "mixed" not in available_policies()


class TestPolicyClock:
    """``PolicyClock``: the version in force at an instant, its fees, and when the next one starts."""

    def test_by_name_follows_the_versions(self) -> None:
        """By name, each instant has its version; the day a version starts at 00:00 UTC, it is in force."""
        clock = PolicyClock(V2025_05, by_name=True)
        start = datetime(2025, 5, 1, tzinfo=UTC)
        assert (V2023_12, V2025_05) == (clock.at(start - timedelta(microseconds=1)), clock.at(start))
        assert V2016 is clock.at(datetime(2010, 1, 1, tzinfo=UTC))  # before the first: the first
        assert start == clock.next_change_after(V2023_12)
        assert clock.next_change_after(V2025_05) is None

    def test_a_policy_object_is_in_force_always(self) -> None:
        """A policy given as an object is the one policy at every instant, with no change ahead."""
        clock = PolicyClock(V2016, by_name=False)
        assert (V2016, None) == (clock.at(datetime(2026, 1, 1, tzinfo=UTC)), clock.next_change_after(V2016))

    def test_fees_follow_the_payments_day(self) -> None:
        """A payment is charged under the schedule of the version in force on its day."""
        from gigpolicy import Payment  # noqa: PLC0415 - used by this test only

        clock = PolicyClock(V2025_05, by_name=True)
        paid = Payment(at=datetime(2020, 1, 1, tzinfo=UTC), amount=usd(10), source="bonus_paid")
        assert V2016.fees == clock.fees_for(paid)


class TestDefaultPolicy:
    """The policy used when none is given and a record names no marketplace: set by the built-ins, not the core."""

    def test_the_built_ins_set_upwork(self) -> None:
        """Importing the built-ins made Upwork the default, as the SPEC says."""
        assert "upwork" == policy_module.default_policy_name()

    def test_without_a_default(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With no default set, a record without a marketplace cannot be judged without a policy."""
        monkeypatch.setattr(policy_module, "_DEFAULT", [])
        with pytest.raises(UnknownPolicy, match="no default policy is set"):
            resolve_policy(None, fixed(), day(1))
