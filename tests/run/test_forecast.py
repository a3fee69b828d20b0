"""``harness plan --model ...``: the dollars and hours of a run before it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.support.synthetic import SyntheticRun, manifest_of
from harness.models.base import Usage
from harness.models.pricing import load_prices
from harness.prompts import render_skill
from harness.run.config import EvalConfig
from harness.run.costplan import latest_run, plan_cost
from harness.run.layout import RunLayout
from harness.run.records import RunManifest, SampleRecord, TaskEntry
from harness.run.store import RunStore
from harness.run.usage import CHARS_PER_TOKEN, assumed_tokens
from harness.scoring.results import CheckResult, EnvironmentSummary, ProjectScore
from harness.variants import Delivery

ROOT = Path(__file__).resolve().parents[2]
SKILL = "skill=path:skill/python-fastapi-developer"
MODEL = "anthropic:claude-sonnet-4-5"

#: Tokens stored per arm and epoch: (input, output, cache read).
STORED = {
    "none": [(1000, 500, 0), (3000, 1500, 0)],
    "skill": [(4000, 800, 10_000), (4000, 1200, 10_000)],
}
CHECK_SECONDS = (2.0, 0.5)  # every stored sample's two checks


def generation(spec, tokens: tuple[int, int, int], wall: float) -> dict[str, object]:
    usage = Usage(
        input_tokens=tokens[0], output_tokens=tokens[1], cache_read_tokens=tokens[2]
    )
    del spec  # who the sample is: its record's spec, not its generation
    return {
        "prompt_version": "1",
        "system_prompt_sha": "0" * 16,
        "task_prompt_sha": "0" * 16,
        "started_at": "2026-01-01T00:00:00+00:00",
        "wall_s": wall,
        "turns": 1,
        "usage": usage.model_dump(),
        "total_tokens": usage.total_tokens,
        "cost_usd": None,
    }


def stored_run(
    results: Path, run_id: str = "pilot", created: str = "2026-01-01"
) -> Path:
    """A stored real-model run of crud-notes only, 2 epochs, known tokens and times."""
    base = manifest_of(SyntheticRun(run_id=run_id, tasks=1, epochs=2, simulated=False))
    manifest = RunManifest.model_validate(
        base.model_dump()
        | {
            "model": MODEL,
            "created_at": f"{created}T00:00:00+00:00",
            "tasks": [TaskEntry(id="crud-notes", hash="h").model_dump()],
        }
    )
    store = RunStore(RunLayout.of(results, run_id))
    store.write_manifest(manifest)
    score = ProjectScore(
        harness_version="t",
        project="p",
        project_hash="h",
        entrypoint="app.main:app",
        sandbox="none",
        environment=EnvironmentSummary(lock_hash="t", python="3.12", tools={}),
        weights={"acceptance": 1.0},
        overall=1.0,
        checks=[
            CheckResult(name=name, status="pass", score=1.0, duration_s=seconds)
            for name, seconds in zip(("acceptance", "ruff"), CHECK_SECONDS, strict=True)
        ],
    )
    for spec in manifest.specs():
        tokens = STORED[spec.arm][spec.epoch]
        store.write_sample(
            SampleRecord.model_validate(
                {
                    "spec": spec.model_dump(),
                    "generation": generation(spec, tokens, 10.0 + spec.epoch),
                    "score": score.model_dump(),
                }
            )
        )
    return store.layout.root


def config(results: Path, **fields: object) -> EvalConfig:
    return EvalConfig.model_validate(
        {
            "model": MODEL,
            "variants": ["none", SKILL],
            "tasks": ["crud-notes", "csv-export"],
            "epochs": 3,
            "results_dir": results,
            "max_concurrency": 4,
            "score_slots": 2,
        }
        | fields
    )


def test_cost_and_time_from_a_stored_run_equal_the_hand_computation(tmp_path: Path):
    results = tmp_path / "results"
    folder = stored_run(results)
    forecast, used = plan_cost(config(results), load_prices(), folder)
    assert used == folder
    # claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read per million tokens.
    none_per_sample = (2000 * 3 + 1000 * 15) / 1e6  # means of the two stored epochs
    skill_per_sample = (4000 * 3 + 1000 * 15 + 10_000 * 0.3) / 1e6
    arms = {arm.arm: arm for arm in forecast.arms}
    # csv-export is not in the pilot: it gets the arm's mean over the stored tasks
    assert arms["none"].cost_per_sample == pytest.approx(none_per_sample)
    assert arms["none"].cost_usd == pytest.approx(none_per_sample * 2 * 3)
    assert arms["skill"].cost_usd == pytest.approx(skill_per_sample * 2 * 3)
    assert forecast.cost_usd == pytest.approx((none_per_sample + skill_per_sample) * 6)
    assert (
        "measured in run pilot (arm none) for 1 of 2 tasks"
        in arms["none"].tokens_source
    )
    # times: generation 10.5 s per sample, scoring 2.5 s (the checks' durations)
    assert arms["none"].generation_s == pytest.approx(10.5 * 6)
    assert arms["none"].scoring_s == pytest.approx(sum(CHECK_SECONDS) * 6)
    assert forecast.wall_s == pytest.approx(max(10.5 * 12 / 4, 2.5 * 12 / 2))
    # one-shot ceiling: the same prompt and a reply of max_tokens (16,000) every time
    assert arms["none"].ceiling_usd == pytest.approx((2000 * 3 + 16_000 * 15) / 1e6 * 6)
    agent, _ = plan_cost(
        config(results, solver="loop", max_cost_usd=1.5), load_prices(), folder
    )
    # the loop: the tasks' token budgets (200,000) at the dearest price ($15 output),
    # capped by --max-cost per sample
    assert agent.arms[0].ceiling_usd == pytest.approx(min(200_000 * 15 / 1e6, 1.5) * 6)


def test_without_a_stored_run_tokens_are_the_named_assumption(tmp_path: Path):
    forecast, used = plan_cost(
        config(tmp_path / "empty", tasks=["crud-notes"]), load_prices()
    )
    assert used is None
    assert {arm.tokens_source for arm in forecast.arms} == {"assumed"}
    assert any("assumed tokens" in note for note in forecast.notes)
    assert "assumed 5.65 s per sample" in forecast.scoring_source
    # the inline skill adds its rendered section to every prompt, nothing else changes
    from harness.run.prepare import resolve_arms, resolve_tasks

    (task,) = resolve_tasks(["crud-notes"])
    (none, base), (arm, skill) = resolve_arms(config(tmp_path))
    extra = (
        assumed_tokens(task, skill, arm).input - assumed_tokens(task, base, none).input
    )
    assert skill.skill is not None
    section = render_skill(skill.skill, Delivery.inline, files_in_workspace=False)
    assert extra == pytest.approx(len(section) / CHARS_PER_TOKEN, abs=2)
    looping = none.model_copy(update={"solver": "loop"})
    assert (
        assumed_tokens(task, base, looping).input
        > 10 * assumed_tokens(task, base, none).input
    )


def test_sim_costs_nothing_and_an_unpriced_model_says_so(tmp_path: Path):
    sim, _ = plan_cost(
        config(tmp_path, model="sim", tasks=["crud-notes"]), load_prices()
    )
    assert sim.cost_usd == 0.0
    assert not sim.calls_model
    local, _ = plan_cost(
        config(tmp_path, model="openai:qwen2.5-coder:14b", tasks=["crud-notes"]),
        load_prices(),
    )
    assert local.cost_usd is None
    assert any("no price for openai:qwen2.5-coder:14b" in n for n in local.notes)


def test_the_latest_stored_run_with_these_tasks_is_picked(tmp_path: Path):
    results = tmp_path / "results"
    stored_run(results, "old", "2026-01-01")
    newest = stored_run(results, "new", "2026-02-01")
    assert latest_run(results, ["crud-notes"]) == newest
    assert latest_run(results, ["csv-export"]) is None


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=180,
    )


@pytest.mark.slow
def test_plan_command_prints_cost_and_time_of_a_real_model_run(tmp_path: Path):
    results = tmp_path / "results"
    stored_run(results)
    args = ["plan", "--model", MODEL, "--variant", "none", "--variant", SKILL]
    args += ["--tasks", "crud-notes,csv-export", "--epochs", "3", "--out", str(results)]
    args += ["--max-concurrency", "4", "--score-slots", "2", "--from", "pilot"]
    done = harness(*args)
    assert done.returncode == 0, done.stderr
    total = (2000 * 3 + 1000 * 15 + 4000 * 3 + 1000 * 15 + 10_000 * 0.3) / 1e6 * 6
    assert f"Dollars: {total:.2f} in all" in done.stdout
    assert "2 tasks x 2 arms x 3 epochs = 12 samples" in done.stdout
    assert "Scoring time: measured in run pilot" in done.stdout
    as_json = json.loads(harness(*args, "--json").stdout)
    assert as_json["cost_usd"] == pytest.approx(total)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "give a stored run (harness plan RUN --effect 0.05) or the run to forecast",
        ),
        (["--model", MODEL, "--from", "nowhere"], "--from nowhere: no run folder"),
        (["--model", "gpt"], "unknown model 'gpt'"),
    ],
)
def test_plan_command_refuses_bad_input_in_one_line(tmp_path: Path, args, message):
    done = harness("plan", *args, "--out", str(tmp_path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
