"""``summary.json``: a run's essentials, its statistics and one row per sample.

Every report (terminal, Markdown, HTML) and every gate reads a :class:`RunSummary`, built
by :func:`build_summary` from the manifest and the stored sample records only, so
``harness report RUN`` renders exactly what ``harness eval`` rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.report.parts import (
    HeadroomReport,
    PartsReport,
    build_headroom,
    build_parts,
)
from harness.report.passrate import PassRateChange, pass_rate_changes
from harness.report.scores import score_table
from harness.run.records import ArmEntry, Failure, solvers_of
from harness.scoring.models import EnvironmentSummary
from harness.stats import OVERALL, RunStats, analyze
from harness.stats.paired import DEFAULT_RESAMPLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from harness.run.records import RunManifest, SampleRecord
    from harness.tasks.probes import ProbeCatalog

#: Version of ``summary.json``; bump on any incompatible change.
SUMMARY_SCHEMA_VERSION: Literal[2] = 2

#: Shown wherever a run of the ``sim`` model is reported.
SIM_BANNER = (
    "simulation: the sim model answers with gold projects and known mutants at the "
    "rates you set; it measures no skill"
)
#: The sentence every power statement ends with.
NOT_A_WIN = "a difference whose interval covers zero is not a win"

SampleStatus = Literal["scored", "generated", "model_failure", "infra_failure"]


class SampleRow(BaseModel):
    """One sample, flat: what tables and heat maps need.

    Attributes:
        task: The task.
        arm: The arm (variant label).
        epoch: The epoch.
        status: How far it got.
        overall: Its overall score, if scored.
        checks: Score per check that ran.
        check_status: Status per check (``pass``, ``fail``, ``skipped``...).
        failure: Why it did not complete as intended.
        cost_usd: Dollars (None when unpriced).
        tokens: Tokens in and out.
        wall_s: Generation time.
        triggered: Whether SKILL.md was opened (None when not applicable).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    arm: str
    epoch: int
    status: SampleStatus
    overall: float | None = None
    checks: dict[str, float] = Field(default_factory=dict)
    check_status: dict[str, str] = Field(default_factory=dict)
    failure: Failure | None = None
    cost_usd: float | None = None
    tokens: int | None = None
    wall_s: float | None = None
    triggered: bool | None = None

    @property
    def key(self) -> str:
        """``task/arm/epoch``."""
        return f"{self.task}/{self.arm}/{self.epoch}"


class Completeness(BaseModel):
    """Whether every planned sample is stored and counted.

    Attributes:
        planned: Samples the manifest plans.
        stored: Samples with a record.
        missing: ``task/arm/epoch`` of planned samples without a record.
        infra_failures: ``task/arm/epoch`` of infrastructure failures (excluded).
        unscored: ``task/arm/epoch`` of samples generated but not scored.
        scoring: Whether the run scores samples (False for ``--no-score``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    planned: int
    stored: int
    missing: list[str]
    infra_failures: list[str]
    unscored: list[str]
    scoring: bool = True

    @property
    def complete(self) -> bool:
        """No sample missing, no infrastructure failure, nothing left to score."""
        return not (
            self.missing or self.infra_failures or (self.scoring and self.unscored)
        )

    def problems(self, run_id: str = "RUN") -> list[str]:
        """What keeps the run incomplete, with the fix, one line each."""
        out = []
        if self.missing:
            out.append(
                f"{len(self.missing)} sample(s) missing: finish with "
                f"`harness eval --resume {run_id}`"
            )
        if self.infra_failures:
            out.append(
                f"{len(self.infra_failures)} infrastructure failure(s) excluded: redo with "
                f"`harness eval --resume {run_id} --retry-errors`"
            )
        if self.scoring and self.unscored:
            out.append(
                f"{len(self.unscored)} sample(s) not scored: `harness rescore {run_id}`"
            )
        return out


class PowerStatement(BaseModel):
    """What one comparison could detect.

    Attributes:
        variant: The variant compared with the baseline.
        mde: Smallest overall effect detectable at the run's power (None: too few tasks).
        power: The target power.
        n_tasks: Tasks in both arms.
        text: The statement in words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    mde: float | None
    power: float
    n_tasks: int
    text: str


class RunSummary(BaseModel):
    """``summary.json``: everything a report shows.

    Attributes:
        schema_version: Version of this format.
        run_id: The run.
        created_at: When the run started.
        harness_version: The harness that ran it.
        model: The model spec.
        endpoint: Its base URL, if not the default.
        solver: The arms' solver(s) (``oneshot``, ``loop``, ``claude-code``, ``codex``).
        epochs: Epochs per task and arm.
        seed: The run's seed (also the statistics' seed).
        baseline: The arm every other is compared with.
        arms: The arms with their variants' hashes.
        tasks: The task ids.
        checks: The checks run.
        weights: Weights of the overall score.
        scorer_version: Version of the scoring rules.
        sandbox: The sandbox that ran generated code.
        environment: The evaluation environment.
        simulated: Whether the model is ``sim`` (measures no skill).
        completeness: What is missing or excluded.
        stats: The paired statistics (None when no sample of the baseline counts).
        power: One statement per compared variant, on the overall score.
        parts: What each part of the skill is worth: effects per probe and kind, their
            spread over tasks, flipped tests and rules (versioned; None in files written
            before it existed or without statistics).
        headroom: Each arm's distance to gold and the normalised gain (versioned).
        pass_rates: Each compared variant's change in pass rate (overall = 1), paired
            over tasks.
        samples: One row per stored sample.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[2] = SUMMARY_SCHEMA_VERSION
    run_id: str
    created_at: str
    harness_version: str
    model: str
    endpoint: str | None = None
    solver: str
    epochs: int
    seed: int
    baseline: str
    arms: list[ArmEntry]
    tasks: list[str]
    checks: list[str]
    weights: dict[str, float]
    scorer_version: str
    sandbox: str
    environment: EnvironmentSummary | None = None
    simulated: bool = False
    completeness: Completeness
    stats: RunStats | None
    power: list[PowerStatement]
    parts: PartsReport | None = None
    headroom: HeadroomReport | None = None
    pass_rates: list[PassRateChange] = Field(default_factory=list)
    samples: list[SampleRow]

    @property
    def labels(self) -> list[str]:
        """Arm labels, baseline first."""
        labels = [entry.arm.label for entry in self.arms]
        return [self.baseline, *(label for label in labels if label != self.baseline)]

    def rows_of(self, status: SampleStatus) -> list[SampleRow]:
        """The samples with ``status``."""
        return [row for row in self.samples if row.status == status]


def sample_row(record: SampleRecord) -> SampleRow:
    """One record as a flat row."""
    generation = record.generation
    score = record.score
    return SampleRow(
        task=record.spec.task,
        arm=record.spec.arm,
        epoch=record.spec.epoch,
        status=record.status,
        overall=score.overall if score is not None else None,
        checks={c.name: c.score for c in score.checks if c.status != "skipped"}
        if score is not None
        else {},
        check_status={c.name: c.status for c in score.checks}
        if score is not None
        else {},
        failure=record.failure,
        cost_usd=generation.cost_usd if generation is not None else None,
        tokens=generation.total_tokens if generation is not None else None,
        wall_s=generation.wall_s if generation is not None else None,
        triggered=generation.skill_md_opened if generation is not None else None,
    )


def power_statements(stats: RunStats | None) -> list[PowerStatement]:
    """The power statement of each variant against the baseline, on the overall score."""
    if stats is None:
        return []
    out = []
    for variant in stats.variants[1:]:
        try:
            item = stats.comparison(variant, OVERALL)
        except KeyError:
            continue
        n = item.test.n_tasks
        if item.mde is None:
            text = (
                f"{variant} vs {stats.baseline}: {n} task(s) in both arms are too few to "
                f"state the detectable effect (at least 2 are needed); {NOT_A_WIN}"
            )
        else:
            text = (
                f"{variant} vs {stats.baseline}: this run could detect an effect of "
                f"{item.mde:.3f} on the overall score at {stats.power:.0%} power "
                f"({n} tasks); {NOT_A_WIN}"
            )
        out.append(
            PowerStatement(
                variant=variant, mde=item.mde, power=stats.power, n_tasks=n, text=text
            )
        )
    return out


def completeness(
    manifest: RunManifest, records: Sequence[SampleRecord]
) -> Completeness:
    """What of the planned run is missing, excluded or unscored."""
    stored = {record.spec.key: record for record in records}
    missing = [
        f"{spec.task}/{spec.arm}/{spec.epoch}"
        for spec in manifest.specs()
        if spec.key not in stored
    ]
    scoring = bool(manifest.options.get("score", True))
    return Completeness(
        planned=len(manifest.specs()),
        stored=len(records),
        missing=missing,
        infra_failures=[
            f"{r.spec.task}/{r.spec.arm}/{r.spec.epoch}"
            for r in records
            if r.infra_failed
        ],
        unscored=[
            f"{r.spec.task}/{r.spec.arm}/{r.spec.epoch}"
            for r in records
            if r.status == "generated"
        ],
        scoring=scoring,
    )


def probe_catalog() -> ProbeCatalog | None:
    """The probe catalogue beside the tasks folder (None when it cannot be read)."""
    from harness.tasks.loader import tasks_dir
    from harness.tasks.probes import ProbeError, load_probes, probes_path

    try:
        return load_probes(probes_path(tasks_dir()))
    except ProbeError:
        return None


def build_summary(
    manifest: RunManifest,
    records: Sequence[SampleRecord],
    *,
    n_resamples: int | None = None,
) -> RunSummary:
    """Summarise a run from its manifest and stored records.

    Args:
        manifest: The run's manifest.
        records: Its stored sample records.
        n_resamples: Resamples of the permutation test and bootstrap (default: the
            statistics' own).

    Returns:
        The summary; ``stats`` is None when no sample of the baseline counts.
    """
    ordered = sorted(records, key=lambda r: (r.spec.task, r.spec.arm, r.spec.epoch))
    table = score_table(ordered)
    stats: RunStats | None = None
    resamples = n_resamples or DEFAULT_RESAMPLES
    if any(s.variant == manifest.baseline for s in table.samples) and table.checks:
        stats = analyze(
            table, baseline=manifest.baseline, seed=manifest.seed, n_resamples=resamples
        )
    return RunSummary(
        run_id=manifest.run_id,
        created_at=manifest.created_at,
        harness_version=manifest.harness_version,
        model=manifest.model,
        endpoint=manifest.endpoint,
        solver=solvers_of(manifest),
        epochs=manifest.epochs,
        seed=manifest.seed,
        baseline=manifest.baseline,
        arms=manifest.arms,
        tasks=[task.id for task in manifest.tasks],
        checks=manifest.checks,
        weights=manifest.weights,
        scorer_version=manifest.scorer_version,
        sandbox=manifest.sandbox,
        environment=manifest.environment,
        simulated=manifest.simulated,
        completeness=completeness(manifest, ordered),
        stats=stats,
        power=power_statements(stats),
        parts=build_parts(manifest, ordered, table, stats, probe_catalog())
        if stats is not None
        else None,
        headroom=build_headroom(table, stats) if stats is not None else None,
        pass_rates=pass_rate_changes(table, stats, resamples),
        samples=[sample_row(record) for record in ordered],
    )


__all__ = [
    "NOT_A_WIN",
    "SIM_BANNER",
    "SUMMARY_SCHEMA_VERSION",
    "Completeness",
    "PowerStatement",
    "RunSummary",
    "SampleRow",
    "build_summary",
    "completeness",
    "power_statements",
    "sample_row",
]
