"""The run summary in the terminal (rich): means, paired differences, verdicts, costs, power."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.report.compare import overall_lines
from harness.report.summary import SIM_BANNER
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


def _short_verdict(item: PairedComparison) -> str:
    if item.verdict == "no detectable difference" and item.verdict_text.startswith(
        COVERS_ZERO
    ):
        return "no detectable difference (interval covers zero)"
    if item.verdict == "no detectable difference":
        return "no detectable difference (not confirmed)"
    return item.verdict


def means_table(stats: RunStats) -> Table:
    """Per variant and check: mean over tasks with its 95% interval."""
    table = Table(title="mean over tasks [95% interval]", title_justify="left")
    table.add_column("check")
    labels = stats.variants
    for label in labels:
        table.add_column(label, justify="right")
    for check in stats.checks:
        cells = []
        for label in labels:
            arm = stats.arm(label, check)
            cells.append(f"{number(arm.score.mean)} {interval(arm.score.ci)}")
        table.add_row(check, *cells)
    return table


def comparisons_table(stats: RunStats) -> Table:
    """Each variant against the baseline, per check: difference, interval, p, verdict."""
    table = Table(
        title=f"paired difference vs {stats.baseline} (tasks are the unit)",
        title_justify="left",
    )
    for name, justify in (
        ("variant", "left"),
        ("check", "left"),
        ("diff", "right"),
        ("95% interval", "right"),
        ("bootstrap", "right"),
        ("p (t)", "right"),
        ("p (exact)", "right"),
        ("verdict", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in stats.comparisons:
        table.add_row(
            item.variant,
            item.check,
            number(item.test.mean_diff, "+.3f"),
            interval(item.holm_ci, signed=True),
            interval(item.test.bootstrap_ci, signed=True),
            p_value(item.holm_p_value),
            p_value(item.holm_permutation_p_value),
            Text(_short_verdict(item), style=_VERDICT_STYLE.get(item.verdict, "")),
        )
    return table


def costs_table(summary: RunSummary) -> Table:
    """Per variant: samples, failures (model and infra apart), cost, tokens, time, trigger."""
    table = Table(title="cost, tokens, failures, triggering", title_justify="left")
    for name in (
        "variant",
        "samples",
        "model failures",
        "infra failures",
        "cost $/sample",
        "tokens/sample",
        "s/sample",
        "trigger rate",
    ):
        table.add_column(name, justify="left" if name == "variant" else "right")
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
            cost_text += f" ({cost.cost_usd.unknown} unpriced)"
        trigger = cost.trigger_rate
        table.add_row(
            cost.variant,
            str(cost.samples),
            str(model_failed),
            str(cost.infra_failures),
            cost_text,
            number(cost.tokens.mean, ".0f"),
            number(cost.wall_s.mean, ".1f"),
            "n/a" if trigger is None else f"{trigger.rate:.0%} {interval(trigger.ci)}",
        )
    return table


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
        console.print(means_table(summary.stats))
        if summary.stats.comparisons:
            console.print(comparisons_table(summary.stats))
            for item in summary.stats.comparisons:
                if item.check == OVERALL:
                    console.print(
                        f"[bold]{escape(item.variant)} vs {escape(item.baseline)}, "
                        f"overall:[/] {escape(item.verdict_text)}"
                    )
        console.print(costs_table(summary))
    for statement in summary.power:
        console.print(f"[bold]power:[/] {escape(statement.text)}")
    _print_failures(summary, console)
    for problem in summary.completeness.problems(summary.run_id):
        console.print(f"[bold red]incomplete:[/] {problem}")
    for result in gates or []:
        mark = "[green]pass[/]" if result.passed else "[bold red]FAIL[/]"
        console.print(f"gate {mark} {escape(result.name)}: {escape(result.message)}")


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
        console.print(means_table(pair.stats))
        console.print(comparisons_table(pair.stats))
    for line in overall_lines(comparison):
        console.print(f"[bold]{escape(line)}[/]")


__all__ = [
    "comparisons_table",
    "costs_table",
    "interval",
    "means_table",
    "number",
    "p_value",
    "print_comparison",
    "print_summary",
]
