"""Power of the paired t-test: the smallest effect a run can detect, the tasks and epochs needed.

The test is the two-sided paired t-test on ``n`` per-task differences with standard deviation
``sd``. Its power against a true mean difference ``delta`` is exact under normality::

    nc    = delta * sqrt(n) / sd                    (noncentrality)
    c     = t_{1 - alpha/2, n-1}                    (critical value)
    power = P(T' > c) + P(T' < -c),  T' ~ noncentral t(n - 1, nc)

(``scipy.stats.nct``). The minimum detectable effect (MDE) solves ``power = 0.8`` for
``delta`` with ``scipy.optimize.brentq``; for large ``n`` it approaches
``(z_{0.975} + z_{0.8}) * sd / sqrt(n) ~= 2.8 * sd / sqrt(n)``.

Epochs shrink only part of ``sd``. Writing ``x_{v,t,e}`` for epoch ``e`` of variant ``v`` on
task ``t``, the variance of a task's difference of epoch means is::

    var(d_t) = sigma2_between + sigma2_within_variant / K_v + sigma2_within_baseline / K_b

``sigma2_within`` is the pooled variance between epochs of the same task (one-way ANOVA
within-group mean square, per arm); ``sigma2_between`` (the spread of the true per-task
effect) is what is left of the observed ``var(d_t)`` and no number of epochs removes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import variance

from pydantic import BaseModel, ConfigDict
from scipy import optimize, stats

#: Target power and two-sided level used unless the caller says otherwise.
DEFAULT_POWER = 0.8
DEFAULT_ALPHA = 0.05
#: The sign-flip test cannot reach p <= 0.05 with fewer tasks (its smallest p is 2 / 2^n).
MIN_TASKS_EXACT = 6
#: Confidence of the one-sided upper bound on the sd that plans are also given at.
SD_CONFIDENCE = 0.9
#: Searches for tasks or epochs stop here.
MAX_TASKS = 100_000
MAX_EPOCHS = 1_000


def min_tasks_exact(alpha: float = DEFAULT_ALPHA) -> int:
    """The fewest tasks at which an exact sign-flip test can reach ``p <= alpha``.

    Its smallest two-sided p-value is ``2 / 2^n``, so ``n >= log2(2 / alpha)``: 6 at
    0.05, 9 at 0.05 / 7 (the first step of Holm over seven checks).
    """
    return max(2, math.ceil(math.log2(2.0 / alpha) - 1e-12))


def variance_upper_bound(
    var: float, df: int, confidence: float = SD_CONFIDENCE
) -> float:
    """One-sided upper confidence bound of a variance estimated with ``df`` degrees of freedom.

    ``df * var / chi2_{1 - confidence, df}`` (``var * df / sigma^2`` is chi-square with
    ``df`` degrees of freedom for normal data).
    """
    return df * var / float(stats.chi2.ppf(1.0 - confidence, df))


def paired_power(
    effect: float, sd: float, n: float, alpha: float = DEFAULT_ALPHA
) -> float:
    """Power of the two-sided paired t-test (see the module docstring for the formula).

    Args:
        effect: True mean difference.
        sd: Standard deviation of the per-task differences (> 0).
        n: Number of tasks (>= 2; may be fractional while solving).
        alpha: Two-sided significance level.

    Returns:
        The probability of rejecting ``mean = 0``.
    """
    df = n - 1.0
    critical = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    nc = effect * math.sqrt(n) / sd
    upper = float(stats.nct.sf(critical, df, nc))
    lower = float(stats.nct.cdf(-critical, df, nc))
    # Far in the tails scipy's noncentral t returns nan; the normal limit is exact there.
    if not math.isfinite(upper):
        upper = float(stats.norm.sf(critical - nc))
    if not math.isfinite(lower):
        lower = float(stats.norm.cdf(-critical - nc))
    return upper + lower


def minimum_detectable_effect(
    sd: float | None, n: int, power: float = DEFAULT_POWER, alpha: float = DEFAULT_ALPHA
) -> float | None:
    """The smallest mean difference detected with probability ``power``.

    Solves ``paired_power(delta, sd, n, alpha) = power`` for ``delta`` (brentq).

    Returns:
        The effect in score units; ``None`` when ``n < 2`` or ``sd`` is unknown or 0.
    """
    if sd is None or sd <= 0 or n < 2:
        return None
    upper = sd
    while paired_power(upper, sd, n, alpha) < power:
        upper *= 2.0
    return float(
        optimize.brentq(lambda e: paired_power(e, sd, n, alpha) - power, 0.0, upper)
    )


def tasks_needed(
    effect: float,
    sd: float | None,
    power: float = DEFAULT_POWER,
    alpha: float = DEFAULT_ALPHA,
) -> int | None:
    """The fewest tasks at which the paired t-test detects ``effect`` with ``power``.

    Solves ``paired_power(effect, sd, n, alpha) = power`` for a real ``n`` (brentq), then
    rounds up, and never returns fewer than :func:`min_tasks_exact` at ``alpha`` (the exact
    sign-flip test the verdict also requires cannot reject with fewer).

    Returns:
        The number of tasks; ``None`` when ``sd`` is unknown or 0, the effect is not
        positive, or more than :data:`MAX_TASKS` would be needed.
    """
    if sd is None or sd <= 0 or effect <= 0:
        return None
    floor = min_tasks_exact(alpha)
    low = 2.0
    if paired_power(effect, sd, low, alpha) >= power:
        return floor
    if paired_power(effect, sd, MAX_TASKS, alpha) < power:
        return None
    root = float(
        optimize.brentq(
            lambda n: paired_power(effect, sd, n, alpha) - power, low, MAX_TASKS
        )
    )
    n = math.ceil(root - 1e-9)
    while paired_power(effect, sd, n, alpha) < power:
        n += 1
    return max(n, floor)


class VarianceComponents(BaseModel):
    """How the variance of a per-task difference splits between tasks and epochs.

    Attributes:
        n_tasks: Tasks in both arms.
        var_diff: Observed ``var(d_t)`` over tasks (``ddof=1``); ``None`` for one task.
        within_variant: Pooled between-epoch variance within a task, variant arm.
        within_baseline: The same for the baseline arm.
        epochs_variant: Effective epochs per task of the variant (harmonic mean).
        epochs_baseline: The same for the baseline.
        between: ``max(0, var_diff - within_variant / K_v - within_baseline / K_b)``:
            the spread of the true per-task effect, which epochs cannot shrink.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_tasks: int
    var_diff: float | None
    within_variant: float | None
    within_baseline: float | None
    epochs_variant: float
    epochs_baseline: float
    between: float | None

    @property
    def separable(self) -> bool:
        """Whether epochs were repeated, so the two sources can be told apart."""
        return (
            self.between is not None
            and self.within_variant is not None
            and self.within_baseline is not None
        )

    @property
    def planning_sd(self) -> float | None:
        """The sd of a task's difference that power figures use, at this run's epochs.

        ``sqrt(between + within_variant / K_v + within_baseline / K_b)``, which equals
        ``sqrt(max(var_diff, within_variant / K_v + within_baseline / K_b))``: never less
        than what the epoch-to-epoch variance alone implies (its estimate rests on many
        more degrees of freedom than ``var_diff``). With one epoch per task it is
        ``sqrt(var_diff)``; ``None`` for one task.
        """
        if (
            self.between is not None
            and self.within_variant is not None
            and self.within_baseline is not None
        ):
            return math.sqrt(
                self.between
                + self.within_variant / self.epochs_variant
                + self.within_baseline / self.epochs_baseline
            )
        return None if self.var_diff is None else math.sqrt(self.var_diff)

    def upper(self, confidence: float = SD_CONFIDENCE) -> VarianceComponents:
        """These components at their one-sided upper confidence bounds.

        ``var_diff`` becomes its chi-square bound with ``n - 1`` degrees of freedom
        (:func:`variance_upper_bound`); each between-epoch variance its bound with
        ``n (K - 1)`` degrees of freedom; and the between-task part is what the bound of
        ``var_diff`` leaves over the epoch noise at its *lower* bound, so a between-task
        variance estimated at exactly 0 gets the positive bound the data allow. Each
        bound holds at ``confidence``; their sum is conservative.
        """
        if self.var_diff is None or self.n_tasks < 2:
            return self
        var_up = variance_upper_bound(self.var_diff, self.n_tasks - 1, confidence)
        if self.within_variant is None or self.within_baseline is None:
            return self.model_copy(update={"var_diff": var_up})
        bounds = [
            (
                variance_upper_bound(within, df, 1.0 - confidence),
                variance_upper_bound(within, df, confidence),
            )
            for within, epochs in (
                (self.within_variant, self.epochs_variant),
                (self.within_baseline, self.epochs_baseline),
            )
            if (df := max(1, round(self.n_tasks * (epochs - 1.0))))
        ]
        (low_v, high_v), (low_b, high_b) = bounds
        noise_low = low_v / self.epochs_variant + low_b / self.epochs_baseline
        return self.model_copy(
            update={
                "var_diff": var_up,
                "within_variant": high_v,
                "within_baseline": high_b,
                "between": max(0.0, var_up - noise_low),
            }
        )

    def sd_at(self, epochs: float) -> float | None:
        """The sd of a task's difference with ``epochs`` epochs in each arm.

        ``sqrt(between + (within_variant + within_baseline) / epochs)``; ``None`` when the
        components cannot be separated (one epoch per task).
        """
        if (
            self.between is None
            or self.within_variant is None
            or self.within_baseline is None
        ):
            return None
        return math.sqrt(
            self.between + (self.within_variant + self.within_baseline) / epochs
        )


def pooled_within(by_task: Mapping[str, Sequence[float]]) -> float | None:
    """Pooled within-task variance: ``sum_t (k_t - 1) s_t^2 / sum_t (k_t - 1)``.

    Returns:
        ``None`` when no task has two or more epochs.
    """
    groups = [values for values in by_task.values() if len(values) > 1]
    dof = sum(len(values) - 1 for values in groups)
    if dof == 0:
        return None
    return sum((len(values) - 1) * variance(values) for values in groups) / dof


def _harmonic_epochs(
    by_task: Mapping[str, Sequence[float]], tasks: Sequence[str]
) -> float:
    """``1 / mean_t(1 / k_t)``: the epoch count that gives the same mean ``1/K`` term."""
    if not tasks:
        return 1.0
    return len(tasks) / sum(1.0 / len(by_task[task]) for task in tasks)


def variance_components(
    variant: Mapping[str, Sequence[float]],
    baseline: Mapping[str, Sequence[float]],
    differences: Sequence[float],
) -> VarianceComponents:
    """Split ``var(d_t)`` into between-task and between-epoch parts.

    Args:
        variant: Epoch scores per task, variant arm.
        baseline: Epoch scores per task, baseline arm.
        differences: ``d_t`` for the tasks present in both (same tasks as the arms share).

    Returns:
        The components (see the module docstring for the formula).
    """
    shared = sorted(set(variant) & set(baseline))
    var_diff = variance(differences) if len(differences) > 1 else None
    within_v = pooled_within({t: variant[t] for t in shared})
    within_b = pooled_within({t: baseline[t] for t in shared})
    k_v = _harmonic_epochs(variant, shared)
    k_b = _harmonic_epochs(baseline, shared)
    between = None
    if var_diff is not None and within_v is not None and within_b is not None:
        between = max(0.0, var_diff - within_v / k_v - within_b / k_b)
    return VarianceComponents(
        n_tasks=len(shared),
        var_diff=var_diff,
        within_variant=within_v,
        within_baseline=within_b,
        epochs_variant=k_v,
        epochs_baseline=k_b,
        between=between,
    )


def epochs_needed(
    effect: float,
    components: VarianceComponents,
    n_tasks: int,
    power: float = DEFAULT_POWER,
    alpha: float = DEFAULT_ALPHA,
) -> int | None:
    """The fewest epochs per arm that detect ``effect`` with ``n_tasks`` tasks.

    Returns:
        The epochs; ``None`` when the components cannot be separated, the effect is not
        positive, ``n_tasks`` is below :func:`min_tasks_exact`, or even
        :data:`MAX_EPOCHS` epochs would not do (the between-task spread alone is too large:
        more tasks are needed).
    """
    if not components.separable or effect <= 0 or n_tasks < min_tasks_exact(alpha):
        return None

    def enough(epochs: int) -> bool:
        sd = components.sd_at(epochs)
        if sd is None:
            return False
        return sd == 0 or paired_power(effect, sd, n_tasks, alpha) >= power

    if not enough(MAX_EPOCHS):
        return None
    low, high = 1, MAX_EPOCHS
    while low < high:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle + 1
    return low
