"""Write a run's reports: ``summary.json``, ``report.md`` and ``report.html`` (one file).

Both documents come from jinja2 templates in ``templates/``. The HTML needs no network:
its CSS, script and SVG charts are inline, and each sample's drill-down is embedded
compressed and rendered only when opened. Rendering is deterministic (no clock, sorted
inputs), so ``harness report RUN`` reproduces what ``harness eval`` wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from harness.fileio import write_atomically
from harness.report import charts
from harness.report.console import (
    family_note,
    interval,
    notices,
    number,
    p_value,
    sign_flip,
)
from harness.report.detail import Caps, pack, reference_dirs, sample_detail
from harness.report.summary import NOT_A_WIN, SIM_BANNER, build_summary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from harness.report.compare import RunComparison
    from harness.report.summary import RunSummary
    from harness.run.layout import RunLayout
    from harness.run.records import RunManifest, SampleRecord

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        # Markdown is not HTML: escaping it would corrupt it; the HTML page escapes.
        autoescape=html,  # noqa: S701
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = number
    env.filters["ci"] = interval
    env.filters["p"] = p_value
    env.globals["colour"] = charts.colour
    env.globals["sign_flip"] = sign_flip
    env.globals["family_note"] = family_note
    return env


def _script_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _context(summary: RunSummary) -> dict[str, Any]:
    model_failures = summary.rows_of("model_failure")
    infra_failures = summary.rows_of("infra_failure")
    return {
        "s": summary,
        "stats": summary.stats,
        "sim_banner": SIM_BANNER,
        "not_a_win": NOT_A_WIN,
        "model_failures": model_failures,
        "infra_failures": infra_failures,
        "problems": summary.completeness.problems(summary.run_id),
        "notices": notices(summary),
    }


def render_markdown(summary: RunSummary) -> str:
    """``report.md``."""
    return (
        _environment(html=False).get_template("report.md.j2").render(_context(summary))
    )


@dataclass
class Drilldowns:
    """Each sample's packed drill-down, by ``task/arm/epoch``."""

    packed: dict[str, str]


def drilldowns(
    manifest: RunManifest,
    layout: RunLayout,
    records: Sequence[SampleRecord],
    caps: Caps | None = None,
) -> Drilldowns:
    """Build and pack every sample's drill-down."""
    chosen = caps or Caps.for_samples(len(records))
    references = reference_dirs(manifest)
    packed = {}
    for record in records:
        detail = sample_detail(record, layout, references.get(record.spec.task), chosen)
        packed[detail.key] = pack(detail)
    return Drilldowns(packed=packed)


def render_html(summary: RunSummary, details: Drilldowns) -> str:
    """``report.html``: one self-contained page."""
    rows = [
        {
            "k": row.key,
            "task": row.task,
            "arm": row.arm,
            "epoch": row.epoch,
            "status": row.status,
            "overall": row.overall,
            "why": row.failure.reason if row.failure is not None else "",
        }
        for row in summary.samples
    ]
    context = _context(summary) | {
        "bars": charts.bar_chart(summary.stats),
        "forest": charts.forest_plot(summary.stats),
        "heat": charts.heat_map(summary),
        "rows_json": _script_json(rows),
        "details_json": _script_json(details.packed),
        "summary_json": _script_json(
            {
                "run_id": summary.run_id,
                "samples": len(summary.samples),
                "simulated": summary.simulated,
            }
        ),
    }
    return _environment(html=True).get_template("report.html.j2").render(context)


def render_compare_html(comparison: RunComparison) -> str:
    """The HTML page of ``harness compare --html``."""
    from harness.report.compare import overall_lines

    pairs = [
        {
            "arm_a": pair.arm_a,
            "arm_b": pair.arm_b,
            "tasks": pair.tasks,
            "stats": pair.stats,
            "bars": charts.bar_chart(pair.stats),
            "forest": charts.forest_plot(pair.stats),
            "heat": charts.pair_heat_map(
                pair.tasks,
                pair.overall_a,
                pair.overall_b,
                (f"A:{pair.arm_a}", f"B:{pair.arm_b}"),
            ),
        }
        for pair in comparison.pairs
    ]
    return (
        _environment(html=True)
        .get_template("compare.html.j2")
        .render(
            c=comparison,
            pairs=pairs,
            lines=overall_lines(comparison),
            sim_banner=SIM_BANNER,
        )
    )


@dataclass(frozen=True)
class Written:
    """The files a report wrote."""

    summary: Path
    markdown: Path
    html: Path


def write_reports(
    summary: RunSummary,
    layout: RunLayout,
    manifest: RunManifest,
    records: Sequence[SampleRecord],
) -> Written:
    """Write ``summary.json``, ``report.md`` and ``report.html`` into the run's folder."""
    ordered = sorted(records, key=lambda r: (r.spec.task, r.spec.arm, r.spec.epoch))
    write_atomically(layout.summary, summary.model_dump_json(indent=1) + "\n")
    write_atomically(layout.report("md"), render_markdown(summary))
    details = drilldowns(manifest, layout, ordered)
    write_atomically(layout.report("html"), render_html(summary, details))
    return Written(
        summary=layout.summary, markdown=layout.report("md"), html=layout.report("html")
    )


def report_run(
    layout: RunLayout, *, n_resamples: int | None = None
) -> tuple[RunSummary, Written]:
    """Re-render a stored run's reports from its manifest and samples."""
    from harness.run.store import RunStore

    store = RunStore(layout)
    manifest = store.manifest()
    records = store.samples()
    summary = build_summary(manifest, records, n_resamples=n_resamples)
    return summary, write_reports(summary, layout, manifest, records)


__all__ = [
    "Drilldowns",
    "Written",
    "drilldowns",
    "render_compare_html",
    "render_html",
    "render_markdown",
    "report_run",
    "write_reports",
]
