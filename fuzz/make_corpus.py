"""Write a seed corpus for the fuzz harness: valid records drawn from ``gigpolicy.testing``, one file each.

Usage: ``.venv/bin/python fuzz/make_corpus.py fuzz/corpus [COUNT]`` (200 by default). The
records are valid and varied (both kinds, every event type, several currencies), so the fuzzer
starts deep inside the format instead of having to discover JSON.
"""

# ruff: noqa: INP001 - a script directory, not a package
from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from gigpolicy import ContractRecord, dumps
from gigpolicy.testing import records


def main(target: Path, count: int) -> None:
    """Draw *count* records and write them as ``seed-NNNN.json`` under *target*."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[ContractRecord] = []

    @settings(max_examples=count, database=None, suppress_health_check=list(HealthCheck))
    @given(records(max_events=25))
    def draw(record: ContractRecord) -> None:
        written.append(record)

    draw()
    for number, record in enumerate(written):
        (target / f"seed-{number:04d}.json").write_text(dumps(record, indent=None), encoding="utf-8")
    sys.stdout.write(f"{len(written)} seed records in {target}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)  # noqa: PLR2004 - an optional count
