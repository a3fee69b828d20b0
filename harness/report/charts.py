"""Chart geometry for the HTML report: numbers in, coordinates out; templates draw the SVG.

Three charts: per-check bars with intervals per variant, a forest plot of the paired
differences, and a task-by-variant heat map. Coordinates are in SVG user units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.report.summary import RunSummary
    from harness.stats import RunStats

#: One colour per variant, in order (baseline first): colour-blind-safe (Okabe-Ito).
PALETTE = ("#6b6b6b", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
VERDICT_COLOUR = {
    "better": "#1a7f37",
    "worse": "#cf222e",
    "no detectable difference": "#6b6b6b",
    "not enough data": "#aaaaaa",
}
LABEL_W = 150
PLOT_W = 440
ROW_H = 16
GAP = 10


def colour(index: int) -> str:
    """The colour of the variant at ``index``."""
    return PALETTE[index % len(PALETTE)]


@dataclass
class Bar:
    """One bar: a variant's mean on a check, with its interval."""

    y: float
    width: float
    colour: str
    label: str
    value: str
    low: float | None = None
    high: float | None = None


@dataclass
class BarGroup:
    """The bars of one check."""

    check: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class BarChart:
    """Per-check bars with intervals per variant."""

    groups: list[BarGroup]
    height: float
    ticks: list[tuple[float, str]]
    legend: list[tuple[str, str]]
    label_w: float = LABEL_W
    plot_w: float = PLOT_W


def _x(value: float) -> float:
    return LABEL_W + PLOT_W * min(1.0, max(0.0, value))


def bar_chart(stats: RunStats | None) -> BarChart | None:
    """Bars of every variant's mean per check, with their 95% t intervals."""
    if stats is None:
        return None
    groups = []
    y = 20.0
    for check in stats.checks:
        group = BarGroup(check=check, y=y)
        for index, variant in enumerate(stats.variants):
            score = stats.arm(variant, check).score
            mean = score.mean if score.mean is not None else 0.0
            ci = score.ci
            group.bars.append(
                Bar(
                    y=y,
                    width=PLOT_W * mean,
                    colour=colour(index),
                    label=variant,
                    value="-" if score.mean is None else f"{score.mean:.3f}",
                    low=_x(ci.low) if ci is not None else None,
                    high=_x(ci.high) if ci is not None else None,
                )
            )
            y += ROW_H
        y += GAP
        groups.append(group)
    ticks = [(_x(v / 4), f"{v / 4:.2f}") for v in range(5)]
    legend = [(colour(i), v) for i, v in enumerate(stats.variants)]
    return BarChart(groups=groups, height=y + 10, ticks=ticks, legend=legend)


@dataclass
class ForestRow:
    """One comparison in the forest plot."""

    y: float
    label: str
    x: float
    low: float | None
    high: float | None
    boot_low: float | None
    boot_high: float | None
    colour: str
    text: str
    title: str


@dataclass
class ForestPlot:
    """Paired differences with their intervals, zero marked."""

    rows: list[ForestRow]
    height: float
    zero: float
    ticks: list[tuple[float, str]]
    label_w: float = LABEL_W
    plot_w: float = PLOT_W


def forest_plot(stats: RunStats | None) -> ForestPlot | None:
    """Each variant against the baseline per check: difference, t interval, bootstrap."""
    if stats is None or not stats.comparisons:
        return None
    bounds = [0.05]
    for item in stats.comparisons:
        for ci in (item.holm_ci, item.test.bootstrap_ci):
            if ci is not None:
                bounds += [abs(ci.low), abs(ci.high)]
        if item.test.mean_diff is not None:
            bounds.append(abs(item.test.mean_diff))
    # A difference of scores in [0, 1] lies in [-1, 1]: wider intervals are clipped there.
    span = min(1.0, math.ceil(max(bounds) * 20) / 20)

    def x(value: float) -> float:
        clipped = min(span, max(-span, value))
        return LABEL_W + PLOT_W * (clipped + span) / (2 * span)

    rows = []
    y = 20.0
    for item in stats.comparisons:
        diff = item.test.mean_diff
        ci, boot = item.holm_ci, item.test.bootstrap_ci
        rows.append(
            ForestRow(
                y=y,
                label=f"{item.variant} · {item.check}",
                x=x(diff) if diff is not None else x(0.0),
                low=x(ci.low) if ci is not None else None,
                high=x(ci.high) if ci is not None else None,
                boot_low=x(boot.low) if boot is not None else None,
                boot_high=x(boot.high) if boot is not None else None,
                colour=VERDICT_COLOUR.get(item.verdict, "#6b6b6b"),
                text="-" if diff is None else f"{diff:+.3f}",
                title=item.verdict_text,
            )
        )
        y += ROW_H + 4
    ticks = [(x(v), f"{v:+.2f}") for v in (-span, -span / 2, 0.0, span / 2, span)]
    return ForestPlot(rows=rows, height=y + 10, zero=x(0.0), ticks=ticks)


@dataclass
class HeatCell:
    """One task x variant cell; ``arm``: the arm a click compares with the baseline."""

    value: float | None
    text: str
    fill: str
    n: int
    arm: str = ""


@dataclass
class HeatMap:
    """Mean overall score per task and variant (and the difference with the baseline)."""

    columns: list[str]
    rows: list[tuple[str, list[HeatCell]]]


def score_fill(value: float | None) -> str:
    """Red (0) to green (1) through yellow; grey when unknown."""
    if value is None:
        return "#e5e5e5"
    hue = 120 * min(1.0, max(0.0, value))
    return f"hsl({hue:.0f}, 65%, 78%)"


def diff_fill(value: float | None) -> str:
    """Orange (worse) to blue (better), white at zero."""
    if value is None:
        return "#e5e5e5"
    strength = min(1.0, abs(value) / 0.5)
    hue = 210 if value > 0 else 30
    return f"hsl({hue}, 70%, {97 - 30 * strength:.0f}%)"


def heat_map(summary: RunSummary) -> HeatMap:
    """Task rows, one column per variant, then one difference column per non-baseline one."""
    labels = summary.labels
    scores: dict[tuple[str, str], list[float]] = {}
    for row in summary.samples:
        if row.status == "infra_failure":
            continue
        if row.overall is not None:
            scores.setdefault((row.task, row.arm), []).append(row.overall)
        elif row.status == "model_failure":
            scores.setdefault((row.task, row.arm), []).append(0.0)
    columns = [*labels, *(f"{label} - {summary.baseline}" for label in labels[1:])]
    # A cell opens its task with the baseline beside an arm: its own, or the first other.
    opens = {label: label for label in labels[1:]}
    opens[summary.baseline] = labels[1] if len(labels) > 1 else summary.baseline
    rows = []
    for task in summary.tasks:
        means = {
            label: fmean(scores[(task, label)]) if (task, label) in scores else None
            for label in labels
        }
        cells = [
            HeatCell(
                value=means[label],
                text="-" if means[label] is None else f"{means[label]:.2f}",
                fill=score_fill(means[label]),
                n=len(scores.get((task, label), [])),
                arm=opens[label],
            )
            for label in labels
        ]
        base = means[summary.baseline]
        for label in labels[1:]:
            ours = means[label]
            diff = None if ours is None or base is None else ours - base
            cells.append(
                HeatCell(
                    value=diff,
                    text="-" if diff is None else f"{diff:+.2f}",
                    fill=diff_fill(diff),
                    n=0,
                    arm=label,
                )
            )
        rows.append((task, cells))
    return HeatMap(columns=columns, rows=rows)


def pair_heat_map(
    tasks: list[str], a: dict[str, float], b: dict[str, float], names: tuple[str, str]
) -> HeatMap:
    """Task rows of two runs' mean overall scores, and B - A."""
    rows = []
    for task in tasks:
        ours, theirs = a.get(task), b.get(task)
        diff = None if ours is None or theirs is None else theirs - ours
        rows.append(
            (
                task,
                [
                    HeatCell(
                        value=v,
                        text="-" if v is None else f"{v:.2f}",
                        fill=score_fill(v),
                        n=0,
                    )
                    for v in (ours, theirs)
                ]
                + [
                    HeatCell(
                        value=diff,
                        text="-" if diff is None else f"{diff:+.2f}",
                        fill=diff_fill(diff),
                        n=0,
                    )
                ],
            )
        )
    return HeatMap(columns=[*names, f"{names[1]} - {names[0]}"], rows=rows)


__all__ = [
    "BarChart",
    "ForestPlot",
    "HeatMap",
    "bar_chart",
    "colour",
    "diff_fill",
    "forest_plot",
    "heat_map",
    "pair_heat_map",
    "score_fill",
]
