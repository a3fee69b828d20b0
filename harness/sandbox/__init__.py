"""The one door through which project code runs: every check goes through :class:`Sandbox`.

A :class:`Sandbox` runs a :class:`SandboxRequest` (a command over a workspace) under one backend:
``bwrap`` (namespaces: no network, read-only system, private /tmp and PIDs, throwaway HOME,
allow-listed environment) or ``none`` (an explicit opt-in: rlimits, a scrubbed environment and a
process-group kill only). Either way the command has a wall-clock limit that kills its whole
process tree and its captured output is capped.
"""

from __future__ import annotations

import contextlib
import shutil
from typing import TYPE_CHECKING, Literal

from harness.sandbox.backends import Backend, BwrapBackend, UnsandboxedBackend
from harness.sandbox.models import (
    HELPERS,
    OUT,
    VENV,
    WORK,
    Mount,
    SandboxLimits,
    SandboxRequest,
    SandboxResult,
)
from harness.sandbox.process import RunningProcess

if TYPE_CHECKING:
    from pathlib import Path

    from harness.sandbox.backends import Launch

SandboxKind = Literal["bwrap", "none"]

UNSANDBOXED_WARNING = (
    "WARNING: --sandbox none runs untrusted generated code directly on this machine, with only "
    "rlimits, a scrubbed environment and a process-group kill. It can read your files and reach "
    "the network. Use it only on a throwaway machine."
)


class SandboxedProcess:
    """A sandboxed command running in the background (an app server, for example)."""

    def __init__(
        self, backend: Backend, request: SandboxRequest, launch: Launch
    ) -> None:
        """Start the command described by ``launch``.

        Args:
            backend: The backend that prepared it.
            request: The request, for its limits.
            launch: The concrete command line.
        """
        self._backend = backend
        self._request = request
        self._launch = launch
        self._process = RunningProcess(
            launch.argv,
            env=launch.env,
            cwd=launch.cwd,
            limits=request.limits,
            stdin=request.stdin,
        )
        self._result: SandboxResult | None = None

    def alive(self) -> bool:
        """Whether the command is still running."""
        return self._process.poll() is None

    def wait(self) -> SandboxResult:
        """Wait for the end (at most the wall-clock limit) and return what happened."""
        if self._result is None:
            returncode, killed, duration = self._process.wait()
            stdout, stderr = self._process.output()
            self._result = SandboxResult(
                returncode=returncode,
                stdout=stdout,
                stderr=stderr,
                duration_s=duration,
                killed=killed or _kernel_reason(returncode, stderr),
                backend=self._backend.name,
            )
            if self._launch.scratch is not None:
                shutil.rmtree(self._launch.scratch, ignore_errors=True)
        return self._result

    def stop(self) -> SandboxResult:
        """Kill the command's whole tree now and return what happened."""
        if self._result is None and self.alive():
            self._process.kill("signal")
        result = self.wait()
        if result.killed == "signal":
            # Stopped on purpose by the harness: not a failure of the command.
            result = result.model_copy(update={"killed": None})
            self._result = result
        return result


def _kernel_reason(
    returncode: int, stderr: str
) -> Literal["memory", "cpu", "file_size", "signal"] | None:
    """Why the kernel stopped a command, read from its status and last words."""
    tail = stderr[-2000:]
    if (
        "MemoryError" in tail
        or returncode in (-9, 137)
        and "Cannot allocate memory" in tail
    ):
        return "memory"
    if returncode in (-24, 152):  # SIGXCPU, or bwrap's 128 + SIGXCPU
        return "cpu"
    if returncode in (-25, 153) or "File too large" in tail:  # SIGXFSZ / EFBIG
        return "file_size"
    if returncode < 0:
        return "signal"
    return None


class Sandbox:
    """Runs commands over workspaces under one backend; the harness's only way to run code."""

    def __init__(self, backend: Backend) -> None:
        """Wrap a prepared backend.

        Args:
            backend: The confinement technology to use.
        """
        self.backend = backend

    @classmethod
    def create(cls, kind: SandboxKind, *, venv: Path, helpers: Path) -> Sandbox:
        """Build the sandbox of the given kind for an evaluation environment.

        Args:
            kind: ``bwrap`` (isolated) or ``none`` (rlimits only, explicit opt-in).
            venv: The evaluation environment's virtual environment.
            helpers: The folder of helper scripts bound at ``/harness``.

        Returns:
            A ready sandbox.

        Raises:
            SandboxUnavailableError: When ``bwrap`` is asked for and cannot run here.
        """
        if kind == "bwrap":
            return cls(BwrapBackend(venv, helpers))
        return cls(UnsandboxedBackend(venv, helpers))

    @property
    def name(self) -> str:
        """The backend's short name (``bwrap`` or ``none``)."""
        return self.backend.name

    def describe(self) -> str:
        """The backend and its version, as recorded in every score."""
        return self.backend.describe()

    def spawn(self, request: SandboxRequest) -> SandboxedProcess:
        """Start a command in the background.

        Args:
            request: What to run.

        Returns:
            A handle to wait for or stop it.
        """
        return SandboxedProcess(self.backend, request, self.backend.prepare(request))

    def run(self, request: SandboxRequest) -> SandboxResult:
        """Run a command to its end, or to its limits.

        Args:
            request: What to run.

        Returns:
            What it printed, its status, and why it was stopped if it was.
        """
        process = self.spawn(request)
        try:
            return process.wait()
        finally:
            with contextlib.suppress(Exception):
                process.stop()


__all__ = [
    "HELPERS",
    "OUT",
    "UNSANDBOXED_WARNING",
    "VENV",
    "WORK",
    "Mount",
    "Sandbox",
    "SandboxKind",
    "SandboxLimits",
    "SandboxRequest",
    "SandboxResult",
    "SandboxedProcess",
]
