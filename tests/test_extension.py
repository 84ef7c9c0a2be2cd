"""The extension layer: policies from other packages (entry points), evolved policies, the authoring kit."""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Final, assert_type

import attrs
import pytest
from tests.records import CLIENT, FREELANCER, day, end, fixed, fund, record_text, release, submit, terms

import gigpolicy
import gigpolicy.authoring
import gigpolicy.typing
from gigpolicy import (
    ContractRecord,
    GigPolicyError,
    Party,
    UnknownPolicy,
    available_policies,
    evaluate,
    get_policy,
    register_policy,
)
from gigpolicy import _policy as policy_module
from gigpolicy._cli import main
from gigpolicy._policy import ENTRY_POINT_GROUP, PluginWarning, policy_versions
from gigpolicy.authoring import Context, Judge, Policy, Question, Rule, Verdict, Window, when
from gigpolicy.policies.fiverr import FiverrPolicy
from gigpolicy.policies.freelancer import FreelancerPolicy

ACME: Final = Path(__file__).parent.parent / "examples" / "acme_policy"
ACME_ENTRY: Final = EntryPoint(name="acme", value="acme_gigpolicy:VERSIONS", group="gigpolicy.policies")

Install = Callable[..., list[str]]


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Pretend *entries* are installed; ``examples/acme_policy/src`` is importable; all undone afterwards.

    Returns a function that installs entry points and gives the list of groups looked up.
    """
    available_policies()  # the built-ins go into the real registry first
    monkeypatch.setattr(policy_module, "_REGISTRY", dict(policy_module._REGISTRY))
    monkeypatch.syspath_prepend(str(ACME / "src"))
    looked_up: list[str] = []

    def install(*entries: EntryPoint) -> list[str]:
        def found(*, group: str) -> tuple[EntryPoint, ...]:
            looked_up.append(group)
            return tuple(entry for entry in entries if entry.group == group)

        monkeypatch.setattr(policy_module, "installed_entry_points", found)
        monkeypatch.setattr(policy_module, "_plugin_failures", None)
        return looked_up

    yield install
    for name in [name for name in sys.modules if name.startswith(("acme_gigpolicy", "exploding_plugin"))]:
        del sys.modules[name]


def _paid_record(marketplace: str | None = None) -> ContractRecord:
    """$100 funded and released, then ended by the client on day 2."""
    record = fixed(fund(day(0), "100.00"), release(day(1), "100.00"), end(day(2), by=CLIENT))
    return attrs.evolve(record, contract=terms(marketplace=marketplace))


class TestAcmePackage:
    """``examples/acme_policy`` is a package that declares its policy under the entry-point group."""

    def test_pyproject_declares_the_entry_point(self) -> None:
        """Its pyproject names ``acme_gigpolicy:VERSIONS`` under ``gigpolicy.policies``."""
        project = tomllib.loads((ACME / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        declared = project["entry-points"][ENTRY_POINT_GROUP]
        assert {"acme": ACME_ENTRY.value} == declared
        assert ENTRY_POINT_GROUP == ACME_ENTRY.group

    def test_ships_a_module_under_src(self) -> None:
        """The module the entry point names is where the package's build finds it."""
        assert (ACME / "src" / "acme_gigpolicy" / "__init__.py").is_file()


class TestEntryPointLoading:
    """A package's entry point makes its policy findable by name, with no import by the user."""

    def test_get_policy_finds_it(self, plugins: Install) -> None:
        """``get_policy("acme")`` loads the plugin and returns its latest version."""
        plugins(ACME_ENTRY)
        acme = get_policy("acme")
        assert ("acme", date(2026, 1, 1), "AcmePolicy") == (acme.name, acme.effective_from, type(acme).__name__)
        assert isinstance(acme, Policy)

    def test_versions_by_date(self, plugins: Install) -> None:
        """Both shipped versions are registered, each in force from its day."""
        plugins(ACME_ENTRY)
        assert [date(2024, 1, 1), date(2026, 1, 1)] == [v.effective_from for v in policy_versions("acme")]
        assert date(2024, 1, 1) == get_policy("acme", on=date(2025, 12, 31)).effective_from
        with pytest.raises(UnknownPolicy, match="no version of 'acme' was in force on 2023-12-31"):
            get_policy("acme", on=date(2023, 12, 31))

    def test_listed_with_the_built_ins(self, plugins: Install) -> None:
        """``available_policies`` lists it, sorted among the built-ins."""
        groups = plugins(ACME_ENTRY)
        assert ("acme", "fiverr", "freelancer", "upwork") == available_policies()
        assert [ENTRY_POINT_GROUP] == groups

    def test_loaded_once(self, plugins: Install) -> None:
        """Entry points are read once per process, however often a name is looked up."""
        groups = plugins(ACME_ENTRY)
        get_policy("acme")
        get_policy("acme")
        available_policies()
        assert [ENTRY_POINT_GROUP] == groups

    def test_evaluate_by_name(self, plugins: Install) -> None:
        """``evaluate(policy="acme")`` applies the plugin's rules: a 10-day review window from 2026."""
        plugins(ACME_ENTRY)
        decision = evaluate(_paid_record(), at=day(3), policy="acme").decision(Question.PUBLIC_FEEDBACK, CLIENT)
        assert (True, day(12)) == (decision.answer, decision.until)
        assert ["ENDED", "PAID_ENOUGH", "WITHIN_WINDOW", "NOT_YET_REVIEWED"] == [r.code for r in decision.reasons]

    def test_pinned_version(self, plugins: Install) -> None:
        """``acme@2025-06-01`` is the first version, whose window is 7 days."""
        plugins(ACME_ENTRY)
        decision = evaluate(_paid_record(), at=day(3), policy="acme@2025-06-01").decision("public_feedback", "client")
        assert day(9) == decision.until

    def test_record_marketplace(self, plugins: Install) -> None:
        """A record whose ``marketplace`` is ``acme`` is judged by the plugin without naming it."""
        plugins(ACME_ENTRY)
        report = evaluate(_paid_record(marketplace="acme"), at=day(3))
        assert "acme@2026-01-01" == report.policy.label

    def test_unanswered_question(self, plugins: Install) -> None:
        """A question the plugin has no rule for answers no with NO_SUCH_RULE."""
        plugins(ACME_ENTRY)
        decision = evaluate(_paid_record(), at=day(3), policy="acme").decision(Question.WORK_HISTORY, FREELANCER)
        assert (False, ("NO_SUCH_RULE",)) == (decision.answer, tuple(r.code for r in decision.reasons))

    def test_cli_explain(self, plugins: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``gigpolicy explain FILE --policy acme`` finds the plugin and reports under it."""
        plugins(ACME_ENTRY)
        path = tmp_path / "record.json"
        path.write_text(record_text(), encoding="utf-8")
        assert 0 == main(["explain", str(path), "--at", "2026-11-03T00:00:00Z", "--policy", "acme", "--json"])
        data = json.loads(capsys.readouterr().out)
        assert "acme" in json.dumps(data["policy"])
        codes = {
            (item["question"], item["party"]): [reason["code"] for reason in item["reasons"]]
            for item in data["decisions"]
        }
        assert ["OPEN"] == codes["end_contract", "client"]

    def test_cli_explain_text(self, plugins: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The text report names the plugin's policy version."""
        plugins(ACME_ENTRY)
        path = tmp_path / "record.json"
        path.write_text(record_text(), encoding="utf-8")
        assert 0 == main(["explain", str(path), "--at", "2026-11-03T00:00:00Z", "--policy", "acme"])
        assert "acme@2026-01-01" in capsys.readouterr().out

    def test_cli_policies(self, plugins: Install, capsys: pytest.CaptureFixture[str]) -> None:
        """``gigpolicy policies`` lists the plugin's versions."""
        plugins(ACME_ENTRY)
        assert 0 == main(["policies"])
        out = capsys.readouterr().out
        assert "acme@2024-01-01" in out
        assert "acme@2026-01-01" in out

    def test_single_policy(self, plugins: Install) -> None:
        """An entry point may name one Policy rather than a sequence."""
        plugins(EntryPoint(name="acme-one", value="acme_gigpolicy:_FIRST", group=ENTRY_POINT_GROUP))
        assert (date(2024, 1, 1),) == tuple(v.effective_from for v in policy_versions("acme"))

    def test_other_groups_are_not_read(self, plugins: Install) -> None:
        """Only the ``gigpolicy.policies`` group is looked up."""
        plugins(EntryPoint(name="acme", value="acme_gigpolicy:VERSIONS", group="someone.else"))
        assert "acme" not in available_policies()


class TestBrokenPlugins:
    """A plugin that cannot give policies is skipped with a ``PluginWarning`` naming it; the rest still load."""

    def test_module_missing(self, plugins: Install) -> None:
        """A plugin whose module is not installed; the built-ins are still found."""
        plugins(EntryPoint(name="ghost", value="ghost_gigpolicy_missing:VERSIONS", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'ghost' \(ghost_gigpolicy_missing:VERSIONS\)"):
            upwork = get_policy("upwork")
        assert "upwork" == upwork.name

    def test_module_raises(self, plugins: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin whose module raises on import: the warning says what it raised."""
        (tmp_path / "exploding_plugin.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        plugins(EntryPoint(name="boom", value="exploding_plugin:VERSIONS", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match=r"'boom' .* failed to load: RuntimeError: boom; skipped"):
            assert ("fiverr", "freelancer", "upwork") == available_policies()

    def test_attribute_missing(self, plugins: Install) -> None:
        """A plugin naming an attribute the module lacks."""
        plugins(EntryPoint(name="acme", value="acme_gigpolicy:NOPE", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'acme' .* failed to load: AttributeError"):
            assert "acme" not in available_policies()

    def test_not_a_policy(self, plugins: Install) -> None:
        """A plugin naming a string."""
        plugins(EntryPoint(name="acme", value="acme_gigpolicy:SOURCE", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'acme' .* must name a Policy .* not str"):
            assert "acme" not in available_policies()

    def test_empty_sequence(self, plugins: Install) -> None:
        """A plugin naming an empty sequence ships nothing, which is reported."""
        plugins(EntryPoint(name="acme", value="acme_gigpolicy:__all__", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match="the policy plugin 'acme'"):
            assert "acme" not in available_policies()

    def test_sequence_of_non_policies(self, plugins: Install) -> None:
        """A plugin naming a list whose items are not policies: the warning names the plugin too."""
        plugins(EntryPoint(name="odd", value="acme_gigpolicy:__all__", group=ENTRY_POINT_GROUP))
        with pytest.warns(PluginWarning, match=r"the policy plugin 'odd' .*only Policy values can be registered"):
            assert ("fiverr", "freelancer", "upwork") == available_policies()

    def test_cli_reports_it(self, plugins: Install, capsys: pytest.CaptureFixture[str]) -> None:
        """On the command line, a broken plugin is one warning line naming it; the built-ins are listed."""
        plugins(EntryPoint(name="ghost", value="ghost_gigpolicy_missing:VERSIONS", group=ENTRY_POINT_GROUP))
        assert 0 == main(["policies"])
        out, err = capsys.readouterr()
        assert "upwork@2025-05-01" in out
        warning = (
            "gigpolicy: warning: the policy plugin 'ghost' (ghost_gigpolicy_missing:VERSIONS) failed to load: "
            "ModuleNotFoundError: No module named 'ghost_gigpolicy_missing'; skipped"
        )
        assert [warning] == err.splitlines()


class TestEvolve:
    """A built-in policy with one parameter changed is a policy like any other."""

    RECORD: Final = fixed(fund(day(0)), submit(day(1)), release(day(2)), end(day(2), by=CLIENT))

    def test_fiverr_review_window(self) -> None:
        """Programming & Tech orders get 30 days to review instead of 14."""
        fiverr = get_policy("fiverr")
        assert isinstance(fiverr, FiverrPolicy)
        longer = attrs.evolve(fiverr, review_window=timedelta(days=30))
        assert day(16) == evaluate(self.RECORD, at=day(3), policy=fiverr).decision("public_feedback", "client").until
        assert day(32) == evaluate(self.RECORD, at=day(3), policy=longer).decision("public_feedback", "client").until

    def test_freelancer_fee(self) -> None:
        """A Freelancer.com policy with a 20% fee nets less."""
        policy = get_policy("freelancer")
        assert isinstance(policy, FreelancerPolicy)
        dearer = attrs.evolve(policy, fees=gigpolicy.FlatFee(rate=Decimal("0.20")))
        assert "450.00 USD" == str(evaluate(self.RECORD, at=day(3), policy=policy).earnings.net)
        assert "400.00 USD" == str(evaluate(self.RECORD, at=day(3), policy=dearer).earnings.net)

    def test_evolved_is_not_registered(self) -> None:
        """Evolving makes a new value; the registered version is unchanged."""
        fiverr = get_policy("fiverr")
        assert isinstance(fiverr, FiverrPolicy)
        attrs.evolve(fiverr, review_window=timedelta(days=30))
        assert timedelta(days=14) == get_policy("fiverr").review_window  # type: ignore[attr-defined]  # a Policy

    def test_evolved_policy_is_frozen(self) -> None:
        """A policy cannot be changed in place, only evolved."""
        fiverr = get_policy("fiverr")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            fiverr.name = "other"  # type: ignore[misc]  # assigning to a frozen field is the point


# -- a policy written against gigpolicy.authoring, type-checked with the tests ------------------------


def _close_on_friday(context: Context) -> Verdict:
    """Anyone may end the contract before its first Friday 00:00 UTC."""
    judge = Judge(context.at)
    friday = context.state.started_at + timedelta(days=(4 - context.state.started_at.weekday()) % 7)
    judge.window(friday.replace(hour=0, minute=0, second=0, microsecond=0), "The first week", None)
    return judge.verdict()


@attrs.frozen(kw_only=True)
class _WeekPolicy(Policy):
    """A policy with one parameter and one rule, typed against ``gigpolicy.authoring``."""

    rules: tuple[tuple[Question, Rule], ...] = ((Question.END_CONTRACT, _close_on_friday),)
    label_suffix: str = ""

    def decide(self, question: Question, context: Context) -> Verdict:
        """The rule for *question*, else the base class's no."""
        for asked, rule in self.rules:
            if asked is question:
                return rule(context)
        return super().decide(question, context)

    def windows(self, context: Context) -> tuple[Window, ...]:
        """The first week."""
        return (Window(code="FIRST_WEEK", label="first week", opens=context.state.started_at, closes=day(3)),)


WEEK: Final = _WeekPolicy(name="week", effective_from=date(2020, 1, 1))


class TestTypedPolicy:
    """A ``Policy`` subclass written against ``gigpolicy.authoring`` works everywhere a policy is taken."""

    def test_types(self) -> None:
        """The public types line up for a type checker."""
        rule: Rule = _close_on_friday
        report = evaluate(fixed(), at=day(1), policy=WEEK)
        assert_type(report.policy, Policy)
        verdict = rule(Context(record=fixed(), state=report.state, at=day(1), party=Party.CLIENT))
        assert_type(verdict, Verdict)
        assert (True, WEEK) == (verdict.answer, report.policy)

    def test_until_from_the_window(self) -> None:
        """The window's closing instant (Friday 00:00 UTC after the Monday start) is the decision's ``until``."""
        decision = evaluate(fixed(), at=day(1), policy=WEEK).decision(Question.END_CONTRACT, Party.CLIENT)
        assert datetime(2026, 11, 6, tzinfo=UTC) == decision.until

    def test_register_and_use_by_name(self, plugins: Install) -> None:
        """Registered, it is found by name; its windows are its own."""
        plugins()
        register_policy(WEEK)
        assert WEEK is get_policy("week")
        context = Context(record=fixed(), state=gigpolicy.replay(fixed(), at=day(1)), at=day(1), party=Party.CLIENT)
        assert ("FIRST_WEEK",) == tuple(window.code for window in WEEK.windows(context))

    def test_other_questions_answer_no(self) -> None:
        """Questions without a rule fall back on ``Policy.decide``."""
        decision = evaluate(fixed(), at=day(1), policy=WEEK).decision(Question.OPEN_DISPUTE, Party.CLIENT)
        assert "week has no rule for open dispute." == decision.reasons[0].message


class TestRegisterPolicy:
    """Only policies can be registered."""

    @pytest.mark.parametrize("value", ["upwork", None, 42, Policy])
    def test_rejects_non_policies(self, value: object, plugins: Install) -> None:
        """A name, ``None``, a number or the class itself raise ``GigPolicyError`` naming the type."""
        plugins()
        with pytest.raises(GigPolicyError, match=f"only Policy values can be registered, not {type(value).__name__}"):
            register_policy(value)  # type: ignore[arg-type]  # the wrong type is the point

    def test_rejects_before_registering_anything_later(self, plugins: Install) -> None:
        """The policies before a bad value are registered; nothing after it."""
        plugins()
        with pytest.raises(GigPolicyError):
            register_policy(WEEK, 42, attrs.evolve(WEEK, name="later"))  # type: ignore[arg-type]  # the point
        names = available_policies()
        assert ("week" in names, "later" in names) == (True, False)


class TestAuthoringModule:
    """``gigpolicy.authoring`` exports what a policy author needs, the same objects as the package."""

    def test_all(self) -> None:
        """``__all__`` names what a policy author needs, and each name exists."""
        names = gigpolicy.authoring.__all__
        expected = {
            "APPLIES_TO",
            "ENTRY_POINT_GROUP",
            "Context",
            "ContractState",
            "Decision",
            "FeeSchedule",
            "Feedback",
            "Judge",
            "Policy",
            "Question",
            "Reason",
            "ReplayRules",
            "Rule",
            "ScoredPolicy",
            "Source",
            "SourceKind",
            "Verdict",
            "Window",
            "register_policy",
            "register_sources",
            "when",
        }
        assert (expected, len(expected)) == (set(names), len(names))
        assert all(hasattr(gigpolicy.authoring, name) for name in names)

    def test_same_objects(self) -> None:
        """The re-exports are the package's own classes."""
        exported = {name: getattr(gigpolicy.authoring, name) for name in gigpolicy.authoring.__all__}
        for name in ("Context", "ContractState", "Decision", "Policy", "Question", "Reason", "ReplayRules", "Verdict"):
            assert getattr(gigpolicy, name) is exported[name]
        assert ENTRY_POINT_GROUP == exported["ENTRY_POINT_GROUP"] == "gigpolicy.policies"
        assert gigpolicy.authoring.APPLIES_TO[Question.ISSUE_REFUND] == (FREELANCER,)


class TestTypingModule:
    """``gigpolicy.typing`` holds types; the kit's names are still found there, deprecated, for one release."""

    def test_types(self) -> None:
        """``__all__`` names the types, the same objects as the kit's."""
        assert ["FeeSchedule", "Rule", "ScoredPolicy"] == gigpolicy.typing.__all__
        assert gigpolicy.authoring.Rule is gigpolicy.typing.Rule

    @pytest.mark.parametrize("name", ["Context", "Judge", "Policy", "Question", "Verdict", "when", "APPLIES_TO"])
    def test_moved_names_warn(self, name: str) -> None:
        """An old name still works and says where it moved."""
        with pytest.warns(DeprecationWarning, match=rf"gigpolicy.typing.{name} moved to gigpolicy.authoring.{name}"):
            found = getattr(gigpolicy.typing, name)
        assert getattr(gigpolicy.authoring, name) is found

    def test_unknown_names_are_attribute_errors(self) -> None:
        """A name that never was there is an AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
            gigpolicy.typing.Nothing  # noqa: B018 - the point

    def test_when(self) -> None:
        """``when`` writes an instant in UTC for reasons."""
        assert "2026-11-03 09:00 UTC" == when(datetime(2026, 11, 3, 10, tzinfo=timezone(timedelta(hours=1))))
