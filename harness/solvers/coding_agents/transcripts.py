"""A coding agent's run as the harness's transcript: replies, tool results, trigger events.

The gateway's log is the ground truth of what the model saw and said, for both agents alike:
each call's reply (text, tool calls, usage, cost) becomes a ``reply`` event, and the tool
results the *next* request carries (Anthropic ``tool_result`` blocks; Responses
``function_call_output``/``custom_tool_call_output`` items) become ``tool`` events. The agent's
own stream (Claude Code's stream-json, Codex's JSONL) adds what only the CLI knows: its version,
tools and skills at start (``agent`` event) and how it ended.

Trigger events (:class:`~harness.transcript.TriggerEvent`):

- ``listed``: the first request lists the skill (Claude Code: a ``role: "system"`` message
  "- NAME: DESCRIPTION"; Codex: the ``<skills_instructions>`` developer message);
- ``skill_md``: Claude Code's ``Skill`` tool called with the skill's name, or any tool call
  naming ``.../skills/NAME/SKILL.md`` (``Read``, ``Bash``, Codex's ``exec_command``);
- ``reference``: any tool call naming another file under ``.../skills/NAME/``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from harness.solvers.outcome import CommandRun
from harness.transcript import ProblemEvent, ReplyEvent, ToolEvent, TriggerEvent

if TYPE_CHECKING:
    from harness.gateway.server import GatewayCall
    from harness.models.base import ToolCall
    from harness.transcript import Transcript

#: Tools whose calls are shell commands, recorded in the sample's ``commands``.
SHELL_TOOLS = frozenset({"Bash", "exec_command", "shell", "local_shell"})


def _text_of(content: Any) -> str:  # noqa: ANN401 - any JSON
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            _text_of(part.get("text", part.get("content", "")))
            for part in content
            if isinstance(part, dict)
        )
    return json.dumps(content) if content is not None else ""


def tool_results(request: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """The tool results a request carries: call id to (content, is_error)."""
    results: dict[str, tuple[str, bool]] = {}
    for message in request.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") == "tool_result":
                results[str(block.get("tool_use_id"))] = (
                    _text_of(block.get("content")),
                    bool(block.get("is_error")),
                )
    for item in request.get("input") or []:
        if isinstance(item, dict) and item.get("type") in (
            "function_call_output",
            "custom_tool_call_output",
        ):
            results[str(item.get("call_id"))] = (_text_of(item.get("output")), False)
    return results


class TriggerFinder:
    """Finds trigger events of one skill in requests and tool calls."""

    def __init__(self, name: str) -> None:
        """Look for the skill ``name``."""
        self.name = name
        self._listing = re.compile(rf"(^|\n)\s*- {re.escape(name)}:")
        self._file = re.compile(rf"skills/{re.escape(name)}/([\w./-]*[\w-])")
        self.events: list[TriggerEvent] = []
        self._listed = False

    def request(self, call: GatewayCall, turn: int, t: float) -> TriggerEvent | None:
        """A ``listed`` event for the first request that lists the skill."""
        if self._listed:
            return None
        texts = [_text_of(call.request.get("system"))]
        for message in [
            *(call.request.get("messages") or []),
            *(call.request.get("input") or []),
        ]:
            if isinstance(message, dict):
                texts.append(_text_of(message.get("content")))
        if not any(self._listing.search(text) for text in texts):
            return None
        self._listed = True
        return self._add(turn, t, "SKILL.md", "listed", "listing")

    def tool_call(self, tool: ToolCall, turn: int, t: float) -> list[TriggerEvent]:
        """Events for the skill files one tool call opens."""
        if tool.name == "Skill" and tool.arguments.get("skill") == self.name:
            return [self._add(turn, t, "SKILL.md", "skill_md", "Skill")]
        found: list[TriggerEvent] = []
        for rel in dict.fromkeys(self._file.findall(json.dumps(tool.arguments))):
            kind = "skill_md" if rel == "SKILL.md" else "reference"
            found.append(self._add(turn, t, rel, kind, tool.name))
        return found

    def _add(self, turn: int, t: float, path: str, kind: str, via: str) -> TriggerEvent:
        event = TriggerEvent.model_validate(
            {"turn": turn, "t": t, "path": path, "kind": kind, "via": via}
        )
        self.events.append(event)
        return event


def write_calls(
    calls: list[GatewayCall],
    transcript: Transcript,
    *,
    skill: str | None,
    offset_s: float = 0.0,
) -> tuple[list[TriggerEvent], list[CommandRun]]:
    """Write the gateway's calls as ``reply``, ``tool``, ``trigger`` and ``problem`` events.

    Args:
        calls: The gateway's log, in order.
        transcript: Where the events go.
        skill: The skill's name (None for a baseline: no trigger is looked for).
        offset_s: Seconds between the transcript's start and the gateway's.

    Returns:
        The trigger events and the shell commands the agent ran.
    """
    finder = TriggerFinder(skill) if skill else None
    commands: list[CommandRun] = []
    turn = 0
    pending: list[tuple[int, ToolCall]] = []
    for call in calls:
        results = tool_results(call.request)
        for made_at, tool in pending:
            content, is_error = results.get(
                tool.id, ("(no result: the agent did not send one)", True)
            )
            transcript.write(
                ToolEvent(
                    turn=made_at,
                    call_id=tool.id,
                    name=tool.name,
                    arguments=tool.arguments,
                    content=content,
                    is_error=is_error,
                ),
                t=call.t + offset_s,
            )
        pending = []
        if call.refused or call.error or call.reply is None:
            transcript.write(
                ProblemEvent(message=call.refused or call.error or "no reply"),
                t=call.t + offset_s,
            )
            continue
        turn += 1
        t = round(call.t + offset_s, 3)
        if finder is not None and (event := finder.request(call, turn, t)) is not None:
            transcript.write(event, t=event.t)
        reply = call.reply
        transcript.write(ReplyEvent(turn=turn, reply=reply), t=t + reply.wall_s)
        for tool in reply.tool_calls:
            pending.append((turn, tool))
            if tool.name in SHELL_TOOLS:
                command = tool.arguments.get("command", tool.arguments.get("cmd"))
                commands.append(
                    CommandRun(
                        turn=turn,
                        command=command
                        if isinstance(command, str)
                        else json.dumps(command),
                    )
                )
            done = t + reply.wall_s
            for event in finder.tool_call(tool, turn, done) if finder else []:
                transcript.write(event, t=event.t)
    return (finder.events if finder is not None else []), commands


def read_stream(agent: str, stdout: str) -> dict[str, Any]:
    """What the CLI's own stream says: version, tools, skills at start; how it ended.

    Args:
        agent: ``claude-code`` (stream-json) or ``codex`` (JSONL).
        stdout: The stream.

    Returns:
        ``init`` (Claude Code's init event, trimmed), ``result`` (its result event, or
        Codex's last ``turn.*`` event), ``errors`` (error messages the CLI reported) and
        ``events`` (the number of events).
    """
    events = []
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict):
            events.append(event)
    summary: dict[str, Any] = {
        "events": len(events),
        "init": None,
        "result": None,
        "errors": [],
    }
    keep = ("claude_code_version", "model", "tools", "skills", "permissionMode", "cwd")
    for event in events:
        kind = event.get("type")
        if (
            agent == "claude-code"
            and kind == "system"
            and event.get("subtype") == "init"
        ):
            summary["init"] = {k: event.get(k) for k in keep}
        elif agent == "claude-code" and kind == "result":
            summary["result"] = {
                k: event.get(k)
                for k in (
                    "subtype",
                    "is_error",
                    "num_turns",
                    "result",
                    "total_cost_usd",
                )
            }
            if event.get("is_error"):
                summary["errors"].append(str(event.get("result")))
        elif agent == "codex" and kind in ("turn.completed", "turn.failed"):
            summary["result"] = event
        elif agent == "codex" and kind == "error":
            summary["errors"].append(str(event.get("message")))
        elif (
            agent == "codex"
            and kind == "item.completed"
            and (event.get("item") or {}).get("type") == "error"
        ):
            summary["errors"].append(str(event["item"].get("message")))
    return summary


__all__ = ["SHELL_TOOLS", "TriggerFinder", "read_stream", "tool_results", "write_calls"]
