"""The record of one generation (``generation.json``) and how a generation is closed.

Kept apart from :mod:`harness.generate.core` so that readers of stored runs (the run store,
reports, ``harness schema``) and the coding-agent runners share one model.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.agent.loop import StopReason as AgentStopReason
from harness.agent.oneshot import ReplyProblem
from harness.agent.workspace import Workspace, skill_files_in
from harness.fileio import write_atomically
from harness.models.base import Usage
from harness.prompts import prompt_version
from harness.transcript import (
    EndEvent,
    ProblemEvent,
    StartEvent,
    Transcript,
    TriggerEvent,
)

if TYPE_CHECKING:
    from harness.models.budget import Budget
    from harness.tasks.loader import Task
    from harness.variants import Variant

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
        models_served: The model ids the API reported for the replies (coding agents:
            the gateway refuses any model but the sample's, so this names its snapshot).
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
    models_served: list[str] = Field(default_factory=list)


def prompt_sha(text: str) -> str:
    """SHA-256 (16 hex) of a prompt, as the record stores it."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def open_record(
    task: Task,
    variant: Variant,
    *,
    delivery: str,
    mode: Mode,
    agent: str,
    model_spec: str,
    epoch: int,
    params: dict[str, Any],
    system: str,
    user: str,
    budget: Budget,
    started_at: str,
    agent_version: str | None = None,
) -> dict[str, Any]:
    """The record's fields known before generation starts: what runs, with which prompts.

    Shared by the builtin modes and the coding-agent runners (``harness.agents``), so every
    record names its task, arm, model and prompts the same way.

    Args:
        task: The task.
        variant: The variant.
        delivery: ``inline``, ``on-demand`` or ``none`` (no skill).
        mode: ``oneshot`` or ``agent``.
        agent: ``builtin``, ``claude-code`` or ``codex``.
        model_spec: The model spec, as recorded.
        epoch: The repetition number.
        params: Sampling parameters sent.
        system: The system prompt (empty for a coding agent's own).
        user: The task prompt.
        budget: The limits applied.
        started_at: UTC start time.
        agent_version: The coding agent CLI's version.

    Returns:
        The fields; :func:`finish_record` validates them once the rest is known.
    """
    record: dict[str, Any] = {
        "task": task.id,
        "task_hash": task.content_hash(),
        "variant": variant.label,
        "variant_spec": variant.spec,
        "variant_hash": variant.content_hash,
        "delivery": delivery,
        "mode": mode,
        "agent": agent,
        "model": model_spec,
        "epoch": epoch,
        "params": params,
        "prompt_version": prompt_version(),
        "system_prompt_sha": prompt_sha(system),
        "task_prompt_sha": prompt_sha(user),
        "started_at": started_at,
        "budget": budget.model_dump(),
    }
    if agent_version is not None:
        record["agent_version"] = agent_version
    return record


def start_event(
    record: dict[str, Any], *, system: str, tools: list[dict[str, Any]] | None = None
) -> StartEvent:
    """The transcript's ``start`` event for a record :func:`open_record` began."""
    return StartEvent(
        task=record["task"],
        variant=record["variant"],
        variant_hash=record["variant_hash"],
        delivery=record["delivery"],
        mode=record["mode"],
        agent=record["agent"],
        agent_version=record.get("agent_version"),
        model=record["model"],
        epoch=record["epoch"],
        prompt_version=record["prompt_version"],
        system=system,
        tools=tools or [],
        params=record["params"],
        budget=record["budget"],
    )


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


def write_record(record: GenerationRecord, path: Path) -> None:
    """Write a record as JSON, atomically."""
    write_atomically(path, record.model_dump_json(indent=2) + "\n")


__all__ = [
    "GENERATION_SCHEMA_VERSION",
    "GenerationRecord",
    "Mode",
    "StopReason",
    "finish_record",
    "open_record",
    "prompt_sha",
    "start_event",
    "write_record",
]
