"""The agent mode: a tool loop over a workspace, within a budget, every step in a transcript.

The model sees five tools (:data:`TOOLS`, generated from pydantic argument models in
:mod:`harness.agent.tools`): ``list_files``, ``read_file``, ``write_file``,
``run`` and ``finish``. ``run`` executes one command through :class:`harness.sandbox.Sandbox`
over the workspace, in the evaluation environment, with only ``ruff``, ``mypy``, ``pytest``
and ``python`` allowed and no shell; its output is capped. The loop ends when the model
calls ``finish``, stops calling tools, or a budget (turns, tokens, time, cost) runs out;
the reason is recorded. Reads of the skill's files (``.agents/skills/<name>/``) are trigger
events: whether and when the model opened SKILL.md and each reference.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from harness.agent.tools import (
    TOOLS,
    ListFilesArgs,
    ReadFileArgs,
    RunArgs,
    WriteFileArgs,
    parse_arguments,
)
from harness.agent.workspace import PathError, Workspace
from harness.models.base import (
    BudgetExceededError,
    GenerationParams,
    Message,
    ModelError,
    ToolCall,
    Usage,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.sandbox import VENV_PYTHON, Mount, SandboxLimits, SandboxRequest
from harness.transcript.events import ReplyEvent, ToolEvent, TriggerEvent, UserEvent

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.sandbox import Sandbox
    from harness.transcript.writer import Transcript

#: Programs ``run`` accepts, and how each starts inside the sandbox.
ALLOWED_PROGRAMS: dict[str, list[str]] = {
    "ruff": ["/venv/bin/ruff"],
    "mypy": [VENV_PYTHON, "-m", "mypy"],
    "pytest": [VENV_PYTHON, "-m", "pytest"],
    "python": [VENV_PYTHON],
    "python3": [VENV_PYTHON],
}
_SHELL_TOKENS = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "&", "2>", "2>&1"})
#: Characters of a tool result the model sees at most (head and tail are kept).
MAX_TOOL_OUTPUT = 16_000
#: Characters of a file ``read_file`` returns at most.
MAX_READ_CHARS = 100_000
#: Largest file ``write_file`` accepts.
MAX_WRITE_BYTES = 512 * 1024
#: Replies without a tool call tolerated (each answered with a reminder) before stopping.
MAX_IDLE_REPLIES = 2
_SKILL_MENTION = re.compile(r"\.agents/skills/[\w.\-/]+")

StopReason = Literal[
    "finished",
    "no_tool_calls",
    "budget_turns",
    "budget_tokens",
    "budget_time",
    "budget_cost",
    "model_error",
]

TOOL_NAMES = tuple(tool.name for tool in TOOLS)

NO_TOOL_REMINDER = (
    "Continue by calling a tool: write the project's files with write_file, check them "
    "with run, and call finish when the project is complete."
)
TRUNCATED_REMINDER = (
    "Your reply was cut off at the output token limit. Write one file per write_file "
    "call and keep each reply shorter."
)


@dataclass
class ToolOutcome:
    """What one tool call produced."""

    content: str
    is_error: bool = False
    finished: bool = False


@dataclass
class AgentOutcome:
    """How the loop ended and what it cost.

    Attributes:
        stop_reason: Why it ended.
        detail: One line of detail (the budget or error message), if any.
        turns: Model replies received.
        usage: Tokens of every reply.
        cost_usd: Dollars of every reply (None when any reply had no price).
        triggers: Skill files the model opened, in order.
        files_written: Paths written with ``write_file``, in first-write order.
        commands: Commands run, with their exit status.
        summary: The ``finish`` summary.
        cached_replies: Replies served from the response cache.
    """

    stop_reason: StopReason
    detail: str | None = None
    turns: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0
    triggers: list[TriggerEvent] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    summary: str | None = None
    cached_replies: int = 0


def cap_output(text: str, limit: int = MAX_TOOL_OUTPUT) -> str:
    """Keep the head and the tail of a long text, saying how much was cut."""
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    omitted = len(text) - head - tail
    return f"{text[:head]}\n[... {omitted} characters omitted ...]\n{text[-tail:]}"


def parse_command(command: str) -> list[str]:
    """Turn a ``run`` command line into the sandbox's argv.

    Args:
        command: The command as the model wrote it.

    Returns:
        The argv, with the program mapped into the evaluation environment.

    Raises:
        ValueError: For an empty command, shell syntax or a program not allowed.
    """
    try:
        words = shlex.split(command)
    except ValueError as error:
        msg = f"cannot parse the command: {error}"
        raise ValueError(msg) from None
    if not words:
        msg = "the command is empty"
        raise ValueError(msg)
    shell = [word for word in words if word in _SHELL_TOKENS]
    if shell:
        msg = (
            f"there is no shell: {shell[0]!r} is not supported; run one command "
            "per call"
        )
        raise ValueError(msg)
    program = PurePosixPath(words[0]).name
    if program in {"uv", "uvx"} and len(words) > 2 and words[1] == "run":
        words = words[2:]
        program = PurePosixPath(words[0]).name
    if program not in ALLOWED_PROGRAMS:
        msg = (
            f"{program!r} is not available: only {', '.join(sorted(ALLOWED_PROGRAMS))} "
            "can be run"
        )
        raise ValueError(msg)
    return [*ALLOWED_PROGRAMS[program], *words[1:]]


class ToolBox:
    """Carries out the model's tool calls on a workspace, recording what matters."""

    def __init__(
        self,
        workspace: Workspace,
        sandbox: Sandbox | None,
        transcript: Transcript,
        *,
        command_limits: SandboxLimits | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """Prepare the tools.

        Args:
            workspace: Where files are read and written.
            sandbox: Where ``run`` executes (None: ``run`` reports that it cannot).
            transcript: Where trigger events go.
            command_limits: Limits of each ``run`` command.
            env: Variables for ``run`` commands (``DATABASE_URL``...).
        """
        self.workspace = workspace
        self.sandbox = sandbox
        self.transcript = transcript
        self.limits = command_limits or SandboxLimits(
            wall_seconds=120, output_bytes=1_000_000
        )
        self.env = env or {}
        self.triggers: list[TriggerEvent] = []
        self.files_written: list[str] = []
        self.commands: list[dict[str, Any]] = []

    def trigger(self, turn: int, rel: str, via: Literal["read_file", "run"]) -> None:
        """Record that the model opened ``rel`` (a workspace path) if it is a skill file."""
        inside = self.workspace.skill_path_of(rel)
        if inside is None or not inside:
            return
        event = TriggerEvent(
            turn=turn,
            path=inside,
            kind="skill_md" if inside == "SKILL.md" else "reference",
            via=via,
        )
        self.triggers.append(self.transcript.write(event))

    async def call(
        self, call: ToolCall, turn: int, time_left: float | None = None
    ) -> ToolOutcome:
        """Carry out one tool call; failures become error results the model can read.

        Args:
            call: The call.
            turn: The model turn that made it.
            time_left: Seconds left in the sample's time budget (bounds ``run``).

        Returns:
            The result.
        """
        args = call.arguments
        try:
            match call.name:
                case "list_files":
                    listed = parse_arguments(ListFilesArgs, args)
                    return self.list_files(listed.path or ".")
                case "read_file":
                    read = parse_arguments(ReadFileArgs, args)
                    return self.read_file(self._text(read.path, "path"), turn)
                case "write_file":
                    written = parse_arguments(WriteFileArgs, args)
                    return self.write_file(
                        self._text(written.path, "path"), written.content
                    )
                case "run":
                    command = parse_arguments(RunArgs, args).command
                    return await self.run(
                        self._text(command, "command"), turn, time_left
                    )
                case "finish":
                    return ToolOutcome("Finished.", finished=True)
                case _:
                    return ToolOutcome(
                        f"unknown tool {call.name!r}: use one of {', '.join(TOOL_NAMES)}",
                        is_error=True,
                    )
        except (PathError, ValueError) as error:
            return ToolOutcome(str(error), is_error=True)

    @staticmethod
    def _text(value: str, name: str) -> str:
        if not value.strip():
            msg = f"argument {name!r} is required and must be a string"
            raise ValueError(msg)
        return value

    def list_files(self, raw: str) -> ToolOutcome:
        """List files under a folder."""
        rel = self.workspace.relative(raw)
        files = self.workspace.list_files(rel)
        if not files:
            return ToolOutcome("(no files)")
        return ToolOutcome(cap_output("\n".join(files)))

    def read_file(self, raw: str, turn: int) -> ToolOutcome:
        """Read a file, recording a trigger event for a skill file."""
        rel = self.workspace.relative(raw)
        path = self.workspace.root / rel
        if path.is_dir():
            return ToolOutcome(
                f"{rel} is a folder: use list_files to see its files", is_error=True
            )
        if not path.is_file():
            return ToolOutcome(f"{rel} does not exist", is_error=True)
        data = path.read_bytes()
        self.trigger(turn, rel, "read_file")
        if b"\0" in data[:8192]:
            return ToolOutcome(f"{rel} is a binary file ({len(data)} bytes)")
        text = data.decode("utf-8", "replace")
        if len(text) > MAX_READ_CHARS:
            text = (
                text[:MAX_READ_CHARS]
                + f"\n[... truncated: {len(text) - MAX_READ_CHARS} more characters]"
            )
        return ToolOutcome(text)

    def write_file(self, raw: str, content: str) -> ToolOutcome:
        """Write a file (never inside the skill)."""
        rel = self.workspace.relative(raw)
        if rel == "." or raw.strip().endswith("/"):
            return ToolOutcome(f"{raw!r} is not a file path", is_error=True)
        if self.workspace.is_read_only(rel):
            return ToolOutcome(
                f"{rel} is inside .agents/, which is read-only", is_error=True
            )
        if PurePosixPath(rel).parts[0] == ".git":
            return ToolOutcome(f"{rel} is inside .git/, which is not writable", True)
        data = content.encode("utf-8")
        if len(data) > MAX_WRITE_BYTES:
            return ToolOutcome(
                f"{rel} is larger than {MAX_WRITE_BYTES // 1024} KiB", is_error=True
            )
        path = self.workspace.root / rel
        if path.is_dir():
            return ToolOutcome(f"{rel} is a folder", is_error=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        path.write_bytes(data)
        if rel not in self.files_written:
            self.files_written.append(rel)
        verb = "replaced" if existed else "created"
        return ToolOutcome(f"{verb} {rel} ({len(data)} bytes)")

    async def run(
        self, command: str, turn: int, time_left: float | None
    ) -> ToolOutcome:
        """Run a command in the sandbox over the workspace."""
        argv = parse_command(command)
        if self.sandbox is None:
            return ToolOutcome("commands cannot run here: no sandbox", is_error=True)
        for mention in _SKILL_MENTION.findall(command):
            self.trigger(turn, mention.rstrip("/"), "run")
        limits = self.limits
        if time_left is not None:
            wall = max(1.0, min(limits.wall_seconds, time_left))
            limits = limits.model_copy(update={"wall_seconds": wall})
        mounts = []
        skill = self.workspace.skill
        if skill is not None and (self.workspace.root / skill.workspace_dir).is_dir():
            # The skill stays read-only even for commands that write the workspace.
            mounts.append(
                Mount(
                    source=self.workspace.root / skill.workspace_dir,
                    target=PurePosixPath("/work") / skill.workspace_dir,
                )
            )
        request = SandboxRequest(
            argv=argv,
            workspace=self.workspace.root,
            workspace_writable=True,
            mounts=mounts,
            env={
                "PYTHONPATH": "/work/src:/work",
                "DATABASE_URL": "sqlite+aiosqlite:////tmp/app.db",
                **self.env,
            },
            limits=limits,
        )
        started = time.monotonic()
        result = await asyncio.to_thread(self.sandbox.run, request)
        stopped = result.describe_failure(limits)
        self.commands.append(
            {
                "turn": turn,
                "command": command,
                "returncode": result.returncode,
                "killed": result.killed,
                "duration_s": round(time.monotonic() - started, 3),
            }
        )
        output = result.stdout
        if result.stderr.strip():
            output = f"{output}\n[stderr]\n{result.stderr}" if output else result.stderr
        status = f"exit status {result.returncode}"
        if stopped:
            status += f" (stopped: {stopped})"
        return ToolOutcome(
            f"{status}\n{cap_output(output.strip())}".strip(),
            is_error=not result.ok,
        )


def _stop_from_budget(error: BudgetExceededError) -> StopReason:
    reasons: dict[str, StopReason] = {
        "turns": "budget_turns",
        "tokens": "budget_tokens",
        "time": "budget_time",
        "cost": "budget_cost",
    }
    return reasons[error.reason]


async def run_agent(
    model: Model,
    *,
    system: str,
    task: str,
    toolbox: ToolBox,
    params: GenerationParams,
    budget: Budget,
    transcript: Transcript,
) -> AgentOutcome:
    """Run the tool loop until ``finish``, silence, a budget or a model error.

    Args:
        model: The model.
        system: The system prompt.
        task: The first user message.
        toolbox: The tools, bound to the workspace and sandbox.
        params: Sampling parameters.
        budget: Turn, token, time and cost limits of the sample.
        transcript: Where every step is written.

    Returns:
        How it ended, what it cost, what it did.
    """
    tracker = BudgetTracker(budget)
    budgeted = BudgetedModel(model, tracker)
    messages = [Message(role="user", content=task)]
    transcript.write(UserEvent(content=task))
    outcome = AgentOutcome(stop_reason="finished")
    idle = 0
    priced = model.priced
    while True:
        try:
            reply = await budgeted.complete(system, messages, TOOLS, params)
        except BudgetExceededError as error:
            outcome.stop_reason = _stop_from_budget(error)
            outcome.detail = str(error)
            break
        except ModelError as error:
            outcome.stop_reason = "model_error"
            outcome.detail = str(error)
            break
        turn = tracker.turns
        priced = priced and reply.cost_usd is not None
        outcome.cached_replies += int(reply.cached)
        transcript.write(ReplyEvent(turn=turn, reply=reply))
        messages.append(
            Message(role="assistant", content=reply.text, tool_calls=reply.tool_calls)
        )
        if not reply.tool_calls:
            idle += 1
            if idle > MAX_IDLE_REPLIES:
                outcome.stop_reason = "no_tool_calls"
                outcome.detail = (
                    f"{idle} replies in a row without a tool call "
                    f"(last stop: {reply.stop_reason})"
                )
                break
            reminder = (
                TRUNCATED_REMINDER
                if reply.stop_reason == "max_tokens"
                else NO_TOOL_REMINDER
            )
            messages.append(Message(role="user", content=reminder))
            transcript.write(UserEvent(content=reminder))
            continue
        idle = 0
        finished = False
        for call in reply.tool_calls:
            started = time.monotonic()
            if finished:
                result = ToolOutcome("not run: finish was called before", True)
            else:
                result = await toolbox.call(call, turn, tracker.remaining_s())
            transcript.write(
                ToolEvent(
                    turn=turn,
                    call_id=call.id,
                    name=call.name,
                    arguments=call.arguments,
                    content=result.content,
                    is_error=result.is_error,
                    duration_s=round(time.monotonic() - started, 3),
                )
            )
            messages.append(
                Message(
                    role="tool",
                    tool_call_id=call.id,
                    content=result.content,
                    is_error=result.is_error,
                )
            )
            if result.finished:
                finished = True
                summary = call.arguments.get("summary")
                outcome.summary = summary if isinstance(summary, str) else None
        if finished:
            outcome.stop_reason = "finished"
            break
    outcome.turns = tracker.turns
    outcome.usage = tracker.usage
    outcome.cost_usd = round(tracker.cost_usd, 6) if priced else None
    outcome.triggers = list(toolbox.triggers)
    outcome.files_written = list(toolbox.files_written)
    outcome.commands = list(toolbox.commands)
    return outcome


__all__ = [
    "ALLOWED_PROGRAMS",
    "MAX_TOOL_OUTPUT",
    "TOOLS",
    "AgentOutcome",
    "StopReason",
    "ToolBox",
    "TriggerEvent",
    "cap_output",
    "parse_command",
    "run_agent",
]
