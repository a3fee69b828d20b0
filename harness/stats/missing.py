"""Missing data: one task set for every figure of a check, and infra failures that differ by arm.

- **One task set.** A task some arm has no counted sample of (every one of its samples
  an infrastructure failure, or the check never applied) leaves that check's figures
  altogether: every arm's mean and every paired comparison of the check use the tasks
  that every arm has, so an arm's mean and the paired difference never describe
  different tasks. The tasks left out are listed.
- **Differential infrastructure failures.** Excluding infra failures is harmless only
  when they strike the arms alike. For each variant, Fisher's exact test compares its
  share of infrastructure failures with the baseline's (samples as the units; epochs of
  a task are not independent, so read it as a screen, not a proof); ``p < 0.05`` is
  flagged in the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from scipy import stats

from harness.stats.table import MissingPolicy, ScoreTable

#: Below this Fisher p-value, infrastructure failures are flagged as differing by arm.
FLAG_BELOW = 0.05


def common_tasks(
    table: ScoreTable, variants: Sequence[str], check: str, missing: MissingPolicy
) -> tuple[set[str], dict[str, list[str]]]:
    """Tasks every variant has a counted sample of on ``check``, and who lacks the rest.

    Returns:
        ``(kept, left_out)``: ``left_out`` maps each task some variant lacks (but
        another has) to the variants that lack it.
    """
    present = {v: set(table.epoch_scores(v, check, missing)) for v in variants}
    kept = set.intersection(*present.values()) if present else set()
    union = set.union(*present.values()) if present else set()
    left_out = {
        task: [v for v in variants if task not in present[v]]
        for task in sorted(union - kept)
    }
    return kept, left_out


class InfraCheck(BaseModel):
    """Infrastructure failures of one variant against the baseline's.

    Attributes:
        variant: The variant.
        baseline: The baseline.
        variant_failures: Its infrastructure failures.
        variant_samples: Its samples.
        baseline_failures: The baseline's infrastructure failures.
        baseline_samples: The baseline's samples.
        p_value: Two-sided Fisher's exact test on the 2 x 2 table.
        flagged: ``p_value < 0.05``: the failures differ between the arms.
        text: The finding in words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    baseline: str
    variant_failures: int
    variant_samples: int
    baseline_failures: int
    baseline_samples: int
    p_value: float
    flagged: bool
    text: str


def infra_checks(
    table: ScoreTable, variants: Sequence[str], baseline: str
) -> list[InfraCheck]:
    """Fisher's exact test of each variant's infrastructure failures against the baseline's."""

    def counts(variant: str) -> tuple[int, int]:
        samples = table.of_variant(variant)
        return sum(1 for s in samples if s.infra_failure), len(samples)

    base_failed, base_n = counts(baseline)
    out = []
    for variant in variants:
        failed, n = counts(variant)
        if failed + base_failed == 0:
            p = 1.0
        else:
            result = stats.fisher_exact(
                [[failed, n - failed], [base_failed, base_n - base_failed]]
            )
            p = float(result.pvalue)
        flagged = p < FLAG_BELOW
        shares = f"{variant} {failed}/{n}, {baseline} {base_failed}/{base_n}"
        text = (
            f"infrastructure failures differ between the arms ({shares}; Fisher p = "
            f"{p:.3g}): the excluded samples may not be missing at random; redo them "
            "with --resume RUN --retry-errors before trusting the comparison"
            if flagged
            else f"infrastructure failures: {shares} (Fisher p = {p:.3g})"
        )
        out.append(
            InfraCheck(
                variant=variant,
                baseline=baseline,
                variant_failures=failed,
                variant_samples=n,
                baseline_failures=base_failed,
                baseline_samples=base_n,
                p_value=p,
                flagged=flagged,
                text=text,
            )
        )
    return out


__all__ = ["FLAG_BELOW", "InfraCheck", "common_tasks", "infra_checks"]
