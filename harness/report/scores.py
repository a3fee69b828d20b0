"""The one adapter from a run's sample records to the statistics' score table.

Rules (the statistics' own rules are in :mod:`harness.stats.table`):

- every scored check counts with its score; a ``skipped`` check does not apply to that
  sample (left out, never counted 0); ``passed`` is the check's ``pass`` status;
- the overall score is the check ``overall``;
- a sample the model failed and that has no score (an empty reply nothing could score)
  is ``failed``: every check counts 0 for it;
- an infrastructure failure is flagged (``infra_failure``): excluded from scores and
  counted apart;
- a sample generated but not scored yet (``--no-score``) is left out of the table;
- cost and tokens come from the generation record; time is the whole sample's:
  generation plus the scoring checks' durations; the trigger is ``skill_md_opened``
  (``None`` when the workspace held no skill to open).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.stats import OVERALL, SampleScores, ScoreTable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.run.records import SampleRecord


def sample_scores(record: SampleRecord) -> SampleScores | None:
    """One record as a row of the score table; None when it has nothing to count yet."""
    generation = record.generation
    costs: dict[str, object] = {}
    if generation is not None:
        scoring_s = (
            sum(check.duration_s for check in record.score.checks)
            if record.score is not None
            else 0.0
        )
        costs = {
            "cost_usd": generation.cost_usd,
            "tokens": generation.total_tokens,
            "wall_s": generation.wall_s + scoring_s,
            "triggered": generation.skill_md_opened,
        }
    base = {
        "task": record.spec.task,
        "variant": record.spec.arm,
        "epoch": record.spec.epoch,
        **costs,
    }
    if record.infra_failed:
        return SampleScores.model_validate({**base, "infra_failure": True})
    score = record.score
    if score is None:
        if record.failure is None:
            return None
        return SampleScores.model_validate({**base, "failed": True})
    checks: dict[str, float | bool | None] = {OVERALL: score.overall}
    passed: dict[str, bool] = {}
    for check in score.checks:
        if check.status == "skipped":
            continue
        checks[check.name] = check.score
        passed[check.name] = check.status == "pass"
    return SampleScores.model_validate({**base, "checks": checks, "passed": passed})


def score_table(records: Iterable[SampleRecord]) -> ScoreTable:
    """Every countable record of a run as the statistics' input."""
    rows = [row for record in records if (row := sample_scores(record)) is not None]
    return ScoreTable(samples=rows)


__all__ = ["sample_scores", "score_table"]
