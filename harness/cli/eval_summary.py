"""What ``harness eval`` prints and writes when a run ends, and its exit status."""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from harness.run.eval import EvalOutcome


def finish(
    outcome: EvalOutcome,
    *,
    fail_under: list[str],
    require_improvement: list[str],
    junit: Path | None,
    console: Console,
) -> int:
    """Print the run's summary; return the exit status."""
    del fail_under, require_improvement, junit
    by_arm: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    for record in outcome.records:
        if record.score is not None and not record.infra_failed:
            by_arm[record.spec.arm].append(record.score.overall)
        if record.failure is not None:
            failed[record.spec.arm] += 1
    table = Table(title=f"run {outcome.run.manifest.run_id}")
    table.add_column("variant")
    table.add_column("scored", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("mean overall", justify="right")
    for entry in outcome.run.manifest.arms:
        label = entry.arm.label
        scores = by_arm.get(label, [])
        table.add_row(
            label,
            str(len(scores)),
            str(failed.get(label, 0)),
            f"{fmean(scores):.3f}" if scores else "-",
        )
    console.print(table)
    return 0


__all__ = ["finish"]
