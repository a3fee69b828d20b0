"""Helpers shared by the commands: consoles, atomic writes, the sandbox from a flag."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.errors import UsageError
from harness.sandbox import UNSANDBOXED_WARNING, Sandbox

#: Tables stay readable when piped (rich would otherwise assume 80 columns).
_PIPED_WIDTH = 120
stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)
if not stdout.is_terminal:
    stdout = Console(highlight=False, width=_PIPED_WIDTH)


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


def check_writable(path: Path) -> None:
    """Fail early (before any work) if ``path`` cannot be written.

    Raises:
        UsageError: When its folder is missing or read-only, or it is a folder.
    """
    if path.is_dir():
        msg = (
            f"--json {path} is a folder: give a file name such as {path / 'score.json'}"
        )
        raise UsageError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        msg = f"cannot write {path}: folder {parent} does not exist (create it first)"
        raise UsageError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"cannot write {path}: folder {parent} is not writable"
        raise UsageError(msg)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash never leaves half a file."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
