"""Fixtures for scoring real projects in the real sandbox."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.environment import EvaluationEnvironment
from harness.sandbox import Sandbox, SandboxLimits
from harness.scoring.context import AcceptanceSpec
from harness.scoring.results import ProjectScore
from harness.scoring.scorer import score_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINI = FIXTURES / "mini"

Scorer = Callable[..., ProjectScore]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the clean mini project, for a test to break in one way."""
    target = tmp_path / "mini"
    shutil.copytree(MINI / "project", target)
    return target


@pytest.fixture
def score(sandbox: Sandbox, environment: EvaluationEnvironment) -> Scorer:
    """Score a project, with the mini acceptance tests unless told otherwise."""

    def run(
        path: Path,
        *,
        checks: list[str] | None = None,
        acceptance: Path | AcceptanceSpec | None = MINI / "acceptance",
        limits: SandboxLimits | None = None,
    ) -> ProjectScore:
        spec = (
            AcceptanceSpec(tests_dir=acceptance)
            if isinstance(acceptance, Path)
            else acceptance
        )
        return score_project(
            path,
            sandbox=sandbox,
            environment=environment,
            acceptance=spec,
            checks=checks,
            limits=limits,
        )

    return run
