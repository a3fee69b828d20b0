"""The difference axis: each task's paired difference as a dot, the mean and its interval.

Bars of means on a 0-1 axis hide what a comparison is about (0.943 against 0.979 look
the same); this chart draws the differences themselves, on an axis around zero: one row
per variant and check, a small dot per task (its mean over epochs minus the baseline's),
the mean difference as a large dot coloured by its verdict, its interval as a thick
line, and zero as a dashed line. The axis is scaled to the means and intervals (what the
verdicts rest on), so an effect of 0.036 is not squeezed by one task at -0.5: tasks beyond
it sit at its edge as a triangle with their count. Tasks at (nearly) the same difference
are stacked, or drawn once with their count when many are. Coordinates are SVG units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.report.charts import VERDICT_COLOUR
from harness.report.headline import verdict_word

if TYPE_CHECKING:
    from collections.abc import Callable

    from harness.stats import RunStats, ScoreTable

LABEL_W = 150
PLOT_W = 560
VALUE_W = 150
ROW_H = 30
TOP = 14
#: Half-widths the axis may take: the smallest that holds every mean and interval.
SPANS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
#: Room kept beyond the widest interval.
MARGIN = 1.2
#: Dots closer than this (user units) share a column and are stacked...
BUCKET = 5.0
#: ...this far apart, up to this many; a larger group is one dot with its count.
STACK_STEP = 3.0
MAX_STACK = 5


@dataclass
class TaskDot:
    """One task's paired difference, or several at (nearly) the same place.

    Attributes:
        x: Horizontal position.
        y: Vertical position.
        title: The task(s) and difference(s), for the tooltip.
        count: Tasks drawn by this mark (shown when more than one).
        edge: ``left`` or ``right`` when the tasks lie beyond the axis (a triangle).
    """

    x: float
    y: float
    title: str
    count: int = 1
    edge: str = ""

    @property
    def points(self) -> str:
        """The triangle of a mark at an edge, pointing outwards."""
        tip = -5.0 if self.edge == "left" else 5.0
        return (
            f"{self.x + tip:.1f},{self.y:.1f} {self.x:.1f},{self.y - 4:.1f} "
            f"{self.x:.1f},{self.y + 4:.1f}"
        )


@dataclass
class DiffRow:
    """One variant on one check: the task dots, the mean and its interval."""

    y: float
    label: str
    dots: list[TaskDot]
    x: float | None
    low: float | None
    high: float | None
    colour: str
    text: str
    word: str
    title: str


@dataclass
class DiffPlot:
    """Paired differences per task, on an axis around zero."""

    rows: list[DiffRow]
    height: float
    zero: float
    ticks: list[tuple[float, str]]
    label_w: float = LABEL_W
    plot_w: float = PLOT_W
    value_w: float = VALUE_W

    @property
    def width(self) -> float:
        """The SVG's width."""
        return self.label_w + self.plot_w + self.value_w


def tick_label(value: float) -> str:
    """A tick's label, with as many decimals as the value needs (``+0.025``, ``-0.5``, ``0``)."""
    if abs(value) < 1e-12:
        return "0"
    return format(round(value, 6), "+g")


def choose_span(values: list[float]) -> float:
    """The smallest half-width in :data:`SPANS` that holds every value with a margin."""
    largest = max((abs(v) for v in values), default=0.0) * MARGIN
    return next((s for s in SPANS if largest <= s + 1e-12), SPANS[-1])


def _marks(
    diffs: dict[str, float], span: float, x: Callable[[float], float], centre: float
) -> list[TaskDot]:
    """The task marks of one row: stacked dots, counted groups, counted edge triangles."""
    marks: list[TaskDot] = []
    beyond = {"left": [t for t in diffs if diffs[t] < -span], "right": []}
    beyond["right"] = [t for t in diffs if diffs[t] > span]
    for edge, tasks in beyond.items():
        if tasks:
            marks.append(
                TaskDot(
                    x=x(-span if edge == "left" else span),
                    y=centre,
                    title="; ".join(f"{t}: {diffs[t]:+.3f}" for t in sorted(tasks)),
                    count=len(tasks),
                    edge=edge,
                )
            )
    inside = sorted(
        (t for t in diffs if -span <= diffs[t] <= span), key=diffs.__getitem__
    )
    groups: list[list[str]] = []
    for task in inside:
        if groups and x(diffs[task]) - x(diffs[groups[-1][0]]) <= BUCKET:
            groups[-1].append(task)
        else:
            groups.append([task])
    for group in groups:
        px = sum(x(diffs[t]) for t in group) / len(group)
        if len(group) > MAX_STACK:
            title = f"{len(group)} tasks: " + "; ".join(
                f"{t}: {diffs[t]:+.3f}" for t in group
            )
            marks.append(TaskDot(x=px, y=centre, title=title, count=len(group)))
            continue
        for k, task in enumerate(group):
            offset = (k + 1) // 2 * STACK_STEP * (1 if k % 2 else -1)
            marks.append(
                TaskDot(
                    x=x(diffs[task]),
                    y=centre + offset,
                    title=f"{task}: {diffs[task]:+.3f}",
                )
            )
    return marks


def difference_plot(stats: RunStats | None, table: ScoreTable) -> DiffPlot | None:
    """Every comparison's per-task differences, mean and interval (None: nothing compared).

    Args:
        stats: The run's statistics.
        table: The score table they were computed from (for the per-task means).
    """
    if stats is None or not stats.comparisons:
        return None
    per_row: list[dict[str, float]] = []
    values: list[float] = []
    for item in stats.comparisons:
        ours = table.task_means(item.variant, item.check, stats.missing)
        theirs = table.task_means(item.baseline, item.check, stats.missing)
        per_row.append(
            {t: ours[t] - theirs[t] for t in item.tasks if t in ours and t in theirs}
        )
        if item.test.mean_diff is not None:
            values.append(item.test.mean_diff)
        if item.holm_ci is not None:
            # A bound clipped at -1 or +1 is one the data do not give: it is drawn to
            # the axis edge and does not widen the axis for every other row.
            bounds = (item.holm_ci.low, item.holm_ci.high)
            values += [bound for bound in bounds if abs(bound) < 1.0]
    span = choose_span(values)

    def x(value: float) -> float:
        clipped = min(span, max(-span, value))
        return LABEL_W + PLOT_W * (clipped + span) / (2 * span)

    rows = []
    y = float(TOP)
    for item, diffs in zip(stats.comparisons, per_row, strict=True):
        diff, ci = item.test.mean_diff, item.holm_ci
        rows.append(
            DiffRow(
                y=y,
                label=f"{item.variant} · {item.check}",
                dots=_marks(diffs, span, x, y + ROW_H / 2),
                x=x(diff) if diff is not None else None,
                low=x(ci.low) if ci is not None else None,
                high=x(ci.high) if ci is not None else None,
                colour=VERDICT_COLOUR.get(item.verdict, "#6b6b6b"),
                text="-" if diff is None else f"{diff:+.3f}",
                word=verdict_word(item.verdict),
                title=item.verdict_text,
            )
        )
        y += ROW_H
    ticks = [(x(v), tick_label(v)) for v in (-span, -span / 2, 0.0, span / 2, span)]
    return DiffPlot(rows=rows, height=y + 4, zero=x(0.0), ticks=ticks)


__all__ = [
    "DiffPlot",
    "DiffRow",
    "TaskDot",
    "choose_span",
    "difference_plot",
    "tick_label",
]
