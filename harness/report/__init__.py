"""Reports of runs: the summary model, terminal, Markdown and HTML renderers, CI gates.

- :mod:`.scores`: the one adapter from sample records to the statistics' score table;
- :mod:`.summary`: ``summary.json`` (:class:`RunSummary`), built from a run's files only;
- :mod:`.console`, :mod:`.render` (``report.md``, ``report.html``), :mod:`.charts`,
  :mod:`.detail` (per-sample drill-downs);
- :mod:`.gates`: ``--fail-under``, ``--require-improvement``, JUnit and exit statuses;
- :mod:`.compare`: two runs on their common tasks, with the same paired statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from harness.report.gates import Gate, GateResult
    from harness.report.render import Written
    from harness.report.summary import RunSummary
    from harness.run.layout import RunLayout
    from harness.run.records import RunManifest, SampleRecord


@dataclass
class Conclusion:
    """What the end of a run (or ``harness report``) produced.

    Attributes:
        summary: The run's summary.
        written: The report files.
        gates: Each gate's result.
        status: The exit status (see :data:`harness.report.gates.EXIT_CODES`).
    """

    summary: RunSummary
    written: Written
    gates: list[GateResult]
    status: int


def conclude(
    manifest: RunManifest,
    layout: RunLayout,
    records: Sequence[SampleRecord],
    *,
    gates: list[Gate],
    junit: Path | None = None,
    n_resamples: int | None = None,
) -> Conclusion:
    """Summarise a run, write its reports, apply its gates, write JUnit if asked.

    Raises:
        UsageError: When a gate names a variant or check the run does not have.
    """
    from harness.report.gates import check_gates, evaluate, exit_status, write_junit
    from harness.report.render import write_reports
    from harness.report.summary import build_summary

    check_gates(gates, [entry.arm.label for entry in manifest.arms], manifest.checks)
    from harness.report.summary import GateOutcome

    summary = build_summary(manifest, records, n_resamples=n_resamples)
    results = evaluate(gates, summary)
    summary = summary.model_copy(
        update={
            "gates": [
                GateOutcome(name=r.name, passed=r.passed, message=r.message)
                for r in results
            ]
        }
    )
    written = write_reports(summary, layout, manifest, records)
    if junit is not None:
        write_junit(junit, summary, results)
    return Conclusion(
        summary=summary,
        written=written,
        gates=results,
        status=exit_status(summary, results),
    )


__all__ = ["Conclusion", "conclude"]
