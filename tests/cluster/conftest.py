"""One local Ray cluster for the session's Ray tests: two nodes of two CPUs each.

Ray is the optional extra (``uv sync --extra ray``); CI installs it and runs these tests
(``pytest -m ray``). The cluster is started with no secret-named variable in its
environment, as ``harness eval --executor ray`` starts a local one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cluster.ray_executor import RayExecutor, import_ray, without_secrets
from harness.errors import UsageError
from harness.run.config import EvalConfig
from harness.run.eval import EvalOutcome, run_eval
from harness.run.prepare import PreparedRun, start_run
from harness.run.scheduler import Observer
from harness.safefs import remove_tree
from tests.fakes.fake_llm import FakeLLM, running_fake_llm

# Before anything imports ray: its workers run this interpreter, not a `uv run` of their own.
os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")

NODES = 2
CPUS_PER_NODE = 2


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    try:
        ray = import_ray()  # before anything else imports ray: it sets Ray's options
    except UsageError:
        pytest.skip("the ray extra is not installed (uv sync --extra ray)")
    from ray.cluster_utils import Cluster

    from harness.environment import EvaluationEnvironment

    EvaluationEnvironment().ensure_built()
    with without_secrets():
        cluster = Cluster(
            initialize_head=True, head_node_args={"num_cpus": CPUS_PER_NODE}
        )
        for _ in range(NODES - 1):
            cluster.add_node(num_cpus=CPUS_PER_NODE)
        ray.init(
            address=cluster.address, logging_level=logging.ERROR, log_to_driver=False
        )
    session = Path(cluster.head_node.get_session_dir_path())
    try:
        cluster.wait_for_nodes()
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()
        remove_tree(session)  # the cluster's logs and sockets


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server


def config(results: Path, **values: Any) -> EvalConfig:
    """An offline run's configuration (``values`` win)."""
    defaults: dict[str, Any] = {
        "model": "reference",
        "results_dir": results,
        "run_id": "r",
        "max_concurrency": 4,
    }
    return EvalConfig.model_validate(defaults | values)


def on_ray(
    run: PreparedRun,
    observer: Observer | None = None,
    executor: RayExecutor | None = None,
) -> EvalOutcome:
    """Run ``run`` on the session's cluster (already joined: the executor leaves it up)."""
    executor = executor or RayExecutor(run)
    assert not executor.started
    return run_eval(run, executor=executor, observer=observer)


def start(results: Path, **values: Any) -> PreparedRun:
    """Start a run."""
    return start_run(config(results, **values))


def worker_pids() -> list[int]:
    """Ray's worker processes on this machine (their title starts with ``ray::``)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"ray::"):
            pids.append(int(entry.name))
    return [pid for pid in pids if pid != os.getpid()]
