"""The ``oneshot`` solver: one model reply carrying every file, parsed into the workspace.

The skill reaches the model inline only (its body in the system prompt): with no tools,
a model could not open skill files on demand. A starter's text files are shown in the
prompt. The reply is parsed by :mod:`harness.solvers.oneshot.parser`; its problems are
transcript events and part of the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from harness.errors import UsageError
from harness.models.base import BudgetExceededError, Message, ModelError
from harness.models.budget import BudgetedModel, BudgetTracker
from harness.project import load_project, read_bytes_safely
from harness.prompts import MAX_STARTER_BYTES, render_skill, render_system, render_task
from harness.safefs import remove_tree
from harness.solvers.base import Prompts, SolverDeps, refuse_unpriced
from harness.solvers.oneshot.parser import ReplyFormatError, parse_reply
from harness.solvers.outcome import GenerationOutcome, Limit, SampleError
from harness.transcript import FilesEvent, ProblemEvent, ReplyEvent
from harness.variants import Delivery

if TYPE_CHECKING:
    from pathlib import PurePosixPath

    from harness.models.base import GenerationParams, Model
    from harness.models.budget import Budget
    from harness.solvers.workspace import Workspace
    from harness.tasks.loader import Task
    from harness.transcript import Transcript
    from harness.variants import Skill


def starter_texts(starter: Path | None) -> dict[str, str]:
    """The starter's text files, to show in a one-shot prompt.

    Raises:
        UsageError: When the starter is larger than a prompt can hold.
    """
    if starter is None:
        return {}
    project = load_project(starter)
    texts: dict[str, str] = {}
    total = 0
    for rel in project.files:
        data = read_bytes_safely(starter, rel)
        if data is None or b"\0" in data[:8192]:
            continue
        total += len(data)
        texts[rel] = data.decode("utf-8", "replace")
    if total > MAX_STARTER_BYTES:
        msg = (
            f"the starter {starter} holds {total} bytes of text, more than a one-shot "
            f"prompt takes ({MAX_STARTER_BYTES}): use --solver loop"
        )
        raise UsageError(msg)
    return texts


def spent(tracker: BudgetTracker, *, priced: bool) -> GenerationOutcome:
    """What a budget tracker counted; an unpriced model's cost is unknown, never 0."""
    return GenerationOutcome(
        turns=tracker.turns,
        usage=tracker.usage,
        cost_usd=round(tracker.cost_usd, 6) if priced else None,
    )


def budget_limit(error: BudgetExceededError) -> Limit:
    """The :class:`Limit` a budget error names."""
    return Limit(kind=error.reason, detail=str(error))


class OneShotSolver:
    """One reply with every file.

    Args:
        model: The model.
        params: Sampling parameters.
    """

    name: ClassVar[str] = "oneshot"
    deliveries: ClassVar[tuple[Delivery, ...]] = (Delivery.inline,)
    uses_model_client: ClassVar[bool] = True

    def __init__(self, model: Model, params: GenerationParams) -> None:
        self.model = model
        self.params = params

    @classmethod
    def check(
        cls,
        model_spec: str,
        base_url: str | None,  # noqa: ARG003 - the protocol's; any server will do
        *,
        sandbox: str = "bwrap",  # noqa: ARG003 - its commands run in either
        max_cost_usd: float | None = None,
    ) -> None:
        """Any model can answer in one reply; a cost budget needs the model's price.

        Raises:
            UsageError: For a cost budget on an unpriced API model.
        """
        refuse_unpriced(model_spec, max_cost_usd)

    @classmethod
    def create(cls, deps: SolverDeps) -> OneShotSolver:
        """The solver for one sample (needs a model client)."""
        if deps.model is None or deps.params is None:
            msg = "the oneshot solver needs a model client and sampling parameters"
            raise UsageError(msg)
        return cls(deps.model, deps.params)

    @property
    def version(self) -> str | None:
        """No program of its own."""
        return None

    @classmethod
    def skill_folder(cls, skill: Skill) -> PurePosixPath | None:  # noqa: ARG003 - the protocol's
        """None: the skill reaches the model inline, never as files."""
        return None

    @classmethod
    def prompts(
        cls,
        task: Task,
        skill: Skill | None,
        delivery: Delivery,
        *,
        placed: bool,  # noqa: ARG003 - never placed
        budget: Budget,  # noqa: ARG003 - one reply: no turn budget to state
    ) -> Prompts:
        """The one-shot system prompt (the skill's body inline) and the task with its starter."""
        has_starter = task.starter_dir is not None
        section = (
            render_skill(skill, delivery, files_in_workspace=False)
            if skill is not None
            else ""
        )
        system = render_system(
            "oneshot", skill_section=section, has_starter=has_starter
        )
        user = render_task(
            task.prompt(),
            contract=task.contract(),
            starter_files=starter_texts(task.starter_dir),
            has_starter=has_starter,
        )
        return Prompts(system=system, user=user)

    async def solve(
        self,
        workspace: Workspace,
        prompts: Prompts,
        budget: Budget,
        transcript: Transcript,
    ) -> GenerationOutcome:
        """One call; the reply parsed into files in the workspace."""
        tracker = BudgetTracker(budget)
        budgeted = BudgetedModel(self.model, tracker)
        priced = self.model.priced
        try:
            reply = await budgeted.complete(
                prompts.system,
                [Message(role="user", content=prompts.user)],
                [],
                self.params,
            )
        except BudgetExceededError as error:
            return spent(tracker, priced=priced).model_copy(
                update={"limit": budget_limit(error)}
            )
        except ModelError as error:
            failure = SampleError(kind="infra", message=str(error))
            return spent(tracker, priced=priced).model_copy(update={"error": failure})
        transcript.write(ReplyEvent(turn=1, reply=reply))
        outcome = spent(tracker, priced=priced).model_copy(
            update={"cost_usd": reply.cost_usd, "cached_replies": int(reply.cached)}
        )
        cut = reply.stop_reason == "max_tokens"
        try:
            parsed = parse_reply(reply.text)
        except ReplyFormatError as error:
            for problem in error.problems:
                transcript.write(ProblemEvent(**problem.model_dump()))
            ending = (
                {"limit": Limit(kind="output", detail=str(error))}
                if cut
                else {"error": SampleError(kind="model", message=str(error))}
            )
            return outcome.model_copy(
                update={**ending, "parse_problems": error.problems}
            )
        for problem in parsed.problems:
            transcript.write(ProblemEvent(**problem.model_dump()))
        for rel, content in parsed.files.items():
            target = workspace.root / rel
            if target.is_dir():
                remove_tree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        transcript.write(FilesEvent(files=list(parsed.files), style=parsed.style))
        outcome = outcome.model_copy(update={"parse_problems": parsed.problems})
        if cut:
            detail = (
                "the reply was cut at the output token limit "
                f"({self.params.max_tokens}); {len(parsed.files)} complete file(s) kept"
            )
            return outcome.model_copy(
                update={"limit": Limit(kind="output", detail=detail)}
            )
        if reply.stop_reason == "error":
            detail = f"the model stopped with {reply.raw_stop_reason or 'an error'}"
            return outcome.model_copy(
                update={"error": SampleError(kind="infra", message=detail)}
            )
        errors = parsed.errors
        note = f"{len(errors)} block(s) dropped: {errors[0]}" if errors else None
        return outcome.model_copy(update={"note": note})


__all__ = ["OneShotSolver", "budget_limit", "spent", "starter_texts"]
