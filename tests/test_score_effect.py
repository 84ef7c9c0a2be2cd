"""Tests of how one contract's options move the success-score estimate (score_effect, --history)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pytest

import gigpolicy
from gigpolicy import ContractRecord, GigPolicyError, InvalidRecord, Option, ScoreEffect, options, score_effect
from gigpolicy._cli import main

ROOT: Final = Path(__file__).resolve().parent.parent
MOTIVATING: Final = ROOT / "examples" / "records" / "motivating-case.json"
AT: Final = datetime(2026, 11, 3, 9, tzinfo=UTC)


def job(number: int, client: str, rating: float) -> ContractRecord:
    """An ended, paid job of fl-7 with the client's public rating."""
    return gigpolicy.loads(
        json.dumps(
            {
                "format": "gigpolicy/1",
                "contract": {
                    "id": f"h-{number}",
                    "kind": "fixed_price",
                    "currency": "USD",
                    "client": client,
                    "freelancer": "fl-7",
                    "started_at": "2026-05-01T00:00:00Z",
                },
                "events": [
                    {"type": "milestone_funded", "at": "2026-05-01T01:00:00Z", "milestone": "m", "amount": "400.00"},
                    {"type": "milestone_released", "at": "2026-05-10T01:00:00Z", "milestone": "m", "amount": "400.00"},
                    {"type": "contract_ended", "at": "2026-05-11T01:00:00Z", "by": "client"},
                    {
                        "type": "feedback_left",
                        "at": "2026-05-11T02:00:00Z",
                        "by": "client",
                        "kind": "public",
                        "rating": rating,
                    },
                ],
            }
        )
    )


HISTORY: Final = (job(1, "a", 5), job(2, "b", 5), job(3, "c", 4.5))


def by_action(found: tuple[Option, ...]) -> dict[str, Option]:
    """The options keyed by their action."""
    return {option.action: option for option in found}


def scores(effect: ScoreEffect) -> tuple[int | None, int | None, int | None]:
    """before, worst and best scores."""
    return tuple(None if e is None else e.score for e in (effect.before, effect.worst, effect.best))  # type: ignore[return-value]  # three items


class TestScoreEffect:
    """score_effect()."""

    def test_ending_now_can_cost_the_score(self) -> None:
        """With three positive jobs, ending the $0 contract risks 100 -> 58 (a negative $0 job counts)."""
        found = by_action(options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT))
        assert (100, 58, 100) == scores(score_effect(HISTORY, found["end_contract"], freelancer="fl-7"))

    def test_waiting_risks_the_same(self) -> None:
        """Waiting does not avoid the review: the dormancy closure opens it, and the worst case costs 100 -> 58."""
        found = by_action(options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT))
        assert (100, 58, 100) == scores(score_effect(HISTORY, found["wait"], freelancer="fl-7"))

    def test_wait_moves_nothing_where_nothing_lies_ahead(self) -> None:
        """Before 2025-05-01 nothing closes the contract: waiting leaves the estimate where it is."""
        found = by_action(options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT, policy="upwork@2023-12-05"))
        assert (100, 100, 100) == scores(score_effect(HISTORY, found["wait"], freelancer="fl-7"))

    def test_before_is_the_contract_as_it_stands(self) -> None:
        """The 'before' estimate judges the contract without the option's events."""
        found = by_action(options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT))
        effect = score_effect(HISTORY, found["end_contract"], freelancer="fl-7")
        assert effect.before is not None
        assert ["c-1001"] == [job.contract for job in effect.before.excluded]

    def test_too_little_history(self) -> None:
        """With one other job there is no estimate before; the worst case makes two: 100 x (1.25 - 1) / 2.25."""
        found = by_action(options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT))
        assert (None, 11, None) == scores(score_effect(HISTORY[:1], found["end_contract"], freelancer="fl-7"))

    def test_history_must_be_records(self) -> None:
        """Something that is not a record in the history is an InvalidRecord naming its place."""
        found = options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT)
        with pytest.raises(InvalidRecord, match=r"history\[1\]"):
            score_effect([HISTORY[0], "nope"], found[0], freelancer="fl-7")  # type: ignore[list-item]  # on purpose

    def test_policy_without_a_score(self) -> None:
        """A marketplace without a success score cannot be estimated."""
        found = options(gigpolicy.load(MOTIVATING), party="freelancer", at=AT)
        with pytest.raises(GigPolicyError, match="fiverr has no success score"):
            score_effect(HISTORY, found[0], freelancer="fl-7", policy="fiverr")


class TestHistoryOption:
    """``gigpolicy options --history``."""

    def write(self, folder: Path) -> list[str]:
        """Write the history as record files; return their names."""
        names = []
        for record in HISTORY:
            path = folder / f"{record.contract.id}.json"
            path.write_text(gigpolicy.dumps(record), encoding="utf-8")
            names.append(str(path))
        return names

    def test_table_column(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The table gains a score-estimate column: before -> worst / best."""
        argv = ["options", str(MOTIVATING), "--as", "freelancer", "--at", "2026-11-03T09:00:00Z", "--history"]
        assert 0 == main([*argv, *self.write(tmp_path)])
        out = capsys.readouterr().out
        assert "score estimate" in out
        assert "100 -> 58 / 100" in out

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--json carries the estimate of each case."""
        argv = ["options", str(MOTIVATING), "--as", "freelancer", "--at", "2026-11-03T09:00:00Z", "--json"]
        assert 0 == main([*argv, "--history", *self.write(tmp_path)])
        data = {item["action"]: item["score_effect"] for item in json.loads(capsys.readouterr().out)["options"]}
        assert {"before": 100, "worst": 58, "best": 100} == data["end_contract"]

    def test_invalid_history_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid history record is reported with its path, exit 1."""
        bad = tmp_path / "bad.json"
        bad.write_text("{}", encoding="utf-8")
        argv = ["options", str(MOTIVATING), "--as", "freelancer", "--at", "2026-11-03T09:00:00Z", "--history"]
        assert 1 == main([*argv, str(bad)])
        assert f"{bad}: format: is required" in capsys.readouterr().err

    def test_no_estimate_shows_none(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without enough history the estimate reads 'none'."""
        argv = ["options", str(MOTIVATING), "--as", "freelancer", "--at", "2026-11-03T09:00:00Z", "--history"]
        assert 0 == main([*argv, self.write(tmp_path)[0]])
        assert "none -> 11 / none" in capsys.readouterr().out
