"""A coding agent's run as the harness's transcript: replies, tool results, trigger events.

The gateway's log is the ground truth of what the model saw and said, for both agents alike:
each call's reply (text, tool calls, usage, cost) becomes a ``reply`` event, and the tool
results a *later* request carries (Anthropic ``tool_result`` blocks; Responses
``function_call_output``/``custom_tool_call_output`` items), matched by call id, become
``tool`` events. The agent's own stream (Claude Code's stream-json, Codex's JSONL) adds what
only the CLI knows: its version, tools and skills at start (``agent`` event) and how it ended.

Trigger events (:class:`~harness.transcript.TriggerEvent`) come only from what the model was
shown, so that code in the sandbox calling the gateway directly cannot forge them:

- ``listed``: a request that arrived before any reply had ended (only the CLI can have sent
  it: no tool had run yet) lists the skill (Claude Code: a ``role: "system"`` message
  "- NAME: DESCRIPTION"; Codex: the ``<skills_instructions>`` developer message);
- ``skill_md``: a reply's tool call asks for SKILL.md (Claude Code's ``Skill`` tool with the
  skill's name, or any tool call naming ``.../skills/NAME/SKILL.md``: ``Read``, ``Bash``,
  Codex's ``exec_command``) *and* a later request carries that call's result showing a line
  of SKILL.md;
- ``reference``: the same for another file under ``.../skills/NAME/``.
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


def result_texts(request: dict[str, Any]) -> dict[str, str]:
    """Each tool result's text with the text beside it in the same message (call id to text).

    Claude Code's ``Skill`` tool answers "Launching skill: NAME" and puts the SKILL.md body in
    a text block of the same message: both are what the model was shown for that call.
    """
    shown: dict[str, str] = {}
    for message in request.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        blocks = (
            [b for b in content if isinstance(b, dict)]
            if isinstance(content, list)
            else []
        )
        ids = [
            str(b.get("tool_use_id")) for b in blocks if b.get("type") == "tool_result"
        ]
        if ids:
            text = "\n".join(
                _text_of(b.get("content", b.get("text", ""))) for b in blocks
            )
            shown.update(dict.fromkeys(ids, text))
    for id_, (content, _) in tool_results({"input": request.get("input")}).items():
        shown[id_] = content
    return shown


def _evidence(data: bytes) -> list[str]:
    """Lines of a skill file distinctive enough to prove the model was shown it."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
    long = [line for line in lines if len(line) >= 16 and line != "---"]
    return long or [line for line in lines if len(line) >= 4]


class TriggerFinder:
    """Finds trigger events of one skill in requests and tool calls."""

    def __init__(self, name: str, files: dict[str, bytes] | None = None) -> None:
        """Look for the skill ``name`` whose files (relative path to bytes) are ``files``.

        Without ``files``, any result the agent sent back for the call confirms it.
        """
        self.name = name
        self._listing = re.compile(rf"(^|\n)\s*- {re.escape(name)}:")
        self._file = re.compile(rf"skills/{re.escape(name)}/([\w./-]*[\w-])")
        self._evidence = (
            None
            if files is None
            else {rel: _evidence(data) for rel, data in files.items()}
        )
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

    def asks(self, tool: ToolCall) -> list[tuple[str, str, str]]:
        """The skill files one tool call asks for: (path, kind, via)."""
        if tool.name == "Skill" and tool.arguments.get("skill") == self.name:
            return [("SKILL.md", "skill_md", "Skill")]
        return [
            (rel, "skill_md" if rel == "SKILL.md" else "reference", tool.name)
            for rel in dict.fromkeys(self._file.findall(json.dumps(tool.arguments)))
        ]

    def shows(self, rel: str, result: str) -> bool:
        """Whether a tool result shows the skill file ``rel`` (one of its lines)."""
        if self._evidence is None:
            return bool(result.strip())
        return any(line in result for line in self._evidence.get(rel, []))

    def tool_call(
        self, tool: ToolCall, turn: int, t: float, result: str
    ) -> list[TriggerEvent]:
        """Events for the skill files one tool call opened, as its ``result`` shows."""
        return [
            self._add(turn, t, rel, kind, via)
            for rel, kind, via in self.asks(tool)
            if self.shows(rel, result)
        ]

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
    skill_files: dict[str, bytes] | None = None,
    offset_s: float = 0.0,
) -> tuple[list[TriggerEvent], list[CommandRun]]:
    """Write the gateway's calls as ``reply``, ``tool``, ``trigger`` and ``problem`` events.

    Args:
        calls: The gateway's log, in order.
        transcript: Where the events go.
        skill: The skill's name (None for a baseline: no trigger is looked for).
        skill_files: The skill's files, whose lines prove a result showed them.
        offset_s: Seconds between the transcript's start and the gateway's.

    Returns:
        The trigger events and the shell commands the agent ran.
    """
    finder = TriggerFinder(skill, skill_files) if skill else None
    first_end = min(
        (c.t + c.wall_s for c in calls if c.reply is not None), default=float("inf")
    )
    commands: list[CommandRun] = []
    turn = 0
    pending: dict[str, tuple[int, ToolCall]] = {}
    for call in calls:
        at = round(call.t + offset_s, 3)
        results, shown = tool_results(call.request), result_texts(call.request)
        for id_ in [i for i in pending if i in results]:
            made_at, tool = pending.pop(id_)
            _write_tool(transcript, made_at, tool, results[id_], at)
            opened = (
                finder.tool_call(tool, made_at, at, shown.get(id_, ""))
                if finder
                else []
            )
            for trigger in opened:
                transcript.write(trigger, t=trigger.t)
        if call.refused or call.error or call.reply is None:
            transcript.write(
                ProblemEvent(message=call.refused or call.error or "no reply"), t=at
            )
            continue
        turn += 1
        if (
            finder is not None
            and call.t < first_end
            and (listed := finder.request(call, turn, at)) is not None
        ):
            transcript.write(listed, t=listed.t)
        reply = call.reply
        transcript.write(ReplyEvent(turn=turn, reply=reply), t=at + reply.wall_s)
        for tool in reply.tool_calls:
            pending[tool.id] = (turn, tool)
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
    end = round((calls[-1].t if calls else 0.0) + offset_s, 3)
    for made_at, tool in pending.values():
        missing = ("(no result: the agent did not send one)", True)
        _write_tool(transcript, made_at, tool, missing, end)
    return (finder.events if finder is not None else []), commands


def _write_tool(
    transcript: Transcript,
    turn: int,
    tool: ToolCall,
    result: tuple[str, bool],
    t: float,
) -> None:
    transcript.write(
        ToolEvent(
            turn=turn,
            call_id=tool.id,
            name=tool.name,
            arguments=tool.arguments,
            content=result[0],
            is_error=result[1],
        ),
        t=t,
    )


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


__all__ = [
    "SHELL_TOOLS",
    "TriggerFinder",
    "read_stream",
    "result_texts",
    "tool_results",
    "write_calls",
]
