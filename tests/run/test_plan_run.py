"""harness plan RUN: the power plan of a stored run, by id or folder."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.support.synthetic import SyntheticRun, synthesize
from harness.report.scores import score_table
from harness.stats import plan

ROOT = Path(__file__).resolve().parents[2]


def _plan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", "plan", *args],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_plan_reads_a_run_by_id_and_by_folder(tmp_path):
    results = tmp_path / "results"
    _, records = synthesize(results, SyntheticRun(run_id="r", tasks=12, epochs=2))
    expected = plan(score_table(records), 0.05)
    by_id = _plan("r", "--out", str(results), "--effect", "0.05", "--json")
    by_folder = _plan(str(results / "r"), "--effect", "0.05", "--json")
    assert by_id.returncode == 0, by_id.stderr
    assert json.loads(by_id.stdout) == json.loads(by_folder.stdout)
    assert json.loads(by_id.stdout) == json.loads(expected.model_dump_json())


def test_an_unknown_run_is_one_line():
    done = _plan("no-such-run", "--effect", "0.05")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "no run or score table no-such-run" in done.stderr
