"""The ``own_tests`` check: the project's own pytest suite, in the sandbox.

pytest runs with a harness-written ini file. Of the project's pytest configuration (read
from the file pytest itself would read) only the options that tell pytest *how to find and
run* its tests are kept (``asyncio_mode``, ``testpaths``, ``pythonpath``, ``markers``...);
options that could hide failures (``addopts``, ``filterwarnings``, ``-p`` plugins) are
dropped and reported.

The project's ``conftest.py`` files are trusted: they run in pytest's process and could fake
results. The report says so next to the figures; results are collected by the harness's
plugin, registered before any conftest, which counts a test that raised but was reported
passed as failed and flags every conftest implementing a reporting hook.

A test module that cannot import a package missing from the environment (an import the code
makes, or a declared distribution the environment lacks, which a library may load by name:
``mysql+aiomysql://``) is reported with that cause, not counted: the ``dependencies`` check
charges the package, once. pytest goes on past a module that fails to import
(``--continue-on-collection-errors``), so the other tests still run and count.

A skipped or xfailed test did not pass: it counts as not passed (a skip marker must not hide
a failure) and is reported (``suppression:test-skipped``, ``suppression:test-xfailed``),
unless its skip names a package the project needs and the environment lacks (charged by
``dependencies``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from harness.project import read_bytes_safely
from harness.sandbox import HELPERS, OUT, TOOL_PYTHON
from harness.scoring.checks.pytest_results import PytestSummary, read_report
from harness.scoring.checks.skipped_tests import skipped_tests
from harness.scoring.context import (
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.results import CheckResult, Finding
from harness.scoring.suppressions import SUPPRESSION
from harness.scoring.tamper import pytest_pythonpath

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
    """The scorer's pytest command line (no cache, the report plugin on, a per-test timeout).

    ``-P``: the working directory (``/work``) is not on ``sys.path``; only ``/harness`` is
    on ``PYTHONPATH``, and the harness's plugin is loaded (``-p``) before any conftest.
    """
    return [
        *TOOL_PYTHON, "-m", "pytest", "-c", f"{OUT}/pytest.ini", "--rootdir", "/work",
        "-p", "no:cacheprovider", "-p", "scorer_pytest_report", "--scorer-report", report,
        "-q", "--color=no", *extra,
    ]  # fmt: skip


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
    """Pass rate, lowered by 5% per distinct deprecation warning (at most 20%).

    A test module that failed to import counts as one error, as pytest counts it
    (``2 passed, 1 error``), beside the tests that ran; a skipped or xfailed test counts
    as not passed.
    """
    penalty = max(0.8, 1.0 - 0.05 * len(summary.deprecations))
    ran = summary.executed + summary.disabled + len(summary.collection_errors)
    return (summary.count("passed") / ran if ran else 0.0) * penalty


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
    # The import roots (the project's own ini ``pythonpath`` too) reach sys.path through the
    # harness's plugin, once pytest's plugins are loaded and before the first conftest.
    options = ctx.project.pytest_options()
    options.pop("pythonpath", None)
    dropped = write_ini(out, options, timeout_s=PER_TEST_TIMEOUT_S)
    roots = [f"--scorer-pythonpath={path}" for path in pytest_pythonpath(ctx.project)]
    request = ctx.request(
        # One test folder that cannot import stops no other: the rest run and count.
        pytest_argv(f"{OUT}/report.jsonl", *roots, "--continue-on-collection-errors"),
        workspace=workspace,
        writable=True,
        out=out,
        env={
            "PYTHONPATH": str(HELPERS),
            "DATABASE_URL": "sqlite+aiosqlite:////tmp/own-tests.db",
        },
    )
    run = ctx.run(request)
    summary = read_report(out / "report.jsonl")
    _count_skipped_modules(summary, ctx)
    unavailable = set(ctx.fit.unavailable_modules)
    blocked = _set_aside(summary, unavailable)
    figures = summary.figures()
    if dropped:
        figures["project_options_ignored"] = ", ".join(dropped)
    if conftests := [f for f in ctx.project.files if f.endswith("conftest.py")]:
        figures["conftest"] = "trusted: " + ", ".join(conftests)
    if summary.overridden:
        figures["overridden"] = len(summary.overridden)
    if blocked:
        figures["not_importable"] = len(blocked)
    findings = (
        summary.findings()
        + _trust_findings(summary, blocked)
        + _disabled_findings(summary)
    )
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
    said = f"{run.stdout}\n{run.stderr}"
    cause = _missing_cause(said, unavailable)
    if (summary.exit_status is None and cause) or (
        blocked
        and summary.executed + summary.disabled == 0
        and not summary.collection_errors
    ):
        modules = ", ".join(sorted({cause or "", *blocked.values()} - {""}))
        return result(
            "own_tests",
            watch,
            status="error",
            score=0.0,
            figures=figures,
            findings=findings,
            reason=f"the tests could not import {modules}, missing from the "
            "environment (charged once, by dependencies)",
        ).model_copy(update={"charged_to": "dependencies"})
    reason = None
    if summary.exit_status is None:
        reason = f"pytest did not run: {tail(run.stderr or run.stdout, 2)}"
    elif summary.executed + summary.disabled == 0 and summary.collection_errors:
        reason = f"{len(summary.collection_errors)} test module(s) failed to import"
    elif summary.executed + summary.disabled == 0:
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
    broken = len(summary.collection_errors)
    clean = (
        summary.count("failed") == 0
        and summary.count("error") == 0
        and summary.disabled == 0
        and not broken
        and not summary.deprecations
    )
    note = (
        f"; {len(blocked)} not counted: they import "
        f"{', '.join(sorted(set(blocked.values())))}, missing from the environment"
        if blocked
        else ""
    )
    if broken:
        note = f"; {broken} test module(s) failed to import, each an error{note}"
    return result(
        "own_tests",
        watch,
        status="pass" if clean else "fail",
        score=score_summary(summary),
        figures=figures,
        findings=findings,
        reason=(
            None
            if clean and not blocked
            else f"{summary.count('passed')}/{summary.executed + summary.disabled + broken} "
            f"tests passed{_disabled_note(summary)}{note}"
        ),
    )


_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


def _missing_cause(message: str, missing: set[str]) -> str | None:
    """The missing package a failure message names, if it names one."""
    for match in _NO_MODULE.finditer(message):
        top = match.group(1).split(".")[0]
        if top in missing or top.lower() in missing:
            return top
    return None


def _set_aside(summary: PytestSummary, missing: set[str]) -> dict[str, str]:
    """Take out of the counts what failed only for a missing package; return it by id."""
    blocked: dict[str, str] = {}
    if not missing:
        return blocked
    kept = []
    for module, message in summary.collection_errors:
        if cause := _missing_cause(message, missing):
            blocked[module] = cause
        else:
            kept.append((module, message))
    summary.collection_errors = kept
    for nodeid, outcome in list(summary.outcomes.items()):
        cause = _missing_cause(summary.messages.get(nodeid, ""), missing)
        if outcome in {"failed", "error", "skipped"} and cause:
            blocked[nodeid] = cause
            del summary.outcomes[nodeid]
    return blocked


def _count_skipped_modules(summary: PytestSummary, ctx: ScoringContext) -> None:
    """Count the tests of each module (or folder) pytest skipped whole, as skipped."""
    read = functools.partial(read_bytes_safely, ctx.pristine)
    for where, reason in summary.skipped_modules:
        for nodeid in skipped_tests(where, ctx.project.files, read):
            summary.outcomes.setdefault(nodeid, "skipped")
            summary.messages.setdefault(nodeid, reason)


def _disabled_note(summary: PytestSummary) -> str:
    """The reason's words for skipped and xfailed tests, if any."""
    if not summary.disabled:
        return ""
    return f" ({summary.disabled} skipped or xfailed, counted as not passed)"


def _disabled_findings(summary: PytestSummary) -> list[Finding]:
    """A ``suppression:test-<outcome>`` warning per skipped or xfailed test."""
    return [
        Finding(
            code=f"{SUPPRESSION}test-{outcome}",
            message="counted as not passed: "
            + summary.messages.get(nodeid, outcome).splitlines()[0],
            path=nodeid,
            severity="warning",
        )
        for nodeid, outcome in summary.outcomes.items()
        if outcome in {"skipped", "xfailed"}
    ]


def _trust_findings(summary: PytestSummary, blocked: dict[str, str]) -> list[Finding]:
    found = [
        Finding(
            code="missing-package",
            message=f"could not import {module}, missing from the evaluation environment",
            path=where,
        )
        for where, module in sorted(blocked.items())
    ]
    found += [
        Finding(
            code="conftest-reporting-hook",
            message=f"implements {', '.join(hooks)}: it can change what the tests report",
            path=where,
            severity="warning",
        )
        for where, hooks in sorted(summary.reporting_hooks.items())
    ]
    return found
