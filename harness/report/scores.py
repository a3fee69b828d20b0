"""The one flattener of a run's sample records: each record once into a :class:`SampleRow`.

Every report reads the rows: ``summary.json``'s samples, the HTML tables, and the
statistics' score table (:func:`sample_scores` turns a row into the statistics' input).
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

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.run.records import Failure
from harness.stats import OVERALL, SampleScores, ScoreTable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.run.records import SampleRecord

SampleStatus = Literal["scored", "generated", "model_failure", "infra_failure"]


class SampleRow(BaseModel):
    """One sample, flat: what every table, heat map and the statistics need.

    Attributes:
        task: The task.
        arm: The arm (variant label).
        epoch: The epoch.
        status: How far it got.
        overall: Its overall score, if scored.
        checks: Score per check that ran (not ``skipped``).
        check_status: Status per check (``pass``, ``fail``, ``skipped``...).
        failure: Why it did not complete as intended.
        cost_usd: Dollars (None when unpriced).
        tokens: Tokens in and out.
        wall_s: The whole sample's time: generation plus the scoring checks.
        triggered: Whether SKILL.md was opened (None when not applicable).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    arm: str
    epoch: int
    status: SampleStatus
    overall: float | None = None
    checks: dict[str, float] = Field(default_factory=dict)
    check_status: dict[str, str] = Field(default_factory=dict)
    failure: Failure | None = None
    cost_usd: float | None = None
    tokens: int | None = None
    wall_s: float | None = None
    triggered: bool | None = None

    @property
    def key(self) -> str:
        """``task/arm/epoch``."""
        return f"{self.task}/{self.arm}/{self.epoch}"


def sample_row(record: SampleRecord) -> SampleRow:
    """One record as a flat row (the only place a record is reshaped)."""
    generation = record.generation
    score = record.score
    checks = score.checks if score is not None else []
    return SampleRow(
        task=record.spec.task,
        arm=record.spec.arm,
        epoch=record.spec.epoch,
        status=record.status,
        overall=score.overall if score is not None else None,
        checks={c.name: c.score for c in checks if c.status != "skipped"},
        check_status={c.name: c.status for c in checks},
        failure=record.failure,
        cost_usd=generation.cost_usd if generation is not None else None,
        tokens=generation.total_tokens if generation is not None else None,
        wall_s=generation.wall_s + sum(c.duration_s for c in checks)
        if generation is not None
        else None,
        triggered=generation.skill_md_opened if generation is not None else None,
    )


def sample_scores(row: SampleRow) -> SampleScores | None:
    """A row as the statistics' input; None when it has nothing to count yet."""
    base = {
        "task": row.task,
        "variant": row.arm,
        "epoch": row.epoch,
        "cost_usd": row.cost_usd,
        "tokens": row.tokens,
        "wall_s": row.wall_s,
        "triggered": row.triggered,
    }
    if row.status == "infra_failure":
        return SampleScores.model_validate({**base, "infra_failure": True})
    if row.overall is None:
        if row.failure is None:
            return None
        return SampleScores.model_validate({**base, "failed": True})
    checks: dict[str, float | bool | None] = {OVERALL: row.overall, **row.checks}
    passed = {name: row.check_status[name] == "pass" for name in row.checks}
    return SampleScores.model_validate({**base, "checks": checks, "passed": passed})


def table_of(rows: Iterable[SampleRow]) -> ScoreTable:
    """The statistics' input from flattened rows (those with something to count)."""
    return ScoreTable(
        samples=[scores for row in rows if (scores := sample_scores(row)) is not None]
    )


def score_table(records: Iterable[SampleRecord]) -> ScoreTable:
    """Every countable record of a run as the statistics' input."""
    return table_of(sample_row(record) for record in records)


__all__ = [
    "SampleRow",
    "SampleStatus",
    "sample_row",
    "sample_scores",
    "score_table",
    "table_of",
]
