"""``harness tasks validate``: prove that a task is sound before any model is scored on it.

For each task, in order:

1. **schema**: ``task.toml`` parses, the folder has every part, at least ``MIN_MUTANTS``
   mutants, and ``MIN_TESTS``..``MAX_TESTS`` acceptance tests that collect.
2. **reference**: the gold project scores exactly 1.0 overall, every check passing.
3. **empty**: the acceptance tests against an app with no routes: none may pass.
4. **starter**: against the starter alone: only ``starter.passing_tests`` may pass (and
   each of those must).
5. **mutants**: each patch applies to a copy of the reference, and at least one acceptance
   test fails on the result (the mutant is *caught*). A mutant that survives is run again,
   up to ``MUTANT_RUNS`` times in all: a race the tests catch only when concurrent requests
   interleave is caught on most runs, not all. A catch on a later run still counts, and the
   outcome says so (``runs`` > 1), so the task's author can make that test deterministic.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from harness.environment import EvaluationEnvironment
from harness.project import IGNORED_DIRS, IGNORED_SUFFIXES
from harness.safefs import scratch_folder
from harness.sandbox import TOOL_PYTHON, Sandbox, SandboxLimits, SandboxRequest
from harness.scoring.models import CheckResult
from harness.scoring.scorer import score_project
from harness.tasks.loader import Task
from harness.tasks.patches import apply_patch
from harness.tasks.verdicts import MutantOutcome, Step, TaskValidation

#: Bounds on the number of acceptance tests (parametrised cases count one each).
MIN_TESTS = 10
MAX_TESTS = 30
#: How many times a surviving mutant is run before it is called survived.
MUTANT_RUNS = 3
#: pytest's exit status when it collected nothing.
_NO_TESTS_COLLECTED = 5
#: Folders left out when the reference is copied for a mutant.
_COPY_IGNORE = shutil.ignore_patterns(
    *IGNORED_DIRS, *(f"*{s}" for s in IGNORED_SUFFIXES)
)
_EMPTY_PYPROJECT = """[project]
name = "empty"
version = "0.0.0"
requires-python = ">=3.12"
dependencies = ["fastapi"]

[tool.fastapi]
entrypoint = "main:app"
"""
_EMPTY_MAIN = (
    '"""An app with no routes."""\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n'
)


def _failing_ids(outcome: CheckResult) -> set[str]:
    return {
        finding.path
        for finding in outcome.findings
        if finding.code in {"failed", "error"} and finding.path
    }


def _short(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" (+{len(names) - limit} more)" if len(names) > limit else "")


class TaskValidator:
    """Runs the validation steps of tasks with one sandbox and one environment."""

    def __init__(
        self,
        sandbox: Sandbox,
        environment: EvaluationEnvironment,
        *,
        limits: SandboxLimits | None = None,
    ) -> None:
        """Keep the sandbox and environment every step uses.

        Args:
            sandbox: Where project code and tests run.
            environment: The evaluation environment (built).
            limits: Limits for each sandboxed command.
        """
        self.sandbox = sandbox
        self.environment = environment
        self.limits = limits or SandboxLimits(wall_seconds=300)
        self.mutant_runs = MUTANT_RUNS

    def validate(
        self, task: Task, *, on_step: Callable[[str], None] | None = None
    ) -> TaskValidation:
        """Validate one task.

        Args:
            task: The task.
            on_step: Called with a short description before each step (progress).

        Returns:
            The verdicts.
        """
        started = time.monotonic()
        report = TaskValidation(
            task_id=task.id,
            kind=task.config.kind,
            difficulty=task.config.difficulty,
            probes=list(task.config.probes),
        )
        note = on_step or (lambda _: None)
        note("schema")
        if self.check_schema(task, report):
            note("reference")
            report.steps.append(self.check_reference(task))
            note("empty project")
            report.steps.append(self.check_empty(task, report.tests))
            if task.starter_dir is not None:
                note("starter")
                report.steps.append(self.check_starter(task, report.tests))
            for patch in task.mutants:
                note(f"mutant {patch.name}")
                report.mutants.append(self.check_mutant(task, patch))
        report.duration_s = round(time.monotonic() - started, 1)
        return report

    # -- steps -------------------------------------------------------------------------

    def check_schema(self, task: Task, report: TaskValidation) -> bool:
        """Record the static problems and the collected tests; False if nothing can run."""
        problems = task.problems()
        if task.acceptance_dir.is_dir():
            tests, error = self.collect(task)
            report.tests = tests
            if error:
                problems.append(error)
            elif not MIN_TESTS <= len(tests) <= MAX_TESTS:
                problems.append(
                    f"{len(tests)} acceptance tests: write {MIN_TESTS} to {MAX_TESTS}"
                )
            declared = task.config.starter.passing_tests if task.config.starter else []
            unknown = [name for name in declared if name not in tests]
            if tests and unknown:
                problems.append(
                    f"starter.passing_tests names unknown test(s) {_short(unknown)}: "
                    "use ids such as test_x.py::test_y"
                )
        fatal = not task.acceptance_dir.is_dir() or not task.reference_dir.is_dir()
        detail = "; ".join(problems) if problems else f"{len(report.tests)} tests"
        report.steps.append(Step("schema", not problems, detail))
        return not fatal and bool(report.tests)

    def collect(self, task: Task) -> tuple[list[str], str | None]:
        """The acceptance test ids, collected in the sandbox, or an error line."""
        argv = [
            *TOOL_PYTHON, "-m", "pytest", "--collect-only", "-q", "--color=no",
            "--rootdir", "/work", "-p", "no:cacheprovider", "-p", "acceptance_fixtures",
            "-o", "asyncio_mode=auto", "/work",
        ]  # fmt: skip
        run = self.sandbox.run(
            SandboxRequest(
                argv=argv,
                workspace=task.acceptance_dir.resolve(),
                env={"PYTHONPATH": "/harness"},
                limits=self.limits,
            )
        )
        ids = [
            line.strip()
            for line in run.stdout.splitlines()
            if "::" in line and not line.startswith(("ERROR", "FAILED"))
        ]
        if run.returncode not in {0, _NO_TESTS_COLLECTED}:
            lines = [line for line in run.stdout.splitlines() if line.strip()]
            why = lines[-1] if lines else run.stderr.strip()[-300:]
            return ids, f"acceptance tests do not collect: {why}"
        return ids, None

    def _score(
        self, task: Task, project: Path, checks: list[str] | None
    ) -> tuple[float, list[CheckResult]]:
        outcome = score_project(
            project,
            sandbox=self.sandbox,
            environment=self.environment,
            acceptance=task.acceptance_spec(),
            checks=checks,
            limits=self.limits,
        )
        return outcome.overall, outcome.checks

    def check_reference(self, task: Task) -> Step:
        """The gold project must score exactly 1.0 with every check passing."""
        overall, checks = self._score(task, task.reference_dir, None)
        failing = [check for check in checks if check.status != "pass"]
        if overall == 1.0 and not failing:
            return Step("reference", ok=True, detail="1.000")
        parts = [
            f"{check.name} {check.status} {check.score:.3f}"
            + (f" ({check.reason})" if check.reason else "")
            + (
                f" [{check.findings[0].path}: {check.findings[0].message[:120]}]"
                if check.findings
                else ""
            )
            for check in failing
        ]
        detail = f"overall {overall:.3f}, must be 1.000: " + "; ".join(parts)
        return Step("reference", ok=False, detail=detail)

    def _passing(self, task: Task, project: Path, tests: list[str]) -> list[str]:
        _, checks = self._score(task, project, ["acceptance"])
        outcome = checks[0]
        if int(outcome.figures.get("passed", 0)) == 0:
            return []
        failing = _failing_ids(outcome)
        return [name for name in tests if name not in failing]

    def check_empty(self, task: Task, tests: list[str]) -> Step:
        """No acceptance test may pass against an app with no routes."""
        with scratch_folder("hs-empty-") as project:
            (project / "pyproject.toml").write_text(_EMPTY_PYPROJECT, encoding="utf-8")
            (project / "main.py").write_text(_EMPTY_MAIN, encoding="utf-8")
            passing = self._passing(task, project, tests)
        if passing:
            detail = (
                f"{len(passing)} test(s) pass on an app with no routes: "
                f"{_short(passing)}; make them assert the feature"
            )
            return Step("empty", ok=False, detail=detail)
        return Step("empty", ok=True, detail="0 pass")

    def check_starter(self, task: Task, tests: list[str]) -> Step:
        """Only ``starter.passing_tests`` may pass on the starter alone, and they must."""
        starter = task.starter_dir
        if starter is None:
            return Step("starter", ok=True, detail="no starter")
        declared = set(task.config.starter.passing_tests if task.config.starter else [])
        passing = self._passing(task, starter, tests)
        unexpected = [name for name in passing if name not in declared]
        missing = sorted(declared.difference(passing))
        problems = []
        if unexpected:
            problems.append(
                f"{len(unexpected)} undeclared test(s) pass on the starter alone: "
                f"{_short(unexpected)}; fix them or add them to starter.passing_tests"
            )
        if missing:
            problems.append(
                f"declared starter.passing_tests fail on the starter: {_short(missing)}"
            )
        detail = "; ".join(problems) or f"{len(passing)} pass (all declared)"
        return Step("starter", ok=not problems, detail=detail)

    def check_mutant(self, task: Task, patch: Path) -> MutantOutcome:
        """Apply one patch to a copy of the reference; some acceptance test must fail.

        A mutant that survives is run again, up to ``mutant_runs`` runs in all.
        """
        with scratch_folder("hs-mutant-") as scratch:
            target = scratch / "project"
            shutil.copytree(task.reference_dir, target, ignore=_COPY_IGNORE)
            applied, why = apply_patch(patch, target)
            if not applied:
                return MutantOutcome(
                    patch.name,
                    caught=False,
                    applied=False,
                    detail=f"does not apply to reference/: {why}",
                )
            runs = 0
            while True:
                runs += 1
                _, checks = self._score(task, target, ["acceptance"])
                if checks[0].status != "pass" or runs >= self.mutant_runs:
                    break
        return self._mutant_verdict(patch.name, checks[0], runs)

    def _mutant_verdict(
        self, name: str, outcome: CheckResult, runs: int
    ) -> MutantOutcome:
        """What the last acceptance run says about a mutant after ``runs`` runs."""
        if outcome.status in {"error", "timeout", "skipped"}:
            return MutantOutcome(
                name,
                caught=False,
                runs=runs,
                detail=f"could not be judged ({outcome.status}): {outcome.reason}",
            )
        if outcome.status == "pass":
            survived = "survived" if runs == 1 else f"survived {runs} runs"
            return MutantOutcome(
                name,
                caught=False,
                runs=runs,
                detail=f"{survived}: every acceptance test passes; add a test that "
                "catches it",
            )
        failing = sorted(_failing_ids(outcome))
        detail = (
            f"caught by {_short(failing, 2)}"
            if failing
            else f"caught: {outcome.reason or outcome.status}"
        )
        if runs > 1:
            detail += (
                f" on run {runs} of {self.mutant_runs} (it survived the earlier runs: "
                "the catch depends on timing)"
            )
        return MutantOutcome(name, caught=True, runs=runs, detail=detail)


__all__ = [
    "MUTANT_RUNS",
    "MutantOutcome",
    "Step",
    "TaskValidation",
    "TaskValidator",
    "apply_patch",
]
