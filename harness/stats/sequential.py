"""Early stopping with a guarantee: anytime-valid confidence sequences on per-task differences.

A run with ``--stop-when-decided`` works through its tasks in a seeded random order, a
batch at a time, and looks after each batch. A fixed-sample interval looked at again and
again is not a 95% interval any more (stopping at the first win calls a false "better"
about twice as often); a **confidence sequence** is: it covers the true mean difference
at every number of tasks at once, with probability ``1 - alpha``, so the run may stop at
any look, and ``--resume`` may look again, without losing the guarantee.

The sequence here is the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha,
Kennedy and Ramdas ("Time-uniform central limit theory and asymptotic confidence
sequences", Annals of Statistics 2024, Theorem 2.2): Robbins' normal mixture with the
running mean ``dbar_t`` and sd ``s_t`` of the first ``t`` per-task differences::

    dbar_t +/- s_t * sqrt(2 (t rho^2 + 1) / (t^2 rho^2) * log(sqrt(t rho^2 + 1) / alpha))
    rho^2 = (-2 log alpha + log(-2 log alpha + 1)) / t_opt

``t_opt`` (the planned number of tasks) is where the sequence is tightest; at 33 tasks it
is about 1.5 times as wide as the fixed-sample t interval. The guarantee is the central
limit theorem's, as for the t interval, but uniform over time: the chance that it ever
misses the mean, however often one looks, tends to ``alpha``. The running intersection
is taken from :data:`MIN_TASKS` tasks on (before that no look counts).

Several comparisons are covered together by splitting ``alpha`` between them (weighted
Bonferroni, with the weights of :mod:`harness.stats.family`), which holds at any stopping
time. The validity suite measures the guarantee under peeking.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy import stats

from harness.stats.estimates import Interval

#: The method name recorded on a confidence sequence.
METHOD = "asymptotic confidence sequence"
#: Looks before this many tasks decide nothing (a spread from fewer is too rough).
MIN_TASKS = 6


def _half_widths(n: int, alpha: float, planned: int) -> np.ndarray:
    """``sqrt(2 (t rho^2 + 1) / (t^2 rho^2) log(sqrt(t rho^2 + 1) / alpha))`` for t = 1..n."""
    t = np.arange(1, n + 1, dtype=float)
    log_alpha = math.log(alpha)
    rho2 = (-2.0 * log_alpha + math.log(-2.0 * log_alpha + 1.0)) / max(planned, 1)
    scale = t * rho2 + 1.0
    return np.sqrt(2.0 * scale / (t * t * rho2) * (0.5 * np.log(scale) - log_alpha))


def confidence_sequence(
    differences: Sequence[float], alpha: float = 0.05, *, planned: int | None = None
) -> Interval:
    """The anytime-valid interval for the mean of ``differences`` after all of them.

    Args:
        differences: Per-task differences, in the order they were observed.
        alpha: Error level (the sequence covers the mean at every time with probability
            tending to ``1 - alpha``).
        planned: The number of tasks the run plans (where the sequence is tightest;
            default: as many as given).

    Returns:
        The running intersection from :data:`MIN_TASKS` tasks on, within [-1, 1];
        [-1, 1] itself before that.
    """
    x = np.asarray(differences, dtype=float)
    wide = Interval(low=-1.0, high=1.0, level=1.0 - alpha, method=METHOD)
    if x.size < MIN_TASKS:
        return wide
    t = np.arange(1, x.size + 1, dtype=float)
    means = np.cumsum(x) / t
    squares = np.cumsum(x * x)
    with np.errstate(invalid="ignore", divide="ignore"):
        variances = np.maximum(squares - t * means * means, 0.0) / np.maximum(
            t - 1.0, 1.0
        )
    # The spread is estimated: widen by Student's t over the normal quantile, as the t
    # interval does (1.31 at 6 tasks, 1.04 at 33), so few tasks do not undercover.
    student = stats.t.ppf(1.0 - alpha / 2.0, np.maximum(t - 1.0, 1.0)) / stats.norm.ppf(
        1.0 - alpha / 2.0
    )
    half = np.sqrt(variances) * _half_widths(x.size, alpha, planned or x.size) * student
    start = MIN_TASKS - 1
    low = float(np.max((means - half)[start:]))
    high = float(np.min((means + half)[start:]))
    if low > high:  # an empty intersection (a chance below alpha): the latest interval
        low, high = float(means[-1] - half[-1]), float(means[-1] + half[-1])
    return Interval(
        low=max(-1.0, low), high=min(1.0, high), level=1.0 - alpha, method=METHOD
    )


def task_order(tasks: Sequence[str], seed: int) -> list[str]:
    """The order a sequential run works through its tasks: a seeded shuffle.

    Random, so the first batches are not one kind of task; seeded, so a resumed run
    and its report find the same order.
    """
    return sorted(
        tasks, key=lambda task: hashlib.sha256(f"{seed}|{task}".encode()).hexdigest()
    )


def batches(order: Sequence[str], size: int) -> list[list[str]]:
    """``order`` cut into batches of ``size`` tasks (the last may be smaller)."""
    return [list(order[i : i + size]) for i in range(0, len(order), size)]


class StopQuestion(BaseModel):
    """A question whose answer lets a sequential run stop.

    Attributes:
        variant: The variant compared with the baseline.
        check: The check.
        margin: ``None``: is it better or worse (settled when the interval excludes 0)?
            A number: is it no worse than ``-margin`` (settled when the interval lies
            wholly above or wholly below ``-margin``)?
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    check: str
    margin: float | None = Field(default=None, ge=0.0)

    def settled(self, interval: Interval | None) -> bool:
        """Whether ``interval`` answers the question."""
        if interval is None:
            return False
        edge = 0.0 if self.margin is None else -self.margin
        return interval.low > edge or interval.high < edge

    def describe(self) -> str:
        """The question in words."""
        if self.margin is None:
            return f"{self.variant} better or worse on {self.check}"
        return f"{self.variant} no worse than -{self.margin:g} on {self.check}"


class Look(BaseModel):
    """One look of a sequential run.

    Attributes:
        tasks: Tasks complete in both arms at this look.
        settled: Whether every stop question was answered.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    tasks: int
    settled: bool


class SequentialSummary(BaseModel):
    """What early stopping did.

    Attributes:
        look_every: Tasks per batch.
        questions: What had to be settled.
        looks: Every look made, in order.
        stopped_early: Whether the run stopped before its last task.
        tasks_run: Tasks the run used (up to its stopping look).
        tasks_planned: Tasks of the run.
        samples_run: Samples of those tasks.
        samples_planned: Samples of every task.
        text: The outcome in words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    look_every: int
    questions: list[StopQuestion]
    looks: list[Look]
    stopped_early: bool
    tasks_run: int
    tasks_planned: int
    samples_run: int
    samples_planned: int
    text: str

    @property
    def saved(self) -> float:
        """Share of the planned samples not run."""
        if not self.samples_planned:
            return 0.0
        return 1.0 - self.samples_run / self.samples_planned


__all__ = [
    "METHOD",
    "MIN_TASKS",
    "Look",
    "SequentialSummary",
    "StopQuestion",
    "batches",
    "confidence_sequence",
    "task_order",
]
