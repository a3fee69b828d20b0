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
from harness.report.scores import SampleRow, SampleStatus, sample_row, table_of
from harness.run.records import ArmEntry, RunManifest, solvers_of
from harness.stats import OVERALL, RunStats, analyze
from harness.stats.paired import DEFAULT_RESAMPLES
from harness.stats.sequential import SequentialSummary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from harness.run.records import SampleRecord
    from harness.tasks.probes import ProbeCatalog

#: Version of ``summary.json``; bump on any incompatible change (2: one family over
#: all variants x checks, named interval levels, early stopping, infra screen).
SUMMARY_SCHEMA_VERSION: Literal[2] = 2

#: Shown wherever a run of the ``sim`` model is reported.
SIM_BANNER = (
    "simulation: the sim model answers with gold projects and known mutants at the "
    "rates you set; it measures no skill"
)
#: The sentence every power statement ends with.
NOT_A_WIN = "a difference whose interval covers zero is not a win"


class Completeness(BaseModel):
    """Whether every planned sample is stored and counted.

    Attributes:
        planned: Samples the manifest plans.
        stored: Samples with a record.
        missing: ``task/arm/epoch`` of planned samples without a record.
        infra_failures: ``task/arm/epoch`` of infrastructure failures (excluded).
        unscored: ``task/arm/epoch`` of samples generated but not scored.
        scoring: Whether the run scores samples (False for ``--no-score``).
        not_run: ``task/arm/epoch`` of samples a sequential run did not need (it
            stopped once decided): not missing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    planned: int
    stored: int
    missing: list[str]
    infra_failures: list[str]
    unscored: list[str]
    scoring: bool = True
    not_run: list[str] = Field(default_factory=list)

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


class GateOutcome(BaseModel):
    """A gate applied to the run, as the report shows it.

    Attributes:
        name: The gate and the arm (``--require-no-worse v2=0.02 [v2]``).
        passed: Whether it held.
        message: What was measured.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    passed: bool
    message: str


class RunSummary(BaseModel):
    """``summary.json``: everything a report shows.

    Attributes:
        schema_version: Version of this format.
        manifest: The run's manifest, embedded once: what ran, with every hash and
            version (the properties below read it).
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
        sequential: What early stopping did (runs with ``--stop-when-decided``).
        gates: The gates given to ``harness eval`` or ``harness report``, applied.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[2] = SUMMARY_SCHEMA_VERSION
    manifest: RunManifest
    completeness: Completeness
    stats: RunStats | None
    power: list[PowerStatement]
    parts: PartsReport | None = None
    headroom: HeadroomReport | None = None
    pass_rates: list[PassRateChange] = Field(default_factory=list)
    samples: list[SampleRow]
    sequential: SequentialSummary | None = None
    gates: list[GateOutcome] = Field(default_factory=list)

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self.manifest.run_id

    @property
    def created_at(self) -> str:
        """When the run started."""
        return self.manifest.created_at

    @property
    def harness_version(self) -> str:
        """The harness that ran it."""
        return self.manifest.harness_version

    @property
    def model(self) -> str:
        """The model spec."""
        return self.manifest.model

    @property
    def endpoint(self) -> str | None:
        """The model's base URL, if not the default."""
        return self.manifest.endpoint

    @property
    def solver(self) -> str:
        """The arms' solvers, comma-separated."""
        return solvers_of(self.manifest)

    @property
    def epochs(self) -> int:
        """Epochs per task and arm."""
        return self.manifest.epochs

    @property
    def seed(self) -> int:
        """The run's seed (also the statistics')."""
        return self.manifest.seed

    @property
    def baseline(self) -> str:
        """The arm every other is compared with."""
        return self.manifest.baseline

    @property
    def arms(self) -> list[ArmEntry]:
        """The arms with their variants' hashes."""
        return self.manifest.arms

    @property
    def tasks(self) -> list[str]:
        """The task ids."""
        return [task.id for task in self.manifest.tasks]

    @property
    def checks(self) -> list[str]:
        """The checks run."""
        return self.manifest.checks

    @property
    def scorer_version(self) -> str:
        """The scoring rules' version."""
        return self.manifest.scorer_version

    @property
    def sandbox(self) -> str:
        """The sandbox that ran generated code."""
        return self.manifest.sandbox

    @property
    def simulated(self) -> bool:
        """Whether the model is ``sim`` (it measures no skill)."""
        return self.manifest.simulated

    @property
    def labels(self) -> list[str]:
        """Arm labels, baseline first."""
        labels = [entry.arm.label for entry in self.arms]
        return [self.baseline, *(label for label in labels if label != self.baseline)]

    def rows_of(self, status: SampleStatus) -> list[SampleRow]:
        """The samples with ``status``."""
        return [row for row in self.samples if row.status == status]


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
    manifest: RunManifest,
    records: Sequence[SampleRecord],
    not_needed: set[str] | None = None,
) -> Completeness:
    """What of the planned run is missing, excluded or unscored.

    Args:
        manifest: The run's manifest.
        records: Its stored records.
        not_needed: Tasks a sequential run stopped before (their samples are not run,
            not missing).
    """
    stored = {record.spec.key: record for record in records}
    skipped = not_needed or set()
    missing = [
        f"{spec.task}/{spec.arm}/{spec.epoch}"
        for spec in manifest.specs()
        if spec.key not in stored and spec.task not in skipped
    ]
    not_run = [
        f"{spec.task}/{spec.arm}/{spec.epoch}"
        for spec in manifest.specs()
        if spec.key not in stored and spec.task in skipped
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
        not_run=not_run,
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
    from harness.report.stopping import anytime_stats, follow, plan_batches

    ordered = sorted(records, key=lambda r: (r.spec.task, r.spec.arm, r.spec.epoch))
    rows = [sample_row(record) for record in ordered]
    table = table_of(rows)
    resamples = n_resamples or DEFAULT_RESAMPLES
    state = follow(manifest, ordered, n_resamples=resamples)
    not_needed: set[str] = set()
    stats: RunStats | None = None
    if any(s.variant == manifest.baseline for s in table.samples) and table.checks:
        if state is None:
            stats = analyze(
                table,
                baseline=manifest.baseline,
                seed=manifest.seed,
                n_resamples=resamples,
            )
        else:
            order = [task for batch in plan_batches(manifest) for task in batch]
            used = order[: state.tasks_run] if state.stopped_early else order
            not_needed = set(order) - set(used)
            stats = anytime_stats(table, manifest, used, n_resamples=resamples)
    if state is not None and state.stopped_early and stats is not None:
        state = state.model_copy(
            update={"text": state.text + _saved_cost(stats, state)}
        )
    return RunSummary(
        manifest=manifest,
        completeness=completeness(manifest, ordered, not_needed),
        stats=stats,
        power=power_statements(stats),
        parts=build_parts(manifest, ordered, table, stats, probe_catalog())
        if stats is not None
        else None,
        headroom=build_headroom(table, stats) if stats is not None else None,
        pass_rates=pass_rate_changes(table, stats, resamples),
        samples=rows,
        sequential=state,
    )


def _saved_cost(stats: RunStats, state: SequentialSummary) -> str:
    """``; about $X of model calls not made`` when the run's samples are priced."""
    priced = [c.cost_usd.mean for c in stats.costs if c.cost_usd.mean is not None]
    if not priced or not any(priced):
        return ""
    per_sample = sum(priced) / len(priced)
    saved = per_sample * (state.samples_planned - state.samples_run)
    return f"; about ${saved:.2f} of model calls not made"


__all__ = [
    "NOT_A_WIN",
    "SIM_BANNER",
    "SUMMARY_SCHEMA_VERSION",
    "Completeness",
    "GateOutcome",
    "PowerStatement",
    "RunSummary",
    "build_summary",
    "completeness",
    "power_statements",
]
