"""``harness eval``: every task under every variant, scored, compared, reported.

Thin: flags -> :class:`~harness.run.config.EvalConfig` -> :func:`harness.run.eval.run_eval`
-> the summary and reports. Defaults come from ``[tool.harness]`` in ``pyproject.toml``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from harness.cli.common import SandboxChoice, pick_solver, stderr, stdout
from harness.cli.run_options import (
    AgentOption,
    ConcurrencyOption,
    DeliveryOption,
    EpochsOption,
    MaxCostOption,
    MaxTokensOption,
    ModelOption,
    ModeOption,
    SlotsOption,
    SolverOption,
    TasksOption,
    VariantOption,
)
from harness.errors import UsageError

if TYPE_CHECKING:
    pass


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``KEY=JSON`` pairs (``--param``) -> a dict (a value that is not JSON stays text).

    Raises:
        UsageError: For a pair without ``=``.
    """
    extra: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            msg = f"--param {pair!r}: use KEY=VALUE (VALUE as JSON, e.g. top_p=0.9)"
            raise UsageError(msg)
        try:
            extra[key] = json.loads(raw)
        except json.JSONDecodeError:
            extra[key] = raw
    return extra


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part for value in values for part in value.split(",") if part]


def command(
    model: ModelOption = None,
    variant: VariantOption = None,
    tasks: TasksOption = None,
    epochs: EpochsOption = None,
    solver: SolverOption = None,
    mode: ModeOption = None,
    agent: AgentOption = None,
    delivery: DeliveryOption = None,
    baseline: Annotated[
        str | None, typer.Option(help="The variant every other is compared with.")
    ] = None,
    max_concurrency: ConcurrencyOption = None,
    score_slots: SlotsOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder holding runs.", show_default="results"),
    ] = None,
    run_id: Annotated[str | None, typer.Option(help="The run's id (folder).")] = None,
    resume: Annotated[
        str | None,
        typer.Option(help="Finish the run with this id (redo only what is missing)."),
    ] = None,
    retry_errors: Annotated[
        bool,
        typer.Option(
            "--retry-errors", help="With --resume: redo infrastructure failures."
        ),
    ] = False,
    seed: Annotated[int | None, typer.Option(help="Seed.")] = None,
    temperature: Annotated[float | None, typer.Option(min=0)] = None,
    max_tokens: MaxTokensOption = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="Extra request parameter KEY=JSON (repeatable)."),
    ] = None,
    max_cost: MaxCostOption = None,
    base_url: Annotated[str | None, typer.Option(help="API base URL.")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Always call the model.")
    ] = False,
    no_score: Annotated[
        bool,
        typer.Option(
            "--no-score", help="Generate only; score later (harness rescore)."
        ),
    ] = False,
    sim: Annotated[
        list[str] | None,
        typer.Option(
            "--sim", help="With --model sim: ARM=P, the chance of the gold project."
        ),
    ] = None,
    sim_empty: Annotated[
        float | None,
        typer.Option(
            help="With --model sim: the chance of an empty reply.", min=0, max=1
        ),
    ] = None,
    sandbox: Annotated[
        SandboxChoice | None,
        typer.Option(help="bwrap isolates generated code; none is unsafe."),
    ] = None,
    checks: Annotated[
        str | None, typer.Option(help="Comma-separated checks (default: all).")
    ] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-under",
            help="CHECK=VALUE or VARIANT:CHECK=VALUE: exit 1 when a mean is below "
            "(repeatable; CHECK may be overall).",
        ),
    ] = None,
    require_improvement: Annotated[
        list[str] | None,
        typer.Option(
            "--require-improvement",
            help="VARIANT[:CHECK]: exit 1 unless the paired interval's lower bound "
            "is above zero.",
        ),
    ] = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write JUnit XML here.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress display.")
    ] = False,
) -> None:
    """Run tasks x variants x epochs, score them, compare with paired statistics, report."""
    from harness.report.gates import check_gates, parse_gates
    from harness.run.config import build_config
    from harness.run.eval import plan, run_eval
    from harness.run.prepare import resume_run, start_run

    gates = parse_gates(fail_under or [], require_improvement or [])
    if junit is not None:
        from harness.cli.common import check_writable

        check_writable(junit, "--junit")
    if retry_errors and resume is None:
        msg = "--retry-errors needs --resume RUN (it redoes a stored run's infra failures)"
        raise UsageError(msg)
    flags: dict[str, Any] = {
        "model": model,
        "variants": variant,
        "tasks": _split(tasks),
        "epochs": epochs,
        "solver": pick_solver(solver, mode, agent),
        "delivery": delivery,
        "baseline": baseline,
        "max_concurrency": max_concurrency,
        "score_slots": score_slots,
        "results_dir": out,
        "run_id": run_id,
        "seed": seed,
        "temperature": temperature,
        "max_tokens": max_tokens,
        "params": parse_params(param) if param else None,
        "max_cost_usd": max_cost,
        "base_url": base_url,
        "cache": False if no_cache else None,
        "score": False if no_score else None,
        "sim": sim,
        "sim_empty": sim_empty,
        "sandbox": sandbox.value if sandbox is not None else None,
        "checks": _split([checks]) if checks else None,
    }
    if resume is not None:
        given = {k for k, v in flags.items() if v is not None} - {
            "max_concurrency",
            "score_slots",
            "results_dir",
            "score",
            "sandbox",
        }
        if given:
            msg = (
                f"--resume continues run {resume} with its own settings: drop "
                f"{', '.join('--' + k.replace('_', '-') for k in sorted(given))}"
            )
            raise UsageError(msg)
        run = resume_run(
            out or Path("results"),
            resume,
            {
                k: flags[k]
                for k in ("max_concurrency", "score_slots", "score", "sandbox")
            },
        )
    else:
        run = start_run(build_config(flags))
    check_gates(
        gates, [entry.arm.label for entry in run.manifest.arms], run.manifest.checks
    )
    if run.config.sandbox == "none":
        from rich.panel import Panel

        from harness.sandbox import UNSANDBOXED_WARNING

        stderr.print(
            Panel(UNSANDBOXED_WARNING, title="no sandbox", style="bold yellow")
        )
    todo = sum(
        1 for item in plan(run, retry_errors=retry_errors) if item.work != "done"
    )
    stderr.print(
        f"run {run.manifest.run_id}: {len(run.manifest.tasks)} task(s) x "
        f"{len(run.manifest.arms)} variant(s) x {run.manifest.epochs} epoch(s), "
        f"{todo} sample(s) to do -> {run.store.layout.root}"
    )
    if run.manifest.simulated:
        stderr.print(
            "[bold yellow]simulation:[/] --model sim draws gold projects and mutants; "
            "it measures no skill"
        )
    from harness.cli.progress import RunProgress

    try:
        if quiet:
            outcome = run_eval(run, retry_errors=retry_errors)
        else:
            with RunProgress(stderr, todo, scoring=run.config.score) as progress:
                outcome = run_eval(run, retry_errors=retry_errors, observer=progress)
    except KeyboardInterrupt:
        stderr.print(
            f"interrupted: every finished sample is stored; continue with "
            f"`harness eval --resume {run.manifest.run_id}`"
        )
        sys.exit(130)
    from harness.cli.eval_summary import finish

    code = finish(
        outcome,
        fail_under=fail_under or [],
        require_improvement=require_improvement or [],
        junit=junit,
        console=stdout,
    )
    sys.exit(code)
