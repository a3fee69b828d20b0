"""The ``ruff`` and ``format`` checks, under the harness's pinned configuration."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from harness.scoring.context import (
    RUFF_CONFIG,
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.models import CheckResult, Finding

RUFF = "/venv/bin/ruff"
#: Docstring and annotation rules are noisy on real projects: they count a quarter each.
_LIGHT_PREFIXES = ("D", "ANN")


def _no_python(name: str, watch: Stopwatch) -> CheckResult:
    return result(
        name, watch, status="error", score=0.0, reason="the project has no Python files"
    )


def parse_ruff_json(stdout: str) -> list[Finding] | None:
    """Findings from ``ruff check --output-format json``, or None if it printed no JSON.

    Paths are made relative to ``/work``; a syntax error has the code ``invalid-syntax``.
    """
    try:
        raw: list[dict[str, Any]] = json.loads(stdout or "[]")
    except json.JSONDecodeError:
        return None
    return [
        Finding(
            code=item.get("code") or "invalid-syntax",
            message=item.get("message", ""),
            path=str(item.get("filename", "")).removeprefix("/work/"),
            line=(item.get("location") or {}).get("row"),
        )
        for item in raw
    ]


#: Output kept of ruff's JSON report (about 1 kB a finding).
RUFF_OUTPUT_BYTES = 64 * 2**20


def run_ruff(ctx: ScoringContext) -> CheckResult:
    """Lint with ruff under ``configs/ruff.toml``; the project's own ``[tool.ruff]`` is ignored."""
    watch = Stopwatch()
    files = ctx.project.python_files
    if not files:
        return _no_python("ruff", watch)
    argv = [
        RUFF, "check", "--config", str(RUFF_CONFIG), "--no-cache",
        "--output-format", "json", "--exit-zero", "--", *files,
    ]  # fmt: skip
    # ruff's JSON takes about 1 kB per finding: a large real project (3,000 findings) passes
    # the default output cap, so ruff gets room for its report (the file count is capped).
    limits = ctx.limits.model_copy(
        update={"output_bytes": max(ctx.limits.output_bytes, RUFF_OUTPUT_BYTES)}
    )
    run = ctx.run(ctx.request(argv, limits=limits))
    if stopped := sandbox_failure("ruff", watch, run, limits):
        return stopped
    findings = parse_ruff_json(run.stdout)
    if findings is None:
        return result(
            "ruff",
            watch,
            status="error",
            score=0.0,
            reason=f"ruff failed: {tail(run.stderr)}",
        )
    by_code = Counter(f.code for f in findings)
    weighted = sum(
        0.25 if f.code.startswith(_LIGHT_PREFIXES) else 1.0 for f in findings
    )
    density = weighted / ctx.project.kloc
    figures: dict[str, int | float | str] = {
        "findings": len(findings),
        "per_kloc": round(len(findings) / ctx.project.kloc, 2),
        "lines": ctx.project.python_lines,
        **{f"code:{code}": count for code, count in by_code.items()},
    }
    if own := ctx.project.ignored_configs("ruff"):
        figures["project_config_ignored"] = ", ".join(own)
    if ctx.fit.python_mismatch:
        figures["target_version"] = ctx.fit.target_text
    return result(
        "ruff",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 / (1.0 + density / 20.0),
        figures=figures,
        findings=findings,
    )


def run_format(ctx: ScoringContext) -> CheckResult:
    """Count the Python files that ``ruff format --check`` would change (or cannot parse)."""
    watch = Stopwatch()
    files = ctx.project.python_files
    if not files:
        return _no_python("format", watch)
    argv = [
        RUFF, "format", "--check", "--config", str(RUFF_CONFIG), "--no-cache",
        "--output-format", "json", "--", *files,
    ]  # fmt: skip
    run = ctx.run(ctx.request(argv))
    if stopped := sandbox_failure("format", watch, run, ctx.limits):
        return stopped
    try:
        raw: list[dict[str, Any]] = json.loads(run.stdout or "[]")
    except json.JSONDecodeError:
        reason = f"ruff format failed: {tail(run.stderr)}"
        return result("format", watch, status="error", score=0.0, reason=reason)
    findings = [
        Finding(
            code="would-reformat"
            if item.get("code") == "unformatted"
            else "invalid-syntax",
            message=item.get("message", ""),
            path=item.get("filename", "").removeprefix("/work/"),
            line=None
            if item.get("code") == "unformatted"
            else (item.get("location") or {}).get("row"),
        )
        for item in raw
    ]
    changed = len({f.path for f in findings})
    return result(
        "format",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 - changed / len(files),
        figures={"files": len(files), "would_change": changed},
        findings=findings,
    )
