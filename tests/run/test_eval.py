"""harness eval through the library: arms, failures, replay of a stored run, sim."""

import difflib
import json
from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.models.retry import RetryPolicy
from harness.prompts import format_reply
from harness.run.config import EvalConfig
from harness.run.eval import run_eval
from harness.run.prepare import resume_run, start_run
from harness.run.source import ModelSource
from harness.tasks.loader import Task
from harness.transcript import ReplyEvent, read_transcript
from tests.fakes.fake_llm import FakeError, FakeLLM, FakeReply
from tests.solvers.skeleton.gen_support import LAYOUT_MD, MINI, SKILL_MD, project_files

MINI_FILES = project_files(MINI / "project")
FAST = {
    "retry": RetryPolicy(max_attempts=2, base_s=0.01, max_s=0.02),
    "sdk_max_retries": 0,
}


def _config(tmp_path: Path, task: Task, fake: FakeLLM, **changes: object) -> EvalConfig:
    values: dict[str, object] = {
        "model": "openai:m",
        "base_url": fake.openai_base_url,
        "tasks": [str(task.root)],
        "results_dir": tmp_path / "results",
        "run_id": "r",
        "checks": ["ruff", "format"],
        "score_slots": 1,
        "max_concurrency": 1,
    }
    return EvalConfig.model_validate(values | changes)


def _fast(run, fake: FakeLLM) -> None:
    """Retry quickly in tests: the provider's policy is the only change."""
    run.source = ModelSource(
        run.config.model,
        cache=run.source.cache,
        base_url=fake.openai_base_url,
        options={"api_key": "k", **FAST},
    )


@pytest.fixture
def skill(tmp_path: Path) -> Path:
    folder = tmp_path / "skills" / "tiny-fastapi"
    (folder / "references").mkdir(parents=True)
    (folder / "SKILL.md").write_text(SKILL_MD, encoding="utf-8")
    (folder / "references" / "layout.md").write_text(LAYOUT_MD, encoding="utf-8")
    return folder


def test_arms_get_the_same_task_prompt_and_the_baseline_no_trace_of_a_skill(
    fake: FakeLLM, task: Task, tmp_path: Path, skill: Path, monkeypatch
):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    fake.script(*[FakeReply(tool_calls=[("finish", {})]) for _ in range(3)])
    config = _config(
        tmp_path, task, fake, solver="loop", score=False,
        variants=["none", f"inline=path:{skill}@inline", f"native=path:{skill}@on-demand"],
    )  # fmt: skip
    run = start_run(config)
    _fast(run, fake)
    outcome = run_eval(run)
    assert [a.arm.label for a in run.manifest.arms] == ["none", "inline", "native"]
    assert [a.arm.delivery for a in run.manifest.arms] == [
        "none",
        "inline",
        "on-demand",
    ]
    bodies = [r.body for r in fake.requests]
    assert len(bodies) == 3
    users = {json.dumps(b["messages"][1:], sort_keys=True) for b in bodies}
    assert len(users) == 1  # byte-identical task prompt in every arm
    tools = {json.dumps(b["tools"], sort_keys=True) for b in bodies}
    assert len(tools) == 1
    systems = {
        r.spec.arm: next(
            e for e in read_transcript(run.store.layout.transcript(r.spec))
        ).system  # the start event
        for r in outcome.records
    }
    for arm in ("inline", "native"):
        ops = difflib.SequenceMatcher(
            a=systems["none"], b=systems[arm], autojunk=False
        ).get_opcodes()
        # The variant only adds to the baseline's system prompt; it changes nothing.
        assert {op for op, *_ in ops} <= {"equal", "insert"}, arm
        assert "tiny-fastapi" in systems[arm]
    assert "tiny-fastapi" not in systems["none"]
    baseline = next(r for r in outcome.records if r.spec.arm == "none")
    workspace = run.store.layout.workspace(baseline.spec)
    assert not (workspace / ".agents").exists()  # not even an empty folder
    assert not [p for p in workspace.rglob("*") if "skill" in p.name.lower()]
    assert baseline.generation is not None
    assert baseline.generation.baseline_clean is True


def test_provider_failures_are_infra_kept_apart_and_retried(
    fake: FakeLLM, task: Task, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    ok = FakeReply(text=format_reply(MINI_FILES))
    fake.script(ok, FakeError(503), FakeError(503), ok)
    run = start_run(_config(tmp_path, task, fake, epochs=3))
    _fast(run, fake)
    outcome = run_eval(run)
    by_epoch = {r.spec.epoch: r for r in outcome.records}
    assert len(by_epoch) == 3  # the failed sample is stored, never dropped
    failed = by_epoch[1]
    assert failed.infra_failed
    assert failed.failure is not None
    assert failed.failure.stage == "generate"
    assert "server_error" in failed.failure.reason
    assert failed.score is None  # not scored, not counted as the model's failure
    assert by_epoch[0].score is not None
    assert by_epoch[2].score is not None
    # Resumed without --retry-errors: nothing to do; with it: only the failed sample.
    fake.script(ok)
    again = resume_run(tmp_path / "results", "r")
    _fast(again, fake)
    assert run_eval(again).worked == 0
    retry = resume_run(tmp_path / "results", "r")
    _fast(retry, fake)
    redone = run_eval(retry, retry_errors=True)
    assert redone.worked == 1
    assert all(r.score is not None and r.failure is None for r in redone.records)


def test_replay_reads_exactly_what_eval_wrote(
    fake: FakeLLM, task: Task, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    fake.script(*[FakeReply(text=format_reply(MINI_FILES)) for _ in range(2)])
    first = start_run(_config(tmp_path, task, fake, epochs=2, score=False))
    _fast(first, fake)
    original = run_eval(first)
    calls = len(fake.requests)
    replay = start_run(
        EvalConfig(
            model="replay:r",
            tasks=[str(task.root)],
            epochs=2,
            results_dir=tmp_path / "results",
            run_id="r2",
            score=False,
        )
    )
    replayed = run_eval(replay)
    assert len(fake.requests) == calls  # nothing was asked of the server
    assert len(replayed.records) == len(original.records) == 2
    for record in replayed.records:
        assert record.generation is not None
        assert record.generation.cached_replies == 1
        assert project_files(replay.store.layout.workspace(record.spec)) == MINI_FILES
        events = read_transcript(replay.store.layout.transcript(record.spec))
        assert any(isinstance(e, ReplyEvent) for e in events)


def test_a_taken_run_id_and_a_changed_task_are_refused(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    config = _config(
        tmp_path, task, fake, score=False, model="reference", base_url=None
    )
    start_run(config)
    with pytest.raises(UsageError, match=r"already exists .* --resume r"):
        start_run(config)
    (task.root / "prompt.md").write_text("Something else.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="task tiny-api changed since run r started"):
        resume_run(tmp_path / "results", "r")
