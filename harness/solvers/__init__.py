"""Solvers: who writes a sample's project, and the one skeleton around every one of them.

- :mod:`~harness.solvers.base`: the :class:`Solver` protocol and the registry
  (``oneshot``, ``loop``, ``claude-code``, ``codex``);
- :mod:`~harness.solvers.outcome`: :class:`GenerationOutcome`, how a solver's work ended
  (a :class:`Limit` or a :class:`SampleError`, or neither);
- :mod:`~harness.solvers.skeleton`: :func:`~harness.solvers.skeleton.solve_sample`, the
  workspace, skill placement and removal, prompts, transcript and record for all four;
- :mod:`~harness.solvers.record`: :class:`GenerationRecord`, what generation produced;
- :mod:`~harness.solvers.workspace` and :mod:`~harness.solvers.placement`: the workspace
  and the skill shown in it from outside;
- one package per solver family: :mod:`~harness.solvers.oneshot`,
  :mod:`~harness.solvers.loop`, :mod:`~harness.solvers.coding_agents`.
"""

from harness.solvers.base import (
    SOLVERS,
    Prompts,
    Solver,
    SolverDeps,
    check_delivery,
    solver_class,
    solver_from_legacy,
)
from harness.solvers.outcome import CommandRun, GenerationOutcome, Limit, SampleError
from harness.solvers.record import (
    GENERATION_SCHEMA_VERSION,
    GenerationRecord,
    write_record,
)

__all__ = [
    "GENERATION_SCHEMA_VERSION",
    "SOLVERS",
    "CommandRun",
    "GenerationOutcome",
    "GenerationRecord",
    "Limit",
    "Prompts",
    "SampleError",
    "Solver",
    "SolverDeps",
    "check_delivery",
    "solver_class",
    "solver_from_legacy",
    "write_record",
]
