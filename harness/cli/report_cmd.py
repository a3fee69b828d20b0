"""``harness report RUN``: re-render a stored run's reports, re-apply gates; thin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import stdout


def command(
    run: Annotated[
        str, typer.Argument(help="The run's id (a folder under --out), or its folder.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder holding runs.")] = Path(
        "results"
    ),
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-under",
            help="CHECK=VALUE or VARIANT:CHECK=VALUE: exit 1 when a mean is below.",
        ),
    ] = None,
    require_improvement: Annotated[
        list[str] | None,
        typer.Option(
            "--require-improvement",
            help="VARIANT[:CHECK]: exit 1 unless the paired interval is above zero.",
        ),
    ] = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write JUnit XML here.")
    ] = None,
) -> None:
    """Re-render summary.json, report.md and report.html from a run's stored samples.

    Exit status: 0 ok, 1 a gate failed, 2 usage error, 3 the run is incomplete.
    """
    from harness.cli.eval_summary import show
    from harness.report import conclude
    from harness.report.gates import parse_gates
    from harness.run.layout import RunLayout
    from harness.run.store import RunStore

    gates = parse_gates(fail_under or [], require_improvement or [])
    layout = RunLayout.locate(run, out)
    store = RunStore(layout)
    conclusion = conclude(
        store.manifest(), layout, store.samples(), gates=gates, junit=junit
    )
    sys.exit(show(conclusion, stdout))
