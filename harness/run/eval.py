"""``harness eval`` as a library call: plan or resume a run, execute it, collect its records.

The command line (``harness.cli.eval_cmd``) only parses flags, builds an
:class:`~harness.run.config.EvalConfig`, calls :func:`run_eval` and prints; everything
else happens here and in the modules it composes (prepare -> scheduler -> sample ->
store), so tests and other front ends drive the same code.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.run.scheduler import PendingSample, execute, pending

if TYPE_CHECKING:
    from harness.run.prepare import PreparedRun
    from harness.run.records import SampleRecord
    from harness.run.scheduler import Executor, Observer
    from harness.run.store import RunStore


@dataclass
class EvalOutcome:
    """What a run did.

    Attributes:
        run: The run.
        planned: Each sample and the work it needed when this session started.
        records: Every stored record of the run (including those done earlier).
    """

    run: PreparedRun
    planned: list[PendingSample]
    records: list[SampleRecord]

    @property
    def worked(self) -> int:
        """Samples this session generated or scored."""
        return sum(1 for item in self.planned if item.work != "done")


def plan(run: PreparedRun, *, retry_errors: bool = False) -> list[PendingSample]:
    """What each sample of the run still needs."""
    return pending(
        run.store,
        run.manifest.specs(),
        score=run.config.score,
        retry_errors=retry_errors,
    )


async def run_eval_async(
    run: PreparedRun,
    *,
    retry_errors: bool = False,
    observer: Observer | None = None,
    executor: Executor | None = None,
) -> EvalOutcome:
    """Run (or finish) every sample of ``run``; see :func:`run_eval`."""
    planned = plan(run, retry_errors=retry_errors)
    todo = [item for item in planned if item.work != "done"]
    try:
        await execute(run, todo, observer=observer, executor=executor)
    finally:
        await run.source.aclose()
    return EvalOutcome(run=run, planned=planned, records=run.store.samples())


def run_eval(
    run: PreparedRun,
    *,
    retry_errors: bool = False,
    observer: Observer | None = None,
    executor: Executor | None = None,
) -> EvalOutcome:
    """Run (or finish) every sample of ``run``, storing each record as it lands.

    Args:
        run: A run from :func:`~harness.run.prepare.start_run` or
            :func:`~harness.run.prepare.resume_run`.
        retry_errors: Redo samples that failed for infrastructure reasons.
        observer: Told about each sample as it moves.
        executor: Where scoring runs (default: local worker threads).

    Returns:
        The outcome, with every stored record of the run.
    """
    return asyncio.run(
        run_eval_async(
            run, retry_errors=retry_errors, observer=observer, executor=executor
        )
    )


def rescore_plan(
    run: PreparedRun, *, only_missing: bool = False
) -> list[PendingSample]:
    """Every generated sample of ``run`` to score again (no model is called).

    Args:
        run: The run.
        only_missing: Score only samples without a score.
    """
    work: list[PendingSample] = []
    for record in run.store.samples():
        if record.generation is None:
            continue
        if only_missing and record.score is not None:
            continue
        failure = record.failure
        if failure is not None and (failure.stage, failure.kind) == (
            "generate",
            "infra",
        ):
            continue
        work.append(PendingSample(record.spec, "score", record))
    return work


def changed_checks(store: RunStore) -> dict[str, tuple[list[str], str]]:
    """The run's checks whose version changed since its samples were scored.

    Returns:
        For each changed check, the versions found in the stored scores (``unknown`` for
        scores older than check versions) and the current version.
    """
    from harness.scoring.scorer import CHECK_VERSIONS

    seen: dict[str, set[str]] = {}
    for record in store.samples():
        for result in record.score.checks if record.score is not None else []:
            seen.setdefault(result.name, set()).add(result.version or "unknown")
    return {
        name: (sorted(versions), CHECK_VERSIONS[name])
        for name, versions in seen.items()
        if name in CHECK_VERSIONS and versions != {CHECK_VERSIONS[name]}
    }


async def rescore_async(
    run: PreparedRun,
    *,
    only_missing: bool = False,
    observer: Observer | None = None,
) -> EvalOutcome:
    """Score stored generations again after a scorer change; see :func:`rescore`."""
    work = rescore_plan(run, only_missing=only_missing)
    try:
        await execute(run, work, observer=observer)
    finally:
        await run.source.aclose()
    return EvalOutcome(run=run, planned=work, records=run.store.samples())


def rescore(
    run: PreparedRun, *, only_missing: bool = False, observer: Observer | None = None
) -> EvalOutcome:
    """Score a run's stored generations again, without calling a model.

    Returns:
        The outcome, with every stored record of the run.
    """
    return asyncio.run(rescore_async(run, only_missing=only_missing, observer=observer))


__all__ = [
    "EvalOutcome",
    "changed_checks",
    "plan",
    "rescore",
    "rescore_async",
    "rescore_plan",
    "run_eval",
    "run_eval_async",
]
