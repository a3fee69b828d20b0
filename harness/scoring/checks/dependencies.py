"""The ``dependencies`` check: declared dependencies against the evaluation environment.

Nothing is ever installed: a dependency the environment does not hold, or holds at a version
outside the declared range, is a finding. Read from ``[project] dependencies``,
``[project.optional-dependencies]``, ``[dependency-groups]`` and ``[tool.uv] dev-dependencies``.
"""

from __future__ import annotations

from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from harness.scoring.context import ScoringContext, Stopwatch, result
from harness.scoring.models import CheckResult, Finding


def declared_requirements(pyproject: dict[str, Any]) -> list[str]:
    """Every requirement string a pyproject declares, in file order, without duplicates."""
    found: list[str] = []
    project = (
        pyproject.get("project", {})
        if isinstance(pyproject.get("project"), dict)
        else {}
    )
    found += [r for r in project.get("dependencies", []) if isinstance(r, str)]
    optional = project.get("optional-dependencies", {})
    if isinstance(optional, dict):
        for group in optional.values():
            found += (
                [r for r in group if isinstance(r, str)]
                if isinstance(group, list)
                else []
            )
    groups = pyproject.get("dependency-groups", {})
    if isinstance(groups, dict):
        for group in groups.values():
            found += (
                [r for r in group if isinstance(r, str)]
                if isinstance(group, list)
                else []
            )
    uv = (
        pyproject.get("tool", {}).get("uv", {})
        if isinstance(pyproject.get("tool"), dict)
        else {}
    )
    if isinstance(uv, dict):
        found += [r for r in uv.get("dev-dependencies", []) if isinstance(r, str)]
    return list(dict.fromkeys(found))


def _check(requirement: str, installed: dict[str, str]) -> Finding | None:
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement as error:
        return Finding(
            code="invalid-requirement",
            message=f"{requirement!r}: {error}",
            path="pyproject.toml",
        )
    if parsed.marker is not None and not parsed.marker.evaluate({"extra": ""}):
        return None
    name = str(canonicalize_name(parsed.name))
    version = installed.get(name)
    if version is None:
        return Finding(
            code="not-in-environment",
            message=f"{parsed.name} is not in the evaluation environment "
            "(nothing is installed at scoring time)",
            path="pyproject.toml",
        )
    try:
        if parsed.specifier and not parsed.specifier.contains(
            Version(version), prereleases=True
        ):
            return Finding(
                code="version-conflict",
                message=f"{parsed.name}{parsed.specifier} declared, the environment has {version}",
                path="pyproject.toml",
            )
    except InvalidVersion:
        return None
    return None


def run_dependencies(ctx: ScoringContext) -> CheckResult:
    """Compare the declared dependencies with what the environment holds."""
    watch = Stopwatch()
    if ctx.project.pyproject is None:
        return result(
            "dependencies",
            watch,
            status="fail",
            score=0.0,
            reason=ctx.project.pyproject_error,
        )
    requirements = declared_requirements(ctx.project.pyproject)
    installed = ctx.environment.packages()
    findings = [
        f for f in (_check(r, installed) for r in requirements) if f is not None
    ]
    if not requirements:
        findings.append(
            Finding(
                code="no-dependencies",
                message="pyproject.toml declares no dependencies",
                path="pyproject.toml",
                severity="warning",
            )
        )
    bad = sum(1 for f in findings if f.severity == "error")
    return result(
        "dependencies",
        watch,
        status="pass" if bad == 0 else "fail",
        score=1.0 - bad / len(requirements) if requirements else 1.0,
        figures={"declared": len(requirements), "outside_environment": bad},
        findings=findings,
    )
