"""Every JSON document the library, the command line and the server produce is valid under its published schema.

The schemas are the files in ``docs/reference/schemas/``, one per ``*_FORMAT`` of
:mod:`gigpolicy._report_json`; they refer to each other by ``$id`` (``urn:gigpolicy:schema:...``),
resolved here through a :class:`referencing.Registry` that holds all of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs installed (types-jsonschema)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.testclient import TestClient

import gigpolicy._report_json as report_json
from gigpolicy import ContractRecord, Party, dumps, evaluate, load, options
from gigpolicy._cli import main
from gigpolicy._policy import policy_versions
from gigpolicy._report_json import options_data, report_data, report_line
from gigpolicy._schema import schema as record_schema
from gigpolicy.serve import create_app
from gigpolicy.testing import records

ROOT: Final = Path(__file__).resolve().parents[1]
SCHEMAS: Final = ROOT / "docs" / "reference" / "schemas"
EXAMPLES: Final = sorted((ROOT / "examples" / "records").glob("*.json"))
FORMATS: Final = {
    name: value for name, value in vars(report_json).items() if name.endswith("_FORMAT") and isinstance(value, str)
}
"""Every ``*_FORMAT`` constant: the formats of the documents the command line prints."""
URN: Final = "urn:gigpolicy:schema:"


def schema_path(format_: str) -> Path:
    """The schema file of *format_*: its name with ``/`` as ``-``, and ``.schema.json``."""
    return SCHEMAS / (format_.replace("/", "-") + ".schema.json")


def load_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file, by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json"))}


LOADED: Final = load_schemas()
REGISTRY: Final[Registry[Any]] = Registry().with_resources(
    (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012))
    for contents in LOADED.values()
)
VALIDATORS: Final = {
    contents["properties"]["format"]["const"]: Draft202012Validator(
        contents, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for contents in LOADED.values()
}
EVENT: Final = Draft202012Validator(
    {"$defs": record_schema()["$defs"], "$ref": "#/$defs/Event"}, format_checker=Draft202012Validator.FORMAT_CHECKER
)
"""The record format's own schema of one event, to check the events an option adds."""


def check(document: object) -> dict[str, Any]:
    """Assert that *document* is valid under the schema its ``format`` names; return it.

    The events an option adds are checked also against the record format's schema of an event
    (the options schema only says that they are record events).
    """
    assert isinstance(document, dict), document
    format_ = document.get("format")
    assert format_ in VALIDATORS, f"no schema for the format {format_!r}"
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATORS[format_].iter_errors(document)
    ]
    assert not problems, problems
    if format_ == report_json.OPTIONS_FORMAT:
        for option in document["options"]:
            for event in option["events"]:
                EVENT.validate(event)
    return document


def printed(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> dict[str, Any]:
    """Run ``gigpolicy`` with *argv*, assert its exit code, and return what it printed as a checked document."""
    capsys.readouterr()
    assert main(argv) == code
    return check(json.loads(capsys.readouterr().out))


def instants_of(path: Path) -> list[str]:
    """A few instants to judge the record in *path* at: at its first event, just after its last, and long after."""
    data = json.loads(path.read_text(encoding="utf-8"))
    times = [datetime.fromisoformat(event["at"]) for event in data["events"]]
    first, last = min(times), max(times)
    picked = [first, last + timedelta(hours=1), last + timedelta(days=20), last + timedelta(days=400)]
    return [moment.astimezone(UTC).isoformat().replace("+00:00", "Z") for moment in picked]


def cases() -> Iterator[tuple[Path, str]]:
    """Every example record with each of its instants."""
    for path in EXAMPLES:
        for at in instants_of(path):
            yield path, at


CASES: Final = list(cases())
CASE_IDS: Final = [f"{path.stem}@{at}" for path, at in CASES]


class TestTheSchemas:
    """The schema files themselves: valid JSON Schemas, one per format, each naming its format."""

    @pytest.mark.parametrize("name", sorted(LOADED))
    def test_each_is_a_valid_draft_2020_12_schema(self, name: str) -> None:
        """Each file is a JSON Schema (draft 2020-12) with its $id, title and description."""
        contents = LOADED[name]
        Draft202012Validator.check_schema(contents)
        assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert contents["$id"] == URN + name.removesuffix(".schema.json")
        assert contents["title"]
        assert contents["description"]
        assert "format" in contents["required"]
        assert contents["additionalProperties"] is False

    def test_every_format_has_its_schema_and_every_schema_its_format(self) -> None:
        """The files are exactly one per ``*_FORMAT`` constant, and each schema's const is that format."""
        assert len(FORMATS) == len(LOADED) >= 10
        assert {schema_path(value).name for value in FORMATS.values()} == set(LOADED)
        for value in FORMATS.values():
            assert LOADED[schema_path(value).name]["properties"]["format"] == {
                "description": "The kind and version of this document.",
                "const": value,
            }

    def test_every_reference_resolves(self) -> None:
        """Each ``$ref`` to another schema names a schema of the registry and a definition it has."""
        found = 0

        def walk(node: object) -> Iterator[str]:
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    yield node["$ref"]
                for value in node.values():
                    yield from walk(value)
            elif isinstance(node, list):
                for value in node:
                    yield from walk(value)

        for contents in LOADED.values():
            resolver = REGISTRY.resolver(base_uri=contents["$id"])
            for target in walk(contents):
                assert resolver.lookup(target).contents, target
                found += 1
        assert found > 0

    def test_a_wrong_document_is_refused(self) -> None:
        """The schemas are strict: an unknown field, a number for money, an offset or a bad enum fail."""
        path, at = CASES[0]
        good: dict[str, Any] = json.loads(json.dumps(report_data(evaluate(load(path), at=datetime.fromisoformat(at)))))
        check(good)
        validator = VALIDATORS[report_json.REPORT_FORMAT]
        state = good["state"]
        wrong: list[dict[str, Any]] = [
            {**good, "surprise": 1},
            {**good, "format": "gigpolicy-report/2"},
            {**good, "at": "2026-11-03T10:00:00+01:00"},
            {**good, "state": {**state, "escrow": 500}},
            {**good, "state": {**state, "status": "finished"}},
            {key: value for key, value in good.items() if key != "decisions"},
            {**good, "line": 0},
        ]
        for document in wrong:
            assert not validator.is_valid(document), document


class TestTheCommandLine:
    """Each ``--json`` output of the real commands, over every example record at several instants."""

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_explain(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``explain --json`` prints a report with the contract's id."""
        document = printed(capsys, ["explain", str(path), "--at", at, "--json"])
        assert document["contract"] == json.loads(path.read_text(encoding="utf-8"))["contract"]["id"]
        assert document["decisions"]

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    @pytest.mark.parametrize("party", ["client", "freelancer"])
    def test_options(self, capsys: pytest.CaptureFixture[str], path: Path, at: str, party: str) -> None:
        """``options --json`` prints options whose cases are reports without a contract, and no score effect."""
        document = printed(capsys, ["options", str(path), "--as", party, "--at", at, "--json"])
        assert document["options"]
        for option in document["options"]:
            assert "score_effect" not in option
            assert "contract" not in option["worst_case"]

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_options_with_history(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``options --history`` adds each option's score effect, also valid."""
        argv = ["options", str(path), "--as", "freelancer", "--at", at, "--json", "--history", *map(str, EXAMPLES)]
        document = printed(capsys, argv)
        assert all("score_effect" in option for option in document["options"])

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_compare(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``compare --json`` of the oldest and newest Upwork versions prints their differences."""
        versions = policy_versions("upwork")
        first, last = versions[0].label, versions[-1].label
        document = printed(capsys, ["compare", str(path), "--at", at, "--policy", first, "--policy", last, "--json"])
        assert (document["first"]["version"], document["second"]["version"]) == (first, last)

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_timeline(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``timeline --json`` prints the marks and windows."""
        document = printed(capsys, ["timeline", str(path), "--at", at, "--json"])
        assert document["marks"]

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_deadlines(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``deadlines --json`` prints the deadlines ahead."""
        document = printed(capsys, ["deadlines", str(path), "--at", at, "--json"])
        assert document["at"] == at

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_score(self, capsys: pytest.CaptureFixture[str], path: Path, at: str) -> None:
        """``score --json`` prints the estimate, with and without a target."""
        freelancer = json.loads(path.read_text(encoding="utf-8"))["contract"]["freelancer"]
        argv = ["score", *map(str, EXAMPLES), "--freelancer", freelancer, "--at", at, "--json"]
        assert printed(capsys, argv)["target"] is None
        assert printed(capsys, [*argv, "--target", "90"])["target"]["score"] == 90

    def test_policies(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``policies --json`` lists every version."""
        assert printed(capsys, ["policies", "--json"])["policies"]

    def test_sources(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``policies --sources --json`` lists every source."""
        assert printed(capsys, ["policies", "--sources", "--json"])["sources"]

    def test_validate(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``validate --json`` of valid and invalid files: every file with its problems."""
        broken = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
        del broken["contract"]["currency"]
        broken["events"][0]["amount"] = "a lot"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(broken), encoding="utf-8")
        garbage = tmp_path / "garbage.json"
        garbage.write_text("{not json", encoding="utf-8")
        document = printed(capsys, ["validate", *map(str, EXAMPLES), str(bad), str(garbage), "--json"], code=1)
        assert [entry["valid"] for entry in document["files"]] == [True] * len(EXAMPLES) + [False, False]
        assert len(document["files"][-2]["errors"]) >= 2
        assert printed(capsys, ["validate", str(EXAMPLES[0]), "--json"])["files"][0]["errors"] == []

    @pytest.mark.parametrize("at", ["2026-09-01T00:00:00Z", "2026-11-03T09:30:00Z", "2028-01-01T00:00:00Z"])
    def test_batch(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, at: str) -> None:
        """Each line of ``batch``, good and bad, is a report with its line or an errors document."""
        good = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in EXAMPLES]
        bad = ["", "not json", "[1, 2]", '{"format": "gigpolicy/1"}', '{"format": "gigpolicy/2", "x": 1}']
        lines = tmp_path / "in.jsonl"
        lines.write_text("\n".join([*good, *bad]) + "\n", encoding="utf-8")
        capsys.readouterr()
        assert main(["batch", str(lines), "--at", at]) == 1
        out = capsys.readouterr().out.splitlines()
        assert len(out) == len(good) + len(bad)
        documents = [check(json.loads(line)) for line in out]
        assert [document["line"] for document in documents] == list(range(1, len(out) + 1))
        formats = [document["format"] for document in documents]
        assert formats.count(report_json.ERRORS_FORMAT) == len(bad)


class TestTheServer:
    """The JSON answers of the HTTP API."""

    @pytest.fixture
    def client(self) -> TestClient:
        """A test client of the application."""
        return TestClient(create_app())

    @pytest.mark.parametrize(("path", "at"), CASES, ids=CASE_IDS)
    def test_evaluate_and_options(self, client: TestClient, path: Path, at: str) -> None:
        """``POST /v1/evaluate`` answers a report, ``POST /v1/options`` the options, both valid."""
        record = json.loads(path.read_text(encoding="utf-8"))
        answer = client.post("/v1/evaluate", json={"record": record, "at": at})
        assert answer.status_code == 200
        assert check(answer.json())["contract"] == record["contract"]["id"]
        for party in ("client", "freelancer"):
            answer = client.post("/v1/options", json={"record": record, "at": at, "as": party})
            assert answer.status_code == 200
            check(answer.json())

    def test_policies(self, client: TestClient) -> None:
        """``GET /v1/policies`` answers the list of versions."""
        answer = client.get("/v1/policies")
        assert answer.status_code == 200
        assert check(answer.json())["format"] == report_json.POLICIES_FORMAT


AFTER: Final = st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(days=10), timedelta(days=200)])


class TestGeneratedRecords:
    """Property: every report the library produces, for any valid record, is valid under its published schema."""

    @settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
    @given(record=records(), after=AFTER)
    def test_reports_and_batch_lines(self, record: ContractRecord, after: timedelta) -> None:
        """``report_data`` with and without the record, and the batch line, are valid reports."""
        at = record.events[-1].at + after if record.events else record.contract.started_at + after
        report = evaluate(record, at=at)
        check(report_data(report, record))
        check(report_data(report))
        line = check(json.loads(report_line(report, record, 7)))
        assert line["line"] == 7

    @settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
    @given(record=records(), after=AFTER, party=st.sampled_from(list(Party)))
    def test_options(self, record: ContractRecord, after: timedelta, party: Party) -> None:
        """``options_data`` of every party's options is valid."""
        at = record.events[-1].at + after if record.events else record.contract.started_at + after
        check(options_data(options(record, party=party, at=at)))

    @settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(record=records(), after=AFTER)
    def test_timeline_and_deadlines(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, record: ContractRecord, after: timedelta
    ) -> None:
        """``timeline --json`` and ``deadlines --json`` of any record, in any time zone, are valid."""
        at = record.events[-1].at + after if record.events else record.contract.started_at + after
        path = tmp_path / "record.json"
        path.write_text(dumps(record), encoding="utf-8")
        text = at.isoformat()
        printed(capsys, ["timeline", str(path), "--at", text, "--json"])
        printed(capsys, ["deadlines", str(path), "--at", text, "--json"])
