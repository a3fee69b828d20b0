"""The one door through which project code runs: every check goes through :class:`Sandbox`.

A :class:`Sandbox` runs a :class:`SandboxRequest` (a command over a workspace) under one backend:
``bwrap`` (namespaces: no network, read-only system, private /tmp and PIDs, throwaway HOME,
allow-listed environment, no capabilities) or ``none`` (an explicit opt-in: rlimits, a scrubbed
environment and a process-group kill only). Either way the command has a wall-clock limit that
kills its whole process tree, its captured output is capped, and where the machine allows it
gets its own cgroups (process cap, memory cap for the whole tree, atomic tree kill). What each
layer stops, and what none of them does: ``docs/threat-model.md``.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from typing import TYPE_CHECKING, Literal

from harness.errors import SandboxUnavailableError
from harness.safefs import remove_tree
from harness.sandbox.backends import Backend, BwrapBackend, UnsandboxedBackend
from harness.sandbox.cgroups import CgroupSupport, CommandCgroups, detect
from harness.sandbox.models import (
    AGENT_PROJECT_ENV,
    HELPERS,
    OUT,
    TOOL_PYTHON,
    VENV,
    VENV_PYTHON,
    WORK,
    KillReason,
    LimitHit,
    Mount,
    SandboxLimits,
    SandboxRequest,
    SandboxResult,
)
from harness.sandbox.process import RunningProcess, rlimits_for, user_tasks

if TYPE_CHECKING:
    from pathlib import Path

    from harness.sandbox.backends import Launch

SandboxKind = Literal["bwrap", "none"]
#: How long processes may take to leave once the main one ended before they count as left.
_DRAIN_SECONDS = 0.1

UNSANDBOXED_WARNING = (
    "WARNING: --sandbox none runs untrusted generated code directly on this machine, with only "
    "rlimits, a scrubbed environment and a process-group kill (plus cgroup caps where "
    "available). It can read your files, other processes' API keys and reach the network. "
    "Use it only on a throwaway machine (see docs/threat-model.md)."
)


class SandboxedProcess:
    """A sandboxed command running in the background (an app server, for example).

    Besides its backend's confinement, the command gets its own cgroups where the machine
    allows (:mod:`harness.sandbox.cgroups`): a process cap, a memory cap for the whole tree,
    and a kill of every process it started, at a timeout and as soon as the main one ends.
    """

    def __init__(
        self,
        backend: Backend,
        request: SandboxRequest,
        launch: Launch,
        support: CgroupSupport | None = None,
    ) -> None:
        """Start the command described by ``launch``.

        Args:
            backend: The backend that prepared it.
            request: The request, for its limits.
            launch: The concrete command line.
            support: Where per-command cgroups can be created; None for none.
        """
        self._backend = backend
        self._request = request
        self._launch = launch
        self._notes: list[str] = []
        self._leftover = 0
        self._cgroups: CommandCgroups | None = None
        if support is not None and support.available:
            try:
                self._cgroups = CommandCgroups.create(request.limits, support)
            except OSError as error:
                self._notes.append(f"could not create this command's cgroups: {error}")
        if support is not None and support.note:
            self._notes.append(support.note)
        try:
            self._process = RunningProcess(
                launch.argv,
                env=launch.env,
                cwd=launch.cwd,
                limits=request.limits,
                stdin=request.stdin,
                rlimits=rlimits_for(request.limits, nproc=self._nproc(launch)),
                cgroup_procs=self._cgroups.procs_files if self._cgroups else (),
                kill_tree=self._cgroups.kill if self._cgroups is not None else None,
                after_exit=self._count_leftovers,
                options=launch.options,
                argv0=launch.argv0,
            )
        except BaseException:
            self._cleanup()
            raise
        for problem in self._process.join_errors:
            self._notes.append(f"could not move the command into a cgroup: {problem}")
        self._result: SandboxResult | None = None

    def _nproc(self, launch: Launch) -> int | None:
        """RLIMIT_NPROC for a non-root launch without a pids cgroup, else None."""
        if not launch.count_processes or (
            self._cgroups is not None and self._cgroups.pids_dir is not None
        ):
            return None
        return user_tasks(os.getuid()) + self._request.limits.processes

    def _count_leftovers(self) -> None:
        """Count what outlived the main process, after a short grace for dying processes.

        bwrap's launcher can report the end before the namespace's init (and with it every
        process of the namespace, daemons included) has finished exiting.
        """
        if self._cgroups is None:
            return
        deadline = time.monotonic() + _DRAIN_SECONDS
        while (members := self._cgroups.members()) and time.monotonic() < deadline:
            time.sleep(0.002)
        self._leftover = members

    def _cleanup(self) -> None:
        if self._cgroups is not None:
            self._cgroups.close()
            if self._cgroups.left_behind:
                names = ", ".join(map(str, self._cgroups.left_behind))
                self._notes.append(f"could not remove cgroups: {names}")
        if self._launch.scratch is not None:
            remove_tree(self._launch.scratch)

    @property
    def pid(self) -> int:
        """The host PID of the launched process (the launcher, for bwrap)."""
        return self._process.pid

    def alive(self) -> bool:
        """Whether the command is still running."""
        return self._process.poll() is None

    def wait(self) -> SandboxResult:
        """Wait for the end (at most the wall-clock limit) and return what happened."""
        if self._result is None:
            returncode, killed, duration = self._process.wait()
            stdout, stderr = self._process.output()
            hits: list[LimitHit] = []
            peak = None
            if self._cgroups is not None:
                hits = self._cgroups.events()
                peak = self._cgroups.peak_memory_mb()
            self._cleanup()
            if self._leftover:
                self._notes.append(
                    f"killed {self._leftover} process(es) still running after the command ended"
                )
            self._result = SandboxResult(
                returncode=returncode,
                stdout=stdout,
                stderr=stderr,
                duration_s=duration,
                killed=_kill_reason(
                    killed, returncode, stderr, hits, measured=self._cgroups is not None
                ),
                backend=self._backend.name,
                limits_hit=hits,
                peak_memory_mb=peak,
                leftover_processes=self._leftover,
                notes=self._notes,
            )
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


def _kill_reason(
    killed: KillReason | None,
    returncode: int,
    stderr: str,
    hits: list[LimitHit],
    *,
    measured: bool,
) -> KillReason | None:
    """Why a command was stopped, root cause first.

    The output cap is always its own reason. Otherwise a command that failed (or was
    timed out) after the kernel enforced the memory or process cap is reported as that cap:
    the timeout of a fork bomb spinning at the cap is a symptom, not the cause.
    """
    if killed == "output":
        return killed
    failed = killed is not None or returncode != 0
    if failed and "memory" in hits:
        return "memory"
    if failed and "processes" in hits:
        return "processes"
    if killed is not None:
        return killed
    return _kernel_reason(returncode, stderr, measured=measured)


def _kernel_reason(
    returncode: int, stderr: str, *, measured: bool = False
) -> Literal["memory", "processes", "cpu", "file_size", "signal"] | None:
    """Why the kernel stopped a command, read from its status and last words.

    Args:
        returncode: The exit status (bwrap reports a signal N as 128 + N).
        stderr: What the command printed last.
        measured: Whether cgroups counted refused forks; if not, Python's error for a
            refused fork or thread is taken as the process cap's mark.
    """
    tail = stderr[-2000:]
    if "MemoryError" in tail or (
        returncode in (-9, 137) and "Cannot allocate memory" in tail
    ):
        return "memory"
    if returncode in (-24, 152):  # SIGXCPU, or bwrap's 128 + SIGXCPU
        return "cpu"
    if returncode in (-25, 153) or "File too large" in tail:  # SIGXFSZ / EFBIG
        return "file_size"
    if not measured and returncode != 0 and _REFUSED_FORK.search(tail):
        return "processes"
    if returncode < 0:
        return "signal"
    return None


#: Python's words when the kernel refuses a new process or thread (EAGAIN from fork/clone).
_REFUSED_FORK = re.compile(
    r"BlockingIOError: \[Errno 11\] Resource temporarily unavailable|can't start new thread"
)


class Sandbox:
    """Runs commands over workspaces under one backend; the harness's only way to run code."""

    def __init__(self, backend: Backend, cgroups: CgroupSupport | None = None) -> None:
        """Wrap a prepared backend.

        Args:
            backend: The confinement technology to use.
            cgroups: Where per-command cgroups can be made; found on this machine when
                None. Pass ``CgroupSupport()`` to run without cgroups.
        """
        self.backend = backend
        self.cgroups = detect() if cgroups is None else cgroups

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
        """The backend, its version and its cgroup features, as recorded in every score."""
        return f"{self.backend.describe()}; {self.cgroups.describe()}"

    def spawn(self, request: SandboxRequest) -> SandboxedProcess:
        """Start a command in the background.

        Args:
            request: What to run.

        Returns:
            A handle to wait for or stop it.
        """
        return SandboxedProcess(
            self.backend, request, self.backend.prepare(request), self.cgroups
        )

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
    "AGENT_PROJECT_ENV",
    "HELPERS",
    "OUT",
    "TOOL_PYTHON",
    "UNSANDBOXED_WARNING",
    "VENV",
    "VENV_PYTHON",
    "WORK",
    "CgroupSupport",
    "Mount",
    "Sandbox",
    "SandboxKind",
    "SandboxLimits",
    "SandboxRequest",
    "SandboxResult",
    "SandboxUnavailableError",
    "SandboxedProcess",
]
