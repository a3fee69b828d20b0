"""Reading an untrusted folder safely: which files count, how to read, copy and hash them.

The one list of ignored folders and the one content hash live here: projects, tasks, skills
and workspaces are all walked, copied and hashed the same way.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from harness.errors import ProjectOutputError, UsageError
from harness.safefs import LinkError, read_file

#: Caches that tools (Python, pytest, mypy, ruff, hypothesis) write beside the code.
TOOL_CACHE_DIRS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
)
#: Folders never copied, hashed or scored: tool caches, VCS data, virtualenvs, build output.
IGNORED_DIRS = TOOL_CACHE_DIRS | frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        ".env",
        ".tox",
        ".nox",
        "node_modules",
        "build",
        "dist",
        ".eggs",
        "htmlcov",
        ".idea",
        ".vscode",
    }
)
#: Files never copied, hashed or scored: bytecode, packaging metadata, local databases.
IGNORED_SUFFIXES = (".pyc", ".pyo", ".egg-info", ".db", ".sqlite", ".sqlite3")
MAX_FILES = 5000
MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024


def ignored_dir(name: str) -> bool:
    """Whether a folder of this name is left out wherever it appears."""
    return name in IGNORED_DIRS or name.endswith(".egg-info")


def ignored_file(name: str) -> bool:
    """Whether a file of this name is left out wherever it appears."""
    return name.endswith(IGNORED_SUFFIXES)


def content_hash(items: Iterable[tuple[str, bytes]]) -> str:
    """The harness's one content hash: SHA-256 over sorted relative paths and contents.

    Args:
        items: ``(relative POSIX path, content)`` pairs, in any order.

    Returns:
        The first 16 hex digits; the same files give the same hash whatever their source.
    """
    digest = hashlib.sha256()
    for rel, data in sorted(items, key=lambda item: item[0]):
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def read_bytes_safely(
    root: Path, rel: str, *, limit: int = MAX_TEXT_BYTES
) -> bytes | None:
    """Read a file without following links or leaving ``root``.

    Args:
        root: The folder.
        rel: The file's path relative to ``root``.
        limit: Bytes to read at most.

    Returns:
        The bytes, or None if any component is a link, the file is not a regular file,
        or the path leaves ``root`` (:func:`harness.safefs.read_file`).
    """
    try:
        return read_file(root, rel, limit=limit)
    except LinkError:
        return None


def check_project_folder(path: Path) -> None:
    """Fail with one line unless ``path`` is an existing folder.

    Raises:
        UsageError: When it does not exist or is a file.
    """
    if not path.exists():
        msg = f"project folder {path} does not exist: pass the folder that holds pyproject.toml"
        raise UsageError(msg)
    if not path.is_dir():
        msg = f"{path} is a file, not a project folder: pass the folder that holds pyproject.toml"
        raise UsageError(msg)


def walk_files(root: Path) -> list[str]:
    """Relative paths of a folder's files, without ignored folders, links or junk.

    Raises:
        ProjectOutputError: When the folder is larger than the harness accepts.
    """
    found: list[str] = []
    total = 0
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not ignored_dir(d) and not (Path(current) / d).is_symlink()
        )
        for name in sorted(files):
            full = Path(current) / name
            if full.is_symlink() or ignored_file(name):
                continue
            found.append(full.relative_to(root).as_posix())
            total += full.lstat().st_size
            if len(found) > MAX_FILES or total > MAX_BYTES:
                msg = (
                    f"{root} holds more than {MAX_FILES} files or {MAX_BYTES // 2**20} MiB outside "
                    "ignored folders: point the harness at the project itself"
                )
                raise ProjectOutputError(msg)
    return sorted(found)


def folder_hash(root: Path, files: Iterable[str] | None = None) -> str:
    """:func:`content_hash` of a folder's files (all of :func:`walk_files` by default)."""
    chosen = walk_files(root) if files is None else files
    return content_hash(
        (rel, read_bytes_safely(root, rel, limit=MAX_BYTES) or b"") for rel in chosen
    )


def copy_files(root: Path, files: Iterable[str], destination: Path) -> None:
    """Copy the given files of ``root`` (read safely, no links) into ``destination``."""
    for rel in files:
        data = read_bytes_safely(root, rel, limit=MAX_BYTES)
        if data is None:
            continue
        target = destination / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
