"""``harness install``: put a skill where each coding agent looks for it.

Where each agent looks (``docs`` of each tool, November 2026; see
``shared/reference/agent-skills.md`` section 3):

- ``claude-code``: ``.claude/skills/NAME/`` (user: ``~/.claude/skills/NAME/``).
- ``codex``: ``.agents/skills/NAME/`` (user: ``~/.agents/skills/NAME/``).
- ``cursor``: ``.cursor/skills/NAME/`` and the rule ``.cursor/rules/NAME.mdc``
  (user: ``~/.cursor/skills/NAME/`` only; Cursor's user rules live in its settings).
- ``copilot``: ``.github/skills/NAME/`` and ``.github/instructions/NAME.instructions.md``
  (user: ``~/.copilot/skills/NAME/`` and ``~/.copilot/instructions/NAME.instructions.md``).
- ``gemini``: ``.gemini/skills/NAME/`` (user: ``~/.gemini/skills/NAME/``).
- ``opencode``: ``.opencode/skills/NAME/`` (user: ``~/.config/opencode/skills/NAME/``).
- ``windsurf``: ``.agents/skills/NAME/`` and the rule ``.windsurf/rules/NAME.md``
  (user: ``~/.agents/skills/NAME/``; its global rules are one shared file, left alone).
- ``agents-md``: ``.agents/skills/NAME/`` and a marked index section in ``AGENTS.md``
  (project only: AGENTS.md has no user-level location common to its readers).

Rules are short pointers (the skill's description and the path of its SKILL.md), so an agent
that reads both the rule and the skill folder pays a few lines, not the skill twice.

Safety: nothing is overwritten unless it is unchanged since the harness wrote it, or
``--force`` is given; symbolic links are never written through. What was written is recorded
in ``<root>/.skill-harness/installed.json`` (root = the project, or ``$HOME`` for user scope),
so ``--uninstall`` removes exactly that (and keeps files changed since, unless ``--force``).
Installing twice changes nothing the second time.

Modules: :mod:`~harness.install.agents` (the agent table, detection),
:mod:`~harness.install.manifest`, :mod:`~harness.install.rules` (rule and AGENTS.md text),
:mod:`~harness.install.wants` (what to write), :mod:`~harness.install.installer` (doing it).
"""

from harness.install.agents import (
    AGENTS,
    AGENTS_FILE,
    Agent,
    Scope,
    detect_agents,
    skill_folder,
)
from harness.install.installer import install
from harness.install.manifest import MANIFEST, Manifest, ManifestEntry
from harness.install.report import Action, InstallReport
from harness.install.rules import render_rule
from harness.install.wants import DEFAULT_SKILL, read_skill

__all__ = [
    "AGENTS",
    "AGENTS_FILE",
    "DEFAULT_SKILL",
    "MANIFEST",
    "Action",
    "Agent",
    "InstallReport",
    "Manifest",
    "ManifestEntry",
    "Scope",
    "detect_agents",
    "install",
    "read_skill",
    "render_rule",
    "skill_folder",
]
