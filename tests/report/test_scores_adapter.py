"""The one adapter from sample records to the statistics' rows: each rule it documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.report.scores import sample_scores, score_table
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
    row = sample_scores(record)
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
        record.model_copy(update={"score": score, "generation": generation})
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
    infra_row = sample_scores(infra)
    assert infra_row is not None
    assert infra_row.infra_failure
    assert infra_row.score(OVERALL) is None
    model_row = sample_scores(model)
    assert model_row is not None
    assert model_row.failed
    assert model_row.score(OVERALL) == 0.0
    assert sample_scores(unscored) is None
    # a sample generated but not scored yet is left out of the table, not counted 0
    assert score_table([unscored]).samples == []
    assert len(score_table([infra]).samples) == 1
