"""The ``loop`` solver: the harness's own tool loop over the workspace.

The model gets five tools (list, read, write, run in the sandbox, finish) and a turn,
token, time and cost budget (:mod:`harness.solvers.loop.engine`). The skill is placed at
``.agents/skills/<name>/`` under either delivery: inline, the system prompt carries its
body and the references are files to open; on demand, only its name and description, and
opening SKILL.md is a trigger event.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from harness.errors import UsageError
from harness.prompts import render_skill, render_system, render_task
from harness.solvers.base import Prompts, SolverDeps, refuse_unpriced
from harness.solvers.loop.engine import TOOLS, run_agent
from harness.solvers.loop.toolbox import ToolBox
from harness.variants import SKILLS_DIR, Delivery

if TYPE_CHECKING:
    from harness.models.base import GenerationParams, Model
    from harness.models.budget import Budget
    from harness.sandbox import Sandbox
    from harness.solvers.outcome import GenerationOutcome
    from harness.solvers.workspace import Workspace
    from harness.tasks.loader import Task
    from harness.transcript import Transcript
    from harness.variants import Skill

#: The turn budget stated to the model when the task sets none.
DEFAULT_TURNS = 40


class LoopSolver:
    """The builtin tool loop.

    Args:
        model: The model.
        params: Sampling parameters.
        sandbox: Where ``run`` executes (None only for the offline ``reference`` model,
            which runs nothing).
    """

    name: ClassVar[str] = "loop"
    deliveries: ClassVar[tuple[Delivery, ...]] = (Delivery.inline, Delivery.on_demand)
    uses_model_client: ClassVar[bool] = True

    def __init__(
        self,
        model: Model,
        params: GenerationParams,
        sandbox: Sandbox | None,
    ) -> None:
        self.model = model
        self.params = params
        self.sandbox = sandbox

    @classmethod
    def check(
        cls,
        model_spec: str,
        base_url: str | None,  # noqa: ARG003 - the protocol's; any server will do
        *,
        sandbox: str = "bwrap",  # noqa: ARG003 - its commands run in either
        max_cost_usd: float | None = None,
    ) -> None:
        """Any model with tool calls can run the loop; a cost budget needs the model's price.

        Raises:
            UsageError: For a cost budget on an unpriced API model.
        """
        refuse_unpriced(model_spec, max_cost_usd)

    @classmethod
    def create(cls, deps: SolverDeps) -> LoopSolver:
        """The solver for one sample.

        Raises:
            UsageError: Without a model client, or without a sandbox for a model that
                could run commands.
        """
        if deps.model is None or deps.params is None:
            msg = "the loop solver needs a model client and sampling parameters"
            raise UsageError(msg)
        if deps.sandbox is None and deps.model.name != "reference":
            msg = "the loop solver runs commands and needs a sandbox"
            raise UsageError(msg)
        return cls(deps.model, deps.params, deps.sandbox)

    @property
    def version(self) -> str | None:
        """No program of its own."""
        return None

    @classmethod
    def skill_folder(cls, skill: Skill) -> PurePosixPath | None:
        """``.agents/skills/<name>``: the cross-agent convention."""
        return PurePosixPath(SKILLS_DIR) / skill.name

    @classmethod
    def prompts(
        cls,
        task: Task,
        skill: Skill | None,
        delivery: Delivery,
        *,
        placed: bool,
        budget: Budget,
    ) -> Prompts:
        """The agent's system prompt (with the skill's section) and the task."""
        has_starter = task.starter_dir is not None
        section = (
            render_skill(skill, delivery, files_in_workspace=placed)
            if skill is not None
            else ""
        )
        system = render_system(
            "agent",
            skill_section=section,
            has_starter=has_starter,
            max_turns=budget.max_turns or DEFAULT_TURNS,
            skill_in_workspace=placed,
        )
        user = render_task(
            task.prompt(), contract=task.contract(), has_starter=has_starter
        )
        return Prompts(
            system=system,
            user=user,
            tools=tuple(tool.model_dump() for tool in TOOLS),
        )

    async def solve(
        self,
        workspace: Workspace,
        prompts: Prompts,
        budget: Budget,
        transcript: Transcript,
    ) -> GenerationOutcome:
        """Run the loop until ``finish``, silence, a budget or a model error."""
        toolbox = ToolBox(workspace, self.sandbox, transcript)
        return await run_agent(
            self.model,
            system=prompts.system,
            task=prompts.user,
            toolbox=toolbox,
            params=self.params,
            budget=budget,
            transcript=transcript,
        )


__all__ = ["DEFAULT_TURNS", "LoopSolver"]
