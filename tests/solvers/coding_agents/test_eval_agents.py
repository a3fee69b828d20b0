"""``harness eval --agent claude-code|codex``: a whole run through the real CLIs, from the CLI.

The fake answers by policy (it reads each request: is the skill listed, loaded, are the files
written?), so the arms may run in any order. Both arms write the task's gold project, so both
score 1.0; the skill arm loads the skill first, and the run's manifest and every sample record
name the agent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_llm import FakeLLM, FakeReply, RecordedRequest

from harness.solvers.coding_agents.clis import AgentCLI
from harness.tasks.loader import get_task

SKILL = "python-fastapi-developer"
TASK = "crud-notes"


def _gold() -> dict[str, str]:
    root = get_task(TASK).reference_dir
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def claude_policy(request: RecordedRequest) -> FakeReply:
    """Load the skill when listed, then Write every gold file, then stop."""
    seen = json.dumps(request.body.get("messages"))
    if f"- {SKILL}:" in seen and "Launching skill" not in seen:
        return FakeReply(tool_calls=[("Skill", {"skill": SKILL})])
    if '"name": "Write"' not in seen:
        calls = [
            ("Write", {"file_path": f"/work/{rel}", "content": text})
            for rel, text in _gold().items()
        ]
        return FakeReply(tool_calls=list(calls))
    return FakeReply(text="Done.")


def codex_policy(request: RecordedRequest) -> FakeReply:
    """Read SKILL.md when listed, then add every gold file with apply_patch, then stop."""
    items: list[dict[str, Any]] = [
        i for i in request.body.get("input") or [] if isinstance(i, dict)
    ]
    listed = f"- {SKILL}:" in json.dumps(items)
    read = any(
        i.get("type") == "function_call" and "SKILL.md" in str(i.get("arguments"))
        for i in items
    )
    if listed and not read:
        return FakeReply(
            tool_calls=[
                ("exec_command", {"cmd": f"cat .agents/skills/{SKILL}/SKILL.md"})
            ]
        )
    if not any(i.get("type") == "custom_tool_call" for i in items):
        lines = ["*** Begin Patch"]
        for rel, text in _gold().items():
            lines += [
                f"*** Add File: {rel}",
                *(f"+{line}" for line in text.splitlines()),
            ]
        return FakeReply(
            custom_calls=[("apply_patch", "\n".join([*lines, "*** End Patch"]) + "\n")]
        )
    return FakeReply(text="Done.")


@pytest.mark.slow
@pytest.mark.parametrize("agent", ["claude-code", "codex"])
def test_harness_eval_runs_both_arms_through_the_real_cli(
    tmp_path: Path, fake: FakeLLM, agent: str, request: pytest.FixtureRequest
) -> None:
    cli: AgentCLI = request.getfixturevalue(
        "claude_cli" if agent == "claude-code" else "codex_cli"
    )
    claude = agent == "claude-code"
    fake.responder = claude_policy if claude else codex_policy
    model = "anthropic:claude-sonnet-4-5" if claude else "openai:gpt-5.5"
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-dummy", "OPENAI_API_KEY": "sk-dummy"}
    command = [
        sys.executable,
        "-m",
        "harness",
        "eval",
        "--model",
        model,
        "--base-url",
        fake.url if claude else f"{fake.url}/v1",
        # --solver, and for Codex its documented aliases --agent/--mode.
        *(["--solver", agent] if claude else ["--agent", agent, "--mode", "agent"]),
        "--variant",
        "none",
        "--variant",
        f"skill=path:skill/{SKILL}@on-demand",
        "--tasks",
        TASK,
        "--epochs",
        "1",
        "--out",
        str(tmp_path),
        "--run-id",
        "r1",
        "-q",
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run = tmp_path / "r1"
    manifest = json.loads((run / "manifest.json").read_text())
    assert {arm["arm"]["solver"] for arm in manifest["arms"]} == {agent}
    records = {
        arm: json.loads((run / "samples" / TASK / arm / "0.json").read_text())
        for arm in ("none", "skill")
    }
    for arm, record in records.items():
        generation = record["generation"]
        assert record["spec"]["solver"] == agent, arm
        assert generation["agent_version"] == cli.version, arm
        assert generation["ok"], generation["ending"]
        assert record["score"]["overall"] == pytest.approx(1.0), arm
    assert records["none"]["generation"]["baseline_clean"] is True
    loaded = [
        t for t in records["skill"]["generation"]["triggers"] if t["kind"] == "skill_md"
    ]
    assert loaded[0]["via"] == ("Skill" if claude else "exec_command")
    assert (run / "transcripts" / TASK / "skill" / "0.gateway.jsonl").is_file()
