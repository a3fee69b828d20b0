"""Where each coding agent reads skills and rules, and how to tell it is installed.

Sources: each tool's docs, November 2026 (``shared/reference/agent-skills.md`` section 3).
``harness install`` writes there; the coding-agent solvers
(:mod:`harness.solvers.coding_agents`) show a sample's skill at the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Scope = Literal["project", "user"]
RuleKind = Literal["cursor-mdc", "copilot-instructions", "windsurf-rule", "agents-md"]

AGENTS_FILE = "AGENTS.md"


@dataclass(frozen=True)
class Agent:
    """Where one coding agent reads skills and rules.

    Attributes:
        name: The ``--agent`` value.
        title: The product's name.
        skills: Skill folder per scope, relative to the project or to ``$HOME``.
        rules: Generated rule file per scope (``{name}`` is the skill's name), if any.
        rule_kind: The rule's format.
        detect_home: Folders under ``$HOME`` whose presence means the agent is installed.
        detect_project: Files or folders in a project that mean the agent is used there.
    """

    name: str
    title: str
    skills: dict[Scope, str]
    rules: dict[Scope, str] = field(default_factory=dict)
    rule_kind: RuleKind | None = None
    detect_home: tuple[str, ...] = ()
    detect_project: tuple[str, ...] = ()


AGENTS: dict[str, Agent] = {
    agent.name: agent
    for agent in (
        Agent(
            "claude-code",
            "Claude Code",
            {"project": ".claude/skills", "user": ".claude/skills"},
            detect_home=(".claude",),
            detect_project=(".claude", "CLAUDE.md"),
        ),
        Agent(
            "codex",
            "OpenAI Codex",
            {"project": ".agents/skills", "user": ".agents/skills"},
            detect_home=(".codex",),
            detect_project=(".codex",),
        ),
        Agent(
            "cursor",
            "Cursor",
            {"project": ".cursor/skills", "user": ".cursor/skills"},
            rules={"project": ".cursor/rules/{name}.mdc"},
            rule_kind="cursor-mdc",
            detect_home=(".cursor",),
            detect_project=(".cursor", ".cursorrules"),
        ),
        Agent(
            "copilot",
            "GitHub Copilot",
            {"project": ".github/skills", "user": ".copilot/skills"},
            rules={
                "project": ".github/instructions/{name}.instructions.md",
                "user": ".copilot/instructions/{name}.instructions.md",
            },
            rule_kind="copilot-instructions",
            detect_home=(".copilot",),
            detect_project=(".github/copilot-instructions.md", ".github/instructions"),
        ),
        Agent(
            "gemini",
            "Gemini CLI",
            {"project": ".gemini/skills", "user": ".gemini/skills"},
            detect_home=(".gemini",),
            detect_project=(".gemini", "GEMINI.md"),
        ),
        Agent(
            "opencode",
            "OpenCode",
            {"project": ".opencode/skills", "user": ".config/opencode/skills"},
            detect_home=(".config/opencode",),
            detect_project=(".opencode", "opencode.json"),
        ),
        Agent(
            "windsurf",
            "Windsurf",
            {"project": ".agents/skills", "user": ".agents/skills"},
            rules={"project": ".windsurf/rules/{name}.md"},
            rule_kind="windsurf-rule",
            detect_home=(".codeium/windsurf",),
            detect_project=(".windsurf", ".windsurfrules"),
        ),
        Agent(
            "agents-md",
            "AGENTS.md (any agent that reads it)",
            {"project": ".agents/skills"},
            rules={"project": AGENTS_FILE},
            rule_kind="agents-md",
            detect_project=(AGENTS_FILE,),
        ),
    )
}


def detect_agents(root: Path, home: Path) -> list[str]:
    """The agents that look installed (a config folder in ``$HOME``) or used in ``root``."""
    found = []
    for agent in AGENTS.values():
        if any((home / marker).exists() for marker in agent.detect_home) or any(
            (root / marker).exists() for marker in agent.detect_project
        ):
            found.append(agent.name)
    return found


def skill_folder(agent: str, name: str, scope: Scope = "project") -> str:
    """Where ``agent`` loads the skill ``name`` from, relative to the project (or home).

    Args:
        agent: An agent's ``--agent`` name.
        name: The skill's name.
        scope: ``project`` or ``user``.

    Returns:
        The folder, e.g. ``.claude/skills/NAME``.
    """
    return f"{AGENTS[agent].skills[scope]}/{name}"


__all__ = [
    "AGENTS",
    "AGENTS_FILE",
    "Agent",
    "RuleKind",
    "Scope",
    "detect_agents",
    "skill_folder",
]
