"""The builtin agent's tools over a workspace: files, and ``run`` in the sandbox.

:class:`ToolBox` carries out one tool call: ``list_files``, ``read_file`` and
``write_file`` on the workspace, ``run`` through :class:`harness.sandbox.Sandbox` with only
``ruff``, ``mypy``, ``pytest`` and ``python`` allowed and no shell, ``finish``. Reads of the
skill's files (``.agents/skills/<name>/``) are recorded as trigger events.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal

from harness.models.base import ToolCall
from harness.safefs import read_file
from harness.sandbox import (
    AGENT_PROJECT_ENV,
    VENV_PYTHON,
    SandboxLimits,
    SandboxRequest,
)
from harness.solvers.loop.tools import (
    TOOLS,
    ListFilesArgs,
    ReadFileArgs,
    RunArgs,
    WriteFileArgs,
    parse_arguments,
)
from harness.solvers.outcome import CommandRun
from harness.solvers.workspace import PathError, Workspace
from harness.transcript.events import TriggerEvent

if TYPE_CHECKING:
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
#: Bytes of a file ``read_file`` reads at most (a larger file is cut).
MAX_READ_BYTES = 4 * MAX_READ_CHARS
#: Largest file ``write_file`` accepts.
MAX_WRITE_BYTES = 512 * 1024
TOOL_NAMES = tuple(tool.name for tool in TOOLS)
_SKILL_MENTION = re.compile(r"\.agents/skills/[\w.\-/]+")


@dataclass
class ToolOutcome:
    """What one tool call produced."""

    content: str
    is_error: bool = False
    finished: bool = False


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


#: Limits of each ``run`` command the model asks for.
COMMAND_LIMITS = SandboxLimits(wall_seconds=120, output_bytes=1_000_000)


class ToolBox:
    """Carries out the model's tool calls on a workspace, recording what matters."""

    def __init__(
        self,
        workspace: Workspace,
        sandbox: Sandbox | None,
        transcript: Transcript,
        *,
        env: dict[str, str] | None = None,
    ) -> None:
        """Prepare the tools.

        Args:
            workspace: Where files are read and written.
            sandbox: Where ``run`` executes (None: ``run`` reports that it cannot).
            transcript: Where trigger events go.
            env: Variables for ``run`` commands (``DATABASE_URL``...).
        """
        self.workspace = workspace
        self.sandbox = sandbox
        self.transcript = transcript
        self.limits = COMMAND_LIMITS
        self.env = env or {}
        self.triggers: list[TriggerEvent] = []
        self.files_written: list[str] = []
        self.commands: list[CommandRun] = []

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
        data = self.workspace.skill_file(rel)
        if data is None:
            if path.is_dir():
                return ToolOutcome(
                    f"{rel} is a folder: use list_files to see its files", is_error=True
                )
            data = read_file(self.workspace.root, rel, limit=MAX_READ_BYTES)
            if data is None:
                return ToolOutcome(f"{rel} does not exist", is_error=True)
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
        # The skill, staged outside the workspace, is bound read-only at its place.
        placed = self.workspace.skill_mount
        mount = placed.mount() if placed is not None else None
        mounts = [mount] if mount is not None else []
        request = SandboxRequest(
            argv=argv,
            workspace=self.workspace.root,
            workspace_writable=True,
            mounts=mounts,
            env={**AGENT_PROJECT_ENV, **self.env},
            limits=limits,
        )
        started = time.monotonic()
        result = await asyncio.to_thread(self.sandbox.run, request)
        stopped = result.describe_failure(limits)
        self.commands.append(
            CommandRun(
                turn=turn,
                command=command,
                returncode=result.returncode,
                killed=result.killed,
                duration_s=round(time.monotonic() - started, 3),
            )
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


__all__ = [
    "ALLOWED_PROGRAMS",
    "MAX_READ_CHARS",
    "MAX_TOOL_OUTPUT",
    "MAX_WRITE_BYTES",
    "ToolBox",
    "ToolOutcome",
    "cap_output",
    "parse_command",
]
