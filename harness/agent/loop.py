"""The agent mode: a tool loop over a workspace, within a budget, every step in a transcript.

The model sees five tools (:data:`TOOLS`, generated from pydantic argument models in
:mod:`harness.agent.tools`): ``list_files``, ``read_file``, ``write_file``,
``run`` and ``finish``. ``run`` executes one command through :class:`harness.sandbox.Sandbox`
over the workspace, in the evaluation environment, with only ``ruff``, ``mypy``, ``pytest``
and ``python`` allowed and no shell; its output is capped. The loop ends when the model
calls ``finish``, stops calling tools, or a budget (turns, tokens, time, cost) runs out;
the reason is recorded. Reads of the skill's files (``.agents/skills/<name>/``) are trigger
events: whether and when the model opened SKILL.md and each reference.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from harness.agent.toolbox import (
    ALLOWED_PROGRAMS,
    MAX_TOOL_OUTPUT,
    ToolBox,
    ToolOutcome,
    cap_output,
    parse_command,
)
from harness.agent.tools import TOOLS
from harness.models.base import (
    BudgetExceededError,
    GenerationParams,
    Message,
    ModelError,
    Usage,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.transcript.events import ReplyEvent, ToolEvent, TriggerEvent, UserEvent

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.transcript.writer import Transcript

#: Replies without a tool call tolerated (each answered with a reminder) before stopping.
MAX_IDLE_REPLIES = 2

StopReason = Literal[
    "finished",
    "no_tool_calls",
    "budget_turns",
    "budget_tokens",
    "budget_time",
    "budget_cost",
    "model_error",
]


NO_TOOL_REMINDER = (
    "Continue by calling a tool: write the project's files with write_file, check them "
    "with run, and call finish when the project is complete."
)
TRUNCATED_REMINDER = (
    "Your reply was cut off at the output token limit. Write one file per write_file "
    "call and keep each reply shorter."
)


@dataclass
class AgentOutcome:
    """How the loop ended and what it cost.

    Attributes:
        stop_reason: Why it ended.
        detail: One line of detail (the budget or error message), if any.
        turns: Model replies received.
        usage: Tokens of every reply.
        cost_usd: Dollars of every reply (None when any reply had no price).
        triggers: Skill files the model opened, in order.
        files_written: Paths written with ``write_file``, in first-write order.
        commands: Commands run, with their exit status.
        summary: The ``finish`` summary.
        cached_replies: Replies served from the response cache.
    """

    stop_reason: StopReason
    detail: str | None = None
    turns: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0
    triggers: list[TriggerEvent] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    summary: str | None = None
    cached_replies: int = 0


def _stop_from_budget(error: BudgetExceededError) -> StopReason:
    reasons: dict[str, StopReason] = {
        "turns": "budget_turns",
        "tokens": "budget_tokens",
        "time": "budget_time",
        "cost": "budget_cost",
    }
    return reasons[error.reason]


async def run_agent(
    model: Model,
    *,
    system: str,
    task: str,
    toolbox: ToolBox,
    params: GenerationParams,
    budget: Budget,
    transcript: Transcript,
) -> AgentOutcome:
    """Run the tool loop until ``finish``, silence, a budget or a model error.

    Args:
        model: The model.
        system: The system prompt.
        task: The first user message.
        toolbox: The tools, bound to the workspace and sandbox.
        params: Sampling parameters.
        budget: Turn, token, time and cost limits of the sample.
        transcript: Where every step is written.

    Returns:
        How it ended, what it cost, what it did.
    """
    tracker = BudgetTracker(budget)
    budgeted = BudgetedModel(model, tracker)
    messages = [Message(role="user", content=task)]
    transcript.write(UserEvent(content=task))
    outcome = AgentOutcome(stop_reason="finished")
    idle = 0
    priced = model.priced
    while True:
        try:
            reply = await budgeted.complete(system, messages, TOOLS, params)
        except BudgetExceededError as error:
            outcome.stop_reason = _stop_from_budget(error)
            outcome.detail = str(error)
            break
        except ModelError as error:
            outcome.stop_reason = "model_error"
            outcome.detail = str(error)
            break
        turn = tracker.turns
        priced = priced and reply.cost_usd is not None
        outcome.cached_replies += int(reply.cached)
        transcript.write(ReplyEvent(turn=turn, reply=reply))
        messages.append(
            Message(role="assistant", content=reply.text, tool_calls=reply.tool_calls)
        )
        if not reply.tool_calls:
            idle += 1
            if idle > MAX_IDLE_REPLIES:
                outcome.stop_reason = "no_tool_calls"
                outcome.detail = (
                    f"{idle} replies in a row without a tool call "
                    f"(last stop: {reply.stop_reason})"
                )
                break
            reminder = (
                TRUNCATED_REMINDER
                if reply.stop_reason == "max_tokens"
                else NO_TOOL_REMINDER
            )
            messages.append(Message(role="user", content=reminder))
            transcript.write(UserEvent(content=reminder))
            continue
        idle = 0
        finished = False
        for call in reply.tool_calls:
            started = time.monotonic()
            if finished:
                result = ToolOutcome("not run: finish was called before", True)
            else:
                result = await toolbox.call(call, turn, tracker.remaining_s())
            transcript.write(
                ToolEvent(
                    turn=turn,
                    call_id=call.id,
                    name=call.name,
                    arguments=call.arguments,
                    content=result.content,
                    is_error=result.is_error,
                    duration_s=round(time.monotonic() - started, 3),
                )
            )
            messages.append(
                Message(
                    role="tool",
                    tool_call_id=call.id,
                    content=result.content,
                    is_error=result.is_error,
                )
            )
            if result.finished:
                finished = True
                summary = call.arguments.get("summary")
                outcome.summary = summary if isinstance(summary, str) else None
        if finished:
            outcome.stop_reason = "finished"
            break
    outcome.turns = tracker.turns
    outcome.usage = tracker.usage
    outcome.cost_usd = round(tracker.cost_usd, 6) if priced else None
    outcome.triggers = list(toolbox.triggers)
    outcome.files_written = list(toolbox.files_written)
    outcome.commands = list(toolbox.commands)
    return outcome


__all__ = [
    "ALLOWED_PROGRAMS",
    "MAX_TOOL_OUTPUT",
    "TOOLS",
    "AgentOutcome",
    "StopReason",
    "ToolBox",
    "TriggerEvent",
    "cap_output",
    "parse_command",
    "run_agent",
]
