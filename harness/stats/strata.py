"""The skill's effect on groups of tasks: per probe (a skill rule) and per kind of task.

A group's effect is estimated inside the random-effects model of
:mod:`harness.stats.hierarchy` with the ``tau^2`` fitted on all tasks (a subgroup analysis
with a common between-task variance)::

    w_t      = 1 / (s_t^2 + tau^2)                      for the group's tasks t
    estimate = sum_t w_t d_t / sum_t w_t
    se       = sqrt(1 / sum_t w_t)
    interval = estimate +/- t_{(1+level)/2, k-1} * se   (k: all tasks of the fit)

so a group of one task is not taken as certain: its interval holds the whole spread of
effects across tasks. ``p`` is the two-sided t p-value of the estimate, Holm-adjusted over
the groups of one family (every probe; every kind). Groups overlap (a task probes several
rules), so the groups' estimates are not independent; Holm stays valid under any
dependence. ``shrunken`` is the mean of the group's tasks' posterior means: what the model
believes about these tasks when it does not assume the group differs from the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict
from scipy import stats

from harness.stats.estimates import Interval
from harness.stats.hierarchy import EffectSpread
from harness.stats.paired import holm

#: Groups with fewer tasks than this are flagged: their estimate rests on too little.
SMALL_GROUP = 3


class GroupEffect(BaseModel):
    """The effect on one group of tasks.

    Attributes:
        group: The group's name (a probe id, a kind).
        tasks: Its tasks present in both arms.
        observed: Plain mean of the tasks' differences.
        estimate: Weighted (random-effects) estimate of the group's mean effect.
        ci: Its interval at the fit's level.
        p_value: Two-sided p-value of "no effect on this group".
        holm_p_value: ``p_value`` Holm-adjusted over the family of groups.
        family_size: Groups in the family.
        shrunken: Mean of the group's tasks' shrunken effects.
        helped: Tasks the variant helps with posterior probability 0.9 or more.
        hurt: Tasks it hurts with posterior probability 0.9 or more.
        small: Fewer than :data:`SMALL_GROUP` tasks: read the figure as a hint.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    group: str
    tasks: list[str]
    observed: float | None
    estimate: float | None
    ci: Interval | None
    p_value: float | None
    holm_p_value: float | None
    family_size: int
    shrunken: float | None
    helped: list[str]
    hurt: list[str]
    small: bool


def _one(
    fit: EffectSpread, name: str, tasks: Sequence[str]
) -> tuple[GroupEffect, float | None]:
    effects = [fit.task(t) for t in tasks]
    if not effects:
        empty = GroupEffect(
            group=name,
            tasks=[],
            observed=None,
            estimate=None,
            ci=None,
            p_value=None,
            holm_p_value=None,
            family_size=0,
            shrunken=None,
            helped=[],
            hurt=[],
            small=True,
        )
        return empty, None
    tau2 = (fit.tau or 0.0) ** 2
    weights = [1.0 / max(e.noise_sd**2 + tau2, 1e-12) for e in effects]
    total = sum(weights)
    estimate = (
        sum(w * e.observed for w, e in zip(weights, effects, strict=True)) / total
    )
    se = math.sqrt(1.0 / total)
    df = max(1, fit.n_tasks - 1)
    ci = p = None
    if fit.n_tasks > 1:
        half = float(stats.t.ppf((1.0 + fit.level) / 2.0, df)) * se
        ci = Interval(
            low=estimate - half,
            high=estimate + half,
            level=fit.level,
            method="random-effects-subgroup",
        )
        p = (
            float(2.0 * stats.t.sf(abs(estimate) / se, df))
            if se > 0
            else (0.0 if estimate != 0 else 1.0)
        )
    group = GroupEffect(
        group=name,
        tasks=sorted(e.task for e in effects),
        observed=fmean(e.observed for e in effects),
        estimate=estimate,
        ci=ci,
        p_value=p,
        holm_p_value=None,
        family_size=0,
        shrunken=fmean(e.shrunken for e in effects),
        helped=sorted(e.task for e in effects if e.prob_benefit >= 0.9),
        hurt=sorted(e.task for e in effects if e.prob_benefit <= 0.1),
        small=len(effects) < SMALL_GROUP,
    )
    return group, p


def group_effects(
    fit: EffectSpread, groups: Mapping[str, Sequence[str]]
) -> list[GroupEffect]:
    """The effect on each group, Holm-adjusted over the groups given.

    Args:
        fit: The random-effects fit on all tasks.
        groups: Group name to its task ids (tasks not in the fit are left out).

    Returns:
        One entry per group, in the order given.
    """
    known = {e.task for e in fit.tasks}
    built = [
        _one(fit, name, [t for t in tasks if t in known])
        for name, tasks in groups.items()
    ]
    tested = [i for i, (_, p) in enumerate(built) if p is not None]
    adjusted = dict(
        zip(tested, holm([p for _, p in built if p is not None]), strict=True)
    )
    return [
        group.model_copy(
            update={"holm_p_value": adjusted.get(i), "family_size": len(tested)}
        )
        for i, (group, _) in enumerate(built)
    ]


__all__ = ["SMALL_GROUP", "GroupEffect", "group_effects"]
