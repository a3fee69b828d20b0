"""``harness compare``: two runs paired on their common tasks."""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import TYPE_CHECKING

import pytest

from harness.cli import main
from harness.report.compare import compare_runs
from harness.run.layout import RunLayout
from harness.stats import OVERALL

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.records import SampleRecord


def overall_means(records: list[SampleRecord], arm: str) -> dict[str, float]:
    by_task: dict[str, list[float]] = defaultdict(list)
    for record in records:
        if record.spec.arm == arm and record.score is not None:
            by_task[record.spec.task].append(record.score.overall)
    return {task: fmean(values) for task, values in by_task.items()}


@pytest.fixture
def two_runs(results: Path) -> tuple[list[SampleRecord], list[SampleRecord]]:
    _, a = make_run(results, run_id="a", tasks=10, effects={"none": 0.0, "skill": 0.0})
    _, b = make_run(
        results, run_id="b", tasks=8, effects={"none": 0.0, "skill": 0.2}, seed=0
    )
    return a, b


def test_pairs_same_labels_on_common_tasks(
    results: Path, two_runs: tuple[list[SampleRecord], list[SampleRecord]]
) -> None:
    a, b = two_runs
    comparison = compare_runs(
        RunLayout.of(results, "a"), RunLayout.of(results, "b"), n_resamples=RESAMPLES
    )
    assert comparison.only_a == ["task-008", "task-009"]
    assert comparison.only_b == []
    assert [(p.arm_a, p.arm_b) for p in comparison.pairs] == [
        ("none", "none"),
        ("skill", "skill"),
    ]
    skill = comparison.pairs[1]
    assert skill.stats is not None
    item = skill.stats.comparison("B:skill", OVERALL)
    ours, theirs = overall_means(b, "skill"), overall_means(a, "skill")
    shared = sorted(set(ours) & set(theirs))
    assert item.tasks == shared
    assert len(shared) == 8
    assert item.test.mean_diff == pytest.approx(
        fmean(ours[t] - theirs[t] for t in shared), abs=1e-12
    )
    assert item.verdict == "better"


def test_named_arms(
    results: Path, two_runs: tuple[list[SampleRecord], list[SampleRecord]]
) -> None:
    a, b = two_runs
    comparison = compare_runs(
        RunLayout.of(results, "a"),
        RunLayout.of(results, "b"),
        ["A:none", "B:skill"],
        n_resamples=RESAMPLES,
    )
    (pair,) = comparison.pairs
    assert (pair.arm_a, pair.arm_b) == ("none", "skill")
    assert pair.stats is not None
    item = pair.stats.comparison("B:skill", OVERALL)
    ours, theirs = overall_means(b, "skill"), overall_means(a, "none")
    assert item.test.mean_diff == pytest.approx(
        fmean(ours[t] - theirs[t] for t in item.tasks), abs=1e-12
    )


def test_cli_compare_writes_html(
    results: Path,
    two_runs: tuple[list[SampleRecord], list[SampleRecord]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    del two_runs
    page = tmp_path / "compare.html"
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "a", "b", "--out", str(results), "--html", str(page)])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "B:skill vs A:skill over 8 common task(s), overall: better" in out
    html = page.read_text()
    assert "<svg" in html
    assert "B:skill - A:skill" in html  # the per-task heat map
    assert "Compare <code>a</code> (A) and <code>b</code> (B)" in html


@pytest.mark.parametrize(
    ("arms", "named"),
    [
        (["--arm", "A:ghost", "--arm", "B:skill"], "run A has no variant 'ghost'"),
        (["--arm", "A:none"], "give both"),
        (["--arm", "C:none", "--arm", "B:skill"], "--arm A:LABEL"),
    ],
)
def test_bad_arms_exit_2(
    results: Path,
    two_runs: tuple[list[SampleRecord], list[SampleRecord]],
    capsys: pytest.CaptureFixture[str],
    arms: list[str],
    named: str,
) -> None:
    del two_runs
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "a", "b", "--out", str(results), *arms])
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err


def test_runs_without_common_tasks_are_refused(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_run(results, run_id="x", tasks=2)
    make_run(results, run_id="y", tasks=2, task_prefix="other")
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "x", "y", "--out", str(results)])
    assert exit_info.value.code == 2
    assert "share no task" in capsys.readouterr().err


def test_missing_run_is_refused(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_run(results, run_id="x", tasks=2)
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "x", "missing", "--out", str(results)])
    assert exit_info.value.code == 2
    assert "no run at" in capsys.readouterr().err


def test_compare_gates_a_new_version_on_no_worse(
    results: Path,
    two_runs: tuple[list[SampleRecord], list[SampleRecord]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    del two_runs

    def code(*gate: str, runs: tuple[str, str] = ("a", "b")) -> int:
        with pytest.raises(SystemExit) as exit_info:
            main(["compare", *runs, "--out", str(results), *gate])
        return int(exit_info.value.code or 0)

    # Run B's skill is 0.2 better than run A's: no worse by any margin.
    assert code("--require-no-worse", "skill=0.0") == 0
    assert "gate pass --require-no-worse skill=0.0 [B:skill]" in capsys.readouterr().out
    # Swapped, A is 0.2 worse than B: no worse by 0.05 fails, by 0.5 passes.
    assert code("--require-no-worse", "skill=0.05", runs=("b", "a")) == 1
    assert code("--require-no-worse", "skill=0.5", runs=("b", "a")) == 0
    assert code("--require-no-worse", "ghost=0.1") == 2
