"""--stop-when-decided: where a run stops, what the report says, what the run loop skips."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest

from harness.report.stopping import follow, plan_batches
from harness.report.summary import build_summary
from harness.run import eval as run_eval_module
from harness.run.eval import Batches, run_eval_async
from harness.run.scheduler import PendingSample
from harness.run.store import RunStore

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path


def sequential_run(results: Path, effect: float, run_id: str):
    manifest, records = make_run(
        results,
        run_id=run_id,
        tasks=18,
        epochs=1,
        effects={"none": 0.0, "skill": effect},
        noise=0.02,
        seed=5,
    )
    options = manifest.options | {"stop_when_decided": True, "look_every": 3}
    return manifest.model_copy(update={"options": options}), records


def test_a_clear_effect_stops_early_and_the_report_says_what_it_saved(results: Path):
    manifest, records = sequential_run(results, 0.2, "stop")
    state = follow(manifest, records, n_resamples=RESAMPLES)
    assert state is not None
    assert state.stopped_early
    assert state.tasks_run < 18
    assert state.samples_run == state.tasks_run * 2
    assert f"{state.samples_planned - state.samples_run} of 36 samples not run" in (
        state.text
    )
    # What a stopped run stores: the samples of the tasks up to the stopping look.
    order = [task for batch in plan_batches(manifest) for task in batch]
    used = set(order[: state.tasks_run])
    records = [r for r in records if r.spec.task in used]
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)
    assert summary.sequential is not None
    assert summary.sequential.stopped_early
    assert summary.sequential.tasks_run == state.tasks_run
    # The samples after the stop are not run, not missing: the run is complete.
    assert summary.completeness.complete
    assert len(summary.completeness.not_run) == 36 - state.samples_run
    assert summary.stats is not None
    assert summary.stats.anytime
    item = summary.stats.comparison("skill", "overall")
    assert item.verdict == "better"
    assert "confidence sequence" in item.interval_label
    assert item.test.n_tasks == state.tasks_run
    # The tasks used are the first ones of the seeded order, whole batches of 3.
    assert item.tasks == order[: state.tasks_run]


def test_no_effect_runs_to_the_end_and_judges_on_the_sequence(results: Path):
    manifest, records = sequential_run(results, 0.0, "flat")
    state = follow(manifest, records, n_resamples=RESAMPLES)
    assert state is not None
    assert not state.stopped_early
    assert state.tasks_run == 18
    assert len(state.looks) == 6
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)
    assert summary.completeness.complete
    assert summary.stats is not None
    assert summary.stats.anytime


def test_looks_only_at_complete_batches(results: Path):
    manifest, records = sequential_run(results, 0.2, "holes")
    first = plan_batches(manifest)[0][0]
    kept = [r for r in records if r.spec.task != first]
    state = follow(manifest, kept, n_resamples=RESAMPLES)
    assert state is not None
    assert state.looks == []
    summary = build_summary(manifest, kept, n_resamples=RESAMPLES)
    assert not summary.completeness.complete  # the first batch is missing samples


def test_the_run_loop_stops_scheduling_once_decided(results: Path, monkeypatch):
    manifest, records = sequential_run(results, 0.2, "loop")
    store = RunStore.__new__(RunStore)
    done: list[str] = []

    async def fake_execute(run, work, **_: object) -> list[object]:
        done.extend(item.spec.task for item in work)
        return []

    specs = manifest.specs()
    monkeypatch.setattr(run_eval_module, "execute", fake_execute)
    monkeypatch.setattr(
        run_eval_module,
        "plan",
        lambda _run, **_: [PendingSample(s, "generate", None) for s in specs],
    )
    looks: list[int] = []

    def decided(_: list[object]) -> bool:
        looks.append(len(set(done)))
        return len(looks) == 3  # settled at the third look

    async def aclose() -> None:
        return None

    run = SimpleNamespace(
        store=SimpleNamespace(samples=lambda: []),
        source=SimpleNamespace(aclose=aclose),
    )
    batches = plan_batches(manifest)
    outcome = asyncio.run(
        run_eval_async(run, batches=Batches(batches, decided))  # type: ignore[arg-type]
    )
    assert looks == [0, 3, 6]
    assert sorted(set(done)) == sorted(batches[0] + batches[1])
    assert outcome.skipped == len(specs) - 2 * 3 * 2
    del store, records


@pytest.mark.parametrize("flag", ["--stop-when-decided", "--look-every"])
def test_resume_keeps_the_rule_it_started_with(flag: str, capsys) -> None:
    from harness.cli import main

    argv = ["eval", "--resume", "r", flag] + (["3"] if flag == "--look-every" else [])
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "with its own settings" in capsys.readouterr().err
