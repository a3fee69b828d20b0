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
from typing import Annotated, Any

import typer

from harness.cli.common import stdout
from harness.errors import UsageError
from harness.stats import ScoreTable, plan


def _run_folder(path: Path, results_dir: Path) -> Path | None:
    folder = path if (path / "manifest.json").is_file() else results_dir / path
    return folder if (folder / "manifest.json").is_file() else None


def _load(path: Path, results_dir: Path) -> ScoreTable:
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
    model: Annotated[
        str | None,
        typer.Option(
            help="Forecast the cost and time of a run of this model (as harness eval).",
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", help="The run's variants, as harness eval."),
    ] = None,
    tasks: Annotated[
        list[str] | None,
        typer.Option("--tasks", help="The run's tasks, as harness eval."),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option(help="The run's epochs.", min=1, show_default=False)
    ] = None,
    mode: Annotated[str | None, typer.Option(help="oneshot or agent.")] = None,
    agent: Annotated[
        str | None, typer.Option(help="builtin, claude-code or codex.")
    ] = None,
    delivery: Annotated[
        str | None, typer.Option(help="inline or on-demand (as harness eval).")
    ] = None,
    max_concurrency: Annotated[
        int | None, typer.Option(help="Samples generating at once.", min=1)
    ] = None,
    score_slots: Annotated[
        int | None, typer.Option(help="Samples scored at once.", min=1)
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option(help="Output tokens per reply.", min=1)
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option(help="Dollar budget per sample.", min=0)
    ] = None,
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
    if not 0 < power < 1 or not 0 < alpha < 1:
        msg = f"--power {power} and --alpha {alpha} must both lie strictly between 0 and 1"
        raise UsageError(msg)
    from harness.cli.eval_cmd import _split

    flags: dict[str, Any] = {
        "model": model,
        "variants": variant,
        "tasks": _split(tasks),
        "epochs": epochs,
        "mode": mode,
        "agent": agent,
        "delivery": delivery,
        "max_concurrency": max_concurrency,
        "score_slots": score_slots,
        "max_tokens": max_tokens,
        "max_cost_usd": max_cost,
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
        _print_power(
            source_path, out, effect, check, baseline, power, alpha, json_output
        )
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
        _print_design(
            stored, out, effect, check, baseline, power, alpha, n_tasks, n_epochs
        )


def _print_power(
    source: Path,
    out: Path,
    effect: float,
    check: str | None,
    baseline: str | None,
    power: float,
    alpha: float,
    json_output: bool,
) -> None:
    table = _load(source, out)
    try:
        result = plan(
            table, effect, check=check, baseline=baseline, power=power, alpha=alpha
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    if json_output:
        stdout.print_json(result.model_dump_json())
        return
    for line in result.lines():
        stdout.print(line, markup=False, soft_wrap=True)


def _print_design(
    stored: Path,
    out: Path,
    effect: float,
    check: str | None,
    baseline: str | None,
    power: float,
    alpha: float,
    n_tasks: int,
    epochs: int,
) -> None:
    """What the planned design detects, with the stored run's variance (if it has one)."""
    from harness.run.layout import RunLayout
    from harness.run.store import RunStore
    from harness.stats.planning import design_mde

    table = _load(stored, out)
    try:
        result = plan(
            table, effect, check=check, baseline=baseline, power=power, alpha=alpha
        )
    except ValueError:
        return  # one arm, or no check to plan: the forecast stands alone
    simulated = RunStore(RunLayout(stored)).manifest().simulated
    stdout.print(
        f"Power, with the variance of run {stored.name}"
        + (" (a sim run: the sim's variance, not your model's)" if simulated else "")
        + ":",
        markup=False,
    )
    for item in result.variants:
        low, high = design_mde(item, n_tasks, epochs, power)
        if low is None:
            continue
        upper = f" (up to {high:.3f})" if high is not None and high > low + 5e-4 else ""
        stdout.print(
            f"  {item.variant} vs {result.baseline}: {n_tasks} tasks x {epochs} epochs "
            f"detect {result.check} differences of {low:.3f}{upper} at {power:.0%} power.",
            markup=False,
            soft_wrap=True,
        )
