"""How the skill's effect varies across tasks: a random-effects (empirical Bayes) model.

The model is the task x arm x epoch design of a run. With ``x_{t,a,e}`` the score of epoch
``e`` of arm ``a`` on task ``t``::

    x_{t,b,e} = alpha_t + eps,                 eps ~ N(0, sigma2_b)    (baseline)
    x_{t,v,e} = alpha_t + theta_t + eps,       eps ~ N(0, sigma2_v)    (variant)
    theta_t   ~ N(mu, tau^2)

``alpha_t`` (how hard the task is) cancels in the paired difference of epoch means
``d_t = mean_e x_{t,v,e} - mean_e x_{t,b,e}``, so ``d_t ~ N(theta_t, s_t^2)`` with the
epoch noise ``s_t^2 = sigma2_v / k_{v,t} + sigma2_b / k_{b,t}`` (the pooled within-task
variances of :func:`harness.stats.power.pooled_within`). Fitting:

- ``tau^2`` by Paule-Mandel: the root of the generalised Q statistic
  ``Q(tau^2) = sum_t w_t (d_t - mu_w)^2 = k - 1`` with ``w_t = 1 / (s_t^2 + tau^2)``
  (0 when ``Q(0) <= k - 1``); its confidence interval by the Q-profile method
  (Viechtbauer 2007), exact for known ``s_t^2``: the ``tau^2`` where ``Q`` equals the
  chi-square(k - 1) quantiles. A zero estimate is therefore always shown with the upper
  bound the data allow.
- ``mu`` as the weighted mean, its interval with the Hartung-Knapp(-Sidik-Jonkman)
  variance (never below the plain one) and ``t_{k-1}``.
- The shrunken effect of each task (its posterior mean) ``mu + B_t (d_t - mu)`` with
  ``B_t = tau^2 / (tau^2 + s_t^2)``; posterior variance
  ``B_t s_t^2 + (1 - B_t)^2 se(mu)^2`` (Morris's correction for estimating ``mu``).
- A new task's effect (:func:`predictive`): ``N(mu, tau^2 + se(mu)^2)`` averaged over
  ``tau^2``'s confidence distribution, its prediction interval and the chance that a
  new task benefits, ``P(theta_new > 0)``; that chance is also given at both ends of
  ``tau``'s interval (``mu + t_{k-2} sqrt(tau^2 + se^2)``, Higgins, Thompson and
  Spiegelhalter 2009).

With one epoch per task ``s_t^2`` cannot be estimated: it is taken as 0, so ``tau``
includes the epoch noise (an overestimate, said so in ``separable``) and nothing shrinks.
The normal model is an approximation for scores in [0, 1]; the validity of the intervals
is checked by simulation in ``tests/stats/test_hierarchy.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from statistics import fmean

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import optimize, stats

from harness.stats.estimates import Interval
from harness.stats.power import pooled_within

#: Below this, a variance is treated as zero (scores live in [0, 1]).
_TINY = 1e-12
#: Quantiles of tau^2's confidence distribution a prediction averages over.
PREDICTIVE_GRID = 40


class TaskEffect(BaseModel):
    """One task's effect: what was observed and what the model believes.

    Attributes:
        task: The task.
        observed: ``d_t``, the difference of the arms' epoch means.
        noise_sd: ``s_t``, the epoch noise of ``d_t`` (0 when it cannot be estimated).
        shrunken: The posterior mean: ``d_t`` pulled towards ``mu`` by ``1 - B_t``.
        posterior_sd: Its posterior standard deviation.
        prob_benefit: ``P(theta_t > 0 | data)`` under the model.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    observed: float
    noise_sd: float
    shrunken: float
    posterior_sd: float
    prob_benefit: float


class EffectSpread(BaseModel):
    """The fitted random-effects model of one variant against the baseline.

    Attributes:
        n_tasks: Tasks in both arms.
        level: Confidence level of every interval.
        separable: Whether epoch noise could be estimated (2+ epochs somewhere); when
            not, ``tau`` includes it and nothing is shrunk.
        within_variant: Pooled between-epoch variance of the variant arm.
        within_baseline: The same for the baseline.
        mean: ``mu``, the mean effect over tasks (weighted).
        mean_se: Its standard error (Hartung-Knapp, never below the plain one).
        mean_ci: ``mu``'s interval (``None`` for one task).
        tau: The sd of the true effect across tasks (Paule-Mandel).
        tau_ci: ``tau``'s Q-profile interval (``None`` for one task).
        heterogeneity_p: p-value of Cochran's Q test of ``tau = 0``.
        prediction: Where a new task's effect lies (``None`` under three tasks).
        prob_new_task_benefits: ``P(theta_new > 0)``, over ``tau``'s uncertainty.
        prob_new_task_benefits_range: The same at the ends of ``tau``'s interval,
            lowest first.
        tasks: Per task, observed and shrunken effects, sorted by shrunken effect.
        method: The model in words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_tasks: int
    level: float
    separable: bool
    within_variant: float | None
    within_baseline: float | None
    mean: float
    mean_se: float
    mean_ci: Interval | None
    tau: float | None
    tau_ci: Interval | None
    heterogeneity_p: float | None
    prediction: Interval | None
    prob_new_task_benefits: float | None
    prob_new_task_benefits_range: tuple[float, float] | None
    tasks: list[TaskEffect]
    method: str

    def task(self, task: str) -> TaskEffect:
        """The effect of one task.

        Raises:
            KeyError: When the task is not in the fit.
        """
        for item in self.tasks:
            if item.task == task:
                return item
        raise KeyError(task)


def _weights(noise: np.ndarray, tau2: float) -> np.ndarray:
    return 1.0 / np.maximum(noise + tau2, _TINY)


def q_statistic(d: np.ndarray, noise: np.ndarray, tau2: float) -> float:
    """The generalised Q: ``sum_t w_t (d_t - mu_w)^2``, ``w_t = 1 / (s_t^2 + tau^2)``."""
    w = _weights(noise, tau2)
    mu = float(np.sum(w * d) / np.sum(w))
    return float(np.sum(w * (d - mu) ** 2))


def _root(function: Callable[[float], float], scale: float) -> float:
    """The ``tau^2 >= 0`` where a decreasing ``function`` crosses 0 (0 if below at 0)."""
    if function(0.0) <= 0:
        return 0.0
    high = max(scale, _TINY)
    while function(high) > 0:
        high *= 4.0
        if high > 1e6:
            return high
    return float(optimize.brentq(function, 0.0, high, xtol=1e-14, rtol=1e-10))


def tau2_for_q(d: np.ndarray, noise: np.ndarray, target: float) -> float:
    """The ``tau^2`` at which ``Q(tau^2) = target`` (0 when ``Q(0) <= target``).

    ``Q`` decreases in ``tau^2``, so the root is unique. Paule-Mandel solves
    ``target = k - 1``; the Q-profile interval solves the chi-square quantiles.
    """
    scale = float(np.var(d)) if d.size > 1 else 1.0
    return _root(lambda t2: q_statistic(d, noise, t2) - target, scale)


def tau2_interval(
    d: np.ndarray, noise: np.ndarray, level: float
) -> tuple[float, float]:
    """The Q-profile interval of ``tau^2`` at ``level`` (two-sided)."""
    df = d.size - 1
    upper_q = float(stats.chi2.ppf((1.0 + level) / 2.0, df))
    lower_q = float(stats.chi2.ppf((1.0 - level) / 2.0, df))
    return tau2_for_q(d, noise, upper_q), tau2_for_q(d, noise, lower_q)


def tau2_upper_bound(d: np.ndarray, noise: np.ndarray, level: float) -> float:
    """A one-sided upper confidence bound of ``tau^2`` at ``level`` (Q-profile)."""
    return tau2_for_q(d, noise, float(stats.chi2.ppf(1.0 - level, d.size - 1)))


def _prob_positive(mean: float, scale: float, df: int | None = None) -> float:
    """``P(X > 0)`` for ``X = mean + scale * T`` (``T`` Student t with ``df``, or normal)."""
    if scale <= _TINY:
        return 1.0 if mean > 0 else 0.0
    if df is None:
        return float(stats.norm.cdf(mean / scale))
    return float(stats.t.cdf(mean / scale, df))


def predictive(
    d: np.ndarray, noise: np.ndarray, level: float
) -> tuple[Interval, float]:
    """Where a new task's effect lies, and the chance it is positive.

    The predictive distribution averages ``N(mu(tau^2), tau^2 + se(tau^2)^2)`` over
    :data:`PREDICTIVE_GRID` equally spaced quantiles of ``tau^2``'s Q-profile confidence
    distribution (Nagashima, Noma and Furukawa 2019), so the uncertainty of ``tau`` is
    in the interval: at the estimate alone it under-covers when ``tau`` is poorly
    determined (83% in ``tests/stats/test_hierarchy.py``'s design), at the upper end of
    ``tau``'s interval it over-covers (100%). A task's effect lies in [-1, 1], and so
    does the interval.

    Returns:
        ``(interval, P(theta_new > 0))``.
    """
    df = d.size - 1
    grid = (np.arange(PREDICTIVE_GRID) + 0.5) / PREDICTIVE_GRID
    tau2 = np.array(
        [tau2_for_q(d, noise, float(stats.chi2.ppf(1.0 - u, df))) for u in grid]
    )
    w = 1.0 / np.maximum(noise[None, :] + tau2[:, None], _TINY)
    means = (w * d).sum(axis=1) / w.sum(axis=1)
    scales = np.maximum(np.sqrt(tau2 + 1.0 / w.sum(axis=1)), _TINY)

    def below(x: float, share: float) -> float:
        return float(np.mean(stats.norm.cdf((x - means) / scales))) - share

    ends = []
    for share in ((1.0 - level) / 2.0, (1.0 + level) / 2.0):
        if below(-1.0, share) >= 0:
            ends.append(-1.0)
        elif below(1.0, share) <= 0:
            ends.append(1.0)
        else:
            ends.append(float(optimize.brentq(below, -1.0, 1.0, args=(share,))))
    interval = Interval(
        low=ends[0],
        high=ends[1],
        level=level,
        method="prediction-confidence-distribution",
    )
    return interval, float(np.mean(stats.norm.cdf(means / scales)))


def epoch_noise(
    variant: Mapping[str, Sequence[float]],
    baseline: Mapping[str, Sequence[float]],
    tasks: Sequence[str],
) -> tuple[list[float], float | None, float | None]:
    """``s_t^2`` per task from the pooled within-task variances of each arm.

    Returns:
        ``(s_t^2 per task, sigma2_variant, sigma2_baseline)``; the variances are ``None``
        (and every ``s_t^2`` 0) when no task has two epochs in that arm.
    """
    within_v = pooled_within({t: variant[t] for t in tasks})
    within_b = pooled_within({t: baseline[t] for t in tasks})
    noise = [
        (within_v or 0.0) / len(variant[t]) + (within_b or 0.0) / len(baseline[t])
        for t in tasks
    ]
    return noise, within_v, within_b


def fit_effects(
    variant: Mapping[str, Sequence[float]],
    baseline: Mapping[str, Sequence[float]],
    *,
    level: float = 0.95,
) -> EffectSpread | None:
    """Fit the random-effects model to one variant against the baseline.

    Args:
        variant: Epoch scores per task, variant arm.
        baseline: Epoch scores per task, baseline arm.
        level: Confidence level of the intervals.

    Returns:
        The fit; ``None`` when no task has samples in both arms.
    """
    tasks = sorted(set(variant) & set(baseline))
    if not tasks:
        return None
    d_list = [fmean(variant[t]) - fmean(baseline[t]) for t in tasks]
    noise_list, within_v, within_b = epoch_noise(variant, baseline, tasks)
    noise_df = sum(len(arm[t]) - 1 for arm in (variant, baseline) for t in tasks)
    return fit_differences(
        tasks,
        d_list,
        noise_list,
        level=level,
        within=(within_v, within_b),
        noise_df=noise_df,
    )


def fit_differences(
    tasks: Sequence[str],
    differences: Sequence[float],
    noise: Sequence[float],
    *,
    level: float = 0.95,
    within: tuple[float | None, float | None] = (None, None),
    noise_df: int = 0,
) -> EffectSpread:
    """Fit the model to per-task differences with known epoch noise ``s_t^2``.

    Args:
        tasks: Task ids, one per difference.
        differences: ``d_t``.
        noise: ``s_t^2`` (0 when unknown).
        level: Confidence level of the intervals.
        within: The arms' pooled within-task variances, recorded on the fit.
        noise_df: Degrees of freedom of the epoch noise's estimate (0: taken as known).
            The upper end of ``tau``'s interval is found with the noise at its lower
            confidence bound, so an estimate of 0 never hides the spread the data allow.

    Returns:
        The fit (see the module docstring for every formula).
    """
    d = np.asarray(differences, dtype=float)
    s2 = np.asarray(noise, dtype=float)
    k = d.size
    separable = within[0] is not None or within[1] is not None
    tau2 = tau2_for_q(d, s2, k - 1.0) if k > 1 else 0.0
    w = _weights(s2, tau2)
    mu = float(np.sum(w * d) / np.sum(w))
    plain_var = 1.0 / float(np.sum(w))
    mean_ci = tau_ci = prediction = None
    heterogeneity_p = prob_new = prob_range = tau = None
    mean_var = plain_var
    if k > 1:
        hk = float(np.sum(w * (d - mu) ** 2)) / ((k - 1) * float(np.sum(w)))
        mean_var = max(plain_var, hk)
        half = float(stats.t.ppf((1.0 + level) / 2.0, k - 1)) * math.sqrt(mean_var)
        mean_ci = Interval(
            low=mu - half, high=mu + half, level=level, method="random-effects-hk"
        )
        low2, high2 = tau2_interval(d, s2, level)
        if noise_df > 0:
            low_noise = noise_df / float(stats.chi2.ppf((1.0 + level) / 2.0, noise_df))
            high2 = max(high2, tau2_interval(d, s2 * low_noise, level)[1])
        tau = math.sqrt(tau2)
        tau_ci = Interval(
            low=math.sqrt(low2), high=math.sqrt(high2), level=level, method="q-profile"
        )
        if bool(np.all(s2 > _TINY)):
            heterogeneity_p = float(stats.chi2.sf(q_statistic(d, s2, 0.0), k - 1))
        if k > 2:
            prediction, prob_new = predictive(d, s2, level)
            ends = sorted(
                _prob_positive(mu, math.sqrt(t2 + mean_var), k - 2)
                for t2 in (low2, high2)
            )
            prob_range = (ends[0], ends[1])
    effects = []
    for task, dt, st2 in zip(tasks, d, s2, strict=True):
        shrink = tau2 / (tau2 + st2) if tau2 + st2 > _TINY else 1.0
        shrunken = float(mu + shrink * (dt - mu))
        post_var = shrink * st2 + (1.0 - shrink) ** 2 * mean_var
        post_sd = math.sqrt(max(post_var, 0.0))
        effects.append(
            TaskEffect(
                task=task,
                observed=float(dt),
                noise_sd=math.sqrt(st2),
                shrunken=shrunken,
                posterior_sd=post_sd,
                prob_benefit=_prob_positive(shrunken, post_sd),
            )
        )
    effects.sort(key=lambda e: (e.shrunken, e.task))
    return EffectSpread(
        n_tasks=k,
        level=level,
        separable=separable,
        within_variant=within[0],
        within_baseline=within[1],
        mean=mu,
        mean_se=math.sqrt(mean_var),
        mean_ci=mean_ci,
        tau=tau,
        tau_ci=tau_ci,
        heterogeneity_p=heterogeneity_p,
        prediction=prediction,
        prob_new_task_benefits=prob_new,
        prob_new_task_benefits_range=prob_range,
        tasks=effects,
        method=(
            "random effects over tasks (task x arm x epoch: epoch noise from the pooled "
            "within-task variance), tau by Paule-Mandel with a Q-profile interval, mean "
            "with Hartung-Knapp, empirical-Bayes shrinkage"
        ),
    )


__all__ = [
    "PREDICTIVE_GRID",
    "EffectSpread",
    "TaskEffect",
    "epoch_noise",
    "fit_differences",
    "fit_effects",
    "predictive",
    "q_statistic",
    "tau2_for_q",
    "tau2_interval",
    "tau2_upper_bound",
]
