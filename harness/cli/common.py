"""Helpers shared by the commands: consoles, atomic writes, the sandbox from a flag."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.errors import UsageError
from harness.fileio import write_atomically
from harness.sandbox import UNSANDBOXED_WARNING, Sandbox

#: Tables stay readable when piped (rich would otherwise assume 80 columns).
_PIPED_WIDTH = 120
stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)
if not stdout.is_terminal:
    stdout = Console(highlight=False, width=_PIPED_WIDTH)
if not stderr.is_terminal:
    # A message to a file or pipe stays on one line (grep-able), never wrapped at 80.
    stderr = Console(stderr=True, highlight=False, width=_PIPED_WIDTH, soft_wrap=True)


class SandboxChoice(StrEnum):
    """The ``--sandbox`` flag's values."""

    bwrap = "bwrap"
    none = "none"


def open_sandbox(choice: SandboxChoice, environment: EvaluationEnvironment) -> Sandbox:
    """Build the sandbox the user chose; warn loudly for ``none``."""
    if choice is SandboxChoice.none:
        stderr.print(
            Panel(UNSANDBOXED_WARNING, title="no sandbox", style="bold yellow")
        )
    return Sandbox.create(choice.value, venv=environment.venv, helpers=HELPERS_DIR)


def check_writable(path: Path, flag: str = "--json") -> None:
    """Fail early (before any work) if ``path`` cannot be written (``flag`` names it).

    Raises:
        UsageError: When its folder is missing or read-only, or it is a folder.
    """
    if path.is_dir():
        msg = (
            f"{flag} {path} is a folder: give a file name such as {path / 'score.json'}"
        )
        raise UsageError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        msg = f"cannot write {path}: folder {parent} does not exist (create it first)"
        raise UsageError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"cannot write {path}: folder {parent} is not writable"
        raise UsageError(msg)


__all__ = [
    "SandboxChoice",
    "check_writable",
    "open_sandbox",
    "stderr",
    "stdout",
    "write_atomically",
]


def pick_solver(solver: str | None, mode: str | None, agent: str | None) -> str | None:
    """``--solver``, or the solver that its aliases ``--mode`` and ``--agent`` name.

    Raises:
        UsageError: When the aliases name no solver, or another than ``--solver``.
    """
    if mode is None and agent is None:
        return solver
    from harness.solvers.base import solver_from_legacy

    named = solver_from_legacy(mode, agent)
    if solver is not None and solver != named:
        msg = (
            f"--solver {solver} and its aliases --mode/--agent (which name {named}) "
            "disagree: give --solver alone"
        )
        raise UsageError(msg)
    return named
