"""``harness install``: put the skill where each coding agent looks for it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import stdout
from harness.errors import HarnessError, UsageError
from harness.install.agents import AGENTS


class ScopeChoice(StrEnum):
    """The ``--scope`` flag's values."""

    project = "project"
    user = "user"


def command(
    agent: Annotated[
        list[str],
        typer.Option(
            "--agent",
            help=f"Agent to install for (repeatable): {', '.join(AGENTS)}, or all "
            "(every agent found by its config folder).",
        ),
    ],
    scope: Annotated[
        ScopeChoice,
        typer.Option(help="project: into --dir; user: into your home folder."),
    ] = ScopeChoice.project,
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="The project folder (default: the current folder)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Overwrite or remove files the harness did not write."
        ),
    ] = False,
    uninstall: Annotated[
        bool,
        typer.Option("--uninstall", help="Remove what an earlier install wrote."),
    ] = False,
    skill: Annotated[
        Path | None,
        typer.Option(
            "--skill",
            help="The skill folder (default: skill/python-fastapi-developer).",
        ),
    ] = None,
) -> None:
    """Install the skill for coding agents: skill folders, rules, AGENTS.md.

    Idempotent; never overwrites a file it did not write without --force.
    """
    from harness.install import install

    if scope is ScopeChoice.user and directory is not None:
        msg = "--dir applies to --scope project; user scope installs under $HOME"
        raise UsageError(msg)
    names = [n.strip() for value in agent for n in value.split(",") if n.strip()]
    if "all" in names and len(names) > 1:
        msg = "--agent all cannot be combined with other agents: pass one or the other"
        raise UsageError(msg)
    report = install(
        names,
        scope=scope.value,
        project=directory,
        skill=skill,
        force=force,
        dry_run=dry_run,
        uninstall=uninstall,
    )
    where = "~" if report.scope == "user" else str(report.root)
    verb = "uninstall" if uninstall else "install"
    plan = " (dry run: nothing written)" if dry_run else ""
    stdout.print(
        f"{verb} {report.skill} for {', '.join(report.agents) or 'no agent'} "
        f"in {where}{plan}",
        markup=False,
        soft_wrap=True,
    )
    for line in report.lines():
        stdout.print(f"  {line}", markup=False, soft_wrap=True)
    if report.conflicts:
        count = len(report.conflicts)
        what = "remove" if uninstall else "replace"
        msg = (
            f"{count} file{'s' if count > 1 else ''} left alone because the harness did not "
            f"write them (or they changed since): review them, then pass --force to {what} "
            "them"
        )
        raise HarnessError(msg)
