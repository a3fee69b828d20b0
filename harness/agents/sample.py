"""One sample worked by a real coding agent (Claude Code, Codex) in the sandbox.

:func:`generate_with_cli` is :func:`harness.generate.generate` for ``--agent claude-code|codex``:
a fresh workspace (the task's starter; in the skill arm the skill exactly where that agent loads
it, read-only), the task's prompt (byte-identical across arms), the CLI run headless in the
sandbox against the model gateway (which holds the key and enforces the budget), then the
gateway log and the CLI's stream turned into the transcript, and a
:class:`~harness.generate.GenerationRecord`. Failures are recorded, never raised: a CLI that is
missing or dies before its first model call is an ``infrastructure`` failure; a timeout keeps
the workspace as it is, to be scored.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from harness.agent.placement import SkillMount
from harness.agent.workspace import Workspace, remove_caches
from harness.agents.clis import AgentUnavailableError, get_cli
from harness.agents.profiles import api_of
from harness.agents.runner import run_cli
from harness.errors import UsageError
from harness.gateway import Upstream
from harness.gateway.server import unpriced_reason
from harness.generate.record import (
    GenerationRecord,
    finish_record,
    open_record,
    start_event,
)
from harness.install import skill_folder
from harness.models.base import Usage
from harness.models.budget import Budget
from harness.models.pricing import load_prices
from harness.models.registry import parse_spec
from harness.prompts import render_task
from harness.transcript import (
    ProblemEvent,
    Transcript,
    UserEvent,
)

if TYPE_CHECKING:
    from harness.sandbox import Sandbox
    from harness.tasks.loader import Task
    from harness.variants import Variant

_API_NAMES = {"anthropic": "Anthropic Messages", "responses": "OpenAI Responses"}
_STARTER_NOTE = (
    "The project folder already holds a codebase: explore it before changing it."
)


def cli_prompt(task: Task) -> str:
    """The prompt a coding agent gets: the task and the contract, the same in every arm."""
    contract_file = task.root.parent / "contract.md"
    contract = (
        contract_file.read_text(encoding="utf-8") if contract_file.is_file() else None
    )
    prompt = render_task(task.prompt(), contract=contract)
    return f"{prompt}\n\n{_STARTER_NOTE}" if task.starter_dir is not None else prompt


def upstream_for(agent: str, model_spec: str, base_url: str | None) -> Upstream:
    """Where the gateway sends the agent's calls, with the key from the harness's environment.

    Raises:
        UsageError: When the model's provider does not speak the agent's API.
    """
    provider, model = parse_spec(model_spec)
    api = api_of(agent)
    wanted = "anthropic" if api == "anthropic" else "openai"
    if provider != wanted:
        msg = (
            f"{agent} speaks the {_API_NAMES[api]} API: use --model {wanted}:MODEL "
            f"(any {wanted}-compatible server with --base-url)"
        )
        raise UsageError(msg)
    if api == "anthropic":
        url = (
            base_url
            or os.environ.get("ANTHROPIC_BASE_URL")
            or "https://api.anthropic.com"
        )
        key = os.environ.get("ANTHROPIC_API_KEY")
    else:
        url = (
            base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        )
        key = os.environ.get("OPENAI_API_KEY")
    return Upstream(
        api=api, base_url=url, api_key=SecretStr(key) if key else None, model=model
    )


def check_agent(
    agent: str,
    model_spec: str,
    base_url: str | None,
    *,
    mode: str = "agent",
    sandbox: str = "bwrap",
    max_cost_usd: float | None = None,
) -> None:
    """Fail early, with the fix, for a coding agent that cannot run this way.

    Raises:
        UsageError: For an unknown agent, a model whose API it does not speak, a mode
            other than ``agent``, ``--sandbox none`` (the agent could then read the key
            from the harness's own process), or a cost budget with an unpriced model.
    """
    get_cli(agent)
    upstream = upstream_for(agent, model_spec, base_url)
    if mode != "agent":
        msg = f"--agent {agent} works on the workspace with its own tools: add --mode agent"
        raise UsageError(msg)
    if sandbox != "bwrap":
        msg = (
            f"--agent {agent} needs --sandbox bwrap: without a sandbox the agent runs as you "
            "and could read the API key from the harness's own process (see "
            "docs/threat-model.md)"
        )
        raise UsageError(msg)
    if max_cost_usd is not None and load_prices().find(upstream.model) is None:
        raise UsageError(
            unpriced_reason(upstream.model, Budget(max_cost_usd=max_cost_usd))
        )


async def generate_with_cli(
    task: Task,
    variant: Variant,
    *,
    agent: str,
    model_spec: str,
    epoch: int,
    workspace_dir: Path,
    transcript_path: Path | None,
    budget: Budget,
    sandbox: Sandbox,
    base_url: str | None = None,
) -> GenerationRecord:
    """Generate one sample with a coding-agent CLI.

    Args:
        task: The task.
        variant: The variant (``none`` for the baseline).
        agent: ``claude-code`` or ``codex``.
        model_spec: ``anthropic:MODEL`` (Claude Code) or ``openai:MODEL`` (Codex).
        epoch: The repetition number.
        workspace_dir: A fresh folder for the project.
        transcript_path: Where the JSONL transcript goes (``NAME.jsonl``);
            ``NAME.gateway.jsonl`` (every call through the gateway), ``NAME.agent.jsonl``
            (the CLI's own stream) and ``NAME.agent.stderr`` are written beside it.
        budget: Turns, tokens, cost and wall clock, enforced by the gateway and the sandbox.
        sandbox: Where the CLI runs.
        base_url: The upstream API's base URL (default: the vendor's, or the environment's).

    Returns:
        The record; failures are recorded, not raised.

    Raises:
        UsageError: For a model whose API the agent does not speak.
    """
    cli = get_cli(agent)
    upstream = upstream_for(agent, model_spec, base_url)
    _, model = parse_spec(model_spec)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    workspace = Workspace.create(workspace_dir, starter=task.starter_dir)
    skill = variant.skill
    # The skill is staged outside the workspace and bound read-only where the agent loads
    # it (harness install's project folder); the workspace holds only the mount point.
    placed = (
        SkillMount(skill, workspace.root, skill_folder(agent, skill.name))
        if skill is not None
        else None
    )
    prompt = cli_prompt(task)
    out = transcript_path
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    record = open_record(
        task,
        variant,
        delivery="on-demand" if skill is not None else "none",
        mode="agent",
        agent=agent,
        agent_version=cli.version,
        model_spec=model_spec,
        epoch=epoch,
        params={},
        system="",
        user=prompt,
        budget=budget,
        started_at=started_at,
    )
    record.update(turns=0, usage=Usage(), cost_usd=None)
    with Transcript(transcript_path) as transcript:
        transcript.write(start_event(record, system=""))
        transcript.write(UserEvent(content=prompt))
        try:
            cli.require()
        except AgentUnavailableError as error:
            transcript.write(ProblemEvent(message=str(error)))
            record.update(
                stop_reason="infrastructure",
                ok=False,
                detail=str(error),
                failure_class="infrastructure",
            )
        else:
            record.update(
                await run_cli(
                    cli_name=agent,
                    prompt=prompt,
                    model=model,
                    upstream=upstream,
                    budget=budget,
                    sandbox=sandbox,
                    workspace=workspace,
                    skill_mount=placed.mount() if placed is not None else None,
                    out=out,
                    transcript=transcript,
                    skill_name=skill.name if skill else None,
                    skill_files=skill.files if skill else None,
                )
            )
        if placed is not None:
            record["skill_intact"] = placed.close()
        remove_caches(workspace.root)
        generation = finish_record(
            record, workspace, transcript, clock, baseline=placed is None
        )
    return generation


__all__ = ["check_agent", "cli_prompt", "generate_with_cli", "upstream_for"]
