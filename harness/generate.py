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

import hashlib
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.agent.loop import StopReason as AgentStopReason
from harness.agent.loop import ToolBox, run_agent
from harness.agent.oneshot import ReplyFormatError, ReplyProblem, parse_reply
from harness.agent.workspace import Workspace, remove_caches, skill_files_in
from harness.errors import UsageError
from harness.fileio import write_atomically
from harness.models.base import (
    BudgetExceededError,
    GenerationParams,
    Message,
    ModelError,
    Usage,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.project import load_project, read_bytes_safely
from harness.prompts import (
    MAX_STARTER_BYTES,
    prompt_version,
    render_skill,
    render_system,
    render_task,
)
from harness.transcript import (
    EndEvent,
    FilesEvent,
    ProblemEvent,
    ReplyEvent,
    StartEvent,
    Transcript,
    TriggerEvent,
    UserEvent,
)
from harness.variants import Delivery, Variant

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.sandbox import Sandbox, SandboxLimits
    from harness.tasks.loader import Task

#: Version of :class:`GenerationRecord`; bump on any incompatible change.
GENERATION_SCHEMA_VERSION: Literal[1] = 1

Mode = Literal["oneshot", "agent"]
StopReason = Literal[
    AgentStopReason,
    "completed",
    "max_tokens",
    "parse_error",
    "error",
    # A coding agent (harness.agents): it exited with an error, or never reached the model.
    "agent_error",
    "infrastructure",
]


class GenerationRecord(BaseModel):
    """What one generation did and cost (``generation.json`` beside the workspace).

    Attributes:
        schema_version: Version of this record.
        task: The task id.
        task_hash: The task folder's content hash.
        variant: The variant's label.
        variant_spec: Its spec (``path:...``, ``git:...``, ``pkg:...``, ``none``).
        variant_hash: The skill's content hash (``none`` for the baseline).
        delivery: ``inline`` or ``on-demand`` (``none`` for the baseline).
        mode: ``oneshot`` or ``agent``.
        agent: Who acted on the workspace: ``builtin`` (the harness's own loop or
            one-shot), ``claude-code`` or ``codex`` (:mod:`harness.agents`).
        model: The model spec.
        epoch: The repetition number.
        params: Sampling parameters sent.
        prompt_version: The templates' version (``PROMPT_VERSION+hash``).
        system_prompt_sha: SHA-256 (16 hex) of the system prompt.
        task_prompt_sha: SHA-256 (16 hex) of the first user message.
        started_at: UTC start time.
        wall_s: Seconds the generation took.
        turns: Model replies.
        usage: Tokens of every reply.
        total_tokens: All tokens, cached or not.
        cost_usd: Dollars, or None when a reply had no price.
        cached_replies: Replies served from the response cache.
        stop_reason: Why generation ended.
        ok: Whether it ended as intended (``finished`` or ``completed``).
        detail: One line on why it ended otherwise.
        files: The project's files after generation (skill removed), relative.
        parse_problems: One-shot parse problems with reply line numbers.
        triggers: Skill files the model opened, in order (on-demand delivery).
        skill_md_opened: Whether SKILL.md was opened (None without a skill in the
            workspace).
        skill_md_turn: The turn SKILL.md was first opened at.
        references_opened: Distinct skill files other than SKILL.md that were opened.
        skill_intact: Whether the skill's files were unchanged at the end.
        baseline_clean: For ``none``: whether the workspace held no skill file.
        commands: Commands run by the agent, with exit status.
        budget: The limits applied.
        summary: The agent's ``finish`` summary.
        agent_version: The coding agent CLI's version.
        failure_class: ``infrastructure`` when the agent never got to work (CLI missing,
            crashed before its first model call), ``agent`` for its own failures.
        agent_startup_s: Seconds from the CLI's launch to its first model call.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = GENERATION_SCHEMA_VERSION
    task: str
    task_hash: str
    variant: str
    variant_spec: str
    variant_hash: str
    delivery: str
    mode: Mode
    agent: str = "builtin"
    model: str
    epoch: int
    params: dict[str, Any]
    prompt_version: str
    system_prompt_sha: str
    task_prompt_sha: str
    started_at: str
    wall_s: float
    turns: int
    usage: Usage
    total_tokens: int
    cost_usd: float | None
    cached_replies: int = 0
    stop_reason: StopReason
    ok: bool
    detail: str | None = None
    files: list[str] = Field(default_factory=list)
    parse_problems: list[ReplyProblem] = Field(default_factory=list)
    triggers: list[TriggerEvent] = Field(default_factory=list)
    skill_md_opened: bool | None = None
    skill_md_turn: int | None = None
    references_opened: list[str] = Field(default_factory=list)
    skill_intact: bool | None = None
    baseline_clean: bool | None = None
    commands: list[dict[str, Any]] = Field(default_factory=list)
    budget: dict[str, Any] = Field(default_factory=dict)
    summary: str | None = None
    agent_version: str | None = None
    failure_class: Literal["agent", "infrastructure"] | None = None
    agent_startup_s: float | None = None


def finish_record(
    record: dict[str, Any],
    workspace: Workspace,
    transcript: Transcript,
    clock: float,
    *,
    baseline: bool,
) -> GenerationRecord:
    """Close a generation: check a baseline holds no skill, list files, time it, end event.

    Shared by the builtin modes and the coding-agent runners (``harness.agents``).

    Args:
        record: The record's fields so far (``usage`` included).
        workspace: The sample's workspace (the skill already removed).
        transcript: Where the ``end`` event (and a baseline problem) goes.
        clock: ``time.monotonic()`` when generation started.
        baseline: Whether the arm has no skill (its workspace must hold none).

    Returns:
        The validated record.
    """
    if baseline:
        found = skill_files_in(workspace.root)
        record["baseline_clean"] = not found
        if found:
            transcript.write(
                ProblemEvent(message=f"skill files in a baseline: {found}")
            )
    record["files"] = sorted(workspace.project_files())
    record["wall_s"] = round(time.monotonic() - clock, 3)
    usage: Usage = record["usage"]
    record["total_tokens"] = usage.total_tokens
    generation = GenerationRecord.model_validate(record)
    transcript.write(
        EndEvent(
            stop_reason=generation.stop_reason,
            ok=generation.ok,
            detail=generation.detail,
            turns=generation.turns,
            usage=usage,
            cost_usd=generation.cost_usd,
            files=generation.files,
            failure_class=generation.failure_class,
        )
    )
    return generation


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
    record: dict[str, Any] = {
        "task": task.id,
        "task_hash": task.content_hash(),
        "variant": variant.label,
        "variant_spec": variant.spec,
        "variant_hash": variant.content_hash,
        "delivery": delivery.value if skill is not None else "none",
        "mode": mode,
        "agent": agent,
        "model": model_spec,
        "epoch": epoch,
        "params": params.model_dump(),
        "prompt_version": prompt_version(),
        "system_prompt_sha": _sha(system),
        "task_prompt_sha": _sha(user),
        "started_at": started_at,
        "budget": budget.model_dump(),
    }
    if transcript_path is not None:
        transcript_path.parent.mkdir(parents=True, exist_ok=True)
    with Transcript(transcript_path) as transcript:
        transcript.write(
            StartEvent(
                task=task.id,
                variant=variant.label,
                variant_hash=variant.content_hash,
                delivery=record["delivery"],
                mode=mode,
                agent=agent,
                model=model_spec,
                epoch=epoch,
                prompt_version=record["prompt_version"],
                system=system,
                tools=[] if mode == "oneshot" else _tool_dump(),
                params=record["params"],
                budget=record["budget"],
            )
        )
        try:
            record.update(
                await _run_mode(
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


async def _run_mode(
    mode: Mode,
    model: Model,
    *,
    system: str,
    user: str,
    params: GenerationParams,
    budget: Budget,
    workspace: Workspace,
    transcript: Transcript,
    sandbox: Sandbox | None,
    command_limits: SandboxLimits | None,
    in_workspace: bool,
) -> dict[str, Any]:
    """Run one mode; returns the record's fields about what happened."""
    fields: dict[str, Any] = {}
    if mode == "oneshot":
        fields.update(
            await _oneshot(model, system, user, params, budget, workspace, transcript)
        )
    else:
        toolbox = ToolBox(workspace, sandbox, transcript, command_limits=command_limits)
        outcome = await run_agent(
            model,
            system=system,
            task=user,
            toolbox=toolbox,
            params=params,
            budget=budget,
            transcript=transcript,
        )
        skill_md = [t for t in outcome.triggers if t.kind == "skill_md"]
        fields.update(
            turns=outcome.turns,
            usage=outcome.usage,
            cost_usd=outcome.cost_usd,
            cached_replies=outcome.cached_replies,
            stop_reason=outcome.stop_reason,
            ok=outcome.stop_reason == "finished",
            detail=outcome.detail,
            triggers=outcome.triggers,
            commands=outcome.commands,
            summary=outcome.summary,
        )
        if in_workspace:
            fields.update(
                skill_md_opened=bool(skill_md),
                skill_md_turn=skill_md[0].turn if skill_md else None,
                references_opened=sorted(
                    {t.path for t in outcome.triggers if t.kind == "reference"}
                ),
            )
    return fields


def _tool_dump() -> list[dict[str, Any]]:
    from harness.agent.loop import TOOLS

    return [tool.model_dump() for tool in TOOLS]


async def _oneshot(
    model: Model,
    system: str,
    user: str,
    params: GenerationParams,
    budget: Budget,
    workspace: Workspace,
    transcript: Transcript,
) -> dict[str, Any]:
    """One call, the reply parsed into files; returns the record's fields."""
    tracker = BudgetTracker(budget)
    budgeted = BudgetedModel(model, tracker)
    transcript.write(UserEvent(content=user))
    fields: dict[str, Any] = {"turns": 0, "usage": Usage(), "cost_usd": None}
    priced = model.priced
    try:
        reply = await budgeted.complete(
            system, [Message(role="user", content=user)], [], params
        )
    except BudgetExceededError as error:
        fields.update(stop_reason=f"budget_{error.reason}", ok=False, detail=str(error))
        _spent(fields, tracker, priced=priced)
        return fields
    except ModelError as error:
        fields.update(stop_reason="model_error", ok=False, detail=str(error))
        _spent(fields, tracker, priced=priced)
        return fields
    transcript.write(ReplyEvent(turn=1, reply=reply))
    _spent(fields, tracker, priced=priced)
    fields["cost_usd"] = reply.cost_usd
    fields["cached_replies"] = int(reply.cached)
    try:
        parsed = parse_reply(reply.text)
    except ReplyFormatError as error:
        for problem in error.problems:
            transcript.write(ProblemEvent(**problem.model_dump()))
        fields.update(
            stop_reason="max_tokens"
            if reply.stop_reason == "max_tokens"
            else "parse_error",
            ok=False,
            detail=str(error),
            parse_problems=error.problems,
        )
        return fields
    for problem in parsed.problems:
        transcript.write(ProblemEvent(**problem.model_dump()))
    for rel, content in parsed.files.items():
        target = workspace.root / rel
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    transcript.write(FilesEvent(files=list(parsed.files), style=parsed.style))
    fields["parse_problems"] = parsed.problems
    if reply.stop_reason == "max_tokens":
        fields.update(
            stop_reason="max_tokens",
            ok=False,
            detail=(
                "the reply was cut at the output token limit "
                f"({params.max_tokens}); {len(parsed.files)} complete file(s) kept"
            ),
        )
    elif reply.stop_reason == "error":
        fields.update(
            stop_reason="error",
            ok=False,
            detail=f"the model stopped with {reply.raw_stop_reason or 'an error'}",
        )
    else:
        errors = parsed.errors
        fields.update(
            stop_reason="completed",
            ok=True,
            detail=f"{len(errors)} block(s) dropped: {errors[0]}" if errors else None,
        )
    return fields


def _spent(fields: dict[str, Any], tracker: BudgetTracker, *, priced: bool) -> None:
    """Record what was spent; an unpriced model's cost is unknown, never 0."""
    fields["turns"] = tracker.turns
    fields["usage"] = tracker.usage
    fields["cost_usd"] = round(tracker.cost_usd, 6) if priced else None


def write_record(record: GenerationRecord, path: Path) -> None:
    """Write a record as JSON, atomically."""
    write_atomically(path, record.model_dump_json(indent=2) + "\n")


__all__ = [
    "GENERATION_SCHEMA_VERSION",
    "GenerationRecord",
    "Mode",
    "budget_for",
    "finish_record",
    "generate",
    "starter_texts",
    "write_record",
]
