"""The primary test: t and bootstrap-t together, their interval and p-value consistent."""

import math

import numpy as np
import pytest
from scipy import stats

from harness.stats.robust import RobustTest


def skewed(n: int, rng: np.random.Generator) -> np.ndarray:
    """85% of tasks helped a little, 15% hurt a lot (mean ~0), a little noise."""
    hurt = rng.random(n) < 0.15
    return np.where(hurt, -0.02 * 85 / 15, 0.02) + rng.normal(0, 0.005, n)


def test_p_value_is_never_below_the_t_tests_nor_the_bootstraps():
    rng = np.random.default_rng(1)
    d = rng.normal(0.02, 0.05, 20)
    test = RobustTest.of(d, seed=3)
    assert test is not None
    upper, lower = test.one_sided()
    t = d.mean() / (d.std(ddof=1) / math.sqrt(d.size))
    assert upper >= stats.t.sf(t, d.size - 1)
    assert lower >= stats.t.cdf(t, d.size - 1)
    # Independently: the bootstrap-t share of replicates at least as large as t.
    draws = d[np.random.default_rng(3).integers(d.size, size=(9999, d.size))]
    t_star = (draws.mean(1) - d.mean()) / (draws.std(1, ddof=1) / math.sqrt(d.size))
    assert upper >= (np.sum(t_star >= t) + 1) / 10000 - 1e-12
    assert test.p_value() == pytest.approx(min(1.0, 2 * min(upper, lower)))


@pytest.mark.parametrize("seed", range(6))
def test_interval_excludes_zero_exactly_when_the_p_value_is_below_its_level(seed):
    rng = np.random.default_rng(seed)
    d = rng.normal(0.03, 0.06, 15) if seed % 2 else skewed(33, rng)
    test = RobustTest.of(d, seed=seed)
    assert test is not None
    for level in (0.9, 0.95, 0.975, 0.99, 0.995):
        ci = test.interval(level)
        assert (ci.low > 0 or ci.high < 0) == (test.p_value() <= 1 - level)
        t_half = stats.t.ppf((1 + level) / 2, d.size - 1) * test.se
        assert ci.low <= d.mean() - t_half + 1e-12
        assert ci.high >= d.mean() + t_half - 1e-12


def test_a_skewed_null_is_not_called_better_where_the_t_test_is():
    # 85% of tasks +0.02, 15% -0.113: mean 0. With no hurt task among 33 drawn about
    # 1 run in 200, a sample like this is the t test's false win; the bootstrap sees
    # the one large loss and does not call it.
    d = np.array([0.02] * 31 + [-0.1133, -0.1133]) + np.linspace(-0.001, 0.001, 33)
    t_p = stats.ttest_1samp(d, 0).pvalue
    assert t_p < 0.05
    assert d.mean() > 0
    test = RobustTest.of(d, seed=0)
    assert test is not None
    assert test.p_value() > 0.05
    assert test.interval(0.95).low < 0


def test_no_spread_is_certain_and_fewer_than_two_tasks_is_nothing():
    assert RobustTest.of([0.3]) is None
    flat = RobustTest.of([0.1] * 8)
    assert flat is not None
    assert flat.p_value() == 0.0
    assert flat.interval(0.95).low == pytest.approx(0.1)
    zero = RobustTest.of([0.0] * 8)
    assert zero is not None
    assert zero.p_value() == 1.0


def test_is_seeded_and_clipped_to_the_range_of_a_difference():
    d = [0.9, -0.8, 0.95, -0.9, 0.7, 0.99]
    a, b = RobustTest.of(d, seed=5), RobustTest.of(d, seed=5)
    assert a is not None
    assert b is not None
    assert a.interval(0.999) == b.interval(0.999)
    ci = a.interval(0.999)
    assert ci.low >= -1.0
    assert ci.high <= 1.0
