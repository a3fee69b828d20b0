"""Compose the checks into a project's score."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

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
from harness.scoring.results import (
    CheckResult,
    EnvironmentSummary,
    ProjectScore,
    overall_score,
)
from harness.scoring.tamper import flag_tampering, tamper_findings
from harness.version import __version__

CheckFunction = Callable[[ScoringContext], CheckResult]


@dataclass(frozen=True)
class Check:
    """One check of a project, listed once in :data:`CHECKS`.

    Attributes:
        name: Its name in ``--checks``, scores and reports.
        run: Runs it on a scoring context.
        weight: Its default weight in the overall score.
        version: Bumped whenever the check could score a project differently (its
            configuration, formula or tool), so ``harness rescore`` can say what changed.
        formula: How its score is computed, in one line.
    """

    name: str
    run: CheckFunction
    weight: float
    version: str
    formula: str


#: Every check, in the order ``harness score`` runs them.
CHECKS: tuple[Check, ...] = (
    Check(
        "ruff",
        run_ruff,
        0.15,
        "3",
        "1 / (1 + d/20), d = findings per 1,000 lines (at least 100 lines assumed; "
        "D and ANN count a quarter)",
    ),
    Check(
        "format",
        run_format,
        0.05,
        "2",
        "the share of Python files ruff format leaves unchanged",
    ),
    Check(
        "mypy",
        run_mypy,
        0.15,
        "3",
        "1 / (1 + e/10), e = errors per 1,000 lines (at least 100 lines assumed)",
    ),
    Check(
        "own_tests",
        run_own_tests,
        0.15,
        "4",
        "pass rate (a test module that fails to import counts as one error; a skipped or "
        "xfailed test as not passed) x "
        "max(0.8, 1 - 0.05 x distinct deprecation warnings); 0 when none ran",
    ),
    Check(
        "acceptance",
        run_acceptance,
        0.45,
        "2",
        "the share of hidden acceptance tests that pass (0 if the app does not start)",
    ),
    Check(
        "dependencies",
        run_dependencies,
        0.05,
        "2",
        "the share of declared dependencies the evaluation environment satisfies",
    ),
    Check(
        "conformance",
        run_conformance,
        0.0,
        "2",
        "the share of the skill's machine-checkable rules kept (reported apart)",
    ),
)
_BY_NAME = {check.name: check for check in CHECKS}
#: Default weights of the overall score, by check.
DEFAULT_WEIGHTS: dict[str, float] = {check.name: check.weight for check in CHECKS}
#: Each check's version, by check.
CHECK_VERSIONS: dict[str, str] = {check.name: check.version for check in CHECKS}
#: Every check's version in one string: what a stored table of scores was scored by.
CHECKS_FINGERPRINT = ",".join(
    f"{name}={version}" for name, version in CHECK_VERSIONS.items()
)
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


def select_checks(names: Iterable[str] | None) -> list[str]:
    """Validate a selection of check names; None selects every registered check.

    Raises:
        UsageError: For an unknown name.
    """
    order = list(_BY_NAME)
    if names is None:
        return order
    chosen = list(dict.fromkeys(names))
    unknown = [name for name in chosen if name not in _BY_NAME]
    if unknown:
        msg = f"unknown check {', '.join(unknown)}: choose from {', '.join(order)}"
        raise UsageError(msg)
    return sorted(chosen, key=order.index)


def _guarded(check: Check, ctx: ScoringContext) -> CheckResult:
    """Run one check; a project file that would replace its tool scores it 0 (tampering)."""
    watch = Stopwatch()
    try:
        tampering = tamper_findings(check.name, ctx.project, ctx.environment)
        outcome = flag_tampering(check.run(ctx), tampering)
    except Exception as error:  # noqa: BLE001 - one broken check must not lose the others
        reason = (
            f"internal error in the {check.name} check: {type(error).__name__}: {error}"
        )
        logger.warning("%s", reason)
        outcome = result(check.name, watch, status="error", score=0.0, reason=reason)
    return outcome.model_copy(update={"version": check.version})


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
        checks: Which checks to run (default: all of :data:`CHECKS`).
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
            outcome = _guarded(_BY_NAME[name], ctx)
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


__all__ = [
    "CHECKS",
    "CHECKS_FINGERPRINT",
    "CHECK_VERSIONS",
    "DEFAULT_WEIGHTS",
    "Check",
    "CheckFunction",
    "score_project",
    "select_checks",
]
