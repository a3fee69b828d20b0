"""One sample through the one skeleton, from parts (the tests' shortcut past the run layer).

The run layer (``harness.run.sample.generate_sample``) does the same with a run's layout
and model source; tests that check one solver's behaviour build the parts themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.models.base import GenerationParams
from harness.solvers.base import SolverDeps, solver_class
from harness.solvers.skeleton import SampleRef, budget_for, solve_sample
from harness.variants import Delivery

if TYPE_CHECKING:
    from pathlib import Path

    from harness.models.base import Model
    from harness.models.budget import Budget
    from harness.sandbox import Sandbox
    from harness.solvers.record import GenerationRecord
    from harness.tasks.loader import Task
    from harness.variants import Variant


async def solve_one(
    task: Task,
    variant: Variant,
    *,
    solver: str,
    model_spec: str,
    model: Model | None = None,
    delivery: Delivery | None = None,
    epoch: int = 0,
    workspace_dir: Path,
    transcript_path: Path | None,
    params: GenerationParams | None = None,
    budget: Budget | None = None,
    sandbox: Sandbox | None = None,
    base_url: str | None = None,
) -> GenerationRecord:
    """Generate one sample with the named solver."""
    factory = solver_class(solver)
    instance = factory.create(
        SolverDeps(
            model_spec=model_spec,
            model=model,
            params=params or GenerationParams(),
            sandbox=sandbox,
            base_url=base_url,
        )
    )
    return await solve_sample(
        instance,
        task,
        variant,
        delivery or factory.deliveries[0],
        ref=SampleRef(
            task=task.id, arm=variant.label, model=model_spec, epoch=epoch, params={}
        ),
        workspace_dir=workspace_dir,
        transcript_path=transcript_path,
        budget=budget or budget_for(task),
    )
