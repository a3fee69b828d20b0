"""Host-side file operations inside folders a sandboxed process could have written.

A workspace, a scoring scratch folder and an agent's HOME are written by untrusted code: any
entry in them may be a symbolic link to a host path, planted to make the harness read, chmod
or delete that path. Every host-side operation in such a folder goes through this module,
which walks from the folder's own descriptor one component at a time with ``O_NOFOLLOW``
(``dir_fd`` for every call), so a link is never followed, whatever its place in the path:
- :func:`open_folder` opens ``root/rel`` or refuses with :class:`LinkError`;
- :func:`make_folders` and :func:`remove_folders` create and remove a chain of folders and
  check, by inode, that the chain removed is the chain created;
- :func:`read_file` reads a regular file (never a link, device or FIFO);
- :func:`remove_tree` deletes a whole folder, whatever modes and links it holds;
- :func:`scratch_folder` is a temporary folder removed with :func:`remove_tree` (the standard
  ``TemporaryDirectory`` of Python 3.12.1 follows links when it resets permissions,
  CVE-2023-6597).

The callers run these after the sandboxed process tree is gone (the sandbox kills it), so no
component can change between the check and the use.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:
    from collections.abc import Iterator

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC

#: A folder's identity: ``(st_dev, st_ino)``.
Identity = tuple[int, int]


class LinkError(HarnessError):
    """A path inside an untrusted folder that is a link, not a folder, or leaves it."""


def parts_of(rel: str | PurePosixPath) -> list[str]:
    """The components of a relative path; ``..`` and absolute paths are refused.

    Raises:
        LinkError: For an absolute path or one with ``..``.
    """
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts:
        msg = f"{rel!s} is not a path inside the folder"
        raise LinkError(msg)
    return [part for part in path.parts if part not in ("", ".")]


def _open_root(root: Path) -> int:
    try:
        return os.open(root, _DIR)
    except OSError as error:
        msg = f"{root} is not a folder the harness can open ({error.strerror})"
        raise LinkError(msg) from None


def _step(fd: int, name: str, shown: str) -> int:
    try:
        return os.open(name, _DIR, dir_fd=fd)
    except OSError as error:
        msg = f"{shown} is a link or not a folder ({error.strerror})"
        raise LinkError(msg) from None


@contextmanager
def open_folder(root: Path, rel: str | PurePosixPath = "") -> Iterator[int]:
    """A descriptor of ``root/rel``, reached without following any link below ``root``.

    Args:
        root: A folder the harness made (its own path is trusted).
        rel: The folder inside it.

    Yields:
        The open descriptor (closed on exit).

    Raises:
        LinkError: When a component is a link, is not a folder, or is missing.
    """
    fd = _open_root(root)
    try:
        done: list[str] = []
        for part in parts_of(rel):
            done.append(part)
            following = _step(fd, part, "/".join(done))
            os.close(fd)
            fd = following
        yield fd
    finally:
        os.close(fd)


def make_folders(root: Path, rel: str | PurePosixPath) -> list[Identity]:
    """Create ``root/rel`` folder by folder (existing real folders are kept).

    Returns:
        The identity of each component, outermost first, for :func:`remove_folders`.

    Raises:
        LinkError: When a component exists as a link or a file.
    """
    identities: list[Identity] = []
    fd = _open_root(root)
    try:
        done: list[str] = []
        for part in parts_of(rel):
            done.append(part)
            with suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=fd)
            following = _step(fd, part, "/".join(done))
            os.close(fd)
            fd = following
            info = os.fstat(fd)
            identities.append((info.st_dev, info.st_ino))
    finally:
        os.close(fd)
    return identities


def identities_of(root: Path, rel: str | PurePosixPath) -> list[Identity] | None:
    """The identity of each component of ``root/rel``, or None if one is a link or missing."""
    identities: list[Identity] = []
    fd = _open_root(root)
    try:
        for part in parts_of(rel):
            try:
                following = os.open(part, _DIR, dir_fd=fd)
            except OSError:
                return None
            os.close(fd)
            fd = following
            info = os.fstat(fd)
            identities.append((info.st_dev, info.st_ino))
    finally:
        os.close(fd)
    return identities


def remove_folders(
    root: Path, rel: str | PurePosixPath, identities: list[Identity]
) -> bool:
    """Remove the empty chain ``root/rel`` made by :func:`make_folders`, innermost first.

    A component is removed only while it is still the folder that was made (same inode,
    reached without links) and empty. A link found in its place is itself unlinked (never
    followed), so the scored project holds no link where the harness placed something.
    Anything else (a new folder, a file, a folder the agent filled) is left alone.

    Returns:
        Whether the innermost folder was removed.
    """
    names = parts_of(rel)
    removed: list[bool] = []
    for depth in range(len(names), 0, -1):
        name = names[depth - 1]
        try:
            with open_folder(root, "/".join(names[: depth - 1])) as fd:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    os.unlink(name, dir_fd=fd)
                elif (info.st_dev, info.st_ino) == identities[depth - 1]:
                    os.rmdir(name, dir_fd=fd)
                    removed.append(depth == len(names))
        except (OSError, LinkError):
            continue
    return any(removed)


def read_file(root: Path, rel: str | PurePosixPath, *, limit: int) -> bytes | None:
    """Read a regular file inside ``root`` without following links.

    Returns:
        At most ``limit`` bytes, or None for a link, a missing file or anything not a
        regular file (a FIFO or a device is never opened for reading, so never blocks).
    """
    names = parts_of(rel)
    if not names:
        return None
    try:
        with open_folder(root, "/".join(names[:-1])) as folder:
            fd = os.open(names[-1], _FILE, dir_fd=folder)
    except (OSError, LinkError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def _open_for_removal(parent: int, name: str) -> int | None:
    """Open a child folder for emptying, making it readable first if needed."""
    try:
        fd = os.open(name, _DIR, dir_fd=parent)
    except PermissionError:
        # The entry is a real folder (checked with lstat by the caller) and no sandboxed
        # process runs any more: chmod through dir_fd cannot land anywhere else.
        try:
            os.chmod(name, 0o700, dir_fd=parent)
            fd = os.open(name, _DIR, dir_fd=parent)
        except OSError:
            return None
    except OSError:
        return None
    with suppress(OSError):
        os.fchmod(fd, 0o700)
    return fd


def _entries(fd: int) -> Iterator[tuple[str, bool]]:
    """The names in an open folder, each with whether it is a real folder (not a link)."""
    with os.scandir(fd) as scan:
        listed = list(scan)
    for entry in listed:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        yield entry.name, is_dir


def _clear(top: int) -> None:
    """Delete everything inside the open folder ``top``, depth first, without recursion."""
    stack: list[tuple[int, Iterator[tuple[str, bool]], str | None]] = [
        (top, _entries(top), None)
    ]
    while stack:
        fd, pending, name = stack[-1]
        for entry, is_dir in pending:
            if not is_dir:
                with suppress(OSError):
                    os.unlink(entry, dir_fd=fd)
                continue
            child = _open_for_removal(fd, entry)
            if child is not None:
                stack.append((child, _entries(child), entry))
                break
        else:
            stack.pop()
            if name is not None:
                os.close(fd)
                with suppress(OSError):
                    os.rmdir(name, dir_fd=stack[-1][0])


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it, never following a link inside it.

    Folders left unreadable or unwritable by a sandboxed process are made accessible
    first (through their descriptors). A link at ``path`` itself is unlinked, not followed;
    a missing ``path`` is fine. Errors on single entries are skipped, never raised.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        with suppress(OSError):
            path.unlink()
        return
    try:
        fd = os.open(path, _DIR)
    except PermissionError:
        try:
            path.chmod(0o700)  # a real folder (lstat above), not a link
            fd = os.open(path, _DIR)
        except OSError:
            return
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fchmod(fd, 0o700)
        _clear(fd)
    finally:
        os.close(fd)
    with suppress(OSError):
        path.rmdir()


@contextmanager
def scratch_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A fresh temporary folder, removed with :func:`remove_tree` on exit.

    Args:
        prefix: The folder name's prefix.
        parent: Where to create it (default: the system's temporary folder).

    Yields:
        The folder.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        remove_tree(path)


__all__ = [
    "Identity",
    "LinkError",
    "identities_of",
    "make_folders",
    "open_folder",
    "parts_of",
    "read_file",
    "remove_folders",
    "remove_tree",
    "scratch_folder",
]
