"""Applying a task's mutant patches (git-style unified diffs) to a copy of its reference."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def apply_patch(patch: Path, folder: Path) -> tuple[bool, str]:
    """Apply a git-style unified diff (``a/``, ``b/`` prefixes) inside ``folder``.

    Returns:
        Whether it applied, and git's last line of complaint if not.
    """
    git = shutil.which("git")
    if git is None:
        return False, "git is not installed: install git to apply mutants"
    run = subprocess.run(  # noqa: S603 - fixed program, trusted task file
        [git, "apply", "--recount", "--whitespace=nowarn", str(patch.resolve())],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder), "PATH": "/usr/bin:/bin"},
    )
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        return False, lines[-1] if lines else f"git apply exited {run.returncode}"
    return True, ""


__all__ = ["apply_patch"]
