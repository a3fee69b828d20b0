"""The primary test of a paired comparison: the studentised difference, robust to skewed effects.

The statistic is the studentised mean of the per-task differences ``d``::

    T = mean(d) / (sd(d) / sqrt(n))

It is judged against two reference distributions, and a difference counts only when
**both** put it in the tail:

- **Student's t** with ``n - 1`` degrees of freedom. It holds its level when the task
  effects are symmetric, even heavy-tailed (and the sign-flip test, whose studentised
  form is the same test, agrees with it in every scenario of the validity suite), but a
  skewed effect (most tasks helped a little, a few hurt a lot) makes it call a false
  "better" 2 to 3 times too often.
- **The studentised bootstrap** (bootstrap-t): tasks are drawn with replacement
  ``n_resamples`` times (seeded) and ``T* = (mean* - mean) / se*`` recomputed, so the
  reference distribution carries the data's skew. Alone it errs the other way on
  symmetric heavy-tailed differences (the ``sim`` model's real scores among them).

Each one-sided p-value is the larger of the two; the interval at any level is the hull
of the t interval and the bootstrap-t interval (each bound the more cautious of the two),
so the interval excludes zero exactly when the test rejects. The validity suite
(``benchmarks/stats_validity.py``) measures the result: within its nominal rate where
either alone is not. Bounds are clipped to [-1, 1], where every difference of scores lies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from harness.stats.estimates import Interval

#: Resamples of the bootstrap-t.
DEFAULT_RESAMPLES = 9999
#: Fewer tasks than this never give a verdict: the resampling distributions have too few
#: distinct values (and the sign-flip test cannot reach p <= 0.05 below 6 tasks).
MIN_TASKS_VERDICT = 6
#: The method name recorded on the primary interval.
METHOD = "t+bootstrap-t"
_CHUNK = 2000


def _bootstrap_t(d: np.ndarray, mean: float, seed: int, n: int) -> np.ndarray:
    """``n`` studentised bootstrap replicates of the mean of ``d``, sorted ascending.

    A resample with no spread has ``se* = 0``: its ``T*`` is 0 when its mean equals the
    sample mean and infinite (with the sign of the gap) otherwise.
    """
    rng = np.random.default_rng(seed)
    size = d.size
    out = []
    for start in range(0, n, _CHUNK):
        rows = d[rng.integers(size, size=(min(_CHUNK, n - start), size))]
        means = rows.mean(axis=1)
        ses = rows.std(axis=1, ddof=1) / math.sqrt(size)
        gap = means - mean
        with np.errstate(divide="ignore", invalid="ignore"):
            t_star = np.where(
                ses > 0, gap / np.where(ses > 0, ses, 1.0), np.sign(gap) * np.inf
            )
        out.append(t_star)
    return np.sort(np.concatenate(out))


@dataclass(frozen=True)
class RobustTest:
    """The primary test on one vector of per-task differences.

    Attributes:
        n: Tasks.
        mean: Mean difference.
        sd: Standard deviation (``ddof=1``).
        t_star: Sorted bootstrap-t replicates (``None`` when ``sd`` is 0).
    """

    n: int
    mean: float
    sd: float
    t_star: np.ndarray | None

    @classmethod
    def of(
        cls,
        differences: Sequence[float],
        *,
        seed: int = 0,
        n_resamples: int = DEFAULT_RESAMPLES,
    ) -> RobustTest | None:
        """The test, or ``None`` for fewer than two tasks."""
        d = np.asarray(differences, dtype=float)
        if d.size < 2:
            return None
        mean = float(d.mean())
        sd = float(d.std(ddof=1))
        if sd <= 1e-12 * max(1.0, abs(mean)):
            return cls(n=d.size, mean=mean, sd=0.0, t_star=None)
        return cls(
            n=d.size, mean=mean, sd=sd, t_star=_bootstrap_t(d, mean, seed, n_resamples)
        )

    @property
    def se(self) -> float:
        """Standard error of the mean."""
        return self.sd / math.sqrt(self.n)

    def one_sided(self) -> tuple[float, float]:
        """``(p_upper, p_lower)``: evidence the mean is above 0, and below 0.

        Each is the larger of the t and the bootstrap-t one-sided p-values (the
        bootstrap's is ``(#{T* >= T} + 1) / (B + 1)``). With no spread the difference
        is certain: ``(0, 1)`` above zero, ``(1, 0)`` below, ``(1, 1)`` at zero.
        """
        if self.t_star is None:
            if self.mean == 0:
                return 1.0, 1.0
            return (0.0, 1.0) if self.mean > 0 else (1.0, 0.0)
        t = self.mean / self.se
        df = self.n - 1
        b = self.t_star.size
        boot_upper = (b - int(np.searchsorted(self.t_star, t, side="left")) + 1) / (
            b + 1
        )
        boot_lower = (int(np.searchsorted(self.t_star, t, side="right")) + 1) / (b + 1)
        return (
            max(float(stats.t.sf(t, df)), boot_upper),
            max(float(stats.t.cdf(t, df)), boot_lower),
        )

    def p_value(self) -> float:
        """Two-sided: ``min(1, 2 * min(p_upper, p_lower))``."""
        upper, lower = self.one_sided()
        return min(1.0, 2.0 * min(upper, lower))

    def interval(self, level: float) -> Interval:
        """The hull of the t and bootstrap-t intervals at ``level``, within [-1, 1].

        The bootstrap-t bounds are ``mean - se * T*_(B-k)`` and ``mean - se * T*_(k+1)``
        (order statistics) with ``k + 1 = floor((B + 1) * (1 - level) / 2)``, the
        inversion of the p-value above, so the interval excludes 0 exactly when
        ``p_value() <= 1 - level``. Too few resamples to reach the level give the
        widest interval.
        """
        if self.t_star is None:
            return Interval(low=self.mean, high=self.mean, level=level, method=METHOD)
        gamma = 1.0 - level
        half = float(stats.t.ppf(1.0 - gamma / 2.0, self.n - 1)) * self.se
        low, high = self.mean - half, self.mean + half
        b = self.t_star.size
        k = math.floor((b + 1) * gamma / 2.0) - 1
        if k < 0:
            low, high = -math.inf, math.inf
        else:
            low = min(low, self.mean - self.se * float(self.t_star[b - 1 - k]))
            high = max(high, self.mean - self.se * float(self.t_star[k]))
        return Interval(
            low=max(-1.0, low), high=min(1.0, high), level=level, method=METHOD
        )


__all__ = ["DEFAULT_RESAMPLES", "METHOD", "MIN_TASKS_VERDICT", "RobustTest"]
