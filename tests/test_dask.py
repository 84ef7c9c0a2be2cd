"""The Dask example: the same evaluation over a Dask bag on a local cluster."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Final

from distributed import Client, LocalCluster

from gigpolicy import evaluate_lines

EXAMPLE: Final = Path(__file__).resolve().parent.parent / "examples" / "dask_batch.py"


def example() -> ModuleType:
    """The example module, imported from its file."""
    spec = importlib.util.spec_from_file_location("dask_batch", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestDaskBag:
    """``examples/dask_batch.py``."""

    def test_same_results_as_one_process(self) -> None:
        """A local cluster returns, in input order, exactly what evaluate_lines writes in one process."""
        module = example()
        records = sorted((EXAMPLE.parent / "records").glob("*.json"))
        texts = [json.dumps(json.loads(path.read_text(encoding="utf-8"))) for path in records]
        lines = [*(texts[index % len(texts)] for index in range(1_200)), "not a record"]
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            on_cluster = module.run(lines, client)
        at_home = [result.text for result in evaluate_lines(lines, at=module.AT)]
        assert at_home == on_cluster
        last = json.loads(on_cluster[-1])
        assert (1_201, True) == (last["line"], last["errors"][0]["problem"].startswith("is not valid JSON"))
