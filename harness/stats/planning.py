"""``harness plan``: what this run could detect, and what a run needs to detect a named effect."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from harness.stats.analysis import RunStats, analyze
from harness.stats.compare import PairedComparison
from harness.stats.power import (
    DEFAULT_ALPHA,
    DEFAULT_POWER,
    SD_CONFIDENCE,
    VarianceComponents,
    epochs_needed,
    min_tasks_exact,
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
        sd_upper: The same sd from the components' upper bound.
        tasks_upper: Tasks needed at ``sd_upper``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    epochs: int
    sd: float
    tasks: int | None
    sd_upper: float | None = None
    tasks_upper: int | None = None


class CheckPlan(BaseModel):
    """What this run's design detects on one check, at the level its family tests it.

    Attributes:
        check: The check.
        family_size: Comparisons in its multiple-testing family (1: tested alone).
        alpha: The level of the family's first (strictest) step, ``alpha / family_size``:
            what a planned effect must clear in the worst case.
        min_tasks: The fewest tasks at which the exact test can reach that level.
        sd: The planning sd of the check's per-task difference.
        mde: Smallest effect detected at ``alpha`` with the target power.
        mde_upper: The same at the sd's upper confidence bound.
        mde_unadjusted: The same at the nominal level (what the figure would be without
            the correction).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    family_size: int
    alpha: float
    min_tasks: int
    sd: float | None
    mde: float | None
    mde_upper: float | None
    mde_unadjusted: float | None


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
        alpha: The level the planned check is tested at (its family's first step).
        sd_upper: The planning sd at its one-sided upper confidence bound.
        between_upper: The between-task variance at that bound (positive even when
            the estimate is 0).
        mde_upper: The run's MDE at ``sd_upper``.
        tasks_needed_upper: Tasks needed at ``sd_upper``.
        epochs_needed_upper: Epochs needed at the upper bound.
        checks: The MDE of every other check that varies, at its family's level.
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
    alpha: float = DEFAULT_ALPHA
    sd_upper: float | None = None
    between_upper: float | None = None
    mde_upper: float | None = None
    tasks_needed_upper: int | None = None
    epochs_needed_upper: int | None = None
    checks: list[CheckPlan] = []


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
        sd_confidence: Confidence of the one-sided upper bound every ``*_upper``
            figure uses.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    baseline: str
    effect: float = Field(gt=0.0)
    power: float
    alpha: float
    method: str
    variants: list[VariantPlan]
    sd_confidence: float = SD_CONFIDENCE


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


def design_mde(
    item: VariantPlan, n_tasks: int, epochs: int, power: float = DEFAULT_POWER
) -> tuple[float | None, float | None]:
    """The MDE of a planned design (``n_tasks`` x ``epochs``) from a plan's variance.

    Returns:
        ``(at the estimate, at the upper bound)``; the sd at ``epochs`` when the
        components separate, else the run's own planning sd.
    """
    v, upper = item.variance, item.variance.upper()
    sd = v.sd_at(epochs) if v.separable else v.planning_sd
    sd_up = upper.sd_at(epochs) if upper.separable else upper.planning_sd
    return (
        minimum_detectable_effect(sd, n_tasks, power, item.alpha),
        minimum_detectable_effect(sd_up, n_tasks, power, item.alpha),
    )


def first_step_alpha(item: PairedComparison, alpha: float) -> float:
    """The level a comparison is tested at in its family's first (strictest) step.

    Holm's procedure tests the smallest p-value of a family of ``m`` at ``alpha / m``; a
    planned effect must clear that level to be detected whatever the other checks do.
    """
    return alpha / max(1, item.family_size)


def _varies(item: PairedComparison) -> bool:
    """Whether any per-task difference is non-zero (else the check cannot be tested)."""
    return item.test.n_positive + item.test.n_negative > 0


def _check_plans(
    stats: RunStats, variant: str, chosen: str, power: float, alpha: float
) -> list[CheckPlan]:
    out = []
    for check in stats.checks:
        if check in {chosen, OVERALL}:
            continue
        item = stats.comparison(variant, check)
        if not _varies(item):
            continue
        level = first_step_alpha(item, alpha)
        n = item.test.n_tasks
        sd = item.variance.planning_sd
        out.append(
            CheckPlan(
                check=check,
                family_size=item.family_size,
                alpha=level,
                min_tasks=min_tasks_exact(level),
                sd=sd,
                mde=minimum_detectable_effect(sd, n, power, level),
                mde_upper=minimum_detectable_effect(
                    item.variance.upper().planning_sd, n, power, level
                ),
                mde_unadjusted=minimum_detectable_effect(sd, n, power, alpha),
            )
        )
    return out


def _options(
    v: VarianceComponents,
    upper: VarianceComponents,
    effect: float,
    power: float,
    alpha: float,
) -> list[PlanOption]:
    options: list[PlanOption] = []
    if not v.separable:
        return options
    for k in EPOCH_OPTIONS:
        sd = v.sd_at(k)
        if sd is None:
            continue
        sd_up = upper.sd_at(k)
        options.append(
            PlanOption(
                epochs=k,
                sd=sd,
                tasks=tasks_needed(effect, sd, power, alpha),
                sd_upper=sd_up,
                tasks_upper=tasks_needed(effect, sd_up, power, alpha),
            )
        )
    return options


def _variant_plan(
    stats: RunStats,
    variant: str,
    chosen: str,
    effect: float,
    power: float,
    alpha: float,
) -> VariantPlan:
    item = stats.comparison(variant, chosen)
    level = first_step_alpha(item, alpha)
    v = item.variance
    upper = v.upper()
    n = item.test.n_tasks
    return VariantPlan(
        variant=variant,
        n_tasks=n,
        epochs=round(2.0 / (1.0 / v.epochs_variant + 1.0 / v.epochs_baseline), 2),
        observed_diff=item.test.mean_diff,
        sd_diff=item.test.sd,
        sd_planning=v.planning_sd,
        mde=minimum_detectable_effect(v.planning_sd, n, power, level),
        tasks_needed=tasks_needed(effect, v.planning_sd, power, level),
        epochs_needed=epochs_needed(effect, v, n, power, level),
        options=_options(v, upper, effect, power, level),
        variance=v,
        alpha=level,
        sd_upper=upper.planning_sd,
        between_upper=upper.between,
        mde_upper=minimum_detectable_effect(upper.planning_sd, n, power, level),
        tasks_needed_upper=tasks_needed(effect, upper.planning_sd, power, level),
        epochs_needed_upper=epochs_needed(effect, upper, n, power, level),
        checks=_check_plans(stats, variant, chosen, power, alpha),
    )


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
    paired t-test (:func:`~harness.stats.power.tasks_needed`), never fewer than the exact
    sign-flip test can reject with. Every figure is also given at the one-sided
    :data:`~harness.stats.power.SD_CONFIDENCE` upper confidence bound of the variance
    (:meth:`~harness.stats.power.VarianceComponents.upper`), so the plan shows how far
    the estimate of the sd itself may be off; and each check is planned at the level of
    its Holm family's first step (:func:`first_step_alpha`).

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
    return PowerPlan(
        check=chosen,
        baseline=source.baseline,
        effect=effect,
        power=power,
        alpha=alpha,
        method=(
            "two-sided paired t-test on per-task mean differences; power from the noncentral "
            "t distribution; at least as many tasks as the exact sign-flip test needs at "
            "the level tested; upper figures at the variance's one-sided "
            f"{SD_CONFIDENCE:.0%} chi-square upper confidence bound"
        ),
        variants=[
            _variant_plan(source, variant, chosen, effect, power, alpha)
            for variant in source.variants[1:]
        ],
    )
