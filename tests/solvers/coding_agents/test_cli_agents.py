"""Claude Code and Codex CLI end to end: real CLIs, in the sandbox, through the gateway, scripted.

Each test scripts the fake model the way the real model would act (load the skill, write the
task's gold files with the agent's own tools), runs one sample with its solver and
checks what a user relies on: the files land, the sample scores 1.0 on the task's hidden tests,
the triggers are in the transcript, the baseline has no skill, budgets stop the agent, and the
key never reaches the sandbox or a stored file.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_llm import FakeLLM, FakeReply
from solve_one import solve_one

from harness.environment import REPO_ROOT
from harness.models.budget import Budget
from harness.sandbox import Sandbox
from harness.solvers import GenerationRecord
from harness.solvers.coding_agents.clis import AgentCLI
from harness.tasks.loader import Task, get_task
from harness.variants import Variant, resolve_variant

SKILL = "python-fastapi-developer"
SECRET = "sk-ant-test-very-secret-0123456789abcdef"  # noqa: S105 - a decoy key
TASK = "crud-notes"


def _reference(task: Task) -> dict[str, str]:
    root = task.reference_dir
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and "__pycache__" not in p.parts
        and ".pytest_cache" not in p.parts
    }


def _patch(files: dict[str, str]) -> str:
    lines = ["*** Begin Patch"]
    for rel, text in files.items():
        lines.append(f"*** Add File: {rel}")
        lines.extend(f"+{line}" for line in text.splitlines())
    return "\n".join([*lines, "*** End Patch"]) + "\n"


def _variant(skill: bool) -> Variant:
    spec = f"path:{REPO_ROOT / 'skill' / SKILL}" if skill else "none"
    return resolve_variant(spec)


def _run(
    tmp_path: Path,
    sandbox: Sandbox,
    fake: FakeLLM,
    agent: str,
    *,
    skill: bool,
    budget: Budget | None = None,
    task: Task | None = None,
) -> GenerationRecord:
    task = task or get_task(TASK)
    model = (
        "anthropic:claude-sonnet-4-5" if agent == "claude-code" else "openai:gpt-5.5"
    )
    base = fake.url if agent == "claude-code" else f"{fake.url}/v1"
    return asyncio.run(
        solve_one(
            task,
            _variant(skill),
            solver=agent,
            model_spec=model,
            epoch=0,
            workspace_dir=tmp_path / "out" / "workspace",
            transcript_path=tmp_path / "out" / "transcript.jsonl",
            budget=budget or Budget(max_wall_s=120, max_turns=10),
            sandbox=sandbox,
            base_url=base,
        )
    )


def _events(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "out" / "transcript.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def _score(tmp_path: Path) -> float:
    """``harness score WORKSPACE --task crud-notes``, as a user would run it."""
    out = tmp_path / "score.json"
    workspace = tmp_path / "out" / "workspace"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "harness",
            "score",
            str(workspace),
            "--task",
            TASK,
            "--json",
            str(out),
            "-q",
        ],
        check=False,
        capture_output=True,
    )
    return float(json.loads(out.read_text())["overall"])


@pytest.mark.slow
def test_claude_code_loads_the_skill_writes_the_gold_files_and_scores_1(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, claude_cli: AgentCLI
) -> None:
    files = _reference(get_task(TASK))
    writes = [
        ("Write", {"file_path": f"/work/{rel}", "content": text})
        for rel, text in files.items()
    ]
    fake.script(
        FakeReply(tool_calls=[("Skill", {"skill": SKILL})]),
        FakeReply(tool_calls=writes),
        FakeReply(text="Done."),
    )
    record = _run(tmp_path, sandbox, fake, "claude-code", skill=True)
    assert record.ok, record.reason
    assert record.agent_version == claude_cli.version
    start = _events(tmp_path)[0]
    assert (start["type"], start["solver"]) == ("start", "claude-code")
    assert [(t.kind, t.via) for t in record.triggers][:2] == [
        ("listed", "listing"),
        ("skill_md", "Skill"),
    ]
    assert record.skill_md_turn == 1
    assert record.skill_intact
    assert sorted(record.files) == sorted(files)
    assert not (tmp_path / "out" / "workspace" / ".claude").exists()
    second = fake.requests[1].body
    assert "Launching skill" in json.dumps(second["messages"])
    assert fake.requests[0].path == "/v1/messages"
    assert (
        "beta=true"
        in json.loads(
            (tmp_path / "out" / "transcript.gateway.jsonl").read_text().splitlines()[0]
        )["path"]
    )
    events = _events(tmp_path)
    assert [e["type"] for e in events if e["type"] == "trigger"] == [
        "trigger",
        "trigger",
    ]
    assert record.turns == 3
    assert record.usage.total_tokens > 0
    assert _score(tmp_path) == pytest.approx(1.0)


@pytest.mark.slow
def test_codex_reads_skill_md_adds_the_files_with_apply_patch_and_scores_1(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, codex_cli: AgentCLI
) -> None:
    files = _reference(get_task(TASK))
    fake.script(
        FakeReply(
            tool_calls=[
                ("exec_command", {"cmd": f"cat .agents/skills/{SKILL}/SKILL.md"})
            ]
        ),
        FakeReply(custom_calls=[("apply_patch", _patch(files))]),
        FakeReply(text="Done."),
    )
    record = _run(tmp_path, sandbox, fake, "codex", skill=True)
    assert record.ok, record.reason
    assert _events(tmp_path)[0]["solver"] == "codex"
    kinds = [(t.kind, t.via) for t in record.triggers]
    assert kinds[:2] == [("listed", "listing"), ("skill_md", "exec_command")]
    tool = next(e for e in _events(tmp_path) if e["type"] == "tool")
    assert "name: python-fastapi-developer" in tool["content"]
    assert sorted(record.files) == sorted(files)
    assert not (tmp_path / "out" / "workspace" / ".agents").exists()
    assert fake.requests[0].path == "/v1/responses"
    assert _score(tmp_path) == pytest.approx(1.0)


@pytest.mark.parametrize("agent", ["claude-code", "codex"])
def test_the_baseline_has_no_skill_and_the_same_prompt(
    tmp_path: Path,
    sandbox: Sandbox,
    fake: FakeLLM,
    agent: str,
    request: pytest.FixtureRequest,
) -> None:
    request.getfixturevalue("claude_cli" if agent == "claude-code" else "codex_cli")
    fake.script(FakeReply(text="Nothing to do."))
    base = _run(tmp_path / "base", sandbox, fake, agent, skill=False)
    listing = json.dumps(fake.requests[0].body)
    fake.reset()
    fake.script(FakeReply(text="Nothing to do."))
    arm = _run(tmp_path / "arm", sandbox, fake, agent, skill=True)
    assert base.ok, base.reason
    assert base.baseline_clean
    assert SKILL not in listing
    assert SKILL in json.dumps(fake.requests[0].body)
    assert base.task_prompt_sha == arm.task_prompt_sha
    prompts = [
        next(e["content"] for e in _events(tmp_path / arm_dir) if e["type"] == "user")
        for arm_dir in ("base", "arm")
    ]
    assert prompts[0] == prompts[1]
    assert prompts[0].splitlines()[0] in json.dumps(fake.requests[0].body)
    assert [t.kind for t in base.triggers] == []
    assert [t.kind for t in arm.triggers] == ["listed"]
    assert arm.skill_md_opened is False


def test_a_turn_budget_stops_a_looping_agent(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, claude_cli: AgentCLI
) -> None:
    fake.script(
        *[FakeReply(tool_calls=[("Bash", {"command": "true"})]) for _ in range(10)]
    )
    record = _run(
        tmp_path,
        sandbox,
        fake,
        "claude-code",
        skill=False,
        budget=Budget(max_wall_s=120, max_turns=3),
    )
    assert record.ending == "limit:turns"
    assert record.error is None  # a limit: the agent's sample, scored as it stands
    assert record.turns == 3
    assert len(fake.requests) == 3
    problems = [e for e in _events(tmp_path) if e["type"] == "problem"]
    assert "budget exhausted: turns" in problems[0]["message"]


def test_the_key_never_enters_the_sandbox_or_a_stored_file(
    tmp_path: Path,
    sandbox: Sandbox,
    fake: FakeLLM,
    claude_cli: AgentCLI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    probe = (
        "env; cat /proc/1/environ | tr '\\0' '\\n'; "
        # Every file the sandbox shows, but the distribution's read-only /usr (with
        # chromium and friends it made this grep outlast the budget on a loaded CI machine).
        "grep -rs sk-ant / --exclude-dir=proc --exclude-dir=sys --exclude-dir=usr -l | head"
    )
    fake.script(
        FakeReply(tool_calls=[("Bash", {"command": probe})]), FakeReply(text="ok")
    )
    record = _run(
        tmp_path,
        sandbox,
        fake,
        "claude-code",
        skill=True,
        budget=Budget(max_wall_s=300, max_turns=10),
    )
    assert record.ok, record.reason
    assert fake.requests[0].headers["x-api-key"] == SECRET
    seen = json.dumps(fake.requests[1].body)
    assert "ANTHROPIC_API_KEY=harness-gateway-placeholder" in seen
    assert SECRET not in seen
    stored = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert stored
    for path in stored:
        assert SECRET.encode() not in path.read_bytes(), path


def test_a_missing_cli_is_an_infrastructure_failure(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_AGENTS_DIR", str(tmp_path / "no-agents"))
    record = _run(tmp_path, sandbox, fake, "codex", skill=False)
    assert record.ending == "error:infra"
    assert "harness agents install codex" in (record.reason or "")
    assert fake.requests == []


@pytest.mark.slow
def test_a_timeout_keeps_the_workspace(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, claude_cli: AgentCLI
) -> None:
    fake.script(
        FakeReply(
            tool_calls=[("Write", {"file_path": "/work/main.py", "content": "x = 1\n"})]
        ),
        FakeReply(text="slow", delay_s=30),
    )
    record = _run(
        tmp_path,
        sandbox,
        fake,
        "claude-code",
        skill=False,
        budget=Budget(max_wall_s=12),
    )
    assert record.ending == "limit:time"
    assert record.files == ["main.py"]
    assert (tmp_path / "out" / "workspace" / "main.py").read_text() == "x = 1\n"
