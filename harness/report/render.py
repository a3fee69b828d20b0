"""Write a run's reports: ``summary.json``, ``report.md`` and ``report.html`` (one file).

Both documents come from jinja2 templates in ``templates/``. The HTML needs no network:
its CSS, script and SVG charts are inline. The page is a list of sections (:data:`SECTIONS`,
one partial each under ``templates/sections/``) under a headline card, and a side panel
(``panel.js``) that opens a task with the baseline's and another arm's samples side by
side, or one sample. Each sample's drill-down and each pair's diff is embedded compressed
and rendered only when opened. Every text from a run (file contents, transcripts, findings)
reaches the page as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, and is put on the page with ``textContent``: it is never markup. Rendering is
deterministic (no clock, sorted inputs), so ``harness report RUN`` reproduces what
``harness eval`` wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from harness.fileio import write_atomically
from harness.report import charts
from harness.report.detail import Caps, pack, reference_dirs, sample_detail
from harness.report.dotplot import difference_plot
from harness.report.files import Reader
from harness.report.headline import headline, one_line, verdict_word
from harness.report.pairs import pair_details
from harness.report.scores import table_of
from harness.report.summary import NOT_A_WIN, SIM_BANNER, build_summary
from harness.report.terminal_summary import (
    family_note,
    interval,
    notices,
    number,
    p_value,
    sign_flip,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from harness.report.compare import RunComparison
    from harness.report.summary import RunSummary
    from harness.run.layout import RunLayout
    from harness.run.records import RunManifest, SampleRecord
    from harness.stats import ScoreTable

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
    env.filters["word"] = verdict_word
    # Jinja's ``capitalize`` lowercases the rest ("one Holm family" -> "One holm family").
    env.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
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
        "verdict_line": one_line(summary),
    }


def render_markdown(summary: RunSummary) -> str:
    """``report.md``."""
    return (
        _environment(html=False).get_template("report.md.j2").render(_context(summary))
    )


@dataclass(frozen=True)
class Section:
    """One section of ``report.html``, in page order.

    Attributes:
        id: Its anchor (``#id``) and the ``<section>``'s id.
        title: Its name in the navigation bar.
        template: Its partial under ``templates/`` (it gets the whole page context, and
            ``data[id]`` when ``data`` is set).
        needs_stats: Left out when the run has no statistics.
        data: What the partial needs beyond the page context, from the summary and the
            score table.
    """

    id: str
    title: str
    template: str
    needs_stats: bool = True
    data: Callable[[RunSummary, ScoreTable], object] | None = None


#: The page's sections, in order. A new section is a partial in ``templates/sections/``
#: and one entry here; the navigation bar follows this list.
SECTIONS: list[Section] = [
    Section("headline", "headline", "sections/headline.html.j2", needs_stats=False),
    Section("summary", "summary", "sections/summary.html.j2", needs_stats=False),
    Section("checks", "checks", "sections/checks.html.j2"),
    Section("differences", "differences", "sections/differences.html.j2"),
    Section("heat", "tasks", "sections/heat.html.j2"),
    Section("parts", "skill parts", "sections/parts.html.j2"),
    Section("costs", "cost & triggering", "sections/costs.html.j2"),
    Section("failures", "failures", "sections/failures.html.j2", needs_stats=False),
    Section("samples", "samples", "sections/samples.html.j2", needs_stats=False),
]


#: Partials shown in each arm's headline card under its figures (each gets ``h``, a
#: :class:`~harness.report.headline.HeadlineArm`, and the page context).
CARD_PARTS: list[str] = ["sections/parts_card.html.j2"]


@dataclass
class Drilldowns:
    """What the page decompresses on demand, and what its sample table shows.

    Attributes:
        packed: Each sample's packed :class:`~harness.report.detail.SampleDetail`, by
            ``task/arm/epoch``.
        pairs: Each packed :class:`~harness.report.pairs.PairDetail` (the baseline's
            project against another arm's), by the other arm's ``task/arm/epoch``.
        reasons: Why each sample fell short (empty when it did not), by key.
        draws: What ``sim`` drew for each sample, by key (only where it drew).
    """

    packed: dict[str, str]
    pairs: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    draws: dict[str, str] = field(default_factory=dict)


def drilldowns(
    manifest: RunManifest,
    layout: RunLayout,
    records: Sequence[SampleRecord],
    caps: Caps | None = None,
) -> Drilldowns:
    """Build and pack every sample's drill-down and every baseline-arm pair's diff."""
    chosen = caps or Caps.for_samples(len(records))
    references = reference_dirs(manifest)
    out = Drilldowns(packed={})
    by_task: dict[str, list[SampleRecord]] = {}
    for record in records:
        by_task.setdefault(record.spec.task, []).append(record)
    for task, group in by_task.items():
        reader = Reader(chosen.file_bytes)  # a task's files are read once, then let go
        for record in group:
            detail = sample_detail(record, layout, references.get(task), chosen, reader)
            out.packed[detail.key] = pack(detail)
            out.reasons[detail.key] = detail.reason
            if detail.drew is not None:
                out.draws[detail.key] = detail.drew
        for pair in pair_details(group, manifest.baseline, layout, chosen, reader):
            out.pairs[pair.key] = pack(pair)
    return out


def _rows(summary: RunSummary, details: Drilldowns) -> list[dict[str, object]]:
    return [
        {
            "k": row.key,
            "task": row.task,
            "arm": row.arm,
            "epoch": row.epoch,
            "status": row.status,
            "overall": row.overall,
            "why": details.reasons.get(row.key)
            or (row.failure.reason if row.failure is not None else ""),
            "drew": details.draws.get(row.key, ""),
        }
        for row in summary.samples
    ]


def render_html(summary: RunSummary, details: Drilldowns, table: ScoreTable) -> str:
    """``report.html``: one self-contained page.

    Args:
        summary: The run's summary.
        details: The packed drill-downs (:func:`drilldowns`).
        table: The score table the statistics came from (per-task differences).
    """
    sections = [
        section
        for section in SECTIONS
        if summary.stats is not None or not section.needs_stats
    ]
    context = _context(summary) | {
        "sections": sections,
        "data": {
            section.id: section.data(summary, table)
            for section in sections
            if section.data is not None
        },
        "headline": headline(summary),
        "card_parts": CARD_PARTS,
        "diffplot": difference_plot(summary.stats, table),
        "heat": charts.heat_map(summary),
        "rows_json": _script_json(_rows(summary, details)),
        "details_json": _script_json(details.packed),
        "pairs_json": _script_json(details.pairs),
        "summary_json": _script_json(
            {
                "run_id": summary.run_id,
                "samples": len(summary.samples),
                "simulated": summary.simulated,
                "baseline": summary.baseline,
                "arms": summary.labels,
                "epochs": summary.epochs,
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
    html = render_html(summary, details, table_of(summary.samples))
    write_atomically(layout.report("html"), html)
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
    "CARD_PARTS",
    "SECTIONS",
    "Drilldowns",
    "Section",
    "Written",
    "drilldowns",
    "render_compare_html",
    "render_html",
    "render_markdown",
    "report_run",
    "write_reports",
]
