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

from harness.cli.common import (
    SandboxChoice,
    pick_solver,
    stderr,
    stdout,
    warn_unsandboxed,
)
from harness.cli.run_options import (
    AgentOption,
    ApiConcurrencyOption,
    ConcurrencyOption,
    DeliveryOption,
    EpochsOption,
    ExecutorOption,
    MaxCostOption,
    MaxTokensOption,
    ModelOption,
    ModeOption,
    RayAddressOption,
    ScoreCpusOption,
    SlotsOption,
    SolverOption,
    TasksOption,
    VariantOption,
)
from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.report.gates import Gate
    from harness.stats.sequential import StopQuestion


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


def resume_command(run_id: str, out: Path | None) -> str:
    """The command that finishes run ``run_id`` (held under ``out``)."""
    where = f" --out {out}" if out is not None and out != Path("results") else ""
    return f"harness eval --resume {run_id}{where}"


def stop_questions(gates: list[Gate]) -> list[StopQuestion]:
    """What a sequential run must settle: its comparative gates (none: the default)."""
    from harness.stats.sequential import StopQuestion

    return [
        StopQuestion(
            variant=gate.variant,
            check=gate.check,
            margin=gate.threshold if gate.kind == "require-no-worse" else None,
        )
        for gate in gates
        if gate.kind != "fail-under" and gate.variant is not None
    ]


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
    executor: ExecutorOption = None,
    ray_address: RayAddressOption = None,
    api_concurrency: ApiConcurrencyOption = None,
    score_cpus: ScoreCpusOption = None,
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
            help="CHECK=VALUE or VARIANT:CHECK=VALUE: exit 1 when the lower 95% bound "
            "of a mean is below VALUE (repeatable; CHECK may be overall).",
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
    require_no_worse: Annotated[
        list[str] | None,
        typer.Option(
            "--require-no-worse",
            help="VARIANT[:CHECK]=MARGIN: exit 1 unless the paired interval's lower "
            "bound is above -MARGIN (the release gate of a new skill version).",
        ),
    ] = None,
    stop_when_decided: Annotated[
        bool,
        typer.Option(
            "--stop-when-decided",
            help="Run tasks a batch at a time and stop once the answer (the gates, else "
            "every overall verdict) is settled; verdicts use confidence sequences, "
            "valid at any stopping time.",
            show_default=False,
        ),
    ] = False,
    look_every: Annotated[
        int | None,
        typer.Option(
            help="With --stop-when-decided: tasks per batch (default: enough to keep "
            "the slots busy).",
            min=1,
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
    from harness.cluster import check_executor, make_executor
    from harness.report.gates import check_gates, parse_gates
    from harness.run.config import SESSION_OPTIONS, build_config
    from harness.run.eval import plan, run_eval
    from harness.run.prepare import resume_run, start_run

    gates = parse_gates(
        fail_under or [], require_improvement or [], require_no_worse or []
    )
    if no_score and gates:
        msg = (
            "gates need scores: drop --no-score, or apply them after `harness rescore "
            "RUN` with `harness report RUN --fail-under ...`"
        )
        raise UsageError(msg)
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
        "executor": executor,
        "ray_address": ray_address,
        "api_concurrency": api_concurrency,
        "score_cpus": score_cpus,
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
        "stop_when_decided": True if stop_when_decided else None,
        "look_every": look_every,
    }
    if resume is not None:
        given = {k for k, v in flags.items() if v is not None} - {
            *SESSION_OPTIONS,
            "results_dir",
        }
        if given:
            msg = (
                f"--resume continues run {resume} with its own settings: drop "
                f"{', '.join('--' + k.replace('_', '-') for k in sorted(given))}"
            )
            raise UsageError(msg)
        if executor is not None:
            check_executor(executor)
        run = resume_run(
            out or Path("results"), resume, {k: flags[k] for k in SESSION_OPTIONS}
        )
        check_executor(run.config.executor)
    else:
        config = build_config(flags)
        check_executor(config.executor)
        if config.stop_when_decided:
            config = config.model_copy(update={"stop_questions": stop_questions(gates)})
        run = start_run(config)
    check_gates(
        gates, [entry.arm.label for entry in run.manifest.arms], run.manifest.checks
    )
    if run.config.sandbox == "none":
        warn_unsandboxed()
    work = [
        item for item in plan(run, retry_errors=retry_errors) if item.work != "done"
    ]
    stderr.print(
        f"run {run.manifest.run_id}: {len(run.manifest.tasks)} task(s) x "
        f"{len(run.manifest.arms)} variant(s) x {run.manifest.epochs} epoch(s), "
        f"{len(work)} sample(s) to do -> {run.store.layout.root}"
    )
    if run.manifest.simulated:
        stderr.print(
            "[bold yellow]simulation:[/] --model sim draws gold projects and mutants; "
            "it measures no skill"
        )
    from harness.cli.interrupt import watch_run
    from harness.report.stopping import plan_batches, sequential, stop_rule
    from harness.run.eval import Batches

    batches = None
    if sequential(run.manifest):
        batches = Batches(plan_batches(run.manifest), stop_rule(run.manifest))
        stderr.print(
            f"stop when decided: {len(batches.tasks)} batch(es) of tasks, a look after "
            "each; verdicts use confidence sequences"
        )
    where = make_executor(run)
    outcome = watch_run(
        stderr,
        run,
        work,
        lambda observer: run_eval(
            run,
            retry_errors=retry_errors,
            observer=observer,
            batches=batches,
            executor=where,
        ),
        resume=resume_command(run.manifest.run_id, out),
        quiet=quiet,
        executor=where,
    )
    from harness.cli.eval_summary import finish

    code = finish(
        outcome,
        fail_under=fail_under or [],
        require_improvement=require_improvement or [],
        require_no_worse=require_no_worse or [],
        junit=junit,
        console=stdout,
    )
    sys.exit(code)
