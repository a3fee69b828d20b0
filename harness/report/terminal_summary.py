"""The run summary in the terminal (rich): means, paired differences, verdicts, costs, power."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.report.compare import overall_lines
from harness.report.summary import SIM_BANNER
from harness.report.terminal_tables import compact_table
from harness.stats import OVERALL
from harness.stats.compare import COVERS_ZERO

if TYPE_CHECKING:
    from rich.console import Console

    from harness.report.compare import RunComparison
    from harness.report.gates import GateResult
    from harness.report.summary import RunSummary
    from harness.stats import Interval, PairedComparison, RunStats

_VERDICT_STYLE = {
    "better": "bold green",
    "worse": "bold red",
    "no detectable difference": "yellow",
    "not enough data": "dim",
}
#: The verdict column's one word; the sentences behind it are printed below the table.
VERDICT_WORD = {
    "better": "better",
    "worse": "worse",
    "no detectable difference": "inconclusive",
    "not enough data": "insufficient",
}
VERDICT_LEGEND = (
    "verdicts: better/worse = the verdict's interval (t and bootstrap-t together, at its "
    "Holm level; a confidence sequence in a run that may stop early) lies above/below "
    "zero; inconclusive = it covers zero; insufficient = fewer than 6 tasks. p flip: the "
    "sign-flip test, exact up to 40 tasks, MC = Monte Carlo above."
)
#: From this console width on, the differences table also shows the bootstrap interval.
_WIDE = 90
_FAILURES_SHOWN = 10


def interval(ci: Interval | None, signed: bool = False) -> str:
    """``[low, high]`` to three places, or ``-``."""
    if ci is None:
        return "-"
    if signed:
        return f"[{ci.low:+.3f}, {ci.high:+.3f}]"
    return f"[{ci.low:.3f}, {ci.high:.3f}]"


def number(value: float | None, fmt: str = ".3f") -> str:
    """A number, or ``-`` when unknown."""
    return "-" if value is None else format(value, fmt)


def p_value(value: float | None) -> str:
    """A p-value to three significant figures, or ``-``."""
    return "-" if value is None else f"{value:.3g}"


def p_short(value: float | None) -> str:
    """A p-value in at most six characters: three decimals, or ``<0.001``."""
    if value is None:
        return "-"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def family_note(stats: RunStats) -> str:
    """What controls the errors of the verdicts, in a few words."""
    size = stats.family_size
    if stats.anytime:
        return (
            f"confidence sequences valid at any stopping time, alpha split over {size} "
            "comparison(s)"
        )
    return f"one Holm family of {size} comparison(s), alpha {stats.alpha:g} in all"


def sign_flip(item: PairedComparison) -> str:
    """The sign-flip p-value, marked ``MC`` when it is Monte Carlo (above 40 tasks)."""
    value = p_value(item.test.permutation_p_value)
    return value if item.test.permutation_exact else f"{value} (MC)"


def level_of(item: PairedComparison) -> str:
    """The verdict interval's level, e.g. ``97.5%`` (its method is in the table's title)."""
    found = re.search(r"\d+(?:\.\d+)?%", item.interval_label)
    return found.group(0) if found else item.interval_label


def means_tables(stats: RunStats, width: int) -> list[Table]:
    """Per variant and check: mean over tasks with its 95% interval.

    Variants go in as many tables as needed so that each fits ``width`` columns.
    """
    check_width = max(len("check"), *(len(check) for check in stats.checks))
    cells = {
        (arm.variant, arm.check): f"{number(arm.score.mean)} {interval(arm.score.ci)}"
        for arm in stats.arms
    }
    groups: list[list[str]] = [[]]
    used = check_width
    for label in stats.variants:
        column = max(len(label), 20) + 1
        if groups[-1] and used + column > width:
            groups.append([])
            used = check_width
        groups[-1].append(label)
        used += column
    tables = []
    for labels in groups:
        table = compact_table("mean over tasks [95% interval]")
        table.add_column("check", no_wrap=True)
        for label in labels:
            table.add_column(label, justify="right", no_wrap=True)
        for check in stats.checks:
            table.add_row(check, *(cells.get((label, check), "-") for label in labels))
        tables.append(table)
    return tables


def comparisons_table(stats: RunStats, variant: str, width: int = 80) -> Table:
    """One variant against the baseline, per check: difference, interval, p, verdict.

    One word per verdict; :func:`verdict_notes` gives the sentences behind them. The
    interval is the verdict's (its level in the ``level`` column, the method in the
    title); from ``_WIDE`` columns on, the plain 95% t interval is shown too.
    """
    wide = width >= _WIDE
    method = "confidence sequence" if stats.anytime else "t+bootstrap-t"
    table = compact_table(
        f"{variant} vs {stats.baseline}: paired difference (tasks are the unit; "
        f"{method} intervals, {family_note(stats)})"
    )
    columns = [
        ("check", "left"),
        ("diff", "right"),
        ("interval", "right"),
        ("level", "right"),
        *([("95% t", "right")] if wide else []),
        ("p Holm", "right"),
        ("p flip", "right"),
        ("verdict", "left"),
    ]
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for item in stats.comparisons:
        if item.variant != variant:
            continue
        table.add_row(
            item.check,
            number(item.test.mean_diff, "+.3f"),
            interval(item.holm_ci, signed=True),
            level_of(item),
            *([interval(item.test.ci, signed=True)] if wide else []),
            "-" if stats.anytime else p_short(item.holm_p_value),
            sign_flip(item),
            Text(
                VERDICT_WORD.get(item.verdict, item.verdict),
                style=_VERDICT_STYLE.get(item.verdict, ""),
            ),
        )
    return table


def verdict_notes(stats: RunStats, variant: str, *, overall: bool = True) -> list[str]:
    """The sentences below a variant's differences table.

    Its overall verdict in words (unless ``overall`` is false), and every other verdict
    that is not plain: an interval that excludes zero unconfirmed, too few tasks.
    """
    notes = []
    for item in stats.comparisons:
        if item.variant != variant:
            continue
        plain = item.verdict in {"better", "worse"} or (
            item.verdict_text.startswith(COVERS_ZERO)
            and "the interval reaches" not in item.verdict_text
        )
        if item.check == OVERALL:
            if not overall:
                continue
            notes.append(
                f"[bold]{escape(item.variant)} vs {escape(item.baseline)}, overall:[/] "
                f"{escape(item.verdict_text)}"
            )
        elif not plain:
            notes.append(
                f"{escape(item.variant)} {escape(item.check)}: {escape(item.verdict_text)}"
            )
    return notes


def costs_table(summary: RunSummary) -> Table:
    """Per variant: samples, failures (model and infra apart), cost, tokens, time, trigger.

    ``s/sample`` is a whole sample's time: generation plus scoring.
    """
    table = compact_table("cost, tokens, failures, triggering")
    for name in (
        "variant",
        "samples",
        "failed",
        "$/sample",
        "tokens",
        "s/sample",
        "trigger rate",
    ):
        table.add_column(
            name, justify="left" if name == "variant" else "right", no_wrap=True
        )
    if summary.stats is None:
        return table
    for cost in summary.stats.costs:
        model_failed = sum(
            1
            for row in summary.samples
            if row.arm == cost.variant and row.status == "model_failure"
        )
        cost_text = number(cost.cost_usd.mean, ".4f")
        if cost.cost_usd.unknown:
            cost_text += "*"
        trigger = cost.trigger_rate
        table.add_row(
            cost.variant,
            str(cost.samples),
            f"{model_failed} / {cost.infra_failures}",
            cost_text,
            number(cost.tokens.mean, ".0f"),
            number(cost.wall_s.mean, ".1f"),
            "n/a" if trigger is None else f"{trigger.rate:.0%} {interval(trigger.ci)}",
        )
    return table


def cost_notes(summary: RunSummary) -> str:
    """What the costs table's columns mean, and the unpriced samples it leaves out."""
    notes = [
        "failed: model / infrastructure",
        "tokens and s/sample: means per sample; s/sample is generation plus scoring",
    ]
    if summary.stats is not None:
        unpriced = [(c.variant, c.cost_usd.unknown) for c in summary.stats.costs]
        if any(n for _, n in unpriced):
            counts = ", ".join(f"{n} of {v}" for v, n in unpriced if n)
            notes.append(f"* unpriced samples left out of $/sample: {counts}")
    return "; ".join(notes)


def print_summary(
    summary: RunSummary, console: Console, gates: list[GateResult] | None = None
) -> None:
    """Print the run's summary: banner, means, paired comparisons, costs, power, failures."""
    if summary.simulated:
        console.print(Panel(SIM_BANNER, style="bold yellow"))
    console.print(
        f"[bold]run {summary.run_id}[/]: model {summary.model}, {summary.solver}, "
        f"{len(summary.tasks)} task(s) x {len(summary.arms)} variant(s) x "
        f"{summary.epochs} epoch(s); baseline {summary.baseline}"
    )
    if summary.stats is None:
        console.print("[yellow]no scored sample of the baseline: no statistics[/]")
    else:
        _print_differences(summary.stats, console)
        console.print(costs_table(summary))
        console.print(cost_notes(summary), style="dim", markup=False)
    for line in notices(summary):
        console.print(line, markup=False)
    for statement in summary.power:
        console.print(f"[bold]power:[/] {escape(statement.text)}")
    _print_failures(summary, console)
    for problem in summary.completeness.problems(summary.run_id):
        console.print(f"[bold red]incomplete:[/] {problem}")
    for result in gates or []:
        mark = "[green]pass[/]" if result.passed else "[bold red]FAIL[/]"
        console.print(f"gate {mark} {escape(result.name)}: {escape(result.message)}")


def _print_differences(
    stats: RunStats, console: Console, *, overall: bool = True
) -> None:
    """Means, then the paired differences with the sentences behind their verdicts.

    ``overall``: with the overall verdict's sentence.
    """
    for table in means_tables(stats, console.width):
        console.print(table)
    if not stats.comparisons:
        return
    for variant in stats.variants:
        if variant == stats.baseline:
            continue
        console.print(comparisons_table(stats, variant, console.width))
        for note in verdict_notes(stats, variant, overall=overall):
            console.print(note)
    console.print(VERDICT_LEGEND, style="dim", markup=False)


def notices(summary: RunSummary) -> list[str]:
    """Early stopping, infra failures that differ by arm, tasks left out: one line each."""
    out = []
    if summary.sequential is not None:
        out.append(f"early stopping: {summary.sequential.text}")
    stats = summary.stats
    if stats is None:
        return out
    out += [f"warning: {item.text}" for item in stats.infra if item.flagged]
    for check, tasks in stats.left_out.items():
        named = ", ".join(
            f"{task} (no counted sample of {', '.join(arms)})"
            for task, arms in tasks.items()
        )
        out.append(
            f"left out of every {check} figure, so that all arms share one task set: "
            f"{named}"
        )
    return out


def _print_failures(summary: RunSummary, console: Console) -> None:
    for status, title in (
        ("model_failure", "model failures (counted, scored as they are)"),
        (
            "infra_failure",
            "infrastructure failures (excluded, retried by --retry-errors)",
        ),
    ):
        rows = summary.rows_of(status)  # type: ignore[arg-type]
        if not rows:
            continue
        console.print(f"[bold]{title}:[/] {len(rows)}")
        for row in rows[:_FAILURES_SHOWN]:
            reason = row.failure.reason if row.failure is not None else ""
            console.print(f"  {row.key}: {reason}", markup=False)
        if len(rows) > _FAILURES_SHOWN:
            console.print(f"  ... and {len(rows) - _FAILURES_SHOWN} more (report.html)")


def print_comparison(comparison: RunComparison, console: Console) -> None:
    """Print ``harness compare``: what differs, then per pair means and paired differences."""
    a, b = comparison.a, comparison.b
    if a.simulated or b.simulated:
        console.print(Panel(SIM_BANNER, style="bold yellow"))
    console.print(
        f"[bold]A[/] = run {a.run_id} ({a.model}, harness {a.harness_version}); "
        f"[bold]B[/] = run {b.run_id} ({b.model}, harness {b.harness_version}); "
        f"{len(comparison.common_tasks)} common task(s); differences are B - A"
    )
    for note in comparison.notes:
        console.print(f"  differs: {note}", markup=False)
    if comparison.only_a or comparison.only_b:
        console.print(
            f"  left out: {len(comparison.only_a)} task(s) of A only, "
            f"{len(comparison.only_b)} of B only"
        )
    if comparison.changed_tasks:
        console.print(
            "[yellow]  tasks changed between the runs (content hash differs):[/] "
            + ", ".join(comparison.changed_tasks)
        )
    for pair in comparison.pairs:
        if pair.stats is None:
            console.print(
                f"{pair.arm_a} vs {pair.arm_b}: no counted samples on one side"
            )
            continue
        _print_differences(pair.stats, console, overall=False)
    for line in overall_lines(comparison):
        console.print(f"[bold]{escape(line)}[/]")


__all__ = [
    "VERDICT_LEGEND",
    "VERDICT_WORD",
    "comparisons_table",
    "cost_notes",
    "costs_table",
    "family_note",
    "interval",
    "level_of",
    "means_tables",
    "notices",
    "number",
    "p_short",
    "p_value",
    "print_comparison",
    "print_summary",
    "sign_flip",
    "verdict_notes",
]
