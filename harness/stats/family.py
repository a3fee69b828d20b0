"""One family for a whole run: every variant x check comparison, Holm-weighted.

Every comparison of a run (each variant against the baseline, on the overall score and on
each check) is one hypothesis of a single family, and Holm's weighted step-down procedure
(Holm 1979) keeps the chance of *any* false "better" or "worse" in the run at ``alpha``,
however many variants and checks it has. The overall score is the primary endpoint: the
overall comparisons share half of the weight, the checks the other half (all of it goes
to the overall comparisons when no check varies). A comparison that cannot vary (every
difference zero: its p-value is 1 whatever the level) is left out of the family.

With weights ``w`` and the hypotheses still standing ``R``, each step takes the one with
the smallest ``p_i / w_i`` and rejects it when ``p_i <= alpha * w_i / sum_R w``; its
interval is reported at level ``1 - alpha * w_i / sum_R w`` (the level at which its own
step tests it), and its adjusted p-value is
``max over earlier steps of min(1, p_j * sum_{R_j} w / w_j)``. With equal weights this is
the ordinary Holm procedure.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.stats.table import OVERALL

#: Share of the family's weight carried by the overall comparisons.
OVERALL_SHARE = 0.5


def weighted_holm(
    p_values: Sequence[float], weights: Sequence[float], alpha: float = 0.05
) -> tuple[list[float], list[float]]:
    """Weighted Holm: adjusted p-values and each hypothesis's step level, in input order.

    Args:
        p_values: One p-value per hypothesis.
        weights: Positive weights (any scale).
        alpha: Family-wise level.

    Returns:
        ``(adjusted, levels)``: reject where ``adjusted <= alpha``; ``levels[i]`` is the
        confidence level of hypothesis ``i``'s interval.
    """
    m = len(p_values)
    remaining = list(range(m))
    adjusted = [1.0] * m
    levels = [1.0 - alpha] * m
    running = 0.0
    while remaining:
        total = sum(weights[i] for i in remaining)
        index = min(remaining, key=lambda i: (p_values[i] / weights[i], i))
        running = max(running, min(1.0, p_values[index] * total / weights[index]))
        adjusted[index] = running
        levels[index] = 1.0 - alpha * weights[index] / total
        remaining.remove(index)
    return adjusted, levels


def family_weights(checks: Sequence[str]) -> list[float]:
    """The weight of each member of the family, given the check of each member.

    The overall members share :data:`OVERALL_SHARE` (all of it when every member is
    overall, none when none is), the others the rest, equally within each group.
    """
    n_overall = sum(1 for check in checks if check == OVERALL)
    n_other = len(checks) - n_overall
    overall_share = 1.0 if n_other == 0 else (0.0 if n_overall == 0 else OVERALL_SHARE)
    return [
        overall_share / n_overall
        if check == OVERALL
        else (1.0 - overall_share) / n_other
        for check in checks
    ]


def level_label(level: float, family_size: int) -> str:
    """How a report names an interval's level: ``95%`` or ``Holm 98.8%``."""
    text = f"{100 * level:.3g}%"
    return f"Holm {text}" if family_size > 1 else text


__all__ = ["OVERALL_SHARE", "family_weights", "level_label", "weighted_holm"]
