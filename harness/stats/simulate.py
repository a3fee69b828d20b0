"""Validity by simulation: do the intervals cover a planted effect, and are false wins rare?

The ``sim`` model answers each sample with the task's gold project with probability
``p_v`` (the variant's), with an empty project with probability ``p_empty``, and otherwise
with one of the task's mutants, uniformly. Scores of the gold project and of each mutant
are deterministic, so they are scored once (an :class:`OutcomeTable`) and each simulated
run only draws which project each sample returns.

The planted effect is exact. With ``g_t`` the gold score, ``e_t`` the empty score and
``mbar_t`` the mean mutant score of task ``t``::

    E[x_{v,t}] = p_v g_t + p_empty e_t + (1 - p_v - p_empty) mbar_t
    effect     = mean_t (E[x_{v,t}] - E[x_{b,t}]) = (p_v - p_b) * mean_t (g_t - mbar_t)

A run covers the effect when its 95% interval contains that number; a false win is a run
with ``p_v = p_b`` (effect 0) whose verdict is ``better``.
"""

from __future__ import annotations

import time
from statistics import fmean

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from harness.stats.analysis import analyze
from harness.stats.paired import DEFAULT_RESAMPLES, BootstrapMethod
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

    def expected(self, p_gold: float, p_empty: float = 0.0) -> float:
        """Expected score of one sample (formula in the module docstring)."""
        rest = 1.0 - p_gold - p_empty
        return p_gold * self.gold + p_empty * self.empty + rest * fmean(self.mutants)


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


def planted_effect(
    outcomes: OutcomeTable, p_variant: float, p_baseline: float, p_empty: float = 0.0
) -> float:
    """The true expected paired difference over the table's tasks (module docstring)."""
    return fmean(
        t.expected(p_variant, p_empty) - t.expected(p_baseline, p_empty)
        for t in outcomes.root.values()
    )


def _draw(
    task: TaskOutcomes, p_gold: float, p_empty: float, rng: np.random.Generator
) -> float:
    u = float(rng.random())
    if u < p_gold:
        return task.gold
    if u < p_gold + p_empty:
        return task.empty
    return task.mutants[int(rng.integers(len(task.mutants)))]


def simulate_run(
    outcomes: OutcomeTable,
    p: dict[str, float],
    *,
    epochs: int,
    rng: np.random.Generator,
    p_empty: float = 0.0,
    resample_tasks: bool = False,
) -> ScoreTable:
    """One simulated run: every task (or a resample of them) x variant x epoch.

    Args:
        outcomes: The fixed scores.
        p: Probability of the gold project per variant.
        epochs: Epochs per task and variant.
        rng: The random source.
        p_empty: Probability of an empty project (every variant).
        resample_tasks: Draw the run's tasks from the table with replacement (the table
            then stands for a population of tasks) instead of using each task once.

    Returns:
        The score table, with the check ``overall`` only.
    """
    names = list(outcomes.root)
    if resample_tasks:
        picks = rng.integers(len(names), size=len(names))
        chosen = [
            (f"{names[i]}#{n}", outcomes.root[names[i]]) for n, i in enumerate(picks)
        ]
    else:
        chosen = list(outcomes.root.items())
    samples = [
        SampleScores(
            task=task_id,
            variant=variant,
            epoch=epoch,
            checks={OVERALL: _draw(task, p_gold, p_empty, rng)},
        )
        for task_id, task in chosen
        for variant, p_gold in p.items()
        for epoch in range(epochs)
    ]
    return ScoreTable(samples=samples)


class ValidityReport(BaseModel):
    """What a validity study measured.

    Attributes:
        runs: Simulated runs.
        tasks: Tasks per run.
        epochs: Epochs per task and variant.
        p_variant: Gold probability of the variant.
        p_baseline: Gold probability of the baseline.
        planted_effect: The true expected paired difference.
        coverage_t: Share of runs whose 95% t interval covers the planted effect.
        coverage_bootstrap: The same for the bootstrap interval.
        better: Share of runs whose verdict is ``better``.
        worse: Share of runs whose verdict is ``worse``.
        mean_width_t: Mean width of the t interval.
        mean_width_bootstrap: Mean width of the bootstrap interval.
        seed: Seed of the study.
        seconds: Wall time of the study.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    runs: int
    tasks: int
    epochs: int
    p_variant: float
    p_baseline: float
    planted_effect: float
    coverage_t: float
    coverage_bootstrap: float
    better: float
    worse: float
    mean_width_t: float
    mean_width_bootstrap: float
    seed: int
    seconds: float


def validity_study(
    outcomes: OutcomeTable,
    p_variant: float,
    p_baseline: float,
    *,
    runs: int = 500,
    epochs: int = 3,
    seed: int = 0,
    p_empty: float = 0.0,
    resample_tasks: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    bootstrap_method: BootstrapMethod = "percentile",
) -> ValidityReport:
    """Simulate ``runs`` runs and measure coverage and verdict rates.

    Each run is drawn with :func:`simulate_run`, analysed with
    :func:`~harness.stats.analysis.analyze` (exactly what a real run goes through) and
    its ``overall`` comparison checked against :func:`planted_effect`.

    Returns:
        The measured shares.
    """
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    truth = planted_effect(outcomes, p_variant, p_baseline, p_empty)
    probabilities = {BASELINE: p_baseline, VARIANT: p_variant}
    covered_t = covered_boot = better = worse = 0
    widths_t: list[float] = []
    widths_boot: list[float] = []
    for run in range(runs):
        table = simulate_run(
            outcomes,
            probabilities,
            epochs=epochs,
            rng=rng,
            p_empty=p_empty,
            resample_tasks=resample_tasks,
        )
        result = analyze(
            table,
            baseline=BASELINE,
            seed=seed + run,
            n_resamples=n_resamples,
            bootstrap_method=bootstrap_method,
        ).comparison(VARIANT, OVERALL)
        ci, boot = result.test.ci, result.test.bootstrap_ci
        if ci is not None:
            covered_t += ci.covers(truth)
            widths_t.append(ci.high - ci.low)
        if boot is not None:
            covered_boot += boot.covers(truth)
            widths_boot.append(boot.high - boot.low)
        better += result.verdict == "better"
        worse += result.verdict == "worse"
    return ValidityReport(
        runs=runs,
        tasks=len(outcomes.root),
        epochs=epochs,
        p_variant=p_variant,
        p_baseline=p_baseline,
        planted_effect=truth,
        coverage_t=covered_t / runs,
        coverage_bootstrap=covered_boot / runs,
        better=better / runs,
        worse=worse / runs,
        mean_width_t=fmean(widths_t) if widths_t else float("nan"),
        mean_width_bootstrap=fmean(widths_boot) if widths_boot else float("nan"),
        seed=seed,
        seconds=time.perf_counter() - started,
    )
