"""What a worker node does for a run: score a sample, generate one, run one command.

Each function runs in a Ray worker process (the executor wraps it with ``ray.remote``) and
is plain Python otherwise, so it is tested without Ray too. It checks the node first
(:func:`~harness.cluster.node.prepare_node`: a node in another environment refuses, and
the refusal comes back as an infrastructure failure), works in a scratch folder with the
run layout's own names (a project is named as on the driver), and returns records and
files as values: only the driver writes the run store.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.cluster.bundle import (
    BundleError,
    FolderPack,
    TaskBundle,
    materialise_task,
    pack_folder,
    unpack_folder,
)
from harness.cluster.node import NodeRefusedError, node_cache, prepare_node
from harness.models.base import GenerationParams
from harness.run.layout import RunLayout
from harness.run.records import Failure, SampleRecord, now
from harness.run.sample import SampleContext, generate_sample, score_sample
from harness.safefs import scratch_folder
from harness.sandbox.types import Mount
from harness.tasks.loader import load_task

if TYPE_CHECKING:
    from pathlib import Path

    from harness.cluster.node import NodeRequirements
    from harness.gateway import Upstream
    from harness.run.records import Stage
    from harness.run.spec import SampleSpec
    from harness.sandbox import SandboxRequest, SandboxResult
    from harness.tasks.loader import Task
    from harness.variants import Variant

#: Transcripts (an agent's stream is capped at 64 MB by the sandbox) travel up to this.
MAX_TRANSCRIPT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ScoreJob:
    """One sample to score on a node.

    Attributes:
        wanted: What the node must match.
        run_id: The run (names the scratch layout).
        record: The sample's record as stored.
        workspace: Its workspace's files.
        checks: The checks to run (None: all).
        weights: Weights of the overall score.
    """

    wanted: NodeRequirements
    run_id: str
    record: SampleRecord
    workspace: FolderPack
    checks: list[str] | None = None
    weights: dict[str, float] | None = None


@dataclass(frozen=True)
class GenerateJob:
    """One sample to generate on a node (a coding agent works it there).

    Attributes:
        wanted: What the node must match.
        run_id: The run.
        spec: The sample.
        variant: Its arm's variant (the skill's files travel inside it).
        params: Sampling parameters.
        max_cost_usd: The per-sample dollar budget.
        upstream: Where the sample's gateway forwards: the driver's endpoint, with the
            run token (never the key).
    """

    wanted: NodeRequirements
    run_id: str
    spec: SampleSpec
    variant: Variant
    params: GenerationParams
    max_cost_usd: float | None
    upstream: Upstream | None


@dataclass(frozen=True)
class Generated:
    """A sample generated on a node: its record and files, for the driver to store.

    Attributes:
        record: The record.
        workspace: The workspace's files.
        transcripts: The sample's transcript files (``<epoch>.jsonl`` and siblings).
    """

    record: SampleRecord
    workspace: FolderPack = field(default_factory=FolderPack)
    transcripts: FolderPack = field(default_factory=FolderPack)


@dataclass(frozen=True)
class CommandJob:
    """One sandboxed command over a workspace copy (the builtin loop's ``run`` tool).

    Attributes:
        wanted: What the node must match.
        request: The command; its workspace and mounts name driver paths, replaced here.
        workspace: The workspace's files.
        mounts: The files of each of the request's mounts, in order.
    """

    wanted: NodeRequirements
    request: SandboxRequest
    workspace: FolderPack
    mounts: tuple[FolderPack, ...] = ()


def _refused(record: SampleRecord, error: Exception, stage: Stage) -> SampleRecord:
    failure = Failure(stage=stage, kind="infra", reason=str(error))
    update: dict[str, object] = {"failure": failure}
    if stage == "score":
        update["score"] = None
    return record.model_copy(update=update)


def _task(bundle: TaskBundle) -> Task:
    return load_task(materialise_task(bundle, node_cache() / "tasks"))


def score_on_node(job: ScoreJob, bundle: TaskBundle) -> SampleRecord:
    """Score a sample here; a refusal of this node is the record's infra failure."""
    try:
        environment, sandbox = prepare_node(job.wanted)
        task = _task(bundle)
    except (NodeRefusedError, BundleError) as error:
        return _refused(job.record, error, "score")
    spec = job.record.spec
    with scratch_folder("hs-score-") as scratch:
        layout = RunLayout.of(scratch, job.run_id)
        unpack_folder(job.workspace, layout.workspace(spec))
        ctx = SampleContext(
            layout=layout,
            tasks={task.id: task},
            variants={},
            params=GenerationParams(),
            sandbox=sandbox,
            environment=environment,
            checks=job.checks,
            weights=job.weights,
        )
        return score_sample(ctx, job.record)


def generate_on_node(job: GenerateJob, bundle: TaskBundle) -> Generated:
    """Generate a sample here (the agent and its sandbox run on this node)."""
    spec = job.spec
    try:
        environment, sandbox = prepare_node(job.wanted)
        task = _task(bundle)
    except (NodeRefusedError, BundleError) as error:
        failure = Failure(stage="generate", kind="infra", reason=str(error))
        return Generated(SampleRecord(spec=spec, failure=failure, generated_at=now()))
    with scratch_folder("hs-generate-") as scratch:
        layout = RunLayout.of(scratch, job.run_id)
        ctx = SampleContext(
            layout=layout,
            tasks={task.id: task},
            variants={spec.arm: job.variant},
            params=job.params,
            max_cost_usd=job.max_cost_usd,
            sandbox=sandbox,
            environment=environment,
            agent_upstream=job.upstream,
        )
        record = asyncio.run(generate_sample(ctx, None, spec))
        transcripts = pack_folder(
            layout.transcript(spec).parent, max_bytes=MAX_TRANSCRIPT_BYTES
        )
        try:
            workspace = pack_folder(layout.workspace(spec))
        except BundleError as error:
            return Generated(
                _refused(record, error, "generate"), FolderPack(), transcripts
            )
        return Generated(record, workspace, transcripts)


def run_on_node(job: CommandJob) -> tuple[SandboxResult, FolderPack]:
    """Run one sandboxed command over a copy of the workspace here.

    Returns:
        What the command did, and the workspace's files after it.

    Raises:
        NodeRefusedError: When this node cannot run the command.
    """
    _, sandbox = prepare_node(job.wanted)
    with scratch_folder("hs-command-") as scratch:
        work = scratch / "work"
        unpack_folder(job.workspace, work)
        mounts: list[Mount] = []
        for index, (mount, files) in enumerate(
            zip(job.request.mounts, job.mounts, strict=True)
        ):
            source: Path = scratch / f"mount-{index}"
            unpack_folder(files, source)
            mounts.append(mount.model_copy(update={"source": source}))
        request = job.request.model_copy(update={"workspace": work, "mounts": mounts})
        result = sandbox.run(request)
        return result, pack_folder(work)


__all__ = [
    "CommandJob",
    "GenerateJob",
    "Generated",
    "ScoreJob",
    "generate_on_node",
    "run_on_node",
    "score_on_node",
]
