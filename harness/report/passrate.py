"""The change in pass rate (overall score = 1) of each variant against the baseline.

Computed the way the statistics treat scores: tasks are the unit, each task's pass share
over its epochs is paired with the baseline's, and the per-task differences get the same
paired figures as a check (:func:`harness.stats.paired.paired_test`: t interval, t and
sign-flip p-values (exact up to 40 tasks), bootstrap). Stored in ``summary.json`` (``pass_rates``).
"""

from __future__ import annotations

from statistics import fmean
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from harness.stats import OVERALL
from harness.stats.paired import DEFAULT_RESAMPLES, PairedTest, paired_test

if TYPE_CHECKING:
    from harness.stats import RunStats, ScoreTable


class PassRateChange(BaseModel):
    """The change in pass rate (overall score = 1) of a variant against the baseline.

    Attributes:
        variant: The variant.
        baseline: The baseline.
        baseline_rate: Mean over the paired tasks of the baseline's pass share.
        variant_rate: The same for the variant.
        test: The paired figures on the per-task differences of pass shares (mean
            difference, t interval, t and sign-flip p-values (exact up to 40 tasks), bootstrap).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    baseline: str
    baseline_rate: float | None
    variant_rate: float | None
    test: PairedTest


def _shares(passes: dict[str, list[bool]], tasks: list[str]) -> list[float]:
    return [fmean(1.0 if p else 0.0 for p in passes[t]) for t in tasks]


def pass_rate_changes(
    table: ScoreTable, stats: RunStats | None, n_resamples: int = DEFAULT_RESAMPLES
) -> list[PassRateChange]:
    """Each variant's pass-rate change against the baseline, paired over tasks."""
    if stats is None or OVERALL not in stats.checks:
        return []
    theirs = table.epoch_passes(stats.baseline, OVERALL, stats.missing)
    out = []
    for variant in stats.variants[1:]:
        ours = table.epoch_passes(variant, OVERALL, stats.missing)
        shared = sorted(set(ours) & set(theirs))
        base, mine = _shares(theirs, shared), _shares(ours, shared)
        test = paired_test(
            [m - b for m, b in zip(mine, base, strict=True)],
            level=1.0 - stats.alpha,
            seed=stats.seed,
            n_resamples=n_resamples,
        )
        out.append(
            PassRateChange(
                variant=variant,
                baseline=stats.baseline,
                baseline_rate=fmean(base) if base else None,
                variant_rate=fmean(mine) if mine else None,
                test=test,
            )
        )
    return out


__all__ = ["PassRateChange", "pass_rate_changes"]
