"""A whole hostile project scored by the real scorer: its tests' attacks fail inside the
sandbox, the failures are reported, and nothing of the host leaks into the score."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.sandbox import Sandbox
from harness.scoring.scorer import score_project

from .conftest import Decoy, HostServices, processes_with, reap, wait_until_gone

PROJECT = Path(__file__).resolve().parent / "projects" / "exfiltrate"

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def environment() -> EvaluationEnvironment:
    env = EvaluationEnvironment()
    if not (env.venv / "bin" / "python").exists():
        pytest.skip("the evaluation environment is not built: run `harness env build`")
    return env


def test_hostile_project_is_contained_and_reported(
    environment: EvaluationEnvironment,
    tmp_path: Path,
    host_services: HostServices,
    decoy_process: Decoy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", decoy_process.key)
    decoy = tmp_path / "decoy-secret.txt"
    decoy.write_text("DECOY-SECRET")
    outside = tmp_path / "escaped.txt"
    marker = f"sbxproject-{tmp_path.name}-{id(tmp_path)}"
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "tests" / "targets.json").write_text(
        json.dumps(
            {
                "port": host_services.port,
                "decoy": str(decoy),
                "outside": str(outside),
                "marker": marker,
            }
        )
    )
    hits = len(host_services.hits)
    box = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    try:
        score = score_project(
            project, sandbox=box, environment=environment, checks=["own_tests"]
        )
    finally:
        survivors = wait_until_gone(processes_with(marker))
        reap(marker)
    check = next(c for c in score.checks if c.name == "own_tests")
    # Five attacks fail; leaving a daemon "works" from inside but the daemon dies with the run.
    assert check.figures["failed"] == 5, check
    assert check.figures["passed"] == 1, check
    assert check.score == pytest.approx(1 / 6, abs=1e-3)
    recorded = score.model_dump_json()
    for secret in (decoy_process.key, "DECOY-SECRET", "HOST-SECRET"):
        assert secret not in recorded
    assert len(host_services.hits) == hits
    assert not outside.exists()
    assert survivors == []
    assert score.sandbox.startswith("bubblewrap")
