"""Launch a command with rlimits, capped output and a wall clock that kills the whole tree."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from harness.sandbox.models import KillReason, SandboxLimits

_CHUNK = 65536
_MIB = 1024 * 1024


def prlimit_prefix(limits: SandboxLimits, *, count_processes: bool) -> list[str]:
    """The ``prlimit`` words that apply ``limits`` to the command that follows them.

    Using the ``prlimit`` binary rather than ``preexec_fn`` keeps the launch safe in a
    multi-threaded harness (``preexec_fn`` may deadlock after ``fork`` in threaded programs).

    Args:
        limits: The limits to apply.
        count_processes: Whether to set RLIMIT_NPROC (meaningless for root, and counted
            system-wide per user otherwise, so backends decide).

    Returns:
        The argv prefix, ending with ``--``.
    """
    words = [
        "prlimit",
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.memory_mb * _MIB}",
        f"--fsize={limits.file_size_mb * _MIB}",
        f"--nofile={limits.open_files}",
        "--core=0",
    ]
    if count_processes:
        words.append(f"--nproc={limits.processes}")
    words.append("--")
    return words


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
    ) -> None:
        """Start ``argv``.

        Args:
            argv: The full command, limits prefix included.
            env: The complete environment of the launched process.
            cwd: Its working directory on the host.
            limits: Wall clock and output cap.
            stdin: Bytes to feed, or None for an empty stdin.
        """
        self._limits = limits
        self._killed: KillReason | None = None
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self._proc = subprocess.Popen(  # noqa: S603 - argv is built by the harness, never a shell
            list(argv),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
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
        if stdin is not None and self._proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self._proc.stdin.write(stdin)
            with contextlib.suppress(BrokenPipeError, OSError):
                self._proc.stdin.close()

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
        try:
            returncode = self._proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            self.kill("timeout")
            returncode = self._proc.wait()
        duration = time.monotonic() - self.started
        # Whatever the main process left behind in its group goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)
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
