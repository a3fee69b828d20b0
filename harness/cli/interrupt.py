"""Ctrl-C during a run: say so at once, stop the sandbox's commands, keep what is stored.

The first Ctrl-C prints ``stopping...`` with the samples in flight and how to resume,
kills every running sandboxed command (their samples are thrown away and redone by the
resume) and cancels the run's tasks, as asyncio itself would. A second Ctrl-C exits at
once: every finished sample is already on disk, and bubblewrap's ``--die-with-parent``
takes the sandboxes down with the harness.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from harness.cli.progress import RunCounts, RunProgress
from harness.run.config import default_slots

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType

    from rich.console import Console

    from harness.run.eval import EvalOutcome
    from harness.run.prepare import PreparedRun
    from harness.run.scheduler import Executor, PendingSample
    from harness.sandbox import Sandbox

#: The exit status of an interrupted command.
INTERRUPTED = 130


def stopping_message(in_flight: int, resume: str) -> str:
    """What the first Ctrl-C prints, at once."""
    samples = "sample" if in_flight == 1 else "samples"
    return (
        f"stopping… ({in_flight} {samples} in flight; the run resumes with `{resume}`)"
    )


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()


class Stopping:
    """Whether Ctrl-C was pressed (set by :func:`stop_on_interrupt`)."""

    pressed = False


@contextlib.contextmanager
def stop_on_interrupt(
    console: Console, counts: RunCounts, resume: str, sandbox: Sandbox | None
) -> Iterator[Stopping]:
    """Handle Ctrl-C as the module says while the block runs.

    The run's ``asyncio.run`` then ends with :class:`asyncio.CancelledError` (or, outside
    the event loop, :class:`KeyboardInterrupt` is raised); the yielded :class:`Stopping`
    tells the two apart from other cancellations.

    Args:
        console: Where ``stopping...`` is printed.
        counts: The run's counts (for the samples in flight).
        resume: The command that finishes the run.
        sandbox: The run's sandbox, whose commands are stopped.
    """
    state = Stopping()

    def handler(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        if state.pressed:
            os._exit(INTERRUPTED)
        state.pressed = True
        console.print(
            stopping_message(counts.in_flight, resume), markup=False, highlight=False
        )
        # The checks cut short below would each log an error: noise, their samples are redone.
        logging.disable(logging.WARNING)
        if sandbox is not None:
            sandbox.stop_all()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise KeyboardInterrupt from None
        loop.call_soon_threadsafe(_cancel_all, loop)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


def watch_run(
    console: Console,
    run: PreparedRun,
    work: list[PendingSample],
    call: Callable[[RunCounts], EvalOutcome],
    *,
    resume: str,
    quiet: bool,
    executor: Executor | None = None,
) -> EvalOutcome:
    """Execute a run with a live display and Ctrl-C handling (status 130 when stopped).

    Args:
        console: Where the display and messages go.
        run: The run.
        work: What this session does (samples to generate or only to score).
        call: Executes the run, telling the observer it is given about each sample.
        resume: The command that finishes the run.
        quiet: No live display (the counts are still kept, for ``stopping...``).
        executor: Where the run's samples run (None: this machine's slots); a cluster's
            workers are shown.
    """
    counts = RunCounts(
        len(work),
        scoring=run.config.score,
        to_score=sum(1 for item in work if item.work == "score"),
        slots=executor.slots
        if executor is not None
        else run.config.score_slots or default_slots(),
        workers=executor.workers if executor is not None else None,
    )
    live: contextlib.AbstractContextManager[object] = (
        contextlib.nullcontext() if quiet else RunProgress(console, counts)
    )
    try:
        with (
            stop_on_interrupt(console, counts, resume, run.context.sandbox) as stopping,
            live,
        ):
            return call(counts)
    except (KeyboardInterrupt, asyncio.CancelledError):
        if not stopping.pressed:
            raise
        console.print(
            f"interrupted: every finished sample is stored; continue with `{resume}`",
            markup=False,
            highlight=False,
        )
        sys.exit(INTERRUPTED)


__all__ = [
    "INTERRUPTED",
    "Stopping",
    "stop_on_interrupt",
    "stopping_message",
    "watch_run",
]
