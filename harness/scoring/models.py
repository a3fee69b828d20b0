"""The scorer's file formats: a check's result and a project's score (versioned pydantic models).

Each check's ``score`` is in [0, 1] (1.0 means nothing to fix); its formula, default weight
and version are listed once, with the check, in :data:`harness.scoring.scorer.CHECKS`.

The ``overall`` score is the weighted mean of the checks that ran (``skipped`` ones, and
those whose cause another check charges, are left out and the weights renormalised);
``error`` and ``timeout`` count as 0.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.project.layout import ProjectLayout

#: Version of the JSON written by ``harness score --json``; bump on any incompatible change.
SCHEMA_VERSION: Literal[1] = 1
#: Version of the scoring rules (configs, formulas, weights); bump when a score could change.
SCORER_VERSION = "2"  # 2: own tests go on past a module that cannot import (G2)

CheckStatus = Literal["pass", "fail", "error", "timeout", "skipped"]
Severity = Literal["error", "warning", "info"]


class Finding(BaseModel):
    """One thing a check found: a lint rule broken, a type error, a failing test...

    Attributes:
        code: The rule or error code (``F401``, ``arg-type``, ``failed``, ``deprecation``...).
        message: What is wrong, in the tool's words.
        path: The file, relative to the project root, if the finding has one.
        line: The 1-based line, if known.
        severity: How much it matters.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    message: str
    path: str | None = None
    line: int | None = None
    severity: Severity = "error"


class CheckResult(BaseModel):
    """The outcome of one check on one project.

    Attributes:
        name: The check (``ruff``, ``mypy``, ``acceptance``...).
        status: ``pass`` (nothing found), ``fail`` (findings), ``error`` (the check could not
            judge the project, e.g. a syntax error), ``timeout``, or ``skipped``.
        score: In [0, 1]; each check's formula is listed with it in
            :data:`harness.scoring.scorer.CHECKS`.
        duration_s: Wall time of the check.
        figures: Key numbers (counts by code, tests passed...).
        findings: The raw findings, sorted; at most ``MAX_FINDINGS`` kept.
        findings_omitted: How many findings were left out of ``findings``.
        reason: Why the check failed or could not run, in one line.
        charged_to: When the check could not judge the project for a cause that another
            check charges (a package missing from the environment: ``dependencies``),
            that check's name; such a result is left out of ``overall``.
        version: The check's version when it ran (None in scores older than versions).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    status: CheckStatus
    score: float = Field(ge=0.0, le=1.0)
    duration_s: float = Field(ge=0.0)
    figures: dict[str, int | float | str] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    findings_omitted: int = 0
    reason: str | None = None
    charged_to: str | None = None
    version: str | None = None


class EnvironmentSummary(BaseModel):
    """Which evaluation environment scored the project.

    Attributes:
        lock_hash: Hash of the environment's ``uv.lock``.
        python: Interpreter version.
        tools: Versions of the tools that matter to scores (ruff, mypy, pytest...).
    """

    model_config = ConfigDict(extra="forbid")

    lock_hash: str
    python: str
    tools: dict[str, str]


class ProjectScore(BaseModel):
    """The score of one project: every check, and the weighted overall.

    Attributes:
        schema_version: Version of this format.
        scorer_version: Version of the scoring rules.
        harness_version: Version of the harness that produced it.
        project: The project's name (its folder's name).
        project_hash: SHA-256 over the scored files (paths and contents), first 16 digits.
        entrypoint: The app's ``module:attr`` and how it was found.
        layout: Where the code lives and how it is imported (decided once, used by
            every check, the entry point, ``PYTHONPATH`` and mypy's module names).
        sandbox: The sandbox backend that ran the project's code.
        environment: The evaluation environment.
        weights: The weight of each check in ``overall``.
        overall: Weighted mean of the checks that ran.
        checks: One result per check.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    scorer_version: str = SCORER_VERSION
    harness_version: str
    project: str
    project_hash: str
    entrypoint: str | None
    layout: ProjectLayout | None = None
    sandbox: str
    environment: EnvironmentSummary
    weights: dict[str, float]
    overall: float = Field(ge=0.0, le=1.0)
    checks: list[CheckResult]

    def check(self, name: str) -> CheckResult:
        """The result of the check called ``name``.

        Raises:
            KeyError: When no such check ran.
        """
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(name)


def overall_score(checks: list[CheckResult], weights: dict[str, float]) -> float:
    """Combine check scores into one number (skipped checks excluded, weights renormalised).

    Args:
        checks: The results.
        weights: Weight by check name; a check without a weight counts 0.

    Returns:
        The weighted mean in [0, 1], or 0.0 when no weighted check ran.
    """
    counted = [
        (weights.get(c.name, 0.0), c.score)
        for c in checks
        if c.status != "skipped" and c.charged_to is None
    ]
    total = sum(weight for weight, _ in counted)
    if total <= 0:
        return 0.0
    return round(sum(weight * score for weight, score in counted) / total, 4)
