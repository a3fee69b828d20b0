"""One variant against the baseline, per check and overall, with Holm's correction and a verdict.

The overall score (check ``overall``) is the primary endpoint and is judged on its own 95%
interval. The other checks form one family per variant: their p-values are Holm-adjusted
and each check's interval is widened to the level of its Holm step.

A comparison is called **better** only when all three hold:

1. the (Holm-level, for a check) t interval lies entirely above zero;
2. the (Holm-adjusted) paired t-test p-value is at most ``alpha``;
3. the (Holm-adjusted) exact sign-flip p-value is at most ``alpha``, so a result that rests
   on a tiny spread over a handful of tasks is not called a win.

**Worse** is the mirror image. Anything else is "no detectable difference", and when the
interval covers zero the verdict says so in those words.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, ConfigDict

from harness.stats.estimates import Interval, t_interval
from harness.stats.paired import (
    DEFAULT_RESAMPLES,
    BootstrapMethod,
    PairedTest,
    holm,
    holm_levels,
    paired_test,
)
from harness.stats.power import (
    DEFAULT_POWER,
    VarianceComponents,
    minimum_detectable_effect,
    variance_components,
)
from harness.stats.table import OVERALL, MissingPolicy, ScoreTable

Verdict = Literal["better", "worse", "no detectable difference", "not enough data"]

COVERS_ZERO = "no detectable difference (interval covers zero)"


class PairedComparison(BaseModel):
    """A variant against the baseline on one check.

    Attributes:
        variant: The variant compared.
        baseline: The baseline it is compared with.
        check: The check (``overall`` is the primary endpoint).
        tasks: Tasks present in both arms (the pairs).
        only_variant: Tasks with counted samples in the variant only (left out).
        only_baseline: Tasks with counted samples in the baseline only (left out).
        test: The paired figures on the differences of task means.
        family_size: Checks in this variant's Holm family (1 for ``overall``).
        holm_p_value: Holm-adjusted paired t p-value (the raw one for ``overall``).
        holm_permutation_p_value: Holm-adjusted sign-flip p-value (raw for ``overall``).
        holm_ci: The t interval at the level of this check's Holm step (the 95% interval
            for ``overall``).
        verdict: ``better``, ``worse``, ``no detectable difference`` or
            ``not enough data``.
        verdict_text: The verdict in words, with the figures behind it.
        variance: Between-task and between-epoch variance of the difference.
        mde: Minimum detectable effect of this comparison at the run's power and alpha,
            from the planning sd (:attr:`VarianceComponents.planning_sd`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    baseline: str
    check: str
    tasks: list[str]
    only_variant: list[str]
    only_baseline: list[str]
    test: PairedTest
    family_size: int
    holm_p_value: float | None
    holm_permutation_p_value: float
    holm_ci: Interval | None
    verdict: Verdict
    verdict_text: str
    variance: VarianceComponents
    mde: float | None


def _describe(ci: Interval) -> str:
    return f"{ci.level:.1%} interval {ci.low:+.3f} to {ci.high:+.3f}"


def decide(
    test: PairedTest,
    ci: Interval | None,
    p_t: float | None,
    p_exact: float,
    *,
    alpha: float,
    family_size: int = 1,
) -> tuple[Verdict, str]:
    """The verdict of one comparison (rules in the module docstring).

    Args:
        test: The paired figures.
        ci: The interval judged (Holm-level for a check of a family).
        p_t: The (adjusted) t p-value.
        p_exact: The (adjusted) sign-flip p-value.
        alpha: Family-wise significance level.
        family_size: Size of the Holm family, to name it in the text.

    Returns:
        ``(verdict, text)``.
    """
    if ci is None or p_t is None or test.mean_diff is None:
        return "not enough data", (
            f"not enough data: {test.n_tasks} task(s) in both arms; an interval needs 2"
        )
    shown = f"{test.mean_diff:+.3f} ({_describe(ci)})"
    holm_note = f", Holm-adjusted over {family_size} checks" if family_size > 1 else ""
    if ci.low > 0 or ci.high < 0:
        direction: Verdict = "better" if ci.low > 0 else "worse"
        side = "above" if direction == "better" else "below"
        if p_t > alpha:
            return "no detectable difference", (
                f"no detectable difference: {shown} excludes zero on its own, but Holm's "
                f"correction over {family_size} checks does not confirm it (p = {p_t:.3g})"
            )
        if p_exact > alpha:
            return "no detectable difference", (
                f"no detectable difference: {shown} excludes zero, but the exact sign-flip "
                f"test over {test.n_tasks} tasks does not confirm it (p = {p_exact:.3g}"
                f"{holm_note})"
            )
        return direction, (
            f"{direction}: {shown}, the interval lies {side} zero "
            f"(t p = {p_t:.3g}, exact p = {p_exact:.3g}{holm_note})"
        )
    return "no detectable difference", f"{COVERS_ZERO}: {shown}"


def _arm_data(
    table: ScoreTable,
    variant: str,
    baseline: str,
    check: str,
    missing: MissingPolicy,
) -> tuple[dict[str, list[float]], dict[str, list[float]], list[str], list[float]]:
    ours = table.epoch_scores(variant, check, missing)
    theirs = table.epoch_scores(baseline, check, missing)
    shared = sorted(set(ours) & set(theirs))
    differences = [fmean(ours[t]) - fmean(theirs[t]) for t in shared]
    return ours, theirs, shared, differences


def compare_variant(
    table: ScoreTable,
    variant: str,
    baseline: str,
    checks: Sequence[str],
    *,
    alpha: float = 0.05,
    power: float = DEFAULT_POWER,
    missing: MissingPolicy = "zero",
    seed: int = 0,
    n_resamples: int = DEFAULT_RESAMPLES,
    bootstrap_method: BootstrapMethod = "percentile",
) -> list[PairedComparison]:
    """Compare ``variant`` with ``baseline`` on every check, Holm across the non-overall ones.

    Args:
        table: The scores.
        variant: The variant.
        baseline: The baseline.
        checks: Checks to compare (``overall`` is judged alone, the rest as a family).
        alpha: Two-sided level (intervals are at ``1 - alpha``).
        power: Target power of the minimum detectable effect.
        missing: How failed values count.
        seed: Seed of the Monte-Carlo permutation test and the bootstrap.
        n_resamples: Resamples for both.
        bootstrap_method: ``scipy.stats.bootstrap`` method.

    Returns:
        One comparison per check, in the order of ``checks``.
    """
    prepared = []
    for check in checks:
        ours, theirs, shared, d = _arm_data(table, variant, baseline, check, missing)
        test = paired_test(
            d,
            level=1.0 - alpha,
            seed=seed,
            n_resamples=n_resamples,
            bootstrap_method=bootstrap_method,
        )
        prepared.append((check, ours, theirs, shared, d, test))
    family = [
        i
        for i, (check, *_, test) in enumerate(prepared)
        if check != OVERALL and test.t_p_value is not None
    ]
    p_t = [p for i in family if (p := prepared[i][-1].t_p_value) is not None]
    adjusted_t = dict(zip(family, holm(p_t), strict=True))
    adjusted_exact = dict(
        zip(
            family,
            holm([prepared[i][-1].permutation_p_value for i in family]),
            strict=True,
        )
    )
    levels = dict(zip(family, holm_levels(p_t, alpha), strict=True))
    results = []
    for i, (check, ours, theirs, shared, d, test) in enumerate(prepared):
        p_adj: float | None
        if i in adjusted_t and test.mean_diff is not None and test.sd is not None:
            size = len(family)
            ci = t_interval(test.mean_diff, test.sd, test.n_tasks, levels[i], "t-holm")
            p_adj, p_exact = adjusted_t[i], adjusted_exact[i]
        else:
            size, ci = 1, test.ci
            p_adj, p_exact = test.t_p_value, test.permutation_p_value
        verdict, text = decide(test, ci, p_adj, p_exact, alpha=alpha, family_size=size)
        components = variance_components(ours, theirs, d)
        results.append(
            PairedComparison(
                variant=variant,
                baseline=baseline,
                check=check,
                tasks=shared,
                only_variant=sorted(set(ours) - set(theirs)),
                only_baseline=sorted(set(theirs) - set(ours)),
                test=test,
                family_size=size,
                holm_p_value=p_adj,
                holm_permutation_p_value=p_exact,
                holm_ci=ci,
                verdict=verdict,
                verdict_text=text,
                variance=components,
                mde=minimum_detectable_effect(
                    components.planning_sd, test.n_tasks, power, alpha
                ),
            )
        )
    return results
