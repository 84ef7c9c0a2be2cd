"""The answer first: ``explain``'s short answer, ``--tz`` and colour, as a person meets them."""

from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import pytest
from tests.records import (
    CLIENT,
    day,
    enable_edit,
    end,
    feedback,
    fixed,
    fund,
    open_dispute,
    release,
    remove_feedback,
    submit,
)

from gigpolicy import ContractRecord, Question, evaluate
from gigpolicy._cli import main
from gigpolicy._report_text import report_text, zoned

ROOT: Final = Path(__file__).resolve().parent.parent
EXAMPLES: Final = ROOT / "examples" / "records"
ENDED: Final = str(EXAMPLES / "motivating-case-ended.json")
MOTIVATING: Final = str(EXAMPLES / "motivating-case.json")
AT: Final = "2026-11-03T10:00:00Z"
GREEN_YES: Final = "\x1b[32myes\x1b[0m"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the command; return its exit code and stdout."""
    code = main(list(argv))
    return code, capsys.readouterr().out


def short_answer(text: str) -> list[str]:
    """The lines of the "In short:" part of a report's text."""
    lines = text.splitlines()
    start = lines.index("In short:") + 1
    return lines[start : lines.index("", start)]


class TestExplainAnswersFirst:
    """``explain`` opens with the plain answer, then the state, the decisions and the sources."""

    def test_motivating_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        """After the freelancer ended it: the client may review until the 18th, nobody sees it, the $500 went back."""
        code, out = run(capsys, "explain", ENDED, "--at", AT)
        lines = out.splitlines()
        assert (0, "") == (code, lines[lines.index("In short:") - 1])
        assert lines[lines.index("In short:") - 2].startswith("At ")  # the answer right after the heading
        answer = " ".join(line.strip() for line in short_answer(out))
        assert "nothing was paid, 500.00 USD of escrow went back to the client." in answer
        assert "The client can still leave a review until 2026-11-18 00:00 UTC, but nobody would see it" in answer
        assert "The contract does not show in the freelancer's work history" in answer
        assert lines.index("In short:") < lines.index("State") < lines.index("Decisions") < lines.index("Sources")

    def test_citations_are_the_listed_sources(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each number the answer cites is a source listed at the end, with its URL."""
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        answer = " ".join(short_answer(out))
        cited = {int(part.split("]", 1)[0]) for part in answer.split("[")[1:]}
        lines = out.splitlines()
        listed = lines[lines.index("Sources") + 1 :]
        assert cited
        assert all(listed[number - 1].startswith(f"  [{number}] https://") for number in cited)

    def test_wrapped_to_80_columns_off_a_terminal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Off a terminal the answer is wrapped to 80 columns, later lines indented under the first."""
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        answer = short_answer(out)
        assert max(len(line) for line in answer) <= 80 < len(" ".join(answer))
        assert all(line.startswith(("  The", "  It", "  Also", "    ")) for line in answer)

    def test_wrapped_to_the_terminal(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """On a terminal the answer is wrapped to its width."""
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setattr("shutil.get_terminal_size", lambda *_: os.terminal_size((60, 24)))
        monkeypatch.setenv("NO_COLOR", "1")
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        assert 50 < max(len(line) for line in short_answer(out)) <= 60


class TestShortAnswer:
    """``report_text``'s short answer, sentence by sentence."""

    @staticmethod
    def answer(record: ContractRecord, at_day: float, questions: tuple[Question, ...] | None = None) -> str:
        """The short answer of *record* judged on day *at_day*, as one line."""
        report = evaluate(record, at=day(at_day), questions=questions)
        return " ".join(line.strip() for line in short_answer(report_text(report, record, width=200)))

    def test_active(self) -> None:
        """An open contract: what escrow holds and what was paid; nobody may review yet."""
        text = self.answer(fixed(fund(day(0))), 1)
        assert text.startswith("The contract is active: 500.00 USD is held in escrow, and nothing was paid.")
        assert "The client cannot leave a review now (End-of-contract feedback opens only when" in text
        assert "Also: the client may open a dispute until" in text

    def test_paid_and_active(self) -> None:
        """What was paid, net of refunds, and an empty escrow."""
        text = self.answer(fixed(fund(day(0)), release(day(1))), 2)
        assert text.startswith("The contract is active: nothing is held in escrow, and 500.00 USD was paid, net")

    def test_ended_with_escrow_held(self) -> None:
        """An escrow a dispute holds after the end is still held."""
        record = fixed(fund(day(0)), submit(day(1)), open_dispute(day(2)), end(day(3)))
        assert "nothing was paid, 500.00 USD is still held in escrow." in self.answer(record, 4)

    def test_review_left_and_hidden(self) -> None:
        """A review left but hidden until the other party's: says so, and why."""
        record = fixed(fund(day(0)), release(day(1)), end(day(2)), feedback(day(3)))
        text = self.answer(record, 4)
        assert "The client cannot leave a review now (The client already left public feedback" in text
        assert "; the review they left is not shown (Feedback stays hidden until the freelancer leaves theirs" in text

    def test_review_left_and_shown(self) -> None:
        """Once both have left theirs, each review is shown."""
        record = fixed(fund(day(0)), release(day(1)), end(day(2)), feedback(day(3)), feedback(day(3), by=CLIENT.other))
        assert "; the review they left is shown (" in self.answer(record, 4)

    def test_paid_review_would_be_shown(self) -> None:
        """Nothing but its absence keeps a review of a paid contract hidden: no "nobody would see it"."""
        text = self.answer(fixed(fund(day(0)), release(day(1)), end(day(2))), 3)
        assert "The client can still leave a review until 2026-11-19 00:00 UTC." in text
        assert "nobody would see it" not in text

    def test_a_removed_review_does_not_hide_a_new_one(self) -> None:
        """After a review was removed, a new one of a paid contract would be shown: nothing says otherwise."""
        record = fixed(
            fund(day(0)),
            release(day(1)),
            end(day(2), by=CLIENT),
            feedback(day(2, hours=1)),
            feedback(day(2, hours=2), by=CLIENT.other),
            enable_edit(day(3)),
            remove_feedback(day(3, hours=2)),
        )
        text = self.answer(record, 4)
        assert "The client can still leave a review until" in text
        assert "nobody would see it" not in text

    def test_only_some_questions(self) -> None:
        """A report of one question says the state and what that question answers."""
        record = fixed(fund(day(0)), end(day(1)))
        text = self.answer(record, 2, questions=(Question.PUBLIC_FEEDBACK,))
        assert text.endswith("The freelancer can still leave a review until 2026-11-18 00:00 UTC.")
        assert "work history" not in text
        assert "Also" not in text

    def test_without_reviews(self) -> None:
        """A report without the review questions says nothing of reviews."""
        text = self.answer(fixed(fund(day(0)), end(day(1))), 2, questions=(Question.WORK_HISTORY,))
        assert "review" not in text
        assert text.endswith(
            "(Net paid (0.00 USD) is below 1.00 USD, so the contract in the work history is not shown [1])."
        )


class TestZone:
    """``--tz ZONE``: each time also in the zone; JSON stays in UTC."""

    def test_zoned(self) -> None:
        """The local time follows, with its date only when that differs, and the zone's abbreviation."""
        berlin, new_york = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
        assert "at 2026-07-01 12:00 UTC (14:00 CEST)" == zoned("at 2026-07-01 12:00 UTC", berlin)
        assert "at 2026-11-18 00:00 UTC (2026-11-17 19:00 EST)." == zoned("at 2026-11-18 00:00 UTC.", new_york)
        assert "2026-11-18 (no time)" == zoned("2026-11-18 (no time)", berlin)

    @pytest.mark.parametrize("zone", [None, UTC, ZoneInfo("UTC"), ZoneInfo("Etc/UTC")])
    def test_utc_is_unchanged(self, zone: ZoneInfo | None) -> None:
        """No zone, or UTC itself, leaves the text as it is."""
        assert "at 2026-11-18 00:00 UTC" == zoned("at 2026-11-18 00:00 UTC", zone)

    def test_only_where_the_clock_differs(self) -> None:
        """A zone at UTC's own time on that day adds nothing; the same zone in summer does."""
        london = ZoneInfo("Europe/London")
        assert "at 2026-12-01 00:00 UTC" == zoned("at 2026-12-01 00:00 UTC", london)
        assert "at 2026-07-01 00:00 UTC (01:00 BST)" == zoned("at 2026-07-01 00:00 UTC", london)

    def test_a_zone_that_left_utc(self) -> None:
        """Casablanca kept UTC's time in 2000 but is an hour ahead in 2026: its time is shown."""
        assert "at 2026-12-01 00:00 UTC (01:00 +01)" == zoned("at 2026-12-01 00:00 UTC", ZoneInfo("Africa/Casablanca"))

    def test_a_time_with_another_offset_is_left_alone(self) -> None:
        """Only instants written in UTC are read: ``10:00 UTC+02:00`` is no UTC time, and stays as it is."""
        assert "at 2026-12-01 10:00 UTC+02:00" == zoned("at 2026-12-01 10:00 UTC+02:00", ZoneInfo("Europe/Berlin"))

    @pytest.mark.parametrize(
        ("text", "zone"),
        [
            ("0001-01-01 00:00 UTC", "America/New_York"),  # the day before is before year 1
            ("9999-12-31 23:59 UTC", "Pacific/Kiritimati"),  # the day after is past year 9999
            ("2026-13-45 99:99 UTC", "Europe/Berlin"),  # no such day
            ("0500-06-01 12:00 UTC", "Europe/Berlin"),  # before the years gigpolicy accepts (and writes)
            ("9000-01-01 00:00 UTC", "Europe/Berlin"),  # after them
            ("\u0662\u0660\u0662\u0666-11-18 00:00 UTC", "Europe/Berlin"),  # digits \d matches, not fromisoformat
        ],
    )
    def test_text_that_only_looks_like_an_instant(self, text: str, zone: str) -> None:
        """Text no instant gigpolicy writes can be (a record's own, as a milestone's name) stays as it is.

        Before, reading it as an instant raised ``OverflowError`` or ``ValueError``, and the command
        ended with a traceback.
        """
        assert f"m {text}." == zoned(f"m {text}.", ZoneInfo(zone))

    def test_a_record_whose_names_look_like_instants(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """With --tz, explain answers for a record whose id looks like an instant before year 1."""
        record = json.loads(Path(ENDED).read_text(encoding="utf-8"))
        record["contract"]["id"] = "0001-01-01 00:00 UTC"
        path = tmp_path / "named.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        code, out = run(capsys, "explain", str(path), "--at", AT, "--tz", "America/New_York")
        assert 0 == code
        assert "Contract 0001-01-01 00:00 UTC: fixed-price" in out.splitlines()[0]

    def test_an_instant_given_with_an_offset(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--at with an offset: the end the option assumes is written in UTC, then in the zone."""
        _, out = run(
            capsys,
            "options",
            MOTIVATING,
            "--as",
            "client",
            "--at",
            "2026-12-01T10:00:00+02:00",
            "--tz",
            "Europe/Berlin",
        )
        assert "    - The client ends the contract at 2026-12-01 08:00 UTC (09:00 CET)." in out.splitlines()

    def test_deadlines_in_utc_name_no_second_zone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With --tz UTC, deadlines says the times are in UTC, not "in UTC, and in UTC"."""
        _, out = run(capsys, "deadlines", ENDED, "--at", AT, "--tz", "UTC")
        assert out.splitlines()[0].endswith("(times in UTC)")

    def test_fixed_offset_named_by_its_offset(self) -> None:
        """A zone without an abbreviation shows its offset as its name."""
        shown = zoned("2026-11-18 00:00 UTC", timezone(timedelta(hours=5, minutes=30)))
        assert "2026-11-18 00:00 UTC (05:30 UTC+05:30)" == shown

    def test_explain(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every time of explain's text, the answer's and the decisions' reasons alike, shows in the zone."""
        _, out = run(capsys, "explain", ENDED, "--at", AT, "--tz", "Europe/Berlin")
        assert "At       2026-11-03 10:00 UTC (11:00 CET)" in out.splitlines()
        assert "until 2026-11-18 00:00 UTC (01:00 CET)" in " ".join(line.strip() for line in short_answer(out))
        assert "          - The contract ended on 2026-11-03 09:00 UTC (10:00 CET). [4]" in out.splitlines()

    @pytest.mark.parametrize(
        "argv",
        [
            ["explain", ENDED, "--at", AT],
            ["options", MOTIVATING, "--as", "freelancer", "--at", AT],
            ["compare", ENDED, "--policy", "upwork", "--policy", "upwork@2016-06-21", "--at", AT],
            ["deadlines", ENDED, "--at", AT],
        ],
    )
    def test_json_stays_in_utc(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """--tz changes no byte of a JSON document."""
        _, plain = run(capsys, *argv, "--json")
        _, with_zone = run(capsys, *argv, "--json", "--tz", "Asia/Kolkata")
        assert plain == with_zone
        assert json.loads(plain)["format"].startswith("gigpolicy-")

    def test_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The options' answer shows the zone, wrapped after it is added."""
        _, out = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT, "--tz", "America/New_York")
        title = " ".join(out.split("\n\n")[0].split())  # wrapped to 80 columns, an instant kept whole
        assert title.startswith("What the freelancer can do on contract c-1001 at 2026-11-03 10:00 UTC (05:00 EST)")
        assert "  2026-11-03 10:00 UTC (05:00 EST) (upwork@2025-05-01; money in USD)" == out.splitlines()[1]
        start = out.splitlines().index("In short:")
        answer = out.splitlines()[start : out.splitlines().index("", start)]
        assert "2026-11-18 00:00 UTC (2026-11-17 19:00 EST)" in " ".join(line.strip() for line in answer)
        assert max(len(line) for line in answer) <= 80

    def test_compare_deadlines_and_score(self, capsys: pytest.CaptureFixture[str]) -> None:
        """compare, deadlines and score show the zone too; deadlines says which zones."""
        _, out = run(
            capsys,
            "compare",
            ENDED,
            "--policy",
            "upwork",
            "--policy",
            "upwork@2016-06-21",
            "--at",
            AT,
            "--tz",
            "Asia/Tokyo",
        )
        assert "at 2026-11-03 10:00 UTC (19:00 JST)" in out.splitlines()[0]
        assert all(len(line) <= 80 for line in out.splitlines())  # zoned, then wrapped
        _, out = run(capsys, "deadlines", ENDED, "--at", AT, "--tz", "Asia/Tokyo")
        header = " ".join(out.split("\n\n")[0].split())
        assert (
            "Deadlines of contract c-1001 at 2026-11-03 10:00 UTC (19:00 JST) (times in UTC, and in Asia/Tokyo)"
            == header
        )
        assert "closes 2026-11-18 00:00 UTC (09:00 JST)" in out
        assert all(len(line) <= 80 for line in out.splitlines() if "https://" not in line)
        _, out = run(capsys, "score", ENDED, "--freelancer", "fl-7", "--at", AT, "--tz", "Asia/Tokyo")
        assert out.startswith("Success-score estimate of fl-7 at 2026-11-03 10:00 UTC (19:00 JST)")

    @pytest.mark.parametrize("zone", ["Nowhere/Land", "../etc/passwd", "/etc/localtime", "", "a\x00b", "x" * 5000])
    def test_unknown_zone_is_a_usage_error(self, zone: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A zone the machine does not know is a usage error: exit 2, with an example of a name."""
        with pytest.raises(SystemExit) as exited:
            main(["explain", ENDED, "--tz", zone])
        err = capsys.readouterr().err
        assert 2 == exited.value.code
        assert "is not a time zone this machine knows; give an IANA name such as Europe/Berlin" in err


def as_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make standard output, as the test sees it, say it is a terminal, with no NO_COLOR and an ordinary TERM.

    Called in the test itself: capsys puts another stream in place of stdout between setup and call.
    """
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


class TestColour:
    """Colour only on a terminal, never with ``NO_COLOR`` set (https://no-color.org)."""

    def test_on_a_terminal(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Headings in bold, yes in green and no in red; nothing else changes."""
        as_terminal(monkeypatch)
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        assert "\x1b[1mIn short:\x1b[0m" in out.splitlines()
        assert f"    {GREEN_YES} may leave public feedback  (until 2026-11-18 00:00 UTC)" in out.splitlines()
        assert "    \x1b[31mno\x1b[0m  may end the contract" in out.splitlines()
        plain = out.replace("\x1b[1m", "").replace("\x1b[32m", "").replace("\x1b[31m", "").replace("\x1b[0m", "")
        assert "\x1b" not in plain

    def test_options_headings(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """The options' headings are in bold."""
        as_terminal(monkeypatch)
        _, out = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        assert "\x1b[1mIn short:\x1b[0m" in out.splitlines()
        assert "\x1b[1mSources of the answer:\x1b[0m" in out.splitlines()

    @pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("NO_COLOR", "yes please"), ("TERM", "dumb")])
    def test_turned_off(
        self, name: str, value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """NO_COLOR with any value, or a dumb terminal, turns colour off."""
        as_terminal(monkeypatch)
        monkeypatch.setenv(name, value)
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        assert "\x1b" not in out

    def test_empty_no_color_is_unset(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """An empty NO_COLOR counts as unset, as no-color.org says."""
        as_terminal(monkeypatch)
        monkeypatch.setenv("NO_COLOR", "")
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        assert GREEN_YES in out

    def test_not_on_a_pipe(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Off a terminal there is no colour."""
        monkeypatch.delenv("NO_COLOR", raising=False)
        _, out = run(capsys, "explain", ENDED, "--at", AT)
        assert "\x1b" not in out

    def test_record_text_cannot_style(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A record's text is escaped before colour is added: its own escape sequences come out as text."""
        as_terminal(monkeypatch)
        data = json.loads(Path(ENDED).read_text(encoding="utf-8"))
        data["contract"]["id"] = "c-\x1b[31mred"
        path = tmp_path / "record.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        _, out = run(capsys, "explain", str(path), "--at", AT)
        assert out.startswith("Contract c-\\x1b[31mred:")


def in_a_terminal(argv: list[str], columns: int, env: dict[str, str]) -> str:
    """Run ``python -m gigpolicy ARGV`` on a real pseudo-terminal *columns* wide; return what it shows."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = {key: value for key, value in os.environ.items() if key not in {"NO_COLOR", "COLUMNS", "LINES"}}
    process = subprocess.Popen(  # noqa: S603 - this interpreter, with fixed arguments
        [sys.executable, "-m", "gigpolicy", *argv],
        stdout=follower,
        stderr=follower,
        env={**environment, "TERM": "xterm", **env},
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert 0 == process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


class TestInARealTerminal:
    """The command as a person runs it: a real pseudo-terminal, of a real width."""

    def test_colour_and_width(self) -> None:
        """On a 64-column terminal: the answer first, every line wrapped to 64 columns but an address, in colour."""
        shown = in_a_terminal(["explain", ENDED, "--at", AT], 64, {})
        lines = shown.splitlines()
        start = lines.index("\x1b[1mIn short:\x1b[0m") + 1
        assert lines[start - 3].startswith("At ")  # the answer right after the heading
        assert max(len(line) for line in lines[start : lines.index("", start)]) <= 64
        # the width a person sees: colour sequences take no column
        plain = [re.sub("\x1b\\[[0-9;]*m", "", line) for line in lines]
        assert all(len(line) <= 64 for line in plain if "https://" not in line)
        assert GREEN_YES in shown

    def test_no_color(self) -> None:
        """NO_COLOR in the environment: the same text, without a single escape sequence."""
        shown = in_a_terminal(["explain", ENDED, "--at", AT], 64, {"NO_COLOR": "1"})
        assert "\x1b" not in shown
        assert "In short:" in shown.splitlines()
