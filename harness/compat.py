"""The one mapping from the old ``mode`` and ``agent`` pair to the solver it names.

Version 1 records and manifests, version 2 transcripts, the ``--mode``/``--agent`` flags
and the ``mode``/``agent`` keys of ``[tool.harness]`` all said who wrote a project with two
words; a solver is one. A leaf module, so every layer that reads an old shape uses it.
"""

from __future__ import annotations

#: ``(mode, agent)`` -> solver.
LEGACY_SOLVER = {
    ("oneshot", "builtin"): "oneshot",
    ("agent", "builtin"): "loop",
    ("agent", "claude-code"): "claude-code",
    ("agent", "codex"): "codex",
}


def solver_named(mode: str | None, agent: str | None) -> str | None:
    """The solver an old ``mode`` and ``agent`` name together (None: no solver).

    A coding agent alone (no mode) means that agent; a mode alone means the builtin one.
    """
    agent = agent or "builtin"
    if agent != "builtin" and mode is None:
        mode = "agent"
    return LEGACY_SOLVER.get((mode or "oneshot", agent))


__all__ = ["LEGACY_SOLVER", "solver_named"]
