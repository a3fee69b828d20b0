"""What each variant cost: money, tokens, time, and how often the skill was used."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict

from harness.stats.estimates import RateEstimate, clustered_rate
from harness.stats.table import SampleScores, ScoreTable


class Total(BaseModel):
    """Mean and total of one per-sample quantity.

    Attributes:
        n: Samples where the quantity is known.
        unknown: Samples where it is not (an unpriced model, a missing count).
        mean: Mean over the known samples; ``None`` when none is known.
        total: Sum over the known samples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int
    unknown: int
    mean: float | None
    total: float


def _total(values: Sequence[float | None]) -> Total:
    known = [v for v in values if v is not None]
    return Total(
        n=len(known),
        unknown=len(values) - len(known),
        mean=fmean(known) if known else None,
        total=float(sum(known)),
    )


class VariantCosts(BaseModel):
    """Cost, tokens, time and trigger rate of one variant.

    Money, tokens and time count every sample, infrastructure failures included (the
    money was spent); the trigger rate counts the samples that were not infrastructure
    failures and for which the question applies (``triggered`` is not ``None``).

    Attributes:
        variant: The variant.
        samples: All its samples.
        failed: Samples that failed (counted 0 by default).
        infra_failures: Samples excluded as infrastructure failures.
        cost_usd: Dollars per sample and in all.
        tokens: Tokens per sample and in all.
        wall_s: Seconds per sample and in all.
        trigger_rate: Share of samples that used the skill, with a Wilson interval
            (tasks as clusters); ``None`` when no sample says.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    samples: int
    failed: int
    infra_failures: int
    cost_usd: Total
    tokens: Total
    wall_s: Total
    trigger_rate: RateEstimate | None


def _is_failed(sample: SampleScores) -> bool:
    return not sample.infra_failure and (
        sample.failed or any(v is None for v in sample.checks.values())
    )


def variant_costs(table: ScoreTable, variant: str, level: float = 0.95) -> VariantCosts:
    """Summarise the costs and trigger rate of one variant.

    Args:
        table: The scores.
        variant: The variant.
        level: Confidence level of the trigger-rate interval.

    Returns:
        The summary.
    """
    samples = table.of_variant(variant)
    triggers: dict[str, list[bool]] = {}
    for sample in samples:
        if not sample.infra_failure and sample.triggered is not None:
            triggers.setdefault(sample.task, []).append(sample.triggered)
    return VariantCosts(
        variant=variant,
        samples=len(samples),
        failed=sum(1 for s in samples if _is_failed(s)),
        infra_failures=sum(1 for s in samples if s.infra_failure),
        cost_usd=_total([s.cost_usd for s in samples]),
        tokens=_total([None if s.tokens is None else float(s.tokens) for s in samples]),
        wall_s=_total([s.wall_s for s in samples]),
        trigger_rate=clustered_rate(triggers, level) if triggers else None,
    )
