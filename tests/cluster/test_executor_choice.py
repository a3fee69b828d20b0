"""Choosing the executor: local stays the default; Ray's absence is one line with the fix."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from harness.cluster import make_executor
from harness.cluster.ray_executor import RAY_MISSING, import_ray
from harness.errors import UsageError
from harness.run.config import EvalConfig, build_config


def test_local_is_the_default_and_needs_no_ray(tmp_path: Path):
    config = build_config({"model": "reference"}, pyproject=tmp_path / "none.toml")
    assert config.executor == "local"
    assert config.score_slots is None  # one per core locally, the cluster's CPUs on Ray

    class Run:
        pass

    run: Any = Run()
    run.config = config
    assert make_executor(run) is None


def test_the_executor_is_a_project_default(tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.harness]\nexecutor = "ray"\nray_address = "head:6379"\n',
        encoding="utf-8",
    )
    config = build_config({"model": "reference"}, pyproject=pyproject)
    assert (config.executor, config.ray_address) == ("ray", "head:6379")
    assert (
        build_config({"model": "m", "executor": "local"}, pyproject).executor == "local"
    )


def test_an_unknown_executor_is_one_line(tmp_path: Path):
    with pytest.raises(UsageError, match="executor") as caught:
        build_config({"model": "reference", "executor": "spark"}, tmp_path / "x.toml")
    assert "\n" not in str(caught.value)


def test_without_ray_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(UsageError) as caught:
        import_ray()
    assert str(caught.value) == RAY_MISSING
    assert "uv sync --extra ray" in RAY_MISSING


def test_the_cli_says_so_in_one_line_before_any_work_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from harness.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(SystemExit) as stopped:
        main(
            ["eval", "--model", "reference", "--tasks", "crud-notes", "--executor", "ray",
             "--out", str(tmp_path), "--no-score", "-q"]
        )  # fmt: skip
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err == f"harness: error: {RAY_MISSING}\n"
    assert list(tmp_path.iterdir()) == []  # no run was started


def test_eval_config_keeps_the_session_options_apart():
    config = EvalConfig(
        model="reference", executor="ray", api_concurrency=3, score_cpus=0.5
    )
    assert config.api_concurrency == 3
    assert config.score_cpus == 0.5


class _StoppedRay:
    """Ray after ``ray.shutdown()``: its state API refuses every call."""

    def is_initialized(self) -> bool:
        return False

    def cluster_resources(self) -> dict[str, float]:
        msg = "Ray has not been started yet"
        raise RuntimeError(msg)


def test_the_progress_line_drawn_after_ray_stopped_keeps_the_last_worker_count():
    # The CLI's progress line draws once more when the run ends, after the executor
    # shut Ray down; asking Ray then raised out of `harness eval --executor ray`.
    from harness.cluster.ray_executor import RayExecutor

    executor = RayExecutor.__new__(RayExecutor)
    executor.ray = _StoppedRay()  # type: ignore[assignment]
    executor._closed = True
    executor._workers = (0.0, 4)
    assert executor.workers() == 4
