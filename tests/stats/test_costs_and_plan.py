"""Costs per variant, and the power plan (library and the thin ``harness plan`` command)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.support.simulate import simulate_run, synthetic_outcomes
from harness.cli import main
from harness.stats import SampleScores, ScoreTable, analyze, plan, wilson_interval
from harness.stats.plan_text import plan_lines

from .helpers import paired

ROOT = Path(__file__).resolve().parents[2]


def test_costs_tokens_time_and_trigger_rate_per_variant():
    samples = [
        SampleScores(
            task=f"t{i}",
            variant="skill",
            epoch=0,
            checks={"overall": 0.5},
            cost_usd=0.02,
            tokens=1000 + i,
            wall_s=3.0,
            triggered=i < 6,
        )
        for i in range(8)
    ]
    samples.append(
        SampleScores(
            task="t8",
            variant="skill",
            epoch=0,
            checks={"overall": 0.5},
            triggered=False,
        )
    )
    samples.append(
        SampleScores(
            task="t9", variant="skill", epoch=0, infra_failure=True, triggered=True
        )
    )
    costs = analyze(ScoreTable(samples=samples)).costs[0]
    assert costs.samples == 10
    assert costs.infra_failures == 1
    assert costs.cost_usd.total == pytest.approx(0.16)
    assert costs.cost_usd.mean == pytest.approx(0.02)
    assert costs.cost_usd.unknown == 2
    assert costs.tokens.total == sum(1000 + i for i in range(8))
    assert costs.wall_s.mean == 3.0
    rate = costs.trigger_rate
    assert rate is not None
    assert (rate.successes, rate.n) == (
        6,
        9,
    )  # the infrastructure failure is not counted
    assert rate.ci == wilson_interval(6, 9)


def test_no_trigger_information_gives_no_rate():
    costs = analyze(paired([0.1, 0.2])).costs
    assert all(c.trigger_rate is None for c in costs)
    assert all(c.cost_usd.mean is None and c.cost_usd.total == 0.0 for c in costs)


def sim_table(seed=5, tasks=12, epochs=3):
    outcomes = synthetic_outcomes(tasks, 5, seed=2)
    rng = np.random.default_rng(seed)
    return simulate_run(outcomes, {"none": 0.5, "skill": 0.75}, epochs=epochs, rng=rng)


def test_plan_from_a_table_and_from_its_statistics_agree():
    table = sim_table()
    from_table = plan(table, 0.05)
    from_stats = plan(analyze(table), 0.05)
    assert from_table == from_stats
    item = from_table.variants[0]
    assert item.variant == "skill"
    assert item.n_tasks == 12
    assert item.epochs == 3
    assert item.mde == analyze(table).comparison("skill", "overall").mde
    assert [o.epochs for o in item.options] == [1, 2, 3, 5, 10]
    tasks = [o.tasks for o in item.options]
    assert tasks == sorted(tasks, reverse=True)  # more epochs, fewer tasks
    assert item.options[2].tasks == item.tasks_needed  # 3 epochs is this run
    text = "\n".join(plan_lines(from_table))
    assert "skill vs none: 12 tasks x 3 epochs" in text
    assert "This run detects differences of" in text


def test_a_larger_effect_needs_fewer_tasks():
    table = sim_table()
    small, large = plan(table, 0.03).variants[0], plan(table, 0.1).variants[0]
    assert small.tasks_needed is not None
    assert large.tasks_needed is not None
    assert large.tasks_needed < small.tasks_needed


def test_plan_refuses_what_it_cannot_plan():
    table = sim_table()
    with pytest.raises(ValueError, match="the effect must be above 0"):
        plan(table, 0.0)
    with pytest.raises(ValueError, match="check ruff is not in this run"):
        plan(table, 0.05, check="ruff")
    single = ScoreTable(samples=[s for s in table.samples if s.variant == "none"])
    with pytest.raises(ValueError, match="at least one other variant"):
        plan(single, 0.05)


def harness(*args):
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_plan_command_prints_the_plan_and_json(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text(sim_table().model_dump_json())
    result = harness("plan", str(path), "--effect", "0.05")
    assert result.returncode == 0, result.stderr
    assert "Power plan for overall: detect a difference of 0.050" in result.stdout
    as_json = harness("plan", str(path), "--effect", "0.05", "--json")
    assert json.loads(as_json.stdout)["variants"][0]["variant"] == "skill"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "no run or score table missing.json"),
        (["{dir}"], "is a folder without manifest.json: give a run id"),
        (["{bad}"], "is not a score table"),
        (["{good}", "--effect", "-1"], "above 0 and at most 1"),
        (["{good}", "--effect", "5"], "a difference lies in [-1, 1]"),
        (["{good}", "--check", "nope"], "check nope is not in this run"),
        (["{good}", "--power", "1.5"], "must both lie strictly between 0 and 1"),
    ],
)
def test_plan_command_bad_input_is_one_line_and_status_2(
    tmp_path, capsys, args, message
):
    good = tmp_path / "good.json"
    good.write_text(sim_table().model_dump_json())
    bad = tmp_path / "bad.json"
    bad.write_text('{"samples": [{"task": "a"}]}')
    filled = [a.format(dir=tmp_path, bad=bad, good=good) for a in args]
    with pytest.raises(SystemExit) as status:  # in-process: same main() as the command
        main(["plan", *filled])
    stderr = capsys.readouterr().err
    assert status.value.code == 2
    assert stderr.startswith("harness: error: ")
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
