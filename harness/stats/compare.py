"""Every variant against the baseline, on every check, as one family, with a verdict each.

One primary test decides (:mod:`harness.stats.robust`: the studentised difference judged
against Student's t and its bootstrap distribution); every comparison of the run, over
all variants and checks, is one weighted Holm family (:mod:`harness.stats.family`), and a
comparison that cannot vary is left out of it. Each comparison's interval is reported at
the level of its Holm step, and that level is named wherever it is shown.

A comparison is called **better** only when its Holm-adjusted p-value is at most
``alpha`` and its interval (at its Holm level) lies above zero, with at least
:data:`~harness.stats.robust.MIN_TASKS_VERDICT` tasks; **worse** is the mirror image.
Anything else is "no detectable difference", and when the interval covers zero the
verdict says so in those words.

In a run that may stop early (``anytime=True``) a fixed-sample interval is not valid at
the stopping time: each comparison's interval is then its anytime-valid confidence
sequence (:mod:`harness.stats.sequential`) at a Bonferroni share of ``alpha`` (the same
weights), widened to the primary test's interval at that level where that is wider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, ConfigDict

from harness.stats.estimates import Interval
from harness.stats.family import family_weights, level_label, weighted_holm
from harness.stats.paired import (
    DEFAULT_RESAMPLES,
    BootstrapMethod,
    PairedTest,
    paired_test,
)
from harness.stats.power import (
    DEFAULT_POWER,
    VarianceComponents,
    minimum_detectable_effect,
    variance_components,
)
from harness.stats.robust import METHOD, MIN_TASKS_VERDICT, RobustTest
from harness.stats.sequential import confidence_sequence
from harness.stats.table import MissingPolicy, ScoreTable

Verdict = Literal["better", "worse", "no detectable difference", "not enough data"]

COVERS_ZERO = "no detectable difference (interval covers zero)"
#: Said of an interval that reaches -1 or +1, the edge of what a difference of scores can be.
UNBOUNDED = (
    "the interval reaches {edge}, the edge of what a difference can be: the data do not "
    "bound it on that side (when nearly every task's difference is 0, most bootstrap "
    "resamples have no spread); the 95% t interval is {t_interval}"
)
DID_NOT_VARY = (
    "no detectable difference (the check did not vary: left out of the family)"
)


class PairedComparison(BaseModel):
    """A variant against the baseline on one check.

    Attributes:
        variant: The variant compared.
        baseline: The baseline it is compared with.
        check: The check (``overall`` is the primary endpoint).
        tasks: Tasks in the comparison (the pairs), in the order analysed.
        only_variant: Tasks with counted samples in the variant only (left out).
        only_baseline: Tasks with counted samples in the baseline only (left out).
        test: The reported figures on the differences of task means (95% t interval,
            t and sign-flip p-values, sign test, 95% bootstrap interval).
        in_family: Whether it is a member of the run's family (False when every
            difference is zero, or with too few tasks).
        family_size: Members of the run's family (all variants x checks that vary).
        p_value: The primary test's two-sided p-value (:mod:`harness.stats.robust`).
        holm_p_value: That p-value, Holm-adjusted over the family.
        holm_ci: The interval the verdict is judged on, at the level of its Holm step
            (or the confidence sequence of a run that may stop early).
        interval_label: That interval's level and method in words
            (``Holm 98.8% t+bootstrap-t``).
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
    in_family: bool
    family_size: int
    p_value: float | None
    holm_p_value: float | None
    holm_ci: Interval | None
    interval_label: str
    verdict: Verdict
    verdict_text: str
    variance: VarianceComponents
    mde: float | None


def _describe(ci: Interval, label: str) -> str:
    return f"{label} interval {ci.low:+.3f} to {ci.high:+.3f}"


def decide(
    mean: float | None,
    n_tasks: int,
    ci: Interval | None,
    p_adjusted: float | None,
    *,
    alpha: float,
    label: str,
    family_size: int,
    member: bool = True,
    t_ci: Interval | None = None,
) -> tuple[Verdict, str]:
    """The verdict of one comparison (rules in the module docstring).

    Args:
        mean: The mean difference.
        n_tasks: Tasks in both arms.
        ci: The interval judged.
        p_adjusted: The family-adjusted p-value; None when the interval alone decides
            (a confidence sequence, whose level already carries the family's share).
        alpha: Family-wise significance level.
        label: The interval's level and method in words.
        family_size: Members of the family, to name it in the text.
        member: Whether the comparison is in the family (False: it did not vary).
        t_ci: The plain 95% t interval, named when ``ci`` reaches -1 or +1.

    Returns:
        ``(verdict, text)``.
    """
    if ci is None or mean is None or n_tasks < MIN_TASKS_VERDICT:
        return "not enough data", (
            f"not enough data: {n_tasks} task(s) in both arms; a verdict needs "
            f"{MIN_TASKS_VERDICT}"
        )
    shown = f"{mean:+.3f} ({_describe(ci, label)})"
    if not member:
        return "no detectable difference", f"{DID_NOT_VARY}: {shown}"
    family = f" over a family of {family_size}" if family_size > 1 else ""
    if ci.low > 0 or ci.high < 0:
        direction: Verdict = "better" if ci.low > 0 else "worse"
        side = "above" if direction == "better" else "below"
        if p_adjusted is None:
            return direction, (
                f"{direction}: {shown}, the interval lies {side} zero "
                f"(valid at any stopping time{family})"
            )
        if p_adjusted > alpha:
            return "no detectable difference", (
                f"no detectable difference: {shown} excludes zero on its own, but Holm's "
                f"procedure{family} does not confirm it (adjusted p = {p_adjusted:.3g})"
            )
        return direction, (
            f"{direction}: {shown}, the interval lies {side} zero "
            f"(adjusted p = {p_adjusted:.3g}{family})"
        )
    text = f"{COVERS_ZERO}: {shown}"
    return "no detectable difference", text + unbounded_note(ci, t_ci)


def unbounded_note(ci: Interval, t_ci: Interval | None) -> str:
    """``"; the interval reaches +1..."`` for an interval clipped at -1 or +1, else ``""``."""
    edges = [
        edge for edge, hit in (("-1", ci.low <= -1.0), ("+1", ci.high >= 1.0)) if hit
    ]
    if not edges:
        return ""
    shown = f"{t_ci.low:+.3f} to {t_ci.high:+.3f}" if t_ci is not None else "not known"
    return "; " + UNBOUNDED.format(edge=" and ".join(edges), t_interval=shown)


@dataclass
class _Pairs:
    """One comparison's data before the family is known."""

    variant: str
    check: str
    ours: dict[str, list[float]]
    theirs: dict[str, list[float]]
    tasks: list[str]
    differences: list[float]
    test: PairedTest
    robust: RobustTest | None

    def member(self) -> RobustTest | None:
        """The primary test when the comparison can vary (a member of the family)."""
        if any(x != 0 for x in self.differences):
            return self.robust
        return None


def _pairs(
    table: ScoreTable,
    variant: str,
    baseline: str,
    check: str,
    *,
    missing: MissingPolicy,
    order: Sequence[str] | None,
    keep: set[str] | None,
    seed: int,
    n_resamples: int,
    bootstrap_method: BootstrapMethod,
    alpha: float,
    reported: bool,
) -> _Pairs:
    ours = table.epoch_scores(variant, check, missing)
    theirs = table.epoch_scores(baseline, check, missing)
    shared = set(ours) & set(theirs)
    if keep is not None:
        shared &= keep
    tasks = [t for t in order if t in shared] if order is not None else sorted(shared)
    d = [fmean(ours[t]) - fmean(theirs[t]) for t in tasks]
    test = paired_test(
        d,
        level=1.0 - alpha,
        seed=seed,
        n_resamples=n_resamples,
        bootstrap_method=bootstrap_method,
        reported=reported,
    )
    robust = RobustTest.of(d, seed=seed, n_resamples=n_resamples)
    return _Pairs(variant, check, ours, theirs, tasks, d, test, robust)


def compare_all(
    table: ScoreTable,
    variants: Sequence[str],
    baseline: str,
    checks: Sequence[str],
    *,
    alpha: float = 0.05,
    power: float = DEFAULT_POWER,
    missing: MissingPolicy = "zero",
    seed: int = 0,
    n_resamples: int = DEFAULT_RESAMPLES,
    bootstrap_method: BootstrapMethod = "percentile",
    tasks_by_check: dict[str, set[str]] | None = None,
    order: Sequence[str] | None = None,
    anytime: bool = False,
    planned_tasks: int | None = None,
    reported: bool = True,
) -> list[PairedComparison]:
    """Compare every variant with ``baseline`` on every check, as one family.

    Args:
        table: The scores.
        variants: The variants compared (not the baseline).
        baseline: The baseline.
        checks: Checks to compare.
        alpha: Family-wise two-sided level.
        power: Target power of the minimum detectable effect.
        missing: How failed values count.
        seed: Seed of every resampling.
        n_resamples: Resamples of the bootstrap and the Monte-Carlo sign-flip test.
        bootstrap_method: ``scipy.stats.bootstrap`` method of the reported interval.
        tasks_by_check: Per check, the tasks analysed (default: every task in both arms).
        order: The order tasks were run in (a sequential run); default sorted.
        anytime: Judge on confidence sequences (a run that may stop early).
        planned_tasks: Tasks the run plans (where the confidence sequences are tightest).
        reported: Compute the figures only reported (see
            :func:`~harness.stats.paired.paired_test`; and the MDE).

    Returns:
        One comparison per variant and check, variant by variant in ``checks`` order.
    """
    prepared = [
        _pairs(
            table,
            variant,
            baseline,
            check,
            missing=missing,
            order=order,
            keep=(tasks_by_check or {}).get(check),
            seed=seed,
            n_resamples=n_resamples,
            bootstrap_method=bootstrap_method,
            alpha=alpha,
            reported=reported,
        )
        for variant in variants
        for check in checks
    ]
    members = [
        (i, robust)
        for i, item in enumerate(prepared)
        if (robust := item.member()) is not None
    ]
    weights = family_weights([prepared[i].check for i, _ in members])
    raw = [robust.p_value() for _, robust in members]
    adjusted, levels = weighted_holm(raw, weights, alpha)
    total = sum(weights)
    share = {
        i: (robust, raw[k], adjusted[k], levels[k], alpha * weights[k] / total)
        for k, (i, robust) in enumerate(members)
    }
    results = []
    for i, item in enumerate(prepared):
        p_raw = p_adj = None
        ci, label = item.test.ci, f"{100 * (1 - alpha):.3g}% t"
        if i in share:
            robust, p_raw, p_adj, level, spent = share[i]
            ci = robust.interval(level)
            label = f"{level_label(level, len(members))} {METHOD}"
            if anytime:
                sequence = confidence_sequence(
                    item.differences, spent, planned=planned_tasks
                )
                fixed = robust.interval(1.0 - spent)
                ci = sequence.model_copy(
                    update={
                        "low": min(sequence.low, fixed.low),
                        "high": max(sequence.high, fixed.high),
                    }
                )
                label = f"{100 * (1 - spent):.3g}% confidence sequence"
        verdict, text = decide(
            item.test.mean_diff,
            item.test.n_tasks,
            ci,
            None if anytime else p_adj,
            alpha=alpha,
            label=label,
            family_size=len(members),
            member=i in share,
            t_ci=item.test.ci,
        )
        components = variance_components(
            {t: item.ours[t] for t in item.tasks},
            {t: item.theirs[t] for t in item.tasks},
            item.differences,
        )
        results.append(
            PairedComparison(
                variant=item.variant,
                baseline=baseline,
                check=item.check,
                tasks=item.tasks,
                only_variant=sorted(set(item.ours) - set(item.theirs)),
                only_baseline=sorted(set(item.theirs) - set(item.ours)),
                test=item.test,
                in_family=i in share,
                family_size=len(members),
                p_value=p_raw,
                holm_p_value=p_adj,
                holm_ci=ci,
                interval_label=label,
                verdict=verdict,
                verdict_text=text,
                variance=components,
                mde=minimum_detectable_effect(
                    components.planning_sd, item.test.n_tasks, power, alpha
                )
                if reported
                else None,
            )
        )
    return results


__all__ = [
    "COVERS_ZERO",
    "DID_NOT_VARY",
    "UNBOUNDED",
    "PairedComparison",
    "Verdict",
    "compare_all",
    "decide",
]
