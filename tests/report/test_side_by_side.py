"""The side-by-side view's data: baseline and arm projects diffed, capped; the difference axis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.report import conclude
from harness.report.detail import unpack
from harness.report.dotplot import choose_span, difference_plot, tick_label
from harness.report.files import Caps
from harness.report.pairs import pair_details
from harness.report.scores import score_table
from harness.run.layout import RunLayout
from harness.stats import SampleScores, ScoreTable, analyze

from .helpers import RESAMPLES, make_run
from .test_render import embedded

if TYPE_CHECKING:
    from pathlib import Path


def test_every_paired_sample_gets_its_diff_with_the_baseline(results: Path) -> None:
    manifest, records = make_run(
        results, run_id="p", tasks=3, epochs=2, files=2, infra_rate=0.2, seed=4
    )
    layout = RunLayout.of(results, "p")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    pairs = embedded(layout.report("html").read_text(), "pairs-data")
    assert isinstance(pairs, dict)
    with_project = {
        (r.spec.task, r.spec.arm, r.spec.epoch)
        for r in records
        if layout.workspace(r.spec).is_dir()
    }
    expected = {
        f"{task}/{arm}/{epoch}"
        for task, arm, epoch in with_project
        if arm != "none" and (task, "none", epoch) in with_project
    }
    assert set(pairs) == expected
    assert len(expected) < len(records) / 2  # infrastructure failures have no pair
    key = sorted(expected)[0]
    pair = unpack(pairs[key])
    assert pair["baseline"] == key.replace("/skill/", "/none/")
    (changed, *_) = pair["files"]
    assert changed["state"] == "changed"
    task, _, epoch = key.split("/")
    assert f"-# {task} none {epoch} {changed['path']}" in changed["text"]
    assert f"+# {task} skill {epoch} {changed['path']}" in changed["text"]


def test_files_only_on_one_side_and_the_size_cap(results: Path) -> None:
    _, records = make_run(results, run_id="q", tasks=1, epochs=1, files=2)
    layout = RunLayout.of(results, "q")
    base, other = sorted(records, key=lambda r: r.spec.arm)  # none, skill
    assert base.generation is not None
    assert other.generation is not None
    (layout.workspace(other.spec) / "app" / "new.py").write_text("x = 1\n")
    other.generation.files = [*other.generation.files, "app/new.py"]
    big = "\n".join(f"line {i}" for i in range(5_000))
    (layout.workspace(other.spec) / "app" / "file_0.py").write_text(big)
    base.generation.files = [f for f in base.generation.files if f != "app/file_1.py"]
    (pair,) = pair_details(records, "none", layout, Caps(diff_lines=50))
    views = {f.path: f for f in pair.files}
    assert views["app/new.py"].state == "added"
    assert views["app/new.py"].note == "only in skill"
    assert views["app/file_1.py"].state == "added"  # not part of the baseline's project
    assert views["app/file_0.py"].state == "changed"
    assert len(views["app/file_0.py"].text.splitlines()) == 50
    assert "diff cut at 50 of" in views["app/file_0.py"].note
    (tight,) = pair_details(records, "none", layout, Caps(budget=100, diff_lines=50))
    assert any("left out to keep the report small" in note for note in tight.notes)
    assert sum(len(f.text) for f in tight.files) <= 100


@pytest.mark.parametrize(
    ("value", "label"),
    [(0.025, "+0.025"), (-0.025, "-0.025"), (0.0, "0"), (0.5, "+0.5"), (-1.0, "-1")],
)
def test_tick_labels_keep_every_decimal(value: float, label: str) -> None:
    assert tick_label(value) == label


def test_axis_span_holds_every_value_with_a_margin() -> None:
    assert choose_span([0.01, -0.015]) == 0.02
    assert choose_span([0.036]) == 0.05
    assert choose_span([0.065]) == 0.1
    assert choose_span([0.3, -0.4]) == 0.5
    assert choose_span([3.0]) == 1.0
    assert choose_span([]) == 0.02


def test_difference_axis_draws_each_task_around_zero(results: Path) -> None:
    manifest, records = make_run(results, run_id="dp", tasks=6, epochs=1, seed=9)
    conclusion = conclude(
        manifest, RunLayout.of(results, "dp"), records, gates=[], n_resamples=RESAMPLES
    )
    stats = conclusion.summary.stats
    assert stats is not None
    plot = difference_plot(stats, score_table(records))
    assert plot is not None
    assert len(plot.rows) == len(stats.comparisons)
    overall = next(r for r in plot.rows if r.label == "skill · overall")
    assert sum(d.count for d in overall.dots) == 6
    (left, low), (right, high) = plot.ticks[0], plot.ticks[-1]
    assert plot.zero == pytest.approx((left + right) / 2)
    assert float(low) == -float(high)
    comparison = stats.comparison("skill", "overall")
    assert comparison.test.mean_diff is not None
    assert comparison.holm_ci is not None
    per_unit = (right - left) / (2 * float(high))
    assert overall.x == pytest.approx(plot.zero + comparison.test.mean_diff * per_unit)
    assert overall.low == pytest.approx(plot.zero + comparison.holm_ci.low * per_unit)


def test_the_axis_follows_the_interval_not_an_outlying_task() -> None:
    rows = []
    # The five around zero spread enough that the t+bootstrap-t interval (which one
    # outlying task widens a lot when every other difference is nearly equal) stays
    # well inside +0.9.
    diffs = [0.0] * 10 + [0.08, -0.06, 0.1, 0.05, -0.04, 0.9]
    for i, d in enumerate(diffs):
        rows.append(
            SampleScores(
                task=f"t{i:02d}", variant="none", epoch=0, checks={"overall": 0.1}
            )
        )
        rows.append(
            SampleScores(
                task=f"t{i:02d}", variant="skill", epoch=0, checks={"overall": 0.1 + d}
            )
        )
    table = ScoreTable(samples=rows)
    stats = analyze(table, baseline="none", n_resamples=RESAMPLES)
    plot = difference_plot(stats, table)
    assert plot is not None
    (row,) = plot.rows
    assert float(plot.ticks[-1][1]) < 0.9  # scaled to the interval, not to t15's +0.9
    edge = [d for d in row.dots if d.edge]
    assert [(d.edge, d.count) for d in edge] == [("right", 1)]
    assert "t15: +0.900" in edge[0].title
    assert edge[0].x == pytest.approx(plot.ticks[-1][0])
    crowd = [d for d in row.dots if d.count == 10]
    assert len(crowd) == 1  # ten tasks at zero: one mark with its count
    assert crowd[0].x == pytest.approx(plot.zero)
    assert sum(d.count for d in row.dots) == len(diffs)


def test_an_interval_clipped_at_one_reaches_the_edge_without_widening_the_axis() -> (
    None
):
    # Two checks: one ordinary, one where a single task moved (its verdict's interval
    # is clipped at +1). The axis keeps the ordinary one's scale.
    rows = []
    ordinary = [0.02, 0.03, -0.01, 0.04, 0.01, 0.02, 0.0, 0.03]
    sparse = [0.06] + [0.0] * 7
    for i, (a, b) in enumerate(zip(ordinary, sparse, strict=True)):
        base = {"overall": 0.5, "format": 0.9}
        rows.append(SampleScores(task=f"t{i}", variant="none", epoch=0, checks=base))
        rows.append(
            SampleScores(
                task=f"t{i}",
                variant="skill",
                epoch=0,
                checks={"overall": 0.5 + a, "format": 0.9 + b},
            )
        )
    table = ScoreTable(samples=rows)
    stats = analyze(table, baseline="none", n_resamples=RESAMPLES)
    assert stats.comparison("skill", "format").holm_ci.high == 1.0
    plot = difference_plot(stats, table)
    assert plot is not None
    assert float(plot.ticks[-1][1]) < 1.0  # the clipped bound did not set the scale
    row = next(r for r in plot.rows if r.label == "skill · format")
    assert row.high == pytest.approx(plot.ticks[-1][0])  # drawn to the axis edge
