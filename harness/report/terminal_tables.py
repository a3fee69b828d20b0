"""Rich tables for the terminal, drawn for 80 columns first."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from harness.sandbox.types import WORK
from harness.scoring.results import CheckResult, ProjectScore

_STATUS_STYLE = {
    "pass": "green",
    "fail": "red",
    "error": "bold red",
    "timeout": "magenta",
    "skipped": "dim",
}
_FIGURES_SHOWN = 4


def _figure(key: str, value: object) -> str:
    """``passed=3``, or with a space before an operator: ``requires-python ==3.14.*``."""
    text = str(value)
    return f"{key} {text}" if text[:1] in set("<>=!~^") else f"{key}={text}"


def _figures(check: CheckResult) -> str:
    plain = {
        k: v
        for k, v in check.figures.items()
        if not k.startswith(("code:", "rule:"))
        and k not in {"project_config_ignored", "conftest"}
    }
    failing = [
        k.removeprefix("rule:")
        for k, v in check.figures.items()
        if k.startswith("rule:") and str(v).startswith("fail")
    ]
    codes = sorted(
        (
            (k.removeprefix("code:"), v)
            for k, v in check.figures.items()
            if k.startswith("code:")
        ),
        key=lambda item: (-int(item[1]), item[0]),
    )
    parts = [_figure(k, v) for k, v in list(plain.items())[:_FIGURES_SHOWN]]
    if codes:
        parts.append(
            "top: " + ", ".join(f"{code} x{count}" for code, count in codes[:3])
        )
    if failing:
        parts.append("failing: " + ", ".join(failing))
    if check.reason:
        parts.append(check.reason)
    if "conftest" in check.figures:
        parts.append(f"conftest {check.figures['conftest']}")
    if "project_config_ignored" in check.figures:
        parts.append(f"ignored: {check.figures['project_config_ignored']}")
    return "; ".join(parts)


def compact_table(title: str) -> Table:
    """A table that fits 80 columns: a rule under the header, one space between columns."""
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
    )


def check_table(score: ProjectScore) -> Table:
    """One row per check: status, score, weight, key figures, time.

    Numbers never wrap; the key figures wrap between words, and a check outside the
    overall score shows ``-`` as its weight (:func:`score_notes` says so).
    """
    table = compact_table(f"{score.project}  overall {score.overall:.3f}")
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_column("key figures", max_width=90)
    table.add_column("time", justify="right", no_wrap=True)
    neutral = [c for c in score.checks if score.weights.get(c.name, 0.0) > 0]
    apart = [c for c in score.checks if score.weights.get(c.name, 0.0) <= 0]
    for check in [*neutral, *apart]:
        if check is (apart[0] if apart else None):
            table.add_section()
        table.add_row(
            check.name,
            Text(check.status, style=_STATUS_STYLE.get(check.status, "")),
            f"{check.score:.3f}",
            f"{score.weights.get(check.name, 0.0):.2f}" if check in neutral else "-",
            escape(_figures(check)),
            f"{check.duration_s:.2f}s",
        )
    return table


def score_notes(score: ProjectScore) -> list[str]:
    """The lines under the score table.

    Checks outside the overall score, the layout, the entry point, the sandbox and the
    project's hash.
    """
    notes = []
    apart = [c.name for c in score.checks if score.weights.get(c.name, 0.0) <= 0]
    if apart:
        notes.append(f"not in the overall score (weight -): {', '.join(apart)}")
    if score.layout is not None:
        paths = ":".join(str(p) for p in score.layout.paths(WORK))
        notes.append(f"layout: {score.layout.describe()}, PYTHONPATH={paths}")
    notes.append(f"entrypoint: {score.entrypoint or 'none'}")
    notes.append(f"sandbox: {score.sandbox}")
    notes.append(f"hash: {score.project_hash}")
    return notes


def print_score(score: ProjectScore, console: Console) -> None:
    """Print a project's score table and the notes under it."""
    console.print(check_table(score))
    for note in score_notes(score):
        console.print(note, style="dim", markup=False)
