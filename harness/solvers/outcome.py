"""How a solver's work on one sample ended, typed: what it spent, and a limit or an error.

A sample ends one of three ways, and only one field says which:

- it **finished** as the solver intended (``limit`` and ``error`` both None; ``note`` may
  remark on it, e.g. blocks a one-shot parser dropped);
- a **limit** stopped it: turns, tokens, time, cost, or the output token limit of a reply
  (:class:`Limit`). The workspace is scored as it stands; the sample counts;
- an **error** stopped it (:class:`SampleError`): ``model`` when the model or the agent
  under test caused it (an unparseable reply, no tool call, the agent exited with an
  error; counted and scored as it stands), ``infra`` when it did not (the provider failed
  after retries, the CLI is missing, an internal error; left out of the statistics and
  redone by ``--retry-errors``). An error keeps its traceback when it was an exception.
"""

from __future__ import annotations

import traceback as tb
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from harness.models.base import Usage
from harness.transcript.events import TriggerEvent

LimitKind = Literal["turns", "tokens", "time", "cost", "output"]
ErrorKind = Literal["model", "infra"]
Severity = Literal["error", "warning"]


class ReplyProblem(BaseModel):
    """Something in a reply the parser could not use as it was.

    Attributes:
        line: The reply's line (1-based) where it starts, if it has one.
        severity: ``error`` (content was lost) or ``warning`` (content was kept or ignored
            harmlessly).
        message: What was wrong and how the format expects it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


class Limit(BaseModel):
    """A budget that stopped the sample.

    Attributes:
        kind: ``turns``, ``tokens``, ``time``, ``cost``, or ``output`` (a reply cut at the
            output token limit).
        detail: One line: which limit, and where it stood.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: LimitKind
    detail: str


class SampleError(BaseModel):
    """An error that stopped the sample.

    Attributes:
        kind: ``model`` (the system under test caused it: counted) or ``infra`` (it did
            not: excluded from statistics and retried).
        message: One line.
        traceback: The Python traceback, when an exception caused it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ErrorKind
    message: str
    traceback: str | None = None

    @classmethod
    def from_exception(
        cls, error: BaseException, *, while_doing: str, kind: ErrorKind = "infra"
    ) -> SampleError:
        """An error from an exception, with its traceback kept."""
        return cls(
            kind=kind,
            message=f"internal error while {while_doing}: {type(error).__name__}: {error}",
            traceback="".join(tb.format_exception(error)),
        )


class CommandRun(BaseModel):
    """A command the solver ran in the workspace.

    Attributes:
        turn: The model turn that asked for it.
        command: The command line.
        returncode: Its exit status, when the harness ran it (the builtin loop).
        killed: Why the sandbox stopped it, if it did.
        duration_s: Seconds it took, when the harness ran it.
    """

    model_config = ConfigDict(extra="forbid")

    turn: int
    command: str
    returncode: int | None = None
    killed: str | None = None
    duration_s: float | None = None


class GenerationOutcome(BaseModel):
    """What a solver reports about its work on one sample.

    Attributes:
        turns: Model replies received.
        usage: Tokens of every reply.
        cost_usd: Dollars, or None when a reply had no price.
        cached_replies: Replies served from the response cache.
        limit: The limit that stopped it, if one did.
        error: The error that stopped it, if one did.
        note: One line about a sample that finished (dropped blocks...).
        summary: The agent's own summary of its work.
        triggers: Skill files the model was shown or opened, in order.
        commands: Commands run, in order.
        parse_problems: One-shot parse problems with reply line numbers.
        agent_startup_s: Seconds from a coding agent's launch to its first model call.
        models_served: The model ids the API reported for the replies (coding agents: the
            gateway refuses any model but the sample's, so this names its snapshot).
    """

    model_config = ConfigDict(extra="forbid")

    turns: int = 0
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    cached_replies: int = 0
    limit: Limit | None = None
    error: SampleError | None = None
    note: str | None = None
    summary: str | None = None
    triggers: list[TriggerEvent] = Field(default_factory=list)
    commands: list[CommandRun] = Field(default_factory=list)
    parse_problems: list[ReplyProblem] = Field(default_factory=list)
    agent_startup_s: float | None = None
    models_served: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: object) -> object:
        """``ok`` and ``ending`` are written for readers of the JSON, derived on reading."""
        if isinstance(data, dict) and ("ok" in data or "ending" in data):
            return {k: v for k, v in data.items() if k not in ("ok", "ending")}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """Whether it finished as intended (no limit, no error)."""
        return self.limit is None and self.error is None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ending(self) -> str:
        """One word for tables: ``finished``, ``limit:<kind>`` or ``error:<kind>``."""
        if self.error is not None:
            return f"error:{self.error.kind}"
        if self.limit is not None:
            return f"limit:{self.limit.kind}"
        return "finished"

    @property
    def reason(self) -> str | None:
        """One line on why it did not finish (None when it did)."""
        if self.error is not None:
            return self.error.message
        if self.limit is not None:
            return self.limit.detail
        return None


__all__ = [
    "CommandRun",
    "ErrorKind",
    "GenerationOutcome",
    "Limit",
    "LimitKind",
    "ReplyProblem",
    "SampleError",
]
