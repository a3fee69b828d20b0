"""The random-effects model of a skill's effect across tasks: closed forms and recovery."""

from __future__ import annotations

import math
from statistics import fmean, variance

import numpy as np
import pytest
from scipy import stats

from harness.stats.hierarchy import (
    fit_differences,
    fit_effects,
    predictive,
    tau2_upper_bound,
)
from harness.stats.power import SD_CONFIDENCE, variance_components


def arms(
    seed: int, *, k: int = 25, epochs: int = 3, mu: float, tau: float, sigma: float
):
    """A task x arm x epoch design drawn from the model with known ``mu`` and ``tau``."""
    rng = np.random.default_rng(seed)
    difficulty = rng.normal(0.6, 0.1, k)
    theta = rng.normal(mu, tau, k)
    variant = {
        f"t{i:02d}": list(difficulty[i] + theta[i] + rng.normal(0, sigma, epochs))
        for i in range(k)
    }
    baseline = {
        f"t{i:02d}": list(difficulty[i] + rng.normal(0, sigma, epochs))
        for i in range(k)
    }
    return variant, baseline, {f"t{i:02d}": float(theta[i]) for i in range(k)}


def test_equal_noise_gives_the_closed_forms():
    # With every s_t^2 equal, Q(tau^2) = (k - 1) var(d) / (tau^2 + s^2): Paule-Mandel is
    # var(d) - s^2, the Q-profile bounds (k - 1) var(d) / chi2 - s^2, the mean is mean(d)
    # and every task is shrunk by B = tau^2 / (tau^2 + s^2).
    d = [0.30, 0.10, -0.05, 0.22, 0.15, 0.02, 0.40, 0.08]
    s2 = 0.004
    fit = fit_differences([f"t{i}" for i in range(8)], d, [s2] * 8, within=(0.01, 0.01))
    k, var_d = len(d), variance(d)
    tau2 = var_d - s2
    assert fit.tau == pytest.approx(math.sqrt(tau2), rel=1e-6)
    assert fit.mean == pytest.approx(fmean(d))
    assert fit.mean_se == pytest.approx(math.sqrt((tau2 + s2) / k), rel=1e-6)
    low = (k - 1) * var_d / stats.chi2.ppf(0.975, k - 1) - s2
    high = (k - 1) * var_d / stats.chi2.ppf(0.025, k - 1) - s2
    assert fit.tau_ci is not None
    assert fit.tau_ci.low == pytest.approx(math.sqrt(max(low, 0.0)), rel=1e-6)
    assert fit.tau_ci.high == pytest.approx(math.sqrt(high), rel=1e-6)
    shrink = tau2 / (tau2 + s2)
    for effect in fit.tasks:
        expected = fmean(d) + shrink * (effect.observed - fmean(d))
        assert effect.shrunken == pytest.approx(expected, rel=1e-6)
    assert fit.prob_new_task_benefits_range is not None
    low_p, high_p = fit.prob_new_task_benefits_range
    assert high_p == pytest.approx(
        stats.t.cdf(fmean(d) / math.sqrt(max(low, 0.0) + (tau2 + s2) / k), k - 2)
    )
    assert low_p <= (fit.prob_new_task_benefits or 0.0) <= high_p + 0.05


def test_with_no_spread_allowed_the_prediction_is_the_mean_and_its_error():
    # tau^2's interval is [0, 0] (the differences vary less than their noise): the
    # predictive mixture is N(mu, se^2), its interval mu +/- z se, exactly.
    d = np.array([0.10, 0.11, 0.09, 0.10, 0.105, 0.095])
    noise = np.full(6, 0.01)
    interval, prob = predictive(d, noise, 0.95)
    se = math.sqrt(0.01 / 6)
    assert (interval.low, interval.high) == pytest.approx(
        (d.mean() - 1.959964 * se, d.mean() + 1.959964 * se), rel=1e-5
    )
    assert prob == pytest.approx(stats.norm.cdf(d.mean() / se))


def test_the_plan_upper_bound_is_the_q_profile_bound_for_balanced_epochs():
    variant, baseline, _ = arms(3, mu=0.1, tau=0.05, sigma=0.15)
    tasks = sorted(variant)
    d = [fmean(variant[t]) - fmean(baseline[t]) for t in tasks]
    fit = fit_effects(variant, baseline)
    assert fit is not None
    noise = np.array([e.noise_sd**2 for e in sorted(fit.tasks, key=lambda e: e.task)])
    bound = tau2_upper_bound(np.array(d), noise, SD_CONFIDENCE)
    components = variance_components(variant, baseline, d)
    # power.upper() also lowers the epoch noise to its own bound; with the noise held
    # at its estimate the two bounds are one formula.
    var_up = (len(d) - 1) * variance(d) / stats.chi2.ppf(1 - SD_CONFIDENCE, len(d) - 1)
    assert bound == pytest.approx(max(0.0, var_up - float(noise[0])), rel=1e-6)
    assert components.upper().between is not None
    assert components.upper().between >= bound - 1e-12


@pytest.mark.parametrize("tau", [0.0, 0.08])
def test_a_known_spread_is_recovered_within_monte_carlo_error(tau):
    # 200 designs drawn with known mu and tau: the Q-profile interval of tau, the
    # interval of mu and the prediction interval of a new task's effect must hold their
    # promises within Monte Carlo error (3 standard errors), the chance that a new task
    # benefits must estimate Phi(mu / tau), and shrinking must beat the raw per-task
    # differences (it is the posterior mean under the true model).
    mu, sigma, runs = 0.05, 0.2, 200
    covered_tau = covered_mu = covered_new = 0
    predicted, raw_error, shrunk_error = [], 0.0, 0.0
    for seed in range(runs):
        variant, baseline, theta = arms(seed, mu=mu, tau=tau, sigma=sigma)
        fit = fit_effects(variant, baseline)
        assert fit is not None
        assert fit.tau_ci is not None
        assert fit.mean_ci is not None
        covered_tau += fit.tau_ci.low <= tau <= fit.tau_ci.high
        covered_mu += fit.mean_ci.covers(mu)
        assert fit.prob_new_task_benefits is not None
        assert fit.prediction is not None
        predicted.append(fit.prob_new_task_benefits)
        covered_new += fit.prediction.covers(
            float(np.random.default_rng(10_000 + seed).normal(mu, tau))
        )
        for effect in fit.tasks:
            raw_error += (effect.observed - theta[effect.task]) ** 2
            shrunk_error += (effect.shrunken - theta[effect.task]) ** 2
    se = math.sqrt(0.95 * 0.05 / runs)
    assert abs(covered_tau / runs - 0.95) <= 3 * se + 0.01
    assert abs(covered_mu / runs - 0.95) <= 3 * se + 0.01
    assert abs(covered_new / runs - 0.95) <= 3 * se + 0.01
    if tau > 0:
        truth = stats.norm.cdf(mu / tau)
        assert abs(fmean(predicted) - truth) <= 3 * np.std(predicted) / math.sqrt(runs)
    assert shrunk_error < raw_error


def test_a_zero_spread_estimate_still_shows_the_upper_bound():
    # every task the same true effect: tau is often estimated 0, never silently: its
    # interval's upper end is positive.
    zeros = 0
    for seed in range(40):
        variant, baseline, _ = arms(seed, k=12, mu=0.1, tau=0.0, sigma=0.2)
        fit = fit_effects(variant, baseline)
        assert fit is not None
        assert fit.tau_ci is not None
        if fit.tau == 0:
            zeros += 1
            assert fit.tau_ci.high > 0
            assert all(e.shrunken == pytest.approx(fit.mean) for e in fit.tasks)
    assert zeros > 5


def test_one_epoch_cannot_separate_noise_and_shrinks_nothing():
    variant = {"a": [0.9], "b": [0.5], "c": [0.7]}
    baseline = {"a": [0.4], "b": [0.5], "c": [0.6]}
    fit = fit_effects(variant, baseline)
    assert fit is not None
    assert not fit.separable
    d = [0.5, 0.0, 0.1]
    assert fit.tau == pytest.approx(math.sqrt(variance(d)))
    assert [
        e.shrunken for e in sorted(fit.tasks, key=lambda e: e.task)
    ] == pytest.approx(d)


def test_tasks_in_one_arm_only_are_left_out_and_no_pair_gives_no_fit():
    fit = fit_effects({"a": [1.0, 0.8], "b": [0.5, 0.5]}, {"a": [0.5, 0.7], "c": [0.1]})
    assert fit is not None
    assert [e.task for e in fit.tasks] == ["a"]
    assert fit.tau is None
    assert fit.prediction is None
    assert fit_effects({"a": [1.0]}, {"b": [0.0]}) is None
