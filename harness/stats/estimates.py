"""One-arm estimates: a mean over tasks with its t interval, a rate with its Wilson interval."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import fmean, stdev

from pydantic import BaseModel, ConfigDict, Field
from scipy import stats


class Interval(BaseModel):
    """A confidence interval.

    Attributes:
        low: Lower bound.
        high: Upper bound.
        level: Confidence level (0.95 for a 95% interval).
        method: How it was computed (``t``, ``wilson``, ``bootstrap-bca``...).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: float
    high: float
    level: float = Field(gt=0.0, lt=1.0)
    method: str

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (bounds included)."""
        return self.low <= value <= self.high


def t_interval(
    mean: float, sd: float, n: int, level: float = 0.95, method: str = "t"
) -> Interval | None:
    """The Student t interval for a mean of ``n`` independent observations.

    ``mean +/- t_{(1+level)/2, n-1} * sd / sqrt(n)``, with ``t`` from ``scipy.stats.t``.

    Args:
        mean: The sample mean.
        sd: The sample standard deviation (``ddof=1``).
        n: The number of observations.
        level: Confidence level.
        method: Name recorded on the interval.

    Returns:
        The interval, or ``None`` when ``n < 2`` (no estimate of spread).
    """
    if n < 2:
        return None
    half = float(stats.t.ppf((1.0 + level) / 2.0, n - 1)) * sd / math.sqrt(n)
    return Interval(low=mean - half, high=mean + half, level=level, method=method)


def wilson_interval(successes: float, n: float, level: float = 0.95) -> Interval | None:
    """The Wilson score interval for a proportion.

    With ``p = successes / n`` and ``z = Phi^{-1}((1 + level) / 2)``::

        centre = (p + z^2 / (2n)) / (1 + z^2 / n)
        half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))

    ``n`` may be fractional (an effective sample size, see :func:`clustered_rate`).

    Args:
        successes: Number of successes (``0 <= successes <= n``).
        n: Number of trials.
        level: Confidence level.

    Returns:
        The interval, or ``None`` when ``n`` is 0.
    """
    if n <= 0:
        return None
    z = float(stats.norm.ppf((1.0 + level) / 2.0))
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    return Interval(
        low=max(0.0, centre - half),
        high=min(1.0, centre + half),
        level=level,
        method="wilson",
    )


class RateEstimate(BaseModel):
    """A share of samples (a pass rate, a trigger rate) with its interval.

    Attributes:
        successes: Samples that passed (or triggered).
        n: Samples counted.
        rate: ``successes / n``.
        design_effect: Variance inflation from epochs of one task being alike (>= 1).
        effective_n: ``n / design_effect``: the sample size the interval uses.
        ci: Wilson interval on the effective sample size.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    successes: int
    n: int
    rate: float
    design_effect: float
    effective_n: float
    ci: Interval | None


def clustered_rate(
    by_task: Mapping[str, Sequence[bool]], level: float = 0.95
) -> RateEstimate:
    """A rate over samples, with a Wilson interval that respects tasks as clusters.

    Epochs of the same task are not independent, so the binomial variance ``p(1-p)/N``
    understates the uncertainty. The design effect (Kish) compares the variance of the
    ratio estimator over tasks with the binomial one::

        var_cluster = T / (T - 1) * sum_t (k_t / N)^2 (p_t - p)^2
        design_effect = max(1, var_cluster / (p (1 - p) / N))

    and the Wilson interval is computed on ``N / design_effect`` trials with the same
    ``p``. With one sample per task (or one task) the design effect is 1 and this is the
    plain Wilson interval.

    Args:
        by_task: Pass (or trigger) status of each counted sample, per task.
        level: Confidence level.

    Returns:
        The estimate; ``rate`` is 0 and ``ci`` ``None`` when there are no samples.
    """
    groups = [list(values) for values in by_task.values() if values]
    total = sum(len(values) for values in groups)
    successes = sum(sum(values) for values in groups)
    if total == 0:
        return RateEstimate(
            successes=0, n=0, rate=0.0, design_effect=1.0, effective_n=0.0, ci=None
        )
    p = successes / total
    deff = 1.0
    binomial_var = p * (1.0 - p) / total
    if len(groups) > 1 and max(len(v) for v in groups) > 1 and binomial_var > 0:
        t = len(groups)
        spread = sum((len(v) / total) ** 2 * (fmean(v) - p) ** 2 for v in groups)
        deff = max(1.0, t / (t - 1) * spread / binomial_var)
    effective = total / deff
    return RateEstimate(
        successes=successes,
        n=total,
        rate=p,
        design_effect=deff,
        effective_n=effective,
        ci=wilson_interval(p * effective, effective, level),
    )


class MeanEstimate(BaseModel):
    """A mean over tasks of per-task means.

    Attributes:
        n_tasks: Tasks with at least one counted sample.
        n_samples: Counted samples.
        mean: Mean over tasks of the task means.
        sd: Sample standard deviation of the task means (``ddof=1``); ``None`` for one
            task.
        ci: The t interval (clipped to [0, 1], where every mean score lies); ``None`` for
            fewer than two tasks.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_tasks: int
    n_samples: int
    mean: float | None
    sd: float | None
    ci: Interval | None


def mean_over_tasks(
    by_task: Mapping[str, Sequence[float]], level: float = 0.95
) -> MeanEstimate:
    """Average epochs within each task, then summarise the task means.

    With ``m_t`` the mean of task ``t``'s epochs and ``T`` tasks::

        mean = (1 / T) * sum_t m_t
        sd   = sqrt(sum_t (m_t - mean)^2 / (T - 1))
        ci   = mean +/- t_{(1+level)/2, T-1} * sd / sqrt(T), clipped to [0, 1]

    Args:
        by_task: Epoch scores per task.
        level: Confidence level of the interval.

    Returns:
        The estimate (``mean`` is ``None`` when no task has a counted sample).
    """
    means = [fmean(values) for values in by_task.values() if values]
    n_samples = sum(len(values) for values in by_task.values())
    if not means:
        return MeanEstimate(n_tasks=0, n_samples=0, mean=None, sd=None, ci=None)
    mean = fmean(means)
    sd = stdev(means) if len(means) > 1 else None
    ci = t_interval(mean, sd, len(means), level) if sd is not None else None
    if ci is not None:
        ci = ci.model_copy(update={"low": max(0.0, ci.low), "high": min(1.0, ci.high)})
    return MeanEstimate(
        n_tasks=len(means), n_samples=n_samples, mean=mean, sd=sd, ci=ci
    )
