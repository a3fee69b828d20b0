"""The one flattener of sample records, and the statistics' rows made from it: each rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.report.scores import sample_row, sample_scores, score_table
from harness.run.records import Failure
from harness.stats import OVERALL

from .helpers import make_run

if TYPE_CHECKING:
    from pathlib import Path


def test_checks_overall_passes_and_costs(results: Path) -> None:
    _, records = make_run(results, tasks=1, epochs=1)
    record = records[0]
    assert record.score is not None
    assert record.generation is not None
    row = sample_scores(sample_row(record))
    assert row is not None
    assert row.checks[OVERALL] == record.score.overall
    for check in record.score.checks:
        assert row.checks[check.name] == check.score
        assert row.passed[check.name] is (check.status == "pass")
    assert row.cost_usd == record.generation.cost_usd
    assert row.tokens == record.generation.total_tokens
    # A sample's time is all of it: generation plus scoring.
    scoring_s = sum(check.duration_s for check in record.score.checks)
    assert scoring_s > 0
    assert row.wall_s == record.generation.wall_s + scoring_s


def test_skipped_check_does_not_apply_and_trigger_is_read(results: Path) -> None:
    _, records = make_run(results, tasks=1, epochs=1)
    record = records[0]
    assert record.score is not None
    assert record.generation is not None
    skipped = record.score.checks[0].model_copy(
        update={"status": "skipped", "score": 0.0}
    )
    score = record.score.model_copy(
        update={"checks": [skipped, *record.score.checks[1:]]}
    )
    generation = record.generation.model_copy(update={"skill_md_opened": True})
    row = sample_scores(
        sample_row(record.model_copy(update={"score": score, "generation": generation}))
    )
    assert row is not None
    assert skipped.name not in row.checks
    assert row.triggered is True


def test_failures_and_unscored(results: Path) -> None:
    _, records = make_run(results, tasks=1, epochs=1)
    record = records[0]
    infra = record.model_copy(
        update={"failure": Failure(stage="score", kind="infra", reason="sandbox")}
    )
    model = record.model_copy(
        update={
            "score": None,
            "failure": Failure(stage="generate", kind="model", reason="empty reply"),
        }
    )
    unscored = record.model_copy(update={"score": None})
    infra_row = sample_scores(sample_row(infra))
    assert infra_row is not None
    assert infra_row.infra_failure
    assert infra_row.score(OVERALL) is None
    model_row = sample_scores(sample_row(model))
    assert model_row is not None
    assert model_row.failed
    assert model_row.score(OVERALL) == 0.0
    assert sample_scores(sample_row(unscored)) is None
    # a sample generated but not scored yet is left out of the table, not counted 0
    assert score_table([unscored]).samples == []
    assert len(score_table([infra]).samples) == 1


def test_the_summary_rows_and_the_statistics_read_one_flattening(results: Path) -> None:
    """summary.json's rows and the score table agree sample by sample (one reshape)."""
    _, records = make_run(results, tasks=2, epochs=2)
    rows = [sample_row(record) for record in records]
    table = score_table(records)
    assert len(table.samples) == len(rows)
    for row, scores in zip(rows, table.samples, strict=True):
        assert (row.task, row.arm, row.epoch) == (
            scores.task,
            scores.variant,
            scores.epoch,
        )
        assert scores.checks[OVERALL] == row.overall
        assert (scores.wall_s, scores.cost_usd) == (row.wall_s, row.cost_usd)
