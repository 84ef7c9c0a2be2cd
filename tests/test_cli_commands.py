"""The ``gigpolicy`` commands that judge records: explain, options, compare, timeline, batch and policies."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pytest

import gigpolicy._cli
from gigpolicy import Policy, available_policies, get_policy, load, options
from gigpolicy._cli import main
from gigpolicy._policy import _REGISTRY, policy_versions

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
MOTIVATING: Final = str(EXAMPLES / "motivating-case.json")
ENDED: Final = str(EXAMPLES / "motivating-case-ended.json")
HOURLY: Final = str(EXAMPLES / "hourly-disputed-week.json")
AT: Final = "2026-11-03T09:00:00Z"
NOW: Final = datetime(2026, 11, 4, 12, tzinfo=UTC)
"""What the tests make the clock say."""

INVALID: Final = """{
  "format": "gigpolicy/1",
  "contract": {"id": "c-1", "kind": "fixed_price", "currency": "USD",
               "freelancer": "fl-7", "started_at": "2026-11-02T15:00:00Z"},
  "events": [
    {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "-5"}
  ]
}"""
INVALID_PROBLEMS: Final = ["contract.client: is required", "events[0].amount: must be greater than zero"]
HEADERS: Final = ("option", "client can review", "review shown", "work history", "success score", "money")


def write(tmp_path: Path, name: str, text: str) -> str:
    """Write *text* to *name* in *tmp_path*; return the path as a string."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must be a usage error (exit 2); return stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert 2 == exit_info.value.code
    return capsys.readouterr().err


def joined_lines(text: str, deeper_than: int) -> list[str]:
    """The lines of *text*, each wrapped one joined again: a line indented more than *deeper_than* goes on the last."""
    lines: list[str] = []
    for line in text.splitlines():
        if lines and len(line) - len(line.lstrip(" ")) > deeper_than:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines


def wide_terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    """Make standard output a terminal of *columns* columns, without colour."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *_: os.terminal_size((columns, 24)))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Make ``--at``'s default the fixed instant :data:`NOW`."""
    monkeypatch.setattr(gigpolicy._cli, "_now", lambda: NOW)
    return NOW


class TestExplain:
    """``gigpolicy explain FILE [--at T] [--policy NAME] [--json]``."""

    def test_text_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The text names the contract, policy and instant, then the state, decisions and sources."""
        code, out, err = run(capsys, "explain", MOTIVATING, "--at", AT)
        lines = out.splitlines()
        assert (0, "") == (code, err)
        assert "Contract c-1001: fixed-price, USD, client client-42, freelancer fl-7" == lines[0]
        assert lines[1].startswith("Policy   upwork@2025-05-01")
        top = lines.index("At       2026-11-03 09:00 UTC")
        assert all(line.startswith(" " * 9) for line in lines[2:top])  # the policy's title, wrapped under itself
        assert all(len(line) <= 80 for line in lines if "https://" not in line)
        assert "  escrow held      500.00 USD" in lines
        assert "Decisions" in lines
        assert "Sources" in lines
        assert any(line.startswith("  [1] https://") for line in lines)

    def test_text_report_of_an_ended_contract(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An ended contract's status says when and by whom, and decisions show their deadlines."""
        code, out, _ = run(capsys, "explain", ENDED, "--at", "2026-11-04T00:00:00Z")
        assert 0 == code
        assert "  status           ended on 2026-11-03 09:00 UTC by the freelancer" in out.splitlines()
        assert "yes may leave public feedback  (until 2026-11-18 00:00 UTC)" in out

    def test_json_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints the report as JSON: decisions with answers, reasons and sources."""
        code, out, _ = run(capsys, "explain", MOTIVATING, "--at", AT, "--json")
        data = json.loads(out)
        assert 0 == code
        assert ("c-1001", AT, "upwork@2025-05-01") == (data["contract"], data["at"], data["policy"]["version"])
        assert 1 == len(data["earnings"]["assumptions"])
        assert {"status": "active", "escrow": "500.00", "net_paid": "0.00"}.items() <= data["state"].items()
        decisions = {(d["question"], d["party"]): d for d in data["decisions"]}
        assert decisions["end_contract", "freelancer"]["answer"] is True
        for decision in data["decisions"]:
            assert decision["reasons"]
            assert {"code", "message", "source"} == set(decision["reasons"][0])
        assert any(reason["source"] for d in data["decisions"] for reason in d["reasons"])

    def test_policy_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--policy upwork@2019-01-01 judges under the version in force that day."""
        _, out, _ = run(capsys, "explain", MOTIVATING, "--at", AT, "--json", "--policy", "upwork@2019-01-01")
        assert "upwork@2016-06-21" == json.loads(out)["policy"]["version"]

    def test_other_marketplace(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--policy fiverr judges under Fiverr's rules."""
        _, out, _ = run(capsys, "explain", MOTIVATING, "--at", AT, "--json", "--policy", "fiverr")
        assert "fiverr" == json.loads(out)["policy"]["name"]

    def test_at_defaults_to_now(self, capsys: pytest.CaptureFixture[str], clock: datetime) -> None:
        """Without --at the report is for the present instant."""
        _, out, _ = run(capsys, "explain", MOTIVATING, "--json")
        assert "2026-11-04T12:00:00Z" == json.loads(out)["at"] == clock.isoformat().replace("+00:00", "Z")

    def test_at_with_an_offset(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An --at with an offset is the same instant, written in UTC."""
        _, out, _ = run(capsys, "explain", MOTIVATING, "--at", "2026-11-03T10:00:00+01:00", "--json")
        assert AT == json.loads(out)["at"]

    @pytest.mark.parametrize("bad", ["2026-11-03T09:00:00", "tomorrow", "2026-13-03T09:00:00Z"])
    def test_bad_at_is_a_usage_error(self, bad: str, capsys: pytest.CaptureFixture[str]) -> None:
        """An --at without an offset, or not a timestamp, exits 2 with a hint."""
        err = usage_error(capsys, "explain", MOTIVATING, "--at", bad)
        assert "write it as 2026-11-03T10:00:00Z" in err

    def test_unknown_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown policy exits 1 with one message, and no traceback."""
        code, out, err = run(capsys, "explain", MOTIVATING, "--at", AT, "--policy", "nowhere")
        assert (1, "") == (code, out)
        assert err.startswith("gigpolicy: error: unknown policy 'nowhere'")
        assert "Traceback" not in err

    def test_date_before_the_first_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A policy date before its first version exits 1 with a message."""
        code, _, err = run(capsys, "explain", MOTIVATING, "--at", AT, "--policy", "upwork@2010-01-01")
        assert 1 == code
        assert "no version of 'upwork'" in err

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """``-`` reads the record from standard input."""
        data = Path(MOTIVATING).read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        _, out, _ = run(capsys, "explain", "-", "--at", AT, "--json")
        assert "c-1001" == json.loads(out)["contract"]


class TestInvalidInput:
    """Every command that reads a record reports an invalid one with paths, exit 1."""

    def test_closed_stdin(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """Reading ``-`` when the process has no standard input exits 1 with a message."""
        monkeypatch.setattr(sys, "stdin", None)
        code, out, err = run(capsys, "explain", "-", "--at", AT)
        assert (1, "", "<stdin>: standard input is closed\n") == (code, out, err)

    @pytest.mark.parametrize(
        "argv",
        [
            ["explain"],
            ["explain", "--json"],
            ["options", "--as", "freelancer"],
            ["compare", "--policy", "upwork", "--policy", "fiverr"],
            ["timeline"],
        ],
    )
    def test_invalid_file(self, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each problem is printed as ``FILE: path: problem`` on stderr; nothing on stdout."""
        path = write(tmp_path, "bad.json", INVALID)
        code, out, err = run(capsys, argv[0], path, *argv[1:], "--at", AT)
        assert (1, "") == (code, out)
        assert [f"{path}: {problem}" for problem in INVALID_PROBLEMS] == err.splitlines()

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that does not exist exits 1 with its name."""
        path = str(tmp_path / "nowhere.json")
        code, _, err = run(capsys, "explain", path, "--at", AT)
        assert 1 == code
        assert err.startswith(f"{path}: cannot read ")


class TestOptions:
    """``gigpolicy options FILE --as PARTY [--at T] [--policy NAME] [--json]``."""

    def test_table_for_the_freelancer(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On a terminal wide enough, the table has the column headers and one row per option, in order."""
        wide_terminal(monkeypatch, 200)
        code, out, err = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        lines = out.splitlines()
        expected = [o.action for o in options(load(MOTIVATING), party="freelancer", at=datetime.fromisoformat(AT))]
        assert (0, "") == (code, err)
        assert lines[0].startswith("What the freelancer can do on contract c-1001 at 2026-11-03 09:00 UTC")
        assert "In short:" == lines[2]  # the answer first, the table after it
        top = next(index for index, line in enumerate(lines) if line.startswith("option "))
        header = lines[top]
        assert all(name in header for name in HEADERS)
        assert set(lines[top + 1]) == {"-", " "}
        rows = lines[top + 2 : top + 2 + len(expected)]
        assert expected == [row.split()[0] for row in rows]
        assert "" == lines[top + 2 + len(expected)]

    def test_blocks_where_the_table_does_not_fit(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Off a terminal (80 columns), where the table does not fit: a block per option, a line per column."""
        code, out, err = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        lines = out.splitlines()
        expected = [o.action for o in options(load(MOTIVATING), party="freelancer", at=datetime.fromisoformat(AT))]
        assert (0, "") == (code, err)
        starts = [index for index, line in enumerate(lines) if line.startswith("option ")]
        assert expected == [lines[index].split()[1] for index in starts]
        assert lines.index("In short:") < starts[0]  # the answer first
        for start in starts:
            labels = [line for line in lines[start + 1 : start + 8] if line.startswith("  ") and line[2] != " "]
            assert [line.startswith(f"  {name}") for name in HEADERS[1:] for line in labels[:5]].count(True) == 5
        assert all(len(line) <= 80 for line in lines if "https://" not in line)

    def test_table_answers_the_motivating_questions(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The end_contract block: the client can review until 11-18, not shown, no history, counts or not."""
        _, out, _ = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        lines = out.splitlines()
        start = lines.index("option end_contract")
        block = dict(line.strip().split("  ", 1) for line in lines[start + 1 : start + 6])
        assert "yes, until 2026-11-18" == block["client can review"].strip()
        assert "no" == block["review shown"].strip()
        assert "counts against / not counted" == block["success score"].strip()
        assert "500.00 to client, net 0.00" == block["money (worst / best)"].strip()

    def test_in_short_and_assumptions(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Below the table: a short paragraph per way to end, then every option's assumptions."""
        _, out, _ = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        assert "In short:" in out
        prose = " ".join(out.split())  # wrapped to 80 columns: the output is not a terminal
        assert "If you end the contract now: the client can still leave a review until 2026-11-18" in prose
        assert max(len(line) for line in out.split("In short:\n")[1].split("\n\n")[0].splitlines()) <= 80
        assert "What each option assumes:" in out
        assert "  [1] https://support.upwork.com/" in out.split("Sources of the answer:\n")[1]
        assert "  submit_work: Submit the work of milestone m1 and let the review period run." in out

    def test_timeline_of_ending(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The text ends with the contract drawn as if the party ended it now."""
        _, out, _ = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT)
        assert "The contract on a time axis if you choose end_contract now:" in out

    def test_timeline_of_an_ended_contract(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With no way to end left, the drawing is of the contract as it stands."""
        code, out, _ = run(capsys, "options", ENDED, "--as", "client", "--at", "2026-11-04T00:00:00Z")
        assert 0 == code
        assert "The contract now:" in out
        assert "end_contract" not in out.split("What each option assumes:")[0]

    def test_table_for_the_client(self, capsys: pytest.CaptureFixture[str]) -> None:
        """As the client, the review column is the freelancer's."""
        code, out, _ = run(capsys, "options", MOTIVATING, "--as", "client", "--at", AT)
        assert 0 == code
        assert any(line.startswith("  freelancer can review  ") for line in out.splitlines())
        assert out.splitlines()[0].startswith("What the client can do")

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints every option with its events, assumptions, both cases and money."""
        code, out, _ = run(capsys, "options", MOTIVATING, "--as", "freelancer", "--at", AT, "--json")
        document = json.loads(out)
        data = document["options"]
        assert (0, "gigpolicy-options/1") == (code, document["format"])
        assert ["wait", "end_contract", "report_and_end", "submit_work"] == [item["action"] for item in data]
        end = data[1]
        assert [{"type": "contract_ended", "at": AT, "by": "freelancer", "reason": "ended by choice"}] == end["events"]
        assert end["assumptions"]
        assert "500.00" == end["worst_money"]["back_to_client"]
        worst = {(d["question"], d["party"]): d["answer"] for d in end["worst_case"]["decisions"]}
        assert (True, False) == (worst["job_success_score", "freelancer"], worst["feedback_published", "client"])

    def test_at_defaults_to_now(self, capsys: pytest.CaptureFixture[str], clock: datetime) -> None:
        """Without --at the options are for the present instant."""
        _, out, _ = run(capsys, "options", MOTIVATING, "--as", "client", "--json")
        assert "2026-11-04T12:00:00Z" == json.loads(out)["options"][1]["events"][-1]["at"]
        assert clock == NOW

    def test_as_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --as, or with a party that does not exist, options exits 2."""
        assert "--as" in usage_error(capsys, "options", MOTIVATING, "--at", AT)
        assert "invalid choice" in usage_error(capsys, "options", MOTIVATING, "--as", "boss", "--at", AT)

    def test_unknown_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown policy exits 1 with a message and no traceback."""
        code, _, err = run(capsys, "options", MOTIVATING, "--as", "client", "--at", AT, "--policy", "nowhere")
        assert (1, True) == (code, err.startswith("gigpolicy: error: unknown policy"))

    def test_before_the_start(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An instant before the contract started exits 1 with the reason."""
        code, _, err = run(capsys, "options", MOTIVATING, "--as", "client", "--at", "2026-11-01T00:00:00Z")
        assert (1, True) == (code, "before the contract started" in err)


class TestCompare:
    """``gigpolicy compare FILE --policy A --policy B [--at T] [--json]``."""

    def test_versions_differ(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Two Upwork versions differ on a paid contract's fees, shown side by side."""
        code, out, _ = run(
            capsys,
            "compare",
            HOURLY,
            "--policy",
            "upwork@2019-01-01",
            "--policy",
            "upwork",
            "--at",
            "2026-11-02T00:00:00Z",
        )
        lines = out.splitlines()
        assert 0 == code
        title = " ".join(out.split("\n\n")[0].split())  # wrapped to 80 columns
        assert "Contract c-2002 at 2026-11-02 00:00 UTC: upwork@2016-06-21 against upwork@2025-05-01" == title
        assert "Every decision is the same under both." in lines
        joined = joined_lines(out, 0)  # wrapped to 80 columns
        assert "Earnings under upwork@2016-06-21: gross 1150.00 USD, fee 165.00 USD, net 985.00 USD" in joined
        assert "Earnings under upwork@2025-05-01: gross 1150.00 USD, fee 115.00 USD, net 1035.00 USD" in joined

    def test_a_decision_that_differs(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A decision answered differently is listed with both answers and their reason codes."""
        code, out, _ = run(capsys, "compare", ENDED, "--policy", "upwork", "--policy", "fiverr", "--at", AT)
        assert 0 == code
        lines = out.splitlines()
        start = lines.index("The client may leave public feedback")
        assert lines[start + 1].startswith("  upwork@2025-05-01    yes until 2026-11-18 00:00 UTC (CONTRACT_ENDED")
        assert lines[start + 2].startswith(" " * 23)  # its reasons wrapped under its answer, to 80 columns
        fiverr = next(index for index in range(start, len(lines)) if lines[index].startswith("  fiverr@"))
        assert lines[fiverr].endswith("no (CANCELLED_NOT_REVIEWABLE)")
        assert all(len(line) <= 80 for line in lines)

    def test_same_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The same policy twice has no differences."""
        _, out, _ = run(capsys, "compare", MOTIVATING, "--policy", "upwork", "--policy", "upwork", "--at", AT)
        assert "Every decision is the same under both." in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints both policies, each difference and both earnings."""
        _, out, _ = run(capsys, "compare", ENDED, "--policy", "upwork", "--policy", "fiverr", "--at", AT, "--json")
        data = json.loads(out)
        assert ("upwork", "fiverr") == (data["first"]["name"], data["second"]["name"])
        assert data["differences"]
        assert {"first", "second"} == set(data["differences"][0])
        assert 2 == len(data["earnings"])

    def test_needs_two_policies(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One --policy is a usage error: exit 2 with a message."""
        err = usage_error(capsys, "compare", MOTIVATING, "--policy", "upwork", "--at", AT)
        assert err.endswith("gigpolicy compare: error: give exactly two --policy options\n")

    def test_at_defaults_to_now(self, capsys: pytest.CaptureFixture[str], clock: datetime) -> None:
        """Without --at the comparison is for the present instant."""
        _, out, _ = run(capsys, "compare", MOTIVATING, "--policy", "upwork", "--policy", "upwork")
        assert f"at {clock:%Y-%m-%d %H:%M} UTC" in out.splitlines()[0]


class TestTimeline:
    """``gigpolicy timeline FILE [--at T] [--policy NAME] [--svg OUT] [--width N]``."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The drawing is printed on stdout."""
        code, out, _ = run(capsys, "timeline", ENDED, "--at", "2026-11-04T00:00:00Z", "--width", "60")
        assert 0 == code
        assert out.strip()
        assert max(len(line) for line in out.splitlines()) <= 80

    def test_svg(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--svg writes an SVG picture and says where."""
        target = tmp_path / "contract.svg"
        code, out, _ = run(capsys, "timeline", ENDED, "--at", AT, "--svg", str(target))
        assert (0, f"wrote {target}\n") == (code, out)
        assert "<svg" in target.read_text(encoding="utf-8")

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints the marks and windows the drawings show, in UTC and in time order."""
        code, out, _ = run(capsys, "timeline", ENDED, "--at", "2026-11-04T00:00:00Z", "--json")
        data = json.loads(out)
        assert (0, "gigpolicy-timeline/1", "2026-11-04T00:00:00Z") == (code, data["format"], data["at"])
        assert data["start"] < data["end"]
        assert [mark["at"] for mark in data["marks"]] == sorted(mark["at"] for mark in data["marks"])
        assert {"event", "at"} <= {mark["kind"] for mark in data["marks"]}
        feedback = next(window for window in data["windows"] if window["code"] == "FEEDBACK")
        assert ("2026-11-03T09:00:00Z", "2026-11-18T00:00:00Z") == (feedback["opens"], feedback["closes"])
        assert feedback["source"].startswith("https://")

    def test_json_and_svg_exclude_each_other(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json and --svg together are a usage error."""
        with pytest.raises(SystemExit) as stopped:
            run(capsys, "timeline", ENDED, "--json", "--svg", "-")
        assert 2 == stopped.value.code

    def test_svg_cannot_be_written(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An SVG path that cannot be written exits 1 with a message."""
        code, _, err = run(capsys, "timeline", ENDED, "--at", AT, "--svg", str(tmp_path))
        assert (1, True) == (code, err.startswith(f"gigpolicy: error: cannot write {tmp_path}"))

    def test_at_defaults_to_now(self, capsys: pytest.CaptureFixture[str], clock: datetime) -> None:
        """Without --at the drawing marks the present instant."""
        code, out, _ = run(capsys, "timeline", MOTIVATING)
        assert (0, True) == (code, bool(out.strip()))
        assert NOW == clock


class TestBatch:
    """``gigpolicy batch IN.jsonl [--at T] [--policy NAME] [--jobs N] [--questions Q,...]``."""

    @staticmethod
    def lines(*paths: str) -> str:
        """The records in *paths*, one per line."""
        return "".join(json.dumps(json.loads(Path(path).read_text(encoding="utf-8"))) + "\n" for path in paths)

    def test_one_result_per_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each valid line gives one JSON report line, in order."""
        path = write(tmp_path, "in.jsonl", self.lines(MOTIVATING, HOURLY))
        code, out, _ = run(capsys, "batch", path, "--at", AT, "--questions", "work_history, end_contract")
        results = [json.loads(line) for line in out.splitlines()]
        assert 0 == code
        assert ["c-1001", "c-2002"] == [result["contract"] for result in results]
        assert {"work_history", "end_contract"} == {d["question"] for d in results[0]["decisions"]}

    def test_a_bad_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad line gives an error line and the exit code 1; the others are still evaluated."""
        path = write(tmp_path, "in.jsonl", self.lines(MOTIVATING) + "{}\n")
        code, out, _ = run(capsys, "batch", path, "--at", AT)
        assert 1 == code
        assert 2 == len(out.splitlines())
        assert 2 == json.loads(out.splitlines()[1])["line"]

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], clock: datetime) -> None:
        """``-`` reads lines from standard input; --at defaults to now."""
        monkeypatch.setattr(sys, "stdin", io.StringIO(self.lines(MOTIVATING)))
        code, out, _ = run(capsys, "batch", "-")
        assert (0, "2026-11-04T12:00:00Z") == (code, json.loads(out)["at"])
        assert NOW == clock

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that cannot be read exits 1 with a message."""
        code, _, err = run(capsys, "batch", str(tmp_path / "none.jsonl"), "--at", AT)
        assert (1, True) == (code, err.startswith("gigpolicy: error: cannot read "))

    def test_not_utf8(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A line that is not UTF-8 is an error line naming the offending byte, and exit 1."""
        path = tmp_path / "in.jsonl"
        path.write_bytes(b"\xff\n")
        code, out, _ = run(capsys, "batch", str(path), "--at", AT)
        assert (1, [{"path": "", "problem": "is not UTF-8 text (byte 0)"}]) == (code, json.loads(out)["errors"])

    def test_progress_on_a_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """On a terminal without tqdm, stderr counts records and invalid ones every 1000 lines."""
        path = write(tmp_path, "in.jsonl", "{}\n" * 1000)
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        monkeypatch.setitem(sys.modules, "tqdm", None)
        code, _, err = run(capsys, "batch", path, "--at", AT)
        assert (1, "\r1000 records, 1000 invalid\n") == (code, err)


class TestPolicies:
    """``gigpolicy policies [--json]``."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each policy is listed with its versions, titles and sources."""
        code, out, _ = run(capsys, "policies")
        lines = joined_lines(out, 6)  # a title wrapped to 80 columns, under its beginning
        assert 0 == code
        assert all(len(line) <= 80 for line in out.splitlines() if "https://" not in line)
        assert ["fiverr", "freelancer", "upwork"] == [line for line in lines if not line.startswith(" ")]
        upwork = get_policy("upwork", on=datetime(2019, 1, 1, tzinfo=UTC))
        assert f"  upwork@2016-06-21  {upwork.title}" in lines
        assert f"      {upwork.source}" in lines

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json lists every version of every policy with its date and source."""
        code, out, _ = run(capsys, "policies", "--json")
        document = json.loads(out)
        data = document["policies"]
        assert "gigpolicy-policies/1" == document["format"]
        expected = [v.label for name in available_policies() for v in policy_versions(name)]
        assert (0, expected) == (code, [item["version"] for item in data])
        upwork = [item["effective_from"] for item in data if item["name"] == "upwork"]
        assert ["2016-06-21", "2020-03-01", "2020-11-08", "2023-05-03", "2023-12-05", "2025-05-01"] == upwork
        assert {"name", "version", "effective_from", "title", "source", "date_confirmed"} == set(data[0])

    def test_version_without_source(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """A version without a source is listed without a source line."""
        bare = Policy(name="acme", effective_from=datetime(2020, 1, 1, tzinfo=UTC).date(), title="House rules")
        monkeypatch.setitem(_REGISTRY, "acme", (bare,))
        _, out, _ = run(capsys, "policies")
        lines = out.splitlines()
        assert ["acme", "  acme@2020-01-01  House rules", "fiverr"] == lines[:3]


class TestClock:
    """The one place the command reads the clock."""

    def test_now_is_aware_utc(self) -> None:
        """``--at``'s default is the present instant, in UTC."""
        before = datetime.now(UTC)
        now = gigpolicy._cli._now()
        assert (UTC, True) == (now.tzinfo, before <= now <= datetime.now(UTC))


class TestBrokenPipe:
    """A reader that goes away (``gigpolicy ... | head``) ends the command quietly."""

    def test_in_process(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """A BrokenPipeError while writing exits 141 (128 + SIGPIPE), with stdout pointed at the null device."""

        def broken(args: object) -> int:
            del args
            raise BrokenPipeError

        monkeypatch.setattr("gigpolicy._cli._policies", broken)
        with (tmp_path / "out").open("w", encoding="utf-8") as out:
            monkeypatch.setattr("sys.stdout", out)
            assert 141 == main(["policies"])
            print("lost", file=out, flush=True)
        assert "" == (tmp_path / "out").read_text(encoding="utf-8")

    def test_through_a_real_pipe(self) -> None:
        """Reading one line of a long report and closing the pipe shows no traceback."""
        path = Path(__file__).resolve().parent.parent / "examples" / "records" / "motivating-case.json"
        command = [sys.executable, "-m", "gigpolicy", "explain", str(path), "--at", "2026-11-03T09:00:00Z"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:  # noqa: S603 - our own command
            assert process.stdout is not None
            assert process.stderr is not None
            first = process.stdout.readline()
            process.stdout.close()
            errors = process.stderr.read()
        assert (b"Contract c-1001", b"") == (first[:15], errors)


class TestTextWidth:
    """The short answers are wrapped to the terminal's width, 80 columns when not a terminal."""

    class _Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def test_a_terminal_gives_its_width(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("sys.stdout", self._Terminal())
        monkeypatch.setattr("shutil.get_terminal_size", lambda _: os.terminal_size((132, 40)))
        assert 132 == gigpolicy._cli._text_width()
        monkeypatch.setattr("shutil.get_terminal_size", lambda _: os.terminal_size((20, 40)))
        assert 50 == gigpolicy._cli._text_width()  # never narrower than 50 columns

    def test_no_terminal_gives_80(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("sys.stdout", io.StringIO())
        assert 80 == gigpolicy._cli._text_width()
        monkeypatch.setattr("sys.stdout", None)
        assert 80 == gigpolicy._cli._text_width()
