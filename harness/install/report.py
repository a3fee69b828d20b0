"""What an install did: one action per path, and a compact human summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pathlib import Path

    from harness.install.agents import Scope

ActionKind = Literal["create", "update", "unchanged", "conflict", "remove", "keep"]


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


__all__ = ["Action", "ActionKind", "InstallReport"]
