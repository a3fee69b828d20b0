"""The ``claude-code`` and ``codex`` solvers: a real coding agent works the sample.

The CLI runs headless in the sandbox against the model gateway (which holds the key and
enforces the budget), with the skill where that agent loads skills (``harness install``'s
project folder: ``.claude/skills/<name>`` or ``.agents/skills/<name>``), on demand as the
agent natively loads it. The prompt is the task and the contract, byte-identical across
arms; the agent brings its own system prompt. The gateway's log and the CLI's stream become
the transcript. A CLI that is missing or dies before its first model call is an ``infra``
error; a timeout keeps the workspace as it is, to be scored.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from pydantic import SecretStr

from harness.errors import UsageError
from harness.gateway import Upstream
from harness.install import skill_folder
from harness.models.registry import parse_spec
from harness.prompts import render_task
from harness.solvers.base import Prompts, SolverDeps, refuse_unpriced
from harness.solvers.coding_agents.clis import AgentUnavailableError, get_cli
from harness.solvers.coding_agents.profiles import api_of
from harness.solvers.coding_agents.runner import run_cli
from harness.solvers.outcome import GenerationOutcome, SampleError
from harness.transcript import ProblemEvent
from harness.variants import Delivery

if TYPE_CHECKING:
    from harness.models.budget import Budget
    from harness.sandbox import Sandbox
    from harness.solvers.workspace import Workspace
    from harness.tasks.loader import Task
    from harness.transcript import Transcript
    from harness.variants import Skill

_API_NAMES = {"anthropic": "Anthropic Messages", "responses": "OpenAI Responses"}
_STARTER_NOTE = (
    "The project folder already holds a codebase: explore it before changing it."
)


def cli_prompt(task: Task) -> str:
    """The prompt a coding agent gets: the task and the contract, the same in every arm."""
    prompt = render_task(task.prompt(), contract=task.contract())
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


class CodingAgentSolver:
    """A coding-agent CLI as the solver (subclassed once per agent).

    Args:
        model_spec: ``anthropic:MODEL`` (Claude Code) or ``openai:MODEL`` (Codex).
        sandbox: Where the CLI runs.
        base_url: The upstream API's base URL (default: the vendor's or the environment's).
    """

    name: ClassVar[str]
    deliveries: ClassVar[tuple[Delivery, ...]] = (Delivery.on_demand,)
    uses_model_client: ClassVar[bool] = False

    def __init__(self, model_spec: str, sandbox: Sandbox, base_url: str | None) -> None:
        self.cli = get_cli(self.name)
        self.model_spec = model_spec
        self.sandbox = sandbox
        self.upstream = upstream_for(self.name, model_spec, base_url)

    @classmethod
    def check(
        cls,
        model_spec: str,
        base_url: str | None,
        *,
        sandbox: str = "bwrap",
        max_cost_usd: float | None = None,
    ) -> None:
        """Fail early, with the fix, for an agent that cannot run this way.

        Raises:
            UsageError: For a model whose API the agent does not speak, ``--sandbox
                none`` (the agent could then read the API key from the harness's own
                process), or a cost budget with an unpriced model.
        """
        get_cli(cls.name)
        upstream_for(cls.name, model_spec, base_url)
        if sandbox != "bwrap":
            msg = (
                f"--solver {cls.name} needs --sandbox bwrap: without a sandbox the agent "
                "runs as you and could read the API key from the harness's own process "
                "(see docs/threat-model.md)"
            )
            raise UsageError(msg, option="sandbox")
        refuse_unpriced(model_spec, max_cost_usd)

    @classmethod
    def create(cls, deps: SolverDeps) -> CodingAgentSolver:
        """The solver for one sample.

        Raises:
            UsageError: Without a sandbox (the CLI only ever runs in one).
        """
        if deps.sandbox is None:
            msg = f"--solver {cls.name} runs the CLI in the sandbox: it needs one"
            raise UsageError(msg)
        return cls(deps.model_spec, deps.sandbox, deps.base_url)

    @property
    def version(self) -> str | None:
        """The pinned CLI's version."""
        return self.cli.version

    @classmethod
    def skill_folder(cls, skill: Skill) -> PurePosixPath | None:
        """Where ``harness install --agent NAME`` puts a project skill."""
        return PurePosixPath(skill_folder(cls.name, skill.name))

    @classmethod
    def prompts(
        cls,
        task: Task,
        skill: Skill | None,  # noqa: ARG003 - the agent lists the skill itself
        delivery: Delivery,  # noqa: ARG003 - on demand, natively
        *,
        placed: bool,  # noqa: ARG003 - the agent finds it where it looks
        budget: Budget,  # noqa: ARG003 - enforced by the gateway, not told
    ) -> Prompts:
        """No system prompt of ours; the task and the contract."""
        return Prompts(system="", user=cli_prompt(task))

    async def solve(
        self,
        workspace: Workspace,
        prompts: Prompts,
        budget: Budget,
        transcript: Transcript,
    ) -> GenerationOutcome:
        """Run the CLI in the sandbox through the gateway."""
        try:
            self.cli.require()
        except AgentUnavailableError as error:
            transcript.write(ProblemEvent(message=str(error)))
            return GenerationOutcome(
                error=SampleError(kind="infra", message=str(error))
            )
        placed = workspace.skill_mount
        skill = workspace.skill if placed is not None else None
        _, model = parse_spec(self.model_spec)
        out = transcript.path
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
        return await run_cli(
            cli_name=self.name,
            prompt=prompts.user,
            model=model,
            upstream=self.upstream,
            budget=budget,
            sandbox=self.sandbox,
            workspace=workspace,
            skill_mount=placed.mount() if placed is not None else None,
            out=out,
            transcript=transcript,
            skill_name=skill.name if skill is not None else None,
            skill_files=skill.files if skill is not None else None,
        )


class ClaudeCodeSolver(CodingAgentSolver):
    """Claude Code (``claude -p``), through the Anthropic Messages API."""

    name: ClassVar[str] = "claude-code"


class CodexSolver(CodingAgentSolver):
    """Codex CLI (``codex exec``), through the OpenAI Responses API."""

    name: ClassVar[str] = "codex"


__all__ = [
    "ClaudeCodeSolver",
    "CodexSolver",
    "CodingAgentSolver",
    "cli_prompt",
    "upstream_for",
]
