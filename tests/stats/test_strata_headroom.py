"""Effects per group of tasks (probes, kinds) and headroom with the normalised gain."""

from __future__ import annotations

import math
from statistics import fmean

import pytest
from scipy import stats

from harness.stats.headroom import arm_headroom, normalised_gain
from harness.stats.hierarchy import fit_differences
from harness.stats.paired import holm
from harness.stats.strata import group_effects


def test_a_group_estimate_is_the_weighted_mean_with_the_common_spread():
    tasks = [f"t{i}" for i in range(10)]
    d = [0.30, 0.28, 0.33, 0.02, -0.01, 0.04, 0.00, 0.03, 0.01, 0.05]
    noise = [0.001] * 5 + [0.004] * 5
    fit = fit_differences(tasks, d, noise)
    tau2 = (fit.tau or 0.0) ** 2
    assert tau2 > 0
    groups = group_effects(fit, {"first": tasks[:3], "rest": tasks[3:], "one": ["t4"]})
    first = groups[0]
    w = [1 / (n + tau2) for n in noise[:3]]
    estimate = sum(wi * di for wi, di in zip(w, d[:3], strict=True)) / sum(w)
    se = math.sqrt(1 / sum(w))
    assert first.estimate == pytest.approx(estimate)
    assert first.observed == pytest.approx(fmean(d[:3]))
    half = stats.t.ppf(0.975, 9) * se
    assert first.ci is not None
    assert (first.ci.low, first.ci.high) == pytest.approx(
        (estimate - half, estimate + half)
    )
    raw = [g.p_value for g in groups]
    assert all(p is not None for p in raw)
    assert [g.holm_p_value for g in groups] == pytest.approx(holm(raw))  # type: ignore[arg-type]
    assert {g.family_size for g in groups} == {3}
    # one task is no certainty: its interval holds the spread between tasks
    one = groups[2]
    assert one.small
    assert one.tasks == ["t4"]
    assert one.ci is not None
    assert one.ci.high - one.ci.low >= 2 * stats.t.ppf(0.975, 9) * math.sqrt(tau2)


def test_groups_without_tasks_in_the_fit_are_empty_and_not_in_the_family():
    fit = fit_differences(["a", "b", "c"], [0.1, 0.2, 0.0], [0.01] * 3)
    groups = group_effects(fit, {"x": ["a", "b"], "missing": ["zzz"]})
    assert groups[1].tasks == []
    assert groups[1].estimate is None
    assert groups[0].family_size == 1
    assert groups[0].holm_p_value == groups[0].p_value


def test_normalised_gain_is_the_share_of_the_distance_to_gold_closed():
    ours = {"a": [1.0, 1.0], "b": [0.9, 0.7], "c": [1.0, 0.6]}
    theirs = {"a": [0.6, 0.8], "b": [0.5, 0.5], "c": [1.0, 1.0]}
    gain = normalised_gain("skill", "none", ours, theirs, n_resamples=2000)
    mean_v = fmean([1.0, 0.8, 0.8])
    mean_b = fmean([0.7, 0.5, 1.0])
    assert gain.on_score == pytest.approx((mean_v - mean_b) / (1 - mean_b))
    pass_v, pass_b = fmean([1.0, 0.0, 0.5]), fmean([0.0, 0.0, 1.0])
    assert gain.on_pass_rate == pytest.approx((pass_v - pass_b) / (1 - pass_b))
    assert gain.on_score_ci is not None
    assert gain.on_score_ci.covers(gain.on_score)
    # resamples that only drew task c (baseline at gold) have no headroom: dropped
    assert gain.dropped_resamples > 0


def test_no_headroom_means_no_gain_and_the_arm_gap_is_one_minus_the_mean():
    at_gold = {"a": [1.0, 1.0], "b": [1.0]}
    gain = normalised_gain("skill", "none", {"a": [1.0], "b": [0.5]}, at_gold)
    assert gain.on_score is None
    assert gain.on_score_ci is None
    arm = arm_headroom("skill", {"a": [1.0, 1.0], "b": [0.5, 1.0]})
    assert arm.mean == pytest.approx(0.875)
    assert arm.gap == pytest.approx(0.125)
    assert arm.tasks_at_gold == 1
    assert arm.pass_rate == pytest.approx(0.75)
    assert arm_headroom("none", {}).mean is None
