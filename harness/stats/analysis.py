"""Every statistic of a run in one call: :func:`analyze` turns a score table into ``RunStats``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from harness.stats.compare import PairedComparison, compare_all
from harness.stats.costs import VariantCosts, variant_costs
from harness.stats.estimates import (
    MeanEstimate,
    RateEstimate,
    clustered_rate,
    mean_over_tasks,
)
from harness.stats.missing import InfraCheck, common_tasks, infra_checks
from harness.stats.paired import DEFAULT_RESAMPLES, BootstrapMethod
from harness.stats.power import DEFAULT_POWER
from harness.stats.table import MissingPolicy, ScoreTable

#: The variant chosen as baseline when the caller names none and one is called this.
DEFAULT_BASELINE = "none"


class ArmSummary(BaseModel):
    """One variant on one check.

    Attributes:
        variant: The variant.
        check: The check.
        score: Mean over tasks of the task means, sd over tasks, 95% t interval, over
            the tasks every variant has on this check (:mod:`harness.stats.missing`).
        pass_rate: Share of counted samples that passed, Wilson interval (tasks as
            clusters).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    check: str
    score: MeanEstimate
    pass_rate: RateEstimate


class RunStats(BaseModel):
    """The statistics of one run: what reports show and ``harness plan`` starts from.

    Attributes:
        baseline: The variant every other one is compared with.
        variants: All variants, baseline first.
        checks: All checks, ``overall`` first when present.
        tasks: All tasks.
        alpha: Two-sided significance level (intervals are at ``1 - alpha``).
        power: Target power of the minimum detectable effects.
        missing: How failed values were counted (``zero`` or ``exclude``).
        seed: Seed of every resampling.
        arms: One summary per variant and check.
        comparisons: One per non-baseline variant and check, all one family.
        costs: One per variant.
        left_out: Per check, the tasks left out of all its figures (some variant has
            no counted sample of them) and the variants that lack each.
        infra: Per variant, its infrastructure failures against the baseline's.
        anytime: Whether the verdicts rest on confidence sequences (a run that may stop
            early) rather than fixed-sample intervals.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    baseline: str
    variants: list[str]
    checks: list[str]
    tasks: list[str]
    alpha: float = Field(gt=0.0, lt=1.0)
    power: float = Field(gt=0.0, lt=1.0)
    missing: MissingPolicy
    seed: int
    arms: list[ArmSummary]
    comparisons: list[PairedComparison]
    costs: list[VariantCosts]
    left_out: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    infra: list[InfraCheck] = Field(default_factory=list)
    anytime: bool = False

    @property
    def family_size(self) -> int:
        """Comparisons in the run's one family (those that vary)."""
        return sum(1 for item in self.comparisons if item.in_family)

    def comparison(self, variant: str, check: str) -> PairedComparison:
        """The comparison of ``variant`` with the baseline on ``check``.

        Raises:
            KeyError: When there is none.
        """
        for item in self.comparisons:
            if item.variant == variant and item.check == check:
                return item
        raise KeyError((variant, check))

    def arm(self, variant: str, check: str) -> ArmSummary:
        """The summary of ``variant`` on ``check``.

        Raises:
            KeyError: When there is none.
        """
        for item in self.arms:
            if item.variant == variant and item.check == check:
                return item
        raise KeyError((variant, check))


def choose_baseline(table: ScoreTable, baseline: str | None) -> str:
    """The baseline: the one named, else ``none`` if present, else the first variant.

    Raises:
        ValueError: When the named baseline is not in the table, or the table is empty.
    """
    variants = table.variants
    if not variants:
        msg = "the score table has no samples"
        raise ValueError(msg)
    if baseline is None:
        return DEFAULT_BASELINE if DEFAULT_BASELINE in variants else variants[0]
    if baseline not in variants:
        msg = f"baseline {baseline} is not a variant of this run (variants: {', '.join(variants)})"
        raise ValueError(msg)
    return baseline


def analyze(
    table: ScoreTable,
    *,
    baseline: str | None = None,
    alpha: float = 0.05,
    power: float = DEFAULT_POWER,
    missing: MissingPolicy = "zero",
    seed: int = 0,
    n_resamples: int = DEFAULT_RESAMPLES,
    bootstrap_method: BootstrapMethod = "percentile",
    order: list[str] | None = None,
    anytime: bool = False,
    planned_tasks: int | None = None,
) -> RunStats:
    """Compute every figure of a run.

    Args:
        table: The scores (see :mod:`harness.stats.table` for the counting rules).
        baseline: The variant to compare with (default: ``none``, else the first).
        alpha: Two-sided significance level.
        power: Target power for the minimum detectable effect.
        missing: ``zero`` counts a failed value as 0; ``exclude`` leaves it out.
        seed: Seed of the Monte-Carlo permutation test and the bootstrap.
        n_resamples: Resamples for both.
        bootstrap_method: ``scipy.stats.bootstrap`` method of the bootstrap interval.
        order: The order the tasks ran in (a sequential run), else sorted.
        anytime: Judge on confidence sequences (a run that may stop early).
        planned_tasks: Tasks the run plans (for the confidence sequences).

    Returns:
        The statistics.

    Raises:
        ValueError: When the baseline is unknown or the table empty.
    """
    chosen = choose_baseline(table, baseline)
    variants = [chosen, *(v for v in table.variants if v != chosen)]
    checks = table.checks
    level = 1.0 - alpha
    kept: dict[str, set[str]] = {}
    left_out: dict[str, dict[str, list[str]]] = {}
    for check in checks:
        kept[check], missing_tasks = common_tasks(table, variants, check, missing)
        if missing_tasks:
            left_out[check] = missing_tasks

    def only(scores: dict[str, list[float]], check: str) -> dict[str, list[float]]:
        return {t: v for t, v in scores.items() if t in kept[check]}

    arms = [
        ArmSummary(
            variant=variant,
            check=check,
            score=mean_over_tasks(
                only(table.epoch_scores(variant, check, missing), check), level
            ),
            pass_rate=clustered_rate(
                {
                    t: v
                    for t, v in table.epoch_passes(variant, check, missing).items()
                    if t in kept[check]
                },
                level,
            ),
        )
        for variant in variants
        for check in checks
    ]
    comparisons = compare_all(
        table,
        variants[1:],
        chosen,
        checks,
        alpha=alpha,
        power=power,
        missing=missing,
        seed=seed,
        n_resamples=n_resamples,
        bootstrap_method=bootstrap_method,
        tasks_by_check=kept,
        order=order,
        anytime=anytime,
        planned_tasks=planned_tasks,
    )
    return RunStats(
        baseline=chosen,
        variants=variants,
        checks=checks,
        tasks=table.tasks,
        alpha=alpha,
        power=power,
        missing=missing,
        seed=seed,
        arms=arms,
        comparisons=comparisons,
        costs=[variant_costs(table, v, level) for v in variants],
        left_out=left_out,
        infra=infra_checks(table, variants[1:], chosen),
        anytime=anytime,
    )
