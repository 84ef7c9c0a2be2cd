"""Sources: the listed pages, their registry, ``date_confirmed``, ``policies --sources``, and the built-ins' list."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Final

import attrs
import pytest
from tests.records import (
    CLIENT,
    FREELANCER,
    START,
    bill,
    bonus,
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
    pause,
    refund,
    release,
    remove_feedback,
    report,
    request_changes,
    respond,
    resume,
    submit,
    suspend,
    week,
)
from tests.test_cli_commands import joined_lines, run

import gigpolicy.policies
from gigpolicy import (
    ContractRecord,
    FeedbackKind,
    Party,
    Policy,
    Source,
    SourceKind,
    _sources,
    date_confirmed,
    evaluate,
    get_policy,
    load,
    options,
    register_sources,
    source_for,
    sources,
    timeline,
)
from gigpolicy._policy import available_policies, policy_versions
from gigpolicy._sources import policies_citing
from gigpolicy.errors import GigPolicyError, InvalidRecord

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
CHECKED: Final = date(2026, 12, 5)
BUILT_IN: Final = ("fiverr", "freelancer", "upwork")
"""The policies gigpolicy ships; their modules are ``gigpolicy.policies.<name>``."""


def page(url: object = "https://help.example/fees", **changes: object) -> Source:
    """A valid source at *url*, with *changes*."""
    fields: dict[str, object] = {
        "url": url,
        "kind": SourceKind.HELP_CENTER,
        "title": "Fees",
        "checked": CHECKED,
        "date_confirmed": False,
    }
    fields.update(changes)
    return Source(**fields)  # type: ignore[arg-type]  # fields typed loosely to test bad values


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty registry of sources for the test (the built-ins come back afterwards)."""
    monkeypatch.setattr(_sources, "_SOURCES", {})
    monkeypatch.setattr(_sources, "_CITED_BY", {})


class TestSource:
    """A listed page: each field is checked when the value is built."""

    def test_defaults(self) -> None:
        """A page without note and versions has an empty note and dates no version."""
        assert ("", ()) == (page().note, page().versions)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("url", "help.example/fees"),
            ("url", 42),
            ("url", "https://help.example/\nfees"),
            ("kind", "help_center"),
            ("title", " "),
            ("title", None),
            ("checked", datetime(2026, 12, 5, tzinfo=UTC)),
            ("checked", "2026-12-05"),
            ("date_confirmed", 1),
            ("note", None),
            ("versions", ["upwork@2023-12-05"]),
            ("versions", ("upwork",)),
            ("versions", ("@2023-12-05",)),
            ("versions", ("upwork@2023-12",)),
            ("versions", ("upwork@20231205",)),
            ("versions", (None,)),
        ],
    )
    def test_invalid_field(self, field: str, value: object) -> None:
        """A bad value raises InvalidRecord naming its field."""
        with pytest.raises(InvalidRecord) as raised:
            page(**{field: value})
        assert field == raised.value.path

    def test_kinds(self) -> None:
        """The four kinds, by their wire names."""
        assert ["help_center", "release_note", "moderator", "third_party"] == [kind.value for kind in SourceKind]


@pytest.mark.usefixtures("registry")
class TestRegistry:
    """``register_sources``, ``sources``, ``source_for`` and ``policies_citing``."""

    def test_lookup(self) -> None:
        """A registered page is found by its URL; another URL, or not a string, finds nothing."""
        register_sources(page(), cited_by="acme")
        assert (page(), None, None) == (
            source_for("https://help.example/fees"),
            source_for("https://help.example/other"),
            source_for(42),  # type: ignore[arg-type]  # callers may pass anything
        )

    def test_sorted_by_url(self) -> None:
        """``sources()`` lists every page once, sorted by URL, whoever registered it."""
        register_sources(page("https://b.example/"), page("https://c.example/"), cited_by="acme")
        register_sources(page("https://a.example/"), cited_by="zeta")
        expected = ["https://a.example/", "https://b.example/", "https://c.example/"]
        assert expected == [source.url for source in sources()]

    def test_cited_by(self) -> None:
        """``cited_by`` keeps the pages one policy cites; ``policies_citing`` names the policies."""
        register_sources(page("https://a.example/"), page("https://b.example/"), cited_by="acme")
        register_sources(page("https://b.example/"), cited_by="zeta")
        assert (["https://b.example/"], ("acme", "zeta"), (), ()) == (
            [source.url for source in sources(cited_by="zeta")],
            policies_citing("https://b.example/"),
            policies_citing("https://nowhere.example/"),
            policies_citing(42),  # type: ignore[arg-type]  # callers may pass anything
        )

    def test_identical_again(self) -> None:
        """The same page registered twice with the same data is one page."""
        register_sources(page(), page(), cited_by="acme")
        register_sources(page(), cited_by="acme")
        assert ((page(),), ("acme",)) == (sources(), policies_citing(page().url))

    def test_different_data(self) -> None:
        """The same URL with different data is refused, naming the fields that differ."""
        register_sources(page(), cited_by="acme")
        with pytest.raises(GigPolicyError) as raised:
            register_sources(page(title="Other", note="Changed."), cited_by="zeta")
        expected = "the source https://help.example/fees is already listed with a different title, note"
        assert (expected, ("acme",)) == (str(raised.value), policies_citing(page().url))

    def test_different_data_in_one_call(self) -> None:
        """Two different pages at one URL in one call are refused, and nothing is registered."""
        with pytest.raises(GigPolicyError, match="different date_confirmed"):
            register_sources(page("https://a.example/"), page(), page(date_confirmed=True), cited_by="acme")
        assert () == sources()

    def test_not_a_source(self) -> None:
        """Only Source values can be registered."""
        with pytest.raises(GigPolicyError, match="only Source values can be registered, not str"):
            register_sources("https://help.example/fees", cited_by="acme")  # type: ignore[arg-type]  # a wrong call

    @pytest.mark.parametrize("name", ["", None])
    def test_cited_by_a_name(self, name: object) -> None:
        """``cited_by`` must name a policy."""
        with pytest.raises(GigPolicyError, match="cited_by must be the name of a policy"):
            register_sources(page(), cited_by=name)  # type: ignore[arg-type]  # a wrong call


def acme(source: str | None, on: date = date(2026, 1, 1)) -> Policy:
    """A version of a policy of one's own, citing *source*."""
    return Policy(name="acme", effective_from=on, source=source)


@pytest.mark.usefixtures("registry")
class TestDateConfirmed:
    """``date_confirmed``: does a source state the day the version took effect?"""

    def test_own_source(self) -> None:
        """A version that no page names rests on its own source."""
        register_sources(page("https://a.example/", date_confirmed=True), page("https://b.example/"), cited_by="acme")
        assert (True, False) == (
            date_confirmed(acme("https://a.example/")),
            date_confirmed(acme("https://b.example/")),
        )

    def test_unknown(self) -> None:
        """A version whose source nobody listed, or without a source, is unknown."""
        register_sources(page(), cited_by="acme")
        assert (None, None) == (date_confirmed(acme("https://nowhere.example/")), date_confirmed(acme(None)))

    def test_not_a_policy(self) -> None:
        """Anything but a policy is refused with a GigPolicyError."""
        with pytest.raises(GigPolicyError, match="date_confirmed takes one version of a Policy, not str"):
            date_confirmed("upwork")  # type: ignore[arg-type]  # callers may pass anything

    def test_pages_naming_the_version(self) -> None:
        """Pages that name the version date it instead of its own source, and all must state the day."""
        own = page("https://own.example/", date_confirmed=True)
        dated = page("https://dated.example/", date_confirmed=True, versions=("acme@2026-01-01",))
        undated = page("https://undated.example/", versions=("acme@2026-01-01", "acme@2027-01-01"))
        register_sources(own, dated, cited_by="acme")
        first = date_confirmed(acme(own.url))
        register_sources(undated, cited_by="acme")
        assert (True, False, False, True) == (
            first,
            date_confirmed(acme(own.url)),
            date_confirmed(acme(None, date(2027, 1, 1))),
            date_confirmed(acme(own.url, date(2028, 1, 1))),
        )


# -- the built-in policies' list --------------------------------------------------------------


def module_of(name: str) -> ModuleType:
    """The module of the built-in policy *name*."""
    return importlib.import_module(f"gigpolicy.policies.{name}")


def constants(module: ModuleType) -> set[str]:
    """Every module-level string of *module* that is a URL, but not a prefix other URLs are built on."""
    urls = {value for value in vars(module).values() if isinstance(value, str) and value.startswith("http")}
    return {url for url in urls if not any(other != url and other.startswith(url) for other in urls)}


def in_versions(name: str) -> set[str]:
    """Every URL a version of *name* holds: its ``source`` and any other field whose value is a URL."""
    found: set[str] = set()
    for version in policy_versions(name):
        for field in attrs.fields(type(version)):
            value = getattr(version, field.name)
            if isinstance(value, str) and value.startswith("http"):
                found.add(value)
    return found


def scenario_records() -> Iterator[ContractRecord]:
    """The example records and scenario records built from ``tests/records.py``: many rules' paths."""
    for path in sorted(EXAMPLES.glob("*.json")):
        yield load(path)
    funded = fund(day(0))
    paid = (funded, submit(day(1)), release(day(2)))
    for events in (
        (),
        (funded,),
        (funded, submit(day(1))),
        (funded, submit(day(1)), request_changes(day(2))),
        (funded, submit(day(1)), request_changes(day(2)), end(day(3), by=CLIENT)),
        (funded, end(day(1), by=CLIENT)),
        (funded, end(day(1), by=FREELANCER)),
        (funded, end(day(1), by=CLIENT), open_dispute(day(2))),
        (funded, end(day(1), by=CLIENT), give_back(day(9))),
        (funded, report(day(1)), end(day(1), by=FREELANCER)),
        (*paid, end(day(3), by=CLIENT)),
        (*paid, end(day(3)), feedback(day(4)), feedback(day(5), by=FREELANCER), respond(day(6))),
        (*paid, end(day(3)), feedback(day(4), rating="1"), enable_edit(day(5)), remove_feedback(day(6))),
        (*paid, end(day(3)), feedback(day(4), kind=FeedbackKind.PRIVATE, rating="2")),
        (*paid, bonus(day(3)), refund(day(4)), end(day(5), by=CLIENT)),
        (*paid, feedback(day(40), kind=FeedbackKind.MID_CONTRACT)),
        (end(day(1), by=CLIENT), feedback(day(2), rating="1"), suspend(day(3))),
    ):
        yield fixed(*events)
    billed = bill(day(7, hours=-3), week(1))
    for weekly in (
        (billed,),
        (billed, dispute_hours(day(8), week(1))),
        (pause(day(1)), resume(day(2)), billed, end(day(8), by=CLIENT), feedback(day(9))),
    ):
        yield hourly(*weekly)


AFTER: Final = (timedelta(0), timedelta(days=1), timedelta(days=4), timedelta(days=10), timedelta(days=45))
"""When, after a record's last event, its decisions are read."""
NEXT_STEP: Final = timedelta(days=1)
"""When, after a record's last event, each party's options are simulated (they are slower to read)."""


def cited_by_evaluation(name: str) -> set[str]:
    """Every source a reason or a window gives, evaluating the records under each version of *name*."""
    found: set[str] = set()
    for record in scenario_records():
        last = max((event.at for event in record.events), default=START)
        for version in policy_versions(name):
            for after in AFTER:
                found |= cited_at(record, version, last + after, with_options=after == NEXT_STEP)
    return found - {""}


def cited_at(record: ContractRecord, version: Policy, at: datetime, *, with_options: bool) -> set[str]:
    """The sources of one evaluation and its timeline's windows, and of each party's options if asked."""
    try:
        reports = [evaluate(record, at=at, policy=version)]
        found = {window.source or "" for window in timeline(record, reports[0]).windows}
        for party in Party if with_options else ():
            for option in options(record, party=party, at=at, policy=version):
                reports += [option.worst_case, option.best_case]
                found |= {reason.source or "" for reason in option.warnings}
    except GigPolicyError:  # a record this policy's own steps make impossible (a Fiverr order ends when released)
        return set()
    return found | {
        reason.source or "" for each in reports for decision in each.decisions for reason in decision.reasons
    }


@pytest.fixture(scope="module")
def evaluated() -> dict[str, set[str]]:
    """For each built-in policy, every URL its reasons and windows give on the records."""
    return {name: cited_by_evaluation(name) for name in BUILT_IN}


@pytest.fixture(scope="module")
def cited(evaluated: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each built-in policy, every URL it cites: constants, versions' fields, reasons and windows."""
    return {name: constants(module_of(name)) | in_versions(name) | evaluated[name] for name in BUILT_IN}


def unlisted(cited: dict[str, set[str]]) -> dict[str, list[str]]:
    """The URLs each policy cites without listing them as its sources."""
    listed = {name: {source.url for source in sources(cited_by=name)} for name in cited}
    return {name: sorted(urls - listed[name]) for name, urls in cited.items() if urls - listed[name]}


class TestBuiltIns:
    """Every page a built-in policy cites is listed once, and each listing is real."""

    def test_built_ins(self) -> None:
        """The built-in policies are the modules of ``gigpolicy.policies``."""
        found = tuple(sorted(info.name for info in pkgutil.iter_modules(gigpolicy.policies.__path__)))
        assert (BUILT_IN, True) == (found, set(BUILT_IN) <= set(available_policies()))

    def test_every_cited_source_is_listed(self, cited: dict[str, set[str]]) -> None:
        """Each URL a built-in policy cites is one of the sources it registers."""
        assert {} == unlisted(cited)

    def test_an_unlisted_source_is_caught(self, cited: dict[str, set[str]], monkeypatch: pytest.MonkeyPatch) -> None:
        """Taking one cited page out of the list makes the check above fail, naming it."""
        url = get_policy("upwork@2020-11-08").source
        assert url is not None
        before = unlisted(cited).get("upwork", [])
        monkeypatch.delitem(_sources._SOURCES, url)
        assert [url] == sorted(set(unlisted(cited)["upwork"]) - set(before))

    def test_the_evaluation_finds_sources(self, evaluated: dict[str, set[str]]) -> None:
        """The records reach the rules: for each policy, reasons and windows cite pages no version names."""
        assert [] == [name for name in BUILT_IN if not evaluated[name] - in_versions(name)]

    def test_every_listed_source_is_cited(self, cited: dict[str, set[str]]) -> None:
        """A built-in policy lists only pages it cites, or pages that date one of its versions."""
        stale = {
            name: [
                source.url for source in sources(cited_by=name) if source.url not in cited[name] and not source.versions
            ]
            for name in BUILT_IN
        }
        assert {name: [] for name in BUILT_IN} == stale

    def test_listed_once(self) -> None:
        """Each module's ``SOURCES`` names a URL once."""
        for name in BUILT_IN:
            urls = [source.url for source in module_of(name).SOURCES]
            assert sorted(set(urls)) == sorted(urls), name

    def test_versions_named_exist(self) -> None:
        """A page that dates versions names versions of the policies citing it."""
        labels = {version.label for name in available_policies() for version in policy_versions(name)}
        for source in sources():
            assert set(source.versions) <= labels, source.url
            assert {label.partition("@")[0] for label in source.versions} <= set(policies_citing(source.url))

    def test_every_built_in_date_is_known(self) -> None:
        """Every built-in version rests on listed sources, so its date is confirmed or not, never unknown."""
        unknown = [
            version.label for name in BUILT_IN for version in policy_versions(name) if date_confirmed(version) is None
        ]
        assert [] == unknown

    def test_unconfirmed_dates(self) -> None:
        """December 2023 gives no day for the score change; Fiverr's and Freelancer.com's dates are not stated."""
        labels = ["upwork@2020-11-08", "upwork@2023-12-05", "fiverr@2023-06-14", "freelancer@2000-01-01"]
        assert [True, False, False, False] == [date_confirmed(get_policy(label)) for label in labels]

    def test_checked_dates(self) -> None:
        """No page was checked after the day of the research notes' update, nor before the project began."""
        assert all(date(2026, 11, 27) <= source.checked <= CHECKED for source in sources())


class TestCommand:
    """``gigpolicy policies --sources [--json]``, and unconfirmed dates in ``gigpolicy policies``."""

    def test_sources_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Per policy, each source's kind, last check, date and title, then its URL."""
        code, out, err = run(capsys, "policies", "--sources")
        lines = joined_lines(out, 6)  # titles and notes wrapped to 80 columns, their later lines by eight
        assert (0, "") == (code, err)
        assert all(len(line) <= 80 for line in out.splitlines() if "https://" not in line)
        assert list(BUILT_IN) == [line for line in lines if not line.startswith(" ")]
        fees = source_for(get_policy("upwork@2023-05-03").source or "")
        assert fees is not None
        header = f"  help center   checked {fees.checked}  date confirmed    {fees.title}"
        at = lines.index(header)
        expected = [
            header,
            f"      {fees.url}",
            "      dates upwork@2016-06-21, upwork@2023-05-03",
            f"      {fees.note}",
        ]
        assert expected == lines[at : at + 4]

    @pytest.mark.usefixtures("registry")
    def test_sources_text_short(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A page without versions or note is two lines: no empty line stands for them."""
        register_sources(page(kind=SourceKind.THIRD_PARTY), cited_by="acme")
        _, out, _ = run(capsys, "policies", "--sources")
        expected = "acme\n  third party   checked 2026-12-05  date unconfirmed  Fees\n      https://help.example/fees\n"
        assert expected == out

    def test_sources_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json lists each source once, sorted by URL, with the policies citing it."""
        code, out, _ = run(capsys, "policies", "--sources", "--json")
        document = json.loads(out)
        data = document["sources"]
        assert "gigpolicy-sources/1" == document["format"]
        assert (0, [source.url for source in sources()]) == (code, [item["url"] for item in data])
        first = sources()[0]
        assert {
            "url": first.url,
            "kind": first.kind.value,
            "title": first.title,
            "checked": first.checked.isoformat(),
            "date_confirmed": first.date_confirmed,
            "note": first.note,
            "versions": list(first.versions),
            "cited_by": list(policies_citing(first.url)),
        } == data[0]
        assert all(item["cited_by"] for item in data)

    def test_policies_mark_unconfirmed(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A version whose date is unconfirmed is followed by a line that says so, and only such a version."""
        _, out, _ = run(capsys, "policies")
        lines = joined_lines(out, 6)
        marker = "      date unconfirmed (see gigpolicy policies --sources)"
        marked = [lines[at - 2].split()[0] for at, line in enumerate(lines) if line == marker]
        expected = [
            v.label for name in available_policies() for v in policy_versions(name) if date_confirmed(v) is False
        ]
        assert (expected, True) == (marked, "upwork@2023-12-05" in marked)

    def test_policies_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``policies --json`` gives each version's ``date_confirmed``: true, false or null."""
        _, out, _ = run(capsys, "policies", "--json")
        found = {item["version"]: item["date_confirmed"] for item in json.loads(out)["policies"]}
        assert (True, False) == (found["upwork@2020-11-08"], found["upwork@2023-12-05"])
