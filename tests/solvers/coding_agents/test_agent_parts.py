"""The agent layer's parts, without the CLIs: triggers, tool results, stream summaries, the
door's gateway exceptions, ``harness agents`` on a machine without the CLIs or npm."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.gateway.server import GatewayCall
from harness.gateway.wire import anthropic_reply, responses_reply
from harness.models.base import ModelReply, ToolCall
from harness.sandbox import SandboxRequest
from harness.sandbox.types import PLACEHOLDER_KEY
from harness.solvers.coding_agents.clis import CLIS, agents_dir
from harness.solvers.coding_agents.transcripts import (
    TriggerFinder,
    read_stream,
    tool_results,
    write_calls,
)
from harness.transcript import Transcript

NAME = "python-fastapi-developer"


def _call(request: dict[str, object]) -> GatewayCall:
    return GatewayCall(index=1, t=0.5, path="/v1/messages", status=200, request=request)


def test_listing_is_found_in_claude_reminders_and_codex_developer_messages() -> None:
    claude = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": (
                            "<system-reminder>\nThe following skills are available for use "
                            f"with the Skill tool:\n\n- {NAME}: Builds FastAPI backends.\n"
                            "</system-reminder>"
                        ),
                    }
                ],
            }
        ]
    }
    codex = {
        "input": [
            {
                "role": "developer",
                "content": [
                    {
                        "type": "input_text",
                        "text": (
                            f"<skills_instructions>\n- {NAME}: Builds FastAPI backends. "
                            f"(file: r1/{NAME}/SKILL.md)"
                        ),
                    }
                ],
            }
        ]
    }
    for request in (claude, codex):
        event = TriggerFinder(NAME).request(_call(request), 1, 0.5)
        assert event is not None
        assert (event.kind, event.via) == ("listed", "listing")
    other = {"messages": [{"role": "user", "content": "- another-skill: x"}]}
    assert TriggerFinder(NAME).request(_call(other), 1, 0.5) is None


@pytest.mark.parametrize(
    ("tool", "expected"),
    [
        (
            ToolCall(id="1", name="Skill", arguments={"skill": NAME}),
            [("skill_md", "SKILL.md", "Skill")],
        ),
        (ToolCall(id="1", name="Skill", arguments={"skill": "other"}), []),
        (
            ToolCall(
                id="1",
                name="Read",
                arguments={
                    "file_path": f"/work/.claude/skills/{NAME}/references/testing.md"
                },
            ),
            [("reference", "references/testing.md", "Read")],
        ),
        (
            ToolCall(
                id="1",
                name="exec_command",
                arguments={"cmd": f"sed -n 1,80p .agents/skills/{NAME}/SKILL.md"},
            ),
            [("skill_md", "SKILL.md", "exec_command")],
        ),
        (
            ToolCall(
                id="1", name="Write", arguments={"file_path": "/work/app/main.py"}
            ),
            [],
        ),
    ],
)
def test_tool_calls_that_open_skill_files_are_triggers(
    tool: ToolCall, expected: list[tuple[str, str, str]]
) -> None:
    events = TriggerFinder(NAME).tool_call(tool, 2, 1.0, "the file's text")
    assert [(e.kind, e.path, e.via) for e in events] == expected
    assert all(e.turn == 2 for e in events)


def test_tool_results_of_both_apis_are_read_back() -> None:
    anthropic = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": [{"type": "text", "text": "ok"}],
                        "is_error": True,
                    }
                ],
            }
        ]
    }
    responses = {
        "input": [
            {
                "type": "custom_tool_call_output",
                "call_id": "call_2",
                "output": "Success.",
            }
        ]
    }
    assert tool_results(anthropic) == {"toolu_1": ("ok", True)}
    assert tool_results(responses) == {"call_2": ("Success.", False)}


def test_non_streamed_bodies_are_read_like_streams() -> None:
    message = {
        "type": "message",
        "model": "claude-x",
        "stop_reason": "max_tokens",
        "content": [{"type": "text", "text": "hi"}],
        "usage": {"input_tokens": 5, "output_tokens": 2, "cache_read_input_tokens": 3},
    }
    reply = anthropic_reply([message])
    assert (reply.text, reply.stop_reason, reply.usage.cache_read_tokens) == (
        "hi",
        "max_tokens",
        3,
    )
    response = {
        "object": "response",
        "status": "completed",
        "model": "gpt-x",
        "output": [
            {
                "type": "function_call",
                "call_id": "c",
                "name": "exec_command",
                "arguments": '{"cmd": "ls"}',
            }
        ],
        "usage": {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 4},
            "output_tokens": 1,
        },
    }
    reply = responses_reply([response])
    assert reply.tool_calls[0].arguments == {"cmd": "ls"}
    assert (reply.usage.input_tokens, reply.usage.cache_read_tokens) == (6, 4)


def test_stream_summaries_name_the_version_skills_and_errors() -> None:
    claude = "\n".join(
        json.dumps(e)
        for e in [
            {
                "type": "system",
                "subtype": "init",
                "claude_code_version": "2.1.332",
                "skills": [NAME],
                "tools": ["Skill"],
            },
            {
                "type": "result",
                "subtype": "error_during_execution",
                "is_error": True,
                "result": "API Error: 400",
            },
        ]
    )
    summary = read_stream("claude-code", claude + "\nnot json\n")
    assert summary["init"]["skills"] == [NAME]
    assert summary["errors"] == ["API Error: 400"]
    codex = (
        json.dumps({"type": "turn.failed", "error": {"message": "x"}})
        + "\n"
        + json.dumps({"type": "error", "message": "boom"})
    )
    summary = read_stream("codex", codex)
    assert summary["result"]["type"] == "turn.failed"
    assert summary["errors"] == ["boom"]


def test_the_door_passes_the_placeholder_and_refuses_the_real_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = "sk-ant-real-key-0123456789"
    monkeypatch.setenv("ANTHROPIC_API_KEY", real)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://proxy.example.com")
    env = {
        "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
        "ANTHROPIC_BASE_URL": "http://localhost",
        "ANTHROPIC_UNIX_SOCKET": "/gateway/gw.sock",
    }
    SandboxRequest(argv=["true"], workspace=tmp_path, env=env)
    for name, value in [("ANTHROPIC_API_KEY", real), ("OTHER", real)]:
        with pytest.raises(ValidationError, match=name):
            SandboxRequest(argv=["true"], workspace=tmp_path, env={name: value})


def _harness(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_agents_list_names_the_install_command_of_a_missing_cli(tmp_path: Path) -> None:
    env = {**os.environ, "HARNESS_AGENTS_DIR": str(tmp_path)}
    done = _harness("agents", "list", env=env)
    assert done.returncode == 0
    assert (
        "claude-code is missing: run `harness agents install claude-code`"
        in done.stdout
    )
    assert "codex is missing: run `harness agents install codex`" in done.stdout


def test_agents_install_without_npm_is_one_line_with_the_fix(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HARNESS_AGENTS_DIR": str(tmp_path),
        "PATH": str(tmp_path / "empty"),
    }
    done = _harness("agents", "install", "codex", env=env)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "harness: error: npm is not installed, so Codex CLI cannot be: install Node.js and npm "
        "(Debian/Ubuntu: `apt-get install nodejs npm`)"
    )
    unknown = _harness("agents", "install", "gemini", env=env)
    assert unknown.returncode == 2
    assert "unknown agent CLI 'gemini'" in unknown.stderr


def test_agents_install_of_a_present_cli_says_so_and_runs_no_npm(
    tmp_path: Path,
) -> None:
    # A second `harness agents install` (a node's setup script runs it each time) must
    # not claim to install again. npm is off the PATH: reaching it would fail.
    cli = CLIS["claude-code"]
    binary = tmp_path / cli.binary.relative_to(agents_dir())
    binary.parent.mkdir(parents=True)
    binary.write_text(f"#!/bin/sh\necho '{cli.version} (Claude Code)'\n")
    binary.chmod(0o755)
    env = {**os.environ, "HARNESS_AGENTS_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    env.pop("npm_execpath", None)
    done = _harness("agents", "install", "claude-code", env=env)
    assert done.returncode == 0, done.stderr
    assert "installing" not in done.stdout
    assert f"claude-code: {cli.version} already installed at" in done.stdout


def _reply_call(
    index: int, t: float, request: dict[str, object], tool: ToolCall
) -> GatewayCall:
    reply = ModelReply(text="", tool_calls=[tool], stop_reason="tool_use", wall_s=0.5)
    return GatewayCall(
        index=index,
        t=t,
        wall_s=0.5,
        path="/v1/messages",
        status=200,
        request=request,
        reply=reply,
    )


def _result(call_id: str, text: str) -> dict[str, object]:
    block = {"type": "tool_result", "tool_use_id": call_id, "content": text}
    return {"messages": [{"role": "user", "content": [block]}]}


def test_triggers_need_a_result_that_shows_the_file_and_an_early_listing() -> None:
    """A direct call cannot forge them: before, a listing in any request and a Skill call in
    any reply counted, whether or not the model was ever shown the skill."""
    skill_md = b"---\nname: demo\n---\n# Demo skill\n\nAlways validate input with Pydantic v2.\n"
    listing = {"messages": [{"role": "user", "content": f"- {NAME}: does things"}]}
    read = ToolCall(
        id="r1", name="Read", arguments={"file_path": f"/w/skills/{NAME}/SKILL.md"}
    )
    skill = ToolCall(id="s1", name="Skill", arguments={"skill": NAME})
    calls = [
        _reply_call(1, 0.0, {"messages": []}, read),
        # A direct call after the first reply: its listing is not the CLI's; its Skill
        # call is never answered by any request.
        _reply_call(2, 1.0, listing, skill),
        # The CLI's next request answers the Read without SKILL.md's text (a failed read).
        _reply_call(
            3, 2.0, _result("r1", "No such file"), read.model_copy(update={"id": "r2"})
        ),
        GatewayCall(
            index=4,
            t=3.0,
            path="/v1/messages",
            status=200,
            request=_result(
                "r2", "1\t---\n5\tAlways validate input with Pydantic v2.\n"
            ),
            reply=ModelReply(text="done", stop_reason="end"),
        ),
    ]
    triggers, _ = write_calls(
        calls, Transcript(None), skill=NAME, skill_files={"SKILL.md": skill_md}
    )
    assert [(t.kind, t.turn, t.via) for t in triggers] == [("skill_md", 3, "Read")]
