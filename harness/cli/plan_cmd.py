"""``harness plan``: what a run can detect, and what a run about to start will cost.

- ``harness plan RUN --effect 0.05``: tasks and epochs needed to detect an effect, from
  the variance ``RUN`` measured (a run id under ``--out``, a run folder, or a score table
  JSON file).
- ``harness plan --model M --variant ... --tasks ... --epochs K [--from RUN]``: the
  dollars and hours of that run, per arm and in all, before it starts (nothing is called
  or written); with a stored run (``--from`` or ``RUN``), also what the planned design
  detects with that run's variance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from harness.cli.common import pick_solver, stdout
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
    split_values,
)
from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.stats import PowerPlan, ScoreTable


def _run_folder(path: Path, results_dir: Path) -> Path | None:
    folder = path if (path / "manifest.json").is_file() else results_dir / path
    return folder if (folder / "manifest.json").is_file() else None


def _load(path: Path, results_dir: Path) -> ScoreTable:
    from harness.stats import ScoreTable  # imported here: a usage error loads no scipy

    run_folder = _run_folder(path, results_dir)
    if run_folder is not None:
        from harness.report.scores import score_table
        from harness.run.layout import RunLayout
        from harness.run.store import RunStore

        return score_table(RunStore(RunLayout(run_folder)).samples())
    if path.is_dir():
        msg = (
            f"{path} is a folder without manifest.json: give a run id, a run folder or "
            "a score table JSON file"
        )
        raise UsageError(msg)
    if not path.exists():
        msg = (
            f"no run or score table {path}: give a run id (under --out {results_dir}), "
            "a run folder or a score table JSON file"
        )
        raise UsageError(msg)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        msg = f"cannot read score table {path}: {error.strerror or error}"
        raise UsageError(msg) from None
    try:
        return ScoreTable.from_json(text)
    except ValueError as error:
        first = str(error).splitlines()
        detail = " ".join(first[:3]) if first else "invalid"
        msg = f"{path} is not a score table ({detail}); see docs/schemas/score-table.schema.json"
        raise UsageError(msg) from None


def _forecast(
    flags: dict[str, Any], stored: Path | None, out: Path, prices: Path | None
) -> tuple[Any, Path | None, int, int]:
    from harness.models.pricing import load_prices
    from harness.run.config import build_config
    from harness.run.costplan import plan_cost

    config = build_config(flags | {"results_dir": out})
    result, used = plan_cost(config, load_prices(prices), stored)
    return result, used, result.n_tasks, config.epochs


def command(
    table: Annotated[
        Path | None,
        typer.Argument(
            help="A run id (under --out), a run folder, or a score table JSON file: the "
            "variance to plan from.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder holding runs.")] = Path(
        "results"
    ),
    effect: Annotated[
        float, typer.Option(help="Smallest difference worth detecting (score units).")
    ] = 0.05,
    check: Annotated[
        str | None,
        typer.Option(help="Check to plan for (default: overall).", show_default=False),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            help="Baseline variant (default: none, else the first).", show_default=False
        ),
    ] = None,
    power: Annotated[float, typer.Option(help="Target power.")] = 0.8,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    json_output: Annotated[
        bool,
        typer.Option("--json", help="Print the plan as JSON instead of sentences."),
    ] = False,
    model: ModelOption = None,
    variant: VariantOption = None,
    tasks: TasksOption = None,
    epochs: EpochsOption = None,
    solver: SolverOption = None,
    mode: ModeOption = None,
    agent: AgentOption = None,
    delivery: DeliveryOption = None,
    max_concurrency: ConcurrencyOption = None,
    score_slots: SlotsOption = None,
    max_tokens: MaxTokensOption = None,
    max_cost: MaxCostOption = None,
    from_run: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A stored run to measure tokens, times and variance from (default: "
            "RUN, else the latest run under --out with these tasks).",
            show_default=False,
        ),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            help="A price file matched before the built-in table (or HARNESS_PRICES).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Say what a run could detect; forecast the dollars and hours of one about to start."""
    if not 0 < effect <= 1:
        msg = (
            f"--effect {effect:g}: scores lie in [0, 1], so a difference lies in [-1, 1]; "
            "give the smallest difference worth detecting, above 0 and at most 1 "
            "(e.g. 0.05)"
        )
        raise UsageError(msg)
    if not 0 < power < 1 or not 0 < alpha < 1:
        msg = f"--power {power} and --alpha {alpha} must both lie strictly between 0 and 1"
        raise UsageError(msg)
    flags: dict[str, Any] = {
        "model": model,
        "variants": variant,
        "tasks": split_values(tasks),
        "epochs": epochs,
        "solver": pick_solver(solver, mode, agent),
        "delivery": delivery,
        "max_concurrency": max_concurrency,
        "score_slots": score_slots,
        "max_tokens": max_tokens,
        "max_cost_usd": max_cost,
    }
    options: dict[str, Any] = {
        "effect": effect,
        "check": check,
        "baseline": baseline,
        "power": power,
        "alpha": alpha,
    }
    forecasting = any(value is not None for value in flags.values())
    if table is not None and from_run is not None and table != from_run:
        msg = (
            f"give the stored run once: RUN ({table}) or --from ({from_run}), not both"
        )
        raise UsageError(msg)
    source_path = table or from_run
    if not forecasting:
        if source_path is None:
            msg = (
                "give a stored run (harness plan RUN --effect 0.05) or the run to "
                "forecast (harness plan --model M --variant none --variant skill=path:DIR "
                "--tasks full --epochs 3)"
            )
            raise UsageError(msg)
        result = _power_plan(source_path, out, options)
        if json_output:
            stdout.print_json(result.model_dump_json())
            return
        from harness.stats.plan_text import plan_lines

        for line in plan_lines(result):
            stdout.print(line, markup=False, soft_wrap=True)
        return
    stored = None
    if source_path is not None:
        stored = _run_folder(source_path, out)
        if stored is None:
            msg = f"--from {source_path}: no run folder with manifest.json (under --out {out})"
            raise UsageError(msg)
    result, used, n_tasks, n_epochs = _forecast(flags, stored, out, prices)
    if json_output:
        stdout.print_json(result.model_dump_json())
        return
    from harness.run.forecast import forecast_lines

    for line in forecast_lines(result):
        stdout.print(line, markup=False, soft_wrap=True)
    if stored is None and used is not None:
        stdout.print(
            f"  (measured figures from {used.name}, the latest stored run with these "
            "tasks; --from RUN to choose)",
            markup=False,
        )
    if stored is not None:
        _print_design(stored, out, options, n_tasks, n_epochs)


def _power_plan(source: Path, out: Path, options: dict[str, Any]) -> PowerPlan:
    from harness.stats import plan

    table = _load(source, out)
    try:
        return plan(table, **options)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _print_design(
    stored: Path, out: Path, options: dict[str, Any], n_tasks: int, epochs: int
) -> None:
    """What the planned design detects, with the stored run's variance (if it has one)."""
    from harness.run.layout import RunLayout
    from harness.run.store import RunStore
    from harness.stats.plan_text import design_lines

    try:
        result = _power_plan(stored, out, options)
    except UsageError:
        return  # one arm, or no check to plan: the forecast stands alone
    simulated = RunStore(RunLayout(stored)).manifest().simulated
    for line in design_lines(result, n_tasks, epochs, stored.name, simulated=simulated):
        stdout.print(line, markup=False, soft_wrap=True)
