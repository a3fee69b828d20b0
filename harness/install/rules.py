"""Rules (and the AGENTS.md section) that point an agent at an installed skill."""

from __future__ import annotations

import json
import re

from harness.install.agents import RuleKind


def _pointer(name: str, description: str, skill_path: str) -> str:
    return (
        f"This project uses the `{name}` Agent Skill: {description}\n\n"
        f"When that applies, read `{skill_path}/SKILL.md` first and follow it. Open the files "
        "it links (references/, assets/) only when it says to.\n"
    )


def render_rule(kind: RuleKind, name: str, description: str, skill_path: str) -> str:
    """The text of a generated rule (or AGENTS.md section) pointing at the installed skill.

    Args:
        kind: The rule's format.
        name: The skill's name.
        description: The skill's description (what and when).
        skill_path: Where the skill folder is, as the agent should read it.

    Returns:
        The file's (or section's) text.
    """
    quoted = json.dumps(" ".join(description.split()))
    body = _pointer(name, " ".join(description.split()), skill_path)
    match kind:
        case "cursor-mdc":
            head = f"---\ndescription: {quoted}\nglobs:\nalwaysApply: false\n---\n"
        case "copilot-instructions":
            head = f'---\napplyTo: "**/*.py"\ndescription: {quoted}\n---\n'
        case "windsurf-rule":
            head = f"---\ntrigger: model_decision\ndescription: {quoted}\n---\n"
        case "agents-md":
            return f"{_begin(name)}\n## Skill: {name}\n\n{body}{_end(name)}\n"
    return f"{head}\n# {name}\n\n{body}"


def _begin(name: str) -> str:
    return f"<!-- skill-harness:begin {name} -->"


def _end(name: str) -> str:
    return f"<!-- skill-harness:end {name} -->"


def section_span(text: str, name: str) -> tuple[int, int] | None:
    """Where the marked section of skill ``name`` is in ``text``, if anywhere."""
    pattern = re.compile(
        rf"{re.escape(_begin(name))}.*?{re.escape(_end(name))}\n?", re.DOTALL
    )
    match = pattern.search(text)
    return (match.start(), match.end()) if match else None


__all__ = ["render_rule", "section_span"]
