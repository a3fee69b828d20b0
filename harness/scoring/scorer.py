"""Compose the checks into a project's score."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from harness import __version__
from harness.environment import EvaluationEnvironment
from harness.errors import UsageError
from harness.project import load_project
from harness.sandbox import Sandbox, SandboxLimits
from harness.scoring.checks.acceptance import run_acceptance
from harness.scoring.checks.conformance import run_conformance
from harness.scoring.checks.dependencies import run_dependencies
from harness.scoring.checks.lint import run_format, run_ruff
from harness.scoring.checks.own_tests import run_own_tests
from harness.scoring.checks.typecheck import run_mypy
from harness.scoring.context import AcceptanceSpec, ScoringContext, Stopwatch, result
from harness.scoring.models import (
    CHECK_NAMES,
    DEFAULT_WEIGHTS,
    CheckResult,
    EnvironmentSummary,
    ProjectScore,
    overall_score,
)
from harness.scoring.tamper import flag_tampering, tamper_findings

CheckFunction = Callable[[ScoringContext], CheckResult]

#: The checks ``harness score`` runs by default, in order.
CHECKS: dict[str, CheckFunction] = {
    "ruff": run_ruff,
    "format": run_format,
    "mypy": run_mypy,
    "own_tests": run_own_tests,
    "acceptance": run_acceptance,
    "dependencies": run_dependencies,
    "conformance": run_conformance,
}
#: Tools whose versions are recorded with every score.
RECORDED_TOOLS = (
    "ruff",
    "mypy",
    "pytest",
    "fastapi",
    "pydantic",
    "sqlalchemy",
    "starlette",
    "uvicorn",
    "httpx",
)

logger = logging.getLogger(__name__)


def register_check(name: str, function: CheckFunction) -> None:
    """Add a check (``conformance`` registers itself this way).

    Args:
        name: The check's name, as used in ``--checks`` and reports.
        function: Runs the check on a context.
    """
    CHECKS[name] = function


def select_checks(names: Iterable[str] | None) -> list[str]:
    """Validate a selection of check names; None selects every registered check.

    Raises:
        UsageError: For an unknown name.
    """
    if names is None:
        return list(CHECKS)
    chosen = list(dict.fromkeys(names))
    unknown = [name for name in chosen if name not in CHECKS]
    if unknown:
        msg = f"unknown check {', '.join(unknown)}: choose from {', '.join(CHECKS)}"
        raise UsageError(msg)
    return sorted(chosen, key=lambda name: list(CHECKS).index(name))


def _guarded(name: str, function: CheckFunction, ctx: ScoringContext) -> CheckResult:
    """Run one check; a project file that would replace its tool scores it 0 (tampering)."""
    watch = Stopwatch()
    try:
        tampering = tamper_findings(name, ctx.project, ctx.environment)
        return flag_tampering(function(ctx), tampering)
    except Exception as error:  # noqa: BLE001 - one broken check must not lose the others
        reason = f"internal error in the {name} check: {type(error).__name__}: {error}"
        logger.warning("%s", reason)
        return result(name, watch, status="error", score=0.0, reason=reason)


def score_project(
    path: Path,
    *,
    sandbox: Sandbox,
    environment: EvaluationEnvironment,
    acceptance: AcceptanceSpec | None = None,
    checks: Iterable[str] | None = None,
    weights: dict[str, float] | None = None,
    limits: SandboxLimits | None = None,
    on_check: Callable[[CheckResult], None] | None = None,
) -> ProjectScore:
    """Score one project folder.

    Args:
        path: The project.
        sandbox: Where its code runs.
        environment: The evaluation environment (built).
        acceptance: Hidden tests to run against the app, if any.
        checks: Which checks to run (default: all registered).
        weights: Weights for ``overall`` (default: ``DEFAULT_WEIGHTS``).
        limits: Limits for each sandboxed command.
        on_check: Called with each result as soon as it is ready (progress display).

    Returns:
        The project's score.

    Raises:
        UsageError: When the folder is unusable (missing, a file, too large).
    """
    project = load_project(path)
    chosen = select_checks(checks)
    ctx = ScoringContext(
        project=project,
        sandbox=sandbox,
        environment=environment,
        limits=limits or SandboxLimits(),
        acceptance=acceptance,
    )
    results: list[CheckResult] = []
    try:
        for name in chosen:
            outcome = _guarded(name, CHECKS[name], ctx)
            results.append(outcome)
            if on_check is not None:
                on_check(outcome)
    finally:
        ctx.close()
    used_weights = {
        name: (weights or DEFAULT_WEIGHTS).get(name, 0.0) for name in chosen
    }
    packages = environment.packages()
    return ProjectScore(
        harness_version=__version__,
        project=project.name,
        project_hash=project.content_hash(),
        entrypoint=f"{project.entrypoint} ({project.entrypoint_source})"
        if project.entrypoint
        else None,
        layout=project.layout,
        sandbox=sandbox.describe(),
        environment=EnvironmentSummary(
            lock_hash=environment.lock_hash,
            python=environment.python_version(),
            tools={tool: packages[tool] for tool in RECORDED_TOOLS if tool in packages},
        ),
        weights=used_weights,
        overall=overall_score(results, used_weights),
        checks=results,
    )


__all__ = ["CHECKS", "CHECK_NAMES", "register_check", "score_project", "select_checks"]
