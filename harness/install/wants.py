"""What an install wants written: the skill's files per agent folder and each agent's rule."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from harness.environment import REPO_ROOT
from harness.errors import HarnessError
from harness.install.agents import Agent, Scope
from harness.install.rules import render_rule
from harness.skills.files import resolve_skill_dir, skill_files
from harness.skills.frontmatter import check_front_matter, split_skill_file

DEFAULT_SKILL = REPO_ROOT / "skill" / "python-fastapi-developer"


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex (what the manifest records)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Want:
    """A file (or section) an agent wants written."""

    rel: str
    content: bytes
    agents: list[str]
    group: str | None = None
    section: bool = False


def read_skill(path: Path) -> tuple[Path, str, str]:
    """The skill folder, its name and description, checked valid.

    Raises:
        HarnessError: When the skill's front matter is invalid.
    """
    root = resolve_skill_dir(path)
    skill = split_skill_file((root / "SKILL.md").read_text(encoding="utf-8"))
    problems = [
        i for i in check_front_matter(skill, root.name) if i.severity == "error"
    ]
    if problems or skill.meta is None:
        first = problems[0].render() if problems else "no front matter"
        msg = (
            f"{root} is not a valid skill ({first}): fix it (`harness skill lint {path}`) "
            "before installing"
        )
        raise HarnessError(msg)
    return root, root.name, " ".join(str(skill.meta["description"]).split())


def wanted(
    agents: list[Agent], scope: Scope, skill_root: Path, name: str, description: str
) -> list[Want]:
    """Every file and rule section the chosen agents want, one entry per target path.

    Args:
        agents: The agents to install for.
        scope: ``project`` or ``user``.
        skill_root: The skill's folder.
        name: The skill's name.
        description: Its description (shown in rules).

    Returns:
        What to write; a target shared by several agents lists them all.
    """
    files = skill_files(skill_root)
    wants: dict[str, Want] = {}
    for agent in agents:
        folder = f"{agent.skills[scope]}/{name}"
        for rel in files:
            target = f"{folder}/{rel}"
            if target in wants:
                wants[target].agents.append(agent.name)
            else:
                data = (skill_root / rel).read_bytes()
                wants[target] = Want(target, data, [agent.name], group=folder)
        rule = agent.rules.get(scope)
        if rule is None or agent.rule_kind is None:
            continue
        shown = folder if scope == "project" else f"~/{folder}"
        text = render_rule(agent.rule_kind, name, description, shown)
        rel = rule.format(name=name)
        key = f"{rel}#{name}" if agent.rule_kind == "agents-md" else rel
        wants[key] = Want(
            rel, text.encode(), [agent.name], section=agent.rule_kind == "agents-md"
        )
    return list(wants.values())


__all__ = ["DEFAULT_SKILL", "Want", "read_skill", "sha256_hex", "wanted"]
