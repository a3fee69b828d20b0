"""``<root>/.skill-harness/installed.json``: what ``harness install`` wrote, to undo it exactly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import HarnessError
from harness.fileio import write_atomically

if TYPE_CHECKING:
    from pathlib import Path

MANIFEST = ".skill-harness/installed.json"


class ManifestEntry(BaseModel):
    """One thing the harness wrote.

    Attributes:
        skill: The skill it belongs to.
        kind: A whole ``file``, or a marked ``section`` of a shared file (AGENTS.md).
        sha256: Digest of what was written (the section's text for a section).
        agents: The agents it was installed for; removed when the last one is uninstalled.
        created: For a section, whether the harness created the file around it.
    """

    model_config = ConfigDict(extra="forbid")

    skill: str
    kind: Literal["file", "section"] = "file"
    sha256: str
    agents: list[str] = Field(default_factory=list)
    created: bool = False


class Manifest(BaseModel):
    """What the harness installed under one root, keyed by path relative to the root.

    Attributes:
        version: Format version.
        entries: Entries by relative path (``AGENTS.md#NAME`` for a section).
        dirs: Folders the harness created, removed on uninstall when empty.
    """

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    entries: dict[str, ManifestEntry] = Field(default_factory=dict)
    dirs: list[str] = Field(default_factory=list)


def read_manifest(root: Path) -> Manifest:
    """The manifest under ``root`` (empty when there is none).

    Raises:
        HarnessError: When the file is damaged.
    """
    path = root / MANIFEST
    if not path.is_file():
        return Manifest()
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as error:
        msg = f"{path} is damaged ({str(error).splitlines()[0]}): fix or delete it"
        raise HarnessError(msg) from None


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Write the manifest under ``root``; remove it (and its folder) when it is empty."""
    path = root / MANIFEST
    if not manifest.entries:
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, manifest.model_dump_json(indent=2) + "\n")


__all__ = ["MANIFEST", "Manifest", "ManifestEntry", "read_manifest", "write_manifest"]
