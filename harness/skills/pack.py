"""``harness skill pack``: a ``.skill`` archive as skill-creator's ``package_skill.py`` makes it.

The archive is a deflated zip named ``<folder>.skill`` whose entries sit under the skill's
folder name (``python-fastapi-developer/SKILL.md``...), leaving out ``__pycache__``,
``node_modules``, ``*.pyc``, ``.DS_Store`` and the root-level ``evals/`` (and, beyond
``package_skill.py``, tool caches such as ``.ruff_cache`` and virtualenvs). Like
``package_skill.py`` it validates first: front matter with fields outside the spec is refused
(claude.ai and the Skills API would reject it), and so is any lint error. Entries are sorted
and dated 1980-01-01, so the same skill always packs to the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError, UsageError
from harness.fileio import new_file_mode
from harness.skills.files import resolve_skill_dir, skill_files
from harness.skills.lint import lint_skill

_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Packed:
    """A packed skill.

    Attributes:
        archive: The ``.skill`` file written.
        entries: The archive's entries, in order.
    """

    archive: Path
    entries: list[str]


def pack_skill(path: Path, out_dir: Path | None = None) -> Packed:
    """Validate a skill and zip it into ``<out_dir>/<folder>.skill``.

    Args:
        path: The skill folder (or its SKILL.md).
        out_dir: Where to write the archive (created if missing; default: the current folder).

    Returns:
        The archive and its entries.

    Raises:
        UsageError: When the path is not a skill or the output folder cannot be made.
        HarnessError: When validation fails (the first problem is quoted).
    """
    root = resolve_skill_dir(path)
    report = lint_skill(root)
    blocking = [
        issue
        for issue in report.issues
        if issue.severity == "error" or issue.code == "field-unknown"
    ]
    if blocking:
        first = blocking[0]
        more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
        msg = (
            f"{root.name} is not valid, nothing packed: {first.render()}{more}; "
            f"see `harness skill lint {path}`"
        )
        raise HarnessError(msg)
    target_dir = (out_dir or Path.cwd()).resolve()
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = f"cannot create output folder {target_dir}: {error.strerror}"
        raise UsageError(msg) from None
    archive = target_dir / f"{root.name}.skill"
    entries: list[str] = []
    handle, temporary = tempfile.mkstemp(dir=target_dir, prefix=f".{archive.name}.")
    os.fchmod(handle, new_file_mode(archive))
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zipped:
            for rel in skill_files(root):
                source = root / rel
                if source.resolve() == archive or source.resolve() == Path(temporary):
                    continue
                entry = f"{root.name}/{rel}"
                info = zipfile.ZipInfo(entry, date_time=_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (
                    0o755 if os.access(source, os.X_OK) else 0o644
                ) << 16
                zipped.writestr(info, source.read_bytes())
                entries.append(entry)
        Path(temporary).replace(archive)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Packed(archive=archive, entries=entries)
