"""Evaluate many records over a Dask bag: the same code runs on a laptop or a cluster.

Run it with ``python examples/dask_batch.py`` (needs ``pip install -e '.[dask]'``). It starts a
local cluster; to use a real one, pass its scheduler's address to ``Client`` instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import dask.bag as db
from distributed import Client, LocalCluster

from gigpolicy import evaluate_lines

RECORDS = Path(__file__).parent / "records"
AT = datetime(2026, 11, 27, tzinfo=UTC)


def evaluate_partition(numbered: Iterable[tuple[int, str]]) -> Iterator[str]:
    """Evaluate one partition of numbered record lines into JSON result lines (runs on the workers)."""
    pairs = list(numbered)
    if pairs:
        first = pairs[0][0]
        for result in evaluate_lines((line for _, line in pairs), at=AT, start=first):
            yield result.text


def run(lines: list[str], client: Client) -> list[str]:
    """Evaluate *lines* on the cluster behind *client*; the results come back in input order."""
    # Partitions are consecutive runs of lines, so each is numbered from its first line.
    bag = db.from_sequence(list(enumerate(lines, start=1)), npartitions=max(1, len(lines) // 500))
    results: list[str] = bag.map_partitions(evaluate_partition).compute(scheduler=client.get)
    return results


def main() -> None:
    """Evaluate 2,000 records (the examples, repeated) on a local two-worker cluster."""
    texts = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(RECORDS.glob("*.json"))]
    lines = [texts[index % len(texts)] for index in range(2_000)]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        workers = len(client.scheduler_info()["workers"])
        results = run(lines, client)
    shown = sum(
        1
        for text in results
        for decision in json.loads(text)["decisions"]
        if decision["question"] == "work_history" and decision["answer"]
    )
    print(f"Evaluated {len(results)} records on {workers} workers.")
    print(f"Contracts shown in the work history: {shown}")


if __name__ == "__main__":
    main()
