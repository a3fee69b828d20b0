"""Folders as bytes, to travel between the driver and a worker node.

A workspace is written by untrusted code, so it is packed the way every host-side reader
reads it: regular files only, each opened through :func:`harness.safefs.read_file`
(``O_NOFOLLOW`` at every component), links and devices skipped, the folders and files
the scorer ignores left out (tool caches, virtualenvs, ``node_modules``, local databases:
:func:`harness.project.files.ignored_dir`), within the scorer's own limits
(:data:`~harness.project.files.MAX_FILES`, :data:`~harness.project.files.MAX_BYTES`). It is
unpacked only into a fresh folder the harness made, each path checked by
:func:`harness.safefs.parts_of` (no ``..``, nothing absolute).

A task travels as its folder plus the files beside the tasks folder that a task reads
(:data:`TASK_SIBLINGS`: the shared contract and the probe catalogue), and is materialised
once per node in a cache keyed by their content.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import HarnessError
from harness.project import folder_hash
from harness.project.files import MAX_BYTES, MAX_FILES, ignored_dir, ignored_file
from harness.safefs import (
    LinkError,
    make_folders,
    open_folder,
    parts_of,
    read_file,
    remove_tree,
)


class BundleError(HarnessError):
    """A folder that cannot travel (too large), or a bundle that does not unpack."""


@dataclass(frozen=True)
class FolderPack:
    """A folder's regular files, by relative POSIX path.

    Attributes:
        files: Content by relative path.
        executable: Paths whose owner-execute bit was set.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    executable: frozenset[str] = frozenset()

    @property
    def size(self) -> int:
        """Bytes of content."""
        return sum(len(data) for data in self.files.values())


def pack_folder(
    root: Path, *, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES
) -> FolderPack:
    """Read every regular file under ``root`` the scorer reads, without following a link.

    Raises:
        BundleError: When the folder holds more than ``max_files`` files or
            ``max_bytes`` bytes (the scorer refuses such a project too).
    """
    files: dict[str, bytes] = {}
    executable: set[str] = set()
    total = 0
    if not root.is_dir() or root.is_symlink():
        return FolderPack()
    for current, dirs, names in os.walk(root, followlinks=False):
        here = Path(current)
        dirs[:] = sorted(
            d for d in dirs if not ignored_dir(d) and not (here / d).is_symlink()
        )
        for name in sorted(names):
            if ignored_file(name):
                continue
            rel = (here / name).relative_to(root).as_posix()
            try:
                info = (here / name).lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            data = read_file(root, rel, limit=max_bytes + 1)
            if data is None:
                continue
            total += len(data)
            if len(files) >= max_files or total > max_bytes:
                msg = (
                    f"{root.name}: more than {max_files} files or "
                    f"{max_bytes // 2**20} MiB, too large to send to another node"
                )
                raise BundleError(msg)
            files[rel] = data
            if info.st_mode & stat.S_IXUSR:
                executable.add(rel)
    return FolderPack(files, frozenset(executable))


def unpack_folder(pack: FolderPack, destination: Path) -> None:
    """Write a pack into ``destination`` (made fresh by the caller, or made here).

    Raises:
        BundleError: For a path outside the folder (``..``, absolute).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(pack.files.items()):
        try:
            names = parts_of(rel)
        except LinkError as error:
            raise BundleError(str(error)) from None
        if not names:
            continue
        target = destination.joinpath(*names)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if rel in pack.executable:
            target.chmod(0o755)


_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC


def apply_changes(root: Path, before: FolderPack, after: FolderPack) -> list[str]:
    """Make ``root`` (packed as ``before``) hold ``after``, never through a link.

    What changed is written and what is gone deleted, each step opened with
    ``O_NOFOLLOW`` from the folder's own descriptor (:mod:`harness.safefs`).

    Returns:
        The paths written or deleted.

    Raises:
        BundleError: For a path outside the folder or through a link.
    """
    changed: list[str] = []
    try:
        for rel in sorted(set(before.files) - set(after.files)):
            names = parts_of(rel)
            with open_folder(root, "/".join(names[:-1])) as fd:
                os.unlink(names[-1], dir_fd=fd)
            changed.append(rel)
        for rel, data in sorted(after.files.items()):
            if before.files.get(rel) == data:
                continue
            names = parts_of(rel)
            parent = "/".join(names[:-1])
            make_folders(root, parent)
            with open_folder(root, parent) as fd:
                mode = 0o755 if rel in after.executable else 0o644
                handle = os.open(names[-1], _WRITE, mode, dir_fd=fd)
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
            changed.append(rel)
    except (LinkError, OSError) as error:
        msg = f"could not bring the command's changes back: {error}"
        raise BundleError(msg) from None
    return changed


#: Files beside the tasks folder that loading or prompting a task reads.
TASK_SIBLINGS = ("contract.md", "probes.toml")


@dataclass(frozen=True)
class TaskBundle:
    """A task's folder and the files beside the tasks folder, for a worker to materialise.

    Attributes:
        task_id: The task's id (its folder's name).
        content_hash: The task folder's content hash (the manifest's).
        folder: The task folder's files.
        siblings: :data:`TASK_SIBLINGS` that exist, by name.
    """

    task_id: str
    content_hash: str
    folder: FolderPack
    siblings: dict[str, bytes] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A folder name for this exact task and its siblings."""
        digest = hashlib.sha256(self.content_hash.encode())
        for name, data in sorted(self.siblings.items()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return f"{self.task_id}-{digest.hexdigest()[:16]}"


def bundle_task(root: Path, task_id: str, content_hash: str) -> TaskBundle:
    """Pack a task folder (trusted: the harness's own tasks) and its siblings."""
    beside = root.parent.parent
    return TaskBundle(
        task_id=task_id,
        content_hash=content_hash,
        folder=pack_folder(root),
        siblings={
            name: (beside / name).read_bytes()
            for name in TASK_SIBLINGS
            if (beside / name).is_file()
        },
    )


def materialise_task(bundle: TaskBundle, cache: Path) -> Path:
    """The task's folder on this node, written once into ``cache`` (atomically).

    Returns:
        ``cache/<key>/tasks/<task_id>``, whose content hash equals the bundle's.

    Raises:
        BundleError: When the written folder's hash differs from the driver's.
    """
    home = cache / bundle.key
    folder = home / "tasks" / bundle.task_id
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=cache))
        unpack_folder(bundle.folder, staging / "tasks" / bundle.task_id)
        for name, data in bundle.siblings.items():
            (staging / name).write_bytes(data)
        try:
            staging.rename(home)
        except OSError:  # another worker process of this node was first
            remove_tree(staging)
    found = folder_hash(folder)
    if found != bundle.content_hash:
        msg = (
            f"task {bundle.task_id}: the copy on this node hashes to {found}, the "
            f"driver's to {bundle.content_hash}"
        )
        raise BundleError(msg)
    return folder


__all__ = [
    "BundleError",
    "FolderPack",
    "TaskBundle",
    "apply_changes",
    "bundle_task",
    "materialise_task",
    "pack_folder",
    "unpack_folder",
]
