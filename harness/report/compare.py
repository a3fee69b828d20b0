"""``harness compare RUN_A RUN_B``: two runs on their common tasks, with paired statistics.

Two models, two harness versions, two scorer versions: each pair of arms (run A's arm X
and run B's arm X by default, or the arms named with ``--arm A:LABEL --arm B:LABEL``) is
compared exactly as variants within a run are: per task, the mean over its epochs; per
check and overall, the paired difference B - A over the tasks both runs have, with the t
interval, exact sign-flip p-value, bootstrap interval, Holm correction and verdict.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import UsageError
from harness.report.scores import score_table
from harness.run.layout import RunLayout
from harness.run.records import RunManifest, SampleRecord, solvers_of
from harness.run.store import RunStore
from harness.stats import OVERALL, RunStats, ScoreTable, analyze
from harness.stats.paired import DEFAULT_RESAMPLES


class RunRef(BaseModel):
    """One side of a comparison: which run, what produced it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: str
    path: str
    model: str
    harness_version: str
    scorer_version: str
    simulated: bool


class ArmPair(BaseModel):
    """Run A's arm against run B's arm.

    Attributes:
        arm_a: The arm of run A (the baseline of the pair).
        arm_b: The arm of run B.
        tasks: Tasks both runs have samples of, for this pair.
        stats: The statistics; variants are named ``A:<arm>`` and ``B:<arm>``.
        overall_a: Per task, run A's mean overall score over its epochs.
        overall_b: The same for run B.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    arm_a: str
    arm_b: str
    tasks: list[str]
    stats: RunStats | None
    overall_a: dict[str, float] = Field(default_factory=dict)
    overall_b: dict[str, float] = Field(default_factory=dict)


class RunComparison(BaseModel):
    """The comparison of two runs.

    Attributes:
        a: Run A (the reference side).
        b: Run B.
        common_tasks: Tasks in both manifests.
        only_a: Tasks of run A only (left out).
        only_b: Tasks of run B only (left out).
        changed_tasks: Common tasks whose content hash differs between the runs.
        notes: What differs between the runs, in words.
        pairs: One per compared pair of arms.
    """

    model_config = ConfigDict(extra="forbid")

    a: RunRef
    b: RunRef
    common_tasks: list[str]
    only_a: list[str]
    only_b: list[str]
    changed_tasks: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    pairs: list[ArmPair]


def _ref(layout: RunLayout, manifest: RunManifest) -> RunRef:
    return RunRef(
        run_id=manifest.run_id,
        path=str(layout.root),
        model=manifest.model,
        harness_version=manifest.harness_version,
        scorer_version=manifest.scorer_version,
        simulated=manifest.simulated,
    )


def parse_arms(
    values: list[str], arms_a: list[str], arms_b: list[str]
) -> list[tuple[str, str]]:
    """The pairs to compare: ``--arm A:LABEL --arm B:LABEL``, or the labels both runs have.

    Raises:
        UsageError: For a malformed ``--arm``, an unknown label, or no common label.
    """
    if not values:
        common = [label for label in arms_a if label in arms_b]
        if not common:
            msg = (
                f"the runs share no variant label (A: {', '.join(arms_a)}; B: "
                f"{', '.join(arms_b)}): name the pair with --arm A:LABEL --arm B:LABEL"
            )
            raise UsageError(msg)
        return [(label, label) for label in common]
    chosen: dict[str, str] = {}
    for value in values:
        side, sep, label = value.partition(":")
        if not sep or side not in {"A", "B"} or not label or side in chosen:
            msg = (
                f"--arm {value!r}: give --arm A:LABEL and --arm B:LABEL once each "
                "(e.g. --arm A:skill --arm B:skill-v2)"
            )
            raise UsageError(msg)
        known = arms_a if side == "A" else arms_b
        if label not in known:
            msg = (
                f"--arm {value!r}: run {side} has no variant {label!r} "
                f"(it has {', '.join(known)})"
            )
            raise UsageError(msg)
        chosen[side] = label
    if set(chosen) != {"A", "B"}:
        msg = "--arm: give both --arm A:LABEL and --arm B:LABEL"
        raise UsageError(msg)
    return [(chosen["A"], chosen["B"])]


def pair_table(
    records_a: list[SampleRecord],
    records_b: list[SampleRecord],
    arm_a: str,
    arm_b: str,
    tasks: set[str],
) -> ScoreTable:
    """The score table of one pair: run A's arm as ``A:<arm>``, run B's as ``B:<arm>``."""
    rows = []
    for side, records, arm in (("A", records_a, arm_a), ("B", records_b, arm_b)):
        for row in score_table(
            r for r in records if r.spec.arm == arm and r.spec.task in tasks
        ).samples:
            rows.append(row.model_copy(update={"variant": f"{side}:{arm}"}))
    return ScoreTable(samples=rows)


def compare_runs(
    layout_a: RunLayout,
    layout_b: RunLayout,
    arms: list[str] | None = None,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
) -> RunComparison:
    """Compare two stored runs on their common tasks.

    Raises:
        UsageError: When a run is missing, the runs share no task, or ``--arm`` is wrong.
    """
    store_a, store_b = RunStore(layout_a), RunStore(layout_b)
    manifest_a, manifest_b = store_a.manifest(), store_b.manifest()
    tasks_a = {t.id: t.hash for t in manifest_a.tasks}
    tasks_b = {t.id: t.hash for t in manifest_b.tasks}
    common = sorted(set(tasks_a) & set(tasks_b))
    if not common:
        msg = (
            f"runs {manifest_a.run_id} and {manifest_b.run_id} share no task: "
            "compare runs of the same suite"
        )
        raise UsageError(msg)
    pairs = parse_arms(
        arms or [],
        [e.arm.label for e in manifest_a.arms],
        [e.arm.label for e in manifest_b.arms],
    )
    records_a, records_b = store_a.samples(), store_b.samples()
    results = []
    for arm_a, arm_b in pairs:
        table = pair_table(records_a, records_b, arm_a, arm_b, set(common))
        stats = None
        if {f"A:{arm_a}", f"B:{arm_b}"} <= set(table.variants):
            stats = analyze(
                table,
                baseline=f"A:{arm_a}",
                seed=manifest_a.seed,
                n_resamples=n_resamples,
            )
        results.append(
            ArmPair(
                arm_a=arm_a,
                arm_b=arm_b,
                tasks=table.tasks,
                stats=stats,
                overall_a=table.task_means(f"A:{arm_a}", OVERALL),
                overall_b=table.task_means(f"B:{arm_b}", OVERALL),
            )
        )
    notes = []
    for field, label in (
        ("model", "model"),
        ("harness_version", "harness version"),
        ("scorer_version", "scorer version"),
        ("prompt_version", "prompt version"),
    ):
        va, vb = getattr(manifest_a, field), getattr(manifest_b, field)
        if va != vb:
            notes.append(f"{label}: A {va}, B {vb}")
    solver_a, solver_b = solvers_of(manifest_a), solvers_of(manifest_b)
    if solver_a != solver_b:
        notes.append(f"solver: A {solver_a}, B {solver_b}")
    return RunComparison(
        a=_ref(layout_a, manifest_a),
        b=_ref(layout_b, manifest_b),
        common_tasks=common,
        only_a=sorted(set(tasks_a) - set(tasks_b)),
        only_b=sorted(set(tasks_b) - set(tasks_a)),
        changed_tasks=[t for t in common if tasks_a[t] != tasks_b[t]],
        notes=notes,
        pairs=results,
    )


def overall_lines(comparison: RunComparison) -> list[str]:
    """One sentence per pair: the overall verdict, B against A."""
    out = []
    for pair in comparison.pairs:
        if pair.stats is None:
            out.append(f"{pair.arm_a} vs {pair.arm_b}: no counted samples on one side")
            continue
        for item in pair.stats.comparisons:
            if item.check == OVERALL:
                out.append(
                    f"B:{pair.arm_b} vs A:{pair.arm_a} over {item.test.n_tasks} common "
                    f"task(s), overall: {item.verdict_text}"
                )
    return out


__all__ = [
    "ArmPair",
    "RunComparison",
    "RunRef",
    "compare_runs",
    "overall_lines",
    "pair_table",
    "parse_arms",
]
