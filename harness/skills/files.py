"""A skill folder's files, as Anthropic's ``package_skill.py`` selects them."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath

from harness.errors import UsageError
from harness.project.files import IGNORED_DIRS

#: Excluded at any depth: ``package_skill.py``'s ``EXCLUDE_DIRS``, plus tool caches and
#: virtualenvs that a skill's template picks up when its checks are run in place.
EXCLUDE_DIRS = frozenset({"__pycache__", "node_modules"})
CACHE_DIRS = IGNORED_DIRS
#: Excluded file names and patterns (``EXCLUDE_FILES``, ``EXCLUDE_GLOBS``).
EXCLUDE_FILES = frozenset({".DS_Store"})
EXCLUDE_GLOBS = ("*.pyc",)
#: Excluded only at the skill's root (``ROOT_EXCLUDE_DIRS``): skill-creator's eval set.
ROOT_EXCLUDE_DIRS = frozenset({"evals"})
SKILL_FILE = "SKILL.md"


def resolve_skill_dir(path: Path) -> Path:
    """The skill folder named by ``path`` (the folder, or its SKILL.md).

    Raises:
        UsageError: In one line, when the path is missing or holds no SKILL.md.
    """
    if not path.exists():
        msg = f"{path} does not exist: pass a skill folder (the one holding SKILL.md)"
        raise UsageError(msg)
    if path.is_file():
        if path.name != SKILL_FILE:
            msg = f"{path} is a file, not a skill: pass the folder that holds SKILL.md"
            raise UsageError(msg)
        path = path.parent
    if not (path / SKILL_FILE).is_file():
        hint = (
            " (rename skill.md to SKILL.md)"
            if (path / "skill.md").is_file()
            else ": pass the skill folder itself, e.g. skill/python-fastapi-developer"
        )
        msg = f"{path} has no {SKILL_FILE}{hint}"
        raise UsageError(msg)
    return path.resolve()


def excluded(rel: PurePosixPath) -> bool:
    """Whether ``package_skill.py`` leaves this path (relative to the skill) out."""
    if any(part in EXCLUDE_DIRS or part in CACHE_DIRS for part in rel.parts):
        return True
    if len(rel.parts) > 1 and rel.parts[0] in ROOT_EXCLUDE_DIRS:
        return True
    if rel.name in EXCLUDE_FILES:
        return True
    return any(fnmatch.fnmatch(rel.name, pattern) for pattern in EXCLUDE_GLOBS)


def skill_files(root: Path) -> list[str]:
    """The skill's files that ship, relative and sorted (no symbolic links followed)."""
    found: list[str] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        base = Path(current)
        dirs[:] = sorted(
            d
            for d in dirs
            if not (base / d).is_symlink()
            and not excluded(PurePosixPath((base / d).relative_to(root).as_posix()))
        )
        for name in sorted(files):
            full = base / name
            rel = PurePosixPath(full.relative_to(root).as_posix())
            if full.is_symlink() or excluded(rel):
                continue
            found.append(str(rel))
    return sorted(found)
