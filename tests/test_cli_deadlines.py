"""``gigpolicy deadlines FILE [--at T] [--policy NAME] [--json] [--ics OUT]`` and the deadlines behind it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo

import icalendar
import pytest

import gigpolicy._cli
from gigpolicy import Party, Policy, load, loads, register_policy
from gigpolicy import _policy as policy_module
from gigpolicy._cli import _deadlines_text, main
from gigpolicy._deadlines import Deadline, deadlines, deadlines_ics
from gigpolicy._state import ReplayRules
from gigpolicy.authoring import Context, Window
from gigpolicy.errors import InvalidRecord

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
MOTIVATING: Final = str(EXAMPLES / "motivating-case.json")
ENDED: Final = str(EXAMPLES / "motivating-case-ended.json")
AUTO_RELEASE: Final = str(EXAMPLES / "fixed-price-auto-release.json")
AT: Final = "2026-11-03T09:00:00Z"
AT_INSTANT: Final = datetime(2026, 11, 3, 9, tzinfo=UTC)
FEEDBACK_SOURCE: Final = "https://support.upwork.com/hc/en-us/articles/211068438-Give-feedback"
PLAIN: Final = Policy(
    name="plain", effective_from=date(2000, 1, 1), replay_rules=ReplayRules(dormant_after=timedelta(days=90))
)
"""A policy that opens no window but takes the automatic steps: the state alone names them."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record(*events: str, kind: str = "fixed_price") -> str:
    """A record of contract c-9 (ana for acme) with *events*, as JSON text."""
    return (
        '{"format": "gigpolicy/1", "contract": {"id": "c-9", "kind": "' + kind + '", "currency": "USD",'
        ' "client": "acme", "freelancer": "ana", "started_at": "2026-11-02T09:00:00Z"}, "events": ['
        + ", ".join(events)
        + "]}"
    )


FUNDED: Final = '{"type": "milestone_funded", "at": "2026-11-02T10:00:00Z", "milestone": "m1", "amount": "300"}'
SUBMITTED: Final = '{"type": "work_submitted", "at": "2026-11-02T12:00:00Z", "milestone": "m1"}'
ENDED_BY_CLIENT: Final = '{"type": "contract_ended", "at": "2026-11-03T08:00:00Z", "by": "client"}'


def calendar(text: str) -> list[icalendar.Component]:
    """The events of the iCalendar *text*, parsed by the icalendar library."""
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def unwrapped(text: str) -> list[str]:
    """The lines of *text*, each deadline's line joined again where it was wrapped (under its instant)."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith(" " * 7) and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines


class TestText:
    """The text lists each deadline with what it is, for whom, when it closes and opens, and its source."""

    def test_motivating_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The ended motivating case: the feedback window until 2026-11-18 00:00 UTC, then the responses."""
        code, out, err = run(capsys, "deadlines", ENDED, "--at", AT)
        lines = unwrapped(out)
        assert (0, "") == (code, err)
        assert "Deadlines of contract c-1001 at 2026-11-03 09:00 UTC (times in UTC)" == lines[0]
        assert "closes 2026-11-18 00:00 UTC  feedback window (FEEDBACK, for both parties)" == lines[2]
        assert f"  source {FEEDBACK_SOURCE}" == lines[3]
        assert lines[4].startswith("closes 2026-12-01 09:00 UTC  responses to feedback (RESPONSE")
        last = " ".join(out.split("\n\n")[-1].split())  # a paragraph wrapped to 80 columns
        assert last.startswith("Under upwork@2025-05-01, if no new event comes")
        assert all(len(line) <= 80 for line in out.splitlines() if "https://" not in line)

    def test_opens_later(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A window that opens after the instant says when; the dormancy closure comes with its notices."""
        code, out, _ = run(capsys, "deadlines", MOTIVATING, "--at", AT)
        lines = unwrapped(out)
        assert 0 == code
        assert "closes 2027-01-31 15:05 UTC  90 days without activity (DORMANCY, for both parties)" == lines[2]
        notice = lines.index(
            "closes 2027-01-31 15:05 UTC  14-day notice of the dormancy closure (DORMANCY_NOTICE, for both parties)"
        )
        assert "  opens 2027-01-17 15:05 UTC" == lines[notice + 1]

    def test_for_one_party(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A window for one party names it; an automatic release is listed once, sorted by close."""
        _, out, _ = run(capsys, "deadlines", AUTO_RELEASE, "--at", AT)
        closes = [line for line in unwrapped(out) if line.startswith("closes")]
        assert closes[0] == "closes 2026-11-16 14:00 UTC  build releases by itself (AUTO_RELEASE, for both parties)"
        # 180 days from the release ahead, a payment too
        assert closes[-1] == "closes 2027-05-15 14:00 UTC  freelancer may refund (REFUND, for the freelancer)"
        assert sorted(line[:27] for line in closes) == [line[:27] for line in closes]

    def test_none_ahead(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Once every window has closed, the text says so."""
        code, out, _ = run(capsys, "deadlines", ENDED, "--at", "2027-06-01T00:00:00Z")
        assert 0 == code
        assert "No deadline is open or ahead." == out.splitlines()[-1]

    def test_default_instant(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Without --at, the clock's instant is judged."""
        monkeypatch.setattr(gigpolicy._cli, "_now", lambda: datetime(2026, 11, 17, tzinfo=UTC))
        _, out, _ = run(capsys, "deadlines", ENDED)
        assert "at 2026-11-17 00:00 UTC" in out.splitlines()[0]
        assert "closes 2026-11-18 00:00 UTC  feedback window (FEEDBACK, for both parties)" in out

    def test_zone_named_in_a_wrapped_header(self) -> None:
        """A header wrapped across "(times in UTC)" still names the second zone, and fits."""
        berlin = ZoneInfo("Europe/Berlin")
        text = _deadlines_text((), "c-" + "x" * 18, AT_INSTANT, 80, berlin)
        header = " ".join(text.split("\n\n")[0].split())
        assert header.endswith("(times in UTC, and in Europe/Berlin)")
        assert all(len(line) <= 80 for line in text.splitlines())

    def test_no_source(self) -> None:
        """A deadline with no source has no source line."""
        found = (Deadline(contract="c", code="X", label="x", party=Party.CLIENT, closes=AT_INSTANT, policy="p"),)
        lines = _deadlines_text(found, "c", AT_INSTANT, 80).splitlines()
        assert "closes 2026-11-03 09:00 UTC  x (X, for the client)" == lines[2]
        assert "" == lines[3]

    def test_record_text_escaped(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A control character in the record's text comes out as an escape."""
        path = tmp_path / "r.json"
        path.write_text(record(FUNDED, SUBMITTED).replace('"c-9"', '"c-9\\u001b[2J"'), encoding="utf-8")
        _, out, _ = run(capsys, "deadlines", str(path), "--at", AT)
        assert "c-9\\x1b[2J" in out.splitlines()[0]


class TestJson:
    """``--json``: a gigpolicy-deadlines/1 object whose deadlines are a list."""

    def test_fields(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each deadline has its code, label, party, opens, closes, source, policy and uid."""
        code, out, _ = run(capsys, "deadlines", MOTIVATING, "--at", AT, "--json")
        data = json.loads(out)
        assert 0 == code
        assert ("gigpolicy-deadlines/1", "c-1001", AT) == (data["format"], data["contract"], data["at"])
        first, notice = data["deadlines"][0], data["deadlines"][1]
        assert {
            "code": "DORMANCY",
            "label": "90 days without activity",
            "party": None,
            "opens": None,
            "closes": "2027-01-31T15:05:00Z",
            "policy": "upwork@2025-05-01",
        }.items() <= first.items()
        assert first["source"].startswith("https://support.upwork.com/")
        assert first["uid"].endswith("@gigpolicy")
        assert "2027-01-17T15:05:00Z" == notice["opens"]

    def test_party(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A window for one party names it."""
        _, out, _ = run(capsys, "deadlines", AUTO_RELEASE, "--at", AT, "--json")
        assert "freelancer" == json.loads(out)["deadlines"][-1]["party"]


class TestIcs:
    """``--ics OUT``: an RFC 5545 calendar, checked with the icalendar library."""

    def test_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--ics -`` writes the calendar: one event per deadline, times in UTC, CRLF, lines of 75 octets at most."""
        code, out, err = run(capsys, "deadlines", ENDED, "--at", AT, "--ics", "-")
        assert (0, "") == (code, err)
        assert out.startswith("BEGIN:VCALENDAR\r\n")
        assert out.endswith("END:VCALENDAR\r\n")
        assert all(len(line.encode("utf-8")) <= 75 for line in out.split("\r\n"))
        events = calendar(out)
        assert ["c-1001: feedback window closes", "c-1001: responses to feedback closes"] == [
            str(event["SUMMARY"]) for event in events
        ]
        first = events[0]
        assert AT_INSTANT == first.decoded("DTSTART")
        assert datetime(2026, 11, 18, tzinfo=UTC) == first.decoded("DTEND")
        assert AT_INSTANT == first.decoded("DTSTAMP")
        assert FEEDBACK_SOURCE in str(first["DESCRIPTION"])
        assert "closes 2026-11-18 00:00 UTC (FEEDBACK, for both parties)" in str(first["DESCRIPTION"])

    def test_uid_stable(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The same deadline keeps its UID when judged later, whatever the instant."""
        _, first, _ = run(capsys, "deadlines", ENDED, "--at", AT, "--ics", "-")
        _, later, _ = run(capsys, "deadlines", ENDED, "--at", "2026-11-10T00:00:00Z", "--ics", "-")
        assert [event["UID"] for event in calendar(first)] == [event["UID"] for event in calendar(later)]

    def test_opens_later(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A window that opens later starts its event then."""
        _, out, _ = run(capsys, "deadlines", MOTIVATING, "--at", AT, "--ics", "-")
        notice = calendar(out)[1]
        assert "c-1001: 14-day notice of the dormancy closure closes" == str(notice["SUMMARY"])
        assert datetime(2027, 1, 17, 15, 5, tzinfo=UTC) == notice.decoded("DTSTART")

    def test_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """``--ics FILE`` writes the file and says so."""
        path = tmp_path / "deadlines.ics"
        code, out, _ = run(capsys, "deadlines", ENDED, "--at", AT, "--ics", str(path))
        assert (0, f"wrote {path}: 2 deadlines\n") == (code, out)
        assert 2 == len(calendar(path.read_bytes().decode("utf-8")))
        assert b"\r\n" in path.read_bytes()

    def test_unwritable(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A file that cannot be written is an error, exit 1."""
        code, out, err = run(capsys, "deadlines", ENDED, "--at", AT, "--ics", str(tmp_path))
        assert (1, "") == (code, out)
        assert err.startswith(f"gigpolicy: error: cannot write {tmp_path}: ")

    def test_not_with_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--ics`` and ``--json`` together are a usage error."""
        with pytest.raises(SystemExit) as exit_info:
            main(["deadlines", ENDED, "--json", "--ics", "-"])
        assert 2 == exit_info.value.code
        assert "not allowed with argument" in capsys.readouterr().err


class TestErrors:
    """Invalid input: exit 1, the problems on stderr."""

    def test_invalid_record(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An invalid record is reported with its path."""
        path = tmp_path / "bad.json"
        path.write_text("{}", encoding="utf-8")
        code, out, err = run(capsys, "deadlines", str(path), "--at", AT)
        assert (1, "") == (code, out)
        assert f"{path}: format: is required" in err

    def test_unknown_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown policy is an error, exit 1."""
        code, _, err = run(capsys, "deadlines", ENDED, "--at", AT, "--policy", "nowhere")
        assert 1 == code
        assert err.startswith("gigpolicy: error:")


class TestDeadlines:
    """:func:`deadlines`: the windows ahead, and the automatic steps a policy's windows leave out."""

    def test_automatic_from_state(self) -> None:
        """A policy with no windows still has the release and the dormancy closure ahead, without a source.

        The release is activity: the closure counts 90 days from it, for the escrow of m2 still held.
        """
        found = deadlines(loads(record(FUNDED, FUNDED.replace('"m1"', '"m2"'), SUBMITTED)), at=AT_INSTANT, policy=PLAIN)
        assert [
            ("AUTO_RELEASE", "m1 releases by itself", datetime(2026, 11, 16, 12, tzinfo=UTC)),
            ("DORMANCY", "closed as dormant", datetime(2027, 2, 14, 12, tzinfo=UTC)),
        ] == [(item.code, item.label, item.closes) for item in found]
        assert {None} == {item.source for item in found} | {item.opens for item in found}

    def test_no_closure_after_the_release_that_pays_the_escrow(self) -> None:
        """The release ahead pays out all the escrow: no dormancy closure is ahead, nor any return of escrow."""
        found = deadlines(loads(record(FUNDED, SUBMITTED)), at=AT_INSTANT, policy=PLAIN)
        assert [("AUTO_RELEASE", datetime(2026, 11, 16, 12, tzinfo=UTC))] == [
            (item.code, item.closes) for item in found
        ]
        assert {"plain@2000-01-01"} == {item.policy for item in found}

    def test_escrow_return(self) -> None:
        """An end by the client schedules the escrow's return."""
        found = deadlines(loads(record(FUNDED, ENDED_BY_CLIENT)), at=AT_INSTANT, policy=PLAIN)
        assert [("ESCROW_RETURN", datetime(2026, 11, 10, 8, tzinfo=UTC))] == [
            (item.code, item.closes) for item in found
        ]

    def test_not_a_record(self) -> None:
        """Only a record is judged."""
        with pytest.raises(InvalidRecord, match="must be a ContractRecord"):
            deadlines("r", at=AT_INSTANT)  # type: ignore[arg-type] # what a caller without a type checker may pass

    def test_naive_instants(self) -> None:
        """A deadline's instants carry an offset."""
        naive = datetime(2026, 11, 18)  # noqa: DTZ001 - the value refused
        with pytest.raises(InvalidRecord):
            Deadline(contract="c", code="X", label="x", party=None, closes=naive, policy="p")
        with pytest.raises(InvalidRecord):
            Deadline(contract="c", code="X", label="x", party=None, closes=AT_INSTANT, opens=naive, policy="p")

    def test_examples_sorted(self) -> None:
        """Every example's deadlines close after the instant, in order."""
        for path in sorted(EXAMPLES.glob("*.json")):
            found = deadlines(load(path), at=AT_INSTANT)
            assert all(item.closes > AT_INSTANT for item in found)
            assert sorted(item.closes for item in found) == [item.closes for item in found]


class TestCalendarText:
    """:func:`deadlines_ics` writes RFC 5545 text: escapes, folding, and one UID per event."""

    def deadline(self, **changes: object) -> Deadline:
        """A deadline for the freelancer, with *changes*."""
        fields: dict[str, object] = {
            "contract": "c-1",
            "code": "DISPUTE",
            "label": "dispute",
            "party": Party.FREELANCER,
            "closes": datetime(2026, 11, 10, tzinfo=UTC),
            "policy": "upwork@2025-05-01",
        }
        fields.update(changes)
        return Deadline(**fields)  # type: ignore[arg-type] # the fields above, of their types

    def test_escapes(self) -> None:
        """Commas, semicolons, backslashes and newlines are escaped; a control character becomes U+FFFD."""
        label = "a,b;c\\d\ne\x1b\u202ef\tg"
        text = deadlines_ics([self.deadline(contract="c,1", label=label)], at=AT_INSTANT)
        assert "SUMMARY:c\\,1: a\\,b\\;c\\\\d\\ne\ufffd\ufffdf\tg closes\r\n" in text
        (event,) = calendar(text)
        assert "c,1: a,b;c\\d\ne\ufffd\ufffdf\tg closes" == str(event["SUMMARY"])
        assert "for the freelancer" in str(event["DESCRIPTION"])
        assert "Source" not in str(event["DESCRIPTION"])

    def test_folding(self) -> None:
        """A long line is folded at 75 octets, never inside a character, and unfolds to the same text."""
        label = "é" * 100 + "x" * 30
        text = deadlines_ics([self.deadline(label=label)], at=AT_INSTANT)
        assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
        assert f"c-1: {label} closes" == str(calendar(text)[0]["SUMMARY"])

    def test_same_uid(self) -> None:
        """Two deadlines with the same identity get distinct UIDs."""
        same = self.deadline()
        events = calendar(deadlines_ics([same, same, same], at=AT_INSTANT))
        assert [same.uid, f"{same.uid}-2", f"{same.uid}-3"] == [str(event["UID"]) for event in events]

    def test_opens(self) -> None:
        """An event starts when its window opens, if that is after *at*."""
        opens = datetime(2026, 11, 5, tzinfo=UTC)
        (event,) = calendar(deadlines_ics([self.deadline(opens=opens)], at=AT_INSTANT))
        assert (opens, datetime(2026, 11, 10, tzinfo=UTC)) == (event.decoded("DTSTART"), event.decoded("DTEND"))

    def test_naive_at(self) -> None:
        """The instant stamped carries an offset."""
        with pytest.raises(InvalidRecord):
            deadlines_ics([], at=datetime(2026, 11, 3))  # noqa: DTZ001 - the value refused


Day: TypeAlias = tuple[int, int, int]


class _Shifting(Policy):
    """Windows a second version moves, ends, opens later, opens anew and adds (:data:`SHIFTING_WINDOWS`)."""

    def windows(self, context: Context) -> tuple[Window, ...]:
        """This version's windows, each open from its day (the contract's start if none) to its close."""
        start = context.state.started_at
        return tuple(
            Window(code=code, label=code.lower(), opens=_on(opens) or start, closes=datetime(*closes, tzinfo=UTC))
            for code, (opens, closes) in SHIFTING_WINDOWS[self.effective_from].items()
        )


def _on(day: Day | None) -> datetime | None:
    return None if day is None else datetime(*day, tzinfo=UTC)


SHIFTING_WINDOWS: Final[dict[date, dict[str, tuple[Day | None, Day]]]] = {
    date(2026, 11, 1): {
        "OLD": (None, (2027, 3, 1)),  # the second version has no OLD: it ends with the first
        "BOTH": (None, (2027, 4, 1)),  # the second version moves its close
        "EARLY": (None, (2026, 12, 1)),  # closed before the second version, which has it again
        "LATER": (None, (2027, 3, 1)),  # the second version opens it a month after its first day
    },
    date(2027, 1, 1): {
        "BOTH": (None, (2027, 5, 1)),
        "NEW": (None, (2027, 2, 1)),  # the second version's own
        "EARLY": (None, (2027, 3, 1)),
        "LATER": ((2027, 2, 1), (2027, 4, 1)),
    },
}
SHIFTING: Final = tuple(_Shifting(name="shifting", effective_from=on) for on in SHIFTING_WINDOWS)
SHIFTING_CODES: Final = {"OLD", "BOTH", "EARLY", "LATER", "NEW"}
FIRST, SECOND = "shifting@2026-11-01", "shifting@2027-01-01"
DORMANT_BEFORE_ITS_RULES: Final = (
    '{"format": "gigpolicy/1", "contract": {"id": "d-7", "marketplace": "upwork", "kind": "fixed_price",'
    ' "currency": "USD", "client": "c", "freelancer": "f", "started_at": "2025-03-01T00:00:00Z"},'
    ' "events": [{"at": "2025-03-02T00:00:00Z", "type": "milestone_funded", "milestone": "m1", "amount": "500.00"}]}'
)
"""Escrow held from before Upwork's version of 2025-05-01, whose dormancy closures count from that day."""


class TestAcrossVersions:
    """A policy given by name: each window as the version in force when it closes has it."""

    @pytest.fixture(autouse=True)
    def shifting(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The two versions of ``shifting`` registered, for this test only."""
        monkeypatch.setattr(policy_module, "_REGISTRY", dict(policy_module._REGISTRY))
        register_policy(*SHIFTING)

    def test_moved_ended_and_added(self) -> None:
        """Each window as the version in force when it closes has it; the first's end on the second's first day."""
        found = deadlines(loads(record(FUNDED)), at=AT_INSTANT, policy="shifting")
        new_day = datetime(2027, 1, 1, tzinfo=UTC)
        assert [
            ("EARLY", None, datetime(2026, 12, 1, tzinfo=UTC), FIRST),
            ("LATER", None, new_day, FIRST),  # open now: until the version's end, then from 2027-02-01
            ("OLD", None, new_day, FIRST),
            ("NEW", new_day, datetime(2027, 2, 1, tzinfo=UTC), SECOND),
            ("EARLY", new_day, datetime(2027, 3, 1, tzinfo=UTC), SECOND),  # shut from 12-01 to the new version
            ("LATER", datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC), SECOND),
            ("BOTH", None, datetime(2027, 5, 1, tzinfo=UTC), SECOND),
        ] == [(item.code, item.opens, item.closes, item.policy) for item in found if item.code in SHIFTING_CODES]

    def test_a_version_pinned_is_the_only_one(self) -> None:
        """Given by its label or as a value, the first version's windows are listed as it has them."""
        for policy in (FIRST, SHIFTING[0]):
            found = deadlines(loads(record(FUNDED)), at=AT_INSTANT, policy=policy)
            assert [
                ("EARLY", datetime(2026, 12, 1, tzinfo=UTC)),
                ("LATER", datetime(2027, 3, 1, tzinfo=UTC)),
                ("OLD", datetime(2027, 3, 1, tzinfo=UTC)),
                ("BOTH", datetime(2027, 4, 1, tzinfo=UTC)),
            ] == [(item.code, item.closes) for item in found if item.code in SHIFTING_CODES]
            assert {FIRST} == {item.policy for item in found}

    def test_past_the_last_version(self) -> None:
        """Judged under the second version, its windows alone."""
        found = deadlines(loads(record(FUNDED)), at=datetime(2027, 1, 15, tzinfo=UTC), policy="shifting")
        assert [("NEW", None), ("EARLY", None), ("LATER", datetime(2027, 2, 1, tzinfo=UTC)), ("BOTH", None)] == [
            (item.code, item.opens) for item in found if item.code in SHIFTING_CODES
        ]
        assert {SECOND} == {item.policy for item in found}

    def test_a_window_a_step_opens_before_the_next_version(self) -> None:
        """A release before 2025-05-01 opens the refund window then: the next version keeps it open from there."""
        text = record(
            '{"type": "milestone_funded", "at": "2024-11-01T01:00:00Z", "milestone": "m1", "amount": "500"}',
            '{"type": "work_submitted", "at": "2024-11-20T01:00:00Z", "milestone": "m1"}',
        ).replace("2026-11-02T09:00:00Z", "2024-11-01T00:00:00Z")
        contract = loads(text)
        at = datetime(2024, 11, 25, tzinfo=UTC)
        released = datetime(2024, 12, 4, 1, tzinfo=UTC)
        found = deadlines(contract, at=at, policy="upwork")
        assert ("REFUND", released, datetime(2025, 6, 2, 1, tzinfo=UTC), "upwork@2025-05-01") == next(
            (item.code, item.opens, item.closes, item.policy) for item in found if item.code == "REFUND"
        )
        assert (
            released
            == gigpolicy.evaluate(contract, at=at, policy="upwork").decision("issue_refund", "freelancer").until
        )

    def test_the_dormancy_closure_of_a_later_version(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Judged before Upwork's rules of 2025-05-01 by name, the closure they bring is listed, as ``until`` has it."""
        before = datetime(2025, 4, 9, tzinfo=UTC)
        contract = loads(DORMANT_BEFORE_ITS_RULES)
        found = deadlines(contract, at=before)
        closes = datetime(2025, 7, 30, tzinfo=UTC)
        assert ("DORMANCY", datetime(2025, 5, 1, tzinfo=UTC), closes, "upwork@2025-05-01") == next(
            (item.code, item.opens, item.closes, item.policy) for item in found if item.code == "DORMANCY"
        )
        until = gigpolicy.evaluate(contract, at=before).decision("end_contract", "freelancer").until
        assert closes == until
        assert () == deadlines(contract, at=before, policy="upwork@2023-12-05")
        path = tmp_path / "d-7.json"
        path.write_text(DORMANT_BEFORE_ITS_RULES, encoding="utf-8")
        code, out, _ = run(capsys, "deadlines", str(path), "--at", "2025-04-09T00:00:00Z")
        assert 0 == code
        assert " ".join(out.split()).endswith(
            "Under upwork@2025-05-01, if no new event comes; an estimate, not the marketplace's word."
        )
