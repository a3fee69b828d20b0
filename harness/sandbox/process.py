"""Launch a command with rlimits, capped output and a wall clock that kills the whole tree."""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from harness.sandbox.models import KillReason, SandboxLimits

_CHUNK = 65536
_MIB = 1024 * 1024


def rlimits_for(
    limits: SandboxLimits, *, nproc: int | None = None
) -> list[tuple[int, int, int]]:
    """The rlimits (resource, soft, hard) that apply ``limits`` to one process.

    The CPU limit's hard value is one second above the soft one, so the kernel sends
    SIGXCPU (reported as ``cpu``) before it would send an anonymous SIGKILL.

    Args:
        limits: The limits to apply.
        nproc: RLIMIT_NPROC to set, or None for none. Root ignores it, and otherwise it
            counts every process and thread of the user, so callers add the user's
            current count (:func:`user_tasks`) to ``limits.processes``.

    Returns:
        Triples for :func:`resource.prlimit`.
    """
    memory = limits.memory_mb * _MIB
    size = limits.file_size_mb * _MIB
    triples = [
        (resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1),
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_FSIZE, size, size),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
        (resource.RLIMIT_CORE, 0, 0),
    ]
    if nproc is not None:
        triples.append((resource.RLIMIT_NPROC, nproc, nproc))
    return triples


def user_tasks(uid: int) -> int:
    """How many processes and threads the user ``uid`` runs now (what RLIMIT_NPROC counts).

    A desktop user easily runs more threads than a sandbox's whole process budget, and
    RLIMIT_NPROC counts them all: without this base the sandbox could not even start.
    """
    total = 0
    with contextlib.suppress(OSError), os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                if entry.stat().st_uid != uid:
                    continue
                # procfs counts a task folder's links as 2 + its threads.
                tasks = Path("/proc", entry.name, "task").stat().st_nlink - 2
                total += max(1, tasks)
    return total


#: The launcher: waits for a first line on its standard input until the harness has moved it
#: into its cgroups and set its rlimits, then becomes the command, which reads the rest of
#: that input. ``read`` takes one byte at a time from a pipe, so nothing of the command's
#: input is consumed. EOF first (the harness died) means it never runs anything. The command
#: runs under the name given as ``$0`` (``exec -a``).
_LAUNCHER = 'read -r _ || exit 125; exec -a "$0" "$@"'
#: Stands, in a command line, for the descriptor from which the command reads its options
#: (see ``options`` of :class:`RunningProcess`).
OPTIONS_FD = "<options-fd>"
_GO = b"go\n"


@dataclass
class _CappedReader:
    stream: IO[bytes]
    cap: int
    on_overflow: Callable[[], None]
    data: bytearray = field(default_factory=bytearray)
    overflowed: bool = False

    def run(self) -> None:
        try:
            while chunk := self.stream.read1(_CHUNK):  # type: ignore[attr-defined]
                room = self.cap - len(self.data)
                if room > 0:
                    self.data.extend(chunk[:room])
                if len(chunk) > room and not self.overflowed:
                    self.overflowed = True
                    self.on_overflow()
        except (OSError, ValueError):
            return


@contextlib.contextmanager
def _options_fd(options: bytes | None) -> Iterator[int | None]:
    """An in-memory file holding ``options``, read from its start; None for no options."""
    if options is None:
        yield None
        return
    fd = os.memfd_create("sandbox-options")
    try:
        left = memoryview(options)
        while left:
            left = left[os.write(fd, left) :]
        os.lseek(fd, 0, os.SEEK_SET)
        yield fd
    finally:
        os.close(fd)


class RunningProcess:
    """A launched command: wait for it, or stop it, and read what it printed.

    The process starts in a new session, so the harness can signal its whole group; backends
    with a PID namespace make sure nothing escapes that group.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        cwd: str,
        limits: SandboxLimits,
        stdin: bytes | None,
        rlimits: Sequence[tuple[int, int, int]] = (),
        cgroup_procs: Sequence[Path] = (),
        kill_tree: Callable[[], None] | None = None,
        after_exit: Callable[[], None] | None = None,
        options: bytes | None = None,
        argv0: str | None = None,
    ) -> None:
        """Start ``argv``.

        Args:
            argv: The full command, limits prefix included.
            env: The complete environment of the launched process.
            cwd: Its working directory on the host.
            limits: Wall clock and output cap.
            stdin: Bytes to feed, or None for an empty stdin.
            rlimits: Limits set on the launcher (and so inherited by everything it starts)
                before it executes the command; see :func:`rlimits_for`.
            cgroup_procs: ``cgroup.procs`` files the launcher is moved into first. A failed
                move is recorded in :attr:`join_errors`; the command still runs.
            kill_tree: Kills every process of the command wherever it went (its cgroup),
                called with every kill of the process group.
            after_exit: Called once the main process has ended and before the leftovers of
                its group are killed (to count them, for example).
            options: Bytes the command reads from a file descriptor rather than its
                command line (bwrap's ``--args FD``); :data:`OPTIONS_FD` in ``argv`` is
                replaced by that descriptor's number.
            argv0: The name the command runs under (its ``argv[0]``); ``argv[0]`` if None.
        """
        self._limits = limits
        self._kill_tree = kill_tree
        self._after_exit = after_exit
        self._killed: KillReason | None = None
        self._lock = threading.Lock()
        #: Cgroups the launcher could not be moved into, with the error.
        self.join_errors: list[str] = []
        self.started = time.monotonic()
        # The launcher is a shell that waits on its stdin (not ``preexec_fn``, which may deadlock
        # after ``fork`` in a threaded harness, and not the ``prlimit`` binary, one more exec
        # per command): rlimits and cgroups are applied to it from here, then it execs.
        with _options_fd(options) as fd:
            command = [str(fd) if word == OPTIONS_FD else word for word in argv]
            self._proc = subprocess.Popen(  # noqa: S603 - argv is built by the harness, never a shell
                ["/bin/bash", "-c", _LAUNCHER, argv0 or command[0], *command],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=cwd,
                start_new_session=True,
                pass_fds=() if fd is None else (fd,),
            )
        gate = self._proc.stdin
        assert gate is not None  # noqa: S101 - set by PIPE above
        try:
            self._confine(rlimits, cgroup_procs)
            gate.write(_GO)
            gate.flush()
        except BaseException:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                gate.close()
            self._proc.wait()
            raise
        assert self._proc.stdout is not None  # noqa: S101 - set by PIPE above
        assert self._proc.stderr is not None  # noqa: S101 - set by PIPE above
        self._out = _CappedReader(
            self._proc.stdout, limits.output_bytes, self._overflow
        )
        self._err = _CappedReader(
            self._proc.stderr, limits.output_bytes, self._overflow
        )
        self._threads = [
            threading.Thread(target=reader.run, daemon=True)
            for reader in (self._out, self._err)
        ]
        for thread in self._threads:
            thread.start()
        if stdin is not None:
            with contextlib.suppress(BrokenPipeError, OSError):
                gate.write(stdin)
        with contextlib.suppress(BrokenPipeError, OSError):
            gate.close()

    def _confine(
        self, rlimits: Sequence[tuple[int, int, int]], cgroup_procs: Sequence[Path]
    ) -> None:
        pid = str(self._proc.pid)
        for procs in cgroup_procs:
            try:
                procs.write_text(pid, encoding="ascii")
            except OSError as error:
                self.join_errors.append(f"{procs.parent}: {error}")
        for which, soft, hard in rlimits:
            resource.prlimit(self._proc.pid, which, (soft, hard))

    @property
    def pid(self) -> int:
        """The host PID of the launched process (the sandbox launcher, for bwrap)."""
        return self._proc.pid

    def poll(self) -> int | None:
        """The exit status if the process has ended, else None."""
        return self._proc.poll()

    def _overflow(self) -> None:
        self.kill("output")

    def kill(self, reason: KillReason) -> None:
        """Kill the whole process group, remembering the first reason given.

        Args:
            reason: Why it is being stopped.
        """
        with self._lock:
            if self._killed is None and self._proc.poll() is None:
                self._killed = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        if self._kill_tree is not None:
            self._kill_tree()

    def _wait_exit(self, seconds: float) -> bool:
        """Block until the process ends or ``seconds`` pass; whether it ended.

        A pidfd wakes up the moment the process exits; ``Popen.wait(timeout=...)`` polls
        with sleeps that grow to 50 ms, which would add tens of ms to every short command.
        """
        if self._proc.poll() is not None:
            return True
        try:
            pidfd = os.pidfd_open(self._proc.pid)
        except (AttributeError, OSError):
            try:
                self._proc.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                return False
            return True
        try:
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            deadline = time.monotonic() + seconds
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return self._proc.poll() is not None
                with contextlib.suppress(InterruptedError):
                    if poller.poll(min(left, 3600.0) * 1000):
                        return True
        finally:
            os.close(pidfd)

    def wait(
        self, deadline_s: float | None = None
    ) -> tuple[int, KillReason | None, float]:
        """Wait for the end, killing the tree at the wall-clock limit.

        Args:
            deadline_s: Seconds to wait from launch; defaults to the wall-clock limit.

        Returns:
            The exit status, the kill reason (if any) and the duration in seconds.
        """
        limit = self._limits.wall_seconds if deadline_s is None else deadline_s
        remaining = max(0.0, limit - (time.monotonic() - self.started))
        if not self._wait_exit(remaining):
            self.kill("timeout")
        returncode = self._proc.wait()
        duration = time.monotonic() - self.started
        if self._after_exit is not None:
            self._after_exit()
        # Whatever the main process left behind in its group (and cgroup) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        if self._kill_tree is not None:
            self._kill_tree()
        for thread in self._threads:
            thread.join(timeout=2.0)
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        return returncode, self._killed, duration

    def output(self) -> tuple[str, str]:
        """Standard output and error captured so far, decoded leniently."""
        return (
            self._out.data.decode("utf-8", "replace"),
            self._err.data.decode("utf-8", "replace"),
        )
