"""``harness tasks list | show ID | validate [ID...] [--suite SELECTOR] [--jobs N]``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
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
def list_tasks(
    tasks_dir: TasksDir = None,
    suite: Annotated[
        str | None,
        typer.Option(
            help="Only this suite: a name, tag:<tag>, probe:<id> or kind:<kind>."
        ),
    ] = None,
) -> None:
    """List tasks with their kind, difficulty, tags, probes, test and mutant counts."""
    from harness.tasks import TaskError, get_task, load_suites, suite_ids, task_ids
    from harness.tasks.counting import count_tests

    ids = suite_ids(suite, tasks_dir) if suite else task_ids(tasks_dir)
    suites = load_suites(tasks_dir, strict=False)
    table = Table(title=f"{len(ids)} tasks")
    table.add_column("id", no_wrap=True)
    table.add_column("kind")
    table.add_column("diff", justify="right")
    table.add_column("tags", overflow="fold")
    table.add_column("probes", no_wrap=True)
    table.add_column("tests", justify="right")
    table.add_column("mutants", justify="right")
    table.add_column("suites")
    for task_id in ids:
        try:
            task = get_task(task_id, tasks_dir)
        except TaskError as error:
            table.add_row(
                task_id, Text.assemble(("invalid task.toml", "red"), f": {error}")
            )
            continue
        tests = count_tests(task.acceptance_dir)
        table.add_row(
            task.id,
            task.config.kind,
            str(task.config.difficulty),
            ", ".join(task.config.tags),
            "\n".join(task.config.probes) or "[dim]control[/]",
            "?" if tests is None else str(tests),
            str(len(task.mutants)),
            ", ".join(name for name, members in suites.items() if task.id in members),
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
    from harness.tasks import get_task

    task = get_task(task_id, tasks_dir)
    config = task.config
    table = Table(show_header=False, title=f"{task.id}: {config.title}")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("folder", str(task.root))
    table.add_row("hash", task.content_hash())
    table.add_row("kind", config.kind)
    table.add_row("difficulty", str(config.difficulty))
    table.add_row("tags", ", ".join(config.tags))
    table.add_row("probes", ", ".join(config.probes) or "none (a control task)")
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


def _render(results: list[TaskValidation], wall_s: float, jobs: int) -> Table:
    task_time = sum(item.duration_s for item in results)
    table = Table(
        title=f"task validation: {len(results)} task(s) in {wall_s:.0f} s "
        f"({jobs} slot(s), {task_time:.0f} s of task time)",
        caption="caught: mutants caught by the acceptance tests; time: the task's own "
        "wall time (slots run side by side)",
        show_footer=True,
    )
    valid = sum(item.ok for item in results)
    tests = sum(len(item.tests) for item in results)
    caught = sum(m.caught for item in results for m in item.mutants)
    mutants = sum(len(item.mutants) for item in results)
    table.add_column("task", "total", no_wrap=True)
    table.add_column("kind")
    table.add_column("diff", justify="right")
    table.add_column("probes", no_wrap=True)
    table.add_column("tests", str(tests), justify="right")
    table.add_column("caught", f"{caught}/{mutants}", justify="right")
    table.add_column("time", f"{task_time:.0f}s", justify="right")
    table.add_column("steps")
    table.add_column("verdict", f"{valid}/{len(results)} valid", no_wrap=True)
    for item in results:
        failed = [step.name for step in item.steps if not step.ok]
        table.add_row(
            item.task_id,
            item.kind or "-",
            "-" if item.difficulty is None else str(item.difficulty),
            "\n".join(item.probes) or "[dim]control[/]",
            str(len(item.tests)),
            f"{sum(m.caught for m in item.mutants)}/{len(item.mutants)}",
            f"{item.duration_s:.1f}s",
            "[red]" + ", ".join(failed) + " FAIL[/]" if failed else "[green]ok[/]",
            "[green]valid[/]" if item.ok else "[bold red]invalid[/]",
        )
    return table


def _validate_in_slots(
    tasks: list[Task], sandbox: SandboxChoice, jobs: int, *, verbose: bool
) -> list[TaskValidation]:
    """Validate ``tasks`` in parallel slots, with a live progress display on stderr."""
    from harness.environment import EvaluationEnvironment
    from harness.tasks.parallel import expected_runs, validate_tasks
    from harness.tasks.validate import TaskValidator

    environment = EvaluationEnvironment()
    environment.ensure_built()
    validator = TaskValidator(open_sandbox(sandbox, environment), environment)
    total_runs = sum(expected_runs(task) + 1 for task in tasks)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        overall = progress.add_task(
            f"{len(tasks)} task(s), {jobs} slot(s)", total=total_runs
        )
        rows: dict[str, TaskID] = {}

        def step(task_id: str, name: str) -> None:
            if task_id not in rows:
                rows[task_id] = progress.add_task(task_id, total=None)
            else:
                progress.advance(overall)
            progress.update(rows[task_id], description=f"  {task_id}: {name}")

        def done(outcome: TaskValidation) -> None:
            progress.advance(overall)
            if outcome.task_id in rows:
                progress.remove_task(rows.pop(outcome.task_id))
            verdict = "[green]valid[/]" if outcome.ok else "[bold red]invalid[/]"
            caught = sum(m.caught for m in outcome.mutants)
            progress.console.print(
                f"{outcome.task_id}: {verdict} in {outcome.duration_s:.1f} s "
                f"({len(outcome.tests)} tests, {caught}/{len(outcome.mutants)} mutants caught)"
            )
            if verbose:
                for mutant in outcome.mutants:
                    progress.console.print(
                        f"  {mutant.name}: {mutant.detail}",
                        markup=False,
                        soft_wrap=True,
                    )

        return validate_tasks(validator, tasks, jobs=jobs, on_step=step, on_done=done)


@app.command()
def validate(
    task_ids_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="Tasks to validate (default: all)."),
    ] = None,
    suite: Annotated[
        list[str] | None,
        typer.Option(
            help="Validate this suite: a name in evals/suites.toml (smoke, full), "
            "tag:<tag>, probe:<id> or kind:<greenfield|extend|fix>. Repeatable."
        ),
    ] = None,
    tasks_dir: TasksDir = None,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="bwrap isolates the code; none is an unsafe opt-in."),
    ] = SandboxChoice.bwrap,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Tasks validated at once (default: the number of cores).",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every mutant's verdict.")
    ] = False,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the verdicts as JSON to this file."),
    ] = None,
) -> None:
    """Prove tasks sound: schema, perfect reference, nothing passes trivially, mutants caught."""
    from harness.tasks import TaskError, get_task, suite_ids, task_ids
    from harness.tasks.parallel import default_jobs
    from harness.tasks.validate import Step, TaskValidation

    if json_path is not None:
        check_writable(json_path)
    chosen = list(task_ids_ or [])
    if suite:
        chosen += suite_ids(suite, tasks_dir)
    ids = list(dict.fromkeys(chosen)) or task_ids(tasks_dir)
    if not ids:
        msg = "no tasks to validate: add a folder under evals/tasks (docs/writing-tasks.md)"
        raise UsageError(msg)
    slots = max(1, min(jobs or default_jobs(), len(ids)))
    tasks: list[Task] = []
    broken: dict[str, TaskValidation] = {}
    for task_id in ids:
        try:
            tasks.append(get_task(task_id, tasks_dir))
        except TaskError as error:  # report it with the others, keep validating
            broken[task_id] = TaskValidation(task_id=task_id)
            broken[task_id].steps.append(Step("schema", ok=False, detail=str(error)))
    started = time.monotonic()
    done = {
        outcome.task_id: outcome
        for outcome in _validate_in_slots(tasks, sandbox, slots, verbose=verbose)
    }
    wall_s = time.monotonic() - started
    results = [done.get(task_id) or broken[task_id] for task_id in ids]
    stdout.print(_render(results, wall_s, slots))
    if json_path is not None:
        document = {
            "duration_s": round(wall_s, 1),
            "jobs": slots,
            "task_time_s": round(sum(item.duration_s for item in results), 1),
            "ok": all(item.ok for item in results),
            "tasks": [item.to_dict() for item in results],
        }
        write_atomically(json_path, json.dumps(document, indent=2) + "\n")
    for item in results:
        for mutant in item.mutants:
            if mutant.caught and mutant.runs > 1:
                stdout.print(
                    Text.assemble(
                        (item.task_id, "yellow"),
                        f": mutant {mutant.name}: {mutant.detail}",
                    ),
                    highlight=False,
                    soft_wrap=True,
                )
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
