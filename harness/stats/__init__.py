"""Paired statistics of a run: tasks are the unit, nothing is called a win inside its interval.

Input is plain data, a :class:`ScoreTable` (one row per sample and its check scores); the
package knows nothing of run folders. The public API:

- :func:`analyze` -> :class:`RunStats`: per variant and check the mean over tasks with its t
  interval and the pass rate with its Wilson interval; each variant against the baseline
  (:class:`PairedComparison`): mean paired difference, the verdict's interval (t and
  bootstrap-t together, at its level in one Holm family over every variant and check; a
  confidence sequence in a run that may stop early), the sign-flip p-value (exact up to 40
  tasks), a verdict in words and the minimum detectable effect; cost, tokens, time and
  trigger rate per variant (:class:`VariantCosts`).
- :func:`plan` -> :class:`PowerPlan`: tasks and epochs needed to detect a named effect.

The validity study (coverage and false wins by simulation) lives outside the package, in
``benchmarks/support/`` and ``benchmarks/stats_validity.py``.
"""

from harness.stats.analysis import ArmSummary, RunStats, analyze
from harness.stats.compare import PairedComparison, Verdict
from harness.stats.costs import VariantCosts
from harness.stats.estimates import (
    Interval,
    MeanEstimate,
    RateEstimate,
    wilson_interval,
)
from harness.stats.paired import PairedTest, holm
from harness.stats.planning import PowerPlan, plan
from harness.stats.power import minimum_detectable_effect, paired_power, tasks_needed
from harness.stats.table import (
    OVERALL,
    MissingPolicy,
    SampleScores,
    ScoreRow,
    ScoreTable,
)

__all__ = [
    "OVERALL",
    "ArmSummary",
    "Interval",
    "MeanEstimate",
    "MissingPolicy",
    "PairedComparison",
    "PairedTest",
    "PowerPlan",
    "RateEstimate",
    "RunStats",
    "SampleScores",
    "ScoreRow",
    "ScoreTable",
    "VariantCosts",
    "Verdict",
    "analyze",
    "holm",
    "minimum_detectable_effect",
    "paired_power",
    "plan",
    "tasks_needed",
    "wilson_interval",
]
