"""The solver protocol: who writes a sample's project, and the registry of them.

A solver works one sample: given a fresh workspace (the task's starter, and the skill where
the solver says it loads skills), the prompts it built and a budget, it writes the project
and reports a typed :class:`~harness.solvers.outcome.GenerationOutcome`. The skeleton
(:mod:`harness.solvers.skeleton`) does everything around it, the same for every solver.

Registered solvers (:data:`SOLVERS`, imported lazily so that a command pays only for what
it runs):

- ``oneshot``: one model reply carrying every file (the skill inline only);
- ``loop``: the harness's own tool loop (list, read, write, run in the sandbox, finish);
- ``claude-code`` and ``codex``: the real coding-agent CLIs, headless in the sandbox,
  through the model gateway (the skill where each loads skills, on demand).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from harness.compat import solver_named
from harness.errors import UsageError

if TYPE_CHECKING:
    from pathlib import PurePosixPath

    from harness.models.base import GenerationParams, Model
    from harness.models.budget import Budget
    from harness.sandbox import Sandbox
    from harness.solvers.outcome import GenerationOutcome
    from harness.solvers.workspace import Workspace
    from harness.tasks.loader import Task
    from harness.transcript import Transcript
    from harness.variants import Delivery, Skill


@dataclass(frozen=True)
class Prompts:
    """What the solver tells the model.

    Attributes:
        system: The system prompt (empty for a coding agent, which brings its own).
        user: The task prompt: byte-identical across arms.
        tools: The tool schemas the model is offered, as the ``start`` event records them.
    """

    system: str
    user: str
    tools: tuple[dict[str, object], ...] = ()


@dataclass(frozen=True)
class SolverDeps:
    """What a solver may need, built by the run layer for one sample.

    Attributes:
        model_spec: The model spec (``anthropic:...``, ``reference``...).
        model: The model client (builtin solvers; None for coding agents, whose calls go
            through the gateway to ``base_url``).
        params: Sampling parameters.
        sandbox: Where commands run.
        base_url: The upstream API's base URL, if not the provider's default.
    """

    model_spec: str
    model: Model | None = None
    params: GenerationParams | None = None
    sandbox: Sandbox | None = None
    base_url: str | None = None


class Solver(Protocol):
    """Writes one sample's project; registered under :attr:`name`.

    Attributes:
        name: The ``--solver`` value.
        deliveries: The skill deliveries it supports (the first is its default).
        uses_model_client: Whether it calls the model through a harness client (else
            through the gateway, as a coding agent does).
        version: The version of what it runs (a coding agent CLI's), if any.
    """

    name: ClassVar[str]
    deliveries: ClassVar[tuple[Delivery, ...]]
    uses_model_client: ClassVar[bool]

    @property
    def version(self) -> str | None:
        """The version of the program it runs (a CLI's), if any."""

    def skill_folder(self, skill: Skill) -> PurePosixPath | None:
        """Where it loads ``skill`` in the workspace (None: the skill is not placed)."""

    def prompts(
        self,
        task: Task,
        skill: Skill | None,
        delivery: Delivery,
        *,
        placed: bool,
        budget: Budget,
    ) -> Prompts:
        """The prompts for ``task`` under this arm (``placed``: the skill is in place).

        Raises:
            UsageError: When the prompt cannot be built (a starter too large for it).
        """

    async def solve(
        self,
        workspace: Workspace,
        prompts: Prompts,
        budget: Budget,
        transcript: Transcript,
    ) -> GenerationOutcome:
        """Work the sample; failures are in the outcome, never raised."""


class SolverFactory(Protocol):
    """A solver class: its facts, a check, and a constructor from :class:`SolverDeps`."""

    name: ClassVar[str]
    deliveries: ClassVar[tuple[Delivery, ...]]
    uses_model_client: ClassVar[bool]

    @classmethod
    def check(
        cls,
        model_spec: str,
        base_url: str | None,
        *,
        sandbox: str = "bwrap",
        max_cost_usd: float | None = None,
    ) -> None:
        """Raise :class:`UsageError` when this solver cannot run this way.

        Args:
            model_spec: The model.
            base_url: The API's base URL, if not the provider's.
            sandbox: The sandbox backend (``bwrap`` or ``none``).
            max_cost_usd: The dollar budget per sample, if any.
        """

    @classmethod
    def create(cls, deps: SolverDeps) -> Solver:
        """A solver for one sample."""

    @classmethod
    def skill_folder(cls, skill: Skill) -> PurePosixPath | None:
        """Where it loads ``skill`` in the workspace (None: the skill is not placed)."""

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
        """The prompts for ``task`` under an arm: the same for a sample and a forecast."""


#: ``--solver`` name -> ``module:Class``, imported on first use.
SOLVERS: dict[str, str] = {
    "oneshot": "harness.solvers.oneshot.solver:OneShotSolver",
    "loop": "harness.solvers.loop.solver:LoopSolver",
    "claude-code": "harness.solvers.coding_agents.solver:ClaudeCodeSolver",
    "codex": "harness.solvers.coding_agents.solver:CodexSolver",
}


def solver_class(name: str) -> SolverFactory:
    """The registered solver called ``name``.

    Raises:
        UsageError: For an unknown name (the message lists the known ones).
    """
    if name not in SOLVERS:
        msg = f"unknown solver {name!r}: use one of {', '.join(SOLVERS)}"
        raise UsageError(msg, option="solver")
    module, _, attr = SOLVERS[name].partition(":")
    factory: SolverFactory = getattr(importlib.import_module(module), attr)
    return factory


def solver_from_legacy(mode: str | None, agent: str | None) -> str:
    """The solver the old ``--mode`` and ``--agent`` flags name together.

    ``--agent claude-code`` alone means ``claude-code``; ``--mode agent`` alone means
    ``loop``; ``--agent X --mode oneshot`` cannot run.

    Raises:
        UsageError: For a pair that names no solver.
    """
    named = solver_named(mode, agent)
    if named is None:
        if agent not in {None, "builtin", *SOLVERS}:
            msg = f"unknown agent {agent!r}: use --solver {' | '.join(SOLVERS)}"
        else:
            msg = (
                f"--agent {agent} works on the workspace with its own tools: "
                f"use --solver {agent}"
            )
        raise UsageError(msg, option="solver")
    return named


def refuse_unpriced(model_spec: str, max_cost_usd: float | None) -> None:
    """Refuse a cost budget that cannot be held: an API model without a price.

    Raises:
        UsageError: When ``max_cost_usd`` is set and the price table lacks the model.
    """
    if max_cost_usd is None:
        return
    from harness.gateway.server import unpriced_reason
    from harness.models.budget import Budget
    from harness.models.pricing import load_prices
    from harness.models.registry import API_PROVIDERS, parse_spec

    provider, model = parse_spec(model_spec)
    if provider in API_PROVIDERS and load_prices().find(model) is None:
        reason = unpriced_reason(model, Budget(max_cost_usd=max_cost_usd))
        raise UsageError(reason, option="max_cost_usd")


def check_delivery(name: str, delivery: Delivery) -> None:
    """Refuse a delivery the solver cannot give (one line, with the fix).

    Raises:
        UsageError: When ``name`` does not support ``delivery``.
    """
    factory = solver_class(name)
    if delivery not in factory.deliveries:
        allowed = " or ".join(d.value for d in factory.deliveries)
        default = factory.deliveries[0].value
        msg = (
            f"--solver {name} cannot deliver a skill {delivery.value}, only {allowed}: "
            f"use --delivery {default} (or SPEC@{default})"
            + (
                ", or --solver loop, whose tools can open it"
                if name == "oneshot"
                else ""
            )
        )
        raise UsageError(msg, option="delivery")


__all__ = [
    "SOLVERS",
    "Prompts",
    "Solver",
    "SolverDeps",
    "SolverFactory",
    "check_delivery",
    "refuse_unpriced",
    "solver_class",
    "solver_from_legacy",
]
