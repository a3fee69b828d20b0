"""A sample's workspace: a fresh folder, the starter and the skill copied in, safe access.

The task's starter is copied in first, then the skill where the variant puts it. Every
path a model gives is resolved inside the workspace: absolute paths, ``..`` and
symbolic links that leave it are refused. The skill (on-demand delivery) lives read-only at
``.agents/skills/<name>/``; it is removed when the generation ends, so the scored project
holds only what the model wrote. A baseline workspace is checked to hold no skill file at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path, PurePosixPath

from harness.errors import HarnessError, UsageError
from harness.project import IGNORED_DIRS, IGNORED_SUFFIXES, MAX_BYTES, TOOL_CACHE_DIRS
from harness.safefs import read_file, remove_tree
from harness.solvers.placement import SkillMount
from harness.variants import SKILLS_DIR, Skill

#: Folders where coding agents look for skills; a baseline workspace must hold none.
SKILL_LOCATIONS = (".agents", ".claude", ".codex", ".cursor", ".github/skills")
#: Files listed at most by ``list_files``.
MAX_LISTED = 1000


class PathError(HarnessError):
    """A path a model gave that the workspace refuses (outside it, read-only, missing)."""


class Workspace:
    """A folder the model works in.

    Attributes:
        root: The folder (absolute).
        skill: The skill placed in it, if any.
    """

    def __init__(self, root: Path, skill: Skill | None = None) -> None:
        """Wrap an existing folder.

        Args:
            root: The folder.
            skill: The skill placed in it, if any.
        """
        self.root = root.resolve()
        self.skill = skill
        self.skill_mount: SkillMount | None = None

    @classmethod
    def create(
        cls,
        root: Path,
        *,
        starter: Path | None = None,
        skill: Skill | None = None,
    ) -> Workspace:
        """Make a fresh workspace: an empty folder, the starter, the skill read-only.

        Args:
            root: The folder to create; it must not exist or be empty.
            starter: A starter project to copy in first.
            skill: A skill to place at ``.agents/skills/<name>/`` (read-only).

        Returns:
            The workspace.

        Raises:
            UsageError: When ``root`` exists and is not empty, or the starter is missing.
        """
        if root.exists() and any(root.iterdir()):
            msg = f"workspace {root} already exists and is not empty: choose a fresh --out"
            raise UsageError(msg)
        root.mkdir(parents=True, exist_ok=True)
        if starter is not None:
            if not starter.is_dir():
                msg = (
                    f"starter folder {starter} does not exist: fix the task's [starter]"
                )
                raise UsageError(msg)
            shutil.copytree(
                starter,
                root,
                dirs_exist_ok=True,
                symlinks=False,
                ignore=shutil.ignore_patterns(*IGNORED_DIRS, "*.pyc"),
            )
        workspace = cls(root)
        if skill is not None:
            workspace.place_skill(skill)
        return workspace

    # Skill placement -------------------------------------------------------------------------

    @property
    def skill_root(self) -> Path | None:
        """The skill's loading place in the workspace (an empty mount point on the host)."""
        mount = self.skill_mount
        return self.root / mount.folder if mount is not None else None

    def place_skill(
        self, skill: Skill, folder: PurePosixPath | str | None = None
    ) -> Path:
        """Show the skill at ``folder``, read-only, from outside the workspace.

        The files are staged in a harness-owned folder (:class:`SkillMount`); the tools
        read them from memory and sandboxed commands see them through a read-only bind.

        Args:
            skill: The skill.
            folder: Where the solver loads it (default ``.agents/skills/<name>``).

        Returns:
            The skill's loading place.
        """
        self.skill = skill
        self.skill_mount = SkillMount(skill, self.root, folder or skill.workspace_dir)
        return self.root / self.skill_mount.folder

    def skill_intact(self) -> bool:
        """Whether the skill stayed at its place, with exactly its files, the whole time."""
        return self.skill_mount.intact() if self.skill_mount is not None else True

    def remove_skill(self) -> bool:
        """Remove the skill's mount point and staged copy (never through a link).

        Returns:
            Whether the skill was intact until then (True when none was placed).
        """
        if self.skill_mount is None:
            return True
        intact = self.skill_mount.close()
        self.skill_mount = None
        return intact

    def skill_file(self, rel: str) -> bytes | None:
        """The content of a workspace path inside the placed skill, or None."""
        inside = self.skill_path_of(rel)
        if inside is None or self.skill is None or self.skill_mount is None:
            return None
        return self.skill.files.get(inside)

    def skill_path_of(self, rel: str) -> str | None:
        """The path inside the skill of a workspace path, or None if it is not in the skill."""
        if self.skill is None or self.skill_mount is None:
            return None
        prefix = self.skill_mount.folder.as_posix() + "/"
        return rel[len(prefix) :] if rel.startswith(prefix) else None

    # Safe access for tools ---------------------------------------------------------------

    def relative(self, raw: str) -> str:
        """Normalise a model-given path to a relative POSIX path inside the workspace.

        Args:
            raw: The path as the model wrote it (``/work/`` prefixes are accepted).

        Returns:
            The relative path (``.`` for the root).

        Raises:
            PathError: When it is absolute elsewhere or leaves the workspace.
        """
        text = raw.strip().replace("\\", "/")
        for prefix in ("/work/", str(self.root) + "/"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        if text in ("/work", str(self.root)):
            text = "."
        if text.startswith("/"):
            msg = f"path {raw!r} is absolute: give it relative to the project root"
            raise PathError(msg)
        parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
        if ".." in parts:
            msg = f"path {raw!r} leaves the project (contains '..')"
            raise PathError(msg)
        rel = "/".join(parts) or "."
        try:
            resolved = (self.root / rel).resolve()
        except (OSError, RuntimeError):  # a link loop
            msg = f"path {raw!r} cannot be resolved (a link loop)"
            raise PathError(msg) from None
        if not resolved.is_relative_to(self.root):
            msg = f"path {raw!r} leaves the project (through a link)"
            raise PathError(msg)
        return rel

    def is_read_only(self, rel: str) -> bool:
        """Whether ``rel`` is inside the placed skill (or any skill location)."""
        return rel == SKILLS_DIR.parts[0] or rel.startswith(f"{SKILLS_DIR.parts[0]}/")

    def list_files(self, rel: str = ".") -> list[str]:
        """Files under ``rel``, relative to the workspace root, sorted; junk folders skipped.

        Raises:
            PathError: When ``rel`` is not a folder of the workspace.
        """
        base = self.root / rel
        if not base.is_dir():
            msg = f"{rel!r} is not a folder of the project"
            raise PathError(msg)
        found = sorted(
            path
            for path in self._skill_paths()
            if rel == "." or path.startswith(f"{rel.rstrip('/')}/")
        )[:MAX_LISTED]
        for current, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = sorted(
                d for d in dirs if d not in IGNORED_DIRS and not d.endswith(".egg-info")
            )
            for name in sorted(files):
                if name.endswith(IGNORED_SUFFIXES):
                    continue
                found.append((Path(current) / name).relative_to(self.root).as_posix())
                if len(found) >= MAX_LISTED:
                    return found
        return found

    def _skill_paths(self) -> list[str]:
        if self.skill is None or self.skill_mount is None:
            return []
        prefix = self.skill_mount.folder.as_posix()
        return [f"{prefix}/{rel}" for rel in self.skill.files]

    def project_files(self) -> dict[str, str]:
        """SHA-256 (16 hex) of every file outside the skill, by relative path."""
        hashes: dict[str, str] = {}
        for rel in self.list_files():
            if self.is_read_only(rel):
                continue
            data = read_file(self.root, rel, limit=MAX_BYTES)
            if data is not None:
                hashes[rel] = hashlib.sha256(data).hexdigest()[:16]
        return hashes


#: Tool caches a ``run`` command leaves behind; removed when generation ends.
CACHE_DIRS = TOOL_CACHE_DIRS


def remove_caches(root: Path) -> list[str]:
    """Delete tool caches (``__pycache__``, ``.ruff_cache``...) left in a workspace.

    Returns:
        The removed folders, relative.
    """
    removed: list[str] = []
    for current, dirs, _files in os.walk(root, followlinks=False):
        for name in sorted(dirs):
            if name in CACHE_DIRS:
                path = Path(current) / name
                removed.append(path.relative_to(root).as_posix())
                remove_tree(path)
        dirs[:] = [d for d in dirs if d not in CACHE_DIRS]
    return removed


def skill_files_in(root: Path, skills: list[Skill] | None = None) -> list[str]:
    """Skill files found in a folder (a baseline must have none).

    A skill file is anything under a skill location, any ``SKILL.md``, and any file
    whose bytes equal a file of the given skills.

    Args:
        root: The folder.
        skills: Skills whose files must not appear anywhere.

    Returns:
        The offending relative paths (empty for a clean baseline).
    """
    known = {
        hashlib.sha256(data).digest()
        for skill in skills or []
        for data in skill.files.values()
        if data.strip()
    }
    found: list[str] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(current) / name
            rel = path.relative_to(root).as_posix()
            in_location = any(
                rel == loc or rel.startswith(f"{loc}/") for loc in SKILL_LOCATIONS
            )
            data = read_file(root, rel, limit=MAX_BYTES) if known else None
            same = data is not None and hashlib.sha256(data).digest() in known
            if in_location or name.lower() == "skill.md" or same:
                found.append(rel)
    return found


__all__ = [
    "CACHE_DIRS",
    "SKILL_LOCATIONS",
    "PathError",
    "Workspace",
    "remove_caches",
    "skill_files_in",
]
