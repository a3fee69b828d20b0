"""The ``ruff`` and ``format`` checks, under the harness's pinned configuration.

Neither obeys a switch written in the code wider than one line
(:mod:`harness.scoring.suppressions`): ruff runs with ``--ignore-noqa`` and a finding is
dropped only when its own line names its code (``# noqa: S105``, ``# ruff: ignore[S105]``);
both read a copy where ``# isort: skip_file``, ``# isort: off``, ``# fmt: off`` and
``# yapf: disable`` are inert.
"""

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
from harness.scoring.results import CheckResult, Finding
from harness.scoring.suppressions import (
    JudgedCopy,
    judged_copy,
    noqa_codes,
    suppression_note,
)

RUFF = "/venv/bin/ruff"
#: Docstring and annotation rules are noisy on real projects: they count a quarter each.
_LIGHT_PREFIXES = ("D", "ANN")


def _no_python(name: str, watch: Stopwatch) -> CheckResult:
    return result(
        name, watch, status="error", score=0.0, reason="the project has no Python files"
    )


def _ruff_items(stdout: str) -> list[tuple[Finding, int | None]] | None:
    """Each finding of ruff's JSON with the line its exemption would sit on (``noqa_row``)."""
    try:
        raw: list[dict[str, Any]] = json.loads(stdout or "[]")
    except json.JSONDecodeError:
        return None
    return [
        (
            Finding(
                code=item.get("code") or "invalid-syntax",
                message=item.get("message", ""),
                path=str(item.get("filename", "")).removeprefix("/work/"),
                line=(item.get("location") or {}).get("row"),
            ),
            item.get("noqa_row"),
        )
        for item in raw
    ]


def parse_ruff_json(stdout: str) -> list[Finding] | None:
    """Findings from ``ruff check --output-format json``, or None if it printed no JSON.

    Paths are made relative to ``/work``; a syntax error has the code ``invalid-syntax``.
    """
    items = _ruff_items(stdout)
    return None if items is None else [finding for finding, _ in items]


def _line_exempt(judged: JudgedCopy, finding: Finding, row: int | None) -> bool:
    """Whether the finding's own line names its code (``# noqa: CODE``: honoured)."""
    lines = judged.comments.get(finding.path or "", {})
    return row is not None and finding.code in noqa_codes(lines.get(row, []))


def _refused(judged: JudgedCopy, figures: dict[str, int | float | str]) -> str | None:
    """Count the refused switches in ``figures``; the note for the check's reason."""
    if judged.switches:
        figures["suppressions_ignored"] = len(judged.switches)
    return suppression_note(judged.switches)


#: Output kept of ruff's JSON report (about 1 kB a finding).
RUFF_OUTPUT_BYTES = 64 * 2**20


def run_ruff(ctx: ScoringContext) -> CheckResult:
    """Lint with ruff under ``configs/ruff.toml``; the project's own ``[tool.ruff]`` is ignored.

    Only line-level exemptions that name their rule are obeyed (see the module docstring).
    """
    watch = Stopwatch()
    files = ctx.project.python_files
    if not files:
        return _no_python("ruff", watch)
    judged = judged_copy(ctx.pristine, files, "ruff", ctx.scratch / "judged-ruff")
    argv = [
        RUFF, "check", "--config", str(RUFF_CONFIG), "--no-cache", "--ignore-noqa",
        "--output-format", "json", "--exit-zero", "--", *files,
    ]  # fmt: skip
    # ruff's JSON takes about 1 kB per finding: a large real project (3,000 findings) passes
    # the default output cap, so ruff gets room for its report (the file count is capped).
    limits = ctx.limits.model_copy(
        update={"output_bytes": max(ctx.limits.output_bytes, RUFF_OUTPUT_BYTES)}
    )
    run = ctx.run(ctx.request(argv, workspace=judged.root, limits=limits))
    if stopped := sandbox_failure("ruff", watch, run, limits):
        return stopped
    items = _ruff_items(run.stdout)
    if items is None:
        return result(
            "ruff",
            watch,
            status="error",
            score=0.0,
            reason=f"ruff failed: {tail(run.stderr)}",
        )
    findings = [f for f, row in items if not _line_exempt(judged, f, row)]
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
    if honoured := len(items) - len(findings):
        figures["noqa_honoured"] = honoured
    if own := ctx.project.ignored_configs("ruff"):
        figures["project_config_ignored"] = ", ".join(own)
    if ctx.fit.python_mismatch:
        figures["target_version"] = ctx.fit.target_text
    note = _refused(judged, figures)
    return result(
        "ruff",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 / (1.0 + density / 20.0),
        figures=figures,
        findings=judged.findings() + findings,
        reason=note,
    )


def run_format(ctx: ScoringContext) -> CheckResult:
    """Count the Python files that ``ruff format --check`` would change (or cannot parse).

    ``# fmt: off`` and ``# yapf: disable`` regions are formatted like the rest.
    """
    watch = Stopwatch()
    files = ctx.project.python_files
    if not files:
        return _no_python("format", watch)
    judged = judged_copy(ctx.pristine, files, "format", ctx.scratch / "judged-format")
    argv = [
        RUFF, "format", "--check", "--config", str(RUFF_CONFIG), "--no-cache",
        "--output-format", "json", "--", *files,
    ]  # fmt: skip
    run = ctx.run(ctx.request(argv, workspace=judged.root))
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
    figures: dict[str, int | float | str] = {
        "files": len(files),
        "would_change": changed,
    }
    note = _refused(judged, figures)
    return result(
        "format",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 - changed / len(files),
        figures=figures,
        findings=judged.findings() + findings,
        reason=note,
    )
