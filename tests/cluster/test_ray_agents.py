"""Coding agents and the builtin loop's commands on Ray workers; model calls and the key
stay on the driver, and the provider's concurrency limit holds across the cluster."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.cluster.node import node_cache
from harness.cluster.ray_executor import RayExecutor
from harness.solvers.coding_agents.clis import CLIS, AgentUnavailableError, install_cli
from harness.tasks.loader import get_task
from harness.transcript import read_transcript
from tests.cluster.conftest import on_ray, start, worker_pids
from tests.fakes.fake_llm import FakeLLM, FakeReply, RecordedRequest
from tests.solvers.skeleton.gen_support import make_task

pytestmark = [pytest.mark.slow, pytest.mark.ray]

TASK = "crud-notes"


@pytest.fixture(scope="module")
def claude() -> None:
    cli = CLIS["claude-code"]
    if cli.installed():
        return
    try:
        install_cli(cli)
    except AgentUnavailableError as error:  # loud: only npm being unreachable skips
        sys.stderr.write(f"\nSKIPPING Claude Code on Ray: {error}\n")
        pytest.skip(f"Claude Code cannot be installed here ({error})")


def _gold() -> dict[str, str]:
    root = get_task(TASK).reference_dir
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _policy(delay_s: float = 0.0) -> Any:
    """Claude Code writes every gold file, then says it is done."""

    def answer(request: RecordedRequest) -> FakeReply:
        if '"name": "Write"' not in json.dumps(request.body.get("messages")):
            calls = [
                ("Write", {"file_path": f"/work/{rel}", "content": text})
                for rel, text in _gold().items()
            ]
            return FakeReply(tool_calls=list(calls), delay_s=delay_s)
        return FakeReply(text="Done.", delay_s=delay_s)

    return answer


def _agent_run(tmp_path: Path, fake: FakeLLM, **values: Any) -> Any:
    return start(
        tmp_path / "res",
        model="anthropic:claude-sonnet-4-5",
        solver="claude-code",
        base_url=fake.anthropic_base_url,
        tasks=[TASK],
        score=False,
        executor="ray",
        **values,
    )


def _holding(root: Path, value: bytes) -> list[str]:
    found = []
    for current, _dirs, files in os.walk(root):
        for name in files:
            path = Path(current) / name
            try:
                if value in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def test_an_agent_on_a_worker_reaches_the_model_with_the_run_token_and_no_key(
    ray_cluster: Any, claude: None, fake: FakeLLM, tmp_path: Path, monkeypatch: Any
):
    key = f"sk-ant-api03-{secrets.token_hex(20)}"
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    fake.responder = _policy()
    run = _agent_run(tmp_path, fake)
    executor = RayExecutor(run)
    outcome = on_ray(run, executor=executor)

    (record,) = outcome.records
    assert record.failure is None, record.failure
    assert record.generation is not None
    assert set(_gold()) <= set(record.generation.files)
    workspace = run.store.layout.workspace(record.spec)
    for rel, text in _gold().items():  # the worker's workspace came back to the driver
        assert (workspace / rel).read_text(encoding="utf-8") == text
    transcript = run.store.layout.transcript(record.spec)
    assert transcript.with_suffix(".gateway.jsonl").is_file()
    assert any(e.type == "agent" for e in read_transcript(transcript))

    # The fake (the provider) got the real key, added on the driver, never the token.
    endpoint = executor.endpoint
    assert endpoint is not None
    token = endpoint.token
    assert endpoint.forwarded == len(fake.requests) >= 2
    assert all(r.headers["x-api-key"] == key for r in fake.requests)
    assert all(token not in json.dumps(r.headers) for r in fake.requests)
    # No key value on any worker: not in a worker's environment or arguments, not in
    # any file of the cluster's session (logs, spilled objects) or of this node's cache.
    pids = worker_pids()
    assert pids
    for pid in pids:
        for part in ("environ", "cmdline"):
            try:
                data = Path(f"/proc/{pid}/{part}").read_bytes()
            except OSError:  # the worker ended meanwhile
                continue
            assert key.encode() not in data, (pid, part)
    session = Path(ray_cluster.head_node.get_session_dir_path())
    assert _holding(session, key.encode()) == []
    assert _holding(node_cache(), key.encode()) == []
    # Nor the key or the token in the run's files on the driver.
    assert _holding(run.store.layout.root, key.encode()) == []
    assert _holding(run.store.layout.root, token.encode()) == []


def test_the_providers_concurrency_limit_holds_across_the_cluster(
    ray_cluster: Any, claude: None, fake: FakeLLM, tmp_path: Path, monkeypatch: Any
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    fake.concurrency_limit = 2  # a 429 for any request beyond 2 in flight
    fake.responder = _policy(delay_s=1.0)
    # Four agents at once on four worker CPUs (two nodes), two model calls at a time.
    run = _agent_run(tmp_path, fake, epochs=4, max_concurrency=4, api_concurrency=2)
    executor = RayExecutor(run)
    outcome = on_ray(run, executor=executor)

    assert len(outcome.records) == 4
    assert all(r.failure is None for r in outcome.records), [
        r.failure for r in outcome.records
    ]
    assert fake.over_limit == 0
    assert fake.peak_in_flight == 2  # reached, never passed
    assert executor.endpoint is not None
    assert executor.endpoint.limiter.peak_in_flight == 2


def test_the_loop_runs_its_commands_on_workers_and_gets_their_changes_back(
    ray_cluster: Any, fake: FakeLLM, tmp_path: Path, monkeypatch: Any
):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    fake.script(
        FakeReply(
            tool_calls=[("write_file", {"path": "src/m.py", "content": "x=1\n"})]
        ),
        FakeReply(
            tool_calls=[
                ("run", {"command": "ruff format src/m.py"}),
                ("run", {"command": "python -c 'print(40 + 2)'"}),
            ]
        ),
        FakeReply(tool_calls=[("finish", {})]),
    )
    task = make_task(tmp_path / "t")
    run = start(
        tmp_path / "res",
        model="openai:m",
        base_url=fake.openai_base_url,
        solver="loop",
        tasks=[str(task.root)],
        score=False,
        executor="ray",
    )
    executor = RayExecutor(run)
    outcome = on_ray(run, executor=executor)

    (record,) = outcome.records
    assert record.failure is None, record.failure
    assert executor.commands_run == 2
    assert record.generation is not None
    assert [c.returncode for c in record.generation.commands] == [0, 0]
    workspace = run.store.layout.workspace(record.spec)
    assert (workspace / "src" / "m.py").read_text(encoding="utf-8") == "x = 1\n"
    results = [
        e.content
        for e in read_transcript(run.store.layout.transcript(record.spec))
        if e.type == "tool"
    ]
    assert any("42" in str(content) for content in results)
