"""A generated project's files for the report: read without following links, diffed with difflib.

Everything here reads folders an untrusted model wrote. A file is read only through
:func:`harness.safefs.read_file` (no link followed at any component of its path, a
regular file only) and within the size cap (:func:`read_text`); anything else is shown
as ``unreadable``, never read. Diffs are
computed at render time (:func:`against_reference`: a sample against the task's gold
project; :func:`between`: the baseline's sample against another arm's) and cut at
:attr:`Caps.diff_lines` lines.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from harness.safefs import LinkError, read_file

if TYPE_CHECKING:
    from collections.abc import Sequence

FileState = Literal["same", "changed", "added", "missing", "unreadable"]


@dataclass(frozen=True)
class Caps:
    """Size limits of one drill-down (characters).

    Attributes:
        budget: All text of one sample (or one pair of samples) together.
        event_text: One transcript event's text.
        file_text: One file's content (files with no counterpart to diff against).
        diff_lines: Lines of one file's diff.
        findings: Findings shown per check.
        file_bytes: Files larger than this are not read.
    """

    budget: int = 60_000
    event_text: int = 4_000
    file_text: int = 6_000
    diff_lines: int = 200
    findings: int = 50
    file_bytes: int = 200_000

    @classmethod
    def for_samples(cls, n: int, total: int = 30_000_000) -> Caps:
        """Caps that keep ``n`` samples' drill-downs within ``total`` characters."""
        budget = max(8_000, min(cls.budget, total // max(n, 1)))
        return cls(budget=budget, event_text=min(cls.event_text, budget // 8))


class FileView(BaseModel):
    """One file of a generated project against its counterpart (reference or other arm)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    state: FileState
    text: str = ""
    note: str = ""


def cut(text: str, limit: int, where: str) -> str:
    """``text`` cut at ``limit`` characters, with a note saying where the rest is."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters in {where}]"


def read_text(root: Path, rel: str, limit: int) -> str | None:
    """The text of ``root/rel``, or None when it cannot be shown.

    None when the file is binary, larger than ``limit`` bytes, absent, not a regular
    file, or reached through a symbolic link at any component of its path.
    """
    try:
        data = read_file(root, rel, limit=limit + 1)
    except LinkError:  # a path with "..", or absolute: not inside the project
        return None
    if data is None or len(data) > limit or b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


class Reader:
    """Reads each file once: a task's sample drill-downs and pair diffs share one reader.

    Args:
        limit: Files larger than this many bytes are not read.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._texts: dict[tuple[Path, str], str | None] = {}

    def __call__(self, root: Path, rel: str) -> str | None:
        """:func:`read_text` of ``root/rel``, from memory after the first time."""
        key = (root, rel)
        if key not in self._texts:
            self._texts[key] = read_text(root, rel, self.limit)
        return self._texts[key]


def listing(root: Path | None) -> set[str]:
    """Relative paths of a trusted folder's files (a task's reference), caches left out."""
    if root is None or not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
    }


def unified(old: str, new: str, names: tuple[str, str], caps: Caps) -> tuple[str, str]:
    """A unified diff of two texts, cut at ``caps.diff_lines``, and the note saying so."""
    diff = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), names[0], names[1], lineterm=""
        )
    )
    note = ""
    if len(diff) > caps.diff_lines:
        note = f"diff cut at {caps.diff_lines} of {len(diff)} lines"
        diff = diff[: caps.diff_lines]
    return "\n".join(diff), note


def _compare(
    rel: str, old: str | None, new: str | None, names: tuple[str, str], caps: Caps
) -> FileView:
    if new is None:
        return FileView(
            path=rel, state="unreadable", note="binary, large, a link or absent"
        )
    if old is None:
        return FileView(path=rel, state="added", text=cut(new, caps.file_text, rel))
    if old == new:
        return FileView(path=rel, state="same")
    text, note = unified(old, new, (f"{names[0]}/{rel}", f"{names[1]}/{rel}"), caps)
    return FileView(path=rel, state="changed", text=text, note=note)


def against_reference(
    files: list[str],
    workspace: Path,
    reference: Path | None,
    caps: Caps,
    reader: Reader | None = None,
) -> list[FileView]:
    """Each generated file against the task's reference, then the reference's missing files."""
    read = reader or Reader(caps.file_bytes)
    ref_files = listing(reference)
    views = []
    for rel in sorted(files):
        new = read(workspace, rel)
        old = (
            read(reference, rel)
            if reference is not None and rel in ref_files and new is not None
            else None
        )
        views.append(_compare(rel, old, new, ("reference", "generated"), caps))
    views.extend(
        FileView(path=rel, state="missing", note="in the reference, not generated")
        for rel in sorted(ref_files - set(files))
        if not rel.startswith(".")
    )
    return views


def between(
    old: tuple[Path, list[str]],
    new: tuple[Path, list[str]],
    names: tuple[str, str],
    caps: Caps,
    reader: Reader | None = None,
) -> list[FileView]:
    """Two samples' projects file by file.

    ``changed`` files carry the diff old -> new, ``added`` ones are only in ``new``,
    ``missing`` ones only in ``old``.
    """
    (old_root, old_files), (new_root, new_files) = old, new
    read = reader or Reader(caps.file_bytes)
    views = []
    for rel in sorted(set(old_files) | set(new_files)):
        if rel not in new_files:
            views.append(
                FileView(path=rel, state="missing", note=f"only in {names[0]}")
            )
            continue
        new_text = read(new_root, rel)
        old_text = read(old_root, rel) if rel in old_files else None
        if rel in old_files and old_text is None and new_text is not None:
            views.append(
                FileView(path=rel, state="unreadable", note=f"unreadable in {names[0]}")
            )
            continue
        view = _compare(rel, old_text, new_text, names, caps)
        if view.state == "added":
            view.note = f"only in {names[1]}"
        views.append(view)
    return views


class Texted(Protocol):
    """Anything shown with a text that may be left out (a file, a transcript event)."""

    text: str


def fit(texts: Sequence[Texted], used: int, budget: int) -> tuple[int, int]:
    """Empty texts from the end of ``texts`` until ``used`` is within ``budget``.

    Returns:
        ``(used after, texts emptied)``.
    """
    dropped = 0
    for item in reversed(texts):
        if used <= budget:
            break
        if item.text:
            used -= len(item.text)
            item.text = ""
            dropped += 1
    return used, dropped


__all__ = [
    "Caps",
    "FileState",
    "FileView",
    "Reader",
    "Texted",
    "against_reference",
    "between",
    "cut",
    "fit",
    "listing",
    "read_text",
    "unified",
]
