"""Power: against published sample sizes, a Monte-Carlo check, and the variance split."""

import numpy as np
import pytest
from scipy import stats

from harness.stats import minimum_detectable_effect, paired_power, tasks_needed
from harness.stats.power import (
    MIN_TASKS_EXACT,
    epochs_needed,
    pooled_within,
    variance_components,
)


@pytest.mark.parametrize(
    ("effect_size", "n"),
    # Cohen's d for a paired (one-sample) t-test, two-sided alpha 0.05, power 0.8:
    # the sample sizes G*Power reports.
    [(0.5, 34), (0.8, 15), (0.3, 90)],
)
def test_tasks_needed_matches_published_sample_sizes(effect_size, n):
    assert tasks_needed(effect_size, 1.0) == n
    assert paired_power(effect_size, 1.0, n) >= 0.8
    assert paired_power(effect_size, 1.0, n - 1) < 0.8


def test_power_agrees_with_a_monte_carlo_t_test():
    rng = np.random.default_rng(5)
    draws = rng.normal(0.05, 0.1, size=(20000, 20))
    rejected = stats.ttest_1samp(draws, 0.0, axis=1).pvalue < 0.05
    assert rejected.mean() == pytest.approx(paired_power(0.05, 0.1, 20), abs=0.012)


def test_mde_approaches_2_8_sd_over_root_n_for_many_tasks():
    assert minimum_detectable_effect(0.2, 2000) == pytest.approx(
        (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * 0.2 / 2000**0.5, rel=0.002
    )
    assert minimum_detectable_effect(0.2, 9) > 2.8 * 0.2 / 3  # small n: t is wider
    assert minimum_detectable_effect(None, 9) is None
    assert minimum_detectable_effect(0.0, 9) is None
    assert minimum_detectable_effect(0.2, 1) is None


def test_tasks_needed_never_below_what_the_exact_test_can_reject_with():
    assert tasks_needed(5.0, 0.1) == MIN_TASKS_EXACT
    assert tasks_needed(0.05, 0.0) is None
    assert tasks_needed(0.0, 0.1) is None


def test_tiny_effects_do_not_break_the_solver():
    n = tasks_needed(0.005, 0.2)
    assert n is not None
    assert n > 10000
    assert paired_power(0.005, 0.2, n) >= 0.8


def test_pooled_within_variance_by_hand():
    # (1 * 0.02 + 2 * 0.01) / (1 + 2); tasks with one epoch add nothing.
    by_task = {"a": [0.6, 0.8], "b": [0.4, 0.5, 0.6], "c": [0.9]}
    assert pooled_within(by_task) == pytest.approx((0.02 + 2 * 0.01) / 3)
    assert pooled_within({"a": [0.5], "b": [0.7]}) is None


def test_variance_components_recover_a_known_split():
    # Simulated truth: the per-task effect varies with sd 0.1 (between = 0.01) and each
    # epoch adds noise of variance 0.04 in each arm, 4 epochs per arm.
    rng = np.random.default_rng(3)
    tasks, epochs = 4000, 4
    effect = rng.normal(0.05, 0.1, tasks)
    level = rng.uniform(0.3, 0.7, tasks)
    variant = {
        f"t{i}": list(level[i] + effect[i] + rng.normal(0, 0.2, epochs))
        for i in range(tasks)
    }
    baseline = {
        f"t{i}": list(level[i] + rng.normal(0, 0.2, epochs)) for i in range(tasks)
    }
    d = [np.mean(variant[t]) - np.mean(baseline[t]) for t in variant]
    parts = variance_components(variant, baseline, d)
    assert parts.within_variant == pytest.approx(0.04, rel=0.05)
    assert parts.within_baseline == pytest.approx(0.04, rel=0.05)
    assert parts.between == pytest.approx(0.01, rel=0.15)
    assert parts.epochs_variant == 4.0
    assert parts.sd_at(4) == pytest.approx(np.std(d, ddof=1), rel=1e-9)
    assert parts.planning_sd == pytest.approx(parts.sd_at(4))
    # Epochs shrink only the within part: the sd never falls below sqrt(between).
    assert parts.sd_at(1000) == pytest.approx(parts.between**0.5, rel=0.01)


def test_epochs_needed_is_the_fewest_that_reach_the_power():
    rng = np.random.default_rng(4)
    variant = {f"t{i}": list(rng.normal(0.6, 0.2, 3)) for i in range(30)}
    baseline = {f"t{i}": list(rng.normal(0.5, 0.2, 3)) for i in range(30)}
    d = [np.mean(variant[t]) - np.mean(baseline[t]) for t in variant]
    parts = variance_components(variant, baseline, d)
    k = epochs_needed(0.05, parts, 30)
    assert k is not None
    assert paired_power(0.05, parts.sd_at(k), 30) >= 0.8
    assert paired_power(0.05, parts.sd_at(k - 1), 30) < 0.8
    assert epochs_needed(0.05, parts, 3) is None  # too few tasks for the exact test


def test_one_epoch_per_task_cannot_be_split():
    parts = variance_components(
        {"a": [0.5], "b": [0.7]}, {"a": [0.4], "b": [0.4]}, [0.1, 0.3]
    )
    assert not parts.separable
    assert parts.sd_at(3) is None
    assert parts.planning_sd == pytest.approx(np.std([0.1, 0.3], ddof=1))
    assert epochs_needed(0.05, parts, 30) is None
