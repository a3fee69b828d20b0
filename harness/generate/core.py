"""One sample's generation: task x variant x delivery x mode x model x epoch -> a workspace.

:func:`generate` builds a fresh workspace (the task's starter, the skill where the delivery
puts it), renders the prompts, runs the mode (``oneshot``: one reply parsed into files;
``agent``: the tool loop), removes the skill from the workspace, and returns a
:class:`GenerationRecord` (tokens, cost, time, stop reason, trigger events, prompt version).
The transcript is written as JSONL beside it. A model error, an exhausted budget or an
unparseable reply is a recorded outcome with its reason, never an exception: the workspace
is then whatever the model managed to write, and scoring it yields the failure.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from harness.agent.workspace import Workspace, remove_caches
from harness.errors import UsageError
from harness.generate.modes import run_mode, tool_dump
from harness.generate.record import (
    GenerationRecord,
    Mode,
    finish_record,
    open_record,
    start_event,
)
from harness.models.base import GenerationParams, Usage
from harness.models.budget import Budget
from harness.project import load_project, read_bytes_safely
from harness.prompts import (
    MAX_STARTER_BYTES,
    render_skill,
    render_system,
    render_task,
)
from harness.transcript import ProblemEvent, Transcript
from harness.variants import Delivery, Variant

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.sandbox import Sandbox, SandboxLimits
    from harness.tasks.loader import Task


def starter_texts(starter: Path | None) -> dict[str, str]:
    """The starter's text files, to show in a one-shot prompt.

    Raises:
        UsageError: When the starter is larger than a prompt can hold.
    """
    if starter is None:
        return {}
    project = load_project(starter)
    texts: dict[str, str] = {}
    total = 0
    for rel in project.files:
        data = read_bytes_safely(starter, rel)
        if data is None or b"\0" in data[:8192]:
            continue
        total += len(data)
        texts[rel] = data.decode("utf-8", "replace")
    if total > MAX_STARTER_BYTES:
        msg = (
            f"the starter {starter} holds {total} bytes of text, more than a one-shot "
            f"prompt takes ({MAX_STARTER_BYTES}): use --mode agent"
        )
        raise UsageError(msg)
    return texts


def budget_for(task: Task, *, max_cost_usd: float | None = None) -> Budget:
    """The sample's budget from the task's limits (and a cost cap, if given)."""
    limits = task.config.limits
    return Budget(
        max_wall_s=float(limits.time_seconds),
        max_tokens=limits.tokens,
        max_turns=limits.turns,
        max_cost_usd=max_cost_usd,
    )


async def generate(
    task: Task,
    variant: Variant,
    *,
    model: Model,
    model_spec: str,
    mode: Mode,
    delivery: Delivery,
    epoch: int,
    workspace_dir: Path,
    transcript_path: Path | None,
    params: GenerationParams | None = None,
    budget: Budget | None = None,
    sandbox: Sandbox | None = None,
    command_limits: SandboxLimits | None = None,
    agent: str = "builtin",
) -> GenerationRecord:
    """Generate one sample.

    Args:
        task: The task.
        variant: The variant (``none`` for the baseline).
        model: The model to call (``reference`` answers with the task's gold project).
        model_spec: Its spec, as recorded.
        mode: ``oneshot`` or ``agent``.
        delivery: How the skill reaches the model (ignored for ``none``).
        epoch: The repetition number.
        workspace_dir: A fresh folder for the project (must not exist or be empty).
        transcript_path: Where the JSONL transcript goes (None: not written).
        params: Sampling parameters.
        budget: Limits (default: the task's).
        sandbox: Where the agent's ``run`` executes (required for ``agent`` mode,
            except with the offline ``reference`` model, which runs nothing).
        command_limits: Limits of each ``run`` command.
        agent: Who acts on the workspace (``builtin``: one-shot or the harness's loop).

    Returns:
        The record; failures of the model are recorded, not raised.

    Raises:
        UsageError: For a combination that cannot run (on-demand delivery in one-shot
            mode, agent mode without a sandbox).
    """
    params = params or GenerationParams()
    budget = budget or budget_for(task)
    if agent != "builtin":  # coding-agent CLIs: harness.agents.sample, via harness.run
        msg = (
            f"agent {agent!r} runs through harness.agents.sample.generate_with_cli "
            "(harness eval and harness generate dispatch to it)"
        )
        raise UsageError(msg)
    skill = variant.skill
    if skill is not None and delivery is Delivery.on_demand and mode == "oneshot":
        msg = (
            "on-demand delivery needs tools to open the skill: use --mode agent, "
            "or --delivery inline"
        )
        raise UsageError(msg)
    if mode == "agent" and sandbox is None and model.name != "reference":
        msg = "agent mode runs commands and needs a sandbox"
        raise UsageError(msg)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    # In agent mode the skill's files are readable in the workspace with either delivery
    # (inline bodies point at their references); one-shot has no tools to open them.
    in_workspace = skill is not None and mode == "agent"
    workspace = Workspace.create(
        workspace_dir,
        starter=task.starter_dir,
        skill=skill if in_workspace else None,
    )
    skill_section = (
        render_skill(skill, delivery, files_in_workspace=in_workspace)
        if skill is not None
        else ""
    )
    has_starter = task.starter_dir is not None
    system = render_system(
        mode,
        skill_section=skill_section,
        has_starter=has_starter,
        max_turns=budget.max_turns or 40,
        skill_in_workspace=in_workspace,
    )
    contract_file = task.root.parent / "contract.md"
    contract = (
        contract_file.read_text(encoding="utf-8") if contract_file.is_file() else None
    )
    user = render_task(
        task.prompt(),
        contract=contract,
        starter_files=starter_texts(task.starter_dir) if mode == "oneshot" else None,
        has_starter=has_starter,
    )
    record = open_record(
        task,
        variant,
        delivery=delivery.value if skill is not None else "none",
        mode=mode,
        agent=agent,
        model_spec=model_spec,
        epoch=epoch,
        params=params.model_dump(),
        system=system,
        user=user,
        budget=budget,
        started_at=started_at,
    )
    if transcript_path is not None:
        transcript_path.parent.mkdir(parents=True, exist_ok=True)
    with Transcript(transcript_path) as transcript:
        tools = [] if mode == "oneshot" else tool_dump()
        transcript.write(start_event(record, system=system, tools=tools))
        try:
            record.update(
                await run_mode(
                    mode,
                    model,
                    system=system,
                    user=user,
                    params=params,
                    budget=budget,
                    workspace=workspace,
                    transcript=transcript,
                    sandbox=sandbox,
                    command_limits=command_limits,
                    in_workspace=in_workspace,
                )
            )
        except Exception as error:  # noqa: BLE001 - a crash is a recorded failure, never a lost sample
            detail = f"internal error: {type(error).__name__}: {error}"
            transcript.write(ProblemEvent(message=detail))
            record.update(
                turns=0,
                usage=Usage(),
                cost_usd=None,
                stop_reason="error",
                ok=False,
                detail=detail,
            )
        remove_caches(workspace.root)
        if in_workspace:
            record["skill_intact"] = workspace.skill_intact()
            workspace.remove_skill()
        generation = finish_record(
            record, workspace, transcript, clock, baseline=skill is None
        )
    return generation


__all__ = ["budget_for", "generate", "starter_texts"]
