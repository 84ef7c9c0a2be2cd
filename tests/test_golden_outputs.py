"""What ``explain --json``, ``options --json`` and ``batch`` print is what they printed before the speed work.

``tests/golden_digests.json`` holds digests of those outputs for ten thousand varied records
(made by :mod:`tests.golden_outputs`) at the commit before the speed work began. A faster path that
changes one byte of one record's output fails here, and the failure names the hundred records
it is in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Final

import pytest
from tests import golden_outputs as golden

# checks at scale: coverage would double their time, and the targeted tests measure it
pytestmark = pytest.mark.uncovered

BATCH_AT: Final = ("2026-06-01T00:00:00Z", "2031-01-01T00:00:00Z")
"""The instants ``batch`` judges every line at: one amid the records, one after them all."""


def batch_texts(cases: Sequence[tuple[str, datetime]]) -> Iterator[str]:
    """What ``gigpolicy batch --jobs 2 --at AT`` writes for each line, at each instant of :data:`BATCH_AT` in turn."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        source.write_text("".join(text + "\n" for text, _ in cases), encoding="utf-8")
        for at in BATCH_AT:
            done = subprocess.run(  # noqa: S603 - this interpreter, with fixed arguments
                [sys.executable, "-m", "gigpolicy", "batch", str(source), "--at", at, "--jobs", "2"],
                capture_output=True,
                check=False,
            )
            assert done.returncode in {0, 1}, done.stderr
            yield from (line + "\n" for line in done.stdout.decode("utf-8").splitlines())


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, datetime]]:
    """The records and the instant each is judged at."""
    return list(golden.records())


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    """The digests written before the speed work."""
    found: dict[str, list[str]] = json.loads(golden.DIGESTS.read_text(encoding="utf-8"))
    return found


def first_difference(found: list[str], expected: list[str]) -> str:
    """Which hundred records differ first, for the failure's message."""
    for index, (one, other) in enumerate(zip(found, expected, strict=False)):
        if one != other:
            return f"records {index * golden.CHUNK} to {index * golden.CHUNK + golden.CHUNK - 1} differ"
    return f"{len(found)} digests, {len(expected)} expected"


class TestGolden:
    """Each output, digest by digest."""

    def test_the_records_are_varied(self, cases: list[tuple[str, datetime]]) -> None:
        """The walk makes every kind, marketplace and most event types, and records of many lengths."""
        records = [json.loads(text) for text, _ in cases]
        assert golden.RECORDS == len(records)
        assert {"fixed_price", "hourly"} == {record["contract"]["kind"] for record in records}
        assert {"upwork", "fiverr", "freelancer"} == {record["contract"]["marketplace"] for record in records}
        types = {event["type"] for record in records for event in record["events"]}
        assert len(types) >= 17, sorted(types)
        lengths = {len(record["events"]) for record in records}
        assert {0, 1, 5, 10} <= lengths

    def test_explain(self, cases: list[tuple[str, datetime]], expected: dict[str, list[str]]) -> None:
        """The output of explain --json, record by record, at its own instant."""
        found = golden._chunks(golden.explain_texts(cases))
        assert found == expected["explain"], first_difference(found, expected["explain"])

    def test_options(self, cases: list[tuple[str, datetime]], expected: dict[str, list[str]]) -> None:
        """The output of options --json for the first thousand records, as the client and as the freelancer in turn."""
        found = golden._chunks(golden.options_texts(cases[: golden.OPTIONS]))
        assert found == expected["options"], first_difference(found, expected["options"])

    def test_batch(self, cases: list[tuple[str, datetime]], expected: dict[str, list[str]]) -> None:
        """The batch command with two workers, every line at two instants."""
        found = golden._chunks(batch_texts(cases))
        assert found == expected["batch"], first_difference(found, expected["batch"])
