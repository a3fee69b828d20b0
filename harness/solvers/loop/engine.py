"""The agent mode: a tool loop over a workspace, within a budget, every step in a transcript.

The model sees five tools (:data:`TOOLS`, generated from pydantic argument models in
:mod:`harness.solvers.loop.tools`): ``list_files``, ``read_file``, ``write_file``,
``run`` and ``finish``. ``run`` executes one command through :class:`harness.sandbox.Sandbox`
over the workspace, in the evaluation environment, with only ``ruff``, ``mypy``, ``pytest``
and ``python`` allowed and no shell; its output is capped. The loop ends when the model
calls ``finish``, stops calling tools, or a budget (turns, tokens, time, cost) runs out;
the reason is recorded. Reads of the skill's files (``.agents/skills/<name>/``) are trigger
events: whether and when the model opened SKILL.md and each reference.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from harness.models.base import (
    BudgetExceededError,
    GenerationParams,
    Message,
    ModelError,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.solvers.loop.toolbox import (
    ALLOWED_PROGRAMS,
    MAX_TOOL_OUTPUT,
    ToolBox,
    ToolOutcome,
    cap_output,
    parse_command,
)
from harness.solvers.loop.tools import TOOLS
from harness.solvers.outcome import GenerationOutcome, Limit, SampleError
from harness.transcript.events import ReplyEvent, ToolEvent, TriggerEvent, UserEvent

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.transcript.writer import Transcript

#: Replies without a tool call tolerated (each answered with a reminder) before stopping.
MAX_IDLE_REPLIES = 2

NO_TOOL_REMINDER = (
    "Continue by calling a tool: write the project's files with write_file, check them "
    "with run, and call finish when the project is complete."
)
TRUNCATED_REMINDER = (
    "Your reply was cut off at the output token limit. Write one file per write_file "
    "call and keep each reply shorter."
)


async def run_agent(
    model: Model,
    *,
    system: str,
    task: str,
    toolbox: ToolBox,
    params: GenerationParams,
    budget: Budget,
    transcript: Transcript,
) -> GenerationOutcome:
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
    limit: Limit | None = None
    error: SampleError | None = None
    summary: str | None = None
    cached = 0
    idle = 0
    priced = model.priced
    while True:
        try:
            reply = await budgeted.complete(system, messages, TOOLS, params)
        except BudgetExceededError as exceeded:
            limit = Limit(kind=exceeded.reason, detail=str(exceeded))
            break
        except ModelError as failed:
            error = SampleError(kind="infra", message=str(failed))
            break
        turn = tracker.turns
        priced = priced and reply.cost_usd is not None
        cached += int(reply.cached)
        transcript.write(ReplyEvent(turn=turn, reply=reply))
        messages.append(
            Message(role="assistant", content=reply.text, tool_calls=reply.tool_calls)
        )
        if not reply.tool_calls:
            idle += 1
            if idle > MAX_IDLE_REPLIES:
                message = (
                    f"{idle} replies in a row without a tool call "
                    f"(last stop: {reply.stop_reason})"
                )
                error = SampleError(kind="model", message=message)
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
                said = call.arguments.get("summary")
                summary = said if isinstance(said, str) else None
        if finished:
            break
    return GenerationOutcome(
        turns=tracker.turns,
        usage=tracker.usage,
        cost_usd=round(tracker.cost_usd, 6) if priced else None,
        cached_replies=cached,
        limit=limit,
        error=error,
        summary=summary,
        triggers=list(toolbox.triggers),
        commands=list(toolbox.commands),
    )


__all__ = [
    "ALLOWED_PROGRAMS",
    "MAX_TOOL_OUTPUT",
    "TOOLS",
    "ToolBox",
    "TriggerEvent",
    "cap_output",
    "parse_command",
    "run_agent",
]
