"""[N] finding 1: a coding agent replaces its skill folder's parent with a link to a host path.

The real Claude Code and Codex CLIs, scripted through the fake, rename the folder holding the
skill's read-only mount point (``.claude/`` or ``.agents/``) and put a link to a host folder
in its place. Before the fix, the host-side cleanup walked that link: every file under the
host folder lost its setuid and exec bits, the folder was deleted, and the record still said
``skill_intact: true``. Now the host folder, the user's skill and its modes are untouched, the
record says the skill was not intact, and the planted link is gone from the scored project.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import stat
from pathlib import Path

import pytest
from fake_llm import FakeLLM, FakeReply
from solve_one import solve_one

from harness.environment import REPO_ROOT
from harness.models.budget import Budget
from harness.sandbox import Sandbox
from harness.solvers import GenerationRecord
from harness.solvers.coding_agents.clis import AgentCLI
from harness.tasks.loader import get_task
from harness.variants import resolve_variant

SKILL = "python-fastapi-developer"
#: Where each agent loads a project skill, and the folder the attack renames.
PARENT = {"claude-code": ".claude", "codex": ".agents"}


def _tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``root``: its mode and, for files, a content hash."""
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = (
            hashlib.sha256(path.read_bytes()).hexdigest()
            if stat.S_ISREG(info.st_mode)
            else ""
        )
        found[path.relative_to(root).as_posix()] = (info.st_mode, digest)
    return found


def _victim(tmp_path: Path) -> Path:
    """A host folder shaped like a user's repository holding the skill under evaluation.

    ``victim/skills/<name>/`` is where the old cleanup landed through a link at
    ``.claude`` or ``.agents``; it holds the skill under evaluation and an executable,
    setuid file, as ``/usr/bin`` would.
    """
    victim = tmp_path / "victim"
    skill = victim / "skills" / SKILL
    shutil.copytree(REPO_ROOT / "skill" / SKILL, skill)
    tool = skill / "scripts" / "tool.sh"
    tool.parent.mkdir(exist_ok=True)
    tool.write_text("#!/bin/sh\necho tool\n")
    tool.chmod(0o4755)
    return victim


def _attack(agent: str, victim: Path) -> FakeReply:
    parent = PARENT[agent]
    command = f"mv {parent} moved-away && ln -s {victim} {parent} && echo planted"
    if agent == "claude-code":
        return FakeReply(tool_calls=[("Bash", {"command": command})])
    return FakeReply(tool_calls=[("exec_command", {"cmd": command})])


def _run(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, agent: str, skill_dir: Path
) -> GenerationRecord:
    claude = agent == "claude-code"
    return asyncio.run(
        solve_one(
            get_task("crud-notes"),
            resolve_variant(f"path:{skill_dir}"),
            solver=agent,
            model_spec="anthropic:claude-sonnet-4-5" if claude else "openai:gpt-5.5",
            epoch=0,
            workspace_dir=tmp_path / "out" / "workspace",
            transcript_path=tmp_path / "out" / "transcript.jsonl",
            budget=Budget(max_wall_s=120, max_turns=10),
            sandbox=sandbox,
            base_url=fake.url if claude else f"{fake.url}/v1",
        )
    )


@pytest.mark.parametrize("agent", ["claude-code", "codex"])
def test_a_link_planted_at_the_skill_parent_reaches_no_host_file(
    tmp_path: Path,
    sandbox: Sandbox,
    fake: FakeLLM,
    agent: str,
    request: pytest.FixtureRequest,
) -> None:
    cli: AgentCLI = request.getfixturevalue(
        "claude_cli" if agent == "claude-code" else "codex_cli"
    )
    assert cli.installed()
    victim = _victim(tmp_path)
    before = _tree(victim)
    fake.script(_attack(agent, victim), FakeReply(text="Done."))
    record = _run(tmp_path, sandbox, fake, agent, victim / "skills" / SKILL)
    assert record.ok, record.reason
    # The attack ran inside the sandbox (the CLI reported the command's output) ...
    assert "planted" in (tmp_path / "out" / "transcript.jsonl").read_text()
    # ... and the host folder, the user's skill and its modes are exactly as before.
    assert _tree(victim) == before
    tool = victim / "skills" / SKILL / "scripts" / "tool.sh"
    assert stat.S_IMODE(tool.stat().st_mode) == 0o4755
    # The record tells the truth, and the scored project holds no planted link.
    assert record.skill_intact is False
    workspace = tmp_path / "out" / "workspace"
    assert not (workspace / PARENT[agent]).is_symlink()
    assert not any(p.is_symlink() for p in workspace.rglob("*"))


@pytest.mark.parametrize("agent", ["claude-code", "codex"])
def test_an_untouched_skill_is_intact_and_leaves_nothing_in_the_workspace(
    tmp_path: Path,
    sandbox: Sandbox,
    fake: FakeLLM,
    agent: str,
    request: pytest.FixtureRequest,
) -> None:
    request.getfixturevalue("claude_cli" if agent == "claude-code" else "codex_cli")
    fake.script(FakeReply(text="Nothing to do."))
    record = _run(tmp_path, sandbox, fake, agent, REPO_ROOT / "skill" / SKILL)
    assert record.ok, record.reason
    assert record.skill_intact is True
    workspace = tmp_path / "out" / "workspace"
    assert not (workspace / PARENT[agent]).exists()
    # The agent saw the skill: its listing reached the model.
    assert SKILL in str(fake.requests[0].body)
