"""The summary's figures equal statistics computed here, independently, from the records."""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import fmean, stdev
from typing import TYPE_CHECKING

import pytest
from scipy import stats as sps

from harness.report.summary import NOT_A_WIN, build_summary
from harness.stats import OVERALL

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.records import SampleRecord


def task_means(records: list[SampleRecord], arm: str, check: str) -> dict[str, float]:
    """Per task, the mean over epochs: model failures without a score count 0, infra
    failures are left out, skipped checks do not apply."""
    by_task: dict[str, list[float]] = defaultdict(list)
    for record in records:
        if record.spec.arm != arm or record.infra_failed:
            continue
        if record.score is None:
            by_task[record.spec.task].append(0.0)
        elif check == OVERALL:
            by_task[record.spec.task].append(record.score.overall)
        else:
            by_task[record.spec.task].append(record.score.check(check).score)
    return {task: fmean(values) for task, values in by_task.items()}


@pytest.fixture
def run(results: Path) -> tuple[object, list[SampleRecord]]:
    return make_run(
        results,
        tasks=12,
        epochs=3,
        effects={"none": 0.0, "skill": 0.08},
        infra_rate=0.05,
        model_failure_rate=0.05,
        seed=7,
    )


def test_means_and_intervals_match_scipy(
    run: tuple[object, list[SampleRecord]],
) -> None:
    manifest, records = run
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)  # type: ignore[arg-type]
    assert summary.stats is not None
    for arm in ("none", "skill"):
        for check in (OVERALL, "acceptance", "ruff"):
            means = list(task_means(records, arm, check).values())
            mean = fmean(means)
            half = (
                sps.t.ppf(0.975, len(means) - 1) * stdev(means) / math.sqrt(len(means))
            )
            got = summary.stats.arm(arm, check).score
            assert got.mean == pytest.approx(mean, abs=1e-12)
            assert got.n_tasks == len(means)
            assert got.ci is not None
            assert got.ci.low == pytest.approx(max(0.0, mean - half), abs=1e-12)
            assert got.ci.high == pytest.approx(min(1.0, mean + half), abs=1e-12)


def test_paired_difference_matches_ttest_rel(
    run: tuple[object, list[SampleRecord]],
) -> None:
    manifest, records = run
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)  # type: ignore[arg-type]
    assert summary.stats is not None
    ours = task_means(records, "skill", OVERALL)
    theirs = task_means(records, "none", OVERALL)
    shared = sorted(set(ours) & set(theirs))
    diffs = [ours[t] - theirs[t] for t in shared]
    expected = sps.ttest_rel([ours[t] for t in shared], [theirs[t] for t in shared])
    item = summary.stats.comparison("skill", OVERALL)
    assert item.test.n_tasks == len(shared)
    assert item.test.mean_diff == pytest.approx(fmean(diffs), abs=1e-12)
    assert item.test.t_p_value == pytest.approx(float(expected.pvalue), rel=1e-9)
    se = stdev(diffs) / math.sqrt(len(diffs))
    half = sps.t.ppf(0.975, len(diffs) - 1) * se
    assert item.test.ci is not None
    assert item.test.ci.low == pytest.approx(fmean(diffs) - half, abs=1e-12)
    # The verdict's interval: at its Holm level, never narrower than t at that level.
    assert item.holm_ci is not None
    level = item.holm_ci.level
    assert item.interval_label == f"Holm {100 * level:.3g}% t+bootstrap-t"
    t_low = fmean(diffs) - sps.t.ppf((1 + level) / 2, len(diffs) - 1) * se
    assert item.holm_ci.low <= t_low + 1e-12


def test_failures_counted_apart_and_costs(
    run: tuple[object, list[SampleRecord]],
) -> None:
    manifest, records = run
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)  # type: ignore[arg-type]
    assert summary.stats is not None
    infra = [r for r in records if r.infra_failed]
    model = [r for r in records if r.failure is not None and not r.infra_failed]
    assert infra, "the fixture must plant infrastructure failures"
    assert model, "the fixture must plant model failures"
    assert len(summary.rows_of("infra_failure")) == len(infra)
    assert len(summary.rows_of("model_failure")) == len(model)
    assert set(summary.completeness.infra_failures) == {
        f"{r.spec.task}/{r.spec.arm}/{r.spec.epoch}" for r in infra
    }
    assert not summary.completeness.complete
    for cost in summary.stats.costs:
        arm_records = [r for r in records if r.spec.arm == cost.variant]
        assert cost.samples == len(arm_records)
        assert cost.infra_failures == sum(1 for r in arm_records if r.infra_failed)
        priced = [
            r.generation.cost_usd for r in arm_records if r.generation is not None
        ]
        assert cost.cost_usd.total == pytest.approx(sum(c or 0.0 for c in priced))


def test_power_statement_states_mde_and_rule(
    run: tuple[object, list[SampleRecord]],
) -> None:
    manifest, records = run
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)  # type: ignore[arg-type]
    assert summary.stats is not None
    (statement,) = summary.power
    mde = summary.stats.comparison("skill", OVERALL).mde
    assert mde is not None
    assert statement.mde == mde
    assert f"could detect an effect of {mde:.3f}" in statement.text
    assert "80% power" in statement.text
    assert statement.text.endswith(NOT_A_WIN)


def test_missing_samples_make_the_run_incomplete(results: Path) -> None:
    manifest, records = make_run(results, tasks=4, epochs=2)
    summary = build_summary(manifest, records[:-3], n_resamples=RESAMPLES)
    assert len(summary.completeness.missing) == 3
    assert not summary.completeness.complete
    assert any("--resume" in p for p in summary.completeness.problems())
