"""The transcript's events: one typed pydantic model per kind, a discriminated union.

A transcript is a JSONL file, one event per line, written as things happen. Every event has
``type`` (its kind), ``t`` (seconds since the generation started) and ``at`` (UTC time). The
kinds:

- ``start``: what is about to run (task, arm, delivery, solver, model, epoch, the system
  prompt, the tools offered, parameters, budget);
- ``user``: a user turn (the task, or a reminder the loop sends);
- ``reply``: one model reply, embedding the :class:`~harness.models.base.ModelReply` as
  returned (text, tool calls, stop reason, usage, cost, whether it came from the cache);
- ``tool``: a tool's result in agent mode;
- ``trigger``: the model opened a file of the skill (``SKILL.md`` or a reference), or a
  coding agent listed the skill to it;
- ``agent``: what a coding-agent CLI reported (version, tools, skills, how it ended);
- ``files``: the files a one-shot reply wrote;
- ``problem``: something went wrong without stopping generation (a parse problem...);
- ``end``: how generation ended (finished, a limit or an error), what it spent, the files
  it left.

:data:`TranscriptEvent` is the union; :func:`parse_event` reads one line's object.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    TypeAdapter,
    model_validator,
)

from harness.compat import solver_named
from harness.models.base import ModelReply, Usage

#: Version of the transcript's event shapes; bump on any incompatible change.
TRANSCRIPT_SCHEMA_VERSION: Literal[3] = 3


class BaseEvent(BaseModel):
    """Fields every event has (``t`` and ``at`` are filled in when it is written)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    t: float = 0.0
    at: str = ""


class StartEvent(BaseEvent):
    """Generation starts: who the sample is, what runs, its prompt, tools and budget.

    Version 2 lines (``variant``, ``mode`` and ``agent``) are read as version 3 (``arm``
    and ``solver``).
    """

    type: Literal["start"] = "start"
    schema_version: Literal[3] = TRANSCRIPT_SCHEMA_VERSION
    task: str
    arm: str
    variant_hash: str
    delivery: str
    solver: str
    agent_version: str | None = None
    model: str
    epoch: int
    prompt_version: str
    system: str
    tools: list[dict[str, Any]] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    budget: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_v2(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("schema_version") == 2:
            data = dict(data)
            data["schema_version"] = TRANSCRIPT_SCHEMA_VERSION
            data["arm"] = data.pop("variant")
            mode, agent = data.pop("mode", None), data.pop("agent", None)
            data["solver"] = solver_named(mode, agent) or f"{mode}/{agent}"
        return data


class UserEvent(BaseEvent):
    """A user turn."""

    type: Literal["user"] = "user"
    content: str


class ReplyEvent(BaseEvent):
    """One model reply, as the model layer returned it."""

    type: Literal["reply"] = "reply"
    turn: int
    reply: ModelReply


class ToolEvent(BaseEvent):
    """A tool call's outcome (agent mode)."""

    type: Literal["tool"] = "tool"
    turn: int
    call_id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    content: str
    is_error: bool = False
    duration_s: float = 0.0


class TriggerEvent(BaseEvent):
    """The model was shown the skill, or opened a file of it.

    Attributes:
        turn: The model turn (1-based) whose tool call opened it (``listed``: the first
            request that listed it).
        path: The file, relative to the skill's folder (``SKILL.md``,
            ``references/x.md``).
        kind: ``skill_md`` for SKILL.md, ``reference`` for any other file, ``listed``
            when a coding agent listed the skill (name and description) to the model.
        via: How it was opened (``read_file``, ``run`` for a command naming it, or an
            agent's own tool: ``Skill``, ``Read``, ``Bash``, ``exec_command``...;
            ``listing`` for ``listed``).
    """

    type: Literal["trigger"] = "trigger"
    turn: int
    path: str
    kind: Literal["skill_md", "reference", "listed"]
    via: str


class AgentEvent(BaseEvent):
    """What a coding-agent CLI reported about its run (``--agent claude-code|codex``).

    Attributes:
        agent: The CLI.
        version: Its pinned version.
        init: Claude Code's ``init`` event, trimmed (its version, model, tools, skills).
        result: How it ended, in its own words (Claude Code's ``result`` event, Codex's
            last ``turn.*`` event).
        errors: Error messages it printed in its stream.
        events: Events in its stream (kept whole in ``agent.jsonl``).
        returncode: Its exit status.
        killed: Why the sandbox stopped it, if it did.
        duration_s: Its wall time in the sandbox.
        startup_s: Seconds from its launch to its first model call.
    """

    type: Literal["agent"] = "agent"
    agent: str
    version: str
    init: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    errors: list[str] = Field(default_factory=list)
    events: int = 0
    returncode: int | None = None
    killed: str | None = None
    duration_s: float = 0.0
    startup_s: float | None = None


class FilesEvent(BaseEvent):
    """Files a one-shot reply wrote, and the reply styles the parser recognised."""

    type: Literal["files"] = "files"
    files: list[str]
    style: list[str] = Field(default_factory=list)


class ProblemEvent(BaseEvent):
    """Something went wrong without stopping generation."""

    type: Literal["problem"] = "problem"
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"


class EndEvent(BaseEvent):
    """Generation stopped: how (``ending``), why, what it spent, the files it left.

    Attributes:
        ending: ``finished``, ``limit:<kind>`` or ``error:<model|infra>`` (version 2
            lines give their ``stop_reason`` here).
        ok: Whether it finished as intended.
        reason: One line on why it did not (or a note on a finished sample).
    """

    type: Literal["end"] = "end"
    ending: str
    ok: bool
    reason: str | None = None
    turns: int = 0
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    files: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_v2(cls, data: object) -> object:
        if isinstance(data, dict) and "stop_reason" in data:
            data = dict(data)
            data["ending"] = data.pop("stop_reason")
            data["reason"] = data.pop("detail", None)
            data.pop("failure_class", None)
        return data


TranscriptEvent = Annotated[
    StartEvent
    | UserEvent
    | ReplyEvent
    | ToolEvent
    | TriggerEvent
    | AgentEvent
    | FilesEvent
    | ProblemEvent
    | EndEvent,
    Field(discriminator="type"),
]
"""Any transcript event, told apart by ``type``."""

EVENT_ADAPTER: TypeAdapter[TranscriptEvent] = TypeAdapter(TranscriptEvent)


class TranscriptLine(RootModel[TranscriptEvent]):
    """One line of a transcript file (for its JSON Schema)."""


def parse_event(data: object) -> TranscriptEvent:
    """Validate one decoded JSON object as an event.

    Raises:
        pydantic.ValidationError: When it is not a valid event.
    """
    return EVENT_ADAPTER.validate_python(data)


__all__ = [
    "EVENT_ADAPTER",
    "TRANSCRIPT_SCHEMA_VERSION",
    "AgentEvent",
    "BaseEvent",
    "EndEvent",
    "FilesEvent",
    "ProblemEvent",
    "ReplyEvent",
    "StartEvent",
    "ToolEvent",
    "TranscriptEvent",
    "TranscriptLine",
    "TriggerEvent",
    "UserEvent",
    "parse_event",
]
