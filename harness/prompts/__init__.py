"""The prompts a model sees, as versioned jinja2 templates (``templates/*.md.j2``).

* ``system_oneshot``: the one-shot reply format (``docs/reply-format.md``);
* ``system_agent``: the tool set and its rules;
* ``skill_inline``: a skill's SKILL.md body, for ``inline`` delivery;
* ``skill_catalog``: the ``<available_skills>`` list (name, description, location), for
  ``on-demand`` delivery, as agents that support the Agent Skills format show it;
* ``task``: the task's ``prompt.md``, then the shared ``evals/contract.md``, then (one-shot
  only) the starter's files.

:data:`PROMPT_VERSION` is bumped by hand on any deliberate change; :func:`prompt_version`
adds a hash of the templates, so an accidental change still shows in every record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from harness.fences import fence_for
from harness.variants import Delivery, Skill

#: The templates' version, bumped on each deliberate change.
PROMPT_VERSION = "1"
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Largest starter (in bytes of text) rendered into a one-shot prompt.
MAX_STARTER_BYTES = 400_000

_LANGUAGES = {
    ".py": "python",
    ".toml": "toml",
    ".md": "markdown",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".ini": "ini",
    ".cfg": "ini",
    ".txt": "text",
    ".sql": "sql",
    ".sh": "bash",
    ".mako": "mako",
}

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,  # noqa: S701 - Markdown for a model, not HTML
)


def prompt_version() -> str:
    """``PROMPT_VERSION`` plus a short hash of every template's text."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES_DIR.glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{PROMPT_VERSION}+{digest.hexdigest()[:8]}"


def language(path: str) -> str:
    """The fence language for a file name (empty when unknown)."""
    return _LANGUAGES.get(PurePosixPath(path).suffix, "")


@dataclass(frozen=True)
class _CatalogEntry:
    name: str
    description: str
    location: str


def render_skill(skill: Skill, delivery: Delivery, *, files_in_workspace: bool) -> str:
    """The system prompt's skill section for one skill.

    Args:
        skill: The skill.
        delivery: ``inline`` (the body) or ``on-demand`` (the catalog entry only).
        files_in_workspace: Whether the skill's files are readable in the workspace.

    Returns:
        The rendered section.
    """
    location = skill.workspace_dir.as_posix()
    if delivery is Delivery.inline:
        return _environment.get_template("skill_inline.md.j2").render(
            skill=skill,
            location=location,
            files_in_workspace=files_in_workspace and bool(skill.references),
        )
    entry = _CatalogEntry(skill.name, skill.description, f"{location}/SKILL.md")
    return _environment.get_template("skill_catalog.md.j2").render(skills=[entry])


def render_system(
    mode: str,
    *,
    skill_section: str = "",
    has_starter: bool = False,
    max_turns: int = 40,
    skill_in_workspace: bool = False,
) -> str:
    """The system prompt for a mode.

    Args:
        mode: ``oneshot`` or ``agent``.
        skill_section: The rendered skill section (empty for the baseline).
        has_starter: Whether the task starts from existing code.
        max_turns: The agent's turn budget, stated to the model.
        skill_in_workspace: Whether a read-only skill folder is in the workspace.

    Returns:
        The system prompt.
    """
    name = "system_oneshot.md.j2" if mode == "oneshot" else "system_agent.md.j2"
    return (
        _environment.get_template(name)
        .render(
            skill_section=skill_section.strip(),
            has_starter=has_starter,
            max_turns=max_turns,
            skill_in_workspace=skill_in_workspace,
        )
        .strip()
        + "\n"
    )


def render_task(
    prompt: str,
    *,
    contract: str | None,
    starter_files: dict[str, str] | None = None,
    has_starter: bool = False,
) -> str:
    """The first user message: the task, the shared contract, the starter for one-shot.

    Args:
        prompt: The task's ``prompt.md``.
        contract: ``evals/contract.md``, or None when there is none.
        starter_files: The starter's text files, shown in full (one-shot mode).
        has_starter: Whether the workspace holds a starter (agent mode says so).

    Returns:
        The message.
    """
    files = dict(starter_files or {})
    fence = fence_for(*files.values())
    return (
        _environment.get_template("task.md.j2")
        .render(
            prompt=prompt,
            contract=contract or "",
            starter_files={
                path: (text if text.endswith("\n") else text + "\n")
                for path, text in files.items()
            },
            has_starter=has_starter,
            fence=fence,
            language=language,
        )
        .strip()
        + "\n"
    )


def format_reply(files: dict[str, str]) -> str:
    """Render files in the canonical one-shot format (the inverse of :func:`parse_reply`).

    A file holding fence lines gets a longer fence, so the reply parses back exactly.

    Args:
        files: Relative path to content.

    Returns:
        The reply text.
    """
    parts: list[str] = []
    for path, content in files.items():
        runs = [len(m.group(0)) for m in re.finditer(r"^ {0,3}`{3,}", content, re.M)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        body = content if content.endswith("\n") or not content else content + "\n"
        parts.append(f"### {path}\n{fence}{language(path)}\n{body}{fence}\n")
    return "\n".join(parts)


__all__ = [
    "MAX_STARTER_BYTES",
    "PROMPT_VERSION",
    "TEMPLATES_DIR",
    "format_reply",
    "language",
    "prompt_version",
    "render_skill",
    "render_system",
    "render_task",
]
