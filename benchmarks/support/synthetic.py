"""Synthetic runs: a run folder with sample records drawn from known score distributions.

For tests and the report benchmark (``benchmarks/report_bench.py``): a stored run of any
size, written in the real layout (manifest, samples, transcripts, workspaces) in a second,
without a model or a sandbox. Each check's score on a sample is a task's base level plus
the arm's planted effect plus epoch noise, clipped to [0, 1]; the overall score is the
weighted mean, exactly as the scorer composes it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.models.base import ModelReply, Usage
from harness.run.layout import RunLayout
from harness.run.records import ArmEntry, Failure, RunManifest, SampleRecord, TaskEntry
from harness.run.spec import Arm, SampleSpec
from harness.run.store import RunStore
from harness.scoring.results import (
    CheckResult,
    EnvironmentSummary,
    Finding,
    ProjectScore,
)
from harness.scoring.scorer import DEFAULT_WEIGHTS
from harness.solvers import GenerationRecord, SampleError
from harness.transcript import EndEvent, FilesEvent, ReplyEvent, StartEvent, UserEvent

if TYPE_CHECKING:
    from pathlib import Path

_ENV = EnvironmentSummary(lock_hash="synthetic", python="3.12", tools={})
_MAIN = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\n'


@dataclass
class SyntheticRun:
    """What to synthesise.

    Attributes:
        run_id: The run's id.
        tasks: Number of tasks (``task-000``...).
        epochs: Epochs per task and arm.
        effects: Planted effect on every check, per arm (the first arm is the baseline).
        infra_rate: Chance a sample is an infrastructure failure.
        model_failure_rate: Chance a sample is a model failure with no score.
        noise: Sd of the epoch noise.
        seed: Seed of every draw.
        simulated: Mark the run as a ``sim`` run.
        files: Files written per workspace.
        task_prefix: Task ids are ``<prefix>-000``...
        file_lines: Extra lines per generated file (to size drill-downs).
        reply_chars: Length of the model reply in each transcript.
        references: Write each task's reference project (the generated files with one
            line changed) next to the run, so drill-downs diff against it.
    """

    run_id: str = "synthetic"
    tasks: int = 10
    epochs: int = 2
    effects: dict[str, float] = field(
        default_factory=lambda: {"none": 0.0, "skill": 0.1}
    )
    infra_rate: float = 0.0
    model_failure_rate: float = 0.0
    noise: float = 0.1
    seed: int = 0
    simulated: bool = True
    files: int = 3
    task_prefix: str = "task"
    file_lines: int = 0
    reply_chars: int = 400
    references: bool = False


def tasks_folder(results_dir: Path, spec: SyntheticRun) -> Path:
    """Where a synthetic run's task folders (their references) are written."""
    return results_dir / f"{spec.run_id}-tasks"


def manifest_of(spec: SyntheticRun, tasks: Path | None = None) -> RunManifest:
    """The manifest of a synthetic run (its tasks in ``tasks`` when given)."""
    arms = [
        ArmEntry(
            arm=Arm(
                label=label,
                variant_spec="none" if i == 0 else f"path:skills/{label}",
                delivery="none" if i == 0 else "inline",
            ),
            kind="none" if i == 0 else "path",
            content_hash="none" if i == 0 else f"hash-{label}",
        )
        for i, label in enumerate(spec.effects)
    ]
    return RunManifest(
        run_id=spec.run_id,
        created_at="2026-01-01T00:00:00+00:00",
        harness_version="0.0.0-synthetic",
        model="sim" if spec.simulated else "synthetic",
        epochs=spec.epochs,
        seed=spec.seed,
        baseline=arms[0].arm.label,
        arms=arms,
        tasks=[
            TaskEntry(
                id=f"{spec.task_prefix}-{i:03d}",
                hash=f"h{i}",
                path=str(tasks / f"{spec.task_prefix}-{i:03d}") if tasks else None,
            )
            for i in range(spec.tasks)
        ],
        checks=list(DEFAULT_WEIGHTS),
        weights=dict(DEFAULT_WEIGHTS),
        scorer_version="1",
        prompt_version="1+synthetic",
        sandbox="none (synthetic)",
        simulated=spec.simulated,
    )


def _score(
    rng: random.Random, base: float, effect: float, noise: float
) -> ProjectScore:
    checks = []
    for name in DEFAULT_WEIGHTS:
        value = min(1.0, max(0.0, base + effect + rng.gauss(0.0, noise)))
        findings = [
            Finding(
                code=f"X{k:03d}",
                message=f"synthetic finding {k}",
                path="app/main.py",
                line=k,
            )
            for k in range(int((1 - value) * 10))
        ]
        checks.append(
            CheckResult(
                name=name,
                status="pass" if value >= 1.0 else "fail",
                score=value,
                duration_s=0.1,
                findings=findings,
            )
        )
    weights = dict(DEFAULT_WEIGHTS)
    total = sum(weights[c.name] for c in checks)
    overall = sum(weights[c.name] * c.score for c in checks) / total
    return ProjectScore(
        harness_version="0.0.0-synthetic",
        project="project",
        project_hash="synthetic",
        entrypoint="app.main:app",
        sandbox="none",
        environment=_ENV,
        weights=weights,
        overall=overall,
        checks=checks,
    )


def _generation(files: list[str], ok: bool) -> GenerationRecord:
    return GenerationRecord(
        prompt_version="1+synthetic",
        system_prompt_sha="0" * 16,
        task_prompt_sha="0" * 16,
        started_at="2026-01-01T00:00:00+00:00",
        wall_s=1.5,
        turns=1,
        usage=Usage(input_tokens=1000, output_tokens=500),
        total_tokens=1500,
        cost_usd=0.01,
        error=None
        if ok
        else SampleError(kind="model", message="no files in the reply"),
        files=files,
    )


def _body(seed: str, spec: SyntheticRun) -> str:
    # Distinct names per sample and line, so the drill-downs compress like real code.
    return "".join(
        f"def h_{hashlib.sha256(f'{seed}/{k}'.encode()).hexdigest()[:12]}(item_id: int) "
        f"-> dict[str, int]:\n    return {{'id': item_id + {k}}}\n"
        for k in range(spec.file_lines // 2)
    )


def _write_reference(folder: Path, task: str, spec: SyntheticRun) -> None:
    for k in range(spec.files):
        path = folder / task / "reference" / f"app/file_{k}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_MAIN + _body(task, spec) + f"# {task} reference\n")


def _write_side_files(
    layout: RunLayout,
    sample: SampleSpec,
    files: list[str],
    spec: SyntheticRun,
    draw: str,
) -> None:
    workspace = layout.workspace(sample)
    seed = f"{sample.task}/{sample.arm}/{sample.epoch}"
    body = _body(sample.task if spec.references else seed, spec)
    for rel in files:
        path = workspace / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            _MAIN + body + f"# {sample.task} {sample.arm} {sample.epoch} {rel}\n"
        )
    events = [
        StartEvent(
            task=sample.task,
            arm=sample.arm,
            variant_hash="h",
            delivery=sample.delivery,
            solver="oneshot",
            model="sim",
            epoch=sample.epoch,
            prompt_version="1",
            system="You write FastAPI projects.",
        ),
        UserEvent(content=f"Build {sample.task}."),
        ReplyEvent(
            turn=1,
            reply=ModelReply(
                text=("Here are the files.\n" * (spec.reply_chars // 20 + 1))[
                    : spec.reply_chars
                ],
                raw_stop_reason=f"sim:{draw}" if spec.simulated else None,
            ),
        ),
        FilesEvent(files=files),
        EndEvent(ending="finished", ok=True, turns=1, files=files),
    ]
    path = layout.transcript(sample)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(e.model_dump_json() + "\n" for e in events))


def synthesize(
    results_dir: Path, spec: SyntheticRun
) -> tuple[RunManifest, list[SampleRecord]]:
    """Write a synthetic run under ``results_dir`` and return its manifest and records."""
    rng = random.Random(spec.seed)  # noqa: S311 - synthetic scores, not secrets
    layout = RunLayout.of(results_dir, spec.run_id)
    store = RunStore(layout)
    tasks = tasks_folder(results_dir, spec) if spec.references else None
    manifest = manifest_of(spec, tasks)
    store.write_manifest(manifest)
    if tasks is not None:
        for task in manifest.tasks:
            _write_reference(tasks, task.id, spec)
    bases = {task.id: rng.uniform(0.3, 0.8) for task in manifest.tasks}
    records = []
    for sample in manifest.specs():
        files = [f"app/file_{k}.py" for k in range(spec.files)]
        draw = rng.random()
        if draw < spec.infra_rate:
            record = SampleRecord(
                spec=sample,
                failure=Failure(
                    stage="score", kind="infra", reason="sandbox could not start"
                ),
            )
        elif draw < spec.infra_rate + spec.model_failure_rate:
            record = SampleRecord(
                spec=sample,
                generation=_generation([], ok=False),
                failure=Failure(
                    stage="generate", kind="model", reason="no files in the reply"
                ),
            )
        else:
            score = _score(
                rng, bases[sample.task], spec.effects[sample.arm], spec.noise
            )
            record = SampleRecord(
                spec=sample, generation=_generation(files, ok=True), score=score
            )
            # What sim would have drawn: the gold project for a high score, else a mutant.
            drew = (
                "gold" if score.overall >= 0.9 else f"mutant:m{int(score.overall * 10)}"
            )
            _write_side_files(layout, sample, files, spec, drew)
        store.write_sample(record)
        records.append(record)
    return manifest, records


__all__ = ["SyntheticRun", "manifest_of", "synthesize", "tasks_folder"]
