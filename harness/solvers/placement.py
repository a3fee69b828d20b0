"""A skill shown to an agent at its loading place, with no copy of it inside the workspace.

The workspace is writable by the agent; its parent folders (``.claude/``, ``.agents/``) can
be renamed and replaced by links to host paths. So the skill's files never live there:
:class:`SkillMount` stages them in a harness-owned folder outside the workspace and the
sandbox binds that folder read-only at the loading place (``/work/.claude/skills/<name>``).
The workspace holds only the empty mount point, made folder by folder without following
links and removed the same way, checked by inode, when the sample ends. Nothing the agent
plants can make the harness read, chmod or delete a host path.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath

from harness.safefs import (
    LinkError,
    identities_of,
    make_folders,
    open_folder,
    read_file,
    remove_folders,
    remove_tree,
)
from harness.sandbox.models import WORK, Mount
from harness.variants import MAX_SKILL_BYTES, Skill


def _digest(files: dict[str, bytes]) -> dict[str, str]:
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}


class SkillMount:
    """A skill staged outside a workspace and bound read-only at ``folder`` inside it.

    Attributes:
        skill: The skill.
        root: The workspace (host path).
        folder: Where the agent loads it, relative to the workspace.
        source: The staged copy (host path, outside the workspace, read-only).
    """

    def __init__(self, skill: Skill, root: Path, folder: str | PurePosixPath) -> None:
        """Stage the skill's files and make the empty mount point in the workspace.

        Args:
            skill: The skill.
            root: The workspace (made by the harness; nothing has run in it yet).
            folder: The loading place, relative to the workspace.

        Raises:
            LinkError: When the loading place cannot be made (a starter holds a file there).
        """
        self.skill = skill
        self.root = root
        self.folder = PurePosixPath(folder)
        self._staging = Path(tempfile.mkdtemp(prefix="hs-skill-"))
        self.source = self._staging / "skill"
        self._expected = _digest(skill.files)
        for rel, data in sorted(skill.files.items()):
            path = self.source / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o444)
        for current, dirs, _files in os.walk(self.source, topdown=False):
            for name in dirs:
                (Path(current) / name).chmod(0o555)
        self.source.mkdir(exist_ok=True)
        self.source.chmod(0o555)
        self._identities = make_folders(root, self.folder)
        self._closed = False

    def in_place(self) -> bool:
        """Whether the loading place is still the mount point that was made, and empty.

        False when the agent renamed or replaced any folder on the way (a link, a new
        folder of the same name) or wrote into the mount point while it was moved away.
        """
        if identities_of(self.root, self.folder) != self._identities:
            return False
        try:
            with open_folder(self.root, self.folder) as fd, os.scandir(fd) as entries:
                return next(entries, None) is None
        except LinkError:
            return False

    def mount(self) -> Mount | None:
        """The read-only bind for a sandbox request; None once the place was tampered with."""
        if self._closed or not self.in_place():
            return None
        return Mount(source=self.source, target=WORK / self.folder)

    def staged_intact(self) -> bool:
        """Whether the staged copy holds exactly the skill's files (set and content hashes)."""
        found: dict[str, str] = {}
        for current, dirs, files in os.walk(self.source, followlinks=False):
            dirs.sort()
            for name in files:
                rel = (Path(current) / name).relative_to(self.source).as_posix()
                data = read_file(self.source, rel, limit=MAX_SKILL_BYTES + 1)
                if data is None:
                    return False
                found[rel] = hashlib.sha256(data).hexdigest()
        return found == self._expected

    def intact(self) -> bool:
        """The skill was where the agent loads it, unchanged, for the whole sample."""
        return self.in_place() and self.staged_intact()

    def close(self) -> bool:
        """Remove the mount point (never through a link) and the staged copy.

        Returns:
            :meth:`intact`, read before anything is removed.
        """
        if self._closed:
            return False
        intact = self.intact()
        self._closed = True
        remove_folders(self.root, self.folder, self._identities)
        remove_tree(self._staging)
        return intact


__all__ = ["SkillMount"]
