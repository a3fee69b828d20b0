"""What a sandboxed command is asked to do, within which limits, and what came of it."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Where the sample's workspace appears inside the sandbox.
WORK = PurePosixPath("/work")
#: Where the shared evaluation environment appears inside the sandbox.
VENV = PurePosixPath("/venv")
#: The evaluation environment's interpreter, as every sandboxed command names it.
VENV_PYTHON = str(VENV / "bin" / "python")
#: How the harness starts that interpreter for a tool of its own (mypy, pytest, the app
#: server): ``-P`` puts neither the working directory (``python -m``) nor the script's
#: folder on ``sys.path``, ``-s`` leaves out the user's site folder, and the harness never
#: puts a project folder on ``PYTHONPATH``: no project file (``mypy.py``, ``sitecustomize.py``,
#: a ``json.py``) can be imported before the tool is. Not ``-I``: it would also drop
#: ``PYTHONHASHSEED``, and the environment is the harness's own allow-list anyway.
TOOL_PYTHON: tuple[str, ...] = (VENV_PYTHON, "-s", "-P")
#: Variables of a command an agent runs in a generated project: imports resolve from
#: ``src/`` or the project root, and the app's database is a scratch SQLite file.
AGENT_PROJECT_ENV: dict[str, str] = {
    "PYTHONPATH": f"{WORK}/src:{WORK}",
    "DATABASE_URL": "sqlite+aiosqlite:////tmp/app.db",
}
#: A per-command writable folder owned by the harness, for reports the harness reads back.
OUT = PurePosixPath("/out")
#: Read-only folder with the harness's own helper scripts (pytest plugin, app server).
HELPERS = PurePosixPath("/harness")

#: The harness's one rule for what a secret's name looks like.
SECRET_NAME = re.compile(
    r"(API_?KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|^AWS_|^GH_|^GITHUB_|^HARNESS_|^ANTHROPIC|^OPENAI)",
    re.IGNORECASE,
)
#: Shorter values of ordinary host variables (``1``, ``C.UTF-8``) may be repeated freely.
_SHARED_VALUE_MIN = 8


def harness_values() -> dict[str, str]:
    """Values of the harness's own environment that may never be passed into a sandbox.

    Every value of a variable whose name looks like a secret (:data:`SECRET_NAME`), and
    every other value of at least 8 characters, mapped to the variable holding it.
    """
    return {
        value: name
        for name, value in os.environ.items()
        if value and (SECRET_NAME.search(name) or len(value) >= _SHARED_VALUE_MIN)
    }


#: The value a coding agent is given instead of an API key (the gateway holds the real one).
PLACEHOLDER_KEY = "harness-gateway-placeholder"
#: Where the model gateway's socket folder appears inside the sandbox.
GATEWAY = PurePosixPath("/gateway")

KillReason = Literal[
    "timeout", "output", "memory", "processes", "cpu", "file_size", "signal"
]
#: A limit the kernel enforced (an OOM kill, a refused fork), whether or not it ended the command.
LimitHit = Literal["memory", "processes"]


class SandboxLimits(BaseModel):
    """Resource limits for one sandboxed command. Every field has a sane default.

    Attributes:
        wall_seconds: Wall-clock limit; the whole process tree is killed when it passes.
        cpu_seconds: CPU-time limit per process (RLIMIT_CPU).
        memory_mb: Memory limit in MiB (address space per process; a cgroup where available).
        processes: Maximum number of processes and threads in the sandbox.
        file_size_mb: Largest file a process may write (RLIMIT_FSIZE).
        open_files: Maximum open file descriptors per process (RLIMIT_NOFILE).
        output_bytes: Bytes kept of stdout and of stderr each; more kills the command.
        tmp_mb: Size of the private ``/tmp`` inside the sandbox.
        shm_mb: Size of the private ``/dev/shm`` inside the sandbox.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    wall_seconds: float = Field(default=300.0, gt=0)
    cpu_seconds: int = Field(default=600, gt=0)
    memory_mb: int = Field(default=4096, ge=64)
    processes: int = Field(default=256, ge=8)
    file_size_mb: int = Field(default=256, ge=1)
    open_files: int = Field(default=1024, ge=16)
    output_bytes: int = Field(default=2_000_000, ge=1024)
    tmp_mb: int = Field(default=512, ge=16)
    shm_mb: int = Field(default=16, ge=1)


class Mount(BaseModel):
    """A host path made visible inside the sandbox.

    Attributes:
        source: The host path.
        target: Where it appears inside the sandbox.
        writable: Whether the sandbox may write to it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Path
    target: PurePosixPath
    writable: bool = False


class SandboxRequest(BaseModel):
    """One command to run over a workspace.

    Attributes:
        argv: The command; paths refer to the sandbox's view (``/work``, ``/venv``...).
        workspace: Host folder seen as ``/work``.
        workspace_writable: Whether the command may change the workspace.
        mounts: Further host paths to expose.
        env: Variables added to the sandbox's allow-listed environment.
        cwd: Working directory inside the sandbox.
        limits: Resource limits.
        stdin: Bytes fed to the command's standard input.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    argv: list[str] = Field(min_length=1)
    workspace: Path
    workspace_writable: bool = False
    mounts: list[Mount] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    cwd: PurePosixPath = WORK
    limits: SandboxLimits = Field(default_factory=SandboxLimits)
    stdin: bytes | None = None

    @field_validator("env")
    @classmethod
    def _no_secrets(cls, env: dict[str, str]) -> dict[str, str]:
        """Refuse any value the harness's own environment holds (a key, a token...).

        A task's declared literal (``JWT_SECRET = "acceptance-key"``) crosses, whatever
        its name; a value copied from the harness's environment never does.
        """
        own = harness_values()
        leaked = sorted(
            f"{key} (the value of ${own[value]})"
            for key, value in env.items()
            if value in own
        )
        if leaked:
            msg = (
                f"refusing to pass values of the harness's own environment into a sandbox: "
                f"{', '.join(leaked)}: give a literal value instead"
            )
            raise ValueError(msg)
        return env


class SandboxResult(BaseModel):
    """What a sandboxed command did.

    Attributes:
        returncode: Exit status; negative for a signal; None if it never started.
        stdout: Captured standard output, decoded, at most ``limits.output_bytes``.
        stderr: Captured standard error, likewise capped.
        duration_s: Wall time from launch to the last process's end.
        killed: Why the harness or the kernel stopped it early, if it did. A command that
            failed after hitting the memory or process limit is reported as ``memory`` or
            ``processes`` even when the wall clock finally stopped it (a fork bomb spinning
            at the process cap, for example).
        backend: The sandbox backend that ran it.
        limits_hit: Limits the kernel enforced during the run (from the command's cgroups),
            even when the command coped with them and exited 0.
        peak_memory_mb: Peak memory of the whole process tree, when cgroups measure it.
        leftover_processes: Processes still running when the main one ended (daemons,
            forgotten children); the harness killed them.
        notes: What the sandbox could not enforce on this run (no cgroups...), and cleanup
            problems; empty when everything worked.
    """

    model_config = ConfigDict(extra="forbid")

    returncode: int | None
    stdout: str
    stderr: str
    duration_s: float
    killed: KillReason | None = None
    backend: str
    limits_hit: list[LimitHit] = Field(default_factory=list)
    peak_memory_mb: float | None = None
    leftover_processes: int = 0
    notes: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the command exited 0 on its own."""
        return self.returncode == 0 and self.killed is None

    def describe_failure(self, limits: SandboxLimits) -> str | None:
        """One line saying why the command was stopped, or None if it ended on its own.

        Args:
            limits: The limits the command ran under, to quote them.

        Returns:
            A human-readable reason, or None.
        """
        match self.killed:
            case None:
                return None
            case "timeout":
                return f"timed out after {limits.wall_seconds:g} s (wall clock)"
            case "output":
                return f"printed more than {limits.output_bytes} bytes (output cap)"
            case "memory":
                return f"ran out of memory (limit {limits.memory_mb} MiB)"
            case "processes":
                return f"hit the limit of {limits.processes} processes and threads (process cap)"
            case "cpu":
                return f"used more than {limits.cpu_seconds} s of CPU (CPU limit)"
            case "file_size":
                return f"wrote a file over {limits.file_size_mb} MiB (file-size limit)"
            case "signal":
                return f"killed by signal {-(self.returncode or 0)}"
