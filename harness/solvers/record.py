"""The record of one generation: what the solver reported, plus what the skeleton measured.

It holds only what generation produced. Who the sample is (task, arm, variant, delivery,
solver, model, epoch) is the sample's :class:`~harness.run.spec.SampleSpec`; what the run
fixes (the tasks' and skills' hashes, sampling parameters) is the manifest's. Version 1
records, which repeated eight identity fields and said how a sample ended with a
``stop_reason`` string, are read and migrated (:func:`migrate_v1`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from harness.fileio import write_atomically
from harness.solvers.outcome import (
    ErrorKind,
    GenerationOutcome,
    Limit,
    LimitKind,
    SampleError,
)

#: Version of :class:`GenerationRecord`; bump on any incompatible change.
GENERATION_SCHEMA_VERSION: Literal[2] = 2


class GenerationRecord(GenerationOutcome):
    """What one generation did and cost.

    Attributes:
        schema_version: Version of this record.
        agent_version: The coding agent CLI's version, for a coding-agent solver.
        prompt_version: The templates' version (``PROMPT_VERSION+hash``).
        system_prompt_sha: SHA-256 (16 hex) of the system prompt.
        task_prompt_sha: SHA-256 (16 hex) of the first user message.
        started_at: UTC start time.
        wall_s: Seconds the generation took.
        total_tokens: All tokens, cached or not.
        files: The project's files after generation (skill removed), relative.
        skill_md_opened: Whether SKILL.md was opened (None without a skill in place).
        skill_md_turn: The turn SKILL.md was first opened at.
        references_opened: Distinct skill files other than SKILL.md that were opened.
        skill_intact: Whether the skill stayed at its place with exactly its files
            (None without a skill in place).
        baseline_clean: For an arm without a skill: whether the workspace held no skill
            file.
        budget: The limits applied.
    """

    schema_version: Literal[2] = GENERATION_SCHEMA_VERSION
    agent_version: str | None = None
    prompt_version: str
    system_prompt_sha: str
    task_prompt_sha: str
    started_at: str
    wall_s: float
    total_tokens: int
    files: list[str] = Field(default_factory=list)
    skill_md_opened: bool | None = None
    skill_md_turn: int | None = None
    references_opened: list[str] = Field(default_factory=list)
    skill_intact: bool | None = None
    baseline_clean: bool | None = None
    budget: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("schema_version", 2) == 1:
            return migrate_v1(data)
        return data  # ``ok`` and ``ending`` are dropped by the outcome's own validator


#: Version 1's identity fields: the spec and the manifest hold them now.
_V1_IDENTITY = (
    "task",
    "task_hash",
    "variant",
    "variant_spec",
    "variant_hash",
    "delivery",
    "mode",
    "agent",
    "model",
    "epoch",
    "params",
)
_V1_LIMITS: dict[str, LimitKind] = {
    "budget_turns": "turns",
    "budget_tokens": "tokens",
    "budget_time": "time",
    "budget_cost": "cost",
    "max_tokens": "output",
}
#: Version 1's stop reasons that were not the model's doing.
_V1_INFRA = frozenset({"model_error", "error", "infrastructure"})


def migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 generation record as version 2: identity dropped, the ending typed.

    ``stop_reason`` becomes a :class:`Limit` (``budget_*``, ``max_tokens``) or a
    :class:`SampleError` (``model_error``, ``error``, ``infrastructure``: ``infra``;
    ``parse_error``, ``no_tool_calls``, ``agent_error``: ``model``); ``finished`` and
    ``completed`` keep their ``detail`` as the note.
    """
    out = {k: v for k, v in data.items() if k not in _V1_IDENTITY}
    stop = out.pop("stop_reason", "finished")
    detail = out.pop("detail", None)
    out.pop("ok", None)
    out.pop("failure_class", None)
    out["schema_version"] = GENERATION_SCHEMA_VERSION
    out["commands"] = [
        {**c, "command": str(c.get("command"))} for c in out.get("commands", [])
    ]
    if stop in ("finished", "completed"):
        out["note"] = detail
    elif stop in _V1_LIMITS:
        out["limit"] = Limit(kind=_V1_LIMITS[stop], detail=detail or stop)
    else:
        kind: ErrorKind = "infra" if stop in _V1_INFRA else "model"
        out["error"] = SampleError(kind=kind, message=detail or stop)
    return out


def prompt_sha(text: str) -> str:
    """SHA-256 (16 hex) of a prompt, as the record stores it."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_record(record: GenerationRecord, path: Path) -> None:
    """Write a record as JSON, atomically."""
    write_atomically(path, record.model_dump_json(indent=2) + "\n")


__all__ = [
    "GENERATION_SCHEMA_VERSION",
    "GenerationRecord",
    "migrate_v1",
    "prompt_sha",
    "write_record",
]
