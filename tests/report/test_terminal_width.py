"""The terminal at 80 and 120 columns: every number whole, no table row wrapped.

Rendered through rich's recorded console, as a terminal of that width would show it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from harness.cli.progress import RunCounts, RunProgress, clock_text
from harness.report import conclude
from harness.report.terminal_summary import (
    VERDICT_WORD,
    interval,
    level_of,
    number,
    print_summary,
)
from harness.report.terminal_tables import print_score
from harness.run.layout import RunLayout
from harness.scoring.results import CheckResult, EnvironmentSummary, ProjectScore

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path

    from harness.report.summary import RunSummary
    from harness.run.records import SampleRecord

WIDTHS = [80, 120]
LONG_ARMS = {
    "none": 0.0,
    "skill-inline": 0.02,
    "skill-on-demand": 0.1,
    "v2-native": 0.1,
}


def record(width: int) -> Console:
    return Console(record=True, width=width, color_system=None)


def lines_of(console: Console) -> list[str]:
    return console.export_text().splitlines()


def one_line_with(lines: list[str], *parts: str) -> str:
    """The one line holding every part (a row that wrapped or was cut has none)."""
    found = [line for line in lines if all(part in line for part in parts)]
    assert len(found) == 1, (parts, "\n".join(lines))
    return found[0]


class _Record:
    """Just what the progress counts read of a sample record."""

    def __init__(self, *, cost: float | None, infra: bool = False) -> None:
        self.generation = type("G", (), {"cost_usd": cost})()
        self.infra_failed = infra
        self.failure = object() if infra else None


def _busy_counts() -> RunCounts:
    # A big run mid-way: 1234 of 5000 done, 12 generating, 2 scoring, 37 waiting.
    now = [0.0]
    progress = RunCounts(5000, scoring=True, slots=2, clock=lambda: now[0])
    for _ in range(1234 + 12 + 39):
        progress.started(None)  # type: ignore[arg-type]
    for index in range(1234 + 39):
        progress.generated(_Record(cost=None if index < 7 else 0.01))  # type: ignore[arg-type]
    for _ in range(1234):
        progress.scored(_Record(cost=0.0))  # type: ignore[arg-type]
    progress.model_failures, progress.infra_failures = 3, 1
    now[0] = 3723.0  # 1:02:03
    return progress


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_keeps_every_number_at_width(width: int) -> None:
    console = record(width)
    progress = _busy_counts()
    console.print(RunProgress(console, progress))
    lines = lines_of(console)
    assert all(len(line) <= width for line in lines)
    assert "…" not in "\n".join(lines)
    eta = clock_text(progress.eta())
    one_line_with(lines, "1234/5000", "25%", "1:02:03", f"eta {eta}")
    text = "\n".join(lines)
    for phrase in (
        "generating 12",
        "scoring 2 (+37 waiting)",
        "failed 3 model / 1 infra",
        f"cost ${progress.cost:.4f} (+7 unpriced)",
    ):
        one_line_with(lines, phrase)
        assert phrase in text
    if width >= 120:
        assert len(lines) == 2  # the state fits one line


def test_running_counts_generating_and_scoring_apart() -> None:
    counts = RunCounts(4, scoring=True, to_score=1, slots=1)
    assert (counts.generating, counts.scoring_now, counts.waiting) == (0, 1, 0)
    counts.started(None)  # type: ignore[arg-type]
    counts.started(None)  # type: ignore[arg-type]
    counts.generated(_Record(cost=0.5))  # type: ignore[arg-type]
    # one generating, one scoring (the resumed sample), one waiting for the only slot
    assert (counts.generating, counts.scoring_now, counts.waiting) == (1, 1, 1)
    assert counts.in_flight == 3
    counts.scored(_Record(cost=0.0))  # type: ignore[arg-type]
    counts.generated(_Record(cost=None, infra=True))  # type: ignore[arg-type]
    # an infrastructure failure is done at once: nothing to score
    assert (counts.generating, counts.scoring_now, counts.waiting) == (0, 1, 0)
    assert (counts.done, counts.infra_failures, counts.unpriced) == (2, 1, 1)
    assert counts.cost == 0.5


def _summary(results: Path, arms: dict[str, float]) -> RunSummary:
    manifest, records = make_run(
        results, run_id="w", tasks=8, effects=arms, model_failure_rate=0.1
    )
    conclusion = conclude(
        manifest, RunLayout.of(results, "w"), records, gates=[], n_resamples=RESAMPLES
    )
    return conclusion.summary


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("arms", [None, LONG_ARMS], ids=["two-arms", "four-long-arms"])
def test_differences_table_fits_with_one_word_verdicts(
    results: Path, width: int, arms: dict[str, float] | None
) -> None:
    summary = _summary(results, arms or {"none": 0.0, "skill": 0.1})
    assert summary.stats is not None
    console = record(width)
    print_summary(summary, console)
    lines = lines_of(console)
    assert all(len(line) <= width for line in lines)
    # Tables cut nothing: no ellipsis anywhere.
    assert "…" not in "\n".join(lines)
    stats = summary.stats
    for arm in stats.arms:
        cell = f"{number(arm.score.mean)} {interval(arm.score.ci)}"
        one_line_with(lines, arm.check + " ", cell)
    for item in stats.comparisons:
        # each row on one line, its interval whole, its verdict one word
        row = one_line_with(
            lines,
            f"{item.check} ",
            number(item.test.mean_diff, "+.3f"),
            interval(item.holm_ci, signed=True),
            level_of(item),
            VERDICT_WORD[item.verdict],
        )
        if width >= 120:  # the plain 95% t interval beside the verdict's
            assert interval(item.test.ci, signed=True) in row
    # the sentences behind the overall verdicts are below the tables
    text = " ".join(lines)
    for item in stats.comparisons:
        if item.check == "overall":
            assert f"{item.variant} vs {item.baseline}, overall:" in text
    for cost in stats.costs:
        one_line_with(lines, f"{cost.variant} ", f" {cost.samples} ")


def _score() -> ProjectScore:
    checks = [
        CheckResult(
            name="own_tests",
            status="fail",
            score=0.875,
            duration_s=12.34,
            figures={
                "collection_errors": 0,
                "deprecation_warnings": 12,
                "failed": 3,
                "passed": 21,
            },
        ),
        CheckResult(
            name="dependencies",
            status="pass",
            score=1.0,
            duration_s=0.03,
            figures={
                "declared": 18,
                "outside_environment": 0,
                "sources": "pyproject.toml [dependency-groups] dev, pyproject.toml "
                "[project] dependencies",
            },
        ),
        CheckResult(name="conformance", status="pass", score=0.95, duration_s=0.17),
    ]
    return ProjectScore(
        harness_version="0",
        project="bookmarks",
        project_hash="cf6c8feeb7f874b0",
        entrypoint="app.main:app (pyproject)",
        layout=None,
        sandbox="bubblewrap 0.8.0 (/usr/bin/bwrap); cgroups: process cap",
        environment=EnvironmentSummary(lock_hash="0", python="3.12", tools={}),
        weights={"own_tests": 0.15, "dependencies": 0.05, "conformance": 0.0},
        overall=0.9,
        checks=checks,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_score_table_keeps_numbers_whole(width: int) -> None:
    console = record(width)
    print_score(_score(), console)
    lines = lines_of(console)
    assert all(len(line) <= width for line in lines)
    assert "…" not in "\n".join(lines)
    one_line_with(lines, "own_tests ", "fail", "0.875", "0.15", "12.34s")
    one_line_with(lines, "conformance ", "0.950", " - ")
    text = "\n".join(lines)
    for figure in ("deprecation_warnings=12", "outside_environment=0", "passed=21"):
        assert re.search(rf"(^|\s){figure}", text, re.MULTILINE), figure
    assert "not in the overall score (weight -): conformance" in text


def test_records_are_what_the_counts_read(results: Path) -> None:
    # _Record stands in for a SampleRecord: the attributes it fakes exist on the real one.
    _, records = make_run(results, run_id="x", tasks=1, epochs=1)
    real: SampleRecord = records[0]
    assert real.generation is not None
    for name in ("infra_failed", "failure", "generation"):
        assert hasattr(real, name)
    assert hasattr(real.generation, "cost_usd")
