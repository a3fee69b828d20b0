"""What ``harness eval`` and ``harness report`` print and write when a run ends, and the status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.report import conclude
from harness.report.gates import parse_gates
from harness.report.terminal_summary import print_summary

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from harness.report import Conclusion
    from harness.run.eval import EvalOutcome


def show(conclusion: Conclusion, console: Console) -> int:
    """Print a concluded run's summary and where its reports are; return its status."""
    print_summary(conclusion.summary, console, conclusion.gates)
    written = conclusion.written
    console.print(
        f"reports: {written.html}, {written.markdown.name}, {written.summary.name}",
        markup=False,
    )
    return conclusion.status


def finish(
    outcome: EvalOutcome,
    *,
    fail_under: list[str],
    require_improvement: list[str],
    junit: Path | None,
    require_no_worse: list[str] | None = None,
    console: Console,
) -> int:
    """Write the run's reports, print its summary, apply its gates; return the exit status."""
    run = outcome.run
    conclusion = conclude(
        run.manifest,
        run.store.layout,
        outcome.records,
        gates=parse_gates(fail_under, require_improvement, require_no_worse),
        junit=junit,
    )
    return show(conclusion, console)


__all__ = ["finish", "show"]
