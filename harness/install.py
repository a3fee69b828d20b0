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
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.environment import REPO_ROOT
from harness.errors import HarnessError, UsageError
from harness.fileio import write_atomically
from harness.skills.files import resolve_skill_dir, skill_files
from harness.skills.frontmatter import check_front_matter, split_skill_file

Scope = Literal["project", "user"]
RuleKind = Literal["cursor-mdc", "copilot-instructions", "windsurf-rule", "agents-md"]
ActionKind = Literal["create", "update", "unchanged", "conflict", "remove", "keep"]

DEFAULT_SKILL = REPO_ROOT / "skill" / "python-fastapi-developer"
MANIFEST = ".skill-harness/installed.json"
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


@dataclass
class Action:
    """One change (or decision not to change) to one path.

    Attributes:
        kind: What happens to the path.
        rel: The path relative to the root.
        agents: The agents it serves.
        detail: Why, for conflicts and kept files.
        group: The skill folder a file belongs to, for a compact summary.
    """

    kind: ActionKind
    rel: str
    agents: list[str]
    detail: str = ""
    group: str | None = None


@dataclass
class InstallReport:
    """What ``harness install`` did (or would do, for a dry run).

    Attributes:
        root: The project folder, or ``$HOME``.
        scope: ``project`` or ``user``.
        skill: The skill's name.
        agents: The agents served.
        actions: Every path touched or considered.
        notes: Agents skipped and why.
        dry_run: Whether nothing was written.
    """

    root: Path
    scope: Scope
    skill: str
    agents: list[str]
    actions: list[Action] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def conflicts(self) -> list[Action]:
        """Actions left undone to protect a user's file."""
        return [a for a in self.actions if a.kind in ("conflict", "keep")]

    def lines(self) -> list[str]:
        """A human summary: one line per file, or per skill folder."""
        prefix = "would " if self.dry_run else ""
        out: list[str] = []
        grouped: dict[tuple[str, str], list[Action]] = {}
        for action in self.actions:
            if action.group and action.kind not in ("conflict", "keep"):
                grouped.setdefault((action.group, ",".join(action.agents)), []).append(
                    action
                )
                continue
            verb = {"unchanged": "unchanged", "conflict": "skip", "keep": "keep"}.get(
                action.kind, prefix + action.kind
            )
            detail = f"  ({action.detail})" if action.detail else ""
            out.append(f"{verb:<14} {_show(self.scope, action.rel)}{detail}")
        for (group, _), actions in grouped.items():
            counts: dict[str, int] = {}
            for action in actions:
                counts[action.kind] = counts.get(action.kind, 0) + 1
            kinds = [
                k for k in ("create", "update", "remove", "unchanged") if k in counts
            ]
            main = kinds[0]
            verb = "unchanged" if main == "unchanged" else prefix + main
            summary = ", ".join(f"{counts[k]} {_PAST[k]}" for k in kinds)
            out.append(f"{verb:<14} {_show(self.scope, group)}/  ({summary})")
        return out + self.notes


_PAST = {
    "create": "new",
    "update": "updated",
    "remove": "removed",
    "unchanged": "unchanged",
}


def _show(scope: Scope, rel: str) -> str:
    return f"~/{rel}" if scope == "user" else rel


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(root: Path) -> Manifest:
    path = root / MANIFEST
    if not path.is_file():
        return Manifest()
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as error:
        msg = f"{path} is damaged ({str(error).splitlines()[0]}): fix or delete it"
        raise HarnessError(msg) from None


def _write_manifest(root: Path, manifest: Manifest) -> None:
    path = root / MANIFEST
    if not manifest.entries:
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, manifest.model_dump_json(indent=2) + "\n")


# What to write ---------------------------------------------------------------------------


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


def _section_span(text: str, name: str) -> tuple[int, int] | None:
    pattern = re.compile(
        rf"{re.escape(_begin(name))}.*?{re.escape(_end(name))}\n?", re.DOTALL
    )
    match = pattern.search(text)
    return (match.start(), match.end()) if match else None


@dataclass
class _Want:
    """A file (or section) an agent wants written."""

    rel: str
    content: bytes
    agents: list[str]
    group: str | None = None
    section: bool = False


def _read_skill(path: Path) -> tuple[Path, str, str]:
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


def _wanted(
    agents: list[Agent], scope: Scope, skill_root: Path, name: str, description: str
) -> list[_Want]:
    files = skill_files(skill_root)
    wants: dict[str, _Want] = {}
    for agent in agents:
        folder = f"{agent.skills[scope]}/{name}"
        for rel in files:
            target = f"{folder}/{rel}"
            if target in wants:
                wants[target].agents.append(agent.name)
            else:
                data = (skill_root / rel).read_bytes()
                wants[target] = _Want(target, data, [agent.name], group=folder)
        rule = agent.rules.get(scope)
        if rule is None or agent.rule_kind is None:
            continue
        shown = folder if scope == "project" else f"~/{folder}"
        text = render_rule(agent.rule_kind, name, description, shown)
        rel = rule.format(name=name)
        key = f"{rel}#{name}" if agent.rule_kind == "agents-md" else rel
        wants[key] = _Want(
            rel, text.encode(), [agent.name], section=agent.rule_kind == "agents-md"
        )
    return list(wants.values())


# Doing it --------------------------------------------------------------------------------


class _Installer:
    def __init__(
        self, root: Path, manifest: Manifest, *, force: bool, dry_run: bool
    ) -> None:
        self.root = root
        self.manifest = manifest
        self.force = force
        self.dry_run = dry_run

    def _unsafe(self, rel: str) -> str | None:
        path = self.root / rel
        for parent in [path, *path.parents]:
            if parent == self.root:
                return None
            if parent.is_symlink():
                return f"{parent.relative_to(self.root)} is a symbolic link"
            if parent != path and parent.exists() and not parent.is_dir():
                return f"{parent.relative_to(self.root)} is a file, not a folder"
        return None

    def _mkdirs(self, path: Path) -> None:
        missing = [p for p in [path, *path.parents] if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            rel = folder.relative_to(self.root).as_posix()
            if rel not in self.manifest.dirs:
                self.manifest.dirs.append(rel)

    def _record(
        self, key: str, want: _Want, skill: str, digest: str, *, created: bool
    ) -> None:
        old = self.manifest.entries.get(key)
        agents = sorted({*(old.agents if old else []), *want.agents})
        self.manifest.entries[key] = ManifestEntry(
            skill=skill,
            kind="section" if want.section else "file",
            sha256=digest,
            agents=agents,
            created=created or bool(old and old.created),
        )

    def file(self, want: _Want, skill: str) -> Action:
        path = self.root / want.rel
        if why := self._unsafe(want.rel):
            return Action("conflict", want.rel, want.agents, why, want.group)
        digest = _sha(want.content)
        entry = self.manifest.entries.get(want.rel)
        if path.exists() and not path.is_file():
            return Action(
                "conflict", want.rel, want.agents, "a folder is in the way", want.group
            )
        if path.is_file():
            current = _sha(path.read_bytes())
            if current == digest:
                if entry is not None and not self.dry_run:
                    self._record(want.rel, want, skill, digest, created=False)
                return Action("unchanged", want.rel, want.agents, group=want.group)
            if not (entry is not None and entry.sha256 == current) and not self.force:
                why = (
                    "changed since it was installed"
                    if entry is not None
                    else "not installed by the harness"
                )
                return Action(
                    "conflict",
                    want.rel,
                    want.agents,
                    f"{why}; --force overwrites",
                    want.group,
                )
            kind: ActionKind = "update"
        else:
            kind = "create"
        if not self.dry_run:
            self._mkdirs(path.parent)
            path.write_bytes(want.content)
            self._record(want.rel, want, skill, digest, created=False)
        return Action(kind, want.rel, want.agents, group=want.group)

    def section(self, want: _Want, skill: str) -> Action:
        path = self.root / want.rel
        key = f"{want.rel}#{skill}"
        if why := self._unsafe(want.rel):
            return Action("conflict", want.rel, want.agents, why)
        text = want.content.decode()
        digest = _sha(want.content)
        entry = self.manifest.entries.get(key)
        detail = f"section {skill}"
        if not path.exists():
            if not self.dry_run:
                self._mkdirs(path.parent)
                path.write_text(text, encoding="utf-8")
                self._record(key, want, skill, digest, created=True)
            return Action("create", want.rel, want.agents, detail)
        current = path.read_text(encoding="utf-8")
        span = _section_span(current, skill)
        if span is None:
            new = current + ("" if current.endswith("\n") or not current else "\n")
            new += ("\n" if new else "") + text
            kind: ActionKind = "update"
            detail = f"section {skill} appended"
        else:
            existing = current[span[0] : span[1]]
            existing_sha = _sha(existing.encode())
            if existing_sha == digest:
                if entry is not None and not self.dry_run:
                    self._record(key, want, skill, digest, created=False)
                return Action("unchanged", want.rel, want.agents, detail)
            if (
                not (entry is not None and entry.sha256 == existing_sha)
                and not self.force
            ):
                return Action(
                    "conflict",
                    want.rel,
                    want.agents,
                    f"section {skill} was edited by hand; --force replaces it",
                )
            new = current[: span[0]] + text + current[span[1] :]
            kind = "update"
        if not self.dry_run:
            path.write_text(new, encoding="utf-8")
            self._record(key, want, skill, digest, created=False)
        return Action(kind, want.rel, want.agents, detail)

    def release(self, key: str, agents: set[str]) -> Action | None:
        """Drop ``agents`` from an entry; remove the file or section when none is left."""
        entry = self.manifest.entries[key]
        remaining = [a for a in entry.agents if a not in agents]
        served = [a for a in entry.agents if a in agents]
        rel = key.split("#", 1)[0]
        group = None
        parts = rel.split("/")
        if entry.kind == "file" and "skills" in parts[:-2]:
            group = "/".join(parts[: parts.index("skills") + 2])
        if remaining:
            if not self.dry_run:
                entry.agents = remaining
            return None
        path = self.root / rel
        if entry.kind == "section":
            return self._release_section(key, entry, path, served)
        if not path.is_file() or path.is_symlink():
            if not self.dry_run:
                del self.manifest.entries[key]
            return None
        if _sha(path.read_bytes()) != entry.sha256 and not self.force:
            return Action(
                "keep",
                rel,
                served,
                "changed since it was installed; --force removes it",
            )
        if not self.dry_run:
            path.unlink()
            del self.manifest.entries[key]
        return Action("remove", rel, served, group=group)

    def _release_section(
        self, key: str, entry: ManifestEntry, path: Path, served: list[str]
    ) -> Action | None:
        rel = key.split("#", 1)[0]
        skill = key.split("#", 1)[1]
        if not path.is_file():
            if not self.dry_run:
                del self.manifest.entries[key]
            return None
        current = path.read_text(encoding="utf-8")
        span = _section_span(current, skill)
        if span is None:
            if not self.dry_run:
                del self.manifest.entries[key]
            return None
        existing = current[span[0] : span[1]]
        if _sha(existing.encode()) != entry.sha256 and not self.force:
            return Action(
                "keep",
                rel,
                served,
                f"section {skill} was edited by hand; --force removes it",
            )
        start = span[0]
        if current[:start].endswith("\n\n"):
            start -= 1
        remaining = current[:start] + current[span[1] :]
        if not self.dry_run:
            if entry.created and not remaining.strip():
                path.unlink()
            else:
                path.write_text(remaining, encoding="utf-8")
            del self.manifest.entries[key]
        return Action("remove", rel, served, f"section {skill}")

    def prune_dirs(self) -> None:
        for rel in sorted(self.manifest.dirs, key=lambda d: d.count("/"), reverse=True):
            folder = self.root / rel
            in_use = any(key.startswith(f"{rel}/") for key in self.manifest.entries)
            if in_use:
                continue
            if (
                folder.is_dir()
                and not folder.is_symlink()
                and not any(folder.iterdir())
            ):
                folder.rmdir()
            if not folder.exists():
                self.manifest.dirs.remove(rel)


def detect_agents(root: Path, home: Path) -> list[str]:
    """The agents that look installed (a config folder in ``$HOME``) or used in ``root``."""
    found = []
    for agent in AGENTS.values():
        if any((home / marker).exists() for marker in agent.detect_home) or any(
            (root / marker).exists() for marker in agent.detect_project
        ):
            found.append(agent.name)
    return found


def _choose_agents(
    names: list[str], scope: Scope, root: Path, home: Path
) -> tuple[list[Agent], list[str]]:
    notes: list[str] = []
    if names == ["all"]:
        found = detect_agents(root, home)
        if not found:
            looked = ", ".join(
                sorted({f"~/{m}" for a in AGENTS.values() for m in a.detect_home})
            )
            msg = (
                f"--agent all found no agent (looked for {looked} and their project "
                f"folders): pass --agent NAME, one of {', '.join(AGENTS)}"
            )
            raise UsageError(msg)
        names = found
    unknown = [n for n in names if n not in AGENTS]
    if unknown:
        msg = f"unknown agent {', '.join(unknown)}: choose from {', '.join(AGENTS)} or all"
        raise UsageError(msg)
    chosen: list[Agent] = []
    for name in dict.fromkeys(names):
        agent = AGENTS[name]
        if scope not in agent.skills:
            if len(names) == 1:
                msg = (
                    f"{name} has no user-level file (AGENTS.md is per project): "
                    "use --scope project"
                )
                raise UsageError(msg)
            notes.append(f"note: {name} skipped (it has no {scope}-level location)")
            continue
        chosen.append(agent)
    return chosen, notes


def install(
    agents: list[str],
    *,
    scope: Scope = "project",
    project: Path | None = None,
    home: Path | None = None,
    skill: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
    uninstall: bool = False,
) -> InstallReport:
    """Install (or uninstall) a skill for some agents.

    Args:
        agents: Agent names, or ``["all"]`` for every agent detected.
        scope: ``project`` (under ``project``) or ``user`` (under ``home``).
        project: The project folder (default: the current folder).
        home: The home folder (default: ``$HOME``).
        skill: The skill folder (default: this repository's python-fastapi-developer).
        force: Overwrite (or remove) files the harness did not write or that were changed.
        dry_run: Only report what would happen.
        uninstall: Remove what an earlier install wrote for these agents.

    Returns:
        What was done; ``report.conflicts`` lists what was left alone.

    Raises:
        UsageError: For unknown agents, a missing project folder, or an invalid skill.
    """
    home = (home or Path.home()).resolve()
    project = (project or Path.cwd()).resolve()
    if scope == "project" and not project.is_dir():
        msg = f"project folder {project} does not exist: pass --dir DIR of an existing folder"
        raise UsageError(msg)
    root = project if scope == "project" else home
    chosen, notes = _choose_agents(agents, scope, project, home)
    manifest = _read_manifest(root)
    worker = _Installer(root, manifest, force=force, dry_run=dry_run)
    skill_root, name, description = _read_skill(skill or DEFAULT_SKILL)
    report = InstallReport(
        root, scope, name, [a.name for a in chosen], notes=notes, dry_run=dry_run
    )
    if uninstall:
        names = {a.name for a in chosen}
        for key, entry in sorted(manifest.entries.items()):
            if not (entry.skill == name and names & set(entry.agents)):
                continue
            if (action := worker.release(key, names)) is not None:
                report.actions.append(action)
        if not report.actions:
            report.notes.append(
                f"nothing of {name} was installed here for {', '.join(sorted(names))}"
            )
    else:
        wants = _wanted(chosen, scope, skill_root, name, description)
        wanted_keys = {f"{w.rel}#{name}" if w.section else w.rel for w in wants}
        for want in wants:
            action = (
                worker.section(want, name) if want.section else worker.file(want, name)
            )
            report.actions.append(action)
        # Files an earlier version of the skill had, in folders this install owns.
        groups = {w.group for w in wants if w.group}
        for key, entry in sorted(manifest.entries.items()):
            if (
                entry.skill == name
                and key not in wanted_keys
                and any(key.startswith(f"{g}/") for g in groups)
            ) and (action := worker.release(key, set(entry.agents))) is not None:
                report.actions.append(action)
    if not dry_run:
        worker.prune_dirs()
        _write_manifest(root, manifest)
    return report
