"""One sample, end to end: generate into the run layout, then score; never lose it.

:func:`generate_sample` builds the sample's workspace and transcript at the run layout's
paths and returns a :class:`~harness.run.records.SampleRecord` with the generation record
and, if generation did not end as intended, a classified failure. :func:`score_sample`
scores the workspace with the task's hidden tests. Neither raises for anything a model,
a provider or a sandbox does: each outcome is a record, so ``harness generate``,
``harness eval`` and ``harness rescore`` share this one path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.errors import ProjectOutputError, UsageError
from harness.generate import GenerationRecord, budget_for, generate
from harness.run.records import Failure, SampleRecord, generation_failure, now
from harness.safefs import remove_tree
from harness.variants import Delivery

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.models.base import GenerationParams
    from harness.run.layout import RunLayout
    from harness.run.models import ModelSource
    from harness.run.spec import SampleSpec
    from harness.sandbox import Sandbox, SandboxLimits
    from harness.tasks.loader import Task
    from harness.variants import Variant

logger = logging.getLogger(__name__)


@dataclass
class SampleContext:
    """What every sample of a run shares.

    Attributes:
        layout: Where the run's files go.
        tasks: The run's tasks by id.
        variants: The resolved variant of each arm, by arm label.
        params: Sampling parameters.
        max_cost_usd: A dollar budget per sample, if any.
        sandbox: Where generated code runs (agent commands and every check).
        environment: The evaluation environment (for scoring and agent commands).
        checks: The checks to run (None: all).
        weights: Weights of the overall score (None: the defaults).
        score_limits: Limits of each scoring command.
    """

    layout: RunLayout
    tasks: dict[str, Task]
    variants: dict[str, Variant]
    params: GenerationParams
    max_cost_usd: float | None = None
    sandbox: Sandbox | None = None
    environment: EvaluationEnvironment | None = None
    checks: list[str] | None = None
    weights: dict[str, float] | None = None
    score_limits: SandboxLimits | None = field(default=None)


def _internal(stage: str, error: BaseException) -> str:
    return f"internal error while {stage}: {type(error).__name__}: {error}"


async def generate_sample(
    ctx: SampleContext, source: ModelSource, spec: SampleSpec
) -> SampleRecord:
    """Generate one sample into the run layout (a leftover workspace is replaced).

    Returns:
        The record; an exception of the harness or the provider becomes an ``infra``
        failure, the model's own failures a ``model`` failure.
    """
    task = ctx.tasks[spec.task]
    workspace = ctx.layout.workspace(spec)
    if workspace.exists():  # an attempt interrupted before its record was written
        remove_tree(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    model = None
    try:
        if spec.agent != "builtin":  # a coding-agent CLI works the sample
            record = await _generate_with_agent(ctx, source, spec, task)
            return SampleRecord(
                spec=spec,
                generation=record,
                failure=generation_failure(record),
                generated_at=now(),
            )
        model = source.for_sample(spec, task)
        record = await generate(
            task,
            ctx.variants[spec.arm],
            model=model,
            model_spec=spec.model,
            mode=spec.mode,
            delivery=Delivery(spec.delivery)
            if spec.delivery != "none"
            else Delivery.inline,
            epoch=spec.epoch,
            workspace_dir=workspace,
            transcript_path=ctx.layout.transcript(spec),
            params=ctx.params,
            budget=budget_for(task, max_cost_usd=ctx.max_cost_usd),
            sandbox=ctx.sandbox,
            agent=spec.agent,
        )
    except Exception as error:  # noqa: BLE001 - a crash is a recorded failure, never a lost sample
        logger.warning("%s: %s", spec.describe(), _internal("generating", error))
        failure = Failure(
            stage="generate", kind="infra", reason=_internal("generating", error)
        )
        return SampleRecord(spec=spec, failure=failure, generated_at=now())
    finally:
        if model is not None:
            await model.aclose()
    return SampleRecord(
        spec=spec,
        generation=record,
        failure=generation_failure(record),
        generated_at=now(),
    )


async def _generate_with_agent(
    ctx: SampleContext, source: ModelSource, spec: SampleSpec, task: Task
) -> GenerationRecord:
    """Run a coding-agent CLI in the sandbox against the model gateway."""
    from harness.agents.sample import generate_with_cli

    if ctx.sandbox is None:
        msg = f"--agent {spec.agent} runs the CLI in the sandbox: it needs one"
        raise UsageError(msg)
    return await generate_with_cli(
        task,
        ctx.variants[spec.arm],
        agent=spec.agent,
        model_spec=spec.model,
        epoch=spec.epoch,
        workspace_dir=ctx.layout.workspace(spec),
        transcript_path=ctx.layout.transcript(spec),
        budget=budget_for(task, max_cost_usd=ctx.max_cost_usd),
        sandbox=ctx.sandbox,
        base_url=source.endpoint,
    )


def score_sample(ctx: SampleContext, record: SampleRecord) -> SampleRecord:
    """Score a generated sample's workspace (blocking: run it in a worker thread).

    A sample whose generation failed for infrastructure reasons is returned as it is;
    a model failure is scored as the workspace stands. A project the scorer cannot read
    because of what the model put in it (far too large, code too deeply nested to parse)
    is a ``model`` failure, counted as 0. Any other scoring crash (the sandbox could not
    start, the environment is broken) becomes an ``infra`` failure.

    Returns:
        The record with its score (and its earlier model failure, if any).
    """
    from harness.scoring.scorer import score_project

    if record.generation is None or (
        record.failure is not None and record.failure.kind == "infra"
    ):
        return record
    if ctx.sandbox is None or ctx.environment is None:
        msg = "scoring needs a sandbox and the evaluation environment"
        raise ValueError(msg)
    task = ctx.tasks[record.spec.task]
    try:
        score = score_project(
            ctx.layout.workspace(record.spec),
            sandbox=ctx.sandbox,
            environment=ctx.environment,
            acceptance=task.acceptance_spec(),
            checks=ctx.checks,
            weights=ctx.weights,
            limits=ctx.score_limits,
        )
    except ProjectOutputError as error:  # the model's output, not the machine
        failure = Failure(stage="score", kind="model", reason=str(error))
        return record.model_copy(
            update={"failure": failure, "score": None, "scored_at": now()}
        )
    except Exception as error:  # noqa: BLE001 - recorded, retried by --retry-errors
        reason = _internal("scoring", error)
        logger.warning("%s: %s", record.spec.describe(), reason)
        failure = Failure(stage="score", kind="infra", reason=reason)
        return record.model_copy(update={"failure": failure, "score": None})
    kept = (
        record.failure
        if record.failure is not None and record.failure.stage == "generate"
        else None
    )
    return record.model_copy(
        update={"score": score, "failure": kept, "scored_at": now()}
    )


__all__ = ["SampleContext", "generate_sample", "score_sample"]
