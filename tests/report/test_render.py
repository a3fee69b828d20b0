"""Reports: re-rendering reproduces them, the sim banner, drill-downs, no network needed."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from harness.cli import main
from harness.report import conclude
from harness.report.charts import forest_plot, tick_labels
from harness.report.detail import Caps, sample_detail, unpack
from harness.report.render import report_run
from harness.report.summary import SIM_BANNER
from harness.report.terminal_summary import print_summary
from harness.run.layout import RunLayout

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path


def embedded(html: str, element_id: str) -> object:
    """The JSON of ``<script type="application/json" id=...>`` in a page."""
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert match is not None, element_id
    return json.loads(match.group(1))


def test_report_rerendered_equals_the_original(results: Path) -> None:
    manifest, records = make_run(
        results, run_id="r", tasks=5, infra_rate=0.1, model_failure_rate=0.1, seed=2
    )
    layout = RunLayout.of(results, "r")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    names = ("summary.json", "report.md", "report.html")
    first = {name: (layout.root / name).read_bytes() for name in names}
    for name in names:
        (layout.root / name).unlink()
    report_run(layout, n_resamples=RESAMPLES)
    assert {name: (layout.root / name).read_bytes() for name in names} == first


def test_cli_report_rewrites_the_same_files(results: Path) -> None:
    make_run(results, run_id="r", tasks=4)
    with pytest.raises(SystemExit):
        main(["report", "r", "--out", str(results)])
    html = (results / "r" / "report.html").read_bytes()
    with pytest.raises(SystemExit):
        main(["report", "r", "--out", str(results)])
    assert (results / "r" / "report.html").read_bytes() == html


@pytest.mark.parametrize("simulated", [True, False])
def test_sim_banner_on_every_report_of_a_sim_run(
    results: Path, simulated: bool
) -> None:
    manifest, records = make_run(results, run_id="b", tasks=3, simulated=simulated)
    layout = RunLayout.of(results, "b")
    conclusion = conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    html = layout.report("html").read_text()
    markdown = layout.report("md").read_text()
    console = Console(record=True, width=200)
    print_summary(conclusion.summary, console)
    terminal = console.export_text()
    for text in (html, markdown, terminal):
        assert (SIM_BANNER in text) is simulated
    if simulated:
        # at the top: before the run's heading
        assert html.index('id="sim-banner"') < html.index("<h1>")
        assert markdown.index(SIM_BANNER) < markdown.index("## ")
        assert terminal.index("simulation") < terminal.index("run b")


def test_html_is_self_contained_and_holds_every_section(results: Path) -> None:
    manifest, records = make_run(
        results, run_id="h", tasks=6, infra_rate=0.1, model_failure_rate=0.1, seed=5
    )
    layout = RunLayout.of(results, "h")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    html = layout.report("html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html
    for section in (
        "headline",
        "summary",
        "checks",
        "differences",
        "heat",
        "costs",
        "failures",
        "samples",
    ):
        assert f'<section id="{section}"' in html
    assert html.count("<svg") == 1  # the difference axis
    assert html.index('<section id="headline"') < html.index('<section id="summary">')
    assert "could detect an effect of" in html
    rows = embedded(html, "rows-data")
    details = embedded(html, "details-data")
    assert isinstance(rows, list)
    assert isinstance(details, dict)
    assert len(rows) == len(records) == len(details)
    infra = [r for r in rows if r["status"] == "infra_failure"]
    assert infra
    assert all(r["why"] == "sandbox could not start" for r in infra)


def test_drilldown_holds_findings_transcript_and_files(results: Path) -> None:
    manifest, records = make_run(results, run_id="d", tasks=2, files=2)
    layout = RunLayout.of(results, "d")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    details = embedded(layout.report("html").read_text(), "details-data")
    assert isinstance(details, dict)
    record = records[0]
    key = f"{record.spec.task}/{record.spec.arm}/{record.spec.epoch}"
    detail = unpack(details[key])
    assert record.score is not None
    assert [c["name"] for c in detail["checks"]] == [
        c.name for c in record.score.checks
    ]
    worst = min(record.score.checks, key=lambda c: c.score)
    shown = next(c for c in detail["checks"] if c["name"] == worst.name)
    assert len(shown.get("findings", [])) == len(worst.findings)
    assert [e["type"] for e in detail["events"]] == [
        "system",
        "user",
        "reply",
        "files",
        "end",
    ]
    assert {f["path"] for f in detail["files"]} == set(record.generation.files)  # type: ignore[union-attr]


def test_files_are_diffed_against_the_reference(results: Path, tmp_path: Path) -> None:
    _manifest, records = make_run(results, run_id="f", tasks=1, epochs=1, files=2)
    record = records[0]
    layout = RunLayout.of(results, "f")
    workspace = layout.workspace(record.spec)
    reference = tmp_path / "reference"
    (reference / "app").mkdir(parents=True)
    same = (workspace / "app/file_0.py").read_text()
    (reference / "app/file_0.py").write_text(same)
    (reference / "app/file_1.py").write_text("print('reference')\n")
    (reference / "app/extra.py").write_text("x = 1\n")
    detail = sample_detail(record, layout, reference, Caps())
    states = {f.path: f for f in detail.files}
    assert states["app/file_0.py"].state == "same"
    assert states["app/file_1.py"].state == "changed"
    assert "-print('reference')" in states["app/file_1.py"].text
    assert "+from fastapi import FastAPI" in states["app/file_1.py"].text
    assert states["app/extra.py"].state == "missing"


def test_drilldown_is_capped(results: Path) -> None:
    _manifest, records = make_run(results, run_id="c", tasks=1, epochs=1, files=1)
    record = records[0]
    layout = RunLayout.of(results, "c")
    (layout.workspace(record.spec) / "app/file_0.py").write_text("x = 1\n" * 20_000)
    caps = Caps(budget=10_000, file_text=4_000)
    detail = sample_detail(record, layout, None, caps)
    text = detail.files[0].text
    assert len(text) < 4_200
    assert "more characters in app/file_0.py" in text
    big = Caps(budget=8_000, file_text=20_000, file_bytes=1_000_000)
    trimmed = sample_detail(record, layout, None, big)
    assert trimmed.files[0].text == ""
    assert any("left out" in note for note in trimmed.notes)


@pytest.mark.parametrize(
    "fields",
    [
        {"effects": {"none": 0.0}},  # one arm: nothing to compare
        {"infra_rate": 1.0},  # nothing counted: no statistics
        {"tasks": 1},  # one task: no interval
    ],
    ids=["one-arm", "all-infra", "one-task"],
)
def test_degenerate_runs_still_render(results: Path, fields: dict[str, object]) -> None:
    manifest, records = make_run(results, run_id="e", **fields)
    layout = RunLayout.of(results, "e")
    conclusion = conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    html = layout.report("html").read_text()
    assert "</html>" in html
    assert len(embedded(html, "rows-data")) == len(records)  # type: ignore[arg-type]
    console = Console(record=True, width=160)
    print_summary(conclusion.summary, console)
    text = console.export_text()
    if fields.get("infra_rate") == 1.0:
        assert conclusion.summary.stats is None
        assert "no statistics" in text
        assert conclusion.status == 3
    if fields.get("tasks") == 1:
        assert "too few to state the detectable effect" in text


def test_forest_ticks_have_the_digits_they_need(results: Path) -> None:
    assert tick_labels([-0.05, -0.025, 0.0, 0.025, 0.05]) == [
        "-0.050",
        "-0.025",
        "0",
        "+0.025",
        "+0.050",
    ]
    assert tick_labels([-0.5, -0.25, 0.0, 0.25, 0.5]) == [
        "-0.50",
        "-0.25",
        "0",
        "+0.25",
        "+0.50",
    ]
    # A run whose differences are small gets the narrowest axis, ±0.05, halved at ±0.025.
    manifest, records = make_run(
        results,
        run_id="narrow",
        tasks=8,
        effects={"none": 0.0, "skill": 0.01},
        noise=0.002,
    )
    conclusion = conclude(
        manifest,
        RunLayout.of(results, "narrow"),
        records,
        gates=[],
        n_resamples=RESAMPLES,
    )
    plot = forest_plot(conclusion.summary.stats)
    assert plot is not None
    labels = [label for _, label in plot.ticks]
    assert labels == ["-0.050", "-0.025", "0", "+0.025", "+0.050"]
