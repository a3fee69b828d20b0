"""``harness tasks list | show ID | validate [ID...] [--suite NAME]``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from harness.cli.common import (
    SandboxChoice,
    check_writable,
    open_sandbox,
    stderr,
    stdout,
    write_atomically,
)
from harness.errors import UsageError
from harness.tasks import (
    TaskError,
    get_task,
    load_suites,
    suite_tasks,
    task_ids,
)

if TYPE_CHECKING:
    from harness.tasks import Task
    from harness.tasks.validate import TaskValidation

app = typer.Typer(
    help="List, show and validate the eval tasks (evals/tasks/).",
    no_args_is_help=True,
)

TasksDir = Annotated[
    Path | None,
    typer.Option(
        "--tasks-dir",
        help="Folder of task folders (default: evals/tasks or $HARNESS_TASKS_DIR).",
        show_default=False,
    ),
]


@app.command("list")
def list_tasks(tasks_dir: TasksDir = None) -> None:
    """List every task with its difficulty, tags and suites."""
    ids = task_ids(tasks_dir)
    suites = load_suites(tasks_dir, strict=False)
    table = Table(title=f"{len(ids)} tasks")
    for column in ("id", "title", "difficulty", "tags", "starter", "mutants", "suites"):
        table.add_column(column)
    for task_id in ids:
        try:
            task = get_task(task_id, tasks_dir)
        except TaskError as error:
            table.add_row(
                task_id, Text.assemble(("invalid task.toml", "red"), f": {error}")
            )
            continue
        table.add_row(
            task.id,
            task.config.title,
            str(task.config.difficulty),
            ", ".join(task.config.tags),
            "yes" if task.config.starter else "",
            str(len(task.mutants)),
            ", ".join(name for name, ids in suites.items() if task.id in ids),
        )
    stdout.print(table)


@app.command()
def show(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task id.")],
    tasks_dir: TasksDir = None,
    prompt: Annotated[
        bool,
        typer.Option(
            "--prompt/--no-prompt", help="Print the full prompt (with the contract)."
        ),
    ] = True,
) -> None:
    """Show a task's configuration, parts and the prompt the model is given."""
    task = get_task(task_id, tasks_dir)
    config = task.config
    table = Table(show_header=False, title=f"{task.id}: {config.title}")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("folder", str(task.root))
    table.add_row("hash", task.content_hash())
    table.add_row("difficulty", str(config.difficulty))
    table.add_row("tags", ", ".join(config.tags))
    table.add_row(
        "limits",
        f"{config.limits.time_seconds} s, {config.limits.turns} turns, "
        f"{config.limits.tokens} tokens",
    )
    acceptance = config.acceptance
    table.add_row(
        "acceptance",
        f"{len(list(task.acceptance_dir.glob('test_*.py')))} test file(s); "
        f"setup {acceptance.setup or 'none'}; env {acceptance.env or 'none'}; "
        f"services {[s.name for s in acceptance.services] or 'none'}",
    )
    if config.starter:
        table.add_row(
            "starter",
            f"{config.starter.path}; passing: {config.starter.passing_tests or 'none'}",
        )
    table.add_row("mutants", ", ".join(p.name for p in task.mutants) or "none")
    problems = task.problems()
    table.add_row("problems", "; ".join(problems) if problems else "none (static)")
    stdout.print(table)
    if prompt:
        stdout.rule("prompt")
        stdout.print(task.full_prompt(), markup=False, highlight=False)


def _render(results: list[TaskValidation], total_s: float) -> Table:
    table = Table(
        title=f"task validation ({total_s:.0f} s)",
        caption="caught: mutants caught by the acceptance tests; score: mutation score",
    )
    table.add_column("task", no_wrap=True)
    for column in ("schema", "ref", "empty", "starter"):
        table.add_column(column)
    table.add_column("caught", justify="right")
    table.add_column("score", justify="right")
    table.add_column("time", justify="right")
    table.add_column("verdict", no_wrap=True)
    for item in results:

        def cell(name: str, result: TaskValidation = item) -> str:
            step = result.step(name)
            if step is None:
                return "-"
            return "[green]ok[/]" if step.ok else "[red]FAIL[/]"

        caught = sum(m.caught for m in item.mutants)
        score = item.mutation_score
        table.add_row(
            item.task_id,
            cell("schema"),
            cell("reference"),
            cell("empty"),
            cell("starter"),
            f"{caught}/{len(item.mutants)}",
            "-" if score is None else f"{score:.0%}",
            f"{item.duration_s:.1f}s",
            "[green]valid[/]" if item.ok else "[bold red]invalid[/]",
        )
    return table


@app.command()
def validate(
    task_ids_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="Tasks to validate (default: all)."),
    ] = None,
    suite: Annotated[
        str | None,
        typer.Option(help="Validate the tasks of this suite (evals/suites.toml)."),
    ] = None,
    tasks_dir: TasksDir = None,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="bwrap isolates the code; none is an unsafe opt-in."),
    ] = SandboxChoice.bwrap,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every mutant's verdict.")
    ] = False,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the verdicts as JSON to this file."),
    ] = None,
) -> None:
    """Prove tasks sound: schema, perfect reference, nothing passes trivially, mutants caught."""
    from harness.environment import EvaluationEnvironment
    from harness.tasks.validate import Step, TaskValidation, TaskValidator

    if json_path is not None:
        check_writable(json_path)
    chosen = list(task_ids_ or [])
    if suite is not None:
        chosen += suite_tasks(suite, tasks_dir)
    ids = list(dict.fromkeys(chosen)) or task_ids(tasks_dir)
    if not ids:
        msg = "no tasks to validate: add a folder under evals/tasks (docs/writing-tasks.md)"
        raise UsageError(msg)
    tasks: list[Task] = []
    results: list[TaskValidation] = []
    for task_id in ids:
        try:
            tasks.append(get_task(task_id, tasks_dir))
        except TaskError as error:  # report it with the others, keep validating
            broken = TaskValidation(task_id=task_id)
            broken.steps.append(Step("schema", ok=False, detail=str(error)))
            results.append(broken)
    environment = EvaluationEnvironment()
    environment.ensure_built()
    validator = TaskValidator(open_sandbox(sandbox, environment), environment)
    started = time.monotonic()
    for task in tasks:
        stderr.print(f"[bold]{task.id}[/]")
        outcome = validator.validate(
            task, on_step=lambda step: stderr.print(f"  {step}", style="dim")
        )
        results.append(outcome)
        if verbose:
            for mutant in outcome.mutants:
                stderr.print(
                    f"  {mutant.name}: {mutant.detail}", markup=False, soft_wrap=True
                )
    total_s = time.monotonic() - started
    stdout.print(_render(results, total_s))
    if json_path is not None:
        document = {
            "duration_s": round(total_s, 1),
            "ok": all(item.ok for item in results),
            "tasks": [item.to_dict() for item in results],
        }
        write_atomically(json_path, json.dumps(document, indent=2) + "\n")
    failures = [
        (item.task_id, problem) for item in results for problem in item.problems()
    ]
    for task_id, problem in failures:
        stdout.print(
            Text.assemble((task_id, "red"), f": {problem}"),
            highlight=False,
            soft_wrap=True,
        )
    if failures:
        sys.exit(1)
