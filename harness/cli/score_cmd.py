"""``harness score PROJECT_DIR``: score one FastAPI project and print a table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from harness.cli.common import (
    SandboxChoice,
    check_writable,
    open_sandbox,
    stderr,
    stdout,
    write_atomically,
)
from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.scoring.results import CheckResult


def score(
    project_dir: Annotated[
        Path, typer.Argument(help="The project folder (holding pyproject.toml).")
    ],
    acceptance: Annotated[
        Path | None,
        typer.Option(
            "--acceptance",
            help="Folder of hidden acceptance tests to run against the app.",
        ),
    ] = None,
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            help="Run a task's hidden acceptance tests (with its setup, services and env).",
        ),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the score as JSON to this file."),
    ] = None,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(
            help="bwrap isolates generated code; none is an explicit, unsafe opt-in."
        ),
    ] = SandboxChoice.bwrap,
    checks: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated checks to run (default: all).", show_default=False
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Wall-clock limit per command, in seconds.", min=1)
    ] = 300.0,
    fail_under: Annotated[
        float | None,
        typer.Option(
            help="Exit with status 1 when the overall score is below this.",
            min=0,
            max=1,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the overall score.")
    ] = False,
) -> None:
    """Score a FastAPI project: lint, format, types, its tests, acceptance, dependencies."""
    from harness.project.files import check_project_folder

    check_project_folder(project_dir)
    # Imported here, not at the top: `harness --help` and a usage error load none of it.
    from harness.environment import EvaluationEnvironment
    from harness.report.terminal_tables import print_score
    from harness.sandbox import SandboxLimits
    from harness.scoring.context import AcceptanceSpec
    from harness.scoring.scorer import score_project, select_checks

    if task is not None and acceptance is not None:
        msg = "give --task or --acceptance, not both: --task already names the hidden tests"
        raise UsageError(msg)
    if acceptance is not None and not acceptance.is_dir():
        msg = f"--acceptance {acceptance} is not a folder: pass the folder of hidden tests"
        raise UsageError(msg)
    if json_path is not None:
        check_writable(json_path)
    chosen = select_checks(checks.split(",") if checks else None)
    environment = EvaluationEnvironment()
    environment.ensure_built()
    box = open_sandbox(sandbox, environment)

    def progress(result: CheckResult) -> None:
        if not quiet:
            stderr.print(
                f"  {result.name:<13} {result.status:<8} {result.score:.3f}"
                f"  ({result.duration_s:.2f}s)"
            )

    spec = AcceptanceSpec(tests_dir=acceptance.resolve()) if acceptance else None
    if task is not None:
        from harness.tasks import get_task

        spec = get_task(task).acceptance_spec()
    outcome = score_project(
        project_dir,
        sandbox=box,
        environment=environment,
        acceptance=spec,
        checks=chosen,
        limits=SandboxLimits(wall_seconds=timeout),
        on_check=progress,
    )
    if json_path is not None:
        write_atomically(json_path, outcome.model_dump_json(indent=2) + "\n")
    if quiet:
        stdout.print(f"{outcome.overall:.4f}")
    else:
        print_score(outcome, stdout)
    if fail_under is not None and outcome.overall < fail_under:
        sys.exit(1)
