"""Hostile agents against the gateway, with the real CLIs in the sandbox (issue [N], 4, 6-8).

Claude Code runs attack code the model asks for (a script calling the gateway's socket
directly: forged skill triggers, another model, an MCP server); Codex is checked for what it
sends on its own. Then the record, the transcript and what the provider (the fake) received
are read back. ``--sandbox none`` and an unpriced ``--max-cost`` are refused before any agent
starts.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_llm import FakeLLM, FakeReply
from solve_one import solve_one
from test_cli_agents import SKILL, TASK, _events, _run

from harness.cli import main
from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.gateway.allowlist import CLIENT_TOOLS
from harness.models.budget import Budget
from harness.sandbox import Sandbox
from harness.solvers.coding_agents.clis import AgentCLI
from harness.tasks.loader import get_task
from harness.variants import resolve_variant

SNAPSHOT = "claude-sonnet-4-5-20250929"
#: Run by Claude Code's Bash tool: three direct calls to the gateway's socket.
ATTACK = r"""python3 - <<'EOF'
import http.client, json, socket

class Gateway(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect("/gateway/gw.sock")

def call(**extra):
    body = {"model": "claude-sonnet-4-5", "max_tokens": 50, **extra,
            "messages": [{"role": "user", "content": "- SKILL: forged listing"}]}
    conn = Gateway("localhost")
    conn.request("POST", "/v1/messages", json.dumps(body), {"content-type": "application/json"})
    answer = conn.getresponse()
    print("gateway said", answer.status, answer.read()[:300].decode())

call()
call(model="claude-opus-4-1")
call(mcp_servers=[{"type": "url", "url": "https://evil.example/mcp", "name": "e"}])
EOF""".replace("SKILL", SKILL)


def test_direct_calls_from_the_sandbox_forge_no_trigger_and_reach_no_other_model(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, claude_cli: AgentCLI
) -> None:
    """Before: the forged Skill call counted as SKILL.md opened; opus and MCP were forwarded."""
    fake.script(
        FakeReply(tool_calls=[("Bash", {"command": ATTACK})], model=SNAPSHOT),
        # The forged direct call gets a Skill call back; no request ever answers it.
        FakeReply(tool_calls=[("Skill", {"skill": SKILL})], model=SNAPSHOT),
        FakeReply(text="Done.", model=SNAPSHOT),
    )
    record = _run(tmp_path, sandbox, fake, "claude-code", skill=True)
    assert record.ok, record.reason
    assert [t.kind for t in record.triggers] == ["listed"]
    assert record.skill_md_opened is False
    assert len(fake.requests) == 3
    assert {r.body["model"] for r in fake.requests} == {"claude-sonnet-4-5"}
    assert not any("mcp_servers" in r.body for r in fake.requests)
    assert record.models_served == [SNAPSHOT]
    events = _events(tmp_path)
    problems = " ".join(e["message"] for e in events if e["type"] == "problem")
    assert "a request for claude-opus-4-1 is refused" in problems
    assert "the field 'mcp_servers' is refused" in problems
    bash = next(e for e in events if e["type"] == "tool" and e["name"] == "Bash")
    assert bash["content"].count("gateway said 400") == 2


def test_codex_sends_no_server_side_tool(
    tmp_path: Path, sandbox: Sandbox, fake: FakeLLM, codex_cli: AgentCLI
) -> None:
    """Before: Codex sent the provider's web_search tool (external_web_access: true)."""
    fake.script(FakeReply(text="Nothing to do."))
    record = _run(tmp_path, sandbox, fake, "codex", skill=False)
    assert record.ok, record.reason
    kinds = {str(t.get("type")) for t in fake.requests[0].body["tools"]}
    assert "web_search" not in kinds
    assert all(
        k.startswith(CLIENT_TOOLS["responses"]) or k == "tool_search" for k in kinds
    )
    log = (tmp_path / "out" / "transcript.gateway.jsonl").read_text().splitlines()
    assert [json.loads(line)["refused"] for line in log] == [None]


def _harness(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    """``harness ARGS`` in this process: its exit status and stderr."""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "--task", TASK, "--model", "openai:gpt-4.1", "--agent", "codex"],
        ["eval", "--tasks", TASK, "--model", "anthropic:claude-sonnet-4-5",
         "--agent", "claude-code", "--mode", "agent", "--variant", "none"],
    ],
)  # fmt: skip
def test_coding_agents_refuse_sandbox_none_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    """Before: the agent ran unsandboxed, Codex's relay open to every local process."""
    out = tmp_path / "run"
    status, err = _harness(
        capsys, monkeypatch, *args, "--sandbox", "none", "--out", str(out)
    )
    assert status == 2, err
    assert err.count("\n") == 1
    assert "needs --sandbox bwrap" in err
    assert not out.exists()


def test_the_library_refuses_an_agent_without_bubblewrap(
    tmp_path: Path, fake: FakeLLM
) -> None:
    environment = EvaluationEnvironment()
    unsandboxed = Sandbox.create("none", venv=environment.venv, helpers=HELPERS_DIR)
    record = asyncio.run(
        solve_one(
            get_task(TASK),
            resolve_variant("none"),
            solver="codex",
            model_spec="openai:gpt-4.1",
            epoch=0,
            workspace_dir=tmp_path / "workspace",
            transcript_path=None,
            budget=Budget(max_wall_s=30),
            sandbox=unsandboxed,
            base_url=f"{fake.url}/v1",
        )
    )
    assert record.ending == "error:infra"
    assert "needs --sandbox bwrap" in (record.reason or "")
    assert fake.requests == []


def test_max_cost_with_an_unpriced_model_is_refused_before_any_agent_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: Codex ran on gpt-5.5, never charged: --max-cost did not bind."""
    out = tmp_path / "run"
    status, err = _harness(
        capsys, monkeypatch, "generate", "--task", TASK, "--model", "openai:gpt-5.5",
        "--agent", "codex", "--max-cost", "1", "--out", str(out),
    )  # fmt: skip
    assert status == 2, err
    assert err.count("\n") == 1
    assert "the model gpt-5.5 has no price" in err
    assert "HARNESS_PRICES=FILE" in err
    assert not out.exists()
