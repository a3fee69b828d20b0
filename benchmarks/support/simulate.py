"""Validity by simulation: do the intervals cover a planted effect, and are false wins rare?

The ``sim`` model (:mod:`harness.models.sim`) answers each sample with the task's gold
project with probability ``p_v`` (the variant's; here it may also differ per task), and
otherwise with an empty project with probability ``p_empty`` (a share of the non-gold
draws, as ``--sim-empty`` is) or else one of the task's mutants, uniformly. Scores of the
gold project and of each mutant are deterministic, so they are scored once (an
:class:`OutcomeTable`) and each simulated run only draws which project each sample
returns.

The planted effect is exact. With ``g_t`` the gold score, ``e_t`` the empty score and
``mbar_t`` the mean mutant score of task ``t``, and ``r_t = p_empty e_t + (1 - p_empty)
mbar_t`` the expected score of a non-gold answer::

    E[x_{v,t}] = p_{v,t} g_t + (1 - p_{v,t}) r_t
    effect     = mean_t (E[x_{v,t}] - E[x_{b,t}]) = mean_t (p_{v,t} - p_{b,t}) (g_t - r_t)
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import fmean

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from harness.stats.table import OVERALL, SampleScores, ScoreTable

BASELINE = "none"
VARIANT = "skill"


class TaskOutcomes(BaseModel):
    """The fixed scores of one task's possible answers.

    Attributes:
        gold: Score of the gold project.
        mutants: Score of each mutant (at least one).
        empty: Score of an empty project.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gold: float = Field(ge=0.0, le=1.0)
    mutants: list[float] = Field(min_length=1)
    empty: float = Field(default=0.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _mutants_in_range(self) -> TaskOutcomes:
        if any(not 0.0 <= m <= 1.0 for m in self.mutants):
            msg = "mutant scores must lie in [0, 1]"
            raise ValueError(msg)
        return self

    #: The names of the mutants, in the order of ``mutants`` (``sim_outcomes.py``).
    mutant_names: list[str] = Field(default_factory=list)
    #: The task folder's content hash the scores were taken from (staleness check).
    task_hash: str | None = None
    #: The checks' versions that scored them (``CHECKS_FINGERPRINT``).
    scorer_version: str | None = None

    def expected(self, p_gold: float, p_empty: float = 0.0) -> float:
        """Expected score of one sample (formula in the module docstring)."""
        other = p_empty * self.empty + (1.0 - p_empty) * fmean(self.mutants)
        return p_gold * self.gold + (1.0 - p_gold) * other


class OutcomeTable(RootModel[dict[str, TaskOutcomes]]):
    """Task id to its outcome scores: ``{"task": {"gold": 1.0, "mutants": [0.71, ...]}}``."""

    @model_validator(mode="after")
    def _not_empty(self) -> OutcomeTable:
        if not self.root:
            msg = "the outcome table has no tasks"
            raise ValueError(msg)
        return self


def synthetic_outcomes(
    n_tasks: int = 25, n_mutants: int = 6, seed: int = 0
) -> OutcomeTable:
    """A plausible outcome table for tests: gold near 1, mutants 5 to 50 points lower.

    Each task gets a gold score in [0.92, 1.0] and a difficulty ``h`` in [0.1, 0.4]; its
    mutants lose ``h`` times a uniform factor in [0.5, 1.5] (clipped to [0, 1]).
    """
    rng = np.random.default_rng(seed)
    table: dict[str, TaskOutcomes] = {}
    for index in range(n_tasks):
        gold = float(rng.uniform(0.92, 1.0))
        hardness = float(rng.uniform(0.1, 0.4))
        drops = hardness * rng.uniform(0.5, 1.5, size=n_mutants)
        mutants = [round(float(np.clip(gold - d, 0.0, 1.0)), 4) for d in drops]
        table[f"task-{index:02d}"] = TaskOutcomes(gold=round(gold, 4), mutants=mutants)
    return OutcomeTable(table)


#: The chance of the gold project: one for every task, or one per task id.
Chance = float | Mapping[str, float]


def _chance(p: Chance, task: str) -> float:
    return p if isinstance(p, float | int) else p[task]


def planted_effect(
    outcomes: OutcomeTable, p_variant: Chance, p_baseline: Chance, p_empty: float = 0.0
) -> float:
    """The true expected paired difference over the table's tasks (module docstring)."""
    return fmean(
        t.expected(_chance(p_variant, name), p_empty)
        - t.expected(_chance(p_baseline, name), p_empty)
        for name, t in outcomes.root.items()
    )


def _draws(
    task: TaskOutcomes,
    p_gold: float,
    p_empty: float,
    n: int,
    rng: np.random.Generator,
) -> list[float]:
    """``n`` answers as the sim model draws them: gold, else empty or a mutant."""
    gold = rng.random(n) < p_gold
    empty = rng.random(n) < p_empty
    mutants = np.asarray(task.mutants)[rng.integers(len(task.mutants), size=n)]
    values = np.where(gold, task.gold, np.where(empty, task.empty, mutants))
    return [float(v) for v in values]


def simulate_run(
    outcomes: OutcomeTable,
    p: Mapping[str, Chance],
    *,
    epochs: int,
    rng: np.random.Generator,
    p_empty: float = 0.0,
    resample_tasks: bool = False,
) -> ScoreTable:
    """One simulated run: every task (or a resample of them) x variant x epoch.

    Args:
        outcomes: The fixed scores.
        p: Probability of the gold project per variant (one, or one per task id).
        epochs: Epochs per task and variant.
        rng: The random source.
        p_empty: The share of non-gold answers that are empty (``--sim-empty``).
        resample_tasks: Draw the run's tasks from the table with replacement (the table
            then stands for a population of tasks) instead of using each task once.

    Returns:
        The score table, with the check ``overall`` only.
    """
    names = list(outcomes.root)
    if resample_tasks:
        picks = rng.integers(len(names), size=len(names))
        chosen = [(f"{names[i]}#{n}", names[i]) for n, i in enumerate(picks)]
    else:
        chosen = [(name, name) for name in names]
    samples = [
        SampleScores(task=task_id, variant=variant, epoch=epoch, checks={OVERALL: x})
        for task_id, name in chosen
        for variant, chance in p.items()
        for epoch, x in enumerate(
            _draws(outcomes.root[name], _chance(chance, name), p_empty, epochs, rng)
        )
    ]
    return ScoreTable(samples=samples)
