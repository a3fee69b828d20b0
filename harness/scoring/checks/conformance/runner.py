"""Run every registered rule on a project and score the share of applicable rules kept."""

from __future__ import annotations

from harness.project import read_bytes_safely
from harness.scoring.checks.conformance import rules as _rules
from harness.scoring.checks.conformance.index import build_index
from harness.scoring.checks.conformance.registry import RULES
from harness.scoring.context import ScoringContext, Stopwatch, result
from harness.scoring.results import CheckResult, Finding

NAME = "conformance"
#: The theme modules, imported for the rules they register.
RULE_THEMES = _rules.THEMES


def run_conformance(ctx: ScoringContext) -> CheckResult:
    """Check the skill's rules on the project's files (read on the host, never run)."""
    watch = Stopwatch()
    project = ctx.project
    if not project.python_files:
        return result(
            NAME,
            watch,
            status="error",
            score=0.0,
            reason="the project has no Python files",
        )
    index = build_index(project.files, lambda rel: read_bytes_safely(project.root, rel))
    figures: dict[str, int | float | str] = {}
    findings: list[Finding] = []
    applicable = passed = 0
    for name, rule in RULES.items():
        outcome = rule(index)
        if not outcome.applicable:
            figures[f"rule:{name}"] = "n/a"
            continue
        applicable += 1
        if outcome.findings:
            figures[f"rule:{name}"] = f"fail ({len(outcome.findings)})"
            findings += outcome.findings
        else:
            figures[f"rule:{name}"] = "pass"
            passed += 1
    figures |= {"applicable": applicable, "passed": passed}
    if applicable == 0:
        return result(
            NAME,
            watch,
            status="skipped",
            score=0.0,
            figures=figures,
            reason="none of the skill's rules applies to this project",
        )
    return result(
        NAME,
        watch,
        status="pass" if passed == applicable else "fail",
        score=passed / applicable,
        figures=figures,
        findings=findings,
    )
