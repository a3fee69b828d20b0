"""The score table: counting rules for failures, infrastructure failures and skipped checks."""

import pytest
from pydantic import ValidationError

from harness.stats import SampleScores, ScoreRow, ScoreTable


def rows_for(task, variant, epoch, scores, **sample):
    return [
        {
            "task": task,
            "variant": variant,
            "epoch": epoch,
            "check": c,
            "value": v,
            **sample,
        }
        for c, v in scores.items()
    ]


def test_from_rows_groups_long_rows_into_samples():
    rows = [
        *rows_for("a", "none", 0, {"overall": 0.5, "ruff": 0.9}, cost_usd=0.01),
        *rows_for("a", "skill", 0, {"overall": 0.7, "ruff": True}, triggered=True),
        ScoreRow(task="b", variant="skill", epoch=0, failed=True, tokens=120),
    ]
    table = ScoreTable.from_rows(rows)
    assert [(s.task, s.variant) for s in table.samples] == [
        ("a", "none"),
        ("a", "skill"),
        ("b", "skill"),
    ]
    assert table.samples[0].cost_usd == 0.01
    assert table.samples[1].triggered is True
    assert table.samples[2].failed
    assert table.samples[2].tokens == 120
    assert table.checks == ["overall", "ruff"]
    assert table.variants == ["none", "skill"]


def test_rows_of_one_sample_that_disagree_are_refused():
    rows = [
        *rows_for("a", "none", 0, {"overall": 0.5}, cost_usd=0.01),
        *rows_for("a", "none", 0, {"ruff": 0.5}, cost_usd=0.02),
    ]
    with pytest.raises(ValueError, match="rows disagree on cost_usd"):
        ScoreTable.from_rows(rows)
    with pytest.raises(ValueError, match="check overall given twice"):
        ScoreTable.from_rows(rows_for("a", "none", 0, {"overall": 0.5}) * 2)


def test_duplicate_samples_and_out_of_range_scores_are_refused():
    sample = SampleScores(task="a", variant="none", epoch=0, checks={"overall": 0.5})
    with pytest.raises(ValidationError, match="appears twice"):
        ScoreTable(samples=[sample, sample])
    with pytest.raises(ValidationError, match=r"not in \[0, 1\]"):
        SampleScores(task="a", variant="none", epoch=0, checks={"overall": 1.5})
    with pytest.raises(ValidationError, match=r"not in \[0, 1\]"):
        SampleScores(
            task="a", variant="none", epoch=0, checks={"overall": float("nan")}
        )


def test_failed_values_count_zero_unless_excluded():
    samples = [
        SampleScores(task="a", variant="v", epoch=0, checks={"overall": 0.8}),
        SampleScores(task="a", variant="v", epoch=1, checks={"overall": None}),
        SampleScores(task="a", variant="v", epoch=2, failed=True),
    ]
    table = ScoreTable(samples=samples)
    assert table.task_means("v", "overall") == {"a": pytest.approx(0.8 / 3)}
    assert table.task_means("v", "overall", missing="exclude") == {"a": 0.8}


def test_infrastructure_failures_are_left_out_of_scores():
    samples = [
        SampleScores(task="a", variant="v", epoch=0, checks={"overall": 0.8}),
        SampleScores(
            task="a", variant="v", epoch=1, checks={"overall": 0.0}, infra_failure=True
        ),
        SampleScores(task="b", variant="v", epoch=0, infra_failure=True),
    ]
    table = ScoreTable(samples=samples)
    assert table.task_means("v", "overall") == {"a": 0.8}


def test_a_check_absent_from_a_sample_does_not_apply_and_is_not_a_zero():
    samples = [
        SampleScores(
            task="a", variant="v", epoch=0, checks={"overall": 0.8, "conformance": 0.5}
        ),
        SampleScores(task="a", variant="v", epoch=1, checks={"overall": 0.6}),
    ]
    table = ScoreTable(samples=samples)
    assert table.task_means("v", "conformance") == {"a": 0.5}


def test_pass_status_from_booleans_scores_and_explicit_status():
    sample = SampleScores(
        task="a",
        variant="v",
        epoch=0,
        checks={
            "acceptance": 1.0,
            "ruff": 0.97,
            "mypy": True,
            "format": False,
            "own": 0.9,
        },
        passed={"own": True, "acceptance": False},
    )
    assert sample.passes("ruff") is False
    assert sample.passes("mypy") is True
    assert sample.passes("format") is False
    assert sample.passes("own") is True  # the caller's status wins over the score
    assert sample.passes("acceptance") is False
    assert sample.score("mypy") == 1.0
    assert (
        SampleScores(task="a", variant="v", epoch=0, failed=True).passes("ruff")
        is False
    )


def test_json_accepts_the_table_or_a_list_of_rows():
    table = ScoreTable(
        samples=[SampleScores(task="a", variant="v", epoch=0, checks={"overall": 0.5})]
    )
    assert ScoreTable.from_json(table.model_dump_json()) == table
    rows = (
        '[{"task": "a", "variant": "v", "epoch": 0, "check": "overall", "value": 0.5}]'
    )
    assert ScoreTable.from_json(rows) == table
    with pytest.raises(ValueError, match="Expecting value"):
        ScoreTable.from_json("not json")


def test_a_sample_without_scores_must_say_why():
    with pytest.raises(ValidationError, match="mark it failed"):
        SampleScores(task="a", variant="v", epoch=0)
    with pytest.raises(ValueError, match="mark it failed"):
        ScoreTable.from_rows(
            [{"task": "a", "variant": "v", "epoch": 0, "cost_usd": 0.1}]
        )
    assert SampleScores(task="a", variant="v", epoch=0, failed=True).score("x") == 0.0
    assert (
        SampleScores(task="a", variant="v", epoch=0, infra_failure=True).score("x")
        is None
    )
