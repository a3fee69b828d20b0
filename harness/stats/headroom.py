"""Headroom: how far each arm is from the tasks' gold, and the normalised gain.

Every task's gold project scores 1.0 (``harness tasks validate`` checks it), so an arm's
distance to gold on a check is ``1 - mean`` over tasks of the task means, and its share
at gold is the share of tasks whose every epoch scored 1.0. The normalised gain that
SkillsBench reports is the share of the baseline's headroom a variant closes::

    g = (mean_variant - mean_baseline) / (1 - mean_baseline)

computed on the mean score and on the pass rate (the share of samples at 1.0) over the
tasks both arms have. Its interval is a paired percentile bootstrap over tasks (each
task's epoch means resampled together; a resample where the baseline sits at gold has
no headroom and is dropped, and counted). ``g`` is undefined when the baseline is at gold
on every task.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import fmean

import numpy as np
from pydantic import BaseModel, ConfigDict

from harness.stats.estimates import Interval

#: Bootstrap resamples of the normalised gain's interval.
GAIN_RESAMPLES = 4000
#: Gold: what every task's reference project scores.
GOLD = 1.0


class ArmHeadroom(BaseModel):
    """One arm's distance to gold.

    Attributes:
        variant: The arm.
        n_tasks: Tasks with a counted sample.
        mean: Mean over tasks of the task means.
        gap: ``GOLD - mean``.
        tasks_at_gold: Tasks whose every counted epoch scored 1.0.
        pass_rate: Share of counted samples at 1.0 (mean over tasks of each task's share).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    n_tasks: int
    mean: float | None
    gap: float | None
    tasks_at_gold: int
    pass_rate: float | None


class NormalisedGain(BaseModel):
    """A variant's normalised gain over the baseline on the tasks both have.

    Attributes:
        variant: The variant.
        baseline: The baseline.
        n_tasks: Tasks in both arms.
        on_score: ``g`` on the mean score (``None`` when the baseline is at gold).
        on_score_ci: Its bootstrap interval.
        on_pass_rate: ``g`` on the pass rate.
        on_pass_rate_ci: Its bootstrap interval.
        dropped_resamples: Resamples without headroom, left out of the intervals.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    baseline: str
    n_tasks: int
    on_score: float | None
    on_score_ci: Interval | None
    on_pass_rate: float | None
    on_pass_rate_ci: Interval | None
    dropped_resamples: int


def arm_headroom(variant: str, by_task: Mapping[str, Sequence[float]]) -> ArmHeadroom:
    """Distance to gold of one arm, from its epoch scores per task."""
    groups = [list(v) for v in by_task.values() if v]
    if not groups:
        return ArmHeadroom(
            variant=variant,
            n_tasks=0,
            mean=None,
            gap=None,
            tasks_at_gold=0,
            pass_rate=None,
        )
    mean = fmean(fmean(v) for v in groups)
    return ArmHeadroom(
        variant=variant,
        n_tasks=len(groups),
        mean=mean,
        gap=GOLD - mean,
        tasks_at_gold=sum(1 for v in groups if min(v) >= GOLD),
        pass_rate=fmean(fmean(1.0 if x >= GOLD else 0.0 for x in v) for v in groups),
    )


def _gain(ours: np.ndarray, theirs: np.ndarray) -> float | None:
    room = GOLD - float(np.mean(theirs))
    if room <= 1e-12:
        return None
    return (float(np.mean(ours)) - float(np.mean(theirs))) / room


def _gain_ci(
    ours: np.ndarray, theirs: np.ndarray, idx: np.ndarray, level: float
) -> tuple[Interval | None, int]:
    a = ours[idx].mean(axis=1)
    b = theirs[idx].mean(axis=1)
    room = GOLD - b
    keep = room > 1e-12
    dropped = int(np.sum(~keep))
    if keep.sum() < 2:
        return None, dropped
    values = (a[keep] - b[keep]) / room[keep]
    low, high = np.quantile(values, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return (
        Interval(low=float(low), high=float(high), level=level, method="bootstrap"),
        dropped,
    )


def normalised_gain(
    variant: str,
    baseline: str,
    ours: Mapping[str, Sequence[float]],
    theirs: Mapping[str, Sequence[float]],
    *,
    level: float = 0.95,
    seed: int = 0,
    n_resamples: int = GAIN_RESAMPLES,
) -> NormalisedGain:
    """The normalised gain of ``variant`` over ``baseline`` (formula in the module docstring).

    Args:
        variant: The variant's label.
        baseline: The baseline's label.
        ours: The variant's epoch scores per task.
        theirs: The baseline's epoch scores per task.
        level: Confidence level of the intervals.
        seed: Seed of the bootstrap.
        n_resamples: Bootstrap resamples.

    Returns:
        The gains with their intervals (``None`` where undefined).
    """
    shared = sorted(t for t in set(ours) & set(theirs) if ours[t] and theirs[t])
    score_v = np.array([fmean(ours[t]) for t in shared])
    score_b = np.array([fmean(theirs[t]) for t in shared])
    pass_v = np.array([fmean(x >= GOLD for x in ours[t]) for t in shared], dtype=float)
    pass_b = np.array(
        [fmean(x >= GOLD for x in theirs[t]) for t in shared], dtype=float
    )
    on_score = on_pass = score_ci = pass_ci = None
    dropped = 0
    if shared:
        on_score = _gain(score_v, score_b)
        on_pass = _gain(pass_v, pass_b)
    if len(shared) > 1:
        idx = np.random.default_rng(seed).integers(
            0, len(shared), (n_resamples, len(shared))
        )
        if on_score is not None:
            score_ci, dropped = _gain_ci(score_v, score_b, idx, level)
        if on_pass is not None:
            pass_ci, more = _gain_ci(pass_v, pass_b, idx, level)
            dropped = max(dropped, more)
    return NormalisedGain(
        variant=variant,
        baseline=baseline,
        n_tasks=len(shared),
        on_score=on_score,
        on_score_ci=score_ci,
        on_pass_rate=on_pass,
        on_pass_rate_ci=pass_ci,
        dropped_resamples=dropped,
    )


__all__ = [
    "GOLD",
    "ArmHeadroom",
    "NormalisedGain",
    "arm_headroom",
    "normalised_gain",
]
