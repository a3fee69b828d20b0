"""``harness plan RUN --effect 0.05``: tasks and epochs needed to detect an effect.

``RUN`` is a run's id (under ``--out``), a run folder, or a score table JSON file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from harness.cli.common import stdout
from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.stats import ScoreTable


def _load(path: Path, results_dir: Path) -> ScoreTable:
    from harness.stats import ScoreTable

    run_folder = path if (path / "manifest.json").is_file() else results_dir / path
    if (run_folder / "manifest.json").is_file():
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


def command(
    table: Annotated[
        Path,
        typer.Argument(
            help="A run id (under --out), a run folder, or a score table JSON file.",
            show_default=False,
        ),
    ],
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
) -> None:
    """Say what a run could detect, and how many tasks and epochs an effect needs."""
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
    from harness.stats import plan

    source = _load(table, out)
    try:
        result = plan(
            source, effect, check=check, baseline=baseline, power=power, alpha=alpha
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    if json_output:
        stdout.print_json(result.model_dump_json())
        return
    for line in result.lines():
        stdout.print(line, markup=False, soft_wrap=True)
