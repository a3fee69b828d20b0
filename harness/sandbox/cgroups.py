"""Per-command control groups: a process cap, a memory cap and an atomic whole-tree kill.

rlimits are per process, and root ignores RLIMIT_NPROC, so they can't bound a fork bomb or
many processes that each stay under the address-space limit. Each sandboxed command therefore
gets its own cgroups, created as children of the harness's own cgroups (so the limits of
whatever runs the harness stay in force above them) and removed when the command ends:

* cgroup v1 ``pids`` (``pids.max``) and ``memory`` (``memory.limit_in_bytes``), or the same
  controllers in cgroup v2 (``pids.max``, ``memory.max``) when they are delegated to us;
* cgroup v2 ``cgroup.kill``, which needs no controller, to kill the whole tree at once at a
  timeout and when the main process ends (a double-forked daemon included).

Where cgroups cannot be used (not root, no delegation, a read-only ``/sys/fs/cgroup``) the
command still runs, with rlimits only, and :attr:`CgroupSupport.note` says what is missing.
The launcher is moved into the cgroups before it executes anything
(:class:`~harness.sandbox.process.RunningProcess`), so no child can be forked outside them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from harness.sandbox.types import SandboxLimits

LimitEvent = Literal["memory", "processes"]

#: Name prefix of every cgroup the harness creates: ``skill-harness-<pid>-<n>-<random>``.
PREFIX = "skill-harness-"
_NAME = re.compile(rf"^{PREFIX}(\d+)-")
_MIB = 1024 * 1024
_COUNTER = itertools.count()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class CgroupSupport:
    """Where per-command cgroups can be created on this machine, found once per process.

    Attributes:
        pids: Parent folder for per-command process caps (v1 ``pids`` or v2), or None.
        memory: Parent folder for per-command memory caps (v1 ``memory`` or v2), or None.
        unified: Parent folder in the v2 hierarchy, for ``cgroup.kill``, or None.
        note: What is missing and what that means, or None when everything works.
    """

    pids: Path | None = None
    memory: Path | None = None
    unified: Path | None = None
    note: str | None = None

    @property
    def available(self) -> bool:
        """Whether at least one kind of per-command cgroup can be created."""
        return any((self.pids, self.memory, self.unified))

    def describe(self) -> str:
        """One line saying which cgroup features each command gets."""
        parts = []
        if self.pids is not None:
            parts.append("process cap")
        if self.memory is not None:
            parts.append("memory cap")
        if self.unified is not None and _has_kill(self.unified):
            parts.append("tree kill")
        if not parts:
            return "no cgroups"
        return "cgroups: " + ", ".join(parts)


def _has_kill(parent: Path) -> bool:
    """Whether children of a v2 cgroup offer ``cgroup.kill`` (kernel 5.14 and later)."""
    return _probe_child(parent, "cgroup.kill")


def _probe_child(parent: Path, wanted: str) -> bool:
    probe = parent / f"{PREFIX}{os.getpid()}-probe-{uuid.uuid4().hex[:8]}"
    try:
        probe.mkdir()
    except OSError:
        return False
    try:
        return (probe / wanted).exists()
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per v1 controller, and ``""`` for the v2 hierarchy."""
    paths: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def _mounts() -> list[tuple[str, Path, str, set[str]]]:
    """Cgroup mounts as (root inside the hierarchy, mount point, fstype, options)."""
    found = []
    with contextlib.suppress(OSError):
        for line in (
            Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
        ):
            before, _, after = line.partition(" - ")
            fields, tail = before.split(), after.split()
            if len(fields) < 5 or len(tail) < 3 or tail[0] not in {"cgroup", "cgroup2"}:
                continue
            mount_point = Path(fields[4].replace("\\040", " "))
            found.append((fields[3], mount_point, tail[0], set(tail[2].split(","))))
    return found


def _own_dir(mount_root: str, mount_point: Path, own: str) -> Path | None:
    """Our own cgroup folder inside a mounted hierarchy, if the mount shows it."""
    root = mount_root.rstrip("/")
    if own != root and not own.startswith(root + "/"):
        return None
    directory = mount_point / own[len(root) :].lstrip("/")
    return directory if directory.is_dir() else None


def _writable(directory: Path) -> bool:
    return _probe_child(directory, "cgroup.procs")


def _sweep(parent: Path) -> None:
    """Remove cgroups left by harness processes that died before cleaning up."""
    with contextlib.suppress(OSError):
        for child in parent.iterdir():
            match = _NAME.match(child.name)
            if match is None or _pid_alive(int(match.group(1))):
                continue
            _kill_members(child)
            _remove_dir(child)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@cache
def detect() -> CgroupSupport:
    """Find where this process may create per-command cgroups (cached per process).

    Returns:
        What is available, with a note naming what is missing.
    """
    own = _own_paths()
    v1: dict[str, Path] = {}
    v2_dir: Path | None = None
    for mount_root, mount_point, fstype, options in _mounts():
        if fstype == "cgroup2" and "" in own:
            found = _own_dir(mount_root, mount_point, own[""])
            if found is not None and v2_dir is None:
                v2_dir = found
            continue
        for controller in ("pids", "memory"):
            if controller in options and controller in own and controller not in v1:
                found = _own_dir(mount_root, mount_point, own[controller])
                if found is not None:
                    v1[controller] = found
    usable_v2 = v2_dir if v2_dir is not None and _writable(v2_dir) else None
    delegated: set[str] = set()
    if usable_v2 is not None:
        with contextlib.suppress(OSError):
            delegated = set(
                (usable_v2 / "cgroup.subtree_control")
                .read_text(encoding="utf-8")
                .split()
            )
    chosen: dict[str, Path | None] = {}
    for controller in ("pids", "memory"):
        if controller in v1 and _writable(v1[controller]):
            chosen[controller] = v1[controller]
        elif controller in delegated:
            chosen[controller] = usable_v2
        else:
            chosen[controller] = None
    for directory in {
        *(d for d in chosen.values() if d),
        *([usable_v2] if usable_v2 else []),
    }:
        _sweep(directory)
    missing = []
    if chosen["pids"] is None:
        missing.append("no process cap (root ignores RLIMIT_NPROC)")
    if chosen["memory"] is None:
        missing.append("memory capped per process only (RLIMIT_AS)")
    if usable_v2 is None or not _has_kill(usable_v2):
        missing.append(
            "no atomic tree kill (process-group and PID-namespace kill only)"
        )
    note = None
    if missing:
        how = (
            "run as root or delegate a cgroup to this user"
            if os.geteuid() != 0
            else "mount cgroup v1 pids/memory or delegate v2 controllers"
        )
        note = f"cgroups unavailable or partial: {'; '.join(missing)}; to fix, {how}"
    return CgroupSupport(
        pids=chosen["pids"], memory=chosen["memory"], unified=usable_v2, note=note
    )


def _kill_members(directory: Path) -> None:
    """SIGKILL every process in a cgroup, over and over until it is empty (v1 fallback)."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        try:
            members = (directory / "cgroup.procs").read_text(encoding="utf-8").split()
        except OSError:
            return
        if not members:
            return
        for member in members:
            with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
                os.kill(int(member), signal.SIGKILL)
        time.sleep(0.005)


def _remove_dir(directory: Path) -> bool:
    """Rmdir a cgroup, waiting briefly for its dying members to leave it."""
    deadline = time.monotonic() + 2.0
    while True:
        try:
            directory.rmdir()
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        else:
            return True


def _read_counter(path: Path, key: str) -> int:
    """The number after ``key`` in a flat-keyed cgroup file, 0 when absent."""
    with contextlib.suppress(OSError, ValueError):
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    return 0


@dataclass
class CommandCgroups:
    """The cgroups of one command: create before launch, :meth:`close` after.

    Attributes:
        dirs: Every folder created (one per hierarchy), in creation order.
        pids_dir: The folder whose ``pids.max`` caps the command, if any.
        memory_dir: The folder whose memory limit caps the command, if any.
        unified_dir: The v2 folder used for ``cgroup.kill``, if any.
        left_behind: Folders that could not be removed (reported in notes).
    """

    dirs: list[Path] = field(default_factory=list)
    pids_dir: Path | None = None
    memory_dir: Path | None = None
    unified_dir: Path | None = None
    left_behind: list[Path] = field(default_factory=list)
    _closed: bool = False

    @classmethod
    def create(cls, limits: SandboxLimits, support: CgroupSupport) -> CommandCgroups:
        """Create and configure the command's cgroups under our own.

        Args:
            limits: Supplies ``processes`` and ``memory_mb``.
            support: Where cgroups can be made (see :func:`detect`).

        Returns:
            The created cgroups (possibly none, when nothing is available).
        """
        with _LOCK:
            name = f"{PREFIX}{os.getpid()}-{next(_COUNTER)}-{uuid.uuid4().hex[:8]}"
        groups = cls()
        try:
            made: dict[Path, Path] = {}
            for parent in (support.pids, support.memory, support.unified):
                if parent is not None and parent not in made:
                    directory = parent / name
                    directory.mkdir()
                    made[parent] = directory
                    groups.dirs.append(directory)
            if support.pids is not None:
                groups.pids_dir = made[support.pids]
                (groups.pids_dir / "pids.max").write_text(str(limits.processes))
            if support.memory is not None:
                groups.memory_dir = made[support.memory]
                groups._set_memory(limits.memory_mb * _MIB)
            if support.unified is not None:
                groups.unified_dir = made[support.unified]
        except OSError:
            groups.close()
            raise
        return groups

    def _set_memory(self, limit: int) -> None:
        assert self.memory_dir is not None  # noqa: S101 - set just before
        v2 = self.memory_dir / "memory.max"
        if v2.exists():
            v2.write_text(str(limit))
            swap = self.memory_dir / "memory.swap.max"
            if swap.exists():
                swap.write_text("0")
            return
        (self.memory_dir / "memory.limit_in_bytes").write_text(str(limit))
        swap = self.memory_dir / "memory.memsw.limit_in_bytes"
        with contextlib.suppress(OSError):  # only with swap accounting
            if swap.exists():
                swap.write_text(str(limit))

    @property
    def procs_files(self) -> list[Path]:
        """The ``cgroup.procs`` files the launcher writes its PID into."""
        return [directory / "cgroup.procs" for directory in self.dirs]

    def members(self) -> int:
        """How many processes are still in the command's cgroups."""
        counts = []
        for directory in self.dirs:
            with contextlib.suppress(OSError):
                text = (directory / "cgroup.procs").read_text(encoding="utf-8")
                counts.append(len(text.split()))
        return max(counts, default=0)

    def kill(self) -> None:
        """Kill every process in the command's cgroups at once (or one by one on v1)."""
        if self.unified_dir is not None:
            with contextlib.suppress(OSError):
                (self.unified_dir / "cgroup.kill").write_text("1")
                return
        for directory in self.dirs:
            _kill_members(directory)

    def events(self) -> list[LimitEvent]:
        """The limits the kernel enforced during the command (OOM kills, refused forks)."""
        found: list[LimitEvent] = []
        if self.memory_dir is not None:
            oom = _read_counter(self.memory_dir / "memory.oom_control", "oom_kill")
            oom += _read_counter(self.memory_dir / "memory.events", "oom_kill")
            if oom:
                found.append("memory")
        if self.pids_dir is not None and _read_counter(
            self.pids_dir / "pids.events", "max"
        ):
            found.append("processes")
        return found

    def peak_memory_mb(self) -> float | None:
        """The command's peak memory use in MiB, when the kernel reports it."""
        if self.memory_dir is None:
            return None
        for name in ("memory.max_usage_in_bytes", "memory.peak"):
            with contextlib.suppress(OSError, ValueError):
                return int((self.memory_dir / name).read_text(encoding="utf-8")) / _MIB
        return None

    def close(self) -> None:
        """Kill whatever is left and remove every cgroup created (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.kill()
        for directory in reversed(self.dirs):
            _kill_members(directory)
            if not _remove_dir(directory):
                self.left_behind.append(directory)


__all__ = ["PREFIX", "CgroupSupport", "CommandCgroups", "LimitEvent", "detect"]
