"""One sample's generation, the same for every solver: spec -> workspace -> record.

:func:`solve_sample` owns everything around a solver's work: a fresh workspace (the task's
starter; the skill, in the skill arm, where the solver loads it: staged outside the
workspace and bound read-only, :class:`~harness.solvers.placement.SkillMount`), the
prompts the solver builds, the transcript's ``start``, ``user`` and ``end`` events, and,
when the solver is done, the skill's removal (never through a link), the tool caches'
removal, the baseline's check, and the :class:`~harness.solvers.record.GenerationRecord`.
A solver's failure is in its outcome; an exception (the harness's own) becomes an
``infra`` error with its traceback, never a lost sample.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.models.budget import Budget
from harness.prompts import prompt_version
from harness.solvers.base import check_delivery
from harness.solvers.outcome import GenerationOutcome, SampleError
from harness.solvers.record import GenerationRecord, prompt_sha
from harness.solvers.workspace import Workspace, remove_caches, skill_files_in
from harness.transcript import (
    EndEvent,
    ProblemEvent,
    StartEvent,
    Transcript,
    UserEvent,
)

if TYPE_CHECKING:
    from pathlib import Path

    from harness.solvers.base import Solver
    from harness.tasks.loader import Task
    from harness.variants import Delivery, Variant

logger = logging.getLogger(__name__)


def budget_for(task: Task, *, max_cost_usd: float | None = None) -> Budget:
    """The sample's budget from the task's limits (and a cost cap, if given)."""
    limits = task.config.limits
    return Budget(
        max_wall_s=float(limits.time_seconds),
        max_tokens=limits.tokens,
        max_turns=limits.turns,
        max_cost_usd=max_cost_usd,
    )


@dataclass(frozen=True)
class SampleRef:
    """Who a sample is, as its transcript's ``start`` event names it.

    Attributes:
        task: The task id.
        arm: The arm's label.
        model: The model spec.
        epoch: The repetition.
        params: Sampling parameters sent.
    """

    task: str
    arm: str
    model: str
    epoch: int
    params: dict[str, object]


async def solve_sample(
    solver: Solver,
    task: Task,
    variant: Variant,
    delivery: Delivery,
    *,
    ref: SampleRef,
    workspace_dir: Path,
    transcript_path: Path | None,
    budget: Budget,
) -> GenerationRecord:
    """Generate one sample with ``solver``.

    Args:
        solver: Who writes the project.
        task: The task.
        variant: The arm's variant (``none``: no skill anywhere).
        delivery: How the skill reaches the model (checked against the solver's by the
            run layer).
        ref: Who the sample is, for the transcript.
        workspace_dir: A fresh folder for the project (must not exist or be empty).
        transcript_path: Where the JSONL transcript goes (None: not written).
        budget: The sample's limits.

    Returns:
        The record; the solver's failures are in it, never raised.

    Raises:
        UsageError: When the solver cannot give this delivery, the workspace folder is
            not fresh, or the prompt cannot be built (a starter too large for one reply).
    """
    skill = variant.skill
    if skill is not None:
        check_delivery(solver.name, delivery)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    workspace = Workspace.create(workspace_dir, starter=task.starter_dir)
    folder = solver.skill_folder(skill) if skill is not None else None
    if skill is not None and folder is not None:
        workspace.place_skill(skill, folder)
    placed = workspace.skill_mount is not None
    try:
        prompts = solver.prompts(task, skill, delivery, placed=placed, budget=budget)
    except BaseException:
        workspace.remove_skill()
        raise
    if transcript_path is not None:
        transcript_path.parent.mkdir(parents=True, exist_ok=True)
    with Transcript(transcript_path) as transcript:
        transcript.write(
            StartEvent(
                task=ref.task,
                arm=ref.arm,
                variant_hash=variant.content_hash,
                delivery=delivery.value if skill is not None else "none",
                solver=solver.name,
                agent_version=solver.version,
                model=ref.model,
                epoch=ref.epoch,
                prompt_version=prompt_version(),
                system=prompts.system,
                tools=list(prompts.tools),
                params=dict(ref.params),
                budget=budget.model_dump(),
            )
        )
        transcript.write(UserEvent(content=prompts.user))
        try:
            outcome = await solver.solve(workspace, prompts, budget, transcript)
        except Exception as error:  # noqa: BLE001 - a crash is a recorded failure, never a lost sample
            logger.warning("%s/%s: solver %s crashed", ref.task, ref.arm, solver.name)
            failure = SampleError.from_exception(error, while_doing="generating")
            transcript.write(ProblemEvent(message=failure.message))
            outcome = GenerationOutcome(error=failure)
        intact = workspace.remove_skill() if placed else None
        remove_caches(workspace.root)
        return _record(
            outcome,
            workspace,
            transcript,
            prompts_shas=(prompt_sha(prompts.system), prompt_sha(prompts.user)),
            started_at=started_at,
            clock=clock,
            budget=budget,
            skill_intact=intact,
            baseline=skill is None,
            agent_version=solver.version,
        )


def _record(
    outcome: GenerationOutcome,
    workspace: Workspace,
    transcript: Transcript,
    *,
    prompts_shas: tuple[str, str],
    started_at: str,
    clock: float,
    budget: Budget,
    skill_intact: bool | None,
    baseline: bool,
    agent_version: str | None,
) -> GenerationRecord:
    """Close a generation: the baseline's check, the files, the time, the ``end`` event."""
    baseline_clean = None
    if baseline:
        found = skill_files_in(workspace.root)
        baseline_clean = not found
        if found:
            transcript.write(
                ProblemEvent(message=f"skill files in a baseline: {found}")
            )
    skill_md = [t for t in outcome.triggers if t.kind == "skill_md"]
    placed = skill_intact is not None
    record = GenerationRecord(
        **outcome.model_dump(),
        agent_version=agent_version,
        prompt_version=prompt_version(),
        system_prompt_sha=prompts_shas[0],
        task_prompt_sha=prompts_shas[1],
        started_at=started_at,
        wall_s=round(time.monotonic() - clock, 3),
        total_tokens=outcome.usage.total_tokens,
        files=sorted(workspace.project_files()),
        skill_md_opened=bool(skill_md) if placed else None,
        skill_md_turn=skill_md[0].turn if skill_md else None,
        references_opened=sorted(
            {t.path for t in outcome.triggers if t.kind == "reference"}
        ),
        skill_intact=skill_intact,
        baseline_clean=baseline_clean,
        budget=budget.model_dump(),
    )
    transcript.write(
        EndEvent(
            ending=record.ending,
            ok=record.ok,
            reason=record.reason or record.note,
            turns=record.turns,
            usage=record.usage,
            cost_usd=record.cost_usd,
            files=record.files,
        )
    )
    return record


__all__ = ["SampleRef", "budget_for", "solve_sample"]
