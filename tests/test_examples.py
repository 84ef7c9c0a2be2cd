"""The runnable examples: each one runs, and prints the answers it promises."""

from __future__ import annotations

import ast
import runpy
from pathlib import Path
from typing import Final

import pytest

from gigpolicy import _policy as policy_module
from gigpolicy import available_policies

EXAMPLES: Final = Path(__file__).parent.parent / "examples"
SCRIPTS: Final = sorted(EXAMPLES.glob("*.py"))

#: Lines (or parts of lines) each example must print.
EXPECTED: Final[dict[str, tuple[str, ...]]] = {
    "explain_motivating_case.py": (
        "Can the client still review me? Yes (until 2026-11-18 00:00 UTC)",
        "Will the contract show in my work history? No",
        "Where did the escrow go? 500.00 USD went back to the client.",
    ),
    "options_motivating_case.py": (
        "Steps open to the freelancer at 2026-11-03 09:00 UTC: wait, end_contract, report_and_end, submit_work",
        "   Can the client review: yes until 2026-11-18 00:00 UTC",
        "   Worst case, the client leaves a 1-star review; is it shown: no (NET_PAID_BELOW_THRESHOLD)",
        "   Work history: no (NET_PAID_BELOW_THRESHOLD)",
        "   Counts toward the score, worst case: yes (CONTRACT_ENDED, WITHIN_WINDOW, NEGATIVE_FEEDBACK,",
        "   Back to the client: 500.00 USD; paid to me: 0.00 USD",
        "   Best case, counts: no (CLIENT_SUSPENDED)",
    ),
    "project_success_score.py": (
        "2026-01: no score yet (too few eligible jobs or clients)",
        "2026-02: 100  (2 jobs counted, negative: none)",
        "2026-03:  67  (5 jobs counted, negative: job-05)",
        "2026-12:  67  (11 jobs counted, negative: job-05, job-08)",
    ),
    "compare_options_paid_contract.py": (
        "end_contract: End the contract now.",
        "  worst net earnings 450.00 USD, to client 300.00 USD; client: 1-star review (shown); work history: yes;",
        "refund_and_end: Refund the 500.00 USD the policy still lets you refund, then end the contract.",
        "net earnings 0.00 USD, to client 800.00 USD; client: 1-star review; work history: no; counts in score: yes",
        "net earnings 0.00 USD, to client 800.00 USD; client: 5-star review; work history: no; counts in score: no",
        "report_and_end: Report the job to the marketplace, then end the contract.",
    ),
    "evolve_policy.py": (
        "display_threshold: 1.00 -> 0",
        "Client's 1-star review shown under upwork@2025-05-01: no",
        "feedback_published (client): no -> yes [",
        "work_history (freelancer): no -> yes [NET_PAID_AT_LEAST_THRESHOLD]",
    ),
    "dask_batch.py": (
        "Evaluated 2000 records on 2 workers.",
        "Contracts shown in the work history: 1000",
    ),
    "custom_marketplace.py": (
        "Policy: gigly@2025-01-01 (Reviews within 30 days of the end, shown at once; 8% fee)",
        "Released by itself: 250.00 USD; earnings after the 8% fee: 230.00 USD",
        "end_contract (client): no [ALREADY_ENDED]",
        "public_feedback (client): yes until 2026-04-09 09:00 UTC [WITHIN_WINDOW, NOT_YET_REVIEWED]",
        "open_dispute (client): no [NO_SUCH_RULE]",
        "Gigly success score: 33 (g-1 weighs 1, g-2 weighs 2)",
    ),
}


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A private copy of the registry, so that a policy an example registers is gone afterwards."""
    available_policies()
    monkeypatch.setattr(policy_module, "_REGISTRY", dict(policy_module._REGISTRY))


def _ids(path: Path) -> str:
    return path.name


class TestExamples:
    """Every ``examples/*.py`` runs as a script and prints its key lines."""

    def test_every_example_has_expectations(self) -> None:
        """No example goes untested: the expectations name exactly the scripts there are."""
        assert sorted(EXPECTED) == [path.name for path in SCRIPTS]

    @pytest.mark.parametrize("path", SCRIPTS, ids=_ids)
    def test_runs_and_prints(self, path: Path, registry: None, capsys: pytest.CaptureFixture[str]) -> None:
        """Run as ``__main__``, the example prints each expected line."""
        del registry
        runpy.run_path(str(path), run_name="__main__")
        printed = capsys.readouterr().out.splitlines()
        for expected in EXPECTED[path.name]:
            assert any(expected in line for line in printed), (expected, printed)

    @pytest.mark.parametrize("path", SCRIPTS, ids=_ids)
    def test_shape(self, path: Path) -> None:
        """Each example says how to run it and has a ``main()`` behind ``if __name__ == "__main__"``."""
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstring = ast.get_docstring(tree) or ""
        functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        guarded = [node for node in tree.body if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)]
        assert (True, True, True) == (f"python examples/{path.name}" in docstring, "main" in functions, bool(guarded))

    @pytest.mark.parametrize("path", SCRIPTS, ids=_ids)
    def test_import_does_not_run(self, path: Path, registry: None, capsys: pytest.CaptureFixture[str]) -> None:
        """Imported under another name, an example prints nothing."""
        del registry
        runpy.run_path(str(path), run_name="example")
        assert "" == capsys.readouterr().out

    def test_custom_marketplace_is_findable_by_name_only_inside_the_run(self, registry: None) -> None:
        """The example's ``register_policy`` call is what makes ``gigly`` known."""
        del registry
        namespace = runpy.run_path(str(EXAMPLES / "custom_marketplace.py"), run_name="example")
        assert "gigly" not in available_policies()
        namespace["main"]()
        assert "gigly" in available_policies()
