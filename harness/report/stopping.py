"""``--stop-when-decided``: where a sequential run looks, whether it may stop, what it saved.

A run started with ``--stop-when-decided`` works through its tasks in a seeded random
order (:func:`harness.stats.sequential.task_order`), a batch of ``look_every`` tasks at a
time. After each batch it looks: the statistics of the tasks done so far, judged on
confidence sequences (valid at any stopping time), and it stops when every question is
settled: each ``--require-improvement`` / ``--require-no-worse`` gate given at the start,
or, without such gates, every variant's verdict on the overall score.

Everything here is a function of the manifest and the stored records, so ``--resume``
applies the same rule (it looks before each batch it would run) and ``harness report``
finds the same stopping point again.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from harness.report.scores import score_table
from harness.stats import OVERALL, RunStats, ScoreTable, analyze
from harness.stats.paired import DEFAULT_RESAMPLES
from harness.stats.sequential import (
    Look,
    SequentialSummary,
    StopQuestion,
    batches,
    task_order,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from harness.run.records import RunManifest, SampleRecord


def look_every(manifest: RunManifest) -> int:
    """Tasks per batch: as set, else enough samples to keep the slots busy (>= 1 task)."""
    chosen = manifest.options.get("look_every")
    if isinstance(chosen, int) and chosen > 0:
        return chosen
    per_task = max(1, len(manifest.arms) * manifest.epochs)
    slots = max(
        int(manifest.options.get("max_concurrency") or 1),
        int(manifest.options.get("score_slots") or 1),
    )
    return max(1, math.ceil(2 * slots / per_task))


def questions(manifest: RunManifest) -> list[StopQuestion]:
    """What must be settled: the gates given at the start, else every overall verdict."""
    stored = manifest.options.get("stop_questions") or []
    if stored:
        return [StopQuestion.model_validate(item) for item in stored]
    return [
        StopQuestion(variant=entry.arm.label, check=OVERALL)
        for entry in manifest.arms
        if entry.arm.label != manifest.baseline
    ]


def sequential(manifest: RunManifest) -> bool:
    """Whether the run was started with ``--stop-when-decided``."""
    return bool(manifest.options.get("stop_when_decided"))


def _complete(
    tasks: Sequence[str], manifest: RunManifest, done: set[tuple[str, str, int]]
) -> bool:
    wanted = {spec.key for spec in manifest.specs() if spec.task in set(tasks)}
    return wanted <= done


def anytime_stats(
    table: ScoreTable,
    manifest: RunManifest,
    tasks: Sequence[str],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
) -> RunStats:
    """The run's statistics on ``tasks`` (in run order), judged on confidence sequences."""
    kept = set(tasks)
    sub = ScoreTable(samples=[s for s in table.samples if s.task in kept])
    return analyze(
        sub,
        baseline=manifest.baseline,
        seed=manifest.seed,
        n_resamples=n_resamples,
        order=list(tasks),
        anytime=True,
        planned_tasks=len(manifest.tasks),
    )


def _settled(stats: RunStats, asked: list[StopQuestion]) -> bool:
    for question in asked:
        try:
            item = stats.comparison(question.variant, question.check)
        except KeyError:
            return False
        if item.verdict == "not enough data" or not question.settled(item.holm_ci):
            return False
    return True


def follow(
    manifest: RunManifest,
    records: Sequence[SampleRecord],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    cache: dict[int, bool] | None = None,
) -> SequentialSummary | None:
    """Replay the looks of a sequential run on its stored records (None: not sequential).

    A look happens at each batch boundary whose tasks are all complete (every sample
    stored, none an infrastructure failure); the run stops at the first look where every
    question is settled. ``cache`` (prefix length -> settled) spares a caller that
    asks again and again (the run loop) the looks it already made: the records of a
    complete prefix do not change.
    """
    if not sequential(manifest):
        return None
    size = look_every(manifest)
    order = [task for batch in plan_batches(manifest) for task in batch]
    done = {
        r.spec.key for r in records if not r.infra_failed and r.status != "generated"
    }
    table = score_table(records)
    asked = questions(manifest)
    looks: list[Look] = []
    prefix: list[str] = []
    stopped = False
    for batch in plan_batches(manifest):
        if not _complete(prefix + batch, manifest, done):
            break
        prefix += batch
        settled = (cache or {}).get(len(prefix))
        if settled is None:
            stats = anytime_stats(table, manifest, prefix, n_resamples=n_resamples)
            settled = _settled(stats, asked)
            if cache is not None:
                cache[len(prefix)] = settled
        looks.append(Look(tasks=len(prefix), settled=settled))
        if settled:
            stopped = len(prefix) < len(order)
            break
    per_task = len(manifest.arms) * manifest.epochs
    planned = len(order) * per_task
    run = len(prefix) * per_task
    what = "; ".join(q.describe() for q in asked)
    if stopped:
        text = (
            f"stopped early after {len(prefix)} of {len(order)} tasks (look "
            f"{len(looks)}, a look every {size} task(s)): {planned - run} of {planned} "
            f"samples not run ({1 - run / planned:.0%} saved); settled: {what}"
        )
    elif looks and looks[-1].settled:
        text = f"settled at the last look ({len(prefix)} tasks): {what}"
    else:
        text = (
            f"not settled after {len(prefix)} of {len(order)} tasks ({len(looks)} "
            f"look(s), every {size} task(s)): {what}"
        )
    return SequentialSummary(
        look_every=size,
        questions=asked,
        looks=looks,
        stopped_early=stopped,
        tasks_run=len(prefix),
        tasks_planned=len(order),
        samples_run=run,
        samples_planned=planned,
        text=text,
    )


def plan_batches(manifest: RunManifest) -> list[list[str]]:
    """The batches of tasks a sequential run works through, in order."""
    order = task_order([task.id for task in manifest.tasks], manifest.seed)
    return batches(order, look_every(manifest))


def stop_rule(manifest: RunManifest) -> Callable[[Sequence[SampleRecord]], bool]:
    """The predicate the run loop asks before each batch: has the run been decided?"""
    cache: dict[int, bool] = {}

    def decided(records: Sequence[SampleRecord]) -> bool:
        state = follow(manifest, records, cache=cache)
        return state is not None and bool(state.looks) and state.looks[-1].settled

    return decided


__all__ = [
    "anytime_stats",
    "follow",
    "look_every",
    "plan_batches",
    "questions",
    "sequential",
    "stop_rule",
]
