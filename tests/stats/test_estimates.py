"""One-arm estimates: Wilson and t intervals against hand and scipy computations."""

import math

import pytest
from scipy import stats

from harness.stats import wilson_interval
from harness.stats.estimates import clustered_rate, mean_over_tasks, t_interval


def wilson_by_hand(successes: int, n: int, z: float = 1.959963984540054):
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 and 15/148.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        # 8 of 10, a common textbook example.
        (8, 10, 0.4902, 0.9433),
    ],
)
def test_wilson_matches_the_literature_and_the_formula(successes, n, low, high):
    ci = wilson_interval(successes, n)
    assert ci is not None
    assert ci.low == pytest.approx(low, abs=5e-5)
    assert ci.high == pytest.approx(high, abs=5e-5)
    by_hand = wilson_by_hand(successes, n)
    assert (ci.low, ci.high) == pytest.approx(by_hand, abs=1e-12)


def test_wilson_at_the_edges_stays_inside_zero_one_and_is_not_degenerate():
    none = wilson_interval(0, 10)
    every = wilson_interval(10, 10)
    assert none is not None
    assert every is not None
    assert none.low == pytest.approx(0.0)
    assert none.high == pytest.approx(wilson_by_hand(0, 10)[1])
    assert 0.6 < every.low < 1.0
    assert every.high == pytest.approx(1.0)
    assert wilson_interval(0, 0) is None


def test_t_interval_equals_scipy_ttest_1samp():
    values = [0.61, 0.72, 0.55, 0.9, 0.66, 0.71]
    mean = sum(values) / len(values)
    sd = stats.tstd(values)
    ci = t_interval(mean, sd, len(values))
    expected = stats.ttest_1samp(values, 0.0).confidence_interval(0.95)
    assert ci is not None
    assert (ci.low, ci.high) == pytest.approx((expected.low, expected.high), rel=1e-12)
    assert t_interval(mean, sd, 1) is None


def test_mean_over_tasks_averages_epochs_first():
    # Task a has three epochs, task b one: the mean is over tasks, (0.5 + 1.0) / 2,
    # not over samples (0.5 * 3 + 1.0) / 4.
    estimate = mean_over_tasks({"a": [0.4, 0.5, 0.6], "b": [1.0]})
    assert estimate.n_tasks == 2
    assert estimate.n_samples == 4
    assert estimate.mean == pytest.approx(0.75)
    assert estimate.sd == pytest.approx(stats.tstd([0.5, 1.0]))
    assert estimate.ci is not None
    assert estimate.ci.low == 0.0  # the t interval is wide; clipped at 0
    single = mean_over_tasks({"a": [0.3, 0.5]})
    assert single.mean == pytest.approx(0.4)
    assert single.sd is None
    assert single.ci is None


def test_rate_with_one_sample_per_task_is_the_plain_wilson_interval():
    rate = clustered_rate({f"t{i}": [i < 7] for i in range(10)})
    assert rate.successes == 7
    assert rate.n == 10
    assert rate.design_effect == 1.0
    plain = wilson_interval(7, 10)
    assert rate.ci == plain


def test_rate_with_alike_epochs_is_wider_than_treating_samples_as_independent():
    # Every task passes all three epochs or fails all three: 12 samples carry the
    # information of about 4, so the interval must be wider than Wilson on 12.
    by_task = {"a": [True] * 3, "b": [True] * 3, "c": [False] * 3, "d": [False] * 3}
    rate = clustered_rate(by_task)
    plain = wilson_interval(6, 12)
    assert rate.rate == 0.5
    assert rate.ci is not None
    assert plain is not None
    assert rate.design_effect > 2.5
    assert rate.effective_n == pytest.approx(12 / rate.design_effect)
    assert rate.ci.high - rate.ci.low > plain.high - plain.low
    assert rate.ci == wilson_interval(0.5 * rate.effective_n, rate.effective_n)


def test_rate_with_varied_epochs_within_tasks_is_not_inflated():
    by_task = {t: [True, False] for t in "abcdef"}
    rate = clustered_rate(by_task)
    assert rate.design_effect == 1.0
    assert clustered_rate({}).ci is None
