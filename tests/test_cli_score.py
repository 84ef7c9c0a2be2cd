"""``gigpolicy score FILE... --freelancer ID [--at T] [--target N] [--json]``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Final

import pytest

import gigpolicy._cli
from gigpolicy import Money, get_policy
from gigpolicy._cli import _median, _more_jobs, _score_data, _score_text, _ScoreFacts, main
from gigpolicy._success import CountedJob, ExcludedJob, JobSuccess

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
AT: Final = "2026-06-01T00:00:00Z"
CONTRACTS: Final = (
    ("c-1", "acme", "200.00", "4"),
    ("c-2", "globex", "1500.00", "5"),
    ("c-3", "initech", "600.00", "3"),
    ("c-4", "umbrella", None, "5"),
    ("c-6", "acme", "50.00", None),
)
"""Ana's contracts, each ended on 2 March 2026: id, client, paid and the client's public rating."""


def contract(tmp_path: Path, id_: str, client: str, paid: str | None, rating: str | None) -> str:
    """Write a fixed-price contract of ana's with *client*; return its file name."""
    events = []
    if paid:
        events += [
            f'{{"type": "milestone_funded", "at": "2026-01-05T10:00:00Z", "milestone": "m1", "amount": "{paid}"}}',
            f'{{"type": "milestone_released", "at": "2026-01-20T10:00:00Z", "milestone": "m1", "amount": "{paid}"}}',
        ]
    events.append('{"type": "contract_ended", "at": "2026-03-02T09:00:00Z", "by": "client"}')
    if rating is not None:
        events.append(
            '{"type": "feedback_left", "at": "2026-03-02T12:00:00Z", "by": "client", "kind": "public",'
            f' "rating": {rating}}}'
        )
    path = tmp_path / f"{id_}.json"
    path.write_text(
        f'{{"format": "gigpolicy/1", "contract": {{"id": "{id_}", "marketplace": "upwork", "kind": "fixed_price",'
        f' "currency": "USD", "client": "{client}", "freelancer": "ana", "started_at": "2026-01-05T09:00:00Z"}},'
        f' "events": [{", ".join(events)}]}}',
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """Ana's five contract files."""
    return [contract(tmp_path, *item) for item in CONTRACTS]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def score(positive: str, negative: str, total: str, weights: tuple[str, ...]) -> JobSuccess:
    """An estimate built by hand with counted jobs of *weights*."""
    jobs = tuple(
        CountedJob(contract=f"c-{n}", client=f"k-{n}", weight=Decimal(w), positive=True, net_paid=Money.of(1, "USD"))
        for n, w in enumerate(weights)
    )
    return JobSuccess(
        score=0,
        jobs=jobs,
        excluded=(),
        positive_weight=Decimal(positive),
        negative_weight=Decimal(negative),
        total_weight=Decimal(total),
        policy=get_policy("upwork", on=datetime(2026, 6, 1, tzinfo=UTC)),
    )


def rounded(estimate: JobSuccess, weight: Decimal, count: int) -> int:
    """The score of *estimate* with *count* more positive jobs of *weight*, rounded half up."""
    gained = count * weight
    value = 100 * (estimate.positive_weight + gained - estimate.negative_weight)
    return int((value / (estimate.total_weight + gained)).quantize(Decimal(1), "ROUND_HALF_UP"))


class TestText:
    """The text: the estimate, each job counted or excluded and why, the changes by time alone, the target."""

    def test_estimate(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """Three counted jobs give 33; the others are excluded with their reasons."""
        code, out, err = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT)
        lines = out.splitlines()
        assert (0, "") == (code, err)
        assert "Success-score estimate of ana at 2026-06-01 00:00 UTC under upwork@2025-05-01: 33" == lines[0]
        assert lines[1].startswith("An estimate: the real Job Success Score is proprietary")
        assert "counted   c-2  client globex, weight 1.5, positive, net paid 1500.00 USD" in lines
        assert "counted   c-3  client initech, weight 1.25, negative, net paid 600.00 USD" in lines
        assert "  stops counting at 2028-03-02 09:00 UTC" in lines
        excluded = lines.index("excluded  c-4")
        assert lines[excluded + 1].startswith("  ZERO_EARNINGS_POSITIVE: ")
        assert "excluded  c-6" in lines
        assert "score = 100 x (positive 2.5 - negative 1.25) / total 3.75, at least 0, rounded half up: 33" in lines
        assert "  2028-03-02 09:00 UTC  c-1 stops counting" in lines

    def test_target(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """17 more positive jobs of the median weight 1.25 reach 90: 100 x 22.5 / 25 = 90, and 16 give 89."""
        _, out, _ = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT, "--target", "90")
        assert out.splitlines()[-1] == (
            "Target 90: 17 more positive jobs of weight 1.25 (the median counted weight) would bring the estimate"
            " to 90 or more, if nothing else changes."
        )

    def test_target_reached(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """A target at or below the score is reached already."""
        _, out, _ = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT, "--target", "33")
        assert "Target 33: reached already." == out.splitlines()[-1]

    def test_no_score_yet(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """With one counted job there is no score, and no target to reach from it."""
        code, out, _ = run(capsys, "score", files[1], "--freelancer", "ana", "--at", AT, "--target", "90")
        lines = out.splitlines()
        assert 0 == code
        assert lines[0].endswith(": no score yet")
        assert "A score needs at least 2 counted jobs from 2 distinct clients." in lines
        assert "Target 90: there is no score yet to start from." == lines[-1]

    def test_other_freelancer(self, capsys: pytest.CaptureFixture[str], files: list[str], tmp_path: Path) -> None:
        """Another freelancer's record is excluded, and says whose it is."""
        theirs = tmp_path / "bo.json"
        theirs.write_text(Path(files[1]).read_text(encoding="utf-8").replace('"ana"', '"bo"'), encoding="utf-8")
        _, out, _ = run(capsys, "score", files[0], str(theirs), "--freelancer", "ana", "--at", AT)
        assert "  OTHER_FREELANCER: The contract is bo's, not ana's." in out.splitlines()

    def test_no_change_by_time(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An open contract is excluded for now, and nothing changes by time alone."""
        _, out, _ = run(capsys, "score", str(EXAMPLES / "motivating-case.json"), "--freelancer", "fl-7", "--at", AT)
        assert "  CONTRACT_OPEN: " in out
        assert "By time alone" not in out

    def test_examples(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """The shipped examples, at the clock's instant: one counted job, so no score yet."""
        monkeypatch.setattr(gigpolicy._cli, "_now", lambda: datetime(2026, 11, 20, tzinfo=UTC))
        code, out, _ = run(capsys, "score", *sorted(map(str, EXAMPLES.glob("*.json"))), "--freelancer", "fl-7")
        assert 0 == code
        assert "at 2026-11-20 00:00 UTC" in out.splitlines()[0]
        assert "counted   c-2002  client client-8, weight 1.5, positive, net paid 1150.00 USD" in out

    def test_counts_from(self) -> None:
        """An excluded job that counts later by time alone says when; a counted job that always counts, nothing."""
        facts = _ScoreFacts(
            freelancer="ana",
            at=datetime(2026, 6, 1, tzinfo=UTC),
            policy="upwork@2025-05-01",
            minimums=(2, 2),
            estimate=None,
            judged=[
                (ExcludedJob(contract="c-8", reasons=()), datetime(2026, 7, 1, tzinfo=UTC)),
                (score("1", "0", "1", ("1",)).jobs[0], None),
            ],
            target=None,
            more=None,
        )
        lines = _score_text(facts).splitlines()
        assert "  counts from 2026-07-01 00:00 UTC if no new event comes" in lines
        assert "  2026-07-01 00:00 UTC  c-8 starts counting" == lines[-1]
        assert "2026-07-01T00:00:00Z" == _score_data(facts)["excluded"][0]["counts_from"]  # type: ignore[index] # a list of dicts

    def test_out_of_reach(self) -> None:
        """When the median counted weight is not positive, more jobs move nothing: out of reach."""
        facts = _ScoreFacts(
            freelancer="ana",
            at=datetime(2026, 6, 1, tzinfo=UTC),
            policy="upwork@2025-05-01",
            minimums=(2, 2),
            estimate=None,
            judged=[],
            target=90,
            more=(Decimal(0), None),
        )
        assert _score_text(facts).endswith(
            "Target 90: out of reach: the median counted weight is 0, so more jobs move nothing."
        )
        assert {"score": 90, "weight": "0", "more_jobs": None} == _score_data(facts)["target"]


class TestJson:
    """``--json``: a gigpolicy-score/1 object."""

    def test_fields(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """The score, its weights, the jobs counted and excluded, and the target."""
        code, out, _ = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT, "--json", "--target", "90")
        data = json.loads(out)
        assert 0 == code
        assert ("gigpolicy-score/1", True, 33) == (data["format"], data["estimate"], data["score"])
        assert ("2.5", "1.25", "3.75") == (data["positive_weight"], data["negative_weight"], data["total_weight"])
        assert {"jobs": 2, "clients": 2} == data["minimums"]
        assert {
            "contract": "c-3",
            "client": "initech",
            "weight": "1.25",
            "positive": False,
            "net_paid": "600.00",
            "currency": "USD",
            "stops_counting_at": "2028-03-02T09:00:00Z",
        } == data["jobs"][2]
        assert ["c-4", "c-6"] == [job["contract"] for job in data["excluded"]]
        assert "ZERO_EARNINGS_POSITIVE" == data["excluded"][0]["reasons"][0]["code"]
        assert data["excluded"][0]["counts_from"] is None
        assert {"score": 90, "weight": "1.25", "more_jobs": 17} == data["target"]

    def test_no_score(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """Without a score the weights are null, and so is the target's answer."""
        _, out, _ = run(capsys, "score", files[0], "--freelancer", "ana", "--at", AT, "--json", "--target", "50")
        data = json.loads(out)
        assert (None, None) == (data["score"], data["total_weight"])
        assert {"score": 50, "weight": None, "more_jobs": None} == data["target"]

    def test_no_target(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """Without --target, the target is null."""
        _, out, _ = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT, "--json")
        assert json.loads(out)["target"] is None


class TestErrors:
    """Invalid input is exit 1; a bad command line exit 2."""

    def test_invalid_files(self, capsys: pytest.CaptureFixture[str], files: list[str], tmp_path: Path) -> None:
        """Every invalid file is reported, and nothing is printed."""
        bad = tmp_path / "bad.json"
        bad.write_text("{}", encoding="utf-8")
        code, out, err = run(capsys, "score", str(bad), files[0], str(bad), "--freelancer", "ana")
        assert (1, "") == (code, out)
        assert 2 == err.count(f"{bad}: format: is required")

    def test_policy_without_score(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """A policy with no success score is an error."""
        code, _, err = run(capsys, "score", *files, "--freelancer", "ana", "--at", AT, "--policy", "fiverr")
        assert 1 == code
        assert "gigpolicy: error: fiverr has no success score for gigpolicy to estimate\n" == err

    @pytest.mark.parametrize("target", ["101", "-1", "ninety"])
    def test_bad_target(self, capsys: pytest.CaptureFixture[str], files: list[str], target: str) -> None:
        """A target must be a score from 0 to 100."""
        with pytest.raises(SystemExit) as exit_info:
            main(["score", files[0], "--freelancer", "ana", "--target", target])
        assert 2 == exit_info.value.code
        assert "is not a score from 0 to 100" in capsys.readouterr().err

    def test_freelancer_required(self, capsys: pytest.CaptureFixture[str], files: list[str]) -> None:
        """--freelancer is required."""
        with pytest.raises(SystemExit) as exit_info:
            main(["score", files[0]])
        assert 2 == exit_info.value.code
        assert "--freelancer" in capsys.readouterr().err


class TestMoreJobs:
    """The count of more positive jobs of the median counted weight that reach a target."""

    def test_median(self) -> None:
        """The median of an odd count is the middle weight; of an even count, the mean of the two middle ones."""
        assert (Decimal("1.25"), Decimal("1.25")) == (
            _median([Decimal("1.5"), Decimal(1), Decimal("1.25")]),
            _median([Decimal(1), Decimal("1.5")]),
        )

    def test_least(self) -> None:
        """The count found is the least: one fewer rounds below the target."""
        estimate = score("2.5", "1.25", "3.75", ("1", "1.5", "1.25"))
        for target in (34, 50, 90, 99, 100):
            weight, more = _more_jobs(estimate, target)
            assert more is not None

            assert rounded(estimate, weight, more) >= target > rounded(estimate, weight, more - 1)

    def test_zero_weight(self) -> None:
        """A median weight of 0 never reaches a higher score."""
        assert (Decimal(0), None) == _more_jobs(score("1", "0", "1", ("0", "0", "1")), 90)
