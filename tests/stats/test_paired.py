"""Paired tests against independent computations: scipy, brute-force enumeration, the literature."""

import itertools
from math import comb

import numpy as np
import pytest
from scipy import stats

from harness.stats import holm
from harness.stats.paired import (
    EXACT_MAX_TASKS,
    bootstrap_interval,
    expanded_level,
    holm_levels,
    paired_test,
    sign_flip_p_value,
    sign_test_p_value,
    t_p_value,
)

DIFFS = [0.12, -0.03, 0.08, 0.15, 0.02, -0.06, 0.09, 0.11, 0.04, 0.07]


def brute_force_sign_flip(d):
    observed = abs(sum(d))
    hits = sum(
        abs(sum(s * x for s, x in zip(signs, d, strict=True))) >= observed - 1e-12
        for signs in itertools.product((-1, 1), repeat=len(d))
    )
    return hits / 2 ** len(d)


@pytest.mark.parametrize(
    "d",
    [
        DIFFS,
        [0.1, 0.1, 0.1, 0.1, 0.1],  # every flip that keeps all signs ties the extreme
        [0.3, -0.3, 0.2, 0.0, 0.05, -0.1, 0.25],  # a zero and opposite values
        [0.5],
    ],
)
def test_exact_sign_flip_equals_enumerating_every_sign_vector(d):
    p, exact = sign_flip_p_value(d)
    assert exact
    assert p == pytest.approx(brute_force_sign_flip(d), abs=1e-15)


def test_all_equal_differences_give_the_smallest_exact_p():
    # Only the two all-same-sign vectors reach |sum|: p = 2 / 2^n.
    for n in (2, 4, 6):
        assert sign_flip_p_value([0.2] * n)[0] == pytest.approx(2 / 2**n)


def test_meet_in_the_middle_is_exact_above_twenty_tasks():
    rng = np.random.default_rng(5)
    d = rng.normal(0.03, 0.1, 24)
    p, exact = sign_flip_p_value(d)
    assert exact
    # Independently: all sign sums of each half (itertools), then every pair.
    halves = (d[:12], d[12:])
    sums = [
        np.array([np.dot(s, h) for s in itertools.product((-1, 1), repeat=h.size)])
        for h in halves
    ]
    total = sums[0][:, None] + sums[1][None, :]
    assert p == pytest.approx(np.mean(np.abs(total) >= abs(d.sum()) - 1e-12), abs=1e-15)


def test_monte_carlo_above_forty_tasks_is_seeded_and_near_the_exact_value():
    from harness.stats.paired import _count_at_least

    rng = np.random.default_rng(7)
    d = rng.normal(0.03, 0.1, EXACT_MAX_TASKS + 1)
    p1, exact = sign_flip_p_value(d, seed=3, n_resamples=20000)
    p2, _ = sign_flip_p_value(d, seed=3, n_resamples=20000)
    assert not exact
    assert p1 == p2
    truth = _count_at_least(np.abs(d), abs(d.sum()) - 1e-9) / 2**d.size
    se = (truth * (1 - truth) / 20000) ** 0.5
    assert abs(p1 - truth) < 4 * se + 1e-4


def test_sign_test_matches_the_binomial_by_hand():
    # 8 positive, 2 negative: p = 2 * sum_{k>=8} C(10, k) / 2^10 = 112 / 1024.
    d = [0.1] * 8 + [-0.1] * 2
    assert sign_test_p_value(d) == pytest.approx(112 / 1024)
    assert sign_test_p_value([0.0, 0.0]) == 1.0
    # Ties are dropped: 3 positive, 1 negative, 2 zero -> binomial(4, 3).
    by_hand = 2 * (comb(4, 3) + comb(4, 4)) / 16
    assert sign_test_p_value([0.1, 0.2, 0.3, -0.1, 0.0, 0.0]) == pytest.approx(by_hand)


def test_t_figures_equal_scipy_ttest_rel_on_the_task_means():
    baseline = np.linspace(0.4, 0.8, len(DIFFS))
    variant = baseline + np.array(DIFFS)
    result = paired_test(list(variant - baseline))
    reference = stats.ttest_rel(variant, baseline)
    ci = reference.confidence_interval(0.95)
    assert result.t_p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert result.ci is not None
    assert (result.ci.low, result.ci.high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert result.se == pytest.approx(stats.sem(DIFFS))
    assert result.n_positive == 8
    assert result.n_negative == 2


def test_zero_spread_gives_a_definite_t_p_value():
    assert t_p_value(0.1, 0.0, 5) == 0.0
    assert t_p_value(0.0, 0.0, 5) == 1.0


def test_holm_reproduces_the_textbook_example():
    # Holm (1979) as worked on Wikipedia's "Holm-Bonferroni method": four hypotheses,
    # p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05 -> H1 and H4 rejected.
    p = [0.01, 0.04, 0.03, 0.005]
    adjusted = holm(p)
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [a <= 0.05 for a in adjusted] == [True, False, False, True]
    assert holm_levels(p) == pytest.approx(
        [1 - 0.05 / 3, 1 - 0.05 / 1, 1 - 0.05 / 2, 1 - 0.05 / 4]
    )
    assert holm([]) == []
    assert holm([0.7]) == [0.7]


def test_holm_never_lowers_a_p_value_and_caps_at_one():
    p = [0.5, 0.6, 0.001]
    adjusted = holm(p)
    assert all(a >= b for a, b in zip(adjusted, p, strict=True))
    assert max(adjusted) == 1.0


def test_expanded_bootstrap_level_by_hand():
    # n = 25: sqrt(25/24) * t_{0.975, 24} = 1.0206 * 2.0639 -> level 1 - 2 Phi(-2.1064).
    critical = (25 / 24) ** 0.5 * stats.t.ppf(0.975, 24)
    assert expanded_level(0.95, 25) == pytest.approx(1 - 2 * stats.norm.cdf(-critical))
    assert 0.964 < expanded_level(0.95, 25) < 0.966


def test_bootstrap_interval_is_seeded_and_close_to_the_t_interval_for_many_tasks():
    rng = np.random.default_rng(1)
    d = list(rng.normal(0.05, 0.1, 200))
    first = bootstrap_interval(d, seed=4)
    assert first == bootstrap_interval(d, seed=4)
    t_ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert first is not None
    assert first.low == pytest.approx(t_ci.low, abs=0.004)
    assert first.high == pytest.approx(t_ci.high, abs=0.004)
    plain = bootstrap_interval(d, seed=4, expanded=False)
    assert plain is not None
    assert first.low < plain.low
    assert first.high > plain.high


def test_bootstrap_edge_cases():
    assert bootstrap_interval([0.2]) is None
    same = bootstrap_interval([0.1, 0.1, 0.1])
    assert same is not None
    assert (same.low, same.high) == (0.1, 0.1)


def test_one_task_gives_no_interval_and_no_t_test():
    result = paired_test([0.3])
    assert result.mean_diff == 0.3
    assert result.sd is None
    assert result.ci is None
    assert result.t_p_value is None
    assert result.permutation_p_value == 1.0
    assert result.bootstrap_ci is None
