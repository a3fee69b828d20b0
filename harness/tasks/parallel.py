"""Validate many tasks in parallel slots (``harness tasks validate --jobs N``).

A slot validates one task at a time, step after step; slots run side by side in threads
(the work happens in sandboxed subprocesses, so threads suffice). What keeps two slots
apart:

- every scratch folder (scoring context, empty project, mutant copy, the sandbox's own)
  is a fresh ``mkdtemp``;
- every command's cgroups are named ``skill-harness-<pid>-<counter>-<random>`` under a
  lock (``harness.sandbox.cgroups``);
- the app listens on a unix socket in its own scratch folder, and a task's fake services
  on TCP ports inside the app's sandbox, whose network namespace is its own under bwrap;
  without a sandbox (``--sandbox none``) they share the host's loopback, so two tasks
  whose services use the same port never run at once;
- the shared mypy cache is warmed once, before any slot starts, so no two slots race to
  build it.

Tasks start longest first (by the number of app runs their validation needs), which keeps
the slowest task from starting last.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

from harness.safefs import scratch_folder
from harness.scoring.checks.typecheck import ensure_warm_cache
from harness.tasks.loader import Task
from harness.tasks.validate import TaskValidation, TaskValidator

#: Called with a task id and a step description, from the slot's thread.
StepCallback = Callable[[str, str], None]
#: Called with a finished task's verdicts, from the slot's thread.
DoneCallback = Callable[[TaskValidation], None]


def default_jobs() -> int:
    """The number of parallel slots by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def expected_runs(task: Task) -> int:
    """How many app runs validating ``task`` takes: reference, empty, starter, mutants."""
    return 2 + (task.starter_dir is not None) + len(task.mutants)


class _PortLocks:
    """One lock per TCP port a task's fake services bind on the host (no sandbox only)."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._guard = threading.Lock()
        self._locks: dict[int, threading.Lock] = {}

    @contextmanager
    def hold(self, task: Task) -> Iterator[None]:
        """Hold the locks of ``task``'s service ports (sorted: no deadlock)."""
        ports = sorted({service.port for service in task.config.acceptance.services})
        with ExitStack() as stack:
            if self._enabled:
                for port in ports:
                    with self._guard:
                        lock = self._locks.setdefault(port, threading.Lock())
                    stack.enter_context(lock)
            yield


def validate_tasks(
    validator: TaskValidator,
    tasks: list[Task],
    *,
    jobs: int,
    on_step: StepCallback | None = None,
    on_done: DoneCallback | None = None,
) -> list[TaskValidation]:
    """Validate ``tasks`` in ``jobs`` parallel slots.

    Args:
        validator: Runs one task's steps (its sandbox and environment are shared).
        tasks: The tasks, in the order the results are returned.
        jobs: How many tasks run at once (at least 1).
        on_step: Progress: a task id and the step it starts.
        on_done: Progress: a task's verdicts, as soon as it ends.

    Returns:
        One validation per task, in the order of ``tasks``.
    """
    if not tasks:
        return []
    with scratch_folder("hs-warm-") as scratch:
        ensure_warm_cache(validator.sandbox, validator.environment, scratch)
    ports = _PortLocks(enabled=validator.sandbox.name == "none")
    note = on_step or (lambda _task, _step: None)

    def one(task: Task) -> TaskValidation:
        with ports.hold(task):
            outcome = validator.validate(task, on_step=lambda step: note(task.id, step))
        if on_done is not None:
            on_done(outcome)
        return outcome

    order = sorted(tasks, key=expected_runs, reverse=True)
    with ThreadPoolExecutor(
        max_workers=max(1, min(jobs, len(tasks))), thread_name_prefix="validate"
    ) as pool:
        futures = {task.id: pool.submit(one, task) for task in order}
        return [futures[task.id].result() for task in tasks]
