"""The ``dependencies`` check: declared dependencies against the evaluation environment.

Nothing is ever installed: a dependency the environment does not hold, holds at a version
outside the declared range, or holds without a requested extra's packages is a finding; so
is an import that no declared dependency, the environment or the project provides. This is
the one check that charges a missing package: mypy and the project's tests are told about
it instead of failing on it again. Formats read: :mod:`harness.project.requirements`.
A ``requires-python`` that excludes the environment's interpreter is reported here, once,
and not charged.
"""

from __future__ import annotations

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from harness.project import DeclaredRequirement
from harness.scoring.context import ScoringContext, Stopwatch, result
from harness.scoring.declared import extra_requirements, marker_environment
from harness.scoring.models import CheckResult, Finding


def _satisfies(version: str, alternatives: tuple[str, ...]) -> bool:
    if not alternatives:
        return True
    try:
        parsed = Version(version)
    except InvalidVersion:
        return True
    return any(
        SpecifierSet(alt).contains(parsed, prereleases=True) for alt in alternatives
    )


def _extra_problems(
    ctx: ScoringContext, requirement: DeclaredRequirement, installed: dict[str, str]
) -> list[str]:
    """What each requested extra needs and the environment lacks."""
    if not requirement.extras or ctx.environment.distribution(requirement.name) is None:
        return []
    problems: list[str] = []
    for extra in requirement.extras:
        needs = extra_requirements(
            ctx.environment, requirement.name, extra, ctx.fit.environment_python
        )
        if needs is None:
            problems.append(f"{requirement.name} has no extra {extra!r}")
            continue
        for needed in needs:
            have = installed.get(str(canonicalize_name(needed.name)))
            spec = (str(needed.specifier),) if needed.specifier else ()
            if have is None or not _satisfies(have, spec):
                got = f"has {have}" if have else "does not hold it"
                problems.append(
                    f"{requirement.name}[{extra}] needs {needed.name}{needed.specifier}; "
                    f"the environment {got}"
                )
    return problems


def _check(
    ctx: ScoringContext, requirement: DeclaredRequirement, installed: dict[str, str]
) -> Finding | None:
    where = requirement.source.split(" ")[0]
    if requirement.error is not None:
        return Finding(
            code="invalid-requirement",
            message=f"{requirement.text!r} ({requirement.source}): {requirement.error}",
            path=where,
        )
    version = installed.get(str(canonicalize_name(requirement.name)))
    if version is None:
        return Finding(
            code="not-in-environment",
            message=f"{requirement.name} ({requirement.source}) is not in the evaluation "
            "environment (nothing is installed at scoring time)",
            path=where,
        )
    if not _satisfies(version, requirement.alternatives):
        declared = " || ".join(requirement.alternatives)
        return Finding(
            code="version-conflict",
            message=f"{requirement.name} {declared} declared ({requirement.source}), "
            f"the environment has {version}",
            path=where,
        )
    if problems := _extra_problems(ctx, requirement, installed):
        code = (
            "unknown-extra"
            if all("has no extra" in p for p in problems)
            else "extra-missing"
        )
        return Finding(
            code=code,
            message="; ".join(problems),
            path=where,
            severity="warning" if code == "unknown-extra" else "error",
        )
    return None


def _applies(ctx: ScoringContext, requirement: DeclaredRequirement) -> bool:
    if requirement.marker is None:
        return True
    try:
        return Marker(requirement.marker).evaluate(
            marker_environment(ctx.fit.environment_python)
        )
    except ValueError:
        return True


def run_dependencies(ctx: ScoringContext) -> CheckResult:
    """Compare the declared dependencies and the imports with what the environment holds."""
    watch = Stopwatch()
    project = ctx.project
    declared = [r for r in project.requirements if _applies(ctx, r)]
    if project.pyproject is None and not declared:
        return result(
            "dependencies",
            watch,
            status="fail",
            score=0.0,
            reason=project.pyproject_error,
        )
    installed = ctx.environment.packages()
    findings = [
        f for f in (_check(ctx, r, installed) for r in declared) if f is not None
    ]
    undeclared = [
        module
        for module in ctx.fit.missing_modules
        if module not in project.optional_imports
        and not ctx.fit.declared.provides(module)
    ]
    findings += [
        Finding(
            code="undeclared-import",
            message=f"{module} is imported ({', '.join(project.imports[module][:3])}) but "
            "no declared dependency, the environment or the project provides it",
            path=project.imports[module][0],
        )
        for module in undeclared
    ]
    if not declared:
        findings.append(
            Finding(
                code="no-dependencies",
                message="the project declares no dependencies",
                path="pyproject.toml",
                severity="warning",
            )
        )
    findings += [
        Finding(
            code="requires-python",
            message=message,
            path="pyproject.toml",
            severity="warning",
        )
        for message in (ctx.fit.python_note, ctx.fit.python_mismatch)
        if message
    ]
    bad = sum(1 for f in findings if f.severity == "error")
    counted = len(declared) + len(undeclared)
    sources = sorted({r.source for r in declared})
    figures: dict[str, int | float | str] = {
        "declared": len(declared),
        "outside_environment": bad,
    }
    if sources:
        figures["sources"] = ", ".join(sources)
    if ctx.fit.missing_modules:
        figures["missing_modules"] = ", ".join(ctx.fit.missing_modules)
    if ctx.fit.python_mismatch:
        figures["requires-python"] = (
            f"{ctx.fit.requires_python} (environment {ctx.fit.environment_python})"
        )
    return result(
        "dependencies",
        watch,
        status="pass" if bad == 0 else "fail",
        score=1.0 - bad / counted if counted else 1.0,
        figures=figures,
        findings=findings,
    )


__all__ = ["run_dependencies"]
