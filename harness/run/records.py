"""A run's files as pydantic models: the manifest and one record per sample.

A :class:`SampleRecord` is a sample's generation record plus its score, or the reason it
has none. Failures are never dropped: a sample whose generation or scoring failed stays
in the record with a :class:`Failure` saying which stage, why, and whose fault:

- ``model``: the model's own doing (a limit ran out, an unparseable reply, no tool
  call, output cut at the token limit). The sample is scored as it is and counts in the
  statistics.
- ``infra``: not the model's doing (the provider failed after retries, the sandbox could
  not start, the environment is broken, an internal error). The sample is left out of the
  statistics, shown apart, and redone by ``harness eval --resume RUN --retry-errors``.

The generation's own :class:`~harness.solvers.outcome.GenerationOutcome` says how it ended
(a limit or an error with its kind); :func:`generation_failure` reads it, nothing else.
Version 1 files (samples and manifests, with ``mode`` and ``agent``) are read and migrated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.run.spec import Arm, SampleSpec
from harness.scoring.models import EnvironmentSummary, ProjectScore
from harness.solvers import GenerationRecord, SampleError

#: Version of ``samples/**.json``; bump on any incompatible change.
SAMPLE_SCHEMA_VERSION: Literal[2] = 2
#: Version of ``manifest.json``; bump on any incompatible change.
MANIFEST_SCHEMA_VERSION: Literal[2] = 2

FailureKind = Literal["model", "infra"]
Stage = Literal["generate", "score"]


def _bump(data: object, version: int) -> object:
    """A version 1 object whose own shape is unchanged (its parts migrate themselves)."""
    if isinstance(data, dict) and data.get("schema_version") == 1:
        return {**data, "schema_version": version}
    return data


def now() -> str:
    """The UTC time now, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Failure(BaseModel):
    """Why a sample did not complete as intended.

    Attributes:
        stage: ``generate`` or ``score``.
        kind: ``model`` (counted, scored as is) or ``infra`` (excluded, retried).
        reason: One line.
        traceback: The Python traceback, when an exception of the harness caused it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    kind: FailureKind
    reason: str
    traceback: str | None = None

    @classmethod
    def of(cls, error: SampleError, *, stage: Stage) -> Failure:
        """The failure an error of ``stage`` is."""
        return cls(
            stage=stage,
            kind=error.kind,
            reason=error.message,
            traceback=error.traceback,
        )


class SampleRecord(BaseModel):
    """One sample: what it was, what generation did, how it scored.

    Attributes:
        schema_version: Version of this format.
        spec: The sample.
        generation: The generation record (None when generation could not even start).
        score: The score (None with ``--no-score``, or when scoring failed).
        failure: Why it did not complete as intended, if it did not.
        generated_at: When generation ended.
        scored_at: When scoring ended.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[2] = SAMPLE_SCHEMA_VERSION
    spec: SampleSpec
    generation: GenerationRecord | None = None
    score: ProjectScore | None = None
    failure: Failure | None = None
    generated_at: str | None = None
    scored_at: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_v1(cls, data: object) -> object:
        return _bump(data, SAMPLE_SCHEMA_VERSION)

    @property
    def infra_failed(self) -> bool:
        """Whether the sample failed for a reason that is not the model's."""
        return self.failure is not None and self.failure.kind == "infra"

    @property
    def scored(self) -> bool:
        """Whether it holds a score (so it counts in the statistics)."""
        return self.score is not None and not self.infra_failed

    @property
    def status(
        self,
    ) -> Literal["scored", "generated", "model_failure", "infra_failure"]:
        """One word for tables: how far the sample got."""
        if self.infra_failed:
            return "infra_failure"
        if self.failure is not None:
            return "model_failure"
        return "scored" if self.score is not None else "generated"


def solvers_of(manifest: RunManifest) -> str:
    """The run's solver(s), in arm order, joined with commas."""
    return ",".join(dict.fromkeys(entry.arm.solver for entry in manifest.arms))


def generation_failure(record: GenerationRecord) -> Failure | None:
    """Classify a generation that did not end as intended (None when it did)."""
    if record.error is not None:
        return Failure.of(record.error, stage="generate")
    if record.limit is not None:
        return Failure(stage="generate", kind="model", reason=record.limit.detail)
    return None


class TaskEntry(BaseModel):
    """A task of the run, with the hash of its folder (``path`` when outside evals/tasks)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    path: str | None = None
    hash: str
    difficulty: int | None = None
    kind: str | None = None
    probes: list[str] = Field(default_factory=list)


class ArmEntry(BaseModel):
    """An arm of the run, with its variant's content hash."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    arm: Arm
    kind: str
    content_hash: str
    revision: str | None = None
    skill_name: str | None = None


class RunManifest(BaseModel):
    """``manifest.json``: what a run is, with every hash and version needed to trust it.

    Attributes:
        schema_version: Version of this format.
        run_id: The run's id (its folder).
        created_at: When the run started.
        harness_version: The harness's version.
        command: The command line that started it.
        model: The model spec.
        endpoint: The base URL used, if not the provider's default.
        params: Sampling parameters.
        epochs: Repetitions per task and arm.
        seed: Seed of everything random the harness does (sim draws, bootstrap).
        baseline: The arm every other is compared with.
        arms: The arms, with their variants' hashes.
        tasks: The tasks, with their folders' hashes.
        checks: The checks run.
        weights: Weights of the overall score.
        scorer_version: Version of the scoring rules.
        prompt_version: Version of the prompt templates.
        sandbox: The sandbox that ran generated code.
        environment: The evaluation environment (lock hash, Python, tool versions).
        options: Everything else that shapes results (budgets, sim settings...).
        simulated: Whether the model is a simulation (``sim``), which measures no skill.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[2] = MANIFEST_SCHEMA_VERSION
    run_id: str
    created_at: str = Field(default_factory=now)
    harness_version: str
    command: list[str] = Field(default_factory=list)
    model: str
    endpoint: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    epochs: int = Field(ge=1)
    seed: int = 0
    baseline: str
    arms: list[ArmEntry]
    tasks: list[TaskEntry]
    checks: list[str]
    weights: dict[str, float]
    scorer_version: str
    prompt_version: str
    sandbox: str
    environment: EnvironmentSummary | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    simulated: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_v1(cls, data: object) -> object:
        data = _bump(data, MANIFEST_SCHEMA_VERSION)
        if isinstance(data, dict) and "mode" in data:
            # v1 kept the mode run-wide: each arm's solver is built from it.
            data = dict(data)
            mode = data.pop("mode")
            data["arms"] = [
                {**entry, "arm": {**entry["arm"], "mode": mode}}
                if isinstance(entry, dict) and isinstance(entry.get("arm"), dict)
                else entry
                for entry in data.get("arms", [])
            ]
        return data

    def arm(self, label: str) -> Arm:
        """The arm called ``label``.

        Raises:
            KeyError: When the run has no such arm.
        """
        for entry in self.arms:
            if entry.arm.label == label:
                return entry.arm
        raise KeyError(label)

    def specs(self) -> list[SampleSpec]:
        """Every sample the run is made of, task by task, arm by arm, epoch by epoch."""
        return [
            SampleSpec.of(task.id, entry.arm, model=self.model, epoch=epoch)
            for task in self.tasks
            for entry in self.arms
            for epoch in range(self.epochs)
        ]


__all__ = [
    "ArmEntry",
    "Failure",
    "FailureKind",
    "RunManifest",
    "SampleRecord",
    "TaskEntry",
    "generation_failure",
    "now",
    "solvers_of",
]
