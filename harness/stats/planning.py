"""``harness plan``: what this run could detect, and what a run needs to detect a named effect."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from harness.stats.analysis import RunStats, analyze
from harness.stats.power import (
    DEFAULT_ALPHA,
    DEFAULT_POWER,
    MIN_TASKS_EXACT,
    VarianceComponents,
    epochs_needed,
    minimum_detectable_effect,
    tasks_needed,
)
from harness.stats.table import OVERALL, ScoreTable

#: Epoch counts the plan tabulates tasks for.
EPOCH_OPTIONS = (1, 2, 3, 5, 10)


class PlanOption(BaseModel):
    """Tasks needed at one number of epochs per arm.

    Attributes:
        epochs: Epochs per task and arm.
        sd: Predicted sd of the per-task difference at that many epochs.
        tasks: Tasks needed; ``None`` when the sd is 0 or the search gives up.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    epochs: int
    sd: float
    tasks: int | None


class VariantPlan(BaseModel):
    """The plan for one variant against the baseline.

    Attributes:
        variant: The variant.
        n_tasks: Tasks in both arms in this run.
        epochs: Epochs per task in this run (harmonic mean over tasks and arms).
        observed_diff: The mean difference this run measured.
        sd_diff: Observed sd of the per-task difference.
        sd_planning: The sd the power figures use (never below what the between-epoch
            variance alone implies; see ``VarianceComponents.planning_sd``).
        mde: Smallest effect this run detects with the target power.
        tasks_needed: Tasks needed for the named effect at this run's epochs.
        epochs_needed: Epochs needed for the named effect with this run's tasks; ``None``
            when epochs cannot get there (or cannot be separated from tasks).
        options: Tasks needed at other epoch counts (empty with one epoch per task).
        variance: The variance components behind the figures.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    n_tasks: int
    epochs: float
    observed_diff: float | None
    sd_diff: float | None
    sd_planning: float | None
    mde: float | None
    tasks_needed: int | None
    epochs_needed: int | None
    options: list[PlanOption]
    variance: VarianceComponents


class PowerPlan(BaseModel):
    """How many tasks and epochs detect a given effect on one check.

    Attributes:
        check: The check planned for (``overall`` by default).
        baseline: The baseline variant.
        effect: The effect the user wants to detect (score units, e.g. 0.05).
        power: Target power.
        alpha: Two-sided significance level.
        method: The formula, in words.
        variants: One plan per variant compared with the baseline.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    baseline: str
    effect: float = Field(gt=0.0)
    power: float
    alpha: float
    method: str
    variants: list[VariantPlan]

    def lines(self) -> list[str]:
        """The plan in plain sentences, one per line."""
        out = [
            f"Power plan for {self.check}: detect a difference of {self.effect:.3f} with "
            f"{self.power:.0%} power (two-sided alpha {self.alpha:g}), tasks as the unit."
        ]
        for item in self.variants:
            head = (
                f"{item.variant} vs {self.baseline}: "
                f"{item.n_tasks} tasks x {item.epochs:g} epochs"
            )
            if item.sd_diff is None or not item.sd_planning:
                out.append(
                    f"{head}; the per-task differences show no spread, so no plan."
                )
                continue
            sd = f"sd of the per-task difference {item.sd_diff:.3f}"
            if item.sd_planning > item.sd_diff + 5e-4:
                sd += (
                    f" (planning with {item.sd_planning:.3f}: the variance between epochs "
                    "alone implies that much)"
                )
            out.append(f"{head}; {sd}.")
            if item.mde is not None:
                out.append(f"  This run detects differences of {item.mde:.3f} or more.")
            needed = (
                "more than 100,000" if item.tasks_needed is None else item.tasks_needed
            )
            out.append(f"  Tasks needed at {item.epochs:g} epochs: {needed}.")
            if not item.options:
                out.append("  Run 2 or more epochs to tell what more epochs would buy.")
            elif item.epochs_needed is not None:
                out.append(
                    f"  Or keep {item.n_tasks} tasks and run {item.epochs_needed} epochs."
                )
            else:
                out.append(
                    f"  More epochs alone cannot get there with {item.n_tasks} tasks: "
                    "the spread between tasks needs more tasks."
                )
            for option in item.options:
                tasks = "-" if option.tasks is None else str(option.tasks)
                out.append(
                    f"    {option.epochs:>2} epochs: {tasks} tasks (sd {option.sd:.3f})"
                )
        return out


def _choose_check(checks: list[str], check: str | None) -> str:
    if check is None:
        if OVERALL in checks:
            return OVERALL
        if len(checks) == 1:
            return checks[0]
        msg = f"name the check to plan for with --check (checks: {', '.join(checks)})"
        raise ValueError(msg)
    if check not in checks:
        msg = f"check {check} is not in this run (checks: {', '.join(checks)})"
        raise ValueError(msg)
    return check


def plan(
    source: ScoreTable | RunStats,
    effect: float = 0.05,
    *,
    check: str | None = None,
    baseline: str | None = None,
    power: float = DEFAULT_POWER,
    alpha: float = DEFAULT_ALPHA,
) -> PowerPlan:
    """Plan a run that detects ``effect``, from the variance a previous run measured.

    The sd of the per-task difference comes from the run; its split into between-task
    and between-epoch variance (:class:`~harness.stats.power.VarianceComponents`) predicts
    the sd at other epoch counts. Tasks needed come from the noncentral t power of the
    paired t-test (:func:`~harness.stats.power.tasks_needed`), never fewer than 6 (the
    exact sign-flip test the verdict requires cannot reject with fewer).

    Args:
        source: A score table, or statistics already computed (then ``baseline`` must be
            ``None`` or the one they used).
        effect: The smallest difference worth detecting, in score units (> 0).
        check: The check (default ``overall``).
        baseline: The baseline (default as in :func:`~harness.stats.analysis.analyze`).
        power: Target power.
        alpha: Two-sided significance level.

    Returns:
        The plan.

    Raises:
        ValueError: For a non-positive effect, an unknown check or baseline, or a run
            with a single variant.
    """
    if not effect > 0:
        msg = f"the effect must be above 0 (got {effect}); e.g. --effect 0.05"
        raise ValueError(msg)
    if isinstance(source, ScoreTable):
        source = analyze(
            source, baseline=baseline, alpha=alpha, power=power, n_resamples=999
        )
    elif baseline is not None and baseline != source.baseline:
        msg = f"these statistics use baseline {source.baseline}, not {baseline}"
        raise ValueError(msg)
    chosen = _choose_check(source.checks, check)
    if len(source.variants) < 2:
        msg = "a plan needs a run with a baseline and at least one other variant"
        raise ValueError(msg)
    plans = []
    for variant in source.variants[1:]:
        item = source.comparison(variant, chosen)
        v = item.variance
        epochs = round(2.0 / (1.0 / v.epochs_variant + 1.0 / v.epochs_baseline), 2)
        options = []
        if v.separable:
            for k in EPOCH_OPTIONS:
                sd = v.sd_at(k)
                if sd is not None:
                    options.append(
                        PlanOption(
                            epochs=k,
                            sd=sd,
                            tasks=tasks_needed(effect, sd, power, alpha),
                        )
                    )
        plans.append(
            VariantPlan(
                variant=variant,
                n_tasks=item.test.n_tasks,
                epochs=epochs,
                observed_diff=item.test.mean_diff,
                sd_diff=item.test.sd,
                sd_planning=v.planning_sd,
                mde=minimum_detectable_effect(
                    v.planning_sd, item.test.n_tasks, power, alpha
                ),
                tasks_needed=tasks_needed(effect, v.planning_sd, power, alpha),
                epochs_needed=epochs_needed(effect, v, item.test.n_tasks, power, alpha),
                options=options,
                variance=v,
            )
        )
    return PowerPlan(
        check=chosen,
        baseline=source.baseline,
        effect=effect,
        power=power,
        alpha=alpha,
        method=(
            "two-sided paired t-test on per-task mean differences; power from the noncentral "
            f"t distribution; at least {MIN_TASKS_EXACT} tasks (exact sign-flip test)"
        ),
        variants=plans,
    )
