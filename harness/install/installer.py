"""Install, update and uninstall a skill for agents, safely and idempotently."""

from __future__ import annotations

from pathlib import Path

from harness.errors import UsageError
from harness.install.agents import AGENTS, Agent, Scope, detect_agents
from harness.install.manifest import (
    Manifest,
    ManifestEntry,
    read_manifest,
    write_manifest,
)
from harness.install.report import Action, ActionKind, InstallReport
from harness.install.rules import section_span
from harness.install.wants import (
    DEFAULT_SKILL,
    Want,
    read_skill,
    sha256_hex,
    wanted,
)

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
        self, key: str, want: Want, skill: str, digest: str, *, created: bool
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

    def file(self, want: Want, skill: str) -> Action:
        path = self.root / want.rel
        if why := self._unsafe(want.rel):
            return Action("conflict", want.rel, want.agents, why, want.group)
        digest = sha256_hex(want.content)
        entry = self.manifest.entries.get(want.rel)
        if path.exists() and not path.is_file():
            return Action(
                "conflict", want.rel, want.agents, "a folder is in the way", want.group
            )
        if path.is_file():
            current = sha256_hex(path.read_bytes())
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

    def section(self, want: Want, skill: str) -> Action:
        path = self.root / want.rel
        key = f"{want.rel}#{skill}"
        if why := self._unsafe(want.rel):
            return Action("conflict", want.rel, want.agents, why)
        text = want.content.decode()
        digest = sha256_hex(want.content)
        entry = self.manifest.entries.get(key)
        detail = f"section {skill}"
        if not path.exists():
            if not self.dry_run:
                self._mkdirs(path.parent)
                path.write_text(text, encoding="utf-8")
                self._record(key, want, skill, digest, created=True)
            return Action("create", want.rel, want.agents, detail)
        current = path.read_text(encoding="utf-8")
        span = section_span(current, skill)
        if span is None:
            new = current + ("" if current.endswith("\n") or not current else "\n")
            new += ("\n" if new else "") + text
            kind: ActionKind = "update"
            detail = f"section {skill} appended"
        else:
            existing = current[span[0] : span[1]]
            existing_sha = sha256_hex(existing.encode())
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
        if sha256_hex(path.read_bytes()) != entry.sha256 and not self.force:
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
        span = section_span(current, skill)
        if span is None:
            if not self.dry_run:
                del self.manifest.entries[key]
            return None
        existing = current[span[0] : span[1]]
        if sha256_hex(existing.encode()) != entry.sha256 and not self.force:
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
    manifest = read_manifest(root)
    worker = _Installer(root, manifest, force=force, dry_run=dry_run)
    skill_root, name, description = read_skill(skill or DEFAULT_SKILL)
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
        wants = wanted(chosen, scope, skill_root, name, description)
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
        write_manifest(root, manifest)
    return report
