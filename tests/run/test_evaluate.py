"""``harness.evaluate``: the programmatic front door runs the same path as ``harness eval``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import harness
from harness.errors import UsageError


@pytest.mark.slow
def test_evaluate_runs_a_reference_eval_and_resumes_it(tmp_path: Path) -> None:
    config = {
        "model": "reference",
        "variants": ["none"],
        "tasks": ["timezone-timestamps"],
        "run_id": "api",
        "results_dir": tmp_path,
        "checks": ["ruff", "format"],
    }
    outcome = harness.evaluate(config)
    assert [r.spec.key for r in outcome.records] == [("timezone-timestamps", "none", 0)]
    [record] = outcome.records
    assert record.score is not None
    assert record.score.overall == pytest.approx(1.0)
    assert record.spec.solver == "oneshot"
    again = harness.evaluate({}, resume="api", results_dir=tmp_path)
    assert again.worked == 0
    assert [r.spec.key for r in again.records] == [r.spec.key for r in outcome.records]


def test_evaluate_names_the_bad_option_and_imports_nothing_until_called(
    tmp_path: Path,
) -> None:
    with pytest.raises(UsageError, match="invalid option epochs") as caught:
        harness.evaluate({"model": "sim", "epochs": 0, "results_dir": tmp_path})
    assert caught.value.option == "epochs"
    with pytest.raises(UsageError, match="unknown solver 'chat'") as caught:
        harness.evaluate({"model": "sim", "solver": "chat", "results_dir": tmp_path})
    assert caught.value.option == "solver"
    # Importing the package itself loads no part of the harness but its version.
    code = "import harness, sys; print(sorted(m for m in sys.modules if m.startswith('harness.')))"
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['harness.version']"
