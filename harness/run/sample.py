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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.run.records import Failure, SampleRecord, generation_failure, now
from harness.safefs import remove_tree
from harness.solvers.base import SolverDeps, solver_class
from harness.solvers.outcome import SampleError
from harness.solvers.skeleton import SampleRef, budget_for, solve_sample
from harness.variants import Delivery

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.models.base import GenerationParams
    from harness.run.layout import RunLayout
    from harness.run.source import ModelSource
    from harness.run.spec import SampleSpec
    from harness.sandbox import Sandbox
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


async def generate_sample(
    ctx: SampleContext, source: ModelSource, spec: SampleSpec
) -> SampleRecord:
    """Generate one sample into the run layout (a leftover workspace is replaced).

    The arm's solver works the sample inside the one skeleton
    (:func:`~harness.solvers.skeleton.solve_sample`).

    Returns:
        The record; an exception of the harness or the provider becomes an ``infra``
        failure (its traceback kept), the model's own failures a ``model`` failure.
    """
    task = ctx.tasks[spec.task]
    workspace = ctx.layout.workspace(spec)
    if workspace.exists():  # an attempt interrupted before its record was written
        remove_tree(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    model = None
    try:
        factory = solver_class(spec.solver)
        if factory.uses_model_client:
            model = source.for_sample(spec, task)
        solver = factory.create(
            SolverDeps(
                model_spec=spec.model,
                model=model,
                params=ctx.params,
                sandbox=ctx.sandbox,
                base_url=source.endpoint,
            )
        )
        record = await solve_sample(
            solver,
            task,
            ctx.variants[spec.arm],
            Delivery.inline if spec.delivery == "none" else Delivery(spec.delivery),
            ref=SampleRef(
                task=spec.task,
                arm=spec.arm,
                model=spec.model,
                epoch=spec.epoch,
                params=ctx.params.model_dump(mode="json"),
            ),
            workspace_dir=workspace,
            transcript_path=ctx.layout.transcript(spec),
            budget=budget_for(task, max_cost_usd=ctx.max_cost_usd),
        )
    except Exception as error:  # noqa: BLE001 - a crash is a recorded failure, never a lost sample
        failure = SampleError.from_exception(error, while_doing="generating")
        logger.warning("%s: %s", spec.describe(), failure.message)
        return SampleRecord(
            spec=spec,
            failure=Failure.of(failure, stage="generate"),
            generated_at=now(),
        )
    finally:
        if model is not None:
            await model.aclose()
    return SampleRecord(
        spec=spec,
        generation=record,
        failure=generation_failure(record),
        generated_at=now(),
    )


def score_sample(ctx: SampleContext, record: SampleRecord) -> SampleRecord:
    """Score a generated sample's workspace (blocking: run it in a worker thread).

    A sample whose generation failed for infrastructure reasons is returned as it is;
    a model failure is scored as the workspace stands. A scoring crash (the sandbox could
    not start, the environment is broken) becomes an ``infra`` failure.

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
        )
    except Exception as error:  # noqa: BLE001 - recorded, retried by --retry-errors
        crash = SampleError.from_exception(error, while_doing="scoring")
        logger.warning("%s: %s", record.spec.describe(), crash.message)
        failure = Failure.of(crash, stage="score")
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
