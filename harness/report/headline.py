"""The headline of a run: per arm against the baseline, what a reader needs first.

For each compared arm: the effect on the overall score with its interval, the verdict in
one word, the change in pass rate (overall = 1) with its paired test
(:mod:`.passrate`), and the cost. :func:`one_line` is the same in one line, the first
line of ``report.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.stats import OVERALL

if TYPE_CHECKING:
    from harness.report.passrate import PassRateChange
    from harness.report.summary import RunSummary
    from harness.stats import Interval, VariantCosts

#: The verdict in one word (the statistics' verdict names the rule behind it).
VERDICT_WORDS = {
    "better": "better",
    "worse": "worse",
    "no detectable difference": "inconclusive",
    "not enough data": "insufficient",
}


def verdict_word(verdict: str) -> str:
    """``better``, ``worse``, ``inconclusive`` (no detectable difference) or ``insufficient``."""
    return VERDICT_WORDS.get(verdict, verdict)


@dataclass(frozen=True)
class HeadlineArm:
    """One arm's line of the headline card.

    Attributes:
        variant: The arm.
        baseline: The baseline.
        word: The verdict in one word.
        verdict: The statistics' verdict.
        text: The verdict in words, with its figures.
        effect: Mean paired difference of the overall score.
        ci: Its interval.
        mde: The smallest effect this comparison could detect.
        pass_rate: The pass-rate change, if computed.
        cost: The arm's costs.
        base_cost: The baseline's costs.
    """

    variant: str
    baseline: str
    word: str
    verdict: str
    text: str
    effect: float | None
    ci: Interval | None
    mde: float | None
    pass_rate: PassRateChange | None
    cost: VariantCosts | None
    base_cost: VariantCosts | None

    @property
    def cost_change(self) -> float | None:
        """Relative change in dollars per sample (0.25 for +25%), when both are priced."""
        if self.cost is None or self.base_cost is None:
            return None
        ours, theirs = self.cost.cost_usd.mean, self.base_cost.cost_usd.mean
        if ours is None or theirs is None or theirs == 0:
            return None
        return ours / theirs - 1.0


def headline(summary: RunSummary) -> list[HeadlineArm]:
    """One line per arm compared with the baseline on the overall score."""
    stats = summary.stats
    if stats is None:
        return []
    costs = {c.variant: c for c in stats.costs}
    rates = {p.variant: p for p in summary.pass_rates}
    out = []
    for item in stats.comparisons:
        if item.check != OVERALL:
            continue
        out.append(
            HeadlineArm(
                variant=item.variant,
                baseline=item.baseline,
                word=verdict_word(item.verdict),
                verdict=item.verdict,
                text=item.verdict_text,
                effect=item.test.mean_diff,
                ci=item.holm_ci,
                mde=item.mde,
                pass_rate=rates.get(item.variant),
                cost=costs.get(item.variant),
                base_cost=costs.get(item.baseline),
            )
        )
    return out


def one_line(summary: RunSummary) -> str:
    """The run's verdict in one line: what ``report.md`` starts with."""
    sim = " (simulated: measures no skill)" if summary.simulated else ""
    arms = headline(summary)
    if summary.stats is None:
        return f"**Verdict{sim}:** no statistics: no scored sample of the baseline."
    if not arms:
        return f"**Verdict{sim}:** nothing compared: the run has one variant."
    parts = []
    for arm in arms:
        part = f"{arm.variant} vs {arm.baseline}: **{arm.word}**"
        if arm.effect is not None:
            part += f", overall {arm.effect:+.3f}"
        if arm.ci is not None:
            part += f" [{arm.ci.low:+.3f}, {arm.ci.high:+.3f}]"
        rate = arm.pass_rate
        if rate is not None and rate.baseline_rate is not None:
            part += f", pass rate {rate.baseline_rate:.0%} -> {rate.variant_rate or 0.0:.0%}"
        parts.append(part)
    return f"**Verdict{sim}:** " + "; ".join(parts) + "."


__all__ = [
    "VERDICT_WORDS",
    "HeadlineArm",
    "headline",
    "one_line",
    "verdict_word",
]
