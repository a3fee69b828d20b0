"""``harness skill lint|pack``: check a skill folder like code, and pack it as a ``.skill``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import SandboxChoice, open_sandbox, stdout

app = typer.Typer(
    help="Lint an Agent Skill like code, or pack it as a .skill archive.",
    no_args_is_help=True,
)

_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


@app.command()
def lint(
    path: Annotated[Path, typer.Argument(help="The skill folder (holding SKILL.md).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON.")
    ] = False,
    tools: Annotated[
        bool,
        typer.Option(
            help="Check Python blocks with ruff, ruff format and mypy (in the sandbox)."
        ),
    ] = True,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="Where ruff and mypy run: bwrap, or none (no isolation)."),
    ] = SandboxChoice.bwrap,
) -> None:
    """Check front matter, size, links, references and every Python block.

    Exits 1 when an error is found; warnings and notes do not fail.
    """
    from harness.environment import EvaluationEnvironment
    from harness.skills.codeblocks import BlockChecker
    from harness.skills.files import resolve_skill_dir
    from harness.skills.lint import lint_skill

    root = resolve_skill_dir(path)
    checker = None
    if tools:
        environment = EvaluationEnvironment()
        environment.ensure_built()
        checker = BlockChecker(open_sandbox(sandbox, environment), environment)
    report = lint_skill(root, checker=checker)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        for issue in report.issues:
            stdout.print(
                issue.render(),
                style=_STYLE[issue.severity],
                markup=False,
                soft_wrap=True,
            )
        figures = report.figures
        checked = (
            f", {figures.get('python_blocks_clean', 0)}/"
            f"{figures.get('python_blocks_checked', 0)} Python blocks clean"
            if tools
            else ", Python blocks not run through the tools (--no-tools)"
        )
        stdout.print(
            f"{report.skill}: {report.count('error')} errors, "
            f"{report.count('warning')} warnings, {report.count('info')} notes; "
            f"body {figures['body_lines']} lines, ~{figures['body_tokens_estimated']} "
            f"tokens; {figures['python_blocks']} Python blocks "
            f"({figures['fragments']} fragments){checked}",
            markup=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def pack(
    path: Annotated[Path, typer.Argument(help="The skill folder (holding SKILL.md).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder to write <name>.skill into (default: here)."
        ),
    ] = None,
) -> None:
    """Validate the skill, then zip it into <name>.skill as skill-creator's packager does."""
    from harness.skills.pack import pack_skill

    packed = pack_skill(path, out)
    stdout.print(
        f"packed {len(packed.entries)} files into {packed.archive}", markup=False
    )
