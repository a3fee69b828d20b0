"""The two builtin generation modes: ``oneshot`` (one reply parsed into files) and ``agent``.

Each returns the :class:`~harness.generate.record.GenerationRecord` fields about what
happened; a model's failure is a field (``stop_reason``, ``detail``), never an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.agent.loop import ToolBox, run_agent
from harness.agent.oneshot import ReplyFormatError, parse_reply
from harness.models.base import (
    BudgetExceededError,
    GenerationParams,
    Message,
    ModelError,
    Usage,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.safefs import remove_tree
from harness.transcript import FilesEvent, ProblemEvent, ReplyEvent, UserEvent

if TYPE_CHECKING:
    from harness.agent.workspace import Workspace
    from harness.generate.record import Mode
    from harness.models.base import Model
    from harness.sandbox import Sandbox, SandboxLimits
    from harness.transcript import Transcript


async def run_mode(
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
    """Run one mode; returns the record's fields about what happened.

    Args:
        mode: ``oneshot`` (one reply parsed into files) or ``agent`` (the tool loop).
        model: The model.
        system: The system prompt.
        user: The task prompt.
        params: Sampling parameters.
        budget: Limits.
        workspace: The sample's workspace.
        transcript: Where events go.
        sandbox: Where the agent's ``run`` executes.
        command_limits: Limits of each ``run`` command.
        in_workspace: Whether the skill's files are in the workspace.

    Returns:
        The record's fields about the run (turns, usage, cost, stop reason, ...).
    """
    fields: dict[str, Any] = {}
    if mode == "oneshot":
        fields.update(
            await run_oneshot(
                model, system, user, params, budget, workspace, transcript
            )
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


def tool_dump() -> list[dict[str, Any]]:
    """The builtin loop's tool schemas, as the ``start`` event records them."""
    from harness.agent.loop import TOOLS

    return [tool.model_dump() for tool in TOOLS]


async def run_oneshot(
    model: Model,
    system: str,
    user: str,
    params: GenerationParams,
    budget: Budget,
    workspace: Workspace,
    transcript: Transcript,
) -> dict[str, Any]:
    """One call, the reply parsed into files; returns the record's fields.

    Args:
        model: The model.
        system: The system prompt.
        user: The task prompt.
        params: Sampling parameters.
        budget: Limits.
        workspace: Where the parsed files are written.
        transcript: Where events go.

    Returns:
        The record's fields about the call.
    """
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
            remove_tree(target)
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


__all__ = ["run_mode", "run_oneshot", "tool_dump"]
