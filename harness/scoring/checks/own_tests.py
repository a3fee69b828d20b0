"""The ``own_tests`` check: the project's own pytest suite, in the sandbox.

pytest runs with a harness-written ini file. Of the project's pytest configuration only the
options that tell pytest *how to find and run* its tests are kept (``asyncio_mode``,
``testpaths``, ``pythonpath``, ``markers``...); options that could hide failures
(``addopts``, ``filterwarnings``, ``-p`` plugins) are dropped and reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.project import read_bytes_safely
from harness.sandbox import OUT
from harness.scoring.checks.pytest_results import PytestSummary, read_report
from harness.scoring.context import (
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.models import CheckResult

#: pytest options a project may set for its own tests.
KEPT_OPTIONS = (
    "asyncio_mode",
    "asyncio_default_fixture_loop_scope",
    "asyncio_default_test_loop_scope",
    "testpaths",
    "pythonpath",
    "markers",
    "python_files",
    "python_classes",
    "python_functions",
    "norecursedirs",
    "anyio_mode",
)
PER_TEST_TIMEOUT_S = 60


def pytest_argv(report: str, *extra: str) -> list[str]:
    """The scorer's pytest command line (no cache, the report plugin on, a per-test timeout)."""
    return [
        "/venv/bin/python", "-m", "pytest", "-c", f"{OUT}/pytest.ini", "--rootdir", "/work",
        "-p", "no:cacheprovider", "-p", "scorer_pytest_report", "--scorer-report", report,
        "-q", "--color=no", *extra,
    ]  # fmt: skip


def _project_options(ctx: ScoringContext) -> dict[str, Any]:
    pyproject = ctx.project.pyproject or {}
    tool = pyproject.get("tool", {}) if isinstance(pyproject.get("tool"), dict) else {}
    pytest_table = (
        tool.get("pytest", {}) if isinstance(tool.get("pytest"), dict) else {}
    )
    options = (
        dict(pytest_table.get("ini_options", {}))
        if isinstance(pytest_table.get("ini_options"), dict)
        else {}
    )
    options.update({k: v for k, v in pytest_table.items() if k != "ini_options"})
    if not options and "pytest.ini" in ctx.project.files:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(
            (read_bytes_safely(ctx.project.root, "pytest.ini") or b"").decode(
                "utf-8", "replace"
            )
        )
        if parser.has_section("pytest"):
            options = dict(parser.items("pytest"))
    return options


def _ini_value(value: object) -> str | None:
    items = value if isinstance(value, list) else [value]
    words = [str(item) for item in items if isinstance(item, str | int | float | bool)]
    if len(words) != len(items) or any("\n" in word or "\r" in word for word in words):
        return None
    if isinstance(value, list):
        return "\n" + "\n".join(f"    {word}" for word in words)
    return f" {words[0]}"


def write_ini(folder: Path, options: dict[str, Any], *, timeout_s: float) -> list[str]:
    """Write ``pytest.ini`` with the kept options; return the names of the dropped ones."""
    lines = ["[pytest]", f"timeout = {timeout_s:g}", "console_output_style = classic"]
    dropped = []
    for key, value in sorted(options.items()):
        rendered = _ini_value(value) if key in KEPT_OPTIONS else None
        if rendered is None:
            dropped.append(key)
        else:
            lines.append(f"{key} ={rendered}")
    (folder / "pytest.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dropped


def score_summary(summary: PytestSummary) -> float:
    """Pass rate, lowered by 5% per distinct deprecation warning (at most 20%)."""
    penalty = max(0.8, 1.0 - 0.05 * len(summary.deprecations))
    return summary.pass_rate() * penalty


def run_own_tests(ctx: ScoringContext) -> CheckResult:
    """Run the project's own tests and score their pass rate."""
    watch = Stopwatch()
    if not ctx.project.python_files:
        return result(
            "own_tests",
            watch,
            status="error",
            score=0.0,
            reason="the project has no Python files",
        )
    workspace = ctx.fresh_workspace("own-tests")
    out = ctx.folder("out-own-tests")
    dropped = write_ini(out, _project_options(ctx), timeout_s=PER_TEST_TIMEOUT_S)
    request = ctx.request(
        pytest_argv(f"{OUT}/report.jsonl"),
        workspace=workspace,
        writable=True,
        out=out,
        env={
            "PYTHONPATH": f"/harness:{ctx.python_path()}",
            "DATABASE_URL": "sqlite+aiosqlite:////tmp/own-tests.db",
        },
    )
    run = ctx.run(request)
    summary = read_report(out / "report.jsonl")
    figures = summary.figures()
    if dropped:
        figures["project_options_ignored"] = ", ".join(dropped)
    findings = summary.findings()
    stopped = sandbox_failure(
        "own_tests",
        watch,
        run,
        ctx.limits,
        what="the project's tests",
        where=summary.started_unfinished,
        figures=figures,
        findings=findings,
    )
    if stopped is not None:
        return stopped
    reason = None
    if summary.exit_status is None:
        reason = f"pytest did not run: {tail(run.stderr or run.stdout, 2)}"
    elif summary.collection_errors:
        reason = f"{len(summary.collection_errors)} test module(s) failed to import"
    elif summary.executed == 0:
        reason = "the project has no tests"
    if reason is not None:
        return result(
            "own_tests",
            watch,
            status="fail",
            score=0.0,
            figures=figures,
            findings=findings,
            reason=reason,
        )
    clean = (
        summary.count("failed") == 0
        and summary.count("error") == 0
        and not summary.deprecations
    )
    return result(
        "own_tests",
        watch,
        status="pass" if clean else "fail",
        score=score_summary(summary),
        figures=figures,
        findings=findings,
        reason=None
        if clean
        else f"{summary.count('passed')}/{summary.executed} tests passed",
    )
