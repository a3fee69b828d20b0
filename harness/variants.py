"""Variants: the conditions under test, resolved to a skill's files and a content hash.

A variant spec names where a skill comes from:

* ``none``: no skill (the baseline);
* ``path:DIR``: a skill folder on disk (``path:skill/python-fastapi-developer``);
* ``git:REV:DIR``: the folder as it was at a git revision of the repository holding the
  current directory, read with ``git ls-tree``/``git show`` (nothing is checked out);
* ``pkg:PACKAGE/PATH``: a folder inside an installed package of the evaluation
  environment (``pkg:fastapi/.agents/skills/fastapi``, FastAPI's own skill).

Any spec may be prefixed with a label, ``LABEL=SPEC`` (``v1=git:v1:skill/x``); otherwise
the label is derived from the spec. The skill's files are read into memory once, so the
hash is of exactly what the model sees: SHA-256 over the sorted relative paths and
contents (first 16 hex digits), the same for the same files whatever their source.

Delivery (how a skill reaches the model) is ``inline`` (SKILL.md's body in the system
prompt) or ``on-demand`` (only ``name`` and ``description`` listed; the files placed
read-only in the workspace at ``.agents/skills/<name>/``, where coding agents find them).
"""

from __future__ import annotations

import os
import re
import subprocess
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.environment import site_packages
from harness.errors import UsageError
from harness.project.files import content_hash
from harness.skills.files import excluded
from harness.skills.frontmatter import split_skill_file

VariantKind = Literal["none", "path", "git", "pkg"]
#: Where a skill's files go in a workspace (the cross-agent ``.agents/skills`` convention).
SKILLS_DIR = PurePosixPath(".agents/skills")
MAX_SKILL_FILES = 500
MAX_SKILL_BYTES = 10 * 1024 * 1024
#: A label, task id or run id: one path segment of letters, digits and ``-_.@``.
SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}"
_LABEL = re.compile(f"^{SEGMENT}$")


class Delivery(StrEnum):
    """How a variant's skill reaches the model."""

    inline = "inline"
    on_demand = "on-demand"


class Skill(BaseModel):
    """A skill's files, read into memory.

    Attributes:
        name: ``name`` from the front matter (or the folder's name).
        description: ``description`` from the front matter.
        body: SKILL.md without its front matter.
        files: Relative POSIX path to content, SKILL.md included.
        source: Where it was read from, for messages.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    body: str
    files: dict[str, bytes]
    source: str

    @property
    def references(self) -> list[str]:
        """Every file but SKILL.md, sorted."""
        return sorted(path for path in self.files if path != "SKILL.md")

    def content_hash(self) -> str:
        """The harness's content hash over sorted paths and contents (16 hex digits)."""
        return content_hash(self.files.items())

    @property
    def workspace_dir(self) -> PurePosixPath:
        """Where the skill goes in a workspace: ``.agents/skills/<name>``."""
        return SKILLS_DIR / self.name


class Variant(BaseModel):
    """One condition under test.

    Attributes:
        label: The variant's name in results and reports.
        spec: The spec it was resolved from (without the label).
        kind: ``none``, ``path``, ``git`` or ``pkg``.
        content_hash: The skill's hash, or ``none`` for the baseline.
        skill: The skill, or None for ``none``.
        revision: For ``git``: the commit the revision resolved to.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    spec: str
    kind: VariantKind
    content_hash: str
    skill: Skill | None = Field(default=None, repr=False)
    revision: str | None = None


def split_frontmatter(text: str) -> tuple[dict[str, object], str]:
    """Split SKILL.md into its front matter (empty when missing or invalid) and its body.

    A lenient reading through the one parser, ``harness.skills.frontmatter``.
    """
    parsed = split_skill_file(text, lenient=True)
    return dict(parsed.meta or {}), parsed.body


def skill_from_files(
    files: dict[str, bytes], *, folder_name: str, source: str
) -> Skill:
    """Build a :class:`Skill` from its files.

    Args:
        files: Relative path to content.
        folder_name: The skill folder's name (the default ``name``).
        source: Where the files came from, for messages.

    Returns:
        The skill.

    Raises:
        UsageError: When SKILL.md is missing or has no description.
    """
    raw = files.get("SKILL.md", files.get("skill.md"))
    if raw is None:
        msg = f"{source} has no SKILL.md: point the variant at a skill folder"
        raise UsageError(msg)
    front, body = split_frontmatter(raw.decode("utf-8", "replace"))
    name = str(front.get("name") or folder_name).strip()
    description = " ".join(str(front.get("description") or "").split())
    if not description:
        msg = f"{source}/SKILL.md has no description in its front matter: add one"
        raise UsageError(msg)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name):
        name = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:64] or "skill"
    if "skill.md" in files and "SKILL.md" not in files:
        files = {("SKILL.md" if k == "skill.md" else k): v for k, v in files.items()}
    return Skill(
        name=name,
        description=description,
        body=body.strip() + "\n",
        files=dict(sorted(files.items())),
        source=source,
    )


def _check_sizes(files: dict[str, bytes], source: str) -> None:
    if len(files) > MAX_SKILL_FILES or sum(map(len, files.values())) > MAX_SKILL_BYTES:
        msg = (
            f"{source} holds more than {MAX_SKILL_FILES} files or "
            f"{MAX_SKILL_BYTES // 2**20} MiB: point the variant at the skill folder itself"
        )
        raise UsageError(msg)


def read_skill_dir(root: Path, *, source: str | None = None) -> Skill:
    """Read a skill folder from disk (no links followed, junk skipped).

    Args:
        root: The skill folder.
        source: Where it came from, for messages (default: the folder).

    Returns:
        The skill.

    Raises:
        UsageError: When the folder is missing or holds no SKILL.md.
    """
    where = source or str(root)
    if not root.is_dir():
        msg = f"skill folder {root} does not exist: check the variant's path"
        raise UsageError(msg)
    files: dict[str, bytes] = {}
    for current, dirs, names in os.walk(root, followlinks=False):
        base = Path(current)
        dirs[:] = sorted(
            d
            for d in dirs
            if not excluded(PurePosixPath((base / d).relative_to(root).as_posix()))
        )
        for name in sorted(names):
            full = base / name
            rel = PurePosixPath(full.relative_to(root).as_posix())
            if full.is_symlink() or excluded(rel):
                continue
            files[rel.as_posix()] = full.read_bytes()
            _check_sizes(files, where)
    return skill_from_files(files, folder_name=root.name, source=where)


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - fixed git subcommands, no shell
            ["git", "-C", str(repo), *args],  # noqa: S607 - git from PATH
            capture_output=True,
            check=False,
            timeout=60,
        )
    except FileNotFoundError:
        msg = "git is not installed: install git to use git: variants"
        raise UsageError(msg) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        msg = (
            f"git {' '.join(args[:2])} failed: {detail[-1] if detail else 'no output'}"
        )
        raise UsageError(msg)
    return done.stdout


def read_skill_git(repo: Path, revision: str, folder: str) -> tuple[Skill, str]:
    """Read a skill folder as it was at a git revision, without checking anything out.

    Args:
        repo: A folder inside the repository.
        revision: Any revision git understands (tag, branch, commit).
        folder: The skill folder, relative to the repository's root.

    Returns:
        The skill and the commit the revision resolved to.

    Raises:
        UsageError: When the revision or folder does not exist.
    """
    top = Path(_git(repo, "rev-parse", "--show-toplevel").decode().strip())
    try:
        commit = _git(top, "rev-parse", "--verify", f"{revision}^{{commit}}")
    except UsageError:
        msg = f"git revision {revision!r} does not exist in {top}: check `git tag`/`git log`"
        raise UsageError(msg) from None
    sha = commit.decode().strip()
    prefix = folder.strip("/")
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", sha, "--", prefix)
    files: dict[str, bytes] = {}
    source = f"git:{revision}:{prefix}"
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path_bytes = entry.partition(b"\t")
        mode, kind, blob = meta.decode().split()
        path = path_bytes.decode("utf-8", "replace")
        rel = PurePosixPath(path).relative_to(prefix)
        if kind != "blob" or mode == "120000" or excluded(rel):
            continue
        files[rel.as_posix()] = _git(top, "cat-file", "blob", blob)
        _check_sizes(files, source)
    if not files:
        msg = f"{prefix} does not exist at git revision {revision}: check the folder's path"
        raise UsageError(msg)
    return skill_from_files(
        files, folder_name=PurePosixPath(prefix).name, source=source
    ), sha


def _default_label(kind: VariantKind, spec_rest: str, skill: Skill | None) -> str:
    if skill is None:
        return "none"
    if kind == "git":
        revision = spec_rest.split(":", 1)[0]
        return _safe_label(f"{skill.name}@{revision}")
    if kind == "pkg":
        return _safe_label(f"pkg-{spec_rest.split('/', 1)[0]}-{skill.name}")
    return _safe_label(skill.name)


def _safe_label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "-", text).strip("-.")[:64] or "variant"


def resolve_variant(
    spec: str, *, base_dir: Path | None = None, venv: Path | None = None
) -> Variant:
    """Resolve a variant spec to its skill and hash.

    Args:
        spec: ``[LABEL=]none|path:DIR|git:REV:DIR|pkg:PACKAGE/PATH``.
        base_dir: Folder that relative paths and the git repository are taken from
            (default: the current directory).
        venv: The evaluation environment's virtualenv, for ``pkg:`` variants.

    Returns:
        The resolved variant.

    Raises:
        UsageError: For a malformed spec or a skill that cannot be found.
    """
    base = base_dir or Path.cwd()
    label: str | None = None
    head, eq, tail = spec.partition("=")
    if eq and ":" not in head and head != "none":
        if not _LABEL.fullmatch(head):
            msg = (
                f"variant label {head!r} must be letters, digits, '-', '_', '.' or '@'"
            )
            raise UsageError(msg)
        label, spec = head, tail
    kind_text, _, rest = spec.partition(":")
    skill: Skill | None = None
    revision: str | None = None
    kind: VariantKind
    if spec == "none":
        kind = "none"
    elif kind_text == "path" and rest:
        kind = "path"
        folder = Path(rest).expanduser()
        skill = read_skill_dir(folder if folder.is_absolute() else base / folder)
    elif kind_text == "git" and ":" in rest:
        kind = "git"
        rev, _, folder_text = rest.partition(":")
        if not rev or not folder_text:
            msg = (
                f"variant {spec!r}: use git:REVISION:FOLDER, e.g. git:v1:skill/my-skill"
            )
            raise UsageError(msg)
        skill, revision = read_skill_git(base, rev, folder_text)
    elif kind_text == "pkg" and "/" in rest:
        kind = "pkg"
        if venv is None:
            from harness.environment import EvaluationEnvironment

            venv = EvaluationEnvironment().venv
        package, _, inner = rest.partition("/")
        root = site_packages(venv) / package
        if not root.is_dir():
            msg = (
                f"package {package!r} is not installed in the evaluation environment "
                f"({venv}): use a package it holds, e.g. pkg:fastapi/.agents/skills/fastapi"
            )
            raise UsageError(msg)
        skill = read_skill_dir(root / inner, source=f"pkg:{rest}")
    else:
        msg = (
            f"unknown variant {spec!r}: use none, path:DIR, git:REV:DIR or "
            "pkg:PACKAGE/PATH (optionally LABEL=SPEC)"
        )
        raise UsageError(msg)
    return Variant(
        label=label or _default_label(kind, rest, skill),
        spec=spec,
        kind=kind,
        content_hash=skill.content_hash() if skill is not None else "none",
        skill=skill,
        revision=revision,
    )


__all__ = [
    "SEGMENT",
    "SKILLS_DIR",
    "Delivery",
    "Skill",
    "Variant",
    "read_skill_dir",
    "read_skill_git",
    "resolve_variant",
    "site_packages",
    "skill_from_files",
    "split_frontmatter",
]
