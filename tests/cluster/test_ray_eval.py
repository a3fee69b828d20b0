"""``harness eval --executor ray`` on a real local Ray cluster: the same records as a
local run, a worker killed while scoring, a node in another environment, a dead driver."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.cluster.ray_executor import RayExecutor
from harness.report.render import report_run
from harness.run.eval import run_eval
from harness.run.layout import RunLayout
from harness.run.records import SampleRecord
from harness.run.store import RunStore
from tests.cluster.conftest import on_ray, start, worker_pids
from tests.solvers.skeleton.gen_support import ROOT, make_task

pytestmark = [pytest.mark.slow, pytest.mark.ray]

SKILL = "skill=path:skill/python-fastapi-developer"
#: What differs between two runs of the same samples: clocks, and nothing else.
TIMING_KEYS = frozenset(
    {
        "created_at",
        "generated_at",
        "scored_at",
        "started_at",
        "wall_s",
        "duration_s",
        "peak_memory_mb",
    }
)

#: Manifest options that say where samples ran and were stored, not what they are.
EXECUTION_KEYS = frozenset(
    {"executor", "ray_address", "score_slots", "max_concurrency", "results_dir"}
)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _samples(root: Path) -> dict[str, Any]:
    layout = RunLayout.of(root, "r")
    return {
        path.relative_to(layout.samples_dir).as_posix(): _strip(
            json.loads(path.read_bytes())
        )
        for path in layout.sample_files()
    }


@pytest.mark.parametrize(
    "values",
    [
        {"model": "reference", "tasks": ["TINY"], "epochs": 2},
        {
            "model": "sim",
            "tasks": ["crud-notes"],
            "variants": ["none", SKILL],
            "sim": ["none=0", "skill=1"],
        },
    ],
    ids=["reference", "sim"],
)
def test_a_ray_run_stores_what_a_local_run_stores(
    ray_cluster: Any, tmp_path: Path, values: dict[str, Any]
):
    if values["tasks"] == ["TINY"]:
        values = values | {"tasks": [str(make_task(tmp_path / "t").root)]}
    local = start(tmp_path / "local", **values)
    run_eval(local)
    remote = start(tmp_path / "ray", **values, executor="ray")
    outcome = on_ray(remote)

    assert all(r.score is not None and r.failure is None for r in outcome.records)
    expected, found = _samples(tmp_path / "local"), _samples(tmp_path / "ray")
    assert sorted(found) == sorted(expected)
    for name, record in expected.items():
        assert found[name] == record, name
    if values["model"] == "sim":  # the draw planted one gold and one mutant
        overall = sorted(r.score.overall for r in outcome.records if r.score)
        assert overall[0] < 1.0 == overall[1]
    # The reports read the same records: the same statistics.
    summaries = [
        report_run(RunLayout.of(tmp_path / where, "r"))[0].model_dump(mode="json")
        for where in ("local", "ray")
    ]
    for summary in summaries:  # how the run was started and executed, not what it found
        summary["manifest"].pop("command")
        summary["manifest"]["options"] = {
            k: v
            for k, v in summary["manifest"]["options"].items()
            if k not in EXECUTION_KEYS
        }
    assert _strip(summaries[0]) == _strip(summaries[1])


class _Counting:
    """An observer counting each sample's stored moments."""

    def __init__(self) -> None:
        self.stored: list[tuple[str, str, int]] = []

    def started(self, spec: Any) -> None:
        del spec

    def generated(self, record: SampleRecord) -> None:
        del record

    def scored(self, record: SampleRecord) -> None:
        self.stored.append(record.spec.key)


def test_a_worker_killed_while_it_scores_is_retried_and_each_sample_stored_once(
    ray_cluster: Any, tmp_path: Path
):
    task = make_task(tmp_path / "t")
    run = start(
        tmp_path / "res",
        tasks=[str(task.root)],
        epochs=3,
        executor="ray",
        checks=["ruff", "format", "mypy"],
    )
    killed: list[int] = []
    stop = threading.Event()

    def kill_first_scorer() -> None:
        while not stop.is_set() and not killed:
            for pid in worker_pids():
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
                if title.startswith(b"ray::score_on_node"):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_first_scorer, daemon=True)
    watcher.start()
    counting = _Counting()
    try:
        outcome = on_ray(run, observer=counting)
    finally:
        stop.set()
        watcher.join(timeout=5)

    assert killed, "no worker was seen scoring"
    assert (
        not Path(f"/proc/{killed[0]}").exists()
        or b"ray::score" not in Path(f"/proc/{killed[0]}/cmdline").read_bytes()
    )
    records = RunStore(RunLayout.of(tmp_path / "res", "r")).samples()
    assert len(records) == 3
    assert all(r.score is not None and r.failure is None for r in records)
    assert sorted(counting.stored) == sorted(r.spec.key for r in outcome.records)
    assert len(set(counting.stored)) == 3  # each sample stored once, none twice


def test_a_node_in_another_environment_refuses_and_the_sample_is_an_infra_failure(
    ray_cluster: Any, tmp_path: Path
):
    task = make_task(tmp_path / "t")
    run = start(tmp_path / "res", tasks=[str(task.root)], executor="ray")
    executor = RayExecutor(run)
    executor.wanted = replace(executor.wanted, lock_hash="0123456789abcdef")
    outcome = on_ray(run, executor=executor)

    (record,) = outcome.records
    assert record.infra_failed
    assert record.failure is not None
    reason = record.failure.reason
    assert "\n" not in reason
    assert "refused the work" in reason
    assert "the driver's 0123456789abcdef" in reason
    assert record.score is None


def test_a_dead_driver_is_finished_by_resume(ray_cluster: Any, tmp_path: Path):
    task = make_task(tmp_path / "t")
    out = tmp_path / "res"
    args = [
        "--model", "reference", "--tasks", str(task.root), "--epochs", "3",
        "--checks", "ruff,format,mypy",
        "--max-concurrency", "1", "--score-slots", "1", "--out", str(out),
        "--run-id", "r", "--executor", "ray", "--ray-address", ray_cluster.address, "-q",
    ]  # fmt: skip
    env = {**os.environ, "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0"}
    driver = subprocess.Popen(
        [sys.executable, "-m", "harness", "eval", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    layout = RunLayout.of(out, "r")
    store = RunStore(layout)
    deadline = time.monotonic() + 240
    while not any(r.score is not None for r in store.samples()):
        assert driver.poll() is None, driver.communicate()
        assert time.monotonic() < deadline, "nothing was scored in time"
        time.sleep(0.1)
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait(timeout=30)
    before = {r.spec.key: r.scored_at for r in store.samples() if r.score is not None}
    assert 1 <= len(before) < 3

    resumed = subprocess.run(
        [sys.executable, "-m", "harness", "eval", "--resume", "r", "--out", str(out),
         "--executor", "ray", "--ray-address", ray_cluster.address, "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=400,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    records = store.samples()
    assert len(records) == 3
    assert all(r.score is not None and r.failure is None for r in records)
    for record in records:  # what was scored before the kill was not scored again
        if record.spec.key in before:
            assert record.scored_at == before[record.spec.key]
