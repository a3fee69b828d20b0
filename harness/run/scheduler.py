"""Running a run's samples: model calls concurrently, scoring in bounded slots, overlapped.

Each sample is generated (at most ``max_concurrency`` at once; API calls also share the
provider's adaptive limiter), its record written at once, then scored in one of
``score_slots`` worker threads (scoring is sandboxed subprocesses, so threads run them in
parallel) and written again. Generation of later samples overlaps scoring of earlier ones.

What is already stored is not redone: :func:`pending` says, for each sample, whether it
needs generating, only scoring (a run interrupted between the two, or ``--no-score``
followed by ``harness rescore``), or nothing. ``retry_errors`` redoes infrastructure
failures. Generation and scoring go through an :class:`Executor`: this machine
(:class:`LocalExecutor`), or a Ray cluster (:mod:`harness.cluster`); either way only this
process writes the run store.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from harness.run.config import default_slots
from harness.run.sample import generate_sample, score_sample

if TYPE_CHECKING:
    from harness.run.prepare import PreparedRun
    from harness.run.records import SampleRecord
    from harness.run.sample import SampleContext
    from harness.run.source import ModelSource
    from harness.run.spec import SampleSpec
    from harness.run.store import RunStore

Work = Literal["generate", "score", "done"]


def work_for(record: SampleRecord | None, *, score: bool, retry_errors: bool) -> Work:
    """What a sample still needs, given its stored record."""
    if record is None:
        return "generate"
    if record.failure is not None and record.failure.kind == "infra":
        if not retry_errors:
            return "done"
        return "generate" if record.failure.stage == "generate" else "score"
    if score and record.score is None and record.generation is not None:
        return "score"
    return "done"


@dataclass(frozen=True)
class PendingSample:
    """A sample and what it needs."""

    spec: SampleSpec
    work: Work
    record: SampleRecord | None


def pending(
    store: RunStore, specs: list[SampleSpec], *, score: bool, retry_errors: bool
) -> list[PendingSample]:
    """What each sample of ``specs`` still needs."""
    out: list[PendingSample] = []
    for spec in specs:
        record = store.read_sample(spec)
        out.append(
            PendingSample(
                spec, work_for(record, score=score, retry_errors=retry_errors), record
            )
        )
    return out


class Observer(Protocol):
    """Hears about each sample as it moves (a progress display, a log)."""

    def started(self, spec: SampleSpec) -> None:
        """Generation of ``spec`` began."""

    def generated(self, record: SampleRecord) -> None:
        """Generation ended (the record is stored)."""

    def scored(self, record: SampleRecord) -> None:
        """Scoring ended (the record is stored)."""


class Executor(Protocol):
    """Where samples are generated and scored (this machine, or a cluster).

    An executor returns records; only :func:`execute`, on the driver, stores them, so
    every executor shares the run store, resume, the cache and the reports.

    Attributes:
        slots: Samples scored at once (on a cluster: across it).
    """

    slots: int

    async def generate(
        self, ctx: SampleContext, source: ModelSource, spec: SampleSpec
    ) -> SampleRecord:
        """Generate one sample (its files land in the run layout)."""

    async def score(self, ctx: SampleContext, record: SampleRecord) -> SampleRecord:
        """Score one sample."""

    def workers(self) -> int | None:
        """Worker processes available (None: this machine's slots, not shown)."""

    async def aclose(self) -> None:
        """Release what the executor started (called once the run's work is done)."""


class LocalExecutor:
    """Generation in this event loop, scoring in ``slots`` worker threads on this machine.

    Args:
        slots: Samples scored at once.
    """

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._gate: asyncio.Semaphore | None = None

    async def generate(
        self, ctx: SampleContext, source: ModelSource, spec: SampleSpec
    ) -> SampleRecord:
        """Generate one sample here."""
        return await generate_sample(ctx, source, spec)

    async def score(self, ctx: SampleContext, record: SampleRecord) -> SampleRecord:
        """Score one sample in a worker thread, at most ``slots`` at once."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.slots)
        async with self._gate:
            return await asyncio.to_thread(score_sample, ctx, record)

    def workers(self) -> int | None:
        """Not shown: the local slots are the familiar default."""
        return None

    async def aclose(self) -> None:
        """Nothing to release."""


async def execute(
    run: PreparedRun,
    work: list[PendingSample],
    *,
    observer: Observer | None = None,
    executor: Executor | None = None,
) -> list[SampleRecord]:
    """Do the pending work of a run; every record is stored as soon as it changes.

    Returns:
        The records of the samples worked on, in ``work``'s order.
    """
    store = run.store
    ctx = run.context
    score = run.config.score
    scorer = executor or LocalExecutor(run.config.score_slots or default_slots())
    generating = asyncio.Semaphore(run.config.max_concurrency)

    async def one(item: PendingSample) -> SampleRecord | None:
        record = item.record
        if item.work == "generate":
            async with generating:
                if observer is not None:
                    observer.started(item.spec)
                record = await scorer.generate(ctx, run.source, item.spec)
            store.write_sample(record)
            if observer is not None:
                observer.generated(record)
        if record is None or item.work == "done":
            return record
        if record.failure is not None and record.failure.stage == "score":
            record = record.model_copy(update={"failure": None})  # retried
        if score and record.generation is not None and not record.infra_failed:
            record = await scorer.score(ctx, record)
            store.write_sample(record)
            if observer is not None:
                observer.scored(record)
        return record

    results = await asyncio.gather(*(one(item) for item in work))
    return [record for record in results if record is not None]


__all__ = [
    "Executor",
    "LocalExecutor",
    "Observer",
    "PendingSample",
    "Work",
    "execute",
    "pending",
    "work_for",
]
